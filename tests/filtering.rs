//! `/` in every pane: one query language (words, `field:value`, `-not`),
//! the match count in the pane's title, saved views, and `/` with `n`/`N`
//! inside a text read whole. Drawn on ratatui's TestBackend the way the
//! event loop draws.

mod common;

use common::screen::*;
use crossterm::event::KeyCode;
use ratatui::style::Modifier;
use shiftdeck::app::scrolling::Scroll;
use shiftdeck::app::{App, Pane};
use shiftdeck::theme::Theme;

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}

fn filter(app: &mut App, q: &str) {
    app.update(key(KeyCode::Char('/')));
    typed(app, q);
    app.update(key(KeyCode::Enter));
}

fn incident_rows(app: &App) -> Vec<&shiftdeck::domain::Incident> {
    app.incidents
        .visible
        .iter()
        .map(|&i| app.book.by_index(i))
        .collect()
}

#[test]
fn field_terms_words_and_negation_narrow_the_incidents() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        app.update(key(KeyCode::Char('2')));
        let all = app.incidents.visible.len();
        filter(&mut app, "sev:P1");
        let p1 = incident_rows(&app);
        assert!(!p1.is_empty() && p1.len() < all);
        assert!(
            p1.iter()
                .all(|i| i.severity == shiftdeck::domain::Severity::P1)
        );
        let n = p1.len();
        let screen = text(&draw_measured(&mut app, w, h));
        let title = screen
            .lines()
            .find(|l| l.contains("2 Incidents /"))
            .unwrap();
        assert!(
            title.contains(&format!("/sev:P1 ({n} match")),
            "{w}x{h}: the title says the filter and its count: {title}"
        );
        // Negation keeps the rest.
        app.update(key(KeyCode::Esc));
        filter(&mut app, "-sev:P1");
        assert_eq!(app.incidents.visible.len(), all - n);
        // A word matches any column shown: a service name.
        app.update(key(KeyCode::Esc));
        let svc = app.book.by_index(app.incidents.visible[0]).service.clone();
        filter(&mut app, &svc.to_uppercase());
        assert!(incident_rows(&app).iter().all(|i| i.service.contains(&svc)
            || i.title.to_lowercase().contains(&svc)
            || i.id.contains(&svc)));
    }
}

#[test]
fn an_unknown_field_says_which_fields_the_pane_has_and_filters_nothing() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    app.update(key(KeyCode::Char('2')));
    let all = app.incidents.visible.len();
    filter(&mut app, "colour:red");
    assert_eq!(app.incidents.visible.len(), all);
    let screen = text(&draw_measured(&mut app, 120, 30));
    assert!(
        screen.contains("no field 'colour' here; fields: id, title, service, severity"),
        "{screen}"
    );
}

#[test]
fn checklists_health_and_journal_filter_too() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        open_demo_shift(&mut app, None);
        // Journal: notes only, by the pane's own fields.
        app.update(key(KeyCode::Char('5')));
        filter(&mut app, "kind:note");
        assert_eq!(app.journal.len(), 2, "two of the three entries are notes");
        app.update(key(KeyCode::Esc));
        filter(&mut app, "oom");
        let screen = text(&draw_measured(&mut app, w, h));
        assert!(screen.contains("OOM loop"), "{screen}");
        assert!(!screen.contains("manual backup"), "{screen}");
        assert!(screen.contains("/oom (1 match)"), "{screen}");
        app.update(key(KeyCode::Esc));
        assert_eq!(app.journal.len(), 3, "esc clears the filter");

        // Health: by name.
        app.update(key(KeyCode::Char('4')));
        let name = app.health.entries[1].name.clone();
        filter(&mut app, &format!("name:{name}"));
        assert_eq!(app.health.selected_name(), Some(name.as_str()));
        let screen = text(&draw_measured(&mut app, w, h));
        assert!(screen.contains("(1 match)"), "{screen}");
        app.update(key(KeyCode::Esc));
        filter(&mut app, "nothing-is-called-this");
        let screen = text(&draw_measured(&mut app, w, h));
        assert!(screen.contains("no integration matches"), "{screen}");

        // Checklists: open steps under their lists; letters go to the
        // filter, not the cursor.
        app.update(key(KeyCode::Char('1')));
        filter(&mut app, "status:open");
        let rows = &app.checklists.rows;
        assert!(!rows.is_empty());
        for r in rows {
            if let shiftdeck::app::ChecklistRow::Step(l, s) = *r {
                let list = &app.checklists.lists[l];
                let st = app.checklists.progress.state(&list.id, &list.steps[s].id);
                assert_eq!(*st, shiftdeck::domain::checklist::StepState::Open);
            }
        }
    }
}

#[test]
fn a_saved_view_applies_from_its_key_and_from_the_command_line() {
    let mut app = demo_app(Theme::default_theme(), 120, 30);
    app.update(key(KeyCode::Char('2')));
    app.update(key(KeyCode::Char('B')));
    assert_eq!(app.incidents.filter, "breached");
    assert!(!app.incidents.visible.is_empty());
    let screen = text(&draw_measured(&mut app, 120, 30));
    assert!(screen.contains("view breached: /breached"), "{screen}");
    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "view todo");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.focus, Pane::Checklists);
    assert_eq!(app.checklists.filter, "status:open");
    app.update(key(KeyCode::Char(':')));
    typed(&mut app, "view");
    app.update(key(KeyCode::Enter));
    let screen = text(&draw_measured(&mut app, 200, 30));
    assert!(
        screen.contains("views: breached (B), mine (M), p1, todo (O)"),
        "{screen}"
    );
}

#[test]
fn slash_in_a_text_read_whole_marks_matches_and_n_goes_to_each() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        open_demo_shift(&mut app, Some(long_handover(120)));
        draw_measured(&mut app, w, h);
        assert!(app.journal.show_previous);
        app.update(key(KeyCode::Char('/')));
        typed(&mut app, "line 7");
        let buf = draw_measured(&mut app, w, h);
        app.update(key(KeyCode::Enter));
        let buf2 = draw_measured(&mut app, w, h);
        // line 7, 70..79: eleven matches, the first scrolled to.
        let screen = text(&buf2);
        assert!(screen.contains("match 1 of 11"), "{screen}");
        let at = app.journal.previous_scroll;
        let (x, y) = find(&buf2, "line 7 ").expect("the match is on screen");
        assert!(
            buf2[(x, y)].modifier.contains(Modifier::REVERSED),
            "{w}x{h}: a match is marked"
        );
        drop(buf);
        app.update(key(KeyCode::Char('n')));
        let screen = text(&draw_measured(&mut app, w, h));
        assert!(screen.contains("match 2 of 11"), "{screen}");
        assert!(
            app.journal.previous_scroll > at,
            "n scrolls down to the next"
        );
        app.update(key(KeyCode::Char('N')));
        app.update(key(KeyCode::Char('N')));
        let screen = text(&draw_measured(&mut app, w, h));
        assert!(
            screen.contains("match 11 of 11 (from the bottom)"),
            "{w}x{h}: N before the first goes round: {screen}"
        );
        assert!(app.measured.matches.contains_key(&Scroll::Previous));
    }
}

#[test]
fn n_in_an_incident_detail_searches_instead_of_declaring() {
    let (w, h) = (80, 24);
    let mut app = demo_app(Theme::default_theme(), w, h);
    app.update(key(KeyCode::Char('2')));
    app.update(key(KeyCode::Enter));
    draw_measured(&mut app, w, h);
    app.update(key(KeyCode::Char('n')));
    assert!(app.dialog.is_none(), "no declare form over a detail");
    let screen = text(&draw_measured(&mut app, w, h));
    assert!(screen.contains("/ searches the text"), "{screen}");
    let id = app.incidents.detail.clone().unwrap();
    app.update(key(KeyCode::Char('/')));
    typed(&mut app, &id[..8]);
    app.update(key(KeyCode::Enter));
    let screen = text(&draw_measured(&mut app, w, h));
    assert!(screen.contains("match 1 of"), "{screen}");
}
