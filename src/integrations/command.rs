//! Running a command from a checklist: in its own process group, with a
//! timeout that ends the whole group (SIGTERM, then SIGKILL after a grace
//! period), stdout and stderr captured together and capped.

use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How much output is kept (the rest is read and dropped).
pub const OUTPUT_CAP: usize = 64 * 1024;
/// Between SIGTERM and SIGKILL.
const GRACE: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, PartialEq)]
pub struct CommandOutcome {
    /// The exit code; `None` when killed by a signal.
    pub exit: Option<i32>,
    pub timed_out: bool,
    /// Stopped before it ended, because shiftdeck was quitting.
    pub stopped: bool,
    pub output: String,
    /// More output came than was kept.
    pub truncated: bool,
    pub duration: Duration,
}

impl CommandOutcome {
    pub fn passed(&self) -> bool {
        self.exit == Some(0) && !self.timed_out && !self.stopped
    }

    /// One line for the operator.
    pub fn summary(&self) -> String {
        let secs = self.duration.as_secs_f64();
        if self.stopped {
            return format!("stopped after {secs:.1} s because shiftdeck quit");
        }
        match (self.timed_out, self.exit) {
            (true, _) => format!("timed out after {secs:.1} s and was stopped"),
            (false, Some(0)) => format!("passed (exit 0) in {secs:.1} s"),
            (false, Some(c)) => format!("failed with exit {c} in {secs:.1} s"),
            (false, None) => format!("killed by a signal after {secs:.1} s"),
        }
    }
}

fn drain(mut from: impl Read, into: Arc<Mutex<(Vec<u8>, bool)>>) {
    let mut buf = [0u8; 8192];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                let mut kept = into.lock().unwrap_or_else(|e| e.into_inner());
                let room = OUTPUT_CAP.saturating_sub(kept.0.len());
                kept.0.extend_from_slice(&buf[..n.min(room)]);
                if n > room {
                    kept.1 = true;
                }
            }
        }
    }
}

fn signal_group(pid: u32, sig: i32) {
    // SAFETY: kill(2) on our own child's process group.
    unsafe {
        libc::kill(-(pid as i32), sig);
    }
}

/// `PATH` with this binary's directory first, so `shiftdeck` in a step's
/// command (`shiftdeck probe --once`) is the shiftdeck running it.
fn path_with_self() -> std::ffi::OsString {
    let mut dirs: Vec<std::path::PathBuf> = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.to_path_buf()))
        .into_iter()
        .collect();
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_else(|_| std::env::var_os("PATH").unwrap_or_default())
}

/// Run `sh -c command` in `cwd`; blocks until it ends, times out, or
/// `stop` is set (then its whole group is stopped the same way).
pub fn run(
    command: &str,
    cwd: &Path,
    timeout: Duration,
    stop: Option<&AtomicBool>,
) -> io::Result<CommandOutcome> {
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(cwd)
        .env("PATH", path_with_self())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()?;
    let kept = Arc::new(Mutex::new((Vec::new(), false)));
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|o| Box::new(o) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|e| Box::new(e) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|r| {
        let k = kept.clone();
        std::thread::spawn(move || drain(r, k))
    })
    .collect();
    let pid = child.id();
    let mut timed_out = false;
    let mut stopped = false;
    let mut term_sent: Option<Instant> = None;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        let now = Instant::now();
        match term_sent {
            None if stop.is_some_and(|s| s.load(Ordering::Relaxed)) => {
                stopped = true;
                signal_group(pid, libc::SIGTERM);
                term_sent = Some(now);
            }
            None if now.duration_since(started) >= timeout => {
                timed_out = true;
                signal_group(pid, libc::SIGTERM);
                term_sent = Some(now);
            }
            Some(t) if now.duration_since(t) >= GRACE => {
                signal_group(pid, libc::SIGKILL);
                break child.wait()?;
            }
            _ => {}
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // Anything left in the group (a background grandchild holding the pipe) goes too.
    signal_group(pid, libc::SIGKILL);
    for r in readers {
        let _ = r.join();
    }
    let (bytes, truncated) = std::mem::take(&mut *kept.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(CommandOutcome {
        exit: status.code(),
        timed_out,
        stopped,
        output: String::from_utf8_lossy(&bytes).into_owned(),
        truncated,
        duration: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_here(cmd: &str, secs: f64) -> CommandOutcome {
        run(cmd, Path::new("/"), Duration::from_secs_f64(secs), None).unwrap()
    }

    #[test]
    fn exit_zero_passes_and_output_is_kept() {
        let o = run_here("echo backup-20260514.sql.gz; echo warn >&2", 10.0);
        assert!(o.passed());
        assert!(o.output.contains("backup-20260514.sql.gz") && o.output.contains("warn"));
        assert!(o.summary().starts_with("passed (exit 0)"));
    }

    #[test]
    fn a_failure_keeps_its_exit_code() {
        let o = run_here("echo mysql inactive; exit 3", 10.0);
        assert_eq!((o.exit, o.passed()), (Some(3), false));
        assert!(o.summary().starts_with("failed with exit 3"));
    }

    #[test]
    fn a_child_that_ignores_sigterm_is_killed_with_its_group() {
        let o = run_here("trap '' TERM; sleep 30 & sleep 30; echo never", 0.3);
        assert!(o.timed_out && !o.passed());
        assert!(
            o.duration < Duration::from_secs(10),
            "stopped, not waited out"
        );
        assert!(!o.output.contains("never"));
    }

    #[test]
    fn ten_megabytes_of_output_are_capped_and_drained() {
        let o = run_here(
            "head -c 10000000 /dev/zero | tr '\\0' 'x'; echo; echo done >&2",
            30.0,
        );
        assert!(o.passed(), "{}", o.summary());
        assert!(o.truncated);
        assert_eq!(o.output.len(), OUTPUT_CAP);
    }
}
