//! The data model shared by drafts and registry records.

pub mod transport;

pub use transport::{PortRange, Transport};
