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
