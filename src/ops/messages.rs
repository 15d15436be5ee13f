//! Messages out, the one path for the CLI and the screen: a status update
//! or a handover is redacted, written to the messages outbox and journaled
//! before anything is sent; [`send_waiting`] sends what waits, once each.

use super::{Journaled, Session, ShiftLog};
use crate::config::Config;
use crate::domain::Incident;
use crate::domain::journal::{EntryKind, JournalEntry};
use crate::domain::message::{
    Channel, Delivered, Message, MessageLine, Waiting, check_eta, status_update,
};
use crate::domain::redact::Redactor;
use crate::store::messages::MessageStore;
use chrono::Utc;
use std::path::Path;

/// Why a message was not queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageError {
    ReadOnly,
    /// Nowhere to send it: the config lacks the table or variable named.
    NotConfigured(String),
    /// What the operator typed is not usable (a bad ETA, no action).
    Invalid(String),
    Io(String),
}

impl std::fmt::Display for MessageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MessageError::ReadOnly => {
                f.write_str("read-only: started with --readonly, nothing was sent")
            }
            MessageError::NotConfigured(w) | MessageError::Invalid(w) => f.write_str(w),
            MessageError::Io(e) => write!(f, "the messages outbox could not be written: {e}"),
        }
    }
}

/// The variable holding the status updates' webhook.
pub fn updates_env(config: &Config) -> Option<&str> {
    config
        .slack_updates_env
        .as_deref()
        .or(config.slack_webhook_env.as_deref())
}

/// The demo's stand-in of Slack takes what no variable names a webhook for.
fn webhook_or_stand_in(
    config: &Config,
    channel: Channel,
    stand_in: Option<&str>,
) -> Result<String, String> {
    match (webhook(config, channel), stand_in) {
        (Ok(url), _) => Ok(url),
        (Err(_), Some(base)) => Ok(format!("{base}/slack/services/T0DEMO/B0OPS/updates")),
        (Err(e), None) => Err(e),
    }
}

fn webhook(config: &Config, channel: Channel) -> Result<String, String> {
    let var = match channel {
        Channel::SlackUpdates => updates_env(config),
        _ => config.slack_webhook_env.as_deref(),
    }
    .ok_or_else(|| "no Slack webhook: set [slack] webhook_env in shiftdeck.toml".to_string())?;
    match crate::secrets::var(var) {
        Some(v) => Ok(v),
        None => Err(format!(
            "not configured: set {var} (the Slack webhook comes from it)"
        )),
    }
}

/// Where a channel's messages go, as it may be shown: Slack's host only,
/// the mail server and recipients.
pub fn destination(config: &Config, channel: Channel) -> Option<String> {
    match channel {
        Channel::Slack | Channel::SlackUpdates => webhook(config, channel)
            .ok()
            .map(|u| crate::integrations::slack::mask(&u)),
        Channel::Email => config
            .email
            .as_ref()
            .map(|e| format!("{} via {}:{}", e.to.join(", "), e.host, e.port())),
    }
}

impl Session<'_> {
    fn queue_message(
        &self,
        log: &mut dyn ShiftLog,
        mut m: Message,
    ) -> Result<(Message, Journaled), MessageError> {
        if self.readonly {
            return Err(MessageError::ReadOnly);
        }
        m.body = self.redactor.redact(&m.body).text;
        m.subject = self.redactor.redact(&m.subject).text;
        MessageStore::new(self.workspace)
            .record(&MessageLine::Queued(m.clone()))
            .map_err(|e| MessageError::Io(e.to_string()))?;
        let operator = self.operator();
        let action = format!("{} queued for {}", m.what, m.channel.label());
        let text: String = m.body.lines().next().unwrap_or("").to_string();
        let journaled = log.record(&|s| {
            JournalEntry::new(m.at, &s.id, operator, EntryKind::Message)
                .with("action", action.as_str())
                .with("text", text.as_str())
                .with("message_id", m.id.as_str())
        });
        Ok((m, journaled))
    }

    /// The one-line update of seed 002 §6 step 5 for an incident, to the
    /// operations channel: service, symptom (the title unless given), the
    /// action taken and the ETA.
    pub fn status_update(
        &self,
        log: &mut dyn ShiftLog,
        incident: &Incident,
        symptom: Option<&str>,
        action: &str,
        eta: &str,
    ) -> Result<(Message, Journaled), MessageError> {
        if self.readonly {
            return Err(MessageError::ReadOnly);
        }
        if updates_env(self.config).is_none() {
            return Err(MessageError::NotConfigured(
                "no Slack channel for updates: set [slack] webhook_env (or updates_webhook_env) in shiftdeck.toml".into(),
            ));
        }
        if action.trim().is_empty() {
            return Err(MessageError::Invalid(
                "the update needs the action taken (--action)".into(),
            ));
        }
        let eta = check_eta(eta).map_err(MessageError::Invalid)?;
        let symptom = symptom
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(&incident.title);
        let line = status_update(
            &incident.id,
            incident.severity,
            &incident.service,
            symptom,
            action,
            &eta,
        );
        let m = Message {
            id: crate::store::remote::new_action_id(),
            at: Utc::now(),
            channel: Channel::SlackUpdates,
            what: format!("status update {}", incident.id),
            subject: String::new(),
            body: line,
            by: self.operator().to_string(),
        };
        self.queue_message(log, m)
    }

    /// The handover's messages: to Slack when a webhook is named, by mail
    /// when `email` (and `[email]` is set). Returns what was queued.
    pub fn handover_messages(
        &self,
        log: &mut dyn ShiftLog,
        shift_id: &str,
        markdown: &str,
        email: bool,
    ) -> Result<Vec<Message>, MessageError> {
        let mut out = Vec::new();
        let mut channels = Vec::new();
        if self.config.slack_webhook_env.is_some() {
            channels.push(Channel::Slack);
        }
        if email {
            if self.config.email.is_none() {
                return Err(MessageError::NotConfigured(
                    "no [email] table in shiftdeck.toml: nowhere to mail the handover".into(),
                ));
            }
            channels.push(Channel::Email);
        }
        for channel in channels {
            let m = Message {
                id: crate::store::remote::new_action_id(),
                at: Utc::now(),
                channel,
                what: format!("handover {shift_id}"),
                subject: format!("Shift handover {shift_id} from {}", self.operator()),
                body: markdown.to_string(),
                by: self.operator().to_string(),
            };
            out.push(self.queue_message(log, m)?.0);
        }
        Ok(out)
    }
}

/// What one round of sending did.
#[derive(Debug, Default)]
pub struct SendReport {
    pub delivered: Vec<Delivered>,
    /// Still waiting, with why.
    pub waiting: Vec<Waiting>,
    /// Another process holds the sender lock.
    pub busy: bool,
    /// How many of `waiting` the mail server refused the login for: trying
    /// them again soon cannot help (and could lock the account).
    pub login_refused: usize,
}

/// Send every waiting message once (one process at a time). A refusal for
/// good (a revoked webhook, a rejected recipient) finishes the message as
/// not sent; anything that may pass later leaves it waiting.
///
/// `stand_in`: the base URL of the demo's own stand-ins, used for Slack when
/// no variable names a webhook.
pub async fn send_waiting(
    workspace: &Path,
    config: &Config,
    redactor: &Redactor,
    stand_in: Option<&str>,
) -> std::io::Result<SendReport> {
    let store = MessageStore::new(workspace);
    let Some(_lock) = store.try_sender()? else {
        return Ok(SendReport {
            busy: true,
            ..Default::default()
        });
    };
    let (messages, _) = store.read()?;
    let mut report = SendReport::default();
    for mut w in messages.waiting {
        let id = w.message.id.clone();
        let now = Utc::now();
        store.record(&MessageLine::Attempt {
            id: id.clone(),
            at: now,
        })?;
        let mut login_refused = false;
        let result: Result<(), (String, bool)> = match w.message.channel {
            Channel::Slack | Channel::SlackUpdates => {
                match webhook_or_stand_in(config, w.message.channel, stand_in) {
                    Err(e) => Err((e, true)),
                    Ok(url) => {
                        crate::integrations::slack::post_for_outbox(&url, &w.message.body).await
                    }
                }
            }
            Channel::Email => match &config.email {
                None => Err(("no [email] table in shiftdeck.toml".into(), true)),
                Some(cfg) => {
                    crate::integrations::mail::send(cfg, &id, &w.message.subject, &w.message.body)
                        .await
                        .map_err(|e| {
                            login_refused = e.login_refused;
                            (e.message, e.retry)
                        })
                }
            },
        };
        let at = Utc::now();
        match result {
            Ok(()) => {
                store.record(&MessageLine::Done {
                    id,
                    at,
                    sent: true,
                    detail: String::new(),
                })?;
                report.delivered.push(Delivered {
                    message: w.message,
                    sent: true,
                    detail: String::new(),
                    at,
                });
            }
            Err((why, true)) => {
                let why = redactor.redact(&why).text;
                store.record(&MessageLine::Retry {
                    id,
                    at,
                    why: why.clone(),
                })?;
                w.last_error = Some(why);
                w.attempts += 1;
                report.login_refused += usize::from(login_refused);
                report.waiting.push(w);
            }
            Err((why, false)) => {
                let why = redactor.redact(&why).text;
                store.record(&MessageLine::Done {
                    id,
                    at,
                    sent: false,
                    detail: why.clone(),
                })?;
                report.delivered.push(Delivered {
                    message: w.message,
                    sent: false,
                    detail: why,
                    at,
                });
            }
        }
    }
    Ok(report)
}

/// `send_waiting` from synchronous code (the CLI).
/// (`stand_in` as for [`send_waiting`]; the screen runs this on a blocking
/// thread too, so the outbox's fsyncs never hold up a runtime worker.)
pub fn send_waiting_blocking(
    workspace: &Path,
    config: &Config,
    redactor: &Redactor,
    stand_in: Option<&str>,
) -> std::io::Result<SendReport> {
    // Nothing waits (the usual case): no runtime, no lock.
    if MessageStore::new(workspace).read()?.0.waiting.is_empty() {
        return Ok(SendReport::default());
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(send_waiting(workspace, config, redactor, stand_in))
}
