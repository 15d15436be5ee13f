//! The weekly report (seed 001 §3.3, Friday: jobs, incidents, actions
//! taken; seed 004: a weekly incident digest with recurrence; seed 000:
//! approval decision time < 1 week): built from the week's incidents,
//! approval records and journal, over ISO week boundaries in the
//! operator's time zone.

use super::approval::{ApprovalRecord, ApprovalState, decision_target};
use super::format::coarse_duration;
use super::incident::followup;
use super::journal::{EntryKind, JournalEntry};
use super::{Incident, Severity};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeMap;

/// An ISO week: `2026-W48`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Week {
    pub year: i32,
    pub week: u32,
}

impl Week {
    pub fn parse(s: &str) -> Result<Week, String> {
        let bad = || format!("{s:?}: write a week as 2026-W48");
        let (y, w) = s.trim().split_once("-W").ok_or_else(bad)?;
        let week = Week {
            year: y.parse().map_err(|_| bad())?,
            week: w.parse().map_err(|_| bad())?,
        };
        NaiveDate::from_isoywd_opt(week.year, week.week, Weekday::Mon).ok_or_else(bad)?;
        Ok(week)
    }

    pub fn of(at: DateTime<Utc>, tz: Tz) -> Week {
        let iso = at.with_timezone(&tz).date_naive().iso_week();
        Week {
            year: iso.year(),
            week: iso.week(),
        }
    }

    /// Monday 00:00 to the next Monday 00:00, in `tz`.
    pub fn span(self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let monday = NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon)
            .unwrap_or(NaiveDate::MIN);
        (
            super::checklist::local_midnight(tz, monday),
            super::checklist::local_midnight(tz, monday + Duration::days(7)),
        )
    }
}

impl std::fmt::Display for Week {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

pub struct Input<'a> {
    pub week: Week,
    pub tz: Tz,
    pub now: DateTime<Utc>,
    /// Every incident on file (the window's are picked here).
    pub incidents: &'a [&'a Incident],
    pub approvals: &'a [ApprovalRecord],
    /// The journal from the week's start (or earlier) on.
    pub journal: &'a [JournalEntry],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeverityLine {
    pub severity: Severity,
    pub declared: usize,
    /// Mean time to acknowledge, of those acknowledged.
    pub mtta_mins: Option<i64>,
    pub target_mins: i64,
    pub mttr_mins: Option<i64>,
    pub breaches: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeeklyReport {
    pub week: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub incidents: usize,
    pub by_severity: Vec<SeverityLine>,
    pub by_service: BTreeMap<String, usize>,
    /// Incidents declared per day, Monday first.
    pub per_day: [usize; 7],
    pub breaches: Vec<String>,
    pub recurrences: Vec<String>,
    pub overdue_followups: Vec<String>,
    pub approvals_decided: usize,
    pub approvals_within_target: usize,
    pub approval_mean_hours: Option<i64>,
    pub approvals_overdue_open: Vec<String>,
    /// Steps recorded in the week: done, skipped, failed, by cadence.
    pub checklists: BTreeMap<String, [usize; 3]>,
    /// Per integration: the share of the week it was up, from the
    /// journaled changes of status.
    pub availability: BTreeMap<String, f64>,
    pub change_records: Vec<String>,
    pub deviations: Vec<String>,
}

/// Words that carry a title's meaning (for "a similar title").
fn words(title: &str) -> Vec<String> {
    title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

/// Same service, and half of the shorter title's words shared.
pub fn similar(a: &Incident, b: &Incident) -> bool {
    if a.service != b.service {
        return false;
    }
    let (wa, wb) = (words(&a.title), words(&b.title));
    let shared = wa.iter().filter(|w| wb.contains(w)).count();
    let least = wa.len().min(wb.len());
    least > 0 && shared * 2 >= least
}

pub fn build(input: &Input<'_>) -> WeeklyReport {
    let (from, to) = input.week.span(input.tz);
    let until = to.min(input.now);
    let in_week = |t: DateTime<Utc>| t >= from && t < to;
    let week: Vec<&Incident> = input
        .incidents
        .iter()
        .copied()
        .filter(|i| in_week(i.started_at))
        .collect();
    let mut by_service = BTreeMap::new();
    let mut per_day = [0usize; 7];
    for i in &week {
        *by_service.entry(i.service.clone()).or_insert(0) += 1;
        let day = i.started_at.with_timezone(&input.tz).weekday();
        per_day[day.num_days_from_monday() as usize] += 1;
    }
    let mut breaches = Vec::new();
    let by_severity = Severity::ALL
        .iter()
        .map(|&sev| {
            let of: Vec<&&Incident> = week.iter().filter(|i| i.severity == sev).collect();
            let acks: Vec<i64> = of
                .iter()
                .filter_map(|i| {
                    i.acknowledged
                        .as_ref()
                        .map(|(t, _)| (*t - i.started_at).num_minutes())
                })
                .collect();
            let fixes: Vec<i64> = of
                .iter()
                .filter_map(|i| {
                    i.resolved
                        .as_ref()
                        .map(|(t, _)| (*t - i.started_at).num_minutes())
                })
                .collect();
            let mean = |v: &[i64]| (!v.is_empty()).then(|| v.iter().sum::<i64>() / v.len() as i64);
            let mut n = 0;
            for i in &of {
                let late = match &i.acknowledged {
                    Some((t, _)) => (*t > i.respond_by).then(|| *t - i.respond_by),
                    None => (until > i.respond_by).then(|| until - i.respond_by),
                };
                if let Some(by) = late {
                    n += 1;
                    breaches.push(format!(
                        "{} `{}` {} — response target missed by {}",
                        i.severity,
                        i.id,
                        i.title,
                        coarse_duration(by)
                    ));
                }
            }
            SeverityLine {
                severity: sev,
                declared: of.len(),
                mtta_mins: mean(&acks),
                target_mins: sev.response_target().num_minutes(),
                mttr_mins: mean(&fixes),
                breaches: n,
            }
        })
        .collect();
    // A recurrence: this week's incident and an earlier one (in the 30 days
    // before it) on the same service with a similar title.
    let mut recurrences = Vec::new();
    for i in &week {
        let earlier: Vec<&&Incident> = input
            .incidents
            .iter()
            .filter(|o| {
                o.id != i.id
                    && o.started_at < i.started_at
                    && o.started_at >= i.started_at - Duration::days(30)
                    && similar(i, o)
            })
            .collect();
        if let Some(first) = earlier.iter().min_by_key(|o| o.started_at) {
            recurrences.push(format!(
                "`{}` {} ({}) — seen {} in the 30 days before, first `{}`",
                i.id,
                i.title,
                i.service,
                super::format::plural(earlier.len(), "time", "times"),
                first.id
            ));
        }
    }
    let overdue_followups = input
        .incidents
        .iter()
        .flat_map(|i| followup::of(i))
        .filter(|f| f.overdue(until))
        .map(|f| {
            format!(
                "`{}` {} — {}, {} (`{}`)",
                f.id,
                f.text,
                f.owner,
                followup::due_words(&f, until),
                f.incident
            )
        })
        .collect();
    let mut decided = Vec::new();
    for r in input.approvals {
        if let Some(t) = r.history.iter().find(|t| {
            matches!(t.to, ApprovalState::Approved | ApprovalState::Rejected) && in_week(t.at)
        }) {
            decided.push(t.at - r.created_at);
        }
    }
    let approvals_overdue_open = input
        .approvals
        .iter()
        .filter(|r| r.state.is_open() && r.overdue(until))
        .map(|r| {
            format!(
                "`{}` {} — open {}",
                r.id,
                r.title,
                coarse_duration(r.age(until))
            )
        })
        .collect();
    let entries: Vec<&JournalEntry> = input.journal.iter().filter(|e| in_week(e.at)).collect();
    let mut checklists: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.kind == EntryKind::Checklist) {
        let slot = match e.field("result") {
            Some("done") => 0,
            Some("skipped") => 1,
            Some("failed") => 2,
            _ => continue,
        };
        let list = e.field("checklist").unwrap_or("?");
        let group = if list.contains('@') {
            "playbook runs"
        } else {
            list
        };
        checklists.entry(group.to_string()).or_insert([0; 3])[slot] += 1;
    }
    WeeklyReport {
        week: input.week.to_string(),
        from,
        to,
        incidents: week.len(),
        by_severity,
        by_service,
        per_day,
        breaches,
        recurrences,
        overdue_followups,
        approvals_decided: decided.len(),
        approvals_within_target: decided.iter().filter(|d| **d <= decision_target()).count(),
        approval_mean_hours: (!decided.is_empty())
            .then(|| decided.iter().map(|d| d.num_hours()).sum::<i64>() / decided.len() as i64),
        approvals_overdue_open,
        checklists,
        availability: availability(input.journal, from, until),
        change_records: entries
            .iter()
            .filter(|e| e.kind == EntryKind::Change)
            .map(|e| super::change::markdown(e, input.tz))
            .collect(),
        deviations: entries
            .iter()
            .filter(|e| e.kind == EntryKind::Note && e.tags().iter().any(|t| t == "deviation"))
            .map(|e| format!("{} ({})", e.summary(), e.operator))
            .collect(),
    }
}

/// The share of `from..until` each integration was up, from the journaled
/// changes of status: before its first change in the span it was what that
/// change came from.
fn availability(
    journal: &[JournalEntry],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> BTreeMap<String, f64> {
    let mut changes: BTreeMap<String, Vec<(DateTime<Utc>, String, String)>> = BTreeMap::new();
    for e in journal
        .iter()
        .filter(|e| e.kind == EntryKind::Health && e.at < until)
    {
        if let (Some(name), Some(f), Some(t)) =
            (e.field("integration"), e.field("from"), e.field("to"))
        {
            changes
                .entry(name.to_string())
                .or_default()
                .push((e.at, f.to_string(), t.to_string()));
        }
    }
    let total = (until - from).num_seconds().max(1) as f64;
    let mut out = BTreeMap::new();
    for (name, mut list) in changes {
        list.sort_by_key(|c| c.0);
        let before = list.iter().rev().find(|c| c.0 < from).map(|c| c.2.clone());
        let mut state = before.unwrap_or_else(|| {
            list.iter()
                .find(|c| c.0 >= from)
                .map(|c| c.1.clone())
                .unwrap_or_default()
        });
        let mut at = from;
        let mut up = 0i64;
        for (t, _, to) in list.iter().filter(|c| c.0 >= from) {
            if state == "up" {
                up += (*t - at).num_seconds();
            }
            at = *t;
            state = to.clone();
        }
        if state == "up" {
            up += (until - at).num_seconds();
        }
        out.insert(name, up as f64 * 100.0 / total);
    }
    out
}

/// Incidents per day as a sparkline (`▁▂▄█`), Monday first.
pub fn sparkline(per_day: &[usize; 7], ascii: bool) -> String {
    let top = per_day.iter().copied().max().unwrap_or(0).max(1);
    let bars: &[char] = if ascii {
        &['_', '.', ':', '|']
    } else {
        &['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']
    };
    per_day
        .iter()
        .map(|&n| {
            if n == 0 {
                bars[0]
            } else {
                bars[((n * (bars.len() - 1)).div_ceil(top)).min(bars.len() - 1)]
            }
        })
        .collect()
}

mod markdown;

#[cfg(test)]
mod tests;
