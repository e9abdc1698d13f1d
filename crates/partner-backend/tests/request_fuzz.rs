//! Fuzzing the backend's request parsing in-process: arbitrary bodies, content types and
//! `Idempotency-Key` headers sent to the very router the server runs (tower `oneshot`, no
//! sockets), plus arbitrary methods and paths. Never a 5xx, never a panic; every refusal is a
//! 4xx the API documents, with the JSON error body; and the verdicts agree with the shared
//! crate: a 201 only for a body it accepts, a 422 with exactly its errors, a 400 `malformed`
//! only for a body that is not a submission.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode};
use axum::Router;
use common::{index_html, INLINE_SCRIPT};
use onboarding_core::payload::{build, validate_submission, Submission};
use partner_backend::api::BODY_LIMIT;
use partner_backend::Db;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Number, Value};
use tower::ServiceExt;

struct Harness {
    router: Router,
    runtime: tokio::runtime::Runtime,
    /// `Bearer <secret key of common::PARTNER>`: every request is the partner's own, so the
    /// fuzzing reaches the parsing behind the credential check.
    authorization: String,
    _dir: tempfile::TempDir,
}

/// One app (temporary static directory and database) for the whole file.
fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let static_dir = dir.path().join("dist");
        std::fs::create_dir(&static_dir).unwrap();
        std::fs::write(static_dir.join("index.html"), index_html(INLINE_SCRIPT)).unwrap();
        std::fs::write(static_dir.join("app-1234.js"), "export default 1;\n").unwrap();
        let db = Db::open(&dir.path().join("fuzz.db")).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let key = runtime.block_on(common::add_partner_async(&db, common::PARTNER));
        let router = partner_backend::app(Path::new(&static_dir), db).unwrap();
        Harness {
            router,
            runtime,
            authorization: common::bearer(&key),
            _dir: dir,
        }
    })
}

struct Answer {
    status: StatusCode,
    content_type: Option<String>,
    retry_after: Option<String>,
    body: Vec<u8>,
}

fn send(request: Request<Body>) -> Answer {
    let h = harness();
    h.runtime.block_on(async {
        let response = h.router.clone().oneshot(request).await.unwrap();
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let content_type = header("content-type");
        let retry_after = header("retry-after");
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Answer {
            status,
            content_type,
            retry_after,
            body,
        }
    })
}

/// The `errors` body every refusal carries: `[(field, code)]`, each entry with a message.
fn error_entries(answer: &Answer) -> Result<Vec<(String, String)>, TestCaseError> {
    prop_assert_eq!(answer.content_type.as_deref(), Some("application/json"));
    let body: Value = serde_json::from_slice(&answer.body)
        .map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {:?}", answer.body)))?;
    let entries = body["errors"]
        .as_array()
        .ok_or_else(|| TestCaseError::fail(format!("no errors array: {body}")))?;
    prop_assert!(!entries.is_empty());
    entries
        .iter()
        .map(|e| {
            let field = e["field"].as_str();
            let code = e["code"].as_str();
            let message = e["message"].as_str();
            match (field, code, message) {
                (Some(f), Some(c), Some(m)) if !c.is_empty() && !m.is_empty() => {
                    Ok((f.to_string(), c.to_string()))
                }
                _ => Err(TestCaseError::fail(format!("bad entry {e}"))),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

fn valid_submission(id: u128, sync: bool) -> Submission {
    let mut draft = if sync {
        common::sync_draft()
    } else {
        common::pbx_draft()
    };
    draft.id = uuid::Uuid::from_u128(id).to_string();
    build(&draft)
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        any::<String>().prop_map(Value::String),
        select(vec![
            "",
            "smbc",
            "va",
            "mivoice_business",
            "maintainer",
            "onsite_admin",
            "ES",
            "all",
        ])
        .prop_map(|s| Value::String(s.into())),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{0,10}", inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    Drop,
    Replace(Value),
    Nest(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => Just(Mutation::Drop),
        4 => json_value().prop_map(Mutation::Replace),
        1 => (1usize..160).prop_map(Mutation::Nest),
    ]
}

fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn mutate(value: &mut Value, selector: usize, mutation: &Mutation) {
    let mut all = Vec::new();
    pointers(value, String::new(), &mut all);
    let pointer = all[selector % all.len()].clone();
    match mutation {
        Mutation::Drop => match pointer.rsplit_once('/') {
            None => *value = Value::Null,
            Some((parent, last)) => match value.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(last);
                }
                Some(Value::Array(items)) => {
                    if let Some(i) = last.parse::<usize>().ok().filter(|&i| i < items.len()) {
                        items.remove(i);
                    }
                }
                _ => {}
            },
        },
        Mutation::Replace(new) => {
            if let Some(node) = value.pointer_mut(&pointer) {
                *node = new.clone();
            }
        }
        Mutation::Nest(depth) => {
            if let Some(node) = value.pointer_mut(&pointer) {
                let mut nested = node.take();
                for _ in 0..*depth {
                    nested = Value::Array(vec![nested]);
                }
                *node = nested;
            }
        }
    }
}

#[derive(Clone, Debug)]
enum BodyKind {
    Bytes(Vec<u8>),
    Text(String),
    /// A valid submission (its draft id), possibly mutated.
    Submission {
        id: u128,
        sync: bool,
        mutations: Vec<(usize, Mutation)>,
    },
    AnyJson(Value),
    /// Just over the body limit.
    Oversized(u8),
}

fn body_kind() -> impl Strategy<Value = BodyKind> {
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..1024).prop_map(BodyKind::Bytes),
        2 => any::<String>().prop_map(BodyKind::Text),
        2 => "[\\[\\]{}\",:0-9a-z_ -]{0,64}".prop_map(BodyKind::Text),
        6 => (
            any::<u128>(),
            any::<bool>(),
            prop::collection::vec((any::<usize>(), mutation()), 0..4)
        )
            .prop_map(|(id, sync, mutations)| BodyKind::Submission { id, sync, mutations }),
        2 => json_value().prop_map(BodyKind::AnyJson),
        1 => any::<u8>().prop_map(BodyKind::Oversized),
    ]
}

/// The body's bytes and the draft id it carries, if any.
fn body_bytes(kind: &BodyKind) -> (Vec<u8>, Option<String>) {
    match kind {
        BodyKind::Bytes(b) => (b.clone(), None),
        BodyKind::Text(t) => (t.clone().into_bytes(), None),
        BodyKind::Submission {
            id,
            sync,
            mutations,
        } => {
            let submission = valid_submission(*id, *sync);
            let mut value = serde_json::to_value(&submission).unwrap();
            for (selector, m) in mutations {
                mutate(&mut value, *selector, m);
            }
            (value.to_string().into_bytes(), Some(submission.draft_id))
        }
        BodyKind::AnyJson(v) => (v.to_string().into_bytes(), None),
        BodyKind::Oversized(b) => (vec![*b; BODY_LIMIT + 1], None),
    }
}

#[derive(Clone, Debug)]
enum Header {
    Absent,
    Text(&'static str),
    /// The body's draft id, as it is, upper-cased, or with spaces around it.
    DraftId(u8),
    Uuid(u128),
    Bytes(Vec<u8>),
}

fn content_type() -> impl Strategy<Value = Header> {
    prop_oneof![
        6 => select(vec![
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            " application/json ;x=y",
        ])
        .prop_map(Header::Text),
        2 => select(vec![
            "text/plain",
            "application/jsonx",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "",
            ";",
            "application/json\u{0}",
        ])
        .prop_map(Header::Text),
        1 => Just(Header::Absent),
        1 => prop::collection::vec(any::<u8>(), 0..40).prop_map(Header::Bytes),
    ]
}

fn idempotency_key() -> impl Strategy<Value = Header> {
    prop_oneof![
        6 => (0u8..3).prop_map(Header::DraftId),
        1 => Just(Header::Absent),
        1 => any::<u128>().prop_map(Header::Uuid),
        1 => select(vec!["", "not-a-uuid", "00000000-0000-0000-0000-00000000000g", "{}"])
            .prop_map(Header::Text),
        1 => prop::collection::vec(any::<u8>(), 0..48).prop_map(Header::Bytes),
    ]
}

fn header_value(header: &Header, draft_id: Option<&str>) -> Option<HeaderValue> {
    match header {
        Header::Absent => None,
        Header::Text(t) => HeaderValue::from_str(t).ok(),
        Header::DraftId(form) => {
            let id = draft_id.unwrap_or("0b5c1f9e-8f6a-4c1e-9c39-2a4f7f0e2a11");
            let text = match form {
                0 => id.to_string(),
                1 => id.to_uppercase(),
                _ => format!("  {id} "),
            };
            HeaderValue::from_str(&text).ok()
        }
        Header::Uuid(n) => HeaderValue::from_str(&uuid::Uuid::from_u128(*n).to_string()).ok(),
        // Invalid header bytes (CR, LF, NUL) cannot be sent at all; any others can.
        Header::Bytes(b) => HeaderValue::from_bytes(b).ok(),
    }
}

/// Arbitrary text as a URL path segment: unreserved characters kept, the rest percent-encoded
/// byte by byte (so `%00`, `%2F`, `..` and invalid UTF-8 sequences all occur).
fn encode_segment(raw: &[u8]) -> String {
    raw.iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// What the API documents for `POST /onboardings` (with a valid credential: no 401).
const POST_STATUSES: &[u16] = &[201, 400, 403, 409, 413, 415, 422, 503];

fn check_post(body: &BodyKind, content_type: &Header, key: &Header) -> Result<(), TestCaseError> {
    let (bytes, draft_id) = body_bytes(body);
    let mut request =
        Request::post("/api/onboardings").header("authorization", &harness().authorization);
    if let Some(v) = header_value(content_type, None) {
        request = request.header("content-type", v);
    }
    if let Some(v) = header_value(key, draft_id.as_deref()) {
        request = request.header("idempotency-key", v);
    }
    let answer = send(request.body(Body::from(bytes.clone())).unwrap());
    let status = answer.status.as_u16();
    prop_assert!(
        POST_STATUSES.contains(&status),
        "answered {}: {}",
        status,
        String::from_utf8_lossy(&answer.body)
    );
    let parsed: Option<Submission> = serde_json::from_slice(&bytes).ok();
    match status {
        201 => {
            let body: Value = serde_json::from_slice(&answer.body).unwrap();
            prop_assert_eq!(&body["status"], "received");
            let submission = parsed.expect("a 201 for a body that is not a submission");
            prop_assert_eq!(validate_submission(&submission), vec![]);
            // It is stored and can be read back.
            let id = body["id"].as_str().unwrap();
            let read = send(
                Request::get(format!("/api/onboardings/{id}"))
                    .header("authorization", &harness().authorization)
                    .body(Body::empty())
                    .unwrap(),
            );
            prop_assert_eq!(read.status, StatusCode::OK);
        }
        503 => {
            // Shed load: only ever with a Retry-After and the JSON error body.
            prop_assert!(answer.retry_after.is_some());
            let entries = error_entries(&answer)?;
            prop_assert_eq!(entries, vec![(String::new(), "unavailable".to_string())]);
        }
        _ => {
            let entries = error_entries(&answer)?;
            if status == 422 {
                let submission = parsed.expect("a 422 for a body that is not a submission");
                let expected: Vec<(String, String)> = validate_submission(&submission)
                    .into_iter()
                    .map(|e| (e.path, e.code.as_str().to_string()))
                    .collect();
                prop_assert_eq!(entries, expected);
            } else if status == 403 {
                // Only a submission naming another partner than the credential's.
                let submission = parsed.expect("a 403 for a body that is not a submission");
                prop_assert_eq!(
                    entries,
                    vec![(String::new(), "partner_mismatch".to_string())]
                );
                prop_assert!(submission.partner_id.is_some_and(|p| p != common::PARTNER));
            } else if entries.len() == 1 && entries[0].1 == "malformed" {
                prop_assert!(parsed.is_none(), "a submission refused as malformed");
            }
        }
    }
    Ok(())
}

/// `base` cases, times `FUZZ_SCALE` when set (a deeper run: `FUZZ_SCALE=20 cargo test ...`).
fn cases(base: u32) -> u32 {
    let scale = std::env::var("FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .unwrap_or(1);
    base.saturating_mul(scale.max(1))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(3_000)))]

    #[test]
    fn arbitrary_posts_never_fail_the_server(
        body in body_kind(),
        content_type in content_type(),
        key in idempotency_key(),
    ) {
        check_post(&body, &content_type, &key)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1_500)))]

    #[test]
    fn arbitrary_methods_and_paths_under_the_api_answer_json(
        method in select(vec!["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"]),
        segments in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..12), 0..4),
        prefix in select(vec!["/api", "/api/onboardings", "/api/onboardings/"]),
        body in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let path = segments
            .iter()
            .map(|s| encode_segment(s))
            .fold(prefix.to_string(), |acc, s| format!("{acc}/{s}"));
        let request = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(&path)
            .header("content-type", "application/json")
            .header("authorization", &harness().authorization)
            .body(Body::from(body))
            .unwrap();
        let answer = send(request);
        let status = answer.status.as_u16();
        prop_assert!((200..500).contains(&status), "{} {} answered {}", method, path, status);
        if status >= 400 {
            error_entries(&answer)?;
        }
    }

    #[test]
    fn arbitrary_paths_anywhere_never_fail_the_server(
        segments in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..12), 0..4),
        raw in "[ -~]{0,24}",
    ) {
        let encoded = segments
            .iter()
            .map(|s| format!("/{}", encode_segment(s)))
            .collect::<String>();
        // Also a raw path: whatever printable ASCII the URI parser accepts as it is.
        for path in [encoded, format!("/{raw}")] {
            let Ok(request) = Request::get(&path).body(Body::empty()) else { continue };
            let answer = send(request);
            prop_assert!(answer.status.as_u16() < 500, "GET {} answered {}", path, answer.status);
        }
    }
}
