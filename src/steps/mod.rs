//! One module per wizard step, plus the start page, the confirmation page and the shell around
//! the steps.

pub mod confirmation;
pub mod connect;
pub mod customer;
pub mod gateway;
pub mod pbx;
pub mod review;
pub mod start;
pub mod submission;
pub mod sync;
pub mod wizard_page;
