//! The errors shown for the current step: a list for the summary (page order) and a map from
//! field path to its errors for the inline messages.

use std::collections::HashMap;

use leptos::prelude::*;
use onboarding_core::{ErrorCode, FieldError};

use crate::i18n::{fill, I18n, Key};

#[derive(Clone, Copy)]
pub struct Errors {
    /// False until the user first presses Next on this step; then fields re-validate live.
    pub shown: RwSignal<bool>,
    pub list: RwSignal<Vec<FieldError>>,
    by_path: RwSignal<HashMap<String, Vec<FieldError>>>,
}

impl Default for Errors {
    fn default() -> Self {
        Errors { shown: RwSignal::new(false), list: RwSignal::new(Vec::new()), by_path: RwSignal::new(HashMap::new()) }
    }
}

impl Errors {
    /// Replaces the errors, notifying only when they changed (so fields do not re-render).
    pub fn set(&self, errors: Vec<FieldError>) {
        if self.list.with_untracked(|l| *l == errors) {
            return;
        }
        let mut map: HashMap<String, Vec<FieldError>> = HashMap::with_capacity(errors.len());
        for e in &errors {
            map.entry(e.path.clone()).or_default().push(e.clone());
        }
        self.by_path.set(map);
        self.list.set(errors);
    }

    pub fn clear(&self) {
        self.shown.set(false);
        self.set(Vec::new());
    }

    pub fn has_any(&self) -> bool {
        self.shown.get() && self.list.with(|l| !l.is_empty())
    }

    /// The errors of one path (reactive); empty until errors are shown.
    pub fn at(&self, path: &str) -> Vec<FieldError> {
        if !self.shown.get() {
            return Vec::new();
        }
        self.by_path.with(|m| m.get(path).cloned().unwrap_or_default())
    }
}

/// The id of a field's element: `admin_contacts[1].email` → `admin_contacts-1-email`.
pub fn dom_id(path: &str) -> String {
    path.replace('[', "-").replace("].", "-").replace(']', "").replace('.', "-")
}

/// Where an error's summary link takes the user: the field, or for group rules the control
/// that fixes them.
pub fn target_id(error: &FieldError, support_rows: usize) -> String {
    match error.code {
        ErrorCode::MissingMaintainer | ErrorCode::MissingOnsiteAdmin if support_rows > 0 => {
            "support_contacts-0-role".into()
        }
        ErrorCode::MissingMaintainer | ErrorCode::MissingOnsiteAdmin => "add-support-contact".into(),
        ErrorCode::DuplicateSupportContact { row, .. } => format!("support_contacts-{row}-email"),
        // The backend named no field this version shows: the way forward is Submit again.
        _ if onboarding_core::payload::step_of_path(&error.path).is_none() => "next".into(),
        _ => dom_id(&error.path),
    }
}

/// The translated message; the summary and the inline message use the same words.
pub fn message(i18n: &I18n, error: &FieldError) -> String {
    let key = format!("error.{}.{}", error.generic_path(), error.code.as_str());
    let lang = i18n.lang.get();
    let template = lang
        .text_dyn(&key)
        .or_else(|| lang.text_dyn(&format!("error.code.{}", error.code.as_str())))
        .unwrap_or_else(|| i18n.t(Key::ErrorFallback));
    let n = error.row().map(|r| r + 1);
    let (n, m, max) = match error.code {
        ErrorCode::TooLong { max } => (n, None, Some(max)),
        ErrorCode::DuplicateEmail { first } => (n, Some(first + 1), None),
        ErrorCode::DuplicateSupportContact { row, first } => (Some(row + 1), Some(first + 1), None),
        _ => (n, None, None),
    };
    let (n, m, max) = (n.map(|v| v.to_string()), m.map(|v| v.to_string()), max.map(|v| v.to_string()));
    fill(template, &[("n", n.as_deref().unwrap_or("")), ("m", m.as_deref().unwrap_or("")), ("max", max.as_deref().unwrap_or(""))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn dom_ids_are_valid_and_distinct() {
        assert_eq!(dom_id("admin_contacts[1].email"), "admin_contacts-1-email");
        assert_eq!(dom_id("customer.address.postal_code"), "customer-address-postal_code");
        assert_eq!(dom_id("support_contacts"), "support_contacts");
    }
}
