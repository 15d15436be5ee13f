//! Each vendor's routes answer in the vendor's shape.

use super::*;

#[tokio::test]
async fn datadog_happy_paths() {
    let (_m, base) = start(&[]).await;
    let c = client();
    let a = send(
        c.get(format!("{base}/datadog/api/v1/validate"))
            .header("DD-API-KEY", "k"),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), json!({"valid": true}));
    assert_eq!(a.header("connection"), "close");

    let a = send(
        c.get(format!("{base}/datadog/api/v2/validate_keys"))
            .header("DD-API-KEY", "k")
            .header("DD-APPLICATION-KEY", "app"),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), json!({"status": "ok"}));

    let a = send(
        c.post(format!("{base}/datadog/api/v1/events"))
            .header("DD-API-KEY", "k")
            .header("content-type", "application/json")
            .body(r#"{"title":"[shiftdeck] verify","text":"safe to ignore"}"#),
    )
    .await;
    assert_eq!(a.status, 202);
    let v = a.json();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["event"]["title"], "[shiftdeck] verify");
    assert!(v["event"]["id"].as_u64().is_some());
}

#[tokio::test]
async fn sentry_happy_paths() {
    let (_m, base) = start(&[]).await;
    let c = client();
    let auth = "Sentry sentry_version=7, sentry_key=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, sentry_client=shiftdeck/0";
    let url = format!("{base}/sentry/api/42/envelope/");

    let a = send(c.post(&url).header("X-Sentry-Auth", auth)).await;
    assert_eq!(a.status, 400);
    assert_eq!(a.json(), json!({"detail": "empty request body"}));

    let id = "0123456789abcdef0123456789abcdef";
    let envelope = format!(
        "{{\"event_id\":\"{id}\",\"dsn\":\"x\"}}\n{{\"type\":\"event\"}}\n{{\"event_id\":\"{id}\",\"level\":\"info\"}}\n"
    );
    let a = send(
        c.post(&url)
            .header("X-Sentry-Auth", auth)
            .header("content-type", "application/x-sentry-envelope")
            .body(envelope),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), json!({"id": id}));

    let a = send(c.post(&url).header("X-Sentry-Auth", auth).body("{}\n")).await;
    assert_eq!(a.status, 200);
    assert!(is_hex(a.json()["id"].as_str().unwrap(), 32), "{}", a.body);

    let a = send(
        c.get(format!("{base}/sentry/api/0/projects/acme/web/keys/"))
            .header("Authorization", "Bearer t"),
    )
    .await;
    assert_eq!(a.status, 200);
    let keys = a.json();
    let key = &keys.as_array().unwrap()[0];
    assert_eq!(key["public"], "a".repeat(32));
    assert_eq!(key["isActive"], true);
    assert!(key["rateLimit"].is_null());
    assert!(key["dsn"]["public"].is_string());

    let a = send(
        c.get(format!("{base}/sentry/api/0/organizations/"))
            .header("Authorization", "Bearer t"),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), json!([]));
}

#[tokio::test]
async fn pagerduty_happy_paths() {
    let (_m, base) = start(&[]).await;
    let c = client();
    let token = "Token token=abc";
    let a = send(
        c.get(format!(
            "{base}/pagerduty/incidents?limit=1&statuses[]=triggered&date_range=all"
        ))
        .header("Authorization", token),
    )
    .await;
    assert_eq!(a.status, 200);
    // The default seed has four triggered incidents: one page of one.
    let v = a.json();
    assert_eq!(v["incidents"].as_array().unwrap().len(), 1);
    assert_eq!(v["incidents"][0]["status"], "triggered");
    assert_eq!(
        (&v["limit"], &v["offset"], &v["more"], &v["total"]),
        (&json!(1), &json!(0), &json!(true), &Value::Null)
    );

    let a = send(
        c.get(format!("{base}/pagerduty/abilities"))
            .header("Authorization", token),
    )
    .await;
    assert_eq!(a.json(), json!({"abilities": ["teams"]}));

    let a = send(
        c.get(format!("{base}/pagerduty/services/PX1"))
            .header("Authorization", token),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["service"]["id"], "PX1");
    assert_eq!(a.json()["service"]["status"], "active");

    let key = "k".repeat(32);
    let a = send(c.post(format!("{base}/pagerduty/v2/enqueue")).body(
        json!({"routing_key": key, "event_action": "resolve", "dedup_key": "shiftdeck-probe-1"})
            .to_string(),
    ))
    .await;
    assert_eq!(a.status, 202);
    assert_eq!(
        a.json(),
        json!({"status": "success", "message": "Event processed", "dedup_key": "shiftdeck-probe-1"})
    );

    let a =
        send(c.post(format!("{base}/pagerduty/v2/change/enqueue")).body(
            json!({"routing_key": key, "payload": {"summary": "s", "source": "x"}}).to_string(),
        ))
        .await;
    assert_eq!(a.status, 202);
    assert!(!a.json()["dedup_key"].as_str().unwrap().is_empty());

    let a = send(c.post(format!("{base}/pagerduty/v2/enqueue")).body("{}")).await;
    assert_eq!(a.status, 400);
    assert_eq!(a.json()["status"], "invalid event");
}

#[tokio::test]
async fn opsgenie_happy_paths() {
    let (_m, base) = start(&[]).await;
    let c = client();
    let key = "GenieKey k";
    let a = send(
        c.get(format!("{base}/opsgenie/v2/alerts/count?query=status:open"))
            .header("Authorization", key),
    )
    .await;
    assert_eq!(a.status, 200);
    let v = a.json();
    // The default seed: five open alerts (and one closed).
    assert_eq!(v["data"]["count"], 5);
    assert!(v["took"].is_number());
    assert_eq!(v["requestId"].as_str().unwrap().len(), 36);

    let a = send(
        c.get(format!("{base}/opsgenie/v2/account"))
            .header("Authorization", key),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["data"]["name"], "credguard");
    assert_eq!(a.json()["data"]["plan"]["name"], "Standard");

    let a = send(
        c.post(format!("{base}/opsgenie/v2/alerts"))
            .header("Authorization", key)
            .body(json!({"message": "m", "alias": "shiftdeck-verify-1"}).to_string()),
    )
    .await;
    assert_eq!(a.status, 202);
    assert_eq!(a.json()["result"], "Request will be processed");
    let request_id = a.json()["requestId"].as_str().unwrap().to_string();

    let a = send(
        c.get(format!("{base}/opsgenie/v2/alerts/requests/{request_id}"))
            .header("Authorization", key),
    )
    .await;
    assert_eq!(a.status, 200);
    let d = &a.json()["data"];
    assert_eq!(d["isSuccess"], true);
    assert_eq!(d["action"], "Create");
    assert_eq!(d["alias"], "shiftdeck-verify-1");

    let a = send(
        c.post(format!(
            "{base}/opsgenie/v2/alerts/shiftdeck-verify-1/close?identifierType=alias"
        ))
        .header("Authorization", key)
        .body(r#"{"source":"shiftdeck","note":"verify cleanup"}"#),
    )
    .await;
    assert_eq!(a.status, 202);
    assert_eq!(a.json()["result"], "Request will be processed");
}

#[tokio::test]
async fn slack_webhook_answers() {
    let (_m, base) = start(&[]).await;
    let c = client();
    let url = format!("{base}/slack/services/T000/B000/XXXX");
    let a = send(
        c.post(&url)
            .header("content-type", "application/json")
            .body("intentionally malformed JSON"),
    )
    .await;
    assert_eq!((a.status, a.body.as_str()), (400, "invalid_payload"));
    assert!(a.header("content-type").starts_with("text/plain"));

    let a = send(c.post(&url).body(r#"{"text":"hello"}"#)).await;
    assert_eq!((a.status, a.body.as_str()), (200, "ok"));

    let a = send(c.post(&url).body(r#"{"text":""}"#)).await;
    assert_eq!((a.status, a.body.as_str()), (400, "no_text"));
    let a = send(c.post(&url).body(r#"{"blocks":[]}"#)).await;
    assert_eq!((a.status, a.body.as_str()), (400, "no_text"));
}

#[tokio::test]
async fn splunk_happy_paths() {
    let (_m, base) = start(&[]).await;
    let c = client();
    for path in ["health", "health/1.0"] {
        let a = send(c.get(format!("{base}/splunk/services/collector/{path}"))).await;
        assert_eq!(a.status, 200, "{path}");
        assert_eq!(a.json(), json!({"text": "HEC is healthy", "code": 17}));
    }
    let url = format!("{base}/splunk/services/collector/event");
    let a = send(c.post(&url).header("Authorization", "Splunk t")).await;
    assert_eq!(a.status, 400);
    assert_eq!(a.json(), json!({"text": "No data", "code": 5}));

    let a = send(c.post(&url).header("Authorization", "Splunk t").body(
        r#"{"event":{"message":"shiftdeck verify","verify":true},"sourcetype":"oncall:verify"}"#,
    ))
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), json!({"text": "Success", "code": 0}));

    let a = send(
        c.post(format!("{base}/splunk/services/collector/ack"))
            .header("Authorization", "Splunk t")
            .body(r#"{"acks":[0]}"#),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json(), json!({"acks": {"0": true}}));
}

#[tokio::test]
async fn http_probe_and_unknown_routes() {
    let (_m, base) = start(&[]).await;
    let c = client();
    let a = send(c.get(format!("{base}/http/healthz"))).await;
    assert_eq!((a.status, a.body.as_str()), (200, "ok"));

    for path in ["/nope", "/datadog/api/v1/nothing", "/http/other", "/"] {
        let a = send(c.get(format!("{base}{path}"))).await;
        assert_eq!(a.status, 404, "{path}");
        assert_eq!(a.json(), json!({"error": "no such mock route"}), "{path}");
    }
    // Known path, wrong method.
    let a = send(
        c.post(format!("{base}/datadog/api/v1/validate"))
            .header("DD-API-KEY", "k"),
    )
    .await;
    assert_eq!(a.status, 404);
}
