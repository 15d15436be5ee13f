//! The Incidents pane's actions: declare, acknowledge, escalate (asks),
//! note, resolve, reopen, show resolved.

use super::dialogs::line_input;
use super::update::READONLY;
use super::*;

impl App {
    /// The Incidents pane's own actions; `false` when `action` is not one.
    pub(super) fn incident_action(&mut self, action: Action, fx: &mut Vec<Effect>) -> bool {
        match action {
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
                    let form = self.incidents.declare_draft.take().unwrap_or_default();
                    self.dialog = Some(Dialog::NewIncident(form));
                }
            }
            Action::Acknowledge if self.incidents.marked.len() > 1 => {
                let ids: Vec<String> = self.incidents.marked.iter().cloned().collect();
                self.open_bulk(ids, crate::domain::outbox::RemoteAction::Acknowledge);
            }
            Action::Escalate if self.target_incident().is_some_and(|i| i.remote.is_some()) => {
                if self.readonly {
                    self.flash(Level::Error, READONLY);
                } else if let Some(id) = self.target_incident().map(|i| i.id.clone()) {
                    self.open_ask(&id, crate::domain::outbox::RemoteAction::Escalate);
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
            Action::Escalate => self.open_escalate(),
            Action::StatusUpdate => {
                if self.readonly {
                    self.flash(Level::Error, super::update::READONLY);
                } else if crate::ops::messages::updates_env(&self.config).is_none() {
                    self.flash(
                        Level::Warning,
                        "no Slack channel for updates: set [slack] webhook_env (or updates_webhook_env) in shiftdeck.toml",
                    );
                } else if let Some(inc) = self
                    .incidents
                    .selected_id(&self.book)
                    .and_then(|id| self.book.get(id))
                    .cloned()
                {
                    self.dialog = Some(Dialog::StatusUpdate(Box::new(super::UpdateForm::new(inc))));
                }
            }
            Action::Postmortem => {
                if self.readonly {
                    self.flash(Level::Error, READONLY);
                } else if let Some(inc) = self.target_incident().cloned() {
                    if inc.remote.is_some() {
                        self.flash(
                            Level::Warning,
                            "post-mortems are drafted for local incidents: the vendor keeps its own",
                        );
                    } else {
                        let request = self.request();
                        self.incidents.detail = Some(inc.id.clone());
                        fx.push(Effect::WritePostmortem {
                            request,
                            incident_id: inc.id,
                        });
                    }
                }
            }
            // Checklists and Health attach what they hold: theirs.
            Action::Attach if self.focus == Pane::Incidents => self.open_local_prompt(
                TextPurpose::Attach,
                "Evidence for",
                "evidence is kept on local incidents: attach it to the vendor's incident there",
            ),
            Action::AddFollowup => self.open_local_prompt(
                TextPurpose::Followup,
                "Follow-up on",
                "follow-ups are tracked on local incidents: note it at the vendor, or declare one here",
            ),
            Action::StartPlaybook => {
                let Some(inc) = self.target_incident().cloned() else {
                    return true;
                };
                let offers: Vec<String> = self
                    .playbook_offers(&inc)
                    .iter()
                    .map(|t| t.id.clone())
                    .collect();
                match offers.as_slice() {
                    [one] => self.start_playbook(one, &inc.id, fx),
                    [] => self.flash(
                        Level::Info,
                        "no playbook is offered for this incident: :playbook NAME starts one (shiftdeck checklists list shows them)",
                    ),
                    many => self.flash(
                        Level::Info,
                        format!("offered: {} — :playbook NAME starts one", many.join(", ")),
                    ),
                }
            }
            Action::AddNote => {
                let change = IncidentChange::Note {
                    message: "x".into(),
                };
                if let Some((id, title, _)) = self.change_target(&change) {
                    // Said before it is written, not after.
                    let resolved = self.book.get(&id).is_some_and(|i| !i.is_active());
                    let heading = if resolved {
                        format!("Note on {id} (RESOLVED: the note goes on a closed incident): {title}")
                    } else {
                        format!("Note on {id}: {title}")
                    };
                    self.dialog = Some(Dialog::Text {
                        heading,
                        incident_id: id,
                        editor: line_input(""),
                        purpose: TextPurpose::Note,
                    });
                }
            }
            // An alert resolves when its condition does: silence it until then.
            Action::Resolve
                if self.target_incident().is_some_and(|i| {
                    i.remote
                        .as_ref()
                        .is_some_and(|r| r.vendor == crate::domain::remote::Vendor::Alertmanager)
                }) =>
            {
                if self.readonly {
                    self.flash(Level::Error, READONLY);
                } else if let Some(id) = self.target_incident().map(|i| i.id.clone()) {
                    self.open_ask(&id, crate::domain::outbox::RemoteAction::Silence);
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
                        purpose: TextPurpose::Resolve,
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
            _ => return false,
        }
        true
    }

    /// `:followup done ID [note]` and `:followup drop ID REASON`, on the
    /// incident selected (or open).
    pub(super) fn followup_command(&mut self, arg: &str, fx: &mut Vec<Effect>) {
        use crate::domain::incident::followup::{self, Outcome};
        const USAGE: &str =
            "usage: :followup done ID [note] | :followup drop ID REASON (F tracks a new one)";
        let mut words = arg.splitn(3, char::is_whitespace);
        let (verb, key, rest) = (
            words.next(),
            words.next(),
            words.next().unwrap_or("").trim(),
        );
        let outcome = match verb {
            Some("done") => Outcome::Done,
            Some("drop") | Some("dropped") => Outcome::Dropped,
            _ => {
                self.flash(Level::Info, USAGE);
                return;
            }
        };
        let Some(key) = key else {
            self.flash(Level::Warning, USAGE);
            return;
        };
        let Some(inc) = self.target_incident().cloned() else {
            self.flash(
                Level::Warning,
                "select the incident (2) whose follow-up it is",
            );
            return;
        };
        let id = followup::find(&inc, key)
            .map(|f| f.id)
            .unwrap_or_else(|| key.to_string());
        let change = IncidentChange::FollowupClosed {
            followup: id,
            outcome,
            message: rest.to_string(),
        };
        if let Some((incident, _, _)) = self.change_target(&change) {
            self.commit(incident, change, fx);
        }
    }

    /// `:evidence N` (or its name): read the open incident's Nth evidence.
    pub(super) fn evidence_command(&mut self, arg: &str, fx: &mut Vec<Effect>) {
        let Some(inc) = self.target_incident().map(|i| i.id.clone()) else {
            self.flash(
                Level::Warning,
                "open an incident (2, enter) whose evidence to read",
            );
            return;
        };
        let mine: Vec<&crate::domain::evidence::Artifact> = self
            .incidents
            .evidence
            .iter()
            .filter(|a| a.incident_id == inc)
            .collect();
        let key = arg.trim();
        let found = match key.parse::<usize>() {
            Ok(n) if n >= 1 => mine.get(n - 1).copied(),
            _ => mine.iter().copied().find(|a| a.name == key || a.id == key),
        };
        match found {
            Some(a) => {
                self.incidents.detail = Some(inc);
                fx.push(Effect::ReadEvidence(Box::new(a.clone())));
            }
            None if mine.is_empty() => {
                let key = self.key_name(crate::keymap::Context::Incidents, Action::Attach);
                self.flash(
                    Level::Info,
                    format!("no evidence on {inc}: {key} attaches some"),
                );
            }
            None => self.flash(
                Level::Warning,
                format!("usage: :evidence N (1 to {}) or its name", mine.len()),
            ),
        }
    }

    /// A one-line prompt about the target incident, for what only a local
    /// incident keeps (evidence, follow-ups); `remote` says why not otherwise.
    fn open_local_prompt(&mut self, purpose: TextPurpose, heading: &str, remote: &str) {
        let probe = IncidentChange::Note {
            message: "x".into(),
        };
        let Some((id, title, _)) = self.change_target(&probe) else {
            return;
        };
        if self.book.get(&id).is_some_and(|i| i.remote.is_some()) {
            self.flash(Level::Warning, remote);
            return;
        }
        self.dialog = Some(Dialog::Text {
            heading: format!("{heading} {id}: {title}"),
            incident_id: id,
            editor: line_input(""),
            purpose,
        });
    }
}
