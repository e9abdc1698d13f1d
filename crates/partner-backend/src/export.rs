//! `partner-backend onboardings export <id>`: one accepted onboarding as JSON, PBX password
//! included, for the provisioning step — the one way the password leaves the database. It
//! reads the database and key the server uses (`--db`, `--secrets-key-file`) and creates
//! neither: a missing key file is an error here, not a new key.

use std::path::Path;

use onboarding_core::payload::Submission;
use serde_json::json;

use crate::db::{self, Db};
use crate::secrets::SecretsKey;
use crate::StartupError;

/// Prints the export of onboarding `id` to standard output.
pub async fn run(db_path: &Path, key_file: &Path, id: &str) -> Result<(), StartupError> {
    println!("{}", export(db_path, key_file, id).await?);
    Ok(())
}

/// `{"id", "status", "received_at", "onboarding"}` as the API reads it, with the password.
pub async fn export(db_path: &Path, key_file: &Path, id: &str) -> Result<String, StartupError> {
    if !db_path.is_file() {
        return Err(StartupError(format!(
            "no database at {} (--db)",
            db_path.display()
        )));
    }
    let secrets = SecretsKey::load(key_file)?;
    let db = Db::open_with_secrets(db_path, secrets, db::BUSY_TIMEOUT)?;
    let (record, password) = db
        .find_with_password(id.to_string())
        .await
        .map_err(|e| StartupError(format!("cannot export onboarding {id}: {e}")))?
        .ok_or_else(|| StartupError(format!("no onboarding with id {id}")))?;
    let mut onboarding: Submission = serde_json::from_str(&record.body).map_err(|e| {
        StartupError(format!(
            "onboarding {id}: its stored body is not a submission: {e}"
        ))
    })?;
    if let (Some(pbx), Some(password)) = (onboarding.pbx.as_mut(), password) {
        pbx.password = password;
    }
    let export = json!({
        "id": record.id,
        "status": "received",
        "received_at": record.received_at,
        "onboarding": onboarding,
    });
    serde_json::to_string_pretty(&export).map_err(|e| StartupError(e.to_string()))
}
