//! When a step is due, by the clock: a time of day and a window (due from
//! `at`, OVERDUE after `at + window`, in the operator's time zone), a step
//! kept to one weekday, a step kept to one day of a rollout ("Day 14"), and
//! the cadences counted from a start (`after`, `daily_for`) or by quarter.

use super::{Cadence, Checklist, Step, local_midnight};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Serialize, Serializer};
use std::fmt;

/// A time of day and what else keeps a list or a step to its moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Clock {
    /// Due from this local time (`at = "09:00"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<NaiveTime>,
    /// OVERDUE this long after `at` (`window = "30m"`; an hour when unset).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "minutes")]
    pub window: Option<Duration>,
    /// A step of a daily (or per-shift) list done on this weekday only; in
    /// a weekly list, the weekday of that week it is due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weekday: Option<Weekday>,
    /// A step of an `after` list that belongs to this day only (Day 1 is the start).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<u16>,
}

fn minutes<S: Serializer>(w: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match w {
        Some(d) => s.serialize_i64(d.num_minutes()),
        None => s.serialize_none(),
    }
}

/// The window when `at` is given and `window` is not.
pub const DEFAULT_WINDOW: Duration = Duration::hours(1);

/// The days of an `after` cadence (at most 16, rising, from Day 1).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DayList {
    days: [u16; 16],
    len: u8,
}

impl DayList {
    pub fn new(days: &[u16]) -> Option<DayList> {
        let mut v: Vec<u16> = days.to_vec();
        v.sort_unstable();
        v.dedup();
        if v.is_empty() || v.len() > 16 || v[0] == 0 {
            return None;
        }
        let mut out = DayList {
            days: [0; 16],
            len: v.len() as u8,
        };
        out.days[..v.len()].copy_from_slice(&v);
        Some(out)
    }

    pub fn days(&self) -> &[u16] {
        &self.days[..self.len as usize]
    }
}

impl fmt::Debug for DayList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.days()).finish()
    }
}

impl Serialize for DayList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.days().serialize(s)
    }
}

/// Where a step stands against the clock now (an open step's, that is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timing {
    /// Not part of today's work: `why` says when it is ("on Wednesdays",
    /// "Day 14: 2026-12-14", "from 2026-12-01").
    NotToday { why: String },
    /// Due later today (or later this period), from this moment.
    NotYet { from: DateTime<Utc> },
    /// Due now; by `until` when it has a time of day.
    Due { until: Option<DateTime<Utc>> },
    /// Its window has passed.
    Overdue { since: DateTime<Utc> },
}

impl Timing {
    pub fn applies(&self) -> bool {
        !matches!(self, Timing::NotToday { .. })
    }

    pub fn is_overdue(&self) -> bool {
        matches!(self, Timing::Overdue { .. })
    }

    /// "due 09:00–09:30", "OVERDUE since 09:30", "not today: on Wednesdays".
    pub fn words(&self, tz: Tz) -> String {
        let hm = |t: &DateTime<Utc>| t.with_timezone(&tz).format("%H:%M").to_string();
        match self {
            Timing::NotToday { why } => format!("not today: {why}"),
            Timing::NotYet { from } => format!("due from {}", hm(from)),
            Timing::Due { until: Some(u) } => format!("due by {}", hm(u)),
            Timing::Due { until: None } => "due".to_string(),
            Timing::Overdue { since } => format!("OVERDUE since {}", hm(since)),
        }
    }
}

fn day_n(start: NaiveDate, n: u16) -> NaiveDate {
    start + Duration::days(i64::from(n) - 1)
}

impl Cadence {
    /// The day the current period's work is due, or why there is none today.
    pub fn due_day(&self, now: DateTime<Utc>, tz: Tz) -> Result<NaiveDate, String> {
        let today = now.with_timezone(&tz).date_naive();
        match *self {
            Cadence::Shift | Cadence::Once | Cadence::Daily => Ok(today),
            Cadence::After { start, days } => days
                .days()
                .iter()
                .rev()
                .map(|n| day_n(start, *n))
                .find(|d| *d <= today)
                .ok_or_else(|| format!("from {}", day_n(start, days.days()[0]))),
            Cadence::DailyFor { start, days } => {
                let end = start + Duration::days(i64::from(days) - 1);
                if today < start {
                    Err(format!("from {start}"))
                } else if today > end {
                    Err(format!("ended {end} (daily for {days} days)"))
                } else {
                    Ok(today)
                }
            }
            _ => Ok(self
                .period_start(now, tz)
                .map(|s| s.with_timezone(&tz).date_naive())
                .unwrap_or(today)),
        }
    }

    /// The day number of an `after` cadence's current period (Day 1 the start).
    pub fn day_number(&self, now: DateTime<Utc>, tz: Tz) -> Option<u16> {
        match *self {
            Cadence::After { start, .. } => {
                let d = self.due_day(now, tz).ok()?;
                u16::try_from((d - start).num_days() + 1).ok()
            }
            _ => None,
        }
    }
}

/// The local moment `time` on `date` (the first minute that exists when
/// a DST jump skips it).
fn local_at(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    for shift in 0..4 {
        let t = date.and_time(time) + Duration::minutes(30 * shift);
        match tz.from_local_datetime(&t) {
            chrono::LocalResult::Single(x) | chrono::LocalResult::Ambiguous(x, _) => {
                return x.with_timezone(&Utc);
            }
            chrono::LocalResult::None => continue,
        }
    }
    local_midnight(tz, date)
}

fn weekday_word(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Mondays",
        Weekday::Tue => "Tuesdays",
        Weekday::Wed => "Wednesdays",
        Weekday::Thu => "Thursdays",
        Weekday::Fri => "Fridays",
        Weekday::Sat => "Saturdays",
        Weekday::Sun => "Sundays",
    }
}

impl Checklist {
    /// Where a step stands against the clock now (as an open step).
    pub fn timing(&self, step: &Step, now: DateTime<Utc>, tz: Tz) -> Timing {
        let mut day = match self.cadence.due_day(now, tz) {
            Ok(d) => d,
            Err(why) => return Timing::NotToday { why },
        };
        let today = now.with_timezone(&tz).date_naive();
        if let Some(n) = step.clock.day
            && let Cadence::After { start, .. } = self.cadence
            && self.cadence.day_number(now, tz) != Some(n)
        {
            return Timing::NotToday {
                why: format!("Day {n}: {}", day_n(start, n)),
            };
        }
        if let Some(w) = step.clock.weekday {
            match self.cadence {
                Cadence::Weekly { .. } => {
                    // The weekday of this period's week it is due on.
                    let ahead = (7 + w.num_days_from_monday() as i64
                        - day.weekday().num_days_from_monday() as i64)
                        % 7;
                    day += Duration::days(ahead);
                    if day > today {
                        return Timing::NotYet {
                            from: local_midnight(tz, day),
                        };
                    }
                }
                _ if today.weekday() != w => {
                    return Timing::NotToday {
                        why: format!("on {}", weekday_word(w)),
                    };
                }
                _ => {}
            }
        }
        let Some(at) = step.clock.at.or(self.clock.at) else {
            return Timing::Due { until: None };
        };
        let window = step
            .clock
            .window
            .or(if step.clock.at.is_some() {
                None
            } else {
                self.clock.window
            })
            .unwrap_or(DEFAULT_WINDOW);
        let from = local_at(tz, day, at);
        let until = from + window;
        if now < from {
            Timing::NotYet { from }
        } else if now < until {
            Timing::Due { until: Some(until) }
        } else {
            Timing::Overdue { since: until }
        }
    }

    /// The steps that are part of today's work.
    pub fn steps_now(&self, now: DateTime<Utc>, tz: Tz) -> impl Iterator<Item = &Step> {
        self.steps
            .iter()
            .filter(move |s| self.timing(s, now, tz).applies())
    }
}

#[cfg(test)]
mod tests;
