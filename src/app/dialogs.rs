//! Dialogs: the small forms and confirmations that take over the keys while
//! they are open. Text fields are `ratatui-textarea` editors.

use crate::domain::{IncidentChange, Severity};
use ratatui_textarea::TextArea;

/// What a one-line text dialog on an incident is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPurpose {
    Note,
    Resolve,
    /// `@owner +due text`.
    Followup,
    /// A file's path, or `!command`.
    Attach,
    /// `P1 why`: the level to escalate to (one up when left out) and why.
    Escalate,
}

/// A change waiting for the operator's "yes".
#[derive(Debug, Clone, PartialEq)]
pub struct PendingChange {
    pub incident_id: String,
    pub change: IncidentChange,
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    /// Exactly what will be recorded.
    pub lines: Vec<String>,
    pub change: PendingChange,
}

#[derive(Debug, Clone)]
pub struct IncidentForm {
    pub title: TextArea<'static>,
    pub service: TextArea<'static>,
    pub severity: Severity,
    /// 0 title, 1 service, 2 severity.
    pub field: usize,
    pub error: Option<String>,
    /// Esc was pressed once with something typed: the next one closes it.
    pub closing: bool,
    /// The service's open incidents were named: the next submit declares.
    pub warned: bool,
}

impl Default for IncidentForm {
    fn default() -> Self {
        IncidentForm {
            title: line_input(""),
            service: line_input(""),
            severity: Severity::P3,
            field: 0,
            error: None,
            closing: false,
            warned: false,
        }
    }
}

impl IncidentForm {
    pub const FIELDS: usize = 3;

    /// Something typed that esc would throw away.
    pub fn has_text(&self) -> bool {
        [&self.title, &self.service]
            .iter()
            .any(|t| !t.lines().join("").trim().is_empty())
    }

    pub fn focused_input(&mut self) -> Option<&mut TextArea<'static>> {
        match self.field {
            0 => Some(&mut self.title),
            1 => Some(&mut self.service),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Dialog {
    NewIncident(Box<IncidentForm>),
    /// A note (or, with `resolve`, the resolution) for an incident.
    Text {
        incident_id: String,
        heading: String,
        editor: TextArea<'static>,
        purpose: TextPurpose,
    },
    Confirm(Confirm),
    /// An action on a PagerDuty or Opsgenie incident, waiting for a yes.
    ConfirmRemote {
        title: String,
        lines: Vec<String>,
        queued: Box<crate::domain::outbox::Queued>,
    },
    /// Publish the handover (shown with whether it is on HOLD).
    PublishHandover {
        markdown: String,
        hold: bool,
    },
    /// End the shift without a handover.
    EndShift,
    /// Run a step's command (shown whole first).
    ConfirmRun {
        list: String,
        step: String,
        title: String,
        command: String,
        timeout: u64,
    },
    /// Quit while step commands run: they are stopped and recorded first.
    ConfirmQuit {
        running: Vec<String>,
    },
    /// Send a real test event to an integration (what it does, shown first).
    Verify {
        name: String,
        what: String,
    },
    /// Why a checklist step is skipped (a skip needs a reason).
    SkipReason {
        list: String,
        step: String,
        title: String,
        editor: TextArea<'static>,
    },
    /// The reason for a decision on an approval record.
    Reason {
        id: String,
        decision: crate::domain::approval::Decision,
        editor: TextArea<'static>,
    },
    /// Exactly what the decision will record; y confirms.
    ConfirmDecision {
        id: String,
        decision: crate::domain::approval::Decision,
        reason: String,
        lines: Vec<String>,
    },
    Filter(TextArea<'static>),
    /// `/` over a text read whole: what to find in it.
    Search(TextArea<'static>),
    Command(TextArea<'static>),
    /// A one-line status update for the operations channel.
    StatusUpdate(Box<UpdateForm>),
    /// How long, or to whom, for an action at a vendor.
    Ask(Box<super::hand_on::AskForm>),
    /// Several actions at once, each listed; y sends them all.
    ConfirmBulk {
        title: String,
        lines: Vec<String>,
        queued: Vec<crate::domain::outbox::Queued>,
        local: Vec<String>,
    },
}

/// The status update form: what was done and when it should be fixed.
#[derive(Debug, Clone)]
pub struct UpdateForm {
    pub incident: crate::domain::Incident,
    pub action: TextArea<'static>,
    pub eta: TextArea<'static>,
    /// 0 action, 1 ETA.
    pub field: usize,
    pub error: Option<String>,
}

impl UpdateForm {
    pub fn new(incident: crate::domain::Incident) -> UpdateForm {
        UpdateForm {
            incident,
            action: line_input(""),
            eta: line_input(""),
            field: 0,
            error: None,
        }
    }

    pub fn focused_input(&mut self) -> &mut TextArea<'static> {
        if self.field == 0 {
            &mut self.action
        } else {
            &mut self.eta
        }
    }

    /// The line as it will be posted.
    pub fn preview(&self) -> String {
        let eta = crate::domain::message::check_eta(&text_of(&self.eta))
            .unwrap_or_else(|_| text_of(&self.eta));
        crate::domain::message::status_update(
            &self.incident.id,
            self.incident.severity,
            &self.incident.service,
            &self.incident.title,
            &text_of(&self.action),
            &eta,
        )
    }
}

/// A one-line editor.
pub fn line_input(text: &str) -> TextArea<'static> {
    let mut t = TextArea::new(vec![text.to_string()]);
    t.move_cursor(ratatui_textarea::CursorMove::End);
    t
}

/// The text of a one-line editor.
pub fn text_of(t: &TextArea<'_>) -> String {
    t.lines().join(" ")
}
