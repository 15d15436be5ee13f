//! The team store measured against a real PostgreSQL server (a throwaway
//! cluster, tests/common/postgres.rs). Ignored by default; run with
//! `cargo test --release --test perf_team -- --ignored --nocapture --test-threads 1`.
//! Reports medians and percentiles; asserts nothing about time.

mod common;

use common::Session;
use common::perf::*;
use common::postgres::{Postgres, host};
use std::path::Path;
use std::time::{Duration, Instant};

fn run_ok(ws: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(common::BIN)
        .arg("--workspace")
        .arg(ws)
        .args(args)
        .env("SHIFTDECK_CONFIG_DIR", ws.join("no-config"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pct(v: &mut [f64], p: usize) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[(v.len() * p / 100).min(v.len() - 1)]
}

fn wait_screen(s: &Session, pred: impl Fn(&str) -> bool) {
    let t = Instant::now();
    while !pred(&s.screen()) {
        assert!(t.elapsed() < Duration::from_secs(30), "{}", s.screen());
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
#[ignore = "measurement: run with --release --ignored --nocapture"]
fn report() {
    let Some(pg) = Postgres::start("perf_team::report") else {
        return;
    };
    let url = pg.url();
    // SAFETY: set before any thread or child that reads it starts.
    unsafe { std::env::set_var("SHIFTDECK_DATABASE_URL", &url) };
    unsafe { std::env::set_var("USER", "ana.lima") };
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("cfg");
    let admin = host(dir.path(), "admin", "admin", "postgres");
    run_ok(&admin, &["db", "migrate"]);
    let vars = [("SHIFTDECK_DATABASE_URL", url.as_str())];

    // `journal add` as a whole process.
    let local = host(dir.path(), "jsonl", "ana.lima", "jsonl");
    let team = host(dir.path(), "pg", "ana.lima", "postgres");
    for ws in [&local, &team] {
        run_ok(ws, &["journal", "add", "warm up"]);
    }
    let (j, p) = (
        time_command(&["journal", "add", "HEC token rotated"], &local, 21),
        time_command(&["journal", "add", "HEC token rotated"], &team, 21),
    );
    println!("journal add, whole process, JSONL:              {j:.1} ms (median of 21)");
    println!(
        "journal add, whole process, PostgreSQL:         {p:.1} ms (median of 21; {:.1}x)",
        p / j
    );

    // A change on host A (this process, through the stores) to host B's screen.
    let a = host(dir.path(), "a", "ana.lima", "postgres");
    let b = host(dir.path(), "b", "bo", "postgres");
    run_ok(&a, &["journal", "add", "host a"]);
    let mut config = shiftdeck::config::Config::defaults();
    config.operator = "ana.lima".into();
    config.store.backend = shiftdeck::store::team::Backend::Postgres;
    let team_a = shiftdeck::store::team::Team::start(
        &a,
        &config,
        shiftdeck::store::team::Backend::Postgres,
        Box::new(|_| {}),
    );
    team_a.settled(Duration::from_secs(10));
    let mut s = Session::start_env(
        &["--workspace", b.to_str().unwrap()],
        &cfg,
        120,
        40,
        &[("SHIFTDECK_DATABASE_URL", url.as_str()), ("USER", "bo")],
    );
    s.wait_for("no incidents on record");
    let mut store = shiftdeck::store::IncidentStore::new(&a);
    let mut lat = Vec::new();
    for i in 0..200 {
        let title = format!("latency probe {i:03}");
        let t = Instant::now();
        let rec = store
            .declare_new(
                "ana.lima",
                &title,
                "gateway",
                shiftdeck::domain::Severity::P3,
                "prod",
            )
            .unwrap();
        wait_screen(&s, |sc| sc.contains(&title));
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
        let (mut book, _) = store.load().unwrap();
        let ev = shiftdeck::domain::IncidentEvent {
            incident_id: rec.id.clone(),
            at: chrono::Utc::now(),
            by: "ana.lima".into(),
            change: shiftdeck::domain::IncidentChange::Resolved {
                message: String::new(),
            },
        };
        store.commit(&mut book, &ev).1.unwrap();
        wait_screen(&s, |sc| !sc.contains(&title));
    }
    println!(
        "change on host A to host B's screen:            {:.1} ms p50, {:.1} ms p99 (200 changes)",
        pct(&mut lat, 50),
        pct(&mut lat, 99)
    );
    drop(team_a);

    // Idle CPU on a quiet database: one screen (beside one on its own
    // files), then twenty.
    {
        let mut j = Session::start_env(
            &["--workspace", local.to_str().unwrap()],
            &cfg,
            120,
            40,
            &[],
        );
        j.wait_for("approvals");
        idle(&j, Duration::from_millis(500));
        let (cpu, _) = cpu_over(&j, Duration::from_secs(30));
        println!("idle CPU, one screen on JSONL (no team store):  {cpu:.3} % of a core (30 s)");
        quit(&mut j);
    }
    idle(&s, Duration::from_millis(500));
    let (cpu, _) = cpu_over(&s, Duration::from_secs(30));
    println!("idle CPU, one screen on a quiet database:       {cpu:.3} % of a core (30 s)");
    quit(&mut s);
    let mut screens = Vec::new();
    for k in 0..20 {
        let ws = host(dir.path(), &format!("s{k}"), &format!("op{k}"), "postgres");
        let s = Session::start_env(&["--workspace", ws.to_str().unwrap()], &cfg, 100, 30, &vars);
        s.wait_for("approvals");
        screens.push(s);
    }
    std::thread::sleep(Duration::from_secs(3));
    let pids: Vec<u32> = screens
        .iter()
        .map(|s| s.child.process_id().unwrap())
        .collect();
    let before: Vec<f64> = pids.iter().map(|p| proc_stat(*p).0).collect();
    let span = Duration::from_secs(30);
    std::thread::sleep(span);
    let per: Vec<f64> = pids
        .iter()
        .zip(&before)
        .map(|(p, b)| (proc_stat(*p).0 - b) / span.as_secs_f64() * 100.0)
        .collect();
    println!(
        "idle CPU, 20 screens on one database:           {:.3} % of a core in all, {:.3} % median per screen (30 s)",
        per.iter().sum::<f64>(),
        median(per.clone())
    );
    for mut s in screens {
        quit(&mut s);
    }

    // The large workspace: imported, then opened from the team store.
    let big = host(dir.path(), "big", "ana.lima", "jsonl");
    large_workspace(&big, 10_000);
    large_journal(&big, 100_000);
    let t = Instant::now();
    let out = run_ok(&admin, &["db", "import", "--from", big.to_str().unwrap()]);
    println!(
        "db import, 10k incidents + 100k events + 100k journal: {:.0} ms ({})",
        t.elapsed().as_secs_f64() * 1000.0,
        out.trim()
    );
    let jsonl_ms = first_frame(&["--workspace", big.to_str().unwrap()], &cfg, "RESPOND", 5);
    println!("first frame, large workspace, JSONL:            {jsonl_ms:.1} ms (median of 5)");
    let cold = host(dir.path(), "cold", "bo", "postgres");
    let mut s = Session::start_env(
        &["--workspace", cold.to_str().unwrap()],
        &cfg,
        120,
        40,
        &vars,
    );
    let first = {
        wait_screen(&s, |sc| sc.contains("approvals"));
        s.started.elapsed().as_secs_f64() * 1000.0
    };
    wait_screen(&s, |sc| sc.contains("Synthetic incident"));
    let filled = s.started.elapsed().as_secs_f64() * 1000.0;
    quit(&mut s);
    println!(
        "a new host on PostgreSQL: first frame {first:.0} ms, the large workspace on screen after {filled:.0} ms (copied down)"
    );
    let warm_ms = first_frame_env(
        &["--workspace", cold.to_str().unwrap()],
        &cfg,
        "RESPOND",
        5,
        &vars,
    );
    println!(
        "first frame, large workspace, PostgreSQL (the host's copy): {warm_ms:.1} ms (median of 5; {:.2}x JSONL)",
        warm_ms / jsonl_ms
    );
}
