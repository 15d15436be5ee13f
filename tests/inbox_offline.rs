//! The inbox against the project's stateful stand-ins of PagerDuty and
//! Opsgenie on 127.0.0.1: every page listed, Opsgenie's asynchronous
//! requests followed up, and the offline queue through the real binary
//! (vendor down → action queued → new process → vendor up → sent once).

mod common;

use common::run;

use common::http::{free_port, serve_on};
use shiftdeck::domain::IncidentStatus;
use shiftdeck::domain::outbox::{Outcome, Queued, RemoteAction};
use shiftdeck::domain::remote::Vendor;
use shiftdeck::integrations::inbox::sync::flush;
use shiftdeck::integrations::inbox::{SourceClient, SourceConfig};
use shiftdeck::integrations::mock::Mocks;
use shiftdeck::integrations::probes::ProbeContext;
use shiftdeck::integrations::setup::Mode;
use shiftdeck::store::remote::OutboxStore;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

async fn mocks() -> (Mocks, String) {
    let m = Mocks::new(Default::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(m.clone().serve(listener));
    (m, base)
}

fn client(kind: &str, mock_base: &str) -> SourceClient {
    let text = match kind {
        "pagerduty" => {
            "name = \"pd-oncall\"\nkind = \"pagerduty\"\nmode = \"mock\"\ntoken_env = \"SHIFTDECK_TEST_UNSET\"\nfrom = \"ana@credguard.example\"\ntimeout = 3\n"
        }
        _ => {
            "name = \"og-platform\"\nkind = \"opsgenie\"\nmode = \"mock\"\napi_key_env = \"SHIFTDECK_TEST_UNSET\"\ntimeout = 3\n"
        }
    };
    let cfg: SourceConfig = toml::from_str(text).unwrap();
    let http = shiftdeck::integrations::http_client(Duration::from_secs(5)).unwrap();
    let ctx = ProbeContext {
        mode: Mode::Mock,
        mock_base: mock_base.to_string(),
    };
    SourceClient::new(cfg, http, &ctx, "ana.lima")
}

#[tokio::test]
async fn every_page_is_listed_from_both_vendors() {
    let (m, base) = mocks().await;
    m.seed_pagerduty(250);
    m.seed_opsgenie(245);
    let pd = client("pagerduty", &base).list().await.unwrap();
    assert_eq!(
        (pd.incidents.len(), pd.pages, pd.truncated),
        (250, 3, false)
    );
    let og = client("opsgenie", &base).list().await.unwrap();
    assert_eq!(
        (og.incidents.len(), og.pages, og.truncated),
        (245, 3, false)
    );
    let mut ids: Vec<&str> = og.incidents.iter().map(|i| i.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 245, "no alert twice, none missed");
    let lists: Vec<_> = m
        .requests_detailed()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == "/opsgenie/v2/alerts")
        .collect();
    assert_eq!(lists.len(), 3);
    assert!(
        lists[0].query.contains("query=status%3Aopen"),
        "{}",
        lists[0].query
    );
    assert!(lists.iter().all(|r| {
        r.headers
            .iter()
            .any(|(k, v)| k == "authorization" && v == "GenieKey mock-credential")
    }));
}

#[tokio::test]
async fn opsgenie_actions_are_followed_up_until_processed() {
    let (m, base) = mocks().await;
    // Opsgenie has not processed a request the first two times it is asked.
    m.set_opsgenie_pending_polls(2);
    let c = client("opsgenie", &base);
    let open = c
        .list()
        .await
        .unwrap()
        .incidents
        .into_iter()
        .find(|i| i.status == IncidentStatus::Open)
        .expect("an open, unacknowledged alert in the seed");
    let dir = tempfile::tempdir().unwrap();
    let store = OutboxStore::new(dir.path());
    let q = |id: &str, action| Queued {
        id: id.into(),
        at: chrono::Utc::now(),
        source: "og-platform".into(),
        vendor: Vendor::Opsgenie,
        incident: open.id.clone(),
        remote_id: open.remote_id.clone(),
        title: open.title.clone(),
        action,
        message: "on it".into(),
        by: "ana.lima".into(),
        until: None,
        target: String::new(),
        labels: Default::default(),
    };
    store
        .queue(&q("a1111111aaaa", RemoteAction::Acknowledge))
        .unwrap();
    let f = flush(&c, &store).await;
    assert_eq!(f.finished.len(), 1, "{f:?}");
    assert_eq!(f.finished[0].outcome, Outcome::Sent);
    assert!(
        f.finished[0].detail.contains("acknowledged"),
        "{}",
        f.finished[0].detail
    );
    let after = c.get(&open.remote_id).await.unwrap();
    assert_eq!(after.status, IncidentStatus::Acknowledged);
    assert_eq!(after.acknowledged.unwrap().1, "ana.lima");

    let reqs = m.requests_detailed();
    let post = reqs
        .iter()
        .find(|r| r.method == "POST" && r.path.ends_with("/acknowledge"))
        .unwrap();
    assert!(post.query.contains("identifierType=id"));
    let body: serde_json::Value = serde_json::from_str(&post.body).unwrap();
    assert_eq!(body["user"], "ana.lima");
    assert_eq!(body["source"], "shiftdeck");
    assert_eq!(body["note"], "on it — ana.lima via shiftdeck");
    let status_reads = reqs
        .iter()
        .filter(|r| r.path.starts_with("/opsgenie/v2/alerts/requests/"))
        .count();
    assert_eq!(
        status_reads, 3,
        "asked until processed: 404, 404, then the answer"
    );

    // Close it: the same path, Opsgenie's verb.
    m.set_opsgenie_pending_polls(0);
    store
        .queue(&q("b2222222bbbb", RemoteAction::Resolve))
        .unwrap();
    let f = flush(&c, &store).await;
    assert_eq!(f.finished[0].outcome, Outcome::Sent, "{f:?}");
    assert_eq!(
        c.get(&open.remote_id).await.unwrap().status,
        IncidentStatus::Resolved
    );
    assert!(
        !c.list()
            .await
            .unwrap()
            .incidents
            .iter()
            .any(|i| i.remote_id == open.remote_id),
        "closed alerts leave the open list"
    );
}

fn cmd(ws: &Path) -> Command {
    common::cli(ws)
}

/// A workspace whose one source is PagerDuty's stand-in on `port`.
fn pd_workspace(ws: &Path, port: u16) {
    std::fs::write(
        ws.join("shiftdeck.toml"),
        format!(
            "operator = \"ana.lima\"\n[[incident_sources]]\nname = \"pd-oncall\"\nkind = \"pagerduty\"\nbase_url = \"http://127.0.0.1:{port}/pagerduty\"\nmode = \"mock\"\nfrom = \"ana@credguard.example\"\ntimeout = 2\n"
        ),
    )
    .unwrap();
}

/// The stand-in's first triggered incident: its PagerDuty id and "PD-<number>".
fn triggered(m: &Mocks) -> (String, String) {
    let i = m
        .pagerduty_incidents()
        .into_iter()
        .find(|i| i["status"] == "triggered")
        .unwrap();
    (
        i["id"].as_str().unwrap().to_string(),
        format!("PD-{}", i["incident_number"]),
    )
}

fn puts_to(m: &Mocks, remote_id: &str) -> usize {
    m.requests_detailed()
        .iter()
        .filter(|r| r.method == "PUT" && r.path == format!("/pagerduty/incidents/{remote_id}"))
        .count()
}

#[test]
fn an_action_taken_offline_is_sent_once_when_the_vendor_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let port = free_port();
    pd_workspace(ws, port);

    // Up: the list is read (and kept).
    let (rt, m) = serve_on(port);
    let (remote_id, id) = triggered(&m);
    let (code, out, err) = run(cmd(ws).args(["incidents", "list", "--source", "pagerduty"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&id), "{out}");
    drop(rt);

    // Down: `probe --once` (cron's check) names the source and why.
    let (code, out, _) = run(cmd(ws).args(["probe", "--once"]));
    assert_eq!(code, 9, "{out}");
    assert!(
        out.contains("pd-oncall") && out.contains("pagerduty inbox"),
        "{out}"
    );
    assert!(out.contains("connection refused"), "{out}");

    // Down: the acknowledgement is queued on disk, and the command says so.
    let (code, _, err) = run(cmd(ws).args(["incidents", "ack", &id, "--message", "looking"]));
    assert_eq!(code, 10, "exit 10 means queued: {err}");
    assert!(err.contains("queued: ack"), "{err}");
    assert!(err.contains("connection refused"), "{err}");
    let (code, out, err) = run(cmd(ws).args(["incidents", "list", "--source", "pagerduty"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("[note queued") && out.contains(", ack queued"),
        "the list shows both waiting, the words first: {out}"
    );
    assert!(err.contains("showing the list saved"), "{err}");
    let (code, _, _) = run(cmd(ws).args(["incidents", "sync"]));
    assert_eq!(code, 10, "still down: still waiting");

    // Back, in a new process: sent once, and only once however often synced.
    let (_rt, m) = serve_on(port);
    let (code, out, err) = run(cmd(ws).args(["incidents", "sync"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("acknowledged {id} at PagerDuty")),
        "{out}"
    );
    assert_eq!(puts_to(&m, &remote_id), 1);
    let (code, _, _) = run(cmd(ws).args(["incidents", "sync"]));
    assert_eq!(code, 0);
    assert_eq!(puts_to(&m, &remote_id), 1, "never sent twice");
    let put = m
        .requests_detailed()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    assert!(
        put.headers
            .iter()
            .any(|(k, v)| k == "from" && v == "ana@credguard.example")
    );
    let live = m
        .pagerduty_incidents()
        .into_iter()
        .find(|i| i["id"] == remote_id.as_str())
        .unwrap();
    assert_eq!(live["status"], "acknowledged");
    // PagerDuty's acknowledge carries no words: `--message` went first, as a
    // note of its own, once.
    let notes: Vec<_> = m
        .requests_detailed()
        .into_iter()
        .filter(|r| {
            r.method == "POST" && r.path == format!("/pagerduty/incidents/{remote_id}/notes")
        })
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].body.contains("looking"), "{}", notes[0].body);
    assert!(
        notes[0].body.contains("ana.lima via shiftdeck (ref "),
        "{}",
        notes[0].body
    );

    // The journal has both: queued, then acknowledged at PagerDuty.
    let (_, out, _) = run(cmd(ws).args(["journal", "show"]));
    let queued_at = out
        .find(&format!("ack queued for PagerDuty {id}"))
        .expect(&out);
    let sent_at = out
        .find(&format!("acknowledged at PagerDuty {id}"))
        .expect(&out);
    assert!(queued_at < sent_at, "{out}");
}

#[test]
fn an_action_queued_offline_is_not_sent_when_someone_resolved_the_incident() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let port = free_port();
    pd_workspace(ws, port);
    let (rt, m) = serve_on(port);
    let (remote_id, id) = triggered(&m);
    assert_eq!(run(cmd(ws).args(["incidents", "list"])).0, 0);
    drop(rt);
    assert_eq!(run(cmd(ws).args(["incidents", "ack", &id])).0, 10);

    // Back, but a colleague resolved it in the meantime.
    let (rt, m) = serve_on(port);
    let resolved = rt.block_on(async {
        shiftdeck::integrations::http_client(Duration::from_secs(5))
            .unwrap()
            .put(format!("http://127.0.0.1:{port}/pagerduty/incidents/{remote_id}"))
            .header("Authorization", "Token token=x")
            .header("From", "carla@credguard.example")
            .json(&serde_json::json!({"incident": {"type": "incident_reference", "status": "resolved"}}))
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(resolved, 200);
    let (code, out, _) = run(cmd(ws).args(["incidents", "sync"]));
    assert_eq!(code, 0, "nothing waits any more");
    assert!(out.contains("not sent"), "{out}");
    assert!(
        out.contains("already resolved at PagerDuty by carla@credguard.example"),
        "{out}"
    );
    assert_eq!(puts_to(&m, &remote_id), 1, "only the colleague's resolve");
}

#[test]
fn the_cli_lists_shows_and_refuses_like_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let port = free_port();
    std::fs::write(
        ws.join("shiftdeck.toml"),
        format!(
            "operator = \"ana.lima\"\n[[incident_sources]]\nname = \"pd-oncall\"\nkind = \"pagerduty\"\nbase_url = \"http://127.0.0.1:{port}/pagerduty\"\nmode = \"mock\"\nfrom = \"ana@credguard.example\"\n\n[[incident_sources]]\nname = \"og-platform\"\nkind = \"opsgenie\"\nbase_url = \"http://127.0.0.1:{port}/opsgenie\"\nmode = \"mock\"\nweb_url = \"https://credguard.app.opsgenie.com\"\n"
        ),
    )
    .unwrap();
    let (_rt, m) = serve_on(port);
    let open_alerts = m
        .opsgenie_alerts()
        .iter()
        .filter(|a| a["status"] == "open")
        .count();

    let (code, out, err) =
        run(cmd(ws).args(["incidents", "list", "--source", "opsgenie", "--json"]));
    assert_eq!(code, 0, "{err}");
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(list.len(), open_alerts);
    assert!(list.iter().all(|i| i["remote"]["vendor"] == "opsgenie"));
    assert!(
        list.iter()
            .all(|i| i["id"].as_str().unwrap().starts_with("OG-"))
    );
    let p1 = list.iter().find(|i| i["severity"] == "P1").unwrap();
    assert!(
        p1["remote"]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://credguard.app.opsgenie.com/alert/detail/")
    );

    let (code, out, _) = run(cmd(ws).args(["incidents", "list", "--source", "local"]));
    assert_eq!(code, 0);
    assert!(out.contains("no active incidents"), "{out}");
    let (code, _, err) = run(cmd(ws).args(["incidents", "list", "--source", "victorops"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pagerduty, opsgenie"), "{err}");

    let (code, out, _) = run(cmd(ws).args(["probe", "--once", "--json"]));
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["green"], true);
    assert_eq!(v["integrations"].as_array().unwrap().len(), 2);

    let (code, out, _) = run(cmd(ws).args(["incidents", "show", "PD-4218"]));
    assert_eq!(code, 0);
    assert!(out.contains("PagerDuty #4218 (source pd-oncall"), "{out}");
    assert!(
        out.contains("link     https://credguard.pagerduty.com/incidents/"),
        "{out}"
    );

    // The handover counts them among the open incidents.
    assert_eq!(run(cmd(ws).args(["journal", "add", "night shift"])).0, 0);
    let (code, out, err) = run(cmd(ws).args(["handover", "--markdown"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("`PD-4218`") && out.contains("`OG-1044`"),
        "{out}"
    );

    // Escalating a PagerDuty incident moves it to the next level of its
    // escalation policy there.
    let (code, out, err) = run(cmd(ws).args(["incidents", "escalate", "PD-4218"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("escalated PD-4218 at PagerDuty"), "{out}");
    let pd = m
        .pagerduty_incidents()
        .into_iter()
        .find(|i| i["incident_number"] == 4218)
        .unwrap();
    assert_eq!(pd["escalation_level"], 2, "{pd}");
    assert_eq!(pd["status"], "triggered");
    let acked = m
        .pagerduty_incidents()
        .into_iter()
        .find(|i| i["status"] == "acknowledged")
        .unwrap();
    let id = format!("PD-{}", acked["incident_number"]);
    let (code, _, err) = run(cmd(ws).args(["incidents", "ack", &id]));
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("already acknowledged by"), "{err}");
    let puts = |m: &shiftdeck::integrations::mock::Mocks| {
        m.requests_detailed()
            .iter()
            .filter(|r| r.method == "PUT")
            .count()
    };
    assert_eq!(
        puts(&m),
        1,
        "only the escalation: the ack was refused before anything was queued or sent"
    );
    assert!(
        !ws.join("incidents/outbox.jsonl").exists()
            || !std::fs::read_to_string(ws.join("incidents/outbox.jsonl"))
                .unwrap()
                .contains(&id)
    );

    let (code, out, err) =
        run(cmd(ws).args(["incidents", "note", "1044", "restarted the consumers"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("noted OG-1044 at Opsgenie"), "{out}");
    let post = m
        .requests_detailed()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.ends_with("/notes"))
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&post.body).unwrap();
    assert!(
        body["note"]
            .as_str()
            .unwrap()
            .starts_with("restarted the consumers\n\n— ana.lima via shiftdeck (ref "),
        "{body}"
    );
}

#[test]
fn a_pagerduty_incident_resolved_from_the_cli_can_still_be_shown() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    let port = free_port();
    pd_workspace(ws, port);
    let (_rt, m) = serve_on(port);
    let (_, id) = triggered(&m);
    let (code, _, err) =
        run(cmd(ws).args(["incidents", "resolve", &id, "--message", "rolled back"]));
    assert_eq!(code, 0, "{err}");
    // No open list has it now; the vendor still does.
    let (code, out, err) = run(cmd(ws).args(["incidents", "show", &id]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("[resolved]"), "{out}");
    assert!(out.contains(&format!("id       {id}")), "{out}");
    let (code, out, _) = run(cmd(ws).args(["incidents", "show", &id, "--json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["status"], "resolved");
    // One never acted on here is still not found.
    let (code, _, _) = run(cmd(ws).args(["incidents", "show", "PD-99999"]));
    assert_eq!(code, 3);
}
