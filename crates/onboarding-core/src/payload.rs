//! The submission (contract): the body of `POST {api_base_url}/onboardings`, built from a draft
//! with every value trimmed and normalised, and the way back — a received body becomes a draft
//! so the backend runs exactly the rules the browser ran, and API error paths name draft fields.

use serde::{Deserialize, Serialize};

use crate::countries::normalize_postal_code;
use crate::formats::{holds_private_key, normalize_mac, without_private_keys};
use crate::model::{
    Address, AdminContact, Customer, Draft, Gateway, Pbx, SupportContact, SupportRole, SyncSettings,
};
use crate::steps::{StepId, SYNC_PLATFORMS};
use crate::validate::validate_all;
use crate::{ErrorCode, FieldError};

pub const SUBMISSION_SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub schema_version: u32,
    pub draft_id: String,
    pub partner_id: Option<String>,
    pub customer: SubmittedCustomer,
    pub admin_contacts: Vec<SubmittedAdminContact>,
    pub support_contacts: Vec<SubmittedSupportContact>,
    pub gateway: SubmittedGateway,
    pub pbx: Option<SubmittedPbx>,
    pub sync: Option<SyncSettings>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedCustomer {
    pub name: String,
    pub business_type: String,
    pub default_language: Option<String>,
    pub address: Address,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedAdminContact {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedSupportContact {
    /// A role key; kept as text so that an unknown role is a field error, not a parse error.
    pub role: String,
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedGateway {
    pub platform: String,
    pub site_name: String,
    /// `None` means the same as the customer address.
    pub site_address: Option<Address>,
    /// `None` on SMBC/VA, whose gateways have no hardware address.
    pub mac_address: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedPbx {
    pub host: String,
    /// Wide enough that an out-of-range number is a field error, not a parse error.
    pub port: Option<i64>,
    pub username: String,
    pub password: String,
    pub use_tls: bool,
    pub certificate_pem: Option<String>,
}

/// One entry of a `422` body: `{"field": "...", "code": "...", "message": "...", ...}` (codes
/// with parameters carry them too, e.g. `"max": 100`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub field: String,
    #[serde(flatten)]
    pub code: ErrorCode,
    pub message: String,
}

fn trim(v: &str) -> String {
    v.trim().to_string()
}

fn some_trimmed(v: &str) -> Option<String> {
    Some(trim(v)).filter(|v| !v.is_empty())
}

/// An address as it is sent: lines trimmed, the postal code in its country's form
/// (`sw1a2aa` → `SW1A 2AA`), the region as its code where the country lists them
/// (`california` → `CA`). Review shows addresses through this, so it shows what is sent.
pub fn submitted_address(a: &Address) -> Address {
    // The country is a choice, sent exactly as chosen: trimming it here would let the server
    // accept a value the browser's rules refuse.
    Address {
        street: trim(&a.street),
        street2: trim(&a.street2),
        city: trim(&a.city),
        region: crate::regions::normalize_region(&a.country, &a.region)
            .unwrap_or_else(|| trim(&a.region)),
        postal_code: normalize_postal_code(&a.country, &a.postal_code)
            .unwrap_or_else(|| trim(&a.postal_code)),
        country: a.country.clone(),
    }
}

/// The certificate as it is sent: `None` with TLS off (no TLS, no certificate) or when blank;
/// else trimmed, and never with a private key in it (the rules refuse such a draft; this is
/// defence in depth). Review shows the certificate through this, so it shows what is sent.
pub fn submitted_certificate(pbx: &Pbx) -> Option<String> {
    if !pbx.use_tls {
        return None;
    }
    match without_private_keys(&pbx.certificate_pem) {
        Some(kept) => some_trimmed(&kept),
        None => some_trimmed(&pbx.certificate_pem),
    }
}

/// The port as the contract's number (` 0443 ` → 443). A typed whole number outside 1–65535
/// is sent as it is, so the server refuses it as the browser does; text that is no number at
/// all cannot be put in the body (the browser never sends a draft that fails its rules).
pub fn submitted_port(typed: &str) -> Option<i64> {
    let typed = typed.trim();
    let digits = typed.strip_prefix('-').unwrap_or(typed);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(typed.parse::<i64>().unwrap_or(if typed.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    }))
}

/// The body to send for a draft: trimmed, normalised, and only the sections of its path.
pub fn build(draft: &Draft) -> Submission {
    let sync_path = SYNC_PLATFORMS.contains(&draft.gateway.platform.as_str());
    let c = &draft.customer;
    let g = &draft.gateway;
    let p = &draft.pbx;
    Submission {
        schema_version: SUBMISSION_SCHEMA_VERSION,
        draft_id: draft.id.clone(),
        partner_id: draft.partner_id.clone(),
        customer: SubmittedCustomer {
            name: trim(&c.name),
            business_type: c.business_type.clone(),
            // A choice too: as chosen, or null.
            default_language: Some(c.default_language.clone()).filter(|l| !l.is_empty()),
            address: submitted_address(&c.address),
        },
        admin_contacts: draft
            .admin_contacts
            .iter()
            .map(|a| SubmittedAdminContact {
                first_name: trim(&a.first_name),
                last_name: trim(&a.last_name),
                email: trim(&a.email),
            })
            .collect(),
        support_contacts: draft
            .support_contacts
            .iter()
            .map(|s| SubmittedSupportContact {
                role: s.role.key().into(),
                name: trim(&s.name),
                email: trim(&s.email),
            })
            .collect(),
        gateway: SubmittedGateway {
            platform: g.platform.clone(),
            site_name: trim(&g.site_name),
            site_address: (!g.site_same_as_customer).then(|| submitted_address(&g.site_address)),
            mac_address: (!sync_path)
                .then(|| normalize_mac(&g.mac_address).unwrap_or_else(|| trim(&g.mac_address))),
        },
        pbx: (!sync_path).then(|| SubmittedPbx {
            host: trim(&p.host),
            port: submitted_port(&p.port),
            username: trim(&p.username),
            password: p.password.clone(),
            use_tls: p.use_tls,
            certificate_pem: submitted_certificate(p),
        }),
        sync: sync_path.then(|| draft.sync.clone()),
    }
}

/// The draft a received body describes, so the shared rules can judge it. Unknown support
/// roles become an error of their own (see [`validate_submission`]).
pub fn to_draft(s: &Submission) -> Draft {
    let pbx = s.pbx.as_ref();
    Draft {
        id: s.draft_id.clone(),
        partner_id: s.partner_id.clone(),
        customer: Customer {
            name: s.customer.name.clone(),
            business_type: s.customer.business_type.clone(),
            default_language: s.customer.default_language.clone().unwrap_or_default(),
            address: s.customer.address.clone(),
        },
        admin_contacts: s
            .admin_contacts
            .iter()
            .zip(1..)
            .map(|(a, id)| AdminContact {
                id,
                first_name: a.first_name.clone(),
                last_name: a.last_name.clone(),
                email: a.email.clone(),
            })
            .collect(),
        support_contacts: s
            .support_contacts
            .iter()
            .zip(1_000_000..)
            .map(|(c, id)| SupportContact {
                id,
                role: SupportRole::from_key(&c.role).unwrap_or(SupportRole::Other),
                name: c.name.clone(),
                email: c.email.clone(),
            })
            .collect(),
        gateway: Gateway {
            platform: s.gateway.platform.clone(),
            site_name: s.gateway.site_name.clone(),
            site_same_as_customer: s.gateway.site_address.is_none(),
            site_address: s.gateway.site_address.clone().unwrap_or_default(),
            mac_address: s.gateway.mac_address.clone().unwrap_or_default(),
        },
        pbx: Pbx {
            host: pbx.map(|p| p.host.clone()).unwrap_or_default(),
            port: pbx
                .and_then(|p| p.port)
                .map(|p| p.to_string())
                .unwrap_or_default(),
            username: pbx.map(|p| p.username.clone()).unwrap_or_default(),
            password: pbx.map(|p| p.password.clone()).unwrap_or_default(),
            use_tls: pbx.is_none_or(|p| p.use_tls),
            certificate_pem: pbx
                .and_then(|p| p.certificate_pem.clone())
                .unwrap_or_default(),
        },
        sync: s.sync.clone().unwrap_or_default(),
        ..Default::default()
    }
}

/// The most characters a `partner_id` may have (after trimming, as every limit).
pub const PARTNER_ID_MAX: usize = 200;

/// Every reason to refuse a received body, in wizard order: its shape on the chosen path, then
/// the rules of every step.
pub fn validate_submission(s: &Submission) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if s.schema_version != SUBMISSION_SCHEMA_VERSION {
        errors.push(FieldError::new("schema_version", ErrorCode::Invalid));
    }
    if uuid::Uuid::try_parse(&s.draft_id).is_err() {
        errors.push(FieldError::new("draft_id", ErrorCode::Invalid));
    }
    // The dashboard's own identifier for the partner: no rule in the spec, but bounded like any
    // single-line text, so a hostile or broken host cannot store megabytes or NULs under it.
    if let Some(partner_id) = &s.partner_id {
        let mut e = crate::validate::rules::Errors(Vec::new());
        if e.single_line("partner_id", partner_id) {
            e.max_len("partner_id", partner_id, PARTNER_ID_MAX);
        }
        errors.extend(e.0);
    }
    for (i, c) in s.support_contacts.iter().enumerate() {
        if SupportRole::from_key(&c.role).is_none() {
            errors.push(FieldError::new(
                format!("support_contacts[{i}].role"),
                ErrorCode::InvalidChoice,
            ));
        }
    }
    let sync_path = SYNC_PLATFORMS.contains(&s.gateway.platform.as_str());
    let section = |present: bool, wanted: bool, path: &str| match (present, wanted) {
        (false, true) => Some(FieldError::new(path, ErrorCode::Required)),
        (true, false) => Some(FieldError::new(path, ErrorCode::Invalid)),
        _ => None,
    };
    errors.extend(section(
        s.pbx.is_some(),
        !sync_path && !s.gateway.platform.is_empty(),
        "pbx",
    ));
    errors.extend(section(s.sync.is_some(), sync_path, "sync"));
    if sync_path && s.gateway.mac_address.is_some() {
        errors.push(FieldError::new("gateway.mac_address", ErrorCode::Invalid));
    }
    // No TLS, no certificate: one sent anyway is refused like the MAC above (a private key in
    // it is reported as such by the Connect rules instead).
    if let Some(pbx) = &s.pbx {
        let certificate = pbx.certificate_pem.as_deref().unwrap_or("");
        if !pbx.use_tls && !certificate.trim().is_empty() && !holds_private_key(certificate) {
            errors.push(FieldError::new("pbx.certificate_pem", ErrorCode::Invalid));
        }
    }
    let draft = to_draft(s);
    // Sections absent from the body are reported once above, not field by field. A port out
    // of range comes through `to_draft` as its digits and is judged by `validate_pbx`.
    let rules = validate_all(&draft).into_iter().filter(|e| {
        let absent_pbx = s.pbx.is_none() && e.path.starts_with("pbx.");
        let absent_sync = s.sync.is_none() && e.path.starts_with("sync.");
        !absent_pbx && !absent_sync
    });
    errors.extend(rules);
    errors
}

/// The step whose page holds a field path (API paths are draft paths).
pub fn step_of_path(path: &str) -> Option<StepId> {
    let head = path.split(['.', '[']).next().unwrap_or("");
    match head {
        "customer" | "admin_contacts" | "support_contacts" => Some(StepId::Customer),
        "gateway" => Some(StepId::Gateway),
        "pbx" if path.starts_with("pbx.use_tls") || path.starts_with("pbx.certificate_pem") => {
            Some(StepId::Connect)
        }
        "pbx" => Some(StepId::Pbx),
        "sync" => Some(StepId::Sync),
        _ => None,
    }
}

/// Every field (or group) a page of the wizard shows, as a generic path (row index removed):
/// where a backend error can be shown beside its field and linked from the summary.
pub const FORM_FIELDS: &[&str] = &[
    "customer.name",
    "customer.address.street",
    "customer.address.street2",
    "customer.address.city",
    "customer.address.region",
    "customer.address.postal_code",
    "customer.address.country",
    "customer.business_type",
    "customer.default_language",
    "admin_contacts.first_name",
    "admin_contacts.last_name",
    "admin_contacts.email",
    "support_contacts",
    "support_contacts.role",
    "support_contacts.name",
    "support_contacts.email",
    "gateway.platform",
    "gateway.site_name",
    "gateway.site_same_as_customer",
    "gateway.site_address.street",
    "gateway.site_address.street2",
    "gateway.site_address.city",
    "gateway.site_address.region",
    "gateway.site_address.postal_code",
    "gateway.site_address.country",
    "gateway.mac_address",
    "pbx.host",
    "pbx.port",
    "pbx.username",
    "pbx.password",
    "pbx.use_tls",
    "pbx.certificate_pem",
    "sync.users",
    "sync.send_welcome_emails",
];

/// The step whose page shows the field a backend error names, or `None` when no page of this
/// version shows it — a field this version does not know (`customer.vat_number`, a newer
/// backend's), a whole section (`pbx`) or an identifier (`draft_id`). The wizard shows those on
/// Review, in the summary, rather than on a step with nothing to link to.
pub fn step_of_field(path: &str) -> Option<StepId> {
    if FORM_FIELDS.contains(&crate::error::generic_path(path).as_str()) {
        step_of_path(path)
    } else {
        None
    }
}

/// The most of a backend's reason that is shown: enough for a sentence or two, never a page.
pub const MAX_REASON_CHARS: usize = 300;

/// A backend's reason as the wizard shows it: one line of at most [`MAX_REASON_CHARS`]
/// characters (control characters become spaces, runs of spaces one, bidi embeddings,
/// overrides, isolates and marks are dropped so they cannot reorder the sentence around it),
/// or `None` when empty.
pub fn backend_reason(message: &str) -> Option<String> {
    let bidi = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let line: String = message.chars().filter(|&c| !bidi(c)).map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut words = line.split_whitespace().peekable();
    words.peek()?;
    let mut out = String::new();
    for word in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > MAX_REASON_CHARS {
        out = out.chars().take(MAX_REASON_CHARS - 1).collect::<String>() + "…";
    }
    Some(out)
}

/// Reads a `422` body leniently: entries with a code this version does not know keep their
/// field and become [`ErrorCode::Rejected`] with the backend's `message`; a body that is not
/// the contract's shape gives `None`.
pub fn parse_api_errors(body: &str) -> Option<Vec<FieldError>> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let entries = value.get("errors")?.as_array()?;
    Some(
        entries
            .iter()
            .filter_map(|entry| {
                let field = entry.get("field")?.as_str()?.to_string();
                match ErrorCode::from_api(entry) {
                    Some(code) => Some(FieldError::new(field, code)),
                    // A code this version does not know: the backend's message is all there is.
                    None => Some(FieldError {
                        message: entry.get("message").and_then(|m| m.as_str()).and_then(backend_reason),
                        ..FieldError::new(field, ErrorCode::Rejected)
                    }),
                }
            })
            .collect(),
    )
}
