//! Opsgenie Alert API v2 (vendor-apis.md §4, §7, §9): list with `query`,
//! offset paging and absolute `paging.next` links; get; count; create;
//! asynchronous acknowledge / close / add note answered 202 and confirmed
//! through `GET /v2/alerts/requests/{id}`; notes.
//!
//! The mock applies each accepted change at once and keeps the outcome for
//! the request-status route (which `set_opsgenie_pending_polls` can make
//! answer 404 a few times first, as a slow real queue does).

use super::seed::API_INTEGRATION;
use super::*;

fn og_json(status: u16, mut body: Value) -> Response {
    body["took"] = json!(0.01);
    body["requestId"] = json!(uuid_like());
    json_resp(status, body)
}

fn og_error(status: u16, message: &str) -> Response {
    og_json(status, json!({"message": message}))
}

/// `status:open`, `status:closed`, `acknowledged:true|false` (also with `=`),
/// joined by spaces or `AND`. `None` for anything else.
fn parse_query(q: &str) -> Option<Vec<(&'static str, Value)>> {
    let mut terms = Vec::new();
    let mut toks = q.split_whitespace();
    while let Some(tok) = toks.next() {
        if tok.eq_ignore_ascii_case("and") {
            continue;
        }
        let (key, value) = tok.split_once([':', '='])?;
        let value = if value.is_empty() {
            toks.next()?
        } else {
            value
        };
        let term = match (
            key.to_ascii_lowercase().as_str(),
            value.to_ascii_lowercase().as_str(),
        ) {
            ("status", v @ ("open" | "closed")) => ("status", json!(v)),
            ("acknowledged", "true") => ("acknowledged", json!(true)),
            ("acknowledged", "false") => ("acknowledged", json!(false)),
            _ => return None,
        };
        terms.push(term);
    }
    Some(terms)
}

fn matches_query(terms: &[(&str, Value)], a: &Alert) -> bool {
    terms.iter().all(|(k, v)| a.v[*k] == *v)
}

/// `identifierType` (default `id`), or the 422 for an unknown one.
fn identifier_type(req: &Request) -> Result<&'static str, Response> {
    match req.query_value("identifierType").as_deref() {
        None | Some("" | "id") => Ok("id"),
        Some("tiny") => Ok("tiny"),
        Some("alias") => Ok("alias"),
        Some(_) => Err(og_error(
            422,
            "identifierType must be one of id, tiny, alias",
        )),
    }
}

/// The alert an identifier names: for `tiny` and `alias` the open one if
/// any, else the newest.
fn find(alerts: &[Alert], ident: &str, kind: &str) -> Option<usize> {
    let field = match kind {
        "tiny" => "tinyId",
        "alias" => "alias",
        _ => "id",
    };
    let hits = alerts
        .iter()
        .enumerate()
        .filter(|(_, a)| a.v[field] == ident);
    hits.max_by_key(|(_, a)| (a.v["status"] == "open", a.created))
        .map(|(i, _)| i)
}

impl Inbox {
    /// Remember a processed request; its id.
    pub(super) fn record(
        &mut self,
        action: &str,
        status: &str,
        ok: bool,
        alert_id: &str,
        alias: &str,
    ) -> String {
        let id = uuid_like();
        let data = json!({
            "success": ok,
            "action": action,
            "processedAt": og_time(Utc::now()),
            "integrationId": API_INTEGRATION.0,
            "isSuccess": ok,
            "status": status,
            "alertId": alert_id,
            "alias": alias,
        });
        if self.request_order.len() >= MAX_ITEMS
            && let Some(old) = self.request_order.pop_front()
        {
            self.requests.remove(&old);
        }
        self.request_order.push_back(id.clone());
        self.requests
            .insert(id.clone(), OgRequest { data, polls: 0 });
        id
    }
}

pub(super) fn accepted(request_id: String) -> Response {
    json_resp(
        202,
        json!({"result": "Request will be processed", "took": 0.1, "requestId": request_id}),
    )
}

pub(super) fn note(text: &str, owner: &str, now: DateTime<Utc>, n: u64) -> Value {
    json!({
        "note": text,
        "owner": owner,
        "createdAt": og_time(now),
        "offset": format!("{}{:06}", now.timestamp_millis(), n % 1_000_000),
    })
}

impl Mocks {
    /// Everything under `/opsgenie`.
    pub(in crate::integrations::mock) fn opsgenie(&self, req: &Request, rest: &[&str]) -> Response {
        // Identifiers arrive percent-encoded in the path.
        let decoded: Vec<String> = rest.iter().map(|s| percent_decode_path(s)).collect();
        let rest: Vec<&str> = decoded.iter().map(String::as_str).collect();
        let rest = rest.as_slice();
        let known = matches!(
            (req.method.as_str(), rest),
            ("GET", ["v2", "account"])
                | ("GET" | "POST", ["v2", "alerts"])
                | ("GET", ["v2", "alerts", _])
                | ("GET", ["v2", "alerts", "requests", _])
                | (
                    "POST",
                    [
                        "v2",
                        "alerts",
                        _,
                        "close"
                            | "acknowledge"
                            | "notes"
                            | "unacknowledge"
                            | "snooze"
                            | "assign"
                            | "escalate"
                            | "responders"
                    ]
                )
                | ("GET", ["v2", "alerts", _, "notes"])
                | ("GET", ["v2", "schedules"])
                | ("GET", ["v2", "schedules", _, "timeline"])
        );
        if !known {
            return not_found();
        }
        if !req.has("authorization") {
            return json_resp(
                401,
                json!({"message": "Could not authenticate", "took": 0.0, "requestId": uuid_like()}),
            );
        }
        match (req.method.as_str(), rest) {
            ("GET", ["v2", "schedules"]) => self.og_schedules(),
            ("GET", ["v2", "schedules", id, "timeline"]) => self.og_timeline(req, id),
            ("GET", ["v2", "account"]) => og_json(
                200,
                json!({"data": {"name": "credguard", "userCount": 12, "plan": {"name": "Standard"}}}),
            ),
            ("GET", ["v2", "alerts", "count"]) => {
                let query = req
                    .query_value("query")
                    .unwrap_or_else(|| "status:open".into());
                let Some(terms) = parse_query(&query) else {
                    return og_error(422, "Invalid query");
                };
                let count = self
                    .inbox()
                    .alerts
                    .iter()
                    .filter(|a| matches_query(&terms, a))
                    .count();
                og_json(200, json!({"data": {"count": count}}))
            }
            ("GET", ["v2", "alerts"]) => self.og_list(req),
            ("POST", ["v2", "alerts"]) => self.og_create(req),
            ("GET", ["v2", "alerts", "requests", id]) => {
                let mut inbox = self.inbox();
                let pending = inbox.pending_polls;
                match inbox.requests.get_mut(*id) {
                    Some(r) if r.polls >= pending => og_json(200, json!({"data": r.data})),
                    Some(r) => {
                        r.polls += 1;
                        og_error(404, "Request not found. It might not be processed, yet.")
                    }
                    None => og_error(404, "Request not found. It might not be processed, yet."),
                }
            }
            ("GET", ["v2", "alerts", ident, ..]) => {
                let kind = match identifier_type(req) {
                    Ok(k) => k,
                    Err(resp) => return resp,
                };
                let inbox = self.inbox();
                let Some(i) = find(&inbox.alerts, ident, kind) else {
                    return og_error(404, "Alert does not exist");
                };
                let alert = &inbox.alerts[i];
                if rest.len() == 3 {
                    return og_json(200, json!({"data": alert.v}));
                }
                let mut notes = alert.notes.clone();
                if req.query_value("order").as_deref() != Some("asc") {
                    notes.reverse();
                }
                let limit = query_u64(req, "limit").ok().flatten().unwrap_or(100);
                notes.truncate(limit.clamp(1, 100) as usize);
                let host = req.header("host").unwrap_or("localhost");
                let url = format!("http://{host}{}", req.path);
                og_json(
                    200,
                    json!({"data": notes, "paging": {"first": url, "last": url}}),
                )
            }
            ("POST", ["v2", "alerts", ident, what]) => self.og_act(req, ident, what),
            _ => not_found(),
        }
    }

    fn og_list(&self, req: &Request) -> Response {
        let query = req.query_value("query").unwrap_or_default();
        let Some(terms) = parse_query(&query) else {
            return og_error(422, "Invalid query");
        };
        let Ok(limit) = query_u64(req, "limit") else {
            return og_error(422, "limit must be a whole number between 1 and 100");
        };
        let limit = limit.unwrap_or(20).clamp(1, 100);
        let Ok(offset) = query_u64(req, "offset") else {
            return og_error(422, "offset must be a non-negative whole number");
        };
        let offset = offset.unwrap_or(0);
        let sort = req
            .query_value("sort")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "createdAt".into());
        let field = match sort.as_str() {
            "createdAt" | "updatedAt" | "lastOccurredAt" | "tinyId" | "count" => sort.clone(),
            _ => {
                return og_error(
                    422,
                    "sort must be one of createdAt, updatedAt, lastOccurredAt, tinyId, count",
                );
            }
        };
        let order = req
            .query_value("order")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "desc".into());
        if order != "asc" && order != "desc" {
            return og_error(422, "order must be asc or desc");
        }

        let inbox = self.inbox();
        let mut hits: Vec<&Alert> = inbox
            .alerts
            .iter()
            .filter(|a| matches_query(&terms, a))
            .collect();
        let tiny = |a: &Alert| {
            a.v["tinyId"]
                .as_str()
                .and_then(|t| t.parse::<u64>().ok())
                .unwrap_or(0)
        };
        hits.sort_by(|a, b| {
            let ord = match field.as_str() {
                "createdAt" => a.created.cmp(&b.created),
                "count" => a.v["count"].as_u64().cmp(&b.v["count"].as_u64()),
                "tinyId" => std::cmp::Ordering::Equal,
                f => a.v[f].as_str().cmp(&b.v[f].as_str()),
            }
            .then_with(|| tiny(a).cmp(&tiny(b)));
            if order == "desc" { ord.reverse() } else { ord }
        });
        let total = hits.len() as u64;
        let data: Vec<Value> = hits
            .iter()
            .skip(offset as usize)
            .take(limit as usize)
            .map(|a| a.v.clone())
            .collect();
        drop(inbox);

        let host = req.header("host").unwrap_or("localhost");
        let url = |off: u64| {
            format!(
                "http://{host}/opsgenie/v2/alerts?query={}&offset={off}&limit={limit}&sort={}&order={}",
                percent_encode(&query),
                percent_encode(&sort),
                percent_encode(&order),
            )
        };
        let mut paging =
            json!({"first": url(0), "last": url(total.saturating_sub(1) / limit * limit)});
        if offset > 0 {
            paging["prev"] = json!(url(offset.saturating_sub(limit)));
        }
        let next = (offset.saturating_add(limit) < total).then(|| url(offset + limit));
        if let Some(next) = &next {
            paging["next"] = json!(next);
        }
        let resp = og_json(200, json!({"data": data, "paging": paging}));
        match next {
            Some(next) => resp.header("X-Paging-Next", &next),
            None => resp,
        }
    }

    fn og_create(&self, req: &Request) -> Response {
        let Some(body) = body_object(req) else {
            return og_error(400, "Request body is not valid JSON");
        };
        let Some(message) = str_field(&body, "message") else {
            return og_error(422, "Message can not be empty.");
        };
        let priority = str_field(&body, "priority").unwrap_or("P3");
        if !matches!(priority, "P1" | "P2" | "P3" | "P4" | "P5") {
            return og_error(422, "Priority should be one of P1, P2, P3, P4, P5");
        }
        let user = str_field(&body, "user").unwrap_or(API_INTEGRATION.1);
        let now = Utc::now();
        let mut inbox = self.inbox();
        let alias = str_field(&body, "alias");
        let open = alias.and_then(|a| {
            inbox
                .alerts
                .iter()
                .position(|x| x.v["alias"] == a && x.v["status"] == "open")
        });
        let at = if let Some(at) = open {
            // De-duplication: one open alert per alias; it counts again.
            let v = &mut inbox.alerts[at].v;
            v["count"] = json!(v["count"].as_u64().unwrap_or(1) + 1);
            v["lastOccurredAt"] = json!(og_time(now));
            v["updatedAt"] = json!(og_time(now));
            at
        } else {
            let tiny = inbox
                .alerts
                .iter()
                .filter_map(|a| a.v["tinyId"].as_str()?.parse::<u64>().ok())
                .max()
                .unwrap_or(0)
                + 1;
            let id = uuid_like();
            let tags: Vec<&str> = body
                .get("tags")
                .and_then(Value::as_array)
                .map(|t| t.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let v = json!({
                "id": id,
                "tinyId": tiny.to_string(),
                "alias": alias.unwrap_or(&id),
                "message": message,
                "status": "open",
                "acknowledged": false,
                "isSeen": false,
                "seen": false,
                "tags": tags,
                "snoozed": false,
                "count": 1,
                "lastOccurredAt": og_time(now),
                "createdAt": og_time(now),
                "updatedAt": og_time(now),
                "source": str_field(&body, "source").unwrap_or(API_INTEGRATION.1),
                "owner": "",
                "priority": priority,
                "responders": body.get("responders").filter(|r| r.is_array()).cloned().unwrap_or_else(|| json!([])),
                "integration": {"id": API_INTEGRATION.0, "name": API_INTEGRATION.1, "type": API_INTEGRATION.2},
                "report": {},
            });
            if inbox.alerts.len() >= MAX_ITEMS {
                let oldest_closed = inbox.alerts.iter().position(|a| a.v["status"] == "closed");
                inbox.alerts.remove(oldest_closed.unwrap_or(0));
            }
            inbox.alerts.push(Alert {
                v,
                created: now,
                notes: Vec::new(),
            });
            inbox.alerts.len() - 1
        };
        if let Some(text) = str_field(&body, "note") {
            let n = inbox.next();
            push_capped(&mut inbox.alerts[at].notes, note(text, user, now, n));
        }
        let (alert_id, alias) = {
            let v = &inbox.alerts[at].v;
            (
                v["id"].as_str().unwrap_or("").to_string(),
                v["alias"].as_str().unwrap_or("").to_string(),
            )
        };
        let rid = inbox.record("Create", "Created alert", true, &alert_id, &alias);
        accepted(rid)
    }

    fn og_act(&self, req: &Request, ident: &str, what: &str) -> Response {
        let kind = match identifier_type(req) {
            Ok(k) => k,
            Err(resp) => return resp,
        };
        let Some(body) = body_object(req) else {
            return og_error(400, "Request body is not valid JSON");
        };
        let text = str_field(&body, "note");
        if what == "notes" && text.is_none() {
            return og_error(422, "Note is required");
        }
        let user = str_field(&body, "user").unwrap_or(API_INTEGRATION.1);
        let (action, done) = match what {
            "acknowledge" => ("Acknowledge", "Acknowledged alert"),
            "close" => ("Close", "Closed alert"),
            "notes" => ("AddNote", "Added note"),
            _ => match super::hand_on::names(what) {
                Some(names) => names,
                None => return not_found(),
            },
        };
        let now = Utc::now();
        let mut inbox = self.inbox();
        let Some(at) = find(&inbox.alerts, ident, kind) else {
            let id = if kind == "id" { ident } else { "" };
            let alias = if kind == "alias" { ident } else { "" };
            let rid = inbox.record(action, "Alert does not exist", false, id, alias);
            return accepted(rid);
        };
        let n = inbox.next();
        let alert = &mut inbox.alerts[at];
        let since = (now - alert.created).num_milliseconds().max(0);
        let v = &mut alert.v;
        let open = v["status"] == "open";
        let outcome = match what {
            // The mock's choice: acknowledging a closed alert fails.
            "acknowledge" if !open => Err("Alert is already closed"),
            "acknowledge" => {
                if v["acknowledged"] != true {
                    v["acknowledged"] = json!(true);
                    v["isSeen"] = json!(true);
                    v["seen"] = json!(true);
                    v["owner"] = json!(user);
                    v["report"]["ackTime"] = json!(since);
                    v["report"]["acknowledgedBy"] = json!(user);
                }
                Ok(())
            }
            "close" => {
                // Closing a closed alert is a no-op success.
                if open {
                    v["status"] = json!("closed");
                    v["report"]["closeTime"] = json!(since);
                    v["report"]["closedBy"] = json!(user);
                }
                Ok(())
            }
            "notes" => Ok(()),
            _ if !open => Err("Alert is already closed"),
            _ => super::hand_on::apply(v, what, &body, now),
        };
        if outcome.is_ok() {
            v["updatedAt"] = json!(og_time(now));
            if let Some(text) = text {
                push_capped(&mut alert.notes, note(text, user, now, n));
            }
        }
        let (alert_id, alias) = (
            alert.v["id"].as_str().unwrap_or("").to_string(),
            alert.v["alias"].as_str().unwrap_or("").to_string(),
        );
        let rid = match outcome {
            Ok(()) => inbox.record(action, done, true, &alert_id, &alias),
            Err(why) => inbox.record(action, why, false, &alert_id, &alias),
        };
        accepted(rid)
    }
}
