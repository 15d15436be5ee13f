//! `shiftdeck db`: the team store's schema, status and import.

use super::exit;
use super::out;
use crate::config::Config;
use crate::store::team::{self, admin};
use std::path::Path;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

pub fn run(root: &Path, config: &Config, cmd: super::DbCmd) -> i32 {
    let backend = match config.store.backend_now() {
        Ok(b) => b,
        Err(e) => {
            out::stderr(&format!("error: {e}\n"));
            return exit::USAGE;
        }
    };
    let redactor = crate::ops::redactor(config);
    let say_err = |e: &str| out::stderr(&format!("error: {}\n", redactor.redact(e).text));
    match cmd {
        super::DbCmd::Migrate { dry_run } => {
            let target = match admin::target(&config.store) {
                Ok(t) => t,
                Err(e) => {
                    say_err(&e);
                    return exit::TEAM_DOWN;
                }
            };
            match runtime().block_on(admin::migrate(&target, dry_run)) {
                Ok(text) => {
                    out::stdout(&text);
                    exit::OK
                }
                Err(e) => {
                    say_err(&e);
                    exit::TEAM_DOWN
                }
            }
        }
        super::DbCmd::Status { json } => {
            let s = runtime().block_on(admin::status(
                admin::target(&config.store),
                backend,
                &config.store.url_env,
                root,
            ));
            if json {
                let mut text = serde_json::to_string_pretty(&s).unwrap_or_default();
                text.push('\n');
                out::stdout(&redactor.redact(&text).text);
            } else {
                let mut lines = vec![format!("backend  {}", s.backend)];
                lines.push(format!("url      ${} (not shown)", s.url_env));
                match (&s.server, &s.error) {
                    (Some(v), _) => lines.push(format!("server   {v}")),
                    (None, Some(e)) => lines.push(format!("server   unreachable: {e}")),
                    (None, None) => {}
                }
                if s.reachable {
                    lines.push(match s.level {
                        None => format!(
                            "schema   none (run `shiftdeck db migrate`; this build needs level {})",
                            s.latest
                        ),
                        Some(l) if l == s.latest => format!("schema   level {l} (latest)"),
                        Some(l) => format!("schema   level {l}; this build needs {}", s.latest),
                    });
                }
                if let Some(n) = s.entries {
                    lines.push(format!("entries  {n} in the team store"));
                }
                lines.push(format!(
                    "waiting  {} not yet copied up",
                    crate::domain::format::plural(s.waiting as usize, "local line", "local lines")
                ));
                out::stdout(&redactor.redact(&(lines.join("\n") + "\n")).text);
            }
            if backend.team() && !s.reachable {
                exit::TEAM_DOWN
            } else {
                exit::OK
            }
        }
        super::DbCmd::Import { from, json } => {
            let from = from.unwrap_or_else(|| root.to_path_buf());
            if !from.is_dir() {
                say_err(&format!("{}: not a directory", from.display()));
                return exit::FAILURE;
            }
            let target = match admin::target(&config.store) {
                Ok(t) => t,
                Err(e) => {
                    say_err(&e);
                    return exit::TEAM_DOWN;
                }
            };
            let origin = format!("{}@import", config.operator);
            match runtime().block_on(admin::import(&target, &from, &origin)) {
                Ok(done) => {
                    if json {
                        let mut text = serde_json::to_string_pretty(&done).unwrap_or_default();
                        text.push('\n');
                        out::stdout(&text);
                    } else {
                        out::stdout(&format!(
                            "imported {} line(s) and {} record(s) from {} ({} line(s) read; the rest were there already)\n",
                            done.lines_new,
                            done.records_new,
                            from.display(),
                            done.lines_read
                        ));
                    }
                    exit::OK
                }
                Err(e) => {
                    say_err(&e);
                    exit::TEAM_DOWN
                }
            }
        }
    }
}

/// The team store for a command that reads or writes the workspace: started,
/// waited for (at most its time limit), and what to say about it.
/// `Err` is the exit code when the command must not run.
pub fn open_team(root: &Path, config: &Config) -> Result<Option<team::Team>, i32> {
    // What the team thread notices (a decision refused on copy) is said at once.
    let redact = crate::ops::redactor(config);
    let notices = Box::new(move |e: team::Event| {
        if let team::Event::Notice(n) = e {
            out::stderr(&format!("note: {}\n", redact.redact(&n).text));
        }
    });
    let t = match team::start_for(root, config, notices) {
        Ok(t) => t,
        Err(e) => {
            out::stderr(&format!("error: {e}\n"));
            return Err(exit::USAGE);
        }
    };
    let Some(t) = t else {
        return Ok(None);
    };
    let limit = std::time::Duration::from_secs(config.store.timeout_secs.max(1) * 2 + 1);
    let status = t.settled(limit);
    let redactor = crate::ops::redactor(config);
    if let team::LinkState::Down { why, .. } = &status.link {
        let why = redactor.redact(why).text;
        if status.backend == team::Backend::Postgres {
            out::stderr(&format!(
                "warning: the team store is unreachable (backend = postgres): {why}; showing this host's copy, and nothing can be written\n"
            ));
            return Ok(Some(t));
        }
        out::stderr(&format!(
            "note: LOCAL — team store unreachable: {why}; working on the local files (copied up once it is back)\n"
        ));
    }
    Ok(Some(t))
}

/// Copy up what the command wrote before the process ends.
pub fn close_team(t: Option<team::Team>, config: &Config) {
    let Some(t) = t else { return };
    if t.status().link != team::LinkState::Up {
        return;
    }
    let limit = std::time::Duration::from_secs(config.store.timeout_secs.max(1) * 2 + 1);
    if let Err(e) = t.flush(limit) {
        let why = crate::ops::redactor(config).redact(&e).text;
        out::stderr(&format!(
            "note: not yet copied to the team store ({why}); it goes up with the next command or screen\n"
        ));
    }
}
