//! The approval queue through the real binary: roles, the P1 stop
//! condition, read-only, two approvers at once, malformed records.

mod common;

use common::run;

use chrono::{Duration, Utc};
use common::BIN;
use shiftdeck::domain::approval::{ApprovalRecord, Risk};
use shiftdeck::store::approvals::ApprovalStore;
use std::path::Path;
use std::process::Command;

fn cmd(ws: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--workspace").arg(ws);
    c.env("SHIFTDECK_CONFIG_DIR", ws.join("no-config"));
    c.env_remove("SHIFTDECK_WORKSPACE");
    c
}

fn pending(id: &str, risk: Risk, days_old: i64) -> ApprovalRecord {
    let mut r = common::records::pending_approval(
        id,
        &format!("Change {id}"),
        "rafael.ops",
        risk,
        Utc::now() - Duration::days(days_old),
    );
    r.evidence = vec!["reports/hec-rotation-dryrun.json".into()];
    r
}

fn workspace(role: &str, records: &[ApprovalRecord]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("shiftdeck.toml"),
        format!("operator = \"marina\"\nrole = \"{role}\"\n"),
    )
    .unwrap();
    let store = ApprovalStore::new(dir.path());
    for r in records {
        store.stage(r).unwrap();
    }
    dir
}

#[test]
fn the_queue_lists_open_records_by_risk_and_marks_overdue() {
    let ws = workspace(
        "approver",
        &[
            pending("approval-0001", Risk::Low, 1),
            pending("approval-0002", Risk::Critical, 0),
            pending("approval-0003", Risk::High, 9),
        ],
    );
    let (code, out, _) = run(cmd(ws.path()).args(["approvals", "list"]));
    assert_eq!(code, 0);
    let ids: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(ids, ["approval-0002", "approval-0003", "approval-0001"]);
    assert!(
        out.lines()
            .find(|l| l.contains("approval-0003"))
            .unwrap()
            .contains("OVERDUE")
    );
    let (code, out, _) =
        run(cmd(ws.path()).args(["approvals", "list", "--state", "approved", "--json"]));
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&out)
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        run(cmd(ws.path()).args(["approvals", "list", "--state", "maybe"])).0,
        2
    );
    let (code, out, _) = run(cmd(ws.path()).args(["approvals", "show", "0003"]));
    assert_eq!(code, 0);
    assert!(out.contains("proposed → pending") && out.contains("rotate the HEC token"));
    assert_eq!(
        run(cmd(ws.path()).args(["approvals", "show", "approval-9999"])).0,
        17
    );
}

#[test]
fn roles_readonly_and_reasons_are_enforced() {
    let ws = workspace("operator", &[pending("approval-0010", Risk::High, 1)]);
    let (code, _, err) =
        run(cmd(ws.path()).args(["approvals", "approve", "approval-0010", "--reason", "ok"]));
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("only an approver may approve or reject"),
        "{err}"
    );
    let (code, _, err) = run(cmd(ws.path()).args([
        "--readonly",
        "approvals",
        "reject",
        "approval-0010",
        "--reason",
        "no",
    ]));
    assert_eq!(code, 5, "{err}");
    let ws = workspace("approver", &[pending("approval-0011", Risk::High, 1)]);
    let (code, _, err) =
        run(cmd(ws.path()).args(["approvals", "approve", "approval-0011", "--reason", "  "]));
    assert_eq!(code, 4);
    assert!(err.contains("a reason is required"));
    assert!(
        ws.path()
            .join("approvals/pending/approval-0011.json")
            .is_file(),
        "nothing moved"
    );
}

#[test]
fn an_open_p1_pauses_approving_but_rejecting_goes_on_and_is_journaled() {
    let ws = workspace(
        "approver",
        &[
            pending("approval-0020", Risk::Critical, 1),
            pending("approval-0021", Risk::Low, 1),
        ],
    );
    let (code, id, _) = run(cmd(ws.path()).args([
        "incidents",
        "new",
        "--title",
        "Gateway 5xx rate >5%",
        "--service",
        "gateway",
        "--severity",
        "P1",
    ]));
    assert_eq!(code, 0);
    let (code, _, err) = run(cmd(ws.path()).args([
        "approvals",
        "approve",
        "approval-0020",
        "--reason",
        "window open",
    ]));
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains(&format!(
            "approvals are paused while P1 {} is open (Gateway 5xx rate >5%)",
            id.trim()
        )),
        "{err}"
    );
    let (code, out, err) = run(cmd(ws.path()).args([
        "approvals",
        "reject",
        "approval-0021",
        "--reason",
        "not during a P1",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("approval-0021 is rejected"));
    assert!(
        ws.path()
            .join("approvals/rejected/approval-0021.json")
            .is_file()
    );
    assert!(
        !ws.path()
            .join("approvals/pending/approval-0021.json")
            .exists()
    );
    let journal = shiftdeck::store::journal::JournalStore::new(ws.path());
    let (_, path) = journal.shift_files().unwrap().pop().unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains("\"kind\":\"approval\"") && text.contains("not during a P1"));
    // Once resolved, approving goes through.
    assert_eq!(
        run(cmd(ws.path()).args(["incidents", "resolve", id.trim()])).0,
        0
    );
    assert_eq!(
        run(cmd(ws.path()).args([
            "approvals",
            "approve",
            "approval-0020",
            "--reason",
            "P1 over"
        ]))
        .0,
        0
    );
}

#[test]
fn two_approvers_at_once_one_decision() {
    for round in 0..5 {
        let ws = workspace("approver", &[pending("approval-0030", Risk::High, 1)]);
        let piped = |c: &mut Command| {
            c.stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let a = piped(cmd(ws.path()).args([
            "approvals",
            "approve",
            "approval-0030",
            "--reason",
            "first",
        ]));
        let b = piped(cmd(ws.path()).args([
            "approvals",
            "reject",
            "approval-0030",
            "--reason",
            "second",
        ]));
        let ra = a.wait_with_output().unwrap();
        let rb = b.wait_with_output().unwrap();
        let wins = [ra.status.success(), rb.status.success()]
            .iter()
            .filter(|w| **w)
            .count();
        assert_eq!(wins, 1, "round {round}: exactly one decision");
        let loser = if ra.status.success() { &rb } else { &ra };
        let loser_err = String::from_utf8_lossy(&loser.stderr).into_owned();
        // Refused by the record's state (4), never "malformed record … No
        // such file" (1) from reading a file the winner was moving.
        assert_eq!(loser.status.code(), Some(4), "round {round}: {loser_err}");
        assert!(
            loser_err.contains("already") && loser_err.contains("by marina"),
            "round {round}: {loser_err}"
        );
        let loaded = ApprovalStore::new(ws.path()).load().unwrap();
        assert_eq!(loaded.records.len(), 1, "one record, one file");
        assert_eq!(loaded.records[0].history.len(), 3);
    }
}

#[test]
fn a_malformed_record_is_listed_with_its_path_and_left_alone() {
    let ws = workspace("approver", &[pending("approval-0040", Risk::Medium, 1)]);
    let bad = ws.path().join("approvals/pending/approval-0041.json");
    std::fs::write(&bad, "{\"id\": \"approval-0041\", \"title\": 7}").unwrap();
    let before = std::fs::read(&bad).unwrap();
    let (code, out, err) = run(cmd(ws.path()).args(["approvals", "list"]));
    assert_eq!(code, 0);
    assert!(out.contains("approval-0040"));
    assert!(
        err.contains(&format!("{}: not an approval record", bad.display())),
        "{err}"
    );
    let (code, _, err) =
        run(cmd(ws.path()).args(["approvals", "approve", "approval-0041", "--reason", "x"]));
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        std::fs::read(&bad).unwrap(),
        before,
        "never moved, changed or deleted"
    );
}
