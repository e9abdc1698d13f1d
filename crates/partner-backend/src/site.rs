//! The built app: files from the static directory, `index.html` for every app route (the
//! router lives in the browser), and caching rules that let a new build reach users at once.

use std::path::Path;

use axum::body::Bytes;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::StartupError;

/// `index.html`, read once at startup: the CSP's script hashes are computed from these very
/// bytes, so serving them from memory guarantees the page and its policy match. A rebuilt
/// `dist` needs a restart (its asset names change anyway).
#[derive(Clone)]
pub struct IndexPage {
    html: Bytes,
}

impl IndexPage {
    pub fn load(static_dir: &Path) -> Result<IndexPage, StartupError> {
        let path = static_dir.join("index.html");
        let html = std::fs::read_to_string(&path).map_err(|e| {
            StartupError(format!(
                "cannot read {}: {e} (build the app first: trunk build --release)",
                path.display()
            ))
        })?;
        Ok(IndexPage { html: Bytes::from(html) })
    }

    pub fn html(&self) -> &str {
        // Built from a String in `load`.
        std::str::from_utf8(&self.html).unwrap_or_default()
    }

    fn response(&self) -> Response {
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
                // Revalidate every time: the page names the current build's hashed assets.
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
            self.html.clone(),
        )
            .into_response()
    }
}

pub fn router(static_dir: &Path, index: IndexPage) -> Router {
    let page = {
        let index = index.clone();
        get(move || async move { index.response() })
    };
    // Deployments edit config.json in place; browsers must not keep an old copy.
    let config = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(ServeFile::new(static_dir.join("config.json")));
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
        assert!(is_app_route(&Method::GET, "/onboarding/00000000-0000-4000-8000-000000000000/gateway"));
        assert!(is_app_route(&Method::HEAD, "/drafts/"));
        assert!(!is_app_route(&Method::GET, "/x.js"));
        assert!(!is_app_route(&Method::GET, "/assets/app-1234_bg.wasm"));
        assert!(!is_app_route(&Method::POST, "/onboarding/x/gateway"));
    }
}
