//! Posting a handover to a Slack incoming webhook.

use std::time::Duration;

/// Mask a webhook URL for display: scheme and host only.
pub fn mask(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}/…", rest.split('/').next().unwrap_or("")),
        None => "…".into(),
    }
}

/// Post text to a webhook. Errors name the cause in the operator's words
/// (vendor-apis.md §5), never the URL.
pub async fn post(url: &str, text: &str) -> Result<(), String> {
    post_for_outbox(url, text).await.map_err(|(e, _)| e)
}

/// As [`post`], with whether trying again later may help (`false` for a
/// webhook Slack says is revoked, removed or archived).
pub async fn post_for_outbox(url: &str, text: &str) -> Result<(), (String, bool)> {
    let client = super::http_client(Duration::from_secs(10)).map_err(|e| (e, true))?;
    // Sanitised at the edge: whatever the caller built, Slack gets no controls.
    let text = crate::domain::sanitize::text(text);
    let body = serde_json::json!({ "text": text }).to_string();
    let resp = client
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| (format!("Slack: {}", super::describe(e)), true))?;
    let status = resp.status().as_u16();
    let retry = status == 429 || status >= 500;
    let text = resp.text().await.unwrap_or_default();
    let said = text.trim().chars().take(80).collect::<String>();
    let answer: Result<(), String> = match status {
        200..=299 => Ok(()),
        404 => Err(format!("Slack answered 404 {said}: the webhook was removed, its app uninstalled or its token revoked — issue a new webhook")),
        403 if said.contains("action_prohibited") => Err("Slack answered 403 action_prohibited: a workspace admin restricts this webhook".into()),
        403 | 401 => Err(format!("Slack answered {status} {said}: the webhook was rotated or revoked — issue a new one")),
        410 => Err(format!("Slack answered 410 {said}: the channel is archived")),
        400 if said.contains("invalid_token") => Err("Slack answered 400 invalid_token: the webhook was revoked, or its workspace or channel is gone".into()),
        429 => Err("Slack answered 429: rate limited — try again in a minute".into()),
        s if s >= 500 => Err(format!("Slack answered {s} {said}: a Slack-side problem — try again later")),
        s => Err(format!("Slack answered {s} {said}")),
    };
    answer.map_err(|e| (e, retry))
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_keep_only_scheme_and_host() {
        assert_eq!(
            super::mask("https://hooks.slack.com/services/T000/B000/XXXX"),
            "https://hooks.slack.com/…"
        );
    }
}
