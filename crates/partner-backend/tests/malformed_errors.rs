//! A body that is not of the submission's shape, over real HTTP: the 400 `malformed` names the
//! field at fault and what it must be, and never repeats the value sent (a password typed into
//! the wrong field) nor serde's wording or Rust type names.

mod common;

use common::{body_of, pbx_draft, Server};
use onboarding_core::payload::build;
use serde_json::{json, Value};

const SECRET: &str = "Hunter2-Malformed-Secret-5521";

/// What a refusal may never contain: the value sent, and serde's or Rust's vocabulary.
const FORBIDDEN: &[&str] = &[
    SECRET,
    "invalid type",
    "invalid value",
    "expected",
    "i64",
    "u32",
    "struct",
    "Submission",
    "Submitted",
    "`",
    "99999999999999999999",
    "1234567",
];

fn base() -> Value {
    serde_json::to_value(build(&pbx_draft())).unwrap()
}

#[test]
fn a_wrong_type_is_refused_on_its_field_without_the_value_sent() {
    let server = Server::start(None);
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "/pbx/port",
            json!(SECRET),
            "pbx.port",
            "pbx.port must be a whole number",
        ),
        (
            "/pbx/port",
            json!(99999999999999999999999.0),
            "pbx.port",
            "pbx.port must be a whole number",
        ),
        (
            "/pbx/use_tls",
            json!(SECRET),
            "pbx.use_tls",
            "pbx.use_tls must be true or false",
        ),
        (
            "/schema_version",
            json!(format!("<script>{SECRET}</script>")),
            "schema_version",
            "schema_version must be a whole number",
        ),
        (
            "/customer",
            json!(SECRET),
            "customer",
            "customer must be an object",
        ),
        (
            "/customer/name",
            json!(1234567),
            "customer.name",
            "customer.name must be text",
        ),
        (
            "/admin_contacts/0",
            json!(SECRET),
            "admin_contacts[0]",
            "admin_contacts[0] must be an object",
        ),
        (
            "/support_contacts",
            json!({ "password": SECRET }),
            "support_contacts",
            "support_contacts must be a list",
        ),
        (
            "/pbx/password",
            json!([SECRET]),
            "pbx.password",
            "pbx.password must be text",
        ),
    ];
    for (pointer, value, field, message) in cases {
        let mut body = base();
        *body.pointer_mut(pointer).unwrap() = value;
        let key = body["draft_id"].as_str().unwrap().to_string();
        let reply = server.submit(&key, &body.to_string());
        assert_eq!(reply.status, 400, "{pointer}: {}", reply.text);
        let errors = &reply.json()["errors"];
        assert_eq!(
            errors,
            &json!([{ "field": field, "code": "malformed", "message": message }]),
            "{pointer}"
        );
        for forbidden in FORBIDDEN {
            assert!(
                !reply.text.contains(forbidden),
                "{forbidden:?} in {}",
                reply.text
            );
        }
    }
    assert!(server.rows().is_empty());
}

#[test]
fn missing_duplicate_and_unparsable_bodies_echo_nothing() {
    let server = Server::start(None);
    let submission = build(&pbx_draft());
    let key = submission.draft_id.clone();
    let mut missing = base();
    missing["pbx"].as_object_mut().unwrap().remove("password");
    let sent = body_of(&submission);
    let duplicate = format!(
        "{},\"schema_version\":\"{SECRET}\"}}",
        sent.strip_suffix('}').unwrap()
    );
    let cases = [
        (
            missing.to_string(),
            "pbx.password",
            "pbx.password is required",
        ),
        (
            duplicate,
            "schema_version",
            "schema_version is sent more than once",
        ),
        (
            format!("[\"{SECRET}\"]"),
            "",
            "The request body must be an object",
        ),
        (format!("{{\"pbx\": \"{SECRET}"), "", ""),
        (format!("{{\"pbx\": {SECRET}}}"), "", ""),
        (format!("{sent} {SECRET}"), "", ""),
    ];
    for (body, field, message) in cases {
        let reply = server.submit(&key, &body);
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        let entry = &reply.json()["errors"][0];
        assert_eq!(
            (entry["field"].as_str(), entry["code"].as_str()),
            (Some(field), Some("malformed"))
        );
        let text = entry["message"].as_str().unwrap();
        if message.is_empty() {
            assert!(
                text.starts_with("The request body is not valid JSON (line 1, column "),
                "{text}"
            );
        } else {
            assert_eq!(text, message);
        }
        for forbidden in FORBIDDEN {
            assert!(
                !reply.text.contains(forbidden),
                "{forbidden:?} in {}",
                reply.text
            );
        }
    }
    assert!(server.rows().is_empty());
}
