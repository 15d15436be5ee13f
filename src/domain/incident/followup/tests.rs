use super::*;
use crate::domain::{IncidentEvent, IncidentRecord, Severity};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn incident() -> Incident {
    Incident::from_record(&IncidentRecord {
        id: "inc_a".into(),
        title: "HEC token disabled".into(),
        service: "splunk-hec".into(),
        severity: Severity::P2,
        env: "prod".into(),
        started_at: at("2026-11-20T03:00:00Z"),
        created_by: "ana".into(),
    })
}

fn event(t: &str, change: IncidentChange) -> IncidentEvent {
    IncidentEvent {
        incident_id: "inc_a".into(),
        at: at(t),
        by: "ana".into(),
        change,
    }
}

fn open(id: &str, t: &str, due: &str) -> IncidentEvent {
    event(
        t,
        IncidentChange::Followup {
            message: format!("follow-up {id}"),
            followup: id.into(),
            owner: "bo".into(),
            due: Some(at(due)),
        },
    )
}

#[test]
fn followups_fold_from_the_timeline_and_close_once() {
    let mut inc = incident();
    inc.apply(&open(
        "fu-000001",
        "2026-11-20T04:00:00Z",
        "2026-11-23T04:00:00Z",
    ));
    inc.apply(&open(
        "fu-000002",
        "2026-11-20T04:05:00Z",
        "2026-12-20T04:00:00Z",
    ));
    let drop_it = IncidentChange::FollowupClosed {
        followup: "000002".into(),
        outcome: Outcome::Dropped,
        message: String::new(),
    };
    assert_eq!(
        inc.check(&drop_it).unwrap_err().to_string(),
        "dropping a follow-up needs a reason"
    );
    let done = IncidentChange::FollowupClosed {
        followup: "fu-000001".into(),
        outcome: Outcome::Done,
        message: "alert threshold raised".into(),
    };
    assert!(inc.check(&done).is_ok());
    inc.apply(&event("2026-11-25T10:00:00Z", done.clone()));
    assert!(
        inc.check(&done)
            .unwrap_err()
            .to_string()
            .starts_with("follow-up fu-000001 is already done by ana")
    );
    let nothing = IncidentChange::FollowupClosed {
        followup: "fu-nope".into(),
        outcome: Outcome::Done,
        message: String::new(),
    };
    assert!(
        inc.check(&nothing)
            .unwrap_err()
            .to_string()
            .contains("no follow-up")
    );
    let fs = of(&inc);
    assert_eq!(fs.len(), 2);
    assert!(!fs[0].is_open() && fs[1].is_open());
    let now = at("2026-12-21T00:00:00Z");
    assert!(fs[1].overdue(now) && !fs[0].overdue(now));
    assert_eq!(due_words(&fs[1], now), "OVERDUE 20h 00m");
    // A follow-up needs an owner and a due date.
    let bare = IncidentChange::Followup {
        message: "x".into(),
        followup: "fu-1".into(),
        owner: String::new(),
        due: None,
    };
    assert!(
        inc.check(&bare)
            .unwrap_err()
            .to_string()
            .contains("owner and a due date")
    );
}

#[test]
fn the_summary_counts_the_window_and_every_open_one() {
    let mut inc = incident();
    inc.apply(&open(
        "fu-old",
        "2026-09-01T04:00:00Z",
        "2026-09-08T04:00:00Z",
    ));
    inc.apply(&open(
        "fu-old2",
        "2026-09-01T04:00:00Z",
        "2026-09-08T04:00:00Z",
    ));
    inc.apply(&event(
        "2026-09-02T04:00:00Z",
        IncidentChange::FollowupClosed {
            followup: "fu-old2".into(),
            outcome: Outcome::Done,
            message: String::new(),
        },
    ));
    inc.apply(&open(
        "fu-new",
        "2026-11-25T04:00:00Z",
        "2026-12-25T04:00:00Z",
    ));
    let now = at("2026-12-01T00:00:00Z");
    let listed = listed(&[&inc], now, Duration::days(30));
    let ids: Vec<&str> = listed.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        ids,
        ["fu-old", "fu-new"],
        "done long ago: out of the window"
    );
    let s = summary(&listed, now, Duration::days(30));
    assert_eq!((s.open, s.overdue, s.done, s.window_days), (2, 1, 0, 30));
}

#[test]
fn an_old_followup_line_without_id_owner_or_due_still_reads() {
    let line = r#"{"incident_id":"inc_a","at":"2026-11-20T05:00:00Z","by":"ana","type":"followup","message":"review retention"}"#;
    let e: IncidentEvent = serde_json::from_str(line).unwrap();
    let mut inc = incident();
    inc.apply(&e);
    let fs = of(&inc);
    assert_eq!(fs[0].id, "fu-20050000");
    assert_eq!(fs[0].owner, "");
    let closed = r#"{"incident_id":"inc_a","at":"2026-11-21T05:00:00Z","by":"bo","type":"followup_closed","followup":"fu-20050000","outcome":"done"}"#;
    inc.apply(&serde_json::from_str::<IncidentEvent>(closed).unwrap());
    assert!(!of(&inc)[0].is_open());
    let round = serde_json::to_string(&open(
        "fu-1",
        "2026-11-20T04:00:00Z",
        "2026-11-23T04:00:00Z",
    ))
    .unwrap();
    assert!(
        round.contains(r#""type":"followup""#) && round.contains(r#""owner":"bo""#),
        "{round}"
    );
    let back: IncidentEvent = serde_json::from_str(&round).unwrap();
    assert_eq!(
        back,
        open("fu-1", "2026-11-20T04:00:00Z", "2026-11-23T04:00:00Z")
    );
    let bad = r#"{"incident_id":"inc_a","at":"2026-11-21T05:00:00Z","type":"followup_closed","outcome":"done"}"#;
    assert!(
        serde_json::from_str::<IncidentEvent>(bad)
            .unwrap_err()
            .to_string()
            .contains("needs \"followup\"")
    );
}
