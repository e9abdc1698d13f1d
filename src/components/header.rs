//! The page header: product name, who is signed in, and the language switcher (languages other
//! than English load on first use; the current one stays until then), with a notice when a
//! language could not be loaded.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Key, Lang};
use crate::session::use_session;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let signin = crate::signin::use_signin();
    let signed_in_as = move || {
        let who = signin?.partner_shown()?;
        let template = i18n.t(Key::SigninSignedInAs);
        Some(view! { <p class="header__partner" id="signed-in-as">{crate::i18n::sentence_with(template, "partner", who.partner_name)}</p> })
    };
    let switches = Lang::all().map(|lang| {
        let current = move || i18n.lang.get() == lang;
        view! {
            <li>
                <button
                    type="button"
                    class="language-switch"
                    lang=lang.code()
                    aria-pressed=move || if current() { "true" } else { "false" }
                    on:click=move |_| session.set_lang(lang)
                >
                    {lang.name()}
                </button>
            </li>
        }
    }).collect_view();
    // A language asked for that could not be loaded: said in the language still shown.
    let unavailable = move || {
        i18n.unavailable().map(|lang| {
            view! {
                <div class="width-container">
                    <p class="notice notice--warning" role="status" id="language-notice">
                        {i18n.fmt(Key::LanguageUnavailable, &[("language", lang.name())])}
                    </p>
                </div>
            }
        })
    };
    view! {
        <a class="skip-link" href="#main" rel="external" on:click=|ev| { ev.prevent_default(); crate::dom::skip_to_main(); }>{move || i18n.t(Key::AppSkipLink)}</a>
        <header class="header">
            <div class="header__inner">
                <a class="header__title" href=move || session.href("/")>{move || i18n.t(Key::AppName)}</a>
                {signed_in_as}
                <nav class="header__languages" aria-label=move || i18n.t(Key::AppSwitchLanguage)>
                    <ul>{switches}</ul>
                </nav>
            </div>
        </header>
        {unavailable}
    }
}
