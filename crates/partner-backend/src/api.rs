//! The onboarding API (contract): `POST /onboardings`, `GET /onboardings` and
//! `GET /onboardings/{id}`, relative to `api_base_url`.
//!
//! Every route takes a [`Caller`] (a session or the partner's secret key, see `crate::auth`):
//! the credential, never the body, decides the partner. A partner sees only its own
//! onboardings; another's is answered exactly as one that does not exist.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, FromRef, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use onboarding_core::payload::{validate_submission, Submission};
use serde_json::{json, Value};
use tower_http::set_header::SetResponseHeaderLayer;
use uuid::Uuid;

use crate::audit::AuditOnboarding;
use crate::auth::{db_failure, Auth, Caller};
use crate::db::{Db, Stored, Submitter};
use crate::errors::Failure;
use crate::malformed::{self, Malformed};
use crate::shed;

/// Far above any real submission (a few KB, a certificate chain at most), low enough that a
/// stray upload cannot make the server buffer much.
pub const BODY_LIMIT: usize = 1024 * 1024;

#[derive(Clone)]
struct Api {
    db: Db,
    /// Who is calling (the [`Caller`] extractor's state).
    auth: Auth,
    /// For the `Location` of a created onboarding.
    base_url: String,
}

impl FromRef<Api> for Auth {
    fn from_ref(api: &Api) -> Auth {
        api.auth.clone()
    }
}

/// The API's routes, relative to `api_base_url`, with `more` routes beside the onboardings
/// (the sessions'), handling at most `max_concurrent_requests` at once (see [`crate::shed`]).
pub fn router_with(
    db: Db,
    auth: Auth,
    base_url: String,
    limits: crate::Limits,
    more: Router,
) -> Router {
    let routes = Router::new()
        .route("/onboardings", post(create).get(list))
        .route("/onboardings/{id}", get(read))
        .with_state(Api { db, auth, base_url })
        .merge(more);
    shed::limit(
        routes,
        limits.max_concurrent_requests,
        limits.body_read_timeout,
    )
    .layer(DefaultBodyLimit::max(BODY_LIMIT))
    // Answers carry customer data and are never to be reused from a cache.
    .layer(SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ))
}

/// JSON 404 and 405 answers for the API's own path space, so that a wrong URL under
/// `api_base_url` is never answered with the app's `index.html`.
pub fn with_json_fallbacks(router: Router) -> Router {
    router
        .fallback(|| async { Failure::NotFound })
        .method_not_allowed_fallback(|| async { Failure::MethodNotAllowed })
}

async fn create(
    State(api): State<Api>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    if !is_json(&headers) {
        return Err(Failure::UnsupportedMediaType);
    }
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Failure::TooLarge { limit: BODY_LIMIT },
        _ => Failure::Malformed(Malformed {
            field: String::new(),
            message: "The request body could not be read".into(),
        }),
    })?;
    let key = idempotency_key(&headers)?;
    let mut submission: Submission = malformed::from_json(&body).map_err(Failure::Malformed)?;
    if submission
        .partner_id
        .as_ref()
        .is_some_and(|claimed| *claimed != caller.partner_id)
    {
        return Err(Failure::PartnerMismatch);
    }
    if Uuid::try_parse(&submission.draft_id).ok() != Some(key) {
        return Err(Failure::IdempotencyKeyMismatch);
    }
    let errors = validate_submission(&submission);
    if !errors.is_empty() {
        return Err(Failure::Invalid(errors));
    }
    // The record names its partner whether or not the body did (after validation: the
    // partner's id is the operator's choice, not subject to the submission's rules). A retry
    // with `null` and one naming the partner are then the same submission.
    submission.partner_id = Some(caller.partner_id.clone());
    // The password is stored apart, sealed (see `db`), never in the body's JSON.
    let pbx_password = take_pbx_password(&mut submission);
    // The canonical re-serialisation, not the raw bytes: a retry that differs only in spacing,
    // key order or unknown fields is the same submission.
    let canonical = serde_json::to_string(&submission).map_err(|e| internal(&e))?;
    let submitter = Submitter {
        partner_id: caller.partner_id,
        role: caller.role.map(|role| role.as_str().to_string()),
        user: caller.user,
    };
    let stored = api
        .db
        .accept(submitter, key.to_string(), canonical, pbx_password)
        .await
        .map_err(|e| db_failure(&e))?;
    let id = match stored {
        Stored::Created(id) | Stored::Replayed(id) => id,
        Stored::Conflict => return Err(Failure::IdempotencyConflict),
    };
    let location = format!("{}/onboardings/{id}", api.base_url);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Extension(AuditOnboarding(id.clone())),
        Json(json!({ "id": id, "status": "received" })),
    )
        .into_response())
}

/// Takes the PBX password out of a submission, leaving `""` in its place.
pub fn take_pbx_password(submission: &mut Submission) -> Option<String> {
    submission
        .pbx
        .as_mut()
        .map(|pbx| std::mem::take(&mut pbx.password))
}

/// The caller's partner's onboardings, newest first: enough to tell them apart and open one,
/// never a body (nor so a password).
async fn list(State(api): State<Api>, caller: Caller) -> Result<Json<Value>, Failure> {
    let listings = api
        .db
        .list(caller.partner_id)
        .await
        .map_err(|e| db_failure(&e))?;
    let onboardings: Vec<Value> = listings
        .into_iter()
        .map(|o| {
            json!({
                "id": o.id,
                "draft_id": o.draft_id,
                "customer_name": o.customer_name,
                "received_at": o.received_at,
                "status": "received",
            })
        })
        .collect();
    Ok(Json(json!({ "onboardings": onboardings })))
}

async fn read(
    State(api): State<Api>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<(axum::Extension<AuditOnboarding>, Json<Value>), Failure> {
    // An id that is not even text (`%FF`) names no record either; without this, axum would
    // answer its own plain-text 400.
    let Ok(Path(id)) = id else {
        return Err(Failure::NotFound);
    };
    let record = api
        .db
        .find(caller.partner_id, id)
        .await
        .map_err(|e| db_failure(&e))?
        .ok_or(Failure::NotFound)?;
    let mut onboarding: Value = serde_json::from_str(&record.body).map_err(|e| internal(&e))?;
    // Kept (sealed, apart) so the partner can configure the PBX, but never echoed back over
    // the API: its place in the body is blank, and answered as null.
    if let Some(password) = onboarding.pointer_mut("/pbx/password") {
        *password = Value::Null;
    }
    Ok((
        axum::Extension(AuditOnboarding(record.id.clone())),
        Json(json!({
            "id": record.id,
            "status": "received",
            "received_at": record.received_at,
            "onboarding": onboarding,
        })),
    ))
}

/// `application/json`, with or without parameters such as `charset`.
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

fn idempotency_key(headers: &HeaderMap) -> Result<Uuid, Failure> {
    let value = headers
        .get("idempotency-key")
        .ok_or(Failure::MissingIdempotencyKey)?;
    value
        .to_str()
        .ok()
        .and_then(|v| Uuid::try_parse(v.trim()).ok())
        .ok_or(Failure::InvalidIdempotencyKey)
}

fn internal(e: &dyn std::fmt::Display) -> Failure {
    eprintln!("partner-backend: internal error: {e}");
    Failure::Internal
}
