//! The weekly report from the workspace's files: the week's incidents, the
//! approval records and the journal (from a week before it, so the health
//! state it starts in is known).

use crate::config::Config;
use crate::domain::report::{self, Week, WeeklyReport};
use crate::store::IncidentStore;
use crate::store::approvals::ApprovalStore;
use crate::store::journal::JournalStore;
use chrono::{DateTime, Duration, Utc};
use std::path::Path;

pub fn weekly(
    workspace: &Path,
    config: &Config,
    week: Option<Week>,
    now: DateTime<Utc>,
) -> Result<WeeklyReport, String> {
    let tz = config.timezone;
    let week = week.unwrap_or_else(|| Week::of(now, tz));
    let (from, _) = week.span(tz);
    let (book, _) = IncidentStore::new(workspace)
        .load()
        .map_err(|e| format!("cannot read incidents: {e}"))?;
    let approvals = ApprovalStore::new(workspace)
        .load()
        .map(|l| l.records)
        .map_err(|e| format!("cannot read approvals: {e}"))?;
    let (journal, _) = JournalStore::new(workspace)
        .since(from - Duration::days(7))
        .map_err(|e| format!("cannot read the journal: {e}"))?;
    let incidents: Vec<&crate::domain::Incident> = book.all().iter().collect();
    Ok(report::build(&report::Input {
        week,
        tz,
        now,
        incidents: &incidents,
        approvals: &approvals,
        journal: &journal,
    }))
}
