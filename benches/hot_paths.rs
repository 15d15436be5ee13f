//! Hot-path benchmarks: rendering a large incident list, folding a long
//! event log, the per-keystroke cost, settings parsing, and loading the
//! JSONL store from disk.
//!
//! All data is synthetic and uses fixed timestamps (never `Utc::now()`), so
//! runs are comparable with each other.

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shiftdeck::app::{App, Msg};
use shiftdeck::config::Config;
use shiftdeck::domain::{IncidentBook, IncidentChange, IncidentEvent, IncidentRecord, Severity};
use shiftdeck::keymap::Keymap;
use shiftdeck::store::{IncidentDelta, IncidentStore};
use shiftdeck::theme::Theme;
use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Duration;

const INCIDENTS: usize = 10_000;
const EVENTS: usize = 100_000;

const SERVICES: &[&str] = &[
    "checkout",
    "payments",
    "search",
    "auth",
    "billing",
    "notifications",
    "inventory",
];
const ENVS: &[&str] = &["prod", "staging"];
const PEOPLE: &[&str] = &["ana.lima", "bruno.costa", "carla.souza", "diego.alves"];

const CONFIG_SRC: &str = r#"# shiftdeck workspace configuration.
operator = "ana.lima"
role = "operator"
timezone = "America/Sao_Paulo"
theme = "default"
keymap = "default"

[[integrations]]
name = "datadog"
kind = "datadog"
api_key_env = "DD_API_KEY"
"#;

/// The fixed reference instant all synthetic data hangs off.
fn base_time() -> DateTime<Utc> {
    "2026-05-14T03:00:00Z"
        .parse::<DateTime<Utc>>()
        .expect("fixed timestamp parses")
}

/// The app's clock: an hour after the base, so countdowns show a mix of
/// remaining, breached and met targets.
fn app_now() -> DateTime<Utc> {
    base_time() + ChronoDuration::hours(1)
}

fn incident_id(i: usize) -> String {
    format!("inc_20260514_0300_{i:06x}")
}

fn records(n: usize) -> Vec<IncidentRecord> {
    let base = base_time();
    (0..n)
        .map(|i| IncidentRecord {
            id: incident_id(i),
            title: format!(
                "{} latency above SLO on shard {}",
                SERVICES[i % SERVICES.len()],
                i % 97
            ),
            service: SERVICES[i % SERVICES.len()].to_string(),
            severity: Severity::ALL[i % 4],
            env: ENVS[i % ENVS.len()].to_string(),
            started_at: base - ChronoDuration::minutes(i as i64),
            created_by: PEOPLE[i % PEOPLE.len()].to_string(),
        })
        .collect()
}

/// `n` events spread round-robin over `incidents` incidents: mostly notes,
/// with acknowledgements, escalations, follow-ups and some resolutions (about
/// one incident in ten ends resolved, so most stay on the default list).
fn events(incidents: usize, n: usize) -> Vec<IncidentEvent> {
    let base = base_time();
    (0..n)
        .map(|k| {
            let i = k % incidents;
            let round = k / incidents;
            let change = match (round, i % 10) {
                (1, 0..=4) => IncidentChange::Acknowledged {
                    message: "looking".into(),
                },
                (2, 5) => IncidentChange::Escalated {
                    to: Severity::ALL[i % 4].raised().unwrap_or(Severity::P1),
                    message: "spreading".into(),
                },
                (3, _) => IncidentChange::Followup {
                    message: format!("add alert for shard {}", i % 97),
                    followup: format!("fu-{:06x}", i % 0xffffff),
                    owner: "ana".into(),
                    due: None,
                },
                (8, 9) => IncidentChange::Resolved {
                    message: "rolled back".into(),
                },
                _ => IncidentChange::Note {
                    message: format!("update {round}: error rate {}%", (i + round) % 100),
                },
            };
            IncidentEvent {
                incident_id: incident_id(i),
                at: base - ChronoDuration::minutes(i as i64)
                    + ChronoDuration::seconds(30 * (round as i64 + 1)),
                by: PEOPLE[(i + round) % PEOPLE.len()].to_string(),
                change,
            }
        })
        .collect()
}

/// An app holding `n` incidents (and ten events each), sized `w`x`h`.
fn app_with_incidents(n: usize, w: u16, h: u16) -> App {
    let mut app = App::new(
        Config::defaults(),
        Keymap::default_keymap(),
        Theme::default_theme(),
        app_now(),
    );
    app.update(Msg::Resize(w, h));
    let delta = IncidentDelta {
        records: records(n),
        events: events(n, n * 10),
        issues: Vec::new(),
        reset: false,
    };
    app.update(Msg::Incidents(delta));
    assert_eq!(app.book.len(), n, "every synthetic incident is in the book");
    assert!(
        app.incidents.visible.len() > n / 2,
        "most synthetic incidents are on the list"
    );
    app
}

/// The clock's tick over 10,000 incidents: what the tick costs with the
/// countdown watch (it looks at every incident, every second).
fn clock_tick(c: &mut Criterion) {
    let mut app = app_with_incidents(INCIDENTS, 200, 50);
    app.calls.ringing = true;
    let mut now = app_now();
    c.bench_function("clock_tick_10k", |b| {
        b.iter(|| {
            now += chrono::Duration::seconds(1);
            black_box(app.update(Msg::Tick(black_box(now))));
        })
    });
}

fn terminal(w: u16, h: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(w, h)).expect("test backend terminal")
}

fn bench_render(c: &mut Criterion, name: &str, w: u16, h: u16) {
    let app = app_with_incidents(INCIDENTS, w, h);
    let mut term = terminal(w, h);
    let frame = term
        .draw(|f| {
            shiftdeck::ui::render(&app, f);
        })
        .expect("draw");
    let screen: String = frame
        .buffer
        .content()
        .iter()
        .map(|cell| cell.symbol())
        .collect();
    assert!(
        screen.contains("inc_20260514_0300_") || screen.contains("latency above SLO"),
        "the list is on screen:\n{screen}"
    );
    c.bench_function(name, |b| {
        b.iter(|| {
            let frame = term
                .draw(|f| {
                    shiftdeck::ui::render(black_box(&app), f);
                })
                .expect("draw");
            black_box(frame.area);
        })
    });
}

fn render_incidents(c: &mut Criterion) {
    bench_render(c, "render_incidents_10k_200x50", 200, 50);
    bench_render(c, "render_incidents_10k_80x24", 80, 24);
}

fn fold_events(c: &mut Criterion) {
    let recs = records(INCIDENTS);
    let evs = events(INCIDENTS, EVENTS);
    c.bench_function("fold_100k_events", |b| {
        b.iter(|| {
            let book = IncidentBook::fold(black_box(&recs), black_box(&evs));
            black_box(book.len())
        })
    });
}

fn selection_move(c: &mut Criterion) {
    let mut app = app_with_incidents(INCIDENTS, 200, 50);
    let mut term = terminal(200, 50);
    term.draw(|f| {
        shiftdeck::ui::render(&app, f);
    })
    .expect("draw");
    let last = app.incidents.visible.len().saturating_sub(1);
    let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
    c.bench_function("selection_move_10k", |b| {
        b.iter(|| {
            // Wrap back to the top before the selection pins at the bottom,
            // so every timed keystroke really moves it.
            if app.incidents.selected >= last {
                app.incidents.selected = 0;
            }
            let fx = app.update(Msg::Key(black_box(down)));
            black_box(fx);
            let frame = term
                .draw(|f| {
                    shiftdeck::ui::render(&app, f);
                })
                .expect("draw");
            black_box(frame.area);
        })
    });
}

fn load_settings(c: &mut Criterion) {
    let (_, problems) = shiftdeck::config::parse(Path::new("shiftdeck.toml"), CONFIG_SRC)
        .expect("bench config parses");
    assert!(
        problems.is_empty(),
        "bench config has no warnings: {problems:?}"
    );
    c.bench_function("load_settings/keymap_default", |b| {
        b.iter(|| black_box(shiftdeck::keymap::load(black_box("default"), None)))
    });
    c.bench_function("load_settings/theme_default", |b| {
        b.iter(|| black_box(shiftdeck::theme::resolve(black_box("default"), None, false)))
    });
    c.bench_function("load_settings/config_parse", |b| {
        b.iter(|| {
            black_box(shiftdeck::config::parse(
                Path::new("shiftdeck.toml"),
                black_box(CONFIG_SRC),
            ))
        })
    });
}

fn write_jsonl<T: serde::Serialize>(path: &Path, items: &[T]) {
    let file = std::fs::File::create(path).expect("create jsonl");
    let mut w = BufWriter::new(file);
    for item in items {
        serde_json::to_writer(&mut w, item).expect("serialise");
        w.write_all(b"\n").expect("write");
    }
    w.flush().expect("flush");
}

fn incident_store_load(c: &mut Criterion) {
    let workspace = tempfile::tempdir().expect("tempdir");
    let store = IncidentStore::new(workspace.path());
    std::fs::create_dir_all(store.records_path().parent().expect("incidents dir")).expect("mkdir");
    write_jsonl(store.records_path(), &records(INCIDENTS));
    write_jsonl(store.events_path(), &events(INCIDENTS, EVENTS));
    c.bench_function("incident_store_load_10k", |b| {
        b.iter(|| {
            let (book, issues) = IncidentStore::new(black_box(workspace.path()))
                .load()
                .expect("load");
            assert!(issues.is_empty(), "synthetic store has no bad lines");
            black_box((book.len(), issues))
        })
    });
}

/// One durable journal append (open, lock, one write, fdatasync).
fn journal_append(c: &mut Criterion) {
    use shiftdeck::domain::journal::JournalEntry;
    use shiftdeck::store::journal::JournalStore;
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = JournalStore::new(dir.path());
    let shift = journal.start_shift("ana.lima", base_time()).expect("shift");
    let entry = JournalEntry::note(
        base_time(),
        &shift.id,
        "ana.lima",
        "HEC token rotated, queue draining #watch",
        &[],
    );
    c.bench_function("journal_append_fdatasync", |b| {
        b.iter(|| journal.append(&shift, black_box(&entry)).expect("append"))
    });
}

/// `journal search` over 100,000 entries in 730 shift files.
fn journal_search(c: &mut Criterion) {
    use shiftdeck::domain::journal::{EntryKind, JournalEntry};
    use shiftdeck::store::journal::JournalStore;
    let dir = tempfile::tempdir().expect("tempdir");
    let journal_dir = dir.path().join("journal");
    std::fs::create_dir_all(&journal_dir).expect("journal dir");
    for k in 0..730i64 {
        let begin = base_time() - ChronoDuration::hours(12 * k);
        let id = format!("{}-ana.lima", begin.format("%Y%m%d-%H%M"));
        let mut entries = vec![JournalEntry::new(
            begin,
            &id,
            "ana.lima",
            EntryKind::ShiftStart,
        )];
        for i in 0..136 {
            let text = format!(
                "checked dashboards for svc-{}, error rate {}.{}% #watch",
                i % 37,
                i % 7,
                i % 10
            );
            entries.push(JournalEntry::note(
                begin + ChronoDuration::minutes(i),
                &id,
                "ana.lima",
                &text,
                &[],
            ));
        }
        write_jsonl(
            &journal_dir.join(format!("{}_{id}.jsonl", begin.format("%Y-%m-%d"))),
            &entries,
        );
    }
    let journal = JournalStore::new(dir.path());
    let words = vec!["svc-12".to_string(), "error".to_string()];
    c.bench_function("journal_search_100k", |b| {
        b.iter(|| journal.search(black_box(&words)).expect("search"))
    });
}

fn approval_records(n: usize) -> Vec<shiftdeck::domain::approval::ApprovalRecord> {
    use shiftdeck::domain::approval::{
        ApprovalRecord, ApprovalState, ChangePlan, Decision, Risk, Target, Transition,
    };
    let risks = [Risk::Critical, Risk::High, Risk::Medium, Risk::Low];
    (0..n)
        .map(|i| {
            let at = base_time() - ChronoDuration::hours(i as i64);
            let mut r = ApprovalRecord {
                id: format!("approval-{i:05}"),
                title: format!("Staged NetBox batch apply for device {i}"),
                state: ApprovalState::Proposed,
                risk: risks[i % 4],
                requested_by: PEOPLE[i % PEOPLE.len()].to_string(),
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
                r = r.decided(*d, "marina", at + ChronoDuration::minutes(5), "ok");
            }
            r
        })
        .collect()
}

/// Loading 5,000 approval records from their files.
fn approvals_load(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    for r in approval_records(5_000) {
        let path = dir.path().join("approvals").join(r.state.as_str());
        std::fs::create_dir_all(&path).expect("dir");
        std::fs::write(
            path.join(format!("{}.json", r.id)),
            serde_json::to_vec_pretty(&r).expect("json"),
        )
        .expect("write");
    }
    let store = shiftdeck::store::approvals::ApprovalStore::new(dir.path());
    c.bench_function("approvals_load_5k", |b| {
        b.iter(|| black_box(store.load().expect("load")))
    });
}

/// Rendering the Approvals pane (zoomed) with 5,000 records at 200x50.
fn approvals_render(c: &mut Criterion) {
    let mut app = app_with_incidents(10, 200, 50);
    app.update(Msg::Approvals(
        shiftdeck::store::approvals::LoadedApprovals {
            records: approval_records(5_000),
            bad: Vec::new(),
            recovered: Vec::new(),
        },
    ));
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('3'),
        KeyModifiers::NONE,
    )));
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('z'),
        KeyModifiers::NONE,
    )));
    let mut term = terminal(200, 50);
    c.bench_function("render_approvals_5k_200x50", |b| {
        b.iter(|| {
            term.draw(|f| {
                shiftdeck::ui::render(&app, f);
            })
            .expect("draw");
        })
    });
}

/// The Journal pane with 10,000 entries in the shift, the Health pane with
/// 100 integrations, the Checklists pane with the bundled checklists; each
/// zoomed at 200x50.
fn other_panes_render(c: &mut Criterion) {
    use shiftdeck::app::{ShiftInfo, ShiftOpened};
    use shiftdeck::domain::health::ProbeOutcome;
    use shiftdeck::domain::journal::JournalEntry;
    let mut config = Config::defaults();
    let toml_text: String = (0..100)
        .map(|i| {
            format!("[[integrations]]\nname = \"probe-{i:03}\"\nkind = \"http\"\nmode = \"mock\"\n")
        })
        .collect::<Vec<_>>()
        .join("\n");
    config.integrations = shiftdeck::config::parse(Path::new("shiftdeck.toml"), &toml_text)
        .expect("config")
        .0
        .integrations;
    let mut app = App::new(
        config,
        Keymap::default_keymap(),
        Theme::default_theme(),
        app_now(),
    );
    app.update(Msg::Resize(200, 50));
    let entries: Vec<JournalEntry> = (0..10_000)
        .map(|i| {
            JournalEntry::note(
                base_time() - ChronoDuration::seconds(i),
                "20260514-0300-ana",
                "ana.lima",
                &format!("checked svc-{} #watch inc_20260514_0241_7f3a9c", i % 37),
                &[],
            )
        })
        .collect();
    app.update(Msg::ShiftOpened(Box::new(ShiftOpened {
        shift: ShiftInfo {
            id: "20260514-0300-ana".into(),
            started: base_time(),
            resumed: false,
            ended: None,
        },
        entries,
        draft: None,
        earlier: vec![],
        previous: None,
    })));
    for i in 0..100 {
        for k in 0..40 {
            app.update(Msg::Probed {
                name: format!("probe-{i:03}"),
                outcome: ProbeOutcome::up("answered 200", (i * k % 97) as u64),
                at: base_time(),
            });
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    shiftdeck::store::Workspace::open_or_create(dir.path()).expect("workspace");
    let (lists, _) = shiftdeck::store::checklists::load(dir.path());
    app.update(Msg::Checklists {
        lists,
        problems: Vec::new(),
        history: Vec::new(),
    });
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('z'),
        KeyModifiers::NONE,
    )));
    let mut term = terminal(200, 50);
    for (key, name) in [
        ('5', "render_journal_10k_200x50"),
        ('4', "render_health_100_200x50"),
        ('1', "render_checklists_200x50"),
    ] {
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(key),
            KeyModifiers::NONE,
        )));
        c.bench_function(name, |b| {
            b.iter(|| {
                term.draw(|f| {
                    shiftdeck::ui::render(&app, f);
                })
                .expect("draw");
            })
        });
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = render_incidents, fold_events, selection_move, clock_tick, load_settings, incident_store_load, journal_append, journal_search, approvals_load, approvals_render, other_panes_render
}
criterion_main!(benches);
