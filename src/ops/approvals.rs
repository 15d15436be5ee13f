//! Approve, reject, submit and apply: the one path for the CLI and the
//! screen. Every rule of the handoff package is checked here or in the
//! record's own `check`: the approver role, read-only, four eyes, a typed
//! reason and the P1 pause over every incident source.

use super::{Session, ShiftLog, open_p1};
use crate::config::{Config, Role};
use crate::domain::IncidentBook;
use crate::domain::approval::{ApprovalRecord, Decision, DecisionContext};
use crate::domain::journal::JournalEntry;
use crate::store::approvals::{ApprovalStore, DecideError};
use crate::store::intents::{Intent, Proof};
use chrono::{DateTime, Utc};

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
    pub journaled: Result<(), String>,
}

impl Session<'_> {
    /// Decide on a record: the reason redacted, the P1 pause counted over
    /// the local incidents given and every source's last list, the record
    /// moved under the store's lock, and its journal line with it.
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
        let current = store.find(req.id)?;
        let operator = self.operator();
        // The line as it will read if the decision goes through as asked.
        let expected = current.decided(req.decision, operator, now, &reason);
        let intent = Intent {
            entry: JournalEntry::approval(now, "", operator, &expected, &reason),
            proof: Proof::Decided {
                approval_id: current.id.clone(),
                at: now,
                by: operator.to_string(),
            },
        };
        let (record, journaled) = self.journaled(
            log,
            intent,
            || store.decide(&current.id, req.decision, operator, &reason, &ctx, now),
            |r: &ApprovalRecord| JournalEntry::approval(now, "", operator, r, &reason),
        )?;
        Ok(Decided { record, journaled })
    }
}
