//! The remote part of the Incidents pane: what each PagerDuty or Opsgenie
//! source last listed, actions on their incidents (confirmed, queued on
//! disk, sent by the source's poller), and what became of them.

use super::{App, Dialog, Effect, Level};
use crate::domain::IncidentChange;
use crate::domain::outbox::{Finished, Outcome, Pending, Queued, RemoteAction};
use crate::domain::remote::ask::{Ask, prepare};
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
        let Some(vendor) = self
            .book
            .get(incident_id)
            .and_then(|i| i.remote.as_ref())
            .map(|r| r.vendor)
        else {
            return false;
        };
        let action = match change {
            IncidentChange::Acknowledged { .. } => RemoteAction::Acknowledge,
            IncidentChange::Note { .. } => RemoteAction::Note,
            // An alert resolves when its condition does: silence it until then.
            IncidentChange::Resolved { .. } if vendor == Vendor::Alertmanager => {
                self.open_ask(incident_id, RemoteAction::Silence);
                return true;
            }
            IncidentChange::Resolved { .. } => RemoteAction::Resolve,
            _ => {
                // Refused by the incident's own check before it gets here.
                self.flash(Level::Warning, format!("{incident_id}: not possible here"));
                return true;
            }
        };
        self.confirm_ask(incident_id, Ask::new(action).with_message(change.message()));
        true
    }

    /// Who an action is sent as, in the confirmation's words.
    fn sent_as(&self, source: &str, vendor: Vendor) -> String {
        let from = self
            .config
            .incident_sources
            .iter()
            .find(|s| s.name == source)
            .and_then(|s| s.from.clone());
        match (vendor, from) {
            (_, Some(f)) if !f.trim().is_empty() => f,
            (Vendor::Pagerduty, _) => {
                "(no From email: set from = \"…\" in [[incident_sources]])".into()
            }
            _ => self.config.operator.clone(),
        }
    }

    /// Check an ask against the incident (the one rule, `ask::prepare`) and
    /// show exactly what will be sent; a refusal is a flash.
    pub(super) fn confirm_ask(&mut self, incident_id: &str, ask: Ask) {
        let Some(inc) = self.book.get(incident_id).cloned() else {
            return;
        };
        let queued = match prepare(
            &inc,
            &ask,
            crate::store::remote::new_action_id(),
            &self.config.operator,
            self.now,
        ) {
            Ok(q) => q,
            Err(why) => {
                self.flash(Level::Warning, why);
                return;
            }
        };
        let vendor = queued.vendor;
        let mut lines = vec![
            inc.title.clone(),
            format!(
                "sent to {vendor} as {}",
                self.sent_as(&queued.source, vendor)
            ),
        ];
        lines.extend(self.ask_lines(&queued));
        lines.push(format!(
            "kept on disk until {vendor} has it (sent when it answers)"
        ));
        lines.push(format!(
            "journal: {} by {}",
            queued.action.done_verb(vendor),
            self.config.operator
        ));
        self.dialog = Some(Dialog::ConfirmRemote {
            title: format!("{} {incident_id} at {vendor}?", verb(queued.action, vendor)),
            lines,
            queued: Box::new(queued),
        });
        self.dirty = true;
    }

    /// The lines that say what an action carries.
    pub(super) fn ask_lines(&self, q: &Queued) -> Vec<String> {
        let tz = self.config.timezone;
        let mut lines = Vec::new();
        if let Some(until) = q.until {
            lines.push(format!(
                "until {} ({} from now)",
                until.with_timezone(&tz).format("%a %H:%M"),
                crate::domain::format::coarse_duration(until - self.now)
            ));
        }
        if !q.target.is_empty() {
            let what = if q.action == RemoteAction::Expire {
                "silence"
            } else {
                "to"
            };
            lines.push(format!("{what}: {}", q.target));
        }
        if !q.labels.is_empty() {
            let m: Vec<String> = q
                .labels
                .iter()
                .map(|(k, v)| format!("{k}=\"{v}\""))
                .collect();
            let text: String = m.join(", ").chars().take(200).collect();
            lines.push(format!("matching: {text}"));
        }
        if !q.message.is_empty() {
            let text: String = q.message.chars().take(200).collect();
            lines.push(format!("with: {text}"));
        }
        lines
    }
}

/// The confirmation's verb.
pub fn verb(action: RemoteAction, vendor: Vendor) -> &'static str {
    match action {
        RemoteAction::Acknowledge => "Acknowledge",
        RemoteAction::Note => "Add a note to",
        RemoteAction::Resolve if vendor == Vendor::Pagerduty => "Resolve",
        RemoteAction::Resolve => "Close",
        RemoteAction::Snooze => "Snooze",
        RemoteAction::Reassign => "Reassign",
        RemoteAction::AddResponder => "Add a responder to",
        RemoteAction::Unacknowledge => "Unacknowledge",
        RemoteAction::Escalate => "Escalate",
        RemoteAction::Silence => "Silence",
        RemoteAction::Expire => "Expire the silence on",
    }
}
