//! The screen's edge: a title from outside full of terminal controls and
//! bidi overrides reaches the terminal as text, and no cell drawn carries
//! those characters.

mod common;

use common::screen::*;
use shiftdeck::domain::sanitize::is_unsafe;
use shiftdeck::theme::Theme;
use shiftdeck::ui::edge::SafeBackend;
use std::io::Write;

const HOSTILE: &str = "Disk \u{1b}]52;c;cm0gLXJmIH4=\u{7}full \u{202e}1-bd\u{2069} \u{9b}2J";

fn hostile_demo(w: u16, h: u16) -> shiftdeck::app::App {
    demo_app_with(Theme::default_theme(), w, h, |ws| {
        let at = (demo_now() - chrono::Duration::minutes(2)).to_rfc3339();
        let line = serde_json::json!({
            "id": "inc_20260514_0300_e0e0e0",
            "title": HOSTILE,
            "service": "db",
            "severity": "P1",
            "env": "prod",
            "started_at": at,
            "created_by": "bo",
        });
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(ws.join("incidents/incidents.jsonl"))
            .unwrap();
        f.write_all(format!("{line}\n").as_bytes()).unwrap();
    })
}

/// What reaches the terminal: the frame through the app's edge backend.
fn drawn(app: &shiftdeck::app::App, w: u16, h: u16) -> ratatui::buffer::Buffer {
    let backend = SafeBackend(ratatui::backend::TestBackend::new(w, h));
    let mut term = ratatui::Terminal::new(backend).unwrap();
    term.draw(|f| {
        shiftdeck::ui::render(app, f);
    })
    .unwrap();
    term.backend().0.buffer().clone()
}

#[test]
fn no_cell_carries_a_control_or_bidi_character_at_any_size() {
    for (w, h) in [(80, 24), (200, 50)] {
        let app = hostile_demo(w, h);
        let buf = drawn(&app, w, h);
        let screen = text(&buf);
        assert!(screen.contains("Disk ]52;c;"), "{w}x{h}:\n{screen}");
        for cell in buf.content.iter() {
            assert!(
                !cell.symbol().chars().any(is_unsafe),
                "{w}x{h}: cell {:?}",
                cell.symbol()
            );
        }
    }
}
