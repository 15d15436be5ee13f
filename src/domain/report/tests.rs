use super::*;
use crate::domain::{IncidentChange, IncidentEvent, IncidentRecord};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn inc(id: &str, title: &str, service: &str, sev: Severity, start: &str) -> Incident {
    Incident::from_record(&IncidentRecord {
        id: id.into(),
        title: title.into(),
        service: service.into(),
        severity: sev,
        env: "prod".into(),
        started_at: at(start),
        created_by: "ana".into(),
    })
}

fn event(i: &mut Incident, t: &str, change: IncidentChange) {
    let e = IncidentEvent {
        incident_id: i.id.clone(),
        at: at(t),
        by: "bo".into(),
        change,
    };
    i.apply(&e);
}

#[test]
fn weeks_are_iso_weeks_in_the_operators_zone() {
    let w = Week::parse("2026-W48").unwrap();
    let (from, to) = w.span(chrono_tz::UTC);
    assert_eq!(
        (from, to),
        (at("2026-11-23T00:00:00Z"), at("2026-11-30T00:00:00Z"))
    );
    let sp = w.span(chrono_tz::America::Sao_Paulo);
    assert_eq!(sp.0, at("2026-11-23T03:00:00Z"));
    assert!(Week::parse("2026-48").is_err() && Week::parse("2026-W60").is_err());
    assert_eq!(
        Week::of(at("2026-11-30T02:00:00Z"), chrono_tz::America::Sao_Paulo).to_string(),
        "2026-W48"
    );
}

#[test]
fn the_week_counts_targets_breaches_recurrences_and_availability() {
    let mut a = inc(
        "inc_a",
        "HEC token disabled 403",
        "splunk-hec",
        Severity::P2,
        "2026-11-24T03:00:00Z",
    );
    event(
        &mut a,
        "2026-11-24T03:20:00Z",
        IncidentChange::Acknowledged {
            message: String::new(),
        },
    );
    event(
        &mut a,
        "2026-11-24T05:00:00Z",
        IncidentChange::Resolved {
            message: String::new(),
        },
    );
    let mut b = inc(
        "inc_b",
        "HEC token disabled again",
        "splunk-hec",
        Severity::P2,
        "2026-11-27T10:00:00Z",
    );
    event(
        &mut b,
        "2026-11-27T12:00:00Z",
        IncidentChange::Acknowledged {
            message: String::new(),
        },
    );
    let c = inc(
        "inc_c",
        "Gateway 5xx",
        "gateway",
        Severity::P1,
        "2026-11-26T10:00:00Z",
    );
    let old = inc(
        "inc_old",
        "Old thing",
        "mysql",
        Severity::P3,
        "2026-11-01T10:00:00Z",
    );
    let all = [&a, &b, &c, &old];
    let health = |t: &str, from: &str, to: &str| {
        JournalEntry::new(at(t), "s", "ana", EntryKind::Health)
            .with("integration", "splunk-hec")
            .with("from", from)
            .with("to", to)
    };
    let journal = vec![
        health("2026-11-24T00:00:00Z", "up", "down"),
        health("2026-11-24T12:00:00Z", "down", "up"),
        JournalEntry::new(at("2026-11-25T09:00:00Z"), "s", "ana", EntryKind::Checklist)
            .with("checklist", "morning-operations")
            .with("result", "done"),
        JournalEntry::note(
            at("2026-11-25T09:30:00Z"),
            "s",
            "ana",
            "verified by hand",
            &["deviation".to_string()],
        ),
    ];
    let r = build(&Input {
        week: Week::parse("2026-W48").unwrap(),
        tz: chrono_tz::UTC,
        now: at("2026-12-01T00:00:00Z"),
        incidents: &all,
        approvals: &[],
        journal: &journal,
    });
    assert_eq!(r.incidents, 3, "the old one is another week's");
    let p2 = r
        .by_severity
        .iter()
        .find(|s| s.severity == Severity::P2)
        .unwrap();
    assert_eq!(
        (p2.declared, p2.mtta_mins, p2.mttr_mins, p2.breaches),
        (2, Some(70), Some(120), 1)
    );
    assert_eq!(
        r.breaches.len(),
        2,
        "inc_b acked late, inc_c never: {:?}",
        r.breaches
    );
    assert_eq!(r.recurrences.len(), 1, "{:?}", r.recurrences);
    assert!(r.recurrences[0].contains("`inc_b`") && r.recurrences[0].contains("first `inc_a`"));
    assert_eq!(r.per_day, [0, 1, 0, 1, 1, 0, 0]);
    let up = r.availability["splunk-hec"];
    assert!(
        (up - 100.0 * (6.5 * 24.0) / (7.0 * 24.0)).abs() < 0.01,
        "{up}"
    );
    assert_eq!(r.checklists["morning-operations"], [1, 0, 0]);
    assert_eq!(r.deviations, ["verified by hand (ana)"]);
    let md = r.to_markdown(chrono_tz::UTC, false);
    assert!(md.contains("# Weekly report — 2026-W48"), "{md}");
    assert!(
        md.contains(
            "- **P2**: 2 declared · MTTA 1h 10m (target 1h 00m) · MTTR 2h 00m · 1 breach(es)"
        ),
        "{md}"
    );
    assert!(md.contains("- splunk-hec: 92.9 % up"), "{md}");
    assert!(md.contains("`▁█▁██▁▁`"), "{md}");
}
