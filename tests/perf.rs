//! End-to-end measurements of the real (release) binary in a pseudo-terminal.
//! Ignored by default; run with
//! `cargo test --release --test perf -- --ignored --nocapture --test-threads 1`.
//! Reports medians; asserts nothing about time.

mod common;

use common::Session;
use common::perf::*;
use std::time::{Duration, Instant};

#[test]
#[ignore = "measurement: run with --release --ignored --nocapture"]
fn report() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("cfg");
    let large = dir.path().join("large");
    large_workspace(&large, 10_000);
    large_approvals(&large, 5_000);
    let large_args = ["--workspace", large.to_str().unwrap()];

    let demo_ms = first_frame(&["--demo"], &cfg, "BREACHED", 7);
    let large_ms = first_frame(&large_args, &cfg, "RESPOND", 7);
    println!("first complete frame, demo (120x40):            {demo_ms:.1} ms (median of 7)");
    println!("first complete frame, 10,000 incidents:         {large_ms:.1} ms (median of 7)");
    for (c, r) in [(80, 24), (120, 40), (200, 50)] {
        let b = bytes_per_move(&["--demo"], &cfg, c, r);
        println!("bytes per selection move, demo {c}x{r}:          {b:.0} B (median of 9)");
    }

    large_journal(&large, 100_000);
    let add_ms = time_command(
        &["journal", "add", "HEC token rotated #handover"],
        &large,
        15,
    );
    println!(
        "journal add, 100,000 entries in the workspace:  {add_ms:.1} ms (median of 15, whole process)"
    );
    let search_ms = time_command(&["journal", "search", "svc-12", "error"], &large, 7);
    println!(
        "journal search, 100,000 entries:                {search_ms:.1} ms (median of 7, whole process)"
    );
    let full_ms = first_frame(&large_args, &cfg, "RESPOND", 7);
    println!(
        "first frame, 10k incidents + 100k journal + 5k approvals: {full_ms:.1} ms (median of 7)"
    );

    let mut s = Session::start_sized(&["--demo"], &cfg, 120, 40);
    s.wait_for("BREACHED");
    s.wait_for("Handover from");
    s.keys("\x1b");
    idle(&s, Duration::from_millis(300));
    let pid = s.child.process_id().unwrap();
    let (cpu0, _) = proc_stat(pid);
    let bytes0 = s.raw().len();
    let span = Duration::from_secs(60);
    std::thread::sleep(span);
    let (cpu1, hwm) = proc_stat(pid);
    let ticked = s.raw().len() - bytes0;
    println!(
        "idle CPU over 60 s, demo:                       {:.3} % of a core",
        (cpu1 - cpu0) / span.as_secs_f64() * 100.0
    );
    println!("bytes written in 30 s idle (countdown ticks):   {ticked} B");
    println!(
        "peak RSS, demo:                                 {:.1} MB",
        hwm as f64 / 1024.0
    );
    quit(&mut s);

    let mut s = Session::start_sized(&large_args, &cfg, 200, 50);
    s.wait_for("RESPOND");
    // After the first frame the store reads the approvals, the shift and a
    // year of checklist history: measure keys once that is done.
    s.wait_for("2000 pending");
    idle(&s, Duration::from_millis(1500));
    let mut lat = Vec::new();
    for i in 0..21 {
        idle(&s, Duration::from_millis(100));
        let before = s.raw().len();
        let t = Instant::now();
        s.send(if i % 2 == 0 { "j" } else { "k" });
        while s.raw().len() == before {
            std::thread::yield_now();
        }
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (_, hwm) = proc_stat(s.child.process_id().unwrap());
    println!(
        "key to first byte, 10,000 incidents 200x50:     {:.2} ms median, {:.2} ms p95 (of 21)",
        median(lat.clone()),
        {
            lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
            lat[lat.len() * 95 / 100]
        }
    );
    println!(
        "peak RSS, large workspace:                      {:.1} MB",
        hwm as f64 / 1024.0
    );
    quit(&mut s);

    // 100 integrations polled every second against the mock endpoints.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut mocks = std::process::Command::new(common::BIN)
        .args(["mock-endpoints", "--addr", &format!("127.0.0.1:{port}")])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let many = dir.path().join("many");
    many_integrations(&many, 100);
    // SAFETY: set before the child starts; the pty child inherits it.
    unsafe { std::env::set_var("SHIFTDECK_MOCK_BASE", format!("http://127.0.0.1:{port}")) };
    let mut s = Session::start_sized(&["--workspace", many.to_str().unwrap()], &cfg, 120, 40);
    s.wait_for("probe-000");
    s.keys("4");
    std::thread::sleep(Duration::from_secs(3));
    let (cpu, _) = cpu_over(&s, Duration::from_secs(10));
    println!(
        "100 integrations polled every second:           {cpu:.2} % of a core (app, probes, scheduler; 10 s)"
    );
    let mut lat = Vec::new();
    for i in 0..21 {
        let before = s.raw().len();
        let t = Instant::now();
        s.send(if i % 2 == 0 { "j" } else { "k" });
        while s.raw().len() == before && t.elapsed() < Duration::from_secs(1) {
            std::thread::yield_now();
        }
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(50));
    }
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "key to first byte while polling 100/s:          {:.2} ms median, {:.2} ms p95",
        lat[lat.len() / 2],
        lat[lat.len() * 95 / 100]
    );
    quit(&mut s);
    let _ = mocks.kill();
    let _ = mocks.wait();
}
