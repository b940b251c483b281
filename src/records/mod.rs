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

use crate::model::draft::{Entry, EntryKind, PortValue, Text};
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
    let mut e = Entry::default();
    refill_entry(registry, r, &mut e);
    e
}

/// [`entry_of`] written over `e`, a default entry or that of an earlier record (the fields
/// `entry_of` leaves at their defaults stay so), reusing its strings and lists: `registry
/// lint` checks the 145,000 records of a large file through one entry per chunk instead
/// of allocating and freeing a handful of strings for each.
pub(crate) fn refill_entry(registry: &Registry, r: &Record, e: &mut Entry) {
    let text = |span: Span| registry.span_text(span);
    e.index = r.index;
    e.span = r.span;
    let name = r.name.as_deref();
    set_text(
        &mut e.name,
        name.map(|n| (n, r.name_span().unwrap_or(r.span))),
    );
    let transport = r.protocol_span().map(|span| (text(span).trim(), span));
    set_list(&mut e.transports, transport);
    e.port = r.number_span().map(|span| {
        let value = match r.number {
            Some(n) if n.is_single() => PortValue::Single(n.lo),
            Some(n) => PortValue::Range(n.lo, n.hi),
            None => {
                let raw = text(span).to_string();
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
    set_text(&mut e.description, Some((&r.description, r.span)));
    let sc = r.sc_span().map(|span| (text(span).trim(), span));
    set_text(&mut e.service_code, sc);
    set_list(&mut e.service_codes, sc);
    e.kind = Some(Spanned::new(EntryKind::New, r.span));
}

/// Sets a text field, in the string it holds when it has one.
fn set_text(slot: &mut Option<Text>, value: Option<(&str, Span)>) {
    match (slot.as_mut(), value) {
        (Some(t), Some((v, span))) => set_text_in(t, v, span),
        (None, Some((v, span))) => *slot = Some(Spanned::new(v.to_string(), span)),
        (_, None) => *slot = None,
    }
}

/// Sets a list field to the list of one text (both with the text's span), in the list it
/// holds when it holds one text.
fn set_list(slot: &mut Option<Spanned<Vec<Text>>>, value: Option<(&str, Span)>) {
    let Some((v, span)) = value else {
        *slot = None;
        return;
    };
    match slot.as_mut() {
        Some(list) if list.value.len() == 1 => {
            list.span = span;
            for t in &mut list.value {
                set_text_in(t, v, span);
            }
        }
        _ => *slot = Some(Spanned::new(vec![Spanned::new(v.to_string(), span)], span)),
    }
}

fn set_text_in(t: &mut Text, v: &str, span: Span) {
    t.value.clear();
    t.value.push_str(v);
    t.span = span;
}
