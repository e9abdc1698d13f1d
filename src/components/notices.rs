//! Plain-language notices about the device and the set-up: storage that cannot be used, a
//! config file that cannot be read.

use leptos::prelude::*;

use crate::config::use_config;
use crate::drafts::{use_draft_store, StorageStatus};
use crate::i18n::{use_i18n, Key};

#[component]
pub fn Notices() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let store = use_draft_store();
    let storage = move || {
        let key = match store.status.get() {
            StorageStatus::Ok => return None,
            StorageStatus::Unavailable => Key::StorageUnavailable,
            StorageStatus::WriteFailed => Key::StorageWriteFailed,
        };
        Some(view! { <div class="notice notice--warning" role="status" id="storage-notice" tabindex="-1">{i18n.t(key)}</div> })
    };
    let config = move || {
        config.malformed.get().then(|| view! {
            <div class="notice notice--warning" role="status" id="config-notice">{i18n.t(Key::ConfigMalformed)}</div>
        })
    };
    view! { {storage} {config} }
}
