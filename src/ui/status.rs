//! The status bar (top), the tab row (narrow terminals) and the hint row.

use crate::app::{Action, App, Level, Pane};
use crate::domain::format::coarse_duration;
use crate::keymap::Context;
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

pub fn status_bar(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let bar = t.style(Role::StatusBar);
    let sep = Span::styled(if app.ascii { " | " } else { " │ " }, bar);
    let s = |key: &'static str| app.strings.get("status", key);
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
            // Narrow: the name (the role is in the help and the journal),
            // so who is on call and the HOLD cue keep their room.
            vec![Span::styled(format!(" {}", app.config.operator), bar)]
        },
        vec![
            Span::styled(format!("P1 {p1}"), p1_style),
            Span::styled(" · ", bar),
            Span::styled(format!("P2 {p2}"), p2_style),
            Span::styled(format!(" {}", s("open")), bar),
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
            format!(
                "{} {}",
                s("shift"),
                coarse_duration(app.now - app.shift_started)
            ),
            bar,
        )],
        vec![match (app.approvals.loaded, app.approvals.pending()) {
            (false, _) => Span::styled(format!("{} —", s("approvals")), bar),
            (true, n) => Span::styled(
                format!("{} {n} {}", s("approvals"), s("pending")),
                if n == 0 { bar } else { t.style(Role::Badge) },
            ),
        }],
        vec![match (app.health.entries.len(), app.health.not_green()) {
            (0, _) => Span::styled(format!("{} —", s("not green")), bar),
            (_, 0) => Span::styled("all green", bar),
            // The handover's HOLD cue: it stays when space is short.
            (_, n) if area.width < 100 => {
                Span::styled(format!("HOLD {n}"), t.style(Role::HealthDown))
            }
            (_, n) => Span::styled(
                format!("HOLD {n} {}", s("not green")),
                t.style(Role::HealthDown),
            ),
        }],
        vec![Span::styled(
            match app.health.last_poll {
                Some(at) => format!(
                    "{} {}",
                    s("last poll"),
                    at.with_timezone(&app.config.timezone).format("%H:%M")
                ),
                None => format!("{} —", s("last poll")),
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
    // Kept by importance, shown in their order: the operator, what is
    // open, what is overdue, the HOLD cue, who is on call, the approvals
    // waiting, then the shift's length and the last poll.
    const IMPORTANCE: [usize; 8] = [0, 1, 2, 6, 3, 5, 4, 7];
    let mut keep = vec![false; pieces.len()];
    let mut used = 0;
    for &i in &IMPORTANCE {
        let piece = &pieces[i];
        if piece.is_empty() {
            continue;
        }
        let w: usize =
            piece.iter().map(|s| s.width()).sum::<usize>() + if used > 0 { sep_w } else { 0 };
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
            format!(" >{} {}< ", i + 1, pane.label(&app.strings))
        } else {
            format!(" {} {} ", i + 1, pane.label(&app.strings))
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
        let text = format!(" {}", crate::domain::sanitize::line(&flash.text));
        let wide = unicode_width::UnicodeWidthStr::width(text.as_str());
        // A message longer than the row takes the row above too (over the
        // panes' bottom border) rather than being cut.
        let area = if wide > area.width as usize && area.y > 0 {
            Rect {
                y: area.y - 1,
                height: 2,
                ..area
            }
        } else {
            area
        };
        frame.render_widget(Clear, area);
        frame.render_widget(
            Paragraph::new(Line::styled(text, t.style(role))).wrap(Wrap { trim: false }),
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
    let (ctx, wanted) = hints_for(app);
    let mut spans = vec![Span::raw(" ")];
    let mut width = 1usize;
    if app.unseen_messages > 0 {
        // Said while the answer to the operator's own action showed.
        let note = format!(
            "{} more: :messages  ",
            crate::domain::format::plural(app.unseen_messages, "message", "messages")
        );
        width += note.chars().count();
        spans.push(Span::styled(note, t.style(Role::Warning)));
    }
    for (action, label) in wanted {
        let Some(key) = app.keymap.key_for(ctx, action) else {
            continue;
        };
        let label = app.strings.get("hint", label);
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

/// The keys the hint row offers: those of the layer on top (a popup's own,
/// not the pane's under it), and of a pane only the actions that apply to
/// what is selected (no ack for a resolved incident).
fn hints_for(app: &App) -> (Context, Vec<(Action, &'static str)>) {
    use crate::app::layers::Layer;
    let layer = app.top_layer();
    let ctx = layer.context(app);
    let scroll = [(Action::Down, "scroll"), (Action::Bottom, "last page")];
    let v: Vec<(Action, &str)> = match layer {
        Layer::Help => vec![(Action::Down, "scroll"), (Action::Close, "close")],
        Layer::Problems | Layer::Messages => {
            vec![(Action::Down, "scroll"), (Action::Close, "close")]
        }
        Layer::Contacts => [&scroll[..], &[(Action::Close, "close")]].concat(),
        Layer::Previous => [
            &[(Action::AcknowledgeHandover, "acknowledge")][..],
            &scroll[..],
            &[(Action::Cancel, "later"), (Action::Help, "keys")],
        ]
        .concat(),
        Layer::Handover => [
            &[
                (Action::EditSummary, "summary/preview"),
                (Action::Publish, "publish"),
            ][..],
            &scroll[..],
            &[(Action::Cancel, "close"), (Action::Help, "keys")],
        ]
        .concat(),
        Layer::Editor => vec![
            (Action::Save, "save"),
            (Action::Cancel, "leave (draft kept)"),
            (Action::Help, "keys"),
        ],
        Layer::Dialog if app.dialog.as_ref().is_some_and(|d| d.is_confirmation()) => {
            vec![(Action::Confirm, "yes"), (Action::Cancel, "no")]
        }
        Layer::Dialog => vec![(Action::Accept, "accept"), (Action::Cancel, "cancel")],
        Layer::StepDetail => vec![
            (Action::Back, "close"),
            (Action::CheckStep, "check"),
            (Action::SkipStep, "skip"),
            (Action::RunStep, "run"),
            (Action::Down, "scroll"),
            (Action::Help, "keys"),
        ],
        Layer::HealthDetail => vec![
            (Action::Back, "close"),
            (Action::PollNow, "poll now"),
            (Action::Verify, "verify"),
            (Action::Attach, "attach"),
            (Action::Down, "scroll"),
            (Action::Help, "keys"),
        ],
        Layer::Panes => pane_hints(app),
    };
    (ctx, v)
}

fn pane_hints(app: &App) -> Vec<(Action, &'static str)> {
    match app.focus {
        Pane::Incidents => {
            let inc = app
                .incidents
                .detail
                .as_deref()
                .or(app.incidents.selected_id(&app.book))
                .and_then(|id| app.book.get(id));
            let in_detail = app.incidents.detail.is_some() || app.incidents.viewing.is_some();
            let mut v = Vec::new();
            if in_detail {
                v.push((Action::Back, "back"));
            } else {
                v.push((Action::NewIncident, "new"));
            }
            match inc {
                Some(i) if !i.is_active() => v.push((Action::Reopen, "reopen")),
                Some(i) => {
                    if i.status == crate::domain::IncidentStatus::Open {
                        v.push((Action::Acknowledge, "ack"));
                    }
                    if i.severity.raised().is_some() {
                        v.push((Action::Escalate, "escalate"));
                    }
                    v.push((Action::AddNote, "note"));
                    if in_detail {
                        v.push((Action::StatusUpdate, "update"));
                    }
                    v.push((Action::Resolve, "resolve"));
                }
                None => {}
            }
            if !in_detail && inc.is_some() {
                v.push((Action::Open, "detail"));
            }
            if !in_detail {
                v.push((Action::Filter, "filter"));
                v.push((Action::ToggleResolved, "resolved"));
                v.push((Action::NextPane, "pane"));
            }
            v.push((Action::Help, "keys"));
            v.push((Action::Quit, "quit"));
            v
        }
        Pane::Approvals if app.approvals.detail.is_some() => vec![
            (Action::Back, "back"),
            (Action::Approve, "approve"),
            (Action::Reject, "reject"),
            (Action::MarkApplied, "applied"),
            (Action::Help, "keys"),
        ],
        Pane::Approvals => vec![
            (Action::Approve, "approve"),
            (Action::Reject, "reject"),
            (Action::MarkApplied, "applied"),
            (Action::Open, "detail"),
            (Action::StateFilter, "state"),
            (Action::Filter, "filter"),
            (Action::NextPane, "pane"),
            (Action::Help, "keys"),
        ],
        Pane::Checklists => vec![
            (Action::CheckStep, "check"),
            (Action::SkipStep, "skip"),
            (Action::RunStep, "run"),
            (Action::RetractStep, "take back"),
            (Action::Open, "open"),
            (Action::Filter, "filter"),
            (Action::NextPane, "pane"),
            (Action::Help, "keys"),
        ],
        Pane::Health => vec![
            (Action::PollNow, "poll now"),
            (Action::PollAll, "poll all"),
            (Action::Verify, "verify"),
            (Action::DeclareFromHealth, "declare"),
            (Action::Open, "detail"),
            (Action::NextPane, "pane"),
            (Action::Help, "keys"),
        ],
        Pane::Journal if app.journal.reading.is_some() => vec![
            (Action::Back, "back"),
            (Action::Down, "scroll"),
            (Action::WriteNote, "write a note"),
            (Action::Help, "keys"),
        ],
        Pane::Journal => vec![
            (Action::WriteNote, "write a note"),
            (Action::Open, "read"),
            (Action::Filter, "filter"),
            (Action::Handover, "handover"),
            (Action::NextPane, "pane"),
            (Action::Help, "keys"),
            (Action::Quit, "quit"),
        ],
    }
}
