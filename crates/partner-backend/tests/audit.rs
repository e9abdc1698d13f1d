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
    _dir: tempfile::TempDir,
}

fn harness(config: Option<&str>) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let static_dir = dir.path().join("dist");
    std::fs::create_dir(&static_dir).unwrap();
    std::fs::write(static_dir.join("index.html"), index_html(INLINE_SCRIPT)).unwrap();
    if let Some(config) = config {
        std::fs::write(static_dir.join("config.json"), config).unwrap();
    }
    let db = Db::open(&dir.path().join("audit.db")).unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let log = AuditLog::new(move |line| sink.lock().unwrap().push(line.to_string()));
    let router =
        partner_backend::app_with_audit(&static_dir, None, db, Limits::default(), log).unwrap();
    Harness {
        router,
        lines,
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
}

fn post(uri: &str, key: &str, body: String) -> Request<Body> {
    Request::post(uri)
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .header("authorization", "Bearer header-secret-token")
        .body(Body::from(body))
        .unwrap()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header("cookie", "onboarding_session=cookie-secret")
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
    let h = harness(None);
    let mut draft = pbx_draft();
    draft.pbx.password = PASSWORD.into();
    let submission = build(&draft);
    let body = body_of(&submission);
    let key = submission.draft_id.clone();

    let (status, text) = h
        .send(post(
            "/api/onboardings?ref=query-secret",
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
        h.send(post("/api/onboardings", &key, body.clone())).await.0,
        201
    );
    let read = format!("/api/onboardings/{id}?token=query-secret");
    assert_eq!(h.send(get(&read)).await.0, 200);
    assert_eq!(h.send(get("/api/onboardings/not-an-id")).await.0, 404);
    // A password in a field of the wrong type: refused, and not logged either.
    let mut wrong = serde_json::to_value(&submission).unwrap();
    wrong["pbx"]["port"] = serde_json::json!(PASSWORD);
    assert_eq!(
        h.send(post("/api/onboardings", &key, wrong.to_string()))
            .await
            .0,
        400
    );
    assert_eq!(h.send(get("/api/nothing/here?q=query-secret")).await.0, 404);
    // The app's own files are not API requests.
    assert_eq!(h.send(get("/")).await.0, 200);

    let lines = h.lines();
    let expected = [
        ("POST", "/api/onboardings", "201", id.as_str()),
        ("POST", "/api/onboardings", "201", id.as_str()),
        ("GET", "/api/onboardings/{id}", "200", id.as_str()),
        ("GET", "/api/onboardings/{id}", "404", "-"),
        ("POST", "/api/onboardings", "400", "-"),
        ("GET", "-", "404", "-"),
    ];
    assert_eq!(lines.len(), expected.len(), "{lines:#?}");
    for (line, (method, route, status, onboarding)) in lines.iter().zip(expected) {
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
        assert_eq!(value("partner"), "-", "no authentication yet: {line}");
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
    let h = harness(Some(r#"{"api_base_url": "/partner-api/v2"}"#));
    assert_eq!(
        h.send(get("/partner-api/v2/onboardings/some-id?x=1"))
            .await
            .0,
        404
    );
    let lines = h.lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains(" method=GET route=/partner-api/v2/onboardings/{id} status=404 "),
        "{}",
        lines[0]
    );
}
