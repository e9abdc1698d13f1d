//! Country-dependent address rules: which countries exist (ISO 3166-1 alpha-2), which require a
//! state or province, which use postal codes, and the postal-code formats we check.
//! Localised names live in the app's locale files; here only the codes and the rules.

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
        .flat_map(char::to_uppercase)
        .collect();
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
            .to_uppercase(),
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
}
