//! Who is on call, from the paging vendors: PagerDuty `GET /oncalls` (with
//! the users' emails) and Opsgenie schedule timelines (`GET /v2/schedules`,
//! then `GET /v2/schedules/{id}/timeline`). Read-only; a window of `hours`
//! from now, so "now" and "next" both come from one answer.

use super::{SourceClient, VendorError, seg, time};
use crate::domain::oncall::OnCall;
use crate::domain::remote::Vendor;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::Value;

/// PagerDuty's largest page.
const PAGE: usize = 100;
/// No account is read past this many on-call entries.
const MAX_ENTRIES: usize = 1_000;

impl SourceClient {
    /// The on-call entries overlapping `[now, now + hours)`.
    pub async fn on_call(
        &self,
        now: DateTime<Utc>,
        hours: i64,
    ) -> Result<Vec<OnCall>, VendorError> {
        match self.vendor() {
            Vendor::Pagerduty => pagerduty(self, now, hours).await,
            Vendor::Opsgenie => opsgenie(self, now, hours).await,
            // Alertmanager has no rota; JSM's schedules are not read yet.
            Vendor::Jsm | Vendor::Alertmanager => Ok(Vec::new()),
        }
    }
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn pagerduty(
    c: &SourceClient,
    now: DateTime<Utc>,
    hours: i64,
) -> Result<Vec<OnCall>, VendorError> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let mut query: Vec<(&str, String)> = vec![
            ("since", iso(now)),
            ("until", iso(now + Duration::hours(hours))),
            ("include[]", "users".into()),
            ("limit", PAGE.to_string()),
            ("offset", offset.to_string()),
        ];
        query.extend(
            c.cfg
                .schedules
                .iter()
                .map(|s| ("schedule_ids[]", s.clone())),
        );
        let a = c
            .call(super::pagerduty::request(c, reqwest::Method::GET, "/oncalls")?.query(&query))
            .await?;
        if a.status != 200 {
            return Err(c.error(&a));
        }
        let body = a.json();
        let Some(page) = body["oncalls"].as_array() else {
            return Err(c.error_unexpected(&a, "no oncalls array"));
        };
        for v in page {
            let user = &v["user"];
            let Some(who) = user["name"].as_str().or(user["summary"].as_str()) else {
                continue;
            };
            let schedule = v["schedule"]["summary"]
                .as_str()
                .or(v["escalation_policy"]["summary"].as_str())
                .unwrap_or("PagerDuty");
            out.push(OnCall {
                who: who.to_string(),
                email: user["email"].as_str().map(str::to_string),
                schedule: schedule.to_string(),
                level: v["escalation_level"].as_u64().map(|l| l as u32),
                start: time(&v["start"]),
                end: time(&v["end"]),
                source: c.name().to_string(),
            });
        }
        if !body["more"].as_bool().unwrap_or(false) || page.is_empty() || out.len() >= MAX_ENTRIES {
            break;
        }
        offset += page.len();
    }
    Ok(out)
}

async fn opsgenie(
    c: &SourceClient,
    now: DateTime<Utc>,
    hours: i64,
) -> Result<Vec<OnCall>, VendorError> {
    // (identifier, by name?, shown name)
    let schedules: Vec<(String, bool, String)> = if c.cfg.schedules.is_empty() {
        let a = c
            .call(super::opsgenie::get_req(c, "/v2/schedules")?)
            .await?;
        if a.status != 200 {
            return Err(c.error(&a));
        }
        let body = a.json();
        let Some(list) = body["data"].as_array() else {
            return Err(c.error_unexpected(&a, "no data array"));
        };
        list.iter()
            .filter(|s| s["enabled"].as_bool().unwrap_or(true))
            .filter_map(|s| {
                let id = s["id"].as_str()?;
                Some((
                    id.to_string(),
                    false,
                    s["name"].as_str().unwrap_or(id).to_string(),
                ))
            })
            .take(50)
            .collect()
    } else {
        c.cfg
            .schedules
            .iter()
            .map(|n| (n.clone(), true, n.clone()))
            .collect()
    };
    let mut out = Vec::new();
    let days = ((hours + 23) / 24).max(1).to_string();
    for (id, by_name, name) in schedules {
        let path = format!("/v2/schedules/{}/timeline", seg(&id));
        let a = c
            .call(super::opsgenie::get_req(c, &path)?.query(&[
                ("identifierType", if by_name { "name" } else { "id" }),
                ("interval", days.as_str()),
                ("intervalUnit", "days"),
                ("date", &iso(now)),
            ]))
            .await?;
        if a.status != 200 {
            return Err(c.error(&a));
        }
        let body = a.json();
        let rotations = body["data"]["finalTimeline"]["rotations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for r in &rotations {
            for p in r["periods"].as_array().into_iter().flatten() {
                if let Some(e) = period(c, &name, p) {
                    out.push(e);
                }
            }
        }
        if out.len() >= MAX_ENTRIES {
            break;
        }
    }
    Ok(out)
}

/// One period of an Opsgenie timeline; only people count (not "none").
fn period(c: &SourceClient, schedule: &str, p: &Value) -> Option<OnCall> {
    let r = &p["recipient"];
    if r["type"].as_str().is_some_and(|t| t != "user") {
        return None;
    }
    let who = r["name"].as_str()?;
    Some(OnCall {
        who: who.to_string(),
        email: who.contains('@').then(|| who.to_string()),
        schedule: schedule.to_string(),
        level: None,
        start: time(&p["startDate"]),
        end: time(&p["endDate"]),
        source: c.name().to_string(),
    })
}
