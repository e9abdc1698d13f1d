//! The control-character rule (issue 6, hostile input): a single-line answer — every text field
//! but the PEM certificate — may not hold a C0/C1 control character (U+0000–U+001F,
//! U+007F–U+009F) once surrounding whitespace is trimmed. It is reported on the field, before
//! its limit or format; surrounding tabs and line breaks are trimmed as before; format
//! characters (zero-width joiners, bidi marks) stay allowed. The backend, which judges the
//! body `build` makes, finds the same errors.

use onboarding_core::payload::{build, validate_submission};
use onboarding_core::validate::validate_all;
use onboarding_core::{AdminContact, Draft, ErrorCode};

/// A draft valid on the PBX path, with a separate site address and one admin contact.
fn valid() -> Draft {
    let mut d = Draft::new("3f0c9a52-1d7e-4b8a-9f0e-5a6b7c8d9e01", Some("p-1".into()));
    let c = &mut d.customer;
    c.name = "Panadería La Espiga".into();
    c.business_type = "retail".into();
    c.address.street = "Calle Mayor 1".into();
    c.address.street2 = "Local 2".into();
    c.address.city = "Zaragoza".into();
    c.address.region = "Aragón".into();
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
    let g = &mut d.gateway;
    g.platform = "mivoice_business".into();
    g.site_name = "Obrador".into();
    g.site_same_as_customer = false;
    g.site_address.street = "Polígono Cogullada 4".into();
    g.site_address.street2 = "Nave 3".into();
    g.site_address.city = "Zaragoza".into();
    g.site_address.region = "Aragón".into();
    g.site_address.postal_code = "50014".into();
    g.site_address.country = "ES".into();
    g.mac_address = "00:1A:2B:3C:4D:5E".into();
    d.pbx.host = "pbx.espiga.es".into();
    d.pbx.port = "5060".into();
    d.pbx.username = "admin".into();
    d.pbx.password = "s3cret".into();
    d
}

/// Every single-line text field: its API path, and access to it in the draft.
type Field = (&'static str, fn(&mut Draft) -> &mut String);

const SINGLE_LINE: &[Field] = &[
    ("customer.name", |d| &mut d.customer.name),
    ("customer.address.street", |d| {
        &mut d.customer.address.street
    }),
    ("customer.address.street2", |d| {
        &mut d.customer.address.street2
    }),
    ("customer.address.city", |d| &mut d.customer.address.city),
    ("customer.address.region", |d| {
        &mut d.customer.address.region
    }),
    ("customer.address.postal_code", |d| {
        &mut d.customer.address.postal_code
    }),
    ("admin_contacts[0].first_name", |d| {
        &mut d.admin_contacts[0].first_name
    }),
    ("admin_contacts[0].last_name", |d| {
        &mut d.admin_contacts[0].last_name
    }),
    ("admin_contacts[0].email", |d| {
        &mut d.admin_contacts[0].email
    }),
    ("support_contacts[0].name", |d| {
        &mut d.support_contacts[0].name
    }),
    ("support_contacts[0].email", |d| {
        &mut d.support_contacts[0].email
    }),
    ("support_contacts[1].name", |d| {
        &mut d.support_contacts[1].name
    }),
    ("support_contacts[1].email", |d| {
        &mut d.support_contacts[1].email
    }),
    ("gateway.site_name", |d| &mut d.gateway.site_name),
    ("gateway.site_address.street", |d| {
        &mut d.gateway.site_address.street
    }),
    ("gateway.site_address.street2", |d| {
        &mut d.gateway.site_address.street2
    }),
    ("gateway.site_address.city", |d| {
        &mut d.gateway.site_address.city
    }),
    ("gateway.site_address.region", |d| {
        &mut d.gateway.site_address.region
    }),
    ("gateway.site_address.postal_code", |d| {
        &mut d.gateway.site_address.postal_code
    }),
    ("gateway.mac_address", |d| &mut d.gateway.mac_address),
    ("pbx.host", |d| &mut d.pbx.host),
    ("pbx.port", |d| &mut d.pbx.port),
    ("pbx.username", |d| &mut d.pbx.username),
    ("pbx.password", |d| &mut d.pbx.password),
];

fn pairs(d: &Draft) -> Vec<(String, ErrorCode)> {
    validate_all(d)
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect()
}

fn server_pairs(d: &Draft) -> Vec<(String, ErrorCode)> {
    validate_submission(&build(d))
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect()
}

/// The field's value with `inner` put in its middle, so the value is otherwise what it was
/// (a valid email stays an email around it, a port stays digits).
fn with_inside(value: &str, inner: &str) -> String {
    let mid = value
        .char_indices()
        .nth(value.chars().count() / 2)
        .map_or(0, |(i, _)| i);
    format!("{}{inner}{}", &value[..mid], &value[mid..])
}

#[test]
fn the_fixture_is_valid_for_the_browser_and_the_backend() {
    assert_eq!(pairs(&valid()), vec![]);
    assert_eq!(server_pairs(&valid()), vec![]);
}

#[test]
fn a_control_character_inside_any_single_line_field_is_an_error_on_that_field_alone() {
    // C0 and C1, the ones paste brings (tab, line breaks, NUL, escape, DEL, NEL) and the edges.
    let controls = [
        "\u{0}", "\u{1}", "\u{7}", "\t", "\n", "\r\n", "\u{b}", "\u{c}", "\u{1b}", "\u{1f}",
        "\u{7f}", "\u{80}", "\u{85}", "\u{9f}",
    ];
    for (path, field) in SINGLE_LINE {
        for control in controls {
            let mut d = valid();
            let value = with_inside(field(&mut d), control);
            *field(&mut d) = value.clone();
            let expected = vec![(path.to_string(), ErrorCode::ControlCharacters)];
            assert_eq!(pairs(&d), expected, "browser, {path} = {value:?}");
            if *path == "pbx.port" {
                // The body carries the port as a number: text that is no number cannot be
                // sent at all (the browser never sends a draft its rules refuse).
                assert_eq!(build(&d).pbx.unwrap().port, None);
            } else {
                assert_eq!(server_pairs(&d), expected, "backend, {path} = {value:?}");
            }
        }
    }
}

#[test]
fn surrounding_tabs_and_line_breaks_are_trimmed_not_errors() {
    for (path, field) in SINGLE_LINE {
        if *path == "pbx.password" {
            continue; // used exactly as typed; see the next test
        }
        let mut d = valid();
        let value = format!("\t\r\n {} \t\n", field(&mut d));
        *field(&mut d) = value.clone();
        assert_eq!(pairs(&d), vec![], "browser, {path} = {value:?}");
        assert_eq!(server_pairs(&d), vec![], "backend, {path} = {value:?}");
    }
}

#[test]
fn the_password_is_not_trimmed_so_a_control_character_anywhere_in_it_counts() {
    for value in ["\ts3cret", "s3cret\n", "s3\u{0}cret", "\u{85}"] {
        let mut d = valid();
        d.pbx.password = value.into();
        let expected = vec![("pbx.password".to_string(), ErrorCode::ControlCharacters)];
        assert_eq!(pairs(&d), expected, "{value:?}");
        assert_eq!(server_pairs(&d), expected, "{value:?}");
    }
    // Spaces, Unicode spaces and format characters are part of a password.
    for value in ["  s3cret  ", "\u{a0}pass\u{3000}", "pa\u{200d}ss"] {
        let mut d = valid();
        d.pbx.password = value.into();
        assert_eq!(pairs(&d), vec![], "{value:?}");
        assert_eq!(server_pairs(&d), vec![], "{value:?}");
    }
}

#[test]
fn format_characters_bidi_marks_and_emoji_stay_allowed_in_free_text() {
    let texts = [
        "Ac\u{200b}me\u{200c} Co\u{200d}\u{feff}",
        "abc\u{202e}exe.txt\u{202c}",
        "abc\u{202e}unclosed",
        "\u{2067}شركة\u{2069} Acme",
        "👩🏽\u{200d}💻 Café 🏳️\u{200d}🌈 ☎️",
        "Jose\u{301} Mun\u{303}oz",
        "Acme\u{a0}Hotels",
        "Line\u{2028}separator",
    ];
    let free_text: &[Field] = &[
        ("customer.name", |d| &mut d.customer.name),
        ("customer.address.street", |d| {
            &mut d.customer.address.street
        }),
        ("admin_contacts[0].last_name", |d| {
            &mut d.admin_contacts[0].last_name
        }),
        ("support_contacts[0].name", |d| {
            &mut d.support_contacts[0].name
        }),
        ("gateway.site_name", |d| &mut d.gateway.site_name),
        ("gateway.site_address.city", |d| {
            &mut d.gateway.site_address.city
        }),
        ("pbx.username", |d| &mut d.pbx.username),
    ];
    for (path, field) in free_text {
        for text in texts {
            let mut d = valid();
            *field(&mut d) = text.into();
            assert_eq!(pairs(&d), vec![], "browser, {path} = {text:?}");
            assert_eq!(server_pairs(&d), vec![], "backend, {path} = {text:?}");
        }
    }
}

#[test]
fn the_control_character_error_comes_before_the_limit_and_the_format() {
    // Too long and with a control character: one error, the control character.
    let mut d = valid();
    d.customer.name = format!("{}\t{}", "a".repeat(100), "b".repeat(100));
    assert_eq!(
        pairs(&d),
        vec![("customer.name".into(), ErrorCode::ControlCharacters)]
    );
    // Not an email and with a control character: the control character.
    let mut d = valid();
    d.admin_contacts[0].email = "not an email\u{0}".into();
    assert_eq!(
        pairs(&d),
        vec![("admin_contacts[0].email".into(), ErrorCode::ControlCharacters)]
    );
    // Postal code, MAC, host and port likewise.
    let mut d = valid();
    d.customer.address.postal_code = "ABC\u{1b}".into();
    d.gateway.mac_address = "zz\tzz".into();
    d.pbx.host = "pbx\nexample".into();
    d.pbx.port = "99\u{7f}9999".into();
    assert_eq!(
        pairs(&d),
        vec![
            ("customer.address.postal_code".into(), ErrorCode::ControlCharacters),
            ("gateway.mac_address".into(), ErrorCode::ControlCharacters),
            ("pbx.host".into(), ErrorCode::ControlCharacters),
            ("pbx.port".into(), ErrorCode::ControlCharacters),
        ]
    );
    // Blank is still "required", whatever whitespace it is made of.
    let mut d = valid();
    d.customer.name = " \t\r\n\u{a0}".into();
    assert_eq!(
        pairs(&d),
        vec![("customer.name".into(), ErrorCode::Required)]
    );
}

#[test]
fn the_certificate_is_multi_line_and_keeps_its_own_rules() {
    let cert =
        "-----BEGIN CERTIFICATE-----\r\nMIIBszCCAVmgAwIBAgIUVjIw\r\n-----END CERTIFICATE-----\r\n";
    let mut d = valid();
    d.pbx.certificate_pem = cert.into();
    assert_eq!(pairs(&d), vec![]);
    assert_eq!(server_pairs(&d), vec![]);
    // Junk with control characters is a certificate format error, not a control one.
    d.pbx.certificate_pem = "Acme\u{1}\u{7}\u{1b}[31mred\u{7f}".into();
    let expected = vec![(
        "pbx.certificate_pem".to_string(),
        ErrorCode::CertificateFormat,
    )];
    assert_eq!(pairs(&d), expected);
    assert_eq!(server_pairs(&d), expected);
}

#[test]
fn a_mac_typed_before_switching_to_smbc_is_not_judged_even_with_controls() {
    let mut d = valid();
    d.gateway.platform = "smbc".into();
    d.gateway.mac_address = "aa\tbb".into();
    assert_eq!(pairs(&d), vec![]);
    assert_eq!(server_pairs(&d), vec![]);
}
