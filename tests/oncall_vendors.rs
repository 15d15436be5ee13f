//! Who is on call, read from scripted PagerDuty and Opsgenie answers on
//! 127.0.0.1: the documented requests, paging, permanent on-calls, and a
//! refusal that costs only its source (the rota still answers).

mod common;

use chrono::{TimeZone, Utc};
use common::http::serve_script;
use common::vendor::{OG, PD, client, ok};

fn oncall(who: &str, email: &str, level: u32, start: &str, end: &str) -> String {
    let (start, end) = if start.is_empty() {
        ("null".to_string(), "null".to_string())
    } else {
        (format!("\"{start}\""), format!("\"{end}\""))
    };
    format!(
        r#"{{"escalation_policy":{{"id":"PEP1","type":"escalation_policy_reference","summary":"CredGuard on-call"}},"escalation_level":{level},"schedule":{{"id":"PSCH1","type":"schedule_reference","summary":"Primary"}},"user":{{"id":"PU1","type":"user","summary":"{who}","name":"{who}","email":"{email}"}},"start":{start},"end":{end}}}"#
    )
}

#[tokio::test]
async fn pagerduty_on_calls_are_paged_and_a_permanent_on_call_covers_any_time() {
    let first = format!(
        r#"{{"oncalls":[{}],"limit":1,"offset":0,"more":true}}"#,
        oncall(
            "Ana Lima",
            "ana.lima@credguard.example",
            1,
            "2026-12-01T07:00:00Z",
            "2026-12-01T19:00:00Z"
        )
    );
    let second = format!(
        r#"{{"oncalls":[{}],"limit":1,"offset":1,"more":false}}"#,
        oncall("Rafael Souza", "rafael@credguard.example", 2, "", "")
    );
    let server = serve_script(vec![ok(first), ok(second)]);
    let c = client(&format!("{PD}\nschedules = [\"PSCH1\"]"), &server.url);
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
    let entries = c.on_call(now, 36).await.unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(
        entries[0].email.as_deref(),
        Some("ana.lima@credguard.example")
    );
    assert_eq!(entries[1].level, Some(2));
    assert!(entries[1].start.is_none() && entries[1].covers(now + chrono::Duration::days(400)));
    let reqs = server.requests.lock().unwrap().clone();
    assert_eq!(reqs.len(), 2);
    assert!(reqs[0].path.starts_with("/oncalls?"), "{}", reqs[0].path);
    for part in [
        "since=2026-12-01T10%3A00%3A00Z",
        "until=2026-12-02T22%3A00%3A00Z",
        "include%5B%5D=users",
        "schedule_ids%5B%5D=PSCH1",
        "offset=0",
    ] {
        assert!(reqs[0].path.contains(part), "{part} in {}", reqs[0].path);
    }
    assert!(reqs[1].path.contains("offset=1"), "{}", reqs[1].path);
    assert_eq!(
        reqs[0].header("authorization"),
        Some("Token token=mock-credential")
    );
}

#[tokio::test]
async fn opsgenie_reads_each_schedule_timeline_and_only_people_count() {
    let schedules = r#"{"data":[{"id":"S1","name":"platform_schedule","enabled":true},{"id":"S2","name":"retired","enabled":false}],"took":0.01,"requestId":"r"}"#.to_string();
    let timeline = r#"{"data":{"_parent":{"id":"S1","name":"platform_schedule"},"finalTimeline":{"rotations":[{"id":"R1","name":"daily","periods":[
        {"startDate":"2026-12-01T06:00:00Z","endDate":"2026-12-02T06:00:00Z","type":"default","recipient":{"type":"user","id":"U1","name":"dmitri@credguard.example"}},
        {"startDate":"2026-12-02T06:00:00Z","endDate":"2026-12-03T06:00:00Z","type":"default","recipient":{"type":"none","id":"","name":"none"}},
        {"startDate":"2026-12-03T06:00:00Z","endDate":"2026-12-04T06:00:00Z","type":"default","recipient":{"type":"user","id":"U2","name":"ines@credguard.example"}}
    ]}]}},"took":0.02,"requestId":"r2"}"#.to_string();
    let server = serve_script(vec![ok(schedules), ok(timeline)]);
    let c = client(OG, &server.url);
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap();
    let entries = c.on_call(now, 36).await.unwrap();
    let who: Vec<&str> = entries.iter().map(|e| e.who.as_str()).collect();
    assert_eq!(who, ["dmitri@credguard.example", "ines@credguard.example"]);
    assert_eq!(entries[0].schedule, "platform_schedule");
    let reqs = server.requests.lock().unwrap().clone();
    assert_eq!(reqs.len(), 2, "a disabled schedule is not read");
    assert_eq!(reqs[0].path, "/v2/schedules");
    assert!(
        reqs[1].path.starts_with(
            "/v2/schedules/S1/timeline?identifierType=id&interval=2&intervalUnit=days"
        ),
        "{}",
        reqs[1].path
    );
    assert_eq!(
        reqs[1].header("authorization"),
        Some("GenieKey mock-credential")
    );
}

#[tokio::test]
async fn a_refused_source_is_named_and_the_rota_answers() {
    let server = serve_script(vec![(
        403,
        Vec::new(),
        r#"{"message":"You are not authorized","code":40301,"took":0.0,"requestId":"r"}"#
            .to_string(),
    )]);
    let c = client(OG, &server.url);
    let now = Utc::now();
    let dir = shiftdeck::domain::contacts::Directory {
        rota: Some(shiftdeck::domain::contacts::Rota {
            name: "noc".into(),
            members: vec!["ana.lima".into(), "bo".into()],
            start: now - chrono::Duration::hours(1),
            hours: 12,
        }),
        ..Default::default()
    };
    let roster = shiftdeck::ops::oncall::roster(&[c], &dir, now).await;
    assert_eq!(roster.errors.len(), 1);
    assert!(roster.errors[0].1.contains("403"), "{:?}", roster.errors);
    assert!(!roster.errors[0].1.contains("mock-credential"));
    assert_eq!(roster.entries[0].source, "rota");
    assert_eq!(
        roster
            .summary(now, "ana.lima", &dir, chrono_tz::UTC, false)
            .map(|s| s.starts_with("on call: you until")),
        Some(true)
    );
}
