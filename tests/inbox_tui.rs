//! The inbox in the full screen, through a pseudo-terminal: a PagerDuty
//! incident acknowledged while PagerDuty is down is queued and shown
//! waiting; after a restart, with PagerDuty back, it is sent once.

mod common;

use common::http::{free_port, serve_on};
use common::{BIN, Session};
use std::path::Path;

fn config(ws: &Path, port: u16) {
    std::fs::create_dir_all(ws).unwrap();
    std::fs::write(
        ws.join("shiftdeck.toml"),
        format!(
            "operator = \"ana.lima\"\n[[incident_sources]]\nname = \"pd-oncall\"\nkind = \"pagerduty\"\nbase_url = \"http://127.0.0.1:{port}/pagerduty\"\nmode = \"mock\"\nfrom = \"ana@credguard.example\"\ninterval = 5\ntimeout = 2\n"
        ),
    )
    .unwrap();
}

#[test]
fn an_ack_taken_offline_survives_a_restart_and_is_sent_once() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let cfg = dir.path().join("cfg");
    let port = free_port();
    config(&ws, port);

    // PagerDuty up once: the list is read and kept on disk.
    let (rt, m) = serve_on(port);
    let target = m
        .pagerduty_incidents()
        .into_iter()
        .find(|i| i["incident_number"] == 4218)
        .expect("PD-4218 in the stand-in's seed");
    let remote_id = target["id"].as_str().unwrap().to_string();
    let out = std::process::Command::new(BIN)
        .args(["--workspace", ws.to_str().unwrap(), "incidents", "list"])
        .env("SHIFTDECK_CONFIG_DIR", &cfg)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("PD-4218"));
    drop(rt);

    // PagerDuty down: the saved list shows, the source is named offline,
    // and the acknowledgement is queued on disk.
    let mut s = Session::start(&["--workspace", ws.to_str().unwrap()], &cfg);
    s.wait_for("PD-4218");
    s.wait_for("pd-oncall offline");
    s.keys("/");
    s.keys("4218");
    s.keys("\r");
    s.keys("a");
    s.wait_for("Acknowledge PD-4218 at PagerDuty?");
    s.keys("y");
    s.wait_for("1 queued");
    s.keys("\r");
    s.wait_for("ack queued");
    s.keys("q");
    assert!(s.wait_exit().success());
    let outbox = std::fs::read_to_string(ws.join("incidents/outbox.jsonl")).unwrap();
    assert!(outbox.contains("\"op\":\"queued\""), "{outbox}");
    assert!(!outbox.contains("\"op\":\"done\""), "{outbox}");

    // PagerDuty back; a new process sends it, once.
    let (_rt, m) = serve_on(port);
    let mut s = Session::start(&["--workspace", ws.to_str().unwrap()], &cfg);
    s.wait_for("acknowledged PD-4218 at PagerDuty");
    s.keys("q");
    assert!(s.wait_exit().success());
    let puts = m
        .requests_detailed()
        .iter()
        .filter(|r| r.method == "PUT" && r.path == format!("/pagerduty/incidents/{remote_id}"))
        .count();
    assert_eq!(puts, 1);
    let outbox = std::fs::read_to_string(ws.join("incidents/outbox.jsonl")).unwrap();
    assert!(outbox.contains("\"outcome\":\"sent\""), "{outbox}");
}
