//! Drafts on this device: the localStorage store and the coalescing autosave.

mod autosave;
mod store;

pub use autosave::Autosave;
pub use store::{reset_memory, use_draft_store, DraftListing, DraftStore, StorageStatus};
