//! Sending the finished onboarding: one request at a time, retries with backoff and jitter for
//! failures that may pass, an outbox while the browser is offline, and the confirmation kept
//! on the device before the draft is removed.

mod client;

pub use client::{classify, endpoint, Outcome, TIMEOUT_MS};

use std::cell::RefCell;

use leptos::prelude::*;
use onboarding_core::draft_codec::Confirmation;
use onboarding_core::payload;
use onboarding_core::retry::backoff_delay_ms;
use onboarding_core::validate::first_invalid_step;
use onboarding_core::StepId;

use crate::dom;

/// Why the last attempt did not go through.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Problem {
    ServerError(u16),
    Network,
    Timeout,
    Unexpected(u16),
}

#[derive(Clone, Debug, PartialEq)]
pub enum SubmitState {
    Idle,
    Sending,
    /// The attempt failed; the next automatic one is due at `retry_at` (ms since the epoch),
    /// or never once the automatic retries are used up.
    Waiting { problem: Problem, retry_at: Option<f64> },
    /// The browser is offline: the submission waits in the outbox for the `online` event.
    Offline,
    /// No session (or it expired): the submission waits in the outbox until there is one.
    SignInNeeded,
    Accepted(Confirmation),
    /// The backend already accepted an onboarding under this draft's id, with other answers
    /// (`409`): final, never retried. Only a new onboarding can carry corrected answers.
    AlreadySubmitted,
}

/// Where the page must go after an attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Next {
    Stay,
    /// The shared rules found errors on this step.
    FixStep(StepId),
    /// The backend refused the submission (422) with these errors.
    Rejected(Vec<onboarding_core::FieldError>),
    Confirmed(Confirmation),
    /// `409`: this draft was submitted before (another tab, or an answer that never arrived).
    AlreadySubmitted,
    /// `401`: the session is missing or expired; the submission waits for a fresh one.
    SignInNeeded,
}

thread_local! {
    // The last confirmation, for the confirmation page when the device would not keep it.
    static LAST_CONFIRMATION: RefCell<Option<Confirmation>> = const { RefCell::new(None) };
}

pub fn last_confirmation(draft_id: &str) -> Option<Confirmation> {
    LAST_CONFIRMATION.with(|c| c.borrow().clone().filter(|c| c.draft_id == draft_id))
}

#[derive(Clone, Copy)]
pub struct Submitter {
    pub state: RwSignal<SubmitState>,
    retries: StoredValue<u32>,
    /// Bumped on every attempt, so a timer or `online` event from an older one does nothing.
    attempt: StoredValue<u64>,
}

impl Default for Submitter {
    fn default() -> Self {
        Submitter { state: RwSignal::new(SubmitState::Idle), retries: StoredValue::new(0), attempt: StoredValue::new(0) }
    }
}

impl Submitter {
    /// True while a request is in flight or queued, or once the backend holds this onboarding:
    /// a second Submit must not send again.
    pub fn is_busy(&self) -> bool {
        matches!(
            self.state.get_untracked(),
            SubmitState::Sending
                | SubmitState::Offline
                | SubmitState::SignInNeeded
                | SubmitState::Accepted(_)
                | SubmitState::AlreadySubmitted
        )
    }

    /// True while a submission waits to be sent (offline, or for a retry): it exists only in
    /// this page, so leaving the page would drop it.
    pub fn is_waiting(&self) -> bool {
        matches!(self.state.get_untracked(), SubmitState::Offline | SubmitState::SignInNeeded | SubmitState::Waiting { .. })
    }

    /// True from Submit until the backend's answer: waiting, or a request out whose answer
    /// would be lost with the page.
    pub fn is_pending(&self) -> bool {
        self.is_waiting() || self.state.get_untracked() == SubmitState::Sending
    }

    /// Ends the submission (Cancel): no retry that is due, and nothing sent when the browser
    /// is back online.
    pub fn cancel(&self) {
        self.next_attempt();
        self.state.set(SubmitState::Idle);
    }

    /// The user asked to send now (Submit, or Retry now): the retry count starts over.
    pub fn reset_retries(&self) {
        self.retries.set_value(0);
    }

    pub fn next_attempt(&self) -> u64 {
        let n = self.attempt.get_value() + 1;
        self.attempt.set_value(n);
        n
    }

    pub fn is_current(&self, attempt: u64) -> bool {
        self.attempt.get_value() == attempt
    }

    /// After a failure: wait with backoff (or stop retrying), or queue for `online`.
    fn failed(&self, problem: Problem, retryable: bool) -> Option<u32> {
        if !dom::is_online() && matches!(problem, Problem::Network | Problem::Timeout) {
            self.state.set(SubmitState::Offline);
            return None;
        }
        let retry = self.retries.get_value();
        let delay = if retryable { backoff_delay_ms(retry, js_sys::Math::random()) } else { None };
        if delay.is_some() {
            self.retries.set_value(retry + 1);
        }
        self.state.set(SubmitState::Waiting { problem, retry_at: delay.map(|d| dom::now_ms() + f64::from(d)) });
        delay
    }
}

/// What a submission needs from the rest of the app.
pub struct Attempt {
    pub draft: onboarding_core::Draft,
    pub api_base_url: String,
    /// The session's `Authorization` value, when the page holds one (embedded).
    pub authorization: Option<String>,
    /// The backend said there is no session: nothing is sent until there is one.
    pub signed_out: bool,
}

/// Checks the draft with the shared rules, then sends it once. Returns where to go next and,
/// when a retry is due, after how many milliseconds.
pub async fn attempt(submitter: Submitter, input: Attempt) -> (Next, Option<u32>) {
    if let Some((step, _)) = first_invalid_step(&input.draft) {
        submitter.state.set(SubmitState::Idle);
        return (Next::FixStep(step), None);
    }
    if !dom::is_online() {
        submitter.state.set(SubmitState::Offline);
        return (Next::Stay, None);
    }
    if input.signed_out {
        submitter.state.set(SubmitState::SignInNeeded);
        return (Next::Stay, None);
    }
    submitter.state.set(SubmitState::Sending);
    let body = payload::build(&input.draft);
    let outcome = client::post_onboarding(&input.api_base_url, &body, input.authorization.as_deref()).await;
    let problem = match outcome {
        Outcome::Accepted { id } => {
            let confirmation = Confirmation {
                draft_id: input.draft.id.clone(),
                onboarding_id: id,
                customer_name: body.customer.name.clone(),
                submitted_at: dom::now_ms(),
            };
            LAST_CONFIRMATION.with(|c| *c.borrow_mut() = Some(confirmation.clone()));
            submitter.state.set(SubmitState::Accepted(confirmation.clone()));
            return (Next::Confirmed(confirmation), None);
        }
        Outcome::Invalid(errors) => {
            submitter.state.set(SubmitState::Idle);
            return (Next::Rejected(errors), None);
        }
        Outcome::Conflict => {
            submitter.state.set(SubmitState::AlreadySubmitted);
            return (Next::AlreadySubmitted, None);
        }
        Outcome::Unauthorized { .. } => {
            submitter.state.set(SubmitState::SignInNeeded);
            return (Next::SignInNeeded, None);
        }
        Outcome::ServerError(status) => Problem::ServerError(status),
        Outcome::Network => Problem::Network,
        Outcome::Timeout => Problem::Timeout,
        Outcome::Unexpected(status) => Problem::Unexpected(status),
    };
    let retryable = !matches!(problem, Problem::Unexpected(_));
    (Next::Stay, submitter.failed(problem, retryable))
}
