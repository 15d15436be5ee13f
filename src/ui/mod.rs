//! Rendering: pure functions of `&App` into a ratatui frame. Nothing here
//! reads the clock, the disk or the environment.

pub mod approvals;
mod calls;
mod checklists;
mod dialogs;
pub mod edge;
mod health;
mod incident_work;
mod incidents;
mod journal;
pub mod layout;
mod markdown;
mod overlays;
pub mod scroll;
mod status;

use crate::app::scrolling::Measured;
use crate::app::{App, Dialog, Pane};
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::symbols::border;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// Draw the whole screen, and say what it measured of each text that
/// scrolls (for `update`, which moves within it).
pub fn render(app: &App, frame: &mut Frame) -> Measured {
    let mut m = Measured::default();
    let area = frame.area();
    let Some(screen) = layout::screen(app, area) else {
        too_small(app, frame, area);
        return m;
    };
    status::status_bar(app, frame, screen.status);
    if let Some(tabs) = screen.tabs {
        status::tab_row(app, frame, tabs);
    }
    for (pane, rect) in &screen.panes {
        let block = pane_block(app, *pane, *rect);
        let inner = block.inner(*rect);
        frame.render_widget(block, *rect);
        match pane {
            Pane::Incidents => incidents::render(app, frame, inner, &mut m),
            Pane::Journal => journal::render(app, frame, inner, &mut m),
            Pane::Approvals => approvals::render(app, frame, inner, &mut m),
            Pane::Checklists => checklists::render(app, frame, inner),
            Pane::Health => health::render(app, frame, inner),
        }
    }
    status::hint_row(app, frame, screen.hints);
    dialogs::render(app, frame, area, &mut m);
    // A message of two rows reaches over what the layers drew (a popup's
    // bottom border); a line prompt keeps its row and shows it itself.
    let prompt = matches!(
        app.dialog,
        Some(Dialog::Filter(_) | Dialog::Search(_) | Dialog::Command(_))
    );
    if app.flash.is_some() && !prompt {
        status::hint_row(app, frame, screen.hints);
    }
    if app.ascii {
        ascii_only(frame);
    }
    if app.top_layer() == crate::app::layers::Layer::Panes {
        find_links(app, frame, &mut m);
    }
    m
}

/// Where the open incident's vendor link shows, row by row (it may wrap),
/// so the runtime makes it a terminal hyperlink (OSC 8) over the same
/// characters.
fn find_links(app: &App, frame: &mut Frame, m: &mut Measured) {
    let Some(url) = app
        .incidents
        .detail
        .as_deref()
        .and_then(|id| app.book.get(id))
        .and_then(|i| i.remote.as_ref()?.url.as_deref())
        .and_then(crate::domain::sanitize::safe_link)
    else {
        return;
    };
    let buf = frame.buffer_mut();
    let area = buf.area;
    let mut rest = url;
    for y in area.y..area.y + area.height {
        if rest.is_empty() {
            break;
        }
        // The row's text with each cell's column, ASCII cells only (a URL is).
        let cells: Vec<(u16, &str)> = (area.x..area.x + area.width)
            .map(|x| (x, buf[(x, y)].symbol()))
            .collect();
        let row: String = cells
            .iter()
            .map(|(_, s)| if s.len() == 1 { *s } else { "\u{1}" })
            .collect();
        let probe = &rest[..rest.len().min(12)];
        let Some(start) = row.find(probe) else {
            if rest.len() < url.len() {
                break;
            }
            continue;
        };
        let run = row[start..]
            .bytes()
            .zip(rest.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        m.links
            .push((cells[start].0, y, rest[..run].to_string(), url.to_string()));
        rest = &rest[run..];
    }
}

/// `--ascii` (TERM=linux, a non-UTF-8 locale): the punctuation and symbols
/// every pane draws, in their ASCII stand-ins, whatever text drew them.
fn ascii_only(frame: &mut Frame) {
    for cell in frame.buffer_mut().content.iter_mut() {
        if let Some(plain) = ascii_stand_in(cell.symbol()) {
            cell.set_symbol(plain);
        }
    }
}

/// The ASCII stand-in of a symbol drawn on screen, if it is not ASCII.
pub fn ascii_stand_in(symbol: &str) -> Option<&'static str> {
    if symbol.is_ascii() {
        return None;
    }
    Some(match symbol {
        "·" | "•" => "-",
        "—" | "–" | "─" | "━" | "═" => "-",
        "│" | "┃" | "║" => "|",
        "┌" | "┐" | "└" | "┘" | "┏" | "┓" | "┗" | "┛" | "├" | "┤" | "┬" | "┴" | "┼" => {
            "+"
        }
        "↑" | "▲" => "^",
        "↓" | "▼" => "v",
        "→" | "▶" | "▸" | "›" | "»" => ">",
        "←" | "◀" | "‹" | "«" => "<",
        "▾" => "v",
        "…" => ".",
        "✓" | "✔" => "+",
        "✗" | "✘" | "×" => "x",
        "●" | "◆" | "★" => "*",
        "○" | "◇" => "o",
        "⚑" => "!",
        "⧗" => "~",
        "█" | "▇" | "▆" => "#",
        "▅" | "▄" => "|",
        "▃" | "▂" => ":",
        "▁" => ".",
        "±" => "+",
        "“" | "”" | "„" => "\"",
        "‘" | "’" => "'",
        "≥" => ">",
        "≤" => "<",
        _ => return None,
    })
}

/// A hint line from the keymap: "enter saves · esc cancels", each action's
/// simplest key in the context. An action with no key there is left out, so
/// a hint never names a key that does not do what it says.
pub(super) fn hint(
    app: &App,
    ctx: crate::keymap::Context,
    parts: &[(crate::action::Action, &str)],
) -> String {
    hint_keys(app, ctx, parts, 1)
}

/// As [`hint`], naming up to `n` keys of each ("y confirms").
pub(super) fn hint_keys(
    app: &App,
    ctx: crate::keymap::Context,
    parts: &[(crate::action::Action, &str)],
    n: usize,
) -> String {
    parts
        .iter()
        .filter_map(|(action, what)| {
            let keys = app.keymap.keys_for(ctx, *action);
            (!keys.is_empty()).then(|| format!("{} {what}", keys[..keys.len().min(n)].join(" or ")))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let text = format!(
        "terminal too small: {}x{}, shiftdeck needs {}x{}",
        area.width,
        area.height,
        layout::MIN_WIDTH,
        layout::MIN_HEIGHT
    );
    let p = Paragraph::new(text)
        .style(app.theme.style(Role::Warning))
        .wrap(Wrap { trim: true });
    frame.render_widget(p, area);
}

/// ASCII-only border glyphs for terminals without line drawing.
const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

const ASCII_FOCUS_BORDER: border::Set = border::Set {
    top_left: "#",
    top_right: "#",
    bottom_left: "#",
    bottom_right: "#",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "=",
    horizontal_bottom: "=",
};

/// A bordered block; the focused pane gets a heavier border and the focus style.
pub(crate) fn framed<'a>(app: &App, title: Line<'a>, focused: bool) -> Block<'a> {
    let set = match (app.ascii, focused) {
        (true, true) => ASCII_FOCUS_BORDER,
        (true, false) => ASCII_BORDER,
        (false, true) => border::THICK,
        (false, false) => border::PLAIN,
    };
    let style = if focused {
        app.theme.style(Role::FocusBorder)
    } else {
        app.theme.style(Role::Border)
    };
    Block::default()
        .borders(Borders::ALL)
        .border_set(set)
        .border_style(style)
        .title(title)
}

fn pane_block<'a>(app: &App, pane: Pane, _rect: Rect) -> Block<'a> {
    let focused = app.focus == pane;
    let mut spans = vec![Span::raw(" ")];
    if focused && app.theme.markers {
        spans.push(Span::styled("> ", app.theme.style(Role::FocusBorder)));
    }
    let n = Pane::ALL.iter().position(|p| *p == pane).unwrap_or(0) + 1;
    spans.push(Span::styled(
        format!("{n} {}", pane.label(&app.strings)),
        app.theme.style(Role::Title),
    ));
    // Every pane says its filter and how many rows it keeps, alike, first: the
    // count must not be cut off a narrow border.
    let filter = app.filter_of(pane);
    if !filter.is_empty() {
        let shown = crate::domain::sanitize::line(filter);
        spans.push(Span::styled(
            format!(" /{shown}"),
            app.theme.style(Role::Key),
        ));
        spans.push(Span::styled(
            format!(
                " ({})",
                crate::domain::format::plural(app.match_count(pane), "match", "matches")
            ),
            app.theme.style(Role::Muted),
        ));
    }
    if pane == Pane::Incidents {
        spans.extend(incidents::title_suffix(app));
    }
    if pane == Pane::Approvals {
        spans.extend(approvals::title_suffix(app));
    }
    if pane == Pane::Checklists {
        spans.extend(checklists::title_suffix(app));
    }
    if pane == Pane::Health {
        spans.extend(health::title_suffix(app));
    }
    if app.zoomed && focused {
        spans.push(Span::styled(" [zoom]", app.theme.style(Role::Muted)));
    }
    spans.push(Span::raw(" "));
    let block = framed(app, Line::from(spans), focused);
    // Where the selection is, at the right of the top border.
    match app.list_position(pane) {
        Some((at, len)) => block.title_top(
            Line::styled(
                format!(" {} ", scroll::position(at, len)),
                app.theme.style(Role::Muted),
            )
            .right_aligned(),
        ),
        None => block,
    }
}

/// The selected row's style in the focused pane, the whole row wide (the
/// pointer in the gutter marks it in the others).
pub(crate) fn row_style(app: &App, pane: Pane, selected: bool) -> ratatui::style::Style {
    if selected && app.focus == pane {
        app.theme.style(Role::Selection)
    } else {
        ratatui::style::Style::default()
    }
}

/// A rectangle of at most `w` x `h` centred in `area`.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub(crate) fn muted_line<'a>(app: &App, text: impl Into<String>) -> Line<'a> {
    Line::styled(text.into(), app.theme.style(Role::Muted))
}

pub(crate) fn right_aligned(line: Line<'_>) -> Paragraph<'_> {
    Paragraph::new(line).alignment(Alignment::Right)
}
