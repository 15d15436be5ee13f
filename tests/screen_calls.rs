//! Who to call, on ratatui's TestBackend and through `update`: who is on
//! call in the status bar, who to call in the incident detail and the
//! escalate question, `:contacts`, the status update form, and when the
//! screen rings (once per event, never for what was there at the start).

mod common;

use chrono::Duration;
use common::screen::*;
use crossterm::event::KeyCode;
use shiftdeck::app::{App, Effect, InboxReport, Msg};
use shiftdeck::domain::notify::Event;
use shiftdeck::domain::oncall::{OnCall, Roster};
use shiftdeck::domain::remote::{RemoteIncident, Vendor};
use shiftdeck::domain::{IncidentStatus, Severity};
use shiftdeck::theme::{Role, Theme};

/// The demo with its directory, and ana on call for 8 more hours, bo next.
fn app(w: u16, h: u16) -> App {
    let dir = std::cell::RefCell::new(None);
    let mut app = demo_app_with(Theme::default_theme(), w, h, |ws| {
        *dir.borrow_mut() = Some(shiftdeck::store::contacts::load(ws));
    });
    let (directory, problems) = dir.into_inner().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    app.calls.directory = directory;
    let now = demo_now();
    let entry = |who: &str, email: &str, start, end| OnCall {
        who: who.into(),
        email: Some(email.into()),
        schedule: "CredGuard NOC primary".into(),
        level: Some(1),
        start: Some(start),
        end: Some(end),
        source: "pd-oncall".into(),
    };
    app.update(Msg::OnCall(Box::new(Roster {
        entries: vec![
            entry(
                "Ana Lima",
                "ana.lima@credguard.example",
                now - Duration::hours(4),
                now + Duration::hours(8),
            ),
            entry(
                "Bo Andersen",
                "bo@credguard.example",
                now + Duration::hours(8),
                now + Duration::hours(20),
            ),
        ],
        errors: Vec::new(),
        fetched_at: Some(now),
    })));
    app.calls.ringing = true;
    app
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        app.update(ch(c));
    }
}

#[test]
fn the_status_bar_says_who_is_on_call_and_until_when_at_80_and_200_columns() {
    // 03:00 UTC in the demo is 00:00 in São Paulo; ana's turn ends 8 h later.
    let a = app(80, 24);
    let t = text(&draw(&a, 80, 24));
    assert!(
        t.lines().next().unwrap().contains("on call: you → 08:00"),
        "{t}"
    );
    let a = app(200, 50);
    let buf = draw(&a, 200, 50);
    let t = text(&buf);
    let first = t.lines().next().unwrap();
    assert!(
        first.contains("on call: you until 08:00 · next: bo"),
        "{first}"
    );
    // Nobody known: nothing claimed.
    let mut a = app(200, 50);
    a.update(Msg::OnCall(Box::default()));
    assert!(!text(&draw(&a, 200, 50)).contains("on call"));
}

#[test]
fn the_detail_says_who_to_call_for_its_severity_and_who_owns_its_service() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut a = app(w, h);
        a.update(key(KeyCode::Enter));
        let buf = draw(&a, w, h);
        let t = text(&buf);
        assert!(
            t.contains("call      Carla Mendes (CTO): +55 11 9999-9999"),
            "{w}x{h}\n{t}"
        );
        assert!(
            t.contains("owner of credguard-backend: CredGuard development"),
            "{w}x{h}\n{t}"
        );
        if w == 200 {
            insta::assert_snapshot!("calls_detail_200x50", t);
        }
    }
}

#[test]
fn escalating_offers_who_the_new_severity_calls() {
    let mut a = app(100, 30);
    // The first open local P2.
    a.update(ch('/'));
    typed(&mut a, "4c93ad");
    a.update(key(KeyCode::Enter));
    assert!(a.update(ch('e')).is_empty());
    typed(&mut a, "bureau down for every client");
    let fx = a.update(key(KeyCode::Enter));
    assert!(fx.is_empty());
    let t = text(&draw(&a, 100, 30));
    assert!(t.contains("to P1: bureau down for every client"), "{t}");
    assert!(
        t.contains("Escalate inc_20260514_0006_4c93ad to P1?"),
        "{t}"
    );
    assert!(
        t.contains("call Carla Mendes (CTO): +55 11 9999-9999 · cto@credguard.example"),
        "{t}"
    );
}

#[test]
fn contacts_opens_the_directory_over_the_panes_and_scrolls_and_closes() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut a = app(w, h);
        a.update(ch(':'));
        typed(&mut a, "contacts");
        a.update(key(KeyCode::Enter));
        let t = text(&draw(&a, w, h));
        assert!(t.contains("Who to call"), "{t}");
        assert!(t.contains("CredGuard NOC primary: ana.lima until"), "{t}");
        assert!(
            t.contains("Level 1  Team lead (immediate): Rafael Souza (Team lead)"),
            "{t}"
        );
        assert!(t.contains("down scrolls · esc closes"), "{t}");
        insta::assert_snapshot!(format!("calls_contacts_{w}x{h}"), t);
        a.update(ch('j'));
        assert_eq!(a.calls.contacts_scroll, 1);
        a.update(ch('G'));
        a.update(ch('j'));
        assert!(a.calls.contacts_scroll > 1);
        // Keys of the popup only: `q` closes it, it does not quit.
        a.update(ch('q'));
        assert!(!a.calls.show_contacts && !a.quit);
    }
}

#[test]
fn a_status_update_shows_the_line_it_will_post_and_is_queued_on_enter() {
    let mut a = app(100, 30);
    a.config.slack_webhook_env = Some("SLACK_WEBHOOK_URL".into());
    a.update(ch('/'));
    typed(&mut a, "4c93ad");
    a.update(key(KeyCode::Enter));
    assert!(a.update(ch('u')).is_empty());
    typed(&mut a, "restarted the batch worker");
    a.update(key(KeyCode::Tab));
    typed(&mut a, "soon");
    assert!(
        a.update(key(KeyCode::Enter)).is_empty(),
        "a bad ETA is refused"
    );
    let t = text(&draw(&a, 100, 30));
    assert!(t.contains("write it as 30m, 2h, 1h30m or unknown"), "{t}");
    for _ in 0.."soon".len() {
        a.update(key(KeyCode::Backspace));
    }
    typed(&mut a, "45m");
    let t = text(&draw(&a, 100, 30));
    insta::assert_snapshot!("calls_update_form_100x30", t);
    assert!(t.contains("[P2] credguard-batch — Batch jobs stuck in processing >1h · action: restarted the batch"), "{t}");
    let fx = a.update(key(KeyCode::Enter));
    match fx.as_slice() {
        [
            Effect::StatusUpdate {
                incident,
                action,
                eta,
                ..
            },
        ] => {
            assert_eq!(incident.id, "inc_20260514_0006_4c93ad");
            assert_eq!(
                (action.as_str(), eta.as_str()),
                ("restarted the batch worker", "45m")
            );
        }
        other => panic!("{other:?}"),
    }
    // Queued by the store: the sender is woken; what it sent is said.
    let fx = a.update(Msg::MessagesQueued(vec![
        "status update inc_20260514_0006_4c93ad".into(),
    ]));
    assert_eq!(fx, [Effect::SendMessages]);
    let t = text(&draw(&a, 100, 30));
    assert!(t.lines().next().unwrap().contains("1 to send"), "{t}");
    a.update(Msg::MessagesSent {
        delivered: vec![(
            "status update inc_20260514_0006_4c93ad by Slack".into(),
            Ok(()),
        )],
        waiting: Vec::new(),
        why: None,
    });
    let t = text(&draw(&a, 100, 30));
    assert!(!t.contains("to send"));
    assert!(
        t.contains("sent: status update inc_20260514_0006_4c93ad by Slack"),
        "{t}"
    );
}

#[test]
fn without_a_channel_for_updates_u_says_what_to_set_and_opens_nothing() {
    let mut a = app(100, 30);
    a.config.slack_webhook_env = None;
    a.config.slack_updates_env = None;
    assert!(a.update(ch('u')).is_empty());
    assert!(a.dialog.is_none());
    let buf = draw(&a, 100, 30);
    let t = text(&buf);
    assert!(
        t.contains("no Slack channel for updates: set [slack] webhook_env"),
        "{t}"
    );
    let (x, y) = find(&buf, "no Slack channel").unwrap();
    assert_eq!(buf[(x, y)].style().fg, a.theme.style(Role::Warning).fg);
}

fn p1(number: &str, minutes_ago: i64) -> RemoteIncident {
    let created = demo_now() - Duration::minutes(minutes_ago);
    RemoteIncident {
        source: "pd-oncall".into(),
        vendor: Vendor::Pagerduty,
        remote_id: format!("R{number}"),
        number: number.into(),
        id: format!("PD-{number}"),
        title: "credguard-api: 5xx error rate above 8%".into(),
        service: "credguard-api".into(),
        severity: Severity::P1,
        vendor_priority: "P1".into(),
        status: IncidentStatus::Open,
        created_at: created,
        updated_at: created,
        acknowledged: None,
        resolved: None,
        assignees: Vec::new(),
        url: None,
        labels: Default::default(),
        annotations: Default::default(),
        silences: Vec::new(),
        snoozed_until: None,
    }
}

fn list(a: &mut App, incidents: Vec<RemoteIncident>) -> Vec<Effect> {
    a.update(Msg::Inbox(Box::new(InboxReport {
        source: "pd-oncall".into(),
        incidents: Some(incidents),
        fetched_at: a.now,
        error: None,
        finished: Vec::new(),
        pending: Vec::new(),
        blocked: None,
        problems: Vec::new(),
    })))
}

fn rung(fx: &[Effect]) -> Vec<(Event, String)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Notify(n) => Some((n.event, n.title.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_new_p1_rings_once_what_was_open_at_the_start_never_and_its_countdown_rings_near_and_at_the_target()
 {
    let mut a = app(100, 30);
    // The demo's local P1s were there at the start: the baseline.
    let fx = a.update(Msg::Tick(demo_now() + Duration::seconds(1)));
    assert!(rung(&fx).is_empty(), "{fx:?}");
    assert!(
        rung(&list(&mut a, vec![p1("4218", 30)])).is_empty(),
        "the first list is the baseline"
    );
    let fx = list(&mut a, vec![p1("4218", 30), p1("4301", 0)]);
    assert_eq!(rung(&fx), [(Event::NewIncident, "P1 PD-4301".to_string())]);
    assert!(
        rung(&list(&mut a, vec![p1("4218", 30), p1("4301", 0)])).is_empty(),
        "once"
    );
    // Ten minutes on: under five to acknowledge; fifteen: breached.
    let fx = a.update(Msg::Tick(demo_now() + Duration::minutes(10)));
    assert!(
        rung(&fx).contains(&(Event::Countdown, "P1 PD-4301".to_string())),
        "{fx:?}"
    );
    let fx = a.update(Msg::Tick(demo_now() + Duration::minutes(15)));
    assert!(
        rung(&fx).contains(&(Event::Breached, "P1 PD-4301".to_string())),
        "{fx:?}"
    );
    let fx = a.update(Msg::Tick(demo_now() + Duration::minutes(16)));
    assert!(rung(&fx).is_empty(), "{fx:?}");
}

#[test]
fn the_screen_rings_only_when_allowed_and_only_for_the_events_chosen() {
    // Not a terminal, or the demo without --notify.
    let mut a = app(100, 30);
    a.calls.ringing = false;
    list(&mut a, vec![]);
    assert!(rung(&list(&mut a, vec![p1("4301", 0)])).is_empty());
    // Events chosen without new_incident.
    let mut a = app(100, 30);
    a.config.notify.events = vec![Event::IntegrationDown];
    list(&mut a, vec![]);
    assert!(rung(&list(&mut a, vec![p1("4301", 0)])).is_empty());
    // On call only, and bo is on call now, not ana.
    let mut a = app(100, 30);
    a.config.notify.on_call_only = true;
    a.update(Msg::Tick(demo_now() + Duration::hours(9)));
    list(&mut a, vec![]);
    assert!(rung(&list(&mut a, vec![p1("4301", 0)])).is_empty());
    assert!(shiftdeck::app::whocall::ringing(false, false, true));
    assert!(
        !shiftdeck::app::whocall::ringing(true, false, true),
        "the demo rings only when asked"
    );
    assert!(shiftdeck::app::whocall::ringing(true, true, true));
    assert!(
        !shiftdeck::app::whocall::ringing(false, true, false),
        "never without a terminal"
    );
}

#[test]
fn an_integration_going_down_rings_with_its_owner() {
    let mut a = app(100, 30);
    let at = demo_now();
    let up = shiftdeck::domain::health::ProbeOutcome::up("ok", 12);
    a.update(Msg::Probed {
        name: "datadog".into(),
        outcome: up.clone(),
        at,
    });
    let down = shiftdeck::domain::health::ProbeOutcome::failed(
        shiftdeck::domain::health::HealthStatus::Down,
        shiftdeck::domain::health::FailureClass::Config,
        "403 Forbidden",
        "the key was revoked",
        Some(30),
    );
    let fx = a.update(Msg::Probed {
        name: "datadog".into(),
        outcome: down,
        at,
    });
    let n: Vec<_> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::Notify(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(n.len(), 1, "{fx:?}");
    assert_eq!(n[0].title, "datadog down");
    assert!(
        n[0].body.contains("owner: Platform on-call"),
        "{}",
        n[0].body
    );
}

#[test]
fn two_integrations_down_at_once_ring_as_a_substrate_problem_for_its_owner() {
    let mut a = app(100, 30);
    let at = demo_now();
    let up = shiftdeck::domain::health::ProbeOutcome::up("ok", 12);
    let down = || {
        shiftdeck::domain::health::ProbeOutcome::failed(
            shiftdeck::domain::health::HealthStatus::Down,
            shiftdeck::domain::health::FailureClass::Transient,
            "could not connect",
            "DNS or firewall",
            None,
        )
    };
    for name in ["datadog", "sentry"] {
        a.update(Msg::Probed {
            name: name.into(),
            outcome: up.clone(),
            at,
        });
    }
    a.update(Msg::Probed {
        name: "datadog".into(),
        outcome: down(),
        at,
    });
    let fx = a.update(Msg::Probed {
        name: "sentry".into(),
        outcome: down(),
        at,
    });
    let body = fx
        .iter()
        .find_map(|e| match e {
            Effect::Notify(n) => Some(n.body.clone()),
            _ => None,
        })
        .expect("rang");
    assert!(
        body.contains(
            "2 integrations down at once: likely the network, DNS or a proxy; call Platform on-call"
        ),
        "{body}"
    );
}

#[test]
fn an_integrations_detail_names_its_owner() {
    let mut a = app(100, 30);
    a.update(ch('4'));
    a.update(key(KeyCode::Enter));
    let t = text(&draw(&a, 100, 30));
    assert!(
        t.contains("owner        Platform on-call: #platform-oncall · PagerDuty PLATFORM-EP"),
        "{t}"
    );
}

#[test]
fn the_directory_arrives_with_the_problems_of_its_file() {
    let mut a = demo_app(Theme::default_theme(), 100, 30);
    assert!(a.calls.directory.is_empty());
    a.update(Msg::Directory {
        directory: Box::default(),
        problems: vec!["/ws/contacts.toml:6: severity.P1: no person or team \"ceo\" in contacts.toml (left out)".into()],
    });
    let t = text(&draw(&a, 100, 30));
    assert!(t.contains("contacts.toml:6: severity.P1"), "{t}");
}
