//! `shiftdeck db`: migrate, status and import, each on a connection of its
//! own (no team thread), and the readiness check the team thread runs.

use super::copy;
use super::files::CopyState;
use super::link::{Target, explain};
use super::schema;
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

/// The migration level, or `None` on a database shiftdeck never migrated.
pub async fn level(client: &Client) -> Result<Option<i32>, tokio_postgres::Error> {
    match client
        .query_one("SELECT max(version) FROM shiftdeck_migrations", &[])
        .await
    {
        Ok(row) => Ok(Some(row.get::<_, Option<i32>>(0).unwrap_or(0))),
        Err(e) if e.code() == Some(&SqlState::UNDEFINED_TABLE) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn server_version(client: &Client) -> Result<String, tokio_postgres::Error> {
    let row = client.query_one("SHOW server_version", &[]).await?;
    let v: String = row.get(0);
    Ok(format!(
        "PostgreSQL {}",
        v.split_whitespace().next().unwrap_or(&v)
    ))
}

/// Is the database ready for this build? Returns the server's version and
/// the store's id, or what to do.
pub async fn check_ready(client: &mut Client) -> Result<(String, String), String> {
    let e = |e: tokio_postgres::Error| explain("", &e);
    let server = server_version(client).await.map_err(e)?;
    match level(client).await.map_err(e)? {
        None => {
            return Err(
                "the team store has no shiftdeck tables yet: run `shiftdeck db migrate`".into(),
            );
        }
        Some(l) if l < schema::latest() => {
            return Err(format!(
                "the team store's schema is at level {l}, this build needs {}: run `shiftdeck db migrate`",
                schema::latest()
            ));
        }
        Some(l) if l > schema::latest() => {
            return Err(format!(
                "the team store's schema is at level {l}, newer than this build's {}: upgrade shiftdeck",
                schema::latest()
            ));
        }
        Some(_) => {}
    }
    let row = client
        .query_one("SELECT store_id::text FROM shiftdeck_meta LIMIT 1", &[])
        .await
        .map_err(e)?;
    Ok((server, row.get(0)))
}

/// `db migrate`: what it did (or, dry, what it would do).
pub async fn migrate(target: &Target, dry_run: bool) -> Result<String, String> {
    let mut link = target.connect().await?;
    let client = &mut link.client;
    let ex = |e: tokio_postgres::Error| explain(&target.var, &e);
    let at = level(client).await.map_err(ex)?;
    if dry_run {
        let plan = schema::plan_text(at);
        return Ok(if plan.is_empty() {
            format!(
                "-- the schema is at level {} (the latest): nothing to do\n",
                at.unwrap_or(0)
            )
        } else {
            format!(
                "-- dry run: the schema is at level {}; this is what `db migrate` runs\n{plan}",
                at.map_or("none".to_string(), |l| l.to_string())
            )
        });
    }
    if at.is_none() {
        client.batch_execute(schema::LEDGER).await.map_err(ex)?;
    }
    let mut done = Vec::new();
    // One migrator at a time, each step in its own transaction.
    client
        .execute("SELECT pg_advisory_lock($1)", &[&copy::WRITE_LOCK])
        .await
        .map_err(ex)?;
    let result = async {
        let now = level(client).await?.unwrap_or(0);
        for m in schema::pending(now) {
            let tx = client.transaction().await?;
            tx.batch_execute(m.sql).await?;
            tx.execute(
                "INSERT INTO shiftdeck_migrations (version, name) VALUES ($1, $2)",
                &[&m.version, &m.name],
            )
            .await?;
            tx.commit().await?;
            done.push(format!("applied migration {}: {}", m.version, m.name));
        }
        Ok::<_, tokio_postgres::Error>(())
    }
    .await;
    let _ = client
        .execute("SELECT pg_advisory_unlock($1)", &[&copy::WRITE_LOCK])
        .await;
    result.map_err(ex)?;
    if done.is_empty() {
        Ok(format!(
            "the schema is at level {} (the latest): nothing to do\n",
            schema::latest()
        ))
    } else {
        Ok(format!(
            "{}\nthe schema is at level {}\n",
            done.join("\n"),
            schema::latest()
        ))
    }
}

/// What `db status` reports.
#[derive(Debug, serde::Serialize)]
pub struct DbStatus {
    pub backend: &'static str,
    pub url_env: String,
    pub reachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<i32>,
    pub latest: i32,
    /// Local lines not yet copied up to this store.
    pub waiting: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<i64>,
}

pub async fn status(
    target: Result<Target, String>,
    backend: super::Backend,
    url_env: &str,
    root: &std::path::Path,
) -> DbStatus {
    let mut out = DbStatus {
        backend: backend.as_str(),
        url_env: url_env.to_string(),
        reachable: false,
        error: None,
        server: None,
        level: None,
        latest: schema::latest(),
        waiting: 0,
        entries: None,
    };
    let target = match target {
        Ok(t) => t,
        Err(e) => {
            out.error = Some(e);
            return out;
        }
    };
    let link = match target.connect().await {
        Ok(l) => l,
        Err(e) => {
            out.error = Some(e);
            let state = CopyState::load_last(root);
            out.waiting = copy::waiting(root, &state);
            return out;
        }
    };
    let c = &link.client;
    out.reachable = true;
    out.server = server_version(c).await.ok();
    out.level = level(c).await.ok().flatten();
    let store_id = if out.level.is_some_and(|l| l >= 1) {
        c.query_one("SELECT store_id::text FROM shiftdeck_meta LIMIT 1", &[])
            .await
            .ok()
            .map(|r| r.get::<_, String>(0))
    } else {
        None
    };
    if out.level.is_some_and(|l| l >= 1) {
        out.entries = c
            .query_one("SELECT count(*) FROM entries", &[])
            .await
            .ok()
            .map(|r| r.get(0));
    }
    let state = CopyState::load(root, store_id.as_deref().unwrap_or(""));
    out.waiting = copy::waiting(root, &state);
    out
}

/// What `db import` did.
#[derive(Debug, serde::Serialize)]
pub struct Imported {
    pub lines_read: usize,
    pub lines_new: usize,
    pub records_new: usize,
}

/// `db import --from DIR`: every line and record of a workspace into the
/// team store. Rows already there are left alone, so a second run
/// imports nothing. The workspace read is never written to.
pub async fn import(
    target: &Target,
    from: &std::path::Path,
    origin: &str,
) -> Result<Imported, String> {
    let mut link = target.connect().await?;
    check_ready(&mut link.client).await?;
    let mut state = CopyState {
        scratch: true,
        ..CopyState::default()
    };
    let read = copy::waiting(from, &state);
    let up = copy::up(&mut link.client, from, &mut state, origin)
        .await
        .map_err(|e| explain(&target.var, &e))?;
    Ok(Imported {
        lines_read: read,
        lines_new: up.lines,
        records_new: up.records,
    })
}

/// A connection target from the config (for the `db` commands).
pub fn target(store: &super::StoreConfig) -> Result<Target, String> {
    super::link::target(store)
}
