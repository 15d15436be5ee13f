//! Messages out of the shift: a one-line status update to the operations
//! channel (seed 002 §6 step 5: integration, symptom, action, ETA) and the
//! handover by Slack and by mail (seed 001 §8). Each is written to the
//! messages outbox before it is sent, and followed by what became of it, so a
//! message written while the server is unreachable goes out once it answers.
//!
//! A send interrupted by a crash is sent again: Slack has no way to ask
//! whether a post arrived, and a mail carries the message's id as its
//! Message-ID, so a second copy is recognisable as the same mail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The handover's Slack webhook.
    Slack,
    /// The status updates' Slack webhook (`[slack] updates_webhook_env`,
    /// else the handover's).
    SlackUpdates,
    Email,
}

impl Channel {
    pub fn label(self) -> &'static str {
        match self {
            Channel::Slack | Channel::SlackUpdates => "Slack",
            Channel::Email => "email",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Unique; a mail's Message-ID.
    pub id: String,
    #[serde(deserialize_with = "super::time::deserialize")]
    pub at: DateTime<Utc>,
    pub channel: Channel,
    /// What it is, for lists and the journal ("status update PD-4218",
    /// "handover 20261201-0300-ana.lima").
    pub what: String,
    #[serde(default)]
    pub subject: String,
    pub body: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum MessageLine {
    Queued(Message),
    /// About to send.
    Attempt {
        id: String,
        #[serde(deserialize_with = "super::time::deserialize")]
        at: DateTime<Utc>,
    },
    /// Tried and not sent; tried again later.
    Retry {
        id: String,
        #[serde(deserialize_with = "super::time::deserialize")]
        at: DateTime<Utc>,
        why: String,
    },
    Done {
        id: String,
        #[serde(deserialize_with = "super::time::deserialize")]
        at: DateTime<Utc>,
        sent: bool,
        #[serde(default)]
        detail: String,
    },
}

/// A message not finished.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    pub message: Message,
    pub attempts: u32,
    /// Why the last attempt did not send it.
    pub last_error: Option<String>,
}

impl Waiting {
    /// "status update PD-4218 by Slack — why it has not gone yet".
    pub fn describe(&self) -> String {
        let mut s = format!("{} by {}", self.message.what, self.message.channel.label());
        if let Some(e) = &self.last_error {
            s.push_str(&format!(" — {e}"));
        }
        s
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Delivered {
    pub message: Message,
    pub sent: bool,
    pub detail: String,
    pub at: DateTime<Utc>,
}

/// The messages outbox, folded.
#[derive(Debug, Clone, Default)]
pub struct Messages {
    pub waiting: Vec<Waiting>,
    pub done: Vec<Delivered>,
}

impl Messages {
    pub fn fold<'a>(lines: impl IntoIterator<Item = &'a MessageLine>) -> Messages {
        let mut waiting: Vec<Waiting> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut done: HashMap<String, (bool, String, DateTime<Utc>)> = HashMap::new();
        for line in lines {
            match line {
                MessageLine::Queued(m) => {
                    if !index.contains_key(&m.id) {
                        index.insert(m.id.clone(), waiting.len());
                        waiting.push(Waiting {
                            message: m.clone(),
                            attempts: 0,
                            last_error: None,
                        });
                    }
                }
                MessageLine::Attempt { id, .. } => {
                    if let Some(&i) = index.get(id) {
                        waiting[i].attempts += 1;
                    }
                }
                MessageLine::Retry { id, why, .. } => {
                    if let Some(&i) = index.get(id) {
                        waiting[i].last_error = Some(why.clone());
                    }
                }
                MessageLine::Done {
                    id,
                    at,
                    sent,
                    detail,
                } => {
                    // The first outcome stands.
                    done.entry(id.clone())
                        .or_insert((*sent, detail.clone(), *at));
                }
            }
        }
        let mut out = Messages::default();
        for w in waiting {
            match done.remove(&w.message.id) {
                Some((sent, detail, at)) => out.done.push(Delivered {
                    message: w.message,
                    sent,
                    detail,
                    at,
                }),
                None => out.waiting.push(w),
            }
        }
        out
    }
}

/// The one-line status update of seed 002 §6 step 5: integration or
/// service, observed symptom, action taken, ETA — no speculation.
pub fn status_update(
    id: &str,
    severity: super::Severity,
    service: &str,
    symptom: &str,
    action: &str,
    eta: &str,
) -> String {
    let eta = if eta.trim().is_empty() {
        "unknown"
    } else {
        eta.trim()
    };
    format!(
        "[{severity}] {} — {} · action: {} · ETA {eta} ({id})",
        service.trim(),
        symptom.trim(),
        action.trim()
    )
}

/// An ETA as typed ("30m", "2h", "1h30m", "unknown"): checked, kept as typed.
pub fn check_eta(eta: &str) -> Result<String, String> {
    let e = eta.trim();
    if e.is_empty() || e.eq_ignore_ascii_case("unknown") {
        return Ok("unknown".into());
    }
    let ok = e
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, 'm' | 'h' | 'd'))
        && e.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !e.ends_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(e.to_string())
    } else {
        Err(format!("ETA {e:?}: write it as 30m, 2h, 1h30m or unknown"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn m(id: &str) -> Message {
        Message {
            id: id.into(),
            at: Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap(),
            channel: Channel::Email,
            what: "handover".into(),
            subject: "s".into(),
            body: "b".into(),
            by: "ana".into(),
        }
    }

    #[test]
    fn a_message_waits_until_its_first_outcome() {
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 3, 1, 0).unwrap();
        let lines = vec![
            MessageLine::Queued(m("a")),
            MessageLine::Queued(m("b")),
            MessageLine::Queued(m("a")),
            MessageLine::Attempt { id: "a".into(), at },
            MessageLine::Retry {
                id: "a".into(),
                at,
                why: "refused".into(),
            },
            MessageLine::Attempt { id: "b".into(), at },
            MessageLine::Done {
                id: "b".into(),
                at,
                sent: true,
                detail: String::new(),
            },
            MessageLine::Done {
                id: "b".into(),
                at,
                sent: false,
                detail: "late".into(),
            },
        ];
        let f = Messages::fold(&lines);
        assert_eq!(f.waiting.len(), 1, "queued twice is one message");
        assert_eq!(f.waiting[0].attempts, 1);
        assert_eq!(f.waiting[0].last_error.as_deref(), Some("refused"));
        assert_eq!(f.done.len(), 1);
        assert!(f.done[0].sent, "the first outcome stands");
    }

    #[test]
    fn the_update_reads_as_the_runbook_asks() {
        assert_eq!(
            status_update(
                "PD-4218",
                super::super::Severity::P1,
                "credguard-api",
                "5xx on login",
                "rolled back the flag",
                "30m"
            ),
            "[P1] credguard-api — 5xx on login · action: rolled back the flag · ETA 30m (PD-4218)"
        );
        assert_eq!(check_eta(" 1h30m ").unwrap(), "1h30m");
        assert_eq!(check_eta("").unwrap(), "unknown");
        assert!(check_eta("soon").is_err());
        assert!(check_eta("30").is_err());
    }
}
