//! Byte offsets <-> LSP positions. LSP counts columns in UTF-16 code units (the protocol's
//! default `positionEncoding`), portreg in bytes: `é` is 2 bytes and 1 unit, `😀` 4 and 2.

use lsp_types::{Position, Range};

use crate::source::Span;

/// Line starts of one text, for converting in both directions.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// The position of a byte offset (clamped to the text, snapped back to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        let units: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(to_u32(line), to_u32(units))
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a position; a column past the end of its line (or inside a
    /// surrogate pair) is the nearest character boundary at or before it, a line past the
    /// end is the end of the text.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |next| next - 1);
        let mut units = 0usize;
        for (i, c) in self.text[start..end].char_indices() {
            if units + c.len_utf16() > position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_both_ways() {
        let text = "a = \"é😀x\"\nb\n";
        let ix = LineIndex::new(text);
        // `x` is after a (1 unit, 2 bytes) and 😀 (2 units, 4 bytes).
        let x = text.find('x').unwrap_or(0);
        assert_eq!(ix.position(x), Position::new(0, 8));
        assert_eq!(ix.offset(Position::new(0, 8)), x);
        // Inside the surrogate pair: the start of 😀.
        assert_eq!(ix.offset(Position::new(0, 7)), x - 4);
        assert_eq!(ix.position(text.len()), Position::new(2, 0));
        assert_eq!(
            ix.offset(Position::new(0, 99)),
            text.find('\n').unwrap_or(0)
        );
        assert_eq!(ix.offset(Position::new(9, 0)), text.len());
    }
}
