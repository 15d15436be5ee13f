//! `shiftdeck approvals …`

use super::{ApprovalsCmd, exit};
use crate::config::{Config, Role};
use crate::domain::Severity;
use crate::domain::approval::{ApprovalState, Decision, DecisionContext};
use crate::domain::format::coarse_duration;
use crate::domain::journal::JournalEntry;
use crate::store::IncidentStore;
use crate::store::approvals::{ApprovalStore, DecideError};
use chrono::Utc;
use std::path::Path;

fn open_p1(workspace: &Path) -> Option<(String, String)> {
    let (book, _) = IncidentStore::new(workspace).load().ok()?;
    book.all()
        .iter()
        .filter(|i| i.severity == Severity::P1 && i.is_active())
        .min_by_key(|i| i.started_at)
        .map(|i| (i.id.clone(), i.title.clone()))
}

pub fn run(workspace: &Path, config: &Config, readonly: bool, cmd: ApprovalsCmd) -> i32 {
    let store = ApprovalStore::new(workspace);
    let now = Utc::now();
    let (id, decision, reason) = match cmd {
        ApprovalsCmd::List { state, json } => {
            let filter = match state.as_deref().map(|s| ApprovalState::parse(s).ok_or(s)) {
                Some(Err(s)) => {
                    eprintln!(
                        "error: unknown state {s:?} (proposed, pending, approved, rejected, applied)"
                    );
                    return exit::USAGE;
                }
                Some(Ok(s)) => Some(s),
                None => None,
            };
            let loaded = match store.load() {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", store.dir().display());
                    return exit::FAILURE;
                }
            };
            for b in &loaded.bad {
                eprintln!("error: {b}");
            }
            let mut records: Vec<_> = loaded
                .records
                .iter()
                .filter(|r| filter.is_none_or(|s| r.state == s))
                .collect();
            records.sort_by(|a, b| {
                b.state
                    .is_open()
                    .cmp(&a.state.is_open())
                    .then(a.risk.cmp(&b.risk))
                    .then(a.created_at.cmp(&b.created_at))
            });
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&records).unwrap_or_default()
                );
            } else if records.is_empty() {
                println!("no approval records");
            } else {
                println!(
                    "{:<8} {:<14} {:<9} {:>14}  TITLE",
                    "RISK", "ID", "STATE", "AGE"
                );
                for r in records {
                    let overdue = if r.overdue(now) { " OVERDUE" } else { "" };
                    println!(
                        "{:<8} {:<14} {:<9} {:>14}  {}",
                        r.risk.as_str(),
                        r.id,
                        r.state,
                        format!("{}{overdue}", coarse_duration(r.age(now))),
                        r.title
                    );
                }
            }
            return exit::OK;
        }
        ApprovalsCmd::Show { id, json } => {
            let r = match store.find(&id) {
                Ok(r) => r,
                Err(e) => return report(&e),
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
            } else {
                println!("[{}] {} — {}", r.risk.as_str(), r.title, r.state);
                println!("id        {}", r.id);
                println!("target    {} {}", r.target.kind, r.target.name);
                println!("change    {}", r.change.summary);
                if !r.change.plan.is_empty() {
                    println!("plan      {}", r.change.plan);
                }
                println!(
                    "requested {} by {}",
                    r.created_at.to_rfc3339(),
                    r.requested_by
                );
                for e in &r.evidence {
                    println!("evidence  {e}");
                }
                println!("history");
                for h in &r.history {
                    println!(
                        "  {}  {} → {}  {}: {}",
                        h.at.to_rfc3339(),
                        h.from.map(|s| s.as_str()).unwrap_or("-"),
                        h.to,
                        h.by,
                        h.reason
                    );
                }
            }
            return exit::OK;
        }
        ApprovalsCmd::Approve { id, reason } => (id, Decision::Approve, reason),
        ApprovalsCmd::Reject { id, reason } => (id, Decision::Reject, reason),
        ApprovalsCmd::Apply { id, reason } => (id, Decision::Apply, reason),
        ApprovalsCmd::Submit { id, reason } => (id, Decision::Submit, reason),
    };
    let reason = super::journal::redactor(config).redact(&reason).text;
    let ctx = DecisionContext {
        approver: config.role == Role::Approver,
        readonly,
        open_p1: open_p1(workspace),
    };
    let full_id = match store.find(&id) {
        Ok(r) => r.id,
        Err(e) => return report(&e),
    };
    match store.decide(&full_id, decision, &config.operator, &reason, &ctx, now) {
        Ok(record) => {
            super::journal::record_action(workspace, &config.operator, |s| {
                JournalEntry::approval(now, &s.id, &config.operator, &record, &reason)
            });
            println!("{} is {}", record.id, record.state);
            exit::OK
        }
        Err(e) => report(&e),
    }
}

fn report(e: &DecideError) -> i32 {
    eprintln!("error: {e}");
    match e {
        DecideError::NotFound(_) => exit::NOT_FOUND,
        DecideError::Refused(crate::domain::approval::Refusal::ReadOnly) => exit::READ_ONLY,
        DecideError::Refused(_) => exit::REFUSED,
        DecideError::Bad(_) | DecideError::Io(_) => exit::FAILURE,
    }
}
