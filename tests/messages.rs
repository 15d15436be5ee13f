//! Messages: the answer to the operator's own action is not replaced by a
//! background event, a message stays in the pane it was said in, a long
//! one wraps to a second row, and `:messages` lists the session's.

mod common;

use common::screen::*;
use crossterm::event::KeyCode;
use shiftdeck::app::{App, Msg};
use shiftdeck::domain::health::{FailureClass, HealthStatus, ProbeOutcome};
use shiftdeck::theme::Theme;

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}

/// datadog answers up, then down: "datadog went down" by itself.
fn datadog_goes_down(app: &mut App) {
    let t0 = demo_now();
    app.update(Msg::Probed {
        name: "datadog".into(),
        outcome: ProbeOutcome::up("API key valid", 12),
        at: t0,
    });
    app.update(Msg::Probed {
        name: "datadog".into(),
        outcome: ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Transient,
            "connection refused",
            "is the agent running?",
            None,
        ),
        at: t0,
    });
}

#[test]
fn a_background_event_does_not_replace_the_answer_to_your_own_action() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        app.update(key(KeyCode::Char('2')));
        app.update(key(KeyCode::Char('y')));
        datadog_goes_down(&mut app);
        let screen = text(&draw(&app, w, h));
        let last = screen.lines().last().unwrap();
        assert!(last.contains("copied inc_"), "{w}x{h}: {last}");
        assert!(!screen.contains("datadog went down"), "{screen}");
        // Once the answer has gone, the footer says there is more.
        app.update(Msg::Tick(demo_now() + chrono::Duration::seconds(10)));
        let screen = text(&draw(&app, w, h));
        assert!(screen.contains("1 message more: :messages"), "{screen}");
        // And :messages has both, in order.
        app.update(key(KeyCode::Char(':')));
        typed(&mut app, "messages");
        app.update(key(KeyCode::Enter));
        let screen = text(&draw_measured(&mut app, w, h));
        let copied = screen.find("copied inc_").expect("the copy is listed");
        let down = screen
            .find("datadog went down")
            .expect("the event is listed");
        assert!(copied < down, "{screen}");
        assert!(screen.contains("2 messages this session"), "{screen}");
        app.update(key(KeyCode::Esc));
        assert!(!app.show_messages);
    }
}

#[test]
fn with_nothing_of_yours_showing_a_background_event_is_shown() {
    let mut app = demo_app(Theme::default_theme(), 120, 30);
    datadog_goes_down(&mut app);
    let screen = text(&draw(&app, 120, 30));
    assert!(
        screen.contains("datadog went down: connection refused"),
        "{screen}"
    );
}

#[test]
fn a_message_stays_in_the_pane_it_was_said_in() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    app.update(key(KeyCode::Char('2')));
    app.update(key(KeyCode::Char('y')));
    assert!(app.flash.is_some());
    app.update(key(KeyCode::Char('4')));
    assert!(app.flash.is_none(), "going to Health leaves it behind");
    assert_eq!(app.messages.len(), 1, "it is still in :messages");
}

#[test]
fn a_long_message_wraps_to_a_second_row_instead_of_being_cut() {
    let (w, h) = (80, 24);
    let mut app = demo_app(Theme::default_theme(), w, h);
    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "thiscommandnameislongerthananyone");
    app.update(key(KeyCode::Enter));
    let screen = text(&draw(&app, w, h));
    let lines: Vec<&str> = screen.lines().collect();
    let (above, last) = (lines[h as usize - 2], lines[h as usize - 1]);
    assert!(
        above.contains("unknown command :thiscommandnameislongerthananyone"),
        "{screen}"
    );
    assert!(
        last.contains(":q)"),
        "the end of it is on the row below: {screen}"
    );
}
