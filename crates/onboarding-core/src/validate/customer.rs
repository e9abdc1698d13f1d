//! The Customer step: customer information, admin contacts and support contacts.

use std::collections::HashMap;

use super::rules::Errors;
use crate::countries::{
    is_country, normalize_postal_code, requires_region, uses_postal_code, CountryCode,
};
use crate::model::{
    Address, AdminContact, Customer, Draft, SupportContact, SupportRole, BUSINESS_TYPES,
    CUSTOMER_LANGUAGES,
};
use crate::regions;
use crate::text::is_blank;
use crate::{ErrorCode, FieldError};

pub const NAME_MAX: usize = 100;
pub const STREET_MAX: usize = 200;
pub const CITY_MAX: usize = 100;
pub const REGION_MAX: usize = 100;
pub const PERSON_NAME_MAX: usize = 50;
pub const SUPPORT_NAME_MAX: usize = 100;

/// Every error of the Customer step, in page order.
pub fn validate_customer(draft: &Draft) -> Vec<FieldError> {
    let mut errors = validate_customer_info(&draft.customer);
    errors.extend(validate_admin_contacts(&draft.admin_contacts));
    errors.extend(validate_support_contacts(&draft.support_contacts));
    errors
}

pub fn validate_customer_info(customer: &Customer) -> Vec<FieldError> {
    let mut e = Errors(Vec::new());
    let a = &customer.address;
    e.required_text("customer.name", &customer.name, NAME_MAX);
    address(&mut e, "customer.address", a);
    e.choice("customer.business_type", &customer.business_type, |v| {
        BUSINESS_TYPES.contains(&v)
    });
    if !customer.default_language.is_empty()
        && !CUSTOMER_LANGUAGES.contains(&customer.default_language.as_str())
    {
        e.push("customer.default_language", ErrorCode::InvalidChoice);
    }
    e.0
}

/// The rules of a postal address, under `prefix` (`customer.address`, `gateway.site_address`).
pub(crate) fn address(e: &mut Errors, prefix: &str, a: &Address) {
    let path = |field: &str| format!("{prefix}.{field}");
    e.required_text(&path("street"), &a.street, STREET_MAX);
    e.optional_text(&path("street2"), &a.street2, STREET_MAX);
    e.required_text(&path("city"), &a.city, CITY_MAX);
    let region_given = if requires_region(&a.country) {
        e.required_text(&path("region"), &a.region, REGION_MAX)
    } else {
        e.optional_text(&path("region"), &a.region, REGION_MAX) && !is_blank(&a.region)
    };
    // US, CA, AU and MX list their regions: the answer must name one (by code or name).
    if region_given
        && regions::of(&a.country).is_some()
        && regions::find(&a.country, &a.region).is_none()
    {
        e.push(path("region"), ErrorCode::InvalidChoice);
    }
    // An unchosen country is treated as one with postal codes: the country error comes first.
    if is_blank(&a.postal_code) {
        if uses_postal_code(&a.country) {
            e.push(path("postal_code"), ErrorCode::Required);
        }
    } else if e.single_line(&path("postal_code"), &a.postal_code)
        && normalize_postal_code(&a.country, &a.postal_code).is_none()
    {
        e.push(
            path("postal_code"),
            ErrorCode::PostalCodeFormat {
                country: CountryCode::new(&a.country),
            },
        );
    }
    e.choice(&path("country"), &a.country, is_country);
}

/// Each admin contact's fields, and email uniqueness ignoring case: the later of two equal
/// emails carries the error, naming the first.
pub fn validate_admin_contacts(contacts: &[AdminContact]) -> Vec<FieldError> {
    let mut e = Errors(Vec::new());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(contacts.len());
    for (i, c) in contacts.iter().enumerate() {
        e.required_text(
            &format!("admin_contacts[{i}].first_name"),
            &c.first_name,
            PERSON_NAME_MAX,
        );
        e.required_text(
            &format!("admin_contacts[{i}].last_name"),
            &c.last_name,
            PERSON_NAME_MAX,
        );
        let path = format!("admin_contacts[{i}].email");
        if e.email(&path, &c.email) {
            match seen.get(&email_key(&c.email)) {
                Some(&first) => e.push(path, ErrorCode::DuplicateEmail { first }),
                None => {
                    seen.insert(email_key(&c.email), i);
                }
            }
        }
    }
    e.0
}

/// The group rules first (a Maintainer, an On-site administrator, no role+email twice), then
/// each contact's fields.
pub fn validate_support_contacts(contacts: &[SupportContact]) -> Vec<FieldError> {
    let mut e = Errors(Vec::new());
    let has = |role: SupportRole| contacts.iter().any(|c| c.role == role);
    if !has(SupportRole::Maintainer) {
        e.push("support_contacts", ErrorCode::MissingMaintainer);
    }
    if !has(SupportRole::OnsiteAdmin) {
        e.push("support_contacts", ErrorCode::MissingOnsiteAdmin);
    }
    let mut seen: HashMap<(SupportRole, String), usize> = HashMap::with_capacity(contacts.len());
    for (row, c) in contacts.iter().enumerate() {
        if is_blank(&c.email) {
            continue;
        }
        let key = (c.role, email_key(&c.email));
        match seen.get(&key) {
            Some(&first) => e.push(
                "support_contacts",
                ErrorCode::DuplicateSupportContact { row, first },
            ),
            None => {
                seen.insert(key, row);
            }
        }
    }
    for (i, c) in contacts.iter().enumerate() {
        e.required_text(
            &format!("support_contacts[{i}].name"),
            &c.name,
            SUPPORT_NAME_MAX,
        );
        e.email(&format!("support_contacts[{i}].email"), &c.email);
    }
    e.0
}

/// Emails compare ignoring surrounding spaces and the case of ASCII letters; every other
/// character compares exactly (`ÁNA@x.es` and `ána@x.es` are two addresses). Mail systems
/// treat the local part as case-sensitive in principle and domains are ASCII once encoded, so
/// ASCII case is what two spellings of one mailbox really differ by; full Unicode case mapping
/// would cost the browser core's case tables (about 8 KB brotli) for no address seen in practice.
fn email_key(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}
