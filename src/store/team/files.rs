//! The workspace's side of the copy: which files hold which stream, the id
//! of each line, appending a line only once, and what has been copied.
//!
//! A line's id is a name-based UUID of its stream, its file and its exact
//! bytes, so the same line always has the same id on every host: copying
//! it twice, from either side, is a no-op.

use crate::store::journal::atomic_write;
use crate::store::jsonl::LockedAppend;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The namespace of every line id.
const NAMESPACE: Uuid = Uuid::from_u128(0x5d1f_7c2e_93a4_4b0e_8f61_2c7d_a9e3_0b48);

/// The single-file streams and where they live.
pub const SINGLE: &[(&str, &str)] = &[
    ("incidents", "incidents/incidents.jsonl"),
    ("events", "incidents/events.jsonl"),
    ("outbox", "incidents/outbox.jsonl"),
    ("messages", "messages/outbox.jsonl"),
];

/// A line's id: the same bytes in the same place are the same line.
pub fn line_id(stream: &str, file_key: &str, line: &str) -> Uuid {
    let mut name = Vec::with_capacity(stream.len() + file_key.len() + line.len() + 2);
    name.extend_from_slice(stream.as_bytes());
    name.push(b'\n');
    name.extend_from_slice(file_key.as_bytes());
    name.push(b'\n');
    name.extend_from_slice(line.as_bytes());
    Uuid::new_v5(&NAMESPACE, &name)
}

/// One file of a stream in this workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamFile {
    pub stream: &'static str,
    /// The journal file's stem; empty for the single-file streams.
    pub file_key: String,
    /// Relative to the workspace root.
    pub rel: String,
}

impl StreamFile {
    /// Where a row of the team store goes in this workspace, or `None` for
    /// a row no file takes (a journal key that is not a plain file name).
    pub fn for_row(stream: &str, key: &str) -> Option<StreamFile> {
        if stream == "journal" {
            if !safe_stem(key) {
                return None;
            }
            return Some(StreamFile {
                stream: "journal",
                file_key: key.to_string(),
                rel: format!("journal/{key}.jsonl"),
            });
        }
        SINGLE
            .iter()
            .find(|(s, _)| *s == stream)
            .map(|(s, rel)| StreamFile {
                stream: s,
                file_key: String::new(),
                rel: rel.to_string(),
            })
    }

    /// The key a row of this line carries: the incident for declarations
    /// and events (what a change is checked under), the journal file, else
    /// the action's id.
    pub fn row_key(&self, line: &str) -> String {
        if self.stream == "journal" {
            return self.file_key.clone();
        }
        let field = match self.stream {
            "incidents" => "id",
            "events" => "incident_id",
            _ => "id",
        };
        serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .and_then(|v| v.get(field).and_then(|f| f.as_str()).map(str::to_string))
            .unwrap_or_default()
    }

    pub fn id(&self, line: &str) -> Uuid {
        line_id(self.stream, &self.file_key, line)
    }
}

/// A journal file stem another host may name: letters, digits, `-`, `_`, `.`.
fn safe_stem(key: &str) -> bool {
    !key.is_empty()
        && !key.starts_with('.')
        && !key.starts_with("unsaved-")
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'))
}

/// Every stream file in the workspace now: the four single files and the
/// shift journals (not drafts, intents or fallback files).
pub fn stream_files(root: &Path) -> Vec<StreamFile> {
    let mut out: Vec<StreamFile> = SINGLE
        .iter()
        .map(|(s, rel)| StreamFile {
            stream: s,
            file_key: String::new(),
            rel: rel.to_string(),
        })
        .collect();
    if let Ok(rd) = std::fs::read_dir(root.join("journal")) {
        let mut names: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".jsonl").map(str::to_string))
            .filter(|stem| safe_stem(stem))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|stem| StreamFile {
            stream: "journal",
            rel: format!("journal/{stem}.jsonl"),
            file_key: stem,
        }));
    }
    out
}

/// The complete lines of a file from `offset`, and the offset after them
/// (a torn last line is left for later).
pub fn lines_from(path: &Path, offset: u64) -> io::Result<(Vec<String>, u64)> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    // A file replaced by a shorter one is read again from the start.
    let start = if offset > len { 0 } else { offset };
    file.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::with_capacity((len - start) as usize);
    file.read_to_end(&mut buf)?;
    let complete = buf.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let lines = String::from_utf8_lossy(&buf[..complete])
        .split('\n')
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    Ok((lines, start + complete as u64))
}

/// The ids of a file's lines, read as far as it goes, kept up to date as
/// lines are appended (by anyone), so a row is appended only once.
#[derive(Default)]
pub struct Known {
    files: HashMap<String, (u64, HashSet<Uuid>)>,
}

impl Known {
    /// Append the rows a file does not have yet, under its lock; returns
    /// how many were new.
    pub fn append_new(
        &mut self,
        root: &Path,
        file: &StreamFile,
        rows: &[String],
    ) -> io::Result<usize> {
        let path = root.join(&file.rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut lock = LockedAppend::open(&path)?;
        let (offset, ids) = self.files.entry(file.rel.clone()).or_default();
        let (seen, end) = lines_from(&path, *offset)?;
        if end < *offset {
            ids.clear();
        }
        ids.extend(seen.iter().map(|l| file.id(l)));
        *offset = end;
        let new: Vec<&str> = rows
            .iter()
            .filter(|row| ids.insert(file.id(row)))
            .map(String::as_str)
            .collect();
        match lock.append_raw(&new) {
            Ok(()) => {
                *offset = std::fs::metadata(&path)?.len();
                Ok(new.len())
            }
            Err(e) => {
                // Not written: read the file afresh next time.
                self.files.remove(&file.rel);
                Err(e)
            }
        }
    }
}

/// What has been copied, kept in `team/copy.json` in the workspace: per
/// team store (a copy pointed at another database starts again).
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
pub struct CopyState {
    #[serde(default)]
    pub store_id: String,
    /// Rows of the team store up to this sequence number are in the files.
    #[serde(default)]
    pub pulled: i64,
    /// Bytes of each stream file already in the team store.
    #[serde(default)]
    pub pushed: BTreeMap<String, u64>,
    /// The content hash of each approval record and handover as last copied.
    #[serde(default)]
    pub approvals: BTreeMap<String, String>,
    #[serde(default)]
    pub documents: BTreeMap<String, String>,
    /// Kept in memory only (an import reads a workspace, never writes it).
    #[serde(skip)]
    pub scratch: bool,
}

pub fn state_path(root: &Path) -> PathBuf {
    root.join("team").join("copy.json")
}

impl CopyState {
    /// The state for this store; a missing, broken or other store's file starts over.
    pub fn load(root: &Path, store_id: &str) -> CopyState {
        let read = std::fs::read_to_string(state_path(root))
            .ok()
            .and_then(|t| serde_json::from_str::<CopyState>(&t).ok());
        match read {
            Some(s) if s.store_id == store_id => s,
            _ => CopyState {
                store_id: store_id.to_string(),
                ..CopyState::default()
            },
        }
    }

    /// The state last saved, whichever store it was for (what is waiting
    /// while no store can be asked).
    pub fn load_last(root: &Path) -> CopyState {
        std::fs::read_to_string(state_path(root))
            .ok()
            .and_then(|t| serde_json::from_str::<CopyState>(&t).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, root: &Path) -> io::Result<()> {
        if self.scratch {
            return Ok(());
        }
        let json = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        atomic_write(&state_path(root), &json)
    }
}

/// A content hash, for "has this record changed since it was copied".
pub fn digest(text: &str) -> String {
    Uuid::new_v5(&NAMESPACE, text.as_bytes())
        .simple()
        .to_string()
}

/// Every approval record file: (id, state directory, text).
pub fn approval_files(root: &Path) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for state in crate::domain::approval::ApprovalState::ALL {
        let dir = root.join("approvals").join(state.as_str());
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(".json") else {
                continue;
            };
            if id.starts_with('.') {
                continue;
            }
            if let Ok(text) = std::fs::read_to_string(e.path()) {
                out.push((id.to_string(), state.as_str().to_string(), text));
            }
        }
    }
    out.sort();
    out
}

/// Every published handover: (shift, Markdown).
pub fn handover_files(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(root.join("journal").join("handover")) {
        for e in rd.filter_map(|e| e.ok()) {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".md")
                && safe_stem(stem)
                && let Ok(text) = std::fs::read_to_string(e.path())
            {
                out.push((stem.to_string(), text));
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_line_has_the_same_id_and_another_file_another() {
        let a = line_id("journal", "2026-12-01_x", "{\"a\":1}");
        assert_eq!(a, line_id("journal", "2026-12-01_x", "{\"a\":1}"));
        assert_ne!(a, line_id("journal", "2026-12-02_x", "{\"a\":1}"));
        assert_ne!(a, line_id("events", "", "{\"a\":1}"));
    }

    #[test]
    fn rows_go_to_their_files_and_odd_keys_nowhere() {
        let f = StreamFile::for_row("journal", "2026-12-01_20261201-1900-bo").unwrap();
        assert_eq!(f.rel, "journal/2026-12-01_20261201-1900-bo.jsonl");
        assert!(StreamFile::for_row("journal", "../../etc/passwd").is_none());
        assert!(StreamFile::for_row("journal", "unsaved-x").is_none());
        assert!(StreamFile::for_row("nope", "").is_none());
        let e = StreamFile::for_row("events", "").unwrap();
        assert_eq!(e.row_key("{\"incident_id\":\"inc_1\",\"x\":2}"), "inc_1");
    }

    #[test]
    fn a_row_is_appended_once_whoever_wrote_it_first() {
        let ws = tempfile::tempdir().unwrap();
        let f = StreamFile::for_row("events", "").unwrap();
        std::fs::create_dir_all(ws.path().join("incidents")).unwrap();
        std::fs::write(ws.path().join(&f.rel), "{\"n\":1}\n").unwrap();
        let mut known = Known::default();
        let rows = vec!["{\"n\":1}".to_string(), "{\"n\":2}".to_string()];
        assert_eq!(known.append_new(ws.path(), &f, &rows).unwrap(), 1);
        assert_eq!(known.append_new(ws.path(), &f, &rows).unwrap(), 0);
        // Another process appends the next one itself: still once.
        crate::store::jsonl::append_line(&ws.path().join(&f.rel), &serde_json::json!({"n": 3}))
            .unwrap();
        let rows = vec!["{\"n\":3}".to_string()];
        assert_eq!(known.append_new(ws.path(), &f, &rows).unwrap(), 0);
        let text = std::fs::read_to_string(ws.path().join(&f.rel)).unwrap();
        assert_eq!(text, "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
    }

    #[test]
    fn a_torn_last_line_waits() {
        let ws = tempfile::tempdir().unwrap();
        let p = ws.path().join("f.jsonl");
        std::fs::write(&p, "{\"a\":1}\n{\"b\":").unwrap();
        let (lines, end) = lines_from(&p, 0).unwrap();
        assert_eq!((lines, end), (vec!["{\"a\":1}".to_string()], 8));
    }
}
