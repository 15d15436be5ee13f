//! Opsgenie Alert API v2: open alerts (following `paging.next`), one
//! alert, acknowledge / close / add note (each answered 202 and followed
//! up through `/v2/alerts/requests/{id}`), notes.

use super::{Listing, SourceClient, VendorError, seg, texts, time};
use crate::domain::IncidentStatus;
use crate::domain::outbox::{Queued, RemoteAction};
use crate::domain::remote::{RemoteIncident, Vendor, opsgenie_severity, opsgenie_status};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use std::time::Instant;

const PAGE: usize = 100;
/// No source lists more pages than this (10,000 alerts).
const MAX_PAGES: usize = 100;

fn authorised(
    c: &SourceClient,
    rb: reqwest::RequestBuilder,
) -> Result<reqwest::RequestBuilder, VendorError> {
    Ok(rb.header("Authorization", format!("GenieKey {}", c.key()?)))
}

pub(super) fn get_req(
    c: &SourceClient,
    path: &str,
) -> Result<reqwest::RequestBuilder, VendorError> {
    authorised(c, c.http.get(format!("{}{path}", c.base)))
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> &str {
    let after = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after..].find('/') {
        Some(i) => &url[..after + i],
        None => url,
    }
}

pub(super) async fn list(c: &SourceClient) -> Result<Listing, VendorError> {
    let started = Instant::now();
    let mut out = Listing::default();
    let query = c.cfg.query.clone().unwrap_or_else(|| "status:open".into());
    let mut req = get_req(c, "/v2/alerts")?.query(&[
        ("query", query.as_str()),
        ("limit", &PAGE.to_string()),
        ("offset", "0"),
        ("sort", "createdAt"),
        ("order", "desc"),
    ]);
    loop {
        let a = c.call(req).await?;
        out.pages += 1;
        if a.status != 200 {
            return Err(c.error(&a));
        }
        let body = a.json();
        let Some(page) = body["data"].as_array() else {
            return Err(c.error_unexpected(&a, "no data array"));
        };
        out.incidents
            .extend(page.iter().filter_map(|v| alert(c, v)));
        let next = body["paging"]["next"]
            .as_str()
            .map(str::to_string)
            .or_else(|| {
                a.headers
                    .get("x-paging-next")
                    .and_then(|h| h.to_str().ok())
                    .map(str::to_string)
            });
        let Some(next) = next.filter(|n| !n.is_empty()) else {
            break;
        };
        if page.is_empty() || out.pages >= MAX_PAGES {
            out.truncated = out.pages >= MAX_PAGES;
            break;
        }
        // The key goes only where it came from: a next page elsewhere is
        // not followed.
        if origin(&next) != origin(&c.base) {
            return Err(c.error_unexpected(&a, "its next page is on another host"));
        }
        req = authorised(c, c.http.get(next))?;
    }
    let mut seen = std::collections::HashSet::new();
    out.incidents.retain(|i| seen.insert(i.remote_id.clone()));
    out.latency_ms = started.elapsed().as_millis() as u64;
    Ok(out)
}

pub(super) async fn get(c: &SourceClient, id: &str) -> Result<RemoteIncident, VendorError> {
    let a = c
        .call(get_req(c, &format!("/v2/alerts/{}", seg(id)))?.query(&[("identifierType", "id")]))
        .await?;
    if a.status != 200 {
        return Err(c.error(&a));
    }
    alert(c, &a.json()["data"]).ok_or_else(|| c.error_unexpected(&a, "no alert"))
}

/// A responder or owner as typed: `team:NAME`, `escalation:NAME`,
/// `schedule:NAME`, `user:NAME` or a bare username (a user).
fn recipient(target: &str) -> Value {
    match target.split_once(':') {
        Some((k @ ("team" | "escalation" | "schedule"), name)) => {
            json!({"type": k, "name": name.trim()})
        }
        Some(("user", name)) => json!({"type": "user", "username": name.trim()}),
        _ => json!({"type": "user", "username": target.trim()}),
    }
}

pub(super) async fn send(c: &SourceClient, q: &Queued) -> Result<super::Sent, VendorError> {
    let user = c
        .cfg
        .from
        .clone()
        .filter(|f| !f.trim().is_empty())
        .unwrap_or_else(|| q.by.clone());
    let note = match q.action {
        RemoteAction::Note => q.note_text(),
        _ if q.message.trim().is_empty() => format!("{} via shiftdeck", q.by),
        _ => format!("{} — {} via shiftdeck", q.message.trim(), q.by),
    };
    let mut body = json!({"user": user, "source": "shiftdeck", "note": note});
    let what = match q.action {
        RemoteAction::Acknowledge => "acknowledge",
        RemoteAction::Unacknowledge => "unacknowledge",
        RemoteAction::Resolve => "close",
        RemoteAction::Note => "notes",
        RemoteAction::Snooze => {
            let until = q.until.unwrap_or_else(Utc::now);
            body["endTime"] = json!(until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            "snooze"
        }
        RemoteAction::Reassign => {
            let name = q.target.strip_prefix("user:").unwrap_or(&q.target).trim();
            body["owner"] = json!({"username": name});
            "assign"
        }
        RemoteAction::Escalate => {
            let name = q
                .target
                .strip_prefix("escalation:")
                .unwrap_or(&q.target)
                .trim();
            body["escalation"] = json!({"name": name});
            "escalate"
        }
        RemoteAction::AddResponder => {
            body["responder"] = recipient(&q.target);
            "responders"
        }
        RemoteAction::Silence | RemoteAction::Expire => {
            return Err(super::refused(
                c,
                &Vendor::Opsgenie.offers(q.action).err().unwrap_or_default(),
            ));
        }
    };
    let url = format!("{}/v2/alerts/{}/{what}", c.base, seg(&q.remote_id));
    let rb = authorised(c, c.http.post(url))?
        .query(&[("identifierType", "id")])
        .json(&body);
    let a = c.call(rb).await?;
    if !(200..300).contains(&a.status) {
        return Err(c.error(&a));
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
        .call(get_req(
            c,
            &format!("/v2/alerts/requests/{}", seg(request_id)),
        )?)
        .await?;
    if a.status == 404 {
        // "Request not found. It might not be processed, yet."
        return Ok(None);
    }
    if a.status != 200 {
        return Err(c.error(&a));
    }
    let data = &a.json()["data"];
    let status = data["status"].as_str().unwrap_or_default().to_string();
    match data["isSuccess"].as_bool().or(data["success"].as_bool()) {
        Some(true) => Ok(Some(Ok(status))),
        Some(false) => Ok(Some(Err(status))),
        None => Ok(None),
    }
}

pub(super) async fn notes(c: &SourceClient, id: &str) -> Result<Vec<String>, VendorError> {
    let a = c
        .call(
            get_req(c, &format!("/v2/alerts/{}/notes", seg(id)))?.query(&[
                ("identifierType", "id"),
                ("limit", "100"),
                ("order", "desc"),
            ]),
        )
        .await?;
    if a.status != 200 {
        return Err(c.error(&a));
    }
    Ok(texts(&a.json()["data"], "note"))
}

/// `report.ackTime` / `closeTime`: milliseconds after creation.
fn after(created: DateTime<Utc>, ms: &Value) -> Option<DateTime<Utc>> {
    ms.as_i64().map(|ms| created + Duration::milliseconds(ms))
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
    let acked = v["acknowledged"].as_bool().unwrap_or(false);
    let status = opsgenie_status(v["status"].as_str().unwrap_or("open"), acked);
    let priority = v["priority"].as_str();
    let updated_at = time(&v["updatedAt"]).unwrap_or(created_at);
    let report = &v["report"];
    let by = |k: &str| report[k].as_str().unwrap_or_default().to_string();
    let acknowledged = (status != IncidentStatus::Open).then(|| {
        (
            after(created_at, &report["ackTime"]).unwrap_or(updated_at),
            by("acknowledgedBy"),
        )
    });
    let resolved = (status == IncidentStatus::Resolved).then(|| {
        (
            after(created_at, &report["closeTime"]).unwrap_or(updated_at),
            by("closedBy"),
        )
    });
    // An alert closed without anyone acknowledging it has no acknowledger.
    let acknowledged = acknowledged.filter(|_| acked);
    let service = v["entity"]
        .as_str()
        .filter(|s| !s.is_empty())
        .or(v["source"].as_str())
        .unwrap_or_default()
        .to_string();
    Some(RemoteIncident {
        source: c.cfg.name.clone(),
        vendor: Vendor::Opsgenie,
        id: format!("{}-{number}", c.cfg.prefix()),
        number,
        remote_id,
        title: v["message"].as_str().unwrap_or("(no message)").to_string(),
        service,
        severity: opsgenie_severity(priority),
        vendor_priority: priority.unwrap_or("P3 (default)").to_string(),
        status,
        created_at,
        updated_at,
        acknowledged,
        resolved,
        assignees: v["owner"]
            .as_str()
            .filter(|o| !o.is_empty())
            .map(|o| vec![o.to_string()])
            .unwrap_or_default(),
        url: c.cfg.web_url.as_deref().map(|w| {
            format!(
                "{}/alert/detail/{}/details",
                w.trim_end_matches('/'),
                seg(v["id"].as_str().unwrap_or_default())
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

#[cfg(test)]
mod tests {
    #[test]
    fn origin_of_urls() {
        assert_eq!(
            super::origin("https://api.opsgenie.com/v2/alerts?x=1"),
            "https://api.opsgenie.com"
        );
        assert_eq!(
            super::origin("http://127.0.0.1:80/opsgenie"),
            "http://127.0.0.1:80"
        );
        assert_eq!(super::origin("http://h"), "http://h");
    }
}
