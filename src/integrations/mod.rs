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
