//! Durable append-only JSON Lines files.
//!
//! The rules come from measurements on this kind of machine (see README,
//! "Durability"): one `write` of the whole line, newline included, to a file
//! opened with `O_APPEND`, under an exclusive `flock`, then `fdatasync`.
//! Before appending, a file that does not end in a newline (a line torn by a
//! crash) gets one, so the torn fragment never swallows the next record.
//! Nothing here ever rewrites or truncates a file.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

/// A line that could not be used, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIssue {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LineIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {} (line left in place, skipped)",
            self.path.display(),
            self.line,
            self.message
        )
    }
}

/// An exclusive, locked handle for appending to one JSONL file. The lock is
/// released when the handle is dropped.
pub struct LockedAppend {
    file: File,
    path: PathBuf,
}

impl LockedAppend {
    /// Open (creating if needed) and take the exclusive lock. Blocks while
    /// another process holds it; writers hold it for one line.
    pub fn open(path: &Path) -> io::Result<LockedAppend> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(path)?;
        file.lock()?;
        Ok(LockedAppend {
            file,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one value as one line, durably. Returns once the data is on
    /// disk. A failed sync is reported, never retried: the caller must treat
    /// the entry as unsaved.
    pub fn append<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        let mut buf = Vec::with_capacity(256);
        serde_json::to_writer(&mut buf, value).map_err(io::Error::other)?;
        debug_assert!(
            !buf.contains(&b'\n'),
            "compact JSON never holds a raw newline"
        );
        self.write_line(buf)
    }

    /// Append one line already serialised (a copy of another host's line,
    /// byte for byte), durably. A line holding a newline is refused.
    /// Several lines go in one write and one sync.
    pub fn append_raw(&mut self, lines: &[&str]) -> io::Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let mut joined = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for (i, line) in lines.iter().enumerate() {
            if line.is_empty() || line.contains('\n') || line.contains('\r') {
                return Err(io::Error::other("a line must be one non-empty line"));
            }
            if i > 0 {
                joined.push(b'\n');
            }
            joined.extend_from_slice(line.as_bytes());
        }
        self.write_line(joined)
    }

    fn write_line(&mut self, line: Vec<u8>) -> io::Result<()> {
        let mut buf = Vec::with_capacity(line.len() + 2);
        let len = self.file.metadata()?.len();
        if len > 0 {
            let mut last = [0u8; 1];
            self.file.read_exact_at(&mut last, len - 1)?;
            if last[0] != b'\n' {
                buf.push(b'\n');
            }
        }
        buf.extend_from_slice(&line);
        buf.push(b'\n');
        self.file.write_all(&buf)?;
        self.file.sync_data()
    }
}

/// Append one value to a JSONL file durably (open, lock, append, sync).
pub fn append_line<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    LockedAppend::open(path)?.append(value)
}

/// Every complete line of a whole JSONL file (a missing file is none): a
/// tail read from the start. A torn last line — what a crash mid-write
/// leaves, never reported as written — is not read; a bad line is reported
/// with its number and left in place.
pub fn read_all<T: DeserializeOwned + Send>(path: &Path) -> io::Result<(Vec<T>, Vec<LineIssue>)> {
    let r = JsonlTail::new(path.to_path_buf()).read_new::<T>()?;
    Ok((r.items, r.issues))
}

/// What one read of a file's new lines produced.
#[derive(Debug)]
pub struct TailRead<T> {
    pub items: Vec<T>,
    pub issues: Vec<LineIssue>,
    /// The file was replaced or shrank: everything read before is void and
    /// `items` holds the whole file again.
    pub reset: bool,
}

impl<T> Default for TailRead<T> {
    fn default() -> Self {
        TailRead {
            items: Vec::new(),
            issues: Vec::new(),
            reset: false,
        }
    }
}

/// Reads a JSONL file incrementally: each call returns only the complete
/// lines added since the last one. A missing file reads as empty.
#[derive(Debug, Clone)]
pub struct JsonlTail {
    path: PathBuf,
    offset: u64,
    lines: usize,
    identity: Option<(u64, u64)>,
}

impl JsonlTail {
    pub fn new(path: PathBuf) -> JsonlTail {
        JsonlTail {
            path,
            offset: 0,
            lines: 0,
            identity: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file has bytes not read yet (cheap: one `stat`).
    pub fn has_news(&self) -> bool {
        match std::fs::metadata(&self.path) {
            Ok(m) => Some((m.dev(), m.ino())) != self.identity || m.len() != self.offset,
            Err(_) => self.identity.is_some(),
        }
    }

    pub fn read_new<T: DeserializeOwned + Send>(&mut self) -> io::Result<TailRead<T>> {
        let mut out = TailRead::default();
        let mut file = match File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if self.identity.take().is_some() {
                    out.reset = true;
                    self.offset = 0;
                    self.lines = 0;
                }
                return Ok(out);
            }
            Err(e) => return Err(e),
        };
        let meta = file.metadata()?;
        let identity = Some((meta.dev(), meta.ino()));
        if (self.identity.is_some() && identity != self.identity) || meta.len() < self.offset {
            out.reset = true;
            self.offset = 0;
            self.lines = 0;
        }
        self.identity = identity;
        if meta.len() == self.offset {
            return Ok(out);
        }
        file.seek(SeekFrom::Start(self.offset))?;
        // Read in blocks so a year of history never sits in memory twice
        // (raw bytes and parsed values); parse each block on every core.
        let mut carry: Vec<u8> = Vec::new();
        let mut block = vec![0u8; BLOCK];
        loop {
            let n = file.read(&mut block)?;
            if n == 0 {
                break;
            }
            carry.extend_from_slice(&block[..n]);
            let Some(last_nl) = carry.iter().rposition(|&b| b == b'\n') else {
                continue;
            };
            let complete = last_nl + 1;
            self.parse_lines(&carry[..complete], &mut out);
            self.offset += complete as u64;
            carry.drain(..complete);
        }
        Ok(out)
    }

    /// Parse whole lines (the slice ends with a newline), in parallel when
    /// there are many, keeping file order and line numbers.
    fn parse_lines<T: DeserializeOwned + Send>(&mut self, bytes: &[u8], out: &mut TailRead<T>) {
        let parts = if bytes.len() < PARALLEL_FROM {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(4)
        };
        let mut chunks: Vec<&[u8]> = Vec::with_capacity(parts);
        let mut rest = bytes;
        for i in (1..parts).rev() {
            let target = rest.len() / (i + 1);
            match rest[target..].iter().position(|&b| b == b'\n') {
                Some(p) => {
                    let (a, b) = rest.split_at(target + p + 1);
                    chunks.push(a);
                    rest = b;
                }
                None => break,
            }
        }
        chunks.push(rest);
        let path = &self.path;
        let results: Vec<Parsed<T>> = if chunks.len() == 1 {
            vec![parse_chunk(chunks[0])]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = chunks
                    .iter()
                    .map(|c| scope.spawn(move || parse_chunk::<T>(c)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|_| (Vec::new(), Vec::new(), 0)))
                    .collect()
            })
        };
        for (items, issues, lines) in results {
            out.items.extend(items);
            out.issues
                .extend(issues.into_iter().map(|(rel, message)| LineIssue {
                    path: path.clone(),
                    line: self.lines + rel,
                    message,
                }));
            self.lines += lines;
        }
    }
    /// Bytes after the last newline: a line still being written or torn by
    /// a crash. Reported once, at load, by the caller.
    pub fn trailing_fragment(&self) -> io::Result<Option<LineIssue>> {
        match std::fs::metadata(&self.path) {
            Ok(m) if m.len() > self.offset => Ok(Some(LineIssue {
                path: self.path.clone(),
                line: self.lines + 1,
                message: format!(
                    "incomplete last line ({} bytes without a newline): torn by a crash or still being written",
                    m.len() - self.offset
                ),
            })),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Bytes read from disk at a time.
const BLOCK: usize = 4 << 20;
/// Below this many bytes, one thread parses faster than several.
const PARALLEL_FROM: usize = 256 << 10;

/// Values, problems by line, and the line count of one parsed chunk.
type Parsed<T> = (Vec<T>, Vec<(usize, String)>, usize);

/// Parse a run of whole lines: the values, the problems by line (1-based
/// within the chunk), and how many lines there were.
fn parse_chunk<T: DeserializeOwned>(bytes: &[u8]) -> Parsed<T> {
    let mut items = Vec::with_capacity(bytes.len() / 128);
    let mut issues = Vec::new();
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let mut lines = 0;
    for raw in body.split(|&b| b == b'\n') {
        lines += 1;
        let trimmed = raw.trim_ascii();
        if trimmed.is_empty() {
            continue;
        }
        match serde_json::from_slice::<T>(trimmed) {
            Ok(v) => items.push(v),
            Err(e) => issues.push((lines, describe_json_error(&e, trimmed))),
        }
    }
    (items, issues, lines)
}

fn describe_json_error(e: &serde_json::Error, line: &[u8]) -> String {
    // serde_json files some wrong values (an unknown enum name, a number
    // where a name is expected) under syntax: tell them apart by parsing
    // the line as plain JSON.
    if serde_json::from_slice::<serde_json::Value>(line).is_err() {
        return format!("not valid JSON: {e}");
    }
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    match field_before(line, e.column()) {
        Some(field) => format!("field \"{field}\": {msg}"),
        None => msg,
    }
}

/// The name of the JSON field whose value ends at or before `column` (1-based).
fn field_before(line: &[u8], column: usize) -> Option<String> {
    let text = String::from_utf8_lossy(&line[..column.min(line.len())]).into_owned();
    let colon = text.rfind("\":")?;
    let start = text[..colon].rfind('"')? + 1;
    Some(text[start..colon].to_string())
}

#[cfg(test)]
mod tests;
