//! The one message type `update` takes, and the effects it hands back for
//! the runtime to carry out.

use super::*;
use crate::diagnostic::FileProblem;
use crate::domain::{IncidentChange, Severity};
use crate::store::IncidentDelta;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

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
