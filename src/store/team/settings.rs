//! `[store]` in `shiftdeck.toml`: which store holds the workspace's records.

use serde::Deserialize;
use std::path::PathBuf;

/// Where the records live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// The workspace's own files: the embedded default that needs nothing.
    #[default]
    Jsonl,
    /// A PostgreSQL database the team shares; nothing is written while it
    /// cannot be reached.
    Postgres,
    /// PostgreSQL first; the local files while it is down, copied up once
    /// it is back (seed 004's `INCIDENT_BACKEND=auto`).
    Auto,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Jsonl => "jsonl",
            Backend::Postgres => "postgres",
            Backend::Auto => "auto",
        }
    }

    pub fn from_name(name: &str) -> Option<Backend> {
        match name.trim().to_ascii_lowercase().as_str() {
            "jsonl" => Some(Backend::Jsonl),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            "auto" => Some(Backend::Auto),
            _ => None,
        }
    }

    /// Whether a team store is used at all.
    pub fn team(self) -> bool {
        self != Backend::Jsonl
    }
}

/// The variable that overrides `[store] backend` for one process.
pub const BACKEND_ENV: &str = "SHIFTDECK_BACKEND";

/// The default name of the variable holding the connection string.
pub const DEFAULT_URL_ENV: &str = "SHIFTDECK_DATABASE_URL";

/// `[store]`. The connection string is never here: only the name of the
/// variable that holds it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    #[serde(default)]
    pub backend: Backend,
    #[serde(default = "default_url_env")]
    pub url_env: String,
    /// PEM file of the CA that signed the server's certificate (else the
    /// system's roots). Used when the URL asks for TLS (`sslmode=require`
    /// or `verify-full`); the certificate is always verified.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Seconds between attempts to reach a server that is down (300).
    #[serde(default = "default_retry")]
    pub retry_secs: u64,
    /// Seconds a connection attempt or a statement may take (5).
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_url_env() -> String {
    DEFAULT_URL_ENV.to_string()
}

fn default_retry() -> u64 {
    300
}

fn default_timeout() -> u64 {
    5
}

impl Default for StoreConfig {
    fn default() -> StoreConfig {
        StoreConfig {
            backend: Backend::Jsonl,
            url_env: default_url_env(),
            ca_file: None,
            retry_secs: default_retry(),
            timeout_secs: default_timeout(),
        }
    }
}

impl StoreConfig {
    /// What is wrong with the table, one line each (field first).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.url_env.trim().is_empty() {
            out.push("url_env: must name an environment variable".into());
        }
        if self.retry_secs == 0 {
            out.push("retry_secs: must be at least 1".into());
        }
        if self.timeout_secs == 0 || self.timeout_secs > 120 {
            out.push("timeout_secs: must be between 1 and 120".into());
        }
        out
    }

    /// The backend in force: `SHIFTDECK_BACKEND` over the file.
    pub fn effective(&self, env: Option<&str>) -> Result<Backend, String> {
        match env.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(self.backend),
            Some(v) => Backend::from_name(v).ok_or_else(|| {
                format!("{BACKEND_ENV}={v:?} is not a backend (jsonl, postgres or auto)")
            }),
        }
    }

    /// The backend in force in this process.
    pub fn backend_now(&self) -> Result<Backend, String> {
        self.effective(std::env::var(BACKEND_ENV).ok().as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_wins_over_the_file_and_a_bad_one_is_named() {
        let c = StoreConfig {
            backend: Backend::Auto,
            ..StoreConfig::default()
        };
        assert_eq!(c.effective(None), Ok(Backend::Auto));
        assert_eq!(c.effective(Some("")), Ok(Backend::Auto));
        assert_eq!(c.effective(Some("JSONL")), Ok(Backend::Jsonl));
        assert_eq!(c.effective(Some("postgresql")), Ok(Backend::Postgres));
        let e = c.effective(Some("mysql")).unwrap_err();
        assert!(
            e.contains("SHIFTDECK_BACKEND") && e.contains("mysql"),
            "{e}"
        );
    }

    #[test]
    fn the_table_reads_with_defaults() {
        let c: StoreConfig = toml::from_str("backend = \"postgres\"\n").unwrap();
        assert_eq!(c.backend, Backend::Postgres);
        assert_eq!(c.url_env, "SHIFTDECK_DATABASE_URL");
        assert_eq!((c.retry_secs, c.timeout_secs), (300, 5));
        assert!(c.problems().is_empty());
        let bad: StoreConfig = toml::from_str("url_env = \"\"\ntimeout_secs = 0\n").unwrap();
        assert_eq!(bad.problems().len(), 2);
        assert!(toml::from_str::<StoreConfig>("backend = \"mysql\"\n").is_err());
    }
}
