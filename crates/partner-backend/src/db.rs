//! The embedded database: one table of accepted onboardings, keyed by id and bound one-to-one
//! to the `Idempotency-Key` that created them.
//!
//! SQLite calls block, so every call runs on tokio's blocking pool. One connection behind a
//! mutex is plenty for a reference backend; correctness under concurrency does not rest on the
//! mutex but on the UNIQUE key and an immediate transaction, so two processes sharing the file
//! still create exactly one row per key.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::StartupError;

mod partners;
pub use partners::{Partner, PartnerListing, SigninCode};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS onboardings (
    id              TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    partner_id      TEXT,
    -- The canonical JSON of the accepted submission, exactly as accepted.
    body            TEXT NOT NULL,
    received_at     TEXT NOT NULL
);";

/// What storing a submission under a key did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    /// A new row with this id.
    Created(String),
    /// The key already holds this very submission: its id, and no new row.
    Replayed(String),
    /// The key already holds a different submission.
    Conflict,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub id: String,
    pub received_at: String,
    pub body: String,
}

#[derive(Debug)]
pub struct DbError {
    pub message: String,
    /// The database stayed locked (by another connection or process) past the busy timeout:
    /// nothing was written, and the same call may succeed later.
    pub busy: bool,
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        let busy = matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        );
        DbError {
            message: e.to_string(),
            busy,
        }
    }
}

/// How long a write waits for another connection's lock before giving up (`SQLITE_BUSY`).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (or creates) the database file and its parent directory.
    pub fn open(path: &Path) -> Result<Db, StartupError> {
        Db::open_with_busy_timeout(path, BUSY_TIMEOUT)
    }

    /// [`Db::open`] with another busy timeout (tests of a locked database).
    pub fn open_with_busy_timeout(path: &Path, busy_timeout: Duration) -> Result<Db, StartupError> {
        let fail = |e: &dyn std::fmt::Display| {
            StartupError(format!("cannot open database {}: {e}", path.display()))
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| fail(&e))?;
        }
        let conn = Connection::open(path).map_err(|e| fail(&e))?;
        // WAL lets readers proceed during a write; the busy timeout makes a second process
        // wait for the write lock instead of failing at once. `synchronous = FULL` syncs the
        // WAL at every commit: a 201 tells the wizard to delete its draft, so an accepted
        // submission must survive a power cut or an OS crash, not only a process crash (which
        // is all NORMAL promises in WAL mode). The cost, one fsync per new submission, is in
        // docs/reliability.md's load figures.
        conn.busy_timeout(busy_timeout)
            .and_then(|()| conn.pragma_update(None, "journal_mode", "WAL"))
            .and_then(|()| conn.pragma_update(None, "synchronous", "FULL"))
            .and_then(|()| conn.execute_batch(SCHEMA))
            .and_then(|()| conn.execute_batch(partners::SCHEMA))
            .map_err(|e| fail(&e))?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Stores an accepted submission under its idempotency key, or reports what the key
    /// already holds. `body` must be the canonical JSON, so that a replay compares equal.
    pub async fn accept(
        &self,
        key: String,
        partner_id: Option<String>,
        body: String,
    ) -> Result<Stored, DbError> {
        self.with_conn(move |conn| {
            // IMMEDIATE takes the write lock up front: between the insert attempt and the
            // read-back no other writer can slip in.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = uuid::Uuid::new_v4().to_string();
            let inserted = tx.execute(
                "INSERT INTO onboardings (id, idempotency_key, partner_id, body, received_at)
                 VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                 ON CONFLICT (idempotency_key) DO NOTHING",
                params![id, key, partner_id, body],
            )?;
            let outcome = if inserted == 1 {
                Stored::Created(id)
            } else {
                let (existing_id, existing_body): (String, String) = tx.query_row(
                    "SELECT id, body FROM onboardings WHERE idempotency_key = ?1",
                    [&key],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )?;
                if existing_body == body {
                    Stored::Replayed(existing_id)
                } else {
                    Stored::Conflict
                }
            };
            tx.commit()?;
            Ok(outcome)
        })
        .await
    }

    pub async fn find(&self, id: String) -> Result<Option<Record>, DbError> {
        self.with_conn(move |conn| {
            conn.query_row(
                "SELECT id, received_at, body FROM onboardings WHERE id = ?1",
                [&id],
                |row| {
                    Ok(Record {
                        id: row.get(0)?,
                        received_at: row.get(1)?,
                        body: row.get(2)?,
                    })
                },
            )
            .optional()
            .map_err(DbError::from)
        })
        .await
    }

    async fn with_conn<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || f(&mut lock(&conn)))
            .await
            .map_err(|e| DbError {
                message: format!("database task failed: {e}"),
                busy: false,
            })?
    }
}

/// A panic while holding the lock leaves the connection usable (an open transaction is rolled
/// back when it is dropped), so a poisoned lock is taken over rather than failing every request.
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(path: &Path) -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM onboardings", [], |r| r.get(0))
            .unwrap()
    }

    #[tokio::test]
    async fn creates_the_parent_directory_and_replays_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/data/onboarding.db");
        let db = Db::open(&path).unwrap();
        let Stored::Created(id) = db.accept("k".into(), None, "{}".into()).await.unwrap() else {
            panic!("first accept must create");
        };
        assert_eq!(
            db.accept("k".into(), None, "{}".into()).await.unwrap(),
            Stored::Replayed(id.clone())
        );
        assert_eq!(
            db.accept("k".into(), None, "{\"a\":1}".into())
                .await
                .unwrap(),
            Stored::Conflict
        );
        let record = db.find(id.clone()).await.unwrap().unwrap();
        assert_eq!(
            (record.id.as_str(), record.body.as_str()),
            (id.as_str(), "{}")
        );
        assert!(record.received_at.ends_with('Z'), "{}", record.received_at);
        assert_eq!(db.find("nope".into()).await.unwrap(), None);
        assert_eq!(count(&path), 1);
    }

    #[tokio::test]
    async fn commits_are_durable_and_concurrent_readers_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("d.db")).unwrap();
        let conn = lock(&db.conn);
        let pragma = |name: &str| -> String {
            conn.query_row(&format!("PRAGMA {name}"), [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
            .map(|v| match v {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
            .unwrap()
        };
        assert_eq!(pragma("journal_mode"), "wal");
        // 2 = FULL: the WAL is synced at every commit.
        assert_eq!(pragma("synchronous"), "2");
        assert_eq!(pragma("busy_timeout"), "5000");
    }

    /// Separate connections (as separate processes would have) racing on one key: the UNIQUE
    /// key and the immediate transaction, not the in-process mutex, keep it to one row.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn separate_connections_racing_on_one_key_make_one_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("race.db");
        let handles: Vec<Db> = (0..8).map(|_| Db::open(&path).unwrap()).collect();
        let tasks: Vec<_> = handles
            .into_iter()
            .map(|db| {
                tokio::spawn(
                    async move { db.accept("key".into(), None, "{}".into()).await.unwrap() },
                )
            })
            .collect();
        let mut created = 0;
        let mut ids = Vec::new();
        for task in tasks {
            match task.await.unwrap() {
                Stored::Created(id) => {
                    created += 1;
                    ids.push(id);
                }
                Stored::Replayed(id) => ids.push(id),
                Stored::Conflict => panic!("same body must not conflict"),
            }
        }
        assert_eq!(created, 1);
        ids.dedup();
        assert_eq!(ids.len(), 1);
        assert_eq!(count(&path), 1);
    }
}
