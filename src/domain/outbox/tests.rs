use super::*;
use chrono::TimeZone;

fn t(min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 3, min, 0).unwrap()
}

fn queued(id: &str, action: RemoteAction) -> Queued {
    Queued {
        id: id.into(),
        at: t(0),
        source: "pd".into(),
        vendor: Vendor::Pagerduty,
        incident: "PD-4211".into(),
        remote_id: "Q1".into(),
        title: "API 5xx".into(),
        action,
        message: "looking".into(),
        by: "ana".into(),
        until: None,
        target: String::new(),
        labels: Default::default(),
    }
}

fn pending(action: RemoteAction, attempts: u32) -> Pending {
    Pending {
        queued: queued("a1b2c3d4e5", action),
        attempts,
        request_id: None,
        accepted_at: None,
    }
}

fn state(status: IncidentStatus) -> VendorState {
    VendorState {
        status,
        acknowledged_by: Some("bruno".into()),
        resolved: (status == IncidentStatus::Resolved).then(|| (t(5), "carla".into())),
    }
}

#[test]
fn lines_round_trip_and_fold_in_order() {
    let lines = vec![
        OutboxLine::Queued(queued("a", RemoteAction::Acknowledge)),
        OutboxLine::Queued(queued("b", RemoteAction::Note)),
        OutboxLine::Attempt {
            id: "a".into(),
            at: t(1),
        },
        OutboxLine::Queued(queued("c", RemoteAction::Resolve)),
        OutboxLine::Done {
            id: "a".into(),
            at: t(2),
            outcome: Outcome::Sent,
            detail: String::new(),
        },
        OutboxLine::Attempt {
            id: "b".into(),
            at: t(3),
        },
        OutboxLine::Accepted {
            id: "b".into(),
            at: t(3),
            request_id: "r-1".into(),
        },
        // A second outcome for the same action never replaces the first.
        OutboxLine::Done {
            id: "a".into(),
            at: t(4),
            outcome: Outcome::Failed,
            detail: "late".into(),
        },
    ];
    let text: String = lines
        .iter()
        .map(|l| serde_json::to_string(l).unwrap() + "\n")
        .collect();
    let read: Vec<OutboxLine> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(read, lines);
    let ob = Outbox::fold(&read);
    assert_eq!(ob.finished.len(), 1);
    assert_eq!(ob.finished[0].outcome, Outcome::Sent);
    let ids: Vec<&str> = ob.pending.iter().map(|p| p.queued.id.as_str()).collect();
    assert_eq!(ids, ["b", "c"]);
    assert_eq!(ob.pending[0].attempts, 1);
    assert_eq!(ob.pending[0].request_id.as_deref(), Some("r-1"));
    assert_eq!(ob.pending[1].attempts, 0);
    assert!(ob.waiting("PD-4211", RemoteAction::Resolve).is_some());
    assert!(ob.waiting("PD-4211", RemoteAction::Acknowledge).is_none());
    assert_eq!(ob.pending_for("pd").count(), 2);
    assert_eq!(ob.pending_for("og").count(), 0);
}

#[test]
fn an_open_incident_gets_the_action() {
    for action in [
        RemoteAction::Acknowledge,
        RemoteAction::Note,
        RemoteAction::Resolve,
    ] {
        assert_eq!(
            plan(&pending(action, 0), &state(IncidentStatus::Open), false),
            Plan::Send
        );
    }
}

#[test]
fn nothing_goes_to_an_incident_someone_else_resolved() {
    for action in [
        RemoteAction::Acknowledge,
        RemoteAction::Note,
        RemoteAction::Resolve,
    ] {
        match plan(&pending(action, 0), &state(IncidentStatus::Resolved), false) {
            Plan::Finish(Outcome::Dropped, why) => {
                assert!(
                    why.contains("already resolved at PagerDuty by carla"),
                    "{why}"
                );
                assert!(why.contains("was not sent"), "{why}");
            }
            other => panic!("{action}: {other:?}"),
        }
    }
}

#[test]
fn a_second_attempt_is_not_a_second_send() {
    // Acknowledged already (by us before a crash, or by someone): done.
    match plan(
        &pending(RemoteAction::Acknowledge, 1),
        &state(IncidentStatus::Acknowledged),
        false,
    ) {
        Plan::Finish(Outcome::AlreadyDone, why) => assert!(why.contains("bruno"), "{why}"),
        other => panic!("{other:?}"),
    }
    // Our own earlier resolve attempt got through.
    assert!(matches!(
        plan(
            &pending(RemoteAction::Resolve, 1),
            &state(IncidentStatus::Resolved),
            false
        ),
        Plan::Finish(Outcome::AlreadyDone, _)
    ));
    // A note that may have been sent is looked for first.
    assert_eq!(
        plan(
            &pending(RemoteAction::Note, 1),
            &state(IncidentStatus::Acknowledged),
            false
        ),
        Plan::LookForNote
    );
    // A note after our own resolve still goes.
    assert_eq!(
        plan(
            &pending(RemoteAction::Note, 0),
            &state(IncidentStatus::Resolved),
            true
        ),
        Plan::Send
    );
    // Resolving an acknowledged incident is sent.
    assert_eq!(
        plan(
            &pending(RemoteAction::Resolve, 0),
            &state(IncidentStatus::Acknowledged),
            false
        ),
        Plan::Send
    );
}

#[test]
fn opsgenie_says_closed() {
    let mut p = pending(RemoteAction::Acknowledge, 0);
    p.queued.vendor = Vendor::Opsgenie;
    p.queued.incident = "OG-1042".into();
    match plan(&p, &state(IncidentStatus::Resolved), false) {
        Plan::Finish(Outcome::Dropped, why) => {
            assert!(
                why.contains("OG-1042 was already closed at Opsgenie"),
                "{why}"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_note_carries_who_and_its_reference() {
    let q = queued("a1b2c3d4e5f6", RemoteAction::Note);
    assert_eq!(q.reference(), "a1b2c3d4");
    assert_eq!(
        q.note_text(),
        "looking\n\n— ana via shiftdeck (ref a1b2c3d4)"
    );
}

#[test]
fn a_responder_or_escalation_that_may_have_got_through_is_not_sent_again() {
    let open = state(IncidentStatus::Open);
    for action in [RemoteAction::AddResponder, RemoteAction::Escalate] {
        assert_eq!(plan(&pending(action, 0), &open, false), Plan::Send);
        match plan(&pending(action, 1), &open, false) {
            Plan::Finish(Outcome::Failed, why) => {
                assert!(why.contains("may have reached PagerDuty"), "{why}")
            }
            other => panic!("{action:?}: {other:?}"),
        }
    }
    // A snooze or a reassignment twice does the same thing: sent again.
    assert_eq!(
        plan(&pending(RemoteAction::Snooze, 1), &open, false),
        Plan::Send
    );
    // A silence attempted before a crash is looked for by its reference.
    assert_eq!(
        plan(&pending(RemoteAction::Silence, 1), &open, false),
        Plan::LookForNote
    );
    // Unacknowledging an open incident is already done; nothing goes to a
    // resolved one.
    let mut p = pending(RemoteAction::Unacknowledge, 0);
    p.queued.vendor = Vendor::Opsgenie;
    assert!(matches!(
        plan(&p, &open, false),
        Plan::Finish(Outcome::AlreadyDone, _)
    ));
    let gone = state(IncidentStatus::Resolved);
    assert!(matches!(
        plan(&pending(RemoteAction::Snooze, 0), &gone, false),
        Plan::Finish(Outcome::Dropped, _)
    ));
}
