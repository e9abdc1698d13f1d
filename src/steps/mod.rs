//! One module per wizard step, plus the start page and the shell around the steps.

pub mod customer;
pub mod not_built;
pub mod start;
pub mod wizard_page;
