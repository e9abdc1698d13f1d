//! The built app: files from the static directory, `index.html` for every app route (the
//! router lives in the browser), and caching rules that let a new build reach users at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::Request;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::security::Csp;
use crate::shell::{Coding, Encoded, Locales, Route};
use crate::StartupError;

/// `index.html` and the CSP built from its inline scripts, kept together so a page is always
/// sent with the policy of its own bytes. The file is checked on use and re-read when it
/// changes, because `trunk build` rewrites `dist` (with new asset names) under a running server.
pub struct IndexPage {
    path: PathBuf,
    csp: Csp,
    locales: Locales,
    current: RwLock<Arc<Snapshot>>,
}

pub struct Snapshot {
    pub html: Bytes,
    pub csp: HeaderValue,
    /// Modification time and length of the file these bytes were read from.
    stamp: Option<(SystemTime, u64)>,
    /// The page as sent, per language and route (see [`crate::shell`]), in every coding;
    /// written on first use, dropped with the snapshot when the file changes.
    variants: Mutex<HashMap<(&'static str, Route), Arc<Encoded>>>,
}

impl IndexPage {
    /// Fails when there is no readable `index.html`: without it there is no app to serve.
    pub fn load(static_dir: &Path, csp: Csp) -> Result<IndexPage, StartupError> {
        let path = static_dir.join("index.html");
        let snapshot = read_snapshot(&path, &csp).map_err(|e| {
            StartupError(format!(
                "cannot read {}: {e} (build the app first: trunk build --release)",
                path.display()
            ))
        })?;
        Ok(IndexPage {
            path,
            csp,
            locales: Locales::embedded(),
            current: RwLock::new(Arc::new(snapshot)),
        })
    }

    /// The page as it is on disk now. While the file is missing or half-written by a build,
    /// the last good version is kept.
    pub fn current(&self) -> Arc<Snapshot> {
        let cached = Arc::clone(&read_lock(&self.current));
        if stamp(&self.path) == cached.stamp {
            return cached;
        }
        match read_snapshot(&self.path, &self.csp) {
            Ok(fresh) => {
                let fresh = Arc::new(fresh);
                *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::clone(&fresh);
                fresh
            }
            Err(_) => cached,
        }
    }

    /// The page for a request: its shell in the request's language and for its route,
    /// compressed as `Accept-Encoding` allows.
    fn response(&self, uri: &Uri, headers: &HeaderMap) -> Response {
        let page = self.current();
        let lang = self.locales.choose(uri.query(), headers);
        let route = Route::of(uri.path());
        let variant = {
            let mut variants = page.variants.lock().unwrap_or_else(|p| p.into_inner());
            let html = std::str::from_utf8(&page.html).unwrap_or_default();
            Arc::clone(variants.entry((lang, route)).or_insert_with(|| {
                Arc::new(Encoded::new(crate::shell::render(
                    html,
                    &self.locales,
                    lang,
                    route,
                )))
            }))
        };
        let (coding, body) = variant.pick(&Coding::acceptable(headers));
        let mut response = (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                // Revalidate every time: the page names the current build's hashed assets.
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                (header::CONTENT_SECURITY_POLICY, page.csp.clone()),
                // The body depends on both: caches must keep one copy per combination.
                (
                    header::VARY,
                    HeaderValue::from_static("Accept-Encoding, Accept-Language"),
                ),
            ],
            body,
        )
            .into_response();
        if let Some(value) = coding.header_value() {
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(value));
        }
        response
    }
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn read_snapshot(path: &Path, csp: &Csp) -> std::io::Result<Snapshot> {
    // Stamp first: if the file changes while it is read, the next check sees a newer stamp.
    let stamp = stamp(path);
    let html = std::fs::read_to_string(path)?;
    let policy = HeaderValue::from_str(&csp.for_page(&html))
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    Ok(Snapshot {
        html: Bytes::from(html),
        csp: policy,
        stamp,
        variants: Mutex::default(),
    })
}

/// A panic elsewhere cannot leave a snapshot half-replaced (it is swapped whole), so a
/// poisoned lock is still safe to read.
fn read_lock<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|p| p.into_inner())
}

/// `config_file` is the configuration served as `/config.json` (`<static>/config.json` unless
/// `--config` names another file); it is always JSON, whatever its file name.
pub fn router(static_dir: &Path, config_file: &Path, index: Arc<IndexPage>) -> Router {
    let page = {
        let index = Arc::clone(&index);
        get(move |uri: Uri, headers: HeaderMap| async move { index.response(&uri, &headers) })
    };
    // Deployments edit config.json in place; browsers must not keep an old copy.
    let config = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(ServeFile::new_with_mime(
            config_file,
            &mime::APPLICATION_JSON,
        ));
    // The service worker decides which build a browser runs offline: never a stale copy.
    let service_worker = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(
            ServeFile::new(static_dir.join("sw.js"))
                .precompressed_br()
                .precompressed_gzip(),
        );
    let app_route = move |method: Method, uri: Uri, headers: HeaderMap| async move {
        if is_app_route(&method, uri.path()) {
            index.response(&uri, &headers)
        } else {
            (StatusCode::NOT_FOUND, "Not found").into_response()
        }
    };
    // `<file>.br` / `<file>.gz` written beside the build's files by scripts/precompress.mjs
    // are sent in their place when Accept-Encoding allows (with Content-Encoding).
    let files = ServeDir::new(static_dir)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(app_route.into_service());
    Router::new()
        .route("/", page.clone())
        .route("/index.html", page)
        .route_service("/config.json", config)
        .route_service("/sw.js", service_worker)
        .fallback_service(files)
        .layer(middleware::from_fn(caching_headers))
}

/// `Cache-Control` for what does not set its own: a build's hashed assets never change under
/// their name, so browsers keep them a year without asking; anything else (unhashed files,
/// errors) is revalidated every time. `Vary: Accept-Encoding` on every file, since a
/// precompressed variant may be sent in its place.
async fn caching_headers(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        let ok = status.is_success() || status == StatusCode::NOT_MODIFIED;
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if hashed && ok {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            }),
        );
    }
    if !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    response
}

/// A file Trunk names after its content (`filehash = true`): `name-<hex hash>.js`,
/// `name-<hex hash>_bg.wasm`, `main-<hex hash>.css`. The hash is 16 hex digits, or fewer when
/// it starts with zeros, so at least 12 are required (the service worker uses the same rule).
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if !matches!(ext, "js" | "mjs" | "wasm" | "css") {
        return false;
    }
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(base, hash)| {
        !base.is_empty()
            && (12..=16).contains(&hash.len())
            && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// A page of the app (`/onboarding/<id>/gateway`) rather than a missing file (`/app-1234.js`):
/// a missing asset must be a 404, or the browser would try to run `index.html` as a script.
fn is_app_route(method: &Method, path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    (method == Method::GET || method == Method::HEAD) && !last.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_routes_have_no_file_extension() {
        assert!(is_app_route(
            &Method::GET,
            "/onboarding/00000000-0000-4000-8000-000000000000/gateway"
        ));
        assert!(is_app_route(&Method::HEAD, "/drafts/"));
        assert!(!is_app_route(&Method::GET, "/x.js"));
        assert!(!is_app_route(&Method::GET, "/assets/app-1234_bg.wasm"));
        assert!(!is_app_route(&Method::POST, "/onboarding/x/gateway"));
    }

    #[test]
    fn hashed_assets_are_recognised_by_name() {
        for path in [
            "/onboarding-wizard-819b7fd7dc122a28.js",
            "/onboarding-wizard-819b7fd7dc122a28_bg.wasm",
            "/main-87f5d7f5801347f.css",
            "/snippets/x-0123456789abcdef.js",
        ] {
            assert!(is_hashed_asset(path), "{path}");
        }
        for path in [
            "/app-1234.js",
            "/sw.js",
            "/config.json",
            "/index.html",
            "/-0123456789abcdef.js",
            "/x-0123456789abcdeg.js",
            "/x-0123456789abcdef.json",
            "/x-0123456789abcdef.js.br",
        ] {
            assert!(!is_hashed_asset(path), "{path}");
        }
    }
}
