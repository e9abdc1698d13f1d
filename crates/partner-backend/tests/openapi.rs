//! `docs/openapi.json` against the running server: every request sent and every answer received
//! here is validated with the schema the document gives for that path, method and status, so a
//! drift on either side fails.

mod common;

use common::{body_of, new_id, pbx_draft, sync_draft, Reply, Server};
use jsonschema::{Draft, Validator};
use onboarding_core::payload::{build, ApiError};
use onboarding_core::ErrorCode;
use serde_json::{json, Value};

fn document() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A validator for `schema` (a fragment of the document), whose `#/components/...` references
/// resolve because the document's components are embedded beside it.
fn validator(doc: &Value, schema: &Value) -> Validator {
    let mut root = schema.as_object().expect("a schema object").clone();
    root.insert("components".into(), doc["components"].clone());
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(&Value::Object(root))
        .unwrap_or_else(|e| panic!("invalid schema {schema}: {e}"))
}

fn component(doc: &Value, name: &str) -> Validator {
    validator(
        doc,
        &json!({ "$ref": format!("#/components/schemas/{name}") }),
    )
}

fn assert_valid(validator: &Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match docs/openapi.json: {errors:?}\n{instance:#}"
    );
}

/// Checks a real answer against the document's response schema for `path`, `method`, status.
fn check_response(doc: &Value, path: &str, method: &str, reply: &Reply) {
    let status = reply.status.to_string();
    let response = &doc["paths"][path][method]["responses"][&status];
    assert!(
        response.is_object(),
        "{method} {path} answered {status}, which the document does not list"
    );
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let schema = &response["content"]["application/json"]["schema"];
    assert_valid(
        &validator(doc, schema),
        &reply.json(),
        &format!("{method} {path} {status}"),
    );
}

fn check_request(doc: &Value, body: &Value) {
    let schema = &doc["paths"]["/onboardings"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    assert_valid(&validator(doc, schema), body, "the request body");
}

#[test]
fn the_document_is_openapi_3_1_with_the_contract_header() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let post = &doc["paths"]["/onboardings"]["post"];
    let key = post["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Idempotency-Key")
        .unwrap();
    assert_eq!(
        (&key["in"], &key["required"], &key["schema"]["format"]),
        (&json!("header"), &json!(true), &json!("uuid"))
    );
    let statuses: Vec<&String> = post["responses"].as_object().unwrap().keys().collect();
    assert_eq!(
        statuses,
        ["201", "400", "401", "403", "408", "409", "413", "415", "422", "500", "503"]
    );
    // Every route names the credentials it takes (`[]` for none).
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if method != "servers" {
                assert!(operation["security"].is_array(), "{method} {path}");
            }
        }
    }
    // Every schema in the document compiles.
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        component(&doc, name);
    }
}

#[test]
fn real_answers_match_the_document() {
    let doc = document();
    let server = Server::start(None);
    let post = |key: &str, body: &str| server.submit(key, body);
    let check = |reply: &Reply| check_response(&doc, "/onboardings", "post", reply);

    // 201 on both paths, for requests that match the request schema.
    let mut ids = Vec::new();
    for draft in [pbx_draft(), sync_draft()] {
        let submission = build(&draft);
        check_request(&doc, &serde_json::to_value(&submission).unwrap());
        let reply = post(&submission.draft_id, &body_of(&submission));
        assert_eq!(reply.status, 201);
        check(&reply);
        ids.push(reply.json()["id"].as_str().unwrap().to_string());
    }
    // 200, with the password left out.
    for id in &ids {
        let reply = server.get(&format!("/api/onboardings/{id}"));
        assert_eq!(reply.status, 200);
        check_response(&doc, "/onboardings/{id}", "get", &reply);
    }
    // 404
    let missing = server.get(&format!("/api/onboardings/{}", new_id()));
    assert_eq!(missing.status, 404);
    check_response(&doc, "/onboardings/{id}", "get", &missing);

    // 400 of each kind, 409, 413, 415, 422.
    let mut draft = pbx_draft();
    let accepted = build(&draft);
    let accepted_body = body_of(&accepted);
    let key = accepted.draft_id.clone();
    draft.gateway.site_name = "Otra".into();
    let mut invalid = pbx_draft();
    invalid.support_contacts[1].email = "nope".into();
    invalid.customer.name = "x".repeat(101);
    invalid
        .admin_contacts
        .push(invalid.admin_contacts[0].clone());
    let invalid = build(&invalid);
    // The key is bound first, so that a different body with it is a conflict.
    assert_eq!(post(&key, &accepted_body).status, 201);
    let replies = [
        (400, post(&key, "{")),
        (
            400,
            server.post(
                "/api/onboardings",
                Some("application/json"),
                None,
                &accepted_body,
            ),
        ),
        (400, post("nope", &accepted_body)),
        (400, post(&new_id(), &accepted_body)),
        (409, post(&key, &body_of(&build(&draft)))),
        (
            413,
            post(&key, &"x".repeat(partner_backend::api::BODY_LIMIT + 1)),
        ),
        (
            415,
            server.post(
                "/api/onboardings",
                Some("text/plain"),
                Some(&key),
                &accepted_body,
            ),
        ),
        (422, post(&invalid.draft_id, &body_of(&invalid))),
    ];
    for (status, reply) in &replies {
        assert_eq!(reply.status, *status, "{}", reply.text);
        check(reply);
    }
    // The 422 above used parameters (max, first): they are in the document too.
    let codes: Vec<String> = replies[7].1.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap().into())
        .collect();
    assert_eq!(codes, ["too_long", "duplicate_email", "email_format"]);

    // 405 for a known path with the wrong method.
    let wrong_method = server.send("DELETE", "/api/onboardings", &[], "");
    assert_eq!(wrong_method.status, 405);
    assert_valid(
        &component(&doc, "MethodNotAllowedErrors"),
        &wrong_method.json(),
        "405",
    );
}

/// The onboarding routes with and without a credential, as two partners: the list, 401 on
/// every route, 403 for another partner's `partner_id`, and another partner's onboarding as a
/// 404 of the same body as an unknown id.
#[test]
fn onboarding_routes_answer_callers_as_documented() {
    let doc = document();
    let any_caller = json!([{ "secretKey": [] }, { "session": [] }, { "sessionCookie": [] }]);
    for (path, method) in [
        ("/onboardings", "post"),
        ("/onboardings", "get"),
        ("/onboardings/{id}", "get"),
    ] {
        assert_eq!(
            doc["paths"][path][method]["security"], any_caller,
            "{method} {path}"
        );
    }
    assert_eq!(
        doc["paths"]["/onboardings"]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"],
        json!({ "$ref": "#/components/schemas/OnboardingList" })
    );
    let server = Server::start(None);
    let other = server.add_partner_key("other-partner");
    let session = server.mint_session(&server.key, "partner");

    let submission = build(&pbx_draft());
    let created = server.submit(&submission.draft_id, &body_of(&submission));
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.json()["id"].as_str().unwrap().to_string();
    let record = format!("/api/onboardings/{id}");

    // The list, with the secret key and with a session.
    for credential in [&server.key, &session] {
        let list = server.get_as(Some(credential), "/api/onboardings");
        assert_eq!(list.status, 200, "{}", list.text);
        check_response(&doc, "/onboardings", "get", &list);
        assert_eq!(list.json()["onboardings"][0]["id"], id.as_str());
    }
    let empty = server.get_as(Some(&other), "/api/onboardings");
    check_response(&doc, "/onboardings", "get", &empty);
    assert_eq!(empty.json(), json!({ "onboardings": [] }));

    // 401 on each route, without a credential and with a refused one.
    for credential in [None, Some("onb_ses1.e30.AAAA")] {
        let list = server.get_as(credential, "/api/onboardings");
        check_response(&doc, "/onboardings", "get", &list);
        let read = server.get_as(credential, &record);
        check_response(&doc, "/onboardings/{id}", "get", &read);
        let post = server.submit_as(credential, &submission.draft_id, &body_of(&submission));
        check_response(&doc, "/onboardings", "post", &post);
        for reply in [&list, &read, &post] {
            assert_eq!(reply.status, 401, "{}", reply.text);
            assert!(reply
                .header("www-authenticate")
                .unwrap()
                .starts_with("Bearer"));
        }
    }

    // 403: the body names another partner.
    let foreign = server.submit_as(Some(&other), &submission.draft_id, &body_of(&submission));
    assert_eq!(foreign.status, 403, "{}", foreign.text);
    check_response(&doc, "/onboardings", "post", &foreign);

    // 404: another partner's onboarding, as an unknown one.
    let hidden = server.get_as(Some(&other), &record);
    assert_eq!(hidden.status, 404);
    check_response(&doc, "/onboardings/{id}", "get", &hidden);

    // Drift the list's schema would notice: a body or a password in an entry.
    let entry = server.get("/api/onboardings").json()["onboardings"][0].clone();
    let mut with_body = entry.clone();
    with_body["onboarding"] = json!({});
    let mut with_password = entry.clone();
    with_password["password"] = json!("x");
    for instance in [with_body, with_password] {
        assert!(!component(&doc, "OnboardingSummary").is_valid(&instance));
    }
    let too_many = json!({ "onboardings": vec![entry; 101] });
    assert!(!component(&doc, "OnboardingList").is_valid(&too_many));
}

/// Every field error the shared crate can produce serialises to an entry the document allows.
#[test]
fn every_error_code_is_documented() {
    let doc = document();
    let validator = component(&doc, "ValidationErrors");
    let codes = [
        ErrorCode::Required,
        ErrorCode::TooLong {
            max: 100,
            len: Some(155),
        },
        ErrorCode::TooLong {
            max: 100,
            len: None,
        },
        ErrorCode::EmailFormat,
        ErrorCode::PostalCodeFormat {
            country: onboarding_core::countries::CountryCode::new("DE"),
        },
        ErrorCode::PostalCodeFormat { country: None },
        ErrorCode::InvalidChoice,
        ErrorCode::DuplicateEmail { first: 0 },
        ErrorCode::MissingMaintainer,
        ErrorCode::MissingOnsiteAdmin,
        ErrorCode::DuplicateSupportContact { row: 2, first: 0 },
        ErrorCode::MacFormat,
        ErrorCode::HostFormat,
        ErrorCode::PortRange,
        ErrorCode::CertificateFormat,
        ErrorCode::PrivateKey,
        ErrorCode::ControlCharacters,
        ErrorCode::Invalid,
        ErrorCode::Rejected,
    ];
    let errors: Vec<ApiError> = codes
        .into_iter()
        .map(|code| ApiError {
            field: "customer.name".into(),
            code,
            message: "m".into(),
        })
        .collect();
    assert_valid(&validator, &json!({ "errors": errors }), "every error code");
}

/// A private key in the certificate, a postal code of the wrong form and a region outside the
/// country's list are refused with their codes and parameters, as the document describes them.
#[test]
fn a_real_422_with_the_newer_codes_matches_the_document() {
    let doc = document();
    let server = Server::start(None);
    let mut draft = pbx_draft();
    draft.customer.address.country = "US".into();
    draft.customer.address.region = "Calif.".into();
    draft.customer.address.postal_code = "1234".into();
    let mut submission = build(&draft);
    submission.pbx.as_mut().unwrap().certificate_pem = Some(
        "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIF2rj5erHKYrgLHIsAAwccYa0X4JxzcnzLN4pd6kh2QmbNbTPPdTFZ94\n-----END EC PRIVATE KEY-----".into(),
    );
    let reply = server.submit(&submission.draft_id, &body_of(&submission));
    assert_eq!(reply.status, 422, "{}", reply.text);
    check_response(&doc, "/onboardings", "post", &reply);
    let errors = reply.json()["errors"].clone();
    assert_eq!(
        errors,
        json!([
            {"field": "customer.address.region", "code": "invalid_choice",
             "message": "Choose one of the allowed values"},
            {"field": "customer.address.postal_code", "code": "postal_code_format", "country": "US",
             "message": "Enter a postal code of 5 digits, like 12345, or like 12345-6789"},
            {"field": "pbx.certificate_pem", "code": "private_key",
             "message": "Remove the private key: enter only the PBX's certificate, never its private key"}
        ])
    );
    assert!(server.rows().is_empty());
}

/// The schemas are strict enough to notice drift: shapes a server might slip into are refused.
#[test]
fn drifted_shapes_are_refused() {
    let doc = document();
    let id = new_id();
    let refused = [
        ("Created", json!({ "id": id })),
        (
            "Created",
            json!({ "id": id, "status": "received", "extra": 1 }),
        ),
        ("Created", json!({ "id": "123", "status": "received" })),
        ("ValidationErrors", json!({ "errors": [] })),
        (
            "ValidationErrors",
            json!({ "errors": [{ "path": "customer.name", "code": "required", "message": "m" }] }),
        ),
        (
            "ValidationErrors",
            json!({ "errors": [{ "field": "customer.name", "code": "nope", "message": "m" }] }),
        ),
        (
            "BadRequestErrors",
            json!({ "errors": [{ "field": "", "code": "idempotency_conflict", "message": "m" }] }),
        ),
        (
            "ConflictErrors",
            json!({ "errors": [{ "field": "x", "code": "idempotency_conflict", "message": "m" }] }),
        ),
        ("Onboarding", {
            let mut record = json!({ "id": id, "status": "received", "received_at": "2026-01-01T00:00:00.000Z",
                                     "onboarding": serde_json::to_value(build(&pbx_draft())).unwrap() });
            record["onboarding"]["draft_id"] = json!(id);
            record // the password must not be echoed
        }),
    ];
    for (name, instance) in refused {
        assert!(
            !component(&doc, name).is_valid(&instance),
            "{name} accepted {instance}"
        );
    }
    let mut submission = serde_json::to_value(build(&sync_draft())).unwrap();
    submission["surprise"] = json!(true);
    assert!(!component(&doc, "Submission").is_valid(&submission));
}

/// 503 with Retry-After, here from a database another connection keeps locked past the
/// server's busy timeout (load shedding answers the same; `tests/load_shedding.rs`).
#[test]
fn an_unavailable_answer_matches_the_document() {
    let doc = document();
    let server = Server::start_with(
        None,
        partner_backend::Limits::default(),
        std::time::Duration::from_millis(50),
    );
    let locker = rusqlite::Connection::open(&server.db_path).unwrap();
    locker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let submission = build(&pbx_draft());
    let reply = server.submit(&submission.draft_id, &body_of(&submission));
    assert_eq!(reply.status, 503, "{}", reply.text);
    assert_eq!(reply.header("retry-after"), Some("1"));
    check_response(&doc, "/onboardings", "post", &reply);
    locker.execute_batch("ROLLBACK").unwrap();
}

fn send_json(server: &Server, path: &str, credential: Option<&str>, body: &Value) -> Reply {
    let authorization = credential.map(|c| format!("Bearer {c}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(authorization) = &authorization {
        headers.push(("Authorization", authorization.as_str()));
    }
    server.send("POST", &format!("/api{path}"), &headers, &body.to_string())
}

/// The session routes: their requests and every kind of answer against the document, and
/// the security schemes they name.
#[test]
fn session_routes_answer_as_documented() {
    let doc = document();
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    assert_eq!(
        (
            &schemes["secretKey"]["scheme"],
            &schemes["session"]["scheme"],
            &schemes["sessionCookie"]["in"],
            &schemes["sessionCookie"]["name"],
        ),
        (
            &json!("bearer"),
            &json!("bearer"),
            &json!("cookie"),
            &json!("onboarding_session")
        )
    );
    for (path, method, expected) in [
        ("/sessions", "post", json!([{ "secretKey": [] }])),
        ("/signin-links", "post", json!([{ "secretKey": [] }])),
        (
            "/session",
            "get",
            json!([{ "session": [] }, { "sessionCookie": [] }]),
        ),
    ] {
        assert_eq!(doc["paths"][path][method]["security"], expected, "{path}");
    }

    let server = common::start_with_sessions(None, partner_backend::auth::Options::default());
    let key = server.add_partner("acme");
    let request = |path: &str, body: &Value| {
        let schema =
            &doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"];
        assert_valid(&validator(&doc, schema), body, path);
    };

    let session_request = json!({ "role": "account_admin", "user": "u-1" });
    request("/sessions", &session_request);
    let minted = send_json(&server, "/sessions", Some(&key), &session_request);
    assert_eq!(minted.status, 201, "{}", minted.text);
    check_response(&doc, "/sessions", "post", &minted);
    let session = minted.json()["session"].as_str().unwrap().to_string();

    let link_request = json!({ "role": "partner", "draft_id": new_id() });
    request("/signin-links", &link_request);
    let link = send_json(&server, "/signin-links", Some(&key), &link_request);
    assert_eq!(link.status, 201, "{}", link.text);
    check_response(&doc, "/signin-links", "post", &link);

    for path in ["/sessions", "/signin-links"] {
        let answers = [
            (401, send_json(&server, path, None, &session_request)),
            (
                401,
                send_json(&server, path, Some("onb_sk_nope"), &session_request),
            ),
            (
                403,
                send_json(&server, path, Some(&session), &session_request),
            ),
            (
                400,
                send_json(&server, path, Some(&key), &json!({ "role": "root" })),
            ),
            (
                415,
                server.send(
                    "POST",
                    &format!("/api{path}"),
                    &[("Authorization", &format!("Bearer {key}"))],
                    "{}",
                ),
            ),
        ];
        for (status, reply) in &answers {
            assert_eq!(reply.status, *status, "{path}: {}", reply.text);
            check_response(&doc, path, "post", reply);
        }
    }

    let read = |credential: &str| {
        let authorization = format!("Bearer {credential}");
        server.send(
            "GET",
            "/api/session",
            &[("Authorization", &authorization)],
            "",
        )
    };
    for (status, reply) in [
        (200, read(&session)),
        (401, read("onb_ses1.e30.AAAA")),
        (403, read(&key)),
        (401, server.send("GET", "/api/session", &[], "")),
    ] {
        assert_eq!(reply.status, status, "{}", reply.text);
        check_response(&doc, "/session", "get", &reply);
    }

    // Drift the schemas would notice.
    let good = minted.json();
    let mut extra = good.clone();
    extra["partner_secret"] = json!("x");
    let mut no_expiry = read(&session).json();
    no_expiry.as_object_mut().unwrap().remove("expires_at");
    for (name, instance) in [
        ("SessionCreated", extra),
        (
            "SessionCreated",
            json!({ "session": "x", "partner_id": "acme", "role": "partner",
                                   "expires_at": good["expires_at"] }),
        ),
        ("Session", no_expiry),
        (
            "SigninLink",
            json!({ "url": "https://evil.example/login?code=x", "expires_at": good["expires_at"] }),
        ),
        (
            "UnauthorizedErrors",
            json!({ "errors": [{ "field": "", "code": "forbidden", "message": "m" }] }),
        ),
    ] {
        assert!(
            !component(&doc, name).is_valid(&instance),
            "{name} accepted {instance}"
        );
    }

    // `/signin` answers HTML: its statuses are the documented ones.
    let url = link.json()["url"].as_str().unwrap().to_string();
    let path = url.strip_prefix(&server.base).unwrap().to_string();
    let responses = &doc["paths"]["/signin"]["get"]["responses"];
    for (status, reply) in [
        (303, server.send("GET", &path, &[], "")),
        (410, server.send("GET", &path, &[], "")),
    ] {
        assert_eq!(reply.status, status);
        assert!(responses[status.to_string()].is_object(), "{status}");
    }
}

/// A `PUT /api/drafts/{id}` of `body` as `credential` with conditional `headers`.
fn put_draft(
    server: &Server,
    credential: &str,
    id: &str,
    conditions: &[(&str, &str)],
    body: &str,
) -> Reply {
    let authorization = format!("Bearer {credential}");
    let mut headers = vec![
        ("Authorization", authorization.as_str()),
        ("Content-Type", "application/json"),
    ];
    headers.extend_from_slice(conditions);
    server.send("PUT", &format!("/api/drafts/{id}"), &headers, body)
}

/// The account drafts' routes: every kind of answer against the document, the conditional
/// headers and `ETag` it names, and drift its schemas would notice.
#[test]
fn draft_routes_answer_as_documented() {
    use onboarding_core::draft_codec::{self, StoredDraft};

    let doc = document();
    let any_caller = json!([{ "secretKey": [] }, { "session": [] }, { "sessionCookie": [] }]);
    let item = &doc["paths"]["/drafts/{draft_id}"];
    for (path, method) in [
        ("/drafts", "get"),
        ("/drafts/{draft_id}", "get"),
        ("/drafts/{draft_id}", "put"),
        ("/drafts/{draft_id}", "delete"),
    ] {
        assert_eq!(
            doc["paths"][path][method]["security"], any_caller,
            "{method} {path}"
        );
    }
    let names = |method: &str| -> Vec<String> {
        item[method]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                format!(
                    "{}:{}",
                    p["in"].as_str().unwrap(),
                    p["name"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        names("put"),
        ["path:draft_id", "header:If-Match", "header:If-None-Match"]
    );
    assert_eq!(names("delete"), ["path:draft_id", "header:If-Match"]);
    for (method, status) in [
        ("get", "200"),
        ("put", "200"),
        ("put", "412"),
        ("delete", "412"),
    ] {
        assert!(
            item[method]["responses"][status]["headers"]["ETag"].is_object(),
            "{method} {status} names its ETag"
        );
    }
    let statuses = |method: &str| -> Vec<String> {
        item[method]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(
        statuses("put"),
        ["200", "400", "401", "404", "408", "412", "413", "415", "422", "428", "500", "503"]
    );
    assert_eq!(
        statuses("delete"),
        ["204", "401", "404", "412", "428", "500", "503"]
    );
    assert!(item["delete"]["responses"]["204"]["content"].is_null());

    let server = Server::start(None);
    let other = server.add_partner_key("other-partner");
    let session = server.mint_session(&server.key, "partner");
    let draft = pbx_draft();
    let id = draft.id.clone();
    let document: Value = serde_json::from_str(&draft_codec::encode(&StoredDraft::new(
        draft.clone(),
        1_790_000_000_000.0,
    )))
    .unwrap();
    let body = json!({ "draft": document });
    let request_schema = &item["put"]["requestBody"]["content"]["application/json"]["schema"];
    assert_valid(&validator(&doc, request_schema), &body, "the PUT body");
    let body = body.to_string();
    let etag_of = |reply: &Reply| {
        let etag = reply.header("etag").expect("an ETag").to_string();
        let pattern = item["get"]["responses"]["200"]["headers"]["ETag"]["schema"]["pattern"]
            .as_str()
            .unwrap();
        assert_eq!(pattern, "^\"[0-9]+\"$");
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && etag.len() > 2,
            "{etag}"
        );
        etag
    };

    // PUT: 200 (create, update), 412 (exists, stale, unknown), 428, 400, 413, 415, 422, 404, 401.
    let created = put_draft(&server, &session, &id, &[("If-None-Match", "*")], &body);
    assert_eq!(created.status, 200, "{}", created.text);
    check_response(&doc, "/drafts/{draft_id}", "put", &created);
    let v1 = etag_of(&created);
    let updated = put_draft(&server, &server.key, &id, &[("If-Match", &v1)], &body);
    assert_eq!(updated.status, 200, "{}", updated.text);
    let v2 = etag_of(&updated);
    let mut with_password = document.clone();
    with_password["working"]["pbx"]["password"] = json!("x");
    let with_password = json!({ "draft": with_password }).to_string();
    let mut future = document.clone();
    future["schema_version"] = json!(9);
    let future = json!({ "draft": future }).to_string();
    let unknown = new_id();
    let mut unknown_document = document.clone();
    unknown_document["working"]["id"] = json!(unknown);
    let unknown_body = json!({ "draft": unknown_document }).to_string();
    let put_answers = [
        (
            412,
            put_draft(&server, &server.key, &id, &[("If-None-Match", "*")], &body),
        ),
        (
            412,
            put_draft(&server, &server.key, &id, &[("If-Match", &v1)], &body),
        ),
        (
            412,
            put_draft(
                &server,
                &server.key,
                &unknown,
                &[("If-Match", &v1)],
                &unknown_body,
            ),
        ),
        (
            412,
            put_draft(&server, &other, &id, &[("If-Match", &v2)], &body),
        ),
        (428, put_draft(&server, &server.key, &id, &[], &body)),
        (
            400,
            put_draft(&server, &server.key, &id, &[("If-Match", &v2)], "{"),
        ),
        (
            413,
            put_draft(
                &server,
                &server.key,
                &id,
                &[("If-Match", &v2)],
                &"x".repeat(partner_backend::drafts::DRAFT_BODY_LIMIT + 1),
            ),
        ),
        (
            415,
            server.send(
                "PUT",
                &format!("/api/drafts/{id}"),
                &[
                    ("Authorization", &format!("Bearer {}", server.key)),
                    ("If-Match", &v2),
                ],
                &body,
            ),
        ),
        (
            422,
            put_draft(
                &server,
                &server.key,
                &id,
                &[("If-Match", &v2)],
                &with_password,
            ),
        ),
        (
            422,
            put_draft(&server, &server.key, &id, &[("If-Match", &v2)], &future),
        ),
        (
            422,
            put_draft(
                &server,
                &server.key,
                &unknown,
                &[("If-None-Match", "*")],
                &body,
            ),
        ),
        (
            404,
            put_draft(
                &server,
                &server.key,
                "nope",
                &[("If-None-Match", "*")],
                &body,
            ),
        ),
        (
            401,
            put_draft(&server, "onb_sk_nope", &id, &[("If-Match", &v2)], &body),
        ),
    ];
    for (status, reply) in &put_answers {
        assert_eq!(reply.status, *status, "{}", reply.text);
        check_response(&doc, "/drafts/{draft_id}", "put", reply);
    }
    assert_eq!(put_answers[1].1.header("etag"), Some(v2.as_str()));
    assert_eq!(put_answers[2].1.json()["current"], Value::Null);
    assert_eq!(put_answers[3].1.json()["current"], Value::Null);

    // GET one: 200 with its ETag, 404 (unknown, another partner's), 401.
    let read = server.get(&format!("/api/drafts/{id}"));
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.header("etag"), Some(v2.as_str()));
    check_response(&doc, "/drafts/{draft_id}", "get", &read);
    for (status, reply) in [
        (404, server.get(&format!("/api/drafts/{unknown}"))),
        (
            404,
            server.get_as(Some(&other), &format!("/api/drafts/{id}")),
        ),
        (401, server.get_as(None, &format!("/api/drafts/{id}"))),
    ] {
        assert_eq!(reply.status, status, "{}", reply.text);
        check_response(&doc, "/drafts/{draft_id}", "get", &reply);
    }

    // The list: 200 (with and without drafts), 401.
    for credential in [&server.key, &session, &other] {
        let list = server.get_as(Some(credential), "/api/drafts");
        assert_eq!(list.status, 200, "{}", list.text);
        check_response(&doc, "/drafts", "get", &list);
    }
    assert_eq!(
        server.get("/api/drafts").json()["drafts"][0]["draft_id"],
        id.as_str()
    );
    let refused = server.get_as(None, "/api/drafts");
    assert_eq!(refused.status, 401);
    check_response(&doc, "/drafts", "get", &refused);

    // DELETE: 428, 412, 404, 401, then 204 (no body).
    let delete = |credential: Option<&str>, draft: &str, conditions: &[(&str, &str)]| {
        let authorization = credential.map(|c| format!("Bearer {c}"));
        let mut headers: Vec<(&str, &str)> = conditions.to_vec();
        if let Some(authorization) = &authorization {
            headers.push(("Authorization", authorization));
        }
        server.send("DELETE", &format!("/api/drafts/{draft}"), &headers, "")
    };
    for (status, reply) in [
        (428, delete(Some(&server.key), &id, &[])),
        (412, delete(Some(&server.key), &id, &[("If-Match", &v1)])),
        (
            404,
            delete(Some(&server.key), &unknown, &[("If-Match", &v2)]),
        ),
        (404, delete(Some(&other), &id, &[("If-Match", &v2)])),
        (401, delete(None, &id, &[("If-Match", &v2)])),
    ] {
        assert_eq!(reply.status, status, "{}", reply.text);
        check_response(&doc, "/drafts/{draft_id}", "delete", &reply);
    }
    let deleted = delete(Some(&server.key), &id, &[("If-Match", &v2)]);
    assert_eq!(deleted.status, 204);
    assert!(item["delete"]["responses"]["204"].is_object());
    assert_eq!(deleted.text, "");

    // Drift the schemas would notice.
    let copy = read.json();
    let summary = json!({ "draft_id": id, "customer_name": "A", "current_step": "customer",
                          "updated_at": copy["updated_at"], "version": "3" });
    assert!(component(&doc, "DraftSummary").is_valid(&summary));
    let mut with_document = summary.clone();
    with_document["draft"] = copy["draft"].clone();
    let mut numeric_version = summary.clone();
    numeric_version["version"] = json!(3);
    let mut copy_with_password = copy.clone();
    copy_with_password["draft"]["working"]["pbx"]["password"] = json!("x");
    let mut copy_with_key = copy.clone();
    copy_with_key["draft"]["working"]["pbx"]["certificate_pem"] =
        json!("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----");
    let conflict = put_answers[1].1.json();
    let mut conflict_without_current = conflict.clone();
    conflict_without_current
        .as_object_mut()
        .unwrap()
        .remove("current");
    for (name, instance) in [
        ("DraftSummary", with_document),
        ("DraftSummary", numeric_version),
        ("DraftCopy", copy_with_password),
        ("DraftCopy", copy_with_key),
        ("VersionConflictErrors", conflict_without_current),
        (
            "DraftRefusedErrors",
            json!({ "errors": [{ "field": "draft", "code": "too_long", "message": "m" }] }),
        ),
        ("DraftWritten", json!({ "version": "1" })),
    ] {
        assert!(
            !component(&doc, name).is_valid(&instance),
            "{name} accepted {instance}"
        );
    }
}
