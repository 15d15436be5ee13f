//! Listing the inbox against scripted servers on 127.0.0.1 answering the
//! way PagerDuty and Opsgenie document: the exact request, every field
//! read and normalised, paging and its cap, and each auth, permission and
//! rate-limit answer read with its hint.

mod common;

use common::http::{Answer, serve_script};
use common::vendor::*;
use shiftdeck::domain::{IncidentStatus, Severity};
use shiftdeck::integrations::inbox::ErrorKind;

#[tokio::test]
async fn pagerduty_fields_are_read_and_normalised_with_the_documented_request() {
    let s = serve_script(vec![ok(page(
        &[
            pd_incident("Q0RIJJZL24RC6W", 4211, "acknowledged", Some("P1"), "high"),
            pd_incident("Q1B2C3D4E5F6G7", 4212, "triggered", None, "low"),
            pd_incident("Q9Z8Y7X6W5V4U3", 4213, "triggered", Some("P5"), "high"),
        ],
        0,
        false,
    ))]);
    let c = client(PD, &s.url);
    let l = c.list().await.unwrap();
    assert_eq!(l.incidents.len(), 3);
    let a = &l.incidents[0];
    assert_eq!(a.id, "PD-4211");
    assert_eq!(a.number, "4211");
    assert_eq!(a.remote_id, "Q0RIJJZL24RC6W");
    assert_eq!(a.severity, Severity::P1);
    assert_eq!(a.status, IncidentStatus::Acknowledged);
    assert_eq!(a.acknowledged.as_ref().unwrap().1, "Bruno Costa");
    assert_eq!(a.service, "credguard-api");
    assert_eq!(a.assignees, ["Bruno Costa"]);
    assert_eq!(
        a.url.as_deref(),
        Some("https://credguard.pagerduty.com/incidents/Q0RIJJZL24RC6W")
    );
    assert_eq!(a.vendor_priority, "P1, high urgency");
    let b = &l.incidents[1];
    assert_eq!((b.severity, b.status), (Severity::P3, IncidentStatus::Open));
    assert!(b.acknowledged.is_none());
    assert_eq!(l.incidents[2].severity, Severity::P4);

    let reqs = s.requests.lock().unwrap().clone();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "GET");
    assert!(r.path.starts_with("/incidents?"), "{}", r.path);
    for part in [
        "statuses%5B%5D=triggered",
        "statuses%5B%5D=acknowledged",
        "date_range=all",
        "limit=100",
        "offset=0",
    ] {
        assert!(r.path.contains(part), "{part} missing from {}", r.path);
    }
    assert_eq!(
        r.header("authorization"),
        Some("Token token=mock-credential")
    );
    assert_eq!(
        r.header("accept"),
        Some("application/vnd.pagerduty+json;version=2")
    );
}

#[tokio::test]
async fn pagerduty_pages_until_more_is_false() {
    let s = serve_script(vec![
        ok(page(
            &[
                pd_incident("QA", 1, "triggered", None, "high"),
                pd_incident("QB", 2, "triggered", None, "high"),
            ],
            0,
            true,
        )),
        ok(page(
            &[pd_incident("QC", 3, "acknowledged", None, "high")],
            2,
            false,
        )),
    ]);
    let l = client(PD, &s.url).list().await.unwrap();
    let ids: Vec<&str> = l.incidents.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["PD-1", "PD-2", "PD-3"]);
    assert_eq!((l.pages, l.truncated), (2, false));
    let reqs = s.requests.lock().unwrap().clone();
    assert!(reqs[0].path.contains("offset=0"));
    assert!(reqs[1].path.contains("offset=2"), "{}", reqs[1].path);
}

#[tokio::test]
async fn pagerduty_paging_stops_at_the_ten_thousand_cap() {
    let full: Vec<String> = (0..100)
        .map(|n| pd_incident(&format!("Q{n:05}"), n, "triggered", None, "high"))
        .collect();
    let s = serve_script(vec![ok(page(&full, 0, true))]);
    let l = client(PD, &s.url).list().await.unwrap();
    assert!(l.truncated);
    assert_eq!(l.pages, 100);
    for r in s.requests.lock().unwrap().iter() {
        let offset: usize = r
            .path
            .split('&')
            .find_map(|kv| kv.strip_prefix("offset="))
            .unwrap()
            .parse()
            .unwrap();
        assert!(offset + 100 <= 10_000, "asked past the cap: {}", r.path);
    }
    let o = shiftdeck::integrations::inbox::listing_outcome(&client(PD, &s.url).cfg, &l);
    assert!(o.summary.contains("cut at 10,000"), "{o:?}");
    assert!(o.hint.contains("service_ids"), "{o:?}");
}

#[tokio::test]
async fn auth_permission_and_rate_limit_answers_come_with_hints() {
    use shiftdeck::domain::health::HealthStatus;
    /// Source, answer, and what it must read as: kind, status, a hint's words, the wait.
    type Case = (
        &'static str,
        Answer,
        ErrorKind,
        HealthStatus,
        &'static str,
        Option<u64>,
    );
    let cases: Vec<Case> = vec![
        (
            PD,
            error_of(
                401,
                vec![],
                r#"{"error":{"message":"Authentication failed","code":2006}}"#,
            ),
            ErrorKind::Auth,
            HealthStatus::Down,
            "region = \"eu\"",
            None,
        ),
        (
            PD,
            error_of(
                403,
                vec![],
                r#"{"error":{"message":"Access Denied","code":2010}}"#,
            ),
            ErrorKind::Auth,
            HealthStatus::Down,
            "incidents.read",
            None,
        ),
        (
            PD,
            error_of(
                429,
                vec![("ratelimit-reset", "7".into())],
                r#"{"error":{"message":"Rate Limit Exceeded","code":2020}}"#,
            ),
            ErrorKind::RateLimited,
            HealthStatus::Degraded,
            "rate limited",
            Some(7),
        ),
        (
            OG,
            error_of(
                401,
                vec![],
                r#"{"message":"Could not authenticate","took":0.0,"requestId":"r"}"#,
            ),
            ErrorKind::Auth,
            HealthStatus::Down,
            "EU account",
            None,
        ),
        (
            OG,
            error_of(
                403,
                vec![],
                r#"{"message":"To perform this action, use an API key from an API integration.","code":40301,"took":0.0,"requestId":"r"}"#,
            ),
            ErrorKind::Auth,
            HealthStatus::Down,
            "API integration",
            None,
        ),
        (
            OG,
            error_of(
                429,
                vec![("X-RateLimit-Period-In-Sec", "3".into())],
                r#"{"message":"Request throttled","took":0.0,"requestId":"r"}"#,
            ),
            ErrorKind::RateLimited,
            HealthStatus::Degraded,
            "rate limited",
            Some(3),
        ),
    ];
    for (src, answer, kind, status, hint, wait) in cases {
        let code = answer.0;
        let s = serve_script(vec![answer]);
        let e = client(src, &s.url).list().await.unwrap_err();
        assert_eq!(e.kind, kind, "{src} {code}: {e:?}");
        assert_eq!(e.outcome.status, status, "{src} {code}: {e:?}");
        assert!(
            e.outcome.hint.contains(hint),
            "{src} {code}: {:?}",
            e.outcome.hint
        );
        assert_eq!(e.outcome.retry_after, wait, "{src} {code}");
        assert!(!e.message().contains(&s.url), "no URL in messages");
        assert!(e.retry_later(), "{src} {code}: the action must stay queued");
    }
}
