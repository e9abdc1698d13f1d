//! Drafts in the partner's account (contract): `GET /drafts`, and `GET`, `PUT`, `DELETE
//! /drafts/{draft_id}`, relative to `api_base_url`.
//!
//! Every route takes a [`Caller`]; a draft belongs to the caller's partner, and another
//! partner's is answered exactly as one that does not exist. Writes are conditional
//! (optimistic concurrency): `If-None-Match: *` creates, `If-Match: "<version>"` changes or
//! deletes; a precondition that does not hold is `412 version_conflict` with the draft as it
//! stands under `"current"` (`null` when there is none), none at all is `428`.
//!
//! What is kept is checked with the draft codec's own decoder (`onboarding_core::draft_codec`)
//! and stored as its canonical re-encoding, never as the bytes sent. Refused with `422`: a
//! document it cannot read (`draft_unreadable`), one whose ids are not the address's
//! (`draft_id_mismatch`), one with a `password` key anywhere (`password_in_draft`) or a private
//! key in any text (`private_key`). Bodies over [`DRAFT_BODY_LIMIT`] are `413`.
//!
//! Drafts not written for `draft_ttl_days` (config.json) are never answered, and are deleted
//! at startup and every hour ([`spawn_purge`]).

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, FromRef, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use onboarding_core::draft_codec::{self, DecodeError};
use onboarding_core::formats::holds_private_key;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::audit::AuditOnboarding;
use crate::api::is_json;
use crate::auth::{db_failure, Auth, Caller};
use crate::db::{Db, DraftCopy, DraftWrite, Precondition};
use crate::errors::Failure;

/// The largest `PUT` body: 256 KB, the contract's limit for a draft.
pub const DRAFT_BODY_LIMIT: usize = 256 * 1024;

/// How often expired drafts are deleted while the server runs.
pub const PURGE_INTERVAL: Duration = Duration::from_secs(60 * 60);

#[derive(Clone)]
struct Drafts {
    db: Db,
    auth: Auth,
    ttl_days: u32,
}

impl FromRef<Drafts> for Auth {
    fn from_ref(drafts: &Drafts) -> Auth {
        drafts.auth.clone()
    }
}

/// The drafts' routes, relative to `api_base_url`, with their own body limit.
pub fn router(db: Db, auth: Auth, ttl_days: u32) -> Router {
    Router::new()
        .route("/drafts", get(list))
        .route("/drafts/{draft_id}", get(read).put(write).delete(remove))
        .layer(DefaultBodyLimit::max(DRAFT_BODY_LIMIT))
        .with_state(Drafts { db, auth, ttl_days })
}

/// Deletes expired drafts every [`PURGE_INTERVAL`] (the first time at once), for as long as
/// the runtime runs. A failure is logged and tried again at the next tick.
pub fn spawn_purge(db: Db, ttl_days: u32) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(PURGE_INTERVAL);
        loop {
            ticks.tick().await;
            match db.purge_expired_drafts(ttl_days).await {
                Ok(0) => {}
                Ok(n) => eprintln!("partner-backend: deleted {n} expired account draft(s)"),
                Err(e) => eprintln!("partner-backend: cannot delete expired drafts: {e}"),
            }
        }
    })
}

async fn list(State(drafts): State<Drafts>, caller: Caller) -> Result<Json<Value>, Failure> {
    let listings = drafts
        .db
        .list_drafts(caller.partner_id, drafts.ttl_days)
        .await
        .map_err(|e| db_failure(&e))?;
    let entries: Vec<Value> = listings
        .into_iter()
        .map(|d| {
            json!({
                "draft_id": d.draft_id,
                "customer_name": d.customer_name,
                "current_step": d.current_step,
                "updated_at": d.updated_at,
                "version": d.version.to_string(),
            })
        })
        .collect();
    Ok(Json(json!({ "drafts": entries })))
}

async fn read(
    State(drafts): State<Drafts>,
    caller: Caller,
    draft_id: Result<Path<String>, PathRejection>,
) -> Result<Response, Failure> {
    let draft_id = draft_id_of(draft_id)?;
    let copy = drafts
        .db
        .find_draft(caller.partner_id, draft_id.clone(), drafts.ttl_days)
        .await
        .map_err(|e| db_failure(&e))?
        .ok_or(Failure::NotFound)?;
    let etag = etag(copy.version);
    let body = copy_json(&copy)?;
    Ok(audited(
        &draft_id,
        ([(header::ETAG, etag)], Json(body)).into_response(),
    ))
}

async fn write(
    State(drafts): State<Drafts>,
    caller: Caller,
    draft_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Failure> {
    let draft_id = draft_id_of(draft_id)?;
    if !is_json(&headers) {
        return Err(Failure::UnsupportedMediaType);
    }
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Failure::TooLarge {
            limit: DRAFT_BODY_LIMIT,
        },
        _ => Failure::MalformedRequest("it could not be read".into()),
    })?;
    let precondition = precondition(&headers, true)?;
    let document = canonical_document(&body, &draft_id)?;
    let written = drafts
        .db
        .put_draft(
            caller.partner_id,
            draft_id.clone(),
            precondition,
            document,
            drafts.ttl_days,
        )
        .await
        .map_err(|e| db_failure(&e))?;
    let response = match written {
        DraftWrite::Done {
            version,
            updated_at,
        } => (
            [(header::ETAG, etag(version))],
            Json(json!({ "version": version.to_string(), "updated_at": updated_at })),
        )
            .into_response(),
        DraftWrite::Conflict(current) => conflict(current.as_ref())?,
    };
    Ok(audited(&draft_id, response))
}

async fn remove(
    State(drafts): State<Drafts>,
    caller: Caller,
    draft_id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, Failure> {
    let draft_id = draft_id_of(draft_id)?;
    let precondition = precondition(&headers, false)?;
    let deleted = drafts
        .db
        .delete_draft(
            caller.partner_id,
            draft_id.clone(),
            precondition,
            drafts.ttl_days,
        )
        .await
        .map_err(|e| db_failure(&e))?
        .ok_or(Failure::NotFound)?;
    let response = match deleted {
        DraftWrite::Done { .. } => StatusCode::NO_CONTENT.into_response(),
        DraftWrite::Conflict(current) => conflict(current.as_ref())?,
    };
    Ok(audited(&draft_id, response))
}

/// The path's draft id, which must be a UUID written as the wizard writes one (lower-case,
/// hyphenated): no draft can live at any other address, so anything else is `404`.
fn draft_id_of(draft_id: Result<Path<String>, PathRejection>) -> Result<String, Failure> {
    let Ok(Path(draft_id)) = draft_id else {
        return Err(Failure::NotFound);
    };
    let canonical = Uuid::try_parse(&draft_id).map(|u| u.hyphenated().to_string());
    if canonical.as_deref() == Ok(draft_id.as_str()) {
        Ok(draft_id)
    } else {
        Err(Failure::NotFound)
    }
}

/// The request's conditional headers as what the write requires. `If-Match` is a list of
/// strong entity tags or `*`; a weak or unreadable tag matches nothing. `If-None-Match: *`
/// (only where `create` is allowed) requires that there be no draft. Both together can never
/// hold (RFC 9110 §13.2.2 evaluates both). Neither: `428`.
fn precondition(headers: &HeaderMap, create: bool) -> Result<Precondition, Failure> {
    let if_match = header_list(headers, header::IF_MATCH);
    let if_none_match = header_list(headers, header::IF_NONE_MATCH);
    let absent_required = create && if_none_match.as_deref() == Some(&["*".to_string()][..]);
    match (if_match, absent_required) {
        (Some(_), true) => Ok(Precondition::Version(Vec::new())),
        (Some(tags), false) if tags.iter().any(|t| t == "*") => Ok(Precondition::AnyVersion),
        (Some(tags), false) => Ok(Precondition::Version(
            tags.iter().filter_map(|t| version_of_etag(t)).collect(),
        )),
        (None, true) => Ok(Precondition::Absent),
        (None, false) => Err(Failure::PreconditionRequired),
    }
}

/// Every comma-separated entry of every `name` header, trimmed; `None` without the header.
fn header_list(headers: &HeaderMap, name: header::HeaderName) -> Option<Vec<String>> {
    let mut values = headers.get_all(name).iter().peekable();
    values.peek()?;
    Some(
        values
            .flat_map(|v| v.to_str().unwrap_or("").split(','))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
    )
}

/// `"12"` → 12; a weak tag (`W/"12"`) or anything else → `None`.
fn version_of_etag(tag: &str) -> Option<i64> {
    let inner = tag.strip_prefix('"')?.strip_suffix('"')?;
    if inner.is_empty() || !inner.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    inner.parse().ok()
}

fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// `{"draft_id", "version", "updated_at", "draft"}`: a stored copy as the API answers it.
fn copy_json(copy: &DraftCopy) -> Result<Value, Failure> {
    let document: Value = serde_json::from_str(&copy.document).map_err(|e| {
        eprintln!(
            "partner-backend: internal error: stored draft {} is not JSON: {e}",
            copy.draft_id
        );
        Failure::Internal
    })?;
    Ok(json!({
        "draft_id": copy.draft_id,
        "version": copy.version.to_string(),
        "updated_at": copy.updated_at,
        "draft": document,
    }))
}

/// `412 version_conflict` with the draft as it stands (and its `ETag`), or `"current": null`.
fn conflict(current: Option<&DraftCopy>) -> Result<Response, Failure> {
    let value = current.map(copy_json).transpose()?.unwrap_or(Value::Null);
    let mut response = Failure::VersionConflict { current: value }.into_response();
    if let Some(copy) = current {
        if let Ok(value) = HeaderValue::from_str(&etag(copy.version)) {
            response.headers_mut().insert(header::ETAG, value);
        }
    }
    Ok(response)
}

/// The answer with the draft's id for its audit line (in the `onboarding` column). The id has
/// been checked to be a UUID, so it cannot disturb the line.
fn audited(draft_id: &str, mut response: Response) -> Response {
    response
        .extensions_mut()
        .insert(AuditOnboarding(draft_id.to_string()));
    response
}

fn refused(field: &'static str, code: &'static str, message: &'static str) -> Failure {
    Failure::DraftRefused {
        field,
        code,
        message,
    }
}

/// The document of a `PUT` body (`{"draft": <stored draft>}`) as it is to be stored: the draft
/// codec's canonical encoding, after every check. No message quotes what was sent.
pub fn canonical_document(body: &[u8], draft_id: &str) -> Result<String, Failure> {
    let envelope: Value = serde_json::from_slice(body)
        .map_err(|_| Failure::MalformedRequest("it is not JSON".into()))?;
    let Some(draft) = envelope.as_object().and_then(|o| o.get("draft")) else {
        return Err(Failure::MalformedRequest(
            "send {\"draft\": <the stored draft>}".into(),
        ));
    };
    // The whole body: a password sent beside the draft is refused as well.
    if has_password_key(&envelope) {
        return Err(refused(
            "draft",
            "password_in_draft",
            "A draft never holds a password: remove every \"password\" key",
        ));
    }
    if has_private_key(&envelope) {
        return Err(refused(
            "draft",
            "private_key",
            "A draft never holds a private key: keep only the PBX's certificate",
        ));
    }
    // Any other reason the codec may come to give is unreadable too.
    let stored = draft_codec::decode(&draft.to_string()).map_err(|e| match e {
        DecodeError::FutureVersion(_) => refused(
            "draft",
            "draft_unreadable",
            "The draft was written by a newer version of the wizard than this server reads",
        ),
        _ => refused(
            "draft",
            "draft_unreadable",
            "The draft is not a stored draft the draft codec can read",
        ),
    })?;
    if stored.working.id != draft_id {
        return Err(refused(
            "draft.working.id",
            "draft_id_mismatch",
            "The draft's id must be the draft_id of its address",
        ));
    }
    if stored.saved.as_ref().is_some_and(|s| s.id != draft_id) {
        return Err(refused(
            "draft.saved.id",
            "draft_id_mismatch",
            "The saved checkpoint's id must be the draft_id of its address",
        ));
    }
    Ok(draft_codec::encode(&stored))
}

/// A key named `password` (in any case) at any depth.
fn has_password_key(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("password") || has_password_key(v)),
        Value::Array(items) => items.iter().any(has_password_key),
        _ => false,
    }
}

/// A private-key PEM block in any text at any depth (the certificate fields of `working` and
/// `saved` among them).
fn has_private_key(value: &Value) -> bool {
    match value {
        Value::String(text) => holds_private_key(text),
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| holds_private_key(k) || has_private_key(v)),
        Value::Array(items) => items.iter().any(has_private_key),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        map
    }

    #[test]
    fn conditional_headers() {
        let p = |pairs: &[(&str, &str)], create| precondition(&headers(pairs), create);
        assert!(matches!(p(&[], true), Err(Failure::PreconditionRequired)));
        assert!(matches!(
            p(&[("if-none-match", "\"3\"")], true),
            Err(Failure::PreconditionRequired)
        ));
        assert!(matches!(
            p(&[("if-none-match", "*")], false),
            Err(Failure::PreconditionRequired)
        ));
        assert_eq!(
            p(&[("if-none-match", "*")], true).unwrap(),
            Precondition::Absent
        );
        assert_eq!(
            p(
                &[("if-match", "\"3\", W/\"4\", \"x\""), ("if-match", "\"5\"")],
                true
            )
            .unwrap(),
            Precondition::Version(vec![3, 5])
        );
        assert_eq!(
            p(&[("if-match", "*")], false).unwrap(),
            Precondition::AnyVersion
        );
        assert_eq!(
            p(&[("if-match", "\"3\""), ("if-none-match", "*")], true).unwrap(),
            Precondition::Version(vec![])
        );
    }

    #[test]
    fn passwords_and_private_keys_are_found_at_any_depth() {
        assert!(has_password_key(&json!({"a": [{"b": {"Password": ""}}]})));
        assert!(!has_password_key(
            &json!({"a": "password", "passwords_ok": 1})
        ));
        let key = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----";
        assert!(has_private_key(&json!({"a": [{"certificate_pem": key}]})));
        assert!(!has_private_key(
            &json!({"a": "-----BEGIN CERTIFICATE-----"})
        ));
    }
}
