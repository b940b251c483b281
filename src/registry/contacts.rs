//! The registry's people by email address and organisation, found through a table of hashes
//! built once, on the first question (`policy/party-has-port` asks once per draft), from each
//! person's text, so that building it parses no person and allocates no string. The answers
//! are candidates (hashes can collide): callers confirm them on the parsed person.

use super::registry::Registry;

/// (hash of the normalised email address or organisation, person index), sorted.
pub(crate) type Contacts = Vec<(u64, u32)>;

impl Registry {
    /// Builds the table [`Registry::people_with_contact`] reads, if not yet built: a run that
    /// will ask calls this on a spare thread (the registry's loader) rather than make the
    /// first draft to ask wait for it.
    pub fn prepare_contacts(&self) {
        self.contacts_cache().get_or_init(|| build(self));
    }

    /// The people whose email address (`@` form) or organisation may be `key` (compared
    /// trimmed and ASCII case-insensitively); empty for a CSV registry, which has no people.
    pub fn people_with_contact(&self, key: &str) -> Vec<usize> {
        let table = self.contacts_cache().get_or_init(|| build(self));
        let h = hash(key, false);
        let from = table.partition_point(|&(k, _)| k < h);
        table
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&(k, _)| k == h)
            .map(|&(_, i)| i as usize)
            .collect::<std::collections::BTreeSet<usize>>()
            .into_iter()
            .collect()
    }
}

fn build(registry: &Registry) -> Contacts {
    let mut table = Contacts::new();
    let mut buf = Vec::new();
    match registry.people.scanned() {
        Some(scanned) => {
            let (Some(first), Some(last)) = (scanned.first(), scanned.last()) else {
                return table;
            };
            let text = registry.source();
            let Some(section) = text.get(first.span.start..last.span.end) else {
                return table;
            };
            // One pass over the <people> section per field; a hit belongs to the person
            // around it. Hits come in document order, as the people do: the person is
            // found by moving forward, not by a search per hit.
            for (open, is_email) in [("<org>", false), ("mailto:", true)] {
                let mut person = 0;
                for at in memchr::memmem::find_iter(section.as_bytes(), open) {
                    let from = at + open.len();
                    let rest = section.get(from..).unwrap_or_default();
                    let end = memchr::memchr(b'<', rest.as_bytes()).unwrap_or(rest.len());
                    let offset = first.span.start + at;
                    while scanned.get(person).is_some_and(|p| p.span.end <= offset) {
                        person += 1;
                    }
                    let inside = scanned
                        .get(person)
                        .is_some_and(|p| p.span.start <= offset && offset < p.span.end);
                    if let (true, Some(value), Ok(i)) = (inside, rest.get(..end), person.try_into())
                    {
                        table.push((hash_with(value, is_email, &mut buf), i));
                    }
                }
            }
        }
        // Read eagerly (an unusual file): the parsed people, already unescaped.
        None => {
            for (i, p) in registry.people.iter().enumerate() {
                let Ok(i) = u32::try_from(i) else { break };
                if let Some(org) = &p.org {
                    table.push((hash_with(org, false, &mut buf), i));
                }
                for uri in &p.uris {
                    if let Some(address) = uri.strip_prefix("mailto:") {
                        table.push((
                            hash_with(&address.replacen('&', "@", 1), false, &mut buf),
                            i,
                        ));
                    }
                }
            }
        }
    }
    // By hash alone (cheaper than the pair); lookups take every person of a hash.
    table.sort_unstable_by_key(|&(h, _)| h);
    table
}

/// The hash of `value` trimmed, ASCII lower case, with XML's predefined entities decoded; in
/// a registry address (`mailto:jane&amp;acme.example`) the first `&` is IANA's `@`.
fn hash(value: &str, registry_email: bool) -> u64 {
    hash_with(value, registry_email, &mut Vec::new())
}

/// [`hash`], normalising into `buf` (reused across the thousands of values of a table).
fn hash_with(value: &str, registry_email: bool, buf: &mut Vec<u8>) -> u64 {
    const ENTITIES: [(&[u8], u8); 5] = [
        (b"&amp;", b'&'),
        (b"&lt;", b'<'),
        (b"&gt;", b'>'),
        (b"&quot;", b'"'),
        (b"&apos;", b'\''),
    ];
    buf.clear();
    let mut rest = value.trim().as_bytes();
    let mut at_seen = !registry_email;
    while let Some(i) = memchr::memchr(b'&', rest) {
        let (plain, tail) = rest.split_at(i);
        lower_into(buf, plain);
        let (mut out, len) = ENTITIES
            .iter()
            .find(|(e, _)| tail.starts_with(e))
            .map_or((b'&', 1), |(e, c)| (*c, e.len()));
        if out == b'&' && !at_seen {
            out = b'@';
            at_seen = true;
        }
        buf.push(out);
        rest = tail.get(len..).unwrap_or_default();
    }
    lower_into(buf, rest);
    mix(buf)
}

/// Appends `bytes` in ASCII lower case (copied, then lowered in place: a loop the compiler
/// vectorises, unlike a byte-by-byte push).
fn lower_into(buf: &mut Vec<u8>, bytes: &[u8]) {
    let start = buf.len();
    buf.extend_from_slice(bytes);
    if let Some(added) = buf.get_mut(start..) {
        added.make_ascii_lowercase();
    }
}

/// A word-at-a-time hash of `bytes` (eight bytes per step, not one: building the table
/// hashes some 7,000 values).
fn mix(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    let mut h = step(0, bytes.len() as u64);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = step(h, u64::from_le_bytes(w));
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut w = [0u8; 8];
        w[..tail.len()].copy_from_slice(tail);
        h = step(h, u64::from_le_bytes(w));
    }
    // Spread the last step's high bits down, so that nearby strings sort apart.
    h ^ (h >> 29)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_found_by_email_and_organisation() {
        let xml = r#"<?xml version="1.0"?>
<registry id="service-names-port-numbers">
  <record date="2015-01-01"><name>acme</name><protocol>tcp</protocol><number>4100</number>
    <description>Acme</description></record>
  <people>
    <person id="Acme_Corp"><org>Acme &amp; Sons</org><uri>mailto:ports&amp;acme.example</uri></person>
    <person id="Jane_Roe"><name>Jane Roe</name><uri>mailto:Jane&amp;Acme.example</uri></person>
  </people>
</registry>
"#;
        let Ok(reg) = Registry::from_bytes("r.xml", xml.as_bytes().to_vec()) else {
            panic!("the test registry loads");
        };
        assert_eq!(reg.people_with_contact("acme & sons"), [0]);
        assert_eq!(reg.people_with_contact("PORTS@acme.example "), [0]);
        assert_eq!(reg.people_with_contact("jane@acme.example"), [1]);
        assert!(reg.people_with_contact("acme").is_empty());
        assert_eq!(hash("A&amp;B", false), hash("a&b", false));
        assert_eq!(hash("x&amp;y.z", true), hash("x@y.z", false));
    }
}
