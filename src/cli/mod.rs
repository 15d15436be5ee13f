//! The command line: global flags, and the subcommands scripts use. The
//! same binary runs the full-screen app when no subcommand is given.

#[macro_use]
pub mod out;
pub mod approvals;
pub mod checklists;
pub mod contacts;
pub mod db;
mod incident_work;
mod incidents;
pub mod journal;
pub mod messages;
pub mod probe;
pub mod remote;
pub mod report;

use crate::domain::Severity;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub use incidents::run as run_incidents;

/// Exit codes that mean something to a script.
pub mod exit {
    /// Done.
    pub const OK: i32 = 0;
    /// Something failed (I/O, a file that cannot be read or written).
    pub const FAILURE: i32 = 1;
    /// The command line was wrong (clap's own code).
    pub const USAGE: i32 = 2;
    /// No such incident (or the id is ambiguous).
    pub const NOT_FOUND: i32 = 3;
    /// Refused by the incident's state: already acknowledged, resolved, …
    pub const REFUSED: i32 = 4;
    /// Refused because of `--readonly`.
    pub const READ_ONLY: i32 = 5;
    /// `check-config` found problems.
    pub const BAD_CONFIG: i32 = 6;
    /// A message (the handover to Slack or by mail, a status update) is
    /// queued but not sent yet, or was refused.
    pub const NOT_POSTED: i32 = 7;
    /// A checklist step's command ran and failed (or timed out).
    pub const STEP_FAILED: i32 = 8;
    /// `probe --once`: not every integration is green.
    pub const NOT_GREEN: i32 = 9;
    /// An action on a PagerDuty or Opsgenie incident is queued on disk but
    /// not sent yet (the vendor could not be reached, or is rate limiting).
    pub const QUEUED: i32 = 10;
    /// The team store (`[store] backend = "postgres"`) cannot be reached,
    /// or its schema is not this build's: nothing was written.
    pub const TEAM_DOWN: i32 = 11;
    /// `incidents followups`: a follow-up is past its due date.
    pub const OVERDUE: i32 = 12;
    /// `--workspace DIR` is not a workspace (and `--init` was not given).
    pub const NOT_A_WORKSPACE: i32 = 13;
    /// No such checklist (or the name is ambiguous).
    pub const NO_CHECKLIST: i32 = 14;
    /// No such step in the checklist.
    pub const NO_STEP: i32 = 15;
    /// No such shift in the journal.
    pub const NO_SHIFT: i32 = 16;
    /// No such approval record.
    pub const NO_APPROVAL: i32 = 17;
    /// `oncall`: nobody is known to be on call.
    pub const NOBODY_ON_CALL: i32 = 18;
}

#[derive(Parser, Debug)]
#[command(
    name = "shiftdeck",
    version,
    about = "The shift screen for the person holding the pager."
)]
pub struct Cli {
    /// Workspace directory (default: the platform data dir, e.g. ~/.local/share/shiftdeck).
    #[arg(
        long,
        global = true,
        env = "SHIFTDECK_WORKSPACE",
        value_name = "DIR",
        help_heading = "Global options"
    )]
    pub workspace: Option<PathBuf>,
    /// Theme: a bundled name (default, light, high-contrast, mono) or a file path.
    #[arg(
        long,
        global = true,
        value_name = "NAME|PATH",
        help_heading = "Global options"
    )]
    pub theme: Option<String>,
    /// Keymap: a bundled name (default, vim) or a file path.
    #[arg(
        long,
        global = true,
        value_name = "NAME|PATH",
        help_heading = "Global options"
    )]
    pub keymap: Option<String>,
    /// Look, never change: every change is refused with a message.
    #[arg(long, global = true, help_heading = "Global options")]
    pub readonly: bool,
    /// Run on a throw-away copy of the bundled demo shift.
    #[arg(long, help_heading = "Global options")]
    pub demo: bool,
    /// Create the workspace named by --workspace if it is not one yet (a
    /// path that is not a workspace is refused otherwise: a typo must not
    /// look like an empty, all-clear workspace).
    #[arg(long, global = true, help_heading = "Global options")]
    pub init: bool,
    /// Draw with ASCII borders and glyphs only (automatic on TERM=linux or a non-UTF-8 locale).
    #[arg(long, help_heading = "Global options")]
    pub ascii: bool,
    /// Ring the bell and send desktop notifications under --demo too (on by default otherwise; see [notify]).
    #[arg(long, help_heading = "Global options")]
    pub notify: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List, show, declare and change incidents.
    Incidents {
        #[command(subcommand)]
        cmd: IncidentsCmd,
    },
    /// The runbooks' checklists: what is due, check, skip, run.
    Checklists {
        #[command(subcommand)]
        cmd: ChecklistsCmd,
    },
    /// Review and decide approval records.
    Approvals {
        #[command(subcommand)]
        cmd: ApprovalsCmd,
    },
    /// Add to, show and search the shift journal.
    Journal {
        #[command(subcommand)]
        cmd: JournalCmd,
    },
    /// Build the handover of your open shift (Markdown by default); --publish writes it and ends the shift.
    Handover {
        /// Print Markdown (the default).
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Write journal/handover/<shift>.md, record it, end the shift, and post to Slack when configured.
        #[arg(long)]
        publish: bool,
        /// With --publish: also mail it to [email] to (always, with send_handover = true).
        #[arg(long, requires = "publish")]
        email: bool,
        /// The summary at the top of the report.
        #[arg(long, default_value = "")]
        summary: String,
        /// Do not poll the integrations first (the report then says health is not verified).
        #[arg(long)]
        no_probe: bool,
    },
    /// Reports from the files: `report weekly` (seed 001 §3.3's Friday report).
    Report {
        #[command(subcommand)]
        cmd: ReportCmd,
    },
    /// Poll every integration once, concurrently, print a table; exit 0 only when all are green (9 otherwise).
    Probe {
        /// Poll once and exit: what `probe` always does (the pollers that
        /// keep polling live in the full screen); kept for scripts that say it.
        #[arg(long)]
        once: bool,
        /// Print JSON instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// Serve local stand-ins of the six SaaS APIs (their real paths and answers), with faults on demand.
    MockEndpoints {
        /// Where to listen: host:port.
        #[arg(long, default_value = "127.0.0.1:8765")]
        addr: String,
        /// VENDOR=KIND: a status (slack=404, datadog=403), slow:MS, hang or drop.
        #[arg(long, value_name = "VENDOR=KIND")]
        fault: Vec<String>,
    },
    /// Validate shiftdeck.toml, contacts.toml, the keymap and the theme; exit 6 on any problem.
    CheckConfig,
    /// Print a shell completion script (shiftdeck completions bash > ~/.local/share/bash-completion/completions/shiftdeck).
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the man page, in roff (shiftdeck man | man -l -).
    Man,
    /// The escalation directory (contacts.toml): levels, who each severity goes to, people, teams, owners.
    Contacts {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Who is on call now and next: PagerDuty and Opsgenie schedules, else the directory's rota.
    Oncall {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Status updates and handovers waiting to go to Slack or by mail; --send sends them (exit 7 while any waits).
    Messages {
        /// Send what waits now, instead of only listing it.
        #[arg(long)]
        send: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The team store (PostgreSQL): migrate its schema, show its status, import a workspace into it.
    Db {
        #[command(subcommand)]
        cmd: DbCmd,
    },
}

#[derive(Subcommand, Debug)]
pub enum DbCmd {
    /// Bring the schema to this build's level (versioned, idempotent); --dry-run prints the DDL and changes nothing.
    Migrate {
        /// Print the DDL that would run, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Backend in force, server version, migration level, local entries waiting to be copied up.
    Status {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Copy a JSONL workspace (this one, or --from DIR) into the team store, exactly once.
    Import {
        /// The workspace to copy (default: this one).
        #[arg(long, value_name = "DIR")]
        from: Option<std::path::PathBuf>,
        /// Print what was imported as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ChecklistsCmd {
    /// Every checklist with its progress for the current period.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// One checklist's steps with who did each and when.
    Show {
        /// The checklist's id or name (or a unique part of its id).
        name: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check a step (or skip it with --skip --reason).
    Check {
        /// The checklist's id or name (or a unique part of its id).
        name: String,
        /// The step's id, or its number as `checklists show` prints it.
        step: String,
        /// Skip the step instead of checking it (needs --reason).
        #[arg(long)]
        skip: bool,
        /// Why it is skipped (needed with --skip).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Run a step's command; exit 0 checks it, anything else marks it failed (exit 8).
    Run {
        /// The checklist's id or name (or a unique part of its id).
        name: String,
        /// The step's id, or its number as `checklists show` prints it.
        step: String,
    },
    /// Start a playbook on an incident (--on ID) or a release (--for LABEL); its run is then a checklist of its own.
    Start {
        /// The playbook's id or name (`checklists list` shows them).
        name: String,
        /// The incident it is for (id, or a unique part of it).
        #[arg(long, conflicts_with = "label")]
        on: Option<String>,
        /// A one-word label (v2.4.0-rc1) when it is for no incident.
        #[arg(long = "for")]
        label: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// The week's incidents by severity and service, MTTA/MTTR against the targets, breaches, recurrences, overdue follow-ups, approvals, checklists, availability, change records and deviations.
    Weekly {
        /// An ISO week (2026-W48); this week when left out.
        #[arg(long)]
        week: Option<String>,
        /// Markdown (the default).
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ApprovalsCmd {
    /// The queue: open records first, by risk and age.
    List {
        /// Only this state: proposed, pending, approved, rejected, applied.
        #[arg(long)]
        state: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// One record with its state history.
    Show {
        /// The record's id, or its unique end.
        id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// pending → approved (approver role; refused while a P1 is open).
    Approve {
        /// The record's id, or its unique end.
        id: String,
        /// Why it is approved (kept in the record's history).
        #[arg(long)]
        reason: String,
    },
    /// pending → rejected (approver role).
    Reject {
        /// The record's id, or its unique end.
        id: String,
        /// Why it is rejected (kept in the record's history).
        #[arg(long)]
        reason: String,
    },
    /// approved → applied: the change was carried out.
    Apply {
        /// The record's id, or its unique end.
        id: String,
        /// How it was carried out (kept in the record's history).
        #[arg(long)]
        reason: String,
    },
    /// proposed → pending: ready for an approver.
    Submit {
        /// The record's id, or its unique end.
        id: String,
        /// Why it is ready for an approver (kept in the record's history).
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum JournalCmd {
    /// Add a note to your open shift's journal (starting a shift if none is open).
    Add {
        /// The note; #tags and incident ids in it are recognised.
        #[arg(required = true)]
        text: Vec<String>,
        /// Extra tags (pending, watch, handover, …).
        #[arg(long)]
        tag: Vec<String>,
    },
    /// Show a shift's journal (your open shift by default), or everything since a time.
    Show {
        /// A shift's id (20260514-0300-ana), or a unique part of it.
        #[arg(long, conflicts_with = "since")]
        shift: Option<String>,
        /// How far back: 30m, 8h, 2d.
        #[arg(long)]
        since: Option<String>,
        /// Print a JSON array instead of text.
        #[arg(long)]
        json: bool,
        /// Print JSON Lines instead: one object a line, for jq -c or a log pipeline.
        #[arg(long, conflicts_with = "json")]
        jsonl: bool,
    },
    /// Record an operational change (runbook §7): type, impact, downtime and a rollback plan.
    Change {
        /// What changed, in a few words.
        #[arg(required = true)]
        title: Vec<String>,
        /// configuration, deployment, hotfix or maintenance.
        #[arg(long = "type", value_name = "TYPE")]
        kind: String,
        /// high, medium or low.
        #[arg(long)]
        impact: String,
        /// none, or how long: 30m, 2h.
        #[arg(long, default_value = "none")]
        downtime: String,
        /// What was done and why, in more words (optional).
        #[arg(long, default_value = "")]
        description: String,
        /// How to undo it.
        #[arg(long)]
        rollback: String,
    },
    /// Find entries mentioning all the words, across every shift.
    Search {
        /// The words to look for (any case); an entry must mention every one.
        #[arg(required = true)]
        words: Vec<String>,
        /// Print a JSON array instead of text.
        #[arg(long)]
        json: bool,
        /// Print JSON Lines instead: one object a line, for jq -c or a log pipeline.
        #[arg(long, conflicts_with = "json")]
        jsonl: bool,
    },
    /// Append COUNT notes, printing each sequence number once it is durable (crash tests).
    #[command(hide = true)]
    Stress {
        /// How many notes to append.
        #[arg(long, default_value_t = 1000)]
        count: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum IncidentsCmd {
    /// List incidents, most urgent first (active only unless --all).
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Print JSON Lines instead: one object a line, for jq -c or a log pipeline.
        #[arg(long, conflicts_with = "json")]
        jsonl: bool,
        /// Include resolved incidents.
        #[arg(long)]
        all: bool,
        /// all, local, pagerduty, opsgenie, or one [[incident_sources]] name.
        #[arg(long, default_value = "all")]
        source: String,
    },
    /// Send the actions queued for the incident sources (PagerDuty, Opsgenie, JSM, Alertmanager), then list each source; exit 10 while any still wait.
    Sync {
        /// Print each source's state as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Attach evidence: a .md/.json/.txt/.log file (2 MB at most) or a command's output; redacted on the way in.
    Attach {
        /// The incident's id (or a unique part of it).
        id: String,
        /// The file to attach (.md, .json, .txt or .log; 2 MB at most).
        #[arg(required_unless_present = "command", conflicts_with = "command")]
        file: Option<std::path::PathBuf>,
        /// Run this (`sh -c` in the workspace) and attach what it prints.
        #[arg(long)]
        command: Option<String>,
    },
    /// Write the post-mortem draft, incidents/<id>/post-mortem.md (what was written in its own sections is kept); prints its path.
    Postmortem {
        /// The incident's id (or a unique part of it).
        id: String,
        /// Print the draft too.
        #[arg(long)]
        markdown: bool,
    },
    /// An incident's evidence, or one file of it (by name or id).
    Evidence {
        /// The incident's id (or a unique part of it).
        id: String,
        /// One file to print, by its name or id (all are listed when left out).
        name: Option<String>,
        /// Print the list as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Start a playbook on an incident (as `checklists start NAME --on ID`).
    Playbook {
        /// The incident's id (or a unique part of it).
        id: String,
        /// The playbook's id or name (`checklists list` shows them).
        name: String,
    },
    /// Show one incident with its timeline.
    Show {
        /// Incident id, or a unique part of it (the random tail is enough).
        id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Declare a new incident; prints its id.
    New {
        /// What is wrong, in a few words.
        #[arg(long)]
        title: String,
        /// The affected service (its owner in contacts.toml is called too).
        #[arg(long)]
        service: String,
        /// P1 critical (respond in 15 min), P2 high (1 h), P3 medium (4 h), P4 low (24 h); default P3.
        #[arg(long, default_value = "P3", value_parser = parse_severity)]
        severity: Severity,
        /// The environment it is in (prod, staging, …).
        #[arg(long, default_value = "prod")]
        env: String,
    },
    /// Acknowledge an incident: the response target is met.
    Ack {
        /// The incident's id (or a unique part of it).
        id: String,
        /// A note to go with it.
        #[arg(long, default_value = "")]
        message: String,
    },
    /// Raise severity (one level, or to --to); at PagerDuty, to the next level of its escalation policy (or --level); at Opsgenie or JSM, to --escalation.
    Escalate {
        /// The incident's id (or a unique part of it).
        id: String,
        /// The severity to escalate to: P1, P2 or P3 (default: one level up).
        #[arg(long, value_parser = parse_severity)]
        to: Option<Severity>,
        /// Opsgenie: the escalation's name; JSM: its id.
        #[arg(long)]
        escalation: Option<String>,
        /// PagerDuty: this level of the escalation policy.
        #[arg(long)]
        level: Option<u32>,
        /// A note to go with it.
        #[arg(long, default_value = "")]
        message: String,
    },
    /// Snooze an incident at its vendor (PagerDuty: acknowledged ones): --for 30m, 2h, 1d (at most 7d).
    Snooze {
        /// The incident's id (or a unique part of it).
        id: String,
        /// How long: 30m, 2h, 1d (at most 7d).
        #[arg(long = "for")]
        span: String,
        /// A note to go with it.
        #[arg(long, default_value = "")]
        message: String,
    },
    /// Give an incident to someone else at its vendor (PagerDuty: a user's email or name, or an escalation policy).
    Reassign {
        /// The incident's id (or a unique part of it).
        id: String,
        /// Who takes it: a user (PagerDuty: an email, a name, or an escalation policy).
        #[arg(long)]
        to: String,
        /// A note to go with it.
        #[arg(long, default_value = "")]
        message: String,
    },
    /// Ask someone to join an incident at its vendor (Opsgenie: team:NAME for a team).
    Responder {
        /// The incident's id (or a unique part of it).
        id: String,
        /// Who to ask: a user (Opsgenie: team:NAME; PagerDuty: or an escalation policy).
        #[arg(long)]
        add: String,
        /// What they are asked (PagerDuty: "<you> asks you to join: <title>" when left out).
        #[arg(long, default_value = "")]
        message: String,
    },
    /// Undo an acknowledgement (Opsgenie, JSM): the incident notifies again.
    Unack {
        /// The incident's id (or a unique part of it).
        id: String,
        /// A note to go with it.
        #[arg(long, default_value = "")]
        message: String,
    },
    /// Silence Alertmanager alerts (each by its exact labels) for a while.
    Silence {
        /// The alerts' incident ids (or unique parts of them), one or more.
        #[arg(required = true)]
        ids: Vec<String>,
        /// How long: 30m, 2h, 1d (at most 7d).
        #[arg(long = "for")]
        span: String,
        /// The silence's comment (your name and a reference are added to it).
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// End the silence that holds an Alertmanager alert (--silence names one of several).
    Expire {
        /// The alert's incident id (or a unique part of it).
        id: String,
        /// Which silence: its id, or the start of it (needed when several hold the alert).
        #[arg(long)]
        silence: Option<String>,
    },
    /// Add a note to the timeline.
    Note {
        /// The incident's id (or a unique part of it).
        id: String,
        /// The note (quote it when it has spaces).
        text: String,
    },
    /// Track a follow-up with an owner and a due date (3d, 36h, 2w or 2026-12-09); prints its id.
    Followup {
        /// The incident's id (or a unique part of it).
        id: String,
        /// What is to be done (quote it when it has spaces).
        text: String,
        /// Who will do it.
        #[arg(long)]
        owner: String,
        /// When it is due: a span (3d, 36h, 2w) or a day (2026-12-09).
        #[arg(long)]
        due: String,
    },
    /// Close a follow-up: --done (a note optional) or --dropped (with --reason).
    FollowupClose {
        /// The incident's id (or a unique part of it).
        id: String,
        /// The follow-up's id (fu-3f9a1c), or its unique end.
        followup: String,
        /// It was done (--reason is then an optional note).
        #[arg(long, conflicts_with = "dropped", required_unless_present = "dropped")]
        done: bool,
        /// It will not be done (needs --reason).
        #[arg(long)]
        dropped: bool,
        /// Why it was dropped, or a note on how it was done.
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Every follow-up still open, and those of the last --window; exit 12 when any is overdue.
    Followups {
        /// Only the overdue ones.
        #[arg(long)]
        overdue: bool,
        /// Also list the closed ones created in this span: 30d, 90d.
        #[arg(long, default_value = "30d")]
        window: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Post a one-line status update to the operations channel: service, symptom, action taken, ETA.
    Update {
        /// The incident's id (or a unique part of it).
        id: String,
        /// What was done ("rolled back the flag").
        #[arg(long)]
        action: String,
        /// When it should be fixed: 30m, 2h, 1h30m or unknown.
        #[arg(long, default_value = "unknown")]
        eta: String,
        /// The observed symptom (default: the incident's title).
        #[arg(long)]
        symptom: Option<String>,
    },
    /// Resolve an incident.
    Resolve {
        /// The incident's id (or a unique part of it).
        id: String,
        /// A note to go with it.
        #[arg(long, default_value = "")]
        message: String,
    },
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

#[cfg(test)]
mod help_tests {
    use super::Cli;
    use clap::CommandFactory;

    fn missing(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            if a.get_help().is_none() && a.get_long_help().is_none() {
                out.push(format!("{path} {id}"));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_about().is_none() && sub.get_name() != "help" {
                out.push(format!("{path} {} (the command)", sub.get_name()));
            }
            missing(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }

    #[test]
    fn every_command_argument_and_flag_has_a_help_line() {
        let mut out = Vec::new();
        missing(&Cli::command(), "shiftdeck", &mut out);
        assert!(out.is_empty(), "no --help line for:\n{}", out.join("\n"));
    }
}
