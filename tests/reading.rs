//! Reading and moving: every detail, popup and list stops at its last page,
//! one page size everywhere, a position in every list's title, the selected
//! row highlighted whole, and the Journal's entries read whole. Drawn on
//! ratatui's TestBackend the way the event loop draws (the frame's
//! measurements go back to the app).

mod common;

use common::screen::*;
use crossterm::event::KeyCode;
use ratatui::style::Modifier;
use shiftdeck::app::{App, Pane};
use shiftdeck::theme::Theme;

fn press(app: &mut App, code: KeyCode, w: u16, h: u16) -> String {
    app.update(key(code));
    text(&draw_measured(app, w, h))
}

/// Rows of the body (below the status bar, above the hints) that hold text.
fn body_rows_with_text(screen: &str) -> usize {
    let lines: Vec<&str> = screen.lines().collect();
    lines[2..lines.len().saturating_sub(2)]
        .iter()
        .filter(|l| {
            l.trim_matches(|c: char| c == '┃' || c == '│' || c == '█' || c.is_whitespace())
                .len()
                > 2
        })
        .count()
}

#[test]
fn g_in_the_handover_popup_shows_its_last_page_and_k_moves_from_there() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        open_demo_shift(&mut app, Some(long_handover(120)));
        let top = text(&draw_measured(&mut app, w, h));
        assert!(top.contains("Handover from"), "{top}");
        let last = press(&mut app, KeyCode::Char('G'), w, h);
        assert!(
            body_rows_with_text(&last) > 3,
            "{w}x{h}: G shows the last page, not a blank popup:\n{last}"
        );
        let up = press(&mut app, KeyCode::Char('k'), w, h);
        assert_ne!(up, last, "{w}x{h}: k after G moves at once");
        // Past the end there is nothing more: j at the bottom stays.
        press(&mut app, KeyCode::Char('G'), w, h);
        let again = press(&mut app, KeyCode::Char('j'), w, h);
        assert_eq!(again, last);
    }
}

#[test]
fn a_page_is_one_screen_in_the_popup_and_in_the_detail() {
    let (w, h) = (80, 24);
    let mut app = demo_app(Theme::default_theme(), w, h);
    open_demo_shift(&mut app, Some(long_handover(120)));
    text(&draw_measured(&mut app, w, h));
    let first = app.journal.previous_scroll;
    press(&mut app, KeyCode::PageDown, w, h);
    let paged = app.journal.previous_scroll - first;
    // The popup's rows (24 less the status bar, hints and borders) less one.
    assert!((15..=20).contains(&paged), "a page moved {paged} rows");
    // The incident detail pages the same way.
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('2')));
    press(&mut app, KeyCode::Enter, w, h);
    press(&mut app, KeyCode::PageDown, w, h);
    let detail = app.incidents.detail_scroll;
    let view = app.measured.views[&shiftdeck::app::scrolling::Scroll::IncidentDetail];
    assert_eq!(detail, view.max.min(view.rows - 1), "{view:?}");
    let last = press(&mut app, KeyCode::Char('G'), w, h);
    assert!(body_rows_with_text(&last) > 3, "{last}");
    let after = press(&mut app, KeyCode::PageDown, w, h);
    assert_eq!(after, last, "a page down at the end stays on the last page");
}

#[test]
fn page_down_scrolls_the_help_instead_of_closing_it() {
    let (w, h) = (80, 24);
    let mut app = demo_app(Theme::default_theme(), w, h);
    app.update(key(KeyCode::Char('?')));
    text(&draw_measured(&mut app, w, h));
    let paged = press(&mut app, KeyCode::PageDown, w, h);
    assert!(app.show_help, "pgdn scrolls the help");
    assert!(paged.contains("Keys ("), "{paged}");
    let end = press(&mut app, KeyCode::End, w, h);
    assert!(
        end.contains("Everywhere") || end.contains("keymap: default"),
        "{end}"
    );
}

#[test]
fn the_journal_selects_an_entry_and_reads_it_whole() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        open_demo_shift(&mut app, None);
        app.update(key(KeyCode::Char('5')));
        assert_eq!(app.focus, Pane::Journal);
        let n = app.journal.entries.len();
        assert!(n >= 2);
        // k k moves the selection; entries never scroll away.
        press(&mut app, KeyCode::Char('k'), w, h);
        let s = press(&mut app, KeyCode::Char('k'), w, h);
        assert_eq!(app.journal.selected_index(), Some(n.saturating_sub(3)));
        assert!(
            s.contains(&format!("{}/{n}", n - 2)),
            "{w}x{h}: position:\n{s}"
        );
        for _ in 0..n + 5 {
            app.update(key(KeyCode::Char('k')));
        }
        let top = text(&draw_measured(&mut app, w, h));
        assert_eq!(app.journal.selected_index(), Some(0));
        assert!(top.contains("shift start"), "{top}");
        // Enter reads the entry whole; it never opens the note editor.
        let read = press(&mut app, KeyCode::Enter, w, h);
        assert!(!app.journal.editing);
        assert!(read.contains(&format!("entry 1/{n}")), "{read}");
        assert!(read.contains("by "), "{read}");
        let back = press(&mut app, KeyCode::Esc, w, h);
        assert!(back.contains(&format!("1/{n}")), "{back}");
    }
}

#[test]
fn a_multi_line_note_reads_whole_in_the_journal() {
    let (w, h) = (80, 24);
    let mut app = demo_app(Theme::default_theme(), w, h);
    open_demo_shift(&mut app, None);
    app.update(key(KeyCode::Char('5')));
    let list = text(&draw_measured(&mut app, w, h));
    assert!(list.contains("(+2 lines)"), "{list}");
    // The newest entry is selected: enter reads all of it.
    let read = press(&mut app, KeyCode::Enter, w, h);
    for l in [
        "#handover OOM loop",
        "watch restarts until 06:00",
        "then call bo",
    ] {
        assert!(read.contains(l), "{read}");
    }
}

#[test]
fn the_selected_row_is_highlighted_whole_in_the_focused_pane() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        let buf = draw_measured(&mut app, w, h);
        let (x, y) = find(&buf, "P1  ").expect("the first row");
        // From the severity to the RESPOND column, every cell is reversed.
        let row_end = x + 40;
        for cx in x..row_end {
            assert!(
                buf[(cx, y)].modifier.contains(Modifier::REVERSED),
                "{w}x{h}: cell {cx},{y} of the selected row is not highlighted"
            );
        }
        // The next row is not.
        assert!(!buf[(x, y + 1)].modifier.contains(Modifier::REVERSED));
    }
}

#[test]
fn every_list_says_where_its_selection_is() {
    let (w, h) = (200, 50);
    let mut app = demo_app(Theme::default_theme(), w, h);
    let t = press(&mut app, KeyCode::Char('j'), w, h);
    let active = app.incidents.visible.len();
    assert!(t.contains(&format!(" 2/{active} ")), "{t}");
    for pane in ['1', '3', '4'] {
        let t = press(&mut app, KeyCode::Char(pane), w, h);
        assert!(
            t.lines().filter(|l| l.contains(" 1/")).count() >= 3,
            "{pane}: {t}"
        );
    }
}

#[test]
fn an_entry_read_whole_keeps_a_space_after_a_long_field_name() {
    use shiftdeck::domain::journal::{EntryKind, JournalEntry};
    let (w, h) = (80, 24);
    let mut app = demo_app(Theme::default_theme(), w, h);
    open_demo_shift(&mut app, None);
    let e = JournalEntry::new(
        demo_now(),
        "20260513-2300-ana.lima",
        "ana.lima",
        EntryKind::Health,
    )
    .with("integration", "splunk-hec")
    .with("to", "degraded");
    app.update(shiftdeck::app::Msg::Journal(vec![e]));
    app.update(key(KeyCode::Char('5')));
    let screen = press(&mut app, KeyCode::Enter, w, h);
    assert!(screen.contains("integration splunk-hec"), "{screen}");
}
