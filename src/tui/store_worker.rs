//! The store thread: owns the incident files, writes what `update` asks
//! for, and watches for lines appended by anyone (this app, the CLI, another
//! operator), sending them to the app as they appear.

use crate::app::Msg;
use crate::domain::{IncidentBook, IncidentChange, IncidentEvent, Severity};
use crate::store::{CommitError, IncidentStore};
use std::path::PathBuf;
use std::sync::mpsc as std_mpsc;
use std::time::Duration;
use tokio::sync::mpsc;

/// How often the files are checked for changes made elsewhere (one `stat`
/// each); well inside the promise that others' changes show within 2 s.
const WATCH_INTERVAL: Duration = Duration::from_millis(500);

enum Command {
    Declare {
        title: String,
        service: String,
        severity: Severity,
    },
    Commit {
        incident_id: String,
        change: IncidentChange,
    },
    Stop,
}

pub struct StoreHandle {
    tx: std_mpsc::Sender<Command>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StoreHandle {
    pub fn declare(&self, title: String, service: String, severity: Severity) {
        let _ = self.tx.send(Command::Declare {
            title,
            service,
            severity,
        });
    }

    pub fn commit(&self, incident_id: String, change: IncidentChange) {
        let _ = self.tx.send(Command::Commit {
            incident_id,
            change,
        });
    }

    /// Finish the writes already asked for, then stop.
    pub fn shutdown(mut self) {
        let _ = self.tx.send(Command::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn spawn(workspace: PathBuf, operator: String, app: mpsc::UnboundedSender<Msg>) -> StoreHandle {
    let (tx, rx) = std_mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("store".into())
        .spawn(move || worker(workspace, operator, rx, app))
        .expect("spawn the store thread");
    StoreHandle {
        tx,
        thread: Some(thread),
    }
}

fn worker(
    workspace: PathBuf,
    operator: String,
    rx: std_mpsc::Receiver<Command>,
    app: mpsc::UnboundedSender<Msg>,
) {
    let mut store = IncidentStore::new(&workspace);
    let mut book = IncidentBook::state_only();
    let read = |store: &mut IncidentStore, book: &mut IncidentBook, force: bool| {
        if !force && !store.has_news() {
            return;
        }
        match store.read_new() {
            Ok(delta) => {
                if force || !delta.is_empty() {
                    delta.apply_to(book);
                    let _ = app.send(Msg::Incidents(delta));
                }
            }
            Err(e) => {
                let _ = app.send(Msg::Saved(Err(format!("cannot read incidents: {e}"))));
            }
        }
    };
    read(&mut store, &mut book, true);
    loop {
        let cmd = match rx.recv_timeout(WATCH_INTERVAL) {
            Ok(c) => c,
            Err(std_mpsc::RecvTimeoutError::Timeout) => {
                read(&mut store, &mut book, false);
                continue;
            }
            Err(std_mpsc::RecvTimeoutError::Disconnected) => return,
        };
        let mut declared = None;
        let outcome = match cmd {
            Command::Stop => return,
            Command::Declare {
                title,
                service,
                severity,
            } => match store.declare_new(&operator, &title, &service, severity, "prod") {
                Ok(r) => {
                    declared = Some(r.id.clone());
                    Ok(format!("declared {} {} — {}", r.severity, r.id, r.title))
                }
                Err(e) => Err(format!("NOT SAVED: declaring the incident failed: {e}")),
            },
            Command::Commit {
                incident_id,
                change,
            } => {
                let label = change.label();
                let event = IncidentEvent {
                    incident_id: incident_id.clone(),
                    at: chrono::Utc::now(),
                    by: operator.clone(),
                    change,
                };
                let (delta, res) = store.commit(&mut book, &event);
                if !delta.is_empty() {
                    let _ = app.send(Msg::Incidents(delta));
                }
                match res {
                    Ok(()) => Ok(format!("saved: {label} {incident_id}")),
                    Err(CommitError::Refused(r)) => Err(format!("refused: {incident_id}: {r}")),
                    Err(e) => Err(format!("NOT SAVED: {label} {incident_id}: {e}")),
                }
            }
        };
        read(&mut store, &mut book, false);
        let _ = app.send(Msg::Saved(outcome));
        if let Some(id) = declared {
            let _ = app.send(Msg::Declared(id));
        }
    }
}
