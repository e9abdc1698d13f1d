//! Validation errors as (field path, code) pairs. The UI turns them into translated messages;
//! the backend returns them in its `422` body. Paths use the API's shape:
//! `customer.address.city`, `admin_contacts[1].email`, `support_contacts` (a group rule).

use serde::{Deserialize, Deserializer, Serialize};

use crate::countries::CountryCode;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub path: String,
    pub code: ErrorCode,
    /// The partner backend's own words for a code this version does not know
    /// ([`ErrorCode::Rejected`]): the only help the partner has, shown as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl FieldError {
    pub fn new(path: impl Into<String>, code: ErrorCode) -> Self {
        Self {
            path: path.into(),
            code,
            message: None,
        }
    }

    /// The row index inside a list path such as `admin_contacts[3].email`.
    pub fn row(&self) -> Option<usize> {
        let start = self.path.find('[')? + 1;
        let end = self.path[start..].find(']')? + start;
        self.path[start..end].parse().ok()
    }

    /// The path with its row index removed (`admin_contacts.email`): the key of its message.
    pub fn generic_path(&self) -> String {
        generic_path(&self.path)
    }
}

/// `path` with its row index removed: `admin_contacts[3].email` → `admin_contacts.email`.
pub fn generic_path(path: &str) -> String {
    match (path.find('['), path.find(']')) {
        (Some(s), Some(e)) if s < e => format!("{}{}", &path[..s], &path[e + 1..]),
        _ => path.to_string(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ErrorCode {
    Required,
    /// More than `max` characters; `len` is how many the answer has (after trimming), so the
    /// wizard can say "155 characters; at most 100". `None` only when read from a backend body
    /// that leaves it out (an older backend).
    TooLong {
        max: usize,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        len: Option<usize>,
    },
    EmailFormat,
    /// Not a postal code of `country`, whose expected form
    /// [`postal_code_form`](crate::countries::postal_code_form) gives. `None` when no country
    /// was chosen, or when a backend body leaves it out or names none this version knows.
    PostalCodeFormat {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "lenient_country"
        )]
        country: Option<CountryCode>,
    },
    /// A value outside a closed list (country, business type, language, role).
    InvalidChoice,
    /// This admin email repeats the one of admin contact `first` (0-based), ignoring case.
    DuplicateEmail {
        first: usize,
    },
    MissingMaintainer,
    MissingOnsiteAdmin,
    /// Support contact `row` repeats the role and email of support contact `first` (0-based).
    DuplicateSupportContact {
        row: usize,
        first: usize,
    },
    /// Not a MAC address (six pairs of hex digits, with colons, dashes or nothing between).
    MacFormat,
    /// Not an IPv4 address, an IPv6 address or a host name.
    HostFormat,
    /// Not a whole number from 1 to 65535.
    PortRange,
    /// Not one or more PEM `CERTIFICATE` blocks.
    CertificateFormat,
    /// The certificate field holds a private key (a PEM block labelled `... PRIVATE KEY`):
    /// a secret that must never be stored or sent.
    PrivateKey,
    /// A single-line answer (or the password) holding a control character (U+0000–U+001F,
    /// U+007F–U+009F) once trimmed: a tab, a line break, NUL, an escape sequence. The wizard
    /// words it per field ("Customer name must not contain control characters…").
    ControlCharacters,
    /// A value the submission may not carry on this path (e.g. `pbx` for an SMBC platform), or
    /// a malformed identifier.
    Invalid,
    /// The partner backend rejected the value with a code this version does not know.
    Rejected,
}

impl ErrorCode {
    /// The stable machine-readable code of the API's error body.
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorCode::Required => "required",
            ErrorCode::TooLong { .. } => "too_long",
            ErrorCode::EmailFormat => "email_format",
            ErrorCode::PostalCodeFormat { .. } => "postal_code_format",
            ErrorCode::InvalidChoice => "invalid_choice",
            ErrorCode::DuplicateEmail { .. } => "duplicate_email",
            ErrorCode::MissingMaintainer => "missing_maintainer",
            ErrorCode::MissingOnsiteAdmin => "missing_onsite_admin",
            ErrorCode::DuplicateSupportContact { .. } => "duplicate_support_contact",
            ErrorCode::MacFormat => "mac_format",
            ErrorCode::HostFormat => "host_format",
            ErrorCode::PortRange => "port_range",
            ErrorCode::CertificateFormat => "certificate_format",
            ErrorCode::PrivateKey => "private_key",
            ErrorCode::ControlCharacters => "control_characters",
            ErrorCode::Invalid => "invalid",
            ErrorCode::Rejected => "rejected",
        }
    }
}

impl ErrorCode {
    /// Reads the code of one entry of a `422` body (`{"field", "code": "too_long", "max": 100,
    /// "len": 155, "message"}`) as the derived `Deserialize` does (a code this version does not
    /// know, or a missing or malformed parameter, is `None`; `len` and `country` are optional),
    /// but by hand: the derived reader of this internally tagged enum buffers each entry in
    /// serde's `Content` and was about 11 KB of the browser's wasm.
    pub fn from_api(entry: &serde_json::Value) -> Option<ErrorCode> {
        let number = |key: &str| entry.get(key)?.as_u64().and_then(|n| usize::try_from(n).ok());
        // Absent or null is no value; anything else must be a number.
        let optional_number = |key: &str| match entry.get(key) {
            None | Some(serde_json::Value::Null) => Some(None),
            Some(_) => number(key).map(Some),
        };
        Some(match entry.get("code")?.as_str()? {
            "required" => ErrorCode::Required,
            "too_long" => ErrorCode::TooLong { max: number("max")?, len: optional_number("len")? },
            "email_format" => ErrorCode::EmailFormat,
            "postal_code_format" => ErrorCode::PostalCodeFormat {
                country: entry.get("country").and_then(serde_json::Value::as_str).and_then(CountryCode::new),
            },
            "invalid_choice" => ErrorCode::InvalidChoice,
            "duplicate_email" => ErrorCode::DuplicateEmail { first: number("first")? },
            "missing_maintainer" => ErrorCode::MissingMaintainer,
            "missing_onsite_admin" => ErrorCode::MissingOnsiteAdmin,
            "duplicate_support_contact" => ErrorCode::DuplicateSupportContact { row: number("row")?, first: number("first")? },
            "mac_format" => ErrorCode::MacFormat,
            "host_format" => ErrorCode::HostFormat,
            "port_range" => ErrorCode::PortRange,
            "certificate_format" => ErrorCode::CertificateFormat,
            "private_key" => ErrorCode::PrivateKey,
            "control_characters" => ErrorCode::ControlCharacters,
            "invalid" => ErrorCode::Invalid,
            "rejected" => ErrorCode::Rejected,
            _ => return None,
        })
    }
}

/// A country in a received body that is missing, not a string, or not an ISO code reads as
/// `None`: the entry still names its field and code, and the wizard words it without the form.
fn lenient_country<'de, D: Deserializer<'de>>(d: D) -> Result<Option<CountryCode>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(value
        .as_ref()
        .and_then(serde_json::Value::as_str)
        .and_then(CountryCode::new))
}
