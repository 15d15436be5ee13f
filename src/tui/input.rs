//! The keyboard, the mouse and resizes, read in a task of their own. The
//! reading can be paused while another program has the terminal (`$EDITOR`):
//! crossterm's reader is dropped, so not one key meant for the editor is
//! taken from it.

use crate::app::Msg;
use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};

/// Pauses and resumes the reading.
#[derive(Clone)]
pub struct InputControl {
    paused: Arc<watch::Sender<bool>>,
    /// The reader is dropped (set by the task, once paused).
    stopped: Arc<AtomicBool>,
}

impl InputControl {
    /// Stop reading, and wait (a little) until the reader is gone.
    pub fn pause(&self) {
        let _ = self.paused.send(true);
        let deadline = Instant::now() + Duration::from_millis(500);
        while !self.stopped.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn resume(&self) {
        let _ = self.paused.send(false);
    }
}

pub fn spawn(tx: mpsc::UnboundedSender<Msg>) -> InputControl {
    let (paused_tx, mut paused) = watch::channel(false);
    let stopped = Arc::new(AtomicBool::new(false));
    let control = InputControl {
        paused: Arc::new(paused_tx),
        stopped: stopped.clone(),
    };
    tokio::spawn(async move {
        let mut errors = 0u32;
        loop {
            if *paused.borrow_and_update() {
                stopped.store(true, Ordering::SeqCst);
                if paused.changed().await.is_err() {
                    return;
                }
                continue;
            }
            stopped.store(false, Ordering::SeqCst);
            let mut events = EventStream::new();
            loop {
                let next = tokio::select! {
                    next = events.next() => next,
                    changed = paused.changed() => {
                        if changed.is_err() {
                            return;
                        }
                        if *paused.borrow() {
                            break;
                        }
                        continue;
                    }
                };
                let msg = match next {
                    Some(Ok(Event::Key(k))) => Msg::Key(k),
                    Some(Ok(Event::Paste(p))) => Msg::Paste(p),
                    Some(Ok(Event::Resize(w, h))) => Msg::Resize(w, h),
                    Some(Ok(Event::Mouse(m))) => match m.kind {
                        // Moves and drags would wake the loop for nothing.
                        crossterm::event::MouseEventKind::Moved
                        | crossterm::event::MouseEventKind::Drag(_) => continue,
                        _ => Msg::Mouse(m),
                    },
                    Some(Ok(_)) => continue,
                    Some(Err(_)) => {
                        // A terminal that errors on read is gone; crossterm would retry forever.
                        errors += 1;
                        if errors >= 3 {
                            let _ = tx.send(Msg::Hangup);
                            return;
                        }
                        continue;
                    }
                    None => {
                        let _ = tx.send(Msg::Hangup);
                        return;
                    }
                };
                errors = 0;
                if tx.send(msg).is_err() {
                    return;
                }
            }
            // Paused: the reader goes before the other program reads.
            drop(events);
        }
    });
    control
}
