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
