//! Partners, their secret keys (as SHA-256 digests only), the key that signs sessions, and
//! one-time sign-in codes (as digests too): the storage side of `crate::auth`.

use rusqlite::{params, Connection, OptionalExtension};

use super::{lock, Db, DbError};

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS partners (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    -- SHA-256 of the secret key; the key itself is never stored.
    key_hash       BLOB NOT NULL UNIQUE,
    -- Random, new with every key: sessions and sign-in codes carry it, so rotating the key
    -- (or removing and re-adding the partner) invalidates everything minted with the old one.
    key_generation TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    key_created_at TEXT NOT NULL
);
-- One row: the HMAC key every instance sharing this file signs and verifies sessions with.
CREATE TABLE IF NOT EXISTS session_signing_key (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    key BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS signin_codes (
    code_hash      BLOB PRIMARY KEY,
    partner_id     TEXT NOT NULL,
    key_generation TEXT NOT NULL,
    role           TEXT NOT NULL,
    user           TEXT,
    draft_id       TEXT,
    expires_at_ms  INTEGER NOT NULL
);";

/// A partner as the API needs it to check a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partner {
    pub id: String,
    pub name: String,
    pub key_generation: String,
}

/// A partner as `partners list` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerListing {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub key_created_at: String,
}

/// What a one-time sign-in code stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigninCode {
    pub partner_id: String,
    pub key_generation: String,
    pub role: String,
    pub user: Option<String>,
    pub draft_id: Option<String>,
    pub expires_at_ms: i64,
}

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

impl Db {
    /// Creates a partner; `false` when the id is taken.
    pub async fn add_partner(
        &self,
        id: String,
        name: String,
        key_hash: Vec<u8>,
        key_generation: String,
    ) -> Result<bool, DbError> {
        self.with_conn(move |conn| {
            let inserted = conn.execute(
                &format!(
                    "INSERT INTO partners (id, name, key_hash, key_generation, created_at, key_created_at)
                     VALUES (?1, ?2, ?3, ?4, {NOW}, {NOW}) ON CONFLICT (id) DO NOTHING"
                ),
                params![id, name, key_hash, key_generation],
            )?;
            Ok(inserted == 1)
        })
        .await
    }

    pub async fn list_partners(&self) -> Result<Vec<PartnerListing>, DbError> {
        self.with_conn(|conn| {
            let mut stmt = conn
                .prepare("SELECT id, name, created_at, key_created_at FROM partners ORDER BY id")?;
            let rows = stmt.query_map([], |r| {
                Ok(PartnerListing {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    created_at: r.get(2)?,
                    key_created_at: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Replaces a partner's key (the old one stops working with this commit) and drops its
    /// outstanding sign-in codes; `false` when there is no such partner.
    pub async fn rotate_partner_key(
        &self,
        id: String,
        key_hash: Vec<u8>,
        key_generation: String,
    ) -> Result<bool, DbError> {
        self.with_conn(move |conn| {
            let tx = conn.transaction()?;
            let updated = tx.execute(
                &format!(
                    "UPDATE partners SET key_hash = ?2, key_generation = ?3, key_created_at = {NOW}
                     WHERE id = ?1"
                ),
                params![id, key_hash, key_generation],
            )?;
            tx.execute("DELETE FROM signin_codes WHERE partner_id = ?1", [&id])?;
            tx.commit()?;
            Ok(updated == 1)
        })
        .await
    }

    /// Removes a partner and its sign-in codes; `false` when there is no such partner. Its
    /// accepted onboardings are kept: they are the partner's customers' records.
    pub async fn remove_partner(&self, id: String) -> Result<bool, DbError> {
        self.with_conn(move |conn| {
            let tx = conn.transaction()?;
            let removed = tx.execute("DELETE FROM partners WHERE id = ?1", [&id])?;
            tx.execute("DELETE FROM signin_codes WHERE partner_id = ?1", [&id])?;
            tx.commit()?;
            Ok(removed == 1)
        })
        .await
    }

    /// The partner whose secret key has this SHA-256 digest.
    pub async fn partner_by_key_hash(&self, key_hash: Vec<u8>) -> Result<Option<Partner>, DbError> {
        self.with_conn(move |conn| {
            query_partner(
                conn,
                "key_hash = ?1",
                rusqlite::types::Value::Blob(key_hash),
            )
        })
        .await
    }

    pub async fn partner(&self, id: String) -> Result<Option<Partner>, DbError> {
        self.with_conn(move |conn| query_partner(conn, "id = ?1", rusqlite::types::Value::Text(id)))
            .await
    }

    /// The session signing key, created on first use. `INSERT OR IGNORE` then read back, so
    /// processes starting together on one file agree on a single key. Called once at startup,
    /// hence synchronous.
    pub fn session_signing_key(&self, fresh: [u8; 32]) -> Result<Vec<u8>, DbError> {
        let conn = lock(&self.conn);
        conn.execute(
            "INSERT OR IGNORE INTO session_signing_key (id, key) VALUES (1, ?1)",
            [&fresh[..]],
        )?;
        Ok(conn.query_row(
            "SELECT key FROM session_signing_key WHERE id = 1",
            [],
            |r| r.get(0),
        )?)
    }

    /// Stores a sign-in code under its digest, dropping codes expired before `now_ms`.
    pub async fn store_signin_code(
        &self,
        code_hash: Vec<u8>,
        code: SigninCode,
        now_ms: i64,
    ) -> Result<(), DbError> {
        self.with_conn(move |conn| {
            conn.execute(
                "DELETE FROM signin_codes WHERE expires_at_ms <= ?1",
                [now_ms],
            )?;
            conn.execute(
                "INSERT INTO signin_codes
                 (code_hash, partner_id, key_generation, role, user, draft_id, expires_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    code_hash,
                    code.partner_id,
                    code.key_generation,
                    code.role,
                    code.user,
                    code.draft_id,
                    code.expires_at_ms
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// Takes a sign-in code out of the store: one statement deletes and returns it, so of two
    /// requests racing with one code (even in two processes) only one gets it.
    pub async fn take_signin_code(
        &self,
        code_hash: Vec<u8>,
    ) -> Result<Option<SigninCode>, DbError> {
        self.with_conn(move |conn| {
            conn.query_row(
                "DELETE FROM signin_codes WHERE code_hash = ?1
                 RETURNING partner_id, key_generation, role, user, draft_id, expires_at_ms",
                [code_hash],
                |r| {
                    Ok(SigninCode {
                        partner_id: r.get(0)?,
                        key_generation: r.get(1)?,
                        role: r.get(2)?,
                        user: r.get(3)?,
                        draft_id: r.get(4)?,
                        expires_at_ms: r.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(DbError::from)
        })
        .await
    }
}

fn query_partner(
    conn: &mut Connection,
    condition: &str,
    value: rusqlite::types::Value,
) -> Result<Option<Partner>, DbError> {
    conn.query_row(
        &format!("SELECT id, name, key_generation FROM partners WHERE {condition}"),
        [value],
        |r| {
            Ok(Partner {
                id: r.get(0)?,
                name: r.get(1)?,
                key_generation: r.get(2)?,
            })
        },
    )
    .optional()
    .map_err(DbError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Instances sharing the file (two handles, as two processes would have) sign with one
    /// key: the first to start creates it, the others read it.
    #[test]
    fn instances_sharing_a_database_share_the_signing_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let first = Db::open(&path)
            .unwrap()
            .session_signing_key([1; 32])
            .unwrap();
        let second = Db::open(&path)
            .unwrap()
            .session_signing_key([2; 32])
            .unwrap();
        assert_eq!(
            (first.as_slice(), second.as_slice()),
            (&[1; 32][..], &[1; 32][..])
        );
    }

    #[tokio::test]
    async fn a_signin_code_is_taken_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("d.db")).unwrap();
        let code = SigninCode {
            partner_id: "acme".into(),
            key_generation: "g".into(),
            role: "partner".into(),
            user: None,
            draft_id: None,
            expires_at_ms: 2_000,
        };
        db.store_signin_code(vec![7], code.clone(), 1_000)
            .await
            .unwrap();
        assert_eq!(
            db.take_signin_code(vec![7]).await.unwrap(),
            Some(code.clone())
        );
        assert_eq!(db.take_signin_code(vec![7]).await.unwrap(), None);
        // Storing a code clears the expired ones.
        db.store_signin_code(vec![8], code.clone(), 1_000)
            .await
            .unwrap();
        db.store_signin_code(vec![9], code, 3_000).await.unwrap();
        assert_eq!(db.take_signin_code(vec![8]).await.unwrap(), None);
    }
}
