//! The merged inbox on ratatui's TestBackend: PagerDuty and Opsgenie
//! incidents beside local ones, a queued action marked, an unreachable
//! source named, the remote detail and the confirmation.

mod common;

use common::screen::*;
use crossterm::event::KeyCode;
use shiftdeck::app::{App, Effect, InboxReport, Msg};
use shiftdeck::domain::outbox::{Pending, Queued, RemoteAction};
use shiftdeck::domain::remote::{RemoteIncident, Vendor};
use shiftdeck::domain::{IncidentStatus, Severity};
use shiftdeck::theme::Theme;

fn remote(
    vendor: Vendor,
    number: &str,
    title: &str,
    severity: Severity,
    status: IncidentStatus,
    minutes_ago: i64,
) -> RemoteIncident {
    let created = demo_now() - chrono::Duration::minutes(minutes_ago);
    let (source, prefix) = match vendor {
        Vendor::Pagerduty => ("pd-oncall", "PD"),
        Vendor::Opsgenie => ("og-platform", "OG"),
        Vendor::Jsm => ("jsm-ops", "JSM"),
        Vendor::Alertmanager => ("am-export", "AM"),
    };
    RemoteIncident {
        source: source.into(),
        vendor,
        remote_id: format!("R{number}"),
        number: number.into(),
        id: format!("{prefix}-{number}"),
        title: title.into(),
        service: "credguard-api".into(),
        severity,
        vendor_priority: "P1, high urgency".into(),
        status,
        created_at: created,
        updated_at: created,
        acknowledged: (status == IncidentStatus::Acknowledged)
            .then(|| (created + chrono::Duration::minutes(3), "Bruno Costa".into())),
        resolved: None,
        assignees: vec!["Bruno Costa".into()],
        url: Some(format!(
            "https://credguard.pagerduty.com/incidents/R{number}"
        )),
        labels: Default::default(),
        annotations: Default::default(),
        silences: Vec::new(),
        snoozed_until: None,
    }
}

/// A round's report with nothing in it: tests fill in what they need.
fn report(source: &str) -> InboxReport {
    InboxReport {
        source: source.into(),
        incidents: None,
        fetched_at: demo_now(),
        error: None,
        finished: Vec::new(),
        pending: Vec::new(),
        blocked: None,
        problems: Vec::new(),
    }
}

fn with_inbox(w: u16, h: u16) -> App {
    let mut app = demo_app(Theme::default_theme(), w, h);
    let pd = vec![
        remote(
            Vendor::Pagerduty,
            "4218",
            "credguard-api: 5xx error rate above 8% in eu-west-1",
            Severity::P1,
            IncidentStatus::Open,
            9,
        ),
        remote(
            Vendor::Pagerduty,
            "4215",
            "Postgres replica lag above 30 s",
            Severity::P2,
            IncidentStatus::Acknowledged,
            50,
        ),
    ];
    let waiting = Pending {
        queued: Queued {
            id: "a1b2c3d4e5f60718".into(),
            at: demo_now() - chrono::Duration::minutes(2),
            source: "pd-oncall".into(),
            vendor: Vendor::Pagerduty,
            incident: "PD-4218".into(),
            remote_id: "R4218".into(),
            title: String::new(),
            action: RemoteAction::Acknowledge,
            message: String::new(),
            by: "ana.lima".into(),
            until: None,
            target: String::new(),
            labels: Default::default(),
        },
        attempts: 1,
        request_id: None,
        accepted_at: None,
    };
    app.update(Msg::Inbox(Box::new(InboxReport {
        incidents: Some(pd),
        pending: vec![waiting],
        blocked: Some("PagerDuty incidents: connection refused".into()),
        ..report("pd-oncall")
    })));
    let og = vec![remote(
        Vendor::Opsgenie,
        "1044",
        "export-center workers not consuming",
        Severity::P1,
        IncidentStatus::Open,
        20,
    )];
    app.update(Msg::Inbox(Box::new(InboxReport {
        incidents: Some(og),
        ..report("og-platform")
    })));
    app
}

#[test]
fn remote_incidents_join_the_list_at_80x24_and_200x50() {
    let app = with_inbox(80, 24);
    let t = text(&draw(&app, 80, 24));
    insta::assert_snapshot!("inbox_80x24", t);
    assert!(t.contains("PD-4218") && t.contains("OG-1044"), "{t}");
    assert!(
        t.contains("⧗ credguard-api"),
        "the queued ack is marked: {t}"
    );
    assert!(t.contains("1 queued"), "{t}");

    let app = with_inbox(200, 50);
    let t = text(&draw(&app, 200, 50));
    insta::assert_snapshot!("inbox_200x50", t);
    assert!(t.contains("PD-4215"), "{t}");
}

#[test]
fn a_source_that_cannot_be_read_is_named_and_its_list_stays() {
    let mut app = with_inbox(100, 30);
    app.update(Msg::Inbox(Box::new(InboxReport {
        incidents: None,
        error: Some("Opsgenie incidents: connection refused".into()),
        ..report("og-platform")
    })));
    let t = text(&draw(&app, 100, 30));
    assert!(t.contains("og-platform offline"), "{t}");
    assert!(t.contains("OG-1044"), "the last list stays on screen: {t}");
    // The next list without it: closed there, so it leaves the active list.
    app.update(Msg::Inbox(Box::new(InboxReport {
        incidents: Some(Vec::new()),
        ..report("og-platform")
    })));
    let t = text(&draw(&app, 100, 30));
    assert!(!t.contains("OG-1044") && !t.contains("offline"), "{t}");
}

fn select(app: &mut App, id: &str) {
    app.update(key(KeyCode::Char('/')));
    for c in id.chars() {
        app.update(key(KeyCode::Char(c)));
    }
    app.update(key(KeyCode::Enter));
}

#[test]
fn the_remote_detail_says_where_it_lives_and_what_waits() {
    let mut app = with_inbox(100, 30);
    select(&mut app, "PD-4218");
    app.update(key(KeyCode::Enter));
    let t = text(&draw(&app, 100, 30));
    insta::assert_snapshot!("inbox_detail_100x30", t);
    assert!(t.contains("PagerDuty #4218 · source pd-oncall"), "{t}");
    assert!(
        t.contains("https://credguard.pagerduty.com/incidents/R4218"),
        "{t}"
    );
    assert!(t.contains("ack queued"), "{t}");
    assert!(t.contains("connection refused"), "why it waits: {t}");
}

#[test]
fn acting_on_a_remote_incident_asks_first_and_queues_it() {
    let mut app = with_inbox(100, 30);
    select(&mut app, "OG-1044");
    let fx = app.update(key(KeyCode::Char('a')));
    assert!(fx.is_empty(), "nothing before the yes: {fx:?}");
    let t = text(&draw(&app, 100, 30));
    insta::assert_snapshot!("inbox_confirm_100x30", t);
    assert!(t.contains("Acknowledge OG-1044 at Opsgenie?"), "{t}");
    let fx = app.update(key(KeyCode::Char('y')));
    let request = match fx.as_slice() {
        [Effect::Remote { request, queued: q }] => {
            assert_eq!(q.incident, "OG-1044");
            assert_eq!(q.action, RemoteAction::Acknowledge);
            assert_eq!(q.remote_id, "R1044");
            assert_eq!(q.by, "ana.lima");
            *request
        }
        other => panic!("{other:?}"),
    };
    // Queued: the source's poller is woken to send it now.
    let fx = app.update(Msg::RemoteQueued {
        request,
        source: "og-platform".into(),
        result: Ok("queued: ack OG-1044 for Opsgenie, sending…".into()),
    });
    assert_eq!(fx, [Effect::PollNow(Some("og-platform".into()))]);

    // Escalating a vendor's incident escalates it there: Opsgenie asks to
    // which escalation.
    let fx = app.update(key(KeyCode::Char('e')));
    assert!(fx.is_empty());
    let t = text(&draw(&app, 100, 30));
    assert!(t.contains("Escalate OG-1044"), "{t}");
    assert!(t.contains("an escalation's name"), "{t}");
}

/// An Alertmanager alert firing for the Export Center.
fn am_alert() -> RemoteIncident {
    let mut r = remote(
        Vendor::Alertmanager,
        "3f2a91c0",
        "Export run failures above 5% for 10 minutes",
        Severity::P1,
        IncidentStatus::Open,
        12,
    );
    r.assignees = vec!["export-oncall".into()];
    r.vendor_priority = "severity=critical".into();
    r.labels = [
        ("alertname", "ExportCenterRunFailureSpike"),
        ("severity", "critical"),
        ("team", "export"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    r.annotations = [
        ("summary", "Export run failures above 5% for 10 minutes"),
        ("runbook_url", "https://runbooks.example/export#runs"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    r
}

#[test]
fn an_alertmanager_alert_is_silenced_not_acknowledged() {
    let mut app = with_inbox(100, 30);
    app.update(Msg::Inbox(Box::new(InboxReport {
        incidents: Some(vec![am_alert()]),
        ..report("am-export")
    })));
    select(&mut app, "AM-3f2a91c0");
    app.update(key(KeyCode::Enter));
    let t = text(&draw(&app, 100, 30));
    insta::assert_snapshot!("inbox_alertmanager_detail_100x30", t);
    assert!(
        t.contains("runbook   https://runbooks.example/export#runs"),
        "{t}"
    );
    assert!(
        t.contains("labels    alertname=ExportCenterRunFailureSpike"),
        "{t}"
    );
    assert!(
        t.contains("S: silence"),
        "only what Alertmanager offers: {t}"
    );
    assert!(!t.contains("a: acknowledge"), "{t}");
    // a is refused naming Alertmanager; nothing is queued.
    let fx = app.update(key(KeyCode::Char('a')));
    assert!(fx.is_empty());
    let t = text(&draw(&app, 100, 30));
    assert!(t.contains("Alertmanager has no acknowledgement"), "{t}");
    // r (resolve) becomes "silence until it clears": the silence form.
    app.update(key(KeyCode::Char('r')));
    let t = text(&draw(&app, 100, 30));
    assert!(t.contains("Silence AM-3f2a91c0"), "{t}");
    assert!(t.contains("2h"), "a default span: {t}");
    for c in "deploy rollback".chars() {
        if c == 'd' {
            app.update(key(KeyCode::Tab));
        }
        app.update(key(KeyCode::Char(c)));
    }
    app.update(key(KeyCode::Enter));
    let t = text(&draw(&app, 100, 30));
    assert!(t.contains("Silence AM-3f2a91c0 at Alertmanager?"), "{t}");
    assert!(
        t.contains("matching: alertname=\"ExportCenterRunFailureSpike\""),
        "{t}"
    );
    assert!(t.contains("with: deploy rollback"), "{t}");
    let fx = app.update(key(KeyCode::Char('y')));
    match fx.as_slice() {
        [Effect::Remote { queued: q, .. }] => {
            assert_eq!(q.action, RemoteAction::Silence);
            assert_eq!(q.until, Some(demo_now() + chrono::Duration::hours(2)));
            assert_eq!(q.labels["team"], "export");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn marked_rows_are_acknowledged_at_once_after_one_confirmation() {
    let mut app = with_inbox(100, 30);
    app.update(Msg::Inbox(Box::new(InboxReport {
        incidents: Some(vec![am_alert()]),
        ..report("am-export")
    })));
    for id in ["OG-1044", "AM-3f2a91c0", "PD-4215"] {
        select(&mut app, id);
        app.update(key(KeyCode::Char(' ')));
        app.update(key(KeyCode::Esc));
    }
    // Esc with a filter set clears the filter first; the marks stay.
    assert_eq!(app.incidents.marked.len(), 3, "{:?}", app.incidents.marked);
    let t = text(&draw(&app, 100, 30));
    assert!(t.contains('●'), "marked rows show it: {t}");
    let fx = app.update(key(KeyCode::Char('a')));
    assert!(fx.is_empty(), "nothing before the yes");
    let t = text(&draw(&app, 100, 30));
    insta::assert_snapshot!("inbox_bulk_confirm_100x30", t);
    assert!(t.contains("Acknowledge 1 incident?"), "{t}");
    assert!(t.contains("OG-1044"), "{t}");
    assert!(
        t.contains("not AM-3f2a91c0: Alertmanager has no acknowledgement"),
        "{t}"
    );
    assert!(t.contains("not PD-4215: already acknowledged"), "{t}");
    let fx = app.update(key(KeyCode::Char('y')));
    assert_eq!(fx.len(), 1, "{fx:?}");
    assert!(app.incidents.marked.is_empty(), "sent: the marks go");
}

#[test]
fn an_ack_already_queued_is_not_queued_twice() {
    let mut app = with_inbox(100, 30);
    select(&mut app, "PD-4218");
    let fx = app.update(key(KeyCode::Char('a')));
    assert!(fx.is_empty());
    let t = text(&draw(&app, 100, 30));
    assert!(t.contains("is already queued"), "{t}");
}

#[test]
fn resolved_here_reads_as_ours_and_closed_elsewhere_says_so() {
    use shiftdeck::domain::outbox::{Finished, Outcome};
    let mut app = with_inbox(100, 30);
    let ours = Finished {
        queued: Queued {
            id: "c3c3c3c3c3c3c3c3".into(),
            at: demo_now(),
            source: "pd-oncall".into(),
            vendor: Vendor::Pagerduty,
            incident: "PD-4215".into(),
            remote_id: "R4215".into(),
            title: String::new(),
            action: RemoteAction::Resolve,
            message: "replica caught up".into(),
            by: "ana.lima".into(),
            until: None,
            target: String::new(),
            labels: Default::default(),
        },
        outcome: Outcome::Sent,
        detail: "resolved PD-4215 at PagerDuty".into(),
        at: demo_now(),
    };
    // The round that sent it lists PagerDuty without PD-4215 — and without
    // PD-4218, which someone closed at PagerDuty.
    let fx = app.update(Msg::Inbox(Box::new(InboxReport {
        incidents: Some(Vec::new()),
        finished: vec![ours],
        ..report("pd-oncall")
    })));
    assert!(
        matches!(fx.as_slice(), [Effect::RecordRemote(f)] if f.queued.incident == "PD-4215"),
        "what became of it is journaled: {fx:?}"
    );
    app.update(key(KeyCode::Char('v')));
    select(&mut app, "PD-4215");
    app.update(key(KeyCode::Enter));
    let t = text(&draw(&app, 100, 30));
    assert!(t.contains("by ana.lima"), "{t}");
    assert!(!t.contains("gone"), "{t}");
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));
    select(&mut app, "PD-4218");
    app.update(key(KeyCode::Enter));
    let t = text(&draw(&app, 100, 30));
    assert!(t.contains("by someone at PagerDuty"), "{t}");
    assert!(t.contains("no longer open at PagerDuty"), "{t}");
}

#[test]
fn the_selection_stays_on_its_incident_when_a_new_list_reorders_the_book() {
    let mut app = with_inbox(100, 30);
    app.incidents.select_id(&app.book, "PD-4218");
    assert_eq!(app.incidents.selected_id(&app.book), Some("PD-4218"));
    // PagerDuty answers with PD-4218 acknowledged (by this operator, say).
    let mut acked = remote(
        Vendor::Pagerduty,
        "4218",
        "credguard-api: 5xx error rate above 8% in eu-west-1",
        Severity::P1,
        IncidentStatus::Acknowledged,
        9,
    );
    acked.acknowledged = Some((demo_now(), "ana.lima".into()));
    let replica = remote(
        Vendor::Pagerduty,
        "4215",
        "Postgres replica lag above 30 s",
        Severity::P2,
        IncidentStatus::Acknowledged,
        50,
    );
    app.update(Msg::Inbox(Box::new(InboxReport {
        incidents: Some(vec![replica, acked]),
        ..report("pd-oncall")
    })));
    assert_eq!(app.incidents.selected_id(&app.book), Some("PD-4218"));
    let fx = app.update(key(KeyCode::Char('m')));
    assert!(fx.is_empty());
    let t = text(&draw(&app, 100, 30));
    assert!(
        t.contains("Note on PD-4218"),
        "the note goes where the pointer is: {t}"
    );
}

#[test]
fn narrow_ids_stay_whole_so_two_alerts_never_read_the_same() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    let og = ["20417", "20415"]
        .iter()
        .map(|n| {
            remote(
                Vendor::Opsgenie,
                n,
                "disk almost full on db-2",
                Severity::P1,
                IncidentStatus::Open,
                3,
            )
        })
        .collect();
    app.update(Msg::Inbox(Box::new(InboxReport {
        incidents: Some(og),
        ..report("og-platform")
    })));
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("OG-20417") && t.contains("OG-20415"), "{t}");
    assert!(t.contains("e0b7d4"), "local ids keep their tail: {t}");
}

/// Select the PagerDuty incident PD-4218 and open its detail.
fn open_pd(app: &mut App) {
    app.update(key(KeyCode::Char('2')));
    let at = app
        .incidents
        .visible
        .iter()
        .position(|&i| app.book.by_index(i).id == "PD-4218")
        .unwrap();
    app.incidents.selected = at;
}

#[test]
fn y_copies_the_id_and_capital_y_the_vendor_link_with_osc52() {
    let mut app = with_inbox(120, 40);
    open_pd(&mut app);
    let fx = app.update(key(KeyCode::Char('y')));
    assert_eq!(fx, vec![Effect::Copy("PD-4218".into())]);
    let fx = app.update(key(KeyCode::Char('Y')));
    assert_eq!(
        fx,
        vec![Effect::Copy(
            "https://credguard.pagerduty.com/incidents/R4218".into()
        )]
    );
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("copied the link to the clipboard"),
        "{screen}"
    );
    // The bytes the runtime writes: base64 in OSC 52, nothing raw.
    let bytes = shiftdeck::tui::osc::clipboard("PD-4218", false);
    assert_eq!(bytes, "\x1b]52;c;UEQtNDIxOA==\x07");
}

#[test]
fn o_opens_the_link_only_on_this_machine_and_capital_o_reopens() {
    let mut app = with_inbox(120, 40);
    open_pd(&mut app);
    // Over SSH (the default until the runtime finds otherwise): no browser.
    let fx = app.update(key(KeyCode::Char('o')));
    assert!(fx.is_empty(), "{fx:?}");
    let screen = text(&draw(&app, 120, 40));
    assert!(
        screen.contains("over SSH no browser is started here: Y copies the link"),
        "{screen}"
    );
    app.local_session = true;
    let fx = app.update(key(KeyCode::Char('o')));
    assert_eq!(
        fx,
        vec![Effect::OpenLink(
            "https://credguard.pagerduty.com/incidents/R4218".into()
        )]
    );
}

#[test]
fn the_open_detail_marks_its_vendor_link_for_an_osc8_hyperlink() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = with_inbox(w, h);
        open_pd(&mut app);
        app.update(key(KeyCode::Enter));
        let buf = draw_measured(&mut app, w, h);
        let mut m = shiftdeck::app::scrolling::Measured::default();
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
        term.draw(|f| m = shiftdeck::ui::render(&app, f)).unwrap();
        let url = "https://credguard.pagerduty.com/incidents/R4218";
        let joined: String = m.links.iter().map(|(_, _, t, _)| t.as_str()).collect();
        assert_eq!(joined, url, "{w}x{h}: every piece of the link, row by row");
        let (x, y, first, _) = &m.links[0];
        let from_x: String = (*x..w).map(|c| buf[(c, *y)].symbol().to_string()).collect();
        assert!(from_x.starts_with(first.as_str()), "{from_x}");
    }
}
