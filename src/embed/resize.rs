//! Tells the host the content's height whenever it changes, so the frame can fit it and never
//! show a scrollbar of its own.

use std::cell::Cell;
use std::rc::Rc;

use onboarding_core::embed::Outgoing;
use wasm_bindgen::prelude::*;

use super::Embed;
use crate::dom;

pub fn report_height(embed: Embed) {
    let Some(body) = dom::document().body() else { return };
    let last = Rc::new(Cell::new(0u32));
    let measure = {
        let body = body.clone();
        move || {
            let height = body.get_bounding_client_rect().height().ceil().max(0.0) as u32;
            if height != last.get() {
                last.set(height);
                embed.post(Outgoing::Resized { height });
            }
        }
    };
    measure();
    let callback = Closure::<dyn FnMut()>::new(measure);
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&body);
        // Observes for the page's whole life.
        std::mem::forget(observer);
    }
    callback.forget();
}
