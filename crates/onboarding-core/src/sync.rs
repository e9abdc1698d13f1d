//! Drafts in the partner's account (contract): the decisions of keeping the device's copy and
//! the account's in step. Which copy wins when a draft is opened, what to send and how, and what
//! an answer means. Plain functions on plain types; the browser shell does the requests.
//!
//! The device's copy is written first, always. It remembers the account version it is based on
//! (`account_version`) and whether it holds edits the account has not received (`unsent`); the
//! account's copy is the stored-draft document without those two device-only marks.

use crate::draft_codec::{self, StoredDraft};

/// How soon after the last edit a draft is sent: about 10 s normally; about 2 s when the
/// device refuses storage and the account is the only copy.
pub const PUSH_AFTER_EDIT_MS: u32 = 10_000;
pub const PUSH_AFTER_EDIT_NO_STORAGE_MS: u32 = 2_000;

/// The account's copy as `GET /drafts/{id}` (or a `412`'s `current`) gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountCopy {
    pub version: String,
    pub updated_at: String,
    pub draft: StoredDraft,
}

/// What opening a draft does with the two copies.
#[derive(Clone, Debug, PartialEq)]
pub enum OnOpen {
    /// The device's copy stands (the account has nothing newer); it is sent if it has edits
    /// the account lacks.
    KeepDevice,
    /// Only the account's copy changed (or the device has none): the device takes it, and the
    /// page says so when it replaced something.
    TakeAccount,
    /// Both changed since they last agreed: the partner chooses. Nothing is overwritten.
    Choose,
}

/// Compares the device's copy with the account's.
pub fn on_open(device: Option<&StoredDraft>, account: Option<&AccountCopy>) -> OnOpen {
    match (device, account) {
        (_, None) => OnOpen::KeepDevice,
        (None, Some(_)) => OnOpen::TakeAccount,
        (Some(device), Some(account)) => {
            if device.account_version.as_deref() == Some(account.version.as_str()) {
                OnOpen::KeepDevice
            } else if account.draft.working.same_answers(&device.working) && account.draft.saved == device.saved {
                // Two devices typed the same thing: nothing to choose between.
                OnOpen::TakeAccount
            } else if device.unsent || device.account_version.is_none() {
                OnOpen::Choose
            } else {
                OnOpen::TakeAccount
            }
        }
    }
}

/// The request that brings the account up to the device's copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Push {
    Nothing,
    /// `PUT` with `If-None-Match: *`: the account has never had this draft.
    Create,
    /// `PUT` with `If-Match: "<version>"`.
    Update(String),
}

pub fn push_for(device: &StoredDraft) -> Push {
    match (&device.account_version, device.unsent) {
        (None, _) => Push::Create,
        (Some(version), true) => Push::Update(version.clone()),
        (Some(_), false) => Push::Nothing,
    }
}

/// The account's document for a device copy: without the device-only marks (which version it
/// is based on, unsent edits, a submission waiting in this page).
pub fn account_document(device: &StoredDraft) -> String {
    let mut document = device.clone();
    document.account_version = None;
    document.unsent = false;
    document.submission_waiting = false;
    draft_codec::encode(&document)
}

/// The device copy after the account accepted `sent` as `version`. If the partner typed on
/// while the request was out (`current` differs from what was sent), the new edits stay unsent,
/// now based on the new version.
pub fn after_accepted(current: &StoredDraft, sent: &StoredDraft, version: &str) -> StoredDraft {
    let mut next = current.clone();
    next.account_version = Some(version.to_string());
    next.unsent = !(current.working == sent.working && current.saved == sent.saved);
    next
}

/// The device copy that takes the account's (the device's own marks say it is in step).
pub fn taken_from_account(account: &AccountCopy, submission_waiting: bool) -> StoredDraft {
    let mut next = account.draft.clone();
    next.account_version = Some(account.version.clone());
    next.unsent = false;
    next.submission_waiting = submission_waiting;
    next
}

/// The device copy that the partner chose to keep over the account's: sent as an update of the
/// account's current version (or created again if the account has none).
pub fn kept_over(device: &StoredDraft, account: Option<&AccountCopy>) -> StoredDraft {
    let mut next = device.clone();
    next.account_version = account.map(|a| a.version.clone());
    next.unsent = true;
    next
}

/// What a `PUT`'s (or `DELETE`'s) answer means for the draft.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Accepted { version: String },
    Deleted,
    /// `412`: the account moved on; its current copy (`None`: it has none any more).
    Conflict(Option<Box<AccountCopy>>),
    /// `401`: wait for a session.
    SignedOut,
    /// `422`/`413`/`428`/`404` and other answers that sending again will not change.
    Refused(u16),
    /// `5xx`, `408`, `429`, no answer: try again later.
    Retry,
    /// A backend without account drafts (`404` on the collection, `405`): nothing is sent.
    NotOffered,
}

/// Reads the answer of a `PUT {api}/drafts/{id}` or `DELETE`.
pub fn read_answer(status: Option<u16>, body: &str) -> Answer {
    let Some(status) = status else { return Answer::Retry };
    match status {
        200 | 201 => serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v.get("version").and_then(version_text))
            .map_or(Answer::Refused(status), |version| Answer::Accepted { version }),
        204 => Answer::Deleted,
        412 => Answer::Conflict(
            serde_json::from_str::<serde_json::Value>(body)
                .ok()
                .and_then(|v| read_copy(v.get("current")?))
                .map(Box::new),
        ),
        401 => Answer::SignedOut,
        405 | 501 => Answer::NotOffered,
        408 | 429 | 500..=599 => Answer::Retry,
        _ => Answer::Refused(status),
    }
}

/// A version is a string in the contract; a number is taken as its text.
fn version_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn read_copy(v: &serde_json::Value) -> Option<AccountCopy> {
    let draft = draft_codec::decode_value(v.get("draft")?.clone()).ok()?;
    Some(AccountCopy {
        version: v.get("version").and_then(version_text)?,
        updated_at: v.get("updated_at").and_then(serde_json::Value::as_str).unwrap_or_default().to_string(),
        draft,
    })
}

/// What `GET {api}/drafts/{id}` told.
#[derive(Clone, Debug, PartialEq)]
pub enum AccountHas {
    Copy(Box<AccountCopy>),
    /// `404`: the account has no such draft.
    Nothing,
    /// No answer, or not the contract's (offline, an unreadable copy): nothing is concluded.
    Unknown,
}

pub fn read_copy_answer(status: Option<u16>, body: &str) -> AccountHas {
    match status {
        Some(200) => match serde_json::from_str::<serde_json::Value>(body).ok().and_then(|v| read_copy(&v)) {
            Some(copy) => AccountHas::Copy(Box::new(copy)),
            None => AccountHas::Unknown,
        },
        Some(404) => AccountHas::Nothing,
        _ => AccountHas::Unknown,
    }
}

/// One line of `GET {api}/drafts`.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountListing {
    pub draft_id: String,
    pub customer_name: String,
    pub current_step: Option<crate::StepId>,
    /// Unix ms.
    pub updated_at: Option<i64>,
    pub version: String,
}

/// Reads `GET {api}/drafts`; `None` when the answer is not the contract's.
pub fn read_listing(status: u16, body: &str) -> Option<Vec<AccountListing>> {
    if status != 200 {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let drafts = value.get("drafts")?.as_array()?;
    Some(
        drafts
            .iter()
            .filter_map(|d| {
                let text = |k: &str| d.get(k).and_then(serde_json::Value::as_str);
                Some(AccountListing {
                    draft_id: text("draft_id")?.to_string(),
                    customer_name: text("customer_name").and_then(crate::payload::backend_reason).unwrap_or_default(),
                    current_step: text("current_step").and_then(crate::StepId::from_slug),
                    updated_at: text("updated_at").and_then(crate::signin::parse_rfc3339_ms),
                    version: d.get("version").and_then(version_text)?,
                })
            })
            .collect(),
    )
}

/// Where a draft on the start page is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeptIn {
    Device,
    Account,
    Both,
}

/// Where a draft is kept, from what the device has and what the account lists.
pub fn kept_in(device: Option<&StoredDraft>, in_account: bool) -> KeptIn {
    match (device, in_account) {
        (Some(_), true) => KeptIn::Both,
        (Some(_), false) => KeptIn::Device,
        (None, _) => KeptIn::Account,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Draft;

    const ID: &str = "5f0c8c5e-2c4b-4d7e-9a51-0e2f3b4c5d6e";

    fn device(name: &str, based_on: Option<&str>, unsent: bool) -> StoredDraft {
        let mut d = Draft::new(ID, Some("p".into()));
        d.customer.name = name.into();
        let mut s = StoredDraft::new(d, 1.0);
        s.account_version = based_on.map(String::from);
        s.unsent = unsent;
        s
    }

    fn account(name: &str, version: &str) -> AccountCopy {
        let mut draft = device(name, None, false);
        draft.updated_at = 2.0;
        AccountCopy { version: version.into(), updated_at: "2026-12-07T10:42:00.000Z".into(), draft }
    }

    #[test]
    fn opening_takes_the_newer_copy_and_asks_only_when_both_changed() {
        let a = account("Luna (colleague)", "4");
        assert_eq!(on_open(None, Some(&a)), OnOpen::TakeAccount);
        assert_eq!(on_open(Some(&device("Luna", Some("3"), false)), None), OnOpen::KeepDevice);
        // In step with the account, sent or not: the device stands.
        assert_eq!(on_open(Some(&device("Luna", Some("4"), true)), Some(&a)), OnOpen::KeepDevice);
        // Only the account moved.
        assert_eq!(on_open(Some(&device("Luna", Some("3"), false)), Some(&a)), OnOpen::TakeAccount);
        // Both moved; or a device copy never sent beside an account copy: the partner chooses.
        assert_eq!(on_open(Some(&device("Luna (mine)", Some("3"), true)), Some(&a)), OnOpen::Choose);
        assert_eq!(on_open(Some(&device("Luna (mine)", None, false)), Some(&a)), OnOpen::Choose);
        // Both typed the same: no question.
        assert_eq!(on_open(Some(&device("Luna (colleague)", Some("3"), true)), Some(&a)), OnOpen::TakeAccount);
    }

    #[test]
    fn what_is_sent_follows_the_marks() {
        assert_eq!(push_for(&device("x", None, false)), Push::Create);
        assert_eq!(push_for(&device("x", Some("7"), true)), Push::Update("7".into()));
        assert_eq!(push_for(&device("x", Some("7"), false)), Push::Nothing);
    }

    #[test]
    fn the_account_document_carries_no_device_marks_and_no_password() {
        let mut d = device("x", Some("7"), true);
        d.submission_waiting = true;
        d.working.pbx.password = "S3cr3t".into();
        let doc = account_document(&d);
        assert!(!doc.contains("account_version") && !doc.contains("unsent") && !doc.contains("submission_waiting"), "{doc}");
        assert!(!doc.contains("S3cr3t"));
        assert_eq!(draft_codec::decode(&doc).unwrap().working.customer, d.working.customer);
    }

    #[test]
    fn edits_made_while_a_request_was_out_stay_unsent() {
        let sent = device("Luna", None, true);
        assert_eq!(after_accepted(&sent, &sent, "1"), StoredDraft { account_version: Some("1".into()), unsent: false, ..sent.clone() });
        let typed_on = device("Luna Norte", None, true);
        let next = after_accepted(&typed_on, &sent, "1");
        assert!(next.unsent && next.account_version.as_deref() == Some("1") && next.working.customer.name == "Luna Norte");
    }

    #[test]
    fn answers_are_sorted() {
        assert_eq!(read_answer(Some(200), r#"{"version":"5","updated_at":"x"}"#), Answer::Accepted { version: "5".into() });
        assert_eq!(read_answer(Some(200), r#"{"version":5}"#), Answer::Accepted { version: "5".into() });
        assert_eq!(read_answer(Some(204), ""), Answer::Deleted);
        let doc = account_document(&device("Theirs", None, false));
        let conflict = format!(r#"{{"errors":[{{"code":"version_conflict"}}],"current":{{"draft_id":"{ID}","version":"9","updated_at":"2026-12-07T10:42:00.000Z","draft":{doc}}}}}"#);
        match read_answer(Some(412), &conflict) {
            Answer::Conflict(Some(copy)) => assert_eq!((copy.version.as_str(), copy.draft.working.customer.name.as_str()), ("9", "Theirs")),
            other => panic!("{other:?}"),
        }
        assert_eq!(read_answer(Some(412), r#"{"current":null}"#), Answer::Conflict(None));
        assert_eq!(read_answer(Some(401), ""), Answer::SignedOut);
        assert_eq!(read_answer(Some(503), ""), Answer::Retry);
        assert_eq!(read_answer(None, ""), Answer::Retry);
        assert_eq!(read_answer(Some(422), "{}"), Answer::Refused(422));
        assert_eq!(read_answer(Some(200), "<html>"), Answer::Refused(200));
    }

    #[test]
    fn listings_and_copies_are_read() {
        let list = read_listing(200, r#"{"drafts":[{"draft_id":"a","customer_name":"Luna\n","current_step":"gateway","updated_at":"2026-12-07T10:42:00.000Z","version":"3"},{"bad":1}]}"#).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].customer_name.as_str(), list[0].current_step), ("Luna", Some(crate::StepId::Gateway)));
        assert_eq!(read_listing(404, "{}"), None);
        let doc = account_document(&device("Luna", None, false));
        let body = format!(r#"{{"draft_id":"{ID}","version":"3","updated_at":"2026-12-07T10:42:00.000Z","draft":{doc}}}"#);
        assert!(matches!(read_copy_answer(Some(200), &body), AccountHas::Copy(c) if c.version == "3"));
        assert_eq!(read_copy_answer(Some(404), ""), AccountHas::Nothing);
        assert_eq!(read_copy_answer(None, ""), AccountHas::Unknown);
    }
}
