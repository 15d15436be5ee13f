//! The use cases: what an operator does, each with its rules checked in one
//! place, below both the CLI and the screen's store thread. Neither of them
//! re-implements a rule: they build their input, call a function here, and
//! report its typed result in their own way.
//!
//! - [`redactor`] is the one constructor of the redactor, from the whole
//!   config: every credential variable any part of it names.
//! - [`open_p1`] is the P1 pause's view of the world: the local incidents and
//!   the last list read from every configured incident source.
//! - [`Session`] is who acts on which workspace; its use cases are
//!   [`Session::declare`], [`Session::change`] (acknowledge, escalate, note,
//!   resolve, reopen) and [`Session::decide`] (approve, reject, submit,
//!   apply). Each writes its action and its journal line as one durable
//!   step ([`Session::journaled`]), and [`recover`] finishes a step a crash
//!   interrupted.
//! - [`health::probe`] polls an integration and redacts what it saw.
//! - [`checklists::run_step`] runs a step's command; its output redacted.

pub mod approvals;
pub mod check;
pub mod checklists;
pub mod evidence;
pub mod health;
pub mod incidents;
pub mod journal;
pub mod messages;
pub mod oncall;
pub mod postmortem;
pub mod remote;
pub mod report;

use crate::config::Config;
use crate::domain::IncidentBook;
use crate::domain::approval::pausing_p1;
use crate::domain::journal::JournalEntry;
use crate::domain::redact::{DEFAULT_SECRET_VARS, Redactor};
use crate::integrations::inbox::SourceClient;
use crate::integrations::probes::ProbeContext;
use crate::store::intents::{Intent, IntentStore, Proof};
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
    names.extend(config.named_env.iter().cloned());
    names.extend(config.slack_webhook_env.iter().cloned());
    names.push(config.store.url_env.clone());
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
    let values = refs
        .iter()
        .filter_map(|name| crate::secrets::var(name).map(|v| (name.to_string(), v)))
        .collect();
    Redactor::new(values).with_live(crate::secrets::live(), &refs)
}

/// A client for every configured incident source, pointed where its mode says.
pub fn source_clients(
    config: &Config,
    http: &reqwest::Client,
    wiring: Option<&str>,
    mock_base: &str,
) -> Vec<SourceClient> {
    config
        .incident_sources
        .iter()
        .cloned()
        .map(|cfg| {
            let ctx = ProbeContext {
                mode: cfg.effective_mode(wiring),
                mock_base: mock_base.to_string(),
            };
            SourceClient::new(cfg, http.clone(), &ctx, &config.operator)
        })
        .collect()
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

/// Who acts, on which workspace: what every use case is checked against.
pub struct Session<'a> {
    pub workspace: &'a Path,
    pub config: &'a Config,
    pub readonly: bool,
    pub redactor: &'a Redactor,
}

/// The journal line's outcome beside an action that was written: the action
/// stands either way; `Err` says why its line is not in the journal.
pub type Journaled = Result<(), String>;

/// `", with secrets redacted: a, b"` for a message, or nothing.
pub fn redacted_suffix(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!(", with secrets redacted: {}", names.join(", "))
    }
}

impl<'a> Session<'a> {
    pub fn new(
        workspace: &'a Path,
        config: &'a Config,
        readonly: bool,
        redactor: &'a Redactor,
    ) -> Session<'a> {
        Session {
            workspace,
            config,
            readonly,
            redactor,
        }
    }

    pub fn operator(&self) -> &str {
        &self.config.operator
    }

    /// Write an action and its journal line as one durable step: the line
    /// goes to an intent file first (held while the action runs), so a
    /// crash between the action and the line is finished by [`recover`].
    /// `line` is the journal line for the action as it was written.
    pub fn journaled<T, E>(
        &self,
        log: &mut dyn ShiftLog,
        intent: Intent,
        action: impl FnOnce() -> Result<T, E>,
        line: impl FnOnce(&T) -> JournalEntry,
    ) -> Result<(T, Journaled), E> {
        // Without its intent file the action still goes ahead: a full disk
        // must not stop an acknowledgement. Only the crash window stays open.
        let held = IntentStore::new(self.workspace).begin(&intent).ok();
        let done = match action() {
            Ok(done) => done,
            Err(e) => {
                if let Some(h) = held {
                    h.finish();
                }
                return Err(e);
            }
        };
        let entry = line(&done);
        let journaled = log.record(&|s| {
            let mut e = entry.clone();
            e.shift = s.id.clone();
            e
        });
        if let Some(h) = held {
            h.finish();
        }
        Ok((done, journaled))
    }
}

/// Finish what a crash interrupted: for every intent of this operator that
/// no process holds, write its journal line when its action landed and the
/// journal does not have it yet. Returns what it did, for the operator.
pub fn recover(workspace: &Path, operator: &str, log: &mut dyn ShiftLog) -> Vec<String> {
    let intents = IntentStore::new(workspace);
    let orphans = intents.orphans(operator);
    if orphans.is_empty() {
        return Vec::new();
    }
    let mut said = Vec::new();
    let journal = JournalStore::new(workspace);
    for orphan in orphans {
        let intent = match &orphan.intent {
            Ok(i) => i.clone(),
            // Torn while it was written: its action had not begun (it runs
            // only once the intent is on disk), so there is nothing to finish.
            Err(_) => {
                orphan.remove();
                continue;
            }
        };
        let already = journal
            .kind_since(
                intent.entry.kind,
                intent.entry.at - chrono::Duration::seconds(1),
            )
            .unwrap_or_default()
            .iter()
            .any(|e| same_line(e, &intent.entry));
        if !already && landed(workspace, &intent.proof) {
            let entry = intent.entry.clone().with("recovered", true);
            match log.record(&|s| {
                let mut e = entry.clone();
                e.shift = s.id.clone();
                e
            }) {
                Ok(()) => said.push(format!(
                    "journaled an action a crash left out of the journal: {}",
                    intent.entry.summary()
                )),
                Err(e) => {
                    said.push(format!("an interrupted action is still not journaled: {e}"));
                    continue;
                }
            }
        }
        orphan.remove();
    }
    said
}

/// The same journal line, whichever shift it went to.
fn same_line(a: &JournalEntry, b: &JournalEntry) -> bool {
    a.kind == b.kind
        && a.operator == b.operator
        && (a.at - b.at).num_milliseconds().abs() < 1
        && a.fields.get("action") == b.fields.get("action")
        && a.fields.get("incident_id") == b.fields.get("incident_id")
        && a.fields.get("id") == b.fields.get("id")
}

/// Whether the action an intent stands for is on file.
fn landed(workspace: &Path, proof: &Proof) -> bool {
    let close =
        |a: chrono::DateTime<Utc>, b: chrono::DateTime<Utc>| (a - b).num_milliseconds().abs() < 1;
    match proof {
        Proof::Declared { incident_id } => crate::store::IncidentStore::new(workspace)
            .load()
            .is_ok_and(|(book, _)| book.get(incident_id).is_some()),
        Proof::Event {
            incident_id,
            at,
            by,
        } => crate::store::IncidentStore::new(workspace)
            .load()
            .is_ok_and(|(book, _)| {
                book.get(incident_id)
                    .is_some_and(|i| i.timeline.iter().any(|e| close(e.at, *at) && &e.by == by))
            }),
        Proof::Decided {
            approval_id,
            at,
            by,
        } => crate::store::approvals::ApprovalStore::new(workspace)
            .find(approval_id)
            .is_ok_and(|r| r.history.iter().any(|t| close(t.at, *at) && &t.by == by)),
    }
}

/// Where a use case writes its journal line: the CLI appends to the
/// operator's open shift (starting one if none), the store thread to the
/// shift it holds.
pub trait ShiftLog {
    fn record(&mut self, entry_for: &dyn Fn(&Shift) -> JournalEntry) -> Result<(), String> {
        self.record_kept(entry_for).map_err(|(why, _)| why)
    }

    /// As `record`, with the fallback file that took the entry when the
    /// journal would not (`journal/unsaved-<shift>.jsonl`, else the temp dir).
    fn record_kept(
        &mut self,
        entry_for: &dyn Fn(&Shift) -> JournalEntry,
    ) -> Result<(), (String, Option<std::path::PathBuf>)>;
}

/// The log of one given shift, open or just ended (what its handover sends
/// is recorded in it, after its end).
pub struct ThisShift<'a> {
    pub workspace: &'a Path,
    pub shift: &'a Shift,
}

impl ShiftLog for ThisShift<'_> {
    fn record_kept(
        &mut self,
        entry_for: &dyn Fn(&Shift) -> JournalEntry,
    ) -> Result<(), (String, Option<std::path::PathBuf>)> {
        JournalStore::new(self.workspace)
            .append(self.shift, &entry_for(self.shift))
            .map_err(|e| (e.to_string(), e.fallback.clone()))
    }
}

/// The CLI's shift log: the operator's open shift, or a new one.
pub struct OpenShift<'a> {
    pub workspace: &'a Path,
    pub operator: &'a str,
    /// The shift the last entry went to.
    pub shift: Option<String>,
    /// Lines of that shift's journal that could not be read (file:line: why).
    pub skipped: Vec<String>,
}

impl<'a> OpenShift<'a> {
    pub fn new(workspace: &'a Path, operator: &'a str) -> OpenShift<'a> {
        OpenShift {
            workspace,
            operator,
            shift: None,
            skipped: Vec::new(),
        }
    }
}

impl ShiftLog for OpenShift<'_> {
    fn record_kept(
        &mut self,
        entry_for: &dyn Fn(&Shift) -> JournalEntry,
    ) -> Result<(), (String, Option<std::path::PathBuf>)> {
        let journal = JournalStore::new(self.workspace);
        let (shift, _, issues, _) = journal
            .current_or_start(self.operator, Utc::now())
            .map_err(|e| {
                let why = format!(
                    "cannot open the shift journal in {}: {e}",
                    journal.dir().display()
                );
                (why, None)
            })?;
        self.shift = Some(shift.id.clone());
        self.skipped = issues.iter().map(|i| i.to_string()).collect();
        journal
            .append(&shift, &entry_for(&shift))
            .map_err(|e| (e.to_string(), e.fallback.clone()))
    }
}

#[cfg(test)]
mod tests;
