//! Notes that stand beyond their shift or get a section of their own:
//! credential blockers (seed 002 step 7–12: "log it in state/cred-blockers.md
//! with the ticket number") stay in every handover until a note clears them;
//! deviations from the runbook (seed 002 §4, step 30) are listed for the next
//! operator.

use crate::domain::journal::{EntryKind, JournalEntry};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A credential that cannot be had yet (procurement, an admin away).
pub const BLOCKER: &str = "cred-blocker";
/// The blocker with the same ticket (or first word) is over.
pub const CLEARED: &str = "cred-cleared";
/// A step done otherwise than the runbook says.
pub const DEVIATION: &str = "deviation";
/// How many days back a shift's blockers are looked for.
pub const BLOCKER_DAYS: i64 = 90;

/// Tags these notes are filed under instead of the handover's tag groups.
pub const OWN_SECTION: &[&str] = &[BLOCKER, DEVIATION];

/// One credential blocker still open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocker {
    pub since: DateTime<Utc>,
    pub operator: String,
    pub text: String,
    /// The ticket it names (`PROC-4411`), or its first word.
    pub key: String,
}

/// What a blocker or a clearing note is about: its first ticket number
/// (`PROC-4411`, `it-77`), else its first word, lower-cased.
pub fn key(text: &str) -> String {
    let words = || {
        text.split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '[' | ']')
        })
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty() && !w.starts_with('#'))
    };
    let ticket = words().find(|w| {
        w.split_once('-').is_some_and(|(a, n)| {
            !a.is_empty()
                && a.chars().all(|c| c.is_ascii_alphanumeric())
                && a.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
        })
    });
    ticket
        .or_else(|| words().next())
        .unwrap_or("")
        .to_lowercase()
}

fn tagged(e: &JournalEntry, tag: &str) -> bool {
    e.kind == EntryKind::Note && e.tags().iter().any(|t| t == tag)
}

/// The blockers still open after every note given (any order, any shift):
/// a clearing note closes each earlier blocker with the same key.
pub fn blockers<'a>(entries: impl IntoIterator<Item = &'a JournalEntry>) -> Vec<Blocker> {
    let mut notes: Vec<&JournalEntry> = entries
        .into_iter()
        .filter(|e| tagged(e, BLOCKER) || tagged(e, CLEARED))
        .collect();
    notes.sort_by_key(|e| e.at);
    notes.dedup_by(|a, b| a.at == b.at && a.field("text") == b.field("text"));
    let mut open: Vec<Blocker> = Vec::new();
    for e in notes {
        let text = e.field("text").unwrap_or("").trim().to_string();
        let k = key(&text);
        if tagged(e, CLEARED) {
            open.retain(|b| b.key != k);
        } else if !open.iter().any(|b| b.key == k && b.text == text) {
            open.push(Blocker {
                since: e.at,
                operator: e.operator.clone(),
                text,
                key: k,
            });
        }
    }
    open
}

/// The follow-ups the next shift should know of: every overdue one, and
/// the open ones of P1 and P2 incidents; with how many are overdue.
pub fn followups(
    book: &crate::domain::IncidentBook,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> (Vec<String>, usize) {
    use crate::domain::incident::followup;
    let mut rows = Vec::new();
    let mut overdue = 0;
    for inc in book.all() {
        for f in followup::of(inc).into_iter().filter(|f| f.is_open()) {
            let late = f.overdue(now);
            overdue += usize::from(late);
            if !late && inc.severity > crate::domain::Severity::P2 {
                continue;
            }
            let due = f
                .due
                .map(|d| d.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|| "no due date".into());
            let mark = if late { " · **OVERDUE**" } else { "" };
            rows.push((
                (!late, f.due),
                format!(
                    "`{}` {} — {}, due {due}{mark} ({} `{}`)",
                    f.id, f.text, f.owner, inc.severity, inc.id
                ),
            ));
        }
    }
    rows.sort_by_key(|r| r.0);
    (rows.into_iter().map(|(_, r)| r).collect(), overdue)
}

/// This shift's deviations from the runbook, oldest first.
pub fn deviations(journal: &[JournalEntry]) -> Vec<&JournalEntry> {
    journal.iter().filter(|e| tagged(e, DEVIATION)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn note(h: u32, who: &str, text: &str, tag: &str) -> JournalEntry {
        let at = Utc.with_ymd_and_hms(2026, 11, 28, h, 0, 0).unwrap();
        JournalEntry::note(at, "s", who, text, &[tag.to_string()])
    }

    #[test]
    fn the_key_is_the_ticket_else_the_first_word() {
        assert_eq!(
            key("Slack webhook waits on PROC-4411 (legal review)"),
            "proc-4411"
        );
        assert_eq!(key("opsgenie: API key needs admin, ticket it-77"), "it-77");
        assert_eq!(key("Datadog APP key: owner on leave"), "datadog");
        assert_eq!(key("  "), "");
        assert_eq!(key("credguard-api not a ticket"), "credguard-api");
    }

    #[test]
    fn a_clearing_note_closes_the_blockers_with_its_key_only() {
        let entries = [
            note(9, "ana", "Slack webhook waits on PROC-4411", BLOCKER),
            note(10, "ana", "datadog APP key: owner on leave", BLOCKER),
            note(11, "bo", "webhook arrived, PROC-4411 closed", CLEARED),
            note(12, "bo", "splunk HEC token: IT-9 pending", BLOCKER),
        ];
        let open = blockers(entries.iter().rev());
        let texts: Vec<&str> = open.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "datadog APP key: owner on leave",
                "splunk HEC token: IT-9 pending"
            ]
        );
        assert_eq!(open[0].operator, "ana");
        // Cleared before it was raised does not count.
        let later = [
            note(8, "bo", "PROC-1 done", CLEARED),
            note(9, "ana", "waits on PROC-1", BLOCKER),
        ];
        assert_eq!(blockers(&later).len(), 1);
    }
}
