//! The remote part of the Incidents pane: what each PagerDuty or Opsgenie
//! source last listed, actions on their incidents (confirmed, queued on
//! disk, sent by the source's poller), and what became of them.

use super::{App, Dialog, Effect, Level};
use crate::domain::IncidentChange;
use crate::domain::outbox::{Finished, Outcome, Pending, Queued, RemoteAction};
use crate::domain::remote::{RemoteIncident, Vendor};
use chrono::{DateTime, Utc};

/// One round of a source, as the pane needs it.
#[derive(Debug, Clone)]
pub struct InboxReport {
    pub source: String,
    /// The open incidents, or `None` when this round could not list them
    /// (the last list stays on screen).
    pub incidents: Option<Vec<RemoteIncident>>,
    /// When the list was read (a saved list's time at start-up).
    pub fetched_at: DateTime<Utc>,
    /// Why the list could not be read.
    pub error: Option<String>,
    /// Actions finished in this round.
    pub finished: Vec<Finished>,
    /// The source's actions still waiting.
    pub pending: Vec<Pending>,
    /// Why they wait.
    pub blocked: Option<String>,
    /// Lines of the outbox that could not be read (reported once).
    pub problems: Vec<String>,
}

/// What the pane knows about one source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceView {
    pub name: String,
    pub vendor: Vendor,
    /// When the list on screen was read.
    pub fetched_at: Option<DateTime<Utc>>,
    pub error: Option<String>,
    pub pending: usize,
    pub blocked: Option<String>,
    /// The list last merged into the book: an unchanged answer (the usual
    /// one) costs a comparison, not a merge and a re-sort.
    pub merged: Option<Vec<RemoteIncident>>,
}

#[derive(Debug, Clone, Default)]
pub struct Inbox {
    pub sources: Vec<SourceView>,
}

impl Inbox {
    pub fn from_config(sources: &[crate::integrations::inbox::SourceConfig]) -> Inbox {
        Inbox {
            sources: sources
                .iter()
                .map(|s| SourceView {
                    name: s.name.clone(),
                    vendor: s.kind,
                    fetched_at: None,
                    error: None,
                    pending: 0,
                    blocked: None,
                    merged: None,
                })
                .collect(),
        }
    }

    /// Actions waiting across every source.
    pub fn pending(&self) -> usize {
        self.sources.iter().map(|s| s.pending).sum()
    }
}

impl App {
    pub(super) fn on_inbox(&mut self, r: InboxReport, fx: &mut Vec<Effect>) {
        let now = self.now;
        self.add_problems(r.problems.iter().cloned());
        // The book's order changes with a new list: remember the selection by id.
        let selected = self.incidents.selected_id(&self.book).map(str::to_string);
        let view = self.inbox.sources.iter_mut().find(|s| s.name == r.source);
        let changed = match (&r.incidents, view) {
            (Some(list), Some(v)) if v.merged.as_ref() != Some(list) => {
                v.merged = Some(list.clone());
                true
            }
            (Some(_), None) => true,
            _ => false,
        };
        let first = self
            .inbox
            .sources
            .iter()
            .find(|s| s.name == r.source)
            .is_none_or(|s| s.fetched_at.is_none());
        if changed && let Some(list) = &r.incidents {
            let fresh = list.iter().map(RemoteIncident::to_incident).collect();
            self.book.set_remote(&r.source, fresh, now);
            self.watch_incidents(Some(&r.source), first, fx);
        }
        let tz = self.config.timezone;
        let waiting_before = self.inbox.sources.iter().any(|s| {
            s.name == r.source && (s.pending > 0 || s.error.is_some() != r.error.is_some())
        });
        let pending: Vec<(String, String)> = r
            .pending
            .iter()
            .map(|p| (p.queued.incident.clone(), p.label(tz)))
            .collect();
        self.book.set_pending(&r.source, &pending);
        if let Some(view) = self.inbox.sources.iter_mut().find(|s| s.name == r.source) {
            if r.incidents.is_some() {
                view.fetched_at = Some(r.fetched_at);
            }
            view.error = r.error.clone();
            view.pending = r.pending.len();
            view.blocked = r.blocked.clone().filter(|_| !r.pending.is_empty());
        }
        let any_finished = !r.finished.is_empty();
        for f in r.finished {
            if f.queued.action == RemoteAction::Resolve
                && matches!(f.outcome, Outcome::Sent | Outcome::AlreadyDone)
            {
                self.book
                    .resolved_here(&f.queued.incident, f.at, &f.queued.by);
            }
            let level = match f.outcome {
                Outcome::Sent | Outcome::AlreadyDone => Level::Info,
                Outcome::Dropped => Level::Warning,
                Outcome::Failed => Level::Error,
            };
            self.flash(level, f.detail.clone());
            fx.push(Effect::RecordRemote(Box::new(f)));
        }
        // An unchanged answer with nothing waiting changes nothing on screen.
        if changed || !pending.is_empty() || waiting_before || any_finished {
            self.incidents.refresh_keeping(&self.book, selected);
            self.dirty = true;
        }
    }

    /// The store queued (or could not queue) an action: say so, and wake
    /// the source's poller to send it now.
    pub(super) fn on_remote_queued(
        &mut self,
        source: String,
        result: Result<String, String>,
        fx: &mut Vec<Effect>,
    ) {
        match result {
            Ok(text) => {
                self.flash(Level::Info, text);
                fx.push(Effect::PollNow(Some(source)));
            }
            Err(text) => self.flash(Level::Error, text),
        }
    }

    /// A change to a remote incident: build the action and ask for a yes.
    /// Returns false when the incident is local.
    pub(super) fn confirm_remote(&mut self, incident_id: &str, change: &IncidentChange) -> bool {
        let Some(inc) = self.book.get(incident_id) else {
            return false;
        };
        let Some(remote) = inc.remote.as_ref() else {
            return false;
        };
        let action = match change {
            IncidentChange::Acknowledged { .. } => RemoteAction::Acknowledge,
            IncidentChange::Note { .. } => RemoteAction::Note,
            IncidentChange::Resolved { .. } => RemoteAction::Resolve,
            _ => {
                // Refused by the incident's own check before it gets here.
                self.flash(Level::Warning, format!("{incident_id}: not possible here"));
                return true;
            }
        };
        let src = self
            .config
            .incident_sources
            .iter()
            .find(|s| s.name == remote.source);
        let vendor = remote.vendor;
        let queued = Queued {
            id: crate::store::remote::new_action_id(),
            at: self.now,
            source: remote.source.clone(),
            vendor,
            incident: inc.id.clone(),
            remote_id: remote.remote_id.clone(),
            title: inc.title.clone(),
            action,
            message: change.message().trim().to_string(),
            by: self.config.operator.clone(),
        };
        let verb = match action {
            RemoteAction::Acknowledge => "Acknowledge",
            RemoteAction::Note => "Add a note to",
            RemoteAction::Resolve if vendor == Vendor::Opsgenie => "Close",
            RemoteAction::Resolve => "Resolve",
        };
        let who = match (vendor, src.and_then(|s| s.from.clone())) {
            (_, Some(f)) if !f.trim().is_empty() => f,
            (Vendor::Opsgenie, _) => self.config.operator.clone(),
            (Vendor::Pagerduty, _) => {
                "(no From email: set from = \"…\" in [[incident_sources]])".into()
            }
        };
        let mut lines = vec![inc.title.clone(), format!("sent to {vendor} as {who}")];
        if !queued.message.is_empty() {
            let text: String = queued.message.chars().take(200).collect();
            lines.push(format!("with: {text}"));
        }
        lines.push(format!(
            "kept on disk until {vendor} has it (sent when it answers)"
        ));
        lines.push(format!(
            "journal: {} by {}",
            action.done_verb(vendor),
            self.config.operator
        ));
        self.dialog = Some(Dialog::ConfirmRemote {
            title: format!("{verb} {incident_id} at {vendor}?"),
            lines,
            queued: Box::new(queued),
        });
        self.dirty = true;
        true
    }
}
