//! The incident's life after the page, on ratatui's TestBackend and through
//! `update`: playbooks offered and started on an incident, their runs in
//! the Checklists pane and in the incident's detail.

mod common;

use common::screen::*;
use crossterm::event::KeyCode;
use shiftdeck::app::{App, Effect, Msg};
use shiftdeck::domain::checklist::playbook;
use shiftdeck::theme::Theme;

fn typed(app: &mut App, s: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    for c in s.chars() {
        fx = app.update(key(KeyCode::Char(c)));
    }
    fx
}

/// Open the detail of the first active incident on `service`.
fn open_detail(app: &mut App, service: &str) -> String {
    app.update(key(KeyCode::Char('2')));
    for _ in 0..40 {
        let here = app
            .incidents
            .selected_id(&app.book)
            .and_then(|id| app.book.get(id))
            .cloned()
            .unwrap();
        if here.service == service && here.is_active() {
            app.update(key(KeyCode::Enter));
            return here.id;
        }
        app.update(key(KeyCode::Down));
    }
    panic!("no active {service} incident");
}

#[test]
fn a_playbook_is_offered_started_and_followed_in_the_detail() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        let id = open_detail(&mut app, "export-center");
        let t = text(&draw(&app, w, h));
        assert!(
            t.contains("offered: Export Center: replay a failed run"),
            "{t}"
        );
        // Two are offered: p says which, and how to pick.
        app.update(key(KeyCode::Char('p')));
        let flash = app.flash.as_ref().unwrap().text.clone();
        assert!(
            flash.contains("export-replay") && flash.contains(":playbook NAME"),
            "{flash}"
        );
        app.update(key(KeyCode::Char(':')));
        typed(&mut app, "playbook export-replay");
        let fx = app.update(key(KeyCode::Enter));
        let Some(Effect::StartPlaybook {
            template, target, ..
        }) = fx.first()
        else {
            panic!("{fx:?}");
        };
        assert_eq!(
            (template.id.as_str(), target.as_str()),
            ("export-replay", id.as_str())
        );

        // The store's journal line lands: the run is a list of its own.
        let inc = app.book.get(&id).cloned().unwrap();
        let start = playbook::start_entry(app.now, "s", "ana.lima", template, &id, Some(&inc));
        app.update(Msg::Journal(vec![start]));
        let t = text(&draw(&app, w, h));
        assert!(
            t.contains("Export Center: replay a failed run 0/5"),
            "the detail shows the run and its next step:\n{t}"
        );
        assert!(!t.contains("offered: Export Center: replay"), "{t}");
        app.update(key(KeyCode::Esc));
        app.update(key(KeyCode::Char('1')));
        let t = text(&draw(&app, w, h));
        assert!(t.contains("Export Center: replay a failed run ·"), "{t}");
        assert!(w < 200 || t.contains("playbook, started"), "{t}");
        assert!(
            t.contains("0/5"),
            "the gauge stays beside a long name:\n{t}"
        );
        if w == 80 {
            insta::assert_snapshot!("playbook_run_checklists_80x24", t);
        }
        // Started already: a second start is refused on screen.
        app.update(key(KeyCode::Char(':')));
        typed(&mut app, &format!("playbook export-replay {id}"));
        let fx = app.update(key(KeyCode::Enter));
        assert!(fx.is_empty(), "{fx:?}");
        assert!(app.flash.as_ref().unwrap().text.contains("already started"));
    }
}

#[test]
fn a_followup_is_typed_on_one_line_and_an_overdue_one_is_marked_red() {
    use ratatui::style::Color;
    use shiftdeck::domain::incident::followup::Outcome;
    use shiftdeck::domain::{IncidentChange, IncidentEvent};
    let mut app = demo_app(Theme::default_theme(), 120, 30);
    let id = open_detail(&mut app, "mysql");
    app.update(key(KeyCode::Char('F')));
    let t = text(&draw(&app, 120, 30));
    assert!(
        t.contains("Follow-up on") && t.contains("@OWNER +DUE"),
        "{t}"
    );
    typed(&mut app, "+3d check the restore test");
    let fx = app.update(key(KeyCode::Enter));
    assert!(fx.is_empty(), "no owner: not sent");
    assert!(app.flash.as_ref().unwrap().text.contains("needs @OWNER"));
    for _ in 0.."+3d check the restore test".len() {
        app.update(key(KeyCode::Backspace));
    }
    typed(&mut app, "@bo +3d check the restore test");
    let fx = app.update(key(KeyCode::Enter));
    let Some(Effect::Commit {
        change:
            IncidentChange::Followup {
                owner,
                due,
                message,
                ..
            },
        ..
    }) = fx.first()
    else {
        panic!("{fx:?}");
    };
    assert_eq!(
        (owner.as_str(), message.as_str()),
        ("bo", "check the restore test")
    );
    assert_eq!(*due, Some(app.now + chrono::Duration::days(3)));

    // One past due lands (from another host): red in the detail, a flag in
    // the list, a count in the pane's title.
    let event = IncidentEvent {
        incident_id: id.clone(),
        at: app.now - chrono::Duration::days(2),
        by: "cy".into(),
        change: IncidentChange::Followup {
            message: "compare backup sizes weekly".into(),
            followup: "fu-abc123".into(),
            owner: "cy".into(),
            due: Some(app.now - chrono::Duration::hours(5)),
        },
    };
    app.update(Msg::Incidents(shiftdeck::store::IncidentDelta {
        records: vec![],
        events: vec![event],
        issues: vec![],
        reset: false,
    }));
    let buf = draw(&app, 120, 30);
    let t = text(&buf);
    assert!(
        t.contains("fu-abc123 compare backup sizes weekly — cy · OVERDUE 5h 00m"),
        "{t}"
    );
    let (x, y) = find(&buf, "OVERDUE 5h").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::LightRed);
    app.update(key(KeyCode::Esc));
    let buf = draw(&app, 120, 30);
    let t = text(&buf);
    // The demo's own overdue one (PagerDuty's routing key) and this one.
    assert!(t.contains("2 follow-ups OVERDUE"), "{t}");
    let (x, y) = find(&buf, "⚑").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::LightRed);
    insta::assert_snapshot!("followup_overdue_list_120x30", t);

    // Closed from the command line; dropping asks for a reason.
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "followup drop abc123");
    let fx = app.update(key(KeyCode::Enter));
    assert!(fx.is_empty());
    assert!(app.flash.as_ref().unwrap().text.contains("needs a reason"));
    app.update(key(KeyCode::Char(':')));
    typed(
        &mut app,
        "followup done abc123 sizes now in the weekly check",
    );
    let fx = app.update(key(KeyCode::Enter));
    assert!(
        matches!(fx.first(), Some(Effect::Commit { change: IncidentChange::FollowupClosed { followup, outcome: Outcome::Done, .. }, .. }) if followup == "fu-abc123"),
        "{fx:?}"
    );
}

#[test]
fn evidence_is_listed_in_the_detail_and_read_in_its_place() {
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    let id = open_detail(&mut app, "pagerduty");
    // The demo's: as the store thread reads artifacts.jsonl.
    let dir = tempfile::tempdir().unwrap();
    shiftdeck::store::workspace::Workspace::create_demo(dir.path(), demo_now()).unwrap();
    let (all, _) = shiftdeck::store::evidence::EvidenceStore::new(dir.path())
        .load()
        .unwrap();
    app.update(Msg::Evidence(all.clone()));
    let t = text(&draw(&app, 120, 40));
    assert!(t.contains("evidence  1 verify-pagerduty.log"), "{t}");
    assert!(t.contains("2 pd-service-integrations.json"), "{t}");
    assert!(
        t.contains("follow-up fu-7d21c4"),
        "the demo's overdue follow-up:\n{t}"
    );
    assert!(
        t.contains("playbook  Day-of-rollout incident response 2/6"),
        "{t}"
    );
    insta::assert_snapshot!("incident_work_detail_120x40", t);

    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "evidence 1");
    let fx = app.update(key(KeyCode::Enter));
    let Some(Effect::ReadEvidence(a)) = fx.first() else {
        panic!("{fx:?}")
    };
    assert_eq!(a.name, "verify-pagerduty.log");
    let body = shiftdeck::store::evidence::EvidenceStore::new(dir.path())
        .read(a)
        .unwrap();
    app.update(Msg::EvidenceText {
        title: "verify-pagerduty.log · 500 B".into(),
        text: body,
    });
    let t = text(&draw(&app, 120, 40));
    assert!(
        t.contains("FAIL: event accepted, no incident created"),
        "{t}"
    );
    app.update(key(KeyCode::Esc));
    let t = text(&draw(&app, 120, 40));
    assert!(
        t.contains("Timeline (") && t.contains(&id),
        "esc goes back to the detail:\n{t}"
    );

    // E asks for a path or a command; a !command goes to the store.
    app.update(key(KeyCode::Char('E')));
    typed(&mut app, "!tail -n 200 /var/log/syslog");
    let fx = app.update(key(KeyCode::Enter));
    assert!(
        matches!(fx.first(), Some(Effect::Attach { source, incident_id, .. }) if source == "!tail -n 200 /var/log/syslog" && incident_id == &id),
        "{fx:?}"
    );
}

#[test]
fn p_capital_drafts_the_postmortem_and_shows_it_in_the_detail() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    let id = open_detail(&mut app, "pagerduty");
    let fx = app.update(key(KeyCode::Char('P')));
    assert!(
        matches!(fx.first(), Some(Effect::WritePostmortem { incident_id, .. }) if incident_id == &id),
        "{fx:?}"
    );
    app.update(Msg::EvidenceText {
        title: format!("incidents/{id}/post-mortem.md (draft)"),
        text: "# Post-mortem: x\n\n## Causes\n\n_To be written._".into(),
    });
    let t = text(&draw(&app, 80, 24));
    assert!(
        t.contains("post-mortem.md") && t.contains("Causes") && !t.contains("## Causes"),
        "the draft reads as Markdown rendered: {t}"
    );
}

#[test]
fn report_opens_the_weekly_report_in_the_incidents_pane() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "report");
    let fx = app.update(key(KeyCode::Enter));
    assert!(
        matches!(fx.first(), Some(Effect::WeeklyReport(None))),
        "{fx:?}"
    );
    app.update(Msg::EvidenceText {
        title: "Weekly report 2026-W20".into(),
        text: "# Weekly report — 2026-W20\n\n## Incidents (13)".into(),
    });
    let t = text(&draw(&app, 80, 24));
    assert!(
        t.contains("Weekly report 2026-W20")
            && t.contains("Incidents (13)")
            && !t.contains("## Incidents"),
        "{t}"
    );
    app.update(key(KeyCode::Esc));
    let t = text(&draw(&app, 80, 24));
    assert!(
        t.contains("SEV") && !t.contains("Incidents (13)"),
        "esc closes it:\n{t}"
    );
    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "report soon");
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(app.flash.as_ref().unwrap().text.contains("usage: :report"));
}

#[test]
fn a_steps_output_and_a_verify_result_are_attached_from_their_panes() {
    use shiftdeck::integrations::command::CommandOutcome;
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    // The demo's run on the PagerDuty incident: its third step ran.
    app.update(key(KeyCode::Char('1')));
    let run = app
        .checklists
        .lists
        .iter()
        .find(|l| l.run().is_some())
        .unwrap()
        .clone();
    app.checklists.outputs.insert(
        (run.id.clone(), run.steps[2].id.clone()),
        CommandOutcome {
            exit: Some(0),
            timed_out: false,
            stopped: false,
            output: "OPERATOR_WIRING_PROD_ENABLED=0\n".into(),
            truncated: false,
            duration: std::time::Duration::from_millis(10),
        },
    );
    for _ in 0..3 {
        app.update(key(KeyCode::Down));
    }
    let fx = app.update(key(KeyCode::Char('E')));
    let Some(Effect::AttachOutput {
        incident_id,
        output,
        ..
    }) = fx.first()
    else {
        panic!("{fx:?}")
    };
    assert_eq!(incident_id, "inc_20260514_0207_6f40a2");
    assert!(output.contains("PROD_ENABLED=0"));
    // A step with no output says so.
    app.update(key(KeyCode::Down));
    assert!(app.update(key(KeyCode::Char('E'))).is_empty());
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("no output to attach")
    );

    // Health: pagerduty verified this session, its incident active.
    app.update(key(KeyCode::Char('4')));
    let i = app
        .health
        .entries
        .iter()
        .position(|e| e.name == "pagerduty")
        .unwrap();
    app.health.selected = i;
    assert!(
        app.update(key(KeyCode::Char('E'))).is_empty(),
        "not verified yet"
    );
    app.health.verified.push((
        "pagerduty".into(),
        vec![
            ("enqueue".into(), Ok("202".into())),
            ("incident".into(), Err("none within 60 s".into())),
        ],
    ));
    let fx = app.update(key(KeyCode::Char('E')));
    let Some(Effect::AttachOutput {
        incident_id,
        output,
        ..
    }) = fx.first()
    else {
        panic!("{fx:?}")
    };
    assert_eq!(incident_id, "inc_20260514_0207_6f40a2");
    assert_eq!(
        output,
        "PASS enqueue: 202\nFAIL incident: none within 60 s\n"
    );
}

#[test]
fn the_incidents_work_reads_at_80x24_and_200x50() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        let dir = tempfile::tempdir().unwrap();
        shiftdeck::store::workspace::Workspace::create_demo(dir.path(), demo_now()).unwrap();
        let (all, _) = shiftdeck::store::evidence::EvidenceStore::new(dir.path())
            .load()
            .unwrap();
        app.update(Msg::Evidence(all));
        open_detail(&mut app, "pagerduty");
        app.update(key(KeyCode::Char('z')));
        let t = text(&draw(&app, w, h));
        assert!(
            t.contains("playbook") && t.contains("follow-up") && t.contains("evidence"),
            "{t}"
        );
        insta::assert_snapshot!(format!("incident_work_{w}x{h}"), t);
    }
}
