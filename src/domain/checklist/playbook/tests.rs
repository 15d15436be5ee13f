use super::*;
use crate::domain::checklist::{Clock, Progress, Step, step_entry};
use crate::domain::{IncidentRecord, Severity};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn template() -> Checklist {
    let step = |id: &str| Step {
        id: id.into(),
        title: format!("Step {id}"),
        detail: String::new(),
        criteria: Vec::new(),
        command: None,
        timeout: 60,
        requires: Vec::new(),
        clock: Clock::default(),
    };
    Checklist {
        id: "token-leaked".into(),
        name: "Token leaked".into(),
        cadence: Cadence::Once,
        ordered: true,
        source: String::new(),
        steps: vec![step("revoke"), step("isolate")],
        clock: Clock::default(),
        playbook: Some(Playbook {
            offer: Match {
                services: vec![],
                words: vec!["leaked".into()],
                severities: vec![Severity::P1, Severity::P2],
            },
            run: None,
        }),
    }
}

fn incident(id: &str, title: &str, sev: Severity) -> Incident {
    Incident::from_record(&IncidentRecord {
        id: id.into(),
        title: title.into(),
        service: "netbox".into(),
        severity: sev,
        env: "prod".into(),
        started_at: at("2026-12-02T03:00:00Z"),
        created_by: "ana".into(),
    })
}

#[test]
fn offered_by_every_list_of_its_match() {
    let t = template();
    let leak = incident("inc_a", "NetBox write token LEAKED in CI log", Severity::P2);
    let minor = incident("inc_b", "token leaked in a test fixture", Severity::P4);
    let other = incident("inc_c", "NetBox slow", Severity::P1);
    let list = [t];
    assert_eq!(offers(&list, &[], &leak).len(), 1);
    assert!(offers(&list, &[], &minor).is_empty(), "P4 is not asked for");
    assert!(offers(&list, &[], &other).is_empty());
    let mut silent = template();
    silent.playbook = Some(Playbook::default());
    assert!(
        offers(&[silent], &[], &leak).is_empty(),
        "no match: only by name"
    );
}

#[test]
fn a_start_makes_a_run_with_its_own_progress_and_a_second_start_is_refused() {
    let t = template();
    let inc = incident("inc_a", "token leaked", Severity::P2);
    let start = start_entry(
        at("2026-12-02T03:05:00Z"),
        "s1",
        "ana",
        &t,
        "inc_a",
        Some(&inc),
    );
    let list = [t.clone()];
    let made = runs(&list, std::slice::from_ref(&start));
    assert_eq!(made.len(), 1);
    let run = &made[0];
    assert_eq!(run.id, "token-leaked@inc_a");
    assert_eq!(run.name, "Token leaked · inc_a token leaked");
    assert_eq!(run.run().unwrap().incident.as_deref(), Some("inc_a"));
    assert_eq!(run.kind(), "playbook");
    assert!(!run.is_template() && t.is_template());
    // A step of the run is its own: the template and other runs stay open.
    let done = step_entry(
        at("2026-12-02T03:06:00Z"),
        "s1",
        "ana",
        run,
        &run.steps[0],
        "done",
    );
    assert_eq!(done.field("incident_id"), Some("inc_a"));
    assert_eq!(done.field("run"), Some("inc_a"));
    let history = vec![start.clone(), done];
    let worked = worked(&list, &history);
    assert_eq!(worked.len(), 1, "the template is not worked on");
    let p = Progress::fold(
        &worked,
        &history,
        at("2026-12-03T00:00:00Z"),
        chrono_tz::UTC,
        None,
    );
    assert_eq!(p.counts(&worked[0]), (1, 2));
    assert!(
        check_start(&t, "inc_a", &worked)
            .unwrap_err()
            .contains("already started on inc_a")
    );
    assert_eq!(
        check_start(&t, "v2.4.0-rc1", &worked).unwrap(),
        "token-leaked@v2.4.0-rc1"
    );
    assert!(check_start(&t, "two words", &worked).is_err());
    assert!(
        check_start(&worked[0], "x", &worked).is_err(),
        "a run is not a template"
    );
    assert_eq!(on_incident(&worked, "inc_a").len(), 1);
    assert!(
        offers(&list, &worked, &inc).is_empty(),
        "started: no longer offered"
    );
}
