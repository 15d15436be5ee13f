//! What may be done to an incident in its current state, in the same words
//! for the TUI and the CLI.

use super::{Incident, IncidentChange, IncidentStatus, followup};
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
    /// A follow-up without an owner or a due date.
    FollowupNeeds,
    NoFollowup {
        id: String,
    },
    FollowupClosed {
        id: String,
        how: String,
    },
    DropNeedsReason,
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
            IncidentRefusal::FollowupNeeds => {
                f.write_str("a follow-up needs an owner and a due date (--owner NAME --due 3d)")
            }
            IncidentRefusal::NoFollowup { id } => {
                write!(
                    f,
                    "no follow-up {id:?} on this incident (the detail lists them)"
                )
            }
            IncidentRefusal::FollowupClosed { id, how } => {
                write!(f, "follow-up {id} is already {how}")
            }
            IncidentRefusal::DropNeedsReason => f.write_str("dropping a follow-up needs a reason"),
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
                IncidentChange::Followup { .. } | IncidentChange::FollowupClosed { .. } => {
                    Some("track follow-ups for")
                }
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
            IncidentChange::Followup { owner, due, .. }
                if owner.trim().is_empty() || due.is_none() =>
            {
                Err(IncidentRefusal::FollowupNeeds)
            }
            IncidentChange::FollowupClosed {
                followup,
                outcome,
                message,
            } => match followup::find(self, followup) {
                None => Err(IncidentRefusal::NoFollowup {
                    id: followup.clone(),
                }),
                Some(f) if !f.is_open() => Err(IncidentRefusal::FollowupClosed {
                    id: f.id.clone(),
                    how: f.state_words(),
                }),
                Some(_) if *outcome == followup::Outcome::Dropped && message.trim().is_empty() => {
                    Err(IncidentRefusal::DropNeedsReason)
                }
                Some(_) => Ok(()),
            },
            IncidentChange::Note { message } | IncidentChange::Followup { message, .. } => {
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
