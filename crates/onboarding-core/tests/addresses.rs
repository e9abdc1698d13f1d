//! The address rules added for regions and postal-code forms: US, CA, AU and MX choose their
//! region from a list (code or name, stored as the code), a postal-code error names the country
//! whose form was expected, and GB accepts GIR 0AA and BFPO numbers.

use onboarding_core::countries::{
    normalize_postal_code, postal_code_form, CountryCode, PostalCodeForm, COUNTRY_CODES,
    REGION_REQUIRED,
};
use onboarding_core::payload::submitted_address;
use onboarding_core::regions::{self, Region};
use onboarding_core::validate::{validate_customer_info, validate_gateway};
use onboarding_core::{Address, Customer, ErrorCode, FieldError, Gateway};
use proptest::prelude::*;
use proptest::sample::select;

const LISTED: [&str; 4] = ["US", "CA", "AU", "MX"];

fn customer(country: &str, region: &str, postal: &str) -> Customer {
    Customer {
        name: "Acme".into(),
        business_type: "retail".into(),
        default_language: String::new(),
        address: Address {
            street: "1 Main St".into(),
            street2: String::new(),
            city: "Springfield".into(),
            region: region.into(),
            postal_code: postal.into(),
            country: country.into(),
        },
    }
}

fn postal_of(country: &str) -> &'static str {
    match country {
        "US" => "94105",
        "CA" => "K1A 0B1",
        "AU" => "2000",
        "MX" => "64000",
        "GB" => "SW1A 1AA",
        _ => "12345",
    }
}

fn errs(c: &Customer) -> Vec<(String, ErrorCode)> {
    validate_customer_info(c)
        .into_iter()
        .map(|e| (e.path, e.code))
        .collect()
}

fn one(path: &str, code: ErrorCode) -> Vec<(String, ErrorCode)> {
    vec![(path.to_string(), code)]
}

// ---------------------------------------------------------------------------------------------
// Regions
// ---------------------------------------------------------------------------------------------

#[test]
fn listed_countries_require_a_region_of_their_list() {
    for country in LISTED {
        assert!(REGION_REQUIRED.contains(&country));
        let postal = postal_of(country);
        assert_eq!(
            errs(&customer(country, " ", postal)),
            one("customer.address.region", ErrorCode::Required),
            "{country}"
        );
        for unknown in ["Somewhere", "Calif.", "XX", "Texas Hill Country"] {
            assert_eq!(
                errs(&customer(country, unknown, postal)),
                one("customer.address.region", ErrorCode::InvalidChoice),
                "{country} {unknown}"
            );
        }
        for r in regions::of(country).unwrap() {
            for typed in [
                r.code.to_string(),
                r.name.to_string(),
                r.name.to_uppercase(),
                r.code.to_lowercase(),
                format!("  {}  ", r.name.replace(' ', "   ")),
            ] {
                assert_eq!(
                    errs(&customer(country, &typed, postal)),
                    vec![],
                    "{country} {typed:?}"
                );
            }
        }
    }
}

#[test]
fn a_region_of_another_country_is_not_one_of_this_country() {
    // WA is Washington in the US and Western Australia in AU; NT is in both CA and AU.
    assert_eq!(regions::find("US", "WA").unwrap().name, "Washington");
    assert_eq!(regions::find("AU", "WA").unwrap().name, "Western Australia");
    assert_eq!(
        errs(&customer("US", "Ontario", "94105")),
        one("customer.address.region", ErrorCode::InvalidChoice)
    );
    assert_eq!(
        errs(&customer("CA", "New South Wales", "K1A 0B1")),
        one("customer.address.region", ErrorCode::InvalidChoice)
    );
}

#[test]
fn other_countries_keep_free_text_regions() {
    for (country, region) in [
        ("BR", "SP"),
        ("IN", "Karnataka"),
        ("ES", "Aragón"),
        ("GB", ""),
    ] {
        assert_eq!(
            errs(&customer(country, region, postal_of(country))),
            vec![],
            "{country}"
        );
        assert_eq!(regions::of(country), None);
    }
}

#[test]
fn the_site_address_follows_the_same_region_rule() {
    let mut g = Gateway {
        platform: "mivoice_business".into(),
        site_name: "HQ".into(),
        site_same_as_customer: false,
        site_address: customer("MX", "Jalisco", "44100").address,
        mac_address: "00:1A:2B:3C:4D:5E".into(),
    };
    assert_eq!(validate_gateway(&g), vec![]);
    g.site_address.region = "Guadalajara".into();
    assert_eq!(
        validate_gateway(&g),
        vec![FieldError::new(
            "gateway.site_address.region",
            ErrorCode::InvalidChoice
        )]
    );
}

#[test]
fn the_lists_hold_the_usual_regions_with_iso_codes() {
    let code_of = |country: &str, name: &str| {
        regions::of(country)
            .unwrap()
            .iter()
            .find(|r| r.name == name)
            .map(|r| r.code)
    };
    assert_eq!(code_of("US", "California"), Some("CA"));
    assert_eq!(code_of("US", "District of Columbia"), Some("DC"));
    assert_eq!(code_of("US", "Puerto Rico"), Some("PR"));
    assert_eq!(code_of("CA", "Ontario"), Some("ON"));
    assert_eq!(code_of("CA", "Quebec"), Some("QC"));
    assert_eq!(code_of("AU", "New South Wales"), Some("NSW"));
    assert_eq!(code_of("AU", "Australian Capital Territory"), Some("ACT"));
    assert_eq!(code_of("MX", "Nuevo León"), Some("NLE"));
    assert_eq!(code_of("MX", "Ciudad de México"), Some("CMX"));
    assert_eq!(code_of("MX", "Estado de México"), Some("MEX"));
    assert_eq!(code_of("MX", "Yucatán"), Some("YUC"));
    let total: usize = LISTED.iter().map(|c| regions::of(c).unwrap().len()).sum();
    assert_eq!(total, 56 + 13 + 8 + 32);
}

fn region_of_a_listed_country() -> impl Strategy<Value = (&'static str, Region)> {
    select(LISTED.to_vec()).prop_flat_map(|country| {
        select(regions::of(country).unwrap().to_vec()).prop_map(move |r| (country, r))
    })
}

/// Each character in upper or lower case as `flips` says, and each space widened.
fn respelled(text: &str, flips: &[bool], spaces: &str) -> String {
    text.chars()
        .zip(flips.iter().cycle())
        .map(|(c, &up)| match (c, up) {
            (' ', _) => spaces.to_string(),
            (c, true) => c.to_uppercase().collect(),
            (c, false) => c.to_lowercase().collect(),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any case and spacing of a region's code or name passes, and is stored and sent as the
    /// code, on the customer address and on the site address alike.
    #[test]
    fn any_spelling_of_a_region_is_accepted_and_sent_as_its_code(
        (country, region) in region_of_a_listed_country(),
        by_name in any::<bool>(),
        flips in prop::collection::vec(any::<bool>(), 1..8),
        // Inside a single-line answer a tab is a control character: only spaces widen.
        spaces in "[ ]{1,3}",
        left in "[ \t]{0,2}",
        right in "[ \t]{0,2}",
    ) {
        let text = if by_name { region.name } else { region.code };
        let typed = format!("{left}{}{right}", respelled(text, &flips, &spaces));
        let c = customer(country, &typed, postal_of(country));
        prop_assert_eq!(errs(&c), vec![], "{} {:?}", country, typed);
        prop_assert_eq!(submitted_address(&c.address).region, region.code.to_string());
        prop_assert_eq!(regions::normalize_region(country, &typed), Some(region.code.to_string()));
    }

    /// The rule and the normaliser never disagree: a region passes exactly when it normalises.
    #[test]
    fn a_region_passes_exactly_when_it_names_one(
        country in select(LISTED.to_vec()),
        typed in prop_oneof![
            "[A-Za-z ]{0,12}",
            any::<String>(),
            region_of_a_listed_country().prop_map(|(_, r)| r.name.to_string()),
        ],
    ) {
        let c = customer(country, &typed, postal_of(country));
        let region_errors: Vec<ErrorCode> = validate_customer_info(&c)
            .into_iter()
            .filter(|e| e.path == "customer.address.region")
            .map(|e| e.code)
            .collect();
        let normalised = regions::normalize_region(country, &typed);
        if region_errors.is_empty() {
            prop_assert!(normalised.is_some(), "{:?}", typed);
        } else if region_errors == [ErrorCode::InvalidChoice] {
            prop_assert!(normalised.is_none(), "{:?}", typed);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Postal codes: the form named by the error, GB's special codes
// ---------------------------------------------------------------------------------------------

#[test]
fn a_postal_code_error_names_the_country_and_the_country_gives_the_form() {
    let cases: [(&str, &str, PostalCodeForm); 10] = [
        (
            "DE",
            "1011",
            PostalCodeForm::Digits {
                count: 5,
                example: "10115",
                alternative: None,
            },
        ),
        (
            "ES",
            "2801",
            PostalCodeForm::Digits {
                count: 5,
                example: "28013",
                alternative: None,
            },
        ),
        (
            "FR",
            "7500A",
            PostalCodeForm::Digits {
                count: 5,
                example: "75001",
                alternative: None,
            },
        ),
        (
            "IT",
            "001840",
            PostalCodeForm::Digits {
                count: 5,
                example: "00184",
                alternative: None,
            },
        ),
        (
            "US",
            "1234",
            PostalCodeForm::Digits {
                count: 5,
                example: "12345",
                alternative: Some("12345-6789"),
            },
        ),
        (
            "MX",
            "0660",
            PostalCodeForm::Digits {
                count: 5,
                example: "06600",
                alternative: None,
            },
        ),
        (
            "AU",
            "20000",
            PostalCodeForm::Digits {
                count: 4,
                example: "2000",
                alternative: None,
            },
        ),
        (
            "CA",
            "123 456",
            PostalCodeForm::Pattern { example: "A1A 1A1" },
        ),
        (
            "GB",
            "SW1A",
            PostalCodeForm::Pattern {
                example: "SW1A 1AA",
            },
        ),
        (
            "NL",
            "12345",
            PostalCodeForm::Pattern { example: "1234 AB" },
        ),
    ];
    for (country, bad, form) in cases {
        let region = regions::of(country).map_or("", |list| list[0].code);
        let errors = validate_customer_info(&customer(country, region, bad));
        assert_eq!(
            errors,
            vec![FieldError::new(
                "customer.address.postal_code",
                ErrorCode::PostalCodeFormat {
                    country: CountryCode::new(country)
                }
            )],
            "{country} {bad}"
        );
        let ErrorCode::PostalCodeFormat {
            country: Some(named),
        } = errors[0].code
        else {
            panic!("{country}: no country named");
        };
        assert_eq!(named.as_str(), country);
        // The UI words the message from the error alone.
        assert_eq!(postal_code_form(named.as_str()), Some(form), "{country}");
    }
    // A country whose codes are checked loosely is named; it has no form to give.
    let errors = validate_customer_info(&customer("SE", "", "<b>"));
    assert_eq!(
        errors[0].code,
        ErrorCode::PostalCodeFormat {
            country: CountryCode::new("SE")
        }
    );
    assert_eq!(postal_code_form("SE"), None);
}

#[test]
fn gb_accepts_girobank_and_forces_post_codes_in_any_case_and_spacing() {
    for (typed, sent) in [
        ("GIR 0AA", "GIR 0AA"),
        ("gir0aa", "GIR 0AA"),
        ("  Gir   0aa ", "GIR 0AA"),
        ("BFPO 1234", "BFPO 1234"),
        ("BFPO 801", "BFPO 801"),
        ("bfpo  801", "BFPO 801"),
        ("bfpo1", "BFPO 1"),
        ("B F P O 57", "BFPO 57"),
    ] {
        assert_eq!(
            normalize_postal_code("GB", typed).as_deref(),
            Some(sent),
            "{typed:?}"
        );
        let c = customer("GB", "", typed);
        assert_eq!(errs(&c), vec![], "{typed:?}");
        assert_eq!(submitted_address(&c.address).postal_code, sent);
    }
    for typed in [
        "BFPO",
        "BFPO 12345",
        "BFPO 8O1",
        "BFPO-801",
        "GIR 0AB",
        "GIR",
        "BFP 801",
    ] {
        assert_eq!(normalize_postal_code("GB", typed), None, "{typed:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every BFPO number of 1 to 4 digits, however it is spaced and cased, is GB's and only GB's.
    #[test]
    fn bfpo_numbers_normalise_in_gb_only(
        number in "[0-9]{1,4}",
        flips in prop::collection::vec(any::<bool>(), 4),
        gap in "[ ]{0,3}",
        country in select(COUNTRY_CODES.to_vec()),
    ) {
        let word: String = "bfpo"
            .chars()
            .zip(&flips)
            .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c })
            .collect();
        let typed = format!("{word}{gap}{number}");
        let n = normalize_postal_code("GB", &typed);
        prop_assert_eq!(n.clone(), Some(format!("BFPO {number}")));
        // Normalised, it stays as it is.
        prop_assert_eq!(normalize_postal_code("GB", &n.unwrap()), Some(format!("BFPO {number}")));
        if postal_code_form(country).is_some() && country != "GB" {
            prop_assert_eq!(normalize_postal_code(country, &typed), None, "{}", country);
        }
    }
}
