//! What may be done to an incident in its current state, in the same words
//! for the TUI and the CLI.

use super::{Incident, IncidentChange, IncidentStatus};
use crate::domain::Severity;
use std::fmt;

/// Why a requested change cannot be made to an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncidentRefusal {
    AlreadyAcknowledged {
        by: String,
    },
    AlreadyResolved {
        by: String,
    },
    AlreadyP1,
    /// Escalating only raises: a lower (or the same) severity is refused.
    NotHigher {
        from: Severity,
        to: Severity,
    },
    NotResolved,
    EmptyNote,
    /// Not something shiftdeck does to a vendor's incident.
    AtVendor {
        vendor: &'static str,
        what: &'static str,
    },
    /// The same action already waits in the outbox.
    Queued {
        what: String,
    },
}

impl fmt::Display for IncidentRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IncidentRefusal::AlreadyAcknowledged { by } => {
                write!(f, "already acknowledged by {by}")
            }
            IncidentRefusal::AlreadyResolved { by } => write!(f, "already resolved by {by}"),
            IncidentRefusal::AlreadyP1 => f.write_str("already P1: nothing higher to escalate to"),
            IncidentRefusal::NotHigher { from, to } => write!(
                f,
                "escalating only raises the severity: {to} is not above {from} (a wrong severity is corrected by resolving and declaring again)"
            ),
            IncidentRefusal::NotResolved => f.write_str("not resolved: nothing to reopen"),
            IncidentRefusal::EmptyNote => f.write_str("a note needs some text"),
            IncidentRefusal::AtVendor { vendor, what } => {
                write!(f, "this incident lives in {vendor}: {what} it there")
            }
            IncidentRefusal::Queued { what } => {
                write!(
                    f,
                    "{what} is already queued: it is sent when the vendor answers"
                )
            }
        }
    }
}

impl Incident {
    /// Check a change against the incident's current state, so the TUI and
    /// the CLI refuse the same things with the same words.
    pub fn check(&self, change: &IncidentChange) -> Result<(), IncidentRefusal> {
        let resolved_by = || IncidentRefusal::AlreadyResolved {
            by: self
                .resolved
                .as_ref()
                .map(|(_, b)| b.clone())
                .unwrap_or_default(),
        };
        if let Some(r) = &self.remote {
            let what = match change {
                IncidentChange::Escalated { .. } => Some("escalate"),
                IncidentChange::Reopened { .. } => Some("reopen"),
                IncidentChange::Followup { .. } => Some("track follow-ups for"),
                _ => None,
            };
            if let Some(what) = what {
                return Err(IncidentRefusal::AtVendor {
                    vendor: r.vendor.label(),
                    what,
                });
            }
            let label = change.label();
            if let Some(p) = r.pending.iter().find(|p| p.starts_with(label))
                && change.label() != "note"
            {
                return Err(IncidentRefusal::Queued { what: p.clone() });
            }
        }
        match change {
            IncidentChange::Acknowledged { .. } => match self.status {
                IncidentStatus::Open => Ok(()),
                IncidentStatus::Acknowledged => Err(IncidentRefusal::AlreadyAcknowledged {
                    by: self
                        .acknowledged
                        .as_ref()
                        .map(|(_, b)| b.clone())
                        .unwrap_or_default(),
                }),
                IncidentStatus::Resolved => Err(resolved_by()),
            },
            IncidentChange::Escalated { to, .. } => {
                if self.status == IncidentStatus::Resolved {
                    Err(resolved_by())
                } else if self.severity == Severity::P1 {
                    Err(IncidentRefusal::AlreadyP1)
                } else if self.severity.raise_to(*to).is_none() {
                    Err(IncidentRefusal::NotHigher {
                        from: self.severity,
                        to: *to,
                    })
                } else {
                    Ok(())
                }
            }
            IncidentChange::Note { message } | IncidentChange::Followup { message } => {
                if message.trim().is_empty() {
                    Err(IncidentRefusal::EmptyNote)
                } else {
                    Ok(())
                }
            }
            IncidentChange::Resolved { .. } => {
                if self.status == IncidentStatus::Resolved {
                    Err(resolved_by())
                } else {
                    Ok(())
                }
            }
            IncidentChange::Reopened { .. } => {
                if self.status == IncidentStatus::Resolved {
                    Ok(())
                } else {
                    Err(IncidentRefusal::NotResolved)
                }
            }
        }
    }
}
