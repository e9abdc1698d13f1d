//! The demo dashboard as the partner's server (`--dashboard-key-file`), over real HTTP: the
//! wizard's backend in-process with a partner added by the real binary, and the dashboard's
//! app on a port of its own calling that backend's API with the partner's secret key.

mod common;

use std::path::{Path, PathBuf};

use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use common::{start_with_sessions, Reply, Server};
use onboarding_core::draft_codec::{self, StoredDraft};
use onboarding_core::{Draft, StepId};
use partner_backend::auth::Options;
use partner_backend::dashboard::{self, PartnerServer};
use serde_json::{json, Value};
use tempfile::TempDir;

/// The wizard's backend with the partner `demo`, and the dashboard holding its key in a file.
struct Setup {
    wizard: Server,
    dashboard: String,
    key: String,
    key_file: PathBuf,
    _dir: TempDir,
}

fn setup() -> Setup {
    let wizard = start_with_sessions(None, Options::default());
    let (code, stdout, stderr) = wizard.partners(&["add", "demo", "--name", "Demo Partner"]);
    assert_eq!(code, 0, "{stderr}");
    let key = stdout.trim().to_string();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("demo-partner.key");
    std::fs::write(&key_file, &stdout).unwrap();
    let partner = PartnerServer::new(key_file.clone(), &wizard.base, "/api").unwrap();
    let dashboard = serve_dashboard(&wizard.base, Some(partner), dir.path());
    Setup {
        wizard,
        dashboard,
        key,
        key_file,
        _dir: dir,
    }
}

/// The dashboard's app on a loopback port; its base URL.
fn serve_dashboard(wizard_origin: &str, partner: Option<PartnerServer>, dir: &Path) -> String {
    let pages = dir.join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(
        pages.join("index.html"),
        "<!DOCTYPE html><title>Portal</title>",
    )
    .unwrap();
    serve(dashboard::app_with_partner(&pages, wizard_origin, partner).unwrap())
}

fn serve(app: Router) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    base
}

/// Any request to `base`, redirects returned rather than followed.
fn send(base: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut request = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let response = if body.is_empty() {
        agent.run(request.body(()).unwrap())
    } else {
        agent.run(request.body(body.as_bytes().to_vec()).unwrap())
    };
    let mut response = response.unwrap();
    Reply {
        status: response.status().as_u16(),
        headers: response
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
            .collect(),
        text: response.body_mut().read_to_string().unwrap(),
    }
}

/// What the dashboard's own page sends: a same-origin fetch.
const SAME_ORIGIN: (&str, &str) = ("Sec-Fetch-Site", "same-origin");

fn post(base: &str, path: &str, body: &str) -> Reply {
    send(base, "POST", path, &[SAME_ORIGIN], body)
}

fn assert_refusal(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_eq!(reply.json()["code"], code, "{}", reply.text);
    assert!(
        reply.json()["message"]
            .as_str()
            .is_some_and(|m| m.len() > 20),
        "{}",
        reply.text
    );
    assert_eq!(reply.header("cache-control"), Some("no-store"));
}

fn assert_no_key(reply: &Reply, key: &str) {
    assert!(
        !reply.text.contains(key),
        "the key in a body: {}",
        reply.text
    );
    assert!(
        !reply.text.contains(key.trim_start_matches("onb_sk_")),
        "{}",
        reply.text
    );
    for (name, value) in &reply.headers {
        assert!(!value.contains(key), "the key in header {name}");
    }
}

#[test]
fn a_session_from_the_dashboard_is_one_the_wizard_accepts() {
    let s = setup();
    let reply = post(&s.dashboard, "/partner/session", "");
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let answer = reply.json();
    assert_eq!(answer["partner_id"], "demo");
    assert_eq!(answer["role"], "partner");
    assert!(answer["expires_at"].as_str().unwrap().ends_with('Z'));
    let session = answer["session"].as_str().unwrap();
    assert!(session.starts_with("onb_ses1."), "{session}");
    assert_eq!(
        answer.as_object().unwrap().len(),
        4,
        "nothing but the session's fields: {answer}"
    );

    let read = s.wizard.send(
        "GET",
        "/api/session",
        &[("Authorization", &format!("Bearer {session}"))],
        "",
    );
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.json()["partner_id"], "demo");
    assert_eq!(read.json()["partner_name"], "Demo Partner");
    assert_eq!(read.json()["role"], "partner");

    // The role the page asks for (the dashboard's Role control); nothing else is taken.
    let admin = post(
        &s.dashboard,
        "/partner/session",
        r#"{"role": "account_admin", "partner_id": "someone-else"}"#,
    );
    assert_eq!(admin.status, 200, "{}", admin.text);
    assert_eq!(admin.json()["role"], "account_admin");
    assert_eq!(admin.json()["partner_id"], "demo");
    assert_refusal(
        &post(&s.dashboard, "/partner/session", r#"{"role": "root"}"#),
        400,
        "bad_request",
    );
}

#[test]
fn a_signin_link_is_on_the_wizards_origin_and_new_each_time() {
    let s = setup();
    let first = post(&s.dashboard, "/partner/signin-link", "");
    assert_eq!(first.status, 200, "{}", first.text);
    let url = first.json()["url"].as_str().unwrap().to_string();
    let path = url
        .strip_prefix(&s.wizard.base)
        .unwrap_or_else(|| panic!("{url} is not on {}", s.wizard.base));
    assert!(path.starts_with("/signin?code="), "{path}");
    assert!(first.json()["expires_at"].is_string());
    let second = post(&s.dashboard, "/partner/signin-link", "{}");
    assert_ne!(second.json()["url"].as_str().unwrap(), url);

    // The link signs in on the wizard: a session cookie and the start page.
    let signed_in = s.wizard.send("GET", path, &[], "");
    assert_eq!(signed_in.status, 303, "{}", signed_in.text);
    assert_eq!(signed_in.header("location"), Some("/"));
    assert!(signed_in
        .header("set-cookie")
        .is_some_and(|c| c.starts_with("onboarding_session=onb_ses1.")));

    // For a draft: the link goes to it.
    let draft_id = common::new_id();
    let link = post(
        &s.dashboard,
        "/partner/signin-link",
        &json!({ "draft_id": draft_id }).to_string(),
    );
    assert_eq!(link.status, 200, "{}", link.text);
    let path = link.json()["url"].as_str().unwrap()[s.wizard.base.len()..].to_string();
    let opened = s.wizard.send("GET", &path, &[], "");
    assert_eq!(
        opened.header("location"),
        Some(format!("/onboarding/{draft_id}/customer").as_str())
    );
    assert_refusal(
        &post(
            &s.dashboard,
            "/partner/signin-link",
            r#"{"draft_id": "../x"}"#,
        ),
        400,
        "bad_request",
    );
}

#[test]
fn another_sites_page_cannot_use_the_partner_routes() {
    let s = setup();
    let own = s.dashboard.clone();
    let host = own.trim_start_matches("http://").to_string();
    for headers in [
        vec![("Sec-Fetch-Site", "cross-site")],
        // The wizard's origin is the same site, not the same origin.
        vec![("Sec-Fetch-Site", "same-site")],
        vec![("Origin", "http://evil.example")],
        vec![("Origin", s.wizard.base.as_str())],
        vec![
            ("Sec-Fetch-Site", "same-origin"),
            ("Origin", "http://evil.example"),
        ],
        // Says nothing about where it comes from (an old browser, a form from anywhere).
        vec![],
        // A page of another name resolving to this address (DNS rebinding) is "same-origin"
        // with itself.
        vec![("Sec-Fetch-Site", "same-origin"), ("Host", "evil.example")],
    ] {
        for path in ["/partner/session", "/partner/signin-link"] {
            let reply = send(&own, "POST", path, &headers, "");
            assert_refusal(&reply, 403, "cross_site");
            assert_no_key(&reply, &s.key);
        }
    }
    for path in ["/partner/onboardings", "/partner/drafts"] {
        for headers in [
            vec![("Sec-Fetch-Site", "cross-site")],
            vec![("Sec-Fetch-Site", "same-site")],
            vec![("Origin", "http://evil.example")],
            vec![("Sec-Fetch-Site", "same-origin"), ("Host", "evil.example")],
        ] {
            let reply = send(&own, "GET", path, &headers, "");
            assert_refusal(&reply, 403, "cross_site");
            assert_no_key(&reply, &s.key);
        }
    }

    // The dashboard's own page: either header will do.
    let origin = format!("http://{host}");
    for headers in [
        vec![("Origin", origin.as_str())],
        vec![
            ("Sec-Fetch-Site", "same-origin"),
            ("Origin", origin.as_str()),
        ],
        vec![("Sec-Fetch-Site", "same-origin")],
    ] {
        let reply = send(&own, "POST", "/partner/session", &headers, "");
        assert_eq!(reply.status, 200, "{headers:?}: {}", reply.text);
    }
}

#[test]
fn the_secret_key_appears_in_no_answer() {
    let s = setup();
    let draft = json!({ "draft_id": common::new_id() }).to_string();
    let mut replies = vec![
        send(&s.dashboard, "GET", "/", &[], ""),
        send(&s.dashboard, "GET", "/dashboard-config.json", &[], ""),
        post(&s.dashboard, "/partner/session", ""),
        post(&s.dashboard, "/partner/signin-link", &draft),
        send(
            &s.dashboard,
            "GET",
            "/partner/onboardings",
            &[SAME_ORIGIN],
            "",
        ),
        send(&s.dashboard, "GET", "/partner/drafts", &[SAME_ORIGIN], ""),
        send(&s.dashboard, "GET", "/partner/session", &[SAME_ORIGIN], ""),
        post(&s.dashboard, "/partner/session", "not json"),
    ];
    // And the failures: a key the wizard no longer accepts.
    let (code, _, stderr) = s.wizard.partners(&["rotate", "demo"]);
    assert_eq!(code, 0, "{stderr}");
    replies.push(post(&s.dashboard, "/partner/session", ""));
    replies.push(post(&s.dashboard, "/partner/signin-link", ""));
    for path in ["/partner/onboardings", "/partner/drafts"] {
        let refused = send(&s.dashboard, "GET", path, &[SAME_ORIGIN], "");
        assert_refusal(&refused, 502, "wizard_api_failed");
        replies.push(refused);
    }
    for reply in &replies {
        assert_no_key(reply, &s.key);
    }
}

#[test]
fn a_missing_or_refused_key_is_a_plain_502() {
    let s = setup();
    // A key the wizard does not know (well formed, rotated away).
    let (code, new_key, stderr) = s.wizard.partners(&["rotate", "demo"]);
    assert_eq!(code, 0, "{stderr}");
    let refused = post(&s.dashboard, "/partner/session", "");
    assert_refusal(&refused, 502, "wizard_api_failed");
    let message = refused.json()["message"].as_str().unwrap().to_string();
    assert!(message.contains("refused the partner key"), "{message}");
    assert!(message.contains("401 invalid_credentials"), "{message}");
    assert_no_key(&refused, &s.key);

    // The rotated key written to the file works at once, without a restart.
    std::fs::write(&s.key_file, &new_key).unwrap();
    assert_eq!(post(&s.dashboard, "/partner/session", "").status, 200);

    // A file that holds no key: said so, without its content.
    std::fs::write(&s.key_file, "not-a-key-but-secret-looking\n").unwrap();
    let garbage = post(&s.dashboard, "/partner/session", "");
    assert_refusal(&garbage, 502, "partner_key_unusable");
    assert!(!garbage.text.contains("secret-looking"), "{}", garbage.text);

    // No file at all.
    std::fs::remove_file(&s.key_file).unwrap();
    let missing = post(&s.dashboard, "/partner/signin-link", "");
    assert_refusal(&missing, 502, "partner_key_unusable");
    assert!(missing.text.contains("does not exist"), "{}", missing.text);
    assert!(
        missing.text.contains("partners add demo"),
        "{}",
        missing.text
    );
}

#[test]
fn an_unreachable_wizard_is_a_plain_502() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key");
    let key = "onb_sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    std::fs::write(&key_file, key).unwrap();
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let wizard = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let partner = PartnerServer::new(key_file, &wizard, "/api").unwrap();
    let dashboard = serve_dashboard(&wizard, Some(partner), dir.path());
    let reply = post(&dashboard, "/partner/session", "");
    assert_refusal(&reply, 502, "wizard_api_failed");
    assert!(
        reply.text.contains("could not be reached"),
        "{}",
        reply.text
    );
    assert_no_key(&reply, key);
}

#[test]
fn without_a_key_file_the_routes_say_how_to_add_one() {
    let dir = tempfile::tempdir().unwrap();
    let dashboard = serve_dashboard("http://127.0.0.1:9", None, dir.path());
    assert_eq!(send(&dashboard, "GET", "/", &[], "").status, 200);
    for reply in [
        post(&dashboard, "/partner/session", ""),
        post(&dashboard, "/partner/signin-link", ""),
        send(
            &dashboard,
            "GET",
            "/partner/onboardings",
            &[SAME_ORIGIN],
            "",
        ),
        send(&dashboard, "GET", "/partner/drafts", &[SAME_ORIGIN], ""),
    ] {
        assert_refusal(&reply, 503, "no_partner_key");
        assert!(
            reply.text.contains("--dashboard-key-file"),
            "{}",
            reply.text
        );
        assert!(reply.text.contains("partners add"), "{}", reply.text);
    }
}

/// The list route against a stand-in for the API's `GET /onboardings` (the contract's shape,
/// plus a field the page must not get): the key is sent as a bearer token, and each entry is
/// reduced to what the page lists.
#[test]
fn onboardings_are_listed_as_the_api_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let key = "onb_sk_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, format!("{key}\n")).unwrap();
    let expected_authorization = format!("Bearer {key}");
    let api = serve(Router::new().route(
        "/v1/onboardings",
        get(move |headers: HeaderMap| {
            let authorized = headers
                .get("authorization")
                .is_some_and(|v| v.as_bytes() == expected_authorization.as_bytes());
            async move {
                if !authorized {
                    return (axum::http::StatusCode::UNAUTHORIZED, Json(json!({})));
                }
                (
                    axum::http::StatusCode::OK,
                    Json(json!({ "onboardings": [
                        { "id": "o-2", "draft_id": "d-2", "customer_name": "Clínica Sol",
                          "received_at": "2026-01-02T10:00:00.000Z", "status": "received",
                          "onboarding": { "pbx": { "password": "leak" } } },
                        { "id": "o-1", "draft_id": "d-1", "customer_name": null,
                          "received_at": "2026-01-01T10:00:00.000Z", "status": "received" },
                    ]})),
                )
            }
        }),
    ));
    // An absolute api_base_url is used as it is.
    let partner =
        PartnerServer::new(key_file, "http://127.0.0.1:9", &format!("{api}/v1/")).unwrap();
    let dashboard = serve_dashboard("http://127.0.0.1:9", Some(partner), dir.path());
    let reply = send(
        &dashboard,
        "GET",
        "/partner/onboardings",
        &[SAME_ORIGIN],
        "",
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(
        reply.json(),
        json!({ "onboardings": [
            { "id": "o-2", "draft_id": "d-2", "customer_name": "Clínica Sol",
              "received_at": "2026-01-02T10:00:00.000Z", "status": "received" },
            { "id": "o-1", "draft_id": "d-1", "customer_name": null,
              "received_at": "2026-01-01T10:00:00.000Z", "status": "received" },
        ]})
    );
    // Typed into the address bar: a GET with Sec-Fetch-Site: none is the dashboard's too.
    let typed = send(
        &dashboard,
        "GET",
        "/partner/onboardings",
        &[("Sec-Fetch-Site", "none")],
        "",
    );
    assert_eq!(typed.status, 200);
    let _: Value = typed.json();
}

/// A stored-draft document as the wizard keeps it on the device: `name` on `step`.
fn draft_document(draft_id: &str, partner_id: &str, name: &str, step: StepId) -> String {
    let mut draft = Draft::new(draft_id, Some(partner_id.to_string()));
    draft.customer.name = name.to_string();
    draft.current_step = step;
    let stored = StoredDraft::new(draft, 1_790_000_000_000.0);
    format!("{{\"draft\": {}}}", draft_codec::encode(&stored))
}

/// `PUT /api/drafts/{id}` with `credential`, creating the draft; its version.
fn create_draft(wizard: &Server, credential: &str, draft_id: &str, body: &str) -> String {
    let authorization = format!("Bearer {credential}");
    let reply = wizard.send(
        "PUT",
        &format!("/api/drafts/{draft_id}"),
        &[
            ("Authorization", &authorization),
            ("Content-Type", "application/json"),
            ("If-None-Match", "*"),
        ],
        body,
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["version"].as_str().unwrap().to_string()
}

/// The account's drafts, as the page reads them: a draft saved through the API with the
/// partner's key (from another browser, say) is listed, newest first, by its customer name and
/// step, without its document; another partner's is not.
#[test]
fn account_drafts_are_listed_through_the_dashboard() {
    let s = setup();
    let list = || {
        let reply = send(&s.dashboard, "GET", "/partner/drafts", &[SAME_ORIGIN], "");
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        assert_no_key(&reply, &s.key);
        reply.json()
    };
    assert_eq!(list(), json!({ "drafts": [] }));

    let unnamed = common::new_id();
    let unnamed_version = create_draft(
        &s.wizard,
        &s.key,
        &unnamed,
        &draft_document(&unnamed, "demo", "", StepId::Customer),
    );
    // Listed by updated_at (milliseconds): the second is saved later.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let named = common::new_id();
    let named_version = create_draft(
        &s.wizard,
        &s.key,
        &named,
        &draft_document(&named, "demo", "Clínica Sol", StepId::Gateway),
    );
    // Another partner's draft (the server's own partner): never in demo's list.
    let others = common::new_id();
    create_draft(
        &s.wizard,
        &s.wizard.key,
        &others,
        &draft_document(&others, common::PARTNER, "Not Demo's", StepId::Pbx),
    );

    let answer = list();
    let drafts = answer["drafts"].as_array().unwrap();
    let ids: Vec<&str> = drafts
        .iter()
        .map(|d| d["draft_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [named.as_str(), unnamed.as_str()],
        "newest first: {answer}"
    );
    let first = &drafts[0];
    assert_eq!(first["customer_name"], "Clínica Sol");
    assert_eq!(first["current_step"], "gateway");
    assert_eq!(first["version"], named_version.as_str());
    assert!(
        first["updated_at"].as_str().unwrap().ends_with('Z'),
        "{first}"
    );
    assert_eq!(
        first.as_object().unwrap().len(),
        5,
        "nothing but the listing's fields (no document): {first}"
    );
    assert_eq!(drafts[1]["version"], unnamed_version.as_str());
    assert_eq!(drafts[1]["current_step"], "customer");
    let unnamed_name = &drafts[1]["customer_name"];
    assert!(
        unnamed_name.is_null() || unnamed_name == "",
        "no name: {unnamed_name}"
    );
    assert!(!answer.to_string().contains("Not Demo"), "{answer}");

    // Once the onboarding is accepted, its draft is gone from the list too.
    let authorization = format!("Bearer {}", s.key);
    let deleted = s.wizard.send(
        "DELETE",
        &format!("/api/drafts/{named}"),
        &[
            ("Authorization", &authorization),
            ("If-Match", &format!("\"{named_version}\"")),
        ],
        "",
    );
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    let ids: Vec<String> = list()["drafts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["draft_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, [unnamed]);
}

/// The drafts route against a stand-in for the API's `GET /drafts`: entries keep only the
/// listing's fields, whatever else the API adds (a document, a password), and an answer without
/// the list is a plain 502.
#[test]
fn drafts_are_reduced_to_the_listing() {
    let dir = tempfile::tempdir().unwrap();
    let key = "onb_sk_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, key).unwrap();
    let api = serve(
        Router::new()
            .route(
                "/v1/drafts",
                get(|| async {
                    Json(json!({ "drafts": [
                        { "draft_id": "d-2", "customer_name": "Clínica Sol",
                          "current_step": "pbx", "updated_at": "2026-01-02T10:00:00.000Z",
                          "version": "7", "draft": { "working": { "pbx": { "password": "leak" } } } },
                        { "draft_id": "d-1", "current_step": "customer",
                          "updated_at": "2026-01-01T10:00:00.000Z", "version": "1" },
                    ]}))
                }),
            )
            .route("/v2/drafts", get(|| async { Json(json!({ "items": [] })) })),
    );
    let dashboard_with = |base: &str| {
        let partner = PartnerServer::new(key_file.clone(), "http://127.0.0.1:9", base).unwrap();
        serve_dashboard("http://127.0.0.1:9", Some(partner), dir.path())
    };
    let dashboard = dashboard_with(&format!("{api}/v1"));
    let reply = send(&dashboard, "GET", "/partner/drafts", &[SAME_ORIGIN], "");
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.json(),
        json!({ "drafts": [
            { "draft_id": "d-2", "customer_name": "Clínica Sol", "current_step": "pbx",
              "updated_at": "2026-01-02T10:00:00.000Z", "version": "7" },
            { "draft_id": "d-1", "customer_name": null, "current_step": "customer",
              "updated_at": "2026-01-01T10:00:00.000Z", "version": "1" },
        ]})
    );
    let odd = dashboard_with(&format!("{api}/v2"));
    let reply = send(&odd, "GET", "/partner/drafts", &[SAME_ORIGIN], "");
    assert_refusal(&reply, 502, "wizard_api_failed");
    assert_no_key(&reply, key);
}
