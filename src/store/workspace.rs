//! The workspace: one directory holding all state (DESIGN.md). Created on
//! first run from the defaults bundled in `data/`; never overwritten.

use chrono::{DateTime, Utc};
use std::io;
use std::path::{Path, PathBuf};

/// Files written into a new workspace (path relative to the root, text).
const DEFAULTS: &[(&str, &str)] = &[
    ("shiftdeck.toml", include_str!("../../data/shiftdeck.toml")),
    ("contacts.toml", include_str!("../../data/contacts.toml")),
    (
        "checklists/credguard-monthly.toml",
        include_str!("../../data/checklists/credguard-monthly.toml"),
    ),
    (
        "checklists/credguard-security-audit.toml",
        include_str!("../../data/checklists/credguard-security-audit.toml"),
    ),
    (
        "checklists/credguard-weekly.toml",
        include_str!("../../data/checklists/credguard-weekly.toml"),
    ),
    (
        "checklists/day1-wiring.toml",
        include_str!("../../data/checklists/day1-wiring.toml"),
    ),
    (
        "checklists/export-center-daily.toml",
        include_str!("../../data/checklists/export-center-daily.toml"),
    ),
    (
        "checklists/export-center-weekly.toml",
        include_str!("../../data/checklists/export-center-weekly.toml"),
    ),
    (
        "checklists/morning-operations.toml",
        include_str!("../../data/checklists/morning-operations.toml"),
    ),
    (
        "checklists/noc-daily.toml",
        include_str!("../../data/checklists/noc-daily.toml"),
    ),
    (
        "checklists/noc-monthly.toml",
        include_str!("../../data/checklists/noc-monthly.toml"),
    ),
    (
        "checklists/noc-weekly.toml",
        include_str!("../../data/checklists/noc-weekly.toml"),
    ),
    (
        "checklists/shift-handover.toml",
        include_str!("../../data/checklists/shift-handover.toml"),
    ),
    (
        "checklists/noc-handoff.toml",
        include_str!("../../data/checklists/noc-handoff.toml"),
    ),
    (
        "checklists/wiring-rollout.toml",
        include_str!("../../data/checklists/wiring-rollout.toml"),
    ),
    (
        "checklists/wiring-verify-daily.toml",
        include_str!("../../data/checklists/wiring-verify-daily.toml"),
    ),
    (
        "checklists/wiring-monthly.toml",
        include_str!("../../data/checklists/wiring-monthly.toml"),
    ),
    (
        "checklists/wiring-quarterly.toml",
        include_str!("../../data/checklists/wiring-quarterly.toml"),
    ),
    (
        "checklists/playbook-token-leaked.toml",
        include_str!("../../data/checklists/playbook-token-leaked.toml"),
    ),
    (
        "checklists/playbook-netbox-api-down.toml",
        include_str!("../../data/checklists/playbook-netbox-api-down.toml"),
    ),
    (
        "checklists/playbook-web-ui-crash.toml",
        include_str!("../../data/checklists/playbook-web-ui-crash.toml"),
    ),
    (
        "checklists/playbook-rollout-incident.toml",
        include_str!("../../data/checklists/playbook-rollout-incident.toml"),
    ),
    (
        "checklists/playbook-export-replay.toml",
        include_str!("../../data/checklists/playbook-export-replay.toml"),
    ),
    (
        "checklists/playbook-export-restore.toml",
        include_str!("../../data/checklists/playbook-export-restore.toml"),
    ),
    (
        "checklists/playbook-kms-outage.toml",
        include_str!("../../data/checklists/playbook-kms-outage.toml"),
    ),
    (
        "checklists/playbook-export-prerelease.toml",
        include_str!("../../data/checklists/playbook-export-prerelease.toml"),
    ),
];

/// The demo's files. Their timestamps are shifted so that [`DEMO_NOW`]
/// becomes the moment the demo starts.
const DEMO: &[(&str, &str)] = &[
    (
        "journal/{{prev_date}}_{{prev}}.jsonl",
        include_str!("../../data/demo/journal/prev.jsonl"),
    ),
    (
        "journal/handover/{{prev}}.md",
        include_str!("../../data/demo/journal/handover/prev.md"),
    ),
    (
        "shiftdeck.toml",
        include_str!("../../data/demo/shiftdeck.toml"),
    ),
    (
        "contacts.toml",
        include_str!("../../data/demo/contacts.toml"),
    ),
    (
        "incidents/incidents.jsonl",
        include_str!("../../data/demo/incidents/incidents.jsonl"),
    ),
    (
        "incidents/events.jsonl",
        include_str!("../../data/demo/incidents/events.jsonl"),
    ),
    (
        "incidents/artifacts.jsonl",
        include_str!("../../data/demo/incidents/artifacts.jsonl"),
    ),
    (
        "incidents/inc_20260514_0207_6f40a2/verify-pagerduty.log",
        include_str!("../../data/demo/incidents/evidence/verify-pagerduty.log"),
    ),
    (
        "incidents/inc_20260514_0207_6f40a2/pd-service-integrations.json",
        include_str!("../../data/demo/incidents/evidence/pd-service-integrations.json"),
    ),
    (
        "approvals/applied/approval-0121.json",
        include_str!("../../data/demo/approvals/applied/approval-0121.json"),
    ),
    (
        "approvals/applied/approval-0136.json",
        include_str!("../../data/demo/approvals/applied/approval-0136.json"),
    ),
    (
        "approvals/approved/approval-0124.json",
        include_str!("../../data/demo/approvals/approved/approval-0124.json"),
    ),
    (
        "approvals/approved/approval-0133.json",
        include_str!("../../data/demo/approvals/approved/approval-0133.json"),
    ),
    (
        "approvals/pending/approval-0031.json",
        include_str!("../../data/demo/approvals/pending/approval-0031.json"),
    ),
    (
        "approvals/pending/approval-0118.json",
        include_str!("../../data/demo/approvals/pending/approval-0118.json"),
    ),
    (
        "approvals/pending/approval-0139.json",
        include_str!("../../data/demo/approvals/pending/approval-0139.json"),
    ),
    (
        "approvals/pending/approval-0142.json",
        include_str!("../../data/demo/approvals/pending/approval-0142.json"),
    ),
    (
        "approvals/proposed/approval-0143.json",
        include_str!("../../data/demo/approvals/proposed/approval-0143.json"),
    ),
    (
        "approvals/rejected/approval-0127.json",
        include_str!("../../data/demo/approvals/rejected/approval-0127.json"),
    ),
];

/// The instant the demo's story is told from.
pub const DEMO_NOW: &str = "2026-05-14T03:00:00Z";

/// Fields holding times in the demo's JSONL files.
const TIME_FIELDS: &[&str] = &["at", "started_at", "created_at", "updated_at", "due"];

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
}

impl Workspace {
    /// Pick the workspace directory: the flag, else `SHIFTDECK_WORKSPACE`
    /// (clap folds both into `flag`), else the platform data dir.
    pub fn locate(flag: Option<&Path>) -> io::Result<PathBuf> {
        if let Some(p) = flag {
            return Ok(p.to_path_buf());
        }
        directories::ProjectDirs::from("", "", "shiftdeck")
            .map(|d| d.data_dir().to_path_buf())
            .ok_or_else(|| {
                io::Error::other("no home directory to put the workspace in: pass --workspace DIR")
            })
    }

    /// Open a workspace, creating it from the bundled defaults when it does
    /// not exist. Existing files are never touched.
    pub fn open_or_create(root: &Path) -> io::Result<Workspace> {
        Workspace::open_or_create_at(root, Utc::now())
    }

    /// As `open_or_create`, a new workspace's Day 1 (`{{created}}` in the
    /// bundled rollout checklists) being `now`'s date.
    pub fn open_or_create_at(root: &Path, now: DateTime<Utc>) -> io::Result<Workspace> {
        // Only a new workspace gets the defaults: a checklist the team
        // deleted must not come back on the next start.
        let fresh = !root.join("shiftdeck.toml").exists();
        std::fs::create_dir_all(root)?;
        for dir in ["incidents", "journal", "checklists", "approvals"] {
            // Not fatal: a part that cannot be written says so where it is
            // used, and the rest of the workspace stays usable.
            let _ = std::fs::create_dir_all(root.join(dir));
        }
        if fresh {
            // The config last: it marks the workspace as set up.
            let created = now.format("%Y-%m-%d").to_string();
            for (rel, text) in DEFAULTS.iter().rev() {
                let text = text.replace("{{created}}", &created);
                write_new(&root.join(rel), text.as_bytes())?;
            }
        }
        Ok(Workspace {
            root: root.to_path_buf(),
        })
    }

    /// Why `root` is not a workspace to open as it is: `None` when it is
    /// one, or an empty directory made for one. A path that does not exist
    /// (a typo) or a directory of other files is not.
    pub fn not_a_workspace(root: &Path) -> Option<String> {
        if root.join("shiftdeck.toml").is_file() {
            return None;
        }
        match std::fs::read_dir(root).map(|mut rd| rd.next().is_none()) {
            Ok(true) => None,
            Ok(false) => Some(format!(
                "{} is not a shiftdeck workspace (it has no shiftdeck.toml)",
                root.display()
            )),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Some(format!(
                "no workspace at {}: no such directory",
                root.display()
            )),
            Err(e) => Some(format!("{}: {e}", root.display())),
        }
    }

    /// Open an existing workspace without creating anything (read-only use).
    pub fn open_existing(root: &Path) -> io::Result<Workspace> {
        if root.is_dir() {
            Ok(Workspace {
                root: root.to_path_buf(),
            })
        } else {
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("no workspace at {}", root.display()),
            ))
        }
    }

    /// Write the demo into a fresh directory, its clock shifted to `now`.
    pub fn create_demo(root: &Path, now: DateTime<Utc>) -> io::Result<Workspace> {
        let base: DateTime<Utc> = DEMO_NOW.parse().map_err(io::Error::other)?;
        let shift = now - base;
        Workspace::open_or_create_at(root, now)?;
        // The previous shift (its journal and its handover) ended just now.
        let prev_start = now - chrono::Duration::hours(12);
        let prev = crate::domain::journal::shift_id(prev_start, "bruno.costa");
        let prev_date = prev_start.format("%Y-%m-%d").to_string();
        let fill = |s: &str| {
            let s = s
                .replace("{{prev}}", &prev)
                .replace("{{prev_date}}", &prev_date);
            shift_ids(&s, shift)
        };
        for (rel, text) in DEMO {
            let rel = fill(rel);
            let text = fill(text);
            let text = text.as_str();
            let path = root.join(&rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // Evidence files are kept as they were attached.
            let evidence = rel.starts_with("incidents/inc_");
            let body = if evidence {
                text.to_string()
            } else if rel.ends_with(".json") {
                shift_json(text, shift)
            } else if rel.ends_with(".jsonl") {
                shift_times(text, shift)
            } else {
                text.to_string()
            };
            std::fs::write(&path, body)?;
        }
        Ok(Workspace {
            root: root.to_path_buf(),
        })
    }

    pub fn config_path(&self) -> PathBuf {
        self.root.join("shiftdeck.toml")
    }
}

fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut f) => {
            f.write_all(bytes)?;
            f.sync_all()
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Move the time an incident id encodes (`inc_YYYYMMDD_HHMM_tail`, its
/// declaration in UTC) by `shift`, wherever it is written: the demo's ids
/// read today's date as its times do.
fn shift_ids(text: &str, shift: chrono::Duration) -> String {
    use std::sync::LazyLock;
    static ID: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"inc_(\d{8})_(\d{4})_([0-9a-f]{6})").unwrap());
    if shift.is_zero() {
        return text.to_string();
    }
    ID.replace_all(text, |c: &regex::Captures| {
        let at =
            chrono::NaiveDateTime::parse_from_str(&format!("{}{}", &c[1], &c[2]), "%Y%m%d%H%M");
        match at {
            Ok(at) => {
                let moved = at.and_utc() + shift;
                format!("inc_{}_{}", moved.format("%Y%m%d_%H%M"), &c[3])
            }
            Err(_) => c[0].to_string(),
        }
    })
    .into_owned()
}

/// Move every time field, at any depth, of a JSON document by `shift`.
fn shift_json(text: &str, shift: chrono::Duration) -> String {
    fn walk(v: &mut serde_json::Value, shift: chrono::Duration) {
        match v {
            serde_json::Value::Object(obj) => {
                for (k, child) in obj.iter_mut() {
                    if let serde_json::Value::String(s) = child
                        && TIME_FIELDS.contains(&k.as_str())
                        && let Ok(t) = s.parse::<DateTime<Utc>>()
                    {
                        *s = (t + shift).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                    } else {
                        walk(child, shift);
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|c| walk(c, shift)),
            _ => {}
        }
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(mut v) => {
            walk(&mut v, shift);
            serde_json::to_string_pretty(&v).unwrap_or_else(|_| text.to_string()) + "\n"
        }
        Err(_) => text.to_string(),
    }
}

/// Move every time field of every JSON line by `shift`.
fn shift_times(text: &str, shift: chrono::Duration) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(mut v) => {
                if let Some(obj) = v.as_object_mut() {
                    for field in TIME_FIELDS {
                        if let Some(serde_json::Value::String(s)) = obj.get_mut(*field)
                            && let Ok(t) = s.parse::<DateTime<Utc>>()
                        {
                            *s = (t + shift).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                        }
                    }
                }
                out.push_str(&v.to_string());
            }
            Err(_) => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::IncidentStore;

    #[test]
    fn first_run_creates_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        let ws = Workspace::open_or_create(&root).unwrap();
        assert!(ws.config_path().is_file());
        assert!(root.join("incidents").is_dir() && root.join("journal").is_dir());
        std::fs::write(ws.config_path(), "operator = \"mine\"\n").unwrap();
        assert!(
            root.join("checklists/morning-operations.toml").is_file(),
            "the runbooks' checklists come with it"
        );
        std::fs::remove_file(root.join("checklists/morning-operations.toml")).unwrap();
        Workspace::open_or_create(&root).unwrap();
        assert!(
            !root.join("checklists/morning-operations.toml").exists(),
            "a deleted checklist stays deleted"
        );
        assert_eq!(
            std::fs::read_to_string(ws.config_path()).unwrap(),
            "operator = \"mine\"\n"
        );
    }

    #[test]
    fn demo_is_believable_and_moved_to_now() {
        let dir = tempfile::tempdir().unwrap();
        let now: DateTime<Utc> = "2030-01-01T12:00:00Z".parse().unwrap();
        Workspace::create_demo(dir.path(), now).unwrap();
        let (book, issues) = IncidentStore::new(dir.path()).load().unwrap();
        assert!(issues.is_empty(), "{issues:?}");
        assert!(book.len() >= 12, "at least 12 incidents");
        assert!(book.orphan_events() == 0);
        use crate::domain::{IncidentStatus, Severity};
        for sev in Severity::ALL {
            assert!(
                book.all().iter().any(|i| i.severity == sev),
                "{sev} present"
            );
        }
        for st in [
            IncidentStatus::Open,
            IncidentStatus::Acknowledged,
            IncidentStatus::Resolved,
        ] {
            assert!(book.all().iter().any(|i| i.status == st), "{st} present");
        }
        let latest = book
            .all()
            .iter()
            .flat_map(|i| i.timeline.iter().map(|e| e.at).chain([i.started_at]))
            .max()
            .unwrap();
        assert!(
            latest <= now && now - latest < chrono::Duration::hours(1),
            "story ends just before now"
        );
        assert!(
            book.all()
                .iter()
                .any(|i| matches!(i.countdown(now), crate::domain::Countdown::Breached(_)))
        );
        // A local id says when it was declared, as its time does: moved too,
        // and everything that names it (events, evidence, notes) moved along.
        for i in book.all().iter().filter(|i| i.remote.is_none()) {
            let minute = i.started_at.format("%Y%m%d_%H%M").to_string();
            assert!(i.id.contains(&minute), "{} started {}", i.id, i.started_at);
        }
        let everything: String = walk(dir.path());
        assert!(
            !everything.contains("inc_20260514"),
            "no id left at the old date"
        );
    }

    fn walk(dir: &Path) -> String {
        let mut out = String::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            out.push_str(&p.display().to_string());
            if p.is_dir() {
                out.push_str(&walk(&p));
            } else {
                out.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
            }
        }
        out
    }
}
