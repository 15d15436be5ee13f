use super::*;
use crate::domain::IncidentBook;
use crate::domain::incident::{IncidentChange, IncidentEvent, IncidentRecord};
use chrono::TimeZone;

fn t(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap()
}

fn rec(id: &str, sev: Severity, at: DateTime<Utc>, by: &str) -> IncidentRecord {
    IncidentRecord {
        id: id.into(),
        title: format!("title; of {id}"),
        service: "gateway".into(),
        severity: sev,
        env: "prod".into(),
        started_at: at,
        created_by: by.into(),
    }
}

#[test]
fn a_new_p1_rings_once_and_what_was_open_at_the_start_does_not() {
    let mut w = Watch::default();
    let book = IncidentBook::fold(&[rec("inc_old", Severity::P1, t(1, 0), "bo")], &[]);
    assert!(
        w.incidents(book.all(), t(3, 0), true, "ana").is_empty(),
        "the baseline"
    );
    assert!(
        w.countdowns(book.all(), t(3, 0)).is_empty(),
        "already breached at the start"
    );
    let book = IncidentBook::fold(
        &[
            rec("inc_old", Severity::P1, t(1, 0), "bo"),
            rec("inc_new", Severity::P2, t(3, 0), "bo"),
            rec("inc_p3", Severity::P3, t(3, 0), "bo"),
            rec("inc_mine", Severity::P1, t(3, 0), "ana"),
        ],
        &[],
    );
    let n = w.incidents(book.all(), t(3, 0), false, "ana");
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(
        (n[0].event, n[0].title.as_str()),
        (Event::NewIncident, "P2 inc_new")
    );
    assert!(
        w.incidents(book.all(), t(3, 1), false, "ana").is_empty(),
        "once"
    );
}

#[test]
fn the_countdown_rings_in_its_last_five_minutes_and_when_it_runs_out() {
    let mut w = Watch::default();
    let records = [rec("inc_a", Severity::P1, t(3, 0), "bo")];
    let book = IncidentBook::fold(&records, &[]);
    w.incidents(book.all(), t(3, 0), false, "ana");
    assert!(w.countdowns(book.all(), t(3, 9)).is_empty());
    let n = w.countdowns(book.all(), t(3, 10));
    assert_eq!(
        n.iter().map(|n| n.event).collect::<Vec<_>>(),
        vec![Event::Countdown]
    );
    assert!(w.countdowns(book.all(), t(3, 11)).is_empty(), "once");
    let n = w.countdowns(book.all(), t(3, 15));
    assert_eq!(
        n.iter().map(|n| n.event).collect::<Vec<_>>(),
        vec![Event::Breached]
    );
    // Acknowledged in time: nothing rings.
    let mut w = Watch::default();
    let acked = IncidentBook::fold(
        &records,
        &[IncidentEvent {
            incident_id: "inc_a".into(),
            at: t(3, 2),
            by: "ana".into(),
            change: IncidentChange::Acknowledged {
                message: String::new(),
            },
        }],
    );
    w.incidents(acked.all(), t(3, 2), false, "ana");
    assert!(w.countdowns(acked.all(), t(3, 20)).is_empty());
}

#[test]
fn an_integration_rings_when_it_goes_down_and_again_only_after_it_came_back() {
    let mut w = Watch::default();
    assert!(
        w.health("splunk", "unknown", "down", "x").is_none(),
        "the first poll is the baseline"
    );
    assert!(w.health("slack", "up", "down", "404").is_some());
    assert!(
        w.health("slack", "degraded", "down", "404").is_none(),
        "once"
    );
    assert!(w.health("slack", "down", "up", "").is_none());
    assert!(w.health("slack", "up", "down", "404").is_some(), "re-armed");
}

#[test]
fn the_sequences_carry_no_controls_and_pass_through_tmux() {
    let n = Notice {
        event: Event::NewIncident,
        title: "P1; PD-1\x1b[2J".into(),
        body: "db down\x07; now".into(),
    };
    let plain = escape_sequences(&n, true, true, false);
    assert_eq!(
        plain,
        "\x1b]9;P1 PD-1[2J: db down; now\x07\x1b]777;notify;P1 PD-1[2J;db down; now\x07\x07"
    );
    let tmux = escape_sequences(&n, false, true, true);
    assert!(tmux.starts_with("\x1bPtmux;\x1b\x1b]9;"), "{tmux:?}");
    assert!(tmux.ends_with("\x07\x1b\\"), "{tmux:?}");
    assert_eq!(escape_sequences(&n, true, false, true), "\x07");
}

#[test]
fn an_incident_first_seen_late_rings_once_saying_so() {
    let mut w = Watch::default();
    w.incidents(std::iter::empty(), t(3, 0), true, "ana");
    let book = IncidentBook::fold(&[rec("inc_late", Severity::P1, t(2, 30), "bo")], &[]);
    let n = w.incidents(book.all(), t(3, 0), false, "ana");
    assert_eq!(n.len(), 1);
    assert!(
        n[0].body.ends_with("· not acknowledged in time"),
        "{}",
        n[0].body
    );
    assert!(
        w.countdowns(book.all(), t(3, 1)).is_empty(),
        "never more than one"
    );
}
