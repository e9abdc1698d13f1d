//! Validation: one file per step, each returning every error of that step in page order.

mod customer;
mod gateway;
mod pbx;
pub(crate) mod rules;
mod sync;

pub use customer::{
    validate_admin_contacts, validate_customer, validate_customer_info, validate_support_contacts,
};
pub use gateway::validate_gateway;
pub use pbx::{validate_connect, validate_pbx};
pub use rules::is_valid_email;
pub use sync::validate_sync;

use crate::steps::{steps_for, StepId};
use crate::{model::Draft, FieldError};

/// Every error of one step. Review has no fields of its own.
pub fn validate_step(step: StepId, draft: &Draft) -> Vec<FieldError> {
    match step {
        StepId::Customer => validate_customer(draft),
        StepId::Gateway => validate_gateway(&draft.gateway),
        StepId::Pbx => validate_pbx(&draft.pbx),
        StepId::Connect => validate_connect(&draft.pbx),
        StepId::Sync => validate_sync(&draft.sync),
        StepId::Review => Vec::new(),
    }
}

/// Every error of every step on the draft's path, in wizard order: what Submit checks, and
/// what the backend checks.
pub fn validate_all(draft: &Draft) -> Vec<FieldError> {
    steps_for(draft.platform())
        .iter()
        .flat_map(|&step| validate_step(step, draft))
        .collect()
}

/// The first step on the draft's path that has an error, and its errors.
pub fn first_invalid_step(draft: &Draft) -> Option<(StepId, Vec<FieldError>)> {
    steps_for(draft.platform()).iter().find_map(|&step| {
        let errors = validate_step(step, draft);
        (!errors.is_empty()).then_some((step, errors))
    })
}
