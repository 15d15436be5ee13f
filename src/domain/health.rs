//! Integration health: what a probe found, and the state the Health pane
//! shows (status, latency history, last success, last error, consecutive
//! failures, freshness). "Green means green; partial green is HOLD."

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::VecDeque;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Up,
    Degraded,
    Down,
    Unknown,
}

impl HealthStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HealthStatus::Up => "up",
            HealthStatus::Degraded => "degraded",
            HealthStatus::Down => "down",
            HealthStatus::Unknown => "unknown",
        }
    }
}

impl fmt::Display for HealthStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // pad: a width in a format string ({:<9}) lines up columns.
        f.pad(self.as_str())
    }
}

/// Why a probe did not come back green, for how soon to ask again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureClass {
    None,
    /// 401/403/404/410, a malformed DSN: asking again soon will not help.
    Config,
    /// 429: wait as the vendor says.
    RateLimited,
    /// 5xx, timeouts, DNS, TLS, refused connections.
    Transient,
    /// Credentials missing: nothing to ask until the config changes.
    NotConfigured,
    /// Reachable, but the evidence is partial (a PROBE-only check).
    Partial,
}

/// One probe's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbeOutcome {
    pub status: HealthStatus,
    pub class: FailureClass,
    /// What was seen, short: "200 valid", "403 Forbidden", "timed out after 5 s".
    pub summary: String,
    /// What to do about it, in the operator's words.
    pub hint: String,
    pub latency_ms: Option<u64>,
    /// Seconds the vendor asked us to wait (429).
    pub retry_after: Option<u64>,
}

impl ProbeOutcome {
    pub fn up(summary: impl Into<String>, latency_ms: u64) -> ProbeOutcome {
        ProbeOutcome {
            status: HealthStatus::Up,
            class: FailureClass::None,
            summary: summary.into(),
            hint: String::new(),
            latency_ms: Some(latency_ms),
            retry_after: None,
        }
    }

    pub fn failed(
        status: HealthStatus,
        class: FailureClass,
        summary: impl Into<String>,
        hint: impl Into<String>,
        latency_ms: Option<u64>,
    ) -> ProbeOutcome {
        ProbeOutcome {
            status,
            class,
            summary: summary.into(),
            hint: hint.into(),
            latency_ms,
            retry_after: None,
        }
    }
}

/// How many latencies the sparkline keeps.
pub const HISTORY: usize = 40;
/// Transport failures in a row before degraded becomes down.
pub const DOWN_AFTER: u32 = 3;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntegrationHealth {
    pub name: String,
    pub kind: String,
    pub status: HealthStatus,
    pub summary: String,
    pub hint: String,
    pub latencies: VecDeque<u64>,
    pub last_success: Option<DateTime<Utc>>,
    pub last_answer: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
    pub checks: u64,
    /// Seconds between polls, for freshness.
    pub interval_secs: u64,
    /// When the status last changed (the first answer counts).
    pub since: Option<DateTime<Utc>>,
    /// What stays wrong however it answers (a certificate not checked),
    /// shown loud on its row.
    pub warning: Option<String>,
}

/// A change worth a journal entry.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub name: String,
    pub from: HealthStatus,
    pub to: HealthStatus,
    pub hint: String,
}

impl IntegrationHealth {
    pub fn new(name: &str, kind: &str, interval_secs: u64) -> IntegrationHealth {
        IntegrationHealth {
            name: name.to_string(),
            kind: kind.to_string(),
            status: HealthStatus::Unknown,
            summary: "not polled yet".into(),
            hint: String::new(),
            latencies: VecDeque::with_capacity(HISTORY),
            last_success: None,
            last_answer: None,
            last_error: None,
            consecutive_failures: 0,
            checks: 0,
            interval_secs,
            since: None,
            warning: None,
        }
    }

    /// Take a probe's outcome. Transport trouble is degraded at first and
    /// down after [`DOWN_AFTER`] in a row. Returns the change of status, if any.
    pub fn record(&mut self, outcome: &ProbeOutcome, at: DateTime<Utc>) -> Option<StatusChange> {
        let before = self.status;
        self.checks += 1;
        self.last_answer = Some(at);
        if let Some(ms) = outcome.latency_ms {
            if self.latencies.len() == HISTORY {
                self.latencies.pop_front();
            }
            self.latencies.push_back(ms);
        }
        let mut status = outcome.status;
        if outcome.status == HealthStatus::Up {
            self.consecutive_failures = 0;
            self.last_success = Some(at);
            self.last_error = None;
        } else if outcome.class == FailureClass::Partial {
            self.consecutive_failures = 0;
            self.last_success = Some(at);
        } else {
            self.consecutive_failures += 1;
            self.last_error = Some(outcome.summary.clone());
            if outcome.class == FailureClass::Transient && self.consecutive_failures >= DOWN_AFTER {
                status = HealthStatus::Down;
            }
        }
        if before != status || self.since.is_none() {
            self.since = Some(at);
        }
        self.status = status;
        self.summary = outcome.summary.clone();
        self.hint = outcome.hint.clone();
        (before != status).then(|| StatusChange {
            name: self.name.clone(),
            from: before,
            to: status,
            hint: self.hint.clone(),
        })
    }

    /// The last answer is older than twice the interval.
    pub fn stale(&self, now: DateTime<Utc>) -> bool {
        match self.last_answer {
            Some(t) => now - t > Duration::seconds(2 * self.interval_secs as i64),
            None => false,
        }
    }

    pub fn is_green(&self) -> bool {
        self.status == HealthStatus::Up
    }
}

/// Seconds until the next poll after an outcome: the interval when green;
/// exponential backoff on transport trouble; slow after auth and config
/// failures; on 429, what the vendor asked when that is longer than the
/// interval (a `Retry-After` only ever lengthens the wait).
pub fn next_delay(interval: u64, outcome: &ProbeOutcome, failures: u32) -> u64 {
    const SLOW: u64 = 300;
    match outcome.class {
        FailureClass::None | FailureClass::Partial => interval,
        FailureClass::RateLimited => outcome.retry_after.unwrap_or(60).max(interval).max(1),
        FailureClass::Config | FailureClass::NotConfigured => SLOW.max(interval),
        FailureClass::Transient => (interval.saturating_mul(1u64 << failures.min(6)))
            .min(SLOW)
            .max(interval.min(SLOW)),
    }
}

/// The least a sparkline's full bar stands for: 1 ms of jitter on a
/// loopback answer is not a full bar.
pub const SPARK_FLOOR_MS: u64 = 20;

/// A sparkline of latencies, scaled to their own maximum (at least
/// [`SPARK_FLOOR_MS`]).
pub fn sparkline(values: &VecDeque<u64>, width: usize, ascii: bool) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    const ASCII: [char; 8] = ['.', '.', ':', ':', '|', '|', '#', '#'];
    let glyphs = if ascii { ASCII } else { BARS };
    let take: Vec<u64> = values.iter().rev().take(width).rev().copied().collect();
    let max = take.iter().copied().max().unwrap_or(0).max(SPARK_FLOOR_MS);
    take.iter()
        .map(|&v| glyphs[((v * 7) / max) as usize])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_800_000_000 + s, 0).unwrap()
    }

    #[test]
    fn sub_millisecond_noise_draws_low_bars_and_real_spread_full_ones() {
        let noise: VecDeque<u64> = [0, 1, 0, 1, 1].into_iter().collect();
        assert_eq!(sparkline(&noise, 5, false), "▁▁▁▁▁");
        let real: VecDeque<u64> = [40, 400].into_iter().collect();
        assert_eq!(sparkline(&real, 2, false), "▁█");
    }

    fn transient() -> ProbeOutcome {
        ProbeOutcome::failed(
            HealthStatus::Degraded,
            FailureClass::Transient,
            "timed out after 5 s",
            "no answer",
            None,
        )
    }

    #[test]
    fn transport_trouble_degrades_then_goes_down_and_recovers() {
        let mut h = IntegrationHealth::new("datadog", "datadog", 30);
        assert_eq!(
            h.record(&ProbeOutcome::up("200 valid", 80), at(0))
                .map(|c| c.to),
            Some(HealthStatus::Up)
        );
        assert_eq!(
            h.record(&transient(), at(30)).map(|c| c.to),
            Some(HealthStatus::Degraded)
        );
        assert_eq!(h.record(&transient(), at(60)), None);
        let down = h.record(&transient(), at(90)).unwrap();
        assert_eq!(
            (down.from, down.to),
            (HealthStatus::Degraded, HealthStatus::Down)
        );
        assert_eq!(h.consecutive_failures, 3);
        assert_eq!(h.last_success, Some(at(0)));
        assert_eq!(h.last_error.as_deref(), Some("timed out after 5 s"));
        let back = h
            .record(&ProbeOutcome::up("200 valid", 95), at(120))
            .unwrap();
        assert_eq!(back.to, HealthStatus::Up);
        assert_eq!(h.consecutive_failures, 0);
        assert_eq!(
            h.latencies.iter().copied().collect::<Vec<_>>(),
            vec![80, 95]
        );
    }

    #[test]
    fn auth_failures_are_down_at_once_and_slow_the_polling() {
        let mut h = IntegrationHealth::new("datadog", "datadog", 30);
        let forbidden = ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            "403 Forbidden",
            "key revoked or DD_SITE wrong",
            Some(40),
        );
        assert_eq!(h.record(&forbidden, at(0)).unwrap().to, HealthStatus::Down);
        assert_eq!(next_delay(30, &forbidden, 1), 300);
        assert_eq!(next_delay(30, &transient(), 1), 60);
        assert_eq!(next_delay(30, &transient(), 3), 240);
        assert_eq!(next_delay(30, &transient(), 9), 300, "capped");
        let mut limited = ProbeOutcome::failed(
            HealthStatus::Degraded,
            FailureClass::RateLimited,
            "429",
            "rate limited",
            None,
        );
        limited.retry_after = Some(2);
        assert_eq!(
            next_delay(30, &limited, 1),
            30,
            "Retry-After: 2 on a 30 s interval waits the interval, never less"
        );
        limited.retry_after = Some(120);
        assert_eq!(next_delay(30, &limited, 1), 120);
        limited.retry_after = None;
        assert_eq!(next_delay(30, &limited, 1), 60);
        assert_eq!(next_delay(90, &limited, 1), 90);
        assert_eq!(next_delay(30, &ProbeOutcome::up("ok", 1), 0), 30);
    }

    #[test]
    fn freshness_and_sparkline() {
        let mut h = IntegrationHealth::new("slack", "slack", 60);
        assert!(!h.stale(at(1000)), "never polled is unknown, not stale");
        h.record(&ProbeOutcome::up("400 invalid_payload: live", 120), at(0));
        assert!(!h.stale(at(120)));
        assert!(h.stale(at(121)));
        let v: VecDeque<u64> = [10, 20, 40, 80].into_iter().collect();
        assert_eq!(sparkline(&v, 10, false), "▁▂▄█");
        assert_eq!(
            sparkline(&v, 2, true),
            ":#",
            "the last two, scaled to their own maximum"
        );
    }
}
