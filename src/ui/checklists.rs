//! The Checklists pane: what is due, each checklist's progress as a gauge,
//! its steps with who did each and when, commands running with a spinner.

use super::dialogs::large_popup;
use super::hint;
use crate::action::Action;
use crate::app::scrolling::{Measured, Scroll};
use crate::app::{App, ChecklistRow};
use crate::domain::checklist::{Checklist, Step, StepState, Timing};
use crate::keymap::Context;
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Never `-`: `[-]` is a skipped step.
const SPINNER: [&str; 3] = ["|", "/", "\\"];

pub fn title_suffix(app: &App) -> Vec<Span<'static>> {
    let c = &app.checklists;
    let open_lists = c
        .lists
        .iter()
        .filter(|l| !c.progress.is_complete(l))
        .count();
    vec![Span::styled(
        format!(" · {open_lists} with steps due"),
        app.theme.style(Role::Muted),
    )]
}

fn gauge(app: &App, done: usize, total: usize, width: usize) -> Vec<Span<'static>> {
    let t = &app.theme;
    let filled = (done * width).checked_div(total).unwrap_or(width);
    let (on, off) = if app.ascii || t.markers {
        ("#", "-")
    } else {
        ("█", "░")
    };
    let role = if done == total {
        Role::Ok
    } else {
        Role::CountdownWarn
    };
    vec![
        Span::styled(on.repeat(filled), t.style(role)),
        Span::styled(off.repeat(width - filled), t.style(Role::Muted)),
        Span::styled(format!(" {done}/{total}"), t.style(Role::Muted)),
    ]
}

fn when(app: &App, at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at.with_timezone(&app.config.timezone);
    if (app.now - at).num_hours() < 20 {
        local.format("%H:%M").to_string()
    } else {
        local.format("%a %d %H:%M").to_string()
    }
}

/// The mark and the "who, when" of a step.
fn step_status(app: &App, list: &Checklist, step: &Step) -> (Span<'static>, Span<'static>) {
    let t = &app.theme;
    let key = (list.id.clone(), step.id.clone());
    if let Some(since) = app.checklists.running.get(&key) {
        let secs = (app.now - *since).num_seconds().max(0);
        return (
            Span::styled(
                format!("[{}]", SPINNER[(secs as usize) % SPINNER.len()]),
                t.style(Role::Warning),
            ),
            Span::styled(
                format!("running {secs}s (timeout {}s)", step.timeout),
                t.style(Role::Warning),
            ),
        );
    }
    match app.checklists.progress.state(&list.id, &step.id) {
        StepState::Open => {
            let tz = app.config.timezone;
            let timing = list.timing(step, app.now, tz);
            let role = match timing {
                Timing::Overdue { .. } => Role::Error,
                Timing::Due { until: Some(_) } => Role::Warning,
                _ => Role::Muted,
            };
            let words = match &timing {
                Timing::Due { until: None } => String::new(),
                t => t.words(tz),
            };
            let mark = match (timing.applies(), app.ascii) {
                (true, _) => "[ ]",
                (false, true) => "[.]",
                (false, false) => "[·]",
            };
            (
                Span::styled(mark, t.style(role)),
                Span::styled(words, t.style(role)),
            )
        }
        StepState::Done { by, at } => (
            Span::styled("[x]", t.style(Role::Ok)),
            Span::styled(format!("{by} {}", when(app, *at)), t.style(Role::Muted)),
        ),
        StepState::Skipped { by, at, reason } => (
            Span::styled("[-]", t.style(Role::Muted)),
            Span::styled(
                format!("skipped by {by} {}: {reason}", when(app, *at)),
                t.style(Role::Muted),
            ),
        ),
        StepState::Failed { by, at, exit, .. } => {
            let code = exit
                .map(|c| format!("exit {c}"))
                .unwrap_or_else(|| "stopped".into());
            (
                Span::styled("[!]", t.style(Role::Error)),
                Span::styled(
                    format!("FAILED ({code}) {by} {}", when(app, *at)),
                    t.style(Role::Error),
                ),
            )
        }
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let c = &app.checklists;
    if c.rows.is_empty() {
        let msg = if !c.loaded {
            "loading checklists…"
        } else {
            "no checklists in checklists/*.toml"
        };
        frame.render_widget(
            Paragraph::new(Line::styled(msg, t.style(Role::Muted))),
            area,
        );
        return;
    }
    let pointer = if t.markers || app.ascii { ">" } else { "▶" };
    let width = area.width as usize;
    let end = (c.offset + area.height as usize).min(c.rows.len());
    let mut lines = Vec::with_capacity(area.height as usize);
    for (k, row) in c.rows[c.offset.min(end)..end].iter().enumerate() {
        let selected = c.offset + k == c.selected;
        let mut spans = vec![if selected {
            Span::styled(pointer, t.style(Role::FocusBorder))
        } else {
            Span::raw(" ")
        }];
        match *row {
            ChecklistRow::Header(i) => {
                let list = &c.lists[i];
                let (done, total) = c.progress.counts(list);
                let open = if c.expanded(i) {
                    if app.ascii { "v " } else { "▾ " }
                } else if app.ascii {
                    "> "
                } else {
                    "▸ "
                };
                let name_style = if selected {
                    t.style(Role::Selection)
                } else {
                    t.style(Role::Title)
                };
                spans.push(Span::raw(open));
                let gauge_w = if width > 70 { 12 } else { 6 };
                // The gauge always shows, and on a wide pane the cadence: a
                // long name (a run's) gives way.
                let keep = if width >= 120 { 36 } else { 0 };
                let name_room = width.saturating_sub(gauge_w + 12 + keep).max(8);
                let name: String = if list.name.chars().count() > name_room {
                    let cut: String = list.name.chars().take(name_room - 1).collect();
                    format!("{}…", cut.trim_end())
                } else {
                    list.name.clone()
                };
                spans.push(Span::styled(name.clone(), name_style));
                let when = match list.run() {
                    Some(r) => format!(
                        "playbook, started {}",
                        r.started
                            .with_timezone(&app.config.timezone)
                            .format("%d %b %H:%M")
                    ),
                    None => list.cadence.to_string(),
                };
                let ordered = list.ordered && list.run().is_none();
                let tag = format!(" · {when}{}", if ordered { " · ordered" } else { "" });
                let used: usize = 3 + name.chars().count();
                let room = width.saturating_sub(used + gauge_w + 8);
                spans.push(Span::styled(
                    tag.chars().take(room).collect::<String>(),
                    t.style(Role::Muted),
                ));
                let pad = width.saturating_sub(used + tag.chars().count().min(room) + gauge_w + 7);
                spans.push(Span::raw(" ".repeat(pad)));
                spans.extend(gauge(app, done, total, gauge_w));
            }
            ChecklistRow::Step(i, s) => {
                let list = &c.lists[i];
                let step = &list.steps[s];
                let (mark, who) = step_status(app, list, step);
                spans.push(Span::raw("   "));
                spans.push(mark);
                spans.push(Span::raw(format!(" {:>2}. ", s + 1)));
                let title_style = if selected {
                    t.style(Role::Selection)
                } else {
                    t.style(Role::Text)
                };
                spans.push(Span::styled(step.title.clone(), title_style));
                if step.command.is_some() {
                    let run = app.key_name(Context::Checklists, Action::RunStep);
                    spans.push(Span::styled(format!(" ({run} runs)"), t.style(Role::Muted)));
                }
                spans.push(Span::raw("  "));
                spans.push(who);
            }
        }
        lines.push(Line::from(spans).style(super::row_style(
            app,
            crate::app::Pane::Checklists,
            selected,
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn step_detail(app: &App, frame: &mut Frame, area: Rect, m: &mut Measured) {
    let t = &app.theme;
    let c = &app.checklists;
    let Some((lid, sid)) = &c.detail else { return };
    let Some(list) = c.lists.iter().find(|l| &l.id == lid) else {
        return;
    };
    let Some((n, step)) = list.steps.iter().enumerate().find(|(_, s)| &s.id == sid) else {
        return;
    };
    let inner = large_popup(
        app,
        frame,
        area,
        100,
        format!(
            "{} · step {} · {}",
            list.name,
            n + 1,
            hint(app, Context::Checklists, &[(Action::Back, "closes")])
        ),
    );
    let mut lines = vec![Line::styled(step.title.clone(), t.style(Role::Title))];
    lines.extend(step.detail.lines().map(|l| Line::raw(l.to_string())));
    if !step.criteria.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Success criteria", t.style(Role::Header)));
        lines.extend(step.criteria.iter().map(|cr| Line::raw(format!("• {cr}"))));
    }
    if let Some(cmd) = &step.command {
        lines.push(Line::raw(""));
        lines.push(Line::from(vec![
            Span::styled("command  ", t.style(Role::Muted)),
            Span::styled(cmd.clone(), t.style(Role::Key)),
            Span::styled(
                format!("  (timeout {}s)", step.timeout),
                t.style(Role::Muted),
            ),
        ]));
    }
    lines.push(Line::raw(""));
    let (mark, who) = step_status(app, list, step);
    lines.push(Line::from(vec![mark, Span::raw(" "), who]));
    let key = (list.id.clone(), step.id.clone());
    let output = match (c.outputs.get(&key), c.progress.state(&list.id, &step.id)) {
        (Some(o), _) => Some((o.summary(), o.output.clone(), o.truncated)),
        (None, StepState::Failed { output, .. }) => {
            Some(("last run failed".to_string(), output.clone(), false))
        }
        _ => None,
    };
    if let Some((summary, text, truncated)) = output {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!(
                "Output: {summary}{}",
                if truncated {
                    " (first 64 KiB kept)"
                } else {
                    ""
                }
            ),
            t.style(Role::Header),
        ));
        lines.extend(text.lines().map(|l| Line::raw(l.to_string())));
    }
    super::scroll::text(
        app,
        frame,
        inner,
        lines,
        Scroll::StepDetail,
        c.detail_scroll,
        m,
    );
}
