//! The partner onboarding wizard (Leptos, client-side rendered). Rules live in
//! `onboarding-core`; this crate renders state and dispatches events.
#![recursion_limit = "256"]

pub mod app;
pub mod components;
pub mod config;
pub mod dom;
pub mod drafts;
pub mod embed;
pub mod i18n;
pub mod net;
pub mod offline;
pub mod session;
pub mod signin;
pub mod steps;
pub mod submit;
pub mod sync;
pub mod wizard;

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

pub fn start() {
    console_error_panic_hook::set_once();
    if dom::document().get_element_by_id("app-shell").is_none() {
        mount();
        return;
    }
    // Let the browser paint index.html's static shell once before the app replaces it. On a fast
    // connection the wasm can otherwise start before the shell's first full frame, and the page's
    // largest text is then first painted by the app (Lighthouse's LCP waits for the wasm). The
    // task after an animation frame runs once that frame is painted; hidden tabs and off-screen
    // frames get no frames, so a timeout mounts there. Whichever comes first mounts, once.
    let mounted = std::rc::Rc::new(std::cell::Cell::new(false));
    let mount_once = move || {
        if !mounted.replace(true) {
            mount();
        }
    };
    let after_paint = mount_once.clone();
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::set_timeout(after_paint, std::time::Duration::ZERO);
    });
    leptos::prelude::set_timeout(mount_once, std::time::Duration::from_millis(100));
}

fn mount() {
    // The app removes the shell (`dom::remove_shell`) in the task that draws its first page,
    // so no frame shows both or neither.
    leptos::mount::mount_to_body(app::App);
}
