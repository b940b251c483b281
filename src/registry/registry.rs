//! The loaded registry: its records, people and text, and the lookups the checks use
//! (by name, port, service code, person id, similar names). The top of the registry's
//! layers: record (types) <- scan <- xml <- lazy <- index <- registry <- load.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::model::Transport;
use crate::source::{line_col_in, line_col_scan, LineCol, Span};

use super::index::{Index, Keys, Similar};
use super::lazy::{People, Records};
use super::record::{Person, Record};
use super::text::{line_starts, Text};

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
    /// The unnamed records with a note (where de-assignments are written), found on the
    /// first status question about a name (`status.rs`).
    deassigned: OnceLock<Noted>,
    /// People by email and organisation (`contacts.rs`), built on the first question.
    contacts: OnceLock<Vec<(u64, u32)>>,
}

/// What `status.rs` finds once per registry: the unnamed records that carry a note (where
/// de-assignments are written) and their raw text, for its name searches (one per entry).
#[derive(Clone, Default)]
pub(crate) struct Noted {
    /// Record indexes, in document order.
    pub(crate) records: Vec<usize>,
    /// Each record's raw text in ASCII lower case, each followed by a `\0` (scanned
    /// registries only; empty otherwise).
    pub(crate) lower: Vec<u8>,
    /// The offset in `lower` of each record's `\0`.
    pub(crate) ends: Vec<usize>,
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

/// The line index of a registry and how often lines were looked up without it.
#[derive(Default)]
struct LineIndex {
    starts: OnceLock<Vec<usize>>,
    lookups: AtomicUsize,
    /// Offsets counted so far and the newlines before each: a later count starts from the
    /// nearest of them instead of the start of the file.
    known: Mutex<BTreeMap<usize, usize>>,
}

impl LineIndex {
    /// Lookups answered by counting lines before the index is built.
    const SCANS: usize = 64;

    /// Line and column of `offset` by counting newlines from the nearest offset counted
    /// before (as [`line_col_scan`] does from the start).
    fn count(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let Ok(mut known) = self.known.lock() else {
            return line_col_scan(text, offset);
        };
        let bytes = text.as_bytes();
        let count = |from: usize, to: usize| memchr::memchr_iter(b'\n', &bytes[from..to]).count();
        let (below, below_n) = known
            .range(..=offset)
            .next_back()
            .map_or((0, 0), |(&at, &n)| (at, n));
        let newlines = match known.range(offset..).next() {
            Some((&above, &above_n)) if above - offset < offset - below => {
                above_n - count(offset, above)
            }
            _ => below_n + count(below, offset),
        };
        known.insert(offset, newlines);
        let line_start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
        LineCol {
            line: newlines + 1,
            column: text[line_start..offset].chars().count() + 1,
        }
    }
}

impl Clone for LineIndex {
    fn clone(&self) -> LineIndex {
        LineIndex {
            starts: self.starts.clone(),
            lookups: AtomicUsize::new(self.lookups.load(Ordering::Relaxed)),
            known: Mutex::new(self.known.lock().map(|k| k.clone()).unwrap_or_default()),
        }
    }
}

impl Registry {
    /// `index`: the index read from the scan cache, else it is built here.
    pub(crate) fn assemble(
        path: String,
        format: Format,
        updated: Option<String>,
        text: Text,
        records: Records,
        people: People,
        index: Option<Index>,
    ) -> Registry {
        let index = index.unwrap_or_else(|| Index::build(&Keys::new(&text, &records, &people)));
        Registry {
            path,
            format,
            updated,
            text,
            lines: LineIndex::default(),
            records,
            people,
            index,
            deassigned: OnceLock::new(),
            contacts: OnceLock::new(),
        }
    }

    /// Where `status.rs` keeps what it found once.
    pub(crate) fn status_cache(&self) -> &OnceLock<Noted> {
        &self.deassigned
    }

    /// Where `contacts.rs` keeps its index.
    pub(crate) fn contacts_cache(&self) -> &OnceLock<Vec<(u64, u32)>> {
        &self.contacts
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
            return self.lines.count(&self.text, offset);
        }
        line_col_in(&self.text, self.line_starts(), offset)
    }

    /// Byte offset of the start of every line of `source` (the first is 0); built on the
    /// first call (most runs never need it).
    pub fn line_starts(&self) -> &[usize] {
        self.lines.starts.get_or_init(|| line_starts(&self.text))
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
        self.person_index(id).and_then(|i| self.people.get(i))
    }

    /// Where [`Registry::person`] finds the person, without parsing it.
    pub(crate) fn person_index(&self, id: &str) -> Option<usize> {
        let id = id
            .strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .unwrap_or(id);
        self.index.person(&self.keys(), id)
    }

    /// The source text of record `i` as the scanner found it, without parsing it; None when
    /// the registry was parsed in full.
    pub(crate) fn scanned_record_text(&self, i: usize) -> Option<&str> {
        let s = self.records.scanned()?.get(i)?;
        self.text.get(s.span.start..s.span.end)
    }

    /// The source text of person `i` as the scanner found it (see above).
    pub(crate) fn scanned_person_text(&self, i: usize) -> Option<&str> {
        let s = self.people.scanned()?.get(i)?;
        self.text.get(s.span.start..s.span.end)
    }

    /// A registry of some of this one's records and people (indices, in document order),
    /// over the same text and unparsed; a record's `index` is its place in the excerpt. None
    /// when the registry was parsed in full. `registry diff` runs the registry-wide rules on
    /// what a change touches this way.
    pub(crate) fn excerpt(&self, records: &[usize], people: &[usize]) -> Option<Registry> {
        Some(Registry::assemble(
            self.path.clone(),
            self.format,
            self.updated.clone(),
            self.text.clone(),
            self.records.excerpt(records)?,
            self.people.excerpt(people)?,
            None,
        ))
    }

    /// Whether `<people>` has a person with this id (without reading the person).
    pub fn has_person(&self, id: &str) -> bool {
        let id = id
            .strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .unwrap_or(id);
        self.index
            .person(&self.keys(), id)
            .is_some_and(|i| i < self.people.len())
    }

    pub fn record_count(&self) -> usize {
        self.records.len()
    }

    pub fn people_count(&self) -> usize {
        self.people.len()
    }
}

impl Registry {
    fn rec(&self, i: u32) -> Option<&Record> {
        self.records.get(i as usize)
    }

    /// All records with this name (ASCII case-insensitive, surrounding whitespace ignored),
    /// on any protocol and number, in document order.
    pub fn records_named<'r>(&'r self, name: &str) -> impl Iterator<Item = &'r Record> + 'r {
        self.index
            .name_records(&self.keys(), name)
            .filter_map(move |i| self.rec(i))
    }

    /// Every record whose number covers `port` and whose protocol is `t` or absent (ranges,
    /// Unassigned and Reserved records included), in document order.
    pub fn records_at(&self, t: Transport, port: u16) -> Vec<&Record> {
        self.index
            .at(t, port)
            .into_iter()
            .filter_map(|i| self.rec(i))
            .collect()
    }

    /// Records whose `<sc>` is this DCCP service code.
    pub fn records_with_service_code(&self, code: u32) -> Vec<&Record> {
        self.index
            .with_service_code(code)
            .filter_map(|i| self.rec(i))
            .collect()
    }

    /// Registered names similar to `name` (exact case-insensitive matches excluded), one entry
    /// per distinct name, sorted by name. When a name matches in several ways the first of
    /// Hyphens, LookAlike, OneEdit is reported.
    pub fn similar_names(&self, name: &str) -> Vec<Similar<'_>> {
        self.index.similar_names(&self.keys(), name)
    }

    /// Number of distinct names (case-insensitive).
    pub fn distinct_name_count(&self) -> usize {
        self.index.name_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counting from the nearest counted offset agrees with counting from the start, in
    /// any order of lookups (forwards, backwards, repeated, inside a character, past the end).
    #[test]
    fn counted_lines_match_a_full_scan() {
        let text = "a\nbç\n\nxyz\nçç\n";
        let lines = LineIndex::default();
        for offset in [9, 2, 14, 4, 4, 0, 99, 5, 1, 11, 3] {
            assert_eq!(
                lines.count(text, offset),
                line_col_scan(text, offset),
                "{offset}"
            );
        }
    }
}
