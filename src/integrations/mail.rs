//! Mail out: the handover by SMTP (seed 001 §8 "send the shift report by
//! email"). `[email]` names the server, the sender, the recipients and the
//! *variable* holding the password; STARTTLS is required except on loopback.
//! Every error names the cause and, for a credential, the variable — never
//! its value.

use serde::{Deserialize, Serialize};
use std::time::Duration;

fn yes() -> bool {
    true
}

fn ten() -> u64 {
    10
}

/// `[email]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    pub host: String,
    /// Default 587 with STARTTLS, 25 without.
    pub port: Option<u16>,
    /// Upgrade the connection with STARTTLS before anything is sent (plain
    /// only on loopback).
    #[serde(default = "yes")]
    pub starttls: bool,
    pub from: String,
    pub to: Vec<String>,
    pub username: Option<String>,
    /// The variable holding the SMTP password.
    pub password_env: Option<String>,
    /// Seconds the whole exchange may take.
    #[serde(default = "ten")]
    pub timeout: u64,
    /// Mail every published handover (the CLI's `--email` asks for one).
    #[serde(default)]
    pub send_handover: bool,
}

/// Whether a host name is this machine.
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim().trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn looks_like_address(a: &str) -> bool {
    a.parse::<lettre::Address>().is_ok()
}

impl EmailConfig {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(if self.starttls { 587 } else { 25 })
    }

    /// What is wrong, in the words of the fields.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.host.trim().is_empty() || self.host.contains(['/', ' ']) {
            out.push(format!("host: {:?} is not a host name", self.host));
        } else if !self.starttls && !is_loopback(&self.host) {
            out.push(format!(
                "starttls: false is allowed only for a server on this machine (127.0.0.1, ::1, localhost), not {:?}: mail and its password would cross the network in the clear",
                self.host
            ));
        }
        if !looks_like_address(&self.from) {
            out.push(format!("from: {:?} is not an email address", self.from));
        }
        if self.to.is_empty() {
            out.push("to: nobody to send to (to = [\"ops@example.com\"])".into());
        }
        for t in &self.to {
            if !looks_like_address(t) {
                out.push(format!("to: {t:?} is not an email address"));
            }
        }
        if self.username.is_some() != self.password_env.is_some() {
            out.push("password_env: username and password_env go together".into());
        }
        if self.timeout == 0 {
            out.push("timeout: must be at least 1 second".into());
        }
        out
    }
}

/// Why a mail did not go, and whether to try again later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailError {
    pub message: String,
    pub retry: bool,
    /// The server refused the login: trying again cannot help until the
    /// password changes (and could lock the account).
    pub login_refused: bool,
}

/// Send one mail. `id` becomes its Message-ID, so a mail sent again after a
/// crash mid-send is recognisable as the same one.
pub async fn send(cfg: &EmailConfig, id: &str, subject: &str, body: &str) -> Result<(), MailError> {
    use lettre::message::{Mailbox, header::ContentType};
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
    let _ = rustls::crypto::ring::default_provider().install_default();
    let refused = |m: String| MailError {
        message: m,
        retry: false,
        login_refused: false,
    };
    let from: Mailbox = cfg
        .from
        .parse()
        .map_err(|_| refused(format!("[email] from {:?} is not an address", cfg.from)))?;
    let domain = cfg.from.rsplit('@').next().unwrap_or("shiftdeck");
    let mut builder = Message::builder()
        .from(from)
        .subject(crate::domain::sanitize::line(subject).into_owned())
        .message_id(Some(format!("<{id}@{domain}>")))
        .header(ContentType::TEXT_PLAIN);
    for to in &cfg.to {
        let mb: Mailbox = to
            .parse()
            .map_err(|_| refused(format!("[email] to {to:?} is not an address")))?;
        builder = builder.to(mb);
    }
    let message = builder
        .body(crate::domain::sanitize::text(body).into_owned())
        .map_err(|e| refused(format!("the mail could not be built: {e}")))?;
    let timeout = Duration::from_secs(cfg.timeout.clamp(1, 300));
    let mut transport = if cfg.starttls {
        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&cfg.host)
            .map_err(|e| refused(format!("SMTP {}: {e}", cfg.host)))?
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host)
    }
    .port(cfg.port())
    .timeout(Some(timeout));
    if let (Some(user), Some(var)) = (&cfg.username, &cfg.password_env) {
        let password = crate::secrets::var(var).ok_or_else(|| MailError {
            message: format!("{var} is not set: the SMTP password for {user} comes from it"),
            retry: true,
            login_refused: false,
        })?;
        transport = transport.credentials(Credentials::new(user.clone(), password));
    }
    let transport = transport.build();
    let sent =
        tokio::time::timeout(timeout + Duration::from_secs(1), transport.send(message)).await;
    match sent {
        Err(_) => Err(MailError {
            message: format!(
                "SMTP {}:{} did not answer within {} s",
                cfg.host,
                cfg.port(),
                timeout.as_secs()
            ),
            retry: true,
            login_refused: false,
        }),
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(describe(cfg, &e)),
    }
}

/// An SMTP error in the operator's words (never a password).
fn describe(cfg: &EmailConfig, e: &lettre::transport::smtp::Error) -> MailError {
    let server = format!("SMTP {}:{}", cfg.host, cfg.port());
    let code = e.status().map(|c| c.to_string());
    let said: String = e
        .to_string()
        .chars()
        .filter(|c| !c.is_control())
        .take(160)
        .collect();
    if e.is_permanent() {
        let auth = code
            .as_deref()
            .is_some_and(|c| c.starts_with("535") || c.starts_with("530"));
        let hint = if auth {
            match &cfg.password_env {
                Some(v) => format!(
                    ": the server refused the login — check username and the password in {v}"
                ),
                None => {
                    ": the server wants a login — set username and password_env in [email]".into()
                }
            }
        } else {
            String::new()
        };
        return MailError {
            message: format!("{server} refused the mail ({said}){hint}"),
            retry: auth,
            login_refused: auth,
        };
    }
    let hint = if e.is_tls() {
        " — TLS failed: the server's certificate is not trusted here, or it does not offer STARTTLS"
    } else if e.is_timeout() {
        " — timed out"
    } else {
        ""
    };
    MailError {
        message: format!("{server}: {said}{hint}"),
        retry: true,
        login_refused: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(src: &str) -> EmailConfig {
        toml::from_str(src).unwrap()
    }

    #[test]
    fn plain_smtp_only_on_loopback_and_every_field_is_checked() {
        let ok = cfg(
            "host = \"127.0.0.1\"\nport = 2525\nstarttls = false\nfrom = \"noc@credguard.example\"\nto = [\"ops@credguard.example\"]\n",
        );
        assert!(ok.problems().is_empty(), "{:?}", ok.problems());
        let c = cfg(
            "host = \"smtp.example.com\"\nstarttls = false\nfrom = \"noc\"\nto = [\"x y\"]\nusername = \"noc\"\n",
        );
        let p = c.problems();
        assert!(p[0].starts_with("starttls:"), "{p:?}");
        assert!(p.iter().any(|w| w.starts_with("from:")));
        assert!(p.iter().any(|w| w.starts_with("to:")));
        assert!(p.iter().any(|w| w.starts_with("password_env:")));
        let c = cfg(
            "host = \"smtp.example.com\"\nfrom = \"noc@x.example\"\nto = [\"ops@x.example\"]\n",
        );
        assert_eq!((c.starttls, c.port()), (true, 587));
        assert!(is_loopback("::1") && is_loopback("[::1]") && is_loopback("localhost"));
        assert!(!is_loopback("10.0.0.1"));
    }
}
