//! `shiftdeck journal …` and `shiftdeck handover`.

use super::{JournalCmd, exit};
use crate::config::Config;
use crate::domain::handover::{self, HandoverInput};
use crate::domain::journal::JournalEntry;
use crate::ops::journal::NoteError;
use crate::store::IncidentStore;
use crate::store::journal::{JournalStore, Shift, read_all};
use chrono::{DateTime, Duration, Utc};
use std::io::Write;
use std::path::Path;

/// Record an action in the operator's shift journal (starting a shift if
/// none is open). A failure is a warning: the action itself is saved.
pub fn record_action(
    workspace: &Path,
    operator: &str,
    entry_for: impl FnOnce(&Shift) -> JournalEntry,
) {
    let journal = JournalStore::new(workspace);
    let result = journal
        .current_or_start(operator, Utc::now())
        .map_err(|e| e.to_string())
        .and_then(|(shift, ..)| {
            journal
                .append(&shift, &entry_for(&shift))
                .map_err(|e| e.to_string())
        });
    if let Err(e) = result {
        errln!("warning: not in the shift journal: {e}");
    }
}

/// `8h`, `30m`, `2d`, `90s`.
pub fn parse_age(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num
        .parse()
        .map_err(|_| format!("{s:?}: expected a number and a unit, like 8h, 30m or 2d"))?;
    match unit {
        "s" => Ok(Duration::seconds(n)),
        "m" | "min" => Ok(Duration::minutes(n)),
        "h" | "" => Ok(Duration::hours(n)),
        "d" => Ok(Duration::days(n)),
        "w" => Ok(Duration::weeks(n)),
        other => Err(format!(
            "{s:?}: unknown unit {other:?} (use s, m, h, d or w)"
        )),
    }
}

/// `--json` prints one array (as every list of the CLI does), `--jsonl`
/// one object a line.
fn print_entries(entries: &[JournalEntry], json: bool, jsonl: bool) {
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(entries).unwrap_or_default()
        );
        return;
    }
    for e in entries {
        if jsonl {
            outln!("{}", serde_json::to_string(e).unwrap_or_default())
        } else {
            let tags = e.tags();
            let tags = if tags.is_empty() {
                String::new()
            } else {
                format!(
                    "  [{}]",
                    tags.iter()
                        .map(|t| format!("#{t}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            };
            outln!(
                "{}  {:<13} {:<12} {}{}",
                e.at.format("%Y-%m-%d %H:%M"),
                e.kind.label(),
                e.operator,
                e.summary().replace('\n', " ⏎ "),
                tags
            )
        }
    }
}

fn warn_issues(issues: &[crate::store::jsonl::LineIssue]) {
    for i in issues {
        errln!("warning: {i}");
    }
}

pub fn run(workspace: &Path, config: &Config, readonly: bool, cmd: JournalCmd) -> i32 {
    let journal = JournalStore::new(workspace);
    let now = Utc::now();
    let operator = config.operator.as_str();
    match cmd {
        JournalCmd::Change {
            title,
            kind,
            impact,
            downtime,
            description,
            rollback,
        } => {
            let record = match crate::domain::change::ChangeRecord::new(
                &title.join(" "),
                &kind,
                &impact,
                &downtime,
                &description,
                &rollback,
            ) {
                Ok(r) => r,
                Err(e) => {
                    errln!("error: {e}");
                    return exit::USAGE;
                }
            };
            let redactor = crate::ops::redactor(config);
            let session = crate::ops::Session::new(workspace, config, readonly, &redactor);
            let mut log = crate::ops::OpenShift::new(workspace, operator);
            match session.record_change(&mut log, &record, now) {
                Ok(()) => {
                    outln!(
                        "change recorded in the journal of shift {}",
                        log.shift.as_deref().unwrap_or("?")
                    );
                    exit::OK
                }
                Err(e @ NoteError::ReadOnly) => {
                    errln!("error: {e}");
                    exit::READ_ONLY
                }
                Err(e) => {
                    errln!("error: {e}");
                    exit::FAILURE
                }
            }
        }
        JournalCmd::Add { text, tag } => {
            let redactor = crate::ops::redactor(config);
            let session = crate::ops::Session::new(workspace, config, readonly, &redactor);
            let mut log = crate::ops::OpenShift::new(workspace, operator);
            let added = session.add_note(&mut log, &text.join(" "), &tag, now);
            for skipped in &log.skipped {
                errln!("warning: {skipped}");
            }
            match added {
                Ok(redacted) => {
                    if !redacted.is_empty() {
                        errln!("redacted before saving: {}", redacted.join(", "));
                    }
                    outln!(
                        "saved to the journal of shift {}",
                        log.shift.as_deref().unwrap_or("?")
                    );
                    exit::OK
                }
                Err(e @ NoteError::ReadOnly) => {
                    errln!("error: {e}");
                    exit::READ_ONLY
                }
                Err(e @ NoteError::Empty) => {
                    errln!("error: {e}");
                    exit::USAGE
                }
                Err(e) => {
                    errln!("error: {e}");
                    exit::FAILURE
                }
            }
        }
        JournalCmd::Show {
            shift,
            since,
            json,
            jsonl,
        } => {
            let (entries, issues) = if let Some(age) = since {
                let d = match parse_age(&age) {
                    Ok(d) => d,
                    Err(e) => {
                        errln!("error: --since {e}");
                        return exit::USAGE;
                    }
                };
                match journal.since(now - d) {
                    Ok(x) => x,
                    Err(e) => {
                        errln!("error: {e}");
                        return exit::FAILURE;
                    }
                }
            } else {
                let found = match shift {
                    Some(key) => journal.find_shift(&key).map(|r| r.map(Some)),
                    None => journal
                        .open_shift(operator)
                        .map(|o| Ok(o.map(|(s, _, _)| s))),
                };
                let shift: Shift = match found {
                    Ok(Ok(Some(s))) => s,
                    Ok(Ok(None)) => {
                        match journal.shift_files().ok().and_then(|f| f.last().cloned()) {
                            Some((id, _)) => match journal.find_shift(&id) {
                                Ok(Ok(s)) => s,
                                _ => return exit::FAILURE,
                            },
                            None => {
                                outln!("no shifts in {}", journal.dir().display());
                                return exit::OK;
                            }
                        }
                    }
                    Ok(Err(msg)) => {
                        errln!("error: {msg}");
                        return exit::NO_SHIFT;
                    }
                    Err(e) => {
                        errln!("error: {e}");
                        return exit::FAILURE;
                    }
                };
                match read_all(&shift.path) {
                    Ok(x) => x,
                    Err(e) => {
                        errln!("error: {}: {e}", shift.path.display());
                        return exit::FAILURE;
                    }
                }
            };
            warn_issues(&issues);
            print_entries(&entries, json, jsonl);
            exit::OK
        }
        JournalCmd::Search { words, json, jsonl } => match journal.search(&words) {
            Ok(hits) => {
                print_entries(&hits, json, jsonl);
                if hits.is_empty() && !json && !jsonl {
                    errln!("no entry mentions {}", words.join(" "));
                }
                exit::OK
            }
            Err(e) => {
                errln!("error: {e}");
                exit::FAILURE
            }
        },
        JournalCmd::Stress { count } => {
            // For crash tests: append notes one by one, saying each is durable.
            let shift = match journal.current_or_start(operator, now) {
                Ok((s, ..)) => s,
                Err(e) => {
                    errln!("error: {e}");
                    return exit::FAILURE;
                }
            };
            let mut out = std::io::stdout().lock();
            for seq in 0..count {
                let entry = JournalEntry::note(
                    Utc::now(),
                    &shift.id,
                    operator,
                    &format!("stress {seq} {}", "x".repeat((seq % 7) as usize * 40)),
                    &[],
                )
                .with("seq", seq);
                if let Err(e) = journal.append(&shift, &entry) {
                    errln!("error: {e}");
                    return exit::FAILURE;
                }
                if writeln!(out, "{seq}").and_then(|_| out.flush()).is_err() {
                    return exit::FAILURE;
                }
            }
            exit::OK
        }
    }
}

fn unfinished_checklist_steps(workspace: &Path, config: &Config) -> Vec<String> {
    match super::checklists::load(workspace, config) {
        Ok(l) => crate::domain::checklist::unfinished(&l.lists, &l.progress),
        Err(_) => Vec::new(),
    }
}

/// Build this operator's handover from the open shift and the incidents.
/// Every integration's state now, for the handover: polled once, as
/// `probe --once` does. `None` when nothing is configured to watch.
pub fn integration_states(config: &Config) -> Option<Vec<handover::IntegrationState>> {
    if config.integrations.is_empty() && config.incident_sources.is_empty() {
        return None;
    }
    match super::probe::poll_all(config) {
        Ok(results) => Some(
            results
                .into_iter()
                .map(|(name, _, o)| handover::IntegrationState {
                    name,
                    status: o.status.as_str().to_string(),
                    hint: if o.hint.is_empty() {
                        o.summary
                    } else {
                        format!("{} — {}", o.summary, o.hint)
                    },
                })
                .collect(),
        ),
        Err(e) => {
            errln!(
                "warning: integrations not polled ({e}): the handover says health is not verified"
            );
            None
        }
    }
}

pub fn build_report(
    workspace: &Path,
    config: &Config,
    summary: &str,
    now: DateTime<Utc>,
    integrations: Option<&[handover::IntegrationState]>,
) -> Result<(Shift, handover::HandoverReport), String> {
    let journal = JournalStore::new(workspace);
    let (shift, entries, issues) = journal
        .open_shift(&config.operator)
        .map_err(|e| format!("cannot read the journal: {e}"))?
        .ok_or_else(|| {
            format!(
                "no open shift for {}: start shiftdeck, or `shiftdeck journal add`, to start one",
                config.operator
            )
        })?;
    warn_issues(&issues);
    let (mut book, issues) = IncidentStore::new(workspace)
        .load()
        .map_err(|e| format!("cannot read incidents: {e}"))?;
    warn_issues(&issues);
    // PagerDuty and Opsgenie incidents are open incidents too (the saved
    // list when a vendor cannot be reached, with a warning).
    if !config.incident_sources.is_empty() {
        let all: Vec<usize> = (0..config.incident_sources.len()).collect();
        match super::remote::Remote::new(config, workspace) {
            Ok(r) => r.load_into(&mut book, &all, config.timezone),
            Err(_) => errln!("warning: the incident sources could not be read"),
        }
    }
    let earlier = journal.standing(&shift.id, now).unwrap_or_else(|e| {
        errln!("warning: earlier shifts' credential blockers could not be read: {e}");
        Vec::new()
    });
    let report = handover::build(&HandoverInput {
        earlier: &earlier,
        shift: &shift.id,
        operator: &config.operator,
        started: shift.started,
        now,
        timezone: config.timezone,
        summary,
        journal: &entries,
        book: &book,
        integrations,
        unfinished_steps: Some(unfinished_checklist_steps(workspace, config)),
        unsent_messages: crate::store::messages::MessageStore::new(workspace)
            .read()
            .map(|(m, _)| m.waiting.iter().map(|w| w.describe()).collect())
            .unwrap_or_default(),
        pending_approvals: crate::store::approvals::ApprovalStore::new(workspace)
            .load()
            .ok()
            .map(|l| {
                let mut open: Vec<_> = l
                    .records
                    .into_iter()
                    .filter(|r| r.state.is_open())
                    .collect();
                open.sort_by(|a, b| a.risk.cmp(&b.risk).then(a.created_at.cmp(&b.created_at)));
                open.iter()
                    .map(|r| handover::approval_line(r, now))
                    .collect()
            }),
    });
    Ok((shift, report))
}

/// What `shiftdeck handover` was asked for.
pub struct HandoverArgs<'a> {
    pub json: bool,
    pub publish: bool,
    pub email: bool,
    pub summary: &'a str,
    /// Poll the integrations first (unless `--no-probe`).
    pub probe: bool,
}

pub fn handover(workspace: &Path, config: &Config, readonly: bool, args: HandoverArgs<'_>) -> i32 {
    let HandoverArgs {
        json,
        publish,
        email,
        summary,
        probe,
    } = args;
    // Polled first, so a HOLD for a red integration is real (seed 002 §7).
    let states = if probe {
        integration_states(config)
    } else {
        None
    };
    let now = Utc::now();
    let clean = crate::ops::redactor(config).redact(summary);
    if !clean.names.is_empty() {
        errln!(
            "redacted from the summary before saving: {}",
            clean.names.join(", ")
        );
    }
    let (shift, report) = match build_report(workspace, config, &clean.text, now, states.as_deref())
    {
        Ok(x) => x,
        Err(e) => {
            errln!("error: {e}");
            return exit::NO_SHIFT;
        }
    };
    let markdown = crate::ops::redactor(config)
        .redact(&report.to_markdown_in(&crate::settings::strings(config)))
        .text;
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        outln!("{markdown}");
    }
    if !publish {
        return exit::OK;
    }
    if readonly {
        errln!("error: read-only: started with --readonly, the handover was not published");
        return exit::READ_ONLY;
    }
    let journal = JournalStore::new(workspace);
    let path = match journal.publish_handover(&shift, &markdown, now) {
        Ok(p) => p,
        Err(e) => {
            errln!("error: {e}");
            return exit::FAILURE;
        }
    };
    errln!(
        "handover written to {}; shift {} ended",
        path.display(),
        shift.id
    );
    let email = email || config.email.as_ref().is_some_and(|e| e.send_handover);
    let redactor = crate::ops::redactor(config);
    let session = crate::ops::Session::new(workspace, config, readonly, &redactor);
    let mut log = crate::ops::ThisShift {
        workspace,
        shift: &shift,
    };
    let queued = match session.handover_messages(&mut log, &shift.id, &markdown, email) {
        Ok(q) => q,
        Err(e) => {
            errln!("error: {e}. The handover is saved at {}", path.display());
            return exit::NOT_POSTED;
        }
    };
    if queued.is_empty() {
        return exit::OK;
    }
    let saved = format!(". The handover is saved at {}", path.display());
    super::messages::send_and_report(workspace, config, &redactor, &queued, &saved)
}
