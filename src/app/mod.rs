//! The application state, the one message type, and `update`.
//!
//! Terminal events, task results and the clock tick all arrive as [`Msg`];
//! [`App::update`] applies one to the state and returns the [`Effect`]s (file
//! writes, theme loads, quitting) for the runtime to carry out off the render
//! path. Rendering (`crate::ui`) is a pure function of `&App`.

mod act;

mod approvals;
pub mod checklists;
pub mod command_line;
mod dialog_keys;
mod dialogs;
mod escalate;
mod evidence;
mod hand_on;
pub mod health;
mod inbox;
mod incident_actions;
mod incidents;
pub mod journal;
pub mod layers;
mod mouse;
mod retract;
pub mod scrolling;
mod search;
pub mod sorting;
mod update;
mod views;
pub mod whocall;
mod yank;

pub use crate::action::Action;
pub use approvals::ApprovalsPane;
pub use checklists::{ChecklistRow, ChecklistsPane};
pub use dialogs::{Confirm, Dialog, IncidentForm, PendingChange, TextPurpose, UpdateForm};
pub use hand_on::AskForm;
pub use health::HealthPane;
pub use inbox::{Inbox, InboxReport, SourceView, verb as inbox_verb};
pub use incidents::IncidentsPane;
pub use journal::{JournalPane, PreviousHandover, ShiftInfo, ShiftOpened, Unsaved};

use crate::config::Config;
use crate::diagnostic::FileProblem;
use crate::domain::{IncidentBook, IncidentChange, Severity};
use crate::keymap::{Chord, Context, Keymap};
use crate::store::IncidentDelta;
use crate::theme::Theme;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

/// Move a list selection by `delta` rows (clamped to the list) and scroll
/// just enough to keep it in a window of `viewport` rows. Returns the new
/// `(selected, offset)`. Shared by every list pane.
pub fn move_selection(
    selected: usize,
    offset: usize,
    viewport: usize,
    len: usize,
    delta: isize,
) -> (usize, usize) {
    let last = len.saturating_sub(1) as isize;
    let selected = (selected as isize + delta).clamp(0, last.max(0)) as usize;
    let rows = viewport.max(1);
    let mut offset = offset;
    if selected < offset {
        offset = selected;
    } else if selected >= offset + rows {
        offset = selected + 1 - rows;
    }
    (selected, offset.min(len.saturating_sub(rows)))
}

/// The panes, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Checklists,
    Incidents,
    Approvals,
    Health,
    Journal,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Checklists,
        Pane::Incidents,
        Pane::Approvals,
        Pane::Health,
        Pane::Journal,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Checklists => "Checklists",
            Pane::Incidents => "Incidents",
            Pane::Approvals => "Approvals",
            Pane::Health => "Health",
            Pane::Journal => "Journal",
        }
    }

    /// The pane's title in the operator's language.
    pub fn label(self, strings: &crate::domain::i18n::Strings) -> &str {
        strings.get("pane", self.name())
    }

    /// The pane's name in files and commands (`[views]`, `:view`).
    pub fn name(self) -> &'static str {
        self.context().name()
    }

    pub fn context(self) -> Context {
        match self {
            Pane::Checklists => Context::Checklists,
            Pane::Incidents => Context::Incidents,
            Pane::Approvals => Context::Approvals,
            Pane::Health => Context::Health,
            Pane::Journal => Context::Journal,
        }
    }

    fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }
}

/// Every input the app reacts to.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The shifts on record (newest last) and, when one was asked for, its
    /// journal or why not.
    ShiftJournal {
        ids: Vec<String>,
        shift: Option<Result<(String, Vec<crate::domain::journal::JournalEntry>), String>>,
    },
    /// The note back from `$EDITOR`, or why not.
    NoteEdited(Result<String, String>),
    /// A click or the wheel (when `mouse` is on).
    Mouse(crossterm::event::MouseEvent),
    Resize(u16, u16),
    /// The clock: sets `now`.
    Tick(DateTime<Utc>),
    /// New lines read from the incident files (ours or another process's).
    Incidents(IncidentDelta),
    /// A write this app asked for finished: `Ok(message)` to show, or why
    /// it failed. Exactly one answers each request (see `in_flight`).
    Saved {
        request: RequestId,
        result: Result<String, String>,
    },
    /// Something a background task or the store noticed by itself (a file
    /// it cannot read, a journal line it could not add): shown, and no
    /// answer to any write the operator is waiting for.
    Notice(Result<String, String>),
    /// The team store's state, when it is worth a word in the status bar
    /// (`LOCAL — team store unreachable since 03:12`); `None` when all is well.
    Team(Option<TeamBadge>),
    /// An incident this app declared is on file: select it.
    Declared(String),
    /// Lines new in `incidents/artifacts.jsonl`.
    Evidence(Vec<crate::domain::evidence::Artifact>),
    /// An evidence file's text, to read in the detail.
    EvidenceText {
        title: String,
        text: String,
    },
    ThemeLoaded(Theme, Vec<FileProblem>),
    /// The shift started or resumed (and what the store found with it).
    ShiftOpened(Box<ShiftOpened>),
    /// New lines in this shift's journal (ours or another process's).
    Journal(Vec<crate::domain::journal::JournalEntry>),
    /// A note was saved (with the names of what was redacted), or not.
    NoteSaved {
        request: RequestId,
        result: Result<Vec<String>, Unsaved>,
    },
    /// The handover was published (its path), or why not.
    HandoverPublished {
        request: RequestId,
        result: Result<String, String>,
    },
    /// Messages (status updates, the handover) are in the messages outbox.
    MessagesQueued(Vec<String>),
    /// A round of sending: what went (or was refused for good), and how
    /// many still wait with the last reason.
    MessagesSent {
        delivered: Vec<(String, Result<(), String>)>,
        /// What still waits ("status update PD-4218 by Slack — why").
        waiting: Vec<String>,
        why: Option<String>,
    },
    /// The escalation directory as read, and the problems in its file.
    Directory {
        directory: Box<crate::domain::contacts::Directory>,
        problems: Vec<String>,
    },
    /// Who is on call, as the sources (or the rota) said.
    OnCall(Box<crate::domain::oncall::Roster>),
    /// The approval records, read again after a change.
    Approvals(crate::store::approvals::LoadedApprovals),
    /// The checklists, the problems in their files, and their journal history.
    Checklists {
        lists: Vec<crate::domain::checklist::Checklist>,
        problems: Vec<String>,
        history: Vec<crate::domain::journal::JournalEntry>,
    },
    /// A step's command finished.
    StepRan {
        list: String,
        step: String,
        outcome: crate::integrations::command::CommandOutcome,
    },
    /// A poller's outcome.
    Probed {
        name: String,
        outcome: crate::domain::health::ProbeOutcome,
        at: DateTime<Utc>,
    },
    /// A verify finished: each step and how it went.
    Verified {
        name: String,
        steps: Vec<(String, Result<String, String>)>,
    },
    /// A round of a remote incident source (PagerDuty, Opsgenie).
    Inbox(Box<InboxReport>),
    /// An action on a remote incident is in the outbox, or could not be put there.
    RemoteQueued {
        request: RequestId,
        source: String,
        result: Result<String, String>,
    },
    /// SIGHUP, SIGTERM, or the terminal went away: leave now.
    Hangup,
}

/// Which write an answer is for: every write effect carries one, and its
/// answer carries it back, so the `saving…` badge clears only when every
/// write it stands for has been answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequestId(pub u64);

/// The status bar's word on the team store.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamBadge {
    pub text: String,
    /// Nothing can be written (`backend = "postgres"` and the store away).
    pub alarm: bool,
}

/// Work for the runtime; `update` never does I/O itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Try the team store again now (`:reconnect`).
    Reconnect,
    /// Declare a new incident (the store assigns the id and the time).
    Declare {
        request: RequestId,
        title: String,
        service: String,
        severity: Severity,
    },
    /// Append a change to an incident's timeline.
    Commit {
        request: RequestId,
        incident_id: String,
        change: IncidentChange,
    },
    /// Redact and append a note to the shift's journal.
    SaveNote {
        request: RequestId,
        text: String,
        /// Tags besides the text's own `#tags` (`:blocker`, `:deviation`).
        tags: Vec<String>,
        /// The note is the editor's draft, whose file goes once it is saved.
        draft: bool,
    },
    /// Attach a file or a command's output to an incident.
    Attach {
        request: RequestId,
        incident_id: String,
        /// A path, or `!command`.
        source: String,
    },
    /// Write an incident's post-mortem draft and show it.
    WritePostmortem {
        request: RequestId,
        incident_id: String,
    },
    /// Build the weekly report (this week, or an ISO week) and show it.
    WeeklyReport(Option<crate::domain::report::Week>),
    /// A command's output to attach, run already (off the store thread).
    AttachOutput {
        request: RequestId,
        incident_id: String,
        command: String,
        output: String,
        note: String,
    },
    /// Read an evidence file for the viewer.
    ReadEvidence(Box<crate::domain::evidence::Artifact>),
    /// Start a playbook's run (checked already).
    StartPlaybook {
        request: RequestId,
        template: Box<crate::domain::checklist::Checklist>,
        target: String,
        incident: Option<Box<crate::domain::Incident>>,
    },
    /// Record a change record (`:change`), checked already.
    RecordChange {
        request: RequestId,
        record: crate::domain::change::ChangeRecord,
    },
    /// Keep the draft note on disk (empty text removes it).
    SaveDraft {
        text: String,
    },
    /// Record that the previous shift's handover was read.
    AckHandover {
        request: RequestId,
        of_shift: String,
        from: String,
    },
    /// Publish the handover and end the shift.
    PublishHandover {
        request: RequestId,
        markdown: String,
    },
    /// End the shift without a handover.
    EndShift {
        request: RequestId,
    },
    /// Record a decision on an approval record.
    Decide {
        request: RequestId,
        id: String,
        decision: crate::domain::approval::Decision,
        reason: String,
    },
    /// Record a step's outcome in the journal (done, skipped, failed).
    RecordStep {
        request: RequestId,
        list: String,
        step: String,
        result: String,
        reason: String,
        exit: Option<i32>,
        output: String,
    },
    /// Run a step's command in the background.
    RunStep {
        list: String,
        step: String,
        command: String,
        timeout: u64,
    },
    /// Wake the pollers: one integration, or all.
    PollNow(Option<String>),
    /// Send one real test event to an integration and clean up.
    Verify(String),
    /// Journal a change of an integration's status.
    RecordHealth {
        name: String,
        from: String,
        to: String,
        summary: String,
        hint: String,
    },
    /// Journal a verify's steps (the test event sent, what answered, the
    /// clean-up), each as the vendor answered, redacted already.
    RecordVerify {
        name: String,
        steps: Vec<(String, Result<String, String>)>,
    },
    /// Queue an action on a remote incident (then the source's poller sends it).
    Remote {
        request: RequestId,
        queued: Box<crate::domain::outbox::Queued>,
    },
    /// Journal what became of a remote action.
    RecordRemote(Box<crate::domain::outbox::Finished>),
    /// Queue a one-line status update for the operations channel.
    StatusUpdate {
        request: RequestId,
        incident: Box<crate::domain::Incident>,
        action: String,
        eta: String,
    },
    /// Send what waits in the messages outbox now.
    SendMessages,
    /// Ring the terminal (bell and/or desktop notification).
    Notify(crate::domain::notify::Notice),
    /// Put text on the clipboard (OSC 52, through tmux).
    Copy(String),
    /// Open a vendor's link in the local browser (checked: http(s) only).
    OpenLink(String),
    /// Hand the terminal back and stop (ctrl-z); the screen comes back
    /// whole on `fg`.
    Suspend,
    /// The workspace's shifts, and with an id (or its start) that shift's
    /// journal ([`Msg::ShiftJournal`]).
    ReadShift(Option<String>),
    /// Hand the note to `$VISUAL`/`$EDITOR` and read it back
    /// ([`Msg::NoteEdited`]).
    EditExternally(String),
    LoadTheme(String),
    /// Stop every running step's command (quitting): each reports back as
    /// stopped and is recorded.
    StopSteps,
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub text: String,
    pub level: Level,
    pub until: DateTime<Utc>,
    /// The answer to the operator's own action (a background event does
    /// not replace it while it shows).
    pub own: bool,
    /// The pane a key said it in: it does not follow the operator
    /// elsewhere. `None` for what was said without a key (a shift opened).
    pub pane: Option<Pane>,
    /// The key it answered (a key that says something and moves to another
    /// pane keeps what it said).
    pub key: u64,
}

/// Every message of the session, oldest first, for `:messages`.
#[derive(Debug, Clone, PartialEq)]
pub struct Said {
    pub at: DateTime<Utc>,
    pub level: Level,
    pub text: String,
}

/// Messages `:messages` keeps (the oldest go first).
pub const MESSAGES_KEPT: usize = 500;

pub struct App {
    pub config: Config,
    pub keymap: Keymap,
    pub theme: Theme,
    pub readonly: bool,
    pub demo: bool,
    /// The screen is on this machine (no SSH): `o` may start a browser
    /// here. Off unless the runtime finds it so.
    pub local_session: bool,
    /// The terminal was handed away (ctrl-z, `$EDITOR`): the next frame is
    /// drawn whole.
    pub redraw_whole: bool,
    /// The labels, in the operator's language.
    pub strings: crate::domain::i18n::Strings,
    /// A shell with job control started us (ctrl-z has somewhere to go).
    pub job_control: bool,
    /// What was said this session (`:messages`), and how many were not
    /// shown in the footer because the operator's own answer held it.
    pub messages: std::collections::VecDeque<Said>,
    pub unseen_messages: usize,
    /// Keys pressed this session.
    pub keys_pressed: u64,
    /// The `:` commands run this session, oldest first, and where `up`
    /// is in them.
    pub command_history: Vec<String>,
    pub history_at: Option<usize>,
    /// A key is being handled now.
    pub on_a_key: bool,
    pub show_messages: bool,
    pub messages_scroll: u16,
    /// The team store's word for the status bar, when it has one.
    pub team: Option<TeamBadge>,
    /// Draw with ASCII borders and glyphs only.
    pub ascii: bool,
    pub now: DateTime<Utc>,
    pub shift_started: DateTime<Utc>,
    pub size: (u16, u16),
    pub focus: Pane,
    pub zoomed: bool,
    pub book: IncidentBook,
    pub loaded: bool,
    pub incidents: IncidentsPane,
    pub journal: JournalPane,
    pub approvals: ApprovalsPane,
    pub checklists: ChecklistsPane,
    pub health: HealthPane,
    /// The remote incident sources.
    pub inbox: Inbox,
    pub dialog: Option<Dialog>,
    pub show_help: bool,
    pub help_scroll: u16,
    /// What `/` looks for in a text read whole, and which text.
    pub search: Option<scrolling::TextSearch>,
    /// What the last frame measured of each text it scrolled.
    pub measured: scrolling::Measured,
    pub pending_keys: Vec<Chord>,
    pub flash: Option<Flash>,
    /// Problems found in files at start-up or while reading: shown until dismissed.
    pub problems: Vec<String>,
    pub show_problems: bool,
    /// Writes handed to the store and not yet answered, by request.
    pub in_flight: std::collections::BTreeSet<RequestId>,
    next_request: u64,
    /// Something visible changed since the last frame.
    pub dirty: bool,
    /// Something changed that can wait a little (a stream of probe answers):
    /// drawn at a few frames a second, not at key speed.
    pub soft_dirty: bool,
    pub quit: bool,
    /// Quitting once the running steps' commands have stopped and been recorded.
    pub quitting: bool,
    /// The operator has pressed a key: from then on, nothing opens over the
    /// screen by itself (it would take keys typed for something else).
    pub typed: bool,
    /// The directory, who is on call, notifications and messages out.
    pub calls: whocall::Calls,
    clock_key: i64,
}

impl App {
    pub fn new(config: Config, keymap: Keymap, theme: Theme, now: DateTime<Utc>) -> App {
        let config_locale = config.locale.clone();
        let health = HealthPane::from_config(&config.integrations, &config.incident_sources);
        let inbox = Inbox::from_config(&config.incident_sources);
        App {
            config,
            keymap,
            theme,
            readonly: false,
            demo: false,
            local_session: false,
            redraw_whole: false,
            strings: crate::domain::i18n::Strings::for_locale(
                config_locale.as_deref().unwrap_or("en"),
            ),
            job_control: false,
            messages: Default::default(),
            unseen_messages: 0,
            keys_pressed: 0,
            command_history: Vec::new(),
            history_at: None,
            on_a_key: false,
            show_messages: false,
            messages_scroll: 0,
            team: None,
            ascii: false,
            now,
            shift_started: now,
            size: (80, 24),
            focus: Pane::Incidents,
            zoomed: false,
            book: IncidentBook::default(),
            loaded: false,
            incidents: IncidentsPane::default(),
            journal: JournalPane {
                editor: journal::note_area(Vec::new()),
                ..JournalPane::default()
            },
            approvals: ApprovalsPane::default(),
            health,
            inbox,
            checklists: ChecklistsPane::default(),
            dialog: None,
            show_help: false,
            help_scroll: 0,
            search: None,
            measured: Default::default(),
            pending_keys: Vec::new(),
            flash: None,
            problems: Vec::new(),
            show_problems: false,
            in_flight: Default::default(),
            next_request: 0,
            dirty: true,
            soft_dirty: false,
            quit: false,
            quitting: false,
            typed: false,
            calls: Default::default(),
            clock_key: 0,
        }
    }

    /// Report problems found in user files; the overlay shows them once.
    /// Before the first key they open over the screen; after it they are
    /// announced instead, since a list opening by itself would take the
    /// keys the operator is typing for something else.
    pub fn add_problems(&mut self, problems: impl IntoIterator<Item = String>) {
        let before = self.problems.len();
        self.problems.extend(problems);
        let new = self.problems.len() - before;
        if new == 0 {
            return;
        }
        if self.typed {
            let first = self.problems[before].clone();
            let more = if new > 1 {
                format!(" (+{} more)", new - 1)
            } else {
                String::new()
            };
            self.flash(
                Level::Warning,
                format!("{first}{more} — :problems lists them"),
            );
        } else {
            self.show_problems = true;
        }
        self.dirty = true;
    }

    /// A new request for a write about to be handed to the store.
    pub(super) fn request(&mut self) -> RequestId {
        self.next_request += 1;
        let r = RequestId(self.next_request);
        self.in_flight.insert(r);
        self.dirty = true;
        r
    }

    /// The store answered a request.
    pub(super) fn answered(&mut self, request: RequestId) {
        self.in_flight.remove(&request);
        self.dirty = true;
    }

    /// The key that does `action` where `ctx` looks, as a hint names it
    /// (from the keymap, so a remapped key is what the hint says).
    pub fn key_name(&self, ctx: Context, action: Action) -> String {
        self.keymap
            .keys_for(ctx, action)
            .into_iter()
            .next()
            .unwrap_or_else(|| format!("({})", action.name()))
    }

    /// Writes not answered yet (the `saving…` badge).
    pub fn saving(&self) -> usize {
        self.in_flight.len()
    }

    pub fn open_p1(&self) -> usize {
        self.book.open_count(Severity::P1)
    }

    pub fn open_p2(&self) -> usize {
        self.book.open_count(Severity::P2)
    }

    /// Whether the grid layout is in use at the current size.
    pub fn is_wide(&self) -> bool {
        self.size.0 >= 120 && self.size.1 >= 32
    }

    /// Say the result of the operator's own action in the footer (and in
    /// `:messages`).
    pub(super) fn flash(&mut self, level: Level, text: impl Into<String>) {
        self.say(level, text.into(), true);
    }

    /// Say something that happened by itself (an integration went down):
    /// kept in `:messages`, in the footer unless it holds the answer to
    /// the operator's own action.
    pub(super) fn flash_background(&mut self, level: Level, text: impl Into<String>) {
        self.say(level, text.into(), false);
    }

    fn say(&mut self, level: Level, text: String, own: bool) {
        if self.messages.len() >= MESSAGES_KEPT {
            self.messages.pop_front();
        }
        self.messages.push_back(Said {
            at: self.now,
            level,
            text: text.clone(),
        });
        let held = self
            .flash
            .as_ref()
            .is_some_and(|f| f.own && f.until > self.now);
        if own || !held {
            self.flash = Some(Flash {
                text,
                level,
                until: self.now + chrono::Duration::seconds(6),
                own,
                pane: self.on_a_key.then_some(self.focus),
                key: self.keys_pressed,
            });
        } else {
            self.unseen_messages += 1;
        }
        self.dirty = true;
    }
}
