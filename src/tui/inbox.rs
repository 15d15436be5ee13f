//! The incident sources' pollers: one task per source, on the same loop as
//! the health probes (interval, jitter, backoff, "poll now" wakes it). Each
//! round sends the source's queued actions, lists its open incidents, keeps
//! the list on disk, and reports to the app; its health goes to the Health
//! pane under the source's name.

use super::health::Pollers;
use crate::app::{InboxReport, Msg};
use crate::domain::health::{HealthStatus, ProbeOutcome};
use crate::integrations::inbox::sync::round;
use crate::integrations::inbox::{SourceClient, SourceConfig, listing_outcome};
use crate::integrations::probes::ProbeContext;
use crate::store::remote::{OutboxStore, Snapshot};
use chrono::Utc;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, mpsc};

pub struct Spawn<'a> {
    pub sources: &'a [SourceConfig],
    pub operator: &'a str,
    pub workspace: &'a Path,
    pub wiring_mode: Option<&'a str>,
    pub mock_base: &'a str,
    /// Only read: nothing is sent (the outbox waits for a writable run).
    pub readonly: bool,
    pub redactor: std::sync::Arc<crate::domain::redact::Redactor>,
}

pub fn spawn(s: Spawn<'_>, pollers: &mut Pollers, app: mpsc::UnboundedSender<Msg>) {
    if s.sources.is_empty() {
        return;
    }
    let http = match crate::integrations::http_client(Duration::from_secs(30)) {
        Ok(c) => c,
        Err(e) => {
            let _ = app.send(Msg::Notice(Err(format!("incident sources are off: {e}"))));
            return;
        }
    };
    for (i, cfg) in s.sources.iter().cloned().enumerate() {
        let notify = Arc::new(Notify::new());
        pollers.add(cfg.name.clone(), notify.clone());
        let ctx = ProbeContext {
            mode: cfg.effective_mode(s.wiring_mode),
            mock_base: s.mock_base.to_string(),
        };
        let interval = cfg.interval.max(5);
        let client = SourceClient::new(cfg, http.clone(), &ctx, s.operator);
        let store = OutboxStore::new(s.workspace);
        let (app, readonly, redactor) = (app.clone(), s.readonly, s.redactor.clone());
        tokio::spawn(async move {
            // The last list on disk first, so the inbox is there at once,
            // with what waits in the outbox (and, once, what in it is unreadable).
            // Files are read off the runtime's workers (they serve the keys too).
            let (disk, name) = (store.clone(), client.name().to_string());
            let read = tokio::task::spawn_blocking(move || {
                (disk.read().unwrap_or_default(), disk.load_snapshot(&name))
            });
            let ((outbox, issues), snap) = read.await.unwrap_or_default();
            let problems: Vec<String> = if i == 0 {
                issues.iter().map(|i| i.to_string()).collect()
            } else {
                Vec::new()
            };
            if snap.is_some() || !problems.is_empty() {
                let fetched_at = snap.as_ref().map(|s| s.fetched_at).unwrap_or_else(Utc::now);
                let _ = app.send(Msg::Inbox(Box::new(InboxReport {
                    source: client.name().to_string(),
                    incidents: snap.map(|s| s.incidents),
                    fetched_at,
                    error: None,
                    finished: Vec::new(),
                    pending: outbox.pending_for(client.name()).cloned().collect(),
                    blocked: None,
                    problems,
                })));
            }
            let name = client.name().to_string();
            crate::integrations::poller::run(
                interval,
                Duration::from_millis(30 + 20 * i as u64),
                1000 + i as u64,
                notify,
                || one_round(&client, &store, &app, readonly, &redactor),
                |outcome| {
                    app.send(Msg::Probed {
                        name: name.clone(),
                        outcome: crate::ops::health::redact_outcome(&redactor, outcome),
                        at: Utc::now(),
                    })
                    .is_ok()
                },
            )
            .await;
        });
    }
}

async fn one_round(
    client: &SourceClient,
    store: &OutboxStore,
    app: &mpsc::UnboundedSender<Msg>,
    readonly: bool,
    redactor: &crate::domain::redact::Redactor,
) -> ProbeOutcome {
    let r = if readonly {
        crate::integrations::inbox::sync::Round {
            flush: Default::default(),
            listing: client.list().await,
            pending: store
                .read()
                .map(|(o, _)| o.pending_for(client.name()).cloned().collect())
                .unwrap_or_default(),
        }
    } else {
        round(client, store).await
    };
    let now = Utc::now();
    let (incidents, error, mut outcome) = match r.listing {
        Ok(l) => {
            // Written (only when it changed) off the runtime's workers: an
            // fsync must not hold up the keys.
            let (disk, name, snapshot) = (
                store.clone(),
                client.name().to_string(),
                Snapshot {
                    fetched_at: now,
                    incidents: l.incidents.clone(),
                },
            );
            let _ = tokio::task::spawn_blocking(move || disk.save_snapshot(&name, &snapshot)).await;
            let o = listing_outcome(&client.cfg, &l);
            (Some(l.incidents), None, o)
        }
        Err(e) => (
            None,
            Some(redactor.redact_values(&e.message()).text),
            e.outcome,
        ),
    };
    // Listing works but actions cannot go (no From email, a key that may
    // read but not write): the source is not fully green.
    if outcome.status == HealthStatus::Up
        && !r.pending.is_empty()
        && let Some(e) = &r.flush.blocked_by
    {
        let retry_after = e.outcome.retry_after;
        outcome = ProbeOutcome::failed(
            HealthStatus::Degraded,
            e.outcome.class,
            format!(
                "{}; {} waiting: {}",
                outcome.summary,
                crate::domain::format::plural(r.pending.len(), "action", "actions"),
                e.outcome.summary
            ),
            e.outcome.hint.clone(),
            outcome.latency_ms,
        );
        outcome.retry_after = retry_after;
    }
    let _ = app.send(Msg::Inbox(Box::new(InboxReport {
        source: client.name().to_string(),
        incidents,
        fetched_at: now,
        error,
        finished: r.flush.finished,
        pending: r.pending,
        blocked: r.flush.blocked,
        problems: Vec::new(),
    })));
    outcome
}
