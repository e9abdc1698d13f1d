//! Sessions and sign-in links (SPEC "Partners and sessions"): `POST /sessions`, `GET /session`
//! and `POST /signin-links` under `api_base_url`, and `GET /signin` on the wizard's origin,
//! which spends a link's one-time code and leaves the session in a cookie.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::api::BODY_LIMIT;
use crate::auth::{self, db_failure, Auth, Caller, Role, Via, SESSION_COOKIE};
use crate::db::{Partner, SigninCode};
use crate::errors::Failure;
use crate::shell::Locales;

/// The longest `user` kept: an opaque id for the audit trail, not a document.
const USER_MAX_CHARS: usize = 256;

/// The API's session routes, relative to `api_base_url`.
pub fn api_routes(auth: Auth) -> Router {
    Router::new()
        .route("/sessions", post(create_session))
        .route("/session", get(current_session))
        .route("/signin-links", post(create_signin_link))
        .with_state(auth)
}

/// `GET /signin` on the wizard's origin.
pub fn signin_router(auth: Auth, dashboard_url: String) -> Router {
    Router::new()
        .route("/signin", get(sign_in))
        .with_state(Signin {
            auth,
            dashboard_url: dashboard_url.into(),
            locales: Arc::new(Locales::embedded()),
        })
}

#[derive(Deserialize)]
struct NewSession {
    role: Role,
    #[serde(default)]
    user: Option<String>,
}

#[derive(Deserialize)]
struct NewSigninLink {
    role: Role,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    draft_id: Option<String>,
}

async fn create_session(
    State(auth): State<Auth>,
    caller: Caller,
    body: Result<Json<NewSession>, JsonRejection>,
) -> Result<Response, Failure> {
    let partner = minting_partner(caller)?;
    let request = json_body(body)?;
    let user = checked_user(request.user)?;
    let session = auth.mint(&partner, request.role, user);
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "session": session.token,
            "partner_id": partner.id,
            "role": request.role.as_str(),
            "expires_at": auth::rfc3339(session.expires_at_ms),
        })),
    )
        .into_response())
}

async fn current_session(caller: Caller) -> Result<Json<Value>, Failure> {
    let (Via::Session { expires_at_ms }, Some(role)) = (caller.via, caller.role) else {
        return Err(Failure::WrongCredential(
            "This route reads a session; a secret key has none",
        ));
    };
    Ok(Json(json!({
        "partner_id": caller.partner_id,
        "partner_name": caller.partner_name,
        "role": role.as_str(),
        "expires_at": auth::rfc3339(expires_at_ms),
    })))
}

async fn create_signin_link(
    State(auth): State<Auth>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Json<NewSigninLink>, JsonRejection>,
) -> Result<Response, Failure> {
    let partner = minting_partner(caller)?;
    let request = json_body(body)?;
    let user = checked_user(request.user)?;
    // The id becomes part of the redirect's path: only a UUID, in its canonical form.
    let draft_id = request
        .draft_id
        .map(|id| {
            Uuid::try_parse(&id)
                .map(|uuid| uuid.to_string())
                .map_err(|_| Failure::MalformedRequest("draft_id must be a UUID".into()))
        })
        .transpose()?;
    let origin = wizard_origin(&auth, &headers)?;
    let (code, code_hash) = auth::new_signin_code();
    let now = auth::now_ms();
    let expires_at_ms = now + auth::duration_ms(auth.options.signin_link_ttl);
    let stored = SigninCode {
        partner_id: partner.id,
        key_generation: partner.key_generation,
        role: request.role.as_str().to_string(),
        user,
        draft_id,
        expires_at_ms,
    };
    auth.db
        .store_signin_code(code_hash, stored, now)
        .await
        .map_err(|e| db_failure(&e))?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "url": format!("{origin}/signin?code={code}"),
            "expires_at": auth::rfc3339(expires_at_ms),
        })),
    )
        .into_response())
}

/// Only the partner's server mints sessions and links: with its secret key, never with a
/// session (which would let a session outlive its expiry by renewing itself). The partner is
/// the key's, whatever the body says.
fn minting_partner(caller: Caller) -> Result<Partner, Failure> {
    match caller.via {
        Via::SecretKey { key_generation } => Ok(Partner {
            id: caller.partner_id,
            name: caller.partner_name,
            key_generation,
        }),
        Via::Session { .. } => Err(Failure::WrongCredential(
            "Sessions and sign-in links are minted with the partner's secret key, not a session",
        )),
    }
}

fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, Failure> {
    body.map(|Json(value)| value)
        .map_err(|rejection| match rejection.status() {
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Failure::UnsupportedMediaType,
            StatusCode::PAYLOAD_TOO_LARGE => Failure::TooLarge { limit: BODY_LIMIT },
            _ => Failure::MalformedRequest(rejection.body_text()),
        })
}

fn checked_user(user: Option<String>) -> Result<Option<String>, Failure> {
    match user {
        Some(u) if u.chars().count() > USER_MAX_CHARS || u.chars().any(char::is_control) => {
            Err(Failure::MalformedRequest(format!(
                "user must be at most {USER_MAX_CHARS} characters, without control characters"
            )))
        }
        user => Ok(user),
    }
}

/// `--wizard-origin`, else the origin this request was sent to (the reference backend serves
/// the wizard itself).
fn wizard_origin(auth: &Auth, headers: &HeaderMap) -> Result<String, Failure> {
    if let Some(origin) = &auth.options.wizard_origin {
        return Ok(origin.clone());
    }
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|host| format!("http://{host}"))
        .filter(|origin| crate::settings::is_origin(origin))
        .ok_or_else(|| Failure::MalformedRequest("no usable Host header".into()))
}

#[derive(Clone)]
struct Signin {
    auth: Auth,
    dashboard_url: Arc<str>,
    locales: Arc<Locales>,
}

/// Spends the code (it is deleted whatever follows, so it never works twice), then sets the
/// session cookie and sends the partner into the wizard.
async fn sign_in(State(signin): State<Signin>, uri: Uri, headers: HeaderMap) -> Response {
    let code = uri.query().and_then(|q| {
        q.split('&')
            .find_map(|pair| pair.strip_prefix("code="))
            .filter(|c| !c.is_empty())
    });
    let stored = match code {
        Some(code) => match signin
            .auth
            .db
            .take_signin_code(auth::hash_secret(code))
            .await
        {
            Ok(stored) => stored,
            Err(e) => return db_failure(&e).into_response(),
        },
        None => None,
    };
    let Some(stored) = stored.filter(|s| auth::now_ms() < s.expires_at_ms) else {
        return invalid_link_page(&signin, &uri, &headers);
    };
    // The partner must still hold the key that minted the link.
    let partner = match signin.auth.db.partner(stored.partner_id.clone()).await {
        Ok(partner) => partner.filter(|p| p.key_generation == stored.key_generation),
        Err(e) => return db_failure(&e).into_response(),
    };
    let (Some(partner), Some(role)) = (partner, Role::parse(&stored.role)) else {
        return invalid_link_page(&signin, &uri, &headers);
    };
    let session = signin.auth.mint(&partner, role, stored.user);
    let secure = signin
        .auth
        .options
        .wizard_origin
        .as_deref()
        .is_some_and(|o| o.starts_with("https://"));
    let cookie = format!(
        "{SESSION_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}",
        session.token,
        signin.auth.options.session_ttl.as_secs(),
        if secure { "; Secure" } else { "" }
    );
    let location = match &stored.draft_id {
        Some(draft_id) => format!("/onboarding/{draft_id}/customer"),
        None => "/".to_string(),
    };
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    // A token made of base64url characters and dots is always a valid header value.
    if let (Ok(cookie), Ok(location)) = (
        HeaderValue::from_str(&cookie),
        HeaderValue::from_str(&location),
    ) {
        headers.insert(header::SET_COOKIE, cookie);
        headers.insert(header::LOCATION, location);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The page's texts. They live here rather than in `locales/*.json`: those files are compiled
/// into the wizard's wasm, whose first-load size has a hard ceiling, and the wizard never
/// shows these. The language is chosen exactly as for the app's shell.
fn texts(lang: &str) -> [&'static str; 3] {
    match lang {
        "es" => [
            "Este enlace de inicio de sesión ya no es válido",
            "Los enlaces de inicio de sesión funcionan una sola vez y durante 5 minutos. \
             Este ya se usó, venció o no es válido. Regrese a su panel y vuelva a abrir la \
             incorporación para obtener un enlace nuevo.",
            "Regresar al panel",
        ],
        _ => [
            "This sign-in link no longer works",
            "Sign-in links work once, for 5 minutes. This one has been used, has expired or \
             is not valid. Go back to your dashboard and open the onboarding again to get a \
             new link.",
            "Back to the dashboard",
        ],
    }
}

/// A plain page without script or style, so the backend's CSP holds for it as it is.
fn invalid_link_page(signin: &Signin, uri: &Uri, headers: &HeaderMap) -> Response {
    let lang = signin.locales.choose(uri.query(), headers);
    let lang = if lang == "es" { "es" } else { "en" };
    let [title, body, link] = texts(lang);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head>\n<body><main><h1>{title}</h1><p>{body}</p>\
         <p><a href=\"{href}\">{link}</a></p></main></body></html>\n",
        href = escape_attribute(&signin.dashboard_url),
    );
    (
        StatusCode::GONE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::VARY, "Accept-Language"),
        ],
        html,
    )
        .into_response()
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
