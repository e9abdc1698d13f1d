//! Who is using the wizard, from the query string of the first load (`lang`, `role`,
//! `partner_id`). Internal links carry these along so a reload keeps them.

use leptos::prelude::*;

use crate::i18n::{I18n, Lang};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Partner,
    AccountAdmin,
}

#[derive(Clone, Copy)]
pub struct Session {
    pub role: Role,
    pub partner_id: StoredValue<Option<String>>,
    /// Whether `lang` was chosen (query or switcher) rather than taken from the browser.
    pub lang_chosen: RwSignal<bool>,
    pub i18n: I18n,
}

/// Parses the parts of a query string this app cares about.
pub fn query_param(search: &str, name: &str) -> Option<String> {
    let search = search.trim_start_matches('?');
    search.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| {
            js_sys::decode_uri_component(&v.replace('+', " ")).map(String::from).unwrap_or_else(|_| v.to_string())
        })
    })
}

impl Session {
    pub fn from_location() -> Session {
        let window = web_sys::window().expect("a window");
        let search = window.location().search().unwrap_or_default();
        let role = match query_param(&search, "role").as_deref() {
            Some("account_admin") => Role::AccountAdmin,
            _ => Role::Partner,
        };
        let partner_id = query_param(&search, "partner_id").filter(|p| !p.is_empty());
        let chosen = query_param(&search, "lang").and_then(|l| Lang::from_code(&l));
        let browser = || {
            let nav = window.navigator();
            let list = nav.languages();
            let mut langs: Vec<String> = list.iter().filter_map(|v| v.as_string()).collect();
            langs.extend(nav.language());
            langs.iter().find_map(|l| Lang::from_code(l)).unwrap_or(Lang::EN)
        };
        let lang = chosen.unwrap_or_else(browser);
        Session {
            role,
            partner_id: StoredValue::new(partner_id),
            lang_chosen: RwSignal::new(chosen.is_some()),
            i18n: I18n { lang: RwSignal::new(lang) },
        }
    }

    pub fn can_save_and_return(&self) -> bool {
        self.role == Role::Partner
    }

    /// The query string to carry on internal links (reactive in the language).
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if self.lang_chosen.get() {
            parts.push(format!("lang={}", self.i18n.lang.get().code()));
        }
        if self.role == Role::AccountAdmin {
            parts.push("role=account_admin".to_string());
        }
        if let Some(p) = self.partner_id.get_value() {
            parts.push(format!("partner_id={}", js_sys::encode_uri_component(&p)));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    pub fn href(&self, path: &str) -> String {
        format!("{path}{}", self.query())
    }

    /// An internal link with extra query parameters (already encoded) after the session's.
    pub fn href_with(&self, path: &str, extra: &str) -> String {
        let query = self.query();
        let sep = if query.is_empty() { '?' } else { '&' };
        format!("{path}{query}{sep}{extra}")
    }

    pub fn set_lang(&self, lang: Lang) {
        self.lang_chosen.set(true);
        self.i18n.lang.set(lang);
        // Keep the choice across a reload without adding a history entry.
        if let Some(window) = web_sys::window() {
            let path = window.location().pathname().unwrap_or_default();
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&self.href(&path)));
            }
        }
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
