//! The shift journal: every action and every note of a shift, one entry per
//! line (`journal/<date>_<shift-id>.jsonl`). Entries are facts; the journal
//! is never rewritten.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What an entry records. New kinds can be added without breaking old
/// readers: an unknown kind reads as `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    ShiftStart,
    ShiftEnd,
    Note,
    Incident,
    HandoverPublished,
    HandoverAcknowledged,
    Approval,
    Checklist,
    Health,
    /// A status update or handover queued for Slack or mail, and whether it went.
    Message,
    /// A change record (seed 001 §7): type, impact, downtime, rollback.
    Change,
    #[serde(other)]
    Other,
}

impl EntryKind {
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::ShiftStart => "shift start",
            EntryKind::ShiftEnd => "shift end",
            EntryKind::Note => "note",
            EntryKind::Incident => "incident",
            EntryKind::HandoverPublished => "handover",
            EntryKind::HandoverAcknowledged => "handover read",
            EntryKind::Approval => "approval",
            EntryKind::Checklist => "checklist",
            EntryKind::Health => "health",
            EntryKind::Message => "message",
            EntryKind::Change => "change",
            EntryKind::Other => "other",
        }
    }
}

/// One line of a shift's journal file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    #[serde(deserialize_with = "super::time::deserialize")]
    pub at: DateTime<Utc>,
    pub shift: String,
    pub operator: String,
    pub kind: EntryKind,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub fields: Map<String, Value>,
}

impl JournalEntry {
    pub fn new(at: DateTime<Utc>, shift: &str, operator: &str, kind: EntryKind) -> JournalEntry {
        JournalEntry {
            at,
            shift: shift.to_string(),
            operator: operator.to_string(),
            kind,
            fields: Map::new(),
        }
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> JournalEntry {
        self.fields.insert(key.to_string(), value.into());
        self
    }

    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields.get(key).and_then(Value::as_str)
    }

    /// A note: its text, with the tags and incident ids found in it.
    pub fn note(
        at: DateTime<Utc>,
        shift: &str,
        operator: &str,
        text: &str,
        extra_tags: &[String],
    ) -> JournalEntry {
        let mut tags = tags_in(text);
        for t in extra_tags {
            let t = t.trim_start_matches('#').to_lowercase();
            if !t.is_empty() && !tags.contains(&t) {
                tags.push(t);
            }
        }
        let incidents = incident_ids_in(text);
        let mut e = JournalEntry::new(at, shift, operator, EntryKind::Note).with("text", text);
        if !tags.is_empty() {
            e = e.with("tags", tags);
        }
        if !incidents.is_empty() {
            e = e.with("incidents", incidents);
        }
        e
    }

    /// An incident action, as the journal records it.
    pub fn incident(
        at: DateTime<Utc>,
        shift: &str,
        operator: &str,
        action: &str,
        incident: &super::Incident,
        message: &str,
    ) -> JournalEntry {
        let mut e = JournalEntry::new(at, shift, operator, EntryKind::Incident)
            .with("action", action)
            .with("incident_id", incident.id.as_str())
            .with("severity", incident.severity.as_str())
            .with("title", incident.title.as_str())
            .with("service", incident.service.as_str());
        if !message.is_empty() {
            e = e.with("message", message);
        }
        e
    }

    /// An action on a PagerDuty or Opsgenie incident: `action` says what
    /// happened to it ("ack queued for PagerDuty", "acknowledged at PagerDuty").
    pub fn remote(
        at: DateTime<Utc>,
        shift: &str,
        operator: &str,
        q: &super::outbox::Queued,
        action: &str,
        detail: &str,
    ) -> JournalEntry {
        let mut e = JournalEntry::new(at, shift, operator, EntryKind::Incident)
            .with("action", action)
            .with("incident_id", q.incident.as_str())
            .with("title", q.title.as_str())
            .with("source", q.source.as_str())
            .with("vendor", q.vendor.as_str())
            .with("action_id", q.id.as_str());
        let message = if detail.is_empty() {
            q.message.as_str()
        } else {
            detail
        };
        if !message.is_empty() {
            e = e.with("message", message);
        }
        e
    }

    /// What finally became of a remote action, for the journal.
    pub fn remote_finished(
        shift: &str,
        operator: &str,
        f: &super::outbox::Finished,
    ) -> JournalEntry {
        use super::outbox::Outcome;
        let q = &f.queued;
        let action = match f.outcome {
            Outcome::Sent => format!("{} at {}", q.action.done_verb(q.vendor), q.vendor),
            Outcome::AlreadyDone => format!("{} already done at {}", q.action, q.vendor),
            Outcome::Dropped => format!("{} not sent to {}", q.action, q.vendor),
            Outcome::Failed => format!("{} refused by {}", q.action, q.vendor),
        };
        let mut e = JournalEntry::remote(f.at, shift, operator, q, &action, &f.detail)
            .with("outcome", f.outcome.as_str());
        if q.action == super::outbox::RemoteAction::Note && !q.message.is_empty() {
            e = e.with("note", q.message.as_str());
        }
        e
    }

    /// A decision on an approval record.
    pub fn approval(
        at: DateTime<Utc>,
        shift: &str,
        operator: &str,
        record: &super::approval::ApprovalRecord,
        reason: &str,
    ) -> JournalEntry {
        let from = record
            .last()
            .and_then(|t| t.from)
            .map(|s| s.as_str())
            .unwrap_or("");
        JournalEntry::new(at, shift, operator, EntryKind::Approval)
            .with("id", record.id.as_str())
            .with("title", record.title.as_str())
            .with("risk", record.risk.as_str())
            .with("from", from)
            .with("to", record.state.as_str())
            .with("reason", reason)
    }

    pub fn tags(&self) -> Vec<String> {
        match self.fields.get("tags") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// One line of prose for lists and reports.
    pub fn summary(&self) -> String {
        let f = |k: &str| self.field(k).unwrap_or("");
        match self.kind {
            EntryKind::Note => f("text").to_string(),
            EntryKind::Incident => {
                // "escalated to P1" names its severity already.
                let sev = if f("action").ends_with(f("severity")) {
                    ""
                } else {
                    f("severity")
                };
                let mut s = format!("{} {sev} {}", f("action"), f("incident_id"));
                if !f("title").is_empty() {
                    s.push_str(&format!(" — {}", f("title")));
                }
                if !f("message").is_empty() {
                    s.push_str(&format!(": {}", f("message")));
                }
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            }
            EntryKind::Change => super::change::summary(self),
            EntryKind::Approval if f("action") == "refused" => format!(
                "refused on copy {} — {}: {}",
                f("id"),
                f("title"),
                f("text")
            ),
            EntryKind::Approval => format!(
                "{} → {} {} — {}: {}",
                f("from"),
                f("to"),
                f("id"),
                f("title"),
                f("reason")
            ),
            EntryKind::Checklist => {
                let mut s = format!(
                    "{}: {} › {}",
                    f("result"),
                    f("checklist_name"),
                    f("step_title")
                );
                if !f("reason").is_empty() {
                    s.push_str(&format!(" ({})", f("reason")));
                }
                if let Some(code) = self.fields.get("exit_code").and_then(|v| v.as_i64()) {
                    s.push_str(&format!(" (exit {code})"));
                }
                s
            }
            EntryKind::Health if f("action") == "verify" => {
                format!("verify {}: {}", f("integration"), f("summary"))
            }
            EntryKind::Health => {
                let mut s = format!(
                    "{} went {} (was {}): {}",
                    f("integration"),
                    f("to"),
                    f("from"),
                    f("summary")
                );
                if !f("hint").is_empty() {
                    s.push_str(&format!(" — {}", f("hint")));
                }
                s
            }
            EntryKind::Message => format!("{}: {}", f("action"), f("text")),
            EntryKind::ShiftStart => format!("{} started the shift", self.operator),
            EntryKind::ShiftEnd => format!("{} ended the shift", self.operator),
            EntryKind::HandoverPublished => format!("handover published: {}", f("path")),
            EntryKind::HandoverAcknowledged => format!(
                "{} acknowledged {}'s handover (shift {})",
                self.operator,
                f("from"),
                f("of_shift")
            ),
            _ => f("text").to_string(),
        }
    }
}

/// `#tags` in a text, lower-cased, without the `#`, first-seen order.
pub fn tags_in(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for (i, _) in text.match_indices('#') {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '&') {
            continue;
        }
        let tag: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let tag = tag.to_lowercase();
        if !tag.is_empty() && !tag.chars().all(|c| c.is_ascii_digit()) && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// Incident ids (`inc_YYYYMMDD_HHMM_<rand>`) mentioned in a text.
pub fn incident_ids_in(text: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if super::incident::is_incident_id(word) && !ids.iter().any(|w| w == word) {
            ids.push(word.to_string());
        }
    }
    ids
}

/// A shift id: `YYYYMMDD-HHMM-<operator>` (UTC start), safe in a file name.
pub fn shift_id(started: DateTime<Utc>, operator: &str) -> String {
    let who: String = operator
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{}-{}", started.format("%Y%m%d-%H%M"), who)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 14, 3, 0, 0).unwrap()
    }

    #[test]
    fn notes_know_their_tags_and_incidents() {
        let e = JournalEntry::note(
            t(),
            "s",
            "ana",
            "#handover HEC token still disabled, see inc_20260514_0241_7f3a9c; #Watch the queue (issue #42, C# code)",
            &["pending".into(), "#watch".into()],
        );
        assert_eq!(e.tags(), vec!["handover", "watch", "pending"]);
        assert_eq!(
            e.fields["incidents"],
            serde_json::json!(["inc_20260514_0241_7f3a9c"])
        );
    }

    #[test]
    fn entries_are_one_flat_line_and_unknown_kinds_survive() {
        let e = JournalEntry::new(t(), "20260514-0300-ana", "ana", EntryKind::Incident)
            .with("action", "acknowledged")
            .with("incident_id", "inc_x");
        let line = serde_json::to_string(&e).unwrap();
        assert_eq!(
            line,
            r#"{"at":"2026-05-14T03:00:00Z","shift":"20260514-0300-ana","operator":"ana","kind":"incident","fields":{"action":"acknowledged","incident_id":"inc_x"}}"#
        );
        let future: JournalEntry = serde_json::from_str(
            r#"{"at":"2026-05-14T03:00:00Z","shift":"s","operator":"a","kind":"telepathy"}"#,
        )
        .unwrap();
        assert_eq!(future.kind, EntryKind::Other);
    }

    #[test]
    fn shift_ids_are_file_safe() {
        assert_eq!(shift_id(t(), "ana.lima"), "20260514-0300-ana.lima");
        assert_eq!(shift_id(t(), "bo/../x y"), "20260514-0300-bo_.._x_y");
    }
}
