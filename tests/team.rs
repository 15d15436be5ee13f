//! The team store on a real PostgreSQL server: two workspaces on one
//! database stand for two hosts. Every test starts its own throwaway
//! cluster (tests/common/postgres.rs) and says SKIPPED without one.

mod common;

use common::postgres::{PASSWORD, Postgres, host};
use common::{cli, run};
use std::path::{Path, PathBuf};

const APPROVAL: &str = include_str!("../data/demo/approvals/pending/approval-0142.json");

fn sd(ws: &Path, url: &str) -> std::process::Command {
    let mut c = cli(ws);
    c.env("SHIFTDECK_DATABASE_URL", url);
    c
}

fn ok(c: &mut std::process::Command) -> String {
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "exit {code}\nstdout: {out}\nstderr: {err}");
    out
}

fn migrated(test: &str) -> Option<Postgres> {
    let pg = Postgres::start(test)?;
    let dir = tempfile::tempdir().unwrap();
    let ws = host(dir.path(), "admin", "admin", "postgres");
    ok(sd(&ws, &pg.url()).args(["db", "migrate"]));
    Some(pg)
}

fn declare(ws: &Path, url: &str, title: &str) -> String {
    ok(sd(ws, url).args([
        "incidents",
        "new",
        "--title",
        title,
        "--service",
        "gateway",
        "--severity",
        "P2",
    ]))
    .trim()
    .to_string()
}

#[test]
fn migrate_is_versioned_idempotent_and_dry_run_changes_nothing() {
    let Some(pg) = Postgres::start("migrate_is_versioned_idempotent_and_dry_run_changes_nothing")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ws = host(dir.path(), "a", "ana", "postgres");
    let url = pg.url();
    let dry = ok(sd(&ws, &url).args(["db", "migrate", "--dry-run"]));
    assert!(dry.contains("CREATE TABLE entries"), "{dry}");
    assert_eq!(
        pg.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
        "0",
        "a dry run creates nothing"
    );
    let (code, out, _) = run(sd(&ws, &url).args(["db", "status"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("schema   none (run `shiftdeck db migrate`"),
        "{out}"
    );

    let first = ok(sd(&ws, &url).args(["db", "migrate"]));
    assert!(
        first.contains("applied migration 1: the team store"),
        "{first}"
    );
    let again = ok(sd(&ws, &url).args(["db", "migrate"]));
    assert!(again.contains("nothing to do"), "{again}");
    assert_eq!(pg.sql("SELECT count(*) FROM shiftdeck_migrations"), "1");

    let json = ok(sd(&ws, &url).args(["db", "status", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["backend"], "postgres");
    assert_eq!(v["level"], 1);
    assert_eq!(v["reachable"], true);
    assert!(v["server"].as_str().unwrap().starts_with("PostgreSQL "));
    assert!(
        !json.contains(PASSWORD),
        "the connection string never shows"
    );

    // The audit trail holds on the server: lines are insert-only.
    ok(sd(&ws, &url).args(["journal", "add", "one line"]));
    let out = std::process::Command::new("psql")
        .arg(format!(
            "postgres://postgres:{PASSWORD}@127.0.0.1:{}/team",
            pg.port
        ))
        .args(["-c", "UPDATE entries SET line = 'x'"])
        .output();
    if let Ok(out) = out {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains("insert-only"),
            "{err}"
        );
    }
    assert_eq!(pg.sql("SELECT count(*) FROM entries WHERE line = 'x'"), "0");
}

#[test]
fn two_hosts_share_incidents_notes_approvals_and_the_handover() {
    let Some(pg) = migrated("two_hosts_share_incidents_notes_approvals_and_the_handover") else {
        return;
    };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "sao-paulo", "ana", "postgres");
    let b = host(dir.path(), "lisbon", "bo", "postgres");

    let id = declare(&a, &url, "Gateway 5xx above 5%");
    ok(sd(&a, &url).args(["journal", "add", "rolled back fa_12 on gateway-2"]));
    std::fs::create_dir_all(a.join("approvals/pending")).unwrap();
    std::fs::write(a.join("approvals/pending/approval-0142.json"), APPROVAL).unwrap();
    ok(sd(&a, &url).args(["approvals", "list"]));
    ok(sd(&a, &url).args(["handover", "--publish"]));

    let list = ok(sd(&b, &url).args(["incidents", "list"]));
    assert!(
        list.contains(&id) && list.contains("Gateway 5xx above 5%"),
        "{list}"
    );
    let found = ok(sd(&b, &url).args(["journal", "search", "fa_12"]));
    assert!(found.contains("rolled back fa_12 on gateway-2"), "{found}");
    let approvals = ok(sd(&b, &url).args(["approvals", "list"]));
    assert!(approvals.contains("approval-0142"), "{approvals}");
    let handovers: Vec<_> = std::fs::read_dir(b.join("journal/handover"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        handovers.iter().any(|n| n.ends_with("-ana.md")),
        "A's handover reached B: {handovers:?}"
    );

    // B acknowledges; A, a moment later, is told who was first.
    ok(sd(&b, &url).args(["incidents", "ack", &id]));
    let (code, _, err) = run(sd(&a, &url).args(["incidents", "ack", &id]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("already acknowledged by bo"), "{err}");

    // Each line is in the team store once, however often it was copied.
    ok(sd(&a, &url).args(["incidents", "list"]));
    ok(sd(&b, &url).args(["incidents", "list"]));
    assert_eq!(
        pg.sql("SELECT count(*) - count(DISTINCT line) FROM entries"),
        "0"
    );
    let events = std::fs::read_to_string(a.join("incidents/events.jsonl")).unwrap();
    assert_eq!(events.lines().count(), 1, "one acknowledgement: {events}");
}

#[test]
fn an_approval_decided_on_two_hosts_at_once_gets_one_decision() {
    let Some(pg) = migrated("an_approval_decided_on_two_hosts_at_once_gets_one_decision") else {
        return;
    };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "a", "ana", "postgres");
    let b = host(dir.path(), "b", "bo", "postgres");
    std::fs::create_dir_all(a.join("approvals/pending")).unwrap();
    std::fs::write(a.join("approvals/pending/approval-0142.json"), APPROVAL).unwrap();
    ok(sd(&a, &url).args(["approvals", "list"]));
    ok(sd(&b, &url).args(["approvals", "list"]));

    let spawn = |ws: &Path, decision: &str| {
        sd(ws, &url)
            .args(["approvals", decision, "0142", "--reason", "window agreed"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (pa, pb) = (spawn(&a, "approve"), spawn(&b, "reject"));
    let (oa, ob) = (
        pa.wait_with_output().unwrap(),
        pb.wait_with_output().unwrap(),
    );
    let codes = [oa.status.code(), ob.status.code()];
    assert!(
        codes.contains(&Some(0)) && codes.contains(&Some(4)),
        "one decision and one refusal: {codes:?}\n{}\n{}",
        String::from_utf8_lossy(&oa.stderr),
        String::from_utf8_lossy(&ob.stderr)
    );
    let refused = if oa.status.code() == Some(4) {
        &oa
    } else {
        &ob
    };
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("already approved by ana at") || err.contains("already rejected by bo at"),
        "{err}"
    );
    let state = pg.sql("SELECT state FROM approvals WHERE id = 'approval-0142'");
    assert!(state == "approved" || state == "rejected", "{state}");
    // Both hosts' copies say the same.
    ok(sd(&a, &url).args(["approvals", "list"]));
    ok(sd(&b, &url).args(["approvals", "list"]));
    for ws in [&a, &b] {
        assert!(
            ws.join(format!("approvals/{state}/approval-0142.json"))
                .is_file(),
            "{} holds the team's decision",
            ws.display()
        );
        assert!(!ws.join("approvals/pending/approval-0142.json").exists());
    }
}

#[test]
fn auto_writes_locally_while_the_server_is_down_and_copies_once_on_return() {
    let Some(mut pg) =
        migrated("auto_writes_locally_while_the_server_is_down_and_copies_once_on_return")
    else {
        return;
    };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "a", "ana", "auto");
    let b = host(dir.path(), "b", "bo", "auto");
    ok(sd(&a, &url).args(["journal", "add", "before the outage"]));

    pg.stop();
    let (code, out, err) = run(sd(&a, &url).args(["journal", "add", "during the outage"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("LOCAL — team store unreachable"), "{err}");
    let (code, out, _) = run(sd(&a, &url).args(["db", "status"]));
    assert_eq!(code, 11);
    assert!(out.contains("waiting  1 local line"), "{out}");

    pg.restart();
    // The next command on A copies what waited; B then sees it, once.
    let (_, _, a_err) = run(sd(&a, &url).args(["journal", "show"]));
    let (_, found, b_err) = run(sd(&b, &url).args(["journal", "search", "outage"]));
    assert!(
        found.contains("during the outage") && found.contains("before the outage"),
        "{found}\nA: {a_err}\nB: {b_err}"
    );
    ok(sd(&a, &url).args(["journal", "show"]));
    assert_eq!(
        pg.sql("SELECT count(*) FROM entries WHERE line LIKE '%during the outage%'"),
        "1"
    );
    let (_, out, _) = run(sd(&a, &url).args(["db", "status"]));
    assert!(out.contains("waiting  0 local lines"), "{out}");
}

#[test]
fn postgres_writes_nothing_while_the_server_is_down() {
    let Some(mut pg) = migrated("postgres_writes_nothing_while_the_server_is_down") else {
        return;
    };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "a", "ana", "postgres");
    ok(sd(&a, &url).args(["journal", "add", "first"]));
    let before = std::fs::read_dir(a.join("journal"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect::<Vec<_>>();
    pg.stop();
    let (code, _, err) = run(sd(&a, &url).args(["journal", "add", "second"]));
    assert_ne!(code, 0);
    assert!(err.contains("nothing was written"), "{err}");
    let after = std::fs::read_dir(a.join("journal"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect::<Vec<_>>();
    assert_eq!(before, after, "no line went anywhere");
    // Reading still shows this host's copy.
    let (code, out, _) = run(sd(&a, &url).args(["journal", "show"]));
    assert_eq!(code, 0);
    assert!(out.contains("first"));
}

#[test]
fn a_wrong_password_names_the_variable_and_never_the_value() {
    let Some(pg) = migrated("a_wrong_password_names_the_variable_and_never_the_value") else {
        return;
    };
    let bad = pg.url().replace(PASSWORD, "not-the-password-77");
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "a", "ana", "postgres");
    let (code, out, err) = run(sd(&a, &bad).args(["db", "status"]));
    assert_eq!(code, 11);
    let all = format!("{out}{err}");
    assert!(all.contains("password authentication failed"), "{all}");
    assert!(all.contains("SHIFTDECK_DATABASE_URL"), "{all}");
    assert!(
        !all.contains("not-the-password-77") && !all.contains(&bad),
        "{all}"
    );
    let (_, out, err) = run(sd(&a, &bad).args(["journal", "add", "x"]));
    assert!(!format!("{out}{err}").contains("not-the-password-77"));
}

#[test]
fn a_server_that_never_answers_costs_a_timeout_not_a_hang() {
    // Accepts the connection and never says a word.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = std::thread::spawn(move || {
        let mut keep = Vec::new();
        for s in listener.incoming().take(8) {
            keep.push(s);
        }
        std::thread::sleep(std::time::Duration::from_secs(30));
    });
    let url = format!("postgres://ana:x@127.0.0.1:{port}/team?sslmode=disable");
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "a", "ana", "auto");
    let (code, _, err) = run(sd(&a, &url).args(["journal", "add", "still written"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("did not answer within 3s"), "{err}");
    let journal = std::fs::read_dir(a.join("journal"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect::<String>();
    assert!(journal.contains("still written"));
    drop(held);
}

#[test]
fn import_copies_a_workspace_exactly_once() {
    let Some(pg) = migrated("import_copies_a_workspace_exactly_once") else {
        return;
    };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    // An existing JSONL workspace, written with no team store at all.
    let old = host(dir.path(), "old", "ana", "jsonl");
    declare(&old, &url, "Export Center bundle failed");
    ok(cli(&old).args(["journal", "add", "replayed run 88"]));
    std::fs::create_dir_all(old.join("approvals/pending")).unwrap();
    std::fs::write(old.join("approvals/pending/approval-0142.json"), APPROVAL).unwrap();
    let before = std::fs::read_dir(&old).unwrap().count();

    let admin = host(dir.path(), "admin", "admin", "postgres");
    let first =
        ok(sd(&admin, &url).args(["db", "import", "--from", old.to_str().unwrap(), "--json"]));
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert!(v["lines_new"].as_u64().unwrap() >= 4, "{first}");
    assert_eq!(v["records_new"], 1);
    let again =
        ok(sd(&admin, &url).args(["db", "import", "--from", old.to_str().unwrap(), "--json"]));
    let w: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(
        (w["lines_new"].as_u64(), w["records_new"].as_u64()),
        (Some(0), Some(0)),
        "{again}"
    );
    assert_eq!(
        std::fs::read_dir(&old).unwrap().count(),
        before,
        "the workspace read is not written to"
    );
    let b = host(dir.path(), "b", "bo", "postgres");
    let list = ok(sd(&b, &url).args(["incidents", "list"]));
    assert!(list.contains("Export Center bundle failed"), "{list}");
}

#[test]
fn tls_required_is_met_with_a_verified_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let Some(certs) = make_certs(dir.path()) else {
        eprintln!(
            "\n*** SKIPPED tls_required_is_met_with_a_verified_certificate: needs openssl ***\n"
        );
        return;
    };
    let hba = "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 127.0.0.1/32 reject\n";
    let Some(pg) = Postgres::start_with(
        "tls_required_is_met_with_a_verified_certificate",
        &[
            "ssl=on".to_string(),
            format!("ssl_cert_file={}", certs.0.display()),
            format!("ssl_key_file={}", certs.1.display()),
        ],
        Some(hba),
    ) else {
        return;
    };
    let ws = host(dir.path(), "a", "ana", "postgres");
    let plain = pg.url();
    let (code, out, err) = run(sd(&ws, &plain).args(["db", "status"]));
    assert_eq!(code, 11);
    assert!(
        format!("{out}{err}").contains("no encryption"),
        "{out}{err}"
    );

    let toml = std::fs::read_to_string(ws.join("shiftdeck.toml")).unwrap();
    std::fs::write(
        ws.join("shiftdeck.toml"),
        format!("{toml}ca_file = \"{}\"\n", certs.2.display()),
    )
    .unwrap();
    let tls = plain.replace("sslmode=disable", "sslmode=verify-full");
    ok(sd(&ws, &tls).args(["db", "migrate"]));
    let out = ok(sd(&ws, &tls).args(["db", "status"]));
    assert!(out.contains("schema   level 1 (latest)"), "{out}");
}

/// A CA and a server certificate for 127.0.0.1 signed by it: (cert, key, ca).
fn make_certs(dir: &Path) -> Option<(PathBuf, PathBuf, PathBuf)> {
    let sh = |args: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(args)
            .current_dir(dir)
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    sh(
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca -keyout ca.key -out ca.crt 2>/dev/null",
    )?;
    sh(
        "openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr 2>/dev/null",
    )?;
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .ok()?;
    sh(
        "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf -out server.crt 2>/dev/null",
    )?;
    let key = dir.join("server.key");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).ok()?;
    // SAFETY: geteuid only reads the process's credentials.
    if unsafe { libc::geteuid() } == 0 {
        // The server runs as nobody and must own its key.
        std::os::unix::fs::chown(&key, Some(65534), Some(65534)).ok()?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).ok()?;
    }
    Some((dir.join("server.crt"), key, dir.join("ca.crt")))
}

/// Wait until a journal file under `dir` holds `text`.
fn wait_file(dir: &Path, text: &str) {
    let start = std::time::Instant::now();
    loop {
        let all: String = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect();
        if all.contains(text) {
            return;
        }
        assert!(
            start.elapsed() < common::PATIENCE,
            "{text:?} never reached the journal"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Wait until `needle` is gone from the screen.
fn wait_gone(s: &common::Session, needle: &str) {
    let start = std::time::Instant::now();
    while s.screen().contains(needle) {
        assert!(
            start.elapsed() < common::PATIENCE,
            "{needle:?} stayed on screen:\n{}",
            s.screen()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn the_next_shift_opens_on_the_handover_and_sees_the_other_host_live() {
    let Some(pg) = migrated("the_next_shift_opens_on_the_handover_and_sees_the_other_host_live")
    else {
        return;
    };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "sao-paulo", "ana", "postgres");
    let b = host(dir.path(), "lisbon", "bo", "postgres");
    ok(sd(&a, &url).args(["journal", "add", "watch the HEC queue after 04:00"]));
    ok(sd(&a, &url).args(["handover", "--publish"]));

    let cfg = dir.path().join("cfg");
    let mut s = common::Session::start_env(
        &["--workspace", b.to_str().unwrap()],
        &cfg,
        100,
        30,
        &[("SHIFTDECK_DATABASE_URL", url.as_str()), ("USER", "bo")],
    );
    // The handover published on the other host greets the next shift.
    s.wait_for("Handover from ana");
    s.wait_for("Shift handover — ana");
    s.keys("a");
    wait_gone(&s, "Handover from ana");

    // A change on A shows on B's screen, pushed, with no key pressed.
    declare(&a, &url, "Splunk HEC 503 on every forwarder");
    s.wait_for("Splunk HEC 503 on every forwarder");
    s.keys("q");
    assert!(s.wait_exit().success());
}

#[test]
fn the_screen_says_local_while_the_store_is_away_and_reconnects_on_demand() {
    let Some(mut pg) =
        migrated("the_screen_says_local_while_the_store_is_away_and_reconnects_on_demand")
    else {
        return;
    };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "a", "ana", "auto");
    let b = host(dir.path(), "b", "bo", "auto");
    ok(sd(&b, &url).args(["journal", "add", "b was here"]));
    pg.stop();
    let cfg = dir.path().join("cfg");
    let mut s = common::Session::start_env(
        &["--workspace", b.to_str().unwrap()],
        &cfg,
        120,
        30,
        &[("SHIFTDECK_DATABASE_URL", url.as_str()), ("USER", "bo")],
    );
    s.wait_for("LOCAL — team store unreachable since");
    // Work goes on: a note written while the store is away.
    s.keys(":note written offline on b\r");
    wait_file(&b.join("journal"), "written offline on b");

    pg.restart();
    s.keys(":reconnect\r");
    wait_gone(&s, "LOCAL — team store unreachable");
    let found = ok(sd(&a, &url).args(["journal", "search", "offline"]));
    assert!(found.contains("written offline on b"), "{found}");
    s.keys("q");
    assert!(s.wait_exit().success());
}

#[test]
fn an_approval_decided_on_both_sides_of_an_outage_keeps_the_first_to_reach_the_team() {
    let Some(mut pg) = migrated(
        "an_approval_decided_on_both_sides_of_an_outage_keeps_the_first_to_reach_the_team",
    ) else {
        return;
    };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "a", "ana", "auto");
    let b = host(dir.path(), "b", "bo", "auto");
    std::fs::create_dir_all(a.join("approvals/pending")).unwrap();
    std::fs::write(a.join("approvals/pending/approval-0142.json"), APPROVAL).unwrap();
    ok(sd(&a, &url).args(["approvals", "list"]));
    ok(sd(&b, &url).args(["approvals", "list"]));

    pg.stop();
    ok(sd(&a, &url).args(["approvals", "approve", "0142", "--reason", "fine by me"]));
    ok(sd(&b, &url).args(["approvals", "reject", "0142", "--reason", "owners not told"]));
    pg.restart();

    // B's reject reaches the team store first; A's approve is refused on copy.
    ok(sd(&b, &url).args(["approvals", "list"]));
    let (code, _, err) = run(sd(&a, &url).args(["approvals", "list"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("refused on copy: approval-0142: your approved at")
            && err.contains("already rejected by bo at"),
        "{err}"
    );
    assert_eq!(
        pg.sql("SELECT state FROM approvals WHERE id = 'approval-0142'"),
        "rejected"
    );
    assert!(a.join("approvals/rejected/approval-0142.json").is_file());
    assert!(!a.join("approvals/approved/approval-0142.json").exists());
    let journal = ok(sd(&a, &url).args(["journal", "show"]));
    assert!(journal.contains("already rejected by bo"), "{journal}");
    // Told once: the next command says nothing more.
    let (_, _, err) = run(sd(&a, &url).args(["approvals", "list"]));
    assert!(!err.contains("refused on copy"), "{err}");
}

#[test]
fn an_incident_resolved_on_both_sides_of_an_outage_keeps_the_earliest() {
    let Some(mut pg) =
        migrated("an_incident_resolved_on_both_sides_of_an_outage_keeps_the_earliest")
    else {
        return;
    };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "a", "ana", "auto");
    let b = host(dir.path(), "b", "bo", "auto");
    let id = declare(&a, &url, "Export bundle stuck");
    ok(sd(&b, &url).args(["incidents", "list"]));

    pg.stop();
    ok(sd(&b, &url).args([
        "incidents",
        "resolve",
        &id,
        "--message",
        "restarted the worker",
    ]));
    ok(sd(&a, &url).args(["incidents", "resolve", &id, "--message", "replayed the run"]));
    pg.restart();

    ok(sd(&b, &url).args(["incidents", "list"]));
    let (code, _, err) = run(sd(&a, &url).args(["incidents", "list"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!("refused on copy: {id}: your resolved at"))
            && err.contains("already resolved by bo at"),
        "{err}"
    );
    ok(sd(&b, &url).args(["incidents", "list"]));
    for ws in [&a, &b] {
        let show = ok(sd(ws, &url).args(["incidents", "show", &id, "--json"]));
        let v: serde_json::Value = serde_json::from_str(&show).unwrap();
        assert_eq!(v["status"], "resolved");
        assert_eq!(v["resolved"][1], "bo", "both copies agree: {show}");
    }
    let journal = ok(sd(&a, &url).args(["journal", "show"]));
    assert!(journal.contains("refused on copy"), "{journal}");
}

#[test]
fn a_row_no_host_could_have_written_is_passed_over_never_followed() {
    let Some(pg) = migrated("a_row_no_host_could_have_written_is_passed_over_never_followed")
    else {
        return;
    };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "a", "ana", "postgres");
    let b = host(dir.path(), "b", "bo", "postgres");
    // Rows another tool put in the team store by hand.
    pg.sql("INSERT INTO approvals (id, state, record, updated_by) VALUES ('../../escape', 'pending', 'not json', 'x')");
    pg.sql("INSERT INTO approvals (id, state, record, updated_by) VALUES ('approval-9', 'pending', '{}', 'x')");
    pg.sql("INSERT INTO entries (id, stream, key, line, origin) VALUES (gen_random_uuid(), 'journal', '../../escape', '{}', 'x')");
    pg.sql("INSERT INTO documents (name, body, origin) VALUES ('../../escape', 'x', 'x')");
    ok(sd(&a, &url).args(["journal", "add", "after the odd rows"]));
    let found = ok(sd(&b, &url).args(["journal", "search", "odd"]));
    assert!(
        found.contains("after the odd rows"),
        "the copy went on: {found}"
    );
    assert!(!dir.path().join("escape").exists() && !dir.path().join("escape.jsonl").exists());
    assert!(!b.join("approvals/pending/approval-9.json").exists());
    // B's copy moved past them: it does not read them again and again.
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(b.join("team/copy.json")).unwrap()).unwrap();
    let top = pg.sql("SELECT greatest((SELECT max(seq) FROM entries), (SELECT max(seq) FROM approvals), (SELECT max(seq) FROM documents))");
    assert_eq!(state["pulled"].to_string(), top);
    let escaped: Vec<_> = walk(dir.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("escape"))
        .collect();
    assert!(escaped.is_empty(), "{escaped:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

/// The SQL block of README.md's "A team on PostgreSQL" that grants a role
/// what the app needs.
fn readme_grants() -> String {
    let readme = include_str!("../README.md");
    let start = readme
        .find("CREATE ROLE shiftdeck")
        .expect("the grants are in the README");
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_string()
}

#[test]
fn the_readme_grants_are_all_the_app_needs_and_keep_the_journal_insert_only() {
    let Some(pg) =
        migrated("the_readme_grants_are_all_the_app_needs_and_keep_the_journal_insert_only")
    else {
        return;
    };
    let sql = readme_grants()
        .replace("PASSWORD '…'", "PASSWORD 'role-pw-5e1'")
        .replace("DATABASE shiftdeck", "DATABASE team");
    for stmt in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        pg.sql(stmt);
    }
    let url = format!(
        "postgres://shiftdeck:role-pw-5e1@127.0.0.1:{}/team?sslmode=disable",
        pg.port
    );
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "a", "ana", "postgres");
    let b = host(dir.path(), "b", "bo", "postgres");
    let id = declare(&a, &url, "Gateway 5xx");
    ok(sd(&b, &url).args(["incidents", "ack", &id]));
    std::fs::create_dir_all(a.join("approvals/pending")).unwrap();
    std::fs::write(a.join("approvals/pending/approval-0142.json"), APPROVAL).unwrap();
    ok(sd(&a, &url).args(["approvals", "list"]));
    ok(sd(&b, &url).args(["approvals", "approve", "0142", "--reason", "window agreed"]));
    ok(sd(&a, &url).args(["handover", "--publish"]));
    let status = ok(sd(&b, &url).args(["db", "status"]));
    assert!(status.contains("schema   level 1 (latest)"), "{status}");
    // The role cannot rewrite history, nor migrate.
    let (code, _, err) = run(sd(&a, &url).args(["db", "migrate"]));
    assert_eq!(code, 0, "nothing to migrate needs no rights: {err}");
    let out = std::process::Command::new("psql")
        .arg(&url)
        .args(["-c", "DELETE FROM entries"])
        .output();
    if let Ok(out) = out {
        assert!(!out.status.success(), "a DELETE is refused");
    }
    assert_ne!(pg.sql("SELECT count(*) FROM entries"), "0");
}

#[test]
fn a_record_changed_here_after_the_team_decided_is_put_back_and_the_operator_told() {
    let Some(pg) =
        migrated("a_record_changed_here_after_the_team_decided_is_put_back_and_the_operator_told")
    else {
        return;
    };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let a = host(dir.path(), "a", "ana", "postgres");
    let b = host(dir.path(), "b", "bo", "postgres");
    std::fs::create_dir_all(a.join("approvals/pending")).unwrap();
    std::fs::write(a.join("approvals/pending/approval-0142.json"), APPROVAL).unwrap();
    ok(sd(&a, &url).args(["approvals", "list"]));
    ok(sd(&b, &url).args(["approvals", "approve", "0142", "--reason", "window agreed"]));
    ok(sd(&a, &url).args(["approvals", "list"]));
    assert!(a.join("approvals/approved/approval-0142.json").is_file());

    // A batch tool on A rewrites the record its own way, after the fact.
    let approved =
        std::fs::read_to_string(a.join("approvals/approved/approval-0142.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&approved).unwrap();
    v["state"] = "rejected".into();
    let last = v["history"].as_array().unwrap().len() - 1;
    v["history"][last]["to"] = "rejected".into();
    v["history"][last]["by"] = "batch-tool".into();
    std::fs::remove_file(a.join("approvals/approved/approval-0142.json")).unwrap();
    std::fs::create_dir_all(a.join("approvals/rejected")).unwrap();
    std::fs::write(
        a.join("approvals/rejected/approval-0142.json"),
        serde_json::to_string_pretty(&v).unwrap() + "\n",
    )
    .unwrap();

    let (code, _, err) = run(sd(&a, &url).args(["approvals", "list"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("refused on copy: approval-0142"), "{err}");
    assert!(
        a.join("approvals/approved/approval-0142.json").is_file()
            && !a.join("approvals/rejected/approval-0142.json").exists(),
        "the team's decision is back in this copy"
    );
    assert_eq!(
        pg.sql("SELECT state FROM approvals WHERE id = 'approval-0142'"),
        "approved"
    );
}
