//! Missing auth, faults, fault specs, the request log, odd requests.

use super::*;

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

#[tokio::test]
async fn a_fault_named_by_a_path_covers_only_that_path() {
    // The demo's revoked webhook: the probed one fails, another works.
    let (_m, base) = start(&[("slack/services/T000", Fault::Status(404))]).await;
    let c = client();
    let a = send(
        c.post(format!("{base}/slack/services/T000/B000/probe"))
            .body("{}"),
    )
    .await;
    assert_eq!(a.status, 404);
    let a = send(
        c.post(format!("{base}/slack/services/T0DEMO/B0OPS/updates"))
            .header("content-type", "application/json")
            .body(r#"{"text":"hi"}"#),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
}
