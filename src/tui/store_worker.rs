//! The store thread: owns the files. It writes what `update` asks for
//! (incident changes, journal notes, drafts, the handover), journals every
//! action, and watches for lines appended by anyone (this app, the CLI,
//! another operator), sending them to the app as they appear.

mod effects;

use crate::app::{Msg, PreviousHandover, ShiftInfo, ShiftOpened};
use crate::config::Config;
use crate::domain::IncidentBook;
use crate::domain::journal::{EntryKind, JournalEntry};
use crate::domain::redact::Redactor;
use crate::store::IncidentStore;
use crate::store::approvals::ApprovalStore;
use crate::store::journal::{JournalStore, Shift};
use crate::store::jsonl::JsonlTail;
use chrono::Utc;
use std::path::{Path, PathBuf};
use std::sync::mpsc as std_mpsc;
use std::time::Duration;
use tokio::sync::mpsc;

/// How often the files are checked for changes made elsewhere (one `stat`
/// each); well inside the promise that others' changes show within 2 s.
const WATCH_INTERVAL: Duration = Duration::from_millis(500);

/// Work for the store thread: the app's file effects, in order.
pub enum Command {
    Do(crate::app::Effect),
    /// The first frame is drawn: read the rest (approvals, the shift, checklists).
    Release,
    /// The team store brought lines from other hosts: look at the files now.
    Wake,
    Stop,
}

pub struct StoreHandle {
    tx: std_mpsc::Sender<Command>,
    thread: Option<std::thread::JoinHandle<()>>,
    workspace: PathBuf,
}

impl StoreHandle {
    pub fn workspace(&self) -> &Path {
        &self.workspace
    }

    pub fn release(&self) {
        let _ = self.tx.send(Command::Release);
    }

    /// Something that tells the thread to look at the files now (from any thread).
    pub fn waker(&self) -> impl Fn() + Send + 'static {
        let tx = self.tx.clone();
        move || {
            let _ = tx.send(Command::Wake);
        }
    }

    /// Something that hands an effect to the thread (from any thread).
    pub fn sender(&self) -> impl Fn(crate::app::Effect) + Send + 'static {
        let tx = self.tx.clone();
        move |effect| {
            let _ = tx.send(Command::Do(effect));
        }
    }

    pub fn send(&self, effect: crate::app::Effect) {
        let _ = self.tx.send(Command::Do(effect));
    }

    /// Finish the writes already asked for (a draft on hang-up included), then stop.
    pub fn shutdown(mut self) {
        let _ = self.tx.send(Command::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub struct Setup {
    pub workspace: PathBuf,
    pub config: std::sync::Arc<Config>,
    pub readonly: bool,
    pub redactor: std::sync::Arc<Redactor>,
    /// The team store, when one is in force: the shift opens once its
    /// first copy down is in (or its time limit passed), so the previous
    /// handover is there wherever it was published.
    pub team: Option<std::sync::Arc<crate::store::team::Shared>>,
}

pub fn spawn(setup: Setup, app: mpsc::UnboundedSender<Msg>) -> StoreHandle {
    let (tx, rx) = std_mpsc::channel();
    let workspace = setup.workspace.clone();
    let thread = std::thread::Builder::new()
        .name("store".into())
        .spawn(move || Worker::new(setup, app).run(rx))
        .expect("spawn the store thread");
    StoreHandle {
        tx,
        thread: Some(thread),
        workspace,
    }
}

/// The state every change is checked against. Built on the first change
/// only, so start-up reads the incident files once (for the screen).
pub(super) struct Checker {
    store: IncidentStore,
    book: IncidentBook,
}

pub(super) struct Worker {
    setup: Setup,
    app: mpsc::UnboundedSender<Msg>,
    watch: IncidentStore,
    checker: Option<Checker>,
    journal: JournalStore,
    shift: Option<(Shift, JsonlTail, bool)>,
    approvals: ApprovalStore,
    approvals_seen: Option<Vec<Option<std::time::SystemTime>>>,
    checklists: Vec<crate::domain::checklist::Checklist>,
    evidence: JsonlTail,
}

impl Worker {
    fn new(setup: Setup, app: mpsc::UnboundedSender<Msg>) -> Worker {
        Worker {
            watch: IncidentStore::new(&setup.workspace),
            journal: JournalStore::new(&setup.workspace),
            checker: None,
            shift: None,
            approvals: ApprovalStore::new(&setup.workspace),
            approvals_seen: None,
            checklists: Vec::new(),
            evidence: JsonlTail::new(setup.workspace.join("incidents/artifacts.jsonl")),
            setup,
            app,
        }
    }

    fn operator(&self) -> &str {
        &self.setup.config.operator
    }

    fn say(&self, msg: Msg) {
        let _ = self.app.send(msg);
    }

    fn run(mut self, rx: std_mpsc::Receiver<Command>) {
        // The incidents first: they are what the first frame shows. The rest
        // waits until that frame is drawn (or half a second), so the two do
        // not fight over the cores.
        self.forward_incidents(true);
        let mut early = Vec::new();
        let deadline = std::time::Instant::now() + Duration::from_millis(500);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(Command::Release) | Err(_) => break,
                Ok(other) => early.push(other),
            }
        }
        if let Some(team) = &self.setup.team {
            let limit = Duration::from_secs(self.setup.config.store.timeout_secs.max(1) * 2 + 1);
            team.settled(limit);
        }
        self.forward_approvals();
        self.open_shift(true);
        if !self.setup.readonly {
            // Finish what a crash left half done (an action without its journal line).
            let (workspace, operator) = (self.setup.workspace.clone(), self.operator().to_string());
            for said in crate::ops::recover(&workspace, &operator, &mut self) {
                self.say(Msg::Notice(Ok(said)));
            }
        }
        self.load_checklists();
        for cmd in early {
            match cmd {
                Command::Do(effect) => self.handle(effect),
                Command::Stop => return,
                Command::Release | Command::Wake => {}
            }
        }
        loop {
            let cmd = match rx.recv_timeout(WATCH_INTERVAL) {
                Ok(c) => c,
                Err(std_mpsc::RecvTimeoutError::Timeout) => {
                    self.forward_incidents(false);
                    self.forward_approvals();
                    self.forward_journal();
                    continue;
                }
                Err(std_mpsc::RecvTimeoutError::Disconnected) => return,
            };
            match cmd {
                Command::Do(effect) => self.handle(effect),
                Command::Release => continue,
                Command::Wake => {}
                Command::Stop => return,
            }
            // The screen learns of every change from the files, like any other.
            self.forward_incidents(false);
            self.forward_approvals();
            self.forward_journal();
        }
    }

    /// Resume this operator's open shift or start one (never in read-only).
    fn open_shift(&mut self, first: bool) {
        let now = Utc::now();
        let found = if self.setup.readonly {
            self.journal
                .open_shift(self.operator())
                .map(|o| o.map(|(s, e, i)| (s, e, i, true)))
        } else {
            self.journal
                .current_or_start(self.operator(), now)
                .map(Some)
        };
        let (shift, entries, issues, resumed) = match found {
            Ok(Some(x)) => x,
            Ok(None) => return,
            Err(e) => {
                self.say(Msg::Notice(Err(format!(
                    "cannot open the shift journal in {}: {e}",
                    self.journal.dir().display()
                ))));
                return;
            }
        };
        if !issues.is_empty() {
            self.say(Msg::Notice(Err(format!(
                "{} skipped: {}",
                crate::domain::format::plural(issues.len(), "journal line", "journal lines"),
                issues[0]
            ))));
        }
        let mut tail = JsonlTail::new(shift.path.clone());
        let _ = tail.read_new::<JournalEntry>();
        let previous = match self.journal.latest_handover(&shift.id) {
            Ok(Some(h)) => {
                let from = h.shift.get(14..).unwrap_or("").to_string();
                // One's own handover (a shift started after publishing
                // it) is not one to read and acknowledge.
                let own =
                    from == crate::domain::journal::shift_id(Utc::now(), self.operator())[14..];
                let acknowledged = own
                    || entries.iter().any(|e| {
                        e.kind == EntryKind::HandoverAcknowledged
                            && e.field("of_shift") == Some(h.shift.as_str())
                    });
                Some(PreviousHandover {
                    shift: h.shift,
                    from,
                    markdown: h.markdown,
                    acknowledged,
                })
            }
            _ => None,
        };
        let draft = if first {
            self.journal.load_draft(self.operator()).ok().flatten()
        } else {
            None
        };
        let info = ShiftInfo {
            id: shift.id.clone(),
            started: shift.started,
            resumed,
            ended: None,
        };
        let earlier = self
            .journal
            .standing(&shift.id, Utc::now())
            .unwrap_or_default();
        self.shift = Some((shift, tail, false));
        self.say(Msg::ShiftOpened(Box::new(ShiftOpened {
            shift: info,
            entries,
            draft,
            previous,
            earlier,
        })));
    }

    /// The shift to write to: the open one, or a new one after an end.
    fn writable_shift(&mut self) -> Option<Shift> {
        if self.shift.as_ref().is_none_or(|(_, _, ended)| *ended) {
            self.open_shift(false);
        }
        self.shift.as_ref().map(|(s, _, _)| s.clone())
    }

    fn record(&mut self, entry_for: impl FnOnce(&Shift) -> JournalEntry) -> Result<(), String> {
        self.record_or_fallback(entry_for).map_err(|(why, _)| why)
    }

    /// As `record`, saying where the entry went when the journal would not
    /// take it (the fallback file), as a path rather than in the words.
    pub(super) fn record_or_fallback(
        &mut self,
        entry_for: impl FnOnce(&Shift) -> JournalEntry,
    ) -> Result<(), (String, Option<PathBuf>)> {
        let Some(shift) = self.writable_shift() else {
            return Err(("no shift journal to write to".into(), None));
        };
        let entry = entry_for(&shift);
        let ends = entry.kind == EntryKind::ShiftEnd;
        self.journal
            .append(&shift, &entry)
            .map_err(|e| (e.to_string(), e.fallback.clone()))?;
        if ends && let Some((_, _, ended)) = self.shift.as_mut() {
            *ended = true;
        }
        Ok(())
    }

    fn forward_evidence(&mut self, first: bool) {
        if !first && !self.evidence.has_news() {
            return;
        }
        if let Ok(r) = self
            .evidence
            .read_new::<crate::domain::evidence::Artifact>()
            && !r.items.is_empty()
        {
            self.say(Msg::Evidence(r.items));
        }
    }

    fn forward_incidents(&mut self, first: bool) {
        self.forward_evidence(first);
        if !first && !self.watch.has_news() {
            return;
        }
        match self.watch.read_new() {
            Ok(delta) if first || !delta.is_empty() => self.say(Msg::Incidents(delta)),
            Ok(_) => {}
            Err(e) => self.say(Msg::Notice(Err(format!("cannot read incidents: {e}")))),
        }
    }

    /// The checklists and the journal's checklist entries for the periods in force.
    fn load_checklists(&mut self) {
        let (lists, problems, history) = crate::store::checklists::load_with_history(
            &self.setup.workspace,
            &self.journal,
            Utc::now(),
            self.setup.config.timezone,
            self.shift.as_ref().map(|(s, _, _)| s.started),
        );
        let history = history.unwrap_or_default();
        self.checklists = lists.clone();
        self.say(Msg::Checklists {
            lists,
            problems: problems.iter().map(|p| p.to_string()).collect(),
            history,
        });
    }

    /// Read the approval records again when a state directory changed.
    fn forward_approvals(&mut self) {
        let now = self.approvals.fingerprint();
        if self.approvals_seen.as_ref() == Some(&now) {
            return;
        }
        match self.approvals.load() {
            Ok(loaded) => {
                // Loading may finish a half-done move, which changes the directories again.
                self.approvals_seen = Some(self.approvals.fingerprint());
                self.say(Msg::Approvals(loaded));
            }
            Err(e) => {
                self.approvals_seen = Some(now);
                self.say(Msg::Notice(Err(format!("cannot read approvals: {e}"))));
            }
        }
    }

    /// The incidents every change is checked against, brought up to date
    /// with the files now. The caller puts it back.
    fn take_checker(&mut self) -> Checker {
        let workspace = self.setup.workspace.clone();
        let mut check = self.checker.take().unwrap_or_else(|| Checker {
            store: IncidentStore::new(&workspace),
            book: IncidentBook::state_only(),
        });
        if let Ok(d) = check.store.read_new() {
            d.apply_to(&mut check.book);
        }
        check
    }

    fn forward_journal(&mut self) {
        let Some((_, tail, _)) = self.shift.as_mut() else {
            return;
        };
        if !tail.has_news() {
            return;
        }
        if let Ok(r) = tail.read_new::<JournalEntry>()
            && !r.items.is_empty()
        {
            let _ = self.app.send(Msg::Journal(r.items));
        }
    }
}

impl crate::ops::ShiftLog for Worker {
    fn record_kept(
        &mut self,
        entry_for: &dyn Fn(&Shift) -> JournalEntry,
    ) -> Result<(), (String, Option<PathBuf>)> {
        Worker::record_or_fallback(self, entry_for)
    }
}

pub(super) fn with_journal(done: String, journaled: Result<(), String>) -> String {
    match journaled {
        Ok(()) => done,
        Err(e) => format!("{done} — but the journal entry: {e}"),
    }
}
