//! Partner sessions as the wizard sees them (contract: Partners and sessions): what the answer
//! of `GET {api_base_url}/session` means, what a `401` says, when to ask the host for a fresh
//! session, and which partner's drafts the device shows. Plain functions; the browser shell
//! does the requests and the timers.

/// A session token, kept in memory only. Its `Debug` never shows the token, so no log or panic
/// message can carry it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// `None` for an empty or absurd value (a host bug), which would only be refused later.
    pub fn new(token: &str) -> Option<SessionToken> {
        let token = token.trim();
        let plausible = !token.is_empty() && token.len() <= 4096 && token.bytes().all(|b| b.is_ascii_graphic());
        plausible.then(|| SessionToken(token.to_string()))
    }

    /// `Authorization`'s value.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.0)
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

/// Who a session says is using the wizard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub partner_id: String,
    pub partner_name: String,
    pub account_admin: bool,
    /// Unix ms; `None` when the backend did not say (the wizard then never renews early).
    pub expires_at_ms: Option<i64>,
}

/// What `GET /session` told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionCheck {
    SignedIn(SignedIn),
    /// `401`: no session, or an expired or revoked one.
    SignedOut,
    /// `404`: this backend has no sessions; the wizard works as it always did.
    NotOffered,
    /// No answer, or one that is not the contract's (offline, 5xx, a proxy's page): nothing is
    /// known, nothing is concluded.
    Unknown,
}

/// Reads `GET /session`'s answer.
pub fn read_session_answer(status: u16, body: &str) -> SessionCheck {
    match status {
        200 => {
            // Read field by field (no derived deserializer: the wasm is paid for by the byte).
            let Ok(answer) = serde_json::from_str::<serde_json::Value>(body) else { return SessionCheck::Unknown };
            let text = |name: &str| answer.get(name).and_then(serde_json::Value::as_str);
            let partner_id = text("partner_id").unwrap_or_default().trim().to_string();
            if partner_id.is_empty() {
                return SessionCheck::Unknown;
            }
            let partner_name = text("partner_name").and_then(crate::payload::backend_reason).unwrap_or_else(|| partner_id.clone());
            SessionCheck::SignedIn(SignedIn {
                partner_id,
                partner_name,
                account_admin: text("role") == Some("account_admin"),
                expires_at_ms: text("expires_at").and_then(parse_rfc3339_ms),
            })
        }
        401 => SessionCheck::SignedOut,
        404 => SessionCheck::NotOffered,
        _ => SessionCheck::Unknown,
    }
}

/// Whether a `401`'s body says the session expired (`session_expired`) rather than that there
/// was none or it was not valid: an expired one is renewed quietly.
pub fn is_session_expired(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("errors")?.as_array()?.iter().find_map(|e| e.get("code")?.as_str().map(str::to_string)))
        .is_some_and(|code| code == "session_expired")
}

/// A session is renewed this long before it expires (the contract's minute).
pub const RENEW_BEFORE_MS: i64 = 60_000;

/// How long from `now_ms` until a fresh session should be asked for: a minute before expiry,
/// at once when that is past.
pub fn renew_in_ms(expires_at_ms: i64, now_ms: i64) -> i64 {
    (expires_at_ms - RENEW_BEFORE_MS - now_ms).max(0)
}

/// Whose drafts the device shows: the session's partner when signed in; else the partner last
/// signed in on this device (offline, or after the session ended, the partner's drafts stay in
/// view and nothing typed is hidden); else the partner the address or the host names.
pub fn drafts_partner(signed_in: Option<&str>, last_signed_in: Option<&str>, named: Option<&str>) -> Option<String> {
    signed_in.or(last_signed_in).or(named).filter(|p| !p.is_empty()).map(str::to_string)
}

/// `2026-12-07T21:15:13.123Z` or with an offset (`+01:00`), to Unix milliseconds. RFC 3339's
/// `date-time`; anything else is `None`.
pub fn parse_rfc3339_ms(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        digits.iter().all(u8::is_ascii_digit).then(|| digits.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        millis = fraction[..digits].bytes().chain(std::iter::repeat(b'0')).take(3).fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (two_digits(*h1, *h2)?, two_digits(*m1, *m2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

fn two_digits(a: u8, b: u8) -> Option<i64> {
    (a.is_ascii_digit() && b.is_ascii_digit()).then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_of_the_contract_are_read() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339_ms("2000-02-29T00:00:00.123Z"), Some(951_782_400_123));
        assert_eq!(parse_rfc3339_ms("2026-12-07T21:15:13.999Z"), Some(1_796_678_113_999));
        assert_eq!(parse_rfc3339_ms("2026-12-07T22:15:13.999+01:00"), Some(1_796_678_113_999));
        assert_eq!(parse_rfc3339_ms("2026-12-07T21:15:13.9Z"), Some(1_796_678_113_900));
        for bad in ["", "2026-12-07", "2026-13-07T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-07T21:15:13", "2026-12-07T21:15:13.Z", "2026-12-07T21:15:13Z junk", "２０２６-12-07T21:15:13Z"] {
            assert_eq!(parse_rfc3339_ms(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn session_answers_are_sorted_by_status_and_shape() {
        let ok = r#"{"partner_id":"acme","partner_name":"Acme Telecom","role":"partner","expires_at":"2026-12-07T21:15:13.999Z"}"#;
        assert_eq!(
            read_session_answer(200, ok),
            SessionCheck::SignedIn(SignedIn {
                partner_id: "acme".into(),
                partner_name: "Acme Telecom".into(),
                account_admin: false,
                expires_at_ms: Some(1_796_678_113_999)
            })
        );
        let admin = read_session_answer(200, r#"{"partner_id":"acme","role":"account_admin"}"#);
        assert!(matches!(admin, SessionCheck::SignedIn(SignedIn { account_admin: true, expires_at_ms: None, ref partner_name, .. }) if partner_name == "acme"));
        assert_eq!(read_session_answer(401, "{}"), SessionCheck::SignedOut);
        assert_eq!(read_session_answer(404, "<html>"), SessionCheck::NotOffered);
        assert_eq!(read_session_answer(200, "<html>proxy</html>"), SessionCheck::Unknown);
        assert_eq!(read_session_answer(200, r#"{"partner_id":" "}"#), SessionCheck::Unknown);
        assert_eq!(read_session_answer(503, ""), SessionCheck::Unknown);
    }

    #[test]
    fn a_partner_name_is_one_plain_line() {
        let body = "{\"partner_id\":\"acme\",\"partner_name\":\"Acme\\u202e\\nTelecom\"}";
        let SessionCheck::SignedIn(s) = read_session_answer(200, body) else { panic!() };
        assert!(!s.partner_name.contains('\u{202e}') && !s.partner_name.contains('\n'), "{:?}", s.partner_name);
    }

    #[test]
    fn an_expired_session_is_told_from_other_refusals() {
        assert!(is_session_expired(r#"{"errors":[{"field":"","code":"session_expired","message":"…"}]}"#));
        assert!(!is_session_expired(r#"{"errors":[{"field":"","code":"unauthenticated"}]}"#));
        assert!(!is_session_expired("not json"));
    }

    #[test]
    fn renewal_is_due_a_minute_before_expiry() {
        assert_eq!(renew_in_ms(10 * 60_000, 0), 9 * 60_000);
        assert_eq!(renew_in_ms(30_000, 0), 0);
        assert_eq!(renew_in_ms(0, 5_000), 0);
    }

    #[test]
    fn drafts_belong_to_the_signed_in_partner_first() {
        assert_eq!(drafts_partner(Some("a"), Some("b"), Some("c")).as_deref(), Some("a"));
        assert_eq!(drafts_partner(None, Some("b"), Some("c")).as_deref(), Some("b"));
        assert_eq!(drafts_partner(None, None, Some("c")).as_deref(), Some("c"));
        assert_eq!(drafts_partner(None, None, None), None);
    }

    #[test]
    fn a_token_never_shows_in_debug_output() {
        let token = SessionToken::new("onb_ses1.abc.def").unwrap();
        assert_eq!(format!("{token:?}"), "SessionToken(…)");
        assert_eq!(token.bearer(), "Bearer onb_ses1.abc.def");
        assert!(SessionToken::new(" ").is_none());
        assert!(SessionToken::new("a b").is_none());
    }
}
