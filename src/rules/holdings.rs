//! The registry's records and people that name a given person id, email address or
//! organisation, found by searching the registry's text (records) or its contact index
//! (people, `Registry::people_with_contact`) so that a `check` parses only the
//! few records and people that match (parsing all 14,000 records would cost ten times the
//! whole check). Every text match is confirmed on the parsed record or person.

use crate::registry::{Format, Person, Record, Registry};
use crate::source::Span;

/// Byte offsets of `needle` in `hay`.
fn occurrences<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    memchr::memmem::find_iter(hay, needle)
}

/// The index of the item whose span contains `offset`, among `len` items in document order.
fn containing(len: usize, span: impl Fn(usize) -> Option<Span>, offset: usize) -> Option<usize> {
    // The first item that ends after the offset.
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match span(mid) {
            Some(s) if s.end <= offset => lo = mid + 1,
            _ => hi = mid,
        }
    }
    (lo < len)
        .then(|| span(lo))
        .flatten()
        .filter(|s| s.start <= offset && offset < s.end)
        .map(|_| lo)
}

fn record_span(registry: &Registry, i: usize) -> Option<Span> {
    match registry.records.scanned() {
        Some(s) => s.get(i).map(|r| r.span),
        None => registry.records.get(i).map(|r| r.span),
    }
}

/// Records whose assignee or contact is one of `ids`, in document order.
pub fn records_held_by<'r>(registry: &'r Registry, ids: &[String]) -> Vec<&'r Record> {
    let hay = registry.source().as_bytes();
    let mut found: Vec<usize> = Vec::new();
    // An id the XML's <people> does not list holds nothing: a new applicant, the common case,
    // costs no pass over the records. (The CSV has no people: every id is searched.)
    let listed = |id: &str| registry.format != Format::Xml || registry.person(id).is_some();
    for id in ids.iter().filter(|id| !id.is_empty() && listed(id)) {
        for at in occurrences(hay, id.as_bytes()) {
            let end = at + id.len();
            // A whole attribute value (`data="Id"`) or bracketed CSV id (`[Id]`).
            let open = at.checked_sub(1).and_then(|i| hay.get(i));
            let close = hay.get(end);
            let quoted = matches!(
                (open, close),
                (Some(b'"'), Some(b'"')) | (Some(b'\''), Some(b'\'')) | (Some(b'['), Some(b']'))
            );
            if !quoted {
                continue;
            }
            if let Some(i) = containing(registry.records.len(), |i| record_span(registry, i), at) {
                found.push(i);
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
        .into_iter()
        .filter_map(|i| registry.records.get(i))
        .filter(|r| {
            r.assignee
                .iter()
                .chain(&r.contact)
                .any(|h| ids.iter().any(|id| h == id))
        })
        .collect()
}

/// The email address of a registry person's `mailto:` uris (`&` written for `@`), lower case.
pub fn person_emails(p: &Person) -> Vec<String> {
    p.uris
        .iter()
        .filter_map(|u| u.strip_prefix("mailto:"))
        .map(|a| a.replacen('&', "@", 1).trim().to_ascii_lowercase())
        .collect()
}

/// The registry's people with one of these email addresses (`@` form) or organisations,
/// compared trimmed and case-insensitively.
pub fn people_matching<'r>(
    registry: &'r Registry,
    emails: &[String],
    orgs: &[String],
) -> Vec<&'r Person> {
    if registry.format != Format::Xml {
        return Vec::new(); // the CSV has no people
    }
    let emails: Vec<String> = emails
        .iter()
        .map(|e| e.trim().to_ascii_lowercase())
        .collect();
    let orgs: Vec<String> = orgs.iter().map(|o| o.trim().to_ascii_lowercase()).collect();
    // Candidates from the registry's contact index (built once per run), confirmed below.
    let mut found: Vec<usize> = emails
        .iter()
        .chain(&orgs)
        .filter(|k| !k.is_empty())
        .flat_map(|k| registry.people_with_contact(k))
        .collect();
    found.sort_unstable();
    found.dedup();
    found
        .into_iter()
        .filter_map(|i| registry.people.get(i))
        .filter(|p| {
            person_emails(p).iter().any(|e| emails.contains(e))
                || p.org
                    .as_deref()
                    .is_some_and(|o| orgs.contains(&o.trim().to_ascii_lowercase()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containing_finds_the_item_around_an_offset() {
        let spans = [Span::new(10, 20), Span::new(25, 40), Span::new(40, 50)];
        let span = |i: usize| spans.get(i).copied();
        assert_eq!(containing(3, span, 10), Some(0));
        assert_eq!(containing(3, span, 19), Some(0));
        assert_eq!(containing(3, span, 22), None); // between two items
        assert_eq!(containing(3, span, 40), Some(2));
        assert_eq!(containing(3, span, 5), None);
        assert_eq!(containing(3, span, 60), None);
        assert_eq!(containing(0, span, 15), None);
    }

    #[test]
    fn held_records_and_matching_people_on_a_small_registry() {
        let xml = r#"<?xml version="1.0"?>
<registry id="service-names-port-numbers">
  <record date="2015-01-01"><name>acme</name><protocol>tcp</protocol><number>4100</number>
    <assignee><xref type="person" data="Acme_Corp"/></assignee>
    <description>Acme, not Acme_Corpus</description><xref type="person" data="Jane_Roe"/></record>
  <record date="2015-01-01"><name>other</name><protocol>tcp</protocol><number>4200</number>
    <description>mentions Acme_Corp in text only</description></record>
  <people>
    <person id="Acme_Corp"><org>Acme Corp</org><uri>mailto:ports&amp;acme.example</uri></person>
    <person id="Jane_Roe"><name>Jane Roe</name><uri>mailto:Jane&amp;Acme.example</uri></person>
  </people>
</registry>
"#;
        let Ok(reg) = Registry::from_bytes("r.xml", xml.as_bytes().to_vec()) else {
            panic!("the test registry loads");
        };
        let held: Vec<_> = records_held_by(&reg, &["Acme_Corp".to_string()])
            .iter()
            .map(|r| r.name.clone().unwrap_or_default())
            .collect();
        assert_eq!(held, ["acme"]);
        assert!(records_held_by(&reg, &["Nobody".to_string()]).is_empty());
        let ids = |v: Vec<&Person>| v.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids(people_matching(&reg, &["JANE@acme.example".into()], &[])),
            ["Jane_Roe"]
        );
        assert_eq!(
            ids(people_matching(&reg, &[], &[" acme corp ".into()])),
            ["Acme_Corp"]
        );
        assert!(people_matching(&reg, &[], &["Acme".into()]).is_empty());
    }
}
