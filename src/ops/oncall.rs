//! Who is on call: every incident source that reads on-call (PagerDuty,
//! Opsgenie), else the directory's rota. The CLI's `oncall` and the screen's
//! status bar both ask here.

use crate::config::Config;
use crate::domain::contacts::Directory;
use crate::domain::oncall::{Roster, rota_entries};
use crate::integrations::inbox::SourceClient;
use crate::integrations::probes::ProbeContext;
use chrono::{DateTime, Utc};

/// How far ahead on-call is read: enough for "next" at any hour.
pub const WINDOW_HOURS: i64 = 36;

/// How often the screen asks again (on-call changes at shift boundaries;
/// the entries already read carry "now" across them).
pub const REFRESH_SECS: u64 = 300;

/// A client for every configured incident source, pointed where its mode says.
pub fn clients(
    config: &Config,
    http: &reqwest::Client,
    wiring: Option<&str>,
    mock_base: &str,
) -> Vec<SourceClient> {
    config
        .incident_sources
        .iter()
        .cloned()
        .map(|cfg| {
            let ctx = ProbeContext {
                mode: cfg.effective_mode(wiring),
                mock_base: mock_base.to_string(),
            };
            SourceClient::new(cfg, http.clone(), &ctx, &config.operator)
        })
        .collect()
}

/// Ask every source that reads on-call, concurrently; fall back on the rota
/// when none answered with anyone.
pub async fn roster(clients: &[SourceClient], dir: &Directory, now: DateTime<Utc>) -> Roster {
    let asked = clients
        .iter()
        .filter(|c| c.cfg.oncall)
        .map(|c| async move { (c.name().to_string(), c.on_call(now, WINDOW_HOURS).await) });
    let answers = futures_util::future::join_all(asked).await;
    let mut roster = Roster {
        fetched_at: Some(now),
        ..Default::default()
    };
    for (name, answer) in answers {
        match answer {
            Ok(entries) => roster.entries.extend(entries),
            Err(e) => roster.errors.push((name, e.message())),
        }
    }
    if roster.entries.is_empty() {
        roster.entries = rota_entries(dir, now);
    }
    roster
}
