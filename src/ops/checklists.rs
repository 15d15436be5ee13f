//! Running a checklist step's command: the one path for `checklists run`
//! and the screen. What the command printed is redacted before anyone sees
//! it, on screen as in the journal.

use crate::domain::checklist::{Checklist, playbook};
use crate::domain::redact::Redactor;
use crate::domain::{IncidentBook, IncidentChange, IncidentEvent};
use crate::integrations::command::{self, CommandOutcome};
use crate::store::IncidentStore;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Run a step's command (`sh -c`, its own process group, stopped at the
/// timeout or when `stop` is set) in the workspace; its output comes back
/// redacted. A command that cannot be started is an outcome too, so it is
/// recorded as failed.
pub fn run_step(
    command: &str,
    workspace: &Path,
    timeout: Duration,
    stop: Option<&AtomicBool>,
    redactor: &Redactor,
) -> CommandOutcome {
    let mut outcome =
        command::run(command, workspace, timeout, stop).unwrap_or_else(|e| CommandOutcome {
            exit: None,
            timed_out: false,
            stopped: false,
            output: format!("could not start `sh -c`: {e}"),
            truncated: false,
            duration: Duration::ZERO,
        });
    outcome.output = redactor.redact(&outcome.output).text;
    outcome
}

/// A step's outcome to record: done, skipped (with a reason) or failed
/// (with the command's exit and output).
#[derive(Clone, Copy)]
pub struct StepRecord<'a> {
    pub result: &'a str,
    pub reason: &'a str,
    pub exit: Option<i32>,
    pub output: &'a str,
}

impl super::Session<'_> {
    /// Record a step's outcome in the journal, where checklist progress
    /// lives. The order of steps is the caller's check (the domain's
    /// `Progress::gate`, against the progress it knows); here are read-only,
    /// a skip's reason, and the redaction of what was typed or printed.
    pub fn record_step(
        &self,
        log: &mut dyn super::ShiftLog,
        list: &crate::domain::checklist::Checklist,
        step: &crate::domain::checklist::Step,
        record: StepRecord<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), String> {
        if self.readonly {
            return Err("read-only: started with --readonly, nothing was recorded".into());
        }
        if record.result == "skipped" && record.reason.trim().is_empty() {
            return Err("a skip needs a reason".into());
        }
        let reason = self.redactor.redact(record.reason).text;
        let output = self.redactor.redact(record.output).text;
        let operator = self.operator();
        log.record(&|s| {
            let mut e = crate::domain::checklist::step_entry(
                now,
                &s.id,
                operator,
                list,
                step,
                record.result,
            );
            if !reason.is_empty() {
                e = e.with("reason", reason.as_str());
            }
            if let Some(code) = record.exit {
                e = e.with("exit_code", code);
            }
            if !output.is_empty() {
                e = e.with("output", output.as_str());
            }
            e
        })
    }

    /// Start a playbook on an incident (`target` is its id) or on a label
    /// (a release): one journal entry, from which the run's progress
    /// folds. Refused when read-only or when it is already started there.
    pub fn start_playbook(
        &self,
        log: &mut dyn super::ShiftLog,
        template: &Checklist,
        target: &str,
        incident: Option<&crate::domain::Incident>,
        runs: &[Checklist],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<String, String> {
        if self.readonly {
            return Err("read-only: started with --readonly, nothing was recorded".into());
        }
        let id = playbook::check_start(template, target, runs)?;
        let operator = self.operator();
        log.record(&|s| playbook::start_entry(now, &s.id, operator, template, target, incident))?;
        Ok(id)
    }

    /// A run's step on its incident's timeline too (a local incident; the
    /// journal has it either way). Best effort: the step is recorded.
    pub fn step_on_timeline(
        &self,
        store: &mut IncidentStore,
        book: &mut IncidentBook,
        list: &Checklist,
        step: &crate::domain::checklist::Step,
        record: &StepRecord<'_>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), String> {
        let Some(incident) = list.run().and_then(|r| r.incident.clone()) else {
            return Ok(());
        };
        if book.get(&incident).is_none_or(|i| i.remote.is_some()) {
            return Ok(());
        }
        let playbook = list.name.split(" · ").next().unwrap_or(&list.name);
        let mut message = format!("playbook {playbook} › {}: {}", step.title, record.result);
        if !record.reason.is_empty() {
            message.push_str(&format!(" — {}", self.redactor.redact(record.reason).text));
        }
        if let Some(code) = record.exit {
            message.push_str(&format!(" (exit {code})"));
        }
        self.timeline_note(store, book, &incident, message, now)
    }

    /// A line on a local incident's timeline about its playbook.
    pub fn timeline_note(
        &self,
        store: &mut IncidentStore,
        book: &mut IncidentBook,
        incident: &str,
        message: String,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), String> {
        if self.readonly {
            return Err("read-only: started with --readonly".into());
        }
        let event = IncidentEvent {
            incident_id: incident.to_string(),
            at: now,
            by: self.operator().to_string(),
            change: IncidentChange::Note {
                message: self.redactor.redact(&message).text,
            },
        };
        store.commit(book, &event).1.map_err(|e| e.to_string())
    }
}
