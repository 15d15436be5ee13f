//! `shiftdeck incidents followups`: every follow-up still open and those of
//! the window, with the overdue summary the weekly review reads; and
//! `incidents evidence`: an incident's evidence, or one file of it.

use super::exit;
use crate::config::Config;
use crate::domain::IncidentBook;
use crate::domain::incident::followup;
use chrono::Utc;

pub(super) fn list(
    book: &IncidentBook,
    config: &Config,
    overdue: bool,
    window: &str,
    json: bool,
) -> i32 {
    let span = match crate::domain::format::parse_span(window, chrono::Duration::days(3660)) {
        Ok(s) => s,
        Err(e) => {
            errln!("error: --window {e}");
            return exit::USAGE;
        }
    };
    let now = Utc::now();
    let incidents: Vec<&crate::domain::Incident> = book.all().iter().collect();
    let mut listed = followup::listed(&incidents, now, span);
    let summary = followup::summary(&listed, now, span);
    if overdue {
        listed.retain(|f| f.overdue(now));
    }
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "summary": summary, "followups": listed })
            )
            .unwrap_or_default()
        );
    } else {
        let tz = config.timezone;
        for f in &listed {
            let title = book
                .get(&f.incident)
                .map(|i| i.title.as_str())
                .unwrap_or("");
            let state = if f.is_open() {
                followup::due_words(f, now)
            } else {
                f.state_words()
            };
            let due = f
                .due
                .map(|d| d.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|| "—".into());
            outln!(
                "{:<10} {:<26} {:<12} {:<16} {}\n           {} — {}",
                f.id,
                f.incident,
                f.owner,
                due,
                state,
                crate::domain::sanitize::line(&f.text),
                crate::domain::sanitize::line(title)
            );
        }
        if listed.is_empty() {
            errln!(
                "{}",
                if overdue {
                    "no follow-up is overdue"
                } else {
                    "no follow-ups"
                }
            );
        }
        errln!(
            "{} open ({} overdue), {} done, {} dropped — the open ones and the last {} days",
            summary.open,
            summary.overdue,
            summary.done,
            summary.dropped,
            summary.window_days
        );
    }
    if summary.overdue > 0 {
        exit::OVERDUE
    } else {
        exit::OK
    }
}

pub(super) fn evidence(
    workspace: &std::path::Path,
    config: &Config,
    id: &str,
    name: Option<&str>,
    json: bool,
) -> i32 {
    let store = crate::store::evidence::EvidenceStore::new(workspace);
    let all = match store.of(id) {
        Ok(a) => a,
        Err(e) => {
            errln!("error: cannot read incidents/artifacts.jsonl: {e}");
            return exit::FAILURE;
        }
    };
    match name {
        None if json => {
            outln!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
        }
        None => {
            for a in &all {
                outln!("{:<10} {}", a.id, a.line(config.timezone));
            }
            if all.is_empty() {
                errln!(
                    "no evidence on {id}: `shiftdeck incidents attach {id} FILE | --command CMD` adds some"
                );
            }
        }
        Some(key) => {
            let Some(a) = all.iter().find(|a| a.name == key || a.id == key) else {
                errln!("error: no evidence {key:?} on {id}");
                return exit::NOT_FOUND;
            };
            match store.read(a) {
                Ok(text) => out!("{}", crate::domain::sanitize::text(&text)),
                Err(e) => {
                    errln!("error: {}: {e}", a.path());
                    return exit::FAILURE;
                }
            }
        }
    }
    exit::OK
}
