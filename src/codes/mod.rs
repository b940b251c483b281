//! IANA's DCCP "Service Codes" registry (category "Datagram Congestion Control Protocol
//! (DCCP) Parameters"), a registry separate from the port registry: one row per code or
//! range of codes, with its ASCII form, description and references.
//!
//! Read with the port registry's safety rules: UTF-8 only, at most
//! [`crate::registry::MAX_REGISTRY_BYTES`], no DTD entities and no entity but the five
//! predefined ones and numeric references, and every error with its exact line and column.
//! The rows are kept as IANA wrote them; what a code *may* be (reserved, private use,
//! specification required) comes from the RFCs ([`crate::model::service_code::class`]),
//! never from the rows, since one row is wrong (`registry/sc-class`).

mod xml;

use std::path::Path;
use std::sync::Arc;

use crate::registry::{LoadError, LoadErrorKind, MAX_REGISTRY_BYTES};
use crate::source::{LineCol, Span};

/// One `<record>` of the Service Codes registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRow {
    /// 0-based position among the rows.
    pub index: usize,
    /// The first and last code of `<value>` (equal for a single code).
    pub lo: u32,
    pub hi: u32,
    /// `<ascii>`, when the row has one.
    pub ascii: Option<String>,
    pub description: String,
    /// `(type, data)` of each `<xref>`: `("rfc", "rfc4340")`, `("person", "Thomas_Dreibholz")`.
    pub references: Vec<(String, String)>,
    /// The whole `<record>` element.
    pub span: Span,
    /// The text of `<value>`.
    pub value_span: Span,
}

impl CodeRow {
    /// Whether the row assigns one code to something: a single value whose description does
    /// not say Reserved, Private Use or Unassigned (the filler rows between assignments).
    pub fn is_assignment(&self) -> bool {
        let d = self.description.trim().to_ascii_lowercase();
        self.lo == self.hi
            && !(d.starts_with("reserved") || d.starts_with("private use") || d == "unassigned")
    }

    /// Whether the row says Private Use.
    pub fn is_private_use(&self) -> bool {
        self.description
            .trim()
            .to_ascii_lowercase()
            .starts_with("private use")
    }

    /// `1145656131` or `7107697-1073741823`.
    pub fn value_text(&self) -> String {
        if self.lo == self.hi {
            self.lo.to_string()
        } else {
            format!("{}-{}", self.lo, self.hi)
        }
    }

    /// The RFC numbers the row cites (`rfc5762` -> 5762).
    pub fn rfcs(&self) -> impl Iterator<Item = u32> + '_ {
        self.references
            .iter()
            .filter(|(kind, _)| kind == "rfc")
            .filter_map(|(_, data)| {
                let data = data.trim();
                let head = data.get(..3)?;
                head.eq_ignore_ascii_case("rfc")
                    .then(|| data.get(3..)?.parse().ok())
                    .flatten()
            })
    }

    /// `Discard [RFC4340]`: the description and references, for messages.
    pub fn summary(&self) -> String {
        let refs: Vec<String> = self
            .references
            .iter()
            .map(|(kind, data)| match kind.as_str() {
                "rfc" => data.to_ascii_uppercase(),
                _ => data.clone(),
            })
            .collect();
        if refs.is_empty() {
            format!("`{}`", self.description)
        } else {
            format!("`{}` [{}]", self.description, refs.join(", "))
        }
    }
}

/// The Service Codes registry as read from one file.
#[derive(Debug)]
pub struct ServiceCodes {
    /// How reports name the file.
    pub path: String,
    text: Arc<str>,
    /// `<updated>` of the registry.
    pub updated: Option<String>,
    pub rows: Vec<CodeRow>,
    /// The registry's notes (outside the rows), as text.
    pub notes: Vec<String>,
}

impl ServiceCodes {
    /// Reads a Service Codes registry file.
    pub fn load(path: &Path) -> Result<ServiceCodes, LoadError> {
        use std::io::Read;
        let display = path.display().to_string();
        let io_err = |e: std::io::Error| {
            LoadError::new(
                &display,
                LoadErrorKind::Io,
                format!("cannot read the service codes registry: {e}"),
            )
        };
        let file = std::fs::File::open(path).map_err(io_err)?;
        let meta = file.metadata().map_err(io_err)?;
        if meta.is_dir() {
            return Err(LoadError::new(
                &display,
                LoadErrorKind::Io,
                "cannot read the service codes registry: it is a directory".to_string(),
            ));
        }
        if meta.len() > MAX_REGISTRY_BYTES {
            return Err(too_large(&display, meta.len()));
        }
        let mut bytes = Vec::new();
        // The file may grow after the metadata check: never read more than the limit + 1.
        file.take(MAX_REGISTRY_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io_err)?;
        ServiceCodes::from_bytes(&display, bytes)
    }

    /// Parses a Service Codes registry held in memory; `path` is how errors and reports
    /// name it.
    pub fn from_bytes(path: &str, bytes: Vec<u8>) -> Result<ServiceCodes, LoadError> {
        if bytes.len() as u64 > MAX_REGISTRY_BYTES {
            return Err(too_large(path, bytes.len() as u64));
        }
        let text = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let valid =
                    String::from_utf8_lossy(e.as_bytes().get(..at).unwrap_or(&[])).into_owned();
                let mut err = malformed(
                    path,
                    &valid,
                    at,
                    format!("the service codes registry is not valid UTF-8 (invalid byte at offset {at})"),
                );
                err.kind = LoadErrorKind::Utf8;
                return Err(err);
            }
        };
        let parsed = xml::parse(path, &text)?;
        Ok(ServiceCodes {
            path: path.to_string(),
            text: text.into(),
            updated: parsed.updated,
            rows: parsed.rows,
            notes: parsed.notes,
        })
    }

    /// The file's text.
    pub fn source(&self) -> &str {
        &self.text
    }

    /// The file's text, shared.
    pub fn shared_source(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// Line and column of an offset into [`ServiceCodes::source`].
    pub fn line_col(&self, offset: usize) -> LineCol {
        crate::source::line_col_scan(&self.text, offset)
    }

    /// The rows that assign exactly `code`.
    pub fn assignment(&self, code: u32) -> Option<&CodeRow> {
        self.rows.iter().find(|r| r.lo == code && r.is_assignment())
    }

    /// Every assigned code.
    pub fn assignments(&self) -> impl Iterator<Item = &CodeRow> {
        self.rows.iter().filter(|r| r.is_assignment())
    }

    /// A related label on a row, as an excerpt of this file from the start of the row's
    /// first line: `(file text, offset, line, column, span inside the excerpt)`.
    pub fn excerpt(&self, row: &CodeRow, span: Span) -> Excerpt {
        let start = self.text[..row.span.start.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let end = row.span.end.min(self.text.len());
        let lc = self.line_col(start);
        Excerpt {
            name: self.path.clone(),
            text: self.text.get(start..end).unwrap_or("").to_string(),
            base_offset: start,
            line: lc.line,
            column: lc.column,
            span: Span::new(
                span.start.saturating_sub(start),
                span.end.saturating_sub(start),
            ),
        }
    }
}

/// A piece of a file outside the run's files, for a related label
/// ([`crate::diagnostic::Related::Excerpt`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    pub name: String,
    pub text: String,
    /// Where `text` starts in the real file: byte offset, 1-based line and column.
    pub base_offset: usize,
    pub line: usize,
    pub column: usize,
    /// The labelled span, relative to `text`.
    pub span: Span,
}

fn too_large(path: &str, len: u64) -> LoadError {
    LoadError::new(
        path,
        LoadErrorKind::TooLarge,
        format!(
            "the service codes registry is {len} bytes, more than the limit of {MAX_REGISTRY_BYTES} \
             bytes (64 MiB); refusing to read it"
        ),
    )
}

/// A positioned `Malformed` error.
pub(crate) fn malformed(path: &str, text: &str, offset: usize, message: String) -> LoadError {
    let offset = offset.min(text.len());
    let lc = crate::source::line_col_scan(text, offset);
    let mut e = LoadError::new(path, LoadErrorKind::Malformed, message);
    e.offset = Some(offset);
    e.line = Some(lc.line);
    e.column = Some(lc.column);
    e
}

#[cfg(test)]
mod tests;
