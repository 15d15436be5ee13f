//! PagerDuty's hand-on routes (vendor API: `POST /incidents/{id}/snooze`
//! answered 201, `PUT /incidents/{id}` with `assignments`,
//! `escalation_policy` or `escalation_level`, `POST
//! /incidents/{id}/responder_requests`), and the directory they name:
//! `GET /users?query=` and `GET /escalation_policies?query=` over the people
//! of the on-call rotations, plus the account's second policy.

use super::oncall::PD_ROTATIONS;
use super::*;

/// The account's escalation policies: the rotations' own and one more.
const POLICIES: [&str; 2] = ["CredGuard on-call", "CredGuard platform"];

fn users() -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for r in PD_ROTATIONS {
        for (name, email) in r.members {
            let id = pd_id("P", 7, hash_str(email));
            if out.iter().any(|u| u["id"] == id) {
                continue;
            }
            out.push(json!({"id": id, "type": "user", "name": name, "email": email,
                "summary": name, "html_url": format!("https://credguard.pagerduty.com/users/{id}")}));
        }
    }
    out
}

fn policies() -> Vec<Value> {
    POLICIES
        .iter()
        .map(|p| {
            let id = pd_id("P", 7, hash_str(p));
            json!({"id": id, "type": "escalation_policy", "name": p, "summary": p})
        })
        .collect()
}

fn matching(list: Vec<Value>, req: &Request) -> Vec<Value> {
    let q = req.query_value("query").unwrap_or_default().to_lowercase();
    list.into_iter()
        .filter(|v| {
            q.is_empty()
                || ["name", "email", "id"].iter().any(|k| {
                    v[*k]
                        .as_str()
                        .is_some_and(|s| s.to_lowercase().contains(&q))
                })
        })
        .collect()
}

impl Mocks {
    pub(in crate::integrations::mock) fn pd_directory(
        &self,
        req: &Request,
        what: &str,
    ) -> Response {
        let (key, all) = if what == "users" {
            ("users", users())
        } else {
            ("escalation_policies", policies())
        };
        let hits = matching(all, req);
        json_resp(
            200,
            json!({key: hits, "limit": 100, "offset": 0, "more": false, "total": null}),
        )
    }

    /// `PUT /incidents/{id}` without a status: reassign or escalate.
    pub(super) fn pd_hand_on(
        &self,
        from: &str,
        id: &str,
        change: &serde_json::Map<String, Value>,
    ) -> Response {
        let mut inbox = self.inbox();
        let Some(incident) = inbox.incidents.iter_mut().find(|i| i.v["id"] == id) else {
            return super::pagerduty::not_found();
        };
        let v = &mut incident.v;
        if v["status"] == "resolved" {
            return super::pagerduty::error(400, "Incident Already Resolved", 1001);
        }
        let now = pd_time(Utc::now());
        let who = super::pagerduty::user_for(from);
        if let Some(level) = change.get("escalation_level") {
            let Some(level) = level.as_u64().filter(|l| (1..=2).contains(l)) else {
                return super::pagerduty::invalid(
                    "Escalation level is not in the escalation policy",
                );
            };
            let r = PD_ROTATIONS.iter().find(|r| u64::from(r.level) == level);
            let (name, email) = r.map(|r| r.members[0]).unwrap_or(("", ""));
            v["escalation_level"] = json!(level);
            v["status"] = json!("triggered");
            v["acknowledgements"] = json!([]);
            v["assignments"] = json!([{"at": now, "assignee": seed::user_ref(&pd_id("P", 7, hash_str(email)), name)}]);
        } else if let Some(Value::Array(a)) = change.get("assignments") {
            let all = users();
            let mut assigned = Vec::new();
            for x in a {
                let uid = x["assignee"]["id"].as_str().unwrap_or_default();
                let Some(u) = all.iter().find(|u| u["id"] == uid) else {
                    return super::pagerduty::invalid("Assignee is not a user on the account");
                };
                assigned.push(json!({"at": now, "assignee": seed::user_ref(uid, u["name"].as_str().unwrap_or_default())}));
            }
            if assigned.is_empty() {
                return super::pagerduty::invalid("Assignments cannot be empty");
            }
            v["assignments"] = json!(assigned);
            v["status"] = json!("triggered");
            v["acknowledgements"] = json!([]);
        } else if let Some(ep) = change.get("escalation_policy") {
            let pid = ep["id"].as_str().unwrap_or_default();
            let Some(p) = policies().into_iter().find(|p| p["id"] == pid) else {
                return super::pagerduty::invalid("Escalation policy not found");
            };
            v["escalation_policy"] =
                json!({"id": pid, "type": "escalation_policy_reference", "summary": p["name"]});
            v["escalation_level"] = json!(1);
            v["status"] = json!("triggered");
            v["acknowledgements"] = json!([]);
        } else {
            return super::pagerduty::invalid("Status must be acknowledged or resolved");
        }
        v["updated_at"] = json!(now);
        v["last_status_change_at"] = json!(now);
        v["last_status_change_by"] = who;
        json_resp(200, json!({"incident": v}))
    }

    /// `POST /incidents/{id}/snooze`: acknowledged incidents only.
    pub(super) fn pd_snooze(&self, req: &Request, id: &str) -> Response {
        let Some(from) = super::pagerduty::from_header(req) else {
            return super::pagerduty::missing_from();
        };
        let _ = from;
        let secs = body_object(req)
            .and_then(|b| b.get("duration").and_then(Value::as_i64))
            .unwrap_or(0);
        if !(1..=604_800).contains(&secs) {
            return super::pagerduty::invalid("Duration must be between 1 and 604800 seconds");
        }
        let mut inbox = self.inbox();
        let Some(incident) = inbox.incidents.iter_mut().find(|i| i.v["id"] == id) else {
            return super::pagerduty::not_found();
        };
        let v = &mut incident.v;
        if v["status"] != "acknowledged" {
            return super::pagerduty::invalid("Incident must be acknowledged to be snoozed");
        }
        let until = Utc::now() + TimeDelta::seconds(secs);
        v["pending_actions"] = json!([{"type": "unacknowledge", "at": pd_time(until)}]);
        v["updated_at"] = json!(pd_time(Utc::now()));
        json_resp(201, json!({"incident": v}))
    }

    /// `POST /incidents/{id}/responder_requests`.
    pub(super) fn pd_responders(&self, req: &Request, id: &str) -> Response {
        let Some(body) = body_object(req) else {
            return super::pagerduty::invalid("The request body is not valid JSON");
        };
        let all = users();
        let requester = body
            .get("requester_id")
            .and_then(Value::as_str)
            .unwrap_or("");
        let Some(by) = all.iter().find(|u| u["id"] == requester) else {
            return super::pagerduty::invalid("Requester is not a user on the account");
        };
        let targets = body
            .get("responder_request_targets")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if targets.is_empty() || str_field(&body, "message").is_none() {
            return super::pagerduty::invalid("Message and responder request targets are required");
        }
        let mut inbox = self.inbox();
        let Some(incident) = inbox.incidents.iter_mut().find(|i| i.v["id"] == id) else {
            return super::pagerduty::not_found();
        };
        let now = pd_time(Utc::now());
        let mut out = Vec::new();
        for t in &targets {
            let t = &t["responder_request_target"];
            let tid = t["id"].as_str().unwrap_or_default();
            let known =
                all.iter().any(|u| u["id"] == tid) || policies().iter().any(|p| p["id"] == tid);
            if !known {
                return super::pagerduty::invalid("Responder request target not found");
            }
            out.push(json!({"responder_request_target": {"id": tid, "type": t["type"],
                "incidents_responders": [{"state": "pending", "user": {"id": tid}, "requested_at": now}]}}));
        }
        let v = &mut incident.v;
        let mut responders = v["responders"].as_array().cloned().unwrap_or_default();
        responders.extend(out.iter().cloned());
        v["responders"] = json!(responders);
        json_resp(
            200,
            json!({"responder_request": {
                "incident": {"id": id, "type": "incident_reference"},
                "requester": seed::user_ref(requester, by["name"].as_str().unwrap_or_default()),
                "requested_at": now,
                "message": body.get("message").cloned().unwrap_or(Value::Null),
                "responder_request_targets": out,
            }}),
        )
    }
}
