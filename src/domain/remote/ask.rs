//! An action an operator asks for on a remote incident, checked and turned
//! into the outbox's `Queued` in one place: the screen (one incident or a
//! marked batch) and the CLI both call [`prepare`], so a rule holds the same
//! everywhere. The incident's own `check` still decides acknowledge, note
//! and resolve; the vendor's [`Vendor::offers`](super::Vendor::offers) what
//! the vendor has at all; here is the rest (a snooze needs an end, PagerDuty
//! snoozes acknowledged incidents only, a reassignment needs someone).

use super::super::incident::{Incident, IncidentChange, IncidentStatus};
use super::super::outbox::{Queued, RemoteAction};
use super::Vendor;
use chrono::{DateTime, Duration, Utc};

/// The longest snooze or silence asked from here.
pub const MAX_SPAN: Duration = Duration::days(7);

/// What the operator asked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ask {
    pub action: Option<RemoteAction>,
    pub message: String,
    /// Snooze and silence: for how long.
    pub span: Option<Duration>,
    /// Reassign, add responder, escalate (Opsgenie, JSM): to whom; expire:
    /// which silence (empty: the alert's only one).
    pub target: String,
}

impl Ask {
    pub fn new(action: RemoteAction) -> Ask {
        Ask {
            action: Some(action),
            ..Ask::default()
        }
    }

    pub fn with_message(mut self, m: &str) -> Ask {
        self.message = m.trim().to_string();
        self
    }

    pub fn with_span(mut self, d: Duration) -> Ask {
        self.span = Some(d);
        self
    }

    pub fn with_target(mut self, t: &str) -> Ask {
        self.target = t.trim().to_string();
        self
    }
}

/// The incident change the older rules speak of, for the three actions
/// the incident's own `check` decides.
fn as_change(action: RemoteAction, message: &str) -> Option<IncidentChange> {
    let message = message.to_string();
    match action {
        RemoteAction::Acknowledge => Some(IncidentChange::Acknowledged { message }),
        RemoteAction::Note => Some(IncidentChange::Note {
            message: if message.is_empty() {
                " ".into()
            } else {
                message
            },
        }),
        RemoteAction::Resolve => Some(IncidentChange::Resolved { message }),
        _ => None,
    }
}

/// Check what was asked against the incident as last seen, and build the
/// action to queue. The error is one line for a flash or stderr.
pub fn prepare(
    inc: &Incident,
    ask: &Ask,
    id: String,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Queued, String> {
    let Some(action) = ask.action else {
        return Err("no action asked".into());
    };
    let Some(remote) = inc.remote.as_ref() else {
        return Err(format!(
            "{}: a local incident: {} is for incidents at a vendor",
            inc.id,
            action.label()
        ));
    };
    let vendor = remote.vendor;
    vendor
        .offers(action)
        .map_err(|why| format!("{}: {why}", inc.id))?;
    if let Some(change) = as_change(action, &ask.message) {
        if action == RemoteAction::Note && ask.message.trim().is_empty() {
            return Err(format!("{}: a note needs text", inc.id));
        }
        inc.check(&change).map_err(|r| format!("{}: {r}", inc.id))?;
    } else {
        if inc.status == IncidentStatus::Resolved || remote.gone {
            return Err(format!(
                "{}: already {}: nothing to {}",
                inc.id,
                vendor.resolved_word(),
                action.label()
            ));
        }
        if let Some(p) = remote
            .pending
            .iter()
            .find(|p| p.starts_with(action.label()))
        {
            return Err(format!("{}: already waiting to be sent: {p}", inc.id));
        }
    }
    let mut until = None;
    let mut target = ask.target.trim().to_string();
    match action {
        RemoteAction::Snooze | RemoteAction::Silence => {
            let Some(span) = ask.span else {
                return Err(format!(
                    "{}: {} for how long? (30m, 2h, 1d)",
                    inc.id,
                    action.label()
                ));
            };
            if span < Duration::minutes(1) || span > MAX_SPAN {
                return Err(format!(
                    "{}: {} between a minute and 7 days",
                    inc.id,
                    action.label()
                ));
            }
            if action == RemoteAction::Snooze
                && vendor == Vendor::Pagerduty
                && inc.status != IncidentStatus::Acknowledged
            {
                return Err(format!(
                    "{}: PagerDuty snoozes acknowledged incidents only: acknowledge it first",
                    inc.id
                ));
            }
            if action == RemoteAction::Silence && remote.labels.is_empty() {
                return Err(format!(
                    "{}: its labels are not known yet: a silence matches them (wait for the next list)",
                    inc.id
                ));
            }
            until = Some(now + span);
        }
        RemoteAction::Reassign | RemoteAction::AddResponder if target.is_empty() => {
            return Err(format!(
                "{}: {} to whom? (a user{})",
                inc.id,
                action.label(),
                match vendor {
                    Vendor::Pagerduty => ", or an escalation policy",
                    _ if action == RemoteAction::AddResponder => ", or a team",
                    _ => "",
                }
            ));
        }
        RemoteAction::Escalate if vendor != Vendor::Pagerduty && target.is_empty() => {
            return Err(format!(
                "{}: {vendor} escalates to a named escalation: give its name",
                inc.id
            ));
        }
        RemoteAction::Unacknowledge if inc.status != IncidentStatus::Acknowledged => {
            return Err(format!("{}: not acknowledged: nothing to undo", inc.id));
        }
        RemoteAction::Expire => {
            let ids: Vec<&str> = remote.silences.iter().map(|s| s.id.as_str()).collect();
            if target.is_empty() {
                match ids.as_slice() {
                    [] => {
                        return Err(format!(
                            "{}: no silence holds it: nothing to expire",
                            inc.id
                        ));
                    }
                    [one] => target = one.to_string(),
                    _ => {
                        return Err(format!(
                            "{}: {} silences hold it: name one ({})",
                            inc.id,
                            ids.len(),
                            ids.join(", ")
                        ));
                    }
                }
            } else if !ids.iter().any(|i| i.starts_with(target.as_str())) {
                return Err(format!("{}: no silence {target} holds it", inc.id));
            } else if let Some(full) = ids.iter().find(|i| i.starts_with(target.as_str())) {
                target = full.to_string();
            }
        }
        _ => {}
    }
    Ok(Queued {
        id,
        at: now,
        source: remote.source.clone(),
        vendor,
        incident: inc.id.clone(),
        remote_id: remote.remote_id.clone(),
        title: inc.title.clone(),
        action,
        message: ask.message.trim().to_string(),
        by: by.to_string(),
        until,
        target,
        labels: if action == RemoteAction::Silence {
            remote.labels.clone()
        } else {
            Default::default()
        },
    })
}

#[cfg(test)]
mod tests;
