//! The Journal pane's state and the shift: this shift's entries, the note
//! editor and its draft, the previous shift's handover, and the handover
//! being written.

use super::{Action, App, Effect, Level, Pane};
use crate::domain::handover::{self, HandoverInput, standing};
use crate::domain::journal::{EntryKind, JournalEntry};
use crate::keymap::Context;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

/// Seconds between saves of the draft while it changes.
pub const DRAFT_EVERY_SECS: i64 = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct ShiftInfo {
    pub id: String,
    pub started: DateTime<Utc>,
    pub resumed: bool,
    /// When the shift ended (its handover published, or ended without one).
    pub ended: Option<DateTime<Utc>>,
}

/// The handover the previous shift published.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousHandover {
    pub shift: String,
    pub from: String,
    pub markdown: String,
    pub acknowledged: bool,
}

/// What the store found when the shift started (or resumed).
#[derive(Debug, Clone)]
pub struct ShiftOpened {
    pub shift: ShiftInfo,
    pub entries: Vec<JournalEntry>,
    pub draft: Option<String>,
    pub previous: Option<PreviousHandover>,
    /// Earlier shifts' notes that stand until cleared (credential blockers).
    pub earlier: Vec<JournalEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unsaved {
    pub text: String,
    pub why: String,
    /// The fallback file that holds it, if one took it.
    pub kept_in: Option<std::path::PathBuf>,
}

impl Unsaved {
    /// Whether a fallback file holds it.
    pub fn kept(&self) -> bool {
        self.kept_in.is_some()
    }
}

#[derive(Debug, Clone, Default)]
pub struct JournalPane {
    pub shift: Option<ShiftInfo>,
    pub entries: Vec<JournalEntry>,
    pub editor: TextArea<'static>,
    /// The editor has the keys.
    pub editing: bool,
    pub draft_dirty: bool,
    pub draft_saved_at: Option<DateTime<Utc>>,
    /// Entries that could not be written where they belong.
    pub unsaved: Vec<Unsaved>,
    /// The selected entry (an index into `entries`); `None` follows the
    /// newest one as entries arrive.
    pub selected: Option<usize>,
    /// The first entry on screen.
    pub offset: usize,
    /// Entry rows the list has on screen, known from the layout.
    pub viewport: usize,
    /// The entry read whole (`enter`), and how far it is scrolled.
    pub reading: Option<usize>,
    pub reading_scroll: u16,
    pub previous: Option<PreviousHandover>,
    /// Earlier shifts' notes that stand until cleared.
    pub earlier: Vec<JournalEntry>,
    pub show_previous: bool,
    pub previous_scroll: u16,
    pub handover: Option<HandoverView>,
    /// What `/` typed, its parse, and the entries it keeps (`None`: all of
    /// them, with no list of indices kept for a long shift).
    pub filter: String,
    pub query: crate::domain::query::Query,
    pub visible: Option<Vec<usize>>,
    /// The shifts on record, newest last (for `:journal SHIFT` and its
    /// completion).
    pub shift_ids: Vec<String>,
    /// An earlier shift's journal read in the pane's place (`:journal ID`).
    pub browsing: Option<(String, Vec<JournalEntry>)>,
    pub browsing_scroll: u16,
}

impl JournalPane {
    /// Rows in the list: the entries the filter keeps.
    pub fn len(&self) -> usize {
        self.visible.as_ref().map_or(self.entries.len(), Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry on row `pos` of the list.
    pub fn entry_at(&self, pos: usize) -> Option<usize> {
        match &self.visible {
            Some(v) => v.get(pos).copied(),
            None => (pos < self.entries.len()).then_some(pos),
        }
    }

    /// Find the rows again after the filter changed (the selection follows
    /// the newest entry).
    pub fn refilter(&mut self) {
        self.visible = (!self.query.is_empty()).then(|| {
            (0..self.entries.len())
                .filter(|&i| self.query.matches(&self.entries[i]))
                .collect()
        });
        self.selected = None;
        self.offset = 0;
    }

    /// Entries appended: the filter looks at the new ones only.
    fn appended(&mut self, from: usize) {
        if let Some(v) = self.visible.as_mut() {
            v.extend((from..self.entries.len()).filter(|&i| self.query.matches(&self.entries[i])));
        }
    }

    /// The selected row: the one chosen, else the newest.
    pub fn selected_index(&self) -> Option<usize> {
        let len = self.len();
        self.selected.filter(|&i| i < len).or(len.checked_sub(1))
    }

    /// Move the selection; on the newest entry it follows new ones.
    pub fn move_by(&mut self, delta: isize) {
        let len = self.len();
        let Some(at) = self.selected_index() else {
            return;
        };
        let (sel, off) = super::move_selection(at, self.offset, self.viewport, len, delta);
        self.selected = (sel + 1 < len).then_some(sel);
        self.offset = off;
    }

    /// The entries on screen in `rows` rows: `start..end`, the selection in it.
    pub fn window(&self, rows: usize) -> (usize, usize) {
        let len = self.len();
        let rows = rows.max(1);
        let sel = self.selected_index().unwrap_or(0);
        let mut start = match self.selected {
            None => len.saturating_sub(rows),
            Some(_) => self.offset.min(len.saturating_sub(rows)),
        };
        if sel < start {
            start = sel;
        } else if sel >= start + rows {
            start = sel + 1 - rows;
        }
        (start, (start + rows).min(len))
    }

    pub fn draft_text(&self) -> String {
        self.editor.lines().join("\n")
    }

    pub fn has_draft(&self) -> bool {
        !self.draft_text().trim().is_empty()
    }
}

/// The handover being written: the operator's summary and the report.
#[derive(Debug, Clone)]
pub struct HandoverView {
    pub summary: TextArea<'static>,
    pub editing_summary: bool,
    pub markdown: String,
    pub hold: bool,
    pub scroll: u16,
}

impl App {
    pub(super) fn on_shift_opened(&mut self, opened: ShiftOpened) {
        let first = self.journal.shift.is_none();
        if !first && !opened.shift.resumed {
            // The last one ended (its handover published): say that this
            // entry opened a new one, never silently.
            self.flash(
                Level::Warning,
                format!(
                    "your shift had ended: a new shift {} started with this entry",
                    opened.shift.id
                ),
            );
        }
        self.shift_started = opened.shift.started;
        if opened.shift.resumed && first {
            self.flash(
                Level::Info,
                format!("resumed your open shift {}", opened.shift.id),
            );
        }
        self.journal.shift = Some(opened.shift);
        self.journal.entries = opened.entries;
        self.journal.refilter();
        self.journal.earlier = opened.earlier;
        let mut restored = false;
        if let Some(draft) = opened.draft
            && first
            && !self.journal.has_draft()
        {
            self.journal.editor = note_area(draft.lines().map(str::to_string).collect());
            restored = true;
        }
        if first {
            match &opened.previous {
                Some(p) if !p.acknowledged => self.journal.show_previous = true,
                Some(_) => {}
                None => self.flash(
                    Level::Warning,
                    "no handover was published by the previous shift: ask who was on before you",
                ),
            }
        }
        // The note the operator was typing matters most: say so last.
        if restored {
            let text = format!(
                "your unsaved note is back: {} shows it, {} goes on, {} saves it",
                self.key_name(Context::Global, Action::FocusJournal),
                self.key_name(Context::Global, Action::WriteNote),
                self.key_name(Context::Editor, Action::Save),
            );
            self.flash(Level::Warning, text);
        }
        self.journal.previous = opened.previous;
        self.dirty = true;
    }

    pub(super) fn on_journal_lines(&mut self, entries: Vec<JournalEntry>) {
        for e in &entries {
            if e.kind == EntryKind::HandoverAcknowledged
                && let Some(p) = self.journal.previous.as_mut()
                && e.field("of_shift") == Some(p.shift.as_str())
            {
                p.acknowledged = true;
            }
            if e.kind == EntryKind::ShiftEnd
                && let Some(s) = self.journal.shift.as_mut()
            {
                s.ended = Some(e.at);
            }
        }
        self.checklist_entries(&entries);
        let from = self.journal.entries.len();
        self.journal.entries.extend(entries);
        self.journal.appended(from);
        self.refresh_handover();
        self.dirty = true;
    }

    /// Open the note editor (focusing the Journal).
    /// `:journal SHIFT`'s answer (and the list of shifts).
    pub(super) fn on_shift_journal(
        &mut self,
        ids: Vec<String>,
        shift: Option<Result<(String, Vec<JournalEntry>), String>>,
    ) {
        self.journal.shift_ids = ids;
        match shift {
            None => {}
            Some(Ok((id, mut entries))) => {
                let n = entries.len();
                // Every frame draws what is browsed: a long shift's last
                // entries, the CLI prints them all.
                let cut = n.saturating_sub(BROWSE_KEPT);
                entries.drain(..cut);
                self.journal.browsing = Some((id.clone(), entries));
                self.journal.browsing_scroll = 0;
                self.set_focus(Pane::Journal);
                let back = self.key_name(Context::Journal, Action::Back);
                let what = if cut > 0 {
                    format!(
                        "the last {BROWSE_KEPT} of {n} entries (shiftdeck journal show --shift {id} prints them all)"
                    )
                } else {
                    crate::domain::format::plural(n, "entry", "entries")
                };
                self.flash(
                    Level::Info,
                    format!("shift {id}: {what} ({back} back to this shift)"),
                );
            }
            Some(Err(why)) => self.flash(Level::Warning, why),
        }
        self.dirty = true;
    }

    /// `enter` in the Journal: the selected entry, whole.
    pub(super) fn read_entry(&mut self) {
        if let Some(i) = self
            .journal
            .selected_index()
            .and_then(|p| self.journal.entry_at(p))
        {
            self.journal.reading = Some(i);
            self.journal.reading_scroll = 0;
        }
    }

    pub(super) fn start_note(&mut self) {
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return;
        }
        self.focus = Pane::Journal;
        self.journal.editing = true;
        self.relayout();
    }

    pub(super) fn on_editor_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) {
        match self.layer_action(Context::Editor, &key) {
            Some(Action::Cancel) => {
                // Leaving keeps the draft: nothing is lost on Esc.
                self.journal.editing = false;
                if self.journal.has_draft() {
                    let again = self.keymap.key_for(Context::Global, Action::WriteNote);
                    let save = self.keymap.key_for(Context::Editor, Action::Save);
                    self.flash(
                        Level::Info,
                        format!(
                            "draft kept: {} to go on writing, {} in the editor saves",
                            again.as_deref().unwrap_or(":note"),
                            save.as_deref().unwrap_or("save")
                        ),
                    );
                }
            }
            Some(Action::Save) => self.save_note(fx),
            Some(Action::ExternalEditor) => {
                if !self.readonly {
                    // The draft is on disk before the terminal is handed over.
                    self.journal.draft_dirty = false;
                    self.journal.draft_saved_at = Some(self.now);
                    fx.push(Effect::SaveDraft {
                        text: self.journal.draft_text(),
                    });
                }
                self.redraw_whole = true;
                fx.push(Effect::EditExternally(self.journal.draft_text()));
            }
            _ => {
                if self.journal.editor.input(key) {
                    self.journal.draft_dirty = true;
                }
            }
        }
    }

    /// The note as `$EDITOR` left it: it replaces the draft (saved with
    /// the next tick), to read over and save with ctrl-s.
    pub(super) fn on_note_edited(&mut self, result: Result<String, String>) {
        match result {
            Ok(text) => {
                // A file an editor wrote may hold anything: lines, no controls.
                let text = crate::domain::sanitize::line_breaks(&text);
                let text = crate::domain::sanitize::text(&text);
                self.journal.editor =
                    note_area(text.trim_end().lines().map(str::to_string).collect());
                self.journal
                    .editor
                    .move_cursor(ratatui_textarea::CursorMove::Bottom);
                self.journal
                    .editor
                    .move_cursor(ratatui_textarea::CursorMove::End);
                self.journal.draft_dirty = true;
                self.journal.editing = true;
                self.set_focus(Pane::Journal);
                let save = self.key_name(Context::Editor, Action::Save);
                self.flash(
                    Level::Info,
                    format!("the note is back from the editor: {save} saves it"),
                );
            }
            Err(why) => self.flash(Level::Error, format!("{why} (the draft is kept)")),
        }
        self.redraw_whole = true;
        self.dirty = true;
    }

    pub(super) fn save_note(&mut self, fx: &mut Vec<Effect>) {
        let text = self.journal.draft_text();
        if text.trim().is_empty() {
            self.flash(Level::Warning, "nothing to save: type the note first");
            return;
        }
        let request = self.request();
        self.flash(Level::Info, "saving the note…");
        fx.push(Effect::SaveNote {
            request,
            text: text.trim_end().to_string(),
            tags: Vec::new(),
            draft: true,
        });
    }

    /// `:note TEXT`, `:blocker TEXT`, `:cleared TEXT`, `:deviation TEXT`:
    /// a one-line note, filed under `tag` when given.
    pub(super) fn quick_note(&mut self, text: &str, tag: Option<&str>, fx: &mut Vec<Effect>) {
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return;
        }
        if text.trim().is_empty() {
            let usage = match tag {
                Some(standing::BLOCKER) => ":blocker WHAT IS BLOCKED AND THE TICKET (PROC-4411)",
                Some(standing::CLEARED) => ":cleared THE TICKET OR WHAT IT WAS, AND HOW",
                Some(_) => ":deviation WHAT WAS DONE OTHERWISE AND WHY",
                None => ":note TEXT",
            };
            self.flash(Level::Warning, format!("nothing to save: {usage}"));
            return;
        }
        let request = self.request();
        fx.push(Effect::SaveNote {
            request,
            text: text.trim().to_string(),
            tags: tag.map(|t| vec![t.to_string()]).unwrap_or_default(),
            draft: false,
        });
    }

    /// The store's answer to a note: saved (durable), or where it went instead.
    pub(super) fn on_note_saved(&mut self, result: Result<Vec<String>, Unsaved>) {
        match result {
            Ok(redacted) => {
                self.journal.editor = note_area(Vec::new());
                self.journal.draft_dirty = false;
                self.journal.editing = false;
                if redacted.is_empty() {
                    self.flash(Level::Info, "saved: the note is in the journal");
                } else {
                    self.flash(
                        Level::Warning,
                        format!("saved, with secrets redacted: {}", redacted.join(", ")),
                    );
                }
            }
            Err(unsaved) => {
                self.flash(Level::Error, unsaved.why.clone());
                if unsaved.kept() {
                    self.journal.editor = note_area(Vec::new());
                    self.journal.draft_dirty = false;
                } else {
                    // Nowhere on disk took it: it stays in the editor (and its
                    // draft), so quitting cannot lose it.
                    self.journal.draft_dirty = true;
                }
                self.journal.unsaved.push(unsaved);
            }
        }
        self.dirty = true;
    }

    /// Save the draft every few seconds while it changes.
    pub(super) fn draft_tick(&mut self, fx: &mut Vec<Effect>) {
        let due = self
            .journal
            .draft_saved_at
            .is_none_or(|t| (self.now - t).num_seconds() >= DRAFT_EVERY_SECS);
        if self.journal.draft_dirty && due && !self.readonly {
            self.journal.draft_dirty = false;
            self.journal.draft_saved_at = Some(self.now);
            fx.push(Effect::SaveDraft {
                text: self.journal.draft_text(),
            });
        }
    }

    /// On the way out (quit, hang-up): the draft goes to disk first.
    pub(super) fn final_draft(&mut self, fx: &mut Vec<Effect>) {
        if !self.readonly && (self.journal.draft_dirty || self.journal.has_draft()) {
            self.journal.draft_dirty = false;
            fx.push(Effect::SaveDraft {
                text: self.journal.draft_text(),
            });
        }
    }

    pub(super) fn open_handover(&mut self) {
        self.journal.handover = Some(HandoverView {
            summary: note_area(Vec::new()),
            editing_summary: true,
            markdown: String::new(),
            hold: true,
            scroll: 0,
        });
        self.refresh_handover();
    }

    /// Rebuild the handover preview from the journal and the live state.
    pub(super) fn refresh_handover(&mut self) {
        let Some(view) = self.journal.handover.as_ref() else {
            return;
        };
        let summary = view.summary.lines().join("\n");
        let (shift, started) = match &self.journal.shift {
            Some(s) => (s.id.clone(), s.started),
            None => ("(no shift)".to_string(), self.shift_started),
        };
        let states = self.health.states();
        let report = handover::build(&HandoverInput {
            earlier: &self.journal.earlier,
            shift: &shift,
            operator: &self.config.operator,
            started,
            now: self.now,
            timezone: self.config.timezone,
            summary: &summary,
            journal: &self.journal.entries,
            book: &self.book,
            integrations: states.as_deref(),
            unsent_messages: self.calls.unsent.clone(),
            pending_approvals: self.approvals.loaded.then(|| {
                let mut open: Vec<&crate::domain::approval::ApprovalRecord> = self
                    .approvals
                    .records
                    .iter()
                    .filter(|r| r.state.is_open())
                    .collect();
                open.sort_by(|a, b| a.risk.cmp(&b.risk).then(a.created_at.cmp(&b.created_at)));
                open.iter()
                    .map(|r| crate::domain::handover::approval_line(r, self.now))
                    .collect()
            }),
            unfinished_steps: self.checklists.loaded.then(|| {
                crate::domain::checklist::unfinished(
                    &self.checklists.lists,
                    &self.checklists.progress,
                )
            }),
        });
        if let Some(view) = self.journal.handover.as_mut() {
            view.markdown = report.to_markdown_in(&self.strings);
            view.hold = report.is_hold();
        }
    }

    pub(super) fn on_handover_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) {
        let action = self.layer_action(Context::Handover, &key);
        let readonly = self.readonly;
        let Some(view) = self.journal.handover.as_mut() else {
            return;
        };
        match action {
            Some(Action::Cancel) => {
                self.journal.handover = None;
                return;
            }
            Some(Action::EditSummary) => view.editing_summary = !view.editing_summary,
            Some(Action::Publish) => {
                if readonly {
                    self.flash(Level::Error, super::update::READONLY);
                    return;
                }
                let markdown = view.markdown.clone();
                let hold = view.hold;
                self.dialog = Some(super::Dialog::PublishHandover { markdown, hold });
                return;
            }
            _ if view.editing_summary => {
                view.summary.input(key);
                self.refresh_handover();
                return;
            }
            Some(a) => {
                self.scroll_text(super::scrolling::Scroll::Handover, a);
            }
            None => {}
        }
        let _ = fx;
    }

    pub(super) fn on_previous_key(&mut self, key: KeyEvent, fx: &mut Vec<Effect>) {
        match self.layer_action(Context::Previous, &key) {
            Some(Action::AcknowledgeHandover) => {
                if let Some(p) = self.journal.previous.clone() {
                    if self.readonly {
                        self.flash(Level::Error, super::update::READONLY);
                    } else if !p.acknowledged {
                        let request = self.request();
                        fx.push(Effect::AckHandover {
                            request,
                            of_shift: p.shift.clone(),
                            from: p.from.clone(),
                        });
                        self.flash(
                            Level::Info,
                            format!("recording that you read {}'s handover…", p.from),
                        );
                    }
                }
                self.journal.show_previous = false;
            }
            Some(Action::Cancel) => {
                self.journal.show_previous = false;
                self.flash(
                    Level::Warning,
                    "handover not acknowledged yet: :previous shows it again",
                );
            }
            Some(a) => {
                self.scroll_text(super::scrolling::Scroll::Previous, a);
            }
            None => {}
        }
    }
}

/// How `:change` is written.
pub const CHANGE_USAGE: &str = "usage: :change TYPE IMPACT DOWNTIME TITLE -- ROLLBACK (e.g. :change hotfix low none Restarted the HEC forwarder -- restart the old unit)";

impl App {
    /// `:change TYPE IMPACT DOWNTIME TITLE -- ROLLBACK`: a change record,
    /// checked here by the record's own rule, written by the store.
    pub(super) fn change_command(&mut self, arg: &str, fx: &mut Vec<Effect>) {
        if self.readonly {
            self.flash(Level::Error, super::update::READONLY);
            return;
        }
        let (head, rollback) = match arg.split_once(" -- ") {
            Some((h, r)) => (h, r),
            None => (arg, ""),
        };
        let mut words = head.split_whitespace();
        let (Some(kind), Some(impact), Some(downtime)) = (words.next(), words.next(), words.next())
        else {
            self.flash(Level::Error, CHANGE_USAGE);
            return;
        };
        let title = words.collect::<Vec<_>>().join(" ");
        match crate::domain::change::ChangeRecord::new(&title, kind, impact, downtime, "", rollback)
        {
            Ok(record) => {
                let request = self.request();
                fx.push(Effect::RecordChange { request, record });
            }
            Err(e) => self.flash(Level::Error, format!("{e} — {CHANGE_USAGE}")),
        }
    }
}

/// Entries of an earlier shift `:journal ID` shows at most.
pub const BROWSE_KEPT: usize = 2000;

/// A text area for prose (a note, the handover summary): it soft-wraps at
/// words, so a long line reads whole instead of scrolling sideways.
pub fn note_area(lines: Vec<String>) -> TextArea<'static> {
    let mut t = if lines.is_empty() {
        TextArea::default()
    } else {
        TextArea::new(lines)
    };
    t.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    t
}
