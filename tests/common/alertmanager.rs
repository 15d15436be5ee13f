//! A throwaway Prometheus Alertmanager (the distribution's
//! `prometheus-alertmanager`) on a free port on 127.0.0.1, with its own
//! config and storage in a temp dir, stopped when dropped.
//!
//! Without the binary the tests that need it say so loudly and pass;
//! under `.ci/run` (SHIFTDECK_REQUIRE_SERVERS=1) a missing binary fails.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Alertmanager {
    child: Child,
    pub url: String,
    _dir: tempfile::TempDir,
}

fn binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in
        std::env::split_paths(&path).chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/sbin")])
    {
        for name in ["prometheus-alertmanager", "alertmanager"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

const CONFIG: &str =
    "route:\n  receiver: export-oncall\n  group_wait: 1h\nreceivers:\n  - name: export-oncall\n";

impl Alertmanager {
    /// Start one, or `None` (with the reason on stderr) when the binary is
    /// missing and servers are not required.
    pub fn start(test: &str) -> Option<Alertmanager> {
        let Some(bin) = binary() else {
            if std::env::var_os("SHIFTDECK_REQUIRE_SERVERS").is_some() {
                panic!(
                    "{test}: prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager)"
                );
            }
            eprintln!(
                "\n*** SKIPPED {test}: needs the real Alertmanager: apt-get install prometheus-alertmanager ***\n"
            );
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("alertmanager.yml"), CONFIG).unwrap();
        for _ in 0..5 {
            let port = super::http::free_port();
            let url = format!("http://127.0.0.1:{port}");
            let child = Command::new(&bin)
                .arg(format!(
                    "--config.file={}",
                    dir.path().join("alertmanager.yml").display()
                ))
                .arg(format!(
                    "--storage.path={}",
                    dir.path().join("data").display()
                ))
                .arg(format!("--web.listen-address=127.0.0.1:{port}"))
                .arg("--cluster.listen-address=")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("prometheus-alertmanager starts");
            let mut am = Alertmanager {
                child,
                url,
                _dir: tempfile::tempdir().unwrap(),
            };
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = am.child.try_wait() {
                    break;
                }
                if am.get("/-/ready").is_some_and(|(s, _)| s == 200) {
                    am._dir = dir;
                    return Some(am);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            // The port was taken between choosing and binding: again.
        }
        panic!("{test}: prometheus-alertmanager did not become ready");
    }

    fn request(&self, method: &str, path: &str, body: Option<&str>) -> Option<(u16, String)> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        rt.block_on(async {
            let c = shiftdeck::integrations::http_client(Duration::from_secs(5)).ok()?;
            let mut rb = c.request(method.parse().ok()?, format!("{}{path}", self.url));
            if let Some(b) = body {
                rb = rb
                    .header("Content-Type", "application/json")
                    .body(b.to_string());
            }
            let r = rb.timeout(Duration::from_secs(5)).send().await.ok()?;
            let status = r.status().as_u16();
            Some((status, r.text().await.ok()?))
        })
    }

    pub fn get(&self, path: &str) -> Option<(u16, String)> {
        self.request("GET", path, None)
    }

    pub fn json(&self, path: &str) -> serde_json::Value {
        let (s, body) = self.get(path).expect("alertmanager answers");
        assert_eq!(s, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Fire alerts (or resolve them, with `endsAt` in the past).
    pub fn post_alerts(&self, alerts: serde_json::Value) {
        let (s, body) = self
            .request("POST", "/api/v2/alerts", Some(&alerts.to_string()))
            .expect("alertmanager answers");
        assert_eq!(s, 200, "{body}");
    }

    pub fn post_silence(&self, silence: serde_json::Value) -> String {
        let (s, body) = self
            .request("POST", "/api/v2/silences", Some(&silence.to_string()))
            .expect("alertmanager answers");
        assert_eq!(s, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["silenceID"].as_str().unwrap().to_string()
    }
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
