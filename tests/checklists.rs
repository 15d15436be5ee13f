//! Checklists through the real binary: gating, skips with reasons, commands
//! (exit codes, output kept and redacted), progress carried across shifts,
//! and a broken file that leaves the others working.

mod common;

use common::run;

use common::BIN;
use std::path::Path;
use std::process::Command;

fn cmd(ws: &Path, operator: &str) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--workspace").arg(ws);
    c.env("SHIFTDECK_CONFIG_DIR", ws.join("no-config"));
    c.env("USER", operator);
    c.env_remove("SHIFTDECK_WORKSPACE");
    c
}

const LIST: &str = r#"
name = "Wiring smoke"
cadence = "daily"
ordered = true

[[steps]]
id = "mocks"
title = "Mocks up"
command = "echo six PASS; echo token=abcdefghijklmnopqrstuvwxyz0123 >&2"

[[steps]]
id = "broken"
title = "A check that fails"
command = "echo 'HEC 403 code 1'; exit 3"

[[steps]]
id = "slow"
title = "A check that hangs"
command = "sleep 30"
timeout = 1

[[steps]]
id = "eyes"
title = "Look at the dashboard"
"#;

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("checklists")).unwrap();
    std::fs::write(dir.path().join("checklists/wiring.toml"), LIST).unwrap();
    std::fs::write(dir.path().join("shiftdeck.toml"), "timezone = \"UTC\"\n").unwrap();
    dir
}

fn journal_text(ws: &Path) -> String {
    let mut all = String::new();
    for e in std::fs::read_dir(ws.join("journal")).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "jsonl") {
            all.push_str(&std::fs::read_to_string(e.path()).unwrap());
        }
    }
    all
}

#[test]
fn steps_run_in_order_with_their_outcomes_kept() {
    let ws = workspace();
    let w = ws.path();
    let (code, _, err) = run(cmd(w, "ana").args(["checklists", "check", "wiring", "eyes"]));
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("ordered checklist: step 1 \"Mocks up\" comes before step 4"),
        "{err}"
    );

    let (code, out, err) = run(cmd(w, "ana").args(["checklists", "run", "wiring", "mocks"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("six PASS"));
    assert!(
        out.contains("token=[redacted:secret]") && !out.contains("abcdefghijklmnopqrstuvwxyz0123"),
        "{out}"
    );
    assert!(err.contains("passed (exit 0)"));

    let (code, _, err) = run(cmd(w, "ana").args(["checklists", "run", "wiring", "broken"]));
    assert_eq!(code, 8, "{err}");
    assert!(err.contains("failed with exit 3"));
    // A failed step still blocks the next one.
    assert_eq!(
        run(cmd(w, "ana").args(["checklists", "run", "wiring", "slow"])).0,
        4
    );
    let (code, _, err) =
        run(cmd(w, "ana").args(["checklists", "check", "wiring", "broken", "--skip"]));
    assert_eq!(code, 2, "a skip needs a reason: {err}");
    assert_eq!(
        run(cmd(w, "ana").args([
            "checklists",
            "check",
            "wiring",
            "broken",
            "--skip",
            "--reason",
            "HEC token re-enabled by InfoSec, rotation pending"
        ]))
        .0,
        0
    );

    let (code, _, err) = run(cmd(w, "ana").args(["checklists", "run", "wiring", "slow"]));
    assert_eq!(code, 8);
    assert!(err.contains("timed out after"), "{err}");

    let text = journal_text(w);
    assert!(
        !text.contains("abcdefghijklmnopqrstuvwxyz0123"),
        "no secret in the journal"
    );
    assert!(
        text.contains("\"exit_code\":3") && text.contains("HEC 403 code 1"),
        "the failure and its output are kept"
    );

    let (code, out, _) = run(cmd(w, "ana").args(["checklists", "show", "wiring"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("done by ana") && out.contains("skipped by ana") && out.contains("FAILED"),
        "{out}"
    );
}

#[test]
fn daily_progress_carries_to_the_next_shift_and_operator() {
    let ws = workspace();
    let w = ws.path();
    assert_eq!(
        run(cmd(w, "ana").args(["checklists", "run", "wiring", "mocks"])).0,
        0
    );
    let (code, out, _) = run(cmd(w, "bo").args(["checklists", "list", "--json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let wiring = v
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "wiring")
        .unwrap();
    assert_eq!(
        wiring["done"], 1,
        "ana's check counts in bo's shift the same day"
    );
    let (_, out, _) = run(cmd(w, "bo").args(["handover", "--json"]).env("USER", "bo"));
    let _ = out; // bo has no open shift yet: handover needs one
    assert_eq!(run(cmd(w, "bo").args(["journal", "add", "starting"])).0, 0);
    let (code, out, err) = run(cmd(w, "bo").args(["handover", "--json"]));
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let open = report["unfinished_steps"].as_array().unwrap();
    assert!(
        open.iter().any(|s| s
            .as_str()
            .unwrap()
            .starts_with("Wiring smoke (daily): 1/4 done")),
        "{open:?}"
    );
}

#[test]
fn a_broken_checklist_names_file_line_and_field_and_the_others_load() {
    let ws = workspace();
    let w = ws.path();
    std::fs::write(
        w.join("checklists/bad.toml"),
        "name = \"Bad\"\ncadence = \"hourly\"\n[[steps]]\nid = \"a\"\ntitle = \"A\"\n",
    )
    .unwrap();
    let (code, out, err) = run(cmd(w, "ana").args(["checklists", "list"]));
    assert_eq!(code, 0);
    assert!(out.contains("wiring"));
    assert!(
        err.contains("bad.toml:2: cadence: unknown \"hourly\""),
        "{err}"
    );
    assert_eq!(run(cmd(w, "ana").args(["checklists", "show", "nope"])).0, 3);
    assert_eq!(
        run(cmd(w, "ana").args(["--readonly", "checklists", "check", "wiring", "mocks"])).0,
        5
    );
    assert_eq!(
        run(cmd(w, "ana").args(["--readonly", "checklists", "run", "wiring", "mocks"])).0,
        5
    );
}

#[test]
fn the_bundled_checklists_all_load() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(cmd(dir.path(), "ana").args(["checklists", "list", "--json"]));
    assert_eq!(code, 0);
    assert!(err.is_empty(), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    for want in [
        "morning-operations",
        "noc-daily",
        "day1-wiring",
        "shift-handover",
        "export-center-daily",
        "noc-weekly",
        "noc-monthly",
    ] {
        assert!(ids.contains(&want), "{want} in {ids:?}");
    }
}
