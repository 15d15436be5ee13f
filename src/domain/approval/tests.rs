use super::*;
use chrono::TimeZone;

fn t(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, d, h, 0, 0).unwrap()
}

fn record(state: ApprovalState) -> ApprovalRecord {
    let mut r = ApprovalRecord {
        id: "approval-0142".into(),
        title: "Staged NetBox batch apply for 4WNET-MNS-KTG-RX".into(),
        state: ApprovalState::Proposed,
        risk: Risk::High,
        requested_by: "rafael.ops".into(),
        created_at: t(12, 14),
        target: Target {
            kind: "device".into(),
            name: "4WNET-MNS-KTG-RX".into(),
        },
        change: ChangePlan {
            summary: "create 12 interfaces".into(),
            plan: "batch-apply-plan-fixed.json".into(),
        },
        evidence: vec![],
        history: vec![Transition {
            from: None,
            to: ApprovalState::Proposed,
            by: "rafael.ops".into(),
            at: t(12, 14),
            reason: "dry-run ok".into(),
        }],
    };
    let path: &[Decision] = match state {
        ApprovalState::Proposed => &[],
        ApprovalState::Pending => &[Decision::Submit],
        ApprovalState::Approved => &[Decision::Submit, Decision::Approve],
        ApprovalState::Rejected => &[Decision::Submit, Decision::Reject],
        ApprovalState::Applied => &[Decision::Submit, Decision::Approve, Decision::Apply],
    };
    for (i, d) in path.iter().enumerate() {
        r = r.decided(*d, "marina.approver", t(13, i as u32), "ok");
    }
    r
}

fn approver() -> DecisionContext {
    DecisionContext {
        approver: true,
        operator: "marina.approver".into(),
        ..DecisionContext::default()
    }
}

#[test]
fn every_legal_and_illegal_transition() {
    let decisions = [
        Decision::Submit,
        Decision::Approve,
        Decision::Reject,
        Decision::Apply,
    ];
    let legal = [
        (ApprovalState::Proposed, Decision::Submit),
        (ApprovalState::Pending, Decision::Approve),
        (ApprovalState::Pending, Decision::Reject),
        (ApprovalState::Approved, Decision::Apply),
    ];
    for state in ApprovalState::ALL {
        for d in decisions {
            let r = record(state);
            let verdict = r.check(d, &approver(), "because");
            if legal.contains(&(state, d)) {
                assert_eq!(verdict, Ok(()), "{state} + {d:?}");
                let next = r.decided(d, "marina.approver", t(14, 1), " because ");
                assert_eq!(next.state, d.to_state());
                let step = next.last().unwrap();
                assert_eq!(
                    (step.from, step.to, step.reason.as_str()),
                    (Some(state), d.to_state(), "because")
                );
                assert_eq!(
                    next.history.len(),
                    r.history.len() + 1,
                    "history only grows"
                );
            } else {
                assert!(verdict.is_err(), "{state} + {d:?} must be refused");
            }
        }
    }
}

#[test]
fn second_decider_is_told_who_was_first() {
    let r = record(ApprovalState::Approved);
    let refusal = r
        .check(Decision::Approve, &approver(), "me too")
        .unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "already approved by marina.approver at 2026-05-13 01:00 UTC"
    );
    let rejected = record(ApprovalState::Rejected);
    assert!(
        rejected
            .check(Decision::Approve, &approver(), "x")
            .unwrap_err()
            .to_string()
            .starts_with("already rejected by marina.approver")
    );
    let illegal = record(ApprovalState::Proposed)
        .check(Decision::Approve, &approver(), "x")
        .unwrap_err();
    assert_eq!(
        illegal.to_string(),
        "cannot approve a record that is proposed: only pending records can be"
    );
}

#[test]
fn roles_reasons_and_readonly() {
    let r = record(ApprovalState::Pending);
    let operator = DecisionContext::default();
    assert_eq!(
        r.check(Decision::Approve, &operator, "x"),
        Err(Refusal::NotApprover)
    );
    assert_eq!(
        r.check(Decision::Reject, &operator, "x"),
        Err(Refusal::NotApprover)
    );
    assert_eq!(
        r.check(Decision::Approve, &approver(), "  "),
        Err(Refusal::ReasonRequired)
    );
    let ro = DecisionContext {
        readonly: true,
        ..approver()
    };
    assert_eq!(r.check(Decision::Reject, &ro, "x"), Err(Refusal::ReadOnly));
    // Operations may mark an approved change applied.
    assert_eq!(
        record(ApprovalState::Approved).check(Decision::Apply, &operator, "done"),
        Ok(())
    );
}

#[test]
fn an_open_p1_pauses_approving_but_not_rejecting() {
    let ctx = DecisionContext {
        open_p1: Some(("inc_20260514_0238_c5e81b".into(), "backend OOM loop".into())),
        ..approver()
    };
    let r = record(ApprovalState::Pending);
    let refusal = r.check(Decision::Approve, &ctx, "x").unwrap_err();
    assert!(
        refusal
            .to_string()
            .contains("paused while P1 inc_20260514_0238_c5e81b is open (backend OOM loop)"),
        "{refusal}"
    );
    assert_eq!(r.check(Decision::Reject, &ctx, "not now"), Ok(()));
    assert!(matches!(
        record(ApprovalState::Approved).check(Decision::Apply, &ctx, "x"),
        Err(Refusal::PausedByP1 { .. })
    ));
}

#[test]
fn overdue_after_a_week_open() {
    let r = record(ApprovalState::Pending);
    assert!(!r.overdue(t(19, 13)));
    assert!(r.overdue(t(19, 15)));
    assert!(
        !record(ApprovalState::Approved).overdue(t(30, 0)),
        "decided records are never overdue"
    );
}

#[test]
fn validation_names_what_is_inconsistent() {
    let r = record(ApprovalState::Pending);
    assert_eq!(r.validate(ApprovalState::Pending, "approval-0142"), Ok(()));
    assert!(
        r.validate(ApprovalState::Approved, "approval-0142")
            .unwrap_err()
            .contains("but the file is in approved/")
    );
    assert!(
        r.validate(ApprovalState::Pending, "approval-9")
            .unwrap_err()
            .contains("but the file is approval-9.json")
    );
}

#[test]
fn four_eyes_the_requester_may_not_approve_but_may_withdraw() {
    let own = DecisionContext {
        operator: " Rafael.Ops".into(),
        ..approver()
    };
    let r = record(ApprovalState::Pending);
    assert_eq!(
        r.check(Decision::Approve, &own, "lgtm"),
        Err(Refusal::OwnRequest)
    );
    assert_eq!(r.check(Decision::Reject, &own, "withdrawn"), Ok(()));
    assert_eq!(r.check(Decision::Approve, &approver(), "lgtm"), Ok(()));
}

#[test]
fn the_pausing_p1_is_the_oldest_active_one() {
    use crate::domain::{Incident, IncidentRecord, Severity};
    let inc = |id: &str, sev, h| {
        Incident::from_record(&IncidentRecord {
            id: id.into(),
            title: format!("title {id}"),
            service: "gw".into(),
            severity: sev,
            env: "prod".into(),
            started_at: t(14, h),
            created_by: "bo".into(),
        })
    };
    let list = [
        inc("a", Severity::P2, 1),
        inc("b", Severity::P1, 3),
        inc("c", Severity::P1, 2),
    ];
    assert_eq!(
        pausing_p1(&list),
        Some(("c".to_string(), "title c".to_string()))
    );
    assert_eq!(pausing_p1(&list[..1]), None);
}
