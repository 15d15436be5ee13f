//! The loop itself, generic over where messages come from, where frames go
//! and who carries out the effects, so tests drive the real loop in
//! process: keys pushed into a channel, a `TestBackend` for the frames, a
//! paused tokio clock for the frame pacing (helix's `event_loop_until_idle`
//! is the model).
//!
//! Messages are taken one at a time and then every one already queued,
//! and a frame is drawn once after them, only when something visible
//! changed: at most one per [`FRAME_INTERVAL`], changes that can wait (a
//! stream of probe answers) at most one per [`SOFT_FRAME_INTERVAL`].

use crate::app::{App, Effect, Msg};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// At most one frame per this interval; changes in between are coalesced.
pub const FRAME_INTERVAL: Duration = Duration::from_millis(16);
/// How long the first frame may wait for the incidents to be read.
pub const FIRST_FRAME_WAIT: Duration = Duration::from_millis(250);
/// Frames for changes that can wait (probe answers streaming in).
pub const SOFT_FRAME_INTERVAL: Duration = Duration::from_millis(250);

/// Where messages come from: the app's channel in the runtime, a channel a
/// test pushes keys into.
pub trait Inbox {
    /// The next message; `None` when every sender is gone.
    fn recv(&mut self) -> impl std::future::Future<Output = Option<Msg>> + Send;
    /// A message already queued, without waiting.
    fn try_recv(&mut self) -> Option<Msg>;
}

impl Inbox for mpsc::UnboundedReceiver<Msg> {
    fn recv(&mut self) -> impl std::future::Future<Output = Option<Msg>> + Send {
        mpsc::UnboundedReceiver::recv(self)
    }

    fn try_recv(&mut self) -> Option<Msg> {
        mpsc::UnboundedReceiver::try_recv(self).ok()
    }
}

/// Who carries out what `update` asks for, and what happens around a frame.
pub trait Effects {
    fn carry_out(&mut self, app: &mut App, effect: Effect);
    /// After each frame reached the backend (the runtime flushes it to the
    /// terminal in one write; the first one also lets the store read on).
    fn frame_drawn(&mut self) -> std::io::Result<()> {
        Ok(())
    }
    /// Bytes that go out with the frame, after it (hyperlinks over what it
    /// drew).
    fn overlay(&mut self, _bytes: &str) {}
}

/// When the loop returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// The app quits or every sender is gone: the runtime.
    Quit,
    /// Nothing is queued and nothing is left to draw (or the app quits):
    /// a test's step.
    Idle,
}

fn handle(app: &mut App, msg: Msg, effects: &mut impl Effects) {
    for effect in app.update(msg) {
        effects.carry_out(app, effect);
    }
}

fn draw<B: Backend>(
    term: &mut Terminal<B>,
    app: &mut App,
    effects: &mut impl Effects,
) -> color_eyre::Result<()> {
    if app.redraw_whole {
        // The terminal was handed away (ctrl-z): nothing on it is ours.
        app.redraw_whole = false;
        // `resize` to the same size clears and redraws whole without asking
        // the terminal where its cursor is (`clear` would, over SSH too).
        let size = term
            .size()
            .map_err(|e| color_eyre::eyre::eyre!("reading the screen size: {e}"))?;
        term.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
            .map_err(|e| color_eyre::eyre::eyre!("clearing the screen: {e}"))?;
    }
    let mut measured: crate::app::scrolling::Measured = Default::default();
    term.draw(|f| measured = crate::ui::render(app, f))
        .map_err(|e| color_eyre::eyre::eyre!("drawing a frame: {e}"))?;
    for (x, y, text, url) in &measured.links {
        effects.overlay(&crate::tui::osc::hyperlink(*x, *y, text, url));
    }
    app.dirty = false;
    app.soft_dirty = false;
    // A search waiting for this frame's matches may scroll (and ask for
    // one more frame).
    app.set_measured(measured);
    effects.frame_drawn()?;
    Ok(())
}

/// Run the loop until `until`. The first frame waits (up to
/// [`FIRST_FRAME_WAIT`]) for the incidents, so the operator's first look is
/// the real list, not a "loading" screen one frame early.
pub async fn run<B: Backend>(
    app: &mut App,
    term: &mut Terminal<B>,
    inbox: &mut impl Inbox,
    effects: &mut impl Effects,
    until: Until,
) -> color_eyre::Result<()> {
    let mut last_frame = Instant::now() - FRAME_INTERVAL;
    let first_deadline = Instant::now() + FIRST_FRAME_WAIT;
    loop {
        if app.dirty && !app.loaded && Instant::now() < first_deadline {
            match tokio::time::timeout_at(first_deadline, inbox.recv()).await {
                Ok(Some(msg)) => handle(app, msg, effects),
                Ok(None) => break,
                Err(_) => {}
            }
            continue;
        }
        let interval = if app.dirty {
            Some(FRAME_INTERVAL)
        } else if app.soft_dirty {
            Some(SOFT_FRAME_INTERVAL)
        } else {
            None
        };
        if let Some(interval) = interval {
            let since = last_frame.elapsed();
            if since >= interval {
                draw(term, app, effects)?;
                last_frame = Instant::now();
            } else {
                // Wait out the rest of the frame interval, still taking messages.
                match tokio::time::timeout(interval - since, inbox.recv()).await {
                    Ok(Some(msg)) => handle(app, msg, effects),
                    Ok(None) => break,
                    Err(_) => {}
                }
                continue;
            }
        }
        if app.quit {
            break;
        }
        let msg = match until {
            Until::Quit => inbox.recv().await,
            Until::Idle => inbox.try_recv(),
        };
        let Some(msg) = msg else { break };
        handle(app, msg, effects);
        // Drain everything already queued, then render once.
        while let Some(msg) = inbox.try_recv() {
            handle(app, msg, effects);
        }
        if app.quit {
            break;
        }
    }
    Ok(())
}
