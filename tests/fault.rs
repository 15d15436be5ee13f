//! The fault suite: random key sequences at random sizes, hostile text, and
//! a workspace that cannot be written. Fast and deterministic (fixed seed).

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shiftdeck::app::{App, Msg};
use shiftdeck::keymap::Keymap;
use shiftdeck::store::workspace::DEMO_NOW;
use shiftdeck::store::{IncidentStore, Workspace};
use shiftdeck::theme::Theme;

fn now() -> DateTime<Utc> {
    DEMO_NOW.parse().unwrap()
}

/// The demo, loaded the way the runtime loads it, with a shift open.
fn demo_app() -> App {
    let dir = tempfile::tempdir().unwrap();
    Workspace::create_demo(dir.path(), now()).unwrap();
    let (config, _) = shiftdeck::config::load(&dir.path().join("shiftdeck.toml"));
    let mut app = App::new(
        config,
        Keymap::default_keymap(),
        Theme::default_theme(),
        now(),
    );
    app.update(Msg::Resize(100, 30));
    app.update(Msg::Incidents(
        IncidentStore::new(dir.path()).read_new().unwrap(),
    ));
    app.update(Msg::Approvals(
        shiftdeck::store::approvals::ApprovalStore::new(dir.path())
            .load()
            .unwrap(),
    ));
    let (lists, _) = shiftdeck::store::checklists::load(dir.path());
    app.update(Msg::Checklists {
        lists,
        problems: vec![],
        history: vec![],
    });
    app.update(Msg::ShiftOpened(Box::new(shiftdeck::app::ShiftOpened {
        shift: shiftdeck::app::ShiftInfo {
            id: "20260514-0300-ana.lima".into(),
            started: now(),
            resumed: false,
            ended: None,
        },
        entries: vec![],
        draft: None,
        earlier: vec![],
        previous: None,
    })));
    app
}

fn draw(app: &App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| {
        shiftdeck::ui::render(app, f);
    })
    .unwrap();
    term.backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect()
}

fn key_strategy() -> impl Strategy<Value = Msg> {
    let codes = prop_oneof![
        proptest::char::range(' ', '~').prop_map(KeyCode::Char),
        Just(KeyCode::Enter),
        Just(KeyCode::Esc),
        Just(KeyCode::Tab),
        Just(KeyCode::BackTab),
        Just(KeyCode::Up),
        Just(KeyCode::Down),
        Just(KeyCode::PageUp),
        Just(KeyCode::PageDown),
        Just(KeyCode::Home),
        Just(KeyCode::End),
        Just(KeyCode::Backspace),
        Just(KeyCode::Left),
        Just(KeyCode::Right),
        Just(KeyCode::Char('日')),
        Just(KeyCode::Char('🚨')),
    ];
    let key = (codes, any::<u8>()).prop_map(|(code, m)| {
        let mods = match m % 10 {
            0 => KeyModifiers::CONTROL,
            1 => KeyModifiers::ALT,
            2 => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        Msg::Key(KeyEvent::new(code, mods))
    });
    prop_oneof![
        10 => key,
        1 => (1u16..=300, 1u16..=100).prop_map(|(w, h)| Msg::Resize(w, h)),
        1 => "[a-z ]{0,40}\n?[a-z]{0,10}".prop_map(Msg::Paste),
        1 => (0i64..200_000).prop_map(|s| Msg::Tick(now() + chrono::Duration::seconds(s))),
    ]
}

proptest! {
    #![proptest_config(Config { cases: 48, rng_seed: RngSeed::Fixed(0x5eed_d0c5), failure_persistence: None, ..Config::default() })]

    /// Any sequence of keys, pastes, resizes and ticks, drawn at any size:
    /// no panic, and a frame of the right size.
    #[test]
    fn random_input_never_panics(msgs in proptest::collection::vec(key_strategy(), 1..80), w in 1u16..=300, h in 1u16..=100) {
        let mut app = demo_app();
        for (i, m) in msgs.into_iter().enumerate() {
            let _ = app.update(m);
            if app.quit {
                break;
            }
            if i % 7 == 0 {
                draw(&app, app.size.0.max(1), app.size.1.max(1));
            }
        }
        let frame = draw(&app, w, h);
        prop_assert_eq!(frame.chars().count() >= (w as usize * h as usize), true);
    }
}

const HOSTILE: &[&str] = &[
    "数据库备份丢失：最近24小时内没有",
    "🚨🔥 gateway 5xx 🚒 — 👩‍💻 on it",
    "שגיאת שרת 500 בשער — مهلة الاتصال",
    "e\u{301}\u{302}\u{303} combining ma\u{308}rks z\u{0336}a\u{0336}l\u{0336}g\u{0336}o\u{0336}",
    "\u{200b}zero\u{200d}width\u{feff}",
];

#[test]
fn hostile_text_renders_at_every_size() {
    let mut app = demo_app();
    let long = "x".repeat(10_000);
    let mut titles: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    titles.push(long.clone());
    let records: Vec<_> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| shiftdeck::domain::IncidentRecord {
            id: format!("inc_20260514_0300_{i:06x}"),
            title: t.clone(),
            service: t.chars().take(20).collect(),
            severity: shiftdeck::domain::Severity::P1,
            env: "prod".into(),
            started_at: now(),
            created_by: t.chars().take(12).collect(),
        })
        .collect();
    app.update(Msg::Incidents(shiftdeck::store::IncidentDelta {
        records,
        events: vec![],
        issues: vec![],
        reset: false,
    }));
    for (w, h) in [
        (1, 1),
        (20, 5),
        (40, 10),
        (80, 24),
        (120, 40),
        (200, 50),
        (300, 100),
    ] {
        app.update(Msg::Resize(w, h));
        for pane in ['1', '2', '3', '5'] {
            app.update(Msg::Key(KeyEvent::new(
                KeyCode::Char(pane),
                KeyModifiers::NONE,
            )));
            draw(&app, w, h);
        }
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('2'),
            KeyModifiers::NONE,
        )));
        app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
        draw(&app, w, h);
        app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    }
}

#[test]
fn a_megabyte_paste_lands_in_the_note_editor_whole() {
    let mut app = demo_app();
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('w'),
        KeyModifiers::NONE,
    )));
    assert!(app.journal.editing);
    let line = format!("{} {}\n", HOSTILE.join(" "), "y".repeat(200));
    let paste: String = line.repeat(1_048_576 / line.len() + 1);
    assert!(paste.len() >= 1_048_576);
    app.update(Msg::Paste(paste.clone()));
    assert_eq!(
        app.journal.draft_text().len(),
        paste.len(),
        "every byte of the paste is in the editor"
    );
    for (w, h) in [(80, 24), (200, 50)] {
        app.update(Msg::Resize(w, h));
        draw(&app, w, h);
    }
    let fx = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    match fx.as_slice() {
        [shiftdeck::app::Effect::SaveNote { text, .. }] => {
            assert_eq!(text.len(), paste.trim_end().len())
        }
        other => panic!("expected one SaveNote, got {} effects", other.len()),
    }
    // A paste never confirms a dialog, however many newlines it holds.
    app.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('2'),
        KeyModifiers::NONE,
    )));
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('/'),
        KeyModifiers::NONE,
    )));
    app.update(Msg::Paste("drift".into()));
    app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('e'),
        KeyModifiers::NONE,
    )));
    app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert!(
        matches!(app.dialog, Some(shiftdeck::app::Dialog::Confirm(_))),
        "escalating the P3 asks first"
    );
    assert!(app.update(Msg::Paste("y\n\n\ny\r\n".into())).is_empty());
    assert!(app.dialog.is_some(), "still asking");
}

#[test]
fn a_journal_that_cannot_be_written_is_reported_and_nothing_else_breaks() {
    // As root, permissions do not stop a write: a file where the journal
    // directory should be does.
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    std::fs::write(ws.join("shiftdeck.toml"), "operator = \"ana\"\n").unwrap();
    std::fs::create_dir_all(ws.join("incidents")).unwrap();
    std::fs::write(ws.join("journal"), "not a directory").unwrap();
    let bin = env!("CARGO_BIN_EXE_shiftdeck");
    let out = std::process::Command::new(bin)
        .args([
            "--workspace",
            ws.to_str().unwrap(),
            "journal",
            "add",
            "the note",
        ])
        .env("SHIFTDECK_CONFIG_DIR", ws.join("cfg"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot open the shift journal in") && err.contains("journal"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(ws.join("journal")).unwrap(),
        "not a directory",
        "nothing already there is damaged"
    );
    // Incidents still work; the journal entry's failure is a warning.
    let out = std::process::Command::new(bin)
        .args([
            "--workspace",
            ws.to_str().unwrap(),
            "incidents",
            "new",
            "--title",
            "Disk 91%",
            "--service",
            "prod",
            "--severity",
            "P2",
        ])
        .env("SHIFTDECK_CONFIG_DIR", ws.join("cfg"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: not in the shift journal"));
}

#[test]
fn a_paste_with_cr_line_breaks_is_saved_as_lines() {
    // tmux hands a multi-line paste over with CR between the lines.
    let mut app = demo_app();
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('w'),
        KeyModifiers::NONE,
    )));
    app.update(Msg::Paste("first\rsecond\r\nthird".into()));
    let fx = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    match fx.as_slice() {
        [shiftdeck::app::Effect::SaveNote { text, .. }] => {
            assert_eq!(text, "first\nsecond\nthird");
        }
        other => panic!("{other:?}"),
    }
}
