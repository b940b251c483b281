//! The structural check: IANA's RELAX NG schema for this registry
//! (`service-names-port-numbers.rng` with `_support/iana-registry.rng` of 2025-11-06),
//! encoded by hand so that it accepts and rejects exactly what jing, the reference
//! validator, does, and says where. No RELAX NG engine is involved; each element of the
//! schema is a [`Kind`] with the children, attributes and text it allows.
//!
//! What the schema says, in short: the root `<registry id>` (in the namespace
//! `http://www.iana.org/assignments`) holds its metadata in any order (`title`, `updated` as
//! an `xsd:date`, `note`s, `xref`s, `range`s, …), then the `<record>`s, then `<footnote>`s,
//! then exactly one `<people>`. A record's children come in any order: optional `name`,
//! `protocol` (tcp, udp, sctp or dccp), `number` (`genericRange`), `sc` (`xsd:unsignedInt`),
//! `note`, `unauthorized` and `assignee`, any number of `xref`s, and exactly one
//! `description`. Its `date` and `updated` are `xsd:date` or `xsd:gYearMonth`. Each `xref`
//! type has its own `data` (a URI, `rfcN`, a draft name, an NCName, a positive integer …)
//! and rfc and draft xrefs may carry one of `section`, `page`, `appendix`, `table`, `figure`
//! or `anchor`. A `<person>` has a unique `id` (`xsd:ID`) and `name`, `org`, `uri`s and
//! `updated`, in that order. Nothing else (no other element, attribute or text) is allowed.
//!
//! tests/it/registry_schema.rs checks each constraint against jing's verdicts on the
//! fixtures in tests/fixtures/schema/ (recorded by tests/schema/jing-verdicts.sh).

mod simple;
mod split;
mod tokens;
mod types;

use crate::registry::fxhash::FxHashMap;

use crate::source::Span;

use tokens::{decode, Attr, Tok, Tokens};

pub(crate) use split::Split;

/// IANA's namespace: every element of the registry is in it.
pub const NAMESPACE: &str = "http://www.iana.org/assignments";

/// One place where the document breaks the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub span: Span,
    /// The rule of the schema it breaks, in words.
    pub message: String,
    /// A short label for the marked text.
    pub label: &'static str,
    /// Another place that explains this one (the first use of a duplicate ID).
    pub related: Option<(Span, &'static str)>,
    /// The index of the `<record>` it is in (in document order), if any.
    pub record: Option<usize>,
}

/// Checks an XML registry against IANA's schema. `text` is a document the loader read.
pub fn validate(text: &str) -> Vec<Violation> {
    let mut v = Validator::new(text, Tokens::new(text, body_start(text)));
    v.run();
    v.out
}

/// [`validate`] without the fast path for plainly valid records: the same result, slower
/// (for tests and fuzzing that compare the two).
#[doc(hidden)]
pub fn validate_general(text: &str) -> Vec<Violation> {
    let mut v = Validator::new(text, Tokens::new(text, body_start(text)));
    v.fast = false;
    v.run();
    v.out
}

/// Where the document starts (after a byte order mark).
fn body_start(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}

/// The XSD types of text-only content and attribute values.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Data {
    Protocol,
    Range,
    UnsignedInt,
    GenericDate,
    Date,
    AnyUri,
}

/// The elements of the schema (and `Skip` for the inside of one that is not allowed).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Registry,
    Metadata,
    /// `<citable_url/>`, `<hide/>`, `<br/>`: nothing inside but whitespace.
    Empty,
    JsonExport,
    /// Text and `xref`s (`text_with_references`): `title`, `registration_rule`, the
    /// registry's `description`, range notes.
    Refs,
    /// The registry's `<note title?>`.
    MetaNote,
    Footnote,
    /// Text only.
    Text,
    Range,
    File,
    Record,
    /// `richText`: text, `xref`, `br`, `paragraph`, `artwork`.
    Rich,
    /// Text, `xref` and at most one `br`.
    Paragraph,
    Assignee,
    Xref,
    People,
    Person,
    Value(Data),
    Skip,
}

struct Frame {
    kind: Kind,
    /// Where the start tag is, and its name.
    at: usize,
    name: (usize, usize),
    /// Children seen (interleave: one bit each) or the position in a sequence.
    seen: u32,
    /// The namespace bindings declared on this element (popped with it).
    bindings: usize,
    /// Text-only content: where it starts and ends, and its text when not one plain slice.
    content: (usize, usize),
    buf: Option<String>,
    /// A child element made the text-only content invalid (reported already).
    spoiled: bool,
}

struct Validator<'a> {
    t: &'a str,
    tokens: Tokens<'a>,
    stack: Vec<Frame>,
    /// In-scope namespace declarations: (prefix, URI), innermost last.
    ns: Vec<(&'a str, std::borrow::Cow<'a, str>)>,
    /// The IDs seen (collapsed value -> where).
    ids: FxHashMap<String, Span>,
    out: Vec<Violation>,
    records: usize,
    record: Option<usize>,
    /// Records another thread checks (see `split`): skipped when the document reaches them
    /// in the expected state.
    handoff: Option<split::Handoff>,
    /// Where in `out` the other thread's violations go, once the records were skipped.
    spliced: Option<usize>,
    /// Plainly valid records are recognised by `simple` and skipped (off to compare).
    fast: bool,
}

/// The registry's metadata children, one bit each for those allowed once (`u32::MAX`: any
/// number).
const META: &[(&str, u32, Kind)] = &[
    ("metadata", 1, Kind::Metadata),
    ("title", 1 << 1, Kind::Refs),
    ("created", 1 << 2, Kind::Value(Data::GenericDate)),
    ("updated", 1 << 3, Kind::Value(Data::Date)),
    ("registration_rule", 1 << 4, Kind::Refs),
    ("expert", 1 << 5, Kind::Text),
    ("description", 1 << 6, Kind::Refs),
    ("note", u32::MAX, Kind::MetaNote),
    ("xref", u32::MAX, Kind::Xref),
    ("hide", 1 << 7, Kind::Empty),
    ("category", u32::MAX, Kind::Text),
    ("range", u32::MAX, Kind::Range),
    ("file", 1 << 8, Kind::File),
];

/// A record's children: (name, bit, kind); `description` is required.
const RECORD: &[(&str, u32, Kind)] = &[
    ("name", 1, Kind::Text),
    ("protocol", 1 << 1, Kind::Value(Data::Protocol)),
    ("description", 1 << 2, Kind::Rich),
    ("number", 1 << 3, Kind::Value(Data::Range)),
    ("sc", 1 << 4, Kind::Value(Data::UnsignedInt)),
    ("note", 1 << 5, Kind::Rich),
    ("unauthorized", 1 << 6, Kind::Text),
    ("xref", u32::MAX, Kind::Xref),
    ("assignee", 1 << 7, Kind::Assignee),
];

const RANGE: &[(&str, u32, Kind)] = &[
    ("value", 1, Kind::Text),
    ("hex", 1 << 1, Kind::Text),
    ("entry_size", 1 << 2, Kind::Text),
    ("registration_rule", 1 << 3, Kind::Refs),
    ("note", 1 << 4, Kind::Refs),
    ("xref", 1 << 5, Kind::Xref),
];

/// A person's children, in this order.
const PERSON: &[(&str, Kind)] = &[
    ("name", Kind::Text),
    ("org", Kind::Text),
    ("uri", Kind::Value(Data::AnyUri)),
    ("updated", Kind::Value(Data::GenericDate)),
];

const METADATA: &[(&str, Kind)] = &[
    ("citable_url", Kind::Empty),
    ("json_export", Kind::JsonExport),
];

const FRAGMENTS: &[&str] = &["section", "page", "appendix", "table", "figure", "anchor"];

fn what(kind: Kind) -> &'static str {
    match kind {
        Kind::Registry => "registry",
        Kind::Record => "record",
        Kind::Person => "person",
        _ => "element",
    }
}

impl<'a> Validator<'a> {
    fn new(text: &'a str, tokens: Tokens<'a>) -> Validator<'a> {
        Validator {
            t: text,
            tokens,
            stack: Vec::with_capacity(16),
            ns: Vec::new(),
            ids: FxHashMap::default(),
            out: Vec::new(),
            records: 0,
            record: None,
            handoff: None,
            spliced: None,
            fast: true,
        }
    }

    fn s(&self, r: (usize, usize)) -> &'a str {
        self.t.get(r.0..r.1).unwrap_or("")
    }

    fn report(&mut self, span: Span, label: &'static str, message: String) {
        self.out.push(Violation {
            span,
            message,
            label,
            related: None,
            record: self.record,
        });
    }

    fn run(&mut self) {
        loop {
            if self.handoff.is_some() {
                self.hand_off();
            }
            let Some(tok) = self.tokens.next() else {
                break;
            };
            match tok {
                Tok::Start {
                    at,
                    name,
                    end,
                    empty,
                } => {
                    let attrs = std::mem::take(&mut self.tokens.attrs);
                    let skipped = self.start(at, name, end, &attrs);
                    self.tokens.attrs = attrs;
                    if empty && !skipped {
                        self.end(None);
                    }
                }
                Tok::End { at } => self.end(Some(at)),
                Tok::Text { start, end } => self.text(start, end, false),
                Tok::CData { start, end } => self.text(start, end, true),
            }
        }
    }

    /// The namespace of a (prefixed) name.
    fn namespace(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some("http://www.w3.org/XML/1998/namespace");
        }
        self.ns
            .iter()
            .rev()
            .find(|(p, _)| *p == prefix)
            .map(|(_, u)| u.as_ref())
            .filter(|u| !u.is_empty())
    }

    /// A start tag; true when the whole element was recognised as valid and skipped.
    fn start(&mut self, at: usize, name: (usize, usize), end: usize, attrs: &[Attr]) -> bool {
        let qname = self.s(name);
        let name_span = Span::new(at, name.1);
        if self.stack.last().is_some_and(|f| f.kind == Kind::Skip) {
            self.push(Kind::Skip, at, name, end, 0);
            return false;
        }
        // Namespace declarations first: they apply to this element's own name.
        let mut bindings = 0;
        for a in attrs {
            let key = self.s(a.name);
            let prefix = match key.strip_prefix("xmlns") {
                Some("") => "",
                Some(p) if p.starts_with(':') => &p[1..],
                _ => continue,
            };
            let uri = decode(self.s(a.value), true);
            self.ns.push((prefix, uri));
            bindings += 1;
        }
        let (prefix, local) = match memchr::memchr(b':', qname.as_bytes()) {
            Some(k) => (&qname[..k], &qname[k + 1..]),
            None => ("", qname),
        };
        let in_ns = self.namespace(prefix) == Some(NAMESPACE);
        let kind = match self.stack.last_mut() {
            None => {
                if local == "registry" && in_ns {
                    Ok(Kind::Registry)
                } else if local == "registry" {
                    Err(format!(
                        "the root element `<{qname}>` is not in IANA's namespace; the schema requires `<registry xmlns=\"{NAMESPACE}\">`"
                    ))
                } else {
                    Err(format!(
                        "the root element is `<{qname}>`; the schema requires `<registry>`"
                    ))
                }
            }
            Some(parent) if !in_ns => {
                let _ = parent;
                Err(format!(
                    "`<{qname}>` is not in IANA's namespace ({NAMESPACE}); the schema allows no other elements"
                ))
            }
            Some(parent) => child(parent, local, self.t),
        };
        match kind {
            Ok(kind) => {
                if kind == Kind::Record {
                    if self.fast && bindings == 0 && prefix.is_empty() && self.iana_default() {
                        if let Some(after) = simple::record(self.t, at) {
                            self.records += 1;
                            self.tokens.skip_to(after);
                            return true;
                        }
                    }
                    self.record = Some(self.records);
                    self.records += 1;
                }
                if kind == Kind::Person
                    && self.fast
                    && bindings == 0
                    && prefix.is_empty()
                    && self.iana_default()
                {
                    if let Some((after, id)) = simple::person(self.t, at) {
                        let key = self.t.get(id.start..id.end).unwrap_or("");
                        // A second use of an id is the general check's to report.
                        if !self.ids.contains_key(key) {
                            self.ids.insert(key.to_string(), id);
                            self.tokens.skip_to(after);
                            return true;
                        }
                    }
                }
                self.push(kind, at, name, end, bindings);
                self.attributes(kind, name_span, attrs);
            }
            Err(message) => {
                if let Some(p) = self.stack.last_mut() {
                    p.spoiled = true;
                }
                if local == "record" && self.stack.len() == 1 {
                    // Still a record for the loader: keep the count in step with it.
                    self.record = Some(self.records);
                    self.records += 1;
                }
                self.report(name_span, "not allowed here", message);
                self.push(Kind::Skip, at, name, end, bindings);
            }
        }
        false
    }

    /// IANA's namespace is the default and the only one in scope (as between records).
    fn iana_default(&self) -> bool {
        matches!(self.ns.as_slice(), [(p, uri)] if p.is_empty() && uri == NAMESPACE)
    }

    fn push(&mut self, kind: Kind, at: usize, name: (usize, usize), end: usize, bindings: usize) {
        self.stack.push(Frame {
            kind,
            at,
            name,
            seen: 0,
            bindings,
            content: (end, end),
            buf: None,
            spoiled: false,
        });
    }

    fn attributes(&mut self, kind: Kind, at: Span, attrs: &[Attr]) {
        let mut found: [Option<Attr>; 2] = [None, None];
        // The attributes each element takes; xref is checked on its own.
        let allowed: &[&str] = match kind {
            Kind::Registry | Kind::Person => &["id"],
            Kind::JsonExport => &["spec"],
            Kind::MetaNote => &["title"],
            Kind::Footnote => &["anchor"],
            Kind::File => &["type", "name"],
            Kind::Record => &["date", "updated"],
            Kind::Xref => return self.xref(at, attrs),
            _ => &[],
        };
        for a in attrs {
            let key = self.s(a.name);
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            match allowed.iter().position(|k| *k == key) {
                Some(i) => found[i] = Some(*a),
                None => self.not_allowed(a, &format!("`<{}>`", self.element_name())),
            }
        }
        match kind {
            Kind::Registry | Kind::Person => match found[0] {
                Some(a) => self.id(a),
                None => self.report(
                    at,
                    "missing id",
                    format!(
                        "`<{}>` has no `id`; the schema requires one (a unique XML name)",
                        what(kind)
                    ),
                ),
            },
            Kind::JsonExport => {
                if let Some(a) = found[0] {
                    let v = decode(self.s(a.value), true);
                    if v != "v1" && v != "v2" {
                        self.bad_value(a, "`spec` must be `v1` or `v2`".into());
                    }
                }
            }
            Kind::Footnote => match found[0] {
                Some(a) => {
                    if let Some(why) = types::positive_integer(&decode(self.s(a.value), true)) {
                        self.bad_value(
                            a,
                            format!(
                                "`anchor` must be a positive integer (xsd:positiveInteger): {why}"
                            ),
                        );
                    }
                }
                None => self.report(
                    at,
                    "missing anchor",
                    "`<footnote>` has no `anchor`; the schema requires one (a positive integer)"
                        .into(),
                ),
            },
            Kind::File => match found[0] {
                Some(a) => {
                    let v = decode(self.s(a.value), true);
                    let v = types::collapse(&v);
                    if !["legacy", "mib", "template", "json", "yang"].contains(&v.as_ref()) {
                        self.bad_value(
                            a,
                            "`<file type>` must be legacy, mib, template, json or yang".into(),
                        );
                    }
                }
                None => self.report(
                    at,
                    "missing type",
                    "`<file>` has no `type`; the schema requires one".into(),
                ),
            },
            Kind::Record => {
                for a in found.into_iter().flatten() {
                    self.generic_date(a);
                }
            }
            _ => {}
        }
    }

    fn element_name(&self) -> &'a str {
        self.stack.last().map_or("", |f| self.s(f.name))
    }

    fn not_allowed(&mut self, a: &Attr, on: &str) {
        let key = self.s(a.name);
        self.report(
            Span::new(a.name.0, a.name.1),
            "attribute not allowed",
            format!("attribute `{key}` is not allowed on {on} by the schema"),
        );
    }

    fn bad_value(&mut self, a: Attr, message: String) {
        self.report(Span::new(a.value.0, a.value.1), "invalid value", message);
    }

    fn generic_date(&mut self, a: Attr) {
        let v = decode(self.s(a.value), true);
        if !types::generic_date(&v) {
            let key = self.s(a.name);
            self.bad_value(
                a,
                format!("`{key}=\"{v}\"` is neither a date (YYYY-MM-DD) nor a year and month (YYYY-MM), as the schema requires (xsd:date or xsd:gYearMonth)"),
            );
        }
    }

    /// An `xsd:ID`: an XML name, unique in the document.
    fn id(&mut self, a: Attr) {
        let raw = decode(self.s(a.value), true);
        let span = Span::new(a.value.0, a.value.1);
        if !types::ncname(&raw) {
            self.bad_value(
                a,
                format!("id `{raw}` is not an XML name without colons (xsd:ID): letters, digits, `_`, `-` and `.`, not starting with a digit, `-` or `.`"),
            );
            return;
        }
        let key = types::collapse(&raw).into_owned();
        match self.ids.get(&key) {
            Some(&first) => self.out.push(Violation {
                span,
                message: format!(
                    "id `{key}` is used twice; the schema requires IDs to be unique (xsd:ID)"
                ),
                label: "duplicate id",
                related: Some((first, "first use")),
                record: self.record,
            }),
            None => {
                self.ids.insert(key, span);
            }
        }
    }

    /// An `<xref>`'s attributes: `type` decides which `data` it takes and whether a section
    /// (or page, appendix …) may follow.
    fn xref(&mut self, at: Span, attrs: &[Attr]) {
        let mut ty = None;
        let mut data = None;
        let mut fragment: Option<Attr> = None;
        let mut extra = Vec::new();
        for a in attrs {
            let key = self.s(a.name);
            match key {
                "type" => ty = Some(*a),
                "data" => data = Some(*a),
                "lastupdated" => self.generic_date(*a),
                k if k == "xmlns" || k.starts_with("xmlns:") => {}
                k if FRAGMENTS.contains(&k) && fragment.is_none() => fragment = Some(*a),
                _ => extra.push(*a),
            }
        }
        for a in &extra {
            let key = self.s(a.name);
            let why = if FRAGMENTS.contains(&key) {
                "`<xref>` (at most one of section, page, appendix, table, figure and anchor)"
            } else {
                "`<xref>`"
            };
            self.not_allowed(a, why);
        }
        let Some(ty) = ty else {
            self.report(
                at,
                "missing type",
                "`<xref>` has no `type`; the schema requires one (uri, rfc, rfc-errata, draft, registry, person, text, note or unicode)".into(),
            );
            return;
        };
        let tv = decode(self.s(ty.value), true);
        let tv = types::collapse(&tv).into_owned();
        type Check = fn(&str) -> Option<String>;
        let (check, fragments): (Option<Check>, bool) = match tv.as_str() {
            "uri" => (
                Some(|v| (!types::any_uri(v)).then(|| "must be a URI (xsd:anyURI)".into())),
                false,
            ),
            "rfc" => (
                Some(|v| {
                    (!types::rfc_data(v)).then(|| {
                        "must be `rfc`, `bcp` or `std` followed by digits, nothing else".into()
                    })
                }),
                true,
            ),
            "rfc-errata" | "note" => (
                Some(|v| {
                    types::positive_integer(v).map(|why| {
                        format!("must be a positive integer (xsd:positiveInteger): {why}")
                    })
                }),
                false,
            ),
            "draft" => (
                Some(|v| {
                    (!types::draft_data(v)).then(|| {
                        "must be `draft-` or `RFC-` followed by `-`-separated letters and digits, nothing else".into()
                    })
                }),
                true,
            ),
            "registry" | "person" => (
                Some(|v| {
                    (!types::ncname(v)).then(|| {
                        "must be an XML name without colons (xsd:NCName): letters, digits, `_`, `-` and `.`, not starting with a digit, `-` or `.`".into()
                    })
                }),
                false,
            ),
            "text" => (None, false),
            "unicode" => (
                Some(|v| {
                    (!types::unicode_data(v))
                        .then(|| "must be `ucd` and a version such as `ucd15.0.0`".into())
                }),
                false,
            ),
            _ => {
                self.bad_value(
                    ty,
                    format!("`<xref type=\"{tv}\">`: the schema allows only uri, rfc, rfc-errata, draft, registry, person, text, note and unicode"),
                );
                return;
            }
        };
        if let Some(f) = fragment.filter(|_| !fragments) {
            self.not_allowed(
                &f,
                &format!("`<xref type=\"{tv}\">` (only rfc and draft xrefs may name a section)"),
            );
        }
        match (check, data) {
            (None, Some(d)) => self.not_allowed(&d, "`<xref type=\"text\">`"),
            (None, None) => {}
            (Some(_), None) => self.report(
                at,
                "missing data",
                format!("`<xref type=\"{tv}\">` has no `data`; the schema requires it"),
            ),
            (Some(check), Some(d)) => {
                let v = decode(self.s(d.value), true);
                if let Some(why) = check(&v) {
                    self.bad_value(
                        d,
                        format!("`<xref type=\"{tv}\" data=\"{v}\">`: data {why}"),
                    );
                }
            }
        }
    }

    fn text(&mut self, start: usize, end: usize, cdata: bool) {
        let Some(f) = self.stack.last_mut() else {
            return;
        };
        match f.kind {
            Kind::Skip | Kind::Refs | Kind::MetaNote | Kind::Footnote | Kind::Text => {}
            Kind::Rich | Kind::Paragraph | Kind::Xref => {}
            Kind::Value(_) | Kind::File => {
                let raw = self.t.get(start..end).unwrap_or("");
                let piece = if cdata {
                    raw.into()
                } else {
                    decode(raw, false)
                };
                let plain = matches!(piece, std::borrow::Cow::Borrowed(_));
                match &mut f.buf {
                    None if plain && f.content.0 == start => f.content.1 = end,
                    None => {
                        // Not one plain slice: keep the text so far, then this piece.
                        let so_far = self.t.get(f.content.0..f.content.1).unwrap_or("");
                        let mut s = String::with_capacity(so_far.len() + piece.len());
                        s.push_str(so_far);
                        s.push_str(&piece);
                        f.buf = Some(s);
                        f.content.1 = end;
                    }
                    Some(s) => {
                        s.push_str(&piece);
                        f.content.1 = end;
                    }
                }
            }
            _ => {
                let raw = self.t.get(start..end).unwrap_or("");
                if raw
                    .bytes()
                    .all(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
                {
                    return;
                }
                let decoded = if cdata {
                    raw.into()
                } else {
                    decode(raw, false)
                };
                if decoded.chars().all(types::is_xml_ws) {
                    return;
                }
                // XML's whitespace, not Rust's: a vertical tab is text here (fuzz regression).
                let lead = raw.len() - raw.trim_start_matches(types::is_xml_ws).len();
                let span = Span::new(
                    start + lead,
                    start + raw.trim_end_matches(types::is_xml_ws).len(),
                );
                let (kind, fname) = (f.kind, f.name);
                let name = self.s(fname);
                let message = match kind {
                    Kind::Empty | Kind::JsonExport => {
                        format!("`<{name}>` must be empty; the schema allows no text in it")
                    }
                    _ => format!(
                        "text is not allowed directly in `<{name}>` by the schema, only elements"
                    ),
                };
                self.report(span, "text not allowed", message);
            }
        }
    }

    /// The end of the open element: its end tag at `end_tag`, or None for `<x/>`.
    fn end(&mut self, end_tag: Option<usize>) {
        let Some(f) = self.stack.pop() else {
            return;
        };
        for _ in 0..f.bindings {
            self.ns.pop();
        }
        let name_span = Span::new(f.at, f.name.1);
        // What is missing is missing where the element ends, as jing says too.
        let end_span = end_tag.map_or(name_span, |at| {
            Span::new(at, at + 2 + f.name.1.saturating_sub(f.name.0))
        });
        let at = end_tag.unwrap_or(f.content.0);
        let missing = match f.kind {
            Kind::Registry if f.seen < 3 << 16 => {
                Some("`<registry>` has no `<people>`; the schema requires it, after the records and footnotes")
            }
            Kind::Record if f.seen & (1 << 2) == 0 => {
                Some("`<record>` has no `<description>`; the schema requires exactly one")
            }
            Kind::Range if f.seen & 1 == 0 => {
                Some("`<range>` has no `<value>`; the schema requires one")
            }
            Kind::Range if f.seen & (1 << 3) == 0 => {
                Some("`<range>` has no `<registration_rule>`; the schema requires one")
            }
            _ => None,
        };
        if let Some(m) = missing {
            self.report(end_span, "incomplete", m.to_string());
        }
        let data = match f.kind {
            Kind::Value(d) => Some(d),
            Kind::File => Some(Data::AnyUri),
            _ => None,
        };
        if let Some(data) = data {
            if !f.spoiled {
                let value = match &f.buf {
                    Some(s) => s.as_str(),
                    None => self.t.get(f.content.0..f.content.1).unwrap_or(""),
                };
                // An empty element's content is empty: mark its start tag instead.
                let raw = self.t.get(f.content.0..at).unwrap_or("");
                let span = if raw.trim_matches(types::is_xml_ws).is_empty() {
                    name_span
                } else {
                    let lead = raw.len() - raw.trim_start_matches(types::is_xml_ws).len();
                    Span::new(
                        f.content.0 + lead,
                        f.content.0 + raw.trim_end_matches(types::is_xml_ws).len(),
                    )
                };
                let name = self.s(f.name);
                if let Some(m) = value_problem(data, value, name) {
                    self.report(span, "invalid value", m);
                }
            }
        }
        if f.kind == Kind::Record {
            self.record = None;
        }
    }
}

/// What is wrong with text-only content of type `data`, in the schema's words.
fn value_problem(data: Data, v: &str, name: &str) -> Option<String> {
    match data {
        Data::Protocol => {
            let c = types::collapse(v);
            (!["tcp", "udp", "sctp", "dccp"].contains(&c.as_ref())).then(|| {
                format!("`<protocol>{v}</protocol>`: the schema allows only tcp, udp, sctp and dccp (lower case)")
            })
        }
        Data::Range => (!types::generic_range(v)).then(|| {
            format!("`<number>{v}</number>` does not match the schema's pattern: a decimal or 0x-hexadecimal number, or two joined by `-`, with no space before or after")
        }),
        Data::UnsignedInt => types::unsigned_int(v).map(|why| {
            format!("`<sc>{v}</sc>` is not an unsigned 32-bit integer (xsd:unsignedInt, 0 to 4294967295): {why}")
        }),
        Data::GenericDate => (!types::generic_date(v)).then(|| {
            format!("`<{name}>{v}</{name}>` is neither a date (YYYY-MM-DD) nor a year and month (YYYY-MM), as the schema requires")
        }),
        Data::Date => (!types::date(v, true)).then(|| {
            format!("`<{name}>{v}</{name}>` is not a date (YYYY-MM-DD, xsd:date), as the schema requires")
        }),
        Data::AnyUri => (!types::any_uri(v)).then(|| {
            format!("`<{name}>{v}</{name}>` is not a URI (xsd:anyURI), as the schema requires")
        }),
    }
}

/// The kind of child `local` of `parent`, updating what the parent has seen, or why it is
/// not allowed there.
fn child(parent: &mut Frame, local: &str, t: &str) -> Result<Kind, String> {
    let pname = t.get(parent.name.0..parent.name.1).unwrap_or("");
    let nope = |why: &str| Err(format!("`<{local}>` is not allowed in `<{pname}>`{why}"));
    let once = |seen: &mut u32, table: &[(&str, u32, Kind)], what: &str| {
        let Some(&(_, bit, kind)) = table.iter().find(|(n, _, _)| *n == local) else {
            return nope(&format!("; the schema allows only {what}"));
        };
        if bit != u32::MAX {
            if *seen & bit != 0 {
                return Err(format!(
                    "`<{pname}>` has a second `<{local}>`; the schema allows at most one"
                ));
            }
            *seen |= bit;
        }
        Ok(kind)
    };
    // Sequences: each child at its place, `uri` repeatable.
    let ordered = |parent: &mut Frame, table: &[(&str, Kind)], order: &str| {
        let Some(k) = table.iter().position(|(n, _)| *n == local) else {
            return nope(&format!("; the schema allows only {order}, in that order"));
        };
        let k = k as u32 + 1;
        let repeatable = local == "uri";
        if k < parent.seen || (k == parent.seen && !repeatable) {
            return Err(format!(
                "`<{local}>` is out of place in `<{pname}>`; the schema allows {order}, each at most once (uri any number of times), in that order"
            ));
        }
        parent.seen = k;
        Ok(table[k as usize - 1].1)
    };
    match parent.kind {
        Kind::Registry => {
            // `seen`: metadata bits below bit 16, the part reached above (1 records,
            // 2 footnotes, 3 people).
            let part = parent.seen >> 16;
            let next = match local {
                "record" => 1,
                "footnote" => 2,
                "people" => 3,
                _ => 0,
            };
            if part == 3 {
                return nope("; nothing may follow `<people>`");
            }
            if next == 0 {
                if part > 0 {
                    return nope("; the registry's metadata must come before its records");
                }
                let mut seen = parent.seen & 0xFFFF;
                let k = once(
                    &mut seen,
                    META,
                    "metadata (title, updated, note, xref, …), record, footnote and people",
                )?;
                parent.seen = (parent.seen & !0xFFFF) | seen;
                return Ok(k);
            }
            if next < part {
                return nope(
                    "; the schema requires records, then footnotes, then people, in that order",
                );
            }
            parent.seen = (parent.seen & 0xFFFF) | (next << 16);
            Ok(match next {
                1 => Kind::Record,
                2 => Kind::Footnote,
                _ => Kind::People,
            })
        }
        Kind::Metadata => ordered(parent, METADATA, "citable_url and json_export"),
        Kind::Record => once(
            &mut parent.seen,
            RECORD,
            "name, protocol, description, number, sc, note, unauthorized, xref and assignee",
        ),
        Kind::Range => once(
            &mut parent.seen,
            RANGE,
            "value, hex, entry_size, registration_rule, note and xref",
        ),
        Kind::Person => ordered(parent, PERSON, "name, org, uri and updated"),
        Kind::People if local == "person" => Ok(Kind::Person),
        Kind::People => nope("; the schema allows only person"),
        Kind::Assignee if local == "xref" => Ok(Kind::Xref),
        Kind::Assignee => nope("; the schema allows only xref"),
        Kind::Refs | Kind::MetaNote | Kind::Footnote if local == "xref" => Ok(Kind::Xref),
        Kind::Refs | Kind::MetaNote | Kind::Footnote => {
            nope("; the schema allows only text and xref")
        }
        Kind::Rich => match local {
            "xref" => Ok(Kind::Xref),
            "br" => Ok(Kind::Empty),
            "paragraph" => Ok(Kind::Paragraph),
            "artwork" => Ok(Kind::Text),
            _ => nope("; the schema allows only text, xref, br, paragraph and artwork"),
        },
        Kind::Paragraph => match local {
            "xref" => Ok(Kind::Xref),
            "br" if parent.seen == 0 => {
                parent.seen = 1;
                Ok(Kind::Empty)
            }
            "br" => Err(format!(
                "`<{pname}>` has a second `<br>`; the schema allows at most one in a paragraph"
            )),
            _ => nope("; the schema allows only text, xref and one br"),
        },
        Kind::Value(_) | Kind::Text | Kind::Xref => nope("; the schema allows only text in it"),
        Kind::Empty | Kind::JsonExport | Kind::File => nope("; the schema allows nothing in it"),
        Kind::Skip => Ok(Kind::Skip),
    }
}

#[cfg(test)]
mod tests {
    use super::validate;

    const DOC: &str = "<?xml version=\"1.0\"?>\n<!DOCTYPE registry [<!-- x -->]>\n\
        <registry xmlns=\"http://www.iana.org/assignments\" id=\"r\"><title>T</title>\n\
        <record date=\"2020-01\"><name>a</name><protocol>tcp</protocol><number>1-0x2</number>\
        <description>d<br/><paragraph>p<xref type=\"rfc\" data=\"rfc1\" section=\"2\"/></paragraph>\
        <![CDATA[c]]>&amp;&#65;</description><sc>7</sc></record>\n\
        <people><person id=\"P\"><name>n</name><uri>mailto:a</uri></person></people></registry>\n";

    #[test]
    fn a_valid_document_has_no_violation() {
        assert_eq!(validate(DOC), Vec::new());
    }

    /// The check runs on documents the loader read, but must not panic on anything: every
    /// prefix and every one-byte deletion of a document.
    #[test]
    fn never_panics_on_cut_or_damaged_text() {
        for end in 0..=DOC.len() {
            if let Some(prefix) = DOC.get(..end) {
                let _ = validate(prefix);
            }
        }
        for at in 0..DOC.len() {
            if DOC.is_char_boundary(at) && DOC.is_char_boundary(at + 1) {
                let damaged = format!("{}{}", &DOC[..at], &DOC[at + 1..]);
                let _ = validate(&damaged);
            }
        }
    }

    #[test]
    fn violations_name_the_record_they_are_in() {
        let doc = DOC.replace("<protocol>tcp</protocol>", "<protocol>TCP</protocol>");
        let v = validate(&doc);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].record, Some(0));
        assert_eq!(&doc[v[0].span.start..v[0].span.end], "TCP");
    }
}
