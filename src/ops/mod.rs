//! The use cases: what an operator does, each with its rules checked in one
//! place, below both the CLI and the screen's store thread. Neither of them
//! re-implements a rule: they build their input, call a function here, and
//! report its typed result in their own way.
//!
//! - [`redactor`] is the one constructor of the redactor, from the whole
//!   config: every credential variable any part of it names.
//! - [`open_p1`] is the P1 pause's view of the world: the local incidents and
//!   the last list read from every configured incident source.
//! - [`approvals::decide`] approves, rejects, submits and applies.
//! - [`health::probe`] polls an integration and redacts what it saw.
//! - [`checklists::run_step`] runs a step's command; its output redacted.

pub mod approvals;
pub mod checklists;
pub mod health;

use crate::config::Config;
use crate::domain::IncidentBook;
use crate::domain::approval::pausing_p1;
use crate::domain::journal::JournalEntry;
use crate::domain::redact::{DEFAULT_SECRET_VARS, Redactor};
use crate::store::journal::{JournalStore, Shift};
use crate::store::remote::OutboxStore;
use chrono::Utc;
use std::path::Path;

/// Every credential variable the config names, with the well-known ones
/// and `[journal] redact_env`: their values never reach a file, the screen,
/// a vendor note or Slack.
pub fn credential_vars(config: &Config) -> Vec<String> {
    let mut names: Vec<String> = DEFAULT_SECRET_VARS.iter().map(|s| s.to_string()).collect();
    names.extend(config.redact_env.iter().cloned());
    names.extend(config.slack_webhook_env.iter().cloned());
    for i in &config.integrations {
        names.extend(
            [
                &i.api_key_env,
                &i.app_key_env,
                &i.dsn_env,
                &i.token_env,
                &i.routing_key_env,
                &i.webhook_env,
                &i.url_env,
            ]
            .into_iter()
            .flatten()
            .cloned(),
        );
    }
    for s in &config.incident_sources {
        names.extend(
            [&s.token_env, &s.api_key_env]
                .into_iter()
                .flatten()
                .cloned(),
        );
    }
    names.retain(|n| !n.trim().is_empty());
    names.sort();
    names.dedup();
    names
}

/// The redactor, built from the whole config. Build it once per process.
pub fn redactor(config: &Config) -> Redactor {
    let names = credential_vars(config);
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    Redactor::from_env(&refs)
}

/// The open P1 that pauses approvals, counting every source: the local
/// incidents given, and the last list read from each configured PagerDuty
/// or Opsgenie source (a source the vendor cannot be asked about right now
/// still counts by what it last said).
pub fn open_p1(
    workspace: &Path,
    config: &Config,
    local: &IncidentBook,
) -> Option<(String, String)> {
    let outbox = OutboxStore::new(workspace);
    let remote: Vec<crate::domain::Incident> = config
        .incident_sources
        .iter()
        .filter_map(|s| outbox.load_snapshot(&s.name))
        .flat_map(|snap| snap.incidents)
        .map(|r| r.to_incident())
        .collect();
    pausing_p1(local.all().iter().chain(remote.iter()))
}

/// Where a use case writes its journal line: the CLI appends to the
/// operator's open shift (starting one if none), the store thread to the
/// shift it holds.
pub trait ShiftLog {
    fn record(&mut self, entry_for: &dyn Fn(&Shift) -> JournalEntry) -> Result<(), String>;
}

/// The CLI's shift log: the operator's open shift, or a new one.
pub struct OpenShift<'a> {
    pub workspace: &'a Path,
    pub operator: &'a str,
}

impl ShiftLog for OpenShift<'_> {
    fn record(&mut self, entry_for: &dyn Fn(&Shift) -> JournalEntry) -> Result<(), String> {
        let journal = JournalStore::new(self.workspace);
        let (shift, ..) = journal
            .current_or_start(self.operator, Utc::now())
            .map_err(|e| e.to_string())?;
        journal
            .append(&shift, &entry_for(&shift))
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests;
