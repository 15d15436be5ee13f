//! The side-effect-free checks the Health pane polls (vendor-apis.md):
//! each vendor's SAFE check, or its PROBE check at a slow cadence where no
//! SAFE one exists. Every answer is classified into a status and a hint in
//! the operator's words. No URL, key or token is ever part of an outcome.

use super::setup::{IntegrationConfig, IntegrationKind, Mode};
use crate::domain::health::{FailureClass, HealthStatus, ProbeOutcome};
use reqwest::{Client, RequestBuilder};
use std::time::{Duration, Instant};

/// Shown on every green Opsgenie line (vendor-apis.md §4).
pub const OPSGENIE_EOL: &str =
    "Opsgenie support ends 2027-04-05: plan the move to Jira Service Management";

/// Where the local stand-ins answer when `mode = "mock"` has no base_url.
pub const DEFAULT_MOCK_BASE: &str = "http://127.0.0.1:8765";

/// What a probe needs besides the config.
#[derive(Debug, Clone)]
pub struct ProbeContext {
    pub mode: Mode,
    /// Base URL of the mock endpoints (no trailing slash).
    pub mock_base: String,
}

/// A credential or setting variable, from the env file or the environment.
pub(crate) fn env(name: &str) -> Option<String> {
    crate::secrets::var(name)
}

pub(crate) fn not_configured(var: &str) -> ProbeOutcome {
    ProbeOutcome::failed(
        HealthStatus::Unknown,
        FailureClass::NotConfigured,
        format!("not configured: set {var}"),
        format!("export {var}=… in the environment shiftdeck runs in (never in shiftdeck.toml)"),
        None,
    )
}

/// A credential from its variable; the mocks accept any.
pub(crate) fn credential(
    var: Option<&String>,
    default_var: &str,
    ctx: &ProbeContext,
) -> Result<String, ProbeOutcome> {
    let var = var.map(String::as_str).unwrap_or(default_var);
    match (env(var), ctx.mode) {
        (Some(v), _) => Ok(v),
        (None, Mode::Mock) => Ok("mock-credential".into()),
        (None, Mode::Real) => Err(not_configured(var)),
    }
}

/// The base URL: the config's override, the mocks, or the vendor's own.
pub(crate) fn base(cfg: &IntegrationConfig, ctx: &ProbeContext, real: String) -> String {
    let b = match (&cfg.base_url, ctx.mode) {
        (Some(b), _) => b.clone(),
        (None, Mode::Mock) => format!("{}/{}", ctx.mock_base, cfg.kind.as_str()),
        (None, Mode::Real) => real,
    };
    b.trim_end_matches('/').to_string()
}

pub(crate) fn eu(cfg: &IntegrationConfig) -> bool {
    cfg.region
        .as_deref()
        .is_some_and(|r| r.eq_ignore_ascii_case("eu"))
}

pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) ms: u64,
}

impl Answer {
    /// The status and what the body says, read the way the vendor wrote it
    /// (`text`, `message`, `detail`, `error.message`, `errors[0]`), else raw.
    pub(crate) fn said(&self) -> String {
        let v = self.json();
        let field = [
            &v["text"],
            &v["message"],
            &v["detail"],
            &v["error"]["message"],
            &v["errors"][0],
        ]
        .into_iter()
        .find_map(|f| f.as_str().map(str::to_string));
        let b: String = field
            .unwrap_or_else(|| self.body.trim().to_string())
            .chars()
            .take(90)
            .collect();
        format!("{} {}", self.status, b.replace('\n', " "))
    }

    pub(crate) fn header_secs(&self, names: &[&str]) -> Option<u64> {
        names
            .iter()
            .find_map(|n| {
                self.headers
                    .get(*n)?
                    .to_str()
                    .ok()?
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .map(|s| s.ceil().max(1.0) as u64)
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Send and read the answer, or classify the transport failure.
pub(crate) async fn send(
    req: RequestBuilder,
    timeout: Duration,
    what: &str,
) -> Result<Answer, ProbeOutcome> {
    let started = Instant::now();
    let resp = match tokio::time::timeout(timeout, req.timeout(timeout).send()).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return Err(transport(e, timeout, what)),
        Err(_) => return Err(timed_out(timeout, what)),
    };
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = match tokio::time::timeout(timeout, resp.text()).await {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => return Err(transport(e, timeout, what)),
        Err(_) => return Err(timed_out(timeout, what)),
    };
    Ok(Answer {
        status,
        body,
        headers,
        ms: started.elapsed().as_millis() as u64,
    })
}

pub(crate) fn timed_out(timeout: Duration, what: &str) -> ProbeOutcome {
    ProbeOutcome::failed(
        HealthStatus::Degraded,
        FailureClass::Transient,
        format!("{what}: no answer within {} s", timeout.as_secs_f64()),
        "the endpoint hangs, or a firewall drops the packets: retry, then check the network path",
        None,
    )
}

pub(crate) fn transport(e: reqwest::Error, timeout: Duration, what: &str) -> ProbeOutcome {
    if e.is_timeout() {
        return timed_out(timeout, what);
    }
    let detail = super::describe(e).to_lowercase();
    let (summary, hint) = if detail.contains("refused") {
        (
            "connection refused",
            "nothing listens there: is the endpoint (or `shiftdeck mock-endpoints`) running, and is the port right?",
        )
    } else if detail.contains("dns error")
        || detail.contains("failed to lookup")
        || detail.contains("name or service not known")
        || detail.contains("no address associated")
    {
        (
            "DNS lookup failed",
            "the host is blocked by DNS (ask InfoSec to allowlist it), or the site or region is mistyped (DD_SITE, the EU host, the Splunk stack name)",
        )
    } else if detail.contains("certificate")
        || detail.contains("tls")
        || detail.contains("handshake")
    {
        (
            "TLS failed",
            "the certificate is not trusted: for a self-signed endpoint add its CA to the system trust store rather than turning verification off",
        )
    } else if detail.contains("reset") || detail.contains("closed") || detail.contains("incomplete")
    {
        (
            "connection dropped",
            "the endpoint closed the connection without answering: a proxy or load balancer in the way, or the service is restarting",
        )
    } else {
        (
            "request failed",
            "the request did not complete: check the network path to the endpoint",
        )
    };
    ProbeOutcome::failed(
        HealthStatus::Degraded,
        FailureClass::Transient,
        format!("{what}: {summary}"),
        hint,
        None,
    )
}

/// The generic reading of an answer the vendor check did not handle.
pub(crate) fn classify(a: &Answer, what: &str, auth_hint: &str) -> ProbeOutcome {
    let (status, class, hint) = match a.status {
        200..=299 => return ProbeOutcome::up(format!("{what}: {}", a.status), a.ms),
        401 | 403 => (
            HealthStatus::Down,
            FailureClass::Config,
            auth_hint.to_string(),
        ),
        404 | 410 => (
            HealthStatus::Down,
            FailureClass::Config,
            "the endpoint does not exist: check the base URL, the region and the ids in the config"
                .to_string(),
        ),
        429 => (
            HealthStatus::Degraded,
            FailureClass::RateLimited,
            "rate limited: polling waits as the vendor asks".to_string(),
        ),
        500..=599 => (
            HealthStatus::Degraded,
            FailureClass::Transient,
            "a vendor-side problem: it usually passes; check the vendor's status page if it lasts"
                .to_string(),
        ),
        _ => (
            HealthStatus::Down,
            FailureClass::Config,
            "an answer this check does not expect: see the summary".to_string(),
        ),
    };
    let mut o = ProbeOutcome::failed(
        status,
        class,
        format!("{what}: {}", a.said()),
        hint,
        Some(a.ms),
    );
    if a.status == 429 {
        o.retry_after = a.header_secs(&[
            "retry-after",
            "x-ratelimit-reset",
            "ratelimit-reset",
            "x-sentry-rate-limit-reset",
            "x-ratelimit-period-in-sec",
        ]);
    }
    o
}

/// Poll one integration once.
/// Set to `1` to accept a development HEC's self-signed certificate.
pub const SPLUNK_INSECURE_ENV: &str = "SPLUNK_HEC_INSECURE";

/// What stays wrong with an integration however it answers, for a loud
/// badge on its row: a Splunk HEC whose certificate is not checked.
pub fn standing_warning(cfg: &IntegrationConfig) -> Option<String> {
    insecure(cfg).then(|| {
        format!("INSECURE TLS: the certificate is not checked ({SPLUNK_INSECURE_ENV}=1, dev only)")
    })
}

fn insecure(cfg: &IntegrationConfig) -> bool {
    cfg.kind == IntegrationKind::Splunk && env(SPLUNK_INSECURE_ENV).as_deref() == Some("1")
}

/// A client that accepts any certificate, for `SPLUNK_HEC_INSECURE=1` only.
fn insecure_client() -> Result<Client, ProbeOutcome> {
    static CLIENT: std::sync::OnceLock<Result<Client, String>> = std::sync::OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
            Client::builder()
                .danger_accept_invalid_certs(true)
                .connect_timeout(Duration::from_secs(5))
                .user_agent(concat!("shiftdeck/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| format!("cannot build an HTTP client: {}", e.without_url()))
        })
        .clone()
        .map_err(|e| {
            ProbeOutcome::failed(
                HealthStatus::Unknown,
                FailureClass::Config,
                e,
                String::new(),
                None,
            )
        })
}

pub async fn probe(client: &Client, cfg: &IntegrationConfig, ctx: &ProbeContext) -> ProbeOutcome {
    let timeout = Duration::from_secs(cfg.timeout.clamp(1, 120));
    let result = match cfg.kind {
        IntegrationKind::Datadog => datadog(client, cfg, ctx, timeout).await,
        IntegrationKind::Sentry => sentry(client, cfg, ctx, timeout).await,
        IntegrationKind::Pagerduty => pagerduty(client, cfg, ctx, timeout).await,
        IntegrationKind::Opsgenie => opsgenie(client, cfg, ctx, timeout).await,
        IntegrationKind::Slack => slack(client, cfg, ctx, timeout).await,
        IntegrationKind::Splunk if insecure(cfg) => match insecure_client() {
            Ok(c) => splunk(&c, cfg, ctx, timeout).await,
            Err(o) => Err(o),
        },
        IntegrationKind::Splunk => splunk(client, cfg, ctx, timeout).await,
        IntegrationKind::Http => http(client, cfg, ctx, timeout).await,
        IntegrationKind::Tcp => tcp(cfg, timeout).await,
        IntegrationKind::Command => command(cfg, timeout).await,
    };
    let mut outcome = result.unwrap_or_else(|o| o);
    if cfg.kind == IntegrationKind::Splunk
        && outcome.summary.ends_with("TLS failed")
        && !insecure(cfg)
    {
        outcome.hint.push_str(&format!(
            "; a development HEC only may be reached with {SPLUNK_INSECURE_ENV}=1"
        ));
    }
    outcome
}

/// The configured DSN's parts (public key, ingest host, project id): the
/// variable's value, a stand-in in mock mode, or why not.
pub fn sentry_dsn(
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
) -> Result<(String, String, String), ProbeOutcome> {
    let var = cfg.dsn_env.clone().unwrap_or_else(|| "SENTRY_DSN".into());
    let dsn = match (env(&var), ctx.mode) {
        (Some(d), _) => d,
        (None, Mode::Mock) => format!("https://{}@o1.ingest.sentry.io/1", "a".repeat(32)),
        (None, Mode::Real) => return Err(not_configured(&var)),
    };
    parse_dsn(&dsn, ctx.mode == Mode::Real).map_err(|why| {
        ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            format!("DSN malformed: {why}"),
            "copy the DSN again from Project → Settings → Client Keys",
            None,
        )
    })
}

/// The `X-Sentry-Auth` header for an ingest request.
pub fn sentry_auth(key: &str) -> String {
    format!(
        "Sentry sentry_version=7, sentry_key={key}, sentry_client=shiftdeck/{}",
        env!("CARGO_PKG_VERSION")
    )
}

/// A DSN's parts: public key, ingest host, project id.
pub fn parse_dsn(dsn: &str, strict_host: bool) -> Result<(String, String, String), String> {
    let rest = dsn
        .strip_prefix("https://")
        .or_else(|| dsn.strip_prefix("http://"))
        .ok_or("it must start with https://")?;
    let (key, rest) = rest.split_once('@').ok_or("no public key before @")?;
    let (host, pid) = rest.split_once('/').ok_or("no project id after the host")?;
    let pid = pid.trim_end_matches('/');
    if key.len() != 32 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err("the public key is not 32 hex characters".into());
    }
    if pid.is_empty() || !pid.chars().all(|c| c.is_ascii_digit()) {
        return Err("the project id is not a number".into());
    }
    if strict_host
        && ![
            "ingest.sentry.io",
            "ingest.us.sentry.io",
            "ingest.de.sentry.io",
        ]
        .iter()
        .any(|h| host.ends_with(h))
    {
        return Err(format!(
            "the host {host:?} is not a Sentry ingest host (…ingest.sentry.io, …ingest.us.sentry.io or …ingest.de.sentry.io)"
        ));
    }
    Ok((key.to_string(), host.to_string(), pid.to_string()))
}

mod checks;
mod local;

use checks::*;
use local::*;
