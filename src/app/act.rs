//! What each bound action does.

use super::dialogs::line_input;
use super::update::READONLY;
use super::*;

impl App {
    pub(super) fn act(&mut self, action: Action, fx: &mut Vec<Effect>) {
        let page = self.incidents.viewport.max(1) as isize;
        match action {
            Action::Quit => self.ask_to_quit(fx),
            Action::FocusJournal => self.set_focus(Pane::Journal),
            Action::WriteNote => self.start_note(),
            Action::Handover => {
                self.set_focus(Pane::Journal);
                self.open_handover();
            }
            Action::Help => self.show_help = true,
            Action::CommandLine => self.dialog = Some(Dialog::Command(line_input(""))),
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
            Action::Up => self.scroll(-1),
            Action::Down => self.scroll(1),
            Action::PageUp => self.scroll(-page),
            Action::PageDown => self.scroll(page),
            Action::Top => self.scroll(isize::MIN / 2),
            Action::Bottom => self.scroll(isize::MAX / 2),
            Action::Open if self.focus == Pane::Journal => self.start_note(),
            Action::Open if self.focus == Pane::Health => {
                self.health.detail = self.health.selected_name().map(str::to_string);
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
            Action::Back if self.focus == Pane::Health && self.health.detail.is_some() => {
                self.health.detail = None;
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
                if self.incidents.detail.take().is_some() {
                } else if !self.incidents.filter.is_empty() {
                    self.clear_filter();
                } else if self.zoomed {
                    self.zoomed = false;
                    self.relayout();
                }
            }
            Action::Filter => match self.focus {
                Pane::Incidents => {
                    self.incidents.detail = None;
                    self.dialog = Some(Dialog::Filter(line_input(&self.incidents.filter)));
                }
                Pane::Approvals => {
                    self.approvals.detail = None;
                    self.dialog = Some(Dialog::Filter(line_input(&self.approvals.filter)));
                }
                _ => {}
            },
            Action::CheckStep => self.check_step(fx),
            Action::SkipStep => self.skip_step(),
            Action::RunStep => self.run_step(fx),
            Action::Approve => self.start_decision(crate::domain::approval::Decision::Approve),
            Action::Reject => self.start_decision(crate::domain::approval::Decision::Reject),
            Action::MarkApplied => self.start_decision(crate::domain::approval::Decision::Apply),
            Action::Submit => self.start_decision(crate::domain::approval::Decision::Submit),
            Action::StateFilter => {
                use crate::domain::approval::ApprovalState as S;
                const ORDER: [Option<S>; 6] = [
                    None,
                    Some(S::Pending),
                    Some(S::Proposed),
                    Some(S::Approved),
                    Some(S::Rejected),
                    Some(S::Applied),
                ];
                let at = ORDER
                    .iter()
                    .position(|s| *s == self.approvals.state_filter)
                    .unwrap_or(0);
                let next = ORDER[(at + 1) % ORDER.len()];
                self.approvals.state_filter = next;
                self.approvals.selected = 0;
                self.approvals.refresh();
                let label = next.map(|s| s.as_str()).unwrap_or("all states");
                self.flash(Level::Info, format!("approvals: {label}"));
            }
            Action::ClearFilter => self.clear_filter(),
            Action::ToggleResolved => {
                self.incidents.show_resolved = !self.incidents.show_resolved;
                self.incidents.refresh(&self.book);
                let what = if self.incidents.show_resolved {
                    "showing resolved incidents"
                } else {
                    "hiding resolved incidents"
                };
                self.flash(Level::Info, what);
            }
            Action::NewIncident => {
                if self.readonly {
                    self.flash(Level::Error, READONLY);
                } else {
                    self.set_focus(Pane::Incidents);
                    self.dialog = Some(Dialog::NewIncident(Box::default()));
                }
            }
            Action::Acknowledge => {
                let change = IncidentChange::Acknowledged {
                    message: String::new(),
                };
                if let Some((id, _, _)) = self.change_target(&change) {
                    self.commit(id, change, fx);
                }
            }
            Action::Escalate => {
                let probe = IncidentChange::Escalated {
                    to: Severity::P1,
                    message: String::new(),
                };
                if let Some((id, title, sev)) = self.change_target(&probe) {
                    let Some(to) = sev.raised() else { return };
                    let change = IncidentChange::Escalated {
                        to,
                        message: format!("raised from {sev}"),
                    };
                    self.dialog = Some(Dialog::Confirm(Confirm {
                        title: format!("Escalate {id} to {to}?"),
                        lines: vec![
                            title,
                            format!("{sev} → {to}: {}", to.meaning()),
                            format!(
                                "respond within {} · escalate to {}",
                                crate::domain::format::coarse_duration(to.response_target()),
                                to.escalation()
                            ),
                            format!("recorded as: escalated by {} to {to}", self.config.operator),
                        ],
                        change: PendingChange {
                            incident_id: id,
                            change,
                        },
                    }));
                }
            }
            Action::AddNote => {
                let change = IncidentChange::Note {
                    message: "x".into(),
                };
                if let Some((id, title, _)) = self.change_target(&change) {
                    self.dialog = Some(Dialog::Text {
                        heading: format!("Note on {id}: {title}"),
                        incident_id: id,
                        editor: line_input(""),
                        resolve: false,
                    });
                }
            }
            Action::Resolve => {
                let change = IncidentChange::Resolved {
                    message: String::new(),
                };
                if let Some((id, title, _)) = self.change_target(&change) {
                    self.dialog = Some(Dialog::Text {
                        heading: format!("Resolve {id}: {title}"),
                        incident_id: id,
                        editor: line_input(""),
                        resolve: true,
                    });
                }
            }
            Action::Reopen => {
                let change = IncidentChange::Reopened {
                    message: String::new(),
                };
                if let Some((id, title, _)) = self.change_target(&change) {
                    self.dialog = Some(Dialog::Confirm(Confirm {
                        title: format!("Reopen {id}?"),
                        lines: vec![
                            title,
                            format!("recorded as: reopened by {}", self.config.operator),
                        ],
                        change: PendingChange {
                            incident_id: id,
                            change,
                        },
                    }));
                }
            }
            Action::PollNow => self.poll_now(false, fx),
            Action::PollAll => self.poll_now(true, fx),
            Action::Verify => self.start_verify(fx),
            // The layers' own actions mean nothing on a pane.
            Action::Confirm
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
