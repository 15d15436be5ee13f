//! Reaching the team store: the connection string from the variable the
//! config names (never from a file, never shown), TLS with rustls, and a
//! time limit on everything, so a server that accepts and never answers
//! costs a few seconds of the team thread and nothing else.

use super::settings::StoreConfig;
use futures_util::future::poll_fn;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tokio_postgres::config::SslMode;
use tokio_postgres::{AsyncMessage, Client, Config, Connection};

/// Where and how to connect, read from the environment.
pub struct Target {
    config: Config,
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
    pub timeout: Duration,
    /// The variable the connection string came from (what messages name).
    pub var: String,
}

/// An open connection: the client, and the notifications it receives.
/// `notes` ends when the connection does.
pub struct Link {
    pub client: Client,
    pub notes: mpsc::UnboundedReceiver<String>,
}

/// Read the connection string. Errors name the variable, never its value.
pub fn target(store: &StoreConfig) -> Result<Target, String> {
    let var = store.url_env.clone();
    let url = crate::secrets::var(&var)
        .ok_or_else(|| {
            format!("{var} is not set: it must hold the team store's connection string (postgres://USER@HOST/DB)")
        })?;
    // rustls always verifies the server's certificate, so verify-ca and
    // verify-full ask for what require already does here.
    let url = url
        .replace("sslmode=verify-full", "sslmode=require")
        .replace("sslmode=verify-ca", "sslmode=require");
    let mut config: Config = url.parse().map_err(|_| {
        format!("{var} does not hold a PostgreSQL connection string (postgres://USER@HOST/DB)")
    })?;
    if config.get_hosts().is_empty() {
        return Err(format!(
            "{var} names no host: it must hold the team store's connection string (postgres://USER@HOST/DB)"
        ));
    }
    let timeout = Duration::from_secs(store.timeout_secs.max(1));
    config.connect_timeout(timeout);
    config.application_name("shiftdeck");
    config.keepalives(true);
    config.keepalives_idle(Duration::from_secs(30));
    let tls = match config.get_ssl_mode() {
        SslMode::Disable => None,
        _ => Some(tls_connector(store)?),
    };
    Ok(Target {
        config,
        tls,
        timeout,
        var,
    })
}

fn tls_connector(store: &StoreConfig) -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    match &store.ca_file {
        Some(path) => {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
                .map_err(|e| format!("[store] ca_file {}: {e}", path.display()))?
                .collect::<Result<_, _>>()
                .map_err(|e| format!("[store] ca_file {}: {e}", path.display()))?;
            if certs.is_empty() {
                return Err(format!(
                    "[store] ca_file {}: no certificate in it",
                    path.display()
                ));
            }
            for c in certs {
                roots
                    .add(c)
                    .map_err(|e| format!("[store] ca_file {}: {e}", path.display()))?;
            }
        }
        None => {
            for c in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(c);
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// What went wrong, for the operator: the server's own words where it
/// gave any, the variable to look at, never the connection string.
pub fn explain(var: &str, e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let m = db.message();
        if db.code() == &tokio_postgres::error::SqlState::INVALID_PASSWORD
            || m.contains("password authentication failed")
        {
            return format!(
                "the team store refused the login ({m}): check the user and password in {var}"
            );
        }
        if db.code() == &tokio_postgres::error::SqlState::INVALID_AUTHORIZATION_SPECIFICATION
            && m.contains("no encryption")
        {
            return format!(
                "the team store requires TLS ({m}): add sslmode=require to the connection string in {var}"
            );
        }
        return format!("the team store said: {m}");
    }
    let text = e.to_string();
    let mut source = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() || text.contains(&detail) {
        text
    } else {
        format!("{text}: {detail}")
    }
}

impl Target {
    /// Connect, all of it (socket, TLS, login) within the time limit.
    pub async fn connect(&self) -> Result<Link, String> {
        let limit = self.timeout;
        let var = &self.var;
        let timed_out = || {
            format!(
                "the team store did not answer within {}s (the server in {var})",
                limit.as_secs()
            )
        };
        match &self.tls {
            None => {
                let (client, conn) =
                    tokio::time::timeout(limit, self.config.connect(tokio_postgres::NoTls))
                        .await
                        .map_err(|_| timed_out())?
                        .map_err(|e| explain(var, &e))?;
                Ok(Link {
                    client,
                    notes: drive(conn),
                })
            }
            Some(tls) => {
                let (client, conn) = tokio::time::timeout(limit, self.config.connect(tls.clone()))
                    .await
                    .map_err(|_| timed_out())?
                    .map_err(|e| explain(var, &e))?;
                Ok(Link {
                    client,
                    notes: drive(conn),
                })
            }
        }
    }
}

/// Run the connection, passing on each notification's payload.
fn drive<S, T>(mut conn: Connection<S, T>) -> mpsc::UnboundedReceiver<String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            match poll_fn(|cx| conn.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(n))) => {
                    if tx.send(n.payload().to_string()).is_err() {
                        return;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return,
            }
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(var: &str) -> StoreConfig {
        StoreConfig {
            url_env: var.into(),
            ..StoreConfig::default()
        }
    }

    #[test]
    fn a_missing_blank_or_host_less_string_is_named_and_never_shown() {
        let err = |var: &str| target(&store(var)).err().unwrap();
        assert!(
            err("SHIFTDECK_TEST_URL_UNSET_7e1").contains("SHIFTDECK_TEST_URL_UNSET_7e1 is not set")
        );
        // SAFETY: variables of this test's own, read by no other test.
        unsafe {
            std::env::set_var("SHIFTDECK_TEST_URL_BLANK_7e1", "  ");
            std::env::set_var(
                "SHIFTDECK_TEST_URL_NOHOST_7e1",
                "dbname=team password=s3cr3t-x",
            );
            std::env::set_var("SHIFTDECK_TEST_URL_BAD_7e1", "postgres://u:s3cr3t-y@[::1");
        }
        assert!(err("SHIFTDECK_TEST_URL_BLANK_7e1").contains("is not set"));
        let e = err("SHIFTDECK_TEST_URL_NOHOST_7e1");
        assert!(e.contains("names no host") && !e.contains("s3cr3t"), "{e}");
        let e = err("SHIFTDECK_TEST_URL_BAD_7e1");
        assert!(
            e.contains("does not hold a PostgreSQL connection string") && !e.contains("s3cr3t"),
            "{e}"
        );
    }
}
