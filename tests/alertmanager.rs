//! The Alertmanager incident source against the real Prometheus
//! Alertmanager (the distribution's package, started per test on
//! 127.0.0.1): alerts listed with the source's matchers and severity
//! mapping, a silence made from the CLI matching the alert's labels
//! exactly, expired again, refusals that name Alertmanager, and exactly
//! once across a crash.

mod common;

use common::alertmanager::Alertmanager;
use common::run;
use serde_json::{Value, json};
use shiftdeck::domain::outbox::{OutboxLine, Outcome, RemoteAction};
use shiftdeck::domain::remote::Vendor;
use shiftdeck::store::remote::OutboxStore;
use std::path::Path;

fn workspace(ws: &Path, am: &Alertmanager) {
    std::fs::write(
        ws.join("shiftdeck.toml"),
        format!(
            "operator = \"ana.lima\"\n[[incident_sources]]\nname = \"am-export\"\nkind = \"alertmanager\"\nurl = \"{}\"\nfilter = ['team=\"export\"']\ntimeout = 3\n",
            am.url
        ),
    )
    .unwrap();
}

fn fire(am: &Alertmanager) {
    am.post_alerts(json!([
        {"labels": {"alertname": "ExportCenterRunFailureSpike", "severity": "critical", "service": "export-center", "team": "export"},
         "annotations": {"summary": "Export run failures above 5% for 10 minutes", "runbook_url": "https://runbooks.example/export#runs"},
         "endsAt": (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339()},
        {"labels": {"alertname": "ExportCenterWorkerLag", "severity": "warning", "service": "export-center", "team": "export"},
         "annotations": {"summary": "Export workers 18 minutes behind"},
         "endsAt": (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339()},
        {"labels": {"alertname": "DiskFull", "severity": "critical", "team": "storage"},
         "endsAt": (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339()},
    ]));
}

fn list(ws: &Path) -> Vec<Value> {
    let (code, out, err) =
        run(common::cli(ws).args(["incidents", "list", "--source", "alertmanager", "--json"]));
    assert_eq!(code, 0, "{err}");
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn id_of(rows: &[Value], title_part: &str) -> String {
    rows.iter()
        .find(|r| r["title"].as_str().unwrap_or_default().contains(title_part))
        .unwrap_or_else(|| panic!("no {title_part} in {rows:?}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn alerts_are_listed_silenced_and_expired_at_the_real_alertmanager() {
    let Some(am) =
        Alertmanager::start("alerts_are_listed_silenced_and_expired_at_the_real_alertmanager")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    workspace(ws, &am);
    fire(&am);

    // Only the export team's alerts; severity from the label.
    let rows = list(ws);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let spike = rows.iter().find(|r| r["severity"] == "P1").unwrap();
    assert_eq!(
        spike["title"],
        "Export run failures above 5% for 10 minutes"
    );
    assert_eq!(spike["service"], "export-center");
    assert_eq!(spike["status"], "open");
    assert!(spike["id"].as_str().unwrap().starts_with("AM-"));
    assert!(rows.iter().any(|r| r["severity"] == "P3"));
    let id = id_of(&rows, "Export run failures");

    // Alertmanager has no acknowledgement: refused, naming it, nothing sent.
    let (code, _, err) = run(common::cli(ws).args(["incidents", "ack", &id]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("Alertmanager has no acknowledgement"), "{err}");
    let (code, _, err) = run(common::cli(ws).args(["incidents", "resolve", &id]));
    assert_eq!(code, 4);
    assert!(err.contains("silence it until then"), "{err}");

    // A silence from the CLI: the alert's exact labels, who and why.
    let (code, out, err) = run(common::cli(ws).args([
        "incidents",
        "silence",
        &id,
        "--for",
        "2h",
        "--comment",
        "rolling back the export flag",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("silenced {id} at Alertmanager")),
        "{out}"
    );
    let silences = am.json("/api/v2/silences");
    let s = &silences.as_array().unwrap()[0];
    assert_eq!(s["status"]["state"], "active");
    assert_eq!(s["createdBy"], "ana.lima");
    let comment = s["comment"].as_str().unwrap();
    assert!(
        comment.starts_with("rolling back the export flag — ana.lima via shiftdeck (ref "),
        "{comment}"
    );
    let matchers: Vec<(String, String)> = s["matchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert_eq!(m["isRegex"], false);
            (
                m["name"].as_str().unwrap().into(),
                m["value"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(matchers.len(), 4, "every label: {matchers:?}");
    assert!(matchers.contains(&("alertname".into(), "ExportCenterRunFailureSpike".into())));
    let alerts = am.json("/api/v2/alerts?filter=alertname%3D%22ExportCenterRunFailureSpike%22");
    assert_eq!(alerts[0]["status"]["state"], "suppressed");
    let lag = am.json("/api/v2/alerts?filter=alertname%3D%22ExportCenterWorkerLag%22");
    assert_eq!(
        lag[0]["status"]["state"], "active",
        "the other alert is not silenced"
    );

    // Shown held by the silence: acknowledged, who, until when.
    let (code, out, _) = run(common::cli(ws).args(["incidents", "show", &id]));
    assert_eq!(code, 0);
    assert!(out.contains("[acknowledged]"), "{out}");
    assert!(out.contains("silenced until"), "{out}");
    assert!(out.contains("by ana.lima"), "{out}");
    assert!(
        out.contains("runbook  https://runbooks.example/export#runs"),
        "{out}"
    );
    assert!(
        out.contains("labels   alertname=ExportCenterRunFailureSpike"),
        "{out}"
    );

    // Expired again: the alert notifies again.
    let (code, out, err) = run(common::cli(ws).args(["incidents", "expire", &id]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("expired the silence on"), "{out}");
    let silences = am.json("/api/v2/silences");
    assert_eq!(silences[0]["status"]["state"], "expired");
    let alerts = am.json("/api/v2/alerts?filter=alertname%3D%22ExportCenterRunFailureSpike%22");
    assert_eq!(alerts[0]["status"]["state"], "active");

    // The journal has each of them.
    let (_, out, _) = run(common::cli(ws).args(["journal", "show"]));
    assert!(out.contains("silenced at Alertmanager"), "{out}");
    assert!(out.contains("expire silence"), "{out}");
}

#[test]
fn a_silence_is_made_once_across_a_crash_and_not_for_an_alert_that_cleared() {
    let Some(am) = Alertmanager::start(
        "a_silence_is_made_once_across_a_crash_and_not_for_an_alert_that_cleared",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    workspace(ws, &am);
    fire(&am);
    let rows = list(ws);
    let spike = id_of(&rows, "Export run failures");
    let lag = id_of(&rows, "workers 18 minutes");
    let fingerprint = |id: &str| -> String {
        let (_, out, _) = run(common::cli(ws).args(["incidents", "show", id, "--json"]));
        let v: Value = serde_json::from_str(&out).unwrap();
        v["remote"]["remote_id"].as_str().unwrap().to_string()
    };
    let labels = |name: &str, sev: &str| {
        std::collections::BTreeMap::from([
            ("alertname".to_string(), name.to_string()),
            ("severity".to_string(), sev.to_string()),
            ("service".to_string(), "export-center".to_string()),
            ("team".to_string(), "export".to_string()),
        ])
    };

    // A silence queued and attempted, and the process gone before it
    // recorded the answer: Alertmanager has the silence.
    let store = OutboxStore::new(ws);
    let mut q = common::vendor::queued(
        "crash0001aa",
        Vendor::Alertmanager,
        RemoteAction::Silence,
        "crashed mid-send",
    );
    q.source = "am-export".into();
    q.incident = spike.clone();
    q.remote_id = fingerprint(&spike);
    q.until = Some(chrono::Utc::now() + chrono::Duration::hours(1));
    q.labels = labels("ExportCenterRunFailureSpike", "critical");
    store.queue(&q).unwrap();
    store
        .record(&OutboxLine::Attempt {
            id: q.id.clone(),
            at: chrono::Utc::now(),
        })
        .unwrap();
    let matchers: Vec<Value> = q
        .labels
        .iter()
        .map(|(k, v)| json!({"name": k, "value": v, "isRegex": false}))
        .collect();
    am.post_silence(
        json!({"matchers": matchers, "startsAt": chrono::Utc::now().to_rfc3339(),
        "endsAt": q.until.unwrap().to_rfc3339(), "createdBy": "ana.lima", "comment": q.comment()}),
    );

    // A silence for an alert whose condition cleared before it was sent.
    let mut gone = common::vendor::queued(
        "cleared01bb",
        Vendor::Alertmanager,
        RemoteAction::Silence,
        "",
    );
    gone.source = "am-export".into();
    gone.incident = lag.clone();
    gone.remote_id = fingerprint(&lag);
    gone.until = Some(chrono::Utc::now() + chrono::Duration::hours(1));
    gone.labels = labels("ExportCenterWorkerLag", "warning");
    store.queue(&gone).unwrap();
    am.post_alerts(json!([{"labels": gone.labels, "endsAt": (chrono::Utc::now() - chrono::Duration::seconds(1)).to_rfc3339()}]));

    let (code, out, err) = run(common::cli(ws).args(["incidents", "sync"]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        am.json("/api/v2/silences").as_array().unwrap().len(),
        1,
        "not made twice"
    );
    let (outbox, _) = store.read().unwrap();
    let outcome = |id: &str| {
        outbox
            .finished
            .iter()
            .find(|f| f.queued.id == id)
            .map(|f| (f.outcome, f.detail.clone()))
    };
    let (o, _) = outcome("crash0001aa").unwrap();
    assert_eq!(o, Outcome::AlreadyDone);
    let (o, detail) = outcome("cleared01bb").unwrap();
    assert_eq!(o, Outcome::Dropped);
    assert!(detail.contains("has cleared at Alertmanager"), "{detail}");
}
