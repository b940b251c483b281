//! Source files and byte spans. Every diagnostic points into a `SourceFile` by byte range;
//! lines and columns are computed on demand from a line-start index.

use std::sync::Arc;

/// A half-open byte range `start..end` in one source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The sub-span `offset..offset+len` relative to this span's start.
    pub(crate) fn sub(&self, offset: usize, len: usize) -> Span {
        let start = (self.start + offset).min(self.end);
        Span::new(start, (start + len).min(self.end))
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// A value together with the span it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A 1-based line and column; columns count characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// One named text (a draft, a registry file, standard input).
#[derive(Debug)]
pub struct SourceFile {
    name: String,
    text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0)
            .chain(memchr_newlines(&text).map(|i| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn text(&self) -> &str {
        &self.text
    }
    /// The line and column of a byte offset (clamped to the text, snapped to a char boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        line_col_in(&self.text, &self.line_starts, offset)
    }
    /// 0-based line index of `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        line_of(&self.line_starts, offset)
    }
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes())
}

fn line_of(line_starts: &[usize], offset: usize) -> usize {
    match line_starts.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    }
}

/// Line/column of `offset` in `text` whose line starts are `line_starts`.
pub fn line_col_in(text: &str, line_starts: &[usize], offset: usize) -> LineCol {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = line_of(line_starts, offset);
    let start = line_starts.get(line).copied().unwrap_or(0).min(offset);
    LineCol {
        line: line + 1,
        column: text[start..offset].chars().count() + 1,
    }
}

/// Line/column of `offset` computed by scanning (for one-off lookups without an index).
pub fn line_col_scan(text: &str, offset: usize) -> LineCol {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
    LineCol {
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("x", "ab\nçd\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'd' is after the two-byte 'ç'
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(f.line_col(4), LineCol { line: 2, column: 1 }); // inside 'ç' snaps back
        assert_eq!(f.line_col(99), LineCol { line: 3, column: 1 });
        assert_eq!(line_col_scan("ab\nçd\n", 5), LineCol { line: 2, column: 2 });
    }
}
