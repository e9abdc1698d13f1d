//! The localStorage draft store: one entry per draft, namespaced by partner id. Storage that
//! throws (blocked third-party storage, sandboxed frames) or is full never loses the draft:
//! the store falls back to memory and says so through `status`.

use std::{cell::RefCell, collections::BTreeMap};

use leptos::prelude::*;
use onboarding_core::draft_codec::{self, Confirmation, DecodeError, StoredDraft};
use onboarding_core::embed::About;

const ROOT: &str = "onboarding-wizard";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageStatus {
    Ok,
    /// localStorage cannot be used at all: drafts live in memory only.
    Unavailable,
    /// The last write failed (quota, or storage revoked): the page still has the answers.
    WriteFailed,
}

// Listed once per start page: a box per draft would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum DraftListing {
    Draft(StoredDraft),
    /// An entry that could not be read; it was moved aside under `kept_as`, untouched.
    Unreadable { kept_as: String, reason: String },
    /// An entry from a newer version of the wizard, left where it is.
    FutureVersion { key: String },
}

thread_local! {
    // Entries the device would not take (storage unusable, or a write refused, e.g. quota):
    // kept here so editing goes on for this page's life. An entry here is newer than the
    // device's copy of the same key.
    static MEMORY: RefCell<BTreeMap<String, String>> = const { RefCell::new(BTreeMap::new()) };
}

/// Drops every entry kept in memory (a new page starts without any; tests start afresh).
pub fn reset_memory() {
    MEMORY.with(|m| m.borrow_mut().clear());
}

thread_local! {
    // The account version each draft's device copy is based on, as this page last read or wrote
    // it: an edit keeps it without reading the entry back on every autosave.
    // A few entries at most: a list, not a map (each map type costs the wasm a copy of its code).
    static ACCOUNT_VERSIONS: RefCell<Vec<(String, Option<String>)>> = const { RefCell::new(Vec::new()) };
}

fn remember_account_version(key: &str, version: Option<String>) {
    forget_account_version(key);
    ACCOUNT_VERSIONS.with(|v| v.borrow_mut().push((key.to_string(), version)));
}

fn forget_account_version(key: &str) {
    ACCOUNT_VERSIONS.with(|v| v.borrow_mut().retain(|(k, _)| k != key));
}

fn known_account_version(key: &str) -> Option<Option<String>> {
    ACCOUNT_VERSIONS.with(|v| v.borrow().iter().find(|(k, _)| k == key).map(|(_, version)| version.clone()))
}

fn memory_get(key: &str) -> Option<String> {
    MEMORY.with(|m| m.borrow().get(key).cloned())
}

#[derive(Clone, Copy)]
pub struct DraftStore {
    namespace: StoredValue<String>,
    pub status: RwSignal<StorageStatus>,
    /// Told the id, customer name and step of every draft written to the device (the
    /// embedding host hears of it).
    saved_hook: StoredValue<Option<Callback<(String, About, bool)>>>,
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The device's storage if it takes a write. Some browsers hand out a storage object that
/// throws on first use. Probed at start and after a failed write only: each probe is two more
/// writes, and every write is an event in the partner's other tabs.
fn usable_local_storage() -> Option<web_sys::Storage> {
    let storage = local_storage()?;
    let probe = format!("{ROOT}:probe");
    storage.set_item(&probe, "1").ok()?;
    storage.remove_item(&probe).ok()?;
    Some(storage)
}

impl DraftStore {
    pub fn new(partner_id: Option<&str>) -> DraftStore {
        let partner = partner_id.map(|p| String::from(js_sys::encode_uri_component(p))).unwrap_or_else(|| "_".into());
        let status = if usable_local_storage().is_some() { StorageStatus::Ok } else { StorageStatus::Unavailable };
        DraftStore {
            namespace: StoredValue::new(format!("{ROOT}:drafts:{partner}:")),
            status: RwSignal::new(status),
            saved_hook: StoredValue::new(None),
        }
    }

    fn key(&self, draft_id: &str) -> String {
        format!("{}{draft_id}", self.namespace.get_value())
    }

    fn read(&self, key: &str) -> Option<String> {
        memory_get(key).or_else(|| local_storage()?.get_item(key).ok().flatten())
    }

    /// Writes to the device; when it refuses (full, revoked, blocked), the value is kept in
    /// memory and the status says so. False when the device does not hold the value.
    fn write(&self, key: &str, value: &str) -> bool {
        // No read-and-compare first: a draft's text always differs (it carries the time it was
        // written), reading 100 KB back cost a third of a millisecond at 1,000 contacts, and the
        // browser sends other tabs no `storage` event for a value written unchanged.
        let status = match local_storage() {
            Some(s) if s.set_item(key, value).is_ok() => StorageStatus::Ok,
            // A full device still takes the small probe; one that refuses everything does not.
            _ if usable_local_storage().is_some() => StorageStatus::WriteFailed,
            _ => StorageStatus::Unavailable,
        };
        MEMORY.with(|m| {
            let mut m = m.borrow_mut();
            if status == StorageStatus::Ok {
                m.remove(key);
            } else {
                m.insert(key.to_string(), value.to_string());
            }
        });
        if self.status.get_untracked() != status {
            self.status.set(status);
        }
        status == StorageStatus::Ok
    }

    fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        let mut all: Vec<String> = match local_storage() {
            Some(s) => (0..s.length().unwrap_or(0)).filter_map(|i| s.key(i).ok().flatten()).collect(),
            None => Vec::new(),
        };
        MEMORY.with(|m| all.extend(m.borrow().keys().cloned()));
        all.sort();
        all.dedup();
        all.into_iter().filter(|k| k.starts_with(prefix)).collect()
    }

    fn remove(&self, key: &str) {
        MEMORY.with(|m| m.borrow_mut().remove(key));
        if let Some(s) = local_storage() {
            let _ = s.remove_item(key);
        }
    }

    /// Drafts begun on this device before anyone signed in (no partner's namespace) become the
    /// signed-in partner's, so signing in never hides what was typed. One that already exists
    /// under the partner is left where it is.
    pub fn adopt_unclaimed(&self) {
        let unclaimed = format!("{ROOT}:drafts:_:");
        let namespace = self.namespace.get_value();
        if namespace == unclaimed {
            return;
        }
        for key in self.keys_with_prefix(&unclaimed) {
            let target = format!("{namespace}{}", &key[unclaimed.len()..]);
            if self.read(&target).is_some() {
                continue;
            }
            if let Some(text) = self.read(&key) {
                if self.write(&target, &text) {
                    self.remove(&key);
                }
            }
        }
    }

    /// The storage key of a draft: other tabs' `storage` events name it.
    pub fn key_of(&self, draft_id: &str) -> String {
        self.key(draft_id)
    }

    pub fn load(&self, draft_id: &str) -> Result<Option<StoredDraft>, DecodeError> {
        let loaded = self.read(&self.key(draft_id)).map(|text| draft_codec::decode(&text)).transpose();
        if let Ok(Some(d)) = &loaded {
            remember_account_version(&self.key(draft_id), d.account_version.clone());
        }
        loaded
    }

    /// Writes an edit of the draft; false when the device refused it (the status says why).
    /// The copy is marked as holding edits the partner's account has not received, based on
    /// the account version the device last knew (`crate::sync` sends it in the background).
    pub fn save(&self, draft: &StoredDraft) -> bool {
        let key = self.key(&draft.working.id);
        let based_on = known_account_version(&key).unwrap_or_else(|| {
            self.read(&key).and_then(|text| draft_codec::decode(&text).ok()).and_then(|d| d.account_version)
        });
        let edit = StoredDraft { account_version: based_on, unsent: true, ..draft.clone() };
        self.write_entry(&edit)
    }

    /// Another tab wrote this draft: its account version is read from the device again.
    pub fn forget_sync_marks(&self, draft_id: &str) {
        forget_account_version(&self.key(draft_id));
    }

    /// Writes the draft exactly as given, sync marks included (the sync module's writes: what
    /// the account accepted, or the account's copy taken).
    pub fn save_synced(&self, draft: &StoredDraft) -> bool {
        remember_account_version(&self.key(&draft.working.id), draft.account_version.clone());
        self.write_entry(draft)
    }

    fn write_entry(&self, draft: &StoredDraft) -> bool {
        let kept = self.write(&self.key(&draft.working.id), &draft_codec::encode(draft));
        if let Some(hook) = self.saved_hook.get_value() {
            hook.run((draft.working.id.clone(), About::draft(&draft.working), kept));
        }
        kept
    }

    /// Calls `hook` with the draft id, name, step and whether the device kept it (else only
    /// memory holds it) after each write (coalesced by the autosave, never one per keystroke).
    pub fn on_saved(&self, hook: impl Fn((String, About, bool)) + Send + Sync + 'static) {
        self.saved_hook.set_value(Some(Callback::new(hook)));
    }

    pub fn delete(&self, draft_id: &str) {
        let key = self.key(draft_id);
        forget_account_version(&key);
        self.remove(&key);
    }

    /// Accepted onboardings live beside the drafts: `onboarding-wizard:submitted:<partner>:<id>`.
    fn confirmation_key(&self, draft_id: &str) -> String {
        self.key(draft_id).replacen(":drafts:", ":submitted:", 1)
    }

    /// Keeps the confirmation of an accepted onboarding; false when the device refused it.
    pub fn save_confirmation(&self, confirmation: &Confirmation) -> bool {
        self.write(&self.confirmation_key(&confirmation.draft_id), &draft_codec::encode_confirmation(confirmation))
    }

    pub fn load_confirmation(&self, draft_id: &str) -> Option<Confirmation> {
        self.read(&self.confirmation_key(draft_id)).and_then(|text| draft_codec::decode_confirmation(&text))
    }

    /// Every readable draft of this partner, as stored (nothing is moved or removed).
    pub fn drafts(&self) -> Vec<StoredDraft> {
        self.keys_with_prefix(&self.namespace.get_value())
            .iter()
            .filter_map(|key| self.read(key).and_then(|text| draft_codec::decode(&text).ok()))
            .collect()
    }

    /// Every draft of this partner, newest first. Expired drafts are removed; unreadable ones
    /// are moved aside (kept, never dropped) and reported.
    pub fn list(&self, now: f64, ttl_days: u32) -> Vec<DraftListing> {
        let mut out = Vec::new();
        for key in self.keys_with_prefix(&self.namespace.get_value()) {
            let Some(text) = self.read(&key) else { continue };
            match draft_codec::decode(&text) {
                Ok(d) if d.is_expired(now, ttl_days) => self.remove(&key),
                Ok(d) => out.push(DraftListing::Draft(d)),
                Err(DecodeError::FutureVersion(_)) => out.push(DraftListing::FutureVersion { key }),
                Err(DecodeError::Corrupt(reason)) => {
                    let kept_as = format!("{ROOT}:corrupt:{}", &key[ROOT.len() + 1..]);
                    if self.write(&kept_as, &text) {
                        self.remove(&key);
                    }
                    out.push(DraftListing::Unreadable { kept_as, reason });
                }
            }
        }
        // Entries moved aside earlier are still reported until someone deals with them.
        let aside_prefix = format!("{ROOT}:corrupt:{}", &self.namespace.get_value()[ROOT.len() + 1..]);
        for kept_as in self.keys_with_prefix(&aside_prefix) {
            if !out.iter().any(|l| matches!(l, DraftListing::Unreadable { kept_as: k, .. } if *k == kept_as)) {
                out.push(DraftListing::Unreadable { kept_as, reason: "corrupt".into() });
            }
        }
        out.sort_by(|a, b| {
            let t = |l: &DraftListing| if let DraftListing::Draft(d) = l { d.updated_at } else { f64::MAX };
            t(b).total_cmp(&t(a))
        });
        out
    }
}

pub fn use_draft_store() -> DraftStore {
    expect_context::<DraftStore>()
}
