//! Validation errors as (field path, code) pairs. The UI turns them into translated messages;
//! the backend returns them in its `422` body. Paths use the API's shape:
//! `customer.address.city`, `admin_contacts[1].email`, `support_contacts` (a group rule).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub path: String,
    pub code: ErrorCode,
}

impl FieldError {
    pub fn new(path: impl Into<String>, code: ErrorCode) -> Self {
        Self {
            path: path.into(),
            code,
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
    TooLong {
        max: usize,
    },
    EmailFormat,
    PostalCodeFormat,
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
            ErrorCode::PostalCodeFormat => "postal_code_format",
            ErrorCode::InvalidChoice => "invalid_choice",
            ErrorCode::DuplicateEmail { .. } => "duplicate_email",
            ErrorCode::MissingMaintainer => "missing_maintainer",
            ErrorCode::MissingOnsiteAdmin => "missing_onsite_admin",
            ErrorCode::DuplicateSupportContact { .. } => "duplicate_support_contact",
            ErrorCode::MacFormat => "mac_format",
            ErrorCode::HostFormat => "host_format",
            ErrorCode::PortRange => "port_range",
            ErrorCode::CertificateFormat => "certificate_format",
            ErrorCode::ControlCharacters => "control_characters",
            ErrorCode::Invalid => "invalid",
            ErrorCode::Rejected => "rejected",
        }
    }
}
