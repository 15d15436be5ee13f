use super::*;

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
