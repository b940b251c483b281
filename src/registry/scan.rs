//! The fast first pass over the registry XML: it checks that the document is well formed and
//! notes where each `<record>` and `<person>` is, plus the fields the index needs (name,
//! protocol, number, service code, person id). Records and people are parsed in full only
//! when something reads them (see `xml::parse_record`), so a `check` that looks at a handful
//! of records never builds the other 14,000.
//!
//! quick-xml's event loop alone takes longer than the whole budget for a `check`, hence this
//! byte scanner. It accepts a strict subset of XML and gives up (returns None) on anything
//! outside it: CDATA, a DTD, numeric character references, markup or entities inside the
//! indexed fields, unusual names or attribute syntax, any error. The loader then runs the
//! full quick-xml parse, which either reports the error with its position or reads the
//! unusual file eagerly. So the scanner never decides what is an error, and every document it
//! accepts is one the full parse accepts with the same result (tests/it/registry_scan.rs checks
//! both on every fixture, the real registry and mutated documents).

use memchr::{memchr, memchr2, memmem};

use crate::model::{PortRange, Transport};
use crate::source::Span;

use super::record::OptSpan;

/// What the scan found.
#[derive(Debug, Default)]
pub(crate) struct Skeleton {
    /// The last top-level `<updated>` (None when it is empty).
    pub updated: Option<String>,
    pub records: Vec<ScannedRecord>,
    pub people: Vec<ScannedPerson>,
}

/// Where a record is and its indexed fields, with the same first-one-wins rules as the
/// full parse.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ScannedRecord {
    pub span: Span,
    /// The trimmed, non-empty text of the first non-empty `<name>`.
    pub name: OptSpan,
    pub protocol: Option<Transport>,
    pub protocol_span: OptSpan,
    pub number: Option<PortRange>,
    pub number_span: OptSpan,
    /// The trimmed text of the first `<sc>`.
    pub sc: OptSpan,
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ScannedPerson {
    pub span: Span,
    /// The value of the `id` attribute (free of entity references).
    pub id: OptSpan,
}

/// Scans the document whose body (after any byte order mark) starts at `body_start`.
pub(crate) fn scan(text: &str, body_start: usize) -> Option<Skeleton> {
    check_refs(text.as_bytes(), body_start, text.len())?;
    let mut s = Scanner::new(text, body_start);
    s.document()?;
    Some(s.out)
}

/// Every `&` in `b[from..to]` must start a predefined entity reference (also in comments:
/// stricter than XML, which is fine). Checked apart, so the markup loop only looks for `<`.
fn check_refs(b: &[u8], from: usize, to: usize) -> Option<()> {
    let mut at = from;
    while let Some(k) = b.get(at..to).and_then(|rest| memchr(b'&', rest)) {
        at += k + predefined_ref(b.get(at + k..)?)?;
    }
    Some(())
}

/// The kind of the open child of `<registry>`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Top {
    Record,
    People,
    Other,
}

/// A simple-text element being read: which one and where its content starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Protocol,
    Number,
    Sc,
    Updated,
}

struct Scanner<'a> {
    t: &'a str,
    b: &'a [u8],
    i: usize,
    /// Open elements' names; `stack[0]` is `registry`.
    stack: Vec<&'a [u8]>,
    /// The attributes of the last start tag: (name start, name end, value start, value end).
    attrs: Vec<(usize, usize, usize, usize)>,
    top: Top,
    record: ScannedRecord,
    person: ScannedPerson,
    /// The field whose text is being read and the offset where its content starts.
    field: Option<(Field, usize)>,
    out: Skeleton,
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':'
}

/// The bytes the scanner accepts in element and attribute names (a subset of XML's).
static NAME_CHARS: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.');
        c += 1;
    }
    t
};

/// The end of the name starting at `p` (`b.len()` if it runs to the end).
fn name_end(b: &[u8], p: usize) -> usize {
    let rest = b.get(p..).unwrap_or(&[]);
    p + rest
        .iter()
        .position(|&c| !NAME_CHARS[c as usize])
        .unwrap_or(rest.len())
}

/// The part after the first `:` (as quick-xml's `local_name`).
fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&c| c == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// Length of the predefined entity reference at the start of `s` (`&amp;` …), if it is one.
fn predefined_ref(s: &[u8]) -> Option<usize> {
    const REFS: [&[u8]; 5] = [b"&amp;", b"&lt;", b"&gt;", b"&quot;", b"&apos;"];
    REFS.iter().find(|r| s.starts_with(r)).map(|r| r.len())
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str, from: usize) -> Scanner<'a> {
        Scanner {
            t: text,
            b: text.as_bytes(),
            i: from,
            stack: Vec::with_capacity(16),
            attrs: Vec::with_capacity(8),
            top: Top::Other,
            record: ScannedRecord::default(),
            person: ScannedPerson::default(),
            field: None,
            out: Skeleton::default(),
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.b.get(at).copied()
    }

    fn skip_ws(&self, mut p: usize) -> Option<usize> {
        while is_ws(self.byte(p)?) {
            p += 1;
        }
        Some(p)
    }

    /// Skips whitespace, comments and processing instructions outside the root element; stops
    /// at the next other `<`, or returns None at the end of the text.
    fn outside_root(&mut self) -> Option<()> {
        loop {
            self.i = self.skip_ws(self.i)?;
            if self.byte(self.i)? != b'<' {
                return None;
            }
            match self.byte(self.i + 1)? {
                b'?' => self.pi()?,
                b'!' => self.comment()?,
                _ => return Some(()),
            }
        }
    }

    fn document(&mut self) -> Option<()> {
        self.outside_root()?;
        let (ns, ne, empty) = self.start_tag()?;
        if empty || &self.b[ns..ne] != b"registry" {
            return None;
        }
        self.stack.push(b"registry");
        while !self.stack.is_empty() {
            self.step()?;
        }
        // After the root: only whitespace, comments and processing instructions.
        match self.outside_root() {
            None if self.skip_ws(self.i).is_none() => Some(()),
            _ => None,
        }
    }

    /// Reads up to and including the next markup inside the root element.
    fn step(&mut self) -> Option<()> {
        let j = self.i + memchr(b'<', self.b.get(self.i..)?)?;
        self.i = j;
        match self.byte(j + 1)? {
            b'/' => self.end_tag(),
            _ if self.field.is_some() => None,
            b'!' => self.comment(),
            b'?' => self.pi(),
            _ => {
                let (ns, ne, empty) = self.start_tag()?;
                self.element(j, ns, ne, empty)
            }
        }
    }

    /// `<!-- … -->` at `self.i`.
    fn comment(&mut self) -> Option<()> {
        let body = self.i + 4;
        let head = self.b.get(self.i..body)?;
        // `<!-->` and `<!--->` are not comments; leave them to the full parse.
        if head != b"<!--"
            || self.b.get(body..)?.starts_with(b">")
            || self.b[body..].starts_with(b"->")
        {
            return None;
        }
        self.i = body + memmem::find(&self.b[body..], b"-->")? + 3;
        Some(())
    }

    /// `<?target … ?>` at `self.i`.
    fn pi(&mut self) -> Option<()> {
        let body = self.i + 2;
        if !is_name_start(self.byte(body)?) {
            return None;
        }
        self.i = body + memmem::find(self.b.get(body..)?, b"?>")? + 2;
        Some(())
    }

    /// A start tag at `self.i`: its name span and whether it is empty (`<x/>`). The
    /// attributes land in `self.attrs`.
    fn start_tag(&mut self) -> Option<(usize, usize, bool)> {
        let ns = self.i + 1;
        if !is_name_start(self.byte(ns)?) {
            return None;
        }
        let ne = name_end(self.b, ns + 1);
        let mut p = ne;
        self.attrs.clear();
        loop {
            match self.byte(p)? {
                b'>' => {
                    self.i = p + 1;
                    return Some((ns, ne, false));
                }
                b'/' if self.byte(p + 1)? == b'>' => {
                    self.i = p + 2;
                    return Some((ns, ne, true));
                }
                c if is_ws(c) => {}
                _ => return None,
            }
            p = self.skip_ws(p)?;
            let c = self.byte(p)?;
            if c == b'>' || c == b'/' {
                continue;
            }
            if !is_name_start(c) {
                return None;
            }
            let an = p;
            let ae = name_end(self.b, p + 1);
            p = ae;
            p = self.skip_ws(p)?;
            if self.byte(p)? != b'=' {
                return None;
            }
            p = self.skip_ws(p + 1)?;
            let quote = self.byte(p)?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let vs = p + 1;
            // `<` is not allowed in a value (and `&` was checked for the whole text).
            let ve = vs + memchr2(quote, b'<', self.b.get(vs..)?)?;
            if self.b[ve] != quote {
                return None;
            }
            let key = &self.b[an..ae];
            if self.attrs.iter().any(|&(s, e, _, _)| &self.b[s..e] == key) {
                return None;
            }
            self.attrs.push((an, ae, vs, ve));
            p = ve + 1;
        }
    }

    /// Notes what a start tag at `at` (already read) means for the skeleton.
    fn element(&mut self, at: usize, ns: usize, ne: usize, empty: bool) -> Option<()> {
        // Only the children of the root, of a record and of `<people>` matter.
        let depth = self.stack.len();
        if depth > 2 || (depth == 2 && self.top == Top::Other) {
            return self.open(ns, ne, empty);
        }
        let name = local(&self.b[ns..ne]);
        match (depth, self.top) {
            (1, _) => match name {
                b"record" => {
                    self.record = ScannedRecord {
                        span: Span::new(at, self.i),
                        ..ScannedRecord::default()
                    };
                    if empty {
                        self.out.records.push(self.record);
                    } else {
                        self.top = Top::Record;
                    }
                }
                b"people" if !empty => self.top = Top::People,
                b"updated" if !empty => self.field = Some((Field::Updated, self.i)),
                _ => {}
            },
            (2, Top::Record) => {
                let field = match name {
                    b"name" => Field::Name,
                    b"protocol" => Field::Protocol,
                    b"number" => Field::Number,
                    b"sc" => Field::Sc,
                    _ => return self.open(ns, ne, empty),
                };
                let here = OptSpan::some(Span::new(at, self.i));
                let r = &mut self.record;
                match field {
                    _ if !empty => self.field = Some((field, self.i)),
                    Field::Protocol if r.protocol_span.is_none() => r.protocol_span = here,
                    Field::Number if r.number_span.is_none() => r.number_span = here,
                    _ => {}
                }
            }
            (2, Top::People) if name == b"person" => {
                let mut id = OptSpan::NONE;
                for &(an, ae, vs, ve) in &self.attrs {
                    let key = &self.b[an..ae];
                    if local(key) == b"id" {
                        if memchr(b'&', &self.b[vs..ve]).is_some() {
                            return None;
                        }
                        id = OptSpan::some(Span::new(vs, ve));
                        break;
                    }
                }
                self.person = ScannedPerson {
                    span: Span::new(at, self.i),
                    id,
                };
                if empty {
                    self.out.people.push(self.person);
                }
            }
            _ => {}
        }
        self.open(ns, ne, empty)
    }

    fn open(&mut self, ns: usize, ne: usize, empty: bool) -> Option<()> {
        if !empty {
            self.stack.push(&self.b[ns..ne]);
        }
        Some(())
    }

    /// An end tag at `self.i`: it must close the innermost open element.
    fn end_tag(&mut self) -> Option<()> {
        let at = self.i;
        let ns = at + 2;
        let ne = name_end(self.b, ns);
        let p = self.skip_ws(ne)?;
        if self.byte(p)? != b'>' {
            return None;
        }
        let open = self.stack.pop()?;
        if ns == ne || open != &self.b[ns..ne] {
            return None;
        }
        self.i = p + 1;
        if let Some((field, from)) = self.field.take() {
            self.field_text(field, from, at)?;
        }
        match (self.stack.len(), self.top) {
            (1, Top::Record) => {
                self.record.span.end = self.i;
                self.out.records.push(self.record);
                self.top = Top::Other;
            }
            (1, _) => self.top = Top::Other,
            (2, Top::People) if local(&self.b[ns..ne]) == b"person" => {
                self.person.span.end = self.i;
                self.out.people.push(self.person);
            }
            _ => {}
        }
        Some(())
    }

    /// The text `from..to` of a field element (no markup or entities in it, checked by
    /// `step`), with the full parse's rules: trimmed; the first non-empty name, the first
    /// protocol, number and sc count; the last registry `<updated>` counts.
    fn field_text(&mut self, field: Field, from: usize, to: usize) -> Option<()> {
        let raw = self.t.get(from..to)?;
        // Entities would be decoded and line ends inside a value normalised by the full
        // parse: leave those to it.
        if raw.bytes().any(|c| c == b'&' || c == b'\r') {
            return None;
        }
        // Values are rarely padded: skip the (Unicode) trim when they are not.
        let padded = |c: Option<char>| c.is_some_and(|c| !c.is_ascii_alphanumeric());
        let (value, lead) = if padded(raw.chars().next()) || padded(raw.chars().next_back()) {
            (raw.trim(), raw.len() - raw.trim_start().len())
        } else {
            (raw, 0)
        };
        let span = OptSpan::some(Span::new(from + lead, from + lead + value.len()));
        let r = &mut self.record;
        match field {
            Field::Name if r.name.is_none() && !value.is_empty() => r.name = span,
            Field::Protocol if r.protocol_span.is_none() => {
                r.protocol = Transport::parse(value);
                r.protocol_span = span;
            }
            Field::Number if r.number_span.is_none() => {
                r.number = PortRange::parse(value);
                r.number_span = span;
            }
            Field::Sc if r.sc.is_none() => r.sc = span,
            Field::Updated => {
                self.out.updated = (!value.is_empty()).then(|| value.to_string());
            }
            _ => {}
        }
        Some(())
    }
}
