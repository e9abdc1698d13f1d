//! The onboarding wizard's functional core. Everything here is plain Rust on plain types, so
//! the browser app and the partner backend run exactly the same rules.

pub mod config;
pub mod countries;
pub mod draft_codec;
pub mod embed;
pub mod error;
pub mod formats;
pub mod model;
pub mod payload;
pub mod regions;
pub mod retry;
pub mod signin;
pub mod steps;
pub mod sync;
pub mod text;
pub mod validate;

pub use error::{ErrorCode, FieldError};
pub use model::*;
pub use steps::StepId;
