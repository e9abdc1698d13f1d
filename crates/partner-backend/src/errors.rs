//! Every refusal the API answers, and its JSON body: always `{"errors": [{"field", "code",
//! "message", ...}]}`, so clients read one shape. Request-level problems (not about one field of
//! the submission) have `"field": ""`; a `malformed` body names the field that does not fit
//! the submission's shape when there is one.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use onboarding_core::payload::ApiError;
use onboarding_core::FieldError;
use serde::Serialize;

use crate::malformed::Malformed;
use crate::messages::field_message;
use crate::shed::RETRY_AFTER_SECS;

#[derive(Debug)]
pub enum Failure {
    /// 415: the body is not declared as `application/json`.
    UnsupportedMediaType,
    /// 413: the body is over the limit.
    TooLarge { limit: usize },
    /// 400: the body is not JSON of the submission's shape.
    Malformed(Malformed),
    /// 400: no `Idempotency-Key` header.
    MissingIdempotencyKey,
    /// 400: an `Idempotency-Key` that is not a UUID.
    InvalidIdempotencyKey,
    /// 400: the key is not the body's `draft_id`.
    IdempotencyKeyMismatch,
    /// 422: the shared validation rules refused the submission.
    Invalid(Vec<FieldError>),
    /// 409: the key was bound to a different submission.
    IdempotencyConflict,
    /// 404
    NotFound,
    /// 405
    MethodNotAllowed,
    /// 408: an admitted request's body did not arrive within the body-read timeout.
    RequestTimeout,
    /// 503 with `Retry-After`: too many requests in progress (see `shed`), or the database
    /// stayed locked by another process past its busy timeout. Nothing was stored.
    Unavailable,
    /// 500: details go to the log, not to the client.
    Internal,
    /// 400: a request body (other than a submission) that is not what the route takes.
    MalformedRequest(String),
    /// 401: no credential (or the cookie on a request not from the wizard's own origin).
    Unauthenticated,
    /// 401: a genuine session past its expiry.
    SessionExpired,
    /// 401: a secret key or session that is unknown, forged, altered, or was revoked by a
    /// key rotation or the partner's removal.
    InvalidCredentials,
    /// 403: a valid credential of the wrong kind for the route (a session minting sessions).
    WrongCredential(&'static str),
    /// 403: a submission whose `partner_id` names another partner than the credential's.
    PartnerMismatch,
    /// 428: a write to an account draft without `If-Match` (or, to create, `If-None-Match: *`).
    PreconditionRequired,
    /// 412: the account draft's version is not the one the request was based on; `current` is
    /// the draft as it stands (`null` when there is none), for the client to choose from.
    VersionConflict { current: serde_json::Value },
    /// 422: a draft document the account does not keep (unreadable by the draft codec, of
    /// another id than its address, holding a password or a private key).
    DraftRefused {
        field: &'static str,
        code: &'static str,
        message: &'static str,
    },
}

/// A request-level entry; field rules use the shared crate's [`ApiError`].
#[derive(Serialize)]
struct Entry {
    field: String,
    code: &'static str,
    message: String,
}

impl Failure {
    pub fn status(&self) -> StatusCode {
        match self {
            Failure::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Failure::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::Malformed(_)
            | Failure::MissingIdempotencyKey
            | Failure::InvalidIdempotencyKey
            | Failure::IdempotencyKeyMismatch => StatusCode::BAD_REQUEST,
            Failure::Invalid(_) | Failure::DraftRefused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Failure::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            Failure::VersionConflict { .. } => StatusCode::PRECONDITION_FAILED,
            Failure::IdempotencyConflict => StatusCode::CONFLICT,
            Failure::NotFound => StatusCode::NOT_FOUND,
            Failure::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Failure::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Failure::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Failure::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Failure::MalformedRequest(_) => StatusCode::BAD_REQUEST,
            Failure::Unauthenticated | Failure::SessionExpired | Failure::InvalidCredentials => {
                StatusCode::UNAUTHORIZED
            }
            Failure::WrongCredential(_) | Failure::PartnerMismatch => StatusCode::FORBIDDEN,
        }
    }

    fn entries(&self) -> Entries {
        let (code, message) = match self {
            Failure::Invalid(fields) => {
                return Entries::Fields(
                    fields
                        .iter()
                        .map(|e| ApiError {
                            field: e.path.clone(),
                            code: e.code,
                            message: field_message(&e.path, &e.code),
                        })
                        .collect(),
                )
            }
            Failure::UnsupportedMediaType => (
                "unsupported_media_type",
                "Send the submission with Content-Type: application/json".to_string(),
            ),
            Failure::TooLarge { limit } => (
                "too_large",
                format!("The request body must be {limit} bytes or fewer"),
            ),
            Failure::Malformed(Malformed { message, .. }) => ("malformed", message.clone()),
            Failure::MissingIdempotencyKey => (
                "idempotency_key_missing",
                "Send an Idempotency-Key header holding the draft_id".to_string(),
            ),
            Failure::InvalidIdempotencyKey => (
                "idempotency_key_invalid",
                "The Idempotency-Key header must be a UUID".to_string(),
            ),
            Failure::IdempotencyKeyMismatch => (
                "idempotency_key_mismatch",
                "The Idempotency-Key header must equal the submission's draft_id".to_string(),
            ),
            Failure::IdempotencyConflict => (
                "idempotency_conflict",
                "This Idempotency-Key was already used for a different submission".to_string(),
            ),
            Failure::NotFound => ("not_found", "There is nothing at this address".to_string()),
            Failure::MethodNotAllowed => (
                "method_not_allowed",
                "This address does not accept this method".to_string(),
            ),
            Failure::RequestTimeout => (
                "request_timeout",
                "The request body did not arrive in time; send it again".to_string(),
            ),
            Failure::Unavailable => (
                "unavailable",
                format!("The server is busy; try again in {RETRY_AFTER_SECS} s"),
            ),
            Failure::Internal => (
                "internal",
                "The server could not complete the request; try again later".to_string(),
            ),
            Failure::MalformedRequest(detail) => (
                "malformed",
                format!("The request body is not valid: {detail}"),
            ),
            Failure::Unauthenticated => (
                "unauthenticated",
                "Send a session or the partner's secret key: Authorization: Bearer <credential>"
                    .to_string(),
            ),
            Failure::SessionExpired => (
                "session_expired",
                "The session has expired; get a new one from the partner's server".to_string(),
            ),
            Failure::InvalidCredentials => (
                "invalid_credentials",
                "The credential is not valid: unknown, altered, or revoked".to_string(),
            ),
            Failure::WrongCredential(message) => ("wrong_credential", message.to_string()),
            Failure::PartnerMismatch => (
                "partner_mismatch",
                "The submission's partner_id is not the partner of this session or key; \
                 send the credential's partner_id, or null"
                    .to_string(),
            ),
            Failure::PreconditionRequired => (
                "precondition_required",
                "Send If-Match: \"<version>\" to change or delete a draft, or If-None-Match: * \
                 to create one"
                    .to_string(),
            ),
            Failure::VersionConflict { .. } => (
                "version_conflict",
                "The draft has changed since that version: the current copy is under \"current\""
                    .to_string(),
            ),
            Failure::DraftRefused { code, message, .. } => (*code, message.to_string()),
        };
        let field = match self {
            Failure::Malformed(Malformed { field, .. }) => field.clone(),
            Failure::DraftRefused { field, .. } => field.to_string(),
            _ => String::new(),
        };
        Entries::Request([Entry {
            field,
            code,
            message,
        }])
    }
}

/// `{"errors": [...]}`, serialised straight from the structs so entries keep their field order.
#[derive(Serialize)]
struct Body {
    errors: Entries,
    /// Only in a `version_conflict` answer: the current copy, or `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<serde_json::Value>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Entries {
    Fields(Vec<ApiError>),
    Request([Entry; 1]),
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = Body {
            errors: self.entries(),
            current: match &self {
                Failure::VersionConflict { current } => Some(current.clone()),
                _ => None,
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Failure::Unavailable = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
        }
        // RFC 6750: a 401 names the scheme; a credential that was sent and refused is an
        // `invalid_token`.
        let challenge = match self {
            Failure::Unauthenticated => Some("Bearer"),
            Failure::SessionExpired | Failure::InvalidCredentials => {
                Some("Bearer error=\"invalid_token\"")
            }
            _ => None,
        };
        if let Some(challenge) = challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}
