//! States, provinces and territories of the countries whose addresses are checked against a
//! closed list: US, CA, AU and MX. Codes are ISO 3166-2 subdivision codes without the country
//! prefix (`US-CA` → `CA`); names are proper nouns, the same in every interface language.
//! Elsewhere the region stays free text.
//!
//! Decisions:
//! - US: the 50 states, the District of Columbia (Washington's addresses name it as their
//!   state) and the five inhabited territories (AS, GU, MP, PR, VI), which US mail addresses
//!   as states of the US even though ISO 3166-1 also lists them as countries. The military
//!   "states" (AA, AE, AP) and the uninhabited Minor Outlying Islands (UM) are left out: no
//!   customer site is there.
//! - MX: the names Mexicans write on addresses, which are the official short forms: Coahuila,
//!   Michoacán and Veracruz rather than their long constitutional names, and "Estado de México"
//!   for the state ISO calls "México", so that it cannot be mistaken for the country.

/// One state, province or territory: its code (what is stored and sent) and its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub code: &'static str,
    pub name: &'static str,
}

const fn r(code: &'static str, name: &'static str) -> Region {
    Region { code, name }
}

/// Sorted by name, as a `<select>` lists them.
const US: &[Region] = &[
    r("AL", "Alabama"),
    r("AK", "Alaska"),
    r("AS", "American Samoa"),
    r("AZ", "Arizona"),
    r("AR", "Arkansas"),
    r("CA", "California"),
    r("CO", "Colorado"),
    r("CT", "Connecticut"),
    r("DE", "Delaware"),
    r("DC", "District of Columbia"),
    r("FL", "Florida"),
    r("GA", "Georgia"),
    r("GU", "Guam"),
    r("HI", "Hawaii"),
    r("ID", "Idaho"),
    r("IL", "Illinois"),
    r("IN", "Indiana"),
    r("IA", "Iowa"),
    r("KS", "Kansas"),
    r("KY", "Kentucky"),
    r("LA", "Louisiana"),
    r("ME", "Maine"),
    r("MD", "Maryland"),
    r("MA", "Massachusetts"),
    r("MI", "Michigan"),
    r("MN", "Minnesota"),
    r("MS", "Mississippi"),
    r("MO", "Missouri"),
    r("MT", "Montana"),
    r("NE", "Nebraska"),
    r("NV", "Nevada"),
    r("NH", "New Hampshire"),
    r("NJ", "New Jersey"),
    r("NM", "New Mexico"),
    r("NY", "New York"),
    r("NC", "North Carolina"),
    r("ND", "North Dakota"),
    r("MP", "Northern Mariana Islands"),
    r("OH", "Ohio"),
    r("OK", "Oklahoma"),
    r("OR", "Oregon"),
    r("PA", "Pennsylvania"),
    r("PR", "Puerto Rico"),
    r("RI", "Rhode Island"),
    r("SC", "South Carolina"),
    r("SD", "South Dakota"),
    r("TN", "Tennessee"),
    r("TX", "Texas"),
    r("VI", "U.S. Virgin Islands"),
    r("UT", "Utah"),
    r("VT", "Vermont"),
    r("VA", "Virginia"),
    r("WA", "Washington"),
    r("WV", "West Virginia"),
    r("WI", "Wisconsin"),
    r("WY", "Wyoming"),
];

const CA: &[Region] = &[
    r("AB", "Alberta"),
    r("BC", "British Columbia"),
    r("MB", "Manitoba"),
    r("NB", "New Brunswick"),
    r("NL", "Newfoundland and Labrador"),
    r("NT", "Northwest Territories"),
    r("NS", "Nova Scotia"),
    r("NU", "Nunavut"),
    r("ON", "Ontario"),
    r("PE", "Prince Edward Island"),
    r("QC", "Quebec"),
    r("SK", "Saskatchewan"),
    r("YT", "Yukon"),
];

const AU: &[Region] = &[
    r("ACT", "Australian Capital Territory"),
    r("NSW", "New South Wales"),
    r("NT", "Northern Territory"),
    r("QLD", "Queensland"),
    r("SA", "South Australia"),
    r("TAS", "Tasmania"),
    r("VIC", "Victoria"),
    r("WA", "Western Australia"),
];

const MX: &[Region] = &[
    r("AGU", "Aguascalientes"),
    r("BCN", "Baja California"),
    r("BCS", "Baja California Sur"),
    r("CAM", "Campeche"),
    r("CHP", "Chiapas"),
    r("CHH", "Chihuahua"),
    r("CMX", "Ciudad de México"),
    r("COA", "Coahuila"),
    r("COL", "Colima"),
    r("DUR", "Durango"),
    r("MEX", "Estado de México"),
    r("GUA", "Guanajuato"),
    r("GRO", "Guerrero"),
    r("HID", "Hidalgo"),
    r("JAL", "Jalisco"),
    r("MIC", "Michoacán"),
    r("MOR", "Morelos"),
    r("NAY", "Nayarit"),
    r("NLE", "Nuevo León"),
    r("OAX", "Oaxaca"),
    r("PUE", "Puebla"),
    r("QUE", "Querétaro"),
    r("ROO", "Quintana Roo"),
    r("SLP", "San Luis Potosí"),
    r("SIN", "Sinaloa"),
    r("SON", "Sonora"),
    r("TAB", "Tabasco"),
    r("TAM", "Tamaulipas"),
    r("TLA", "Tlaxcala"),
    r("VER", "Veracruz"),
    r("YUC", "Yucatán"),
    r("ZAC", "Zacatecas"),
];

/// The regions of a country (alpha-2) whose region is a closed list, sorted by name; `None`
/// for every other country, whose region is free text.
pub fn of(country: &str) -> Option<&'static [Region]> {
    match country {
        "US" => Some(US),
        "CA" => Some(CA),
        "AU" => Some(AU),
        "MX" => Some(MX),
        _ => None,
    }
}

/// The region of `country` that `typed` names, by code or by full name, ignoring case, accents
/// and extra spaces (`" nuevo   leon "` → NLE). Abbreviations like `Calif.` are not names.
pub fn find(country: &str, typed: &str) -> Option<&'static Region> {
    let key = match_key(typed);
    of(country)?
        .iter()
        .find(|r| match_key(r.code) == key || match_key(r.name) == key)
}

/// How a region is stored and sent: the code where the country has a list (`None` when the
/// text names none of its regions), else the text trimmed.
pub fn normalize_region(country: &str, typed: &str) -> Option<String> {
    match of(country) {
        Some(_) => find(country, typed).map(|r| r.code.to_string()),
        None => Some(typed.trim().to_string()),
    }
}

/// Lower case, words separated by one space, and the accents of the names above dropped, so
/// that `Queretaro` typed on a keyboard without accents still finds Querétaro.
fn match_key(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .join(" ")
        .chars()
        // ASCII case and the accented vowels of these names in either case, by hand: full
        // case mapping would bring core's Unicode case tables into the browser.
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => 'a',
            'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_has_unique_codes_and_names_sorted_by_name() {
        for country in ["US", "CA", "AU", "MX"] {
            let list = of(country).unwrap();
            let keys = |f: fn(&Region) -> &str| {
                let mut k: Vec<String> = list.iter().map(|r| match_key(f(r))).collect();
                k.sort();
                k.dedup();
                k.len()
            };
            assert_eq!(keys(|r| r.code), list.len(), "{country} codes");
            assert_eq!(keys(|r| r.name), list.len(), "{country} names");
            assert!(
                list.windows(2)
                    .all(|w| match_key(w[0].name) < match_key(w[1].name)),
                "{country} is not sorted by name"
            );
            // No code of one region is the name of another.
            for r in list {
                assert_eq!(find(country, r.code), Some(r));
                assert_eq!(find(country, r.name), Some(r));
                assert!(r
                    .code
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
            }
        }
        let counts: Vec<usize> = ["US", "CA", "AU", "MX"]
            .iter()
            .map(|c| of(c).unwrap().len())
            .collect();
        assert_eq!(counts, [56, 13, 8, 32]);
        for country in ["ES", "BR", "IN", "GB", "", "us"] {
            assert_eq!(of(country), None, "{country}");
        }
    }

    #[test]
    fn codes_and_names_are_found_in_any_case_spacing_and_accents() {
        for (country, typed, code) in [
            ("US", "california", "CA"),
            ("US", " CA ", "CA"),
            ("US", "ca", "CA"),
            ("US", "new   york", "NY"),
            ("US", "District Of Columbia", "DC"),
            ("US", "puerto rico", "PR"),
            ("CA", "Ontario", "ON"),
            ("CA", "on", "ON"),
            ("CA", "québec", "QC"),
            ("AU", "NEW SOUTH WALES", "NSW"),
            ("AU", "nsw", "NSW"),
            ("AU", "\tVictoria\n", "VIC"),
            ("MX", "Nuevo León", "NLE"),
            ("MX", "nuevo leon", "NLE"),
            ("MX", "NLE", "NLE"),
            ("MX", "ciudad de mexico", "CMX"),
            ("MX", "YUCATÁN", "YUC"),
            ("MX", "San Luis Potosi", "SLP"),
        ] {
            assert_eq!(
                normalize_region(country, typed).as_deref(),
                Some(code),
                "{country} {typed:?}"
            );
        }
    }

    #[test]
    fn anything_else_is_no_region_of_a_listed_country() {
        for (country, typed) in [
            ("US", "Calif."),
            ("US", "Cal"),
            ("US", "Ontario"),
            ("US", "US-CA"),
            ("US", ""),
            ("CA", "NY"),
            ("AU", "Western Aus"),
            ("MX", "Nuevo"),
            ("MX", "México"),
            ("MX", "N L E"),
        ] {
            assert_eq!(
                normalize_region(country, typed),
                None,
                "{country} {typed:?}"
            );
        }
    }

    #[test]
    fn other_countries_keep_free_text_trimmed() {
        assert_eq!(
            normalize_region("ES", "  Comunidad de Madrid "),
            Some("Comunidad de Madrid".into())
        );
        assert_eq!(normalize_region("BR", "SP"), Some("SP".into()));
        assert_eq!(normalize_region("", "x"), Some("x".into()));
    }
}
