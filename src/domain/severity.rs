//! Incident severity and the response targets from the operations runbook's
//! severity table (P1 15 min, P2 1 h, P3 4 h, P4 24 h to respond).

use chrono::Duration;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Severity of an incident. `P1` is the most severe; the derived order sorts
/// the most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    P1,
    P2,
    P3,
    P4,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::P1, Severity::P2, Severity::P3, Severity::P4];

    /// Time allowed between the incident starting and someone acknowledging it.
    pub fn response_target(self) -> Duration {
        match self {
            Severity::P1 => Duration::minutes(15),
            Severity::P2 => Duration::hours(1),
            Severity::P3 => Duration::hours(4),
            Severity::P4 => Duration::hours(24),
        }
    }

    /// What the runbook calls this level.
    pub fn meaning(self) -> &'static str {
        match self {
            Severity::P1 => "critical: platform down",
            Severity::P2 => "high: main function unavailable",
            Severity::P3 => "medium: degraded performance",
            Severity::P4 => "low: minor problem",
        }
    }

    /// Who is escalated to at this level.
    pub fn escalation(self) -> &'static str {
        match self {
            Severity::P1 => "CTO immediately",
            Severity::P2 => "tech lead",
            Severity::P3 => "dev team",
            Severity::P4 => "backlog",
        }
    }

    /// Escalating from this level to `to`: the new level when `to` is more
    /// severe, `None` when it is the same or lower. The one rule of
    /// escalation ("escalate only raises"): the refusal and the fold both
    /// ask it.
    pub fn raise_to(self, to: Severity) -> Option<Severity> {
        (to < self).then_some(to)
    }

    /// The next more severe level, if there is one.
    pub fn raised(self) -> Option<Severity> {
        match self {
            Severity::P1 => None,
            Severity::P2 => Some(Severity::P1),
            Severity::P3 => Some(Severity::P2),
            Severity::P4 => Some(Severity::P3),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::P1 => "P1",
            Severity::P2 => "P2",
            Severity::P3 => "P3",
            Severity::P4 => "P4",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // pad: a width in a format string ({:<9}) lines up columns.
        f.pad(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "P1" | "1" => Ok(Severity::P1),
            "P2" | "2" => Ok(Severity::P2),
            "P3" | "3" => Ok(Severity::P3),
            "P4" | "4" => Ok(Severity::P4),
            other => Err(format!(
                "unknown severity {other:?}: expected P1, P2, P3 or P4"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_follow_the_runbook_table() {
        assert_eq!(Severity::P1.response_target(), Duration::minutes(15));
        assert_eq!(Severity::P2.response_target(), Duration::minutes(60));
        assert_eq!(Severity::P3.response_target(), Duration::minutes(240));
        assert_eq!(Severity::P4.response_target(), Duration::minutes(1440));
    }

    #[test]
    fn most_severe_sorts_first_and_raising_stops_at_p1() {
        let mut v = vec![Severity::P3, Severity::P1, Severity::P4, Severity::P2];
        v.sort();
        assert_eq!(v, Severity::ALL);
        assert_eq!(Severity::P4.raised(), Some(Severity::P3));
        assert_eq!(Severity::P1.raised(), None);
    }

    #[test]
    fn parses_loosely_and_rejects_clearly() {
        assert_eq!("p2".parse::<Severity>(), Ok(Severity::P2));
        assert_eq!(" 1 ".parse::<Severity>(), Ok(Severity::P1));
        assert!(
            "P5".parse::<Severity>()
                .unwrap_err()
                .contains("P1, P2, P3 or P4")
        );
    }
}
