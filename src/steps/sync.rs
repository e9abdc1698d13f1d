//! Sync (SMBC/VA platforms): which users to bring over, and whether to welcome them.

use leptos::prelude::*;
use onboarding_core::SYNC_USERS;

use crate::components::field::{CheckboxField, RadioField};
use crate::i18n::{tr, use_i18n, Key};
use crate::wizard::Wizard;

#[component]
pub fn SyncStep(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let s = wizard.sync;
    let users = Signal::derive(move || SYNC_USERS.iter().map(|k| (*k, i18n.t_dyn(&format!("sync_users.{k}")))).collect::<Vec<_>>());
    view! {
        <p class="body lead">{tr(Key::SyncIntro)}</p>
        <RadioField path="sync.users" label=Key::FieldSyncUsers value=s.users options=users />
        <CheckboxField path="sync.send_welcome_emails" label=Key::FieldSyncSendWelcomeEmails checked=s.send_welcome_emails
            hint=Key::HintSyncSendWelcomeEmails />
    }
}
