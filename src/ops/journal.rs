//! Notes in the shift journal: the one path for `journal add`, `:note` and
//! the note editor. What was typed is redacted before it touches disk.

use super::{Session, ShiftLog};
use crate::domain::journal::JournalEntry;
use chrono::{DateTime, Utc};
use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq)]
pub enum NoteError {
    ReadOnly,
    Empty,
    /// The journal would not take it: the redacted text, why, and the
    /// fallback file that holds it, if one did.
    NotSaved {
        text: String,
        why: String,
        kept_in: Option<PathBuf>,
    },
}

impl fmt::Display for NoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoteError::ReadOnly => {
                f.write_str("read-only: started with --readonly, nothing was written")
            }
            NoteError::Empty => f.write_str("a note needs some text"),
            NoteError::NotSaved { why, .. } => f.write_str(why),
        }
    }
}

impl Session<'_> {
    /// Record a change (seed 001 §7) in the operator's shift, each of its
    /// words redacted first.
    pub fn record_change(
        &self,
        log: &mut dyn ShiftLog,
        record: &crate::domain::change::ChangeRecord,
        now: DateTime<Utc>,
    ) -> Result<(), NoteError> {
        if self.readonly {
            return Err(NoteError::ReadOnly);
        }
        let r = |t: &str| self.redactor.redact(t).text;
        let clean = crate::domain::change::ChangeRecord {
            title: r(&record.title),
            description: r(&record.description),
            rollback: r(&record.rollback),
            ..record.clone()
        };
        let operator = self.operator();
        log.record_kept(&|s| clean.entry(now, &s.id, operator))
            .map_err(|(why, kept_in)| NoteError::NotSaved {
                text: clean.title.clone(),
                why,
                kept_in,
            })
    }

    /// Add a note to the operator's shift. Returns the names of what was
    /// redacted from it, for the operator to be told.
    pub fn add_note(
        &self,
        log: &mut dyn ShiftLog,
        text: &str,
        tags: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, NoteError> {
        if self.readonly {
            return Err(NoteError::ReadOnly);
        }
        if text.trim().is_empty() {
            return Err(NoteError::Empty);
        }
        let clean = self.redactor.redact(text);
        let operator = self.operator();
        log.record_kept(&|s| {
            let mut e = JournalEntry::note(now, &s.id, operator, &clean.text, tags);
            if !clean.names.is_empty() {
                e = e.with("redacted", clean.names.clone());
            }
            e
        })
        .map(|()| clean.names.clone())
        .map_err(|(why, kept_in)| NoteError::NotSaved {
            text: clean.text.clone(),
            why,
            kept_in,
        })
    }
}
