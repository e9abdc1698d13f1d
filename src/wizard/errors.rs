//! The errors shown for the current step: a list for the summary (page order) and a map from
//! field path to its errors for the inline messages.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use onboarding_core::{ErrorCode, FieldError, StepId};

use super::rows::RowPlace;
use crate::i18n::{fill, I18n, Key};

#[derive(Clone, Copy)]
pub struct Errors {
    /// False until the user first presses Next on this step; then fields re-validate live.
    /// Read it freely; change it through `show` / `clear`, which tell the fields concerned.
    pub shown: RwSignal<bool>,
    pub list: RwSignal<Vec<FieldError>>,
    by_path: StoredValue<HashMap<String, Vec<FieldError>>>,
    /// One trigger per path a field has asked about. A change notifies only the fields whose
    /// errors changed: with a shared signal, each of a thousand rows' fields subscribed to it,
    /// and every re-run unsubscribed from a 3,000-entry set (Next at 1,000 contacts: 110 ms).
    watchers: StoredValue<HashMap<String, ArcTrigger>>,
    /// Turns an error's path into the key its field asks under (`key_of`).
    keys: StoredValue<Option<KeyFn>>,
}

type KeyFn = Arc<dyn Fn(&str) -> RowPlace + Send + Sync>;

impl Default for Errors {
    fn default() -> Self {
        Errors {
            shown: RwSignal::new(false),
            list: RwSignal::new(Vec::new()),
            by_path: StoredValue::new(HashMap::new()),
            watchers: StoredValue::new(HashMap::new()),
            keys: StoredValue::new(None),
        }
    }
}

impl Errors {
    /// Fields ask for their errors by key, not by path: a contact row's fields use the row's
    /// slot where the rules' paths say its position (see `AdminRow::slot`). `place` says where
    /// a path's row is.
    pub fn key_paths_by(&self, place: impl Fn(&str) -> RowPlace + Send + Sync + 'static) {
        self.keys.set_value(Some(Arc::new(place)));
    }

    fn place(&self, path: &str) -> RowPlace {
        self.keys.with_value(|k| k.as_ref().map(|k| k(path))).unwrap_or(RowPlace::NotARow)
    }

    /// The key the field of `path` asks for its errors under; its element id is `dom_id(key)`.
    pub fn key_of(&self, path: &str) -> String {
        match self.place(path) {
            RowPlace::Slot(key) => key,
            RowPlace::NotARow | RowPlace::Missing => path.to_string(),
        }
    }

    /// The step whose page shows `error` beside its field, or `None` (Review's summary) for a
    /// backend error about a field this version does not show or a contact row the form does
    /// not have.
    pub fn step_showing(&self, error: &FieldError) -> Option<StepId> {
        onboarding_core::payload::step_of_field(&error.path).filter(|_| self.place(&error.path) != RowPlace::Missing)
    }

    /// Replaces the errors, notifying only the paths whose errors changed (and the summary).
    pub fn set(&self, mut errors: Vec<FieldError>) {
        if self.list.with_untracked(|l| *l == errors) {
            return;
        }
        let mut map: HashMap<String, Vec<FieldError>> = HashMap::with_capacity(errors.len());
        // The same error twice says nothing new (and the summary keys its links by what they say).
        errors.retain(|e| {
            let at_field = map.entry(self.key_of(&e.path)).or_default();
            let new = !at_field.contains(e);
            if new {
                at_field.push(e.clone());
            }
            new
        });
        // Hidden errors show nothing, so no field needs telling until `show`.
        let changed: Vec<String> = if self.shown.get_untracked() {
            self.by_path.with_value(|old| {
                let gone = old.iter().filter(|(p, v)| map.get(*p) != Some(*v)).map(|(p, _)| p.clone());
                let new = map.iter().filter(|(p, v)| old.get(*p) != Some(*v)).map(|(p, _)| p.clone());
                gone.chain(new).collect()
            })
        } else {
            Vec::new()
        };
        self.by_path.set_value(map);
        self.list.set(errors);
        self.notify(&changed);
    }

    /// Shows the errors (after a Next).
    pub fn show(&self) {
        if !self.shown.get_untracked() {
            self.shown.set(true);
            self.notify(&self.paths());
        }
    }

    pub fn clear(&self) {
        let paths = self.paths();
        self.shown.set(false);
        self.set(Vec::new());
        self.notify(&paths);
    }

    pub fn has_any(&self) -> bool {
        self.shown.get() && self.list.with(|l| !l.is_empty())
    }

    /// The errors of one field, by its key (`key_of`; reactive: it re-runs when that field's
    /// errors change, or when they are shown or cleared); empty until errors are shown.
    pub fn at(&self, path: &str) -> Vec<FieldError> {
        let trigger = self.watchers.with_value(|w| w.get(path).cloned()).unwrap_or_else(|| {
            let trigger = ArcTrigger::new();
            self.watchers.update_value(|w| {
                w.insert(path.to_string(), trigger.clone());
            });
            trigger
        });
        trigger.track();
        if !self.shown.get_untracked() {
            return Vec::new();
        }
        self.by_path.with_value(|m| m.get(path).cloned().unwrap_or_default())
    }

    /// Tells every field to read its errors again (their messages are in the new language).
    pub fn retell_all(&self) {
        let triggers: Vec<ArcTrigger> = self.watchers.with_value(|w| w.values().cloned().collect());
        for t in triggers {
            t.notify();
        }
    }

    /// The paths that have errors now.
    fn paths(&self) -> Vec<String> {
        self.by_path.with_value(|m| m.keys().cloned().collect())
    }

    fn notify(&self, paths: &[String]) {
        let triggers: Vec<ArcTrigger> =
            self.watchers.with_value(|w| paths.iter().filter_map(|p| w.get(p).cloned()).collect());
        for t in triggers {
            t.notify();
        }
    }
}

/// The id of a field's element: `admin_contacts[1].email` → `admin_contacts-1-email`.
pub fn dom_id(path: &str) -> String {
    path.replace('[', "-").replace("].", "-").replace(']', "").replace('.', "-")
}

/// Where an error's summary link takes the user: the field, or for group rules the control
/// that fixes them.
pub fn target_id(errors: &Errors, error: &FieldError, support_rows: usize) -> String {
    match error.code {
        ErrorCode::MissingMaintainer | ErrorCode::MissingOnsiteAdmin if support_rows > 0 => {
            dom_id(&errors.key_of("support_contacts[0].role"))
        }
        ErrorCode::MissingMaintainer | ErrorCode::MissingOnsiteAdmin => "add-support-contact".into(),
        ErrorCode::DuplicateSupportContact { row, .. } => dom_id(&errors.key_of(&format!("support_contacts[{row}].email"))),
        // The backend named no field this version shows: the way forward is Submit again.
        _ if errors.step_showing(error).is_none() => "next".into(),
        _ => dom_id(&errors.key_of(&error.path)),
    }
}

/// The translated message; the summary and the inline message use the same words.
pub fn message(i18n: &I18n, error: &FieldError) -> String {
    let lang = i18n.lang.get();
    // A backend error about a field no page shows: say so, naming it as the backend did.
    if onboarding_core::payload::step_of_field(&error.path).is_none() {
        return fill(lang.text(Key::ErrorUnknownField), &[("field", &error.path)]);
    }
    if let Some(text) = message_of_form(i18n, error) {
        return text;
    }
    let key = format!("error.{}.{}", error.generic_path(), error.code.as_str());
    let template = lang
        .text_dyn(&key)
        .or_else(|| lang.text_dyn(&format!("error.code.{}", error.code.as_str())))
        .unwrap_or_else(|| i18n.t(Key::ErrorFallback));
    let n = error.row().map(|r| r + 1);
    let (n, m, max) = match error.code {
        ErrorCode::TooLong { max, .. } => (n, None, Some(max)),
        ErrorCode::DuplicateEmail { first } => (n, Some(first + 1), None),
        ErrorCode::DuplicateSupportContact { row, first } => (Some(row + 1), Some(first + 1), None),
        _ => (n, None, None),
    };
    let (n, m, max) = (n.map(|v| v.to_string()), m.map(|v| v.to_string()), max.map(|v| v.to_string()));
    let mut text = fill(template, &[("n", n.as_deref().unwrap_or("")), ("m", m.as_deref().unwrap_or("")), ("max", max.as_deref().unwrap_or(""))]);
    // A limit says how long the answer is: "…100 characters or fewer: it has 155".
    if let ErrorCode::TooLong { len: Some(len), .. } = error.code {
        text.push_str(&fill(lang.text(Key::ErrorTooLongHas), &[("len", &len.to_string())]));
    }
    text
}

/// Messages made from what the error carries rather than from its path: the expected form of
/// the chosen country's postal codes, and a backend's own reason for a code this version does
/// not know.
fn message_of_form(i18n: &I18n, error: &FieldError) -> Option<String> {
    use onboarding_core::countries::{postal_code_form, PostalCodeForm};
    let lang = i18n.lang.get();
    match (error.code, &error.message) {
        (ErrorCode::Rejected, Some(reason)) => Some(fill(lang.text(Key::ErrorCodeRejectedReason), &[("reason", reason)])),
        (ErrorCode::PostalCodeFormat { country: Some(country) }, _) => {
            // The site's address says so, so that its error and the customer's never read alike.
            let site = error.path.starts_with("gateway.site_address");
            let key = |customer: Key, of_site: Key| lang.text(if site { of_site } else { customer });
            Some(match postal_code_form(country.as_str())? {
                PostalCodeForm::Digits { count, example, alternative: None } => fill(
                    key(Key::ErrorPostalFormDigits, Key::ErrorSitePostalFormDigits),
                    &[("count", &count.to_string()), ("example", example)],
                ),
                PostalCodeForm::Digits { count, example, alternative: Some(alternative) } => fill(
                    key(Key::ErrorPostalFormDigitsOr, Key::ErrorSitePostalFormDigitsOr),
                    &[("count", &count.to_string()), ("example", example), ("alternative", alternative)],
                ),
                PostalCodeForm::Pattern { example } => {
                    fill(key(Key::ErrorPostalFormPattern, Key::ErrorSitePostalFormPattern), &[("example", example)])
                }
            })
        }
        _ => None,
    }
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
