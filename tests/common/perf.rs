//! The perf harnesses' workloads and measures: large workspaces, medians,
//! a process's CPU and peak memory, whole-command and first-frame times.

use super::Session;
use std::path::Path;
use std::time::{Duration, Instant};

pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// A workspace with `n` incidents and 10 events each, spread over a year.
pub fn large_workspace(root: &Path, n: usize) {
    use std::fmt::Write as _;
    std::fs::create_dir_all(root.join("incidents")).unwrap();
    let base = chrono::DateTime::parse_from_rfc3339("2026-05-14T03:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let (mut recs, mut evs) = (String::new(), String::new());
    for i in 0..n {
        let at = base - chrono::Duration::minutes((i * 53) as i64);
        let id = format!("inc_{}_{:06x}", at.format("%Y%m%d_%H%M"), i);
        let sev = ["P1", "P2", "P3", "P4"][i % 4];
        writeln!(recs, r#"{{"id":"{id}","title":"Synthetic incident {i}: gateway 5xx above threshold","service":"svc-{}","severity":"{sev}","env":"prod","started_at":"{}","created_by":"gen"}}"#, i % 37, at.to_rfc3339()).unwrap();
        for k in 0..10 {
            let t = (at + chrono::Duration::minutes(k)).to_rfc3339();
            let kind = if k == 9 && i % 3 == 0 {
                r#""type":"resolved""#
            } else {
                r#""type":"note","message":"checked dashboards, error rate 3.1%""#
            };
            writeln!(
                evs,
                r#"{{"incident_id":"{id}","at":"{t}","by":"gen",{kind}}}"#
            )
            .unwrap();
        }
    }
    std::fs::write(root.join("incidents/incidents.jsonl"), recs).unwrap();
    std::fs::write(root.join("incidents/events.jsonl"), evs).unwrap();
}

/// A year of shifts (two a day) holding `n` journal entries in all.
pub fn large_journal(root: &Path, n: usize) {
    use std::fmt::Write as _;
    let dir = root.join("journal");
    std::fs::create_dir_all(&dir).unwrap();
    let shifts = 730;
    let per = n / shifts;
    let start = chrono::DateTime::parse_from_rfc3339("2025-05-14T07:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    for k in 0..shifts {
        let begin = start + chrono::Duration::hours(12 * k as i64);
        let who = ["ana.lima", "bo", "cy"][k % 3];
        let id = format!("{}-{who}", begin.format("%Y%m%d-%H%M"));
        let mut body = String::new();
        writeln!(
            body,
            r#"{{"at":"{}","shift":"{id}","operator":"{who}","kind":"shift_start"}}"#,
            begin.to_rfc3339()
        )
        .unwrap();
        for i in 0..per.saturating_sub(2) {
            let at = (begin + chrono::Duration::seconds(i as i64 * 300)).to_rfc3339();
            if i % 3 == 0 {
                writeln!(body, r#"{{"at":"{at}","shift":"{id}","operator":"{who}","kind":"incident","fields":{{"action":"acknowledged","incident_id":"inc_20260514_0241_{i:06x}","severity":"P2","title":"Gateway 5xx rate above 5%"}}}}"#).unwrap();
            } else {
                writeln!(body, r#"{{"at":"{at}","shift":"{id}","operator":"{who}","kind":"note","fields":{{"text":"checked dashboards for svc-{}, error rate {}.{}% #watch","tags":["watch"]}}}}"#, i % 37, i % 7, i % 10).unwrap();
            }
        }
        writeln!(
            body,
            r#"{{"at":"{}","shift":"{id}","operator":"{who}","kind":"shift_end"}}"#,
            (begin + chrono::Duration::hours(12)).to_rfc3339()
        )
        .unwrap();
        std::fs::write(
            dir.join(format!("{}_{id}.jsonl", begin.format("%Y-%m-%d"))),
            body,
        )
        .unwrap();
    }
}

/// `n` approval records across the five states.
pub fn large_approvals(root: &Path, n: usize) {
    use shiftdeck::domain::approval::{
        ApprovalRecord, ApprovalState, ChangePlan, Decision, Risk, Target, Transition,
    };
    let base = chrono::DateTime::parse_from_rfc3339("2026-05-14T03:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let risks = [Risk::Critical, Risk::High, Risk::Medium, Risk::Low];
    for i in 0..n {
        let at = base - chrono::Duration::hours(i as i64);
        let mut r = ApprovalRecord {
            id: format!("approval-{i:05}"),
            title: format!("Staged NetBox batch apply for device {i}"),
            state: ApprovalState::Proposed,
            risk: risks[i % 4],
            requested_by: "rafael.ops".into(),
            created_at: at,
            target: Target {
                kind: "device".into(),
                name: format!("4WNET-MNS-{i:04}"),
            },
            change: ChangePlan {
                summary: "create 14 interfaces as one all-or-none batch".into(),
                plan: "batch-apply-plan.json".into(),
            },
            evidence: vec!["reports/final-validation-report.json".into()],
            history: vec![Transition {
                from: None,
                to: ApprovalState::Proposed,
                by: "rafael.ops".into(),
                at,
                reason: "dry-run ok".into(),
            }],
        };
        let steps: &[Decision] = match i % 5 {
            0 => &[],
            1 | 2 => &[Decision::Submit],
            3 => &[Decision::Submit, Decision::Approve],
            _ => &[Decision::Submit, Decision::Reject],
        };
        for d in steps {
            r = r.decided(*d, "marina", at + chrono::Duration::minutes(5), "ok");
        }
        let dir = root.join("approvals").join(r.state.as_str());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(format!("{}.json", r.id)),
            serde_json::to_vec_pretty(&r).unwrap(),
        )
        .unwrap();
    }
}

/// `n` HTTP integrations polled every second against the mock endpoints.
pub fn many_integrations(root: &Path, n: usize) {
    use std::fmt::Write as _;
    let mut cfg = String::from("operator = \"ana.lima\"\n");
    for i in 0..n {
        write!(cfg, "\n[[integrations]]\nname = \"probe-{i:03}\"\nkind = \"http\"\nmode = \"mock\"\ninterval = 1\ntimeout = 2\n").unwrap();
    }
    std::fs::create_dir_all(root).unwrap();
    std::fs::write(root.join("shiftdeck.toml"), cfg).unwrap();
}

pub fn cpu_over(s: &Session, span: Duration) -> (f64, u64) {
    let pid = s.child.process_id().unwrap();
    let (c0, _) = proc_stat(pid);
    std::thread::sleep(span);
    let (c1, hwm) = proc_stat(pid);
    ((c1 - c0) / span.as_secs_f64() * 100.0, hwm)
}

pub fn time_command(args: &[&str], ws: &Path, runs: usize) -> f64 {
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let out = std::process::Command::new(super::BIN)
            .arg("--workspace")
            .arg(ws)
            .args(args)
            .env("USER", "ana.lima")
            .env("SHIFTDECK_CONFIG_DIR", ws.join("no-config"))
            .output()
            .unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    median(times)
}

/// Leave the app whatever overlay is up (the demo's handover appears just
/// after the first frame).
pub fn quit(s: &mut Session) {
    for _ in 0..10 {
        s.keys("\x1b");
        s.keys("q");
        let t = Instant::now();
        while t.elapsed() < Duration::from_millis(500) {
            if s.child.try_wait().unwrap().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    panic!("the app did not quit");
}

pub fn first_frame(args: &[&str], cfg: &Path, needle: &str, runs: usize) -> f64 {
    first_frame_env(args, cfg, needle, runs, &[])
}

/// As `first_frame`, with variables of its own (a team store's URL).
pub fn first_frame_env(
    args: &[&str],
    cfg: &Path,
    needle: &str,
    runs: usize,
    vars: &[(&str, &str)],
) -> f64 {
    let mut times = Vec::new();
    for _ in 0..runs {
        let mut s = Session::start_env(args, cfg, 120, 40, vars);
        // Looked at every millisecond: `wait_for`'s 20 ms steps would
        // round a 16 ms frame up to 21 ms or 41 ms.
        while !s.screen().contains(needle) {
            assert!(
                s.started.elapsed() < super::PATIENCE * 4,
                "never saw {needle:?}"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        times.push(s.started.elapsed().as_secs_f64() * 1000.0);
        quit(&mut s);
    }
    median(times)
}

pub fn idle(s: &Session, quiet: Duration) {
    // Wait until nothing has been written for `quiet`.
    let mut last = s.raw().len();
    let mut since = Instant::now();
    while since.elapsed() < quiet {
        std::thread::sleep(Duration::from_millis(20));
        let now = s.raw().len();
        if now != last {
            last = now;
            since = Instant::now();
        }
    }
}

pub fn bytes_per_move(args: &[&str], cfg: &Path, cols: u16, rows: u16) -> f64 {
    let mut s = Session::start_sized(args, cfg, cols, rows);
    // The demo's previous handover may cover the list a moment after the
    // first frame: wait for the app, let the overlay come, dismiss it.
    s.wait_for("approvals");
    std::thread::sleep(Duration::from_millis(700));
    s.keys("\x1b");
    s.wait_for("RESPOND");
    let mut sizes = Vec::new();
    for i in 0..9 {
        idle(&s, Duration::from_millis(150));
        let before = s.raw().len();
        s.keys(if i % 2 == 0 { "j" } else { "k" });
        idle(&s, Duration::from_millis(150));
        sizes.push((s.raw().len() - before) as f64);
    }
    quit(&mut s);
    median(sizes)
}

pub fn proc_stat(pid: u32) -> (f64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (ticks / 100.0, hwm)
}
