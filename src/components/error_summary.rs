//! "There is a problem": every error of the step, each a link that focuses its field.

use leptos::prelude::*;

use crate::dom;
use crate::i18n::{use_i18n, Key};
use crate::wizard::{message, target_id, Errors};

pub const SUMMARY_ID: &str = "error-summary";

#[component]
pub fn ErrorSummary(errors: Errors, #[prop(into)] support_rows: Signal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        errors.has_any().then(|| {
            let items = errors.list.get().into_iter().map(|e| {
                let target = target_id(&errors, &e, support_rows.get_untracked());
                let href = format!("#{target}");
                let text = message(&i18n, &e);
                view! {
                    <li>
                        <a href=href on:click=move |ev| {
                            ev.prevent_default();
                            dom::focus_id(&target);
                        }>{text}</a>
                    </li>
                }
            }).collect_view();
            view! {
                <div class="error-summary" id=SUMMARY_ID tabindex="-1" aria-labelledby="error-summary-title">
                    <h2 class="error-summary__title" id="error-summary-title">{i18n.t(Key::SummaryTitle)}</h2>
                    <ul class="error-summary__list">{items}</ul>
                </div>
            }
        })
    }
}
