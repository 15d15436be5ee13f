//! `shiftdeck checklists …`

use super::{ChecklistsCmd, exit};
use crate::config::Config;
use crate::domain::checklist::{Checklist, Progress, StepState};
use crate::store::journal::JournalStore;
use chrono::Utc;
use std::path::Path;
use std::time::Duration;

/// What `load` finds: the lists worked on (routine lists and playbook
/// runs), the playbooks not started, and the progress of the first.
pub(super) struct Loaded {
    pub lists: Vec<Checklist>,
    pub templates: Vec<Checklist>,
    pub progress: Progress,
}

/// The checklists and their progress for the current periods.
pub(super) fn load(workspace: &Path, config: &Config) -> Result<Loaded, i32> {
    let now = Utc::now();
    let journal = JournalStore::new(workspace);
    let shift = journal.open_shift(&config.operator).ok().flatten();
    let (all, problems, history) = crate::store::checklists::load_with_history(
        workspace,
        &journal,
        now,
        config.timezone,
        shift.as_ref().map(|(s, _, _)| s.started),
    );
    for p in &problems {
        errln!("error: {p}");
    }
    let history = history.map_err(|e| {
        errln!("error: cannot read the journal: {e}");
        exit::FAILURE
    })?;
    let lists = crate::domain::checklist::playbook::worked(&all, &history);
    let progress = Progress::fold(
        &lists,
        &history,
        now,
        config.timezone,
        shift.as_ref().map(|(s, _, _)| s.id.as_str()),
    );
    Ok(Loaded {
        lists,
        templates: all.into_iter().filter(|l| l.is_template()).collect(),
        progress,
    })
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
            Err(exit::NO_CHECKLIST)
        }
        _ => match hits.iter().find(|l| l.id == key) {
            Some(exact) => Ok(exact),
            None => {
                errln!(
                    "error: {key:?} matches {} checklists: give the whole id",
                    hits.len()
                );
                Err(exit::NO_CHECKLIST)
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

/// Record a step; a run's step goes on its incident's timeline too.
fn record(
    workspace: &Path,
    session: &crate::ops::Session<'_>,
    list: &Checklist,
    step: &crate::domain::checklist::Step,
    record: crate::ops::checklists::StepRecord<'_>,
) -> Result<(), String> {
    let now = Utc::now();
    let mut log = crate::ops::OpenShift::new(workspace, &session.config.operator);
    session.record_step(&mut log, list, step, record, now)?;
    if list.run().is_some_and(|r| r.incident.is_some()) {
        let mut store = crate::store::IncidentStore::new(workspace);
        let mut book = crate::domain::IncidentBook::state_only();
        if let Ok(d) = store.read_new() {
            d.apply_to(&mut book);
        }
        if let Err(e) = session.step_on_timeline(&mut store, &mut book, list, step, &record, now) {
            errln!("warning: not on the incident's timeline: {e}");
        }
    }
    Ok(())
}

/// `checklists start NAME --on ID | --for LABEL` and `incidents playbook ID NAME`.
pub fn start(
    workspace: &Path,
    config: &Config,
    readonly: bool,
    name: &str,
    on: Option<&str>,
    label: Option<&str>,
) -> i32 {
    if readonly {
        errln!("error: read-only: started with --readonly, nothing was recorded");
        return exit::READ_ONLY;
    }
    let loaded = match load(workspace, config) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let template = match find(&loaded.templates, name) {
        Ok(t) => t,
        Err(code) => {
            let names: Vec<&str> = loaded.templates.iter().map(|t| t.id.as_str()).collect();
            errln!("the playbooks: {}", names.join(", "));
            return code;
        }
    };
    let (target, incident) = match (on, label) {
        (Some(key), _) => {
            let mut store = crate::store::IncidentStore::new(workspace);
            let book = match store.load() {
                Ok((b, _)) => b,
                Err(e) => {
                    errln!("error: cannot read incidents: {e}");
                    return exit::FAILURE;
                }
            };
            match book.find(key) {
                Ok(i) => (i.id.clone(), Some(i.clone())),
                Err(e) => {
                    errln!("error: {e}");
                    return exit::NOT_FOUND;
                }
            }
        }
        (None, Some(l)) => (l.trim().to_string(), None),
        (None, None) => {
            errln!(
                "error: say what it is for: --on INCIDENT or --for LABEL (a release: v2.4.0-rc1)"
            );
            return exit::USAGE;
        }
    };
    let runs: Vec<Checklist> = loaded
        .lists
        .iter()
        .filter(|l| l.run().is_some())
        .cloned()
        .collect();
    let redactor = crate::ops::redactor(config);
    let session = crate::ops::Session::new(workspace, config, readonly, &redactor);
    let mut log = crate::ops::OpenShift::new(workspace, &config.operator);
    match session.start_playbook(
        &mut log,
        template,
        &target,
        incident.as_ref(),
        &runs,
        Utc::now(),
    ) {
        Ok(id) => {
            if let Some(inc) = incident.as_ref().filter(|i| i.remote.is_none()) {
                let mut store = crate::store::IncidentStore::new(workspace);
                let mut book = crate::domain::IncidentBook::state_only();
                if let Ok(d) = store.read_new() {
                    d.apply_to(&mut book);
                }
                let line = format!("playbook {} started", template.name);
                if let Err(e) =
                    session.timeline_note(&mut store, &mut book, &inc.id, line, Utc::now())
                {
                    errln!("warning: not on the incident's timeline: {e}");
                }
            }
            outln!("{id}");
            errln!(
                "started {} on {target}: `shiftdeck checklists show {id}` lists its {} steps",
                template.name,
                template.steps.len()
            );
            exit::OK
        }
        Err(e) if e.contains("already started") => {
            errln!("error: refused: {e}");
            exit::REFUSED
        }
        Err(e) => {
            errln!("error: {e}");
            exit::FAILURE
        }
    }
}

pub fn run(workspace: &Path, config: &Config, readonly: bool, cmd: ChecklistsCmd) -> i32 {
    if let ChecklistsCmd::Start { name, on, label } = &cmd {
        return start(
            workspace,
            config,
            readonly,
            name,
            on.as_deref(),
            label.as_deref(),
        );
    }
    let Loaded {
        lists,
        templates,
        progress,
    } = match load(workspace, config) {
        Ok(x) => x,
        Err(code) => return code,
    };
    match cmd {
        ChecklistsCmd::Start { .. } => unreachable!("handled above"),
        ChecklistsCmd::List { json } => {
            if json {
                let v: Vec<serde_json::Value> = lists
                    .iter()
                    .map(|l| {
                        let (done, total) = progress.counts(l);
                        let mut v = serde_json::json!({ "id": l.id, "name": l.name, "kind": l.kind(), "cadence": l.cadence.to_string(), "ordered": l.ordered, "done": done, "steps": total });
                        if let Some(r) = l.run() {
                            v["run"] = serde_json::json!(r);
                        }
                        v
                    })
                    .chain(templates.iter().map(|t| {
                        serde_json::json!({ "id": t.id, "name": t.name, "kind": t.kind(), "cadence": "when started", "ordered": t.ordered, "steps": t.steps.len(), "offer": t.playbook.as_ref().map(|p| &p.offer) })
                    }))
                    .collect();
                outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            } else {
                let width = lists
                    .iter()
                    .map(|l| l.cadence.to_string().chars().count())
                    .max()
                    .unwrap_or(20)
                    .max(20);
                for l in lists.iter().filter(|l| l.run().is_none()) {
                    let (done, total) = progress.counts(l);
                    outln!(
                        "{:<28} {:<width$} {done:>2}/{total:<2} {}",
                        l.id,
                        l.cadence.to_string(),
                        l.name
                    );
                }
                if !templates.is_empty() {
                    outln!();
                    outln!(
                        "playbooks (started on an incident or a release: `checklists start NAME --on ID | --for LABEL`):"
                    );
                    for t in &templates {
                        outln!(
                            "{:<28} {:<width$} {:>2} steps {}",
                            t.id,
                            "playbook",
                            t.steps.len(),
                            t.name
                        );
                    }
                }
                let runs: Vec<&Checklist> = lists.iter().filter(|l| l.run().is_some()).collect();
                if !runs.is_empty() {
                    outln!();
                    outln!("runs:");
                    for l in runs {
                        let (done, total) = progress.counts(l);
                        outln!(
                            "{:<28} {:<width$} {done:>2}/{total:<2} {}",
                            l.id,
                            "playbook run",
                            l.name
                        );
                    }
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
            let Some(st) = list.step_by_key(&step) else {
                errln!(
                    "error: no step {step:?} in {} (see `shiftdeck checklists show {}`)",
                    list.name,
                    list.id
                );
                return exit::NO_STEP;
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
            let step_record = crate::ops::checklists::StepRecord {
                result,
                reason: if skip { &reason } else { "" },
                exit: None,
                output: "",
            };
            if let Err(e) = record(workspace, &session, list, st, step_record) {
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
            let Some(st) = list.step_by_key(&step) else {
                errln!("error: no step {step:?} in {}", list.name);
                return exit::NO_STEP;
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
            let step_record = crate::ops::checklists::StepRecord {
                result,
                reason: "",
                exit: outcome.exit.filter(|_| !outcome.timed_out),
                output: &output,
            };
            if let Err(e) = record(workspace, &session, list, st, step_record) {
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
