//! The store thread: owns the incident files, writes what `update` asks
//! for, and watches for lines appended by anyone (this app, the CLI, another
//! operator), sending them to the app as they appear.

use crate::app::Msg;
use crate::domain::{IncidentBook, IncidentChange, IncidentEvent, Severity};
use crate::store::{CommitError, IncidentStore};
use std::path::{Path, PathBuf};
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

/// Forward what was appended since the last look to the app.
fn forward(watch: &mut IncidentStore, app: &mpsc::UnboundedSender<Msg>, first: bool) {
    if !first && !watch.has_news() {
        return;
    }
    match watch.read_new() {
        Ok(delta) if first || !delta.is_empty() => {
            let _ = app.send(Msg::Incidents(delta));
        }
        Ok(_) => {}
        Err(e) => {
            let _ = app.send(Msg::Saved(Err(format!("cannot read incidents: {e}"))));
        }
    }
}

/// The state every change is checked against. Built on the first change
/// only, so start-up reads the files once (for the screen) and not twice.
struct Checker {
    store: IncidentStore,
    book: IncidentBook,
}

impl Checker {
    fn new(workspace: &Path) -> Checker {
        Checker {
            store: IncidentStore::new(workspace),
            book: IncidentBook::state_only(),
        }
    }
}

fn worker(
    workspace: PathBuf,
    operator: String,
    rx: std_mpsc::Receiver<Command>,
    app: mpsc::UnboundedSender<Msg>,
) {
    let mut watch = IncidentStore::new(&workspace);
    let mut checker: Option<Checker> = None;
    forward(&mut watch, &app, true);
    loop {
        let cmd = match rx.recv_timeout(WATCH_INTERVAL) {
            Ok(c) => c,
            Err(std_mpsc::RecvTimeoutError::Timeout) => {
                forward(&mut watch, &app, false);
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
            } => match watch.declare_new(&operator, &title, &service, severity, "prod") {
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
                let check = checker.get_or_insert_with(|| Checker::new(&workspace));
                match check.store.commit(&mut check.book, &event).1 {
                    Ok(()) => Ok(format!("saved: {label} {incident_id}")),
                    Err(CommitError::Refused(r)) => Err(format!("refused: {incident_id}: {r}")),
                    Err(e) => Err(format!("NOT SAVED: {label} {incident_id}: {e}")),
                }
            }
        };
        // The screen learns of the change from the file, like any other.
        forward(&mut watch, &app, false);
        let _ = app.send(Msg::Saved(outcome));
        if let Some(id) = declared {
            let _ = app.send(Msg::Declared(id));
        }
    }
}
