//! Evidence on an incident (seed 004: `artifacts.jsonl` and files under
//! `incidents/<incident_id>/`, md/json/txt, 2 MB at most; seed 002 §6:
//! "preserve logs … include the failing verify output verbatim"). What may
//! be attached, and how it is named; the files and the index are the
//! store's.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The largest file taken, in bytes.
pub const MAX_BYTES: u64 = 2 * 1024 * 1024;

/// The kinds of file taken, by extension.
pub const EXTENSIONS: &[&str] = &["md", "json", "txt", "log"];

/// One line of `incidents/artifacts.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Artifact {
    pub id: String,
    pub incident_id: String,
    #[serde(deserialize_with = "super::time::deserialize")]
    pub at: DateTime<Utc>,
    pub by: String,
    /// The file's name under `incidents/<incident_id>/`.
    pub name: String,
    pub bytes: u64,
    /// Where it came from: the path given, or the command run.
    pub source: String,
    /// `file`, `command`.
    pub kind: String,
    /// Names of the secrets taken out of it on the way in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redacted: Vec<String>,
}

impl Artifact {
    /// Its path inside the workspace.
    pub fn path(&self) -> String {
        format!("incidents/{}/{}", self.incident_id, self.name)
    }

    /// One line for lists: "verify-all.log · 2.1 KB · command `…` · bo 03:12".
    pub fn line(&self, tz: chrono_tz::Tz) -> String {
        let from = if self.kind == "command" {
            format!("from `{}`", self.source)
        } else {
            format!("from {}", self.source)
        };
        let redacted = if self.redacted.is_empty() {
            String::new()
        } else {
            format!(" · redacted {}", self.redacted.join(", "))
        };
        format!(
            "{} · {} · {from} · {} {}{redacted}",
            self.name,
            size(self.bytes),
            self.by,
            self.at.with_timezone(&tz).format("%m-%d %H:%M")
        )
    }
}

/// "812 B", "2.1 KB", "1.4 MB".
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// Whether a file of this name and size may be attached; why not.
pub fn check_file(name: &str, bytes: u64) -> Result<(), String> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if !ext.as_deref().is_some_and(|e| EXTENSIONS.contains(&e)) {
        return Err(format!(
            "{name}: only .md, .json, .txt and .log files are attached (text the next operator can read)"
        ));
    }
    if bytes > MAX_BYTES {
        return Err(format!(
            "{name}: {} is over the 2 MB an attachment may be: attach the part that matters (tail -n 2000, a time window)",
            size(bytes)
        ));
    }
    Ok(())
}

/// A file name made from free text (a command): lower-case words joined by
/// dashes, at most 40 characters, with `ext`.
pub fn name_from(text: &str, ext: &str) -> String {
    let mut s = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
        if s.len() >= 40 {
            break;
        }
    }
    let s = s.trim_matches('-');
    format!("{}.{ext}", if s.is_empty() { "output" } else { s })
}

/// `name` made unique among `taken` (`x.log`, `x-2.log`, …).
pub fn unique(name: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == name) {
        return name.to_string();
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, "txt"));
    (2..)
        .map(|n| format!("{stem}-{n}.{ext}"))
        .find(|c| !taken.iter().any(|t| t == c))
        .unwrap_or_else(|| name.to_string())
}

/// A file name as given may not climb out of the incident's directory.
pub fn plain_name(path: &str) -> Option<String> {
    let name = std::path::Path::new(path)
        .file_name()?
        .to_str()?
        .to_string();
    (!name.starts_with('.') && !name.contains(['/', '\\'])).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_small_text_files_are_taken() {
        assert!(check_file("verify-all.log", 2_000).is_ok());
        assert!(check_file("notes.MD", 10).is_ok());
        let e = check_file("dump.tar.gz", 10).unwrap_err();
        assert!(e.contains(".md, .json, .txt and .log"), "{e}");
        let e = check_file("big.log", MAX_BYTES + 1).unwrap_err();
        assert!(e.contains("2.0 MB is over the 2 MB"), "{e}");
        assert!(check_file("exact.log", MAX_BYTES).is_ok());
    }

    #[test]
    fn names_are_made_plain_and_unique() {
        assert_eq!(
            name_from("journalctl -u operator-wiring --since -1h", "log"),
            "journalctl-u-operator-wiring-since-1h.log"
        );
        assert_eq!(name_from("!!", "log"), "output.log");
        let taken = vec!["x.log".to_string(), "x-2.log".to_string()];
        assert_eq!(unique("x.log", &taken), "x-3.log");
        assert_eq!(unique("y.log", &taken), "y.log");
        assert_eq!(plain_name("/var/log/a.log").as_deref(), Some("a.log"));
        assert_eq!(plain_name("../.env.log"), None);
        assert_eq!(size(2150), "2.1 KB");
    }
}
