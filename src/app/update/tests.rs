use super::*;
use crate::domain::{IncidentEvent, IncidentRecord, IncidentStatus};
use crate::store::IncidentDelta;
use chrono::TimeZone;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 14, 3, 0, 0).unwrap()
}

fn app_with(records: Vec<IncidentRecord>, events: Vec<IncidentEvent>) -> App {
    let mut app = App::new(
        Config::defaults(),
        Keymap::default_keymap(),
        Theme::default_theme(),
        now(),
    );
    app.config.operator = "ana".into();
    app.update(Msg::Resize(100, 30));
    app.update(Msg::Incidents(IncidentDelta {
        records,
        events,
        issues: Vec::new(),
        reset: false,
    }));
    app
}

fn rec(id: &str, sev: Severity, mins_ago: i64) -> IncidentRecord {
    IncidentRecord {
        id: id.into(),
        title: format!("{id} title"),
        service: "gateway".into(),
        severity: sev,
        env: "prod".into(),
        started_at: now() - chrono::Duration::minutes(mins_ago),
        created_by: "bo".into(),
    }
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

#[test]
fn the_most_urgent_incident_is_selected_first() {
    let app = app_with(
        vec![
            rec("inc_p3", Severity::P3, 50),
            rec("inc_p1", Severity::P1, 5),
        ],
        vec![],
    );
    assert_eq!(app.incidents.selected_id(&app.book), Some("inc_p1"));
}

#[test]
fn acknowledge_emits_one_commit_for_the_selection() {
    let mut app = app_with(vec![rec("inc_p1", Severity::P1, 5)], vec![]);
    let fx = press(&mut app, KeyCode::Char('a'));
    assert_eq!(
        fx,
        vec![Effect::Commit {
            request: RequestId(1),
            incident_id: "inc_p1".into(),
            change: IncidentChange::Acknowledged {
                message: String::new()
            }
        }]
    );
    assert_eq!(app.saving(), 1);
    // An answer to another request leaves the badge on.
    app.update(Msg::Saved {
        request: RequestId(99),
        result: Ok("saved".into()),
    });
    assert_eq!(app.saving(), 1);
    app.update(Msg::Saved {
        request: RequestId(1),
        result: Ok("saved".into()),
    });
    assert_eq!(app.saving(), 0);
}

#[test]
fn already_acknowledged_is_refused_without_a_write() {
    let ack = IncidentEvent {
        incident_id: "inc_p1".into(),
        at: now(),
        by: "bo".into(),
        change: IncidentChange::Acknowledged {
            message: String::new(),
        },
    };
    let mut app = app_with(vec![rec("inc_p1", Severity::P1, 5)], vec![ack]);
    assert!(press(&mut app, KeyCode::Char('a')).is_empty());
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("already acknowledged by bo")
    );
}

#[test]
fn declaring_needs_title_and_service_then_emits_declare() {
    let mut app = app_with(vec![], vec![]);
    press(&mut app, KeyCode::Char('n'));
    assert!(matches!(app.dialog, Some(Dialog::NewIncident(_))));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    assert!(
        press(&mut app, KeyCode::Enter).is_empty(),
        "empty title refused"
    );
    match &app.dialog {
        Some(Dialog::NewIncident(f)) => assert_eq!((f.field, f.error.is_some()), (0, true)),
        _ => panic!("form stays open"),
    }
    typed(&mut app, "Gateway 5xx rate >5%");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "gateway");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('1'));
    let fx = press(&mut app, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Declare {
            request: RequestId(1),
            title: "Gateway 5xx rate >5%".into(),
            service: "gateway".into(),
            severity: Severity::P1
        }]
    );
    assert!(app.dialog.is_none());
}

#[test]
fn escalate_and_resolve_ask_first() {
    let mut app = app_with(vec![rec("inc_a", Severity::P3, 5)], vec![]);
    assert!(press(&mut app, KeyCode::Char('e')).is_empty());
    // The level (one up, typed in already) and why, then the question.
    assert!(matches!(app.dialog, Some(Dialog::Text { .. })));
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(matches!(app.dialog, Some(Dialog::Confirm(_))));
    // Enter does not confirm: only y does.
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(matches!(app.dialog, Some(Dialog::Confirm(_))));
    // A paste never confirms.
    app.update(Msg::Paste("y\n".into()));
    assert!(matches!(app.dialog, Some(Dialog::Confirm(_))));
    let fx = press(&mut app, KeyCode::Char('y'));
    assert_eq!(
        fx,
        vec![Effect::Commit {
            request: RequestId(1),
            incident_id: "inc_a".into(),
            change: IncidentChange::Escalated {
                to: Severity::P2,
                message: "raised from P3".into()
            }
        }]
    );

    assert!(press(&mut app, KeyCode::Char('r')).is_empty());
    typed(&mut app, "rolled back");
    let fx = press(&mut app, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Commit {
            request: RequestId(2),
            incident_id: "inc_a".into(),
            change: IncidentChange::Resolved {
                message: "rolled back".into()
            }
        }]
    );
}

#[test]
fn esc_cancels_without_writing() {
    let mut app = app_with(vec![rec("inc_a", Severity::P3, 5)], vec![]);
    press(&mut app, KeyCode::Char('m'));
    typed(&mut app, "half a thought");
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(app.dialog.is_none());
}

#[test]
fn filter_narrows_live_and_esc_clears() {
    let mut app = app_with(
        vec![
            rec("inc_db", Severity::P2, 5),
            rec("inc_gw", Severity::P1, 5),
        ],
        vec![],
    );
    app.book = IncidentBook::default();
    let mut r = rec("inc_db", Severity::P2, 5);
    r.service = "mysql".into();
    app.update(Msg::Incidents(IncidentDelta {
        records: vec![r, rec("inc_gw", Severity::P1, 5)],
        events: vec![],
        issues: vec![],
        reset: true,
    }));
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "MYSQL");
    assert_eq!(app.incidents.visible.len(), 1);
    assert_eq!(app.incidents.selected_id(&app.book), Some("inc_db"));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.incidents.visible.len(), 2);
}

#[test]
fn sequences_and_the_command_line() {
    let mut app = app_with(
        (0..30)
            .map(|i| rec(&format!("inc_{i:02}"), Severity::P3, 100 - i))
            .collect(),
        vec![],
    );
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.incidents.selected, 29);
    assert!(
        app.incidents.offset > 0,
        "scrolled to keep the selection visible"
    );
    press(&mut app, KeyCode::Char('g'));
    assert!(!app.pending_keys.is_empty());
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.incidents.selected, 0);
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "health");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, Pane::Health);
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "theme mono");
    assert_eq!(
        press(&mut app, KeyCode::Enter),
        vec![Effect::LoadTheme("mono".into())]
    );
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "frobnicate");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains("unknown command :frobnicate")
    );
    assert_eq!(press(&mut app, KeyCode::Char('q')), vec![Effect::Quit]);
}

#[test]
fn key_releases_are_ignored() {
    let mut app = app_with(vec![rec("inc_a", Severity::P3, 5)], vec![]);
    let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert!(app.update(Msg::Key(release)).is_empty());
    assert!(!app.quit);
}

#[test]
fn idle_ticks_draw_only_when_a_visible_clock_changes() {
    let mut app = app_with(vec![rec("inc_old", Severity::P4, 60)], vec![]);
    app.dirty = false;
    app.update(Msg::Tick(now() + chrono::Duration::seconds(1)));
    let first = app.dirty;
    app.dirty = false;
    app.update(Msg::Tick(now() + chrono::Duration::seconds(2)));
    assert!(
        !app.dirty,
        "a P4 far from its target shows minutes only: no redraw each second"
    );
    app.update(Msg::Tick(now() + chrono::Duration::seconds(61)));
    assert!(app.dirty || first, "the minute changed");

    let mut urgent = app_with(vec![rec("inc_p1", Severity::P1, 11)], vec![]);
    urgent.update(Msg::Tick(now() + chrono::Duration::seconds(1)));
    urgent.dirty = false;
    urgent.update(Msg::Tick(now() + chrono::Duration::seconds(2)));
    assert!(
        urgent.dirty,
        "a P1 countdown in its last minutes ticks in seconds"
    );
}

#[test]
fn a_change_from_elsewhere_keeps_the_selection_on_the_same_incident() {
    let mut app = app_with(vec![rec("inc_p3", Severity::P3, 5)], vec![]);
    assert_eq!(app.incidents.selected_id(&app.book), Some("inc_p3"));
    app.update(Msg::Incidents(IncidentDelta {
        records: vec![rec("inc_p1", Severity::P1, 1)],
        events: vec![],
        issues: vec![],
        reset: false,
    }));
    assert_eq!(app.incidents.selected_id(&app.book), Some("inc_p3"));
    assert_eq!(app.book.get("inc_p3").unwrap().status, IncidentStatus::Open);
}

#[test]
fn a_note_no_file_would_take_stays_in_the_editor() {
    let mut app = app_with(vec![], vec![]);
    press(&mut app, KeyCode::Char('w'));
    typed(&mut app, "the only copy");
    app.update(Msg::NoteSaved {
        request: RequestId(1),
        result: Err(super::super::Unsaved {
            text: "the only copy".into(),
            why: "NOT SAVED anywhere (No space left on device): the entry is only on screen".into(),
            kept_in: None,
        }),
    });
    assert_eq!(
        app.journal.draft_text(),
        "the only copy",
        "kept for the draft and for another try"
    );
    assert!(app.journal.draft_dirty);
    let fx = app.update(Msg::Hangup);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::SaveDraft { text } if text == "the only copy")),
        "a hang-up saves it as the draft"
    );

    let mut kept = app_with(vec![], vec![]);
    press(&mut kept, KeyCode::Char('w'));
    typed(&mut kept, "safe elsewhere");
    kept.update(Msg::NoteSaved {
        request: RequestId(1),
        result: Err(super::super::Unsaved {
            text: "safe elsewhere".into(),
            why: "NOT SAVED in the journal (EIO); kept in /ws/journal/unsaved-x.jsonl".into(),
            kept_in: Some("/ws/journal/unsaved-x.jsonl".into()),
        }),
    });
    assert!(
        kept.journal.draft_text().is_empty(),
        "a fallback file holds it: no second copy to save twice"
    );
    assert_eq!(kept.journal.unsaved.len(), 1);
}

#[test]
fn whether_a_note_was_kept_is_read_from_the_reply_not_its_words() {
    let mut app = app_with(vec![], vec![]);
    press(&mut app, KeyCode::Char('w'));
    typed(&mut app, "disk; kept in mind");
    app.update(Msg::NoteSaved {
        request: RequestId(1),
        result: Err(super::super::Unsaved {
            text: "disk; kept in mind".into(),
            why: "NOT SAVED anywhere (EIO on /mnt; kept in read-only mode): only on screen".into(),
            kept_in: None,
        }),
    });
    assert_eq!(
        app.journal.draft_text(),
        "disk; kept in mind",
        "no fallback file took it, whatever the message says"
    );
}

#[test]
fn a_notice_from_the_store_does_not_clear_the_saving_badge() {
    let mut app = app_with(vec![], vec![]);
    press(&mut app, KeyCode::Char('w'));
    typed(&mut app, "a note");
    let fx = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    assert!(fx.iter().any(|e| matches!(e, Effect::SaveNote { .. })));
    assert_eq!(app.saving(), 1);
    app.update(Msg::Notice(Err("cannot read approvals: EACCES".into())));
    app.update(Msg::Notice(Err("health change not journaled: EIO".into())));
    assert_eq!(app.saving(), 1, "the note's write is still in flight");
    app.update(Msg::NoteSaved {
        request: RequestId(1),
        result: Ok(vec![]),
    });
    assert_eq!(app.saving(), 0);
}

#[test]
fn blocker_and_deviation_commands_file_one_line_notes_and_keep_the_draft() {
    let mut app = app_with(vec![], vec![]);
    // `:note TEXT` is a note of its own: the editor's draft file stays.
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "note quick one");
    let fx = press(&mut app, KeyCode::Enter);
    assert!(
        fx.iter().any(|e| matches!(e, Effect::SaveNote { text, tags, draft: false, .. } if text == "quick one" && tags.is_empty())),
        "{fx:?}"
    );
    for (line, tag) in [
        (":blocker Slack webhook waits on PROC-4411", "cred-blocker"),
        (":cleared PROC-4411 arrived", "cred-cleared"),
        (":deviation ran verify by hand", "deviation"),
    ] {
        press(&mut app, KeyCode::Char(':'));
        typed(&mut app, &line[1..]);
        let fx = press(&mut app, KeyCode::Enter);
        let words = line.split_once(' ').unwrap().1;
        assert!(
            fx.iter().any(
                |e| matches!(e, Effect::SaveNote { text, tags, draft: false, .. }
                if text == words && tags == &[tag.to_string()])
            ),
            "{line}: {fx:?}"
        );
    }
    press(&mut app, KeyCode::Char(':'));
    typed(&mut app, "blocker");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(
        app.flash
            .as_ref()
            .unwrap()
            .text
            .contains(":blocker WHAT IS BLOCKED")
    );
}
