//! Who is on call: every incident source that reads on-call (PagerDuty,
//! Opsgenie), else the directory's rota. The CLI's `oncall` and the screen's
//! status bar both ask here.

use crate::domain::contacts::Directory;
use crate::domain::oncall::{Roster, rota_entries};
use crate::domain::remote::Vendor;
use crate::integrations::inbox::SourceClient;
use chrono::{DateTime, Utc};

/// How far ahead on-call is read: enough for "next" at any hour.
pub const WINDOW_HOURS: i64 = 36;

/// How often the screen asks again (on-call changes at shift boundaries;
/// the entries already read carry "now" across them).
pub const REFRESH_SECS: u64 = 300;

/// Ask every source that reads on-call, concurrently; fall back on the rota
/// when none answered with anyone.
pub async fn roster(clients: &[SourceClient], dir: &Directory, now: DateTime<Utc>) -> Roster {
    let asked = clients
        .iter()
        .filter(|c| c.cfg.oncall && matches!(c.vendor(), Vendor::Pagerduty | Vendor::Opsgenie))
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
