//! Renderers: each reads a [`Report`](crate::engine::Report) and writes one format; `draft`
//! renders a request draft as registry records or as the text of IANA's form.

pub mod draft;
pub mod github;
pub mod human;
pub mod json;
pub mod lifecycle;
pub mod safe;
pub mod sarif;
pub mod short;
pub mod statistics;

use crate::diagnostic::{Files, Label};
use crate::source::LineCol;

/// A label's file name and its 1-based start and end positions in the real file (an excerpt's
/// offsets are translated back into its file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Location<'a> {
    pub file: &'a str,
    pub offset: usize,
    pub length: usize,
    pub start: LineCol,
    pub end: LineCol,
}

pub fn locate<'a>(files: &'a Files, label: &Label) -> Option<Location<'a>> {
    let entry = files.get(label.file)?;
    Some(Location {
        file: entry.name(),
        offset: entry.base_offset + label.span.start,
        length: label.span.len(),
        start: entry.line_col(label.span.start),
        end: entry.line_col(label.span.end),
    })
}
