//! The real event loop, driven in process: keys pushed into its channel, a
//! TestBackend for its frames, tokio's paused clock for its pacing.

mod common;

use common::screen::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shiftdeck::app::{App, Effect, Msg};
use shiftdeck::theme::Theme;
use shiftdeck::tui::event_loop::{self, Effects, Until};
use tokio::sync::mpsc;

/// Keeps the effects and counts the frames.
#[derive(Default)]
struct Seen {
    effects: Vec<Effect>,
    frames: usize,
}

impl Effects for Seen {
    fn carry_out(&mut self, app: &mut App, effect: Effect) {
        if effect == Effect::Quit {
            app.quit = true;
        }
        self.effects.push(effect);
    }

    fn frame_drawn(&mut self) -> std::io::Result<()> {
        self.frames += 1;
        Ok(())
    }
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

struct Harness {
    app: App,
    term: Terminal<TestBackend>,
    tx: mpsc::UnboundedSender<Msg>,
    rx: mpsc::UnboundedReceiver<Msg>,
    seen: Seen,
}

impl Harness {
    fn new(w: u16, h: u16) -> Harness {
        let (tx, rx) = mpsc::unbounded_channel();
        Harness {
            app: demo_app(Theme::default_theme(), w, h),
            term: Terminal::new(TestBackend::new(w, h)).unwrap(),
            tx,
            rx,
            seen: Seen::default(),
        }
    }

    fn push(&self, msgs: impl IntoIterator<Item = Msg>) {
        for m in msgs {
            self.tx.send(m).unwrap();
        }
    }

    async fn until_idle(&mut self) {
        event_loop::run(
            &mut self.app,
            &mut self.term,
            &mut self.rx,
            &mut self.seen,
            Until::Idle,
        )
        .await
        .unwrap();
    }

    fn screen(&self) -> String {
        text(self.term.backend().buffer())
    }
}

#[tokio::test(start_paused = true)]
async fn keys_through_the_loop_declare_an_incident() {
    let mut h = Harness::new(120, 40);
    h.until_idle().await;
    assert!(h.screen().contains("2 Incidents"), "{}", h.screen());
    h.push([key('2'), key('n')]);
    h.push("Disk full on db-1".chars().map(key));
    h.push([code(KeyCode::Tab)]);
    h.push("mysql".chars().map(key));
    h.push([code(KeyCode::Tab), key('1')]);
    h.until_idle().await;
    let screen = h.screen();
    assert!(screen.contains("Disk full on db-1"), "{screen}");
    h.push([code(KeyCode::Enter)]);
    h.until_idle().await;
    // mysql has an incident open already: the form says so, and a second
    // enter declares anyway.
    let screen = h.screen();
    assert!(
        screen.contains("mysql has an incident open already"),
        "{screen}"
    );
    assert!(
        !h.seen
            .effects
            .iter()
            .any(|e| matches!(e, Effect::Declare { .. }))
    );
    h.push([code(KeyCode::Enter)]);
    h.until_idle().await;
    assert!(
        h.seen.effects.iter().any(|e| matches!(
            e,
            Effect::Declare { title, service, severity, .. }
                if title == "Disk full on db-1" && service == "mysql" && *severity == shiftdeck::domain::Severity::P1
        )),
        "{:?}",
        h.seen.effects
    );
}

#[tokio::test(start_paused = true)]
async fn queued_keys_are_drawn_once() {
    let mut h = Harness::new(120, 40);
    h.until_idle().await;
    let before = h.seen.frames;
    h.push((0..10).map(|_| key('j')));
    h.until_idle().await;
    assert_eq!(h.seen.frames - before, 1, "ten queued moves, one frame");
    // A tick that changes nothing visible draws nothing.
    let frames = h.seen.frames;
    h.push([Msg::Tick(demo_now())]);
    h.until_idle().await;
    assert_eq!(h.seen.frames, frames);
}

#[tokio::test(start_paused = true)]
async fn quit_ends_the_loop_with_the_draft_saved() {
    let mut h = Harness::new(80, 24);
    h.until_idle().await;
    h.push([key('w')]);
    h.push("half a thought".chars().map(key));
    h.push([code(KeyCode::Esc), key('q')]);
    event_loop::run(&mut h.app, &mut h.term, &mut h.rx, &mut h.seen, Until::Quit)
        .await
        .unwrap();
    assert!(h.app.quit);
    assert!(
        h.seen
            .effects
            .iter()
            .any(|e| matches!(e, Effect::SaveDraft { text } if text == "half a thought")),
        "{:?}",
        h.seen.effects
    );
}
