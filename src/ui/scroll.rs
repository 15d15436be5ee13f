//! Scrolled text, drawn one way everywhere: wrapped, clamped to its last
//! page (an offset past it shows the last page, never a blank pane), with
//! a scrollbar when it does not fit, and measured for `update`.

use crate::app::App;
use crate::app::scrolling::{Measured, Scroll, View};
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Wrap};

/// Draw `lines` in `area` from row `offset`, and note what it measured.
pub fn text(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'_>>,
    which: Scroll,
    offset: u16,
    m: &mut Measured,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let p = Paragraph::new(lines).wrap(Wrap { trim: false });
    let mut total = p.line_count(area.width);
    let mut text_area = area;
    let overflows = total > area.height as usize && area.width > 2;
    if overflows {
        // The last column is the scrollbar's.
        text_area.width -= 1;
        total = p.line_count(text_area.width);
    }
    let max = total
        .saturating_sub(area.height as usize)
        .min(u16::MAX as usize) as u16;
    let at = offset.min(max);
    m.set(
        which,
        View {
            rows: area.height,
            max,
        },
    );
    frame.render_widget(p.scroll((at, 0)), text_area);
    if overflows {
        let mut state = ScrollbarState::new(max as usize + 1).position(at as usize);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_symbol(Some(if app.ascii { "|" } else { "│" }))
            .thumb_symbol(if app.ascii { "#" } else { "█" })
            .style(app.theme.style(Role::Muted));
        frame.render_stateful_widget(bar, area, &mut state);
    }
}

/// `12/25`: where a list's selection is, for its title.
pub fn position(selected: usize, len: usize) -> String {
    if len == 0 {
        String::new()
    } else {
        format!("{}/{len}", selected.min(len - 1) + 1)
    }
}
