//! Sorting a list by a column: `>` sorts by the next column (after the
//! last, the pane's own order again), `<` reverses. The sort is part of
//! the pane's state and kept while the app runs; the header marks it.

use super::{App, Level, Pane};
use crate::domain::approval::ApprovalRecord;
use crate::domain::health::IntegrationHealth;
use crate::domain::{Countdown, Incident};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;

/// A list's sort: which of its columns, and which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: usize,
    pub descending: bool,
}

pub const INCIDENT_COLUMNS: &[&str] =
    &["SEV", "ID", "TITLE", "SERVICE", "STATUS", "AGE", "RESPOND"];
pub const APPROVAL_COLUMNS: &[&str] = &["RISK", "ID", "TITLE", "TARGET", "STATE", "AGE"];
pub const HEALTH_COLUMNS: &[&str] = &["STATUS", "NAME", "LATENCY", "FAILS", "LAST ANSWER"];

/// The columns a pane sorts by.
pub fn columns(pane: Pane) -> &'static [&'static str] {
    match pane {
        Pane::Incidents => INCIDENT_COLUMNS,
        Pane::Approvals => APPROVAL_COLUMNS,
        Pane::Health => HEALTH_COLUMNS,
        Pane::Checklists | Pane::Journal => &[],
    }
}

/// A header label (in the operator's language) with the sort's mark when
/// it sorts by `name`.
pub fn header(
    name: &str,
    strings: &crate::domain::i18n::Strings,
    sort: Option<Sort>,
    columns: &[&str],
    ascii: bool,
) -> String {
    let label = strings.get("column", name);
    match sort {
        Some(s) if columns.get(s.column) == Some(&name) => {
            let mark = match (s.descending, ascii) {
                (false, false) => "▲",
                (true, false) => "▼",
                (false, true) => "^",
                (true, true) => "v",
            };
            format!("{label}{mark}")
        }
        _ => label.to_string(),
    }
}

fn ordered(o: Ordering, s: Sort) -> Ordering {
    if s.descending { o.reverse() } else { o }
}

/// Seconds left to respond (negative once breached); acknowledged and
/// closed ones after every running countdown.
fn respond_key(i: &Incident, now: DateTime<Utc>) -> (u8, i64) {
    match i.countdown(now) {
        Countdown::Remaining(d) => (0, d.num_seconds()),
        Countdown::Breached(d) => (0, -d.num_seconds()),
        Countdown::MetLate(_) => (1, 0),
        Countdown::Met => (2, 0),
        Countdown::Closed => (3, 0),
    }
}

pub fn incidents(a: &Incident, b: &Incident, s: Sort, now: DateTime<Utc>) -> Ordering {
    let o = match s.column {
        0 => a.severity.cmp(&b.severity),
        1 => a.id.cmp(&b.id),
        2 => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
        3 => a.service.cmp(&b.service),
        4 => a.status.as_str().cmp(b.status.as_str()),
        // The oldest first: the one waiting longest.
        5 => a.started_at.cmp(&b.started_at),
        _ => respond_key(a, now).cmp(&respond_key(b, now)),
    };
    ordered(o, s)
}

pub fn approvals(a: &ApprovalRecord, b: &ApprovalRecord, s: Sort) -> Ordering {
    let o = match s.column {
        0 => a.risk.cmp(&b.risk),
        1 => a.id.cmp(&b.id),
        2 => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
        3 => (&a.target.kind, &a.target.name).cmp(&(&b.target.kind, &b.target.name)),
        4 => a.state.as_str().cmp(b.state.as_str()),
        _ => a.created_at.cmp(&b.created_at),
    };
    ordered(o, s)
}

pub fn health(a: &IntegrationHealth, b: &IntegrationHealth, s: Sort) -> Ordering {
    let o = match s.column {
        // The worst first.
        0 => a
            .is_green()
            .cmp(&b.is_green())
            .then(a.status.as_str().cmp(b.status.as_str())),
        1 => a.name.cmp(&b.name),
        2 => a.latencies.back().cmp(&b.latencies.back()),
        3 => b.consecutive_failures.cmp(&a.consecutive_failures),
        _ => a.summary.cmp(&b.summary),
    };
    ordered(o, s)
}

impl App {
    fn sort_of(&mut self, pane: Pane) -> Option<&mut Option<Sort>> {
        match pane {
            Pane::Incidents => Some(&mut self.incidents.sort),
            Pane::Approvals => Some(&mut self.approvals.sort),
            Pane::Health => Some(&mut self.health.sort),
            Pane::Checklists | Pane::Journal => None,
        }
    }

    /// `>` (next column) or `<` (reverse).
    pub(super) fn sort_list(&mut self, reverse: bool) {
        let pane = self.focus;
        let cols = columns(pane);
        let Some(sort) = self.sort_of(pane) else {
            let why = if pane == Pane::Journal {
                "the Journal is in the order things happened"
            } else {
                "checklists keep their runbook's order"
            };
            self.flash(Level::Info, format!("not sorted: {why}"));
            return;
        };
        *sort = match (*sort, reverse) {
            (None, false) => Some(Sort {
                column: 0,
                descending: false,
            }),
            (None, true) => Some(Sort {
                column: 0,
                descending: true,
            }),
            (Some(s), true) => Some(Sort {
                descending: !s.descending,
                ..s
            }),
            (Some(s), false) if s.column + 1 < cols.len() => Some(Sort {
                column: s.column + 1,
                descending: false,
            }),
            (Some(_), false) => None,
        };
        let now = *sort;
        match pane {
            Pane::Incidents => self.incidents.refresh(&self.book),
            Pane::Approvals => self.approvals.refresh(),
            _ => {}
        }
        let text = match now {
            Some(s) => format!(
                "sorted by {}{} (> the next column, < reverses)",
                cols[s.column],
                if s.descending { ", reversed" } else { "" }
            ),
            None => format!("in the pane's own order again (> sorts by {})", cols[0]),
        };
        self.flash(Level::Info, text);
    }
}
