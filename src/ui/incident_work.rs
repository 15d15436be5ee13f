//! The work an incident carries beyond its timeline, in its detail: the
//! playbooks started on it (with their progress) and the ones offered.

use crate::action::Action;
use crate::app::App;
use crate::app::scrolling::{Measured, Scroll};
use crate::domain::Incident;
use crate::domain::checklist::playbook;
use crate::keymap::Context;
use crate::theme::Role;
use ratatui::text::{Line, Span};

/// Lines for the playbooks of `inc`; none when it has and is offered none.
pub fn playbook_lines(app: &App, inc: &Incident, lines: &mut Vec<Line<'static>>) {
    let t = &app.theme;
    let runs = playbook::on_incident(&app.checklists.lists, &inc.id);
    let offers = app.playbook_offers(inc);
    if runs.is_empty() && offers.is_empty() {
        return;
    }
    let label = |s: &str| Span::styled(format!("{s:<10}"), t.style(Role::Muted));
    for (i, run) in runs.iter().enumerate() {
        let (done, total) = app.checklists.progress.counts(run);
        let name = run
            .name
            .split(" · ")
            .next()
            .unwrap_or(&run.name)
            .to_string();
        let next = run
            .steps
            .iter()
            .find(|s| !app.checklists.progress.state(&run.id, &s.id).is_settled())
            .map(|s| format!(" · next: {}", s.title))
            .unwrap_or_else(|| " · done".into());
        lines.push(Line::from(vec![
            label(if i == 0 { "playbook" } else { "" }),
            Span::styled(
                format!("{name} {done}/{total}"),
                t.style(if done == total {
                    Role::Muted
                } else {
                    Role::Text
                }),
            ),
            Span::styled(next, t.style(Role::Muted)),
        ]));
    }
    if !offers.is_empty() {
        let key = app.key_name(Context::Incidents, Action::StartPlaybook);
        let names: Vec<&str> = offers.iter().map(|o| o.name.as_str()).collect();
        let how = if offers.len() == 1 {
            format!("  {key} starts it")
        } else {
            "  :playbook NAME starts one".to_string()
        };
        lines.push(Line::from(vec![
            label(if runs.is_empty() { "playbook" } else { "" }),
            Span::styled(
                format!("offered: {}", names.join(", ")),
                t.style(Role::Warning),
            ),
            Span::styled(how, t.style(Role::Muted)),
        ]));
    }
}

/// Lines for the follow-ups of `inc`: open ones with their owner and due
/// date (OVERDUE in red), closed ones muted.
pub fn followup_lines(app: &App, inc: &Incident, lines: &mut Vec<Line<'static>>) {
    use crate::domain::incident::followup;
    let t = &app.theme;
    let all = followup::of(inc);
    if all.is_empty() {
        return;
    }
    let label = |s: &str| Span::styled(format!("{s:<10}"), t.style(Role::Muted));
    for (i, f) in all.iter().enumerate() {
        let head = label(if i == 0 { "follow-up" } else { "" });
        if f.is_open() {
            let due = followup::due_words(f, app.now);
            let role = if f.overdue(app.now) {
                Role::Breached
            } else {
                Role::Muted
            };
            lines.push(Line::from(vec![
                head,
                Span::styled(format!("{} ", f.id), t.style(Role::Key)),
                Span::raw(format!("{} — {} · ", f.text, f.owner)),
                Span::styled(due, t.style(role)),
            ]));
        } else {
            lines.push(Line::from(vec![
                head,
                Span::styled(
                    format!("{} {} — {}", f.id, f.text, f.state_words()),
                    t.style(Role::Muted),
                ),
            ]));
        }
    }
}

/// Lines for the evidence of `inc`, numbered for `:evidence N`.
pub fn evidence_lines(app: &App, inc: &Incident, lines: &mut Vec<Line<'static>>) {
    let t = &app.theme;
    let label = |s: &str| Span::styled(format!("{s:<10}"), t.style(Role::Muted));
    let mine = app
        .incidents
        .evidence
        .iter()
        .filter(|a| a.incident_id == inc.id);
    for (i, a) in mine.enumerate() {
        lines.push(Line::from(vec![
            label(if i == 0 { "evidence" } else { "" }),
            Span::styled(format!("{} ", i + 1), t.style(Role::Key)),
            Span::raw(crate::domain::sanitize::line(&a.line(app.config.timezone)).into_owned()),
        ]));
    }
}

/// Draw the open evidence file or report, if one is open, in `area`
/// (scrolled like the detail); whether it drew.
pub fn render_viewer(
    app: &App,
    frame: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    m: &mut Measured,
) -> bool {
    let Some((title, text)) = &app.incidents.viewing else {
        return false;
    };
    let lines = viewer(app, title, text);
    let at = app.incidents.detail_scroll;
    super::scroll::text(app, frame, area, lines, Scroll::IncidentDetail, at, m);
    true
}

/// An evidence file open in the detail's place: its title, then its text
/// (scrolled like the detail; esc goes back to the detail).
fn viewer(app: &App, title: &str, text: &str) -> Vec<Line<'static>> {
    let t = &app.theme;
    let back = app.key_name(Context::Incidents, Action::Back);
    let how = if app.incidents.detail.is_some() {
        format!("  {back} back to the incident")
    } else {
        format!("  {back} closes")
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(title.to_string(), t.style(Role::Title)),
            Span::styled(how, t.style(Role::Muted)),
        ]),
        Line::raw(""),
    ];
    // A post-mortem draft and the weekly report are Markdown: rendered.
    // Evidence is shown as it was kept.
    let name = title.split(' ').next().unwrap_or("");
    if name.ends_with(".md") || title.starts_with("Weekly report") {
        lines.extend(text.lines().map(|l| super::markdown::line(app, l)));
    } else {
        lines.extend(text.lines().map(|l| Line::raw(l.to_string())));
    }
    lines
}
