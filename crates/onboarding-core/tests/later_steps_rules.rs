//! Unit tests for every rule of the Gateway, PBX, Connect and Sync steps as SPEC.md states them,
//! the field formats behind them (`formats`), the path-following validators (`validate_step`,
//! `validate_all`, `first_invalid_step`), the step graph (`steps`), the later-step parts of the
//! model (defaults, the password kept out of serialisation, `same_answers`, `platform`) and the
//! retry backoff.

use onboarding_core::countries::CountryCode;
use onboarding_core::formats::{
    is_valid_certificate_pem, is_valid_host, normalize_mac, parse_port, NotAPort,
};
use onboarding_core::retry::{backoff_delay_ms, MAX_AUTOMATIC_RETRIES};
use onboarding_core::steps::{next_step, previous_step, steps_for, SYNC_PLATFORMS};
use onboarding_core::validate::{
    first_invalid_step, validate_all, validate_connect, validate_gateway, validate_pbx,
    validate_step, validate_sync,
};
use onboarding_core::{
    Address, Draft, ErrorCode, FieldError, Gateway, Pbx, StepId, SyncSettings, PLATFORMS,
    SYNC_USERS,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type Errs = Vec<(String, ErrorCode)>;

const MIVOICE: &[&str] = &[
    "mivoice_office_400",
    "mivoice_business",
    "mx_one",
    "mivoice_5000",
];

/// A short, valid certificate block (a DER SEQUENCE in base64).
const CERT: &str =
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUVjIw\n-----END CERTIFICATE-----";

/// A draft that passes every step on the path of `platform`: the Customer step filled in, a
/// site, a MAC address, a PBX and the Sync defaults.
fn valid_draft(platform: &str) -> Draft {
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
    d.gateway.platform = platform.into();
    d.gateway.site_name = "Obrador".into();
    d.gateway.mac_address = "00:1A:2B:3C:4D:5E".into();
    d.pbx.host = "pbx.espiga.es".into();
    d.pbx.port = "5060".into();
    d.pbx.username = "admin".into();
    d.pbx.password = "s3cret".into();
    d
}

fn gateway(platform: &str) -> Gateway {
    valid_draft(platform).gateway
}

fn pbx() -> Pbx {
    valid_draft("mivoice_business").pbx
}

fn pairs(errors: Vec<FieldError>) -> Errs {
    errors.into_iter().map(|e| (e.path, e.code)).collect()
}

fn gw_errs(g: &Gateway) -> Errs {
    pairs(validate_gateway(g))
}

fn pbx_errs(p: &Pbx) -> Errs {
    pairs(validate_pbx(p))
}

fn connect_errs(p: &Pbx) -> Errs {
    pairs(validate_connect(p))
}

fn one(path: &str, code: ErrorCode) -> Errs {
    vec![(path.to_string(), code)]
}

fn none() -> Errs {
    Vec::new()
}

/// Over the limit by one character, the usual case here.
fn too_long(max: usize) -> ErrorCode {
    too_long_at(max, max + 1)
}

fn too_long_at(max: usize, len: usize) -> ErrorCode {
    ErrorCode::TooLong {
        max,
        len: Some(len),
    }
}

/// A valid Spanish site address, different from the customer's.
fn site() -> Address {
    Address {
        street: "Polígono Cogullada, nave 4".into(),
        street2: String::new(),
        city: "Zaragoza".into(),
        region: String::new(),
        postal_code: "50014".into(),
        country: "ES".into(),
    }
}

fn with_site(a: Address) -> Gateway {
    let mut g = gateway("mivoice_business");
    g.site_same_as_customer = false;
    g.site_address = a;
    g
}

/// A host name of exactly `len` characters (192 < `len` ≤ 255) made of 63-character labels,
/// the label limit, and a shorter last one.
fn host_of_len(len: usize) -> String {
    let last = len - 3 * 64;
    let name = format!(
        "{}{}",
        format!("{}.", "h".repeat(63)).repeat(3),
        "h".repeat(last)
    );
    assert_eq!(name.chars().count(), len);
    name
}

/// A valid single-block PEM certificate of exactly `len` characters (`len` ≥ 60).
fn pem_of_len(len: usize) -> String {
    let frame = "-----BEGIN CERTIFICATE-----\n".len() + "\n-----END CERTIFICATE-----".len();
    let body_len = len - frame;
    // Base64 wants a multiple of 4 characters; the rest is made up with line breaks, which
    // the body may contain.
    let chars = body_len - body_len % 4;
    let mut body = format!("MIIB{}", "A".repeat(chars - 4));
    for _ in 0..body_len % 4 {
        body.insert(8, '\n');
    }
    let pem = format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----");
    assert_eq!(pem.chars().count(), len);
    pem
}

// ---------------------------------------------------------------------------------------------
// Gateway: platform
// ---------------------------------------------------------------------------------------------

#[test]
fn every_platform_key_of_the_contract_is_accepted() {
    assert_eq!(
        PLATFORMS,
        &[
            "mivoice_office_400",
            "mivoice_business",
            "mx_one",
            "mivoice_5000",
            "smbc",
            "va"
        ]
    );
    for p in PLATFORMS {
        assert_eq!(gw_errs(&gateway(p)), none(), "{p}");
    }
}

#[test]
fn platform_is_required_and_must_be_a_contract_key() {
    let mut g = gateway("");
    assert_eq!(gw_errs(&g), one("gateway.platform", ErrorCode::Required));
    // Keys are exact: no case folding, no trimming, no display names.
    for bad in [
        "SMBC",
        " smbc",
        "smbc ",
        "MiVoice Business",
        "mivoice",
        "pbx",
        " ",
    ] {
        g.platform = bad.into();
        assert_eq!(
            gw_errs(&g),
            one("gateway.platform", ErrorCode::InvalidChoice),
            "{bad:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Gateway: site name and site address
// ---------------------------------------------------------------------------------------------

#[test]
fn site_name_is_required_and_blank_means_whitespace_too() {
    let mut g = gateway("mivoice_business");
    for blank in ["", " ", "\t\n", "\u{3000}"] {
        g.site_name = blank.into();
        assert_eq!(
            gw_errs(&g),
            one("gateway.site_name", ErrorCode::Required),
            "{blank:?}"
        );
    }
}

#[test]
fn site_name_is_at_most_100_characters_after_trimming() {
    let mut g = gateway("smbc");
    g.site_name = "a".repeat(100);
    assert_eq!(gw_errs(&g), none());
    g.site_name = format!("  {}  ", "ñ".repeat(100));
    assert_eq!(gw_errs(&g), none(), "characters, not bytes, after trimming");
    g.site_name = "a".repeat(101);
    assert_eq!(gw_errs(&g), one("gateway.site_name", too_long(100)));
    g.site_name = "ñ".repeat(101);
    assert_eq!(gw_errs(&g), one("gateway.site_name", too_long(100)));
}

#[test]
fn site_address_is_ignored_while_the_box_is_ticked() {
    let mut g = gateway("mivoice_business");
    assert!(g.site_same_as_customer);
    g.site_address = Address {
        street: "x".repeat(500),
        street2: "x".repeat(500),
        city: String::new(),
        region: "x".repeat(500),
        postal_code: "not a code!".into(),
        country: "XX".into(),
    };
    assert_eq!(gw_errs(&g), none());
}

#[test]
fn an_unticked_box_with_an_empty_address_requires_every_required_field_in_page_order() {
    let g = with_site(Address::default());
    assert_eq!(
        gw_errs(&g),
        vec![
            ("gateway.site_address.street".into(), ErrorCode::Required),
            ("gateway.site_address.city".into(), ErrorCode::Required),
            (
                "gateway.site_address.postal_code".into(),
                ErrorCode::Required
            ),
            ("gateway.site_address.country".into(), ErrorCode::Required),
        ]
    );
}

#[test]
fn an_unticked_box_with_a_valid_address_passes() {
    assert_eq!(gw_errs(&with_site(site())), none());
    let us = Address {
        street: "1 Main St".into(),
        street2: "Suite 200".into(),
        city: "Springfield".into(),
        region: "IL".into(),
        postal_code: "62701-1234".into(),
        country: "US".into(),
    };
    assert_eq!(gw_errs(&with_site(us)), none());
}

#[test]
fn site_address_text_limits_are_those_of_the_customer_address() {
    type Set = fn(&mut Address, String);
    let fields: [(&str, usize, Set); 4] = [
        ("street", 200, |a, v| a.street = v),
        ("street2", 200, |a, v| a.street2 = v),
        ("city", 100, |a, v| a.city = v),
        ("region", 100, |a, v| a.region = v),
    ];
    for (field, max, set) in fields {
        let mut a = site();
        set(&mut a, format!(" {} ", "é".repeat(max)));
        assert_eq!(
            gw_errs(&with_site(a.clone())),
            none(),
            "{field} at the limit"
        );
        set(&mut a, "é".repeat(max + 1));
        assert_eq!(
            gw_errs(&with_site(a)),
            one(&format!("gateway.site_address.{field}"), too_long(max)),
            "{field} one over"
        );
    }
}

#[test]
fn site_address_region_is_required_where_the_country_has_them() {
    for country in ["US", "CA", "AU", "MX", "BR", "IN"] {
        let mut a = site();
        a.country = country.into();
        a.postal_code = String::new();
        let errs = gw_errs(&with_site(a));
        assert!(
            errs.contains(&("gateway.site_address.region".into(), ErrorCode::Required)),
            "{country}: {errs:?}"
        );
    }
    // Spain has none: an empty region is fine.
    assert_eq!(gw_errs(&with_site(site())), none());
}

#[test]
fn site_address_postal_code_and_country_are_checked() {
    let mut a = site();
    a.postal_code = "5001".into();
    assert_eq!(
        gw_errs(&with_site(a)),
        one(
            "gateway.site_address.postal_code",
            ErrorCode::PostalCodeFormat {
                country: CountryCode::new("ES")
            }
        )
    );
    let mut a = site();
    a.postal_code = "   ".into();
    assert_eq!(
        gw_errs(&with_site(a)),
        one("gateway.site_address.postal_code", ErrorCode::Required)
    );
    let mut a = site();
    a.country = "XX".into();
    assert_eq!(
        gw_errs(&with_site(a)),
        one("gateway.site_address.country", ErrorCode::InvalidChoice)
    );
    // Countries without postal codes need none.
    let mut a = site();
    a.country = "HK".into();
    a.postal_code = String::new();
    assert_eq!(gw_errs(&with_site(a)), none());
}

// ---------------------------------------------------------------------------------------------
// Gateway: MAC address
// ---------------------------------------------------------------------------------------------

#[test]
fn mac_is_required_on_every_mivoice_platform_and_while_no_platform_is_chosen() {
    for p in MIVOICE {
        let mut g = gateway(p);
        for blank in ["", "   "] {
            g.mac_address = blank.into();
            assert_eq!(
                gw_errs(&g),
                one("gateway.mac_address", ErrorCode::Required),
                "{p} {blank:?}"
            );
        }
    }
    let mut g = gateway("");
    g.mac_address = String::new();
    assert_eq!(
        gw_errs(&g),
        vec![
            ("gateway.platform".into(), ErrorCode::Required),
            ("gateway.mac_address".into(), ErrorCode::Required),
        ]
    );
}

#[test]
fn mac_accepts_colons_dashes_cisco_dots_or_nothing_in_any_case() {
    let mut g = gateway("mx_one");
    for v in [
        "AA:BB:CC:DD:EE:FF",
        "aa:bb:cc:dd:ee:ff",
        "aa-bb-cc-dd-ee-ff",
        "AA-BB-CC-DD-EE-FF",
        "aabbccddeeff",
        "AaBbCcDdEeFf",
        "  00:1a:2B:3c:4D:5e  ",
        "\t001A2B3C4D5E\n",
        "001a.2b3c.4d5e",
        "001A.2B3C.4D5E",
    ] {
        g.mac_address = v.into();
        assert_eq!(gw_errs(&g), none(), "{v:?}");
    }
}

#[test]
fn mac_rejects_anything_else() {
    let mut g = gateway("mivoice_office_400");
    for v in [
        "AA:BB:CC:DD:EE",
        "AA:BB:CC:DD:EE:FF:00",
        "AA:BB-CC:DD:EE:FF",
        "AA-BB-CC-DD-EE:FF",
        "GG:BB:CC:DD:EE:FF",
        "AABB.CCDD.EEF",
        "AABB:CCDD:EEFF",
        "AABB.CC.DD.EEFF",
        "AA BB CC DD EE FF",
        "AA:BB:CC:DD:EE:F",
        "AABBCCDDEEF",
        "AABBCCDDEEFF0",
        "A:BB:CC:DD:EE:FFF",
        "AA::BB:CC:DD:EEFF",
        "0x001A2B3C4D5E",
        "ＡＡＢＢＣＣＤＤＥＥＦＦ",
        "éééééééééééé",
        "ÀA:BB:CC:DD:EE:FF",
    ] {
        g.mac_address = v.into();
        assert_eq!(
            gw_errs(&g),
            one("gateway.mac_address", ErrorCode::MacFormat),
            "{v:?}"
        );
    }
}

#[test]
fn the_mac_rule_switches_off_on_smbc_and_va() {
    for p in SYNC_PLATFORMS {
        let mut g = gateway(p);
        for v in [
            "",
            "   ",
            "AA:BB:CC:DD:EE:FF",
            "not a mac",
            "GG:GG:GG:GG:GG:GG",
        ] {
            g.mac_address = v.into();
            assert_eq!(gw_errs(&g), none(), "{p} {v:?}");
        }
    }
    assert_eq!(SYNC_PLATFORMS, &["smbc", "va"]);
}

#[test]
fn gateway_errors_come_in_page_order() {
    let g = Gateway {
        platform: "nope".into(),
        site_name: String::new(),
        site_same_as_customer: false,
        site_address: Address {
            country: "ES".into(),
            postal_code: "50001".into(),
            ..Address::default()
        },
        mac_address: "zz".into(),
    };
    assert_eq!(
        gw_errs(&g),
        vec![
            ("gateway.platform".into(), ErrorCode::InvalidChoice),
            ("gateway.site_name".into(), ErrorCode::Required),
            ("gateway.site_address.street".into(), ErrorCode::Required),
            ("gateway.site_address.city".into(), ErrorCode::Required),
            ("gateway.mac_address".into(), ErrorCode::MacFormat),
        ]
    );
}

#[test]
fn normalize_mac_gives_upper_case_colons() {
    for v in [
        "aa-bb-cc-dd-ee-ff",
        "AABBCCDDEEFF",
        " aA:Bb:cC:dD:Ee:fF ",
        "aabb.ccdd.eeff",
        "AaBb.CcDd.EeFf",
    ] {
        assert_eq!(
            normalize_mac(v).as_deref(),
            Some("AA:BB:CC:DD:EE:FF"),
            "{v}"
        );
    }
    assert_eq!(
        normalize_mac("00-1a-2b-3c-4d-5e").as_deref(),
        Some("00:1A:2B:3C:4D:5E")
    );
    for v in [
        "",
        "AA:BB:CC:DD:EE",
        "AA:BB-CC:DD:EE:FF",
        "ÀA:BB:CC:DD:EE:FF",
        "ÀABBCCDDEEF",
    ] {
        assert_eq!(normalize_mac(v), None, "{v}");
    }
}

// ---------------------------------------------------------------------------------------------
// PBX: host
// ---------------------------------------------------------------------------------------------

#[test]
fn a_complete_pbx_passes_and_a_new_one_needs_host_username_and_password() {
    assert_eq!(pbx_errs(&pbx()), none());
    assert_eq!(
        pbx_errs(&Pbx::default()),
        vec![
            ("pbx.host".into(), ErrorCode::Required),
            ("pbx.username".into(), ErrorCode::Required),
            ("pbx.password".into(), ErrorCode::Required),
        ]
    );
}

#[test]
fn host_accepts_ipv4_ipv6_and_host_names() {
    let mut p = pbx();
    for v in [
        "192.0.2.10",
        "10.0.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "2001:db8::1",
        "::1",
        "fe80::1:2:3:4",
        "2001:0db8:0000:0000:0000:ff00:0042:8329",
        "::ffff:192.0.2.1",
        "[2001:db8::1]",
        "[::1]",
        "pbx",
        "PBX.Example.COM",
        "pbx.example.com",
        "pbx-1.example.com.",
        "1pbx.example",
        "xn--mnchen-3ya.example",
        "münchen.example",
        "  pbx.example.com  ",
        " 192.0.2.10\t",
    ] {
        p.host = v.into();
        assert_eq!(pbx_errs(&p), none(), "{v:?}");
        assert!(is_valid_host(v), "{v:?}");
    }
}

#[test]
fn host_rejects_what_is_neither_an_address_nor_a_name() {
    let mut p = pbx();
    for v in [
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "123",
        "192.0.2.10.",
        "2001:db8:::1",
        "[192.0.2.10]",
        "[2001:db8::1",
        "2001:db8::1]",
        "pbx..example",
        ".pbx.example",
        "-pbx.example",
        "pbx-.example",
        "pbx_1.example",
        "pbx example",
        "http://pbx.example",
        "pbx.example:5060",
        "pbx.example/admin",
        "user@pbx.example",
        "pbx.example..",
        ".",
    ] {
        p.host = v.into();
        assert_eq!(
            pbx_errs(&p),
            one("pbx.host", ErrorCode::HostFormat),
            "{v:?}"
        );
    }
}

#[test]
fn host_is_required_and_blank_means_whitespace_too() {
    let mut p = pbx();
    for blank in ["", "  ", "\n"] {
        p.host = blank.into();
        assert_eq!(
            pbx_errs(&p),
            one("pbx.host", ErrorCode::Required),
            "{blank:?}"
        );
    }
}

#[test]
fn host_labels_are_at_most_63_and_names_at_most_253_characters() {
    let mut p = pbx();
    p.host = format!("{}.example", "a".repeat(63));
    assert_eq!(pbx_errs(&p), none());
    p.host = format!("{}.example", "a".repeat(64));
    assert_eq!(pbx_errs(&p), one("pbx.host", ErrorCode::HostFormat));

    p.host = host_of_len(253);
    assert_eq!(pbx_errs(&p), none(), "a 253-character name");
    p.host = format!("  {}  ", host_of_len(253));
    assert_eq!(pbx_errs(&p), none(), "surrounding spaces do not count");
    p.host = format!("{}.", host_of_len(252));
    assert_eq!(pbx_errs(&p), none(), "a root dot counts");
    p.host = format!("{}.", host_of_len(253));
    assert_eq!(pbx_errs(&p), one("pbx.host", too_long(253)));
    // Over the limit the length is the only error: no format verdict on top of it.
    p.host = host_of_len(254);
    assert_eq!(pbx_errs(&p), one("pbx.host", too_long(253)));
    p.host = "x".repeat(300);
    assert_eq!(pbx_errs(&p), one("pbx.host", too_long_at(253, 300)));
}

// ---------------------------------------------------------------------------------------------
// PBX: port
// ---------------------------------------------------------------------------------------------

#[test]
fn port_is_optional() {
    let mut p = pbx();
    for v in ["", "   ", "\t"] {
        p.port = v.into();
        assert_eq!(pbx_errs(&p), none(), "{v:?}");
        assert_eq!(parse_port(v), Ok(None), "{v:?}");
    }
}

#[test]
fn port_edges_are_1_and_65535() {
    let mut p = pbx();
    for (v, n) in [
        ("1", 1),
        ("65535", 65535),
        ("443", 443),
        (" 5061 ", 5061),
        ("0443", 443),
        ("00001", 1),
    ] {
        p.port = v.into();
        assert_eq!(pbx_errs(&p), none(), "{v:?}");
        assert_eq!(parse_port(v), Ok(Some(n)), "{v:?}");
    }
    for v in [
        "0",
        "00000",
        "65536",
        "99999",
        "100000",
        "-1",
        "+443",
        "4.5",
        "443.",
        "1e3",
        "0x50",
        "abc",
        "44 3",
        "٤٤٣",
        "４４３",
        "000443",
    ] {
        p.port = v.into();
        assert_eq!(pbx_errs(&p), one("pbx.port", ErrorCode::PortRange), "{v:?}");
        assert_eq!(parse_port(v), Err(NotAPort), "{v:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// PBX: username and password
// ---------------------------------------------------------------------------------------------

#[test]
fn username_is_required_and_at_most_100_characters_after_trimming() {
    let mut p = pbx();
    p.username = " \t ".into();
    assert_eq!(pbx_errs(&p), one("pbx.username", ErrorCode::Required));
    p.username = format!(" {} ", "ü".repeat(100));
    assert_eq!(pbx_errs(&p), none());
    p.username = "ü".repeat(101);
    assert_eq!(pbx_errs(&p), one("pbx.username", too_long(100)));
}

#[test]
fn an_empty_password_is_missing_but_a_whitespace_only_one_is_present() {
    let mut p = pbx();
    p.password = String::new();
    assert_eq!(pbx_errs(&p), one("pbx.password", ErrorCode::Required));
    for v in [" ", "   ", "\u{a0}"] {
        p.password = v.into();
        assert_eq!(pbx_errs(&p), none(), "{v:?}");
    }
    // A tab is a control character, which no single-line answer may hold (issue 6); the
    // password is not trimmed, so even a lone one counts.
    p.password = "\t".into();
    assert_eq!(
        pbx_errs(&p),
        one("pbx.password", ErrorCode::ControlCharacters)
    );
}

#[test]
fn password_is_at_most_256_characters_counted_as_typed() {
    let mut p = pbx();
    p.password = "x".repeat(256);
    assert_eq!(pbx_errs(&p), none());
    p.password = "ß".repeat(256);
    assert_eq!(pbx_errs(&p), none(), "characters, not bytes");
    p.password = "x".repeat(257);
    assert_eq!(pbx_errs(&p), one("pbx.password", too_long(256)));
    // Spaces are part of a password: they count, unlike the trimmed limits elsewhere.
    p.password = format!(" {} ", "x".repeat(255));
    assert_eq!(pbx_errs(&p), one("pbx.password", too_long(256)));
    p.password = " ".repeat(257);
    assert_eq!(pbx_errs(&p), one("pbx.password", too_long(256)));
}

#[test]
fn pbx_errors_come_in_page_order() {
    let p = Pbx {
        host: "bad host".into(),
        port: "0".into(),
        username: String::new(),
        password: String::new(),
        use_tls: false,
        certificate_pem: "junk".into(),
    };
    assert_eq!(
        pbx_errs(&p),
        vec![
            ("pbx.host".into(), ErrorCode::HostFormat),
            ("pbx.port".into(), ErrorCode::PortRange),
            ("pbx.username".into(), ErrorCode::Required),
            ("pbx.password".into(), ErrorCode::Required),
        ],
        "the certificate belongs to Connect, not PBX"
    );
}

// ---------------------------------------------------------------------------------------------
// Connect
// ---------------------------------------------------------------------------------------------

#[test]
fn the_certificate_is_optional_and_tls_may_be_off() {
    let mut p = pbx();
    for v in ["", "  \n\t "] {
        p.certificate_pem = v.into();
        for tls in [true, false] {
            p.use_tls = tls;
            assert_eq!(connect_errs(&p), none(), "{v:?} tls={tls}");
        }
    }
}

#[test]
fn a_certificate_block_or_chain_passes() {
    let mut p = pbx();
    for v in [
        CERT.to_string(),
        format!("\n\n  {CERT}  \n"),
        format!("{CERT}\n{CERT}"),
        format!("{CERT}{CERT}"),
        format!("{CERT}\n\n\n{CERT}\n{CERT}\n"),
        CERT.replace('\n', "\r\n"),
        "-----BEGIN CERTIFICATE-----\nMIIB\nszCC\nAVmg\n-----END CERTIFICATE-----".into(),
        "-----BEGIN CERTIFICATE-----\nMIIBsw==\n-----END CERTIFICATE-----".into(),
        "-----BEGIN CERTIFICATE-----\nMIIBszA=\n-----END CERTIFICATE-----".into(),
        "-----BEGIN CERTIFICATE-----MIIBszCC-----END CERTIFICATE-----".into(),
    ] {
        p.certificate_pem = v.clone();
        assert_eq!(connect_errs(&p), none(), "{v:?}");
        assert!(is_valid_certificate_pem(&v), "{v:?}");
    }
}

#[test]
fn anything_but_certificate_blocks_is_a_format_error() {
    let mut p = pbx();
    // (A private key is refused with an error of its own: tests/private_keys.rs.)
    for v in [
        "MIIBszCCAVmgAwIBAgIUVjIw".to_string(),
        "not a certificate".into(),
        "-----BEGIN PUBLIC KEY-----\nMIIBszCCAVmgAwIBAgIUVjIw\n-----END PUBLIC KEY-----".into(),
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----".into(),
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUVjIw\n".into(),
        "MIIBszCCAVmgAwIBAgIUVjIw\n-----END CERTIFICATE-----".into(),
        // Not a DER SEQUENCE: the first byte is not 0x30.
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----".into(),
        // Bad base64: a character outside the alphabet, a length not a multiple of 4, too
        // much padding, padding in the middle.
        "-----BEGIN CERTIFICATE-----\nMIIB*zCC\n-----END CERTIFICATE-----".into(),
        "-----BEGIN CERTIFICATE-----\nMIIBszC\n-----END CERTIFICATE-----".into(),
        "-----BEGIN CERTIFICATE-----\nM===\n-----END CERTIFICATE-----".into(),
        "-----BEGIN CERTIFICATE-----\nMIIB=zCC\n-----END CERTIFICATE-----".into(),
        "-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----".into(),
        format!("{CERT}\ntrailing text"),
        format!("leading text\n{CERT}"),
        format!("{CERT}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"),
        CERT.to_lowercase(),
    ] {
        p.certificate_pem = v.clone();
        assert_eq!(
            connect_errs(&p),
            one("pbx.certificate_pem", ErrorCode::CertificateFormat),
            "{v:?}"
        );
    }
}

#[test]
fn the_certificate_is_at_most_65536_characters_and_over_it_only_the_length_is_reported() {
    let mut p = pbx();
    p.certificate_pem = pem_of_len(65_536);
    assert_eq!(connect_errs(&p), none());
    p.certificate_pem = format!("\n  {}\n\n", pem_of_len(65_536));
    assert_eq!(
        connect_errs(&p),
        none(),
        "surrounding whitespace does not count"
    );
    p.certificate_pem = pem_of_len(65_537);
    assert!(is_valid_certificate_pem(&p.certificate_pem));
    assert_eq!(
        connect_errs(&p),
        one("pbx.certificate_pem", too_long(65_536))
    );
    p.certificate_pem = "x".repeat(70_000);
    assert_eq!(
        connect_errs(&p),
        one("pbx.certificate_pem", too_long_at(65_536, 70_000))
    );
}

#[test]
fn connect_never_judges_the_pbx_fields_and_pbx_never_judges_the_certificate() {
    let p = Pbx {
        certificate_pem: CERT.into(),
        ..Pbx::default()
    };
    assert_eq!(connect_errs(&p), none());
    let mut p = pbx();
    p.certificate_pem = "junk".into();
    assert_eq!(pbx_errs(&p), none());
}

// ---------------------------------------------------------------------------------------------
// Sync
// ---------------------------------------------------------------------------------------------

#[test]
fn sync_users_is_all_or_with_email() {
    assert_eq!(SYNC_USERS, &["all", "with_email"]);
    for users in SYNC_USERS {
        for welcome in [true, false] {
            let s = SyncSettings {
                users: (*users).into(),
                send_welcome_emails: welcome,
            };
            assert_eq!(pairs(validate_sync(&s)), none(), "{users} {welcome}");
        }
    }
}

#[test]
fn sync_users_is_required_and_must_be_a_key() {
    let mut s = SyncSettings {
        users: String::new(),
        ..SyncSettings::default()
    };
    assert_eq!(
        pairs(validate_sync(&s)),
        one("sync.users", ErrorCode::Required)
    );
    for bad in ["ALL", " all", "with-email", "none", "everyone", "  "] {
        s.users = bad.into();
        assert_eq!(
            pairs(validate_sync(&s)),
            one("sync.users", ErrorCode::InvalidChoice),
            "{bad:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Model: defaults, the password, same_answers, platform
// ---------------------------------------------------------------------------------------------

#[test]
fn defaults_are_those_of_the_spec() {
    let g = Gateway::default();
    assert!(g.site_same_as_customer, "the site box starts ticked");
    assert_eq!(g.platform, "");
    assert_eq!(g.mac_address, "");
    assert_eq!(g.site_address, Address::default());
    let p = Pbx::default();
    assert!(p.use_tls, "TLS starts on");
    assert_eq!(
        (p.host.as_str(), p.port.as_str(), p.password.as_str()),
        ("", "", "")
    );
    assert_eq!(p.certificate_pem, "");
    let s = SyncSettings::default();
    assert_eq!(s.users, "all");
    assert!(s.send_welcome_emails);
    let d = Draft::new("id", None);
    assert_eq!((d.gateway, d.pbx, d.sync), (g, p, s));
    // A new draft's later steps fail only on what must be typed.
    assert_eq!(validate_sync(&SyncSettings::default()), vec![]);
    assert_eq!(validate_connect(&Pbx::default()), vec![]);
}

#[test]
fn missing_keys_of_stored_later_steps_take_the_defaults() {
    let g: Gateway = serde_json::from_str("{}").unwrap();
    assert_eq!(g, Gateway::default());
    let p: Pbx = serde_json::from_str(r#"{"host": "pbx"}"#).unwrap();
    assert!(p.use_tls);
    assert_eq!(p.host, "pbx");
    let s: SyncSettings = serde_json::from_str(r#"{"send_welcome_emails": false}"#).unwrap();
    assert_eq!(s.users, "all");
    assert!(!s.send_welcome_emails);
}

#[test]
fn the_password_is_never_serialised_nor_read_back() {
    let mut p = pbx();
    p.password = "hunter2-Ü".into();
    let json = serde_json::to_string(&p).unwrap();
    assert!(!json.contains("hunter2"), "{json}");
    assert!(!json.contains("password"), "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        {
            let mut keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        },
        ["certificate_pem", "host", "port", "use_tls", "username"]
    );
    let injected: Pbx = serde_json::from_str(r#"{"host": "pbx", "password": "planted"}"#).unwrap();
    assert_eq!(injected.password, "", "a stored password is ignored");
    let mut d = valid_draft("mivoice_business");
    d.pbx.password = "hunter2-Ü".into();
    let json = serde_json::to_string(&d).unwrap();
    assert!(!json.contains("hunter2"), "{json}");
    let back: Draft = serde_json::from_str(&json).unwrap();
    assert_eq!(back.pbx.password, "");
    assert!(back.same_answers(&d));
}

#[test]
fn same_answers_sees_every_later_step_field_but_the_password() {
    let base = valid_draft("mivoice_business");
    type Change = fn(&mut Draft);
    let changes: [(&str, Change); 12] = [
        ("platform", |d| d.gateway.platform = "smbc".into()),
        ("site_name", |d| d.gateway.site_name.push('x')),
        ("site box", |d| d.gateway.site_same_as_customer = false),
        ("site street", |d| {
            d.gateway.site_address.street = "x".into()
        }),
        ("mac", |d| d.gateway.mac_address = "aabbccddeeff".into()),
        ("host", |d| d.pbx.host.push('x')),
        ("port", |d| d.pbx.port = "443".into()),
        ("username", |d| d.pbx.username.push('x')),
        ("use_tls", |d| d.pbx.use_tls = false),
        ("certificate", |d| d.pbx.certificate_pem = CERT.into()),
        ("sync users", |d| d.sync.users = "with_email".into()),
        ("welcome", |d| d.sync.send_welcome_emails = false),
    ];
    for (what, change) in changes {
        let mut other = base.clone();
        change(&mut other);
        assert!(!base.same_answers(&other), "{what}");
        assert!(!other.same_answers(&base), "{what}");
    }
    let mut other = base.clone();
    other.pbx.password = "different".into();
    other.current_step = StepId::Connect;
    other.mark_completed(StepId::Pbx);
    assert!(base.same_answers(&other));
    other.pbx.password.clear();
    assert!(base.same_answers(&other));
}

#[test]
fn platform_is_none_only_while_unchosen() {
    let mut d = Draft::new("id", None);
    assert_eq!(d.platform(), None);
    for p in PLATFORMS {
        d.gateway.platform = (*p).into();
        assert_eq!(d.platform(), Some(*p));
    }
    d.gateway.platform = "junk".into();
    assert_eq!(d.platform(), Some("junk"));
}

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

#[test]
fn the_path_follows_the_platform() {
    use StepId as S;
    for p in MIVOICE
        .iter()
        .map(|p| Some(*p))
        .chain([None, Some("junk"), Some("")])
    {
        assert_eq!(
            steps_for(p),
            &[S::Customer, S::Gateway, S::Pbx, S::Connect, S::Review],
            "{p:?}"
        );
    }
    for p in SYNC_PLATFORMS {
        assert_eq!(
            steps_for(Some(p)),
            &[S::Customer, S::Gateway, S::Sync, S::Review],
            "{p}"
        );
    }
}

#[test]
fn next_and_previous_walk_the_path_and_know_nothing_off_it() {
    use StepId as S;
    let walk = |p: Option<&str>| {
        let mut seen = vec![S::Customer];
        while let Some(n) = next_step(*seen.last().unwrap(), p) {
            seen.push(n);
        }
        seen
    };
    assert_eq!(walk(None), steps_for(None));
    assert_eq!(walk(Some("va")), steps_for(Some("va")));
    for p in [None, Some("mivoice_5000"), Some("smbc")] {
        let path = steps_for(p);
        for w in path.windows(2) {
            assert_eq!(next_step(w[0], p), Some(w[1]));
            assert_eq!(previous_step(w[1], p), Some(w[0]));
        }
        assert_eq!(next_step(S::Review, p), None);
        assert_eq!(previous_step(S::Customer, p), None);
    }
    assert_eq!(next_step(S::Pbx, Some("smbc")), None);
    assert_eq!(previous_step(S::Connect, Some("va")), None);
    assert_eq!(next_step(S::Sync, Some("mivoice_business")), None);
    assert_eq!(previous_step(S::Review, Some("smbc")), Some(S::Sync));
    assert_eq!(previous_step(S::Review, Some("mx_one")), Some(S::Connect));
}

#[test]
fn step_slugs_and_serde_names_are_stable() {
    let expected = ["customer", "gateway", "pbx", "connect", "sync", "review"];
    for (s, slug) in StepId::ALL.into_iter().zip(expected) {
        assert_eq!(s.slug(), slug);
        assert_eq!(StepId::from_slug(slug), Some(s));
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{slug}\""));
    }
    for bad in ["", "Customer", "PBX", " pbx", "review/"] {
        assert_eq!(StepId::from_slug(bad), None, "{bad:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// validate_step, validate_all, first_invalid_step
// ---------------------------------------------------------------------------------------------

#[test]
fn a_complete_draft_passes_on_every_platform() {
    for p in PLATFORMS {
        let d = valid_draft(p);
        assert_eq!(validate_all(&d), vec![], "{p}");
        assert_eq!(first_invalid_step(&d), None, "{p}");
    }
}

#[test]
fn validate_step_runs_the_rules_of_that_step_only() {
    let mut d = valid_draft("mivoice_business");
    d.customer.name.clear();
    d.gateway.site_name.clear();
    d.pbx.host.clear();
    d.pbx.certificate_pem = "junk".into();
    d.sync.users.clear();
    let step = |s| pairs(validate_step(s, &d));
    assert_eq!(
        step(StepId::Customer),
        one("customer.name", ErrorCode::Required)
    );
    assert_eq!(
        step(StepId::Gateway),
        one("gateway.site_name", ErrorCode::Required)
    );
    assert_eq!(step(StepId::Pbx), one("pbx.host", ErrorCode::Required));
    assert_eq!(
        step(StepId::Connect),
        one("pbx.certificate_pem", ErrorCode::CertificateFormat)
    );
    // Asked directly, Sync judges even off the path; validate_all does not ask it.
    assert_eq!(step(StepId::Sync), one("sync.users", ErrorCode::Required));
    assert_eq!(step(StepId::Review), none());
}

#[test]
fn a_sync_platform_is_not_judged_on_pbx_or_connect_fields() {
    for p in SYNC_PLATFORMS {
        let mut d = valid_draft(p);
        d.pbx = Pbx {
            host: "not a host!".into(),
            port: "70000".into(),
            username: String::new(),
            password: String::new(),
            use_tls: false,
            certificate_pem: "junk".into(),
        };
        d.gateway.mac_address = "junk".into();
        assert_eq!(validate_all(&d), vec![], "{p}");
        assert_eq!(first_invalid_step(&d), None, "{p}");
        d.sync.users = "nobody".into();
        assert_eq!(
            pairs(validate_all(&d)),
            one("sync.users", ErrorCode::InvalidChoice),
            "{p}"
        );
    }
}

#[test]
fn a_mivoice_platform_is_not_judged_on_sync_fields() {
    for p in MIVOICE {
        let mut d = valid_draft(p);
        d.sync.users = String::new();
        assert_eq!(validate_all(&d), vec![], "{p}");
        d.sync.users = "junk".into();
        assert_eq!(validate_all(&d), vec![], "{p}");
        d.pbx.password.clear();
        assert_eq!(
            pairs(validate_all(&d)),
            one("pbx.password", ErrorCode::Required),
            "{p}"
        );
    }
}

#[test]
fn an_unchosen_or_unknown_platform_is_judged_on_the_pbx_path() {
    for platform in ["", "junk"] {
        let mut d = valid_draft(platform);
        d.sync.users = "junk".into();
        d.pbx.port = "0".into();
        let code = if platform.is_empty() {
            ErrorCode::Required
        } else {
            ErrorCode::InvalidChoice
        };
        assert_eq!(
            pairs(validate_all(&d)),
            vec![
                ("gateway.platform".into(), code),
                ("pbx.port".into(), ErrorCode::PortRange),
            ],
            "{platform:?}"
        );
    }
}

#[test]
fn validate_all_lists_every_step_in_wizard_order() {
    let mut d = valid_draft("mivoice_business");
    d.pbx.certificate_pem = "junk".into();
    d.pbx.username.clear();
    d.gateway.mac_address.clear();
    d.customer.address.city.clear();
    assert_eq!(
        pairs(validate_all(&d)),
        vec![
            ("customer.address.city".into(), ErrorCode::Required),
            ("gateway.mac_address".into(), ErrorCode::Required),
            ("pbx.username".into(), ErrorCode::Required),
            ("pbx.certificate_pem".into(), ErrorCode::CertificateFormat),
        ]
    );
    let mut d = valid_draft("va");
    d.sync.users = "x".into();
    d.gateway.site_name.clear();
    d.support_contacts.clear();
    assert_eq!(
        pairs(validate_all(&d)),
        vec![
            ("support_contacts".into(), ErrorCode::MissingMaintainer),
            ("support_contacts".into(), ErrorCode::MissingOnsiteAdmin),
            ("gateway.site_name".into(), ErrorCode::Required),
            ("sync.users".into(), ErrorCode::InvalidChoice),
        ]
    );
}

#[test]
fn first_invalid_step_returns_the_earliest_step_in_wizard_order_with_its_errors() {
    // Errors on Connect and Gateway: Gateway comes first.
    let mut d = valid_draft("mivoice_business");
    d.pbx.certificate_pem = "junk".into();
    d.gateway.site_name.clear();
    assert_eq!(
        first_invalid_step(&d).map(|(s, e)| (s, pairs(e))),
        Some((
            StepId::Gateway,
            one("gateway.site_name", ErrorCode::Required)
        ))
    );
    d.gateway.site_name = "Obrador".into();
    assert_eq!(
        first_invalid_step(&d).map(|(s, e)| (s, pairs(e))),
        Some((
            StepId::Connect,
            one("pbx.certificate_pem", ErrorCode::CertificateFormat)
        ))
    );
    d.pbx.port = "65536".into();
    assert_eq!(first_invalid_step(&d).map(|(s, _)| s), Some(StepId::Pbx));
    d.customer.business_type = "bakery".into();
    assert_eq!(
        first_invalid_step(&d).map(|(s, _)| s),
        Some(StepId::Customer)
    );

    // On the Sync path, Sync is found after Gateway, and PBX errors never are.
    let mut d = valid_draft("smbc");
    d.pbx.host.clear();
    d.sync.users.clear();
    assert_eq!(
        first_invalid_step(&d).map(|(s, e)| (s, pairs(e))),
        Some((StepId::Sync, one("sync.users", ErrorCode::Required)))
    );
    d.gateway.platform.clear();
    assert_eq!(
        first_invalid_step(&d).map(|(s, e)| (s, pairs(e))),
        Some((
            StepId::Gateway,
            one("gateway.platform", ErrorCode::Required)
        ))
    );

    // A new onboarding stops at Customer.
    assert_eq!(
        first_invalid_step(&Draft::new("id", None)).map(|(s, _)| s),
        Some(StepId::Customer)
    );
}

#[test]
fn first_invalid_step_agrees_with_validate_all() {
    let mut d = valid_draft("mx_one");
    d.pbx.host = "a b".into();
    d.pbx.password.clear();
    d.pbx.certificate_pem = "junk".into();
    let (step, errors) = first_invalid_step(&d).unwrap();
    assert_eq!(step, StepId::Pbx);
    assert_eq!(errors, validate_step(StepId::Pbx, &d));
    assert_eq!(validate_all(&d)[..errors.len()], errors[..]);
}

// ---------------------------------------------------------------------------------------------
// Retry backoff
// ---------------------------------------------------------------------------------------------

#[test]
fn backoff_is_half_fixed_half_jitter_doubling_up_to_a_cap() {
    let expected = [
        (1_000, 2_000),
        (2_000, 4_000),
        (4_000, 8_000),
        (8_000, 16_000),
        (16_000, 32_000),
        (30_000, 60_000),
    ];
    assert_eq!(MAX_AUTOMATIC_RETRIES as usize, expected.len());
    for (retry, (low, high)) in expected.into_iter().enumerate() {
        let retry = retry as u32;
        assert_eq!(backoff_delay_ms(retry, 0.0), Some(low), "{retry}");
        assert_eq!(backoff_delay_ms(retry, 1.0), Some(high), "{retry}");
        assert_eq!(
            backoff_delay_ms(retry, 0.5),
            Some((low + high) / 2),
            "{retry}"
        );
    }
}

#[test]
fn backoff_stops_after_the_automatic_retries_and_tames_odd_jitter() {
    for retry in [MAX_AUTOMATIC_RETRIES, MAX_AUTOMATIC_RETRIES + 1, u32::MAX] {
        assert_eq!(backoff_delay_ms(retry, 0.5), None);
    }
    assert_eq!(backoff_delay_ms(0, f64::NAN), Some(1_500));
    assert_eq!(backoff_delay_ms(0, f64::INFINITY), Some(1_500));
    assert_eq!(backoff_delay_ms(0, f64::NEG_INFINITY), Some(1_500));
    assert_eq!(backoff_delay_ms(0, -3.0), Some(1_000));
    assert_eq!(backoff_delay_ms(0, 7.0), Some(2_000));
}
