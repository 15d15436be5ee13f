//! `shiftdeck.toml`: who is on shift and how the screen looks.

use crate::diagnostic::FileProblem;
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Operator,
    Approver,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Approver => "approver",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub operator: String,
    pub role: Role,
    pub timezone: Tz,
    pub theme: String,
    pub keymap: String,
    /// The environment variable holding the Slack webhook for handovers.
    pub slack_webhook_env: Option<String>,
    /// More credential variables whose values never reach the journal.
    pub redact_env: Vec<String>,
    /// What the Health pane polls.
    pub integrations: Vec<crate::integrations::setup::IntegrationConfig>,
    /// PagerDuty and Opsgenie accounts whose incidents join the inbox.
    pub incident_sources: Vec<crate::integrations::inbox::SourceConfig>,
}

impl Config {
    pub fn defaults() -> Config {
        Config {
            operator: login_name(),
            role: Role::Operator,
            timezone: Tz::UTC,
            theme: "default".into(),
            keymap: "default".into(),
            slack_webhook_env: None,
            redact_env: Vec::new(),
            integrations: Vec::new(),
            incident_sources: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct RawConfig {
    operator: Option<Spanned<String>>,
    #[serde(default)]
    role: Role,
    timezone: Option<Spanned<String>>,
    theme: Option<String>,
    keymap: Option<String>,
    #[serde(default)]
    slack: RawSlack,
    #[serde(default)]
    journal: RawJournal,
    #[serde(default)]
    integrations: Vec<crate::integrations::setup::IntegrationConfig>,
    #[serde(default)]
    incident_sources: Vec<crate::integrations::inbox::SourceConfig>,
    #[serde(flatten)]
    other: BTreeMap<String, toml::Value>,
}

/// `[slack]`: where handovers are posted. Only the *name* of the variable
/// holding the webhook URL lives here, never the URL.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSlack {
    webhook_env: Option<String>,
}

/// `[journal]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawJournal {
    #[serde(default)]
    redact_env: Vec<String>,
}

/// Tables later parts of the app read; not unknown here.
const KNOWN_TABLES: &[&str] = &["checklists", "approvals"];

/// Parse config text. Problems that make the file unusable return `Err`
/// (the caller then runs on the defaults); lesser ones come back as
/// warnings beside a usable config.
pub fn parse(path: &Path, source: &str) -> Result<(Config, Vec<FileProblem>), FileProblem> {
    let raw: RawConfig =
        toml::from_str(source).map_err(|e| FileProblem::from_toml(path, source, &e))?;
    let mut warnings = Vec::new();
    let mut config = Config::defaults();
    if let Some(op) = raw.operator {
        let name = op.get_ref().trim();
        if name.is_empty() {
            return Err(FileProblem::at(
                path,
                source,
                op.span().start,
                "operator: must not be empty",
            ));
        }
        config.operator = name.to_string();
    }
    config.role = raw.role;
    if let Some(tz) = raw.timezone {
        config.timezone = tz.get_ref().parse::<Tz>().map_err(|_| {
            FileProblem::at(
                path,
                source,
                tz.span().start,
                format!("timezone: unknown time zone {:?} (use an IANA name like \"America/Sao_Paulo\" or \"UTC\")", tz.get_ref()),
            )
        })?;
    }
    if let Some(t) = raw.theme {
        config.theme = t;
    }
    if let Some(k) = raw.keymap {
        config.keymap = k;
    }
    config.slack_webhook_env = raw.slack.webhook_env.filter(|v| !v.trim().is_empty());
    config.redact_env = raw.journal.redact_env;
    let mut names = std::collections::HashSet::new();
    for i in &raw.integrations {
        if !names.insert(i.name.clone()) {
            return Err(FileProblem::new(
                path,
                key_line(source, "integrations"),
                format!("integrations: the name {:?} is used twice", i.name),
            ));
        }
    }
    config.integrations = raw.integrations;
    let mut prefixes = std::collections::HashSet::new();
    for s in &raw.incident_sources {
        let line = nth_table_line(source, "incident_sources", &s.name);
        if !names.insert(s.name.clone()) {
            return Err(FileProblem::new(
                path,
                line,
                format!(
                    "incident_sources: the name {:?} is used twice (names are shared with [[integrations]])",
                    s.name
                ),
            ));
        }
        if let Some(p) = s.problems().into_iter().next() {
            return Err(FileProblem::new(
                path,
                line,
                format!("incident_sources {:?}: {p}", s.name),
            ));
        }
        if !prefixes.insert(s.prefix().to_ascii_uppercase()) {
            return Err(FileProblem::new(
                path,
                line,
                format!(
                    "incident_sources {:?}: prefix {:?} is used by another source: set prefix = \"…\" so ids stay unique",
                    s.name,
                    s.prefix()
                ),
            ));
        }
    }
    config.incident_sources = raw.incident_sources;
    for key in raw.other.keys() {
        if !KNOWN_TABLES.contains(&key.as_str()) {
            warnings.push(FileProblem::new(
                path,
                key_line(source, key),
                format!("unknown key `{key}`, ignored"),
            ));
        }
    }
    Ok((config, warnings))
}

/// The line of the `name = "…"` inside a `[[table]]`, else the table's first line.
fn nth_table_line(source: &str, table: &str, name: &str) -> Option<usize> {
    let mut inside = false;
    for (i, l) in source.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') {
            inside = t == format!("[[{table}]]");
            continue;
        }
        if inside
            && let Some(rest) = t.strip_prefix("name")
            && let Some(v) = rest.trim_start().strip_prefix('=')
            && v.trim().trim_matches('"') == name
        {
            return Some(i + 1);
        }
    }
    key_line(source, table)
}

/// The line where a top-level key is set (`key =`, `[key]` or `[[key]]`).
fn key_line(source: &str, key: &str) -> Option<usize> {
    source
        .lines()
        .position(|l| {
            let l = l
                .trim_start()
                .trim_start_matches('[')
                .trim_start_matches('"');
            l.strip_prefix(key).is_some_and(|rest| {
                let rest = rest.trim_start_matches('"').trim_start();
                rest.starts_with('=') || rest.starts_with(']') || rest.starts_with('.')
            })
        })
        .map(|i| i + 1)
}

/// Read and parse the config file; a missing file means the defaults.
pub fn load(path: &Path) -> (Config, Vec<FileProblem>) {
    match std::fs::read_to_string(path) {
        Ok(src) => match parse(path, &src) {
            Ok(ok) => ok,
            Err(p) => (Config::defaults(), vec![p]),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Config::defaults(), Vec::new()),
        Err(e) => (
            Config::defaults(),
            vec![FileProblem::new(path, None, format!("cannot read: {e}"))],
        ),
    }
}

/// The operator's login name, for the default `operator`.
pub fn login_name() -> String {
    for var in ["USER", "LOGNAME", "USERNAME"] {
        if let Ok(v) = std::env::var(var)
            && !v.trim().is_empty()
        {
            return v;
        }
    }
    // No login variables (cron, some containers): ask the user database.
    // SAFETY: getpwuid returns null or a pointer to a static record whose
    // name is a NUL-terminated string; it is copied out at once.
    unsafe {
        let pw = libc::getpwuid(libc::getuid());
        if !pw.is_null() && !(*pw).pw_name.is_null() {
            let name = std::ffi::CStr::from_ptr((*pw).pw_name)
                .to_string_lossy()
                .into_owned();
            if !name.is_empty() {
                return name;
            }
        }
    }
    "operator".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("/ws/shiftdeck.toml")
    }

    #[test]
    fn full_config_parses() {
        let src = "operator = \"ana.lima\"\nrole = \"approver\"\ntimezone = \"America/Sao_Paulo\"\ntheme = \"light\"\nkeymap = \"vim\"\n";
        let (c, w) = parse(p(), src).unwrap();
        assert!(w.is_empty());
        assert_eq!(c.operator, "ana.lima");
        assert_eq!(c.role, Role::Approver);
        assert_eq!(c.timezone, chrono_tz::America::Sao_Paulo);
        assert_eq!((c.theme.as_str(), c.keymap.as_str()), ("light", "vim"));
    }

    #[test]
    fn bad_role_names_line_and_choices() {
        let err = parse(p(), "operator = \"ana\"\nrole = \"admin\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.message.contains("unknown variant `admin`"),
            "{}",
            err.message
        );
        assert!(err.message.contains("operator") && err.message.contains("approver"));
    }

    #[test]
    fn bad_timezone_names_line() {
        let err = parse(p(), "\n\ntimezone = \"Mars/Olympus\"\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.to_string()
                .contains("timezone: unknown time zone \"Mars/Olympus\""),
            "{err}"
        );
    }

    #[test]
    fn unknown_keys_warn_but_load() {
        let (c, w) = parse(
            p(),
            "operatr = \"x\"\ntheme = \"mono\"\n[[integrations]]\nname = \"ops\"\nkind = \"slack\"\n",
        )
        .unwrap();
        assert_eq!(c.theme, "mono");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(1));
        assert!(w[0].message.contains("unknown key `operatr`"));
    }

    #[test]
    fn slack_and_journal_tables_name_variables_never_values() {
        let (c, w) = parse(p(), "[slack]\nwebhook_env = \"SLACK_WEBHOOK_URL\"\n[journal]\nredact_env = [\"NETBOX_WRITE_TOKEN\"]\n").unwrap();
        assert!(w.is_empty());
        assert_eq!(c.slack_webhook_env.as_deref(), Some("SLACK_WEBHOOK_URL"));
        assert_eq!(c.redact_env, vec!["NETBOX_WRITE_TOKEN".to_string()]);
        let err = parse(
            p(),
            "[slack]\nwebhook_url = \"https://hooks.slack.com/services/x\"\n",
        )
        .unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.message.contains("unknown field `webhook_url`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn broken_toml_is_an_error_with_line() {
        let err = parse(p(), "operator = \"ana\nrole = \"operator\"\n").unwrap_err();
        assert_eq!(err.line, Some(1));
    }
}
