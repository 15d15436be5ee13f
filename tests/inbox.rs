//! The incident inbox against real servers on 127.0.0.1 answering the way
//! PagerDuty and Opsgenie document: scripted answers for exact requests,
//! headers, bodies and error statuses; the project's own stateful mocks for
//! paging, Opsgenie's asynchronous requests and the offline queue.

mod common;

use common::http::{Answer, serve_script};
use shiftdeck::domain::outbox::{OutboxLine, Outcome, Queued, RemoteAction};
use shiftdeck::domain::remote::Vendor;
use shiftdeck::domain::{IncidentStatus, Severity};
use shiftdeck::integrations::inbox::sync::flush;
use shiftdeck::integrations::inbox::{ErrorKind, SourceClient, SourceConfig};
use shiftdeck::integrations::probes::ProbeContext;
use shiftdeck::integrations::setup::Mode;
use shiftdeck::store::remote::OutboxStore;
use std::time::Duration;

fn client(toml_text: &str, base: &str) -> SourceClient {
    let cfg: SourceConfig = toml::from_str(&format!(
        "{toml_text}\nbase_url = \"{base}\"\ntimeout = 3\n"
    ))
    .unwrap();
    let http = shiftdeck::integrations::http_client(Duration::from_secs(5)).unwrap();
    // Mock mode: a credential stand-in when the variable is unset.
    let ctx = ProbeContext {
        mode: Mode::Mock,
        mock_base: String::new(),
    };
    SourceClient::new(cfg, http, &ctx, "ana.lima")
}

const PD: &str = "name = \"pd-oncall\"\nkind = \"pagerduty\"\nmode = \"mock\"\ntoken_env = \"SHIFTDECK_TEST_UNSET\"\nfrom = \"ana@credguard.example\"";
const OG: &str = "name = \"og-platform\"\nkind = \"opsgenie\"\nmode = \"mock\"\napi_key_env = \"SHIFTDECK_TEST_UNSET\"";

fn pd_incident(
    id: &str,
    number: u32,
    status: &str,
    priority: Option<&str>,
    urgency: &str,
) -> String {
    let priority = match priority {
        Some(p) => format!(
            r#"{{"id":"PPRIO{p}","type":"priority_reference","summary":"{p}","self":null}}"#
        ),
        None => "null".into(),
    };
    let acks = if status == "triggered" {
        "[]".to_string()
    } else {
        r#"[{"at":"2026-11-23T02:45:00Z","acknowledger":{"id":"PU1","type":"user_reference","summary":"Bruno Costa"}}]"#.to_string()
    };
    format!(
        r#"{{"id":"{id}","type":"incident","incident_number":{number},"title":"credguard-api: 5xx above 5%","summary":"credguard-api: 5xx above 5%","status":"{status}","urgency":"{urgency}","priority":{priority},"created_at":"2026-11-23T02:40:00Z","updated_at":"2026-11-23T02:52:00Z","last_status_change_at":"2026-11-23T02:50:00Z","last_status_change_by":{{"id":"PU3","type":"user_reference","summary":"Carla Dias"}},"service":{{"id":"PSVC1","type":"service_reference","summary":"credguard-api","html_url":"https://credguard.pagerduty.com/services/PSVC1"}},"assignments":[{{"at":"2026-11-23T02:40:00Z","assignee":{{"id":"PU1","type":"user_reference","summary":"Bruno Costa"}}}}],"acknowledgements":{acks},"escalation_policy":{{"id":"PEP1","type":"escalation_policy_reference","summary":"Platform"}},"teams":[],"html_url":"https://credguard.pagerduty.com/incidents/{id}","incident_key":"k-{number}","alert_counts":{{"all":1,"triggered":0,"resolved":0}},"pending_actions":[]}}"#
    )
}

fn page(incidents: &[String], offset: usize, more: bool) -> String {
    format!(
        r#"{{"incidents":[{}],"limit":100,"offset":{offset},"more":{more},"total":null}}"#,
        incidents.join(",")
    )
}

fn ok(body: String) -> Answer {
    (200, Vec::new(), body)
}

fn queued(id: &str, vendor: Vendor, action: RemoteAction, message: &str) -> Queued {
    let (source, incident, remote_id) = match vendor {
        Vendor::Pagerduty => ("pd-oncall", "PD-4211", "Q0RIJJZL24RC6W"),
        Vendor::Opsgenie => (
            "og-platform",
            "OG-1042",
            "70413a06-38d6-4c85-92b8-5ebc900d42e2",
        ),
    };
    Queued {
        id: id.into(),
        at: chrono::Utc::now(),
        source: source.into(),
        vendor,
        incident: incident.into(),
        remote_id: remote_id.into(),
        title: "credguard-api: 5xx above 5%".into(),
        action,
        message: message.into(),
        by: "ana.lima".into(),
    }
}

fn body_json(r: &common::http::Request) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {:?}", r.body))
}

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

fn error_of(status: u16, headers: Vec<(&'static str, String)>, body: &str) -> Answer {
    (status, headers, body.to_string())
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

#[tokio::test]
async fn pagerduty_ack_note_and_resolve_carry_the_documented_headers_and_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let store = OutboxStore::new(dir.path());
    let triggered = format!(
        r#"{{"incident":{}}}"#,
        pd_incident("Q0RIJJZL24RC6W", 4211, "triggered", Some("P2"), "high")
    );
    let s = serve_script(vec![ok(triggered)]);
    let c = client(PD, &s.url);
    store
        .queue(&queued(
            "a1111111aaaa",
            Vendor::Pagerduty,
            RemoteAction::Acknowledge,
            "",
        ))
        .unwrap();
    store
        .queue(&queued(
            "b2222222bbbb",
            Vendor::Pagerduty,
            RemoteAction::Note,
            "rolled back 4.12.1",
        ))
        .unwrap();
    store
        .queue(&queued(
            "c3333333cccc",
            Vendor::Pagerduty,
            RemoteAction::Resolve,
            "fixed",
        ))
        .unwrap();
    let f = flush(&c, &store).await;
    assert!(f.blocked.is_none(), "{f:?}");
    let outcomes: Vec<Outcome> = f.finished.iter().map(|x| x.outcome).collect();
    assert_eq!(outcomes, [Outcome::Sent, Outcome::Sent, Outcome::Sent]);
    assert_eq!(f.finished[0].detail, "acknowledged PD-4211 at PagerDuty");

    let reqs = s.requests.lock().unwrap().clone();
    let shape: Vec<(String, String)> = reqs
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    let (get, put, notes) = (
        ("GET".to_string(), "/incidents/Q0RIJJZL24RC6W".to_string()),
        ("PUT".to_string(), "/incidents/Q0RIJJZL24RC6W".to_string()),
        (
            "POST".to_string(),
            "/incidents/Q0RIJJZL24RC6W/notes".to_string(),
        ),
    );
    assert_eq!(
        shape,
        [get.clone(), put.clone(), get.clone(), notes, get, put],
        "each action: the state first, then the change"
    );
    for r in &reqs {
        assert_eq!(
            r.header("authorization"),
            Some("Token token=mock-credential")
        );
        assert_eq!(
            r.header("accept"),
            Some("application/vnd.pagerduty+json;version=2")
        );
    }
    for (i, status) in [(1, "acknowledged"), (5, "resolved")] {
        assert_eq!(reqs[i].header("from"), Some("ana@credguard.example"));
        assert_eq!(
            body_json(&reqs[i]),
            serde_json::json!({"incident": {"type": "incident_reference", "status": status}})
        );
    }
    assert_eq!(reqs[3].header("from"), Some("ana@credguard.example"));
    assert_eq!(
        body_json(&reqs[3])["note"]["content"],
        "rolled back 4.12.1\n\n— ana.lima via shiftdeck (ref b2222222)"
    );
    let (ob, _) = store.read().unwrap();
    assert!(ob.pending.is_empty());
    assert_eq!(ob.finished.len(), 3);
}

#[tokio::test]
async fn a_rate_limited_action_stays_queued_and_is_sent_once_later() {
    let dir = tempfile::tempdir().unwrap();
    let store = OutboxStore::new(dir.path());
    let triggered = format!(
        r#"{{"incident":{}}}"#,
        pd_incident("Q0RIJJZL24RC6W", 4211, "triggered", Some("P2"), "high")
    );
    let limited = serve_script(vec![
        ok(triggered.clone()),
        error_of(
            429,
            vec![("ratelimit-reset", "2".into())],
            r#"{"error":{"message":"Rate Limit Exceeded","code":2020}}"#,
        ),
    ]);
    store
        .queue(&queued(
            "a1111111aaaa",
            Vendor::Pagerduty,
            RemoteAction::Acknowledge,
            "",
        ))
        .unwrap();
    let f = flush(&client(PD, &limited.url), &store).await;
    assert!(f.finished.is_empty());
    assert!(f.blocked.as_deref().unwrap().contains("429"), "{f:?}");
    let (ob, _) = store.read().unwrap();
    assert_eq!(ob.pending.len(), 1);
    assert_eq!(ob.pending[0].attempts, 1);

    // The vendor answers again: sent, once; a further flush sends nothing.
    let up = serve_script(vec![ok(triggered)]);
    let c = client(PD, &up.url);
    let f = flush(&c, &store).await;
    assert_eq!(f.finished.len(), 1);
    assert_eq!(f.finished[0].outcome, Outcome::Sent);
    let f = flush(&c, &store).await;
    assert!(f.finished.is_empty());
    let puts = up
        .requests
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.method == "PUT")
        .count();
    assert_eq!(puts, 1);
}

#[tokio::test]
async fn nothing_is_sent_to_an_incident_someone_else_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let store = OutboxStore::new(dir.path());
    let resolved = format!(
        r#"{{"incident":{}}}"#,
        pd_incident("Q0RIJJZL24RC6W", 4211, "resolved", Some("P2"), "high")
    );
    let s = serve_script(vec![ok(resolved)]);
    store
        .queue(&queued(
            "a1111111aaaa",
            Vendor::Pagerduty,
            RemoteAction::Acknowledge,
            "",
        ))
        .unwrap();
    let f = flush(&client(PD, &s.url), &store).await;
    assert_eq!(f.finished.len(), 1);
    assert_eq!(f.finished[0].outcome, Outcome::Dropped);
    assert!(
        f.finished[0]
            .detail
            .contains("PD-4211 was already resolved at PagerDuty by Carla Dias"),
        "{}",
        f.finished[0].detail
    );
    let methods: Vec<String> = s
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.method.clone())
        .collect();
    assert_eq!(methods, ["GET"], "only the state was read");
}

#[tokio::test]
async fn a_note_that_got_through_before_a_crash_is_not_sent_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = OutboxStore::new(dir.path());
    let q = queued(
        "b2222222bbbb",
        Vendor::Pagerduty,
        RemoteAction::Note,
        "rolled back",
    );
    store.queue(&q).unwrap();
    // The last process marked the attempt, sent it, and died before the outcome.
    store
        .record(&OutboxLine::Attempt {
            id: q.id.clone(),
            at: chrono::Utc::now(),
        })
        .unwrap();
    let triggered = format!(
        r#"{{"incident":{}}}"#,
        pd_incident("Q0RIJJZL24RC6W", 4211, "triggered", Some("P2"), "high")
    );
    let notes = format!(
        r#"{{"notes":[{{"id":"PN1","user":{{"summary":"ana@credguard.example"}},"content":{},"created_at":"2026-11-23T03:01:00Z"}}]}}"#,
        serde_json::to_string(&q.note_text()).unwrap()
    );
    let s = serve_script(vec![ok(triggered), ok(notes)]);
    let f = flush(&client(PD, &s.url), &store).await;
    assert_eq!(f.finished.len(), 1, "{f:?}");
    assert_eq!(f.finished[0].outcome, Outcome::AlreadyDone);
    let shape: Vec<String> = s
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        shape,
        [
            "GET /incidents/Q0RIJJZL24RC6W",
            "GET /incidents/Q0RIJJZL24RC6W/notes"
        ]
    );
}

#[tokio::test]
async fn pagerduty_without_a_from_email_keeps_the_action_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let store = OutboxStore::new(dir.path());
    let triggered = format!(
        r#"{{"incident":{}}}"#,
        pd_incident("Q0RIJJZL24RC6W", 4211, "triggered", Some("P2"), "high")
    );
    let s = serve_script(vec![ok(triggered)]);
    let no_from = "name = \"pd-oncall\"\nkind = \"pagerduty\"\nmode = \"mock\"";
    store
        .queue(&queued(
            "a1111111aaaa",
            Vendor::Pagerduty,
            RemoteAction::Acknowledge,
            "",
        ))
        .unwrap();
    let f = flush(&client(no_from, &s.url), &store).await;
    assert!(f.finished.is_empty());
    assert!(f.blocked.as_deref().unwrap().contains("from = "), "{f:?}");
    assert_eq!(store.read().unwrap().0.pending.len(), 1);
    assert!(
        s.requests.lock().unwrap().iter().all(|r| r.method == "GET"),
        "nothing was sent without From"
    );
}
