//! Jira Service Management Operations alerts
//! (`/jsm/ops/api/{cloudId}/v1/alerts`): list with `query`, `size` and
//! `offset` answering `values`, `count` and a relative `links.next`; one
//! alert by id; acknowledge / unacknowledge / close (no body), snooze,
//! assign (`accountId`), escalate (`escalationId`), add responder (flat
//! `id`/`type`) answered 202 with a request id, and notes (200 at once).
//! Basic auth is required; the request status answers unwrapped.

use super::hand_on::{apply as hand_on, names as hand_on_names};
use super::opsgenie::{accepted, note};
use super::*;

/// The demo's JSM alerts: the service desk's own, after the move off
/// Opsgenie.
pub(super) fn jsm_default_seed(epoch: DateTime<Utc>) -> Vec<Alert> {
    #[rustfmt::skip]
    let rows: [(u64, &str, &str, &str, i64, bool); 3] = [
        (77, "Login latency p95 above 2 s on sso.credguard.io", "P2", "sso-gateway", 35, false),
        (78, "Service desk: 14 password-reset tickets in 10 minutes", "P3", "jira-service-desk", 90, true),
        (79, "Backup job credguard-db-nightly did not report", "P3", "backup-runner", 6 * 60, false),
    ];
    rows.into_iter()
        .map(|(tiny, message, priority, entity, ago, acked)| {
            let created = epoch - TimeDelta::minutes(ago);
            let id = uuid_from(0x4A53_4D00 + tiny);
            Alert {
                v: json!({
                    "id": id, "tinyId": tiny.to_string(), "alias": format!("jsm-{tiny}"),
                    "message": message, "entity": entity, "source": "jsm-integration",
                    "status": if acked { "acked" } else { "open" }, "acknowledged": acked,
                    "priority": priority, "owner": if acked { "ines@credguard.example" } else { "" },
                    "snoozed": false, "tags": ["prod"], "count": 1, "responders": [],
                    "createdAt": og_time(created), "updatedAt": og_time(created + TimeDelta::minutes(3)),
                    "lastOccurredAt": og_time(created), "integrationName": "CredGuard JSM",
                }),
                created,
                notes: Vec::new(),
            }
        })
        .collect()
}

fn jsm_error(status: u16, message: &str) -> Response {
    json_resp(
        status,
        json!({"errors": [{"title": message, "code": status.to_string()}]}),
    )
}

impl Mocks {
    /// Everything under `/jsm/ops/api/{cloudId}`.
    pub(in crate::integrations::mock) fn jsm(&self, req: &Request, rest: &[&str]) -> Response {
        let decoded: Vec<String> = rest.iter().map(|s| percent_decode_path(s)).collect();
        let rest: Vec<&str> = decoded.iter().map(String::as_str).collect();
        let ["ops", "api", _cloud, "v1", "alerts", tail @ ..] = rest.as_slice() else {
            return not_found();
        };
        let basic = req
            .header("authorization")
            .is_some_and(|a| a.starts_with("Basic "));
        if !basic {
            return json_resp(
                401,
                json!({"code": 401, "message": "Client must be authenticated to access this resource."}),
            );
        }
        match (req.method.as_str(), tail) {
            ("GET", []) => self.jsm_list(req),
            ("GET", ["requests", id]) => {
                let inbox = self.inbox();
                match inbox.requests.get(*id) {
                    Some(r) => {
                        let mut d = r.data.clone();
                        if let Some(ok) = d.get("success").cloned() {
                            d["isSuccess"] = ok;
                        }
                        json_resp(200, d)
                    }
                    None => jsm_error(404, "Request not found"),
                }
            }
            ("GET", [id]) => match self.inbox().jsm_alerts.iter().find(|a| a.v["id"] == *id) {
                Some(a) => json_resp(200, a.v.clone()),
                None => jsm_error(404, "Alert not found"),
            },
            ("GET", [id, "notes"]) => {
                match self.inbox().jsm_alerts.iter().find(|a| a.v["id"] == *id) {
                    Some(a) => json_resp(200, json!({"values": a.notes, "links": {}})),
                    None => jsm_error(404, "Alert not found"),
                }
            }
            ("POST", [id, what]) => self.jsm_act(req, id, what),
            _ => not_found(),
        }
    }

    fn jsm_list(&self, req: &Request) -> Response {
        let size = req
            .query_value("size")
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(20)
            .clamp(1, 100);
        let offset = req
            .query_value("offset")
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(0);
        if offset + size >= 20_000 {
            return jsm_error(422, "offset + size must be less than 20000");
        }
        let query = req.query_value("query").unwrap_or_default().to_lowercase();
        let open_only = query.contains("status:open");
        let inbox = self.inbox();
        let mut hits: Vec<&Alert> = inbox
            .jsm_alerts
            .iter()
            .filter(|a| !open_only || a.v["status"] != "closed")
            .collect();
        hits.sort_by_key(|a| std::cmp::Reverse(a.created));
        let count = hits.len();
        let page: Vec<Value> = hits
            .iter()
            .skip(offset)
            .take(size)
            .map(|a| a.v.clone())
            .collect();
        let mut links = json!({});
        if offset + size < count {
            links["next"] = json!(format!("/v1/alerts?offset={}&size={size}", offset + size));
        }
        json_resp(200, json!({"values": page, "count": count, "links": links}))
    }

    fn jsm_act(&self, req: &Request, id: &str, what: &str) -> Response {
        let Some(body) = body_object(req) else {
            return jsm_error(400, "Request body is not valid JSON");
        };
        let now = Utc::now();
        let mut inbox = self.inbox();
        let n = inbox.next();
        let Some(at) = inbox.jsm_alerts.iter().position(|a| a.v["id"] == id) else {
            return jsm_error(404, "Alert not found");
        };
        if what == "notes" {
            let Some(text) = str_field(&body, "note") else {
                return jsm_error(422, "note is required");
            };
            let nt = note(text, "api", now, n);
            let a = &mut inbox.jsm_alerts[at];
            push_capped(&mut a.notes, nt.clone());
            return json_resp(200, nt);
        }
        let (action, done) = match what {
            "acknowledge" => ("Acknowledge", "Acknowledged alert"),
            "close" => ("Close", "Closed alert"),
            _ => match hand_on_names(what) {
                Some(x) => x,
                None => return not_found(),
            },
        };
        let a = &mut inbox.jsm_alerts[at];
        let v = &mut a.v;
        let closed = v["status"] == "closed";
        let outcome = match what {
            _ if closed => Err("Alert is already closed"),
            "acknowledge" => {
                v["acknowledged"] = json!(true);
                v["status"] = json!("acked");
                Ok(())
            }
            "close" => {
                v["status"] = json!("closed");
                v["closeTime"] = json!(og_time(now));
                Ok(())
            }
            _ => hand_on(v, what, &body, now),
        };
        if outcome.is_ok() {
            v["updatedAt"] = json!(og_time(now));
        }
        let alert_id = v["id"].as_str().unwrap_or_default().to_string();
        let rid = match outcome {
            Ok(()) => inbox.record(action, done, true, &alert_id, ""),
            Err(why) => inbox.record(action, why, false, &alert_id, ""),
        };
        accepted(rid)
    }
}
