use super::*;

// Fake credentials, assembled at run time so that nothing shaped like a
// real secret is a literal in the source.

fn slack_bot_token() -> String {
    format!(
        "xoxb-{}-{}-{}",
        "1".repeat(12),
        "2".repeat(13),
        "aB3".repeat(8)
    )
}

fn slack_webhook() -> String {
    format!(
        "https://hooks.slack.com/services/T{}/B{}/{}",
        "0A1B2C3D4",
        "5E6F7G8H9",
        "xY7".repeat(8)
    )
}

fn github_token() -> String {
    format!("ghp_{}", "aB3dE5".repeat(6))
}

fn aws_key_id() -> String {
    format!("AKIA{}", "Z7Q2".repeat(4))
}

fn hex32(seed: &str) -> String {
    seed.repeat(32 / seed.len())
}

fn sentry_dsn() -> String {
    format!("https://{}@o4505.ingest.sentry.io/4506", hex32("3f9a"))
}

fn dd_key() -> String {
    hex32("5c1e")
}

fn redactor(pairs: &[(&str, &str)]) -> Redactor {
    Redactor::new(
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
    )
}

fn plain(text: &str) -> Redacted {
    Redactor::default().redact(text)
}

fn names(r: &Redacted) -> Vec<&str> {
    r.names.iter().map(String::as_str).collect()
}

fn assert_untouched(text: &str) {
    let out = plain(text);
    assert_eq!(out.text, text, "prose was changed");
    assert!(out.names.is_empty(), "names for {text:?}: {:?}", out.names);
}

// --- rule 1: configured values ------------------------------------------

#[test]
fn configured_value_is_replaced_by_its_variable_name() {
    let key = dd_key();
    let r = redactor(&[("DD_API_KEY", &key)]);
    let out = r.redact(&format!("curl -s https://api.example.com?x={key} | jq ."));
    assert_eq!(
        out.text,
        "curl -s https://api.example.com?x=[redacted:DD_API_KEY] | jq ."
    );
    assert_eq!(names(&out), ["DD_API_KEY"]);
}

#[test]
fn configured_value_replaced_at_every_occurrence() {
    let value = format!("pd-{}", "Q9w".repeat(6));
    let r = redactor(&[("PAGERDUTY_TOKEN", &value)]);
    let out = r.redact(&format!("{value}\n{value} and {value}"));
    assert_eq!(
        out.text,
        "[redacted:PAGERDUTY_TOKEN]\n[redacted:PAGERDUTY_TOKEN] and [redacted:PAGERDUTY_TOKEN]"
    );
    assert_eq!(names(&out), ["PAGERDUTY_TOKEN"]);
}

#[test]
fn short_configured_values_are_ignored() {
    let r = redactor(&[("ADMIN_TOKEN", "admin"), ("NETBOX_TOKEN", "  abcde \n")]);
    let out = r.redact("admin checked abcde on the admin page");
    assert_eq!(out.text, "admin checked abcde on the admin page");
    assert!(out.names.is_empty());
}

#[test]
fn six_character_value_is_redacted() {
    let r = redactor(&[("ADMIN_TOKEN", "q7Zp2x")]);
    let out = r.redact("login with q7Zp2x");
    assert_eq!(out.text, "login with [redacted:ADMIN_TOKEN]");
}

#[test]
fn minimum_length_counts_characters_not_bytes() {
    // Five characters but ten bytes: still too short.
    let r = redactor(&[("ADMIN_TOKEN", "ééééé")]);
    assert_eq!(r.redact("x ééééé y").text, "x ééééé y");
}

#[test]
fn surrounding_whitespace_of_a_value_is_not_part_of_it() {
    let key = dd_key();
    let r = redactor(&[("DD_API_KEY", &format!("  {key}\n"))]);
    assert_eq!(
        r.redact(&format!("k={key};")).text,
        "k=[redacted:DD_API_KEY];"
    );
}

#[test]
fn longest_value_first_when_one_contains_another() {
    let inner = format!("tok{}", "7".repeat(8));
    let outer = format!("https://gw.example.net/hook/{inner}/x");
    // The shorter one is listed first on purpose.
    let r = redactor(&[("ADMIN_TOKEN", &inner), ("GATEWAY_API_KEY", &outer)]);
    let out = r.redact(&format!("a {outer} b {inner} c"));
    assert_eq!(
        out.text,
        "a [redacted:GATEWAY_API_KEY] b [redacted:ADMIN_TOKEN] c"
    );
    assert_eq!(names(&out), ["GATEWAY_API_KEY", "ADMIN_TOKEN"]);
}

#[test]
fn overlapping_values_leave_nothing_behind() {
    let r = redactor(&[("DD_API_KEY", "abcdefgh12"), ("DD_APP_KEY", "gh12ijklmn")]);
    let out = r.redact("x abcdefgh12ijklmn y");
    assert_eq!(out.text, "x [redacted:DD_API_KEY][redacted:DD_APP_KEY] y");
    assert_eq!(names(&out), ["DD_API_KEY", "DD_APP_KEY"]);
}

#[test]
fn same_value_under_two_names_uses_the_first() {
    let value = format!("nb{}", "4f".repeat(10));
    let r = redactor(&[("NETBOX_WRITE_TOKEN", &value), ("NETBOX_TOKEN", &value)]);
    let out = r.redact(&value);
    assert_eq!(out.text, "[redacted:NETBOX_WRITE_TOKEN]");
    assert_eq!(names(&out), ["NETBOX_WRITE_TOKEN"]);
}

#[test]
fn configured_value_wins_over_the_shape_rules() {
    let hook = slack_webhook();
    let bot = slack_bot_token();
    let r = redactor(&[("SLACK_WEBHOOK_URL", &hook), ("SLACK_BOT_TOKEN", &bot)]);
    let out = r.redact(&format!("posted to {hook} as {bot}"));
    assert_eq!(
        out.text,
        "posted to [redacted:SLACK_WEBHOOK_URL] as [redacted:SLACK_BOT_TOKEN]"
    );
    assert_eq!(names(&out), ["SLACK_WEBHOOK_URL", "SLACK_BOT_TOKEN"]);
}

#[test]
fn configured_value_that_looks_like_a_marker_word_does_not_break_markers() {
    let r = redactor(&[("ADMIN_TOKEN", "redacted"), ("DD_API_KEY", &dd_key())]);
    let out = r.redact(&format!("{} and redacted", dd_key()));
    assert_eq!(out.text, "[redacted:DD_API_KEY] and [redacted:ADMIN_TOKEN]");
}

#[test]
fn from_env_reads_set_variables_and_skips_unset_ones() {
    let unset = "SHIFTDECK_REDACT_TEST_SURELY_UNSET_VARIABLE";
    assert!(std::env::var_os(unset).is_none());
    let Ok(path) = std::env::var("PATH") else {
        return; // Nothing reliable to read in this environment.
    };
    if path.trim().chars().count() < MIN_SECRET_CHARS {
        return;
    }
    let r = Redactor::from_env(&["PATH", unset]);
    assert_eq!(format!("{r:?}"), r#"Redactor { secrets: ["PATH"] }"#);
    let out = r.redact(&format!("env: {}", path.trim()));
    assert_eq!(out.text, "env: [redacted:PATH]");
    assert_eq!(names(&out), ["PATH"]);
}

#[test]
fn from_env_with_nothing_set_redacts_only_shapes() {
    let r = Redactor::from_env(&["SHIFTDECK_REDACT_TEST_SURELY_UNSET_VARIABLE"]);
    let out = r.redact(&format!("bot {}", slack_bot_token()));
    assert_eq!(out.text, "bot [redacted:slack-token]");
}

#[test]
fn debug_shows_names_but_never_values() {
    let key = dd_key();
    let shown = format!("{:?}", redactor(&[("DD_API_KEY", &key)]));
    assert!(shown.contains("DD_API_KEY"));
    assert!(!shown.contains(&key));
}

#[test]
fn default_secret_vars_are_the_seed_list() {
    assert_eq!(DEFAULT_SECRET_VARS.len(), 17);
    for name in [
        "DD_API_KEY",
        "SLACK_WEBHOOK_URL",
        "SPLUNK_HEC_TOKEN",
        "GATEWAY_API_KEY",
    ] {
        assert!(DEFAULT_SECRET_VARS.contains(&name), "{name}");
    }
    let mut sorted = DEFAULT_SECRET_VARS.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), DEFAULT_SECRET_VARS.len(), "duplicates");
}

// --- rule 2: Slack webhooks -----------------------------------------------

#[test]
fn slack_service_webhook() {
    let out = plain(&format!("curl -X POST {} -d @msg.json", slack_webhook()));
    assert_eq!(
        out.text,
        "curl -X POST [redacted:slack-webhook] -d @msg.json"
    );
    assert_eq!(names(&out), ["slack-webhook"]);
}

#[test]
fn slack_workflow_and_trigger_webhooks() {
    let workflow = format!(
        "https://hooks.slack.com/workflows/T{}/A{}/{}/{}",
        "0A1B2C3D4",
        "0B2C3D4E5",
        "4".repeat(18),
        "kP9".repeat(8)
    );
    let trigger = format!(
        "https://hooks.slack.com/triggers/T{}/{}/{}",
        "0A1B2C3D4",
        "5".repeat(13),
        hex32("9b1d")
    );
    let out = plain(&format!("wf={workflow}\ntrigger: \"{trigger}\""));
    assert_eq!(
        out.text,
        "wf=[redacted:slack-webhook]\ntrigger: \"[redacted:slack-webhook]\""
    );
    assert_eq!(names(&out), ["slack-webhook"]);
}

#[test]
fn slack_urls_that_are_not_webhooks_survive() {
    assert_untouched("see https://hooks.slack.com/services/ for setup");
    assert_untouched("thread https://acme.slack.com/archives/C0123ABCD/p1715650000");
}

// --- rule 3: Slack tokens -------------------------------------------------

#[test]
fn slack_tokens_of_every_kind() {
    let bot = slack_bot_token();
    let user = format!("xoxp-{}-{}", "3".repeat(12), "cD4".repeat(10));
    let app = format!("xapp-1-A{}-{}-{}", "0B1C2D3E4", "6".repeat(13), hex32("e7"));
    let legacy = format!("xoxa-2-{}", "Zz9".repeat(9));
    let out = plain(&format!("{bot} {user}\n\"{app}\" ({legacy})"));
    assert_eq!(
        out.text,
        "[redacted:slack-token] [redacted:slack-token]\n\"[redacted:slack-token]\" ([redacted:slack-token])"
    );
    assert_eq!(names(&out), ["slack-token"]);
}

#[test]
fn slack_token_prefix_alone_survives() {
    assert_untouched("bot tokens start with xoxb- and app tokens with xapp-");
}

// --- rule 4: headers ------------------------------------------------------

#[test]
fn authorization_header_schemes() {
    let secret = "dGhpcyBpcyBub3QgcmVhbA".repeat(2);
    for scheme in ["Bearer ", "Token token=", "GenieKey ", "Splunk ", "Basic "] {
        let out = plain(&format!("Authorization: {scheme}{secret}"));
        assert_eq!(
            out.text, "Authorization: [redacted:authorization]",
            "{scheme}"
        );
        assert_eq!(names(&out), ["authorization"]);
    }
}

#[test]
fn authorization_header_in_curl_double_quotes() {
    let line = format!(
        "curl -H \"Authorization: Bearer {}\" -H \"Accept: application/json\" https://api.pagerduty.com/incidents",
        "pd_".to_string() + &"Wq8".repeat(7)
    );
    let out = plain(&line);
    assert_eq!(
        out.text,
        "curl -H \"Authorization: [redacted:authorization]\" -H \"Accept: application/json\" https://api.pagerduty.com/incidents"
    );
}

#[test]
fn authorization_header_in_curl_single_quotes() {
    let line = format!(
        "curl --header 'authorization: GenieKey {}' https://api.opsgenie.com/v2/alerts",
        hex32("a1b2")
    );
    assert_eq!(
        plain(&line).text,
        "curl --header 'authorization: [redacted:authorization]' https://api.opsgenie.com/v2/alerts"
    );
}

#[test]
fn header_name_is_case_insensitive_and_kept_as_written() {
    let out = plain(&format!("AUTHORIZATION:Bearer {}", "x1Y2".repeat(5)));
    assert_eq!(out.text, "AUTHORIZATION:[redacted:authorization]");
}

#[test]
fn unquoted_header_value_runs_to_end_of_line_only() {
    let text = format!(
        "> GET /api/v1/status HTTP/1.1\n> Authorization: Token token={} \n> Host: netbox.internal\n",
        "n3T".repeat(8)
    );
    assert_eq!(
        plain(&text).text,
        "> GET /api/v1/status HTTP/1.1\n> Authorization: [redacted:authorization] \n> Host: netbox.internal\n"
    );
}

#[test]
fn vendor_headers_use_their_lowercased_name() {
    let dd = dd_key();
    let app = hex32("77ab");
    let text = format!(
        "curl -H \"DD-API-KEY: {dd}\" -H \"DD-APPLICATION-KEY: {app}\"\nX-Sentry-Auth: Sentry sentry_key={}, sentry_version=7\nx-api-key: {}",
        hex32("c0de"),
        "Gw4".repeat(8)
    );
    let out = plain(&text);
    assert_eq!(
        out.text,
        "curl -H \"DD-API-KEY: [redacted:dd-api-key]\" -H \"DD-APPLICATION-KEY: [redacted:dd-application-key]\"\nX-Sentry-Auth: [redacted:x-sentry-auth]\nx-api-key: [redacted:x-api-key]"
    );
    assert_eq!(
        names(&out),
        [
            "dd-api-key",
            "dd-application-key",
            "x-sentry-auth",
            "x-api-key"
        ]
    );
}

#[test]
fn header_in_json_or_python_keeps_its_quotes() {
    let token = "Jw7".repeat(8);
    let json = format!(r#"{{"headers": {{"Authorization": "Bearer {token}", "Accept": "*/*"}}}}"#);
    assert_eq!(
        plain(&json).text,
        r#"{"headers": {"Authorization": "[redacted:authorization]", "Accept": "*/*"}}"#
    );
    let py = format!("headers={{'X-API-Key': '{token}'}}");
    assert_eq!(
        plain(&py).text,
        "headers={'X-API-Key': '[redacted:x-api-key]'}"
    );
    let yaml = format!("  Authorization: \"Bearer {token}\"");
    assert_eq!(
        plain(&yaml).text,
        "  Authorization: \"[redacted:authorization]\""
    );
}

#[test]
fn empty_header_value_is_left_alone() {
    assert_untouched("Authorization:\nnext line");
    assert_untouched("curl -H \"Authorization: \" https://example.com");
}

#[test]
fn header_swallowing_a_configured_value_reports_both() {
    let value = format!("pdT{}", "k2".repeat(10));
    let r = redactor(&[("PAGERDUTY_API_TOKEN", &value)]);
    let out = r.redact(&format!("Authorization: Token token={value}"));
    assert_eq!(out.text, "Authorization: [redacted:authorization]");
    assert_eq!(names(&out), ["PAGERDUTY_API_TOKEN", "authorization"]);
}

// --- rule 5: key words, URLs and prefixed tokens ---------------------------

#[test]
fn value_after_key_word_with_equals() {
    let value = format!("abcd{}", "1234efgh".repeat(3));
    let out = plain(&format!("export SPLUNK_HEC_TOKEN={value}"));
    assert_eq!(out.text, "export SPLUNK_HEC_TOKEN=[redacted:secret]");
    assert_eq!(names(&out), ["secret"]);
    assert_eq!(
        plain(&format!("GET /v1/push?token={value}&since=1h")).text,
        "GET /v1/push?token=[redacted:secret]&since=1h"
    );
    assert_eq!(
        plain(&format!("aws_secret_access_key = {value}/Xy+z")).text,
        "aws_secret_access_key = [redacted:secret]"
    );
}

#[test]
fn value_after_key_word_with_colon_and_quotes() {
    let value = "kJ8".repeat(7);
    assert_eq!(
        plain(&format!("api_key: \"{value}\"")).text,
        "api_key: \"[redacted:secret]\""
    );
    assert_eq!(
        plain(&format!(r#"{{"apiKey":"{value}","region":"eu"}}"#)).text,
        r#"{"apiKey":"[redacted:secret]","region":"eu"}"#
    );
    assert_eq!(
        plain(&format!("sentry dsn: '{value}'")).text,
        "sentry dsn: '[redacted:secret]'"
    );
}

#[test]
fn value_after_bare_key_word() {
    let out = plain(&format!("new secret {} set in vault", github_token()));
    assert_eq!(out.text, "new secret [redacted:secret] set in vault");
    assert_eq!(
        plain(&format!("gateway key {} rotated.", hex32("8d0f"))).text,
        "gateway key [redacted:secret] rotated."
    );
    assert_eq!(
        plain(&format!(
            "HEC token {}.",
            "8f14e45f-ceea-467a-9575-6b8a3b1c2d4e"
        ))
        .text,
        "HEC token [redacted:secret]."
    );
}

#[test]
fn short_value_after_key_word_survives() {
    assert_untouched("token=abc123 expired");
    assert_untouched("api_key: \"short-one\"");
    assert_untouched("session_token_ttl=86400");
}

#[test]
fn bare_key_word_before_a_name_survives() {
    assert_untouched("rotated token splunk-hec-prod-01 in the console");
    assert_untouched("the secret rotation-procedure-document is in the wiki");
}

#[test]
fn password_takes_any_value() {
    let out = plain("password=hunter2 user=ops");
    assert_eq!(out.text, "password=[redacted:secret] user=ops");
    assert_eq!(names(&out), ["secret"]);
    assert_eq!(plain("passwd: x").text, "passwd: [redacted:secret]");
    assert_eq!(
        plain("DB_PASSWORD=\"correct horse battery\"").text,
        "DB_PASSWORD=\"[redacted:secret]\""
    );
    assert_eq!(
        plain(r#"{"password":"p4ss, word","user":"ana"}"#).text,
        r#"{"password":"[redacted:secret]","user":"ana"}"#
    );
    assert_eq!(
        plain("mysql -u root --password s3cr3t! -h db01").text,
        "mysql -u root --password [redacted:secret] -h db01"
    );
    assert_eq!(
        plain("{user: ops, password: hunter2}").text,
        "{user: ops, password: [redacted:secret]}"
    );
}

#[test]
fn password_prose_and_references_survive() {
    assert_untouched("password reset done for ana.lima");
    assert_untouched("the password was rotated yesterday");
    assert_untouched("passwordless login: enabled");
    assert_untouched("export PGPASSWORD=$DB_PASSWORD");
    assert_untouched("password: ${VAULT_DB_PASSWORD}");
    assert_untouched("password: \"\"");
}

#[test]
fn key_value_does_not_cross_lines() {
    let value = "Lm5".repeat(8);
    let text = format!("api key\n{value}");
    assert_untouched(&text);
}

#[test]
fn path_after_key_word_survives() {
    assert_untouched("secret_file=/etc/credguard/secret.key");
    assert_untouched("key: /var/log/credguard/backend.log");
}

#[test]
fn github_tokens_anywhere() {
    let classic = github_token();
    let oauth = format!("gho_{}", "Tq1".repeat(12));
    let server = format!("ghs_{}", "0pX".repeat(12));
    let fine = format!("github_pat_{}_{}", "11AB2CD3E".repeat(2), "wZ5".repeat(19));
    let out = plain(&format!(
        "git clone https://{classic}@github.com/acme/app\n{oauth}, {server} and {fine}"
    ));
    assert_eq!(
        out.text,
        "git clone https://[redacted:secret]@github.com/acme/app\n[redacted:secret], [redacted:secret] and [redacted:secret]"
    );
    assert_eq!(names(&out), ["secret"]);
}

#[test]
fn aws_access_key_id_anywhere() {
    let id = aws_key_id();
    let out = plain(&format!("caller {id} denied by policy"));
    assert_eq!(out.text, "caller [redacted:secret] denied by policy");
    assert_untouched("AKIA is the prefix of access key ids");
}

#[test]
fn sentry_dsn_anywhere() {
    let out = plain(&format!("init with {} ok", sentry_dsn()));
    assert_eq!(out.text, "init with [redacted:sentry-dsn] ok");
    assert_eq!(names(&out), ["sentry-dsn"]);
    assert_eq!(
        plain(&format!("SENTRY_DSN={}", sentry_dsn())).text,
        "SENTRY_DSN=[redacted:sentry-dsn]"
    );
    let legacy = format!(
        "https://{}:{}@sentry.internal.example/12",
        hex32("ab12"),
        hex32("cd34")
    );
    assert_eq!(
        plain(&format!("dsn: \"{legacy}\"")).text,
        "dsn: \"[redacted:sentry-dsn]\""
    );
}

#[test]
fn password_in_url_only_the_password_goes() {
    let out = plain("DATABASE_URL=postgres://app:Sup3r-s3cret@db.internal:5432/shift");
    assert_eq!(
        out.text,
        "DATABASE_URL=postgres://app:[redacted:url-password]@db.internal:5432/shift"
    );
    assert_eq!(names(&out), ["url-password"]);
    assert_eq!(
        plain("curl https://deploy:t0ps3cret@ci.example.com/api").text,
        "curl https://deploy:[redacted:url-password]@ci.example.com/api"
    );
    assert_eq!(
        plain("redis://:hunter22@cache:6379/0").text,
        "redis://:[redacted:url-password]@cache:6379/0"
    );
}

#[test]
fn url_password_already_redacted_by_name_is_kept() {
    let r = redactor(&[("ADMIN_TOKEN", "t0ps3cret")]);
    let out = r.redact("https://deploy:t0ps3cret@ci.example.com");
    assert_eq!(
        out.text,
        "https://deploy:[redacted:ADMIN_TOKEN]@ci.example.com"
    );
    assert_eq!(names(&out), ["ADMIN_TOKEN"]);
}

#[test]
fn urls_without_credentials_survive() {
    assert_untouched("dashboard https://grafana.example.com/d/abc123/latency?orgId=1&from=now-6h");
    assert_untouched("https://example.com:8443/health and git@github.com:acme/app.git");
    assert_untouched("ssh://git@github.com/acme/app and https://user@example.com/x");
}

// --- prose, combinations, names, unicode, size ------------------------------

#[test]
fn operator_prose_survives() {
    for line in [
        "rotated the HEC token in Splunk, old key revoked",
        "token disabled: 403 code 1",
        "checked key metrics, p99 2.1s",
        "inc_20260514_0241_7f3a9c acknowledged by ana.lima at 02:41",
        "fixed in 3f9a1c2e4b5d6a7f8e9d0c1b2a3f4e5d6c7b8a9f, deploying",
        "tail -f /var/log/credguard/backend.log | grep ERROR",
        "https://status.example.com/incidents/inc_20260514_0241_7f3a9c",
        "Key rotation scheduled for 2026-05-14T02:41:00Z",
        "the secret is in vault, ask the approver",
        "API keys: 3 active, 1 revoked",
        "monkey patching the DSN parser, tokens: 12",
        "",
    ] {
        assert_untouched(line);
    }
}

#[test]
fn key_word_before_an_incident_id_or_hash_is_redacted() {
    assert_eq!(
        plain("key=inc_20260514_0241_7f3a9c").text,
        "key=[redacted:secret]"
    );
    assert_eq!(
        plain("token 3f9a1c2e4b5d6a7f8e9d0c1b2a3f4e5d6c7b8a9f").text,
        "token [redacted:secret]"
    );
}

#[test]
fn several_secrets_on_one_line() {
    let key = dd_key();
    let r = redactor(&[("DD_API_KEY", &key)]);
    let line = format!(
        "{} posted by {} with key {key}, aws {}, password=hunter2 {}",
        slack_webhook(),
        slack_bot_token(),
        aws_key_id(),
        sentry_dsn()
    );
    let out = r.redact(&line);
    assert_eq!(
        out.text,
        "[redacted:slack-webhook] posted by [redacted:slack-token] with key [redacted:DD_API_KEY], aws [redacted:secret], password=[redacted:secret] [redacted:sentry-dsn]"
    );
    assert_eq!(
        names(&out),
        [
            "slack-webhook",
            "slack-token",
            "DD_API_KEY",
            "secret",
            "sentry-dsn"
        ]
    );
}

#[test]
fn names_are_deduplicated_in_text_order() {
    let key = dd_key();
    let r = redactor(&[("DD_API_KEY", &key)]);
    // The shape rule runs after the configured values, but the Slack token
    // comes first in the text, so it is named first.
    let out = r.redact(&format!(
        "{} {key} {} {key}",
        slack_bot_token(),
        slack_bot_token()
    ));
    assert_eq!(names(&out), ["slack-token", "DD_API_KEY"]);
    assert!(plain("nothing to see").names.is_empty());
}

#[test]
fn unicode_around_secrets() {
    let key = dd_key();
    let r = redactor(&[("DD_API_KEY", &key)]);
    let text = format!(
        "⚠️ clé «{key}» — トークン {} 🚨\nmot de passe: pässwörd✓ fin",
        slack_bot_token()
    );
    let out = r.redact(&text);
    // `pässwörd` is not the ASCII key word, so the value survives.
    assert_eq!(
        out.text,
        "⚠️ clé «[redacted:DD_API_KEY]» — トークン [redacted:slack-token] 🚨\nmot de passe: pässwörd✓ fin"
    );
    let out = plain("Passwort → password: geheim✓ 🔑");
    assert_eq!(out.text, "Passwort → password: [redacted:secret] 🔑");
    let out = plain(&format!("токен={}", github_token()));
    assert_eq!(out.text, "токен=[redacted:secret]");
}

#[test]
fn redacting_twice_changes_nothing_more() {
    let key = dd_key();
    let r = redactor(&[("DD_API_KEY", &key)]);
    let text = format!(
        "key {key}\nAuthorization: Bearer {}\npassword: hunter2\n{}\ntoken={}",
        "Zq9".repeat(8),
        slack_webhook(),
        github_token()
    );
    let once = r.redact(&text);
    let twice = r.redact(&once.text);
    assert_eq!(twice.text, once.text);
    assert!(!once.text.contains(&key));
}

#[test]
fn text_without_secrets_is_returned_unchanged() {
    let r = redactor(&[("DD_API_KEY", &dd_key())]);
    let out = r.redact("all quiet, p99 120ms");
    assert_eq!(
        out,
        Redacted {
            text: "all quiet, p99 120ms".to_string(),
            names: vec![]
        }
    );
}

#[test]
fn one_megabyte_input() {
    let key = dd_key();
    let bot = slack_bot_token();
    let r = redactor(&[("DD_API_KEY", &key)]);
    let mut text = String::with_capacity(1 << 20);
    let mut lines = 0;
    let mut secret_lines = 0;
    while text.len() < 1 << 20 {
        if lines % 50 == 7 {
            text.push_str(&format!(
                "02:41 key={key} bot {bot} Authorization: Bearer {}\n",
                "Yw3".repeat(8)
            ));
            secret_lines += 1;
        } else {
            text.push_str(
                "02:41 checked key metrics on /var/log/credguard/backend.log, p99 2.1s — ok ✓\n",
            );
        }
        lines += 1;
    }
    let out = r.redact(&text);
    assert!(!out.text.contains(&key));
    assert!(!out.text.contains(&bot));
    assert_eq!(
        out.text.matches("[redacted:DD_API_KEY]").count(),
        secret_lines
    );
    assert_eq!(
        out.text.matches("[redacted:slack-token]").count(),
        secret_lines
    );
    assert_eq!(
        out.text
            .matches("Authorization: [redacted:authorization]")
            .count(),
        secret_lines
    );
    assert_eq!(out.text.lines().count(), lines);
    assert_eq!(names(&out), ["DD_API_KEY", "slack-token", "authorization"]);
    // Everything that was not a secret is still there.
    assert_eq!(
        out.text.matches("checked key metrics").count(),
        lines - secret_lines
    );
}
