//! The Health pane: every integration's status, latency and its history,
//! last success, consecutive failures, freshness; the hint on the detail.

use super::dialogs::large_popup;
use super::hint;
use crate::action::Action;
use crate::app::App;
use crate::app::scrolling::{Measured, Scroll};
use crate::domain::format::coarse_duration;
use crate::domain::health::{HealthStatus, IntegrationHealth, sparkline};
use crate::keymap::Context;
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

pub fn title_suffix(app: &App) -> Vec<Span<'static>> {
    let h = &app.health;
    if h.entries.is_empty() {
        return vec![];
    }
    let n = h.not_green();
    let style = if n == 0 {
        app.theme.style(Role::Ok)
    } else {
        app.theme.style(Role::HealthDown)
    };
    let mut out = vec![Span::styled(
        if n == 0 {
            " · all green".to_string()
        } else {
            format!(" · {n} not green: HOLD")
        },
        style,
    )];
    // Down long enough to be work, not noise (seed 002 §7).
    if let Some(p) = app.health_offer() {
        let key = app.key_name(Context::Health, Action::DeclareFromHealth);
        let what = if p.substrate {
            format!(
                " · {} down together: {key} declares one incident",
                p.integrations.len()
            )
        } else {
            format!(
                " · down {}+: {key} declares an incident",
                coarse_duration(app.config.health.offer_after)
            )
        };
        out.push(Span::styled(what, app.theme.style(Role::Warning)));
    }
    out
}

pub fn status_role(s: HealthStatus) -> Role {
    match s {
        HealthStatus::Up => Role::HealthUp,
        HealthStatus::Degraded => Role::HealthDegraded,
        HealthStatus::Down => Role::HealthDown,
        HealthStatus::Unknown => Role::HealthUnknown,
    }
}

fn glyph(app: &App, s: HealthStatus) -> &'static str {
    match (s, app.ascii) {
        (HealthStatus::Up, false) => "✓",
        (HealthStatus::Up, true) => "+",
        (HealthStatus::Degraded, _) => "!",
        (HealthStatus::Down, false) => "✗",
        (HealthStatus::Down, true) => "x",
        (HealthStatus::Unknown, _) => "?",
    }
}

fn last_ok(app: &App, e: &IntegrationHealth) -> String {
    match e.last_success {
        Some(t) => format!("{} ago", coarse_duration(app.now - t)),
        None => "never".into(),
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.theme;
    let h = &app.health;
    if h.entries.is_empty() {
        let lines = vec![
            Line::styled("No integrations configured.", t.style(Role::Text)),
            Line::styled(
                "Add [[integrations]] to shiftdeck.toml (kind = datadog, sentry, pagerduty, opsgenie, slack, splunk, http, tcp or command), with the names of the variables holding the credentials. `shiftdeck mock-endpoints` serves local stand-ins to try them against.",
                t.style(Role::Muted),
            ),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
        return;
    }
    let visible = h.visible();
    if visible.is_empty() {
        let msg = format!(
            "no integration matches /{} ({} clears the filter)",
            h.filter,
            app.key_name(Context::Health, Action::Back)
        );
        frame.render_widget(
            Paragraph::new(Line::styled(msg, t.style(Role::Muted))).wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let wide = area.width >= 90;
    let pointer = if t.markers || app.ascii { ">" } else { "▶" };
    let spark_w = if wide { 16 } else { 8 };
    // Names as wide as the longest, within reason: `credguard-backend`
    // and `credguard-api` must differ.
    let name_w = h
        .entries
        .iter()
        .map(|e| unicode_width::UnicodeWidthStr::width(e.name.as_str()))
        .max()
        .unwrap_or(4)
        .clamp(5, if wide { 28 } else { 18 }) as u16;
    let widths = [
        Constraint::Length(1),
        Constraint::Length(11),
        Constraint::Length(name_w),
        Constraint::Length(8),
        Constraint::Length(spark_w as u16),
        Constraint::Length(if wide { 11 } else { 0 }),
        Constraint::Length(6),
        Constraint::Fill(1),
    ];
    let cols = crate::app::sorting::HEALTH_COLUMNS;
    let c = |name: &str| crate::app::sorting::header(name, &app.strings, h.sort, cols, app.ascii);
    let header = Row::new([
        String::new(),
        c("STATUS"),
        c("NAME"),
        c("LATENCY"),
        app.strings.get("column", "HISTORY").to_string(),
        if wide {
            app.strings.get("column", "LAST OK").to_string()
        } else {
            String::new()
        },
        c("FAILS"),
        c("LAST ANSWER"),
    ])
    .style(t.style(Role::Header));
    let end = (h.offset + area.height.saturating_sub(1) as usize).min(visible.len());
    let rows = visible[h.offset.min(end)..end]
        .iter()
        .map(|&i| &h.entries[i])
        .enumerate()
        .map(|(k, e)| {
            let selected = h.offset + k == h.selected;
            let stale = e.stale(app.now);
            let status = format!(
                "{} {}{}",
                glyph(app, e.status),
                e.status,
                if stale { "*" } else { "" }
            );
            let latency = match e.latencies.back() {
                Some(0) => "<1 ms".to_string(),
                Some(ms) => format!("{ms} ms"),
                None => "—".into(),
            };
            let mut answer = e.summary.clone();
            if stale {
                answer = format!("STALE: {answer}");
            }
            Row::new(vec![
                Cell::from(if selected {
                    Span::styled(pointer, t.style(Role::FocusBorder))
                } else {
                    Span::raw(" ")
                }),
                Cell::from(Span::styled(status, t.style(status_role(e.status)))),
                Cell::from(if selected {
                    Span::styled(e.name.clone(), t.style(Role::Selection))
                } else {
                    Span::raw(e.name.clone())
                }),
                Cell::from(latency),
                Cell::from(Span::styled(
                    sparkline(&e.latencies, spark_w, app.ascii),
                    t.style(Role::Muted),
                )),
                Cell::from(if wide { last_ok(app, e) } else { String::new() }),
                Cell::from(if e.consecutive_failures > 0 {
                    e.consecutive_failures.to_string()
                } else {
                    String::new()
                }),
                Cell::from(Line::from({
                    let mut spans = Vec::new();
                    if e.warning.is_some() {
                        spans.push(Span::styled("INSECURE TLS ", t.style(Role::Breached)));
                    }
                    spans.push(Span::styled(
                        answer,
                        t.style(if e.status == HealthStatus::Up {
                            Role::Muted
                        } else {
                            Role::Text
                        }),
                    ));
                    spans
                })),
            ])
            .style(super::row_style(app, crate::app::Pane::Health, selected))
        });
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

pub fn detail(app: &App, frame: &mut Frame, area: Rect, m: &mut Measured) {
    let t = &app.theme;
    let h = &app.health;
    let Some(name) = &h.detail else { return };
    let Some(e) = h.entries.iter().find(|e| &e.name == name) else {
        return;
    };
    let inner = large_popup(
        app,
        frame,
        area,
        100,
        format!(
            "{} ({}) · {}",
            e.name,
            e.kind,
            hint(
                app,
                Context::Health,
                &[
                    (Action::PollNow, "polls now"),
                    (Action::Verify, "verifies"),
                    (Action::Back, "closes"),
                ],
            )
        ),
    );
    let label = |s: &str| Span::styled(format!("{s:<13}"), t.style(Role::Muted));
    let tz = app.config.timezone;
    let when = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map(|a| a.with_timezone(&tz).format("%H:%M:%S").to_string())
            .unwrap_or_else(|| "never".into())
    };
    let mut lines = vec![
        Line::from(vec![
            label("status"),
            Span::styled(
                format!("{} {}", glyph(app, e.status), e.status),
                t.style(status_role(e.status)),
            ),
            Span::raw(if e.stale(app.now) {
                "  (stale: no answer for over twice the interval)"
            } else {
                ""
            }),
        ]),
        Line::from(vec![label("last answer"), Span::raw(e.summary.clone())]),
    ];
    if let Some(w) = &e.warning {
        lines.push(Line::from(vec![
            label("warning"),
            Span::styled(w.clone(), t.style(Role::Breached)),
        ]));
    }
    if !e.hint.is_empty() {
        lines.push(Line::from(vec![
            label("hint"),
            Span::styled(e.hint.clone(), t.style(Role::Warning)),
        ]));
    }
    lines.push(Line::from(vec![
        label("last error"),
        Span::raw(e.last_error.clone().unwrap_or_else(|| "—".into())),
    ]));
    if let Some(owner) = app.calls.directory.integration_owner(&e.name) {
        lines.push(Line::from(vec![label("owner"), Span::raw(owner.line())]));
    }
    lines.push(Line::from(vec![
        label("last success"),
        Span::raw(when(e.last_success)),
    ]));
    lines.push(Line::from(vec![
        label("last poll"),
        Span::raw(when(e.last_answer)),
    ]));
    lines.push(Line::from(vec![
        label("failures"),
        Span::raw(format!(
            "{} in a row · {} this session · every {}",
            e.consecutive_failures,
            crate::domain::format::plural(e.checks as usize, "check", "checks"),
            crate::domain::format::interval(e.interval_secs)
        )),
    ]));
    lines.push(Line::from(vec![
        label("latency"),
        Span::styled(sparkline(&e.latencies, 40, app.ascii), t.style(Role::Key)),
        Span::raw(format!(
            "  last {}",
            e.latencies
                .back()
                .map(|m| format!("{m} ms"))
                .unwrap_or_else(|| "—".into())
        )),
    ]));
    if let Some((_, steps)) = h.verified.iter().find(|(n, _)| n == name) {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Verify", t.style(Role::Header)));
        for (step, r) in steps {
            match r {
                // Nothing was sent: no tick for the clean-up either.
                Ok(m) if m == crate::integrations::verify::NOTHING_TO_CLEAN => {
                    lines.push(Line::from(vec![
                        Span::styled("  - ", t.style(Role::Muted)),
                        Span::styled(format!("{step}: {m}"), t.style(Role::Muted)),
                    ]))
                }
                Ok(m) => lines.push(Line::from(vec![
                    Span::styled(if app.ascii { "  + " } else { "  ✓ " }, t.style(Role::Ok)),
                    Span::raw(format!("{step}: {m}")),
                ])),
                Err(m) => lines.push(Line::from(vec![
                    Span::styled(
                        if app.ascii { "  x " } else { "  ✗ " },
                        t.style(Role::Error),
                    ),
                    Span::raw(format!("{step}: {m}")),
                ])),
            }
        }
    }
    super::scroll::text(
        app,
        frame,
        inner,
        lines,
        Scroll::HealthDetail,
        h.detail_scroll,
        m,
    );
}
