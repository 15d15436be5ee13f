//! The changes where the first one wins, checked against the team store's
//! state under a lock in one transaction: an approval decision (a row lock
//! on the record) and a change to an incident (its declaration and events
//! read and folded under the writers' lock). The rule checked is the
//! domain's own, the same one a single host checks under its file lock.

use super::copy::{PgResult, WRITE_LOCK};
use crate::domain::approval::{ApprovalRecord, Decision, DecisionContext, Refusal};
use crate::domain::{Incident, IncidentEvent, IncidentRecord, IncidentRefusal};
use chrono::{DateTime, Utc};
use tokio_postgres::Client;

/// A claim's outcome.
#[derive(Debug)]
pub enum Claimed<T, R> {
    Done(T),
    Refused(R),
    /// The team store does not know the record (made here and not yet
    /// copied up): the local rule decides.
    Unknown,
}

/// Decide on an approval record in the team store. Returns the record as
/// written there, and its text (what the local copy gets, byte for byte).
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    client: &mut Client,
    id: &str,
    decision: Decision,
    by: &str,
    reason: &str,
    ctx: &DecisionContext,
    now: DateTime<Utc>,
) -> PgResult<Claimed<(ApprovalRecord, String), Refusal>> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .await?;
    let Some(row) = tx
        .query_opt(
            "SELECT record FROM approvals WHERE id = $1 FOR UPDATE",
            &[&id],
        )
        .await?
    else {
        return Ok(Claimed::Unknown);
    };
    let text: String = row.get(0);
    let Ok(current) = serde_json::from_str::<ApprovalRecord>(&text) else {
        return Ok(Claimed::Unknown);
    };
    if let Err(r) = current.check(decision, ctx, reason) {
        return Ok(Claimed::Refused(r));
    }
    let next = current.decided(decision, by, now, reason);
    let mut json = serde_json::to_string_pretty(&next).unwrap_or_default();
    json.push('\n');
    tx.execute(
        "UPDATE approvals SET state = $2, record = $3, updated_by = $4,
             seq = nextval('shiftdeck_seq'), updated_at = now()
         WHERE id = $1",
        &[&id, &next.state.as_str(), &json, &by],
    )
    .await?;
    tx.commit().await?;
    Ok(Claimed::Done((next, json)))
}

/// Write a change to an incident into the team store if its rule allows
/// it against every host's changes so far.
pub async fn change(
    client: &mut Client,
    event: &IncidentEvent,
    line: &str,
    id: &str,
    origin: &str,
) -> PgResult<Claimed<(), IncidentRefusal>> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .await?;
    let Some(declared) = tx
        .query_opt(
            "SELECT line FROM entries WHERE stream = 'incidents' AND key = $1 ORDER BY seq LIMIT 1",
            &[&event.incident_id],
        )
        .await?
    else {
        return Ok(Claimed::Unknown);
    };
    let Ok(record) = serde_json::from_str::<IncidentRecord>(&declared.get::<_, String>(0)) else {
        return Ok(Claimed::Unknown);
    };
    let mut incident = Incident::from_record(&record);
    for row in tx
        .query(
            "SELECT line FROM entries WHERE stream = 'events' AND key = $1 ORDER BY seq",
            &[&event.incident_id],
        )
        .await?
    {
        if let Ok(e) = serde_json::from_str::<IncidentEvent>(&row.get::<_, String>(0)) {
            incident.apply_state(&e);
        }
    }
    if let Err(r) = incident.check(&event.change) {
        return Ok(Claimed::Refused(r));
    }
    tx.execute(
        "INSERT INTO entries (id, stream, key, line, origin) VALUES ($1::text::uuid, 'events', $2, $3, $4)
         ON CONFLICT (id) DO NOTHING",
        &[&id, &event.incident_id, &line, &origin],
    )
    .await?;
    tx.commit().await?;
    Ok(Claimed::Done(()))
}
