//! The screen's background work for calling and being called: who is on
//! call (asked at start and every few minutes), and the messages outbox
//! (sent at start, when something is queued, and every minute while
//! anything waits).

use crate::app::Msg;
use crate::config::Config;
use crate::domain::redact::Redactor;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, mpsc};

/// How often waiting messages are tried again.
const RETRY: Duration = Duration::from_secs(60);

/// How long the sender waits before its next round (a message queued
/// wakes it at once): a minute while anything waits that may go through,
/// an hour when nothing waits or all that waits is a refused login (the
/// password cannot change under a running screen, and each try could count
/// against the account).
fn patience(report: &crate::ops::messages::SendReport) -> Duration {
    let hopeful = report.waiting.len() - report.login_refused.min(report.waiting.len());
    if report.busy || hopeful > 0 {
        RETRY
    } else {
        Duration::from_secs(3600)
    }
}

/// Start the sender; notify the handle to send now.
pub fn spawn_sender(
    workspace: PathBuf,
    config: Arc<Config>,
    redactor: Arc<Redactor>,
    stand_in: Option<String>,
    app: mpsc::UnboundedSender<Msg>,
) -> Arc<Notify> {
    let wake = Arc::new(Notify::new());
    let woken = wake.clone();
    tokio::spawn(async move {
        loop {
            // Reading and appending to the outbox (with fsync) happens off
            // the runtime's workers, which also read the keys.
            let (ws, cfg, red, si) = (
                workspace.clone(),
                config.clone(),
                redactor.clone(),
                stand_in.clone(),
            );
            let report = tokio::task::spawn_blocking(move || {
                crate::ops::messages::send_waiting_blocking(&ws, &cfg, &red, si.as_deref())
            })
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())));
            let Ok(report) = report else {
                tokio::time::sleep(RETRY).await;
                continue;
            };
            if !report.busy && (!report.delivered.is_empty() || !report.waiting.is_empty()) {
                let delivered = report
                    .delivered
                    .iter()
                    .map(|d| {
                        let what = format!("{} by {}", d.message.what, d.message.channel.label());
                        (
                            what,
                            if d.sent {
                                Ok(())
                            } else {
                                Err(d.detail.clone())
                            },
                        )
                    })
                    .collect();
                let why = report.waiting.first().and_then(|w| w.last_error.clone());
                if app
                    .send(Msg::MessagesSent {
                        delivered,
                        waiting: report.waiting.iter().map(|w| w.describe()).collect(),
                        why,
                    })
                    .is_err()
                {
                    return;
                }
            }
            let patience = patience(&report);
            tokio::select! {
                _ = woken.notified() => {}
                _ = tokio::time::sleep(patience) => {}
            }
        }
    });
    wake
}

/// Read the escalation directory (off the runtime's workers, after the
/// first frame is up), hand it to the app, then ask who is on call now and
/// every few minutes, when anything can say.
pub fn spawn_oncall(
    config: &Config,
    workspace: PathBuf,
    wiring: Option<&str>,
    mock_base: &str,
    app: mpsc::UnboundedSender<Msg>,
) {
    let asks = config.incident_sources.iter().any(|s| s.oncall);
    let clients = match crate::integrations::http_client(Duration::from_secs(15)) {
        Ok(http) if asks => crate::ops::source_clients(config, &http, wiring, mock_base),
        _ => Vec::new(),
    };
    tokio::spawn(async move {
        let read = tokio::task::spawn_blocking(move || crate::store::contacts::load(&workspace));
        let Ok((directory, problems)) = read.await else {
            return;
        };
        let rota = directory.rota.is_some();
        let sent = app.send(Msg::Directory {
            directory: Box::new(directory.clone()),
            problems: problems.iter().map(|p| p.to_string()).collect(),
        });
        if sent.is_err() || (clients.is_empty() && !rota) {
            return;
        }
        loop {
            let roster = crate::ops::oncall::roster(&clients, &directory, chrono::Utc::now()).await;
            if app.send(Msg::OnCall(Box::new(roster))).is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(crate::ops::oncall::REFRESH_SECS)).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message::{Channel, Message, Waiting};
    use crate::ops::messages::SendReport;

    fn waiting() -> Waiting {
        Waiting {
            message: Message {
                id: "m1".into(),
                at: chrono::Utc::now(),
                channel: Channel::Email,
                what: "handover".into(),
                subject: String::new(),
                body: String::new(),
                by: "ana".into(),
            },
            attempts: 1,
            last_error: Some("refused".into()),
        }
    }

    #[test]
    fn a_refused_login_is_not_tried_every_minute() {
        assert_eq!(patience(&SendReport::default()), Duration::from_secs(3600));
        let mut r = SendReport {
            waiting: vec![waiting()],
            ..Default::default()
        };
        assert_eq!(patience(&r), RETRY, "a server that may answer later");
        r.login_refused = 1;
        assert_eq!(
            patience(&r),
            Duration::from_secs(3600),
            "only a refused login waits"
        );
        r.waiting.push(waiting());
        assert_eq!(patience(&r), RETRY);
    }
}
