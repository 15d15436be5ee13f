//! What kind of list a file is: a routine due by its cadence, or a
//! playbook started on an incident or a release.

use super::{RawChecklist, weekday};
use crate::diagnostic::FileProblem;
use crate::domain::Severity;
use crate::domain::checklist::playbook::{Match, Playbook};
use crate::domain::checklist::{Cadence, DayList};

/// The cadence a routine list is due by; a playbook has none (its runs are
/// done once each).
pub(super) fn cadence(
    raw: &RawChecklist,
    at: &dyn Fn(usize, String) -> FileProblem,
) -> Result<Cadence, FileProblem> {
    let playbook = raw
        .kind
        .as_ref()
        .is_some_and(|k| k.get_ref().trim() == "playbook");
    let Some(cadence) = raw.cadence.as_ref() else {
        if playbook {
            return Ok(Cadence::Once);
        }
        return Err(at(
            raw.name.span().start,
            "cadence: missing (shift, daily, weekly, monthly, quarterly, after or once; or kind = \"playbook\")".into(),
        ));
    };
    if playbook {
        return Err(at(
            cadence.span().start,
            "cadence: a playbook is started on an incident or a release, not due by the clock: remove cadence".into(),
        ));
    }
    Ok(match cadence.get_ref().trim() {
        "shift" => Cadence::Shift,
        "daily" if raw.daily_for.is_some() => {
            let n = raw.daily_for.as_ref().expect("checked");
            if !(1..=366).contains(n.get_ref()) {
                return Err(at(
                    n.span().start,
                    format!("daily_for: {} is not in 1..366 days", n.get_ref()),
                ));
            }
            Cadence::DailyFor {
                start: start_date(raw, at, "daily_for")?,
                days: *n.get_ref() as u32,
            }
        }
        "daily" => Cadence::Daily,
        "quarterly" => {
            let month = raw.month.as_ref().map_or(1, |m| *m.get_ref());
            let day = raw.day.as_ref().map_or(1, |d| *d.get_ref());
            if !(1..=3).contains(&month) {
                return Err(at(
                    raw.month.as_ref().map_or(0, |m| m.span().start),
                    format!("month: {month} is not in 1..3 (the month of each quarter)"),
                ));
            }
            if !(1..=28).contains(&day) {
                return Err(at(
                    raw.day.as_ref().map_or(0, |d| d.span().start),
                    format!("day: {day} is not in 1..28 (every month has those days)"),
                ));
            }
            Cadence::Quarterly {
                month: month as u32,
                day: day as u32,
            }
        }
        "after" => {
            let start = start_date(raw, at, "an after cadence")?;
            let days = raw.days.as_ref().ok_or_else(|| {
                at(
                    cadence.span().start,
                    "days: an after cadence needs days = [1, 7, 14, 30] (Day 1 is the start)"
                        .into(),
                )
            })?;
            let list: Vec<u16> = days
                .get_ref()
                .iter()
                .filter_map(|d| u16::try_from(*d).ok())
                .collect();
            let ok =
                list.len() == days.get_ref().len() && list.iter().all(|d| (1..=3660).contains(d));
            Cadence::After {
                start,
                days: DayList::new(&list).filter(|_| ok).ok_or_else(|| {
                    at(
                        days.span().start,
                        "days: 1 to 16 day numbers, each 1 or more (Day 1 is the start)".into(),
                    )
                })?,
            }
        }
        "once" => Cadence::Once,
        "weekly" => {
            let w = raw.weekday.as_ref().ok_or_else(|| {
                at(
                    cadence.span().start,
                    "weekday: a weekly checklist needs weekday = \"monday\" (or another day)"
                        .into(),
                )
            })?;
            Cadence::Weekly {
                weekday: weekday(w.get_ref()).ok_or_else(|| {
                    at(
                        w.span().start,
                        format!("weekday: {:?} is not a day of the week", w.get_ref()),
                    )
                })?,
            }
        }
        "monthly" => {
            let d = raw.day.as_ref().ok_or_else(|| {
                at(
                    cadence.span().start,
                    "day: a monthly checklist needs day = 1..28".into(),
                )
            })?;
            if !(1..=28).contains(d.get_ref()) {
                return Err(at(
                    d.span().start,
                    format!(
                        "day: {} is not in 1..28 (every month has those days)",
                        d.get_ref()
                    ),
                ));
            }
            Cadence::Monthly {
                day: *d.get_ref() as u32,
            }
        }
        other => {
            return Err(at(
                cadence.span().start,
                format!(
                    "cadence: unknown {other:?} (expected shift, daily, weekly, monthly, quarterly, after or once)"
                ),
            ));
        }
    })
}

/// `kind = "playbook"` and its `[offer]`; `None` for a routine list.
pub(super) fn playbook(
    raw: &RawChecklist,
    at: &dyn Fn(usize, String) -> FileProblem,
) -> Result<Option<Playbook>, FileProblem> {
    match raw.kind.as_ref().map(|k| (k, k.get_ref().trim())) {
        None | Some((_, "routine")) => {
            if raw.offer.is_some() {
                return Err(at(
                    raw.name.span().start,
                    "offer: only a playbook (kind = \"playbook\") is offered for incidents".into(),
                ));
            }
            Ok(None)
        }
        Some((_, "playbook")) => {
            let mut offer = Match::default();
            if let Some(o) = &raw.offer {
                offer.services = o.services.iter().map(|s| s.trim().to_string()).collect();
                offer.words = o.words.iter().map(|w| w.trim().to_lowercase()).collect();
                for s in &o.severities {
                    offer
                        .severities
                        .push(s.get_ref().trim().parse::<Severity>().map_err(|_| {
                            at(
                                s.span().start,
                                format!(
                                    "offer.severities: {:?} is not P1, P2, P3 or P4",
                                    s.get_ref()
                                ),
                            )
                        })?);
                }
            }
            Ok(Some(Playbook { offer, run: None }))
        }
        Some((k, other)) => Err(at(
            k.span().start,
            format!("kind: unknown {other:?} (expected routine or playbook)"),
        )),
    }
}

fn start_date(
    raw: &RawChecklist,
    problem: &dyn Fn(usize, String) -> FileProblem,
    what: &str,
) -> Result<chrono::NaiveDate, FileProblem> {
    let s = raw.start.as_ref().ok_or_else(|| {
        problem(
            raw.cadence.as_ref().map_or(0, |c| c.span().start),
            format!("start: {what} needs start = \"YYYY-MM-DD\" (Day 1)"),
        )
    })?;
    chrono::NaiveDate::parse_from_str(s.get_ref().trim(), "%Y-%m-%d").map_err(|_| {
        problem(
            s.span().start,
            format!(
                "start: {:?} is not a date (write \"2026-12-01\")",
                s.get_ref()
            ),
        )
    })
}
