use super::*;
use crate::domain::approval::{ChangePlan, Risk, Target, Transition};
use chrono::TimeZone;

fn t(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 13, h, 0, 0).unwrap()
}

fn pending(id: &str) -> ApprovalRecord {
    ApprovalRecord {
        id: id.into(),
        title: "TLS certificate rotation for credguard.com".into(),
        state: ApprovalState::Pending,
        risk: Risk::Medium,
        requested_by: "rafael.ops".into(),
        created_at: t(1),
        target: Target {
            kind: "certificate".into(),
            name: "credguard.com".into(),
        },
        change: ChangePlan {
            summary: "certbot renew; reload nginx".into(),
            plan: String::new(),
        },
        evidence: vec![],
        history: vec![
            Transition {
                from: None,
                to: ApprovalState::Proposed,
                by: "rafael.ops".into(),
                at: t(1),
                reason: "expires in 21 days".into(),
            },
            Transition {
                from: Some(ApprovalState::Proposed),
                to: ApprovalState::Pending,
                by: "rafael.ops".into(),
                at: t(2),
                reason: "ready".into(),
            },
        ],
    }
}

fn approver() -> DecisionContext {
    DecisionContext {
        approver: true,
        ..DecisionContext::default()
    }
}

fn store_with(records: &[ApprovalRecord]) -> (tempfile::TempDir, ApprovalStore) {
    let ws = tempfile::tempdir().unwrap();
    let store = ApprovalStore::new(ws.path());
    for r in records {
        store.stage(r).unwrap();
    }
    (ws, store)
}

fn files(store: &ApprovalStore) -> Vec<String> {
    let mut v = Vec::new();
    for s in ApprovalState::ALL {
        if let Ok(rd) = std::fs::read_dir(store.dir().join(s.as_str())) {
            for e in rd.flatten() {
                v.push(format!(
                    "{}/{}",
                    s.as_str(),
                    e.file_name().to_string_lossy()
                ));
            }
        }
    }
    v.sort();
    v
}

#[test]
fn a_decision_moves_the_file_and_keeps_the_history() {
    let (_ws, store) = store_with(&[pending("approval-0201")]);
    let next = store
        .decide(
            "approval-0201",
            Decision::Approve,
            "marina",
            "change window Thu 02:00",
            &approver(),
            t(5),
        )
        .unwrap();
    assert_eq!(next.state, ApprovalState::Approved);
    assert_eq!(files(&store), ["approved/approval-0201.json"]);
    let loaded = store.load().unwrap();
    assert_eq!(loaded.records, vec![next]);
    assert_eq!(loaded.records[0].history.len(), 3);
}

#[test]
fn a_crash_between_the_steps_leaves_exactly_one_record_after_restart() {
    let (_ws, store) = store_with(&[pending("approval-0202")]);
    let old = pending("approval-0202");
    let next = old.decided(Decision::Reject, "marina", t(6), "payload incomplete");
    store.stage(&next).unwrap();
    // Killed here: both files exist.
    assert_eq!(
        files(&store),
        ["pending/approval-0202.json", "rejected/approval-0202.json"]
    );
    let loaded = ApprovalStore::new(store.dir().parent().unwrap())
        .load()
        .unwrap();
    assert_eq!(loaded.records.len(), 1);
    assert_eq!(loaded.records[0].state, ApprovalState::Rejected);
    assert_eq!(loaded.recovered, ["approval-0202"]);
    assert_eq!(
        files(&store),
        ["rejected/approval-0202.json"],
        "the older copy is gone"
    );
}

#[test]
fn the_second_decider_is_refused_and_nothing_is_overwritten() {
    let (_ws, store) = store_with(&[pending("approval-0203")]);
    store
        .decide(
            "approval-0203",
            Decision::Approve,
            "marina",
            "ok",
            &approver(),
            t(5),
        )
        .unwrap();
    let before = std::fs::read(store.dir().join("approved/approval-0203.json")).unwrap();
    let err = store
        .decide(
            "approval-0203",
            Decision::Reject,
            "joao",
            "no",
            &approver(),
            t(6),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "refused: already approved by marina at 2026-05-13 05:00 UTC"
    );
    assert_eq!(
        std::fs::read(store.dir().join("approved/approval-0203.json")).unwrap(),
        before
    );
}

#[test]
fn malformed_files_are_listed_and_never_touched() {
    let (_ws, store) = store_with(&[pending("approval-0204")]);
    let dir = store.dir().join("pending");
    std::fs::write(
        dir.join("approval-0999.json"),
        "{ \"id\": \"approval-0999\", ",
    )
    .unwrap();
    std::fs::write(
        dir.join("approval-0998.json"),
        "{\"id\": \"approval-0998\"}",
    )
    .unwrap();
    let mut moved = pending("approval-0997");
    moved.state = ApprovalState::Approved;
    std::fs::write(
        dir.join("approval-0997.json"),
        serde_json::to_string(&moved).unwrap(),
    )
    .unwrap();
    let loaded = store.load().unwrap();
    assert_eq!(loaded.records.len(), 1);
    let bad: Vec<String> = loaded.bad.iter().map(|b| b.to_string()).collect();
    assert_eq!(bad.len(), 3, "{bad:?}");
    assert!(
        bad.iter()
            .any(|b| b.contains("approval-0999.json: not valid JSON")),
        "{bad:?}"
    );
    assert!(
        bad.iter()
            .any(|b| b.contains("approval-0998.json: not an approval record: missing field")),
        "{bad:?}"
    );
    assert!(
        bad.iter()
            .any(|b| b
                .contains("approval-0997.json: state is \"approved\" but the file is in pending/")),
        "{bad:?}"
    );
    let err = store
        .decide(
            "approval-0999",
            Decision::Approve,
            "marina",
            "x",
            &approver(),
            t(5),
        )
        .unwrap_err();
    assert!(matches!(err, DecideError::Bad(_)), "{err}");
    assert!(
        std::fs::read_to_string(dir.join("approval-0999.json"))
            .unwrap()
            .ends_with(", "),
        "left as it was"
    );
}
