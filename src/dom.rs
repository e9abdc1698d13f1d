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
    place: FocusPlace,
    /// Where focus was when the move was asked for (the button just pressed).
    from: Option<web_sys::Element>,
}

/// What the element taking focus is, which decides how the page scrolls to it (as GOV.UK
/// Frontend does): never so that the target lands at the very top with what names it hidden.
#[derive(Clone, Copy, PartialEq)]
enum FocusPlace {
    /// The start of a new page (its heading, or the error summary above it): the page starts
    /// at its top, header and stepper included.
    PageStart,
    /// A field or control: brought into view with its label (or its group's legend), and
    /// nothing scrolls when all of that is already in view.
    Element,
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

/// Moves focus to the field or control with this id after the next render, scrolling only as
/// far as needed to show it with its label or legend.
pub fn focus_id(id: &str) {
    schedule_focus(id, FocusPlace::Element);
}

/// Moves focus to a new page's heading (or its error summary) after the next render, with the
/// page shown from its top.
pub fn focus_page_start(id: &str) {
    schedule_focus(id, FocusPlace::PageStart);
}

/// Calls before the next frame coalesce (the last one wins), so a thousand quick clicks on
/// "Add another" cost one focus and one scroll, not a thousand forced layouts. If the person has
/// put focus somewhere else in the meantime (clicked into another field right after "Add"), it
/// stays there: the move must never take their next keystrokes elsewhere.
fn schedule_focus(id: &str, place: FocusPlace) {
    let from = document().active_element();
    let already_scheduled = PENDING_FOCUS.with(|p| {
        let mut p = p.borrow_mut();
        let earlier = p.take();
        let scheduled = earlier.is_some();
        // Coalesced moves keep where focus was at the first of them.
        let from = earlier.map_or(from, |e| e.from);
        *p = Some(PendingFocus { id: id.to_string(), place, from });
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
            match pending.place {
                FocusPlace::PageStart => show_page_start(),
                FocusPlace::Element => show_with_its_name(&el),
            }
            focus_without_scrolling(&el);
        }
    });
}

fn focus_without_scrolling(el: &web_sys::HtmlElement) {
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = el.focus_with_options(&options);
}

/// The least scrolling that shows `el`: none when it is in view. In the dashboard's frame
/// (which has no scrollbar of its own) this scrolls the host page only as far as needed.
fn scroll_nearest(el: &web_sys::Element) {
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
    el.scroll_into_view_with_scroll_into_view_options(&options);
}

/// A new page starts at its top: the window scrolls to it, and in a frame the host page shows
/// the frame's top (the header) if it is above the host's view, and does not move otherwise.
fn show_page_start() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
    if let Ok(Some(header)) = document().query_selector("header") {
        scroll_nearest(&header);
    }
}

/// Brings a field into view together with what names it: radios and checkboxes with their
/// group's legend, other fields with their label, or with their fieldset's legend when both fit
/// (a contact row's "Email" says little without "Admin contact 2") and they are close. Both
/// "nearest": from above the name lands at the top with the field under it, from below the
/// field lands at the bottom with its name above it, and in view nothing moves.
fn show_with_its_name(el: &web_sys::HtmlElement) {
    // The name first and the field last, so the field taking focus always ends in view.
    if let Some(name) = name_of(el) {
        scroll_nearest(&name);
    }
    scroll_nearest(el);
}

/// True inside a frame: its window is as tall as its content, so its height says nothing of
/// what the partner sees of it.
fn framed() -> bool {
    window().top().ok().flatten().is_some_and(|top| top != window())
}

fn name_of(el: &web_sys::HtmlElement) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    let legend = el.closest("fieldset").ok().flatten().and_then(|f| f.query_selector(":scope > legend").ok().flatten());
    let is_choice = el.dyn_ref::<web_sys::HtmlInputElement>().is_some_and(|i| matches!(i.type_().as_str(), "radio" | "checkbox"));
    if is_choice {
        return legend;
    }
    let label = (!el.id().is_empty()).then(|| document().query_selector(&format!("label[for='{}']", el.id())).ok().flatten()).flatten();
    // GOV.UK Frontend's measure: the legend, if it and the field take at most half the window.
    let fits = |legend: &web_sys::Element| {
        let (top, bottom) = (legend.get_bounding_client_rect().top(), el.get_bounding_client_rect().bottom());
        let view_height = window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
        bottom - top <= view_height / 2.0
    };
    match legend {
        Some(legend) if !framed() && fits(&legend) => Some(legend),
        _ => label,
    }
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

/// Removes index.html's static shell (painted before the wasm arrived), if still there.
pub fn remove_shell() {
    if let Some(shell) = document().get_element_by_id("app-shell") {
        shell.remove();
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

/// The skip link's move (GOV.UK's pattern): `<main>` takes focus for as long as it has it
/// (`tabindex="-1"`, dropped on blur), so the next Tab goes to the first control inside it.
/// Following the `#main` link alone left the router's fragment handling to decide, and the
/// next Tab went to the header.
pub fn skip_to_main() {
    use wasm_bindgen::JsCast;
    let Some(main) = document().get_element_by_id("main").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
    let _ = main.set_attribute("tabindex", "-1");
    let _ = main.class_list().add_1("skip-target");
    let cleanup = wasm_bindgen::closure::Closure::once_into_js({
        let main = main.clone();
        move || {
            let _ = main.remove_attribute("tabindex");
            let _ = main.class_list().remove_1("skip-target");
        }
    });
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let _ = main.add_event_listener_with_callback_and_add_event_listener_options("blur", cleanup.unchecked_ref(), &options);
    let _ = main.focus();
}
