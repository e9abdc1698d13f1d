//! The router and the context every page reads: session, language, config, draft store and
//! the open wizard. The page lifecycle edge (flush on hide/close) is wired here once.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::header::Header;
use crate::config::AppConfig;
use crate::dom;
use crate::drafts::DraftStore;
use crate::i18n::{tr, Key};
use crate::session::Session;
use crate::steps::start::StartPage;
use crate::steps::wizard_page::WizardPage;
use crate::wizard::ActiveWizard;

#[component]
pub fn App() -> impl IntoView {
    let session = Session::from_location();
    provide_context(session);
    provide_context(session.i18n);
    provide_context(AppConfig::load());
    let store = DraftStore::new(session.partner_id.get_value().as_deref());
    provide_context(store);
    let active = ActiveWizard::default();
    provide_context(active);

    Effect::new(move |_| dom::set_html_lang(session.i18n.lang.get().code()));
    flush_when_leaving(active);

    view! {
        <Router>
            <Header />
            <Routes fallback=NotFound>
                <Route path=path!("/") view=StartPage />
                <Route path=path!("/onboarding/:draft_id/:step") view=WizardPage />
            </Routes>
        </Router>
    }
}

/// A pending autosave is written when the page is hidden or unloaded, so closing the tab right
/// after typing loses nothing.
fn flush_when_leaving(active: ActiveWizard) {
    let flush = move || {
        if let Some(w) = active.current() {
            w.flush();
        }
    };
    let handle = window_event_listener(leptos::ev::pagehide, move |_| flush());
    // visibilitychange bubbles from the document to the window.
    let doc_handle = window_event_listener_untyped("visibilitychange", move |_| {
        if dom::document().visibility_state() == web_sys::VisibilityState::Hidden {
            flush();
        }
    });
    // The app lives as long as the page: keep the listeners.
    std::mem::forget(handle);
    std::mem::forget(doc_handle);
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <div class="width-container">
            <main class="main" id="main">
                <h1 class="heading-l">{tr(Key::AppNotFoundTitle)}</h1>
                <p class="body">{tr(Key::AppNotFoundBody)}</p>
            </main>
        </div>
    }
}
