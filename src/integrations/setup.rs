//! `[[integrations]]` in `shiftdeck.toml`: what to poll and how. Only the
//! *names* of the environment variables holding credentials live here.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntegrationKind {
    Datadog,
    Sentry,
    Pagerduty,
    Opsgenie,
    Slack,
    Splunk,
    Http,
    Tcp,
    Command,
}

impl IntegrationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IntegrationKind::Datadog => "datadog",
            IntegrationKind::Sentry => "sentry",
            IntegrationKind::Pagerduty => "pagerduty",
            IntegrationKind::Opsgenie => "opsgenie",
            IntegrationKind::Slack => "slack",
            IntegrationKind::Splunk => "splunk",
            IntegrationKind::Http => "http",
            IntegrationKind::Tcp => "tcp",
            IntegrationKind::Command => "command",
        }
    }
}

/// An absolute http(s) URL with a host, or why not.
pub fn http_url(u: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(u.trim()).map_err(|e| format!("{u:?} is not a URL ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("{u:?}: only http:// and https:// are polled"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("{u:?} has no host"));
    }
    Ok(())
}

/// `host:port` (or `[v6]:port`) with a port in 1–65535, or why not.
pub fn host_port(a: &str) -> Result<(), String> {
    let a = a.trim();
    let Some((host, port)) = a.rsplit_once(':') else {
        return Err(format!("{a:?}: expected host:port"));
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("{a:?}: no host before the port"));
    }
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok(()),
        _ => Err(format!("{a:?}: the port must be a number from 1 to 65535")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The local stand-ins (`shiftdeck mock-endpoints`, or the demo's own).
    Mock,
    #[default]
    Real,
}

fn thirty() -> u64 {
    30
}

fn five() -> u64 {
    5
}

/// The mode in force for a named integration or incident source of a kind:
/// `OPERATOR_WIRING_MODE` (`mock`, `real_<name or kind>`, `real_all`) wins
/// over the file's `mode`.
pub fn mode_in_force(name: &str, kind: &str, file: Mode, wiring_mode: Option<&str>) -> Mode {
    match wiring_mode.map(str::trim) {
        Some("mock") => Mode::Mock,
        Some("real_all") => Mode::Real,
        Some(m) if m.starts_with("real_") => {
            let which = &m["real_".len()..];
            if which == name || which == kind {
                Mode::Real
            } else {
                Mode::Mock
            }
        }
        _ => file,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrationConfig {
    pub name: String,
    pub kind: IntegrationKind,
    /// Seconds between polls.
    #[serde(default = "thirty")]
    pub interval: u64,
    /// Seconds one probe may take.
    #[serde(default = "five")]
    pub timeout: u64,
    #[serde(default)]
    pub mode: Mode,
    /// Overrides the vendor's host (mocks, proxies, self-hosted).
    pub base_url: Option<String>,
    /// Datadog site (datadoghq.com, datadoghq.eu, us3.datadoghq.com, …).
    pub site: Option<String>,
    /// "us" or "eu" for Sentry, PagerDuty and Opsgenie.
    pub region: Option<String>,
    pub api_key_env: Option<String>,
    pub app_key_env: Option<String>,
    pub dsn_env: Option<String>,
    pub token_env: Option<String>,
    pub routing_key_env: Option<String>,
    pub webhook_env: Option<String>,
    pub url_env: Option<String>,
    pub org: Option<String>,
    pub project: Option<String>,
    pub service_id: Option<String>,
    /// `http`: the URL to GET, and the status that means up (any 2xx by default).
    pub url: Option<String>,
    pub expect_status: Option<u16>,
    /// `tcp`: host:port.
    pub address: Option<String>,
    /// `command`: run with `sh -c`; exit 0 is up.
    pub command: Option<String>,
}

impl IntegrationConfig {
    /// What is wrong with the table, in the words of its fields: what the
    /// poller would otherwise find out at every poll, or never.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push("name: must not be empty".to_string());
        }
        if self.timeout == 0 {
            out.push("timeout: must be at least 1 second".into());
        }
        if self.interval == 0 {
            out.push("interval: must be at least 1 second".into());
        }
        if let Some(b) = &self.base_url
            && let Err(e) = http_url(b)
        {
            out.push(format!("base_url: {e}"));
        }
        match self.kind {
            IntegrationKind::Http => match &self.url {
                // In mock mode the stand-ins answer without one.
                None if self.mode == Mode::Real => {
                    out.push("url: an http check needs the URL to GET".into())
                }
                None => {}
                Some(u) => {
                    if let Err(e) = http_url(u) {
                        out.push(format!("url: {e}"));
                    }
                }
            },
            IntegrationKind::Tcp => match &self.address {
                None => out.push("address: a tcp check needs host:port".into()),
                Some(a) => {
                    if let Err(e) = host_port(a) {
                        out.push(format!("address: {e}"));
                    }
                }
            },
            IntegrationKind::Command
                if self.command.as_deref().is_none_or(|c| c.trim().is_empty()) =>
            {
                out.push("command: a command check needs the command to run".into());
            }
            _ => {}
        }
        if let Some(s) = self.expect_status
            && !(100..=599).contains(&s)
        {
            out.push(format!("expect_status: {s} is not an HTTP status"));
        }
        out
    }

    /// The mode in force: `OPERATOR_WIRING_MODE` (`mock`, `real_<name>`,
    /// `real_all`) wins over the file, as in the wiring walkthrough.
    pub fn effective_mode(&self, wiring_mode: Option<&str>) -> Mode {
        mode_in_force(&self.name, self.kind.as_str(), self.mode, wiring_mode)
    }

    /// Seconds between polls. Checks that send something (Slack's
    /// malformed post, Sentry's empty envelope without a token, PagerDuty's
    /// events-only resolve) run at most every 15 minutes.
    pub fn poll_interval(&self) -> u64 {
        let probe_only = match self.kind {
            IntegrationKind::Slack => true,
            IntegrationKind::Sentry => self.token_env.is_none(),
            IntegrationKind::Pagerduty => {
                self.routing_key_env.is_some() && self.token_env.is_none()
            }
            _ => false,
        };
        if probe_only {
            self.interval.max(900)
        } else {
            self.interval.max(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(name: &str, kind: IntegrationKind) -> IntegrationConfig {
        toml::from_str(&format!(
            "name = \"{name}\"\nkind = \"{}\"\n",
            kind.as_str()
        ))
        .unwrap()
    }

    #[test]
    fn defaults_and_wiring_mode() {
        let c = cfg("slack-ops", IntegrationKind::Slack);
        assert_eq!((c.interval, c.timeout, c.mode), (30, 5, Mode::Real));
        assert_eq!(
            c.poll_interval(),
            900,
            "a PROBE check never runs every 30 s"
        );
        assert_eq!(c.effective_mode(Some("mock")), Mode::Mock);
        assert_eq!(c.effective_mode(Some("real_slack")), Mode::Real);
        assert_eq!(c.effective_mode(Some("real_datadog")), Mode::Mock);
        assert_eq!(c.effective_mode(Some("real_all")), Mode::Real);
        assert_eq!(c.effective_mode(None), Mode::Real);
    }

    #[test]
    fn unknown_kinds_and_fields_are_refused() {
        let e =
            toml::from_str::<IntegrationConfig>("name = \"x\"\nkind = \"nagios\"\n").unwrap_err();
        assert!(e.to_string().contains("unknown variant `nagios`"), "{e}");
        let e = toml::from_str::<IntegrationConfig>(
            "name = \"x\"\nkind = \"slack\"\nwebhook_url = \"https://hooks.slack.com/x\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown field `webhook_url`"), "{e}");
    }
}
