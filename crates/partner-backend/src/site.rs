//! The built app: files from the static directory, `index.html` for every app route (the
//! router lives in the browser), and caching rules that let a new build reach users at once.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use axum::body::Bytes;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::security::Csp;
use crate::StartupError;

/// `index.html` and the CSP built from its inline scripts, kept together so a page is always
/// sent with the policy of its own bytes. The file is checked on use and re-read when it
/// changes, because `trunk build` rewrites `dist` (with new asset names) under a running server.
pub struct IndexPage {
    path: PathBuf,
    csp: Csp,
    current: RwLock<Arc<Snapshot>>,
}

pub struct Snapshot {
    pub html: Bytes,
    pub csp: HeaderValue,
    /// Modification time and length of the file these bytes were read from.
    stamp: Option<(SystemTime, u64)>,
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

    fn response(&self) -> Response {
        let page = self.current();
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                // Revalidate every time: the page names the current build's hashed assets.
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                (header::CONTENT_SECURITY_POLICY, page.csp.clone()),
            ],
            page.html.clone(),
        )
            .into_response()
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
        get(move || async move { index.response() })
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
        .service(ServeFile::new(static_dir.join("sw.js")));
    let app_route = move |method: Method, uri: Uri| async move {
        if is_app_route(&method, uri.path()) {
            index.response()
        } else {
            (StatusCode::NOT_FOUND, "Not found").into_response()
        }
    };
    let files = ServeDir::new(static_dir)
        .append_index_html_on_directories(false)
        .fallback(app_route.into_service());
    Router::new()
        .route("/", page.clone())
        .route("/index.html", page)
        .route_service("/config.json", config)
        .route_service("/sw.js", service_worker)
        .fallback_service(files)
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
}
