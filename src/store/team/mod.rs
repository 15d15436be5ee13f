//! The team store: one PostgreSQL database a team's hosts share
//! (DESIGN.md; seed 004 §1, §4, §6).
//!
//! Each host keeps its workspace as its own copy of the team's records, so
//! no key ever waits on the network and a dead server costs nothing but
//! the sharing. A team thread per process copies the lines this host
//! writes up to the database and everyone else's down into the files
//! (woken by `LISTEN`/`NOTIFY`), and checks the changes where the first one
//! wins (an approval decision, an incident change) against the database
//! under a lock in one transaction. The stores ask it through
//! [`active`]: the use cases above them never know which store is in force.
//!
//! - `jsonl`: no team thread; the files are everything.
//! - `postgres`: nothing is written while the database cannot be reached.
//! - `auto`: while it cannot be reached the files take every write, a new
//!   attempt is made every `retry_secs` (and on `:reconnect`), and what was
//!   written meanwhile is copied up once it is back.

pub mod admin;
mod claim;
mod copy;
pub mod files;
mod link;
pub mod schema;
pub mod settings;
mod worker;

pub use claim::Claimed;
pub use settings::{Backend, StoreConfig};

use crate::config::Config;
use crate::domain::approval::{ApprovalRecord, Decision, DecisionContext, Refusal};
use crate::domain::{IncidentEvent, IncidentRefusal};
use chrono::{DateTime, Utc};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;
use tokio::sync::mpsc;

/// Where the link to the team store stands.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkState {
    Connecting,
    Up,
    Down { since: DateTime<Utc>, why: String },
}

/// What the status bar and `db status` show.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub backend: Backend,
    pub link: LinkState,
    /// `PostgreSQL 15.18`, once connected.
    pub server: Option<String>,
    /// Local lines not yet in the team store.
    pub waiting: usize,
}

impl Status {
    /// Nothing can be written: `postgres` and the store away.
    pub fn alarm(&self) -> bool {
        self.backend == Backend::Postgres && matches!(self.link, LinkState::Down { .. })
    }

    /// The status bar's words, or `None` while all is well.
    pub fn badge(&self) -> Option<String> {
        match (&self.link, self.backend) {
            (LinkState::Down { since, .. }, Backend::Auto) => Some(format!(
                "LOCAL — team store unreachable since {}",
                since.format("%H:%M")
            )),
            (LinkState::Down { since, .. }, _) => Some(format!(
                "TEAM STORE DOWN since {} — nothing is written",
                since.format("%H:%M")
            )),
            (LinkState::Connecting, _) => Some("team store: connecting…".into()),
            (LinkState::Up, _) => None,
        }
    }
}

/// What the team thread tells its process.
#[derive(Debug, Clone)]
pub enum Event {
    Status(Status),
    /// Lines or records from other hosts are in the files now.
    Pulled,
    /// Something the operator must know (a decision refused on copy).
    Notice(String),
}

type Reply<T> = std::sync::mpsc::SyncSender<T>;

pub(super) enum Req {
    Nudge,
    Reconnect,
    Flush(Reply<Result<(), String>>),
    Change {
        event: IncidentEvent,
        line: String,
        reply: Reply<Result<Claimed<(), IncidentRefusal>, String>>,
    },
    Decide {
        id: String,
        decision: Decision,
        by: String,
        reason: String,
        ctx: DecisionContext,
        now: DateTime<Utc>,
        reply: Reply<Result<Claimed<ApprovalRecord, Refusal>, String>>,
    },
    Sender {
        name: String,
        reply: Reply<Option<bool>>,
    },
    Unsender {
        name: String,
    },
    Stop,
}

/// The part of the team thread every store can reach.
pub struct Shared {
    root: PathBuf,
    backend: Backend,
    timeout: Duration,
    tx: mpsc::UnboundedSender<Req>,
    status: Mutex<Status>,
    changed: Condvar,
    on_event: Mutex<Option<OnEvent>>,
}

/// The team thread of one workspace in this process; stopped when dropped.
pub struct Team {
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
}

static REGISTRY: Mutex<Vec<(PathBuf, Weak<Shared>)>> = Mutex::new(Vec::new());

fn key(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

/// The team store behind a workspace in this process, if one is in force.
pub fn active(root: &Path) -> Option<Arc<Shared>> {
    let reg = REGISTRY.lock().ok()?;
    if reg.is_empty() {
        return None;
    }
    let k = key(root);
    reg.iter()
        .find(|(p, _)| *p == k)
        .and_then(|(_, w)| w.upgrade())
}

/// The team thread's hooks into its process.
pub type OnEvent = Box<dyn Fn(Event) + Send + 'static>;

impl Team {
    /// Start the team thread for a workspace with the backend in force.
    pub fn start(root: &Path, config: &Config, backend: Backend, on_event: OnEvent) -> Team {
        let (tx, rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            root: root.to_path_buf(),
            backend,
            timeout: Duration::from_secs(config.store.timeout_secs.max(1)),
            tx,
            status: Mutex::new(Status {
                backend,
                link: LinkState::Connecting,
                server: None,
                waiting: 0,
            }),
            changed: Condvar::new(),
            on_event: Mutex::new(Some(on_event)),
        });
        if let Ok(mut reg) = REGISTRY.lock() {
            reg.retain(|(_, w)| w.strong_count() > 0);
            reg.push((key(root), Arc::downgrade(&shared)));
        }
        let w = worker::Worker::new(root, config, Arc::clone(&shared));
        let thread = std::thread::Builder::new()
            .name("team".into())
            .spawn(move || w.run(rx))
            .expect("spawn the team thread");
        Team {
            shared,
            thread: Some(thread),
        }
    }

    pub fn status(&self) -> Status {
        self.shared.status()
    }

    /// Wait (at most `limit`) for the first connection attempt to end.
    pub fn settled(&self, limit: Duration) -> Status {
        self.shared.settled(limit)
    }

    /// Copy everything up and down now; waits at most `limit`.
    pub fn flush(&self, limit: Duration) -> Result<(), String> {
        let (reply, rx) = std::sync::mpsc::sync_channel(1);
        let _ = self.shared.tx.send(Req::Flush(reply));
        rx.recv_timeout(limit)
            .unwrap_or_else(|_| Err("the team store did not answer in time".into()))
    }

    /// Try the team store again now (`:reconnect`).
    pub fn reconnect(&self) {
        let _ = self.shared.tx.send(Req::Reconnect);
    }

    /// Where the team thread's news goes from now on (the screen's channel).
    pub fn hook(&self, on_event: OnEvent) {
        if let Ok(mut h) = self.shared.on_event.lock() {
            *h = Some(on_event);
        }
    }

    pub fn shared(&self) -> Arc<Shared> {
        Arc::clone(&self.shared)
    }
}

impl Drop for Team {
    fn drop(&mut self) {
        let _ = self.shared.tx.send(Req::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Ok(mut reg) = REGISTRY.lock() {
            let me = Arc::downgrade(&self.shared);
            reg.retain(|(_, w)| !w.ptr_eq(&me) && w.strong_count() > 0);
        }
    }
}

/// A sender's right to a source across the team.
pub enum SenderRight {
    /// Held; released (after copying up what was sent) when dropped.
    Held(TeamSender),
    /// Another host is sending this source's actions.
    Busy,
    /// The team store is away: the local lock alone decides.
    Local,
}

pub struct TeamSender {
    shared: Arc<Shared>,
    name: String,
}

impl Drop for TeamSender {
    fn drop(&mut self) {
        let _ = self.shared.tx.send(Req::Unsender {
            name: std::mem::take(&mut self.name),
        });
    }
}

impl Shared {
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn status(&self) -> Status {
        self.status.lock().expect("status").clone()
    }

    pub(super) fn set_status(&self, f: impl FnOnce(&mut Status)) -> Status {
        let mut s = self.status.lock().expect("status");
        f(&mut s);
        self.changed.notify_all();
        s.clone()
    }

    /// Try the team store again now (`:reconnect`).
    pub fn reconnect(&self) {
        let _ = self.tx.send(Req::Reconnect);
    }

    /// Wait (at most `limit`) for the first connection attempt, and the
    /// first copy down with it, to end.
    pub fn settled(&self, limit: Duration) -> Status {
        let guard = self.status.lock().expect("status");
        let (s, _) = self
            .changed
            .wait_timeout_while(guard, limit, |s| s.link == LinkState::Connecting)
            .expect("status");
        s.clone()
    }

    pub(super) fn emit(&self, e: Event) {
        if let Ok(h) = self.on_event.lock()
            && let Some(f) = h.as_ref()
        {
            f(e);
        }
    }

    pub fn is_up(&self) -> bool {
        self.status().link == LinkState::Up
    }

    /// May this host write now? Under `postgres` nothing is written while
    /// the team store is away.
    pub fn gate(&self) -> io::Result<()> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        match self.status().link {
            LinkState::Up => Ok(()),
            LinkState::Connecting => Err(io::Error::other(
                "the team store is not connected yet (backend = postgres): nothing was written",
            )),
            LinkState::Down { why, .. } => Err(io::Error::other(format!(
                "the team store is unreachable (backend = postgres): nothing was written — {why}"
            ))),
        }
    }

    /// A file changed here: copy it up soon.
    pub fn touched(&self) {
        let _ = self.tx.send(Req::Nudge);
    }

    /// Ask the team thread and wait for its answer, a little longer than
    /// it gives any statement (so an answer never comes after the asker
    /// has given up on it).
    fn ask<T>(&self, req: impl FnOnce(Reply<T>) -> Req) -> Option<T> {
        self.ask_within(req, self.timeout * 2 + Duration::from_secs(2))
    }

    fn ask_within<T>(&self, req: impl FnOnce(Reply<T>) -> Req, limit: Duration) -> Option<T> {
        let (reply, rx) = std::sync::mpsc::sync_channel(1);
        self.tx.send(req(reply)).ok()?;
        rx.recv_timeout(limit).ok()
    }

    /// A change to an incident, checked and written in the team store
    /// (then in this copy). `Unknown` when the team store cannot decide
    /// (away under `auto`, or the incident not in it yet): the local rule does.
    pub fn change(&self, event: &IncidentEvent) -> io::Result<Claimed<(), IncidentRefusal>> {
        if !self.is_up() {
            self.gate()?;
            return Ok(Claimed::Unknown);
        }
        let line = serde_json::to_string(event).map_err(io::Error::other)?;
        let answer = self.ask(|reply| Req::Change {
            event: event.clone(),
            line,
            reply,
        });
        self.settle(answer)
    }

    /// An approval decision, checked and written in the team store first.
    pub fn decide(
        &self,
        id: &str,
        decision: Decision,
        by: &str,
        reason: &str,
        ctx: &DecisionContext,
        now: DateTime<Utc>,
    ) -> io::Result<Claimed<ApprovalRecord, Refusal>> {
        if !self.is_up() {
            self.gate()?;
            return Ok(Claimed::Unknown);
        }
        let answer = self.ask(|reply| Req::Decide {
            id: id.to_string(),
            decision,
            by: by.to_string(),
            reason: reason.to_string(),
            ctx: ctx.clone(),
            now,
            reply,
        });
        self.settle(answer)
    }

    fn settle<T, R>(
        &self,
        answer: Option<Result<Claimed<T, R>, String>>,
    ) -> io::Result<Claimed<T, R>> {
        match answer {
            Some(Ok(c)) => Ok(c),
            // The store went away while asked: `auto` goes on locally.
            Some(Err(why)) if self.backend == Backend::Auto => {
                let _ = why;
                Ok(Claimed::Unknown)
            }
            Some(Err(why)) => Err(io::Error::other(format!(
                "the team store is unreachable (backend = postgres): nothing was written — {why}"
            ))),
            None if self.backend == Backend::Auto => Ok(Claimed::Unknown),
            None => Err(io::Error::other(
                "the team store did not answer in time (backend = postgres): nothing was written",
            )),
        }
    }

    /// The right to send one queue's actions (a source's, or the messages'),
    /// held on the team store so one host at a time sends them.
    pub fn sender(self: &Arc<Self>, name: &str) -> SenderRight {
        if !self.is_up() {
            return SenderRight::Local;
        }
        // Asked from the pollers' tasks: never long. A late answer is
        // undone by the release queued behind it.
        let answer = self.ask_within(
            |reply| Req::Sender {
                name: name.to_string(),
                reply,
            },
            Duration::from_millis(300),
        );
        if answer.is_none() {
            let _ = self.tx.send(Req::Unsender {
                name: name.to_string(),
            });
        }
        match answer {
            Some(Some(true)) => SenderRight::Held(TeamSender {
                shared: Arc::clone(self),
                name: name.to_string(),
            }),
            Some(Some(false)) => SenderRight::Busy,
            _ => SenderRight::Local,
        }
    }
}

/// Start the team thread a process needs, if its backend is not `jsonl`.
/// An unknown `SHIFTDECK_BACKEND` is an error naming it.
pub fn start_for(root: &Path, config: &Config, on_event: OnEvent) -> Result<Option<Team>, String> {
    let backend = config.store.backend_now()?;
    if !backend.team() {
        return Ok(None);
    }
    Ok(Some(Team::start(root, config, backend, on_event)))
}

/// Before a store writes into a workspace: the team store in force, if
/// any, once it allows the write (under `postgres`, only while reachable).
pub fn before_write(root: &Path) -> io::Result<Option<Arc<Shared>>> {
    match active(root) {
        None => Ok(None),
        Some(t) => {
            t.gate()?;
            Ok(Some(t))
        }
    }
}

/// After a store wrote: copy it up soon.
pub fn after_write(team: Option<Arc<Shared>>) {
    if let Some(t) = team {
        t.touched();
    }
}
