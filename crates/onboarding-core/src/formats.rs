//! Formats of the Gateway, PBX and Connect fields: how partners type them, and the one form in
//! which they are stored and sent.

use std::net::{Ipv4Addr, Ipv6Addr};

/// `aa-bb-cc-dd-ee-ff`, `AABBCCDDEEFF`, `Aa:bB:…` or Cisco's `aabb.ccdd.eeff` →
/// `AA:BB:CC:DD:EE:FF`; one separator kind throughout, or none.
pub fn normalize_mac(value: &str) -> Option<String> {
    let value = value.trim();
    let digits: String = match value.len() {
        12 => value.to_string(),
        // Cisco: three groups of four, separated by dots.
        14 => {
            let groups: Vec<&str> = value.split('.').collect();
            if groups.len() != 3 || groups.iter().any(|g| g.len() != 4) {
                return None;
            }
            groups.concat()
        }
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

/// A PEM boundary: `-----BEGIN <label>-----` or `-----END <label>-----`, found leniently (three
/// or more dashes before, any case, any spaces in the label, trailing dashes missing; a single
/// dash, as in `front-end key`, is prose).
struct PemMarker {
    begin: bool,
    /// Byte offsets in the text: the first dash, and just past the trailing dashes (or the
    /// label's end when they are missing).
    start: usize,
    end: usize,
    private_key: bool,
}

/// Every BEGIN and END marker of `text`, in order.
fn pem_markers(text: &str) -> Vec<PemMarker> {
    // ASCII lower-casing keeps byte offsets, so they index `text` as well.
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut markers = Vec::new();
    let mut from = 0;
    while let Some(found) = lower[from..].find('-') {
        let dash = from + found;
        let mut at = dash;
        while at < bytes.len() && bytes[at] == b'-' {
            at += 1;
        }
        from = at;
        if at - dash < 3 {
            continue;
        }
        let rest = &lower[at..];
        let (begin, keyword) = if rest.starts_with("begin") {
            (true, "begin".len())
        } else if rest.starts_with("end") {
            (false, "end".len())
        } else {
            continue;
        };
        let label_start = at + keyword;
        if !matches!(bytes.get(label_start), Some(b' ' | b'\t')) {
            continue;
        }
        // The label runs to the trailing dashes, or to the line's end when they are missing
        // (a key pasted on one line without them still shows its label).
        let label_end = lower[label_start..]
            .find(['-', '\n', '\r'])
            .map_or(lower.len(), |i| label_start + i);
        let label: Vec<&str> = lower[label_start..label_end].split_whitespace().collect();
        // At most five trailing dashes: more belong to the next marker when blocks are pasted
        // without a line break between them (`-----END …----------BEGIN …`).
        let mut end = label_end;
        while end < bytes.len() && end - label_end < 5 && bytes[end] == b'-' {
            end += 1;
        }
        markers.push(PemMarker {
            begin,
            start: dash,
            end,
            // `PRIVATE KEY`, `RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `OPENSSH PRIVATE
            // KEY`, … and PGP's `PRIVATE KEY BLOCK`: a secret whatever comes before.
            private_key: label.join(" ").contains("private key"),
        });
        from = end;
    }
    markers
}

/// The byte ranges of `text` that hold private-key material: from each private key's BEGIN
/// marker to its END marker, or, when the END line is missing (a half-pasted key), to the next
/// BEGIN marker or the end of the text. An END marker of a private key with no BEGIN before it
/// (the top of the key not pasted) takes everything back to the previous block's END.
fn private_key_ranges(text: &str) -> Vec<(usize, usize)> {
    let markers = pem_markers(text);
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (i, m) in markers.iter().enumerate() {
        if !m.private_key {
            continue;
        }
        let range = if m.begin {
            let end = match markers.get(i + 1) {
                Some(next) if next.begin => next.start,
                Some(next) => next.end,
                None => text.len(),
            };
            (m.start, end)
        } else {
            let start = match i.checked_sub(1).map(|p| &markers[p]) {
                // Its own BEGIN: already taken with it.
                Some(prev) if prev.begin && prev.private_key => continue,
                Some(prev) if prev.begin => prev.start,
                Some(prev) => prev.end,
                None => 0,
            };
            (start, m.end)
        };
        match ranges.last_mut() {
            Some(last) if range.0 <= last.1 => last.1 = last.1.max(range.1),
            _ => ranges.push(range),
        }
    }
    ranges
}

/// True when `text` holds a private key, whole or in part (see [`without_private_keys`]).
pub fn holds_private_key(text: &str) -> bool {
    !private_key_ranges(text).is_empty()
}

/// `text` with every private-key PEM block removed (labels ending in `PRIVATE KEY`: PKCS#8,
/// RSA, EC, DSA, encrypted, OpenSSH; headers such as `Proc-Type` go with their block), or
/// `None` when it holds no private key. Certificates and other text are kept, each remaining
/// piece trimmed and the pieces joined by a line break. Partners paste a key with its
/// certificate by mistake; the key must never be stored nor sent.
pub fn without_private_keys(text: &str) -> Option<String> {
    let ranges = private_key_ranges(text);
    if ranges.is_empty() {
        return None;
    }
    let mut pieces = Vec::with_capacity(ranges.len() + 1);
    let mut kept_from = 0;
    for (start, end) in ranges {
        pieces.push(text[kept_from..start].trim());
        kept_from = end;
    }
    pieces.push(text[kept_from..].trim());
    pieces.retain(|p| !p.is_empty());
    Some(pieces.join("\n"))
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
            "aabb.ccdd.eeff",
            "AABB.CCDD.EEFF",
            " AaBb.cCdD.EeFf\n",
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
            "AABB.CCDD.EEF",
            "AABB.CCDD.EEFFF",
            "AAB.BCCDD.EEFF",
            "AABB:CCDD:EEFF",
            "AABB-CCDD-EEFF",
            "AABB.CCDD:EEFF",
            "AABB.CCDD.EEFG",
            "AABB..CCDDEEFF",
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
