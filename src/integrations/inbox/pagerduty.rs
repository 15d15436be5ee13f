//! PagerDuty REST v2: open incidents, one incident, acknowledge / resolve
//! (`PUT /incidents/{id}` with `From`), notes.

use super::{Listing, SourceClient, VendorError, seg, texts, time};
use crate::domain::outbox::{Queued, RemoteAction};
use crate::domain::remote::{RemoteIncident, Vendor, pagerduty_severity, pagerduty_status};
use serde_json::{Value, json};
use std::time::Instant;

/// Largest page PagerDuty serves.
const PAGE: usize = 100;
/// `offset + limit` may not pass this (the API answers 400).
const OFFSET_CAP: usize = 10_000;

pub(super) fn request(
    c: &SourceClient,
    method: reqwest::Method,
    path: &str,
) -> Result<reqwest::RequestBuilder, VendorError> {
    let key = c.key()?;
    Ok(c.http
        .request(method, format!("{}{path}", c.base))
        .header("Authorization", format!("Token token={key}"))
        .header("Accept", "application/vnd.pagerduty+json;version=2"))
}

/// A write needs `From`: the configured email, required.
fn from(c: &SourceClient) -> Result<&str, VendorError> {
    match c.cfg.from.as_deref().map(str::trim) {
        Some(f) if !f.is_empty() => Ok(f),
        _ => Err(VendorError {
            kind: super::ErrorKind::Auth,
            code: Some(2011),
            outcome: crate::domain::health::ProbeOutcome::failed(
                crate::domain::health::HealthStatus::Down,
                crate::domain::health::FailureClass::Config,
                "PagerDuty needs a From email to act",
                "set from = \"<email of a PagerDuty user>\" in [[incident_sources]]",
                None,
            ),
        }),
    }
}

pub(super) async fn list(c: &SourceClient) -> Result<Listing, VendorError> {
    let started = Instant::now();
    let mut out = Listing::default();
    let mut offset = 0;
    loop {
        if offset + PAGE > OFFSET_CAP {
            out.truncated = true;
            break;
        }
        let mut query: Vec<(&str, String)> = vec![
            ("statuses[]", "triggered".into()),
            ("statuses[]", "acknowledged".into()),
            ("date_range", "all".into()),
            ("sort_by", "created_at:desc".into()),
            ("limit", PAGE.to_string()),
            ("offset", offset.to_string()),
        ];
        query.extend(
            c.cfg
                .service_ids
                .iter()
                .map(|s| ("service_ids[]", s.clone())),
        );
        query.extend(c.cfg.team_ids.iter().map(|s| ("team_ids[]", s.clone())));
        query.extend(c.cfg.urgencies.iter().map(|s| ("urgencies[]", s.clone())));
        let a = c
            .call(request(c, reqwest::Method::GET, "/incidents")?.query(&query))
            .await?;
        out.pages += 1;
        if a.status != 200 {
            return Err(c.error(&a));
        }
        let body = a.json();
        let Some(page) = body["incidents"].as_array() else {
            return Err(c.error_unexpected(&a, "no incidents array"));
        };
        for v in page {
            if let Some(inc) = incident(c, v) {
                out.incidents.push(inc);
            }
        }
        if !body["more"].as_bool().unwrap_or(false) || page.is_empty() {
            break;
        }
        offset += page.len();
    }
    // Incidents can move between pages while paging: keep each once.
    let mut seen = std::collections::HashSet::new();
    out.incidents.retain(|i| seen.insert(i.remote_id.clone()));
    out.latency_ms = started.elapsed().as_millis() as u64;
    Ok(out)
}

pub(super) async fn get(c: &SourceClient, id: &str) -> Result<RemoteIncident, VendorError> {
    let a = c
        .call(request(
            c,
            reqwest::Method::GET,
            &format!("/incidents/{}", seg(id)),
        )?)
        .await?;
    if a.status != 200 {
        return Err(c.error(&a));
    }
    incident(c, &a.json()["incident"]).ok_or_else(|| c.error_unexpected(&a, "no incident"))
}

pub(super) async fn send(c: &SourceClient, q: &Queued) -> Result<super::Sent, VendorError> {
    let from = from(c)?;
    let id = seg(&q.remote_id);
    let put = |incident: Value| {
        let mut body = json!({"type": "incident_reference"});
        if let (Some(b), Some(more)) = (body.as_object_mut(), incident.as_object()) {
            b.extend(more.clone());
        }
        (
            reqwest::Method::PUT,
            format!("/incidents/{id}"),
            json!({"incident": body}),
        )
    };
    let (method, path, body) = match q.action {
        RemoteAction::Acknowledge => put(json!({"status": "acknowledged"})),
        RemoteAction::Resolve => put(json!({"status": "resolved"})),
        RemoteAction::Note => (
            reqwest::Method::POST,
            format!("/incidents/{id}/notes"),
            json!({"note": {"content": q.note_text()}}),
        ),
        RemoteAction::Snooze => {
            let secs = q
                .until
                .map(|u| (u - chrono::Utc::now()).num_seconds())
                .unwrap_or(0)
                .clamp(60, 604_800);
            (
                reqwest::Method::POST,
                format!("/incidents/{id}/snooze"),
                json!({"duration": secs}),
            )
        }
        RemoteAction::Reassign => match find_target(c, &q.target).await? {
            (tid, "user_reference") => put(json!({
                "assignments": [{"assignee": {"id": tid, "type": "user_reference"}}]
            })),
            (tid, kind) => put(json!({"escalation_policy": {"id": tid, "type": kind}})),
        },
        RemoteAction::Escalate => {
            let level = match q.target.trim().parse::<u64>() {
                Ok(l) if l >= 1 => l,
                _ => {
                    let a = c
                        .call(request(
                            c,
                            reqwest::Method::GET,
                            &format!("/incidents/{id}"),
                        )?)
                        .await?;
                    if a.status != 200 {
                        return Err(c.error(&a));
                    }
                    a.json()["incident"]["escalation_level"]
                        .as_u64()
                        .unwrap_or(1)
                        + 1
                }
            };
            put(json!({"escalation_level": level}))
        }
        RemoteAction::AddResponder => {
            let (requester, _) = find_target(c, from).await?;
            let (tid, kind) = find_target(c, &q.target).await?;
            let message = if q.message.trim().is_empty() {
                format!("{} asks you to join: {}", q.by, q.title)
            } else {
                q.message.trim().to_string()
            };
            (
                reqwest::Method::POST,
                format!("/incidents/{id}/responder_requests"),
                json!({
                    "requester_id": requester,
                    "message": message,
                    "responder_request_targets": [
                        {"responder_request_target": {"id": tid, "type": kind}}
                    ],
                }),
            )
        }
        RemoteAction::Unacknowledge | RemoteAction::Silence | RemoteAction::Expire => {
            return Err(super::refused(
                c,
                &Vendor::Pagerduty.offers(q.action).err().unwrap_or_default(),
            ));
        }
    };
    let a = c
        .call(request(c, method, &path)?.header("From", from).json(&body))
        .await?;
    if (200..300).contains(&a.status) {
        Ok(super::Sent::Done)
    } else {
        Err(c.error(&a))
    }
}

/// A user (by email, name or id) or else an escalation policy (by name or
/// id) on the account: its id and reference type.
async fn find_target(c: &SourceClient, who: &str) -> Result<(String, &'static str), VendorError> {
    let who = who.trim();
    for (path, list, kind) in [
        ("/users", "users", "user_reference"),
        (
            "/escalation_policies",
            "escalation_policies",
            "escalation_policy_reference",
        ),
    ] {
        let a = c
            .call(
                request(c, reqwest::Method::GET, path)?.query(&[("query", who), ("limit", "100")]),
            )
            .await?;
        if a.status != 200 {
            return Err(c.error(&a));
        }
        let body = a.json();
        let hit = body[list].as_array().and_then(|items| {
            items.iter().find(|v| {
                v["id"].as_str() == Some(who)
                    || v["email"]
                        .as_str()
                        .is_some_and(|e| e.eq_ignore_ascii_case(who))
                    || v["name"]
                        .as_str()
                        .is_some_and(|n| n.eq_ignore_ascii_case(who))
            })
        });
        if let Some(id) = hit.and_then(|v| v["id"].as_str()) {
            return Ok((id.to_string(), kind));
        }
    }
    Err(super::refused(
        c,
        &format!("PagerDuty has no user or escalation policy {who:?} (an email, a name or an id)"),
    ))
}

pub(super) async fn notes(c: &SourceClient, id: &str) -> Result<Vec<String>, VendorError> {
    let a = c
        .call(request(
            c,
            reqwest::Method::GET,
            &format!("/incidents/{}/notes", seg(id)),
        )?)
        .await?;
    if a.status != 200 {
        return Err(c.error(&a));
    }
    Ok(texts(&a.json()["notes"], "content"))
}

fn summary(v: &Value) -> String {
    v["summary"].as_str().unwrap_or_default().to_string()
}

/// One incident object, normalised; `None` when it lacks an id or a time.
pub(super) fn incident(c: &SourceClient, v: &Value) -> Option<RemoteIncident> {
    let remote_id = v["id"].as_str()?.to_string();
    let created_at = time(&v["created_at"])?;
    let number = match &v["incident_number"] {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => remote_id.clone(),
    };
    let status = pagerduty_status(v["status"].as_str().unwrap_or("triggered"));
    let urgency = v["urgency"].as_str().unwrap_or("high");
    let priority = v["priority"]["summary"].as_str();
    let vendor_priority = match priority {
        Some(p) => format!("{p}, {urgency} urgency"),
        None => format!("{urgency} urgency"),
    };
    let acknowledged = v["acknowledgements"]
        .as_array()
        .and_then(|a| a.first())
        .and_then(|a| Some((time(&a["at"])?, summary(&a["acknowledger"]))))
        .or_else(|| {
            (status != crate::domain::IncidentStatus::Open)
                .then(|| {
                    Some((
                        time(&v["last_status_change_at"])?,
                        summary(&v["last_status_change_by"]),
                    ))
                })
                .flatten()
        });
    let resolved = (status == crate::domain::IncidentStatus::Resolved)
        .then(|| {
            Some((
                time(&v["last_status_change_at"]).or(time(&v["resolved_at"]))?,
                summary(&v["last_status_change_by"]),
            ))
        })
        .flatten();
    let title = v["title"]
        .as_str()
        .or(v["summary"].as_str())
        .unwrap_or("(no title)")
        .to_string();
    Some(RemoteIncident {
        source: c.cfg.name.clone(),
        vendor: Vendor::Pagerduty,
        id: format!("{}-{number}", c.cfg.prefix()),
        number,
        remote_id,
        title,
        service: summary(&v["service"]),
        severity: pagerduty_severity(priority, urgency),
        vendor_priority,
        status,
        updated_at: time(&v["updated_at"]).unwrap_or(created_at),
        created_at,
        acknowledged: if status == crate::domain::IncidentStatus::Open {
            None
        } else {
            acknowledged
        },
        resolved,
        assignees: v["assignments"]
            .as_array()
            .map(|a| a.iter().map(|x| summary(&x["assignee"])).collect())
            .unwrap_or_default(),
        url: v["html_url"].as_str().map(str::to_string),
        labels: Default::default(),
        annotations: Default::default(),
        silences: Vec::new(),
        // PagerDuty's pending "unacknowledge" is a snooze's end or the
        // acknowledgement timeout alike: not shown as a snooze.
        snoozed_until: None,
    })
}
