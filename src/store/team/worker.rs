//! The team thread: one connection, its notifications, the copies both
//! ways and the claims, on a small runtime of its own, so nothing else in
//! the process ever waits on the database longer than a claim's limit.

use super::copy;
use super::files::{CopyState, Known, StreamFile};
use super::link::{Link, Target};
use super::{Claimed, Event, LinkState, Req, Shared};
use crate::domain::journal::{EntryKind, JournalEntry};
use chrono::Utc;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// How often the files are looked at for lines written by other processes
/// on this host (a few `stat`s); this process's own writes nudge at once.
const LOOK: Duration = Duration::from_secs(5);

pub(super) struct Worker {
    root: PathBuf,
    operator: String,
    origin: String,
    target: Result<Target, String>,
    retry: Duration,
    shared: Arc<Shared>,
    link: Option<Link>,
    next_try: Instant,
    down_since: Option<chrono::DateTime<Utc>>,
    state: CopyState,
    known: Known,
    /// The approvals' and handovers' directories as last copied up.
    dirs_seen: Vec<Option<std::time::SystemTime>>,
    held: Vec<String>,
}

enum Wake {
    Req(Option<Req>),
    Note(Option<String>),
    Tick,
}

/// This copy's name in the rows it writes: who, where, and a random tag
/// kept in `team/origin`.
fn origin(root: &Path, operator: &str) -> String {
    let path = root.join("team").join("origin");
    let tag = match std::fs::read_to_string(&path) {
        Ok(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => {
            let mut b = [0u8; 4];
            let _ = getrandom::fill(&mut b);
            let t = b.iter().map(|x| format!("{x:02x}")).collect::<String>();
            let _ = crate::store::journal::atomic_write(&path, t.as_bytes());
            t
        }
    };
    let mut host = [0u8; 256];
    // SAFETY: gethostname writes at most len bytes into the buffer.
    let ok = unsafe { libc::gethostname(host.as_mut_ptr().cast(), host.len()) } == 0;
    let host = if ok {
        let end = host.iter().position(|b| *b == 0).unwrap_or(host.len());
        String::from_utf8_lossy(&host[..end]).into_owned()
    } else {
        "host".into()
    };
    format!("{operator}@{host}#{tag}")
}

fn dirs(root: &Path) -> Vec<Option<std::time::SystemTime>> {
    let mut paths: Vec<PathBuf> = crate::domain::approval::ApprovalState::ALL
        .iter()
        .map(|s| root.join("approvals").join(s.as_str()))
        .collect();
    paths.push(root.join("journal").join("handover"));
    paths
        .iter()
        .map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .collect()
}

impl Worker {
    pub(super) fn new(root: &Path, config: &crate::config::Config, shared: Arc<Shared>) -> Worker {
        Worker {
            root: root.to_path_buf(),
            operator: config.operator.clone(),
            origin: origin(root, &config.operator),
            target: super::link::target(&config.store),
            retry: Duration::from_secs(config.store.retry_secs.max(1)),
            shared,
            link: None,
            next_try: Instant::now(),
            down_since: None,
            state: CopyState::default(),
            known: Known::default(),
            dirs_seen: Vec::new(),
            held: Vec::new(),
        }
    }

    pub(super) fn run(mut self, rx: mpsc::UnboundedReceiver<Req>) {
        let rt = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                self.lost(format!("cannot start the team thread: {e}"));
                return;
            }
        };
        rt.block_on(self.main(rx));
    }

    async fn main(&mut self, mut rx: mpsc::UnboundedReceiver<Req>) {
        loop {
            if self.link.is_none() && Instant::now() >= self.next_try {
                self.connect().await;
            }
            let wake_at = if self.link.is_some() {
                Instant::now() + LOOK
            } else {
                self.next_try
            };
            let wake = {
                let note = async {
                    match self.link.as_mut() {
                        Some(l) => l.notes.recv().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    r = rx.recv() => Wake::Req(r),
                    n = note => Wake::Note(n),
                    _ = tokio::time::sleep_until(wake_at.into()) => Wake::Tick,
                }
            };
            match wake {
                Wake::Req(None) | Wake::Req(Some(Req::Stop)) => return,
                Wake::Req(Some(req)) => self.handle(req).await,
                Wake::Note(Some(_)) => {
                    // One copy down for a burst of notifications.
                    if let Some(l) = self.link.as_mut() {
                        while l.notes.try_recv().is_ok() {}
                    }
                    let _ = self.down().await;
                }
                Wake::Note(None) => self.lost("the connection to the team store closed".into()),
                Wake::Tick => {
                    if self.link.is_some() {
                        let _ = self.up().await;
                    }
                }
            }
        }
    }

    fn say(&self, e: Event) {
        self.shared.emit(e);
    }

    fn lost(&mut self, why: String) {
        self.link = None;
        self.held.clear();
        self.next_try = Instant::now() + self.retry;
        let since = *self.down_since.get_or_insert_with(Utc::now);
        let state = if self.state.store_id.is_empty() {
            CopyState::load_last(&self.root)
        } else {
            self.state.clone()
        };
        let waiting = copy::waiting(&self.root, &state);
        let s = self.shared.set_status(|s| {
            s.link = LinkState::Down { since, why };
            s.waiting = waiting;
        });
        self.say(Event::Status(s));
    }

    async fn connect(&mut self) {
        let target = match &self.target {
            Ok(t) => t,
            Err(why) => {
                let why = why.clone();
                self.lost(why);
                // The variable is read once per process: no point in retrying.
                self.next_try = Instant::now() + Duration::from_secs(365 * 24 * 3600);
                return;
            }
        };
        let mut link = match target.connect().await {
            Ok(l) => l,
            Err(why) => return self.lost(why),
        };
        let limit = target.timeout;
        let ready = tokio::time::timeout(limit, super::admin::check_ready(&mut link.client)).await;
        let (server, store_id) = match ready {
            Ok(Ok(r)) => r,
            Ok(Err(why)) => return self.lost(why),
            Err(_) => return self.lost("the team store did not answer in time".into()),
        };
        if let Err(e) = link.client.batch_execute("LISTEN shiftdeck").await {
            return self.lost(super::link::explain(&target.var, &e));
        }
        self.state = CopyState::load(&self.root, &store_id);
        self.link = Some(link);
        // Everything written meanwhile goes up once, then the others' down,
        // before anyone is told the store is there.
        self.dirs_seen.clear();
        if self.up().await.is_err() || self.down().await.is_err() {
            return;
        }
        let was_down = self.down_since.take().is_some();
        let s = self.shared.set_status(|s| {
            s.link = LinkState::Up;
            s.server = Some(server);
            s.waiting = 0;
        });
        self.say(Event::Status(s));
        if was_down {
            self.say(Event::Notice(
                "team store reachable again: local entries copied up".into(),
            ));
        }
    }

    async fn guarded<T>(
        &mut self,
        f: impl AsyncFnOnce(&mut Worker) -> Result<T, tokio_postgres::Error>,
    ) -> Result<T, String> {
        let limit = self
            .target
            .as_ref()
            .map_or(Duration::from_secs(5), |t| t.timeout)
            * 2;
        match tokio::time::timeout(limit, f(self)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => {
                let var = self
                    .target
                    .as_ref()
                    .map_or("", |t| t.var.as_str())
                    .to_string();
                let why = super::link::explain(&var, &e);
                self.lost(why.clone());
                Err(why)
            }
            Err(_) => {
                let why = "the team store did not answer in time".to_string();
                self.lost(why.clone());
                Err(why)
            }
        }
    }

    /// Copy up what this host wrote; tell the operator of any decision the
    /// team had already made otherwise.
    async fn up(&mut self) -> Result<(), String> {
        if self.link.is_none() {
            return Err("not connected".into());
        }
        let now_dirs = dirs(&self.root);
        let records = now_dirs != self.dirs_seen;
        let done = self
            .guarded(async |w: &mut Worker| {
                let client = &mut w.link.as_mut().expect("link").client;
                if records {
                    copy::up(client, &w.root, &mut w.state, &w.origin).await
                } else {
                    copy::up_lines(client, &w.root, &mut w.state, &w.origin).await
                }
            })
            .await?;
        if records {
            self.dirs_seen = now_dirs;
        }
        for c in done.conflicts {
            self.refused(&c);
        }
        Ok(())
    }

    async fn down(&mut self) -> Result<(), String> {
        if self.link.is_none() {
            return Err("not connected".into());
        }
        let got = self
            .guarded(async |w: &mut Worker| {
                let client = &mut w.link.as_mut().expect("link").client;
                copy::down(client, &w.root, &mut w.state, &mut w.known).await
            })
            .await?;
        if got.lines + got.records > 0 {
            self.dirs_seen = dirs(&self.root);
            self.say(Event::Pulled);
        }
        Ok(())
    }

    /// A decision refused on copy: the operator is told, and it is in the journal.
    fn refused(&mut self, c: &copy::Conflict) {
        let journal = crate::store::journal::JournalStore::new(&self.root);
        if let Ok(Some((shift, _, _))) = journal.open_shift(&self.operator) {
            let entry = if c.incident {
                JournalEntry::new(Utc::now(), &shift.id, &self.operator, EntryKind::Incident)
                    .with("action", "refused on copy")
                    .with("incident_id", c.id.as_str())
                    .with("title", c.title.as_str())
                    .with("message", c.words.as_str())
            } else {
                JournalEntry::new(Utc::now(), &shift.id, &self.operator, EntryKind::Approval)
                    .with("action", "refused")
                    .with("id", c.id.as_str())
                    .with("title", c.title.as_str())
                    .with("text", c.words.as_str())
            };
            let _ = journal.append(&shift, &entry);
        }
        self.say(Event::Notice(format!(
            "refused on copy: {}: {}",
            c.id, c.words
        )));
    }

    async fn handle(&mut self, req: Req) {
        match req {
            Req::Stop => {}
            Req::Nudge => {
                if self.link.is_some() {
                    let _ = self.up().await;
                }
            }
            Req::Reconnect => {
                if self.link.is_none() {
                    self.next_try = Instant::now();
                } else {
                    let _ = self.up().await;
                    let _ = self.down().await;
                }
            }
            Req::Flush(reply) => {
                let r = match self.up().await {
                    Ok(()) => self.down().await,
                    Err(e) => Err(e),
                };
                let _ = reply.send(r);
            }
            Req::Change { event, line, reply } => {
                let r = self.change(&event, &line).await;
                let _ = reply.send(r);
            }
            Req::Decide {
                id,
                decision,
                by,
                reason,
                ctx,
                now,
                reply,
            } => {
                let r = self.decide(&id, decision, &by, &reason, &ctx, now).await;
                let _ = reply.send(r);
            }
            Req::Sender { name, reply } => {
                let r = self.take_sender(&name).await;
                let _ = reply.send(r);
            }
            Req::Unsender { name } => {
                let _ = self.up().await;
                if let Some(i) = self.held.iter().position(|n| *n == name) {
                    self.held.remove(i);
                    let _ = self
                        .guarded(async |w: &mut Worker| {
                            let client = &w.link.as_ref().expect("link").client;
                            client
                                .execute("SELECT pg_advisory_unlock(hashtext($1))", &[&name])
                                .await
                        })
                        .await;
                }
            }
        }
    }

    async fn change(
        &mut self,
        event: &crate::domain::IncidentEvent,
        line: &str,
    ) -> Result<Claimed<(), crate::domain::IncidentRefusal>, String> {
        // Whatever this host wrote first (the declaration itself, maybe).
        self.up().await?;
        let file = StreamFile::for_row("events", "").expect("events");
        let id = file.id(line).to_string();
        let claimed = self
            .guarded(async |w: &mut Worker| {
                let client = &mut w.link.as_mut().expect("link").client;
                super::claim::change(client, event, line, &id, &w.origin).await
            })
            .await?;
        if let Claimed::Done(()) = claimed {
            // If this fails, the copy down brings the line.
            let _ = self
                .known
                .append_new(&self.root, &file, &[line.to_string()]);
        }
        Ok(claimed)
    }

    #[allow(clippy::too_many_arguments)]
    async fn decide(
        &mut self,
        id: &str,
        decision: crate::domain::approval::Decision,
        by: &str,
        reason: &str,
        ctx: &crate::domain::approval::DecisionContext,
        now: chrono::DateTime<Utc>,
    ) -> Result<
        Claimed<crate::domain::approval::ApprovalRecord, crate::domain::approval::Refusal>,
        String,
    > {
        self.dirs_seen.clear();
        self.up().await?;
        let claimed = self
            .guarded(async |w: &mut Worker| {
                let client = &mut w.link.as_mut().expect("link").client;
                super::claim::decide(client, id, decision, by, reason, ctx, now).await
            })
            .await?;
        Ok(match claimed {
            Claimed::Done((record, text)) => {
                let store = crate::store::approvals::ApprovalStore::new(&self.root);
                if store.put_copy(id, record.state.as_str(), &text).is_ok() {
                    self.state
                        .approvals
                        .insert(id.to_string(), super::files::digest(&text));
                    let _ = self.state.save(&self.root);
                }
                Claimed::Done(record)
            }
            Claimed::Refused(r) => Claimed::Refused(r),
            Claimed::Unknown => Claimed::Unknown,
        })
    }

    async fn take_sender(&mut self, name: &str) -> Option<bool> {
        self.link.as_ref()?;
        if self.held.iter().any(|n| n == name) {
            return Some(false);
        }
        let got = self
            .guarded(async |w: &mut Worker| {
                let client = &w.link.as_ref().expect("link").client;
                let row = client
                    .query_one("SELECT pg_try_advisory_lock(hashtext($1))", &[&name])
                    .await?;
                Ok(row.get::<_, bool>(0))
            })
            .await
            .ok()?;
        if got {
            self.held.push(name.to_string());
            // What the last sender recorded is here before this one starts.
            let _ = self.down().await;
        }
        Some(got)
    }
}
