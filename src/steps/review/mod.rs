//! Review — "Check your answers": every answer of the path with a Change link that returns to
//! the field and then back here; the submission's status under it.

mod answers;
mod status;

pub use status::SubmissionStatus;

use leptos::prelude::*;

use crate::components::stepper::step_name;
use crate::i18n::{tr, use_i18n, Key};
use crate::session::use_session;
use crate::wizard::Wizard;

#[component]
pub fn ReviewStep(wizard: Wizard, retry_now: Callback<()>, copy_to_new: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let draft_id = wizard.draft_id.get_value();
    // The page shows the answers as they are on arrival; only the language is reactive.
    let draft = wizard.snapshot();
    let sections = move || {
        let mut last_step = None;
        answers::sections(&i18n, &draft)
            .into_iter()
            .map(|section| {
                let heading = (last_step != Some(section.step)).then(|| {
                    view! { <h2 class="heading-m">{i18n.t(step_name(section.step))}</h2> }
                });
                last_step = Some(section.step);
                let title = section.title.map(|t| view! { <h3 class="summary-card__title">{t}</h3> });
                let rows = section
                    .rows
                    .into_iter()
                    .map(|r| {
                        let (step, field) = r.change;
                        let href = session.href_with(
                            &format!("/onboarding/{draft_id}/{}", step.slug()),
                            &format!("return=review&field={field}"),
                        );
                        view! {
                            <div class="summary-list__row">
                                <dt class="summary-list__key">{r.label.clone()}</dt>
                                <dd class="summary-list__value">{answers::render(r.value)}</dd>
                                <dd class="summary-list__actions">
                                    <a href=href class="change-link">
                                        {i18n.t(Key::ReviewChange)}
                                        <span class="visually-hidden">" "{r.label}</span>
                                    </a>
                                </dd>
                            </div>
                        }
                    })
                    .collect_view();
                view! { {heading} {title} <dl class="summary-list">{rows}</dl> }
            })
            .collect_view()
    };
    view! {
        <p class="body lead">{tr(Key::ReviewIntro)}</p>
        {sections}
        <SubmissionStatus submitter=wizard.submitter retry_now copy_to_new />
    }
}
