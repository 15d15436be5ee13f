//! Playbooks: checklists with `kind = "playbook"` that are not due by the
//! clock but started on something — an incident (token leaked, KMS outage)
//! or a release (the Export Center pre-release checks). Each start is a run
//! with its own progress: a run is the playbook's steps under the id
//! `PLAYBOOK@TARGET`, folded from the journal like any list done once.

use super::{Cadence, Checklist};
use crate::domain::journal::{EntryKind, JournalEntry};
use crate::domain::{Incident, Severity};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What a playbook is, beyond its steps.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Playbook {
    /// The incidents it is offered for.
    #[serde(skip_serializing_if = "Match::is_empty")]
    pub offer: Match,
    /// Set on a run: what it was started on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<Run>,
}

/// Which incidents a playbook is offered for: any listed service, any word
/// of the title, any severity (each list empty: not asked). Nothing listed
/// at all: never offered, only started by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Match {
    pub services: Vec<String>,
    /// Lower-cased; each is looked for in the title.
    pub words: Vec<String>,
    pub severities: Vec<Severity>,
}

impl Match {
    pub fn is_empty(&self) -> bool {
        self.services.is_empty() && self.words.is_empty() && self.severities.is_empty()
    }

    /// Every list given is met by the incident.
    pub fn fits(&self, inc: &Incident) -> bool {
        if self.is_empty() {
            return false;
        }
        let title = inc.title.to_lowercase();
        (self.services.is_empty() || self.services.iter().any(|s| s == &inc.service))
            && (self.words.is_empty() || self.words.iter().any(|w| title.contains(w.as_str())))
            && (self.severities.is_empty() || self.severities.contains(&inc.severity))
    }
}

/// One start of a playbook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub playbook: String,
    /// The incident id or the label it was started for.
    pub target: String,
    /// Set when the target is an incident: steps go to its timeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
    pub started: DateTime<Utc>,
    pub by: String,
}

/// The checklist id of a run.
pub fn run_id(playbook: &str, target: &str) -> String {
    format!("{playbook}@{target}")
}

impl Checklist {
    pub fn is_playbook(&self) -> bool {
        self.playbook.is_some()
    }

    /// The playbook not yet started (a template for runs).
    pub fn is_template(&self) -> bool {
        self.playbook.as_ref().is_some_and(|p| p.run.is_none())
    }

    pub fn run(&self) -> Option<&Run> {
        self.playbook.as_ref().and_then(|p| p.run.as_ref())
    }

    /// `routine` or `playbook`, as `checklists list` says it.
    pub fn kind(&self) -> &'static str {
        if self.is_playbook() {
            "playbook"
        } else {
            "routine"
        }
    }
}

/// Why a playbook cannot be started on `target` (already started there).
pub fn check_start(
    template: &Checklist,
    target: &str,
    runs: &[Checklist],
) -> Result<String, String> {
    if !template.is_template() {
        return Err(format!(
            "{} is not a playbook (kind = \"playbook\" in its file)",
            template.name
        ));
    }
    if target.trim().is_empty() || target.contains(char::is_whitespace) {
        return Err(
            "a playbook is started on an incident id or a one-word label (v2.4.0-rc1)".into(),
        );
    }
    let id = run_id(&template.id, target);
    if let Some(r) = runs.iter().find(|r| r.id == id) {
        let run = r.run().expect("a run");
        return Err(format!(
            "{} is already started on {target} (by {} at {})",
            template.name,
            run.by,
            run.started.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    Ok(id)
}

/// The journal entry that starts a run.
pub fn start_entry(
    at: DateTime<Utc>,
    shift: &str,
    operator: &str,
    template: &Checklist,
    target: &str,
    incident: Option<&Incident>,
) -> JournalEntry {
    let mut e = JournalEntry::new(at, shift, operator, EntryKind::Checklist)
        .with("checklist", template.id.as_str())
        .with("checklist_name", template.name.as_str())
        .with("result", "started")
        .with("run", target);
    if let Some(inc) = incident {
        e = e
            .with("incident_id", inc.id.as_str())
            .with("incidents", vec![inc.id.clone()])
            .with("title", inc.title.as_str());
    }
    e
}

/// The runs the journal's start entries make of the templates, oldest
/// first. A run is named after the playbook and what it was started on.
pub fn runs(templates: &[Checklist], history: &[JournalEntry]) -> Vec<Checklist> {
    let mut out: Vec<Checklist> = Vec::new();
    for e in history
        .iter()
        .filter(|e| e.kind == EntryKind::Checklist && e.field("result") == Some("started"))
    {
        let (Some(pb), Some(target)) = (e.field("checklist"), e.field("run")) else {
            continue;
        };
        let Some(t) = templates.iter().find(|t| t.id == pb && t.is_template()) else {
            continue;
        };
        let id = run_id(pb, target);
        if out.iter().any(|r| r.id == id) {
            continue;
        }
        let incident = e.field("incident_id").map(str::to_string);
        let on = match e.field("title") {
            Some(title) => format!("{target} {title}"),
            None => target.to_string(),
        };
        out.push(Checklist {
            id,
            name: format!("{} · {on}", t.name),
            cadence: Cadence::Once,
            playbook: Some(Playbook {
                offer: t
                    .playbook
                    .as_ref()
                    .map(|p| p.offer.clone())
                    .unwrap_or_default(),
                run: Some(Run {
                    playbook: pb.to_string(),
                    target: target.to_string(),
                    incident,
                    started: e.at,
                    by: e.operator.clone(),
                }),
            }),
            ..t.clone()
        });
    }
    out
}

/// What is worked on: the routine lists and every run, templates aside.
pub fn worked(all: &[Checklist], history: &[JournalEntry]) -> Vec<Checklist> {
    let templates: Vec<Checklist> = all.iter().filter(|l| l.is_template()).cloned().collect();
    all.iter()
        .filter(|l| !l.is_playbook())
        .cloned()
        .chain(runs(&templates, history))
        .collect()
}

/// The playbooks offered for an incident that are not started on it yet.
pub fn offers<'a>(
    templates: &'a [Checklist],
    runs: &[Checklist],
    inc: &Incident,
) -> Vec<&'a Checklist> {
    templates
        .iter()
        .filter(|t| t.is_template())
        .filter(|t| t.playbook.as_ref().is_some_and(|p| p.offer.fits(inc)))
        .filter(|t| !runs.iter().any(|r| r.id == run_id(&t.id, &inc.id)))
        .collect()
}

/// The runs started on an incident.
pub fn on_incident<'a>(runs: &'a [Checklist], incident_id: &str) -> Vec<&'a Checklist> {
    runs.iter()
        .filter(|r| r.run().and_then(|x| x.incident.as_deref()) == Some(incident_id))
        .collect()
}

#[cfg(test)]
mod tests;
