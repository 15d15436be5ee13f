//! The fields of each kind of row `/` filters: the columns its pane shows,
//! named as a query names them.

use super::Searchable;
use crate::domain::approval::ApprovalRecord;
use crate::domain::checklist::{Checklist, Step, StepState};
use crate::domain::health::IntegrationHealth;
use crate::domain::journal::JournalEntry;
use crate::domain::{Countdown, Incident};
use chrono::{DateTime, Utc};
use std::borrow::Cow;

/// An incident as its row shows it at `now` (the RESPOND column moves).
pub struct IncidentRow<'a> {
    pub incident: &'a Incident,
    pub now: DateTime<Utc>,
}

impl IncidentRow<'_> {
    pub const FIELDS: &'static [&'static str] = &[
        "id", "title", "service", "severity", "status", "source", "owner", "respond", "env",
    ];
}

impl Searchable for IncidentRow<'_> {
    fn fields(&self) -> Vec<(&'static str, Cow<'_, str>)> {
        let i = self.incident;
        let respond = match i.countdown(self.now) {
            Countdown::Remaining(_) => "left",
            Countdown::Breached(_) => "breached",
            Countdown::Met => "met",
            Countdown::MetLate(_) => "late",
            Countdown::Closed => "closed",
        };
        let mut v: Vec<(&'static str, Cow<'_, str>)> = vec![
            ("id", i.id.as_str().into()),
            ("title", i.title.as_str().into()),
            ("service", i.service.as_str().into()),
            ("severity", i.severity.to_string().into()),
            ("status", i.status.as_str().into()),
            ("respond", respond.into()),
            ("env", i.env.as_str().into()),
            ("owner", i.created_by.as_str().into()),
        ];
        if let Some((_, by)) = &i.acknowledged {
            v.push(("owner", by.as_str().into()));
        }
        match &i.remote {
            Some(r) => {
                v.push(("source", r.vendor.label().into()));
                v.push(("source", r.source.as_str().into()));
                v.push(("id", r.number.as_str().into()));
                v.extend(r.assignees.iter().map(|a| ("owner", a.as_str().into())));
            }
            None => v.push(("source", "local".into())),
        }
        v
    }
}

impl ApprovalRecord {
    pub const FIELDS: &'static [&'static str] = &[
        "id", "title", "status", "risk", "owner", "target", "summary",
    ];
}

impl Searchable for ApprovalRecord {
    fn fields(&self) -> Vec<(&'static str, Cow<'_, str>)> {
        vec![
            ("id", self.id.as_str().into()),
            ("title", self.title.as_str().into()),
            ("status", self.state.as_str().into()),
            ("risk", self.risk.as_str().into()),
            ("owner", self.requested_by.as_str().into()),
            ("target", self.target.name.as_str().into()),
            ("summary", self.change.summary.as_str().into()),
        ]
    }
}

/// A checklist step with its list and where it stands.
pub struct StepRow<'a> {
    pub list: &'a Checklist,
    pub step: &'a Step,
    pub state: &'a StepState,
}

impl StepRow<'_> {
    pub const FIELDS: &'static [&'static str] = &["list", "title", "status", "owner", "id"];
}

impl Searchable for StepRow<'_> {
    fn fields(&self) -> Vec<(&'static str, Cow<'_, str>)> {
        let (status, by) = match self.state {
            StepState::Open => ("open", None),
            StepState::Done { by, .. } => ("done", Some(by)),
            StepState::Skipped { by, .. } => ("skipped", Some(by)),
            StepState::Failed { by, .. } => ("failed", Some(by)),
        };
        let mut v: Vec<(&'static str, Cow<'_, str>)> = vec![
            ("list", self.list.name.as_str().into()),
            ("title", self.step.title.as_str().into()),
            ("status", status.into()),
            ("id", self.step.id.as_str().into()),
        ];
        if let Some(by) = by {
            v.push(("owner", by.as_str().into()));
        }
        v
    }
}

impl IntegrationHealth {
    pub const FIELDS: &'static [&'static str] = &["name", "kind", "status", "summary"];
}

impl Searchable for IntegrationHealth {
    fn fields(&self) -> Vec<(&'static str, Cow<'_, str>)> {
        let mut v: Vec<(&'static str, Cow<'_, str>)> = vec![
            ("name", self.name.as_str().into()),
            ("kind", self.kind.as_str().into()),
            ("status", self.status.as_str().into()),
            ("summary", self.summary.as_str().into()),
        ];
        if let Some(w) = &self.warning {
            v.push(("summary", w.as_str().into()));
        }
        v
    }
}

impl JournalEntry {
    pub const FIELDS: &'static [&'static str] = &["kind", "text", "owner", "tag"];
}

impl Searchable for JournalEntry {
    fn fields(&self) -> Vec<(&'static str, Cow<'_, str>)> {
        let mut v: Vec<(&'static str, Cow<'_, str>)> = vec![
            ("kind", self.kind.label().into()),
            ("text", self.summary().into()),
            ("owner", self.operator.as_str().into()),
        ];
        v.extend(self.tags().into_iter().map(|t| ("tag", t.into())));
        v
    }
}
