//! Fuzzing the decoders that read what the device or another party wrote: the draft codec
//! (`draft_codec::decode`), the confirmation record, `config.json`, the host's `init` message
//! and the backend's 422 body. None may panic, whatever it is given; a draft the codec accepts
//! must survive the rest of the domain (validation, building the submission) and re-encode to
//! itself.
//!
//! Inputs: arbitrary strings, arbitrary bytes read as lossy UTF-8, JSON-alphabet soup, and
//! mutations of a valid encoded entry, both structural (keys dropped, values of the wrong type,
//! huge and tiny numbers, nesting past serde_json's depth limit) and textual (truncated, bytes
//! spliced in, numbers too large for any type).

use onboarding_core::config::Config;
use onboarding_core::draft_codec::{
    decode, decode_confirmation, encode, DecodeError, StoredDraft, SCHEMA_VERSION,
};
use onboarding_core::embed::parse_init;
use onboarding_core::payload::{build, parse_api_errors, step_of_path, validate_submission};
use onboarding_core::steps::steps_for;
use onboarding_core::validate::{first_invalid_step, validate_all};
use onboarding_core::{AdminContact, Draft, StepId, SupportContact, SupportRole};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Number, Value};

/// A full entry: working copy on the PBX path with contacts of every kind, and a saved copy.
fn sample_entry() -> StoredDraft {
    let mut d = Draft::new("0b5c1f9e-8f6a-4c1e-9c39-2a4f7f0e2a11", Some("p-1".into()));
    d.current_step = StepId::Connect;
    d.completed = vec![StepId::Customer, StepId::Gateway, StepId::Pbx];
    d.customer.name = "Clínica Ñandú <b>".into();
    d.customer.business_type = "healthcare".into();
    d.customer.default_language = "es".into();
    d.customer.address.street = "Calle Mayor 1".into();
    d.customer.address.city = "Madrid".into();
    d.customer.address.postal_code = "28013".into();
    d.customer.address.country = "ES".into();
    d.admin_contacts.push(AdminContact {
        id: 3,
        first_name: "Ana".into(),
        last_name: "Ruiz".into(),
        email: "ana@example.es".into(),
    });
    d.support_contacts[0].name = "Luis".into();
    d.support_contacts[0].email = "luis@example.es".into();
    d.support_contacts.push(SupportContact {
        id: 4,
        role: SupportRole::Other,
        name: "Eva".into(),
        email: "eva@example.es".into(),
    });
    d.gateway.platform = "mivoice_business".into();
    d.gateway.site_name = "Sede".into();
    d.gateway.site_same_as_customer = false;
    d.gateway.site_address = d.customer.address.clone();
    d.gateway.mac_address = "aa-bb-cc-dd-ee-ff".into();
    d.pbx.host = "pbx.example".into();
    d.pbx.port = "8443".into();
    d.pbx.username = "admin".into();
    d.pbx.certificate_pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----".into();
    let mut entry = StoredDraft::new(d.clone(), 1_700_000_000_000.0);
    d.customer.name = "Clínica".into();
    entry.saved = Some(d);
    entry
}

fn sample_value() -> Value {
    serde_json::from_str(&encode(&sample_entry())).unwrap()
}

/// What the app does with a draft it has read: none of it may panic.
fn use_draft(d: &Draft) {
    let _ = validate_all(d);
    let _ = first_invalid_step(d);
    let _ = steps_for(d.platform());
    let _ = d.next_row_id();
    let _ = d.is_untouched();
    let submission = build(d);
    for e in validate_submission(&submission) {
        assert!(
            step_of_path(&e.path).is_some()
                || matches!(e.path.as_str(), "schema_version" | "draft_id"),
            "an error path no step holds: {}",
            e.path
        );
    }
}

/// The properties every decoder input must satisfy.
fn decodes_without_panic(text: &str) -> Result<(), TestCaseError> {
    match decode(text) {
        Ok(entry) => {
            prop_assert!(!entry.working.id.is_empty());
            prop_assert_eq!(entry.schema_version, SCHEMA_VERSION);
            use_draft(&entry.working);
            if let Some(saved) = &entry.saved {
                use_draft(saved);
            }
            let _ = entry.is_expired(f64::MAX, u32::MAX);
            let _ = entry.is_expired(f64::MIN, 0);
            // What was accepted is written back in a form that reads back as the same entry.
            prop_assert_eq!(decode(&encode(&entry)), Ok(entry.clone()));
        }
        Err(DecodeError::FutureVersion(v)) => prop_assert!(v > SCHEMA_VERSION),
        Err(DecodeError::Corrupt(_)) => {}
    }
    // The other readers of stored or received text.
    let _ = decode_confirmation(text);
    let _ = Config::parse(text);
    let _ = parse_init(text);
    let _ = parse_api_errors(text);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// JSON values and mutations
// ---------------------------------------------------------------------------------------------

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        select(vec![
            0.0,
            -0.0,
            -1.0,
            1e308,
            -1e308,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            4_294_967_296.0,
            1.5,
        ])
        .prop_map(|f| Value::Number(Number::from_f64(f).unwrap())),
        select(vec![
            u64::MAX,
            u64::from(u32::MAX),
            u64::from(u32::MAX) + 1,
            0,
            1,
            2
        ])
        .prop_map(Value::from),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        any::<String>().prop_map(Value::String),
        select(vec![
            "",
            "x",
            "0b5c1f9e-8f6a-4c1e-9c39-2a4f7f0e2a11",
            "smbc",
            "maintainer",
            "onsite_admin",
            "customer",
            "review",
            "Connect",
            "all",
        ])
        .prop_map(|s| Value::String(s.into())),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-z_]{0,12}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Remove the node (a key of its object, an element of its array).
    Drop,
    /// Put another value in its place.
    Replace(Value),
    /// Wrap it in `depth` arrays or objects (past serde_json's recursion limit of 128 too).
    Nest { depth: usize, in_object: bool },
    /// Add an unknown key to an object node.
    AddKey(String, Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => Just(Mutation::Drop),
        4 => json_value().prop_map(Mutation::Replace),
        1 => (1usize..200, any::<bool>())
            .prop_map(|(depth, in_object)| Mutation::Nest { depth, in_object }),
        1 => ("\\PC{0,8}", json_value()).prop_map(|(k, v)| Mutation::AddKey(k, v)),
    ]
}

/// Every node's JSON pointer, the root included.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = k.replace('~', "~0").replace('/', "~1");
                pointers(v, format!("{at}/{key}"), out);
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

fn apply(value: &mut Value, selector: usize, mutation: &Mutation) {
    let mut all = Vec::new();
    pointers(value, String::new(), &mut all);
    let pointer = all[selector % all.len()].clone();
    match mutation {
        Mutation::Drop => {
            let Some((parent, last)) = pointer.rsplit_once('/') else {
                *value = Value::Null;
                return;
            };
            let last = last.replace("~1", "/").replace("~0", "~");
            match value.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&last);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
        }
        Mutation::Replace(new) => {
            if let Some(node) = value.pointer_mut(&pointer) {
                *node = new.clone();
            }
        }
        Mutation::Nest { depth, in_object } => {
            if let Some(node) = value.pointer_mut(&pointer) {
                let mut nested = node.take();
                for _ in 0..*depth {
                    nested = if *in_object {
                        Value::Object(Map::from_iter([("v".to_string(), nested)]))
                    } else {
                        Value::Array(vec![nested])
                    };
                }
                *node = nested;
            }
        }
        Mutation::AddKey(key, new) => {
            if let Some(Value::Object(map)) = value.pointer_mut(&pointer) {
                map.insert(key.clone(), new.clone());
            }
        }
    }
}

#[derive(Clone, Debug)]
enum TextEdit {
    Truncate(usize),
    Insert(usize, String),
    /// Replace the text of the n-th number with a literal no numeric type holds.
    HugeNumber(usize, &'static str),
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    prop_oneof![
        any::<usize>().prop_map(TextEdit::Truncate),
        (
            any::<usize>(),
            "[\\[\\]{}\",:\\\\0-9a-z \u{0}\u{fffd}]{1,4}"
        )
            .prop_map(|(at, s)| TextEdit::Insert(at, s)),
        (
            any::<usize>(),
            select(vec![
                "1e400",
                "-1e400",
                "123456789012345678901234567890",
                "-0",
                "1E2",
                "0.0000000000000000000000000000001",
                "18446744073709551616",
                "-9223372036854775809",
            ])
        )
            .prop_map(|(n, lit)| TextEdit::HugeNumber(n, lit)),
    ]
}

fn edit_text(text: &str, edit: &TextEdit) -> String {
    let boundary = |at: usize| {
        let mut at = at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match edit {
        TextEdit::Truncate(at) => text[..boundary(*at)].to_string(),
        TextEdit::Insert(at, s) => {
            let at = boundary(*at);
            format!("{}{s}{}", &text[..at], &text[at..])
        }
        TextEdit::HugeNumber(n, lit) => {
            // Numbers outside strings: after `:` or `[` or `,`, a run of number characters.
            let bytes = text.as_bytes();
            let mut starts = Vec::new();
            let mut in_string = false;
            let mut escaped = false;
            for (i, &b) in bytes.iter().enumerate() {
                if in_string {
                    match (escaped, b) {
                        (true, _) => escaped = false,
                        (false, b'\\') => escaped = true,
                        (false, b'"') => in_string = false,
                        _ => {}
                    }
                } else if b == b'"' {
                    in_string = true;
                } else if (b.is_ascii_digit() || b == b'-')
                    && i > 0
                    && matches!(bytes[i - 1], b':' | b'[' | b',')
                {
                    starts.push(i);
                }
            }
            let Some(&start) = starts.get(n % starts.len().max(1)) else {
                return text.to_string();
            };
            let end = start
                + text[start..]
                    .find(|c: char| {
                        !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
                    })
                    .unwrap_or(text.len() - start);
            format!("{}{lit}{}", &text[..start], &text[end..])
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// `base` cases, times `FUZZ_SCALE` when set (a deeper run: `FUZZ_SCALE=20 cargo test ...`).
fn cases(base: u32) -> u32 {
    let scale = std::env::var("FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .unwrap_or(1);
    base.saturating_mul(scale.max(1))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(4_000)))]

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        decodes_without_panic(&text)?;
    }

    #[test]
    fn arbitrary_bytes_as_lossy_utf8_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        decodes_without_panic(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn json_alphabet_soup_never_panics(text in "[\\[\\]{}\",:0-9a-z_. -]{0,80}") {
        decodes_without_panic(&text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(2_000)))]

    #[test]
    fn structural_mutations_of_a_valid_entry_never_panic(
        mutations in prop::collection::vec((any::<usize>(), mutation()), 1..6)
    ) {
        let mut value = sample_value();
        for (selector, mutation) in &mutations {
            apply(&mut value, *selector, mutation);
        }
        decodes_without_panic(&value.to_string())?;
    }

    #[test]
    fn textual_mutations_of_a_valid_entry_never_panic(
        edits in prop::collection::vec(text_edit(), 1..4)
    ) {
        let mut text = encode(&sample_entry());
        for edit in &edits {
            text = edit_text(&text, edit);
        }
        decodes_without_panic(&text)?;
    }

    /// The working copy alone, mutated: a partly written or hand-edited entry whose envelope
    /// is intact reaches the draft's own fields.
    #[test]
    fn mutations_inside_the_working_copy_never_panic(
        mutations in prop::collection::vec((any::<usize>(), mutation()), 1..4)
    ) {
        let mut value = sample_value();
        let mut working = value["working"].take();
        for (selector, mutation) in &mutations {
            apply(&mut working, *selector, mutation);
        }
        value["working"] = working;
        decodes_without_panic(&value.to_string())?;
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed cases: the edges the generators aim at, pinned so they always run.
// ---------------------------------------------------------------------------------------------

#[test]
fn the_sample_round_trips() {
    let entry = sample_entry();
    assert_eq!(decode(&encode(&entry)), Ok(entry));
}

#[test]
fn edges_of_the_envelope() {
    let v = sample_value();
    let with = |v: &Value, key: &str, x: Value| {
        let mut v = v.clone();
        v[key] = x;
        v.to_string()
    };
    // schema_version beyond u32 is a future version, not a wrap-around to an old one.
    assert_eq!(
        decode(&with(
            &v,
            "schema_version",
            Value::from(u64::from(u32::MAX) + 1)
        )),
        Err(DecodeError::FutureVersion(u32::MAX))
    );
    assert_eq!(
        decode(&with(&v, "schema_version", Value::from(2))),
        Err(DecodeError::FutureVersion(2))
    );
    // Version 0 is migrated; negative and fractional versions are corrupt.
    assert!(decode(&with(&v, "schema_version", Value::from(0))).is_ok());
    for bad in [
        Value::from(-1),
        Value::from(1.0),
        Value::from("1"),
        Value::Null,
    ] {
        assert!(
            matches!(
                decode(&with(&v, "schema_version", bad.clone())),
                Err(DecodeError::Corrupt(_))
            ),
            "{bad}"
        );
    }
    // Extreme timestamps decode and are compared without overflow.
    for t in [f64::MAX, -f64::MAX, 5e-324] {
        let entry = decode(&with(&v, "updated_at", Value::from(t))).unwrap();
        let _ = entry.is_expired(f64::MAX, u32::MAX);
        let _ = entry.is_expired(-f64::MAX, 0);
    }
    // A number no f64 holds is a parse error, not an infinity.
    let text = encode(&sample_entry()).replace("1700000000000.0", "1e400");
    assert!(text.contains("1e400"));
    assert!(matches!(decode(&text), Err(DecodeError::Corrupt(_))));
}

#[test]
fn nesting_past_the_parser_limit_is_corrupt_not_a_stack_overflow() {
    for depth in [127, 128, 129, 10_000, 100_000] {
        let text = format!(
            "{{\"schema_version\":1,\"updated_at\":1,\"working\":{{\"id\":\"x\",\"completed\":{}{}}}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        assert!(
            matches!(decode(&text), Err(DecodeError::Corrupt(_))),
            "{depth}"
        );
    }
}

#[test]
fn row_ids_at_the_top_of_the_range_still_give_a_free_one() {
    let mut v = sample_value();
    v["working"]["admin_contacts"][0]["id"] = Value::from(u64::MAX);
    let entry = decode(&v.to_string()).unwrap();
    let next = entry.working.next_row_id();
    assert!(entry.working.admin_contacts.iter().all(|c| c.id != next));
    assert!(entry.working.support_contacts.iter().all(|c| c.id != next));
    // One past u64::MAX does not fit: the entry is corrupt.
    let text = v
        .to_string()
        .replace("18446744073709551615", "18446744073709551616");
    assert!(matches!(decode(&text), Err(DecodeError::Corrupt(_))));
}
