//! Rendering the demo on ratatui's TestBackend with a fixed clock, for
//! the screen tests.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use shiftdeck::app::{App, Msg};
use shiftdeck::config::Config;
use shiftdeck::keymap::Keymap;
use shiftdeck::store::workspace::DEMO_NOW;
use shiftdeck::store::{IncidentStore, Workspace};
use shiftdeck::theme::Theme;

pub fn demo_now() -> DateTime<Utc> {
    DEMO_NOW.parse().unwrap()
}

pub fn demo_app(theme: Theme, w: u16, h: u16) -> App {
    demo_app_with(theme, w, h, |_| {})
}

/// The demo, with the workspace changed by `prepare` before it is read.
pub fn demo_app_with(theme: Theme, w: u16, h: u16, prepare: impl FnOnce(&std::path::Path)) -> App {
    let dir = tempfile::tempdir().unwrap();
    Workspace::create_demo(dir.path(), demo_now()).unwrap();
    prepare(dir.path());
    let (settings_config, _) = shiftdeck::config::load(&dir.path().join("shiftdeck.toml"));
    let mut store = IncidentStore::new(dir.path());
    let delta = store.read_new().unwrap();
    let mut app = App::new(
        Config { ..settings_config },
        Keymap::default_keymap(),
        theme,
        demo_now(),
    );
    app.shift_started = demo_now() - chrono::Duration::minutes(95);
    app.demo = true;
    app.update(Msg::Resize(w, h));
    app.update(Msg::Incidents(delta));
    let approvals = shiftdeck::store::approvals::ApprovalStore::new(dir.path())
        .load()
        .unwrap();
    app.update(Msg::Approvals(approvals));
    // As the store thread reads them: with the journal's checklist lines
    // (the demo's playbook run among them).
    let (lists, problems, history) = shiftdeck::store::checklists::load_with_history(
        dir.path(),
        &shiftdeck::store::journal::JournalStore::new(dir.path()),
        demo_now(),
        app.config.timezone,
        Some(app.shift_started),
    );
    assert!(problems.is_empty(), "{problems:?}");
    app.update(Msg::Checklists {
        lists,
        problems: Vec::new(),
        history: history.unwrap(),
    });
    app.update(Msg::Tick(demo_now()));
    app
}

pub fn draw(app: &App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| {
        shiftdeck::ui::render(app, f);
    })
    .unwrap();
    term.backend().buffer().clone()
}

/// Draw as the event loop does: the frame's measurements go back to the
/// app, so the next key moves within what was drawn.
pub fn draw_measured(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    // A frame that moved something (a search going to its first match)
    // asks for one more, as the event loop draws it.
    for _ in 0..2 {
        app.dirty = false;
        let mut measured = Default::default();
        term.draw(|f| measured = shiftdeck::ui::render(app, f))
            .unwrap();
        app.set_measured(measured);
        if !app.dirty {
            break;
        }
    }
    term.backend().buffer().clone()
}

pub fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Position of the first cell where `needle` starts.
pub fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let t = text(buf);
    for (y, line) in t.lines().enumerate() {
        if let Some(byte) = line.find(needle) {
            let x = line[..byte].chars().count();
            return Some((x as u16, y as u16));
        }
    }
    None
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Open a shift on the demo as the store would: three entries (one a
/// multi-line note) and, when given, the previous shift's handover.
#[allow(dead_code)]
pub fn open_demo_shift(app: &mut App, previous: Option<shiftdeck::app::PreviousHandover>) {
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
            "#handover OOM loop: memory limit raised to 2G\nwatch restarts until 06:00\nthen call bo",
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

/// A previous handover of `n` numbered lines under a heading.
#[allow(dead_code)]
pub fn long_handover(n: usize) -> shiftdeck::app::PreviousHandover {
    let mut markdown = String::from("# Shift handover — bruno.costa\n\n## Notes\n\n");
    for i in 1..=n {
        markdown.push_str(&format!("- line {i} of the notes, to read in order\n"));
    }
    shiftdeck::app::PreviousHandover {
        shift: "20260513-1100-bruno.costa".into(),
        from: "bruno.costa".into(),
        markdown,
        acknowledged: false,
    }
}
