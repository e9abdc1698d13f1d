//! The confirmation page of an accepted onboarding: its id, read back from the device so a
//! reload still shows it. Route: `/onboarding/:draft_id/submitted`.

use leptos::prelude::*;

use crate::dom;
use crate::drafts::use_draft_store;
use crate::i18n::{tr, use_i18n, Key};
use crate::session::use_session;
use crate::steps::wizard_page::Problem;
use crate::submit::last_confirmation;

#[component]
pub fn ConfirmationPage(draft_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let store = use_draft_store();
    let Some(confirmation) = store.load_confirmation(&draft_id).or_else(|| last_confirmation(&draft_id)) else {
        return view! { <Problem title=Key::AppNotFoundTitle body=Key::AppNotFoundBody /> }.into_any();
    };
    Effect::new(move |_| dom::set_title(&format!("{} – {}", i18n.t(Key::DoneTitle), i18n.t(Key::AppName))));
    dom::focus_page_start("done-heading");
    let name = confirmation.customer_name.clone();
    view! {
        <div class="width-container">
            <main class="main" id="main">
                <div class="panel">
                    <h1 class="panel__title" id="done-heading" tabindex="-1">{tr(Key::DoneTitle)}</h1>
                    <p class="panel__body">
                        {tr(Key::DoneIdLabel)}
                        <strong class="panel__id" id="onboarding-id">{confirmation.onboarding_id.clone()}</strong>
                    </p>
                </div>
                <p class="body">{move || crate::i18n::sentence_with(i18n.t(Key::DoneBody), "name", name.clone())}</p>
                <p class="body">{tr(Key::DoneKeepId)}</p>
                <p class="body">
                    <a class="button button--start" href=move || session.href(&format!("/onboarding/{}/customer", dom::new_uuid()))>
                        {tr(Key::DoneStartAnother)}
                    </a>
                </p>
                <p class="body"><a href=move || session.href("/")>{tr(Key::AppBackToStart)}</a></p>
            </main>
        </div>
    }
    .into_any()
}
