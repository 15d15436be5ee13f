//! No secret in the journal: before a note, a command's output or a report is
//! written to disk or posted, the values of the configured credential
//! variables and the common token shapes are replaced by `[redacted:NAME]`,
//! and the caller learns which names were redacted so the operator can be
//! told.
//!
//! The rules run in a fixed order, each on the output of the previous one:
//!
//! 1. exact values of the configured secrets (`[redacted:DD_API_KEY]`),
//! 2. Slack incoming-webhook URLs (`[redacted:slack-webhook]`),
//! 3. Slack tokens (`[redacted:slack-token]`),
//! 4. credential HTTP headers, keeping the header name
//!    (`Authorization: [redacted:authorization]`),
//! 5. Sentry DSNs, passwords in URLs, values after key words such as `token=`
//!    or `password:`, GitHub tokens and AWS access key ids.
//!
//! Ordinary operator prose ("rotated the HEC token, old key revoked") is left
//! alone: generic values are only redacted when they sit right after a key
//! word, and then only when they look like a credential.

use regex::{Captures, Regex};
use std::cmp::Reverse;
use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

/// Well-known credential variables whose values are redacted by default.
pub const DEFAULT_SECRET_VARS: &[&str] = &[
    "DD_API_KEY",
    "DD_APP_KEY",
    "SENTRY_DSN",
    "SENTRY_AUTH_TOKEN",
    "PAGERDUTY_ROUTING_KEY",
    "PAGERDUTY_TOKEN",
    "PAGERDUTY_API_TOKEN",
    "OPSGENIE_API_KEY",
    "SLACK_WEBHOOK_URL",
    "SLACK_BOT_TOKEN",
    "SPLUNK_HEC_TOKEN",
    "NETBOX_WRITE_TOKEN",
    "NETBOX_TOKEN",
    "GITHUB_TOKEN",
    "AWS_SECRET_ACCESS_KEY",
    "ADMIN_TOKEN",
    "GATEWAY_API_KEY",
];

/// Configured values shorter than this (in characters) are ignored: they are
/// too likely to match ordinary words.
const MIN_SECRET_CHARS: usize = 6;

/// Generic values after a key word must be at least this long.
const MIN_KEY_VALUE_CHARS: usize = 16;

const MARKER_OPEN: &str = "[redacted:";

/// Replaces secrets in text. Build it once per session and reuse it.
#[derive(Clone, Default)]
pub struct Redactor {
    /// (name, value), values unique and trimmed, longest first.
    secrets: Vec<(String, String)>,
}

/// The result of [`Redactor::redact`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    /// The text with every secret replaced by `[redacted:NAME]`.
    pub text: String,
    /// What was redacted, deduplicated, in the order first seen in the text.
    pub names: Vec<String>,
}

impl Redactor {
    /// Secrets are (NAME, value) pairs, e.g. `("DD_API_KEY", value)`. Values
    /// are matched without surrounding whitespace; values shorter than six
    /// characters are ignored. When two names share a value the first wins.
    pub fn new(secrets: Vec<(String, String)>) -> Redactor {
        let mut kept: Vec<(String, String)> = Vec::with_capacity(secrets.len());
        for (name, value) in secrets {
            let value = value.trim();
            if value.chars().count() < MIN_SECRET_CHARS || kept.iter().any(|(_, v)| v == value) {
                continue;
            }
            let name = name.trim();
            let name = if name.is_empty() { "secret" } else { name };
            kept.push((name.to_string(), value.to_string()));
        }
        // Stable: among equal lengths the caller's order is kept.
        kept.sort_by_key(|(_, value)| Reverse(value.len()));
        Redactor { secrets: kept }
    }

    /// Build from environment variable names: reads each variable's current
    /// value, skipping variables that are unset, empty or not UTF-8.
    pub fn from_env(names: &[&str]) -> Redactor {
        let secrets = names
            .iter()
            .filter_map(|name| {
                let value = std::env::var(name).ok()?;
                (!value.trim().is_empty()).then(|| (name.to_string(), value))
            })
            .collect();
        Redactor::new(secrets)
    }

    /// Replace every secret in `text`, see the module documentation for the
    /// rules and their order.
    pub fn redact(&self, text: &str) -> Redacted {
        let mut work = Work::new(text);
        let hits = self.secret_hits(&work.text);
        work.apply(hits);
        work.apply(scan(&SLACK_WEBHOOK, &work.text, |c| {
            whole(c, "slack-webhook")
        }));
        work.apply(scan(&SLACK_TOKEN, &work.text, |c| whole(c, "slack-token")));
        work.apply(scan(&HEADER, &work.text, judge_header));
        work.apply(scan(&SENTRY_DSN, &work.text, |c| whole(c, "sentry-dsn")));
        work.apply(scan(&URL_PASSWORD, &work.text, judge_url_password));
        work.apply(scan(&PASSWORD_VALUE, &work.text, judge_password));
        work.apply(scan(&KEY_VALUE, &work.text, judge_key_value));
        work.apply(scan(&GITHUB_TOKEN, &work.text, |c| whole(c, "secret")));
        work.apply(scan(&AWS_KEY_ID, &work.text, |c| whole(c, "secret")));
        work.finish()
    }

    /// Occurrences of the configured values, leftmost first and, at the same
    /// place, longest first. Where two values overlap, the part of the later
    /// one that sticks out gets a marker of its own.
    fn secret_hits(&self, text: &str) -> Vec<Hit> {
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (index, (_, value)) in self.secrets.iter().enumerate() {
            for (start, _) in text.match_indices(value.as_str()) {
                found.push((start, start + value.len(), index));
            }
        }
        found.sort_by_key(|&(start, end, index)| (start, Reverse(end), index));
        let mut hits = Vec::new();
        let mut covered = 0;
        for (start, end, index) in found {
            if end <= covered {
                continue;
            }
            hits.push(Hit {
                range: start.max(covered)..end,
                name: self.secrets[index].0.clone(),
            });
            covered = end;
        }
        hits
    }
}

impl fmt::Debug for Redactor {
    /// Shows the names only, never a value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field(
                "secrets",
                &self
                    .secrets
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

// ---------------------------------------------------------------------------
// Patterns

/// `https://hooks.slack.com/services/T…/B…/…`, also workflow and trigger hooks.
static SLACK_WEBHOOK: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i:https?://hooks\.slack(?:-gov)?\.com/(?:services|workflows|triggers)/)T[A-Za-z0-9]+/[A-Za-z0-9_/-]+",
    )
});

/// Bot, user, app-level and refresh tokens.
static SLACK_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}"));

/// Credential headers. Inside a quoted curl argument the value ends at the
/// closing quote, in a quoted key/value pair (JSON, Python) at the value's
/// closing quote, otherwise at the end of the line.
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"authorization|dd-api-key|dd-application-key|x-sentry-auth|x-api-key";
    compile(&format!(
        r#"(?i)(?:"(?P<dn>{name})[ \t]*:[ \t]*(?P<dv>[^"\r\n]*)|'(?P<sn>{name})[ \t]*:[ \t]*(?P<sv>[^'\r\n]*)|(?P<kn>{name})["'][ \t]*[:=][ \t]*["'](?P<kv>[^"'\r\n]*)|(?P<bn>{name})[ \t]*:[ \t]*(?P<bv>[^\r\n]*))"#
    ))
});

/// `https://<32 hex>@o1.ingest.sentry.io/42`, also the old form with a secret.
static SENTRY_DSN: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)https?://[0-9a-f]{32}(?::[0-9a-f]{32})?@[a-z0-9.-]+(?::[0-9]+)?(?:/[a-z0-9_./-]*)?",
    )
});

/// `scheme://user:password@host`: only the password is replaced.
static URL_PASSWORD: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)[a-z][a-z0-9+.-]*://[^\s:/@]*:(?P<pw>[^\s/@]+)@"));

/// `password=…`, `DB_PASSWORD: "…"`, `--passwd …`: any value.
static PASSWORD_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r#"(?i:[a-z0-9_.-]*passw(?:or)?d)(?P<sep>["']?[ \t]*(?::=|[:=])[ \t]*|[ \t]+)(?P<val>"[^"\r\n]*"|'[^'\r\n]*'|[^\s"'&]+)"#,
    )
});

/// `token=…`, `api_key: "…"`, `secret …`, `SPLUNK_HEC_TOKEN=…`: long key-like
/// values.
static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r#"(?i:[a-z0-9_.-]*(?:key|token|secret|passw(?:or)?d|dsn)[a-z0-9_.-]*)(?P<sep>["']?[ \t]*(?::=|[:=])[ \t]*["']?|[ \t]+)(?P<val>[A-Za-z0-9_+/=.-]{16,})"#,
    )
});

/// GitHub personal, OAuth, app and fine-grained tokens.
static GITHUB_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| compile(r"gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"));

/// AWS access key ids (long-term and temporary).
static AWS_KEY_ID: LazyLock<Regex> = LazyLock::new(|| compile(r"(?:AKIA|ASIA)[0-9A-Z]{16}"));

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("redaction pattern is valid")
}

// ---------------------------------------------------------------------------
// Judging matches

/// One replacement: `range` of the current text becomes `[redacted:name]`.
struct Hit {
    range: Range<usize>,
    name: String,
}

enum Verdict {
    Redact(Hit),
    /// Not a secret after all: search again from this offset.
    Skip(usize),
}

fn whole(caps: &Captures<'_>, name: &str) -> Verdict {
    let m = caps.get(0).expect("group 0 always matches");
    Verdict::Redact(Hit {
        range: m.range(),
        name: name.to_string(),
    })
}

fn judge_header(caps: &Captures<'_>) -> Verdict {
    let end = caps.get(0).expect("group 0 always matches").end();
    let pairs = [("dn", "dv"), ("sn", "sv"), ("kn", "kv"), ("bn", "bv")];
    let Some((name, value)) = pairs
        .iter()
        .find_map(|&(n, v)| Some((caps.name(n)?, caps.name(v)?)))
    else {
        return Verdict::Skip(end);
    };
    let mut range = trimmed(value.as_str(), value.start());
    let inner = &value.as_str()[range.start - value.start()..range.end - value.start()];
    // `Authorization: "Bearer …"` keeps its quotes.
    if inner.len() >= 2
        && (inner.starts_with('"') && inner.ends_with('"')
            || inner.starts_with('\'') && inner.ends_with('\''))
    {
        range = range.start + 1..range.end - 1;
    }
    if range.is_empty() {
        return Verdict::Skip(end);
    }
    Verdict::Redact(Hit {
        range,
        name: name.as_str().to_ascii_lowercase(),
    })
}

fn judge_url_password(caps: &Captures<'_>) -> Verdict {
    let pw = caps.name("pw").expect("pw is not optional");
    if pw.as_str().starts_with(MARKER_OPEN) {
        return Verdict::Skip(pw.end());
    }
    Verdict::Redact(Hit {
        range: pw.range(),
        name: "url-password".to_string(),
    })
}

fn judge_password(caps: &Captures<'_>) -> Verdict {
    let sep = caps.name("sep").expect("sep is not optional");
    let val = caps.name("val").expect("val is not optional");
    let raw = val.as_str();
    let quoted = raw.len() >= 2 && (raw.starts_with('"') || raw.starts_with('\''));
    let (inner, start) = if quoted {
        (&raw[1..raw.len() - 1], val.start() + 1)
    } else {
        let kept = raw.trim_end_matches([',', ';', ')', '}', ']']);
        (kept, val.start())
    };
    let spaced = !sep.as_str().contains([':', '=']);
    let skip = inner.trim().is_empty()
        || inner.starts_with(MARKER_OPEN)
        || is_reference(inner)
        || (spaced && !looks_like_password(inner));
    if skip {
        return Verdict::Skip(val.start());
    }
    Verdict::Redact(Hit {
        range: start..start + inner.len(),
        name: "secret".to_string(),
    })
}

fn judge_key_value(caps: &Captures<'_>) -> Verdict {
    let sep = caps.name("sep").expect("sep is not optional");
    let val = caps.name("val").expect("val is not optional");
    // A sentence's full stop is not part of the token.
    let value = val.as_str().trim_end_matches('.');
    let spaced = !sep.as_str().contains([':', '=']);
    let skip = value.len() < MIN_KEY_VALUE_CHARS
        || is_path_like(value)
        || (spaced && !looks_random(value));
    if skip {
        return Verdict::Skip(val.start());
    }
    Verdict::Redact(Hit {
        range: val.start()..val.start() + value.len(),
        name: "secret".to_string(),
    })
}

/// `range` of `s` (which starts at `offset`) without trailing whitespace.
fn trimmed(s: &str, offset: usize) -> Range<usize> {
    offset..offset + s.trim_end().len()
}

/// `${DB_PASSWORD}`, `$DB_PASSWORD`, `{{ vault … }}`: a reference, not a value.
fn is_reference(value: &str) -> bool {
    if value.starts_with("${") || value.starts_with("{{") {
        return true;
    }
    value.strip_prefix('$').is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    })
}

/// `/var/log/credguard/backend.log`: lowercase path segments.
fn is_path_like(value: &str) -> bool {
    let rooted = value.starts_with('/') || value.starts_with("./") || value.starts_with("~/");
    rooted
        && value.matches('/').count() >= 2
        && value.chars().any(|c| c.is_ascii_lowercase())
        && value.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '/' | '_' | '.' | '-' | '~')
        })
}

/// After a bare key word (`secret ghp_…`), only values that look generated
/// count: letters and digits, and either mixed case or many digits. This keeps
/// `token splunk-hec-prod-01` readable.
fn looks_random(value: &str) -> bool {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let upper = value.chars().any(|c| c.is_ascii_uppercase());
    let lower = value.chars().any(|c| c.is_ascii_lowercase());
    digits > 0 && (upper || lower) && ((upper && lower) || digits >= 6)
}

/// After a bare `password` (`--password hunter2`), a value counts when it is
/// not a plain word: "password reset" is prose.
fn looks_like_password(value: &str) -> bool {
    value.chars().count() >= MIN_SECRET_CHARS
        && value
            .chars()
            .any(|c| c.is_ascii_digit() || "!@#$%^&*+=?~_/\\|<>{}[]".contains(c))
}

/// Every acceptable match of `re` in `text`, left to right, not overlapping.
fn scan(re: &Regex, text: &str, mut judge: impl FnMut(&Captures<'_>) -> Verdict) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut pos = 0;
    while pos <= text.len() {
        let Some(caps) = re.captures_at(text, pos) else {
            break;
        };
        let whole = caps.get(0).expect("group 0 always matches");
        let step = next_boundary(text, whole.start());
        pos = match judge(&caps) {
            Verdict::Redact(hit) => {
                let next = whole.end().max(hit.range.end).max(step);
                hits.push(hit);
                next
            }
            Verdict::Skip(resume) => resume.max(step),
        };
    }
    hits
}

/// The first char boundary after `at` (or one past the end).
fn next_boundary(text: &str, at: usize) -> usize {
    let mut next = at + 1;
    while next < text.len() && !text.is_char_boundary(next) {
        next += 1;
    }
    next
}

// ---------------------------------------------------------------------------
// Applying replacements and keeping track of the markers

/// A marker placed so far: where it starts in the current text, and in which
/// order it was placed (a marker swallowed by a later replacement moves to
/// that replacement's position, before its marker).
struct Mark {
    pos: usize,
    seq: usize,
    name: String,
}

struct Edit {
    old: Range<usize>,
    new_start: usize,
    new_end: usize,
}

struct Work {
    text: String,
    marks: Vec<Mark>,
    seq: usize,
}

impl Work {
    fn new(text: &str) -> Work {
        Work {
            text: text.to_string(),
            marks: Vec::new(),
            seq: 0,
        }
    }

    /// Replace `hits` (sorted, not overlapping) and move the earlier markers
    /// along.
    fn apply(&mut self, hits: Vec<Hit>) {
        if hits.is_empty() {
            return;
        }
        let mut out = String::with_capacity(self.text.len() + hits.len() * 24);
        let mut edits = Vec::with_capacity(hits.len());
        let mut placed = Vec::with_capacity(hits.len());
        let mut last = 0;
        for hit in hits {
            out.push_str(&self.text[last..hit.range.start]);
            let new_start = out.len();
            out.push_str(MARKER_OPEN);
            out.push_str(&hit.name);
            out.push(']');
            edits.push(Edit {
                old: hit.range.clone(),
                new_start,
                new_end: out.len(),
            });
            placed.push(Mark {
                pos: new_start,
                seq: self.seq,
                name: hit.name,
            });
            self.seq += 1;
            last = hit.range.end;
        }
        out.push_str(&self.text[last..]);

        let mut i = 0;
        for mark in &mut self.marks {
            while i < edits.len() && edits[i].old.end <= mark.pos {
                i += 1;
            }
            mark.pos = match edits.get(i) {
                Some(edit) if edit.old.start <= mark.pos => edit.new_start,
                _ => match i.checked_sub(1).map(|j| &edits[j]) {
                    Some(before) => mark.pos - before.old.end + before.new_end,
                    None => mark.pos,
                },
            };
        }
        self.marks.extend(placed);
        self.marks.sort_by_key(|mark| (mark.pos, mark.seq));
        self.text = out;
    }

    fn finish(self) -> Redacted {
        let mut names: Vec<String> = Vec::new();
        for mark in self.marks {
            if !names.contains(&mark.name) {
                names.push(mark.name);
            }
        }
        Redacted {
            text: self.text,
            names,
        }
    }
}

#[cfg(test)]
mod tests {
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
        let json =
            format!(r#"{{"headers": {{"Authorization": "Bearer {token}", "Accept": "*/*"}}}}"#);
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
        assert_untouched(
            "dashboard https://grafana.example.com/d/abc123/latency?orgId=1&from=now-6h",
        );
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
}
