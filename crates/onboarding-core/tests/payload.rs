//! The submission as SPEC.md "Partner backend API (contract)" states it: what `build` sends for
//! a draft (trimmed, normalised, only the sections of its path, exactly the contract's keys),
//! what never leaves the device (the PBX password in stored drafts and confirmations), how the
//! backend judges a received body (`to_draft`, `validate_submission`) and how the wizard reads
//! the answer (`parse_api_errors`, `step_of_path`, `ApiError`).

use std::collections::BTreeSet;

use onboarding_core::countries::CountryCode;
use onboarding_core::draft_codec::{
    decode, decode_confirmation, encode, encode_confirmation, Confirmation, StoredDraft,
};
use onboarding_core::payload::{
    build, parse_api_errors, step_of_path, submitted_address, submitted_certificate, to_draft,
    validate_submission, ApiError, Submission, SubmittedPbx, SUBMISSION_SCHEMA_VERSION,
};
use onboarding_core::steps::SYNC_PLATFORMS;
use onboarding_core::validate::validate_all;
use onboarding_core::{
    Address, AdminContact, Draft, ErrorCode, FieldError, StepId, SupportContact, SupportRole,
    SyncSettings, PLATFORMS,
};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type Errs = Vec<(String, ErrorCode)>;

const DRAFT_ID: &str = "3f0c9a52-1d7e-4b8a-9f0e-5a6b7c8d9e01";
const MIVOICE: &[&str] = &[
    "mivoice_office_400",
    "mivoice_business",
    "mx_one",
    "mivoice_5000",
];
const CERT: &str =
    "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUVjIw\n-----END CERTIFICATE-----";
const PASSWORD: &str = " Zq9!unlikely-secret ";

/// The request body of SPEC.md "Partner backend API (contract)", verbatim.
const CONTRACT_BODY: &str = r#"{"schema_version": 1, "draft_id": "uuid", "partner_id": "string|null",
 "customer": {"name": "", "business_type": "healthcare", "default_language": "es|null",
   "address": {"street": "", "street2": "", "city": "", "region": "", "postal_code": "", "country": "ES"}},
 "admin_contacts": [{"first_name": "", "last_name": "", "email": ""}],
 "support_contacts": [{"role": "maintainer", "name": "", "email": ""}],
 "gateway": {"platform": "mivoice_business", "site_name": "", "site_address": null, "mac_address": "AA:BB:CC:DD:EE:FF"},
 "pbx": {"host": "", "port": 443, "username": "", "password": "", "use_tls": true, "certificate_pem": null},
 "sync": null}"#;

/// A draft valid on the path of `platform`, every value already in its normalised form.
fn valid_draft(platform: &str) -> Draft {
    let mut d = Draft::new(DRAFT_ID, Some("partner-7".into()));
    let c = &mut d.customer;
    c.name = "Panadería La Espiga".into();
    c.business_type = "retail".into();
    c.default_language = "es".into();
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
    d.gateway.platform = platform.into();
    d.gateway.site_name = "Obrador".into();
    if !SYNC_PLATFORMS.contains(&platform) {
        d.gateway.mac_address = "00:1A:2B:3C:4D:5E".into();
    }
    d.pbx.host = "pbx.espiga.es".into();
    d.pbx.port = "5060".into();
    d.pbx.username = "admin".into();
    d.pbx.password = PASSWORD.into();
    d
}

fn pairs(errors: Vec<FieldError>) -> Errs {
    errors.into_iter().map(|e| (e.path, e.code)).collect()
}

fn one(path: &str, code: ErrorCode) -> Errs {
    vec![(path.to_string(), code)]
}

fn judged(s: &Submission) -> Errs {
    pairs(validate_submission(s))
}

/// Every key path of a JSON value: `customer.address.city`, `admin_contacts[].email`; a null,
/// a number or a string is a leaf.
fn key_paths(v: &Value) -> BTreeSet<String> {
    fn walk(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    let path = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    out.insert(path.clone());
                    walk(v, &path, out);
                }
            }
            Value::Array(items) => {
                for item in items {
                    walk(item, &format!("{prefix}[]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(v, "", &mut out);
    out
}

fn contract() -> Value {
    serde_json::from_str(CONTRACT_BODY).expect("the contract example is JSON")
}

fn every_error_code() -> Vec<ErrorCode> {
    vec![
        ErrorCode::Required,
        ErrorCode::TooLong {
            max: 100,
            len: Some(101),
        },
        ErrorCode::EmailFormat,
        ErrorCode::PostalCodeFormat {
            country: CountryCode::new("ES"),
        },
        ErrorCode::PostalCodeFormat { country: None },
        ErrorCode::InvalidChoice,
        ErrorCode::DuplicateEmail { first: 2 },
        ErrorCode::MissingMaintainer,
        ErrorCode::MissingOnsiteAdmin,
        ErrorCode::DuplicateSupportContact { row: 3, first: 1 },
        ErrorCode::MacFormat,
        ErrorCode::HostFormat,
        ErrorCode::PortRange,
        ErrorCode::CertificateFormat,
        ErrorCode::PrivateKey,
        ErrorCode::ControlCharacters,
        ErrorCode::Invalid,
        ErrorCode::Rejected,
    ]
}

// ---------------------------------------------------------------------------------------------
// build: trimming and normalising
// ---------------------------------------------------------------------------------------------

#[test]
fn build_copies_identity_and_a_valid_draft_unchanged() {
    let d = valid_draft("mivoice_business");
    let s = build(&d);
    assert_eq!(s.schema_version, SUBMISSION_SCHEMA_VERSION);
    assert_eq!(SUBMISSION_SCHEMA_VERSION, 1);
    assert_eq!(s.draft_id, DRAFT_ID);
    assert_eq!(s.partner_id.as_deref(), Some("partner-7"));
    assert_eq!(s.customer.name, "Panadería La Espiga");
    assert_eq!(s.customer.business_type, "retail");
    assert_eq!(s.customer.address, d.customer.address);
    assert_eq!(s.admin_contacts.len(), 1);
    assert_eq!(
        s.support_contacts
            .iter()
            .map(|c| c.role.as_str())
            .collect::<Vec<_>>(),
        ["maintainer", "onsite_admin"]
    );
    assert_eq!(s.gateway.platform, "mivoice_business");
    assert_eq!(s.gateway.site_name, "Obrador");
    let mut no_partner = d.clone();
    no_partner.partner_id = None;
    assert_eq!(build(&no_partner).partner_id, None);
}

#[test]
fn build_trims_every_text_field_but_the_password() {
    let mut d = valid_draft("mivoice_business");
    d.customer.name = "  Panadería La Espiga \t".into();
    d.customer.address.street = " Calle Mayor 1 ".into();
    d.customer.address.street2 = "  ".into();
    d.customer.address.city = "\nZaragoza ".into();
    d.customer.address.region = " Aragón ".into();
    d.admin_contacts[0].first_name = " Ana ".into();
    d.admin_contacts[0].last_name = " Ruiz ".into();
    d.admin_contacts[0].email = "  ana@espiga.es  ".into();
    d.support_contacts[0].name = " Marta Gil ".into();
    d.support_contacts[0].email = "\tmarta@espiga.es\n".into();
    d.gateway.site_name = "  Obrador ".into();
    d.pbx.host = " pbx.espiga.es ".into();
    d.pbx.username = " admin ".into();
    d.pbx.password = "  spaces count  ".into();
    let s = build(&d);
    assert_eq!(s.customer.name, "Panadería La Espiga");
    assert_eq!(s.customer.address.street, "Calle Mayor 1");
    assert_eq!(s.customer.address.street2, "");
    assert_eq!(s.customer.address.city, "Zaragoza");
    assert_eq!(s.customer.address.region, "Aragón");
    assert_eq!(s.admin_contacts[0].first_name, "Ana");
    assert_eq!(s.admin_contacts[0].last_name, "Ruiz");
    assert_eq!(s.admin_contacts[0].email, "ana@espiga.es");
    assert_eq!(s.support_contacts[0].name, "Marta Gil");
    assert_eq!(s.support_contacts[0].email, "marta@espiga.es");
    assert_eq!(s.gateway.site_name, "Obrador");
    let pbx = s.pbx.unwrap();
    assert_eq!(pbx.host, "pbx.espiga.es");
    assert_eq!(pbx.username, "admin");
    assert_eq!(
        pbx.password, "  spaces count  ",
        "a password is sent exactly as typed"
    );
}

#[test]
fn build_keeps_the_case_of_emails() {
    let mut d = valid_draft("smbc");
    d.admin_contacts[0].email = " Ana.Ruiz@Espiga.ES ".into();
    assert_eq!(build(&d).admin_contacts[0].email, "Ana.Ruiz@Espiga.ES");
}

#[test]
fn build_normalises_postal_codes_per_country() {
    for (country, typed, sent) in [
        ("ES", " 50001 ", "50001"),
        ("GB", "sw1a1aa", "SW1A 1AA"),
        ("GB", " sw1a  1aa ", "SW1A 1AA"),
        ("CA", "k1a0b1", "K1A 0B1"),
        ("NL", "1234ab", "1234 AB"),
        ("US", "123456789", "12345-6789"),
        ("US", " 12345 ", "12345"),
        ("GB", "gir0aa", "GIR 0AA"),
        ("GB", "bfpo  801", "BFPO 801"),
        ("GB", " Bfpo1234 ", "BFPO 1234"),
        // Not a code of the country: sent trimmed, as typed, for the server to refuse.
        ("ES", " 5000 ", "5000"),
        ("GB", " not a code ", "not a code"),
    ] {
        let mut d = valid_draft("mivoice_business");
        d.customer.address.country = country.into();
        d.customer.address.postal_code = typed.into();
        d.gateway.site_same_as_customer = false;
        d.gateway.site_address = d.customer.address.clone();
        let s = build(&d);
        assert_eq!(s.customer.address.postal_code, sent, "{country} {typed:?}");
        assert_eq!(
            s.gateway.site_address.unwrap().postal_code,
            sent,
            "site: {country} {typed:?}"
        );
    }
}

#[test]
fn build_sends_the_mac_in_upper_case_with_colons() {
    for typed in [
        "aa:bb:cc:dd:ee:ff",
        "aa-bb-cc-dd-ee-ff",
        "AABBCCDDEEFF",
        "  Aa-bB-cC-Dd-eE-Ff\t",
    ] {
        let mut d = valid_draft("mivoice_business");
        d.gateway.mac_address = typed.into();
        assert_eq!(
            build(&d).gateway.mac_address.as_deref(),
            Some("AA:BB:CC:DD:EE:FF"),
            "{typed:?}"
        );
    }
    // Not a MAC address: trimmed, for the server to refuse.
    let mut d = valid_draft("mx_one");
    d.gateway.mac_address = "  not a mac ".into();
    assert_eq!(build(&d).gateway.mac_address.as_deref(), Some("not a mac"));
}

#[test]
fn build_sends_no_default_language_when_none_is_chosen() {
    // A choice is sent exactly as chosen (padding is refused by the rules on both sides).
    for (typed, sent) in [
        ("", None),
        ("es", Some("es")),
        ("   ", Some("   ")),
        (" fr ", Some(" fr ")),
    ] {
        let mut d = valid_draft("va");
        d.customer.default_language = typed.into();
        assert_eq!(
            build(&d).customer.default_language.as_deref(),
            sent,
            "{typed:?}"
        );
    }
}

#[test]
fn site_address_is_null_when_the_same_as_the_customer() {
    let mut d = valid_draft("mivoice_business");
    d.gateway.site_address.street = "Typed, then the box was ticked again".into();
    assert_eq!(build(&d).gateway.site_address, None);
    d.gateway.site_same_as_customer = false;
    d.gateway.site_address = Address {
        street: " Polígono Cogullada, nave 4 ".into(),
        street2: String::new(),
        city: " Zaragoza".into(),
        region: String::new(),
        postal_code: "50014 ".into(),
        country: "ES".into(),
    };
    assert_eq!(
        build(&d).gateway.site_address,
        Some(Address {
            street: "Polígono Cogullada, nave 4".into(),
            street2: String::new(),
            city: "Zaragoza".into(),
            region: String::new(),
            postal_code: "50014".into(),
            country: "ES".into(),
        })
    );
}

#[test]
fn smbc_and_va_send_sync_and_no_pbx_nor_mac() {
    for p in SYNC_PLATFORMS {
        let mut d = valid_draft(p);
        // Answers typed before the platform changed are kept in the draft, not sent.
        d.gateway.mac_address = "AA:BB:CC:DD:EE:FF".into();
        d.sync = SyncSettings {
            users: "with_email".into(),
            send_welcome_emails: false,
        };
        let s = build(&d);
        assert_eq!(s.pbx, None, "{p}");
        assert_eq!(s.gateway.mac_address, None, "{p}");
        assert_eq!(s.sync, Some(d.sync.clone()), "{p}");
        assert_eq!(build(&valid_draft(p)).sync, Some(SyncSettings::default()));
    }
}

#[test]
fn mivoice_platforms_send_pbx_and_mac_and_no_sync() {
    for p in MIVOICE.iter().copied().chain(["", "junk"]) {
        let mut d = valid_draft(p);
        d.gateway.mac_address = "00:1A:2B:3C:4D:5E".into();
        d.sync.users = "with_email".into();
        let s = build(&d);
        assert_eq!(s.sync, None, "{p:?}");
        assert_eq!(s.gateway.mac_address.as_deref(), Some("00:1A:2B:3C:4D:5E"));
        assert_eq!(
            s.pbx,
            Some(SubmittedPbx {
                host: "pbx.espiga.es".into(),
                port: Some(5060),
                username: "admin".into(),
                password: PASSWORD.into(),
                use_tls: true,
                certificate_pem: None,
            }),
            "{p:?}"
        );
    }
}

#[test]
fn port_is_a_number_or_null() {
    for (typed, sent) in [
        ("", None),
        ("  ", None),
        ("1", Some(1)),
        ("443", Some(443)),
        (" 5061 ", Some(5061)),
        ("0443", Some(443)),
        ("65535", Some(65535)),
    ] {
        let mut d = valid_draft("mivoice_business");
        d.pbx.port = typed.into();
        assert_eq!(build(&d).pbx.unwrap().port, sent, "{typed:?}");
    }
    let mut d = valid_draft("mivoice_business");
    d.pbx.port = "443".into();
    let v = serde_json::to_value(build(&d)).unwrap();
    assert_eq!(v["pbx"]["port"], json!(443));
    d.pbx.port = String::new();
    let v = serde_json::to_value(build(&d)).unwrap();
    assert_eq!(v["pbx"]["port"], Value::Null);
}

#[test]
fn certificate_is_null_when_blank_and_trimmed_otherwise() {
    for (typed, sent) in [
        (String::new(), None),
        ("  \n\t".into(), None),
        (format!("\n  {CERT}\n\n"), Some(CERT.to_string())),
        (format!("{CERT}\n{CERT}\n"), Some(format!("{CERT}\n{CERT}"))),
    ] {
        let mut d = valid_draft("mivoice_business");
        d.pbx.certificate_pem = typed.clone();
        assert_eq!(build(&d).pbx.unwrap().certificate_pem, sent, "{typed:?}");
    }
}

#[test]
fn with_tls_off_no_certificate_is_sent_and_review_shows_none() {
    let mut d = valid_draft("mivoice_business");
    d.pbx.certificate_pem = format!("\n{CERT}\n");
    assert_eq!(submitted_certificate(&d.pbx), Some(CERT.to_string()));
    assert_eq!(build(&d).pbx.unwrap().certificate_pem, Some(CERT.into()));
    d.pbx.use_tls = false;
    assert_eq!(submitted_certificate(&d.pbx), None);
    let s = build(&d);
    assert_eq!(s.pbx.as_ref().unwrap().certificate_pem, None);
    assert_eq!(
        serde_json::to_value(&s).unwrap()["pbx"]["certificate_pem"],
        Value::Null
    );
    // It stays in the draft, unjudged, for when TLS is switched back on.
    d.pbx.certificate_pem = "junk".into();
    assert_eq!(validate_all(&d), vec![]);
    assert_eq!(judged(&build(&d)), vec![]);
    assert_eq!(d.pbx.certificate_pem, "junk");
    d.pbx.use_tls = true;
    assert_eq!(
        pairs(validate_all(&d)),
        one("pbx.certificate_pem", ErrorCode::CertificateFormat)
    );
}

#[test]
fn a_certificate_sent_with_tls_off_is_refused() {
    let mut s = build(&valid_draft("mivoice_business"));
    let pbx = s.pbx.as_mut().unwrap();
    pbx.use_tls = false;
    pbx.certificate_pem = Some(CERT.into());
    assert_eq!(judged(&s), one("pbx.certificate_pem", ErrorCode::Invalid));
    // Blank or null is no certificate.
    for blank in [None, Some(String::new()), Some(" \n".into())] {
        s.pbx.as_mut().unwrap().certificate_pem = blank.clone();
        assert_eq!(judged(&s), vec![], "{blank:?}");
    }
    // With TLS on, the same body is accepted.
    let pbx = s.pbx.as_mut().unwrap();
    pbx.use_tls = true;
    pbx.certificate_pem = Some(CERT.into());
    assert_eq!(judged(&s), vec![]);
}

#[test]
fn regions_of_listed_countries_are_sent_as_their_codes() {
    for (country, postal, typed, sent) in [
        ("US", "94105", " california ", "CA"),
        ("US", "94105", "ca", "CA"),
        ("CA", "K1A 0B1", "Ontario", "ON"),
        ("AU", "2000", "new south  wales", "NSW"),
        ("MX", "64000", "Nuevo Leon", "NLE"),
        ("MX", "64000", "nle", "NLE"),
        // Free text elsewhere: trimmed, as typed.
        ("BR", "01310-100", " São Paulo ", "São Paulo"),
        ("ES", "50001", " Aragón ", "Aragón"),
        // Not a region of the country: sent trimmed, for the server to refuse.
        ("US", "94105", " Calif. ", "Calif."),
    ] {
        let mut d = valid_draft("mivoice_business");
        d.customer.address.country = country.into();
        d.customer.address.postal_code = postal.into();
        d.customer.address.region = typed.into();
        d.gateway.site_same_as_customer = false;
        d.gateway.site_address = d.customer.address.clone();
        let s = build(&d);
        assert_eq!(s.customer.address.region, sent, "{country} {typed:?}");
        assert_eq!(
            s.gateway.site_address.as_ref().unwrap().region,
            sent,
            "site: {country} {typed:?}"
        );
        assert_eq!(submitted_address(&d.customer.address).region, sent);
        let refused = sent == "Calif.";
        let want = if refused {
            vec![
                (
                    "customer.address.region".to_string(),
                    ErrorCode::InvalidChoice,
                ),
                (
                    "gateway.site_address.region".to_string(),
                    ErrorCode::InvalidChoice,
                ),
            ]
        } else {
            vec![]
        };
        assert_eq!(pairs(validate_all(&d)), want, "{country} {typed:?}");
        assert_eq!(judged(&s), want, "server: {country} {typed:?}");
    }
}

#[test]
fn build_sends_a_cisco_style_mac_with_colons() {
    let mut d = valid_draft("mivoice_business");
    d.gateway.mac_address = " 001a.2B3c.4d5E ".into();
    assert_eq!(validate_all(&d), vec![]);
    assert_eq!(
        build(&d).gateway.mac_address.as_deref(),
        Some("00:1A:2B:3C:4D:5E")
    );
}

#[test]
fn use_tls_and_sync_choices_are_sent_as_chosen() {
    let mut d = valid_draft("mivoice_5000");
    d.pbx.use_tls = false;
    assert!(!build(&d).pbx.unwrap().use_tls);
    let mut d = valid_draft("va");
    d.sync.send_welcome_emails = false;
    assert_eq!(
        build(&d).sync,
        Some(SyncSettings {
            users: "all".into(),
            send_welcome_emails: false
        })
    );
}

// ---------------------------------------------------------------------------------------------
// The serialised body has exactly the contract's keys
// ---------------------------------------------------------------------------------------------

#[test]
fn the_body_on_a_mivoice_platform_has_exactly_the_keys_of_the_contract() {
    let body = serde_json::to_value(build(&valid_draft("mivoice_business"))).unwrap();
    assert_eq!(key_paths(&body), key_paths(&contract()));
    assert_eq!(body["sync"], Value::Null);
    assert_eq!(body["gateway"]["site_address"], Value::Null);
    // Nothing of the draft's own bookkeeping leaks into the body.
    let text = body.to_string();
    for leak in [
        "current_step",
        "completed",
        "site_same_as_customer",
        "\"id\"",
    ] {
        assert!(!text.contains(leak), "{leak} in {text}");
    }
}

#[test]
fn the_body_on_a_sync_platform_swaps_pbx_for_sync_and_nulls_the_mac() {
    let body = serde_json::to_value(build(&valid_draft("smbc"))).unwrap();
    let mut expected = contract();
    expected["pbx"] = Value::Null;
    expected["sync"] = json!({"users": "all", "send_welcome_emails": true});
    assert_eq!(key_paths(&body), key_paths(&expected));
    assert_eq!(body["pbx"], Value::Null);
    assert_eq!(body["gateway"]["mac_address"], Value::Null);
    assert_eq!(
        body["sync"],
        json!({"users": "all", "send_welcome_emails": true})
    );
}

#[test]
fn a_separate_site_address_has_the_keys_of_the_customer_address() {
    let mut d = valid_draft("mivoice_business");
    d.gateway.site_same_as_customer = false;
    d.gateway.site_address = d.customer.address.clone();
    let body = serde_json::to_value(build(&d)).unwrap();
    let mut expected = contract();
    expected["gateway"]["site_address"] = expected["customer"]["address"].clone();
    assert_eq!(key_paths(&body), key_paths(&expected));
}

#[test]
fn the_contract_example_parses_as_a_submission_and_serialises_back_to_itself() {
    let s: Submission = serde_json::from_str(CONTRACT_BODY).unwrap();
    assert_eq!(s.gateway.mac_address.as_deref(), Some("AA:BB:CC:DD:EE:FF"));
    assert_eq!(s.pbx.as_ref().unwrap().port, Some(443));
    assert_eq!(serde_json::to_value(&s).unwrap(), contract());
}

#[test]
fn a_body_a_partner_would_send_is_accepted() {
    let body = json!({
        "schema_version": 1,
        "draft_id": DRAFT_ID,
        "partner_id": null,
        "customer": {"name": "Clínica Ñandú", "business_type": "healthcare", "default_language": null,
            "address": {"street": "Calle Mayor 1", "street2": "", "city": "Zaragoza", "region": "",
                "postal_code": "50001", "country": "ES"}},
        "admin_contacts": [],
        "support_contacts": [
            {"role": "maintainer", "name": "Marta Gil", "email": "marta@example.es"},
            {"role": "onsite_admin", "name": "Luis Pérez", "email": "luis@example.es"},
            {"role": "other", "name": "Eva", "email": "eva@example.es"}],
        "gateway": {"platform": "mivoice_business", "site_name": "Sede", "site_address": null,
            "mac_address": "AA:BB:CC:DD:EE:FF"},
        "pbx": {"host": "2001:db8::10", "port": null, "username": "admin", "password": " ",
            "use_tls": false, "certificate_pem": null},
        "sync": null
    });
    let s: Submission = serde_json::from_value(body).unwrap();
    assert_eq!(judged(&s), vec![]);
}

// ---------------------------------------------------------------------------------------------
// What stays on the device: never the password
// ---------------------------------------------------------------------------------------------

#[test]
fn the_password_is_sent_but_never_stored() {
    let d = valid_draft("mivoice_business");
    let submission = serde_json::to_string(&build(&d)).unwrap();
    assert!(
        submission.contains(&format!("\"password\":\"{PASSWORD}\"")),
        "{submission}"
    );
    let mut stored = StoredDraft::new(d.clone(), 1_700_000_000_000.0);
    stored.saved = Some(d.clone());
    let text = encode(&stored);
    assert!(!text.contains(PASSWORD.trim()), "{text}");
    assert!(!text.contains("password"), "{text}");
    let back = decode(&text).unwrap();
    assert_eq!(back.working.pbx.password, "");
    assert_eq!(back.saved.unwrap().pbx.password, "");
    assert!(back.working.same_answers(&d), "everything else survives");
}

#[test]
fn the_password_is_never_stored_whatever_the_platform() {
    for p in PLATFORMS {
        let d = valid_draft(p);
        let text = encode(&StoredDraft::new(d, 0.0));
        assert!(!text.contains(PASSWORD.trim()), "{p}: {text}");
    }
}

#[test]
fn a_confirmation_round_trips_and_holds_nothing_secret() {
    let c = Confirmation {
        draft_id: DRAFT_ID.into(),
        onboarding_id: "onb_42".into(),
        customer_name: "Clínica Ñandú <b>".into(),
        submitted_at: 1_700_000_000_123.0,
    };
    let text = encode_confirmation(&c);
    assert_eq!(decode_confirmation(&text), Some(c));
    let v: Value = serde_json::from_str(&text).unwrap();
    let keys: BTreeSet<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        ["customer_name", "draft_id", "onboarding_id", "submitted_at"]
            .map(String::from)
            .into()
    );
    for bad in ["", "{", "null", "[]", "{}", r#"{"draft_id": "x"}"#] {
        assert_eq!(decode_confirmation(bad), None, "{bad:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// to_draft: the way back
// ---------------------------------------------------------------------------------------------

#[test]
fn to_draft_gives_back_the_answers_of_a_normalised_draft() {
    for p in MIVOICE {
        let d = valid_draft(p);
        let back = to_draft(&build(&d));
        assert!(back.same_answers(&d), "{p}");
        assert_eq!(
            back.pbx.password, d.pbx.password,
            "the backend judges the password too"
        );
        assert_eq!(
            (back.id.as_str(), back.partner_id.as_deref()),
            (DRAFT_ID, Some("partner-7"))
        );
    }
    let mut d = valid_draft("smbc");
    d.gateway.site_same_as_customer = false;
    d.gateway.site_address = d.customer.address.clone();
    d.sync.users = "with_email".into();
    let back = to_draft(&build(&d));
    assert!(!back.gateway.site_same_as_customer);
    assert_eq!(back.gateway.site_address, d.customer.address);
    assert_eq!(back.sync, d.sync);
    assert_eq!(back.gateway.mac_address, "");
    assert_eq!(
        back.pbx,
        onboarding_core::Pbx::default(),
        "no pbx section: defaults"
    );
}

#[test]
fn to_draft_fills_what_the_body_leaves_out() {
    let mut s = build(&valid_draft("mivoice_business"));
    s.pbx = None;
    s.sync = None;
    s.gateway.mac_address = None;
    s.customer.default_language = None;
    s.support_contacts[1].role = "boss".into();
    let d = to_draft(&s);
    assert!(d.pbx.use_tls);
    assert_eq!(d.pbx.port, "");
    assert_eq!(d.sync, SyncSettings::default());
    assert_eq!(d.gateway.mac_address, "");
    assert!(d.gateway.site_same_as_customer);
    assert_eq!(d.customer.default_language, "");
    assert_eq!(d.support_contacts[1].role, SupportRole::Other);
    assert_eq!(d.current_step, StepId::Customer);
    let ids: BTreeSet<u64> = d
        .admin_contacts
        .iter()
        .map(|c| c.id)
        .chain(d.support_contacts.iter().map(|c| c.id))
        .collect();
    assert_eq!(ids.len(), 3, "row ids are distinct across both lists");
}

// ---------------------------------------------------------------------------------------------
// validate_submission
// ---------------------------------------------------------------------------------------------

#[test]
fn a_valid_body_has_no_errors_on_every_platform() {
    for p in PLATFORMS {
        let d = valid_draft(p);
        assert_eq!(validate_all(&d), vec![], "{p}");
        assert_eq!(judged(&build(&d)), vec![], "{p}");
    }
}

#[test]
fn schema_version_must_be_1() {
    for v in [0, 2, u32::MAX] {
        let mut s = build(&valid_draft("mivoice_business"));
        s.schema_version = v;
        assert_eq!(judged(&s), one("schema_version", ErrorCode::Invalid), "{v}");
    }
}

#[test]
fn draft_id_must_be_a_uuid() {
    for id in [
        "",
        "uuid",
        "3f0c9a52-1d7e-4b8a-9f0e-5a6b7c8d9e0",
        "3f0c9a52-1d7e-4b8a-9f0e-5a6b7c8d9e0g",
        " 3f0c9a52",
    ] {
        let mut s = build(&valid_draft("smbc"));
        s.draft_id = id.into();
        assert_eq!(judged(&s), one("draft_id", ErrorCode::Invalid), "{id:?}");
    }
    let mut s = build(&valid_draft("smbc"));
    s.draft_id = DRAFT_ID.to_uppercase();
    assert_eq!(judged(&s), vec![]);
}

#[test]
fn an_unknown_support_role_is_an_invalid_choice_of_that_row() {
    for role in ["boss", "Maintainer", "onsite-admin", ""] {
        let mut s = build(&valid_draft("mivoice_business"));
        let mut extra = s.support_contacts[0].clone();
        extra.role = role.into();
        extra.email = "extra@espiga.es".into();
        s.support_contacts.push(extra);
        assert_eq!(
            judged(&s),
            one("support_contacts[2].role", ErrorCode::InvalidChoice),
            "{role:?}"
        );
    }
    // The only Maintainer with an unknown role: the group misses its Maintainer as well.
    let mut s = build(&valid_draft("mivoice_business"));
    s.support_contacts[0].role = "boss".into();
    assert_eq!(
        judged(&s),
        vec![
            ("support_contacts[0].role".into(), ErrorCode::InvalidChoice),
            ("support_contacts".into(), ErrorCode::MissingMaintainer),
        ]
    );
}

#[test]
fn pbx_is_required_on_mivoice_platforms_and_reported_once() {
    for p in MIVOICE {
        let mut s = build(&valid_draft(p));
        s.pbx = None;
        assert_eq!(judged(&s), one("pbx", ErrorCode::Required), "{p}");
    }
}

#[test]
fn pbx_is_refused_on_smbc_and_va() {
    let pbx = build(&valid_draft("mivoice_business")).pbx;
    for p in SYNC_PLATFORMS {
        let mut s = build(&valid_draft(p));
        s.pbx = pbx.clone();
        assert_eq!(judged(&s), one("pbx", ErrorCode::Invalid), "{p}");
    }
}

#[test]
fn sync_is_required_on_smbc_and_va_and_refused_elsewhere() {
    for p in SYNC_PLATFORMS {
        let mut s = build(&valid_draft(p));
        s.sync = None;
        assert_eq!(judged(&s), one("sync", ErrorCode::Required), "{p}");
        s.sync = Some(SyncSettings {
            users: "some".into(),
            send_welcome_emails: true,
        });
        assert_eq!(
            judged(&s),
            one("sync.users", ErrorCode::InvalidChoice),
            "{p}"
        );
    }
    for p in MIVOICE {
        let mut s = build(&valid_draft(p));
        s.sync = Some(SyncSettings::default());
        assert_eq!(judged(&s), one("sync", ErrorCode::Invalid), "{p}");
    }
}

#[test]
fn a_mac_is_refused_on_smbc_and_va_and_required_elsewhere() {
    for p in SYNC_PLATFORMS {
        for mac in ["AA:BB:CC:DD:EE:FF", "", "junk"] {
            let mut s = build(&valid_draft(p));
            s.gateway.mac_address = Some(mac.into());
            assert_eq!(
                judged(&s),
                one("gateway.mac_address", ErrorCode::Invalid),
                "{p} {mac:?}"
            );
        }
    }
    for p in MIVOICE {
        let mut s = build(&valid_draft(p));
        s.gateway.mac_address = None;
        assert_eq!(
            judged(&s),
            one("gateway.mac_address", ErrorCode::Required),
            "{p}"
        );
        s.gateway.mac_address = Some("aa-bb-cc-dd-ee-ff".into());
        assert_eq!(judged(&s), vec![], "any accepted spelling, {p}");
        s.gateway.mac_address = Some("AA:BB:CC:DD:EE".into());
        assert_eq!(
            judged(&s),
            one("gateway.mac_address", ErrorCode::MacFormat),
            "{p}"
        );
    }
}

#[test]
fn an_unchosen_platform_is_required_and_sends_no_section() {
    let mut s = build(&valid_draft(""));
    s.pbx = None;
    assert_eq!(judged(&s), one("gateway.platform", ErrorCode::Required));
    let s = build(&valid_draft(""));
    assert_eq!(
        judged(&s),
        vec![
            ("pbx".into(), ErrorCode::Invalid),
            ("gateway.platform".into(), ErrorCode::Required),
        ]
    );
    let s = build(&valid_draft("junk"));
    assert_eq!(
        judged(&s),
        one("gateway.platform", ErrorCode::InvalidChoice)
    );
}

#[test]
fn ports_from_1_to_65535_or_none_are_accepted() {
    for port in [None, Some(1), Some(443), Some(65_535)] {
        let mut s = build(&valid_draft("mivoice_business"));
        s.pbx.as_mut().unwrap().port = port;
        assert_eq!(judged(&s), vec![], "{port:?}");
    }
}

#[test]
fn ports_out_of_range_are_a_port_range_error() {
    for port in [0, 65_536, 70_000, -1, i64::MIN, i64::MAX] {
        let mut s = build(&valid_draft("mivoice_business"));
        s.pbx.as_mut().unwrap().port = Some(port);
        let errs = judged(&s);
        assert!(!errs.is_empty(), "{port}");
        assert!(
            errs.iter()
                .all(|e| *e == ("pbx.port".to_string(), ErrorCode::PortRange)),
            "{port}: {errs:?}"
        );
    }
}

#[test]
fn an_out_of_range_port_is_reported_once() {
    for port in [0, 70_000] {
        let mut s = build(&valid_draft("mivoice_business"));
        s.pbx.as_mut().unwrap().port = Some(port);
        assert_eq!(judged(&s), one("pbx.port", ErrorCode::PortRange), "{port}");
    }
}

#[test]
fn a_port_the_browser_refuses_is_refused_by_the_server_too() {
    // Text that is no number ("abc") cannot go in the contract's numeric field at all; the
    // browser never builds a body from a draft that fails its rules.
    for port in ["0", "70000", "-1", "99999999999999999999999"] {
        let mut d = valid_draft("mivoice_business");
        d.pbx.port = port.into();
        assert_eq!(
            pairs(validate_all(&d)),
            one("pbx.port", ErrorCode::PortRange)
        );
        assert!(!judged(&build(&d)).is_empty(), "{port:?}");
    }
}

#[test]
fn a_country_with_spaces_around_it_is_judged_and_built_consistently() {
    let mut d = valid_draft("mivoice_business");
    d.gateway.site_same_as_customer = false;
    d.gateway.site_address = Address {
        street: "10 Downing St".into(),
        street2: String::new(),
        city: "London".into(),
        region: String::new(),
        postal_code: "sw1a1aa".into(),
        country: " GB".into(),
    };
    let browser = pairs(validate_all(&d));
    assert_eq!(
        browser,
        one("gateway.site_address.country", ErrorCode::InvalidChoice)
    );
    let once = build(&d);
    assert_eq!(
        build(&to_draft(&once)),
        once,
        "build is idempotent through to_draft"
    );
    assert_eq!(judged(&once), browser, "the server refuses it as well");
}

#[test]
fn field_rules_of_every_step_are_reported_under_api_paths() {
    let mut s = build(&valid_draft("mivoice_business"));
    s.customer.name = " ".into();
    s.admin_contacts[0].email = "ana@".into();
    s.support_contacts[1].email = "luis@espiga".into();
    s.gateway.site_name = "x".repeat(101);
    let pbx = s.pbx.as_mut().unwrap();
    pbx.host = "pbx_1".into();
    pbx.password = String::new();
    pbx.certificate_pem = Some("junk".into());
    assert_eq!(
        judged(&s),
        vec![
            ("customer.name".into(), ErrorCode::Required),
            ("admin_contacts[0].email".into(), ErrorCode::EmailFormat),
            ("support_contacts[1].email".into(), ErrorCode::EmailFormat),
            (
                "gateway.site_name".into(),
                ErrorCode::TooLong {
                    max: 100,
                    len: Some(101)
                }
            ),
            ("pbx.host".into(), ErrorCode::HostFormat),
            ("pbx.password".into(), ErrorCode::Required),
            ("pbx.certificate_pem".into(), ErrorCode::CertificateFormat),
        ]
    );
}

#[test]
fn shape_errors_come_before_field_rules() {
    let mut s = build(&valid_draft("va"));
    s.schema_version = 2;
    s.draft_id = "nope".into();
    s.support_contacts[0].role = "boss".into();
    s.sync = None;
    s.gateway.mac_address = Some("AA:BB:CC:DD:EE:FF".into());
    s.gateway.site_name = String::new();
    assert_eq!(
        judged(&s),
        vec![
            ("schema_version".into(), ErrorCode::Invalid),
            ("draft_id".into(), ErrorCode::Invalid),
            ("support_contacts[0].role".into(), ErrorCode::InvalidChoice),
            ("sync".into(), ErrorCode::Required),
            ("gateway.mac_address".into(), ErrorCode::Invalid),
            ("support_contacts".into(), ErrorCode::MissingMaintainer),
            ("gateway.site_name".into(), ErrorCode::Required),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// parse_api_errors
// ---------------------------------------------------------------------------------------------

#[test]
fn known_codes_are_read_with_their_parameters() {
    let body = r#"{"errors": [
        {"field": "customer.name", "code": "too_long", "max": 100, "message": "Too long"},
        {"field": "support_contacts[1].email", "code": "email_format", "message": "..."},
        {"field": "admin_contacts[2].email", "code": "duplicate_email", "first": 0, "message": ""},
        {"field": "support_contacts", "code": "duplicate_support_contact", "row": 3, "first": 1, "message": ""},
        {"field": "pbx.port", "code": "port_range", "message": "", "extra": [1, 2]}
    ]}"#;
    assert_eq!(
        parse_api_errors(body),
        Some(vec![
            // An older backend's entry, without `len`.
            FieldError::new(
                "customer.name",
                ErrorCode::TooLong {
                    max: 100,
                    len: None
                }
            ),
            FieldError::new("support_contacts[1].email", ErrorCode::EmailFormat),
            FieldError::new(
                "admin_contacts[2].email",
                ErrorCode::DuplicateEmail { first: 0 }
            ),
            FieldError::new(
                "support_contacts",
                ErrorCode::DuplicateSupportContact { row: 3, first: 1 }
            ),
            FieldError::new("pbx.port", ErrorCode::PortRange),
        ])
    );
}

#[test]
fn every_code_the_backend_sends_is_read_back() {
    let errors: Vec<ApiError> = every_error_code()
        .into_iter()
        .enumerate()
        .map(|(i, code)| ApiError {
            field: format!("admin_contacts[{i}].email"),
            code,
            message: format!("message {i}"),
        })
        .collect();
    let body = json!({ "errors": errors }).to_string();
    let expected: Vec<FieldError> = errors
        .iter()
        .map(|e| FieldError::new(e.field.clone(), e.code))
        .collect();
    assert_eq!(parse_api_errors(&body), Some(expected));
}

#[test]
fn unknown_or_malformed_codes_become_rejected_and_keep_their_field() {
    let body = r#"{"errors": [
        {"field": "pbx.host", "code": "unreachable", "message": "Cannot reach the PBX"},
        {"field": "customer.name", "code": "too_long", "message": "no max"},
        {"field": "customer.city", "message": "no code"},
        {"field": "gateway.mac_address", "code": 7},
        {"field": "sync.users", "code": "REQUIRED"}
    ]}"#;
    let with_reason = |path: &str, reason: &str| FieldError { message: Some(reason.into()), ..FieldError::new(path, ErrorCode::Rejected) };
    assert_eq!(
        parse_api_errors(body),
        Some(vec![
            // The backend's own reason is kept: it is the only help the partner has.
            with_reason("pbx.host", "Cannot reach the PBX"),
            with_reason("customer.name", "no max"),
            with_reason("customer.city", "no code"),
            FieldError::new("gateway.mac_address", ErrorCode::Rejected),
            FieldError::new("sync.users", ErrorCode::Rejected),
        ])
    );
}

#[test]
fn a_backend_reason_is_one_line_of_bounded_length() {
    use onboarding_core::payload::{backend_reason, MAX_REASON_CHARS};
    assert_eq!(backend_reason("  Line one\n\tline\u{0}two  "), Some("Line one line two".into()));
    assert_eq!(backend_reason(" \n "), None);
    assert_eq!(backend_reason("Sitio \u{202E}oremun\u{202C} \u{2067}x\u{2069}\u{200F}"), Some("Sitio oremun x".into()), "no bidi controls");
    assert_eq!(backend_reason("<b>as text</b>"), Some("<b>as text</b>".into()), "markup is left to the view, which shows text");
    let long = "x".repeat(5_000);
    let shown = backend_reason(&long).unwrap();
    assert_eq!(shown.chars().count(), MAX_REASON_CHARS);
    assert!(shown.ends_with('…'));
    // A known code ignores the message: the wizard words its own.
    assert_eq!(
        parse_api_errors(r#"{"errors":[{"field":"customer.name","code":"required","message":"Backend words"}]}"#),
        Some(vec![FieldError::new("customer.name", ErrorCode::Required)])
    );
}

#[test]
fn new_parameters_are_optional_and_read_when_present() {
    let body = r#"{"errors": [
        {"field": "customer.address.postal_code", "code": "postal_code_format", "message": "old"},
        {"field": "customer.address.postal_code", "code": "postal_code_format", "country": "DE", "message": ""},
        {"field": "customer.address.postal_code", "code": "postal_code_format", "country": "XX", "message": ""},
        {"field": "customer.address.postal_code", "code": "postal_code_format", "country": 7, "message": ""},
        {"field": "customer.address.postal_code", "code": "postal_code_format", "country": null},
        {"field": "customer.name", "code": "too_long", "max": 100, "len": 155, "message": ""},
        {"field": "pbx.certificate_pem", "code": "private_key", "message": ""}
    ]}"#;
    let postal = |country: Option<&str>| {
        FieldError::new(
            "customer.address.postal_code",
            ErrorCode::PostalCodeFormat {
                country: country.and_then(CountryCode::new),
            },
        )
    };
    assert_eq!(
        parse_api_errors(body),
        Some(vec![
            postal(None),
            postal(Some("DE")),
            // A country this version does not know: the code still stands, without the form.
            postal(None),
            postal(None),
            postal(None),
            FieldError::new(
                "customer.name",
                ErrorCode::TooLong {
                    max: 100,
                    len: Some(155)
                }
            ),
            FieldError::new("pbx.certificate_pem", ErrorCode::PrivateKey),
        ])
    );
    // Serialised, an absent parameter is left out rather than sent as null.
    let e = ApiError {
        field: "customer.address.postal_code".into(),
        code: ErrorCode::PostalCodeFormat { country: None },
        message: "m".into(),
    };
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        json!({"field": "customer.address.postal_code", "code": "postal_code_format", "message": "m"})
    );
    let e = ApiError {
        code: ErrorCode::PostalCodeFormat {
            country: CountryCode::new("GB"),
        },
        ..e
    };
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        json!({"field": "customer.address.postal_code", "code": "postal_code_format",
               "country": "GB", "message": "m"})
    );
}

#[test]
fn entries_without_a_field_are_skipped() {
    let body = r#"{"errors": [
        {"code": "required"},
        {"field": 3, "code": "required"},
        "required",
        null,
        {"field": "customer.name", "code": "required", "message": ""}
    ]}"#;
    assert_eq!(
        parse_api_errors(body),
        Some(vec![FieldError::new("customer.name", ErrorCode::Required)])
    );
    assert_eq!(parse_api_errors(r#"{"errors": []}"#), Some(vec![]));
}

#[test]
fn a_body_not_of_the_contract_shape_is_none() {
    for body in [
        "",
        "   ",
        "not json",
        "<html>502 Bad Gateway</html>",
        "{",
        "null",
        "[]",
        "42",
        "{}",
        r#"{"error": "bad"}"#,
        r#"{"errors": null}"#,
        r#"{"errors": {}}"#,
        r#"{"errors": "customer.name"}"#,
        r#"[{"field": "customer.name", "code": "required"}]"#,
    ] {
        assert_eq!(parse_api_errors(body), None, "{body:?}");
    }
}

#[test]
fn what_validate_submission_finds_survives_the_trip_through_a_422_body() {
    let mut s = build(&valid_draft("mivoice_business"));
    s.draft_id = "x".into();
    s.gateway.site_name = "é".repeat(101);
    s.admin_contacts.push(s.admin_contacts[0].clone());
    let errors = validate_submission(&s);
    assert!(errors.len() >= 3);
    let body = json!({
        "errors": errors.iter().map(|e| ApiError {
            field: e.path.clone(),
            code: e.code,
            message: e.code.as_str().into(),
        }).collect::<Vec<_>>()
    });
    assert_eq!(parse_api_errors(&body.to_string()), Some(errors));
}

// ---------------------------------------------------------------------------------------------
// step_of_path
// ---------------------------------------------------------------------------------------------

#[test]
fn every_path_kind_names_its_step() {
    for (path, step) in [
        ("customer", StepId::Customer),
        ("customer.name", StepId::Customer),
        ("customer.address.postal_code", StepId::Customer),
        ("customer.default_language", StepId::Customer),
        ("admin_contacts", StepId::Customer),
        ("admin_contacts[0].first_name", StepId::Customer),
        ("admin_contacts[12].email", StepId::Customer),
        ("support_contacts", StepId::Customer),
        ("support_contacts[1].role", StepId::Customer),
        ("support_contacts[3].email", StepId::Customer),
        ("gateway", StepId::Gateway),
        ("gateway.platform", StepId::Gateway),
        ("gateway.site_name", StepId::Gateway),
        ("gateway.site_address.street", StepId::Gateway),
        ("gateway.site_address.country", StepId::Gateway),
        ("gateway.mac_address", StepId::Gateway),
        ("pbx", StepId::Pbx),
        ("pbx.host", StepId::Pbx),
        ("pbx.port", StepId::Pbx),
        ("pbx.username", StepId::Pbx),
        ("pbx.password", StepId::Pbx),
        ("pbx.use_tls", StepId::Connect),
        ("pbx.certificate_pem", StepId::Connect),
        ("sync", StepId::Sync),
        ("sync.users", StepId::Sync),
        ("sync.send_welcome_emails", StepId::Sync),
    ] {
        assert_eq!(step_of_path(path), Some(step), "{path}");
    }
}

#[test]
fn paths_outside_every_step_have_none() {
    for path in [
        "",
        "schema_version",
        "draft_id",
        "partner_id",
        "customers.name",
        "gatewayx",
        "pbxs.host",
        "synced",
        "Customer.name",
        ".customer",
        "[0].email",
    ] {
        assert_eq!(step_of_path(path), None, "{path:?}");
    }
}

#[test]
fn every_error_of_a_step_names_a_path_of_that_step() {
    let mut d = valid_draft("mivoice_business");
    d.customer.name.clear();
    d.admin_contacts[0].email = "x".into();
    d.support_contacts.clear();
    d.gateway.site_same_as_customer = false;
    d.gateway.mac_address = "x".into();
    d.pbx = onboarding_core::Pbx {
        port: "0".into(),
        certificate_pem: "x".into(),
        ..Default::default()
    };
    d.sync.users.clear();
    let mut seen = std::collections::HashSet::new();
    for step in StepId::ALL {
        for e in onboarding_core::validate::validate_step(step, &d) {
            assert_eq!(step_of_path(&e.path), Some(step), "{}", e.path);
            seen.insert(step);
        }
    }
    assert_eq!(seen.len(), 5, "every step but Review had errors: {seen:?}");
}

// ---------------------------------------------------------------------------------------------
// ApiError
// ---------------------------------------------------------------------------------------------

#[test]
fn api_error_serialises_flat_with_field_code_message_and_parameters() {
    let e = ApiError {
        field: "customer.name".into(),
        code: ErrorCode::TooLong {
            max: 100,
            len: Some(101),
        },
        message: "Use at most 100 characters".into(),
    };
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        json!({"field": "customer.name", "code": "too_long", "max": 100, "len": 101,
               "message": "Use at most 100 characters"})
    );
    let e = ApiError {
        field: "support_contacts[1].email".into(),
        code: ErrorCode::EmailFormat,
        message: "...".into(),
    };
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        json!({"field": "support_contacts[1].email", "code": "email_format", "message": "..."})
    );
    let e = ApiError {
        field: "support_contacts".into(),
        code: ErrorCode::DuplicateSupportContact { row: 2, first: 0 },
        message: String::new(),
    };
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        json!({"field": "support_contacts", "code": "duplicate_support_contact", "row": 2,
               "first": 0, "message": ""})
    );
}

#[test]
fn api_error_code_is_the_stable_code_string_and_round_trips() {
    for code in every_error_code() {
        let e = ApiError {
            field: "f".into(),
            code,
            message: "m".into(),
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], json!(code.as_str()), "{code:?}");
        assert_eq!(v["field"], json!("f"));
        assert_eq!(v["message"], json!("m"));
        let back: ApiError = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
    }
}

#[test]
fn support_role_keys_are_the_contract_keys() {
    let sent: Vec<String> = SupportRole::ALL
        .into_iter()
        .map(|role| {
            let mut d = valid_draft("smbc");
            d.support_contacts.push(SupportContact {
                id: 9,
                role,
                name: "X".into(),
                email: "x@espiga.es".into(),
            });
            build(&d).support_contacts[2].role.clone()
        })
        .collect();
    assert_eq!(sent, ["maintainer", "onsite_admin", "other"]);
}

#[test]
fn partner_id_is_bounded_single_line_text() {
    let with = |partner_id: Option<String>| {
        let mut s = build(&valid_draft("mivoice_business"));
        s.partner_id = partner_id;
        validate_submission(&s)
            .into_iter()
            .filter(|e| e.path == "partner_id")
            .map(|e| e.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(with(None), vec![]);
    assert_eq!(with(Some("partner-042".into())), vec![]);
    assert_eq!(with(Some("p".repeat(200))), vec![]);
    assert_eq!(
        with(Some("p".repeat(201))),
        vec![ErrorCode::TooLong {
            max: 200,
            len: Some(201)
        }]
    );
    assert_eq!(
        with(Some("part\u{0}ner".into())),
        vec![ErrorCode::ControlCharacters]
    );
    assert_eq!(
        with(Some("<script>alert(1)</script>".into())),
        vec![],
        "markup is data, not a rule"
    );
}
