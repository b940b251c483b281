//! A position in XML bytes, for the two readers that skip quick-xml on the usual forms: the
//! direct record reader (`xml.rs`) and the schema check's recogniser (`schema/simple.rs`).
//! Each method reads one piece or gives up (None); a reader that gives up hands the element
//! to its general path, so nothing here decides what is valid.

/// An attribute's name and its value's byte range (inside the quotes).
pub(crate) type RawAttr<'b> = (&'b [u8], (usize, usize));

/// The attributes of one tag, held inline: the tags these readers take have two or three,
/// and a list allocated for each tag cost as much as reading it. A tag with more is left
/// to the general path.
#[derive(Clone, Copy)]
pub(crate) struct Attrs<'b> {
    items: [RawAttr<'b>; Attrs::MAX],
    len: usize,
}

impl Default for Attrs<'_> {
    fn default() -> Self {
        Attrs {
            items: [(&[], (0, 0)); Attrs::MAX],
            len: 0,
        }
    }
}

impl<'b> Attrs<'b> {
    /// An xref the schema accepts has at most four (`type`, `data`, `lastupdated` and one
    /// of `section`, `page`…), a record two.
    pub(crate) const MAX: usize = 4;

    /// None when full.
    fn push(&mut self, a: RawAttr<'b>) -> Option<()> {
        *self.items.get_mut(self.len)? = a;
        self.len += 1;
        Some(())
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &RawAttr<'b>> {
        self.items.iter().take(self.len)
    }
}

impl<'b> IntoIterator for Attrs<'b> {
    type Item = RawAttr<'b>;
    type IntoIter = std::iter::Take<std::array::IntoIter<RawAttr<'b>, { Attrs::MAX }>>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter().take(self.len)
    }
}

pub(crate) struct Cursor<'b> {
    pub(crate) b: &'b [u8],
    pub(crate) i: usize,
}

impl<'b> Cursor<'b> {
    pub(crate) fn new(b: &'b [u8], i: usize) -> Cursor<'b> {
        Cursor { b, i }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    pub(crate) fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    pub(crate) fn expect(&mut self, s: &[u8]) -> Option<()> {
        self.b
            .get(self.i..)?
            .starts_with(s)
            .then(|| self.i += s.len())
    }

    /// Skips XML whitespace.
    pub(crate) fn whitespace(&mut self) {
        while self
            .peek()
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        {
            self.i += 1;
        }
    }

    /// A name without a prefix (letters, digits, `_`, `-`, `.`).
    pub(crate) fn name(&mut self) -> Option<&'b [u8]> {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
        {
            self.i += 1;
        }
        let b: &'b [u8] = self.b;
        (self.i > start).then(|| &b[start..self.i])
    }

    /// ` name="value"`… up to (not including) `>` or `/`: no spaces around `=`, no name
    /// twice, at most [`Attrs::MAX`] attributes.
    pub(crate) fn attributes(&mut self) -> Option<Attrs<'b>> {
        let mut out = Attrs::default();
        loop {
            let before = self.i;
            self.whitespace();
            match self.peek()? {
                b'>' | b'/' => return Some(out),
                _ if self.i == before => return None,
                _ => {}
            }
            let name = self.name()?;
            if self.next()? != b'=' {
                return None;
            }
            let q = self.next()?;
            if q != b'"' && q != b'\'' {
                return None;
            }
            let vs = self.i;
            let ve = vs + memchr::memchr(q, self.b.get(vs..)?)?;
            self.i = ve + 1;
            if out.iter().any(|(n, _)| *n == name) {
                return None;
            }
            out.push((name, (vs, ve)))?;
        }
    }

    /// `</name>`.
    pub(crate) fn end_tag(&mut self, name: &[u8]) -> Option<()> {
        self.expect(b"</")?;
        self.expect(name)?;
        self.expect(b">")
    }
}
