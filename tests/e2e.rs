//! The real binary in a pseudo-terminal: keys typed, the screen read back
//! through a terminal emulator (vt100), the files checked on disk.

mod common;

use common::{BIN, Session};

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn assert_restored(raw: &[u8]) {
    let leave = rfind(raw, b"\x1b[?1049l").expect("left the alternate screen");
    let enter = rfind(raw, b"\x1b[?1049h").expect("entered the alternate screen");
    assert!(leave > enter, "left after entering");
    assert!(
        contains(&raw[leave - 20.min(leave)..], b"\x1b[?25h") || contains(raw, b"\x1b[?25h"),
        "cursor shown again"
    );
    assert!(
        contains(raw, b"\x1b[?2004h") && contains(raw, b"\x1b[?2004l"),
        "bracketed paste on, then off"
    );
}

#[test]
fn declare_acknowledge_quit_and_the_files_hold_it() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let cfg = dir.path().join("cfg");
    let mut s = Session::start(&["--workspace", ws.to_str().unwrap()], &cfg);
    s.wait_for("no incidents on record");
    s.keys("n");
    s.wait_for("Declare an incident");
    s.keys("Checkout latency p99 above 2s");
    s.keys("\t");
    s.keys("checkout");
    s.keys("\t");
    s.keys("2");
    s.keys("\r");
    s.wait_for("declared P2");
    s.wait_for("Checkout latency p99 above 2s");
    s.keys("a");
    let screen = s.wait_for("saved: ack");
    assert!(screen.contains("ack"), "{screen}");
    s.keys("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert_restored(&s.raw());

    let records = std::fs::read_to_string(ws.join("incidents/incidents.jsonl")).unwrap();
    let record: serde_json::Value = serde_json::from_str(records.lines().next().unwrap()).unwrap();
    assert_eq!(record["title"], "Checkout latency p99 above 2s");
    assert_eq!(record["service"], "checkout");
    assert_eq!(record["severity"], "P2");
    let id = record["id"].as_str().unwrap();
    assert!(id.starts_with("inc_") && id.len() == 24, "{id}");
    let events = std::fs::read_to_string(ws.join("incidents/events.jsonl")).unwrap();
    let event: serde_json::Value = serde_json::from_str(events.lines().next().unwrap()).unwrap();
    assert_eq!(event["incident_id"], id);
    assert_eq!(event["type"], "acknowledged");
}

#[test]
fn another_process_change_shows_up_without_restart() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let cfg = dir.path().join("cfg");
    let mut s = Session::start(&["--workspace", ws.to_str().unwrap()], &cfg);
    s.wait_for("no incidents on record");
    let out = std::process::Command::new(BIN)
        .args([
            "--workspace",
            ws.to_str().unwrap(),
            "incidents",
            "new",
            "--title",
            "HEC token disabled: 403 code 1",
            "--service",
            "splunk-hec",
            "--severity",
            "P1",
        ])
        .env("SHIFTDECK_CONFIG_DIR", &cfg)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    s.wait_for("HEC token disabled: 403 code 1");
    s.wait_for("P1 1");
    s.keys("q");
    assert!(s.wait_exit().success());
}

#[test]
fn sighup_restores_the_terminal_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let mut s = Session::start(
        &["--workspace", ws.to_str().unwrap(), "--readonly", "--demo"],
        &dir.path().join("cfg"),
    );
    s.wait_for("READ-ONLY");
    s.wait_for("BREACHED");
    let pid = s.child.process_id().unwrap() as i32;
    // SAFETY: sending a signal to our own child.
    unsafe { libc::kill(pid, libc::SIGHUP) };
    s.wait_exit();
    assert_restored(&s.raw());
}

#[test]
fn refuses_a_dumb_terminal_with_a_clear_message() {
    let out = std::process::Command::new(BIN)
        .args(["--demo"])
        .env("TERM", "dumb")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a terminal") || err.contains("TERM=dumb"),
        "{err}"
    );
}

#[test]
fn a_dropped_link_never_costs_the_note_being_typed() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let cfg = dir.path().join("cfg");
    let args = ["--workspace", ws.to_str().unwrap()];
    let mut s = Session::start(&args, &cfg);
    s.wait_for("no incidents on record");
    s.keys("w");
    s.wait_for("ctrl-s saves");
    s.keys("HEC queue draining, token re-enabled at 02:10");
    s.wait_for("token re-enabled at 02:10");
    let pid = s.child.process_id().unwrap() as i32;
    // SAFETY: signalling our own child, as sshd does when the link drops.
    unsafe { libc::kill(pid, libc::SIGHUP) };
    s.wait_exit();
    let drafts = std::fs::read_dir(ws.join("journal/drafts"))
        .unwrap()
        .count();
    assert_eq!(drafts, 1, "the draft is on disk");

    let mut again = Session::start(&args, &cfg);
    again.wait_for("your unsaved note is back");
    again.keys("5");
    again.wait_for("HEC queue draining, token re-enabled at 02:10");
    again.keys("w");
    again.keys("\x13"); // ctrl-s
    again.wait_for("saved: the note is in the journal");
    again.keys("q");
    assert!(again.wait_exit().success());
    let journal = std::fs::read_dir(ws.join("journal"))
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".jsonl"))
        .unwrap();
    let text = std::fs::read_to_string(journal.path()).unwrap();
    assert!(text.contains("HEC queue draining, token re-enabled at 02:10"));
    assert!(
        std::fs::read_dir(ws.join("journal/drafts"))
            .unwrap()
            .next()
            .is_none(),
        "a saved note's draft is gone"
    );
}

#[test]
fn an_approver_approves_with_a_reason_by_keys() {
    use shiftdeck::domain::approval::Risk;
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(
        ws.join("shiftdeck.toml"),
        "operator = \"marina\"\nrole = \"approver\"\n",
    )
    .unwrap();
    let record = common::records::pending_approval(
        "approval-0133",
        "Renew TLS certificate for credguard.com",
        "rafael.ops",
        Risk::Medium,
        chrono::Utc::now() - chrono::Duration::hours(3),
    );
    shiftdeck::store::approvals::ApprovalStore::new(&ws)
        .stage(&record)
        .unwrap();
    let mut s = Session::start(
        &["--workspace", ws.to_str().unwrap()],
        &dir.path().join("cfg"),
    );
    s.wait_for("no incidents on record");
    s.keys("3");
    s.wait_for("Renew TLS certificate");
    s.keys("a");
    s.wait_for("Reason (required");
    s.keys("change window Thu 02:00, dry-run clean");
    s.keys("\r");
    s.wait_for("This is recorded");
    s.wait_for("pending → approved");
    s.keys("y");
    s.wait_for("recorded: approval-0133 is approved");
    s.keys("q");
    assert!(s.wait_exit().success());
    let moved = ws.join("approvals/approved/approval-0133.json");
    let text = std::fs::read_to_string(&moved).unwrap();
    assert!(
        text.contains("change window Thu 02:00, dry-run clean")
            && text.contains("\"by\": \"marina\"")
    );
    assert!(!ws.join("approvals/pending/approval-0133.json").exists());
}

/// The app on a new workspace holding one checklist, its incidents pane up.
fn with_checklist(name: &str, toml: &str) -> (tempfile::TempDir, std::path::PathBuf, Session) {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    std::fs::create_dir_all(ws.join("checklists")).unwrap();
    std::fs::write(ws.join("shiftdeck.toml"), "timezone = \"UTC\"\n").unwrap();
    std::fs::write(ws.join(format!("checklists/{name}.toml")), toml).unwrap();
    let s = Session::start(
        &["--workspace", ws.to_str().unwrap()],
        &dir.path().join("cfg"),
    );
    s.wait_for("no incidents on record");
    (dir, ws, s)
}

#[test]
fn checking_and_running_steps_by_keys() {
    let (_dir, ws, mut s) = with_checklist(
        "smoke",
        "name = \"Smoke\"\ncadence = \"shift\"\nordered = true\n[[steps]]\nid = \"look\"\ntitle = \"Look at the board\"\n[[steps]]\nid = \"probe\"\ntitle = \"Probe the mocks\"\ncommand = \"echo all six PASS; exit 0\"\n",
    );
    s.keys("1");
    s.wait_for("Look at the board");
    s.keys("j");
    s.keys("j");
    s.keys("!");
    s.wait_for("comes before step 2");
    s.keys("k");
    s.keys(" ");
    s.wait_for("Smoke › Look at the board done");
    // A check of a moment ago can be taken back: a new entry says so.
    s.keys("u");
    s.wait_for("Smoke › Look at the board reopened");
    s.keys(" ");
    s.wait_for("Smoke › Look at the board done");
    s.keys("j");
    // The command is shown, and runs on y only (enter does not confirm).
    s.keys("!");
    s.wait_for("Run the step's command?");
    s.wait_for("echo all six PASS; exit 0");
    s.keys("\r");
    std::thread::sleep(std::time::Duration::from_millis(300));
    s.keys("y");
    s.wait_for("Smoke › Probe the mocks done (exit 0)");
    s.wait_for("2/2");
    // Done for this shift: the list folds; enter opens it again, then the step's output.
    s.keys("\r");
    s.wait_for("Probe the mocks");
    s.keys("j");
    s.keys("j");
    s.keys("\r");
    s.wait_for("all six PASS");
    s.keys("\x1b");
    std::thread::sleep(std::time::Duration::from_millis(600));
    s.keys("q");
    assert!(s.wait_exit().success());
    let journal = std::fs::read_dir(ws.join("journal"))
        .unwrap()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        .unwrap();
    let text = std::fs::read_to_string(journal.path()).unwrap();
    assert!(
        text.contains("\"step\":\"look\"")
            && text.contains("\"step\":\"probe\"")
            && text.contains("all six PASS")
    );
    assert!(text.contains("retracted: the check at"), "{text}");
}

#[test]
fn quitting_while_a_step_runs_asks_then_stops_it_and_records_it() {
    let (_dir, ws, mut s) = with_checklist(
        "slow",
        "name = \"Slow\"\ncadence = \"shift\"\n[[steps]]\nid = \"restore\"\ntitle = \"Test the restore\"\ncommand = \"echo $$ > step.pid; sleep 300\"\ntimeout = 600\n",
    );
    s.keys("1");
    s.wait_for("Test the restore");
    s.keys("j");
    s.keys("!");
    s.wait_for("Run the step's command?");
    s.keys("y");
    let pid_file = ws.join("step.pid");
    let deadline = std::time::Instant::now() + common::PATIENCE;
    while !pid_file.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let pid: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    s.keys("q");
    s.wait_for("Quit while commands run?");
    s.wait_for("Slow › Test the restore");
    s.keys("y");
    assert!(s.wait_exit().success());
    // SAFETY: signal 0 only asks whether the process exists.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    assert!(!alive, "the step's command was stopped with the app");
    let journal = std::fs::read_dir(ws.join("journal"))
        .unwrap()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        .unwrap();
    let text = std::fs::read_to_string(journal.path()).unwrap();
    assert!(
        text.contains("\"step\":\"restore\"") && text.contains("because shiftdeck quit"),
        "{text}"
    );
}

#[test]
fn a_hostile_title_never_reaches_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    std::fs::create_dir_all(ws.join("incidents")).unwrap();
    std::fs::write(ws.join("shiftdeck.toml"), "timezone = \"UTC\"\n").unwrap();
    let at = chrono::Utc::now().to_rfc3339();
    let line = serde_json::json!({
        "id": "inc_20261201_0300_e0e0e0",
        "title": "Disk \u{1b}]52;c;cm0gLXJmIH4=\u{7}full \u{202e}1-bd\u{2069}",
        "service": "db",
        "severity": "P1",
        "env": "prod",
        "started_at": at,
        "created_by": "bo",
    });
    std::fs::write(ws.join("incidents/incidents.jsonl"), format!("{line}\n")).unwrap();
    let mut s = Session::start(
        &["--workspace", ws.to_str().unwrap()],
        &dir.path().join("cfg"),
    );
    s.wait_for("Disk ]52;c;");
    s.keys("q");
    assert!(s.wait_exit().success());
    let raw = s.raw();
    assert!(
        !contains(&raw, "\u{202e}".as_bytes()),
        "a bidi override reached the terminal"
    );
    assert!(
        !contains(&raw, b"\x1b]52"),
        "a clipboard write reached the terminal"
    );
}

/// Evidence from a command's output, by keys: the command runs off the
/// store's thread (a note saved meanwhile is not held up by it), and its
/// output lands under incidents/<id>/ with its index line.
#[test]
fn evidence_from_a_command_is_attached_by_keys_while_notes_still_save() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let cfg = dir.path().join("cfg");
    let (code, id, err) = common::run(common::cli(&ws).args([
        "incidents",
        "new",
        "--title",
        "verify-all FAIL",
        "--service",
        "platform",
        "--severity",
        "P2",
    ]));
    assert_eq!(code, 0, "{err}");
    let id = id.trim().to_string();
    let mut s = Session::start(&["--workspace", ws.to_str().unwrap()], &cfg);
    s.wait_for("verify-all FAIL");
    s.keys("2");
    s.keys("\r");
    s.wait_for("Timeline (");
    s.keys("E");
    s.wait_for("or !command:");
    s.keys("!sleep 2; echo evidence-from-the-tty");
    s.keys("\r");
    // While the command runs, a note is saved at once.
    s.keys(":note written while the command ran\r");
    s.wait_for("the note is in the journal");
    assert!(
        !s.screen().contains("attached incidents/"),
        "the note did not wait for the command"
    );
    let screen = s.wait_for("attached incidents/");
    assert!(screen.contains(&id[..12]), "{screen}");
    s.keys("q");
    assert!(s.wait_exit().success());
    let name = "sleep-2-echo-evidence-from-the-tty.log";
    let kept = std::fs::read_to_string(ws.join(format!("incidents/{id}/{name}"))).unwrap();
    assert_eq!(kept.trim(), "evidence-from-the-tty");
    let index = std::fs::read_to_string(ws.join("incidents/artifacts.jsonl")).unwrap();
    assert!(
        index.contains(name) && index.contains("\"kind\":\"command\""),
        "{index}"
    );
}
