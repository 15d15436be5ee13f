//! Scrolled text: every detail, popup and the help scroll by one rule. The
//! drawing measures each one it draws (its rows on screen and how far it
//! can scroll) and hands that back with the frame; `update` moves within
//! what was measured, so `G` lands on the last page and `k` after it moves
//! at once, in every layer alike.

use super::layers::Layer;
use super::{Action, App, Pane};
use std::collections::BTreeMap;

/// A text that scrolls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scroll {
    IncidentDetail,
    ApprovalDetail,
    StepDetail,
    HealthDetail,
    JournalEntry,
    ShiftJournal,
    Handover,
    Previous,
    Contacts,
    Messages,
    Help,
    Problems,
}

/// What the drawing found: the rows a text had on screen and the furthest
/// it can scroll (its last page at the bottom).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct View {
    pub rows: u16,
    pub max: u16,
}

/// Every text measured in the last frame.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Measured {
    pub views: BTreeMap<Scroll, View>,
    /// The rows of the search's matches in the text searched, in order.
    pub matches: BTreeMap<Scroll, Vec<u16>>,
    /// Vendor links on screen: column, row, the characters there, the url.
    pub links: Vec<(u16, u16, String, String)>,
}

/// `/` in a text read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSearch {
    pub which: Scroll,
    /// Lower case; empty while nothing is typed.
    pub needle: String,
    /// The match last scrolled to, an index into the measured rows.
    pub current: Option<usize>,
    /// Go to the first match once the next frame has found the rows.
    pub jump: bool,
}

impl Measured {
    pub fn set(&mut self, which: Scroll, view: View) {
        self.views.insert(which, view);
    }
}

/// Rows a page moves when nothing was measured yet.
pub const DEFAULT_PAGE: usize = 10;

/// The new offset after a move `action`, within `view` when it was
/// measured. A page is the rows on screen less one, so a line stays in
/// sight across the move.
pub fn moved(at: u16, action: Action, view: Option<View>) -> Option<u16> {
    let max = view.map(|v| v.max).unwrap_or(u16::MAX / 2);
    let page = view
        .map(|v| v.rows.saturating_sub(1).max(1))
        .unwrap_or(DEFAULT_PAGE as u16);
    let at = at.min(max);
    Some(match action {
        Action::Up => at.saturating_sub(1),
        Action::Down => at.saturating_add(1).min(max),
        Action::PageUp => at.saturating_sub(page),
        Action::PageDown => at.saturating_add(page).min(max),
        Action::Top => 0,
        Action::Bottom => max,
        _ => return None,
    })
}

/// Rows a list's page moves: its rows on screen less one.
pub fn list_page(viewport: usize) -> isize {
    viewport.saturating_sub(1).max(1) as isize
}

impl App {
    /// The text that scrolls on top now, if the top layer is one.
    pub fn scrolled_text(&self) -> Option<Scroll> {
        self.scrolled_text_of(self.top_layer())
    }

    /// Whether the help was opened over a text read whole (its reading
    /// keys are live there).
    pub fn help_over_reading(&self) -> bool {
        let layers = self.layers();
        let below = layers.iter().rev().nth(1).copied().unwrap_or(Layer::Panes);
        !matches!(below, Layer::Problems) && self.scrolled_text_of(below).is_some()
    }

    fn scrolled_text_of(&self, layer: Layer) -> Option<Scroll> {
        Some(match layer {
            Layer::Help => Scroll::Help,
            Layer::Problems => Scroll::Problems,
            Layer::Contacts => Scroll::Contacts,
            Layer::Messages => Scroll::Messages,
            Layer::Previous => Scroll::Previous,
            Layer::Handover => Scroll::Handover,
            Layer::StepDetail => Scroll::StepDetail,
            Layer::HealthDetail => Scroll::HealthDetail,
            Layer::Panes => match self.focus {
                Pane::Incidents
                    if self.incidents.detail.is_some() || self.incidents.viewing.is_some() =>
                {
                    Scroll::IncidentDetail
                }
                Pane::Approvals if self.approvals.detail.is_some() => Scroll::ApprovalDetail,
                Pane::Journal if self.journal.reading.is_some() => Scroll::JournalEntry,
                Pane::Journal if self.journal.browsing.is_some() => Scroll::ShiftJournal,
                _ => return None,
            },
            Layer::Editor | Layer::Dialog => return None,
        })
    }

    fn offset_of(&mut self, which: Scroll) -> &mut u16 {
        match which {
            Scroll::IncidentDetail => &mut self.incidents.detail_scroll,
            Scroll::ApprovalDetail => &mut self.approvals.detail_scroll,
            Scroll::StepDetail => &mut self.checklists.detail_scroll,
            Scroll::HealthDetail => &mut self.health.detail_scroll,
            Scroll::JournalEntry => &mut self.journal.reading_scroll,
            Scroll::ShiftJournal => &mut self.journal.browsing_scroll,
            Scroll::Handover => match self.journal.handover.as_mut() {
                Some(v) => &mut v.scroll,
                None => &mut self.help_scroll,
            },
            Scroll::Previous => &mut self.journal.previous_scroll,
            Scroll::Contacts => &mut self.calls.contacts_scroll,
            Scroll::Messages => &mut self.messages_scroll,
            Scroll::Help | Scroll::Problems => &mut self.help_scroll,
        }
    }

    pub(super) fn scroll_offset(&mut self, which: Scroll) -> u16 {
        let max = self.measured.views.get(&which).map_or(u16::MAX, |v| v.max);
        (*self.offset_of(which)).min(max)
    }

    pub(super) fn set_scroll_offset(&mut self, which: Scroll, to: u16) {
        *self.offset_of(which) = to;
        self.dirty = true;
    }

    /// Scroll `which` by a move action; false when `action` is no move.
    pub(super) fn scroll_text(&mut self, which: Scroll, action: Action) -> bool {
        let view = self.measured.views.get(&which).copied();
        let at = *self.offset_of(which);
        match moved(at, action, view) {
            Some(to) => {
                *self.offset_of(which) = to;
                self.dirty = true;
                true
            }
            None => false,
        }
    }

    /// Where a pane's list selection is, `(index, rows)`, while its list
    /// (not a detail) is on screen.
    pub fn list_position(&self, pane: Pane) -> Option<(usize, usize)> {
        let (at, len) = match pane {
            Pane::Incidents
                if self.incidents.detail.is_none() && self.incidents.viewing.is_none() =>
            {
                (self.incidents.selected, self.incidents.visible.len())
            }
            Pane::Approvals if self.approvals.detail.is_none() => {
                (self.approvals.selected, self.approvals.visible.len())
            }
            Pane::Checklists => (self.checklists.selected, self.checklists.rows.len()),
            Pane::Health => (self.health.selected, self.health.visible().len()),
            Pane::Journal if self.journal.reading.is_none() && self.journal.browsing.is_none() => (
                self.journal.selected_index().unwrap_or(0),
                self.journal.len(),
            ),
            _ => return None,
        };
        (len > 0).then_some((at, len))
    }

    /// The last frame's measurements (the runtime hands them over after
    /// each draw; nothing to redraw for them).
    pub fn set_measured(&mut self, measured: Measured) {
        self.measured = measured;
        if let Some(s) = self.search.as_mut()
            && s.jump
        {
            s.jump = false;
            self.jump_to_match(true, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bottom_is_the_last_page_and_up_moves_from_it() {
        let v = Some(View { rows: 10, max: 30 });
        assert_eq!(moved(0, Action::Bottom, v), Some(30));
        assert_eq!(moved(30, Action::Up, v), Some(29));
        assert_eq!(moved(30, Action::Down, v), Some(30));
        // An offset from before the text shrank moves from the new end.
        assert_eq!(moved(u16::MAX, Action::Up, v), Some(29));
    }

    #[test]
    fn a_page_is_the_rows_on_screen_less_one() {
        let v = Some(View { rows: 10, max: 30 });
        assert_eq!(moved(0, Action::PageDown, v), Some(9));
        assert_eq!(moved(25, Action::PageDown, v), Some(30));
        assert_eq!(moved(5, Action::PageUp, v), Some(0));
        assert_eq!(moved(3, Action::Open, v), None);
    }

    #[test]
    fn a_text_that_fits_does_not_move() {
        let v = Some(View { rows: 10, max: 0 });
        for a in [Action::Down, Action::PageDown, Action::Bottom] {
            assert_eq!(moved(0, a, v), Some(0));
        }
    }
}
