//! Every vendor check against the project's own mock endpoints on
//! 127.0.0.1: the happy path, each failure signature with its status and
//! hint, a hung and a dropped endpoint, no side effects while polling,
//! verify, `probe --once` through the binary, and no credential anywhere.

mod common;

use shiftdeck::domain::health::{FailureClass, HealthStatus, ProbeOutcome};
use shiftdeck::integrations::mock::{Fault, Mocks};
use shiftdeck::integrations::probes::{ProbeContext, probe};
use shiftdeck::integrations::setup::{IntegrationConfig, Mode};
use std::collections::HashMap;
use std::time::Duration;

async fn mocks(faults: &[(&str, Fault)]) -> (Mocks, String) {
    let m = Mocks::new(
        faults
            .iter()
            .map(|(v, f)| (v.to_string(), f.clone()))
            .collect::<HashMap<_, _>>(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(m.clone().serve(listener));
    (m, base)
}

fn cfg(toml_text: &str) -> IntegrationConfig {
    toml::from_str(toml_text).unwrap()
}

const DATADOG: &str = "name = \"datadog\"\nkind = \"datadog\"\nmode = \"mock\"\ntimeout = 2\n";
const SENTRY: &str = "name = \"sentry\"\nkind = \"sentry\"\nmode = \"mock\"\ntoken_env = \"SHIFTDECK_TEST_NO_SUCH_VAR\"\norg = \"credguard\"\nproject = \"backend\"\ntimeout = 2\n";
const SENTRY_NO_TOKEN: &str =
    "name = \"sentry\"\nkind = \"sentry\"\nmode = \"mock\"\ntimeout = 2\n";
const PAGERDUTY: &str =
    "name = \"pagerduty\"\nkind = \"pagerduty\"\nmode = \"mock\"\ntimeout = 2\n";
const PAGERDUTY_EVENTS: &str = "name = \"pd-events\"\nkind = \"pagerduty\"\nmode = \"mock\"\nrouting_key_env = \"SHIFTDECK_TEST_NO_SUCH_VAR\"\ntimeout = 2\n";
const OPSGENIE: &str = "name = \"opsgenie\"\nkind = \"opsgenie\"\nmode = \"mock\"\ntimeout = 2\n";
const SLACK: &str = "name = \"slack\"\nkind = \"slack\"\nmode = \"mock\"\ntimeout = 2\n";
const SPLUNK: &str = "name = \"splunk\"\nkind = \"splunk\"\nmode = \"mock\"\ntimeout = 2\n";
const HTTP: &str = "name = \"gateway\"\nkind = \"http\"\nmode = \"mock\"\ntimeout = 2\n";
const ALL: &[&str] = &[DATADOG, SENTRY, PAGERDUTY, OPSGENIE, SLACK, SPLUNK, HTTP];

async fn check(base: &str, text: &str) -> ProbeOutcome {
    let client = shiftdeck::integrations::http_client(Duration::from_secs(5)).unwrap();
    let c = cfg(text);
    probe(
        &client,
        &c,
        &ProbeContext {
            mode: c.effective_mode(None),
            mock_base: base.to_string(),
        },
    )
    .await
}

fn assert_outcome(o: &ProbeOutcome, status: HealthStatus, hint_words: &[&str]) {
    assert_eq!(o.status, status, "{o:?}");
    for w in hint_words {
        assert!(
            o.hint.contains(w) || o.summary.contains(w),
            "{w:?} not in {o:?}"
        );
    }
}

#[tokio::test]
async fn every_vendor_is_green_against_healthy_mocks_and_polling_sends_nothing() {
    let (m, base) = mocks(&[]).await;
    for text in ALL {
        let o = check(&base, text).await;
        assert_eq!(o.status, HealthStatus::Up, "{text}: {o:?}");
        assert!(o.latency_ms.is_some());
    }
    let sent = m.requests();
    let side_effects = [
        "/datadog/api/v1/events",
        "/opsgenie/v2/alerts",
        "/pagerduty/v2/enqueue",
        "/pagerduty/v2/change/enqueue",
    ];
    for (method, path) in &sent {
        assert!(
            !(method == "POST" && side_effects.contains(&path.as_str())),
            "polling created something: {method} {path}"
        );
        assert!(
            !path.contains("/envelope/"),
            "with a token, Sentry is checked without sending an envelope"
        );
    }
    // Slack has no side-effect-free check: its malformed post runs at most every 15 minutes.
    assert_eq!(cfg(SLACK).poll_interval(), 900);
    assert_eq!(cfg(DATADOG).poll_interval(), 30);
}

#[tokio::test]
async fn datadog_403_names_both_causes() {
    let (_m, base) = mocks(&[("datadog", Fault::Status(403))]).await;
    let o = check(&base, DATADOG).await;
    assert_outcome(&o, HealthStatus::Down, &["revoked", "DD_SITE"]);
    assert_eq!(o.class, FailureClass::Config);
}

#[tokio::test]
async fn rate_limits_wait_as_the_vendor_says() {
    let (_m, base) = mocks(&[
        ("pagerduty", Fault::Status(429)),
        ("slack", Fault::Status(429)),
        ("datadog", Fault::Status(429)),
    ])
    .await;
    for text in [PAGERDUTY, SLACK, DATADOG] {
        let o = check(&base, text).await;
        assert_eq!(
            (o.status, o.class),
            (HealthStatus::Degraded, FailureClass::RateLimited),
            "{text}"
        );
        assert_eq!(
            o.retry_after,
            Some(2),
            "{text}: the vendor's reset header is honoured"
        );
    }
}

#[tokio::test]
async fn sentry_signatures() {
    let (m, base) = mocks(&[("sentry", Fault::Status(401))]).await;
    assert_outcome(
        &check(&base, SENTRY).await,
        HealthStatus::Down,
        &["auth token is invalid or revoked"],
    );
    m.set_fault("sentry", Some(Fault::Status(403)));
    assert_outcome(
        &check(&base, SENTRY_NO_TOKEN).await,
        HealthStatus::Down,
        &["EU org", "ingest.de.sentry.io"],
    );
    m.set_fault("sentry", Some(Fault::Status(404)));
    assert_outcome(
        &check(&base, SENTRY).await,
        HealthStatus::Down,
        &["wrong org or project slug"],
    );
    m.set_fault("sentry", None);
    // Against the stand-in (mock mode) the answer is all there is to prove.
    assert_outcome(
        &check(&base, SENTRY_NO_TOKEN).await,
        HealthStatus::Up,
        &["stand-in", "mock mode"],
    );
    // SAFETY: only this test reads this variable.
    unsafe {
        std::env::set_var(
            "SHIFTDECK_TEST_DSN_OK",
            format!("https://{}@o1.ingest.sentry.io/1", "a".repeat(32)),
        )
    };
    let real_no_token = format!(
        "name = \"sentry\"\nkind = \"sentry\"\nmode = \"real\"\ndsn_env = \"SHIFTDECK_TEST_DSN_OK\"\nbase_url = \"{base}/sentry\"\ntimeout = 2\n"
    );
    let partial = check(&base, &real_no_token).await;
    assert_eq!(
        (partial.status, partial.class),
        (HealthStatus::Degraded, FailureClass::Partial),
        "without a token the key is not proven"
    );
    assert!(partial.hint.contains("project:read"));
    let malformed =
        "name = \"sentry\"\nkind = \"sentry\"\nmode = \"real\"\ndsn_env = \"SHIFTDECK_TEST_DSN\"\n";
    // SAFETY: only this test reads this variable.
    unsafe {
        std::env::set_var(
            "SHIFTDECK_TEST_DSN",
            "https://nothex@o1.ingest.sentry.io/abc",
        )
    };
    let o = check(&base, malformed).await;
    assert_outcome(&o, HealthStatus::Down, &["DSN malformed", "32 hex"]);
}

#[tokio::test]
async fn pagerduty_signatures() {
    let (m, base) = mocks(&[("pagerduty", Fault::Status(401))]).await;
    assert_outcome(
        &check(&base, PAGERDUTY).await,
        HealthStatus::Down,
        &["invalid or revoked", "EU account"],
    );
    m.set_fault("pagerduty", Some(Fault::Status(403)));
    assert_outcome(
        &check(&base, PAGERDUTY).await,
        HealthStatus::Down,
        &["incidents.read"],
    );
    m.set_fault("pagerduty", None);
    assert_outcome(
        &check(&base, PAGERDUTY_EVENTS).await,
        HealthStatus::Up,
        &["stand-in accepted the event"],
    );
    // SAFETY: only this test reads this variable.
    unsafe {
        std::env::set_var(
            "SHIFTDECK_TEST_PD_ROUTING",
            "0123456789abcdef0123456789abcdef",
        )
    };
    let real_events = format!(
        "name = \"pd-events\"\nkind = \"pagerduty\"\nmode = \"real\"\nrouting_key_env = \"SHIFTDECK_TEST_PD_ROUTING\"\nbase_url = \"{base}/pagerduty\"\ntimeout = 2\n"
    );
    let events = check(&base, &real_events).await;
    assert_eq!(
        (events.status, events.class),
        (HealthStatus::Degraded, FailureClass::Partial),
        "events-only tops out at yellow"
    );
    // SAFETY: only this test reads this variable.
    unsafe { std::env::set_var("SHIFTDECK_TEST_PD_KEY", "u+abcdefghijklmnopqr") };
    let rest_key = "name = \"pd\"\nkind = \"pagerduty\"\nmode = \"mock\"\nrouting_key_env = \"SHIFTDECK_TEST_PD_KEY\"\n";
    assert_outcome(
        &check(&base, rest_key).await,
        HealthStatus::Down,
        &["REST API key, not an Events v2 integration key"],
    );
}

#[tokio::test]
async fn opsgenie_signatures() {
    let (m, base) = mocks(&[("opsgenie", Fault::Status(401))]).await;
    assert_outcome(
        &check(&base, OPSGENIE).await,
        HealthStatus::Down,
        &["EU account", "api.opsgenie.com"],
    );
    m.set_fault("opsgenie", Some(Fault::Status(403)));
    assert_outcome(
        &check(&base, OPSGENIE).await,
        HealthStatus::Down,
        &["API integration"],
    );
    m.set_fault("opsgenie", None);
    assert!(
        check(&base, OPSGENIE).await.hint.contains("2027-04-05"),
        "the end-of-support notice"
    );
}

#[tokio::test]
async fn slack_signatures() {
    let (m, base) = mocks(&[("slack", Fault::Status(404))]).await;
    assert_outcome(
        &check(&base, SLACK).await,
        HealthStatus::Down,
        &["removed", "revoked"],
    );
    m.set_fault("slack", Some(Fault::Status(403)));
    assert_outcome(
        &check(&base, SLACK).await,
        HealthStatus::Down,
        &["rotated or revoked"],
    );
    m.set_fault("slack", Some(Fault::Status(410)));
    assert_outcome(
        &check(&base, SLACK).await,
        HealthStatus::Down,
        &["archived"],
    );
}

#[tokio::test]
async fn splunk_signatures() {
    let (m, base) = mocks(&[("splunk", Fault::Status(403))]).await;
    assert_outcome(
        &check(&base, SPLUNK).await,
        HealthStatus::Down,
        &["token is disabled in Splunk"],
    );
    m.set_fault("splunk", Some(Fault::Status(401)));
    assert_outcome(
        &check(&base, SPLUNK).await,
        HealthStatus::Down,
        &["wants a token"],
    );
    m.set_fault("splunk", Some(Fault::Status(503)));
    let o = check(&base, SPLUNK).await;
    assert_outcome(&o, HealthStatus::Degraded, &["queues are full"]);
    assert_eq!(o.class, FailureClass::Transient);
}

#[tokio::test]
async fn a_hung_endpoint_costs_only_its_own_timeout() {
    let (_m, base) = mocks(&[("sentry", Fault::Hang), ("opsgenie", Fault::Drop)]).await;
    let started = std::time::Instant::now();
    let client = shiftdeck::integrations::http_client(Duration::from_secs(5)).unwrap();
    let ctx = ProbeContext {
        mode: Mode::Mock,
        mock_base: base.clone(),
    };
    let hung = cfg(&SENTRY.replace("timeout = 2", "timeout = 1"));
    let healthy = cfg(DATADOG);
    let (h, d) = tokio::join!(probe(&client, &hung, &ctx), probe(&client, &healthy, &ctx));
    assert_eq!(d.status, HealthStatus::Up, "the other probe is not held up");
    assert_outcome(&h, HealthStatus::Degraded, &["no answer within 1 s"]);
    assert_eq!(h.class, FailureClass::Transient);
    assert!(started.elapsed() < Duration::from_secs(4));
    let dropped = check(&base, OPSGENIE).await;
    assert_eq!(
        (dropped.status, dropped.class),
        (HealthStatus::Degraded, FailureClass::Transient),
        "{dropped:?}"
    );
    // A connection refused (nothing listening) says so.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let refused = check(&format!("http://127.0.0.1:{port}"), DATADOG).await;
    assert_outcome(&refused, HealthStatus::Degraded, &["connection refused"]);
}

#[tokio::test]
async fn missing_credentials_say_what_to_set() {
    let (_m, base) = mocks(&[]).await;
    let real = "name = \"datadog\"\nkind = \"datadog\"\nmode = \"real\"\napi_key_env = \"SHIFTDECK_TEST_UNSET_KEY\"\n";
    let o = check(&base, real).await;
    assert_eq!(
        (o.status, o.class),
        (HealthStatus::Unknown, FailureClass::NotConfigured)
    );
    assert_eq!(o.summary, "not configured: set SHIFTDECK_TEST_UNSET_KEY");
}

#[tokio::test]
async fn verify_sends_one_test_event_and_cleans_up() {
    let (m, base) = mocks(&[]).await;
    let ctx = ProbeContext {
        mode: Mode::Mock,
        mock_base: base.clone(),
    };
    for text in [
        DATADOG,
        SENTRY,
        "name = \"pd\"\nkind = \"pagerduty\"\nmode = \"mock\"\n",
        OPSGENIE,
        SLACK,
        SPLUNK,
    ] {
        let steps = shiftdeck::integrations::verify::verify(&cfg(text), &ctx).await;
        assert!(steps.iter().all(|(_, r)| r.is_ok()), "{text}: {steps:?}");
    }
    let sent = m.requests();
    let posted = |p: &str| {
        sent.iter()
            .any(|(meth, path)| meth == "POST" && path.contains(p))
    };
    assert!(posted("/datadog/api/v1/events"));
    assert!(
        posted("/pagerduty/v2/change/enqueue"),
        "the light PagerDuty verify never pages"
    );
    assert!(
        posted("/opsgenie/v2/alerts") && posted("/close"),
        "the Opsgenie test alert is closed"
    );
    assert!(
        sent.iter()
            .any(|(meth, path)| meth == "GET" && path.contains("/v2/alerts/requests/")),
        "the async 202 is followed up"
    );
}

fn workspace_with(integrations: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("shiftdeck.toml"),
        format!("operator = \"ana\"\n{integrations}"),
    )
    .unwrap();
    dir
}

#[test]
fn probe_once_exit_codes_and_no_credential_anywhere() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (m, base) = rt.block_on(mocks(&[]));
    let secret_key = format!("ddkey-{}", "7f3a9c".repeat(5));
    let secret_hook = format!("{base}/slack/services/T0/B0/{}", "hooksecret".repeat(3));
    let integrations = format!(
        "[[integrations]]\nname = \"datadog\"\nkind = \"datadog\"\nmode = \"real\"\nbase_url = \"{base}/datadog\"\napi_key_env = \"SHIFTDECK_TEST_DD\"\n\n[[integrations]]\nname = \"slack\"\nkind = \"slack\"\nmode = \"real\"\nwebhook_env = \"SHIFTDECK_TEST_HOOK\"\n"
    );
    let ws = workspace_with(&integrations);
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(common::BIN)
            .args([
                "--workspace",
                ws.path().to_str().unwrap(),
                "probe",
                "--once",
            ])
            .args(extra)
            .env("SHIFTDECK_CONFIG_DIR", ws.path().join("cfg"))
            .env("SHIFTDECK_TEST_DD", &secret_key)
            .env("SHIFTDECK_TEST_HOOK", &secret_hook)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (code, text) = run(&[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("GREEN"));
    m.set_fault("datadog", Some(Fault::Status(403)));
    m.set_fault("slack", Some(Fault::Status(404)));
    let (code, text) = run(&["--json"]);
    assert_eq!(code, Some(9), "{text}");
    let v: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(v["green"], false);
    assert!(
        !text.contains(&secret_key) && !text.contains("hooksecret"),
        "no credential in the output: {text}"
    );

    // The full screen, polling the same broken integrations: nothing on screen, in what
    // reached the terminal, or in the journal holds a credential.
    // SAFETY: only this test reads these variables; the pty child inherits them.
    unsafe {
        std::env::set_var("SHIFTDECK_TEST_DD", &secret_key);
        std::env::set_var("SHIFTDECK_TEST_HOOK", &secret_hook);
    }
    let mut s = common::Session::start_sized(
        &["--workspace", ws.path().to_str().unwrap()],
        &ws.path().join("cfg"),
        140,
        40,
    );
    s.wait_for("4 Health");
    s.keys("4");
    s.keys("z");
    s.wait_for("no_service");
    let screen = s.screen();
    s.keys("q");
    s.wait_exit();
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    let mut journal = String::new();
    for e in std::fs::read_dir(ws.path().join("journal"))
        .unwrap()
        .flatten()
    {
        if e.path().is_file() {
            journal.push_str(&std::fs::read_to_string(e.path()).unwrap());
        }
    }
    assert!(
        journal.contains("\"kind\":\"health\""),
        "status changes are journaled"
    );
    for place in [&screen, &raw, &journal] {
        assert!(
            !place.contains(&secret_key) && !place.contains("hooksecret"),
            "a credential leaked"
        );
    }
}

#[tokio::test]
async fn opsgenie_team_not_found_names_the_team_and_the_region() {
    let (_m, base) = mocks(&[("opsgenie", Fault::Status(422))]).await;
    let o = check(&base, OPSGENIE).await;
    assert_outcome(
        &o,
        HealthStatus::Down,
        &["team not found", "OPSGENIE_REGION"],
    );
    assert_eq!(o.class, FailureClass::Config);
}

/// `v1/validate` ignores the APP key, so a configured one is checked on
/// `v2/validate_keys`: a refused APP key is DOWN with its own hint.
#[tokio::test]
async fn datadog_app_key_is_checked_on_its_own_endpoint() {
    let with_app = format!("{DATADOG}app_key_env = \"SHIFTDECK_TEST_NO_SUCH_APP_KEY\"\n");
    let (m, base) = mocks(&[]).await;
    let o = check(&base, &with_app).await;
    assert_outcome(&o, HealthStatus::Up, &["API and APP keys valid"]);
    assert!(
        m.requests()
            .iter()
            .any(|(_, p)| p == "/datadog/api/v2/validate_keys"),
        "{:?}",
        m.requests()
    );
    let o = check(&base, DATADOG).await;
    assert_outcome(&o, HealthStatus::Up, &["API key valid"]);

    let (_m, base) = mocks(&[("datadog/api/v2/validate_keys", Fault::Status(403))]).await;
    let o = check(&base, &with_app).await;
    assert_outcome(&o, HealthStatus::Down, &["APP key", "another org"]);
    assert_eq!(o.class, FailureClass::Config);
}

/// A development HEC with a self-signed certificate (a real TLS server,
/// `openssl s_server`): refused as it should be, accepted with
/// `SPLUNK_HEC_INSECURE=1`, and then said loudly on every line.
#[test]
fn splunk_insecure_reaches_a_self_signed_hec_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("openssl")
        .current_dir(dir.path())
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "hec.key",
            "-out",
            "hec.crt",
        ])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!(
            "\n*** SKIPPED splunk_insecure_reaches_a_self_signed_hec_and_says_so: needs openssl (apt-get install openssl) ***\n"
        );
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = std::process::Command::new("openssl")
        .current_dir(dir.path())
        .args([
            "s_server", "-quiet", "-www", "-cert", "hec.crt", "-key", "hec.key",
        ])
        .args(["-accept", &format!("127.0.0.1:{port}")])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let listening = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(25));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    assert!(listening, "openssl s_server did not listen");
    let ws = workspace_with(
        "[[integrations]]\nname = \"splunk-dev\"\nkind = \"splunk\"\nmode = \"real\"\ntimeout = 2\n",
    );
    let run = |insecure: bool| {
        let mut c = common::cli(ws.path());
        c.args(["probe", "--once"])
            .env("SPLUNK_HEC_URL", format!("https://127.0.0.1:{port}"))
            .env("SPLUNK_HEC_TOKEN", "0f3a9c7e-dev-hec-token");
        if insecure {
            c.env("SPLUNK_HEC_INSECURE", "1");
        }
        let out = c.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let strict = run(false);
    let loose = run(true);
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        strict.contains("TLS failed")
            && strict.contains("SPLUNK_HEC_INSECURE=1")
            && !strict.contains("! INSECURE"),
        "{strict}"
    );
    assert!(loose.contains("! INSECURE TLS"), "{loose}");
    assert!(
        !loose.to_lowercase().contains("certificate verify"),
        "{loose}"
    );
    assert!(!loose.to_lowercase().contains("unknownissuer"), "{loose}");
    assert!(!loose.contains("0f3a9c7e-dev-hec-token"));
}

/// Seed 002's mock pass criterion: with the stand-ins up and only a Sentry
/// DSN and a PagerDuty routing key (no REST tokens), all six integrations
/// PASS and the run exits 0.
#[test]
fn mock_mode_can_meet_the_runbooks_all_six_pass() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (_m, base) = rt.block_on(mocks(&[]));
    let six = [
        ("datadog", ""),
        ("sentry", "dsn_env = \"SENTRY_DSN\"\n"),
        ("pagerduty", "routing_key_env = \"PAGERDUTY_ROUTING_KEY\"\n"),
        ("opsgenie", ""),
        ("slack", "webhook_env = \"SLACK_WEBHOOK_URL\"\n"),
        ("splunk", ""),
    ]
    .iter()
    .map(|(k, extra)| {
        format!("[[integrations]]\nname = \"{k}\"\nkind = \"{k}\"\nmode = \"real\"\ntimeout = 2\n{extra}\n")
    })
    .collect::<String>();
    let ws = workspace_with(&six);
    let out = common::cli(ws.path())
        .args(["probe", "--once"])
        .env("OPERATOR_WIRING_MODE", "mock")
        .env("SHIFTDECK_MOCK_BASE", &base)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("GREEN: every integration is up"),
        "{stdout}"
    );
    assert_eq!(stdout.matches(" up ").count(), 6, "{stdout}");
}
