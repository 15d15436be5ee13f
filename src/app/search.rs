//! `/` in a text read whole (a detail, an entry, a popup): the matches are
//! marked where the text is drawn, and `n`/`N` scroll from one to the
//! next. The drawing finds the row of each match (it knows the wrapping)
//! and hands the rows back with the frame, as it does a text's size.

use super::layers::Layer;
use super::scrolling::{Scroll, TextSearch};
use super::{Action, App, Dialog, Level};
use crate::keymap::Context;
use crossterm::event::KeyEvent;

impl App {
    /// The reading keys (`/`, `n`, `N`) over a text read whole; true when
    /// the key was one of them.
    pub(super) fn reading_key(&mut self, key: &KeyEvent) -> bool {
        if !self.pending_keys.is_empty()
            || matches!(self.top_layer(), Layer::Help | Layer::Problems)
        {
            return false;
        }
        let Some(which) = self.scrolled_text() else {
            return false;
        };
        if which == Scroll::Handover
            && self
                .journal
                .handover
                .as_ref()
                .is_some_and(|h| h.editing_summary)
        {
            return false;
        }
        match self.layer_action(Context::Reading, key) {
            Some(Action::SearchText) => {
                let text = match &self.search {
                    Some(s) if s.which == which => s.needle.clone(),
                    _ => String::new(),
                };
                self.search = Some(TextSearch {
                    which,
                    needle: text.clone(),
                    current: None,
                    jump: false,
                });
                self.dialog = Some(Dialog::Search(super::dialogs::line_input(&text)));
                true
            }
            Some(Action::NextMatch) => {
                self.jump_to_match(true, false);
                true
            }
            Some(Action::PrevMatch) => {
                self.jump_to_match(false, false);
                true
            }
            _ => false,
        }
    }

    /// `enter` on the search: the first match, once the frame has found
    /// where the matches are.
    pub(super) fn accept_search(&mut self) {
        if let Some(s) = self.search.as_mut() {
            s.jump = true;
            self.dirty = true;
        }
    }

    /// What the search looks for, as typed.
    pub(super) fn set_search(&mut self, text: String) {
        if let Some(s) = self.search.as_mut() {
            s.needle = text.trim().to_lowercase();
            s.current = None;
        }
    }

    /// Scroll to the next (or previous) match; `first` takes the first one
    /// at or after what is on screen.
    pub(super) fn jump_to_match(&mut self, forward: bool, first: bool) {
        let Some(search) = self.search.clone().filter(|s| !s.needle.is_empty()) else {
            let key = self.key_name(Context::Reading, Action::SearchText);
            self.flash(Level::Info, format!("{key} searches the text"));
            return;
        };
        if Some(search.which) != self.scrolled_text() {
            return;
        }
        let rows = self
            .measured
            .matches
            .get(&search.which)
            .cloned()
            .unwrap_or_default();
        if rows.is_empty() {
            self.flash(Level::Warning, format!("/{}: no match", search.needle));
            return;
        }
        let at = self.scroll_offset(search.which);
        let next = match (search.current, first) {
            (_, true) | (None, _) => {
                let from = if forward {
                    rows.iter().position(|&r| r >= at)
                } else {
                    rows.iter().rposition(|&r| r <= at)
                };
                from.unwrap_or(if forward { 0 } else { rows.len() - 1 })
            }
            (Some(c), false) if forward => (c + 1) % rows.len(),
            (Some(c), false) => (c + rows.len() - 1) % rows.len(),
        };
        let wrapped = match search.current {
            Some(c) if !first => (forward && next < c) || (!forward && next > c),
            _ => false,
        };
        // The match a row below the top: the line before it reads too.
        self.set_scroll_offset(search.which, rows[next].saturating_sub(1));
        if let Some(s) = self.search.as_mut() {
            s.current = Some(next);
        }
        let again = if wrapped {
            if forward {
                " (from the top)"
            } else {
                " (from the bottom)"
            }
        } else {
            ""
        };
        self.flash(
            Level::Info,
            format!(
                "/{}: match {} of {}{again}",
                search.needle,
                next + 1,
                rows.len()
            ),
        );
    }
}
