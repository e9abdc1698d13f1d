//! The draft: what a partner has entered, exactly as typed (trimming and normalising happen in
//! validation and when the submission is built, never under the user's cursor).

use serde::{Deserialize, Serialize};

use crate::steps::StepId;

/// Business types (contract keys), in the order the select lists them.
pub const BUSINESS_TYPES: &[&str] = &[
    "agriculture",
    "construction",
    "education",
    "finance",
    "government",
    "healthcare",
    "hospitality",
    "manufacturing",
    "professional_services",
    "retail",
    "technology",
    "transportation",
    "non_profit",
    "other",
];

/// Languages a customer's applications can default to (ISO 639-1).
pub const CUSTOMER_LANGUAGES: &[&str] = &["en", "es", "fr", "de", "it", "nl", "pt"];

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// A UUID; also the submission's `Idempotency-Key`.
    pub id: String,
    pub partner_id: Option<String>,
    pub current_step: StepId,
    /// Steps whose Next succeeded, in the order they were completed.
    pub completed: Vec<StepId>,
    pub customer: Customer,
    pub admin_contacts: Vec<AdminContact>,
    pub support_contacts: Vec<SupportContact>,
    pub gateway: Gateway,
    /// PBX and Connect answers (the API nests both under `pbx`). Kept when the platform moves
    /// to SMBC/VA, and left out of the submission there.
    pub pbx: Pbx,
    pub sync: SyncSettings,
}

/// Platforms (contract keys), in the order the Gateway step lists them.
pub const PLATFORMS: &[&str] = &[
    "mivoice_office_400",
    "mivoice_business",
    "mx_one",
    "mivoice_5000",
    "smbc",
    "va",
];

/// Which users the Sync step synchronises (contract keys).
pub const SYNC_USERS: &[&str] = &["all", "with_email"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Gateway {
    /// A key of [`PLATFORMS`], or empty while unchosen.
    pub platform: String,
    pub site_name: String,
    /// "Site address is the same as the customer address" (checked by default).
    pub site_same_as_customer: bool,
    /// Used only when `site_same_as_customer` is false; kept while it is true so that
    /// unticking the box brings back what was typed.
    pub site_address: Address,
    pub mac_address: String,
}

impl Default for Gateway {
    fn default() -> Self {
        Gateway {
            platform: String::new(),
            site_name: String::new(),
            site_same_as_customer: true,
            site_address: Address::default(),
            mac_address: String::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Pbx {
    pub host: String,
    /// As typed; optional, 1–65535.
    pub port: String,
    pub username: String,
    /// Lives in memory only: never serialised, so no draft entry on the device can hold it.
    #[serde(skip)]
    pub password: String,
    pub use_tls: bool,
    /// Written without any private key in it (defence in depth: the browser strips a pasted
    /// key before it keeps anything), so no stored draft can hold one.
    #[serde(serialize_with = "serialize_without_private_keys")]
    pub certificate_pem: String,
}

fn serialize_without_private_keys<S: serde::Serializer>(
    text: &str,
    s: S,
) -> Result<S::Ok, S::Error> {
    match crate::formats::without_private_keys(text) {
        Some(kept) => s.serialize_str(&kept),
        None => s.serialize_str(text),
    }
}

impl Default for Pbx {
    fn default() -> Self {
        Pbx {
            host: String::new(),
            port: String::new(),
            username: String::new(),
            password: String::new(),
            use_tls: true,
            certificate_pem: String::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncSettings {
    /// A key of [`SYNC_USERS`].
    pub users: String,
    pub send_welcome_emails: bool,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            users: "all".into(),
            send_welcome_emails: true,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Customer {
    pub name: String,
    /// A key of [`BUSINESS_TYPES`], or empty while unchosen.
    pub business_type: String,
    /// A key of [`CUSTOMER_LANGUAGES`], or empty for none.
    pub default_language: String,
    pub address: Address,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Address {
    pub street: String,
    pub street2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, or empty while unchosen.
    pub country: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdminContact {
    /// Stable row identity for keyed lists; never shown, never sent.
    pub id: u64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupportContact {
    pub id: u64,
    pub role: SupportRole,
    pub name: String,
    pub email: String,
}

/// Support contact roles (contract keys).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportRole {
    #[default]
    Maintainer,
    OnsiteAdmin,
    Other,
}

impl SupportRole {
    pub const ALL: [SupportRole; 3] = [
        SupportRole::Maintainer,
        SupportRole::OnsiteAdmin,
        SupportRole::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            SupportRole::Maintainer => "maintainer",
            SupportRole::OnsiteAdmin => "onsite_admin",
            SupportRole::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

impl Draft {
    /// A new onboarding: one empty Maintainer row and one empty On-site administrator row.
    pub fn new(id: impl Into<String>, partner_id: Option<String>) -> Self {
        Draft {
            id: id.into(),
            partner_id,
            support_contacts: vec![
                SupportContact {
                    id: 1,
                    role: SupportRole::Maintainer,
                    ..Default::default()
                },
                SupportContact {
                    id: 2,
                    role: SupportRole::OnsiteAdmin,
                    ..Default::default()
                },
            ],
            ..Default::default()
        }
    }

    /// The next free row id across both contact lists.
    pub fn next_row_id(&self) -> u64 {
        let ids: Vec<u64> = self
            .admin_contacts
            .iter()
            .map(|c| c.id)
            .chain(self.support_contacts.iter().map(|c| c.id))
            .collect();
        // A tampered entry may hold u64::MAX: then take the smallest id not in use.
        match ids.iter().max().copied().unwrap_or(0).checked_add(1) {
            Some(id) => id,
            None => (1..).find(|i| !ids.contains(i)).unwrap_or(1),
        }
    }

    /// True when what the user entered is the same, ignoring where they are in the wizard and
    /// which row ids were used. Cancel asks for confirmation only when this is false.
    pub fn same_answers(&self, other: &Draft) -> bool {
        fn admins(d: &Draft) -> Vec<(&str, &str, &str)> {
            d.admin_contacts
                .iter()
                .map(|c| (&*c.first_name, &*c.last_name, &*c.email))
                .collect()
        }
        fn supports(d: &Draft) -> Vec<(SupportRole, &str, &str)> {
            d.support_contacts
                .iter()
                .map(|c| (c.role, &*c.name, &*c.email))
                .collect()
        }
        // The password is left out: it is never kept, so it can never be "restored" either.
        let pbx = |d: &Draft| Pbx {
            password: String::new(),
            ..d.pbx.clone()
        };
        self.customer == other.customer
            && admins(self) == admins(other)
            && supports(self) == supports(other)
            && self.gateway == other.gateway
            && pbx(self) == pbx(other)
            && self.sync == other.sync
    }

    /// The platform chosen on Gateway, if any: it decides the path through the wizard.
    pub fn platform(&self) -> Option<&str> {
        Some(self.gateway.platform.as_str()).filter(|p| !p.is_empty())
    }

    /// True when nothing has been typed into a new onboarding yet.
    pub fn is_untouched(&self) -> bool {
        self.same_answers(&Draft::new(self.id.clone(), self.partner_id.clone()))
    }

    /// Records that `step` passed validation.
    pub fn mark_completed(&mut self, step: StepId) {
        if !self.completed.contains(&step) {
            self.completed.push(step);
        }
    }
}
