//! `shiftdeck messages`: what waits in the messages outbox, and `--send`.

use super::exit;
use crate::config::Config;
use crate::domain::message::Message;
use crate::domain::redact::Redactor;
use crate::store::messages::MessageStore;
use std::path::Path;

/// Send what waits (the messages just queued among them) and say what
/// became of each of `queued`; 7 while any of them is not sent.
pub fn send_and_report(
    workspace: &Path,
    config: &Config,
    redactor: &Redactor,
    queued: &[Message],
    saved: &str,
) -> i32 {
    let report =
        match crate::ops::messages::send_waiting_blocking(workspace, config, redactor, None) {
            Ok(r) => r,
            Err(e) => {
                errln!("error: the messages outbox could not be read: {e}");
                return exit::NOT_POSTED;
            }
        };
    if report.busy {
        errln!("queued: another shiftdeck is sending messages now; it sends these too");
        return exit::NOT_POSTED;
    }
    let mut code = exit::OK;
    for m in queued {
        if let Some(d) = report.delivered.iter().find(|d| d.message.id == m.id) {
            if d.sent {
                let to = crate::ops::messages::destination(config, m.channel).unwrap_or_default();
                match m.channel {
                    crate::domain::message::Channel::Email => errln!("{} mailed to {to}", m.what),
                    _ => errln!("{} posted to Slack ({to})", m.what),
                }
            } else {
                errln!(
                    "error: {} not sent by {}: {}{saved}",
                    m.what,
                    m.channel.label(),
                    d.detail
                );
                code = exit::NOT_POSTED;
            }
        } else if let Some(w) = report.waiting.iter().find(|w| w.message.id == m.id) {
            errln!(
                "warning: {} not sent by {} yet: {} — it waits in {} and goes out from the screen or `shiftdeck messages --send`{saved}",
                m.what,
                m.channel.label(),
                w.last_error.as_deref().unwrap_or("not tried"),
                MessageStore::new(workspace).path().display()
            );
            code = exit::NOT_POSTED;
        }
    }
    code
}

/// `shiftdeck messages [--send] [--json]`.
pub fn run(workspace: &Path, config: &Config, readonly: bool, send: bool, json: bool) -> i32 {
    let redactor = crate::ops::redactor(config);
    let store = MessageStore::new(workspace);
    if send {
        if readonly {
            errln!("error: read-only: started with --readonly, nothing was sent");
            return exit::READ_ONLY;
        }
        let (before, _) = store.read().unwrap_or_default();
        let queued: Vec<Message> = before.waiting.into_iter().map(|w| w.message).collect();
        if queued.is_empty() {
            errln!("nothing waits to be sent");
        }
        let code = send_and_report(workspace, config, &redactor, &queued, "");
        if json {
            print_json(&store);
        }
        return code;
    }
    let (messages, issues) = match store.read() {
        Ok(x) => x,
        Err(e) => {
            errln!("error: {}: {e}", store.path().display());
            return exit::FAILURE;
        }
    };
    for i in &issues {
        errln!("warning: {i}");
    }
    if json {
        print_json(&store);
        return if messages.waiting.is_empty() {
            exit::OK
        } else {
            exit::NOT_POSTED
        };
    }
    let tz = config.timezone;
    if messages.waiting.is_empty() && messages.done.is_empty() {
        outln!("no messages: status updates and handovers sent by Slack or mail are listed here");
        return exit::OK;
    }
    for w in &messages.waiting {
        outln!(
            "WAITING  {}  {:<6} {}{}",
            w.message.at.with_timezone(&tz).format("%m-%d %H:%M"),
            w.message.channel.label(),
            w.message.what,
            w.last_error
                .as_ref()
                .map(|e| format!(" — {e}"))
                .unwrap_or_default()
        );
    }
    for d in messages.done.iter().rev().take(20) {
        outln!(
            "{:<8} {}  {:<6} {}{}",
            if d.sent { "SENT" } else { "FAILED" },
            d.at.with_timezone(&tz).format("%m-%d %H:%M"),
            d.message.channel.label(),
            d.message.what,
            if d.detail.is_empty() {
                String::new()
            } else {
                format!(" — {}", d.detail)
            }
        );
    }
    if messages.waiting.is_empty() {
        exit::OK
    } else {
        exit::NOT_POSTED
    }
}

fn print_json(store: &MessageStore) {
    let (m, _) = store.read().unwrap_or_default();
    let rows: Vec<serde_json::Value> = m
        .waiting
        .iter()
        .map(|w| serde_json::json!({"id": w.message.id, "state": "waiting", "channel": w.message.channel, "what": w.message.what, "queued_at": w.message.at, "attempts": w.attempts, "last_error": w.last_error}))
        .chain(m.done.iter().map(|d| serde_json::json!({"id": d.message.id, "state": if d.sent { "sent" } else { "failed" }, "channel": d.message.channel, "what": d.message.what, "queued_at": d.message.at, "at": d.at, "detail": d.detail})))
        .collect();
    outln!(
        "{}",
        serde_json::to_string_pretty(&rows).unwrap_or_default()
    );
}
