use super::*;
use std::time::Instant;

pub(super) async fn start(faults: &[(&str, Fault)]) -> (Mocks, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mocks = Mocks::new(
        faults
            .iter()
            .map(|(v, f)| (v.to_string(), f.clone()))
            .collect(),
    );
    tokio::spawn(mocks.clone().serve(listener));
    (mocks, format!("http://{addr}"))
}

pub(super) fn client() -> reqwest::Client {
    crate::integrations::http_client(Duration::from_secs(5)).unwrap()
}

pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) headers: reqwest::header::HeaderMap,
    pub(super) body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

pub(super) async fn send(rb: reqwest::RequestBuilder) -> Answer {
    let resp = rb.send().await.expect("request failed");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.text().await.unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

pub(super) fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

mod faults;
mod inbox;
mod routes;
