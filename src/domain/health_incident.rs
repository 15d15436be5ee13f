//! Health that becomes work (seed 002 §7: "treat its failures as
//! first-class incidents, not noise"; §6 step 4: several integrations
//! failing at once is a substrate problem — network, DNS, proxy — for
//! platform on-call, not one incident per integration).

use super::Severity;
use super::health::{HealthStatus, IntegrationHealth};
use chrono::{DateTime, Duration, Utc};

/// How long an integration stays down before it is offered as an incident.
pub const OFFER_AFTER: Duration = Duration::minutes(10);

/// Integrations going down this close together are one substrate problem.
pub const TOGETHER: Duration = Duration::minutes(5);

/// `[health]` of `shiftdeck.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Down this long, an integration is offered as an incident.
    pub offer_after: Duration,
    /// Declare it then, instead of offering.
    pub auto_incident: bool,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            offer_after: OFFER_AFTER,
            auto_incident: false,
        }
    }
}

/// Every incident due for the integrations down `after` or longer, one
/// substrate incident standing for those that went down together. What
/// `covered` says already has an incident is skipped: an integration alone,
/// or a substrate whose every integration has one.
pub fn due(
    entries: &[IntegrationHealth],
    now: DateTime<Utc>,
    after: Duration,
    covered: impl Fn(&str) -> bool,
) -> Vec<Proposal> {
    let mut out: Vec<Proposal> = Vec::new();
    for e in entries {
        if covered(&e.name) || out.iter().any(|p| p.integrations.contains(&e.name)) {
            continue;
        }
        if let Some(p) = proposal(entries, &e.name, now, after)
            && !p.integrations.iter().all(|n| covered(n))
        {
            out.push(p);
        }
    }
    out
}

/// An incident the Health pane offers to declare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub title: String,
    pub service: String,
    pub severity: Severity,
    /// The integrations it stands for.
    pub integrations: Vec<String>,
    /// One incident for several integrations at once.
    pub substrate: bool,
}

fn down_for(e: &IntegrationHealth, now: DateTime<Utc>) -> Option<(DateTime<Utc>, Duration)> {
    let since = e.since?;
    (e.status == HealthStatus::Down).then(|| (since, now - since))
}

/// What to offer for `selected` (an integration's name): one substrate
/// incident when it went down within minutes of others that are down too,
/// else one for it, once it has been down `after`. `None` while it is up,
/// or not down long enough.
pub fn proposal(
    entries: &[IntegrationHealth],
    selected: &str,
    now: DateTime<Utc>,
    after: Duration,
) -> Option<Proposal> {
    let e = entries.iter().find(|e| e.name == selected)?;
    let (since, long) = down_for(e, now)?;
    if long < after {
        return None;
    }
    let mut together: Vec<&IntegrationHealth> = entries
        .iter()
        .filter(|o| down_for(o, now).is_some_and(|(s, _)| (s - since).abs() <= TOGETHER))
        .collect();
    together.sort_by(|a, b| a.name.cmp(&b.name));
    if together.len() >= 2 {
        let names: Vec<String> = together.iter().map(|o| o.name.clone()).collect();
        return Some(Proposal {
            title: format!(
                "{} integrations down at once ({}): network, DNS or proxy?",
                names.len(),
                names.join(", ")
            ),
            service: "platform".into(),
            severity: Severity::P2,
            integrations: names,
            substrate: true,
        });
    }
    Some(Proposal {
        title: format!("{} down: {}", e.name, e.summary),
        service: e.name.clone(),
        severity: Severity::P3,
        integrations: vec![e.name.clone()],
        substrate: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn down(name: &str, since: &str) -> IntegrationHealth {
        let mut e = IntegrationHealth::new(name, "http", 30);
        e.status = HealthStatus::Down;
        e.summary = "connection refused".into();
        e.since = Some(since.parse().unwrap());
        e
    }

    #[test]
    fn one_integration_down_long_enough_is_offered_as_its_own_incident() {
        let now: DateTime<Utc> = "2026-12-02T03:20:00Z".parse().unwrap();
        let entries = [down("splunk-hec", "2026-12-02T03:05:00Z")];
        let p = proposal(&entries, "splunk-hec", now, OFFER_AFTER).unwrap();
        assert_eq!(p.title, "splunk-hec down: connection refused");
        assert_eq!(
            (p.service.as_str(), p.severity, p.substrate),
            ("splunk-hec", Severity::P3, false)
        );
        // Down 5 minutes only: not yet.
        assert!(proposal(&entries, "splunk-hec", now, Duration::minutes(20)).is_none());
        let mut up = entries[0].clone();
        up.status = HealthStatus::Up;
        assert!(proposal(&[up], "splunk-hec", now, OFFER_AFTER).is_none());
    }

    #[test]
    fn several_down_within_minutes_are_one_substrate_incident_for_platform() {
        let now: DateTime<Utc> = "2026-12-02T03:30:00Z".parse().unwrap();
        let entries = [
            down("sentry", "2026-12-02T03:05:00Z"),
            down("datadog", "2026-12-02T03:06:30Z"),
            down("slack-ops", "2026-12-02T03:08:00Z"),
            // Down since yesterday: not part of this.
            down("opsgenie", "2026-12-01T03:08:00Z"),
        ];
        let p = proposal(&entries, "datadog", now, OFFER_AFTER).unwrap();
        assert!(p.substrate);
        assert_eq!(p.integrations, ["datadog", "sentry", "slack-ops"]);
        assert_eq!(p.service, "platform");
        assert_eq!(p.severity, Severity::P2);
        assert!(
            p.title
                .starts_with("3 integrations down at once (datadog, sentry, slack-ops)")
        );
        let alone = proposal(&entries, "opsgenie", now, OFFER_AFTER).unwrap();
        assert!(!alone.substrate);
    }

    #[test]
    fn due_declares_each_outage_once_and_skips_what_an_incident_covers() {
        let now: DateTime<Utc> = "2026-12-02T03:30:00Z".parse().unwrap();
        let entries = [
            down("sentry", "2026-12-02T03:05:00Z"),
            down("datadog", "2026-12-02T03:06:30Z"),
            down("opsgenie", "2026-12-01T03:08:00Z"),
            down("splunk-hec", "2026-12-02T03:28:00Z"),
        ];
        let due_now = due(&entries, now, OFFER_AFTER, |_| false);
        let titles: Vec<&str> = due_now.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "2 integrations down at once (datadog, sentry): network, DNS or proxy?",
                "opsgenie down: connection refused"
            ],
            "splunk-hec is down 2 minutes only"
        );
        let covered = due(&entries, now, OFFER_AFTER, |n| {
            n == "opsgenie" || n == "sentry"
        });
        assert_eq!(covered.len(), 1, "{covered:?}");
        assert!(
            covered[0].substrate,
            "datadog went down with sentry: still a substrate"
        );
        let all = due(&entries, now, OFFER_AFTER, |n| n != "splunk-hec");
        assert!(all.is_empty(), "{all:?}");
    }
}
