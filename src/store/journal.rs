//! The shift journal on disk: `journal/<date>_<shift-id>.jsonl`, one file
//! per shift, append-only (see `jsonl` for the durability rules); the draft
//! note being typed (`journal/drafts/<operator>.txt`, replaced atomically);
//! published handovers (`journal/handover/<shift-id>.md`).
//!
//! Start-up reads only what the screen needs: the file names, this
//! operator's latest shift, and the newest handover. Only search scans.

use super::jsonl::{JsonlTail, LineIssue, append_line};
use crate::domain::journal::{EntryKind, JournalEntry, shift_id};
use chrono::{DateTime, Utc};
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    pub id: String,
    pub operator: String,
    pub started: DateTime<Utc>,
    pub path: PathBuf,
}

/// A published handover.
#[derive(Debug, Clone, PartialEq)]
pub struct Handover {
    pub shift: String,
    pub path: PathBuf,
    pub markdown: String,
}

/// An entry that could not be written where it belongs.
#[derive(Debug)]
pub struct AppendFailure {
    pub error: io::Error,
    /// Where the entry went instead, if anywhere.
    pub fallback: Option<PathBuf>,
}

impl fmt::Display for AppendFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fallback {
            Some(p) => write!(
                f,
                "NOT SAVED in the journal ({}); kept in {}",
                self.error,
                p.display()
            ),
            // Refused before anything was written (the team store is away
            // under `backend = "postgres"`): the words say why.
            None if self.error.to_string().starts_with("the team store") => {
                write!(f, "NOT SAVED: {}", self.error)
            }
            None => write!(
                f,
                "NOT SAVED anywhere ({}): the entry is only on screen",
                self.error
            ),
        }
    }
}

/// A shift with its entries and the lines that could not be read.
pub type ShiftRead = (Shift, Vec<JournalEntry>, Vec<LineIssue>);

pub struct JournalStore {
    dir: PathBuf,
}

/// `2026-05-14_20260514-0300-ana.jsonl` → its shift id.
fn shift_of_file(name: &str) -> Option<&str> {
    let stem = name.strip_suffix(".jsonl")?;
    let (date, shift) = stem.split_once('_')?;
    (date.len() == 10 && date.as_bytes()[4] == b'-' && shift.len() > 14).then_some(shift)
}

/// When a shift started, from its id.
fn start_of(shift: &str) -> Option<DateTime<Utc>> {
    let stamp = shift.get(..13)?;
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M")
        .ok()
        .map(|n| n.and_utc())
}

impl JournalStore {
    pub fn new(workspace: &Path) -> JournalStore {
        JournalStore {
            dir: workspace.join("journal"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// All shift files, oldest first (names sort by start time).
    pub fn shift_files(&self) -> io::Result<Vec<(String, PathBuf)>> {
        let mut out = Vec::new();
        let rd = match std::fs::read_dir(&self.dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
        };
        for entry in rd {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if let Some(shift) = shift_of_file(name) {
                out.push((shift.to_string(), entry.path()));
            }
        }
        out.sort_by(|a, b| a.0.get(..13).cmp(&b.0.get(..13)).then(a.0.cmp(&b.0)));
        Ok(out)
    }

    fn shift_from(&self, id: &str, path: PathBuf, operator: &str) -> Shift {
        Shift {
            id: id.to_string(),
            operator: operator.to_string(),
            started: start_of(id).unwrap_or_else(Utc::now),
            path,
        }
    }

    /// This operator's most recent shift, if it has not ended.
    pub fn open_shift(&self, operator: &str) -> io::Result<Option<ShiftRead>> {
        let suffix = shift_id(Utc::now(), operator);
        let who = &suffix[14..];
        let Some((id, path)) = self
            .shift_files()?
            .into_iter()
            .rev()
            .find(|(id, _)| id.get(14..) == Some(who))
        else {
            return Ok(None);
        };
        let (entries, issues) = read_all(&path)?;
        if entries.iter().any(|e| e.kind == EntryKind::ShiftEnd) {
            return Ok(None);
        }
        Ok(Some((
            self.shift_from(&id, path, operator),
            entries,
            issues,
        )))
    }

    /// Start a new shift for `operator` now: a new file whose first entry
    /// is the shift start.
    pub fn start_shift(&self, operator: &str, now: DateTime<Utc>) -> io::Result<Shift> {
        std::fs::create_dir_all(&self.dir)?;
        // A shift started in the minute the last one ended would get its id
        // (and append to its file, whose notes reach no handover): the id
        // takes the next free minute; the entry keeps the real time.
        let mut label = now;
        let (id, path) = loop {
            let id = shift_id(label, operator);
            let path = self
                .dir
                .join(format!("{}_{id}.jsonl", label.format("%Y-%m-%d")));
            if !path.exists() {
                break (id, path);
            }
            label += chrono::Duration::minutes(1);
        };
        let shift = Shift {
            id: id.clone(),
            operator: operator.to_string(),
            started: now,
            path,
        };
        append_line(
            &shift.path,
            &JournalEntry::new(now, &id, operator, EntryKind::ShiftStart),
        )?;
        Ok(shift)
    }

    /// Resume this operator's open shift, or start one. `true` when resumed.
    pub fn current_or_start(
        &self,
        operator: &str,
        now: DateTime<Utc>,
    ) -> io::Result<(Shift, Vec<JournalEntry>, Vec<LineIssue>, bool)> {
        match self.open_shift(operator)? {
            Some((shift, entries, issues)) => Ok((shift, entries, issues, true)),
            None => {
                let shift = self.start_shift(operator, now)?;
                let (entries, issues) = read_all(&shift.path)?;
                Ok((shift, entries, issues, false))
            }
        }
    }

    /// Find a shift by id (or a unique part of it).
    pub fn find_shift(&self, key: &str) -> io::Result<Result<Shift, String>> {
        let files = self.shift_files()?;
        let hits: Vec<&(String, PathBuf)> = files
            .iter()
            .filter(|(id, _)| id == key || id.contains(key))
            .collect();
        Ok(match hits.as_slice() {
            [(id, path)] => {
                let who = id.get(14..).unwrap_or("").to_string();
                Ok(self.shift_from(id, path.clone(), &who))
            }
            [] => Err(format!("no shift {key:?} in {}", self.dir.display())),
            many => Err(format!(
                "{key:?} matches {} shifts: give more of the id",
                many.len()
            )),
        })
    }

    /// Append an entry durably to a shift's file. When that fails, the
    /// entry goes to a fallback file (never retried into the same file: a
    /// failed fsync is not trusted).
    pub fn append(&self, shift: &Shift, entry: &JournalEntry) -> Result<(), AppendFailure> {
        let root = self.dir.parent().unwrap_or(&self.dir);
        let team = super::team::before_write(root).map_err(|error| AppendFailure {
            error,
            fallback: None,
        })?;
        match append_line(&shift.path, entry) {
            Ok(()) => {
                super::team::after_write(team);
                Ok(())
            }
            Err(error) => {
                let name = format!("unsaved-{}.jsonl", shift.id);
                let candidates = [
                    self.dir.join(&name),
                    std::env::temp_dir().join(format!("shiftdeck-{name}")),
                ];
                let fallback = candidates
                    .into_iter()
                    .find(|p| append_line(p, entry).is_ok());
                Err(AppendFailure { error, fallback })
            }
        }
    }

    /// Entries of shifts that started at or after `since` (less a day, so a
    /// shift running across `since` is included), then filtered by time.
    pub fn since(&self, since: DateTime<Utc>) -> io::Result<(Vec<JournalEntry>, Vec<LineIssue>)> {
        let mut entries = Vec::new();
        let mut issues = Vec::new();
        let horizon = since
            .checked_sub_signed(chrono::Duration::days(1))
            .unwrap_or(since);
        for (id, path) in self.shift_files()? {
            if start_of(&id).is_some_and(|s| s < horizon) {
                continue;
            }
            let (e, i) = read_all(&path)?;
            entries.extend(e.into_iter().filter(|e| e.at >= since));
            issues.extend(i);
        }
        entries.sort_by_key(|e| e.at);
        Ok((entries, issues))
    }

    /// Entries of one kind since a time, across shifts, oldest first. Lines
    /// are matched as bytes first, so a year of notes is never parsed to
    /// find the few checklist entries in it.
    pub fn kind_since(
        &self,
        kind: EntryKind,
        since: DateTime<Utc>,
    ) -> io::Result<Vec<JournalEntry>> {
        let tag = serde_json::to_string(&kind).map_err(io::Error::other)?;
        let needle = format!("\"kind\":{tag}").into_bytes();
        let horizon = since
            .checked_sub_signed(chrono::Duration::days(1))
            .unwrap_or(since);
        let mut out = Vec::new();
        for (id, path) in self.shift_files()? {
            if start_of(&id).is_some_and(|s| s < horizon) {
                continue;
            }
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for line in bytes.split(|&b| b == b'\n').filter(|l| memmem(l, &needle)) {
                if let Ok(e) = serde_json::from_slice::<JournalEntry>(line)
                    && e.kind == kind
                    && e.at >= since
                {
                    out.push(e);
                }
            }
        }
        out.sort_by_key(|e| e.at);
        Ok(out)
    }

    /// Notes of earlier shifts (the last [`standing::BLOCKER_DAYS`] days,
    /// not `current`) that stand until cleared: credential blockers and the
    /// notes clearing them. Lines are matched as bytes first.
    ///
    /// [`standing::BLOCKER_DAYS`]: crate::domain::handover::standing::BLOCKER_DAYS
    pub fn standing(&self, current: &str, now: DateTime<Utc>) -> io::Result<Vec<JournalEntry>> {
        use crate::domain::handover::standing::{BLOCKER, BLOCKER_DAYS, CLEARED};
        let horizon = now - chrono::Duration::days(BLOCKER_DAYS);
        let needle = b"cred-";
        let mut out = Vec::new();
        for (id, path) in self.shift_files()? {
            if id == current || start_of(&id).is_some_and(|s| s < horizon) {
                continue;
            }
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for line in bytes.split(|&b| b == b'\n').filter(|l| memmem(l, needle)) {
                if let Ok(e) = serde_json::from_slice::<JournalEntry>(line)
                    && e.kind == EntryKind::Note
                    && e.tags().iter().any(|t| t == BLOCKER || t == CLEARED)
                {
                    out.push(e);
                }
            }
        }
        out.sort_by_key(|e| e.at);
        Ok(out)
    }

    /// Every entry whose line contains all the words (case-insensitive),
    /// across all shifts, oldest first. Lines are filtered as bytes before
    /// any is parsed.
    pub fn search(&self, words: &[String]) -> io::Result<Vec<JournalEntry>> {
        let needles: Vec<Vec<u8>> = words
            .iter()
            .map(|w| w.to_lowercase().into_bytes())
            .filter(|w| !w.is_empty())
            .collect();
        let mut out = Vec::new();
        let mut lower = Vec::new();
        for (_, path) in self.shift_files()? {
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            for line in bytes.split(|&b| b == b'\n') {
                lower.clear();
                lower.extend(line.iter().map(u8::to_ascii_lowercase));
                if needles.iter().all(|n| memmem(&lower, n))
                    && let Ok(e) = serde_json::from_slice::<JournalEntry>(line)
                {
                    // The words must be in what the entry says, not only in its keys.
                    let said = format!(
                        "{} {} {}",
                        e.operator,
                        e.shift,
                        serde_json::Value::Object(e.fields.clone())
                    )
                    .to_lowercase();
                    if words.iter().all(|w| said.contains(&w.to_lowercase())) {
                        out.push(e);
                    }
                }
            }
        }
        Ok(out)
    }

    fn drafts_dir(&self) -> PathBuf {
        self.dir.join("drafts")
    }

    fn draft_path(&self, operator: &str) -> PathBuf {
        let who = &shift_id(Utc::now(), operator)[14..];
        self.drafts_dir().join(format!("{who}.txt"))
    }

    /// Keep the note being typed on disk (atomically replaced, synced).
    pub fn save_draft(&self, operator: &str, text: &str) -> io::Result<()> {
        if text.is_empty() {
            return self.clear_draft(operator);
        }
        atomic_write(&self.draft_path(operator), text.as_bytes())
    }

    pub fn load_draft(&self, operator: &str) -> io::Result<Option<String>> {
        match std::fs::read_to_string(self.draft_path(operator)) {
            Ok(s) if !s.is_empty() => Ok(Some(s)),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn clear_draft(&self, operator: &str) -> io::Result<()> {
        match std::fs::remove_file(self.draft_path(operator)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn handover_dir(&self) -> PathBuf {
        self.dir.join("handover")
    }

    /// Write a shift's handover report (atomically).
    pub fn write_handover(&self, shift: &str, markdown: &str) -> io::Result<PathBuf> {
        let team = super::team::before_write(self.dir.parent().unwrap_or(&self.dir))?;
        let path = self.handover_dir().join(format!("{shift}.md"));
        atomic_write(&path, markdown.as_bytes())?;
        super::team::after_write(team);
        Ok(path)
    }

    /// Publish a shift's handover: the Markdown file, then the journal
    /// entries saying so and ending the shift.
    pub fn publish_handover(
        &self,
        shift: &Shift,
        markdown: &str,
        now: DateTime<Utc>,
    ) -> Result<PathBuf, String> {
        let path = self
            .write_handover(&shift.id, markdown)
            .map_err(|e| format!("handover NOT written: {e}"))?;
        let shown = path.display().to_string();
        let published = JournalEntry::new(
            now,
            &shift.id,
            &shift.operator,
            EntryKind::HandoverPublished,
        )
        .with("path", shown);
        self.append(shift, &published)
            .map_err(|e| format!("handover written to {}, but {e}", path.display()))?;
        let end = JournalEntry::new(now, &shift.id, &shift.operator, EntryKind::ShiftEnd);
        self.append(shift, &end).map_err(|e| {
            format!(
                "handover written to {}, but ending the shift: {e}",
                path.display()
            )
        })?;
        Ok(path)
    }

    /// The newest published handover of a shift other than `current`.
    pub fn latest_handover(&self, current: &str) -> io::Result<Option<Handover>> {
        let rd = match std::fs::read_dir(self.handover_dir()) {
            Ok(rd) => rd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut best: Option<(String, PathBuf)> = None;
        for entry in rd {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(shift) = name.strip_suffix(".md") else {
                continue;
            };
            if shift == current || start_of(shift).is_none() {
                continue;
            }
            if best
                .as_ref()
                .is_none_or(|(b, _)| shift.get(..13) > b.get(..13))
            {
                best = Some((shift.to_string(), entry.path()));
            }
        }
        match best {
            Some((shift, path)) => Ok(Some(Handover {
                markdown: std::fs::read_to_string(&path)?,
                shift,
                path,
            })),
            None => Ok(None),
        }
    }
}

/// Read a whole shift file: entries and the lines that could not be used.
pub fn read_all(path: &Path) -> io::Result<(Vec<JournalEntry>, Vec<LineIssue>)> {
    let mut tail = JsonlTail::new(path.to_path_buf());
    let r = tail.read_new::<JournalEntry>()?;
    let mut issues = r.issues;
    if let Some(frag) = tail.trailing_fragment()? {
        issues.push(frag);
    }
    Ok((r.items, issues))
}

fn memmem(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

/// Temp file in the same directory → fsync → rename → fsync the directory.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("no parent directory"))?;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests;
