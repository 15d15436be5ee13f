//! The layer stack on the demo: what takes the keys is what is drawn on
//! top, an overlay that opens by itself takes no key typed for something
//! else, and each layer has its own keys (from the keymap) and hints.

mod common;

use common::screen::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shiftdeck::app::layers::Layer;
use shiftdeck::app::{App, Dialog, Effect, Msg, Pane};
use shiftdeck::diagnostic::FileProblem;
use shiftdeck::keymap::Context;
use shiftdeck::theme::Theme;

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn chars(app: &mut App, s: &str) -> Vec<Effect> {
    let mut fx = Vec::new();
    for c in s.chars() {
        fx.extend(press(app, KeyCode::Char(c)));
    }
    fx
}

#[test]
fn a_verify_confirmation_from_a_health_detail_is_drawn_over_it() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        chars(&mut app, "4");
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.top_layer(), Layer::HealthDetail);
        chars(&mut app, "V");
        assert!(matches!(app.dialog, Some(Dialog::Verify { .. })));
        assert_eq!(
            app.layers(),
            vec![Layer::Panes, Layer::HealthDetail, Layer::Dialog]
        );
        let screen = text(&draw(&app, w, h));
        assert!(
            screen.contains("y sends it · n or esc goes back"),
            "{w}x{h}: the confirmation that takes the keys is visible:\n{screen}"
        );
        // And it is the one that answers: n closes it, the detail stays.
        chars(&mut app, "n");
        assert_eq!(app.top_layer(), Layer::HealthDetail);
    }
}

#[test]
fn a_skip_reason_from_a_step_detail_is_drawn_over_it() {
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    chars(&mut app, "1");
    // The first checklist is open: its first step's detail.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.top_layer(), Layer::StepDetail, "{:?}", app.layers());
    chars(&mut app, "S");
    assert!(matches!(app.dialog, Some(Dialog::SkipReason { .. })));
    assert_eq!(app.top_layer(), Layer::Dialog);
    chars(&mut app, "no backups today");
    let screen = text(&draw(&app, 120, 40));
    assert!(screen.contains("no backups today"), "{screen}");
    assert!(screen.contains("enter records the skip"), "{screen}");
}

#[test]
fn problems_found_after_the_first_key_do_not_take_the_next_ones() {
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    chars(&mut app, "2");
    press(&mut app, KeyCode::Char(':'));
    chars(&mut app, "theme hihg-contrast");
    let fx = press(&mut app, KeyCode::Enter);
    assert!(fx.contains(&Effect::LoadTheme("hihg-contrast".into())));
    // The operator goes on typing while the theme loads: `n` to declare.
    app.update(Msg::ThemeLoaded(
        Theme::default_theme(),
        vec![FileProblem::new(
            std::path::Path::new("hihg-contrast"),
            None,
            "theme: not a bundled theme",
        )],
    ));
    assert!(
        !app.show_problems,
        "nothing opened over the screen by itself"
    );
    chars(&mut app, "n");
    assert!(
        matches!(app.dialog, Some(Dialog::NewIncident(_))),
        "the key went where it was typed for"
    );
    // The list is there on demand.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(':'));
    chars(&mut app, "problems");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.top_layer(), Layer::Problems);
    let screen = text(&draw(&app, 120, 40));
    assert!(screen.contains("not a bundled theme"), "{screen}");
}

#[test]
fn problems_found_before_any_key_open_at_start() {
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    app.add_problems(["keymap.toml:3: unknown action \"fly\"".to_string()]);
    assert_eq!(app.top_layer(), Layer::Problems);
    // Any key closes it, and only closes it.
    assert!(chars(&mut app, "q").is_empty());
    assert_eq!(app.top_layer(), Layer::Panes);
}

#[test]
fn a_confirmation_takes_only_its_own_keys() {
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    // The first P2 (below the three P1s): escalating it asks first.
    chars(&mut app, "2jjje");
    app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert!(
        matches!(app.dialog, Some(Dialog::Confirm(_))),
        "escalate asks"
    );
    // `q` quits on a pane; in a confirmation it does nothing.
    assert!(chars(&mut app, "q").is_empty());
    assert!(app.dialog.is_some() && !app.quit);
    // `?` shows the confirmation's keys, over it.
    chars(&mut app, "?");
    assert_eq!(app.top_layer(), Layer::Help);
    assert_eq!(app.active_context(), Context::Confirm);
    let screen = text(&draw(&app, 120, 40));
    assert!(screen.contains("Keys here (a confirmation)"), "{screen}");
    assert!(
        !screen.contains("Everywhere"),
        "global keys are not live here"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.top_layer(), Layer::Dialog);
    let fx = chars(&mut app, "y");
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Commit { .. })),
        "{fx:?}"
    );
}

#[test]
fn a_layer_s_keys_and_hints_come_from_the_keymap() {
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    let problems = app.keymap.merge_source(
        std::path::Path::new("keymap.toml"),
        "[confirm]\nj = \"confirm\"\ny = \"noop\"\nY = \"noop\"\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    chars(&mut app, "2jjje");
    press(&mut app, KeyCode::Enter);
    let screen = text(&draw(&app, 120, 40));
    assert!(screen.contains("j confirms"), "{screen}");
    assert!(!screen.contains("enter confirms"), "{screen}");
    assert!(chars(&mut app, "y").is_empty(), "y is unbound now");
    assert!(app.dialog.is_some());
    let fx = chars(&mut app, "j");
    assert!(fx.iter().any(|e| matches!(e, Effect::Commit { .. })));
}

#[test]
fn a_detail_popup_stays_with_its_pane() {
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    chars(&mut app, "4");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.top_layer(), Layer::HealthDetail);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Pane::Journal);
    assert_eq!(app.layers(), vec![Layer::Panes]);
}

fn running_step(app: &mut App) -> (String, String) {
    let list = &app.checklists.lists[0];
    let key = (list.id.clone(), list.steps[0].id.clone());
    app.checklists.running.insert(key.clone(), demo_now());
    key
}

fn stopped() -> shiftdeck::integrations::command::CommandOutcome {
    shiftdeck::integrations::command::CommandOutcome {
        exit: None,
        timed_out: false,
        stopped: true,
        output: String::new(),
        truncated: false,
        duration: std::time::Duration::from_secs(1),
    }
}

#[test]
fn a_dropped_link_stops_running_steps_and_records_them_before_leaving() {
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    let (list, step) = running_step(&mut app);
    let fx = app.update(Msg::Hangup);
    assert!(fx.contains(&Effect::StopSteps), "{fx:?}");
    assert!(!app.quit, "not before the step is recorded");
    let fx = app.update(Msg::StepRan {
        list,
        step,
        outcome: stopped(),
    });
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::RecordStep { result, reason, .. }
            if result == "failed" && reason.contains("because shiftdeck quit"))),
        "{fx:?}"
    );
    assert!(fx.contains(&Effect::Quit) && app.quit);
}

#[test]
fn a_step_that_ends_while_quit_is_asked_does_not_hold_up_the_quit() {
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    let (list, step) = running_step(&mut app);
    chars(&mut app, "q");
    assert!(matches!(app.dialog, Some(Dialog::ConfirmQuit { .. })));
    let mut done = stopped();
    done.stopped = false;
    done.exit = Some(0);
    app.update(Msg::StepRan {
        list,
        step,
        outcome: done,
    });
    let fx = chars(&mut app, "y");
    assert!(fx.contains(&Effect::Quit) && app.quit, "{fx:?}");
}
