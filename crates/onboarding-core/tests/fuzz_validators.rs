//! Fuzzing every validator and format check with hostile field text: any Unicode scalar value
//! (control characters, NUL, bidi overrides, zero-width and combining marks, astral planes),
//! runs of one character up to tens of thousands long, and near-misses of each format (a MAC
//! with a multi-byte character in it, a PEM block with junk, `ß` that upper-cases to two
//! letters). None may panic, and the answers stay coherent: every error path names a field a
//! step holds, and the browser's and the backend's verdicts on the same answers agree.

use onboarding_core::countries::{normalize_postal_code, COUNTRY_CODES};
use onboarding_core::formats::{
    is_valid_certificate_pem, is_valid_host, normalize_mac, parse_port,
};
use onboarding_core::payload::{build, step_of_path, to_draft, validate_submission};
use onboarding_core::validate::{
    first_invalid_step, is_valid_email, validate_admin_contacts, validate_all, validate_connect,
    validate_customer, validate_customer_info, validate_gateway, validate_pbx,
    validate_support_contacts, validate_sync,
};
use onboarding_core::{
    AdminContact, Draft, SupportContact, SupportRole, BUSINESS_TYPES, CUSTOMER_LANGUAGES, PLATFORMS,
};
use proptest::prelude::*;
use proptest::sample::select;

/// Characters that break naive text handling.
const NASTY: &[char] = &[
    '\0',
    '\u{1}',
    '\u{7}',
    '\u{8}',
    '\t',
    '\n',
    '\u{b}',
    '\u{c}',
    '\r',
    '\u{1b}',
    '\u{7f}',
    '\u{85}',
    '\u{9f}',
    '\u{a0}',
    '\u{ad}',
    '\u{300}',
    '\u{34f}',
    '\u{200b}',
    '\u{200c}',
    '\u{200d}',
    '\u{200e}',
    '\u{200f}',
    '\u{2028}',
    '\u{2029}',
    '\u{202a}',
    '\u{202e}',
    '\u{2060}',
    '\u{2066}',
    '\u{3000}',
    '\u{feff}',
    '\u{fffd}',
    '\u{fffe}',
    '\u{1f600}',
    '\u{1f3fd}',
    '\u{10ffff}',
    'ß',
    'ŉ',
    'ﬁ',
    'İ',
    'ǅ',
    'é',
    '@',
    '.',
    ':',
    '-',
    '[',
    ']',
    '<',
    '>',
    '"',
    '\'',
    '\\',
    '=',
    '/',
    '+',
    '0',
    '9',
    'a',
    'F',
    'G',
    'z',
    ' ',
];

/// Hostile text for any field.
fn hostile() -> BoxedStrategy<String> {
    prop_oneof![
        4 => any::<String>(),
        4 => prop::collection::vec(select(NASTY), 0..24).prop_map(|v| v.into_iter().collect()),
        1 => (select(NASTY), 0usize..20_000).prop_map(|(c, n)| c.to_string().repeat(n)),
        1 => (any::<char>(), 0usize..20_000).prop_map(|(c, n)| c.to_string().repeat(n)),
        2 => Just(String::new()),
    ]
    .boxed()
}

/// Near-misses of each format the rules check.
fn near_format() -> BoxedStrategy<String> {
    let pem_body = prop::collection::vec(
        select(vec![
            'M', 'I', 'A', 'B', '=', '+', '/', '\n', ' ', '*', 'é', '\0',
        ]),
        0..40,
    )
    .prop_map(|v| v.into_iter().collect::<String>());
    prop_oneof![
        // MACs: 12 or 17 bytes of hex, separators, and characters of other widths.
        prop::collection::vec(
            select(vec![
                'a', 'F', '0', '9', ':', '-', '.', 'g', 'é', '😀', ' ', '\0'
            ]),
            10..19
        )
        .prop_map(|v| v.into_iter().collect()),
        // Emails.
        (
            hostile(),
            select(vec!["@", "@@", ""]),
            "[a-zé\u{200b}.\\-]{0,12}"
        )
            .prop_map(|(a, at, d)| format!("{a}{at}{d}")),
        // Hosts and IPs.
        "[0-9a-fA-Z.:\\[\\]%\\-é]{0,40}",
        // Ports.
        "[-+0-9 \u{660}\u{ff11}]{0,8}",
        // PEM chains.
        (pem_body.clone(), pem_body, any::<bool>()).prop_map(|(a, b, twice)| {
            let block = |body: &str| {
                format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----")
            };
            if twice {
                format!("{}\n{}", block(&a), block(&b))
            } else {
                block(&a)
            }
        }),
        // Postal codes, with letters that change length when upper-cased.
        "[0-9A-Za-z ßﬁİ\\-]{0,14}",
    ]
    .boxed()
}

fn field() -> BoxedStrategy<String> {
    prop_oneof![3 => hostile(), 2 => near_format()].boxed()
}

fn choice(valid: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![3 => select(valid).prop_map(String::from), 1 => field()].boxed()
}

fn role() -> impl Strategy<Value = SupportRole> {
    select(SupportRole::ALL.to_vec())
}

/// A draft whose every text field is hostile or a near miss.
fn hostile_draft() -> impl Strategy<Value = Draft> {
    let address = || {
        (
            field(),
            field(),
            field(),
            field(),
            field(),
            choice(COUNTRY_CODES),
        )
    };
    let customer = (
        field(),
        choice(BUSINESS_TYPES),
        choice(CUSTOMER_LANGUAGES),
        address(),
    );
    let admins = prop::collection::vec((field(), field(), field()), 0..3);
    let supports = prop::collection::vec((role(), field(), field()), 0..4);
    let gateway = (
        choice(PLATFORMS),
        field(),
        any::<bool>(),
        address(),
        field(),
    );
    let pbx = (field(), field(), field(), field(), any::<bool>(), field());
    let sync = (choice(&["all", "with_email"]), any::<bool>());
    (customer, admins, supports, gateway, pbx, sync).prop_map(
        |(customer, admins, supports, gateway, pbx, sync)| {
            let set_address = |a: &mut onboarding_core::Address,
                               (street, street2, city, region, postal, country): (
                String,
                String,
                String,
                String,
                String,
                String,
            )| {
                (
                    a.street,
                    a.street2,
                    a.city,
                    a.region,
                    a.postal_code,
                    a.country,
                ) = (street, street2, city, region, postal, country);
            };
            let mut d = Draft::new("0b5c1f9e-8f6a-4c1e-9c39-2a4f7f0e2a11", None);
            (
                d.customer.name,
                d.customer.business_type,
                d.customer.default_language,
            ) = (customer.0, customer.1, customer.2);
            set_address(&mut d.customer.address, customer.3);
            d.admin_contacts = admins
                .into_iter()
                .zip(1..)
                .map(|((first_name, last_name, email), id)| AdminContact {
                    id,
                    first_name,
                    last_name,
                    email,
                })
                .collect();
            d.support_contacts = supports
                .into_iter()
                .zip(100..)
                .map(|((role, name, email), id)| SupportContact {
                    id,
                    role,
                    name,
                    email,
                })
                .collect();
            d.gateway.platform = gateway.0;
            d.gateway.site_name = gateway.1;
            d.gateway.site_same_as_customer = gateway.2;
            set_address(&mut d.gateway.site_address, gateway.3);
            d.gateway.mac_address = gateway.4;
            (
                d.pbx.host,
                d.pbx.port,
                d.pbx.username,
                d.pbx.password,
                d.pbx.use_tls,
            ) = (pbx.0, pbx.1, pbx.2, pbx.3, pbx.4);
            d.pbx.certificate_pem = pbx.5;
            (d.sync.users, d.sync.send_welcome_emails) = sync;
            d
        },
    )
}

fn paths_are_known(errors: &[onboarding_core::FieldError]) -> Result<(), TestCaseError> {
    for e in errors {
        prop_assert!(
            step_of_path(&e.path).is_some()
                || matches!(e.path.as_str(), "schema_version" | "draft_id"),
            "unknown path {:?} ({:?})",
            e.path,
            e.code
        );
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
    #![proptest_config(ProptestConfig::with_cases(cases(4_000)))]

    #[test]
    fn format_checks_never_panic(value in field()) {
        let email = is_valid_email(&value);
        let host = is_valid_host(&value);
        let pem = is_valid_certificate_pem(&value);
        // A normalised MAC is the canonical form and normalises to itself.
        if let Some(mac) = normalize_mac(&value) {
            prop_assert_eq!(mac.len(), 17);
            prop_assert_eq!(normalize_mac(&mac), Some(mac.clone()));
        }
        if let Ok(Some(port)) = parse_port(&value) {
            prop_assert!(port >= 1);
        }
        // Verdicts do not depend on the surrounding spaces a paste adds.
        let padded = format!("  {value}\t");
        prop_assert_eq!(is_valid_email(&padded), email);
        prop_assert_eq!(is_valid_host(&padded), host);
        prop_assert_eq!(is_valid_certificate_pem(&padded), pem);
    }

    #[test]
    fn postal_codes_never_panic_in_any_country(value in field(), country in select(COUNTRY_CODES)) {
        if let Some(normalised) = normalize_postal_code(country, &value) {
            // The normalised form is itself valid and stable.
            prop_assert_eq!(normalize_postal_code(country, &normalised), Some(normalised.clone()));
        }
        let _ = normalize_postal_code("", &value);
        let _ = normalize_postal_code(&value, &value);
    }
}

proptest! {
    // Whole drafts of hostile text (some fields tens of thousands of characters long).
    #![proptest_config(ProptestConfig::with_cases(cases(600)))]

    #[test]
    fn every_validator_never_panics_on_hostile_drafts(d in hostile_draft()) {
        let step_errors = [
            validate_customer(&d),
            validate_customer_info(&d.customer),
            validate_admin_contacts(&d.admin_contacts),
            validate_support_contacts(&d.support_contacts),
            validate_gateway(&d.gateway),
            validate_pbx(&d.pbx),
            validate_connect(&d.pbx),
            validate_sync(&d.sync),
        ];
        for errors in &step_errors {
            paths_are_known(errors)?;
        }
        let all = validate_all(&d);
        paths_are_known(&all)?;
        prop_assert_eq!(first_invalid_step(&d).is_none(), all.is_empty());

        // The backend's check of the body the browser would send.
        let submission = build(&d);
        let backend = validate_submission(&submission);
        paths_are_known(&backend)?;
        // A draft the browser accepts is accepted by the backend.
        if all.is_empty() {
            prop_assert_eq!(backend, vec![]);
        }
        // The body read back as a draft is judged the same way again.
        let again = build(&to_draft(&submission));
        prop_assert_eq!(validate_submission(&again), validate_submission(&submission));
    }
}

#[test]
fn fixed_edges_never_panic() {
    let long = |c: char| c.to_string().repeat(100_000);
    let values = [
        String::new(),
        "\0".into(),
        long('a'),
        long('\0'),
        long('😀'),
        long('\u{301}'),
        long('ß'),
        "ß".repeat(6),
        "aa:bb:cc:dd:ee:f😀".into(),
        "😀😀😀".into(),
        "a@b.c\u{0}".into(),
        "-----BEGIN CERTIFICATE-----".into(),
        "-----BEGIN CERTIFICATE----------END CERTIFICATE-----".into(),
        "-----BEGIN CERTIFICATE-----\n==\n-----END CERTIFICATE-----".into(),
        "-----BEGIN CERTIFICATE-----\nMI==\n-----END CERTIFICATE-----".into(),
        "[".into(),
        "[]".into(),
        "99999999999999999999".into(),
        "\u{661}\u{662}".into(),
    ];
    for v in &values {
        let _ = (
            is_valid_email(v),
            is_valid_host(v),
            is_valid_certificate_pem(v),
        );
        let _ = (normalize_mac(v), parse_port(v));
        // Every country with a format of its own, one without postal codes, one with the
        // generic rule, and none.
        for country in [
            "US", "CA", "GB", "DE", "ES", "FR", "IT", "NL", "AU", "MX", "AE", "JP", "",
        ] {
            let _ = normalize_postal_code(country, v);
        }
        let mut d = Draft::new("id", None);
        d.customer.name = v.clone();
        d.customer.address.postal_code = v.clone();
        d.customer.address.country = "GB".into();
        d.gateway.mac_address = v.clone();
        d.pbx.host = v.clone();
        d.pbx.port = v.clone();
        d.pbx.certificate_pem = v.clone();
        d.pbx.password = v.clone();
        assert!(!validate_all(&d).is_empty());
        let _ = validate_submission(&build(&d));
    }
}
