//! Sessions, sign-in links and the credentials they rest on, over real HTTP: partners added
//! with the real binary, sessions minted with their secret keys, every way a credential can
//! be refused.

mod common;

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::{new_id, start_with_sessions, Reply, Server};
use partner_backend::auth::Options;
use serde_json::{json, Value};

fn server() -> Server {
    start_with_sessions(None, Options::default())
}

fn bearer(credential: &str) -> String {
    format!("Bearer {credential}")
}

fn post_json(server: &Server, path: &str, credential: &str, body: &Value) -> Reply {
    server.send(
        "POST",
        path,
        &[
            ("Authorization", &bearer(credential)),
            ("Content-Type", "application/json"),
        ],
        &body.to_string(),
    )
}

/// A session for `key`'s partner as `role`.
fn mint(server: &Server, key: &str, role: &str) -> String {
    let reply = post_json(server, "/api/sessions", key, &json!({ "role": role }));
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()["session"].as_str().unwrap().to_string()
}

fn read_session(server: &Server, credential: &str) -> Reply {
    server.send(
        "GET",
        "/api/session",
        &[("Authorization", &bearer(credential))],
        "",
    )
}

/// A 401 with `WWW-Authenticate: Bearer…` and the error body with `code`.
fn assert_refused(reply: &Reply, code: &str) {
    assert_eq!(reply.status, 401, "{}", reply.text);
    assert!(
        reply
            .header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer")),
        "{:?}",
        reply.headers
    );
    assert_eq!(reply.error_codes(), [(String::new(), code.to_string())]);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
}

fn is_rfc3339_utc(text: &str) -> bool {
    text.len() == 24 && text.ends_with('Z') && text.as_bytes()[10] == b'T'
}

/// A sign-in link's path on the wizard's origin (`/signin?code=…`).
fn signin_link(server: &Server, key: &str, body: &Value) -> String {
    let reply = post_json(server, "/api/signin-links", key, body);
    assert_eq!(reply.status, 201, "{}", reply.text);
    let answer = reply.json();
    assert!(is_rfc3339_utc(answer["expires_at"].as_str().unwrap()));
    let url = answer["url"].as_str().unwrap();
    let path = url
        .strip_prefix(&server.base)
        .unwrap_or_else(|| panic!("{url} is not on {}", server.base));
    assert!(path.starts_with("/signin?code="), "{path}");
    path.to_string()
}

/// The session a sign-in's `Set-Cookie` carries.
fn cookie_session(reply: &Reply) -> String {
    let cookie = reply.header("set-cookie").expect("a Set-Cookie");
    let value = cookie.split(';').next().unwrap();
    value
        .strip_prefix("onboarding_session=")
        .unwrap()
        .to_string()
}

#[test]
fn every_new_route_refuses_requests_without_credentials() {
    let server = server();
    for (method, path) in [
        ("POST", "/api/sessions"),
        ("GET", "/api/session"),
        ("POST", "/api/signin-links"),
    ] {
        let body = if method == "POST" {
            r#"{"role":"partner"}"#
        } else {
            ""
        };
        let none = server.send(method, path, &[("Content-Type", "application/json")], body);
        assert_refused(&none, "unauthenticated");
        assert_eq!(none.header("www-authenticate"), Some("Bearer"));
        let basic = server.send(
            method,
            path,
            &[
                ("Authorization", "Basic YWNtZTpwYXNz"),
                ("Content-Type", "application/json"),
            ],
            body,
        );
        assert_refused(&basic, "unauthenticated");
    }
}

#[test]
fn a_secret_key_mints_a_session_that_reads_back() {
    let server = server();
    let (code, key, _) = server.partners(&["add", "acme", "--name", "Acme Telecom"]);
    assert_eq!(code, 0);
    let key = key.trim();
    let reply = post_json(
        &server,
        "/api/sessions",
        key,
        &json!({ "role": "account_admin", "user": "u-17" }),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let minted = reply.json();
    assert_eq!(
        (&minted["partner_id"], &minted["role"]),
        (&json!("acme"), &json!("account_admin"))
    );
    let session = minted["session"].as_str().unwrap();
    assert!(session.starts_with("onb_ses1."), "{session}");
    assert!(is_rfc3339_utc(minted["expires_at"].as_str().unwrap()));

    let read = read_session(&server, session);
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(
        read.json(),
        json!({ "partner_id": "acme", "partner_name": "Acme Telecom",
                "role": "account_admin", "expires_at": minted["expires_at"] })
    );
}

#[test]
fn forged_altered_and_foreign_credentials_are_invalid() {
    let server = server();
    let key = server.add_partner("acme");
    server.add_partner("beta");
    let session = mint(&server, &key, "partner");

    // The payload rewritten to another partner, the signature kept.
    let (signed, signature) = session.rsplit_once('.').unwrap();
    let payload = signed.strip_prefix("onb_ses1.").unwrap();
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims["p"] = json!("beta");
    let altered = format!(
        "onb_ses1.{}.{signature}",
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    // A genuine session of another server (another signing key) for a partner of the same id.
    let elsewhere = server_with_partner("acme");
    let foreign = mint(&elsewhere.0, &elsewhere.1, "partner");

    for forged in [
        altered.as_str(),
        foreign.as_str(),
        "onb_ses1.e30.AAAA",
        "not-a-token",
        &format!("{signed}."),
        "onb_sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        assert_refused(&read_session(&server, forged), "invalid_credentials");
        assert_refused(
            &post_json(
                &server,
                "/api/sessions",
                forged,
                &json!({ "role": "partner" }),
            ),
            "invalid_credentials",
        );
    }
    // The genuine one still works.
    assert_eq!(read_session(&server, &session).status, 200);
}

fn server_with_partner(id: &str) -> (Server, String) {
    let server = server();
    let key = server.add_partner(id);
    (server, key)
}

#[test]
fn an_expired_session_is_refused_as_expired() {
    let server = start_with_sessions(
        None,
        Options {
            session_ttl: Duration::from_secs(1),
            ..Options::default()
        },
    );
    let key = server.add_partner("acme");
    let session = mint(&server, &key, "partner");
    assert_eq!(read_session(&server, &session).status, 200);
    std::thread::sleep(Duration::from_millis(1100));
    assert_refused(&read_session(&server, &session), "session_expired");
    assert_eq!(
        read_session(&server, &session).header("www-authenticate"),
        Some("Bearer error=\"invalid_token\"")
    );
}

#[test]
fn rotating_a_key_ends_the_old_key_its_sessions_and_links_at_once() {
    let server = server();
    let old_key = server.add_partner("acme");
    let old_session = mint(&server, &old_key, "partner");
    let old_link = signin_link(&server, &old_key, &json!({ "role": "partner" }));

    let (code, new_key, stderr) = server.partners(&["rotate", "acme"]);
    assert_eq!(code, 0, "{stderr}");
    let new_key = new_key.trim();
    assert_ne!(new_key, old_key);

    assert_refused(
        &post_json(
            &server,
            "/api/sessions",
            &old_key,
            &json!({ "role": "partner" }),
        ),
        "invalid_credentials",
    );
    assert_refused(&read_session(&server, &old_session), "invalid_credentials");
    assert_eq!(server.send("GET", &old_link, &[], "").status, 410);
    let new_session = mint(&server, new_key, "partner");
    assert_eq!(read_session(&server, &new_session).status, 200);

    // Removing the partner ends the new ones too, and re-adding the id revives nothing.
    assert_eq!(server.partners(&["remove", "acme"]).0, 0);
    assert_refused(&read_session(&server, &new_session), "invalid_credentials");
    server.add_partner("acme");
    assert_refused(&read_session(&server, &new_session), "invalid_credentials");
    assert_refused(
        &post_json(
            &server,
            "/api/sessions",
            new_key,
            &json!({ "role": "partner" }),
        ),
        "invalid_credentials",
    );
}

#[test]
fn a_partners_key_mints_only_for_that_partner() {
    let server = server();
    let acme = server.add_partner("acme");
    server.add_partner("beta");
    for path in ["/api/sessions", "/api/signin-links"] {
        let reply = post_json(
            &server,
            path,
            &acme,
            &json!({ "role": "partner", "partner_id": "beta" }),
        );
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let reply = post_json(
        &server,
        "/api/sessions",
        &acme,
        &json!({ "role": "partner", "partner_id": "beta" }),
    );
    assert_eq!(reply.json()["partner_id"], "acme");
    let session = reply.json()["session"].as_str().unwrap().to_string();
    assert_eq!(read_session(&server, &session).json()["partner_id"], "acme");
}

#[test]
fn only_the_secret_key_mints_and_only_a_session_reads_itself() {
    let server = server();
    let key = server.add_partner("acme");
    let session = mint(&server, &key, "partner");
    for path in ["/api/sessions", "/api/signin-links"] {
        let reply = post_json(&server, path, &session, &json!({ "role": "partner" }));
        assert_eq!(reply.status, 403, "{}", reply.text);
        assert_eq!(reply.error_codes()[0].1, "wrong_credential");
    }
    let reply = read_session(&server, &key);
    assert_eq!(reply.status, 403, "{}", reply.text);
    assert_eq!(reply.error_codes()[0].1, "wrong_credential");
}

#[test]
fn bodies_that_are_not_what_the_routes_take_are_refused() {
    let server = server();
    let key = server.add_partner("acme");
    let refused = [
        ("/api/sessions", json!({ "role": "admin" })),
        ("/api/sessions", json!({})),
        (
            "/api/sessions",
            json!({ "role": "partner", "user": "x".repeat(257) }),
        ),
        (
            "/api/sessions",
            json!({ "role": "partner", "user": "a\nb" }),
        ),
        (
            "/api/signin-links",
            json!({ "role": "partner", "draft_id": "../../evil" }),
        ),
    ];
    for (path, body) in refused {
        let reply = post_json(&server, path, &key, &body);
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        assert_eq!(reply.error_codes()[0].1, "malformed");
    }
    let plain = server.send(
        "POST",
        "/api/sessions",
        &[
            ("Authorization", &bearer(&key)),
            ("Content-Type", "text/plain"),
        ],
        r#"{"role":"partner"}"#,
    );
    assert_eq!(plain.status, 415, "{}", plain.text);
}

#[test]
fn a_signin_link_signs_in_once_with_a_strict_http_only_cookie() {
    let server = server();
    let key = server.add_partner("acme");
    let draft_id = new_id();
    let link = signin_link(
        &server,
        &key,
        &json!({ "role": "account_admin", "user": "u-9", "draft_id": draft_id.to_uppercase() }),
    );

    let signed_in = server.send("GET", &link, &[], "");
    assert_eq!(signed_in.status, 303, "{}", signed_in.text);
    assert_eq!(
        signed_in.header("location"),
        Some(format!("/onboarding/{draft_id}/customer").as_str())
    );
    assert_eq!(signed_in.header("cache-control"), Some("no-store"));
    let cookie = signed_in.header("set-cookie").unwrap();
    let flags: Vec<&str> = cookie.split(';').skip(1).map(str::trim).collect();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=1800"] {
        assert!(flags.contains(&flag), "{cookie}");
    }
    assert!(!flags.contains(&"Secure"), "not over http: {cookie}");

    // The cookie is a session, spent only by the wizard's own origin.
    let session = cookie_session(&signed_in);
    let with_cookie = |site: Option<&str>| {
        let cookie = format!("onboarding_session={session}");
        let mut headers = vec![("Cookie", cookie.as_str())];
        if let Some(site) = site {
            headers.push(("Sec-Fetch-Site", site));
        }
        server.send("GET", "/api/session", &headers, "")
    };
    let same_origin = with_cookie(Some("same-origin"));
    assert_eq!(same_origin.status, 200, "{}", same_origin.text);
    assert_eq!(
        (
            &same_origin.json()["partner_id"],
            &same_origin.json()["role"]
        ),
        (&json!("acme"), &json!("account_admin"))
    );
    for site in [Some("cross-site"), Some("same-site"), Some("none"), None] {
        assert_refused(&with_cookie(site), "unauthenticated");
    }

    // Spent: the second use is the page, as is an unknown or missing code.
    for path in [link.as_str(), "/signin?code=nope", "/signin"] {
        let again = server.send("GET", path, &[], "");
        assert_eq!(again.status, 410, "{path}: {}", again.text);
        assert!(again.header("set-cookie").is_none());
        assert!(again.text.contains("This sign-in link no longer works"));
    }
}

#[test]
fn the_invalid_link_page_is_translated_links_the_dashboard_and_needs_no_inline_code() {
    let server = start_with_sessions(
        Some(r#"{"dashboard_url": "https://partner.example/dash?a=1&b=\"2\""}"#),
        Options::default(),
    );
    let page = |lang: &str| {
        server.send(
            "GET",
            "/signin?code=unknown",
            &[("Accept-Language", lang)],
            "",
        )
    };
    let english = page("en-GB,en;q=0.9");
    assert_eq!(english.status, 410);
    assert_eq!(
        english.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(english.text.contains("<html lang=\"en\""));
    assert!(
        english.text.contains(
            "<a href=\"https://partner.example/dash?a=1&amp;b=&quot;2&quot;\">Back to the dashboard</a>"
        ),
        "{}",
        english.text
    );
    let spanish = page("es-MX,es;q=0.9,en;q=0.5");
    assert!(spanish.text.contains("<html lang=\"es\""));
    assert!(spanish
        .text
        .contains("Este enlace de inicio de sesión ya no es válido"));
    assert!(spanish.text.contains("Regrese a su panel"));
    assert!(spanish.text.contains("Regresar al panel"));
    for reply in [&english, &spanish] {
        let csp = reply.header("content-security-policy").unwrap();
        assert!(
            csp.contains("style-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        let lower = reply.text.to_ascii_lowercase();
        for inline in ["<script", "<style", "style=", "onclick", "javascript:"] {
            assert!(!lower.contains(inline), "{inline} in {}", reply.text);
        }
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
}

#[test]
fn links_name_the_wizard_origin_and_https_makes_the_cookie_secure() {
    let server = start_with_sessions(
        None,
        Options {
            wizard_origin: Some("https://wizard.partner.example".into()),
            ..Options::default()
        },
    );
    let key = server.add_partner("acme");
    let reply = post_json(
        &server,
        "/api/signin-links",
        &key,
        &json!({ "role": "partner" }),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    let url = reply.json()["url"].as_str().unwrap().to_string();
    let path = url
        .strip_prefix("https://wizard.partner.example")
        .unwrap_or_else(|| panic!("{url}"));
    // The https origin is this very server, as a TLS proxy in front of it would make it.
    let signed_in = server.send("GET", path, &[], "");
    assert_eq!(signed_in.status, 303, "{}", signed_in.text);
    assert_eq!(signed_in.header("location"), Some("/"));
    let cookie = signed_in.header("set-cookie").unwrap();
    assert!(cookie.split(';').any(|f| f.trim() == "Secure"), "{cookie}");
}

#[test]
fn an_expired_signin_link_shows_the_page() {
    let server = start_with_sessions(
        None,
        Options {
            signin_link_ttl: Duration::from_secs(1),
            ..Options::default()
        },
    );
    let key = server.add_partner("acme");
    let link = signin_link(&server, &key, &json!({ "role": "partner" }));
    std::thread::sleep(Duration::from_millis(1100));
    let reply = server.send("GET", &link, &[], "");
    assert_eq!(reply.status, 410, "{}", reply.text);
    assert!(reply.header("set-cookie").is_none());
}
