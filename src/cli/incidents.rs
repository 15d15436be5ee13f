//! `shiftdeck incidents …`

use super::remote::{Remote, SOURCE_CHOICES};
use super::{IncidentsCmd, exit};
use crate::config::Config;
use crate::domain::format::coarse_duration;
use crate::domain::outbox::RemoteAction;
use crate::domain::remote::ask::{Ask, MAX_SPAN};
use crate::domain::{Countdown, Incident, IncidentBook, IncidentChange};
use crate::ops::incidents::{DeclareError, NewIncident};
use crate::ops::{OpenShift, Session};
use crate::store::{CommitError, IncidentStore};
use chrono::{DateTime, Utc};
use std::path::Path;

fn print_remote(r: &crate::domain::remote::RemoteInfo, tz: chrono_tz::Tz) {
    outln!(
        "at       {} #{} (source {}, id {})",
        r.vendor,
        r.number,
        r.source,
        r.remote_id
    );
    if let Some(url) = &r.url {
        outln!("link     {url}");
    }
    outln!("priority {} at {}", r.vendor_priority, r.vendor);
    if !r.assignees.is_empty() {
        outln!("assigned {}", r.assignees.join(", "));
    }
    for (label, text) in r.detail_rows(tz) {
        outln!("{label:<8} {text}");
    }
    for p in &r.pending {
        outln!("waiting  {p}");
    }
    if r.gone {
        outln!("gone     no longer open at {}", r.vendor);
    }
}

fn countdown_text(inc: &Incident, now: DateTime<Utc>) -> String {
    match inc.countdown(now) {
        Countdown::Remaining(d) => format!("{} left", crate::domain::format::short_duration(d)),
        Countdown::Breached(d) => format!("BREACHED +{}", coarse_duration(d)),
        Countdown::Met => "met".into(),
        Countdown::MetLate(d) => format!("late +{}", coarse_duration(d)),
        Countdown::Closed => "-".into(),
    }
}

fn incident_json(inc: &Incident, now: DateTime<Utc>) -> serde_json::Value {
    let mut v = serde_json::to_value(inc).unwrap_or_default();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("countdown".into(), countdown_text(inc, now).into());
        obj.insert(
            "breached".into(),
            matches!(inc.countdown(now), Countdown::Breached(_)).into(),
        );
    }
    v
}

fn warn_issues(issues: &[crate::store::jsonl::LineIssue]) {
    for i in issues {
        errln!("warning: {i}");
    }
}

fn warn_unjournaled(journaled: crate::ops::Journaled) {
    if let Err(e) = journaled {
        errln!("warning: not in the shift journal: {e}");
    }
}

fn resolve_id(book: &IncidentBook, key: &str) -> Result<String, i32> {
    book.find(key).map(|i| i.id.clone()).map_err(|e| {
        errln!("error: {e}");
        exit::NOT_FOUND
    })
}

pub fn run(
    workspace: &Path,
    config: &crate::config::Config,
    readonly: bool,
    cmd: IncidentsCmd,
) -> i32 {
    let redactor = crate::ops::redactor(config);
    let session = Session::new(workspace, config, readonly, &redactor);
    let mut log = OpenShift::new(workspace, &config.operator);
    let mut store = IncidentStore::new(workspace);
    let (mut book, issues) = match store.load() {
        Ok(x) => x,
        Err(e) => {
            errln!(
                "error: cannot read incidents in {}: {e}",
                workspace.display()
            );
            return exit::FAILURE;
        }
    };
    warn_issues(&issues);
    let now = Utc::now();
    let tz = config.timezone;
    let change = match cmd {
        IncidentsCmd::Sync { .. } if readonly => {
            errln!("error: read-only: started with --readonly, nothing was sent");
            return exit::READ_ONLY;
        }
        IncidentsCmd::Sync { json } => {
            return match Remote::new(config, workspace) {
                Ok(r) => r.sync(workspace, config, json),
                Err(code) => code,
            };
        }
        IncidentsCmd::List {
            json,
            jsonl,
            all,
            source,
        } => {
            let Some(picks) = Remote::select(config, &source) else {
                errln!("error: --source {source:?}: expected {SOURCE_CHOICES}");
                return exit::USAGE;
            };
            if source != "all" && source != "local" {
                book = IncidentBook::default();
            }
            if !picks.is_empty() {
                match Remote::new(config, workspace) {
                    Ok(r) => r.load_into(&mut book, &picks, tz),
                    Err(code) => return code,
                }
            }
            let order = book.sorted_indices(&Default::default(), now, all);
            if json {
                let list: Vec<serde_json::Value> = order
                    .iter()
                    .map(|&i| incident_json(book.by_index(i), now))
                    .collect();
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&list).unwrap_or_default()
                );
            } else if jsonl {
                for &i in &order {
                    outln!(
                        "{}",
                        serde_json::to_string(&incident_json(book.by_index(i), now))
                            .unwrap_or_default()
                    );
                }
            } else if order.is_empty() {
                outln!("no {}incidents", if all { "" } else { "active " });
            } else {
                // Each column as wide as its widest value, so they line up.
                let width = |f: &dyn Fn(&Incident) -> usize, head: &str| {
                    order
                        .iter()
                        .map(|&i| f(book.by_index(i)))
                        .chain([head.len()])
                        .max()
                        .unwrap_or(0)
                };
                let id_w = width(&|i| i.id.chars().count(), "ID");
                let svc_w = width(&|i| i.service.chars().count(), "SERVICE");
                let cd_w = width(&|i| countdown_text(i, now).chars().count(), "RESPOND");
                outln!(
                    "{:<3} {:<id_w$} {:<12} {:>7} {:<cd_w$} {:<svc_w$} TITLE",
                    "SEV",
                    "ID",
                    "STATUS",
                    "AGE",
                    "RESPOND",
                    "SERVICE"
                );
                for &i in &order {
                    let inc = book.by_index(i);
                    let waiting = inc
                        .remote
                        .as_ref()
                        .filter(|r| !r.pending.is_empty())
                        .map(|r| format!(" [{}]", r.pending.join(", ")))
                        .unwrap_or_default();
                    outln!(
                        "{:<3} {:<id_w$} {:<12} {:>7} {:<cd_w$} {:<svc_w$} {}{waiting}",
                        inc.severity,
                        inc.id,
                        inc.status,
                        coarse_duration(inc.age(now)),
                        countdown_text(inc, now),
                        inc.service,
                        inc.title
                    );
                }
            }
            return exit::OK;
        }
        IncidentsCmd::Postmortem { id, markdown } => {
            let inc = match book.find(&id) {
                Ok(i) => i.clone(),
                Err(e) => {
                    errln!("error: {e}");
                    return exit::NOT_FOUND;
                }
            };
            return match session.write_postmortem(&mut log, &inc, now) {
                Ok((path, md)) => {
                    if markdown {
                        out!("{md}");
                    } else {
                        outln!("{path}");
                    }
                    exit::OK
                }
                Err(e) if e.starts_with("read-only") => {
                    errln!("error: {e}");
                    exit::READ_ONLY
                }
                Err(e) if e.starts_with("NOT SAVED") => {
                    errln!("error: {e}");
                    exit::FAILURE
                }
                Err(e) => {
                    errln!("error: refused: {e}");
                    exit::REFUSED
                }
            };
        }
        IncidentsCmd::Evidence { id, name, json } => {
            let id = match resolve_id(&book, &id) {
                Ok(id) => id,
                Err(code) => return code,
            };
            return super::incident_work::evidence(workspace, config, &id, name.as_deref(), json);
        }
        IncidentsCmd::Attach { .. } if readonly => {
            errln!("error: read-only: started with --readonly, nothing was attached");
            return exit::READ_ONLY;
        }
        IncidentsCmd::Attach { id, file, command } => {
            let id = match resolve_id(&book, &id) {
                Ok(id) => id,
                Err(code) => return code,
            };
            let source = match (&file, &command) {
                (_, Some(c)) => crate::ops::evidence::Source::Command(c),
                (Some(f), None) => crate::ops::evidence::Source::File(f),
                (None, None) => unreachable!("clap requires one"),
            };
            return match session.attach(&mut store, &mut book, &mut log, &id, source, now) {
                Ok(a) => {
                    outln!("{}", a.path());
                    if !a.redacted.is_empty() {
                        errln!("redacted before saving: {}", a.redacted.join(", "));
                    }
                    exit::OK
                }
                Err(e) if e.starts_with("NOT SAVED") || e.contains("NOT on the timeline") => {
                    errln!("error: {e}");
                    exit::FAILURE
                }
                Err(e) => {
                    errln!("error: refused: {e}");
                    exit::REFUSED
                }
            };
        }
        IncidentsCmd::Playbook { id, name } => {
            return super::checklists::start(workspace, config, readonly, &name, Some(&id), None);
        }
        IncidentsCmd::Show { id, json } => {
            if book.find(&id).is_err() && !config.incident_sources.is_empty() {
                match Remote::new(config, workspace) {
                    Ok(r) => {
                        r.load_into(&mut book, &Remote::for_key(config, &id), tz);
                        // Resolved at the vendor by this workspace: no open
                        // list has it, the vendor still does.
                        if book.find(&id).is_err() {
                            r.load_one(&mut book, &id);
                        }
                    }
                    Err(code) => return code,
                }
            }
            let inc = match book.find(&id) {
                Ok(i) => i,
                Err(e) => {
                    errln!("error: {e}");
                    return exit::NOT_FOUND;
                }
            };
            if json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&incident_json(inc, now)).unwrap_or_default()
                );
            } else {
                outln!("{} {} [{}]", inc.severity, inc.title, inc.status);
                outln!("id       {}", inc.id);
                outln!("service  {} ({})", inc.service, inc.env);
                // Local time, to the minute, as the screen shows it.
                let local = |at: chrono::DateTime<Utc>| {
                    at.with_timezone(&tz)
                        .format("%Y-%m-%d %H:%M %:z")
                        .to_string()
                };
                outln!(
                    "started  {} by {} (declared {})",
                    local(inc.started_at),
                    inc.created_by,
                    inc.declared
                );
                outln!(
                    "respond  {} ({}: within {})",
                    countdown_text(inc, now),
                    inc.severity.meaning(),
                    coarse_duration(inc.severity.response_target())
                );
                let (directory, _) = crate::store::contacts::load(workspace);
                for (i, line) in directory
                    .call_lines(inc.severity, &inc.service)
                    .iter()
                    .enumerate()
                {
                    outln!("{}{line}", if i == 0 { "call     " } else { "         " });
                }
                if let Some(r) = &inc.remote {
                    print_remote(r, tz);
                    return exit::OK;
                }
                outln!("timeline");
                for e in &inc.timeline {
                    // An empty message leaves no dangling "by:".
                    let text = e.change.timeline_text(tz);
                    let what = if text.is_empty() {
                        e.by.clone()
                    } else {
                        format!("{}: {text}", e.by)
                    };
                    outln!("  {}  {:<9} {what}", local(e.at), e.change.label());
                }
            }
            return exit::OK;
        }
        _ if readonly => {
            errln!("error: read-only: started with --readonly, nothing was changed");
            return exit::READ_ONLY;
        }
        IncidentsCmd::New {
            title,
            service,
            severity,
            env,
        } => {
            let new = NewIncident {
                title: &title,
                service: &service,
                severity,
                env: &env,
            };
            return match session.declare(&store, &mut log, new, now) {
                Ok((r, journaled)) => {
                    warn_unjournaled(journaled);
                    outln!("{}", r.id);
                    exit::OK
                }
                Err(DeclareError::Missing(_)) => {
                    errln!("error: --title and --service must not be empty");
                    exit::USAGE
                }
                Err(e @ DeclareError::ReadOnly) => {
                    errln!("error: {e}");
                    exit::READ_ONLY
                }
                Err(e) => {
                    errln!("error: {e}");
                    exit::FAILURE
                }
            };
        }
        IncidentsCmd::Update {
            id,
            action,
            eta,
            symptom,
        } => {
            if book.find(&id).is_err() && !config.incident_sources.is_empty() {
                match Remote::new(config, workspace) {
                    Ok(r) => r.load_into(&mut book, &Remote::for_key(config, &id), tz),
                    Err(code) => return code,
                }
            }
            let inc = match book.find(&id) {
                Ok(inc) => inc.clone(),
                Err(_) => return resolve_id(&book, &id).err().unwrap_or(exit::NOT_FOUND),
            };
            return match session.status_update(&mut log, &inc, symptom.as_deref(), &action, &eta) {
                Ok((m, journaled)) => {
                    warn_unjournaled(journaled);
                    outln!("{}", m.body);
                    super::messages::send_and_report(workspace, config, &redactor, &[m], "")
                }
                Err(e @ crate::ops::messages::MessageError::ReadOnly) => {
                    errln!("error: {e}");
                    exit::READ_ONLY
                }
                Err(e @ crate::ops::messages::MessageError::Invalid(_)) => {
                    errln!("error: {e}");
                    exit::USAGE
                }
                Err(e) => {
                    errln!("error: {e}");
                    exit::FAILURE
                }
            };
        }
        IncidentsCmd::Ack { id, message } => (id, IncidentChange::Acknowledged { message }),
        IncidentsCmd::Escalate {
            id,
            to,
            escalation,
            level,
            message,
        } => {
            if book.find(&id).is_err() && !config.incident_sources.is_empty() {
                match Remote::new(config, workspace) {
                    Ok(r) => r.load_into(&mut book, &Remote::for_key(config, &id), tz),
                    Err(code) => return code,
                }
            }
            if let Ok(inc) = book.find(&id)
                && inc.remote.is_some()
            {
                let target = escalation
                    .or(level.map(|l| l.to_string()))
                    .unwrap_or_default();
                let ask = Ask::new(RemoteAction::Escalate)
                    .with_target(&target)
                    .with_message(&message);
                let inc = inc.clone();
                return match Remote::new(config, workspace) {
                    Ok(r) => r.act(workspace, config, &inc, ask),
                    Err(code) => code,
                };
            }
            let Ok(inc) = book.find(&id) else {
                return resolve_id(&book, &id).err().unwrap_or(exit::NOT_FOUND);
            };
            let Some(to) = to.or(inc.severity.raised()) else {
                errln!(
                    "error: refused: {}: already P1: nothing higher to escalate to",
                    inc.id
                );
                return exit::REFUSED;
            };
            (id, IncidentChange::Escalated { to, message })
        }
        IncidentsCmd::Snooze { id, span, message } => {
            let span = match crate::domain::format::parse_span(&span, MAX_SPAN) {
                Ok(s) => s,
                Err(e) => {
                    errln!("error: --for {e}");
                    return exit::USAGE;
                }
            };
            let ask = Ask::new(RemoteAction::Snooze)
                .with_span(span)
                .with_message(&message);
            return act_remote(workspace, config, &mut book, &[id], ask, tz);
        }
        IncidentsCmd::Reassign { id, to, message } => {
            let ask = Ask::new(RemoteAction::Reassign)
                .with_target(&to)
                .with_message(&message);
            return act_remote(workspace, config, &mut book, &[id], ask, tz);
        }
        IncidentsCmd::Responder { id, add, message } => {
            let ask = Ask::new(RemoteAction::AddResponder)
                .with_target(&add)
                .with_message(&message);
            return act_remote(workspace, config, &mut book, &[id], ask, tz);
        }
        IncidentsCmd::Unack { id, message } => {
            let ask = Ask::new(RemoteAction::Unacknowledge).with_message(&message);
            return act_remote(workspace, config, &mut book, &[id], ask, tz);
        }
        IncidentsCmd::Silence { ids, span, comment } => {
            let span = match crate::domain::format::parse_span(&span, MAX_SPAN) {
                Ok(s) => s,
                Err(e) => {
                    errln!("error: --for {e}");
                    return exit::USAGE;
                }
            };
            let ask = Ask::new(RemoteAction::Silence)
                .with_span(span)
                .with_message(&comment);
            return act_remote(workspace, config, &mut book, &ids, ask, tz);
        }
        IncidentsCmd::Expire { id, silence } => {
            let ask = Ask::new(RemoteAction::Expire).with_target(silence.as_deref().unwrap_or(""));
            return act_remote(workspace, config, &mut book, &[id], ask, tz);
        }
        IncidentsCmd::Note { id, text } => (id, IncidentChange::Note { message: text }),
        IncidentsCmd::Followups {
            overdue,
            window,
            json,
        } => return super::incident_work::list(&book, config, overdue, &window, json),
        IncidentsCmd::Followup {
            id,
            text,
            owner,
            due,
        } => {
            let due = match crate::domain::incident::followup::parse_due(&due, now, tz) {
                Ok(d) => d,
                Err(e) => {
                    errln!("error: {e}");
                    return exit::USAGE;
                }
            };
            let mut seed = [0u8; 3];
            let _ = getrandom::fill(&mut seed);
            (
                id,
                IncidentChange::Followup {
                    message: text,
                    followup: crate::domain::incident::followup::new_id(seed),
                    owner: owner.trim().to_string(),
                    due: Some(due),
                },
            )
        }
        IncidentsCmd::FollowupClose {
            id,
            followup,
            dropped,
            reason,
            ..
        } => {
            let full = book
                .find(&id)
                .ok()
                .and_then(|i| crate::domain::incident::followup::find(i, &followup))
                .map(|f| f.id)
                .unwrap_or(followup);
            (
                id,
                IncidentChange::FollowupClosed {
                    followup: full,
                    outcome: if dropped {
                        crate::domain::incident::followup::Outcome::Dropped
                    } else {
                        crate::domain::incident::followup::Outcome::Done
                    },
                    message: reason,
                },
            )
        }
        IncidentsCmd::Resolve { id, message } => (id, IncidentChange::Resolved { message }),
    };
    let (key, change) = change;
    if book.find(&key).is_err() && !config.incident_sources.is_empty() {
        let remote = match Remote::new(config, workspace) {
            Ok(r) => r,
            Err(code) => return code,
        };
        remote.load_into(&mut book, &Remote::for_key(config, &key), tz);
        if let Ok(inc) = book.find(&key)
            && inc.remote.is_some()
            && let Some(ask) = super::remote::ask_for(&change)
        {
            let inc = inc.clone();
            return remote.act(workspace, config, &inc, ask);
        }
    }
    let id = match resolve_id(&book, &key) {
        Ok(id) => id,
        Err(code) => return code,
    };
    let label = change.label();
    let opened = match &change {
        IncidentChange::Followup { followup, .. } => Some(followup.clone()),
        _ => None,
    };
    let redacted = session.redacted_names(&change);
    match session.change(&mut store, &mut book, &mut log, &id, change, Utc::now()) {
        Ok(journaled) => {
            warn_unjournaled(journaled);
            if !redacted.is_empty() {
                // On stderr: stdout stays what scripts read.
                errln!("redacted before saving: {}", redacted.join(", "));
            }
            match opened {
                Some(f) => outln!("{f}"),
                None => outln!("{label} {id}"),
            }
            exit::OK
        }
        Err(e @ CommitError::ReadOnly) => {
            errln!("error: {e}");
            exit::READ_ONLY
        }
        Err(CommitError::NotFound(m)) => {
            errln!("error: {m}");
            exit::NOT_FOUND
        }
        Err(CommitError::Refused(r)) => {
            errln!("error: refused: {id}: {r}");
            exit::REFUSED
        }
        Err(e @ CommitError::Io(_)) => {
            errln!("error: {id}: {e}");
            exit::FAILURE
        }
    }
}

/// An action that only a remote incident has, on one or several ids: each
/// is looked up (in the sources its prefix names), checked and sent; the
/// exit code is the worst of them.
fn act_remote(
    workspace: &Path,
    config: &Config,
    book: &mut IncidentBook,
    ids: &[String],
    ask: Ask,
    tz: chrono_tz::Tz,
) -> i32 {
    if config.incident_sources.is_empty() {
        errln!(
            "error: refused: no incident sources configured: {} is for incidents at a vendor",
            ask.action.map(|a| a.label()).unwrap_or_default()
        );
        return exit::REFUSED;
    }
    let remote = match Remote::new(config, workspace) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut worst = exit::OK;
    for id in ids {
        if book.find(id).is_err() {
            remote.load_into(book, &Remote::for_key(config, id), tz);
        }
        let code = match book.find(id) {
            Ok(inc) => {
                let inc = inc.clone();
                remote.act(workspace, config, &inc, ask.clone())
            }
            Err(_) => resolve_id(book, id).err().unwrap_or(exit::NOT_FOUND),
        };
        if code != exit::OK && (worst == exit::OK || code != exit::QUEUED) {
            worst = code;
        }
    }
    worst
}
