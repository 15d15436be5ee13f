//! Each kind's check: the vendor's side-effect-free request and how to
//! read its answer (vendor-apis.md).

use super::*;

pub(super) async fn datadog(
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
            .header("DD-API-KEY", key.as_str()),
        t,
        "validate",
    )
    .await?;
    Ok(match a.status {
        200 if a.json()["valid"] == true => match app_key(cfg, ctx)? {
            None => ProbeOutcome::up("API key valid", a.ms),
            Some(app) => datadog_app_key(client, &base, &site, &key, &app, t).await?,
        },
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

/// The APP key to check, when one is configured: `app_key_env` (which must
/// then be set) or `DD_APP_KEY` when it is set.
fn app_key(cfg: &IntegrationConfig, ctx: &ProbeContext) -> Result<Option<String>, ProbeOutcome> {
    match &cfg.app_key_env {
        Some(var) => credential(Some(var), "DD_APP_KEY", ctx).map(Some),
        None => Ok(env("DD_APP_KEY")),
    }
}

/// `v1/validate` ignores the APP key (vendor-apis.md §1), so the pair is
/// checked on `v2/validate_keys`.
async fn datadog_app_key(
    client: &Client,
    base: &str,
    site: &str,
    key: &str,
    app: &str,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let a = send(
        client
            .get(format!("{base}/api/v2/validate_keys"))
            .header("DD-API-KEY", key)
            .header("DD-APPLICATION-KEY", app),
        t,
        "validate_keys",
    )
    .await?;
    Ok(match a.status {
        200 => ProbeOutcome::up("API and APP keys valid", a.ms),
        401 | 403 => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            format!("APP key refused ({}) on {site}", a.status),
            "Datadog accepted the API key but not the APP key: DD_APP_KEY was revoked or belongs to another org (Organization Settings → Application Keys)".to_string(),
            Some(a.ms),
        ),
        _ => classify(&a, "validate_keys", "Datadog rejected the APP key"),
    })
}

pub(super) async fn sentry(
    client: &Client,
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let (key, host, pid) = sentry_dsn(cfg, ctx)?;
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
    let auth = sentry_auth(&key);
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
        // The stand-in accepts any key: its answer proves the wiring, which
        // is all mock mode is for (seed 002: all six PASS against the mocks).
        400 if detail.contains("empty request body") && ctx.mode == Mode::Mock => {
            ProbeOutcome::up("the stand-in's ingest answered (mock mode)", a.ms)
        }
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

pub(super) async fn pagerduty(
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
        202 if ctx.mode == Mode::Mock => {
            ProbeOutcome::up("the stand-in accepted the event (mock mode)", a.ms)
        }
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

pub(super) async fn opsgenie(
    client: &Client,
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let key = credential(cfg.api_key_env.as_ref(), "OPSGENIE_API_KEY", ctx)?;
    let base = base(
        cfg,
        ctx,
        if crate::integrations::opsgenie_eu_now(cfg.region.as_deref()) {
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
            o.hint = super::OPSGENIE_EOL.into();
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
        422 => ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            a.said(),
            crate::integrations::OPSGENIE_422,
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

pub(super) async fn slack(
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

pub(super) async fn splunk(
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
