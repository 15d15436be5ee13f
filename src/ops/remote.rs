//! An action on a PagerDuty or Opsgenie incident: written to the outbox
//! (durably, before anything is sent) and journaled as queued, the one path
//! for the CLI and the screen. The poller or `incidents sync` sends it.

use super::{Journaled, Session, ShiftLog};
use crate::domain::journal::JournalEntry;
use crate::domain::outbox::Queued;
use crate::store::remote::{OutboxStore, QueueError};

impl Session<'_> {
    /// Queue an action: the operator's words and the title redacted before
    /// they reach the disk or a vendor; the same action twice is refused.
    pub fn queue_remote(
        &self,
        log: &mut dyn ShiftLog,
        mut q: Queued,
    ) -> Result<(Queued, Journaled), QueueError> {
        q.message = self.redactor.redact(&q.message).text;
        q.title = self.redactor.redact(&q.title).text;
        OutboxStore::new(self.workspace).queue(&q)?;
        let queued_as = format!("{} queued for {}", q.action, q.vendor);
        let operator = self.operator();
        let journaled =
            log.record(&|s| JournalEntry::remote(q.at, &s.id, operator, &q, &queued_as, ""));
        Ok((q, journaled))
    }
}
