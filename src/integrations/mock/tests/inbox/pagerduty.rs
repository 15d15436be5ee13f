//! PagerDuty incidents: paging, filters, the 30-day window, ack/resolve, notes.

use super::*;

fn numbers(v: &Value) -> Vec<u64> {
    v["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["incident_number"].as_u64().unwrap())
        .collect()
}

/// The seeded incident with this number's id.
fn pd_id(m: &Mocks, number: u64) -> String {
    m.pagerduty_incidents()
        .iter()
        .find(|i| i["incident_number"] == number)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn put_status(
    c: &reqwest::Client,
    base: &str,
    id: &str,
    status: &str,
    from: Option<&str>,
) -> reqwest::RequestBuilder {
    let mut rb = c
        .put(format!("{base}/pagerduty/incidents/{id}"))
        .header("Authorization", PD_TOKEN)
        .body(json!({"incident": {"type": "incident_reference", "status": status}}).to_string());
    if let Some(from) = from {
        rb = rb.header("From", from);
    }
    rb
}

#[tokio::test]
async fn pagerduty_default_seed_looks_like_credguard() {
    let (m, _base) = start(&[]).await;
    let all = m.pagerduty_incidents();
    assert_eq!(all.len(), 9);
    let open = all.iter().filter(|i| i["status"] != "resolved").count();
    assert_eq!(open, 7);
    for i in &all {
        let id = i["id"].as_str().unwrap();
        assert_eq!(id.len(), 14, "{id}");
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        );
        assert_eq!(i["type"], "incident");
        assert_eq!(
            i["html_url"],
            format!("https://credguard.pagerduty.com/incidents/{id}")
        );
        assert!(i["created_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(i["service"]["type"], "service_reference");
    }
    let priorities: Vec<&Value> = all.iter().map(|i| &i["priority"]).collect();
    for p in ["P1", "P2", "P3"] {
        assert!(priorities.iter().any(|x| x["summary"] == p), "{p}");
    }
    assert!(priorities.iter().any(|x| x.is_null()));
}

#[tokio::test]
async fn pagerduty_pages_250_incidents_in_three_pages() {
    let (m, base) = start(&[]).await;
    m.seed_pagerduty(250);
    let c = client();
    let mut seen = Vec::new();
    let mut offset = 0;
    let mut pages = 0;
    loop {
        let a = send(pd_get(
            &c,
            format!(
                "{base}/pagerduty/incidents?date_range=all&limit=100&offset={offset}&total=true"
            ),
        ))
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        let v = a.json();
        pages += 1;
        assert_eq!(v["limit"], 100);
        assert_eq!(v["offset"], offset);
        assert_eq!(v["total"], 250);
        seen.extend(numbers(&v));
        if v["more"] == false {
            assert_eq!(v["incidents"].as_array().unwrap().len(), 50);
            break;
        }
        offset += 100;
    }
    assert_eq!(pages, 3);
    // Default order: created_at ascending, which is number order here.
    assert_eq!(seen, (1..=250).collect::<Vec<u64>>());

    // A larger limit is clamped to 100; total stays null unless asked for.
    let a = send(pd_get(&c, format!("{base}/pagerduty/incidents?limit=500"))).await;
    let v = a.json();
    assert_eq!(
        (v["limit"].clone(), v["more"].clone()),
        (json!(100), json!(true))
    );
    assert!(v["total"].is_null());
    assert_eq!(v["incidents"].as_array().unwrap().len(), 100);
    // Default limit 25.
    let a = send(pd_get(&c, format!("{base}/pagerduty/incidents"))).await;
    assert_eq!(a.json()["limit"], 25);
}

#[tokio::test]
async fn pagerduty_without_date_range_misses_old_open_incidents() {
    let (_m, base) = start(&[]).await;
    let c = client();
    let open = "statuses[]=triggered&statuses[]=acknowledged";
    let a = send(pd_get(&c, format!("{base}/pagerduty/incidents?{open}"))).await;
    let recent = numbers(&a.json());
    assert_eq!(recent.len(), 6);
    assert!(
        !recent.contains(&4211),
        "the 45-day-old incident is outside the window"
    );

    let a = send(pd_get(
        &c,
        format!("{base}/pagerduty/incidents?{open}&date_range=all&sort_by=created_at:desc"),
    ))
    .await;
    let all = numbers(&a.json());
    assert_eq!(all, vec![4219, 4218, 4217, 4216, 4215, 4214, 4211]);
}

#[tokio::test]
async fn pagerduty_filters() {
    let (m, base) = start(&[]).await;
    let c = client();
    let list = |q: &str| pd_get(&c, format!("{base}/pagerduty/incidents?date_range=all&{q}"));
    let a = send(list("statuses[]=resolved")).await;
    assert_eq!(numbers(&a.json()), vec![4212, 4213]);
    // The percent-encoded key is the same key.
    let a = send(list("statuses%5B%5D=acknowledged")).await;
    assert_eq!(numbers(&a.json()), vec![4211, 4215, 4217]);
    let a = send(list("statuses[]=triggered&urgencies[]=high")).await;
    assert_eq!(numbers(&a.json()), vec![4218, 4219]);
    let api = m.pagerduty_incidents()[0]["service"]["id"].clone();
    let a = send(list(&format!("service_ids[]={}", api.as_str().unwrap()))).await;
    assert!(numbers(&a.json()).contains(&4211));
    assert!(
        a.json()["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["service"]["id"] == api)
    );
    let team = m.pagerduty_incidents()[1]["teams"][0]["id"].clone();
    let a = send(list(&format!("team_ids[]={}", team.as_str().unwrap()))).await;
    assert_eq!(numbers(&a.json()), vec![4212, 4217]);
    let a = send(list("statuses[]=bogus")).await;
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["error"]["code"], 2001);
}

#[tokio::test]
async fn pagerduty_offset_plus_limit_is_capped_at_10000() {
    let (_m, base) = start(&[]).await;
    let c = client();
    let a = send(pd_get(
        &c,
        format!("{base}/pagerduty/incidents?date_range=all&limit=100&offset=9950"),
    ))
    .await;
    assert_eq!(a.status, 400);
    assert_eq!(
        a.json(),
        json!({"error": {"message": "Invalid Input Provided", "code": 2001,
            "errors": ["Offset must be less than or equal to 10000"]}})
    );
    let a = send(pd_get(
        &c,
        format!("{base}/pagerduty/incidents?date_range=all&limit=100&offset=9900"),
    ))
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["more"], false);
}

#[tokio::test]
async fn pagerduty_acknowledge_and_resolve() {
    let (m, base) = start(&[]).await;
    let c = client();
    let id = pd_id(&m, 4218);
    let from = "maya.okafor@credguard.io";

    let a = send(put_status(&c, &base, &id, "acknowledged", None)).await;
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["error"]["code"], 2011);
    assert_eq!(
        a.json()["error"]["message"],
        "You must specify a user's email address in the \"From\" header to perform this action"
    );

    let a = send(put_status(&c, &base, &id, "acknowledged", Some(from))).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let inc = &a.json()["incident"];
    assert_eq!(inc["status"], "acknowledged");
    assert_eq!(inc["last_status_change_by"]["summary"], from);
    assert_eq!(inc["last_status_change_by"]["type"], "user_reference");
    let acks = inc["acknowledgements"].as_array().unwrap();
    assert_eq!(acks.last().unwrap()["acknowledger"]["summary"], from);

    let a = send(put_status(&c, &base, &id, "acknowledged", Some(from))).await;
    assert_eq!(a.status, 400);
    assert_eq!(
        a.json(),
        json!({"error": {"message": "Incident Already Acknowledged", "code": 1002,
            "errors": ["Incident Already Acknowledged"]}})
    );

    let a = send(put_status(&c, &base, &id, "resolved", Some(from))).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["incident"]["status"], "resolved");
    let a = send(pd_get(&c, format!("{base}/pagerduty/incidents/{id}"))).await;
    assert_eq!(a.json()["incident"]["status"], "resolved");

    for status in ["acknowledged", "resolved"] {
        let a = send(put_status(&c, &base, &id, status, Some(from))).await;
        assert_eq!(a.status, 400);
        assert_eq!(
            a.json(),
            json!({"error": {"message": "Incident Already Resolved", "code": 1001,
                "errors": ["Incident Already Resolved"]}})
        );
    }

    let a = send(put_status(&c, &base, &id, "triggered", Some(from))).await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].clone()),
        (400, json!(2001))
    );
    let a = send(put_status(
        &c,
        &base,
        "QNOSUCHINCIDENT",
        "resolved",
        Some(from),
    ))
    .await;
    assert_eq!(a.status, 404);
    assert_eq!(
        a.json(),
        json!({"error": {"message": "Not Found", "code": 2100}})
    );
}

#[tokio::test]
async fn pagerduty_notes() {
    let (m, base) = start(&[]).await;
    let c = client();
    let id = pd_id(&m, 4219);
    let url = format!("{base}/pagerduty/incidents/{id}/notes");
    let post = |body: Value| {
        c.post(&url)
            .header("Authorization", PD_TOKEN)
            .body(body.to_string())
    };
    let a = send(post(json!({"note": {"content": "restarting workers"}}))).await;
    assert_eq!(a.json()["error"]["code"], 2011);
    let a = send(post(json!({"note": {"content": ""}})).header("From", "a@b.io")).await;
    assert_eq!(
        (a.status, a.json()["error"]["code"].clone()),
        (400, json!(2001))
    );

    let a = send(post(json!({"note": {"content": "restarting workers"}})).header("From", "a@b.io"))
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let note = a.json()["note"].clone();
    assert_eq!(note["content"], "restarting workers");
    assert_eq!(note["user"]["summary"], "a@b.io");
    assert_eq!(note["user"]["type"], "user_reference");
    assert!(note["created_at"].as_str().unwrap().ends_with('Z'));

    let a = send(pd_get(&c, url.clone())).await;
    assert_eq!(a.json(), json!({"notes": [note]}));
    let a = send(pd_get(
        &c,
        format!("{base}/pagerduty/incidents/QNOPE/notes"),
    ))
    .await;
    assert_eq!(a.status, 404);
}

#[tokio::test]
async fn pagerduty_rest_routes_need_auth() {
    let (m, base) = start(&[]).await;
    let c = client();
    let id = pd_id(&m, 4219);
    let unauthorized = json!({"error": {"message": "Authentication failed", "code": 2006}});
    for rb in [
        c.get(format!("{base}/pagerduty/incidents/{id}")),
        c.get(format!("{base}/pagerduty/incidents/{id}/notes")),
        c.put(format!("{base}/pagerduty/incidents/{id}"))
            .header("From", "a@b.io")
            .body(r#"{"incident":{"type":"incident_reference","status":"resolved"}}"#),
        c.post(format!("{base}/pagerduty/incidents/{id}/notes"))
            .header("From", "a@b.io")
            .body(r#"{"note":{"content":"x"}}"#),
    ] {
        let a = send(rb).await;
        assert_eq!((a.status, a.json()), (401, unauthorized.clone()));
    }
    // Nothing changed.
    assert_eq!(
        m.pagerduty_incidents()
            .iter()
            .find(|i| i["id"] == id.as_str())
            .unwrap()["status"],
        "triggered"
    );
}
