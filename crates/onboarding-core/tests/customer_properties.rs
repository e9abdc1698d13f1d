//! Property tests: invariants of the Customer-step rules over generated drafts, emails and
//! postal codes.

use std::collections::{HashMap, HashSet};

use onboarding_core::countries::{normalize_postal_code, CountryCode, COUNTRY_CODES};
use onboarding_core::validate::{
    is_valid_email, validate_admin_contacts, validate_customer, validate_customer_info,
    validate_step, validate_support_contacts,
};
use onboarding_core::{
    AdminContact, Draft, ErrorCode, FieldError, StepId, SupportContact, SupportRole,
    BUSINESS_TYPES, CUSTOMER_LANGUAGES,
};
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------------------------------------
// The page: every field an error may name, in page order
// ---------------------------------------------------------------------------------------------

const CUSTOMER_FIELDS: &[&str] = &[
    "customer.name",
    "customer.address.street",
    "customer.address.street2",
    "customer.address.city",
    "customer.address.region",
    "customer.address.postal_code",
    "customer.address.country",
    "customer.business_type",
    "customer.default_language",
];
const ADMIN_FIELDS: &[&str] = &["first_name", "last_name", "email"];
const SUPPORT_FIELDS: &[&str] = &["name", "email"];

/// Every generic path (`FieldError::generic_path`) a Customer-step error may carry.
const ALLOWED_GENERIC_PATHS: &[&str] = &[
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
    "support_contacts.name",
    "support_contacts.email",
];

const CHECKED_POSTAL_COUNTRIES: &[&str] =
    &["US", "CA", "GB", "DE", "ES", "FR", "IT", "NL", "AU", "MX"];

/// Splits `admin_contacts[3].email` into ("admin_contacts", 3, "email").
fn parse_row_path(path: &str) -> Option<(&str, usize, &str)> {
    let (list, rest) = path.split_once('[')?;
    let (index, rest) = rest.split_once(']')?;
    let field = rest.strip_prefix('.')?;
    if index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((list, index.parse().ok()?, field))
}

/// Where an error sits on the page: (section, row, field position).
fn page_rank(path: &str) -> (usize, usize, usize) {
    if let Some(i) = CUSTOMER_FIELDS.iter().position(|f| *f == path) {
        return (0, 0, i);
    }
    if path == "support_contacts" {
        return (2, 0, 0);
    }
    match parse_row_path(path) {
        Some(("admin_contacts", row, field)) => (
            1,
            row,
            ADMIN_FIELDS.iter().position(|f| *f == field).expect(path),
        ),
        Some(("support_contacts", row, field)) => (
            3,
            row,
            SUPPORT_FIELDS.iter().position(|f| *f == field).expect(path),
        ),
        _ => panic!("unknown path {path}"),
    }
}

/// The rule: surrounding spaces and the case of ASCII letters do not count; every other
/// character compares exactly.
fn email_key(e: &str) -> String {
    e.trim().to_ascii_lowercase()
}

/// Whether an email passes both the format and the 254-character limit.
fn email_ok(e: &str) -> bool {
    is_valid_email(e) && e.trim().chars().count() <= 254
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// Text as partners type or paste it: empty, blank, short, around every limit, or anything.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        1 => "[ \t\n\u{a0}\u{3000}]{1,3}",
        24 => "[a-zA-ZñÑáéíóúüçÇ0-9.,'&/-][a-zA-ZñÑáéíóúüçÇ0-9 .,'&/-]{0,23}",
        1 => "[xñ😀日]{48,52}",
        1 => "[xñ😀日 ]{98,102}",
        1 => "[xñ😀 ]{198,202}",
        1 => any::<String>(),
    ]
}

/// Whitespace that trimming removes, including non-ASCII spaces.
fn padding() -> impl Strategy<Value = String> {
    prop::collection::vec(
        select(vec![
            " ", "\t", "\n", "\r", "\u{a0}", "\u{2003}", "\u{3000}",
        ]),
        0..4,
    )
    .prop_map(|v| v.concat())
}

const LOCALS: &[&str] = &[
    "ana", "Ana.Ruiz", "luis+x", "josé", "o'brien", "b", "MARTA_g",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "Ejemplo.ES",
    "example.co.uk",
    "sub.Espiga.es",
];
/// A smaller pool for drafts, so that repeated mailboxes are common.
const POOL_LOCALS: &[&str] = &["ana", "Ana.Ruiz", "luis+x", "josé"];
const POOL_DOMAINS: &[&str] = &["example.com", "Ejemplo.ES"];
const BAD_EMAILS: &[&str] = &[
    "ann@example",
    "Ann <a@b.com>",
    "a@[1.2.3.4]",
    "no-at.example.com",
    "a@b.c.",
    "a b@c.com",
    "@x.com",
    "a@",
];

/// A small pool of mailboxes (so duplicates are frequent) in any case, with surrounding
/// whitespace, plus malformed, overlong and arbitrary values.
fn email() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => mailbox(POOL_LOCALS, POOL_DOMAINS),
        6 => mailbox(LOCALS, DOMAINS),
        2 => select(BAD_EMAILS).prop_map(String::from),
        1 => Just(format!("{}@{}.{}.{}.com", "a".repeat(64), "b".repeat(63), "c".repeat(63), "d".repeat(57))),
        1 => Just(format!("{}@{}.{}.{}.com", "a".repeat(64), "b".repeat(63), "c".repeat(63), "d".repeat(58))),
        1 => Just(String::new()),
        2 => "[a-zA-Z0-9.@ñ+_ -]{0,20}",
        1 => any::<String>(),
    ]
}

/// `local@domain` from the pools, in any case, with surrounding whitespace.
fn mailbox(
    locals: &'static [&'static str],
    domains: &'static [&'static str],
) -> impl Strategy<Value = String> {
    (
        select(locals),
        select(domains),
        any::<u64>(),
        padding(),
        padding(),
    )
        .prop_map(|(l, d, mask, left, right)| {
            format!("{left}{}{right}", flip_case(&format!("{l}@{d}"), mask))
        })
}

/// Flips the case of the ASCII letters selected by `mask` (bit i for character i mod 64).
fn flip_case(s: &str, mask: u64) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            // Only ASCII letters change case: the rule ignores their case and no other's.
            if mask >> (i % 64) & 1 == 0 || !c.is_ascii_alphabetic() {
                return c;
            }
            if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect()
}

/// Characters whose upper and lower case are single characters that map back to each other,
/// so changing case keeps the same mailbox under `to_lowercase` comparison.
fn case_stable(c: char) -> bool {
    let up: Vec<char> = c.to_uppercase().collect();
    let low: Vec<char> = c.to_lowercase().collect();
    match (up.as_slice(), low.as_slice()) {
        (&[u], &[l]) => u.to_lowercase().eq([l]) && l.to_uppercase().eq([u]),
        _ => false,
    }
}

fn role() -> impl Strategy<Value = SupportRole> {
    prop_oneof![
        2 => Just(SupportRole::Maintainer),
        2 => Just(SupportRole::OnsiteAdmin),
        1 => Just(SupportRole::Other),
    ]
}

/// Postal codes each checked country accepts, as written or typed loosely.
fn valid_codes(country: &str) -> &'static [&'static str] {
    match country {
        "US" => &["94105", "94105-1234", "941051234", "94105 1234"],
        "CA" => &["K1A 0B1", "h2x1y4", "T2P 1J9"],
        "GB" => &["SW1A 1AA", "m11ae", "B33 8TH", "cr2 6xh"],
        "DE" => &["10115", "01067"],
        "ES" => &["28013", "50001", "08001"],
        "FR" => &["75001", "97400"],
        "IT" => &["00184", "20121"],
        "NL" => &["1012 AB", "3011ad"],
        "AU" => &["2000", "0800"],
        "MX" => &["06600", "44100"],
        _ => &["12345", "AB-12", ""],
    }
}

/// A country with a postal code: mostly a code of that country, sometimes any code.
fn address() -> impl Strategy<Value = (String, String)> {
    let matching = (
        country(),
        any::<prop::sample::Index>(),
        any::<bool>(),
        padding(),
        padding(),
    )
        .prop_map(|(country, i, lower, left, right)| {
            let codes = valid_codes(&country);
            let code = codes[i.index(codes.len())];
            let code = if lower {
                code.to_lowercase()
            } else {
                code.to_string()
            };
            (country, format!("{left}{code}{right}"))
        });
    prop_oneof![3 => matching, 1 => (country(), postal_code())]
}

fn country() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(COUNTRY_CODES.to_vec()).prop_map(String::from),
        8 => select(vec!["US", "CA", "GB", "DE", "ES", "FR", "IT", "NL", "AU", "MX", "BR", "IN", "AE", "HK"]).prop_map(String::from),
        1 => select(vec!["", "XX", "es", "ESP"]).prop_map(String::from),
    ]
}

/// Postal codes that are often valid for some checked country, in any case and spacing.
fn postal_code() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => Just(String::new()),
        2 => "[0-9]{5}",
        1 => "[0-9]{5}[ -]?[0-9]{4}",
        1 => "[0-9]{4}",
        1 => "[0-9]{4} ?[a-zA-Z]{2}",
        1 => "[A-Za-z][0-9][A-Za-z] ?[0-9][A-Za-z][0-9]",
        1 => "[A-Za-z]{1,2}[0-9][0-9A-Za-z]? ?[0-9][A-Za-z]{2}",
        2 => "[0-9A-Za-z -]{0,13}",
        1 => any::<String>(),
    ]
    .prop_flat_map(|code| (padding(), padding()).prop_map(move |(l, r)| format!("{l}{code}{r}")))
}

type CustomerFields = (Vec<String>, (String, String), (String, String));

fn customer_fields(text: BoxedStrategy<String>) -> impl Strategy<Value = CustomerFields> {
    (
        prop::collection::vec(text, 5), // name, street, street2, city, region
        address(),
        (
            prop_oneof![
                12 => select(BUSINESS_TYPES.to_vec()).prop_map(String::from),
                1 => select(vec!["", "mining", "Retail"]).prop_map(String::from),
            ],
            prop_oneof![
                3 => Just(String::new()),
                3 => select(CUSTOMER_LANGUAGES.to_vec()).prop_map(String::from),
                1 => select(vec!["tlh", "EN"]).prop_map(String::from),
            ],
        ),
    )
}

/// A draft with realistic values in every field: a third of them built from values that are
/// mostly valid (so whole drafts often pass), the rest from noisier values.
fn draft() -> impl Strategy<Value = Draft> {
    let clean_text = "[A-Za-zñé][a-zñé .]{0,20}".boxed();
    let clean_email = mailbox(POOL_LOCALS, POOL_DOMAINS).boxed();
    prop_oneof![2 => draft_from(text().boxed(), email().boxed(), 0..5), 1 => draft_from(clean_text, clean_email, 2..5)]
}

fn draft_from(
    text: BoxedStrategy<String>,
    email: BoxedStrategy<String>,
    support_rows: std::ops::Range<usize>,
) -> impl Strategy<Value = Draft> {
    let admins = prop::collection::vec((text.clone(), text.clone(), email.clone()), 0..5);
    let supports = prop::collection::vec((role(), text.clone(), email), support_rows);
    (customer_fields(text), admins, supports).prop_map(
        |((texts, (country, postal), (business, language)), admins, supports)| {
            let mut d = Draft::new("d", None);
            d.customer.name = texts[0].clone();
            d.customer.address.street = texts[1].clone();
            d.customer.address.street2 = texts[2].clone();
            d.customer.address.city = texts[3].clone();
            d.customer.address.region = texts[4].clone();
            d.customer.address.postal_code = postal;
            d.customer.address.country = country;
            d.customer.business_type = business;
            d.customer.default_language = language;
            d.admin_contacts = admins
                .into_iter()
                .enumerate()
                .map(|(i, (f, l, e))| AdminContact {
                    id: 10 + i as u64,
                    first_name: f,
                    last_name: l,
                    email: e,
                })
                .collect();
            d.support_contacts = supports
                .into_iter()
                .enumerate()
                .map(|(i, (role, name, email))| SupportContact {
                    id: 100 + i as u64,
                    role,
                    name,
                    email,
                })
                .collect();
            d
        },
    )
}

/// A draft whose every field, choices included, is an arbitrary Unicode string.
fn chaotic_draft() -> impl Strategy<Value = Draft> {
    let s = || any::<String>();
    (
        prop::collection::vec(s(), 9),
        prop::collection::vec((s(), s(), s()), 0..4),
        prop::collection::vec((role(), s(), s()), 0..4),
    )
        .prop_map(|(c, admins, supports)| {
            let mut d = Draft::default();
            d.customer.name = c[0].clone();
            d.customer.address.street = c[1].clone();
            d.customer.address.street2 = c[2].clone();
            d.customer.address.city = c[3].clone();
            d.customer.address.region = c[4].clone();
            d.customer.address.postal_code = c[5].clone();
            d.customer.address.country = c[6].clone();
            d.customer.business_type = c[7].clone();
            d.customer.default_language = c[8].clone();
            d.admin_contacts = admins
                .into_iter()
                .map(|(f, l, e)| AdminContact {
                    id: 0,
                    first_name: f,
                    last_name: l,
                    email: e,
                })
                .collect();
            d.support_contacts = supports
                .into_iter()
                .map(|(role, name, email)| SupportContact {
                    id: 0,
                    role,
                    name,
                    email,
                })
                .collect();
            d
        })
}

/// Pads every free-text field (not the closed-list choices) with the given whitespace.
fn pad_text_fields(d: &Draft, pads: &[String]) -> Draft {
    let mut pads = pads.iter().cycle();
    let mut pad = |s: &mut String| {
        let left = pads.next().unwrap();
        let right = pads.next().unwrap();
        *s = format!("{left}{s}{right}");
    };
    let mut p = d.clone();
    let a = &mut p.customer.address;
    for f in [
        &mut p.customer.name,
        &mut a.street,
        &mut a.street2,
        &mut a.city,
        &mut a.region,
        &mut a.postal_code,
    ] {
        pad(f);
    }
    for c in &mut p.admin_contacts {
        pad(&mut c.first_name);
        pad(&mut c.last_name);
        pad(&mut c.email);
    }
    for c in &mut p.support_contacts {
        pad(&mut c.name);
        pad(&mut c.email);
    }
    p
}

fn filled_maintainer(id: u64) -> SupportContact {
    SupportContact {
        id,
        role: SupportRole::Maintainer,
        name: "Marta Gil".into(),
        email: "marta@espiga.es".into(),
    }
}

fn filled_onsite(id: u64) -> SupportContact {
    SupportContact {
        id,
        role: SupportRole::OnsiteAdmin,
        name: "Luis Pérez".into(),
        email: "luis@espiga.es".into(),
    }
}

fn admins_with_emails(emails: &[String]) -> Vec<AdminContact> {
    emails
        .iter()
        .enumerate()
        .map(|(i, e)| AdminContact {
            id: i as u64,
            first_name: "A".into(),
            last_name: "B".into(),
            email: e.clone(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn surrounding_whitespace_on_any_text_field_never_changes_the_errors(
        d in draft(),
        pads in prop::collection::vec(padding(), 1..16),
    ) {
        let padded = pad_text_fields(&d, &pads);
        prop_assert_eq!(validate_customer(&d), validate_customer(&padded));
    }

    #[test]
    fn changing_the_case_of_an_email_never_changes_whether_it_is_valid(e in email(), mask in any::<u64>()) {
        prop_assume!(e.chars().all(case_stable));
        let flipped = flip_case(&e, mask);
        prop_assert_eq!(is_valid_email(&e), is_valid_email(&flipped), "{:?} vs {:?}", e, flipped);
        prop_assert_eq!(is_valid_email(&e), is_valid_email(&e.to_uppercase()));
        prop_assert_eq!(is_valid_email(&e), is_valid_email(&e.to_lowercase()));
    }

    #[test]
    fn arbitrary_text_keeps_its_email_verdict_under_one_to_one_case_changes(e in any::<String>(), mask in any::<u64>()) {
        prop_assume!(e.chars().all(case_stable));
        prop_assert_eq!(is_valid_email(&e), is_valid_email(&flip_case(&e, mask)));
    }

    #[test]
    fn changing_the_case_of_one_of_two_equal_admin_emails_never_hides_the_duplicate(
        local in "[a-zA-Z0-9ñÑéÉüÜçÇøØ._+-]{1,20}",
        domain in select(DOMAINS),
        mask in any::<u64>(),
        second in any::<bool>(),
        left in padding(),
        right in padding(),
    ) {
        let e = format!("{local}@{domain}");
        let variant = format!("{left}{}{right}", flip_case(&e, mask));
        let emails = if second { vec![e.clone(), variant] } else { vec![variant, e.clone()] };
        let errors = validate_admin_contacts(&admins_with_emails(&emails));
        let dups: Vec<&FieldError> = errors.iter().filter(|x| matches!(x.code, ErrorCode::DuplicateEmail { .. })).collect();
        if email_ok(&e) {
            prop_assert_eq!(dups.len(), 1, "{:?}", emails);
            prop_assert_eq!(dups[0], &FieldError::new("admin_contacts[1].email", ErrorCode::DuplicateEmail { first: 0 }));
        } else {
            prop_assert!(dups.is_empty());
            prop_assert_eq!(errors.len(), 2, "both rows get the same format error: {:?}", errors);
        }
    }

    #[test]
    fn every_error_path_names_a_field_that_exists_in_the_draft(d in draft()) {
        for e in validate_customer(&d) {
            let generic = e.generic_path();
            prop_assert!(ALLOWED_GENERIC_PATHS.contains(&generic.as_str()), "unknown path {}", e.path);
            match parse_row_path(&e.path) {
                Some(("admin_contacts", i, field)) => {
                    prop_assert!(i < d.admin_contacts.len(), "{} but {} admin rows", e.path, d.admin_contacts.len());
                    prop_assert!(ADMIN_FIELDS.contains(&field));
                    prop_assert_eq!(e.row(), Some(i));
                }
                Some(("support_contacts", i, field)) => {
                    prop_assert!(i < d.support_contacts.len(), "{} but {} support rows", e.path, d.support_contacts.len());
                    prop_assert!(SUPPORT_FIELDS.contains(&field));
                    prop_assert_eq!(e.row(), Some(i));
                }
                Some(_) => prop_assert!(false, "row path into an unknown list: {}", e.path),
                None => {
                    prop_assert!(!e.path.contains('[') && !e.path.contains(']'), "malformed path {}", e.path);
                    prop_assert_eq!(e.row(), None);
                    prop_assert!(CUSTOMER_FIELDS.contains(&e.path.as_str()) || e.path == "support_contacts");
                }
            }
            // Group codes only on the group, field codes only on fields.
            let group_code = matches!(
                e.code,
                ErrorCode::MissingMaintainer | ErrorCode::MissingOnsiteAdmin | ErrorCode::DuplicateSupportContact { .. }
            );
            prop_assert_eq!(group_code, e.path == "support_contacts", "{:?} on {}", e.code, e.path);
            if let ErrorCode::DuplicateEmail { first } = e.code {
                prop_assert_eq!(generic.as_str(), "admin_contacts.email");
                let row = e.row().unwrap();
                prop_assert!(first < row);
                prop_assert_eq!(email_key(&d.admin_contacts[first].email), email_key(&d.admin_contacts[row].email));
            }
            if let ErrorCode::DuplicateSupportContact { row, first } = e.code {
                prop_assert!(first < row && row < d.support_contacts.len());
                let (a, b) = (&d.support_contacts[first], &d.support_contacts[row]);
                prop_assert_eq!(a.role, b.role);
                prop_assert_eq!(email_key(&a.email), email_key(&b.email));
            }
            if let ErrorCode::TooLong { max, len } = e.code {
                prop_assert!(len.is_some_and(|len| len > max), "{:?}", e);
                let expected = match generic.as_str() {
                    "customer.name" | "customer.address.city" | "customer.address.region" | "support_contacts.name" => 100,
                    "customer.address.street" | "customer.address.street2" => 200,
                    "admin_contacts.first_name" | "admin_contacts.last_name" => 50,
                    "admin_contacts.email" | "support_contacts.email" => 254,
                    other => return Err(TestCaseError::fail(format!("too_long on {other}"))),
                };
                prop_assert_eq!(max, expected);
            }
        }
    }

    #[test]
    fn errors_always_come_in_page_order(d in draft()) {
        let ranks: Vec<_> = validate_customer(&d).iter().map(|e| page_rank(&e.path)).collect();
        prop_assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{:?}", validate_customer(&d));
    }

    #[test]
    fn a_field_never_gets_two_errors_and_the_group_never_repeats_one(d in draft()) {
        let errors = validate_customer(&d);
        let mut fields = HashSet::new();
        let mut group = HashSet::new();
        for e in &errors {
            if e.path == "support_contacts" {
                prop_assert!(group.insert(format!("{:?}", e.code)), "repeated group error {:?}", e.code);
            } else {
                prop_assert!(fields.insert(e.path.clone()), "two errors on {}", e.path);
            }
        }
    }

    #[test]
    fn validate_customer_is_its_three_parts_in_order_and_validate_step_agrees(d in draft()) {
        let mut joined = validate_customer_info(&d.customer);
        joined.extend(validate_admin_contacts(&d.admin_contacts));
        joined.extend(validate_support_contacts(&d.support_contacts));
        prop_assert_eq!(&validate_customer(&d), &joined);
        prop_assert_eq!(validate_step(StepId::Customer, &d), joined);
    }

    #[test]
    fn validation_never_panics_on_arbitrary_unicode_in_every_field(d in chaotic_draft()) {
        let errors = validate_customer(&d);
        for e in &errors {
            let _ = (e.row(), e.generic_path(), e.code.as_str());
        }
        let _ = validate_step(StepId::Customer, &d);
        let _ = is_valid_email(&d.customer.name);
        let _ = normalize_postal_code(&d.customer.address.country, &d.customer.address.postal_code);
    }

    #[test]
    fn postal_code_normalisation_and_email_parsing_never_panic(country in "\\PC{0,3}", raw in any::<String>()) {
        let _ = normalize_postal_code(&country, &raw);
        for c in CHECKED_POSTAL_COUNTRIES {
            let _ = normalize_postal_code(c, &raw);
        }
        let _ = is_valid_email(&raw);
    }

    #[test]
    fn field_error_row_and_generic_path_never_panic_on_any_path(path in any::<String>()) {
        let e = FieldError::new(path.clone(), ErrorCode::Required);
        let generic = e.generic_path();
        if !path.contains('[') {
            prop_assert_eq!(&generic, &path);
            prop_assert_eq!(e.row(), None);
        }
    }

    #[test]
    fn duplicate_email_errors_equal_valid_contacts_minus_distinct_valid_emails(
        emails in prop::collection::vec(email(), 0..10),
    ) {
        let errors = validate_admin_contacts(&admins_with_emails(&emails));
        let valid: Vec<String> = emails.iter().filter(|e| email_ok(e)).map(|e| email_key(e)).collect();
        let distinct: HashSet<&String> = valid.iter().collect();
        let dups = errors.iter().filter(|e| matches!(e.code, ErrorCode::DuplicateEmail { .. })).count();
        prop_assert_eq!(dups, valid.len() - distinct.len(), "{:?}", emails);
        // Each duplicate names the first row with that mailbox.
        let mut first_row: HashMap<String, usize> = HashMap::new();
        for (i, e) in emails.iter().enumerate() {
            if !email_ok(e) {
                continue;
            }
            let key = email_key(e);
            let want = first_row.get(&key).map(|&first| {
                FieldError::new(format!("admin_contacts[{i}].email"), ErrorCode::DuplicateEmail { first })
            });
            first_row.entry(key).or_insert(i);
            if let Some(want) = want {
                prop_assert!(errors.contains(&want), "missing {:?}", want);
            }
        }
    }

    #[test]
    fn duplicate_support_errors_equal_filled_rows_minus_distinct_role_and_email_pairs(
        rows in prop::collection::vec((role(), email()), 0..10),
    ) {
        let contacts: Vec<SupportContact> = rows
            .iter()
            .map(|(role, email)| SupportContact { id: 0, role: *role, name: "N".into(), email: email.clone() })
            .collect();
        let errors = validate_support_contacts(&contacts);
        let filled: Vec<(SupportRole, String)> = rows
            .iter()
            .filter(|(_, e)| !e.trim().is_empty())
            .map(|(r, e)| (*r, email_key(e)))
            .collect();
        let distinct: HashSet<&(SupportRole, String)> = filled.iter().collect();
        let dups = errors.iter().filter(|e| matches!(e.code, ErrorCode::DuplicateSupportContact { .. })).count();
        prop_assert_eq!(dups, filled.len() - distinct.len());
    }

    #[test]
    fn the_same_email_under_different_roles_is_never_a_duplicate(
        email in email(),
        roles in prop::collection::hash_set(role(), 1..=3),
        mask in any::<u64>(),
    ) {
        let contacts: Vec<SupportContact> = roles
            .iter()
            .map(|role| SupportContact { id: 0, role: *role, name: "N".into(), email: flip_case(&email, mask) })
            .collect();
        let errors = validate_support_contacts(&contacts);
        let dup = errors.iter().any(|e| matches!(e.code, ErrorCode::DuplicateSupportContact { .. }));
        prop_assert!(!dup, "{:?}", errors);
    }

    #[test]
    fn a_draft_with_a_valid_maintainer_and_onsite_admin_never_misses_a_role(
        mut d in draft(),
        m_at in any::<prop::sample::Index>(),
        o_at in any::<prop::sample::Index>(),
    ) {
        let i = m_at.index(d.support_contacts.len() + 1);
        d.support_contacts.insert(i, filled_maintainer(900));
        let j = o_at.index(d.support_contacts.len() + 1);
        d.support_contacts.insert(j, filled_onsite(901));
        let errors = validate_customer(&d);
        prop_assert!(!errors.iter().any(|e| matches!(e.code, ErrorCode::MissingMaintainer | ErrorCode::MissingOnsiteAdmin)));
    }

    #[test]
    fn a_missing_role_error_appears_exactly_when_no_row_has_that_role(d in draft()) {
        let errors = validate_customer(&d);
        let count = |code: ErrorCode| errors.iter().filter(|e| e.code == code).count();
        let has = |role: SupportRole| d.support_contacts.iter().any(|c| c.role == role);
        prop_assert_eq!(count(ErrorCode::MissingMaintainer), usize::from(!has(SupportRole::Maintainer)));
        prop_assert_eq!(count(ErrorCode::MissingOnsiteAdmin), usize::from(!has(SupportRole::OnsiteAdmin)));
    }

    #[test]
    fn appending_an_admin_contact_never_changes_the_errors_of_earlier_rows(
        emails in prop::collection::vec(email(), 1..8),
        names in prop::collection::vec((text(), text()), 8),
    ) {
        let admins: Vec<AdminContact> = emails
            .iter()
            .zip(&names)
            .map(|(e, (f, l))| AdminContact { id: 0, first_name: f.clone(), last_name: l.clone(), email: e.clone() })
            .collect();
        let all = validate_admin_contacts(&admins);
        for k in 0..admins.len() {
            let prefix = validate_admin_contacts(&admins[..k]);
            let earlier: Vec<FieldError> = all.iter().filter(|e| e.row().unwrap() < k).cloned().collect();
            prop_assert_eq!(prefix, earlier);
        }
    }

    #[test]
    fn limits_count_characters_after_trimming(
        n in 0usize..=260,
        chars in prop::collection::vec(select(vec!['x', 'ñ', '😀', '日', 'é']), 260),
        left in padding(),
        right in padding(),
    ) {
        let core: String = chars[..n].iter().collect();
        let value = format!("{left}{core}{right}");
        // (path, limit, required, setter)
        type Field = (&'static str, usize, bool, fn(&mut Draft, String));
        let setters: [Field; 10] = [
            ("customer.name", 100, true, |d, v| d.customer.name = v),
            ("customer.address.street", 200, true, |d, v| d.customer.address.street = v),
            ("customer.address.street2", 200, false, |d, v| d.customer.address.street2 = v),
            ("customer.address.city", 100, true, |d, v| d.customer.address.city = v),
            ("customer.address.region", 100, false, |d, v| d.customer.address.region = v),
            ("admin_contacts[0].first_name", 50, true, |d, v| d.admin_contacts[0].first_name = v),
            ("admin_contacts[0].last_name", 50, true, |d, v| d.admin_contacts[0].last_name = v),
            ("support_contacts[0].name", 100, true, |d, v| d.support_contacts[0].name = v),
            ("support_contacts[1].name", 100, true, |d, v| d.support_contacts[1].name = v),
            // Brazil requires a region and keeps it free text (US, CA, AU, MX list theirs).
            ("customer.address.region(BR)", 100, true, |d, v| {
                d.customer.address.country = "BR".into();
                d.customer.address.postal_code = "01310-100".into();
                d.customer.address.region = v;
            }),
        ];
        for (label, max, required, set) in setters {
            let mut d = base_valid_draft();
            set(&mut d, value.clone());
            let path = label.trim_end_matches("(BR)");
            let want = if n == 0 && required {
                vec![FieldError::new(path, ErrorCode::Required)]
            } else if n > max {
                vec![FieldError::new(path, ErrorCode::TooLong { max, len: Some(n) })]
            } else {
                vec![]
            };
            prop_assert_eq!(validate_customer(&d), want, "{} with {} characters", label, n);
        }
    }

    #[test]
    fn normalize_postal_code_is_idempotent_for_every_checked_country(
        country in select(CHECKED_POSTAL_COUNTRIES.to_vec()),
        raw in postal_code(),
    ) {
        if let Some(n) = normalize_postal_code(country, &raw) {
            prop_assert_eq!(normalize_postal_code(country, &n), Some(n.clone()), "{} {:?}", country, raw);
            prop_assert_eq!(n.trim(), n.as_str(), "no surrounding spaces");
            prop_assert!(!n.chars().any(|c| c.is_ascii_lowercase()), "upper case: {}", n);
            prop_assert!(!n.contains("  "), "single spaces: {}", n);
        }
    }

    #[test]
    fn normalize_postal_code_is_idempotent_for_any_country_and_any_text(
        country in prop_oneof![select(COUNTRY_CODES.to_vec()), Just(""), Just("XX")],
        raw in prop_oneof![postal_code(), any::<String>()],
    ) {
        if let Some(n) = normalize_postal_code(country, &raw) {
            prop_assert_eq!(normalize_postal_code(country, &n), Some(n.clone()), "{} {:?}", country, raw);
        }
    }

    #[test]
    fn postal_code_verdict_ignores_case_and_surrounding_spaces(
        country in select(CHECKED_POSTAL_COUNTRIES.to_vec()),
        raw in postal_code(),
        left in padding(),
        right in padding(),
    ) {
        let n = normalize_postal_code(country, &raw);
        prop_assert_eq!(&normalize_postal_code(country, &raw.to_ascii_lowercase()), &n);
        prop_assert_eq!(&normalize_postal_code(country, &raw.to_ascii_uppercase()), &n);
        prop_assert_eq!(&normalize_postal_code(country, &format!("{left}{raw}{right}")), &n);
    }

    #[test]
    fn a_draft_reports_a_postal_format_error_exactly_when_normalisation_fails(
        country in country(),
        raw in postal_code(),
    ) {
        let mut d = base_valid_draft();
        d.admin_contacts.clear();
        d.customer.address.country = country.clone();
        d.customer.address.region = "Region".into();
        d.customer.address.postal_code = raw.clone();
        let format_error = validate_customer(&d)
            .iter()
            .any(|e| e.path == "customer.address.postal_code" && e.code == ErrorCode::PostalCodeFormat { country: CountryCode::new(&country) });
        let expected = !raw.trim().is_empty() && normalize_postal_code(&country, &raw).is_none();
        prop_assert_eq!(format_error, expected);
        // A normalised code is always accepted as it is.
        if let Some(n) = normalize_postal_code(&country, &raw) {
            d.customer.address.postal_code = n;
            let postal_errors = validate_customer(&d).into_iter().filter(|e| e.path == "customer.address.postal_code").count();
            prop_assert_eq!(postal_errors, 0);
        }
    }

    #[test]
    fn same_answers_ignores_row_ids_and_wizard_position(d in draft(), shift in 1u64..1000, step in select(StepId::ALL.to_vec())) {
        let mut moved = d.clone();
        for c in &mut moved.admin_contacts { c.id += shift; }
        for c in &mut moved.support_contacts { c.id += shift; }
        moved.current_step = step;
        moved.mark_completed(step);
        moved.id = "other".into();
        prop_assert!(d.same_answers(&moved) && moved.same_answers(&d));
        prop_assert!(moved.next_row_id() > moved.admin_contacts.iter().map(|c| c.id).chain(moved.support_contacts.iter().map(|c| c.id)).max().unwrap_or(0));
    }
}

/// A valid draft with one admin contact, used by the limit property.
fn base_valid_draft() -> Draft {
    let mut d = Draft::new("x", None);
    d.customer.name = "Panadería La Espiga".into();
    d.customer.business_type = "retail".into();
    d.customer.address.street = "Calle Mayor 1".into();
    d.customer.address.city = "Zaragoza".into();
    d.customer.address.postal_code = "50001".into();
    d.customer.address.country = "ES".into();
    d.admin_contacts.push(AdminContact {
        id: 3,
        first_name: "Ana".into(),
        last_name: "Ruiz".into(),
        email: "ana@espiga.es".into(),
    });
    d.support_contacts[0] = filled_maintainer(1);
    d.support_contacts[1] = filled_onsite(2);
    d
}

#[test]
fn the_base_draft_of_the_properties_is_valid() {
    assert_eq!(validate_customer(&base_valid_draft()), vec![]);
}

#[test]
fn page_rank_knows_every_allowed_generic_path() {
    for p in ALLOWED_GENERIC_PATHS {
        let concrete = match p.split_once('.') {
            Some((list @ ("admin_contacts" | "support_contacts"), field)) => {
                format!("{list}[0].{field}")
            }
            _ => p.to_string(),
        };
        let _ = page_rank(&concrete);
        assert_eq!(
            FieldError::new(concrete, ErrorCode::Required).generic_path(),
            *p
        );
    }
}
