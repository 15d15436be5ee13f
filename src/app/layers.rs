//! The layer stack: what is on screen over the panes, bottom to top. One
//! function ([`App::layers`]) answers it, and both the drawing (bottom to
//! top) and the keys (to the top layer only) follow that answer, so nothing
//! can open hidden under something else and take the keys there.
//!
//! Each layer is a keymap context: its hints and the `?` help come from the
//! keymap, and it takes only its own keys (no `[global]` fallback).

use super::{App, Dialog, Pane};
use crate::keymap::Context;

/// A layer, in the order they stack (a later variant is drawn over an
/// earlier one and takes the keys before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// The pane grid (or the one pane), with the details that live inside a
    /// pane (an incident's or an approval record's).
    Panes,
    /// The note editor in the Journal pane.
    Editor,
    /// An integration's detail popup.
    HealthDetail,
    /// A checklist step's detail popup.
    StepDetail,
    /// The handover being written.
    Handover,
    /// The previous shift's handover.
    Previous,
    /// The escalation directory (`:contacts`).
    Contacts,
    /// The session's messages (`:messages`).
    Messages,
    /// A dialog: a prompt, a form or a confirmation (opened from any layer
    /// below, so always over it).
    Dialog,
    /// The key help.
    Help,
    /// The problems found in files.
    Problems,
}

impl Layer {
    /// The keymap context of the layer, given what is open in it.
    pub fn context(self, app: &App) -> Context {
        match self {
            Layer::Panes | Layer::HealthDetail | Layer::StepDetail => app.focus.context(),
            Layer::Editor => Context::Editor,
            Layer::Handover => Context::Handover,
            Layer::Previous => Context::Previous,
            Layer::Contacts => Context::Contacts,
            Layer::Messages => Context::Messages,
            Layer::Dialog => match &app.dialog {
                Some(d) if d.is_confirmation() => Context::Confirm,
                _ => Context::Prompt,
            },
            Layer::Help => Context::Help,
            Layer::Problems => Context::Problems,
        }
    }
}

impl Dialog {
    /// A yes/no question, as opposed to a prompt with text fields.
    pub fn is_confirmation(&self) -> bool {
        matches!(
            self,
            Dialog::Confirm(_)
                | Dialog::ConfirmRemote { .. }
                | Dialog::ConfirmBulk { .. }
                | Dialog::PublishHandover { .. }
                | Dialog::EndShift
                | Dialog::ConfirmRun { .. }
                | Dialog::ConfirmQuit { .. }
                | Dialog::Verify { .. }
                | Dialog::ConfirmDecision { .. }
        )
    }
}

impl App {
    /// The layers open now, bottom to top; never empty (the panes are
    /// always there).
    pub fn layers(&self) -> Vec<Layer> {
        let mut open = vec![Layer::Panes];
        if self.focus == Pane::Journal && self.journal.editing {
            open.push(Layer::Editor);
        }
        if self.health.detail.is_some() {
            open.push(Layer::HealthDetail);
        }
        if self.checklists.detail.is_some() {
            open.push(Layer::StepDetail);
        }
        if self.journal.handover.is_some() {
            open.push(Layer::Handover);
        }
        if self.journal.show_previous {
            open.push(Layer::Previous);
        }
        if self.calls.show_contacts {
            open.push(Layer::Contacts);
        }
        if self.show_messages {
            open.push(Layer::Messages);
        }
        if self.dialog.is_some() {
            open.push(Layer::Dialog);
        }
        if self.show_help {
            open.push(Layer::Help);
        }
        if self.show_problems {
            open.push(Layer::Problems);
        }
        open
    }

    /// The layer that takes the keys.
    pub fn top_layer(&self) -> Layer {
        self.layers().last().copied().unwrap_or(Layer::Panes)
    }

    /// The context whose keys are live now: the hints and `?` show these.
    pub fn active_context(&self) -> Context {
        let top = self.top_layer();
        if top == Layer::Help {
            // The help describes the layer it was opened over.
            let under = self.layers();
            let below = under.iter().rev().nth(1).copied().unwrap_or(Layer::Panes);
            return below.context(self);
        }
        top.context(self)
    }
}

#[cfg(test)]
mod tests;
