//! Stateful stand-ins for the two incident inboxes the app syncs
//! (vendor-apis.md §9): PagerDuty REST v2 incidents (`pagerduty`) and
//! Opsgenie Alert API v2 alerts (`opsgenie`).
//!
//! The state starts with a realistic CredGuard seed whose times are relative
//! to when the `Mocks` were created; tests replace it with `seed_pagerduty`
//! / `seed_opsgenie` and read it back with `pagerduty_incidents` /
//! `opsgenie_alerts`. All of it sits behind one `Mutex` in `Inner`, and the
//! routes are synchronous, so no lock is ever held across an await.

use super::*;
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

mod alertmanager;
mod hand_on;
mod jsm;
mod oncall;
mod opsgenie;
mod pagerduty;
mod pd_hand_on;
mod seed;

/// Most alerts, remembered Opsgenie requests and notes per incident or alert
/// the mock keeps; past this the oldest go first.
const MAX_ITEMS: usize = 10_000;

pub(super) struct Inbox {
    /// When the `Mocks` were created: seed times are relative to this.
    epoch: DateTime<Utc>,
    incidents: Vec<Incident>,
    alerts: Vec<Alert>,
    /// JSM's alerts (same shape, their own list).
    jsm_alerts: Vec<Alert>,
    am_alerts: Vec<alertmanager::AmAlert>,
    silences: Vec<alertmanager::AmSilence>,
    /// Opsgenie request id → the `data` its request status answers.
    requests: HashMap<String, OgRequest>,
    /// Request ids, oldest first (to forget the oldest past `MAX_ITEMS`).
    request_order: VecDeque<String>,
    /// How many status queries of each request answer 404 first.
    pending_polls: u32,
    /// Feeds note ids.
    counter: u64,
}

struct Incident {
    v: Value,
    created: DateTime<Utc>,
    notes: Vec<Value>,
}

struct Alert {
    v: Value,
    created: DateTime<Utc>,
    notes: Vec<Value>,
}

struct OgRequest {
    data: Value,
    polls: u32,
}

impl Inbox {
    pub(super) fn new(epoch: DateTime<Utc>) -> Inbox {
        Inbox {
            epoch,
            incidents: seed::pd_default_seed(epoch),
            alerts: seed::og_default_seed(epoch),
            jsm_alerts: jsm::jsm_default_seed(epoch),
            am_alerts: alertmanager::am_default_seed(epoch),
            silences: Vec::new(),
            requests: HashMap::new(),
            request_order: VecDeque::new(),
            pending_polls: 0,
            counter: 0,
        }
    }

    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }
}

/// Test hooks for the stateful inboxes.
impl Mocks {
    fn inbox(&self) -> MutexGuard<'_, Inbox> {
        lock(&self.inner.inbox)
    }

    /// Replace the PagerDuty incidents with `n` generated open ones
    /// (numbers 1..=n, created a minute apart ending a minute before the
    /// mocks started, so all are inside the default 30-day window). Every
    /// third is acknowledged, every fourth has low urgency; priorities cycle
    /// P1, P2, P3, none. Content is deterministic.
    pub fn seed_pagerduty(&self, n: usize) {
        let mut inbox = self.inbox();
        inbox.incidents = seed::pd_generated_seed(inbox.epoch, n);
    }

    /// Replace the Opsgenie alerts with `n` generated open ones (tinyId and
    /// alias number 1..=n, created a minute apart). Every third is
    /// acknowledged; priorities cycle P1..P5. Content is deterministic.
    pub fn seed_opsgenie(&self, n: usize) {
        let mut inbox = self.inbox();
        inbox.alerts = seed::og_generated_seed(inbox.epoch, n);
    }

    /// The PagerDuty incidents as `GET /incidents/{id}` shows them, in the
    /// order they were added.
    pub fn pagerduty_incidents(&self) -> Vec<Value> {
        self.inbox().incidents.iter().map(|i| i.v.clone()).collect()
    }

    /// The Opsgenie alerts as `GET /v2/alerts/{id}` shows them, in the order
    /// they were added (closed ones included).
    pub fn opsgenie_alerts(&self) -> Vec<Value> {
        self.inbox().alerts.iter().map(|a| a.v.clone()).collect()
    }

    /// JSM's alerts as `GET /v1/alerts/{id}` shows them.
    pub fn jsm_alerts(&self) -> Vec<Value> {
        self.inbox()
            .jsm_alerts
            .iter()
            .map(|a| a.v.clone())
            .collect()
    }

    /// Make the first `n` `GET /v2/alerts/requests/{id}` queries of every
    /// request answer 404 "Request not found. It might not be processed,
    /// yet." before the status shows (default 0). The change itself is
    /// applied when the request is accepted, whatever `n` is.
    pub fn set_opsgenie_pending_polls(&self, n: u32) {
        self.inbox().pending_polls = n;
    }
}

/// splitmix64: a fixed scramble for deterministic ids.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of a string.
fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// A PagerDuty-style id: `prefix` then upper-case alphanumerics, `len` in all.
fn pd_id(prefix: &str, len: usize, seed: u64) -> String {
    const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = prefix.to_string();
    let mut x = seed;
    while out.len() < len {
        x = mix(x);
        out.push(ALNUM[(x % ALNUM.len() as u64) as usize] as char);
    }
    out
}

/// `chars` lower-case hex digits derived from `seed`.
fn hex_from(seed: u64, chars: usize) -> String {
    let mut out = String::new();
    let mut x = seed;
    while out.len() < chars {
        x = mix(x);
        out.push_str(&format!("{x:016x}"));
    }
    out.truncate(chars);
    out
}

/// A deterministic UUID-shaped id.
fn uuid_from(seed: u64) -> String {
    uuid_shape(&hex_from(seed, 32))
}

/// PagerDuty's time format: RFC 3339, whole seconds, `Z`.
fn pd_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Opsgenie's time format: RFC 3339, milliseconds, `Z`.
fn og_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parse either vendor's time back (for filters and sorting).
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A non-negative whole number query value; `Ok(None)` when absent or empty.
fn query_u64(req: &Request, key: &str) -> Result<Option<u64>, ()> {
    match req.query_value(key) {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(None),
        Some(v) => v.trim().parse::<u64>().map(Some).map_err(|_| ()),
    }
}

/// The body as a JSON object; an empty body counts as `{}`.
fn body_object(req: &Request) -> Option<serde_json::Map<String, Value>> {
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Some(serde_json::Map::new());
    }
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// A non-blank string field of a JSON object.
fn str_field<'a>(body: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a str> {
    body.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// Push, dropping the oldest past `MAX_ITEMS`.
fn push_capped(list: &mut Vec<Value>, item: Value) {
    if list.len() >= MAX_ITEMS {
        list.remove(0);
    }
    list.push(item);
}
