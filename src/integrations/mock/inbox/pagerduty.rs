//! PagerDuty REST v2 incidents (vendor-apis.md §3, §9): list with the real
//! filters, the 30-day default window and offset pagination; get;
//! acknowledge/resolve with `From`; notes. Other PagerDuty routes (abilities,
//! services, Events v2) stay in `routes::pagerduty`.

use super::seed::user_ref;
use super::*;

/// Incidents created before now minus this are hidden unless `date_range=all`.
const DEFAULT_WINDOW_DAYS: i64 = 30;
/// PagerDuty's classic pagination cap on offset + limit.
const MAX_OFFSET: u64 = 10_000;

fn pd_error(status: u16, message: &str, code: u32, errors: &[&str]) -> Response {
    let mut e = json!({"message": message, "code": code});
    if !errors.is_empty() {
        e["errors"] = json!(errors);
    }
    json_resp(status, json!({"error": e}))
}

pub(super) fn invalid(why: &str) -> Response {
    pd_error(400, "Invalid Input Provided", 2001, &[why])
}

pub(super) fn missing_from() -> Response {
    pd_error(
        400,
        "You must specify a user's email address in the \"From\" header to perform this action",
        2011,
        &[],
    )
}

pub(super) fn not_found() -> Response {
    pd_not_found()
}

pub(super) fn error(status: u16, message: &str, code: u32) -> Response {
    pd_error(status, message, code, &[message])
}

pub(super) fn from_header(req: &Request) -> Option<&str> {
    requester(req)
}

pub(super) fn user_for(email: &str) -> Value {
    requester_ref(email)
}

fn pd_not_found() -> Response {
    pd_error(404, "Not Found", 2100, &[])
}

/// The `From` header if it looks like an email address.
fn requester(req: &Request) -> Option<&str> {
    req.header("from")
        .map(str::trim)
        .filter(|f| f.contains('@') && !f.starts_with('@') && !f.ends_with('@'))
}

/// The user reference the mock makes for a `From` address.
fn requester_ref(email: &str) -> Value {
    user_ref(&pd_id("P", 7, hash_str(email)), email)
}

impl Mocks {
    /// Everything under `/pagerduty`.
    pub(in crate::integrations::mock) fn pagerduty(
        &self,
        req: &Request,
        rest: &[&str],
    ) -> Response {
        // Identifiers arrive percent-encoded in the path.
        let decoded: Vec<String> = rest.iter().map(|s| percent_decode_path(s)).collect();
        let rest: Vec<&str> = decoded.iter().map(String::as_str).collect();
        let rest = rest.as_slice();
        let incidents = matches!(
            (req.method.as_str(), rest),
            ("GET", ["incidents"])
                | ("GET" | "PUT", ["incidents", _])
                | ("GET" | "POST", ["incidents", _, "notes"])
                | ("POST", ["incidents", _, "snooze" | "responder_requests"])
                | ("GET", ["oncalls" | "users" | "escalation_policies"])
        );
        if !incidents {
            return pagerduty(req, rest);
        }
        if !req.has("authorization") {
            return pd_error(401, "Authentication failed", 2006, &[]);
        }
        match (req.method.as_str(), rest) {
            ("GET", ["incidents"]) => self.pd_list(req),
            ("GET", ["oncalls"]) => self.pd_oncalls(req),
            ("GET", ["incidents", id]) => {
                match self.inbox().incidents.iter().find(|i| i.v["id"] == *id) {
                    Some(i) => json_resp(200, json!({"incident": i.v})),
                    None => pd_not_found(),
                }
            }
            ("PUT", ["incidents", id]) => self.pd_update(req, id),
            ("GET", [what @ ("users" | "escalation_policies")]) => self.pd_directory(req, what),
            ("POST", ["incidents", id, "snooze"]) => self.pd_snooze(req, id),
            ("POST", ["incidents", id, "responder_requests"]) => self.pd_responders(req, id),
            ("GET", ["incidents", id, "notes"]) => {
                match self.inbox().incidents.iter().find(|i| i.v["id"] == *id) {
                    Some(i) => json_resp(200, json!({"notes": i.notes})),
                    None => pd_not_found(),
                }
            }
            (_, [_, id, _]) => self.pd_add_note(req, id),
            _ => not_found(),
        }
    }

    fn pd_list(&self, req: &Request) -> Response {
        let Ok(limit) = query_u64(req, "limit") else {
            return invalid("Limit must be a non-negative integer");
        };
        let limit = limit.unwrap_or(25).clamp(1, 100);
        let Ok(offset) = query_u64(req, "offset") else {
            return invalid("Offset must be a non-negative integer");
        };
        let offset = offset.unwrap_or(0);
        if offset.saturating_add(limit) > MAX_OFFSET {
            return invalid("Offset must be less than or equal to 10000");
        }
        let statuses = req.query_values("statuses[]");
        if statuses
            .iter()
            .any(|s| !matches!(s.as_str(), "triggered" | "acknowledged" | "resolved"))
        {
            return invalid("Statuses must be triggered, acknowledged or resolved");
        }
        let urgencies = req.query_values("urgencies[]");
        if urgencies
            .iter()
            .any(|u| !matches!(u.as_str(), "high" | "low"))
        {
            return invalid("Urgencies must be high or low");
        }
        let service_ids = req.query_values("service_ids[]");
        let team_ids = req.query_values("team_ids[]");
        let window = match req.query_value("date_range").as_deref() {
            Some("all") => None,
            Some(other) if !other.is_empty() => return invalid("Date Range must be all"),
            _ => {
                let bound = |key: &str| {
                    req.query_value(key)
                        .filter(|v| !v.is_empty())
                        .map(|v| parse_time(&v))
                };
                let until = match bound("until") {
                    None => Utc::now(),
                    Some(Some(t)) => t,
                    Some(None) => return invalid("Until is not a valid date"),
                };
                let since = match bound("since") {
                    None => until - TimeDelta::days(DEFAULT_WINDOW_DAYS),
                    Some(Some(t)) => t,
                    Some(None) => return invalid("Since is not a valid date"),
                };
                Some((since, until))
            }
        };
        let (by_number, desc) = match req.query_value("sort_by").unwrap_or_default().as_str() {
            "" | "created_at" | "created_at:asc" => (false, false),
            "created_at:desc" => (false, true),
            "incident_number" | "incident_number:asc" => (true, false),
            "incident_number:desc" => (true, true),
            _ => {
                return invalid(
                    "Sort By must be created_at or incident_number, optionally with :asc or :desc",
                );
            }
        };
        let with_total = req.query_value("total").as_deref() == Some("true");

        let inbox = self.inbox();
        let has = |list: &[String], v: &Value| {
            list.is_empty() || v.as_str().is_some_and(|s| list.iter().any(|x| x == s))
        };
        let mut hits: Vec<&Incident> = inbox
            .incidents
            .iter()
            .filter(|i| {
                has(&statuses, &i.v["status"])
                    && has(&urgencies, &i.v["urgency"])
                    && has(&service_ids, &i.v["service"]["id"])
                    && (team_ids.is_empty()
                        || i.v["teams"]
                            .as_array()
                            .is_some_and(|ts| ts.iter().any(|t| has(&team_ids, &t["id"]))))
                    && window.is_none_or(|(since, until)| since <= i.created && i.created < until)
            })
            .collect();
        let number = |i: &Incident| i.v["incident_number"].as_u64().unwrap_or(0);
        hits.sort_by(|a, b| {
            let ord = if by_number {
                number(a).cmp(&number(b))
            } else {
                (a.created, number(a)).cmp(&(b.created, number(b)))
            };
            if desc { ord.reverse() } else { ord }
        });
        let total = hits.len() as u64;
        let page: Vec<Value> = hits
            .iter()
            .skip(offset as usize)
            .take(limit as usize)
            .map(|i| i.v.clone())
            .collect();
        let more = offset + (page.len() as u64) < total;
        json_resp(
            200,
            json!({
                "incidents": page,
                "limit": limit,
                "offset": offset,
                "more": more,
                "total": if with_total { json!(total) } else { Value::Null },
            }),
        )
    }

    fn pd_update(&self, req: &Request, id: &str) -> Response {
        let Some(from) = requester(req) else {
            return missing_from();
        };
        let mut inbox = self.inbox();
        let Some(incident) = inbox.incidents.iter_mut().find(|i| i.v["id"] == id) else {
            return pd_not_found();
        };
        let Some(body) = body_object(req) else {
            return invalid("The request body is not valid JSON");
        };
        let Some(Value::Object(change)) = body.get("incident") else {
            return invalid("Incident is required");
        };
        if change
            .get("type")
            .is_some_and(|t| t != "incident_reference" && t != "incident")
        {
            return invalid("Type must be incident_reference or incident");
        }
        let to = match change.get("status").and_then(Value::as_str) {
            Some(s @ ("acknowledged" | "resolved")) => s,
            None if ["assignments", "escalation_policy", "escalation_level"]
                .iter()
                .any(|k| change.contains_key(*k)) =>
            {
                let change = change.clone();
                drop(inbox);
                return self.pd_hand_on(from, id, &change);
            }
            _ => return invalid("Status must be acknowledged or resolved"),
        };
        match (incident.v["status"].as_str().unwrap_or(""), to) {
            ("resolved", _) => {
                return pd_error(
                    400,
                    "Incident Already Resolved",
                    1001,
                    &["Incident Already Resolved"],
                );
            }
            ("acknowledged", "acknowledged") => {
                return pd_error(
                    400,
                    "Incident Already Acknowledged",
                    1002,
                    &["Incident Already Acknowledged"],
                );
            }
            _ => {}
        }
        let now = pd_time(Utc::now());
        let who = requester_ref(from);
        let v = &mut incident.v;
        v["status"] = json!(to);
        v["updated_at"] = json!(now);
        v["last_status_change_at"] = json!(now);
        v["last_status_change_by"] = who.clone();
        v["pending_actions"] = json!([]);
        if to == "acknowledged" {
            if let Some(acks) = v["acknowledgements"].as_array_mut() {
                acks.push(json!({"at": now, "acknowledger": who}));
            }
        } else {
            let all = v["alert_counts"]["all"].clone();
            v["alert_counts"] = json!({"all": all, "triggered": 0, "resolved": all});
            v["assignments"] = json!([]);
            v["resolved_at"] = json!(now);
        }
        json_resp(200, json!({"incident": v}))
    }

    fn pd_add_note(&self, req: &Request, id: &str) -> Response {
        let Some(from) = requester(req) else {
            return missing_from();
        };
        let mut inbox = self.inbox();
        let Some(at) = inbox.incidents.iter().position(|i| i.v["id"] == id) else {
            return pd_not_found();
        };
        let Some(body) = body_object(req) else {
            return invalid("The request body is not valid JSON");
        };
        let content = body
            .get("note")
            .and_then(|n| n.get("content"))
            .and_then(Value::as_str)
            .unwrap_or("");
        if content.trim().is_empty() {
            return invalid("Content cannot be empty");
        }
        let n = inbox.next();
        let note = json!({
            "id": pd_id("P", 7, n ^ 0x4E4F_5445),
            "user": requester_ref(from),
            "channel": {"summary": "The PagerDuty website or APIs"},
            "content": content,
            "created_at": pd_time(Utc::now()),
        });
        push_capped(&mut inbox.incidents[at].notes, note.clone());
        json_resp(201, json!({"note": note}))
    }
}
