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
use std::sync::{Arc, LazyLock, RwLock};

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
    /// Values learnt after the redactor was built (a credential rotated in
    /// the env file while the app runs), for the names it was built with.
    live: Option<(Arc<LiveSecrets>, Vec<String>)>,
}

/// Every value a credential variable has had in this process, added as it
/// is read: the redactor built at start-up still catches a value rotated
/// in afterwards, and the old one too. Values are only ever added.
#[derive(Default)]
pub struct LiveSecrets {
    values: RwLock<Vec<(String, String)>>,
}

impl LiveSecrets {
    /// Remember `value` for `name` (trimmed; too short a value is ignored).
    pub fn put(&self, name: &str, value: &str) {
        let value = value.trim();
        if value.chars().count() < MIN_SECRET_CHARS {
            return;
        }
        let mut values = self.values.write().unwrap_or_else(|e| e.into_inner());
        if !values.iter().any(|(n, v)| n == name && v == value) {
            values.push((name.to_string(), value.to_string()));
        }
    }

    fn for_names(&self, names: &[String]) -> Vec<(String, String)> {
        let values = self.values.read().unwrap_or_else(|e| e.into_inner());
        values
            .iter()
            .filter(|(n, _)| names.iter().any(|m| m == n))
            .cloned()
            .collect()
    }
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
        Redactor {
            secrets: kept,
            live: None,
        }
    }

    /// Also redact whatever value `live` learns later for one of `names`.
    pub fn with_live(mut self, live: Arc<LiveSecrets>, names: &[&str]) -> Redactor {
        self.live = Some((live, names.iter().map(|n| n.to_string()).collect()));
        self
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

    /// Replace the configured values only (rule 1). For what a vendor answers
    /// to our own requests: the only secrets those carried are configured
    /// values, and this needs no pattern compiled (the token-shape rules cost
    /// a megabyte and more of compiled automata, for nothing there).
    pub fn redact_values(&self, text: &str) -> Redacted {
        let mut work = Work::new(text);
        let hits = self.secret_hits(&work.text);
        work.apply(hits);
        work.finish()
    }

    /// Occurrences of the configured values, leftmost first and, at the same
    /// place, longest first. Where two values overlap, the part of the later
    /// one that sticks out gets a marker of its own.
    fn secret_hits(&self, text: &str) -> Vec<Hit> {
        let learnt = match &self.live {
            Some((live, names)) => live.for_names(names),
            None => Vec::new(),
        };
        let all: Vec<&(String, String)> = self.secrets.iter().chain(learnt.iter()).collect();
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (index, (_, value)) in all.iter().enumerate() {
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
                name: all[index].0.clone(),
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
mod tests;
