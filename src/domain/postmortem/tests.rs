use super::*;
use crate::domain::{IncidentEvent, IncidentRecord, Severity};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn incident() -> Incident {
    let mut inc = Incident::from_record(&IncidentRecord {
        id: "inc_20261202_0300_abc123".into(),
        title: "HEC token disabled".into(),
        service: "splunk-hec".into(),
        severity: Severity::P2,
        env: "prod".into(),
        started_at: at("2026-12-02T03:00:00Z"),
        created_by: "ana".into(),
    });
    let ev = |t: &str, by: &str, change| IncidentEvent {
        incident_id: inc.id.clone(),
        at: at(t),
        by: by.into(),
        change,
    };
    let events = [
        ev(
            "2026-12-02T04:10:00Z",
            "bo",
            IncidentChange::Acknowledged {
                message: String::new(),
            },
        ),
        ev(
            "2026-12-02T04:20:00Z",
            "bo",
            IncidentChange::Escalated {
                to: Severity::P1,
                message: "InfoSec disabled it".into(),
            },
        ),
        ev(
            "2026-12-02T04:30:00Z",
            "bo",
            IncidentChange::Followup {
                message: "announce HEC disables in #ops".into(),
                followup: "fu-000001".into(),
                owner: "cy".into(),
                due: Some(at("2026-12-09T04:30:00Z")),
            },
        ),
        ev(
            "2026-12-02T05:00:00Z",
            "bo",
            IncidentChange::Resolved {
                message: "token re-enabled".into(),
            },
        ),
    ];
    for e in &events {
        inc.apply(e);
    }
    inc
}

#[test]
fn the_draft_says_what_the_files_know_and_keeps_what_people_wrote() {
    let inc = incident();
    let now = at("2026-12-02T06:00:00Z");
    let md = draft(&inc, &[], now, chrono_tz::UTC, &[]);
    for want in [
        "# Post-mortem: inc_20261202_0300_abc123 — HEC token disabled",
        "- impact window: 2026-12-02 03:00 → 2026-12-02 05:00 (2h 00m)",
        "- time to acknowledge: 1h 10m by bo (target 1h 00m: missed)",
        "- acknowledged 10m after the response deadline",
        "- escalated to P1 at 2026-12-02 04:20 by bo",
        "- 2026-12-02 04:20 **escalate** by bo: to P1: InfoSec disabled it",
        "- `fu-000001` announce HEC disables in #ops — cy, due 2026-12-09 04:30 · due in 6d 22h",
        "- time to resolve: 2h 00m by bo",
        "## Causes\n\n_To be written._",
    ] {
        assert!(md.contains(want), "{want:?} not in:\n{md}");
    }
    // The operator writes the causes; the next draft keeps them.
    let written = md.replace(
        "## Causes\n\n_To be written._",
        "## Causes\n\nInfoSec rotated the HEC token without notice.\n\n- no #ops announcement",
    );
    // A section of their own is kept too; the generated ones are redrawn.
    let written = format!("{written}\n## Customer impact\n\n3 tenants saw a 2 h gap.\n");
    let keep = kept(&written);
    assert_eq!(keep.len(), 2, "{keep:?}");
    let again = draft(&inc, &[], now, chrono_tz::UTC, &keep);
    assert!(
        again.contains("## Causes\n\nInfoSec rotated the HEC token without notice.\n\n- no #ops announcement\n\n## What went well"),
        "{again}"
    );
    assert!(again.contains("## Lessons\n\n_To be written._"));
    assert!(
        again.ends_with("## Customer impact\n\n3 tenants saw a 2 h gap.\n"),
        "{again}"
    );
    assert_eq!(again.matches("## Timeline").count(), 1);
}
