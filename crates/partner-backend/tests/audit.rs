//! The audit lines of API requests, captured from the very router the server runs: one line
//! per API request with its fields, and nothing sent — no body, no password, no query string,
//! no header value.

mod common;

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::Request;
use axum::Router;
use common::{body_of, index_html, pbx_draft, INLINE_SCRIPT};
use onboarding_core::payload::build;
use partner_backend::audit::AuditLog;
use partner_backend::{Db, Limits};
use tower::ServiceExt;

const PASSWORD: &str = "Audit-Secret-Pbx-9931";

struct Harness {
    router: Router,
    lines: Arc<Mutex<Vec<String>>>,
    /// The secret key of `common::PARTNER`.
    key: String,
    _dir: tempfile::TempDir,
}

async fn harness(config: Option<&str>) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let static_dir = dir.path().join("dist");
    std::fs::create_dir(&static_dir).unwrap();
    std::fs::write(static_dir.join("index.html"), index_html(INLINE_SCRIPT)).unwrap();
    if let Some(config) = config {
        std::fs::write(static_dir.join("config.json"), config).unwrap();
    }
    let db = Db::open(&dir.path().join("audit.db")).unwrap();
    let key = common::add_partner_async(&db, common::PARTNER).await;
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let log = AuditLog::new(move |line| sink.lock().unwrap().push(line.to_string()));
    let router =
        partner_backend::app_with_audit(&static_dir, None, db, Limits::default(), log).unwrap();
    Harness {
        router,
        lines,
        key,
        _dir: dir,
    }
}

impl Harness {
    async fn send(&self, request: Request<Body>) -> (u16, String) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// A session minted with the partner's key (its own request is audited too).
    async fn session(&self) -> String {
        let request = Request::post("/api/sessions")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {}", self.key))
            .body(Body::from(r#"{"role":"partner","user":"user-secret"}"#))
            .unwrap();
        let (status, text) = self.send(request).await;
        assert_eq!(status, 201, "{text}");
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["session"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// A submission with the secret key as a bearer.
fn post(uri: &str, credential: &str, key: &str, body: String) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .header("authorization", format!("Bearer {credential}"))
        .body(Body::from(body))
        .unwrap()
}

/// A read with a session in the cookie, as the standalone wizard sends it.
fn get(uri: &str, session: &str) -> Request<Body> {
    Request::get(uri)
        .header("cookie", format!("onboarding_session={session}"))
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap()
}

/// The `key=value` pairs of a line after its `audit` tag, in order.
fn fields(line: &str) -> Vec<(String, String)> {
    let rest = line.strip_prefix("audit ").expect("an audit line");
    rest.split(' ')
        .map(|pair| {
            let (k, v) = pair.split_once('=').expect("key=value");
            (k.to_string(), v.to_string())
        })
        .collect()
}

#[tokio::test]
async fn every_api_request_has_one_line_with_its_fields_and_nothing_sent() {
    let h = harness(None).await;
    let session = h.session().await;
    let mut draft = pbx_draft();
    draft.pbx.password = PASSWORD.into();
    let submission = build(&draft);
    let body = body_of(&submission);
    let key = submission.draft_id.clone();

    let (status, text) = h
        .send(post(
            "/api/onboardings?ref=query-secret",
            &h.key,
            &key,
            body.clone(),
        ))
        .await;
    assert_eq!(status, 201, "{text}");
    let id = serde_json::from_str::<serde_json::Value>(&text).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        h.send(post("/api/onboardings", &h.key, &key, body.clone()))
            .await
            .0,
        201
    );
    let read = format!("/api/onboardings/{id}?token=query-secret");
    assert_eq!(h.send(get(&read, &session)).await.0, 200);
    assert_eq!(
        h.send(get("/api/onboardings/not-an-id", &session)).await.0,
        404
    );
    // A password in a field of the wrong type: refused, and not logged either.
    let mut wrong = serde_json::to_value(&submission).unwrap();
    wrong["pbx"]["port"] = serde_json::json!(PASSWORD);
    assert_eq!(
        h.send(post("/api/onboardings", &h.key, &key, wrong.to_string()))
            .await
            .0,
        400
    );
    // Refused credentials name no partner.
    assert_eq!(
        h.send(post("/api/onboardings", "header-secret-token", &key, body))
            .await
            .0,
        401
    );
    assert_eq!(
        h.send(get("/api/onboardings", "cookie-secret")).await.0,
        401
    );
    assert_eq!(
        h.send(get("/api/nothing/here?q=query-secret", &session))
            .await
            .0,
        404
    );
    // The app's own files are not API requests.
    assert_eq!(h.send(get("/", &session)).await.0, 200);

    let lines = h.lines();
    let p = common::PARTNER;
    let expected = [
        (p, "POST", "/api/sessions", "201", "-"),
        (p, "POST", "/api/onboardings", "201", id.as_str()),
        (p, "POST", "/api/onboardings", "201", id.as_str()),
        (p, "GET", "/api/onboardings/{id}", "200", id.as_str()),
        (p, "GET", "/api/onboardings/{id}", "404", "-"),
        // The credential was accepted before the body was refused.
        (p, "POST", "/api/onboardings", "400", "-"),
        ("-", "POST", "/api/onboardings", "401", "-"),
        ("-", "GET", "/api/onboardings", "401", "-"),
        // No route, so no credential was checked.
        ("-", "GET", "-", "404", "-"),
    ];
    assert_eq!(lines.len(), expected.len(), "{lines:#?}");
    for (line, (partner, method, route, status, onboarding)) in lines.iter().zip(expected) {
        let fields = fields(line);
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            ["time", "partner", "method", "route", "status", "onboarding"],
            "{line}"
        );
        let value = |name: &str| fields.iter().find(|(k, _)| k == name).unwrap().1.clone();
        let time = value("time");
        assert!(
            time.len() == 24 && time.ends_with('Z') && time.as_bytes()[10] == b'T',
            "{time}"
        );
        assert_eq!(value("partner"), partner, "{line}");
        assert_eq!(
            (
                value("method"),
                value("route"),
                value("status"),
                value("onboarding")
            ),
            (
                method.to_string(),
                route.to_string(),
                status.to_string(),
                onboarding.to_string()
            ),
            "{line}"
        );
        for secret in [
            PASSWORD,
            "query-secret",
            "header-secret-token",
            "cookie-secret",
            &h.key,
            &session,
            "user-secret",
            "Sede central",
            "?",
            "not-an-id",
            "nothing",
        ] {
            assert!(!line.contains(secret), "{secret:?} in {line}");
        }
    }
}

#[tokio::test]
async fn the_route_is_the_template_under_another_api_base_url() {
    let h = harness(Some(r#"{"api_base_url": "/partner-api/v2"}"#)).await;
    let request = Request::get("/partner-api/v2/onboardings/some-id?x=1")
        .header("authorization", format!("Bearer {}", h.key))
        .body(Body::empty())
        .unwrap();
    assert_eq!(h.send(request).await.0, 404);
    let lines = h.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains(
            " partner=partner-42 method=GET route=/partner-api/v2/onboardings/{id} status=404 "
        ),
        "{}",
        lines[0]
    );
}

/// The account drafts' routes are audited like the others: the partner, the route template,
/// the status and the draft's id (in the `onboarding` column) — never the document.
#[tokio::test]
async fn the_drafts_routes_are_audited_without_their_documents() {
    use onboarding_core::draft_codec::{self, StoredDraft};

    let h = harness(None).await;
    let session = h.session().await;
    let draft = pbx_draft();
    let id = draft.id.clone();
    let document: serde_json::Value =
        serde_json::from_str(&draft_codec::encode(&StoredDraft::new(draft, 0.0))).unwrap();
    let put = |body: String, condition: (&'static str, String)| {
        Request::put(format!("/api/drafts/{id}"))
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {}", h.key))
            .header(condition.0, condition.1)
            .body(Body::from(body))
            .unwrap()
    };
    let body = serde_json::json!({ "draft": document }).to_string();
    let (status, text) = h.send(put(body, ("if-none-match", "*".into()))).await;
    assert_eq!(status, 200, "{text}");
    let etag = format!(
        "\"{}\"",
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["version"]
            .as_str()
            .unwrap()
    );
    let mut with_password = document.clone();
    with_password["working"]["pbx"]["password"] = serde_json::json!(PASSWORD);
    let body = serde_json::json!({ "draft": with_password }).to_string();
    assert_eq!(h.send(put(body, ("if-match", etag.clone()))).await.0, 422);
    assert_eq!(h.send(get("/api/drafts", &session)).await.0, 200);
    assert_eq!(
        h.send(get(&format!("/api/drafts/{id}"), &session)).await.0,
        200
    );
    let delete = Request::delete(format!("/api/drafts/{id}"))
        .header("authorization", format!("Bearer {session}"))
        .header("if-match", etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(h.send(delete).await.0, 204);
    assert_eq!(
        h.send(get(&format!("/api/drafts/{id}"), "cookie-secret"))
            .await
            .0,
        401
    );

    let lines = h.lines();
    let p = common::PARTNER;
    let route = "/api/drafts/{draft_id}";
    let expected = [
        format!("partner={p} method=POST route=/api/sessions status=201 onboarding=-"),
        format!("partner={p} method=PUT route={route} status=200 onboarding={id}"),
        format!("partner={p} method=PUT route={route} status=422 onboarding=-"),
        format!("partner={p} method=GET route=/api/drafts status=200 onboarding=-"),
        format!("partner={p} method=GET route={route} status=200 onboarding={id}"),
        format!("partner={p} method=DELETE route={route} status=204 onboarding={id}"),
        format!("partner=- method=GET route={route} status=401 onboarding=-"),
    ];
    assert_eq!(lines.len(), expected.len(), "{lines:#?}");
    for (line, expected) in lines.iter().zip(expected) {
        assert!(line.ends_with(&expected), "{line}\nexpected …{expected}");
        for secret in [
            PASSWORD,
            "Clínica",
            "Sede central",
            &h.key,
            &session,
            "cookie-secret",
        ] {
            assert!(!line.contains(secret), "{secret:?} in {line}");
        }
    }
}
