//! Approval records on disk: `approvals/<state>/<id>.json`, one file each.
//!
//! A decision moves a record between state directories in two steps under
//! an exclusive lock (`approvals/.lock`): the new file is written and synced
//! in the target directory (temp file, fsync, rename, fsync of the
//! directory), then the old file is removed. A crash between the steps
//! leaves two copies; loading keeps the one further along its history and
//! removes the other. A malformed file is reported and never touched.

use super::journal::atomic_write;
use crate::domain::approval::{ApprovalRecord, ApprovalState, Decision, DecisionContext, Refusal};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A record file that could not be used.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRecord {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for BadRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (file left as it is)",
            self.path.display(),
            self.message
        )
    }
}

#[derive(Debug, Clone, Default)]
pub struct LoadedApprovals {
    pub records: Vec<ApprovalRecord>,
    pub bad: Vec<BadRecord>,
    /// Ids whose half-finished move was completed on load.
    pub recovered: Vec<String>,
}

#[derive(Debug)]
pub enum DecideError {
    NotFound(String),
    Refused(Refusal),
    /// The record's file is malformed: nothing was changed.
    Bad(BadRecord),
    Io(io::Error),
}

impl fmt::Display for DecideError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecideError::NotFound(id) => write!(f, "no approval record {id:?}"),
            DecideError::Refused(r) => write!(f, "refused: {r}"),
            DecideError::Bad(b) => write!(f, "cannot decide on a malformed record: {b}"),
            DecideError::Io(e) => write!(f, "NOT SAVED: {e}"),
        }
    }
}

pub struct ApprovalStore {
    dir: PathBuf,
}

/// One parsed file.
struct Found {
    record: ApprovalRecord,
    path: PathBuf,
}

impl ApprovalStore {
    pub fn new(workspace: &Path) -> ApprovalStore {
        ApprovalStore {
            dir: workspace.join("approvals"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn state_dir(&self, s: ApprovalState) -> PathBuf {
        self.dir.join(s.as_str())
    }

    /// A cheap fingerprint of the five directories (their modification
    /// times): it changes whenever a record is added, moved or removed.
    pub fn fingerprint(&self) -> Vec<Option<SystemTime>> {
        ApprovalState::ALL
            .iter()
            .map(|s| {
                std::fs::metadata(self.state_dir(*s))
                    .and_then(|m| m.modified())
                    .ok()
            })
            .collect()
    }

    /// Read every record; finish any half-done move.
    pub fn load(&self) -> io::Result<LoadedApprovals> {
        let mut out = LoadedApprovals::default();
        let mut lock: Option<Option<File>> = None;
        let mut by_id: HashMap<String, Vec<Found>> = HashMap::new();
        for state in ApprovalState::ALL {
            let dir = self.state_dir(state);
            let rd = match std::fs::read_dir(&dir) {
                Ok(rd) => rd,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for entry in rd {
                let path = entry?.path();
                let Some(stem) = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_suffix(".json"))
                else {
                    continue;
                };
                if stem.starts_with('.') {
                    continue;
                }
                match read_record(&path, state, stem) {
                    Ok(record) => by_id
                        .entry(record.id.clone())
                        .or_default()
                        .push(Found { record, path }),
                    // Moved by a decision between the listing and the read:
                    // it is read in its new directory (later in this loop,
                    // since records only move forward), not reported as bad.
                    Err(_) if !path.exists() => {}
                    Err(bad) => out.bad.push(bad),
                }
            }
        }
        for (id, mut copies) in by_id {
            if copies.len() > 1 {
                // Keep the copy furthest along; the others are earlier steps of it.
                copies.sort_by_key(|f| (f.record.history.len(), f.record.changed_at()));
                let keep = copies.pop().expect("at least two");
                // Finish the move only when no decision is under way (the
                // lock is free); otherwise that decision finishes it.
                let held = lock.get_or_insert_with(|| self.try_lock()).is_some();
                for stale in &copies {
                    if keep.record.history.starts_with(&stale.record.history) {
                        if held {
                            let _ = std::fs::remove_file(&stale.path);
                        }
                    } else {
                        out.bad.push(BadRecord {
                            path: stale.path.clone(),
                            message: format!(
                                "a second copy of {id} whose history differs from {}",
                                keep.path.display()
                            ),
                        });
                    }
                }
                out.recovered.push(id);
                out.records.push(keep.record);
            } else if let Some(f) = copies.pop() {
                out.records.push(f.record);
            }
        }
        out.records.sort_by(|a, b| a.id.cmp(&b.id));
        out.recovered.sort();
        Ok(out)
    }

    /// Find one record by id (or a unique part of it) in any state.
    pub fn find(&self, key: &str) -> Result<ApprovalRecord, DecideError> {
        let loaded = self.load().map_err(DecideError::Io)?;
        if let Some(bad) = loaded
            .bad
            .iter()
            .find(|b| b.path.file_stem().and_then(|s| s.to_str()) == Some(key))
        {
            return Err(DecideError::Bad(bad.clone()));
        }
        let hits: Vec<ApprovalRecord> = loaded
            .records
            .into_iter()
            .filter(|r| r.id == key || r.id.ends_with(key))
            .collect();
        match hits.len() {
            1 => Ok(hits.into_iter().next().expect("one")),
            0 => Err(DecideError::NotFound(key.to_string())),
            _ => Err(DecideError::NotFound(format!(
                "{key} (ambiguous: give the whole id)"
            ))),
        }
    }

    /// Take the exclusive lock held while a record moves.
    fn lock(&self) -> io::Result<File> {
        std::fs::create_dir_all(&self.dir)?;
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join(".lock"))?;
        f.lock()?;
        Ok(f)
    }

    fn try_lock(&self) -> Option<File> {
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join(".lock"))
            .ok()?;
        f.try_lock().ok()?;
        Some(f)
    }

    /// Decide on a record: checked against its state on disk under the lock,
    /// so two approvers at once get one decision and one "already …".
    pub fn decide(
        &self,
        id: &str,
        decision: Decision,
        by: &str,
        reason: &str,
        ctx: &DecisionContext,
        now: DateTime<Utc>,
    ) -> Result<ApprovalRecord, DecideError> {
        let root = self.dir.parent().unwrap_or(&self.dir).to_path_buf();
        let team = super::team::before_write(&root).map_err(DecideError::Io)?;
        if let Some(t) = &team {
            // The team store decides first, under its row lock: two hosts
            // at once get one decision and one "already … by … at …".
            let current = self.find(id)?;
            match t
                .decide(&current.id, decision, by, reason, ctx, now)
                .map_err(DecideError::Io)?
            {
                super::team::Claimed::Done(next) => return Ok(next),
                super::team::Claimed::Refused(r) => return Err(DecideError::Refused(r)),
                super::team::Claimed::Unknown => {}
            }
        }
        let _lock = self.lock().map_err(DecideError::Io)?;
        let current = self.find(id)?;
        current
            .check(decision, ctx, reason)
            .map_err(DecideError::Refused)?;
        let next = current.decided(decision, by, now, reason);
        self.stage(&next).map_err(DecideError::Io)?;
        self.finish(&current).map_err(DecideError::Io)?;
        super::team::after_write(team);
        Ok(next)
    }

    /// Put the team store's copy of a record in place (under the lock):
    /// written into its state's directory, any other state's copy removed.
    /// Returns whether anything changed; a row that is not a valid record
    /// for its id and state is refused.
    pub fn put_copy(&self, id: &str, state: &str, text: &str) -> io::Result<bool> {
        let state = ApprovalState::parse(state)
            .ok_or_else(|| io::Error::other(format!("unknown approval state {state:?}")))?;
        if !is_file_name(id) {
            return Err(io::Error::other(format!(
                "approval id {id:?} is not a file name"
            )));
        }
        let record: ApprovalRecord = serde_json::from_str(text).map_err(io::Error::other)?;
        record.validate(state, id).map_err(io::Error::other)?;
        let _lock = self.lock()?;
        let mut changed = false;
        let target = self.state_dir(state).join(format!("{id}.json"));
        if std::fs::read_to_string(&target).ok().as_deref() != Some(text) {
            atomic_write(&target, text.as_bytes())?;
            changed = true;
        }
        for other in ApprovalState::ALL.into_iter().filter(|s| *s != state) {
            let old = self.state_dir(other).join(format!("{id}.json"));
            if old.exists() {
                std::fs::remove_file(&old)?;
                changed = true;
            }
        }
        Ok(changed)
    }

    /// Step one: the record in its new state, durably.
    pub fn stage(&self, next: &ApprovalRecord) -> io::Result<()> {
        let mut json = serde_json::to_vec_pretty(next).map_err(io::Error::other)?;
        json.push(b'\n');
        atomic_write(
            &self.state_dir(next.state).join(format!("{}.json", next.id)),
            &json,
        )
    }

    /// Step two: the old copy goes.
    pub fn finish(&self, old: &ApprovalRecord) -> io::Result<()> {
        let dir = self.state_dir(old.state);
        match std::fs::remove_file(dir.join(format!("{}.json", old.id))) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        File::open(&dir)?.sync_all()
    }
}

/// An id that can name a record's file: no path, no hidden file.
pub fn is_file_name(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn read_record(path: &Path, state: ApprovalState, stem: &str) -> Result<ApprovalRecord, BadRecord> {
    let bad = |message: String| BadRecord {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    let record: ApprovalRecord = serde_json::from_str(&text).map_err(|e| {
        let what = if e.is_syntax() || e.is_eof() {
            "not valid JSON"
        } else {
            "not an approval record"
        };
        bad(format!("{what}: {e}"))
    })?;
    record.validate(state, stem).map_err(bad)?;
    Ok(record)
}

#[cfg(test)]
mod tests;
