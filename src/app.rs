//! The router and the context every page reads: session, language, config, draft store and
//! the open wizard. The page lifecycle edge (flush on hide/close) is wired here once.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use onboarding_core::embed::Outgoing;

use crate::components::header::Header;
use crate::config::AppConfig;
use crate::dom;
use crate::drafts::DraftStore;
use crate::embed::{self, use_embed, EmbeddedApp, Frame};
use crate::i18n::Key;
use crate::session::Session;
use crate::signin::SignIn;
use crate::sync::AccountSync;
use crate::steps::start::StartPage;
use crate::steps::wizard_page::{Problem, WizardPage};
use crate::wizard::{ActiveWizard, TabSync};

#[component]
pub fn App() -> impl IntoView {
    let session = Session::from_location();
    provide_context(session);
    provide_context(session.i18n);
    provide_context(AppConfig::load());
    // Not while the first language loads: the static shell is already in it (partner-backend).
    Effect::new(move |_| session.i18n.ready().then(|| dom::set_html_lang(session.i18n.lang.get().code())));
    match embed::detect() {
        Frame::Standalone => view! { <StandaloneApp session /> }.into_any(),
        // In a frame, nothing (drafts included) is touched before the parent is accepted.
        Frame::Framed(parent_origin) => {
            dom::remove_shell();
            view! { <EmbeddedApp parent_origin /> }.into_any()
        }
    }
}

/// Standalone: the wizard opens once it knows who is signed in (the session cookie, checked by
/// the backend), since that decides whose drafts are shown. Meanwhile index.html's static
/// shell stays on screen; offline, the check ends at once.
#[component]
fn StandaloneApp(session: Session) -> impl IntoView {
    let config = crate::config::use_config();
    let opened: RwSignal<Option<SignIn>> = RwSignal::new(None);
    let started = StoredValue::new(false);
    let start = move || {
        if started.get_value() {
            return;
        }
        started.set_value(true);
        let signin = SignIn::new(config.config.with_untracked(|c| c.api_base_url.clone()), None, None);
        leptos::task::spawn_local(async move {
            signin.check().await;
            opened.set(Some(signin));
        });
    };
    Effect::new(move |_| {
        if config.settled.get() {
            start();
        }
    });
    // A config.json that never answers must not keep the wizard shut: the defaults apply.
    set_timeout(start, std::time::Duration::from_millis(3_000));
    // Opens once both are known: who is signed in, and the texts of the language asked for.
    move || {
        opened.get().filter(|_| session.i18n.ready()).map(|signin| {
            provide_context(signin);
            signin.watch_for_sign_in();
            let session = session.signed(&signin.state.get_untracked());
            dom::remove_shell();
            view! { <WizardApp session /> }
        })
    }
}

/// The wizard itself, for a session known to be allowed to use it: drafts, router, pages.
#[component]
pub fn WizardApp(session: Session) -> impl IntoView {
    provide_context(session);
    let embed = use_embed();
    let store = DraftStore::new(session.partner_id.get_value().as_deref());
    let signin = crate::signin::use_signin();
    if signin.is_some_and(|s| s.signed_in_untracked()) {
        store.adopt_unclaimed();
    }
    provide_context(store);
    let active = ActiveWizard::default();
    provide_context(active);
    let api_base_url = crate::config::use_config().config.with_untracked(|c| c.api_base_url.clone());
    let sync = AccountSync::new(api_base_url, session.partner_id.get_value(), store, signin, active);
    // Signed in meanwhile as another partner than the one whose drafts are shown (a link in
    // another tab): the page starts again as that partner, its edits written first.
    if let Some(signin) = signin {
        let shown = session.partner_id.get_value();
        Effect::new(move |_| {
            if let (Some(who), Some(shown)) = (signin.signed_in(), shown.as_deref()) {
                if who.partner_id != shown {
                    if let Some(w) = active.current() {
                        w.flush();
                    }
                    let _ = dom::window().location().reload();
                }
            }
        });
    }
    provide_context(sync);
    // Every write goes to the account in the background, also one the device kept only in
    // memory (then the account is the only other copy); the host hears of what the device kept.
    store.on_saved(move |(draft_id, about, kept)| {
        sync.schedule(draft_id.clone());
        if kept {
            embed.post(Outgoing::DraftSaved { draft_id, about });
        }
    });
    provide_context(TabSync::watch(active, store));
    flush_when_leaving(active, sync);
    crate::offline::start();

    view! {
        <Router>
            <Header />
            <crate::offline::OfflineNotice />
            <crate::components::notices::SignInNotice />
            <AddressBarSync />
            <Routes fallback=NotFound>
                <Route path=path!("/") view=StartPage />
                <Route path=path!("/onboarding/:draft_id/:step") view=WizardPage />
            </Routes>
        </Router>
    }
}

/// A pending autosave is written when the page is hidden or unloaded, so closing the tab right
/// after typing loses nothing; its unsent edits go to the account with `keepalive`.
fn flush_when_leaving(active: ActiveWizard, sync: AccountSync) {
    let flush = move |leaving: bool| {
        if let Some(w) = active.current() {
            w.flush();
            let draft_id = w.draft_id.get_value();
            // A hidden page lives on and hears the answer; a page being unloaded does not.
            if leaving {
                sync.send_on_leaving(&draft_id);
            } else {
                sync.send_now(draft_id);
            }
        }
    };
    let handle = window_event_listener(leptos::ev::pagehide, move |_| flush(true));
    // visibilitychange bubbles from the document to the window.
    let doc_handle = window_event_listener_untyped("visibilitychange", move |_| {
        if dom::document().visibility_state() == web_sys::VisibilityState::Hidden {
            flush(false);
        }
    });
    // A page restored from the back/forward cache after Cancel or Save and return would show
    // a wizard whose autosave has stopped: load it afresh from the device instead.
    let restore_handle = window_event_listener(leptos::ev::pageshow, move |ev| {
        if ev.persisted() {
            let _ = dom::window().location().reload();
        }
    });
    std::mem::forget(restore_handle);
    // The app lives as long as the page: keep the listeners.
    std::mem::forget(handle);
    std::mem::forget(doc_handle);
}

#[component]
fn NotFound() -> impl IntoView {
    view! { <Problem title=Key::AppNotFoundTitle body=Key::AppNotFoundBody /> }
}

/// Works around leptos_router 0.8.17 losing track of history after browser Back then Forward
/// (it skips `pushState` for the next link to the page it last went back to, leaving the
/// address bar on the old step; cf. leptos-rs/leptos#4324). Once the router has finished a
/// navigation, the address bar must show the router's URL; if it does not, push it.
#[component]
fn AddressBarSync() -> impl IntoView {
    let location = use_location();
    Effect::new(move |_| {
        let (path, search, hash) = (location.pathname.get(), location.search.get(), location.hash.get());
        let query = if search.is_empty() { String::new() } else { format!("?{search}") };
        let want = format!("{path}{query}{hash}");
        // After the router's own completion, which runs in the same turn.
        set_timeout(
            move || {
                let window = dom::window();
                let loc = window.location();
                let shown = format!(
                    "{}{}{}",
                    loc.pathname().unwrap_or_default(),
                    loc.search().unwrap_or_default(),
                    loc.hash().unwrap_or_default()
                );
                if shown != want {
                    if let Ok(history) = window.history() {
                        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&want));
                    }
                }
            },
            std::time::Duration::ZERO,
        );
    });
}
