//! Incident sources: PagerDuty incidents, Opsgenie and JSM alerts and
//! Alertmanager's firing alerts, listed into the Incidents pane beside local
//! incidents, and acted on through the vendors' APIs.
//!
//! `[[incident_sources]]` names only the variables holding credentials.
//! Every request has a timeout; no error message carries a URL or a key.

mod alertmanager;
mod config;
mod jsm;
mod oncall;
mod opsgenie;
mod pagerduty;
pub mod sync;

pub use config::SourceConfig;

use super::probes::{Answer, ProbeContext, classify, credential, send};
use super::setup::Mode;
use crate::domain::health::{FailureClass, ProbeOutcome};
use crate::domain::outbox::Queued;
use crate::domain::remote::{RemoteIncident, Vendor};
use std::time::Duration;

/// Why a vendor call did not do what was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// No answer, a 5xx, a dropped connection: try again later.
    Unreachable,
    RateLimited,
    /// 401/402/403, or no credential: fix the config.
    Auth,
    /// 404: the incident (or the endpoint) does not exist.
    NotFound,
    /// Any other refusal (400, 409, 422).
    Refused,
}

#[derive(Debug, Clone)]
pub struct VendorError {
    pub kind: ErrorKind,
    /// The vendor's own error code, when it gave one (PagerDuty 1001, Opsgenie 40301).
    pub code: Option<i64>,
    /// For the Health pane: status, summary, hint, wait.
    pub outcome: ProbeOutcome,
}

impl VendorError {
    /// Whether an action should stay queued and be tried again later.
    pub fn retry_later(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Unreachable | ErrorKind::RateLimited | ErrorKind::Auth
        )
    }

    /// The vendor said this incident does not exist (PagerDuty's 404 code
    /// 2100, Opsgenie's "Alert does not exist"), as opposed to a 404 from a
    /// wrong address.
    pub fn incident_gone(&self) -> bool {
        self.kind == ErrorKind::NotFound
            && (self.code == Some(2100) || self.outcome.summary.contains("does not exist"))
    }

    /// Summary and hint in one line, for flashes and the CLI.
    pub fn message(&self) -> String {
        if self.outcome.hint.is_empty() {
            self.outcome.summary.clone()
        } else {
            format!("{} — {}", self.outcome.summary, self.outcome.hint)
        }
    }

    fn from_outcome(outcome: ProbeOutcome) -> VendorError {
        let kind = match outcome.class {
            FailureClass::RateLimited => ErrorKind::RateLimited,
            FailureClass::NotConfigured | FailureClass::Config => ErrorKind::Auth,
            _ => ErrorKind::Unreachable,
        };
        VendorError {
            kind,
            code: None,
            outcome,
        }
    }
}

/// A client for one source: its config, credential and base URL.
pub struct SourceClient {
    pub cfg: SourceConfig,
    http: reqwest::Client,
    base: String,
    key: Result<String, ProbeOutcome>,
    /// Who acts (Opsgenie's `user` when `from` is unset).
    pub operator: String,
    timeout: Duration,
}

impl SourceClient {
    pub fn new(
        cfg: SourceConfig,
        http: reqwest::Client,
        ctx: &ProbeContext,
        operator: &str,
    ) -> SourceClient {
        let (var, default_var) = match cfg.kind {
            Vendor::Pagerduty => (cfg.token_env.as_ref(), "PAGERDUTY_TOKEN"),
            Vendor::Opsgenie => (cfg.api_key_env.as_ref(), "OPSGENIE_API_KEY"),
            Vendor::Jsm => (cfg.token_env.as_ref(), "JSM_API_TOKEN"),
            Vendor::Alertmanager if cfg.username.is_some() => {
                (cfg.password_env.as_ref(), "ALERTMANAGER_PASSWORD")
            }
            Vendor::Alertmanager => (cfg.token_env.as_ref(), "ALERTMANAGER_TOKEN"),
        };
        // Alertmanager without a configured credential is asked without one.
        let key = if cfg.kind == Vendor::Alertmanager && var.is_none() {
            Ok(String::new())
        } else {
            credential(var, default_var, ctx)
        };
        let cloud = cfg.cloud_id.as_deref().map(seg).unwrap_or_default();
        let eu = match cfg.kind {
            Vendor::Opsgenie => crate::integrations::opsgenie_eu_now(cfg.region.as_deref()),
            _ => cfg.eu(),
        };
        let real = match (cfg.kind, eu) {
            (Vendor::Pagerduty, false) => "https://api.pagerduty.com".to_string(),
            (Vendor::Pagerduty, true) => "https://api.eu.pagerduty.com".to_string(),
            (Vendor::Opsgenie, false) => "https://api.opsgenie.com".to_string(),
            (Vendor::Opsgenie, true) => "https://api.eu.opsgenie.com".to_string(),
            (Vendor::Jsm, _) => format!("https://api.atlassian.com/jsm/ops/api/{cloud}"),
            (Vendor::Alertmanager, _) => cfg.url.clone().unwrap_or_default(),
        };
        let base = match (&cfg.base_url, ctx.mode) {
            (Some(b), _) => b.clone(),
            (None, Mode::Mock) if cfg.kind == Vendor::Jsm => {
                format!(
                    "{}/jsm/ops/api/{}",
                    ctx.mock_base,
                    if cloud.is_empty() {
                        "mock-cloud"
                    } else {
                        &cloud
                    }
                )
            }
            (None, Mode::Mock) => format!("{}/{}", ctx.mock_base, cfg.kind.as_str()),
            (None, Mode::Real) => real,
        };
        let timeout = Duration::from_secs(cfg.timeout.clamp(1, 120));
        SourceClient {
            base: base.trim_end_matches('/').to_string(),
            cfg,
            http,
            key,
            operator: operator.to_string(),
            timeout,
        }
    }

    pub fn vendor(&self) -> Vendor {
        self.cfg.kind
    }

    pub fn name(&self) -> &str {
        &self.cfg.name
    }

    fn key(&self) -> Result<&str, VendorError> {
        self.key
            .as_deref()
            .map_err(|o| VendorError::from_outcome(o.clone()))
    }

    fn what(&self) -> String {
        format!("{} incidents", self.vendor().label())
    }

    /// Send and read the answer; a transport failure is `Unreachable`.
    async fn call(&self, req: reqwest::RequestBuilder) -> Result<Answer, VendorError> {
        send(req, self.timeout, &self.what())
            .await
            .map_err(VendorError::from_outcome)
    }

    /// Every open incident at the vendor, all pages.
    pub async fn list(&self) -> Result<Listing, VendorError> {
        match self.vendor() {
            Vendor::Pagerduty => pagerduty::list(self).await,
            Vendor::Opsgenie => opsgenie::list(self).await,
            Vendor::Jsm => jsm::list(self).await,
            Vendor::Alertmanager => alertmanager::list(self).await,
        }
    }

    /// One incident's current state.
    pub async fn get(&self, remote_id: &str) -> Result<RemoteIncident, VendorError> {
        match self.vendor() {
            Vendor::Pagerduty => pagerduty::get(self, remote_id).await,
            Vendor::Opsgenie => opsgenie::get(self, remote_id).await,
            Vendor::Jsm => jsm::get(self, remote_id).await,
            Vendor::Alertmanager => alertmanager::get(self, remote_id).await,
        }
    }

    /// Send an action. Opsgenie and JSM answer with a request to follow up.
    pub async fn send(&self, q: &Queued) -> Result<Sent, VendorError> {
        if let Err(why) = self.vendor().offers(q.action) {
            return Err(refused(self, &why));
        }
        match self.vendor() {
            Vendor::Pagerduty => pagerduty::send(self, q).await,
            Vendor::Opsgenie => opsgenie::send(self, q).await,
            Vendor::Jsm => jsm::send(self, q).await,
            Vendor::Alertmanager => alertmanager::send(self, q).await,
        }
    }

    /// Whether one of the incident's notes carries this reference.
    pub async fn has_note(&self, remote_id: &str, reference: &str) -> Result<bool, VendorError> {
        let notes = match self.vendor() {
            Vendor::Pagerduty => pagerduty::notes(self, remote_id).await?,
            Vendor::Opsgenie => opsgenie::notes(self, remote_id).await?,
            Vendor::Jsm => jsm::notes(self, remote_id).await?,
            // A silence's comment carries the reference instead.
            Vendor::Alertmanager => alertmanager::notes(self).await?,
        };
        let needle = format!("(ref {reference})");
        Ok(notes.iter().any(|n| n.contains(&needle)))
    }

    /// Opsgenie: what became of an accepted request. `None` while the
    /// vendor has not processed it yet.
    pub async fn request_status(
        &self,
        request_id: &str,
    ) -> Result<Option<Result<String, String>>, VendorError> {
        match self.vendor() {
            Vendor::Pagerduty | Vendor::Alertmanager => Ok(Some(Ok(String::new()))),
            Vendor::Opsgenie => opsgenie::request_status(self, request_id).await,
            Vendor::Jsm => jsm::request_status(self, request_id).await,
        }
    }

    /// A 2xx answer without the shape the vendor documents.
    fn error_unexpected(&self, a: &Answer, why: &str) -> VendorError {
        VendorError {
            kind: ErrorKind::Unreachable,
            code: None,
            outcome: ProbeOutcome::failed(
                crate::domain::health::HealthStatus::Degraded,
                FailureClass::Transient,
                format!("{}: {} but {why}", self.what(), a.status),
                "the answer is not the vendor's: a proxy or captive portal is in the way, or base_url points elsewhere",
                Some(a.ms),
            ),
        }
    }

    /// Read a non-2xx answer as an error, with this vendor's hints.
    fn error(&self, a: &Answer) -> VendorError {
        let body = a.json();
        let code = body["error"]["code"]
            .as_i64()
            .or_else(|| body["code"].as_i64());
        let vendor = self.vendor();
        let hint = match (vendor, a.status) {
            (Vendor::Pagerduty, 401) => {
                "the token is invalid or revoked, or an EU account is queried on api.pagerduty.com (set region = \"eu\")"
            }
            (Vendor::Opsgenie, 401) => {
                "the key is invalid, its integration is disabled, or an EU account is queried on api.opsgenie.com (set region = \"eu\")"
            }
            (Vendor::Jsm, 401) => {
                "the email and API token do not match an Atlassian account, or the token is a scoped one (use a classic API token)"
            }
            (Vendor::Jsm, 403) => {
                "the account lacks access to Operations on this site: check cloud_id and the user's JSM role"
            }
            (Vendor::Jsm, 422) => {
                "JSM refused the request: check query in [[incident_sources]], and that ids (account, escalation) are JSM's"
            }
            (Vendor::Alertmanager, 401 | 403) => {
                "the proxy in front of Alertmanager refused the credential: check username/password_env or token_env"
            }
            (Vendor::Alertmanager, 400) => {
                "Alertmanager refused it: check the filter matchers in [[incident_sources]] (name=\"value\")"
            }
            (Vendor::Alertmanager, 404) => {
                "no Alertmanager API v2 at this address: check url (and a --web.route-prefix)"
            }
            (_, 402) => "the account's plan lacks this ability",
            (Vendor::Pagerduty, 403) => {
                "the token lacks permission: a scoped token needs incidents.read (and incidents.write to act)"
            }
            (Vendor::Opsgenie, 403) => {
                "use the key of an API integration (Teams → Integrations → API), not a global API key"
            }
            (Vendor::Opsgenie, 422) => {
                "the query is not valid Opsgenie search syntax: check query in [[incident_sources]]"
            }
            (Vendor::Pagerduty, 400) if code == Some(2011) => {
                "set from = \"<email of a PagerDuty user>\" in [[incident_sources]]: PagerDuty needs it to act"
            }
            (Vendor::Pagerduty, 400) => {
                "PagerDuty refused the request: check service_ids, team_ids and urgencies in [[incident_sources]]"
            }
            (_, 404) if self.vendor() != Vendor::Alertmanager => {
                "not found at the vendor: it was deleted, or base_url/region point elsewhere"
            }
            _ => "",
        };
        let mut outcome = classify(a, &self.what(), hint);
        if !hint.is_empty() {
            outcome.hint = hint.to_string();
        }
        let kind = match a.status {
            401..=403 => ErrorKind::Auth,
            404 | 410 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Unreachable,
            _ => ErrorKind::Refused,
        };
        VendorError {
            kind,
            code,
            outcome,
        }
    }
}

/// A refusal made here, before anything is sent (the vendor lacks the
/// action, or it lacks what the vendor needs).
fn refused(c: &SourceClient, why: &str) -> VendorError {
    VendorError {
        kind: ErrorKind::Refused,
        code: None,
        outcome: ProbeOutcome::failed(
            crate::domain::health::HealthStatus::Up,
            FailureClass::Config,
            format!("{}: {why}", c.what()),
            "",
            None,
        ),
    }
}

/// A path segment from a vendor id: only the characters ids are made of.
fn seg(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// An RFC 3339 time field.
fn time(v: &serde_json::Value) -> Option<chrono::DateTime<chrono::Utc>> {
    v.as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// One string field of every object in an array (the texts of notes).
fn texts(list: &serde_json::Value, field: &str) -> Vec<String> {
    list.as_array()
        .map(|n| {
            n.iter()
                .filter_map(|n| n[field].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Every open incident at a source.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub incidents: Vec<RemoteIncident>,
    /// Requests it took.
    pub pages: usize,
    /// The vendor would not page further (PagerDuty's 10,000 cap).
    pub truncated: bool,
    pub latency_ms: u64,
}

/// What sending an action got.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    /// Done (PagerDuty answers synchronously).
    Done,
    /// Accepted for processing; follow the request id up (Opsgenie).
    Accepted(String),
}

/// The health of a source from a listing that worked.
pub fn listing_outcome(src: &SourceConfig, l: &Listing) -> ProbeOutcome {
    let n = l.incidents.len();
    let what = format!(
        "{} incidents: {n} open ({} request{})",
        src.kind.label(),
        l.pages,
        if l.pages == 1 { "" } else { "s" }
    );
    if l.truncated {
        let mut o = ProbeOutcome::up(format!("{what}, list cut at 10,000"), l.latency_ms);
        o.hint = "PagerDuty pages no further than 10,000 incidents: narrow the list with service_ids or team_ids".into();
        return o;
    }
    let mut o = ProbeOutcome::up(what, l.latency_ms);
    if src.kind == Vendor::Opsgenie {
        o.hint = super::probes::OPSGENIE_EOL.into();
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> SourceConfig {
        toml::from_str(src).unwrap()
    }

    #[test]
    fn defaults_and_problems() {
        let c = parse("name = \"pd\"\nkind = \"pagerduty\"\n");
        assert_eq!((c.interval, c.timeout, c.prefix()), (30, 10, "PD"));
        assert!(c.problems().is_empty());
        let c = parse("name = \"og\"\nkind = \"opsgenie\"\nregion = \"EU\"\n");
        assert!(c.eu());
        assert_eq!(c.prefix(), "OG");
        let c = parse(
            "name = \"og\"\nkind = \"opsgenie\"\nregion = \"asia\"\ntoken_env = \"X\"\nprefix = \"O G\"\n",
        );
        let p = c.problems();
        assert_eq!(p.len(), 3, "{p:?}");
        let c = parse("name = \"pd\"\nkind = \"pagerduty\"\nurgencies = [\"urgent\"]\n");
        assert!(c.problems()[0].contains("urgencies"));
    }

    #[test]
    fn unknown_fields_and_kinds_are_refused() {
        let e = toml::from_str::<SourceConfig>("name = \"x\"\nkind = \"victorops\"\n").unwrap_err();
        assert!(e.to_string().contains("unknown variant"), "{e}");
        let e =
            toml::from_str::<SourceConfig>("name = \"x\"\nkind = \"pagerduty\"\ntoken = \"abc\"\n")
                .unwrap_err();
        assert!(e.to_string().contains("unknown field `token`"), "{e}");
    }
}
