//! Records the tests put on disk, built in one place.

use chrono::{DateTime, Utc};
use shiftdeck::domain::approval::{
    ApprovalRecord, ApprovalState, ChangePlan, Risk, Target, Transition,
};

/// A pending approval record requested by `requested_by` at `at`:
/// proposed, then submitted five minutes later.
pub fn pending_approval(
    id: &str,
    title: &str,
    requested_by: &str,
    risk: Risk,
    at: DateTime<Utc>,
) -> ApprovalRecord {
    ApprovalRecord {
        id: id.into(),
        title: title.into(),
        state: ApprovalState::Pending,
        risk,
        requested_by: requested_by.into(),
        created_at: at,
        target: Target {
            kind: "service".into(),
            name: "splunk-hec".into(),
        },
        change: ChangePlan {
            summary: "rotate the HEC token".into(),
            plan: String::new(),
        },
        evidence: vec![],
        history: vec![
            Transition {
                from: None,
                to: ApprovalState::Proposed,
                by: requested_by.into(),
                at,
                reason: "quarterly rotation".into(),
            },
            Transition {
                from: Some(ApprovalState::Proposed),
                to: ApprovalState::Pending,
                by: requested_by.into(),
                at: at + chrono::Duration::minutes(5),
                reason: "ready".into(),
            },
        ],
    }
}
