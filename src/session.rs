//! Who is using the wizard: the signed-in session's partner and role when there is one
//! (`crate::signin`), else the query string of the first load (`lang`, `role`, `partner_id`).
//! Internal links carry the query along so a reload keeps it.

use leptos::prelude::*;

use onboarding_core::signin::drafts_partner;

use crate::i18n::{I18n, Lang};
use crate::signin::SignInState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Partner,
    AccountAdmin,
}

#[derive(Clone, Copy)]
pub struct Session {
    pub role: Role,
    /// Whose drafts the device shows (see `onboarding_core::signin::drafts_partner`).
    pub partner_id: StoredValue<Option<String>>,
    /// The partner the address names, carried on internal links.
    pub link_partner: StoredValue<Option<String>>,
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
            partner_id: StoredValue::new(partner_id.clone()),
            link_partner: StoredValue::new(partner_id),
            lang_chosen: RwSignal::new(chosen.is_some()),
            // The language's file is fetched now, in parallel with config.json and the sign-in
            // check; the first page waits for it (`I18n::ready`).
            i18n: I18n::starting_with(lang),
        }
    }

    pub fn can_save_and_return(&self) -> bool {
        self.role == Role::Partner
    }

    /// The query string to carry on internal links (reactive in the language).
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if self.lang_chosen.get() {
            // A language asked for that could not be loaded stays asked for: a reload tries it again.
            let lang = self.i18n.unavailable().unwrap_or_else(|| self.i18n.lang.get());
            parts.push(format!("lang={}", lang.code()));
        }
        if self.role == Role::AccountAdmin {
            parts.push("role=account_admin".to_string());
        }
        if let Some(p) = self.link_partner.get_value() {
            parts.push(format!("partner_id={}", js_sys::encode_uri_component(&p)));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// This session as the sign-in says: with a session, its partner and role decide; without
    /// one, the drafts stay those of the partner last signed in on this device.
    pub fn signed(self, state: &SignInState) -> Session {
        let signed_in = match state {
            SignInState::SignedIn(who) | SignInState::Renewing(who) => Some(who),
            _ => None,
        };
        let last = match state {
            SignInState::SignedOut | SignInState::Unknown | SignInState::Checking => crate::signin::last_partner(),
            SignInState::SignedIn(_) | SignInState::Renewing(_) | SignInState::NotOffered => None,
        };
        let named = self.partner_id.get_value();
        let partner = drafts_partner(signed_in.map(|s| s.partner_id.as_str()), last.as_deref(), named.as_deref());
        let role = match signed_in {
            Some(who) if who.account_admin => Role::AccountAdmin,
            Some(_) => Role::Partner,
            None => self.role,
        };
        Session { role, partner_id: StoredValue::new(partner), ..self }
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

    /// Switches to `lang` once its texts are loaded (the current language stays meanwhile; if
    /// it cannot be loaded, the notice says so and nothing else changes).
    pub fn set_lang(&self, lang: Lang) {
        let session = *self;
        leptos::task::spawn_local(async move {
            if !session.i18n.request(lang).await {
                return;
            }
            session.lang_chosen.set(true);
            // Keep the choice across a reload without adding a history entry.
            if let Some(window) = web_sys::window() {
                let path = window.location().pathname().unwrap_or_default();
                if let Ok(history) = window.history() {
                    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&session.href(&path)));
                }
            }
        });
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
