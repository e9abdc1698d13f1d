//! The embedded database: one table of accepted onboardings, keyed by id and each bound to the
//! partner that submitted it and the `Idempotency-Key` (the draft id) that created it. A key is
//! unique per partner, not globally: one partner cannot lock another out of a draft id, nor
//! learn by a `409` that another partner used it.
//!
//! SQLite calls block, so every call runs on tokio's blocking pool. One connection behind a
//! mutex is plenty for a reference backend; correctness under concurrency does not rest on the
//! mutex but on the UNIQUE key and an immediate transaction, so two processes sharing the file
//! still create exactly one row per key.
//!
//! The PBX password is not in `body` (its place there holds `""`): it is sealed with the
//! secrets key (see [`crate::secrets`]) into the `pbx_password` column, bound to the row's id.
//! The database file, its WAL and a copy of either therefore reveal no password.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::secrets::{self, SecretsKey};
use crate::StartupError;

mod drafts;
mod partners;
pub use drafts::{DraftCopy, DraftListing, DraftWrite, Precondition, DRAFT_LIST_LIMIT};
pub use partners::{Partner, PartnerListing, SigninCode};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS onboardings (
    id              TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL,
    -- The authenticated partner that submitted it (NULL only in rows accepted before the API
    -- required a caller: those held the body's unproven claim, or nothing).
    partner_id      TEXT,
    -- The canonical JSON of the accepted submission, exactly as accepted except for the PBX
    -- password, whose place holds an empty string.
    body            TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    -- The PBX password: nonce || XChaCha20-Poly1305 ciphertext, associated data `pbx_password:<id>`.
    -- NULL when the submission has no PBX section.
    pbx_password    BLOB,
    -- Who submitted it within the partner: the session's role and opaque user (NULL for the
    -- partner's secret key), for the audit trail.
    submitted_role  TEXT,
    submitted_user  TEXT,
    UNIQUE (partner_id, idempotency_key)
);
-- One value sealed at creation, so that a wrong secrets key is refused at startup instead of
-- sealing new passwords under a key the older rows do not open with.
CREATE TABLE IF NOT EXISTS secrets_key_check (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    sealed BLOB NOT NULL
);";

/// What [`KEY_CHECK_AAD`] seals: any constant would do.
const KEY_CHECK_PLAINTEXT: &[u8] = b"partner-backend secrets key";
const KEY_CHECK_AAD: &[u8] = b"secrets_key_check";

/// The associated data of a row's sealed password: the password opens only in its own row.
fn password_aad(id: &str) -> Vec<u8> {
    format!("pbx_password:{id}").into_bytes()
}

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

/// Who is submitting: the proven partner, and within it the session's role and user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submitter {
    pub partner_id: String,
    pub role: Option<String>,
    pub user: Option<String>,
}

/// An onboarding as a partner's list shows it: no body, no password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    pub id: String,
    pub draft_id: String,
    pub customer_name: String,
    pub received_at: String,
}

/// The most onboardings one list answers.
pub const LIST_LIMIT: usize = 100;

/// Indexes made after [`scope_keys_per_partner`], which rebuilds the table (dropping any index on
/// the old one). The list reads a partner's rows newest first.
const INDEXES: &str = "
CREATE INDEX IF NOT EXISTS onboardings_by_partner ON onboardings (partner_id, received_at);";

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
    secrets: SecretsKey,
}

impl Db {
    /// Opens (or creates) the database file and its parent directory, with the secrets key of
    /// the default key file beside it (created if missing).
    pub fn open(path: &Path) -> Result<Db, StartupError> {
        Db::open_with_busy_timeout(path, BUSY_TIMEOUT)
    }

    /// [`Db::open`] with another busy timeout (tests of a locked database).
    pub fn open_with_busy_timeout(path: &Path, busy_timeout: Duration) -> Result<Db, StartupError> {
        let secrets = SecretsKey::load_or_create(&secrets::default_key_file(path))?;
        Db::open_with_secrets(path, secrets, busy_timeout)
    }

    /// Opens (or creates) the database file with this secrets key, which must be the key its
    /// passwords were sealed with. Passwords an older version stored in plain text are sealed
    /// now. The file and its WAL are made readable by their owner only.
    pub fn open_with_secrets(
        path: &Path,
        secrets: SecretsKey,
        busy_timeout: Duration,
    ) -> Result<Db, StartupError> {
        let fail = |e: &dyn std::fmt::Display| {
            StartupError(format!("cannot open database {}: {e}", path.display()))
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| fail(&e))?;
        }
        // Created 0600 before SQLite opens it: SQLite gives the -wal and -shm files the mode
        // of the database file.
        create_private(path).map_err(|e| fail(&e))?;
        let conn = Connection::open(path).map_err(|e| fail(&e))?;
        // WAL lets readers proceed during a write; the busy timeout makes a second process
        // wait for the write lock instead of failing at once. `synchronous = FULL` syncs the
        // WAL at every commit: a 201 tells the wizard to delete its draft, so an accepted
        // submission must survive a power cut or an OS crash, not only a process crash (which
        // is all NORMAL promises in WAL mode). The cost, one fsync per new submission, is in
        // docs/reliability.md's load figures.
        // `secure_delete` overwrites deleted and replaced content with zeros, so a password
        // sealed by the migration below leaves no plain copy in a free page.
        conn.busy_timeout(busy_timeout)
            .and_then(|()| conn.pragma_update(None, "journal_mode", "WAL"))
            .and_then(|()| conn.pragma_update(None, "synchronous", "FULL"))
            .and_then(|()| conn.pragma_update(None, "secure_delete", "ON"))
            .and_then(|()| conn.execute_batch(SCHEMA))
            .and_then(|()| conn.execute_batch(partners::SCHEMA))
            .and_then(|()| conn.execute_batch(drafts::SCHEMA))
            .map_err(|e| fail(&e))?;
        // A database made by an earlier version: 0644, and passwords in `body`.
        for file in [
            path.to_path_buf(),
            sidecar(path, "-wal"),
            sidecar(path, "-shm"),
        ] {
            if file.exists() {
                secrets::make_private(&file).map_err(|e| fail(&e))?;
            }
        }
        check_secrets_key(&conn, &secrets).map_err(|e| fail(&e))?;
        seal_plaintext_passwords(&conn, &secrets).map_err(|e| fail(&e))?;
        scope_keys_per_partner(&conn).map_err(|e| fail(&e))?;
        conn.execute_batch(INDEXES).map_err(|e| fail(&e))?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
            secrets,
        })
    }

    /// Stores an accepted submission under its idempotency key within the submitter's partner,
    /// or reports what that partner's key already holds. A new row deletes the partner's account
    /// draft of the same id (the key is the draft id) in the same transaction. `body` must be the canonical JSON
    /// without the PBX password, so that a replay compares equal; `pbx_password` is sealed, and
    /// a replay's is compared with the stored one by opening it.
    pub async fn accept(
        &self,
        submitter: Submitter,
        key: String,
        body: String,
        pbx_password: Option<String>,
    ) -> Result<Stored, DbError> {
        let secrets = self.secrets.clone();
        self.with_conn(move |conn| {
            // IMMEDIATE takes the write lock up front: between the insert attempt and the
            // read-back no other writer can slip in.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = uuid::Uuid::new_v4().to_string();
            let sealed = pbx_password
                .as_ref()
                .map(|password| secrets.seal(&password_aad(&id), password.as_bytes()));
            let inserted = tx.execute(
                "INSERT INTO onboardings
                 (id, idempotency_key, partner_id, body, received_at, pbx_password,
                  submitted_role, submitted_user)
                 VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?5, ?6, ?7)
                 ON CONFLICT (partner_id, idempotency_key) DO NOTHING",
                params![
                    id,
                    key,
                    submitter.partner_id,
                    body,
                    sealed,
                    submitter.role,
                    submitter.user
                ],
            )?;
            let outcome = if inserted == 1 {
                // The account's draft of this onboarding is done with: it goes in the same
                // transaction, so no answer can show both, or neither.
                drafts::delete_accepted(&tx, &submitter.partner_id, &key)?;
                Stored::Created(id)
            } else {
                let (existing_id, existing_body, existing_sealed): (
                    String,
                    String,
                    Option<Vec<u8>>,
                ) = tx.query_row(
                    "SELECT id, body, pbx_password FROM onboardings
                         WHERE partner_id = ?1 AND idempotency_key = ?2",
                    params![submitter.partner_id, key],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )?;
                if existing_body == body
                    && open_password(&secrets, &existing_id, existing_sealed.as_deref())?
                        == pbx_password
                {
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

    /// Onboarding `id` if it belongs to `partner_id`: another partner's is `None`, exactly as
    /// one that does not exist.
    pub async fn find(&self, partner_id: String, id: String) -> Result<Option<Record>, DbError> {
        self.with_conn(move |conn| {
            conn.query_row(
                "SELECT id, received_at, body FROM onboardings WHERE id = ?1 AND partner_id = ?2",
                [&id, &partner_id],
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

    /// `partner_id`'s onboardings, newest first, at most [`LIST_LIMIT`].
    pub async fn list(&self, partner_id: String) -> Result<Vec<Listing>, DbError> {
        self.with_conn(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, coalesce(json_extract(body, '$.draft_id'), idempotency_key),
                        coalesce(json_extract(body, '$.customer.name'), ''), received_at
                 FROM onboardings WHERE partner_id = ?1
                 ORDER BY received_at DESC, rowid DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![partner_id, LIST_LIMIT as i64], |r| {
                Ok(Listing {
                    id: r.get(0)?,
                    draft_id: r.get(1)?,
                    customer_name: r.get(2)?,
                    received_at: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// A record with its PBX password opened, for `onboardings export`: the only way out of
    /// the database for the password.
    pub async fn find_with_password(
        &self,
        id: String,
    ) -> Result<Option<(Record, Option<String>)>, DbError> {
        let secrets = self.secrets.clone();
        self.with_conn(move |conn| {
            let row = conn
                .query_row(
                    "SELECT id, received_at, body, pbx_password FROM onboardings WHERE id = ?1",
                    [&id],
                    |row| {
                        let record = Record {
                            id: row.get(0)?,
                            received_at: row.get(1)?,
                            body: row.get(2)?,
                        };
                        Ok((record, row.get::<_, Option<Vec<u8>>>(3)?))
                    },
                )
                .optional()?;
            let Some((record, sealed)) = row else {
                return Ok(None);
            };
            let password = open_password(&secrets, &record.id, sealed.as_deref())?;
            Ok(Some((record, password)))
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

/// The password sealed in row `id`, if any.
fn open_password(
    secrets: &SecretsKey,
    id: &str,
    sealed: Option<&[u8]>,
) -> Result<Option<String>, DbError> {
    let Some(sealed) = sealed else {
        return Ok(None);
    };
    let undecryptable = |e: &dyn std::fmt::Display| DbError {
        message: format!("the PBX password of onboarding {id} {e}"),
        busy: false,
    };
    let plaintext = secrets
        .open(&password_aad(id), sealed)
        .map_err(|e| undecryptable(&e))?;
    String::from_utf8(plaintext)
        .map(Some)
        .map_err(|_| undecryptable(&secrets::Undecryptable))
}

/// `<db path><suffix>`, as SQLite names its `-wal` and `-shm` files.
fn sidecar(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// Creates an empty file readable by its owner only, unless it exists.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Refuses a secrets key other than the one this database's passwords are sealed with (a lost
/// or replaced key file would otherwise go unnoticed until the first export); a new database
/// records its key's check value.
fn check_secrets_key(conn: &Connection, secrets: &SecretsKey) -> Result<(), String> {
    // Inserted only if absent, then read back: a process that raced this one to create the
    // database has its key checked like any other.
    let sealed: Vec<u8> = conn
        .execute(
            "INSERT OR IGNORE INTO secrets_key_check (id, sealed) VALUES (1, ?1)",
            [secrets.seal(KEY_CHECK_AAD, KEY_CHECK_PLAINTEXT)],
        )
        .and_then(|_| {
            conn.query_row(
                "SELECT sealed FROM secrets_key_check WHERE id = 1",
                [],
                |r| r.get(0),
            )
        })
        .map_err(|e| e.to_string())?;
    match secrets.open(KEY_CHECK_AAD, &sealed) {
        Ok(plaintext) if plaintext == KEY_CHECK_PLAINTEXT => Ok(()),
        _ => Err(
            "the secrets key file is not the key this database's PBX passwords were \
             encrypted with (--secrets-key-file)"
                .into(),
        ),
    }
}

/// Migrates a database of an earlier version, whose `body` held the PBX password in plain
/// text: adds the `pbx_password` column, seals every such password into it and blanks it in
/// `body`, then checkpoints the WAL into the file and truncates it, so that with
/// `secure_delete` no plain copy is left in the file or its WAL.
fn seal_plaintext_passwords(conn: &Connection, secrets: &SecretsKey) -> Result<(), String> {
    let sql_error = |e: rusqlite::Error| e.to_string();
    // IMMEDIATE: a second process opening the same old database waits, then finds the column
    // there and nothing left to seal.
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
        .map_err(sql_error)?;
    let has_column: bool = tx
        .query_row(
            "SELECT count(*) FROM pragma_table_info('onboardings') WHERE name = 'pbx_password'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(sql_error)?
        == 1;
    if !has_column {
        tx.execute_batch("ALTER TABLE onboardings ADD COLUMN pbx_password BLOB")
            .map_err(sql_error)?;
    }
    let rows: Vec<(String, String)> = {
        let mut stmt = tx
            .prepare(
                "SELECT id, body FROM onboardings
                 WHERE pbx_password IS NULL AND json_type(body, '$.pbx.password') = 'text'
                   AND json_extract(body, '$.pbx.password') <> ''",
            )
            .map_err(sql_error)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql_error)?
            .collect::<Result<_, _>>()
            .map_err(sql_error)?;
        rows
    };
    for (id, body) in &rows {
        let (body, password) = split_pbx_password(body)
            .ok_or_else(|| format!("onboarding {id}: its stored body is not a submission"))?;
        let sealed = password.map(|p| secrets.seal(&password_aad(id), p.as_bytes()));
        tx.execute(
            "UPDATE onboardings SET body = ?1, pbx_password = ?2 WHERE id = ?3",
            params![body, sealed, id],
        )
        .map_err(sql_error)?;
    }
    tx.commit().map_err(sql_error)?;
    if !rows.is_empty() {
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(sql_error)?;
        eprintln!(
            "partner-backend: sealed the PBX password of {} stored onboarding(s) with the secrets key",
            rows.len()
        );
    }
    Ok(())
}

/// Migrates a database of an earlier version, where the idempotency key was unique across all
/// partners: rebuilds the table with the key unique per partner (SQLite cannot drop a column's
/// UNIQUE) and the submitter columns. Rows, ids and order (rowid) are kept as they were.
fn scope_keys_per_partner(conn: &Connection) -> Result<(), String> {
    let sql_error = |e: rusqlite::Error| e.to_string();
    // IMMEDIATE: a second process opening the same old database waits, then finds it done.
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
        .map_err(sql_error)?;
    let key_unique_alone: bool = tx
        .query_row(
            "SELECT count(*) FROM pragma_index_list('onboardings') AS i
             WHERE i.\"unique\" = 1
               AND (SELECT group_concat(name) FROM pragma_index_info(i.name)) = 'idempotency_key'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(sql_error)?
        > 0;
    if key_unique_alone {
        tx.execute_batch(&format!(
            "ALTER TABLE onboardings RENAME TO onboardings_before_partner_scope;
             {SCHEMA}
             INSERT INTO onboardings (rowid, id, idempotency_key, partner_id, body, received_at,
                                      pbx_password)
             SELECT rowid, id, idempotency_key, partner_id, body, received_at, pbx_password
             FROM onboardings_before_partner_scope;
             DROP TABLE onboardings_before_partner_scope;"
        ))
        .map_err(sql_error)?;
    }
    tx.commit().map_err(sql_error)
}

/// A stored body split into the body without its PBX password (canonical, as the API stores
/// it now) and the password.
fn split_pbx_password(body: &str) -> Option<(String, Option<String>)> {
    let mut submission: onboarding_core::payload::Submission = serde_json::from_str(body).ok()?;
    let password = crate::api::take_pbx_password(&mut submission);
    Some((serde_json::to_string(&submission).ok()?, password))
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

    fn by(partner: &str) -> Submitter {
        Submitter {
            partner_id: partner.into(),
            role: None,
            user: None,
        }
    }

    #[tokio::test]
    async fn creates_the_parent_directory_and_replays_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/data/onboarding.db");
        let db = Db::open(&path).unwrap();
        let Stored::Created(id) = db
            .accept(by("acme"), "k".into(), "{}".into(), None)
            .await
            .unwrap()
        else {
            panic!("first accept must create");
        };
        assert_eq!(
            db.accept(by("acme"), "k".into(), "{}".into(), None)
                .await
                .unwrap(),
            Stored::Replayed(id.clone())
        );
        assert_eq!(
            db.accept(by("acme"), "k".into(), "{\"a\":1}".into(), None)
                .await
                .unwrap(),
            Stored::Conflict
        );
        let record = db.find("acme".into(), id.clone()).await.unwrap().unwrap();
        assert_eq!(
            (record.id.as_str(), record.body.as_str()),
            (id.as_str(), "{}")
        );
        assert!(record.received_at.ends_with('Z'), "{}", record.received_at);
        assert_eq!(db.find("acme".into(), "nope".into()).await.unwrap(), None);
        assert_eq!(db.find("beta".into(), id.clone()).await.unwrap(), None);
        assert_eq!(count(&path), 1);
    }

    /// Another partner's use of a key is its own: neither a replay nor a conflict of the first.
    #[tokio::test]
    async fn keys_are_unique_per_partner() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("d.db")).unwrap();
        let accept =
            |partner: &str, body: &str| db.accept(by(partner), "k".into(), body.into(), None);
        let Stored::Created(a) = accept("acme", "{}").await.unwrap() else {
            panic!("acme's first accept must create");
        };
        let Stored::Created(b) = accept("beta", "{\"b\":1}").await.unwrap() else {
            panic!("beta's use of the same key is its own");
        };
        assert_ne!(a, b);
        assert_eq!(accept("acme", "{}").await.unwrap(), Stored::Replayed(a));
        assert_eq!(accept("beta", "{}").await.unwrap(), Stored::Conflict);
    }

    #[tokio::test]
    async fn a_list_is_one_partners_newest_first_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("d.db")).unwrap();
        for i in 0..LIST_LIMIT + 2 {
            let body = format!(r#"{{"draft_id":"d{i}","customer":{{"name":"C{i}"}}}}"#);
            db.accept(by("acme"), format!("k{i}"), body, None)
                .await
                .unwrap();
        }
        db.accept(by("beta"), "k0".into(), "{}".into(), None)
            .await
            .unwrap();
        let list = db.list("acme".into()).await.unwrap();
        assert_eq!(list.len(), LIST_LIMIT);
        let last = LIST_LIMIT + 1;
        assert_eq!(
            (list[0].draft_id.as_str(), list[0].customer_name.as_str()),
            (format!("d{last}").as_str(), format!("C{last}").as_str())
        );
        assert_eq!(db.list("beta".into()).await.unwrap()[0].draft_id, "k0");
        assert!(db.list("nobody".into()).await.unwrap().is_empty());
    }

    /// A database of the version before keys were scoped per partner: the migration keeps its
    /// rows (ids, bodies, order) and lets another partner use a key one of them holds.
    #[tokio::test]
    async fn a_database_with_globally_unique_keys_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE onboardings (
                    id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, partner_id TEXT,
                    body TEXT NOT NULL, received_at TEXT NOT NULL, pbx_password BLOB);
                 INSERT INTO onboardings VALUES
                    ('id1', 'k1', 'acme', '{\"draft_id\":\"k1\"}', '2026-01-01T00:00:00.000Z', NULL),
                    ('id2', 'k2', NULL, '{}', '2026-01-02T00:00:00.000Z', NULL);",
            )
            .unwrap();
        }
        let db = Db::open(&path).unwrap();
        assert_eq!(
            db.accept(
                by("acme"),
                "k1".into(),
                "{\"draft_id\":\"k1\"}".into(),
                None
            )
            .await
            .unwrap(),
            Stored::Replayed("id1".into())
        );
        assert!(matches!(
            db.accept(by("beta"), "k1".into(), "{}".into(), None)
                .await
                .unwrap(),
            Stored::Created(_)
        ));
        assert_eq!(db.list("acme".into()).await.unwrap()[0].id, "id1");
        assert_eq!(count(&path), 3);
        drop(db);
        // Opening again finds nothing left to migrate.
        Db::open(&path).unwrap();
        assert_eq!(count(&path), 3);
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
        // Deleted and replaced content is overwritten, not left in free space.
        assert_eq!(pragma("secure_delete"), "1");
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
                tokio::spawn(async move {
                    db.accept(by("acme"), "key".into(), "{}".into(), None)
                        .await
                        .unwrap()
                })
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
