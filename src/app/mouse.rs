//! The mouse: a click focuses the pane under it and selects the row; the
//! wheel scrolls the list or the text under it. Over a layer (a popup, a
//! dialog) the wheel scrolls the text on top and a click does nothing: a
//! dialog is answered with keys.

use super::layers::Layer;
use super::{Action, App, Pane};
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

/// Rows a wheel notch moves.
const WHEEL_ROWS: usize = 3;

impl App {
    pub(super) fn on_mouse(&mut self, ev: MouseEvent) {
        if !self.config.mouse {
            return;
        }
        let at = Position::new(ev.column, ev.row);
        let wheel = match ev.kind {
            MouseEventKind::ScrollDown => Some(Action::Down),
            MouseEventKind::ScrollUp => Some(Action::Up),
            _ => None,
        };
        if self.top_layer() != Layer::Panes {
            if let (Some(a), Some(which)) = (wheel, self.scrolled_text()) {
                for _ in 0..WHEEL_ROWS {
                    self.scroll_text(which, a);
                }
            }
            return;
        }
        let area = Rect::new(0, 0, self.size.0, self.size.1);
        let Some(screen) = crate::ui::layout::screen(self, area) else {
            return;
        };
        if let Some(tabs) = screen.tabs
            && tabs.contains(at)
            && ev.kind == MouseEventKind::Down(MouseButton::Left)
        {
            // The tab row: " 1 Checklists   2 Incidents …", each a fixed run.
            if let Some(p) = tab_at(ev.column.saturating_sub(tabs.x), &self.strings) {
                self.set_focus(p);
                self.dirty = true;
            }
            return;
        }
        let Some((pane, rect)) = screen.panes.iter().copied().find(|(_, r)| r.contains(at)) else {
            return;
        };
        match (ev.kind, wheel) {
            (_, Some(a)) => {
                if self.focus != pane {
                    self.set_focus(pane);
                }
                for _ in 0..WHEEL_ROWS {
                    self.move_in(a);
                }
                self.dirty = true;
            }
            (MouseEventKind::Down(MouseButton::Left), None) => {
                if self.focus != pane {
                    self.set_focus(pane);
                }
                if let Some(row) = self.first_list_row(pane, rect)
                    && ev.row >= row
                    && ev.row < rect.y + rect.height.saturating_sub(1)
                {
                    self.select_on_screen(pane, (ev.row - row) as usize);
                }
                self.dirty = true;
            }
            _ => {}
        }
    }

    /// The screen row of a pane's first list row, while its list shows.
    fn first_list_row(&self, pane: Pane, rect: Rect) -> Option<u16> {
        self.list_position(pane)?;
        let inner = rect.y + 1;
        Some(match pane {
            // A header row over the table.
            Pane::Incidents | Pane::Health => inner + 1,
            Pane::Approvals => {
                // Where the drawing puts the list, below its banners.
                let inside = Rect {
                    x: rect.x + 1,
                    y: inner,
                    width: rect.width.saturating_sub(2),
                    height: rect.height.saturating_sub(2),
                };
                let [_, body, _] = crate::ui::approvals::regions(self, inside);
                body.y + 1
            }
            Pane::Checklists => inner,
            Pane::Journal => {
                let j = &self.journal;
                let above = 1
                    + usize::from(j.previous.as_ref().is_some_and(|p| !p.acknowledged))
                    + j.unsaved.len();
                inner + above as u16
            }
        })
    }

    /// Select the `k`th row on screen of a pane's list.
    fn select_on_screen(&mut self, pane: Pane, k: usize) {
        match pane {
            Pane::Incidents => {
                let i = self.incidents.offset + k;
                if i < self.incidents.visible.len() {
                    self.incidents.selected = i;
                }
            }
            Pane::Approvals => {
                let i = self.approvals.offset + k;
                if i < self.approvals.visible.len() {
                    self.approvals.selected = i;
                }
            }
            Pane::Checklists => {
                let i = self.checklists.offset + k;
                if i < self.checklists.rows.len() {
                    self.checklists.selected = i;
                }
            }
            Pane::Health => {
                let i = self.health.offset + k;
                if i < self.health.visible().len() {
                    self.health.selected = i;
                }
            }
            Pane::Journal => {
                let (start, end) = self.journal.window(self.journal.viewport);
                let i = start + k;
                if i < end {
                    self.journal.selected = Some(i);
                    self.journal.offset = start;
                }
            }
        }
    }
}

/// The pane whose tab is at column `x` of the tab row.
fn tab_at(x: u16, strings: &crate::domain::i18n::Strings) -> Option<Pane> {
    // Each tab is " N Title " and a space.
    let mut start = 0u16;
    for (n, p) in Pane::ALL.iter().enumerate() {
        let w = unicode_width::UnicodeWidthStr::width(
            format!(" {} {} ", n + 1, p.label(strings)).as_str(),
        ) as u16;
        if x >= start && x < start + w {
            return Some(*p);
        }
        start += w + 1;
    }
    None
}
