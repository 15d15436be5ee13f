//! The shift journal and the handover through the real binary: crash
//! safety under SIGKILL, concurrent writers, redaction, search, and
//! publishing to a Slack webhook served on 127.0.0.1.

mod common;

use common::run;

use shiftdeck::domain::journal::{EntryKind, JournalEntry};
use shiftdeck::store::journal::{JournalStore, read_all};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn cmd(ws: &Path) -> Command {
    common::cli(ws)
}

fn shift_file(ws: &Path) -> std::path::PathBuf {
    JournalStore::new(ws)
        .shift_files()
        .unwrap()
        .last()
        .unwrap()
        .1
        .clone()
}

fn seqs(entries: &[JournalEntry]) -> Vec<u64> {
    entries
        .iter()
        .filter_map(|e| e.fields.get("seq").and_then(|v| v.as_u64()))
        .collect()
}

/// A writer killed with SIGKILL at arbitrary moments never loses an entry
/// it reported as written, and the file stays readable and appendable.
#[test]
fn sigkill_never_costs_a_reported_entry() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    // The workspace and the shift's file exist before the first kill, which
    // may come before a slow machine has even set the workspace up.
    let (code, _, err) = run(cmd(ws).args(["journal", "add", "start"]));
    assert_eq!(code, 0, "{err}");
    let mut rng: u64 = 0x5eed;
    for round in 0..12 {
        let mut child = cmd(ws)
            .args(["journal", "stress", "--count", "1000000"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.parse::<u64>().ok())
                .collect::<Vec<u64>>()
        });
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_millis(20 + (rng >> 33) % 80));
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        child.wait().unwrap();
        let reported = reader.join().unwrap();
        let (entries, _issues) = read_all(&shift_file(ws)).unwrap();
        let on_disk = seqs(&entries);
        let from_this_round: std::collections::HashSet<u64> = on_disk.iter().copied().collect();
        for s in &reported {
            assert!(
                from_this_round.contains(s),
                "round {round}: entry {s} was reported written but is not on disk"
            );
        }
        // Whatever a kill tore, the next writer starts on a fresh line.
        let (code, _, err) = run(cmd(ws).args(["journal", "add", &format!("after round {round}")]));
        assert_eq!(code, 0, "{err}");
        let (entries, _) = read_all(&shift_file(ws)).unwrap();
        assert_eq!(
            entries.last().unwrap().field("text"),
            Some(format!("after round {round}").as_str())
        );
    }
}

#[test]
fn two_processes_appending_at_once_leave_every_line_whole() {
    // Interleaving is about the lock and the single write, not the disk:
    // on tmpfs the 10,000 fsyncs cost nothing and the test stays quick.
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    let ws = dir.path();
    assert_eq!(run(cmd(ws).args(["journal", "add", "start"])).0, 0);
    let children: Vec<_> = (0..2)
        .map(|_| {
            cmd(ws)
                .args(["journal", "stress", "--count", "5000"])
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let (entries, issues) = read_all(&shift_file(ws)).unwrap();
    assert!(issues.is_empty(), "{:?}", issues.first());
    let stress: Vec<u64> = seqs(&entries);
    assert_eq!(stress.len(), 10_000);
    let mut counts = std::collections::HashMap::new();
    for s in stress {
        *counts.entry(s).or_insert(0) += 1;
    }
    assert!(
        (0..5000).all(|s| counts.get(&s) == Some(&2)),
        "each writer's every entry, exactly once"
    );
}

#[test]
fn notes_are_redacted_tagged_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let key = format!("{}{}", "a1b2c3d4".repeat(3), "e5f6a7b8");
    let hook = format!(
        "https://hooks.slack.com/services/T{}/B{}/{}",
        "0".repeat(8),
        "1".repeat(8),
        "x".repeat(24)
    );
    let (code, out, err) = run(cmd(ws).env("DD_API_KEY", &key).args([
        "journal",
        "add",
        &format!("rotated DD key {key}, hook {hook} #watch inc_20260514_0241_7f3a9c"),
        "--tag",
        "handover",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("saved to the journal"));
    assert!(
        err.contains("redacted before saving: DD_API_KEY, slack-webhook"),
        "{err}"
    );
    let raw = std::fs::read_to_string(shift_file(ws)).unwrap();
    assert!(
        !raw.contains(&key) && !raw.contains(&hook),
        "no secret on disk"
    );
    assert!(raw.contains("[redacted:DD_API_KEY]") && raw.contains("[redacted:slack-webhook]"));

    let (_, out, _) = run(cmd(ws).args(["journal", "show", "--jsonl"]));
    let note: JournalEntry = out
        .lines()
        .map(|l| serde_json::from_str::<JournalEntry>(l).unwrap())
        .find(|e| e.kind == EntryKind::Note)
        .unwrap();
    assert_eq!(note.tags(), vec!["watch", "handover"]);
    assert_eq!(
        note.fields["incidents"],
        serde_json::json!(["inc_20260514_0241_7f3a9c"])
    );

    let (code, out, _) = run(cmd(ws).args(["journal", "search", "ROTATED", "key"]));
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1, "{out}");
    let (_, out, err) = run(cmd(ws).args(["journal", "search", "nothing-like-this"]));
    assert!(out.is_empty() && err.contains("no entry mentions"));
    let (code, out, _) = run(cmd(ws).args(["journal", "show", "--since", "1h"]));
    assert_eq!(code, 0);
    assert!(out.contains("shift start") && out.contains("#watch"));
    let (code, _, err) = run(cmd(ws).args(["journal", "show", "--since", "8 parsecs"]));
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(cmd(ws).args(["--readonly", "journal", "add", "x"]));
    assert_eq!(code, 5, "{err}");
}

#[test]
fn incident_actions_from_the_cli_are_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let (code, id, _) = run(cmd(ws).args([
        "incidents",
        "new",
        "--title",
        "HEC token disabled",
        "--service",
        "splunk-hec",
        "--severity",
        "P2",
    ]));
    assert_eq!(code, 0);
    let id = id.trim();
    assert_eq!(run(cmd(ws).args(["incidents", "ack", id])).0, 0);
    assert_eq!(
        run(cmd(ws).args(["incidents", "escalate", id, "--message", "queue backing up"])).0,
        0
    );
    let (entries, _) = read_all(&shift_file(ws)).unwrap();
    let actions: Vec<String> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Incident)
        .map(|e| e.field("action").unwrap().to_string())
        .collect();
    assert_eq!(actions, ["declared", "acknowledged", "escalated to P1"]);
    assert_eq!(
        entries.last().unwrap().field("message"),
        Some("queue backing up")
    );
}

fn slack_workspace(ws: &Path) {
    std::fs::create_dir_all(ws).unwrap();
    std::fs::write(
        ws.join("shiftdeck.toml"),
        "operator = \"ana.lima\"\n[slack]\nwebhook_env = \"SLACK_WEBHOOK_URL\"\n",
    )
    .unwrap();
}

#[test]
fn publishing_posts_to_slack_and_ends_the_shift() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    slack_workspace(ws);
    let server = common::http::serve(200, "ok", 1);
    let hook = format!("{}/services/T000/B000/secretpart", server.url);
    assert_eq!(
        run(cmd(ws).args(["journal", "add", "backup rerun ok #handover"])).0,
        0
    );
    let (code, out, err) = run(cmd(ws).env("SLACK_WEBHOOK_URL", &hook).args([
        "handover",
        "--publish",
        "--summary",
        "Quiet night.",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# Shift handover — ana.lima"));
    assert!(err.contains("posted to Slack (http://127.0.0.1:"), "{err}");
    assert!(
        !err.contains("secretpart") && !out.contains("secretpart"),
        "the webhook URL is never printed"
    );
    let reqs = server.requests.lock().unwrap().clone();
    assert_eq!(reqs.len(), 1);
    assert_eq!(
        (reqs[0].method.as_str(), reqs[0].path.as_str()),
        ("POST", "/services/T000/B000/secretpart")
    );
    let body: serde_json::Value = serde_json::from_str(&reqs[0].body).unwrap();
    assert!(
        body["text"]
            .as_str()
            .unwrap()
            .contains("backup rerun ok #handover")
    );
    let published = std::fs::read_dir(ws.join("journal/handover"))
        .unwrap()
        .count();
    assert_eq!(published, 1);
    let (entries, _) = read_all(&shift_file(ws)).unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.kind == EntryKind::HandoverPublished)
    );
    assert!(entries.iter().any(|e| e.kind == EntryKind::ShiftEnd));
    // The shift is over: the next handover has no open shift.
    let (code, _, err) = run(cmd(ws).args(["handover"]));
    assert_eq!(code, 16, "{err}");
    assert!(err.contains("no open shift"));
}

#[test]
fn a_revoked_webhook_is_a_clear_error_and_the_handover_is_still_saved() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    slack_workspace(ws);
    let server = common::http::serve(404, "no_service", 1);
    assert_eq!(run(cmd(ws).args(["journal", "add", "note"])).0, 0);
    let (code, _, err) = run(cmd(ws)
        .env(
            "SLACK_WEBHOOK_URL",
            format!("{}/services/T/B/revoked", server.url),
        )
        .args(["handover", "--publish"]));
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains("Slack answered 404 no_service: the webhook was removed"),
        "{err}"
    );
    assert!(err.contains("The handover is saved at"), "{err}");
    assert!(!err.contains("revoked\""), "{err}");
    assert_eq!(
        std::fs::read_dir(ws.join("journal/handover"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn publishing_without_the_webhook_variable_says_what_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    slack_workspace(ws);
    assert_eq!(run(cmd(ws).args(["journal", "add", "note"])).0, 0);
    let (code, _, err) =
        run(cmd(ws)
            .env_remove("SLACK_WEBHOOK_URL")
            .args(["handover", "--publish", "--json"]));
    assert_eq!(code, 7);
    assert!(
        err.contains("not configured: set SLACK_WEBHOOK_URL"),
        "{err}"
    );
}

#[test]
fn incident_notes_are_redacted_before_they_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let secret = format!("hec-{}", "9b1d".repeat(6));
    let (code, id, _) = run(cmd(ws).args([
        "incidents",
        "new",
        "--title",
        "HEC token disabled",
        "--service",
        "splunk-hec",
    ]));
    assert_eq!(code, 0);
    let (code, _, err) = run(cmd(ws).env("SPLUNK_HEC_TOKEN", &secret).args([
        "incidents",
        "note",
        id.trim(),
        &format!("tried the token {secret} by hand; Authorization: Splunk {secret}"),
    ]));
    assert_eq!(code, 0, "{err}");
    let events = std::fs::read_to_string(ws.join("incidents/events.jsonl")).unwrap();
    assert!(!events.contains(&secret), "{events}");
    assert!(events.contains("[redacted:SPLUNK_HEC_TOKEN]"));
    let journal = std::fs::read_to_string(shift_file(ws)).unwrap();
    assert!(!journal.contains(&secret));
}

/// Every incident on file has its "declared" line in the journal, once
/// the next command has run: a kill between the two writes is finished by
/// that command, wherever the kill lands.
#[test]
fn sigkill_between_an_action_and_its_journal_line_is_finished_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let mut rng: u64 = 0xdec1a2e;
    for round in 0..60 {
        let mut child = cmd(ws)
            .args([
                "incidents",
                "new",
                "--title",
                &format!("round {round}"),
                "--service",
                "gw",
                "--severity",
                "P3",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_micros((rng >> 33) % 12_000));
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        child.wait().unwrap();
    }
    // The next command finishes what the kills interrupted.
    let (code, _, err) = run(cmd(ws).args(["journal", "add", "after the kills"]));
    assert_eq!(code, 0, "{err}");
    let declared: Vec<String> = std::fs::read_to_string(ws.join("incidents/incidents.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["id"].as_str().map(str::to_string))
        .collect();
    let mut journaled = std::collections::HashMap::<String, usize>::new();
    for f in std::fs::read_dir(ws.join("journal")).unwrap().flatten() {
        if f.path().extension().is_some_and(|e| e == "jsonl") {
            let (entries, _) = read_all(&f.path()).unwrap();
            for e in entries {
                if e.field("action") == Some("declared")
                    && let Some(id) = e.field("incident_id")
                {
                    *journaled.entry(id.to_string()).or_default() += 1;
                }
            }
        }
    }
    for id in &declared {
        assert_eq!(
            journaled.get(id),
            Some(&1),
            "{id} is declared: its line is in the journal, once"
        );
    }
    let pending = ws.join("journal/pending");
    assert!(
        !pending.exists() || std::fs::read_dir(&pending).unwrap().count() == 0,
        "nothing is left half done"
    );
}

#[test]
fn a_change_record_is_checked_journaled_and_handed_over_in_the_runbooks_layout() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let (code, _, err) = run(cmd(ws).args([
        "journal",
        "change",
        "Raised",
        "the",
        "HEC",
        "queue",
        "--type",
        "tweak",
        "--impact",
        "low",
        "--rollback",
        "set it back",
    ]));
    assert_eq!(code, 2, "an unknown type is refused");
    assert!(
        err.contains(
            "type: \"tweak\" is not one of configuration, deployment, hotfix, maintenance"
        ),
        "{err}"
    );
    let (code, _, err) = run(cmd(ws).args([
        "journal",
        "change",
        "Raised the HEC queue",
        "--type",
        "configuration",
        "--impact",
        "low",
    ]));
    assert_eq!(code, 2, "no rollback plan: {err}");

    let (code, out, err) = run(cmd(ws).args([
        "journal",
        "change",
        "Raised the HEC queue to 20000",
        "--type",
        "configuration",
        "--impact",
        "low",
        "--downtime",
        "none",
        "--description",
        "queue 5000 to 20000 on every forwarder",
        "--rollback",
        "set it back to 5000 and restart the forwarders",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("change recorded in the journal of shift "),
        "{out}"
    );
    let (_, shown, _) = run(cmd(ws).args(["journal", "show"]));
    assert!(
        shown.contains("change")
            && shown
                .contains("configuration, impact low, no downtime: Raised the HEC queue to 20000"),
        "{shown}"
    );
    let (_, md, _) = run(cmd(ws).args(["handover", "--markdown"]));
    assert!(md.contains("## Change records (1)"), "{md}");
    assert!(md.contains("– Raised the HEC queue to 20000\n\n**Responsible:** ana.lima  \n**Type:** Configuration  \n**Impact:** Low  \n**Downtime:** No\n"), "{md}");
    assert!(
        md.contains("#### Rollback plan\n\nset it back to 5000 and restart the forwarders"),
        "{md}"
    );
}

#[test]
fn the_cli_handover_polls_the_integrations_first_so_its_hold_is_real() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    run(cmd(ws).args(["journal", "add", "start"]));
    let cfg = std::fs::read_to_string(ws.join("shiftdeck.toml")).unwrap();
    std::fs::write(
        ws.join("shiftdeck.toml"),
        format!("{cfg}\n[[integrations]]\nname = \"gateway-health\"\nkind = \"http\"\nmode = \"mock\"\ntimeout = 2\n"),
    )
    .unwrap();
    // Nothing answers there: the integration is down.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (code, md, err) = run(cmd(ws)
        .env("SHIFTDECK_MOCK_BASE", &base)
        .args(["handover", "--markdown"]));
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("**HOLD**"), "{md}");
    assert!(md.contains("gateway-health"), "{md}");
    assert!(
        !md.contains("not verified by this shiftdeck"),
        "polled, so verified: {md}"
    );
    let (_, md, _) = run(cmd(ws).env("SHIFTDECK_MOCK_BASE", &base).args([
        "handover",
        "--markdown",
        "--no-probe",
    ]));
    assert!(md.contains("not verified"), "{md}");
}

/// Credentials kept in `env_file` (seed 002 keeps them in `.env.local`) are
/// redacted like the environment's, with nothing exported; a file others
/// can read is refused whole and named, its value never printed.
#[test]
fn env_file_values_are_redacted_and_a_readable_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let (code, _, err) = run(cmd(ws).args(["journal", "add", "first"]));
    assert_eq!(code, 0, "{err}");
    let config = ws.join("shiftdeck.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("env_file = \".env.local\"\n{text}")).unwrap();
    let key = "dd0c5e9a41b7f2c8e6d3a9b0c4e7f1a2";
    let env = ws.join(".env.local");
    std::fs::write(&env, format!("# Day 1\nexport DD_API_KEY=\"{key}\"\n")).unwrap();
    std::fs::set_permissions(&env, std::fs::Permissions::from_mode(0o644)).unwrap();

    let (code, out, err) = run(cmd(ws).args(["check-config"]));
    assert_eq!(code, 6, "{out}{err}");
    assert!(
        err.contains(".env.local") && err.contains("mode 0644") && err.contains("chmod 600"),
        "{err}"
    );
    assert!(!err.contains(key) && !out.contains(key));

    std::fs::set_permissions(&env, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, out, err) = run(cmd(ws).args(["check-config"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = run(cmd(ws).args(["journal", "add", &format!("pasted {key} by mistake")]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("redacted before saving: DD_API_KEY"), "{err}");
    let raw = std::fs::read_to_string(shift_file(ws)).unwrap();
    assert!(
        !raw.contains(key) && raw.contains("[redacted:DD_API_KEY]"),
        "{raw}"
    );
}

/// A credential blocker (seed 002: "log it … with the ticket number") stands
/// in every later handover, whoever is on shift, until a note clears its
/// ticket; deviations get their own section.
#[test]
fn credential_blockers_stand_across_shifts_until_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let (code, _, err) = run(cmd(ws).args([
        "journal",
        "add",
        "Slack webhook waits on PROC-4411 (legal review)",
        "--tag",
        "cred-blocker",
    ]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(cmd(ws).args([
        "journal",
        "add",
        "Datadog APP key: the org admin is on leave",
        "--tag",
        "cred-blocker",
    ]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(cmd(ws).args([
        "journal",
        "add",
        "skipped verify/splunk.sh: HEC has no token yet",
        "--tag",
        "deviation",
    ]));
    assert_eq!(code, 0, "{err}");
    let (_, md, _) = run(cmd(ws).args(["handover", "--markdown", "--no-probe"]));
    assert!(md.contains("## Credential blockers (2)"), "{md}");
    assert!(md.contains("## Deviations from the runbook (1)"), "{md}");
    assert!(
        md.contains("skipped verify/splunk.sh: HEC has no token yet (ana.lima)"),
        "{md}"
    );
    assert!(
        !md.contains("### #cred-blocker") && !md.contains("### #deviation"),
        "{md}"
    );
    let (code, _, err) = run(cmd(ws).args(["handover", "--publish", "--no-probe"]));
    assert_eq!(code, 0, "{err}");

    // The next operator's shift: the blockers stand, the deviation was ana's.
    let bo = |c: &mut Command| {
        c.env("USER", "bo");
    };
    let mut c = cmd(ws);
    bo(&mut c);
    let (code, _, err) = run(c.args(["journal", "add", "took the pager"]));
    assert_eq!(code, 0, "{err}");
    let mut c = cmd(ws);
    bo(&mut c);
    let (code, md, err) = run(c.args(["handover", "--markdown", "--no-probe"]));
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("## Credential blockers (2)"), "{md}");
    assert!(
        md.contains("(ana.lima): Slack webhook waits on PROC-4411"),
        "{md}"
    );
    assert!(!md.contains("Deviations from the runbook"), "{md}");

    let mut c = cmd(ws);
    bo(&mut c);
    let (code, _, err) = run(c.args([
        "journal",
        "add",
        "webhook arrived, proc-4411 closed; verify/slack.sh PASS",
        "--tag",
        "cred-cleared",
    ]));
    assert_eq!(code, 0, "{err}");
    let mut c = cmd(ws);
    bo(&mut c);
    let (_, md, _) = run(c.args(["handover", "--markdown", "--no-probe"]));
    assert!(md.contains("## Credential blockers (1)"), "{md}");
    assert!(
        md.contains("Datadog APP key") && !md.contains("waits on PROC-4411"),
        "{md}"
    );
    let mut c = cmd(ws);
    bo(&mut c);
    let (_, json, _) = run(c.args(["handover", "--json", "--no-probe"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["credential_blockers"][0]["operator"], "ana.lima");
}
