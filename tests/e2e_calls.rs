//! Who to call, through the real binary in a pseudo-terminal: it rings for
//! a P1 another process declares (a desktop notification by OSC 9 and OSC
//! 777, and the bell), once, and not for the P1 open when it started; and a
//! handover published on screen is mailed once.

mod common;

use common::Session;
use std::time::{Duration, Instant};

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

fn incident(id: &str, title: &str, minutes_ago: i64) -> String {
    let at = (chrono::Utc::now() - chrono::Duration::minutes(minutes_ago)).to_rfc3339();
    serde_json::json!({
        "id": id, "title": title, "service": "credguard-api", "severity": "P1",
        "env": "prod", "started_at": at, "created_by": "rafael",
    })
    .to_string()
}

#[test]
fn a_p1_declared_elsewhere_rings_once_and_the_one_open_at_the_start_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    std::fs::create_dir_all(ws.join("incidents")).unwrap();
    std::fs::write(
        ws.join("shiftdeck.toml"),
        "operator = \"ana.lima\"\ntimezone = \"UTC\"\n",
    )
    .unwrap();
    let file = ws.join("incidents/incidents.jsonl");
    std::fs::write(
        &file,
        format!(
            "{}\n",
            incident("inc_20261201_0100_aaaaaa", "Old outage", 120)
        ),
    )
    .unwrap();
    let mut s = Session::start(
        &["--workspace", ws.to_str().unwrap()],
        &dir.path().join("cfg"),
    );
    s.wait_for("Old outage");
    // Another process declares a P1.
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap();
    writeln!(
        f,
        "{}",
        incident("inc_20261201_0300_bbbbbb", "Checkout down", 0)
    )
    .unwrap();
    drop(f);
    s.wait_for("Checkout down");
    let osc777 = b"\x1b]777;notify;P1 inc_20261201_0300_bbbbbb;Checkout down";
    let start = Instant::now();
    while count(&s.raw(), osc777) == 0 {
        assert!(start.elapsed() < common::PATIENCE, "no notification");
        std::thread::sleep(Duration::from_millis(20));
    }
    s.keys("q");
    assert!(s.wait_exit().success());
    let raw = s.raw();
    assert_eq!(count(&raw, osc777), 1, "once");
    assert_eq!(
        count(&raw, b"\x1b]9;P1 inc_20261201_0300_bbbbbb: Checkout down"),
        1
    );
    assert_eq!(
        count(&raw, b"aaaaaa;"),
        0,
        "the P1 open at the start is not news"
    );
    assert!(
        count(&raw, b"\x07\x07") >= 1,
        "the bell after the OSC terminator"
    );
}

/// The screen publishes the handover and mails it (`send_handover = true`)
/// through the messages outbox to a real SMTP server on 127.0.0.1.
#[test]
fn publishing_on_screen_mails_the_handover_once() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    let smtp = common::smtp::serve(0, None);
    std::fs::write(
        ws.join("shiftdeck.toml"),
        format!(
            "operator = \"ana.lima\"\ntimezone = \"UTC\"\n[email]\nhost = \"127.0.0.1\"\nport = {}\nstarttls = false\n\
             from = \"noc@credguard.example\"\nto = [\"ops@credguard.example\"]\nsend_handover = true\n",
            smtp.port
        ),
    )
    .unwrap();
    let mut s = Session::start(
        &["--workspace", ws.to_str().unwrap()],
        &dir.path().join("cfg"),
    );
    s.wait_for("no incidents on record");
    s.keys("H");
    s.wait_for("Shift handover");
    s.keys("\x10"); // ctrl-p: publish
    s.wait_for("Publish the handover and end the shift?");
    s.keys("y");
    s.wait_for("sent: handover");
    let start = Instant::now();
    while smtp.mails.lock().unwrap().is_empty() {
        assert!(start.elapsed() < common::PATIENCE, "no mail");
        std::thread::sleep(Duration::from_millis(20));
    }
    s.keys("q");
    s.wait_exit();
    let mails = smtp.mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].data.contains("Subject: Shift handover "),
        "{}",
        mails[0].data
    );
    assert!(
        mails[0].data.contains("# Shift handover"),
        "{}",
        mails[0].data
    );
    let outbox = std::fs::read_to_string(ws.join("messages/outbox.jsonl")).unwrap();
    assert!(
        outbox.contains("\"op\":\"done\"") && outbox.contains("\"sent\":true"),
        "{outbox}"
    );
}
