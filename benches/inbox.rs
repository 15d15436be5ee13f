//! The incident inbox on the UI thread: merging a source's fresh list into
//! a book of 10,000 local incidents (what one poll answer costs `update`),
//! and folding an outbox of 10,000 actions (read before every send).
//!
//! `cargo bench --bench inbox`

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use shiftdeck::domain::outbox::{Outbox, OutboxLine, Outcome, Queued, RemoteAction};
use shiftdeck::domain::remote::{RemoteIncident, Vendor};
use shiftdeck::domain::{IncidentBook, IncidentRecord, IncidentStatus, Severity};
use std::hint::black_box;
use std::time::Duration;

fn now() -> DateTime<Utc> {
    "2026-11-23T03:00:00Z".parse().expect("fixed time")
}

fn local_book(n: usize) -> IncidentBook {
    let records: Vec<IncidentRecord> = (0..n)
        .map(|i| IncidentRecord {
            id: format!("inc_20261123_0300_{i:06x}"),
            title: format!("checkout latency above SLO on shard {}", i % 97),
            service: "checkout".into(),
            severity: Severity::ALL[i % 4],
            env: "prod".into(),
            started_at: now() - ChronoDuration::minutes(i as i64),
            created_by: "monitor".into(),
        })
        .collect();
    IncidentBook::fold(&records, &[])
}

fn remote_list(n: usize) -> Vec<RemoteIncident> {
    (0..n)
        .map(|i| RemoteIncident {
            source: "pd-oncall".into(),
            vendor: Vendor::Pagerduty,
            remote_id: format!("Q{i:013}"),
            number: (4000 + i).to_string(),
            id: format!("PD-{}", 4000 + i),
            title: format!("credguard-api: 5xx above 5% on node {i}"),
            service: "credguard-api".into(),
            severity: Severity::ALL[i % 4],
            vendor_priority: "P2, high urgency".into(),
            status: if i % 3 == 0 {
                IncidentStatus::Acknowledged
            } else {
                IncidentStatus::Open
            },
            created_at: now() - ChronoDuration::minutes(i as i64),
            updated_at: now(),
            acknowledged: None,
            resolved: None,
            assignees: vec!["Bruno Costa".into()],
            url: Some(format!("https://acme.pagerduty.com/incidents/Q{i:013}")),
            labels: Default::default(),
            annotations: Default::default(),
            silences: Vec::new(),
            snoozed_until: None,
        })
        .collect()
}

fn merge(c: &mut Criterion) {
    let list = remote_list(1_000);
    let mut book = local_book(10_000);
    book.set_remote(
        "pd-oncall",
        list.iter().map(RemoteIncident::to_incident).collect(),
        now(),
    );
    c.bench_function("inbox_merge_1k_into_10k", |b| {
        b.iter(|| {
            let fresh = list.iter().map(RemoteIncident::to_incident).collect();
            book.set_remote("pd-oncall", fresh, now());
            black_box(book.len())
        })
    });
}

fn unchanged(c: &mut Criterion) {
    // The usual poll answer: the same list again, found equal and dropped.
    let last = remote_list(1_000);
    let fresh = remote_list(1_000);
    c.bench_function("inbox_unchanged_1k_compare", |b| {
        b.iter(|| black_box(black_box(&last) == black_box(&fresh)))
    });
}

fn fold_outbox(c: &mut Criterion) {
    let mut lines = Vec::new();
    for i in 0..10_000usize {
        let id = format!("{i:016x}");
        lines.push(OutboxLine::Queued(Queued {
            id: id.clone(),
            at: now(),
            source: "pd-oncall".into(),
            vendor: Vendor::Pagerduty,
            incident: format!("PD-{i}"),
            remote_id: format!("Q{i:013}"),
            title: "credguard-api: 5xx".into(),
            action: RemoteAction::Acknowledge,
            message: String::new(),
            by: "ana.lima".into(),
            until: None,
            target: String::new(),
            labels: Default::default(),
        }));
        lines.push(OutboxLine::Attempt {
            id: id.clone(),
            at: now(),
        });
        if i % 10 != 0 {
            lines.push(OutboxLine::Done {
                id,
                at: now(),
                outcome: Outcome::Sent,
                detail: String::new(),
            });
        }
    }
    c.bench_function("outbox_fold_10k_actions", |b| {
        b.iter(|| black_box(Outbox::fold(black_box(&lines)).pending.len()))
    });
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
    targets = merge, unchanged, fold_outbox
}
criterion_main!(benches);
