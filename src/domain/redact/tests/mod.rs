use super::*;

// Fake credentials, assembled at run time so that nothing shaped like a
// real secret is a literal in the source.

pub(super) fn slack_bot_token() -> String {
    format!(
        "xoxb-{}-{}-{}",
        "1".repeat(12),
        "2".repeat(13),
        "aB3".repeat(8)
    )
}

pub(super) fn slack_webhook() -> String {
    format!(
        "https://hooks.slack.com/services/T{}/B{}/{}",
        "0A1B2C3D4",
        "5E6F7G8H9",
        "xY7".repeat(8)
    )
}

pub(super) fn github_token() -> String {
    format!("ghp_{}", "aB3dE5".repeat(6))
}

pub(super) fn aws_key_id() -> String {
    format!("AKIA{}", "Z7Q2".repeat(4))
}

pub(super) fn hex32(seed: &str) -> String {
    seed.repeat(32 / seed.len())
}

pub(super) fn sentry_dsn() -> String {
    format!("https://{}@o4505.ingest.sentry.io/4506", hex32("3f9a"))
}

pub(super) fn dd_key() -> String {
    hex32("5c1e")
}

pub(super) fn redactor(pairs: &[(&str, &str)]) -> Redactor {
    Redactor::new(
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
    )
}

pub(super) fn plain(text: &str) -> Redacted {
    Redactor::default().redact(text)
}

pub(super) fn names(r: &Redacted) -> Vec<&str> {
    r.names.iter().map(String::as_str).collect()
}

pub(super) fn assert_untouched(text: &str) {
    let out = plain(text);
    assert_eq!(out.text, text, "prose was changed");
    assert!(out.names.is_empty(), "names for {text:?}: {:?}", out.names);
}

mod headers_and_keys;
mod prose;
mod values_and_slack;
