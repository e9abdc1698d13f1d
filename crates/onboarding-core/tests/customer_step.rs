//! Every rule of the Customer step, as the spec states it.

use onboarding_core::countries::CountryCode;
use onboarding_core::validate::{is_valid_email, validate_customer};
use onboarding_core::{AdminContact, Draft, ErrorCode, SupportContact, SupportRole};

fn valid() -> Draft {
    let mut d = Draft::new("7d3f7e4c-3b0a-4d43-9d67-0c1b2a3e4f50", None);
    let c = &mut d.customer;
    c.name = "Clínica Dental Ñandú".into();
    c.business_type = "healthcare".into();
    c.address.street = "Calle de Alcalá 42".into();
    c.address.city = "Madrid".into();
    c.address.postal_code = "28014".into();
    c.address.country = "ES".into();
    d.support_contacts[0].name = "Marta Gil".into();
    d.support_contacts[0].email = "marta@ejemplo.es".into();
    d.support_contacts[1].name = "Luis Pérez".into();
    d.support_contacts[1].email = "luis@ejemplo.es".into();
    d
}

fn errors(d: &Draft) -> Vec<(String, ErrorCode)> {
    validate_customer(d)
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect()
}

fn one(path: &str, code: ErrorCode) -> Vec<(String, ErrorCode)> {
    vec![(path.to_string(), code)]
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

#[test]
fn a_complete_customer_passes() {
    assert_eq!(errors(&valid()), vec![]);
}

#[test]
fn a_new_onboarding_fails_only_on_required_fields_in_page_order() {
    let d = Draft::new("x", None);
    assert_eq!(
        d.support_contacts
            .iter()
            .map(|c| c.role)
            .collect::<Vec<_>>(),
        [SupportRole::Maintainer, SupportRole::OnsiteAdmin]
    );
    let paths: Vec<String> = validate_customer(&d)
        .into_iter()
        .map(|e| {
            assert_eq!(e.code, ErrorCode::Required, "{}", e.path);
            e.path
        })
        .collect();
    assert_eq!(
        paths,
        [
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
    );
}

#[test]
fn blank_means_whitespace_too() {
    let mut d = valid();
    d.customer.name = " \t\n ".into();
    d.customer.address.city = "\u{a0}".into();
    assert_eq!(
        errors(&d),
        vec![
            ("customer.name".into(), ErrorCode::Required),
            ("customer.address.city".into(), ErrorCode::Required),
        ]
    );
}

#[test]
fn limits_count_characters_after_trimming() {
    let cases: [(&str, usize, fn(&mut Draft, String)); 6] = [
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
        ("support_contacts[0].name", 100, |d, v| {
            d.support_contacts[0].name = v
        }),
    ];
    for (path, max, set) in cases {
        let mut at_limit = valid();
        // Multibyte characters count once; surrounding spaces not at all.
        set(&mut at_limit, format!("  {}  ", "ñ".repeat(max - 1) + "😀"));
        assert_eq!(errors(&at_limit), vec![], "{path} at its limit");
        let mut over = valid();
        set(&mut over, "ñ".repeat(max + 1));
        assert_eq!(
            errors(&over),
            one(
                path,
                ErrorCode::TooLong {
                    max,
                    len: Some(max + 1)
                }
            ),
            "{path} over its limit"
        );
    }
}

#[test]
fn admin_names_are_required_and_at_most_50() {
    let mut d = valid();
    d.admin_contacts = vec![
        admin("", &"x".repeat(51), "ana@ejemplo.es"),
        admin(&"é".repeat(50), "Ruiz", "b@ejemplo.es"),
    ];
    assert_eq!(
        errors(&d),
        vec![
            ("admin_contacts[0].first_name".into(), ErrorCode::Required),
            (
                "admin_contacts[0].last_name".into(),
                ErrorCode::TooLong {
                    max: 50,
                    len: Some(51)
                }
            ),
        ]
    );
}

#[test]
fn emails_are_at_most_254_characters() {
    let mut d = valid();
    let long = format!("{}@{}.example.com", "a".repeat(64), "b".repeat(180));
    assert_eq!(long.len(), 257);
    d.support_contacts[0].email = long;
    assert_eq!(
        errors(&d),
        one(
            "support_contacts[0].email",
            ErrorCode::TooLong {
                max: 254,
                len: Some(257)
            }
        )
    );
}

#[test]
fn email_format_rejects_what_partners_mistype() {
    for bad in [
        "ann@example",
        "Ann <a@b.com>",
        "a@[1.2.3.4]",
        "no-at.example.com",
        "a@b.c.",
        "a@@b.com",
        "a b@c.com",
        "@example.com",
    ] {
        assert!(!is_valid_email(bad), "{bad} accepted");
    }
    for good in [
        "ana.ruiz+x@example.co.uk",
        "  LUIS@Ejemplo.ES ",
        "o'brien@example.ie",
    ] {
        assert!(is_valid_email(good), "{good} rejected");
    }
    let mut d = valid();
    d.admin_contacts.push(admin("Ana", "Ruiz", "ana@ejemplo"));
    assert_eq!(
        errors(&d),
        one("admin_contacts[0].email", ErrorCode::EmailFormat)
    );
}

#[test]
fn region_is_required_where_the_country_has_them() {
    // US, CA, AU and MX choose from their list of regions; BR and IN keep free text.
    for (country, postal, region) in [
        ("US", "94105", "CA"),
        ("CA", "K1A 0B1", "Ontario"),
        ("AU", "2000", "nsw"),
        ("MX", "06600", "Ciudad de México"),
        ("BR", "01310-100", "Somewhere"),
        ("IN", "110001", "Somewhere"),
    ] {
        let mut d = valid();
        d.customer.address.country = country.into();
        d.customer.address.postal_code = postal.into();
        assert_eq!(
            errors(&d),
            one("customer.address.region", ErrorCode::Required),
            "{country}"
        );
        d.customer.address.region = region.into();
        assert_eq!(errors(&d), vec![], "{country} with a region");
    }
    let mut gb = valid();
    gb.customer.address.country = "GB".into();
    gb.customer.address.postal_code = "SW1A 1AA".into();
    assert_eq!(errors(&gb), vec![]);
}

#[test]
fn postal_codes_are_required_where_used_and_checked_per_country() {
    let mut d = valid();
    d.customer.address.postal_code = "".into();
    assert_eq!(
        errors(&d),
        one("customer.address.postal_code", ErrorCode::Required)
    );
    d.customer.address.country = "AE".into();
    assert_eq!(errors(&d), vec![], "no postal codes in the UAE");
    d.customer.address.country = "ES".into();
    for (country, region, code, ok) in [
        ("US", "NY", "1234", false),
        ("US", "NY", "12345-6789", true),
        ("CA", "ON", "k1a0b1", true),
        ("GB", "", "sw1a 1aa", true),
        ("GB", "", "SW1A", false),
        ("DE", "", "1011", false),
        ("ES", "", "99999", false),
        ("FR", "", "75001", true),
        ("IT", "", "00184", true),
        ("NL", "", "1234ab", true),
        ("NL", "", "0234 AB", false),
        ("AU", "NSW", "20000", false),
        ("MX", "CMX", "06600", true),
    ] {
        d.customer.address.country = country.into();
        d.customer.address.region = region.into();
        d.customer.address.postal_code = code.into();
        let want = if ok {
            vec![]
        } else {
            one(
                "customer.address.postal_code",
                ErrorCode::PostalCodeFormat {
                    country: CountryCode::new(country),
                },
            )
        };
        assert_eq!(errors(&d), want, "{country} {code}");
    }
}

#[test]
fn closed_lists_reject_unknown_values() {
    let mut d = valid();
    d.customer.address.country = "XX".into();
    d.customer.address.postal_code = "".into();
    d.customer.business_type = "mining".into();
    d.customer.default_language = "tlh".into();
    assert_eq!(
        errors(&d),
        vec![
            ("customer.address.postal_code".into(), ErrorCode::Required),
            ("customer.address.country".into(), ErrorCode::InvalidChoice),
            ("customer.business_type".into(), ErrorCode::InvalidChoice),
            ("customer.default_language".into(), ErrorCode::InvalidChoice),
        ]
    );
    d = valid();
    d.customer.default_language = "es".into();
    assert_eq!(errors(&d), vec![]);
}

#[test]
fn admin_emails_are_unique_ignoring_case_and_spaces_and_zero_admins_is_fine() {
    let mut d = valid();
    assert!(d.admin_contacts.is_empty());
    assert_eq!(errors(&d), vec![]);
    d.admin_contacts = vec![
        admin("Ana", "Ruiz", "ana@ejemplo.es"),
        admin("Bea", "Sanz", "bea@ejemplo.es"),
        admin("Ana", "Otra", " ANA@Ejemplo.ES "),
    ];
    assert_eq!(
        errors(&d),
        one(
            "admin_contacts[2].email",
            ErrorCode::DuplicateEmail { first: 0 }
        )
    );
}

#[test]
fn a_maintainer_and_an_onsite_administrator_are_mandatory() {
    let mut d = valid();
    d.support_contacts[0].role = SupportRole::Other;
    assert_eq!(
        errors(&d),
        one("support_contacts", ErrorCode::MissingMaintainer)
    );
    d.support_contacts[1].role = SupportRole::Other;
    assert_eq!(
        errors(&d),
        vec![
            ("support_contacts".into(), ErrorCode::MissingMaintainer),
            ("support_contacts".into(), ErrorCode::MissingOnsiteAdmin),
        ]
    );
    d.support_contacts.clear();
    assert_eq!(errors(&d).len(), 2);
}

#[test]
fn the_same_role_and_email_twice_is_a_group_error_naming_both_rows() {
    let mut d = valid();
    d.support_contacts
        .push(support(SupportRole::Other, "Marta", "MARTA@ejemplo.es"));
    assert_eq!(errors(&d), vec![], "same email, another role");
    d.support_contacts.push(support(
        SupportRole::Maintainer,
        "Marta bis",
        " marta@EJEMPLO.es",
    ));
    assert_eq!(
        errors(&d),
        one(
            "support_contacts",
            ErrorCode::DuplicateSupportContact { row: 3, first: 0 }
        )
    );
}

#[test]
fn group_errors_come_before_the_rows_they_sum_up() {
    let mut d = valid();
    d.support_contacts[0].role = SupportRole::Other;
    d.support_contacts[1].name.clear();
    assert_eq!(
        errors(&d),
        vec![
            ("support_contacts".into(), ErrorCode::MissingMaintainer),
            ("support_contacts[1].name".into(), ErrorCode::Required),
        ]
    );
}
