//! Small imperative helpers at the edge of the DOM: focus, title, navigation.

pub fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

pub fn document() -> web_sys::Document {
    window().document().expect("a document")
}

/// A focus move waiting for the next animation frame.
struct PendingFocus {
    id: String,
    /// Where focus was when the move was asked for (the button just pressed).
    from: Option<web_sys::Element>,
}

thread_local! {
    /// The focus move the next animation frame makes; `None` when none is pending.
    static PENDING_FOCUS: std::cell::RefCell<Option<PendingFocus>> = const { std::cell::RefCell::new(None) };
}

/// Moves focus to the element with this id after the next render and scrolls it into view.
/// Calls before that frame coalesce (the last one wins), so a thousand quick clicks on
/// "Add another" cost one focus and one scroll, not a thousand forced layouts. If the person has
/// put focus somewhere else in the meantime (clicked into another field right after "Add"), it
/// stays there: the move must never take their next keystrokes elsewhere.
pub fn focus_id(id: &str) {
    let from = document().active_element();
    let already_scheduled = PENDING_FOCUS.with(|p| {
        let mut p = p.borrow_mut();
        let earlier = p.take();
        let scheduled = earlier.is_some();
        // Coalesced moves keep where focus was at the first of them.
        let from = earlier.map_or(from, |e| e.from);
        *p = Some(PendingFocus { id: id.to_string(), from });
        scheduled
    });
    if already_scheduled {
        return;
    }
    leptos::prelude::request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        let Some(pending) = PENDING_FOCUS.with(|p| p.borrow_mut().take()) else { return };
        if focus_moved_since(pending.from.as_ref()) {
            return;
        }
        if let Some(el) = document().get_element_by_id(&pending.id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
            el.scroll_into_view();
        }
    });
}

/// True when focus is now on another element still on the page than it was on (focus that fell
/// to the body because its element was removed, as after "Remove", has not moved).
fn focus_moved_since(from: Option<&web_sys::Element>) -> bool {
    let doc = document();
    match doc.active_element() {
        Some(now) => {
            let on_body = doc.body().is_some_and(|b| now == *b.as_ref());
            !on_body && now.is_connected() && from != Some(&now)
        }
        None => false,
    }
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
