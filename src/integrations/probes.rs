//! The side-effect-free checks the Health pane polls (vendor-apis.md):
//! each vendor's SAFE check, or its PROBE check at a slow cadence where no
//! SAFE one exists. Every answer is classified into a status and a hint in
//! the operator's words. No URL, key or token is ever part of an outcome.

use super::setup::{IntegrationConfig, IntegrationKind, Mode};
use crate::domain::health::{FailureClass, HealthStatus, ProbeOutcome};
use reqwest::{Client, RequestBuilder};
use std::time::{Duration, Instant};

/// Where the local stand-ins answer when `mode = "mock"` has no base_url.
pub const DEFAULT_MOCK_BASE: &str = "http://127.0.0.1:8765";

/// What a probe needs besides the config.
#[derive(Debug, Clone)]
pub struct ProbeContext {
    pub mode: Mode,
    /// Base URL of the mock endpoints (no trailing slash).
    pub mock_base: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn not_configured(var: &str) -> ProbeOutcome {
    ProbeOutcome::failed(
        HealthStatus::Unknown,
        FailureClass::NotConfigured,
        format!("not configured: set {var}"),
        format!("export {var}=… in the environment shiftdeck runs in (never in shiftdeck.toml)"),
        None,
    )
}

/// A credential from its variable; the mocks accept any.
fn credential(
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
fn base(cfg: &IntegrationConfig, ctx: &ProbeContext, real: String) -> String {
    let b = match (&cfg.base_url, ctx.mode) {
        (Some(b), _) => b.clone(),
        (None, Mode::Mock) => format!("{}/{}", ctx.mock_base, cfg.kind.as_str()),
        (None, Mode::Real) => real,
    };
    b.trim_end_matches('/').to_string()
}

fn eu(cfg: &IntegrationConfig) -> bool {
    cfg.region
        .as_deref()
        .is_some_and(|r| r.eq_ignore_ascii_case("eu"))
}

struct Answer {
    status: u16,
    body: String,
    headers: reqwest::header::HeaderMap,
    ms: u64,
}

impl Answer {
    /// The status and what the body says, read the way the vendor wrote it
    /// (`text`, `message`, `detail`, `error.message`, `errors[0]`), else raw.
    fn said(&self) -> String {
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

    fn header_secs(&self, names: &[&str]) -> Option<u64> {
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

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Send and read the answer, or classify the transport failure.
async fn send(req: RequestBuilder, timeout: Duration, what: &str) -> Result<Answer, ProbeOutcome> {
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

fn timed_out(timeout: Duration, what: &str) -> ProbeOutcome {
    ProbeOutcome::failed(
        HealthStatus::Degraded,
        FailureClass::Transient,
        format!("{what}: no answer within {} s", timeout.as_secs_f64()),
        "the endpoint hangs, or a firewall drops the packets: retry, then check the network path",
        None,
    )
}

fn transport(e: reqwest::Error, timeout: Duration, what: &str) -> ProbeOutcome {
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
fn classify(a: &Answer, what: &str, auth_hint: &str) -> ProbeOutcome {
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
pub async fn probe(client: &Client, cfg: &IntegrationConfig, ctx: &ProbeContext) -> ProbeOutcome {
    let timeout = Duration::from_secs(cfg.timeout.clamp(1, 120));
    let result = match cfg.kind {
        IntegrationKind::Datadog => datadog(client, cfg, ctx, timeout).await,
        IntegrationKind::Sentry => sentry(client, cfg, ctx, timeout).await,
        IntegrationKind::Pagerduty => pagerduty(client, cfg, ctx, timeout).await,
        IntegrationKind::Opsgenie => opsgenie(client, cfg, ctx, timeout).await,
        IntegrationKind::Slack => slack(client, cfg, ctx, timeout).await,
        IntegrationKind::Splunk => splunk(client, cfg, ctx, timeout).await,
        IntegrationKind::Http => http(client, cfg, ctx, timeout).await,
        IntegrationKind::Tcp => tcp(cfg, timeout).await,
        IntegrationKind::Command => command(cfg, timeout).await,
    };
    result.unwrap_or_else(|o| o)
}

async fn datadog(
    client: &Client,
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let key = credential(cfg.api_key_env.as_ref(), "DD_API_KEY", ctx)?;
    let site = cfg
        .site
        .clone()
        .or_else(|| env("DD_SITE"))
        .unwrap_or_else(|| "datadoghq.com".into());
    let base = base(cfg, ctx, format!("https://api.{site}"));
    let a = send(
        client
            .get(format!("{base}/api/v1/validate"))
            .header("DD-API-KEY", key),
        t,
        "validate",
    )
    .await?;
    Ok(match a.status {
        200 if a.json()["valid"] == true => ProbeOutcome::up("API key valid", a.ms),
        403 => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            format!("403 Forbidden on {site}"),
            format!(
                "Datadog rejected the API key on {site}: the key was revoked, or DD_SITE is wrong (read your Datadog URL: app.datadoghq.eu → DD_SITE=datadoghq.eu)"
            ),
            Some(a.ms),
        ),
        _ => classify(&a, "validate", "Datadog rejected the API key"),
    })
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

async fn sentry(
    client: &Client,
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let dsn_var = cfg.dsn_env.clone().unwrap_or_else(|| "SENTRY_DSN".into());
    let dsn = match (env(&dsn_var), ctx.mode) {
        (Some(d), _) => d,
        (None, Mode::Mock) => format!("https://{}@o1.ingest.sentry.io/1", "a".repeat(32)),
        (None, Mode::Real) => return Err(not_configured(&dsn_var)),
    };
    let (key, host, pid) = parse_dsn(&dsn, ctx.mode == Mode::Real).map_err(|why| {
        ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            format!("DSN malformed: {why}"),
            "copy the DSN again from Project → Settings → Client Keys",
            None,
        )
    })?;
    let token = cfg.token_env.as_deref().and_then(env).or_else(|| {
        (ctx.mode == Mode::Mock && cfg.token_env.is_some()).then(|| "mock-credential".into())
    });
    if let (Some(token), Some(org), Some(project)) = (token, &cfg.org, &cfg.project) {
        let api = base(
            cfg,
            ctx,
            if eu(cfg) {
                "https://de.sentry.io".into()
            } else {
                "https://sentry.io".into()
            },
        );
        let a = send(
            client
                .get(format!("{api}/api/0/projects/{org}/{project}/keys/"))
                .bearer_auth(token),
            t,
            "project keys",
        )
        .await?;
        return Ok(match a.status {
            200 => match a
                .json()
                .as_array()
                .and_then(|keys| keys.iter().find(|k| k["public"] == key.as_str()).cloned())
            {
                Some(k) if k["isActive"] == true => ProbeOutcome::up("DSN key active", a.ms),
                Some(_) => ProbeOutcome::failed(
                    HealthStatus::Down,
                    FailureClass::Config,
                    "DSN key disabled",
                    "the DSN key is disabled in Sentry: enable it, or issue a new DSN",
                    Some(a.ms),
                ),
                None => ProbeOutcome::failed(
                    HealthStatus::Down,
                    FailureClass::Config,
                    "DSN key not in the project",
                    "the DSN key was deleted or rotated in Sentry: copy the current DSN",
                    Some(a.ms),
                ),
            },
            401 => ProbeOutcome::failed(
                HealthStatus::Down,
                FailureClass::Config,
                a.said(),
                "the Sentry auth token is invalid or revoked",
                Some(a.ms),
            ),
            403 => ProbeOutcome::failed(
                HealthStatus::Down,
                FailureClass::Config,
                a.said(),
                "the token is valid but lacks a scope: it needs project:read",
                Some(a.ms),
            ),
            404 => ProbeOutcome::failed(
                HealthStatus::Down,
                FailureClass::Config,
                a.said(),
                "wrong org or project slug, or an EU org asked on sentry.io (set region = \"eu\")",
                Some(a.ms),
            ),
            _ => classify(&a, "project keys", "the Sentry auth token was refused"),
        });
    }
    // No token: the ingest host answers an empty envelope without storing anything.
    let ingest = base(cfg, ctx, format!("https://{host}"));
    let auth = format!(
        "Sentry sentry_version=7, sentry_key={key}, sentry_client=shiftdeck/{}",
        env!("CARGO_PKG_VERSION")
    );
    let a = send(
        client
            .post(format!("{ingest}/api/{pid}/envelope/"))
            .header("X-Sentry-Auth", auth),
        t,
        "ingest",
    )
    .await?;
    let detail = a.json()["detail"].as_str().unwrap_or("").to_string();
    Ok(match a.status {
        400 if detail.contains("empty request body") => ProbeOutcome {
            status: HealthStatus::Degraded,
            class: FailureClass::Partial,
            summary: "ingest reachable; the key is not proven".into(),
            hint: "add token_env (a token with project:read), org and project for a full check"
                .into(),
            latency_ms: Some(a.ms),
            retry_after: None,
        },
        400 if detail.contains("bad sentry DSN public key") => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "the DSN's public key is malformed",
            Some(a.ms),
        ),
        401 => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "US-vs-EU region mismatch, or the auth header was not accepted: check the DSN host (…ingest.us.sentry.io vs …ingest.de.sentry.io)",
            Some(a.ms),
        ),
        403 if detail.contains("ProjectId") => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "an EU org: use the o<N>.ingest.de.sentry.io DSN host",
            Some(a.ms),
        ),
        _ => classify(&a, "ingest", "Sentry refused the DSN"),
    })
}

async fn pagerduty(
    client: &Client,
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let token_var = cfg
        .token_env
        .clone()
        .unwrap_or_else(|| "PAGERDUTY_TOKEN".into());
    let token = env(&token_var).or_else(|| {
        (ctx.mode == Mode::Mock && cfg.routing_key_env.is_none()).then(|| "mock-credential".into())
    });
    if let Some(token) = token {
        let rest = base(
            cfg,
            ctx,
            if eu(cfg) {
                "https://api.eu.pagerduty.com".into()
            } else {
                "https://api.pagerduty.com".into()
            },
        );
        let a = send(
            client
                .get(format!(
                    "{rest}/incidents?limit=1&statuses[]=triggered&date_range=all"
                ))
                .header("Authorization", format!("Token token={token}"))
                .header("Accept", "application/vnd.pagerduty+json;version=2"),
            t,
            "incidents",
        )
        .await?;
        return Ok(match a.status {
            200 => ProbeOutcome::up("REST token reads incidents", a.ms),
            401 => ProbeOutcome::failed(
                HealthStatus::Down,
                FailureClass::Config,
                a.said(),
                "the REST token is invalid or revoked, or an EU account was asked on api.pagerduty.com (set region = \"eu\")",
                Some(a.ms),
            ),
            402 => ProbeOutcome::failed(
                HealthStatus::Down,
                FailureClass::Config,
                a.said(),
                "the account lacks this ability (its plan)",
                Some(a.ms),
            ),
            403 => ProbeOutcome::failed(
                HealthStatus::Down,
                FailureClass::Config,
                a.said(),
                "the token lacks permission: a scoped OAuth token needs incidents.read",
                Some(a.ms),
            ),
            _ => classify(&a, "incidents", "PagerDuty refused the token"),
        });
    }
    let key_var = cfg
        .routing_key_env
        .clone()
        .unwrap_or_else(|| "PAGERDUTY_ROUTING_KEY".into());
    let key = match (env(&key_var), ctx.mode) {
        (Some(k), _) => k,
        (None, Mode::Mock) => "R".repeat(32),
        (None, Mode::Real) => {
            return Err(not_configured(&format!(
                "{token_var} (REST) or {key_var} (Events v2)"
            )));
        }
    };
    if key.len() == 20 {
        return Err(ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            "routing key has 20 characters",
            "that looks like a REST API key, not an Events v2 integration key (32 characters: Service → Integrations → Events API v2)",
            None,
        ));
    }
    if key.len() != 32 || !key.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            "routing key malformed",
            "an Events v2 integration key is 32 letters and digits",
            None,
        ));
    }
    let events = base(
        cfg,
        ctx,
        if eu(cfg) {
            "https://events.eu.pagerduty.com".into()
        } else {
            "https://events.pagerduty.com".into()
        },
    );
    let mut rand = [0u8; 6];
    let _ = getrandom::fill(&mut rand);
    let dedup: String = rand.iter().map(|b| format!("{b:02x}")).collect();
    let body = serde_json::json!({ "routing_key": key, "event_action": "resolve", "dedup_key": format!("shiftdeck-probe-{dedup}") });
    let a = send(
        client
            .post(format!("{events}/v2/enqueue"))
            .header("content-type", "application/json")
            .body(body.to_string()),
        t,
        "events",
    )
    .await?;
    Ok(match a.status {
        202 => ProbeOutcome {
            status: HealthStatus::Degraded,
            class: FailureClass::Partial,
            summary: "routing key accepted (not proven)".into(),
            hint: "the Events API accepts any well-formed key: add token_env (a REST token) for a full check".into(),
            latency_ms: Some(a.ms),
            retry_after: None,
        },
        400 => ProbeOutcome::failed(HealthStatus::Down, FailureClass::Config, a.said(), "the routing key was rejected: copy the Integration Key from Service → Integrations → Events API v2", Some(a.ms)),
        _ => classify(&a, "events", "PagerDuty refused the routing key"),
    })
}

async fn opsgenie(
    client: &Client,
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let key = credential(cfg.api_key_env.as_ref(), "OPSGENIE_API_KEY", ctx)?;
    let base = base(
        cfg,
        ctx,
        if eu(cfg) {
            "https://api.eu.opsgenie.com".into()
        } else {
            "https://api.opsgenie.com".into()
        },
    );
    let a = send(
        client
            .get(format!("{base}/v2/alerts/count?query=status:open"))
            .header("Authorization", format!("GenieKey {key}")),
        t,
        "alerts",
    )
    .await?;
    let code = a.json()["code"].as_i64();
    Ok(match a.status {
        200 => {
            let n = a.json()["data"]["count"]
                .as_i64()
                .map(|n| format!(", {n} open alerts"))
                .unwrap_or_default();
            let mut o = ProbeOutcome::up(format!("key reads alerts{n}"), a.ms);
            o.hint =
                "Opsgenie support ends 2027-04-05: plan the move to Jira Service Management".into();
            o
        }
        401 => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "key invalid, integration disabled, or an EU account asked on api.opsgenie.com (set region = \"eu\")",
            Some(a.ms),
        ),
        402 => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "the plan does not allow this",
            Some(a.ms),
        ),
        403 if code == Some(40301) => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "wrong key type: use the key of an API integration (Teams → Integrations → API)",
            Some(a.ms),
        ),
        _ => classify(&a, "alerts", "Opsgenie refused the key"),
    })
}

async fn slack(
    client: &Client,
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let var = cfg
        .webhook_env
        .clone()
        .unwrap_or_else(|| "SLACK_WEBHOOK_URL".into());
    let url = match (&cfg.base_url, env(&var), ctx.mode) {
        (Some(b), _, _) => format!("{}/services/T000/B000/probe", b.trim_end_matches('/')),
        (None, Some(u), Mode::Real) => u,
        (None, _, Mode::Mock) => format!("{}/slack/services/T000/B000/probe", ctx.mock_base),
        (None, None, Mode::Real) => return Err(not_configured(&var)),
    };
    // Invalid JSON can never be posted: a live webhook says invalid_payload.
    let a = send(
        client
            .post(url)
            .header("content-type", "application/json")
            .body("intentionally malformed JSON from shiftdeck {"),
        t,
        "webhook",
    )
    .await?;
    let said = a.body.trim().to_string();
    Ok(match (a.status, said.as_str()) {
        (400, "invalid_payload") => ProbeOutcome::up("webhook live (400 invalid_payload)", a.ms),
        (404, _) => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "the webhook was removed, its app uninstalled or its token revoked: issue a new webhook in Slack",
            Some(a.ms),
        ),
        (403, s) if s.contains("action_prohibited") => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "a workspace admin restricts this webhook",
            Some(a.ms),
        ),
        (403, _) | (400, "invalid_token") => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "the webhook was rotated or revoked, or its workspace or channel is gone: issue a new one",
            Some(a.ms),
        ),
        (410, _) => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "the channel is archived",
            Some(a.ms),
        ),
        _ => classify(&a, "webhook", "Slack refused the webhook"),
    })
}

async fn splunk(
    client: &Client,
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let token = credential(cfg.token_env.as_ref(), "SPLUNK_HEC_TOKEN", ctx)?;
    let url_var = cfg
        .url_env
        .clone()
        .unwrap_or_else(|| "SPLUNK_HEC_URL".into());
    let real = match (env(&url_var), ctx.mode, &cfg.base_url) {
        (Some(u), _, _) => u,
        (None, Mode::Real, None) => return Err(not_configured(&url_var)),
        _ => String::new(),
    };
    let real = real
        .split("/services/collector")
        .next()
        .unwrap_or("")
        .to_string();
    let base = base(cfg, ctx, real);
    let h = send(
        client.get(format!("{base}/services/collector/health")),
        t,
        "health",
    )
    .await?;
    if h.status == 503 {
        let hint = match h.json()["code"].as_i64() {
            Some(18) => "HEC is unhealthy: its queues are full (the indexers are backed up)",
            Some(19) | Some(20) => "HEC's acknowledgement service is unavailable",
            _ => "HEC says it is unhealthy",
        };
        return Ok(ProbeOutcome::failed(
            HealthStatus::Degraded,
            FailureClass::Transient,
            h.said(),
            hint,
            Some(h.ms),
        ));
    }
    // Any other answer from health (some versions check the token there
    // too): the event check below says what is wrong, in its words.
    // An empty event: the token is checked before the (missing) body; nothing is indexed.
    let a = send(
        client
            .post(format!("{base}/services/collector/event"))
            .header("Authorization", format!("Splunk {token}"))
            .header("content-length", "0"),
        t,
        "event",
    )
    .await?;
    let code = a.json()["code"].as_i64();
    let ms = h.ms + a.ms;
    Ok(match (a.status, code) {
        (400, Some(5)) => ProbeOutcome::up("collector healthy, token accepted", ms),
        (400, Some(10)) => ProbeOutcome::up(
            "collector healthy, token accepted (indexer acknowledgement on)",
            ms,
        ),
        (403, Some(4)) => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "unknown token: a wrong stack or host, or a token from another Splunk",
            Some(ms),
        ),
        (403, Some(1)) => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "the token is disabled in Splunk: re-enable it (Settings → Data Inputs → HTTP Event Collector), and check its allowed indexes",
            Some(ms),
        ),
        (401, Some(2)) => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "Splunk wants a token: set the token variable",
            Some(ms),
        ),
        (401, Some(3)) => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            "the header must be `Authorization: Splunk <token>`",
            Some(ms),
        ),
        (503, Some(9)) => ProbeOutcome::failed(
            HealthStatus::Degraded,
            FailureClass::Transient,
            a.said(),
            "the server is busy",
            Some(ms),
        ),
        _ => classify(&a, "event", "Splunk refused the token"),
    })
}

async fn http(
    client: &Client,
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let url = match (&cfg.url, ctx.mode) {
        (Some(u), _) => u.clone(),
        (None, Mode::Mock) => format!("{}/http/healthz", ctx.mock_base),
        (None, Mode::Real) => return Err(not_configured("url")),
    };
    let a = send(client.get(url), t, "GET").await?;
    let ok = match cfg.expect_status {
        Some(s) => a.status == s,
        None => (200..300).contains(&a.status),
    };
    Ok(if ok {
        ProbeOutcome::up(format!("answered {}", a.status), a.ms)
    } else {
        classify(&a, "GET", "the endpoint refused the request")
    })
}

async fn tcp(cfg: &IntegrationConfig, t: Duration) -> Result<ProbeOutcome, ProbeOutcome> {
    let Some(addr) = &cfg.address else {
        return Err(not_configured("address"));
    };
    let started = Instant::now();
    match tokio::time::timeout(t, tokio::net::TcpStream::connect(addr.as_str())).await {
        Ok(Ok(_)) => Ok(ProbeOutcome::up(
            format!("connected to {addr}"),
            started.elapsed().as_millis() as u64,
        )),
        Ok(Err(e)) => {
            let dns =
                e.to_string().contains("lookup") || e.kind() == std::io::ErrorKind::InvalidInput;
            let hint = if dns {
                "the host name does not resolve: a typo, or DNS blocks it"
            } else {
                "nothing accepts connections there: is the service up, is a firewall in the way?"
            };
            Err(ProbeOutcome::failed(
                HealthStatus::Degraded,
                FailureClass::Transient,
                format!("connect: {e}"),
                hint,
                None,
            ))
        }
        Err(_) => Err(timed_out(t, "connect")),
    }
}

async fn command(cfg: &IntegrationConfig, t: Duration) -> Result<ProbeOutcome, ProbeOutcome> {
    let Some(cmd) = cfg.command.clone() else {
        return Err(not_configured("command"));
    };
    let outcome = tokio::task::spawn_blocking(move || {
        super::command::run(&cmd, std::path::Path::new("."), t)
    })
    .await
    .map_err(|e| {
        ProbeOutcome::failed(
            HealthStatus::Unknown,
            FailureClass::Transient,
            format!("could not run: {e}"),
            "",
            None,
        )
    })?
    .map_err(|e| {
        ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            format!("could not start: {e}"),
            "check the command",
            None,
        )
    })?;
    let last = outcome
        .output
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .chars()
        .take(80)
        .collect::<String>();
    let ms = outcome.duration.as_millis() as u64;
    Ok(if outcome.passed() {
        ProbeOutcome::up(format!("exit 0 {last}").trim().to_string(), ms)
    } else if outcome.timed_out {
        timed_out(t, "command")
    } else {
        ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            format!("{}: {last}", outcome.summary()),
            "the command's own check failed: see its output",
            Some(ms),
        )
    })
}
