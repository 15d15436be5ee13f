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
    let mut open: Vec<usize> = input.book.sorted_indices("", false);
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
        None => hold.push("integration health is not verified by this shiftdeck: run the verify-all check before calling it green".to_string()),
        Some(bad) => {
            for i in bad {
                hold.push(format!("{} is {}", i.name, i.status));
            }
        }
    }

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
        credential_blockers: standing::blockers(input.earlier.iter().chain(input.journal)),
        deviations: standing::deviations(input.journal)
            .into_iter()
            .map(line)
            .collect(),
    }
}

impl HandoverReport {
    pub fn is_hold(&self) -> bool {
        !self.hold.is_empty()
    }

    fn local(&self, at: DateTime<Utc>, with_date: bool) -> String {
        let t = at.with_timezone(&self.timezone);
        if with_date {
            t.format("%Y-%m-%d %H:%M").to_string()
        } else {
            t.format("%H:%M").to_string()
        }
    }

    /// The report as Markdown, with every control and bidi character from
    /// outside (titles, notes) dropped: a Markdown viewer or a `cat` in a
    /// terminal shows what it says.
    pub fn to_markdown(&self) -> String {
        crate::domain::sanitize::text(&self.markdown_unchecked()).into_owned()
    }

    fn markdown_unchecked(&self) -> String {
        let mut md = String::new();
        let push = |md: &mut String, s: &str| {
            md.push_str(s);
            md.push('\n');
        };
        push(&mut md, &format!("# Shift handover — {}", self.operator));
        push(&mut md, "");
        push(
            &mut md,
            &format!(
                "Shift `{}`, {} to {} ({}), {} on shift.",
                self.shift,
                self.local(self.started, true),
                self.local(self.ended, true),
                self.timezone.name(),
                coarse_duration(self.ended - self.started)
            ),
        );
        push(&mut md, "");
        let p1 = self
            .open_incidents
            .iter()
            .filter(|i| i.severity == "P1")
            .count();
        if self.is_hold() {
            push(&mut md, "**HOLD** — not everything is green:");
            for h in &self.hold {
                push(&mut md, &format!("- {h}"));
            }
        } else {
            push(&mut md, "**GREEN** — every integration is up.");
        }
        if p1 > 0 {
            push(&mut md, "");
            push(&mut md, &format!("**{p1} P1 incident(s) open.**"));
        }
        push(&mut md, "");
        push(&mut md, "## Summary");
        push(&mut md, "");
        push(
            &mut md,
            if self.summary.is_empty() {
                "_No summary written._"
            } else {
                &self.summary
            },
        );
        push(&mut md, "");
        push(
            &mut md,
            &format!("## Open incidents ({})", self.open_incidents.len()),
        );
        push(&mut md, "");
        if self.open_incidents.is_empty() {
            push(&mut md, "_None._");
        }
        for i in &self.open_incidents {
            let respond = if i.respond.is_empty() {
                String::new()
            } else {
                format!(" · {}", i.respond)
            };
            push(
                &mut md,
                &format!(
                    "- **{}** `{}` {} — {} · {} · age {}{}",
                    i.severity, i.id, i.title, i.service, i.status, i.age, respond
                ),
            );
        }
        push(&mut md, "");
        push(&mut md, "## Integrations not green");
        push(&mut md, "");
        match &self.integrations_not_green {
            None => push(
                &mut md,
                "_Not monitored by this shiftdeck: check each integration by hand._",
            ),
            Some(v) if v.is_empty() => push(&mut md, "_None: all green._"),
            Some(v) => {
                for i in v {
                    let hint = if i.hint.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", i.hint)
                    };
                    push(&mut md, &format!("- **{}**: {}{}", i.name, i.status, hint));
                }
            }
        }
        if !self.unsent_messages.is_empty() {
            push(&mut md, "");
            push(&mut md, "## Messages not sent yet");
            push(&mut md, "");
            for m in &self.unsent_messages {
                push(&mut md, &format!("- {m}"));
            }
        }
        for (title, items) in [
            ("Pending approvals", &self.pending_approvals),
            ("Unfinished checklist steps", &self.unfinished_steps),
        ] {
            push(&mut md, "");
            push(&mut md, &format!("## {title}"));
            push(&mut md, "");
            match items {
                None => push(&mut md, "_Not tracked by this shiftdeck._"),
                Some(v) if v.is_empty() => push(&mut md, "_None._"),
                Some(v) => {
                    for s in v {
                        push(&mut md, &format!("- {s}"));
                    }
                }
            }
        }
        push(&mut md, "");
        push(
            &mut md,
            &format!("## What changed this shift ({})", self.changes.len()),
        );
        push(&mut md, "");
        if self.changes.is_empty() {
            push(&mut md, "_Nothing recorded._");
        }
        for c in &self.changes {
            push(
                &mut md,
                &format!("- {} {} ({})", self.local(c.at, false), c.text, c.operator),
            );
        }
        if !self.change_records.is_empty() {
            push(&mut md, "");
            push(
                &mut md,
                &format!("## Change records ({})", self.change_records.len()),
            );
            for c in &self.change_records {
                push(&mut md, "");
                md.push_str(c.trim_end());
                md.push('\n');
            }
        }
        if !self.credential_blockers.is_empty() {
            push(&mut md, "");
            push(
                &mut md,
                &format!(
                    "## Credential blockers ({})",
                    self.credential_blockers.len()
                ),
            );
            push(&mut md, "");
            for b in &self.credential_blockers {
                push(
                    &mut md,
                    &format!(
                        "- since {} ({}): {}",
                        self.local(b.since, true),
                        b.operator,
                        b.text.lines().collect::<Vec<_>>().join(" ")
                    ),
                );
            }
        }
        if !self.deviations.is_empty() {
            push(&mut md, "");
            push(
                &mut md,
                &format!("## Deviations from the runbook ({})", self.deviations.len()),
            );
            push(&mut md, "");
            for d in &self.deviations {
                let mut lines = d.text.lines();
                push(
                    &mut md,
                    &format!(
                        "- {} {} ({})",
                        self.local(d.at, false),
                        lines.next().unwrap_or(""),
                        d.operator
                    ),
                );
                for more in lines {
                    push(&mut md, &format!("  {more}"));
                }
            }
        }
        push(&mut md, "");
        push(&mut md, "## Notes");
        push(&mut md, "");
        if self.notes.is_empty() {
            push(&mut md, "_No notes._");
        }
        for g in &self.notes {
            let heading = if g.tag.is_empty() {
                "Other notes".to_string()
            } else {
                format!("#{}", g.tag)
            };
            push(&mut md, &format!("### {heading}"));
            push(&mut md, "");
            for n in &g.notes {
                let mut lines = n.text.lines();
                push(
                    &mut md,
                    &format!(
                        "- {} {}",
                        self.local(n.at, false),
                        lines.next().unwrap_or("")
                    ),
                );
                for more in lines {
                    push(&mut md, &format!("  {more}"));
                }
            }
            push(&mut md, "");
        }
        while md.ends_with("\n\n") {
            md.pop();
        }
        md
    }
}

#[cfg(test)]
mod tests;
