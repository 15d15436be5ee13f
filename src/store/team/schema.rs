//! The team store's schema: versioned migrations, each applied once in
//! its own transaction and recorded in `shiftdeck_migrations`.
//!
//! Every JSON line the workspace holds (incident declarations and events,
//! journal entries, the two outboxes) is one row of `entries`, kept exactly
//! as written, with the id that makes each copy idempotent. `entries` is
//! insert-only: a trigger refuses UPDATE, DELETE and TRUNCATE, so the audit
//! trail holds on the server as it does on disk. Approval records (which
//! change state) are rows of `approvals`; published handovers are rows of
//! `documents`. Every write notifies the channel `shiftdeck`.

/// One migration: its number, a name, and its statements.
pub struct Migration {
    pub version: i32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// What `db migrate` runs first, before any migration: the table that
/// says which have been applied.
pub const LEDGER: &str = "CREATE TABLE IF NOT EXISTS shiftdeck_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);";

pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "the team store",
    sql: r#"CREATE SEQUENCE shiftdeck_seq;

CREATE TABLE shiftdeck_meta (
    store_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO shiftdeck_meta (store_id) VALUES (md5(random()::text || clock_timestamp()::text)::uuid);

CREATE TABLE entries (
    seq bigint PRIMARY KEY DEFAULT nextval('shiftdeck_seq'),
    id uuid NOT NULL UNIQUE,
    stream text NOT NULL CHECK (stream IN ('incidents', 'events', 'outbox', 'messages', 'journal')),
    key text NOT NULL,
    line text NOT NULL,
    origin text NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX entries_by_key ON entries (stream, key);

CREATE TABLE approvals (
    id text PRIMARY KEY,
    state text NOT NULL,
    record text NOT NULL,
    seq bigint NOT NULL DEFAULT nextval('shiftdeck_seq'),
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX approvals_by_seq ON approvals (seq);

CREATE TABLE documents (
    name text PRIMARY KEY,
    body text NOT NULL,
    seq bigint NOT NULL DEFAULT nextval('shiftdeck_seq'),
    origin text NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_by_seq ON documents (seq);

CREATE FUNCTION shiftdeck_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'shiftdeck: % is insert-only (the audit trail)', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER entries_insert_only BEFORE UPDATE OR DELETE ON entries
    FOR EACH ROW EXECUTE FUNCTION shiftdeck_insert_only();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
    FOR EACH STATEMENT EXECUTE FUNCTION shiftdeck_insert_only();

CREATE FUNCTION shiftdeck_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('shiftdeck', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
CREATE TRIGGER entries_notify AFTER INSERT ON entries
    FOR EACH STATEMENT EXECUTE FUNCTION shiftdeck_notify();
CREATE TRIGGER approvals_notify AFTER INSERT OR UPDATE ON approvals
    FOR EACH STATEMENT EXECUTE FUNCTION shiftdeck_notify();
CREATE TRIGGER documents_notify AFTER INSERT OR UPDATE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION shiftdeck_notify();"#,
}];

/// The level this build needs.
pub fn latest() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The migrations still to apply above `level`.
pub fn pending(level: i32) -> impl Iterator<Item = &'static Migration> {
    MIGRATIONS.iter().filter(move |m| m.version > level)
}

/// The DDL `db migrate --dry-run` prints for a database at `level`.
pub fn plan_text(level: Option<i32>) -> String {
    let mut out = String::new();
    if level.is_none() {
        out.push_str(LEDGER);
        out.push_str("\n\n");
    }
    for m in pending(level.unwrap_or(0)) {
        out.push_str(&format!("-- migration {}: {}\nBEGIN;\n", m.version, m.name));
        out.push_str(m.sql);
        out.push_str(&format!(
            "\nINSERT INTO shiftdeck_migrations (version, name) VALUES ({}, '{}');\nCOMMIT;\n\n",
            m.version, m.name
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_rise_and_the_plan_names_each_step() {
        assert!(MIGRATIONS.windows(2).all(|w| w[0].version < w[1].version));
        assert_eq!(latest(), 1);
        let fresh = plan_text(None);
        assert!(fresh.starts_with("CREATE TABLE IF NOT EXISTS shiftdeck_migrations"));
        assert!(fresh.contains("-- migration 1: the team store"));
        assert!(fresh.contains("CREATE TABLE entries"));
        assert_eq!(plan_text(Some(1)), "", "nothing to do at the latest level");
        assert_eq!(pending(0).count(), 1);
    }
}
