//! Approval records, from the operational handoff package: a proposed
//! change goes proposed → pending → approved / rejected → applied, each step
//! with who, when and why. Approving needs the approver role and a reason,
//! and stops while a P1 incident is open ("Critical incident opened — pause
//! all approvals/writes").

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalState {
    Proposed,
    Pending,
    Approved,
    Rejected,
    Applied,
}

impl ApprovalState {
    pub const ALL: [ApprovalState; 5] = [
        ApprovalState::Proposed,
        ApprovalState::Pending,
        ApprovalState::Approved,
        ApprovalState::Rejected,
        ApprovalState::Applied,
    ];

    /// The directory name, and what the screen says.
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalState::Proposed => "proposed",
            ApprovalState::Pending => "pending",
            ApprovalState::Approved => "approved",
            ApprovalState::Rejected => "rejected",
            ApprovalState::Applied => "applied",
        }
    }

    pub fn parse(s: &str) -> Option<ApprovalState> {
        ApprovalState::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim().to_ascii_lowercase())
    }

    /// Still waiting on someone.
    pub fn is_open(self) -> bool {
        matches!(self, ApprovalState::Proposed | ApprovalState::Pending)
    }
}

impl fmt::Display for ApprovalState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // pad: a width in a format string ({:<9}) lines up columns.
        f.pad(self.as_str())
    }
}

/// Risk; the derived order puts critical first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    Critical,
    High,
    Medium,
    Low,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Critical => "critical",
            Risk::High => "high",
            Risk::Medium => "medium",
            Risk::Low => "low",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangePlan {
    pub summary: String,
    #[serde(default)]
    pub plan: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub from: Option<ApprovalState>,
    pub to: ApprovalState,
    pub by: String,
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalRecord {
    pub id: String,
    pub title: String,
    pub state: ApprovalState,
    pub risk: Risk,
    pub requested_by: String,
    pub created_at: DateTime<Utc>,
    pub target: Target,
    pub change: ChangePlan,
    #[serde(default)]
    pub evidence: Vec<String>,
    #[serde(default)]
    pub history: Vec<Transition>,
}

/// The handoff package's target: decided within a week.
pub fn decision_target() -> Duration {
    Duration::days(7)
}

/// What an operator can do to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// proposed → pending: ready for an approver.
    Submit,
    Approve,
    Reject,
    /// approved → applied: the change was carried out.
    Apply,
}

impl Decision {
    pub fn from_state(self) -> ApprovalState {
        match self {
            Decision::Submit => ApprovalState::Proposed,
            Decision::Approve | Decision::Reject => ApprovalState::Pending,
            Decision::Apply => ApprovalState::Approved,
        }
    }

    pub fn to_state(self) -> ApprovalState {
        match self {
            Decision::Submit => ApprovalState::Pending,
            Decision::Approve => ApprovalState::Approved,
            Decision::Reject => ApprovalState::Rejected,
            Decision::Apply => ApprovalState::Applied,
        }
    }

    pub fn verb(self) -> &'static str {
        match self {
            Decision::Submit => "submit",
            Decision::Approve => "approve",
            Decision::Reject => "reject",
            Decision::Apply => "mark applied",
        }
    }

    /// Whether the approver role is needed.
    pub fn needs_approver(self) -> bool {
        matches!(self, Decision::Approve | Decision::Reject)
    }
}

/// What a decision is checked against, besides the record itself.
#[derive(Debug, Clone, Default)]
pub struct DecisionContext {
    pub approver: bool,
    pub readonly: bool,
    /// Who decides: four eyes, so never the one who asked.
    pub operator: String,
    /// An open P1 incident (id, title), if there is one.
    pub open_p1: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    ReadOnly,
    NotApprover,
    ReasonRequired,
    /// Four eyes: whoever asked for a change does not approve it.
    OwnRequest,
    /// The stop condition: a P1 is open.
    PausedByP1 {
        incident: String,
        title: String,
    },
    /// Someone got there first.
    AlreadyDecided {
        state: ApprovalState,
        by: String,
        at: DateTime<Utc>,
    },
    Illegal {
        state: ApprovalState,
        decision: Decision,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::ReadOnly => {
                f.write_str("read-only: started with --readonly, nothing was changed")
            }
            Refusal::NotApprover => f.write_str(
                "only an approver may approve or reject (role = \"approver\" in shiftdeck.toml)",
            ),
            Refusal::ReasonRequired => f.write_str("a reason is required"),
            Refusal::OwnRequest => f.write_str(
                "four eyes: you requested this change, so another approver must approve it (rejecting your own request stays possible)",
            ),
            Refusal::PausedByP1 { incident, title } => {
                write!(
                    f,
                    "approvals are paused while P1 {incident} is open ({title}): resolve it first; rejecting stays possible"
                )
            }
            Refusal::AlreadyDecided { state, by, at } => write!(
                f,
                "already {state} by {by} at {}",
                at.format("%Y-%m-%d %H:%M UTC")
            ),
            Refusal::Illegal { state, decision } => write!(
                f,
                "cannot {} a record that is {state}: only {} records can be",
                decision.verb(),
                decision.from_state()
            ),
        }
    }
}

impl ApprovalRecord {
    pub fn last(&self) -> Option<&Transition> {
        self.history.last()
    }

    /// Time since the record was created (or, once decided, until it was).
    pub fn age(&self, now: DateTime<Utc>) -> Duration {
        let end = if self.state.is_open() {
            now
        } else {
            self.last().map(|t| t.at).unwrap_or(now)
        };
        end - self.created_at
    }

    /// Open for longer than the one-week decision target.
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        self.state.is_open() && self.age(now) > decision_target()
    }

    /// When it was last changed: the newest transition, else its creation.
    pub fn changed_at(&self) -> DateTime<Utc> {
        self.last().map(|t| t.at).unwrap_or(self.created_at)
    }

    /// Check a decision; the same rules for the screen and the CLI.
    pub fn check(
        &self,
        decision: Decision,
        ctx: &DecisionContext,
        reason: &str,
    ) -> Result<(), Refusal> {
        if ctx.readonly {
            return Err(Refusal::ReadOnly);
        }
        if self.state != decision.from_state() {
            if (self.state == decision.to_state()
                || (!self.state.is_open() && decision.from_state().is_open()))
                && let Some(t) = self.last()
            {
                return Err(Refusal::AlreadyDecided {
                    state: self.state,
                    by: t.by.clone(),
                    at: t.at,
                });
            }
            return Err(Refusal::Illegal {
                state: self.state,
                decision,
            });
        }
        if decision.needs_approver() && !ctx.approver {
            return Err(Refusal::NotApprover);
        }
        if decision == Decision::Approve && same_person(&self.requested_by, &ctx.operator) {
            return Err(Refusal::OwnRequest);
        }
        if matches!(decision, Decision::Approve | Decision::Apply)
            && let Some((incident, title)) = &ctx.open_p1
        {
            return Err(Refusal::PausedByP1 {
                incident: incident.clone(),
                title: title.clone(),
            });
        }
        if reason.trim().is_empty() {
            return Err(Refusal::ReasonRequired);
        }
        Ok(())
    }

    /// The record after a decision (the caller has checked it).
    pub fn decided(
        &self,
        decision: Decision,
        by: &str,
        at: DateTime<Utc>,
        reason: &str,
    ) -> ApprovalRecord {
        let mut next = self.clone();
        next.state = decision.to_state();
        next.history.push(Transition {
            from: Some(self.state),
            to: next.state,
            by: by.to_string(),
            at,
            reason: reason.trim().to_string(),
        });
        next
    }

    /// Problems with a record as read from `<state>/<id>.json`.
    pub fn validate(&self, dir_state: ApprovalState, file_stem: &str) -> Result<(), String> {
        if self.state != dir_state {
            return Err(format!(
                "state is \"{}\" but the file is in {}/",
                self.state, dir_state
            ));
        }
        if self.id != file_stem {
            return Err(format!(
                "id is \"{}\" but the file is {file_stem}.json",
                self.id
            ));
        }
        if let Some(t) = self.last()
            && t.to != self.state
        {
            return Err(format!(
                "the last history step goes to \"{}\", not to its state \"{}\"",
                t.to, self.state
            ));
        }
        Ok(())
    }
}

/// Operator names compare without case or surrounding blanks ("Ana.Lima "
/// asked, "ana.lima" may not approve).
fn same_person(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !a.is_empty() && a.eq_ignore_ascii_case(b)
}

/// The open P1 that pauses approvals ("Critical incident opened — pause all
/// approvals/writes"): the oldest active P1 among the incidents given, which
/// the caller draws from every source it knows. The one home of that rule.
pub fn pausing_p1<'a>(
    incidents: impl IntoIterator<Item = &'a crate::domain::Incident>,
) -> Option<(String, String)> {
    incidents
        .into_iter()
        .filter(|i| i.severity == crate::domain::Severity::P1 && i.is_active())
        .min_by_key(|i| i.started_at)
        .map(|i| (i.id.clone(), i.title.clone()))
}

#[cfg(test)]
mod tests;
