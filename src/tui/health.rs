//! The health pollers: one task per integration, on its own interval with
//! jitter and a timeout; backoff after failures; "poll now" wakes a task
//! instead of queueing another probe. A hung endpoint holds up only its own
//! task.

use crate::app::Msg;
use crate::domain::redact::Redactor;
use crate::integrations::probes::ProbeContext;
use crate::integrations::setup::IntegrationConfig;
use crate::ops::health::probe;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, mpsc};

pub struct Pollers {
    wake: Vec<(String, Arc<Notify>)>,
}

impl Pollers {
    /// Wake this poller with the others (by name).
    pub fn add(&mut self, name: String, wake: Arc<Notify>) {
        self.wake.push((name, wake));
    }

    /// Poll one integration now (or all, with `None`). A poll already
    /// under way is not doubled: the wake-up is taken when it finishes.
    pub fn poll_now(&self, name: Option<&str>) {
        for (n, w) in &self.wake {
            if name.is_none_or(|x| x == n) {
                w.notify_one();
            }
        }
    }
}

pub fn spawn(
    integrations: &[IntegrationConfig],
    wiring_mode: Option<String>,
    mock_base: String,
    redactor: Arc<Redactor>,
    app: mpsc::UnboundedSender<Msg>,
) -> Pollers {
    let client = match crate::integrations::http_client(Duration::from_secs(30)) {
        Ok(c) => c,
        Err(e) => {
            let _ = app.send(Msg::Notice(Err(format!("health polling is off: {e}"))));
            return Pollers { wake: Vec::new() };
        }
    };
    let mut wake = Vec::new();
    for (i, cfg) in integrations.iter().cloned().enumerate() {
        let notify = Arc::new(Notify::new());
        wake.push((cfg.name.clone(), notify.clone()));
        let ctx = ProbeContext {
            mode: cfg.effective_mode(wiring_mode.as_deref()),
            mock_base: mock_base.clone(),
        };
        let (client, app, redactor) = (client.clone(), app.clone(), redactor.clone());
        tokio::spawn(async move {
            let name = cfg.name.clone();
            let stagger = Duration::from_millis(20 * i as u64);
            crate::integrations::poller::run(
                cfg.poll_interval(),
                stagger,
                i as u64 + 1,
                notify,
                || probe(&client, &cfg, &ctx, &redactor),
                |outcome| {
                    tracing::debug!(
                        integration = %name,
                        status = outcome.status.as_str(),
                        ms = ?outcome.latency_ms,
                        "polled"
                    );
                    app.send(Msg::Probed {
                        name: name.clone(),
                        outcome,
                        at: chrono::Utc::now(),
                    })
                    .is_ok()
                },
            )
            .await;
        });
    }
    Pollers { wake }
}
