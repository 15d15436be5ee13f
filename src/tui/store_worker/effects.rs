//! What the store thread does with each file effect.

use super::{Worker, with_journal};
use crate::app::{Effect, Msg, Unsaved};
use crate::domain::journal::{EntryKind, JournalEntry};
use crate::store::{CommitError, IncidentStore};
use chrono::Utc;

impl Worker {
    pub(super) fn handle(&mut self, effect: Effect) {
        let now = Utc::now();
        // The use cases' view of this process; its parts are shared, not
        // borrowed from the worker, so the worker itself can be the shift log.
        let (workspace, config) = (self.setup.workspace.clone(), self.setup.config.clone());
        let redactor = self.setup.redactor.clone();
        let session = crate::ops::Session::new(&workspace, &config, self.setup.readonly, &redactor);
        let operator = self.operator().to_string();
        match effect {
            // The runtime's, never sent here.
            Effect::Reconnect => {}
            Effect::Declare {
                request,
                title,
                service,
                severity,
            } => {
                let new = crate::ops::incidents::NewIncident {
                    title: &title,
                    service: &service,
                    severity,
                    env: "prod",
                };
                let store = IncidentStore::new(&workspace);
                match session.declare(&store, self, new, now) {
                    Ok((r, journaled)) => {
                        self.say(Msg::Saved {
                            request,
                            result: Ok(with_journal(
                                format!("declared {} {} — {}", r.severity, r.id, r.title),
                                journaled,
                            )),
                        });
                        self.forward_incidents(false);
                        self.say(Msg::Declared(r.id));
                    }
                    Err(e) => self.say(Msg::Saved {
                        request,
                        result: Err(e.to_string()),
                    }),
                }
            }
            Effect::Commit {
                request,
                incident_id,
                change,
            } => {
                let label = change.label();
                let redacted = crate::ops::redacted_suffix(&session.redacted_names(&change));
                let mut check = self.take_checker();
                let outcome = session.change(
                    &mut check.store,
                    &mut check.book,
                    self,
                    &incident_id,
                    change,
                    now,
                );
                self.checker = Some(check);
                let outcome = match outcome {
                    Ok(journaled) => Ok(with_journal(
                        format!("saved: {label} {incident_id}{redacted}"),
                        journaled,
                    )),
                    Err(CommitError::Refused(r)) => Err(format!("refused: {incident_id}: {r}")),
                    Err(e) => Err(format!("NOT SAVED: {label} {incident_id}: {e}")),
                };
                self.say(Msg::Saved {
                    request,
                    result: outcome,
                });
            }
            Effect::Remote { request, queued: q } => {
                let (source, what) = (q.source.clone(), q.describe());
                let result = match session.queue_remote(self, *q) {
                    Ok((q, journaled)) => Ok(with_journal(
                        format!("queued: {} for {}, sending…", q.describe(), q.vendor),
                        journaled,
                    )),
                    Err(e) => Err(format!("NOT QUEUED: {what}: {e}")),
                };
                self.say(Msg::RemoteQueued {
                    request,
                    source,
                    result,
                });
            }
            Effect::RecordRemote(f) => {
                if let Err(e) = self.record(|s| JournalEntry::remote_finished(&s.id, &operator, &f))
                {
                    self.say(Msg::Notice(Err(format!(
                        "{} ({}) NOT in the journal: {e}",
                        f.queued.describe(),
                        f.outcome.as_str()
                    ))));
                }
            }
            Effect::SaveNote {
                request,
                text,
                tags,
                draft,
            } => match session.add_note(self, &text, &tags, now) {
                Ok(names) => {
                    if draft {
                        let _ = self.journal.clear_draft(&operator);
                    }
                    self.say(Msg::NoteSaved {
                        request,
                        result: Ok(names),
                    });
                }
                Err(crate::ops::journal::NoteError::NotSaved { text, why, kept_in }) => {
                    self.say(Msg::NoteSaved {
                        request,
                        result: Err(Unsaved { text, why, kept_in }),
                    })
                }
                Err(e) => self.say(Msg::NoteSaved {
                    request,
                    result: Err(Unsaved {
                        text,
                        why: e.to_string(),
                        kept_in: None,
                    }),
                }),
            },
            Effect::RecordChange { request, record } => {
                let result = session
                    .record_change(self, &record, now)
                    .map(|()| format!("change recorded: {}", record.title))
                    .map_err(|e| e.to_string());
                self.say(Msg::Saved { request, result });
            }
            Effect::SaveDraft { text } => {
                // The draft is what the operator typed: redact it too before it touches disk.
                let clean = self.setup.redactor.redact(&text);
                if let Err(e) = self.journal.save_draft(&operator, &clean.text) {
                    self.say(Msg::Notice(Err(format!("draft NOT kept on disk: {e}"))));
                }
            }
            Effect::AckHandover {
                request,
                of_shift,
                from,
            } => {
                let r = self.record(|s| {
                    JournalEntry::new(now, &s.id, &operator, EntryKind::HandoverAcknowledged)
                        .with("of_shift", of_shift.as_str())
                        .with("from", from.as_str())
                });
                self.say(Msg::Saved {
                    request,
                    result: r.map(|()| format!("recorded: you read {from}'s handover")),
                });
            }
            Effect::EndShift { request } => {
                let r =
                    self.record(|s| JournalEntry::new(now, &s.id, &operator, EntryKind::ShiftEnd));
                self.say(Msg::Saved {
                    request,
                    result: r.map(|()| {
                        "your shift has ended; anything you do now starts a new one".to_string()
                    }),
                });
            }
            Effect::PublishHandover { request, markdown } => self.publish(request, &markdown),
            Effect::StatusUpdate {
                request,
                incident,
                action,
                eta,
            } => match session.status_update(self, &incident, None, &action, &eta) {
                Ok((m, journaled)) => {
                    self.say(Msg::Saved {
                        request,
                        result: Ok(with_journal(
                            format!("update queued for Slack: {}", m.body),
                            journaled,
                        )),
                    });
                    self.say(Msg::MessagesQueued(vec![format!(
                        "{} by {}",
                        m.what,
                        m.channel.label()
                    )]));
                }
                Err(e) => self.say(Msg::Saved {
                    request,
                    result: Err(e.to_string()),
                }),
            },
            Effect::Attach {
                request,
                incident_id,
                source,
            } => {
                // A path as typed: `~/` is the home directory, a relative
                // one is where shiftdeck was started. (A `!command` was run
                // by the runtime and comes as AttachOutput.)
                let typed = source.trim();
                let path = match typed.strip_prefix("~/") {
                    Some(rest) => std::env::var_os("HOME")
                        .map(std::path::PathBuf::from)
                        .unwrap_or_default()
                        .join(rest),
                    None => std::path::PathBuf::from(typed),
                };
                let source = crate::ops::evidence::Source::File(&path);
                self.attach(&session, request, &incident_id, source, now);
            }
            Effect::AttachOutput {
                request,
                incident_id,
                command,
                output,
                note,
            } => {
                let source = crate::ops::evidence::Source::Output {
                    command: &command,
                    output,
                    note,
                };
                self.attach(&session, request, &incident_id, source, now);
            }
            Effect::WritePostmortem {
                request,
                incident_id,
            } => {
                // The whole timeline: the checker keeps states only.
                let inc = IncidentStore::new(&workspace)
                    .load()
                    .ok()
                    .and_then(|(book, _)| book.get(&incident_id).cloned());
                let r = match inc {
                    Some(inc) => session.write_postmortem(self, &inc, now),
                    None => Err(format!("no incident {incident_id:?}")),
                };
                match r {
                    Ok((path, md)) => {
                        self.say(Msg::EvidenceText {
                            title: format!(
                                "{path} (draft: write its last three sections; P again keeps them)"
                            ),
                            text: md,
                        });
                        self.say(Msg::Saved {
                            request,
                            result: Ok(format!("written {path}")),
                        });
                    }
                    Err(e) => self.say(Msg::Saved {
                        request,
                        result: Err(e),
                    }),
                }
            }
            Effect::WeeklyReport(week) => {
                match crate::ops::report::weekly(&workspace, &config, week, now) {
                    Ok(r) => self.say(Msg::EvidenceText {
                        title: format!(
                            "Weekly report {} (shiftdeck report weekly --week {} prints it)",
                            r.week, r.week
                        ),
                        text: r.to_markdown(config.timezone, false),
                    }),
                    Err(e) => self.say(Msg::Notice(Err(e))),
                }
            }
            Effect::ReadShift(asked) => {
                let files = self.journal.shift_files().unwrap_or_default();
                let ids: Vec<String> = files.iter().map(|(id, _)| id.clone()).collect();
                let shift = asked.map(|want| {
                    let found: Vec<&(String, std::path::PathBuf)> = files
                        .iter()
                        .filter(|(id, _)| id.starts_with(&want))
                        .collect();
                    match found.as_slice() {
                        [(id, path)] => crate::store::journal::read_all(path)
                            .map(|(entries, _)| (id.clone(), entries))
                            .map_err(|e| format!("cannot read {}: {e}", path.display())),
                        [] => Err(format!("no shift {want:?} in the journal")),
                        many => Err(format!(
                            "{want:?} is the start of {} shifts: type more of it",
                            many.len()
                        )),
                    }
                });
                self.say(Msg::ShiftJournal { ids, shift });
            }
            Effect::ReadEvidence(a) => {
                let store = crate::store::evidence::EvidenceStore::new(&workspace);
                let text = match store.read(&a) {
                    Ok(t) => crate::domain::sanitize::text(&t).into_owned(),
                    Err(e) => format!("cannot read {}: {e}", a.path()),
                };
                self.say(Msg::EvidenceText {
                    title: format!("{} · {}", a.name, crate::domain::evidence::size(a.bytes)),
                    text,
                });
            }
            Effect::StartPlaybook {
                request,
                template,
                target,
                incident,
            } => {
                // Checked again against the journal as it is now, as the
                // CLI does: another process may have started it meanwhile.
                let history = self
                    .journal
                    .kind_since(EntryKind::Checklist, chrono::DateTime::<Utc>::MIN_UTC)
                    .unwrap_or_default();
                let runs = crate::domain::checklist::playbook::runs(
                    std::slice::from_ref(&*template),
                    &history,
                );
                let mut check = self.take_checker();
                let r = session.start_playbook(
                    self,
                    &template,
                    &target,
                    incident.as_deref(),
                    &runs,
                    now,
                );
                if r.is_ok()
                    && let Some(inc) = incident.as_deref()
                    && inc.remote.is_none()
                {
                    let _ = session.timeline_note(
                        &mut check.store,
                        &mut check.book,
                        &inc.id,
                        format!("playbook {} started", template.name),
                        now,
                    );
                }
                self.checker = Some(check);
                self.forward_incidents(false);
                self.say(Msg::Saved {
                    request,
                    result: r.map(|id| {
                        format!(
                            "started {} on {target}: its {} steps are in Checklists ({id})",
                            template.name,
                            template.steps.len()
                        )
                    }),
                });
            }
            Effect::RecordStep {
                request,
                list,
                step,
                result,
                reason,
                exit,
                output,
            } => {
                let mut check = self.take_checker();
                let found = self.checklists.iter().find(|l| l.id == list).cloned();
                let Some(cl) = found.or_else(|| self.run_of(&list, &check.book)) else {
                    self.checker = Some(check);
                    return;
                };
                let Some(st) = cl.steps.iter().find(|s| s.id == step).cloned() else {
                    self.checker = Some(check);
                    return;
                };
                let record = crate::ops::checklists::StepRecord {
                    result: &result,
                    reason: &reason,
                    exit,
                    output: &output,
                };
                let mut r = session.record_step(self, &cl, &st, record, now);
                if r.is_ok()
                    && let Err(e) = session.step_on_timeline(
                        &mut check.store,
                        &mut check.book,
                        &cl,
                        &st,
                        &record,
                        now,
                    )
                {
                    r = Err(format!(
                        "recorded in the journal, NOT on the incident's timeline: {e}"
                    ));
                }
                self.checker = Some(check);
                if r.is_ok() {
                    self.forward_incidents(false);
                }
                let code = match (exit, result.as_str()) {
                    (Some(c), _) => format!(" (exit {c})"),
                    (None, "failed") => " (timed out or killed)".to_string(),
                    _ => String::new(),
                };
                let note = if result == "failed" {
                    " — enter on the step shows the output"
                } else {
                    ""
                };
                self.say(Msg::Saved {
                    request,
                    result: r.map(|()| {
                        format!("recorded: {} › {} {result}{code}{note}", cl.name, st.title)
                    }),
                });
            }
            Effect::Decide {
                request,
                id,
                decision,
                reason,
            } => {
                // The P1 pause is checked against the files as they are now
                // (another operator may have declared one a second ago).
                let checker = self.take_checker();
                let asked = crate::ops::approvals::DecideRequest {
                    id: &id,
                    decision,
                    reason: &reason,
                };
                let outcome = session.decide(&checker.book, self, asked, now);
                self.checker = Some(checker);
                let outcome = match outcome {
                    Ok(done) => Ok(with_journal(
                        format!("recorded: {id} is {}", done.record.state),
                        done.journaled,
                    )),
                    Err(e) => Err(format!("{id}: {e}")),
                };
                self.say(Msg::Saved {
                    request,
                    result: outcome,
                });
            }
            // Effects the runtime carries out itself.
            Effect::RecordVerify { name, steps } => {
                let ok = steps.iter().all(|(_, r)| r.is_ok());
                let summary = steps
                    .iter()
                    .map(|(s, r)| match r {
                        Ok(m) => format!("{s}: {m}"),
                        Err(e) => format!("{s}: FAILED {e}"),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let listed: Vec<serde_json::Value> = steps
                    .iter()
                    .map(|(s, r)| match r {
                        Ok(m) => serde_json::json!({"step": s, "ok": true, "answer": m}),
                        Err(e) => serde_json::json!({"step": s, "ok": false, "answer": e}),
                    })
                    .collect();
                let r = self.record(|s| {
                    JournalEntry::new(now, &s.id, &operator, EntryKind::Health)
                        .with("integration", name.as_str())
                        .with("action", "verify")
                        .with("result", if ok { "pass" } else { "failed" })
                        .with(
                            "summary",
                            format!("{} — {summary}", if ok { "PASS" } else { "FAILED" }),
                        )
                        .with("steps", listed.clone())
                });
                if let Err(e) = r {
                    self.say(Msg::Notice(Err(format!("verify not journaled: {e}"))));
                }
            }
            Effect::RecordHealth {
                name,
                from,
                to,
                summary,
                hint,
            } => {
                let r = self.record(|s| {
                    JournalEntry::new(now, &s.id, &operator, EntryKind::Health)
                        .with("integration", name.as_str())
                        .with("from", from.as_str())
                        .with("to", to.as_str())
                        .with("summary", summary.as_str())
                        .with("hint", hint.as_str())
                });
                if let Err(e) = r {
                    self.say(Msg::Notice(Err(format!(
                        "health change not journaled: {e}"
                    ))));
                }
            }
            Effect::RunStep { .. }
            | Effect::StopSteps
            | Effect::LoadTheme(_)
            | Effect::Quit
            | Effect::PollNow(_)
            | Effect::SendMessages
            | Effect::Notify(_)
            | Effect::Copy(_)
            | Effect::OpenLink(_)
            | Effect::Suspend
            | Effect::EditExternally(_)
            | Effect::Verify(_) => {}
        }
    }

    pub(super) fn publish(&mut self, request: crate::app::RequestId, markdown: &str) {
        let clean = self.setup.redactor.redact(markdown);
        let (markdown, redacted) = (clean.text, crate::ops::redacted_suffix(&clean.names));
        let Some(shift) = self.writable_shift() else {
            self.say(Msg::HandoverPublished {
                request,
                result: Err("no shift to hand over".into()),
            });
            return;
        };
        match self.journal.publish_handover(&shift, &markdown, Utc::now()) {
            Ok(path) => {
                if let Some((_, _, ended)) = self.shift.as_mut() {
                    *ended = true;
                }
                self.say(Msg::HandoverPublished {
                    request,
                    result: Ok(format!("{}{redacted}", path.display())),
                });
                let (workspace, config) = (self.setup.workspace.clone(), self.setup.config.clone());
                let redactor = self.setup.redactor.clone();
                let session =
                    crate::ops::Session::new(&workspace, &config, self.setup.readonly, &redactor);
                let mut log = crate::ops::ThisShift {
                    workspace: &workspace,
                    shift: &shift,
                };
                let email = config.email.as_ref().is_some_and(|e| e.send_handover);
                match session.handover_messages(&mut log, &shift.id, &markdown, email) {
                    Ok(queued) if queued.is_empty() => {}
                    Ok(queued) => self.say(Msg::MessagesQueued(
                        queued
                            .into_iter()
                            .map(|m| format!("{} by {}", m.what, m.channel.label()))
                            .collect(),
                    )),
                    Err(e) => self.say(Msg::Notice(Err(format!(
                        "the handover was not queued for sending: {e}"
                    )))),
                }
            }
            Err(e) => self.say(Msg::HandoverPublished {
                request,
                result: Err(e),
            }),
        }
    }
}

impl Worker {
    /// A playbook run the worker's lists do not have yet (started since
    /// they were read): made from its template and its id.
    fn run_of(
        &self,
        id: &str,
        book: &crate::domain::IncidentBook,
    ) -> Option<crate::domain::checklist::Checklist> {
        use crate::domain::checklist::playbook;
        let (pb, target) = id.split_once('@')?;
        let template = self
            .checklists
            .iter()
            .find(|l| l.id == pb && l.is_template())?;
        let start = playbook::start_entry(Utc::now(), "", "", template, target, book.get(target));
        playbook::runs(std::slice::from_ref(template), &[start]).pop()
    }
}

impl Worker {
    /// Attach evidence through the use case and say how it went.
    fn attach(
        &mut self,
        session: &crate::ops::Session<'_>,
        request: crate::app::RequestId,
        incident_id: &str,
        source: crate::ops::evidence::Source<'_>,
        now: chrono::DateTime<Utc>,
    ) {
        let mut check = self.take_checker();
        let r = session.attach(
            &mut check.store,
            &mut check.book,
            self,
            incident_id,
            source,
            now,
        );
        self.checker = Some(check);
        self.forward_incidents(false);
        self.say(Msg::Saved {
            request,
            result: r.map(|a| {
                let redacted = if a.redacted.is_empty() {
                    String::new()
                } else {
                    format!(" (redacted: {})", a.redacted.join(", "))
                };
                format!(
                    "attached {} to {incident_id}{redacted}: :evidence {} reads it",
                    a.path(),
                    a.name
                )
            }),
        });
    }
}
