//! The local incident store: `incidents/incidents.jsonl` (declarations) and
//! `incidents/events.jsonl` (timeline), both append-only.

use super::jsonl::{JsonlTail, LineIssue, LockedAppend, append_line};
use crate::domain::Severity;
use crate::domain::incident::new_incident_id;
use crate::domain::{IncidentBook, IncidentEvent, IncidentRecord, IncidentRefusal};
use chrono::Utc;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// New lines read from the two files since the last read.
#[derive(Debug, Default)]
pub struct IncidentDelta {
    pub records: Vec<IncidentRecord>,
    pub events: Vec<IncidentEvent>,
    pub issues: Vec<LineIssue>,
    /// A file was replaced or shrank: fold from scratch with this delta.
    pub reset: bool,
}

impl IncidentDelta {
    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && self.events.is_empty() && self.issues.is_empty() && !self.reset
    }

    /// Fold this delta into a book (emptying it first when the delta is a reset).
    pub fn apply_to(&self, book: &mut IncidentBook) {
        if self.reset {
            book.clear();
        }
        book.add_records(&self.records);
        book.add_events(&self.events);
    }

    /// Fold this delta into a book, moving its events into the timelines.
    /// Returns the line problems found.
    pub fn apply_into(self, book: &mut IncidentBook) -> Vec<LineIssue> {
        if self.reset {
            book.clear();
        }
        book.add_records(&self.records);
        book.add_events_owned(self.events);
        self.issues
    }

    fn absorb(&mut self, other: IncidentDelta) {
        if other.reset {
            *self = other;
            return;
        }
        self.records.extend(other.records);
        self.events.extend(other.events);
        self.issues.extend(other.issues);
    }
}

/// Why a change was not written.
#[derive(Debug)]
pub enum CommitError {
    /// Started with `--readonly`.
    ReadOnly,
    NotFound(String),
    Refused(IncidentRefusal),
    Io(io::Error),
}

impl fmt::Display for CommitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommitError::ReadOnly => {
                f.write_str("read-only: started with --readonly, nothing was changed")
            }
            CommitError::NotFound(m) => f.write_str(m),
            CommitError::Refused(r) => write!(f, "refused: {r}"),
            CommitError::Io(e) => write!(f, "not saved: {e}"),
        }
    }
}

pub struct IncidentStore {
    dir: PathBuf,
    records: JsonlTail,
    events: JsonlTail,
    loaded: bool,
}

impl IncidentStore {
    pub fn new(workspace: &Path) -> IncidentStore {
        let dir = workspace.join("incidents");
        IncidentStore {
            records: JsonlTail::new(dir.join("incidents.jsonl")),
            events: JsonlTail::new(dir.join("events.jsonl")),
            dir,
            loaded: false,
        }
    }

    pub fn records_path(&self) -> &Path {
        self.records.path()
    }

    pub fn events_path(&self) -> &Path {
        self.events.path()
    }

    /// Whether either file changed since the last read (two `stat` calls).
    pub fn has_news(&self) -> bool {
        self.records.has_news() || self.events.has_news()
    }

    /// Read what was appended since the last read. The first call reads
    /// everything, and reports a torn last line if there is one.
    pub fn read_new(&mut self) -> io::Result<IncidentDelta> {
        let first = !self.loaded;
        self.loaded = true;
        let r = self.records.read_new::<IncidentRecord>()?;
        let e = self.events.read_new::<IncidentEvent>()?;
        let mut issues = r.issues;
        issues.extend(e.issues);
        if first {
            for tail in [&self.records, &self.events] {
                if let Some(frag) = tail.trailing_fragment()? {
                    issues.push(frag);
                }
            }
        }
        Ok(IncidentDelta {
            records: r.items,
            events: e.items,
            issues,
            reset: r.reset || e.reset,
        })
    }

    /// Load everything into a fresh book (the CLI's path).
    pub fn load(&mut self) -> io::Result<(IncidentBook, Vec<LineIssue>)> {
        let delta = self.read_new()?;
        let mut book = IncidentBook::default();
        let issues = delta.apply_into(&mut book);
        Ok((book, issues))
    }

    fn ensure_dir(&self) -> io::Result<()> {
        std::fs::create_dir_all(&self.dir)
    }

    /// Declare a new incident: one durable line in `incidents.jsonl`.
    pub fn declare(&self, record: &IncidentRecord) -> io::Result<()> {
        let team = self.team();
        if let Some(t) = &team {
            t.gate()?;
        }
        self.ensure_dir()?;
        append_line(self.records.path(), record)?;
        if let Some(t) = team {
            t.touched();
        }
        Ok(())
    }

    /// The team store behind this workspace, when one is in force.
    fn team(&self) -> Option<std::sync::Arc<super::team::Shared>> {
        self.dir.parent().and_then(super::team::active)
    }

    /// Declare a new incident now: a fresh id (`inc_YYYYMMDD_HHMM_<rand>`),
    /// written durably. Returns the record as written.
    pub fn declare_new(
        &self,
        operator: &str,
        title: &str,
        service: &str,
        severity: Severity,
        env: &str,
    ) -> io::Result<IncidentRecord> {
        let record = IncidentStore::new_record(operator, title, service, severity, env, Utc::now());
        self.declare(&record)?;
        Ok(record)
    }

    /// The record a declaration now would write, with its fresh id
    /// (`inc_YYYYMMDD_HHMM_<rand>`), not written yet.
    pub fn new_record(
        operator: &str,
        title: &str,
        service: &str,
        severity: Severity,
        env: &str,
        now: chrono::DateTime<Utc>,
    ) -> IncidentRecord {
        IncidentRecord {
            id: new_incident_id(now, random24()),
            title: title.trim().to_string(),
            service: service.trim().to_string(),
            severity,
            env: env.to_string(),
            started_at: now,
            created_by: operator.to_string(),
        }
    }

    /// Append a change to an incident, checked against the latest state
    /// under the events file's lock, so two operators acknowledging at once
    /// get one acknowledgement and one "already acknowledged by …".
    ///
    /// Returns everything read while doing it (including the new event once
    /// written), already folded into `book`, plus the outcome.
    pub fn commit(
        &mut self,
        book: &mut IncidentBook,
        event: &IncidentEvent,
    ) -> (IncidentDelta, Result<(), CommitError>) {
        let mut seen = IncidentDelta::default();
        if let Err(e) = self.ensure_dir() {
            return (seen, Err(CommitError::Io(e)));
        }
        if let Some(team) = self.team() {
            // The team store checks it against every host's changes and
            // writes it (here too); the local rule decides only when the
            // store cannot (away under `auto`, or the incident not in it yet).
            let claimed = match book.get(&event.incident_id) {
                None => Ok(super::team::Claimed::Unknown),
                Some(_) => team.change(event),
            };
            match claimed {
                Err(e) => return (seen, Err(CommitError::Io(e))),
                Ok(super::team::Claimed::Refused(r)) => {
                    if let Ok(d) = self.read_new() {
                        d.apply_to(book);
                        seen.absorb(d);
                    }
                    return (seen, Err(CommitError::Refused(r)));
                }
                Ok(super::team::Claimed::Done(())) => {
                    if let Ok(d) = self.read_new() {
                        d.apply_to(book);
                        seen.absorb(d);
                    }
                    return (seen, Ok(()));
                }
                Ok(super::team::Claimed::Unknown) => {}
            }
        }
        let mut lock = match LockedAppend::open(self.events.path()) {
            Ok(l) => l,
            Err(e) => return (seen, Err(CommitError::Io(e))),
        };
        match self.read_new() {
            Ok(d) => {
                d.apply_to(book);
                seen.absorb(d);
            }
            Err(e) => return (seen, Err(CommitError::Io(e))),
        }
        let verdict = match book.get(&event.incident_id) {
            None => Err(CommitError::NotFound(format!(
                "no incident {:?}",
                event.incident_id
            ))),
            Some(inc) => inc.check(&event.change).map_err(CommitError::Refused),
        };
        if let Err(e) = verdict {
            return (seen, Err(e));
        }
        if let Err(e) = lock.append(event) {
            return (seen, Err(CommitError::Io(e)));
        }
        drop(lock);
        if let Some(team) = self.team() {
            team.touched();
        }
        match self.read_new() {
            Ok(d) => {
                d.apply_to(book);
                seen.absorb(d);
                (seen, Ok(()))
            }
            // Written and synced; reading it back failed. The next poll retries the read.
            Err(_) => (seen, Ok(())),
        }
    }
}

fn random24() -> u32 {
    let mut b = [0u8; 4];
    if getrandom::fill(&mut b).is_err() {
        let n = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        return n ^ std::process::id();
    }
    u32::from_le_bytes(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{IncidentChange, IncidentStatus, Severity};
    use chrono::{TimeZone, Utc};

    fn record(id: &str) -> IncidentRecord {
        IncidentRecord {
            id: id.into(),
            title: "Gateway 5xx rate >5%".into(),
            service: "gateway".into(),
            severity: Severity::P1,
            env: "prod".into(),
            started_at: Utc.with_ymd_and_hms(2026, 2, 23, 10, 0, 0).unwrap(),
            created_by: "sofiia".into(),
        }
    }

    fn ack(id: &str, by: &str) -> IncidentEvent {
        IncidentEvent {
            incident_id: id.into(),
            at: Utc.with_ymd_and_hms(2026, 2, 23, 10, 5, 0).unwrap(),
            by: by.into(),
            change: IncidentChange::Acknowledged {
                message: String::new(),
            },
        }
    }

    #[test]
    fn declare_commit_and_reload() {
        let ws = tempfile::tempdir().unwrap();
        let mut store = IncidentStore::new(ws.path());
        let (mut book, issues) = store.load().unwrap();
        assert!(book.is_empty() && issues.is_empty());
        store.declare(&record("inc_1")).unwrap();
        let (delta, res) = store.commit(&mut book, &ack("inc_1", "ana"));
        res.unwrap();
        assert_eq!(delta.records.len(), 1);
        assert_eq!(delta.events.len(), 1, "the written event is read back");
        assert_eq!(
            book.get("inc_1").unwrap().status,
            IncidentStatus::Acknowledged
        );

        let (again, _) = IncidentStore::new(ws.path()).load().unwrap();
        assert_eq!(
            again.get("inc_1").unwrap().acknowledged.as_ref().unwrap().1,
            "ana"
        );
    }

    #[test]
    fn a_second_operator_is_told_who_was_first() {
        let ws = tempfile::tempdir().unwrap();
        let mut mine = IncidentStore::new(ws.path());
        let mut theirs = IncidentStore::new(ws.path());
        mine.declare(&record("inc_2")).unwrap();
        let (mut my_book, _) = mine.load().unwrap();
        let (mut their_book, _) = theirs.load().unwrap();
        theirs
            .commit(&mut their_book, &ack("inc_2", "bo"))
            .1
            .unwrap();
        let (_, res) = mine.commit(&mut my_book, &ack("inc_2", "ana"));
        match res {
            Err(CommitError::Refused(r)) => assert_eq!(r.to_string(), "already acknowledged by bo"),
            other => panic!("expected a refusal, got {other:?}"),
        }
        let events = std::fs::read_to_string(mine.events_path()).unwrap();
        assert_eq!(
            events.lines().count(),
            1,
            "nothing was overwritten or doubled"
        );
    }

    #[test]
    fn unknown_incident_is_not_found() {
        let ws = tempfile::tempdir().unwrap();
        let mut store = IncidentStore::new(ws.path());
        let mut book = IncidentBook::default();
        let (_, res) = store.commit(&mut book, &ack("inc_nope", "ana"));
        assert!(matches!(res, Err(CommitError::NotFound(_))));
    }
}
