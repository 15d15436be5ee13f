//! Change records (seed 001 §7): every operational change is written down
//! with who made it, its type, impact and downtime, what was done and how
//! to roll it back. One journal entry each; the handover prints them in
//! the runbook's layout (`## YYYY-MM-DD – description`).

use super::format::parse_span;
use super::journal::{EntryKind, JournalEntry};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

pub const KINDS: &[&str] = &["configuration", "deployment", "hotfix", "maintenance"];
pub const IMPACTS: &[&str] = &["high", "medium", "low"];

/// A change as the operator describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRecord {
    pub title: String,
    pub kind: String,
    pub impact: String,
    /// `None`: no downtime.
    pub downtime: Option<Duration>,
    pub description: String,
    pub rollback: String,
}

/// "none", "no" and "0" are no downtime; else a span (`30m`, `2h`).
pub fn parse_downtime(text: &str) -> Result<Option<Duration>, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "none" | "no" | "0" | "0m" => Ok(None),
        t => parse_span(t, Duration::days(7))
            .map(Some)
            .map_err(|e| format!("downtime: {e}, or none")),
    }
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<String, String> {
    let v = value.trim().to_ascii_lowercase();
    if allowed.contains(&v.as_str()) {
        Ok(v)
    } else {
        Err(format!(
            "{field}: {value:?} is not one of {}",
            allowed.join(", ")
        ))
    }
}

impl ChangeRecord {
    /// Checked as the runbook asks: a title, a known type and impact, and
    /// a rollback plan (a change without one is not ready to be made).
    pub fn new(
        title: &str,
        kind: &str,
        impact: &str,
        downtime: &str,
        description: &str,
        rollback: &str,
    ) -> Result<ChangeRecord, String> {
        let title = title.trim();
        if title.is_empty() {
            return Err("title: describe the change in a few words".into());
        }
        if rollback.trim().is_empty() {
            return Err("rollback: every change needs a rollback plan".into());
        }
        Ok(ChangeRecord {
            title: title.to_string(),
            kind: one_of("type", kind, KINDS)?,
            impact: one_of("impact", impact, IMPACTS)?,
            downtime: parse_downtime(downtime)?,
            description: description.trim().to_string(),
            rollback: rollback.trim().to_string(),
        })
    }

    pub fn entry(&self, at: DateTime<Utc>, shift: &str, operator: &str) -> JournalEntry {
        JournalEntry::new(at, shift, operator, EntryKind::Change)
            .with("title", self.title.as_str())
            .with("type", self.kind.as_str())
            .with("impact", self.impact.as_str())
            .with(
                "downtime_minutes",
                self.downtime.map_or(0, |d| d.num_minutes()),
            )
            .with("description", self.description.as_str())
            .with("rollback", self.rollback.as_str())
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn downtime_words(entry: &JournalEntry) -> String {
    match entry
        .fields
        .get("downtime_minutes")
        .and_then(|v| v.as_i64())
    {
        None | Some(0) => "No".to_string(),
        Some(m) => format!(
            "Yes - {}",
            super::format::coarse_duration(Duration::minutes(m))
        ),
    }
}

/// "hotfix, impact low, no downtime: Restarted the HEC forwarder".
pub fn summary(entry: &JournalEntry) -> String {
    let f = |k: &str| entry.field(k).unwrap_or("");
    let down = match downtime_words(entry).as_str() {
        "No" => "no downtime".to_string(),
        d => format!("downtime {}", d.trim_start_matches("Yes - ")),
    };
    format!(
        "{}, impact {}, {down}: {}",
        f("type"),
        f("impact"),
        f("title")
    )
}

/// The runbook's layout, for the handover and the weekly report.
pub fn markdown(entry: &JournalEntry, tz: Tz) -> String {
    let f = |k: &str| entry.field(k).unwrap_or("");
    let date = entry.at.with_timezone(&tz).format("%Y-%m-%d");
    let or_none = |s: &str| {
        if s.trim().is_empty() {
            "_None given._".to_string()
        } else {
            s.to_string()
        }
    };
    format!(
        "### {date} – {}\n\n**Responsible:** {}  \n**Type:** {}  \n**Impact:** {}  \n**Downtime:** {}\n\n#### Description\n\n{}\n\n#### Rollback plan\n\n{}\n",
        f("title"),
        entry.operator,
        capital(f("type")),
        capital(f("impact")),
        downtime_words(entry),
        or_none(f("description")),
        or_none(f("rollback")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_checked_and_written_in_the_runbooks_layout() {
        let c = ChangeRecord::new(
            "Raised the HEC queue size",
            "Configuration",
            "low",
            "none",
            "queue 5000 to 20000 on every forwarder",
            "set it back to 5000 and restart",
        )
        .unwrap();
        let at: DateTime<Utc> = "2026-12-02T03:10:00Z".parse().unwrap();
        let e = c.entry(at, "20261202-0100-ana", "ana");
        assert_eq!(
            summary(&e),
            "configuration, impact low, no downtime: Raised the HEC queue size"
        );
        let md = markdown(&e, chrono_tz::America::Sao_Paulo);
        assert!(
            md.starts_with("### 2026-12-02 – Raised the HEC queue size\n"),
            "{md}"
        );
        assert!(md.contains("**Responsible:** ana  \n**Type:** Configuration  \n**Impact:** Low  \n**Downtime:** No\n"), "{md}");
        assert!(
            md.contains("#### Rollback plan\n\nset it back to 5000 and restart"),
            "{md}"
        );
        let down = ChangeRecord::new("Failover", "hotfix", "high", "30m", "", "fail back")
            .unwrap()
            .entry(at, "s", "bo");
        assert!(markdown(&down, Tz::UTC).contains("**Downtime:** Yes - 30m"));
        assert_eq!(
            summary(&down),
            "hotfix, impact high, downtime 30m: Failover"
        );
    }

    #[test]
    fn a_change_without_its_parts_is_refused_naming_the_field() {
        let e = |r: Result<ChangeRecord, String>| r.unwrap_err();
        assert!(
            e(ChangeRecord::new("x", "tweak", "low", "none", "", "back"))
                .starts_with("type: \"tweak\" is not one of configuration")
        );
        assert!(
            e(ChangeRecord::new("x", "hotfix", "huge", "none", "", "back")).starts_with("impact:")
        );
        assert!(
            e(ChangeRecord::new(
                "x", "hotfix", "low", "a while", "", "back"
            ))
            .starts_with("downtime:")
        );
        assert!(
            e(ChangeRecord::new("x", "hotfix", "low", "none", "", " ")).starts_with("rollback:")
        );
        assert!(e(ChangeRecord::new(" ", "hotfix", "low", "none", "", "b")).starts_with("title:"));
    }
}
