//! The one network call of the wizard: `POST {api_base_url}/onboardings` (contract), with the
//! draft id as `Idempotency-Key`, the session, a time limit, and every answer sorted into an
//! `Outcome`.

use gloo_net::http::Request;
use onboarding_core::payload::{parse_api_errors, Submission};
use onboarding_core::signin::is_session_expired;
use onboarding_core::FieldError;

use crate::net::Failure;

/// Long enough for a slow partner backend, short enough that a hung connection is retried.
pub const TIMEOUT_MS: i32 = 20_000;

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Accepted { id: String },
    /// 422: the backend's errors, by field path.
    Invalid(Vec<FieldError>),
    /// 409: the key is bound to a different body: this draft was submitted before. Final.
    Conflict,
    /// 401: no session, or it expired (`expired`): the submission waits for a session.
    Unauthorized { expired: bool },
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

/// `authorization` is the session's `Authorization` value when the wizard holds one in memory
/// (embedded); standalone the browser adds the session cookie itself.
pub async fn post_onboarding(api_base_url: &str, submission: &Submission, authorization: Option<&str>) -> Outcome {
    let mut request = Request::post(&endpoint(api_base_url)).header("Idempotency-Key", &submission.draft_id);
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let Ok(body) = serde_json::to_string(submission) else { return Outcome::Unexpected(0) };
    match crate::net::send(request, Some(body), TIMEOUT_MS).await {
        Ok((status, body)) => classify(status, &body),
        Err(Failure::Timeout) => Outcome::Timeout,
        Err(Failure::Network) => Outcome::Network,
        Err(Failure::Unsent) => Outcome::Unexpected(0),
    }
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
        401 => Outcome::Unauthorized { expired: is_session_expired(body) },
        408 | 429 | 500..=599 => Outcome::ServerError(status),
        _ => Outcome::Unexpected(status),
    }
}
