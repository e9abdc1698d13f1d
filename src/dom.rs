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
    static PAGES_SHOWN: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Called once as each page (start page, wizard) is made: true when an earlier page was shown
/// in this document, i.e. the partner got here by a link or button of the app. Such a page
/// moves focus to its heading, as a new document's start would; on the page the browser
/// loaded, focus stays where the browser puts it.
pub fn arrived_within_app() -> bool {
    PAGES_SHOWN.with(|n| {
        let before = n.get();
        n.set(before.saturating_add(1));
        before > 0
    })
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
            let el = checked_radio_of_group(&el).unwrap_or(el);
            let _ = el.focus();
            el.scroll_into_view();
        }
    });
}

/// A radio group's id is on its first radio; when another radio of the group is checked, focus
/// belongs on that one (as the browser's Tab order has it), or a screen reader announces "not
/// checked" and Space changes the answer.
fn checked_radio_of_group(el: &web_sys::HtmlElement) -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let radio = el.dyn_ref::<web_sys::HtmlInputElement>().filter(|i| i.type_() == "radio" && !i.checked())?;
    let group = document().get_elements_by_name(&radio.name());
    (0..group.length())
        .filter_map(|i| group.item(i)?.dyn_into::<web_sys::HtmlInputElement>().ok())
        .find(|i| i.type_() == "radio" && i.checked())
        .map(Into::into)
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
    /// Any element, seen only to be given a numbered text.
    #[wasm_bindgen(extends = web_sys::Element)]
    type NumberedElement;

    #[wasm_bindgen(method, setter = textContent)]
    fn set_text_content(this: &NumberedElement, text: &js_sys::JsString);

    /// `el.ariaLabel`, which sets the `aria-label` attribute.
    #[wasm_bindgen(method, setter = ariaLabel)]
    fn set_aria_label(this: &NumberedElement, text: &js_sys::JsString);
}

/// Where [`set_numbered`] writes.
#[derive(Clone, Copy)]
pub enum NumberedPlace {
    Text,
    AriaLabel,
}

thread_local! {
    /// The fixed parts of numbered texts as JavaScript strings, made once per text (a handful:
    /// a few templates in each language), keyed by the static text's address.
    static TEXT_PARTS: std::cell::RefCell<Vec<((usize, usize), js_sys::JsString)>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn js_text(text: &'static str) -> js_sys::JsString {
    let key = (text.as_ptr() as usize, text.len());
    TEXT_PARTS.with_borrow_mut(|parts| {
        if let Some((_, js)) = parts.iter().find(|(k, _)| *k == key) {
            return js.clone();
        }
        let js = js_sys::JsString::from(text);
        parts.push((key, js.clone()));
        js
    })
}

/// Writes `before` `n` `after` ("Admin contact " 12 "") as an element's whole text or its
/// `aria-label`. The text is joined in JavaScript from parts that crossed into it once, so
/// renumbering hundreds of rows in one frame formats and decodes no string per row. The whole
/// text replaces the element's text node: a number in an element of its own made the browser
/// shape and lay out every renumbered legend again, off screen too (bench: remove).
pub fn set_numbered(el: &web_sys::Element, place: NumberedPlace, (before, after): (&'static str, &'static str), n: usize) {
    use wasm_bindgen::JsCast;
    let number = wasm_bindgen::JsValue::from(u32::try_from(n).unwrap_or(u32::MAX));
    let mut text = js_text(before).concat(&number);
    if !after.is_empty() {
        text = text.concat(&js_text(after));
    }
    let el = el.unchecked_ref::<NumberedElement>();
    match place {
        NumberedPlace::Text => el.set_text_content(&text),
        NumberedPlace::AriaLabel => el.set_aria_label(&text),
    }
}
