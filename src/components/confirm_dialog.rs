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
    confirm_label: Key,
    keep_label: Key,
    on_confirm: Callback<()>,
    /// Run by the keep button and by Escape (the dialog's `cancel`), if given.
    #[prop(optional)]
    on_keep: Option<Callback<()>>,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    // The edge between the `open` signal and the browser's dialog state.
    Effect::new(move |_| {
        let want = open.get();
        if let Some(d) = dialog.get() {
            if want && !d.open() {
                let _ = d.show_modal();
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
            <p class="body" id=format!("{id}-body")>{body}</p>
            <div class="button-group">
                <button type="button" class="button button--warning" on:click=move |_| {
                    open.set(false);
                    on_confirm.run(());
                }>{tr(confirm_label)}</button>
                <button type="button" class="button button--secondary" autofocus on:click=move |_| {
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
