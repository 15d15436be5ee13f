use super::*;
use crate::domain::health::{FailureClass, HealthStatus, ProbeOutcome};
use crate::store::intents::{Intent, IntentStore, Proof};

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
        labels: Default::default(),
        annotations: Default::default(),
        silences: Vec::new(),
        snoozed_until: None,
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
        None,
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

/// A shift log that keeps what it is given.
#[derive(Default)]
struct Kept(Vec<JournalEntry>);

impl ShiftLog for Kept {
    fn record_kept(
        &mut self,
        entry_for: &dyn Fn(&Shift) -> JournalEntry,
    ) -> Result<(), (String, Option<std::path::PathBuf>)> {
        let shift = Shift {
            id: "20261201-0300-ana.lima".into(),
            operator: "ana.lima".into(),
            path: std::path::PathBuf::from("/nowhere"),
            started: Utc::now(),
        };
        self.0.push(entry_for(&shift));
        Ok(())
    }
}

fn crashed_after(ws: &Path, intent: Intent, action: impl FnOnce()) {
    // The intent is on disk and its process is gone (its lock with it).
    drop(IntentStore::new(ws).begin(&intent).unwrap());
    action();
}

/// A declaration by ana.lima not written yet, and its journal line.
fn declaration(title: &str) -> (crate::domain::IncidentRecord, JournalEntry) {
    let record = crate::store::IncidentStore::new_record(
        "ana.lima",
        title,
        "gw",
        crate::domain::Severity::P2,
        "prod",
        Utc::now(),
    );
    let line = JournalEntry::incident(
        record.started_at,
        "",
        "ana.lima",
        "declared",
        &crate::domain::Incident::from_record(&record),
        "",
    );
    (record, line)
}

#[test]
fn recovery_journals_a_landed_action_once_and_drops_one_that_never_ran() {
    use crate::store::IncidentStore;
    let ws = tempfile::tempdir().unwrap();
    let (record, line) = declaration("Gateway 5xx");
    let landed = Intent {
        entry: line.clone(),
        proof: Proof::Declared {
            incident_id: record.id.clone(),
        },
    };
    crashed_after(ws.path(), landed, || {
        IncidentStore::new(ws.path()).declare(&record).unwrap()
    });
    let never = Intent {
        entry: line.clone(),
        proof: Proof::Declared {
            incident_id: "inc_20261201_0300_000000".into(),
        },
    };
    crashed_after(ws.path(), never, || {});
    let mut log = Kept::default();
    let said = recover(ws.path(), "ana.lima", &mut log);
    assert_eq!(log.0.len(), 1, "{said:?}");
    assert_eq!(log.0[0].field("incident_id"), Some(record.id.as_str()));
    assert_eq!(log.0[0].shift, "20261201-0300-ana.lima");
    assert_eq!(
        log.0[0].fields.get("recovered"),
        Some(&serde_json::Value::Bool(true))
    );
    assert!(
        said[0].contains("a crash left out of the journal"),
        "{said:?}"
    );
    // Both intents are gone: a second start has nothing to do.
    assert!(recover(ws.path(), "ana.lima", &mut log).is_empty());
    assert_eq!(log.0.len(), 1);
}

#[test]
fn recovery_does_not_journal_twice_what_the_journal_already_has() {
    use crate::store::IncidentStore;
    use crate::store::journal::JournalStore;
    let ws = tempfile::tempdir().unwrap();
    let (record, line) = declaration("Disk full");
    let intent = Intent {
        entry: line.clone(),
        proof: Proof::Declared {
            incident_id: record.id.clone(),
        },
    };
    // The crash came after the journal line, before the intent was removed.
    crashed_after(ws.path(), intent, || {
        IncidentStore::new(ws.path()).declare(&record).unwrap();
        let mut open = OpenShift::new(ws.path(), "ana.lima");
        open.record(&|s| {
            let mut e = line.clone();
            e.shift = s.id.clone();
            e
        })
        .unwrap();
    });
    let mut log = Kept::default();
    recover(ws.path(), "ana.lima", &mut log);
    assert!(log.0.is_empty(), "{:?}", log.0);
    let journal = JournalStore::new(ws.path());
    let declared = journal
        .kind_since(
            crate::domain::journal::EntryKind::Incident,
            record.started_at - chrono::Duration::seconds(5),
        )
        .unwrap();
    assert_eq!(declared.len(), 1);
}

#[test]
fn recovery_finds_a_landed_change_and_a_landed_decision_by_time_and_operator() {
    use crate::domain::approval::{
        ApprovalRecord, ApprovalState, ChangePlan, Decision, DecisionContext, Risk, Target,
        Transition,
    };
    use crate::domain::{IncidentChange, IncidentEvent, Severity};
    use crate::store::IncidentStore;
    use crate::store::approvals::ApprovalStore;
    let ws = tempfile::tempdir().unwrap();
    // A change that landed: its event is on file, its line is not.
    let mut store = IncidentStore::new(ws.path());
    let record =
        IncidentStore::new_record("bo", "Disk full", "db", Severity::P2, "prod", Utc::now());
    store.declare(&record).unwrap();
    let (mut book, _) = store.load().unwrap();
    let at = Utc::now();
    let event = IncidentEvent {
        incident_id: record.id.clone(),
        at,
        by: "ana.lima".into(),
        change: IncidentChange::Acknowledged {
            message: String::new(),
        },
    };
    let inc = crate::domain::Incident::from_record(&record);
    crashed_after(
        ws.path(),
        Intent {
            entry: JournalEntry::incident(at, "", "ana.lima", "acknowledged", &inc, ""),
            proof: Proof::Event {
                incident_id: record.id.clone(),
                at,
                by: "ana.lima".into(),
            },
        },
        || store.commit(&mut book, &event).1.unwrap(),
    );
    // A decision that landed.
    let t0 = Utc::now() - chrono::Duration::hours(1);
    let pending = ApprovalRecord {
        id: "approval-0700".into(),
        title: "Rotate the HEC token".into(),
        state: ApprovalState::Pending,
        risk: Risk::Low,
        requested_by: "rafael.ops".into(),
        created_at: t0,
        target: Target {
            kind: "service".into(),
            name: "splunk".into(),
        },
        change: ChangePlan {
            summary: "rotate".into(),
            plan: String::new(),
        },
        evidence: vec![],
        history: vec![Transition {
            from: None,
            to: ApprovalState::Pending,
            by: "rafael.ops".into(),
            at: t0,
            reason: "ready".into(),
        }],
    };
    let approvals = ApprovalStore::new(ws.path());
    approvals.stage(&pending).unwrap();
    let decided_at = Utc::now();
    let decided = pending.decided(Decision::Approve, "ana.lima", decided_at, "ok");
    crashed_after(
        ws.path(),
        Intent {
            entry: JournalEntry::approval(decided_at, "", "ana.lima", &decided, "ok"),
            proof: Proof::Decided {
                approval_id: "approval-0700".into(),
                at: decided_at,
                by: "ana.lima".into(),
            },
        },
        || {
            let ctx = DecisionContext {
                approver: true,
                operator: "ana.lima".into(),
                ..DecisionContext::default()
            };
            approvals
                .decide(
                    "approval-0700",
                    Decision::Approve,
                    "ana.lima",
                    "ok",
                    &ctx,
                    decided_at,
                )
                .unwrap();
        },
    );
    let mut log = Kept::default();
    let said = recover(ws.path(), "ana.lima", &mut log);
    assert_eq!(log.0.len(), 2, "{said:?}");
    assert!(
        log.0
            .iter()
            .any(|e| e.field("action") == Some("acknowledged"))
    );
    assert!(log.0.iter().any(|e| e.field("id") == Some("approval-0700")));
}

#[test]
fn a_table_left_out_for_a_typo_still_has_its_credential_kept_out() {
    let (c, problems) = crate::config::parse(
        Path::new("shiftdeck.toml"),
        "[journal]\nredact_env = [\"ACME_NETBOX\"]\nredakt = true\n\n[[integrations]]\nname = \"dd\"\nkind = \"datadog\"\napi_key_env = \"ACME_DD_KEY\"\nintervall = 30\n",
    )
    .unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(c.integrations.is_empty(), "the broken table is not polled");
    let names = credential_vars(&c);
    for n in ["ACME_NETBOX", "ACME_DD_KEY"] {
        assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
    }
}

#[test]
fn a_readonly_session_queues_nothing_for_a_vendor() {
    use crate::domain::outbox::{Queued, RemoteAction};
    use crate::domain::remote::Vendor;
    let ws = tempfile::tempdir().unwrap();
    let c = Config::defaults();
    let redactor = redactor(&c);
    let session = Session::new(ws.path(), &c, true, &redactor);
    let q = Queued {
        id: "ro0000000001".into(),
        at: Utc::now(),
        source: "am-export".into(),
        vendor: Vendor::Alertmanager,
        incident: "AM-1".into(),
        remote_id: "f1".into(),
        title: String::new(),
        action: RemoteAction::Silence,
        message: String::new(),
        by: "ana.lima".into(),
        until: Some(Utc::now() + chrono::Duration::hours(1)),
        target: String::new(),
        labels: Default::default(),
    };
    let mut log = crate::ops::OpenShift::new(ws.path(), "ana.lima");
    let e = session.queue_remote(&mut log, q).unwrap_err();
    assert!(e.to_string().contains("read-only"), "{e}");
    assert!(
        !ws.path().join("incidents/outbox.jsonl").exists(),
        "nothing on disk"
    );
}
