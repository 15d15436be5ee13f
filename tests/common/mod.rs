//! A pseudo-terminal harness: the real binary, keys typed, the screen read
//! back through a terminal emulator (vt100).

#![allow(dead_code)]

pub mod alertmanager;
pub mod http;
pub mod perf;
pub mod postgres;
pub mod records;
pub mod screen;
pub mod smtp;
pub mod vendor;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_shiftdeck");

/// The binary on workspace `ws` as operator ana.lima: no user config, no
/// workspace or wiring from the environment, no credential variables.
pub fn cli(ws: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(BIN);
    // Tests name fresh directories on purpose: --init sets them up (a
    // mistyped path is refused without it; tests/cli_edges.rs).
    c.arg("--workspace").arg(ws).arg("--init");
    c.env("SHIFTDECK_CONFIG_DIR", ws.join("no-config"));
    c.env("USER", "ana.lima");
    c.env_remove("SHIFTDECK_WORKSPACE");
    c.env_remove("OPERATOR_WIRING_MODE");
    c.env_remove("SHIFTDECK_BACKEND");
    c.env_remove("SHIFTDECK_DATABASE_URL");
    // English, whatever the machine's language (a test asks for another).
    c.env("LANG", "C.UTF-8");
    c.env_remove("LC_ALL");
    c.env_remove("LC_MESSAGES");
    for v in shiftdeck::domain::redact::DEFAULT_SECRET_VARS {
        c.env_remove(v);
    }
    c
}

/// Run it: exit code, stdout, stderr.
pub fn run(c: &mut std::process::Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
/// A ceiling for waiting on the screen, not a performance assertion.
pub const PATIENCE: Duration = Duration::from_secs(15);

pub struct Session {
    pub started: Instant,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    raw: Arc<Mutex<Vec<u8>>>,
    parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    pub fn start(args: &[&str], cfg: &Path) -> Session {
        Session::start_sized(args, cfg, 100, 30)
    }

    pub fn start_sized(args: &[&str], cfg: &Path, cols: u16, rows: u16) -> Session {
        Session::start_env(args, cfg, cols, rows, &[])
    }

    /// With variables of its own (a team store's connection string, say).
    pub fn start_env(
        args: &[&str],
        cfg: &Path,
        cols: u16,
        rows: u16,
        vars: &[(&str, &str)],
    ) -> Session {
        let started = Instant::now();
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        if args.contains(&"--workspace") {
            cmd.arg("--init");
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env("SHIFTDECK_CONFIG_DIR", cfg);
        cmd.env("LANG", "C.UTF-8");
        cmd.env_remove("LC_ALL");
        cmd.env_remove("LC_MESSAGES");
        cmd.env_remove("SHIFTDECK_WORKSPACE");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("TMUX");
        cmd.env_remove("SHIFTDECK_BACKEND");
        cmd.env_remove("SHIFTDECK_DATABASE_URL");
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let raw = Arc::new(Mutex::new(Vec::new()));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(rows).unwrap(),
            std::num::NonZero::new(cols).unwrap(),
            0,
        )));
        let (r2, p2) = (raw.clone(), parser.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                r2.lock().unwrap().extend_from_slice(&buf[..n]);
                p2.lock().unwrap().process(&buf[..n]);
            }
        });
        Session {
            started,
            child,
            writer,
            raw,
            parser,
            _master: pair.master,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "never saw {needle:?} on screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The app's process id.
    #[allow(dead_code)]
    pub fn pid(&self) -> i32 {
        self.child.process_id().expect("the app runs") as i32
    }

    /// Send bytes without waiting.
    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn keys(&mut self, bytes: &str) {
        self.send(bytes);
        // Let the app take each burst as keys, not as one paste-like chunk.
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the app did not exit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }
}
