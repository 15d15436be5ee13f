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
mod filtering;
mod hand_on;
pub mod health;
mod inbox;
mod incident_actions;
mod incidents;
pub mod journal;
pub mod layers;
mod mouse;
mod msg;
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
pub use msg::{Effect, Msg, RequestId, TeamBadge};

use crate::config::Config;
use crate::domain::{IncidentBook, IncidentChange, Severity};
use crate::keymap::{Chord, Context, Keymap};
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
