use super::*;

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
