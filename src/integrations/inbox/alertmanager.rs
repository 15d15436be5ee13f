//! Prometheus Alertmanager API v2: the alerts that fire (`GET
//! /api/v2/alerts` with the source's matchers and receiver), the silences
//! that hold them (`GET /api/v2/silences`), a silence made for one alert
//! (`POST /api/v2/silences`, matching its labels exactly) and a silence
//! expired (`DELETE /api/v2/silence/{id}`).
//!
//! Alertmanager has no incident: an alert is one fingerprint (its label
//! set), open while it fires, "acknowledged" while a silence holds it, and
//! gone when its condition clears. Alertmanager sits behind no vendor
//! account, so authentication is optional: a bearer token or a basic
//! password from a variable, for the proxy in front of it.

use super::{ErrorKind, Listing, SourceClient, VendorError, seg, time};
use crate::domain::IncidentStatus;
use crate::domain::outbox::{Queued, RemoteAction};
use crate::domain::remote::{RemoteIncident, Silence, Vendor, alertmanager_severity};
use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

pub(super) fn request(
    c: &SourceClient,
    method: reqwest::Method,
    path: &str,
) -> Result<reqwest::RequestBuilder, VendorError> {
    let key = c.key()?;
    let rb = c.http.request(method, format!("{}{path}", c.base));
    Ok(match (&c.cfg.username, key) {
        (_, "") => rb,
        (Some(user), pass) => rb.basic_auth(user, Some(pass)),
        (None, token) => rb.bearer_auth(token),
    })
}

/// The alerts query: firing (and silenced) alerts, the source's matchers
/// and receiver; inhibited ones only when asked for.
fn alerts_query(c: &SourceClient) -> Vec<(&'static str, String)> {
    let mut q = vec![
        ("active", "true".to_string()),
        ("silenced", "true".to_string()),
        ("inhibited", c.cfg.inhibited.to_string()),
        ("unprocessed", "true".to_string()),
    ];
    q.extend(c.cfg.filter.iter().map(|m| ("filter", m.clone())));
    if let Some(r) = c.cfg.receiver.as_deref().filter(|r| !r.trim().is_empty()) {
        q.push(("receiver", r.to_string()));
    }
    q
}

async fn silences(c: &SourceClient) -> Result<Vec<Value>, VendorError> {
    let a = c
        .call(request(c, reqwest::Method::GET, "/api/v2/silences")?)
        .await?;
    if a.status != 200 {
        return Err(c.error(&a));
    }
    match a.json() {
        Value::Array(list) => Ok(list),
        _ => Err(c.error_unexpected(&a, "no list of silences")),
    }
}

pub(super) async fn list(c: &SourceClient) -> Result<Listing, VendorError> {
    let started = Instant::now();
    let a = c
        .call(request(c, reqwest::Method::GET, "/api/v2/alerts")?.query(&alerts_query(c)))
        .await?;
    if a.status != 200 {
        return Err(c.error(&a));
    }
    let Value::Array(alerts) = a.json() else {
        return Err(c.error_unexpected(&a, "no list of alerts"));
    };
    let mut pages = 1;
    let silenced = alerts.iter().any(|v| {
        v["status"]["silencedBy"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
    });
    let by_id: HashMap<String, Value> = if silenced {
        pages += 1;
        silences(c)
            .await?
            .into_iter()
            .filter_map(|s| Some((s["id"].as_str()?.to_string(), s)))
            .collect()
    } else {
        HashMap::new()
    };
    let mut out = Listing {
        incidents: alerts.iter().filter_map(|v| alert(c, v, &by_id)).collect(),
        pages,
        truncated: false,
        latency_ms: 0,
    };
    // One row per fingerprint, newest first like the other sources.
    let mut seen = std::collections::HashSet::new();
    out.incidents.retain(|i| seen.insert(i.remote_id.clone()));
    out.incidents
        .sort_by_key(|x| std::cmp::Reverse(x.created_at));
    out.latency_ms = started.elapsed().as_millis() as u64;
    Ok(out)
}

/// One alert by fingerprint: Alertmanager serves no single alert, so the
/// list is read and searched. An alert no longer in it has cleared.
pub(super) async fn get(
    c: &SourceClient,
    fingerprint: &str,
) -> Result<RemoteIncident, VendorError> {
    let l = list(c).await?;
    l.incidents
        .into_iter()
        .find(|i| i.remote_id == fingerprint)
        .ok_or_else(|| cleared(c))
}

/// The vendor's own "no such alert": it cleared (or was never this one).
fn cleared(c: &SourceClient) -> VendorError {
    VendorError {
        kind: ErrorKind::NotFound,
        code: Some(2100),
        outcome: crate::domain::health::ProbeOutcome::failed(
            crate::domain::health::HealthStatus::Up,
            crate::domain::health::FailureClass::Config,
            format!(
                "{}: the alert does not exist any more (its condition cleared)",
                c.what()
            ),
            "",
            None,
        ),
    }
}

pub(super) async fn send(c: &SourceClient, q: &Queued) -> Result<super::Sent, VendorError> {
    match q.action {
        RemoteAction::Silence => {
            let now = Utc::now();
            let until = q.until.unwrap_or(now + Duration::hours(1));
            let matchers: Vec<Value> = q
                .labels
                .iter()
                .map(|(k, v)| json!({"name": k, "value": v, "isRegex": false, "isEqual": true}))
                .collect();
            if matchers.is_empty() {
                return Err(super::refused(c, "a silence needs the alert's labels"));
            }
            let by = c
                .cfg
                .from
                .clone()
                .filter(|f| !f.trim().is_empty())
                .unwrap_or_else(|| q.by.clone());
            let body = json!({
                "matchers": matchers,
                "startsAt": now.to_rfc3339_opts(SecondsFormat::Millis, true),
                "endsAt": until.to_rfc3339_opts(SecondsFormat::Millis, true),
                "createdBy": by,
                "comment": q.comment(),
            });
            let a = c
                .call(request(c, reqwest::Method::POST, "/api/v2/silences")?.json(&body))
                .await?;
            if a.status != 200 {
                return Err(c.error(&a));
            }
            match a.json()["silenceID"].as_str() {
                Some(id) if !id.is_empty() => Ok(super::Sent::Done),
                _ => Err(c.error_unexpected(&a, "no silenceID")),
            }
        }
        RemoteAction::Expire => {
            let a = c
                .call(request(
                    c,
                    reqwest::Method::DELETE,
                    &format!("/api/v2/silence/{}", seg(&q.target)),
                )?)
                .await?;
            if a.status == 200 {
                return Ok(super::Sent::Done);
            }
            // Alertmanager answers 500 "silence not found" for an id it
            // does not know (gone past its retention): nothing to expire.
            if a.body.contains("silence not found") {
                return Err(VendorError {
                    kind: ErrorKind::NotFound,
                    code: Some(2100),
                    outcome: c.error(&a).outcome,
                });
            }
            Err(c.error(&a))
        }
        other => Err(super::refused(
            c,
            &Vendor::Alertmanager
                .offers(other)
                .err()
                .unwrap_or_else(|| format!("{} is not an Alertmanager action", other.label())),
        )),
    }
}

/// The comments of the silences that still match or will: where a
/// silence made before a crash is found by its reference.
pub(super) async fn notes(c: &SourceClient) -> Result<Vec<String>, VendorError> {
    Ok(silences(c)
        .await?
        .iter()
        .filter(|s| s["status"]["state"].as_str() != Some("expired"))
        .filter_map(|s| s["comment"].as_str().map(str::to_string))
        .collect())
}

fn string_map(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// One alert, normalised; `None` without a fingerprint or a start.
pub(super) fn alert(
    c: &SourceClient,
    v: &Value,
    silences: &HashMap<String, Value>,
) -> Option<RemoteIncident> {
    let fingerprint = v["fingerprint"].as_str().filter(|f| !f.is_empty())?;
    let created_at = time(&v["startsAt"])?;
    let labels = string_map(&v["labels"]);
    let annotations = string_map(&v["annotations"]);
    let number: String = fingerprint.chars().take(8).collect();
    let severity_label = c.cfg.severity_label.as_deref().unwrap_or("severity");
    let level = labels.get(severity_label).map(String::as_str);
    let severity = alertmanager_severity(level, &c.cfg.severities);
    let alertname = labels.get("alertname").cloned().unwrap_or_default();
    let title = annotations
        .get("summary")
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .or_else(|| (!alertname.is_empty()).then(|| alertname.clone()))
        .unwrap_or_else(|| "(no alertname)".into());
    let service_label = c.cfg.service_label.as_deref().unwrap_or("service");
    let service = labels
        .get(service_label)
        .or_else(|| labels.get("job"))
        .cloned()
        .unwrap_or_default();
    let silenced_by: Vec<&str> = v["status"]["silencedBy"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let held: Vec<Silence> = silenced_by
        .iter()
        .map(|id| {
            let s = silences.get(*id);
            Silence {
                id: id.to_string(),
                ends_at: s.and_then(|s| time(&s["endsAt"])).unwrap_or(created_at),
                created_by: s
                    .and_then(|s| s["createdBy"].as_str())
                    .unwrap_or_default()
                    .to_string(),
                comment: s
                    .and_then(|s| s["comment"].as_str())
                    .unwrap_or_default()
                    .to_string(),
            }
        })
        .collect();
    let status = if held.is_empty() {
        IncidentStatus::Open
    } else {
        IncidentStatus::Acknowledged
    };
    let acknowledged = held.first().map(|s| {
        let at = silences
            .get(&s.id)
            .and_then(|x| time(&x["startsAt"]))
            .unwrap_or(created_at);
        (at, s.created_by.clone())
    });
    Some(RemoteIncident {
        source: c.cfg.name.clone(),
        vendor: Vendor::Alertmanager,
        id: format!("{}-{number}", c.cfg.prefix()),
        number,
        remote_id: fingerprint.to_string(),
        title,
        service,
        severity,
        vendor_priority: match level {
            Some(l) => format!("{severity_label}={l}"),
            None => format!("no {severity_label} label"),
        },
        status,
        updated_at: time(&v["updatedAt"]).unwrap_or(created_at),
        created_at,
        acknowledged,
        resolved: None,
        assignees: v["receivers"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(|x| x["name"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        url: v["generatorURL"]
            .as_str()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .map(str::to_string),
        labels,
        annotations,
        silences: held,
        snoozed_until: None,
    })
}
