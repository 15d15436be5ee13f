//! Handing incidents on through the real binary, against the stand-ins:
//! snooze, reassign, add a responder, escalate on PagerDuty; unacknowledge,
//! assign, responders and escalate on Opsgenie; the whole JSM source (list,
//! acknowledge with words, snooze, unacknowledge, close); and every refusal
//! naming the vendor before anything is sent.

mod common;

use common::http::{free_port, serve_on};
use common::run;
use std::path::Path;

fn workspace(ws: &Path, port: u16) {
    let base = format!("http://127.0.0.1:{port}");
    std::fs::write(
        ws.join("shiftdeck.toml"),
        format!(
            "operator = \"ana.lima\"\n\
             [[incident_sources]]\nname = \"pd-oncall\"\nkind = \"pagerduty\"\nmode = \"mock\"\nbase_url = \"{base}/pagerduty\"\nfrom = \"ana.lima@credguard.example\"\ntimeout = 3\n\
             [[incident_sources]]\nname = \"og-platform\"\nkind = \"opsgenie\"\nmode = \"mock\"\nbase_url = \"{base}/opsgenie\"\ntimeout = 3\n\
             [[incident_sources]]\nname = \"jsm-desk\"\nkind = \"jsm\"\nmode = \"mock\"\nbase_url = \"{base}/jsm/ops/api/cloud-1\"\nemail = \"ana.lima@credguard.example\"\ntimeout = 3\n"
        ),
    )
    .unwrap();
}

fn ok(ws: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(common::cli(ws).args(args));
    assert_eq!(code, 0, "{args:?}: {out}{err}");
    out
}

fn refused(ws: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(common::cli(ws).args(args));
    assert_eq!(code, 4, "{args:?}: {out}{err}");
    err
}

#[test]
fn pagerduty_incidents_are_snoozed_reassigned_and_given_responders() {
    let port = free_port();
    let (_rt, m) = serve_on(port);
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    workspace(ws, port);
    let pd = |n: i64| {
        m.pagerduty_incidents()
            .into_iter()
            .find(|i| i["incident_number"] == n)
            .unwrap()
    };
    // Snooze: acknowledged ones only, refused before anything is sent.
    let e = refused(ws, &["incidents", "snooze", "PD-4218", "--for", "30m"]);
    assert!(
        e.contains("PagerDuty snoozes acknowledged incidents only"),
        "{e}"
    );
    assert!(
        !m.requests_detailed()
            .iter()
            .any(|r| r.path.ends_with("/snooze"))
    );
    ok(ws, &["incidents", "snooze", "PD-4215", "--for", "30m"]);
    let snooze = m
        .requests_detailed()
        .into_iter()
        .find(|r| r.path.ends_with("/snooze"))
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&snooze.body).unwrap();
    let secs = body["duration"].as_i64().unwrap();
    assert!((1790..=1800).contains(&secs), "{secs}");
    assert!(
        snooze
            .headers
            .iter()
            .any(|(k, v)| k == "from" && v == "ana.lima@credguard.example")
    );

    // Reassign by email: the user's id at PagerDuty.
    let out = ok(
        ws,
        &[
            "incidents",
            "reassign",
            "PD-4218",
            "--to",
            "bo@credguard.example",
            "--message",
            "bo has the context",
        ],
    );
    assert!(out.contains("reassigned PD-4218 at PagerDuty"), "{out}");
    assert_eq!(
        pd(4218)["assignments"][0]["assignee"]["summary"],
        "Bo Andersen"
    );
    // The words went first as a note of their own.
    let notes = m
        .requests_detailed()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/notes"))
        .count();
    assert_eq!(notes, 1);
    // To an escalation policy by name.
    ok(
        ws,
        &[
            "incidents",
            "reassign",
            "PD-4214",
            "--to",
            "CredGuard platform",
        ],
    );
    assert_eq!(
        pd(4214)["escalation_policy"]["summary"],
        "CredGuard platform"
    );
    // Someone unknown: refused by PagerDuty's directory, nothing changed.
    let (code, _, err) =
        run(common::cli(ws).args(["incidents", "reassign", "PD-4216", "--to", "nobody@x"]));
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("PagerDuty has no user or escalation policy"),
        "{err}"
    );

    // A responder, asked as the From user.
    ok(
        ws,
        &[
            "incidents",
            "responder",
            "PD-4217",
            "--add",
            "Rafael Souza",
            "--message",
            "need DB eyes",
        ],
    );
    let r = m
        .requests_detailed()
        .into_iter()
        .find(|r| r.path.ends_with("/responder_requests"))
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["message"], "need DB eyes");
    assert!(body["requester_id"].as_str().unwrap().starts_with('P'));
    assert_eq!(pd(4217)["responders"].as_array().unwrap().len(), 1);

    // No unacknowledge at PagerDuty, no silences.
    let e = refused(ws, &["incidents", "unack", "PD-4215"]);
    assert!(e.contains("PagerDuty has no unacknowledge"), "{e}");
    let e = refused(ws, &["incidents", "silence", "PD-4215", "--for", "1h"]);
    assert!(e.contains("PagerDuty has no silences"), "{e}");
    let (code, _, e) = run(common::cli(ws).args(["incidents", "snooze", "PD-4215", "--for", "8d"]));
    assert_eq!(code, 2);
    assert!(e.contains("at most 7d"), "{e}");
}

#[test]
fn opsgenie_and_jsm_alerts_are_handed_on_asynchronously() {
    let port = free_port();
    let (_rt, m) = serve_on(port);
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    workspace(ws, port);
    let og = |tiny: &str| {
        m.opsgenie_alerts()
            .into_iter()
            .find(|a| a["tinyId"] == tiny)
            .unwrap()
    };
    let out = ok(ws, &["incidents", "unack", "OG-1041"]);
    assert!(out.contains("unacknowledged OG-1041 at Opsgenie"), "{out}");
    assert_eq!(og("1041")["acknowledged"], false);
    ok(
        ws,
        &[
            "incidents",
            "reassign",
            "OG-1044",
            "--to",
            "dmitri@credguard.example",
        ],
    );
    assert_eq!(og("1044")["owner"], "dmitri@credguard.example");
    ok(
        ws,
        &[
            "incidents",
            "responder",
            "OG-1042",
            "--add",
            "team:platform",
        ],
    );
    assert_eq!(og("1042")["responders"][0]["type"], "team");
    let e = refused(ws, &["incidents", "escalate", "OG-1043"]);
    assert!(
        e.contains("Opsgenie escalates to a named escalation"),
        "{e}"
    );
    ok(
        ws,
        &[
            "incidents",
            "escalate",
            "OG-1043",
            "--escalation",
            "platform_escalation",
        ],
    );
    ok(ws, &["incidents", "snooze", "OG-1045", "--for", "1h"]);
    assert_eq!(og("1045")["snoozed"], true);

    // JSM: listed beside the others, Basic auth, ids in the path.
    let (code, out, err) =
        run(common::cli(ws).args(["incidents", "list", "--source", "jsm", "--json"]));
    assert_eq!(code, 0, "{err}");
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ids: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(
        ids.contains(&"JSM-77") && ids.contains(&"JSM-79"),
        "{ids:?}"
    );
    let list = m
        .requests_detailed()
        .into_iter()
        .find(|r| r.path.ends_with("/v1/alerts"))
        .unwrap();
    assert!(
        list.headers
            .iter()
            .any(|(k, v)| k == "authorization" && v.starts_with("Basic "))
    );
    assert!(list.query.contains("size=100"), "{}", list.query);

    let jsm = |tiny: &str| {
        m.jsm_alerts()
            .into_iter()
            .find(|a| a["tinyId"] == tiny)
            .unwrap()
    };
    let out = ok(
        ws,
        &[
            "incidents",
            "ack",
            "JSM-77",
            "--message",
            "looking at the SSO pool",
        ],
    );
    assert!(out.contains("acknowledged JSM-77 at JSM"), "{out}");
    assert_eq!(jsm("77")["status"], "acked");
    // JSM's acknowledge carries no words: they went as a note first.
    let (_, out, _) = run(common::cli(ws).args(["incidents", "sync"]));
    let _ = out;
    let notes = m
        .requests_detailed()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/notes"))
        .collect::<Vec<_>>();
    assert!(
        notes
            .iter()
            .any(|r| r.body.contains("looking at the SSO pool")),
        "{notes:?}"
    );
    ok(ws, &["incidents", "snooze", "JSM-79", "--for", "2h"]);
    assert_eq!(jsm("79")["snoozed"], true);
    ok(ws, &["incidents", "unack", "JSM-78"]);
    assert_eq!(jsm("78")["acknowledged"], false);
    ok(
        ws,
        &[
            "incidents",
            "reassign",
            "JSM-78",
            "--to",
            "5b10ac8d82e05b22cc7d4ef5",
        ],
    );
    assert_eq!(jsm("78")["owner"], "5b10ac8d82e05b22cc7d4ef5");
    ok(ws, &["incidents", "resolve", "JSM-77"]);
    assert_eq!(jsm("77")["status"], "closed");
    let e = refused(ws, &["incidents", "silence", "JSM-79", "--for", "1h"]);
    assert!(e.contains("JSM has no silences"), "{e}");
}
