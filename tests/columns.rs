//! Columns and sorting: `>` sorts a list by its next column with a mark in
//! the header, `<` reverses; ids are short but never alike on screen;
//! STATUS, RESPOND and a long age are never cut.

mod common;

use common::screen::*;
use crossterm::event::KeyCode;
use shiftdeck::app::Pane;
use shiftdeck::theme::Theme;

fn services(app: &shiftdeck::app::App) -> Vec<String> {
    app.incidents
        .visible
        .iter()
        .map(|&i| app.book.by_index(i).service.clone())
        .collect()
}

#[test]
fn gt_sorts_by_the_next_column_with_a_mark_and_lt_reverses() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = demo_app(Theme::default_theme(), w, h);
        app.update(key(KeyCode::Char('2')));
        let own = app.incidents.visible.clone();
        for _ in 0..4 {
            app.update(key(KeyCode::Char('>')));
        }
        // SEV, ID, TITLE, SERVICE: by service.
        let by_service = services(&app);
        let mut sorted = by_service.clone();
        sorted.sort();
        assert_eq!(by_service, sorted);
        let screen = text(&draw_measured(&mut app, w, h));
        assert!(screen.contains("SERVICE▲"), "{w}x{h}: {screen}");
        assert!(screen.contains("sorted by SERVICE"), "{screen}");
        app.update(key(KeyCode::Char('<')));
        let mut reversed = sorted.clone();
        reversed.reverse();
        assert_eq!(services(&app), reversed);
        let screen = text(&draw_measured(&mut app, w, h));
        assert!(screen.contains("SERVICE▼"), "{screen}");
        // After the last column, the pane's own order again.
        for _ in 0..4 {
            app.update(key(KeyCode::Char('>')));
        }
        assert_eq!(app.incidents.visible, own);
        assert!(app.incidents.sort.is_none());
        // The sort stays with the pane across a visit elsewhere.
        app.update(key(KeyCode::Char('>')));
        app.update(key(KeyCode::Char('4')));
        app.update(key(KeyCode::Char('2')));
        assert!(app.incidents.sort.is_some());
    }
}

#[test]
fn health_and_approvals_sort_too_and_the_journal_says_why_not() {
    let mut app = demo_app(Theme::default_theme(), 120, 40);
    app.update(key(KeyCode::Char('4')));
    app.update(key(KeyCode::Char('>')));
    app.update(key(KeyCode::Char('>')));
    let names: Vec<String> = app
        .health
        .visible()
        .iter()
        .map(|&i| app.health.entries[i].name.clone())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let screen = text(&draw_measured(&mut app, 120, 40));
    assert!(screen.contains("NAME▲"), "{screen}");
    app.update(key(KeyCode::Char('3')));
    app.update(key(KeyCode::Char('>')));
    assert!(app.approvals.sort.is_some());
    app.update(key(KeyCode::Char('5')));
    app.update(key(KeyCode::Char('>')));
    let screen = text(&draw_measured(&mut app, 120, 40));
    assert!(
        screen.contains("the Journal is in the order things happened"),
        "{screen}"
    );
    assert_eq!(app.focus, Pane::Journal);
}

#[test]
fn respond_and_status_are_whole_and_ids_unique_at_80_columns() {
    let mut app = demo_app(Theme::default_theme(), 80, 24);
    app.update(key(KeyCode::Char('2')));
    let screen = text(&draw_measured(&mut app, 80, 24));
    assert!(screen.contains("STATUS"), "{screen}");
    assert!(screen.contains("BREACHED +40m"), "{screen}");
    // Every id on screen reads differently.
    let ids: Vec<&str> = screen
        .lines()
        .filter(|l| {
            l.contains(" P1 ") || l.contains(" P2 ") || l.contains(" P3 ") || l.contains(" P4 ")
        })
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert!(ids.len() > 5 && unique.len() == ids.len(), "{ids:?}");
}

#[test]
fn an_age_of_a_hundred_days_keeps_its_unit() {
    use shiftdeck::domain::format::coarse_duration;
    assert_eq!(
        coarse_duration(chrono::Duration::days(100) + chrono::Duration::hours(3)),
        "100d"
    );
    assert_eq!(
        coarse_duration(chrono::Duration::days(12) + chrono::Duration::hours(3)),
        "12d 03h"
    );
}
