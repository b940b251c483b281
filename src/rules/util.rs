//! Small helpers shared by the checks.

use crate::model::draft::{PortValue, Text};
use crate::source::Span;

/// The span of bytes `at..at+len` of a string value, when the value was written without
/// escapes (so the source between the quotes is the value itself); else the whole value.
pub fn inner_span(text: &str, value: &Text, at: usize, len: usize) -> Span {
    let raw = text.get(value.span.start..value.span.end).unwrap_or("");
    let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else if raw.starts_with('"') || raw.starts_with('\'') {
        1
    } else {
        0
    };
    match raw.get(quote..quote + value.value.len()) {
        Some(inner) if inner == value.value => value.span.sub(quote + at, len),
        _ => value.span,
    }
}

/// The lowest System-range number inside the requested port, or `None`; `"system"` counts as
/// a System port request.
pub fn system_part(port: &PortValue) -> Option<Option<u16>> {
    match port {
        PortValue::System => Some(None),
        PortValue::Single(_) | PortValue::Range(..) => {
            let (lo, hi) = port.range()?;
            (lo <= 1023 && hi >= 1).then_some(Some(lo.max(1)))
        }
        _ => None,
    }
}
