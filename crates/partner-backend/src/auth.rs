//! Who is calling: the [`Caller`] extractor, and the credentials it accepts.
//!
//! - **Secret key** (`Authorization: Bearer onb_sk_…`): the partner's own server. The key is 32
//!   random bytes, so it is stored as a plain SHA-256 digest: a slow password hash defends
//!   guessable secrets, and a 256-bit random key is not guessable. The digest is looked up
//!   by an index; comparing digests of a random key leaks nothing an attacker can steer.
//! - **Session** (`Authorization: Bearer onb_ses1.…`, or the `onboarding_session` cookie on a
//!   same-origin request): minted by the partner's server through `POST /sessions`, or by a
//!   sign-in link. A session is `onb_ses1.<payload>.<signature>`: the payload is base64url
//!   (no padding) JSON `{"p": partner id, "r": role, "u": user|null, "e": expiry in Unix ms,
//!   "g": the partner's key generation}`, the signature is base64url HMAC-SHA256 over
//!   `onb_ses1.<payload>` with the random key kept in the database (`session_signing_key`), so
//!   any instance sharing the database verifies it. The key generation changes with every
//!   secret key: rotating the key (or removing the partner) ends its sessions at once.
//!
//! The cookie is only read when the browser says the request comes from the wizard's own
//! origin (`Sec-Fetch-Site: same-origin`): a cross-site page cannot spend it, whatever its
//! `SameSite` handling.
//!
//! **Requiring a caller on a route** is adding the extractor to its handler: `caller: Caller`
//! answers 401 (`unauthenticated` / `session_expired` / `invalid_credentials`, with
//! `WWW-Authenticate: Bearer`) before the handler runs, and records the caller's partner for
//! the request's audit line (`crate::audit::record_partner`), so no handler has to. Every API
//! route takes it, its state providing [`Auth`] through `FromRef`. The onboarding routes use
//! `caller.partner_id` in place of the body's `partner_id` (a different one is `403
//! partner_mismatch`) and answer another partner's record as `404`.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::{Db, DbError, Partner};
use crate::errors::Failure;
use crate::StartupError;

/// Secret keys start with this: a leaked key is easy to find (`grep -r onb_sk_`) and to tell
/// from a session. It is followed by 43 base64url characters (32 random bytes).
pub const SECRET_KEY_PREFIX: &str = "onb_sk_";
/// Sessions start with this; the `1` is the token format's version.
pub const SESSION_PREFIX: &str = "onb_ses1.";
pub const SESSION_COOKIE: &str = "onboarding_session";

/// `--session-ttl`'s default.
pub const DEFAULT_SESSION_TTL: Duration = Duration::from_secs(30 * 60);
/// How long a sign-in link works (the contract's 5 minutes).
pub const SIGNIN_LINK_TTL: Duration = Duration::from_secs(5 * 60);

type HmacSha256 = Hmac<Sha256>;

/// What the wizard is being used as; the spec's two roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Partner,
    AccountAdmin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Partner => "partner",
            Role::AccountAdmin => "account_admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "partner" => Some(Role::Partner),
            "account_admin" => Some(Role::AccountAdmin),
            _ => None,
        }
    }
}

/// How the caller proved who it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    /// The generation of the key presented: what is minted with it carries that generation,
    /// so a rotation racing the request still ends it.
    SecretKey {
        key_generation: String,
    },
    Session {
        expires_at_ms: i64,
    },
}

/// A request's proven identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub partner_id: String,
    pub partner_name: String,
    /// The session's role; `None` for the secret key, which is the partner's server itself
    /// rather than someone using the wizard.
    pub role: Option<Role>,
    /// The session's opaque user id, for the audit trail.
    pub user: Option<String>,
    pub via: Via,
}

/// Session settings (`--session-ttl`, `--wizard-origin`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub session_ttl: Duration,
    pub signin_link_ttl: Duration,
    /// The wizard's origin, for sign-in links and the cookie's `Secure` flag. Unset, links
    /// name the `Host` the request came to, over http.
    pub wizard_origin: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            session_ttl: DEFAULT_SESSION_TTL,
            signin_link_ttl: SIGNIN_LINK_TTL,
            wizard_origin: None,
        }
    }
}

/// What checking credentials needs: the partners, the signing key, the settings.
#[derive(Clone)]
pub struct Auth {
    pub db: Db,
    signing_key: Arc<[u8]>,
    pub options: Arc<Options>,
}

/// A session's signed payload.
#[derive(Serialize, Deserialize)]
struct Claims {
    #[serde(rename = "p")]
    partner_id: String,
    #[serde(rename = "r")]
    role: Role,
    #[serde(rename = "u")]
    user: Option<String>,
    #[serde(rename = "e")]
    expires_at_ms: i64,
    #[serde(rename = "g")]
    key_generation: String,
}

/// A freshly minted session.
pub struct Session {
    pub token: String,
    pub expires_at_ms: i64,
}

impl Auth {
    /// Reads the signing key from the database, creating it on first start.
    pub fn new(db: Db, options: Options) -> Result<Auth, StartupError> {
        let signing_key = db
            .session_signing_key(random_bytes())
            .map_err(|e| StartupError(format!("cannot read the session signing key: {e}")))?;
        Ok(Auth {
            db,
            signing_key: signing_key.into(),
            options: Arc::new(options),
        })
    }

    /// A session for `partner` as `role`, valid for `--session-ttl` from now.
    pub fn mint(&self, partner: &Partner, role: Role, user: Option<String>) -> Session {
        let expires_at_ms = now_ms() + duration_ms(self.options.session_ttl);
        let claims = Claims {
            partner_id: partner.id.clone(),
            role,
            user,
            expires_at_ms,
            key_generation: partner.key_generation.clone(),
        };
        // Serialising a struct of strings and numbers cannot fail.
        let payload = serde_json::to_vec(&claims).unwrap_or_default();
        let signed = format!("{SESSION_PREFIX}{}", URL_SAFE_NO_PAD.encode(payload));
        let signature = URL_SAFE_NO_PAD.encode(self.mac(&signed).finalize().into_bytes());
        Session {
            token: format!("{signed}.{signature}"),
            expires_at_ms,
        }
    }

    fn mac(&self, signed: &str) -> HmacSha256 {
        // HMAC takes keys of any length.
        let mut mac = HmacSha256::new_from_slice(&self.signing_key).expect("HMAC takes any key");
        mac.update(signed.as_bytes());
        mac
    }

    /// The caller a session token stands for: signature first (`invalid_credentials`), then
    /// expiry (`session_expired`), then the partner and its current key generation.
    async fn verify_session(&self, token: &str) -> Result<Caller, Failure> {
        let (signed, signature) = token.rsplit_once('.').ok_or(Failure::InvalidCredentials)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| Failure::InvalidCredentials)?;
        // `verify_slice` compares in constant time.
        self.mac(signed)
            .verify_slice(&signature)
            .map_err(|_| Failure::InvalidCredentials)?;
        let claims: Claims = signed
            .strip_prefix(SESSION_PREFIX)
            .and_then(|payload| URL_SAFE_NO_PAD.decode(payload).ok())
            .and_then(|json| serde_json::from_slice(&json).ok())
            .ok_or(Failure::InvalidCredentials)?;
        if now_ms() >= claims.expires_at_ms {
            return Err(Failure::SessionExpired);
        }
        let partner = self
            .db
            .partner(claims.partner_id)
            .await
            .map_err(|e| db_failure(&e))?
            .filter(|p| p.key_generation == claims.key_generation)
            .ok_or(Failure::InvalidCredentials)?;
        Ok(Caller {
            partner_id: partner.id,
            partner_name: partner.name,
            role: Some(claims.role),
            user: claims.user,
            via: Via::Session {
                expires_at_ms: claims.expires_at_ms,
            },
        })
    }

    async fn verify_secret_key(&self, key: &str) -> Result<Caller, Failure> {
        let partner = self
            .db
            .partner_by_key_hash(hash_secret(key))
            .await
            .map_err(|e| db_failure(&e))?
            .ok_or(Failure::InvalidCredentials)?;
        Ok(Caller {
            partner_id: partner.id,
            partner_name: partner.name,
            role: None,
            user: None,
            via: Via::SecretKey {
                key_generation: partner.key_generation,
            },
        })
    }

    /// The caller of a request with these headers.
    pub async fn caller(&self, headers: &HeaderMap) -> Result<Caller, Failure> {
        match credential(headers)? {
            Credential::SecretKey(key) => self.verify_secret_key(&key).await,
            Credential::Session(token) => self.verify_session(&token).await,
        }
    }
}

enum Credential {
    SecretKey(String),
    Session(String),
}

/// The request's credential: the `Authorization` header when there is one (a bad one is not
/// second-guessed with the cookie), else the cookie on a same-origin request.
fn credential(headers: &HeaderMap) -> Result<Credential, Failure> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| Failure::InvalidCredentials)?;
        let (scheme, token) = value.trim().split_once(' ').unwrap_or((value, ""));
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(Failure::Unauthenticated);
        }
        let token = token.trim();
        return Ok(if token.starts_with(SECRET_KEY_PREFIX) {
            Credential::SecretKey(token.to_string())
        } else {
            Credential::Session(token.to_string())
        });
    }
    let same_origin = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"same-origin"));
    match session_cookie(headers) {
        Some(token) if same_origin => Ok(Credential::Session(token)),
        _ => Err(Failure::Unauthenticated),
    }
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE).then(|| value.to_string())
        })
}

impl<S> FromRequestParts<S> for Caller
where
    Auth: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let caller = Auth::from_ref(state).caller(&parts.headers).await?;
        crate::audit::record_partner(&parts.extensions, &caller.partner_id);
        Ok(caller)
    }
}

/// A new secret key and the digest that is stored in its place.
pub fn new_secret_key() -> (String, Vec<u8>) {
    let key = format!(
        "{SECRET_KEY_PREFIX}{}",
        URL_SAFE_NO_PAD.encode(random_bytes())
    );
    let hash = hash_secret(&key);
    (key, hash)
}

/// A new key generation: random rather than a counter, so that removing a partner and adding
/// one with the same id does not bring the old sessions back.
pub fn new_key_generation() -> String {
    URL_SAFE_NO_PAD.encode(&random_bytes()[..12])
}

/// A one-time sign-in code and its stored digest.
pub fn new_signin_code() -> (String, Vec<u8>) {
    let code = URL_SAFE_NO_PAD.encode(random_bytes());
    let hash = hash_secret(&code);
    (code, hash)
}

pub fn hash_secret(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// 32 bytes from the operating system's generator. Without one there is nothing safe to do:
/// no key, session or code could be issued, so this stops rather than degrade.
fn random_bytes() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    bytes
}

pub fn now_ms() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    duration_ms(since)
}

pub fn duration_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// `2026-12-07T21:15:13.123Z` (RFC 3339, UTC, milliseconds: the form of `received_at`).
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (Howard Hinnant's `civil_from_days`).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms.rem_euclid(1000)
    )
}

pub fn db_failure(e: &DbError) -> Failure {
    if e.busy {
        eprintln!("partner-backend: database busy: {e}");
        Failure::Unavailable
    } else {
        eprintln!("partner-backend: internal error: {e}");
        Failure::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(rfc3339(1_796_678_113_999), "2026-12-07T21:15:13.999Z");
    }

    #[test]
    fn secret_keys_are_prefixed_and_stored_as_digests() {
        let (key, hash) = new_secret_key();
        assert!(key.starts_with(SECRET_KEY_PREFIX));
        assert_eq!(key.len(), SECRET_KEY_PREFIX.len() + 43);
        assert_eq!(hash, hash_secret(&key));
        assert_ne!(new_secret_key().0, key);
    }

    #[test]
    fn the_cookie_counts_only_on_same_origin_requests() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "a=1; onboarding_session=tok".parse().unwrap(),
        );
        assert!(matches!(
            credential(&headers),
            Err(Failure::Unauthenticated)
        ));
        headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(matches!(
            credential(&headers),
            Err(Failure::Unauthenticated)
        ));
        headers.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert!(matches!(credential(&headers), Ok(Credential::Session(t)) if t == "tok"));
        headers.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert!(matches!(
            credential(&headers),
            Err(Failure::Unauthenticated)
        ));
    }
}
