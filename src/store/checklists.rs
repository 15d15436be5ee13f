//! Checklist files: `checklists/*.toml` in the workspace. A broken file is
//! reported with its file, line and field; the others still load.

use crate::diagnostic::FileProblem;
use crate::domain::checklist::{Cadence, Checklist, Clock, Step};
use chrono::Weekday;
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;
use toml::Spanned;

mod kind;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    id: Option<Spanned<String>>,
    name: Spanned<String>,
    /// `playbook`: started on an incident or a release (no cadence).
    kind: Option<Spanned<String>>,
    cadence: Option<Spanned<String>>,
    /// A playbook's incidents to offer it for.
    offer: Option<RawOffer>,
    weekday: Option<Spanned<String>>,
    day: Option<Spanned<i64>>,
    /// Quarterly: which month of the quarter (1–3).
    month: Option<Spanned<i64>>,
    /// `after` and `daily_for`: Day 1.
    start: Option<Spanned<String>>,
    /// `after`: the days, counted from `start` (Day 1).
    days: Option<Spanned<Vec<i64>>>,
    /// A daily list that runs this many days from `start`.
    daily_for: Option<Spanned<i64>>,
    at: Option<Spanned<String>>,
    window: Option<Spanned<String>>,
    #[serde(default)]
    ordered: bool,
    #[serde(default)]
    source: String,
    steps: Spanned<Vec<RawStep>>,
}

/// `[offer]` of a playbook.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffer {
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    words: Vec<String>,
    #[serde(default)]
    severities: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    criteria: Vec<String>,
    command: Option<Spanned<String>>,
    timeout: Option<Spanned<i64>>,
    #[serde(default)]
    requires: Vec<Spanned<String>>,
    at: Option<Spanned<String>>,
    window: Option<Spanned<String>>,
    weekday: Option<Spanned<String>>,
    day: Option<Spanned<i64>>,
}

/// `at = "09:00"` and `window = "30m"`, read where they were written.
fn clock_of(
    at: &Option<Spanned<String>>,
    window: &Option<Spanned<String>>,
    problem: &dyn Fn(usize, String) -> FileProblem,
    field: &str,
) -> Result<Clock, FileProblem> {
    let mut clock = Clock::default();
    if let Some(a) = at {
        clock.at = Some(
            chrono::NaiveTime::parse_from_str(a.get_ref().trim(), "%H:%M").map_err(|_| {
                problem(
                    a.span().start,
                    format!(
                        "{field}at: {:?} is not a time of day (write \"09:00\")",
                        a.get_ref()
                    ),
                )
            })?,
        );
    }
    if let Some(w) = window {
        if clock.at.is_none() {
            return Err(problem(
                w.span().start,
                format!("{field}window: a window needs an at = \"HH:MM\" to start from"),
            ));
        }
        let d = crate::domain::format::parse_span(w.get_ref(), chrono::Duration::hours(24))
            .map_err(|e| problem(w.span().start, format!("{field}window: {e}")))?;
        clock.window = Some(d);
    }
    Ok(clock)
}

/// Default time a step's command may run.
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;

fn weekday(s: &str) -> Option<Weekday> {
    match s.trim().to_ascii_lowercase().as_str() {
        "monday" | "mon" => Some(Weekday::Mon),
        "tuesday" | "tue" => Some(Weekday::Tue),
        "wednesday" | "wed" => Some(Weekday::Wed),
        "thursday" | "thu" => Some(Weekday::Thu),
        "friday" | "fri" => Some(Weekday::Fri),
        "saturday" | "sat" => Some(Weekday::Sat),
        "sunday" | "sun" => Some(Weekday::Sun),
        _ => None,
    }
}

/// Parse one checklist file.
pub fn parse(path: &Path, source: &str) -> Result<Checklist, FileProblem> {
    let raw: RawChecklist =
        toml::from_str(source).map_err(|e| FileProblem::from_toml(path, source, &e))?;
    let at = |offset: usize, msg: String| FileProblem::at(path, source, offset, msg);
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("checklist")
        .to_string();
    let id = raw
        .id
        .as_ref()
        .map(|s| s.get_ref().trim().to_string())
        .unwrap_or(stem);
    if id.is_empty() {
        return Err(at(
            raw.id.as_ref().map(|s| s.span().start).unwrap_or(0),
            "id: must not be empty".into(),
        ));
    }
    if raw.name.get_ref().trim().is_empty() {
        return Err(at(raw.name.span().start, "name: must not be empty".into()));
    }
    let playbook = kind::playbook(&raw, &at)?;
    let cadence = kind::cadence(&raw, &at)?;
    if raw.steps.get_ref().is_empty() {
        return Err(at(
            raw.steps.span().start,
            "steps: a checklist needs at least one [[steps]]".into(),
        ));
    }
    let mut seen = HashSet::new();
    let mut steps = Vec::new();
    for s in raw.steps.get_ref() {
        let sid = s.id.get_ref().trim().to_string();
        if sid.is_empty() {
            return Err(at(s.id.span().start, "steps.id: must not be empty".into()));
        }
        if !seen.insert(sid.clone()) {
            return Err(at(
                s.id.span().start,
                format!("steps.id: {sid:?} appears twice"),
            ));
        }
        if s.title.get_ref().trim().is_empty() {
            return Err(at(
                s.title.span().start,
                format!("steps.title: step {sid:?} needs a title"),
            ));
        }
        let command = match &s.command {
            Some(c) if c.get_ref().trim().is_empty() => {
                return Err(at(
                    c.span().start,
                    format!("steps.command: step {sid:?} has an empty command"),
                ));
            }
            Some(c) => Some(c.get_ref().trim().to_string()),
            None => None,
        };
        let timeout = match &s.timeout {
            Some(t) if command.is_none() => {
                return Err(at(
                    t.span().start,
                    format!("steps.timeout: step {sid:?} has a timeout but no command"),
                ));
            }
            Some(t) if !(1..=3600).contains(t.get_ref()) => {
                return Err(at(
                    t.span().start,
                    format!("steps.timeout: {} seconds is not in 1..3600", t.get_ref()),
                ));
            }
            Some(t) => *t.get_ref() as u64,
            None => DEFAULT_TIMEOUT_SECS,
        };
        let mut clock = clock_of(&s.at, &s.window, &at, "steps.")?;
        if let Some(w) = &s.weekday {
            clock.weekday = Some(weekday(w.get_ref()).ok_or_else(|| {
                at(
                    w.span().start,
                    format!("steps.weekday: {:?} is not a day of the week", w.get_ref()),
                )
            })?);
        }
        if let Some(d) = &s.day {
            let listed = match cadence {
                Cadence::After { days, .. } => u16::try_from(*d.get_ref())
                    .ok()
                    .filter(|n| days.days().contains(n)),
                _ => None,
            };
            clock.day = Some(listed.ok_or_else(|| {
                at(
                    d.span().start,
                    format!(
                        "steps.day: step {sid:?} is for Day {}, which is not one of the list's days",
                        d.get_ref()
                    ),
                )
            })?);
        }
        steps.push((
            s,
            Step {
                id: sid,
                title: s.title.get_ref().trim().to_string(),
                detail: s.detail.trim().to_string(),
                criteria: s.criteria.clone(),
                command,
                timeout,
                requires: s
                    .requires
                    .iter()
                    .map(|r| r.get_ref().trim().to_string())
                    .collect(),
                clock,
            },
        ));
    }
    for (raw_step, step) in &steps {
        for (req, spanned) in step.requires.iter().zip(&raw_step.requires) {
            if !seen.contains(req) {
                return Err(at(
                    spanned.span().start,
                    format!(
                        "steps.requires: step {:?} requires {req:?}, which is not a step here",
                        step.id
                    ),
                ));
            }
        }
    }
    let plain: Vec<Step> = steps.iter().map(|(_, s)| s.clone()).collect();
    if let Some(cycle) = crate::domain::checklist::requires_cycle(&plain)
        && let Some((raw_step, _)) = steps.iter().find(|(_, s)| s.id == cycle[0])
    {
        let offset = raw_step
            .requires
            .first()
            .map(|r| r.span().start)
            .unwrap_or(0);
        return Err(at(
            offset,
            format!(
                "steps.requires: {} — no step of the cycle could ever be checked",
                cycle.join(" → ")
            ),
        ));
    }
    let clock = clock_of(&raw.at, &raw.window, &at, "")?;
    Ok(Checklist {
        clock,
        id,
        name: raw.name.get_ref().trim().to_string(),
        cadence,
        ordered: raw.ordered,
        source: raw.source,
        steps: steps.into_iter().map(|(_, s)| s).collect(),
        playbook,
    })
}

/// Load every checklist in the workspace: the good ones, and a problem for
/// each file that could not be used.
pub fn load(workspace: &Path) -> (Vec<Checklist>, Vec<FileProblem>) {
    let dir = workspace.join("checklists");
    let mut lists = Vec::new();
    let mut problems = Vec::new();
    let mut paths: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            problems.push(FileProblem::new(&dir, None, format!("cannot read: {e}")));
            Vec::new()
        }
    };
    paths.sort();
    let mut ids = HashSet::new();
    for path in paths {
        let source = match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) => {
                problems.push(FileProblem::new(&path, None, format!("cannot read: {e}")));
                continue;
            }
        };
        match parse(&path, &source) {
            Ok(list) if !ids.insert(list.id.clone()) => {
                problems.push(FileProblem::new(
                    &path,
                    None,
                    format!(
                        "id {:?} is used by another checklist file; this one is skipped",
                        list.id
                    ),
                ));
            }
            Ok(list) => lists.push(list),
            Err(p) => problems.push(p),
        }
    }
    (lists, problems)
}

/// Every checklist file and the journal's checklist entries as far back as
/// the periods in force need (a per-shift list: since `shift_started`; a
/// list done once, or a playbook's runs: all of them). The one loader for
/// the screen and the CLI.
pub fn load_with_history(
    workspace: &Path,
    journal: &crate::store::journal::JournalStore,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
    shift_started: Option<chrono::DateTime<chrono::Utc>>,
) -> (
    Vec<Checklist>,
    Vec<FileProblem>,
    std::io::Result<Vec<crate::domain::journal::JournalEntry>>,
) {
    let (lists, problems) = load(workspace);
    // A per-shift list with no shift open needs nothing read.
    let earliest = lists
        .iter()
        .filter_map(|l| match l.cadence {
            Cadence::Once => Some(chrono::DateTime::<chrono::Utc>::MIN_UTC),
            c => c.period_start(now, tz).or(shift_started),
        })
        .min();
    let history = match earliest {
        Some(since) => journal.kind_since(crate::domain::journal::EntryKind::Checklist, since),
        None => Ok(Vec::new()),
    };
    (lists, problems, history)
}

#[cfg(test)]
mod tests;
