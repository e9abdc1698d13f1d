//! The "Progress" navigation: every step of the current path, the current one marked with
//! `aria-current="step"`, completed ones linked and labelled as completed.

use leptos::prelude::*;
use onboarding_core::StepId;

use crate::i18n::{use_i18n, Key};
use crate::session::use_session;

pub fn step_name(step: StepId) -> Key {
    match step {
        StepId::Customer => Key::StepCustomer,
        StepId::Gateway => Key::StepGateway,
        StepId::Pbx => Key::StepPbx,
        StepId::Connect => Key::StepConnect,
        StepId::Sync => Key::StepSync,
        StepId::Review => Key::StepReview,
    }
}

pub fn step_title(step: StepId) -> Key {
    match step {
        StepId::Customer => Key::StepCustomerTitle,
        StepId::Gateway => Key::StepGatewayTitle,
        StepId::Pbx => Key::StepPbxTitle,
        StepId::Connect => Key::StepConnectTitle,
        StepId::Sync => Key::StepSyncTitle,
        StepId::Review => Key::StepReviewTitle,
    }
}

#[component]
pub fn Stepper(
    draft_id: String,
    /// The steps of the current path (it changes with the platform).
    #[prop(into)]
    path: Signal<&'static [StepId]>,
    #[prop(into)] current: Signal<StepId>,
    #[prop(into)] completed: Signal<Vec<StepId>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let items = move || path.get().iter().enumerate().map(|(i, &step)| {
        let draft_id = draft_id.clone();
        let is_current = move || current.get() == step;
        let is_done = move || completed.with(|c| c.contains(&step));
        let name = move || {
            let href = session.href(&format!("/onboarding/{draft_id}/{}", step.slug()));
            let label = view! { <span class="stepper__number">{i + 1}</span>" "{i18n.t(step_name(step))}};
            let state = if is_done() {
                format!(" ({})", i18n.t(Key::StepperCompleted))
            } else {
                String::new()
            };
            let state = view! { <span class="visually-hidden">{state}</span> };
            if is_done() && !is_current() {
                view! { <a class="stepper__link" href=href>{label}{state}</a> }.into_any()
            } else {
                view! { <span class="stepper__label">{label}{state}</span> }.into_any()
            }
        };
        view! {
            <li
                class="stepper__step"
                class:stepper__step--current=is_current
                class:stepper__step--done=is_done
                aria-current=move || is_current().then_some("step")
            >
                {name}
            </li>
        }
    }).collect_view();
    view! {
        <nav class="stepper" aria-label=move || i18n.t(Key::StepperLabel)>
            <ol class="stepper__list" role="list">{items}</ol>
        </nav>
    }
}
