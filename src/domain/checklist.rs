//! Checklists from the runbooks: ordered steps with success criteria, an
//! optional command, and a cadence that decides what is due. Progress is
//! not stored here: it is folded from the shift journal's checklist entries
//! for the current period.

pub mod playbook;
pub mod timing;

pub use playbook::{Playbook, Run};
pub use timing::{Clock, DayList, Timing};

use super::journal::{EntryKind, JournalEntry};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "every")]
pub enum Cadence {
    /// Every shift.
    Shift,
    Daily,
    Weekly {
        weekday: Weekday,
    },
    /// On a day of the month (1–28).
    Monthly {
        day: u32,
    },
    /// Every quarter, on a day (1–28) of one of its months (1–3).
    Quarterly {
        month: u32,
        day: u32,
    },
    /// On listed days counted from a start, Day 1 being the start
    /// (seed 002 §5: Day 1, Day 7 canary, Day 14 full rollout, Day 30 audit).
    After {
        start: NaiveDate,
        days: DayList,
    },
    /// Every day for a number of days from a start (verify-all daily for
    /// the first 14 days).
    DailyFor {
        start: NaiveDate,
        days: u32,
    },
    /// Once, ever (the Day-1 walkthrough).
    Once,
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cadence::Shift => f.write_str("every shift"),
            Cadence::Daily => f.write_str("daily"),
            Cadence::Weekly { weekday } => write!(f, "weekly ({weekday})"),
            Cadence::Monthly { day } => write!(f, "monthly (day {day})"),
            Cadence::Quarterly { month, day } => {
                write!(f, "quarterly (month {month} of each quarter, day {day})")
            }
            Cadence::After { start, days } => {
                let list: Vec<String> = days.days().iter().map(|d| d.to_string()).collect();
                write!(f, "days {} from {start}", list.join(", "))
            }
            Cadence::DailyFor { start, days } => write!(f, "daily for {days} days from {start}"),
            Cadence::Once => f.write_str("once"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub detail: String,
    pub criteria: Vec<String>,
    pub command: Option<String>,
    /// Seconds a command may run before it is killed.
    pub timeout: u64,
    pub requires: Vec<String>,
    /// Its time of day, weekday or rollout day, when it has one.
    #[serde(skip_serializing_if = "is_default")]
    pub clock: Clock,
}

fn is_default(c: &Clock) -> bool {
    *c == Clock::default()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checklist {
    pub id: String,
    pub name: String,
    pub cadence: Cadence,
    pub ordered: bool,
    pub source: String,
    pub steps: Vec<Step>,
    /// The time of day (and window) of every step without one of its own.
    #[serde(skip_serializing_if = "is_default")]
    pub clock: Clock,
    /// `kind = "playbook"`: started on an incident or a release, not due
    /// by the clock; on a run, what it was started on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub playbook: Option<Playbook>,
}

/// Local midnight of a date in `tz`, as UTC; when a DST jump skips
/// midnight, the first hour that exists that day.
pub(crate) fn local_midnight(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    for hour in 0..4 {
        let naive = date.and_hms_opt(hour, 0, 0).unwrap_or_default();
        match tz.from_local_datetime(&naive) {
            chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
                return t.with_timezone(&Utc);
            }
            chrono::LocalResult::None => continue,
        }
    }
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
}

impl Cadence {
    /// When the current period began, in the operator's time zone. `None`
    /// for per-shift checklists (the period is the shift) and for `once`
    /// (every period since the beginning counts).
    pub fn period_start(&self, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        let today = now.with_timezone(&tz).date_naive();
        match *self {
            Cadence::Shift | Cadence::Once => None,
            Cadence::Daily => Some(local_midnight(tz, today)),
            Cadence::Weekly { weekday } => {
                let back = (7 + today.weekday().num_days_from_monday() as i64
                    - weekday.num_days_from_monday() as i64)
                    % 7;
                Some(local_midnight(tz, today - Duration::days(back)))
            }
            Cadence::Monthly { day } => {
                let this = NaiveDate::from_ymd_opt(today.year(), today.month(), day);
                let start = match this {
                    Some(d) if d <= today => d,
                    _ => {
                        let (y, m) = if today.month() == 1 {
                            (today.year() - 1, 12)
                        } else {
                            (today.year(), today.month() - 1)
                        };
                        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(today)
                    }
                };
                Some(local_midnight(tz, start))
            }
            Cadence::Quarterly { month, day } => {
                let first = (today.month() - 1) / 3 * 3 + 1;
                let this = NaiveDate::from_ymd_opt(today.year(), first + month - 1, day);
                let start = match this {
                    Some(d) if d <= today => d,
                    _ => {
                        let (y, m) = if first + month - 1 > 3 {
                            (today.year(), first + month - 1 - 3)
                        } else {
                            (today.year() - 1, first + month - 1 + 9)
                        };
                        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(today)
                    }
                };
                Some(local_midnight(tz, start))
            }
            // Before its first day the period is that day: nothing done
            // earlier counts for it.
            Cadence::After { start, .. } => Some(local_midnight(
                tz,
                self.due_day(now, tz)
                    .unwrap_or(start + Duration::days(i64::from(self.first_day()) - 1)),
            )),
            Cadence::DailyFor { start, days } => {
                let end = start + Duration::days(i64::from(days) - 1);
                Some(local_midnight(tz, today.clamp(start, end)))
            }
        }
    }

    fn first_day(&self) -> u16 {
        match self {
            Cadence::After { days, .. } => days.days()[0],
            _ => 1,
        }
    }
}

/// Where a step stands in the current period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum StepState {
    Open,
    Done {
        by: String,
        at: DateTime<Utc>,
    },
    Skipped {
        by: String,
        at: DateTime<Utc>,
        reason: String,
    },
    Failed {
        by: String,
        at: DateTime<Utc>,
        exit: Option<i32>,
        output: String,
    },
}

/// How long a check or a skip can be taken back (a new journal entry that
/// says so: the journal stays append-only).
pub const RETRACT_WINDOW_MINUTES: i64 = 10;

impl StepState {
    /// Whether `operator` may take this back at `now`: their own check or
    /// skip, made in the last [`RETRACT_WINDOW_MINUTES`].
    pub fn retractable(&self, operator: &str, now: DateTime<Utc>) -> Result<(), String> {
        let (by, at) = match self {
            StepState::Done { by, at } | StepState::Skipped { by, at, .. } => (by, *at),
            StepState::Open | StepState::Failed { .. } => {
                return Err("only a check or a skip can be taken back".into());
            }
        };
        if by != operator {
            return Err(format!("{by} recorded it: only they can take it back"));
        }
        if now - at > chrono::Duration::minutes(RETRACT_WINDOW_MINUTES) {
            return Err(format!(
                "recorded more than {RETRACT_WINDOW_MINUTES} minutes ago: it stands (a note can correct it)"
            ));
        }
        Ok(())
    }

    /// Done or skipped with a reason: the step no longer blocks.
    pub fn is_settled(&self) -> bool {
        matches!(self, StepState::Done { .. } | StepState::Skipped { .. })
    }
}

/// Progress of every checklist, folded from journal entries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    states: HashMap<(String, String), StepState>,
    /// The moment and zone of the fold: what counts as today's work.
    at: Option<(DateTime<Utc>, Tz)>,
}

impl Progress {
    /// Fold checklist entries (oldest first); later entries win. Entries
    /// before a checklist's current period, or from another shift for a
    /// per-shift checklist, are ignored.
    pub fn fold(
        lists: &[Checklist],
        entries: &[JournalEntry],
        now: DateTime<Utc>,
        tz: Tz,
        shift: Option<&str>,
    ) -> Progress {
        let mut p = Progress {
            at: Some((now, tz)),
            ..Progress::default()
        };
        let starts: HashMap<&str, (Cadence, Option<DateTime<Utc>>)> = lists
            .iter()
            .map(|c| (c.id.as_str(), (c.cadence, c.cadence.period_start(now, tz))))
            .collect();
        for e in entries.iter().filter(|e| e.kind == EntryKind::Checklist) {
            let (Some(list), Some(step)) = (e.field("checklist"), e.field("step")) else {
                continue;
            };
            let Some((cadence, start)) = starts.get(list) else {
                continue;
            };
            if *cadence == Cadence::Shift && Some(e.shift.as_str()) != shift {
                continue;
            }
            if start.is_some_and(|s| e.at < s) {
                continue;
            }
            p.apply(list, step, e);
        }
        p
    }

    fn apply(&mut self, list: &str, step: &str, e: &JournalEntry) {
        let state = match e.field("result") {
            Some("done") => StepState::Done {
                by: e.operator.clone(),
                at: e.at,
            },
            Some("skipped") => StepState::Skipped {
                by: e.operator.clone(),
                at: e.at,
                reason: e.field("reason").unwrap_or("").to_string(),
            },
            Some("failed") => StepState::Failed {
                by: e.operator.clone(),
                at: e.at,
                exit: e
                    .fields
                    .get("exit_code")
                    .and_then(|v| v.as_i64())
                    .map(|v| v as i32),
                output: e.field("output").unwrap_or("").to_string(),
            },
            Some("reopened") => StepState::Open,
            _ => return,
        };
        self.states
            .insert((list.to_string(), step.to_string()), state);
    }

    /// Apply one new entry (as it lands in the journal).
    pub fn record(
        &mut self,
        lists: &[Checklist],
        e: &JournalEntry,
        now: DateTime<Utc>,
        tz: Tz,
        shift: Option<&str>,
    ) {
        let folded = Progress::fold(lists, std::slice::from_ref(e), now, tz, shift);
        self.states.extend(folded.states);
    }

    pub fn state(&self, list: &str, step: &str) -> &StepState {
        static OPEN: StepState = StepState::Open;
        self.states
            .get(&(list.to_string(), step.to_string()))
            .unwrap_or(&OPEN)
    }

    /// The steps that are part of the work at the fold's moment (every
    /// step when it has none): a Wednesday step is not Monday's work.
    pub fn steps_due<'a>(&self, list: &'a Checklist) -> Vec<&'a Step> {
        match self.at {
            Some((now, tz)) => list.steps_now(now, tz).collect(),
            None => list.steps.iter().collect(),
        }
    }

    /// Settled steps and the total of today's work, for the gauge.
    pub fn counts(&self, list: &Checklist) -> (usize, usize) {
        let due = self.steps_due(list);
        let done = due
            .iter()
            .filter(|s| self.state(&list.id, &s.id).is_settled())
            .count();
        (done, due.len())
    }

    pub fn is_complete(&self, list: &Checklist) -> bool {
        let (d, t) = self.counts(list);
        d == t
    }

    /// Whether a step may be checked now, and if not, why (in the
    /// operator's words).
    pub fn gate(&self, list: &Checklist, step_id: &str) -> Result<(), String> {
        let Some(pos) = list.steps.iter().position(|s| s.id == step_id) else {
            return Err(format!("no step {step_id:?} in {}", list.name));
        };
        let step = &list.steps[pos];
        for req in &step.requires {
            if !self.state(&list.id, req).is_settled() {
                let title = list
                    .steps
                    .iter()
                    .find(|s| &s.id == req)
                    .map(|s| s.title.as_str())
                    .unwrap_or(req);
                return Err(format!("\"{}\" needs \"{title}\" first", step.title));
            }
        }
        if list.ordered
            && let Some(prev) = list.steps[..pos]
                .iter()
                .find(|s| !self.state(&list.id, &s.id).is_settled())
        {
            return Err(format!(
                "ordered checklist: step {} \"{}\" comes before step {} (each step's verify is the next one's precondition)",
                list.steps.iter().position(|s| s.id == prev.id).unwrap_or(0) + 1,
                prev.title,
                pos + 1
            ));
        }
        Ok(())
    }
}

/// The journal entry for a step's outcome.
pub fn step_entry(
    at: DateTime<Utc>,
    shift: &str,
    operator: &str,
    list: &Checklist,
    step: &Step,
    result: &str,
) -> JournalEntry {
    let e = JournalEntry::new(at, shift, operator, EntryKind::Checklist)
        .with("checklist", list.id.as_str())
        .with("checklist_name", list.name.as_str())
        .with("step", step.id.as_str())
        .with("step_title", step.title.as_str())
        .with("result", result);
    match list.run() {
        None => e,
        Some(run) => {
            let e = e.with("run", run.target.as_str());
            match &run.incident {
                Some(id) => e
                    .with("incident_id", id.as_str())
                    .with("incidents", vec![id.clone()]),
                None => e,
            }
        }
    }
}

/// Unfinished steps of what is due, for the handover: only today's work
/// (not the Day-30 audit on Day 1), an overdue step saying since when.
pub fn unfinished(lists: &[Checklist], progress: &Progress) -> Vec<String> {
    let mut out = Vec::new();
    for list in lists {
        // What is due now or overdue: a step due later this period (the
        // day-15 audit on the 1st) is not the next shift's business yet.
        let open: Vec<String> = progress
            .steps_due(list)
            .into_iter()
            .filter(|s| !progress.state(&list.id, &s.id).is_settled())
            .filter(|s| match progress.at {
                Some((now, tz)) => !matches!(list.timing(s, now, tz), Timing::NotYet { .. }),
                None => true,
            })
            .map(|s| match progress.at {
                Some((now, tz)) => match list.timing(s, now, tz) {
                    t @ Timing::Overdue { .. } => format!("{} ({})", s.title, t.words(tz)),
                    _ => s.title.clone(),
                },
                None => s.title.clone(),
            })
            .collect();
        if open.is_empty() {
            continue;
        }
        let (done, total) = progress.counts(list);
        // A once-only list (Day-1 wiring) is handed over once it is under
        // way, not every shift while nobody has begun it.
        if list.cadence == Cadence::Once && done == 0 {
            continue;
        }
        let mut shown: Vec<&str> = open.iter().take(4).map(String::as_str).collect();
        if open.len() > 4 {
            shown.push("…");
        }
        out.push(format!(
            "{} ({}): {done}/{total} done — open: {}",
            list.name,
            list.cadence,
            shown.join("; ")
        ));
    }
    out
}

/// A cycle of `requires` among the steps, if there is one: the step ids
/// around it, the first one repeated at the end ("a → b → a").
pub fn requires_cycle(steps: &[Step]) -> Option<Vec<String>> {
    fn visit<'a>(
        id: &'a str,
        steps: &'a [Step],
        path: &mut Vec<&'a str>,
        done: &mut std::collections::HashSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| *p == id) {
            let mut cycle: Vec<String> = path[start..].iter().map(|s| s.to_string()).collect();
            cycle.push(id.to_string());
            return Some(cycle);
        }
        if done.contains(id) {
            return None;
        }
        path.push(id);
        if let Some(step) = steps.iter().find(|s| s.id == id) {
            for req in &step.requires {
                if let Some(c) = visit(req, steps, path, done) {
                    return Some(c);
                }
            }
        }
        path.pop();
        done.insert(id);
        None
    }
    let mut done = std::collections::HashSet::new();
    for s in steps {
        if let Some(c) = visit(&s.id, steps, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

impl Checklist {
    /// A step by its id, or by the number `checklists show` prints (1 is
    /// the first).
    pub fn step_by_key(&self, key: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == key).or_else(|| {
            key.parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| self.steps.get(i))
        })
    }
}

#[cfg(test)]
mod tests;
