//! One `[[incident_sources]]` table, and what is wrong with it in the
//! words of its fields.

use crate::domain::remote::Vendor;
use crate::integrations::setup::Mode;
use serde::{Deserialize, Serialize};

fn thirty() -> u64 {
    30
}

fn ten() -> u64 {
    10
}

/// One `[[incident_sources]]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub name: String,
    pub kind: Vendor,
    /// Seconds between lists.
    #[serde(default = "thirty")]
    pub interval: u64,
    /// Seconds one request may take.
    #[serde(default = "ten")]
    pub timeout: u64,
    #[serde(default)]
    pub mode: Mode,
    /// Overrides the vendor's host (mocks, proxies).
    pub base_url: Option<String>,
    /// "us" (default) or "eu".
    pub region: Option<String>,
    /// PagerDuty: the variable holding the REST API token (PAGERDUTY_TOKEN).
    pub token_env: Option<String>,
    /// Opsgenie: the variable holding the API-integration key (OPSGENIE_API_KEY).
    pub api_key_env: Option<String>,
    /// PagerDuty: the `From` email of a user on the account (required to
    /// act). Opsgenie: the `user` recorded with an action (the operator's
    /// name when unset).
    pub from: Option<String>,
    /// PagerDuty filters.
    #[serde(default)]
    pub service_ids: Vec<String>,
    #[serde(default)]
    pub team_ids: Vec<String>,
    #[serde(default)]
    pub urgencies: Vec<String>,
    /// Opsgenie search query (default `status:open`).
    pub query: Option<String>,
    /// The id prefix shown and typed ("PD" → "PD-4211").
    pub prefix: Option<String>,
    /// Opsgenie: the account's web address ("https://acme.app.opsgenie.com"),
    /// for links to alerts (PagerDuty sends its own).
    pub web_url: Option<String>,
    /// Read who is on call from this account (PagerDuty `/oncalls`,
    /// Opsgenie schedule timelines).
    #[serde(default = "yes")]
    pub oncall: bool,
    /// The schedules to read on-call from (PagerDuty schedule ids; Opsgenie
    /// schedule names). Empty: every schedule the credential can see.
    #[serde(default)]
    pub schedules: Vec<String>,
    /// Alertmanager: its address ("http://alertmanager:9093").
    pub url: Option<String>,
    /// Alertmanager behind a proxy: the basic-auth user (the password
    /// comes from `password_env`); without it `token_env` is a bearer token.
    pub username: Option<String>,
    pub password_env: Option<String>,
    /// Alertmanager: matchers every listed alert must meet
    /// (`team="export"`, `severity=~"critical|error"`).
    #[serde(default)]
    pub filter: Vec<String>,
    /// Alertmanager: only alerts routed to this receiver.
    pub receiver: Option<String>,
    /// Alertmanager: list inhibited alerts too (off: another alert covers them).
    #[serde(default)]
    pub inhibited: bool,
    /// Alertmanager: the label that carries the severity (`severity`).
    pub severity_label: Option<String>,
    /// Alertmanager: label value → P1–P4, over the defaults
    /// (critical P1, error/high P2, warning P3, info P4).
    #[serde(default)]
    pub severities: std::collections::BTreeMap<String, crate::domain::Severity>,
    /// Alertmanager: the label naming the service (`service`, else `job`).
    pub service_label: Option<String>,
    /// JSM: the site's cloud id (`https://<site>.atlassian.net/_edge/tenant_info`).
    pub cloud_id: Option<String>,
    /// JSM: the Atlassian account email the API token belongs to.
    pub email: Option<String>,
}

fn yes() -> bool {
    true
}

impl SourceConfig {
    pub fn prefix(&self) -> &str {
        self.prefix.as_deref().unwrap_or(self.kind.default_prefix())
    }

    /// The mode in force (`OPERATOR_WIRING_MODE` wins over the file).
    pub fn effective_mode(&self, wiring_mode: Option<&str>) -> Mode {
        crate::integrations::setup::mode_in_force(
            &self.name,
            self.kind.as_str(),
            self.mode,
            wiring_mode,
        )
    }

    pub fn eu(&self) -> bool {
        self.region
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case("eu"))
    }

    /// What is wrong with the table, in the words of its fields.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(r) = &self.region
            && !r.eq_ignore_ascii_case("us")
            && !r.eq_ignore_ascii_case("eu")
        {
            out.push(format!("region: {r:?} is neither \"us\" nor \"eu\""));
        }
        if self.timeout == 0 {
            out.push("timeout: must be at least 1 second".into());
        }
        for (field, url) in [("base_url", &self.base_url), ("web_url", &self.web_url)] {
            if let Some(u) = url
                && let Err(e) = crate::integrations::setup::http_url(u)
            {
                out.push(format!("{field}: {e}"));
            }
        }
        let p = self.prefix();
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric()) {
            out.push(format!("prefix: {p:?} must be letters and digits"));
        }
        let am_only: [(&str, bool); 8] = [
            ("url", self.url.is_some()),
            ("username", self.username.is_some()),
            ("password_env", self.password_env.is_some()),
            ("filter", !self.filter.is_empty()),
            ("receiver", self.receiver.is_some()),
            ("severity_label", self.severity_label.is_some()),
            ("severities", !self.severities.is_empty()),
            ("service_label", self.service_label.is_some()),
        ];
        if self.kind != Vendor::Alertmanager {
            for (field, set) in am_only {
                if set {
                    out.push(format!("{field}: only for Alertmanager"));
                }
            }
        }
        if self.kind != Vendor::Jsm {
            for (field, set) in [
                ("cloud_id", self.cloud_id.is_some()),
                ("email", self.email.is_some()),
            ] {
                if set {
                    out.push(format!("{field}: only for JSM"));
                }
            }
        }
        let pd_filters =
            !self.service_ids.is_empty() || !self.team_ids.is_empty() || !self.urgencies.is_empty();
        match self.kind {
            Vendor::Pagerduty => {
                if self.api_key_env.is_some() {
                    out.push("api_key_env: PagerDuty takes token_env (a REST API token)".into());
                }
                if self.query.is_some() {
                    out.push(
                        "query: only for Opsgenie and JSM (PagerDuty filters with service_ids, team_ids, urgencies)"
                            .into(),
                    );
                }
                for u in &self.urgencies {
                    if u != "high" && u != "low" {
                        out.push(format!("urgencies: {u:?} is neither \"high\" nor \"low\""));
                    }
                }
            }
            Vendor::Opsgenie => {
                if self.token_env.is_some() {
                    out.push(
                        "token_env: Opsgenie takes api_key_env (an API-integration key)".into(),
                    );
                }
                if pd_filters {
                    out.push(
                        "service_ids/team_ids/urgencies: only for PagerDuty (Opsgenie filters with query)"
                            .into(),
                    );
                }
            }
            Vendor::Jsm => {
                if self.api_key_env.is_some() {
                    out.push(
                        "api_key_env: JSM takes token_env (an Atlassian API token) and email"
                            .into(),
                    );
                }
                if pd_filters {
                    out.push("service_ids/team_ids/urgencies: only for PagerDuty (JSM filters with query)".into());
                }
                if self.mode != Mode::Mock {
                    match self.cloud_id.as_deref().map(str::trim) {
                        None | Some("") => out.push(
                            "cloud_id: required: https://<site>.atlassian.net/_edge/tenant_info shows it".into(),
                        ),
                        Some(id) if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
                            out.push(format!("cloud_id: {id:?} is not a cloud id (letters, digits and -)"))
                        }
                        _ => {}
                    }
                    if !self.email.as_deref().is_some_and(|e| e.contains('@')) {
                        out.push(
                            "email: required: the Atlassian account the API token belongs to"
                                .into(),
                        );
                    }
                }
            }
            Vendor::Alertmanager => {
                if self.api_key_env.is_some() {
                    out.push("api_key_env: Alertmanager takes token_env (a bearer token) or username and password_env".into());
                }
                if self.query.is_some() {
                    out.push("query: only for Opsgenie and JSM (Alertmanager filters with filter and receiver)".into());
                }
                if pd_filters {
                    out.push("service_ids/team_ids/urgencies: only for PagerDuty (Alertmanager filters with filter and receiver)".into());
                }
                if self.region.is_some() {
                    out.push("region: Alertmanager has no region: set url".into());
                }
                if self.username.is_some() != self.password_env.is_some() {
                    out.push("username/password_env: basic auth needs both".into());
                }
                if self.username.is_some() && self.token_env.is_some() {
                    out.push(
                        "token_env: either a bearer token or username and password_env, not both"
                            .into(),
                    );
                }
                if self.mode != Mode::Mock && self.url.is_none() && self.base_url.is_none() {
                    out.push(
                        "url: required: Alertmanager's address (http://alertmanager:9093)".into(),
                    );
                }
                if let Some(u) = &self.url
                    && let Err(e) = crate::integrations::setup::http_url(u)
                {
                    out.push(format!("url: {e}"));
                }
                for m in &self.filter {
                    if let Err(e) = check_matcher(m) {
                        out.push(format!("filter: {m:?}: {e}"));
                    }
                }
            }
        }
        out
    }
}

/// One Alertmanager matcher: `name="value"`, with `=`, `!=`, `=~` or `!~`.
fn check_matcher(m: &str) -> Result<(), &'static str> {
    let m = m.trim();
    let name_end = m
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .ok_or("a matcher is name=\"value\"")?;
    if name_end == 0 {
        return Err("a matcher starts with a label name");
    }
    let rest = &m[name_end..];
    let value = ["=~", "!~", "!=", "="]
        .iter()
        .find_map(|op| rest.strip_prefix(op))
        .ok_or("the operator is =, !=, =~ or !~")?;
    let v = value.trim();
    if v.len() < 2 || !v.starts_with('"') || !v.ends_with('"') {
        return Err("the value goes in double quotes");
    }
    Ok(())
}
