//! The four incident vendors, and which action each of them offers: the one
//! rule the screen, the CLI and bulk actions all ask before anything is
//! queued. What a vendor lacks is refused with the vendor named and what to
//! do instead.
//!
//! | action | PagerDuty | Opsgenie, JSM | Alertmanager |
//! |---|---|---|---|
//! | acknowledge, note, resolve | yes | yes (resolve = close) | no: silence it |
//! | snooze | acknowledged incidents | yes | no: silence it |
//! | reassign | to a user or an escalation policy | to a user (owner) | no |
//! | add a responder | a user or an escalation policy | a user or a team | no |
//! | unacknowledge | no: reassign or escalate | yes | no |
//! | escalate | to the next level of its policy | to a named escalation | no |
//! | silence, expire a silence | no | no | yes |

use super::outbox::RemoteAction;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    Pagerduty,
    Opsgenie,
    /// Jira Service Management Operations (Opsgenie's successor).
    Jsm,
    /// Prometheus Alertmanager.
    Alertmanager,
}

impl Vendor {
    pub const ALL: [Vendor; 4] = [
        Vendor::Pagerduty,
        Vendor::Opsgenie,
        Vendor::Jsm,
        Vendor::Alertmanager,
    ];

    /// The vendor's own name, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Vendor::Pagerduty => "PagerDuty",
            Vendor::Opsgenie => "Opsgenie",
            Vendor::Jsm => "JSM",
            Vendor::Alertmanager => "Alertmanager",
        }
    }

    /// The config and CLI spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Pagerduty => "pagerduty",
            Vendor::Opsgenie => "opsgenie",
            Vendor::Jsm => "jsm",
            Vendor::Alertmanager => "alertmanager",
        }
    }

    pub fn from_name(name: &str) -> Option<Vendor> {
        Vendor::ALL.into_iter().find(|v| v.as_str() == name)
    }

    /// The default prefix of incident ids from this vendor ("PD-4211").
    pub fn default_prefix(self) -> &'static str {
        match self {
            Vendor::Pagerduty => "PD",
            Vendor::Opsgenie => "OG",
            Vendor::Jsm => "JSM",
            Vendor::Alertmanager => "AM",
        }
    }

    /// What the vendor calls resolving.
    pub fn resolve_verb(self) -> &'static str {
        match self {
            Vendor::Pagerduty => "resolve",
            Vendor::Opsgenie | Vendor::Jsm => "close",
            Vendor::Alertmanager => "silence",
        }
    }

    /// What the vendor calls a resolved incident.
    pub fn resolved_word(self) -> &'static str {
        match self {
            Vendor::Pagerduty => "resolved",
            Vendor::Opsgenie | Vendor::Jsm => "closed",
            Vendor::Alertmanager => "cleared",
        }
    }

    /// Whether actions are answered with a request id to follow up
    /// (Opsgenie, JSM) rather than done at once.
    pub fn asynchronous(self) -> bool {
        matches!(self, Vendor::Opsgenie | Vendor::Jsm)
    }

    /// Whether the operator's words travel with the action itself; where
    /// they do not, they go first as a note of their own.
    pub fn carries_words(self, action: RemoteAction) -> bool {
        use RemoteAction::*;
        match self {
            Vendor::Opsgenie => true,
            Vendor::Pagerduty => matches!(action, Note | AddResponder),
            Vendor::Jsm => action == Note,
            Vendor::Alertmanager => action == Silence,
        }
    }

    /// Whether this vendor offers the action; the refusal names the vendor
    /// and what to do instead.
    pub fn offers(self, action: RemoteAction) -> Result<(), String> {
        use RemoteAction::*;
        let no = |why: &str| Err(format!("{self} {why}"));
        match (self, action) {
            (Vendor::Alertmanager, Silence | Expire) => Ok(()),
            (_, Silence | Expire) => {
                no("has no silences (they are Alertmanager's): snooze the incident instead")
            }
            (Vendor::Alertmanager, Acknowledge | Snooze) => no(
                "has no acknowledgement: silence the alert so it stops notifying (it resolves when its condition does)",
            ),
            (Vendor::Alertmanager, Resolve) => {
                no("alerts resolve when their condition does: silence it until then")
            }
            (Vendor::Alertmanager, Note) => {
                no("keeps no notes: write it in the shift journal, or as a silence's comment")
            }
            (Vendor::Alertmanager, Reassign | AddResponder | Unacknowledge | Escalate) => no(
                "routes alerts by its own config: there is nobody to hand an alert to; silence it or page someone",
            ),
            (Vendor::Pagerduty, Unacknowledge) => {
                no("has no unacknowledge: reassign the incident or escalate it to the next level")
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // pad: a width in a format string ({:<9}) lines up columns.
        f.pad(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for v in Vendor::ALL {
            assert_eq!(Vendor::from_name(v.as_str()), Some(v));
        }
        assert_eq!(Vendor::from_name("victorops"), None);
    }

    #[test]
    fn each_vendor_offers_what_it_has() {
        use RemoteAction::*;
        for a in [
            Acknowledge,
            Note,
            Resolve,
            Snooze,
            Reassign,
            AddResponder,
            Escalate,
        ] {
            assert!(Vendor::Pagerduty.offers(a).is_ok(), "{a:?}");
            assert!(Vendor::Opsgenie.offers(a).is_ok(), "{a:?}");
            assert!(Vendor::Jsm.offers(a).is_ok(), "{a:?}");
            let e = Vendor::Alertmanager.offers(a).unwrap_err();
            assert!(e.starts_with("Alertmanager "), "{e}");
        }
        assert!(Vendor::Opsgenie.offers(Unacknowledge).is_ok());
        assert!(Vendor::Jsm.offers(Unacknowledge).is_ok());
        let e = Vendor::Pagerduty.offers(Unacknowledge).unwrap_err();
        assert!(e.contains("PagerDuty has no unacknowledge"), "{e}");
        for a in [Silence, Expire] {
            assert!(Vendor::Alertmanager.offers(a).is_ok());
            assert!(
                Vendor::Pagerduty
                    .offers(a)
                    .unwrap_err()
                    .contains("PagerDuty")
            );
            assert!(Vendor::Jsm.offers(a).unwrap_err().contains("JSM"));
        }
        let e = Vendor::Alertmanager.offers(Acknowledge).unwrap_err();
        assert!(e.contains("silence the alert"), "{e}");
    }
}
