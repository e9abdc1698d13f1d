//! Loads `config.json` once at start-up. Until it arrives, and when it is missing, the defaults
//! apply; a malformed file is shown as an error banner (never a crash).

use leptos::prelude::*;
pub use onboarding_core::config::Config;

#[derive(Clone, Copy)]
pub struct AppConfig {
    pub config: RwSignal<Config>,
    pub malformed: RwSignal<bool>,
}

impl AppConfig {
    pub fn load() -> AppConfig {
        let app = AppConfig { config: RwSignal::new(Config::default()), malformed: RwSignal::new(false) };
        leptos::task::spawn_local(async move {
            let Ok(response) = gloo_net::http::Request::get("/config.json").send().await else {
                return; // Offline or unreachable: defaults.
            };
            if response.status() == 404 {
                return;
            }
            match response.text().await.map_err(|e| e.to_string()).and_then(|t| Config::parse(&t)) {
                Ok(config) if response.ok() => app.config.set(config),
                _ => app.malformed.set(true),
            }
        });
        app
    }
}

pub fn use_config() -> AppConfig {
    expect_context::<AppConfig>()
}
