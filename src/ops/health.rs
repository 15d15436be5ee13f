//! Polling and verifying an integration: what the vendor (or a proxy in
//! front of it) answered goes through the redactor before the Health pane,
//! the journal or `probe --once` sees it, so a key echoed in a 401 body
//! stays a `[redacted:NAME]`. The only secrets our requests carry are the
//! configured values, so those are what is looked for
//! ([`Redactor::redact_values`]).

use crate::domain::health::ProbeOutcome;
use crate::domain::redact::Redactor;
use crate::integrations::probes::ProbeContext;
use crate::integrations::setup::IntegrationConfig;
use reqwest::Client;

/// What a probe saw, with secrets replaced.
pub fn redact_outcome(redactor: &Redactor, mut outcome: ProbeOutcome) -> ProbeOutcome {
    outcome.summary = redactor.redact_values(&outcome.summary).text;
    outcome.hint = redactor.redact_values(&outcome.hint).text;
    outcome
}

/// Poll one integration once (nothing is created at the vendor).
pub async fn probe(
    client: &Client,
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
    redactor: &Redactor,
) -> ProbeOutcome {
    let outcome = crate::integrations::probes::probe(client, cfg, ctx).await;
    redact_outcome(redactor, outcome)
}

/// The explicit, confirmed verify: each step's answer redacted.
pub async fn verify(
    cfg: &IntegrationConfig,
    ctx: &ProbeContext,
    redactor: &Redactor,
) -> crate::integrations::verify::Steps {
    crate::integrations::verify::verify(cfg, ctx)
        .await
        .into_iter()
        .map(|(name, r)| {
            let r = match r {
                Ok(s) => Ok(redactor.redact_values(&s).text),
                Err(s) => Err(redactor.redact_values(&s).text),
            };
            (name, r)
        })
        .collect()
}
