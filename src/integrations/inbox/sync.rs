//! One round for a source: send what waits in the outbox, in order, then
//! list the open incidents. The TUI's poller and the CLI both run it.
//!
//! Sending holds the source's sender lock, so two processes never send the
//! same action. Each action is marked attempted (durably) before its
//! request goes out; what the vendor answered is recorded after. An action
//! whose vendor is unreachable, rate limited or refusing the credential
//! stays queued, and so does everything after it for that source.

use super::{ErrorKind, Listing, Sent, SourceClient, VendorError};
use crate::domain::outbox::{
    Finished, Outbox, OutboxLine, Outcome, Pending, Plan, VendorState, plan,
};
use crate::store::remote::OutboxStore;
use chrono::Utc;
use std::collections::HashSet;
use std::time::Duration;

/// How often, and after what pause, an accepted Opsgenie request is asked
/// after within one round; later rounds ask again.
const FOLLOW_UP: [u64; 4] = [0, 300, 700, 1500];
/// An accepted request Opsgenie still knows nothing of after this long is
/// given up on (and the operator told).
const FOLLOW_UP_LIMIT: chrono::Duration = chrono::Duration::hours(1);

/// What sending the outbox did.
#[derive(Debug, Default)]
pub struct Flush {
    /// Actions that reached a final outcome in this round.
    pub finished: Vec<Finished>,
    /// Why the rest wait (vendor unreachable, rate limited, refused key,
    /// outbox not writable).
    pub blocked: Option<String>,
    pub blocked_by: Option<VendorError>,
    /// Another process is sending this source's actions.
    pub busy: bool,
}

/// A whole round.
#[derive(Debug)]
pub struct Round {
    pub flush: Flush,
    pub listing: Result<Listing, VendorError>,
    /// The source's actions still waiting after the round.
    pub pending: Vec<Pending>,
}

enum Step {
    Finished(Finished),
    /// Accepted by the vendor, not processed yet: asked after next round.
    Later,
    Blocked(String, Option<VendorError>),
}

/// Send what waits, then list.
pub async fn round(c: &SourceClient, store: &OutboxStore) -> Round {
    let flush = flush(c, store).await;
    // A vendor that did not answer the sender will not answer the list
    // either: one timeout per round, not two.
    let listing = match &flush.blocked_by {
        Some(e) if e.kind == ErrorKind::Unreachable => Err(e.clone()),
        _ => c.list().await,
    };
    let pending = store
        .read()
        .map(|(o, _)| o.pending_for(c.name()).cloned().collect())
        .unwrap_or_default();
    Round {
        flush,
        listing,
        pending,
    }
}

/// Send the source's queued actions in order.
pub async fn flush(c: &SourceClient, store: &OutboxStore) -> Flush {
    let mut out = Flush::default();
    let _lock = match store.try_sender(c.name()) {
        Ok(Some(l)) => l,
        Ok(None) => {
            out.busy = true;
            return out;
        }
        Err(e) => {
            out.blocked = Some(format!("the outbox lock cannot be taken: {e}"));
            return out;
        }
    };
    let mut tried: HashSet<String> = HashSet::new();
    // Incidents with an action still in flight: later actions on them wait.
    let mut held: HashSet<String> = HashSet::new();
    loop {
        let outbox = match store.read() {
            Ok((o, _)) => o,
            Err(e) => {
                out.blocked = Some(format!("the outbox cannot be read: {e}"));
                return out;
            }
        };
        let todo: Vec<Pending> = outbox
            .pending_for(c.name())
            .filter(|p| !tried.contains(&p.queued.id))
            .cloned()
            .collect();
        if todo.is_empty() {
            return out;
        }
        for p in todo {
            tried.insert(p.queued.id.clone());
            if held.contains(&p.queued.remote_id) {
                continue;
            }
            match step(c, store, &p).await {
                Step::Finished(f) => out.finished.push(f),
                Step::Later => {
                    held.insert(p.queued.remote_id.clone());
                }
                Step::Blocked(why, e) => {
                    out.blocked = Some(why);
                    out.blocked_by = e;
                    return out;
                }
            }
        }
    }
}

fn finish(store: &OutboxStore, p: &Pending, outcome: Outcome, detail: String) -> Step {
    let at = Utc::now();
    let line = OutboxLine::Done {
        id: p.queued.id.clone(),
        at,
        outcome,
        detail: detail.clone(),
    };
    if let Err(e) = store.record(&line) {
        // Not on disk: the next round checks the vendor again and records it then.
        return Step::Blocked(format!("the outbox cannot be written: {e}"), None);
    }
    Step::Finished(Finished {
        queued: p.queued.clone(),
        outcome,
        detail,
        at,
    })
}

fn blocked(e: VendorError) -> Step {
    Step::Blocked(e.message(), Some(e))
}

async fn step(c: &SourceClient, store: &OutboxStore, p: &Pending) -> Step {
    let q = &p.queued;
    if let Some(request_id) = &p.request_id {
        return follow_up(c, store, p, request_id).await;
    }
    // Expiring a silence does not depend on the alert: it may have cleared.
    if q.action == crate::domain::outbox::RemoteAction::Expire {
        return send_now(c, store, p).await;
    }
    let state = match c.get(&q.remote_id).await {
        Ok(inc) => VendorState {
            status: inc.status,
            acknowledged_by: inc.acknowledged.map(|(_, by)| by),
            resolved: inc.resolved,
        },
        // Only the vendor's own "no such incident" drops an action: a 404
        // from a wrong base_url or a proxy keeps it queued.
        Err(e) if e.incident_gone() => {
            let gone = if q.vendor == crate::domain::remote::Vendor::Alertmanager {
                "has cleared at"
            } else {
                "no longer exists at"
            };
            return finish(
                store,
                p,
                Outcome::Dropped,
                format!(
                    "{} {gone} {}: your {} was not sent",
                    q.incident, q.vendor, q.action
                ),
            );
        }
        Err(e) => return blocked(e),
    };
    let resolved_here = store
        .read()
        .map(|(o, _): (Outbox, _)| o.resolved_here(&q.remote_id))
        .unwrap_or(false);
    match plan(p, &state, resolved_here) {
        Plan::Finish(outcome, detail) => finish(store, p, outcome, detail),
        Plan::LookForNote => match c.has_note(&q.remote_id, q.reference()).await {
            Ok(true) => finish(
                store,
                p,
                Outcome::AlreadyDone,
                format!("the note on {} was already at {}", q.incident, q.vendor),
            ),
            Ok(false) => send_now(c, store, p).await,
            Err(e) => blocked(e),
        },
        Plan::Send => send_now(c, store, p).await,
    }
}

async fn send_now(c: &SourceClient, store: &OutboxStore, p: &Pending) -> Step {
    let q = &p.queued;
    let attempt = OutboxLine::Attempt {
        id: q.id.clone(),
        at: Utc::now(),
    };
    if let Err(e) = store.record(&attempt) {
        return Step::Blocked(format!("not sent: the outbox cannot be written: {e}"), None);
    }
    let verb = q.action.done_verb(q.vendor);
    match c.send(q).await {
        Ok(Sent::Done) => finish(
            store,
            p,
            Outcome::Sent,
            format!("{verb} {} at {}", q.incident, q.vendor),
        ),
        Ok(Sent::Accepted(request_id)) => {
            let line = OutboxLine::Accepted {
                id: q.id.clone(),
                at: Utc::now(),
                request_id: request_id.clone(),
            };
            if let Err(e) = store.record(&line) {
                return Step::Blocked(format!("the outbox cannot be written: {e}"), None);
            }
            let mut p = p.clone();
            p.request_id = Some(request_id.clone());
            p.accepted_at = Some(Utc::now());
            follow_up(c, store, &p, &request_id).await
        }
        // PagerDuty's own codes: 1001 already resolved, 1002 already acknowledged.
        Err(e) if e.code == Some(1001) => {
            let (outcome, detail) = if q.action == crate::domain::outbox::RemoteAction::Resolve {
                (
                    Outcome::AlreadyDone,
                    format!("{} was already resolved", q.incident),
                )
            } else {
                (
                    Outcome::Dropped,
                    format!(
                        "{} was already resolved at {}: your {} was not sent",
                        q.incident, q.vendor, q.action
                    ),
                )
            };
            finish(store, p, outcome, detail)
        }
        Err(e) if e.code == Some(1002) => finish(
            store,
            p,
            Outcome::AlreadyDone,
            format!("{} was already acknowledged", q.incident),
        ),
        Err(e) if e.retry_later() => blocked(e),
        Err(e) if e.incident_gone() => finish(
            store,
            p,
            Outcome::Dropped,
            format!(
                "{} {}: no longer at {}: not sent",
                q.action, q.incident, q.vendor
            ),
        ),
        Err(e) => finish(
            store,
            p,
            Outcome::Failed,
            format!(
                "{} refused {} {}: {}",
                q.vendor,
                q.action,
                q.incident,
                e.message()
            ),
        ),
    }
}

async fn follow_up(c: &SourceClient, store: &OutboxStore, p: &Pending, request_id: &str) -> Step {
    let q = &p.queued;
    let verb = q.action.done_verb(q.vendor);
    for pause in FOLLOW_UP {
        if pause > 0 {
            tokio::time::sleep(Duration::from_millis(pause)).await;
        }
        match c.request_status(request_id).await {
            Ok(Some(Ok(status))) => {
                let detail = if status.is_empty() {
                    format!("{verb} {} at {}", q.incident, q.vendor)
                } else {
                    format!("{verb} {} at {} ({status})", q.incident, q.vendor)
                };
                return finish(store, p, Outcome::Sent, detail);
            }
            Ok(Some(Err(status))) => {
                return finish(
                    store,
                    p,
                    Outcome::Failed,
                    format!("{} did not {} {}: {status}", q.vendor, q.action, q.incident),
                );
            }
            Ok(None) => {}
            Err(e) if e.retry_later() => return blocked(e),
            Err(e) => {
                return finish(
                    store,
                    p,
                    Outcome::Failed,
                    format!("{} {}: {}", q.action, q.incident, e.message()),
                );
            }
        }
    }
    let accepted = p.accepted_at.unwrap_or_else(Utc::now);
    if Utc::now() - accepted > FOLLOW_UP_LIMIT {
        return finish(
            store,
            p,
            Outcome::Failed,
            format!(
                "{} accepted {} {} but never processed it (request {request_id})",
                q.vendor, q.action, q.incident
            ),
        );
    }
    Step::Later
}
