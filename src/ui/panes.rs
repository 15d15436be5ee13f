//! Panes whose capability is not in this build yet: they say plainly what
//! will fill them, and show no invented data.

use crate::app::{App, Pane};
use crate::theme::Role;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

fn what_fills(pane: Pane) -> (&'static str, &'static str) {
    match pane {
        Pane::Health => (
            "Live integration health will be polled and shown here:",
            "Datadog, Sentry, PagerDuty, Opsgenie, Slack, Splunk HEC and HTTP / TCP / command probes — up, degraded or down, latency, last error and a diagnosis hint.",
        ),
        Pane::Incidents | Pane::Journal | Pane::Approvals | Pane::Checklists => ("", ""),
    }
}

pub fn placeholder(app: &App, pane: Pane, frame: &mut Frame, area: Rect) {
    let (head, body) = what_fills(pane);
    let lines = vec![
        Line::styled(head, app.theme.style(Role::Text)),
        Line::styled(body, app.theme.style(Role::Muted)),
        Line::raw(""),
        Line::styled(
            "Not available in this build yet: nothing here is live.",
            app.theme.style(Role::Muted),
        ),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}
