//! The data model shared by drafts and registry records.

pub mod draft;
pub mod reference;
pub mod service_code;
pub mod transport;

pub use transport::{PortRange, Transport};

/// RFC 6335 was published in August 2011: records registered before it, or with no
/// registration date, are legacy. Their names may break §5.1, and the style rules that came
/// with RFC 6335 and RFC 7605 are not applied to them.
pub const RFC6335_DATE: &str = "2011-08";
