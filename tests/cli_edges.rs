//! The command line's rough edges, through the binary: a mistyped
//! workspace is refused (never an empty all-clear), each "not found" has its
//! own exit code, a step is named by the number `show` prints, and
//! redaction is said wherever it happens.

mod common;

use common::{cli, run};
use std::path::Path;
use std::process::Command;

fn cmd(ws: &Path) -> Command {
    cli(ws)
}

/// As a user types it: no --init.
fn bare(ws: &Path) -> Command {
    let mut c = Command::new(common::BIN);
    c.arg("--workspace").arg(ws);
    c.env("SHIFTDECK_CONFIG_DIR", ws.join("no-config"));
    c.env("USER", "ana.lima");
    c.env_remove("SHIFTDECK_WORKSPACE");
    c
}

#[test]
fn a_mistyped_workspace_is_refused_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("shfitdeck");
    let (code, out, err) = run(bare(&typo).args(["incidents", "list"]));
    assert_eq!(code, 13, "{out}{err}");
    assert!(out.is_empty(), "no false all-clear: {out}");
    assert!(
        err.contains("no workspace at") && err.contains("--init"),
        "{err}"
    );
    assert!(!typo.exists(), "nothing was created");
    // A directory of other files is not one either.
    std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
    let (code, _, err) = run(bare(dir.path()).args(["incidents", "list"]));
    assert_eq!(code, 13);
    assert!(err.contains("not a shiftdeck workspace"), "{err}");
    // --init creates it; from then on it is a workspace.
    let (code, out, err) = run(bare(&typo).args(["--init", "incidents", "list"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("no active incidents"), "{out}");
    assert!(typo.join("shiftdeck.toml").is_file());
    let (code, _, _) = run(bare(&typo).args(["incidents", "list"]));
    assert_eq!(code, 0);
    // An empty directory made for it is set up without asking.
    let empty = tempfile::tempdir().unwrap();
    let (code, _, err) = run(bare(empty.path()).args(["incidents", "list"]));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn each_not_found_has_its_own_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    assert_eq!(run(cmd(ws).args(["incidents", "show", "nope"])).0, 3);
    assert_eq!(run(cmd(ws).args(["checklists", "show", "nope"])).0, 14);
    let (code, _, err) = run(cmd(ws).args(["checklists", "check", "credguard-weekly", "nope"]));
    assert_eq!(code, 15, "{err}");
    assert_eq!(
        run(cmd(ws).args(["journal", "show", "--shift", "19990101-0000-x"])).0,
        16
    );
    let (code, _, err) = run(cmd(ws).args(["approvals", "show", "approval-9999"]));
    assert_eq!(code, 17, "{err}");
}

#[test]
fn a_step_is_named_by_its_number_as_show_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    run(cmd(ws).args(["checklists", "list"]));
    std::fs::write(
        ws.join("checklists/smoke.toml"),
        "name = \"Smoke\"\ncadence = \"shift\"\n[[steps]]\nid = \"look\"\ntitle = \"Look\"\n[[steps]]\nid = \"probe\"\ntitle = \"Probe\"\ncommand = \"echo fine\"\n",
    )
    .unwrap();
    let (code, out, err) = run(cmd(ws).args(["checklists", "show", "smoke"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2."), "{out}");
    let (code, _, err) = run(cmd(ws).args(["checklists", "run", "smoke", "2"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(cmd(ws).args(["checklists", "check", "smoke", "1"]));
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = run(cmd(ws).args(["checklists", "show", "smoke", "--json"]));
    assert_eq!(out.matches("\"done\"").count(), 2, "{out}");
}

#[test]
fn an_incident_note_says_what_it_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let (code, id, err) = run(cmd(ws).args([
        "incidents",
        "new",
        "--title",
        "HEC down",
        "--service",
        "splunk-hec",
        "--severity",
        "P2",
    ]));
    assert_eq!(code, 0, "{err}");
    let key = format!("{}{}", "a1b2c3d4".repeat(3), "e5f6a7b8");
    let (code, out, err) = run(cmd(ws).env("DD_API_KEY", &key).args([
        "incidents",
        "note",
        id.trim(),
        &format!("rotated the key {key}"),
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("redacted before saving: DD_API_KEY"), "{err}");
    assert!(!out.contains(&key) && !err.contains(&key));
}

/// `--json` is one array for every list, `--jsonl` one object a line, for
/// the journal and the incidents alike.
#[test]
fn json_is_an_array_and_jsonl_a_line_each_for_journal_and_incidents() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    for t in ["first note", "second note"] {
        assert_eq!(run(cmd(ws).args(["journal", "add", t])).0, 0);
    }
    for title in ["Gateway 5xx", "Replica lag"] {
        let (code, _, err) =
            run(cmd(ws).args(["incidents", "new", "--title", title, "--service", "gateway"]));
        assert_eq!(code, 0, "{err}");
    }
    for args in [
        vec!["journal", "show"],
        vec!["journal", "search", "note"],
        vec!["incidents", "list"],
    ] {
        let (code, out, err) = run(cmd(ws).args(&args).arg("--json"));
        assert_eq!(code, 0, "{args:?}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
        assert!(
            v.as_array().is_some_and(|a| a.len() >= 2),
            "{args:?}: {out}"
        );
        let (code, out, err) = run(cmd(ws).args(&args).arg("--jsonl"));
        assert_eq!(code, 0, "{args:?}: {err}");
        let lines: Vec<serde_json::Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON object a line"))
            .collect();
        assert!(
            lines.len() >= 2 && lines.iter().all(|l| l.is_object()),
            "{args:?}: {out}"
        );
    }
    let (code, _, err) = run(cmd(ws).args(["journal", "show", "--json", "--jsonl"]));
    assert_eq!(code, 2, "one or the other: {err}");
}

#[test]
fn probe_without_once_polls_once_as_with_it() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing configured: the same answer and exit code either way.
    let (code, out, err) = run(cmd(dir.path()).args(["probe"]));
    assert!(err.contains("no integrations configured"), "{err}");
    let (again, out2, err2) = run(cmd(dir.path()).args(["probe", "--once"]));
    assert_eq!((again, out2, err2), (code, out, err));
}

#[test]
fn completions_and_the_man_page_need_no_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let nowhere = dir.path().join("none");
    for (shell, mark) in [
        ("bash", "_shiftdeck()"),
        ("zsh", "#compdef shiftdeck"),
        ("fish", "complete -c shiftdeck"),
    ] {
        let (code, out, err) = run(bare(&nowhere).args(["completions", shell]));
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains(mark),
            "{shell}: {}",
            &out[..out.len().min(300)]
        );
        assert!(
            out.contains("incidents") && out.contains("--workspace"),
            "{shell}"
        );
    }
    let (code, out, _) = run(bare(&nowhere).args(["man"]));
    assert_eq!(code, 0);
    assert!(
        out.starts_with(".ie") || out.contains(".TH shiftdeck"),
        "{}",
        &out[..200.min(out.len())]
    );
    assert!(!nowhere.exists(), "nothing was created");
}

#[test]
fn the_debug_log_goes_to_its_file_only_and_names_no_secret() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let log = dir.path().join("debug.log");
    let (code, out, err) = run(cmd(&ws)
        .env("SHIFTDECK_LOG", "debug")
        .env("SHIFTDECK_LOG_FILE", &log)
        .args(["journal", "add", "token xoxb-123456789012-abcdefghijkl"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains("start") && !err.contains("INFO"),
        "nothing on the terminal: {out}{err}"
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("start") && text.contains("command=\"journal\""),
        "{text}"
    );
    assert!(!text.contains("xoxb-"), "{text}");
    let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // A filter that is none says so and the command goes on.
    let (code, _, err) = run(cmd(&ws)
        .env("SHIFTDECK_LOG", "very=loud=please")
        .env("SHIFTDECK_LOG_FILE", &log)
        .args(["journal", "show"]));
    assert_eq!(code, 0);
    assert!(err.contains("SHIFTDECK_LOG"), "{err}");
}
