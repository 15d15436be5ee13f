//! The Checklists pane's state: what is due, progress folded from the
//! journal, steps being run.

use super::{Action, App, Dialog, Effect, Level, Pane};
use crate::domain::checklist::{Cadence, Checklist, Progress, StepState, playbook};
use crate::domain::journal::{EntryKind, JournalEntry};
use crate::integrations::command::CommandOutcome;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// One line of the pane: a checklist's header or one of its steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecklistRow {
    Header(usize),
    Step(usize, usize),
}

#[derive(Debug, Clone, Default)]
pub struct ChecklistsPane {
    pub loaded: bool,
    /// What is worked on: the routine lists and the playbooks' runs.
    pub lists: Vec<Checklist>,
    /// Every list as its file says (playbooks not started among them).
    pub files: Vec<Checklist>,
    pub problems: Vec<String>,
    /// Checklist entries from the journal, across shifts, for the periods in force.
    pub history: Vec<JournalEntry>,
    pub progress: Progress,
    /// Period starts the progress was folded for (a new day refolds).
    pub periods: Vec<Option<DateTime<Utc>>>,
    /// The local day of the last fold: a new day changes today's work
    /// (a Wednesday step, a rollout's next day) even within a period.
    pub day: Option<chrono::NaiveDate>,
    pub rows: Vec<ChecklistRow>,
    pub selected: usize,
    pub offset: usize,
    pub viewport: usize,
    /// Lists whose expansion the operator flipped from the default.
    pub toggled: HashSet<String>,
    /// Steps whose command is running, since when.
    pub running: HashMap<(String, String), DateTime<Utc>>,
    /// Output of runs in this session.
    pub outputs: HashMap<(String, String), CommandOutcome>,
    /// The step whose detail (and output) is open.
    pub detail: Option<(String, String)>,
    pub detail_scroll: u16,
    /// What `/` typed, and its parse: steps that match, under their lists
    /// (a list whose name matches keeps every step).
    pub filter: String,
    pub query: crate::domain::query::Query,
}

fn cadence_rank(c: Cadence) -> u8 {
    match c {
        Cadence::Shift => 0,
        Cadence::Daily | Cadence::DailyFor { .. } => 1,
        Cadence::After { .. } => 2,
        Cadence::Weekly { .. } => 3,
        Cadence::Monthly { .. } => 4,
        Cadence::Quarterly { .. } => 5,
        Cadence::Once => 6,
    }
}

impl ChecklistsPane {
    pub fn selected_row(&self) -> Option<ChecklistRow> {
        self.rows.get(self.selected).copied()
    }

    pub fn expanded(&self, i: usize) -> bool {
        let list = &self.lists[i];
        let default = !self.progress.is_complete(list);
        default != self.toggled.contains(&list.id)
    }

    /// Rebuild the rows: lists with work left first, by cadence and name.
    pub fn refresh(&mut self) {
        let keep = self.selected_row().map(|r| self.row_key(r));
        let mut order: Vec<usize> = (0..self.lists.len()).collect();
        order.sort_by_key(|&i| {
            let l = &self.lists[i];
            (
                self.progress.is_complete(l),
                // A playbook under way is the incident's work: first.
                l.run().is_none(),
                cadence_rank(l.cadence),
                l.name.clone(),
            )
        });
        let mut rows = Vec::new();
        for i in order {
            if !self.query.is_empty() {
                let list = &self.lists[i];
                let steps: Vec<usize> = (0..list.steps.len())
                    .filter(|&s| {
                        let step = &list.steps[s];
                        self.query.matches(&crate::domain::query::StepRow {
                            list,
                            step,
                            state: self.progress.state(&list.id, &step.id),
                        })
                    })
                    .collect();
                if !steps.is_empty() {
                    rows.push(ChecklistRow::Header(i));
                    rows.extend(steps.into_iter().map(|s| ChecklistRow::Step(i, s)));
                }
                continue;
            }
            rows.push(ChecklistRow::Header(i));
            if self.expanded(i) {
                rows.extend((0..self.lists[i].steps.len()).map(|s| ChecklistRow::Step(i, s)));
            }
        }
        self.rows = rows;
        if let Some(key) = keep
            && let Some(p) = self.rows.iter().position(|r| self.row_key(*r) == key)
        {
            self.selected = p;
        }
        self.move_by(0);
    }

    fn row_key(&self, r: ChecklistRow) -> (String, Option<String>) {
        match r {
            ChecklistRow::Header(i) => (self.lists[i].id.clone(), None),
            ChecklistRow::Step(i, s) => (
                self.lists[i].id.clone(),
                Some(self.lists[i].steps[s].id.clone()),
            ),
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        (self.selected, self.offset) = super::move_selection(
            self.selected,
            self.offset,
            self.viewport,
            self.rows.len(),
            delta,
        );
    }

    /// Settled steps over all steps of what is due (for the status bar).
    pub fn due_open(&self) -> usize {
        self.lists
            .iter()
            .map(|l| {
                let (done, total) = self.progress.counts(l);
                total - done
            })
            .sum()
    }

    /// Open steps past their window now.
    pub fn overdue(&self, now: DateTime<Utc>, tz: chrono_tz::Tz) -> usize {
        self.lists
            .iter()
            .flat_map(|l| l.steps.iter().map(move |s| (l, s)))
            .filter(|(l, s)| {
                !self.progress.state(&l.id, &s.id).is_settled() && l.timing(s, now, tz).is_overdue()
            })
            .count()
    }
}

impl App {
    /// The playbooks not started yet.
    pub fn playbooks(&self) -> impl Iterator<Item = &Checklist> {
        self.checklists.files.iter().filter(|l| l.is_template())
    }

    /// The playbooks offered for `inc` and not started on it.
    pub fn playbook_offers(&self, inc: &crate::domain::Incident) -> Vec<&Checklist> {
        playbook::offers(&self.checklists.files, &self.checklists.lists, inc)
    }

    /// `:playbook NAME [TARGET]`: on the incident selected (or open), or on
    /// TARGET (an incident id, or a release's label).
    pub(super) fn playbook_command(&mut self, arg: &str, fx: &mut Vec<Effect>) {
        let mut words = arg.split_whitespace();
        let Some(name) = words.next() else {
            let names: Vec<&str> = self.playbooks().map(|t| t.id.as_str()).collect();
            self.flash(
                Level::Info,
                format!(
                    "usage: :playbook NAME [INCIDENT | LABEL] — playbooks: {}",
                    names.join(", ")
                ),
            );
            return;
        };
        let target = match words.next() {
            Some(t) => match self.book.find(t) {
                Ok(inc) => inc.id.clone(),
                Err(_) => t.to_string(),
            },
            None => match self.target_incident() {
                Some(inc) => inc.id.clone(),
                None => {
                    self.flash(
                        Level::Warning,
                        "select an incident (2) first, or say what it is for: :playbook NAME v2.4.0-rc1",
                    );
                    return;
                }
            },
        };
        self.start_playbook(name, &target, fx);
    }

    /// Start playbook `name` (id or name) on `target`: an incident's id, or
    /// a label for a release.
    pub(super) fn start_playbook(&mut self, name: &str, target: &str, fx: &mut Vec<Effect>) {
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return;
        }
        let found: Vec<&Checklist> = self
            .playbooks()
            .filter(|t| t.id == name || t.name.eq_ignore_ascii_case(name) || t.id.contains(name))
            .collect();
        let template = match found.as_slice() {
            [one] => (*one).clone(),
            [] => {
                let names: Vec<&str> = self.playbooks().map(|t| t.id.as_str()).collect();
                self.flash(
                    Level::Warning,
                    format!("no playbook {name:?}: {}", names.join(", ")),
                );
                return;
            }
            many => match many.iter().find(|t| t.id == name) {
                Some(t) => (*t).clone(),
                None => {
                    self.flash(
                        Level::Warning,
                        format!("{name:?} matches {} playbooks: give its id", many.len()),
                    );
                    return;
                }
            },
        };
        let incident = self.book.get(target).cloned();
        if let Err(why) = playbook::check_start(&template, target, &self.checklists.lists) {
            self.flash(Level::Warning, why);
            return;
        }
        let request = self.request();
        self.flash(
            Level::Info,
            format!("starting {} on {target}…", template.name),
        );
        fx.push(Effect::StartPlaybook {
            request,
            template: Box::new(template),
            target: target.to_string(),
            incident: incident.map(Box::new),
        });
    }

    pub(super) fn refold_checklists(&mut self) {
        let c = &mut self.checklists;
        c.lists = playbook::worked(&c.files, &c.history);
        let shift = self.journal.shift.as_ref().map(|s| s.id.as_str());
        c.progress = Progress::fold(&c.lists, &c.history, self.now, self.config.timezone, shift);
        c.periods = c
            .lists
            .iter()
            .map(|l| l.cadence.period_start(self.now, self.config.timezone))
            .collect();
        c.day = Some(self.now.with_timezone(&self.config.timezone).date_naive());
        c.refresh();
        self.refresh_handover();
        self.dirty = true;
    }

    pub(super) fn on_checklists(
        &mut self,
        lists: Vec<Checklist>,
        problems: Vec<String>,
        history: Vec<JournalEntry>,
    ) {
        let new: Vec<String> = problems
            .iter()
            .filter(|p| !self.checklists.problems.contains(p))
            .cloned()
            .collect();
        self.add_problems(new);
        self.checklists.loaded = true;
        self.checklists.files = lists;
        self.checklists.problems = problems;
        self.checklists.history = history;
        self.refold_checklists();
    }

    /// Journal lines as they land: checklist entries move the progress.
    pub(super) fn checklist_entries(&mut self, entries: &[JournalEntry]) {
        let mut any = false;
        for e in entries.iter().filter(|e| e.kind == EntryKind::Checklist) {
            self.checklists.history.push(e.clone());
            any = true;
        }
        if any {
            self.refold_checklists();
        }
        // A run just started is what the operator goes to next: select it.
        let started = entries.iter().rev().find_map(|e| {
            (e.kind == EntryKind::Checklist && e.field("result") == Some("started"))
                .then(|| Some(playbook::run_id(e.field("checklist")?, e.field("run")?)))
                .flatten()
        });
        if let Some(id) = started {
            let c = &mut self.checklists;
            if let Some(p) = c
                .rows
                .iter()
                .position(|r| matches!(r, ChecklistRow::Header(i) if c.lists[*i].id == id))
            {
                c.selected = p;
                c.offset = p.min(c.offset);
                c.move_by(0);
            }
        }
    }

    /// A new day (week, month) starts a new period: fold again.
    pub(super) fn checklist_tick(&mut self) {
        let tz = self.config.timezone;
        let now: Vec<_> = self
            .checklists
            .lists
            .iter()
            .map(|l| l.cadence.period_start(self.now, tz))
            .collect();
        let today = self.now.with_timezone(&tz).date_naive();
        if now != self.checklists.periods || self.checklists.day != Some(today) {
            self.refold_checklists();
        }
    }

    pub(super) fn selected_step(&self) -> Option<(usize, usize)> {
        match self.checklists.selected_row()? {
            ChecklistRow::Step(l, s) => Some((l, s)),
            ChecklistRow::Header(_) => None,
        }
    }

    /// The selected step, checked for read-only and ordering; else says why.
    fn step_for_change(&mut self, running_ok: bool) -> Option<(usize, usize)> {
        if self.focus != Pane::Checklists {
            self.flash(Level::Warning, "go to Checklists first (1)");
            return None;
        }
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return None;
        }
        let Some((l, s)) = self.selected_step() else {
            let open = self.key_name(crate::keymap::Context::Checklists, Action::Open);
            self.flash(
                Level::Warning,
                format!("select a step ({open} opens or closes a checklist)"),
            );
            return None;
        };
        let list = &self.checklists.lists[l];
        let step = &list.steps[s];
        if !running_ok
            && self
                .checklists
                .running
                .contains_key(&(list.id.clone(), step.id.clone()))
        {
            self.flash(Level::Warning, format!("\"{}\" is running", step.title));
            return None;
        }
        if let Err(why) = self.checklists.progress.gate(list, &step.id) {
            self.flash(Level::Warning, why);
            return None;
        }
        Some((l, s))
    }

    pub(super) fn check_step(&mut self, fx: &mut Vec<Effect>) {
        let Some((l, s)) = self.step_for_change(false) else {
            return;
        };
        let (list, step) = (
            &self.checklists.lists[l],
            &self.checklists.lists[l].steps[s],
        );
        if self
            .checklists
            .progress
            .state(&list.id, &step.id)
            .is_settled()
        {
            let msg = format!(
                "\"{}\" is already done for this {}",
                step.title,
                period_word(list.cadence)
            );
            self.flash(Level::Info, msg);
            return;
        }
        let (lid, sid) = (list.id.clone(), step.id.clone());
        let request = self.request();
        fx.push(Effect::RecordStep {
            request,
            list: lid,
            step: sid,
            result: "done".into(),
            reason: String::new(),
            exit: None,
            output: String::new(),
        });
    }

    pub(super) fn skip_step(&mut self) {
        let Some((l, s)) = self.step_for_change(false) else {
            return;
        };
        let (list, step) = (
            &self.checklists.lists[l],
            &self.checklists.lists[l].steps[s],
        );
        self.dialog = Some(Dialog::SkipReason {
            list: list.id.clone(),
            step: step.id.clone(),
            title: step.title.clone(),
            editor: super::dialogs::line_input(""),
        });
    }

    pub(super) fn run_step(&mut self, fx: &mut Vec<Effect>) {
        let Some((l, s)) = self.step_for_change(false) else {
            return;
        };
        let (list, step) = (
            &self.checklists.lists[l],
            &self.checklists.lists[l].steps[s],
        );
        let Some(command) = step.command.clone() else {
            let msg = format!(
                "\"{}\" has no command: check it by hand (space)",
                step.title
            );
            self.flash(Level::Info, msg);
            return;
        };
        // A shell command runs only once the operator has read it.
        self.dialog = Some(Dialog::ConfirmRun {
            list: list.id.clone(),
            step: step.id.clone(),
            title: step.title.clone(),
            command,
            timeout: step.timeout,
        });
        let _ = fx;
        self.dirty = true;
    }

    /// Quit, or, while step commands run, ask first: quitting stops them.
    pub(super) fn ask_to_quit(&mut self, fx: &mut Vec<Effect>) {
        if self.checklists.running.is_empty() {
            self.final_draft(fx);
            self.quit = true;
            fx.push(Effect::Quit);
            return;
        }
        let running = self
            .checklists
            .running
            .keys()
            .map(|(l, s)| self.step_title(l, s))
            .collect();
        self.dialog = Some(Dialog::ConfirmQuit { running });
    }

    /// Stop the running commands; the app quits once each has reported
    /// and been recorded (or after the runtime's patience runs out).
    pub(super) fn quit_stopping_steps(&mut self, fx: &mut Vec<Effect>) {
        if self.checklists.running.is_empty() {
            // They finished (and were recorded) while the question was open.
            self.final_draft(fx);
            self.quit = true;
            fx.push(Effect::Quit);
            return;
        }
        self.final_draft(fx);
        self.quitting = true;
        self.flash(
            Level::Warning,
            "stopping the running commands, then quitting…",
        );
        fx.push(Effect::StopSteps);
    }

    fn step_title(&self, list: &str, step: &str) -> String {
        self.checklists
            .lists
            .iter()
            .find(|l| l.id == list)
            .map(|l| {
                let title = l
                    .steps
                    .iter()
                    .find(|s| s.id == step)
                    .map(|s| s.title.as_str())
                    .unwrap_or(step);
                format!("{} › {title}", l.name)
            })
            .unwrap_or_else(|| format!("{list} › {step}"))
    }

    /// A command finished: record its outcome (the journal moves the progress).
    pub(super) fn on_step_ran(
        &mut self,
        list: String,
        step: String,
        outcome: CommandOutcome,
        fx: &mut Vec<Effect>,
    ) {
        let key = (list.clone(), step.clone());
        self.checklists.running.remove(&key);
        let title = self
            .checklists
            .lists
            .iter()
            .find(|l| l.id == list)
            .and_then(|l| l.steps.iter().find(|s| s.id == step))
            .map(|s| s.title.clone())
            .unwrap_or_default();
        let level = if outcome.passed() {
            Level::Info
        } else {
            Level::Error
        };
        self.flash(
            level,
            format!(
                "\"{title}\" {} ({} shows the output)",
                outcome.summary(),
                self.key_name(crate::keymap::Context::Checklists, Action::Open)
            ),
        );
        let result = if outcome.passed() { "done" } else { "failed" };
        let request = self.request();
        fx.push(Effect::RecordStep {
            request,
            list,
            step,
            result: result.into(),
            reason: if outcome.stopped {
                outcome.summary()
            } else {
                String::new()
            },
            exit: if outcome.timed_out || outcome.stopped {
                None
            } else {
                outcome.exit
            },
            output: outcome.output.clone(),
        });
        self.checklists.outputs.insert(key, outcome);
        if self.quitting && self.checklists.running.is_empty() {
            // The last one is recorded (the store finishes it before stopping).
            self.quit = true;
            fx.push(Effect::Quit);
        }
    }

    pub(super) fn open_step_detail(&mut self) {
        match self.checklists.selected_row() {
            Some(ChecklistRow::Header(i)) => {
                let id = self.checklists.lists[i].id.clone();
                if !self.checklists.toggled.remove(&id) {
                    self.checklists.toggled.insert(id);
                }
                self.checklists.refresh();
            }
            Some(ChecklistRow::Step(l, s)) => {
                let list = &self.checklists.lists[l];
                self.checklists.detail = Some((list.id.clone(), list.steps[s].id.clone()));
                self.checklists.detail_scroll = 0;
            }
            None => {}
        }
    }
}

pub fn period_word(c: Cadence) -> &'static str {
    match c {
        Cadence::Shift => "shift",
        Cadence::Daily => "day",
        Cadence::Weekly { .. } => "week",
        Cadence::Monthly { .. } => "month",
        Cadence::Quarterly { .. } => "quarter",
        Cadence::After { .. } => "rollout day",
        Cadence::DailyFor { .. } => "day",
        Cadence::Once => "workspace",
    }
}

impl App {
    /// The Checklists pane's own actions; `false` when `action` is not one.
    pub(super) fn checklist_action(&mut self, action: Action, fx: &mut Vec<Effect>) -> bool {
        match action {
            Action::CheckStep => self.check_step(fx),
            Action::SkipStep => self.skip_step(),
            Action::RunStep => self.run_step(fx),
            Action::RetractStep => self.retract_step(fx),
            Action::DeclareFromStep => self.declare_from_step(),
            Action::Attach if self.focus == Pane::Checklists => self.attach_step_output(fx),
            _ => return false,
        }
        true
    }

    /// A FAILED step is work: the declare form, filled from it (its
    /// checklist, its exit, the first line of its output), to check and send.
    fn declare_from_step(&mut self) {
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return;
        }
        let Some((l, s)) = self.selected_step() else {
            self.flash(
                Level::Info,
                "select a step that FAILED to declare an incident for it",
            );
            return;
        };
        let list = &self.checklists.lists[l];
        let step = &list.steps[s];
        let StepState::Failed { exit, output, .. } =
            self.checklists.progress.state(&list.id, &step.id)
        else {
            self.flash(
                Level::Info,
                format!(
                    "\"{}\" has not failed: nothing to declare for it",
                    step.title
                ),
            );
            return;
        };
        let code = exit.map_or("stopped".to_string(), |c| format!("exit {c}"));
        let first = output
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let mut title = format!("{} FAILED ({code})", step.title);
        if !first.is_empty() {
            title.push_str(&format!(": {first}"));
        }
        let form = super::dialogs::IncidentForm {
            title: super::dialogs::line_input(&title.chars().take(160).collect::<String>()),
            service: super::dialogs::line_input(&list.id),
            ..Default::default()
        };
        self.set_focus(Pane::Incidents);
        self.dialog = Some(super::Dialog::NewIncident(Box::new(form)));
    }
}
