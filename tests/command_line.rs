//! The `:` line: tab completes commands and their arguments, up and down
//! bring back what was run, ctrl-u clears, `:help` lists every command,
//! and `:journal SHIFT` reads an earlier shift's journal in the pane.

mod common;

use common::screen::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shiftdeck::app::{App, Dialog, Effect, Msg};
use shiftdeck::domain::journal::JournalEntry;
use shiftdeck::theme::Theme;

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}

fn line(app: &App) -> String {
    match &app.dialog {
        Some(Dialog::Command(t)) => t.lines().join("\n"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn tab_completes_a_command_and_its_argument() {
    let mut app = demo_app(Theme::default_theme(), 120, 30);
    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "mess");
    app.update(key(KeyCode::Tab));
    assert_eq!(line(&app), "messages ");
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(line(&app), "");
    typed(&mut app, "view b");
    app.update(key(KeyCode::Tab));
    assert_eq!(line(&app), "view breached");
    // Several fit: the common start, and the choices are named.
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    typed(&mut app, "re");
    app.update(key(KeyCode::Tab));
    let screen = text(&draw(&app, 120, 30));
    assert!(
        screen.contains("report  reject  resolved  reconnect"),
        "{screen}"
    );
}

#[test]
fn up_brings_back_what_was_run() {
    let mut app = demo_app(Theme::default_theme(), 120, 30);
    for cmd in ["view p1", "messages"] {
        app.update(key(KeyCode::Char(':')));
        typed(&mut app, cmd);
        app.update(key(KeyCode::Enter));
        app.update(key(KeyCode::Esc));
    }
    app.update(key(KeyCode::Char(':')));
    app.update(key(KeyCode::Up));
    assert_eq!(line(&app), "messages");
    app.update(key(KeyCode::Up));
    assert_eq!(line(&app), "view p1");
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    assert_eq!(line(&app), "");
}

#[test]
fn help_lists_the_commands() {
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "help");
    app.update(key(KeyCode::Enter));
    let mut seen = String::new();
    for _ in 0..30 {
        seen.push_str(&text(&draw_measured(&mut app, 120, 40)));
        app.update(key(KeyCode::PageDown));
    }
    for cmd in [":journal [SHIFT]", ":messages", ":view [NAME]", ":q"] {
        assert!(seen.contains(cmd), "{cmd} is listed:\n{seen}");
    }
}

#[test]
fn journal_shift_reads_an_earlier_shifts_journal_in_the_pane() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        open_demo_shift(&mut app, None);
        app.update(key(KeyCode::Char(':')));
        typed(&mut app, "journal 20261130");
        let fx = app.update(key(KeyCode::Enter));
        assert_eq!(fx, vec![Effect::ReadShift(Some("20261130".into()))]);
        let at = demo_now() - chrono::Duration::days(1);
        let entries = vec![JournalEntry::note(
            at,
            "20261130-1900-bo",
            "bo",
            "rotated the splunk HEC token\nold one revoked at 21:10",
            &[],
        )];
        app.update(Msg::ShiftJournal {
            ids: vec!["20261130-1900-bo".into()],
            shift: Some(Ok(("20261130-1900-bo".into(), entries))),
        });
        let screen = text(&draw_measured(&mut app, w, h));
        assert!(
            screen.contains("shift 20261130-1900-bo · read only"),
            "{screen}"
        );
        assert!(screen.contains("rotated the splunk HEC token"), "{screen}");
        assert!(screen.contains("old one revoked at 21:10"), "{screen}");
        app.update(key(KeyCode::Esc));
        let screen = text(&draw_measured(&mut app, w, h));
        assert!(
            screen.contains("OOM loop"),
            "esc is back to this shift: {screen}"
        );
        // The ids complete.
        app.update(key(KeyCode::Char(':')));
        typed(&mut app, "journal 2026");
        app.update(key(KeyCode::Tab));
        assert_eq!(line(&app), "journal 20261130-1900-bo");
    }
}

#[test]
fn a_long_shift_is_browsed_by_its_last_entries() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    let at = demo_now();
    let entries: Vec<JournalEntry> = (0..2500)
        .map(|i| JournalEntry::note(at, "20261130-1900-bo", "bo", &format!("note {i}"), &[]))
        .collect();
    app.update(Msg::ShiftJournal {
        ids: vec!["20261130-1900-bo".into()],
        shift: Some(Ok(("20261130-1900-bo".into(), entries))),
    });
    let (_, kept) = app.journal.browsing.as_ref().unwrap();
    assert_eq!(kept.len(), shiftdeck::app::journal::BROWSE_KEPT);
    assert_eq!(kept.last().unwrap().field("text"), Some("note 2499"));
    let screen = text(&draw_measured(&mut app, 200, 24));
    assert!(screen.contains("the last 2000 of 2500 entries"), "{screen}");
}
