//! `shiftdeck.toml`: who is on shift and how the screen looks.

use crate::diagnostic::FileProblem;
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

mod lines;
mod views;
use lines::{field_line, field_of, inner_line, line_of, table_field_line, table_line};

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
    /// Every `*_env` variable any table of the file names, read before the
    /// table is checked: a table left out for a typo still has its
    /// credential kept out of the journal.
    pub named_env: Vec<String>,
    /// The variable holding the Slack webhook for one-line status updates
    /// (the handover's webhook when unset).
    pub slack_updates_env: Option<String>,
    /// `[notify]`: bell and desktop notifications.
    pub notify: crate::domain::notify::NotifyConfig,
    /// `[email]`: where the handover is mailed.
    pub email: Option<crate::integrations::mail::EmailConfig>,
    /// `[store]`: the local files, or the team's PostgreSQL.
    pub store: crate::store::team::StoreConfig,
    /// `env_file`: credentials kept in a 0600 file (`.env.local`), relative
    /// to the config file's directory.
    pub env_file: Option<std::path::PathBuf>,
    /// `[health]`: when an integration down becomes an incident.
    pub health: crate::domain::health_incident::Rules,
    /// `[views]`: filters kept under a name.
    pub views: Vec<crate::domain::query::SavedView>,
    /// `mouse = false` leaves the mouse to the terminal (its own selection).
    pub mouse: bool,
    /// `locale = "pt-BR"`: the labels' language (else `LANG`'s).
    pub locale: Option<String>,
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
            named_env: Vec::new(),
            slack_updates_env: None,
            notify: Default::default(),
            email: None,
            store: Default::default(),
            env_file: None,
            health: Default::default(),
            views: Vec::new(),
            mouse: true,
            locale: None,
        }
    }
}

/// `[slack]`: where handovers are posted. Only the *name* of the variable
/// holding the webhook URL lives here, never the URL.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSlack {
    webhook_env: Option<String>,
    /// For one-line status updates, when they go to another channel.
    updates_webhook_env: Option<String>,
}

/// `[notify]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotify {
    bell: Option<bool>,
    desktop: Option<bool>,
    on_call_only: Option<bool>,
    events: Option<Vec<crate::domain::notify::Event>>,
}

/// `[health]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHealth {
    offer_after: Option<String>,
    auto_incident: Option<bool>,
}

/// `[journal]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawJournal {
    #[serde(default)]
    redact_env: Vec<String>,
}

/// Tables later parts of the app read; not unknown here.
const KNOWN_TABLES: &[&str] = &["checklists", "approvals", "store"];

/// Parse config text. Only a file that is not TOML at all returns `Err`
/// (the caller runs on the defaults). Otherwise each key is read on its
/// own: a bad one is reported with its line and costs that key only (its
/// default stands, or that integration or source is left out), and every
/// problem of the file comes back in one go.
pub fn parse(path: &Path, source: &str) -> Result<(Config, Vec<FileProblem>), FileProblem> {
    let raw: BTreeMap<Spanned<String>, Spanned<toml::Value>> =
        toml::from_str(source).map_err(|e| FileProblem::from_toml(path, source, &e))?;
    let mut problems = Vec::new();
    let mut config = Config::defaults();
    let mut names = std::collections::HashSet::new();
    for (key, value) in raw {
        let at = key.span().start;
        let here = |message: String| FileProblem::at(path, source, at, message);
        let value = value.into_inner();
        match key.get_ref().as_str() {
            "operator" => match value.as_str().map(str::trim) {
                Some(name) if !name.is_empty() => config.operator = name.to_string(),
                Some(_) => problems.push(here("operator: must not be empty (your login name is used)".into())),
                None => problems.push(here(format!("operator: expected a name in quotes, found {}", value.type_str()))),
            },
            "role" => match Role::deserialize(value) {
                Ok(r) => config.role = r,
                Err(e) => problems.push(here(format!("role: {} (the role stays operator)", e.message().trim()))),
            },
            "timezone" => match value.as_str().map(|t| t.parse::<Tz>()) {
                Some(Ok(tz)) => config.timezone = tz,
                _ => problems.push(here(format!(
                    "timezone: unknown time zone {value} (use an IANA name like \"America/Sao_Paulo\" or \"UTC\"; UTC is used)"
                ))),
            },
            "theme" => match value.as_str() {
                Some(t) => config.theme = t.to_string(),
                None => problems.push(here("theme: expected a name or a path in quotes".into())),
            },
            "env_file" => match value.as_str().map(str::trim) {
                Some(f) if !f.is_empty() => {
                    let dir = path.parent().unwrap_or(Path::new("."));
                    config.env_file = Some(dir.join(f));
                }
                _ => problems.push(here(
                    "env_file: expected a path in quotes, like \".env.local\" (credentials come from the environment only)".into(),
                )),
            },
            "locale" => match value.as_str().map(str::trim) {
                Some(l) if crate::domain::i18n::find(l).is_some() => config.locale = Some(l.to_string()),
                _ => problems.push(here(format!(
                    "locale: {value} is not one shiftdeck has (\"en\" or \"pt-BR\"; LANG's is used)"
                ))),
            },
            "mouse" => match value.as_bool() {
                Some(on) => config.mouse = on,
                None => problems.push(here(format!(
                    "mouse: expected true or false, found {} (the mouse stays on)",
                    value.type_str()
                ))),
            },
            "keymap" => match value.as_str() {
                Some(k) => config.keymap = k.to_string(),
                None => problems.push(here("keymap: expected a name or a path in quotes".into())),
            },
            "slack" => {
                config.named_env.extend(env_names(&value));
                match RawSlack::deserialize(value) {
                    Ok(s) => {
                        config.slack_webhook_env = s.webhook_env.filter(|v| !v.trim().is_empty());
                        config.slack_updates_env =
                            s.updates_webhook_env.filter(|v| !v.trim().is_empty());
                    }
                    Err(e) => problems.push(FileProblem::new(
                        path,
                        inner_line(source, "slack", &e).or(Some(line_of(source, at))),
                        format!("[slack] {}", e.message().trim()),
                    )),
                }
            }
            "journal" => {
                // The variables to redact count even when a field beside them is wrong.
                if let Some(names) = value.get("redact_env").and_then(|v| v.as_array()) {
                    config
                        .named_env
                        .extend(names.iter().filter_map(|n| n.as_str()).map(str::to_string));
                }
                match RawJournal::deserialize(value) {
                    Ok(j) => config.redact_env = j.redact_env,
                    Err(e) => problems.push(FileProblem::new(
                        path,
                        inner_line(source, "journal", &e).or(Some(line_of(source, at))),
                        format!("[journal] {}", e.message().trim()),
                    )),
                }
            }
            "notify" => match RawNotify::deserialize(value) {
                Ok(n) => {
                    let d = crate::domain::notify::NotifyConfig::default();
                    config.notify = crate::domain::notify::NotifyConfig {
                        bell: n.bell.unwrap_or(d.bell),
                        desktop: n.desktop.unwrap_or(d.desktop),
                        on_call_only: n.on_call_only.unwrap_or(d.on_call_only),
                        events: n.events.unwrap_or(d.events),
                    };
                }
                Err(e) => problems.push(FileProblem::new(
                    path,
                    inner_line(source, "notify", &e)
                        .or_else(|| table_field_line(source, "notify", "events"))
                        .or(Some(line_of(source, at))),
                    format!(
                        "[notify] {} (notifications stay as by default)",
                        e.message().trim()
                    ),
                )),
            },
            "health" => match RawHealth::deserialize(value) {
                Ok(h) => {
                    let d = crate::domain::health_incident::Rules::default();
                    let offer_after = match h.offer_after.as_deref().map(|s| {
                        crate::domain::format::parse_span(s, chrono::Duration::days(1))
                    }) {
                        None => Some(d.offer_after),
                        Some(Ok(span)) => Some(span),
                        Some(Err(e)) => {
                            problems.push(FileProblem::new(
                                path,
                                table_field_line(source, "health", "offer_after")
                                    .or(Some(line_of(source, at))),
                                format!("[health] offer_after: {e} (10m is used)"),
                            ));
                            None
                        }
                    };
                    config.health = crate::domain::health_incident::Rules {
                        offer_after: offer_after.unwrap_or(d.offer_after),
                        auto_incident: h.auto_incident.unwrap_or(d.auto_incident),
                    };
                }
                Err(e) => problems.push(FileProblem::new(
                    path,
                    inner_line(source, "health", &e).or(Some(line_of(source, at))),
                    format!("[health] {} (offered after 10m, never declared by itself)", e.message().trim()),
                )),
            },
            "views" => {
                let (views, wrong) = views::parse(path, source, at, value);
                config.views = views;
                problems.extend(wrong);
            }
            "store" => {
                config.named_env.extend(env_names(&value));
                match crate::store::team::StoreConfig::deserialize(value) {
                    Ok(c) => {
                        let wrong = c.problems();
                        if wrong.is_empty() {
                            config.store = c;
                        }
                        for w in wrong {
                            let line = field_of(&w)
                                .and_then(|f| table_field_line(source, "store", f))
                                .or(Some(line_of(source, at)));
                            problems.push(FileProblem::new(
                                path,
                                line,
                                format!("[store] {w} (the local files are used)"),
                            ));
                        }
                    }
                    Err(e) => problems.push(FileProblem::new(
                        path,
                        inner_line(source, "store", &e).or(Some(line_of(source, at))),
                        format!("[store] {} (the local files are used)", e.message().trim()),
                    )),
                }
            }
            "email" => {
                config.named_env.extend(env_names(&value));
                match crate::integrations::mail::EmailConfig::deserialize(value) {
                    Ok(c) => {
                        let wrong = c.problems();
                        if wrong.is_empty() {
                            config.email = Some(c);
                        }
                        for w in wrong {
                            let line = field_of(&w)
                                .and_then(|f| table_field_line(source, "email", f))
                                .or(Some(line_of(source, at)));
                            problems.push(FileProblem::new(
                                path,
                                line,
                                format!("[email] {w} (no mail is sent)"),
                            ));
                        }
                    }
                    Err(e) => problems.push(FileProblem::new(
                        path,
                        inner_line(source, "email", &e).or(Some(line_of(source, at))),
                        format!("[email] {} (no mail is sent)", e.message().trim()),
                    )),
                }
            }
            "integrations" => {
                for (i, table) in tables(value, &mut problems, here, "integrations") {
                    config.named_env.extend(env_names(&table));
                    let line = table_line(source, "integrations", &table, i);
                    match crate::integrations::setup::IntegrationConfig::deserialize(table) {
                        Ok(c) => {
                            let mut wrong = c.problems();
                            if !names.insert(c.name.clone()) {
                                wrong.insert(0, "the name is used twice".into());
                            }
                            if wrong.is_empty() {
                                config.integrations.push(c);
                            } else {
                                for w in wrong {
                                    let at = field_of(&w)
                                        .and_then(|f| field_line(source, "integrations", i, f))
                                        .or(line);
                                    problems.push(FileProblem::new(
                                        path,
                                        at,
                                        format!("integrations {:?}: {w} (it is not polled)", c.name),
                                    ));
                                }
                            }
                        }
                        Err(e) => problems.push(FileProblem::new(
                            path,
                            field_of(e.message())
                                .and_then(|f| field_line(source, "integrations", i, f))
                                .or(line),
                            format!("integrations #{}: {} (it is not polled)", i + 1, e.message().trim()),
                        )),
                    }
                }
            }
            "incident_sources" => {
                let mut prefixes = std::collections::HashSet::new();
                for (i, table) in tables(value, &mut problems, here, "incident_sources") {
                    config.named_env.extend(env_names(&table));
                    let line = table_line(source, "incident_sources", &table, i);
                    match crate::integrations::inbox::SourceConfig::deserialize(table) {
                        Ok(s) => {
                            let mut wrong = s.problems();
                            if !names.insert(s.name.clone()) {
                                wrong.insert(0, "the name is used twice (names are shared with [[integrations]])".into());
                            }
                            if wrong.is_empty() && !prefixes.insert(s.prefix().to_ascii_uppercase()) {
                                wrong.push(format!(
                                    "prefix {:?} is used by another source: set prefix = \"…\" so ids stay unique",
                                    s.prefix()
                                ));
                            }
                            if wrong.is_empty() {
                                config.incident_sources.push(s);
                            } else {
                                for w in wrong {
                                    let at = field_of(&w)
                                        .and_then(|f| field_line(source, "incident_sources", i, f))
                                        .or(line);
                                    problems.push(FileProblem::new(
                                        path,
                                        at,
                                        format!("incident_sources {:?}: {w} (it is not read)", s.name),
                                    ));
                                }
                            }
                        }
                        Err(e) => problems.push(FileProblem::new(
                            path,
                            field_of(e.message())
                                .and_then(|f| field_line(source, "incident_sources", i, f))
                                .or(line),
                            format!("incident_sources #{}: {} (it is not read)", i + 1, e.message().trim()),
                        )),
                    }
                }
            }
            other if KNOWN_TABLES.contains(&other) => {}
            other => problems.push(here(format!("unknown key `{other}`, ignored"))),
        }
    }
    Ok((config, problems))
}

/// The variable names a table's `*_env` fields hold.
fn env_names(table: &toml::Value) -> Vec<String> {
    table
        .as_table()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.ends_with("_env"))
        .filter_map(|(_, v)| v.as_str())
        .map(str::to_string)
        .collect()
}

/// The tables of an array of tables (`[[integrations]]`), with their index.
fn tables(
    value: toml::Value,
    problems: &mut Vec<FileProblem>,
    here: impl Fn(String) -> FileProblem,
    name: &str,
) -> Vec<(usize, toml::Value)> {
    match value {
        toml::Value::Array(items) => items.into_iter().enumerate().collect(),
        other => {
            problems.push(here(format!(
                "{name}: expected [[{name}]] tables, found {}",
                other.type_str()
            )));
            Vec::new()
        }
    }
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
    fn health_rules_and_env_file_are_read_and_a_bad_span_is_named() {
        let (c, problems) = parse(
            p(),
            "env_file = \".env.local\"\n[health]\nauto_incident = true\noffer_after = \"soon\"\n",
        )
        .unwrap();
        assert!(c.health.auto_incident);
        assert_eq!(c.health.offer_after, chrono::Duration::minutes(10));
        assert_eq!(c.env_file.as_deref(), Some(Path::new("/ws/.env.local")));
        assert_eq!(problems.len(), 1, "{problems:?}");
        let shown = problems[0].to_string();
        assert!(
            shown.starts_with("/ws/shiftdeck.toml:4: [health] offer_after"),
            "{shown}"
        );
        let (c, problems) = parse(p(), "[health]\noffer_after = \"30m\"\n").unwrap();
        assert!(problems.is_empty() && !c.health.auto_incident);
        assert_eq!(c.health.offer_after, chrono::Duration::minutes(30));
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
    fn bad_role_names_line_and_choices_and_costs_only_the_role() {
        let (c, w) = parse(p(), "operator = \"ana\"\nrole = \"admin\"\n").unwrap();
        assert_eq!(c.operator, "ana", "the rest of the file stands");
        assert_eq!(c.role, Role::Operator, "the safe default");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(2));
        let m = &w[0].message;
        assert!(m.contains("unknown variant `admin`"), "{m}");
        assert!(m.contains("operator") && m.contains("approver"), "{m}");
    }

    #[test]
    fn bad_timezone_names_line() {
        let (c, w) = parse(p(), "\n\ntimezone = \"Mars/Olympus\"\noperator = \"bo\"\n").unwrap();
        assert_eq!(c.timezone, Tz::UTC);
        assert_eq!(c.operator, "bo");
        assert_eq!(w[0].line, Some(3));
        assert!(
            w[0].to_string()
                .contains("timezone: unknown time zone \"Mars/Olympus\""),
            "{}",
            w[0]
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
        let (c, w) = parse(
            p(),
            "operator = \"ana\"\n[slack]\nwebhook_url = \"https://hooks.slack.com/services/x\"\n",
        )
        .unwrap();
        assert_eq!(c.operator, "ana");
        assert_eq!(c.slack_webhook_env, None);
        assert_eq!(w[0].line, Some(3));
        assert!(
            w[0].message.contains("unknown field `webhook_url`"),
            "{}",
            w[0].message
        );
        assert!(!w[0].message.contains("hooks.slack.com"), "never the value");
    }

    #[test]
    fn notify_and_email_are_read_and_a_bad_one_names_its_line() {
        use crate::domain::notify::Event;
        let (c, w) = parse(p(), "operator = \"ana\"\n").unwrap();
        assert!(w.is_empty());
        assert!(c.notify.bell && c.notify.desktop && !c.notify.on_call_only);
        assert_eq!(c.notify.events.len(), 4, "every event by default");
        let src = "[notify]\nbell = false\non_call_only = true\nevents = [\"new_incident\"]\n[email]\nhost = \"127.0.0.1\"\nport = 2525\nstarttls = false\nfrom = \"noc@x.example\"\nto = [\"ops@x.example\"]\npassword_env = \"SMTP_PASSWORD\"\nusername = \"noc\"\n";
        let (c, w) = parse(p(), src).unwrap();
        assert!(w.is_empty(), "{w:?}");
        assert!(!c.notify.bell && c.notify.on_call_only);
        assert_eq!(c.notify.events, vec![Event::NewIncident]);
        assert_eq!(c.email.as_ref().map(|e| e.port()), Some(2525));
        assert!(
            c.named_env.contains(&"SMTP_PASSWORD".to_string()),
            "its password is redacted"
        );
        let (c, w) = parse(
            p(),
            "operator = \"ana\"\n[notify]\nevents = [\"ring_always\"]\n",
        )
        .unwrap();
        assert_eq!(w[0].line, Some(3), "{w:?}");
        assert!(
            w[0].message
                .contains("`new_incident`, `countdown`, `breached`, `integration_down`"),
            "{}",
            w[0]
        );
        assert!(c.notify.events.len() == 4, "the defaults stand");
        let (c, w) = parse(
            p(),
            "[email]\nhost = \"mail.example.com\"\nfrom = \"noc@x.example\"\nto = []\n",
        )
        .unwrap();
        assert!(c.email.is_none());
        assert_eq!(
            (w[0].line, w[0].message.starts_with("[email] to:")),
            (Some(4), true),
            "{w:?}"
        );
    }

    #[test]
    fn broken_toml_is_an_error_with_line() {
        let err = parse(p(), "operator = \"ana\nrole = \"operator\"\n").unwrap_err();
        assert_eq!(err.line, Some(1));
    }
}
