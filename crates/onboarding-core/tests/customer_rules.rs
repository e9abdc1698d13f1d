//! Unit tests for every rule of the Customer step as SPEC.md ("Customer step", "Validation")
//! states it, plus the small helpers the UI and the backend build on (`FieldError::row`,
//! `generic_path`, `ErrorCode::as_str`, `Draft::same_answers`, `is_untouched`, `next_row_id`).

use onboarding_core::countries::{
    normalize_postal_code, CountryCode, COUNTRY_CODES, NO_POSTAL_CODE, REGION_REQUIRED,
};
use onboarding_core::validate::{
    is_valid_email, validate_admin_contacts, validate_customer, validate_customer_info,
    validate_step, validate_support_contacts,
};
use onboarding_core::{
    AdminContact, Draft, ErrorCode, FieldError, StepId, SupportContact, SupportRole,
    BUSINESS_TYPES, CUSTOMER_LANGUAGES,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type Errs = Vec<(String, ErrorCode)>;

/// A draft that passes every Customer rule: Spanish address, no admin contacts, the two
/// mandatory support rows filled in.
fn valid_draft() -> Draft {
    let mut d = Draft::new(
        "3f0c9a52-1d7e-4b8a-9f0e-5a6b7c8d9e01",
        Some("partner-7".into()),
    );
    let c = &mut d.customer;
    c.name = "Panadería La Espiga".into();
    c.business_type = "retail".into();
    c.address.street = "Calle Mayor 1".into();
    c.address.city = "Zaragoza".into();
    c.address.postal_code = "50001".into();
    c.address.country = "ES".into();
    d.support_contacts[0].name = "Marta Gil".into();
    d.support_contacts[0].email = "marta@espiga.es".into();
    d.support_contacts[1].name = "Luis Pérez".into();
    d.support_contacts[1].email = "luis@espiga.es".into();
    d
}

fn errs(d: &Draft) -> Errs {
    validate_customer(d)
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect()
}

fn one(path: &str, code: ErrorCode) -> Errs {
    vec![(path.to_string(), code)]
}

fn none() -> Errs {
    Vec::new()
}

fn admin(first: &str, last: &str, email: &str) -> AdminContact {
    AdminContact {
        id: 0,
        first_name: first.into(),
        last_name: last.into(),
        email: email.into(),
    }
}

fn support(role: SupportRole, name: &str, email: &str) -> SupportContact {
    SupportContact {
        id: 0,
        role,
        name: name.into(),
        email: email.into(),
    }
}

fn with_admins(admins: Vec<AdminContact>) -> Draft {
    let mut d = valid_draft();
    d.admin_contacts = admins;
    d
}

fn with_supports(supports: Vec<SupportContact>) -> Draft {
    let mut d = valid_draft();
    d.support_contacts = supports;
    d
}

fn maintainer() -> SupportContact {
    support(SupportRole::Maintainer, "Marta Gil", "marta@espiga.es")
}

fn onsite() -> SupportContact {
    support(SupportRole::OnsiteAdmin, "Luis Pérez", "luis@espiga.es")
}

type Setter = fn(&mut Draft, String);

/// Every free-text field of the page with its path and its limit (characters after trimming).
/// Admin and support rows are set on a draft that has one admin contact.
fn text_fields() -> Vec<(&'static str, usize, Setter)> {
    vec![
        ("customer.name", 100, |d, v| d.customer.name = v),
        ("customer.address.street", 200, |d, v| {
            d.customer.address.street = v
        }),
        ("customer.address.street2", 200, |d, v| {
            d.customer.address.street2 = v
        }),
        ("customer.address.city", 100, |d, v| {
            d.customer.address.city = v
        }),
        ("customer.address.region", 100, |d, v| {
            d.customer.address.region = v
        }),
        ("admin_contacts[0].first_name", 50, |d, v| {
            d.admin_contacts[0].first_name = v
        }),
        ("admin_contacts[0].last_name", 50, |d, v| {
            d.admin_contacts[0].last_name = v
        }),
        ("support_contacts[0].name", 100, |d, v| {
            d.support_contacts[0].name = v
        }),
        ("support_contacts[1].name", 100, |d, v| {
            d.support_contacts[1].name = v
        }),
    ]
}

fn valid_draft_with_one_admin() -> Draft {
    with_admins(vec![admin("Ana", "Ruiz", "ana@espiga.es")])
}

/// 64 + 1 + 189 = 254 characters, every label within DNS limits.
fn ascii_email_of_254() -> String {
    format!(
        "{}@{}.{}.{}.com",
        "a".repeat(64),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(57)
    )
}

/// 32 "ñ" (64 bytes, the local-part maximum) + 1 + 221 = 254 characters.
fn multibyte_email_of_254() -> String {
    format!(
        "{}@{}.{}.{}.{}.com",
        "ñ".repeat(32),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(63),
        "e".repeat(25)
    )
}

/// A postal code each country accepts: a checked format where there is one, none where the
/// country has no postal codes, a generic code elsewhere.
fn sample_postal_code(country: &str) -> &'static str {
    match country {
        "US" => "94105",
        "CA" => "K1A 0B1",
        "GB" => "SW1A 1AA",
        "DE" => "10115",
        "ES" => "28013",
        "FR" => "75001",
        "IT" => "00184",
        "NL" => "1012 AB",
        "AU" => "2000",
        "MX" => "06600",
        c if NO_POSTAL_CODE.contains(&c) => "",
        _ => "12345",
    }
}

fn address_in(country: &str, region: &str, postal: &str) -> Draft {
    let mut d = valid_draft();
    d.customer.address.country = country.into();
    d.customer.address.region = region.into();
    d.customer.address.postal_code = postal.into();
    d
}

// ---------------------------------------------------------------------------------------------
// Whole drafts
// ---------------------------------------------------------------------------------------------

#[test]
fn a_fully_valid_draft_has_no_errors() {
    assert_eq!(errs(&valid_draft()), none());
}

#[test]
fn a_fully_valid_draft_using_every_optional_field_and_extra_rows_has_no_errors() {
    let mut d = valid_draft();
    d.customer.address.street2 = "Piso 3, puerta B".into();
    d.customer.address.region = "Aragón".into();
    d.customer.default_language = "es".into();
    d.admin_contacts = vec![
        admin("Ana", "Ruiz", "ana.ruiz+x@example.co.uk"),
        admin("Bea", "Sanz", "bea@espiga.es"),
    ];
    d.support_contacts
        .push(support(SupportRole::Other, "Helpdesk", "help@espiga.es"));
    d.support_contacts.push(support(
        SupportRole::Maintainer,
        "Second maintainer",
        "m2@espiga.es",
    ));
    assert_eq!(errs(&d), none());
}

#[test]
fn validate_step_for_the_customer_step_runs_the_customer_rules() {
    let d = Draft::new("x", None);
    assert_eq!(validate_step(StepId::Customer, &d), validate_customer(&d));
    assert!(!validate_step(StepId::Customer, &d).is_empty());
}

#[test]
fn validate_customer_is_customer_info_then_admin_rows_then_support_contacts() {
    let mut d = Draft::new("x", None);
    d.admin_contacts = vec![admin("", "", "")];
    let mut joined = validate_customer_info(&d.customer);
    joined.extend(validate_admin_contacts(&d.admin_contacts));
    joined.extend(validate_support_contacts(&d.support_contacts));
    assert_eq!(validate_customer(&d), joined);
}

#[test]
fn a_new_draft_has_one_empty_maintainer_row_and_one_empty_onsite_admin_row_and_no_admins() {
    let d = Draft::new("id-1", Some("p".into()));
    assert_eq!(d.id, "id-1");
    assert_eq!(d.partner_id.as_deref(), Some("p"));
    assert!(d.admin_contacts.is_empty());
    assert_eq!(d.support_contacts.len(), 2);
    assert_eq!(d.support_contacts[0].role, SupportRole::Maintainer);
    assert_eq!(d.support_contacts[1].role, SupportRole::OnsiteAdmin);
    for row in &d.support_contacts {
        assert!(row.name.is_empty() && row.email.is_empty());
    }
    assert_ne!(
        d.support_contacts[0].id, d.support_contacts[1].id,
        "rows need distinct keys"
    );
    assert_eq!(d.current_step, StepId::Customer);
    assert!(d.completed.is_empty());
    assert_eq!(d.customer, Default::default());
}

#[test]
fn a_new_draft_fails_only_on_required_fields_in_page_order() {
    let got = errs(&Draft::new("x", None));
    let want: Errs = [
        "customer.name",
        "customer.address.street",
        "customer.address.city",
        "customer.address.postal_code",
        "customer.address.country",
        "customer.business_type",
        "support_contacts[0].name",
        "support_contacts[0].email",
        "support_contacts[1].name",
        "support_contacts[1].email",
    ]
    .into_iter()
    .map(|p| (p.to_string(), ErrorCode::Required))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn errors_come_in_page_order_customer_fields_then_admin_rows_then_support_group_then_support_rows()
{
    let mut d = Draft::new("x", None);
    let long = |n: usize| "x".repeat(n);
    d.customer.name = long(101);
    d.customer.address.street = long(201);
    d.customer.address.street2 = long(201);
    d.customer.address.city = long(101);
    d.customer.address.region = long(101);
    d.customer.address.postal_code = "<>".into();
    d.customer.address.country = "XX".into();
    d.customer.business_type = "mining".into();
    d.customer.default_language = "tlh".into();
    d.admin_contacts = vec![
        admin(&long(51), "Gil", "nope"),
        admin("Ana", &long(51), "ana@example.com"),
        admin("", "Ruiz", " ANA@example.com "),
    ];
    d.support_contacts = vec![
        support(SupportRole::Other, "", "x@example.com"),
        support(SupportRole::Other, &long(101), "X@EXAMPLE.COM"),
    ];
    let want: Errs = vec![
        (
            "customer.name".into(),
            ErrorCode::TooLong {
                max: 100,
                len: Some(101),
            },
        ),
        (
            "customer.address.street".into(),
            ErrorCode::TooLong {
                max: 200,
                len: Some(201),
            },
        ),
        (
            "customer.address.street2".into(),
            ErrorCode::TooLong {
                max: 200,
                len: Some(201),
            },
        ),
        (
            "customer.address.city".into(),
            ErrorCode::TooLong {
                max: 100,
                len: Some(101),
            },
        ),
        (
            "customer.address.region".into(),
            ErrorCode::TooLong {
                max: 100,
                len: Some(101),
            },
        ),
        (
            "customer.address.postal_code".into(),
            // No country this version knows: the error cannot name one.
            ErrorCode::PostalCodeFormat { country: None },
        ),
        ("customer.address.country".into(), ErrorCode::InvalidChoice),
        ("customer.business_type".into(), ErrorCode::InvalidChoice),
        ("customer.default_language".into(), ErrorCode::InvalidChoice),
        (
            "admin_contacts[0].first_name".into(),
            ErrorCode::TooLong {
                max: 50,
                len: Some(51),
            },
        ),
        ("admin_contacts[0].email".into(), ErrorCode::EmailFormat),
        (
            "admin_contacts[1].last_name".into(),
            ErrorCode::TooLong {
                max: 50,
                len: Some(51),
            },
        ),
        ("admin_contacts[2].first_name".into(), ErrorCode::Required),
        (
            "admin_contacts[2].email".into(),
            ErrorCode::DuplicateEmail { first: 1 },
        ),
        ("support_contacts".into(), ErrorCode::MissingMaintainer),
        ("support_contacts".into(), ErrorCode::MissingOnsiteAdmin),
        (
            "support_contacts".into(),
            ErrorCode::DuplicateSupportContact { row: 1, first: 0 },
        ),
        ("support_contacts[0].name".into(), ErrorCode::Required),
        (
            "support_contacts[1].name".into(),
            ErrorCode::TooLong {
                max: 100,
                len: Some(101),
            },
        ),
    ];
    assert_eq!(errs(&d), want);
}

// ---------------------------------------------------------------------------------------------
// Required fields
// ---------------------------------------------------------------------------------------------

#[test]
fn each_required_customer_field_left_empty_is_required_on_its_own_path() {
    let cases: [(&str, Setter); 5] = [
        ("customer.name", |d, v| d.customer.name = v),
        ("customer.address.street", |d, v| {
            d.customer.address.street = v
        }),
        ("customer.address.city", |d, v| d.customer.address.city = v),
        ("customer.address.country", |d, v| {
            d.customer.address.country = v
        }),
        ("customer.business_type", |d, v| {
            d.customer.business_type = v
        }),
    ];
    for (path, set) in cases {
        let mut d = valid_draft();
        set(&mut d, String::new());
        // With no country the Spanish postal code still passes the generic check, so the
        // country is the only error.
        assert_eq!(errs(&d), one(path, ErrorCode::Required), "{path}");
    }
}

#[test]
fn whitespace_only_text_counts_as_empty_for_required_fields() {
    let blanks = [
        " ",
        "   ",
        "\t",
        "\n",
        "\r\n",
        " \t \n ",
        "\u{a0}",
        "\u{3000}",
        "\u{2003}\u{2009}",
    ];
    let cases: [(&str, Setter); 9] = [
        ("customer.name", |d, v| d.customer.name = v),
        ("customer.address.street", |d, v| {
            d.customer.address.street = v
        }),
        ("customer.address.city", |d, v| d.customer.address.city = v),
        ("customer.address.postal_code", |d, v| {
            d.customer.address.postal_code = v
        }),
        ("admin_contacts[0].first_name", |d, v| {
            d.admin_contacts[0].first_name = v
        }),
        ("admin_contacts[0].last_name", |d, v| {
            d.admin_contacts[0].last_name = v
        }),
        ("admin_contacts[0].email", |d, v| {
            d.admin_contacts[0].email = v
        }),
        ("support_contacts[1].name", |d, v| {
            d.support_contacts[1].name = v
        }),
        ("support_contacts[1].email", |d, v| {
            d.support_contacts[1].email = v
        }),
    ];
    for (path, set) in cases {
        for blank in blanks {
            let mut d = valid_draft_with_one_admin();
            set(&mut d, blank.into());
            assert_eq!(
                errs(&d),
                one(path, ErrorCode::Required),
                "{path} = {blank:?}"
            );
        }
    }
}

#[test]
fn admin_first_name_last_name_and_email_are_each_required() {
    let d = with_admins(vec![
        admin("", "Ruiz", "a@espiga.es"),
        admin("Ana", "", "b@espiga.es"),
        admin("Ana", "Ruiz", ""),
    ]);
    assert_eq!(
        errs(&d),
        vec![
            ("admin_contacts[0].first_name".into(), ErrorCode::Required),
            ("admin_contacts[1].last_name".into(), ErrorCode::Required),
            ("admin_contacts[2].email".into(), ErrorCode::Required),
        ]
    );
}

#[test]
fn an_entirely_empty_admin_row_reports_all_three_fields() {
    let d = with_admins(vec![admin("", "", "")]);
    assert_eq!(
        errs(&d),
        vec![
            ("admin_contacts[0].first_name".into(), ErrorCode::Required),
            ("admin_contacts[0].last_name".into(), ErrorCode::Required),
            ("admin_contacts[0].email".into(), ErrorCode::Required),
        ]
    );
}

#[test]
fn support_name_and_email_are_each_required() {
    let mut d = valid_draft();
    d.support_contacts[0].name.clear();
    d.support_contacts[1].email.clear();
    assert_eq!(
        errs(&d),
        vec![
            ("support_contacts[0].name".into(), ErrorCode::Required),
            ("support_contacts[1].email".into(), ErrorCode::Required),
        ]
    );
}

#[test]
fn address_line_2_default_language_and_region_outside_the_six_countries_are_optional() {
    let mut d = valid_draft();
    d.customer.address.street2 = "   ".into();
    d.customer.address.region = "".into();
    d.customer.default_language = "".into();
    assert_eq!(errs(&d), none());
}

#[test]
fn zero_admin_contacts_is_valid() {
    let d = valid_draft();
    assert!(d.admin_contacts.is_empty());
    assert_eq!(errs(&d), none());
    assert_eq!(validate_admin_contacts(&[]), vec![]);
}

// ---------------------------------------------------------------------------------------------
// Length limits (characters after trimming)
// ---------------------------------------------------------------------------------------------

#[test]
fn every_text_field_accepts_exactly_its_limit_in_ascii() {
    for (path, max, set) in text_fields() {
        let mut d = valid_draft_with_one_admin();
        set(&mut d, "x".repeat(max));
        assert_eq!(errs(&d), none(), "{path} with {max} ASCII characters");
    }
}

#[test]
fn every_text_field_accepts_exactly_its_limit_in_multibyte_characters_and_emoji() {
    for (path, max, set) in text_fields() {
        for value in [
            "ñ".repeat(max),
            "😀".repeat(max),
            format!("{}😀", "ñ".repeat(max - 1)),
            "日".repeat(max),
        ] {
            let mut d = valid_draft_with_one_admin();
            assert!(
                value.len() > max,
                "the test value must be longer in bytes than in characters"
            );
            set(&mut d, value);
            assert_eq!(errs(&d), none(), "{path} with {max} multibyte characters");
        }
    }
}

#[test]
fn surrounding_whitespace_does_not_count_towards_a_limit() {
    for (path, max, set) in text_fields() {
        for value in [
            format!("   {}   ", "x".repeat(max)),
            format!("\t{}\n", "ñ".repeat(max)),
            format!("\u{a0}{}\u{3000}", "😀".repeat(max)),
            format!("{}{}", "x".repeat(max), " ".repeat(500)),
        ] {
            let mut d = valid_draft_with_one_admin();
            set(&mut d, value.clone());
            assert_eq!(errs(&d), none(), "{path} = {value:?}");
        }
    }
}

#[test]
fn inner_spaces_do_count_towards_a_limit() {
    for (path, max, set) in text_fields() {
        let mut d = valid_draft_with_one_admin();
        set(&mut d, format!("a{}b", " ".repeat(max - 1)));
        assert_eq!(
            errs(&d),
            one(
                path,
                ErrorCode::TooLong {
                    max,
                    len: Some(max + 1)
                }
            ),
            "{path}"
        );
    }
}

#[test]
fn every_text_field_one_character_over_its_limit_is_too_long_with_the_limit() {
    for (path, max, set) in text_fields() {
        for value in [
            "x".repeat(max + 1),
            "ñ".repeat(max + 1),
            format!("  {}😀  ", "ñ".repeat(max)),
        ] {
            let mut d = valid_draft_with_one_admin();
            set(&mut d, value);
            assert_eq!(
                errs(&d),
                one(
                    path,
                    ErrorCode::TooLong {
                        max,
                        len: Some(max + 1)
                    }
                ),
                "{path} with {} characters",
                max + 1
            );
        }
    }
}

#[test]
fn the_limits_are_the_ones_the_spec_states() {
    let limits: Vec<(&str, usize)> = text_fields().into_iter().map(|(p, m, _)| (p, m)).collect();
    assert_eq!(
        limits,
        [
            ("customer.name", 100),
            ("customer.address.street", 200),
            ("customer.address.street2", 200),
            ("customer.address.city", 100),
            ("customer.address.region", 100),
            ("admin_contacts[0].first_name", 50),
            ("admin_contacts[0].last_name", 50),
            ("support_contacts[0].name", 100),
            ("support_contacts[1].name", 100),
        ]
    );
}

#[test]
fn region_limit_applies_also_where_the_region_is_required() {
    // Brazil requires a region and keeps it free text (US, CA, AU, MX choose from a list).
    let mut d = address_in("BR", &"ñ".repeat(100), "01310-100");
    assert_eq!(errs(&d), none());
    d.customer.address.region = "ñ".repeat(101);
    assert_eq!(
        errs(&d),
        one(
            "customer.address.region",
            ErrorCode::TooLong {
                max: 100,
                len: Some(101)
            }
        )
    );
}

#[test]
fn an_email_of_exactly_254_characters_passes_for_admins_and_support() {
    let ascii = ascii_email_of_254();
    let multi = multibyte_email_of_254();
    assert_eq!(ascii.chars().count(), 254);
    assert_eq!(multi.chars().count(), 254);
    assert!(multi.len() > 254);
    for email in [
        ascii.clone(),
        multi.clone(),
        format!("  {ascii}\t"),
        format!("\u{a0}{multi} "),
    ] {
        assert!(is_valid_email(&email), "{email}");
        let d = with_admins(vec![admin("Ana", "Ruiz", &email)]);
        assert_eq!(errs(&d), none(), "admin {email}");
        let mut d = valid_draft();
        d.support_contacts[0].email = email.clone();
        assert_eq!(errs(&d), none(), "support {email}");
    }
}

#[test]
fn an_email_of_255_characters_is_too_long_and_only_too_long() {
    let ascii = format!(
        "{}@{}.{}.{}.com",
        "a".repeat(64),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(58)
    );
    let multi = format!(
        "{}@{}.{}.{}.{}.com",
        "ñ".repeat(32),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(63),
        "e".repeat(26)
    );
    for email in [ascii, multi] {
        assert_eq!(email.chars().count(), 255);
        let d = with_admins(vec![admin("Ana", "Ruiz", &email)]);
        assert_eq!(
            errs(&d),
            one(
                "admin_contacts[0].email",
                ErrorCode::TooLong {
                    max: 254,
                    len: Some(255)
                }
            )
        );
        let mut d = valid_draft();
        d.support_contacts[1].email = email.clone();
        assert_eq!(
            errs(&d),
            one(
                "support_contacts[1].email",
                ErrorCode::TooLong {
                    max: 254,
                    len: Some(255)
                }
            )
        );
    }
}

// ---------------------------------------------------------------------------------------------
// State / Province
// ---------------------------------------------------------------------------------------------

#[test]
fn region_is_required_for_us_ca_au_mx_br_and_in() {
    for country in ["US", "CA", "AU", "MX", "BR", "IN"] {
        for blank in ["", "  ", "\t"] {
            let d = address_in(country, blank, sample_postal_code(country));
            assert_eq!(
                errs(&d),
                one("customer.address.region", ErrorCode::Required),
                "{country} region {blank:?}"
            );
        }
        let region = match country {
            "US" => "CA",
            "CA" => "ON",
            "AU" => "NSW",
            "MX" => "NLE",
            _ => "Somewhere",
        };
        let d = address_in(country, region, sample_postal_code(country));
        assert_eq!(errs(&d), none(), "{country} with a region");
    }
}

#[test]
fn the_region_required_list_is_exactly_the_six_countries_of_the_spec() {
    let mut listed: Vec<&str> = REGION_REQUIRED.to_vec();
    listed.sort_unstable();
    assert_eq!(listed, ["AU", "BR", "CA", "IN", "MX", "US"]);
}

#[test]
fn every_iso_country_is_accepted_and_only_the_six_require_a_region() {
    for &country in COUNTRY_CODES {
        let d = address_in(country, "", sample_postal_code(country));
        let want = if REGION_REQUIRED.contains(&country) {
            one("customer.address.region", ErrorCode::Required)
        } else {
            none()
        };
        assert_eq!(errs(&d), want, "{country}");
    }
}

#[test]
fn region_is_optional_in_countries_that_do_not_require_one() {
    for country in ["ES", "GB", "DE", "FR", "IT", "NL", "AE", "HK", "JP", "SE"] {
        let d = address_in(country, "", sample_postal_code(country));
        assert_eq!(errs(&d), none(), "{country}");
        let d = address_in(country, "Any region", sample_postal_code(country));
        assert_eq!(errs(&d), none(), "{country} with a region");
    }
}

// ---------------------------------------------------------------------------------------------
// Postal / ZIP code
// ---------------------------------------------------------------------------------------------

#[test]
fn postal_code_is_required_where_the_country_uses_postal_codes() {
    for (country, region) in [
        ("ES", ""),
        ("US", "CA"),
        ("GB", ""),
        ("DE", ""),
        ("SE", ""),
        ("JP", ""),
        ("BR", "SP"),
        ("IN", "DL"),
    ] {
        for blank in ["", "   ", "\u{a0}"] {
            let d = address_in(country, region, blank);
            assert_eq!(
                errs(&d),
                one("customer.address.postal_code", ErrorCode::Required),
                "{country} {blank:?}"
            );
        }
    }
}

#[test]
fn postal_code_is_optional_where_the_country_has_none() {
    for country in ["AE", "HK", "QA"] {
        for blank in ["", "  "] {
            let d = address_in(country, "", blank);
            assert_eq!(errs(&d), none(), "{country} {blank:?}");
        }
    }
    assert!(["AE", "HK", "QA"]
        .iter()
        .all(|c| NO_POSTAL_CODE.contains(c)));
}

#[test]
fn a_postal_code_given_where_none_is_used_is_still_checked_loosely() {
    assert_eq!(errs(&address_in("AE", "", "12345")), none());
    assert_eq!(
        errs(&address_in("HK", "", "<script>")),
        one(
            "customer.address.postal_code",
            ErrorCode::PostalCodeFormat {
                country: CountryCode::new("HK")
            }
        )
    );
}

#[test]
fn an_unchosen_country_treats_a_blank_postal_code_as_required_and_reports_it_before_the_country() {
    let d = address_in("", "", "");
    assert_eq!(
        errs(&d),
        vec![
            ("customer.address.postal_code".into(), ErrorCode::Required),
            ("customer.address.country".into(), ErrorCode::Required),
        ]
    );
}

#[test]
fn valid_postal_codes_of_each_checked_country_pass_with_spaces_and_case_normalised() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "US",
            "CA",
            &[
                "94105",
                "94105-1234",
                "941051234",
                " 94105 ",
                "94105 1234",
                "\t94105-1234\n",
            ],
        ),
        (
            "CA",
            "ON",
            &[
                "K1A 0B1",
                "k1a0b1",
                "k1a 0b1",
                "  K1A   0B1  ",
                "K1A0B1",
                "h2x 1y4",
            ],
        ),
        (
            "GB",
            "",
            &[
                "SW1A 1AA",
                "sw1a1aa",
                "M1 1AE",
                "m11ae",
                "B33 8TH",
                "CR2 6XH",
                "DN55 1PT",
                "W1A 0AX",
                " ec1a  1bb ",
            ],
        ),
        ("DE", "", &["10115", " 80331 ", "01067"]),
        ("ES", "", &["28013", "01001", "52001", " 08001 "]),
        ("FR", "", &["75001", "13001", " 97400 "]),
        ("IT", "", &["00184", "20121", " 80100"]),
        (
            "NL",
            "",
            &["1012 AB", "1012ab", "1012 ab", " 9999zz ", "3011 ad"],
        ),
        ("AU", "NSW", &["2000", " 3000 ", "0800"]),
        ("MX", "CMX", &["06600", "44100", " 64000 "]),
    ];
    for (country, region, codes) in cases {
        for code in *codes {
            let d = address_in(country, region, code);
            assert_eq!(errs(&d), none(), "{country} {code:?}");
        }
    }
}

#[test]
fn malformed_postal_codes_of_each_checked_country_are_postal_code_format() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "US",
            "CA",
            &[
                "9410",
                "941055",
                "ABCDE",
                "94105-123",
                "94105-12345",
                "9410-51234",
                "94105_1234",
            ],
        ),
        (
            "CA",
            "ON",
            &[
                "123 456", "K1A 0B", "K1A 0B12", "D1A 0B1", "K1A 0O1", "W1A 0B1", "Z1A 0B1",
                "KK1 0B1",
            ],
        ),
        (
            "GB",
            "",
            &[
                "SW1A", "1AA SW1", "SW1A 1A", "SW1A-1AA", "S 1AA", "SWAA 1AA",
            ],
        ),
        ("DE", "", &["1011", "101155", "1O115", "D-10115"]),
        ("ES", "", &["00123", "53001", "99999", "2801", "28O13"]),
        ("FR", "", &["7500A", "7500", "750011"]),
        ("IT", "", &["001840", "0018", "I-00184"]),
        (
            "NL",
            "",
            &[
                "0123 AB", "1012 SA", "1012 SD", "1012 SS", "12345", "1012 A", "1012 A1",
            ],
        ),
        ("AU", "NSW", &["20000", "200", "2OOO"]),
        ("MX", "CMX", &["0660", "066000", "O6600"]),
    ];
    for (country, region, codes) in cases {
        for code in *codes {
            let d = address_in(country, region, code);
            assert_eq!(
                errs(&d),
                one(
                    "customer.address.postal_code",
                    ErrorCode::PostalCodeFormat {
                        country: CountryCode::new(country)
                    }
                ),
                "{country} {code:?}"
            );
        }
    }
}

#[test]
fn normalize_postal_code_writes_each_checked_country_its_own_way() {
    let cases = [
        ("US", " 94105 ", "94105"),
        ("US", "941051234", "94105-1234"),
        ("US", "94105 1234", "94105-1234"),
        ("US", "94105-1234", "94105-1234"),
        ("CA", "k1a0b1", "K1A 0B1"),
        ("CA", "  k1a   0b1 ", "K1A 0B1"),
        ("GB", "sw1a1aa", "SW1A 1AA"),
        ("GB", "m11ae", "M1 1AE"),
        ("GB", "SW1A\u{a0}1AA", "SW1A 1AA"),
        ("DE", "\t10115\n", "10115"),
        ("ES", "28013", "28013"),
        ("FR", "75001", "75001"),
        ("IT", "00184", "00184"),
        ("NL", "1012ab", "1012 AB"),
        ("NL", "1012   ab", "1012 AB"),
        ("AU", "2000", "2000"),
        ("MX", "06600", "06600"),
    ];
    for (country, raw, want) in cases {
        assert_eq!(
            normalize_postal_code(country, raw).as_deref(),
            Some(want),
            "{country} {raw:?}"
        );
    }
}

#[test]
fn normalize_postal_code_accepts_letters_digits_spaces_and_dashes_elsewhere() {
    assert_eq!(
        normalize_postal_code("SE", " 114  55 ").as_deref(),
        Some("114 55")
    );
    assert_eq!(
        normalize_postal_code("BR", "01310-100").as_deref(),
        Some("01310-100")
    );
    assert_eq!(
        normalize_postal_code("PT", "1000-001").as_deref(),
        Some("1000-001")
    );
    assert_eq!(
        normalize_postal_code("IE", "d02 x285").as_deref(),
        Some("D02 X285")
    );
    assert_eq!(normalize_postal_code("SE", "1"), None, "too short");
    assert_eq!(
        normalize_postal_code("SE", "1234567890123"),
        None,
        "too long"
    );
    assert_eq!(normalize_postal_code("SE", "114/55"), None, "punctuation");
}

// ---------------------------------------------------------------------------------------------
// Closed lists: country, business type, default language
// ---------------------------------------------------------------------------------------------

#[test]
fn an_unknown_country_code_is_invalid_choice() {
    for country in ["XX", "es", "Es", "ESP", "Spain", "E", "UK", "EU", "XK"] {
        let d = address_in(country, "", "28013");
        assert_eq!(
            errs(&d),
            one("customer.address.country", ErrorCode::InvalidChoice),
            "{country}"
        );
    }
}

#[test]
fn the_country_list_is_iso_3166_alpha_2_sorted_and_unique() {
    assert_eq!(COUNTRY_CODES.len(), 249);
    assert!(COUNTRY_CODES.windows(2).all(|w| w[0] < w[1]));
    assert!(COUNTRY_CODES
        .iter()
        .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
    assert!(REGION_REQUIRED
        .iter()
        .chain(NO_POSTAL_CODE)
        .all(|c| COUNTRY_CODES.contains(c)));
}

#[test]
fn the_business_types_are_exactly_the_contract_keys_and_each_one_passes() {
    let spec = [
        "agriculture",
        "construction",
        "education",
        "finance",
        "government",
        "healthcare",
        "hospitality",
        "manufacturing",
        "professional_services",
        "retail",
        "technology",
        "transportation",
        "non_profit",
        "other",
    ];
    assert_eq!(BUSINESS_TYPES, spec);
    for key in spec {
        let mut d = valid_draft();
        d.customer.business_type = key.into();
        assert_eq!(errs(&d), none(), "{key}");
    }
}

#[test]
fn an_unknown_business_type_is_invalid_choice() {
    for value in [
        "mining",
        "Healthcare",
        "RETAIL",
        "professional services",
        "non-profit",
        "otro",
    ] {
        let mut d = valid_draft();
        d.customer.business_type = value.into();
        assert_eq!(
            errs(&d),
            one("customer.business_type", ErrorCode::InvalidChoice),
            "{value}"
        );
    }
}

#[test]
fn every_listed_default_language_passes_and_none_is_fine() {
    for lang in CUSTOMER_LANGUAGES.iter().copied().chain([""]) {
        let mut d = valid_draft();
        d.customer.default_language = lang.into();
        assert_eq!(errs(&d), none(), "{lang:?}");
    }
}

#[test]
fn an_unknown_default_language_is_invalid_choice() {
    for value in ["tlh", "EN", "Spanish", "es-ES", "e", "zz"] {
        let mut d = valid_draft();
        d.customer.default_language = value.into();
        assert_eq!(
            errs(&d),
            one("customer.default_language", ErrorCode::InvalidChoice),
            "{value}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Email format
// ---------------------------------------------------------------------------------------------

const BAD_EMAILS: &[&str] = &[
    "ann@example",
    "Ann <a@b.com>",
    "<a@b.com>",
    "a@[1.2.3.4]",
    "no-at.example.com",
    "a@b.c.",
    "a@example.com.",
    "a@@example.com",
    "@example.com",
    "ann@",
    "ann@.example.com",
    "ann@example..com",
    "ann.@example.com",
    ".ann@example.com",
    "ann..lee@example.com",
    "ann lee@example.com",
    "ann@exam ple.com",
    "ann@-example.com",
    "ann@example-.com",
    "ann@example,com",
    "ann@example.com, bob@example.com",
    "ann@example.com;",
];

#[test]
fn malformed_emails_are_rejected() {
    for bad in BAD_EMAILS {
        assert!(!is_valid_email(bad), "{bad:?} accepted");
    }
}

#[test]
fn a_malformed_email_is_email_format_on_admin_and_support_rows() {
    for bad in BAD_EMAILS {
        let d = with_admins(vec![admin("Ana", "Ruiz", bad)]);
        assert_eq!(
            errs(&d),
            one("admin_contacts[0].email", ErrorCode::EmailFormat),
            "admin {bad:?}"
        );
        let mut d = valid_draft();
        d.support_contacts[1].email = (*bad).into();
        assert_eq!(
            errs(&d),
            one("support_contacts[1].email", ErrorCode::EmailFormat),
            "support {bad:?}"
        );
    }
}

#[test]
fn well_formed_emails_are_accepted_including_surrounding_spaces_and_any_case() {
    for good in [
        "ana.ruiz+x@example.co.uk",
        "  ana.ruiz+x@example.co.uk\t",
        "ANA.RUIZ+X@EXAMPLE.CO.UK",
        "o'brien@example.ie",
        "a@b.co",
        "first_last-1@sub.domain.example.com",
        "josé@ejemplo.es",
    ] {
        assert!(is_valid_email(good), "{good:?} rejected");
        let d = with_admins(vec![admin("Ana", "Ruiz", good)]);
        assert_eq!(errs(&d), none(), "{good:?}");
    }
}

#[test]

fn an_email_with_an_invisible_or_non_ascii_space_inside_is_rejected() {
    assert!(
        !is_valid_email("ana ruiz@example.com"),
        "control: an ASCII space is rejected"
    );
    for bad in [
        "ana\u{a0}ruiz@example.com",
        "ana@exa\u{a0}mple.com",
        "ana\u{200b}@example.com",
        "ana\u{3000}ruiz@example.com",
    ] {
        assert!(!is_valid_email(bad), "{bad:?} accepted");
    }
}

#[test]

fn an_email_whose_domain_is_not_a_host_name_is_rejected() {
    for bad in [
        "ann@exa!mple.com",
        "ann@exa$mple.com",
        "ann@ex_ample.com",
        "ann@ex{a}mple.com",
        "ann@exa'mple.com",
    ] {
        assert!(!is_valid_email(bad), "{bad:?} accepted");
    }
}

// ---------------------------------------------------------------------------------------------
// Admin contacts: unique emails
// ---------------------------------------------------------------------------------------------

#[test]
fn an_admin_email_repeating_an_earlier_one_ignoring_case_and_spaces_is_duplicate_on_the_later_row()
{
    let d = with_admins(vec![
        admin("Ana", "Ruiz", "ana@espiga.es"),
        admin("Bea", "Sanz", "bea@espiga.es"),
        admin("Ana", "Otra", "  ANA@Espiga.ES\t"),
    ]);
    assert_eq!(
        errs(&d),
        one(
            "admin_contacts[2].email",
            ErrorCode::DuplicateEmail { first: 0 }
        )
    );
}

#[test]
fn every_repeat_of_an_admin_email_names_the_first_row_that_used_it() {
    let d = with_admins(vec![
        admin("A", "A", "x@espiga.es"),
        admin("B", "B", "y@espiga.es"),
        admin("C", "C", "X@ESPIGA.ES"),
        admin("D", "D", "Y@espiga.es"),
        admin("E", "E", " x@espiga.es "),
    ]);
    assert_eq!(
        errs(&d),
        vec![
            (
                "admin_contacts[2].email".into(),
                ErrorCode::DuplicateEmail { first: 0 }
            ),
            (
                "admin_contacts[3].email".into(),
                ErrorCode::DuplicateEmail { first: 1 }
            ),
            (
                "admin_contacts[4].email".into(),
                ErrorCode::DuplicateEmail { first: 0 }
            ),
        ]
    );
}

#[test]
fn different_admin_emails_are_fine_even_if_they_share_a_domain_or_a_local_part() {
    let d = with_admins(vec![
        admin("A", "A", "ana@espiga.es"),
        admin("B", "B", "ana@espiga.com"),
        admin("C", "C", "ana.r@espiga.es"),
        admin("D", "D", "bea@espiga.es"),
    ]);
    assert_eq!(errs(&d), none());
}

#[test]
fn an_admin_duplicate_is_reported_even_when_the_rows_have_other_errors() {
    let d = with_admins(vec![
        admin("", "", "ana@espiga.es"),
        admin(&"x".repeat(51), "", "ANA@espiga.es"),
    ]);
    assert_eq!(
        errs(&d),
        vec![
            ("admin_contacts[0].first_name".into(), ErrorCode::Required),
            ("admin_contacts[0].last_name".into(), ErrorCode::Required),
            (
                "admin_contacts[1].first_name".into(),
                ErrorCode::TooLong {
                    max: 50,
                    len: Some(51)
                }
            ),
            ("admin_contacts[1].last_name".into(), ErrorCode::Required),
            (
                "admin_contacts[1].email".into(),
                ErrorCode::DuplicateEmail { first: 0 }
            ),
        ]
    );
}

#[test]
fn malformed_admin_emails_are_format_errors_not_duplicates() {
    let d = with_admins(vec![
        admin("A", "A", "ann@example"),
        admin("B", "B", "ann@example"),
    ]);
    assert_eq!(
        errs(&d),
        vec![
            ("admin_contacts[0].email".into(), ErrorCode::EmailFormat),
            ("admin_contacts[1].email".into(), ErrorCode::EmailFormat),
        ]
    );
}

#[test]
fn a_malformed_first_occurrence_does_not_make_a_later_valid_email_a_duplicate() {
    let d = with_admins(vec![
        admin("A", "A", "ann@example.com."),
        admin("B", "B", "ann@example.com"),
    ]);
    assert_eq!(
        errs(&d),
        one("admin_contacts[0].email", ErrorCode::EmailFormat)
    );
}

#[test]
fn an_admin_may_share_an_email_with_a_support_contact() {
    let mut d = valid_draft();
    let support_email = d.support_contacts[0].email.clone();
    d.admin_contacts = vec![admin("Marta", "Gil", &support_email.to_uppercase())];
    assert_eq!(errs(&d), none());
}

/// The rule, stated: admin emails are the same address when they differ only by surrounding
/// spaces or the case of ASCII letters; any other character must match exactly (no Unicode
/// case mapping, in the browser or the backend).
#[test]
fn admin_emails_compare_ascii_letters_without_case_and_other_characters_exactly() {
    let dup = |a: &str, b: &str| {
        let d = with_admins(vec![admin("A", "A", a), admin("B", "B", b)]);
        errs(&d) == one("admin_contacts[1].email", ErrorCode::DuplicateEmail { first: 0 })
    };
    assert!(dup("ana@example.es", " ANA@Example.ES "));
    assert!(dup("Núñez@example.es", "núñez@EXAMPLE.es"), "non-ASCII letters equal, ASCII case differs");
    assert!(!dup("núñez@example.es", "NÚÑEZ@example.es"), "Ú and ú are different characters");
    assert!(!dup("straße@example.de", "STRASSE@example.de"), "no Unicode case mapping");
}

// ---------------------------------------------------------------------------------------------
// Support contacts: the group rules
// ---------------------------------------------------------------------------------------------

#[test]
fn without_a_maintainer_the_group_reports_missing_maintainer() {
    let d = with_supports(vec![
        onsite(),
        support(SupportRole::Other, "Help", "help@espiga.es"),
    ]);
    assert_eq!(
        errs(&d),
        one("support_contacts", ErrorCode::MissingMaintainer)
    );
}

#[test]
fn without_an_onsite_administrator_the_group_reports_missing_onsite_admin() {
    let d = with_supports(vec![
        maintainer(),
        support(SupportRole::Other, "Help", "help@espiga.es"),
    ]);
    assert_eq!(
        errs(&d),
        one("support_contacts", ErrorCode::MissingOnsiteAdmin)
    );
}

#[test]
fn with_only_other_roles_both_mandatory_roles_are_missing_maintainer_first() {
    let d = with_supports(vec![support(SupportRole::Other, "Help", "help@espiga.es")]);
    assert_eq!(
        errs(&d),
        vec![
            ("support_contacts".into(), ErrorCode::MissingMaintainer),
            ("support_contacts".into(), ErrorCode::MissingOnsiteAdmin),
        ]
    );
}

#[test]
fn with_no_support_contacts_at_all_both_mandatory_roles_are_missing() {
    let d = with_supports(vec![]);
    assert_eq!(
        errs(&d),
        vec![
            ("support_contacts".into(), ErrorCode::MissingMaintainer),
            ("support_contacts".into(), ErrorCode::MissingOnsiteAdmin),
        ]
    );
}

#[test]
fn the_mandatory_roles_may_be_anywhere_in_the_list_and_repeat() {
    let d = with_supports(vec![
        support(SupportRole::Other, "Help", "help@espiga.es"),
        onsite(),
        support(SupportRole::OnsiteAdmin, "Second on-site", "os2@espiga.es"),
        maintainer(),
    ]);
    assert_eq!(errs(&d), none());
}

#[test]
fn the_same_role_and_email_twice_ignoring_case_and_spaces_is_a_group_error_naming_both_rows() {
    let d = with_supports(vec![
        maintainer(),
        onsite(),
        support(SupportRole::Maintainer, "Marta again", "  MARTA@espiga.ES "),
    ]);
    assert_eq!(
        errs(&d),
        one(
            "support_contacts",
            ErrorCode::DuplicateSupportContact { row: 2, first: 0 }
        )
    );
}

#[test]
fn the_same_email_with_a_different_role_is_fine() {
    let d = with_supports(vec![
        support(SupportRole::Maintainer, "Marta", "marta@espiga.es"),
        support(SupportRole::OnsiteAdmin, "Marta", "MARTA@espiga.es"),
        support(SupportRole::Other, "Marta", " marta@espiga.es "),
    ]);
    assert_eq!(errs(&d), none());
}

#[test]
fn the_same_role_with_different_emails_is_fine() {
    let d = with_supports(vec![
        maintainer(),
        onsite(),
        support(SupportRole::Other, "Help 1", "help1@espiga.es"),
        support(SupportRole::Other, "Help 2", "help2@espiga.es"),
    ]);
    assert_eq!(errs(&d), none());
}

#[test]
fn each_repeat_of_a_role_and_email_is_its_own_group_error_naming_the_first_row() {
    let d = with_supports(vec![
        maintainer(),
        onsite(),
        support(SupportRole::OnsiteAdmin, "L2", "Luis@espiga.es"),
        support(SupportRole::Maintainer, "M2", "marta@espiga.es"),
        support(SupportRole::OnsiteAdmin, "L3", "luis@ESPIGA.es"),
    ]);
    assert_eq!(
        errs(&d),
        vec![
            (
                "support_contacts".into(),
                ErrorCode::DuplicateSupportContact { row: 2, first: 1 }
            ),
            (
                "support_contacts".into(),
                ErrorCode::DuplicateSupportContact { row: 3, first: 0 }
            ),
            (
                "support_contacts".into(),
                ErrorCode::DuplicateSupportContact { row: 4, first: 1 }
            ),
        ]
    );
}

#[test]
fn rows_with_blank_emails_are_not_duplicates_of_each_other() {
    let d = with_supports(vec![
        support(SupportRole::Maintainer, "A", ""),
        support(SupportRole::Maintainer, "B", "  "),
        onsite(),
    ]);
    assert_eq!(
        errs(&d),
        vec![
            ("support_contacts[0].email".into(), ErrorCode::Required),
            ("support_contacts[1].email".into(), ErrorCode::Required),
        ]
    );
}

#[test]
fn an_empty_maintainer_row_still_counts_as_a_maintainer_and_reports_its_own_fields() {
    let d = with_supports(vec![support(SupportRole::Maintainer, "", ""), onsite()]);
    assert_eq!(
        errs(&d),
        vec![
            ("support_contacts[0].name".into(), ErrorCode::Required),
            ("support_contacts[0].email".into(), ErrorCode::Required),
        ]
    );
}

#[test]
fn group_errors_come_before_the_row_errors() {
    let d = with_supports(vec![
        support(SupportRole::Other, "", "a@espiga.es"),
        support(SupportRole::Other, "B", "A@espiga.es"),
        support(SupportRole::OnsiteAdmin, "C", "bad"),
    ]);
    assert_eq!(
        errs(&d),
        vec![
            ("support_contacts".into(), ErrorCode::MissingMaintainer),
            (
                "support_contacts".into(),
                ErrorCode::DuplicateSupportContact { row: 1, first: 0 }
            ),
            ("support_contacts[0].name".into(), ErrorCode::Required),
            ("support_contacts[2].email".into(), ErrorCode::EmailFormat),
        ]
    );
}

#[test]
fn support_role_keys_are_the_contract_keys() {
    let keys: Vec<&str> = SupportRole::ALL.iter().map(|r| r.key()).collect();
    assert_eq!(keys, ["maintainer", "onsite_admin", "other"]);
    for role in SupportRole::ALL {
        assert_eq!(SupportRole::from_key(role.key()), Some(role));
        assert_eq!(
            serde_json::to_value(role).unwrap(),
            serde_json::Value::from(role.key())
        );
    }
    assert_eq!(SupportRole::from_key("Maintainer"), None);
    assert_eq!(SupportRole::from_key(""), None);
}

// ---------------------------------------------------------------------------------------------
// FieldError and ErrorCode
// ---------------------------------------------------------------------------------------------

#[test]
fn field_error_row_is_the_index_inside_a_list_path() {
    let row = |p: &str| FieldError::new(p, ErrorCode::Required).row();
    assert_eq!(row("admin_contacts[0].first_name"), Some(0));
    assert_eq!(row("admin_contacts[3].email"), Some(3));
    assert_eq!(row("support_contacts[12].name"), Some(12));
    assert_eq!(row("support_contacts"), None);
    assert_eq!(row("customer.address.city"), None);
    assert_eq!(row("admin_contacts[x].email"), None);
    assert_eq!(row("admin_contacts[].email"), None);
    assert_eq!(row("admin_contacts[-1].email"), None);
    assert_eq!(row("admin_contacts[3"), None);
    assert_eq!(row(""), None);
}

#[test]
fn field_error_generic_path_removes_the_row_index() {
    let generic = |p: &str| FieldError::new(p, ErrorCode::Required).generic_path();
    assert_eq!(generic("admin_contacts[3].email"), "admin_contacts.email");
    assert_eq!(
        generic("admin_contacts[0].first_name"),
        "admin_contacts.first_name"
    );
    assert_eq!(
        generic("support_contacts[12].name"),
        "support_contacts.name"
    );
    assert_eq!(generic("support_contacts"), "support_contacts");
    assert_eq!(
        generic("customer.address.postal_code"),
        "customer.address.postal_code"
    );
    assert_eq!(
        generic("a]b[c"),
        "a]b[c",
        "brackets in the wrong order are left alone"
    );
}

#[test]
fn every_error_of_a_broken_draft_has_a_row_exactly_when_its_path_is_a_row_path() {
    let mut d = Draft::new("x", None);
    d.admin_contacts = vec![admin("", "", ""), admin("", "", "")];
    d.support_contacts
        .push(support(SupportRole::Other, "", "a@b"));
    for e in validate_customer(&d) {
        let is_row =
            e.path.starts_with("admin_contacts[") || e.path.starts_with("support_contacts[");
        assert_eq!(e.row().is_some(), is_row, "{}", e.path);
        if let Some(i) = e.row() {
            assert_eq!(e.path.replacen(&format!("[{i}]"), "", 1), e.generic_path());
        } else {
            assert_eq!(e.generic_path(), e.path);
        }
    }
}

#[test]
fn error_codes_have_stable_machine_readable_names() {
    let codes = [
        (ErrorCode::Required, "required"),
        (
            ErrorCode::TooLong {
                max: 100,
                len: Some(101),
            },
            "too_long",
        ),
        (ErrorCode::EmailFormat, "email_format"),
        (
            ErrorCode::PostalCodeFormat {
                country: CountryCode::new("ES"),
            },
            "postal_code_format",
        ),
        (
            ErrorCode::PostalCodeFormat { country: None },
            "postal_code_format",
        ),
        (ErrorCode::PrivateKey, "private_key"),
        (ErrorCode::InvalidChoice, "invalid_choice"),
        (ErrorCode::DuplicateEmail { first: 2 }, "duplicate_email"),
        (ErrorCode::MissingMaintainer, "missing_maintainer"),
        (ErrorCode::MissingOnsiteAdmin, "missing_onsite_admin"),
        (
            ErrorCode::DuplicateSupportContact { row: 3, first: 1 },
            "duplicate_support_contact",
        ),
    ];
    for (code, name) in codes {
        assert_eq!(code.as_str(), name);
        // The serialised tag (the API's error body) uses the same name.
        let json = serde_json::to_value(code).unwrap();
        assert_eq!(json["code"], name, "{json}");
    }
    assert_eq!(
        ErrorCode::TooLong {
            max: 7,
            len: Some(8)
        }
        .as_str(),
        ErrorCode::TooLong {
            max: 254,
            len: Some(255)
        }
        .as_str()
    );
}

#[test]
fn field_errors_round_trip_through_json_with_their_details() {
    let errors = vec![
        FieldError::new(
            "customer.name",
            ErrorCode::TooLong {
                max: 100,
                len: Some(101),
            },
        ),
        FieldError::new(
            "admin_contacts[2].email",
            ErrorCode::DuplicateEmail { first: 0 },
        ),
        FieldError::new(
            "support_contacts",
            ErrorCode::DuplicateSupportContact { row: 3, first: 1 },
        ),
    ];
    let json = serde_json::to_string(&errors).unwrap();
    let back: Vec<FieldError> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, errors);
}

// ---------------------------------------------------------------------------------------------
// Draft helpers
// ---------------------------------------------------------------------------------------------

#[test]
fn same_answers_ignores_ids_partner_position_completion_and_row_ids() {
    let a = valid_draft_with_one_admin();
    let mut b = a.clone();
    b.id = "another".into();
    b.partner_id = None;
    b.current_step = StepId::Review;
    b.mark_completed(StepId::Customer);
    b.mark_completed(StepId::Gateway);
    b.admin_contacts[0].id = 42;
    b.support_contacts[0].id = 77;
    b.support_contacts[1].id = 78;
    assert!(a.same_answers(&b));
    assert!(b.same_answers(&a));
    assert!(a.same_answers(&a));
}

#[test]
fn same_answers_notices_a_change_to_any_answer() {
    let base = valid_draft_with_one_admin();
    type Edit = (&'static str, fn(&mut Draft));
    let edits: Vec<Edit> = vec![
        ("name", |d| d.customer.name.push('!')),
        ("business type", |d| {
            d.customer.business_type = "other".into()
        }),
        ("default language", |d| {
            d.customer.default_language = "en".into()
        }),
        ("street", |d| d.customer.address.street.push('!')),
        ("street2", |d| d.customer.address.street2 = "x".into()),
        ("city", |d| d.customer.address.city.push('!')),
        ("region", |d| d.customer.address.region = "x".into()),
        ("postal code", |d| {
            d.customer.address.postal_code = "50002".into()
        }),
        ("country", |d| d.customer.address.country = "PT".into()),
        ("admin first name", |d| {
            d.admin_contacts[0].first_name.push('!')
        }),
        ("admin last name", |d| {
            d.admin_contacts[0].last_name.push('!')
        }),
        ("admin email", |d| {
            d.admin_contacts[0].email = "other@espiga.es".into()
        }),
        ("admin added", |d| {
            d.admin_contacts.push(AdminContact::default())
        }),
        ("admin removed", |d| d.admin_contacts.clear()),
        ("support role", |d| {
            d.support_contacts[1].role = SupportRole::Other
        }),
        ("support name", |d| d.support_contacts[0].name.push('!')),
        ("support email", |d| {
            d.support_contacts[0].email = "x@espiga.es".into()
        }),
        ("support added", |d| {
            d.support_contacts.push(SupportContact::default())
        }),
        ("support removed", |d| {
            d.support_contacts.pop();
        }),
        ("support reordered", |d| d.support_contacts.swap(0, 1)),
        ("only surrounding whitespace", |d| d.customer.name.push(' ')),
    ];
    for (what, edit) in edits {
        let mut changed = base.clone();
        edit(&mut changed);
        assert!(!base.same_answers(&changed), "{what}");
        assert!(!changed.same_answers(&base), "{what} (reversed)");
    }
}

#[test]
fn a_new_draft_is_untouched_with_or_without_a_partner_and_wherever_it_is_in_the_wizard() {
    assert!(Draft::new("a", None).is_untouched());
    assert!(Draft::new("b", Some("partner".into())).is_untouched());
    let mut moved = Draft::new("c", None);
    moved.current_step = StepId::Gateway;
    moved.mark_completed(StepId::Customer);
    assert!(moved.is_untouched());
}

#[test]
fn typing_anything_makes_a_draft_touched_and_erasing_it_again_makes_it_untouched() {
    let mut d = Draft::new("a", None);
    d.customer.address.city = "M".into();
    assert!(!d.is_untouched());
    d.customer.address.city.clear();
    assert!(d.is_untouched());
    d.support_contacts[0].email = "m".into();
    assert!(!d.is_untouched());
    d.support_contacts[0].email.clear();
    d.support_contacts[1].role = SupportRole::Other;
    assert!(!d.is_untouched(), "changing a role is an answer");
    assert!(!valid_draft().is_untouched());
}

#[test]
fn next_row_id_is_one_more_than_the_largest_row_id_of_either_list() {
    assert_eq!(Draft::default().next_row_id(), 1);
    assert_eq!(Draft::new("x", None).next_row_id(), 3);
    let mut d = Draft::new("x", None);
    d.admin_contacts = vec![
        AdminContact {
            id: 9,
            ..Default::default()
        },
        AdminContact {
            id: 4,
            ..Default::default()
        },
    ];
    assert_eq!(d.next_row_id(), 10, "admin ids count");
    d.support_contacts.push(SupportContact {
        id: 15,
        ..Default::default()
    });
    assert_eq!(d.next_row_id(), 16, "support ids count");
    d.support_contacts.clear();
    assert_eq!(d.next_row_id(), 10);
    d.admin_contacts.clear();
    assert_eq!(d.next_row_id(), 1);
}

#[test]
fn next_row_id_never_collides_with_an_existing_row_as_rows_are_added() {
    let mut d = Draft::new("x", None);
    for i in 0..20 {
        let id = d.next_row_id();
        let taken = d
            .admin_contacts
            .iter()
            .map(|c| c.id)
            .chain(d.support_contacts.iter().map(|c| c.id));
        assert!(taken.clone().all(|t| t != id), "id {id} reused");
        if i % 2 == 0 {
            d.admin_contacts.push(AdminContact {
                id,
                ..Default::default()
            });
        } else {
            d.support_contacts.push(SupportContact {
                id,
                ..Default::default()
            });
        }
    }
}

#[test]

fn next_row_id_does_not_overflow_on_a_row_id_of_u64_max() {
    let mut d = Draft::new("x", None);
    d.admin_contacts.push(AdminContact {
        id: u64::MAX,
        ..Default::default()
    });
    let result = std::panic::catch_unwind(|| d.next_row_id());
    let id = result.expect("next_row_id panicked");
    assert!(
        d.support_contacts.iter().all(|c| c.id != id) && id != u64::MAX,
        "next_row_id returned a taken id {id}"
    );
}

#[test]
fn mark_completed_records_each_step_once_in_completion_order() {
    let mut d = Draft::new("x", None);
    d.mark_completed(StepId::Customer);
    d.mark_completed(StepId::Gateway);
    d.mark_completed(StepId::Customer);
    assert_eq!(d.completed, [StepId::Customer, StepId::Gateway]);
}
