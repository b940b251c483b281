//! Errors from reading a registry file.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LoadErrorKind {
    /// The file could not be opened or read.
    Io,
    /// The bytes are not UTF-8.
    Utf8,
    /// Not a registry, or a registry that cannot be parsed (position of the fault given).
    Malformed,
    /// Larger than [`super::MAX_REGISTRY_BYTES`]; refused before reading.
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
