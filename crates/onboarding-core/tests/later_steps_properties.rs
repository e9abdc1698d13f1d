//! Property tests of the later steps and the submission: the browser (`validate_all` on the
//! draft) and the partner backend (`validate_submission` on the body `build` makes of it) agree,
//! `build` is idempotent through `to_draft`, nothing panics on arbitrary Unicode, MAC
//! normalisation is idempotent and re-validates, error paths name the step that made them, the
//! password never reaches storage, and the retry backoff stays within its bounds.
//!
//! Drafts are a valid base draft (valid on every path) whose later-step fields are each, now
//! and then, replaced by a sample value (valid or not), a sample padded with whitespace, or
//! arbitrary text, on an arbitrary platform from `PLATFORMS` or junk.

use onboarding_core::draft_codec::{decode, encode, StoredDraft};
use onboarding_core::formats::normalize_mac;
use onboarding_core::payload::{
    build, parse_api_errors, step_of_path, to_draft, validate_submission, ApiError,
};
use onboarding_core::retry::{backoff_delay_ms, MAX_AUTOMATIC_RETRIES};
use onboarding_core::steps::steps_for;
use onboarding_core::validate::{
    first_invalid_step, validate_all, validate_gateway, validate_step,
};
use onboarding_core::{
    AdminContact, Draft, ErrorCode, FieldError, StepId, SupportContact, SupportRole, PLATFORMS,
};
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const CERT: &str =
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUVjIw\n-----END CERTIFICATE-----";

/// Whitespace a partner pastes around a value, Unicode spaces included.
fn padding() -> impl Strategy<Value = String> {
    prop::collection::vec(
        select(vec![" ", "\t", "\n", "\r\n", "\u{a0}", "\u{3000}"]),
        0..3,
    )
    .prop_map(|v| v.concat())
}

/// A value for a text field: a sample (valid or not), a padded sample, or arbitrary text.
fn text(samples: Vec<String>) -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(samples.clone()),
        2 => (padding(), select(samples), padding()).prop_map(|(a, s, b)| format!("{a}{s}{b}")),
        1 => "\\PC{0,12}",
        1 => any::<String>(),
    ]
    .boxed()
}

/// Samples only, never padded nor arbitrary (for fields the UI fills from a closed list).
fn choice(samples: Vec<String>) -> BoxedStrategy<String> {
    select(samples).boxed()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn platform() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => select(PLATFORMS).prop_map(String::from),
        1 => Just(String::new()),
        1 => select(vec!["SMBC", " va", "smbc ", "mivoice", "pbx", "MX_ONE"]).prop_map(String::from),
        1 => "\\PC{0,8}",
    ]
}

/// Either keeps the base value (`None`) or replaces it.
fn maybe(strategy: BoxedStrategy<String>) -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(0.3, strategy)
}

/// Every later-step field that can be mutated, with its replacement strategy. With
/// `known_bugs` (named after the bugs these inputs once exposed, now fixed) the port takes
/// whole numbers out of range and the site country whitespace around it. Ports that are no
/// number at all are left out: the contract's numeric field cannot carry them, and the browser
/// never builds a body from a draft that fails its rules.
fn later_step_fields(known_bugs: bool) -> Vec<BoxedStrategy<Option<String>>> {
    let long = |n: usize| "é".repeat(n);
    let port = if known_bugs {
        prop_oneof![
            choice(s(&[
                "", "443", "0443", "1", "65535", "0", "65536", "99999", "-1", " 70000 "
            ])),
            (-10i64..200_000).prop_map(|n| n.to_string()).boxed(),
        ]
        .boxed()
    } else {
        choice(s(&[
            "", "   ", "443", " 5061 ", "0443", "00001", "1", "65535",
        ]))
    };
    let countries = s(&["ES", "GB", "US", "CA", "NL", "HK", "DE", "XX", "es", ""]);
    let country = if known_bugs {
        // Half the time with whitespace around it, so that the bug shows up often enough.
        prop_oneof![
            choice(countries.clone()),
            (padding(), select(countries), padding()).prop_map(|(a, c, b)| format!("{a}{c}{b}")),
        ]
        .boxed()
    } else {
        choice(countries)
    };
    vec![
        // gateway.site_name
        text(vec![
            "Obrador".into(),
            "Sede Central".into(),
            long(100),
            long(101),
            String::new(),
        ]),
        // gateway.site_address: street, street2, city, region, postal_code, country
        text(vec![
            "Calle Mayor 1".into(),
            long(200),
            long(201),
            String::new(),
        ]),
        text(vec![String::new(), "Piso 2".into(), long(200), long(201)]),
        text(vec!["Zaragoza".into(), long(100), long(101), String::new()]),
        text(vec![String::new(), "IL".into(), "Aragón".into(), long(101)]),
        text(s(&[
            "50001",
            "5000",
            "SW1A 1AA",
            "sw1a1aa",
            "12345",
            "123456789",
            "K1A 0B1",
            "k1a0b1",
            "1234 AB",
            "1234ab",
            "10115",
            "",
        ])),
        country,
        // gateway.mac_address
        text(s(&[
            "00:1A:2B:3C:4D:5E",
            "aa-bb-cc-dd-ee-ff",
            "AABBCCDDEEFF",
            "AA:BB-CC:DD:EE:FF",
            "AA:BB:CC:DD:EE",
            "zz",
            "",
        ])),
        // pbx: host, port, username, password, certificate_pem
        text(vec![
            "pbx.example.com".into(),
            "192.0.2.1".into(),
            "2001:db8::1".into(),
            "[::1]".into(),
            "münchen.example".into(),
            "pbx_1".into(),
            "256.1.1.1".into(),
            "h".repeat(254),
            String::new(),
        ]),
        port,
        text(vec!["admin".into(), long(100), long(101), String::new()]),
        text(vec![
            "s3cret".into(),
            " ".into(),
            "p".repeat(256),
            "p".repeat(257),
            String::new(),
        ]),
        text(vec![
            String::new(),
            CERT.into(),
            format!("{CERT}\n{CERT}"),
            "junk".into(),
            format!("{CERT}\ntrailing"),
        ]),
        // sync.users
        text(s(&["all", "with_email", "", "ALL", "none"])),
    ]
    .into_iter()
    .map(|t| maybe(t).boxed())
    .collect()
}

fn apply(d: &mut Draft, values: Vec<Option<String>>) {
    let g = &mut d.gateway;
    let a = &mut g.site_address;
    let p = &mut d.pbx;
    let targets: Vec<&mut String> = vec![
        &mut g.site_name,
        &mut a.street,
        &mut a.street2,
        &mut a.city,
        &mut a.region,
        &mut a.postal_code,
        &mut a.country,
        &mut g.mac_address,
        &mut p.host,
        &mut p.port,
        &mut p.username,
        &mut p.password,
        &mut p.certificate_pem,
        &mut d.sync.users,
    ];
    assert_eq!(targets.len(), values.len());
    for (target, value) in targets.into_iter().zip(values) {
        if let Some(v) = value {
            *target = v;
        }
    }
}

/// A draft valid on every path: the Customer step filled in, a separate valid site address
/// (used only when the box is unticked), a MAC, a PBX and the Sync defaults.
fn base_draft() -> Draft {
    let mut d = Draft::new("3f0c9a52-1d7e-4b8a-9f0e-5a6b7c8d9e01", Some("p-1".into()));
    let c = &mut d.customer;
    c.name = "Panadería La Espiga".into();
    c.business_type = "retail".into();
    c.address.street = "Calle Mayor 1".into();
    c.address.city = "Zaragoza".into();
    c.address.postal_code = "50001".into();
    c.address.country = "ES".into();
    d.admin_contacts.push(AdminContact {
        id: 3,
        first_name: "Ana".into(),
        last_name: "Ruiz".into(),
        email: "ana@espiga.es".into(),
    });
    d.support_contacts[0].name = "Marta Gil".into();
    d.support_contacts[0].email = "marta@espiga.es".into();
    d.support_contacts[1].name = "Luis Pérez".into();
    d.support_contacts[1].email = "luis@espiga.es".into();
    d.gateway.platform = "mivoice_business".into();
    d.gateway.site_name = "Obrador".into();
    d.gateway.site_address.street = "Polígono Cogullada 4".into();
    d.gateway.site_address.city = "Zaragoza".into();
    d.gateway.site_address.postal_code = "50014".into();
    d.gateway.site_address.country = "ES".into();
    d.gateway.mac_address = "00:1A:2B:3C:4D:5E".into();
    d.pbx.host = "pbx.espiga.es".into();
    d.pbx.port = "5060".into();
    d.pbx.username = "admin".into();
    d.pbx.password = "s3cret".into();
    d
}

fn drafts(known_bugs: bool) -> impl Strategy<Value = Draft> {
    (
        platform(),
        any::<[bool; 3]>(),
        later_step_fields(known_bugs),
    )
        .prop_map(|(platform, [same_site, use_tls, welcome], values)| {
            let mut d = base_draft();
            d.gateway.platform = platform;
            d.gateway.site_same_as_customer = same_site;
            d.pbx.use_tls = use_tls;
            d.sync.send_welcome_emails = welcome;
            apply(&mut d, values);
            d
        })
}

/// Arbitrary Unicode in every string field of the draft, Customer step included.
fn chaotic_draft() -> impl Strategy<Value = Draft> {
    let t = || any::<String>();
    let address = || (t(), t(), t(), t(), t(), t());
    (
        (t(), t(), t(), address(), t()),
        prop::collection::vec((t(), t(), t()), 0..3),
        prop::collection::vec((0..3usize, t(), t()), 0..4),
        (platform(), t(), any::<bool>(), address(), t()),
        (t(), t(), t(), t(), any::<bool>(), t()),
        (t(), any::<bool>()),
    )
        .prop_map(|(customer, admins, supports, gateway, pbx, sync)| {
            let mut d = Draft::new(customer.0.clone(), Some(customer.4.clone()));
            let set_address = |a: &mut onboarding_core::Address,
                               (street, street2, city, region, postal_code, country): (
                String,
                String,
                String,
                String,
                String,
                String,
            )| {
                *a = onboarding_core::Address {
                    street,
                    street2,
                    city,
                    region,
                    postal_code,
                    country,
                }
            };
            d.customer.name = customer.1;
            d.customer.business_type = customer.2;
            set_address(&mut d.customer.address, customer.3);
            d.customer.default_language = customer.4;
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
                    role: SupportRole::ALL[role],
                    name,
                    email,
                })
                .collect();
            d.gateway.platform = gateway.0;
            d.gateway.site_name = gateway.1;
            d.gateway.site_same_as_customer = gateway.2;
            set_address(&mut d.gateway.site_address, gateway.3);
            d.gateway.mac_address = gateway.4;
            d.pbx.host = pbx.0;
            d.pbx.port = pbx.1;
            d.pbx.username = pbx.2;
            d.pbx.password = pbx.3;
            d.pbx.use_tls = pbx.4;
            d.pbx.certificate_pem = pbx.5;
            d.sync.users = sync.0;
            d.sync.send_welcome_emails = sync.1;
            d
        })
}

/// Twelve hex digits in any case, with colons, dashes or nothing between the pairs, or dots
/// between groups of four (Cisco's `aabb.ccdd.eeff`), padded.
fn mac_spelling() -> impl Strategy<Value = (String, String)> {
    (
        "[0-9a-fA-F]{12}",
        select(vec![":", "-", "", "."]),
        padding(),
        padding(),
    )
        .prop_map(|(digits, sep, a, b)| {
            let group = if sep == "." { 4 } else { 2 };
            let groups: Vec<&str> = (0..12 / group)
                .map(|i| &digits[i * group..(i + 1) * group])
                .collect();
            let pairs: Vec<String> = (0..6)
                .map(|i| digits[i * 2..i * 2 + 2].to_ascii_uppercase())
                .collect();
            (format!("{a}{}{b}", groups.join(sep)), pairs.join(":"))
        })
}

fn is_canonical_mac(m: &str) -> bool {
    m.len() == 17
        && m.bytes().enumerate().all(|(i, b)| {
            if i % 3 == 2 {
                b == b':'
            } else {
                b.is_ascii_digit() || (b'A'..=b'F').contains(&b)
            }
        })
}

fn pairs(errors: &[FieldError]) -> Vec<(String, ErrorCode)> {
    errors.iter().map(|e| (e.path.clone(), e.code)).collect()
}

const STEP_MS: [f64; 6] = [2_000.0, 4_000.0, 8_000.0, 16_000.0, 32_000.0, 60_000.0];

// ---------------------------------------------------------------------------------------------
// Browser and server agree
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    /// The direction that would strand a partner: a draft the wizard lets through Submit is
    /// never refused by the backend.
    #[test]
    fn whatever_the_browser_accepts_the_server_accepts(d in drafts(true)) {
        if validate_all(&d).is_empty() {
            prop_assert_eq!(pairs(&validate_submission(&build(&d))), vec![]);
        }
    }

    #[test]
    fn browser_and_server_agree_on_validity(d in drafts(true)) {
        let browser = validate_all(&d);
        let server = validate_submission(&build(&d));
        prop_assert_eq!(browser.is_empty(), server.is_empty(), "browser {:?} server {:?}", browser, server);
    }

    /// The same agreement on drafts without the two known-bug inputs, and stronger: on a chosen
    /// platform the server finds exactly the browser's errors, in the same order.
    #[test]
    fn browser_and_server_agree_on_validity_and_errors_apart_from_the_known_bugs(d in drafts(false)) {
        let browser = pairs(&validate_all(&d));
        let server = pairs(&validate_submission(&build(&d)));
        prop_assert_eq!(browser.is_empty(), server.is_empty(), "browser {:?} server {:?}", &browser, &server);
        if d.gateway.platform.is_empty() {
            // The body carries a `pbx` section the unchosen platform does not want.
            prop_assert_eq!(&server[0], &("pbx".to_string(), ErrorCode::Invalid));
            prop_assert_eq!(&server[1..], &browser[..]);
        } else {
            prop_assert_eq!(server, browser);
        }
    }

    #[test]
    fn build_is_idempotent_through_to_draft_apart_from_the_known_bugs(d in drafts(false)) {
        let once = build(&d);
        let back = to_draft(&once);
        prop_assert_eq!(build(&back), once.clone());
        // And the received draft is judged as the sent one was.
        prop_assert_eq!(validate_all(&back).is_empty(), validate_all(&d).is_empty());
    }

    #[test]
    fn validate_all_is_the_steps_of_the_path_in_order_and_first_invalid_step_its_first(d in drafts(true)) {
        let path = steps_for(d.platform());
        let by_step: Vec<Vec<FieldError>> = path.iter().map(|&s| validate_step(s, &d)).collect();
        prop_assert_eq!(validate_all(&d), by_step.concat());
        let first = path.iter().zip(&by_step).find(|(_, e)| !e.is_empty()).map(|(s, e)| (*s, e.clone()));
        prop_assert_eq!(first_invalid_step(&d), first);
        // Steps off the path are never judged.
        for e in validate_all(&d) {
            let step = step_of_path(&e.path);
            prop_assert!(step.is_some_and(|s| path.contains(&s)), "{} off the path {:?}", e.path, path);
        }
    }

    #[test]
    fn every_error_names_a_field_of_the_step_that_made_it(d in drafts(true)) {
        for step in StepId::ALL {
            for e in validate_step(step, &d) {
                prop_assert_eq!(step_of_path(&e.path), Some(step), "{}", e.path);
            }
        }
        for e in validate_submission(&build(&d)) {
            let known = step_of_path(&e.path).is_some() || ["schema_version", "draft_id"].contains(&e.path.as_str());
            prop_assert!(known, "{}", e.path);
        }
    }

    #[test]
    fn the_password_is_sent_on_the_pbx_path_and_never_stored(d in drafts(true), secret in "[a-f0-9]{20}") {
        let mut d = d;
        d.pbx.password = format!("SECRET-{secret}");
        let body = build(&d);
        let sent = serde_json::to_string(&body).unwrap();
        prop_assert_eq!(sent.contains(&d.pbx.password), body.pbx.is_some());
        prop_assert_eq!(body.pbx.is_some(), steps_for(d.platform()).contains(&StepId::Pbx));
        let mut stored = StoredDraft::new(d.clone(), 0.0);
        stored.saved = Some(d.clone());
        let text = encode(&stored);
        prop_assert!(!text.contains(&d.pbx.password));
        let back = decode(&text).unwrap();
        prop_assert_eq!(back.working.pbx.password.as_str(), "");
        prop_assert!(back.working.same_answers(&d));
    }
}

proptest! {
    // The inputs of this bug are rare among all drafts: many cases, and it runs only on demand.
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn build_is_idempotent_through_to_draft(d in drafts(true)) {
        let once = build(&d);
        prop_assert_eq!(build(&to_draft(&once)), once);
    }
}

// ---------------------------------------------------------------------------------------------
// No panics on arbitrary Unicode
// ---------------------------------------------------------------------------------------------

proptest! {
    // Arbitrary text in some forty fields is the slowest generator here: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn nothing_panics_on_arbitrary_unicode_in_any_field(d in chaotic_draft()) {
        let all = validate_all(&d);
        let _ = first_invalid_step(&d);
        for step in StepId::ALL {
            let _ = validate_step(step, &d);
        }
        for e in &all {
            let _ = step_of_path(&e.path);
            let _ = (e.row(), e.generic_path());
        }
        let body = build(&d);
        let json = serde_json::to_string(&body).unwrap();
        let parsed: onboarding_core::payload::Submission = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&parsed, &body);
        let errors = validate_submission(&body);
        let _ = to_draft(&body);
        let _ = normalize_mac(&d.gateway.mac_address);
        // Whatever validate_submission says goes out in a 422 and comes back unchanged.
        let api: Vec<ApiError> = errors.iter().map(|e| ApiError {
            field: e.path.clone(),
            code: e.code,
            message: String::new(),
        }).collect();
        let reply = serde_json::json!({ "errors": api }).to_string();
        prop_assert_eq!(parse_api_errors(&reply), Some(errors));
        let stored = StoredDraft::new(d.clone(), 1.0);
        let text = encode(&stored);
        if !d.id.is_empty() {
            let back = decode(&text).unwrap();
            prop_assert!(back.working.same_answers(&d));
        }
    }

    #[test]
    fn reading_any_text_as_an_error_body_or_a_path_never_panics(body in any::<String>(), field in any::<String>()) {
        let _ = parse_api_errors(&body);
        let _ = step_of_path(&body);
        let entry = serde_json::json!({"errors": [{"field": field, "code": body, "message": ""}]});
        let parsed = parse_api_errors(&entry.to_string()).unwrap();
        prop_assert_eq!(parsed.len(), 1);
        prop_assert_eq!(&parsed[0].path, &field);
    }
}

// ---------------------------------------------------------------------------------------------
// MAC normalisation
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_accepted_mac_spelling_normalises_to_upper_case_colons((typed, expected) in mac_spelling()) {
        prop_assert_eq!(normalize_mac(&typed), Some(expected));
    }

    #[test]
    fn normalize_mac_is_idempotent_and_its_output_revalidates(
        typed in prop_oneof![mac_spelling().prop_map(|(t, _)| t), "[0-9a-fA-F:.\\- ]{10,19}", any::<String>()],
        platform in select(vec!["mivoice_office_400", "mivoice_business", "mx_one", "mivoice_5000"]),
    ) {
        if let Some(m) = normalize_mac(&typed) {
            prop_assert!(is_canonical_mac(&m), "{}", m);
            prop_assert_eq!(normalize_mac(&m), Some(m.clone()));
            let mut d = base_draft();
            d.gateway.platform = platform.into();
            d.gateway.mac_address = m.clone();
            prop_assert_eq!(validate_gateway(&d.gateway), vec![]);
            // The body carries it unchanged.
            prop_assert_eq!(build(&d).gateway.mac_address, Some(m));
        }
        // The rule and the normaliser never disagree.
        let mut d = base_draft();
        d.gateway.platform = platform.into();
        d.gateway.mac_address = typed.clone();
        let mac_error = validate_gateway(&d.gateway).into_iter().any(|e| e.path == "gateway.mac_address");
        prop_assert_eq!(mac_error, normalize_mac(&typed).is_none());
    }
}

// ---------------------------------------------------------------------------------------------
// Retry backoff
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn backoff_is_within_half_and_all_of_its_step(retry in 0..MAX_AUTOMATIC_RETRIES, jitter in any::<f64>()) {
        let step = STEP_MS[retry as usize];
        let delay = f64::from(backoff_delay_ms(retry, jitter).unwrap());
        prop_assert!(delay >= step / 2.0 && delay <= step, "{} at {} with {}", delay, retry, jitter);
        prop_assert!(delay <= 60_000.0);
    }

    #[test]
    fn backoff_never_decreases_with_the_retry_nor_with_the_jitter(
        retry in 0..MAX_AUTOMATIC_RETRIES - 1,
        a in 0.0..1.0f64,
        b in 0.0..1.0f64,
    ) {
        let d = |r, j| backoff_delay_ms(r, j).unwrap();
        // The fixed half never decreases, and no later wait is shorter than an earlier floor.
        prop_assert!(d(retry + 1, 0.0) >= d(retry, 0.0));
        prop_assert!(d(retry + 1, a) >= d(retry, 0.0));
        // For the same jitter, a later retry waits at least as long.
        prop_assert!(d(retry + 1, a) >= d(retry, a));
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(d(retry, lo) <= d(retry, hi));
    }

    #[test]
    fn backoff_ends_after_the_automatic_retries(retry in MAX_AUTOMATIC_RETRIES.., jitter in any::<f64>()) {
        prop_assert_eq!(backoff_delay_ms(retry, jitter), None);
    }
}

// ---------------------------------------------------------------------------------------------
// The generators themselves
// ---------------------------------------------------------------------------------------------

#[test]
fn the_base_draft_is_valid_on_every_path_and_with_its_own_site_address() {
    for p in PLATFORMS {
        let mut d = base_draft();
        d.gateway.platform = (*p).into();
        assert_eq!(validate_all(&d), vec![], "{p}");
        d.gateway.site_same_as_customer = false;
        assert_eq!(validate_all(&d), vec![], "{p} with a site address");
        assert_eq!(validate_submission(&build(&d)), vec![], "{p}");
    }
}

#[test]
fn the_draft_generator_makes_valid_and_invalid_drafts_on_both_paths() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = drafts(true);
    let (mut valid_pbx, mut valid_sync, mut invalid) = (0, 0, 0);
    for _ in 0..400 {
        let d = strategy.new_tree(&mut runner).unwrap().current();
        match (validate_all(&d).is_empty(), d.platform()) {
            (true, Some("smbc" | "va")) => valid_sync += 1,
            (true, _) => valid_pbx += 1,
            (false, _) => invalid += 1,
        }
    }
    assert!(
        valid_pbx >= 10 && valid_sync >= 10 && invalid >= 100,
        "valid pbx {valid_pbx}, valid sync {valid_sync}, invalid {invalid}"
    );
}
