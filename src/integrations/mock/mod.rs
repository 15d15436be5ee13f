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
//!
//! PagerDuty's incidents and Opsgenie's alerts are stateful (`inbox`):
//! seeded with a realistic CredGuard inbox, they can be listed, paged,
//! acknowledged, resolved or closed and annotated like the real APIs.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The vendor prefixes the mock serves (and faults can name).
pub const VENDORS: [&str; 9] = [
    "datadog",
    "sentry",
    "pagerduty",
    "opsgenie",
    "jsm",
    "alertmanager",
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
/// Largest body kept per request in the detailed log (longer is cut).
const MAX_LOGGED_BODY: usize = 64 * 1024;
/// Bytes of headers + bodies the detailed log keeps in all; past this the
/// oldest entries lose their headers and bodies (method, path and query stay).
const MAX_LOGGED_DETAIL: usize = 16 * 1024 * 1024;

/// One request as the mock received it (`Mocks::requests_detailed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockRequest {
    pub method: String,
    /// Path without the query string.
    pub path: String,
    /// The raw query string (not decoded), without the `?`.
    pub query: String,
    /// Header names lower-cased, values as sent, in order.
    pub headers: Vec<(String, String)>,
    /// The body as text (invalid UTF-8 replaced; cut at 64 KiB).
    pub body: String,
}

impl MockRequest {
    fn detail_bytes(&self) -> usize {
        self.body.len()
            + self
                .headers
                .iter()
                .map(|(n, v)| n.len() + v.len())
                .sum::<usize>()
    }
}

/// The request log: entries plus how many detail bytes they hold.
#[derive(Default)]
struct Log {
    entries: VecDeque<MockRequest>,
    detail: usize,
}

impl Log {
    fn push(&mut self, entry: MockRequest) {
        if self.entries.len() >= MAX_LOG
            && let Some(old) = self.entries.pop_front()
        {
            self.detail -= old.detail_bytes();
        }
        self.detail += entry.detail_bytes();
        self.entries.push_back(entry);
        // Strip the oldest details first; never the entry just added.
        let keep = self.entries.len().saturating_sub(1);
        for old in self.entries.iter_mut().take(keep) {
            if self.detail <= MAX_LOGGED_DETAIL {
                break;
            }
            self.detail -= old.detail_bytes();
            old.headers = Vec::new();
            old.body = String::new();
        }
    }
}

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
    log: Mutex<Log>,
    next_id: AtomicU64,
    /// PagerDuty incidents, Opsgenie alerts and Opsgenie request statuses.
    inbox: Mutex<inbox::Inbox>,
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
                log: Mutex::new(Log::default()),
                next_id: AtomicU64::new(1),
                inbox: Mutex::new(inbox::Inbox::new(chrono::Utc::now())),
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
        lock(&self.inner.log)
            .entries
            .iter()
            .map(|r| (r.method.clone(), r.path.clone()))
            .collect()
    }

    /// Every request received so far, oldest first, with its raw query,
    /// headers and body. Same entries as `requests()`; bodies are cut at
    /// 64 KiB, and once the log holds 16 MiB of headers and bodies the
    /// oldest entries keep only method, path and query.
    pub fn requests_detailed(&self) -> Vec<MockRequest> {
        lock(&self.inner.log).entries.iter().cloned().collect()
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
        let mut body = &req.body[..];
        if body.len() > MAX_LOGGED_BODY {
            body = &body[..MAX_LOGGED_BODY];
        }
        let entry = MockRequest {
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            headers: req.headers.clone(),
            body: String::from_utf8_lossy(body).into_owned(),
        };
        lock(&self.inner.log).push(entry);
        let vendor = req.segments().first().copied().unwrap_or("").to_string();
        let fault = {
            // A fault named by a path ("slack/services/T000") covers only
            // that path and below; the longest such match wins over the vendor's.
            let faults = lock(&self.inner.faults);
            // Fault names are kept lower-cased.
            let path = req.path.trim_start_matches('/').to_ascii_lowercase();
            faults
                .iter()
                .filter(|(k, _)| k.contains('/') && path.starts_with(k.as_str()))
                .max_by_key(|(k, _)| k.len())
                .map(|(_, f)| f.clone())
                .or_else(|| faults.get(&vendor).cloned())
        };
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
            "pagerduty" => self.pagerduty(req, rest),
            "opsgenie" => self.opsgenie(req, rest),
            "jsm" => self.jsm(req, rest),
            "alertmanager" => self.alertmanager(req, rest),
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
}

mod http;
mod inbox;
mod routes;

use http::*;
use routes::*;

#[cfg(test)]
mod tests;
