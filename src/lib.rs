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
pub mod offline;
pub mod session;
pub mod steps;
pub mod submit;
pub mod wizard;

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

pub fn start() {
    console_error_panic_hook::set_once();
    // index.html's static shell (painted before the wasm arrived) gives way to the app in the
    // same task, so no frame shows both or neither.
    if let Some(shell) = dom::document().get_element_by_id("app-shell") {
        shell.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
