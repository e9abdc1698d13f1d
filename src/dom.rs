//! Small imperative helpers at the edge of the DOM: focus, title, navigation.

pub fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

pub fn document() -> web_sys::Document {
    window().document().expect("a document")
}

thread_local! {
    /// The element the next animation frame focuses; `None` when no focus is pending.
    static PENDING_FOCUS: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Moves focus to the element with this id after the next render and scrolls it into view.
/// Calls before that frame coalesce (the last one wins), so a thousand quick clicks on
/// "Add another" cost one focus and one scroll, not a thousand forced layouts.
pub fn focus_id(id: &str) {
    let already_scheduled = PENDING_FOCUS.with(|p| p.borrow_mut().replace(id.to_string()).is_some());
    if already_scheduled {
        return;
    }
    leptos::prelude::request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        let Some(id) = PENDING_FOCUS.with(|p| p.borrow_mut().take()) else { return };
        if let Some(el) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
            el.scroll_into_view();
        }
    });
}

pub fn set_title(title: &str) {
    document().set_title(title);
}

pub fn set_html_lang(code: &str) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", code);
    }
}

/// Leaves the app for a page outside it (the partner dashboard).
pub fn go_to(url: &str) {
    let _ = window().location().assign(url);
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A random (version 4) UUID from the browser's CSPRNG.
pub fn new_uuid() -> String {
    let mut bytes = [0u8; 16];
    let crypto = window().crypto().expect("crypto");
    let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

/// What the browser reports; `online` events say when it changes.
pub fn is_online() -> bool {
    window().navigator().on_line()
}

/// Runs `f` inside a User Timing measure called `name` (visible in the browser's performance
/// panel and read by `bench/bench.mjs`): a mark named `name` before, a measure after, then the
/// mark is dropped, so one small entry per call stays on the timeline.
pub fn measure<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let Some(perf) = window().performance() else { return f() };
    let _ = perf.mark(name);
    let out = f();
    let _ = perf.measure_with_start_mark(name, name);
    perf.clear_marks_with_mark_name(name);
    out
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// Any element, seen only to set its text to a number.
    #[wasm_bindgen(extends = web_sys::Element)]
    type NumberText;

    /// `el.textContent = n`: the number crosses as a number, with no string built or decoded.
    #[wasm_bindgen(method, setter = textContent)]
    fn set_text_content(this: &NumberText, n: u32);
}

/// Shows a number as an element's whole text. Cheap enough to call for hundreds of rows in one
/// frame (renumbering contact rows after a removal).
pub fn set_text_number(el: &web_sys::Element, n: usize) {
    use wasm_bindgen::JsCast;
    el.unchecked_ref::<NumberText>().set_text_content(u32::try_from(n).unwrap_or(u32::MAX));
}
