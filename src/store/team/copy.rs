//! Copying between the workspace's files and the team store, both ways.
//!
//! Up: every line a stream file gained since the last copy, as rows of
//! `entries` (a row already there is left alone, so a copy cut short by a
//! crash is simply done again); approval records and handovers that
//! changed. Down: every row above the last sequence number seen, appended
//! to its file only if the file does not hold that line yet.
//!
//! Writers take one advisory lock for their transaction, so sequence
//! numbers become visible in order and a reader's cursor never skips one.

use super::files::{self, CopyState, Known, StreamFile};
use crate::domain::approval::ApprovalRecord;
use std::collections::BTreeMap;
use std::path::Path;
use tokio_postgres::{Client, IsolationLevel};

/// The advisory lock every writing transaction holds.
pub const WRITE_LOCK: i64 = 0x5348_4946_5444_4b01;

/// Rows read per statement when copying down.
const PAGE: i64 = 5000;

/// Lines sent per statement when copying up.
const CHUNK: usize = 2000;

pub type PgResult<T> = Result<T, tokio_postgres::Error>;

/// What a copy up did.
#[derive(Debug, Default)]
pub struct Up {
    pub lines: usize,
    pub records: usize,
    /// Approval decisions made here while the store was away that another
    /// host had already decided: the team's record stands.
    pub conflicts: Vec<Conflict>,
}

/// A decision made here that the team store had already made otherwise.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// An incident's (else an approval record's).
    pub incident: bool,
    pub id: String,
    pub title: String,
    /// "your approved at … came second — already rejected by bo at …; …"
    pub words: String,
}

/// What a copy down brought.
#[derive(Debug, Default)]
pub struct Down {
    pub lines: usize,
    pub records: usize,
}

/// Lines waiting to be copied up (for `db status` and the status bar).
pub fn waiting(root: &Path, state: &CopyState) -> usize {
    files::stream_files(root)
        .iter()
        .map(|f| {
            let off = state.pushed.get(&f.rel).copied().unwrap_or(0);
            files::lines_from(&root.join(&f.rel), off).map_or(0, |(l, _)| l.len())
        })
        .sum()
}

/// Copy up the lines, the approval records and the handovers.
pub async fn up(
    client: &mut Client,
    root: &Path,
    state: &mut CopyState,
    origin: &str,
) -> PgResult<Up> {
    let mut out = up_lines(client, root, state, origin).await?;
    up_records(client, root, state, origin, &mut out).await?;
    let _ = state.save(root);
    Ok(out)
}

/// Copy up the lines only (what changes most often).
pub async fn up_lines(
    client: &mut Client,
    root: &Path,
    state: &mut CopyState,
    origin: &str,
) -> PgResult<Up> {
    let mut out = Up::default();
    for f in files::stream_files(root) {
        let off = state.pushed.get(&f.rel).copied().unwrap_or(0);
        let Ok((lines, end)) = files::lines_from(&root.join(&f.rel), off) else {
            continue;
        };
        for chunk in lines.chunks(CHUNK) {
            let new = insert_lines(client, &f, chunk, origin).await?;
            out.lines += new.len();
            if f.stream == "events" {
                for line in chunk.iter().filter(|l| new.contains(&f.id(l).to_string())) {
                    if let Some(c) = came_second(client, line).await? {
                        out.conflicts.push(c);
                    }
                }
            }
        }
        if end != off {
            state.pushed.insert(f.rel.clone(), end);
            let _ = state.save(root);
        }
    }
    Ok(out)
}

async fn up_records(
    client: &mut Client,
    root: &Path,
    state: &mut CopyState,
    origin: &str,
    out: &mut Up,
) -> PgResult<()> {
    for (id, _state_dir, text) in files::approval_files(root) {
        let digest = files::digest(&text);
        if state.approvals.get(&id) == Some(&digest) {
            continue;
        }
        let Ok(local) = serde_json::from_str::<ApprovalRecord>(&text) else {
            continue; // a broken file is the approvals pane's to report
        };
        match up_record(client, &local, &text, origin).await? {
            RecordUp::Written => {
                out.records += 1;
                state.approvals.insert(id, digest);
            }
            RecordUp::Same => {
                state.approvals.insert(id, digest);
            }
            RecordUp::Skip => {}
            // The team's record is further along, or decided otherwise
            // (refused): this copy takes the team's version now.
            RecordUp::Behind(theirs) => take_theirs(root, state, &id, &theirs),
            RecordUp::Conflict(why, theirs) => {
                take_theirs(root, state, &id, &theirs);
                out.conflicts.push(why);
            }
        }
    }
    for (name, body) in files::handover_files(root) {
        let digest = files::digest(&body);
        if state.documents.get(&name) == Some(&digest) {
            continue;
        }
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
            .await?;
        out.records += tx
            .execute(
                "INSERT INTO documents (name, body, origin) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE SET body = EXCLUDED.body,
                     seq = nextval('shiftdeck_seq'), origin = EXCLUDED.origin, written_at = now()
                 WHERE documents.body <> EXCLUDED.body",
                &[&name, &body, &origin],
            )
            .await? as usize;
        tx.commit().await?;
        state.documents.insert(name, digest);
    }
    Ok(())
}

/// An acknowledgement or resolution written here while the team store was
/// away that another host had made earlier: the earliest stands (the fold
/// on every host keeps it), this one is refused and its operator told.
async fn came_second(client: &mut Client, line: &str) -> PgResult<Option<Conflict>> {
    use crate::domain::{Incident, IncidentChange, IncidentEvent, IncidentRecord};
    let Ok(mine) = serde_json::from_str::<IncidentEvent>(line) else {
        return Ok(None);
    };
    let word = match mine.change {
        IncidentChange::Acknowledged { .. } => "acknowledged",
        IncidentChange::Resolved { .. } => "resolved",
        _ => return Ok(None),
    };
    let Some(rec) = client
        .query_opt(
            "SELECT line FROM entries WHERE stream = 'incidents' AND key = $1 ORDER BY seq LIMIT 1",
            &[&mine.incident_id],
        )
        .await?
        .and_then(|r| serde_json::from_str::<IncidentRecord>(&r.get::<_, String>(0)).ok())
    else {
        return Ok(None);
    };
    let mut inc = Incident::from_record(&rec);
    for row in client
        .query(
            "SELECT line FROM entries WHERE stream = 'events' AND key = $1 ORDER BY seq",
            &[&mine.incident_id],
        )
        .await?
    {
        if let Ok(e) = serde_json::from_str::<IncidentEvent>(&row.get::<_, String>(0)) {
            inc.apply_state(&e);
        }
    }
    let stands = if word == "resolved" {
        inc.resolved
    } else {
        inc.acknowledged
    };
    Ok(match stands {
        Some((at, by)) if (at, by.as_str()) != (mine.at, mine.by.as_str()) => {
            let t = |x: chrono::DateTime<chrono::Utc>| x.format("%Y-%m-%d %H:%M UTC").to_string();
            Some(Conflict {
                incident: true,
                id: rec.id.clone(),
                title: rec.title.clone(),
                words: format!(
                    "your {word} at {} came second — already {word} by {by} at {}; the earliest stands, yours is recorded as refused",
                    t(mine.at),
                    t(at)
                ),
            })
        }
        _ => None,
    })
}

/// Insert lines of one file; returns the ids of those new to the store.
pub async fn insert_lines(
    client: &mut Client,
    f: &StreamFile,
    lines: &[String],
    origin: &str,
) -> PgResult<Vec<String>> {
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = lines.iter().map(|l| f.id(l).to_string()).collect();
    let keys: Vec<String> = lines.iter().map(|l| f.row_key(l)).collect();
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .await?;
    let rows = tx
        .query(
            "INSERT INTO entries (id, stream, key, line, origin)
             SELECT i::uuid, $2, k, l, $5 FROM unnest($1::text[], $3::text[], $4::text[]) AS u(i, k, l)
             ON CONFLICT (id) DO NOTHING
             RETURNING id::text",
            &[&ids, &f.stream, &keys, &lines, &origin],
        )
        .await?;
    tx.commit().await?;
    Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
}

enum RecordUp {
    Written,
    Same,
    /// The team's row is not a record: left for whoever wrote it.
    Skip,
    /// The team's record (its text) extends this one.
    Behind(String),
    Conflict(Conflict, String),
}

/// Put the team's version of a record in this copy.
fn take_theirs(root: &Path, state: &mut CopyState, id: &str, theirs: &str) {
    let Ok(rec) = serde_json::from_str::<ApprovalRecord>(theirs) else {
        return;
    };
    let store = crate::store::approvals::ApprovalStore::new(root);
    if store.put_copy(id, rec.state.as_str(), theirs).is_ok() {
        state
            .approvals
            .insert(id.to_string(), files::digest(theirs));
    }
}

/// The records of this copy that changed here since they were last copied
/// (a decision made offline, a file a batch tool dropped), by id.
fn changed_here(root: &Path, state: &CopyState) -> std::collections::HashMap<String, String> {
    files::approval_files(root)
        .into_iter()
        .filter(|(id, _, text)| state.approvals.get(id) != Some(&files::digest(text)))
        .map(|(id, _, text)| (id, text))
        .collect()
}

/// One approval record up: new, or a later state of the team's record.
/// A record decided here and elsewhere differently keeps the team's
/// decision (the first to reach it); this one is refused.
async fn up_record(
    client: &mut Client,
    local: &ApprovalRecord,
    text: &str,
    origin: &str,
) -> PgResult<RecordUp> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .await?;
    let row = tx
        .query_opt(
            "SELECT record FROM approvals WHERE id = $1 FOR UPDATE",
            &[&local.id],
        )
        .await?;
    let by = local
        .history
        .last()
        .map_or(local.requested_by.clone(), |t| t.by.clone());
    let outcome = match row {
        None => {
            tx.execute(
                "INSERT INTO approvals (id, state, record, updated_by) VALUES ($1, $2, $3, $4)",
                &[&local.id, &local.state.as_str(), &text, &by],
            )
            .await?;
            RecordUp::Written
        }
        Some(row) => {
            let theirs_text: String = row.get(0);
            if theirs_text == text {
                RecordUp::Same
            } else {
                match serde_json::from_str::<ApprovalRecord>(&theirs_text) {
                    Err(_) => RecordUp::Skip,
                    Ok(theirs) => {
                        let (mine, team) = (&local.history, &theirs.history);
                        if mine.len() > team.len() && mine[..team.len()] == team[..] {
                            tx.execute(
                                "UPDATE approvals SET state = $2, record = $3, updated_by = $4,
                                     seq = nextval('shiftdeck_seq'), updated_at = now()
                                 WHERE id = $1",
                                &[&local.id, &local.state.as_str(), &text, &by],
                            )
                            .await?;
                            let _ = origin;
                            RecordUp::Written
                        } else if team.len() >= mine.len() && team[..mine.len()] == mine[..] {
                            RecordUp::Behind(theirs_text)
                        } else {
                            RecordUp::Conflict(conflict_words(local, &theirs), theirs_text)
                        }
                    }
                }
            }
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// "approval-0142: your approved at 03:14 came second — already rejected
/// by bo at 03:12; the team's decision stands, yours is recorded as refused".
fn conflict_words(mine: &ApprovalRecord, theirs: &ApprovalRecord) -> Conflict {
    let common = mine
        .history
        .iter()
        .zip(&theirs.history)
        .take_while(|(a, b)| a == b)
        .count();
    let my = mine.history.get(common);
    let their = theirs.history.get(common).or(theirs.history.last());
    let at =
        |t: &crate::domain::approval::Transition| t.at.format("%Y-%m-%d %H:%M UTC").to_string();
    let words = match (my, their) {
        (Some(m), Some(t)) => format!(
            "your {} at {} came second — already {} by {} at {}; the team's decision stands, yours is recorded as refused",
            m.to.as_str(),
            at(m),
            t.to.as_str(),
            t.by,
            at(t)
        ),
        _ => "decided differently on another host; the team's record stands".to_string(),
    };
    Conflict {
        incident: false,
        id: mine.id.clone(),
        title: mine.title.clone(),
        words,
    }
}

/// Copy down everything above the cursor.
pub async fn down(
    client: &mut Client,
    root: &Path,
    state: &mut CopyState,
    known: &mut Known,
) -> PgResult<Down> {
    let mut out = Down::default();
    loop {
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let rows = tx
            .query(
                "SELECT seq, stream, key, line FROM entries WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&state.pulled, &PAGE],
            )
            .await?;
        let full = rows.len() as i64 == PAGE;
        let hi: i64 = if full {
            rows.last().map_or(i64::MAX, |r| r.get(0))
        } else {
            i64::MAX
        };
        let records = tx
            .query(
                "SELECT seq, id, state, record FROM approvals WHERE seq > $1 AND seq <= $2 ORDER BY seq",
                &[&state.pulled, &hi],
            )
            .await?;
        let documents = tx
            .query(
                "SELECT seq, name, body FROM documents WHERE seq > $1 AND seq <= $2 ORDER BY seq",
                &[&state.pulled, &hi],
            )
            .await?;
        tx.commit().await?;

        let mut top = state.pulled;
        let mut by_file: BTreeMap<String, (StreamFile, Vec<String>)> = BTreeMap::new();
        for r in &rows {
            top = top.max(r.get::<_, i64>(0));
            let (stream, key, line): (String, String, String) = (r.get(1), r.get(2), r.get(3));
            if let Some(f) = StreamFile::for_row(&stream, &key) {
                by_file
                    .entry(f.rel.clone())
                    .or_insert_with(|| (f, Vec::new()))
                    .1
                    .push(line);
            }
        }
        for (f, lines) in by_file.values() {
            match known.append_new(root, f, lines) {
                Ok(n) => out.lines += n,
                // Not written: the cursor stays, the next copy tries again.
                Err(_) => return Ok(out),
            }
        }
        let here = if records.is_empty() {
            Default::default()
        } else {
            changed_here(root, state)
        };
        for r in &records {
            top = top.max(r.get::<_, i64>(0));
            let (id, st, text): (String, String, String) = (r.get(1), r.get(2), r.get(3));
            let digest = files::digest(&text);
            // A row no host could have written (not a record for its id and
            // state) is passed over, not allowed to hold the copy up.
            let valid = crate::store::approvals::is_file_name(&id)
                && crate::domain::approval::ApprovalState::parse(&st).is_some_and(|s| {
                    serde_json::from_str::<ApprovalRecord>(&text)
                        .is_ok_and(|rec| rec.validate(s, &id).is_ok())
                });
            if !valid {
                continue;
            }
            // Changed here and not yet copied up: the copy up decides
            // (the team's version then, if this one came second).
            if here.get(&id).is_some_and(|mine| *mine != text) {
                continue;
            }
            let store = crate::store::approvals::ApprovalStore::new(root);
            match store.put_copy(&id, &st, &text) {
                Ok(true) => out.records += 1,
                Ok(false) => {}
                Err(_) => return Ok(out),
            }
            state.approvals.insert(id, digest);
        }
        for r in &documents {
            top = top.max(r.get::<_, i64>(0));
            let (name, body): (String, String) = (r.get(1), r.get(2));
            if StreamFile::for_row("journal", &name).is_none() {
                continue;
            }
            let path = root
                .join("journal")
                .join("handover")
                .join(format!("{name}.md"));
            if std::fs::read_to_string(&path).ok().as_deref() != Some(body.as_str()) {
                if crate::store::journal::atomic_write(&path, body.as_bytes()).is_err() {
                    return Ok(out);
                }
                out.records += 1;
            }
            state.documents.insert(name, files::digest(&body));
        }
        state.pulled = top;
        // Lines brought down are in the store already: when nothing else
        // was added to their file since the last copy up, it is all there.
        for (f, lines) in by_file.values() {
            let path = root.join(&f.rel);
            let pushed = state.pushed.get(&f.rel).copied().unwrap_or(0);
            let ids: std::collections::HashSet<uuid::Uuid> =
                lines.iter().map(|l| f.id(l)).collect();
            if let Ok((tail, end)) = files::lines_from(&path, pushed)
                && tail.iter().all(|l| ids.contains(&f.id(l)))
            {
                state.pushed.insert(f.rel.clone(), end);
            }
        }
        let _ = state.save(root);
        if !full {
            return Ok(out);
        }
    }
}
