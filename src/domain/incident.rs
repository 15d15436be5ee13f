//! Incidents as the incident-log runbook keeps them: a record when the
//! incident is declared (`incidents.jsonl`) and an append-only timeline of
//! events (`events.jsonl`). The current state of an incident is folded from
//! its record and its events; nothing is ever rewritten.

use super::severity::Severity;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One line of `incidents/incidents.jsonl`: the incident as declared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentRecord {
    pub id: String,
    pub title: String,
    pub service: String,
    pub severity: Severity,
    #[serde(default = "default_env")]
    pub env: String,
    #[serde(deserialize_with = "super::time::deserialize")]
    pub started_at: DateTime<Utc>,
    #[serde(default)]
    pub created_by: String,
}

fn default_env() -> String {
    "prod".to_string()
}

/// One line of `incidents/events.jsonl`: something that happened to an incident.
///
/// Read through [`EventLine`] (a flat struct: serde's `flatten` buffers every
/// field and made loading a year of events several times slower).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "EventLine")]
pub struct IncidentEvent {
    pub incident_id: String,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub by: String,
    #[serde(flatten)]
    pub change: IncidentChange,
}

/// The flat shape of an event line, as read.
#[derive(Deserialize)]
struct EventLine {
    incident_id: String,
    #[serde(deserialize_with = "super::time::deserialize")]
    at: DateTime<Utc>,
    #[serde(default)]
    by: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    message: String,
    to: Option<Severity>,
    #[serde(default)]
    followup: String,
    #[serde(default)]
    owner: String,
    #[serde(default, deserialize_with = "super::time::deserialize_opt")]
    due: Option<DateTime<Utc>>,
    outcome: Option<followup::Outcome>,
}

impl TryFrom<EventLine> for IncidentEvent {
    type Error = String;

    fn try_from(l: EventLine) -> Result<Self, Self::Error> {
        let message = l.message;
        let change = match l.kind.as_str() {
            "acknowledged" => IncidentChange::Acknowledged { message },
            "escalated" => match l.to {
                Some(to) => IncidentChange::Escalated { to, message },
                None => return Err("an escalated event needs \"to\" (P1..P4)".into()),
            },
            "note" => IncidentChange::Note { message },
            "followup" => IncidentChange::Followup {
                message,
                followup: l.followup,
                owner: l.owner,
                due: l.due,
            },
            "followup_closed" => match (l.outcome, l.followup.is_empty()) {
                (Some(outcome), false) => IncidentChange::FollowupClosed {
                    followup: l.followup,
                    outcome,
                    message,
                },
                _ => {
                    return Err(
                        "a followup_closed event needs \"followup\" (its id) and \"outcome\" (done or dropped)"
                            .into(),
                    );
                }
            },
            "resolved" => IncidentChange::Resolved { message },
            "reopened" => IncidentChange::Reopened { message },
            other => {
                return Err(format!(
                    "unknown event type {other:?} (expected acknowledged, escalated, note, followup, followup_closed, resolved or reopened)"
                ));
            }
        };
        Ok(IncidentEvent {
            incident_id: l.incident_id,
            at: l.at,
            by: l.by,
            change,
        })
    }
}

/// What an event changes. Serialised as `"type": "..."` beside the event's
/// common fields, so each line stays one flat JSON object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum IncidentChange {
    /// Someone took the incident: the response target is met.
    Acknowledged {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        message: String,
    },
    /// Severity raised (or, rarely, lowered) with a reason.
    Escalated {
        to: Severity,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        message: String,
    },
    /// A free-text note on the timeline.
    Note { message: String },
    /// A follow-up action to track after the incident (runbook §7; seed
    /// 004: `followup` events with an owner and a due date).
    Followup {
        message: String,
        /// Its id within the incident (`fu-3f9a1c`), to close it by.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        followup: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        owner: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<DateTime<Utc>>,
    },
    /// A follow-up done, or dropped with a reason.
    FollowupClosed {
        followup: String,
        outcome: followup::Outcome,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        message: String,
    },
    /// The incident is over.
    Resolved {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        message: String,
    },
    /// A resolved incident came back.
    Reopened {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        message: String,
    },
}

impl IncidentChange {
    /// The short verb the timeline shows.
    pub fn label(&self) -> &'static str {
        match self {
            IncidentChange::Acknowledged { .. } => "ack",
            IncidentChange::Escalated { .. } => "escalate",
            IncidentChange::Note { .. } => "note",
            IncidentChange::Followup { .. } => "follow-up",
            IncidentChange::FollowupClosed { .. } => "follow-up",
            IncidentChange::Resolved { .. } => "resolve",
            IncidentChange::Reopened { .. } => "reopen",
        }
    }

    /// The same change with its text passed through `f` (redaction).
    pub fn map_message(self, f: impl FnOnce(&str) -> String) -> IncidentChange {
        match self {
            IncidentChange::Acknowledged { message } => IncidentChange::Acknowledged {
                message: f(&message),
            },
            IncidentChange::Escalated { to, message } => IncidentChange::Escalated {
                to,
                message: f(&message),
            },
            IncidentChange::Note { message } => IncidentChange::Note {
                message: f(&message),
            },
            IncidentChange::Followup {
                message,
                followup,
                owner,
                due,
            } => IncidentChange::Followup {
                message: f(&message),
                followup,
                owner,
                due,
            },
            IncidentChange::FollowupClosed {
                followup,
                outcome,
                message,
            } => IncidentChange::FollowupClosed {
                followup,
                outcome,
                message: f(&message),
            },
            IncidentChange::Resolved { message } => IncidentChange::Resolved {
                message: f(&message),
            },
            IncidentChange::Reopened { message } => IncidentChange::Reopened {
                message: f(&message),
            },
        }
    }

    /// The verb the journal records for this change.
    pub fn journal_action(&self) -> String {
        match self {
            IncidentChange::Acknowledged { .. } => "acknowledged".into(),
            IncidentChange::Escalated { to, .. } => format!("escalated to {to}"),
            IncidentChange::Note { .. } => "noted".into(),
            IncidentChange::Followup { .. } => "follow-up".into(),
            IncidentChange::FollowupClosed { outcome, .. } => format!("follow-up {outcome}"),
            IncidentChange::Resolved { .. } => "resolved".into(),
            IncidentChange::Reopened { .. } => "reopened".into(),
        }
    }

    /// What the timeline shows beside the verb, in the operator's zone:
    /// the message, with the severity an escalation went to and the owner
    /// and due date of a follow-up.
    pub fn timeline_text(&self, tz: chrono_tz::Tz) -> String {
        let msg = self.message();
        let joined = |head: String| {
            if msg.is_empty() {
                head
            } else {
                format!("{head}: {msg}")
            }
        };
        match self {
            IncidentChange::Escalated { to, .. } => joined(format!("to {to}")),
            IncidentChange::Followup {
                followup,
                owner,
                due,
                ..
            } => {
                let due = due
                    .map(|d| format!(", due {}", d.with_timezone(&tz).format("%Y-%m-%d %H:%M")))
                    .unwrap_or_default();
                joined(format!("{followup} ({owner}{due})"))
            }
            IncidentChange::FollowupClosed {
                followup, outcome, ..
            } => joined(format!("{followup} {outcome}")),
            _ => msg.to_string(),
        }
    }

    pub fn message(&self) -> &str {
        match self {
            IncidentChange::Acknowledged { message }
            | IncidentChange::Escalated { message, .. }
            | IncidentChange::Note { message }
            | IncidentChange::Followup { message, .. }
            | IncidentChange::FollowupClosed { message, .. }
            | IncidentChange::Resolved { message }
            | IncidentChange::Reopened { message } => message,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentStatus {
    Open,
    Acknowledged,
    Resolved,
}

impl IncidentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Open => "open",
            IncidentStatus::Acknowledged => "acknowledged",
            IncidentStatus::Resolved => "resolved",
        }
    }
}

impl fmt::Display for IncidentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // pad: a width in a format string ({:<9}) lines up columns.
        f.pad(self.as_str())
    }
}

/// The folded, current state of one incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub service: String,
    pub env: String,
    pub severity: Severity,
    /// The severity it was declared with (escalation changes `severity`).
    pub declared: Severity,
    pub status: IncidentStatus,
    pub started_at: DateTime<Utc>,
    pub created_by: String,
    /// When the current response deadline runs out (tightened by escalation).
    pub respond_by: DateTime<Utc>,
    pub acknowledged: Option<(DateTime<Utc>, String)>,
    pub resolved: Option<(DateTime<Utc>, String)>,
    pub updated_at: DateTime<Utc>,
    pub timeline: Vec<IncidentEvent>,
    /// Where a PagerDuty or Opsgenie incident lives; `None` for local ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote: Option<Box<super::remote::RemoteInfo>>,
}

/// Under this much time left, a countdown shows seconds.
pub const SECONDS_SHOWN: Duration = Duration::minutes(5);

/// Where an incident stands against its response target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Countdown {
    /// Not yet acknowledged; this much time is left.
    Remaining(Duration),
    /// Not acknowledged and the target has passed by this much.
    Breached(Duration),
    /// Acknowledged within the target.
    Met,
    /// Acknowledged, but after the target.
    MetLate(Duration),
    /// Resolved without anyone acknowledging first within target: nothing to count.
    Closed,
}

impl Incident {
    pub fn from_record(record: &IncidentRecord) -> Incident {
        Incident {
            id: record.id.clone(),
            title: record.title.clone(),
            service: record.service.clone(),
            env: record.env.clone(),
            severity: record.severity,
            declared: record.severity,
            status: IncidentStatus::Open,
            started_at: record.started_at,
            created_by: record.created_by.clone(),
            respond_by: record.started_at + record.severity.response_target(),
            acknowledged: None,
            resolved: None,
            updated_at: record.started_at,
            timeline: Vec::new(),
            remote: None,
        }
    }

    /// Apply one event. Events are applied in file order; each one is a fact.
    pub fn apply(&mut self, event: &IncidentEvent) {
        self.apply_state(event);
        self.timeline.push(event.clone());
    }

    /// Apply an event, keeping it in the timeline without a copy.
    pub fn apply_owned(&mut self, event: IncidentEvent) {
        self.apply_state(&event);
        self.timeline.push(event);
    }

    pub fn apply_state(&mut self, event: &IncidentEvent) {
        match &event.change {
            IncidentChange::Acknowledged { .. } => {
                if self.status == IncidentStatus::Open {
                    self.status = IncidentStatus::Acknowledged;
                }
                // The first acknowledgement by time, whatever order the
                // lines arrived in (two hosts' copies merge in any order).
                if self
                    .acknowledged
                    .as_ref()
                    .is_none_or(|(at, _)| event.at < *at)
                {
                    self.acknowledged = Some((event.at, event.by.clone()));
                }
            }
            IncidentChange::Escalated { to, .. } => {
                if *to < self.severity && self.acknowledged.is_none() {
                    let deadline = event.at + to.response_target();
                    if deadline < self.respond_by {
                        self.respond_by = deadline;
                    }
                }
                // Escalating only raises, even for a line another tool wrote.
                if let Some(raised) = self.severity.raise_to(*to) {
                    self.severity = raised;
                }
            }
            IncidentChange::Note { .. }
            | IncidentChange::Followup { .. }
            | IncidentChange::FollowupClosed { .. } => {}
            IncidentChange::Resolved { .. } => {
                // Resolved twice (two hosts apart): the first by time stands.
                let earlier = matches!(&self.resolved, Some((at, _)) if *at <= event.at);
                if self.status != IncidentStatus::Resolved || !earlier {
                    self.resolved = Some((event.at, event.by.clone()));
                }
                self.status = IncidentStatus::Resolved;
            }
            IncidentChange::Reopened { .. } => {
                self.status = if self.acknowledged.is_some() {
                    IncidentStatus::Acknowledged
                } else {
                    IncidentStatus::Open
                };
                self.resolved = None;
            }
        }
        if event.at > self.updated_at {
            self.updated_at = event.at;
        }
    }

    pub fn is_active(&self) -> bool {
        self.status != IncidentStatus::Resolved
    }

    pub fn countdown(&self, now: DateTime<Utc>) -> Countdown {
        match (&self.acknowledged, self.status) {
            (Some((at, _)), _) => {
                if *at <= self.respond_by {
                    Countdown::Met
                } else {
                    Countdown::MetLate(*at - self.respond_by)
                }
            }
            (None, IncidentStatus::Resolved) => Countdown::Closed,
            (None, _) => {
                let left = self.respond_by - now;
                if left >= Duration::zero() {
                    Countdown::Remaining(left)
                } else {
                    Countdown::Breached(-left)
                }
            }
        }
    }

    pub fn age(&self, now: DateTime<Utc>) -> Duration {
        let end = self.resolved.as_ref().map(|(at, _)| *at).unwrap_or(now);
        end - self.started_at
    }

    /// The vendor's name for a remote incident.
    pub fn vendor(&self) -> Option<super::remote::Vendor> {
        self.remote.as_ref().map(|r| r.vendor)
    }
}

/// A fresh incident id, `inc_YYYYMMDD_HHMM_<rand>` (incident-log runbook),
/// in UTC, with six hex digits of randomness.
pub fn new_incident_id(now: DateTime<Utc>, random: u32) -> String {
    format!(
        "inc_{}_{:06x}",
        now.format("%Y%m%d_%H%M"),
        random & 0x00ff_ffff
    )
}

/// Whether a string has the shape of an incident id.
pub fn is_incident_id(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() >= 4 + 8 + 1 + 4 + 2
        && s.starts_with("inc_")
        && b[4..12].iter().all(u8::is_ascii_digit)
        && b[12] == b'_'
        && b[13..17].iter().all(u8::is_ascii_digit)
        && b[17] == b'_'
        && b[18..].iter().all(|c| c.is_ascii_alphanumeric())
        && s.len() > 18
}

pub use super::book::IncidentBook;
pub use check::IncidentRefusal;

mod check;
pub mod followup;

#[cfg(test)]
mod tests;
