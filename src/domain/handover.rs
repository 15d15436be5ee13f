//! The handover report: what the next operator reads first. Built from the
//! shift's journal and the live state; written as plain Markdown that reads
//! well in a terminal, a browser and Slack (lists, no tables).
//!
//! "Green means green, and partial-green is HOLD": any integration not
//! green — or not verified at all — puts HOLD at the top.

use super::format::coarse_duration;
use super::journal::{EntryKind, JournalEntry};
use super::{Countdown, IncidentBook};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

pub mod standing;
pub use standing::Blocker;

/// An integration's state as the Health pane knows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntegrationState {
    pub name: String,
    /// up, degraded, down or unknown.
    pub status: String,
    pub hint: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenIncident {
    pub severity: String,
    pub id: String,
    pub title: String,
    pub service: String,
    pub status: String,
    pub age: String,
    pub respond: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub at: DateTime<Utc>,
    pub operator: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagGroup {
    pub tag: String,
    pub notes: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandoverReport {
    pub shift: String,
    pub operator: String,
    pub started: DateTime<Utc>,
    pub ended: DateTime<Utc>,
    #[serde(serialize_with = "tz_name")]
    pub timezone: Tz,
    pub summary: String,
    /// Why this handover is on HOLD; empty means green.
    pub hold: Vec<String>,
    /// `None`: integration health is not monitored here.
    pub integrations_not_green: Option<Vec<IntegrationState>>,
    pub open_incidents: Vec<OpenIncident>,
    pub changes: Vec<Line>,
    /// `None`: not tracked by this build.
    pub pending_approvals: Option<Vec<String>>,
    pub unfinished_steps: Option<Vec<String>>,
    /// Status updates and mails written this shift or before that Slack or
    /// the mail server has not taken yet.
    pub unsent_messages: Vec<String>,
    pub notes: Vec<TagGroup>,
    /// This shift's change records, each in the runbook's layout (seed 001 §7).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub change_records: Vec<String>,
    /// Credential blockers still open, from this shift and earlier ones.
    pub credential_blockers: Vec<Blocker>,
    /// This shift's deviations from the runbook.
    pub deviations: Vec<Line>,
    /// Overdue follow-ups, and open ones of P1 and P2 incidents.
    pub followups: Vec<String>,
    pub followups_overdue: usize,
}

fn tz_name<S: serde::Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

/// Everything the report is built from.
pub struct HandoverInput<'a> {
    pub shift: &'a str,
    pub operator: &'a str,
    pub started: DateTime<Utc>,
    pub now: DateTime<Utc>,
    pub timezone: Tz,
    pub summary: &'a str,
    /// This shift's journal.
    pub journal: &'a [JournalEntry],
    pub book: &'a IncidentBook,
    pub integrations: Option<&'a [IntegrationState]>,
    pub pending_approvals: Option<Vec<String>>,
    pub unfinished_steps: Option<Vec<String>>,
    /// What waits in the messages outbox ("status update PD-4218 by Slack").
    pub unsent_messages: Vec<String>,
    /// Notes of earlier shifts that stand until cleared (credential
    /// blockers and what cleared them); other entries are ignored.
    pub earlier: &'a [JournalEntry],
}

/// One open approval record as the handover lists it.
pub fn approval_line(r: &super::approval::ApprovalRecord, now: DateTime<Utc>) -> String {
    let overdue = if r.overdue(now) {
        " · **OVERDUE** (decide within a week)"
    } else {
        ""
    };
    format!(
        "`{}` [{}] {} — {}, {} for {}, requested by {}{overdue}",
        r.id,
        r.risk.as_str(),
        r.title,
        r.target.name,
        r.state,
        coarse_duration(r.age(now)),
        r.requested_by
    )
}

/// Tags with their own section, in this order; other tags follow.
const TAG_ORDER: &[&str] = &["handover", "pending", "watch"];

pub fn build(input: &HandoverInput<'_>) -> HandoverReport {
    let now = input.now;
    let mut open: Vec<usize> = input.book.sorted_indices(&Default::default(), now, false);
    open.truncate(200);
    let open_incidents = open
        .into_iter()
        .map(|i| {
            let inc = input.book.by_index(i);
            let respond = match inc.countdown(now) {
                Countdown::Remaining(d) => format!("{} left to respond", coarse_duration(d)),
                Countdown::Breached(d) => format!("BREACHED +{}", coarse_duration(d)),
                Countdown::Met => "responded in time".into(),
                Countdown::MetLate(d) => format!("responded late +{}", coarse_duration(d)),
                Countdown::Closed => String::new(),
            };
            OpenIncident {
                severity: inc.severity.to_string(),
                id: inc.id.clone(),
                title: inc.title.clone(),
                service: inc.service.clone(),
                // An action taken here that the vendor does not have yet
                // is the next shift's business too.
                status: match inc.remote.as_ref().filter(|r| !r.pending.is_empty()) {
                    Some(r) => format!(
                        "{} ({} at {}: not sent yet)",
                        inc.status,
                        r.pending.join(", "),
                        r.vendor
                    ),
                    None => inc.status.to_string(),
                },
                age: coarse_duration(inc.age(now)),
                respond,
            }
        })
        .collect();

    let line = |e: &JournalEntry| Line {
        at: e.at,
        operator: e.operator.clone(),
        text: e.summary(),
    };
    let changes = input
        .journal
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EntryKind::Incident
                    | EntryKind::Approval
                    | EntryKind::Checklist
                    | EntryKind::Health
                    | EntryKind::Message
            )
        })
        .map(line)
        .collect();

    let mut groups: Vec<TagGroup> = TAG_ORDER
        .iter()
        .map(|t| TagGroup {
            tag: t.to_string(),
            notes: Vec::new(),
        })
        .collect();
    let mut untagged = Vec::new();
    for e in input.journal.iter().filter(|e| e.kind == EntryKind::Note) {
        let all = e.tags();
        let tags: Vec<String> = all
            .iter()
            .filter(|t| !standing::OWN_SECTION.contains(&t.as_str()))
            .cloned()
            .collect();
        if all.is_empty() {
            untagged.push(line(e));
        }
        for tag in tags {
            match groups.iter_mut().find(|g| g.tag == tag) {
                Some(g) => g.notes.push(line(e)),
                None => groups.push(TagGroup {
                    tag,
                    notes: vec![line(e)],
                }),
            }
        }
    }
    groups.retain(|g| !g.notes.is_empty());
    if !untagged.is_empty() {
        groups.push(TagGroup {
            tag: String::new(),
            notes: untagged,
        });
    }

    let mut hold = Vec::new();
    let integrations_not_green = input.integrations.map(|all| {
        all.iter()
            .filter(|i| i.status != "up")
            .cloned()
            .collect::<Vec<_>>()
    });
    match &integrations_not_green {
        None => hold.push("integration health is not verified by this shiftdeck: `shiftdeck probe` (or P in the Health pane) checks every integration before calling it green".to_string()),
        Some(bad) => {
            for i in bad {
                hold.push(format!("{} is {}", i.name, i.status));
            }
        }
    }

    let followups = standing::followups(input.book, now, input.timezone);
    HandoverReport {
        shift: input.shift.to_string(),
        operator: input.operator.to_string(),
        started: input.started,
        ended: now,
        timezone: input.timezone,
        summary: input.summary.trim().to_string(),
        hold,
        integrations_not_green,
        open_incidents,
        changes,
        pending_approvals: input.pending_approvals.clone(),
        unfinished_steps: input.unfinished_steps.clone(),
        unsent_messages: input.unsent_messages.clone(),
        notes: groups,
        change_records: input
            .journal
            .iter()
            .filter(|e| e.kind == EntryKind::Change)
            .map(|e| super::change::markdown(e, input.timezone))
            .collect(),
        followups: followups.0,
        followups_overdue: followups.1,
        credential_blockers: standing::blockers(input.earlier.iter().chain(input.journal)),
        deviations: standing::deviations(input.journal)
            .into_iter()
            .map(line)
            .collect(),
    }
}

mod markdown;

#[cfg(test)]
mod tests;
