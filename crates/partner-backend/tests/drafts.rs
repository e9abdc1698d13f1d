//! Drafts in the partner's account, over real HTTP: conditional create, read, update and delete
//! (`ETag`, `If-Match`, `If-None-Match: *`, `412` with the current copy, `428`), concurrent
//! updates from one version, partners kept apart, what is refused (undecodable, a password, a
//! private key, too large), the accepted onboarding deleting its draft, and expiry.

mod common;

use std::path::Path;
use std::sync::{Arc, Barrier};

use common::{body_of, index_html, new_id, pbx_draft, Reply, Server, INLINE_SCRIPT};
use onboarding_core::draft_codec::{self, StoredDraft};
use onboarding_core::payload::build;
use onboarding_core::Draft;
use partner_backend::{Db, Limits};
use serde_json::{json, Value};

/// Distinctive, so that finding it in the database file is a leak and not a coincidence.
const PASSWORD: &str = "Draft-Zebra-Quartz-5521!";

fn document_of(draft: &Draft) -> Value {
    let stored = StoredDraft::new(draft.clone(), 1_790_000_000_000.0);
    serde_json::from_str(&draft_codec::encode(&stored)).unwrap()
}

/// A stored-draft document as the device keeps it, and its id.
fn new_document() -> (String, Value) {
    let draft = pbx_draft();
    (draft.id.clone(), document_of(&draft))
}

/// The draft codec's canonical encoding of `document`, as the account must keep it.
fn canonical(document: &Value) -> Value {
    let stored = draft_codec::decode(&document.to_string()).unwrap();
    serde_json::from_str(&draft_codec::encode(&stored)).unwrap()
}

fn path(id: &str) -> String {
    format!("/api/drafts/{id}")
}

fn auth(credential: &str) -> String {
    format!("Bearer {credential}")
}

/// `PUT /api/drafts/{id}` as `credential` with the conditional `headers`.
fn put_as(
    server: &Server,
    credential: &str,
    id: &str,
    conditions: &[(&str, &str)],
    body: &str,
) -> Reply {
    let authorization = auth(credential);
    let mut headers = vec![
        ("Authorization", authorization.as_str()),
        ("Content-Type", "application/json"),
    ];
    headers.extend_from_slice(conditions);
    server.send("PUT", &path(id), &headers, body)
}

fn put(server: &Server, id: &str, conditions: &[(&str, &str)], document: &Value) -> Reply {
    put_as(
        server,
        &server.key,
        id,
        conditions,
        &json!({ "draft": document }).to_string(),
    )
}

fn create(server: &Server, id: &str, document: &Value) -> String {
    let reply = put(server, id, &[("If-None-Match", "*")], document);
    assert_eq!(reply.status, 200, "{}", reply.text);
    version_of(&reply)
}

/// The version a write answered, checked against its `ETag`.
fn version_of(reply: &Reply) -> String {
    let version = reply.json()["version"].as_str().unwrap().to_string();
    assert_eq!(
        reply.header("etag"),
        Some(format!("\"{version}\"").as_str())
    );
    version
}

fn if_match(version: &str) -> String {
    format!("\"{version}\"")
}

fn delete_as(server: &Server, credential: &str, id: &str, conditions: &[(&str, &str)]) -> Reply {
    let authorization = auth(credential);
    let mut headers = vec![("Authorization", authorization.as_str())];
    headers.extend_from_slice(conditions);
    server.send("DELETE", &path(id), &headers, "")
}

fn list_ids(server: &Server, credential: &str) -> Vec<String> {
    let reply = server.get_as(Some(credential), "/api/drafts");
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["drafts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["draft_id"].as_str().unwrap().to_string())
        .collect()
}

fn codes(reply: &Reply) -> Vec<(String, String)> {
    reply.error_codes()
}

fn code(field: &str, code: &str) -> Vec<(String, String)> {
    vec![(field.to_string(), code.to_string())]
}

/// A `412 version_conflict` whose `current` is the draft at `version` (with its `ETag`), or
/// `null` when `version` is `None`.
fn assert_conflict(reply: &Reply, id: &str, version: Option<&str>) -> Value {
    assert_eq!(reply.status, 412, "{}", reply.text);
    assert_eq!(codes(reply), code("", "version_conflict"));
    let current = reply.json()["current"].clone();
    match version {
        Some(version) => {
            assert_eq!(current["draft_id"], id);
            assert_eq!(current["version"], version);
            assert!(current["updated_at"].as_str().unwrap().ends_with('Z'));
            assert!(current["draft"].is_object());
            assert_eq!(reply.header("etag"), Some(if_match(version).as_str()));
        }
        None => {
            assert_eq!(current, Value::Null, "{}", reply.text);
            assert_eq!(reply.header("etag"), None);
        }
    }
    current
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

/// The database file and its WAL, as bytes.
fn database_bytes(db_path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db_path).unwrap_or_default();
    bytes.extend(std::fs::read(format!("{}-wal", db_path.display())).unwrap_or_default());
    bytes
}

#[test]
fn create_read_update_conflict_and_delete() {
    let server = Server::start(None);
    let (id, document) = new_document();

    // Create: 200 with the version, as the ETag too.
    let created = put(&server, &id, &[("If-None-Match", "*")], &document);
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.header("cache-control"), Some("no-store"));
    let v1 = version_of(&created);
    let created_json = created.json();
    assert_eq!(
        created_json.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["updated_at", "version"]
    );
    // Creating it again: it exists, 412 with the copy there is.
    let again = put(&server, &id, &[("If-None-Match", "*")], &document);
    let current = assert_conflict(&again, &id, Some(&v1));
    assert_eq!(current["draft"], canonical(&document));

    // Read: the stored document, its version and ETag.
    let read = server.get(&path(&id));
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.header("etag"), Some(if_match(&v1).as_str()));
    assert_eq!(read.header("cache-control"), Some("no-store"));
    let body = read.json();
    assert_eq!(body["draft_id"], id.as_str());
    assert_eq!(body["version"], v1.as_str());
    assert_eq!(body["updated_at"], created_json["updated_at"]);
    assert_eq!(body["draft"], canonical(&document));

    // Update from the current version.
    let mut changed = document.clone();
    changed["working"]["customer"]["name"] = json!("Clínica Luna");
    changed["working"]["current_step"] = json!("gateway");
    let updated = put(&server, &id, &[("If-Match", &if_match(&v1))], &changed);
    assert_eq!(updated.status, 200, "{}", updated.text);
    let v2 = version_of(&updated);
    assert!(v2.parse::<i64>().unwrap() > v1.parse::<i64>().unwrap());

    // A stale update: nothing changes, and the current copy comes back.
    let mut stale_edit = document.clone();
    stale_edit["working"]["customer"]["name"] = json!("Stale");
    let stale = put(&server, &id, &[("If-Match", &if_match(&v1))], &stale_edit);
    let current = assert_conflict(&stale, &id, Some(&v2));
    assert_eq!(
        current["draft"]["working"]["customer"]["name"],
        "Clínica Luna"
    );
    assert_eq!(server.get(&path(&id)).json()["version"], v2.as_str());

    // No conditional header: 428, nothing changes.
    let unconditional = put(&server, &id, &[], &stale_edit);
    assert_eq!(unconditional.status, 428, "{}", unconditional.text);
    assert_eq!(codes(&unconditional), code("", "precondition_required"));
    // `If-Match` on a draft that does not exist: 412 with `null`.
    let (other_id, other_document) = new_document();
    let missing = put(
        &server,
        &other_id,
        &[("If-Match", "\"1\"")],
        &other_document,
    );
    assert_conflict(&missing, &other_id, None);

    // The list: newest first, with what tells drafts apart.
    let v3 = create(&server, &other_id, &other_document);
    let list = server.get("/api/drafts");
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.header("cache-control"), Some("no-store"));
    let drafts = list.json()["drafts"].clone();
    assert_eq!(drafts.as_array().unwrap().len(), 2);
    assert_eq!(drafts[0]["draft_id"], other_id.as_str());
    assert_eq!(drafts[0]["version"], v3.as_str());
    assert_eq!(
        drafts[1],
        json!({
            "draft_id": id,
            "customer_name": "Clínica Luna",
            "current_step": "gateway",
            "updated_at": updated.json()["updated_at"],
            "version": v2,
        })
    );

    // Delete: 428 without If-Match, 412 with a stale one, 204 with the current one.
    let unconditional = delete_as(&server, &server.key, &id, &[]);
    assert_eq!(unconditional.status, 428, "{}", unconditional.text);
    let stale = delete_as(&server, &server.key, &id, &[("If-Match", &if_match(&v1))]);
    assert_conflict(&stale, &id, Some(&v2));
    let deleted = delete_as(&server, &server.key, &id, &[("If-Match", &if_match(&v2))]);
    assert_eq!(deleted.status, 204, "{}", deleted.text);
    assert_eq!(deleted.text, "");
    assert_eq!(server.get(&path(&id)).status, 404);
    let gone = delete_as(&server, &server.key, &id, &[("If-Match", &if_match(&v2))]);
    assert_eq!(gone.status, 404, "{}", gone.text);
    assert_eq!(codes(&gone), code("", "not_found"));
    assert_eq!(list_ids(&server, &server.key), [other_id.as_str()]);

    // Created again, it starts from a newer version: the old one never matches it.
    let v4 = create(&server, &id, &document);
    assert!(v4.parse::<i64>().unwrap() > v2.parse::<i64>().unwrap());
    let old = put(&server, &id, &[("If-Match", &if_match(&v2))], &document);
    assert_conflict(&old, &id, Some(&v4));
}

#[test]
fn a_session_reaches_the_same_drafts_as_the_secret_key() {
    let server = common::start_with_sessions(None, partner_backend::auth::Options::default());
    let session = server.mint_session(&server.key, "partner");
    let (id, document) = new_document();
    let created = put_as(
        &server,
        &session,
        &id,
        &[("If-None-Match", "*")],
        &json!({ "draft": document }).to_string(),
    );
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(list_ids(&server, &server.key), [id.as_str()]);
    assert_eq!(list_ids(&server, &session), [id.as_str()]);
    let read = server.get_as(Some(&session), &path(&id));
    assert_eq!(read.status, 200, "{}", read.text);
}

#[test]
fn the_account_keeps_the_codecs_canonical_encoding_not_the_bytes_sent() {
    let server = Server::start(None);
    let (id, mut document) = new_document();
    document["working"]["unknown_field"] = json!("dropped");
    document["schema_version"] = json!(1);
    let body = format!("  {{ \"draft\" :\n {document} }}  ");
    let reply = put_as(&server, &server.key, &id, &[("If-None-Match", "*")], &body);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let stored: String = rusqlite::Connection::open(&server.db_path)
        .unwrap()
        .query_row("SELECT document FROM drafts", [], |r| r.get(0))
        .unwrap();
    let expected = draft_codec::encode(&draft_codec::decode(&document.to_string()).unwrap());
    assert_eq!(stored, expected);
    assert!(!stored.contains("unknown_field"));
    assert_eq!(server.get(&path(&id)).json()["draft"], canonical(&document));
}

#[test]
fn concurrent_updates_from_one_version_have_exactly_one_winner() {
    let server = Arc::new(Server::start(None));
    let (id, document) = new_document();
    let v1 = create(&server, &id, &document);
    const WRITERS: usize = 8;
    let barrier = Arc::new(Barrier::new(WRITERS));
    let threads: Vec<_> = (0..WRITERS)
        .map(|i| {
            let (server, barrier, id, v1) = (
                Arc::clone(&server),
                Arc::clone(&barrier),
                id.clone(),
                v1.clone(),
            );
            let mut edit = document.clone();
            edit["working"]["customer"]["name"] = json!(format!("Writer {i}"));
            std::thread::spawn(move || {
                barrier.wait();
                let reply = put(&server, &id, &[("If-Match", &if_match(&v1))], &edit);
                (i, reply.status, reply.text)
            })
        })
        .collect();
    let results: Vec<(usize, u16, String)> =
        threads.into_iter().map(|t| t.join().unwrap()).collect();
    let winners: Vec<_> = results.iter().filter(|r| r.1 == 200).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    for (_, status, text) in &results {
        assert!(*status == 200 || *status == 412, "{status} {text}");
    }
    // The winner's edit is what is stored, and every loser was told its version.
    let winner = winners[0];
    let version: Value = serde_json::from_str(&winner.2).unwrap();
    let read = server.get(&path(&id)).json();
    assert_eq!(read["version"], version["version"]);
    assert_eq!(
        read["draft"]["working"]["customer"]["name"],
        format!("Writer {}", winner.0)
    );
    for (_, status, text) in results.iter().filter(|r| r.1 == 412) {
        let body: Value = serde_json::from_str(text).unwrap();
        assert_eq!(body["current"]["version"], version["version"], "{status}");
    }
}

#[test]
fn another_partners_draft_is_answered_as_one_that_does_not_exist() {
    let server = Server::start(None);
    let other = server.add_partner_key("other-partner");
    let (id, document) = new_document();
    let v1 = create(&server, &id, &document);
    let unknown = new_id();

    // Read: 404, the same body as an unknown id.
    let hidden = server.get_as(Some(&other), &path(&id));
    let absent = server.get_as(Some(&other), &path(&unknown));
    assert_eq!((hidden.status, &hidden.text), (404, &absent.text));
    assert_eq!(codes(&hidden), code("", "not_found"));
    // Listed only for its own partner.
    assert!(list_ids(&server, &other).is_empty());
    assert_eq!(list_ids(&server, &server.key), [id.as_str()]);
    // Update with its version: as for a draft that does not exist (412, `current` null).
    let body = json!({ "draft": document }).to_string();
    let update = put_as(&server, &other, &id, &[("If-Match", &if_match(&v1))], &body);
    assert_conflict(&update, &id, None);
    // Delete: 404, as an unknown id.
    let delete = delete_as(&server, &other, &id, &[("If-Match", &if_match(&v1))]);
    assert_eq!(delete.status, 404, "{}", delete.text);
    let delete_unknown = delete_as(&server, &other, &unknown, &[("If-Match", "\"1\"")]);
    assert_eq!(delete.text, delete_unknown.text);
    // Its own create of the same id is its own draft: the first partner's is untouched.
    let own = put_as(&server, &other, &id, &[("If-None-Match", "*")], &body);
    assert_eq!(own.status, 200, "{}", own.text);
    assert_eq!(list_ids(&server, &other), [id.as_str()]);
    let first = server.get(&path(&id));
    assert_eq!(first.json()["version"], v1.as_str());
    let deleted = delete_as(
        &server,
        &other,
        &id,
        &[("If-Match", &if_match(&version_of(&own)))],
    );
    assert_eq!(deleted.status, 204);
    assert_eq!(server.get(&path(&id)).status, 200);
}

#[test]
fn an_undecodable_document_is_refused() {
    let server = Server::start(None);
    let (id, document) = new_document();
    let mut future = document.clone();
    future["schema_version"] = json!(99);
    let mut not_a_draft = document.clone();
    not_a_draft["updated_at"] = json!("yesterday");
    let mut no_version = document.clone();
    no_version.as_object_mut().unwrap().remove("schema_version");
    for (what, draft) in [
        ("a newer version", future),
        ("a wrong type", not_a_draft),
        ("no schema_version", no_version),
        ("a string", json!(document.to_string())),
        ("an array", json!([document])),
    ] {
        let reply = put(&server, &id, &[("If-None-Match", "*")], &draft);
        assert_eq!(reply.status, 422, "{what}: {}", reply.text);
        assert_eq!(codes(&reply), code("draft", "draft_unreadable"), "{what}");
    }
    // Not even the request's shape: 400.
    for body in ["{", "[]", r#"{"document": {}}"#] {
        let reply = put_as(&server, &server.key, &id, &[("If-None-Match", "*")], body);
        assert_eq!(reply.status, 400, "{body}: {}", reply.text);
        assert_eq!(codes(&reply), code("", "malformed"), "{body}");
    }
    // Not JSON as declared: 415.
    let authorization = auth(&server.key);
    let text = server.send(
        "PUT",
        &path(&id),
        &[
            ("Authorization", &authorization),
            ("Content-Type", "text/plain"),
            ("If-None-Match", "*"),
        ],
        &json!({ "draft": document }).to_string(),
    );
    assert_eq!(text.status, 415, "{}", text.text);
    // Another draft's id than the address's, in the working copy or the checkpoint.
    let other = new_id();
    let wrong_address = put(&server, &other, &[("If-None-Match", "*")], &document);
    assert_eq!(wrong_address.status, 422, "{}", wrong_address.text);
    assert_eq!(
        codes(&wrong_address),
        code("draft.working.id", "draft_id_mismatch")
    );
    let mut saved = document.clone();
    let mut checkpoint = saved["working"].clone();
    checkpoint["id"] = json!(other);
    saved["saved"] = checkpoint;
    let wrong_saved = put(&server, &id, &[("If-None-Match", "*")], &saved);
    assert_eq!(
        codes(&wrong_saved),
        code("draft.saved.id", "draft_id_mismatch")
    );
    // An address that is no draft id (not a lower-case UUID): 404.
    for address in ["nope", &id.to_uppercase()] {
        let reply = put(&server, address, &[("If-None-Match", "*")], &document);
        assert_eq!(reply.status, 404, "{address}");
        assert_eq!(server.get(&path(address)).status, 404);
    }
    assert!(list_ids(&server, &server.key).is_empty());
}

#[test]
fn a_document_holding_a_password_or_a_private_key_is_refused_and_never_stored() {
    let server = Server::start(None);
    let (id, document) = new_document();
    let mut in_pbx = document.clone();
    in_pbx["working"]["pbx"]["password"] = json!(PASSWORD);
    let mut in_saved = document.clone();
    let mut checkpoint = document["working"].clone();
    checkpoint["pbx"]["Password"] = json!(PASSWORD);
    in_saved["saved"] = checkpoint;
    let mut deep = document.clone();
    deep["working"]["extra"] = json!([{ "nested": { "password": PASSWORD } }]);
    for (what, draft) in [("pbx", in_pbx), ("saved", in_saved), ("deep", deep)] {
        let reply = put(&server, &id, &[("If-None-Match", "*")], &draft);
        assert_eq!(reply.status, 422, "{what}: {}", reply.text);
        assert_eq!(codes(&reply), code("draft", "password_in_draft"), "{what}");
        assert!(!reply.text.contains(PASSWORD));
    }
    // Beside the draft, too.
    let beside = json!({ "draft": document, "password": PASSWORD }).to_string();
    let reply = put_as(
        &server,
        &server.key,
        &id,
        &[("If-None-Match", "*")],
        &beside,
    );
    assert_eq!(codes(&reply), code("draft", "password_in_draft"));

    let key = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIF2rj5erHKYrgLHIsAAwccYa0X4JxzcnzLN4pd6kh2QmbNbTPPdTFZ94\n-----END EC PRIVATE KEY-----";
    let cert = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUVjIw\n-----END CERTIFICATE-----";
    for field in ["working", "saved"] {
        let mut with_key = document.clone();
        if field == "saved" {
            with_key["saved"] = document["working"].clone();
        }
        with_key[field]["pbx"]["certificate_pem"] = json!(format!("{cert}\n{key}"));
        let reply = put(&server, &id, &[("If-None-Match", "*")], &with_key);
        assert_eq!(reply.status, 422, "{field}: {}", reply.text);
        assert_eq!(codes(&reply), code("draft", "private_key"), "{field}");
    }
    assert!(list_ids(&server, &server.key).is_empty());

    // A draft of a partner who typed the password is kept without it (the codec never writes
    // it); nothing of any refused document is in the database file either.
    let mut draft = pbx_draft();
    draft.pbx.password = PASSWORD.into();
    let typed = document_of(&draft);
    assert_eq!(
        put(&server, &draft.id, &[("If-None-Match", "*")], &typed).status,
        200
    );
    let bytes = database_bytes(&server.db_path);
    assert!(contains(&bytes, &draft.id), "the draft is in the file");
    assert!(
        !contains(&bytes, PASSWORD),
        "a password in the database file"
    );
    assert!(
        !contains(&bytes, "PRIVATE KEY"),
        "a private key in the database file"
    );
}

#[test]
fn a_body_over_256_kb_is_too_large() {
    let server = Server::start(None);
    let (id, mut document) = new_document();
    // Just under the limit is accepted.
    let envelope = |document: &Value| json!({ "draft": document }).to_string();
    document["working"]["customer"]["name"] = json!("");
    let room = partner_backend::drafts::DRAFT_BODY_LIMIT - envelope(&document).len();
    document["working"]["customer"]["name"] = json!("x".repeat(room));
    assert_eq!(envelope(&document).len(), 256 * 1024);
    let fits = put(&server, &id, &[("If-None-Match", "*")], &document);
    assert_eq!(fits.status, 200, "{}", fits.text);
    document["working"]["customer"]["name"] = json!("x".repeat(room + 1));
    let too_large = put(
        &server,
        &id,
        &[("If-Match", &if_match(&version_of(&fits)))],
        &document,
    );
    assert_eq!(too_large.status, 413, "{}", too_large.text);
    assert_eq!(codes(&too_large), code("", "too_large"));
}

#[test]
fn accepting_the_onboarding_deletes_its_draft() {
    let server = Server::start(None);
    let draft = pbx_draft();
    create(&server, &draft.id, &document_of(&draft));
    let (kept_id, kept) = new_document();
    create(&server, &kept_id, &kept);

    // A refused submission leaves the draft.
    let mut invalid = draft.clone();
    invalid.admin_contacts[0].email = "nope".into();
    let refused = build(&invalid);
    assert_eq!(
        server.submit(&refused.draft_id, &body_of(&refused)).status,
        422
    );
    assert_eq!(server.get(&path(&draft.id)).status, 200);

    let submission = build(&draft);
    let accepted = server.submit(&submission.draft_id, &body_of(&submission));
    assert_eq!(accepted.status, 201, "{}", accepted.text);
    assert_eq!(server.get(&path(&draft.id)).status, 404);
    assert_eq!(list_ids(&server, &server.key), [kept_id]);
}

#[test]
fn acceptance_deletes_only_the_submitting_partners_draft() {
    let server = Server::start(None);
    let other = server.add_partner_key("other-partner");
    let draft = pbx_draft();
    let body = json!({ "draft": document_of(&draft) }).to_string();
    for credential in [&server.key, &other] {
        let reply = put_as(
            &server,
            credential,
            &draft.id,
            &[("If-None-Match", "*")],
            &body,
        );
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    let submission = build(&draft);
    assert_eq!(
        server
            .submit(&submission.draft_id, &body_of(&submission))
            .status,
        201
    );
    assert_eq!(server.get(&path(&draft.id)).status, 404);
    assert_eq!(server.get_as(Some(&other), &path(&draft.id)).status, 200);
}

/// Moves a draft's last write `days` into the past, in the file itself.
fn age(db_path: &Path, id: &str, days: i64) {
    let conn = rusqlite::Connection::open(db_path).unwrap();
    let changed = conn
        .execute(
            "UPDATE drafts SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)
             WHERE draft_id = ?2",
            rusqlite::params![format!("-{days} days"), id],
        )
        .unwrap();
    assert_eq!(changed, 1);
}

fn rows_in_file(db_path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db_path).unwrap();
    let mut stmt = conn
        .prepare("SELECT draft_id FROM drafts ORDER BY draft_id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A server on an existing database (a restart), with `config` as its config.json.
fn serve_on(db_path: &Path, key: &str, config: &str) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let static_dir = dir.path().join("dist");
    std::fs::create_dir(&static_dir).unwrap();
    std::fs::write(static_dir.join("index.html"), index_html(INLINE_SCRIPT)).unwrap();
    std::fs::write(static_dir.join("config.json"), config).unwrap();
    let db = Db::open(db_path).unwrap();
    let app = partner_backend::app_with_limits(&static_dir, None, db, Limits::default()).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
    });
    Server {
        base,
        dir,
        db_path: db_path.to_path_buf(),
        key: key.to_string(),
    }
}

#[test]
fn drafts_older_than_draft_ttl_days_are_never_answered_and_are_removed() {
    let config = r#"{"draft_ttl_days": 3}"#;
    let server = Server::start(Some(config));
    let (fresh, fresh_doc) = new_document();
    let (stale, stale_doc) = new_document();
    let (old, old_doc) = new_document();
    create(&server, &fresh, &fresh_doc);
    let stale_version = create(&server, &stale, &stale_doc);
    create(&server, &old, &old_doc);
    age(&server.db_path, &fresh, 2);
    age(&server.db_path, &stale, 4);
    age(&server.db_path, &old, 30);

    // Running: expired drafts are absent to every route.
    assert_eq!(list_ids(&server, &server.key), [fresh.as_str()]);
    assert_eq!(server.get(&path(&stale)).status, 404);
    let update = put(
        &server,
        &stale,
        &[("If-Match", &if_match(&stale_version))],
        &stale_doc,
    );
    assert_conflict(&update, &stale, None);
    assert_eq!(
        delete_as(&server, &server.key, &old, &[("If-Match", "*")]).status,
        404
    );
    // A create where an expired one lies replaces it.
    let recreated = create(&server, &stale, &stale_doc);
    assert!(recreated.parse::<i64>().unwrap() > stale_version.parse::<i64>().unwrap());
    assert_eq!(server.get(&path(&stale)).status, 200);
    age(&server.db_path, &stale, 5);

    // The delete's attempt removed the expired draft from the file; a restart removes the rest.
    let mut expected = vec![fresh.clone(), stale.clone()];
    expected.sort();
    assert_eq!(rows_in_file(&server.db_path), expected);
    let restarted = serve_on(&server.db_path, &server.key, config);
    assert_eq!(rows_in_file(&server.db_path), [fresh.as_str()]);
    assert_eq!(list_ids(&restarted, &restarted.key), [fresh]);
}

#[test]
fn the_drafts_routes_require_a_credential() {
    let server = Server::start(None);
    let (id, document) = new_document();
    let v1 = create(&server, &id, &document);
    let body = json!({ "draft": document }).to_string();
    let etag = if_match(&v1);
    for credential in [None, Some("onb_sk_nope"), Some("onb_ses1.e30.AAAA")] {
        let authorization = credential.map(auth);
        let mut headers = vec![("Content-Type", "application/json"), ("If-Match", &etag)];
        if let Some(authorization) = &authorization {
            headers.push(("Authorization", authorization));
        }
        for (method, route, body) in [
            ("GET", "/api/drafts".to_string(), ""),
            ("GET", path(&id), ""),
            ("PUT", path(&id), body.as_str()),
            ("DELETE", path(&id), ""),
        ] {
            let reply = server.send(method, &route, &headers, body);
            assert_eq!(reply.status, 401, "{method} {route}: {}", reply.text);
            assert!(reply
                .header("www-authenticate")
                .is_some_and(|v| v.starts_with("Bearer")));
            let expected = if credential.is_some() {
                "invalid_credentials"
            } else {
                "unauthenticated"
            };
            assert_eq!(codes(&reply), code("", expected), "{method} {route}");
        }
    }
    // Nothing changed.
    assert_eq!(server.get(&path(&id)).json()["version"], v1.as_str());
    assert_eq!(list_ids(&server, &server.key), [id]);
}
