//! The Approvals pane: the queue (only visible rows built), the stop
//! condition banner, malformed files, and the detail with its history.

use crate::action::Action;
use crate::app::App;
use crate::app::scrolling::{Measured, Scroll};
use crate::domain::approval::{ApprovalRecord, ApprovalState, Risk};
use crate::domain::format::coarse_duration;
use crate::keymap::Context;
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

pub fn title_suffix(app: &App) -> Vec<Span<'static>> {
    let t = &app.theme;
    let a = &app.approvals;
    let mut v = vec![Span::styled(
        format!(" · {} pending", a.pending()),
        t.style(Role::Muted),
    )];
    if let Some(s) = a.state_filter {
        v.push(Span::styled(format!(" [{s}]"), t.style(Role::Key)));
    }
    v
}

fn risk_role(r: Risk) -> Role {
    match r {
        Risk::Critical => Role::SeverityP1,
        Risk::High => Role::SeverityP2,
        Risk::Medium => Role::SeverityP3,
        Risk::Low => Role::SeverityP4,
    }
}

fn state_role(s: ApprovalState) -> Role {
    match s {
        ApprovalState::Pending => Role::Warning,
        ApprovalState::Proposed => Role::Text,
        ApprovalState::Approved | ApprovalState::Applied => Role::Ok,
        ApprovalState::Rejected => Role::Muted,
    }
}

fn age_cell(app: &App, r: &ApprovalRecord, short: bool) -> Span<'static> {
    let age = coarse_duration(r.age(app.now));
    match (r.overdue(app.now), short) {
        (true, false) => Span::styled(format!("{age} OVERDUE"), app.theme.style(Role::Breached)),
        (true, true) => Span::styled(format!("{age}!"), app.theme.style(Role::Breached)),
        (false, _) => Span::raw(age),
    }
}

/// The banners (a P1 pauses approving; an operator cannot decide), the
/// list, and the files that could not be read, in the pane's inner area:
/// one answer for the drawing, the list's rows on screen and the mouse.
pub fn regions(app: &App, area: Rect) -> [Rect; 3] {
    let banners = u16::from(app.open_p1_incident().is_some())
        + u16::from(app.config.role != crate::config::Role::Approver);
    let banner_h = (banners * 2).min(area.height / 3);
    let bad_h = (app.approvals.bad.len() as u16).min(3).min(area.height / 4);
    Layout::vertical([
        Constraint::Length(banner_h),
        Constraint::Min(1),
        Constraint::Length(bad_h),
    ])
    .areas(area)
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, m: &mut Measured) {
    let t = &app.theme;
    let mut banner: Vec<Line> = Vec::new();
    if let Some((id, title)) = app.open_p1_incident() {
        banner.push(Line::styled(format!("PAUSED: P1 {id} is open ({title}). Approving waits until it is resolved; rejecting stays possible."), t.style(Role::Error)));
    }
    if app.config.role != crate::config::Role::Approver {
        banner.push(Line::styled(
            "You are an operator: approving and rejecting need role = \"approver\".",
            t.style(Role::Muted),
        ));
    }
    let [top, body, bottom] = regions(app, area);
    let bad_h = bottom.height;
    frame.render_widget(Paragraph::new(banner).wrap(Wrap { trim: true }), top);
    if bad_h > 0 {
        let lines: Vec<Line> = app
            .approvals
            .bad
            .iter()
            .take(bad_h as usize)
            .map(|b| Line::styled(format!("✗ {b}"), t.style(Role::Error)))
            .collect();
        frame.render_widget(Paragraph::new(lines), bottom);
    }
    if let Some(id) = &app.approvals.detail
        && let Some(r) = app.approvals.records.iter().find(|r| &r.id == id)
    {
        detail(app, r, frame, body, m);
        return;
    }
    list(app, frame, body);
}

fn list(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let a = &app.approvals;
    if a.visible.is_empty() {
        let no_match = format!(
            "no record matches ({} clears the filter, {} changes the state)",
            app.key_name(Context::Approvals, Action::Back),
            app.key_name(Context::Approvals, Action::StateFilter)
        );
        let msg = if !a.loaded {
            "loading approval records…"
        } else if a.records.is_empty() {
            "no approval records in approvals/ yet"
        } else {
            &*no_match
        };
        frame.render_widget(
            Paragraph::new(Line::styled(msg, t.style(Role::Muted))).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    // Narrow panes keep what decides: risk, title, state, age (the id is in the detail).
    let wide = area.width >= 90;
    let narrow = area.width < 70;
    let pointer = if t.markers || app.ascii { ">" } else { "▶" };
    let widths = [
        Constraint::Length(1),
        Constraint::Length(8),
        Constraint::Length(if narrow { 0 } else { 13 }),
        Constraint::Fill(1),
        Constraint::Length(if wide { 22 } else { 0 }),
        Constraint::Length(8),
        // `12d 03h OVERDUE` whole.
        Constraint::Length(if wide { 16 } else { 8 }),
    ];
    let cols = crate::app::sorting::APPROVAL_COLUMNS;
    let h = |name: &str| crate::app::sorting::header(name, &app.strings, a.sort, cols, app.ascii);
    let header = Row::new([
        String::new(),
        h("RISK"),
        if narrow { String::new() } else { h("ID") },
        h("TITLE"),
        if wide { h("TARGET") } else { String::new() },
        h("STATE"),
        h("AGE"),
    ])
    .style(t.style(Role::Header));
    let rows_on_screen = area.height.saturating_sub(1) as usize;
    let end = (a.offset + rows_on_screen).min(a.visible.len());
    let rows = a.visible[a.offset.min(end)..end]
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let r = &a.records[i];
            let selected = a.offset + k == a.selected;
            let risk = if t.markers && r.risk == Risk::Critical {
                "!crit".to_string()
            } else {
                r.risk.as_str().to_string()
            };
            Row::new(vec![
                Cell::from(if selected {
                    Span::styled(pointer, t.style(Role::FocusBorder))
                } else {
                    Span::raw(" ")
                }),
                Cell::from(Span::styled(risk, t.style(risk_role(r.risk)))),
                Cell::from(if narrow {
                    Span::raw("")
                } else {
                    Span::styled(r.id.as_str(), t.style(Role::Muted))
                }),
                if selected {
                    Cell::from(Span::styled(r.title.as_str(), t.style(Role::Selection)))
                } else {
                    Cell::from(r.title.as_str())
                },
                Cell::from(if wide {
                    format!("{} {}", r.target.kind, r.target.name)
                } else {
                    String::new()
                }),
                Cell::from(Span::styled(r.state.as_str(), t.style(state_role(r.state)))),
                Cell::from(age_cell(app, r, !wide)),
            ])
            .style(super::row_style(app, crate::app::Pane::Approvals, selected))
        });
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

fn detail(app: &App, r: &ApprovalRecord, frame: &mut Frame, area: Rect, m: &mut Measured) {
    let t = &app.theme;
    let tz = app.config.timezone;
    let when = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
    };
    let label = |s: &str| Span::styled(format!("{s:<10}"), t.style(Role::Muted));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(r.risk.as_str(), t.style(risk_role(r.risk))),
            Span::raw(" "),
            Span::styled(r.title.clone(), t.style(Role::Title)),
        ]),
        Line::from(vec![label("id"), Span::raw(r.id.clone())]),
        Line::from(vec![
            label("state"),
            Span::styled(r.state.as_str(), t.style(state_role(r.state))),
            Span::raw("  "),
            age_cell(app, r, false),
        ]),
        Line::from(vec![
            label("target"),
            Span::raw(format!("{} {}", r.target.kind, r.target.name)),
        ]),
        Line::from(vec![label("change"), Span::raw(r.change.summary.clone())]),
    ];
    if !r.change.plan.is_empty() {
        lines.push(Line::from(vec![
            label("plan"),
            Span::raw(r.change.plan.clone()),
        ]));
    }
    lines.push(Line::from(vec![
        label("requested"),
        Span::raw(format!("{} by {}", when(r.created_at), r.requested_by)),
    ]));
    for e in &r.evidence {
        lines.push(Line::from(vec![label("evidence"), Span::raw(e.clone())]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("State history ({} steps)", r.history.len()),
        t.style(Role::Header),
    ));
    for h in &r.history {
        let from = h.from.map(|s| s.as_str()).unwrap_or("—");
        lines.push(Line::from(vec![
            Span::styled(format!("{}  ", when(h.at)), t.style(Role::Muted)),
            Span::styled(
                format!("{from} → {:<9}", h.to.as_str()),
                t.style(state_role(h.to)),
            ),
            Span::styled(format!("{}: ", h.by), t.style(Role::Muted)),
            Span::raw(h.reason.clone()),
        ]));
    }
    let at = app.approvals.detail_scroll;
    super::scroll::text(app, frame, area, lines, Scroll::ApprovalDetail, at, m);
}
