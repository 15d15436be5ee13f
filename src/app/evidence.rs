//! Evidence from what the screen already holds: a playbook step's output
//! (attached to the incident the run is on) and an integration's verify
//! result (attached to the active incident that names it). Neither runs
//! anything: the store writes what was printed.

use super::{App, Effect, Level};
use crate::domain::checklist::StepState;

impl App {
    /// `E` on a step of a playbook run on an incident.
    pub(super) fn attach_step_output(&mut self, fx: &mut Vec<Effect>) {
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return;
        }
        let Some(super::checklists::ChecklistRow::Step(l, s)) = self.checklists.selected_row()
        else {
            self.flash(Level::Info, "select a step whose output to attach");
            return;
        };
        let list = self.checklists.lists[l].clone();
        let step = list.steps[s].clone();
        let Some(incident) = list.run().and_then(|r| r.incident.clone()) else {
            self.flash(
                Level::Info,
                "a step's output is attached to the incident its playbook runs on: this list runs on none",
            );
            return;
        };
        let key = (list.id.clone(), step.id.clone());
        let output = match (
            self.checklists.outputs.get(&key),
            self.checklists.progress.state(&list.id, &step.id),
        ) {
            (Some(run), _) => run.output.clone(),
            (None, StepState::Failed { output, .. }) => output.clone(),
            _ => String::new(),
        };
        if output.trim().is_empty() {
            self.flash(
                Level::Info,
                format!(
                    "\"{}\" has no output to attach ({} runs it)",
                    step.title,
                    self.key_name(
                        crate::keymap::Context::Checklists,
                        crate::action::Action::RunStep
                    )
                ),
            );
            return;
        }
        let request = self.request();
        self.flash(Level::Info, "attaching the step's output…");
        fx.push(Effect::AttachOutput {
            request,
            incident_id: incident,
            command: step.command.clone().unwrap_or_else(|| step.title.clone()),
            output,
            note: format!("output of the playbook step \"{}\"", step.title),
        });
    }

    /// `E` on an integration verified this session.
    pub(super) fn attach_verify(&mut self, fx: &mut Vec<Effect>) {
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return;
        }
        let Some(name) = self.health.selected_name().map(str::to_string) else {
            return;
        };
        let Some((_, steps)) = self.health.verified.iter().find(|(n, _)| *n == name) else {
            self.flash(
                Level::Info,
                format!("{name} was not verified this session: V verifies it"),
            );
            return;
        };
        let Some(incident) = self
            .book
            .all()
            .iter()
            .find(|i| {
                i.is_active()
                    && i.remote.is_none()
                    && (i.service == name || i.title.contains(&name))
            })
            .map(|i| i.id.clone())
        else {
            self.flash(
                Level::Info,
                format!("no active incident names {name}: declare one (i) to attach its verify result to"),
            );
            return;
        };
        let output: String = steps
            .iter()
            .map(|(step, r)| match r {
                Ok(m) => format!("PASS {step}: {m}\n"),
                Err(e) => format!("FAIL {step}: {e}\n"),
            })
            .collect();
        let request = self.request();
        self.flash(
            Level::Info,
            format!("attaching {name}'s verify result to {incident}…"),
        );
        fx.push(Effect::AttachOutput {
            request,
            incident_id: incident,
            command: format!("verify {name}"),
            output,
            note: "the verify result as the screen showed it".into(),
        });
    }
}
