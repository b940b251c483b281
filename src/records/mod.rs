//! Registry records as lint subjects: `registry lint` checks every record of a registry file,
//! `registry diff` checks what one registry adds or changes relative to another. A record is
//! turned into a draft [`Entry`] whose spans point into the registry file, so the same rule
//! functions judge drafts and records.

pub mod baseline;
pub mod codes;
pub mod diff;
pub mod export;
pub mod lint;
mod pairing;

use crate::model::draft::{Entry, EntryKind, PortValue};
use crate::registry::{Record, Registry};
use crate::source::{Span, Spanned};

pub use crate::model::RFC6335_DATE;
pub use crate::rules::view::identity;

pub fn is_legacy(r: &Record) -> bool {
    match r.date.as_deref() {
        None => true,
        Some(d) => d.get(..7).is_none_or(|ym| ym < RFC6335_DATE),
    }
}

/// The entry a record stands for, with spans into the registry text.
pub fn entry_of(registry: &Registry, r: &Record) -> Entry {
    let text = |span: Span| registry.span_text(span).to_string();
    let port = r.number_span().map(|span| {
        let value = match r.number {
            Some(n) if n.is_single() => PortValue::Single(n.lo),
            Some(n) => PortValue::Range(n.lo, n.hi),
            None => {
                let raw = text(span);
                PortValue::Invalid {
                    reason: match raw.trim().parse::<u64>() {
                        Ok(n) => format!("{n} is above 65535, the largest port number"),
                        Err(_) => "not a number or a range `N-M`".to_string(),
                    },
                    text: raw,
                }
            }
        };
        Spanned::new(value, span)
    });
    Entry {
        index: r.index,
        span: r.span,
        name: r
            .name
            .clone()
            .map(|n| Spanned::new(n, r.name_span().unwrap_or(r.span))),
        transports: r.protocol_span().map(|span| {
            Spanned::new(
                vec![Spanned::new(text(span).trim().to_string(), span)],
                span,
            )
        }),
        port,
        description: Some(Spanned::new(r.description.clone(), r.span)),
        service_code: r
            .sc_span()
            .map(|span| Spanned::new(text(span).trim().to_string(), span)),
        service_codes: r.sc_span().map(|span| {
            Spanned::new(
                vec![Spanned::new(text(span).trim().to_string(), span)],
                span,
            )
        }),
        kind: Some(Spanned::new(EntryKind::New, r.span)),
        ..Entry::default()
    }
}
