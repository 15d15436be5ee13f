//! Checks of the operator's own endpoints: HTTP, TCP, a command.

use super::*;

pub(super) async fn http(
    client: &Client,
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let url = match (&cfg.url, ctx.mode) {
        (Some(u), _) => u.clone(),
        (None, Mode::Mock) => format!("{}/http/healthz", ctx.mock_base),
        (None, Mode::Real) => return Err(not_configured("url")),
    };
    let a = send(client.get(url), t, "GET").await?;
    let ok = match cfg.expect_status {
        Some(s) => a.status == s,
        None => (200..300).contains(&a.status),
    };
    Ok(if ok {
        ProbeOutcome::up(format!("answered {}", a.status), a.ms)
    } else {
        classify(&a, "GET", "the endpoint refused the request")
    })
}

pub(super) async fn tcp(
    cfg: &IntegrationConfig,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let Some(addr) = &cfg.address else {
        return Err(not_configured("address"));
    };
    let started = Instant::now();
    match tokio::time::timeout(t, tokio::net::TcpStream::connect(addr.as_str())).await {
        Ok(Ok(_)) => Ok(ProbeOutcome::up(
            format!("connected to {addr}"),
            started.elapsed().as_millis() as u64,
        )),
        Ok(Err(e)) => {
            let dns =
                e.to_string().contains("lookup") || e.kind() == std::io::ErrorKind::InvalidInput;
            let hint = if dns {
                "the host name does not resolve: a typo, or DNS blocks it"
            } else {
                "nothing accepts connections there: is the service up, is a firewall in the way?"
            };
            Err(ProbeOutcome::failed(
                HealthStatus::Degraded,
                FailureClass::Transient,
                format!("connect: {e}"),
                hint,
                None,
            ))
        }
        Err(_) => Err(timed_out(t, "connect")),
    }
}

pub(super) async fn command(
    cfg: &IntegrationConfig,
    t: Duration,
) -> Result<ProbeOutcome, ProbeOutcome> {
    let Some(cmd) = cfg.command.clone() else {
        return Err(not_configured("command"));
    };
    let outcome = tokio::task::spawn_blocking(move || {
        crate::integrations::command::run(&cmd, std::path::Path::new("."), t, None)
    })
    .await
    .map_err(|e| {
        ProbeOutcome::failed(
            HealthStatus::Unknown,
            FailureClass::Transient,
            format!("could not run: {e}"),
            "",
            None,
        )
    })?
    .map_err(|e| {
        ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            format!("could not start: {e}"),
            "check the command",
            None,
        )
    })?;
    let last = outcome
        .output
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .chars()
        .take(80)
        .collect::<String>();
    let ms = outcome.duration.as_millis() as u64;
    Ok(if outcome.passed() {
        ProbeOutcome::up(format!("exit 0 {last}").trim().to_string(), ms)
    } else if outcome.timed_out {
        timed_out(t, "command")
    } else {
        ProbeOutcome::failed(
            HealthStatus::Down,
            FailureClass::Config,
            format!("{}: {last}", outcome.summary()),
            "the command's own check failed: see its output",
            Some(ms),
        )
    })
}
