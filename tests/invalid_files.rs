//! Invalid files, one fixture per problem, run through the real binary (in
//! the manner of `bottom`'s tests/invalid_configs): each must be reported on
//! stderr as `PATH:LINE: message`, and `check-config` must exit 6.
//!
//! Fixtures live in tests/fixtures/invalid/. Every run sets
//! `SHIFTDECK_CONFIG_DIR` to a temp dir so the real ~/.config is never read.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// `cli::exit::BAD_CONFIG`.
const BAD_CONFIG: i32 = 6;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid")
        .join(name)
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run the binary on `workspace` with the user config dir `config_dir`.
fn shiftdeck<I, S>(config_dir: &Path, workspace: &Path, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_shiftdeck"))
        .arg("--workspace")
        .arg(workspace)
        .arg("--init")
        .args(args)
        .env("SHIFTDECK_CONFIG_DIR", config_dir)
        .env_remove("SHIFTDECK_WORKSPACE")
        .env_remove("NO_COLOR")
        .env_remove("COLORTERM")
        .output()
        .expect("run shiftdeck");
    Output {
        code: out.status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// An empty user config dir and a fresh workspace path inside one temp dir.
struct Sandbox {
    _dir: TempDir,
    config_dir: PathBuf,
    workspace: PathBuf,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        let config_dir = dir.path().join("config");
        let workspace = dir.path().join("ws");
        std::fs::create_dir(&config_dir).expect("config dir");
        Sandbox {
            _dir: dir,
            config_dir,
            workspace,
        }
    }

    fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        shiftdeck(&self.config_dir, &self.workspace, args)
    }

    /// Put `fixture` in the workspace as `rel` (creating directories).
    fn install(&self, fixture_name: &str, rel: &str) -> PathBuf {
        let dest = self.workspace.join(rel);
        std::fs::create_dir_all(dest.parent().expect("has a parent")).expect("mkdir");
        std::fs::copy(fixture(fixture_name), &dest).expect("copy fixture");
        dest
    }
}

/// The stderr line reporting a problem at `path:line:`, which must hold every
/// word of `words`.
fn assert_problem(stderr: &str, path: &Path, line: usize, words: &[&str]) {
    let prefix = format!("{}:{}: ", path.display(), line);
    let found = stderr.lines().find(|l| l.starts_with(&prefix));
    let Some(found) = found else {
        panic!("no line starting with {prefix:?} on stderr:\n{stderr}");
    };
    for w in words {
        assert!(
            found.contains(w),
            "{found:?} does not mention {w:?}\nstderr:\n{stderr}"
        );
    }
}

/// `check-config` found exactly `n` problems and exited 6.
fn assert_bad_config(out: &Output, n: usize) {
    assert_eq!(
        out.code, BAD_CONFIG,
        "exit code\nstdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let summary = format!("{n} {}", if n == 1 { "problem;" } else { "problems;" });
    assert!(
        out.stderr.contains(&summary),
        "expected {summary:?} on stderr:\n{}",
        out.stderr
    );
    assert!(
        !out.stdout.contains("ok: no problems"),
        "stdout claims ok:\n{}",
        out.stdout
    );
}

// ---------------------------------------------------------------- config

/// Copy a config fixture in as `shiftdeck.toml`, run check-config.
fn check_config_fixture(name: &str) -> (Sandbox, PathBuf, Output) {
    let sb = Sandbox::new();
    let path = sb.install(name, "shiftdeck.toml");
    let out = sb.run(["check-config"]);
    (sb, path, out)
}

#[test]
fn valid_fresh_workspace_is_ok() {
    let sb = Sandbox::new();
    assert!(!sb.workspace.exists());
    let out = sb.run(["check-config"]);
    assert_eq!(out.code, 0, "stderr:\n{}", out.stderr);
    assert!(out.stdout.contains("ok"), "stdout:\n{}", out.stdout);
    assert!(out.stderr.is_empty(), "stderr:\n{}", out.stderr);
    assert!(
        sb.workspace.join("shiftdeck.toml").is_file(),
        "the first run creates the workspace"
    );
}

#[test]
fn config_bad_toml() {
    let (_sb, path, out) = check_config_fixture("config_bad_toml.toml");
    assert_bad_config(&out, 1);
    assert_problem(&out.stderr, &path, 3, &["string"]);
}

#[test]
fn config_bad_role() {
    let (_sb, path, out) = check_config_fixture("config_bad_role.toml");
    assert_bad_config(&out, 1);
    assert_problem(
        &out.stderr,
        &path,
        4,
        &["unknown variant `admin`", "operator", "approver"],
    );
}

#[test]
fn config_bad_timezone() {
    let (_sb, path, out) = check_config_fixture("config_bad_timezone.toml");
    assert_bad_config(&out, 1);
    assert_problem(
        &out.stderr,
        &path,
        4,
        &["timezone", "unknown time zone", "\"Mars/Olympus\""],
    );
}

#[test]
fn config_unknown_key_is_a_problem() {
    let (_sb, path, out) = check_config_fixture("config_unknown_key.toml");
    assert_bad_config(&out, 2);
    assert_problem(&out.stderr, &path, 2, &["unknown key `operatr`", "ignored"]);
    assert_problem(&out.stderr, &path, 6, &["unknown key `themme`", "ignored"]);
}

// ---------------------------------------------------------------- keymap

/// The fixture given with `--keymap PATH`.
fn keymap_via_flag(name: &str, line: usize, words: &[&str]) {
    let sb = Sandbox::new();
    let path = fixture(name);
    let out = sb.run([
        OsStr::new("--keymap"),
        path.as_os_str(),
        OsStr::new("check-config"),
    ]);
    assert_bad_config(&out, 1);
    assert_problem(&out.stderr, &path, line, words);
}

/// The fixture as the user's `SHIFTDECK_CONFIG_DIR/keymap.toml`.
fn keymap_as_user_file(name: &str, line: usize, words: &[&str]) {
    let sb = Sandbox::new();
    let path = sb.config_dir.join("keymap.toml");
    std::fs::copy(fixture(name), &path).expect("copy fixture");
    let out = sb.run(["check-config"]);
    assert_bad_config(&out, 1);
    assert_problem(&out.stderr, &path, line, words);
}

const UNKNOWN_ACTION: &[&str] = &["[global]", "\"x\"", "unknown action \"launch_rockets\""];
const BAD_KEY: &[&str] = &["[global]", "unknown key name \"hyper-x\""];
const UNKNOWN_CONTEXT: &[&str] = &["unknown context [dashboard]", "global", "incidents"];
const KEYMAP_BAD_TOML: &[&str] = &["unclosed table"];

#[test]
fn keymap_unknown_action_via_flag() {
    keymap_via_flag("keymap_unknown_action.toml", 5, UNKNOWN_ACTION);
}

#[test]
fn keymap_unknown_action_as_user_file() {
    keymap_as_user_file("keymap_unknown_action.toml", 5, UNKNOWN_ACTION);
}

#[test]
fn keymap_bad_key_via_flag() {
    keymap_via_flag("keymap_bad_key.toml", 4, BAD_KEY);
}

#[test]
fn keymap_bad_key_as_user_file() {
    keymap_as_user_file("keymap_bad_key.toml", 4, BAD_KEY);
}

#[test]
fn keymap_unknown_context_via_flag() {
    keymap_via_flag("keymap_unknown_context.toml", 5, UNKNOWN_CONTEXT);
}

#[test]
fn keymap_unknown_context_as_user_file() {
    keymap_as_user_file("keymap_unknown_context.toml", 5, UNKNOWN_CONTEXT);
}

#[test]
fn keymap_bad_toml_via_flag() {
    keymap_via_flag("keymap_bad_toml.toml", 4, KEYMAP_BAD_TOML);
}

#[test]
fn keymap_bad_toml_as_user_file() {
    keymap_as_user_file("keymap_bad_toml.toml", 4, KEYMAP_BAD_TOML);
}

// ---------------------------------------------------------------- theme

/// The fixture given with `--theme PATH`; returns the fixture path too.
fn theme_via_flag(name: &str) -> (PathBuf, Output) {
    let sb = Sandbox::new();
    let path = fixture(name);
    let out = sb.run([
        OsStr::new("--theme"),
        path.as_os_str(),
        OsStr::new("check-config"),
    ]);
    (path, out)
}

#[test]
fn theme_bad_colour() {
    let (path, out) = theme_via_flag("theme_bad_colour.toml");
    assert_bad_config(&out, 1);
    assert_problem(
        &out.stderr,
        &path,
        6,
        &["palette.brand", "bad colour \"blurple\""],
    );
}

#[test]
fn theme_unknown_role() {
    let (path, out) = theme_via_flag("theme_unknown_role.toml");
    assert_bad_config(&out, 1);
    assert_problem(
        &out.stderr,
        &path,
        6,
        &["unknown role \"sparkle\"", "severity.p1"],
    );
}

#[test]
fn theme_bad_toml() {
    let (path, out) = theme_via_flag("theme_bad_toml.toml");
    assert_bad_config(&out, 1);
    assert_problem(&out.stderr, &path, 3, &["quoted"]);
}

#[test]
fn theme_missing_parent_names_file_and_parent() {
    let (path, out) = theme_via_flag("theme_missing_parent.toml");
    assert_bad_config(&out, 1);
    let prefix = format!("{}:", path.display());
    let line = out.stderr.lines().find(|l| l.starts_with(&prefix));
    let line = line.unwrap_or_else(|| panic!("no line naming {prefix:?}:\n{}", out.stderr));
    assert!(line.contains("theme \"nope\" not found"), "{line}");
}

#[test]
fn theme_missing_parent_points_at_inherits_line() {
    let (path, out) = theme_via_flag("theme_missing_parent.toml");
    assert_bad_config(&out, 1);
    assert_problem(&out.stderr, &path, 2, &["theme \"nope\" not found"]);
}

// ---------------------------------------------------------------- incidents

const GOOD_IDS: [&str; 3] = [
    "inc_20260513_0912_a41c07",
    "inc_20260513_1140_3be9d2",
    "inc_20260514_0006_4c93ad",
];

/// A workspace holding the malformed incidents and events files.
fn malformed_incidents() -> (Sandbox, PathBuf, PathBuf) {
    let sb = Sandbox::new();
    let incidents = sb.install("incidents_malformed.jsonl", "incidents/incidents.jsonl");
    let events = sb.install("events_malformed.jsonl", "incidents/events.jsonl");
    (sb, incidents, events)
}

fn parse_list(stdout: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}"));
    v.as_array()
        .unwrap_or_else(|| panic!("not a JSON array:\n{stdout}"))
        .clone()
}

fn ids(list: &[serde_json::Value]) -> BTreeSet<String> {
    list.iter()
        .map(|i| i["id"].as_str().expect("id is a string").to_string())
        .collect()
}

fn warning_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect()
}

/// `warning: PATH:LINE: … (line left in place, skipped)` holding `words`.
fn assert_skipped(stderr: &str, path: &Path, line: usize, words: &[&str]) {
    let prefix = format!("warning: {}:{}: ", path.display(), line);
    let Some(found) = stderr.lines().find(|l| l.starts_with(&prefix)) else {
        panic!("no line starting with {prefix:?} on stderr:\n{stderr}");
    };
    assert!(found.ends_with("(line left in place, skipped)"), "{found}");
    for w in words {
        assert!(found.contains(w), "{found:?} does not mention {w:?}");
    }
}

#[test]
fn incidents_fixture_ends_in_a_torn_line() {
    let bytes = std::fs::read(fixture("incidents_malformed.jsonl")).expect("fixture");
    assert_ne!(
        bytes.last(),
        Some(&b'\n'),
        "the fixture's last line must stay torn (no final newline)"
    );
}

#[test]
fn incidents_list_skips_bad_lines_and_names_them() {
    let (sb, incidents, events) = malformed_incidents();
    let out = sb.run(["incidents", "list", "--all", "--json"]);
    assert_eq!(out.code, 0, "stderr:\n{}", out.stderr);

    let list = parse_list(&out.stdout);
    let expected: BTreeSet<String> = GOOD_IDS.iter().map(|s| s.to_string()).collect();
    assert_eq!(ids(&list), expected);
    let disk = list
        .iter()
        .find(|i| i["id"] == GOOD_IDS[0])
        .expect("listed");
    assert_eq!(
        disk["status"], "resolved",
        "good events around the bad one still apply"
    );
    assert_eq!(disk["timeline"].as_array().map(Vec::len), Some(2));

    assert_skipped(&out.stderr, &incidents, 2, &["not valid JSON"]);
    assert_skipped(
        &out.stderr,
        &incidents,
        5,
        &["invalid type", "expected a string"],
    );
    assert_skipped(&out.stderr, &incidents, 7, &["incomplete last line"]);
    assert_skipped(
        &out.stderr,
        &events,
        2,
        &["unknown event type \"exploded\""],
    );
    assert_eq!(
        warning_lines(&out.stderr).len(),
        4,
        "blank line 4 is not a problem:\n{}",
        out.stderr
    );

    for (written, name) in [
        (&incidents, "incidents_malformed.jsonl"),
        (&events, "events_malformed.jsonl"),
    ] {
        let now = std::fs::read(written).expect("read back");
        let original = std::fs::read(fixture(name)).expect("fixture");
        assert!(now == original, "{} was rewritten", written.display());
    }
}

#[test]
fn incidents_new_after_torn_line_goes_on_its_own_line() {
    let (sb, incidents, _) = malformed_incidents();
    let original = std::fs::read(fixture("incidents_malformed.jsonl")).expect("fixture");

    let out = sb.run([
        "incidents",
        "new",
        "--title",
        "T",
        "--service",
        "S",
        "--severity",
        "P1",
    ]);
    assert_eq!(out.code, 0, "stderr:\n{}", out.stderr);
    let id = out.stdout.trim().to_string();
    assert!(
        id.starts_with("inc_"),
        "prints the new id: {:?}",
        out.stdout
    );

    let now = std::fs::read(&incidents).expect("read back");
    assert!(
        now.starts_with(&original),
        "the old bytes, torn fragment included, are kept"
    );
    let rest = &now[original.len()..];
    assert_eq!(
        rest.first(),
        Some(&b'\n'),
        "the fragment is closed before the new record"
    );
    let record = &rest[1..];
    assert_eq!(record.last(), Some(&b'\n'));
    let record = &record[..record.len() - 1];
    assert!(!record.contains(&b'\n'), "exactly one new line");
    let v: serde_json::Value = serde_json::from_slice(record).expect("the new record parses");
    assert_eq!(
        (v["id"].as_str(), v["title"].as_str()),
        (Some(id.as_str()), Some("T"))
    );
    assert_eq!(
        (v["service"].as_str(), v["severity"].as_str()),
        (Some("S"), Some("P1"))
    );

    let out = sb.run(["incidents", "list", "--all", "--json"]);
    assert_eq!(out.code, 0, "stderr:\n{}", out.stderr);
    assert!(
        ids(&parse_list(&out.stdout)).contains(&id),
        "the new incident is listed"
    );
    assert_skipped(&out.stderr, &incidents, 7, &["not valid JSON"]);
    let line8 = format!("{}:8:", incidents.display());
    assert!(
        !out.stderr.contains(&line8),
        "the new record is fine:\n{}",
        out.stderr
    );
}

#[test]
fn incidents_wrong_enum_type_is_not_called_invalid_json() {
    let sb = Sandbox::new();
    let incidents = sb.install(
        "incidents_severity_number.jsonl",
        "incidents/incidents.jsonl",
    );
    let out = sb.run(["incidents", "list", "--all", "--json"]);
    assert_eq!(out.code, 0, "stderr:\n{}", out.stderr);
    assert_eq!(ids(&parse_list(&out.stdout)).len(), 1);
    assert_skipped(&out.stderr, &incidents, 2, &[]);
    let prefix = format!("warning: {}:2: ", incidents.display());
    let line = out
        .stderr
        .lines()
        .find(|l| l.starts_with(&prefix))
        .expect("reported");
    assert!(
        !line.contains("not valid JSON"),
        "line 2 is valid JSON, only `severity` has the wrong type: {line}"
    );
}

#[test]
fn config_incident_source_bad_region() {
    let (_sb, path, out) = check_config_fixture("config_source_bad_region.toml");
    assert_bad_config(&out, 1);
    assert_problem(
        &out.stderr,
        &path,
        7,
        &[
            "incident_sources \"pd-oncall\"",
            "region",
            "\"asia\"",
            "\"eu\"",
        ],
    );
}

#[test]
fn config_incident_source_refuses_a_key_in_the_file() {
    let (_sb, path, out) = check_config_fixture("config_source_token_in_file.toml");
    assert_bad_config(&out, 1);
    assert_problem(&out.stderr, &path, 6, &["unknown field `api_key`"]);
    assert!(
        !out.stderr.contains("d3b07384"),
        "the value is never echoed:\n{}",
        out.stderr
    );
}

#[test]
fn outbox_bad_line_is_named_and_the_good_one_kept() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(&sb.workspace).unwrap();
    std::fs::write(
        sb.workspace.join("shiftdeck.toml"),
        "operator = \"ana.lima\"\n[[incident_sources]]\nname = \"pd-oncall\"\nkind = \"pagerduty\"\nmode = \"mock\"\nbase_url = \"http://127.0.0.1:9/pagerduty\"\ntimeout = 1\n",
    )
    .unwrap();
    let path = sb.install("outbox_malformed.jsonl", "incidents/outbox.jsonl");
    let before = std::fs::read(&path).unwrap();
    let out = sb.run(["incidents", "sync"]);
    assert_eq!(out.code, 10, "the good action still waits:\n{}", out.stderr);
    assert_problem(
        &out.stderr,
        &path,
        2,
        &["unknown variant `launch_missiles`"],
    );
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing rewritten");
}

#[test]
fn config_every_problem_in_one_run_and_each_costs_only_its_field() {
    let (sb, path, out) = check_config_fixture("config_many_problems.toml");
    assert_bad_config(&out, 6);
    assert_problem(&out.stderr, &path, 2, &["role", "admin"]);
    assert_problem(&out.stderr, &path, 3, &["timezone", "Mars/Olympus"]);
    assert_problem(&out.stderr, &path, 6, &["\"status-page\"", "url"]);
    assert_problem(&out.stderr, &path, 13, &["\"db\"", "address", "host:port"]);
    assert_problem(
        &out.stderr,
        &path,
        18,
        &["\"proxy-dd\"", "base_url", "not a URL"],
    );
    assert_problem(
        &out.stderr,
        &path,
        24,
        &["\"slow\"", "timeout", "at least 1"],
    );
    // The rest of the file stands: the operator is still ana.lima, and
    // the good integration is still polled.
    let out = sb.run(["journal", "add", "still me"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = sb.run(["journal", "show", "--jsonl"]);
    assert!(
        out.stdout.contains("\"operator\":\"ana.lima\""),
        "{}",
        out.stdout
    );
    let out = sb.run(["probe", "--once", "--json"]);
    assert!(out.stdout.contains("\"splunk\""), "{}", out.stdout);
    assert!(!out.stdout.contains("status-page"), "{}", out.stdout);
}

#[test]
fn check_config_reads_every_file_the_app_reads() {
    let sb = Sandbox::new();
    assert_eq!(
        sb.run(["check-config"]).code,
        0,
        "a fresh workspace is fine"
    );
    let cycle = sb.install("checklist_requires_cycle.toml", "checklists/cycle.toml");
    let events = sb.install("events_malformed.jsonl", "incidents/events.jsonl");
    std::fs::create_dir_all(sb.workspace.join("approvals/pending")).unwrap();
    let record = sb.workspace.join("approvals/pending/approval-0900.json");
    std::fs::write(&record, "{ \"id\": \"approval-0900\", \"state\": ").unwrap();
    let out = sb.run(["check-config"]);
    assert_eq!(out.code, BAD_CONFIG, "{}", out.stderr);
    assert_problem(
        &out.stderr,
        &cycle,
        8,
        &["a → b → a", "could ever be checked"],
    );
    assert!(
        out.stderr.contains(&record.display().to_string()),
        "the broken approval record is named:\n{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&events.display().to_string()),
        "the broken incident line is named:\n{}",
        out.stderr
    );
}
