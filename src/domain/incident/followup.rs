//! Follow-ups: the work an incident leaves behind (seed 004: `followup`
//! events with an owner and a due date, reviewed weekly; an overdue summary
//! over a window). Folded from the incident's timeline: a `followup` event
//! opens one, a `followup_closed` event marks it done or dropped.

use super::{Incident, IncidentChange};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Done,
    Dropped,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Done => "done",
            Outcome::Dropped => "dropped",
        })
    }
}

/// Where a follow-up stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    Open,
    Closed {
        outcome: Outcome,
        at: DateTime<Utc>,
        by: String,
        #[serde(skip_serializing_if = "String::is_empty")]
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Followup {
    pub id: String,
    pub incident: String,
    pub text: String,
    pub owner: String,
    pub due: Option<DateTime<Utc>>,
    pub created: DateTime<Utc>,
    pub by: String,
    #[serde(flatten)]
    pub state: State,
}

impl Followup {
    pub fn is_open(&self) -> bool {
        self.state == State::Open
    }

    /// Open and past its due date.
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        self.is_open() && self.due.is_some_and(|d| d < now)
    }

    /// "done by bo at 2026-12-02 10:00", "dropped by …: reason".
    pub fn state_words(&self) -> String {
        match &self.state {
            State::Open => "open".into(),
            State::Closed {
                outcome,
                at,
                by,
                reason,
            } => {
                let mut s = format!("{outcome} by {by} at {}", at.format("%Y-%m-%d %H:%M UTC"));
                if !reason.is_empty() {
                    s.push_str(&format!(": {reason}"));
                }
                s
            }
        }
    }
}

/// The id a follow-up written without one goes by (older lines).
fn legacy_id(at: DateTime<Utc>) -> String {
    format!("fu-{}", at.format("%d%H%M%S"))
}

/// A fresh follow-up id: `fu-` and six hex digits from `seed` (random).
pub fn new_id(seed: [u8; 3]) -> String {
    format!("fu-{:02x}{:02x}{:02x}", seed[0], seed[1], seed[2])
}

/// How many of the incident's follow-ups are open past their due date
/// (cheap when it has none: for every row of a list).
pub fn overdue_count(inc: &Incident, now: DateTime<Utc>) -> usize {
    if !inc
        .timeline
        .iter()
        .any(|e| matches!(e.change, IncidentChange::Followup { .. }))
    {
        return 0;
    }
    of(inc).iter().filter(|f| f.overdue(now)).count()
}

/// Every follow-up of an incident, oldest first.
pub fn of(inc: &Incident) -> Vec<Followup> {
    let mut out: Vec<Followup> = Vec::new();
    for e in &inc.timeline {
        match &e.change {
            IncidentChange::Followup {
                message,
                followup,
                owner,
                due,
            } => out.push(Followup {
                id: if followup.is_empty() {
                    legacy_id(e.at)
                } else {
                    followup.clone()
                },
                incident: inc.id.clone(),
                text: message.clone(),
                owner: owner.clone(),
                due: *due,
                created: e.at,
                by: e.by.clone(),
                state: State::Open,
            }),
            IncidentChange::FollowupClosed {
                followup,
                outcome,
                message,
            } => {
                if let Some(f) = out.iter_mut().find(|f| &f.id == followup && f.is_open()) {
                    f.state = State::Closed {
                        outcome: *outcome,
                        at: e.at,
                        by: e.by.clone(),
                        reason: message.clone(),
                    };
                }
            }
            _ => {}
        }
    }
    out
}

/// One follow-up of an incident by its id (or a unique end of it: `3f9a`).
pub fn find(inc: &Incident, key: &str) -> Option<Followup> {
    let all = of(inc);
    if let Some(f) = all.iter().find(|f| f.id == key) {
        return Some(f.clone());
    }
    let mut hits = all
        .into_iter()
        .filter(|f| !key.is_empty() && f.id.ends_with(key));
    match (hits.next(), hits.next()) {
        (Some(f), None) => Some(f),
        _ => None,
    }
}

/// The overdue summary over a window (seed 004's
/// `incident_followups_summary`, `window_days 30`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub window_days: i64,
    pub open: usize,
    pub overdue: usize,
    pub done: usize,
    pub dropped: usize,
}

/// The follow-ups created in the last `window` (every open one, whenever it
/// was created: open work does not age out), open ones first by due date.
pub fn listed(incidents: &[&Incident], now: DateTime<Utc>, window: Duration) -> Vec<Followup> {
    let mut all: Vec<Followup> = incidents
        .iter()
        .flat_map(|i| of(i))
        .filter(|f| f.is_open() || f.created >= now - window)
        .collect();
    all.sort_by_key(|f| {
        (
            !f.is_open(),
            f.due.unwrap_or(DateTime::<Utc>::MAX_UTC),
            f.created,
        )
    });
    all
}

pub fn summary(listed: &[Followup], now: DateTime<Utc>, window: Duration) -> Summary {
    let mut s = Summary {
        window_days: window.num_days(),
        ..Summary::default()
    };
    for f in listed {
        match &f.state {
            State::Open => {
                s.open += 1;
                if f.overdue(now) {
                    s.overdue += 1;
                }
            }
            State::Closed { outcome, .. } => match outcome {
                Outcome::Done => s.done += 1,
                Outcome::Dropped => s.dropped += 1,
            },
        }
    }
    s
}

/// A due date as typed: a span from now (`3d`, `36h`, `2w`) or a day
/// (`2026-12-09`, due by its end in `tz`).
pub fn parse_due(
    text: &str,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if let Ok(day) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        let next = crate::domain::checklist::local_midnight(tz, day + Duration::days(1));
        let due = next - Duration::minutes(1);
        if due <= now {
            return Err(format!("due {t:?}: that day is over"));
        }
        return Ok(due);
    }
    let span = match t.strip_suffix('w').and_then(|n| n.parse::<i64>().ok()) {
        Some(w) if (1..=52).contains(&w) => Duration::weeks(w),
        _ => crate::domain::format::parse_span(t, Duration::days(366))
            .map_err(|_| format!("due {t:?}: write a span (3d, 36h, 2w) or a day (2026-12-09)"))?,
    };
    Ok(now + span)
}

/// A follow-up typed on one line: `@owner +due what is to be done`
/// (`@bo +3d raise the retention alert`); both are needed.
pub fn parse_line(
    line: &str,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> Result<(String, DateTime<Utc>, String), String> {
    let mut owner = None;
    let mut due = None;
    let mut words = Vec::new();
    for w in line.split_whitespace() {
        match (w.strip_prefix('@'), w.strip_prefix('+')) {
            (Some(o), _) if owner.is_none() && !o.is_empty() => owner = Some(o.to_string()),
            (_, Some(d)) if due.is_none() && !d.is_empty() => due = Some(parse_due(d, now, tz)?),
            _ => words.push(w),
        }
    }
    let text = words.join(" ");
    match (owner, due) {
        (Some(o), Some(d)) if !text.is_empty() => Ok((o, d, text)),
        _ => {
            Err("a follow-up needs @OWNER, +DUE (3d, 2w, 2026-12-09) and what is to be done".into())
        }
    }
}

/// How a due date reads: "due in 2d 04h", "OVERDUE 1d 02h".
pub fn due_words(f: &Followup, now: DateTime<Utc>) -> String {
    match f.due {
        None => "no due date".into(),
        Some(d) if d < now => format!(
            "OVERDUE {}",
            crate::domain::format::coarse_duration(now - d)
        ),
        Some(d) => format!("due in {}", crate::domain::format::coarse_duration(d - now)),
    }
}

#[cfg(test)]
mod tests;
