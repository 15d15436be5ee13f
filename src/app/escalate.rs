//! Escalating a local incident on screen: the level (one up unless named)
//! and why (optional), as the CLI's `--to` and message take them, then a confirmation
//! that shows exactly what is recorded and who to call.

use super::dialogs::line_input;
use super::*;

impl App {
    /// `e`: ask for the level and the reason.
    pub(super) fn open_escalate(&mut self) {
        let probe = IncidentChange::Escalated {
            to: Severity::P1,
            message: String::new(),
        };
        let Some((id, title, sev)) = self.change_target(&probe) else {
            return;
        };
        let Some(to) = sev.raised() else {
            self.flash(
                Level::Info,
                format!("{id} is {sev} already: nothing above it"),
            );
            return;
        };
        self.dialog = Some(Dialog::Text {
            heading: format!("Escalate {id} ({sev}): {title} — the level, then why"),
            incident_id: id,
            editor: line_input(&format!("{to} ")),
            purpose: TextPurpose::Escalate,
        });
    }

    /// `P1 why` (or just `why`, one level up): the confirmation, or why not.
    pub(super) fn escalate_from_line(&mut self, id: &str, line: &str) {
        let Some(inc) = self.book.get(id) else {
            return;
        };
        let (title, sev, service) = (inc.title.clone(), inc.severity, inc.service.clone());
        let line = line.trim();
        let (to, reason) = match line.split_once(char::is_whitespace) {
            Some((w, rest)) if w.parse::<Severity>().is_ok() => {
                (w.parse::<Severity>().ok(), rest.trim())
            }
            None if line.parse::<Severity>().is_ok() => (line.parse::<Severity>().ok(), ""),
            _ => (sev.raised(), line),
        };
        let Some(to) = to else {
            return;
        };
        let change = IncidentChange::Escalated {
            to,
            message: if reason.is_empty() {
                format!("raised from {sev}")
            } else {
                reason.to_string()
            },
        };
        if let Some(inc) = self.book.get(id)
            && let Err(why) = inc.check(&change)
        {
            self.flash(Level::Warning, format!("{id}: {why}"));
            return;
        }
        let calls = self
            .calls
            .directory
            .escalation(to, &service)
            .targets
            .iter()
            .map(|c| format!("call {}", c.line()))
            .collect::<Vec<_>>();
        self.dialog = Some(Dialog::Confirm(Confirm {
            title: format!("Escalate {id} to {to}?"),
            lines: vec![
                title,
                format!("{sev} → {to}: {}", to.meaning()),
                format!(
                    "respond within {} · escalate to {}",
                    crate::domain::format::coarse_duration(to.response_target()),
                    to.escalation()
                ),
                if reason.is_empty() {
                    format!("recorded as: escalated by {} to {to}", self.config.operator)
                } else {
                    format!(
                        "recorded as: escalated by {} to {to}: {reason}",
                        self.config.operator
                    )
                },
            ]
            .into_iter()
            .chain(calls)
            .collect(),
            change: PendingChange {
                incident_id: id.to_string(),
                change,
            },
        }));
    }
}
