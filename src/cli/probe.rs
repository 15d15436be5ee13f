//! `shiftdeck probe --once` (poll everything once: the verify-all for cron)
//! and `shiftdeck mock-endpoints` (the local stand-ins of the six APIs).

use super::exit;
use crate::config::Config;
use crate::domain::health::HealthStatus;
use crate::integrations::inbox::listing_outcome;
use crate::integrations::mock::{Mocks, parse_fault};
use crate::integrations::probes::ProbeContext;
use std::time::Duration;

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, i32> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            errln!("error: {e}");
            exit::FAILURE
        })
}

/// Poll every integration and list every incident source once, all at
/// once (a hung one costs its own timeout): name, kind and what it said,
/// redacted.
pub fn poll_all(
    config: &Config,
) -> Result<Vec<(String, String, crate::domain::health::ProbeOutcome)>, String> {
    let rt = runtime().map_err(|_| "cannot start the runtime".to_string())?;
    let (wiring, mock_base) = super::remote::wiring();
    let results = rt.block_on(async {
        let client = match crate::integrations::http_client(Duration::from_secs(30)) {
            Ok(c) => c,
            Err(e) => return Err(e),
        };
        // Every integration at once: a hung one costs its own timeout, no more.
        let tasks: Vec<_> = config
            .integrations
            .iter()
            .cloned()
            .map(|cfg| {
                let ctx = ProbeContext {
                    mode: cfg.effective_mode(wiring.as_deref()),
                    mock_base: mock_base.clone(),
                };
                let client = client.clone();
                tokio::spawn(async move {
                    let o = crate::integrations::probes::probe(&client, &cfg, &ctx).await;
                    (cfg.name.clone(), cfg.kind.as_str().to_string(), o)
                })
            })
            .collect::<Vec<_>>();
        // Incident sources: listing them is their check (nothing is sent).
        let sources = super::remote::source_clients(config, &client)
            .into_iter()
            .map(|source| {
                tokio::spawn(async move {
                    let o = match source.list().await {
                        Ok(l) => listing_outcome(&source.cfg, &l),
                        Err(e) => e.outcome,
                    };
                    let kind = format!("{} inbox", source.vendor().as_str());
                    (source.name().to_string(), kind, o)
                })
            });
        let tasks: Vec<_> = tasks.into_iter().chain(sources).collect();
        let mut out = Vec::new();
        for t in tasks {
            if let Ok(r) = t.await {
                out.push(r);
            }
        }
        Ok(out)
    });
    let redactor = crate::ops::redactor(config);
    results
        .map(|r| {
            r.into_iter()
                .map(|(n, k, o)| (n, k, crate::ops::health::redact_outcome(&redactor, o)))
                .collect()
        })
        .map_err(|e| e.to_string())
}

fn warning(config: &Config, name: &str) -> Option<String> {
    config
        .integrations
        .iter()
        .find(|i| i.name == name)
        .and_then(crate::integrations::probes::standing_warning)
}

pub fn probe_once(config: &Config, json: bool) -> i32 {
    if config.integrations.is_empty() && config.incident_sources.is_empty() {
        errln!("no integrations configured: add [[integrations]] to shiftdeck.toml");
        return exit::NOT_GREEN;
    }
    let results = match poll_all(config) {
        Ok(r) => r,
        Err(e) => {
            errln!("error: {e}");
            return exit::FAILURE;
        }
    };
    let all_green = results.iter().all(|(_, _, o)| o.status == HealthStatus::Up);
    if json {
        let v: Vec<serde_json::Value> = results
            .iter()
            .map(|(name, kind, o)| serde_json::json!({"name": name, "kind": kind, "status": o.status, "summary": o.summary, "hint": o.hint, "latency_ms": o.latency_ms, "warning": warning(config, name)}))
            .collect();
        outln!(
            "{}",
            serde_json::json!({"green": all_green, "integrations": v})
        );
    } else {
        outln!(
            "{:<18} {:<15} {:<9} {:>8}  ANSWER",
            "NAME",
            "KIND",
            "STATUS",
            "LATENCY"
        );
        for (name, kind, o) in &results {
            let ms = o
                .latency_ms
                .map(|m| format!("{m} ms"))
                .unwrap_or_else(|| "—".into());
            outln!(
                "{:<18} {:<15} {:<9} {:>8}  {}",
                name,
                kind,
                o.status.as_str(),
                ms,
                o.summary
            );
            if !o.hint.is_empty() && o.status != HealthStatus::Up {
                outln!("{:<18} {:<15} {:<9} {:>8}  → {}", "", "", "", "", o.hint);
            }
            if let Some(w) = warning(config, name) {
                outln!("{:<18} {:<15} {:<9} {:>8}  ! {}", "", "", "", "", w);
            }
        }
        outln!(
            "{}",
            if all_green {
                "GREEN: every integration is up"
            } else {
                "HOLD: not everything is green"
            }
        );
    }
    if all_green { exit::OK } else { exit::NOT_GREEN }
}

pub fn mock_endpoints(addr: &str, faults: &[String]) -> i32 {
    let mut map = std::collections::HashMap::new();
    for spec in faults {
        match parse_fault(spec) {
            Ok((vendor, fault)) => {
                map.insert(vendor, fault);
            }
            Err(e) => {
                errln!("error: --fault {e}");
                return exit::USAGE;
            }
        }
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    rt.block_on(async {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                errln!("error: cannot listen on {addr}: {e}");
                return exit::FAILURE;
            }
        };
        let local = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_else(|_| addr.to_string());
        errln!(
            "mock endpoints on http://{local}/<vendor> ({}); ctrl-c stops",
            crate::integrations::mock::VENDORS.join(", ")
        );
        for (v, f) in &map {
            errln!("  fault: {v} → {f:?}");
        }
        let serve = Mocks::new(map).serve(listener);
        tokio::select! {
            r = serve => match r {
                Ok(()) => exit::OK,
                Err(e) => {
                    errln!("error: {e}");
                    exit::FAILURE
                }
            },
            _ = tokio::signal::ctrl_c() => exit::OK,
        }
    })
}
