//! `shiftdeck checklists …`

use super::{ChecklistsCmd, exit};
use crate::config::Config;
use crate::domain::checklist::{Checklist, Progress, StepState};
use crate::domain::journal::EntryKind;
use crate::store::journal::JournalStore;
use chrono::Utc;
use std::path::Path;
use std::time::Duration;

/// The checklists and their progress for the current periods.
pub(super) fn load(workspace: &Path, config: &Config) -> Result<(Vec<Checklist>, Progress), i32> {
    let (lists, problems) = crate::store::checklists::load(workspace);
    for p in &problems {
        errln!("error: {p}");
    }
    let now = Utc::now();
    let journal = JournalStore::new(workspace);
    let shift = journal
        .open_shift(&config.operator)
        .ok()
        .flatten()
        .map(|(s, _, _)| s.id);
    let since = lists
        .iter()
        .map(|l| {
            l.cadence
                .period_start(now, config.timezone)
                .unwrap_or(chrono::DateTime::<Utc>::MIN_UTC)
        })
        .min();
    let checklist_entries = match since {
        Some(s) => journal.kind_since(EntryKind::Checklist, s).map_err(|e| {
            errln!("error: cannot read the journal: {e}");
            exit::FAILURE
        })?,
        None => Vec::new(),
    };
    let progress = Progress::fold(
        &lists,
        &checklist_entries,
        now,
        config.timezone,
        shift.as_deref(),
    );
    Ok((lists, progress))
}

fn find<'a>(lists: &'a [Checklist], key: &str) -> Result<&'a Checklist, i32> {
    let hits: Vec<&Checklist> = lists
        .iter()
        .filter(|l| l.id == key || l.name.eq_ignore_ascii_case(key) || l.id.contains(key))
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] => {
            errln!("error: no checklist {key:?} (see `shiftdeck checklists list`)");
            Err(exit::NOT_FOUND)
        }
        _ => match hits.iter().find(|l| l.id == key) {
            Some(exact) => Ok(exact),
            None => {
                errln!(
                    "error: {key:?} matches {} checklists: give the whole id",
                    hits.len()
                );
                Err(exit::NOT_FOUND)
            }
        },
    }
}

fn state_word(s: &StepState) -> String {
    match s {
        StepState::Open => "open".into(),
        StepState::Done { by, at } => format!("done by {by} at {}", at.format("%Y-%m-%d %H:%M")),
        StepState::Skipped { by, at, reason } => format!(
            "skipped by {by} at {}: {reason}",
            at.format("%Y-%m-%d %H:%M")
        ),
        StepState::Failed { by, at, exit, .. } => format!(
            "FAILED (exit {}) by {by} at {}",
            exit.map(|c| c.to_string()).unwrap_or("-".into()),
            at.format("%Y-%m-%d %H:%M")
        ),
    }
}

pub fn run(workspace: &Path, config: &Config, readonly: bool, cmd: ChecklistsCmd) -> i32 {
    let (lists, progress) = match load(workspace, config) {
        Ok(x) => x,
        Err(code) => return code,
    };
    match cmd {
        ChecklistsCmd::List { json } => {
            if json {
                let v: Vec<serde_json::Value> = lists
                    .iter()
                    .map(|l| {
                        let (done, total) = progress.counts(l);
                        serde_json::json!({ "id": l.id, "name": l.name, "cadence": l.cadence.to_string(), "ordered": l.ordered, "done": done, "steps": total })
                    })
                    .collect();
                outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                let width = lists
                    .iter()
                    .map(|l| l.cadence.to_string().chars().count())
                    .max()
                    .unwrap_or(20)
                    .max(20);
                for l in &lists {
                    let (done, total) = progress.counts(l);
                    outln!(
                        "{:<28} {:<width$} {done:>2}/{total:<2} {}",
                        l.id,
                        l.cadence.to_string(),
                        l.name
                    );
                }
            }
            exit::OK
        }
        ChecklistsCmd::Show { name, json } => {
            let list = match find(&lists, &name) {
                Ok(l) => l,
                Err(c) => return c,
            };
            let (now, tz) = (Utc::now(), config.timezone);
            if json {
                let steps: Vec<serde_json::Value> =
                    list.steps.iter().map(|s| serde_json::json!({ "step": s, "state": progress.state(&list.id, &s.id), "timing": list.timing(s, now, tz).words(tz) })).collect();
                outln!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({ "checklist": list, "steps": steps })
                    )
                    .unwrap_or_default()
                );
            } else {
                let (done, total) = progress.counts(list);
                outln!(
                    "{} — {} {}· {done}/{total} done",
                    list.name,
                    list.cadence,
                    if list.ordered { "· ordered " } else { "" }
                );
                for (n, s) in list.steps.iter().enumerate() {
                    let cmd = if s.command.is_some() {
                        " [command]"
                    } else {
                        ""
                    };
                    outln!(
                        "{:>3}. {:<24} {}{cmd}\n     {}",
                        n + 1,
                        s.id,
                        s.title,
                        match progress.state(&list.id, &s.id) {
                            crate::domain::checklist::StepState::Open => {
                                format!("open · {}", list.timing(s, now, tz).words(tz))
                            }
                            other => state_word(other),
                        }
                    );
                }
            }
            exit::OK
        }
        ChecklistsCmd::Check {
            name,
            step,
            skip,
            reason,
        } => {
            if readonly {
                errln!("error: read-only: started with --readonly, nothing was recorded");
                return exit::READ_ONLY;
            }
            let list = match find(&lists, &name) {
                Ok(l) => l,
                Err(c) => return c,
            };
            let Some(st) = list.steps.iter().find(|s| s.id == step) else {
                errln!(
                    "error: no step {step:?} in {} (see `shiftdeck checklists show {}`)",
                    list.name,
                    list.id
                );
                return exit::NOT_FOUND;
            };
            if let Err(why) = progress.gate(list, &st.id) {
                errln!("error: refused: {why}");
                return exit::REFUSED;
            }
            let reason = reason.unwrap_or_default();
            if skip && reason.trim().is_empty() {
                errln!("error: a skip needs --reason");
                return exit::USAGE;
            }
            let result = if skip { "skipped" } else { "done" };
            let redactor = crate::ops::redactor(config);
            let session = crate::ops::Session::new(workspace, config, readonly, &redactor);
            let mut log = crate::ops::OpenShift::new(workspace, &config.operator);
            let record = crate::ops::checklists::StepRecord {
                result,
                reason: if skip { &reason } else { "" },
                exit: None,
                output: "",
            };
            if let Err(e) = session.record_step(&mut log, list, st, record, Utc::now()) {
                errln!("error: not recorded: {e}");
                return exit::FAILURE;
            }
            outln!("{} › {}: {result}", list.name, st.title);
            exit::OK
        }
        ChecklistsCmd::Run { name, step } => {
            if readonly {
                errln!("error: read-only: started with --readonly, no command was run");
                return exit::READ_ONLY;
            }
            let list = match find(&lists, &name) {
                Ok(l) => l,
                Err(c) => return c,
            };
            let Some(st) = list.steps.iter().find(|s| s.id == step) else {
                errln!("error: no step {step:?} in {}", list.name);
                return exit::NOT_FOUND;
            };
            let Some(command) = &st.command else {
                errln!(
                    "error: step {:?} has no command: check it with `shiftdeck checklists check {} {}`",
                    st.id,
                    list.id,
                    st.id
                );
                return exit::USAGE;
            };
            if let Err(why) = progress.gate(list, &st.id) {
                errln!("error: refused: {why}");
                return exit::REFUSED;
            }
            let redactor = crate::ops::redactor(config);
            let outcome = crate::ops::checklists::run_step(
                command,
                workspace,
                Duration::from_secs(st.timeout),
                None,
                &redactor,
            );
            let output = outcome.output.clone();
            out!("{output}");
            if !output.ends_with('\n') && !output.is_empty() {
                outln!();
            }
            let result = if outcome.passed() { "done" } else { "failed" };
            let session = crate::ops::Session::new(workspace, config, readonly, &redactor);
            let mut log = crate::ops::OpenShift::new(workspace, &config.operator);
            let record = crate::ops::checklists::StepRecord {
                result,
                reason: "",
                exit: outcome.exit.filter(|_| !outcome.timed_out),
                output: &output,
            };
            if let Err(e) = session.record_step(&mut log, list, st, record, Utc::now()) {
                errln!("warning: not in the shift journal: {e}");
            }
            errln!("{} › {}: {}", list.name, st.title, outcome.summary());
            if outcome.passed() {
                exit::OK
            } else {
                exit::STEP_FAILED
            }
        }
    }
}
