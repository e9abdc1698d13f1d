//! Inputs the fuzzers found failing, kept as explicit tests (the seeds are also in
//! `request_fuzz.proptest-regressions`, which proptest replays first).

mod common;

use common::{new_id, Reply, Server};

fn assert_json_not_found(reply: &Reply, what: &str) {
    assert_eq!(reply.status, 404, "{what}: {}", reply.text);
    assert_eq!(
        reply.header("content-type"),
        Some("application/json"),
        "{what}"
    );
    assert_eq!(
        reply.error_codes(),
        vec![(String::new(), "not_found".to_string())],
        "{what}"
    );
}

/// `request_fuzz`: `POST /api/` (the API's mount path with a trailing slash) fell through to
/// the app and was answered an empty, body-less 405 by the static files; `GET /api/` was the
/// app's index.html. Under `api_base_url` every unknown path is a JSON 404.
#[test]
fn the_api_path_with_a_trailing_slash_is_a_json_404() {
    let server = Server::start(None);
    assert_json_not_found(
        &server.post("/api/", Some("application/json"), None, ""),
        "POST /api/",
    );
    assert_json_not_found(&server.get("/api/"), "GET /api/");
    // The same under another api_base_url.
    let other = Server::start(Some(r#"{"api_base_url": "/partner-api/v2"}"#));
    assert_json_not_found(&other.get("/partner-api/v2/"), "GET /partner-api/v2/");
    assert_json_not_found(
        &other.post(
            "/partner-api/v2/",
            Some("application/json"),
            Some(&new_id()),
            "{}",
        ),
        "POST /partner-api/v2/",
    );
    // The app is still served beside it.
    assert_eq!(other.get("/").status, 200);
}

/// `request_fuzz`: an onboarding id that percent-decodes to invalid UTF-8 was refused by
/// axum's path extractor with its own plain-text 400; no record has such an id, so it is the
/// API's JSON 404 like any other unknown id.
#[test]
fn an_id_that_is_not_utf8_is_a_json_404() {
    let server = Server::start(None);
    for path in [
        "/api/onboardings/%FF",
        "/api/onboardings/a%C3",
        "/api/onboardings/%80%80",
    ] {
        assert_json_not_found(&server.get(path), path);
    }
}
