//! The built app as the server delivers it: files, the SPA fallback, caching, and the security
//! headers (a CSP derived from the inline loader script actually served).

mod common;

use base64::Engine;
use common::{index_html, Server, INLINE_SCRIPT};
use onboarding_core::payload::build;
use sha2::{Digest, Sha256};

/// Computed here independently of the server's code.
fn sha256_source(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

fn csp(reply: &common::Reply) -> &str {
    reply
        .header("content-security-policy")
        .expect("every response has a CSP")
}

fn directive<'a>(csp: &'a str, name: &str) -> &'a str {
    csp.split(';')
        .map(str::trim)
        .find(|d| d.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no {name} in {csp}"))
}

#[test]
fn app_routes_fall_back_to_index_html() {
    let server = Server::start(None);
    let index = index_html(INLINE_SCRIPT);
    for path in [
        "/",
        "/index.html",
        "/onboarding/00000000-0000-4000-8000-000000000000/gateway",
        "/drafts/",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.text, index, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
    }
}

#[test]
fn files_are_served_and_missing_files_are_404() {
    let server = Server::start(None);
    let script = server.get("/app-1234.js");
    assert_eq!(script.status, 200);
    assert_eq!(script.text, "export default function init() {}\n");
    assert_eq!(script.header("content-type"), Some("text/javascript"));
    for path in [
        "/x.js",
        "/app-9999_bg.wasm",
        "/onboarding/x/missing.css",
        "/config.json",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(
            !reply.text.contains("<html"),
            "{path} must not be index.html"
        );
    }
}

#[test]
fn config_json_is_served_fresh() {
    let config =
        r#"{"api_base_url": "/api", "allowed_parent_origins": ["https://dash.partner.example"]}"#;
    let server = Server::start(Some(config));
    let reply = server.get("/config.json");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.text, config);
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    assert_eq!(reply.header("content-type"), Some("application/json"));
}

#[test]
fn every_response_carries_the_security_headers() {
    let config =
        r#"{"allowed_parent_origins": ["https://dash.partner.example", "http://localhost:3000"]}"#;
    let server = Server::start(Some(config));
    let submission = build(&common::pbx_draft());
    let replies = [
        server.get("/"),
        server.get("/onboarding/x/review"),
        server.get("/app-1234.js"),
        server.get("/missing.js"),
        server.get("/config.json"),
        server.get("/api/nope"),
        server.submit(&submission.draft_id, "{}"),
        server.submit(&submission.draft_id, &common::body_of(&submission)),
    ];
    let hash = sha256_source(INLINE_SCRIPT);
    for reply in &replies {
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(
            reply.header("referrer-policy"),
            Some("strict-origin-when-cross-origin")
        );
        let csp = csp(reply);
        assert!(
            !csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"),
            "{csp}"
        );
        assert_eq!(directive(csp, "default-src"), "default-src 'self'");
        assert_eq!(
            directive(csp, "script-src"),
            format!("script-src 'self' 'wasm-unsafe-eval' {hash}")
        );
        assert_eq!(directive(csp, "style-src"), "style-src 'self'");
        assert_eq!(directive(csp, "connect-src"), "connect-src 'self'");
        assert_eq!(directive(csp, "object-src"), "object-src 'none'");
        assert_eq!(directive(csp, "base-uri"), "base-uri 'none'");
        assert_eq!(
            directive(csp, "frame-ancestors"),
            "frame-ancestors 'self' https://dash.partner.example http://localhost:3000"
        );
    }
    assert_eq!(replies.last().unwrap().status, 201);
}

#[test]
fn an_absolute_api_base_url_is_allowed_to_connect() {
    let server = Server::start(Some(
        r#"{"api_base_url": "https://api.partner.example/v1"}"#,
    ));
    let reply = server.get("/");
    assert_eq!(
        directive(csp(&reply), "connect-src"),
        "connect-src 'self' https://api.partner.example"
    );
    assert_eq!(
        directive(csp(&reply), "frame-ancestors"),
        "frame-ancestors 'self'"
    );
}

#[test]
fn a_rebuilt_index_html_is_served_with_its_own_hash() {
    let server = Server::start(None);
    let old = sha256_source(INLINE_SCRIPT);
    assert!(csp(&server.get("/")).contains(&old));
    let script = "\nimport init from '/app-5678.js';\nawait init();\n";
    std::fs::write(server.static_dir().join("index.html"), index_html(script)).unwrap();
    let reply = server.get("/onboarding/x/customer");
    assert!(reply.text.contains("/app-5678.js"));
    let csp = csp(&reply);
    assert!(
        csp.contains(&sha256_source(script)) && !csp.contains(&old),
        "{csp}"
    );
    // Other responses follow the page being served.
    assert!(server
        .get("/app-1234.js")
        .header("content-security-policy")
        .unwrap()
        .contains(&sha256_source(script)));
}

#[test]
fn unusable_static_directories_stop_startup() {
    let dir = tempfile::tempdir().unwrap();
    let db = || partner_backend::Db::open(&dir.path().join("db/o.db")).unwrap();
    let no_index = partner_backend::app(dir.path(), db()).expect_err("no index.html");
    assert!(no_index.to_string().contains("index.html"), "{no_index}");
    std::fs::write(dir.path().join("index.html"), index_html("")).unwrap();
    std::fs::write(
        dir.path().join("config.json"),
        "{\"allowed_parent_origins\": [\"*\"]}",
    )
    .unwrap();
    let bad_origin = partner_backend::app(dir.path(), db()).expect_err("* is no origin");
    assert!(bad_origin.to_string().contains("\"*\""), "{bad_origin}");
    std::fs::write(dir.path().join("config.json"), "{").unwrap();
    assert!(partner_backend::app(dir.path(), db()).is_err());
    std::fs::remove_file(dir.path().join("config.json")).unwrap();
    assert!(partner_backend::app(dir.path(), db()).is_ok());
}

#[test]
fn the_service_worker_is_served_fresh_as_javascript() {
    let server = Server::start(None);
    std::fs::write(
        server.static_dir().join("sw.js"),
        "self.addEventListener('fetch', () => {});",
    )
    .unwrap();
    let reply = server.get("/sw.js?build=0123456789abcdef");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    assert!(
        reply
            .header("content-type")
            .is_some_and(|t| t.contains("javascript")),
        "{:?}",
        reply.header("content-type")
    );
    assert!(reply.text.contains("addEventListener"));
}

/// Languages other than English are loaded by the app at run time from `/locales/<lang>.json`
/// and `/locales/<lang>.countries.json`, copied into the build beside it: served as JSON,
/// revalidated (the names carry no hash, and a build's wasm expects its own keys), and a
/// missing language is a 404, never `index.html`.
#[test]
fn locale_files_are_served_as_json_and_revalidated() {
    let server = Server::start(None);
    let locales = server.static_dir().join("locales");
    std::fs::create_dir(&locales).unwrap();
    let es = include_str!("../../../locales/es.json");
    std::fs::write(locales.join("es.json"), es).unwrap();
    std::fs::write(
        locales.join("es.countries.json"),
        include_str!("../../../locales/es.countries.json"),
    )
    .unwrap();
    for path in ["/locales/es.json", "/locales/es.countries.json"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some("application/json"), "{path}");
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
        assert!(reply.json().is_object(), "{path}");
    }
    assert_eq!(server.get("/locales/es.json").text, es);
    let missing = server.get("/locales/xx.json");
    assert_eq!(missing.status, 404);
    assert!(!missing.text.contains("<html"));
}
