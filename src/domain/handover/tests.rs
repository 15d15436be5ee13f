use super::*;
use crate::domain::journal::JournalEntry;
use crate::domain::{IncidentChange, IncidentEvent, IncidentRecord, Severity};
use chrono::TimeZone;

fn t(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 14, h, m, 0).unwrap()
}

fn fixture() -> (Vec<JournalEntry>, IncidentBook) {
    let shift = "20260513-2300-ana.lima";
    let rec = |id: &str, title: &str, service: &str, sev: Severity, at| IncidentRecord {
        id: id.into(),
        title: title.into(),
        service: service.into(),
        severity: sev,
        env: "prod".into(),
        started_at: at,
        created_by: "helion".into(),
    };
    let records = vec![
        rec(
            "inc_20260514_0238_c5e81b",
            "credguard-backend restart loop: OOM-killed",
            "credguard-backend",
            Severity::P1,
            t(2, 38),
        ),
        rec(
            "inc_20260514_0205_d3a7f1",
            "MySQL backup missing: none newer than 24h",
            "mysql",
            Severity::P2,
            t(2, 5),
        ),
        rec(
            "inc_20260514_0018_7a2e60",
            "Slack webhook revoked: 404 no_service",
            "slack",
            Severity::P2,
            t(0, 18),
        ),
    ];
    let ev = |id: &str, at, change| IncidentEvent {
        incident_id: id.into(),
        at,
        by: "ana.lima".into(),
        change,
    };
    let events = vec![
        ev(
            "inc_20260514_0205_d3a7f1",
            t(2, 10),
            IncidentChange::Acknowledged {
                message: String::new(),
            },
        ),
        ev(
            "inc_20260514_0018_7a2e60",
            t(1, 5),
            IncidentChange::Resolved {
                message: "new webhook in .env.local".into(),
            },
        ),
    ];
    let book = IncidentBook::fold(&records, &events);
    let inc = |at, action: &str, id: &str, sev: &str, title: &str| {
        JournalEntry::new(at, shift, "ana.lima", EntryKind::Incident)
            .with("action", action)
            .with("incident_id", id)
            .with("severity", sev)
            .with("title", title)
    };
    let journal = vec![
        JournalEntry::new(
            t(23, 0) - chrono::Duration::days(1),
            shift,
            "ana.lima",
            EntryKind::ShiftStart,
        ),
        inc(
            t(1, 5),
            "resolved",
            "inc_20260514_0018_7a2e60",
            "P2",
            "Slack webhook revoked: 404 no_service",
        ),
        inc(
            t(2, 10),
            "acknowledged",
            "inc_20260514_0205_d3a7f1",
            "P2",
            "MySQL backup missing: none newer than 24h",
        ),
        JournalEntry::note(
            t(2, 20),
            shift,
            "ana.lima",
            "#pending manual backup running: /opt/credguard/scripts/backup-database.sh",
            &[],
        ),
        JournalEntry::note(
            t(2, 45),
            shift,
            "ana.lima",
            "#handover backend OOM loop: memory limit raised to 2G,\nwatch restarts until 06:00 #watch",
            &[],
        ),
        JournalEntry::note(
            t(2, 50),
            shift,
            "ana.lima",
            "coffee machine on 3rd floor fixed",
            &[],
        ),
    ];
    (journal, book)
}

fn report(integrations: Option<&[IntegrationState]>) -> HandoverReport {
    let (journal, book) = fixture();
    build(&HandoverInput {
        shift: "20260513-2300-ana.lima",
        operator: "ana.lima",
        started: t(23, 0) - chrono::Duration::days(1),
        now: t(3, 0),
        timezone: chrono_tz::America::Sao_Paulo,
        summary: "Quiet until 02:38, then the backend OOM loop. Backup job still running.",
        journal: &journal,
        book: &book,
        integrations,
        pending_approvals: None,
        unfinished_steps: None,
        unsent_messages: Vec::new(),
        earlier: &[],
    })
}

/// The fixture's shift in UTC with no summary, from these journal lines and
/// incidents, with these messages waiting.
fn plain(journal: &[JournalEntry], book: &IncidentBook, unsent: Vec<String>) -> HandoverReport {
    build(&HandoverInput {
        shift: "20260513-2300-ana.lima",
        operator: "ana.lima",
        started: t(23, 0) - chrono::Duration::days(1),
        now: t(3, 0),
        timezone: chrono_tz::UTC,
        summary: "",
        journal,
        book,
        integrations: None,
        pending_approvals: None,
        unfinished_steps: None,
        unsent_messages: unsent,
        earlier: &[],
    })
}

#[test]
fn the_markdown_report_in_full() {
    insta::assert_snapshot!(report(None).to_markdown());
}

#[test]
fn hold_names_every_integration_not_green() {
    let states = vec![
        IntegrationState {
            name: "datadog".into(),
            status: "up".into(),
            hint: String::new(),
        },
        IntegrationState {
            name: "splunk-hec".into(),
            status: "down".into(),
            hint: "token disabled in Splunk".into(),
        },
        IntegrationState {
            name: "slack".into(),
            status: "degraded".into(),
            hint: "rate limited".into(),
        },
    ];
    let r = report(Some(&states));
    assert_eq!(r.hold, vec!["splunk-hec is down", "slack is degraded"]);
    let md = r.to_markdown();
    assert!(md.contains(
        "**HOLD** — not everything is green:\n- splunk-hec is down\n- slack is degraded"
    ));
    assert!(md.contains("- **splunk-hec**: down — token disabled in Splunk"));
    let all_up = vec![IntegrationState {
        name: "datadog".into(),
        status: "up".into(),
        hint: String::new(),
    }];
    let green = report(Some(&all_up));
    assert!(!green.is_hold());
    assert!(green.to_markdown().contains("**GREEN**"));
}

#[test]
fn notes_are_grouped_by_tag_in_the_operators_order() {
    let r = report(None);
    let tags: Vec<&str> = r.notes.iter().map(|g| g.tag.as_str()).collect();
    assert_eq!(tags, ["handover", "pending", "watch", ""]);
    assert_eq!(
        r.open_incidents.len(),
        2,
        "resolved incidents are not handed over"
    );
    assert_eq!(r.open_incidents[0].severity, "P1");
    assert_eq!(r.changes.len(), 2);
}

#[test]
fn a_remote_action_not_sent_yet_is_in_the_handover() {
    use crate::domain::remote::{RemoteIncident, Vendor};
    let (journal, mut book) = fixture();
    let pd = RemoteIncident {
        source: "pd-oncall".into(),
        vendor: Vendor::Pagerduty,
        remote_id: "Q1".into(),
        number: "4218".into(),
        id: "PD-4218".into(),
        title: "credguard-api: 5xx above 8%".into(),
        service: "credguard-api".into(),
        severity: Severity::P1,
        vendor_priority: "P1, high urgency".into(),
        status: crate::domain::IncidentStatus::Open,
        created_at: t(2, 40),
        updated_at: t(2, 40),
        acknowledged: None,
        resolved: None,
        assignees: Vec::new(),
        url: None,
        labels: Default::default(),
        annotations: Default::default(),
        silences: Vec::new(),
        snoozed_until: None,
    };
    book.set_remote("pd-oncall", vec![pd.to_incident()], t(3, 0));
    book.set_pending(
        "pd-oncall",
        &[("PD-4218".into(), "ack queued 02:55".into())],
    );
    let md = plain(&journal, &book, Vec::new()).to_markdown();
    assert!(
        md.contains("`PD-4218`")
            && md.contains("open (ack queued 02:55 at PagerDuty: not sent yet)"),
        "{md}"
    );
}

#[test]
fn a_status_update_sent_this_shift_is_among_what_changed() {
    let (mut journal, book) = fixture();
    journal.push(
        JournalEntry::new(
            t(2, 50),
            "20260513-2300-ana.lima",
            "ana.lima",
            EntryKind::Message,
        )
        .with(
            "action",
            "status update inc_20260514_0238_c5e81b queued for Slack",
        )
        .with(
            "text",
            "[P1] credguard-backend — restart loop · action: raised memory · ETA 30m",
        ),
    );
    let r = plain(
        &journal,
        &book,
        vec!["status update inc_20260514_0238_c5e81b by Slack — Slack: could not connect".into()],
    );
    let md = r.to_markdown();
    assert!(
        md.contains("## Messages not sent yet\n\n- status update inc_20260514_0238_c5e81b by Slack — Slack: could not connect"),
        "{md}"
    );
    assert!(
        r.changes.iter().any(|c| c.text
            == "status update inc_20260514_0238_c5e81b queued for Slack: [P1] credguard-backend — restart loop · action: raised memory · ETA 30m"),
        "{:?}",
        r.changes
    );
}
