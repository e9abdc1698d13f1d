//! The onboarding API over real HTTP: what is accepted, what is refused and why, and the
//! idempotency rules of the contract.

mod common;

use common::{body_of, new_id, pbx_draft, stored_body_of, stored_password, sync_draft, Server};
use onboarding_core::payload::{build, Submission};
use serde_json::{json, Value};

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_string(), code.to_string())
}

/// A 201 answer's id, checked to be a fresh UUID v4 with status `received`.
fn created_id(reply: &common::Reply) -> String {
    assert_eq!(reply.status, 201, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["status"], "received");
    assert_eq!(body.as_object().unwrap().len(), 2, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 4);
    id
}

fn stored_exactly(server: &Server, submission: &Submission, id: &str) {
    let rows = server.rows();
    assert_eq!(rows.len(), 1);
    let (row_id, key, partner_id, body) = &rows[0];
    assert_eq!(row_id, id);
    assert_eq!(key, &submission.draft_id);
    assert_eq!(partner_id, &submission.partner_id);
    // The canonical JSON is stored as accepted, the PBX password apart and sealed.
    assert_eq!(body, &stored_body_of(submission));
    let mut stored: Submission = serde_json::from_str(body).unwrap();
    let password = stored_password(&server.db_path, id);
    assert_eq!(
        password,
        submission.pbx.as_ref().map(|p| p.password.clone())
    );
    if let (Some(pbx), Some(password)) = (stored.pbx.as_mut(), password) {
        pbx.password = password;
    }
    assert_eq!(&stored, submission);

    // The API shows the same record, without the PBX password.
    let read = server.get(&format!("/api/onboardings/{id}"));
    assert_eq!(read.status, 200, "{}", read.text);
    let read = read.json();
    assert_eq!(
        (read["id"].as_str(), read["status"].as_str()),
        (Some(id), Some("received"))
    );
    let received_at = read["received_at"].as_str().unwrap();
    assert!(
        received_at.len() == 24 && received_at.ends_with('Z'),
        "{received_at}"
    );
    let mut expected = serde_json::to_value(submission).unwrap();
    if let Some(password) = expected.pointer_mut("/pbx/password") {
        *password = Value::Null;
    }
    assert_eq!(read["onboarding"], expected);
}

#[test]
fn pbx_submission_is_accepted_and_stored_exactly() {
    let server = Server::start(None);
    let submission = build(&pbx_draft());
    // What the wizard normalised is what is kept.
    assert_eq!(submission.customer.name, "Clínica Sol");
    assert_eq!(
        submission.gateway.mac_address.as_deref(),
        Some("AA:BB:CC:DD:EE:FF")
    );
    assert_eq!(submission.pbx.as_ref().unwrap().port, Some(8443));
    let reply = server.submit(&submission.draft_id, &body_of(&submission));
    let id = created_id(&reply);
    assert_eq!(
        reply.header("location"),
        Some(format!("/api/onboardings/{id}").as_str())
    );
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    stored_exactly(&server, &submission, &id);
    // The password is kept for the partner's provisioning, only never echoed, and never in
    // the body's JSON.
    assert!(server.rows()[0].3.contains("\"password\":\"\""));
    assert!(!server.rows()[0].3.contains("s3cret!"));
}

#[test]
fn sync_submission_is_accepted_and_stored_exactly() {
    let server = Server::start(None);
    let submission = build(&sync_draft());
    assert!(submission.pbx.is_none() && submission.gateway.mac_address.is_none());
    let id = created_id(&server.submit(&submission.draft_id, &body_of(&submission)));
    stored_exactly(&server, &submission, &id);
    let read = server.get(&format!("/api/onboardings/{id}")).json();
    assert_eq!(
        read["onboarding"]["sync"],
        json!({"users": "with_email", "send_welcome_emails": false})
    );
    assert_eq!(read["onboarding"]["pbx"], Value::Null);
}

#[test]
fn a_field_rule_is_refused_with_its_field_path() {
    let server = Server::start(None);
    let mut draft = pbx_draft();
    draft.support_contacts[1].email = "eva@".into();
    draft.customer.name = "x".repeat(101);
    let submission = build(&draft);
    let reply = server.submit(&submission.draft_id, &body_of(&submission));
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(
        reply.error_codes(),
        vec![
            pair("customer.name", "too_long"),
            pair("support_contacts[1].email", "email_format")
        ]
    );
    let errors = &reply.json()["errors"];
    // Codes with parameters carry them, as the shared crate's ApiError flattens them.
    assert_eq!(errors[0]["max"], 100);
    assert_eq!(errors[0]["len"], 101);
    assert_eq!(
        errors[0]["message"],
        "Enter 100 characters or fewer: this answer has 101"
    );
    assert_eq!(
        errors[1]["message"],
        "Enter an email address in the correct format, like name@example.com"
    );
    assert!(server.rows().is_empty());
}

#[test]
fn a_missing_pbx_section_on_a_mivoice_platform_is_refused() {
    let server = Server::start(None);
    let mut submission = build(&pbx_draft());
    submission.pbx = None;
    let reply = server.submit(&submission.draft_id, &body_of(&submission));
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(reply.error_codes(), vec![pair("pbx", "required")]);
    assert!(server.rows().is_empty());
}

#[test]
fn the_idempotency_key_must_be_present_a_uuid_and_the_draft_id() {
    let server = Server::start(None);
    let submission = build(&pbx_draft());
    let body = body_of(&submission);
    let missing = server.post("/api/onboardings", Some("application/json"), None, &body);
    assert_eq!(missing.status, 400);
    assert_eq!(
        missing.error_codes(),
        vec![pair("", "idempotency_key_missing")]
    );
    let invalid = server.submit("not-a-uuid", &body);
    assert_eq!(invalid.status, 400);
    assert_eq!(
        invalid.error_codes(),
        vec![pair("", "idempotency_key_invalid")]
    );
    let other = server.submit(&new_id(), &body);
    assert_eq!(other.status, 400);
    assert_eq!(
        other.error_codes(),
        vec![pair("", "idempotency_key_mismatch")]
    );
    assert!(server.rows().is_empty());
    // The same UUID in upper case is the same key.
    let upper = server.submit(&submission.draft_id.to_uppercase(), &body);
    assert_eq!(upper.status, 201, "{}", upper.text);
}

#[test]
fn bodies_that_are_not_a_submission_are_malformed() {
    let server = Server::start(None);
    let key = new_id();
    let mut wrong_shape = serde_json::to_value(build(&pbx_draft())).unwrap();
    wrong_shape["draft_id"] = json!(key);
    wrong_shape["admin_contacts"] = json!("none");
    for body in ["{\"schema_version\": 1,", "", "[]"] {
        let reply = server.submit(&key, body);
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        assert_eq!(reply.error_codes(), vec![pair("", "malformed")], "{body}");
    }
    // A body of the wrong shape is refused on the field that does not fit.
    let reply = server.submit(&key, &wrong_shape.to_string());
    assert_eq!(reply.status, 400, "{}", reply.text);
    assert_eq!(
        reply.error_codes(),
        vec![pair("admin_contacts", "malformed")]
    );
    assert_eq!(
        reply.json()["errors"][0]["message"],
        "admin_contacts must be a list"
    );
    assert!(server.rows().is_empty());
}

#[test]
fn only_json_is_accepted() {
    let server = Server::start(None);
    let submission = build(&pbx_draft());
    let body = body_of(&submission);
    let key = Some(submission.draft_id.as_str());
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let reply = server.post("/api/onboardings", content_type, key, &body);
        assert_eq!(reply.status, 415, "{content_type:?}");
        assert_eq!(
            reply.error_codes(),
            vec![pair("", "unsupported_media_type")]
        );
    }
    assert!(server.rows().is_empty());
    let with_charset = server.post(
        "/api/onboardings",
        Some("application/json; charset=utf-8"),
        key,
        &body,
    );
    assert_eq!(with_charset.status, 201, "{}", with_charset.text);
}

#[test]
fn oversized_bodies_are_refused() {
    let server = Server::start(None);
    let key = new_id();
    let body = format!(
        "{{\"padding\": \"{}\"}}",
        "x".repeat(partner_backend::api::BODY_LIMIT)
    );
    let reply = server.submit(&key, &body);
    assert_eq!(reply.status, 413, "{}", reply.text);
    assert_eq!(reply.error_codes(), vec![pair("", "too_large")]);
}

#[test]
fn a_replay_answers_the_same_id_and_adds_no_row() {
    let server = Server::start(None);
    let submission = build(&pbx_draft());
    let first = created_id(&server.submit(&submission.draft_id, &body_of(&submission)));
    let again = created_id(&server.submit(&submission.draft_id, &body_of(&submission)));
    // Same submission, other bytes: pretty-printed, keys in another order.
    let mut reordered: serde_json::Map<String, Value> = serde_json::to_value(&submission)
        .unwrap()
        .as_object()
        .unwrap()
        .clone();
    reordered.sort_keys();
    let pretty = serde_json::to_string_pretty(&reordered).unwrap();
    assert_ne!(pretty, body_of(&submission));
    let respaced = created_id(&server.submit(&submission.draft_id, &pretty));
    assert_eq!((&again, &respaced), (&first, &first));
    assert_eq!(server.rows().len(), 1);
}

#[test]
fn a_corrected_retry_after_422_with_the_same_key_is_accepted() {
    let server = Server::start(None);
    let mut draft = pbx_draft();
    draft.gateway.mac_address = "not a mac".into();
    let refused = build(&draft);
    let reply = server.submit(&refused.draft_id, &body_of(&refused));
    assert_eq!(
        reply.error_codes(),
        vec![pair("gateway.mac_address", "mac_format")]
    );
    draft.gateway.mac_address = "AABBCCDDEEFF".into();
    let corrected = build(&draft);
    let id = created_id(&server.submit(&corrected.draft_id, &body_of(&corrected)));
    stored_exactly(&server, &corrected, &id);
}

#[test]
fn a_different_body_after_acceptance_is_a_conflict() {
    let server = Server::start(None);
    let mut draft = pbx_draft();
    let accepted = build(&draft);
    let id = created_id(&server.submit(&accepted.draft_id, &body_of(&accepted)));
    draft.gateway.site_name = "Otra sede".into();
    let changed = build(&draft);
    let reply = server.submit(&changed.draft_id, &body_of(&changed));
    assert_eq!(reply.status, 409, "{}", reply.text);
    assert_eq!(reply.error_codes(), vec![pair("", "idempotency_conflict")]);
    stored_exactly(&server, &accepted, &id);
}

#[test]
fn concurrent_requests_with_one_key_make_one_row() {
    let server = Server::start(None);
    let submission = build(&pbx_draft());
    let body = body_of(&submission);
    let ids: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..20)
            .map(|_| scope.spawn(|| created_id(&server.submit(&submission.draft_id, &body))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(ids.iter().all(|id| id == &ids[0]), "{ids:?}");
    assert_eq!(server.rows().len(), 1);
    assert_eq!(server.rows()[0].0, ids[0]);
}

#[test]
fn unknown_records_paths_and_methods_answer_json() {
    let server = Server::start(None);
    for path in [
        format!("/api/onboardings/{}", new_id()),
        "/api/onboardings/nope".into(),
        "/api/nope".into(),
        "/api".into(),
    ] {
        let reply = server.get(&path);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.error_codes(), vec![pair("", "not_found")], "{path}");
    }
    let delete_list = server.send("DELETE", "/api/onboardings", &[], "");
    assert_eq!(delete_list.status, 405);
    assert_eq!(delete_list.header("allow"), Some("POST,GET,HEAD"));
    assert_eq!(
        delete_list.error_codes(),
        vec![pair("", "method_not_allowed")]
    );
    let post_record = server.post(
        &format!("/api/onboardings/{}", new_id()),
        Some("application/json"),
        None,
        "{}",
    );
    assert_eq!(post_record.status, 405);
}

#[test]
fn the_api_follows_api_base_url_from_config_json() {
    let server = Server::start(Some(r#"{"api_base_url": "/partner-api/v2/"}"#));
    let submission = build(&sync_draft());
    let reply = server.post(
        "/partner-api/v2/onboardings",
        Some("application/json"),
        Some(&submission.draft_id),
        &body_of(&submission),
    );
    let id = created_id(&reply);
    assert_eq!(
        reply.header("location"),
        Some(format!("/partner-api/v2/onboardings/{id}").as_str())
    );
    assert_eq!(
        server
            .get(&format!("/partner-api/v2/onboardings/{id}"))
            .status,
        200
    );
    // Nothing is mounted at the default path any more.
    assert_eq!(
        server
            .get(&format!("/api/onboardings/{id}"))
            .header("content-type"),
        Some("text/html; charset=utf-8")
    );
}
