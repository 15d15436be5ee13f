//! Writing an incident's post-mortem draft: `incidents/<id>/post-mortem.md`,
//! written again over the last draft with what the operator wrote in its
//! own sections kept, and a journal line.

use super::{Session, ShiftLog};
use crate::domain::Incident;
use crate::domain::journal::JournalEntry;
use crate::domain::postmortem;
use crate::store::evidence::EvidenceStore;
use chrono::{DateTime, Utc};

impl Session<'_> {
    /// The draft's path in the workspace and its text.
    pub fn write_postmortem(
        &self,
        log: &mut dyn ShiftLog,
        inc: &Incident,
        now: DateTime<Utc>,
    ) -> Result<(String, String), String> {
        if self.readonly {
            return Err("read-only: started with --readonly, nothing was written".into());
        }
        if inc.remote.is_some() {
            return Err(
                "post-mortems are drafted for local incidents: the vendor keeps its own".into(),
            );
        }
        let rel = format!("incidents/{}/post-mortem.md", inc.id);
        let path = self.workspace.join(&rel);
        let existing = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("{rel}: {e} (not written over)")),
        };
        let evidence = EvidenceStore::new(self.workspace)
            .of(&inc.id)
            .map_err(|e| format!("cannot read incidents/artifacts.jsonl: {e}"))?;
        let kept = postmortem::kept(&existing);
        let md = postmortem::draft(inc, &evidence, now, self.config.timezone, &kept);
        let md = self.redactor.redact(&md).text;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("NOT SAVED: {rel}: {e}"))?;
        }
        crate::store::journal::atomic_write(&path, md.as_bytes())
            .map_err(|e| format!("NOT SAVED: {rel}: {e}"))?;
        let operator = self.operator();
        let what = if existing.is_empty() {
            "post-mortem drafted"
        } else {
            "post-mortem redrafted"
        };
        let _ = log.record(&|s| JournalEntry::incident(now, &s.id, operator, what, inc, &rel));
        Ok((rel, md))
    }
}
