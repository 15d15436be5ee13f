//! Incidents that live at PagerDuty or Opsgenie, in the shape of local ones.
//!
//! Severity is normalised to the runbook's P1–P4 here and nowhere else:
//!
//! | vendor says | shiftdeck shows |
//! |---|---|
//! | PagerDuty priority P1 / P2 / P3 (also "SEV-1", "Sev 2", "1") | P1 / P2 / P3 |
//! | PagerDuty priority P4, P5 and lower | P4 |
//! | PagerDuty without a (recognised) priority: urgency high / low | P2 / P3 |
//! | Opsgenie P1 / P2 / P3 / P4 / P5 | P1 / P2 / P3 / P4 / P4 |
//! | Opsgenie without a priority | P3 (Opsgenie's own default) |
//!
//! Urgency has only two levels, so it never makes a P1: "platform down" is
//! something a person sets as a priority. Status: PagerDuty triggered →
//! open, acknowledged → acknowledged, resolved → resolved; Opsgenie open and
//! not acknowledged → open, open and acknowledged → acknowledged, closed →
//! resolved.

use super::incident::{Incident, IncidentStatus};
use super::severity::Severity;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod ask;

pub use super::vendor::Vendor;

/// The level in a priority name: "P2", "p2", "SEV-2", "Sev 2", "sev2", "2".
fn priority_level(name: &str) -> Option<u8> {
    let n = name.trim().to_ascii_lowercase();
    let digits = n
        .strip_prefix("sev")
        .or_else(|| n.strip_prefix('p'))
        .unwrap_or(&n)
        .trim_start_matches([' ', '-', '_']);
    match digits.parse::<u8>() {
        Ok(d) if d >= 1 => Some(d),
        _ => None,
    }
}

fn from_level(level: u8) -> Severity {
    match level {
        1 => Severity::P1,
        2 => Severity::P2,
        3 => Severity::P3,
        _ => Severity::P4,
    }
}

/// PagerDuty: the priority when set and recognised, else the urgency.
pub fn pagerduty_severity(priority: Option<&str>, urgency: &str) -> Severity {
    match priority.and_then(priority_level) {
        Some(l) => from_level(l),
        None if urgency.eq_ignore_ascii_case("low") => Severity::P3,
        None => Severity::P2,
    }
}

/// Opsgenie: P1–P5, P5 folded into P4; missing means P3.
pub fn opsgenie_severity(priority: Option<&str>) -> Severity {
    priority
        .and_then(priority_level)
        .map(from_level)
        .unwrap_or(Severity::P3)
}

/// The label values Alertmanager alerts carry, and the severity each means
/// unless `[[incident_sources]] severities` says otherwise.
pub const ALERTMANAGER_SEVERITIES: [(&str, Severity); 6] = [
    ("critical", Severity::P1),
    ("page", Severity::P1),
    ("error", Severity::P2),
    ("high", Severity::P2),
    ("warning", Severity::P3),
    ("info", Severity::P4),
];

/// Alertmanager: the severity label's value through the table (the
/// configured one first, then the defaults; case does not matter); a
/// missing or unknown value is P3, like Opsgenie's default.
pub fn alertmanager_severity(value: Option<&str>, table: &BTreeMap<String, Severity>) -> Severity {
    let Some(v) = value.map(|v| v.trim().to_ascii_lowercase()) else {
        return Severity::P3;
    };
    table
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(&v))
        .map(|(_, s)| *s)
        .or_else(|| {
            ALERTMANAGER_SEVERITIES
                .iter()
                .find(|(k, _)| *k == v)
                .map(|(_, s)| *s)
        })
        .or_else(|| priority_level(&v).map(from_level))
        .unwrap_or(Severity::P3)
}

/// PagerDuty `status`.
pub fn pagerduty_status(status: &str) -> IncidentStatus {
    match status {
        "acknowledged" => IncidentStatus::Acknowledged,
        "resolved" => IncidentStatus::Resolved,
        _ => IncidentStatus::Open,
    }
}

/// Opsgenie `status` and `acknowledged`.
pub fn opsgenie_status(status: &str, acknowledged: bool) -> IncidentStatus {
    match (status, acknowledged) {
        ("closed", _) => IncidentStatus::Resolved,
        (_, true) => IncidentStatus::Acknowledged,
        _ => IncidentStatus::Open,
    }
}

/// One incident as a vendor reported it, already normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteIncident {
    /// The configured source it came from.
    pub source: String,
    pub vendor: Vendor,
    /// The vendor's own id (PagerDuty `id`, Opsgenie alert `id`).
    pub remote_id: String,
    /// What people call it: PagerDuty's incident number, Opsgenie's tiny id.
    pub number: String,
    /// The id shown and typed: prefix and number, "PD-4211".
    pub id: String,
    pub title: String,
    pub service: String,
    pub severity: Severity,
    /// What the vendor said, before normalising ("P2", "high urgency").
    pub vendor_priority: String,
    pub status: IncidentStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub acknowledged: Option<(DateTime<Utc>, String)>,
    pub resolved: Option<(DateTime<Utc>, String)>,
    #[serde(default)]
    pub assignees: Vec<String>,
    pub url: Option<String>,
    /// Alertmanager: the alert's labels (a silence matches them).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Alertmanager: `summary`, `description`, `runbook_url` and the rest.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Alertmanager: the silences that hold the alert quiet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub silences: Vec<Silence>,
    /// Snoozed (PagerDuty, Opsgenie, JSM) until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snoozed_until: Option<DateTime<Utc>>,
}

/// A silence at Alertmanager that matches an alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Silence {
    pub id: String,
    pub ends_at: DateTime<Utc>,
    #[serde(default)]
    pub created_by: String,
    #[serde(default)]
    pub comment: String,
}

/// What the Incidents pane knows about a remote incident beyond the
/// common fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemoteInfo {
    pub source: String,
    pub vendor: Vendor,
    pub remote_id: String,
    pub number: String,
    pub vendor_priority: String,
    pub assignees: Vec<String>,
    pub url: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub silences: Vec<Silence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Actions taken here and not yet confirmed by the vendor, in order
    /// ("ack queued 03:12").
    pub pending: Vec<String>,
    /// No longer in the vendor's open list: closed elsewhere since the
    /// last look.
    pub gone: bool,
}

impl RemoteInfo {
    /// What the vendor says beyond the common fields, as (label, text)
    /// rows for the detail and `incidents show`: the snooze, the silences
    /// that hold an alert, its annotations (summary, description,
    /// runbook_url first) and its labels.
    pub fn detail_rows(&self, tz: chrono_tz::Tz) -> Vec<(&'static str, String)> {
        let at = |t: DateTime<Utc>| t.with_timezone(&tz).format("%a %H:%M").to_string();
        let mut rows = Vec::new();
        if let Some(u) = self.snoozed_until {
            rows.push(("snoozed", format!("until {}", at(u))));
        }
        for s in &self.silences {
            let short: String = s.id.chars().take(8).collect();
            let mut text = format!(
                "until {} by {} (silence {short})",
                at(s.ends_at),
                s.created_by
            );
            if !s.comment.is_empty() {
                text.push_str(&format!(": {}", s.comment));
            }
            rows.push(("silenced", text));
        }
        let first = ["summary", "description", "runbook_url"];
        for k in first {
            if let Some(v) = self.annotations.get(k) {
                let label = match k {
                    "summary" => "summary",
                    "description" => "about",
                    _ => "runbook",
                };
                rows.push((label, v.clone()));
            }
        }
        for (k, v) in &self.annotations {
            if !first.contains(&k.as_str()) {
                rows.push(("annotation", format!("{k}: {v}")));
            }
        }
        if !self.labels.is_empty() {
            let l: Vec<String> = self
                .labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            rows.push(("labels", l.join(" ")));
        }
        rows
    }
}

impl RemoteIncident {
    /// The incident as the pane shows it. Its response target runs from
    /// the vendor's creation time, like a local one.
    pub fn to_incident(&self) -> Incident {
        Incident {
            id: self.id.clone(),
            title: self.title.clone(),
            service: self.service.clone(),
            env: self.source.clone(),
            severity: self.severity,
            declared: self.severity,
            status: self.status,
            started_at: self.created_at,
            created_by: self.vendor.label().to_string(),
            respond_by: self.created_at + self.severity.response_target(),
            acknowledged: self.acknowledged.clone(),
            resolved: self.resolved.clone(),
            updated_at: self.updated_at,
            timeline: Vec::new(),
            remote: Some(Box::new(RemoteInfo {
                source: self.source.clone(),
                vendor: self.vendor,
                remote_id: self.remote_id.clone(),
                number: self.number.clone(),
                vendor_priority: self.vendor_priority.clone(),
                assignees: self.assignees.clone(),
                url: self.url.clone(),
                labels: self.labels.clone(),
                annotations: self.annotations.clone(),
                silences: self.silences.clone(),
                snoozed_until: self.snoozed_until,
                pending: Vec::new(),
                gone: false,
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagerduty_priority_wins_over_urgency() {
        let cases = [
            (Some("P1"), "low", Severity::P1),
            (Some("P2"), "low", Severity::P2),
            (Some("P3"), "high", Severity::P3),
            (Some("P4"), "high", Severity::P4),
            (Some("P5"), "high", Severity::P4),
            (Some("SEV-1"), "low", Severity::P1),
            (Some("Sev 2"), "low", Severity::P2),
            (Some("sev3"), "high", Severity::P3),
            (Some("1"), "low", Severity::P1),
            (Some("Critical"), "high", Severity::P2),
            (Some("Critical"), "low", Severity::P3),
            (Some("P0"), "low", Severity::P3),
            (None, "high", Severity::P2),
            (None, "low", Severity::P3),
            (None, "", Severity::P2),
        ];
        for (priority, urgency, want) in cases {
            assert_eq!(
                pagerduty_severity(priority, urgency),
                want,
                "{priority:?} {urgency}"
            );
        }
    }

    #[test]
    fn opsgenie_priorities() {
        let cases = [
            (Some("P1"), Severity::P1),
            (Some("P2"), Severity::P2),
            (Some("P3"), Severity::P3),
            (Some("P4"), Severity::P4),
            (Some("P5"), Severity::P4),
            (Some("urgent"), Severity::P3),
            (None, Severity::P3),
        ];
        for (priority, want) in cases {
            assert_eq!(opsgenie_severity(priority), want, "{priority:?}");
        }
    }

    #[test]
    fn alertmanager_severity_label() {
        let none = BTreeMap::new();
        let cases = [
            (Some("critical"), Severity::P1),
            (Some("CRITICAL"), Severity::P1),
            (Some("error"), Severity::P2),
            (Some("high"), Severity::P2),
            (Some("warning"), Severity::P3),
            (Some("info"), Severity::P4),
            (Some("P2"), Severity::P2),
            (Some("whatever"), Severity::P3),
            (None, Severity::P3),
        ];
        for (v, want) in cases {
            assert_eq!(alertmanager_severity(v, &none), want, "{v:?}");
        }
        let mine = BTreeMap::from([("warning".to_string(), Severity::P2)]);
        assert_eq!(alertmanager_severity(Some("warning"), &mine), Severity::P2);
        assert_eq!(alertmanager_severity(Some("critical"), &mine), Severity::P1);
    }

    #[test]
    fn statuses() {
        assert_eq!(pagerduty_status("triggered"), IncidentStatus::Open);
        assert_eq!(
            pagerduty_status("acknowledged"),
            IncidentStatus::Acknowledged
        );
        assert_eq!(pagerduty_status("resolved"), IncidentStatus::Resolved);
        assert_eq!(opsgenie_status("open", false), IncidentStatus::Open);
        assert_eq!(opsgenie_status("open", true), IncidentStatus::Acknowledged);
        assert_eq!(opsgenie_status("closed", true), IncidentStatus::Resolved);
        assert_eq!(opsgenie_status("closed", false), IncidentStatus::Resolved);
    }
}
