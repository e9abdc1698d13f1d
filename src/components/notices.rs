//! Plain-language notices about the device and the set-up: storage that cannot be used, a
//! config file that cannot be read, a page that is not signed in.

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
            // Signed in, the partner's account keeps what the device cannot.
            StorageStatus::Unavailable if crate::signin::use_signin().is_some_and(|s| s.signed_in().is_some()) => Key::StorageUnavailableAccount,
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

/// Signed out (the backend offers sessions, and this page has none): what still works, what
/// does not, and how to sign in. Never shown against a backend without sessions.
#[component]
pub fn SignInNotice() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let signin = crate::signin::use_signin();
    let embedded = crate::embed::use_embed().is_embedded();
    move || {
        let signed_out = signin.is_some_and(|s| s.state.get() == crate::signin::SignInState::SignedOut);
        signed_out.then(|| {
            let how = if embedded {
                view! { <p>{i18n.t(Key::SigninHowEmbedded)}</p> }.into_any()
            } else {
                // The default dashboard_url is this start page: no link back to it.
                let dashboard = config.config.with(|c| c.dashboard_url.clone()).trim().to_string();
                let link = (dashboard != "/" && !dashboard.is_empty()).then(|| view! {
                    <p><a href=dashboard rel="external" id="signin-dashboard-link">{i18n.t(Key::SigninDashboardLink)}</a></p>
                });
                view! { <p>{i18n.t(Key::SigninHowStandalone)}</p> {link} }.into_any()
            };
            view! {
                <div class="width-container">
                    <div class="notice notice--warning notice--signin" role="status" id="signin-notice">
                        <h2 class="heading-s">{i18n.t(Key::SigninNotSignedInTitle)}</h2>
                        <p>{i18n.t(Key::SigninNotSignedInBody)}</p>
                        {how}
                    </div>
                </div>
            }
        })
    }
}
