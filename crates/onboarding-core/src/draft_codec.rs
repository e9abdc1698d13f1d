//! Versioned storage format of a draft. One stored entry holds the working copy (autosaved on
//! every edit) and the checkpoint last saved with *Save and return*, which *Cancel* restores.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::Draft;

pub const SCHEMA_VERSION: u32 = 1;
const DAY_MS: f64 = 86_400_000.0;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredDraft {
    pub schema_version: u32,
    /// Milliseconds since the Unix epoch of the last write.
    pub updated_at: f64,
    pub working: Draft,
    /// `None` until the partner first uses *Save and return*.
    pub saved: Option<Draft>,
    /// True while a submission of this draft was started but not accepted (it waited for the
    /// connection, or for a retry). The outbox lives with the page, since the password is never
    /// stored: a draft that still says so on a later visit was never sent, and the start page
    /// says it must be submitted again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub submission_waiting: bool,
    /// The version of the partner's account copy this device copy is based on (`crate::sync`);
    /// absent until the account first accepted it. Device-only, never sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_version: Option<String>,
    /// True while this copy holds edits the account has not received. Device-only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unsent: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// Not JSON, or not the shape of a stored draft.
    Corrupt(String),
    /// Written by a newer version of the wizard: kept as it is, never overwritten.
    FutureVersion(u32),
}

impl StoredDraft {
    pub fn new(working: Draft, updated_at: f64) -> Self {
        StoredDraft {
            schema_version: SCHEMA_VERSION,
            updated_at,
            working,
            saved: None,
            submission_waiting: false,
            account_version: None,
            unsent: false,
        }
    }

    pub fn is_expired(&self, now: f64, ttl_days: u32) -> bool {
        now - self.updated_at > f64::from(ttl_days) * DAY_MS
    }
}

/// The entry to store. Like the password, a private key pasted into the certificate field
/// never reaches it: the model writes the certificate without one (see `Pbx`).
pub fn encode(draft: &StoredDraft) -> String {
    // Serialising plain structs of strings cannot fail.
    serde_json::to_string(draft).unwrap_or_default()
}

pub fn decode(text: &str) -> Result<StoredDraft, DecodeError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| DecodeError::Corrupt(e.to_string()))?;
    decode_value(value)
}

/// [`decode`] of a document already parsed (a stored draft inside an API answer).
pub fn decode_value(value: Value) -> Result<StoredDraft, DecodeError> {
    let version = value
        .get("schema_version")
        .and_then(Value::as_u64)
        .ok_or_else(|| DecodeError::Corrupt("no schema_version".into()))?;
    let version = u32::try_from(version).map_err(|_| DecodeError::FutureVersion(u32::MAX))?;
    if version > SCHEMA_VERSION {
        return Err(DecodeError::FutureVersion(version));
    }
    let value = migrate(version, value);
    let stored: StoredDraft =
        serde_json::from_value(value).map_err(|e| DecodeError::Corrupt(e.to_string()))?;
    if stored.working.id.is_empty() {
        return Err(DecodeError::Corrupt("draft without id".into()));
    }
    Ok(stored)
}

/// Brings an older entry up to [`SCHEMA_VERSION`], one version at a time. Version 1 is the
/// first; the match grows an arm per new version (`1 => v1_to_v2(value)`).
fn migrate(version: u32, mut value: Value) -> Value {
    if version < SCHEMA_VERSION {
        value["schema_version"] = SCHEMA_VERSION.into();
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AdminContact;

    fn sample() -> StoredDraft {
        let mut d = Draft::new("0b5c1f9e-8f6a-4c1e-9c39-2a4f7f0e2a11", Some("p-1".into()));
        d.customer.name = "Clínica Ñandú <b>".into();
        d.admin_contacts.push(AdminContact {
            id: 3,
            first_name: "Ana".into(),
            last_name: "Ruiz".into(),
            email: "ana@example.es".into(),
        });
        StoredDraft::new(d, 1_700_000_000_000.0)
    }

    #[test]
    fn round_trips() {
        let s = sample();
        assert_eq!(decode(&encode(&s)), Ok(s));
    }

    #[test]
    fn a_waiting_submission_is_remembered_and_older_entries_read_as_not_waiting() {
        let waiting = StoredDraft { submission_waiting: true, ..sample() };
        assert_eq!(decode(&encode(&waiting)), Ok(waiting));
        // Entries written before the flag existed, and every entry not waiting, have no key.
        let plain = encode(&sample());
        assert!(!plain.contains("submission_waiting"), "{plain}");
        assert!(!decode(&plain).unwrap().submission_waiting);
    }

    #[test]
    fn corrupt_and_future_entries_are_reported_not_dropped() {
        assert!(matches!(decode("{not json"), Err(DecodeError::Corrupt(_))));
        assert!(matches!(decode("{}"), Err(DecodeError::Corrupt(_))));
        assert!(matches!(
            decode(r#"{"schema_version":1,"updated_at":"x"}"#),
            Err(DecodeError::Corrupt(_))
        ));
        let mut v: Value = serde_json::from_str(&encode(&sample())).unwrap();
        v["schema_version"] = 7.into();
        assert_eq!(decode(&v.to_string()), Err(DecodeError::FutureVersion(7)));
    }

    #[test]
    fn missing_optional_fields_default() {
        let text = r#"{"schema_version":1,"updated_at":5,"working":{"id":"x","customer":{"name":"A"}},"saved":null}"#;
        let s = decode(text).unwrap();
        assert_eq!(s.working.customer.name, "A");
        assert!(s.working.admin_contacts.is_empty());
    }

    #[test]
    fn a_private_key_in_the_certificate_is_never_written() {
        let cert =
            "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUVjIw\n-----END CERTIFICATE-----";
        let key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretKEYmaterial\n-----END RSA PRIVATE KEY-----";
        let mut s = sample();
        s.working.pbx.certificate_pem = format!("{cert}\n{key}\n");
        let mut saved = s.working.clone();
        saved.pbx.certificate_pem = format!("{key}\n{cert}");
        s.saved = Some(saved);
        let text = encode(&s);
        assert!(
            !text.contains("secretKEY") && !text.contains("PRIVATE"),
            "{text}"
        );
        let back = decode(&text).unwrap();
        assert_eq!(back.working.pbx.certificate_pem, cert);
        assert_eq!(back.saved.unwrap().pbx.certificate_pem, cert);
        // A certificate without a key is written exactly as typed.
        s.working.pbx.certificate_pem = format!("  {cert}\n");
        s.saved = None;
        assert_eq!(decode(&encode(&s)).unwrap(), s);
    }

    #[test]
    fn expiry_counts_whole_days() {
        let s = sample();
        let day = 86_400_000.0;
        assert!(!s.is_expired(s.updated_at + 30.0 * day, 30));
        assert!(s.is_expired(s.updated_at + 30.0 * day + 1.0, 30));
    }
}

/// What the device keeps of an accepted onboarding: enough for the confirmation page to show
/// its id after a reload, and nothing secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Confirmation {
    pub draft_id: String,
    pub onboarding_id: String,
    pub customer_name: String,
    /// Milliseconds since the Unix epoch.
    pub submitted_at: f64,
}

pub fn encode_confirmation(c: &Confirmation) -> String {
    serde_json::to_string(c).unwrap_or_default()
}

pub fn decode_confirmation(text: &str) -> Option<Confirmation> {
    serde_json::from_str(text).ok()
}
