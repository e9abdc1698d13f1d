//! The app as a framed page: nothing happens until the parent's origin is known to be allowed
//! (otherwise a plain refusal and no draft is touched); then `onboarding.ready` goes out and
//! `onboarding.init` from that origin decides the language and draft, and its session the
//! partner and role (the init's own, against a backend without sessions).

use leptos::prelude::*;
use onboarding_core::embed::{origin_allowed, parse_init, parse_session_message, Init, Opens, Outgoing};
use onboarding_core::StepId;
use wasm_bindgen::JsCast;

use super::{resize, Embed};
use crate::app::WizardApp;
use crate::components::header::Header;
use crate::config::use_config;
use crate::dom;
use crate::drafts::DraftStore;
use crate::i18n::{tr, use_i18n, Key, Lang};
use crate::session::{use_session, Role, Session};
use crate::signin::SignIn;

#[derive(Clone)]
enum Gate {
    /// Until config.json says which parents are allowed.
    Checking,
    Refused,
    /// Ready sent; waiting for `onboarding.init`.
    Waiting,
    /// Init received; asking the backend who its session is.
    Opening,
    Open(Session, SignIn),
}

#[component]
pub fn EmbeddedApp(parent_origin: Option<String>) -> impl IntoView {
    let config = use_config();
    let session = use_session();
    let i18n = use_i18n();
    let gate = RwSignal::new(Gate::Checking);
    let origin = StoredValue::new(parent_origin);

    Effect::new(move |_| {
        if !config.settled.get() || !matches!(gate.get_untracked(), Gate::Checking) {
            return;
        }
        let allowed = config.config.with_untracked(|c| c.allowed_parent_origins.clone());
        let accepted = origin.get_value().filter(|o| origin_allowed(o, &allowed));
        let Some(parent) = accepted else {
            gate.set(Gate::Refused);
            return;
        };
        let embed = Embed::framed_by(parent.clone());
        gate.set(Gate::Waiting);
        let api_base_url = config.config.with_untracked(|c| c.api_base_url.clone());
        listen_to_parent(Parent { origin: parent, api_base_url }, session, gate);
        embed.post(Outgoing::Ready);
    });

    Effect::new(move |_| {
        let key = match gate.get() {
            Gate::Refused => Key::EmbedRefusedTitle,
            Gate::Checking | Gate::Waiting | Gate::Opening => Key::EmbedWaiting,
            Gate::Open(..) => return,
        };
        dom::set_title(&format!("{} – {}", i18n.t(key), i18n.t(Key::AppName)));
    });

    move || match gate.get() {
        Gate::Open(session, signin) => {
            let embed = Embed::framed_by(origin.get_value().unwrap_or_default());
            provide_context(embed);
            provide_context(signin);
            signin.watch_for_sign_in();
            resize::report_height(embed);
            view! { <WizardApp session /> }.into_any()
        }
        Gate::Refused => view! {
            <Header />
            <div class="width-container">
                <main class="main" id="main">
                    <h1 class="heading-l">{tr(Key::EmbedRefusedTitle)}</h1>
                    <p class="body" id="embed-refused">{tr(Key::EmbedRefusedBody)}</p>
                </main>
            </div>
        }
        .into_any(),
        Gate::Checking | Gate::Waiting | Gate::Opening => view! {
            <div class="width-container">
                <main class="main" id="main">
                    <p class="body" role="status">{tr(Key::EmbedWaiting)}</p>
                </main>
            </div>
        }
        .into_any(),
    }
}

/// The accepted parent.
struct Parent {
    origin: String,
    api_base_url: String,
}

/// Messages from the parent itself (its window, its exact origin); anything else is ignored.
/// The first `onboarding.init` opens the wizard, once the backend has said who its session is;
/// `onboarding.session` then replaces the session in memory.
fn listen_to_parent(parent: Parent, fallback: Session, gate: RwSignal<Gate>) {
    let signin: StoredValue<Option<SignIn>> = StoredValue::new(None);
    let handle = window_event_listener(leptos::ev::message, move |ev: web_sys::MessageEvent| {
        if ev.origin() != parent.origin {
            return;
        }
        let from_parent = match (ev.source(), dom::window().parent()) {
            (Some(source), Ok(Some(window))) => source.unchecked_ref::<js_sys::Object>() == window.unchecked_ref::<js_sys::Object>(),
            _ => false,
        };
        if !from_parent {
            return;
        }
        let Some(json) = js_sys::JSON::stringify(&ev.data()).ok().and_then(|s| s.as_string()) else { return };
        if let Some(token) = parse_session_message(&json) {
            if let Some(signin) = signin.get_value() {
                signin.accept(token);
            }
            return;
        }
        if !matches!(gate.get_untracked(), Gate::Waiting) {
            return;
        }
        let Some(init) = parse_init(&json) else { return };
        gate.set(Gate::Opening);
        // Made here, outside any reactive owner: it lives as long as the page.
        let embed = Embed::framed_by(parent.origin.clone());
        let opened = SignIn::new(parent.api_base_url.clone(), init.session(), Some(embed));
        signin.set_value(Some(opened));
        let api_base_url = parent.api_base_url.clone();
        // The init's language (else the one asked for at start) loads while the session is checked.
        let lang = init.locale.as_deref().and_then(Lang::from_code).unwrap_or(fallback.i18n.wanted());
        let language = fallback.i18n.request(lang);
        leptos::task::spawn_local(async move {
            opened.check().await;
            language.await;
            let session = session_from(&init, fallback).signed(&opened.state.get_untracked());
            open_requested_draft(&init, session, opened, &api_base_url).await;
            gate.set(Gate::Open(session, opened));
        });
    });
    // Listens for the page's life.
    std::mem::forget(handle);
}

/// The host's word on role, language and partner; the URL's where it says nothing.
fn session_from(init: &Init, fallback: Session) -> Session {
    let role = match init.role.as_deref() {
        Some("account_admin") => Role::AccountAdmin,
        Some(_) => Role::Partner,
        None => fallback.role,
    };
    let lang = init.locale.as_deref().and_then(Lang::from_code).filter(|l| l.is_loaded());
    if let Some(lang) = lang {
        fallback.i18n.lang.set(lang);
    }
    let partner_id = match &init.partner_id {
        Some(p) => Some(p.clone()).filter(|p| !p.is_empty()),
        None => fallback.partner_id.get_value(),
    };
    Session {
        role,
        partner_id: StoredValue::new(partner_id.clone()),
        link_partner: StoredValue::new(partner_id),
        lang_chosen: RwSignal::new(lang.is_some() || fallback.lang_chosen.get_untracked()),
        i18n: fallback.i18n,
    }
}

/// Puts what the init asks for in the address bar before the router reads it: a new
/// onboarding's first step (`draft_id: "new"`, a fresh id, nothing written until the first
/// edit), the draft where it was left (from the partner's account if this device does not have
/// it), or the start page when neither has it.
/// Without a draft id the frame's own address stands.
async fn open_requested_draft(init: &Init, session: Session, signin: SignIn, api_base_url: &str) {
    let path = match init.opens() {
        Opens::FrameAddress => return,
        Opens::NewDraft => {
            let id = dom::new_uuid();
            crate::sync::begun_here(&id);
            format!("/onboarding/{id}/{}", StepId::Customer.slug())
        }
        Opens::Draft(draft_id) => {
            let store = DraftStore::new(session.partner_id.get_value().as_deref());
            let step = match store.load(&draft_id) {
                Ok(Some(stored)) => Some(stored.working.current_step),
                // Begun elsewhere (another browser, the standalone wizard, whose storage is not
                // this frame's): the partner's account has it.
                Ok(None) => crate::sync::download(api_base_url, signin, store, &draft_id).await,
                Err(_) => None,
            };
            match step {
                Some(step) => format!("/onboarding/{draft_id}/{}", step.slug()),
                None => "/".to_string(),
            }
        }
    };
    if let Ok(history) = dom::window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&session.href(&path)));
    }
}
