//! Errors from reading a registry file, and what the parsers need to build them.

use std::fmt;

use crate::source::LineCol;

use super::text::line_starts;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LoadErrorKind {
    /// The file could not be opened or read.
    Io,
    /// The bytes are not UTF-8.
    Utf8,
    /// Not a registry, or a registry that cannot be parsed (position of the fault given).
    Malformed,
    /// Larger than [`crate::registry::MAX_REGISTRY_BYTES`]; refused before reading.
    TooLarge,
}

/// A registry that could not be loaded. Displays as `path:line:col: message` (or
/// `path: message` when there is no position).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub path: String,
    pub message: String,
    /// Byte offset of the fault in the file.
    pub offset: Option<usize>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, in characters.
    pub column: Option<usize>,
    pub kind: LoadErrorKind,
}

impl LoadError {
    pub(crate) fn new(path: &str, kind: LoadErrorKind, message: String) -> LoadError {
        LoadError {
            path: path.to_string(),
            message,
            offset: None,
            line: None,
            column: None,
            kind,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{}:{}: {}", self.path, l, c, self.message),
            (Some(l), None) => write!(f, "{}:{}: {}", self.path, l, self.message),
            _ => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for LoadError {}

/// Said when a registry file turns out to be an HTML page.
pub(crate) const HTML_MESSAGE: &str =
    "this is an HTML page, not a registry (download the XML or CSV form of the registry)";

/// What the parsers need to build positioned errors.
pub(crate) struct ErrCtx<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

impl ErrCtx<'_> {
    /// Line and column of an offset (errors only: the line index is built for each call).
    pub fn line_col(&self, offset: usize) -> LineCol {
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
