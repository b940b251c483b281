//! Reading the IANA Service Name and Transport Protocol Port Number Registry (XML or CSV)
//! into records, people and a lookup index.
//!
//! The format is detected from the content, never from the file name: XML when the first
//! non-whitespace character is `<` (and the root is `<registry>`), CSV when the first line
//! is exactly the IANA header ([`CSV_HEADER`]). HTML pages and JSON are recognised and
//! refused with a message saying so.
//!
//! * Spans are byte offsets into [`Registry::source`]; [`Registry::line_col`] turns them into
//!   lines and columns (the line index is built on first use).
//! * XML: only the five predefined entities and numeric character references are decoded. A
//!   DTD that declares entities is refused, unknown entity references are errors, and nothing
//!   is ever expanded or fetched. Element order inside `<record>` does not matter and unknown
//!   elements are skipped.
//! * CSV: there is no people table (`people` is empty) and no registry date; `updated` is
//!   the newest well-formed Registration/Modification date of any row. Assignee and Contact
//!   columns fill `assignee` and `contact` as they are (the CSV copies the contact into the
//!   assignee when the XML has no `<assignee>`).
//! * Files over [`MAX_REGISTRY_BYTES`] are refused before they are read.
//!
//! How an XML file is read, fast (a `check` must not wait for the 3.9 MB file): the file is
//! memory-mapped, not copied; a byte scanner (`scan.rs`) checks the whole document and notes
//! where each record and person is, with the fields the index needs; a record or person is
//! parsed with quick-xml only when something reads it ([`Records`], [`People`]). The scanner
//! accepts a strict subset of XML and gives up on anything else, and then the full quick-xml
//! parse reads the file (or reports its error), so both ways give the same registry
//! ([`Registry::from_bytes_eager`] is the full parse; tests/registry_scan.rs compares them).
//! CSV is always read in full.
//!
//! The index (names, ports per transport, service codes, people) is built at load from the
//! scanner's notes without parsing a record; the keys for [`Registry::similar_names`] are
//! built on its first call.
//!
//! ```
//! use portreg::testing::model::Transport;
//! use portreg::Registry;
//!
//! let xml = r#"<?xml version="1.0"?>
//! <registry id="service-names-port-numbers">
//!   <updated>2026-08-17</updated>
//!   <record date="1995-01"><name>http</name><protocol>tcp</protocol><number>80</number>
//!     <description>World Wide Web HTTP</description><xref type="person" data="Tim"/></record>
//!   <record><protocol>udp</protocol><number>80</number><description>Reserved</description></record>
//!   <people><person id="Tim"><name>Tim Berners-Lee</name></person></people>
//! </registry>"#;
//! let registry = Registry::from_bytes("example.xml", xml.as_bytes().to_vec())?;
//! assert_eq!(registry.records.len(), 2);
//! assert_eq!(registry.records.parsed_count(), 0); // nothing parsed yet
//!
//! let http: Vec<_> = registry.records_named("HTTP").collect(); // names fold ASCII case
//! assert_eq!(http[0].number.map(|n| n.lo), Some(80));
//! assert_eq!(http[0].description, "World Wide Web HTTP");
//! assert_eq!(registry.records.parsed_count(), 1); // only the record that was read
//!
//! assert!(registry.records_at(Transport::Udp, 80)[0].is_reserved());
//! assert_eq!(registry.person("Tim").and_then(|p| p.name.as_deref()), Some("Tim Berners-Lee"));
//! # Ok::<(), portreg::LoadError>(())
//! ```

mod csvfile;
mod error;
mod groups;
mod index;
mod lazy;
mod model;
mod scan;
mod text;
mod xml;

pub use error::{LoadError, LoadErrorKind};
pub use index::{Similar, SimilarKind};
pub use lazy::{People, Records};
pub use model::{Format, Person, Record, RefKind, Reference, Registry};

use std::io::Read;
use std::path::Path;

use text::{Text, TextError};

/// Files larger than this are refused before being read.
pub const MAX_REGISTRY_BYTES: u64 = 64 * 1024 * 1024;

/// The exact first line of the IANA CSV form.
pub const CSV_HEADER: &str = "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes";

impl Registry {
    /// Reads a registry file (XML or CSV, detected from the content). XML records and people
    /// are parsed when first read; the file is checked in full now, so every error is
    /// reported here.
    pub fn load(path: &Path) -> Result<Registry, LoadError> {
        let display = path.display().to_string();
        let io_err = |e: std::io::Error| {
            LoadError::new(
                &display,
                LoadErrorKind::Io,
                format!("cannot read the registry: {e}"),
            )
        };
        let file = std::fs::File::open(path).map_err(io_err)?;
        let meta = file.metadata().map_err(io_err)?;
        if meta.is_dir() {
            return Err(LoadError::new(
                &display,
                LoadErrorKind::Io,
                "cannot read the registry: it is a directory".to_string(),
            ));
        }
        if meta.len() > MAX_REGISTRY_BYTES {
            return Err(too_large(&display, meta.len()));
        }
        if meta.is_file() && meta.len() > 0 {
            match Text::map(&file) {
                Ok(text) if text.len() as u64 <= MAX_REGISTRY_BYTES => {
                    return Registry::from_text(&display, text, true)
                }
                Ok(text) => return Err(too_large(&display, text.len() as u64)),
                Err(TextError::Utf8 { bytes, valid_up_to }) => {
                    return Err(utf8_error(&display, &bytes, valid_up_to))
                }
                Err(TextError::Unmappable) => {}
            }
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        // The file may grow after the metadata check: never read more than the limit + 1.
        file.take(MAX_REGISTRY_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io_err)?;
        Registry::from_bytes(&display, bytes)
    }

    /// Parses a registry held in memory; `path_for_display` is used in errors and reports.
    pub fn from_bytes(path_for_display: &str, bytes: Vec<u8>) -> Result<Registry, LoadError> {
        Registry::from_bytes_with(path_for_display, bytes, true)
    }

    /// Like [`Registry::from_bytes`], but parses every record and person now with the full
    /// XML parser instead of scanning first. The result is the same; this exists to check
    /// exactly that, and for callers that will read every record anyway.
    pub fn from_bytes_eager(path_for_display: &str, bytes: Vec<u8>) -> Result<Registry, LoadError> {
        Registry::from_bytes_with(path_for_display, bytes, false)
    }

    fn from_bytes_with(path: &str, bytes: Vec<u8>, scan: bool) -> Result<Registry, LoadError> {
        if bytes.len() as u64 > MAX_REGISTRY_BYTES {
            return Err(too_large(path, bytes.len() as u64));
        }
        match String::from_utf8(bytes) {
            Ok(s) => Registry::from_text(path, Text::owned(s), scan),
            Err(e) => {
                let valid_up_to = e.utf8_error().valid_up_to();
                Err(utf8_error(path, e.as_bytes(), valid_up_to))
            }
        }
    }

    fn from_text(path: &str, text: Text, scan: bool) -> Result<Registry, LoadError> {
        let ctx = ErrCtx { path, text: &text };
        let (format, contents) = detect_and_parse(&text, &ctx, scan)?;
        let (updated, records, people) = match contents {
            Contents::Parsed(p) => (
                p.updated,
                Records::from_parsed(text.clone(), p.records),
                People::from_parsed(text.clone(), p.people),
            ),
            Contents::Scanned(s) => (
                s.updated,
                Records::from_scan(text.clone(), s.records),
                People::from_scan(text.clone(), s.people),
            ),
        };
        Ok(Registry::assemble(
            path.to_string(),
            format,
            updated,
            text,
            records,
            people,
        ))
    }
}

/// What a format parser produces.
pub(crate) struct Parsed {
    pub updated: Option<String>,
    pub records: Vec<Record>,
    pub people: Vec<Person>,
}

enum Contents {
    Parsed(Parsed),
    Scanned(scan::Skeleton),
}

fn detect_and_parse(
    text: &str,
    ctx: &ErrCtx<'_>,
    scan: bool,
) -> Result<(Format, Contents), LoadError> {
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[body_start..];
    let trimmed = body.trim_start();
    let first_at = text.len() - trimmed.len();
    match trimmed.as_bytes().first() {
        None => Err(ctx.malformed(
            first_at,
            "the registry file is empty (expected the IANA XML or CSV form)".to_string(),
        )),
        Some(b'<') => {
            if looks_like_html(trimmed) {
                return Err(ctx.malformed(first_at, HTML_MESSAGE.to_string()));
            }
            // The scanner accepts only documents the full parse reads without error; for
            // anything else the full parse gives the error (or reads the unusual file).
            if let Some(skeleton) = scan.then(|| scan::scan(text, body_start)).flatten() {
                return Ok((Format::Xml, Contents::Scanned(skeleton)));
            }
            Ok((
                Format::Xml,
                Contents::Parsed(xml::parse(text, body_start, ctx)?),
            ))
        }
        Some(b'{') | Some(b'[') => Err(ctx.malformed(
            first_at,
            "this is JSON, not a registry (expected the IANA XML or CSV form)".to_string(),
        )),
        Some(_) => {
            let first_line = body.split('\n').next().unwrap_or("");
            let first_line = first_line.strip_suffix('\r').unwrap_or(first_line);
            if first_line != CSV_HEADER {
                let shown: String = first_line.chars().take(120).collect();
                return Err(ctx.malformed(
                    body_start,
                    format!(
                        "not a registry: expected the IANA XML form (starting with `<`) or the \
                         CSV form whose first line is `{CSV_HEADER}`, but the first line is `{shown}`"
                    ),
                ));
            }
            Ok((
                Format::Csv,
                Contents::Parsed(csvfile::parse(text, body_start, ctx)?),
            ))
        }
    }
}

const HTML_MESSAGE: &str =
    "this is an HTML page, not a registry (download the XML or CSV form of the registry)";

fn looks_like_html(s: &str) -> bool {
    let head: String = s.chars().take(15).collect::<String>().to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

fn too_large(path: &str, len: u64) -> LoadError {
    LoadError::new(
        path,
        LoadErrorKind::TooLarge,
        format!(
            "the registry file is {len} bytes, more than the limit of {MAX_REGISTRY_BYTES} bytes (64 MiB); \
             refusing to read it"
        ),
    )
}

fn utf8_error(path: &str, bytes: &[u8], offset: usize) -> LoadError {
    let valid = bytes.get(..offset).unwrap_or(bytes);
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = std::str::from_utf8(&valid[line_start..])
        .map_or(offset - line_start, |s| s.chars().count())
        + 1;
    let mut e = LoadError::new(
        path,
        LoadErrorKind::Utf8,
        format!("the registry is not valid UTF-8 (invalid byte at offset {offset})"),
    );
    e.offset = Some(offset);
    e.line = Some(line);
    e.column = Some(column);
    e
}

pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    let mut v = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    v.push(0);
    v.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    v
}

/// What the parsers need to build positioned errors.
pub(crate) struct ErrCtx<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

impl ErrCtx<'_> {
    /// Line and column of an offset (errors only: the line index is built for each call).
    pub fn line_col(&self, offset: usize) -> crate::source::LineCol {
        crate::source::line_col_in(self.text, &line_starts(self.text), offset)
    }

    pub fn malformed(&self, offset: usize, message: String) -> LoadError {
        let lc = self.line_col(offset);
        let mut e = LoadError::new(self.path, LoadErrorKind::Malformed, message);
        e.offset = Some(offset.min(self.text.len()));
        e.line = Some(lc.line);
        e.column = Some(lc.column);
        e
    }
}
