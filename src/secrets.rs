//! Where credentials come from: the process environment, and the optional
//! `env_file` of `shiftdeck.toml` (the runbooks keep them in `.env.local`).
//!
//! The file must be readable by its owner only (0600): one that others can
//! read is refused whole and said so, since its values are already exposed.
//! It is looked at again whenever its size, time or inode changes, so a
//! value rotated in it (a second Slack webhook swapped in) is used by the
//! next request, without a restart. A variable set in the file wins over the
//! same one in the environment: the file is the one that can change while
//! the app runs. Every value read from it is handed to the redactor too, so
//! neither the old nor the new value ever reaches the journal.

use crate::diagnostic::FileProblem;
use crate::domain::redact::LiveSecrets;
use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

/// The value of credential or setting variable `name`: the env file's when
/// it sets it, else the environment's; trimmed, `None` when empty.
pub fn var(name: &str) -> Option<String> {
    let from_file = {
        let mut file = SOURCE.lock().unwrap_or_else(|e| e.into_inner());
        file.as_mut().and_then(|f| f.get(name))
    };
    from_file
        .or_else(|| std::env::var(name).ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Read credentials from `path` from now on (`None`: the environment only).
/// Returns what is wrong with the file, for the start-up problem list.
pub fn use_file(path: Option<PathBuf>) -> Vec<FileProblem> {
    let mut file = path.map(EnvFile::new);
    let problems = file.as_mut().map(EnvFile::load).unwrap_or_default();
    *SOURCE.lock().unwrap_or_else(|e| e.into_inner()) = file;
    problems
}

/// Every value a variable has had from the env file, for the redactor.
pub fn live() -> Arc<LiveSecrets> {
    LIVE.clone()
}

static SOURCE: Mutex<Option<EnvFile>> = Mutex::new(None);
static LIVE: LazyLock<Arc<LiveSecrets>> = LazyLock::new(Arc::default);

/// One env file, re-read when it changes.
pub struct EnvFile {
    path: PathBuf,
    /// (modified ns, length, inode) when it was last read.
    seen: Option<(i128, u64, u64)>,
    values: BTreeMap<String, String>,
}

impl EnvFile {
    pub fn new(path: PathBuf) -> EnvFile {
        EnvFile {
            path,
            seen: None,
            values: BTreeMap::new(),
        }
    }

    /// The file's value for `name`, looking at the file again first if it
    /// has changed since it was last read.
    pub fn get(&mut self, name: &str) -> Option<String> {
        if self.stamp() != self.seen {
            self.load();
        }
        self.values.get(name).cloned()
    }

    fn stamp(&self) -> Option<(i128, u64, u64)> {
        let meta = std::fs::metadata(&self.path).ok()?;
        let ns = meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128;
        Some((ns, meta.len(), meta.ino()))
    }

    /// Read the file. A file others can read, or one that cannot be read,
    /// gives no values; a bad line costs that line only.
    pub fn load(&mut self) -> Vec<FileProblem> {
        self.seen = self.stamp();
        self.values.clear();
        let path = self.path.clone();
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return vec![FileProblem::new(
                    &path,
                    None,
                    "env_file: not found (credentials come from the environment only)",
                )];
            }
            Err(e) => {
                return vec![FileProblem::new(&path, None, format!("cannot read: {e}"))];
            }
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return vec![FileProblem::new(
                &path,
                None,
                format!(
                    "env_file: readable by others (mode {mode:04o}); run chmod 600 {} — \
                     none of its values is used until then",
                    path.display()
                ),
            )];
        }
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => return vec![FileProblem::new(&path, None, format!("cannot read: {e}"))],
        };
        let (values, problems) = parse(&path, &text);
        for (name, value) in &values {
            LIVE.put(name, value);
        }
        self.values = values;
        problems
    }
}

/// `NAME=value` lines: `export` before the name, `#` comments, blank lines
/// and single or double quotes around the value are allowed.
pub fn parse(path: &Path, text: &str) -> (BTreeMap<String, String>, Vec<FileProblem>) {
    let mut values = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        let Some((name, value)) = line.split_once('=') else {
            problems.push(FileProblem::new(
                path,
                Some(i + 1),
                "expected NAME=value (the line is not used)",
            ));
            continue;
        };
        let name = name.trim();
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            // The name is shown: a value never is.
            problems.push(FileProblem::new(
                path,
                Some(i + 1),
                format!(
                    "{}: not a variable name (letters, digits and _; the line is not used)",
                    crate::domain::sanitize::line(name)
                ),
            ));
            continue;
        }
        let value = value.trim();
        let value = match (value.chars().next(), value.chars().last()) {
            (Some(q @ ('"' | '\'')), Some(e)) if q == e && value.len() >= 2 => {
                &value[1..value.len() - 1]
            }
            (Some('"' | '\''), _) => {
                problems.push(FileProblem::new(
                    path,
                    Some(i + 1),
                    format!("{name}: the quote is not closed (the line is not used)"),
                ));
                continue;
            }
            _ => value,
        };
        values.insert(name.to_string(), value.to_string());
    }
    (values, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(path: &Path, text: &str, mode: u32) {
        let tmp = path.with_extension("tmp");
        let mut f = std::fs::File::create(&tmp).unwrap();
        f.write_all(text.as_bytes()).unwrap();
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode)).unwrap();
        std::fs::rename(&tmp, path).unwrap();
    }

    #[test]
    fn lines_quotes_exports_and_comments() {
        let (v, p) = parse(
            Path::new("/ws/.env.local"),
            "# Day-1 credentials\n\nexport DD_API_KEY=abc123def456\nSLACK_WEBHOOK_URL=\"https://hooks.example/x\"\nOPSGENIE_REGION='eu'\nEMPTY=\n",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(v["DD_API_KEY"], "abc123def456");
        assert_eq!(v["SLACK_WEBHOOK_URL"], "https://hooks.example/x");
        assert_eq!(v["OPSGENIE_REGION"], "eu");
        assert_eq!(v["EMPTY"], "");
    }

    #[test]
    fn a_bad_line_is_named_by_line_and_costs_only_itself() {
        let (v, p) = parse(
            Path::new("/ws/.env.local"),
            "GOOD=value-one\nthis is not a line\n9BAD=x\nOPEN=\"never closed\nALSO_GOOD=two\n",
        );
        assert_eq!(v.len(), 2);
        let shown: Vec<String> = p.iter().map(|p| p.to_string()).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(shown[0].contains(".env.local:2") && shown[0].contains("NAME=value"));
        assert!(shown[1].contains(".env.local:3") && shown[1].contains("9BAD"));
        assert!(shown[2].contains(".env.local:4") && shown[2].contains("OPEN"));
        assert!(
            !shown.iter().any(|s| s.contains("never closed")),
            "no value shown"
        );
    }

    #[test]
    fn a_file_others_can_read_is_refused_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env.local");
        write(&path, "DD_API_KEY=abc123def456\n", 0o644);
        let mut f = EnvFile::new(path.clone());
        let p = f.load();
        assert_eq!(p.len(), 1);
        let shown = p[0].to_string();
        assert!(
            shown.contains("mode 0644") && shown.contains("chmod 600"),
            "{shown}"
        );
        assert!(!shown.contains("abc123def456"));
        assert_eq!(f.get("DD_API_KEY"), None);
        // Fixed: the next look uses it, without a restart.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write(&path, "DD_API_KEY=abc123def456\n", 0o600);
        assert_eq!(f.get("DD_API_KEY").as_deref(), Some("abc123def456"));
    }

    #[test]
    fn a_rotated_value_is_used_at_once_and_both_stay_redacted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env.local");
        write(
            &path,
            "SLACK_WEBHOOK_URL=https://first.example/old-hook-1\n",
            0o600,
        );
        let mut f = EnvFile::new(path.clone());
        assert!(f.load().is_empty());
        assert_eq!(
            f.get("SLACK_WEBHOOK_URL").as_deref(),
            Some("https://first.example/old-hook-1")
        );
        // Swapped by an editor's rename, same length: the inode tells.
        write(
            &path,
            "SLACK_WEBHOOK_URL=https://first.example/new-hook-2\n",
            0o600,
        );
        assert_eq!(
            f.get("SLACK_WEBHOOK_URL").as_deref(),
            Some("https://first.example/new-hook-2")
        );
        let r = crate::domain::redact::Redactor::new(Vec::new())
            .with_live(live(), &["SLACK_WEBHOOK_URL"]);
        let out =
            r.redact("old https://first.example/old-hook-1 new https://first.example/new-hook-2");
        assert_eq!(
            out.text,
            "old [redacted:SLACK_WEBHOOK_URL] new [redacted:SLACK_WEBHOOK_URL]"
        );
    }

    #[test]
    fn a_missing_file_is_said_and_gives_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = EnvFile::new(dir.path().join(".env.local"));
        let p = f.load();
        assert!(p[0].to_string().contains("not found"), "{:?}", p);
        assert_eq!(f.get("X"), None);
    }

    #[test]
    fn the_files_value_wins_over_the_environments_and_a_blank_one_blanks_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env.local");
        // Names only this test uses, so the process-wide source is not raced.
        write(
            &path,
            "SHIFTDECK_SECRETS_TEST_WINS=from-the-file\nSHIFTDECK_SECRETS_TEST_BLANK=\n",
            0o600,
        );
        assert!(use_file(Some(path)).is_empty());
        // SAFETY: only this test reads or writes these variables.
        unsafe {
            std::env::set_var("SHIFTDECK_SECRETS_TEST_WINS", "from-the-env");
            std::env::set_var("SHIFTDECK_SECRETS_TEST_BLANK", "from-the-env");
            std::env::set_var("SHIFTDECK_SECRETS_TEST_ENV_ONLY", "env-only");
        }
        assert_eq!(
            var("SHIFTDECK_SECRETS_TEST_WINS").as_deref(),
            Some("from-the-file")
        );
        assert_eq!(var("SHIFTDECK_SECRETS_TEST_BLANK"), None);
        assert_eq!(
            var("SHIFTDECK_SECRETS_TEST_ENV_ONLY").as_deref(),
            Some("env-only")
        );
        use_file(None);
        assert_eq!(
            var("SHIFTDECK_SECRETS_TEST_WINS").as_deref(),
            Some("from-the-env")
        );
    }
}
