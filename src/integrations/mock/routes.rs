//! The vendors whose routes need more than a line or two, and the faults'
//! error bodies.

use super::*;

pub(super) fn sentry(req: &Request, rest: &[&str]) -> Response {
    let unauthorized = || json_resp(401, json!({"detail": "missing authorization information"}));
    match (req.method.as_str(), rest) {
        ("POST", ["api", project, "envelope"]) if is_digits(project) => {
            if !req.has("x-sentry-auth") && req.query_param("sentry_key").is_none() {
                return unauthorized();
            }
            if req.body.is_empty() {
                return json_resp(400, json!({"detail": "empty request body"}));
            }
            let header_line = req.body.split(|&b| b == b'\n').next().unwrap_or(&[]);
            let id = serde_json::from_slice::<Value>(header_line)
                .ok()
                .and_then(|h| {
                    h.get("event_id")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .unwrap_or_else(|| random_hex(16));
            json_resp(200, json!({"id": id}))
        }
        ("GET", ["api", "0", "projects", _org, _project, "keys"]) => {
            if !req.has("authorization") {
                return unauthorized();
            }
            let public = "a".repeat(32);
            let secret = "b".repeat(32);
            json_resp(
                200,
                json!([{
                    "id": "k1",
                    "name": "Default",
                    "label": "Default",
                    "public": public,
                    "secret": secret,
                    "projectId": 1,
                    "isActive": true,
                    "rateLimit": null,
                    "dsn": {
                        "public": format!("https://{public}@o1.ingest.sentry.io/1"),
                        "secret": format!("https://{public}:{secret}@o1.ingest.sentry.io/1"),
                    },
                }]),
            )
        }
        ("GET", ["api", "0", "organizations"]) => {
            if !req.has("authorization") {
                return unauthorized();
            }
            json_resp(200, json!([]))
        }
        _ => not_found(),
    }
}

/// PagerDuty's stateless routes; incidents live in `inbox::pagerduty`.
pub(super) fn pagerduty(req: &Request, rest: &[&str]) -> Response {
    let rest_api = |req: &Request, body: Value| {
        if req.has("authorization") {
            json_resp(200, body)
        } else {
            json_resp(
                401,
                json!({"error": {"message": "Authentication failed", "code": 2006}}),
            )
        }
    };
    match (req.method.as_str(), rest) {
        ("GET", ["abilities"]) => rest_api(req, json!({"abilities": ["teams"]})),
        ("GET", ["services", id]) => rest_api(
            req,
            json!({"service": {"id": id, "status": "active", "name": "credguard"}}),
        ),
        ("POST", ["v2", "enqueue"]) | ("POST", ["v2", "change", "enqueue"]) => {
            let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
                return pagerduty_invalid_event("Invalid JSON");
            };
            let has_key = body
                .get("routing_key")
                .and_then(Value::as_str)
                .is_some_and(|k| !k.trim().is_empty());
            if !has_key {
                return pagerduty_invalid_event("'routing_key' is missing or blank");
            }
            let dedup_key = body
                .get("dedup_key")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| random_hex(16));
            json_resp(
                202,
                json!({"status": "success", "message": "Event processed", "dedup_key": dedup_key}),
            )
        }
        _ => not_found(),
    }
}

pub(super) fn pagerduty_invalid_event(error: &str) -> Response {
    json_resp(
        400,
        json!({"status": "invalid event", "message": "Event object is invalid", "errors": [error]}),
    )
}

pub(super) fn slack(req: &Request, rest: &[&str]) -> Response {
    match (req.method.as_str(), rest) {
        ("POST", ["services", _, _, _]) => match serde_json::from_slice::<Value>(&req.body) {
            Err(_) => text(400, "invalid_payload"),
            Ok(body) => {
                let has_text = body
                    .get("text")
                    .and_then(Value::as_str)
                    .is_some_and(|t| !t.is_empty());
                if has_text {
                    text(200, "ok")
                } else {
                    text(400, "no_text")
                }
            }
        },
        _ => not_found(),
    }
}

pub(super) fn splunk(req: &Request, rest: &[&str]) -> Response {
    let unauthorized = || json_resp(401, json!({"text": "Token is required", "code": 2}));
    match (req.method.as_str(), rest) {
        ("GET", ["services", "collector", "health"])
        | ("GET", ["services", "collector", "health", "1.0"]) => {
            json_resp(200, json!({"text": "HEC is healthy", "code": 17}))
        }
        ("POST", ["services", "collector"])
        | ("POST", ["services", "collector", "event"])
        | ("POST", ["services", "collector", "event", "1.0"]) => {
            if !req.has("authorization") {
                return unauthorized();
            }
            if req.body.iter().all(u8::is_ascii_whitespace) {
                return json_resp(400, json!({"text": "No data", "code": 5}));
            }
            let well_formed = serde_json::Deserializer::from_slice(&req.body)
                .into_iter::<Value>()
                .all(|v| v.is_ok());
            if !well_formed {
                return json_resp(400, json!({"text": "Invalid data format", "code": 6}));
            }
            json_resp(200, json!({"text": "Success", "code": 0}))
        }
        ("POST", ["services", "collector", "ack"]) => {
            if !req.has("authorization") {
                return unauthorized();
            }
            let mut acks = serde_json::Map::new();
            if let Some(ids) = serde_json::from_slice::<Value>(&req.body)
                .ok()
                .and_then(|b| b.get("acks").and_then(Value::as_array).cloned())
            {
                for id in ids {
                    acks.insert(id.to_string().trim_matches('"').to_string(), json!(true));
                }
            }
            if acks.is_empty() {
                acks.insert("0".into(), json!(true));
            }
            json_resp(200, json!({"acks": acks}))
        }
        _ => not_found(),
    }
}

/// The vendor's real error answer for `code` (vendor-apis.md), or a short
/// generic JSON body for codes the vendor documents nothing for.
pub(super) fn fault_response(vendor: &str, req: &Request, code: u16) -> Response {
    let segs = req.segments();
    let rest = segs.get(1..).unwrap_or(&[]);
    let generic = || json_resp(code, json!({"error": format!("mock fault {code}")}));
    match (vendor, code) {
        ("datadog", 401) => json_resp(401, json!({"errors": ["Unauthorized"]})),
        ("datadog", 403) => json_resp(403, json!({"errors": ["Forbidden"]})),
        ("datadog", 429) => json_resp(429, json!({"errors": ["Rate limit exceeded"]}))
            .header("X-RateLimit-Reset", "2")
            .header("X-RateLimit-Remaining", "0"),
        ("sentry", 400) if rest.get(2) == Some(&"envelope") => {
            json_resp(400, json!({"detail": "bad sentry DSN public key"}))
        }
        ("sentry", 401) => json_resp(401, json!({"detail": "missing authorization information"})),
        ("sentry", 403) if rest.get(1) == Some(&"0") => json_resp(
            403,
            json!({"detail": "You do not have permission to perform this action."}),
        ),
        ("sentry", 403) => json_resp(
            403,
            json!({"detail": "event submission rejected with_reason: ProjectId"}),
        ),
        ("sentry", 429) => generic().header("Retry-After", "2"),
        ("pagerduty", 400) if rest.first() == Some(&"v2") => pagerduty_invalid_event(
            "Length of 'routing_key' is incorrect (should be 32 characters)",
        ),
        ("pagerduty", 401) => json_resp(
            401,
            json!({"error": {"message": "Authentication failed", "code": 2006}}),
        ),
        ("pagerduty", 429) => json_resp(
            429,
            json!({"error": {"message": "Rate Limit Exceeded", "code": 2020}}),
        )
        .header("ratelimit-reset", "2"),
        ("opsgenie", 401) => json_resp(
            401,
            json!({"message": "Could not authenticate", "took": 0.0, "requestId": uuid_like()}),
        ),
        ("opsgenie", 422) => json_resp(
            422,
            json!({
                "message": "Request body is not processable. Please check the errors.",
                "errors": {"responders": "No team exists with name [ops-eu]"},
                "took": 0.0,
                "requestId": uuid_like(),
            }),
        ),
        ("opsgenie", 403) => json_resp(
            403,
            json!({
                "message": "To perform this action, use an API key from an API integration.",
                "code": 40301,
                "took": 0.0,
                "requestId": uuid_like(),
            }),
        ),
        ("slack", 400 | 403) => text(code, "invalid_token"),
        ("slack", 404) => text(404, "no_service"),
        ("slack", 410) => text(410, "channel_is_archived"),
        ("slack", 429) => text(429, "rate_limited").header("Retry-After", "2"),
        ("slack", 500..=599) => text(code, "rollup_error"),
        ("splunk", 401) => json_resp(401, json!({"text": "Token is required", "code": 2})),
        ("splunk", 403) => json_resp(403, json!({"text": "Token disabled", "code": 1})),
        ("splunk", 500) => json_resp(500, json!({"text": "Internal server error", "code": 8})),
        // The health endpoint reports full queues; ingest says it is busy.
        ("splunk", 503) if rest.get(2) == Some(&"health") => json_resp(
            503,
            json!({"text": "HEC is unhealthy, queues are full", "code": 18}),
        ),
        ("splunk", 503) => json_resp(503, json!({"text": "Server is busy", "code": 9})),
        _ => generic(),
    }
}

// ---------------------------------------------------------------------------
// HTTP/1.1 plumbing
