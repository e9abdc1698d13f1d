//! Loads `config.json` once at start-up. Until it arrives, and when it is missing, the defaults
//! apply; a malformed file is shown as an error banner (never a crash).

use leptos::prelude::*;
pub use onboarding_core::config::Config;

#[derive(Clone, Copy)]
pub struct AppConfig {
    pub config: RwSignal<Config>,
    pub malformed: RwSignal<bool>,
    /// True once config.json has been read or found missing: until then a rule that removes
    /// data (draft expiry) must not run on the defaults.
    pub settled: RwSignal<bool>,
}

impl AppConfig {
    pub fn load() -> AppConfig {
        let app = AppConfig {
            config: RwSignal::new(Config::default()),
            malformed: RwSignal::new(false),
            settled: RwSignal::new(false),
        };
        leptos::task::spawn_local(async move {
            if let Ok(response) = gloo_net::http::Request::get("/config.json").send().await {
                // Offline, unreachable or missing: defaults, silently.
                if response.ok() {
                    match response.text().await.map_err(|e| e.to_string()).and_then(|t| Config::parse(&t)) {
                        Ok(config) => app.config.set(config),
                        Err(_) => app.malformed.set(true),
                    }
                }
            }
            app.settled.set(true);
        });
        app
    }
}

pub fn use_config() -> AppConfig {
    expect_context::<AppConfig>()
}
