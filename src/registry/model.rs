//! The in-memory registry: records, people and the lookup index.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crate::model::{PortRange, Transport};
use crate::source::{line_col_in, line_col_scan, LineCol, Span};

use super::index::{Index, Keys};
use super::lazy::{People, Records};
use super::text::Text;

/// The file format a registry was read from (detected from content, not the file name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Xml,
    Csv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Xml => "xml",
            Format::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A loaded registry. Spans in records and people are byte offsets into [`Registry::source`].
#[derive(Clone)]
pub struct Registry {
    /// The path as given (for display).
    pub path: String,
    pub format: Format,
    /// XML: the registry's own top-level `<updated>`. CSV: the newest well-formed
    /// (`YYYY-MM` or `YYYY-MM-DD`) Registration/Modification date of any row.
    pub updated: Option<String>,
    /// The whole file, kept so reports can show a record's lines and records can be parsed
    /// when first read.
    text: Text,
    /// Byte offset of the start of every line of the text (the first is 0), built when
    /// enough lookups ask for it (see [`Registry::line_col`]).
    lines: LineIndex,
    /// In document order; XML records are parsed on first access.
    pub records: Records,
    /// The `<people>` table (always empty for CSV, which has none); parsed on first access.
    pub people: People,
    pub(crate) index: Index,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("path", &self.path)
            .field("format", &self.format)
            .field("updated", &self.updated)
            .field("source_len", &self.text.len())
            .field("records", &self.records.len())
            .field("people", &self.people.len())
            .finish()
    }
}

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

/// The line index of a registry and how often lines were looked up without it.
#[derive(Default)]
struct LineIndex {
    starts: OnceLock<Vec<usize>>,
    lookups: AtomicUsize,
}

impl LineIndex {
    /// Lookups answered by counting lines before the index is built.
    const SCANS: usize = 8;
}

impl Clone for LineIndex {
    fn clone(&self) -> LineIndex {
        LineIndex {
            starts: self.starts.clone(),
            lookups: AtomicUsize::new(self.lookups.load(Ordering::Relaxed)),
        }
    }
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

impl Registry {
    pub(crate) fn assemble(
        path: String,
        format: Format,
        updated: Option<String>,
        text: Text,
        records: Records,
        people: People,
    ) -> Registry {
        let index = Index::build(&Keys::new(&text, &records, &people));
        Registry {
            path,
            format,
            updated,
            text,
            lines: LineIndex::default(),
            records,
            people,
            index,
        }
    }

    pub(crate) fn keys(&self) -> Keys<'_> {
        Keys::new(&self.text, &self.records, &self.people)
    }

    /// The whole registry file.
    pub fn source(&self) -> &str {
        &self.text
    }

    /// The whole registry file as a shared string, for a report's file table (a copy when the
    /// file is memory-mapped, so only commands that show the registry itself use it).
    pub fn shared_source(&self) -> Arc<str> {
        self.text.to_arc_str()
    }

    /// 1-based line and column (in characters) of a byte offset into `source`. The first
    /// few lookups count lines (a `check` looks up only the records it shows, and indexing
    /// 111,000 lines costs more than that); later ones build and use the line index.
    pub fn line_col(&self, offset: usize) -> LineCol {
        if self.lines.starts.get().is_none()
            && self.lines.lookups.fetch_add(1, Ordering::Relaxed) < LineIndex::SCANS
        {
            return line_col_scan(&self.text, offset);
        }
        line_col_in(&self.text, self.line_starts(), offset)
    }

    /// Byte offset of the start of every line of `source` (the first is 0); built on the
    /// first call (most runs never need it).
    pub fn line_starts(&self) -> &[usize] {
        self.lines
            .starts
            .get_or_init(|| super::line_starts(&self.text))
    }

    /// The source text of a span (empty if the span is out of range).
    pub fn span_text(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The source text of a whole record.
    pub fn record_text(&self, record: &Record) -> &str {
        self.span_text(record.span)
    }

    /// The person with this id; `[Id]` (CSV bracket form) is accepted too.
    pub fn person(&self, id: &str) -> Option<&Person> {
        let id = id
            .strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .unwrap_or(id);
        self.index
            .person(&self.keys(), id)
            .and_then(|i| self.people.get(i))
    }

    pub fn record_count(&self) -> usize {
        self.records.len()
    }

    pub fn people_count(&self) -> usize {
        self.people.len()
    }
}
