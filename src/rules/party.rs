//! "The same party" (life-cycle contract §3): who a draft's requester is, who holds a
//! registry record, and whether they are one party.
//!
//! A [`Party`] is what is known of one person or organisation: a person id (registry or the
//! draft's `[people]`), email addresses and organisations. Two parties are the same when
//! their ids are equal (ASCII case-insensitive), or they share an email address
//! (case-insensitive; the registry writes `mailto:user&example.com`), or an organisation
//! (case-insensitive, surrounding whitespace ignored).
//!
//! ```text
//! let requester = Party::of_ref(&assignee, draft, registry);   // draft side
//! let holders = Party::holders(record, registry);              // record side
//! if requester.same_as_any(&holders) { ... }
//! ```

use crate::model::draft::{strip_brackets, Draft, Entry, Person, PersonRef};
use crate::registry::{Record, Registry};

/// What is known about one party.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Party {
    /// A person id, without brackets.
    pub id: Option<String>,
    /// Lower-case addresses, `@` form.
    pub emails: Vec<String>,
    /// Trimmed, lower-case organisations.
    pub orgs: Vec<String>,
}

fn norm(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_ascii_lowercase())
}

/// `mailto:user&example.com` / `mailto:user@example.com` / `user@example.com` → `user@example.com`.
fn email_of(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix("mailto:").unwrap_or(s);
    let s = s.replacen('&', "@", 1);
    s.contains('@').then(|| s.to_ascii_lowercase())
}

impl Party {
    /// A registry person by id (an unknown id still counts by its id).
    pub fn of_registry_id(id: &str, registry: Option<&Registry>) -> Party {
        let id = strip_brackets(id).to_string();
        let mut p = Party {
            id: Some(id.clone()),
            ..Party::default()
        };
        if let Some(person) = registry.and_then(|r| r.person(&id)) {
            p.emails
                .extend(person.uris.iter().filter_map(|u| email_of(u)));
            p.orgs.extend(person.org.as_deref().and_then(norm));
        }
        p
    }

    /// A draft person (inline table or `[people.<id>]`).
    fn of_draft_person(id: Option<&str>, person: &Person) -> Party {
        let mut p = Party {
            id: id.map(|i| strip_brackets(i).to_string()),
            ..Party::default()
        };
        p.emails
            .extend(person.email.as_ref().and_then(|e| email_of(&e.value)));
        p.emails
            .extend(person.uri.as_ref().and_then(|u| email_of(&u.value)));
        p.orgs
            .extend(person.org.as_ref().and_then(|o| norm(&o.value)));
        p
    }

    /// A draft's `assignee`/`contact` value: an id of the draft's `[people]` (read there, and
    /// in the registry too when it has the id) or an inline person.
    pub fn of_ref(r: &PersonRef, draft: &Draft, registry: Option<&Registry>) -> Party {
        match r {
            PersonRef::Inline(p) => Party::of_draft_person(None, p),
            PersonRef::Id(id) => {
                let mut p = Party::of_registry_id(id, registry);
                if let Some(own) = draft.person(id) {
                    let d = Party::of_draft_person(Some(id), own);
                    p.emails.extend(d.emails);
                    p.orgs.extend(d.orgs);
                }
                p
            }
        }
    }

    /// The parties a draft entry speaks for: its assignee and its contact.
    pub fn of_entry(entry: &Entry, draft: &Draft, registry: Option<&Registry>) -> Vec<Party> {
        [&entry.assignee, &entry.contact]
            .into_iter()
            .flatten()
            .map(|r| Party::of_ref(&r.value, draft, registry))
            .collect()
    }

    /// The holders of a record: its assignees and its contacts.
    pub fn holders(record: &Record, registry: Option<&Registry>) -> Vec<Party> {
        record
            .assignee
            .iter()
            .chain(&record.contact)
            .map(|id| Party::of_registry_id(id, registry))
            .collect()
    }

    /// Whether the two are one party (see the module documentation).
    pub fn same_as(&self, other: &Party) -> bool {
        let ids = matches!((&self.id, &other.id), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b));
        ids || self.emails.iter().any(|e| other.emails.contains(e))
            || self.orgs.iter().any(|o| other.orgs.contains(o))
    }

    pub fn same_as_any(&self, others: &[Party]) -> bool {
        others.iter().any(|o| self.same_as(o))
    }

    /// Whether the party is the IESG (the assignee of IETF-stream assignments).
    pub fn is_iesg(&self) -> bool {
        self.id
            .as_deref()
            .is_some_and(|i| i.eq_ignore_ascii_case("IESG"))
            || self.orgs.iter().any(|o| o == "iesg")
    }
}

/// Whether any of `parties` is one of the holders of `record`.
pub fn holds(parties: &[Party], record: &Record, registry: Option<&Registry>) -> bool {
    let holders = Party::holders(record, registry);
    parties.iter().any(|p| p.same_as_any(&holders))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Spanned;

    fn reg() -> Registry {
        let xml = r#"<?xml version="1.0"?>
<registry id="service-names-port-numbers">
  <record date="2015-01-01"><name>acme</name><protocol>tcp</protocol><number>4100</number>
    <assignee><xref type="person" data="Acme_Corp"/></assignee>
    <description>Acme</description><xref type="person" data="Jane_Roe"/></record>
  <people>
    <person id="Acme_Corp"><org>Acme Corp</org><uri>mailto:ports&amp;acme.example</uri></person>
    <person id="Jane_Roe"><name>Jane Roe</name><uri>mailto:Jane&amp;Acme.example</uri></person>
  </people>
</registry>"#;
        Registry::from_bytes("t.xml", xml.as_bytes().to_vec()).expect("loads")
    }

    fn inline(email: Option<&str>, org: Option<&str>) -> PersonRef {
        PersonRef::Inline(Person {
            email: email.map(|e| Spanned::new(e.to_string(), Default::default())),
            org: org.map(|o| Spanned::new(o.to_string(), Default::default())),
            ..Person::default()
        })
    }

    #[test]
    fn same_by_id_email_or_org() {
        let reg = reg();
        let rec = reg.records.get(0).expect("record");
        let draft = Draft::default();
        let by_id = Party::of_ref(&PersonRef::Id("[Acme_Corp]".into()), &draft, Some(&reg));
        assert!(holds(&[by_id], rec, Some(&reg)));
        let by_email = Party::of_ref(&inline(Some("jane@acme.example"), None), &draft, Some(&reg));
        assert!(holds(&[by_email], rec, Some(&reg)));
        let by_org = Party::of_ref(&inline(None, Some(" ACME corp ")), &draft, Some(&reg));
        assert!(holds(&[by_org], rec, Some(&reg)));
        let other = Party::of_ref(
            &inline(Some("x@other.example"), Some("Other")),
            &draft,
            Some(&reg),
        );
        assert!(!holds(&[other], rec, Some(&reg)));
        let unknown = Party::of_ref(&PersonRef::Id("Someone".into()), &draft, Some(&reg));
        assert!(!holds(&[unknown], rec, Some(&reg)));
    }

    #[test]
    fn draft_people_count_by_their_email() {
        let reg = reg();
        let rec = reg.records.get(0).expect("record");
        let mut draft = Draft::default();
        let PersonRef::Inline(p) = inline(Some("PORTS@acme.example"), None) else {
            unreachable!()
        };
        draft.people.insert("Ops".into(), p);
        let ops = Party::of_ref(&PersonRef::Id("Ops".into()), &draft, Some(&reg));
        assert!(holds(&[ops], rec, Some(&reg)));
        assert!(Party::of_registry_id("IESG", None).is_iesg());
    }
}
