//! Who is on call now and next: entries read from PagerDuty (`/oncalls`),
//! Opsgenie (schedule timelines) or the directory's rota, and the one rule
//! that picks "now" and "next" from them at a given moment.

use super::contacts::Directory;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One stretch of someone being on call for a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OnCall {
    /// As the source names them ("Ana Lima", "ana.lima@credguard.example").
    pub who: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The schedule (or escalation policy) it is on.
    pub schedule: String,
    /// PagerDuty's escalation level (1 first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u32>,
    /// `None`: on call since always.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTime<Utc>>,
    /// `None`: on call until further notice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTime<Utc>>,
    /// The `[[incident_sources]]` name, or "rota" for the directory's.
    pub source: String,
}

impl OnCall {
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.start.is_none_or(|s| s <= at) && self.end.is_none_or(|e| at < e)
    }
}

/// What the sources said, kept whole so "now" moves on with the clock
/// without asking again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    pub entries: Vec<OnCall>,
    /// Sources that could not be read, with why (never a credential).
    pub errors: Vec<(String, String)>,
    pub fetched_at: Option<DateTime<Utc>>,
}

/// One schedule's now and next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleView {
    pub schedule: String,
    pub source: String,
    pub now: Vec<OnCall>,
    pub next: Option<OnCall>,
}

impl Roster {
    /// Each schedule's on-call at `at` (lowest escalation level first) and
    /// the first one to start after the current ones end, in the order the
    /// schedules were first named.
    pub fn at(&self, at: DateTime<Utc>) -> Vec<ScheduleView> {
        let mut names: Vec<(&str, &str)> = Vec::new();
        for e in &self.entries {
            if !names.contains(&(e.source.as_str(), e.schedule.as_str())) {
                names.push((&e.source, &e.schedule));
            }
        }
        names
            .into_iter()
            .map(|(source, schedule)| {
                let of: Vec<&OnCall> = self
                    .entries
                    .iter()
                    .filter(|e| e.source == source && e.schedule == schedule)
                    .collect();
                let mut now: Vec<OnCall> = of
                    .iter()
                    .filter(|e| e.covers(at))
                    .map(|e| (*e).clone())
                    .collect();
                now.sort_by_key(|e| e.level.unwrap_or(1));
                let first_level = now.first().and_then(|e| e.level);
                let next = of
                    .iter()
                    .filter(|e| e.start.is_some_and(|s| s > at))
                    .filter(|e| first_level.is_none() || e.level == first_level)
                    .min_by_key(|e| e.start)
                    .map(|e| (*e).clone());
                ScheduleView {
                    schedule: schedule.to_string(),
                    source: source.to_string(),
                    now,
                    next,
                }
            })
            .collect()
    }

    /// The status bar's words: "on call: you until 19:00 · next: bo", or
    /// `short` for a narrow bar: "on call: you → 19:00". The schedule shown
    /// is the one the operator is on, else the first.
    pub fn summary(
        &self,
        at: DateTime<Utc>,
        operator: &str,
        dir: &Directory,
        tz: chrono_tz::Tz,
        short: bool,
    ) -> Option<String> {
        let views = self.at(at);
        let mine = |v: &ScheduleView| v.now.iter().any(|e| is_me(e, operator, dir));
        let view = views
            .iter()
            .find(|v| mine(v))
            .or_else(|| views.iter().find(|v| !v.now.is_empty()))?;
        let current = view
            .now
            .iter()
            .find(|e| is_me(e, operator, dir))
            .or(view.now.first())?;
        let who = if is_me(current, operator, dir) {
            "you".to_string()
        } else {
            dir.short_name(&current.who, current.email.as_deref())
        };
        let mut s = format!("on call: {who}");
        if let Some(end) = current.end {
            let sep = if short { " → " } else { " until " };
            s.push_str(&format!("{sep}{}", end.with_timezone(&tz).format("%H:%M")));
        }
        if short {
            return Some(s);
        }
        if let Some(next) = &view.next {
            let name = if is_me(next, operator, dir) {
                "you".to_string()
            } else {
                dir.short_name(&next.who, next.email.as_deref())
            };
            s.push_str(&format!(" · next: {name}"));
        }
        Some(s)
    }

    /// A new read, keeping what the last one said for each source that could
    /// not be read this time (a vendor down for five minutes does not make
    /// nobody on call). The rota's entries are only a fallback: they go as
    /// soon as any source answers.
    pub fn refreshed(self, mut new: Roster) -> Roster {
        let failed: Vec<&str> = new.errors.iter().map(|(s, _)| s.as_str()).collect();
        let kept: Vec<OnCall> = self
            .entries
            .into_iter()
            .filter(|e| e.source != "rota" && failed.contains(&e.source.as_str()))
            .collect();
        if !kept.is_empty() {
            new.entries.retain(|e| e.source != "rota");
            new.entries.extend(kept);
        }
        new
    }

    /// Whether the operator is on call at `at`; `None` when nothing is known.
    pub fn operator_on_call(
        &self,
        at: DateTime<Utc>,
        operator: &str,
        dir: &Directory,
    ) -> Option<bool> {
        if self.entries.is_empty() {
            return None;
        }
        Some(
            self.entries
                .iter()
                .any(|e| e.covers(at) && is_me(e, operator, dir)),
        )
    }
}

/// Whether an entry is the operator (by name, email or the directory).
pub fn is_me(e: &OnCall, operator: &str, dir: &Directory) -> bool {
    dir.is_person(operator, &e.who)
        || e.email
            .as_deref()
            .is_some_and(|m| dir.is_person(operator, m))
}

/// The rota's entries around `now`: the current turn and the next one.
pub fn rota_entries(dir: &Directory, now: DateTime<Utc>) -> Vec<OnCall> {
    let Some(rota) = &dir.rota else {
        return Vec::new();
    };
    let Some(crate::domain::contacts::Turn {
        who,
        began,
        ends,
        next,
    }) = rota.at(now)
    else {
        return Vec::new();
    };
    let turn = ends - began;
    let entry = |who: String, start, end| OnCall {
        email: dir.find(&who).and_then(|c| c.channels().email.clone()),
        who,
        schedule: rota.name.clone(),
        level: None,
        start: Some(start),
        end: Some(end),
        source: "rota".into(),
    };
    vec![entry(who, began, ends), entry(next, ends, ends + turn)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contacts::Rota;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap()
    }

    fn e(who: &str, level: u32, start: DateTime<Utc>, end: DateTime<Utc>) -> OnCall {
        OnCall {
            who: who.into(),
            email: Some(format!("{who}@credguard.example")),
            schedule: "primary".into(),
            level: Some(level),
            start: Some(start),
            end: Some(end),
            source: "pd".into(),
        }
    }

    #[test]
    fn now_and_next_move_with_the_clock() {
        let r = Roster {
            entries: vec![
                e("ana.lima", 1, t(7, 0), t(19, 0)),
                e("bo", 1, t(19, 0), t(23, 0)),
                e("rafael", 2, t(0, 0), t(23, 0)),
            ],
            ..Default::default()
        };
        let dir = Directory::default();
        let tz = chrono_tz::UTC;
        assert_eq!(
            r.summary(t(10, 0), "ana.lima", &dir, tz, false).as_deref(),
            Some("on call: you until 19:00 · next: bo")
        );
        assert_eq!(
            r.summary(t(19, 30), "ana.lima", &dir, tz, false).as_deref(),
            Some("on call: bo until 23:00"),
            "ana's turn is over; level 2 does not count as next"
        );
        assert_eq!(
            r.summary(t(10, 0), "ana.lima", &dir, tz, true).as_deref(),
            Some("on call: you → 19:00")
        );
        assert_eq!(r.operator_on_call(t(10, 0), "ana.lima", &dir), Some(true));
        assert_eq!(r.operator_on_call(t(19, 30), "ana.lima", &dir), Some(false));
        assert_eq!(Roster::default().operator_on_call(t(1, 0), "x", &dir), None);
        let v = r.at(t(10, 0));
        assert_eq!(v[0].now.len(), 2, "both levels are on call");
        assert_eq!(v[0].now[0].who, "ana.lima", "level 1 first");
    }

    #[test]
    fn a_source_that_cannot_be_read_keeps_what_it_said_last() {
        let old = Roster {
            entries: vec![e("ana.lima", 1, t(7, 0), t(19, 0))],
            ..Default::default()
        };
        let mut rota = e("bo", 1, t(7, 0), t(19, 0));
        rota.source = "rota".into();
        let failed = Roster {
            entries: vec![rota],
            errors: vec![("pd".into(), "connection refused".into())],
            fetched_at: Some(t(10, 0)),
        };
        let r = old.clone().refreshed(failed);
        assert_eq!(r.entries.len(), 1);
        assert_eq!(
            (r.entries[0].who.as_str(), r.entries[0].source.as_str()),
            ("ana.lima", "pd")
        );
        assert_eq!(r.errors.len(), 1, "the error is still told");
        // Read again: the new answer stands.
        let fresh = Roster {
            entries: vec![e("bo", 1, t(7, 0), t(19, 0))],
            ..Default::default()
        };
        assert_eq!(old.refreshed(fresh).entries[0].who, "bo");
    }

    #[test]
    fn the_rota_takes_turns_from_its_start() {
        let dir = Directory {
            rota: Some(Rota {
                name: "ops".into(),
                members: vec!["ana.lima".into(), "bo".into(), "rafael".into()],
                start: t(7, 0) - chrono::Duration::days(1),
                hours: 12,
            }),
            ..Default::default()
        };
        // Turns: day-1 07–19 ana, 19–07 bo, 07–19 rafael, 19–07 ana.
        let r = Roster {
            entries: rota_entries(&dir, t(10, 0)),
            ..Default::default()
        };
        assert_eq!(
            r.summary(t(10, 0), "bo", &dir, chrono_tz::UTC, false)
                .as_deref(),
            Some("on call: rafael until 19:00 · next: ana.lima")
        );
        assert!(
            rota_entries(&dir, t(10, 0) - chrono::Duration::days(3)).is_empty(),
            "before it starts"
        );
    }
}
