//! Taking back a check or a skip made a moment ago: a new journal entry
//! reopens the step and says why (the journal stays append-only). The rule
//! (whose, how recent) is the domain's.

use super::{Action, App, Effect, Level};
use crate::domain::checklist::StepState;

impl App {
    /// `u` on a step in Checklists.
    pub(super) fn retract_step(&mut self, fx: &mut Vec<Effect>) {
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return;
        }
        let Some((l, s)) = self.selected_step() else {
            self.flash(Level::Info, "select the step to take back");
            return;
        };
        let list = &self.checklists.lists[l];
        let step = &list.steps[s];
        let state = self.checklists.progress.state(&list.id, &step.id);
        if let Err(why) = state.retractable(&self.config.operator, self.now) {
            let msg = format!("\"{}\": {why}", step.title);
            self.flash(Level::Warning, msg);
            return;
        }
        let (what, at) = match state {
            StepState::Done { at, .. } => ("check", *at),
            StepState::Skipped { at, .. } => ("skip", *at),
            _ => return,
        };
        let at = at.with_timezone(&self.config.timezone).format("%H:%M");
        let reason = format!("retracted: the {what} at {at} was taken back");
        let (list, step) = (list.id.clone(), step.id.clone());
        let request = self.request();
        fx.push(Effect::RecordStep {
            request,
            list,
            step,
            result: "reopened".into(),
            reason,
            exit: None,
            output: String::new(),
        });
        let key = self.key_name(crate::keymap::Context::Checklists, Action::CheckStep);
        self.flash(
            Level::Info,
            format!("taking back the {what} ({key} checks it again)…"),
        );
    }
}
