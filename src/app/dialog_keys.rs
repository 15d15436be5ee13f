//! Keys while a dialog is open, and the command line.

use super::dialogs::text_of;
use super::*;
use crate::domain::handover::standing;
use crate::keymap::Context;
use crossterm::event::KeyCode;

impl App {
    pub(super) fn on_dialog_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) {
        if self.command_line_key(&key) {
            return;
        }
        let Some(mut dialog) = self.dialog.take() else {
            return;
        };
        let ctx = if dialog.is_confirmation() {
            Context::Confirm
        } else {
            Context::Prompt
        };
        let action = self.layer_action(ctx, &key);
        let yes = action == Some(Action::Confirm);
        let no = action == Some(Action::Cancel);
        let accept = action == Some(Action::Accept);
        if no {
            match dialog {
                Dialog::Filter(_) => self.clear_filter(),
                Dialog::Search(_) => self.search = None,
                // Typed text is not thrown away on one key: the first esc
                // asks, the second keeps it as a draft for the next `n`.
                Dialog::NewIncident(mut form) if form.has_text() => {
                    if form.closing {
                        form.closing = false;
                        form.error = None;
                        self.incidents.declare_draft = Some(form);
                        let n = self.key_name(Context::Incidents, Action::NewIncident);
                        self.flash(
                            Level::Info,
                            format!("declare form kept: {n} goes on with it"),
                        );
                    } else {
                        form.closing = true;
                        form.error = Some("esc again closes it (the draft is kept for n)".into());
                        self.dialog = Some(Dialog::NewIncident(form));
                    }
                }
                _ => {}
            }
            return;
        }
        let keep = match &mut dialog {
            Dialog::Confirm(c) => match () {
                _ if yes => {
                    let p = c.change.clone();
                    self.commit(p.incident_id, p.change, fx);
                    false
                }
                _ => true,
            },
            Dialog::ConfirmRemote { queued, .. } => match () {
                _ if yes => {
                    let request = self.request();
                    self.flash(Level::Info, format!("queueing: {}…", queued.describe()));
                    fx.push(Effect::Remote {
                        request,
                        queued: queued.clone(),
                    });
                    false
                }
                _ => true,
            },
            Dialog::ConfirmBulk { queued, local, .. } => match () {
                _ if yes => {
                    self.send_bulk(std::mem::take(queued), std::mem::take(local), fx);
                    false
                }
                _ => true,
            },
            Dialog::Ask(form) => self.ask_key(form, action, key),
            Dialog::NewIncident(form) => self.form_key(form, action, key, fx),
            Dialog::StatusUpdate(form) => self.update_key(form, action, key, fx),
            Dialog::PublishHandover { markdown, .. } => match () {
                _ if yes => {
                    let request = self.request();
                    self.flash(Level::Info, "publishing the handover…");
                    fx.push(Effect::PublishHandover {
                        request,
                        markdown: markdown.clone(),
                    });
                    false
                }
                _ => true,
            },
            Dialog::SkipReason {
                list, step, editor, ..
            } => {
                if accept {
                    let reason = text_of(editor).trim().to_string();
                    if reason.is_empty() {
                        let cancel = self.key_name(Context::Prompt, Action::Cancel);
                        self.flash(
                            Level::Warning,
                            format!("a skip needs a reason ({cancel} cancels)"),
                        );
                        true
                    } else {
                        let request = self.request();
                        fx.push(Effect::RecordStep {
                            request,
                            list: list.clone(),
                            step: step.clone(),
                            result: "skipped".into(),
                            reason,
                            exit: None,
                            output: String::new(),
                        });
                        false
                    }
                } else {
                    editor.input(key);
                    true
                }
            }
            Dialog::Reason {
                id,
                decision,
                editor,
            } => {
                if accept {
                    let reason = text_of(editor).trim().to_string();
                    let (id, decision) = (id.clone(), *decision);
                    self.confirm_decision(id, decision, reason);
                    // Refused (no reason): the reason dialog stays.
                    self.dialog.is_none()
                } else {
                    editor.input(key);
                    true
                }
            }
            Dialog::ConfirmDecision {
                id,
                decision,
                reason,
                ..
            } => match () {
                _ if yes => {
                    self.send_decision(id.clone(), *decision, reason.clone(), fx);
                    false
                }
                _ => true,
            },
            Dialog::Verify { name, .. } => match () {
                _ if yes => {
                    self.flash(Level::Info, format!("verifying {name}…"));
                    fx.push(Effect::Verify(name.clone()));
                    false
                }
                _ => true,
            },
            Dialog::ConfirmQuit { .. } => match () {
                _ if yes => {
                    self.quit_stopping_steps(fx);
                    false
                }
                _ => true,
            },
            Dialog::ConfirmRun {
                list,
                step,
                command,
                timeout,
                ..
            } => match () {
                _ if yes => {
                    let key = (list.clone(), step.clone());
                    fx.push(Effect::RunStep {
                        list: key.0.clone(),
                        step: key.1.clone(),
                        command: command.clone(),
                        timeout: *timeout,
                    });
                    self.checklists.running.insert(key, self.now);
                    false
                }
                _ => true,
            },
            Dialog::EndShift => match () {
                _ if yes => {
                    let request = self.request();
                    fx.push(Effect::EndShift { request });
                    false
                }
                _ => true,
            },
            Dialog::Text {
                incident_id,
                editor,
                purpose,
                ..
            } => {
                if accept && *purpose == TextPurpose::Escalate {
                    let (id, line) = (incident_id.clone(), editor.lines().join(" "));
                    // Refused (no reason, not a higher level): the prompt stays.
                    self.escalate_from_line(&id, &line);
                    matches!(self.dialog, Some(Dialog::Text { .. }))
                } else if accept && *purpose == TextPurpose::Attach {
                    let source = editor.lines().join(" ").trim().to_string();
                    if source.is_empty() || source == "!" {
                        self.flash(Level::Warning, "a file's path, or !command (Esc to cancel)");
                        true
                    } else {
                        let request = self.request();
                        self.flash(Level::Info, "attaching…");
                        fx.push(Effect::Attach {
                            request,
                            incident_id: incident_id.clone(),
                            source,
                        });
                        false
                    }
                } else if accept && *purpose == TextPurpose::Followup {
                    let line = editor.lines().join(" ");
                    match crate::domain::incident::followup::parse_line(
                        &line,
                        self.now,
                        self.config.timezone,
                    ) {
                        Ok((owner, due, message)) => {
                            let mut seed = [0u8; 3];
                            let _ = getrandom::fill(&mut seed);
                            let change = IncidentChange::Followup {
                                message,
                                followup: crate::domain::incident::followup::new_id(seed),
                                owner,
                                due: Some(due),
                            };
                            self.commit(incident_id.clone(), change, fx);
                            false
                        }
                        Err(e) => {
                            self.flash(Level::Warning, e);
                            true
                        }
                    }
                } else if accept {
                    let message = editor.lines().join("\n").trim().to_string();
                    if *purpose == TextPurpose::Resolve {
                        self.commit(
                            incident_id.clone(),
                            IncidentChange::Resolved { message },
                            fx,
                        );
                        false
                    } else if message.is_empty() {
                        self.flash(Level::Warning, "a note needs some text (Esc to cancel)");
                        true
                    } else {
                        self.commit(incident_id.clone(), IncidentChange::Note { message }, fx);
                        false
                    }
                } else {
                    editor.input(key);
                    true
                }
            }
            Dialog::Filter(editor) => {
                if accept {
                    false
                } else {
                    editor.input(key);
                    let text = text_of(editor);
                    self.incidents.selected = 0;
                    self.set_filter(text);
                    true
                }
            }
            Dialog::Search(editor) => {
                if accept {
                    self.accept_search();
                    false
                } else {
                    editor.input(key);
                    let text = text_of(editor);
                    self.set_search(text);
                    true
                }
            }
            Dialog::Command(editor) => {
                if accept {
                    let line = text_of(editor);
                    self.remember_command(line.trim());
                    self.run_command(line.trim(), fx);
                    false
                } else {
                    editor.input(key);
                    true
                }
            }
        };
        if keep && self.dialog.is_none() {
            self.dialog = Some(dialog);
        }
    }

    /// The status update form: tab between action and ETA, enter on the ETA
    /// (or save) queues it.
    fn update_key(
        &mut self,
        form: &mut UpdateForm,
        action: Option<Action>,
        key: KeyEvent,
        fx: &mut Vec<Effect>,
    ) -> bool {
        let submit =
            (action == Some(Action::Accept) && form.field == 1) || action == Some(Action::Save);
        if submit {
            let what = text_of(&form.action).trim().to_string();
            if what.is_empty() {
                form.error = Some(
                    "what was done? (\"rolled back the flag\", \"restarted the worker\")".into(),
                );
                form.field = 0;
                return true;
            }
            let eta = match crate::domain::message::check_eta(&text_of(&form.eta)) {
                Ok(e) => e,
                Err(e) => {
                    form.error = Some(e);
                    form.field = 1;
                    return true;
                }
            };
            let request = self.request();
            self.flash(Level::Info, "queueing the update…");
            fx.push(Effect::StatusUpdate {
                request,
                incident: Box::new(form.incident.clone()),
                action: what,
                eta,
            });
            return false;
        }
        match action {
            Some(Action::Accept | Action::NextField) => form.field = (form.field + 1) % 2,
            Some(Action::PrevField) => form.field = (form.field + 1) % 2,
            _ => {
                form.focused_input().input(key);
                form.error = None;
            }
        }
        true
    }

    fn form_key(
        &mut self,
        form: &mut IncidentForm,
        action: Option<Action>,
        key: KeyEvent,
        fx: &mut Vec<Effect>,
    ) -> bool {
        let last = form.field == IncidentForm::FIELDS - 1;
        let submit = (action == Some(Action::Accept) && last) || action == Some(Action::Save);
        if submit {
            let title = text_of(&form.title).trim().to_string();
            let service = text_of(&form.service).trim().to_string();
            if title.is_empty() {
                form.error = Some("a title is needed: what is happening?".into());
                form.field = 0;
                return true;
            }
            if service.is_empty() {
                form.error = Some("a service is needed: where is it happening?".into());
                form.field = 1;
                return true;
            }
            if !form.warned {
                let open: Vec<String> = self
                    .book
                    .all()
                    .iter()
                    .filter(|i| i.is_active() && i.service.eq_ignore_ascii_case(&service))
                    .map(|i| format!("{} {}", i.severity, i.id))
                    .collect();
                if !open.is_empty() {
                    form.warned = true;
                    form.error = Some(format!(
                        "{service} has {} open already ({}): submit again to declare anyway",
                        if open.len() == 1 {
                            "an incident"
                        } else {
                            "incidents"
                        },
                        open.join(", ")
                    ));
                    return true;
                }
            }
            let request = self.request();
            self.flash(
                Level::Info,
                format!("declaring {} incident…", form.severity),
            );
            fx.push(Effect::Declare {
                request,
                title,
                service,
                severity: form.severity,
            });
            return false;
        }
        match key.code {
            _ if matches!(action, Some(Action::Accept | Action::NextField)) => {
                form.field = (form.field + 1) % IncidentForm::FIELDS
            }
            _ if action == Some(Action::PrevField) => {
                form.field = (form.field + IncidentForm::FIELDS - 1) % IncidentForm::FIELDS
            }
            _ if form.field == 2 => match key.code {
                KeyCode::Left | KeyCode::Char('h') | KeyCode::Char('+') | KeyCode::Char('k') => {
                    if let Some(s) = form.severity.raised() {
                        form.severity = s;
                    }
                }
                KeyCode::Right | KeyCode::Char('l') | KeyCode::Char('-') | KeyCode::Char('j') => {
                    form.severity = Severity::ALL[(form.severity as usize + 1).min(3)];
                }
                KeyCode::Char(c @ '1'..='4') => {
                    form.severity = Severity::ALL[(c as u8 - b'1') as usize]
                }
                _ => {}
            },
            _ => {
                if let Some(input) = form.focused_input() {
                    input.input(key);
                }
                // What the line asked for is there: it goes.
                form.closing = false;
                if form.field == 1 {
                    form.warned = false;
                }
                let filled = |t: &ratatui_textarea::TextArea| !text_of(t).trim().is_empty();
                if (form.field == 0 && filled(&form.title))
                    || (form.field == 1 && filled(&form.service))
                {
                    form.error = None;
                }
            }
        }
        true
    }

    fn run_command(&mut self, line: &str, fx: &mut Vec<Effect>) {
        let (cmd, arg) = match line.split_once(char::is_whitespace) {
            Some((c, a)) => (c, a.trim()),
            None => (line, ""),
        };
        match cmd {
            "" => {}
            "q" | "quit" | "q!" | "qa" => self.act(Action::Quit, fx),
            "incidents" | "inc" | "2" => self.set_focus(Pane::Incidents),
            "checklists" | "1" => self.set_focus(Pane::Checklists),
            "approvals" | "3" => self.set_focus(Pane::Approvals),
            "health" | "4" => self.set_focus(Pane::Health),
            "help" | "keys" | "commands" => self.show_help = true,
            "journal" | "5" if arg.is_empty() => self.set_focus(Pane::Journal),
            "journal" => fx.push(Effect::ReadShift(Some(arg.to_string()))),
            "approve" => {
                self.set_focus(Pane::Approvals);
                self.act(Action::Approve, fx);
            }
            "reject" => {
                self.set_focus(Pane::Approvals);
                self.act(Action::Reject, fx);
            }
            "note" if arg.is_empty() => self.start_note(),
            "note" => self.quick_note(arg, None, fx),
            "blocker" => self.quick_note(arg, Some(standing::BLOCKER), fx),
            "cleared" | "unblocked" => self.quick_note(arg, Some(standing::CLEARED), fx),
            "deviation" => self.quick_note(arg, Some(standing::DEVIATION), fx),
            "playbook" => self.playbook_command(arg, fx),
            "followup" => self.followup_command(arg, fx),
            "evidence" => self.evidence_command(arg, fx),
            "report" => match arg {
                "" | "weekly" => {
                    self.set_focus(Pane::Incidents);
                    self.incidents.detail = None;
                    self.flash(Level::Info, "building this week's report…");
                    fx.push(Effect::WeeklyReport(None));
                }
                week => match crate::domain::report::Week::parse(
                    week.trim_start_matches("weekly").trim(),
                ) {
                    Ok(w) => {
                        self.set_focus(Pane::Incidents);
                        self.incidents.detail = None;
                        fx.push(Effect::WeeklyReport(Some(w)));
                    }
                    Err(e) => {
                        self.flash(Level::Warning, format!("usage: :report [2026-W48] — {e}"))
                    }
                },
            },
            "handover" => self.act(Action::Handover, fx),
            "change" => self.change_command(arg, fx),
            "contacts" | "who" => self.open_contacts(),
            "oncall" => match self.on_call_summary(false) {
                Some(s) => self.flash(Level::Info, s),
                None => self.flash(
                    Level::Info,
                    "nobody known to be on call (no schedule answered, no [rota] in contacts.toml)",
                ),
            },
            "previous" => {
                if self.journal.previous.is_some() {
                    self.journal.show_previous = true;
                } else {
                    self.flash(Level::Info, "no handover from a previous shift");
                }
            }
            "shift" if arg == "end" => {
                if self.readonly {
                    self.flash(Level::Error, super::update::READONLY);
                } else {
                    self.dialog = Some(Dialog::EndShift);
                }
            }
            "shift" => {
                let what = match &self.journal.shift {
                    Some(s) => format!(
                        "shift {} since {} (:shift end ends it)",
                        s.id,
                        s.started
                            .with_timezone(&self.config.timezone)
                            .format("%H:%M")
                    ),
                    None => "no shift open".to_string(),
                };
                self.flash(Level::Info, what);
            }
            "zoom" => self.act(Action::Zoom, fx),
            "reconnect" => {
                fx.push(Effect::Reconnect);
                self.flash(
                    Level::Info,
                    match &self.team {
                        Some(b) => format!("trying the team store again ({})", b.text),
                        None => "copying to and from the team store now (if one is configured)"
                            .to_string(),
                    },
                );
            }
            "new" | "declare" => self.act(Action::NewIncident, fx),
            "resolved" => self.act(Action::ToggleResolved, fx),
            "problems" => {
                if self.problems.is_empty() {
                    self.flash(Level::Info, "no problems in your files");
                } else {
                    self.show_problems = true;
                }
            }
            "filter" => self.set_filter(arg.to_string()),
            "view" | "views" => self.view_command(arg),
            "messages" | "mes" | "msg" => {
                self.show_messages = true;
                self.unseen_messages = 0;
                // The newest at the bottom, in sight.
                self.messages_scroll = u16::MAX;
            }
            "theme" if !arg.is_empty() => fx.push(Effect::LoadTheme(arg.to_string())),
            "theme" => {
                let names: Vec<&str> = crate::theme::BUNDLED.iter().map(|(n, _)| *n).collect();
                self.flash(
                    Level::Info,
                    format!("theme {} (bundled: {})", self.theme.name, names.join(", ")),
                );
            }
            other => self.flash(
                Level::Error,
                format!("unknown command :{other} (try :help, :incidents, :theme NAME, :q)"),
            ),
        }
    }
}
