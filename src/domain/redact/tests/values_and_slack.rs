use super::*;

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
