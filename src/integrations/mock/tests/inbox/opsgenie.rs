//! Opsgenie alerts: paging.next, async actions and request statuses, notes, count.

use super::*;

async fn request_status(c: &reqwest::Client, base: &str, rid: &str) -> Answer {
    send(og_get(
        c,
        format!("{base}/opsgenie/v2/alerts/requests/{rid}"),
    ))
    .await
}

fn request_id(a: &Answer) -> String {
    assert_eq!(a.status, 202, "{}", a.body);
    assert_eq!(a.json()["result"], "Request will be processed");
    a.json()["requestId"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn opsgenie_follows_paging_next_to_the_end() {
    let (m, base) = start(&[]).await;
    m.seed_opsgenie(45);
    let c = client();
    let mut url = format!("{base}/opsgenie/v2/alerts?limit=20&sort=createdAt&order=desc");
    let mut sizes = Vec::new();
    let mut tiny = Vec::new();
    loop {
        let a = send(og_get(&c, url.clone())).await;
        assert_eq!(a.status, 200, "{}", a.body);
        let v = a.json();
        let data = v["data"].as_array().unwrap();
        sizes.push(data.len());
        tiny.extend(
            data.iter()
                .map(|x| x["tinyId"].as_str().unwrap().parse::<u64>().unwrap()),
        );
        assert!(
            v["paging"]["first"]
                .as_str()
                .unwrap()
                .starts_with("http://127.0.0.1:")
        );
        match v["paging"]["next"].as_str() {
            Some(next) => {
                assert_eq!(a.header("x-paging-next"), next);
                url = next.to_string();
            }
            None => {
                assert_eq!(a.header("x-paging-next"), "");
                break;
            }
        }
    }
    assert_eq!(sizes, vec![20, 20, 5]);
    assert_eq!(tiny, (1..=45).rev().collect::<Vec<u64>>());

    // The query survives paging (percent-encoded).
    let a = send(og_get(
        &c,
        format!(
            "{base}/opsgenie/v2/alerts?query=status%3Aopen%20AND%20acknowledged%3Afalse&limit=20"
        ),
    ))
    .await;
    let v = a.json();
    let next = v["paging"]["next"].as_str().unwrap();
    assert!(
        next.contains("query=status%3Aopen%20AND%20acknowledged%3Afalse"),
        "{next}"
    );
    assert!(
        next.contains("offset=20&limit=20&sort=createdAt&order=desc"),
        "{next}"
    );
    let a = send(og_get(&c, next.to_string())).await;
    assert_eq!(a.json()["data"].as_array().unwrap().len(), 10);
    assert!(a.json()["paging"]["next"].is_null());
    assert!(a.json()["paging"]["prev"].is_string());

    let a = send(og_get(
        &c,
        format!("{base}/opsgenie/v2/alerts?query=owner:me"),
    ))
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.json()["message"], "Invalid query");
}

#[tokio::test]
async fn opsgenie_acknowledge_is_async_and_confirmed() {
    let (m, base) = start(&[]).await;
    let c = client();
    let a = send(
        c.post(format!(
            "{base}/opsgenie/v2/alerts/1044/acknowledge?identifierType=tiny"
        ))
        .header("Authorization", GENIE)
        .body(r#"{"user":"maya.okafor@credguard.io","source":"shiftdeck","note":"on it"}"#),
    )
    .await;
    let rid = request_id(&a);
    let a = request_status(&c, &base, &rid).await;
    assert_eq!(a.status, 200);
    let d = a.json()["data"].clone();
    assert_eq!(d["isSuccess"], true);
    assert_eq!(d["success"], true);
    assert_eq!(d["action"], "Acknowledge");
    assert_eq!(d["status"], "Acknowledged alert");
    let alert_id = d["alertId"].as_str().unwrap().to_string();

    let a = send(og_get(&c, format!("{base}/opsgenie/v2/alerts/{alert_id}"))).await;
    let alert = a.json()["data"].clone();
    assert_eq!(alert["tinyId"], "1044");
    assert_eq!(alert["acknowledged"], true);
    assert_eq!(
        alert["report"]["acknowledgedBy"],
        "maya.okafor@credguard.io"
    );
    assert!(alert["report"]["ackTime"].as_u64().is_some());
    assert_eq!(alert["status"], "open");
    let a = send(og_get(
        &c,
        format!("{base}/opsgenie/v2/alerts/{alert_id}/notes"),
    ))
    .await;
    assert_eq!(a.json()["data"][0]["note"], "on it");
    assert!(
        m.opsgenie_alerts()
            .iter()
            .any(|x| x["id"] == alert_id.as_str() && x["acknowledged"] == true)
    );
}

#[tokio::test]
async fn opsgenie_unknown_or_closed_alert_fails_in_the_request_status() {
    let (_m, base) = start(&[]).await;
    let c = client();
    let a = send(
        c.post(format!(
            "{base}/opsgenie/v2/alerts/no-such-alias/close?identifierType=alias"
        ))
        .header("Authorization", GENIE)
        .body(r#"{"source":"shiftdeck"}"#),
    )
    .await;
    let rid = request_id(&a);
    let d = request_status(&c, &base, &rid).await.json()["data"].clone();
    assert_eq!(
        (d["isSuccess"].clone(), d["status"].clone()),
        (json!(false), json!("Alert does not exist"))
    );
    assert_eq!(d["action"], "Close");

    let a = send(
        c.post(format!(
            "{base}/opsgenie/v2/alerts/1040/acknowledge?identifierType=tiny"
        ))
        .header("Authorization", GENIE),
    )
    .await;
    let rid = request_id(&a);
    let d = request_status(&c, &base, &rid).await.json()["data"].clone();
    assert_eq!(
        (d["isSuccess"].clone(), d["status"].clone()),
        (json!(false), json!("Alert is already closed"))
    );

    let a = send(og_get(&c, format!("{base}/opsgenie/v2/alerts/nope"))).await;
    assert_eq!(a.status, 404);
    assert_eq!(a.json()["message"], "Alert does not exist");
    assert!(a.json()["requestId"].is_string());
}

#[tokio::test]
async fn opsgenie_pending_polls_answer_404_first() {
    let (m, base) = start(&[]).await;
    m.set_opsgenie_pending_polls(2);
    let c = client();
    let a = send(
        c.post(format!("{base}/opsgenie/v2/alerts"))
            .header("Authorization", GENIE)
            .body(json!({"message": "[shiftdeck] verify", "alias": "shiftdeck-verify-x", "priority": "P5"}).to_string()),
    )
    .await;
    let rid = request_id(&a);
    for _ in 0..2 {
        let a = request_status(&c, &base, &rid).await;
        assert_eq!(a.status, 404);
        assert_eq!(
            a.json()["message"],
            "Request not found. It might not be processed, yet."
        );
    }
    let a = request_status(&c, &base, &rid).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["data"]["isSuccess"], true);
    assert_eq!(a.json()["data"]["status"], "Created alert");
    assert_eq!(a.json()["data"]["alias"], "shiftdeck-verify-x");

    let a = request_status(&c, &base, "00000000-0000-0000-0000-000000000000").await;
    assert_eq!(a.status, 404);
}

#[tokio::test]
async fn opsgenie_notes_and_close() {
    let (m, base) = start(&[]).await;
    let c = client();
    let notes_url =
        format!("{base}/opsgenie/v2/alerts/redis-memory-cache-prod-1/notes?identifierType=alias");
    let a = send(
        c.post(&notes_url)
            .header("Authorization", GENIE)
            .body(r#"{"user":"priya.raman@credguard.io"}"#),
    )
    .await;
    assert_eq!(a.status, 422);
    assert_eq!(a.json()["message"], "Note is required");

    let a = send(
        c.post(&notes_url)
            .header("Authorization", GENIE)
            .body(r#"{"user":"priya.raman@credguard.io","note":"evicting old keys"}"#),
    )
    .await;
    let rid = request_id(&a);
    let d = request_status(&c, &base, &rid).await.json()["data"].clone();
    assert_eq!(
        (d["action"].clone(), d["status"].clone()),
        (json!("AddNote"), json!("Added note"))
    );
    let a = send(og_get(&c, notes_url.clone())).await;
    let notes = a.json()["data"].clone();
    assert_eq!(notes.as_array().unwrap().len(), 1);
    assert_eq!(notes[0]["note"], "evicting old keys");
    assert_eq!(notes[0]["owner"], "priya.raman@credguard.io");
    assert!(a.json()["paging"].is_object());

    let a = send(
        c.post(format!(
            "{base}/opsgenie/v2/alerts/redis-memory-cache-prod-1/close?identifierType=alias"
        ))
        .header("Authorization", GENIE)
        .body(r#"{"user":"priya.raman@credguard.io","note":"memory back at 60%"}"#),
    )
    .await;
    let rid = request_id(&a);
    assert_eq!(
        request_status(&c, &base, &rid).await.json()["data"]["status"],
        "Closed alert"
    );
    let alert = m
        .opsgenie_alerts()
        .into_iter()
        .find(|x| x["alias"] == "redis-memory-cache-prod-1")
        .unwrap();
    assert_eq!(alert["status"], "closed");
    assert_eq!(alert["report"]["closedBy"], "priya.raman@credguard.io");
    assert!(alert["report"]["closeTime"].as_u64().is_some());
    let a = send(og_get(&c, notes_url)).await;
    assert_eq!(
        a.json()["data"][0]["note"],
        "memory back at 60%",
        "newest first"
    );
}

#[tokio::test]
async fn opsgenie_count_is_the_real_number() {
    let (m, base) = start(&[]).await;
    let c = client();
    let count = |q: &'static str| {
        let url = format!("{base}/opsgenie/v2/alerts/count{q}");
        let c = c.clone();
        async move {
            send(og_get(&c, url)).await.json()["data"]["count"]
                .as_u64()
                .unwrap()
        }
    };
    let open = m
        .opsgenie_alerts()
        .iter()
        .filter(|a| a["status"] == "open")
        .count() as u64;
    assert_eq!(open, 5);
    assert_eq!(count("").await, open);
    assert_eq!(count("?query=status:open").await, open);
    assert_eq!(
        count("?query=status%3Aopen+AND+acknowledged%3Afalse").await,
        3
    );
    assert_eq!(count("?query=status:closed").await, 1);

    // The verify flow: create, confirm, close by alias.
    let a = send(
        c.post(format!("{base}/opsgenie/v2/alerts"))
            .header("Authorization", GENIE)
            .body(json!({"message": "[shiftdeck] verify – safe to ignore", "alias": "shiftdeck-verify-1", "priority": "P5", "source": "shiftdeck", "tags": ["shiftdeck", "verify"]}).to_string()),
    )
    .await;
    request_id(&a);
    assert_eq!(count("?query=status:open").await, 6);
    let a = send(og_get(&c, format!("{base}/opsgenie/v2/alerts?limit=1"))).await;
    assert_eq!(
        a.json()["data"][0]["alias"],
        "shiftdeck-verify-1",
        "newest first"
    );
    let a = send(
        c.post(format!(
            "{base}/opsgenie/v2/alerts/shiftdeck-verify-1/close?identifierType=alias"
        ))
        .header("Authorization", GENIE)
        .body(r#"{"source":"shiftdeck","note":"verify cleanup"}"#),
    )
    .await;
    request_id(&a);
    assert_eq!(count("?query=status:open").await, 5);
    assert_eq!(count("?query=status:closed").await, 2);
}
