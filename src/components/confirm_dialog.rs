//! An accessible modal confirmation: native `<dialog>` opened with `showModal()` (focus moves
//! in and is trapped, Escape closes it, focus returns to the opener on close).

use leptos::{html, prelude::*};

use crate::i18n::{tr, Key};

#[component]
pub fn ConfirmDialog(
    /// Prefix of the element ids, unique on the page.
    id: &'static str,
    open: RwSignal<bool>,
    title: Key,
    /// The explanation; reactive because it may name what is at stake.
    #[prop(into)]
    body: Signal<String>,
    /// The partner's own text that fills `{name}` in `body`, shown in a `<bdi>`.
    #[prop(optional, into)]
    body_name: Option<Signal<String>>,
    confirm_label: Key,
    keep_label: Key,
    on_confirm: Callback<()>,
    /// Run by the keep button and by Escape (the dialog's `cancel`), if given.
    #[prop(optional)]
    on_keep: Option<Callback<()>>,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let keep = NodeRef::<html::Button>::new();
    let embedded = crate::embed::use_embed().is_embedded();
    // The edge between the `open` signal and the browser's dialog state.
    Effect::new(move |_| {
        let want = open.get();
        if let Some(d) = dialog.get() {
            if want && !d.open() {
                // In a frame as tall as its content the viewport is the whole page, so a
                // centred dialog can sit far from what the host shows: open it level with
                // the control that opened it.
                let opener_top = embedded
                    .then(|| crate::dom::document().active_element())
                    .flatten()
                    .map(|el| el.get_bounding_client_rect().top());
                let _ = d.show_modal();
                if let Some(top) = opener_top {
                    let height = d.get_bounding_client_rect().height();
                    let room = crate::dom::window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
                    let top = (top - height / 2.0).clamp(0.0, (room - height).max(0.0));
                    let style = web_sys::HtmlElement::style(AsRef::<web_sys::HtmlElement>::as_ref(&*d));
                    // Whole pixels: formatting an f64 costs 9 KB of wasm (core's float printing).
                    let _ = style.set_property("margin-top", &format!("{}px", top.round() as i32));
                    let _ = style.set_property("margin-bottom", "auto");
                }
                // `autofocus` is ignored in cross-origin frames: the safe choice takes focus.
                if let Some(k) = keep.get() {
                    let _ = k.focus();
                }
            } else if !want && d.open() {
                d.close();
            }
        }
    });
    view! {
        <dialog
            node_ref=dialog
            class="dialog"
            id=id
            role="dialog"
            aria-modal="true"
            aria-labelledby=format!("{id}-title")
            aria-describedby=format!("{id}-body")
            on:close=move |_| open.set(false)
            on:cancel=move |_: web_sys::Event| {
                if let Some(keep) = on_keep {
                    keep.run(());
                }
            }
        >
            <h2 class="dialog__title" id=format!("{id}-title")>{tr(title)}</h2>
            <p class="body" id=format!("{id}-body")>{move || match body_name {
                Some(name) => crate::i18n::sentence_with(&body.get(), "name", name.get()).into_any(),
                None => body.get().into_any(),
            }}</p>
            <div class="button-group">
                <button type="button" class="button button--warning" on:click=move |_| {
                    open.set(false);
                    on_confirm.run(());
                }>{tr(confirm_label)}</button>
                <button type="button" class="button button--secondary" autofocus node_ref=keep on:click=move |_| {
                    open.set(false);
                    if let Some(keep) = on_keep {
                        keep.run(());
                    }
                }>
                    {tr(keep_label)}
                </button>
            </div>
        </dialog>
    }
}
