//! The Sync step (SMBC/VA platforms).

use super::rules::Errors;
use crate::model::{SyncSettings, SYNC_USERS};
use crate::FieldError;

pub fn validate_sync(sync: &SyncSettings) -> Vec<FieldError> {
    let mut e = Errors(Vec::new());
    e.choice("sync.users", &sync.users, |u| SYNC_USERS.contains(&u));
    e.0
}
