//! Reading inputs: request drafts (TOML) and, in `crate::registry`, registry files.

pub mod draft;
pub mod keys;

pub use draft::read_draft;
