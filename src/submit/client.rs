//! The one network call of the wizard: `POST {api_base_url}/onboardings` (contract), with the
//! draft id as `Idempotency-Key`, a time limit, and every answer sorted into an `Outcome`.

use gloo_net::http::Request;
use onboarding_core::payload::{parse_api_errors, Submission};
use onboarding_core::FieldError;
use wasm_bindgen::JsCast;

/// Long enough for a slow partner backend, short enough that a hung connection is retried.
pub const TIMEOUT_MS: i32 = 20_000;

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Accepted { id: String },
    /// 422: the backend's errors, by field path.
    Invalid(Vec<FieldError>),
    /// 409: the key is bound to a different body: this draft was submitted before. Final.
    Conflict,
    /// 5xx, 408 or 429: worth retrying.
    ServerError(u16),
    /// Any other answer (including a 201 or 422 body that is not the contract's shape).
    Unexpected(u16),
    Network,
    Timeout,
}

impl Outcome {
    /// Whether sending the same thing again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Outcome::ServerError(_) | Outcome::Network | Outcome::Timeout)
    }
}

pub fn endpoint(api_base_url: &str) -> String {
    format!("{}/onboardings", api_base_url.trim_end_matches('/'))
}

pub async fn post_onboarding(api_base_url: &str, submission: &Submission) -> Outcome {
    let controller = web_sys::AbortController::new().ok();
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let timer = controller.as_ref().and_then(|c| {
        let (c, flag) = (c.clone(), timed_out.clone());
        let abort = wasm_bindgen::closure::Closure::once_into_js(move || {
            flag.set(true);
            c.abort();
        });
        web_sys::window()?.set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), TIMEOUT_MS).ok()
    });
    let request = Request::post(&endpoint(api_base_url))
        .header("Idempotency-Key", &submission.draft_id)
        .abort_signal(controller.as_ref().map(|c| c.signal()).as_ref())
        .json(submission);
    let result = match request {
        Ok(request) => request.send().await,
        Err(_) => return Outcome::Unexpected(0),
    };
    let outcome = match result {
        Err(_) if timed_out.get() => Outcome::Timeout,
        Err(_) => Outcome::Network,
        Ok(response) => {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            classify(status, &body)
        }
    };
    if let (Some(timer), Some(window)) = (timer, web_sys::window()) {
        window.clear_timeout_with_handle(timer);
    }
    outcome
}

/// Sorts a response by status and body.
pub fn classify(status: u16, body: &str) -> Outcome {
    match status {
        200 | 201 => match serde_json::from_str::<serde_json::Value>(body).ok().and_then(|v| v.get("id")?.as_str().map(String::from)) {
            Some(id) if !id.is_empty() => Outcome::Accepted { id },
            _ => Outcome::Unexpected(status),
        },
        422 => match parse_api_errors(body) {
            Some(errors) if !errors.is_empty() => Outcome::Invalid(errors),
            _ => Outcome::Unexpected(status),
        },
        409 => Outcome::Conflict,
        408 | 429 | 500..=599 => Outcome::ServerError(status),
        _ => Outcome::Unexpected(status),
    }
}
