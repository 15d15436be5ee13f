use super::*;
use crate::domain::health::{FailureClass, HealthStatus, ProbeOutcome};

fn config(text: &str) -> Config {
    crate::config::parse(Path::new("shiftdeck.toml"), text)
        .expect("a valid config")
        .0
}

#[test]
fn every_credential_variable_any_part_of_the_config_names_is_kept_out() {
    let c = config(
        r#"
[slack]
webhook_env = "TEAM_SLACK_HOOK"
[journal]
redact_env = ["NETBOX_RO_TOKEN"]

[[integrations]]
name = "dd"
kind = "datadog"
api_key_env = "ACME_DD_KEY"
app_key_env = "ACME_DD_APP"

[[integrations]]
name = "sentry"
kind = "sentry"
dsn_env = "ACME_SENTRY_DSN"
token_env = "ACME_SENTRY_TOKEN"

[[integrations]]
name = "pd-events"
kind = "pagerduty"
routing_key_env = "ACME_PD_ROUTING"

[[integrations]]
name = "slack"
kind = "slack"
webhook_env = "ACME_SLACK_HOOK"

[[integrations]]
name = "hec"
kind = "splunk"
token_env = "ACME_HEC_TOKEN"
url_env = "ACME_HEC_URL"

[[incident_sources]]
name = "pd"
kind = "pagerduty"
token_env = "ACME_PD_REST"
from = "a@example.com"

[[incident_sources]]
name = "og"
kind = "opsgenie"
api_key_env = "ACME_OG_KEY"
"#,
    );
    let names = credential_vars(&c);
    for n in [
        "TEAM_SLACK_HOOK",
        "NETBOX_RO_TOKEN",
        "ACME_DD_KEY",
        "ACME_DD_APP",
        "ACME_SENTRY_DSN",
        "ACME_SENTRY_TOKEN",
        "ACME_PD_ROUTING",
        "ACME_SLACK_HOOK",
        "ACME_HEC_TOKEN",
        "ACME_HEC_URL",
        "ACME_PD_REST",
        "ACME_OG_KEY",
        "DD_API_KEY",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
    }
    let mut sorted = names.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len(), "each name once");
}

#[test]
fn a_key_echoed_in_a_vendor_answer_never_reaches_the_health_pane() {
    let key = "9f8e7d6c5b4a39281716f5e4d3c2b1a0";
    let r = Redactor::new(vec![("ACME_DD_KEY".into(), key.into())]);
    let seen = ProbeOutcome::failed(
        HealthStatus::Down,
        FailureClass::Config,
        format!("403 invalid api key {key}"),
        format!("the proxy said: key={key} rejected"),
        Some(12),
    );
    let shown = health::redact_outcome(&r, seen);
    assert!(
        !shown.summary.contains(key) && !shown.hint.contains(key),
        "{shown:?}"
    );
    assert!(
        shown.summary.contains("[redacted:ACME_DD_KEY]"),
        "{shown:?}"
    );
}

#[test]
fn the_p1_pause_counts_the_last_list_of_every_source() {
    use crate::domain::remote::{RemoteIncident, Vendor};
    use crate::domain::{IncidentStatus, Severity};
    let ws = tempfile::tempdir().unwrap();
    let c = config(
        "[[incident_sources]]\nname = \"og\"\nkind = \"opsgenie\"\napi_key_env = \"X_OG\"\n",
    );
    let local = IncidentBook::state_only();
    assert_eq!(open_p1(ws.path(), &c, &local), None);
    let at = Utc::now();
    let alert = RemoteIncident {
        source: "og".into(),
        vendor: Vendor::Opsgenie,
        remote_id: "a1".into(),
        number: "1042".into(),
        id: "OG-1042".into(),
        title: "Export Center verify failure".into(),
        service: "export".into(),
        severity: Severity::P1,
        vendor_priority: "P1".into(),
        status: IncidentStatus::Acknowledged,
        created_at: at,
        updated_at: at,
        acknowledged: None,
        resolved: None,
        assignees: vec![],
        url: None,
    };
    OutboxStore::new(ws.path())
        .save_snapshot(
            "og",
            &crate::store::remote::Snapshot {
                fetched_at: at,
                incidents: vec![alert],
            },
        )
        .unwrap();
    assert_eq!(
        open_p1(ws.path(), &c, &local),
        Some(("OG-1042".into(), "Export Center verify failure".into()))
    );
    // A source no longer configured does not count.
    assert_eq!(open_p1(ws.path(), &Config::defaults(), &local), None);
}

#[test]
fn a_step_s_output_is_redacted_before_anyone_sees_it() {
    let ws = tempfile::tempdir().unwrap();
    let key = "hec-0f1e2d3c4b5a69788796a5b4";
    let r = Redactor::new(vec![("ACME_HEC_TOKEN".into(), key.into())]);
    let out = checklists::run_step(
        &format!("echo token is {key}; exit 3"),
        ws.path(),
        std::time::Duration::from_secs(10),
        &r,
    );
    assert_eq!(out.exit, Some(3));
    assert!(!out.output.contains(key), "{}", out.output);
    assert!(
        out.output.contains("[redacted:ACME_HEC_TOKEN]"),
        "{}",
        out.output
    );
}
