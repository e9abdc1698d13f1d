//! Formats of the Gateway, PBX and Connect fields: how partners type them, and the one form in
//! which they are stored and sent.

use std::net::{Ipv4Addr, Ipv6Addr};

/// `aa-bb-cc-dd-ee-ff`, `AABBCCDDEEFF` or `Aa:bB:…` → `AA:BB:CC:DD:EE:FF`; one separator kind
/// throughout, or none.
pub fn normalize_mac(value: &str) -> Option<String> {
    let value = value.trim();
    let digits: String = match value.len() {
        12 => value.to_string(),
        17 => {
            let sep = value.as_bytes()[2];
            if sep != b':' && sep != b'-' {
                return None;
            }
            let mut digits = String::with_capacity(12);
            for (i, c) in value.chars().enumerate() {
                if i % 3 == 2 {
                    if c as u32 != u32::from(sep) {
                        return None;
                    }
                } else {
                    digits.push(c);
                }
            }
            digits
        }
        _ => return None,
    };
    if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let upper = digits.to_ascii_uppercase();
    let pairs: Vec<&str> = (0..6).map(|i| &upper[i * 2..i * 2 + 2]).collect();
    Some(pairs.join(":"))
}

/// An IPv4 address, an IPv6 address (bare or in brackets) or a host name of letter-digit-hyphen
/// labels (an internationalised name in Unicode is accepted too).
pub fn is_valid_host(value: &str) -> bool {
    let value = value.trim();
    if value.parse::<Ipv4Addr>().is_ok() || value.parse::<Ipv6Addr>().is_ok() {
        return true;
    }
    if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        return inner.parse::<Ipv6Addr>().is_ok();
    }
    let name = value.strip_suffix('.').unwrap_or(value);
    // All-digit dotted names are mistyped IPv4 addresses, not host names.
    let looks_numeric = name
        .split('.')
        .all(|l| l.bytes().all(|b| b.is_ascii_digit()));
    !name.is_empty()
        && name.len() <= 253
        && !looks_numeric
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.chars().count() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// A typed port that is not a whole number from 1 to 65535.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotAPort;

/// The port as typed: empty is "not given"; otherwise a whole number from 1 to 65535.
pub fn parse_port(value: &str) -> Result<Option<u16>, NotAPort> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) || value.len() > 5 {
        return Err(NotAPort);
    }
    match value.parse::<u16>() {
        Ok(0) | Err(_) => Err(NotAPort),
        Ok(port) => Ok(Some(port)),
    }
}

const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";

/// One or more PEM `CERTIFICATE` blocks (a chain), nothing else but whitespace around them;
/// each body is base64 of a DER SEQUENCE.
pub fn is_valid_certificate_pem(value: &str) -> bool {
    let mut rest = value.trim();
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(after_begin) = rest.strip_prefix(BEGIN) else {
            return false;
        };
        let Some(end) = after_begin.find(END) else {
            return false;
        };
        if !is_der_sequence_base64(&after_begin[..end]) {
            return false;
        }
        rest = after_begin[end + END.len()..].trim_start();
    }
    true
}

/// Base64 (standard alphabet, padded, line breaks allowed) whose first byte is 0x30.
fn is_der_sequence_base64(body: &str) -> bool {
    let chars: Vec<u8> = body.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if chars.len() < 4 || chars.len() % 4 != 0 {
        return false;
    }
    let padding = chars.iter().rev().take_while(|&&b| b == b'=').count();
    if padding > 2 {
        return false;
    }
    let data = &chars[..chars.len() - padding];
    let value = |b: u8| match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    if !data.iter().all(|&b| value(b).is_some()) {
        return false;
    }
    // The first byte is the top 6 bits of the first char and the top 2 of the second.
    let first = (value(data[0]).unwrap_or(0) << 2) | (value(data[1]).unwrap_or(0) >> 4);
    first == 0x30
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_addresses_in_every_accepted_spelling() {
        for v in [
            "AA:BB:CC:DD:EE:FF",
            "aa-bb-cc-dd-ee-ff",
            "aabbccddeeff",
            " Aa:bB:cC:Dd:eE:Ff ",
        ] {
            assert_eq!(
                normalize_mac(v).as_deref(),
                Some("AA:BB:CC:DD:EE:FF"),
                "{v}"
            );
        }
        for v in [
            "",
            "AA:BB:CC:DD:EE",
            "AA:BB-CC:DD:EE:FF",
            "GG:BB:CC:DD:EE:FF",
            "AABB.CCDD.EEFF",
            "AA BB CC DD EE FF",
            "AA:BB:CC:DD:EE:FF:00",
            "ééééééé",
        ] {
            assert_eq!(normalize_mac(v), None, "{v}");
        }
    }

    #[test]
    fn hosts() {
        for v in [
            "192.0.2.10",
            "2001:db8::1",
            "[2001:db8::1]",
            "pbx.example.com",
            "pbx",
            "pbx-1.example.com.",
            "münchen.example",
        ] {
            assert!(is_valid_host(v), "{v}");
        }
        for v in [
            "",
            "pbx..example",
            "-pbx.example",
            "pbx_1.example",
            "256.1.1.1",
            "1.2.3",
            "http://pbx",
            "pbx example",
            "a:b",
            &"a".repeat(64),
        ] {
            assert!(!is_valid_host(v), "{v}");
        }
    }

    #[test]
    fn ports() {
        assert_eq!(parse_port(""), Ok(None));
        assert_eq!(parse_port(" 443 "), Ok(Some(443)));
        assert_eq!(parse_port("1"), Ok(Some(1)));
        assert_eq!(parse_port("65535"), Ok(Some(65535)));
        for v in ["0", "65536", "-1", "+5", "4.5", "abc", "0000443"] {
            assert_eq!(parse_port(v), Err(NotAPort), "{v}");
        }
    }

    #[test]
    fn certificates() {
        let cert =
            "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUVjIw\n-----END CERTIFICATE-----";
        assert!(is_valid_certificate_pem(cert));
        assert!(is_valid_certificate_pem(&format!("  {cert}\n{cert}\n")));
        for v in [
            "",
            "MIIBszCCAVmgAwIBAgIUVjIw",
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----\nMIIB*zCC\n-----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
            "-----BEGIN PRIVATE KEY-----\nMIIBszCCAVmgAwIBAgIUVjIw\n-----END PRIVATE KEY-----",
            "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUVjIw\n",
        ] {
            assert!(!is_valid_certificate_pem(v), "{v}");
        }
        assert!(!is_valid_certificate_pem(&format!("{cert}\ntrailing text")));
    }
}
