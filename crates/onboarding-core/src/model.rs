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
    pub const ALL: [SupportRole; 3] = [SupportRole::Maintainer, SupportRole::OnsiteAdmin, SupportRole::Other];

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
                SupportContact { id: 1, role: SupportRole::Maintainer, ..Default::default() },
                SupportContact { id: 2, role: SupportRole::OnsiteAdmin, ..Default::default() },
            ],
            ..Default::default()
        }
    }

    /// The next free row id across both contact lists.
    pub fn next_row_id(&self) -> u64 {
        let ids: Vec<u64> = self.admin_contacts.iter().map(|c| c.id).chain(self.support_contacts.iter().map(|c| c.id)).collect();
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
            d.admin_contacts.iter().map(|c| (&*c.first_name, &*c.last_name, &*c.email)).collect()
        }
        fn supports(d: &Draft) -> Vec<(SupportRole, &str, &str)> {
            d.support_contacts.iter().map(|c| (c.role, &*c.name, &*c.email)).collect()
        }
        self.customer == other.customer && admins(self) == admins(other) && supports(self) == supports(other)
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
