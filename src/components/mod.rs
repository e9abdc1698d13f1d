//! Reusable pieces of the wizard's pages.

pub mod address;
pub mod confirm_dialog;
pub mod error_summary;
pub mod field;
pub mod header;
pub mod notices;
pub mod row_number;
pub mod step_controls;
pub mod stepper;
