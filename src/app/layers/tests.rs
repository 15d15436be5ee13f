//! Every layer's keys, from the default keymap, through `update`.

use super::Layer;
use crate::app::{App, Dialog, Effect, Msg, Pane, PreviousHandover};
use crate::config::Config;
use crate::keymap::{Context, Keymap};
use crate::theme::Theme;
use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn app() -> App {
    let now = Utc.with_ymd_and_hms(2026, 5, 14, 3, 0, 0).unwrap();
    let mut app = App::new(
        Config::defaults(),
        Keymap::default_keymap(),
        Theme::default_theme(),
        now,
    );
    app.config.operator = "ana".into();
    app.update(Msg::Resize(100, 30));
    app
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| press(app, KeyCode::Char(c)))
        .collect()
}

#[test]
fn the_panes_are_always_at_the_bottom() {
    let a = app();
    assert_eq!(a.layers(), vec![Layer::Panes]);
    assert_eq!(a.active_context(), Context::Incidents);
}

#[test]
fn editor_saves_with_its_key_and_leaves_keeping_the_draft() {
    let mut a = app();
    typed(&mut a, "w");
    assert_eq!(a.top_layer(), Layer::Editor);
    assert_eq!(a.active_context(), Context::Editor);
    // `q` types a q here: it is not the global quit.
    assert!(typed(&mut a, "quit soon").is_empty());
    assert!(!a.quit);
    let fx = ctrl(&mut a, 's');
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::SaveNote { text, .. } if text == "quit soon")),
        "{fx:?}"
    );
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.top_layer(), Layer::Panes);
    assert_eq!(a.focus, Pane::Journal);
}

#[test]
fn handover_switches_summary_publishes_over_itself_and_closes() {
    let mut a = app();
    typed(&mut a, "H");
    assert_eq!(a.top_layer(), Layer::Handover);
    typed(&mut a, "quiet night");
    let view = a.journal.handover.as_ref().unwrap();
    assert_eq!(view.summary.lines().join(""), "quiet night");
    press(&mut a, KeyCode::Tab);
    assert!(!a.journal.handover.as_ref().unwrap().editing_summary);
    press(&mut a, KeyCode::Down);
    assert_eq!(a.journal.handover.as_ref().unwrap().scroll, 1);
    ctrl(&mut a, 'p');
    assert!(matches!(a.dialog, Some(Dialog::PublishHandover { .. })));
    assert_eq!(
        a.layers(),
        vec![Layer::Panes, Layer::Handover, Layer::Dialog],
        "the confirmation is over the handover it publishes"
    );
    assert_eq!(a.active_context(), Context::Confirm);
    typed(&mut a, "n");
    assert_eq!(a.top_layer(), Layer::Handover);
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.top_layer(), Layer::Panes);
}

#[test]
fn previous_handover_is_acknowledged_or_put_off() {
    let mut a = app();
    a.journal.previous = Some(PreviousHandover {
        shift: "20260513-1900-bo".into(),
        from: "bo".into(),
        markdown: "# Shift handover — bo\n".into(),
        acknowledged: false,
    });
    a.journal.show_previous = true;
    assert_eq!(a.top_layer(), Layer::Previous);
    press(&mut a, KeyCode::Char('j'));
    assert_eq!(a.journal.previous_scroll, 1);
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.top_layer(), Layer::Panes);
    a.journal.show_previous = true;
    let fx = typed(&mut a, "a");
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::AckHandover { from, .. } if from == "bo")),
        "{fx:?}"
    );
    assert_eq!(
        a.saving(),
        1,
        "the acknowledgement is a write the badge waits for"
    );
    assert_eq!(a.top_layer(), Layer::Panes);
}

#[test]
fn help_scrolls_and_any_other_key_closes_it() {
    let mut a = app();
    typed(&mut a, "?");
    assert_eq!(a.top_layer(), Layer::Help);
    assert_eq!(
        a.active_context(),
        Context::Incidents,
        "it describes the pane"
    );
    press(&mut a, KeyCode::Down);
    assert_eq!(a.help_scroll, 1);
    assert!(typed(&mut a, "q").is_empty(), "q closes the help, no quit");
    assert_eq!(a.top_layer(), Layer::Panes);
    assert!(!a.quit);
}

#[test]
fn a_prompt_types_its_keys_and_cancels_with_esc() {
    let mut a = app();
    typed(&mut a, "/");
    assert!(matches!(a.dialog, Some(Dialog::Filter(_))));
    assert_eq!(a.active_context(), Context::Prompt);
    typed(&mut a, "gateway q");
    assert_eq!(a.incidents.filter, "gateway q");
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.top_layer(), Layer::Panes);
    assert_eq!(a.incidents.filter, "", "esc clears what the filter typed");
}

#[test]
fn the_command_line_runs_on_accept() {
    let mut a = app();
    typed(&mut a, ":");
    typed(&mut a, "health");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.focus, Pane::Health);
    assert_eq!(a.top_layer(), Layer::Panes);
}

#[test]
fn f1_shows_the_editor_s_own_keys_where_question_marks_are_typed() {
    let mut a = app();
    typed(&mut a, "w?");
    assert_eq!(a.top_layer(), Layer::Editor, "? is typed into the note");
    press(&mut a, KeyCode::F(1));
    assert_eq!(a.top_layer(), Layer::Help);
    assert_eq!(a.active_context(), Context::Editor);
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.top_layer(), Layer::Editor);
    assert_eq!(a.journal.draft_text(), "?");
}
