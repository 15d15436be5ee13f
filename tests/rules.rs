//! One home for every rule, seen through the real binary: the P1 pause over
//! every incident source, escalate only raises, four eyes, one redactor
//! built from the whole config, the output edge (controls escaped, a closed
//! pipe ends quietly).

mod common;

use chrono::{Duration, Utc};
use common::{cli, run};
use shiftdeck::domain::approval::{ApprovalRecord, Risk};
use shiftdeck::domain::remote::{RemoteIncident, Vendor};
use shiftdeck::domain::{IncidentStatus, Severity};
use shiftdeck::store::approvals::ApprovalStore;
use shiftdeck::store::remote::{OutboxStore, Snapshot};
use std::io::Read;
use std::path::Path;
use std::process::Stdio;

const PD_SOURCE: &str = "[[incident_sources]]\nname = \"pd-oncall\"\nkind = \"pagerduty\"\ntoken_env = \"RULES_TEST_PD_TOKEN\"\nfrom = \"ana@example.com\"\n";

fn pending(id: &str, requested_by: &str) -> ApprovalRecord {
    common::records::pending_approval(
        id,
        &format!("Change {id}"),
        requested_by,
        Risk::High,
        Utc::now() - Duration::hours(3),
    )
}

fn workspace(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shiftdeck.toml"), config).unwrap();
    dir
}

fn pd_incident(number: &str, severity: Severity, status: IncidentStatus) -> RemoteIncident {
    let at = Utc::now() - Duration::minutes(20);
    RemoteIncident {
        source: "pd-oncall".into(),
        vendor: Vendor::Pagerduty,
        remote_id: format!("Q{number}"),
        number: number.into(),
        id: format!("PD-{number}"),
        title: "Checkout down in eu-west".into(),
        service: "checkout".into(),
        severity,
        vendor_priority: "P1".into(),
        status,
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
    }
}

fn last_list(ws: &Path, incidents: Vec<RemoteIncident>) {
    OutboxStore::new(ws)
        .save_snapshot(
            "pd-oncall",
            &Snapshot {
                fetched_at: Utc::now(),
                incidents,
            },
        )
        .unwrap();
}

#[test]
fn a_pagerduty_p1_pauses_approving_from_the_cli_too() {
    let ws = workspace(&format!(
        "operator = \"marina\"\nrole = \"approver\"\n{PD_SOURCE}"
    ));
    ApprovalStore::new(ws.path())
        .stage(&pending("approval-0200", "rafael.ops"))
        .unwrap();
    last_list(
        ws.path(),
        vec![pd_incident("4211", Severity::P1, IncidentStatus::Open)],
    );
    let approve = ["approvals", "approve", "approval-0200", "--reason", "ok"];
    let (code, _, err) = run(cli(ws.path()).args(approve));
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("paused while P1 PD-4211 is open (Checkout down in eu-west)"),
        "{err}"
    );
    // Rejecting stays possible; and once PagerDuty's list has no open P1, approving works.
    last_list(
        ws.path(),
        vec![pd_incident("4211", Severity::P1, IncidentStatus::Resolved)],
    );
    let (code, out, err) = run(cli(ws.path()).args(approve));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("approval-0200 is approved"), "{out}");
}

#[test]
fn four_eyes_nobody_approves_their_own_request() {
    let ws = workspace("operator = \"rafael.ops\"\nrole = \"approver\"\n");
    ApprovalStore::new(ws.path())
        .stage(&pending("approval-0300", "rafael.ops"))
        .unwrap();
    let (code, _, err) =
        run(cli(ws.path()).args(["approvals", "approve", "approval-0300", "--reason", "lgtm"]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("four eyes"), "{err}");
    let (code, out, err) = run(cli(ws.path()).args([
        "approvals",
        "reject",
        "approval-0300",
        "--reason",
        "withdrawn",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("is rejected"), "{out}");
}

fn declare(ws: &Path, severity: &str) -> String {
    let (code, out, err) = run(cli(ws).args([
        "incidents",
        "new",
        "--title",
        "Gateway 5xx rate >5%",
        "--service",
        "gateway",
        "--severity",
        severity,
    ]));
    assert_eq!(code, 0, "{err}");
    out.trim().to_string()
}

#[test]
fn escalating_never_lowers_a_severity() {
    let ws = workspace("operator = \"ana.lima\"\n");
    let p1 = declare(ws.path(), "P1");
    let (code, _, err) = run(cli(ws.path()).args(["incidents", "escalate", &p1, "--to", "P4"]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("already P1"), "{err}");
    let p2 = declare(ws.path(), "P2");
    for lower in ["P2", "P3", "P4"] {
        let (code, _, err) =
            run(cli(ws.path()).args(["incidents", "escalate", &p2, "--to", lower]));
        assert_eq!(code, 4, "{lower}: {err}");
        assert!(err.contains("only raises"), "{err}");
    }
    let (code, out, _) = run(cli(ws.path()).args(["incidents", "show", &p1, "--json"]));
    assert_eq!(code, 0);
    let shown: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown["severity"], "P1", "{out}");
    let events =
        std::fs::read_to_string(ws.path().join("incidents/events.jsonl")).unwrap_or_default();
    assert!(
        !events.contains("escalated"),
        "nothing was recorded: {events}"
    );
    let (code, _, err) = run(cli(ws.path()).args(["incidents", "escalate", &p2]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn every_credential_variable_the_config_names_is_redacted() {
    let secret = "pd-rest-7f3a9c2e41b8d6f0";
    let ws = workspace(&format!("operator = \"ana.lima\"\n{PD_SOURCE}"));
    let note = format!("tried the token {secret} by hand, still 401");
    let (code, _, err) = run(cli(ws.path())
        .env("RULES_TEST_PD_TOKEN", secret)
        .args(["journal", "add", &note]));
    assert_eq!(code, 0, "{err}");
    let journal = ws.path().join("journal");
    let mut written = String::new();
    for f in std::fs::read_dir(&journal).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "jsonl") {
            written.push_str(&std::fs::read_to_string(p).unwrap());
        }
    }
    assert!(!written.contains(secret), "{written}");
    assert!(
        written.contains("[redacted:RULES_TEST_PD_TOKEN]"),
        "{written}"
    );
}

#[test]
fn a_hostile_title_reaches_the_terminal_escaped_and_json_stays_exact() {
    let ws = workspace("operator = \"ana.lima\"\n");
    let title = "Disk full\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}[2J on db-1 \u{202e}1-bd\u{2069}";
    let (code, out, err) = run(cli(ws.path()).args([
        "incidents",
        "new",
        "--title",
        title,
        "--service",
        "db",
        "--severity",
        "P3",
    ]));
    assert_eq!(code, 0, "{err}");
    let id = out.trim().to_string();
    for args in [
        vec!["incidents", "list"],
        vec!["incidents", "show", id.as_str()],
        vec!["journal", "show"],
        vec!["journal", "search", "Disk"],
        vec!["handover", "--markdown"],
    ] {
        let (code, out, err) = run(cli(ws.path()).args(&args));
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'),
            "{args:?} let a control through: {out:?}"
        );
        assert!(out.contains("Disk full"), "{args:?}: {out}");
    }
    let (code, out, _) = run(cli(ws.path()).args(["incidents", "show", &id, "--json"]));
    assert_eq!(code, 0);
    assert!(
        !out.contains('\u{202e}') && !out.contains('\u{1b}'),
        "{out:?}"
    );
    let shown: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown["title"], title, "the data itself is unchanged");
}

#[test]
fn a_reader_that_goes_away_ends_the_listing_quietly() {
    let ws = workspace("operator = \"ana.lima\"\n");
    // More lines than a pipe holds, so the writer meets the closed end.
    let mut lines = String::new();
    for n in 0..3000 {
        lines.push_str(&format!(
            "{{\"id\":\"inc_20261201_0300_{n:06x}\",\"title\":\"incident {n}\",\"service\":\"gw\",\"severity\":\"P3\",\"env\":\"prod\",\"started_at\":\"2026-12-01T03:00:00Z\",\"created_by\":\"bo\"}}\n"
        ));
    }
    std::fs::create_dir_all(ws.path().join("incidents")).unwrap();
    std::fs::write(ws.path().join("incidents/incidents.jsonl"), lines).unwrap();
    // `| head -1`: read one line, then close the pipe.
    let mut child = cli(ws.path())
        .args(["incidents", "list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is dropped here: the rest of the output meets a closed pipe.
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(status.code(), Some(101), "{err}");
}
