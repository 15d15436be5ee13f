//! The note editor: large over the panes, soft-wrapped at words, and
//! `ctrl-e` hands the note to `$EDITOR` with the draft saved first.

mod common;

use common::screen::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shiftdeck::app::{Effect, Msg};
use shiftdeck::theme::Theme;

const LONG: &str = "bureau client ECONNRESET since 02:10, retries exhausted on the scoring path; cache fallback on for scores under 24h, batch paused until the vendor answers";

#[test]
fn the_editor_opens_large_and_wraps_a_long_line_whole() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        app.update(key(KeyCode::Char('w')));
        app.update(Msg::Paste(LONG.into()));
        let screen = text(&draw_measured(&mut app, w, h));
        insta::assert_snapshot!(format!("editor_{w}x{h}"), screen);
        assert!(screen.contains("Note ·"), "{screen}");
        assert!(
            screen.contains("batch paused until the vendor answers"),
            "{w}x{h}: the end of a long line is on screen, wrapped:\n{screen}"
        );
        let rows = screen.lines().filter(|l| l.contains("Note ·")).count();
        assert_eq!(rows, 1);
    }
}

#[test]
fn ctrl_e_saves_the_draft_then_hands_it_over_and_takes_it_back() {
    let mut app = demo_app(Theme::default_theme(), 120, 36);
    app.update(key(KeyCode::Char('w')));
    app.update(Msg::Paste("first line".into()));
    let fx = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('e'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(
        fx,
        vec![
            Effect::SaveDraft {
                text: "first line".into()
            },
            Effect::EditExternally("first line".into())
        ]
    );
    assert!(app.redraw_whole);
    app.update(Msg::NoteEdited(Ok(
        "first line\r\nsecond, from vi\u{1b}[2J\n".into(),
    )));
    // Its CRLF read as lines, its control characters dropped.
    assert_eq!(app.journal.draft_text(), "first line\nsecond, from vi[2J");
    assert!(app.journal.editing);
    // An editor that failed keeps the draft as it was.
    app.update(Msg::NoteEdited(Err("vi exited with exit status: 1".into())));
    assert_eq!(app.journal.draft_text(), "first line\nsecond, from vi[2J");
    let screen = text(&draw(&app, 120, 36));
    assert!(screen.contains("(the draft is kept)"), "{screen}");
}
