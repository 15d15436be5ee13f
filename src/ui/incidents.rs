//! The Incidents pane: the list (only its visible rows are built) and the
//! detail with the timeline.

use crate::action::Action;
use crate::app::App;
use crate::app::scrolling::{Measured, Scroll};
use crate::domain::format::{coarse_duration, short_duration};
use crate::domain::{Countdown, Incident, IncidentStatus, Severity};
use crate::keymap::Context;
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

pub fn title_suffix(app: &App) -> Vec<Span<'static>> {
    let t = &app.theme;
    let active = app.book.all().iter().filter(|i| i.is_active()).count();
    let mut v = vec![Span::styled(
        format!(" · {active} {}", app.strings.get("value", "active")),
        t.style(Role::Muted),
    )];
    if app.incidents.show_resolved {
        v.push(Span::styled(" +resolved", t.style(Role::Muted)));
    }
    let overdue: usize = app
        .book
        .all()
        .iter()
        .map(|i| crate::domain::incident::followup::overdue_count(i, app.now))
        .sum();
    if overdue > 0 {
        v.push(Span::styled(
            format!(
                " · {overdue} {}",
                app.strings.get(
                    "value",
                    if overdue == 1 {
                        "follow-up OVERDUE"
                    } else {
                        "follow-ups OVERDUE"
                    }
                )
            ),
            t.style(Role::Breached),
        ));
    }
    let queued = app.inbox.pending();
    if queued > 0 {
        v.push(Span::styled(
            format!(" · {queued} {}", app.strings.get("value", "queued")),
            t.style(Role::Warning),
        ));
    }
    for s in app.inbox.sources.iter().filter(|s| s.error.is_some()) {
        let since = s
            .fetched_at
            .map(|at| {
                let at = at.with_timezone(&app.config.timezone);
                format!(", list from {}", at.format("%H:%M"))
            })
            .unwrap_or_default();
        v.push(Span::styled(
            format!(" · {} offline{since}", s.name),
            t.style(Role::Warning),
        ));
    }
    v
}

/// Seconds only in the last minutes, where they matter: a countdown that
/// shows seconds redraws every second.
/// The id as the narrow list shows it: a local id's random tail
/// (`inc_20260514_0148_e0b7d4` → `e0b7d4`), a vendor's id whole (`OG-20417`).
fn short(id: &str) -> &str {
    id.rsplit('_').next().unwrap_or(id)
}

/// The ids of the rows on screen, each as short as it can be while no two
/// read alike: a local id's random tail (`e0b7d4`), a vendor's own key
/// (`OG-20417`); where two tails meet, those two show whole.
fn short_ids(app: &App, on_screen: &[usize]) -> Vec<String> {
    let full: Vec<&str> = on_screen
        .iter()
        .map(|&i| app.book.by_index(i).id.as_str())
        .collect();
    let mut seen = std::collections::HashMap::<&str, usize>::new();
    for id in &full {
        *seen.entry(short(id)).or_default() += 1;
    }
    full.iter()
        .map(|id| {
            if seen[short(id)] > 1 {
                id.to_string()
            } else {
                short(id).to_string()
            }
        })
        .collect()
}

pub fn countdown_text(d: chrono::Duration) -> String {
    if d < crate::domain::incident::SECONDS_SHOWN {
        short_duration(d)
    } else {
        coarse_duration(d)
    }
}

pub fn severity_role(s: Severity) -> Role {
    match s {
        Severity::P1 => Role::SeverityP1,
        Severity::P2 => Role::SeverityP2,
        Severity::P3 => Role::SeverityP3,
        Severity::P4 => Role::SeverityP4,
    }
}

fn status_role(s: IncidentStatus) -> Role {
    match s {
        IncidentStatus::Open => Role::StatusOpen,
        IncidentStatus::Acknowledged => Role::StatusAcknowledged,
        IncidentStatus::Resolved => Role::StatusResolved,
    }
}

fn severity_text(app: &App, s: Severity) -> String {
    if app.theme.markers && s == Severity::P1 {
        "!P1".into()
    } else {
        s.to_string()
    }
}

/// The response-target cell: a live countdown, BREACHED, or how it ended.
pub fn countdown_cell(app: &App, inc: &Incident) -> (String, Style) {
    let t = &app.theme;
    let v = |key: &'static str| app.strings.get("value", key);
    match inc.countdown(app.now) {
        Countdown::Remaining(d) => {
            let warn = d * 4 < inc.severity.response_target();
            (
                format!("{} {}", countdown_text(d), v("left")),
                t.style(if warn {
                    Role::CountdownWarn
                } else {
                    Role::CountdownOk
                }),
            )
        }
        Countdown::Breached(d) => (
            format!("{} +{}", v("BREACHED"), coarse_duration(d)),
            t.style(Role::Breached),
        ),
        Countdown::Met => (v("met").to_string(), t.style(Role::Muted)),
        Countdown::MetLate(d) => (
            format!("{} +{}", v("late"), coarse_duration(d)),
            t.style(Role::Warning),
        ),
        Countdown::Closed => ("—".into(), t.style(Role::Muted)),
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect, m: &mut Measured) {
    if let Some(id) = &app.incidents.detail
        && let Some(inc) = app.book.get(id)
    {
        detail(app, inc, frame, area, m);
        return;
    }
    // A report (`:report`) reads in the pane's place, like evidence.
    if super::incident_work::render_viewer(app, frame, area, m) {
        return;
    }
    list(app, frame, area);
}

fn list(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let pane = &app.incidents;
    if pane.visible.is_empty() {
        let msg = if !app.loaded {
            "loading incidents…".to_string()
        } else if !pane.filter.is_empty() {
            format!(
                "no incident matches /{} ({} clears the filter)",
                pane.filter,
                app.key_name(Context::Incidents, Action::Back)
            )
        } else if app.book.is_empty() {
            "no incidents on record. n declares one.".to_string()
        } else {
            "no active incidents. v shows the resolved ones.".to_string()
        };
        frame.render_widget(
            Paragraph::new(Line::styled(msg, t.style(Role::Muted))).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let wide = area.width >= 100;
    let pointer = if t.markers || app.ascii { ">" } else { "▶" };
    let rows_on_screen = area.height.saturating_sub(1) as usize;
    let end = (pane.offset + rows_on_screen).min(pane.visible.len());
    let on_screen = &pane.visible[pane.offset.min(end)..end];
    // Every column as wide as what it shows on screen, and the title the
    // rest: the id short but unique on screen (OG-20417 and OG-20415 never
    // read alike), STATUS and RESPOND never cut, a service whole.
    let ids = short_ids(app, on_screen);
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let widest = |f: &dyn Fn(&Incident) -> usize| {
        on_screen
            .iter()
            .map(|&i| f(app.book.by_index(i)))
            .max()
            .unwrap_or(0)
    };
    let cols = crate::app::sorting::INCIDENT_COLUMNS;
    let labels: Vec<String> = cols
        .iter()
        .map(|h| crate::app::sorting::header(h, &app.strings, pane.sort, cols, app.ascii))
        .collect();
    // A column is never narrower than its header (with the sort's mark).
    let at_least = |k: usize, w: usize| w.max(width(&labels[k])) as u16;
    let id_w = at_least(1, ids.iter().map(|s| width(s)).max().unwrap_or(2));
    let svc_w = at_least(
        3,
        widest(&|i| width(&i.service)).clamp(7, if wide { 24 } else { 12 }),
    );
    let age_w = at_least(5, widest(&|i| width(&coarse_duration(i.age(app.now)))));
    let respond_w = at_least(6, widest(&|i| width(&countdown_cell(app, i).0)));
    let mut widths = Vec::with_capacity(8);
    widths.push(Constraint::Length(1));
    widths.push(Constraint::Length(at_least(0, 3)));
    widths.push(Constraint::Length(id_w));
    widths.push(Constraint::Fill(1));
    widths.push(Constraint::Length(svc_w));
    widths.push(Constraint::Length(at_least(4, if wide { 12 } else { 6 })));
    widths.push(Constraint::Length(age_w));
    widths.push(Constraint::Length(respond_w));

    let mut header: Vec<Cell> = vec![Cell::from("")];
    header.extend(labels.into_iter().map(Cell::from));

    let rows = on_screen.iter().enumerate().map(|(k, &i)| {
        let inc = app.book.by_index(i);
        let selected = pane.offset + k == pane.selected;
        let (cd_text, cd_style) = countdown_cell(app, inc);
        let id = ids[k].clone();
        let status = app.strings.get(
            "value",
            match (inc.status, wide) {
                (IncidentStatus::Open, _) => "open",
                (IncidentStatus::Acknowledged, true) => "acknowledged",
                (IncidentStatus::Acknowledged, false) => "ack",
                (IncidentStatus::Resolved, true) => "resolved",
                (IncidentStatus::Resolved, false) => "done",
            },
        );
        // The selection is a pointer in the gutter and the title in reverse
        // video: clear at a glance, and a move repaints two short spans
        // instead of two whole rows (bytes over a slow SSH link).
        let mut cells = Vec::with_capacity(8);
        let marked = pane.marked.contains(&inc.id);
        let mark = if t.markers || app.ascii { "*" } else { "●" };
        cells.push(Cell::from(match (selected, marked) {
            (true, _) => Span::styled(pointer, t.style(Role::FocusBorder)),
            (false, true) => Span::styled(mark, t.style(Role::Key)),
            (false, false) => Span::raw(" "),
        }));
        cells.push(Cell::from(Span::styled(
            severity_text(app, inc.severity),
            t.style(severity_role(inc.severity)),
        )));
        cells.push(Cell::from(Span::styled(id, t.style(Role::Muted))));
        // An action waiting for the vendor marks the title.
        let waiting = inc.remote.as_ref().is_some_and(|r| !r.pending.is_empty());
        let title: std::borrow::Cow<str> = if waiting {
            let mark = if t.markers || app.ascii { "~" } else { "⧗" };
            format!("{mark} {}", inc.title).into()
        } else {
            inc.title.as_str().into()
        };
        let overdue = crate::domain::incident::followup::overdue_count(inc, app.now) > 0;
        let title_span = if selected {
            Span::styled(title, t.style(Role::Selection))
        } else {
            Span::raw(title)
        };
        cells.push(if overdue {
            let flag = if t.markers || app.ascii {
                "!F "
            } else {
                "⚑ "
            };
            Cell::from(Line::from(vec![
                Span::styled(flag, t.style(Role::Breached)),
                title_span,
            ]))
        } else {
            Cell::from(title_span)
        });
        cells.push(Cell::from(inc.service.as_str()));
        cells.push(Cell::from(Span::styled(
            status,
            t.style(status_role(inc.status)),
        )));
        cells.push(Cell::from(coarse_duration(inc.age(app.now))));
        cells.push(Cell::from(Span::styled(cd_text, cd_style)));
        Row::new(cells).style(super::row_style(app, crate::app::Pane::Incidents, selected))
    });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.style(Role::Header)))
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn detail(app: &App, inc: &Incident, frame: &mut Frame, area: Rect, m: &mut Measured) {
    let t = &app.theme;
    if super::incident_work::render_viewer(app, frame, area, m) {
        return;
    }
    let tz = app.config.timezone;
    let when = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
    };
    let (cd_text, cd_style) = countdown_cell(app, inc);
    let label = |s: &str| Span::styled(format!("{s:<10}"), t.style(Role::Muted));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                severity_text(app, inc.severity),
                t.style(severity_role(inc.severity)),
            ),
            Span::raw(" "),
            Span::styled(inc.title.clone(), t.style(Role::Title)),
        ]),
        Line::from(vec![label("id"), Span::raw(inc.id.clone())]),
        Line::from(vec![
            label("status"),
            Span::styled(inc.status.as_str(), t.style(status_role(inc.status))),
        ]),
        Line::from(vec![
            label("service"),
            Span::raw(format!("{} ({})", inc.service, inc.env)),
        ]),
        Line::from(vec![
            label("started"),
            Span::raw(format!(
                "{} by {} · age {}",
                when(inc.started_at),
                inc.created_by,
                coarse_duration(inc.age(app.now))
            )),
        ]),
        Line::from(vec![
            label("respond"),
            Span::styled(cd_text, cd_style),
            Span::styled(
                format!(
                    "  {}: within {}, escalate to {}",
                    inc.severity.meaning(),
                    coarse_duration(inc.severity.response_target()),
                    inc.severity.escalation()
                ),
                t.style(Role::Muted),
            ),
        ]),
    ];
    for (i, call) in app.call_lines(inc).into_iter().enumerate() {
        lines.push(Line::from(vec![
            label(if i == 0 { "call" } else { "" }),
            Span::raw(call),
        ]));
    }
    if let Some((at, by)) = &inc.acknowledged {
        lines.push(Line::from(vec![
            label("acked"),
            Span::raw(format!("{} by {by}", when(*at))),
        ]));
    }
    if let Some((at, by)) = &inc.resolved {
        lines.push(Line::from(vec![
            label("resolved"),
            Span::raw(format!("{} by {by}", when(*at))),
        ]));
    }
    super::incident_work::playbook_lines(app, inc, &mut lines);
    super::incident_work::followup_lines(app, inc, &mut lines);
    super::incident_work::evidence_lines(app, inc, &mut lines);
    if let Some(r) = &inc.remote {
        remote_lines(app, r, inc.is_active(), &mut lines);
        let at = app.incidents.detail_scroll;
        super::scroll::text(app, frame, area, lines, Scroll::IncidentDetail, at, m);
        return;
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("Timeline ({} events)", inc.timeline.len()),
        t.style(Role::Header),
    ));
    lines.push(Line::from(vec![
        Span::styled(format!("{}  ", when(inc.started_at)), t.style(Role::Muted)),
        Span::styled(format!("{:<9} ", "declared"), t.style(Role::Key)),
        Span::raw(format!("{} by {}", inc.declared, inc.created_by)),
    ]));
    for e in &inc.timeline {
        let text = e.change.timeline_text(tz);
        // An empty message leaves no dangling "by:".
        let by = if text.is_empty() {
            e.by.clone()
        } else {
            format!("{}: ", e.by)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{}  ", when(e.at)), t.style(Role::Muted)),
            Span::styled(format!("{:<9} ", e.change.label()), t.style(Role::Key)),
            Span::styled(by, t.style(Role::Muted)),
            Span::raw(text),
        ]));
    }
    let at = app.incidents.detail_scroll;
    super::scroll::text(app, frame, area, lines, Scroll::IncidentDetail, at, m);
}

/// What a PagerDuty or Opsgenie incident adds to the detail: where it
/// lives, its link, and what waits to be sent.
fn remote_lines(
    app: &App,
    r: &crate::domain::remote::RemoteInfo,
    active: bool,
    lines: &mut Vec<Line<'static>>,
) {
    let t = &app.theme;
    let label = |s: &str| Span::styled(format!("{s:<10}"), t.style(Role::Muted));
    lines.push(Line::from(vec![
        label("at"),
        Span::raw(format!("{} #{} · source {}", r.vendor, r.number, r.source)),
    ]));
    lines.push(Line::from(vec![
        label("priority"),
        Span::raw(format!("{} at {}", r.vendor_priority, r.vendor)),
    ]));
    if !r.assignees.is_empty() {
        lines.push(Line::from(vec![
            label("assigned"),
            Span::raw(r.assignees.join(", ")),
        ]));
    }
    if let Some(url) = &r.url {
        lines.push(Line::from(vec![
            label("link"),
            Span::styled(url.clone(), t.style(Role::Key)),
        ]));
    }
    for (name, text) in r.detail_rows(app.config.timezone) {
        let style = if name == "silenced" || name == "snoozed" {
            t.style(Role::Warning)
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![label(name), Span::styled(text, style)]));
    }
    if r.gone {
        lines.push(Line::from(vec![
            label("gone"),
            Span::styled(
                format!("no longer open at {}: closed there", r.vendor),
                t.style(Role::Warning),
            ),
        ]));
    }
    let why = app
        .inbox
        .sources
        .iter()
        .find(|s| s.name == r.source)
        .and_then(|s| s.blocked.clone());
    for p in &r.pending {
        let mut spans = vec![
            label("waiting"),
            Span::styled(p.clone(), t.style(Role::Warning)),
        ];
        if let Some(why) = &why {
            spans.push(Span::styled(format!(" — {why}"), t.style(Role::Muted)));
        }
        lines.push(Line::from(spans));
    }
    if !active {
        return;
    }
    lines.push(Line::raw(""));
    let key = |a: crate::app::Action| {
        app.keymap
            .key_for(crate::keymap::Context::Incidents, a)
            .unwrap_or_else(|| "?".into())
    };
    use crate::app::Action as A;
    use crate::domain::outbox::RemoteAction as R;
    let offered = [
        (A::Acknowledge, R::Acknowledge, "acknowledge"),
        (A::AddNote, R::Note, "note"),
        (A::Resolve, R::Resolve, r.vendor.resolve_verb()),
        (A::Snooze, R::Snooze, "snooze"),
        (A::Reassign, R::Reassign, "reassign"),
        (A::AddResponder, R::AddResponder, "responder"),
        (A::Unacknowledge, R::Unacknowledge, "unack"),
        (A::Escalate, R::Escalate, "escalate"),
        (A::Silence, R::Silence, "silence"),
        (A::ExpireSilence, R::Expire, "expire silence"),
    ];
    let keys: Vec<String> = offered
        .iter()
        .filter(|(_, ra, _)| r.vendor.offers(*ra).is_ok())
        .filter(|(_, ra, _)| *ra != R::Expire || !r.silences.is_empty())
        .map(|(a, _, what)| format!("{}: {what}", key(*a)))
        .collect();
    lines.push(Line::styled(
        format!(
            "{} — sent to {}, kept on disk until it has them",
            keys.join(" · "),
            r.vendor
        ),
        t.style(Role::Muted),
    ));
}
