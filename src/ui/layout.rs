//! Where things go on screen: a pure function of the app's size and focus,
//! shared by rendering and by `update` (which needs the list's height).

use crate::app::{App, Pane};
use ratatui::layout::{Constraint, Layout, Rect};

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

pub struct Screen {
    pub status: Rect,
    pub tabs: Option<Rect>,
    pub panes: Vec<(Pane, Rect)>,
    pub hints: Rect,
}

/// The screen's regions, or `None` when the terminal is below the minimum.
pub fn screen(app: &App, area: Rect) -> Option<Screen> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [status, body, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    if app.zoomed {
        return Some(Screen {
            status,
            tabs: None,
            panes: vec![(app.focus, body)],
            hints,
        });
    }
    if app.is_wide() {
        // Left: the incidents (most used) over the checklists. Right: the
        // approvals, the health, and the journal with its note editor.
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
                .areas(body);
        let [inc, chk] =
            Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(left);
        let [appr, health, journal] = Layout::vertical([
            Constraint::Percentage(28),
            Constraint::Percentage(28),
            Constraint::Percentage(44),
        ])
        .areas(right);
        return Some(Screen {
            status,
            tabs: None,
            panes: vec![
                (Pane::Incidents, inc),
                (Pane::Checklists, chk),
                (Pane::Approvals, appr),
                (Pane::Health, health),
                (Pane::Journal, journal),
            ],
            hints,
        });
    }
    let [tabs, pane] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
    Some(Screen {
        status,
        tabs: Some(tabs),
        panes: vec![(app.focus, pane)],
        hints,
    })
}

/// A pane's area, if it is on screen.
pub fn pane_area(app: &App, pane: Pane) -> Option<Rect> {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    screen(app, area)?
        .panes
        .into_iter()
        .find(|(p, _)| *p == pane)
        .map(|(_, r)| r)
}

/// How many list rows fit in a pane: less its border and header row.
pub fn list_rows(app: &App, pane: Pane) -> usize {
    pane_area(app, pane)
        .map(|r| r.height.saturating_sub(3) as usize)
        .unwrap_or(1)
        .max(1)
}

pub fn incident_rows(app: &App) -> usize {
    list_rows(app, Pane::Incidents)
}

/// How many entry rows the Journal has: less its border, the shift line
/// and the lines that stand above the entries.
pub fn journal_rows(app: &App) -> usize {
    let j = &app.journal;
    let above =
        1 + usize::from(j.previous.as_ref().is_some_and(|p| !p.acknowledged)) + j.unsaved.len();
    let editor = if !j.editing && j.has_draft() && !app.readonly {
        let h = pane_area(app, Pane::Journal).map(|r| r.height.saturating_sub(2) / 2);
        h.unwrap_or(0).clamp(3, 10) as usize
    } else {
        0
    };
    pane_area(app, Pane::Journal)
        .map(|r| r.height.saturating_sub(2) as usize)
        .unwrap_or(1)
        .saturating_sub(above + editor)
        .max(1)
}
