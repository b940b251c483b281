//! The registry's record types: records, people, references and compact spans, plus what a
//! format parser produces. A leaf: it depends on nothing else in the registry module, so
//! every other file of the registry can use it.

use std::fmt;

use crate::model::{PortRange, Transport};
use crate::source::Span;

/// The kind of a reference (an `<xref>` other than a person, or a CSV `[...]` item).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RefKind {
    /// `rfcN` (data is lower case, e.g. `rfc6335`).
    Rfc,
    /// `draft-…` or `RFC-ietf-…`.
    Draft,
    /// `http(s)://…`.
    Uri,
    /// Free text (XML `type="text"`, whose value is the element text); also unknown xref types.
    Text,
    /// A footnote anchor (`1`).
    Note,
}

impl RefKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RefKind::Rfc => "rfc",
            RefKind::Draft => "draft",
            RefKind::Uri => "uri",
            RefKind::Text => "text",
            RefKind::Note => "note",
        }
    }
}

/// A record-level reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub kind: RefKind,
    /// XML: the `data` attribute (for `text` xrefs: the element text). CSV: the bracket
    /// content, with `RFCnnnn` normalised to `rfcnnnn`.
    pub data: String,
    /// XML: the element text of an xref that has both `data` and text (link text such as
    /// `TR-352` or `draft-zubov-snif-05, Section 4.3`). None otherwise.
    pub text: Option<String>,
    /// XML: the `section` attribute, if any.
    pub section: Option<String>,
    /// The `data` attribute value (XML; the element text for `text` xrefs, the whole element
    /// when neither exists) or the bracket content (CSV).
    pub span: Span,
}

/// One `<record>` (or one CSV data row).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// 0-based `<record>` index (CSV: 0-based data row).
    pub index: usize,
    /// None when absent or empty (`<name/>`); original case.
    pub name: Option<String>,
    /// None = covers every transport. (An unrecognised protocol text also gives None; its
    /// `protocol_span` is still set.)
    pub protocol: Option<Transport>,
    /// None when absent or not a valid `N`/`N-M` (then `number_span` is still set).
    pub number: Option<PortRange>,
    /// Text with entities decoded; `<br/>` becomes `\n`; inline xrefs are rendered as
    /// `[RFC6614]`, `[Person_Id]`, `[uri]` (`[draft-…]`, `[text]`, `[1]`). Whitespace is kept.
    pub description: String,
    /// Person ids from `<assignee>` (CSV: the Assignee column).
    pub assignee: Vec<String>,
    /// Person ids of bare record-level person xrefs (CSV: the Contact column).
    pub contact: Vec<String>,
    pub references: Vec<Reference>,
    /// Raw `<sc>` text (decimal in the XML).
    pub service_code: Option<String>,
    /// `<note>` rendered like `description` (`<paragraph>`s separated by `\n`). An empty
    /// `<note/>` is `Some("")`.
    pub note: Option<String>,
    pub unauthorized: Option<String>,
    /// Raw `date` attribute (registration date).
    pub date: Option<String>,
    /// Raw `updated` attribute (modification date).
    pub updated: Option<String>,
    /// `<record>…</record>` (CSV: the row, without its line terminator).
    pub span: Span,
    // The spans of the simple fields, read through the methods of the same names (stored in
    // 8 bytes each instead of 24).
    pub(super) name_span: OptSpan,
    pub(super) protocol_span: OptSpan,
    pub(super) number_span: OptSpan,
    pub(super) sc_span: OptSpan,
    pub(super) date_span: OptSpan,
    pub(super) updated_span: OptSpan,
    /// Every person xref in the record (assignee, contact, and inline ones in a note or
    /// description): its id and the span of its `data` value (CSV: the id inside `[...]`).
    pub person_spans: Vec<(String, Span)>,
}

/// An `Option<Span>` in 8 bytes: registry files are at most 64 MiB, so offsets fit in `u32`
/// (`start == u32::MAX` is None).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct OptSpan {
    start: u32,
    end: u32,
}

impl Default for OptSpan {
    fn default() -> OptSpan {
        OptSpan::NONE
    }
}

impl OptSpan {
    pub(crate) const NONE: OptSpan = OptSpan {
        start: u32::MAX,
        end: u32::MAX,
    };

    pub(crate) fn some(s: Span) -> OptSpan {
        let clamp = |x: usize| u32::try_from(x).unwrap_or(u32::MAX - 1).min(u32::MAX - 1);
        OptSpan {
            start: clamp(s.start),
            end: clamp(s.end),
        }
    }

    pub(crate) fn get(self) -> Option<Span> {
        (self.start != u32::MAX).then(|| Span::new(self.start as usize, self.end as usize))
    }

    /// The two offsets as stored (for the scan cache).
    pub(crate) fn raw(self) -> (u32, u32) {
        (self.start, self.end)
    }

    pub(crate) fn from_raw(start: u32, end: u32) -> OptSpan {
        OptSpan { start, end }
    }

    pub(crate) fn is_none(self) -> bool {
        self.start == u32::MAX
    }
}

impl From<Option<Span>> for OptSpan {
    fn from(s: Option<Span>) -> OptSpan {
        s.map_or(OptSpan::NONE, OptSpan::some)
    }
}

impl fmt::Debug for OptSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl Record {
    /// A record with no fields, only its position.
    pub(crate) fn empty(index: usize, span: Span) -> Record {
        Record {
            index,
            name: None,
            protocol: None,
            number: None,
            description: String::new(),
            assignee: Vec::new(),
            contact: Vec::new(),
            references: Vec::new(),
            service_code: None,
            note: None,
            unauthorized: None,
            date: None,
            updated: None,
            span,
            name_span: OptSpan::NONE,
            protocol_span: OptSpan::NONE,
            number_span: OptSpan::NONE,
            sc_span: OptSpan::NONE,
            date_span: OptSpan::NONE,
            updated_span: OptSpan::NONE,
            person_spans: Vec::new(),
        }
    }

    /// The trimmed `<name>` text (CSV: the Service Name cell), when the name is not empty.
    pub fn name_span(&self) -> Option<Span> {
        self.name_span.get()
    }

    /// The trimmed `<protocol>` text (the empty element when `<protocol/>`).
    pub fn protocol_span(&self) -> Option<Span> {
        self.protocol_span.get()
    }

    /// The trimmed `<number>` text (the empty element when `<number/>`).
    pub fn number_span(&self) -> Option<Span> {
        self.number_span.get()
    }

    /// The trimmed `<sc>` text.
    pub fn sc_span(&self) -> Option<Span> {
        self.sc_span.get()
    }

    /// The `date` attribute value (CSV: the Registration Date cell).
    pub fn date_span(&self) -> Option<Span> {
        self.date_span.get()
    }

    /// The `updated` attribute value (CSV: the Modification Date cell).
    pub fn updated_span(&self) -> Option<Span> {
        self.updated_span.get()
    }

    /// A nameless record whose trimmed description is `Unassigned` (any case).
    pub fn is_unassigned(&self) -> bool {
        self.name.is_none() && self.description.trim().eq_ignore_ascii_case("unassigned")
    }

    /// A nameless record whose (trimmed) description starts with `Reserved`.
    pub fn is_reserved(&self) -> bool {
        self.name.is_none() && self.description.trim_start().starts_with("Reserved")
    }

    /// Drops the spare capacity of the small vectors (records are kept for the whole run).
    pub(crate) fn shrink(&mut self) {
        self.assignee.shrink_to_fit();
        self.contact.shrink_to_fit();
        self.references.shrink_to_fit();
        self.person_spans.shrink_to_fit();
    }

    /// Whether this record's number covers `port` on transport `t` (a record without a
    /// protocol covers every transport).
    pub fn covers(&self, t: Transport, port: u16) -> bool {
        let transport_ok = match self.protocol {
            None => true,
            Some(p) => p == t,
        };
        transport_ok && self.number.is_some_and(|n| n.contains(port))
    }
}

/// One `<person>` of the `<people>` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    /// None when absent or empty.
    pub name: Option<String>,
    /// None when absent or empty.
    pub org: Option<String>,
    /// Raw uris (`mailto:user&example.com` keeps its `&`); an empty `<uri/>` is `""`.
    pub uris: Vec<String>,
    pub updated: Option<String>,
    /// `<person>…</person>`.
    pub span: Span,
}

impl Person {
    pub(crate) fn empty(id: String, span: Span) -> Person {
        Person {
            id,
            name: None,
            org: None,
            uris: Vec::new(),
            updated: None,
            span,
        }
    }
}

/// What a format parser produces.
pub(crate) struct Parsed {
    pub updated: Option<String>,
    pub records: Vec<Record>,
    pub people: Vec<Person>,
}
