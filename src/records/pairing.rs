//! Pairing the records of BASE and HEAD for `registry diff` without parsing what did not
//! change. Almost every record of a new registry version is byte for byte the one before, and
//! a record's parse depends on its own bytes only, so identical text means identical content:
//! only records whose text differs are parsed and compared field by field. The pairing key
//! (name, protocol, number) comes from the scanner's notes, the same notes the registry's
//! index is built from. A registry parsed in full (CSV, or XML the scanner left to the full
//! parse) has no notes and is paired from its parsed records, as before.

use std::collections::HashMap;

use crate::model::{PortRange, Transport};
use crate::registry::{Record, Registry};

/// Everything but position: two records with the same content are the same record.
fn content(r: &Record) -> impl PartialEq + '_ {
    (
        (&r.name, r.protocol, r.number, &r.description),
        (&r.assignee, &r.contact, &r.service_code, &r.note),
        (&r.unauthorized, &r.date, &r.updated),
        r.references
            .iter()
            .map(|x| (x.kind, &x.data, &x.text))
            .collect::<Vec<_>>(),
    )
}

/// `identity(r).to_ascii_lowercase()` from the identity's parts: records pair up by name
/// (case-insensitive), protocol and number. Built by hand: formatting it was a tenth of a diff.
pub(crate) fn identity_key(
    name: Option<&str>,
    protocol: Option<Transport>,
    number: Option<PortRange>,
) -> String {
    let name = name.unwrap_or("(unnamed)");
    let mut k = String::with_capacity(name.len() + 20);
    k.push_str(name);
    k.push(' ');
    k.push_str(protocol.map_or("any", Transport::as_str));
    k.push(' ');
    match number {
        None => k.push('-'),
        Some(n) => {
            push_number(&mut k, n.lo);
            if !n.is_single() {
                k.push('-');
                push_number(&mut k, n.hi);
            }
        }
    }
    k.make_ascii_lowercase();
    k
}

fn push_number(k: &mut String, n: u16) {
    let mut digits = [0u8; 5];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        k.push(char::from(d));
    }
}

/// Record `i`'s pairing key.
fn record_key(r: &Record) -> String {
    identity_key(r.name.as_deref(), r.protocol, r.number)
}

/// The pairing keys of every record, from the scanner's notes (None when the registry was
/// parsed in full).
pub(crate) fn scanned_keys(registry: &Registry) -> Option<Vec<String>> {
    let text = registry.source();
    let notes = registry.records.scanned()?;
    Some(
        notes
            .iter()
            .map(|s| {
                let name = s.name.get().and_then(|sp| text.get(sp.start..sp.end));
                identity_key(name, s.protocol, s.number)
            })
            .collect(),
    )
}

/// Whether BASE record `b` and HEAD record `h` have the same content: the same text, else
/// the same fields once parsed.
fn same_record(base: &Registry, b: usize, head: &Registry, h: usize) -> bool {
    if let (Some(x), Some(y)) = (base.scanned_record_text(b), head.scanned_record_text(h)) {
        if x == y {
            return true;
        }
    }
    match (base.records.get(b), head.records.get(h)) {
        (Some(x), Some(y)) => content(x) == content(y),
        _ => false,
    }
}

/// How a HEAD record relates to BASE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    /// Changed; the index of its BASE version.
    Changed(usize),
}

/// The records of HEAD paired with BASE's.
pub(crate) struct Pairing {
    /// The added and changed records of HEAD, in document order.
    pub changes: Vec<(usize, Change)>,
    /// The BASE records HEAD no longer has, in document order.
    pub removed: Vec<usize>,
    /// Every HEAD record's pairing key.
    pub head_keys: Vec<String>,
}

/// Pairs each HEAD record with the first unpaired BASE record of its key.
pub(crate) fn pair(base: &Registry, head: &Registry) -> Pairing {
    let base_keys = scanned_keys(base)
        .unwrap_or_else(|| base.records.iter().map(record_key).collect::<Vec<_>>());
    let head_keys = scanned_keys(head)
        .unwrap_or_else(|| head.records.iter().map(record_key).collect::<Vec<_>>());
    let mut in_base: HashMap<&str, Vec<usize>> = HashMap::with_capacity(base_keys.len());
    for (i, k) in base_keys.iter().enumerate().rev() {
        in_base.entry(k.as_str()).or_default().push(i);
    }
    let mut changes = Vec::new();
    for (i, k) in head_keys.iter().enumerate() {
        match in_base.get_mut(k.as_str()).and_then(Vec::pop) {
            Some(b) if same_record(base, b, head, i) => {}
            Some(b) => changes.push((i, Change::Changed(b))),
            None => changes.push((i, Change::Added)),
        }
    }
    let mut removed: Vec<usize> = in_base.into_values().flatten().collect();
    removed.sort_unstable();
    Pairing {
        changes,
        removed,
        head_keys,
    }
}

/// Whether HEAD's person `id` is new, or differs from BASE's in name, organisation, URIs or
/// update date (people with the same text are the same).
pub(crate) fn person_changed(base: &Registry, head: &Registry, id: &str) -> bool {
    let Some(hi) = head.person_index(id) else {
        return false;
    };
    let Some(bi) = base.person_index(id) else {
        return true;
    };
    if let (Some(x), Some(y)) = (base.scanned_person_text(bi), head.scanned_person_text(hi)) {
        if x == y {
            return false;
        }
    }
    match (base.people.get(bi), head.people.get(hi)) {
        (Some(b), Some(h)) => {
            (&b.name, &b.org, &b.uris, &b.updated) != (&h.name, &h.org, &h.uris, &h.updated)
        }
        // Not reached: both indices come from the registries' own indexes.
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::view::identity;
    use crate::source::Span;

    #[test]
    fn key_is_the_lower_case_identity() {
        let cases = [
            (Some("HTTP"), Some(Transport::Tcp), Some((80, 80))),
            (Some("x-Y"), None, Some((0, 0))),
            (Some("a"), Some(Transport::Dccp), Some((1000, 65535))),
            (None, Some(Transport::Udp), Some((10, 20))),
            (Some("Name"), Some(Transport::Sctp), None),
            (None, None, None),
        ];
        for (name, protocol, number) in cases {
            let mut r = Record::empty(0, Span::new(0, 0));
            r.name = name.map(str::to_string);
            r.protocol = protocol;
            r.number = number.map(|(lo, hi)| PortRange { lo, hi });
            assert_eq!(
                identity_key(r.name.as_deref(), r.protocol, r.number),
                identity(&r).to_ascii_lowercase()
            );
        }
    }
}
