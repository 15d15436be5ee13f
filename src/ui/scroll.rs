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
    let needle = app
        .search
        .as_ref()
        .filter(|s| s.which == which && !s.needle.is_empty())
        .map(|s| s.needle.as_str());
    let (lines, hits) = match needle {
        Some(n) => marked(app, lines, n),
        None => (lines, Vec::new()),
    };
    let rows_of = |width: u16, lines: &[Line<'_>]| -> Vec<u16> {
        // The row each marked line starts on, wrapped at `width`.
        let mut rows = Vec::with_capacity(hits.len());
        let mut row = 0usize;
        let mut next = hits.iter().peekable();
        for (i, l) in lines.iter().enumerate() {
            while next.peek().is_some_and(|&&h| h == i) {
                rows.push(row.min(u16::MAX as usize) as u16);
                next.next();
            }
            if next.peek().is_none() {
                break;
            }
            row += Paragraph::new(l.clone())
                .wrap(Wrap { trim: false })
                .line_count(width)
                .max(1);
        }
        rows
    };
    let p = Paragraph::new(lines.clone()).wrap(Wrap { trim: false });
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
    if needle.is_some() {
        m.matches.insert(which, rows_of(text_area.width, &lines));
    }
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

/// Mark every match of `needle` (lower case) in `lines`; the index of
/// each line with a match, once per match.
fn marked<'a>(app: &App, lines: Vec<Line<'a>>, needle: &str) -> (Vec<Line<'a>>, Vec<usize>) {
    use crate::domain::query::find_all;
    use ratatui::text::Span;
    let hit = app
        .theme
        .style(Role::Key)
        .add_modifier(ratatui::style::Modifier::REVERSED);
    let mut hits = Vec::new();
    let out = lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            let found = find_all(&text, needle);
            if found.is_empty() {
                return line;
            }
            hits.extend(std::iter::repeat_n(i, found.len()));
            // Split each span where a match starts or ends.
            let mut spans = Vec::new();
            let mut start = 0;
            for s in &line.spans {
                let end = start + s.content.len();
                let mut cut = start;
                for &(a, b) in found.iter().filter(|(a, b)| *b > start && *a < end) {
                    let (a, b) = (a.max(start), b.min(end));
                    if a > cut {
                        spans.push(Span::styled(text[cut..a].to_string(), s.style));
                    }
                    spans.push(Span::styled(text[a..b].to_string(), s.style.patch(hit)));
                    cut = b;
                }
                if cut < end {
                    spans.push(Span::styled(text[cut..end].to_string(), s.style));
                }
                start = end;
            }
            Line { spans, ..line }
        })
        .collect();
    (out, hits)
}

/// `12/25`: where a list's selection is, for its title.
pub fn position(selected: usize, len: usize) -> String {
    if len == 0 {
        String::new()
    } else {
        format!("{}/{len}", selected.min(len - 1) + 1)
    }
}
