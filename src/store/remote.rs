//! Files for the remote incident sources: the outbox of actions for
//! PagerDuty and Opsgenie (`incidents/outbox.jsonl`, append-only, durable
//! like every JSONL file here) and the last list read from each source
//! (`incidents/remote/<source>.json`, replaced atomically), so the inbox
//! shows the last known incidents at once, and an action can be queued
//! while the vendor is unreachable.

use super::jsonl::{LineIssue, LockedAppend};
use crate::domain::outbox::{Outbox, OutboxLine, Queued, RemoteAction};
use crate::domain::remote::RemoteIncident;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct OutboxStore {
    dir: PathBuf,
    path: PathBuf,
    /// The last fold, by the file's length and modification time: the
    /// outbox is read before every send and every round, and it only grows.
    cache: std::sync::Arc<std::sync::Mutex<Option<Cached>>>,
    /// What was last written (or found) per source, so an unchanged list
    /// costs a comparison, not a read and a parse of the file.
    saved: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<RemoteIncident>>>>,
}

#[derive(Debug)]
struct Cached {
    len: u64,
    modified: Option<std::time::SystemTime>,
    outbox: Outbox,
    issues: Vec<LineIssue>,
}

/// Why an action was not queued.
#[derive(Debug)]
pub enum QueueError {
    /// The same action for the same incident is already waiting.
    AlreadyQueued(Box<Queued>),
    /// Started with --readonly: nothing is queued or sent.
    ReadOnly,
    Io(io::Error),
}

impl std::fmt::Display for QueueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueueError::AlreadyQueued(q) => write!(
                f,
                "{} is already queued for {} (since {} UTC)",
                q.action,
                q.incident,
                q.at.format("%H:%M")
            ),
            QueueError::ReadOnly => {
                f.write_str("read-only: started with --readonly, nothing was queued or sent")
            }
            QueueError::Io(e) => write!(f, "the outbox could not be written: {e}"),
        }
    }
}

/// The last list read from a source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub fetched_at: DateTime<Utc>,
    pub incidents: Vec<RemoteIncident>,
}

/// A fresh, unique action id (16 hex digits).
pub fn new_action_id() -> String {
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        let n = Utc::now().timestamp_nanos_opt().unwrap_or(0) as u64 ^ std::process::id() as u64;
        b = n.to_le_bytes();
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl OutboxStore {
    pub fn new(workspace: &Path) -> OutboxStore {
        let dir = workspace.join("incidents");
        OutboxStore {
            path: dir.join("outbox.jsonl"),
            dir,
            cache: Default::default(),
            saved: Default::default(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every line, folded; unreadable lines are reported and left alone.
    pub fn read(&self) -> io::Result<(Outbox, Vec<LineIssue>)> {
        let meta = match std::fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Ok((Outbox::default(), Vec::new()));
            }
            Err(e) => return Err(e),
        };
        let (len, modified) = (meta.len(), meta.modified().ok());
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = cache.as_ref()
            && c.len == len
            && c.modified == modified
        {
            return Ok((c.outbox.clone(), c.issues.clone()));
        }
        let (outbox, issues) = self.read_file()?;
        *cache = Some(Cached {
            len,
            modified,
            outbox: outbox.clone(),
            issues: issues.clone(),
        });
        Ok((outbox, issues))
    }

    fn read_file(&self) -> io::Result<(Outbox, Vec<LineIssue>)> {
        let (lines, issues) = super::jsonl::read_all::<OutboxLine>(&self.path)?;
        Ok((Outbox::fold(&lines), issues))
    }

    /// Queue an action durably, unless the same one already waits. Returns
    /// once it is on disk.
    pub fn queue(&self, q: &Queued) -> Result<(), QueueError> {
        let team = self.team_write().map_err(QueueError::Io)?;
        std::fs::create_dir_all(&self.dir).map_err(QueueError::Io)?;
        let mut file = LockedAppend::open(&self.path).map_err(QueueError::Io)?;
        if q.action != RemoteAction::Note {
            let (outbox, _) = self.read().map_err(QueueError::Io)?;
            if let Some(p) = outbox.waiting(&q.incident, q.action) {
                return Err(QueueError::AlreadyQueued(Box::new(p.queued.clone())));
            }
        }
        file.append(&OutboxLine::Queued(q.clone()))
            .map_err(QueueError::Io)?;
        super::team::after_write(team);
        Ok(())
    }

    fn root(&self) -> &Path {
        self.dir.parent().unwrap_or(&self.dir)
    }

    fn team_write(&self) -> io::Result<Option<std::sync::Arc<super::team::Shared>>> {
        super::team::before_write(self.root())
    }

    /// Record what happened to an action, durably.
    pub fn record(&self, line: &OutboxLine) -> io::Result<()> {
        let team = self.team_write()?;
        std::fs::create_dir_all(&self.dir)?;
        LockedAppend::open(&self.path)?.append(line)?;
        super::team::after_write(team);
        Ok(())
    }

    /// The right to send a source's actions: one process at a time. `None`
    /// when another process holds it (it is sending them).
    pub fn try_sender(&self, source: &str) -> io::Result<Option<SenderLock>> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.dir.join(format!(".outbox-{}.lock", safe_name(source)));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        match file.try_lock() {
            Ok(()) => match super::team::active(self.root())
                .map(|t| t.sender(&format!("outbox {source}")))
            {
                Some(super::team::SenderRight::Busy) => Ok(None),
                Some(super::team::SenderRight::Held(team)) => Ok(Some(SenderLock {
                    _file: file,
                    _team: Some(team),
                })),
                _ => Ok(Some(SenderLock {
                    _file: file,
                    _team: None,
                })),
            },
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e),
        }
    }

    fn snapshot_path(&self, source: &str) -> PathBuf {
        self.dir
            .join("remote")
            .join(format!("{}.json", safe_name(source)))
    }

    /// Keep the list just read. Written only when it differs from what is
    /// on file, ignoring the time.
    pub fn save_snapshot(&self, source: &str, snapshot: &Snapshot) -> io::Result<()> {
        let mut saved = self.saved.lock().unwrap_or_else(|p| p.into_inner());
        if !saved.contains_key(source)
            && let Some(old) = self.load_snapshot(source)
        {
            saved.insert(source.to_string(), old.incidents);
        }
        if saved.get(source) == Some(&snapshot.incidents) {
            return Ok(());
        }
        let bytes = serde_json::to_vec_pretty(snapshot).map_err(io::Error::other)?;
        super::journal::atomic_write(&self.snapshot_path(source), &bytes)?;
        saved.insert(source.to_string(), snapshot.incidents.clone());
        Ok(())
    }

    /// The last list read from a source, if any (a broken file counts as none).
    pub fn load_snapshot(&self, source: &str) -> Option<Snapshot> {
        let bytes = std::fs::read(self.snapshot_path(source)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// Held while sending a source's actions.
pub struct SenderLock {
    _file: File,
    /// The same right across the team, while its store is reachable.
    _team: Option<super::team::TeamSender>,
}

/// A name (a source's, an operator's) as a file name.
pub(crate) fn safe_name(source: &str) -> String {
    source
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::outbox::Outcome;
    use crate::domain::remote::Vendor;

    fn q(id: &str, action: RemoteAction) -> Queued {
        Queued {
            id: id.into(),
            at: Utc::now(),
            source: "pd".into(),
            vendor: Vendor::Pagerduty,
            incident: "PD-1".into(),
            remote_id: "Q1".into(),
            title: String::new(),
            action,
            message: String::new(),
            by: "ana".into(),
            until: None,
            target: String::new(),
            labels: Default::default(),
        }
    }

    #[test]
    fn queue_refuses_a_duplicate_until_it_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let store = OutboxStore::new(dir.path());
        store.queue(&q("a", RemoteAction::Acknowledge)).unwrap();
        assert!(matches!(
            store.queue(&q("b", RemoteAction::Acknowledge)),
            Err(QueueError::AlreadyQueued(_))
        ));
        // Notes may be queued several times.
        store.queue(&q("n1", RemoteAction::Note)).unwrap();
        store.queue(&q("n2", RemoteAction::Note)).unwrap();
        store
            .record(&OutboxLine::Done {
                id: "a".into(),
                at: Utc::now(),
                outcome: Outcome::Sent,
                detail: String::new(),
            })
            .unwrap();
        store.queue(&q("c", RemoteAction::Acknowledge)).unwrap();
        let (ob, issues) = store.read().unwrap();
        assert!(issues.is_empty());
        let ids: Vec<&str> = ob.pending.iter().map(|p| p.queued.id.as_str()).collect();
        assert_eq!(ids, ["n1", "n2", "c"]);
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_a_bad_line_named() {
        let dir = tempfile::tempdir().unwrap();
        let store = OutboxStore::new(dir.path());
        store.queue(&q("a", RemoteAction::Resolve)).unwrap();
        let mut text = std::fs::read_to_string(store.path()).unwrap();
        text.push_str("{\"op\":\"nonsense\"}\n{\"op\":\"queued\",\"id\":\"b");
        std::fs::write(store.path(), text).unwrap();
        let (ob, issues) = store.read().unwrap();
        assert_eq!(ob.pending.len(), 1);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].line, 2);
        // The next append goes on a line of its own; the fragment stays.
        store.queue(&q("c", RemoteAction::Acknowledge)).unwrap();
        let (ob, issues) = store.read().unwrap();
        assert_eq!(ob.pending.len(), 2);
        assert_eq!(issues.len(), 2, "the fragment is now a named bad line");
    }

    #[test]
    fn one_sender_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = OutboxStore::new(dir.path());
        let held = store.try_sender("pd/x").unwrap();
        assert!(held.is_some());
        assert!(store.try_sender("pd/x").unwrap().is_none());
        assert!(store.try_sender("og").unwrap().is_some());
        drop(held);
        assert!(store.try_sender("pd/x").unwrap().is_some());
    }

    #[test]
    fn snapshots_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = OutboxStore::new(dir.path());
        assert!(store.load_snapshot("pd").is_none());
        let s = Snapshot {
            fetched_at: Utc::now(),
            incidents: Vec::new(),
        };
        store.save_snapshot("pd", &s).unwrap();
        assert_eq!(store.load_snapshot("pd"), Some(s));
    }
}
