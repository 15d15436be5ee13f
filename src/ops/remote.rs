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
        if self.readonly {
            return Err(QueueError::ReadOnly);
        }
        q.message = self.redactor.redact(&q.message).text;
        q.title = self.redactor.redact(&q.title).text;
        // Where the action carries no words (PagerDuty's and JSM's
        // acknowledge, resolve, snooze…) the operator's go first as a note
        // of their own, so they reach the incident too.
        let mut noted: Journaled = Ok(());
        if !q.vendor.carries_words(q.action)
            && q.vendor
                .offers(crate::domain::outbox::RemoteAction::Note)
                .is_ok()
            && !q.message.trim().is_empty()
        {
            let (outbox, _) = OutboxStore::new(self.workspace)
                .read()
                .map_err(QueueError::Io)?;
            if let Some(waiting) = outbox.waiting(&q.incident, q.action) {
                return Err(QueueError::AlreadyQueued(Box::new(waiting.queued.clone())));
            }
            let note = Queued {
                id: crate::store::remote::new_action_id(),
                action: crate::domain::outbox::RemoteAction::Note,
                ..q.clone()
            };
            noted = self.queue_one(log, note)?.1;
            q.message.clear();
        }
        let (q, journaled) = self.queue_one(log, q)?;
        Ok((q, noted.and(journaled)))
    }

    fn queue_one(
        &self,
        log: &mut dyn ShiftLog,
        q: Queued,
    ) -> Result<(Queued, Journaled), QueueError> {
        OutboxStore::new(self.workspace).queue(&q)?;
        let queued_as = format!("{} queued for {}", q.action, q.vendor);
        let operator = self.operator();
        let journaled =
            log.record(&|s| JournalEntry::remote(q.at, &s.id, operator, &q, &queued_as, ""));
        Ok((q, journaled))
    }
}
