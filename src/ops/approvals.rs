//! Approve, reject, submit and apply: the one path for the CLI and the
//! screen. Every rule of the handoff package is checked here or in the
//! record's own `check`: the approver role, read-only, four eyes, a typed
//! reason and the P1 pause over every incident source.

use super::{ShiftLog, open_p1};
use crate::config::{Config, Role};
use crate::domain::IncidentBook;
use crate::domain::approval::{ApprovalRecord, Decision, DecisionContext};
use crate::domain::journal::JournalEntry;
use crate::domain::redact::Redactor;
use crate::store::approvals::{ApprovalStore, DecideError};
use chrono::{DateTime, Utc};
use std::path::Path;

/// What a decision is checked against, for the screen's preview and for
/// the decision itself alike.
pub fn context(
    config: &Config,
    readonly: bool,
    open_p1: Option<(String, String)>,
) -> DecisionContext {
    DecisionContext {
        approver: config.role == Role::Approver,
        readonly,
        operator: config.operator.clone(),
        open_p1,
    }
}

/// A decision asked for: the record (its id or a unique part of it), what
/// to do and the operator's reason as typed.
pub struct DecideRequest<'a> {
    pub id: &'a str,
    pub decision: Decision,
    pub reason: &'a str,
}

/// A decision made: the record as written, and whether its journal line
/// was written too (the decision stands either way).
#[derive(Debug)]
pub struct Decided {
    pub record: ApprovalRecord,
    pub reason: String,
    pub journaled: Result<(), String>,
}

/// Who decides, on which workspace.
pub struct Decider<'a> {
    pub workspace: &'a Path,
    pub config: &'a Config,
    pub readonly: bool,
    pub redactor: &'a Redactor,
}

impl Decider<'_> {
    /// Decide on a record: the reason redacted, the P1 pause counted over
    /// the local incidents given and every source's last list, the record
    /// moved under the store's lock, then the journal line.
    pub fn decide(
        &self,
        local: &IncidentBook,
        log: &mut dyn ShiftLog,
        req: DecideRequest<'_>,
        now: DateTime<Utc>,
    ) -> Result<Decided, DecideError> {
        let store = ApprovalStore::new(self.workspace);
        let reason = self.redactor.redact(req.reason).text;
        let paused_by = open_p1(self.workspace, self.config, local);
        let ctx = context(self.config, self.readonly, paused_by);
        let full_id = store.find(req.id)?.id;
        let operator = &self.config.operator;
        let record = store.decide(&full_id, req.decision, operator, &reason, &ctx, now)?;
        let journaled =
            log.record(&|s| JournalEntry::approval(now, &s.id, operator, &record, &reason));
        Ok(Decided {
            record,
            reason,
            journaled,
        })
    }
}
