//! The demo partner dashboard (`--dashboard-addr`): a host page on a second origin that embeds
//! the wizard in an iframe, as a partner's own portal would. Its files are plain static files
//! (`--dashboard-dir`, default `dashboard`); `GET /dashboard-config.json` tells the page where
//! the wizard is, so the page needs no inline script.

use std::path::Path;

use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::StartupError;

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

/// The dashboard's site: the files of `dir` (`/` is its `index.html`) and
/// `/dashboard-config.json`, every response with the dashboard's own security headers.
pub fn app(dir: &Path, wizard_origin: &str) -> Result<Router, StartupError> {
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
    Ok(Router::new()
        .route(
            "/dashboard-config.json",
            get(move || async move { Json(config) }),
        )
        .fallback_service(ServeDir::new(dir))
        // A demo edited in place: browsers revalidate every file.
        .layer(SetResponseHeaderLayer::overriding(
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
}
