//! Declaring and changing a local incident: the one path for the CLI and
//! the screen. The rules are the incident's own `check` (escalate only
//! raises, nothing after resolved, a note needs text), run against the
//! latest state under the events file's lock; here are read-only, the
//! redaction of what was typed, and the journal line written with the
//! action as one durable step.

use super::{Journaled, Session, ShiftLog};
use crate::domain::journal::JournalEntry;
use crate::domain::{
    Incident, IncidentBook, IncidentChange, IncidentEvent, IncidentRecord, Severity,
};
use crate::store::intents::{Intent, Proof};
use crate::store::{CommitError, IncidentStore};
use chrono::{DateTime, Utc};
use std::fmt;

/// What the operator typed to declare an incident.
pub struct NewIncident<'a> {
    pub title: &'a str,
    pub service: &'a str,
    pub severity: Severity,
    pub env: &'a str,
}

#[derive(Debug)]
pub enum DeclareError {
    ReadOnly,
    /// A title and a service are needed (after redaction, not blank).
    Missing(&'static str),
    Io(std::io::Error),
}

impl fmt::Display for DeclareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeclareError::ReadOnly => {
                f.write_str("read-only: started with --readonly, nothing was changed")
            }
            DeclareError::Missing(what) => write!(f, "{what} must not be empty"),
            DeclareError::Io(e) => write!(f, "NOT SAVED: declaring the incident failed: {e}"),
        }
    }
}

impl Session<'_> {
    /// Declare an incident now: one durable line, and its journal line.
    pub fn declare(
        &self,
        store: &IncidentStore,
        log: &mut dyn ShiftLog,
        new: NewIncident<'_>,
        now: DateTime<Utc>,
    ) -> Result<(IncidentRecord, Journaled), DeclareError> {
        if self.readonly {
            return Err(DeclareError::ReadOnly);
        }
        let title = self.redactor.redact(new.title).text;
        let service = self.redactor.redact(new.service).text;
        if title.trim().is_empty() {
            return Err(DeclareError::Missing("the title"));
        }
        if service.trim().is_empty() {
            return Err(DeclareError::Missing("the service"));
        }
        let operator = self.operator();
        let record =
            IncidentStore::new_record(operator, &title, &service, new.severity, new.env, now);
        let line = |r: &IncidentRecord| {
            JournalEntry::incident(now, "", operator, "declared", &Incident::from_record(r), "")
        };
        let intent = Intent {
            entry: line(&record),
            proof: Proof::Declared {
                incident_id: record.id.clone(),
            },
        };
        self.journaled(
            log,
            intent,
            || {
                store
                    .declare(&record)
                    .map(|()| record.clone())
                    .map_err(DeclareError::Io)
            },
            line,
        )
    }

    /// Acknowledge, escalate, note, resolve or reopen a local incident,
    /// checked against its latest state under the lock. The change is
    /// written; the answer says whether its journal line is too.
    /// What redacting the change's words takes out (`change` redacts them
    /// on the way in): the operator is told, wherever they wrote it.
    pub fn redacted_names(&self, change: &IncidentChange) -> Vec<String> {
        self.redactor.redact(change.message()).names
    }

    pub fn change(
        &self,
        store: &mut IncidentStore,
        book: &mut IncidentBook,
        log: &mut dyn ShiftLog,
        incident_id: &str,
        change: IncidentChange,
        now: DateTime<Utc>,
    ) -> Result<Journaled, CommitError> {
        if self.readonly {
            return Err(CommitError::ReadOnly);
        }
        let change = change.map_message(|m| self.redactor.redact(m).text);
        let action = change.journal_action();
        let message = change.message().to_string();
        let operator = self.operator();
        let event = IncidentEvent {
            incident_id: incident_id.to_string(),
            at: now,
            by: operator.to_string(),
            change,
        };
        if let Ok(d) = store.read_new() {
            d.apply_to(book);
        }
        // The line as it will read if the change goes through as asked.
        let mut expected = book
            .get(incident_id)
            .cloned()
            .ok_or_else(|| CommitError::NotFound(format!("no incident {incident_id:?}")))?;
        expected.apply(&event);
        let intent = Intent {
            entry: JournalEntry::incident(now, "", operator, &action, &expected, &message),
            proof: Proof::Event {
                incident_id: incident_id.to_string(),
                at: now,
                by: operator.to_string(),
            },
        };
        let (_, journaled) = self.journaled(
            log,
            intent,
            || {
                store.commit(book, &event).1?;
                Ok(book.get(incident_id).cloned().unwrap_or(expected.clone()))
            },
            |inc: &Incident| JournalEntry::incident(now, "", operator, &action, inc, &message),
        )?;
        Ok(journaled)
    }
}
