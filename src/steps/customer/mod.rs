//! The Customer step: customer information, admin contacts, support contacts.

mod admin_contacts;
mod customer_info;
mod support_contacts;

use leptos::prelude::*;

use crate::i18n::{tr, Key};
use crate::wizard::Wizard;

#[component]
pub fn CustomerStep(wizard: Wizard) -> impl IntoView {
    view! {
        <p class="body lead">{tr(Key::CustomerIntro)}</p>
        <customer_info::CustomerInfo fields=wizard.customer />
        <admin_contacts::AdminContacts wizard />
        <support_contacts::SupportContacts wizard />
    }
}
