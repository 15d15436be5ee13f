//! The health pollers: one task per integration, on its own interval with
//! jitter and a timeout; backoff after failures; "poll now" wakes a task
//! instead of queueing another probe. A hung endpoint holds up only its own
//! task.

use crate::app::Msg;
use crate::domain::health::next_delay;
use crate::integrations::probes::{ProbeContext, probe};
use crate::integrations::setup::IntegrationConfig;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, mpsc};

pub struct Pollers {
    wake: Vec<(String, Arc<Notify>)>,
}

impl Pollers {
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

/// Up to 10 % of the interval, so many pollers do not fire together.
fn jitter(interval: u64, seed: u64) -> Duration {
    let spread = (interval * 100).max(1);
    Duration::from_millis(
        (seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407)
            >> 33)
            % spread,
    )
}

pub fn spawn(
    integrations: &[IntegrationConfig],
    wiring_mode: Option<String>,
    mock_base: String,
    app: mpsc::UnboundedSender<Msg>,
) -> Pollers {
    let client = match crate::integrations::http_client(Duration::from_secs(30)) {
        Ok(c) => c,
        Err(e) => {
            let _ = app.send(Msg::Saved(Err(format!("health polling is off: {e}"))));
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
        let (client, app) = (client.clone(), app.clone());
        tokio::spawn(async move {
            let interval = cfg.poll_interval();
            let mut failures = 0u32;
            let mut seed = i as u64 + 1;
            // A small stagger at start; every integration is polled at once.
            tokio::time::sleep(Duration::from_millis(20 * i as u64)).await;
            loop {
                let outcome = probe(&client, &cfg, &ctx).await;
                failures = if outcome.status == crate::domain::health::HealthStatus::Up {
                    0
                } else {
                    failures + 1
                };
                let delay = Duration::from_secs(next_delay(interval, &outcome, failures));
                if app
                    .send(Msg::Probed {
                        name: cfg.name.clone(),
                        outcome,
                        at: chrono::Utc::now(),
                    })
                    .is_err()
                {
                    return;
                }
                seed = seed.wrapping_add(0x9e37_79b9);
                tokio::select! {
                    _ = tokio::time::sleep(delay + jitter(interval, seed)) => {}
                    _ = notify.notified() => {}
                }
            }
        });
    }
    Pollers { wake }
}
