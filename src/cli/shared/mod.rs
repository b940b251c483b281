//! What the commands share: settings (config file, custom rules, levels, the date), finding
//! and loading the registry, reading drafts, and writing reports and errors.

pub mod input;
pub mod output;
pub mod resolve;
pub mod settings;
pub mod walk;

pub use output::{print, Fatal};
