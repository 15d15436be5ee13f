//! The handover's Markdown as it reads in a terminal: `#` headings in the
//! header style without their marks, `**bold**` bold, `` `code` `` in the
//! key colour without backticks, `_a line_` muted, list dashes as bullets,
//! `[text](url)` as its text with the address muted after it. A line at a
//! time: the handover is written a line per item, and a mark left open at
//! a line's end is shown as typed.

use crate::app::App;
use crate::theme::Role;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

pub fn line(app: &App, raw: &str) -> Line<'static> {
    let t = &app.theme;
    let l = crate::domain::sanitize::line(raw);
    let l = l.as_ref();
    let trimmed = l.trim_start_matches('#');
    if l.starts_with('#') && (trimmed.starts_with(' ') || trimmed.is_empty()) {
        let level = l.len() - trimmed.len();
        let style = t.style(Role::Header).add_modifier(Modifier::BOLD);
        let text = trimmed.trim();
        return Line::from(inline(app, text, style)).patch_style(if level == 1 {
            Style::default().add_modifier(Modifier::UNDERLINED)
        } else {
            Style::default()
        });
    }
    if l.len() > 2 && l.starts_with('_') && l.ends_with('_') && !l[1..l.len() - 1].contains('_') {
        return Line::styled(
            l[1..l.len() - 1].to_string(),
            t.style(Role::Muted).add_modifier(Modifier::ITALIC),
        );
    }
    let base = if l.starts_with("**HOLD**") {
        t.style(Role::Error)
    } else if l.starts_with("**GREEN**") {
        t.style(Role::Ok)
    } else {
        Style::default()
    };
    // A list item: its dash becomes a bullet, its indent kept.
    let indent = l.len() - l.trim_start().len();
    let rest = &l[indent..];
    if let Some(item) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("* ")) {
        let bullet = if app.ascii { "- " } else { "• " };
        let mut spans = vec![Span::raw(format!("{}{bullet}", &l[..indent]))];
        spans.extend(inline(app, item, base));
        return Line::from(spans);
    }
    Line::from(inline(app, l, base))
}

/// Bold, code and links within a line; an unclosed mark stays as typed.
fn inline(app: &App, text: &str, base: Style) -> Vec<Span<'static>> {
    let t = &app.theme;
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("**")
            && let Some(end) = after.find("**")
            && end > 0
        {
            flush(&mut out, &mut plain, base);
            out.push(Span::styled(
                after[..end].to_string(),
                base.add_modifier(Modifier::BOLD),
            ));
            rest = &after[end + 2..];
            continue;
        }
        if let Some(after) = rest.strip_prefix('`')
            && let Some(end) = after.find('`')
            && end > 0
        {
            flush(&mut out, &mut plain, base);
            out.push(Span::styled(after[..end].to_string(), t.style(Role::Key)));
            rest = &after[end + 1..];
            continue;
        }
        if let Some(after) = rest.strip_prefix('[')
            && let Some(close) = after.find("](")
            && let Some(end) = after[close + 2..].find(')')
        {
            flush(&mut out, &mut plain, base);
            let label = &after[..close];
            let url = &after[close + 2..close + 2 + end];
            out.push(Span::styled(
                label.to_string(),
                base.add_modifier(Modifier::UNDERLINED),
            ));
            out.push(Span::styled(format!(" <{url}>"), t.style(Role::Muted)));
            rest = &after[close + 3 + end..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut out, &mut plain, base);
    out
}

fn flush(out: &mut Vec<Span<'static>>, plain: &mut String, style: Style) {
    if !plain.is_empty() {
        out.push(Span::styled(std::mem::take(plain), style));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::App;

    fn app() -> App {
        App::new(
            crate::config::Config::defaults(),
            crate::keymap::Keymap::default_keymap(),
            crate::theme::Theme::default_theme(),
            chrono::Utc::now(),
        )
    }

    fn text(l: &Line) -> String {
        l.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn marks_are_rendered_not_shown() {
        let a = app();
        let h = line(&a, "## Open incidents (2)");
        assert_eq!(text(&h), "Open incidents (2)");
        assert!(h.spans[0].style.add_modifier.contains(Modifier::BOLD));
        let l = line(
            &a,
            "- **P1** `inc_1` gateway — see [runbook](https://x.example/r)",
        );
        assert_eq!(
            text(&l),
            "• P1 inc_1 gateway — see runbook <https://x.example/r>"
        );
        assert!(l.spans[1].style.add_modifier.contains(Modifier::BOLD));
        let m = line(&a, "_no notes this shift_");
        assert_eq!(text(&m), "no notes this shift");
    }

    #[test]
    fn an_unclosed_mark_and_controls_stay_harmless() {
        let a = app();
        assert_eq!(text(&line(&a, "a **b and `c")), "a **b and `c");
        assert_eq!(text(&line(&a, "#hashtag")), "#hashtag");
        assert!(!text(&line(&a, "x \u{1b}[2J y")).contains('\u{1b}'));
    }
}
