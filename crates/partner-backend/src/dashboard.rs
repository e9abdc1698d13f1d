//! The demo partner dashboard (`--dashboard-addr`): a host page on a second origin that embeds
//! the wizard in an iframe, as a partner's own portal would. Its files are plain static files
//! (`--dashboard-dir`, default `dashboard`); `GET /dashboard-config.json` tells the page where
//! the wizard is, so the page needs no inline script.
//!
//! It is also the partner's *server* (`--dashboard-key-file`): the `/partner/…` routes call the
//! wizard's API with the partner's secret key, exactly as a partner's backend would, and hand
//! the page only what it may hold (a session, a sign-in link, the lists of onboardings and of
//! account drafts). The key is read from its file for every call (a rotated key works without a
//! restart) and never leaves this process: not in a response, a URL or a log line.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::{Role, SECRET_KEY_PREFIX};
use crate::StartupError;

/// How long one call to the wizard's API may take before the page is told it failed.
const API_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest answer read from the wizard's API (a long list of onboardings fits).
const API_ANSWER_LIMIT: u64 = 4 * 1024 * 1024;
/// The opaque user the demo's sessions are minted for (the API's audit trail names it).
const DEMO_USER: &str = "demo-user";

/// The dashboard's policy: its own scripts, styles and requests only, the wizard as the one
/// origin it may frame, and no framing of the dashboard itself.
pub fn content_security_policy(wizard_origin: &str) -> String {
    [
        "default-src 'self'".to_string(),
        "script-src 'self'".to_string(),
        "style-src 'self'".to_string(),
        format!("frame-src {wizard_origin}"),
        "connect-src 'self'".to_string(),
        "object-src 'none'".to_string(),
        "base-uri 'none'".to_string(),
        "frame-ancestors 'none'".to_string(),
    ]
    .join("; ")
}

/// The partner's server side of the dashboard: where its secret key is and where the wizard's
/// API is.
#[derive(Clone)]
pub struct PartnerServer {
    key_file: PathBuf,
    /// `{wizard origin}{api_base_url}`, or an absolute `api_base_url` as it is.
    api_url: String,
    agent: ureq::Agent,
}

impl std::fmt::Debug for PartnerServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartnerServer")
            .field("key_file", &self.key_file)
            .field("api_url", &self.api_url)
            .finish_non_exhaustive()
    }
}

impl PartnerServer {
    /// The key in `key_file`, used against the API at `api_base_url` (config.json's), resolved
    /// against `wizard_origin` when it is a path.
    pub fn new(
        key_file: PathBuf,
        wizard_origin: &str,
        api_base_url: &str,
    ) -> Result<PartnerServer, StartupError> {
        let base = api_base_url.trim_end_matches('/');
        let api_url = if base.starts_with('/') || base.is_empty() {
            format!("{wizard_origin}{base}")
        } else {
            base.to_string()
        };
        // ureq is built without a TLS stack: a demo on loopback needs none.
        if !api_url.starts_with("http://") {
            return Err(StartupError(format!(
                "--dashboard-key-file: the demo dashboard calls the wizard's API over plain http, \
                 and {api_url} is not http (build ureq with its rustls feature for https)"
            )));
        }
        if !key_file.is_file() {
            eprintln!(
                "partner-backend: warning: the dashboard's key file {} does not exist (yet); \
                 the dashboard cannot sign in until it does",
                key_file.display()
            );
        }
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(API_TIMEOUT))
            .http_status_as_error(false)
            // A redirect would carry the request (and its key) somewhere else: none is expected.
            .max_redirects(0)
            .build()
            .into();
        Ok(PartnerServer {
            key_file,
            api_url,
            agent,
        })
    }

    /// The partner's secret key, read now. Its text is never put in an error.
    fn secret_key(&self) -> Result<String, Refusal> {
        let text = std::fs::read_to_string(&self.key_file).map_err(|e| {
            eprintln!(
                "partner-backend: dashboard: cannot read the partner key file {}: {e}",
                self.key_file.display()
            );
            Refusal::KeyUnusable(if e.kind() == std::io::ErrorKind::NotFound {
                "The dashboard's partner key file (--dashboard-key-file) does not exist."
            } else {
                "The dashboard's partner key file (--dashboard-key-file) cannot be read."
            })
        })?;
        let key = text.trim();
        let well_formed = key.strip_prefix(SECRET_KEY_PREFIX).is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
        if !well_formed {
            return Err(Refusal::KeyUnusable(
                "The dashboard's partner key file (--dashboard-key-file) does not hold a \
                 partner secret key (onb_sk_…).",
            ));
        }
        Ok(key.to_string())
    }

    /// One call to the wizard's API with the secret key: `POST` with `body`, else `GET`. Blocks.
    fn call(&self, path: &str, body: Option<Value>) -> Result<Value, Refusal> {
        let key = self.secret_key()?;
        self.call_with(&key, path, body)
            // Belt and braces: nothing from the exchange may carry the key back out.
            .map_err(|refusal| refusal.without(&key))
    }

    fn call_with(&self, key: &str, path: &str, body: Option<Value>) -> Result<Value, Refusal> {
        let url = format!("{}{path}", self.api_url);
        let method = if body.is_some() { "POST" } else { "GET" };
        let authorization = format!("Bearer {key}");
        let sent = match body {
            Some(body) => self
                .agent
                .post(&url)
                .header(header::AUTHORIZATION, &authorization)
                .header(header::CONTENT_TYPE, "application/json")
                .send(body.to_string().as_bytes()),
            None => self
                .agent
                .get(&url)
                .header(header::AUTHORIZATION, &authorization)
                .call(),
        };
        let mut response = sent.map_err(|e| {
            Refusal::Upstream(format!(
                "The wizard's API at {} could not be reached ({e}).",
                self.api_url
            ))
        })?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(API_ANSWER_LIMIT)
            .read_to_string()
            .map_err(|e| {
                Refusal::Upstream(format!(
                    "The wizard's API answer to {method} {path} was cut short ({e})."
                ))
            })?;
        if !(200..300).contains(&status) {
            return Err(Refusal::Upstream(refused_call(method, path, status, &text)));
        }
        serde_json::from_str(&text).map_err(|_| {
            Refusal::Upstream(format!(
                "The wizard's API answered {method} {path} with something other than JSON."
            ))
        })
    }

    /// `POST /sessions` for the demo user as `role`.
    fn create_session(&self, role: Role) -> Result<Value, Refusal> {
        let answer = self.call(
            "/sessions",
            Some(json!({ "role": role.as_str(), "user": DEMO_USER })),
        )?;
        pick(
            &answer,
            &["session", "partner_id", "role", "expires_at"],
            "/sessions",
        )
    }

    /// `POST /signin-links`, for `draft_id` when given.
    fn create_signin_link(&self, role: Role, draft_id: Option<String>) -> Result<Value, Refusal> {
        let mut body = json!({ "role": role.as_str(), "user": DEMO_USER });
        if let Some(draft_id) = draft_id {
            body["draft_id"] = json!(draft_id);
        }
        let answer = self.call("/signin-links", Some(body))?;
        let link = pick(&answer, &["url", "expires_at"], "/signin-links")?;
        // The page opens it: only a web address, never `javascript:` or the like.
        if !link["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("http://") || u.starts_with("https://"))
        {
            return Err(Refusal::Upstream(
                "The wizard's API answered /signin-links with a url that is not a web address."
                    .into(),
            ));
        }
        Ok(link)
    }

    /// `GET /onboardings`, each entry reduced to what the page lists.
    fn list_onboardings(&self) -> Result<Value, Refusal> {
        self.list(
            "/onboardings",
            "onboardings",
            &["id", "draft_id", "customer_name", "received_at", "status"],
        )
    }

    /// `GET /drafts` (the partner's account drafts, newest first), each entry reduced to what
    /// the page lists: never the draft document itself.
    fn list_drafts(&self) -> Result<Value, Refusal> {
        self.list(
            "/drafts",
            "drafts",
            &[
                "draft_id",
                "customer_name",
                "current_step",
                "updated_at",
                "version",
            ],
        )
    }

    /// `GET path`, whose answer holds the array `name`; each entry keeps only `fields` (a
    /// missing one is `null`), in the API's order.
    fn list(&self, path: &str, name: &str, fields: &[&str]) -> Result<Value, Refusal> {
        let answer = self.call(path, None)?;
        let Some(entries) = answer[name].as_array() else {
            return Err(Refusal::Upstream(format!(
                "The wizard's API answered {path} without the list {name}."
            )));
        };
        let listed: Vec<Value> = entries
            .iter()
            .map(|entry| {
                let kept = fields
                    .iter()
                    .map(|&f| (f.to_string(), entry.get(f).cloned().unwrap_or(Value::Null)));
                Value::Object(kept.collect())
            })
            .collect();
        Ok(json!({ name: listed }))
    }
}

/// The fields the page needs from an answer, each a string; anything else is dropped.
fn pick(answer: &Value, fields: &[&str], path: &str) -> Result<Value, Refusal> {
    let mut picked = serde_json::Map::new();
    for &field in fields {
        let Some(value) = answer.get(field).and_then(Value::as_str) else {
            return Err(Refusal::Upstream(format!(
                "The wizard's API answered {path} without {field}."
            )));
        };
        picked.insert(field.to_string(), json!(value));
    }
    Ok(Value::Object(picked))
}

/// What the page is told when the API refused a call: the status and the API's error code
/// (a word; the API's free text is not relayed), and what to do about a refused key.
fn refused_call(method: &str, path: &str, status: u16, text: &str) -> String {
    let code = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v["errors"][0]["code"].as_str().map(str::to_string))
        .filter(|c| c.len() <= 64 && c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
    let said = match &code {
        Some(code) => format!("{status} {code}"),
        None => status.to_string(),
    };
    match status {
        401 | 403 => format!(
            "The wizard's API refused the partner key ({said} to {method} {path}). The key in the \
             dashboard's key file may have been rotated, or its partner removed: put a current \
             key there (partner-backend --db data/onboarding.db partners rotate demo > \
             data/demo-partner.key) and try again."
        ),
        404 | 405 => format!(
            "The wizard's API has no {method} {path} (it answered {said}): it may be an older \
             version."
        ),
        _ => format!("The wizard's API answered {said} to {method} {path}."),
    }
}

/// Why a `/partner/…` route did not do what was asked; a JSON body the page shows as it is.
#[derive(Debug)]
enum Refusal {
    /// No `--dashboard-key-file`.
    NoKeyConfigured,
    /// The key file is missing, unreadable or holds no key.
    KeyUnusable(&'static str),
    /// The wizard's API could not be reached, or refused the call.
    Upstream(String),
    /// A cross-site request (or one that does not say where it comes from).
    CrossSite,
    BadRequest(&'static str),
}

impl Refusal {
    fn without(self, key: &str) -> Refusal {
        match self {
            Refusal::Upstream(message) => Refusal::Upstream(message.replace(key, "onb_sk_…")),
            other => other,
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            Refusal::NoKeyConfigured => (
                StatusCode::SERVICE_UNAVAILABLE,
                "no_partner_key",
                "No partner key is configured, so the dashboard cannot sign in to the wizard. \
                 Add a partner and keep its key in a file (partner-backend --db \
                 data/onboarding.db partners add demo --name \"Demo Partner\" > \
                 data/demo-partner.key), then start the server with --dashboard-key-file \
                 data/demo-partner.key. scripts/run.sh does both."
                    .to_string(),
            ),
            Refusal::KeyUnusable(why) => (
                StatusCode::BAD_GATEWAY,
                "partner_key_unusable",
                format!(
                    "{why} Write a partner's secret key there (partner-backend --db \
                     data/onboarding.db partners add demo --name \"Demo Partner\" > \
                     data/demo-partner.key, or partners rotate demo for an existing partner)."
                ),
            ),
            Refusal::Upstream(message) => {
                eprintln!("partner-backend: dashboard: {message}");
                (StatusCode::BAD_GATEWAY, "wizard_api_failed", message)
            }
            Refusal::CrossSite => (
                StatusCode::FORBIDDEN,
                "cross_site",
                "Only the dashboard's own pages may use this route.".to_string(),
            ),
            Refusal::BadRequest(why) => (StatusCode::BAD_REQUEST, "bad_request", why.to_string()),
        };
        let mut response =
            (status, Json(json!({ "code": code, "message": message }))).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

/// The `/partner/…` routes' state: the partner's server, when a key is configured.
type Partner = Option<Arc<PartnerServer>>;

/// Runs `call` against the partner's server off the async runtime (ureq blocks), and answers
/// its result as JSON that no cache keeps.
async fn relay(
    partner: Partner,
    call: impl FnOnce(&PartnerServer) -> Result<Value, Refusal> + Send + 'static,
) -> Response {
    let Some(server) = partner else {
        return Refusal::NoKeyConfigured.into_response();
    };
    let answer = tokio::task::spawn_blocking(move || call(&server))
        .await
        .unwrap_or_else(|_| {
            Err(Refusal::Upstream(
                "The call to the wizard's API failed.".into(),
            ))
        });
    match answer {
        Ok(value) => {
            let mut response = Json(value).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(refusal) => refusal.into_response(),
    }
}

#[derive(Default, Deserialize)]
struct SessionRequest {
    #[serde(default)]
    role: Option<Role>,
}

#[derive(Default, Deserialize)]
struct SigninLinkRequest {
    #[serde(default)]
    role: Option<Role>,
    #[serde(default)]
    draft_id: Option<String>,
}

/// An empty body is `{}`: the page may post nothing.
fn optional_json<T: Default + for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|_| {
        Refusal::BadRequest("The body must be JSON like {\"role\": \"partner\"} or empty.")
    })
}

/// `POST /partner/session` `{role?}` → `{session, partner_id, role, expires_at}`.
async fn create_session(State(partner): State<Partner>, body: Bytes) -> Response {
    match optional_json::<SessionRequest>(&body) {
        Ok(request) => {
            let role = request.role.unwrap_or(Role::Partner);
            relay(partner, move |server| server.create_session(role)).await
        }
        Err(refusal) => refusal.into_response(),
    }
}

/// `POST /partner/signin-link` `{role?, draft_id?}` → `{url, expires_at}`: a new one each time.
async fn create_signin_link(State(partner): State<Partner>, body: Bytes) -> Response {
    let request = match optional_json::<SigninLinkRequest>(&body) {
        Ok(request) => request,
        Err(refusal) => return refusal.into_response(),
    };
    let draft_id = match request.draft_id.map(|id| uuid::Uuid::try_parse(&id)) {
        None => None,
        Some(Ok(id)) => Some(id.to_string()),
        Some(Err(_)) => return Refusal::BadRequest("draft_id must be a UUID.").into_response(),
    };
    let role = request.role.unwrap_or(Role::Partner);
    relay(partner, move |server| {
        server.create_signin_link(role, draft_id)
    })
    .await
}

/// `GET /partner/onboardings` → `{onboardings: [{id, draft_id, customer_name, received_at,
/// status}]}`, the partner's, as the API lists them.
async fn list_onboardings(State(partner): State<Partner>) -> Response {
    relay(partner, |server| server.list_onboardings()).await
}

/// `GET /partner/drafts` → `{drafts: [{draft_id, customer_name, current_step, updated_at,
/// version}]}`, the partner's account drafts as the API lists them (newest first). The page
/// resumes one by its id: the wizard fetches a draft its device lacks from the account.
async fn list_drafts(State(partner): State<Partner>) -> Response {
    relay(partner, |server| server.list_drafts()).await
}

/// Refuses a `/partner/…` request that another site's page could have made. A POST must say it
/// comes from this origin (`Sec-Fetch-Site: same-origin`, or an `Origin` equal to this one); a
/// GET may say nothing (a reader cannot read it cross-origin anyway) but not another site.
async fn same_origin_only(request: Request, next: Next) -> Response {
    if is_same_origin(request.method(), request.headers()) {
        next.run(request).await
    } else {
        Refusal::CrossSite.into_response()
    }
}

fn is_same_origin(method: &Method, headers: &HeaderMap) -> bool {
    // This origin as the browser names it. Only an IP address or `localhost` counts as this
    // host: a DNS-rebinding page (another name pointed at this address) would otherwise be
    // "same-origin" with itself. A real portal compares with its one public origin instead.
    let Some(host) = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| is_local_host(h))
    else {
        return false;
    };
    let own_origin = format!("http://{host}");
    let fetch_site = headers.get("sec-fetch-site").map(HeaderValue::as_bytes);
    let origin = headers.get(header::ORIGIN).map(HeaderValue::as_bytes);
    if origin.is_some_and(|o| o != own_origin.as_bytes()) {
        return false;
    }
    match fetch_site {
        Some(b"same-origin") => true,
        // `none`: typed in the address bar, which only a GET can be.
        Some(b"none") => method == Method::GET,
        Some(_) => false,
        None => method == Method::GET || origin.is_some(),
    }
}

/// `127.0.0.1:8081`, `[::1]:8081`, `localhost:8081` (with or without the port).
fn is_local_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !name.ends_with(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            name
        }
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok()
}

/// The dashboard's site without a partner key: its pages say that none is configured.
pub fn app(dir: &Path, wizard_origin: &str) -> Result<Router, StartupError> {
    app_with_partner(dir, wizard_origin, None)
}

/// The dashboard's site: the files of `dir` (`/` is its `index.html`),
/// `/dashboard-config.json`, and the partner's server routes under `/partner/`, every response
/// with the dashboard's own security headers.
pub fn app_with_partner(
    dir: &Path,
    wizard_origin: &str,
    partner: Option<PartnerServer>,
) -> Result<Router, StartupError> {
    if !crate::settings::is_origin(wizard_origin) {
        return Err(StartupError(format!(
            "--wizard-origin {wizard_origin:?} is not an origin like https://wizard.example or http://127.0.0.1:8080"
        )));
    }
    if !dir.join("index.html").is_file() {
        return Err(StartupError(format!(
            "no dashboard in {}: index.html is missing (see --dashboard-dir)",
            dir.display()
        )));
    }
    let csp = HeaderValue::from_str(&content_security_policy(wizard_origin))
        .map_err(|e| StartupError(format!("--wizard-origin: {e}")))?;
    let config = json!({ "wizard_origin": wizard_origin });
    let partner_routes = Router::new()
        .route("/session", post(create_session))
        .route("/signin-link", post(create_signin_link))
        .route("/onboardings", get(list_onboardings))
        .route("/drafts", get(list_drafts))
        .layer(middleware::from_fn(same_origin_only))
        .with_state(partner.map(Arc::new));
    Ok(Router::new()
        .route(
            "/dashboard-config.json",
            get(move || async move { Json(config) }),
        )
        .nest("/partner", partner_routes)
        .fallback_service(ServeDir::new(dir))
        // A demo edited in place: browsers revalidate every file (the partner routes say
        // `no-store` themselves).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // Not `no-referrer`: where `location.ancestorOrigins` is missing (Firefox) the wizard
        // learns its parent's origin from the referrer.
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_frames_only_the_wizard() {
        let csp = content_security_policy("http://127.0.0.1:8080");
        assert_eq!(
            csp,
            "default-src 'self'; script-src 'self'; style-src 'self'; \
             frame-src http://127.0.0.1:8080; connect-src 'self'; object-src 'none'; \
             base-uri 'none'; frame-ancestors 'none'"
        );
    }

    #[test]
    fn refuses_a_bad_origin_or_a_missing_page() {
        let dir = tempfile::tempdir().unwrap();
        assert!(app(dir.path(), "http://127.0.0.1:8080")
            .unwrap_err()
            .to_string()
            .contains("index.html"));
        std::fs::write(dir.path().join("index.html"), "<!DOCTYPE html>").unwrap();
        for bad in [
            "*",
            "127.0.0.1:8080",
            "http://a.example/",
            "http://a.example; x",
        ] {
            assert!(app(dir.path(), bad).is_err(), "{bad}");
        }
        assert!(app(dir.path(), "http://127.0.0.1:8080").is_ok());
    }

    #[test]
    fn the_partner_server_calls_a_plain_http_api() {
        let key = PathBuf::from("/nonexistent/key");
        let server = PartnerServer::new(key.clone(), "http://127.0.0.1:8080", "/api/").unwrap();
        assert_eq!(server.api_url, "http://127.0.0.1:8080/api");
        let server =
            PartnerServer::new(key.clone(), "http://w.example", "http://a.example/v1").unwrap();
        assert_eq!(server.api_url, "http://a.example/v1");
        let https = PartnerServer::new(key.clone(), "https://w.example", "/api").unwrap_err();
        assert!(https.to_string().contains("plain http"), "{https}");
        assert!(PartnerServer::new(key, "http://w.example", "https://a.example/api").is_err());
    }

    #[test]
    fn only_addresses_and_localhost_are_this_host() {
        for local in [
            "127.0.0.1:8081",
            "127.0.0.1",
            "[::1]:8081",
            "localhost:8081",
            "LOCALHOST",
            "10.0.0.5:80",
        ] {
            assert!(is_local_host(local), "{local}");
        }
        for other in [
            "evil.example",
            "evil.example:8081",
            "127.0.0.1.evil.example:80",
            "",
            "[::1]x",
        ] {
            assert!(!is_local_host(other), "{other}");
        }
    }
}
