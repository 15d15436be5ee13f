//! PagerDuty, Opsgenie, JSM and Alertmanager in the CLI: live lists (the saved list when the
//! vendor cannot be reached), actions queued on disk and sent at once when
//! the vendor answers, and `incidents sync` for what waits.

use super::exit;
use crate::config::Config;
use crate::domain::journal::JournalEntry;
use crate::domain::outbox::{Finished, Outcome, Queued, RemoteAction};
use crate::domain::remote::ask::{Ask, prepare};
use crate::domain::{Incident, IncidentBook, IncidentChange};
use crate::integrations::inbox::SourceClient;
use crate::integrations::inbox::sync::{Flush, flush, round};
use crate::integrations::probes::DEFAULT_MOCK_BASE;
use crate::store::remote::{OutboxStore, QueueError, Snapshot};
use chrono::{DateTime, Utc};
use std::path::Path;
use std::time::Duration;

pub(super) struct Remote {
    rt: tokio::runtime::Runtime,
    clients: Vec<SourceClient>,
    store: OutboxStore,
}

/// What `--source` may name.
pub(super) const SOURCE_CHOICES: &str =
    "all, local, pagerduty, opsgenie, jsm, alertmanager or a source's name";

impl Remote {
    pub(super) fn new(config: &Config, workspace: &Path) -> Result<Remote, i32> {
        let rt = super::probe::runtime()?;
        let http = crate::integrations::http_client(Duration::from_secs(30)).map_err(|e| {
            errln!("error: {e}");
            exit::FAILURE
        })?;
        let clients = source_clients(config, &http);
        let store = OutboxStore::new(workspace);
        // A line that cannot be read is named once and left alone.
        if let Ok((_, issues)) = store.read() {
            for i in issues {
                errln!("{i}");
            }
        }
        Ok(Remote { rt, clients, store })
    }

    /// The sources `--source` picks; `None` when it names nothing known.
    pub(super) fn select(config: &Config, which: &str) -> Option<Vec<usize>> {
        let all = 0..config.incident_sources.len();
        let picks: Vec<usize> = match which {
            "all" => all.collect(),
            "local" => Vec::new(),
            "pagerduty" | "opsgenie" | "jsm" | "alertmanager" => all
                .filter(|&i| config.incident_sources[i].kind.as_str() == which)
                .collect(),
            name => {
                let i = config
                    .incident_sources
                    .iter()
                    .position(|s| s.name == name)?;
                vec![i]
            }
        };
        Some(picks)
    }

    /// The sources an id like "PD-4211" can come from: the one whose
    /// prefix it carries, else all.
    pub(super) fn for_key(config: &Config, key: &str) -> Vec<usize> {
        let upper = key.to_ascii_uppercase();
        let hit: Vec<usize> = config
            .incident_sources
            .iter()
            .enumerate()
            .filter(|(_, s)| upper.starts_with(&format!("{}-", s.prefix().to_ascii_uppercase())))
            .map(|(i, _)| i)
            .collect();
        if hit.is_empty() {
            (0..config.incident_sources.len()).collect()
        } else {
            hit
        }
    }

    /// Read the picked sources (all at once) into the book, with what waits
    /// in the outbox marked. A source that cannot be read falls back to its
    /// saved list, with a warning on stderr.
    pub(super) fn load_into(&self, book: &mut IncidentBook, picks: &[usize], tz: chrono_tz::Tz) {
        let now = Utc::now();
        let results = self.rt.block_on(async {
            let lists = picks.iter().map(|&i| self.clients[i].list());
            futures_util::future::join_all(lists).await
        });
        let outbox = self.store.read().map(|(o, _)| o).unwrap_or_default();
        for (&i, result) in picks.iter().zip(results) {
            let c = &self.clients[i];
            let list = match result {
                Ok(l) => {
                    let _ = self.store.save_snapshot(
                        c.name(),
                        &Snapshot {
                            fetched_at: now,
                            incidents: l.incidents.clone(),
                        },
                    );
                    Some(l.incidents)
                }
                Err(e) => {
                    let saved = self.store.load_snapshot(c.name());
                    let when = saved.as_ref().map(|s| age(s.fetched_at, now));
                    match when {
                        Some(w) => errln!(
                            "warning: {}: {} (showing the list saved {w} ago)",
                            c.name(),
                            e.message()
                        ),
                        None => errln!("warning: {}: {}", c.name(), e.message()),
                    }
                    saved.map(|s| s.incidents)
                }
            };
            if let Some(list) = list {
                book.set_remote(
                    c.name(),
                    list.iter().map(|r| r.to_incident()).collect(),
                    now,
                );
            }
            let pending: Vec<(String, String)> = outbox
                .pending_for(c.name())
                .map(|p| (p.queued.incident.clone(), p.label(tz)))
                .collect();
            book.set_pending(c.name(), &pending);
        }
        let waiting = outbox.pending.len();
        if waiting > 0 {
            errln!(
                "note: {} in the outbox: `shiftdeck incidents sync` sends them",
                crate::domain::format::plural(waiting, "action waits", "actions wait")
            );
        }
    }

    /// An incident no open list has any more (resolved or closed at its
    /// vendor), that this workspace acted on: read by itself from the
    /// vendor, by the id the outbox kept. `false` when there is none.
    pub(super) fn load_one(&self, book: &mut IncidentBook, key: &str) -> bool {
        let Ok((outbox, _)) = self.store.read() else {
            return false;
        };
        let known = outbox
            .pending
            .iter()
            .map(|p| &p.queued)
            .chain(outbox.finished.iter().map(|f| &f.queued))
            .find(|q| q.incident.eq_ignore_ascii_case(key.trim()))
            .map(|q| (q.source.clone(), q.remote_id.clone()));
        let Some((source, remote_id)) = known else {
            return false;
        };
        let Some(c) = self.clients.iter().find(|c| c.name() == source) else {
            return false;
        };
        match self.rt.block_on(c.get(&remote_id)) {
            Ok(r) => {
                book.put_remote(r.to_incident());
                true
            }
            Err(e) => {
                errln!("warning: {}: {}", c.name(), e.message());
                false
            }
        }
    }

    /// Queue an action on a remote incident (checked by the one rule,
    /// `ask::prepare`) and send what waits for its source, in order.
    pub(super) fn act(&self, workspace: &Path, config: &Config, inc: &Incident, ask: Ask) -> i32 {
        let operator = config.operator.as_str();
        let q = match prepare(
            inc,
            &ask,
            crate::store::remote::new_action_id(),
            operator,
            Utc::now(),
        ) {
            Ok(q) => q,
            Err(why) => {
                errln!("error: refused: {why}");
                return exit::REFUSED;
            }
        };
        let Some(client) = self.clients.iter().find(|c| c.name() == q.source) else {
            return exit::FAILURE;
        };
        let redactor = crate::ops::redactor(config);
        // `--readonly` is refused before any action gets here.
        let session = crate::ops::Session::new(workspace, config, false, &redactor);
        let mut log = crate::ops::OpenShift::new(workspace, operator);
        let q = match session.queue_remote(&mut log, q) {
            Ok((q, journaled)) => {
                if let Err(e) = journaled {
                    errln!("warning: not in the shift journal: {e}");
                }
                q
            }
            Err(e @ QueueError::AlreadyQueued(_)) => {
                errln!("error: refused: {e}");
                return exit::REFUSED;
            }
            Err(e) => {
                errln!("error: not queued: {e}");
                return exit::FAILURE;
            }
        };
        let f = self.rt.block_on(flush(client, &self.store));
        record_finished(workspace, operator, &f.finished);
        let mine = f.finished.iter().find(|x| x.queued.id == q.id);
        report(&f, mine, &q)
    }

    /// Send everything that waits, then list: `incidents sync`.
    pub(super) fn sync(&self, workspace: &Path, config: &Config, json: bool) -> i32 {
        if self.clients.is_empty() {
            errln!("no incident sources configured: add [[incident_sources]] to shiftdeck.toml");
            return exit::OK;
        }
        let rounds = self.rt.block_on(async {
            let all = self.clients.iter().map(|c| round(c, &self.store));
            futures_util::future::join_all(all).await
        });
        let mut waiting = 0;
        let mut rows = Vec::new();
        for (c, r) in self.clients.iter().zip(rounds) {
            record_finished(workspace, &config.operator, &r.flush.finished);
            if let Ok(l) = &r.listing {
                let _ = self.store.save_snapshot(
                    c.name(),
                    &Snapshot {
                        fetched_at: Utc::now(),
                        incidents: l.incidents.clone(),
                    },
                );
            }
            waiting += r.pending.len();
            let listed = match &r.listing {
                Ok(l) => format!("{} open", l.incidents.len()),
                Err(e) => format!("not listed: {}", e.message()),
            };
            let why = if r.flush.busy {
                "another shiftdeck is sending them".to_string()
            } else {
                r.flush.blocked.clone().unwrap_or_default()
            };
            if json {
                rows.push(serde_json::json!({
                    "source": c.name(),
                    "vendor": c.vendor().as_str(),
                    "listed": r.listing.as_ref().map(|l| l.incidents.len()).ok(),
                    "error": r.listing.as_ref().err().map(|e| e.message()),
                    "finished": r.flush.finished.iter().map(|f| serde_json::json!({
                        "incident": f.queued.incident,
                        "action": f.queued.action,
                        "outcome": f.outcome,
                        "detail": f.detail,
                    })).collect::<Vec<_>>(),
                    "waiting": r.pending.len(),
                    "why_waiting": if r.pending.is_empty() { None } else { Some(why) },
                }));
                continue;
            }
            outln!("{} ({}): {listed}", c.name(), c.vendor());
            for f in &r.flush.finished {
                outln!("  {:<12} {}", f.outcome.as_str(), f.detail);
            }
            if !r.pending.is_empty() {
                outln!(
                    "  {} still waiting: {why}",
                    crate::domain::format::plural(r.pending.len(), "action", "actions")
                );
            }
        }
        if json {
            outln!(
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
        }
        if waiting > 0 { exit::QUEUED } else { exit::OK }
    }
}

/// Where `mode = "mock"` points and `OPERATOR_WIRING_MODE`, from the
/// environment, as every CLI command that talks to a vendor reads them.
pub(super) fn wiring() -> (Option<String>, String) {
    let base = DEMO_STAND_INS.get().cloned().unwrap_or_else(|| {
        std::env::var("SHIFTDECK_MOCK_BASE").unwrap_or_else(|_| DEFAULT_MOCK_BASE.to_string())
    });
    (crate::secrets::var("OPERATOR_WIRING_MODE"), base)
}

/// Where `--demo`'s own stand-ins listen, when a command runs on the demo.
static DEMO_STAND_INS: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// `--demo` with a command: serve the demo's stand-ins (as the full screen
/// does) on a loopback port for this process, and point `mode = "mock"`
/// at them.
pub fn serve_demo_stand_ins(mocks: crate::integrations::mock::Mocks) -> std::io::Result<()> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::Builder::new()
        .name("demo-stand-ins".into())
        .spawn(move || {
            rt.block_on(async move {
                if let Ok(l) = tokio::net::TcpListener::from_std(listener) {
                    let _ = mocks.serve(l).await;
                }
            })
        })?;
    let _ = DEMO_STAND_INS.set(format!("http://{addr}"));
    Ok(())
}

/// A client for every configured incident source, wired as the
/// environment says.
pub(super) fn source_clients(config: &Config, http: &reqwest::Client) -> Vec<SourceClient> {
    let (wiring, mock_base) = wiring();
    crate::ops::source_clients(config, http, wiring.as_deref(), &mock_base)
}

fn age(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    crate::domain::format::coarse_duration(now - then)
}

fn record_finished(workspace: &Path, operator: &str, finished: &[Finished]) {
    for f in finished {
        super::journal::record_action(workspace, operator, |s| {
            JournalEntry::remote_finished(&s.id, operator, f)
        });
    }
}

/// Print what became of the action just queued; its exit code.
fn report(f: &Flush, mine: Option<&Finished>, q: &Queued) -> i32 {
    for other in f.finished.iter().filter(|x| x.queued.id != q.id) {
        outln!(
            "{} (queued earlier): {}",
            other.outcome.as_str(),
            other.detail
        );
    }
    match mine {
        Some(m) => match m.outcome {
            Outcome::Sent | Outcome::AlreadyDone => {
                outln!("{}", m.detail);
                exit::OK
            }
            Outcome::Dropped | Outcome::Failed => {
                errln!("error: {}", m.detail);
                exit::REFUSED
            }
        },
        None => {
            let why = if f.busy {
                "another shiftdeck is sending this source's actions".to_string()
            } else {
                f.blocked
                    .clone()
                    .unwrap_or_else(|| format!("{} has not processed it yet", q.vendor))
            };
            errln!(
                "queued: {} for {} — not sent yet: {why}\nit is sent when {} answers (`shiftdeck incidents sync`, or the full screen)",
                q.describe(),
                q.vendor,
                q.vendor
            );
            exit::QUEUED
        }
    }
}

/// The ask for one of the three actions a local incident has too.
pub(super) fn ask_for(change: &IncidentChange) -> Option<Ask> {
    let action = match change {
        IncidentChange::Acknowledged { .. } => RemoteAction::Acknowledge,
        IncidentChange::Note { .. } => RemoteAction::Note,
        IncidentChange::Resolved { .. } => RemoteAction::Resolve,
        _ => return None,
    };
    Some(Ask::new(action).with_message(change.message()))
}
