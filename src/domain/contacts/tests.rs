use super::*;

fn dir() -> Directory {
    let person = |id: &str, role: &str, phone: Option<&str>| Person {
        id: id.into(),
        name: format!("{id} name"),
        role: role.into(),
        channels: Channels {
            phone: phone.map(str::to_string),
            email: Some(format!("{id}@credguard.example")),
            slack: Some(format!("@{id}")),
            pagerduty: None,
        },
    };
    Directory {
        people: vec![
            person("carla", "CTO", Some("+55 11 9999-9999")),
            person("marta", "Tech lead", None),
        ],
        teams: vec![Team {
            id: "dev".into(),
            name: "Development".into(),
            channels: Channels {
                slack: Some("#credguard-dev".into()),
                ..Default::default()
            },
            members: vec!["marta".into()],
        }],
        severity: [
            (Severity::P1, vec!["carla".to_string()]),
            (Severity::P4, vec![]),
        ]
        .into(),
        services: [("credguard-api".to_string(), "dev".to_string())].into(),
        ..Default::default()
    }
}

#[test]
fn a_p1_on_a_service_calls_the_severity_target_and_the_owner() {
    let d = dir();
    let e = d.escalation(Severity::P1, "credguard-api");
    assert_eq!(e.targets.len(), 1);
    assert_eq!(
        e.targets[0].line(),
        "carla name (CTO): +55 11 9999-9999 · carla@credguard.example · @carla"
    );
    assert_eq!(
        e.owner.map(|o| o.line()).as_deref(),
        Some("Development: #credguard-dev")
    );
    assert!(
        d.escalation(Severity::P4, "x").targets.is_empty(),
        "P4 is the backlog"
    );
    assert!(d.escalation(Severity::P2, "x").owner.is_none());
}

#[test]
fn the_operator_is_matched_by_id_email_or_local_part() {
    let d = dir();
    assert!(
        d.is_person("carla", "carla name"),
        "by the directory's name"
    );
    assert!(d.is_person("carla", "CARLA@credguard.example"));
    assert!(same_person("ana.lima", "ana.lima@credguard.example"));
    assert!(!same_person("ana", "ana.lima@credguard.example"));
    assert!(!same_person("", ""));
    assert_eq!(
        d.short_name("Someone", Some("marta@credguard.example")),
        "marta"
    );
    assert_eq!(d.short_name("Someone", None), "Someone");
}
