//! The data model shared by drafts and registry records.

pub mod draft;
pub mod reference;
pub mod service_code;
pub mod transport;

pub use transport::{PortRange, Transport};
