//! The hostile-input corpus (`tests/corpus/hostile-inputs.json`, shared with the browser tests)
//! posted in every free-text string field of the submission, over real HTTP, one field at a
//! time in an otherwise valid onboarding.
//!
//! For every case and field: never a 5xx or a dropped connection. Where the shared validation
//! crate (called directly here) accepts the body, the answer is 201 and the stored row holds the
//! field byte for byte as sent; where it refuses it, a 422 whose every entry names exactly that
//! field's path, with the codes the crate gives. Deriving the expectation from the crate keeps
//! this test right while its rules grow (e.g. a rule against control characters); the explicit
//! tests at the end pin down a few verdicts without it.

mod common;

use common::{body_of, pbx_draft, Reply, Server};
use onboarding_core::payload::{build, validate_submission, Submission};
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

struct Case {
    id: String,
    value: String,
}

fn corpus() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/corpus/hostile-inputs.json"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases: Vec<Case> = doc["cases"]
        .as_array()
        .expect("a cases array")
        .iter()
        .map(|case| {
            let id = case["id"]
                .as_str()
                .expect("every case has an id")
                .to_string();
            let value = match (&case["value"], &case["repeat"], &case["times"]) {
                (Value::String(v), Value::Null, Value::Null) => v.clone(),
                (Value::Null, Value::String(r), Value::Number(n)) => {
                    r.repeat(n.as_u64().expect("times is a count") as usize)
                }
                _ => panic!("case {id}: either `value`, or `repeat` and `times`"),
            };
            Case { id, value }
        })
        .collect();
    let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), cases.len(), "case ids are unique");
    assert!(
        cases.len() >= 20,
        "the corpus was read: {} cases",
        cases.len()
    );
    cases
}

/// Every free-text string of the body: (API path, JSON pointer). Choices (country, business
/// type, language, platform, role, sync users) are closed lists, not text; `draft_id` must be
/// the Idempotency-Key, a UUID (the request-parsing property test covers it). `partner_id` must
/// be the credential's partner: its cases are sent by a partner of that very id (see
/// [`Partners`]), so a hostile id given to `partners add` is what is tested.
const FIELDS: &[(&str, &str)] = &[
    ("partner_id", "/partner_id"),
    ("customer.name", "/customer/name"),
    ("customer.address.street", "/customer/address/street"),
    ("customer.address.street2", "/customer/address/street2"),
    ("customer.address.city", "/customer/address/city"),
    ("customer.address.region", "/customer/address/region"),
    (
        "customer.address.postal_code",
        "/customer/address/postal_code",
    ),
    (
        "admin_contacts[0].first_name",
        "/admin_contacts/0/first_name",
    ),
    ("admin_contacts[0].last_name", "/admin_contacts/0/last_name"),
    ("admin_contacts[0].email", "/admin_contacts/0/email"),
    ("support_contacts[0].name", "/support_contacts/0/name"),
    ("support_contacts[0].email", "/support_contacts/0/email"),
    ("support_contacts[1].name", "/support_contacts/1/name"),
    ("support_contacts[1].email", "/support_contacts/1/email"),
    ("gateway.site_name", "/gateway/site_name"),
    (
        "gateway.site_address.street",
        "/gateway/site_address/street",
    ),
    (
        "gateway.site_address.street2",
        "/gateway/site_address/street2",
    ),
    ("gateway.site_address.city", "/gateway/site_address/city"),
    (
        "gateway.site_address.region",
        "/gateway/site_address/region",
    ),
    (
        "gateway.site_address.postal_code",
        "/gateway/site_address/postal_code",
    ),
    ("gateway.mac_address", "/gateway/mac_address"),
    ("pbx.host", "/pbx/host"),
    ("pbx.username", "/pbx/username"),
    ("pbx.password", "/pbx/password"),
    ("pbx.certificate_pem", "/pbx/certificate_pem"),
];

const CERTIFICATE: &str =
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUVjIw\n-----END CERTIFICATE-----";

/// A valid PBX-path submission in which every field of [`FIELDS`] is present: a site address of
/// its own and a certificate.
fn base() -> Value {
    let mut draft = pbx_draft();
    draft.gateway.site_same_as_customer = false;
    draft.gateway.site_address = draft.customer.address.clone();
    draft.gateway.site_address.street = "Calle de Alcalá 20".into();
    draft.gateway.site_address.street2 = "Planta 2".into();
    draft.customer.address.street2 = "Local 3".into();
    draft.pbx.certificate_pem = CERTIFICATE.into();
    let submission = build(&draft);
    assert_eq!(
        validate_submission(&submission),
        vec![],
        "the base is valid"
    );
    let value = serde_json::to_value(&submission).unwrap();
    for (path, pointer) in FIELDS {
        assert!(
            value.pointer(pointer).is_some_and(Value::is_string),
            "{path} is a string in the base"
        );
    }
    value
}

/// The base with a fresh draft id (the key) and `value` at `pointer`.
fn with_field(base: &Value, pointer: &str, value: &str) -> Submission {
    let mut body = base.clone();
    let key = common::new_id();
    body["draft_id"] = Value::String(key);
    *body.pointer_mut(pointer).unwrap() = Value::String(value.to_string());
    serde_json::from_value(body).unwrap()
}

/// The stored row for a key, read from the database file: (id, partner_id, body).
fn stored(conn: &Connection, key: &str) -> Option<(String, Option<String>, String)> {
    conn.query_row(
        "SELECT id, partner_id, body FROM onboardings WHERE idempotency_key = ?1",
        [key],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
    .unwrap()
}

fn pairs(reply: &Reply) -> Vec<(String, String)> {
    reply.error_codes()
}

/// The secret key of the partner a submission names (added on first use), so that its
/// `partner_id` is the caller's own whatever text it holds.
#[derive(Default)]
struct Partners(std::collections::HashMap<String, String>);

impl Partners {
    fn key_for(&mut self, server: &Server, submission: &Submission) -> String {
        match submission.partner_id.as_deref() {
            None | Some(common::PARTNER) => server.key.clone(),
            Some(id) => self
                .0
                .entry(id.to_string())
                .or_insert_with(|| server.add_partner_key(id))
                .clone(),
        }
    }
}

/// Posts `submission` and checks the answer and the database against the crate's verdict.
/// Returns a description of what went wrong, if anything.
fn check(
    server: &Server,
    partners: &mut Partners,
    conn: &Connection,
    path: &str,
    pointer: &str,
    submission: &Submission,
) -> Result<&'static str, String> {
    let sent = body_of(submission);
    let credential = partners.key_for(server, submission);
    let reply = server
        .try_submit_as(&credential, &submission.draft_id, &sent)
        .map_err(|e| format!("no answer: {e}"))?;
    if reply.status >= 500 {
        return Err(format!("answered {}: {}", reply.status, reply.text));
    }
    let expected = validate_submission(submission);
    let row = stored(conn, &submission.draft_id);
    if expected.is_empty() {
        if reply.status != 201 {
            return Err(format!(
                "the crate accepts it, the server answered {}: {}",
                reply.status, reply.text
            ));
        }
        let id = reply.json()["id"].as_str().unwrap_or_default().to_string();
        let (row_id, partner_id, body) = row.ok_or("201 but no row for the key")?;
        if row_id != id {
            return Err(format!("answered id {id}, stored id {row_id}"));
        }
        // The PBX password is kept apart, sealed: what is stored is the body with that
        // password put back from its own column.
        let mut body_value: Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
        if let Some(password) = common::stored_password(&server.db_path, &row_id) {
            *body_value.pointer_mut("/pbx/password").unwrap() = Value::String(password);
        }
        let field_sent = submission_value(submission, pointer);
        if body_value.pointer(pointer) != Some(&field_sent) {
            return Err(format!(
                "stored {:?} instead of the value sent",
                body_value.pointer(pointer)
            ));
        }
        if body != common::stored_body_of(submission) {
            return Err("the stored body is not the body sent (canonical JSON)".into());
        }
        if partner_id != submission.partner_id {
            return Err(format!("partner_id column holds {partner_id:?}"));
        }
        Ok("accepted")
    } else {
        if reply.status != 422 {
            return Err(format!(
                "the crate refuses it ({expected:?}), the server answered {}: {}",
                reply.status, reply.text
            ));
        }
        let answered = pairs(&reply);
        let wanted: Vec<(String, String)> = expected
            .iter()
            .map(|e| (e.path.clone(), e.code.as_str().to_string()))
            .collect();
        if answered != wanted {
            return Err(format!("422 with {answered:?}, the crate gives {wanted:?}"));
        }
        if let Some((field, _)) = answered.iter().find(|(field, _)| field != path) {
            return Err(format!("a 422 entry names {field:?}, not {path:?}"));
        }
        if row.is_some() {
            return Err("a refused submission was stored".into());
        }
        Ok("refused")
    }
}

fn submission_value(submission: &Submission, pointer: &str) -> Value {
    serde_json::to_value(submission)
        .unwrap()
        .pointer(pointer)
        .cloned()
        .unwrap()
}

#[test]
fn every_case_in_every_text_field_is_stored_exactly_or_refused_on_that_field() {
    let cases = corpus();
    let base = base();
    let server = Server::start(None);
    let conn = Connection::open(&server.db_path).unwrap();
    let mut partners = Partners::default();
    let mut failures = Vec::new();
    let (mut accepted, mut refused) = (0, 0);
    for case in &cases {
        let mut refused_in = Vec::new();
        for (path, pointer) in FIELDS {
            let submission = with_field(&base, pointer, &case.value);
            match check(&server, &mut partners, &conn, path, pointer, &submission) {
                Ok("accepted") => accepted += 1,
                Ok(_) => {
                    refused += 1;
                    refused_in.push(*path);
                }
                Err(why) => failures.push(format!("{} in {path}: {why}", case.id)),
            }
        }
        // The verdicts, for the reliability report (`-- --nocapture`).
        println!(
            "{:<24} stored exactly in {:>2} fields, refused in {:>2}: {}",
            case.id,
            FIELDS.len() - refused_in.len(),
            refused_in.len(),
            refused_in.join(", ")
        );
    }
    let total = cases.len() * FIELDS.len();
    println!(
        "hostile inputs: {} cases x {} fields = {total} submissions: {accepted} accepted and \
         stored exactly, {refused} refused with a 422 on the field",
        cases.len(),
        FIELDS.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(accepted + refused, total);
    // Both outcomes occur: the corpus holds both kinds of value.
    assert!(accepted > 0 && refused > 0, "{accepted} / {refused}");
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM onboardings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, accepted as i64, "one row per accepted submission");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}

// Explicit verdicts, independent of the crate's rules.

fn value_of(cases: &[Case], id: &str) -> String {
    cases
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("corpus case {id}"))
        .value
        .clone()
}

fn post(server: &Server, submission: &Submission) -> Reply {
    server
        .try_submit(&submission.draft_id, &body_of(submission))
        .unwrap()
}

/// The stored submission for a 201 answer, from the file and from the API.
fn stored_after(server: &Server, reply: &Reply, key: &str) -> (Value, Option<String>, Value) {
    stored_after_as(server, &server.key, reply, key)
}

/// [`stored_after`], read back with `credential`.
fn stored_after_as(
    server: &Server,
    credential: &str,
    reply: &Reply,
    key: &str,
) -> (Value, Option<String>, Value) {
    assert_eq!(reply.status, 201, "{}", reply.text);
    let conn = Connection::open(&server.db_path).unwrap();
    let (id, partner_id, body) = stored(&conn, key).expect("a row for the key");
    assert_eq!(reply.json()["id"], id.as_str());
    let read = server.get_as(Some(credential), &format!("/api/onboardings/{id}"));
    assert_eq!(read.status, 200, "{}", read.text);
    (
        serde_json::from_str(&body).unwrap(),
        partner_id,
        read.json()["onboarding"].clone(),
    )
}

#[test]
fn markup_in_the_customer_name_is_stored_and_read_back_as_sent() {
    let server = Server::start(None);
    let cases = corpus();
    for (id, value) in [
        ("script-tag", "<script>alert(1)</script>"),
        ("img-onerror", "\"><img src=x onerror=alert(1)>"),
    ] {
        assert_eq!(value_of(&cases, id), value);
        let submission = with_field(&base(), "/customer/name", value);
        let reply = post(&server, &submission);
        let (stored, _, read) = stored_after(&server, &reply, &submission.draft_id);
        assert_eq!(stored["customer"]["name"], value);
        assert_eq!(read["customer"]["name"], value);
    }
}

#[test]
fn a_10000_character_customer_name_is_refused_on_customer_name() {
    let server = Server::start(None);
    let long = value_of(&corpus(), "long-10000");
    assert_eq!(long.chars().count(), 10_000);
    let submission = with_field(&base(), "/customer/name", &long);
    let reply = post(&server, &submission);
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(
        pairs(&reply),
        vec![("customer.name".to_string(), "too_long".to_string())]
    );
    assert_eq!(reply.json()["errors"][0]["max"], 100);
    assert!(server.rows().is_empty());
}

#[test]
fn limits_count_characters_not_bytes() {
    let server = Server::start(None);
    // 50 four-byte emoji are 50 characters: a first name's limit exactly.
    let fifty = "😀".repeat(50);
    let ok = with_field(&base(), "/admin_contacts/0/first_name", &fifty);
    let (stored, _, _) = stored_after(&server, &post(&server, &ok), &ok.draft_id);
    assert_eq!(stored["admin_contacts"][0]["first_name"], fifty.as_str());
    let over = with_field(&base(), "/admin_contacts/0/first_name", &"😀".repeat(51));
    let reply = post(&server, &over);
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(
        pairs(&reply),
        vec![(
            "admin_contacts[0].first_name".to_string(),
            "too_long".to_string()
        )]
    );
    // 10,000 emoji (40,000 bytes) in an optional address line: a limit error, not a crash.
    let many = value_of(&corpus(), "long-10000-emoji");
    let reply = post(
        &server,
        &with_field(&base(), "/gateway/site_address/street2", &many),
    );
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(
        pairs(&reply),
        vec![(
            "gateway.site_address.street2".to_string(),
            "too_long".to_string()
        )]
    );
}

#[test]
fn surrounding_spaces_are_kept_and_blank_required_fields_are_refused() {
    let server = Server::start(None);
    let cases = corpus();
    let spaced = value_of(&cases, "leading-trailing-space");
    assert_eq!(spaced, "   Acme Hotels   ");
    // Limits and "required" look at the trimmed text; the server keeps what it was sent.
    let submission = with_field(&base(), "/gateway/site_name", &spaced);
    let (stored, _, read) =
        stored_after(&server, &post(&server, &submission), &submission.draft_id);
    assert_eq!(stored["gateway"]["site_name"], spaced.as_str());
    assert_eq!(read["gateway"]["site_name"], spaced.as_str());
    let blank = value_of(&cases, "only-whitespace");
    let reply = post(
        &server,
        &with_field(&base(), "/customer/address/city", &blank),
    );
    assert_eq!(reply.status, 422, "{}", reply.text);
    assert_eq!(
        pairs(&reply),
        vec![("customer.address.city".to_string(), "required".to_string())]
    );
}

#[test]
fn quotes_and_injection_attempts_are_data() {
    let server = Server::start(None);
    let cases = corpus();
    let sql = value_of(&cases, "sql-quotes");
    let submission = with_field(&base(), "/customer/name", &sql);
    let (stored, _, _) = stored_after(&server, &post(&server, &submission), &submission.draft_id);
    assert_eq!(stored["customer"]["name"], sql.as_str());

    // A value that closes the JSON string it sits in, in the column stored on its own too: a
    // partner added with that id, submitting its own onboarding.
    let breaker = value_of(&cases, "json-breaker");
    let submission = with_field(&base(), "/partner_id", &breaker);
    // Claimed by another partner, it is refused before anything is stored.
    let claimed = post(&server, &submission);
    assert_eq!(claimed.status, 403, "{}", claimed.text);
    assert_eq!(
        pairs(&claimed),
        vec![(String::new(), "partner_mismatch".to_string())]
    );
    let breaker_key = server.add_partner_key(&breaker);
    let reply = server
        .try_submit_as(&breaker_key, &submission.draft_id, &body_of(&submission))
        .unwrap();
    let (stored, partner_id, read) =
        stored_after_as(&server, &breaker_key, &reply, &submission.draft_id);
    assert_eq!(partner_id.as_deref(), Some(breaker.as_str()));
    assert_eq!(stored["partner_id"], breaker.as_str());
    assert_eq!(read["partner_id"], breaker.as_str());
    assert!(stored.get("admin").is_none() && read.get("admin").is_none());

    // The table survived the first one: both rows are there.
    assert_eq!(server.rows().len(), 2);
}

#[test]
fn invisible_characters_in_an_email_are_a_format_error() {
    let server = Server::start(None);
    for value in ["ana\u{200B}@example.com", "ana@exam\u{FEFF}ple.com"] {
        let reply = post(
            &server,
            &with_field(&base(), "/support_contacts/1/email", value),
        );
        assert_eq!(reply.status, 422, "{value:?}: {}", reply.text);
        assert_eq!(
            pairs(&reply),
            vec![(
                "support_contacts[1].email".to_string(),
                "email_format".to_string()
            )],
            "{value:?}"
        );
    }
    assert!(server.rows().is_empty());
}

#[test]
fn non_latin_text_is_stored_exactly() {
    let server = Server::start(None);
    let cases = corpus();
    for (id, pointer) in [
        ("arabic", "/customer/name"),
        ("astral-cjk", "/gateway/site_name"),
        ("decomposed-accents", "/support_contacts/0/name"),
    ] {
        let value = value_of(&cases, id);
        let submission = with_field(&base(), pointer, &value);
        let (stored, _, read) =
            stored_after(&server, &post(&server, &submission), &submission.draft_id);
        // Not normalised (NFC) or otherwise rewritten: the same bytes.
        assert_eq!(
            stored.pointer(pointer).unwrap().as_str(),
            Some(value.as_str())
        );
        assert_eq!(
            read.pointer(pointer).unwrap().as_str(),
            Some(value.as_str())
        );
    }
}
