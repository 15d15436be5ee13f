//! The whole screen rendered on ratatui's TestBackend with a fixed clock:
//! text snapshots (insta) plus the styles that carry meaning, which a text
//! snapshot cannot see.

use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use shiftdeck::app::{App, Msg, Pane};
use shiftdeck::theme::{self, Theme};

mod common;

use common::screen::*;

#[test]
fn narrow_80x24_shows_tabs_and_the_incident_list() {
    let app = demo_app(Theme::default_theme(), 80, 24);
    let buf = draw(&app, 80, 24);
    insta::assert_snapshot!("demo_80x24", text(&buf));
    let t = text(&buf);
    assert!(t.contains("1 Checklists") && t.contains("2 Incidents") && t.contains("4 Health"));
    assert!(t.contains("BREACHED"));
}

#[test]
fn wide_200x50_shows_the_grid() {
    let app = demo_app(Theme::default_theme(), 200, 50);
    let buf = draw(&app, 200, 50);
    insta::assert_snapshot!("demo_200x50", text(&buf));
    let t = text(&buf);
    for pane in ["1 Checklists", "2 Incidents", "3 Approvals", "4 Health"] {
        assert!(t.contains(pane), "{pane} on screen");
    }
    assert!(
        t.contains("not polled yet"),
        "the Health pane lists the configured integrations"
    );
}

#[test]
fn meaning_is_in_the_styles() {
    let app = demo_app(Theme::default_theme(), 200, 50);
    let buf = draw(&app, 200, 50);
    let (x, y) = find(&buf, "BREACHED").expect("a breached incident");
    let cell = &buf[(x, y)];
    assert_eq!(cell.fg, Color::LightRed);
    assert!(cell.modifier.contains(Modifier::BOLD | Modifier::REVERSED));
    // The first row is the oldest active P1.
    let (x, y) = find(&buf, "P1  ").expect("a P1 row");
    assert_eq!(buf[(x, y)].fg, Color::LightRed);
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    // The selected row has the pointer and its title in reverse video.
    assert_eq!(buf[(x - 2, y)].symbol(), "▶");
    let (tx, ty) = find(&buf, "e0b7d4 Scoring API errors")
        .map(|(x, y)| (x + 7, y))
        .unwrap();
    assert_eq!(ty, y);
    assert!(
        buf[(tx, ty)].modifier.contains(Modifier::REVERSED),
        "selection on the first row"
    );
    let (ox, oy) = find(&buf, "Gateway 5xx").unwrap();
    assert!(
        !buf[(ox, oy)].modifier.contains(Modifier::REVERSED),
        "only the selection"
    );
    // The focused pane's border is bold cyan; the others are dark gray.
    let (bx, by) = find(&buf, "2 Incidents").unwrap();
    assert_eq!(buf[(bx - 2, by)].fg, Color::Cyan);
    let (ax, ay) = find(&buf, "3 Approvals").unwrap();
    assert_eq!(buf[(ax - 2, ay)].fg, Color::DarkGray);
}

#[test]
fn mono_keeps_meaning_without_colour() {
    let (mono, _) = theme::resolve("mono", None, false);
    let app = demo_app(mono, 80, 24);
    let buf = draw(&app, 80, 24);
    insta::assert_snapshot!("demo_mono_80x24", text(&buf));
    for cell in buf.content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "no colour in mono"
        );
    }
    let (x, y) = find(&buf, "> !P1").expect("selection marker and P1 glyph");
    assert!(
        buf[(x + 2, y)]
            .modifier
            .contains(Modifier::BOLD | Modifier::REVERSED),
        "P1 in bold reverse"
    );
    let (tx, ty) = find(&buf, "Scoring API").unwrap();
    assert_eq!(ty, y);
    assert!(
        buf[(tx, ty)].modifier.contains(Modifier::REVERSED),
        "selected title in reverse"
    );
    let (bx, by) = find(&buf, "BREACHED").unwrap();
    assert!(buf[(bx, by)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn detail_shows_the_timeline() {
    let mut app = demo_app(Theme::default_theme(), 100, 30);
    app.update(key(KeyCode::Enter));
    let buf = draw(&app, 100, 30);
    insta::assert_snapshot!("detail_100x30", text(&buf));
    assert!(text(&buf).contains("Timeline ("));
}

#[test]
fn new_incident_form_and_help() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    app.update(key(KeyCode::Char('n')));
    insta::assert_snapshot!("new_incident_80x24", text(&draw(&app, 80, 24)));
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('?')));
    let t = text(&draw(&app, 80, 24));
    assert!(
        t.contains("declare a new incident"),
        "help comes from the keymap's desc"
    );
    // The pane's keys fill the first page at 80x24; the global ones follow,
    // and G shows the last page, not a blank popup.
    let first = text(&draw_measured(&mut app, 80, 24));
    app.update(key(KeyCode::Char('G')));
    let last = text(&draw_measured(&mut app, 80, 24));
    assert!(last.contains("keymap: default"), "{last}");
    assert_ne!(first, last);
    // One k moves from there at once (not from far past the end).
    app.update(key(KeyCode::Char('k')));
    let up = text(&draw_measured(&mut app, 80, 24));
    assert_ne!(up, last, "k after G moves");
    // A description longer than the popup wraps under itself.
    assert!(!last.lines().any(|l| l.contains("…")), "{last}");
}

#[test]
fn zoom_and_other_panes_at_narrow_width() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    app.update(key(KeyCode::Char('4')));
    assert_eq!(app.focus, Pane::Health);
    let t = text(&draw(&app, 80, 24));
    assert!(
        t.contains("datadog") && t.contains("unknown"),
        "configured integrations, not polled yet"
    );
    assert!(
        t.contains("3 P1 open"),
        "the tab row still shouts about open P1s"
    );
    app.update(key(KeyCode::Char('2')));
    app.update(key(KeyCode::Char('z')));
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("[zoom]") && !t.contains("1 Checklists"));
}

#[test]
fn tiny_and_odd_sizes_never_panic() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    for (w, h) in [
        (0, 0),
        (1, 1),
        (2, 50),
        (39, 9),
        (40, 10),
        (41, 11),
        (119, 31),
        (120, 32),
        (300, 100),
    ] {
        app.update(Msg::Resize(w, h));
        let buf = draw(&app, w, h);
        if (w < 40 || h < 10) && w >= 20 && h >= 2 {
            assert!(text(&buf).contains("terminal too small"), "{w}x{h}");
        }
        app.update(key(KeyCode::Char('n')));
        draw(&app, w, h);
        app.update(key(KeyCode::Esc));
    }
}

#[test]
fn readonly_badge_and_refusal() {
    let mut app = demo_app(Theme::default_theme(), 120, 32);
    app.readonly = true;
    let fx = app.update(key(KeyCode::Char('a')));
    assert!(fx.is_empty());
    let t = text(&draw(&app, 120, 32));
    assert!(t.contains("READ-ONLY"));
    assert!(t.contains("read-only: started with --readonly, nothing was changed"));
}

fn open_shift(app: &mut App, previous: Option<shiftdeck::app::PreviousHandover>) {
    use shiftdeck::app::{ShiftInfo, ShiftOpened};
    use shiftdeck::domain::journal::{EntryKind, JournalEntry};
    let shift = "20260513-2300-ana.lima";
    let start = demo_now() - chrono::Duration::hours(4);
    let entries = vec![
        JournalEntry::new(start, shift, "ana.lima", EntryKind::ShiftStart),
        JournalEntry::note(
            demo_now() - chrono::Duration::minutes(40),
            shift,
            "ana.lima",
            "#pending manual backup running, see inc_20260514_0205_d3a7f1",
            &[],
        ),
        JournalEntry::note(
            demo_now() - chrono::Duration::minutes(10),
            shift,
            "ana.lima",
            "#handover OOM loop: memory limit raised to 2G\nwatch restarts until 06:00",
            &[],
        ),
    ];
    app.update(Msg::ShiftOpened(Box::new(ShiftOpened {
        shift: ShiftInfo {
            id: shift.into(),
            started: start,
            resumed: false,
            ended: None,
        },
        entries,
        draft: None,
        earlier: vec![],
        previous,
    })));
}

#[test]
fn journal_pane_and_handover_preview() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    open_shift(&mut app, None);
    app.update(key(KeyCode::Char('5')));
    let t = text(&draw(&app, 80, 24));
    insta::assert_snapshot!("journal_80x24", t);
    assert!(t.contains("(+1 lines)"));
    let buf = draw(&app, 80, 24);
    let (x, y) = find(&buf, "#pending").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Cyan, "tags stand out");

    app.update(Msg::Resize(120, 40));
    app.update(key(KeyCode::Char('H')));
    for c in "Quiet until 02:38, then the OOM loop.".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    let t = text(&draw(&app, 120, 40));
    insta::assert_snapshot!("handover_preview_120x40", t);
    assert!(t.contains("HOLD") && t.contains("Quiet until 02:38, then the OOM loop."));
}

#[test]
fn the_previous_handover_greets_the_next_shift() {
    let mut app = demo_app(Theme::default_theme(), 100, 30);
    let prev = shiftdeck::app::PreviousHandover {
        shift: "20260513-1500-bo".into(),
        from: "bo".into(),
        markdown: "# Shift handover — bo\n\n**HOLD** — not everything is green:\n- splunk-hec is down\n\n## Summary\n\nHEC token disabled at 14:10; ticket SEC-88 open.".into(),
        acknowledged: false,
    };
    open_shift(&mut app, Some(prev));
    let t = text(&draw(&app, 100, 30));
    assert!(
        t.contains("Handover from bo") && t.contains("HEC token disabled at 14:10"),
        "{t}"
    );
    let fx = app.update(key(KeyCode::Char('a')));
    assert_eq!(
        fx,
        vec![shiftdeck::app::Effect::AckHandover {
            request: shiftdeck::app::RequestId(1),
            of_shift: "20260513-1500-bo".into(),
            from: "bo".into()
        }]
    );
    assert!(!text(&draw(&app, 100, 30)).contains("Handover from bo"));
}

#[test]
fn approvals_pane_and_detail() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    app.update(key(KeyCode::Char('3')));
    let t = text(&draw(&app, 80, 24));
    insta::assert_snapshot!("approvals_80x24", t);
    assert!(t.contains("PAUSED: P1"), "the stop condition is on screen");
    let buf = draw(&app, 80, 24);
    let (x, y) = find(&buf, "!").expect("an overdue record");
    assert!(
        buf[(x, y)].modifier.contains(Modifier::REVERSED),
        "overdue is marked"
    );
    app.update(key(KeyCode::Enter));
    let t = text(&draw(&app, 80, 24));
    insta::assert_snapshot!("approval_detail_80x24", t);
    assert!(t.contains("State history"));
    // Approving is refused with the reason while the P1 is open.
    app.update(key(KeyCode::Char('a')));
    assert!(app.dialog.is_none());
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("approvals are paused while P1")
    );
}

#[test]
fn checklists_pane_shows_what_is_due() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    app.update(key(KeyCode::Char('1')));
    // The demo's playbook run (6 steps) comes first: work under way.
    assert!(text(&draw(&app, 80, 24)).contains("Day-of-rollout incident response"));
    for _ in 0..8 {
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Char(' ')));
    let t = text(&draw(&app, 80, 24));
    insta::assert_snapshot!("checklists_80x24", t);
    assert!(t.contains("Shift handover") && t.contains("0/5"));
    app.update(key(KeyCode::Enter));
    let t = text(&draw(&app, 80, 24));
    assert!(t.contains("step 1"), "the step's detail opens");
}

#[test]
fn health_pane_shows_status_history_and_hints() {
    use shiftdeck::domain::health::{FailureClass, HealthStatus, ProbeOutcome};
    let mut app = demo_app(Theme::default_theme(), 120, 30);
    let t0 = demo_now();
    for (i, ms) in [12u64, 15, 30, 9, 11].iter().enumerate() {
        app.update(Msg::Probed {
            name: "datadog".into(),
            outcome: ProbeOutcome::up("API key valid", *ms),
            at: t0 + chrono::Duration::seconds(30 * i as i64),
        });
    }
    let down = ProbeOutcome::failed(
        HealthStatus::Down,
        FailureClass::Config,
        "404 no_service",
        "the webhook was removed, its app uninstalled or its token revoked: issue a new webhook in Slack",
        Some(20),
    );
    let fx = app.update(Msg::Probed {
        name: "slack-ops".into(),
        outcome: down,
        at: t0,
    });
    assert!(
        matches!(fx.as_slice(), [shiftdeck::app::Effect::RecordHealth { to, .. }] if to == "down"),
        "a change of status is journaled"
    );
    let queues = ProbeOutcome::failed(
        HealthStatus::Degraded,
        FailureClass::Transient,
        "health: 503",
        "HEC is unhealthy: its queues are full (the indexers are backed up)",
        Some(40),
    );
    app.update(Msg::Probed {
        name: "splunk-hec".into(),
        outcome: queues,
        at: t0,
    });
    app.update(key(KeyCode::Char('4')));
    app.update(key(KeyCode::Char('z')));
    let buf = draw(&app, 120, 30);
    let t = text(&buf);
    insta::assert_snapshot!("health_120x30", t);
    assert!(
        t.contains("10 not green: HOLD"),
        "unknown is not green either"
    );
    let (x, y) = find(&buf, "✗ down").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::LightRed, "down is red");
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    let t = text(&draw(&app, 120, 30));
    assert!(
        t.contains("its token revoked"),
        "the hint is in the detail:\n{t}"
    );
}

#[test]
fn the_team_store_badge_says_local_and_since_when_at_every_width() {
    use shiftdeck::app::TeamBadge;
    use shiftdeck::theme::Role;
    for (w, h, words) in [
        (80, 24, "LOCAL since 03:12"),
        (200, 50, "LOCAL — team store unreachable since 03:12"),
    ] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        app.update(Msg::Team(Some(TeamBadge {
            text: "LOCAL — team store unreachable since 03:12".into(),
            alarm: false,
        })));
        let buf = draw(&app, w, h);
        let (x, y) = find(&buf, words).unwrap_or_else(|| panic!("{w}x{h}:\n{}", text(&buf)));
        assert_eq!(y, 0, "in the status bar");
        assert_eq!(
            buf[(x, y)].style().fg,
            app.theme.style(Role::Warning).fg,
            "a warning, not an alarm"
        );
        app.update(Msg::Team(Some(TeamBadge {
            text: "TEAM STORE DOWN since 03:12 — nothing is written".into(),
            alarm: true,
        })));
        let buf = draw(&app, w, h);
        let shown = if w < 100 {
            "TEAM since 03:12"
        } else {
            "TEAM STORE DOWN since 03:12 — nothing is written"
        };
        let (x, y) = find(&buf, shown).unwrap_or_else(|| panic!("{w}x{h}:\n{}", text(&buf)));
        assert_eq!(
            buf[(x, y)].style().fg,
            app.theme.style(Role::HealthDown).fg,
            "nothing can be written: red, as for anything down"
        );
        app.update(Msg::Team(None));
        assert!(
            !text(&draw(&app, w, h)).contains("since 03:12"),
            "gone when all is well"
        );
    }
}

#[test]
fn reconnect_asks_the_runtime_to_try_the_team_store_now() {
    let mut app = demo_app(Theme::default_theme(), 120, 32);
    app.update(key(KeyCode::Char(':')));
    let mut fx = Vec::new();
    for c in "reconnect".chars() {
        fx.extend(app.update(key(KeyCode::Char(c))));
    }
    fx.extend(app.update(key(KeyCode::Enter)));
    assert!(fx.contains(&shiftdeck::app::Effect::Reconnect), "{fx:?}");
}

#[test]
fn steps_past_their_window_are_overdue_in_red_and_counted_in_the_status_bar() {
    use shiftdeck::theme::Role;
    let mut app = demo_app(Theme::default_theme(), 120, 60);
    app.update(key(KeyCode::Char('1')));
    app.update(key(KeyCode::Char('z')));
    // The demo's 00:00 (local) plus 12 h 45 min: the morning check's windows have
    // passed, the 14:00 cache cleanup is still to come.
    app.now += chrono::Duration::minutes(12 * 60 + 45);
    let tz = app.config.timezone;
    let local = app.now.with_timezone(&tz).format("%H:%M").to_string();
    let buf = draw(&app, 120, 60);
    let t = text(&buf);
    let overdue = app.checklists.overdue(app.now, tz);
    assert!(overdue >= 9, "{overdue} at {local}:\n{t}");
    let (x, y) = find(&buf, &format!("{overdue} steps OVERDUE")).unwrap_or_else(|| panic!("{t}"));
    assert_eq!(y, 0, "in the status bar");
    assert_eq!(buf[(x, y)].fg, app.theme.style(Role::Error).fg.unwrap());
    let (x, y) = find(&buf, "OVERDUE since 09:30").unwrap_or_else(|| panic!("{t}"));
    assert!(y > 0);
    assert_eq!(buf[(x, y)].fg, app.theme.style(Role::Error).fg.unwrap());
    assert!(t.contains("due from 14:00"), "{t}");
}

#[test]
fn change_on_the_command_line_is_checked_before_it_is_written() {
    let mut app = demo_app(Theme::default_theme(), 120, 32);
    let type_line = |app: &mut App, line: &str| {
        let mut fx = app.update(key(KeyCode::Char(':')));
        for c in line.chars() {
            fx.extend(app.update(key(KeyCode::Char(c))));
        }
        fx.extend(app.update(key(KeyCode::Enter)));
        // Opening the line asks for the shifts on record (for tab).
        fx.retain(|e| !matches!(e, shiftdeck::app::Effect::ReadShift(None)));
        fx
    };
    let fx = type_line(
        &mut app,
        "change hotfix low none Restarted the HEC forwarder",
    );
    assert!(fx.is_empty());
    assert!(
        text(&draw(&app, 120, 32)).contains("rollback: every change needs a rollback plan"),
        "{}",
        text(&draw(&app, 120, 32))
    );
    let fx = type_line(
        &mut app,
        "change hotfix low 10m Restarted the HEC forwarder -- start the old unit",
    );
    match fx.as_slice() {
        [shiftdeck::app::Effect::RecordChange { record, .. }] => {
            assert_eq!(record.kind, "hotfix");
            assert_eq!(record.title, "Restarted the HEC forwarder");
            assert_eq!(record.rollback, "start the old unit");
            assert_eq!(record.downtime, Some(chrono::Duration::minutes(10)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn integrations_down_together_are_offered_as_one_substrate_incident() {
    use shiftdeck::domain::health::{FailureClass, HealthStatus, ProbeOutcome};
    let mut app = demo_app(Theme::default_theme(), 120, 30);
    let t0 = demo_now();
    for (name, after) in [("datadog", 0), ("opsgenie", 2)] {
        app.update(Msg::Probed {
            name: name.into(),
            outcome: ProbeOutcome::failed(
                HealthStatus::Down,
                FailureClass::Config,
                "403 no body",
                "",
                Some(20),
            ),
            at: t0 + chrono::Duration::minutes(after),
        });
    }
    app.now = t0 + chrono::Duration::minutes(15);
    app.update(key(KeyCode::Char('4')));
    app.update(key(KeyCode::Char('z')));
    let t = text(&draw(&app, 120, 30));
    assert!(
        t.contains("2 down together: i declares one incident"),
        "{t}"
    );
    app.update(key(KeyCode::Char('i')));
    let t = text(&draw(&app, 120, 30));
    assert!(
        t.contains("Declare an incident") && t.contains("platform"),
        "{t}"
    );
    match &app.dialog {
        Some(shiftdeck::app::Dialog::NewIncident(form)) => {
            assert_eq!(
                form.title.lines()[0],
                "2 integrations down at once (datadog, opsgenie): network, DNS or proxy?"
            );
            assert_eq!(form.severity, shiftdeck::domain::Severity::P2)
        }
        _ => panic!("the declare form is open"),
    }
    // An integration that is up has nothing to declare.
    app.update(key(KeyCode::Esc));
    let mut fresh = demo_app(Theme::default_theme(), 120, 30);
    fresh.update(key(KeyCode::Char('4')));
    fresh.update(key(KeyCode::Char('i')));
    assert!(fresh.dialog.is_none());
    assert!(text(&draw(&fresh, 120, 30)).contains("is not down: nothing to declare for it"));
}

#[test]
fn a_failed_step_can_become_an_incident_filled_from_its_output() {
    let mut app = demo_app(Theme::default_theme(), 120, 30);
    let list = app
        .checklists
        .lists
        .iter()
        .find(|l| l.id == "morning-operations")
        .cloned()
        .expect("the demo has the morning check");
    let step = list.steps.iter().find(|s| s.id == "backup").unwrap();
    let failed = shiftdeck::domain::checklist::step_entry(
        demo_now(),
        "20260513-2300-ana.lima",
        "ana.lima",
        &list,
        step,
        "failed",
    )
    .with("exit_code", 1)
    .with(
        "output",
        "\nnewest backup /backups/mysql/credguard-20260514.sql.gz is older than 24 h\n",
    );
    app.update(Msg::Journal(vec![failed]));
    app.update(key(KeyCode::Char('1')));
    // Walk to the failed step and ask for an incident.
    for _ in 0..200 {
        if matches!(app.checklists.selected_row(), Some(shiftdeck::app::ChecklistRow::Step(l, s))
            if app.checklists.lists[l].id == "morning-operations" && app.checklists.lists[l].steps[s].id == "backup")
        {
            break;
        }
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Char('i')));
    match &app.dialog {
        Some(shiftdeck::app::Dialog::NewIncident(form)) => {
            assert_eq!(
                form.title.lines()[0],
                "Check the database backup FAILED (exit 1): newest backup /backups/mysql/credguard-20260514.sql.gz is older than 24 h"
            );
            assert_eq!(form.service.lines()[0], "morning-operations");
        }
        _ => panic!("the declare form opens:\n{}", text(&draw(&app, 120, 30))),
    }
}

#[test]
fn a_verify_and_its_clean_up_go_to_the_journal() {
    let mut app = demo_app(Theme::default_theme(), 120, 30);
    let steps = vec![
        (
            "send".to_string(),
            Ok("test event accepted (202)".to_string()),
        ),
        (
            "clean up".to_string(),
            Err("delete refused (403)".to_string()),
        ),
    ];
    let fx = app.update(Msg::Verified {
        name: "pagerduty".into(),
        steps: steps.clone(),
    });
    assert!(
        fx.contains(&shiftdeck::app::Effect::RecordVerify {
            name: "pagerduty".into(),
            steps
        }),
        "{fx:?}"
    );
    let mut ro = demo_app(Theme::default_theme(), 120, 30);
    ro.readonly = true;
    let fx = ro.update(Msg::Verified {
        name: "pagerduty".into(),
        steps: vec![],
    });
    assert!(fx.is_empty(), "read-only writes nothing");
}

/// `[health] auto_incident = true`: an integration down for `offer_after`
/// is declared once, without a key; while it stays down nothing more.
#[test]
fn auto_incident_declares_an_outage_once_after_the_configured_time() {
    use shiftdeck::domain::health::{FailureClass, HealthStatus, ProbeOutcome};
    let mut app = demo_app(Theme::default_theme(), 120, 30);
    app.config.health.auto_incident = true;
    app.config.health.offer_after = chrono::Duration::minutes(5);
    let t0 = demo_now();
    let down = || {
        ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            "404 no_service",
            "issue a new webhook in Slack",
            Some(20),
        )
    };
    let declares = |fx: &[shiftdeck::app::Effect]| -> Vec<String> {
        fx.iter()
            .filter_map(|e| match e {
                shiftdeck::app::Effect::Declare { title, .. } => Some(title.clone()),
                _ => None,
            })
            .collect()
    };
    let mut declared = Vec::new();
    for m in [0, 3, 6, 7, 9] {
        let fx = app.update(Msg::Probed {
            name: "slack-ops".into(),
            outcome: down(),
            at: t0 + chrono::Duration::minutes(m),
        });
        declared.extend(declares(&fx).into_iter().map(|t| (m, t)));
    }
    assert_eq!(
        declared,
        [(6, "slack-ops down: 404 no_service".to_string())],
        "declared once, once down 5 minutes"
    );
}

/// `SPLUNK_HEC_INSECURE=1` puts a red INSECURE TLS badge on the row.
#[test]
fn an_insecure_integration_carries_a_red_badge() {
    let mut app = demo_app(Theme::default_theme(), 120, 30);
    let i = app
        .health
        .entries
        .iter()
        .position(|e| e.name == "splunk-hec")
        .unwrap();
    app.health.entries[i].warning = Some("INSECURE TLS: the certificate is not checked".into());
    app.update(key(KeyCode::Char('4')));
    let buf = draw(&app, 120, 30);
    let (x, y) = find(&buf, "INSECURE TLS").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::LightRed, "{}", text(&buf));
    let row: String = (0..120).map(|c| buf[(c, y)].symbol().to_string()).collect();
    assert!(row.contains("splunk-hec"), "{row}");
}
