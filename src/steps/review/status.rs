//! What is happening to the submission, in plain words: sending, waiting to retry (with a
//! countdown and Retry now), stopped, or waiting in the outbox while offline.

use leptos::prelude::*;

use crate::dom;
use crate::i18n::{use_i18n, Key};
use crate::submit::{Problem, SubmitState, Submitter};

#[component]
pub fn SubmissionStatus(submitter: Submitter, retry_now: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    // A clock for the countdown, ticking only while this page is shown.
    let now = RwSignal::new(dom::now_ms());
    if let Ok(handle) = set_interval_with_handle(move || now.set(dom::now_ms()), std::time::Duration::from_millis(500)) {
        on_cleanup(move || handle.clear());
    }
    let problem_text = move |p: Problem| match p {
        Problem::ServerError(status) => i18n.fmt(Key::SubmitServerError, &[("status", &status.to_string())]),
        Problem::Conflict => i18n.t(Key::SubmitConflict).to_string(),
        Problem::Network => i18n.t(Key::SubmitNetworkError).to_string(),
        Problem::Timeout => i18n.t(Key::SubmitTimeout).to_string(),
        Problem::Unexpected(status) => i18n.fmt(Key::SubmitUnexpected, &[("status", &status.to_string())]),
    };
    let retry_button = move || {
        view! {
            <button type="button" class="button button--secondary" id="retry-now" on:click=move |_| retry_now.run(())>
                {i18n.t(Key::SubmitRetryNow)}
            </button>
        }
    };
    // The live region stays in the page so that changes inside it are announced.
    view! {
        <div id="submission-status" role="status" aria-live="polite">
            {move || match submitter.state.get() {
                SubmitState::Idle | SubmitState::Accepted(_) => None,
                SubmitState::Sending => Some(view! {
                    <div class="status"><p>{i18n.t(Key::SubmitSending)}</p></div>
                }.into_any()),
                SubmitState::Offline => Some(view! {
                    <div class="status status--problem" data-state="offline"><p>{i18n.t(Key::SubmitOffline)}</p></div>
                }.into_any()),
                SubmitState::Waiting { problem, retry_at } => {
                    let countdown = move || match retry_at {
                        Some(at) => {
                            let seconds = ((at - now.get()) / 1000.0).ceil().max(0.0) as u32;
                            i18n.fmt(Key::SubmitRetryIn, &[("seconds", &seconds.to_string())])
                        }
                        None => i18n.t(Key::SubmitRetryStopped).to_string(),
                    };
                    Some(view! {
                        <div class="status status--problem" data-state="waiting">
                            <p id="submission-problem">{problem_text(problem)}</p>
                            <p id="submission-countdown" aria-live="off">{countdown}</p>
                            {retry_button()}
                        </div>
                    }.into_any())
                }
            }}
        </div>
    }
}
