//! The real binary in a pseudo-terminal: keys typed, the screen read back
//! through a terminal emulator (vt100), the files checked on disk.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_shiftdeck");
/// A ceiling for waiting on the screen, not a performance assertion.
const PATIENCE: Duration = Duration::from_secs(15);

struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    raw: Arc<Mutex<Vec<u8>>>,
    parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn start(args: &[&str], cfg: &Path) -> Session {
        let (cols, rows) = (100, 30);
        let pair = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("SHIFTDECK_CONFIG_DIR", cfg);
        cmd.env("LANG", "C.UTF-8");
        cmd.env_remove("SHIFTDECK_WORKSPACE");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let raw = Arc::new(Mutex::new(Vec::new()));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(std::num::NonZero::new(rows).unwrap(), std::num::NonZero::new(cols).unwrap(), 0)));
        let (r2, p2) = (raw.clone(), parser.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                r2.lock().unwrap().extend_from_slice(&buf[..n]);
                p2.lock().unwrap().process(&buf[..n]);
            }
        });
        Session { child, writer, raw, parser, _master: pair.master }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            assert!(start.elapsed() < PATIENCE, "never saw {needle:?} on screen:\n{s}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // Let the app take each burst as keys, not as one paste-like chunk.
        std::thread::sleep(Duration::from_millis(60));
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(start.elapsed() < PATIENCE, "the app did not exit:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }
}

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
    assert!(contains(&raw[leave - 20.min(leave)..], b"\x1b[?25h") || contains(raw, b"\x1b[?25h"), "cursor shown again");
    assert!(contains(raw, b"\x1b[?2004h") && contains(raw, b"\x1b[?2004l"), "bracketed paste on, then off");
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
        .args(["--workspace", ws.to_str().unwrap(), "incidents", "new", "--title", "HEC token disabled: 403 code 1", "--service", "splunk-hec", "--severity", "P1"])
        .env("SHIFTDECK_CONFIG_DIR", &cfg)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    s.wait_for("HEC token disabled: 403 code 1");
    s.wait_for("P1 1");
    s.keys("q");
    assert!(s.wait_exit().success());
}

#[test]
fn sighup_restores_the_terminal_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    let mut s = Session::start(&["--workspace", ws.to_str().unwrap(), "--readonly", "--demo"], &dir.path().join("cfg"));
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
    let out = std::process::Command::new(BIN).args(["--demo"]).env("TERM", "dumb").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a terminal") || err.contains("TERM=dumb"), "{err}");
}
