//! Running a checklist step's command: the one path for `checklists run`
//! and the screen. What the command printed is redacted before anyone sees
//! it, on screen as in the journal.

use crate::domain::redact::Redactor;
use crate::integrations::command::{self, CommandOutcome};
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
}
