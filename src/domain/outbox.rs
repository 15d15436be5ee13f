//! Actions on PagerDuty and Opsgenie incidents, kept until the vendor has
//! them. Every action is written to the outbox (`incidents/outbox.jsonl`)
//! before anything is sent, then followed by what became of it: an attempt,
//! an accepted asynchronous request (Opsgenie), and one final outcome. The
//! state of every action is folded from those lines, so a restart picks up
//! exactly where the last process stopped.
//!
//! Exactly once: before sending, the sender reads the incident's state at
//! the vendor. An acknowledgement of an acknowledged incident, or a resolve
//! of one this outbox already tried to resolve, is done and is not sent
//! again. A note that was attempted before a crash is looked for among the
//! incident's notes (each carries its action's reference) before it is sent
//! again. Nothing is sent to an incident someone else resolved: the
//! operator is told instead.

use super::incident::IncidentStatus;
use super::remote::Vendor;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemoteAction {
    Acknowledge,
    Note,
    Resolve,
    /// Quiet the incident until `until` (PagerDuty, Opsgenie, JSM).
    Snooze,
    /// Give the incident to `target`: a user, or an escalation policy.
    Reassign,
    /// Ask `target` (a user, team or escalation policy) to join.
    AddResponder,
    /// Back to open, so it notifies again (Opsgenie, JSM).
    Unacknowledge,
    /// PagerDuty: to the next level of its escalation policy; Opsgenie and
    /// JSM: to the escalation named by `target`.
    Escalate,
    /// Alertmanager: a silence matching the alert's labels until `until`.
    Silence,
    /// Alertmanager: end the silence whose id is `target` now.
    Expire,
}

impl RemoteAction {
    pub const ALL: [RemoteAction; 10] = [
        RemoteAction::Acknowledge,
        RemoteAction::Note,
        RemoteAction::Resolve,
        RemoteAction::Snooze,
        RemoteAction::Reassign,
        RemoteAction::AddResponder,
        RemoteAction::Unacknowledge,
        RemoteAction::Escalate,
        RemoteAction::Silence,
        RemoteAction::Expire,
    ];

    /// The short verb for lists and flashes.
    pub fn label(self) -> &'static str {
        match self {
            RemoteAction::Acknowledge => "ack",
            RemoteAction::Note => "note",
            RemoteAction::Resolve => "resolve",
            RemoteAction::Snooze => "snooze",
            RemoteAction::Reassign => "reassign",
            RemoteAction::AddResponder => "add responder",
            RemoteAction::Unacknowledge => "unack",
            RemoteAction::Escalate => "escalate",
            RemoteAction::Silence => "silence",
            RemoteAction::Expire => "expire silence",
        }
    }

    /// The verb in the vendor's words, past tense, for the journal:
    /// "{verb} {incident} at {vendor}".
    pub fn done_verb(self, vendor: Vendor) -> &'static str {
        match (self, vendor) {
            (RemoteAction::Acknowledge, _) => "acknowledged",
            (RemoteAction::Note, _) => "noted",
            (RemoteAction::Resolve, Vendor::Pagerduty) => "resolved",
            (RemoteAction::Resolve, _) => "closed",
            (RemoteAction::Snooze, _) => "snoozed",
            (RemoteAction::Reassign, _) => "reassigned",
            (RemoteAction::AddResponder, _) => "asked a responder to join",
            (RemoteAction::Unacknowledge, _) => "unacknowledged",
            (RemoteAction::Escalate, _) => "escalated",
            (RemoteAction::Silence, _) => "silenced",
            (RemoteAction::Expire, _) => "expired the silence on",
        }
    }

    /// Whether sending it twice would do something twice (page a second
    /// responder, skip a second escalation level): after an attempt that
    /// may have got through, it is not sent again blindly.
    pub fn repeats_harm(self) -> bool {
        matches!(self, RemoteAction::AddResponder | RemoteAction::Escalate)
    }
}

impl fmt::Display for RemoteAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // pad: a width in a format string ({:<9}) lines up columns.
        f.pad(self.label())
    }
}

/// What finally became of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The vendor took it.
    Sent,
    /// The vendor already had it (acknowledged already, or this action's
    /// earlier attempt got through): not sent again.
    AlreadyDone,
    /// Not sent: the incident was resolved by someone else, or is gone.
    Dropped,
    /// The vendor refused it for good (shown with its words).
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::AlreadyDone => "already done",
            Outcome::Dropped => "not sent",
            Outcome::Failed => "failed",
        }
    }
}

/// One action as queued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    /// Unique; its first 8 characters are the reference a note carries.
    pub id: String,
    #[serde(deserialize_with = "super::time::deserialize")]
    pub at: DateTime<Utc>,
    pub source: String,
    pub vendor: Vendor,
    /// The id the operator sees ("PD-4211").
    pub incident: String,
    pub remote_id: String,
    #[serde(default)]
    pub title: String,
    pub action: RemoteAction,
    #[serde(default)]
    pub message: String,
    pub by: String,
    /// Snooze and silence: until when.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::time::deserialize_opt"
    )]
    pub until: Option<DateTime<Utc>>,
    /// Reassign, add responder, escalate: to whom; expire: the silence id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    /// Silence: the alert's labels, which the silence matches exactly.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

impl Queued {
    /// The reference written into a note so a second attempt can find it.
    pub fn reference(&self) -> &str {
        &self.id[..self.id.len().min(8)]
    }

    /// The text a note carries at the vendor: the operator's words, who
    /// wrote them and the action's reference.
    pub fn note_text(&self) -> String {
        format!(
            "{}\n\n— {} via shiftdeck (ref {})",
            self.message.trim_end(),
            self.by,
            self.reference()
        )
    }

    pub fn describe(&self) -> String {
        match self.action {
            RemoteAction::Reassign | RemoteAction::AddResponder if !self.target.is_empty() => {
                format!("{} {} → {}", self.action, self.incident, self.target)
            }
            RemoteAction::Escalate if !self.target.is_empty() => {
                format!("{} {} → {}", self.action, self.incident, self.target)
            }
            _ => format!("{} {}", self.action, self.incident),
        }
    }

    /// The words a vendor records with a snooze, silence or escalation:
    /// the operator's, who and the reference (so a second attempt can find
    /// a silence it already made).
    pub fn comment(&self) -> String {
        let words = self.message.trim();
        if words.is_empty() {
            format!("{} via shiftdeck (ref {})", self.by, self.reference())
        } else {
            format!(
                "{words} — {} via shiftdeck (ref {})",
                self.by,
                self.reference()
            )
        }
    }
}

/// One line of the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum OutboxLine {
    Queued(Queued),
    /// About to send: after this line a crash leaves the action "maybe
    /// sent", which the next sender checks at the vendor first.
    Attempt {
        id: String,
        #[serde(deserialize_with = "super::time::deserialize")]
        at: DateTime<Utc>,
    },
    /// The vendor accepted it for later processing (Opsgenie's 202): only
    /// followed up from now on, never sent again.
    Accepted {
        id: String,
        #[serde(deserialize_with = "super::time::deserialize")]
        at: DateTime<Utc>,
        request_id: String,
    },
    Done {
        id: String,
        #[serde(deserialize_with = "super::time::deserialize")]
        at: DateTime<Utc>,
        outcome: Outcome,
        #[serde(default)]
        detail: String,
    },
}

impl OutboxLine {
    pub fn id(&self) -> &str {
        match self {
            OutboxLine::Queued(q) => &q.id,
            OutboxLine::Attempt { id, .. }
            | OutboxLine::Accepted { id, .. }
            | OutboxLine::Done { id, .. } => id,
        }
    }
}

/// An action not finished yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub queued: Queued,
    pub attempts: u32,
    pub request_id: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
}

impl Pending {
    /// "ack queued 03:12" (in the operator's time zone); the first word is
    /// the action's label.
    pub fn label(&self, tz: chrono_tz::Tz) -> String {
        let at = self.queued.at.with_timezone(&tz).format("%H:%M");
        if self.request_id.is_some() {
            format!(
                "{} sent {at}, awaiting {}",
                self.queued.action, self.queued.vendor
            )
        } else {
            format!("{} queued {at}", self.queued.action)
        }
    }
}

/// A finished action.
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    pub queued: Queued,
    pub outcome: Outcome,
    pub detail: String,
    pub at: DateTime<Utc>,
}

/// The outbox, folded.
#[derive(Debug, Clone, Default)]
pub struct Outbox {
    /// In the order they were queued.
    pub pending: Vec<Pending>,
    pub finished: Vec<Finished>,
}

impl Outbox {
    pub fn fold<'a>(lines: impl IntoIterator<Item = &'a OutboxLine>) -> Outbox {
        let mut pending: Vec<Pending> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut done: HashMap<String, (Outcome, String, DateTime<Utc>)> = HashMap::new();
        for line in lines {
            match line {
                OutboxLine::Queued(q) => {
                    if !index.contains_key(&q.id) {
                        index.insert(q.id.clone(), pending.len());
                        pending.push(Pending {
                            queued: q.clone(),
                            attempts: 0,
                            request_id: None,
                            accepted_at: None,
                        });
                    }
                }
                OutboxLine::Attempt { id, .. } => {
                    if let Some(&i) = index.get(id) {
                        pending[i].attempts += 1;
                    }
                }
                OutboxLine::Accepted {
                    id, request_id, at, ..
                } => {
                    if let Some(&i) = index.get(id) {
                        pending[i].request_id = Some(request_id.clone());
                        pending[i].accepted_at = Some(*at);
                    }
                }
                OutboxLine::Done {
                    id,
                    outcome,
                    detail,
                    at,
                } => {
                    // The first outcome stands.
                    done.entry(id.clone())
                        .or_insert((*outcome, detail.clone(), *at));
                }
            }
        }
        let mut out = Outbox::default();
        for p in pending {
            match done.remove(&p.queued.id) {
                Some((outcome, detail, at)) => out.finished.push(Finished {
                    queued: p.queued,
                    outcome,
                    detail,
                    at,
                }),
                None => out.pending.push(p),
            }
        }
        out
    }

    pub fn pending_for<'a>(&'a self, source: &'a str) -> impl Iterator<Item = &'a Pending> + 'a {
        self.pending
            .iter()
            .filter(move |p| p.queued.source == source)
    }

    /// Whether this outbox resolved the incident itself.
    pub fn resolved_here(&self, remote_id: &str) -> bool {
        self.finished.iter().any(|f| {
            f.queued.remote_id == remote_id
                && f.queued.action == RemoteAction::Resolve
                && matches!(f.outcome, Outcome::Sent | Outcome::AlreadyDone)
        })
    }

    /// The same action already waiting for this incident.
    pub fn waiting(&self, incident: &str, action: RemoteAction) -> Option<&Pending> {
        self.pending
            .iter()
            .find(|p| p.queued.incident == incident && p.queued.action == action)
    }
}

/// The incident's state at the vendor, as read just before sending.
#[derive(Debug, Clone, PartialEq)]
pub struct VendorState {
    pub status: IncidentStatus,
    pub acknowledged_by: Option<String>,
    pub resolved: Option<(DateTime<Utc>, String)>,
}

/// What to do with a pending action given the vendor's current state.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    Send,
    /// An earlier attempt may have got through: look for its reference
    /// first (in the incident's notes; in Alertmanager's silences).
    LookForNote,
    /// Finish without sending.
    Finish(Outcome, String),
}

/// Decide, before sending, whether an action still should go.
pub fn plan(p: &Pending, state: &VendorState, resolved_here: bool) -> Plan {
    let vendor = p.queued.vendor;
    if state.status == IncidentStatus::Resolved {
        let (at, by) = state
            .resolved
            .clone()
            .map(|(at, by)| (Some(at), by))
            .unwrap_or((None, String::new()));
        let mut who = if by.is_empty() {
            format!("at {vendor}")
        } else {
            format!("at {vendor} by {by}")
        };
        if let Some(at) = at {
            who.push_str(&format!(" ({} UTC)", at.format("%Y-%m-%d %H:%M")));
        }
        return match p.queued.action {
            RemoteAction::Resolve if p.attempts > 0 || resolved_here => Plan::Finish(
                Outcome::AlreadyDone,
                format!("{} is {}", p.queued.incident, vendor_resolved(vendor)),
            ),
            RemoteAction::Note if resolved_here => {
                if p.attempts > 0 {
                    Plan::LookForNote
                } else {
                    Plan::Send
                }
            }
            action => Plan::Finish(
                Outcome::Dropped,
                format!(
                    "{} was already {} {who}: your {action} was not sent",
                    p.queued.incident,
                    vendor_resolved(vendor)
                ),
            ),
        };
    }
    match p.queued.action {
        RemoteAction::Acknowledge if state.status == IncidentStatus::Acknowledged => {
            let by = state.acknowledged_by.clone().unwrap_or_default();
            let detail = if by.is_empty() {
                format!("{} was already acknowledged", p.queued.incident)
            } else {
                format!("{} was already acknowledged by {by}", p.queued.incident)
            };
            Plan::Finish(Outcome::AlreadyDone, detail)
        }
        RemoteAction::Unacknowledge if state.status == IncidentStatus::Open => Plan::Finish(
            Outcome::AlreadyDone,
            format!("{} is not acknowledged at {vendor}", p.queued.incident),
        ),
        RemoteAction::Note | RemoteAction::Silence if p.attempts > 0 => Plan::LookForNote,
        action if action.repeats_harm() && p.attempts > 0 => Plan::Finish(
            Outcome::Failed,
            format!(
                "{} {}: may have reached {vendor} before shiftdeck stopped, so it was not sent again: look at the incident at {vendor}",
                action, p.queued.incident
            ),
        ),
        _ => Plan::Send,
    }
}

fn vendor_resolved(vendor: Vendor) -> &'static str {
    vendor.resolved_word()
}

#[cfg(test)]
mod tests;
