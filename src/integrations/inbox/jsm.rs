//! Jira Service Management Operations, the alerts API that replaces
//! Opsgenie's (`https://api.atlassian.com/jsm/ops/api/{cloudId}/v1/alerts`,
//! Basic auth with an Atlassian account email and API token).
//!
//! Like Opsgenie, every action but a note is answered 202 with a request id
//! and followed up at `/v1/alerts/requests/{id}`; unlike it, alerts are
//! addressed by id only, acknowledge / close / unacknowledge carry no body
//! (the operator's words go first as a note of their own), assignment and
//! escalation take ids (an Atlassian account id, an escalation id), and
//! lists answer `values` with a relative `links.next`.

use super::{Listing, SourceClient, VendorError, seg, texts, time};
use crate::domain::IncidentStatus;
use crate::domain::outbox::{Queued, RemoteAction};
use crate::domain::remote::{RemoteIncident, Vendor, opsgenie_severity};
use chrono::SecondsFormat;
use serde_json::{Value, json};
use std::time::Instant;

const PAGE: usize = 100;
/// `offset + size` must stay under 20,000.
const OFFSET_CAP: usize = 20_000;

pub(super) fn request(
    c: &SourceClient,
    method: reqwest::Method,
    path: &str,
) -> Result<reqwest::RequestBuilder, VendorError> {
    let token = c.key()?;
    let email = c.cfg.email.clone().unwrap_or_default();
    Ok(c.http
        .request(method, format!("{}{path}", c.base))
        .basic_auth(email, Some(token))
        .header("Accept", "application/json"))
}

pub(super) async fn list(c: &SourceClient) -> Result<Listing, VendorError> {
    let started = Instant::now();
    let mut out = Listing::default();
    let query = c.cfg.query.clone().unwrap_or_else(|| "status:open".into());
    let mut offset = 0;
    loop {
        if offset + PAGE >= OFFSET_CAP {
            out.truncated = true;
            break;
        }
        let a = c
            .call(request(c, reqwest::Method::GET, "/v1/alerts")?.query(&[
                ("query", query.as_str()),
                ("size", &PAGE.to_string()),
                ("offset", &offset.to_string()),
                ("sort", "createdAt"),
                ("order", "desc"),
            ]))
            .await?;
        out.pages += 1;
        if a.status != 200 {
            return Err(c.error(&a));
        }
        let body = a.json();
        let Some(page) = body["values"].as_array() else {
            return Err(c.error_unexpected(&a, "no values array"));
        };
        out.incidents
            .extend(page.iter().filter_map(|v| alert(c, v)));
        let more = body["links"]["next"]
            .as_str()
            .is_some_and(|n| !n.trim().is_empty());
        if !more || page.is_empty() {
            break;
        }
        offset += page.len();
    }
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
            &format!("/v1/alerts/{}", seg(id)),
        )?)
        .await?;
    if a.status != 200 {
        return Err(c.error(&a));
    }
    alert(c, &a.json()).ok_or_else(|| c.error_unexpected(&a, "no alert"))
}

/// A responder as typed: `team:ID`, `escalation:ID`, `schedule:ID`,
/// `user:ID` or a bare account id (a user).
fn responder(target: &str) -> Value {
    let (kind, id) = match target.split_once(':') {
        Some((k @ ("team" | "user" | "escalation" | "schedule"), id)) => (k, id),
        _ => ("user", target),
    };
    json!({"id": id.trim(), "type": kind})
}

pub(super) async fn send(c: &SourceClient, q: &Queued) -> Result<super::Sent, VendorError> {
    let id = seg(&q.remote_id);
    let (what, body) = match q.action {
        RemoteAction::Acknowledge => ("acknowledge", None),
        RemoteAction::Unacknowledge => ("unacknowledge", None),
        RemoteAction::Resolve => ("close", None),
        RemoteAction::Note => ("notes", Some(json!({"note": q.note_text()}))),
        RemoteAction::Snooze => {
            let until = q.until.unwrap_or_else(chrono::Utc::now);
            (
                "snooze",
                Some(json!({"endTime": until.to_rfc3339_opts(SecondsFormat::Secs, true)})),
            )
        }
        RemoteAction::Reassign => ("assign", Some(json!({"accountId": q.target}))),
        RemoteAction::Escalate => ("escalate", Some(json!({"escalationId": q.target}))),
        RemoteAction::AddResponder => ("responders", Some(responder(&q.target))),
        RemoteAction::Silence | RemoteAction::Expire => {
            return Err(super::refused(
                c,
                &Vendor::Jsm.offers(q.action).unwrap_err(),
            ));
        }
    };
    let mut rb = request(c, reqwest::Method::POST, &format!("/v1/alerts/{id}/{what}"))?;
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let a = c.call(rb).await?;
    if !(200..300).contains(&a.status) {
        return Err(c.error(&a));
    }
    // A note is written at once (200 with the note); the rest are queued.
    if q.action == RemoteAction::Note {
        return Ok(super::Sent::Done);
    }
    match a.json()["requestId"].as_str() {
        Some(r) if !r.is_empty() => Ok(super::Sent::Accepted(r.to_string())),
        _ => Err(c.error_unexpected(&a, "no requestId")),
    }
}

pub(super) async fn request_status(
    c: &SourceClient,
    request_id: &str,
) -> Result<Option<Result<String, String>>, VendorError> {
    let a = c
        .call(request(
            c,
            reqwest::Method::GET,
            &format!("/v1/alerts/requests/{}", seg(request_id)),
        )?)
        .await?;
    if a.status == 404 {
        return Ok(None);
    }
    if a.status != 200 {
        return Err(c.error(&a));
    }
    let data = a.json();
    let status = data["status"].as_str().unwrap_or_default().to_string();
    match data["isSuccess"].as_bool() {
        Some(true) => Ok(Some(Ok(status))),
        Some(false) => Ok(Some(Err(status))),
        None => Ok(None),
    }
}

pub(super) async fn notes(c: &SourceClient, id: &str) -> Result<Vec<String>, VendorError> {
    let a = c
        .call(
            request(
                c,
                reqwest::Method::GET,
                &format!("/v1/alerts/{}/notes", seg(id)),
            )?
            .query(&[("size", "100")]),
        )
        .await?;
    if a.status != 200 {
        return Err(c.error(&a));
    }
    Ok(texts(&a.json()["values"], "note"))
}

/// JSM's `status`: open, acked, snoozed, resolved, closed.
fn status(v: &Value) -> IncidentStatus {
    match v["status"].as_str().unwrap_or("open") {
        "closed" | "resolved" => IncidentStatus::Resolved,
        "acked" => IncidentStatus::Acknowledged,
        _ if v["acknowledged"].as_bool() == Some(true) => IncidentStatus::Acknowledged,
        _ => IncidentStatus::Open,
    }
}

/// One alert, normalised; `None` when it lacks an id or a time.
pub(super) fn alert(c: &SourceClient, v: &Value) -> Option<RemoteIncident> {
    let remote_id = v["id"].as_str()?.to_string();
    let created_at = time(&v["createdAt"])?;
    let number = v["tinyId"]
        .as_str()
        .map(str::to_string)
        .or_else(|| v["tinyId"].as_i64().map(|n| n.to_string()))
        .unwrap_or_else(|| remote_id.chars().take(8).collect());
    let status = status(v);
    let updated_at = time(&v["updatedAt"]).unwrap_or(created_at);
    let owner = v["owner"].as_str().unwrap_or_default().to_string();
    let priority = v["priority"].as_str();
    let service = v["entity"]
        .as_str()
        .filter(|s| !s.is_empty())
        .or(v["source"].as_str())
        .unwrap_or_default()
        .to_string();
    Some(RemoteIncident {
        source: c.cfg.name.clone(),
        vendor: Vendor::Jsm,
        id: format!("{}-{number}", c.cfg.prefix()),
        number,
        remote_id: remote_id.clone(),
        title: v["message"].as_str().unwrap_or("(no message)").to_string(),
        service,
        severity: opsgenie_severity(priority),
        vendor_priority: priority.unwrap_or("P3 (default)").to_string(),
        status,
        created_at,
        updated_at,
        // JSM reports no acknowledger: the owner is who holds it.
        acknowledged: (status != IncidentStatus::Open).then(|| (updated_at, owner.clone())),
        resolved: (status == IncidentStatus::Resolved)
            .then(|| (time(&v["closeTime"]).unwrap_or(updated_at), String::new())),
        assignees: if owner.is_empty() {
            Vec::new()
        } else {
            vec![owner]
        },
        url: c.cfg.web_url.as_deref().map(|w| {
            format!(
                "{}/jira/ops/alerts/{}",
                w.trim_end_matches('/'),
                seg(&remote_id)
            )
        }),
        labels: Default::default(),
        annotations: Default::default(),
        silences: Vec::new(),
        snoozed_until: v["snoozed"]
            .as_bool()
            .filter(|s| *s)
            .and_then(|_| time(&v["snoozedUntil"])),
    })
}
