use super::*;
use std::time::Instant;

async fn start(faults: &[(&str, Fault)]) -> (Mocks, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mocks = Mocks::new(
        faults
            .iter()
            .map(|(v, f)| (v.to_string(), f.clone()))
            .collect(),
    );
    tokio::spawn(mocks.clone().serve(listener));
    (mocks, format!("http://{addr}"))
}

fn client() -> reqwest::Client {
    crate::integrations::http_client(Duration::from_secs(5)).unwrap()
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn send(rb: reqwest::RequestBuilder) -> Answer {
    let resp = rb.send().await.expect("request failed");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.text().await.unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

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
    assert_eq!(
        a.json(),
        json!({"incidents": [], "limit": 1, "offset": 0, "more": false, "total": null})
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
    assert_eq!(v["data"]["count"], 3);
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

#[tokio::test]
async fn missing_auth_answers_401_with_vendor_body() {
    let (_m, base) = start(&[]).await;
    let c = client();

    let a = send(c.get(format!("{base}/datadog/api/v1/validate"))).await;
    assert_eq!(a.status, 401);
    assert!(a.json()["errors"].is_array());

    let a = send(c.post(format!("{base}/sentry/api/42/envelope/"))).await;
    assert_eq!(a.status, 401);
    assert_eq!(
        a.json(),
        json!({"detail": "missing authorization information"})
    );
    let a = send(c.get(format!("{base}/sentry/api/0/organizations/"))).await;
    assert_eq!(a.status, 401);
    // Ingest auth does not count for the web API.
    let a = send(
        c.get(format!("{base}/sentry/api/0/projects/o/p/keys/"))
            .header("X-Sentry-Auth", "Sentry sentry_key=x"),
    )
    .await;
    assert_eq!(a.status, 401);

    let a = send(c.get(format!("{base}/pagerduty/incidents"))).await;
    assert_eq!(a.status, 401);
    assert_eq!(
        a.json(),
        json!({"error": {"message": "Authentication failed", "code": 2006}})
    );

    let a = send(c.get(format!("{base}/opsgenie/v2/alerts/count"))).await;
    assert_eq!(a.status, 401);
    assert_eq!(a.json()["message"], "Could not authenticate");
    assert!(a.json()["requestId"].is_string());

    let a = send(c.post(format!("{base}/splunk/services/collector/event"))).await;
    assert_eq!(a.status, 401);
    assert_eq!(a.json(), json!({"text": "Token is required", "code": 2}));

    // No header needed: Splunk health, PagerDuty Events v2, Slack.
    let a = send(c.get(format!("{base}/splunk/services/collector/health"))).await;
    assert_eq!(a.status, 200);
    let a = send(
        c.post(format!("{base}/pagerduty/v2/enqueue"))
            .body(json!({"routing_key": "k".repeat(32), "event_action": "trigger"}).to_string()),
    )
    .await;
    assert_eq!(a.status, 202);
    let a = send(
        c.post(format!("{base}/slack/services/T/B/X"))
            .body(r#"{"text":"x"}"#),
    )
    .await;
    assert_eq!(a.status, 200);
}

#[tokio::test]
async fn status_faults_answer_vendor_error_bodies() {
    let (m, base) = start(&[
        ("datadog", Fault::Status(403)),
        ("sentry", Fault::Status(403)),
        ("pagerduty", Fault::Status(429)),
        ("opsgenie", Fault::Status(403)),
        ("slack", Fault::Status(404)),
        ("splunk", Fault::Status(503)),
        ("http", Fault::Status(502)),
    ])
    .await;
    let c = client();

    let a = send(
        c.get(format!("{base}/datadog/api/v1/validate"))
            .header("DD-API-KEY", "k"),
    )
    .await;
    assert_eq!(a.status, 403);
    assert_eq!(a.json(), json!({"errors": ["Forbidden"]}));

    let a = send(
        c.post(format!("{base}/sentry/api/42/envelope/"))
            .header("X-Sentry-Auth", "Sentry sentry_key=x")
            .body("{}\n"),
    )
    .await;
    assert_eq!(a.status, 403);
    assert_eq!(
        a.json(),
        json!({"detail": "event submission rejected with_reason: ProjectId"})
    );

    let a = send(
        c.get(format!("{base}/pagerduty/abilities"))
            .header("Authorization", "Token token=x"),
    )
    .await;
    assert_eq!(a.status, 429);
    assert_eq!(a.header("ratelimit-reset"), "2");
    assert_eq!(
        a.json(),
        json!({"error": {"message": "Rate Limit Exceeded", "code": 2020}})
    );

    let a = send(
        c.post(format!("{base}/opsgenie/v2/alerts"))
            .header("Authorization", "GenieKey k"),
    )
    .await;
    assert_eq!(a.status, 403);
    assert_eq!(a.json()["code"], 40301);
    assert_eq!(
        a.json()["message"],
        "To perform this action, use an API key from an API integration."
    );

    let a = send(c.post(format!("{base}/slack/services/T/B/X")).body("x")).await;
    assert_eq!((a.status, a.body.as_str()), (404, "no_service"));

    let a = send(c.get(format!("{base}/splunk/services/collector/health"))).await;
    assert_eq!(a.status, 503);
    assert_eq!(
        a.json(),
        json!({"text": "HEC is unhealthy, queues are full", "code": 18})
    );

    let a = send(c.get(format!("{base}/http/healthz"))).await;
    assert_eq!(a.status, 502);
    assert_eq!(a.json(), json!({"error": "mock fault 502"}));

    // Rate-limit headers and the remaining documented bodies.
    m.set_fault("slack", Some(Fault::Status(429)));
    let a = send(c.post(format!("{base}/slack/services/T/B/X")).body("x")).await;
    assert_eq!((a.status, a.body.as_str()), (429, "rate_limited"));
    assert_eq!(a.header("retry-after"), "2");
    m.set_fault("slack", Some(Fault::Status(410)));
    let a = send(c.post(format!("{base}/slack/services/T/B/X")).body("x")).await;
    assert_eq!((a.status, a.body.as_str()), (410, "channel_is_archived"));
    m.set_fault("slack", Some(Fault::Status(403)));
    let a = send(c.post(format!("{base}/slack/services/T/B/X")).body("x")).await;
    assert_eq!((a.status, a.body.as_str()), (403, "invalid_token"));

    m.set_fault("datadog", Some(Fault::Status(429)));
    let a = send(
        c.get(format!("{base}/datadog/api/v1/validate"))
            .header("DD-API-KEY", "k"),
    )
    .await;
    assert_eq!(a.status, 429);
    assert_eq!(a.header("x-ratelimit-reset"), "2");

    m.set_fault("splunk", Some(Fault::Status(403)));
    let a = send(
        c.post(format!("{base}/splunk/services/collector/event"))
            .header("Authorization", "Splunk t"),
    )
    .await;
    assert_eq!(a.json(), json!({"text": "Token disabled", "code": 1}));

    m.set_fault("sentry", Some(Fault::Status(401)));
    let a = send(c.post(format!("{base}/sentry/api/42/envelope/"))).await;
    assert_eq!(a.status, 401);
    assert_eq!(
        a.json(),
        json!({"detail": "missing authorization information"})
    );

    m.set_fault("pagerduty", Some(Fault::Status(401)));
    let a = send(c.get(format!("{base}/pagerduty/incidents"))).await;
    assert_eq!(a.json()["error"]["code"], 2006);

    m.set_fault("opsgenie", Some(Fault::Status(401)));
    let a = send(c.get(format!("{base}/opsgenie/v2/account"))).await;
    assert_eq!(a.json()["message"], "Could not authenticate");
}

#[tokio::test]
async fn slow_fault_still_answers() {
    let (_m, base) = start(&[("splunk", Fault::Slow(Duration::from_millis(200)))]).await;
    let a = send(client().get(format!("{base}/splunk/services/collector/health"))).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["code"], 17);
}

#[tokio::test]
async fn hang_fault_times_out_the_client() {
    let (m, base) = start(&[("sentry", Fault::Hang)]).await;
    let c = crate::integrations::http_client(Duration::from_millis(300)).unwrap();
    let err = c
        .post(format!("{base}/sentry/api/42/envelope/"))
        .header("X-Sentry-Auth", "Sentry sentry_key=x")
        .send()
        .await
        .expect_err("a hanging mock must not answer");
    assert!(err.is_timeout(), "{err:?}");
    // The request was read before hanging.
    assert_eq!(
        m.requests(),
        vec![("POST".to_string(), "/sentry/api/42/envelope/".to_string())]
    );
    // Other vendors still answer.
    let a = send(c.get(format!("{base}/http/healthz"))).await;
    assert_eq!(a.status, 200);
}

#[tokio::test]
async fn drop_fault_fails_the_request_quickly() {
    let (_m, base) = start(&[("opsgenie", Fault::Drop)]).await;
    let started = Instant::now();
    let err = client()
        .get(format!("{base}/opsgenie/v2/alerts/count"))
        .header("Authorization", "GenieKey k")
        .send()
        .await
        .expect_err("a dropped connection must not answer");
    assert!(!err.is_timeout(), "{err:?}");
    // Generous: the client timeout is 5 s; a drop must fail well before.
    assert!(started.elapsed() < Duration::from_secs(4), "{err:?}");
}

#[test]
fn parse_fault_accepts_the_documented_specs() {
    let ok = [
        ("slack=404", "slack", Fault::Status(404)),
        ("datadog=403", "datadog", Fault::Status(403)),
        (
            "splunk=slow:3000",
            "splunk",
            Fault::Slow(Duration::from_millis(3000)),
        ),
        ("sentry=hang", "sentry", Fault::Hang),
        ("opsgenie=drop", "opsgenie", Fault::Drop),
        ("pagerduty=429", "pagerduty", Fault::Status(429)),
        ("splunk=503", "splunk", Fault::Status(503)),
        (" HTTP = Drop ", "http", Fault::Drop),
    ];
    for (spec, vendor, fault) in ok {
        assert_eq!(parse_fault(spec), Ok((vendor.to_string(), fault)), "{spec}");
    }
}

#[test]
fn parse_fault_rejects_bad_specs_with_clear_errors() {
    for spec in [
        "slack",
        "jira=404",
        "slack=200",
        "slack=600",
        "slack=slow:abc",
        "slack=slow:9999999",
        "slack=explode",
        "=404",
        "slack=",
    ] {
        let err = parse_fault(spec).expect_err(spec);
        assert!(err.contains(&format!("{spec:?}")), "{spec}: {err}");
        assert!(err.contains("datadog, sentry"), "{spec}: {err}");
        assert!(err.contains("slow:"), "{spec}: {err}");
    }
    assert!(
        parse_fault("jira=404")
            .unwrap_err()
            .contains("unknown vendor \"jira\"")
    );
}

#[tokio::test]
async fn set_fault_changes_behaviour_while_serving() {
    let (m, base) = start(&[]).await;
    let c = client();
    let url = format!("{base}/datadog/api/v1/validate");
    assert_eq!(
        send(c.get(&url).header("DD-API-KEY", "k")).await.status,
        200
    );
    m.set_fault("datadog", Some(Fault::Status(403)));
    assert_eq!(
        send(c.get(&url).header("DD-API-KEY", "k")).await.status,
        403
    );
    // A clone shares the faults.
    m.clone().set_fault("DataDog", None);
    assert_eq!(
        send(c.get(&url).header("DD-API-KEY", "k")).await.status,
        200
    );
    // A fault on one vendor leaves the others alone.
    m.set_fault("slack", Some(Fault::Drop));
    assert_eq!(
        send(c.get(&url).header("DD-API-KEY", "k")).await.status,
        200
    );
}

#[tokio::test]
async fn requests_are_recorded_without_query() {
    let (m, base) = start(&[("slack", Fault::Status(404))]).await;
    let c = client();
    send(
        c.get(format!("{base}/datadog/api/v1/validate"))
            .header("DD-API-KEY", "k"),
    )
    .await;
    send(c.get(format!("{base}/opsgenie/v2/alerts/count?query=status:open"))).await;
    send(c.post(format!("{base}/slack/services/T/B/X")).body("x")).await;
    send(c.get(format!("{base}/unknown/thing?x=1"))).await;
    let got = m.requests();
    let want: Vec<(String, String)> = [
        ("GET", "/datadog/api/v1/validate"),
        ("GET", "/opsgenie/v2/alerts/count"),
        ("POST", "/slack/services/T/B/X"),
        ("GET", "/unknown/thing"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want);
    assert!(
        !got.iter()
            .any(|(method, path)| method == "POST" && path == "/datadog/api/v1/events"),
        "polling must not post events"
    );
}

#[tokio::test]
async fn raw_chunked_body_and_malformed_request_line() {
    let (_m, base) = start(&[]).await;
    let addr = base.trim_start_matches("http://").to_string();
    let roundtrip = |raw: &'static str| {
        let addr = addr.clone();
        async move {
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.write_all(raw.as_bytes()).await.unwrap();
            let mut out = String::new();
            tokio::time::timeout(Duration::from_secs(5), s.read_to_string(&mut out))
                .await
                .expect("server must close the connection")
                .unwrap();
            out
        }
    };
    let out = roundtrip(
        "POST /slack/services/T/B/X HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"tex\r\nB\r\nt\":\"hello\"}\r\n0\r\n\r\n",
    )
    .await;
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    assert!(out.contains("Connection: close\r\n"), "{out}");
    assert!(out.ends_with("\r\n\r\nok"), "{out}");

    let out = roundtrip("GARBAGE\r\n\r\n").await;
    assert!(out.starts_with("HTTP/1.1 400 "), "{out}");
}
