//! Journal lines that must not be lost between an action and its entry in
//! the journal. Before an action is written (an incident declared or
//! changed, an approval decided), its journal line goes to
//! `journal/pending/<operator>-<id>.json`, durably, and the file stays
//! locked while the action and the line are written; then it is removed.
//!
//! A crash in between leaves the file unlocked: the next start finds it
//! (an *orphan*), checks whether the action landed and, if it did and the
//! journal lacks the line, writes the line. So after recovery a crash has
//! left both the action and its line, or neither.

use crate::domain::journal::JournalEntry;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How to tell whether the action of an intent landed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Proof {
    /// An incident with this id is on file.
    Declared { incident_id: String },
    /// The incident's timeline has an event at this time by this operator.
    Event {
        incident_id: String,
        at: DateTime<Utc>,
        by: String,
    },
    /// The record's history has a transition at this time by this operator.
    Decided {
        approval_id: String,
        at: DateTime<Utc>,
        by: String,
    },
}

/// A journal line waiting for its action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    /// The line as it will be written (its shift is filled in then).
    pub entry: JournalEntry,
    pub proof: Proof,
}

pub struct IntentStore {
    dir: PathBuf,
}

/// An intent held while its action runs: locked, so no other process takes
/// it for an orphan.
pub struct Held {
    path: PathBuf,
    _lock: File,
}

impl Held {
    /// The action and its line are written (or the action was refused):
    /// the intent goes.
    pub fn finish(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// An intent whose process is gone.
pub struct Orphan {
    pub path: PathBuf,
    /// `Err`: the file could not be read as an intent (torn by a crash
    /// while it was written, before its action began).
    pub intent: Result<Intent, String>,
    _lock: File,
}

impl Orphan {
    pub fn remove(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

impl IntentStore {
    pub fn new(workspace: &Path) -> IntentStore {
        IntentStore {
            dir: workspace.join("journal").join("pending"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write the intent durably and hold it.
    pub fn begin(&self, intent: &Intent) -> io::Result<Held> {
        std::fs::create_dir_all(&self.dir)?;
        let name = format!(
            "{}-{}.json",
            crate::store::remote::safe_name(&intent.entry.operator),
            crate::store::remote::new_action_id()
        );
        let path = self.dir.join(name);
        let mut f = std::fs::OpenOptions::new()
            .create_new(true)
            .write(true)
            .open(&path)?;
        f.lock()?;
        let mut bytes = serde_json::to_vec(intent).map_err(io::Error::other)?;
        bytes.push(b'\n');
        let written = f
            .write_all(&bytes)
            .and_then(|()| f.sync_data())
            .and_then(|()| File::open(&self.dir)?.sync_all());
        if let Err(e) = written {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        Ok(Held { path, _lock: f })
    }

    /// The intents of `operator` that no running process holds.
    pub fn orphans(&self, operator: &str) -> Vec<Orphan> {
        let prefix = format!("{}-", crate::store::remote::safe_name(operator));
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in rd.flatten() {
            let path = entry.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if !name.starts_with(&prefix) || !name.ends_with(".json") {
                continue;
            }
            let Ok(f) = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&path)
            else {
                continue;
            };
            // Held by a process that is still writing: not an orphan.
            if f.try_lock().is_err() {
                continue;
            }
            let intent = std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| serde_json::from_slice::<Intent>(&b).map_err(|e| e.to_string()))
                .map_err(|e| format!("{}: {e}", path.display()));
            // An intent of another operator with a name like ours stays theirs.
            if intent.as_ref().is_ok_and(|i| i.entry.operator != operator) {
                continue;
            }
            out.push(Orphan {
                path,
                intent,
                _lock: f,
            });
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::journal::EntryKind;

    fn intent(op: &str) -> Intent {
        Intent {
            entry: JournalEntry::new(Utc::now(), "", op, EntryKind::Incident),
            proof: Proof::Declared {
                incident_id: "inc_20261201_0300_abcdef".into(),
            },
        }
    }

    #[test]
    fn a_held_intent_is_no_orphan_and_a_finished_one_is_gone() {
        let ws = tempfile::tempdir().unwrap();
        let store = IntentStore::new(ws.path());
        let held = store.begin(&intent("ana.lima")).unwrap();
        assert!(store.orphans("ana.lima").is_empty(), "still held");
        held.finish();
        assert!(store.orphans("ana.lima").is_empty());
        assert_eq!(std::fs::read_dir(store.dir()).unwrap().count(), 0);
    }

    #[test]
    fn an_intent_left_by_a_crash_is_an_orphan_of_its_operator_only() {
        let ws = tempfile::tempdir().unwrap();
        let store = IntentStore::new(ws.path());
        // A crash: the lock goes with the process, the file stays.
        let written = intent("ana.lima");
        drop(store.begin(&written).unwrap());
        let mine = store.orphans("ana.lima");
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].intent.as_ref().unwrap(), &written);
        assert!(store.orphans("bo").is_empty());
        for o in mine {
            o.remove();
        }
        assert!(store.orphans("ana.lima").is_empty());
    }
}
