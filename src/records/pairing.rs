//! Pairing the records of BASE and HEAD for `registry diff` without parsing what did not
//! change. Almost every record of a new registry version is byte for byte the one before, and
//! a record's parse depends on its own bytes only, so identical text means identical content:
//! only records whose text differs are parsed and compared field by field. The pairing key
//! (name, protocol, number) comes from the scanner's notes, the same notes the registry's
//! index is built from. A registry parsed in full (CSV, or XML the scanner left to the full
//! parse) has no notes and is paired from its parsed records, as before.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

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

/// What records pair up by: name (ASCII case-insensitive; `(unnamed)` without one),
/// protocol and number. Two keys are equal exactly when the records' lower-case
/// [`identity`](crate::records::identity) strings are: the protocol and number print without
/// spaces, so that string splits back into these three parts. Compared and hashed in place:
/// building the strings was a tenth of a diff.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Key<'a> {
    name: &'a str,
    protocol: Option<Transport>,
    number: Option<PortRange>,
}

impl<'a> Key<'a> {
    fn new(name: Option<&'a str>, protocol: Option<Transport>, number: Option<PortRange>) -> Self {
        Key {
            name: name.unwrap_or("(unnamed)"),
            protocol,
            number,
        }
    }

    fn of(r: &'a Record) -> Self {
        Key::new(r.name.as_deref(), r.protocol, r.number)
    }
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.protocol == other.protocol
            && self.number == other.number
            && self.name.eq_ignore_ascii_case(other.name)
    }
}

impl Eq for Key<'_> {}

impl Hash for Key<'_> {
    /// One write of the protocol, number and lower-case name (a write per part cost more
    /// than the rest of the pairing); names over 40 bytes take more.
    fn hash<H: Hasher>(&self, state: &mut H) {
        const HEAD: usize = 6;
        let mut buf = [0u8; 48];
        buf[0] = self.protocol.map_or(0, |t| 1 + t.index() as u8);
        if let Some(n) = self.number {
            buf[1] = 1;
            buf[2..4].copy_from_slice(&n.lo.to_le_bytes());
            buf[4..6].copy_from_slice(&n.hi.to_le_bytes());
        }
        let name = self.name.as_bytes();
        let (first, rest) = name.split_at(name.len().min(buf.len() - HEAD));
        let end = HEAD + first.len();
        buf[HEAD..end].copy_from_slice(first);
        buf[HEAD..end].make_ascii_lowercase();
        state.write(&buf[..end]);
        for chunk in rest.chunks(buf.len()) {
            let lower = &mut buf[..chunk.len()];
            lower.copy_from_slice(chunk);
            lower.make_ascii_lowercase();
            state.write(lower);
        }
    }
}

/// The pairing keys of every record: from the scanner's notes, else (a registry parsed in
/// full) from the records.
fn keys(registry: &Registry) -> Vec<Key<'_>> {
    let text = registry.source();
    match registry.records.scanned() {
        Some(notes) => notes
            .iter()
            .map(|s| {
                let name = s.name.get().and_then(|sp| text.get(sp.start..sp.end));
                Key::new(name, s.protocol, s.number)
            })
            .collect(),
        None => registry.records.iter().map(Key::of).collect(),
    }
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
pub(crate) struct Pairing<'h> {
    /// The added and changed records of HEAD, in document order.
    pub changes: Vec<(usize, Change)>,
    /// The BASE records HEAD no longer has, in document order.
    pub removed: Vec<usize>,
    /// Every HEAD record's pairing key.
    pub head_keys: Vec<Key<'h>>,
}

/// Pairs each HEAD record with the first unpaired BASE record of its key.
pub(crate) fn pair<'h>(base: &Registry, head: &'h Registry) -> Pairing<'h> {
    const NONE: usize = usize::MAX;
    let base_keys = keys(base);
    let head_keys = keys(head);
    // The unpaired BASE records of each key, first first: the map holds the first, `next`
    // links each to the following one (a key rarely has more than one record).
    let mut first: HashMap<Key<'_>, usize> = HashMap::with_capacity(base_keys.len());
    let mut next = vec![NONE; base_keys.len()];
    for (i, k) in base_keys.iter().enumerate().rev() {
        if let Some(later) = first.insert(*k, i) {
            next[i] = later;
        }
    }
    let mut changes = Vec::new();
    for (i, k) in head_keys.iter().enumerate() {
        let b = match first.entry(*k) {
            Entry::Occupied(mut e) => {
                let b = *e.get();
                match next.get(b).copied().unwrap_or(NONE) {
                    NONE => {
                        e.remove();
                    }
                    later => {
                        e.insert(later);
                    }
                }
                Some(b)
            }
            Entry::Vacant(_) => None,
        };
        match b {
            Some(b) if same_record(base, b, head, i) => {}
            Some(b) => changes.push((i, Change::Changed(b))),
            None => changes.push((i, Change::Added)),
        }
    }
    let mut removed = Vec::new();
    for mut b in first.into_values() {
        while b != NONE {
            removed.push(b);
            b = next.get(b).copied().unwrap_or(NONE);
        }
    }
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

    /// Keys are equal exactly when the lower-case identities are, and equal keys hash alike.
    #[test]
    fn keys_compare_as_lower_case_identities() {
        use std::hash::BuildHasher;
        let long = "A-Very-Long-Service-Name-Beyond-One-Chunk-Of-Hashing";
        let cases = [
            (Some("HTTP"), Some(Transport::Tcp), Some((80, 80))),
            (Some("http"), Some(Transport::Tcp), Some((80, 80))),
            (Some("http"), Some(Transport::Udp), Some((80, 80))),
            (Some("http"), None, Some((80, 80))),
            (Some("http"), Some(Transport::Tcp), Some((80, 81))),
            (Some("http"), Some(Transport::Tcp), None),
            (Some("x-Y"), None, Some((0, 0))),
            (None, Some(Transport::Udp), Some((10, 20))),
            (Some("(UNNAMED)"), Some(Transport::Udp), Some((10, 20))),
            (None, None, None),
            (Some(long), Some(Transport::Dccp), Some((1000, 65535))),
            (
                Some(&long.to_ascii_lowercase()),
                Some(Transport::Dccp),
                Some((1000, 65535)),
            ),
        ];
        let records: Vec<Record> = cases
            .iter()
            .map(|(name, protocol, number)| {
                let mut r = Record::empty(0, Span::new(0, 0));
                r.name = name.map(str::to_string);
                r.protocol = *protocol;
                r.number = number.map(|(lo, hi)| PortRange { lo, hi });
                r
            })
            .collect();
        let state = std::collections::hash_map::RandomState::new();
        for a in &records {
            for b in &records {
                let same = identity(a).eq_ignore_ascii_case(&identity(b));
                assert_eq!(Key::of(a) == Key::of(b), same, "{a:?} {b:?}");
                if same {
                    assert_eq!(state.hash_one(Key::of(a)), state.hash_one(Key::of(b)));
                }
            }
        }
    }
}
