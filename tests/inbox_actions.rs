//! Actions on PagerDuty incidents against scripted servers on 127.0.0.1:
//! the documented headers and bodies, and the outbox's promises — a rate
//! limit keeps an action queued and it is later sent once, nothing goes to
//! an incident someone else resolved, a note that got through before a
//! crash is not sent again, and no From email means nothing is sent.

mod common;

use common::http::serve_script;
use common::vendor::*;
use shiftdeck::domain::outbox::{OutboxLine, Outcome, RemoteAction};
use shiftdeck::domain::remote::Vendor;
use shiftdeck::integrations::inbox::sync::flush;
use shiftdeck::store::remote::OutboxStore;

#[tokio::test]
async fn pagerduty_ack_note_and_resolve_carry_the_documented_headers_and_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let store = OutboxStore::new(dir.path());
    let triggered = pd_4211("triggered");
    let s = serve_script(vec![ok(triggered)]);
    let c = client(PD, &s.url);
    queue_ack(&store);
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
    let triggered = pd_4211("triggered");
    let limited = serve_script(vec![
        ok(triggered.clone()),
        error_of(
            429,
            vec![("ratelimit-reset", "2".into())],
            r#"{"error":{"message":"Rate Limit Exceeded","code":2020}}"#,
        ),
    ]);
    queue_ack(&store);
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
    let resolved = pd_4211("resolved");
    let s = serve_script(vec![ok(resolved)]);
    queue_ack(&store);
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
    let triggered = pd_4211("triggered");
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
    let triggered = pd_4211("triggered");
    let s = serve_script(vec![ok(triggered)]);
    let no_from = "name = \"pd-oncall\"\nkind = \"pagerduty\"\nmode = \"mock\"";
    queue_ack(&store);
    let f = flush(&client(no_from, &s.url), &store).await;
    assert!(f.finished.is_empty());
    assert!(f.blocked.as_deref().unwrap().contains("from = "), "{f:?}");
    assert_eq!(store.read().unwrap().0.pending.len(), 1);
    assert!(
        s.requests.lock().unwrap().iter().all(|r| r.method == "GET"),
        "nothing was sent without From"
    );
}

#[tokio::test]
async fn only_the_vendors_own_not_found_drops_an_action() {
    let dir = tempfile::tempdir().unwrap();
    let store = OutboxStore::new(dir.path());
    queue_ack(&store);
    // A proxy's 404 (a wrong base_url): the action waits.
    let proxy = serve_script(vec![(404, Vec::new(), "<html>Not Found</html>".into())]);
    let f = flush(&client(PD, &proxy.url), &store).await;
    assert!(f.finished.is_empty(), "{f:?}");
    assert!(f.blocked.is_some());
    assert_eq!(store.read().unwrap().0.pending.len(), 1);
    // PagerDuty's own "no such incident": not sent, and the operator told.
    let gone = serve_script(vec![(
        404,
        Vec::new(),
        r#"{"error":{"message":"Not Found","code":2100}}"#.into(),
    )]);
    let f = flush(&client(PD, &gone.url), &store).await;
    assert_eq!(f.finished.len(), 1);
    assert_eq!(f.finished[0].outcome, Outcome::Dropped);
    assert!(
        f.finished[0]
            .detail
            .contains("PD-4211 no longer exists at PagerDuty"),
        "{}",
        f.finished[0].detail
    );
}
