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
    assert_eq!(
        run(cmd(w, "ana").args(["checklists", "show", "nope"])).0,
        14,
        "no such checklist has its own code"
    );
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
        "wiring-rollout",
        "noc-handoff",
        "wiring-verify-daily",
        "wiring-monthly",
        "wiring-quarterly",
        "token-leaked",
        "netbox-api-down",
        "web-ui-crash",
        "rollout-incident",
        "export-replay",
        "export-restore",
        "kms-outage",
        "export-prerelease",
    ] {
        assert!(ids.contains(&want), "{want} in {ids:?}");
    }
    let kind = |id: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|l| l["id"] == id)
            .map(|l| l["kind"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(kind("kms-outage"), "playbook");
    assert_eq!(kind("noc-daily"), "routine");
}

/// A playbook started on an incident (seed 000: token leaked) is a list of
/// its own: its steps are checked in order, each lands on the incident's
/// timeline as well as in the journal, and it cannot be started twice.
#[test]
fn a_playbook_started_on_an_incident_writes_to_its_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let (code, id, err) = run(cmd(ws, "ana").args([
        "incidents",
        "new",
        "--title",
        "NetBox write token leaked in a CI log",
        "--service",
        "netbox",
        "--severity",
        "P1",
    ]));
    assert_eq!(code, 0, "{err}");
    let id = id.trim().to_string();
    let (code, run_id, err) =
        run(cmd(ws, "ana").args(["incidents", "playbook", &id, "token-leaked"]));
    assert_eq!(code, 0, "{err}");
    let run_id = run_id.trim().to_string();
    assert_eq!(run_id, format!("token-leaked@{id}"));
    assert!(err.contains("started Token leaked"), "{err}");
    let (code, _, err) =
        run(cmd(ws, "bo").args(["checklists", "start", "token-leaked", "--on", &id]));
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("already started") && err.contains("by ana"),
        "{err}"
    );

    // In order: isolating before revoking is refused.
    let (code, _, err) = run(cmd(ws, "ana").args(["checklists", "check", &run_id, "isolate"]));
    assert_eq!(code, 4, "{err}");
    let (code, out, err) = run(cmd(ws, "ana").args(["checklists", "check", &run_id, "revoke"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Token leaked"), "{out}");
    let (_, shown, _) = run(cmd(ws, "ana").args(["checklists", "show", &run_id]));
    assert!(shown.contains("1/5 done"), "{shown}");
    let (_, list, _) = run(cmd(ws, "ana").args(["checklists", "list"]));
    assert!(list.contains("runs:") && list.contains(&run_id), "{list}");

    let (_, timeline, _) = run(cmd(ws, "ana").args(["incidents", "show", &id]));
    assert!(
        timeline.contains("playbook Token leaked started"),
        "{timeline}"
    );
    assert!(
        timeline.contains("playbook Token leaked › Revoke the token immediately in NetBox: done"),
        "{timeline}"
    );
    let journal = journal_text(ws);
    assert!(journal.contains(&format!("\"run\":\"{id}\"")), "{journal}");

    // A release's pre-release checks: started on a label, no incident.
    let (code, out, err) = run(cmd(ws, "ana").args([
        "checklists",
        "start",
        "export-prerelease",
        "--for",
        "v2.4.0-rc1",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "export-prerelease@v2.4.0-rc1");
    let (code, _, err) =
        run(cmd(ws, "ana").args(["checklists", "start", "noc-daily", "--for", "x"]));
    assert_ne!(code, 0, "a routine list is not started: {err}");
}

/// The bundled command of a step, as `sh -c` runs it for the step.
fn bundled(list: &str, step: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/checklists")
        .join(format!("{list}.toml"));
    let src = std::fs::read_to_string(&path).unwrap();
    let l = shiftdeck::store::checklists::parse(&path, &src).unwrap();
    l.steps
        .into_iter()
        .find(|s| s.id == step)
        .and_then(|s| s.command)
        .unwrap()
}

fn sh(command: &str, vars: &[(&str, &std::ffi::OsStr)]) -> (i32, String) {
    let mut c = Command::new("sh");
    c.arg("-c").arg(command);
    for (k, v) in vars {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn the_backup_check_fails_on_a_size_off_by_more_than_a_fifth_or_an_old_backup() {
    let cmd = bundled("morning-operations", "backup");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write = |name: &str, bytes: usize, age_min: u64| {
        let p = d.join(name);
        std::fs::write(&p, vec![b'x'; bytes]).unwrap();
        let t = std::time::SystemTime::now() - std::time::Duration::from_secs(age_min * 60);
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(t)
            .unwrap();
    };
    for (i, age) in [
        (1, 5 * 1440),
        (2, 4 * 1440),
        (3, 3 * 1440),
        (4, 2 * 1440),
        (5, 1440 + 60),
    ] {
        write(&format!("credguard-2026110{i}.sql.gz"), 10_000, age);
    }
    let vars = [("BACKUP_DIR", d.as_os_str())];
    write("credguard-20261106.sql.gz", 10_500, 30);
    let (code, out) = sh(&cmd, &vars);
    assert_eq!(code, 0, "5 % bigger and fresh passes: {out}");
    assert!(out.contains("(+5%)"), "{out}");
    write("credguard-20261106.sql.gz", 6_000, 30);
    let (code, out) = sh(&cmd, &vars);
    assert_eq!(code, 1, "40 % smaller fails: {out}");
    assert!(out.contains("(-40%)"), "{out}");
    write("credguard-20261106.sql.gz", 10_000, 26 * 60);
    let (code, out) = sh(&cmd, &vars);
    assert_eq!(code, 1, "older than 24 h fails: {out}");
    assert!(out.contains("older than 24 h"), "{out}");
    let empty = tempfile::tempdir().unwrap();
    let (code, out) = sh(&cmd, &[("BACKUP_DIR", empty.path().as_os_str())]);
    assert_eq!(code, 1, "no backup fails: {out}");
}

#[test]
fn the_certificate_check_fails_within_thirty_days_of_expiry() {
    let cmd = bundled("morning-operations", "ssl-certificate");
    let dir = tempfile::tempdir().unwrap();
    let make = |name: &str, days: u32| -> Option<std::path::PathBuf> {
        let p = dir.path().join(name);
        let ok = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=credguard.test",
            ])
            .args(["-days", &days.to_string(), "-keyout"])
            .arg(dir.path().join(format!("{name}.key")))
            .arg("-out")
            .arg(&p)
            .output()
            .ok()?
            .status
            .success();
        ok.then_some(p)
    };
    let Some(soon) = make("soon.pem", 2) else {
        eprintln!(
            "\n*** SKIPPED the_certificate_check_fails_within_thirty_days_of_expiry: needs openssl ***\n"
        );
        return;
    };
    let later = make("later.pem", 90).unwrap();
    let (code, out) = sh(&cmd, &[("CERT_FILE", soon.as_os_str())]);
    assert_eq!(code, 1, "expires in 2 days: {out}");
    assert!(out.contains("will expire"), "{out}");
    let (code, out) = sh(&cmd, &[("CERT_FILE", later.as_os_str())]);
    assert_eq!(code, 0, "90 days left: {out}");
    assert!(out.contains("will not expire"), "{out}");
}

#[test]
fn shiftdeck_in_a_steps_command_is_the_shiftdeck_running_it() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    run(cmd(ws, "ana").args(["checklists", "list"]));
    std::fs::write(
        ws.join("checklists/self.toml"),
        "name = \"Self\"\ncadence = \"daily\"\n[[steps]]\nid = \"v\"\ntitle = \"Version\"\ncommand = \"shiftdeck --version\"\n",
    )
    .unwrap();
    // A PATH without the build directory: the step still finds this binary.
    let (code, out, err) =
        run(cmd(ws, "ana")
            .env("PATH", "/usr/bin:/bin")
            .args(["checklists", "run", "self", "v"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(format!("{out}{err}").contains("shiftdeck "), "{out}{err}");
}

/// The resource step checks what its criteria say: memory under 80 % and
/// CPU under 70 %, against fixtures that must fail.
#[test]
fn the_resource_check_fails_on_high_memory_or_cpu() {
    let cmd = bundled("morning-operations", "resources");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mem = |name: &str, avail_kb: u64| {
        let p = d.join(name);
        std::fs::write(
            &p,
            format!("MemTotal:       1000000 kB\nMemFree:  1 kB\nMemAvailable:   {avail_kb} kB\n"),
        )
        .unwrap();
        p
    };
    let cpu = |name: &str, user: u64, idle: u64| {
        let p = d.join(name);
        std::fs::write(
            &p,
            format!("cpu  {user} 0 0 {idle} 0 0 0 0 0 0\ncpu0 1 0 0 1\n"),
        )
        .unwrap();
        p
    };
    let (calm_mem, busy_mem) = (mem("calm", 600_000), mem("busy", 150_000));
    let (calm_cpu, busy_cpu) = (cpu("idle", 100, 900), cpu("hot", 900, 100));
    let go = |m: &Path, c: &Path| {
        sh(
            &cmd,
            &[
                ("MEMINFO", m.as_os_str()),
                ("PROC_STAT", c.as_os_str()),
                ("DISK_PATH", d.as_os_str()),
            ],
        )
    };
    let (code, out) = go(&calm_mem, &calm_cpu);
    // The disk is this machine's: only a full disk could fail it here.
    if !out.contains("disk 8") && !out.contains("disk 9") {
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains("memory 40%") && out.contains("cpu 10%"),
            "{out}"
        );
    }
    let (code, out) = go(&busy_mem, &calm_cpu);
    assert_ne!(code, 0, "85 % memory fails: {out}");
    assert!(out.contains("memory 85%"), "{out}");
    let (code, out) = go(&calm_mem, &busy_cpu);
    assert_ne!(code, 0, "90 % CPU fails: {out}");
    assert!(out.contains("cpu 90%"), "{out}");
}
