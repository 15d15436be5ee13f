//! A throwaway PostgreSQL cluster from the system's binaries (`initdb` and
//! `pg_ctl` of Debian's `postgresql` package): its own data directory and
//! socket in a temp dir, on a free port on 127.0.0.1, password logins over
//! TCP, stopped when dropped. As root the server runs as `nobody` (it
//! refuses to run as root).
//!
//! Without the binaries the tests that need it say so loudly and pass;
//! under `.ci/run` (SHIFTDECK_REQUIRE_SERVERS=1) a missing server fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const PASSWORD: &str = "pg-test-secret-4d1b";

pub struct Postgres {
    bin: PathBuf,
    pub dir: tempfile::TempDir,
    pub port: u16,
    as_nobody: bool,
    extra: Vec<String>,
    running: bool,
}

fn bin_dir() -> Option<PathBuf> {
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if p.join("initdb").is_file() && p.join("pg_ctl").is_file() {
            return Some(p);
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").is_file() && p.join("pg_ctl").is_file())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    // SAFETY: geteuid only reads the process's credentials.
    unsafe { libc::geteuid() == 0 }
}

impl Postgres {
    /// Start one, or `None` (with the reason on stderr) when PostgreSQL is
    /// missing and servers are not required.
    pub fn start(test: &str) -> Option<Postgres> {
        Postgres::start_with(test, &[], None)
    }

    /// With `postgres -c` settings, and a pg_hba.conf of its own.
    pub fn start_with(test: &str, extra: &[String], hba: Option<&str>) -> Option<Postgres> {
        let Some(bin) = bin_dir() else {
            if std::env::var_os("SHIFTDECK_REQUIRE_SERVERS").is_some() {
                panic!("{test}: PostgreSQL is not installed (apt-get install postgresql)");
            }
            eprintln!(
                "\n*** SKIPPED {test}: needs a real PostgreSQL server: apt-get install postgresql ***\n"
            );
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let as_nobody = is_root();
        if as_nobody {
            set_mode(dir.path(), 0o777);
        }
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, PASSWORD).unwrap();
        set_mode(&pwfile, 0o644);
        let mut pg = Postgres {
            bin,
            dir,
            port: 0,
            as_nobody,
            extra: extra.to_vec(),
            running: false,
        };
        let data = pg.data();
        let out = pg
            .command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--no-sync", "-E", "UTF8"])
            .args(["--auth-local=trust", "--auth-host=scram-sha-256"])
            .arg(format!("--pwfile={}", pwfile.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if let Some(hba) = hba {
            std::fs::write(data.join("pg_hba.conf"), hba).unwrap();
        }
        for _ in 0..5 {
            pg.port = super::http::free_port();
            if pg.try_start() {
                pg.createdb("team");
                return Some(pg);
            }
        }
        panic!(
            "{test}: PostgreSQL did not start: {}",
            std::fs::read_to_string(pg.dir.path().join("log")).unwrap_or_default()
        );
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, tool: &str) -> Command {
        let mut c = if self.as_nobody {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]);
            c.arg(self.bin.join(tool));
            c
        } else {
            Command::new(self.bin.join(tool))
        };
        c.stdin(Stdio::null());
        c.current_dir(self.dir.path());
        c
    }

    fn try_start(&mut self) -> bool {
        let mut opts = format!(
            "-k {} -h 127.0.0.1 -p {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            self.dir.path().display(),
            self.port
        );
        for e in &self.extra {
            opts.push_str(&format!(" -c {e}"));
        }
        let ok = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-w", "-t", "30", "-o", &opts])
            .arg("-l")
            .arg(self.dir.path().join("log"))
            .arg("start")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success();
        self.running = ok;
        ok
    }

    /// Stop the server (mid-shift, for a fault test).
    pub fn stop(&mut self) {
        if !self.running {
            return;
        }
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(["-m", "fast", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        self.running = false;
    }

    /// Start it again on the same port.
    pub fn restart(&mut self) {
        assert!(self.try_start(), "PostgreSQL did not start again");
    }

    fn psql(&self, db: &str, sql: &str) -> String {
        let out = self
            .command("psql")
            .args(["-h"])
            .arg(self.dir.path())
            .args(["-p", &self.port.to_string(), "-U", "postgres", "-d", db])
            .args(["-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn createdb(&self, name: &str) {
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
    }

    /// Run SQL on the team database (over the socket, as the superuser).
    pub fn sql(&self, sql: &str) -> String {
        self.psql("team", sql)
    }

    /// The connection string for the team database.
    pub fn url(&self) -> String {
        format!(
            "postgres://postgres:{PASSWORD}@127.0.0.1:{}/team?sslmode=disable",
            self.port
        )
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// A host: a workspace of its own whose `[store]` points at the team store
/// (an approver, so it can decide; 3 s to answer).
pub fn host(root: &Path, name: &str, operator: &str, backend: &str) -> PathBuf {
    let ws = root.join(name);
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(
        ws.join("shiftdeck.toml"),
        format!(
            "operator = \"{operator}\"\nrole = \"approver\"\n\n[store]\nbackend = \"{backend}\"\ntimeout_secs = 3\n"
        ),
    )
    .unwrap();
    ws
}

fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop();
    }
}
