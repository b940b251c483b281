//! `portreg render`: a draft as the registry records a fork would add (XML `<record>`s and
//! `<person>`s, or CSV rows), or as the text of IANA's application form.
//!
//! Each entry becomes one record per transport (draft-format.md, "Equivalence with registry
//! records"). Elements follow the order IANA uses for new records since 2025:
//! `name protocol assignee [xref(ref)…] description number [sc] [note] [unauthorized]
//! xref(contact)`, with `date` = the rendering day. People defined in the draft (in
//! `[people.*]` or inline) become `<person>` entries; ids that only the registry knows are
//! referenced as they are.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::model::draft::{strip_brackets, Cast, Draft, Entry, Person, PersonRef, PortValue};
use crate::model::reference::{classify, RefKind};
use crate::model::Transport;
use crate::registry::{Registry, CSV_HEADER};

/// A record to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordOut {
    /// The `[[entry]]` (0-based) it comes from.
    pub entry: usize,
    pub name: String,
    pub protocol: Transport,
    /// `N` or `N-M`; None for a name-only request, or when IANA is to pick the number.
    pub number: Option<String>,
    pub description: String,
    pub assignee: Option<String>,
    pub contact: Option<String>,
    pub references: Vec<RefOut>,
    /// DCCP service code, decimal.
    pub service_code: Option<u32>,
    pub note: Option<String>,
    pub unauthorized: Option<String>,
    pub date: String,
}

/// A record-level reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefOut {
    /// `rfc`, `draft`, `uri` or `text`.
    pub kind: &'static str,
    /// The `data` attribute (`rfc9999`, the draft name, the URL) or, for `text`, the text.
    pub data: String,
}

/// A person to add to `<people>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonOut {
    pub id: String,
    pub name: Option<String>,
    pub org: Option<String>,
    pub uri: Option<String>,
    pub updated: String,
}

/// Everything a draft adds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    pub records: Vec<RecordOut>,
    pub people: Vec<PersonOut>,
    /// Things the output cannot say (a port left to IANA, an unknown transport).
    pub notes: Vec<String>,
    /// Lifecycle entries (`modify`, `deassign`, `reuse`): the registry records as they read
    /// after the change (see `crate::render::lifecycle`).
    pub changed: Vec<crate::render::lifecycle::ChangedRecord>,
    /// The indices of the registry records those changes replace (a `reuse`'s old records
    /// too), sorted.
    pub replaced: Vec<usize>,
}

/// Builds the records and people of a draft.
pub fn build(draft: &Draft, registry: Option<&Registry>, today: NaiveDate) -> Rendered {
    let date = today.format("%Y-%m-%d").to_string();
    let mut out = Rendered::default();
    let mut inline_ids: Vec<(Person, String)> = Vec::new();
    for entry in &draft.entries {
        let name = entry.name_str().unwrap_or_default().to_string();
        if entry.kind().is_lifecycle() {
            crate::render::lifecycle::build_entry(
                entry,
                draft,
                registry,
                &date,
                &mut out,
                &mut inline_ids,
            );
            if entry.kind().is_change() {
                continue;
            }
        }
        let mut person_id =
            |p: &Option<crate::source::Spanned<PersonRef>>, out: &mut Rendered| -> Option<String> {
                Some(person_id(
                    &p.as_ref()?.value,
                    draft,
                    registry,
                    &date,
                    out,
                    &mut inline_ids,
                ))
            };
        let assignee = person_id(&entry.assignee, &mut out);
        let contact = person_id(&entry.contact, &mut out).or_else(|| assignee.clone());
        let number = match entry.port.as_ref().map(|p| &p.value) {
            Some(PortValue::Single(p)) => Some(p.to_string()),
            Some(PortValue::Range(a, b)) => Some(format!("{a}-{b}")),
            Some(PortValue::User) | Some(PortValue::System) => {
                out.notes.push(format!(
                    "`{name}`: the port is left to IANA, so the records have no <number>"
                ));
                None
            }
            Some(PortValue::Invalid { text, .. }) => {
                out.notes.push(format!(
                    "`{name}`: the port `{text}` is not valid, so the records have no <number>"
                ));
                None
            }
            None => None,
        };
        let references = entry
            .references
            .iter()
            .flat_map(|r| r.value.iter())
            .map(|r| reference(&r.value))
            .collect::<Vec<_>>();
        let service_code = entry
            .service_code
            .as_ref()
            .and_then(|sc| crate::model::service_code::parse(&sc.value).ok())
            .and_then(|v| u32::try_from(v).ok());
        let note = note(entry);
        for (i, t) in entry
            .transports
            .iter()
            .flat_map(|t| t.value.iter())
            .enumerate()
        {
            let Some(protocol) = Transport::parse(&t.value) else {
                out.notes.push(format!(
                    "`{name}`: transport #{} `{}` is not tcp, udp, sctp or dccp; skipped",
                    i + 1,
                    t.value
                ));
                continue;
            };
            if out
                .records
                .iter()
                .any(|r| r.entry == entry.index && r.protocol == protocol)
            {
                continue;
            }
            out.records.push(RecordOut {
                entry: entry.index,
                name: name.clone(),
                protocol,
                number: number.clone(),
                description: entry
                    .description
                    .as_ref()
                    .map(|d| d.value.trim().to_string())
                    .unwrap_or_default(),
                assignee: assignee.clone(),
                contact: contact.clone(),
                references: references.clone(),
                service_code: service_code.filter(|_| protocol == Transport::Dccp),
                note: note.clone(),
                unauthorized: entry
                    .unauthorized
                    .as_ref()
                    .map(|u| u.value.trim().to_string())
                    .filter(|u| !u.is_empty()),
                date: date.clone(),
            });
        }
    }
    out
}

/// The person id a record refers to for `p`: an id as written, or a new id for an inline
/// person (the same inline person gets the same id); people defined in the draft are added to
/// `out.people`.
pub(crate) fn person_id(
    p: &PersonRef,
    draft: &Draft,
    registry: Option<&Registry>,
    date: &str,
    out: &mut Rendered,
    inline_ids: &mut Vec<(Person, String)>,
) -> String {
    match p {
        PersonRef::Id(id) => {
            let id = strip_brackets(id).to_string();
            if let Some(person) = draft.person(&id) {
                if !out.people.iter().any(|q| q.id == id) {
                    out.people.push(person_out(&id, person, date));
                }
            }
            id
        }
        PersonRef::Inline(person) => {
            if let Some((_, id)) = inline_ids.iter().find(|(q, _)| same_person(q, person)) {
                return id.clone();
            }
            let id = fresh_id(person, draft, registry, out);
            inline_ids.push((person.clone(), id.clone()));
            out.people.push(person_out(&id, person, date));
            id
        }
    }
}

fn same_person(a: &Person, b: &Person) -> bool {
    let v = |t: &Option<crate::model::draft::Text>| t.as_ref().map(|t| t.value.trim().to_string());
    v(&a.name) == v(&b.name)
        && v(&a.org) == v(&b.org)
        && v(&a.email) == v(&b.email)
        && v(&a.uri) == v(&b.uri)
}

/// An id for an inline person, derived as IANA does (name or org, spaces as `_`), with a
/// `_N` suffix when the draft, the registry or an earlier person already uses it.
fn fresh_id(person: &Person, draft: &Draft, registry: Option<&Registry>, out: &Rendered) -> String {
    let source = person
        .name
        .as_ref()
        .or(person.org.as_ref())
        .map(|t| t.value.trim().to_string())
        .unwrap_or_default();
    let mut base: String = source
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
        .collect();
    if base.is_empty() {
        base = "Contact".into();
    }
    let taken = |id: &str| {
        draft.person(id).is_some()
            || registry.is_some_and(|r| r.person(id).is_some())
            || out.people.iter().any(|p| p.id == id)
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}

pub(crate) fn person_out(id: &str, p: &Person, date: &str) -> PersonOut {
    let text = |t: &Option<crate::model::draft::Text>| {
        t.as_ref()
            .map(|t| t.value.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let uri = text(&p.email)
        .map(|e| format!("mailto:{}", e.replacen('@', "&", 1)))
        .or_else(|| {
            text(&p.uri).map(|u| match u.strip_prefix("mailto:") {
                Some(addr) => format!("mailto:{}", addr.replacen('@', "&", 1)),
                None => u,
            })
        });
    PersonOut {
        id: id.to_string(),
        name: text(&p.name),
        org: text(&p.org),
        uri,
        updated: date.to_string(),
    }
}

pub(crate) fn reference(text: &str) -> RefOut {
    let t = text.trim();
    match classify(t) {
        Ok(RefKind::Rfc(n)) => RefOut {
            kind: "rfc",
            data: format!("rfc{n}"),
        },
        Ok(RefKind::Draft { name, .. }) => RefOut {
            kind: "draft",
            data: name,
        },
        Ok(RefKind::Uri) => RefOut {
            kind: "uri",
            data: t.to_string(),
        },
        Ok(RefKind::Text) | Err(_) => RefOut {
            kind: "text",
            data: t.to_string(),
        },
    }
}

/// `Defined TXT keys: …` (when `txt-keys` is given) and the notes, one per line.
fn note(entry: &Entry) -> Option<String> {
    let mut lines = Vec::new();
    if let Some(keys) = &entry.txt_keys {
        let keys: Vec<&str> = keys.value.iter().map(|k| k.value.trim()).collect();
        if keys.is_empty() {
            lines.push("Defined TXT keys: None".to_string());
        } else {
            lines.push(format!("Defined TXT keys: {}", keys.join(",")));
        }
    }
    if let Some(n) = entry.notes.as_ref().map(|n| n.value.trim()) {
        if !n.is_empty() {
            lines.push(n.to_string());
        }
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A record's references as IANA writes them: `text` xrefs hold their text, the others `data`.
pub(crate) fn write_xrefs(out: &mut String, references: &[RefOut]) {
    for x in references {
        if x.kind == "text" {
            let _ = writeln!(out, "    <xref type=\"text\">{}</xref>", esc(&x.data));
        } else {
            let _ = writeln!(
                out,
                "    <xref type=\"{}\" data=\"{}\"/>",
                x.kind,
                esc(&x.data)
            );
        }
    }
}

/// The `<record>`s (indented as in the registry) and the `<person>`s (indented as inside
/// `<people>`), as two fragments.
pub fn to_xml(r: &Rendered) -> (String, String) {
    let mut records = String::new();
    for rec in &r.records {
        let _ = writeln!(records, "  <record date=\"{}\">", esc(&rec.date));
        let _ = writeln!(records, "    <name>{}</name>", esc(&rec.name));
        let _ = writeln!(records, "    <protocol>{}</protocol>", rec.protocol);
        if let Some(a) = &rec.assignee {
            let _ = writeln!(
                records,
                "    <assignee>\n      <xref type=\"person\" data=\"{}\"/>\n    </assignee>",
                esc(a)
            );
        }
        write_xrefs(&mut records, &rec.references);
        let _ = writeln!(
            records,
            "    <description>{}</description>",
            esc(&rec.description)
        );
        if let Some(n) = &rec.number {
            let _ = writeln!(records, "    <number>{n}</number>");
        }
        if let Some(sc) = rec.service_code {
            let _ = writeln!(records, "    <sc>{sc}</sc>");
        }
        if let Some(n) = &rec.note {
            let _ = writeln!(records, "    <note>{}</note>", esc(n));
        }
        if let Some(u) = &rec.unauthorized {
            let _ = writeln!(records, "    <unauthorized>{}</unauthorized>", esc(u));
        }
        if let Some(c) = &rec.contact {
            let _ = writeln!(records, "    <xref type=\"person\" data=\"{}\"/>", esc(c));
        }
        records.push_str("  </record>\n");
    }
    for c in &r.changed {
        crate::render::lifecycle::write_xml(&mut records, c);
    }
    let mut people = String::new();
    for p in &r.people {
        let _ = writeln!(people, "    <person id=\"{}\">", esc(&p.id));
        if let Some(n) = &p.name {
            let _ = writeln!(people, "      <name>{}</name>", esc(n));
        }
        if let Some(o) = &p.org {
            let _ = writeln!(people, "      <org>{}</org>", esc(o));
        }
        if let Some(u) = &p.uri {
            let _ = writeln!(people, "      <uri>{}</uri>", esc(u));
        }
        let _ = writeln!(people, "      <updated>{}</updated>", esc(&p.updated));
        people.push_str("    </person>\n");
    }
    (records, people)
}

/// CSV rows with IANA's header, minimal quoting and CRLF line ends.
pub fn to_csv(r: &Rendered) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let _ = w.write_record(CSV_HEADER.split(','));
    for rec in &r.records {
        let bracket =
            |id: &Option<String>| id.as_ref().map(|i| format!("[{i}]")).unwrap_or_default();
        let refs: String = rec
            .references
            .iter()
            .map(|x| match x.kind {
                "rfc" => format!("[{}]", x.data.to_ascii_uppercase()),
                _ => format!("[{}]", x.data),
            })
            .collect();
        let _ = w.write_record([
            rec.name.as_str(),
            rec.number.as_deref().unwrap_or(""),
            rec.protocol.as_str(),
            rec.description.as_str(),
            &bracket(&rec.assignee),
            &bracket(&rec.contact),
            rec.date.as_str(),
            "",
            &refs,
            &rec.service_code.map(|s| s.to_string()).unwrap_or_default(),
            rec.unauthorized.as_deref().unwrap_or(""),
            rec.note.as_deref().unwrap_or(""),
        ]);
    }
    for c in &r.changed {
        let _ = w.write_record(crate::render::lifecycle::csv_row(c));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The draft as answers to IANA's application form, one block per entry.
pub fn to_text(draft: &Draft, r: &Rendered, registry: Option<&Registry>) -> String {
    let mut out = String::new();
    let total = draft.entries.len();
    for (i, entry) in draft.entries.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let name = entry.name_str().unwrap_or("");
        let _ = writeln!(out, "Request {} of {total}: {name}", i + 1);
        let _ = writeln!(out, "{}", "=".repeat(20 + name.len().min(40)));
        if entry.kind().is_lifecycle() {
            crate::render::lifecycle::write_text(&mut out, draft, entry, registry);
            if entry.kind().is_change() {
                continue;
            }
        }
        new_request_form(&mut out, draft, r, registry, entry);
    }
    out
}

/// What an unanswered question of the form shows.
const NOT_ANSWERED: &str = "(not answered)";

/// "Application for Service Names and User Port Numbers": the ten header fields, then the nine
/// numbered questions, in the form's order and wording (beyond.md §2.2), ready to paste.
fn new_request_form(
    out: &mut String,
    draft: &Draft,
    r: &Rendered,
    registry: Option<&Registry>,
    entry: &Entry,
) {
    // Values line up after the longest label: "Transport Protocols:" in the header,
    // "Known Unauthorized Uses:" in the block after the questions.
    const HEADER: usize = 22;
    const TAIL: usize = 25;
    let field = |out: &mut String, width: usize, label: &str, value: &str| {
        let value = value.trim();
        let value = if value.is_empty() { "(none)" } else { value };
        let mut lines = value.lines();
        let _ = writeln!(out, "{label:<width$}{}", lines.next().unwrap_or(""));
        for l in lines {
            let _ = writeln!(out, "{:<width$}{}", "", l.trim_end());
        }
    };
    let name = entry.name_str().unwrap_or("");
    field(
        out,
        HEADER,
        "Assignee:",
        &person_text(
            draft,
            registry,
            r,
            entry.assignee.as_ref().map(|p| &p.value),
        ),
    );
    let contact = entry.contact.as_ref().or(entry.assignee.as_ref());
    field(
        out,
        HEADER,
        "Contact Person:",
        &person_text(draft, registry, r, contact.map(|p| &p.value)),
    );
    let tick = |on: bool| if on { "[x]" } else { "[ ]" };
    field(
        out,
        HEADER,
        "Resource Request:",
        &format!(
            "{} Port Number  {} Service Name",
            tick(entry.port.is_some()),
            tick(true)
        ),
    );
    let known = entry.known_transports();
    let mut transports: Vec<String> = Transport::ALL
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                tick(known.contains(t)),
                t.as_str().to_ascii_uppercase()
            )
        })
        .collect();
    // A transport the form has no box for is still shown, as written.
    transports.extend(
        entry
            .transports
            .iter()
            .flat_map(|t| t.value.iter())
            .filter(|t| Transport::parse(&t.value).is_none())
            .map(|t| format!("[x] {}", t.value.trim())),
    );
    field(out, HEADER, "Transport Protocols:", &transports.join("  "));
    let sc =
        entry
            .service_code
            .as_ref()
            .map(|sc| match crate::model::service_code::parse(&sc.value) {
                Ok(v) if sc.value.trim() != v.to_string() => format!("{v} ({})", sc.value.trim()),
                _ => sc.value.trim().to_string(),
            });
    let is_dccp = known.contains(&Transport::Dccp);
    field(
        out,
        HEADER,
        "Service Code:",
        sc.as_deref().unwrap_or(if is_dccp {
            ""
        } else {
            "not applicable (no DCCP)"
        }),
    );
    field(out, HEADER, "Service Name:", name);
    let port = match entry.port.as_ref().map(|p| &p.value) {
        None => "none (service name only)".to_string(),
        Some(PortValue::Single(p)) => format!("{p} ({})", port_class(*p)),
        Some(PortValue::Range(a, b)) => {
            format!("{a}-{b} ({} to {})", port_class(*a), port_class(*b))
        }
        Some(PortValue::User) => "a User port (1024-49151), assigned by IANA".into(),
        Some(PortValue::System) => "a System port (0-1023), assigned by IANA".into(),
        Some(PortValue::Invalid { text, .. }) => text.clone(),
    };
    field(out, HEADER, "Desired Port Number:", &port);
    field(
        out,
        HEADER,
        "Description:",
        entry.description.as_ref().map_or("", |d| d.value.as_str()),
    );
    let refs: Vec<String> = entry
        .references
        .iter()
        .flat_map(|r| r.value.iter())
        .map(|r| r.value.trim().to_string())
        .collect();
    field(out, HEADER, "Reference:", &refs.join("\n"));
    let txt = entry.txt_keys.as_ref().map(|keys| {
        let keys: Vec<&str> = keys.value.iter().map(|k| k.value.trim()).collect();
        if keys.is_empty() {
            "None".to_string()
        } else {
            keys.join(", ")
        }
    });
    field(
        out,
        HEADER,
        "Defined TXT Keys:",
        txt.as_deref().unwrap_or(""),
    );

    let _ = writeln!(out);
    for (n, (question, answer)) in questions(entry).iter().enumerate() {
        let _ = writeln!(out, "{}. {question}", n + 1);
        let _ = writeln!(out, "   {}", answer.trim().replace('\n', "\n   "));
    }

    // RFC 6335's template has two fields the form does not ask for; IANA copies them into
    // the record, so they go at the end.
    let unauthorized = entry.unauthorized.as_ref().map_or("", |u| u.value.trim());
    let notes = entry.notes.as_ref().map_or("", |n| n.value.trim());
    if !unauthorized.is_empty() || !notes.is_empty() {
        let _ = writeln!(out);
        if !unauthorized.is_empty() {
            field(out, TAIL, "Known Unauthorized Uses:", unauthorized);
        }
        if !notes.is_empty() {
            field(out, TAIL, "Assignment Notes:", notes);
        }
    }
}

/// The form's nine questions, worded as the form words them, each with the draft's answer.
fn questions(entry: &Entry) -> [(&'static str, String); 9] {
    let j = &entry.justification;
    let answer = |x: &Option<crate::model::draft::Text>| {
        x.as_ref()
            .map(|t| t.value.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let or_not = |x: Option<String>| x.unwrap_or_else(|| NOT_ANSWERED.to_string());
    let port = entry.port.is_some();
    let udp = entry.known_transports().contains(&Transport::Udp);
    let cast = match j.cast.as_ref().map(|c| &c.value) {
        None => None,
        Some(Cast::Statement(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Some(Cast::Flags {
            broadcast,
            multicast,
            anycast,
        }) => {
            let f = |v: &Option<bool>| match v {
                Some(true) => "yes",
                Some(false) => "no",
                None => "not stated",
            };
            Some(format!(
                "broadcast: {}, multicast: {}, anycast: {}",
                f(broadcast),
                f(multicast),
                f(anycast)
            ))
        }
    };
    let not_udp = || "not applicable (UDP is not requested)".to_string();
    let discovery_only = match &j.udp_discovery_only {
        Some(b) if b.value => "Yes: the service is solely for the discovery of hosts.".to_string(),
        Some(_) => "No: the service is not only for discovering hosts.".to_string(),
        None => NOT_ANSWERED.to_string(),
    };
    let transports = entry.transports.as_ref().map_or(0, |t| t.value.len());
    // Question 7 gathers the draft's answers about the port: why not a Dynamic port, why not
    // an existing one, and (when asked) why a System port or several ports.
    let q7 = if port {
        let mut parts = vec![or_not(answer(&j.why_not_dynamic))];
        parts.push(format!(
            "Why not an existing port: {}",
            or_not(answer(&j.why_not_existing_port))
        ));
        if let Some(a) = answer(&j.why_not_user) {
            parts.push(format!("Why a System port: {a}"));
        }
        if let Some(a) = answer(&j.why_multiple_ports) {
            parts.push(format!("Why more than one port: {a}"));
        }
        if let Some(a) = answer(&j.discovery) {
            parts.push(format!("Discovery: {a}"));
        }
        parts.join("\n")
    } else {
        match answer(&j.discovery) {
            Some(a) => format!("not applicable (service name only). Discovery: {a}"),
            None => "not applicable (service name only)".to_string(),
        }
    };
    [
        (
            "If broadcast/multicast is used, how and what for?",
            or_not(cast),
        ),
        (
            "If UDP is requested, please explain how traffic is limited, and whether the protocol reacts to congestion.",
            if udp { or_not(answer(&j.udp_congestion)) } else { not_udp() },
        ),
        (
            "If UDP is requested, please indicate whether the service is solely for the discovery of hosts supporting this protocol.",
            if udp { discovery_only } else { not_udp() },
        ),
        (
            "Please explain how your protocol supports versioning.",
            or_not(answer(&j.versioning)),
        ),
        (
            "If your request is for more than one transport, please explain in detail how the protocol differs over each transport.",
            if transports > 1 {
                or_not(answer(&j.why_multiple_transports))
            } else {
                "not applicable (one transport)".to_string()
            },
        ),
        (
            "Please describe how your protocol supports security. Note that new services are expected to support security capabilities and to avoid insecure variants.",
            or_not(answer(&j.security)),
        ),
        (
            "Please explain why a unique port assignment is necessary as opposed to a port in range (49152-65535) or existing port.",
            q7,
        ),
        (
            "Please explain the state of development of your protocol.",
            or_not(answer(&j.development_state)),
        ),
        (
            "Please provide any other information that would be helpful in understanding how this protocol differs from existing assigned services.",
            or_not(answer(&j.differs_from_existing)),
        ),
    ]
}

fn port_class(p: u16) -> &'static str {
    match p {
        0..=1023 => "System port",
        1024..=49151 => "User port",
        _ => "Dynamic port",
    }
}

/// `Jane Doe, Acme Corporation <jane@acme.example>` (with the id when one is used).
pub(crate) fn person_text(
    draft: &Draft,
    registry: Option<&Registry>,
    r: &Rendered,
    p: Option<&PersonRef>,
) -> String {
    let describe = |name: Option<&str>, org: Option<&str>, addr: Option<&str>| {
        let mut s = [name, org]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(", ");
        if let Some(a) = addr.filter(|a| !a.trim().is_empty()) {
            if !s.is_empty() {
                s.push(' ');
            }
            let _ = write!(s, "<{}>", a.trim());
        }
        s
    };
    let text = |t: &Option<crate::model::draft::Text>| t.as_ref().map(|t| t.value.clone());
    match p {
        None => String::new(),
        Some(PersonRef::Inline(person)) => describe(
            text(&person.name).as_deref(),
            text(&person.org).as_deref(),
            text(&person.email).or_else(|| text(&person.uri)).as_deref(),
        ),
        Some(PersonRef::Id(id)) => {
            let id = strip_brackets(id);
            if let Some(person) = draft.person(id) {
                let d = describe(
                    text(&person.name).as_deref(),
                    text(&person.org).as_deref(),
                    text(&person.email).or_else(|| text(&person.uri)).as_deref(),
                );
                format!("{d} (id {id})")
            } else if let Some(person) = registry.and_then(|reg| reg.person(id)) {
                let uri = person
                    .uris
                    .first()
                    .map(|u| u.strip_prefix("mailto:").unwrap_or(u).replacen('&', "@", 1));
                let d = describe(
                    person.name.as_deref(),
                    person.org.as_deref(),
                    uri.as_deref(),
                );
                format!("{d} (registered id {id})")
            } else {
                let _ = r;
                format!("{id} (a registry id; not defined in this draft)")
            }
        }
    }
}
