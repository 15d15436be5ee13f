//! Local stand-ins for the six SaaS APIs the integrations talk to
//! (shared/vendor-apis.md), served by one small HTTP/1.1 server written
//! directly on tokio. Each vendor lives under a path prefix, so an
//! integration's base URL is `http://127.0.0.1:PORT/<vendor>`.
//!
//! The mocks accept any credential but answer 401 with the vendor's body
//! when its auth header is missing entirely. Faults (per vendor) make every
//! route of that vendor answer an error status, answer late, hang or drop
//! the connection. Every request received is recorded, so tests can assert
//! that polling causes no side effects.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The vendor prefixes the mock serves (and faults can name).
pub const VENDORS: [&str; 7] = [
    "datadog",
    "sentry",
    "pagerduty",
    "opsgenie",
    "slack",
    "splunk",
    "http",
];

/// Largest request head (request line + headers) accepted.
const MAX_HEAD: usize = 64 * 1024;
/// Largest request body accepted.
const MAX_BODY: usize = 1024 * 1024;
/// A client must send its whole request within this time.
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How many requests `requests()` remembers (oldest dropped first).
const MAX_LOG: usize = 10_000;
/// Longest `slow:` delay `parse_fault` accepts.
const MAX_SLOW_MS: u64 = 600_000;

/// What a vendor does instead of answering normally.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer this status with the vendor's real error body for it.
    Status(u16),
    /// Wait this long, then answer normally.
    Slow(Duration),
    /// Read the request, then never answer (until the client goes away).
    Hang,
    /// Close the connection without answering.
    Drop,
}

/// Parse a fault spec: "slack=404", "datadog=403", "splunk=slow:3000",
/// "sentry=hang", "opsgenie=drop", "pagerduty=429", "splunk=503".
pub fn parse_fault(spec: &str) -> Result<(String, Fault), String> {
    const ALLOWED: &str = "expected VENDOR=FAULT where VENDOR is one of datadog, sentry, \
        pagerduty, opsgenie, slack, splunk, http and FAULT is an HTTP status 400-599 \
        (\"slack=404\"), slow:MILLISECONDS (\"splunk=slow:3000\"), hang or drop";
    let Some((vendor, fault)) = spec.split_once('=') else {
        return Err(format!("fault {spec:?}: missing '='; {ALLOWED}"));
    };
    let vendor = vendor.trim().to_ascii_lowercase();
    if !VENDORS.contains(&vendor.as_str()) {
        return Err(format!(
            "fault {spec:?}: unknown vendor {vendor:?}; {ALLOWED}"
        ));
    }
    let what = fault.trim().to_ascii_lowercase();
    let fault = match what.as_str() {
        "hang" => Fault::Hang,
        "drop" => Fault::Drop,
        _ => {
            if let Some(ms) = what.strip_prefix("slow:") {
                let ms: u64 = ms.trim().parse().map_err(|_| {
                    format!("fault {spec:?}: slow needs a whole number of milliseconds; {ALLOWED}")
                })?;
                if ms > MAX_SLOW_MS {
                    return Err(format!(
                        "fault {spec:?}: slow may be at most {MAX_SLOW_MS} ms; {ALLOWED}"
                    ));
                }
                Fault::Slow(Duration::from_millis(ms))
            } else if let Ok(code) = what.parse::<u16>() {
                if !(400..=599).contains(&code) {
                    return Err(format!(
                        "fault {spec:?}: status {code} is not an error status; {ALLOWED}"
                    ));
                }
                Fault::Status(code)
            } else {
                return Err(format!("fault {spec:?}: unknown fault {what:?}; {ALLOWED}"));
            }
        }
    };
    Ok((vendor, fault))
}

/// The mock server. Cloning is cheap: clones share faults and the request log.
#[derive(Clone)]
pub struct Mocks {
    inner: Arc<Inner>,
}

struct Inner {
    faults: Mutex<HashMap<String, Fault>>,
    log: Mutex<VecDeque<(String, String)>>,
    next_id: AtomicU64,
    /// Opsgenie request id → (action, alias), for `/v2/alerts/requests/<id>`.
    opsgenie: Mutex<HashMap<String, (&'static str, String)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl std::fmt::Debug for Mocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mocks")
            .field("faults", &*lock(&self.inner.faults))
            .finish_non_exhaustive()
    }
}

impl Mocks {
    pub fn new(faults: HashMap<String, Fault>) -> Mocks {
        let faults = faults
            .into_iter()
            .map(|(vendor, fault)| (vendor.to_ascii_lowercase(), fault))
            .collect();
        Mocks {
            inner: Arc::new(Inner {
                faults: Mutex::new(faults),
                log: Mutex::new(VecDeque::new()),
                next_id: AtomicU64::new(1),
                opsgenie: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Serve until the listener fails; each connection in its own task.
    pub async fn serve(self, listener: TcpListener) -> std::io::Result<()> {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    let me = self.clone();
                    tokio::spawn(async move { me.connection(stream).await });
                }
                Err(e) if is_transient(&e) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Change a vendor's fault while serving (`None` clears it).
    pub fn set_fault(&self, vendor: &str, fault: Option<Fault>) {
        let vendor = vendor.to_ascii_lowercase();
        let mut faults = lock(&self.inner.faults);
        match fault {
            Some(f) => {
                faults.insert(vendor, f);
            }
            None => {
                faults.remove(&vendor);
            }
        }
    }

    /// Every request received so far, oldest first: (method, path without
    /// query). Recorded as soon as the request is read, faults or not.
    pub fn requests(&self) -> Vec<(String, String)> {
        lock(&self.inner.log).iter().cloned().collect()
    }

    async fn connection(self, mut stream: TcpStream) {
        let req = match tokio::time::timeout(READ_TIMEOUT, read_request(&mut stream)).await {
            Ok(Ok(req)) => req,
            Ok(Err(ReadError::Bad(resp))) => {
                let _ = write_response(&mut stream, &resp).await;
                return;
            }
            Ok(Err(ReadError::Closed)) | Err(_) => return,
        };
        {
            let mut log = lock(&self.inner.log);
            if log.len() >= MAX_LOG {
                log.pop_front();
            }
            log.push_back((req.method.clone(), req.path.clone()));
        }
        let vendor = req.segments().first().copied().unwrap_or("").to_string();
        let fault = lock(&self.inner.faults).get(&vendor).cloned();
        let resp = match fault {
            Some(Fault::Drop) => return,
            Some(Fault::Hang) => {
                hold(stream).await;
                return;
            }
            Some(Fault::Slow(d)) => {
                tokio::time::sleep(d).await;
                self.route(&req)
            }
            Some(Fault::Status(code)) => fault_response(&vendor, &req, code),
            None => self.route(&req),
        };
        let _ = write_response(&mut stream, &resp).await;
    }

    fn next_id(&self) -> u64 {
        self.inner.next_id.fetch_add(1, Ordering::Relaxed)
    }

    fn route(&self, req: &Request) -> Response {
        let segs = req.segments();
        let Some((vendor, rest)) = segs.split_first() else {
            return not_found();
        };
        match *vendor {
            "datadog" => self.datadog(req, rest),
            "sentry" => sentry(req, rest),
            "pagerduty" => pagerduty(req, rest),
            "opsgenie" => self.opsgenie(req, rest),
            "slack" => slack(req, rest),
            "splunk" => splunk(req, rest),
            "http" => match (req.method.as_str(), rest) {
                ("GET", ["healthz"]) => text(200, "ok"),
                _ => not_found(),
            },
            _ => not_found(),
        }
    }

    fn datadog(&self, req: &Request, rest: &[&str]) -> Response {
        let unauthorized = || json_resp(401, json!({"errors": ["Unauthorized"]}));
        match (req.method.as_str(), rest) {
            ("GET", ["api", "v1", "validate"]) => {
                if !req.has("dd-api-key") {
                    return unauthorized();
                }
                json_resp(200, json!({"valid": true}))
            }
            ("GET", ["api", "v2", "validate_keys"]) => {
                if !req.has("dd-api-key") || !req.has("dd-application-key") {
                    return unauthorized();
                }
                json_resp(200, json!({"status": "ok"}))
            }
            ("POST", ["api", "v1", "events"]) => {
                if !req.has("dd-api-key") {
                    return unauthorized();
                }
                let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
                    return json_resp(
                        400,
                        json!({"errors": ["Payload is not in the expected format: invalid JSON"]}),
                    );
                };
                let title = body.get("title").cloned().unwrap_or(Value::Null);
                let id = 1_000_000 + self.next_id();
                json_resp(
                    202,
                    json!({"status": "ok", "event": {"id": id, "title": title}}),
                )
            }
            _ => not_found(),
        }
    }

    fn opsgenie(&self, req: &Request, rest: &[&str]) -> Response {
        let known = matches!(
            (req.method.as_str(), rest),
            ("GET", ["v2", "alerts", "count"])
                | ("GET", ["v2", "account"])
                | ("GET", ["v2", "alerts"])
                | ("POST", ["v2", "alerts"])
                | ("POST", ["v2", "alerts", _, "close" | "acknowledge"])
                | ("GET", ["v2", "alerts", "requests", _])
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
            ("GET", ["v2", "alerts", "count"]) => json_resp(
                200,
                json!({"data": {"count": 3}, "took": 0.004, "requestId": uuid_like()}),
            ),
            ("GET", ["v2", "account"]) => json_resp(
                200,
                json!({
                    "data": {"name": "credguard", "userCount": 12, "plan": {"name": "Standard"}},
                    "took": 0.002,
                    "requestId": uuid_like(),
                }),
            ),
            ("GET", ["v2", "alerts"]) => json_resp(
                200,
                json!({"data": [], "took": 0.003, "requestId": uuid_like()}),
            ),
            ("GET", ["v2", "alerts", "requests", id]) => {
                let (action, alias) = lock(&self.inner.opsgenie)
                    .get(*id)
                    .cloned()
                    .unwrap_or(("Create", String::new()));
                let status = match action {
                    "Close" => "Closed alert",
                    "Acknowledge" => "Acknowledged alert",
                    _ => "Created alert",
                };
                json_resp(
                    200,
                    json!({
                        "data": {
                            "success": true,
                            "isSuccess": true,
                            "action": action,
                            "status": status,
                            "alertId": uuid_like(),
                            "alias": alias,
                        },
                        "took": 0.001,
                        "requestId": uuid_like(),
                    }),
                )
            }
            ("POST", ["v2", "alerts", alias, what]) => {
                let action = if *what == "close" {
                    "Close"
                } else {
                    "Acknowledge"
                };
                self.opsgenie_accepted(action, alias.to_string())
            }
            _ => {
                // POST /v2/alerts: create.
                let alias = serde_json::from_slice::<Value>(&req.body)
                    .ok()
                    .and_then(|b| b.get("alias").and_then(Value::as_str).map(str::to_string))
                    .unwrap_or_default();
                self.opsgenie_accepted("Create", alias)
            }
        }
    }

    fn opsgenie_accepted(&self, action: &'static str, alias: String) -> Response {
        let request_id = uuid_like();
        {
            let mut map = lock(&self.inner.opsgenie);
            if map.len() >= MAX_LOG {
                map.clear();
            }
            map.insert(request_id.clone(), (action, alias));
        }
        json_resp(
            202,
            json!({"result": "Request will be processed", "took": 0.1, "requestId": request_id}),
        )
    }
}

fn sentry(req: &Request, rest: &[&str]) -> Response {
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

fn pagerduty(req: &Request, rest: &[&str]) -> Response {
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
        ("GET", ["incidents"]) => {
            let limit = req
                .query_param("limit")
                .and_then(|l| l.parse::<u64>().ok())
                .unwrap_or(25);
            rest_api(
                req,
                json!({"incidents": [], "limit": limit, "offset": 0, "more": false, "total": null}),
            )
        }
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

fn pagerduty_invalid_event(error: &str) -> Response {
    json_resp(
        400,
        json!({"status": "invalid event", "message": "Event object is invalid", "errors": [error]}),
    )
}

fn slack(req: &Request, rest: &[&str]) -> Response {
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

fn splunk(req: &Request, rest: &[&str]) -> Response {
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
fn fault_response(vendor: &str, req: &Request, code: u16) -> Response {
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

struct Request {
    method: String,
    /// Path without the query string.
    path: String,
    query: String,
    /// Header names lower-cased.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the header is present at all (any value is accepted).
    fn has(&self, name: &str) -> bool {
        self.header(name).is_some()
    }

    fn segments(&self) -> Vec<&str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }

    fn query_param(&self, key: &str) -> Option<&str> {
        self.query
            .split('&')
            .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }
}

struct Response {
    status: u16,
    content_type: &'static str,
    headers: Vec<(&'static str, String)>,
    body: String,
}

impl Response {
    fn header(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_string()));
        self
    }
}

fn json_resp(status: u16, body: Value) -> Response {
    Response {
        status,
        content_type: "application/json",
        headers: Vec::new(),
        body: body.to_string(),
    }
}

fn text(status: u16, body: &str) -> Response {
    Response {
        status,
        content_type: "text/plain; charset=utf-8",
        headers: Vec::new(),
        body: body.to_string(),
    }
}

fn not_found() -> Response {
    json_resp(404, json!({"error": "no such mock route"}))
}

enum ReadError {
    /// The client went away (or never sent a full request): just close.
    Closed,
    /// The request is malformed or too large: answer this.
    Bad(Response),
}

fn bad_request(why: &str) -> ReadError {
    ReadError::Bad(json_resp(400, json!({"error": why})))
}

fn too_large() -> ReadError {
    ReadError::Bad(json_resp(413, json!({"error": "request body too large"})))
}

/// Read once more from the client into `buf`.
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<(), ReadError> {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => Err(ReadError::Closed),
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Ok(())
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

async fn read_request(stream: &mut TcpStream) -> Result<Request, ReadError> {
    let mut buf = Vec::with_capacity(4096);
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD {
            return Err(ReadError::Bad(json_resp(
                431,
                json!({"error": "request head too large"}),
            )));
        }
        fill(stream, &mut buf).await?;
    };
    let head = std::str::from_utf8(&buf[..head_end])
        .map_err(|_| bad_request("request head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad_request("malformed request line"));
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() {
        return Err(bad_request("malformed request line"));
    }
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad_request("malformed header line"));
        };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    // Absolute-form targets (proxy style): keep only the path.
    let target = match target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
    {
        Some(rest) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut req = Request {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body: Vec::new(),
    };

    let mut rest = buf.split_off(head_end + 4);
    let chunked = req
        .header("transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    req.body = if chunked {
        loop {
            if let Some(body) = decode_chunked(&rest)? {
                break body;
            }
            if rest.len() > MAX_BODY + MAX_HEAD {
                return Err(too_large());
            }
            fill(stream, &mut rest).await?;
        }
    } else {
        let len = match req.header("content-length") {
            None => 0,
            Some(l) => l
                .parse::<usize>()
                .map_err(|_| bad_request("malformed Content-Length"))?,
        };
        if len > MAX_BODY {
            return Err(too_large());
        }
        while rest.len() < len {
            fill(stream, &mut rest).await?;
        }
        rest.truncate(len);
        rest
    };
    Ok(req)
}

/// Decode a complete chunked body; `Ok(None)` while more bytes are needed.
fn decode_chunked(data: &[u8]) -> Result<Option<Vec<u8>>, ReadError> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let Some(eol) = find(&data[pos..], b"\r\n") else {
            return Ok(None);
        };
        let line = std::str::from_utf8(&data[pos..pos + eol])
            .map_err(|_| bad_request("malformed chunk size"))?;
        let size_hex = line.split(';').next().unwrap_or("").trim();
        let size =
            usize::from_str_radix(size_hex, 16).map_err(|_| bad_request("malformed chunk size"))?;
        pos += eol + 2;
        if size == 0 {
            // Optional trailers, then an empty line.
            loop {
                let Some(eol) = find(&data[pos..], b"\r\n") else {
                    return Ok(None);
                };
                pos += eol + 2;
                if eol == 0 {
                    return Ok(Some(out));
                }
            }
        }
        if size > MAX_BODY || out.len() + size > MAX_BODY {
            return Err(too_large());
        }
        if data.len() < pos + size + 2 {
            return Ok(None);
        }
        out.extend_from_slice(&data[pos..pos + size]);
        if &data[pos + size..pos + size + 2] != b"\r\n" {
            return Err(bad_request("malformed chunk"));
        }
        pos += size + 2;
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Mock Fault",
    }
}

async fn write_response(stream: &mut TcpStream, resp: &Response) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        resp.status,
        reason(resp.status),
        resp.content_type,
        resp.body.len()
    );
    for (name, value) in &resp.headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(resp.body.as_bytes()).await?;
    stream.flush().await?;
    stream.shutdown().await
}

/// Hold a connection open without answering until the client goes away.
/// Each read waits for data or EOF, so this never spins.
async fn hold(mut stream: TcpStream) {
    let mut buf = [0u8; 1024];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
    }
}

fn is_transient(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock
    )
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `bytes` random bytes as lower-case hex.
fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    if getrandom::fill(&mut b).is_err() {
        // Not security relevant: fall back to a time-and-counter mix.
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let mut x = nanos
            ^ COUNTER
                .fetch_add(1, Ordering::Relaxed)
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        for byte in &mut b {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *byte = x as u8;
        }
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A random id shaped like a UUID (8-4-4-4-12 hex).
fn uuid_like() -> String {
    let h = random_hex(16);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    async fn start(faults: &[(&str, Fault)]) -> (Mocks, String) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mocks = Mocks::new(
            faults
                .iter()
                .map(|(v, f)| (v.to_string(), f.clone()))
                .collect(),
        );
        tokio::spawn(mocks.clone().serve(listener));
        (mocks, format!("http://{addr}"))
    }

    fn client() -> reqwest::Client {
        crate::integrations::http_client(Duration::from_secs(5)).unwrap()
    }

    struct Answer {
        status: u16,
        headers: reqwest::header::HeaderMap,
        body: String,
    }

    impl Answer {
        fn json(&self) -> Value {
            serde_json::from_str(&self.body)
                .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
        }
        fn header(&self, name: &str) -> &str {
            self.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
        }
    }

    async fn send(rb: reqwest::RequestBuilder) -> Answer {
        let resp = rb.send().await.expect("request failed");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.text().await.unwrap();
        Answer {
            status,
            headers,
            body,
        }
    }

    fn is_hex(s: &str, len: usize) -> bool {
        s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
    }

    #[tokio::test]
    async fn datadog_happy_paths() {
        let (_m, base) = start(&[]).await;
        let c = client();
        let a = send(
            c.get(format!("{base}/datadog/api/v1/validate"))
                .header("DD-API-KEY", "k"),
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json(), json!({"valid": true}));
        assert_eq!(a.header("connection"), "close");

        let a = send(
            c.get(format!("{base}/datadog/api/v2/validate_keys"))
                .header("DD-API-KEY", "k")
                .header("DD-APPLICATION-KEY", "app"),
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json(), json!({"status": "ok"}));

        let a = send(
            c.post(format!("{base}/datadog/api/v1/events"))
                .header("DD-API-KEY", "k")
                .header("content-type", "application/json")
                .body(r#"{"title":"[shiftdeck] verify","text":"safe to ignore"}"#),
        )
        .await;
        assert_eq!(a.status, 202);
        let v = a.json();
        assert_eq!(v["status"], "ok");
        assert_eq!(v["event"]["title"], "[shiftdeck] verify");
        assert!(v["event"]["id"].as_u64().is_some());
    }

    #[tokio::test]
    async fn sentry_happy_paths() {
        let (_m, base) = start(&[]).await;
        let c = client();
        let auth = "Sentry sentry_version=7, sentry_key=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, sentry_client=shiftdeck/0";
        let url = format!("{base}/sentry/api/42/envelope/");

        let a = send(c.post(&url).header("X-Sentry-Auth", auth)).await;
        assert_eq!(a.status, 400);
        assert_eq!(a.json(), json!({"detail": "empty request body"}));

        let id = "0123456789abcdef0123456789abcdef";
        let envelope = format!(
            "{{\"event_id\":\"{id}\",\"dsn\":\"x\"}}\n{{\"type\":\"event\"}}\n{{\"event_id\":\"{id}\",\"level\":\"info\"}}\n"
        );
        let a = send(
            c.post(&url)
                .header("X-Sentry-Auth", auth)
                .header("content-type", "application/x-sentry-envelope")
                .body(envelope),
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json(), json!({"id": id}));

        let a = send(c.post(&url).header("X-Sentry-Auth", auth).body("{}\n")).await;
        assert_eq!(a.status, 200);
        assert!(is_hex(a.json()["id"].as_str().unwrap(), 32), "{}", a.body);

        let a = send(
            c.get(format!("{base}/sentry/api/0/projects/acme/web/keys/"))
                .header("Authorization", "Bearer t"),
        )
        .await;
        assert_eq!(a.status, 200);
        let keys = a.json();
        let key = &keys.as_array().unwrap()[0];
        assert_eq!(key["public"], "a".repeat(32));
        assert_eq!(key["isActive"], true);
        assert!(key["rateLimit"].is_null());
        assert!(key["dsn"]["public"].is_string());

        let a = send(
            c.get(format!("{base}/sentry/api/0/organizations/"))
                .header("Authorization", "Bearer t"),
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json(), json!([]));
    }

    #[tokio::test]
    async fn pagerduty_happy_paths() {
        let (_m, base) = start(&[]).await;
        let c = client();
        let token = "Token token=abc";
        let a = send(
            c.get(format!(
                "{base}/pagerduty/incidents?limit=1&statuses[]=triggered&date_range=all"
            ))
            .header("Authorization", token),
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(
            a.json(),
            json!({"incidents": [], "limit": 1, "offset": 0, "more": false, "total": null})
        );

        let a = send(
            c.get(format!("{base}/pagerduty/abilities"))
                .header("Authorization", token),
        )
        .await;
        assert_eq!(a.json(), json!({"abilities": ["teams"]}));

        let a = send(
            c.get(format!("{base}/pagerduty/services/PX1"))
                .header("Authorization", token),
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json()["service"]["id"], "PX1");
        assert_eq!(a.json()["service"]["status"], "active");

        let key = "k".repeat(32);
        let a = send(c.post(format!("{base}/pagerduty/v2/enqueue")).body(
            json!({"routing_key": key, "event_action": "resolve", "dedup_key": "shiftdeck-probe-1"})
                .to_string(),
        ))
        .await;
        assert_eq!(a.status, 202);
        assert_eq!(
            a.json(),
            json!({"status": "success", "message": "Event processed", "dedup_key": "shiftdeck-probe-1"})
        );

        let a = send(c.post(format!("{base}/pagerduty/v2/change/enqueue")).body(
            json!({"routing_key": key, "payload": {"summary": "s", "source": "x"}}).to_string(),
        ))
        .await;
        assert_eq!(a.status, 202);
        assert!(!a.json()["dedup_key"].as_str().unwrap().is_empty());

        let a = send(c.post(format!("{base}/pagerduty/v2/enqueue")).body("{}")).await;
        assert_eq!(a.status, 400);
        assert_eq!(a.json()["status"], "invalid event");
    }

    #[tokio::test]
    async fn opsgenie_happy_paths() {
        let (_m, base) = start(&[]).await;
        let c = client();
        let key = "GenieKey k";
        let a = send(
            c.get(format!("{base}/opsgenie/v2/alerts/count?query=status:open"))
                .header("Authorization", key),
        )
        .await;
        assert_eq!(a.status, 200);
        let v = a.json();
        assert_eq!(v["data"]["count"], 3);
        assert!(v["took"].is_number());
        assert_eq!(v["requestId"].as_str().unwrap().len(), 36);

        let a = send(
            c.get(format!("{base}/opsgenie/v2/account"))
                .header("Authorization", key),
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json()["data"]["name"], "credguard");
        assert_eq!(a.json()["data"]["plan"]["name"], "Standard");

        let a = send(
            c.post(format!("{base}/opsgenie/v2/alerts"))
                .header("Authorization", key)
                .body(json!({"message": "m", "alias": "shiftdeck-verify-1"}).to_string()),
        )
        .await;
        assert_eq!(a.status, 202);
        assert_eq!(a.json()["result"], "Request will be processed");
        let request_id = a.json()["requestId"].as_str().unwrap().to_string();

        let a = send(
            c.get(format!("{base}/opsgenie/v2/alerts/requests/{request_id}"))
                .header("Authorization", key),
        )
        .await;
        assert_eq!(a.status, 200);
        let d = &a.json()["data"];
        assert_eq!(d["isSuccess"], true);
        assert_eq!(d["action"], "Create");
        assert_eq!(d["alias"], "shiftdeck-verify-1");

        let a = send(
            c.post(format!(
                "{base}/opsgenie/v2/alerts/shiftdeck-verify-1/close?identifierType=alias"
            ))
            .header("Authorization", key)
            .body(r#"{"source":"shiftdeck","note":"verify cleanup"}"#),
        )
        .await;
        assert_eq!(a.status, 202);
        assert_eq!(a.json()["result"], "Request will be processed");
    }

    #[tokio::test]
    async fn slack_webhook_answers() {
        let (_m, base) = start(&[]).await;
        let c = client();
        let url = format!("{base}/slack/services/T000/B000/XXXX");
        let a = send(
            c.post(&url)
                .header("content-type", "application/json")
                .body("intentionally malformed JSON"),
        )
        .await;
        assert_eq!((a.status, a.body.as_str()), (400, "invalid_payload"));
        assert!(a.header("content-type").starts_with("text/plain"));

        let a = send(c.post(&url).body(r#"{"text":"hello"}"#)).await;
        assert_eq!((a.status, a.body.as_str()), (200, "ok"));

        let a = send(c.post(&url).body(r#"{"text":""}"#)).await;
        assert_eq!((a.status, a.body.as_str()), (400, "no_text"));
        let a = send(c.post(&url).body(r#"{"blocks":[]}"#)).await;
        assert_eq!((a.status, a.body.as_str()), (400, "no_text"));
    }

    #[tokio::test]
    async fn splunk_happy_paths() {
        let (_m, base) = start(&[]).await;
        let c = client();
        for path in ["health", "health/1.0"] {
            let a = send(c.get(format!("{base}/splunk/services/collector/{path}"))).await;
            assert_eq!(a.status, 200, "{path}");
            assert_eq!(a.json(), json!({"text": "HEC is healthy", "code": 17}));
        }
        let url = format!("{base}/splunk/services/collector/event");
        let a = send(c.post(&url).header("Authorization", "Splunk t")).await;
        assert_eq!(a.status, 400);
        assert_eq!(a.json(), json!({"text": "No data", "code": 5}));

        let a = send(
            c.post(&url)
                .header("Authorization", "Splunk t")
                .body(r#"{"event":{"message":"shiftdeck verify","verify":true},"sourcetype":"oncall:verify"}"#),
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json(), json!({"text": "Success", "code": 0}));

        let a = send(
            c.post(format!("{base}/splunk/services/collector/ack"))
                .header("Authorization", "Splunk t")
                .body(r#"{"acks":[0]}"#),
        )
        .await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json(), json!({"acks": {"0": true}}));
    }

    #[tokio::test]
    async fn http_probe_and_unknown_routes() {
        let (_m, base) = start(&[]).await;
        let c = client();
        let a = send(c.get(format!("{base}/http/healthz"))).await;
        assert_eq!((a.status, a.body.as_str()), (200, "ok"));

        for path in ["/nope", "/datadog/api/v1/nothing", "/http/other", "/"] {
            let a = send(c.get(format!("{base}{path}"))).await;
            assert_eq!(a.status, 404, "{path}");
            assert_eq!(a.json(), json!({"error": "no such mock route"}), "{path}");
        }
        // Known path, wrong method.
        let a = send(
            c.post(format!("{base}/datadog/api/v1/validate"))
                .header("DD-API-KEY", "k"),
        )
        .await;
        assert_eq!(a.status, 404);
    }

    #[tokio::test]
    async fn missing_auth_answers_401_with_vendor_body() {
        let (_m, base) = start(&[]).await;
        let c = client();

        let a = send(c.get(format!("{base}/datadog/api/v1/validate"))).await;
        assert_eq!(a.status, 401);
        assert!(a.json()["errors"].is_array());

        let a = send(c.post(format!("{base}/sentry/api/42/envelope/"))).await;
        assert_eq!(a.status, 401);
        assert_eq!(
            a.json(),
            json!({"detail": "missing authorization information"})
        );
        let a = send(c.get(format!("{base}/sentry/api/0/organizations/"))).await;
        assert_eq!(a.status, 401);
        // Ingest auth does not count for the web API.
        let a = send(
            c.get(format!("{base}/sentry/api/0/projects/o/p/keys/"))
                .header("X-Sentry-Auth", "Sentry sentry_key=x"),
        )
        .await;
        assert_eq!(a.status, 401);

        let a = send(c.get(format!("{base}/pagerduty/incidents"))).await;
        assert_eq!(a.status, 401);
        assert_eq!(
            a.json(),
            json!({"error": {"message": "Authentication failed", "code": 2006}})
        );

        let a = send(c.get(format!("{base}/opsgenie/v2/alerts/count"))).await;
        assert_eq!(a.status, 401);
        assert_eq!(a.json()["message"], "Could not authenticate");
        assert!(a.json()["requestId"].is_string());

        let a = send(c.post(format!("{base}/splunk/services/collector/event"))).await;
        assert_eq!(a.status, 401);
        assert_eq!(a.json(), json!({"text": "Token is required", "code": 2}));

        // No header needed: Splunk health, PagerDuty Events v2, Slack.
        let a = send(c.get(format!("{base}/splunk/services/collector/health"))).await;
        assert_eq!(a.status, 200);
        let a =
            send(c.post(format!("{base}/pagerduty/v2/enqueue")).body(
                json!({"routing_key": "k".repeat(32), "event_action": "trigger"}).to_string(),
            ))
            .await;
        assert_eq!(a.status, 202);
        let a = send(
            c.post(format!("{base}/slack/services/T/B/X"))
                .body(r#"{"text":"x"}"#),
        )
        .await;
        assert_eq!(a.status, 200);
    }

    #[tokio::test]
    async fn status_faults_answer_vendor_error_bodies() {
        let (m, base) = start(&[
            ("datadog", Fault::Status(403)),
            ("sentry", Fault::Status(403)),
            ("pagerduty", Fault::Status(429)),
            ("opsgenie", Fault::Status(403)),
            ("slack", Fault::Status(404)),
            ("splunk", Fault::Status(503)),
            ("http", Fault::Status(502)),
        ])
        .await;
        let c = client();

        let a = send(
            c.get(format!("{base}/datadog/api/v1/validate"))
                .header("DD-API-KEY", "k"),
        )
        .await;
        assert_eq!(a.status, 403);
        assert_eq!(a.json(), json!({"errors": ["Forbidden"]}));

        let a = send(
            c.post(format!("{base}/sentry/api/42/envelope/"))
                .header("X-Sentry-Auth", "Sentry sentry_key=x")
                .body("{}\n"),
        )
        .await;
        assert_eq!(a.status, 403);
        assert_eq!(
            a.json(),
            json!({"detail": "event submission rejected with_reason: ProjectId"})
        );

        let a = send(
            c.get(format!("{base}/pagerduty/abilities"))
                .header("Authorization", "Token token=x"),
        )
        .await;
        assert_eq!(a.status, 429);
        assert_eq!(a.header("ratelimit-reset"), "2");
        assert_eq!(
            a.json(),
            json!({"error": {"message": "Rate Limit Exceeded", "code": 2020}})
        );

        let a = send(
            c.post(format!("{base}/opsgenie/v2/alerts"))
                .header("Authorization", "GenieKey k"),
        )
        .await;
        assert_eq!(a.status, 403);
        assert_eq!(a.json()["code"], 40301);
        assert_eq!(
            a.json()["message"],
            "To perform this action, use an API key from an API integration."
        );

        let a = send(c.post(format!("{base}/slack/services/T/B/X")).body("x")).await;
        assert_eq!((a.status, a.body.as_str()), (404, "no_service"));

        let a = send(c.get(format!("{base}/splunk/services/collector/health"))).await;
        assert_eq!(a.status, 503);
        assert_eq!(
            a.json(),
            json!({"text": "HEC is unhealthy, queues are full", "code": 18})
        );

        let a = send(c.get(format!("{base}/http/healthz"))).await;
        assert_eq!(a.status, 502);
        assert_eq!(a.json(), json!({"error": "mock fault 502"}));

        // Rate-limit headers and the remaining documented bodies.
        m.set_fault("slack", Some(Fault::Status(429)));
        let a = send(c.post(format!("{base}/slack/services/T/B/X")).body("x")).await;
        assert_eq!((a.status, a.body.as_str()), (429, "rate_limited"));
        assert_eq!(a.header("retry-after"), "2");
        m.set_fault("slack", Some(Fault::Status(410)));
        let a = send(c.post(format!("{base}/slack/services/T/B/X")).body("x")).await;
        assert_eq!((a.status, a.body.as_str()), (410, "channel_is_archived"));
        m.set_fault("slack", Some(Fault::Status(403)));
        let a = send(c.post(format!("{base}/slack/services/T/B/X")).body("x")).await;
        assert_eq!((a.status, a.body.as_str()), (403, "invalid_token"));

        m.set_fault("datadog", Some(Fault::Status(429)));
        let a = send(
            c.get(format!("{base}/datadog/api/v1/validate"))
                .header("DD-API-KEY", "k"),
        )
        .await;
        assert_eq!(a.status, 429);
        assert_eq!(a.header("x-ratelimit-reset"), "2");

        m.set_fault("splunk", Some(Fault::Status(403)));
        let a = send(
            c.post(format!("{base}/splunk/services/collector/event"))
                .header("Authorization", "Splunk t"),
        )
        .await;
        assert_eq!(a.json(), json!({"text": "Token disabled", "code": 1}));

        m.set_fault("sentry", Some(Fault::Status(401)));
        let a = send(c.post(format!("{base}/sentry/api/42/envelope/"))).await;
        assert_eq!(a.status, 401);
        assert_eq!(
            a.json(),
            json!({"detail": "missing authorization information"})
        );

        m.set_fault("pagerduty", Some(Fault::Status(401)));
        let a = send(c.get(format!("{base}/pagerduty/incidents"))).await;
        assert_eq!(a.json()["error"]["code"], 2006);

        m.set_fault("opsgenie", Some(Fault::Status(401)));
        let a = send(c.get(format!("{base}/opsgenie/v2/account"))).await;
        assert_eq!(a.json()["message"], "Could not authenticate");
    }

    #[tokio::test]
    async fn slow_fault_still_answers() {
        let (_m, base) = start(&[("splunk", Fault::Slow(Duration::from_millis(200)))]).await;
        let a = send(client().get(format!("{base}/splunk/services/collector/health"))).await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json()["code"], 17);
    }

    #[tokio::test]
    async fn hang_fault_times_out_the_client() {
        let (m, base) = start(&[("sentry", Fault::Hang)]).await;
        let c = crate::integrations::http_client(Duration::from_millis(300)).unwrap();
        let err = c
            .post(format!("{base}/sentry/api/42/envelope/"))
            .header("X-Sentry-Auth", "Sentry sentry_key=x")
            .send()
            .await
            .expect_err("a hanging mock must not answer");
        assert!(err.is_timeout(), "{err:?}");
        // The request was read before hanging.
        assert_eq!(
            m.requests(),
            vec![("POST".to_string(), "/sentry/api/42/envelope/".to_string())]
        );
        // Other vendors still answer.
        let a = send(c.get(format!("{base}/http/healthz"))).await;
        assert_eq!(a.status, 200);
    }

    #[tokio::test]
    async fn drop_fault_fails_the_request_quickly() {
        let (_m, base) = start(&[("opsgenie", Fault::Drop)]).await;
        let started = Instant::now();
        let err = client()
            .get(format!("{base}/opsgenie/v2/alerts/count"))
            .header("Authorization", "GenieKey k")
            .send()
            .await
            .expect_err("a dropped connection must not answer");
        assert!(!err.is_timeout(), "{err:?}");
        // Generous: the client timeout is 5 s; a drop must fail well before.
        assert!(started.elapsed() < Duration::from_secs(4), "{err:?}");
    }

    #[test]
    fn parse_fault_accepts_the_documented_specs() {
        let ok = [
            ("slack=404", "slack", Fault::Status(404)),
            ("datadog=403", "datadog", Fault::Status(403)),
            (
                "splunk=slow:3000",
                "splunk",
                Fault::Slow(Duration::from_millis(3000)),
            ),
            ("sentry=hang", "sentry", Fault::Hang),
            ("opsgenie=drop", "opsgenie", Fault::Drop),
            ("pagerduty=429", "pagerduty", Fault::Status(429)),
            ("splunk=503", "splunk", Fault::Status(503)),
            (" HTTP = Drop ", "http", Fault::Drop),
        ];
        for (spec, vendor, fault) in ok {
            assert_eq!(parse_fault(spec), Ok((vendor.to_string(), fault)), "{spec}");
        }
    }

    #[test]
    fn parse_fault_rejects_bad_specs_with_clear_errors() {
        for spec in [
            "slack",
            "jira=404",
            "slack=200",
            "slack=600",
            "slack=slow:abc",
            "slack=slow:9999999",
            "slack=explode",
            "=404",
            "slack=",
        ] {
            let err = parse_fault(spec).expect_err(spec);
            assert!(err.contains(&format!("{spec:?}")), "{spec}: {err}");
            assert!(err.contains("datadog, sentry"), "{spec}: {err}");
            assert!(err.contains("slow:"), "{spec}: {err}");
        }
        assert!(
            parse_fault("jira=404")
                .unwrap_err()
                .contains("unknown vendor \"jira\"")
        );
    }

    #[tokio::test]
    async fn set_fault_changes_behaviour_while_serving() {
        let (m, base) = start(&[]).await;
        let c = client();
        let url = format!("{base}/datadog/api/v1/validate");
        assert_eq!(
            send(c.get(&url).header("DD-API-KEY", "k")).await.status,
            200
        );
        m.set_fault("datadog", Some(Fault::Status(403)));
        assert_eq!(
            send(c.get(&url).header("DD-API-KEY", "k")).await.status,
            403
        );
        // A clone shares the faults.
        m.clone().set_fault("DataDog", None);
        assert_eq!(
            send(c.get(&url).header("DD-API-KEY", "k")).await.status,
            200
        );
        // A fault on one vendor leaves the others alone.
        m.set_fault("slack", Some(Fault::Drop));
        assert_eq!(
            send(c.get(&url).header("DD-API-KEY", "k")).await.status,
            200
        );
    }

    #[tokio::test]
    async fn requests_are_recorded_without_query() {
        let (m, base) = start(&[("slack", Fault::Status(404))]).await;
        let c = client();
        send(
            c.get(format!("{base}/datadog/api/v1/validate"))
                .header("DD-API-KEY", "k"),
        )
        .await;
        send(c.get(format!("{base}/opsgenie/v2/alerts/count?query=status:open"))).await;
        send(c.post(format!("{base}/slack/services/T/B/X")).body("x")).await;
        send(c.get(format!("{base}/unknown/thing?x=1"))).await;
        let got = m.requests();
        let want: Vec<(String, String)> = [
            ("GET", "/datadog/api/v1/validate"),
            ("GET", "/opsgenie/v2/alerts/count"),
            ("POST", "/slack/services/T/B/X"),
            ("GET", "/unknown/thing"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(got, want);
        assert!(
            !got.iter()
                .any(|(method, path)| method == "POST" && path == "/datadog/api/v1/events"),
            "polling must not post events"
        );
    }

    #[tokio::test]
    async fn raw_chunked_body_and_malformed_request_line() {
        let (_m, base) = start(&[]).await;
        let addr = base.trim_start_matches("http://").to_string();
        let roundtrip = |raw: &'static str| {
            let addr = addr.clone();
            async move {
                let mut s = TcpStream::connect(addr).await.unwrap();
                s.write_all(raw.as_bytes()).await.unwrap();
                let mut out = String::new();
                tokio::time::timeout(Duration::from_secs(5), s.read_to_string(&mut out))
                    .await
                    .expect("server must close the connection")
                    .unwrap();
                out
            }
        };
        let out = roundtrip(
            "POST /slack/services/T/B/X HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"tex\r\nB\r\nt\":\"hello\"}\r\n0\r\n\r\n",
        )
        .await;
        assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
        assert!(out.contains("Connection: close\r\n"), "{out}");
        assert!(out.ends_with("\r\n\r\nok"), "{out}");

        let out = roundtrip("GARBAGE\r\n\r\n").await;
        assert!(out.starts_with("HTTP/1.1 400 "), "{out}");
    }
}
