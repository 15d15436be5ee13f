//! What each bound action does.

use super::dialogs::line_input;
use super::*;

impl App {
    /// Carry out a bound action: a pane's own first, then the ones every
    /// pane shares (moving, focus, the overlays, quitting).
    pub(super) fn act(&mut self, action: Action, fx: &mut Vec<Effect>) {
        if self.incident_action(action, fx)
            || (self.focus == Pane::Incidents && self.hand_on_action(action))
            || self.approval_action(action)
            || self.checklist_action(action, fx)
            || self.health_action(action, fx)
        {
            return;
        }
        match action {
            Action::Quit => self.ask_to_quit(fx),
            Action::FocusJournal => self.set_focus(Pane::Journal),
            Action::WriteNote => self.start_note(),
            Action::Handover => {
                self.set_focus(Pane::Journal);
                self.open_handover();
            }
            Action::Help => self.show_help = true,
            Action::CommandLine => {
                self.dialog = Some(Dialog::Command(line_input("")));
                // The shifts on record, for `:journal` to complete.
                fx.push(Effect::ReadShift(None));
            }
            Action::NextPane => {
                self.set_focus(Pane::ALL[(self.focus.index() + 1) % Pane::ALL.len()])
            }
            Action::PrevPane => self
                .set_focus(Pane::ALL[(self.focus.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]),
            Action::FocusChecklists => self.set_focus(Pane::Checklists),
            Action::FocusIncidents => self.set_focus(Pane::Incidents),
            Action::FocusApprovals => self.set_focus(Pane::Approvals),
            Action::FocusHealth => self.set_focus(Pane::Health),
            Action::Zoom => {
                self.zoomed = !self.zoomed;
                self.relayout();
            }
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => self.move_in(action),
            Action::Open if self.focus == Pane::Journal => self.read_entry(),
            Action::Open if self.focus == Pane::Health => {
                self.health.detail = self.health.selected_name().map(str::to_string);
                self.health.detail_scroll = 0;
            }
            Action::Open if self.focus == Pane::Checklists => self.open_step_detail(),
            Action::Open if self.focus == Pane::Approvals => {
                if let Some(r) = self.approvals.selected_record() {
                    self.approvals.detail = Some(r.id.clone());
                    self.approvals.detail_scroll = 0;
                }
            }
            Action::Open => {
                if self.focus == Pane::Incidents
                    && let Some(id) = self.incidents.selected_id(&self.book)
                {
                    self.incidents.detail = Some(id.to_string());
                    self.incidents.detail_scroll = 0;
                }
            }
            Action::Back if self.focus == Pane::Checklists && self.checklists.detail.is_some() => {
                self.checklists.detail = None;
            }
            Action::Back if self.focus == Pane::Journal && self.journal.reading.is_some() => {
                self.journal.reading = None;
            }
            Action::Back if self.focus == Pane::Journal && self.journal.browsing.is_some() => {
                self.journal.browsing = None;
            }
            Action::Back if self.focus == Pane::Health && self.health.detail.is_some() => {
                self.health.detail = None;
            }
            Action::Back
                if matches!(self.focus, Pane::Checklists | Pane::Health | Pane::Journal)
                    && !self.filter_of(self.focus).is_empty() =>
            {
                self.clear_filter();
            }
            Action::Back if self.focus == Pane::Approvals => {
                if self.approvals.detail.take().is_some() {
                } else if !self.approvals.filter.is_empty() || self.approvals.state_filter.is_some()
                {
                    self.approvals.state_filter = None;
                    self.clear_filter();
                } else if self.zoomed {
                    self.zoomed = false;
                    self.relayout();
                }
            }
            Action::Back => {
                if self.incidents.viewing.take().is_some() {
                    self.incidents.detail_scroll = 0;
                } else if self.incidents.detail.take().is_some() {
                } else if !self.incidents.filter.is_empty() {
                    self.clear_filter();
                } else if self.focus == Pane::Incidents && !self.incidents.marked.is_empty() {
                    self.incidents.marked.clear();
                    self.flash(Level::Info, "marks cleared");
                } else if self.zoomed {
                    self.zoomed = false;
                    self.relayout();
                }
            }
            Action::Filter => {
                match self.focus {
                    Pane::Incidents => self.incidents.detail = None,
                    Pane::Approvals => self.approvals.detail = None,
                    Pane::Journal => self.journal.reading = None,
                    Pane::Checklists | Pane::Health => {}
                }
                let text = self.filter_of(self.focus).to_string();
                self.dialog = Some(Dialog::Filter(line_input(&text)));
            }
            Action::ClearFilter => self.clear_filter(),
            // The panes' actions are taken above; the layers' own mean
            // nothing on a pane.
            Action::SearchText | Action::NextMatch | Action::PrevMatch => {}
            Action::ExternalEditor => {}
            Action::SortNext => self.sort_list(false),
            Action::SortReverse => self.sort_list(true),
            Action::Yank => self.yank(false, fx),
            Action::YankWhole => self.yank(true, fx),
            Action::OpenLink => self.open_link(fx),
            Action::Suspend if !self.job_control => {
                let q = self.key_name(crate::keymap::Context::Global, Action::Quit);
                self.flash(
                    Level::Info,
                    format!("not suspended: started without a shell's job control, there is no shell to return to ({q} quits)"),
                );
            }
            Action::Suspend => {
                self.redraw_whole = true;
                fx.push(Effect::Suspend);
            }
            Action::ToggleResolved
            | Action::NewIncident
            | Action::Acknowledge
            | Action::Escalate
            | Action::AddNote
            | Action::StatusUpdate
            | Action::Resolve
            | Action::Reopen
            | Action::Snooze
            | Action::Reassign
            | Action::AddResponder
            | Action::Unacknowledge
            | Action::Silence
            | Action::ExpireSilence
            | Action::Mark
            | Action::MarkAll
            | Action::Approve
            | Action::Reject
            | Action::MarkApplied
            | Action::Submit
            | Action::StateFilter
            | Action::CheckStep
            | Action::SkipStep
            | Action::RunStep
            | Action::RetractStep
            | Action::PollNow
            | Action::PollAll
            | Action::Verify
            | Action::DeclareFromHealth
            | Action::DeclareFromStep
            | Action::StartPlaybook
            | Action::AddFollowup
            | Action::Attach
            | Action::Postmortem
            | Action::Confirm
            | Action::Cancel
            | Action::Accept
            | Action::Save
            | Action::NextField
            | Action::PrevField
            | Action::EditSummary
            | Action::Publish
            | Action::AcknowledgeHandover
            | Action::Close
            | Action::Noop => {}
        }
    }
}
