//! The offline app shell: registers the service worker (`sw.js`, which caches the built app and
//! config.json) and shows a notice while the browser is offline. Drafts live in localStorage,
//! so once the shell loads, editing works without a network; submitting waits in the outbox.
//!
//! Update policy: a new version never takes over in the middle of an edit. The worker does not
//! skip waiting when it installs; at start-up, before anything can be edited, a version that
//! finished installing during an earlier visit is told to take over, so it serves the next
//! load. The page is never reloaded when the controlling worker changes.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::dom;
use crate::i18n::{use_i18n, Key};

/// Registers `/sw.js` for the whole site, when the browser has service workers and the page
/// is served over http(s). Failures are ignored: the app works online without the worker.
/// Runs once per page load, however often the app is mounted: a second call later in the visit
/// could otherwise hand the page to a version that installed during this visit.
pub fn start() {
    static STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if STARTED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let window = dom::window();
    let protocol = window.location().protocol().unwrap_or_default();
    if !(protocol == "http:" || protocol == "https:") || !window.is_secure_context() {
        return;
    }
    let navigator = window.navigator();
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return;
    }
    let container = navigator.service_worker();
    let url = format!("/sw.js?build={}", build_id());

    let register = {
        let container = container.clone();
        move || {
            let options = web_sys::RegistrationOptions::new();
            options.set_scope("/");
            // Always ask the server for sw.js itself, whatever its cache headers say.
            options.set_update_via_cache(web_sys::ServiceWorkerUpdateViaCache::None);
            ignore(container.register_with_options(&url, &options));
        }
    };
    let take_over_then_register = Closure::once(move |registration: JsValue| {
        if let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>() {
            // Downloaded during an earlier visit: it serves from this load on.
            if let Some(waiting) = registration.waiting() {
                let message = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&message, &"type".into(), &"skip-waiting".into());
                let _ = waiting.post_message(&message);
            }
        }
        register();
    });
    let failed = Closure::once(|_: JsValue| {});
    let _ = container.get_registration().then2(&take_over_then_register, &failed);
    take_over_then_register.forget();
    failed.forget();
}

/// Settles `promise` quietly: a failed registration must not log an unhandled rejection.
fn ignore(promise: js_sys::Promise) {
    let done = Closure::once(|_: JsValue| {});
    let failed = Closure::once(|_: JsValue| {});
    let _ = promise.then2(&done, &failed);
    done.forget();
    failed.forget();
}

/// Names this build: a hash of the hashed asset URLs index.html loads (Trunk's file hashes), so
/// each build registers a new worker version that caches that build's files.
fn build_id() -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a
    if let Ok(links) = dom::document().query_selector_all("link[href], script[src]") {
        for i in 0..links.length() {
            let Some(el) = links.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
            let url = el.get_attribute("href").or_else(|| el.get_attribute("src")).unwrap_or_default();
            if url.starts_with("data:") {
                continue;
            }
            for byte in url.bytes().chain(std::iter::once(b'\n')) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    format!("{hash:016x}")
}

/// "You are offline…", shown while the browser reports no network. The status region is always
/// in the page so that assistive technology announces the notice when it appears.
#[component]
pub fn OfflineNotice() -> impl IntoView {
    let i18n = use_i18n();
    let offline = RwSignal::new(!dom::is_online());
    let on_online = window_event_listener_untyped("online", move |_| offline.set(false));
    let on_offline = window_event_listener_untyped("offline", move |_| offline.set(true));
    on_cleanup(move || {
        on_online.remove();
        on_offline.remove();
    });
    view! {
        <div class="offline-status" role="status">
            {move || offline.get().then(|| view! {
                <div class="offline-status__inner">
                    <p class="notice notice--warning" id="offline-notice">{move || i18n.t(Key::OfflineNotice)}</p>
                </div>
            })}
        </div>
    }
}
