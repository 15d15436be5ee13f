//! `shiftdeck contacts` (the escalation directory) and `shiftdeck oncall`
//! (who is on call now and next).

use super::exit;
use crate::config::Config;
use crate::domain::contacts::Directory;
use std::path::Path;

fn load(workspace: &Path) -> Directory {
    let (dir, problems) = crate::store::contacts::load(workspace);
    for p in &problems {
        errln!("warning: {p}");
    }
    dir
}

pub fn contacts(workspace: &Path, json: bool) -> i32 {
    let dir = load(workspace);
    if json {
        let severity: serde_json::Map<String, serde_json::Value> = dir
            .severity
            .iter()
            .map(|(s, ids)| (s.to_string(), serde_json::json!(ids)))
            .collect();
        let v = serde_json::json!({
            "people": dir.people,
            "teams": dir.teams,
            "levels": dir.levels,
            "severity": severity,
            "owners": {"integrations": dir.integrations, "services": dir.services, "substrate": dir.substrate},
            "rota": dir.rota,
        });
        outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return exit::OK;
    }
    if dir.is_empty() {
        outln!(
            "no escalation directory: write {} in the workspace (shiftdeck creates a commented example in a new workspace)",
            crate::store::contacts::path(workspace).display()
        );
        return exit::OK;
    }
    for line in dir.lines() {
        outln!("{line}");
    }
    exit::OK
}

pub fn oncall(workspace: &Path, config: &Config, json: bool) -> i32 {
    let dir = load(workspace);
    let now = chrono::Utc::now();
    let http = match crate::integrations::http_client(std::time::Duration::from_secs(30)) {
        Ok(h) => h,
        Err(e) => {
            errln!("error: {e}");
            return exit::FAILURE;
        }
    };
    let (wiring, mock_base) = super::remote::wiring();
    let clients = crate::ops::source_clients(config, &http, wiring.as_deref(), &mock_base);
    let roster = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(crate::ops::oncall::roster(&clients, &dir, now)),
        Err(e) => {
            errln!("error: {e}");
            return exit::FAILURE;
        }
    };
    for (source, why) in &roster.errors {
        errln!("warning: {source}: on-call not read: {why}");
    }
    let views = roster.at(now);
    if json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&views).unwrap_or_default()
        );
        return if views.is_empty() {
            exit::NOBODY_ON_CALL
        } else {
            exit::OK
        };
    }
    if views.is_empty() {
        outln!(
            "nobody known to be on call: configure [[incident_sources]] with on-call access, or a [rota] in contacts.toml"
        );
        return exit::NOBODY_ON_CALL;
    }
    let tz = config.timezone;
    let hm = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.with_timezone(&tz).format("%a %H:%M").to_string())
            .unwrap_or_else(|| "—".into())
    };
    if let Some(s) = roster.summary(now, &config.operator, &dir, tz, false) {
        outln!("{s}");
    }
    for v in &views {
        outln!("{} ({})", v.schedule, v.source);
        for e in &v.now {
            let level = e.level.map(|l| format!("level {l}  ")).unwrap_or_default();
            outln!(
                "  now   {level}{:<24} until {}",
                dir.short_name(&e.who, e.email.as_deref()),
                hm(e.end)
            );
        }
        if let Some(n) = &v.next {
            outln!(
                "  next  {:<24} from {} to {}",
                dir.short_name(&n.who, n.email.as_deref()),
                hm(n.start),
                hm(n.end)
            );
        }
    }
    exit::OK
}
