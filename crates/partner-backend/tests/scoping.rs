//! Onboardings are scoped to the partner the credential proves, over real HTTP: what an
//! attacker or an integrator would notice. Every API route refuses a request without a valid
//! credential; one partner can neither read, list, block nor overwrite another's onboardings;
//! the body cannot claim another partner; the cookie counts only on same-origin requests.

mod common;

use std::time::Duration;

use common::{bearer, body_of, new_id, pbx_draft, start_with_sessions, Reply, Server, PARTNER};
use onboarding_core::payload::{build, Submission};
use partner_backend::auth::Options;
use serde_json::{json, Value};

fn server() -> Server {
    start_with_sessions(None, Options::default())
}

/// A 401 with `WWW-Authenticate: Bearer…` and the error `code`, cached nowhere.
fn assert_refused(reply: &Reply, code: &str, what: &str) {
    assert_eq!(reply.status, 401, "{what}: {}", reply.text);
    assert!(
        reply
            .header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer")),
        "{what}: {:?}",
        reply.headers
    );
    assert_eq!(
        reply.error_codes(),
        [(String::new(), code.to_string())],
        "{what}"
    );
    assert_eq!(reply.header("cache-control"), Some("no-store"), "{what}");
}

/// A submission of this partner's: the body names no partner (the credential decides).
fn submission() -> Submission {
    let mut submission = build(&pbx_draft());
    submission.partner_id = None;
    submission
}

fn submit(server: &Server, credential: &str, submission: &Submission) -> Reply {
    server.submit_as(Some(credential), &submission.draft_id, &body_of(submission))
}

fn created_id(reply: &Reply) -> String {
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()["id"].as_str().unwrap().to_string()
}

fn list_ids(server: &Server, credential: &str) -> Vec<String> {
    let reply = server.get_as(Some(credential), "/api/onboardings");
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["onboardings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every API route, as (method, path, body): the onboardings', the sessions' and the drafts'.
fn api_routes(record: &str, submission: &Submission) -> Vec<(&'static str, String, String)> {
    vec![
        ("POST", "/api/onboardings".into(), body_of(submission)),
        ("GET", "/api/onboardings".into(), String::new()),
        ("GET", record.to_string(), String::new()),
        ("GET", "/api/session".into(), String::new()),
        (
            "POST",
            "/api/sessions".into(),
            r#"{"role":"partner"}"#.into(),
        ),
        (
            "POST",
            "/api/signin-links".into(),
            r#"{"role":"partner"}"#.into(),
        ),
        ("GET", "/api/drafts".into(), String::new()),
        (
            "GET",
            format!("/api/drafts/{}", submission.draft_id),
            String::new(),
        ),
        (
            "PUT",
            format!("/api/drafts/{}", submission.draft_id),
            r#"{"draft":{}}"#.into(),
        ),
        (
            "DELETE",
            format!("/api/drafts/{}", submission.draft_id),
            String::new(),
        ),
    ]
}

/// Sends one of [`api_routes`] with `extra` headers (a credential, a cookie).
fn send_route(
    server: &Server,
    (method, path, body): &(&str, String, String),
    submission: &Submission,
    extra: &[(&str, &str)],
) -> Reply {
    let mut headers = vec![
        ("Content-Type", "application/json"),
        ("Idempotency-Key", submission.draft_id.as_str()),
    ];
    headers.extend_from_slice(extra);
    server.send(method, path, &headers, body)
}

#[test]
fn every_api_route_refuses_a_request_without_a_credential() {
    let server = server();
    let submission = submission();
    let id = created_id(&submit(&server, &server.key, &submission));
    let record = format!("/api/onboardings/{id}");
    let session = server.mint_session(&server.key, "partner");
    let cookie = format!("onboarding_session={session}");
    for route in api_routes(&record, &submission) {
        let what = format!("{} {}", route.0, route.1);
        let none = send_route(&server, &route, &submission, &[]);
        assert_refused(&none, "unauthenticated", &what);
        assert_eq!(none.header("www-authenticate"), Some("Bearer"), "{what}");
        // Not a bearer: no credential at all.
        let basic = send_route(
            &server,
            &route,
            &submission,
            &[("Authorization", "Basic cGFydG5lci00MjpzM2NyZXQ=")],
        );
        assert_refused(&basic, "unauthenticated", &what);
        // The genuine session in the cookie of a cross-site (or unmarked) request: a page
        // elsewhere cannot spend it.
        for site in [Some("cross-site"), Some("same-site"), None] {
            let mut headers = vec![("Cookie", cookie.as_str())];
            headers.extend(site.map(|s| ("Sec-Fetch-Site", s)));
            let reply = send_route(&server, &route, &submission, &headers);
            assert_refused(&reply, "unauthenticated", &format!("{what} {site:?}"));
        }
    }
    // Nothing was stored, nor anything answered, to those requests.
    assert_eq!(server.rows().len(), 1);
}

#[test]
fn forged_expired_and_revoked_credentials_are_refused_on_the_onboarding_routes() {
    let server = start_with_sessions(
        None,
        Options {
            session_ttl: Duration::from_millis(200),
            ..Options::default()
        },
    );
    let submission = submission();
    let id = created_id(&submit(&server, &server.key, &submission));
    let record = format!("/api/onboardings/{id}");
    let session = server.mint_session(&server.key, "partner");
    // Valid format, another signature.
    let (signed, _) = session.rsplit_once('.').unwrap();
    let forged = format!("{signed}.{}", "A".repeat(43));
    let unknown_key = format!("onb_sk_{}", "A".repeat(43));
    let other = new_id();
    let routes = |credential: &str| {
        let mut fresh = submission.clone();
        fresh.draft_id = other.clone();
        [
            ("POST", submit(&server, credential, &fresh)),
            ("LIST", server.get_as(Some(credential), "/api/onboardings")),
            ("GET", server.get_as(Some(credential), &record)),
        ]
    };
    for credential in [forged.as_str(), unknown_key.as_str()] {
        for (what, reply) in routes(credential) {
            assert_refused(&reply, "invalid_credentials", what);
        }
    }
    // The genuine session works, then expires.
    assert_eq!(server.get_as(Some(&session), &record).status, 200);
    std::thread::sleep(Duration::from_millis(250));
    for (what, reply) in routes(&session) {
        assert_refused(&reply, "session_expired", what);
    }

    // Rotating the key ends the old key and every session minted with it at once.
    let live = start_with_sessions(None, Options::default());
    let id = created_id(&submit(&live, &live.key, &submission));
    let record = format!("/api/onboardings/{id}");
    let old_session = live.mint_session(&live.key, "account_admin");
    assert_eq!(live.get_as(Some(&old_session), &record).status, 200);
    let (code, new_key, stderr) = live.partners(&["rotate", PARTNER]);
    assert_eq!(code, 0, "{stderr}");
    for old in [&live.key, &old_session] {
        for (what, reply) in [
            ("GET", live.get_as(Some(old), &record)),
            ("LIST", live.get_as(Some(old), "/api/onboardings")),
            ("POST", submit(&live, old, &submission)),
        ] {
            assert_refused(&reply, "invalid_credentials", what);
        }
    }
    // The new key still reaches the partner's onboardings.
    assert_eq!(list_ids(&live, new_key.trim()), [id]);
}

#[test]
fn another_partners_onboarding_is_answered_as_one_that_does_not_exist() {
    let server = server();
    let beta = server.add_partner_key("beta");
    let beta_session = server.mint_session(&beta, "account_admin");
    let id = created_id(&submit(&server, &server.key, &submission()));
    let unknown = server.get_as(Some(&beta), &format!("/api/onboardings/{}", new_id()));
    assert_eq!(unknown.status, 404);
    for credential in [&beta, &beta_session] {
        let hidden = server.get_as(Some(credential), &format!("/api/onboardings/{id}"));
        assert_eq!(
            (hidden.status, hidden.text.as_str()),
            (404, unknown.text.as_str()),
            "the same answer as for an id that does not exist"
        );
        assert_eq!(
            hidden.header("content-type"),
            unknown.header("content-type")
        );
        assert!(list_ids(&server, credential).is_empty());
    }
    // The owner still reads it, with its key and with a session.
    let own_session = server.mint_session(&server.key, "partner");
    for credential in [&server.key, &own_session] {
        assert_eq!(
            server
                .get_as(Some(credential), &format!("/api/onboardings/{id}"))
                .status,
            200
        );
        assert_eq!(list_ids(&server, credential), [id.as_str()]);
    }
}

#[test]
fn a_draft_id_is_each_partners_own() {
    let server = server();
    let beta = server.add_partner_key("beta");
    let acme_draft = submission();
    // Beta sends first, under the draft id acme is about to use, with another body.
    let mut squatter = acme_draft.clone();
    squatter.customer.name = "Not Acme's customer".into();
    let beta_id = created_id(&submit(&server, &beta, &squatter));
    // Acme's submission is not locked out (no 409) and is not beta's record (no replay).
    let acme_id = created_id(&submit(&server, &server.key, &acme_draft));
    assert_ne!(acme_id, beta_id);
    // Each partner's retries still replay and conflict within its own records only.
    assert_eq!(
        created_id(&submit(&server, &server.key, &acme_draft)),
        acme_id
    );
    assert_eq!(created_id(&submit(&server, &beta, &squatter)), beta_id);
    let conflict = submit(&server, &beta, &acme_draft);
    assert_eq!(conflict.status, 409, "{}", conflict.text);

    let read = server.get(&format!("/api/onboardings/{acme_id}")).json();
    assert_eq!(read["onboarding"]["customer"]["name"], "Clínica Sol");
    assert_eq!(list_ids(&server, &server.key), [acme_id.as_str()]);
    assert_eq!(list_ids(&server, &beta), [beta_id.as_str()]);
    let partners: Vec<Option<String>> = server.rows().into_iter().map(|r| r.2).collect();
    assert_eq!(
        partners,
        [Some("beta".to_string()), Some(PARTNER.to_string())]
    );
}

#[test]
fn the_credential_decides_the_partner_and_the_body_cannot_claim_another() {
    let server = server();
    let beta = server.add_partner_key("beta");
    let session = server.mint_session(&server.key, "partner");

    // Naming another partner: 403 with its code, nothing stored, with a key or a session.
    let mut claimed = submission();
    claimed.partner_id = Some("beta".into());
    for credential in [&server.key, &session] {
        let reply = submit(&server, credential, &claimed);
        assert_eq!(reply.status, 403, "{}", reply.text);
        assert_eq!(
            reply.error_codes(),
            [(String::new(), "partner_mismatch".to_string())]
        );
    }
    // Beta's own key cannot file it under partner-42 either.
    let mut as_acme = submission();
    as_acme.partner_id = Some(PARTNER.into());
    assert_eq!(submit(&server, &beta, &as_acme).status, 403);
    assert!(server.rows().is_empty());

    // Null: the caller's partner is stored, in the column and in the body; naming the
    // caller's own partner is the same submission (a replay, not a conflict).
    let anonymous = submission();
    let id = created_id(&submit(&server, &session, &anonymous));
    let rows = server.rows();
    assert_eq!(rows[0].2.as_deref(), Some(PARTNER));
    let read = server.get(&format!("/api/onboardings/{id}")).json();
    assert_eq!(read["onboarding"]["partner_id"], PARTNER);
    let mut named = anonymous.clone();
    named.partner_id = Some(PARTNER.into());
    assert_eq!(created_id(&submit(&server, &server.key, &named)), id);
    // An absent partner_id is null.
    let mut absent: Value = serde_json::to_value(submission()).unwrap();
    absent.as_object_mut().unwrap().remove("partner_id");
    let reply = server.submit_as(
        Some(&server.key),
        absent["draft_id"].as_str().unwrap(),
        &absent.to_string(),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
}

#[test]
fn a_session_submission_records_its_role_and_user() {
    let server = server();
    let minted = server.send(
        "POST",
        "/api/sessions",
        &[
            ("Authorization", &bearer(&server.key)),
            ("Content-Type", "application/json"),
        ],
        &json!({ "role": "account_admin", "user": "u-77" }).to_string(),
    );
    let session = minted.json()["session"].as_str().unwrap().to_string();
    let by_session = submission();
    let mut by_key = submission();
    by_key.draft_id = new_id();
    created_id(&submit(&server, &session, &by_session));
    created_id(&submit(&server, &server.key, &by_key));
    let conn = rusqlite::Connection::open(&server.db_path).unwrap();
    let submitted = |key: &str| -> (Option<String>, Option<String>) {
        conn.query_row(
            "SELECT submitted_role, submitted_user FROM onboardings WHERE idempotency_key = ?1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    assert_eq!(
        submitted(&by_session.draft_id),
        (Some("account_admin".into()), Some("u-77".into()))
    );
    assert_eq!(submitted(&by_key.draft_id), (None, None));
}

#[test]
fn the_list_is_newest_first_without_bodies_or_passwords() {
    let server = server();
    let mut ids = Vec::new();
    for name in ["Primera", "Segunda", "Tercera"] {
        let mut s = submission();
        s.customer.name = name.into();
        ids.push(created_id(&submit(&server, &server.key, &s)));
    }
    let reply = server.get_as(Some(&server.key), "/api/onboardings");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let list = reply.json();
    let entries = list["onboardings"].as_array().unwrap();
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e["customer_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Tercera", "Segunda", "Primera"]);
    ids.reverse();
    assert_eq!(list_ids(&server, &server.key), ids);
    for entry in entries {
        let keys: Vec<&str> = entry
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["customer_name", "draft_id", "id", "received_at", "status"]
        );
        assert_eq!(entry["status"], "received");
    }
    assert!(!reply.text.contains("s3cret!") && !reply.text.contains("password"));
}

#[test]
fn the_session_cookie_works_on_same_origin_requests_only() {
    let server = server();
    let session = server.mint_session(&server.key, "partner");
    let cookie = format!("onboarding_session={session}");
    let submission = submission();
    let post = |site: &str| {
        server.send(
            "POST",
            "/api/onboardings",
            &[
                ("Content-Type", "application/json"),
                ("Idempotency-Key", &submission.draft_id),
                ("Cookie", &cookie),
                ("Sec-Fetch-Site", site),
            ],
            &body_of(&submission),
        )
    };
    assert_refused(&post("cross-site"), "unauthenticated", "cross-site POST");
    assert!(server.rows().is_empty());
    let id = created_id(&post("same-origin"));
    let get = |path: &str, site: &str| {
        server.send(
            "GET",
            path,
            &[("Cookie", &cookie), ("Sec-Fetch-Site", site)],
            "",
        )
    };
    let record = format!("/api/onboardings/{id}");
    assert_eq!(get(&record, "same-origin").status, 200);
    assert_eq!(get("/api/onboardings", "same-origin").status, 200);
    assert_refused(
        &get(&record, "cross-site"),
        "unauthenticated",
        "cross-site GET",
    );
    assert_refused(
        &get("/api/onboardings", "cross-site"),
        "unauthenticated",
        "cross-site list",
    );
}
