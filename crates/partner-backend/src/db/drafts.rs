//! Account drafts: the storage side of `crate::drafts`. One row per (partner, draft id) holding
//! the draft codec's canonical encoding of the stored-draft document, its version and when it
//! was last written.
//!
//! - **Versions** come from a counter per partner (`draft_versions`), so a draft's versions
//!   only grow — also across a delete and a new create of the same id, so a client holding an
//!   old version can never match a newer draft by accident — and a partner's version numbers
//!   say nothing about other partners' activity.
//! - **Conditional writes** run in one IMMEDIATE transaction: the current version is read, the
//!   precondition checked, and the row changed `WHERE version = <the version read>`. Two
//!   writers with the same `If-Match` (threads, or processes sharing the file) are serialised
//!   by the write lock: exactly one changes the row, the other finds a newer version.
//! - **Expiry**: a row whose `updated_at` is older than the TTL counts as absent everywhere (a
//!   read never returns it, a write removes it first) and [`Db::purge_expired_drafts`] deletes
//!   all of them (at startup and hourly, see `crate::drafts`).
//! - Accepting an onboarding deletes the partner's draft of the same id in the accepting
//!   transaction (see [`delete_accepted`]).

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::{lock, Db, DbError};
use crate::auth::{now_ms, rfc3339};

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS drafts (
    partner_id TEXT NOT NULL,
    draft_id   TEXT NOT NULL,
    -- From draft_versions: grows with every write of the partner's drafts.
    version    INTEGER NOT NULL,
    -- draft_codec::encode(draft_codec::decode(<the document sent>)): never a password, never a
    -- private key (both refused before they get here, and the codec writes neither).
    document   TEXT NOT NULL,
    -- UTC, RFC 3339 with milliseconds, like onboardings.received_at: compared as text.
    updated_at TEXT NOT NULL,
    PRIMARY KEY (partner_id, draft_id)
);
CREATE INDEX IF NOT EXISTS drafts_by_partner ON drafts (partner_id, updated_at);
CREATE INDEX IF NOT EXISTS drafts_by_age ON drafts (updated_at);
CREATE TABLE IF NOT EXISTS draft_versions (
    partner_id TEXT PRIMARY KEY,
    last       INTEGER NOT NULL
);";

/// The most drafts one list answers (the newest).
pub const DRAFT_LIST_LIMIT: usize = 500;

/// A draft as stored: its canonical document and version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftCopy {
    pub draft_id: String,
    pub version: i64,
    pub updated_at: String,
    pub document: String,
}

/// A draft as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftListing {
    pub draft_id: String,
    pub customer_name: String,
    pub current_step: String,
    pub updated_at: String,
    pub version: i64,
}

/// What a write requires of the draft as it stands (the request's conditional headers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Precondition {
    /// `If-None-Match: *`: there is no such draft.
    Absent,
    /// `If-Match: *`: there is one, of any version.
    AnyVersion,
    /// `If-Match: "<v>", …`: its version is one of these.
    Version(Vec<i64>),
}

impl Precondition {
    fn holds(&self, current: Option<i64>) -> bool {
        match (self, current) {
            (Precondition::Absent, current) => current.is_none(),
            (Precondition::AnyVersion, current) => current.is_some(),
            (Precondition::Version(versions), Some(current)) => versions.contains(&current),
            (Precondition::Version(_), None) => false,
        }
    }
}

/// What a conditional write or delete did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftWrite {
    /// Stored (or deleted) as version `version` at `updated_at`.
    Done { version: i64, updated_at: String },
    /// The precondition does not hold: nothing changed. The draft as it stands, if any.
    Conflict(Option<DraftCopy>),
}

/// When a draft last written at `updated_at` has expired: before this instant.
fn cutoff(ttl_days: u32) -> String {
    rfc3339(now_ms() - i64::from(ttl_days) * 86_400_000)
}

fn read_copy(
    conn: &Connection,
    partner_id: &str,
    draft_id: &str,
    cutoff: &str,
) -> rusqlite::Result<Option<DraftCopy>> {
    conn.prepare_cached(
        "SELECT draft_id, version, updated_at, document FROM drafts
         WHERE partner_id = ?1 AND draft_id = ?2 AND updated_at >= ?3",
    )?
    .query_row(params![partner_id, draft_id, cutoff], |row| {
        Ok(DraftCopy {
            draft_id: row.get(0)?,
            version: row.get(1)?,
            updated_at: row.get(2)?,
            document: row.get(3)?,
        })
    })
    .optional()
}

/// The current version of a draft in a write transaction, an expired row removed first (it
/// counts as absent, and must not block a create).
fn current_version(
    tx: &Transaction<'_>,
    partner_id: &str,
    draft_id: &str,
    cutoff: &str,
) -> rusqlite::Result<Option<i64>> {
    tx.execute(
        "DELETE FROM drafts WHERE partner_id = ?1 AND draft_id = ?2 AND updated_at < ?3",
        params![partner_id, draft_id, cutoff],
    )?;
    tx.query_row(
        "SELECT version FROM drafts WHERE partner_id = ?1 AND draft_id = ?2",
        params![partner_id, draft_id],
        |row| row.get(0),
    )
    .optional()
}

/// The partner's next version number.
fn next_version(tx: &Transaction<'_>, partner_id: &str) -> rusqlite::Result<i64> {
    tx.query_row(
        "INSERT INTO draft_versions (partner_id, last) VALUES (?1, 1)
         ON CONFLICT (partner_id) DO UPDATE SET last = last + 1
         RETURNING last",
        [partner_id],
        |row| row.get(0),
    )
}

/// Deletes the partner's draft `draft_id`, in the transaction that accepts its onboarding.
pub(super) fn delete_accepted(
    tx: &Transaction<'_>,
    partner_id: &str,
    draft_id: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM drafts WHERE partner_id = ?1 AND draft_id = ?2",
        params![partner_id, draft_id],
    )?;
    Ok(())
}

fn purge(conn: &Connection, ttl_days: u32) -> Result<usize, DbError> {
    Ok(conn.execute(
        "DELETE FROM drafts WHERE updated_at < ?1",
        [cutoff(ttl_days)],
    )?)
}

impl Db {
    /// `partner_id`'s drafts, newest first, at most [`DRAFT_LIST_LIMIT`]; expired ones never.
    pub async fn list_drafts(
        &self,
        partner_id: String,
        ttl_days: u32,
    ) -> Result<Vec<DraftListing>, DbError> {
        self.with_conn(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT draft_id,
                        coalesce(json_extract(document, '$.working.customer.name'), ''),
                        coalesce(json_extract(document, '$.working.current_step'), ''),
                        updated_at, version
                 FROM drafts WHERE partner_id = ?1 AND updated_at >= ?2
                 ORDER BY updated_at DESC, version DESC LIMIT ?3",
            )?;
            let rows = stmt.query_map(
                params![partner_id, cutoff(ttl_days), DRAFT_LIST_LIMIT as i64],
                |r| {
                    Ok(DraftListing {
                        draft_id: r.get(0)?,
                        customer_name: r.get(1)?,
                        current_step: r.get(2)?,
                        updated_at: r.get(3)?,
                        version: r.get(4)?,
                    })
                },
            )?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Draft `draft_id` of `partner_id`: another partner's, or an expired one, is `None`,
    /// exactly as one that does not exist.
    pub async fn find_draft(
        &self,
        partner_id: String,
        draft_id: String,
        ttl_days: u32,
    ) -> Result<Option<DraftCopy>, DbError> {
        self.with_conn(move |conn| Ok(read_copy(conn, &partner_id, &draft_id, &cutoff(ttl_days))?))
            .await
    }

    /// Stores `document` (already the codec's canonical encoding) as `partner_id`'s draft
    /// `draft_id` if `precondition` holds, atomically: see the module's documentation.
    pub async fn put_draft(
        &self,
        partner_id: String,
        draft_id: String,
        precondition: Precondition,
        document: String,
        ttl_days: u32,
    ) -> Result<DraftWrite, DbError> {
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let cutoff = cutoff(ttl_days);
            let current = current_version(&tx, &partner_id, &draft_id, &cutoff)?;
            if !precondition.holds(current) {
                let copy = read_copy(&tx, &partner_id, &draft_id, &cutoff)?;
                return Ok(DraftWrite::Conflict(copy));
            }
            let version = next_version(&tx, &partner_id)?;
            let updated_at = rfc3339(now_ms());
            let changed = match current {
                None => tx.execute(
                    "INSERT INTO drafts (partner_id, draft_id, version, document, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![partner_id, draft_id, version, document, updated_at],
                )?,
                Some(current) => tx.execute(
                    "UPDATE drafts SET version = ?3, document = ?4, updated_at = ?5
                     WHERE partner_id = ?1 AND draft_id = ?2 AND version = ?6",
                    params![partner_id, draft_id, version, document, updated_at, current],
                )?,
            };
            if changed != 1 {
                // Cannot happen under the write lock; never report a write that did not happen.
                return Err(DbError {
                    message: format!(
                        "draft {draft_id}: the conditional write changed {changed} rows"
                    ),
                    busy: false,
                });
            }
            tx.commit()?;
            Ok(DraftWrite::Done {
                version,
                updated_at,
            })
        })
        .await
    }

    /// Deletes `partner_id`'s draft `draft_id` if `precondition` holds. `Ok(None)` when there
    /// is no such draft (another partner's, an expired one).
    pub async fn delete_draft(
        &self,
        partner_id: String,
        draft_id: String,
        precondition: Precondition,
        ttl_days: u32,
    ) -> Result<Option<DraftWrite>, DbError> {
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let cutoff = cutoff(ttl_days);
            let Some(current) = current_version(&tx, &partner_id, &draft_id, &cutoff)? else {
                tx.commit()?;
                return Ok(None);
            };
            if !precondition.holds(Some(current)) {
                let copy = read_copy(&tx, &partner_id, &draft_id, &cutoff)?;
                return Ok(Some(DraftWrite::Conflict(copy)));
            }
            tx.execute(
                "DELETE FROM drafts WHERE partner_id = ?1 AND draft_id = ?2 AND version = ?3",
                params![partner_id, draft_id, current],
            )?;
            tx.commit()?;
            Ok(Some(DraftWrite::Done {
                version: current,
                updated_at: rfc3339(now_ms()),
            }))
        })
        .await
    }

    /// Deletes every draft (of any partner) not written for more than `ttl_days`; how many.
    pub async fn purge_expired_drafts(&self, ttl_days: u32) -> Result<usize, DbError> {
        self.with_conn(move |conn| purge(conn, ttl_days)).await
    }

    /// [`Db::purge_expired_drafts`] from synchronous code (the server's startup).
    pub fn purge_expired_drafts_now(&self, ttl_days: u32) -> Result<usize, DbError> {
        purge(&lock(&self.conn), ttl_days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("d.db")).unwrap();
        (dir, db)
    }

    #[tokio::test]
    async fn versions_grow_across_a_delete_and_a_new_create() {
        let (_dir, db) = db();
        let put = |precondition, doc: &str| {
            db.put_draft("acme".into(), "d".into(), precondition, doc.into(), 30)
        };
        let DraftWrite::Done { version: v1, .. } = put(Precondition::Absent, "{}").await.unwrap()
        else {
            panic!("create");
        };
        let DraftWrite::Done { version: v2, .. } =
            put(Precondition::Version(vec![v1]), "{}").await.unwrap()
        else {
            panic!("update");
        };
        assert!(v2 > v1);
        assert!(matches!(
            put(Precondition::Version(vec![v1]), "{}").await.unwrap(),
            DraftWrite::Conflict(Some(DraftCopy { version, .. })) if version == v2
        ));
        let deleted = db
            .delete_draft(
                "acme".into(),
                "d".into(),
                Precondition::Version(vec![v2]),
                30,
            )
            .await
            .unwrap();
        assert!(matches!(deleted, Some(DraftWrite::Done { .. })));
        let DraftWrite::Done { version: v3, .. } = put(Precondition::Absent, "{}").await.unwrap()
        else {
            panic!("create again");
        };
        assert!(v3 > v2, "an old version never matches a new draft");
        assert!(matches!(
            put(Precondition::Version(vec![v1, v2]), "{}")
                .await
                .unwrap(),
            DraftWrite::Conflict(Some(_))
        ));
        assert!(matches!(
            put(Precondition::AnyVersion, "{}").await.unwrap(),
            DraftWrite::Done { .. }
        ));
    }

    #[tokio::test]
    async fn another_partners_draft_is_absent() {
        let (_dir, db) = db();
        db.put_draft(
            "acme".into(),
            "d".into(),
            Precondition::Absent,
            "{}".into(),
            30,
        )
        .await
        .unwrap();
        assert_eq!(
            db.find_draft("beta".into(), "d".into(), 30).await.unwrap(),
            None
        );
        assert!(db.list_drafts("beta".into(), 30).await.unwrap().is_empty());
        assert_eq!(
            db.put_draft(
                "beta".into(),
                "d".into(),
                Precondition::AnyVersion,
                "{}".into(),
                30
            )
            .await
            .unwrap(),
            DraftWrite::Conflict(None)
        );
        assert_eq!(
            db.delete_draft("beta".into(), "d".into(), Precondition::AnyVersion, 30)
                .await
                .unwrap(),
            None
        );
        assert!(db
            .find_draft("acme".into(), "d".into(), 30)
            .await
            .unwrap()
            .is_some());
    }

    /// Separate connections (as separate processes sharing the file would have) updating from
    /// one version: the write lock and `WHERE version = ?`, not the in-process mutex, leave
    /// exactly one winner.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn separate_connections_updating_from_one_version_have_one_winner() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("race.db");
        let first = Db::open(&path).unwrap();
        let DraftWrite::Done { version, .. } = first
            .put_draft(
                "acme".into(),
                "d".into(),
                Precondition::Absent,
                "{}".into(),
                30,
            )
            .await
            .unwrap()
        else {
            panic!("create");
        };
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let db = Db::open(&path).unwrap();
                tokio::spawn(async move {
                    db.put_draft(
                        "acme".into(),
                        "d".into(),
                        Precondition::Version(vec![version]),
                        format!("{{\"writer\":{i}}}"),
                        30,
                    )
                    .await
                    .unwrap()
                })
            })
            .collect();
        let mut done = 0;
        for task in tasks {
            match task.await.unwrap() {
                DraftWrite::Done { .. } => done += 1,
                DraftWrite::Conflict(current) => assert!(current.unwrap().version > version),
            }
        }
        assert_eq!(done, 1);
    }
}
