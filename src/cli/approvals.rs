//! `shiftdeck approvals …`

use super::{ApprovalsCmd, exit};
use crate::config::Config;
use crate::domain::approval::{ApprovalState, Decision};
use crate::domain::format::coarse_duration;
use crate::ops::approvals::DecideRequest;
use crate::ops::{OpenShift, Session};
use crate::store::IncidentStore;
use crate::store::approvals::{ApprovalStore, DecideError};
use chrono::Utc;
use std::path::Path;

pub fn run(workspace: &Path, config: &Config, readonly: bool, cmd: ApprovalsCmd) -> i32 {
    let store = ApprovalStore::new(workspace);
    let now = Utc::now();
    let (id, decision, reason) = match cmd {
        ApprovalsCmd::List { state, json } => {
            let filter = match state.as_deref().map(|s| ApprovalState::parse(s).ok_or(s)) {
                Some(Err(s)) => {
                    errln!(
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
                    errln!("error: cannot read {}: {e}", store.dir().display());
                    return exit::FAILURE;
                }
            };
            for b in &loaded.bad {
                errln!("error: {b}");
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
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&records).unwrap_or_default()
                );
            } else if records.is_empty() {
                outln!("no approval records");
            } else {
                outln!(
                    "{:<8} {:<14} {:<9} {:>14}  TITLE",
                    "RISK",
                    "ID",
                    "STATE",
                    "AGE"
                );
                for r in records {
                    let overdue = if r.overdue(now) { " OVERDUE" } else { "" };
                    outln!(
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
                outln!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
            } else {
                outln!("[{}] {} — {}", r.risk.as_str(), r.title, r.state);
                outln!("id        {}", r.id);
                outln!("target    {} {}", r.target.kind, r.target.name);
                outln!("change    {}", r.change.summary);
                if !r.change.plan.is_empty() {
                    outln!("plan      {}", r.change.plan);
                }
                outln!(
                    "requested {} by {}",
                    r.created_at.to_rfc3339(),
                    r.requested_by
                );
                for e in &r.evidence {
                    outln!("evidence  {e}");
                }
                outln!("history");
                for h in &r.history {
                    outln!(
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
    let redactor = crate::ops::redactor(config);
    let local = match IncidentStore::new(workspace).load() {
        Ok((book, _)) => book,
        Err(e) => {
            errln!("error: cannot read the incidents the P1 pause is checked against: {e}");
            return exit::FAILURE;
        }
    };
    let session = Session::new(workspace, config, readonly, &redactor);
    let mut log = OpenShift::new(workspace, &config.operator);
    let request = DecideRequest {
        id: &id,
        decision,
        reason: &reason,
    };
    match session.decide(&local, &mut log, request, now) {
        Ok(done) => {
            if let Err(e) = done.journaled {
                errln!("warning: not in the shift journal: {e}");
            }
            outln!("{} is {}", done.record.id, done.record.state);
            exit::OK
        }
        Err(e) => report(&e),
    }
}

fn report(e: &DecideError) -> i32 {
    errln!("error: {e}");
    match e {
        DecideError::NotFound(_) => exit::NO_APPROVAL,
        DecideError::Refused(crate::domain::approval::Refusal::ReadOnly) => exit::READ_ONLY,
        DecideError::Refused(_) => exit::REFUSED,
        DecideError::Bad(_) | DecideError::Io(_) => exit::FAILURE,
    }
}
