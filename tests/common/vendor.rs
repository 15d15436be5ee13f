//! Scripted PagerDuty and Opsgenie answers and a client pointed at them,
//! for the inbox tests.

use super::http::{Answer, Request};
use shiftdeck::domain::outbox::{Queued, RemoteAction};
use shiftdeck::domain::remote::Vendor;
use shiftdeck::integrations::inbox::{SourceClient, SourceConfig};
use shiftdeck::integrations::probes::ProbeContext;
use shiftdeck::integrations::setup::Mode;
use std::time::Duration;

pub fn client(toml_text: &str, base: &str) -> SourceClient {
    let cfg: SourceConfig = toml::from_str(&format!(
        "{toml_text}\nbase_url = \"{base}\"\ntimeout = 3\n"
    ))
    .unwrap();
    let http = shiftdeck::integrations::http_client(Duration::from_secs(5)).unwrap();
    // Mock mode: a credential stand-in when the variable is unset.
    let ctx = ProbeContext {
        mode: Mode::Mock,
        mock_base: String::new(),
    };
    SourceClient::new(cfg, http, &ctx, "ana.lima")
}

pub const PD: &str = "name = \"pd-oncall\"\nkind = \"pagerduty\"\nmode = \"mock\"\ntoken_env = \"SHIFTDECK_TEST_UNSET\"\nfrom = \"ana@credguard.example\"";
pub const OG: &str = "name = \"og-platform\"\nkind = \"opsgenie\"\nmode = \"mock\"\napi_key_env = \"SHIFTDECK_TEST_UNSET\"";

pub fn pd_incident(
    id: &str,
    number: u32,
    status: &str,
    priority: Option<&str>,
    urgency: &str,
) -> String {
    let priority = match priority {
        Some(p) => format!(
            r#"{{"id":"PPRIO{p}","type":"priority_reference","summary":"{p}","self":null}}"#
        ),
        None => "null".into(),
    };
    let acks = if status == "triggered" {
        "[]".to_string()
    } else {
        r#"[{"at":"2026-11-23T02:45:00Z","acknowledger":{"id":"PU1","type":"user_reference","summary":"Bruno Costa"}}]"#.to_string()
    };
    format!(
        r#"{{"id":"{id}","type":"incident","incident_number":{number},"title":"credguard-api: 5xx above 5%","summary":"credguard-api: 5xx above 5%","status":"{status}","urgency":"{urgency}","priority":{priority},"created_at":"2026-11-23T02:40:00Z","updated_at":"2026-11-23T02:52:00Z","last_status_change_at":"2026-11-23T02:50:00Z","last_status_change_by":{{"id":"PU3","type":"user_reference","summary":"Carla Dias"}},"service":{{"id":"PSVC1","type":"service_reference","summary":"credguard-api","html_url":"https://credguard.pagerduty.com/services/PSVC1"}},"assignments":[{{"at":"2026-11-23T02:40:00Z","assignee":{{"id":"PU1","type":"user_reference","summary":"Bruno Costa"}}}}],"acknowledgements":{acks},"escalation_policy":{{"id":"PEP1","type":"escalation_policy_reference","summary":"Platform"}},"teams":[],"html_url":"https://credguard.pagerduty.com/incidents/{id}","incident_key":"k-{number}","alert_counts":{{"all":1,"triggered":0,"resolved":0}},"pending_actions":[]}}"#
    )
}

pub fn page(incidents: &[String], offset: usize, more: bool) -> String {
    format!(
        r#"{{"incidents":[{}],"limit":100,"offset":{offset},"more":{more},"total":null}}"#,
        incidents.join(",")
    )
}

pub fn ok(body: String) -> Answer {
    (200, Vec::new(), body)
}

pub fn queued(id: &str, vendor: Vendor, action: RemoteAction, message: &str) -> Queued {
    let (source, incident, remote_id) = match vendor {
        Vendor::Pagerduty => ("pd-oncall", "PD-4211", "Q0RIJJZL24RC6W"),
        Vendor::Opsgenie => (
            "og-platform",
            "OG-1042",
            "70413a06-38d6-4c85-92b8-5ebc900d42e2",
        ),
        Vendor::Jsm => ("jsm-ops", "JSM-77", "3f9d0c2e-1b7a-4a55-9a61-0c1d2e3f4a5b"),
        Vendor::Alertmanager => ("am-export", "AM-3f2a91c0", "3f2a91c0d4e5f607"),
    };
    Queued {
        id: id.into(),
        at: chrono::Utc::now(),
        source: source.into(),
        vendor,
        incident: incident.into(),
        remote_id: remote_id.into(),
        title: "credguard-api: 5xx above 5%".into(),
        action,
        message: message.into(),
        by: "ana.lima".into(),
        until: None,
        target: String::new(),
        labels: Default::default(),
    }
}

pub fn body_json(r: &Request) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {:?}", r.body))
}

pub fn error_of(status: u16, headers: Vec<(&'static str, String)>, body: &str) -> Answer {
    (status, headers, body.to_string())
}

/// `GET /incidents/{id}`'s answer for PD-4211 in `status`.
pub fn pd_4211(status: &str) -> String {
    format!(
        r#"{{"incident":{}}}"#,
        pd_incident("Q0RIJJZL24RC6W", 4211, status, Some("P2"), "high")
    )
}

/// Queue an acknowledgement of PD-4211.
pub fn queue_ack(store: &shiftdeck::store::remote::OutboxStore) {
    store
        .queue(&queued(
            "a1111111aaaa",
            Vendor::Pagerduty,
            RemoteAction::Acknowledge,
            "",
        ))
        .unwrap();
}
