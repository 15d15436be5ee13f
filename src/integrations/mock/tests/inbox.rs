//! The stateful PagerDuty incidents and Opsgenie alerts.

use super::*;

mod opsgenie;
mod pagerduty;

const PD_TOKEN: &str = "Token token=abc";
const GENIE: &str = "GenieKey k";

fn pd_get(c: &reqwest::Client, url: String) -> reqwest::RequestBuilder {
    c.get(url).header("Authorization", PD_TOKEN)
}

fn og_get(c: &reqwest::Client, url: String) -> reqwest::RequestBuilder {
    c.get(url).header("Authorization", GENIE)
}

#[tokio::test]
async fn requests_detailed_keeps_query_headers_and_body() {
    let (m, base) = start(&[]).await;
    let c = client();
    send(
        c.put(format!("{base}/pagerduty/incidents/QX?x=%5B1%5D"))
            .header("Authorization", PD_TOKEN)
            .header("From", "a@b.io")
            .body("{}"),
    )
    .await;
    let got = m.requests_detailed();
    assert_eq!(got.len(), 1);
    let r = &got[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("PUT", "/pagerduty/incidents/QX")
    );
    assert_eq!(r.query, "x=%5B1%5D");
    assert_eq!(r.body, "{}");
    assert!(r.headers.iter().any(|(n, v)| n == "from" && v == "a@b.io"));
    assert_eq!(
        m.requests(),
        vec![("PUT".to_string(), "/pagerduty/incidents/QX".to_string())]
    );
}
