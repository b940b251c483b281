//! A small XML tokenizer for the structural check: start and end tags with their attributes,
//! text and CDATA, by byte offset. Comments, processing instructions and the document type
//! declaration are skipped (the schema does not see them). It runs on documents the loader
//! has already read as well formed, so it does not check well-formedness; on anything it
//! cannot read it stops (returns None), which ends the check without a panic.

use memchr::{memchr, memmem};

use crate::registry::entity::{char_ref, predefined};

/// The schema check reads what the loader read: a character reference to NUL included.
fn reference(name: &str) -> Option<char> {
    predefined(name).or_else(|| char_ref(name))
}

/// An attribute: name and value (inside the quotes) as byte ranges.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attr {
    pub name: (usize, usize),
    pub value: (usize, usize),
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Tok {
    /// `<name …>` or `<name …/>` at `at`; the content starts at `end`. Attributes are in
    /// [`Tokens::attrs`].
    Start {
        at: usize,
        name: (usize, usize),
        end: usize,
        empty: bool,
    },
    /// `</name>` at `at`.
    End { at: usize },
    /// Character data `start..end` as written (entity references not decoded).
    Text { start: usize, end: usize },
    /// The content of a CDATA section.
    CData { start: usize, end: usize },
}

pub(crate) struct Tokens<'a> {
    b: &'a [u8],
    i: usize,
    pub attrs: Vec<Attr>,
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn name_end(b: &[u8], mut p: usize) -> usize {
    while p < b.len() && !is_ws(b[p]) && !matches!(b[p], b'>' | b'/' | b'=') {
        p += 1;
    }
    p
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(text: &'a str, from: usize) -> Tokens<'a> {
        Tokens::within(text, from, text.len())
    }

    /// The tokens of `text[from..to]` (offsets stay those of the whole text).
    pub(crate) fn within(text: &'a str, from: usize, to: usize) -> Tokens<'a> {
        let b = text.as_bytes();
        Tokens {
            b: b.get(..to).unwrap_or(b),
            i: from,
            attrs: Vec::with_capacity(8),
        }
    }

    /// Where the next token starts.
    pub(crate) fn at(&self) -> usize {
        self.i
    }

    /// Continues at `to` (a token boundary).
    pub(crate) fn skip_to(&mut self, to: usize) {
        self.i = to;
    }

    /// The next token; None at the end of the text or on something unreadable.
    pub(crate) fn next(&mut self) -> Option<Tok> {
        loop {
            let b = self.b;
            let at = self.i;
            if at >= b.len() {
                return None;
            }
            if b[at] != b'<' {
                let end = memchr(b'<', &b[at..]).map_or(b.len(), |k| at + k);
                self.i = end;
                return Some(Tok::Text { start: at, end });
            }
            let rest = &b[at..];
            if rest.starts_with(b"<!--") {
                self.i = at + 4 + memmem::find(&b[at + 4..], b"-->")? + 3;
            } else if rest.starts_with(b"<![CDATA[") {
                let start = at + 9;
                let end = start + memmem::find(&b[start..], b"]]>")?;
                self.i = end + 3;
                return Some(Tok::CData { start, end });
            } else if rest.starts_with(b"<?") {
                self.i = at + 2 + memmem::find(&b[at + 2..], b"?>")? + 2;
            } else if rest.starts_with(b"<!") {
                self.doctype()?;
            } else if rest.starts_with(b"</") {
                self.i = at + memchr(b'>', rest)? + 1;
                return Some(Tok::End { at });
            } else {
                return self.start_tag(at);
            }
        }
    }

    /// `<!DOCTYPE …>`, with an internal subset in brackets (quoted strings may hold `>`).
    fn doctype(&mut self) -> Option<()> {
        let b = self.b;
        let mut p = self.i + 2;
        let mut depth = 0usize;
        while p < b.len() {
            match b[p] {
                q @ (b'"' | b'\'') => p += memchr(q, &b[p + 1..])? + 1,
                b'[' => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                b'>' if depth == 0 => {
                    self.i = p + 1;
                    return Some(());
                }
                _ => {}
            }
            p += 1;
        }
        None
    }

    fn start_tag(&mut self, at: usize) -> Option<Tok> {
        let b = self.b;
        let ns = at + 1;
        let ne = name_end(b, ns);
        if ne == ns {
            return None;
        }
        self.attrs.clear();
        let mut p = ne;
        loop {
            while p < b.len() && is_ws(b[p]) {
                p += 1;
            }
            match *b.get(p)? {
                b'>' => {
                    self.i = p + 1;
                    return Some(Tok::Start {
                        at,
                        name: (ns, ne),
                        end: p + 1,
                        empty: false,
                    });
                }
                b'/' => {
                    if b.get(p + 1) != Some(&b'>') {
                        return None;
                    }
                    self.i = p + 2;
                    return Some(Tok::Start {
                        at,
                        name: (ns, ne),
                        end: p + 2,
                        empty: true,
                    });
                }
                _ => {}
            }
            let an = p;
            let ae = name_end(b, p);
            if ae == an {
                return None;
            }
            p = ae;
            while p < b.len() && is_ws(b[p]) {
                p += 1;
            }
            if b.get(p) != Some(&b'=') {
                return None;
            }
            p += 1;
            while p < b.len() && is_ws(b[p]) {
                p += 1;
            }
            let q = *b.get(p)?;
            if q != b'"' && q != b'\'' {
                return None;
            }
            let vs = p + 1;
            let ve = vs + memchr(q, b.get(vs..)?)?;
            self.attrs.push(Attr {
                name: (an, ae),
                value: (vs, ve),
            });
            p = ve + 1;
        }
    }
}

/// The text `raw` with entity and character references decoded; `attr` also normalises
/// literal whitespace to spaces, as XML does for attribute values. Borrows when nothing
/// changes.
pub(crate) fn decode(raw: &str, attr: bool) -> std::borrow::Cow<'_, str> {
    // A byte loop: the values are short, where a search's set-up costs more than the search.
    let changes = raw
        .bytes()
        .any(|c| c == b'&' || c == b'\r' || (attr && (c == b'\t' || c == b'\n')));
    if !changes {
        return std::borrow::Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    // Plain runs are copied whole; only `&`, CR and (in attributes) tab and LF are looked at.
    let special = |c: u8| c == b'&' || c == b'\r' || (attr && (c == b'\t' || c == b'\n'));
    while let Some(k) = rest.bytes().position(special) {
        out.push_str(&rest[..k]);
        let c = rest.as_bytes()[k];
        rest = &rest[k + 1..];
        match c {
            b'&' => {
                let decoded = rest
                    .find(';')
                    .and_then(|end| Some((reference(&rest[..end])?, end)));
                match decoded {
                    Some((d, end)) => {
                        out.push(d);
                        rest = &rest[end + 1..];
                    }
                    None => out.push('&'),
                }
            }
            // CR LF and lone CR are line ends, read as LF.
            b'\r' => {
                if rest.starts_with('\n') {
                    rest = &rest[1..];
                }
                out.push(if attr { ' ' } else { '\n' });
            }
            _ => out.push(' '),
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}
