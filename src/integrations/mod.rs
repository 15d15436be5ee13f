//! Talking to the outside: HTTP clients for the SaaS integrations. Every
//! call has a timeout; no error message ever carries a URL (webhook URLs are
//! secrets).

pub mod command;
pub mod inbox;
pub mod mail;
pub mod mock;
pub mod poller;
pub mod probes;
pub mod setup;
pub mod slack;
pub mod verify;

use std::time::Duration;

/// An HTTP client with timeouts. Uses rustls with the ring provider.
/// The variable the Opsgenie runbook sets for an EU account (seed 002).
pub const OPSGENIE_REGION_ENV: &str = "OPSGENIE_REGION";

/// Whether Opsgenie is asked at its EU host: `region =` in the config, else
/// `OPSGENIE_REGION` (`env`, as read), else the US host.
pub fn opsgenie_eu(region: Option<&str>, env: Option<&str>) -> bool {
    region
        .or(env)
        .is_some_and(|r| r.trim().eq_ignore_ascii_case("eu"))
}

/// Opsgenie's 422 ("team not found") in the runbook's words (seed 002 §4).
pub const OPSGENIE_422: &str = "team not found: check the team name verbatim, and that OPSGENIE_REGION (or region =) is the team's region";

/// As [`opsgenie_eu`], with `OPSGENIE_REGION` read now.
pub fn opsgenie_eu_now(region: Option<&str>) -> bool {
    opsgenie_eu(region, crate::secrets::var(OPSGENIE_REGION_ENV).as_deref())
}

pub fn http_client(timeout: Duration) -> Result<reqwest::Client, String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .user_agent(concat!("shiftdeck/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build an HTTP client: {}", e.without_url()))
}

/// Describe a transport error without the URL it was for.
pub fn describe(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect (DNS, firewall or the host is down)"
    } else {
        "request failed"
    };
    let e = e.without_url();
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        detail = format!("{detail}: {s}");
        source = s.source();
    }
    format!("{kind} ({detail})")
}

#[cfg(test)]
mod tests {
    #[test]
    fn opsgenie_region_comes_from_the_config_then_the_variable() {
        use super::opsgenie_eu;
        assert!(!opsgenie_eu(None, None));
        assert!(opsgenie_eu(None, Some("EU")));
        assert!(opsgenie_eu(Some("eu"), None));
        assert!(!opsgenie_eu(Some("us"), Some("eu")), "the config wins");
        assert!(!opsgenie_eu(None, Some("us")));
    }
}
