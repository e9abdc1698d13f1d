//! Validation: one file per step, each returning every error of that step in page order.

mod customer;
mod rules;

pub use customer::{validate_admin_contacts, validate_customer, validate_customer_info, validate_support_contacts};
pub use rules::is_valid_email;

use crate::{model::Draft, steps::StepId, FieldError};

/// Every error of one step. Steps whose forms do not exist yet have no rules.
pub fn validate_step(step: StepId, draft: &Draft) -> Vec<FieldError> {
    match step {
        StepId::Customer => validate_customer(draft),
        _ => Vec::new(),
    }
}
