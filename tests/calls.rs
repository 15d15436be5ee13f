//! Who to call, through the real binary: the escalation directory, who is on
//! call (from the stand-ins of PagerDuty and Opsgenie, or the rota), and
//! messages out — a status update to Slack and the handover by mail to a
//! real SMTP server on 127.0.0.1 — kept in the outbox while the server is
//! down and sent once when it answers.

mod common;

use chrono::{Duration, Utc};
use common::{cli as cmd, run};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

fn write(ws: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(ws).unwrap();
    std::fs::write(ws.join(name), text).unwrap();
}

#[test]
fn contacts_lists_the_bundled_directory_and_its_json_has_people_teams_and_levels() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let (code, out, err) = run(cmd(ws).args(["contacts"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Escalation path"), "{out}");
    assert!(
        out.contains("Level 1  Team lead (immediate): Team lead (placeholder)"),
        "{out}"
    );
    assert!(
        out.contains("P1  respond within 15m → CTO (placeholder)"),
        "{out}"
    );
    assert!(out.contains("P4  respond within 1d 00h → backlog"), "{out}");
    let (code, out, _) = run(cmd(ws).args(["contacts", "--json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["people"].as_array().unwrap().len(), 6);
    assert_eq!(v["teams"].as_array().unwrap().len(), 3);
    assert_eq!(v["levels"].as_array().unwrap().len(), 3);
    assert_eq!(v["levels"][1]["respond"], "24h");
    assert_eq!(v["severity"]["P1"], serde_json::json!(["cto"]));
    assert_eq!(v["people"][4]["email"], "cto@example.com");
    // An incident says who to call for it.
    let (_, id, _) = run(cmd(ws).args([
        "incidents",
        "new",
        "--title",
        "db down",
        "--service",
        "api",
        "--severity",
        "P1",
    ]));
    let (code, out, _) = run(cmd(ws).args(["incidents", "show", id.trim()]));
    assert_eq!(code, 0);
    assert!(
        out.contains("call     CTO (placeholder): +00 00 0000-0000 · cto@example.com"),
        "{out}"
    );
}

#[test]
fn a_broken_directory_names_its_file_and_line_and_costs_only_the_bad_reference() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    assert_eq!(
        run(cmd(ws).args(["contacts"])).0,
        0,
        "creates the workspace"
    );
    write(
        ws,
        "contacts.toml",
        "[[people]]\nid = \"cto\"\nname = \"Carla\"\n\n[severity]\nP1 = [\"cto\", \"ceo\"]\n",
    );
    let (code, _, err) = run(cmd(ws).args(["check-config"]));
    assert_eq!(code, 6, "{err}");
    assert!(
        err.contains(
            "contacts.toml:6: severity.P1: no person or team \"ceo\" in contacts.toml (left out)"
        ),
        "{err}"
    );
    let (code, out, err) = run(cmd(ws).args(["contacts"]));
    assert_eq!(code, 0);
    assert!(err.contains("contacts.toml:6:"), "{err}");
    assert!(out.contains("P1  respond within 15m → Carla"), "{out}");
    // Not TOML at all: the directory is off, said with its line, nothing crashes.
    write(ws, "contacts.toml", "[[people]\nid = 1\n");
    let (code, _, err) = run(cmd(ws).args(["contacts"]));
    assert_eq!(code, 0);
    assert!(err.contains("contacts.toml:1:"), "{err}");
    assert!(err.contains("not used until this is fixed"), "{err}");
}

/// A workspace reading both vendors' stand-ins on `port`.
fn sources_workspace(ws: &Path) {
    write(
        ws,
        "shiftdeck.toml",
        "operator = \"ana.lima\"\ntimezone = \"UTC\"\n\
         [[incident_sources]]\nname = \"pd-oncall\"\nkind = \"pagerduty\"\nmode = \"mock\"\nfrom = \"ana.lima@credguard.example\"\n\
         [[incident_sources]]\nname = \"og-platform\"\nkind = \"opsgenie\"\nmode = \"mock\"\n",
    );
}

#[test]
fn oncall_reads_now_and_next_from_the_pagerduty_and_opsgenie_stand_ins() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    sources_workspace(ws);
    let port = common::http::free_port();
    let before = Utc::now();
    let (_rt, mocks) = common::http::serve_on(port);
    let after = Utc::now();
    let base = format!("http://127.0.0.1:{port}");
    let (code, out, err) = run(cmd(ws).env("SHIFTDECK_MOCK_BASE", &base).args(["oncall"]));
    assert_eq!(code, 0, "{err}");
    // Ana's 12-hour turn began 4 h before the stand-ins started.
    let until: Vec<String> = [before, after]
        .iter()
        .map(|t| (*t + Duration::hours(8)).format("%H:%M").to_string())
        .collect();
    let first = out.lines().next().unwrap_or("");
    assert!(
        until
            .iter()
            .any(|u| first == format!("on call: you until {u} · next: Bo Andersen")),
        "{first:?} (until one of {until:?})\n{out}"
    );
    assert!(out.contains("CredGuard team lead (pd-oncall)"), "{out}");
    assert!(out.contains("now   level 2  Rafael Souza"), "{out}");
    assert!(out.contains("platform_schedule (og-platform)"), "{out}");
    assert!(out.contains("now   dmitri@credguard.example"), "{out}");
    assert!(out.contains("next  ines@credguard.example"), "{out}");
    // What was asked, as the vendors document it.
    let asked = mocks.requests_detailed();
    let oncalls = asked
        .iter()
        .find(|r| r.path == "/pagerduty/oncalls")
        .expect("PagerDuty asked");
    assert!(
        oncalls.query.contains("include%5B%5D=users") || oncalls.query.contains("include[]=users"),
        "{}",
        oncalls.query
    );
    assert!(oncalls.query.contains("since=") && oncalls.query.contains("until="));
    assert!(asked.iter().any(|r| r.path == "/opsgenie/v2/schedules"));
    assert!(
        asked
            .iter()
            .any(|r| r.path.ends_with("/timeline") && r.query.contains("intervalUnit=days"))
    );
    // JSON: each schedule's now and next.
    let (code, out, _) = run(cmd(ws)
        .env("SHIFTDECK_MOCK_BASE", &base)
        .args(["oncall", "--json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let primary = v
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["schedule"] == "CredGuard NOC primary")
        .unwrap();
    assert_eq!(primary["now"][0]["email"], "ana.lima@credguard.example");
    assert_eq!(primary["now"][0]["level"], 1);
    assert_eq!(primary["next"]["who"], "Bo Andersen");
}

#[test]
fn oncall_names_the_directory_short_name_and_falls_back_on_the_rota() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(
        ws,
        "shiftdeck.toml",
        "operator = \"bo\"\ntimezone = \"UTC\"\n",
    );
    let start = (Utc::now() - Duration::hours(1)).format("%Y-%m-%dT%H:%M:%SZ");
    write(
        ws,
        "contacts.toml",
        &format!(
            "[[people]]\nid = \"ana.lima\"\nname = \"Ana Lima\"\nemail = \"ana.lima@credguard.example\"\n\
             [rota]\nname = \"noc\"\nmembers = [\"ana.lima\", \"bo\"]\nstart = \"{start}\"\nhours = 12\n"
        ),
    );
    let (code, out, err) = run(cmd(ws).args(["oncall"]));
    assert_eq!(code, 0, "{err}");
    let until = (Utc::now() + Duration::hours(11)).format("%H:").to_string();
    assert!(
        out.starts_with(&format!("on call: ana.lima until {until}")),
        "{out}"
    );
    assert!(out.contains("· next: you"), "{out}");
    assert!(out.contains("noc (rota)"), "{out}");
    // Nothing to say at all: a clear word and exit 18.
    std::fs::remove_file(ws.join("contacts.toml")).unwrap();
    let (code, out, _) = run(cmd(ws).args(["oncall"]));
    assert_eq!(code, 18);
    assert!(out.contains("nobody known to be on call"), "{out}");
}

/// A webhook stand-in on a fixed port: answers 200 "ok", keeps bodies.
fn slack_on(port: u16) -> Arc<Mutex<Vec<String>>> {
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let kept = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut len = 0;
            let mut line = String::new();
            while r.read_line(&mut line).is_ok_and(|n| n > 0) {
                if line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut body = vec![0; len];
            let _ = r.read_exact(&mut body);
            kept.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).into_owned());
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        }
    });
    seen
}

#[test]
fn a_status_update_waits_while_slack_is_down_and_goes_out_once_when_it_answers() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(
        ws,
        "shiftdeck.toml",
        "operator = \"ana.lima\"\n[slack]\nwebhook_env = \"SLACK_WEBHOOK_URL\"\n",
    );
    let (code, id, err) = run(cmd(ws).args([
        "incidents",
        "new",
        "--title",
        "5xx on login",
        "--service",
        "credguard-api",
        "--severity",
        "P2",
    ]));
    assert_eq!(code, 0, "{err}");
    let id = id.trim().to_string();
    let port = common::http::free_port();
    let hook = format!("http://127.0.0.1:{port}/services/T0/B0/secret-tail");
    let update = |c: &mut std::process::Command| {
        c.env("SLACK_WEBHOOK_URL", &hook).args([
            "incidents",
            "update",
            &id,
            "--action",
            "rolled back the flag",
            "--eta",
            "30m",
        ]);
    };
    let mut c = cmd(ws);
    update(&mut c);
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 7, "nothing listens yet: {err}");
    let line = format!(
        "[P2] credguard-api — 5xx on login · action: rolled back the flag · ETA 30m ({id})"
    );
    assert_eq!(out.trim(), line);
    assert!(err.contains("not sent by Slack yet"), "{err}");
    assert!(
        !err.contains("secret-tail"),
        "the webhook never shows: {err}"
    );
    let (code, out, _) = run(cmd(ws).args(["messages"]));
    assert_eq!(code, 7);
    assert!(
        out.contains("WAITING") && out.contains(&format!("status update {id}")),
        "{out}"
    );
    // The next shift hears of it.
    let (_, out, _) = run(cmd(ws).args(["handover"]));
    assert!(
        out.contains(&format!(
            "## Messages not sent yet\n\n- status update {id} by Slack — Slack: "
        )),
        "{out}"
    );
    // Slack answers: sent once, and only once.
    let seen = slack_on(port);
    let (code, _, err) = run(cmd(ws)
        .env("SLACK_WEBHOOK_URL", &hook)
        .args(["messages", "--send"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!(
            "status update {id} posted to Slack (http://127.0.0.1:{port}/…)"
        )),
        "{err}"
    );
    let (code, _, err) = run(cmd(ws)
        .env("SLACK_WEBHOOK_URL", &hook)
        .args(["messages", "--send"]));
    assert_eq!(code, 0);
    assert!(err.contains("nothing waits"), "{err}");
    let bodies = seen.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let v: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(v["text"], line.as_str());
    let (_, out, _) = run(cmd(ws).args(["messages", "--json"]));
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows[0]["state"], "sent");
    // The journal says it was queued.
    let (_, out, _) = run(cmd(ws).args(["journal", "show"]));
    assert!(
        out.contains(&format!("status update {id} queued for Slack")),
        "{out}"
    );
    // A bad ETA is refused before anything is written.
    let (code, _, err) = run(cmd(ws).env("SLACK_WEBHOOK_URL", &hook).args([
        "incidents",
        "update",
        &id,
        "--action",
        "x",
        "--eta",
        "soon",
    ]));
    assert_eq!(code, 2);
    assert!(
        err.contains("write it as 30m, 2h, 1h30m or unknown"),
        "{err}"
    );
}

fn email_workspace(ws: &Path, port: u16) {
    write(
        ws,
        "shiftdeck.toml",
        &format!(
            "operator = \"ana.lima\"\n[email]\nhost = \"127.0.0.1\"\nport = {port}\nstarttls = false\n\
             from = \"noc@credguard.example\"\nto = [\"ops@credguard.example\", \"bo@credguard.example\"]\n\
             username = \"noc\"\npassword_env = \"SMTP_PASSWORD\"\ntimeout = 5\n"
        ),
    );
}

#[test]
fn the_handover_is_mailed_by_smtp_with_the_password_from_its_variable_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let smtp = common::smtp::serve(0, Some("s3cret-smtp-pass"));
    email_workspace(ws, smtp.port);
    assert_eq!(
        run(cmd(ws).args(["journal", "add", "backup rerun ok #handover"])).0,
        0
    );
    let (code, out, err) = run(cmd(ws).env("SMTP_PASSWORD", "s3cret-smtp-pass").args([
        "handover",
        "--publish",
        "--email",
        "--summary",
        "Quiet night.",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("mailed to ops@credguard.example, bo@credguard.example via 127.0.0.1:"),
        "{err}"
    );
    let mails = smtp.mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m.from, "noc@credguard.example");
    assert_eq!(m.to, vec!["ops@credguard.example", "bo@credguard.example"]);
    assert_eq!(
        m.login,
        Some(("noc".to_string(), "s3cret-smtp-pass".to_string()))
    );
    assert!(m.data.contains("Subject: Shift handover "), "{}", m.data);
    assert!(m.data.contains("Message-ID: <"), "{}", m.data);
    assert!(m.data.contains("backup rerun ok #handover"), "{}", m.data);
    assert!(m.data.contains("Quiet night."), "{}", m.data);
    for text in [out, err] {
        assert!(!text.contains("s3cret-smtp-pass"));
    }
    for entry in walk(ws) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("s3cret-smtp-pass"),
            "{} holds the password",
            entry.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_mail_server_that_is_down_keeps_the_handover_until_it_answers_then_sends_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let port = common::http::free_port();
    email_workspace(ws, port);
    assert_eq!(
        run(cmd(ws).args(["journal", "add", "disk at 91% on db-2"])).0,
        0
    );
    let (code, _, err) =
        run(cmd(ws)
            .env("SMTP_PASSWORD", "pw")
            .args(["handover", "--publish", "--email"]));
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains("not sent by email yet: SMTP 127.0.0.1:"),
        "{err}"
    );
    assert!(err.contains("The handover is saved at"), "{err}");
    let smtp = common::smtp::serve(port, None);
    let (code, _, err) = run(cmd(ws)
        .env("SMTP_PASSWORD", "pw")
        .args(["messages", "--send"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, _) = run(cmd(ws)
        .env("SMTP_PASSWORD", "pw")
        .args(["messages", "--send"]));
    assert_eq!(code, 0);
    let mails = smtp.mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 1, "sent once");
    assert!(mails[0].data.contains("disk at 91% on db-2"));
}

#[test]
fn a_refused_smtp_login_names_the_variable_never_its_value() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let smtp = common::smtp::serve(0, Some("the-right-one"));
    email_workspace(ws, smtp.port);
    assert_eq!(run(cmd(ws).args(["journal", "add", "note"])).0, 0);
    let (code, _, err) = run(cmd(ws).env("SMTP_PASSWORD", "wrong-pass-123").args([
        "handover",
        "--publish",
        "--email",
    ]));
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains("check username and the password in SMTP_PASSWORD"),
        "{err}"
    );
    assert!(!err.contains("wrong-pass-123"), "{err}");
    assert!(smtp.mails.lock().unwrap().is_empty());
    // No [email] at all: --email says what is missing.
    let other = tempfile::tempdir().unwrap();
    write(other.path(), "shiftdeck.toml", "operator = \"ana.lima\"\n");
    assert_eq!(run(cmd(other.path()).args(["journal", "add", "note"])).0, 0);
    let (code, _, err) = run(cmd(other.path()).args(["handover", "--publish", "--email"]));
    assert_eq!(code, 7);
    assert!(err.contains("no [email] table in shiftdeck.toml"), "{err}");
}

#[test]
fn plain_smtp_to_another_host_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    write(
        ws,
        "shiftdeck.toml",
        "operator = \"ana.lima\"\n[email]\nhost = \"smtp.credguard.example\"\nstarttls = false\nfrom = \"noc@credguard.example\"\nto = [\"ops@credguard.example\"]\n",
    );
    let (code, _, err) = run(cmd(ws).args(["check-config"]));
    assert_eq!(code, 6, "{err}");
    assert!(
        err.contains(
            "shiftdeck.toml:4: [email] starttls: false is allowed only for a server on this machine"
        ),
        "{err}"
    );
}

#[test]
fn a_server_that_does_not_offer_starttls_gets_nothing_in_the_clear() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let smtp = common::smtp::serve(0, None);
    write(
        ws,
        "shiftdeck.toml",
        &format!(
            "operator = \"ana.lima\"\n[email]\nhost = \"127.0.0.1\"\nport = {}\nfrom = \"noc@credguard.example\"\n\
             to = [\"ops@credguard.example\"]\nusername = \"noc\"\npassword_env = \"SMTP_PASSWORD\"\ntimeout = 5\n",
            smtp.port
        ),
    );
    assert_eq!(run(cmd(ws).args(["journal", "add", "note"])).0, 0);
    let (code, _, err) = run(cmd(ws).env("SMTP_PASSWORD", "pw-never-sent").args([
        "handover",
        "--publish",
        "--email",
    ]));
    assert_eq!(code, 7, "{err}");
    assert!(
        err.contains("not sent by email yet: SMTP 127.0.0.1:"),
        "{err}"
    );
    assert!(
        err.contains("STARTTLS is not supported on this server"),
        "{err}"
    );
    assert!(smtp.mails.lock().unwrap().is_empty(), "nothing was sent");
}
