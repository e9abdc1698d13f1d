//! Steps whose forms arrive in a later release: the page, its title and controls exist so the
//! flow and the stepper are whole, and the page says plainly that the form is not there yet.

use leptos::prelude::*;

use crate::i18n::{tr, Key};

#[component]
pub fn NotBuiltStep() -> impl IntoView {
    view! { <p class="notice" id="step-not-built">{tr(Key::StepNotBuilt)}</p> }
}
