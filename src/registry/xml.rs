//! The XML form of the registry, read with quick-xml's borrowing reader over the in-memory
//! text. Entities: only the five predefined ones and numeric character references are
//! decoded; a DTD declaring entities is refused and unknown references are errors, so nothing
//! is ever expanded or fetched.

use std::borrow::Cow;

use quick_xml::errors::SyntaxError;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;

use crate::model::{PortRange, Transport};
use crate::source::Span;

use super::cursor::Cursor;
use super::entity::{predefined, reference};
use super::error::{ErrCtx, LoadError, HTML_MESSAGE};
use super::events::Events;
use super::record::{OptSpan, Parsed, Person, Record, RefKind, Reference};
use super::scan::{ScannedPerson, ScannedRecord};

pub(crate) fn parse(text: &str, body_start: usize, ctx: &ErrCtx<'_>) -> Result<Parsed, LoadError> {
    let mut p = XmlParser::over(text, body_start, text.len(), ctx, false);
    let body = text.get(body_start..).unwrap_or("").as_bytes();
    // Exact-enough capacities (a comment could add to the counts; that only wastes a little).
    p.records = Vec::with_capacity(memchr::memmem::find_iter(body, "<record").count());
    p.people = Vec::with_capacity(memchr::memmem::find_iter(body, "<person").count());
    p.document()?;
    Ok(Parsed {
        updated: p.updated,
        records: p.records,
        people: p.people,
    })
}

/// Parses the record the scanner found at `s.span` (record number `index`).
pub(crate) fn parse_record(text: &str, index: usize, s: &ScannedRecord) -> Record {
    let ctx = ErrCtx { path: "", text };
    let read = |fast: bool| {
        let mut p = XmlParser::over(text, s.span.start, s.span.end, &ctx, fast);
        p.next().and_then(|(at, ev)| match ev {
            Event::Start(e) => p.record(&e, at, false, index),
            Event::Empty(e) => p.record(&e, at, true, index),
            _ => Err(p.err(at, String::new())),
        })
    };
    // The direct reader first, then the fast events; where they give up, quick-xml.
    let direct = {
        let mut p = XmlParser::over(text, s.span.start, s.span.end, &ctx, true);
        p.record_direct(s.span.start, s.span.end, index)
    };
    let parsed = match direct {
        Some(r) => Ok(r),
        None => read(true).or_else(|_| read(false)),
    };
    // The scanner only notes records of documents that the full parse reads without error,
    // so this parse cannot fail; if it ever did, the scanned fields still make a record.
    parsed.unwrap_or_else(|_| {
        let mut r = Record::empty(index, s.span);
        let field = |o: OptSpan| o.get().and_then(|sp| text.get(sp.start..sp.end));
        r.name = field(s.name).map(str::to_string);
        r.name_span = s.name;
        r.protocol = s.protocol;
        r.protocol_span = s.protocol_span;
        r.number = s.number;
        r.number_span = s.number_span;
        r.service_code = field(s.sc).map(str::to_string);
        r.sc_span = s.sc;
        r
    })
}

/// Parses the person the scanner found at `s.span`.
pub(crate) fn parse_person(text: &str, s: &ScannedPerson) -> Person {
    let ctx = ErrCtx { path: "", text };
    let read = |fast: bool| {
        let mut p = XmlParser::over(text, s.span.start, s.span.end, &ctx, fast);
        p.next().and_then(|(at, ev)| match ev {
            Event::Start(e) => p.person_element(&e, at, false),
            Event::Empty(e) => p.person_element(&e, at, true),
            _ => Err(p.err(at, String::new())),
        })
    };
    // As for records: cannot fail on a scanned document; the id still makes a person.
    read(true).or_else(|_| read(false)).unwrap_or_else(|_| {
        let id = s.id.get().and_then(|sp| text.get(sp.start..sp.end));
        Person::empty(id.unwrap_or("").to_string(), s.span)
    })
}

/// An `<xref>`'s attributes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum XrefType {
    Person,
    Rfc,
    Draft,
    Uri,
    Text,
    Note,
    /// An unknown `type` value.
    Other,
    /// No `type` attribute.
    Missing,
}

impl XrefType {
    fn parse(s: &str) -> XrefType {
        match s {
            "person" => XrefType::Person,
            "rfc" => XrefType::Rfc,
            "draft" => XrefType::Draft,
            "uri" => XrefType::Uri,
            "text" => XrefType::Text,
            "note" => XrefType::Note,
            _ => XrefType::Other,
        }
    }
}

struct XrefAttrs {
    kind: XrefType,
    data: Option<(String, Span)>,
    section: Option<String>,
}

/// Where events come from: quick-xml, or for an element of a scanned document, the fast
/// events (None where they give up).
enum Source<'a> {
    Quick(Reader<&'a [u8]>),
    Fast(Events<'a>),
}

struct XmlParser<'a, 'c> {
    reader: Source<'a>,
    /// Whether the text has any CR (otherwise end-of-line normalisation is skipped).
    has_cr: bool,
    text: &'a str,
    base: usize,
    ctx: &'c ErrCtx<'c>,
    updated: Option<String>,
    records: Vec<Record>,
    people: Vec<Person>,
}

/// Result of reading an element's content as text.
struct Content<'a> {
    text: Cow<'a, str>,
    /// From the end of the start tag to the start of the end tag.
    span: Span,
}

impl<'a, 'c> XmlParser<'a, 'c> {
    /// A parser reading `text[from..to]`; spans are offsets into the whole `text`. `fast`:
    /// with the fast events (only for an element of a scanned document).
    fn over(
        text: &'a str,
        from: usize,
        to: usize,
        ctx: &'c ErrCtx<'c>,
        fast: bool,
    ) -> XmlParser<'a, 'c> {
        let part = text.get(from..to).unwrap_or("");
        let reader = if fast {
            Source::Fast(Events::new(text, from, to))
        } else {
            let mut reader = Reader::from_str(part);
            let c = reader.config_mut();
            c.trim_text(false);
            c.expand_empty_elements = false;
            c.check_end_names = true;
            c.check_comments = false;
            Source::Quick(reader)
        };
        XmlParser {
            reader,
            has_cr: memchr::memchr(b'\r', part.as_bytes()).is_some(),
            text,
            base: from,
            ctx,
            updated: None,
            records: Vec::new(),
            people: Vec::new(),
        }
    }

    fn pos(&self) -> usize {
        match &self.reader {
            Source::Quick(r) => self
                .base
                .saturating_add(usize::try_from(r.buffer_position()).unwrap_or(usize::MAX)),
            Source::Fast(e) => e.pos,
        }
    }

    fn err(&self, offset: usize, message: String) -> LoadError {
        self.ctx.malformed(offset, message)
    }

    /// The next event and the offset where it starts.
    fn next(&mut self) -> Result<(usize, Event<'a>), LoadError> {
        let start = self.pos();
        let reader = match &mut self.reader {
            Source::Quick(r) => r,
            Source::Fast(e) => {
                return match e.next() {
                    Some(ev) => Ok((start, ev)),
                    None => Err(self.err(start, "left to quick-xml".into())),
                }
            }
        };
        match reader.read_event() {
            Ok(ev) => Ok((start, ev)),
            Err(quick_xml::Error::Syntax(e)) if !matches!(e, SyntaxError::InvalidBangMarkup) => {
                // Every other syntax error is something left unclosed at the end of the input.
                Err(self.err(
                    self.text.len(),
                    format!("unexpected end of file: {e} (truncated file?)"),
                ))
            }
            Err(e) => {
                let at = self
                    .base
                    .saturating_add(usize::try_from(reader.error_position()).unwrap_or(0));
                Err(self.err(at, format!("malformed XML: {e}")))
            }
        }
    }

    fn eof_error(&self, what: &str, opened_at: usize) -> LoadError {
        let lc = self.ctx.line_col(opened_at);
        self.err(
            self.text.len(),
            format!(
                "unexpected end of file: <{what}> opened at line {} is not closed (truncated file?)",
                lc.line
            ),
        )
    }

    /// The offset of a slice that borrows from the source text, if it does.
    fn offset_of(&self, s: &str) -> Option<usize> {
        let base = self.text.as_ptr() as usize;
        let p = s.as_ptr() as usize;
        let off = p.checked_sub(base)?;
        (off + s.len() <= self.text.len()).then_some(off)
    }

    fn document(&mut self) -> Result<(), LoadError> {
        let mut seen_root = false;
        loop {
            let (at, ev) = self.next()?;
            match ev {
                Event::Eof => {
                    if seen_root {
                        return Ok(());
                    }
                    return Err(self.err(
                        self.text.len(),
                        "no <registry> element: this is not a registry".to_string(),
                    ));
                }
                Event::DocType(d) => {
                    let content: &str = &d.into_inner();
                    if content.to_ascii_lowercase().contains("<!entity") {
                        return Err(self.err(
                            at,
                            "DTD entity declarations are not allowed in a registry".to_string(),
                        ));
                    }
                    if content
                        .trim_start()
                        .get(..4)
                        .is_some_and(|h| h.eq_ignore_ascii_case("html"))
                    {
                        return Err(self.err(at, HTML_MESSAGE.to_string()));
                    }
                }
                Event::Start(e) | Event::Empty(e) if seen_root => {
                    let name = e.local_name().as_ref().to_string();
                    return Err(self.err(
                        at,
                        format!("unexpected <{name}> after the end of </registry>"),
                    ));
                }
                Event::Start(e) => {
                    self.check_root(&e, at)?;
                    seen_root = true;
                    self.registry(at)?;
                }
                Event::Empty(e) => {
                    self.check_root(&e, at)?;
                    seen_root = true;
                }
                Event::GeneralRef(r) => {
                    self.decode_ref(&r, at)?;
                }
                _ => {}
            }
        }
    }

    fn check_root(&self, e: &BytesStart<'_>, at: usize) -> Result<(), LoadError> {
        let name = e.local_name();
        let name = name.as_ref();
        if name == "registry" {
            return Ok(());
        }
        if name.eq_ignore_ascii_case("html") {
            return Err(self.err(at, HTML_MESSAGE.to_string()));
        }
        Err(self.err(
            at,
            format!(
                "the root element is <{}>, not <registry>: this is not the IANA registry XML",
                name
            ),
        ))
    }

    fn registry(&mut self, opened_at: usize) -> Result<(), LoadError> {
        loop {
            let (at, ev) = self.next()?;
            match ev {
                Event::Start(e) => match e.local_name().as_ref() {
                    "record" => {
                        let r = self.record(&e, at, false, self.records.len())?;
                        self.records.push(r);
                    }
                    "people" => self.people_list(at)?,
                    "updated" => {
                        let c = self.content(None, "updated", at)?;
                        let v = c.text.trim();
                        self.updated = (!v.is_empty()).then(|| v.to_string());
                    }
                    _ => self.skip(at)?,
                },
                Event::Empty(e) if e.local_name().as_ref() == "record" => {
                    let r = self.record(&e, at, true, self.records.len())?;
                    self.records.push(r);
                }
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.eof_error("registry", opened_at)),
                Event::GeneralRef(r) => {
                    self.decode_ref(&r, at)?;
                }
                _ => {}
            }
        }
    }

    /// Skips the rest of an element whose start tag was just read (entities still checked).
    fn skip(&mut self, opened_at: usize) -> Result<(), LoadError> {
        let mut depth = 1usize;
        loop {
            let (at, ev) = self.next()?;
            match ev {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Event::GeneralRef(r) => {
                    self.decode_ref(&r, at)?;
                }
                Event::Eof => return Err(self.eof_error("element", opened_at)),
                _ => {}
            }
        }
    }

    fn decode_ref(&self, r: &BytesRef<'_>, at: usize) -> Result<char, LoadError> {
        let name: &str = r;
        match predefined(name) {
            Some(c) => Ok(c),
            None if r.is_char_ref() => match r.resolve_char_ref() {
                Ok(Some(c)) => Ok(c),
                _ => Err(self.err(at, format!("invalid character reference &{name};"))),
            },
            None => Err(self.err(
                at,
                format!(
                    "unknown entity reference &{name}; (only &amp; &lt; &gt; &quot; &apos; and \
                     numeric character references are allowed; entities are never expanded)"
                ),
            )),
        }
    }

    /// Reads an element's content as text until its end tag. `<br/>` becomes `\n`,
    /// `<paragraph>`s are separated by `\n`, inline xrefs are rendered as `[...]`, and inline
    /// person xrefs are added to `persons`.
    fn content(
        &mut self,
        mut persons: Option<&mut Vec<(String, Span)>>,
        what: &str,
        opened_at: usize,
    ) -> Result<Content<'a>, LoadError> {
        let start = self.pos();
        let mut out: Cow<'a, str> = Cow::Borrowed("");
        let mut depth = 0usize;
        loop {
            let (at, ev) = self.next()?;
            match ev {
                Event::Text(t) => {
                    let s = if self.has_cr {
                        t.xml10_content()
                    } else {
                        t.into_inner()
                    };
                    if out.is_empty() {
                        out = s;
                    } else {
                        out.to_mut().push_str(&s);
                    }
                }
                Event::CData(t) => {
                    let s = t.xml10_content();
                    out.to_mut().push_str(&s);
                }
                Event::GeneralRef(r) => {
                    let c = self.decode_ref(&r, at)?;
                    out.to_mut().push(c);
                }
                Event::Empty(e) => match e.local_name().as_ref() {
                    "br" => out.to_mut().push('\n'),
                    "xref" => {
                        let x = self.xref_attrs(&e, at)?;
                        self.inline_xref(x, None, out.to_mut(), persons.as_deref_mut());
                    }
                    _ => {}
                },
                Event::Start(e) => match e.local_name().as_ref() {
                    "xref" => {
                        let x = self.xref_attrs(&e, at)?;
                        let inner = self.content(None, "xref", at)?;
                        self.inline_xref(
                            x,
                            Some(inner.text.as_ref()),
                            out.to_mut(),
                            persons.as_deref_mut(),
                        );
                    }
                    name => {
                        if name == "br"
                            || (name == "paragraph" && !out.is_empty() && !out.ends_with('\n'))
                        {
                            out.to_mut().push('\n');
                        }
                        depth += 1;
                    }
                },
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(Content {
                            text: out,
                            span: Span::new(start, at),
                        });
                    }
                    depth -= 1;
                }
                Event::Eof => return Err(self.eof_error(what, opened_at)),
                _ => {}
            }
        }
    }

    fn inline_xref(
        &self,
        x: XrefAttrs,
        inner: Option<&str>,
        out: &mut String,
        persons: Option<&mut Vec<(String, Span)>>,
    ) {
        let kind = x.kind;
        let value: String = match (&x.data, inner) {
            (Some((d, _)), _) if !d.is_empty() => d.clone(),
            (_, Some(t)) => t.trim().to_string(),
            _ => String::new(),
        };
        out.push('[');
        if kind == XrefType::Rfc {
            out.push_str(&value.to_ascii_uppercase());
        } else {
            out.push_str(&value);
        }
        out.push(']');
        if kind == XrefType::Person {
            if let (Some(persons), Some((id, span))) = (persons, x.data) {
                push_small(persons, (id, span));
            }
        }
    }

    fn xref_attrs(&self, e: &BytesStart<'_>, at: usize) -> Result<XrefAttrs, LoadError> {
        let mut x = XrefAttrs {
            kind: XrefType::Missing,
            data: None,
            section: None,
        };
        for attr in e.attributes() {
            let attr =
                attr.map_err(|err| self.err(at, format!("malformed XML attribute: {err}")))?;
            let key = attr.key.local_name();
            let key = key.as_ref();
            if key != "type" && key != "data" && key != "section" {
                continue;
            }
            let raw: &str = &attr.value;
            let span = self
                .offset_of(raw)
                .map_or(Span::new(at, at), |o| Span::new(o, o + raw.len()));
            let value = self.decode_attr(raw, span.start)?;
            match key {
                "type" => x.kind = XrefType::parse(&value),
                "data" => x.data = Some((value.into_owned(), span)),
                _ => x.section = Some(value.into_owned()),
            }
        }
        Ok(x)
    }

    /// The attributes of `e` we keep (`date`, `updated`, `id`), decoded, with value spans.
    fn attr(
        &self,
        e: &BytesStart<'_>,
        at: usize,
        want: &str,
    ) -> Result<Option<(String, Span)>, LoadError> {
        for attr in e.attributes() {
            let attr =
                attr.map_err(|err| self.err(at, format!("malformed XML attribute: {err}")))?;
            if attr.key.local_name().as_ref() != want {
                continue;
            }
            let raw: &str = &attr.value;
            let span = self
                .offset_of(raw)
                .map_or(Span::new(at, at), |o| Span::new(o, o + raw.len()));
            let value = self.decode_attr(raw, span.start)?.into_owned();
            return Ok(Some((value, span)));
        }
        Ok(None)
    }

    fn decode_attr<'s>(&self, raw: &'s str, at: usize) -> Result<Cow<'s, str>, LoadError> {
        if !raw.contains('&') {
            return Ok(Cow::Borrowed(raw));
        }
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let here = at + (raw.len() - rest.len()) + i;
            let Some(end) = after.find(';') else {
                return Err(self.err(here, "unterminated entity reference in an attribute".into()));
            };
            let name = &after[..end];
            let c = reference(name).ok_or_else(|| {
                self.err(
                    here,
                    format!(
                        "unknown entity reference &{name}; (only &amp; &lt; &gt; &quot; &apos; and \
                         numeric character references are allowed; entities are never expanded)"
                    ),
                )
            })?;
            out.push(c);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(Cow::Owned(out))
    }

    fn record(
        &mut self,
        e: &BytesStart<'_>,
        at: usize,
        empty: bool,
        index: usize,
    ) -> Result<Record, LoadError> {
        let mut r = Record::empty(index, Span::new(at, at));
        for attr in e.attributes() {
            let attr =
                attr.map_err(|err| self.err(at, format!("malformed XML attribute: {err}")))?;
            let key = attr.key.local_name();
            let is_date = match key.as_ref() {
                "date" => true,
                "updated" => false,
                _ => continue,
            };
            let raw: &str = &attr.value;
            let span = self
                .offset_of(raw)
                .map_or(Span::new(at, at), |o| Span::new(o, o + raw.len()));
            let value = self.decode_attr(raw, span.start)?.into_owned();
            if is_date {
                r.date = Some(value);
                r.date_span = OptSpan::some(span);
            } else {
                r.updated = Some(value);
                r.updated_span = OptSpan::some(span);
            }
        }
        if empty {
            r.span = Span::new(at, self.pos());
            return Ok(r);
        }
        let mut seen_description = false;
        loop {
            let (cat, ev) = self.next()?;
            match ev {
                Event::Start(c) => match c.local_name().as_ref() {
                    "name" => {
                        let c = self.content(None, "name", cat)?;
                        if r.name_span.is_none() {
                            let (v, s) = self.trimmed(&c);
                            if !v.is_empty() {
                                r.name = Some(v.to_string());
                                r.name_span = OptSpan::some(s);
                            }
                        }
                    }
                    "protocol" => {
                        let c = self.content(None, "protocol", cat)?;
                        if r.protocol_span.is_none() {
                            let (v, s) = self.trimmed(&c);
                            r.protocol = Transport::parse(v);
                            r.protocol_span = OptSpan::some(s);
                        }
                    }
                    "number" => {
                        let c = self.content(None, "number", cat)?;
                        if r.number_span.is_none() {
                            let (v, s) = self.trimmed(&c);
                            r.number = PortRange::parse(v);
                            r.number_span = OptSpan::some(s);
                        }
                    }
                    "sc" => {
                        let c = self.content(None, "sc", cat)?;
                        if r.sc_span.is_none() {
                            let (v, s) = self.trimmed(&c);
                            r.service_code = Some(v.to_string());
                            r.sc_span = OptSpan::some(s);
                        }
                    }
                    "description" => {
                        let c = self.content(Some(&mut r.person_spans), "description", cat)?;
                        if !seen_description {
                            r.description = c.text.into_owned();
                            seen_description = true;
                        }
                    }
                    "note" => {
                        let c = self.content(Some(&mut r.person_spans), "note", cat)?;
                        if r.note.is_none() {
                            r.note = Some(c.text.into_owned());
                        }
                    }
                    "unauthorized" => {
                        let c = self.content(None, "unauthorized", cat)?;
                        if r.unauthorized.is_none() {
                            r.unauthorized = Some(c.text.into_owned());
                        }
                    }
                    "assignee" => self.assignee(&mut r, cat)?,
                    "xref" => {
                        let x = self.xref_attrs(&c, cat)?;
                        let inner = self.content(None, "xref", cat)?;
                        let elem = Span::new(cat, self.pos());
                        self.record_xref(&mut r, x, Some(inner), elem);
                    }
                    _ => self.skip(cat)?,
                },
                Event::Empty(c) => match c.local_name().as_ref() {
                    "xref" => {
                        let x = self.xref_attrs(&c, cat)?;
                        let elem = Span::new(cat, self.pos());
                        self.record_xref(&mut r, x, None, elem);
                    }
                    "note" if r.note.is_none() => r.note = Some(String::new()),
                    "unauthorized" if r.unauthorized.is_none() => {
                        r.unauthorized = Some(String::new())
                    }
                    "protocol" if r.protocol_span.is_none() => {
                        r.protocol_span = OptSpan::some(Span::new(cat, self.pos()))
                    }
                    "number" if r.number_span.is_none() => {
                        r.number_span = OptSpan::some(Span::new(cat, self.pos()))
                    }
                    _ => {}
                },
                Event::End(_) => {
                    r.span = Span::new(at, self.pos());
                    r.shrink();
                    return Ok(r);
                }
                Event::GeneralRef(g) => {
                    self.decode_ref(&g, cat)?;
                }
                Event::Eof => return Err(self.eof_error("record", at)),
                _ => {}
            }
        }
    }

    /// The trimmed value of a simple element and the span of the trimmed text in the source.
    fn trimmed<'t>(&self, c: &'t Content<'a>) -> (&'t str, Span) {
        let v = c.text.trim();
        let raw = self.text.get(c.span.start..c.span.end).unwrap_or("");
        let lead = raw.len() - raw.trim_start().len();
        let trail = raw.len() - raw.trim_end().len();
        let span = Span::new(
            c.span.start + lead,
            (c.span.end - trail).max(c.span.start + lead),
        );
        (v, span)
    }

    fn record_xref(&self, r: &mut Record, x: XrefAttrs, inner: Option<Content<'a>>, elem: Span) {
        let kind = x.kind;
        let inner_text = inner
            .as_ref()
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty());
        let inner_span = inner.as_ref().map(|c| self.trimmed(c).1);
        if kind == XrefType::Person {
            let (id, span) = match x.data {
                Some(d) => d,
                None => (
                    inner_text.unwrap_or("").to_string(),
                    inner_span.unwrap_or(elem),
                ),
            };
            push_small(&mut r.contact, id.clone());
            push_small(&mut r.person_spans, (id, span));
            return;
        }
        let ref_kind = match kind {
            XrefType::Rfc => RefKind::Rfc,
            XrefType::Draft => RefKind::Draft,
            XrefType::Uri => RefKind::Uri,
            XrefType::Note => RefKind::Note,
            _ => RefKind::Text,
        };
        let (data, text, span) = match x.data {
            Some((d, s)) => (d, inner_text.map(str::to_string), s),
            None => (
                inner_text.unwrap_or("").to_string(),
                None,
                inner_span.filter(|_| inner_text.is_some()).unwrap_or(elem),
            ),
        };
        push_small(
            &mut r.references,
            Reference {
                kind: ref_kind,
                data,
                text,
                section: x.section,
                span,
            },
        );
    }

    fn assignee(&mut self, r: &mut Record, opened_at: usize) -> Result<(), LoadError> {
        loop {
            let (at, ev) = self.next()?;
            match ev {
                Event::Empty(e) if e.local_name().as_ref() == "xref" => {
                    let x = self.xref_attrs(&e, at)?;
                    let elem = Span::new(at, self.pos());
                    self.assignee_xref(r, x, None, elem);
                }
                Event::Start(e) if e.local_name().as_ref() == "xref" => {
                    let x = self.xref_attrs(&e, at)?;
                    let inner = self.content(None, "xref", at)?;
                    let elem = Span::new(at, self.pos());
                    self.assignee_xref(r, x, Some(inner), elem);
                }
                Event::Start(_) => self.skip(at)?,
                Event::End(_) => return Ok(()),
                Event::GeneralRef(g) => {
                    self.decode_ref(&g, at)?;
                }
                Event::Eof => return Err(self.eof_error("assignee", opened_at)),
                _ => {}
            }
        }
    }

    fn assignee_xref(&self, r: &mut Record, x: XrefAttrs, inner: Option<Content<'a>>, elem: Span) {
        if !matches!(x.kind, XrefType::Person | XrefType::Missing) {
            return;
        }
        let (id, span) = match x.data {
            Some(d) => d,
            None => match &inner {
                Some(c) => {
                    let (v, s) = self.trimmed(c);
                    (v.to_string(), s)
                }
                None => (String::new(), elem),
            },
        };
        push_small(&mut r.assignee, id.clone());
        push_small(&mut r.person_spans, (id, span));
    }

    fn people_list(&mut self, opened_at: usize) -> Result<(), LoadError> {
        loop {
            let (at, ev) = self.next()?;
            match ev {
                Event::Start(e) if e.local_name().as_ref() == "person" => {
                    let p = self.person_element(&e, at, false)?;
                    self.people.push(p);
                }
                Event::Empty(e) if e.local_name().as_ref() == "person" => {
                    let p = self.person_element(&e, at, true)?;
                    self.people.push(p);
                }
                Event::Start(_) => self.skip(at)?,
                Event::End(_) => return Ok(()),
                Event::GeneralRef(g) => {
                    self.decode_ref(&g, at)?;
                }
                Event::Eof => return Err(self.eof_error("people", opened_at)),
                _ => {}
            }
        }
    }

    /// A `<person>` whose start tag `e` was just read.
    fn person_element(
        &mut self,
        e: &BytesStart<'_>,
        at: usize,
        empty: bool,
    ) -> Result<Person, LoadError> {
        let id = self.attr(e, at, "id")?.map(|(v, _)| v).unwrap_or_default();
        if empty {
            return Ok(Person::empty(id, Span::new(at, self.pos())));
        }
        self.person(id, at)
    }

    fn person(&mut self, id: String, opened_at: usize) -> Result<Person, LoadError> {
        let mut p = Person::empty(id, Span::new(opened_at, opened_at));
        loop {
            let (at, ev) = self.next()?;
            match ev {
                Event::Start(e) => {
                    let which = match e.local_name().as_ref() {
                        "name" => 0,
                        "org" => 1,
                        "uri" => 2,
                        "updated" => 3,
                        _ => {
                            self.skip(at)?;
                            continue;
                        }
                    };
                    let c = self.content(None, "person", at)?;
                    let v = c.text.trim();
                    let nonempty = (!v.is_empty()).then(|| v.to_string());
                    match which {
                        0 => p.name = p.name.or(nonempty),
                        1 => p.org = p.org.or(nonempty),
                        2 => push_small(&mut p.uris, v.to_string()),
                        _ => p.updated = p.updated.or(nonempty),
                    }
                }
                Event::Empty(e) if e.local_name().as_ref() == "uri" => {
                    push_small(&mut p.uris, String::new());
                }
                Event::End(_) => {
                    p.span = Span::new(opened_at, self.pos());
                    p.uris.shrink_to_fit();
                    return Ok(p);
                }
                Event::GeneralRef(g) => {
                    self.decode_ref(&g, at)?;
                }
                Event::Eof => return Err(self.eof_error("person", opened_at)),
                _ => {}
            }
        }
    }
}

/// The direct reader: a record of the usual form read byte by byte, built with the same
/// helpers as the event loop of [`XmlParser::record`], so with the same result; None on
/// anything else (comments, CDATA, line ends to normalise, prefixes, attributes to decode,
/// elements it does not know, repeated fields), which the event loop then reads. Records
/// are read this way only from scanned (well-formed) documents; tests/it/registry_scan.rs
/// and the `registry_load` fuzz target compare every record with the full parse.
impl<'a> XmlParser<'a, '_> {
    fn record_direct(&mut self, at: usize, to: usize, index: usize) -> Option<Record> {
        let t: &'a str = self.text;
        let b = t.as_bytes().get(..to)?;
        // `has_cr` was found over this same record when the parser was made.
        if self.has_cr || t.get(at..to).is_none() {
            return None;
        }
        let mut c = Cursor::new(b, at);
        c.expect(b"<record")?;
        let mut r = Record::empty(index, Span::new(at, at));
        let attrs = c.attributes()?;
        for (name, value) in attrs {
            let span = Span::new(value.0, value.1);
            let v = t.get(value.0..value.1)?;
            if v.contains('&') {
                return None;
            }
            match name {
                b"date" => {
                    r.date = Some(v.to_string());
                    r.date_span = OptSpan::some(span);
                }
                b"updated" => {
                    r.updated = Some(v.to_string());
                    r.updated_span = OptSpan::some(span);
                }
                _ => {}
            }
        }
        c.expect(b">")?;
        let mut seen = 0u32;
        loop {
            // Text between the children is ignored (entities were checked by the scan).
            c.i += memchr::memchr(b'<', b.get(c.i..)?)?;
            let cat = c.i;
            c.i += 1;
            if c.peek()? == b'/' {
                c.expect(b"/record>")?;
                r.span = Span::new(at, c.i);
                r.shrink();
                return Some(r);
            }
            let name = c.name()?;
            if name == b"xref" {
                let x = self.direct_xref_attrs(&mut c)?;
                let inner = match c.next()? {
                    b'/' => {
                        c.expect(b">")?;
                        None
                    }
                    b'>' => Some(self.direct_text(&mut c, b"xref")?),
                    _ => return None,
                };
                self.record_xref(&mut r, x, inner, Span::new(cat, c.i));
                continue;
            }
            let bit = match name {
                b"name" => 1,
                b"protocol" => 2,
                b"number" => 4,
                b"sc" => 8,
                b"description" => 16,
                b"note" => 32,
                b"unauthorized" => 64,
                b"assignee" => 128,
                _ => return None,
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            c.expect(b">")?;
            match name {
                b"description" | b"note" => {
                    let content = self.direct_rich(&mut c, name, &mut r.person_spans)?;
                    if name == b"description" {
                        r.description = content.text.into_owned();
                    } else {
                        r.note = Some(content.text.into_owned());
                    }
                }
                b"assignee" => self.direct_assignee(&mut c, &mut r)?,
                _ => {
                    let content = self.direct_text(&mut c, name)?;
                    let (v, s) = self.direct_trimmed(&content);
                    match name {
                        b"name" => {
                            if !v.is_empty() {
                                r.name = Some(v.to_string());
                                r.name_span = OptSpan::some(s);
                            }
                        }
                        b"protocol" => {
                            r.protocol = Transport::parse(v);
                            r.protocol_span = OptSpan::some(s);
                        }
                        b"number" => {
                            r.number = PortRange::parse(v);
                            r.number_span = OptSpan::some(s);
                        }
                        b"sc" => {
                            r.service_code = Some(v.to_string());
                            r.sc_span = OptSpan::some(s);
                        }
                        _ => r.unauthorized = Some(content.text.into_owned()),
                    }
                }
            }
        }
    }

    /// [`XmlParser::trimmed`] for content read by [`XmlParser::direct_text`], whose text,
    /// when borrowed, is the source between the tags: one trim instead of four.
    fn direct_trimmed<'t>(&self, c: &'t Content<'a>) -> (&'t str, Span) {
        let Cow::Borrowed(raw) = &c.text else {
            return self.trimmed(c);
        };
        let rest = raw.trim_start();
        let v = rest.trim_end();
        let start = c.span.start + (raw.len() - rest.len());
        (v, Span::new(start, start + v.len()))
    }

    /// An xref's `type`, `data` and `section` after its name was read, up to `>` or `/>`.
    fn direct_xref_attrs(&self, c: &mut Cursor<'_>) -> Option<XrefAttrs> {
        let mut x = XrefAttrs {
            kind: XrefType::Missing,
            data: None,
            section: None,
        };
        for (name, value) in c.attributes()? {
            let v = self.text.get(value.0..value.1)?;
            if v.contains('&') {
                return None;
            }
            match name {
                b"type" => x.kind = XrefType::parse(v),
                b"data" => x.data = Some((v.to_string(), Span::new(value.0, value.1))),
                b"section" => x.section = Some(v.to_string()),
                _ => {}
            }
        }
        Some(x)
    }

    /// Text-only content up to the end tag `</name>` (read too), entities decoded.
    fn direct_text(&self, c: &mut Cursor<'_>, name: &[u8]) -> Option<Content<'a>> {
        let t: &'a str = self.text;
        let start = c.i;
        c.i += memchr::memchr(b'<', c.b.get(start..)?)?;
        let end = c.i;
        c.end_tag(name)?;
        Some(Content {
            text: decode_text(t.get(start..end)?)?,
            span: Span::new(start, end),
        })
    }

    /// Rich content (text, `<br/>` and xrefs) up to `</name>`, rendered as
    /// [`XmlParser::content`] renders it.
    fn direct_rich(
        &self,
        c: &mut Cursor<'_>,
        name: &[u8],
        persons: &mut Vec<(String, Span)>,
    ) -> Option<Content<'a>> {
        let t: &'a str = self.text;
        let start = c.i;
        let mut out: Cow<'a, str> = Cow::Borrowed("");
        loop {
            let from = c.i;
            c.i += memchr::memchr(b'<', c.b.get(from..)?)?;
            let piece = decode_text(t.get(from..c.i)?)?;
            if out.is_empty() {
                out = piece;
            } else {
                out.to_mut().push_str(&piece);
            }
            let cat = c.i;
            c.i += 1;
            if c.peek()? == b'/' {
                c.i += 1;
                c.expect(name)?;
                c.expect(b">")?;
                return Some(Content {
                    text: out,
                    span: Span::new(start, cat),
                });
            }
            match c.name()? {
                b"br" => {
                    c.expect(b"/>")?;
                    out.to_mut().push('\n');
                }
                b"xref" => {
                    let x = self.direct_xref_attrs(c)?;
                    match c.next()? {
                        b'/' => {
                            c.expect(b">")?;
                            self.inline_xref(x, None, out.to_mut(), Some(&mut *persons));
                        }
                        b'>' => {
                            let inner = self.direct_text(c, b"xref")?;
                            self.inline_xref(
                                x,
                                Some(inner.text.as_ref()),
                                out.to_mut(),
                                Some(&mut *persons),
                            );
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    /// `<assignee>`: its xrefs, up to `</assignee>`.
    fn direct_assignee(&self, c: &mut Cursor<'_>, r: &mut Record) -> Option<()> {
        loop {
            c.i += memchr::memchr(b'<', c.b.get(c.i..)?)?;
            let cat = c.i;
            c.i += 1;
            if c.peek()? == b'/' {
                return c.expect(b"/assignee>");
            }
            if c.name()? != b"xref" {
                return None;
            }
            let x = self.direct_xref_attrs(c)?;
            let inner = match c.next()? {
                b'/' => {
                    c.expect(b">")?;
                    None
                }
                b'>' => Some(self.direct_text(c, b"xref")?),
                _ => return None,
            };
            self.assignee_xref(r, x, inner, Span::new(cat, c.i));
        }
    }
}

/// Text with the predefined entities decoded (the scan allows no others); None for CDATA
/// or markup, which the direct reader leaves to the event loop.
fn decode_text(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.contains('&') {
        return Some(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(k) = rest.find('&') {
        out.push_str(&rest[..k]);
        let end = rest[k..].find(';')? + k;
        out.push(predefined(&rest[k + 1..end])?);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

/// Pushes onto a vector that usually holds one item, allocating room for exactly one at
/// first (a plain push would reserve four).
fn push_small<T>(v: &mut Vec<T>, x: T) {
    if v.capacity() == 0 {
        v.reserve_exact(1);
    }
    v.push(x);
}
