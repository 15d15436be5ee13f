use super::*;
use chrono::TimeZone;

fn t(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 14, h, m, 0).unwrap()
}

fn record(id: &str, sev: Severity, at: DateTime<Utc>) -> IncidentRecord {
    IncidentRecord {
        id: id.into(),
        title: format!("title of {id}"),
        service: "gateway".into(),
        severity: sev,
        env: "prod".into(),
        started_at: at,
        created_by: "ana".into(),
    }
}

fn ev(id: &str, at: DateTime<Utc>, change: IncidentChange) -> IncidentEvent {
    IncidentEvent {
        incident_id: id.into(),
        at,
        by: "bo".into(),
        change,
    }
}

#[test]
fn fold_applies_events_in_order() {
    let recs = [record("inc_a", Severity::P3, t(1, 0))];
    let events = [
        ev(
            "inc_a",
            t(1, 5),
            IncidentChange::Note {
                message: "looking".into(),
            },
        ),
        ev(
            "inc_a",
            t(1, 10),
            IncidentChange::Acknowledged {
                message: String::new(),
            },
        ),
        ev(
            "inc_a",
            t(1, 20),
            IncidentChange::Escalated {
                to: Severity::P2,
                message: "spreading".into(),
            },
        ),
        ev(
            "inc_a",
            t(2, 0),
            IncidentChange::Resolved {
                message: "rolled back".into(),
            },
        ),
    ];
    let book = IncidentBook::fold(&recs, &events);
    let inc = book.get("inc_a").unwrap();
    assert_eq!(inc.status, IncidentStatus::Resolved);
    assert_eq!(inc.severity, Severity::P2);
    assert_eq!(inc.acknowledged, Some((t(1, 10), "bo".into())));
    assert_eq!(inc.resolved, Some((t(2, 0), "bo".into())));
    assert_eq!(inc.timeline.len(), 4);
    assert_eq!(inc.updated_at, t(2, 0));
    assert_eq!(inc.age(t(9, 0)), Duration::hours(1));
}

#[test]
fn events_before_their_record_are_applied_when_it_arrives() {
    let mut book = IncidentBook::default();
    book.add_events(&[ev(
        "inc_b",
        t(3, 1),
        IncidentChange::Acknowledged {
            message: String::new(),
        },
    )]);
    assert_eq!(book.orphan_events(), 1);
    book.add_records(&[record("inc_b", Severity::P1, t(3, 0))]);
    assert_eq!(book.orphan_events(), 0);
    assert_eq!(
        book.get("inc_b").unwrap().status,
        IncidentStatus::Acknowledged
    );
}

#[test]
fn a_repeated_record_does_not_reset_the_incident() {
    let mut book = IncidentBook::fold(
        &[record("inc_c", Severity::P2, t(1, 0))],
        &[ev(
            "inc_c",
            t(1, 1),
            IncidentChange::Resolved {
                message: String::new(),
            },
        )],
    );
    book.add_records(&[record("inc_c", Severity::P4, t(5, 0))]);
    assert_eq!(book.len(), 1);
    assert_eq!(book.get("inc_c").unwrap().status, IncidentStatus::Resolved);
}

#[test]
fn countdown_runs_then_breaches_then_is_met_on_ack() {
    let mut inc = Incident::from_record(&record("inc_d", Severity::P1, t(4, 0)));
    assert_eq!(
        inc.countdown(t(4, 5)),
        Countdown::Remaining(Duration::minutes(10))
    );
    assert_eq!(
        inc.countdown(t(4, 15)),
        Countdown::Remaining(Duration::zero())
    );
    assert_eq!(
        inc.countdown(t(4, 20)),
        Countdown::Breached(Duration::minutes(5))
    );
    inc.apply(&ev(
        "inc_d",
        t(4, 30),
        IncidentChange::Acknowledged {
            message: String::new(),
        },
    ));
    assert_eq!(
        inc.countdown(t(5, 0)),
        Countdown::MetLate(Duration::minutes(15))
    );

    let mut quick = Incident::from_record(&record("inc_e", Severity::P2, t(4, 0)));
    quick.apply(&ev(
        "inc_e",
        t(4, 10),
        IncidentChange::Acknowledged {
            message: String::new(),
        },
    ));
    assert_eq!(quick.countdown(t(9, 0)), Countdown::Met);

    let mut closed = Incident::from_record(&record("inc_f", Severity::P4, t(4, 0)));
    closed.apply(&ev(
        "inc_f",
        t(4, 10),
        IncidentChange::Resolved {
            message: String::new(),
        },
    ));
    assert_eq!(closed.countdown(t(9, 0)), Countdown::Closed);
}

#[test]
fn escalation_tightens_but_never_extends_the_deadline() {
    let mut inc = Incident::from_record(&record("inc_g", Severity::P3, t(0, 0)));
    assert_eq!(inc.respond_by, t(4, 0));
    inc.apply(&ev(
        "inc_g",
        t(1, 0),
        IncidentChange::Escalated {
            to: Severity::P1,
            message: String::new(),
        },
    ));
    assert_eq!(inc.respond_by, t(1, 15));
    assert_eq!(inc.severity, Severity::P1);

    let mut late = Incident::from_record(&record("inc_h", Severity::P2, t(0, 0)));
    late.apply(&ev(
        "inc_h",
        t(0, 55),
        IncidentChange::Escalated {
            to: Severity::P1,
            message: String::new(),
        },
    ));
    assert_eq!(
        late.respond_by,
        t(1, 0),
        "P2's own deadline is earlier than 00:55 + 15 min"
    );
}

#[test]
fn refusals_name_who_got_there_first() {
    let mut inc = Incident::from_record(&record("inc_i", Severity::P1, t(0, 0)));
    let ack = IncidentChange::Acknowledged {
        message: String::new(),
    };
    assert_eq!(inc.check(&ack), Ok(()));
    inc.apply(&ev("inc_i", t(0, 1), ack.clone()));
    assert_eq!(
        inc.check(&ack),
        Err(IncidentRefusal::AlreadyAcknowledged { by: "bo".into() })
    );
    assert_eq!(
        inc.check(&IncidentChange::Escalated {
            to: Severity::P1,
            message: String::new()
        }),
        Err(IncidentRefusal::AlreadyP1)
    );
    assert_eq!(
        inc.check(&IncidentChange::Note {
            message: "  ".into()
        }),
        Err(IncidentRefusal::EmptyNote)
    );
    inc.apply(&ev(
        "inc_i",
        t(0, 2),
        IncidentChange::Resolved {
            message: String::new(),
        },
    ));
    let refused = inc
        .check(&IncidentChange::Resolved {
            message: String::new(),
        })
        .unwrap_err();
    assert_eq!(refused.to_string(), "already resolved by bo");
    assert_eq!(
        inc.check(&IncidentChange::Reopened {
            message: String::new()
        }),
        Ok(())
    );
}

#[test]
fn display_order_is_active_then_severity_then_oldest() {
    let recs = [
        record("inc_p3_old", Severity::P3, t(0, 0)),
        record("inc_p1_new", Severity::P1, t(3, 0)),
        record("inc_p1_old", Severity::P1, t(1, 0)),
        record("inc_p1_done", Severity::P1, t(0, 30)),
    ];
    let events = [ev(
        "inc_p1_done",
        t(0, 40),
        IncidentChange::Resolved {
            message: String::new(),
        },
    )];
    let book = IncidentBook::fold(&recs, &events);
    let ids: Vec<&str> = book
        .sorted_indices(&Default::default(), t(1, 0), true)
        .into_iter()
        .map(|i| book.by_index(i).id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["inc_p1_old", "inc_p1_new", "inc_p3_old", "inc_p1_done"]
    );
    let active: Vec<usize> = book.sorted_indices(&Default::default(), t(1, 0), false);
    assert_eq!(active.len(), 3);
    assert_eq!(
        book.sorted_indices(
            &crate::domain::query::Query::parse(
                "P3_OLD",
                crate::domain::query::IncidentRow::FIELDS,
                ""
            )
            .unwrap(),
            t(1, 0),
            true
        )
        .len(),
        1,
        "filter is case-insensitive"
    );
    assert_eq!(book.open_count(Severity::P1), 2);
}

#[test]
fn find_accepts_a_unique_tail() {
    let book = IncidentBook::fold(
        &[
            record("inc_20260514_0300_a1b2c3", Severity::P2, t(3, 0)),
            record("inc_20260514_0301_ffff01", Severity::P2, t(3, 1)),
        ],
        &[],
    );
    assert_eq!(book.find("a1b2c3").unwrap().id, "inc_20260514_0300_a1b2c3");
    assert!(book.find("inc_2026").unwrap_err().contains("matches 2"));
    assert!(book.find("zzz").unwrap_err().contains("no incident"));
}

#[test]
fn ids_have_the_runbook_shape() {
    let id = new_incident_id(t(14, 30), 0xabc123);
    assert_eq!(id, "inc_20260514_1430_abc123");
    assert!(is_incident_id(&id));
    assert!(is_incident_id("inc_20260218_1430_abc123"));
    assert!(!is_incident_id("inc_2026_x"));
    assert!(!is_incident_id("inc_20260218_1430_"));
}

#[test]
fn events_serialise_as_flat_lines() {
    let e = ev(
        "inc_a",
        t(1, 0),
        IncidentChange::Escalated {
            to: Severity::P1,
            message: "worse".into(),
        },
    );
    let line = serde_json::to_string(&e).unwrap();
    assert_eq!(
        line,
        r#"{"incident_id":"inc_a","at":"2026-05-14T01:00:00Z","by":"bo","type":"escalated","to":"P1","message":"worse"}"#
    );
    let back: IncidentEvent = serde_json::from_str(&line).unwrap();
    assert_eq!(back, e);
}

#[test]
fn escalating_only_raises() {
    let p2 = Incident::from_record(&record("inc_j", Severity::P2, t(0, 0)));
    let to = |s| IncidentChange::Escalated {
        to: s,
        message: String::new(),
    };
    assert_eq!(p2.check(&to(Severity::P1)), Ok(()));
    for lower in [Severity::P2, Severity::P3, Severity::P4] {
        assert_eq!(
            p2.check(&to(lower)),
            Err(IncidentRefusal::NotHigher {
                from: Severity::P2,
                to: lower
            })
        );
    }
    let p1 = Incident::from_record(&record("inc_k", Severity::P1, t(0, 0)));
    assert_eq!(p1.check(&to(Severity::P4)), Err(IncidentRefusal::AlreadyP1));
}

#[test]
fn a_lowering_line_written_by_another_tool_does_not_lower_the_incident() {
    let mut inc = Incident::from_record(&record("inc_l", Severity::P1, t(0, 0)));
    inc.apply(&ev(
        "inc_l",
        t(0, 5),
        IncidentChange::Escalated {
            to: Severity::P4,
            message: String::new(),
        },
    ));
    assert_eq!(inc.severity, Severity::P1);
    assert_eq!(inc.respond_by, t(0, 15));
}

/// Two hosts' copies hold the same events in different orders (each wrote
/// its own first while the team store was away): both fold to the same
/// incident, the first acknowledgement and resolution by time standing.
#[test]
fn copies_merged_in_any_order_fold_alike_and_the_first_by_time_stands() {
    let recs = [record("inc_m", Severity::P2, t(3, 0))];
    let by = |who: &str, at, change| IncidentEvent {
        by: who.into(),
        ..ev("inc_m", at, change)
    };
    let ack = || IncidentChange::Acknowledged {
        message: String::new(),
    };
    let resolve = || IncidentChange::Resolved {
        message: String::new(),
    };
    let on_a = [
        by("ana", t(3, 12), ack()),
        by("ana", t(3, 20), resolve()),
        by("bo", t(3, 10), ack()),
        by("bo", t(3, 14), resolve()),
    ];
    let on_b = [
        by("bo", t(3, 10), ack()),
        by("bo", t(3, 14), resolve()),
        by("ana", t(3, 12), ack()),
        by("ana", t(3, 20), resolve()),
    ];
    let (a, b) = (
        IncidentBook::fold(&recs, &on_a),
        IncidentBook::fold(&recs, &on_b),
    );
    let (a, b) = (a.get("inc_m").unwrap(), b.get("inc_m").unwrap());
    assert_eq!(a.acknowledged, Some((t(3, 10), "bo".into())));
    assert_eq!(a.resolved, Some((t(3, 14), "bo".into())));
    assert_eq!(
        (&a.status, &a.acknowledged, &a.resolved),
        (&b.status, &b.acknowledged, &b.resolved)
    );
}
