//! One audit line per API request, in logfmt, written when the answer leaves:
//!
//! ```text
//! audit time=2026-12-07T21:16:47.123Z partner=- method=POST route=/api/onboardings status=201 onboarding=6f1c…
//! ```
//!
//! What is logged is chosen so that the line can be kept and shipped anywhere: the route is the
//! matched path *template* (`/api/onboardings/{id}`; `-` when no route matched), never the path
//! or query string sent; no body, no header value, no password, key or session ever appears.
//!
//! - `partner` is the partner proven by authentication. This layer puts a fresh [`CallerSlot`]
//!   in each request's extensions; the `Caller` extractor (`crate::auth`) fills it when it
//!   accepts a credential, so every route that takes a caller is audited with its partner
//!   without its handler doing anything — even when the handler then refuses the request. (A
//!   request extension merely *inserted* inside this layer would not be seen from here; the
//!   slot is shared.) An [`AuditPartner`] extension, on the response (an inner layer or
//!   handler) or on the request (an outer layer), is read as well. Without a credential it is
//!   `-`. The body's `partner_id` is a claim, not proof, and reading it here would mean
//!   buffering every body; it is never used.
//! - `onboarding` is the id of the onboarding the answer created or read, from the
//!   [`AuditOnboarding`] extension the handler sets on its response; `-` otherwise.

use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;

/// The partner a request was authenticated as (set by the auth layer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditPartner(pub String);

/// Where the authentication of one request records its partner for that request's line: put
/// in the request's extensions by [`AuditLog::layer`], filled by [`record_partner`].
#[derive(Clone, Debug, Default)]
pub struct CallerSlot(Arc<OnceLock<String>>);

/// Records `partner_id` as the authenticated partner of the request whose extensions these
/// are (the first recorded stands). Outside an audited router it does nothing.
pub fn record_partner(extensions: &axum::http::Extensions, partner_id: &str) {
    if let Some(slot) = extensions.get::<CallerSlot>() {
        let _ = slot.0.set(partner_id.to_string());
    }
}

/// The onboarding a response created or read (set by the handler).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditOnboarding(pub String);

/// Where audit lines go: standard error in the server, a buffer in tests.
#[derive(Clone)]
pub struct AuditLog {
    sink: Arc<dyn Fn(&str) + Send + Sync>,
}

impl AuditLog {
    /// Each line to standard error.
    pub fn stderr() -> AuditLog {
        AuditLog::new(|line| eprintln!("{line}"))
    }

    /// Each line (without its newline) to `sink`.
    pub fn new(sink: impl Fn(&str) + Send + Sync + 'static) -> AuditLog {
        AuditLog {
            sink: Arc::new(sink),
        }
    }

    /// `router` with a line logged for every request it answers, its fallbacks included.
    pub fn layer<S: Clone + Send + Sync + 'static>(&self, router: Router<S>) -> Router<S> {
        router.layer(middleware::from_fn_with_state(self.clone(), audit))
    }
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditLog(..)")
    }
}

async fn audit(State(log): State<AuditLog>, mut request: Request, next: Next) -> Response {
    let time = rfc3339(SystemTime::now());
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_string())
        // A fallback inside a nested router matches axum's own catch-all: no route of ours.
        .filter(|path| !path.contains("__private__"));
    let authenticated = request.extensions().get::<AuditPartner>().cloned();
    let slot = CallerSlot::default();
    request.extensions_mut().insert(slot.clone());
    let response = next.run(request).await;
    let partner = response
        .extensions()
        .get::<AuditPartner>()
        .cloned()
        .or_else(|| slot.0.get().cloned().map(AuditPartner))
        .or(authenticated);
    let onboarding = response.extensions().get::<AuditOnboarding>();
    let line = format!(
        "audit time={time} partner={} method={} route={} status={} onboarding={}",
        value(partner.as_ref().map(|p| p.0.as_str())),
        value(Some(method.as_str())),
        value(route.as_deref()),
        response.status().as_u16(),
        value(onboarding.map(|o| o.0.as_str())),
    );
    (log.sink)(&line);
    response
}

/// A logfmt value: bare when it is plain printable ASCII, else quoted with Rust's escapes (so a
/// value can never break the line or forge another key); `-` when absent.
fn value(v: Option<&str>) -> String {
    match v {
        None => "-".into(),
        Some(v)
            if !v.is_empty()
                && v.bytes()
                    .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'=' | b'\\')) =>
        {
            v.into()
        }
        Some(v) => format!("{v:?}"),
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` (RFC 3339, UTC, milliseconds).
fn rfc3339(time: SystemTime) -> String {
    let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since_epoch.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        since_epoch.subsec_millis()
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn times_are_rfc3339_utc_with_milliseconds() {
        let at = |secs: u64, millis: u64| {
            rfc3339(UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(millis))
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(at(1_700_000_000, 999), "2023-11-14T22:13:20.999Z");
        assert_eq!(at(4_102_444_799, 0), "2099-12-31T23:59:59.000Z");
    }

    /// The partner comes from the request's `CallerSlot` (filled by the `Caller` extractor), or
    /// an `AuditPartner` extension: on the response when an inner layer or handler
    /// authenticated the request, on the request when an outer layer did.
    #[tokio::test]
    async fn the_partner_is_the_authenticated_one_from_an_extension() {
        use axum::body::Body;
        use axum::http::Request;
        use axum::routing::get;
        use axum::Extension;
        use tower::ServiceExt;

        let lines = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let sink = Arc::clone(&lines);
        let log = AuditLog::new(move |line| sink.lock().unwrap().push(line.into()));
        let router = log.layer(
            Router::new()
                .route(
                    "/inner/{id}",
                    get(|| async { (Extension(AuditPartner("partner 7".into())), "ok") }),
                )
                .route("/outer", get(|| async { "ok" }))
                .route(
                    "/extracted",
                    get(|request: Request<Body>| async move {
                        record_partner(request.extensions(), "acme");
                        "ok"
                    }),
                ),
        );
        let outer = router.clone().layer(axum::middleware::from_fn(
            |mut request: Request<Body>, next: Next| async move {
                request
                    .extensions_mut()
                    .insert(AuditPartner("partner-9".into()));
                next.run(request).await
            },
        ));
        let request = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
        router.clone().oneshot(request("/inner/42")).await.unwrap();
        outer.oneshot(request("/outer")).await.unwrap();
        router.oneshot(request("/extracted")).await.unwrap();
        let lines = lines.lock().unwrap();
        assert!(
            lines[0].ends_with(
                "partner=\"partner 7\" method=GET route=/inner/{id} status=200 onboarding=-"
            ),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].contains(" partner=partner-9 method=GET route=/outer status=200 "),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].contains(" partner=acme method=GET route=/extracted status=200 "),
            "{}",
            lines[2]
        );
    }

    #[test]
    fn values_cannot_break_the_line_or_forge_a_key() {
        assert_eq!(value(None), "-");
        assert_eq!(
            value(Some("/api/onboardings/{id}")),
            "/api/onboardings/{id}"
        );
        assert_eq!(value(Some("")), "\"\"");
        assert_eq!(value(Some("a b")), "\"a b\"");
        assert_eq!(value(Some("x\nstatus=200")), "\"x\\nstatus=200\"");
        assert_eq!(value(Some("p=1")), "\"p=1\"");
    }
}
