//! Invariants of the Customer rules over generated drafts.

use onboarding_core::countries::normalize_postal_code;
use onboarding_core::draft_codec::{decode, encode, StoredDraft};
use onboarding_core::validate::{is_valid_email, validate_customer};
use onboarding_core::{AdminContact, Draft, ErrorCode, SupportContact, SupportRole};
use proptest::prelude::*;

/// Text as partners paste it: letters, accents, digits, punctuation, spaces, sometimes long.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zA-ZñÑáéíóú0-9 .,'@<>&-]{0,20}",
        "[a-z]{95,105}",
        any::<String>(),
    ]
}

fn email() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-c]{1,3}@(ejemplo|example)\\.(es|com)",
        "[A-C]{1,3}@(EJEMPLO|Example)\\.(ES|com)",
        text(),
    ]
}

fn role() -> impl Strategy<Value = SupportRole> {
    prop_oneof![
        Just(SupportRole::Maintainer),
        Just(SupportRole::OnsiteAdmin),
        Just(SupportRole::Other)
    ]
}

fn draft() -> impl Strategy<Value = Draft> {
    let customer = (
        text(),
        text(),
        text(),
        text(),
        text(),
        text(),
        prop_oneof![
            Just("ES"),
            Just("US"),
            Just("GB"),
            Just("AE"),
            Just(""),
            Just("XX")
        ],
        prop_oneof![Just("healthcare"), Just(""), Just("mining")],
    );
    let admins = prop::collection::vec((text(), text(), email()), 0..5);
    let supports = prop::collection::vec((role(), text(), email()), 0..5);
    (customer, admins, supports).prop_map(
        |((name, street, street2, city, region, postal, country, business), admins, supports)| {
            let mut d = Draft::new("id", None);
            d.customer.name = name;
            d.customer.business_type = business.into();
            let a = &mut d.customer.address;
            (
                a.street,
                a.street2,
                a.city,
                a.region,
                a.postal_code,
                a.country,
            ) = (street, street2, city, region, postal, country.into());
            d.admin_contacts = admins
                .into_iter()
                .enumerate()
                .map(|(i, (f, l, e))| AdminContact {
                    id: i as u64,
                    first_name: f,
                    last_name: l,
                    email: e,
                })
                .collect();
            d.support_contacts = supports
                .into_iter()
                .enumerate()
                .map(|(i, (r, n, e))| SupportContact {
                    id: 10 + i as u64,
                    role: r,
                    name: n,
                    email: e,
                })
                .collect();
            d
        },
    )
}

fn pad(s: &str) -> String {
    format!(" \t{s}\n ")
}

const FIELD_PATHS: &[&str] = &[
    "customer.name",
    "customer.address.street",
    "customer.address.street2",
    "customer.address.city",
    "customer.address.region",
    "customer.address.postal_code",
    "customer.address.country",
    "customer.business_type",
    "customer.default_language",
    "admin_contacts.first_name",
    "admin_contacts.last_name",
    "admin_contacts.email",
    "support_contacts",
    "support_contacts.role",
    "support_contacts.name",
    "support_contacts.email",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn surrounding_whitespace_never_changes_the_verdict(d in draft()) {
        let mut padded = d.clone();
        let c = &mut padded.customer;
        for f in [&mut c.name, &mut c.address.street, &mut c.address.street2, &mut c.address.city, &mut c.address.region, &mut c.address.postal_code] {
            *f = pad(f);
        }
        for a in &mut padded.admin_contacts {
            for f in [&mut a.first_name, &mut a.last_name, &mut a.email] { *f = pad(f); }
        }
        for s in &mut padded.support_contacts {
            for f in [&mut s.name, &mut s.email] { *f = pad(f); }
        }
        prop_assert_eq!(validate_customer(&d), validate_customer(&padded));
    }

    #[test]
    fn the_case_of_an_email_never_changes_its_validity_nor_hides_a_duplicate(e in email(), upper in any::<bool>()) {
        let other = if upper { e.to_uppercase() } else { e.to_lowercase() };
        // Case mapping can change length for a few exotic characters; stay with ASCII-stable ones.
        prop_assume!(other.chars().count() == e.chars().count() && other.is_ascii() == e.is_ascii());
        prop_assert_eq!(is_valid_email(&e), is_valid_email(&other));
        let mut d = Draft::new("id", None);
        d.admin_contacts = vec![
            AdminContact { id: 1, first_name: "A".into(), last_name: "B".into(), email: e.clone() },
            AdminContact { id: 2, first_name: "C".into(), last_name: "D".into(), email: other },
        ];
        let dup = validate_customer(&d).iter().any(|x| x.code == ErrorCode::DuplicateEmail { first: 0 });
        prop_assert_eq!(dup, is_valid_email(&e) && e.trim().chars().count() <= 254);
    }

    #[test]
    fn every_error_names_a_field_that_exists(d in draft()) {
        for e in validate_customer(&d) {
            prop_assert!(FIELD_PATHS.contains(&e.generic_path().as_str()), "unknown path {}", e.path);
            if let Some(row) = e.row() {
                let len = if e.path.starts_with("admin_contacts") { d.admin_contacts.len() } else { d.support_contacts.len() };
                prop_assert!(row < len, "{} but only {len} rows", e.path);
            }
            if let ErrorCode::DuplicateSupportContact { row, first } = e.code {
                prop_assert!(first < row && row < d.support_contacts.len());
            }
            if let ErrorCode::DuplicateEmail { first } = e.code {
                prop_assert!(first < e.row().unwrap());
            }
        }
    }

    #[test]
    fn duplicate_count_is_contacts_minus_distinct_valid_emails(emails in prop::collection::vec(email(), 0..8)) {
        let mut d = Draft::new("id", None);
        d.admin_contacts = emails.iter().enumerate()
            .map(|(i, e)| AdminContact { id: i as u64, first_name: "A".into(), last_name: "B".into(), email: e.clone() }).collect();
        let valid: Vec<String> = emails.iter().filter(|e| is_valid_email(e) && e.trim().chars().count() <= 254)
            .map(|e| e.trim().to_lowercase()).collect();
        let distinct: std::collections::HashSet<_> = valid.iter().collect();
        let dups = validate_customer(&d).iter().filter(|e| matches!(e.code, ErrorCode::DuplicateEmail { .. })).count();
        prop_assert_eq!(dups, valid.len() - distinct.len());
    }

    #[test]
    fn with_both_mandatory_roles_present_no_role_error_appears(mut d in draft()) {
        d.support_contacts.push(SupportContact { id: 90, role: SupportRole::Maintainer, ..Default::default() });
        d.support_contacts.push(SupportContact { id: 91, role: SupportRole::OnsiteAdmin, ..Default::default() });
        prop_assert!(!validate_customer(&d).iter().any(|e| matches!(e.code, ErrorCode::MissingMaintainer | ErrorCode::MissingOnsiteAdmin)));
    }

    #[test]
    fn normalised_postal_codes_normalise_to_themselves(
        country in prop_oneof![Just("US"), Just("CA"), Just("GB"), Just("DE"), Just("ES"), Just("FR"), Just("IT"), Just("NL"), Just("AU"), Just("MX"), Just("SE")],
        raw in "[0-9A-Za-z -]{0,12}",
    ) {
        if let Some(n) = normalize_postal_code(country, &raw) {
            prop_assert_eq!(normalize_postal_code(country, &n), Some(n.clone()));
        }
    }

    #[test]
    fn stored_drafts_round_trip_and_any_text_decodes_without_panicking(d in draft(), junk in any::<String>()) {
        let stored = StoredDraft::new(Draft { id: "x".into(), ..d }, 1.0);
        prop_assert_eq!(decode(&encode(&stored)), Ok(stored));
        let _ = decode(&junk);
    }
}
