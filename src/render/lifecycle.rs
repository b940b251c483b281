//! `portreg render` for lifecycle entries (lifecycle.md §2): `--as xml` gives the registry
//! records as they read after the change, `--as text` the request to send to IANA.
//!
//! - `deassign`: per transport, the unnamed `Reserved` record with IANA's note
//!   "De-assigned on YYYY-MM-DD, previously NAME by [Person]" and, with `keep-name` (the
//!   default), the name-only record (the registered record without its number);
//! - `modify`: the records with the changes applied and `updated` = the rendering day;
//! - `reuse`: the new record (made by the normal path), and the old name kept without the
//!   number (RFC 6335 §8.3 recommends it);
//! - `transfer`: nothing: RFC 6335 §8.5 does not permit it (a note says so).

use std::fmt::Write as _;

use crate::model::draft::{Draft, Entry, EntryKind, Person, PersonRef};
use crate::model::Transport;
use crate::registry::{Record, Registry};
use crate::render::draft::{esc, person_id, person_text, reference, write_xrefs, RefOut, Rendered};
use crate::rules::lifecycle::{target_name, targets};
use crate::rules::party::Party;
use crate::rules::view::{record_place, View};

/// A registry record after a lifecycle change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangedRecord {
    /// The `[[entry]]` (0-based) it comes from.
    pub entry: usize,
    /// The registry record it replaces, when it is that record changed.
    pub replaces: Option<usize>,
    pub name: Option<String>,
    /// None: the record covers every transport (a name-only record without a protocol).
    pub protocol: Option<Transport>,
    pub assignee: Vec<String>,
    pub references: Vec<RefOut>,
    pub description: String,
    pub number: Option<String>,
    pub service_code: Option<String>,
    pub note: Vec<NotePart>,
    pub unauthorized: Option<String>,
    pub contact: Vec<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
}

/// A piece of a `<note>`: text, or a person xref (IANA's "by [Bernie_Volz]").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotePart {
    Text(String),
    Person(String),
}

fn ref_out(r: &crate::registry::Reference) -> RefOut {
    use crate::registry::RefKind as K;
    let kind = match r.kind {
        K::Rfc => "rfc",
        K::Draft => "draft",
        K::Uri => "uri",
        K::Text | K::Note => "text",
    };
    RefOut {
        kind,
        data: r.data.clone(),
    }
}

/// A registered record as it reads now.
fn from_record(entry: usize, r: &Record) -> ChangedRecord {
    ChangedRecord {
        entry,
        replaces: Some(r.index),
        name: r.name.clone(),
        protocol: r.protocol,
        assignee: r.assignee.clone(),
        references: r.references.iter().map(ref_out).collect(),
        description: r.description.trim().to_string(),
        number: r.number.map(|n| {
            if n.lo == n.hi {
                n.lo.to_string()
            } else {
                format!("{}-{}", n.lo, n.hi)
            }
        }),
        service_code: r.service_code.clone(),
        note: r
            .note
            .as_ref()
            .filter(|n| !n.trim().is_empty())
            .map(|n| vec![NotePart::Text(n.trim().to_string())])
            .unwrap_or_default(),
        unauthorized: r.unauthorized.clone(),
        contact: r.contact.clone(),
        date: r.date.clone(),
        updated: r.updated.clone(),
    }
}

/// Adds the records a lifecycle entry gives (see the module docs).
pub(crate) fn build_entry(
    entry: &Entry,
    draft: &Draft,
    registry: Option<&Registry>,
    date: &str,
    out: &mut Rendered,
    inline_ids: &mut Vec<(Person, String)>,
) {
    let kind = entry.kind();
    let label = entry.name_str().unwrap_or_default();
    if kind == EntryKind::Transfer {
        out.notes.push(format!(
            "`{label}`: a transfer is not rendered: RFC 6335 §8.5 does not permit it; file a `deassign` by the current assignee and a `new` request by the new party"
        ));
        return;
    }
    let Some(registry) = registry else {
        out.notes.push(format!(
            "`{label}`: a `{}` is rendered from the registered records; no registry was found",
            kind.as_str()
        ));
        return;
    };
    let view = View {
        registry,
        exclude: &[],
    };
    let t = targets(entry, view);
    if t.records.is_empty() || (!t.ambiguous.is_empty() && kind != EntryKind::Modify) {
        out.notes.push(format!(
            "`{label}`: no single set of registered records matches (see `lifecycle/record-missing`); nothing rendered for it"
        ));
        return;
    }
    for r in &t.records {
        if !out.replaced.contains(&r.index) {
            out.replaced.push(r.index);
        }
    }
    out.replaced.sort_unstable();
    match kind {
        EntryKind::Deassign => deassign(entry, draft, registry, date, out, inline_ids, &t.records),
        EntryKind::Modify => modify(entry, draft, registry, date, out, inline_ids, &t.records),
        // The new record comes from the normal path; the old name stays registered without
        // the number, as RFC 6335 §8.3 recommends (unless the reuse keeps the old name).
        EntryKind::Reuse => {
            let same = target_name(entry)
                .is_some_and(|p| p.value.trim().eq_ignore_ascii_case(label.trim()));
            if !same {
                for r in &t.records {
                    let mut named = from_record(entry.index, r);
                    named.number = None;
                    named.service_code = None;
                    named.updated = Some(date.to_string());
                    out.changed.push(named);
                }
            }
        }
        EntryKind::New | EntryKind::Extend | EntryKind::Transfer => {}
    }
}

fn deassign(
    entry: &Entry,
    draft: &Draft,
    registry: &Registry,
    date: &str,
    out: &mut Rendered,
    inline_ids: &mut Vec<(Person, String)>,
    records: &[&Record],
) {
    // The note names the requester by id: an inline requester who is one of the records'
    // people (same email or organisation) by that person's registry id, else as a new person.
    let by = entry.requester.as_ref().map(|r| {
        let asker = Party::of_ref(&r.value, draft, Some(registry));
        let known = records
            .iter()
            .flat_map(|rec| rec.assignee.iter().chain(&rec.contact))
            .find(|id| Party::of_registry_id(id, Some(registry)).same_as(&asker));
        match (&r.value, known) {
            (PersonRef::Inline(_), Some(id)) => id.clone(),
            _ => person_id(&r.value, draft, Some(registry), date, out, inline_ids),
        }
    });
    let keep = entry.keep_name.as_ref().is_none_or(|k| k.value);
    for r in records {
        let old = r.name.clone().unwrap_or_default();
        if r.number.is_some() {
            let mut note = vec![NotePart::Text(format!(
                "De-assigned on {date}, previously {old}"
            ))];
            if let Some(by) = &by {
                note[0] = NotePart::Text(format!("De-assigned on {date}, previously {old} by "));
                note.push(NotePart::Person(by.clone()));
            }
            let mut reserved = from_record(entry.index, r);
            reserved.replaces = None;
            reserved.name = None;
            reserved.assignee.clear();
            reserved.references.clear();
            reserved.description = "Reserved".into();
            reserved.service_code = None;
            reserved.note = note;
            reserved.unauthorized = None;
            reserved.contact.clear();
            reserved.date = None;
            reserved.updated = Some(date.to_string());
            out.changed.push(reserved);
        }
        if keep {
            let mut named = from_record(entry.index, r);
            named.number = None;
            named.service_code = None;
            named.updated = Some(date.to_string());
            out.changed.push(named);
        }
    }
}

fn modify(
    entry: &Entry,
    draft: &Draft,
    registry: &Registry,
    date: &str,
    out: &mut Rendered,
    inline_ids: &mut Vec<(Person, String)>,
    records: &[&Record],
) {
    let Some(c) = &entry.changes else { return };
    let mut id = |p: &PersonRef, out: &mut Rendered| {
        person_id(p, draft, Some(registry), date, out, inline_ids)
    };
    let assignee = c.assignee.as_ref().map(|a| id(&a.value, out));
    let contact = c.contact.as_ref().map(|a| id(&a.value, out));
    for r in records {
        let mut m = from_record(entry.index, r);
        if let Some(d) = &c.description {
            m.description = d.value.trim().to_string();
        }
        if let Some(a) = &assignee {
            m.assignee = vec![a.clone()];
        }
        if let Some(a) = &contact {
            m.contact = vec![a.clone()];
        }
        if let Some(refs) = &c.references {
            m.references = refs.value.iter().map(|r| reference(&r.value)).collect();
        }
        if let Some(n) = &c.notes {
            m.note = Some(n.value.trim().to_string())
                .filter(|n| !n.is_empty())
                .map(|n| vec![NotePart::Text(n)])
                .unwrap_or_default();
        }
        if let Some(n) = &c.name {
            m.name = Some(n.value.trim().to_string());
        }
        m.updated = Some(date.to_string());
        out.changed.push(m);
    }
}

/// One record in the registry's XML form and element order.
pub(crate) fn write_xml(out: &mut String, c: &ChangedRecord) {
    let mut attrs = String::new();
    if let Some(d) = &c.date {
        let _ = write!(attrs, " date=\"{}\"", esc(d));
    }
    if let Some(u) = &c.updated {
        let _ = write!(attrs, " updated=\"{}\"", esc(u));
    }
    let _ = writeln!(out, "  <record{attrs}>");
    if let Some(n) = &c.name {
        let _ = writeln!(out, "    <name>{}</name>", esc(n));
    }
    if let Some(p) = c.protocol {
        let _ = writeln!(out, "    <protocol>{p}</protocol>");
    }
    if !c.assignee.is_empty() {
        out.push_str("    <assignee>\n");
        for a in &c.assignee {
            let _ = writeln!(out, "      <xref type=\"person\" data=\"{}\"/>", esc(a));
        }
        out.push_str("    </assignee>\n");
    }
    write_xrefs(out, &c.references);
    let _ = writeln!(
        out,
        "    <description>{}</description>",
        esc(&c.description)
    );
    if let Some(n) = &c.number {
        let _ = writeln!(out, "    <number>{}</number>", esc(n));
    }
    if let Some(sc) = &c.service_code {
        let _ = writeln!(out, "    <sc>{}</sc>", esc(sc));
    }
    if !c.note.is_empty() {
        let mut note = String::new();
        for part in &c.note {
            match part {
                NotePart::Text(t) => note.push_str(&esc(t)),
                NotePart::Person(p) => {
                    let _ = write!(note, "<xref type=\"person\" data=\"{}\"/>", esc(p));
                }
            }
        }
        let _ = writeln!(out, "    <note>{note}</note>");
    }
    if let Some(u) = &c.unauthorized {
        let _ = writeln!(out, "    <unauthorized>{}</unauthorized>", esc(u));
    }
    for p in &c.contact {
        let _ = writeln!(out, "    <xref type=\"person\" data=\"{}\"/>", esc(p));
    }
    out.push_str("  </record>\n");
}

/// One record as a row under IANA's CSV header (people and references in brackets, as IANA
/// writes them).
pub(crate) fn csv_row(c: &ChangedRecord) -> Vec<String> {
    let bracket = |ids: &[String]| ids.iter().map(|i| format!("[{i}]")).collect::<String>();
    let refs: String = c
        .references
        .iter()
        .map(|x| match x.kind {
            "rfc" => format!("[{}]", x.data.to_ascii_uppercase()),
            _ => format!("[{}]", x.data),
        })
        .collect();
    let note: String = c
        .note
        .iter()
        .map(|p| match p {
            NotePart::Text(t) => t.clone(),
            NotePart::Person(id) => format!("[{id}]"),
        })
        .collect();
    vec![
        c.name.clone().unwrap_or_default(),
        c.number.clone().unwrap_or_default(),
        c.protocol
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        c.description.clone(),
        bracket(&c.assignee),
        bracket(&c.contact),
        c.date.clone().unwrap_or_default(),
        c.updated.clone().unwrap_or_default(),
        refs,
        c.service_code.clone().unwrap_or_default(),
        c.unauthorized.clone().unwrap_or_default(),
        note,
    ]
}

fn field(out: &mut String, label: &str, value: &str) {
    let value = value.trim();
    let value = if value.is_empty() { "(none)" } else { value };
    let mut lines = value.lines();
    let _ = writeln!(out, "{label:<26}{}", lines.next().unwrap_or(""));
    for l in lines {
        let _ = writeln!(out, "{:<26}{}", "", l.trim_end());
    }
}

/// The lines of a lifecycle request's text: the procedure, who asks, which records, and the
/// kind's own answers. A `reuse` continues with the normal template after these lines.
pub(crate) fn write_text(
    out: &mut String,
    draft: &Draft,
    entry: &Entry,
    registry: Option<&Registry>,
) {
    let kind = entry.kind();
    let procedure = match kind {
        EntryKind::Modify => "update of an assignment (RFC 6335 §8.6)",
        EntryKind::Deassign => "de-assignment (RFC 6335 §8.2)",
        EntryKind::Reuse => "reuse of an assigned port number (RFC 6335 §8.3)",
        EntryKind::Transfer => "transfer: not permitted (RFC 6335 §8.5)",
        EntryKind::New | EntryKind::Extend => return,
    };
    let empty = Rendered::default();
    field(out, "Request type:", procedure);
    field(
        out,
        "Requester:",
        &person_text(
            draft,
            registry,
            &empty,
            entry.requester.as_ref().map(|r| &r.value),
        ),
    );
    let name = target_name(entry).map_or("", |n| n.value.as_str());
    if kind == EntryKind::Reuse {
        field(out, "Current service name:", name);
    } else {
        field(out, "Service name:", name);
        let ts: Vec<String> = entry
            .known_transports()
            .iter()
            .map(|t| t.as_str().to_ascii_uppercase())
            .collect();
        field(
            out,
            "Transport protocol(s):",
            &if ts.is_empty() {
                "all registered".to_string()
            } else {
                ts.join(", ")
            },
        );
        let port = match entry.port.as_ref().and_then(|p| p.value.range()) {
            Some((lo, hi)) if lo == hi => lo.to_string(),
            Some((lo, hi)) => format!("{lo}-{hi}"),
            None => "all registered".to_string(),
        };
        field(out, "Port number:", &port);
    }
    if let Some(reg) = registry {
        let view = View {
            registry: reg,
            exclude: &[],
        };
        let records: Vec<String> = targets(entry, view)
            .records
            .iter()
            .map(|r| {
                let people = crate::rules::conflict::record_people(r);
                if people.is_empty() {
                    record_place(r)
                } else {
                    format!("{} ({people})", record_place(r))
                }
            })
            .collect();
        field(out, "Registered records:", &records.join("\n"));
    }
    let refs: Vec<String> = entry
        .references
        .iter()
        .flat_map(|r| r.value.iter())
        .map(|r| r.value.trim().to_string())
        .collect();
    match kind {
        EntryKind::Deassign => {
            let keep = entry.keep_name.as_ref().is_none_or(|k| k.value);
            field(
                out,
                "Keep the service name:",
                if keep {
                    "yes, without a port (RFC 6335 §8.2 recommends it)"
                } else {
                    "no: de-assign the name too"
                },
            );
            field(
                out,
                "No longer in use:",
                entry
                    .no_longer_used
                    .as_ref()
                    .map_or("", |t| t.value.as_str()),
            );
            if !refs.is_empty() {
                field(out, "Authorizing document:", &refs.join("\n"));
            }
        }
        EntryKind::Modify => {
            let Some(c) = &entry.changes else { return };
            let person = |p: &Option<crate::source::Spanned<PersonRef>>| {
                person_text(draft, registry, &empty, p.as_ref().map(|p| &p.value))
            };
            let mut changes: Vec<String> = Vec::new();
            if let Some(n) = &c.name {
                changes.push(format!("service name: {}", n.value.trim()));
            }
            if let Some(d) = &c.description {
                changes.push(format!("description: {}", d.value.trim()));
            }
            if c.assignee.is_some() {
                changes.push(format!("assignee: {}", person(&c.assignee)));
            }
            if c.contact.is_some() {
                changes.push(format!("contact: {}", person(&c.contact)));
            }
            if let Some(r) = &c.references {
                let list: Vec<&str> = r.value.iter().map(|t| t.value.trim()).collect();
                changes.push(format!("reference: {}", list.join(", ")));
            }
            if let Some(n) = &c.notes {
                changes.push(format!("assignment notes: {}", n.value.trim()));
            }
            field(out, "Changes:", &changes.join("\n"));
            if let Some(s) = &entry.succession {
                field(out, "Succession:", &s.value);
            }
            if !refs.is_empty() {
                field(out, "Authorizing document:", &refs.join("\n"));
            }
        }
        EntryKind::Transfer => {
            let to = person_text(draft, registry, &empty, entry.to.as_ref().map(|p| &p.value));
            field(out, "To:", &to);
            field(
                out,
                "Note:",
                "RFC 6335 §8.5 does not permit transfers. File instead a de-assignment by the\ncurrent assignee and a new request by the new party, which IANA coordinates.",
            );
        }
        EntryKind::Reuse => {
            let _ = writeln!(out);
        }
        EntryKind::New | EntryKind::Extend => {}
    }
}
