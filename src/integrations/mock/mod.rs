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

mod http;
mod routes;

use http::*;
use routes::*;

#[cfg(test)]
mod tests;
