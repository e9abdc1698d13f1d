//! The controls every step has: Next (the form's submit), Save and return (partners only) and
//! Cancel. Buttons are never disabled; Next explains what is wrong instead.

use leptos::prelude::*;

use crate::i18n::{tr, use_i18n, Key};
use crate::session::use_session;

#[component]
pub fn StepControls(
    #[prop(into)] next_label: Signal<Key>,
    on_save_and_return: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    view! {
        <div class="button-group controls">
            <button type="submit" class="button" id="next">{move || i18n.t(next_label.get())}</button>
            {session.can_save_and_return().then(|| view! {
                <button type="button" class="button button--secondary" id="save-and-return"
                    on:click=move |_| on_save_and_return.run(())>
                    {tr(Key::ControlsSaveAndReturn)}
                </button>
            })}
            <button type="button" class="button button--quiet" id="cancel" on:click=move |_| on_cancel.run(())>
                {tr(Key::ControlsCancel)}
            </button>
        </div>
    }
}
