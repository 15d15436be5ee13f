//! The status bar (top), the tab row (narrow terminals) and the hint row.

use crate::app::{Action, App, Level, Pane};
use crate::domain::format::coarse_duration;
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn status_bar(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let bar = t.style(Role::StatusBar);
    let sep = Span::styled(if app.ascii { " | " } else { " │ " }, bar);
    let (p1, p2) = (app.open_p1(), app.open_p2());
    let p1_style = if p1 > 0 {
        t.style(Role::SeverityP1)
    } else {
        bar
    };
    let p2_style = if p2 > 0 {
        t.style(Role::SeverityP2)
    } else {
        bar
    };
    // Pieces in order of importance; the least important drop first when narrow.
    let pieces: Vec<Vec<Span>> = vec![
        if area.width >= 100 {
            vec![
                Span::styled(" shiftdeck ", t.style(Role::Badge)),
                Span::styled(
                    format!(" {} ({})", app.config.operator, app.config.role.as_str()),
                    bar,
                ),
            ]
        } else {
            vec![Span::styled(
                format!(" {} ({})", app.config.operator, app.config.role.as_str()),
                bar,
            )]
        },
        vec![
            Span::styled(format!("P1 {p1}"), p1_style),
            Span::styled(" · ", bar),
            Span::styled(format!("P2 {p2}"), p2_style),
            Span::styled(" open", bar),
        ],
        match app.checklists.overdue(app.now, app.config.timezone) {
            0 => vec![],
            1 => vec![Span::styled("1 step OVERDUE", t.style(Role::Error))],
            n => vec![Span::styled(
                format!("{n} steps OVERDUE"),
                t.style(Role::Error),
            )],
        },
        match app.on_call_summary(area.width < 130) {
            Some(text) => vec![Span::styled(text, bar)],
            None => vec![],
        },
        vec![Span::styled(
            format!("shift {}", coarse_duration(app.now - app.shift_started)),
            bar,
        )],
        vec![match (app.approvals.loaded, app.approvals.pending()) {
            (false, _) => Span::styled("approvals —", bar),
            (true, 0) => Span::styled("approvals 0 pending", bar),
            (true, n) => Span::styled(format!("approvals {n} pending"), t.style(Role::Badge)),
        }],
        vec![match (app.health.entries.len(), app.health.not_green()) {
            (0, _) => Span::styled("not green —", bar),
            (_, 0) => Span::styled("all green", bar),
            (_, n) => Span::styled(format!("{n} not green"), t.style(Role::HealthDown)),
        }],
        vec![Span::styled(
            match app.health.last_poll {
                Some(at) => format!(
                    "last poll {}",
                    at.with_timezone(&app.config.timezone).format("%H:%M")
                ),
                None => "last poll —".to_string(),
            },
            bar,
        )],
    ];
    let tz = app.config.timezone;
    let mut right = Vec::new();
    if app.saving() > 0 {
        right.push(Span::styled(" saving… ", t.style(Role::Warning)));
    }
    if !app.calls.unsent.is_empty() {
        right.push(Span::styled(
            format!(" {} to send ", app.calls.unsent.len()),
            t.style(Role::Warning),
        ));
        right.push(Span::styled(" ", bar));
    }
    if let Some(b) = &app.team {
        let text = if area.width >= 100 {
            b.text.clone()
        } else {
            // "LOCAL — team store unreachable since 03:12" → "LOCAL since 03:12"
            match (
                b.text.split_whitespace().next(),
                b.text.rsplit_once(" since "),
            ) {
                (Some(first), Some((_, at))) => format!(
                    "{first} since {}",
                    at.split_whitespace().next().unwrap_or(at)
                ),
                _ => b.text.clone(),
            }
        };
        let role = if b.alarm {
            Role::HealthDown
        } else {
            Role::Warning
        };
        right.push(Span::styled(format!(" {text} "), t.style(role)));
        right.push(Span::styled(" ", bar));
    }
    if app.readonly {
        right.push(Span::styled(" READ-ONLY ", t.style(Role::ReadOnly)));
        right.push(Span::styled(" ", bar));
    }
    if app.demo {
        right.push(Span::styled(" DEMO ", t.style(Role::Badge)));
        right.push(Span::styled(" ", bar));
    }
    right.push(Span::styled(
        format!("{} ", app.now.with_timezone(&tz).format("%H:%M %Z")),
        bar,
    ));

    frame.render_widget(Paragraph::new("").style(bar), area);
    let right_line = Line::from(right);
    let rw = right_line.width() as u16;
    let room = area.width.saturating_sub(rw) as usize;
    let sep_w = sep.width();
    let mut keep = vec![false; pieces.len()];
    let mut used = 0;
    for (i, piece) in pieces.iter().enumerate() {
        if piece.is_empty() {
            continue;
        }
        let w: usize =
            piece.iter().map(|s| s.width()).sum::<usize>() + if i > 0 { sep_w } else { 0 };
        if used + w <= room {
            keep[i] = true;
            used += w;
        }
    }
    let mut left = Vec::new();
    for (_, piece) in pieces.into_iter().enumerate().filter(|(i, _)| keep[*i]) {
        if !left.is_empty() {
            left.push(sep.clone());
        }
        left.extend(piece);
    }
    frame.render_widget(
        Paragraph::new(Line::from(left)).style(bar),
        Rect {
            width: area.width.saturating_sub(rw),
            ..area
        },
    );
    if rw <= area.width {
        frame.render_widget(
            super::right_aligned(right_line).style(bar),
            Rect {
                x: area.x + area.width - rw,
                width: rw,
                ..area
            },
        );
    }
}

pub fn tab_row(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = Vec::new();
    for (i, pane) in Pane::ALL.iter().enumerate() {
        let active = *pane == app.focus;
        let label = if active && t.markers {
            format!(" >{} {}< ", i + 1, pane.title())
        } else {
            format!(" {} {} ", i + 1, pane.title())
        };
        spans.push(Span::styled(
            label,
            if active {
                t.style(Role::TabActive)
            } else {
                t.style(Role::TabInactive)
            },
        ));
        spans.push(Span::raw(" "));
    }
    if app.open_p1() > 0 && app.focus != Pane::Incidents {
        spans.push(Span::styled(
            format!(" {} P1 open ", app.open_p1()),
            t.style(Role::SeverityP1),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn hint_row(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    if let Some(flash) = &app.flash {
        let role = match flash.level {
            Level::Info => Role::Ok,
            Level::Warning => Role::Warning,
            Level::Error => Role::Error,
        };
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {}", flash.text), t.style(role))),
            area,
        );
        return;
    }
    if !app.pending_keys.is_empty() {
        let typed = crate::keymap::seq_to_string(&app.pending_keys);
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {typed} …"), t.style(Role::Key))),
            area,
        );
        return;
    }
    let ctx = app.focus.context();
    let wanted: &[(Action, &str)] = match app.focus {
        Pane::Incidents if app.incidents.detail.is_some() => &[
            (Action::Back, "back"),
            (Action::Acknowledge, "ack"),
            (Action::Escalate, "escalate"),
            (Action::AddNote, "note"),
            (Action::StatusUpdate, "update"),
            (Action::Resolve, "resolve"),
            (Action::Help, "keys"),
        ],
        Pane::Approvals => &[
            (Action::Approve, "approve"),
            (Action::Reject, "reject"),
            (Action::MarkApplied, "applied"),
            (Action::Open, "detail"),
            (Action::StateFilter, "state"),
            (Action::Filter, "filter"),
            (Action::NextPane, "pane"),
            (Action::Help, "keys"),
        ],
        Pane::Health => &[
            (Action::PollNow, "poll now"),
            (Action::PollAll, "poll all"),
            (Action::Verify, "verify"),
            (Action::DeclareFromHealth, "declare"),
            (Action::Open, "detail"),
            (Action::NextPane, "pane"),
            (Action::Help, "keys"),
        ],
        Pane::Journal => &[
            (Action::WriteNote, "write a note"),
            (Action::Handover, "handover"),
            (Action::NextPane, "pane"),
            (Action::Help, "keys"),
            (Action::Quit, "quit"),
        ],
        Pane::Incidents => &[
            (Action::NewIncident, "new"),
            (Action::Acknowledge, "ack"),
            (Action::Escalate, "escalate"),
            (Action::AddNote, "note"),
            (Action::Resolve, "resolve"),
            (Action::Open, "detail"),
            (Action::Filter, "filter"),
            (Action::ToggleResolved, "resolved"),
            (Action::NextPane, "pane"),
            (Action::Help, "keys"),
            (Action::Quit, "quit"),
        ],
        _ => &[
            (Action::NextPane, "pane"),
            (Action::Zoom, "zoom"),
            (Action::CommandLine, "command"),
            (Action::Help, "keys"),
            (Action::Quit, "quit"),
        ],
    };
    let mut spans = vec![Span::raw(" ")];
    let mut width = 1usize;
    for (action, label) in wanted {
        let Some(key) = app.keymap.key_for(ctx, *action) else {
            continue;
        };
        let piece = key.chars().count() + label.chars().count() + 3;
        if width + piece > area.width as usize {
            break;
        }
        width += piece;
        spans.push(Span::styled(key, t.style(Role::Key)));
        spans.push(Span::styled(format!(" {label}  "), t.style(Role::Muted)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
