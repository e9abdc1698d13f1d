//! Country-dependent address rules: which countries exist (ISO 3166-1 alpha-2), which require a
//! state or province, which use postal codes, and the postal-code formats we check.
//! Localised names live in the app's locale files; here only the codes and the rules.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// ISO 3166-1 alpha-2 codes, sorted.
pub const COUNTRY_CODES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// Countries whose addresses need a state, province or territory.
pub const REGION_REQUIRED: &[&str] = &["AU", "BR", "CA", "IN", "MX", "US"];

/// Countries without a national postal-code system: the field is optional there.
pub const NO_POSTAL_CODE: &[&str] = &[
    "AE", "AG", "AO", "AW", "BF", "BI", "BJ", "BO", "BQ", "BS", "BW", "BZ", "CD", "CF", "CG", "CI",
    "CK", "CM", "CW", "DJ", "DM", "ER", "FJ", "GA", "GD", "GH", "GM", "GQ", "GY", "HK", "HM", "KI",
    "KM", "KN", "KP", "LY", "ML", "MO", "MR", "MW", "NR", "NU", "QA", "RW", "SB", "SC", "SL", "SR",
    "SS", "ST", "SX", "SY", "TD", "TF", "TG", "TK", "TL", "TO", "TV", "UG", "VU", "YE", "ZW",
];

pub fn is_country(code: &str) -> bool {
    COUNTRY_CODES.binary_search(&code).is_ok()
}

/// A country of [`COUNTRY_CODES`] as a small `Copy` value, so that error codes can carry it.
/// Serialised as its alpha-2 text (`"DE"`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// The code of a country of [`COUNTRY_CODES`] (exactly as listed: `"es"` is none).
    pub fn new(code: &str) -> Option<Self> {
        let bytes: [u8; 2] = code.as_bytes().try_into().ok()?;
        is_country(code).then_some(CountryCode(bytes))
    }

    pub fn as_str(&self) -> &str {
        // Built only from listed codes, which are ASCII.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl std::fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

impl Serialize for CountryCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        CountryCode::new(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a country code: {text:?}")))
    }
}

/// The form a country's postal codes take, for the error message of a code that does not fit
/// ("Enter a postal code of 5 digits, like 28013").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostalCodeForm {
    /// `count` digits, like `example`; `alternative` is another accepted form, if any (the US
    /// ZIP+4, `12345-6789`).
    Digits {
        count: usize,
        example: &'static str,
        alternative: Option<&'static str>,
    },
    /// Letters and digits in the country's own layout, like `example` (`SW1A 1AA`).
    Pattern { example: &'static str },
}

/// The expected form of postal codes in the countries whose format is checked; `None`
/// elsewhere (any 2 to 12 letters, digits, spaces and dashes pass there).
pub fn postal_code_form(country: &str) -> Option<PostalCodeForm> {
    let digits = |count, example| PostalCodeForm::Digits {
        count,
        example,
        alternative: None,
    };
    Some(match country {
        "US" => PostalCodeForm::Digits {
            count: 5,
            example: "12345",
            alternative: Some("12345-6789"),
        },
        "DE" => digits(5, "10115"),
        "ES" => digits(5, "28013"),
        "FR" => digits(5, "75001"),
        "IT" => digits(5, "00184"),
        "MX" => digits(5, "06600"),
        "AU" => digits(4, "2000"),
        "CA" => PostalCodeForm::Pattern { example: "A1A 1A1" },
        "GB" => PostalCodeForm::Pattern {
            example: "SW1A 1AA",
        },
        "NL" => PostalCodeForm::Pattern { example: "1234 AB" },
        _ => return None,
    })
}

pub fn requires_region(country: &str) -> bool {
    REGION_REQUIRED.contains(&country)
}

pub fn uses_postal_code(country: &str) -> bool {
    !NO_POSTAL_CODE.contains(&country)
}

/// Format patterns: `9` a digit, `A` a letter, anything else itself. Checked against the
/// normalised value.
fn patterns(country: &str) -> Option<&'static [&'static str]> {
    Some(match country {
        "US" => &["99999", "99999-9999"],
        "CA" => &["A9A 9A9"],
        "GB" => &[
            "A9 9AA", "A99 9AA", "AA9 9AA", "AA99 9AA", "A9A 9AA", "AA9A 9AA",
        ],
        "DE" | "ES" | "FR" | "IT" | "MX" => &["99999"],
        "NL" => &["9999 AA"],
        "AU" => &["9999"],
        _ => return None,
    })
}

fn matches(pattern: &str, value: &str) -> bool {
    pattern.len() == value.len()
        && pattern.chars().zip(value.chars()).all(|(p, v)| match p {
            '9' => v.is_ascii_digit(),
            'A' => v.is_ascii_uppercase(),
            _ => p == v,
        })
}

/// Normalises spacing and case the way the country writes its postal codes, or returns `None`
/// when the value is not a postal code of that country. `" sw1a1aa "` in GB → `"SW1A 1AA"`.
pub fn normalize_postal_code(country: &str, raw: &str) -> Option<String> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        // ASCII case only: postal codes are ASCII, and full case mapping would bring core's
        // Unicode case tables into the browser (a non-ASCII letter is refused anyway).
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if country == "GB" {
        if let Some(code) = british_special_postcode(&compact) {
            return Some(code);
        }
    }
    let shaped = match country {
        // The inward code is always the last three characters.
        "CA" | "GB" if compact.len() > 3 && compact.is_ascii() => {
            format!(
                "{} {}",
                &compact[..compact.len() - 3],
                &compact[compact.len() - 3..]
            )
        }
        "NL" if compact.len() > 2 && compact.is_ascii() => {
            format!(
                "{} {}",
                &compact[..compact.len() - 2],
                &compact[compact.len() - 2..]
            )
        }
        "US" if compact.len() == 9 && compact.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{}-{}", &compact[..5], &compact[5..])
        }
        _ => raw
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_uppercase(),
    };
    let valid = match patterns(country) {
        Some(list) => {
            list.iter().any(|p| matches(p, &shaped)) && country_extra_rule(country, &shaped)
        }
        // Elsewhere: letters, digits, spaces and dashes, 2 to 12 characters.
        None => {
            (2..=12).contains(&shaped.chars().count())
                && shaped
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        }
    };
    valid.then_some(shaped)
}

/// GB postcodes outside the outward-inward layout: Girobank's `GIR 0AA`, and British Forces
/// Post Office numbers (`BFPO 801`: 1 to 4 digits). `compact` is upper case without spaces.
fn british_special_postcode(compact: &str) -> Option<String> {
    if compact == "GIR0AA" {
        return Some("GIR 0AA".into());
    }
    let number = compact.strip_prefix("BFPO")?;
    ((1..=4).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("BFPO {number}"))
}

fn country_extra_rule(country: &str, code: &str) -> bool {
    match country {
        // Spanish codes start with a province number 01–52.
        "ES" => code[..2].parse::<u8>().is_ok_and(|p| (1..=52).contains(&p)),
        // Dutch codes never start with 0 and never end in SA, SD or SS.
        "NL" => !code.starts_with('0') && !["SA", "SD", "SS"].contains(&&code[5..]),
        // Canadian codes never use D, F, I, O, Q or U, nor W or Z first.
        "CA" => !code.chars().any(|c| "DFIOQU".contains(c)) && !code.starts_with(['W', 'Z']),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_and_unique() {
        assert!(COUNTRY_CODES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(COUNTRY_CODES.len(), 249);
        assert!(is_country("ES") && !is_country("XK") && !is_country("es"));
    }

    #[test]
    fn valid_codes_of_each_checked_country_normalise() {
        let cases = [
            ("US", "12345", "12345"),
            ("US", "12345-6789", "12345-6789"),
            ("US", "123456789", "12345-6789"),
            ("CA", "k1a0b1", "K1A 0B1"),
            ("CA", " K1A  0B1 ", "K1A 0B1"),
            ("GB", "sw1a1aa", "SW1A 1AA"),
            ("GB", "M1 1AE", "M1 1AE"),
            ("GB", "b338th", "B33 8TH"),
            ("GB", "cr26xh", "CR2 6XH"),
            ("GB", "dn551pt", "DN55 1PT"),
            ("GB", "w1a0ax", "W1A 0AX"),
            ("GB", "gir0aa", "GIR 0AA"),
            ("GB", " GIR  0AA ", "GIR 0AA"),
            ("GB", "BFPO 1234", "BFPO 1234"),
            ("GB", "bfpo  801", "BFPO 801"),
            ("GB", "Bfpo1", "BFPO 1"),
            ("GB", "BFPO57", "BFPO 57"),
            ("DE", "10115", "10115"),
            ("ES", "28013", "28013"),
            ("FR", "75001", "75001"),
            ("IT", "00184", "00184"),
            ("NL", "1234ab", "1234 AB"),
            ("AU", "2000", "2000"),
            ("MX", "06600", "06600"),
            ("SE", "114 55", "114 55"),
        ];
        for (country, raw, want) in cases {
            assert_eq!(
                normalize_postal_code(country, raw).as_deref(),
                Some(want),
                "{country} {raw}"
            );
        }
    }

    #[test]
    fn malformed_codes_are_rejected() {
        let cases = [
            ("US", "1234"),
            ("US", "123456"),
            ("US", "ABCDE"),
            ("CA", "123 456"),
            ("CA", "D1A 0B1"),
            ("GB", "SW1A"),
            ("GB", "1AA SW1"),
            ("GB", "BFPO"),
            ("GB", "BFPO 12345"),
            ("GB", "BFPO 12A"),
            ("GB", "BFPO-801"),
            ("GB", "GIR 0AB"),
            ("US", "BFPO 801"),
            ("US", "GIR 0AA"),
            ("DE", "1011"),
            ("ES", "99999"),
            ("ES", "00123"),
            ("FR", "7500A"),
            ("IT", "001840"),
            ("NL", "0123 AB"),
            ("NL", "1234 SS"),
            ("NL", "12345"),
            ("AU", "20000"),
            ("MX", "0660"),
            ("SE", "<b>"),
            ("SE", "1"),
        ];
        for (country, raw) in cases {
            assert_eq!(normalize_postal_code(country, raw), None, "{country} {raw}");
        }
    }

    #[test]
    fn region_and_postal_requirements() {
        for c in ["US", "CA", "AU", "MX", "BR", "IN"] {
            assert!(requires_region(c));
        }
        assert!(!requires_region("ES") && !requires_region("GB"));
        assert!(uses_postal_code("ES") && !uses_postal_code("AE") && !uses_postal_code("HK"));
        assert!(NO_POSTAL_CODE.iter().all(|c| is_country(c)));
        assert!(REGION_REQUIRED.iter().all(|c| is_country(c)));
    }

    #[test]
    fn every_checked_country_has_a_form_whose_example_is_one_of_its_codes() {
        for country in ["US", "CA", "GB", "DE", "ES", "FR", "IT", "NL", "AU", "MX"] {
            let form = postal_code_form(country).unwrap_or_else(|| panic!("{country}"));
            let examples = match form {
                PostalCodeForm::Digits {
                    count,
                    example,
                    alternative,
                } => {
                    assert_eq!(example.len(), count, "{country}");
                    assert!(example.bytes().all(|b| b.is_ascii_digit()), "{country}");
                    vec![Some(example), alternative]
                }
                PostalCodeForm::Pattern { example } => vec![Some(example)],
            };
            for example in examples.into_iter().flatten() {
                assert_eq!(
                    normalize_postal_code(country, example).as_deref(),
                    Some(example),
                    "{country} {example}"
                );
            }
        }
        assert_eq!(
            postal_code_form("CA"),
            Some(PostalCodeForm::Pattern { example: "A1A 1A1" })
        );
        assert_eq!(
            postal_code_form("US"),
            Some(PostalCodeForm::Digits {
                count: 5,
                example: "12345",
                alternative: Some("12345-6789")
            })
        );
        assert_eq!(postal_code_form("SE"), None);
        assert_eq!(postal_code_form(""), None);
    }

    #[test]
    fn country_codes_are_the_listed_ones_and_serialise_as_text() {
        let de = CountryCode::new("DE").unwrap();
        assert_eq!(de.as_str(), "DE");
        assert_eq!(serde_json::to_value(de).unwrap(), serde_json::json!("DE"));
        assert_eq!(serde_json::from_str::<CountryCode>("\"DE\"").unwrap(), de);
        for bad in ["", "de", "XX", "DEU", "É", " DE"] {
            assert_eq!(CountryCode::new(bad), None, "{bad:?}");
        }
        assert!(serde_json::from_str::<CountryCode>("\"XX\"").is_err());
        assert!(COUNTRY_CODES
            .iter()
            .all(|c| CountryCode::new(c).unwrap().as_str() == *c));
    }
}
