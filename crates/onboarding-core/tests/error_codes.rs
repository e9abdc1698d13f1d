//! `ErrorCode::from_api`, the browser's hand-written reader of a 422 entry's code, reads every
//! entry exactly as the derived `Deserialize` (which the backend's tests use) does.

use onboarding_core::countries::CountryCode;
use onboarding_core::ErrorCode;
use proptest::prelude::*;
use serde_json::{json, Value};

fn any_code() -> impl Strategy<Value = ErrorCode> {
    let n = 0usize..100_000;
    prop_oneof![
        Just(ErrorCode::Required),
        (n.clone(), proptest::option::of(n.clone())).prop_map(|(max, len)| ErrorCode::TooLong { max, len }),
        Just(ErrorCode::EmailFormat),
        proptest::option::of(proptest::sample::select(vec!["DE", "US", "GB", "ES", "AE"]))
            .prop_map(|c| ErrorCode::PostalCodeFormat { country: c.and_then(CountryCode::new) }),
        Just(ErrorCode::InvalidChoice),
        n.clone().prop_map(|first| ErrorCode::DuplicateEmail { first }),
        Just(ErrorCode::MissingMaintainer),
        Just(ErrorCode::MissingOnsiteAdmin),
        (n.clone(), n).prop_map(|(row, first)| ErrorCode::DuplicateSupportContact { row, first }),
        Just(ErrorCode::MacFormat),
        Just(ErrorCode::HostFormat),
        Just(ErrorCode::PortRange),
        Just(ErrorCode::CertificateFormat),
        Just(ErrorCode::PrivateKey),
        Just(ErrorCode::ControlCharacters),
        Just(ErrorCode::Invalid),
        Just(ErrorCode::Rejected),
    ]
}

/// Any value a backend might put in an entry's field, numbers and known codes most often.
fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (0u64..1_000).prop_map(Value::from),
        4 => proptest::sample::select(vec!["required", "too_long", "postal_code_format", "duplicate_email", "duplicate_support_contact"])
            .prop_map(Value::from),
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        1 => "[a-z_]{0,24}".prop_map(Value::from),
        1 => proptest::sample::select(vec![
            "required", "too_long", "postal_code_format", "duplicate_email", "duplicate_support_contact", "private_key", "DE", "XX",
        ])
        .prop_map(Value::from),
        1 => Just(json!([])),
        1 => Just(json!({})),
    ]
}

fn derived(entry: &Value) -> Option<ErrorCode> {
    serde_json::from_value(entry.clone()).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn every_code_the_backend_writes_reads_back(code in any_code(), message in ".{0,40}") {
        let mut entry = serde_json::to_value(code).unwrap();
        entry["field"] = json!("customer.name");
        entry["message"] = json!(message);
        prop_assert_eq!(ErrorCode::from_api(&entry), Some(code));
        prop_assert_eq!(derived(&entry), Some(code));
    }

    #[test]
    fn any_entry_reads_as_the_derived_reader_does(
        code in any_value(), max in any_value(), len in any_value(), first in any_value(), row in any_value(), country in any_value(),
        drop in proptest::collection::vec(any::<bool>(), 6),
    ) {
        let mut entry = serde_json::Map::new();
        for (i, (key, value)) in [("code", code), ("max", max), ("len", len), ("first", first), ("row", row), ("country", country)].into_iter().enumerate() {
            if !drop[i] {
                entry.insert(key.into(), value);
            }
        }
        let entry = Value::Object(entry);
        prop_assert_eq!(ErrorCode::from_api(&entry), derived(&entry), "{}", entry);
    }
}
