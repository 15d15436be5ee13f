use super::*;
use crate::domain::Severity;
use crate::domain::remote::{RemoteIncident, Silence};
use chrono::TimeZone;
use std::collections::BTreeMap;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 3, 0, 0).unwrap()
}

fn remote(vendor: Vendor, status: IncidentStatus) -> Incident {
    RemoteIncident {
        source: "src".into(),
        vendor,
        remote_id: "R1".into(),
        number: "1".into(),
        id: format!("{}-1", vendor.default_prefix()),
        title: "Disk full".into(),
        service: "credguard-api".into(),
        severity: Severity::P2,
        vendor_priority: "P2".into(),
        status,
        created_at: now() - Duration::minutes(10),
        updated_at: now() - Duration::minutes(10),
        acknowledged: (status != IncidentStatus::Open)
            .then(|| (now() - Duration::minutes(5), "bo".to_string())),
        resolved: None,
        assignees: vec![],
        url: None,
        labels: if vendor == Vendor::Alertmanager {
            BTreeMap::from([("alertname".to_string(), "DiskFull".to_string())])
        } else {
            BTreeMap::new()
        },
        annotations: BTreeMap::new(),
        silences: vec![],
        snoozed_until: None,
    }
    .to_incident()
}

fn ask(inc: &Incident, a: Ask) -> Result<Queued, String> {
    prepare(inc, &a, "abcdef1234".into(), "ana", now())
}

#[test]
fn a_snooze_needs_a_span_and_on_pagerduty_an_acknowledged_incident() {
    let open = remote(Vendor::Pagerduty, IncidentStatus::Open);
    let e = ask(&open, Ask::new(RemoteAction::Snooze)).unwrap_err();
    assert!(e.contains("for how long"), "{e}");
    let e = ask(
        &open,
        Ask::new(RemoteAction::Snooze).with_span(Duration::minutes(30)),
    )
    .unwrap_err();
    assert!(e.contains("acknowledge it first"), "{e}");
    let acked = remote(Vendor::Pagerduty, IncidentStatus::Acknowledged);
    let q = ask(
        &acked,
        Ask::new(RemoteAction::Snooze).with_span(Duration::minutes(30)),
    )
    .unwrap();
    assert_eq!(q.until, Some(now() + Duration::minutes(30)));
    // Opsgenie snoozes an open alert.
    let og = remote(Vendor::Opsgenie, IncidentStatus::Open);
    assert!(
        ask(
            &og,
            Ask::new(RemoteAction::Snooze).with_span(Duration::hours(1))
        )
        .is_ok()
    );
    let e = ask(
        &og,
        Ask::new(RemoteAction::Snooze).with_span(Duration::days(8)),
    )
    .unwrap_err();
    assert!(e.contains("7 days"), "{e}");
}

#[test]
fn what_a_vendor_lacks_is_refused_with_its_name() {
    let am = remote(Vendor::Alertmanager, IncidentStatus::Open);
    let e = ask(&am, Ask::new(RemoteAction::Acknowledge)).unwrap_err();
    assert!(
        e.starts_with("AM-1: Alertmanager has no acknowledgement"),
        "{e}"
    );
    let pd = remote(Vendor::Pagerduty, IncidentStatus::Acknowledged);
    let e = ask(&pd, Ask::new(RemoteAction::Unacknowledge)).unwrap_err();
    assert!(e.contains("PagerDuty has no unacknowledge"), "{e}");
    let e = ask(
        &pd,
        Ask::new(RemoteAction::Silence).with_span(Duration::hours(1)),
    )
    .unwrap_err();
    assert!(e.contains("PagerDuty has no silences"), "{e}");
}

#[test]
fn a_silence_matches_the_alert_labels_and_expire_finds_its_silence() {
    let mut am = remote(Vendor::Alertmanager, IncidentStatus::Open);
    let q = ask(
        &am,
        Ask::new(RemoteAction::Silence)
            .with_span(Duration::hours(2))
            .with_message("deploy in progress"),
    )
    .unwrap();
    assert_eq!(q.labels["alertname"], "DiskFull");
    assert_eq!(q.until, Some(now() + Duration::hours(2)));
    assert_eq!(
        q.comment(),
        "deploy in progress — ana via shiftdeck (ref abcdef12)"
    );
    let e = ask(&am, Ask::new(RemoteAction::Expire)).unwrap_err();
    assert!(e.contains("no silence holds it"), "{e}");
    let s = |id: &str| Silence {
        id: id.into(),
        ends_at: now() + Duration::hours(1),
        created_by: "bo".into(),
        comment: String::new(),
    };
    am.remote.as_mut().unwrap().silences = vec![s("1111-aaaa")];
    assert_eq!(
        ask(&am, Ask::new(RemoteAction::Expire)).unwrap().target,
        "1111-aaaa"
    );
    am.remote.as_mut().unwrap().silences.push(s("2222-bbbb"));
    let e = ask(&am, Ask::new(RemoteAction::Expire)).unwrap_err();
    assert!(e.contains("2 silences hold it"), "{e}");
    let q = ask(&am, Ask::new(RemoteAction::Expire).with_target("2222")).unwrap();
    assert_eq!(q.target, "2222-bbbb");
    assert!(ask(&am, Ask::new(RemoteAction::Expire).with_target("3333")).is_err());
}

#[test]
fn hand_offs_need_someone_and_unack_needs_an_acknowledgement() {
    let og = remote(Vendor::Opsgenie, IncidentStatus::Open);
    assert!(
        ask(&og, Ask::new(RemoteAction::Reassign))
            .unwrap_err()
            .contains("to whom")
    );
    let q = ask(&og, Ask::new(RemoteAction::Reassign).with_target(" bo ")).unwrap();
    assert_eq!(q.target, "bo");
    let e = ask(&og, Ask::new(RemoteAction::Escalate)).unwrap_err();
    assert!(e.contains("named escalation"), "{e}");
    let pd = remote(Vendor::Pagerduty, IncidentStatus::Open);
    assert!(ask(&pd, Ask::new(RemoteAction::Escalate)).is_ok());
    let e = ask(&og, Ask::new(RemoteAction::Unacknowledge)).unwrap_err();
    assert!(e.contains("not acknowledged"), "{e}");
    let acked = remote(Vendor::Jsm, IncidentStatus::Acknowledged);
    assert!(ask(&acked, Ask::new(RemoteAction::Unacknowledge)).is_ok());
}

#[test]
fn the_older_rules_still_decide_acknowledge_note_and_resolve() {
    let acked = remote(Vendor::Pagerduty, IncidentStatus::Acknowledged);
    let e = ask(&acked, Ask::new(RemoteAction::Acknowledge)).unwrap_err();
    assert!(e.contains("already acknowledged"), "{e}");
    let e = ask(&acked, Ask::new(RemoteAction::Note)).unwrap_err();
    assert!(e.contains("needs text"), "{e}");
    let mut gone = remote(Vendor::Opsgenie, IncidentStatus::Acknowledged);
    gone.status = IncidentStatus::Resolved;
    let e = ask(
        &gone,
        Ask::new(RemoteAction::Snooze).with_span(Duration::hours(1)),
    )
    .unwrap_err();
    assert!(e.contains("already closed"), "{e}");
}
