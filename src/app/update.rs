//! `App::update`: the only place the state changes.

use super::dialogs::text_of;
use super::layers::Layer;
use super::*;
use crate::domain::{Incident, IncidentRefusal};
use crate::keymap::{Context, Lookup};
use crossterm::event::KeyEventKind;

pub(super) const READONLY: &str = "read-only: started with --readonly, nothing was changed";

impl App {
    /// Apply one message. Returns the effects for the runtime to carry out.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut fx = Vec::new();
        match msg {
            Msg::Key(key) => {
                // Terminals with the kitty protocol also send releases: act on presses only.
                if key.kind == KeyEventKind::Press || key.kind == KeyEventKind::Repeat {
                    self.on_a_key = true;
                    self.on_key(key, &mut fx);
                    self.on_a_key = false;
                    self.dirty = true;
                }
            }
            Msg::Paste(text) => self.on_paste(&text),
            Msg::Mouse(ev) => self.on_mouse(ev),
            Msg::NoteEdited(result) => self.on_note_edited(result),
            Msg::ShiftJournal { ids, shift } => self.on_shift_journal(ids, shift),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.relayout();
                self.dirty = true;
            }
            Msg::Tick(now) => {
                self.on_tick(now);
                self.watch_countdowns(&mut fx);
                self.checklist_tick();
                self.draft_tick(&mut fx);
            }
            Msg::ShiftOpened(opened) => self.on_shift_opened(*opened),
            Msg::Journal(entries) => self.on_journal_lines(entries),
            Msg::NoteSaved { request, result } => {
                self.answered(request);
                self.on_note_saved(result)
            }
            Msg::HandoverPublished { request, result } => {
                self.answered(request);
                match result {
                    Ok(path) => {
                        self.journal.handover = None;
                        if let Some(s) = self.journal.shift.as_mut() {
                            s.ended.get_or_insert(self.now);
                        }
                        self.flash(
                            Level::Info,
                            format!("handover published to {path}; your shift has ended"),
                        );
                    }
                    Err(e) => self.flash(Level::Error, e),
                }
            }
            Msg::MessagesQueued(what) => {
                if !self.readonly {
                    fx.push(Effect::SendMessages);
                }
                self.calls.unsent.extend(what);
                self.dirty = true;
            }
            Msg::MessagesSent {
                delivered,
                waiting,
                why,
            } => self.on_messages_sent(delivered, waiting, why),
            Msg::Directory {
                directory,
                problems,
            } => {
                self.calls.directory = *directory;
                self.add_problems(problems);
                self.dirty = true;
            }
            Msg::OnCall(roster) => {
                self.calls.roster = std::mem::take(&mut self.calls.roster).refreshed(*roster);
                self.dirty = true;
            }
            Msg::Incidents(delta) => {
                // A replaced file reorders the book: remember the selection by id.
                let selected = self.incidents.selected_id(&self.book).map(str::to_string);
                let issues = delta.apply_into(&mut self.book);
                if !issues.is_empty() {
                    let n = issues.len();
                    self.add_problems(issues.iter().map(|i| i.to_string()));
                    self.flash(
                        Level::Warning,
                        format!(
                            "{} skipped: see the problems list (:problems)",
                            crate::domain::format::plural(n, "incident line", "incident lines")
                        ),
                    );
                }
                let baseline = !self.loaded;
                self.loaded = true;
                self.watch_incidents(None, baseline, &mut fx);
                self.incidents.refresh_keeping(&self.book, selected);
                self.dirty = true;
            }
            Msg::Saved { request, result } => {
                self.answered(request);
                match result {
                    Ok(text) => self.flash(Level::Info, text),
                    Err(text) => self.flash(Level::Error, text),
                }
            }
            Msg::Notice(result) => match result {
                Ok(text) => self.flash(Level::Info, text),
                Err(text) => self.flash(Level::Error, text),
            },
            Msg::Team(badge) => {
                self.team = badge;
                self.dirty = true;
            }
            Msg::Evidence(mut items) => {
                self.incidents.evidence.append(&mut items);
                self.dirty = true;
            }
            Msg::EvidenceText { title, text } => {
                // What it is says itself in the viewer's title.
                self.flash = None;
                self.incidents.viewing = Some((title, text));
                self.incidents.detail_scroll = 0;
                self.dirty = true;
            }
            Msg::Declared(id) => {
                self.incidents.detail = None;
                self.incidents.viewing = None;
                let now = self.now;
                if self.book.get(&id).is_some_and(|incident| {
                    !self
                        .incidents
                        .query
                        .matches(&crate::domain::query::IncidentRow { incident, now })
                }) && self.focus == Pane::Incidents
                {
                    self.clear_filter();
                }
                self.incidents.select_id(&self.book, &id);
                self.dirty = true;
            }
            Msg::ThemeLoaded(theme, problems) => {
                if let Some(first) = problems.first() {
                    self.flash(Level::Error, format!("theme: {first}"));
                    self.add_problems(problems.iter().map(|p| p.to_string()));
                } else {
                    self.flash(Level::Info, format!("theme {}", theme.name));
                }
                self.theme = theme;
                self.dirty = true;
            }
            Msg::Approvals(loaded) => self.on_approvals(loaded),
            Msg::Probed { name, outcome, at } => self.on_probed(name, outcome, at, &mut fx),
            Msg::Verified { name, steps } => self.on_verified(name, steps, &mut fx),
            Msg::Checklists {
                lists,
                problems,
                history,
            } => self.on_checklists(lists, problems, history),
            Msg::StepRan {
                list,
                step,
                outcome,
            } => self.on_step_ran(list, step, outcome, &mut fx),
            Msg::Inbox(report) => self.on_inbox(*report, &mut fx),
            Msg::RemoteQueued {
                request,
                source,
                result,
            } => {
                self.answered(request);
                self.on_remote_queued(source, result, &mut fx)
            }
            Msg::Hangup => {
                if self.checklists.running.is_empty() || self.quitting {
                    // Nothing running, or the stopped commands had their time.
                    self.final_draft(&mut fx);
                    self.quit = true;
                    fx.push(Effect::Quit);
                } else {
                    // No one to ask: stop them, record them, then go.
                    self.quit_stopping_steps(&mut fx);
                }
            }
        }
        fx
    }

    fn on_tick(&mut self, now: DateTime<Utc>) {
        self.now = now;
        if self.flash.as_ref().is_some_and(|f| f.until <= now) {
            self.flash = None;
            self.dirty = true;
        }
        let key = self.clock_key();
        if key != self.clock_key {
            self.clock_key = key;
            self.dirty = true;
        }
    }

    /// What the visible clocks show, reduced to one number: seconds while a
    /// response countdown under an hour is on screen, else minutes. A tick
    /// that does not change it draws nothing.
    fn clock_key(&self) -> i64 {
        let secs = self.now.timestamp();
        if !self.checklists.running.is_empty() {
            return secs;
        }
        let end = (self.incidents.offset + self.incidents.viewport.max(1))
            .min(self.incidents.visible.len());
        let ticking = self.incidents.visible[self.incidents.offset.min(end)..end].iter().any(|&i| {
            matches!(self.book.by_index(i).countdown(self.now), crate::domain::Countdown::Remaining(d) if d < crate::domain::incident::SECONDS_SHOWN)
        });
        if ticking { secs } else { secs / 60 }
    }

    /// Recompute what depends on the terminal size.
    pub fn relayout(&mut self) {
        let rows = crate::ui::layout::incident_rows(self);
        self.incidents.set_viewport(rows);
        // The approvals list shares its pane with banners and malformed
        // files: its rows are where the drawing puts it.
        self.approvals.viewport = crate::ui::layout::pane_area(self, Pane::Approvals)
            .map(|r| {
                let [_, body, _] = crate::ui::approvals::regions(self, inner(r));
                body.height.saturating_sub(1) as usize
            })
            .unwrap_or(1)
            .max(1);
        self.approvals.move_by(0);
        self.checklists.viewport = crate::ui::layout::list_rows(self, Pane::Checklists).max(1);
        self.health.viewport = crate::ui::layout::list_rows(self, Pane::Health).max(1);
        self.checklists.move_by(0);
        self.journal.viewport = crate::ui::layout::journal_rows(self);
    }

    fn on_paste(&mut self, text: &str) {
        // A paste inside tmux arrives with CR line breaks: lines, not a raw
        // \r in the note.
        let text = &crate::domain::sanitize::line_breaks(text);
        // The note editor and the handover summary keep a paste's lines.
        if self.dialog.is_none() {
            if let Some(view) = self.journal.handover.as_mut().filter(|v| v.editing_summary) {
                view.summary.insert_str(text);
                self.refresh_handover();
                self.dirty = true;
                return;
            }
            if self.focus == Pane::Journal && self.journal.editing {
                self.journal.editor.insert_str(text);
                self.journal.draft_dirty = true;
                self.dirty = true;
                return;
            }
        }
        // A paste only ever inserts text; it never confirms or submits.
        let flat: String = text
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        let flat = flat.trim_end();
        let Some(dialog) = self.dialog.as_mut() else {
            return;
        };
        let input = match dialog {
            Dialog::NewIncident(form) => form.focused_input(),
            Dialog::StatusUpdate(form) => Some(form.focused_input()),
            Dialog::Ask(form) => Some(if form.field == 0 {
                &mut form.value
            } else {
                &mut form.words
            }),
            Dialog::Text { editor, .. }
            | Dialog::Filter(editor)
            | Dialog::Search(editor)
            | Dialog::Command(editor) => Some(editor),
            Dialog::Reason { editor, .. } | Dialog::SkipReason { editor, .. } => Some(editor),
            Dialog::Verify { .. }
            | Dialog::Confirm(_)
            | Dialog::ConfirmRemote { .. }
            | Dialog::ConfirmBulk { .. }
            | Dialog::PublishHandover { .. }
            | Dialog::EndShift
            | Dialog::ConfirmRun { .. }
            | Dialog::ConfirmQuit { .. }
            | Dialog::ConfirmDecision { .. } => None,
        };
        if let Some(input) = input {
            input.insert_str(flat);
            self.dirty = true;
        }
        if let Some(Dialog::Filter(editor)) = &self.dialog {
            let text = text_of(editor);
            self.set_filter(text);
        }
        if let Some(Dialog::Search(editor)) = &self.dialog {
            let text = text_of(editor);
            self.set_search(text);
        }
    }

    fn on_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) {
        self.typed = true;
        self.keys_pressed += 1;
        // One answer to "what is on top": the same one the drawing follows.
        let top = self.top_layer();
        let ctx = top.context(self);
        if ctx.is_layer()
            && !matches!(top, Layer::Help | Layer::Problems)
            && self.layer_action(ctx, &key) == Some(Action::Help)
        {
            // The help of the layer on top, over it.
            self.show_help = true;
            return;
        }
        if self.reading_key(&key) {
            return;
        }
        match top {
            Layer::Problems => match self.layer_action(Context::Problems, &key) {
                Some(a) if self.scroll_text(super::scrolling::Scroll::Problems, a) => {}
                _ => {
                    self.show_problems = false;
                    self.help_scroll = 0;
                }
            },
            Layer::Help => self.on_help_key(key),
            Layer::Dialog => self.on_dialog_key(key, fx),
            Layer::Previous => self.on_previous_key(key, fx),
            Layer::Contacts => self.on_contacts_key(key),
            Layer::Messages => match self.layer_action(Context::Messages, &key) {
                Some(Action::Close | Action::Cancel) => self.show_messages = false,
                Some(a) => {
                    self.scroll_text(super::scrolling::Scroll::Messages, a);
                }
                None => {}
            },
            Layer::Handover => self.on_handover_key(key, fx),
            Layer::Editor => self.on_editor_key(key, fx),
            Layer::Panes | Layer::HealthDetail | Layer::StepDetail => self.on_pane_key(key, fx),
        }
    }

    /// A layer's action for one key (layers bind single keys, in their own
    /// context only).
    pub(super) fn layer_action(&self, ctx: Context, key: &KeyEvent) -> Option<Action> {
        let chord = Chord::from_event(key)?;
        match self.keymap.lookup(ctx, &[chord]) {
            Lookup::Action(a) if a != Action::Noop => Some(a),
            _ => None,
        }
    }

    fn on_help_key(&mut self, key: KeyEvent) {
        match self.layer_action(Context::Help, &key) {
            Some(a) if self.scroll_text(super::scrolling::Scroll::Help, a) => {}
            _ => {
                self.show_help = false;
                self.help_scroll = 0;
            }
        }
    }

    fn on_pane_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) {
        let Some(chord) = Chord::from_event(&key) else {
            return;
        };
        self.pending_keys.push(chord);
        let ctx = self.focus.context();
        match self.keymap.lookup(ctx, &self.pending_keys) {
            Lookup::Action(a) => {
                self.pending_keys.clear();
                self.act(a, fx);
            }
            Lookup::Pending => {}
            Lookup::None => {
                let retry = self.pending_keys.len() > 1;
                self.pending_keys.clear();
                // A key the keymap leaves free may apply a saved view.
                if !retry
                    && let crate::keymap::ChordCode::Char(c) = chord.code
                    && !chord.ctrl
                    && !chord.alt
                    && let Some(v) = self.view_for_key(c)
                {
                    self.apply_view(&v);
                    return;
                }
                if retry {
                    // `g x`: drop the dead prefix and try `x` on its own.
                    self.pending_keys.push(chord);
                    if let Lookup::Action(a) = self.keymap.lookup(ctx, &self.pending_keys) {
                        self.pending_keys.clear();
                        self.act(a, fx);
                    } else if self.keymap.lookup(ctx, &self.pending_keys) != Lookup::Pending {
                        self.pending_keys.clear();
                    }
                }
            }
        }
    }

    /// The incident an action applies to: the open detail, else the selection.
    pub(super) fn target_incident(&self) -> Option<&Incident> {
        if self.focus != Pane::Incidents {
            return None;
        }
        match &self.incidents.detail {
            Some(id) => self.book.get(id),
            None => self
                .incidents
                .selected_id(&self.book)
                .and_then(|id| self.book.get(id)),
        }
    }

    /// Checks shared by every change to an incident; returns its id and title.
    pub(super) fn change_target(
        &mut self,
        change: &IncidentChange,
    ) -> Option<(String, String, Severity)> {
        if self.readonly {
            self.flash(Level::Error, READONLY);
            return None;
        }
        let Some(inc) = self.target_incident() else {
            let msg = if self.focus == Pane::Incidents {
                "no incident selected"
            } else {
                "go to Incidents first (2)"
            };
            self.flash(Level::Warning, msg);
            return None;
        };
        let (id, title, sev) = (inc.id.clone(), inc.title.clone(), inc.severity);
        match inc.check(change) {
            Ok(()) => Some((id, title, sev)),
            Err(IncidentRefusal::EmptyNote) => Some((id, title, sev)),
            Err(r) => {
                self.flash(Level::Warning, format!("{id}: {r}"));
                None
            }
        }
    }

    pub(super) fn set_focus(&mut self, pane: Pane) {
        // A popup belongs to its pane: it does not stay over another one.
        if pane != Pane::Health {
            self.health.detail = None;
        }
        if pane != Pane::Checklists {
            self.checklists.detail = None;
        }
        if self.focus != pane
            && self
                .flash
                .as_ref()
                .is_some_and(|f| f.pane.is_some_and(|p| p != pane) && f.key != self.keys_pressed)
        {
            // A message belongs to the pane it was said in.
            self.flash = None;
        }
        self.focus = pane;
        self.relayout();
    }

    /// A move (up, down, a page, the top, the bottom) in what is on top:
    /// the text that scrolls there, else the focused pane's list.
    pub(super) fn move_in(&mut self, action: Action) {
        if let Some(which) = self.scrolled_text() {
            self.scroll_text(which, action);
            return;
        }
        let viewport = match self.focus {
            Pane::Incidents => self.incidents.viewport,
            Pane::Approvals => self.approvals.viewport,
            Pane::Checklists => self.checklists.viewport,
            Pane::Health => self.health.viewport,
            Pane::Journal => self.journal.viewport,
        };
        let page = super::scrolling::list_page(viewport);
        let delta = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            Action::Top => isize::MIN / 2,
            Action::Bottom => isize::MAX / 2,
            _ => return,
        };
        self.scroll(delta);
    }

    /// Move the focused pane's list selection by `delta` rows.
    pub(super) fn scroll(&mut self, delta: isize) {
        match self.focus {
            Pane::Journal => self.journal.move_by(delta),
            Pane::Health => self.health.move_by(delta),
            Pane::Checklists => self.checklists.move_by(delta),
            Pane::Approvals => self.approvals.move_by(delta),
            Pane::Incidents => self.incidents.move_by(delta),
        }
        self.dirty = true;
    }

    pub(super) fn commit(
        &mut self,
        incident_id: String,
        change: IncidentChange,
        fx: &mut Vec<Effect>,
    ) {
        if self.readonly {
            self.flash(Level::Error, READONLY);
            return;
        }
        if self.confirm_remote(&incident_id, &change) {
            return;
        }
        let request = self.request();
        self.flash(
            Level::Info,
            format!("saving: {} {incident_id}…", change.label()),
        );
        fx.push(Effect::Commit {
            request,
            incident_id,
            change,
        });
    }
}

#[cfg(test)]
mod tests;

/// A pane's area inside its border.
fn inner(r: ratatui::layout::Rect) -> ratatui::layout::Rect {
    ratatui::layout::Rect {
        x: r.x + 1,
        y: r.y + 1,
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}
