//! What is happening to the submission, in plain words: sending, waiting to retry (with a
//! countdown and Retry now), stopped, or waiting in the outbox while offline or signed out.

use leptos::prelude::*;

use crate::dom;
use crate::i18n::{use_i18n, Key};
use crate::submit::{Problem, SubmitState, Submitter};

/// How long a request may be out before the page says it is still waiting.
const STILL_WAITING_AFTER_MS: f64 = 5_000.0;

#[component]
pub fn SubmissionStatus(submitter: Submitter, retry_now: Callback<()>, copy_to_new: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    // A clock for the countdown, ticking only while this page is shown.
    let now = RwSignal::new(dom::now_ms());
    if let Ok(handle) = set_interval_with_handle(move || now.set(dom::now_ms()), std::time::Duration::from_millis(500)) {
        on_cleanup(move || handle.clear());
    }
    let problem_text = move |p: Problem| match p {
        Problem::ServerError(status) => i18n.fmt(Key::SubmitServerError, &[("status", &status.to_string())]),
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
        <div id="submission-status" role="status" aria-live="polite" tabindex="-1">
            {move || match submitter.state.get() {
                SubmitState::Idle | SubmitState::Accepted(_) => None,
                // Final: said plainly, with the one way forward, and never retried.
                SubmitState::AlreadySubmitted => Some(view! {
                    <div class="status status--problem" data-state="already-submitted">
                        <h2 class="heading-s">{i18n.t(Key::SubmitAlreadyTitle)}</h2>
                        <p id="submission-problem">{i18n.t(Key::SubmitConflict)}</p>
                        <button type="button" class="button" id="copy-to-new" on:click=move |_| copy_to_new.run(())>
                            {i18n.t(Key::SubmitCopyToNew)}
                        </button>
                    </div>
                }.into_any()),
                SubmitState::Sending => {
                    // A slow partner system: after a few seconds say that the wizard is still
                    // waiting, that nothing is lost, and when it will stop waiting (the
                    // request's time limit, after which it retries with the countdown).
                    let since = dom::now_ms();
                    let slow = move || (now.get() - since >= STILL_WAITING_AFTER_MS).then(|| {
                        let limit = (crate::submit::TIMEOUT_MS / 1000).to_string();
                        view! { <p id="submission-slow">{i18n.fmt(Key::SubmitStillWaiting, &[("seconds", &limit)])}</p> }
                    });
                    Some(view! {
                        <div class="status"><p>{i18n.t(Key::SubmitSending)}</p>{slow}</div>
                    }.into_any())
                }
                // Waiting is not an error: the notice style, and what the partner must do.
                SubmitState::SignInNeeded => {
                    let key = if crate::embed::use_embed().is_embedded() { Key::SubmitSessionRenewing } else { Key::SubmitSignInNeeded };
                    Some(view! {
                        <div class="status status--waiting" data-state="sign-in-needed">
                            <p>{i18n.t(key)}</p>
                            <p><strong>{i18n.t(Key::SubmitKeepPageOpen)}</strong></p>
                        </div>
                    }.into_any())
                }
                SubmitState::Offline => Some(view! {
                    <div class="status status--waiting" data-state="offline">
                        <p>{i18n.t(Key::SubmitOffline)}</p>
                        <p><strong>{i18n.t(Key::SubmitKeepPageOpen)}</strong></p>
                    </div>
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
                            <p><strong>{i18n.t(Key::SubmitKeepPageOpen)}</strong></p>
                            {retry_button()}
                        </div>
                    }.into_any())
                }
            }}
        </div>
    }
}
