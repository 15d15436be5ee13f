//! Handing a remote incident on from the screen: snooze, reassign, add a
//! responder, unacknowledge, escalate at the vendor, silence and expire a
//! silence (Alertmanager), and the same for several marked rows at once
//! with one confirmation listing them all. Every action is checked by
//! `ask::prepare`, the rule the CLI uses too.

use super::dialogs::{line_input, text_of};
use super::*;
use crate::domain::outbox::{Queued, RemoteAction};
use crate::domain::remote::Vendor;
use crate::domain::remote::ask::{Ask, MAX_SPAN, prepare};
use crate::keymap::Context;
use ratatui_textarea::TextArea;

/// The small form an action needs: how long, or to whom, and the words.
#[derive(Debug, Clone)]
pub struct AskForm {
    /// One incident, or the marked ones.
    pub ids: Vec<String>,
    pub action: RemoteAction,
    pub vendor: Vendor,
    /// A span ("30m") for a snooze or silence; someone otherwise.
    pub value: TextArea<'static>,
    pub words: TextArea<'static>,
    /// 0 value, 1 words.
    pub field: usize,
    pub error: Option<String>,
}

impl AskForm {
    /// What the first field asks for.
    pub fn value_label(&self) -> &'static str {
        match self.action {
            RemoteAction::Snooze | RemoteAction::Silence => "For",
            RemoteAction::Expire => "Silence",
            RemoteAction::Escalate => "To",
            _ => "Who",
        }
    }

    pub fn words_label(&self) -> &'static str {
        if self.action == RemoteAction::Silence {
            "Comment"
        } else {
            "Note"
        }
    }

    /// What the first field takes, as a hint under it.
    pub fn value_hint(&self) -> String {
        match (self.action, self.vendor) {
            (RemoteAction::Snooze | RemoteAction::Silence, _) => {
                "30m, 2h, 1h30m or 1d (at most 7d)".into()
            }
            (RemoteAction::Reassign, Vendor::Pagerduty) => {
                "an email, a user's name, or an escalation policy".into()
            }
            (RemoteAction::AddResponder, Vendor::Pagerduty) => {
                "a user (email or name) or an escalation policy".into()
            }
            (RemoteAction::AddResponder, Vendor::Opsgenie) => {
                "a username, or team:NAME, escalation:NAME, schedule:NAME".into()
            }
            (RemoteAction::Reassign, Vendor::Opsgenie) => "a username (email)".into(),
            (RemoteAction::Reassign, Vendor::Jsm) => "an Atlassian account id".into(),
            (RemoteAction::AddResponder, Vendor::Jsm) => {
                "an account id, or team:ID, escalation:ID, schedule:ID".into()
            }
            (RemoteAction::Escalate, Vendor::Jsm) => "an escalation id".into(),
            (RemoteAction::Escalate, _) => "an escalation's name".into(),
            (RemoteAction::Expire, _) => "the silence id (its first characters do)".into(),
            _ => String::new(),
        }
    }

    fn ask(&self) -> Result<Ask, String> {
        let value = text_of(&self.value).trim().to_string();
        let mut ask = Ask::new(self.action).with_message(&text_of(&self.words));
        match self.action {
            RemoteAction::Snooze | RemoteAction::Silence => {
                ask = ask.with_span(crate::domain::format::parse_span(&value, MAX_SPAN)?);
            }
            _ => ask = ask.with_target(&value),
        }
        Ok(ask)
    }
}

impl App {
    /// The new actions on the selected (or marked) remote incidents;
    /// `false` when `action` is not one of them.
    pub(super) fn hand_on_action(&mut self, action: Action) -> bool {
        let remote = match action {
            Action::Snooze => RemoteAction::Snooze,
            Action::Reassign => RemoteAction::Reassign,
            Action::AddResponder => RemoteAction::AddResponder,
            Action::Unacknowledge => RemoteAction::Unacknowledge,
            Action::Silence => RemoteAction::Silence,
            Action::ExpireSilence => RemoteAction::Expire,
            Action::Mark => {
                self.toggle_mark();
                return true;
            }
            Action::MarkAll => {
                self.mark_all();
                return true;
            }
            _ => return false,
        };
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return true;
        }
        if self.incidents.marked.len() > 1 {
            let ids: Vec<String> = self.incidents.marked.iter().cloned().collect();
            self.open_bulk(ids, remote);
            return true;
        }
        let Some(id) = self.target_incident().map(|i| i.id.clone()) else {
            self.flash(Level::Warning, "no incident selected");
            return true;
        };
        self.open_ask(&id, remote);
        true
    }

    /// Open the form an action needs, or its confirmation when it needs
    /// nothing more.
    pub(super) fn open_ask(&mut self, id: &str, action: RemoteAction) {
        let Some(inc) = self.book.get(id) else {
            return;
        };
        let Some(r) = inc.remote.as_ref() else {
            self.flash(
                Level::Warning,
                format!(
                    "{id}: a local incident: {} is for incidents at a vendor",
                    action.label()
                ),
            );
            return;
        };
        let vendor = r.vendor;
        // The vendor's refusal first, before any typing.
        if let Err(why) = vendor.offers(action) {
            self.flash(Level::Warning, format!("{id}: {why}"));
            return;
        }
        let needs_form = match action {
            RemoteAction::Snooze | RemoteAction::Silence => true,
            RemoteAction::Reassign | RemoteAction::AddResponder => true,
            RemoteAction::Escalate => vendor != Vendor::Pagerduty,
            RemoteAction::Expire => r.silences.len() > 1,
            _ => false,
        };
        if !needs_form {
            self.confirm_ask(id, Ask::new(action));
            return;
        }
        self.dialog = Some(Dialog::Ask(Box::new(new_form(
            vec![id.to_string()],
            action,
            vendor,
        ))));
        self.dirty = true;
    }

    /// Keys in the action form: the next field, then the confirmation.
    pub(super) fn ask_key(
        &mut self,
        form: &mut AskForm,
        action: Option<Action>,
        key: KeyEvent,
    ) -> bool {
        match action {
            Some(Action::NextField | Action::PrevField) => {
                form.field = 1 - form.field.min(1);
                true
            }
            Some(Action::Accept) if form.field == 0 => {
                form.field = 1;
                true
            }
            Some(Action::Accept | Action::Save) => match form.ask() {
                Err(e) => {
                    form.error = Some(e);
                    form.field = 0;
                    true
                }
                Ok(ask) if form.ids.len() == 1 => {
                    let id = form.ids[0].clone();
                    self.confirm_ask(&id, ask);
                    // A refusal keeps the form open with its reason.
                    if self.dialog.is_none() {
                        form.error = self.flash_text();
                        return true;
                    }
                    false
                }
                Ok(ask) => {
                    self.confirm_bulk(form.ids.clone(), ask);
                    false
                }
            },
            _ => {
                let input = if form.field == 0 {
                    &mut form.value
                } else {
                    &mut form.words
                };
                input.input(key);
                form.error = None;
                true
            }
        }
    }

    fn flash_text(&self) -> Option<String> {
        self.flash.as_ref().map(|f| f.text.clone())
    }

    fn toggle_mark(&mut self) {
        let Some(id) = self.incidents.selected_id(&self.book).map(str::to_string) else {
            return;
        };
        if !self.incidents.marked.remove(&id) {
            self.incidents.marked.insert(id);
        }
        self.incidents.move_by(1);
        let n = self.incidents.marked.len();
        let clear = self.key_name(Context::Incidents, Action::Back);
        self.flash(
            Level::Info,
            format!("{n} marked: a acknowledges, S silences them all ({clear} clears)"),
        );
        self.dirty = true;
    }

    fn mark_all(&mut self) {
        if !self.incidents.marked.is_empty() {
            self.incidents.marked.clear();
            self.flash(Level::Info, "marks cleared");
        } else {
            let ids: Vec<String> = self
                .incidents
                .visible
                .iter()
                .map(|&i| self.book.by_index(i))
                .filter(|i| i.is_active())
                .map(|i| i.id.clone())
                .collect();
            self.incidents.marked.extend(ids);
            self.flash(
                Level::Info,
                format!("{} marked", self.incidents.marked.len()),
            );
        }
        self.dirty = true;
    }

    /// A bulk action: a form first where it needs one, else the list.
    pub(super) fn open_bulk(&mut self, ids: Vec<String>, action: RemoteAction) {
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return;
        }
        match action {
            RemoteAction::Acknowledge | RemoteAction::Unacknowledge => {
                self.confirm_bulk(ids, Ask::new(action))
            }
            RemoteAction::Snooze | RemoteAction::Silence => {
                let vendor = ids
                    .iter()
                    .filter_map(|id| self.book.get(id)?.remote.as_ref().map(|r| r.vendor))
                    .next()
                    .unwrap_or(Vendor::Alertmanager);
                self.dialog = Some(Dialog::Ask(Box::new(new_form(ids, action, vendor))));
                self.dirty = true;
            }
            other => self.flash(
                Level::Warning,
                format!(
                    "{} is for one incident at a time: a acknowledges, s snoozes, S silences the marked ones",
                    other.label()
                ),
            ),
        }
    }

    /// Check every marked incident and list what will be sent and what
    /// cannot be, in one confirmation.
    fn confirm_bulk(&mut self, ids: Vec<String>, ask: Ask) {
        let Some(action) = ask.action else {
            return;
        };
        let mut queued: Vec<Queued> = Vec::new();
        let mut local: Vec<String> = Vec::new();
        let mut lines = Vec::new();
        let mut refused = Vec::new();
        for id in &ids {
            let Some(inc) = self.book.get(id) else {
                continue;
            };
            if inc.remote.is_none() && action == RemoteAction::Acknowledge {
                let change = IncidentChange::Acknowledged {
                    message: String::new(),
                };
                match inc.check(&change) {
                    Ok(()) => {
                        lines.push(format!("{id}  {} (here)", inc.title));
                        local.push(id.clone());
                    }
                    Err(r) => refused.push(format!("not {id}: {r}")),
                }
                continue;
            }
            match prepare(
                inc,
                &ask,
                crate::store::remote::new_action_id(),
                &self.config.operator,
                self.now,
            ) {
                Ok(q) => {
                    lines.push(format!("{id}  {} ({})", inc.title, q.vendor));
                    queued.push(q);
                }
                Err(why) => refused.push(format!("not {why}")),
            }
        }
        let n = queued.len() + local.len();
        if n == 0 {
            let why = refused.first().cloned().unwrap_or_default();
            self.flash(
                Level::Warning,
                format!("nothing to {}: {why}", action.label()),
            );
            return;
        }
        if let Some(first) = queued.first() {
            let mut carried = self.ask_lines(first);
            carried.retain(|l| !l.starts_with("matching"));
            lines.extend(carried);
        }
        lines.extend(refused);
        lines.push("kept on disk until each vendor has it (sent when it answers)".into());
        self.dialog = Some(Dialog::ConfirmBulk {
            title: format!(
                "{} {n} incident{}?",
                super::inbox::verb(action, Vendor::Opsgenie),
                if n == 1 { "" } else { "s" }
            ),
            lines,
            queued,
            local,
        });
        self.dirty = true;
    }

    /// Yes to a bulk confirmation: queue each, commit each local one.
    pub(super) fn send_bulk(
        &mut self,
        queued: Vec<Queued>,
        local: Vec<String>,
        fx: &mut Vec<Effect>,
    ) {
        let n = queued.len() + local.len();
        for q in queued {
            let request = self.request();
            fx.push(Effect::Remote {
                request,
                queued: Box::new(q),
            });
        }
        for id in local {
            let request = self.request();
            fx.push(Effect::Commit {
                request,
                incident_id: id,
                change: IncidentChange::Acknowledged {
                    message: String::new(),
                },
            });
        }
        self.incidents.marked.clear();
        self.flash(Level::Info, format!("queueing {n} actions…"));
    }
}

fn new_form(ids: Vec<String>, action: RemoteAction, vendor: Vendor) -> AskForm {
    let value = match action {
        RemoteAction::Snooze => "30m",
        RemoteAction::Silence => "2h",
        _ => "",
    };
    AskForm {
        ids,
        action,
        vendor,
        value: line_input(value),
        words: line_input(""),
        field: 0,
        error: None,
    }
}
