//! Verify: an explicit, confirmed action that sends one real test event to
//! an integration, labelled as a test, and cleans it up where the vendor
//! allows (vendor-apis.md §7). Each step is reported.

use super::probes::{ProbeContext, base, credential, env, eu, sentry_auth, sentry_dsn};
use super::setup::{IntegrationConfig, IntegrationKind, Mode};
use reqwest::Client;
use std::time::Duration;

pub type Steps = Vec<(String, Result<String, String>)>;

/// A credential, or what to set (verify reports it as a failed step).
fn cred(var: Option<&String>, default_var: &str, ctx: &ProbeContext) -> Result<String, String> {
    credential(var, default_var, ctx).map_err(|o| o.summary)
}

fn token() -> String {
    let mut b = [0u8; 8];
    let _ = getrandom::fill(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// POST (or GET) and describe the answer; `Err` when not 2xx.
async fn call(req: reqwest::RequestBuilder) -> Result<(u16, String), String> {
    let resp = req.send().await.map_err(super::describe)?;
    let status = resp.status().as_u16();
    let body = resp.text().await.unwrap_or_default();
    let said: String = body.trim().chars().take(120).collect();
    if (200..300).contains(&status) {
        Ok((status, body))
    } else {
        Err(format!("{status} {said}"))
    }
}

/// The clean-up step: what it means when the test event went, or that
/// nothing needs cleaning when it did not (never a tick for a failure).
fn clean_up(steps: &mut Steps, note: &str) {
    let sent = steps.iter().all(|(_, r)| r.is_ok());
    let text = if sent {
        note.to_string()
    } else {
        NOTHING_TO_CLEAN.to_string()
    };
    steps.push(("clean up".into(), Ok(text)));
}

/// A clean-up after a test event that was refused.
pub const NOTHING_TO_CLEAN: &str = "nothing to clean up: the test event was not accepted";

fn step(steps: &mut Steps, name: &str, r: Result<String, String>) -> bool {
    let ok = r.is_ok();
    steps.push((name.to_string(), r));
    ok
}

pub async fn verify(cfg: &IntegrationConfig, ctx: &ProbeContext) -> Steps {
    let mut steps = Vec::new();
    let client: Client = match super::http_client(Duration::from_secs(cfg.timeout.clamp(1, 60) * 2))
    {
        Ok(c) => c,
        Err(e) => {
            steps.push(("client".into(), Err(e)));
            return steps;
        }
    };
    let stamp = chrono::Utc::now().timestamp();
    match cfg.kind {
        IntegrationKind::Datadog => {
            let key = match cred(cfg.api_key_env.as_ref(), "DD_API_KEY", ctx) {
                Ok(k) => k,
                Err(e) => return vec![("credentials".into(), Err(e))],
            };
            let site = cfg
                .site
                .clone()
                .or_else(|| env("DD_SITE"))
                .unwrap_or_else(|| "datadoghq.com".into());
            let b = base(cfg, ctx, format!("https://api.{site}"));
            let body = serde_json::json!({"title": "[shiftdeck] verify", "text": "safe to ignore: a test from shiftdeck", "alert_type": "info", "tags": ["source:shiftdeck", "verify:true"]});
            let r = call(
                client
                    .post(format!("{b}/api/v1/events"))
                    .header("DD-API-KEY", key)
                    .header("content-type", "application/json")
                    .body(body.to_string()),
            )
            .await;
            step(
                &mut steps,
                "post a test event",
                r.map(|(s, _)| format!("{s} accepted")),
            );
            clean_up(
                &mut steps,
                "Datadog has no event delete: filter on the tag verify:true",
            );
        }
        IntegrationKind::Sentry => {
            let (key, host, pid) = match sentry_dsn(cfg, ctx) {
                Ok(x) => x,
                Err(o) => return vec![("DSN".into(), Err(o.summary))],
            };
            let ingest = base(cfg, ctx, format!("https://{host}"));
            let id: String = format!("{}{}", token(), token());
            let envelope = format!(
                "{}\n{}\n{}\n",
                serde_json::json!({"event_id": id, "dsn": "redacted"}),
                serde_json::json!({"type": "event"}),
                serde_json::json!({"event_id": id, "level": "info", "message": {"formatted": "shiftdeck verify"}, "platform": "other", "timestamp": stamp, "tags": {"shiftdeck_verify": "true"}})
            );
            let auth = sentry_auth(&key);
            let r = call(
                client
                    .post(format!("{ingest}/api/{pid}/envelope/"))
                    .header("X-Sentry-Auth", auth)
                    .header("content-type", "application/x-sentry-envelope")
                    .body(envelope),
            )
            .await;
            step(
                &mut steps,
                "send a test event",
                r.map(|(s, _)| format!("{s}, event {id}")),
            );
            clean_up(
                &mut steps,
                "resolve the issue tagged shiftdeck_verify in Sentry (deleting needs an admin token)",
            );
        }
        IntegrationKind::Pagerduty => {
            let key = match cred(cfg.routing_key_env.as_ref(), "PAGERDUTY_ROUTING_KEY", ctx) {
                Ok(k) => k,
                Err(e) => return vec![("credentials".into(), Err(e))],
            };
            let events = base(
                cfg,
                ctx,
                if eu(cfg) {
                    "https://events.eu.pagerduty.com".into()
                } else {
                    "https://events.pagerduty.com".into()
                },
            );
            let body = serde_json::json!({"routing_key": key, "payload": {"summary": "shiftdeck verify (a test: safe to ignore)", "source": "shiftdeck"}});
            let r = call(
                client
                    .post(format!("{events}/v2/change/enqueue"))
                    .header("content-type", "application/json")
                    .body(body.to_string()),
            )
            .await;
            step(
                &mut steps,
                "send a change event",
                r.map(|(s, _)| format!("{s} accepted (change events never page anyone)")),
            );
            clean_up(
                &mut steps,
                "nothing to clean: change events do not open incidents",
            );
        }
        IntegrationKind::Opsgenie => {
            let key = match cred(cfg.api_key_env.as_ref(), "OPSGENIE_API_KEY", ctx) {
                Ok(k) => k,
                Err(e) => return vec![("credentials".into(), Err(e))],
            };
            let b = base(
                cfg,
                ctx,
                if crate::integrations::opsgenie_eu_now(cfg.region.as_deref()) {
                    "https://api.eu.opsgenie.com".into()
                } else {
                    "https://api.opsgenie.com".into()
                },
            );
            let alias = format!("shiftdeck-verify-{}", token());
            let auth = format!("GenieKey {key}");
            let body = serde_json::json!({"message": "[shiftdeck] verify – safe to ignore", "alias": alias, "priority": "P5", "source": "shiftdeck", "tags": ["shiftdeck", "verify"]});
            let created = call(
                client
                    .post(format!("{b}/v2/alerts"))
                    .header("Authorization", &auth)
                    .header("content-type", "application/json")
                    .body(body.to_string()),
            )
            .await
            .map_err(|e| {
                if e.contains("422") {
                    format!("{e} — {}", crate::integrations::OPSGENIE_422)
                } else {
                    e
                }
            });
            let request_id = created
                .as_ref()
                .ok()
                .and_then(|(_, body)| serde_json::from_str::<serde_json::Value>(body).ok())
                .and_then(|v| v["requestId"].as_str().map(str::to_string));
            if !step(
                &mut steps,
                "create a P5 test alert",
                created.map(|(s, _)| format!("{s} accepted")),
            ) {
                return steps;
            }
            if let Some(rid) = request_id {
                let r = call(
                    client
                        .get(format!("{b}/v2/alerts/requests/{rid}"))
                        .header("Authorization", &auth),
                )
                .await
                .and_then(|(_, body)| {
                    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                    if v["data"]["isSuccess"] == true {
                        Ok(v["data"]["status"]
                            .as_str()
                            .unwrap_or("processed")
                            .to_string())
                    } else {
                        Err(format!("not processed: {}", v["data"]["status"]))
                    }
                });
                step(&mut steps, "follow the request up", r);
            }
            let close = serde_json::json!({"source": "shiftdeck", "note": "verify cleanup"});
            let r = call(
                client
                    .post(format!("{b}/v2/alerts/{alias}/close?identifierType=alias"))
                    .header("Authorization", &auth)
                    .header("content-type", "application/json")
                    .body(close.to_string()),
            )
            .await;
            step(
                &mut steps,
                "close the test alert",
                r.map(|(s, _)| format!("{s} accepted")),
            );
        }
        IntegrationKind::Slack => {
            let var = cfg
                .webhook_env
                .clone()
                .unwrap_or_else(|| "SLACK_WEBHOOK_URL".into());
            let url = match (&cfg.base_url, env(&var), ctx.mode) {
                (Some(b), _, _) => format!("{}/services/T000/B000/verify", b.trim_end_matches('/')),
                (None, Some(u), Mode::Real) => u,
                (None, _, Mode::Mock) => {
                    format!("{}/slack/services/T000/B000/verify", ctx.mock_base)
                }
                (None, None, Mode::Real) => {
                    return vec![(
                        "credentials".into(),
                        Err(format!("not configured: set {var}")),
                    )];
                }
            };
            let body = serde_json::json!({"text": ":white_check_mark: shiftdeck verify – a test, safe to ignore"});
            let r = call(
                client
                    .post(url)
                    .header("content-type", "application/json")
                    .body(body.to_string()),
            )
            .await;
            step(
                &mut steps,
                "post a test message",
                r.map(|(s, b)| format!("{s} {}", b.trim())),
            );
            clean_up(
                &mut steps,
                "an incoming webhook cannot delete its message: it says it is a test",
            );
        }
        IntegrationKind::Splunk => {
            let tok = match cred(cfg.token_env.as_ref(), "SPLUNK_HEC_TOKEN", ctx) {
                Ok(k) => k,
                Err(e) => return vec![("credentials".into(), Err(e))],
            };
            let url_var = cfg
                .url_env
                .clone()
                .unwrap_or_else(|| "SPLUNK_HEC_URL".into());
            let real = env(&url_var)
                .unwrap_or_default()
                .split("/services/collector")
                .next()
                .unwrap_or("")
                .to_string();
            let b = base(cfg, ctx, real);
            let body = serde_json::json!({"event": {"message": "shiftdeck verify", "verify": true}, "sourcetype": "oncall:verify", "time": stamp});
            let r = call(
                client
                    .post(format!("{b}/services/collector/event"))
                    .header("Authorization", format!("Splunk {tok}"))
                    .body(body.to_string()),
            )
            .await;
            step(
                &mut steps,
                "index a test event",
                r.map(|(s, b)| format!("{s} {}", b.trim())),
            );
            clean_up(
                &mut steps,
                "searches can exclude verify=true (deleting needs can_delete)",
            );
        }
        IntegrationKind::Http | IntegrationKind::Tcp | IntegrationKind::Command => {
            let o = super::probes::probe(&client, cfg, ctx).await;
            let r = if o.status == crate::domain::health::HealthStatus::Up {
                Ok(o.summary)
            } else {
                Err(format!("{} — {}", o.summary, o.hint))
            };
            steps.push(("check once more".into(), r));
        }
    }
    steps
}
