//! Running inside a partner dashboard's iframe: which parent we are in, and the messages to and
//! from it (protocol in `onboarding_core::embed`). Standalone, every call here does nothing.

mod gate;
mod resize;

pub use gate::EmbeddedApp;

use leptos::prelude::*;
use onboarding_core::embed::{encode, Outgoing};
use wasm_bindgen::JsValue;

use crate::dom;

/// Where the app runs.
pub enum Frame {
    Standalone,
    /// In a frame whose parent has this origin (`None`: the browser did not say).
    Framed(Option<String>),
}

/// The accepted parent, or none when standalone. Every message goes to its exact origin.
#[derive(Clone, Copy)]
pub struct Embed {
    parent_origin: StoredValue<Option<String>>,
}

impl Embed {
    pub fn standalone() -> Embed {
        Embed { parent_origin: StoredValue::new(None) }
    }

    fn framed_by(origin: String) -> Embed {
        Embed { parent_origin: StoredValue::new(Some(origin)) }
    }

    pub fn is_embedded(&self) -> bool {
        self.parent_origin.with_value(Option::is_some)
    }

    /// Posts to the parent with its exact origin as the target, never `*`.
    pub fn post(&self, message: Outgoing) {
        let Some(origin) = self.parent_origin.get_value() else { return };
        let Ok(Some(parent)) = dom::window().parent() else { return };
        if let Ok(value) = js_sys::JSON::parse(&encode(&message)) {
            let _ = parent.post_message(&value, &origin);
        }
    }
}

pub fn use_embed() -> Embed {
    use_context::<Embed>().unwrap_or_else(Embed::standalone)
}

/// Framed or not, and the parent's origin: `location.ancestorOrigins[0]` where the browser has
/// it, else the origin of `document.referrer`.
pub fn detect() -> Frame {
    let window = dom::window();
    let framed = match window.top() {
        Ok(Some(top)) => !JsValue::from(top).eq(&JsValue::from(window.clone())),
        // A top we may not even read is someone else's.
        _ => true,
    };
    if !framed {
        return Frame::Standalone;
    }
    // Not in web-sys (Chromium and WebKit have it, Firefox not): read it reflectively.
    let from_ancestors = js_sys::Reflect::get(&window.location(), &"ancestorOrigins".into())
        .ok()
        .filter(|list| !list.is_undefined())
        .and_then(|list| js_sys::Reflect::get(&list, &0.into()).ok())
        .and_then(|first| first.as_string());
    let from_referrer = || {
        let referrer = dom::document().referrer();
        web_sys::Url::new(&referrer).ok().map(|u| u.origin()).filter(|o| o != "null")
    };
    Frame::Framed(from_ancestors.or_else(from_referrer))
}
