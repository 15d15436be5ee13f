//! Evidence files: `incidents/<incident_id>/<name>` and their index,
//! `incidents/artifacts.jsonl` (one line per file, appended under its lock
//! once the file is on disk, so a line never names a file that is not).

use crate::domain::evidence::Artifact;
use crate::store::jsonl::{LineIssue, append_line, read_all};
use std::io;
use std::path::{Path, PathBuf};

pub struct EvidenceStore {
    root: PathBuf,
}

impl EvidenceStore {
    pub fn new(workspace: &Path) -> EvidenceStore {
        EvidenceStore {
            root: workspace.to_path_buf(),
        }
    }

    fn index(&self) -> PathBuf {
        self.root.join("incidents/artifacts.jsonl")
    }

    /// Every artifact, oldest first; a bad line is reported, not fatal.
    pub fn load(&self) -> io::Result<(Vec<Artifact>, Vec<LineIssue>)> {
        read_all(&self.index())
    }

    /// The artifacts of one incident.
    pub fn of(&self, incident_id: &str) -> io::Result<Vec<Artifact>> {
        Ok(self
            .load()?
            .0
            .into_iter()
            .filter(|a| a.incident_id == incident_id)
            .collect())
    }

    /// The names of the files in an incident's directory (none when it has none).
    pub fn files_of(&self, incident_id: &str) -> Vec<String> {
        std::fs::read_dir(self.root.join("incidents").join(incident_id))
            .map(|rd| {
                rd.filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Write `text` as the artifact's file, then its index line.
    pub fn put(&self, artifact: &Artifact, text: &str) -> io::Result<()> {
        let path = self.root.join(artifact.path());
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        if path.exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists already", artifact.path()),
            ));
        }
        crate::store::journal::atomic_write(&path, text.as_bytes())?;
        append_line(&self.index(), artifact)
    }

    /// An artifact's text as stored.
    pub fn read(&self, artifact: &Artifact) -> io::Result<String> {
        std::fs::read_to_string(self.root.join(artifact.path()))
    }
}
