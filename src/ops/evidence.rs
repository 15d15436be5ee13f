//! Attaching evidence to an incident: a file or a command's output, checked
//! (kind, 2 MB), redacted and stripped of terminal controls on the way in,
//! written under `incidents/<id>/` with its index line, and noted on the
//! incident's timeline (and so in the journal).

use super::{Session, ShiftLog};
use crate::domain::evidence::{self, Artifact};
use crate::domain::{IncidentBook, IncidentChange};
use crate::store::IncidentStore;
use crate::store::evidence::EvidenceStore;
use chrono::{DateTime, Utc};
use std::path::Path;
use std::time::Duration;

/// What to attach.
pub enum Source<'a> {
    /// A file on this host.
    File(&'a Path),
    /// `sh -c` in the workspace (the last hour of a log, a verify run).
    Command(&'a str),
    /// A command already run (by [`run_command`], off the thread that
    /// writes): what it printed, and how it ended.
    Output {
        command: &'a str,
        output: String,
        note: String,
    },
}

/// Run `cmd` for its output: what it printed and a note on how it ended.
pub fn run_command(cmd: &str, workspace: &Path) -> Result<(String, String), String> {
    if cmd.trim().is_empty() {
        return Err("no command given".into());
    }
    let out = crate::integrations::command::run(cmd, workspace, COMMAND_TIMEOUT, None)
        .map_err(|e| format!("could not start `sh -c`: {e}"))?;
    let mut note = out.summary();
    if out.truncated {
        note.push_str(", output cut to its first 64 KiB");
    }
    Ok((out.output, note))
}

/// How long a command whose output is attached may run.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

impl Session<'_> {
    /// Attach `source` to a local incident. Refused: read-only, an unknown
    /// or vendor incident, a file that is not small text.
    pub fn attach(
        &self,
        store: &mut IncidentStore,
        book: &mut IncidentBook,
        log: &mut dyn ShiftLog,
        incident_id: &str,
        source: Source<'_>,
        now: DateTime<Utc>,
    ) -> Result<Artifact, String> {
        if self.readonly {
            return Err("read-only: started with --readonly, nothing was attached".into());
        }
        if let Ok(d) = store.read_new() {
            d.apply_to(book);
        }
        let inc = book
            .get(incident_id)
            .ok_or_else(|| format!("no incident {incident_id:?}"))?;
        if inc.remote.is_some() {
            return Err(
                "evidence is kept on local incidents: attach it to the vendor's incident there"
                    .into(),
            );
        }
        let evidence = EvidenceStore::new(self.workspace);
        // Taken: what the index lists, and any file already there (one a
        // crash left without its index line is never written over).
        let mut taken: Vec<String> = evidence
            .of(incident_id)
            .map_err(|e| format!("cannot read incidents/artifacts.jsonl: {e}"))?
            .into_iter()
            .map(|a| a.name)
            .collect();
        taken.extend(evidence.files_of(incident_id));
        let (name, text, origin, kind, note) = match source {
            Source::File(path) => {
                let shown = path.display().to_string();
                let name = evidence::plain_name(&shown)
                    .ok_or_else(|| format!("{shown}: not a file name that can be kept"))?;
                let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: {e}"))?;
                if !meta.is_file() {
                    return Err(format!("{shown}: not a file"));
                }
                evidence::check_file(&name, meta.len())?;
                let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| format!("{shown}: not UTF-8 text, so not attached"))?;
                (name, text, shown, "file", String::new())
            }
            Source::Command(cmd) => {
                let (output, note) = run_command(cmd, self.workspace)?;
                (
                    evidence::name_from(cmd, "log"),
                    output,
                    cmd.trim().to_string(),
                    "command",
                    note,
                )
            }
            Source::Output {
                command,
                output,
                note,
            } => (
                evidence::name_from(command, "log"),
                output,
                command.trim().to_string(),
                "command",
                note,
            ),
        };
        let clean = self.redactor.redact(&text);
        let text = crate::domain::sanitize::text(&clean.text).into_owned();
        let name = evidence::unique(&name, &taken);
        evidence::check_file(&name, text.len() as u64)?;
        let mut seed = [0u8; 3];
        let _ = getrandom::fill(&mut seed);
        let artifact = Artifact {
            id: format!("art-{:02x}{:02x}{:02x}", seed[0], seed[1], seed[2]),
            incident_id: incident_id.to_string(),
            at: now,
            by: self.operator().to_string(),
            name,
            bytes: text.len() as u64,
            source: self.redactor.redact(&origin).text,
            kind: kind.to_string(),
            redacted: clean.names.clone(),
        };
        evidence
            .put(&artifact, &text)
            .map_err(|e| format!("NOT SAVED: {}: {e}", artifact.path()))?;
        let mut message = format!(
            "evidence {} ({})",
            artifact.name,
            evidence::size(artifact.bytes)
        );
        if !note.is_empty() {
            message.push_str(&format!(": {note}"));
        }
        // The file stands either way; the timeline line says so if it can.
        if let Err(e) = self.change(
            store,
            book,
            log,
            incident_id,
            IncidentChange::Note { message },
            now,
        ) {
            return Err(format!(
                "{} attached, NOT on the timeline: {e}",
                artifact.path()
            ));
        }
        Ok(artifact)
    }
}
