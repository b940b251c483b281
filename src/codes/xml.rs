//! The XML of the Service Codes registry, read with quick-xml over the text in memory.
//! Only the five predefined entities and numeric character references are decoded; a DTD
//! that declares entities is refused, and nothing is ever expanded or fetched.

use quick_xml::errors::SyntaxError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::registry::entity::reference;
use crate::registry::LoadError;
use crate::source::Span;

use super::{malformed, CodeRow};

pub(super) struct Parsed {
    pub updated: Option<String>,
    pub rows: Vec<CodeRow>,
    /// The text of each `<note>` outside the records.
    pub notes: Vec<String>,
}

/// The element whose text is being collected inside a `<record>`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Value,
    Ascii,
    Description,
}

/// A `<record>` being read.
struct RowBuilder {
    start: usize,
    value: Option<(String, Span)>,
    ascii: Option<String>,
    description: String,
    references: Vec<(String, String)>,
}

struct Parser<'a> {
    path: &'a str,
    text: &'a str,
    reader: Reader<&'a [u8]>,
}

pub(super) fn parse(path: &str, text: &str) -> Result<Parsed, LoadError> {
    let mut reader = Reader::from_str(text);
    {
        let c = reader.config_mut();
        c.trim_text(false);
        c.expand_empty_elements = false;
        c.check_end_names = true;
        c.check_comments = false;
    }
    let mut p = Parser { path, text, reader };
    p.document()
}

impl<'a> Parser<'a> {
    fn err(&self, at: usize, message: String) -> LoadError {
        malformed(self.path, self.text, at, message)
    }

    fn pos(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    fn next(&mut self) -> Result<(usize, Event<'a>), LoadError> {
        let start = self.pos();
        match self.reader.read_event() {
            Ok(ev) => Ok((start, ev)),
            Err(quick_xml::Error::Syntax(e)) if !matches!(e, SyntaxError::InvalidBangMarkup) => {
                // Every other syntax error is something left unclosed at the end.
                Err(malformed(
                    self.path,
                    self.text,
                    self.text.len(),
                    format!("unexpected end of file: {e} (truncated file?)"),
                ))
            }
            Err(e) => {
                let at = usize::try_from(self.reader.error_position()).unwrap_or(0);
                Err(malformed(
                    self.path,
                    self.text,
                    at,
                    format!("malformed XML: {e}"),
                ))
            }
        }
    }

    fn document(&mut self) -> Result<Parsed, LoadError> {
        let mut out = Parsed {
            updated: None,
            rows: Vec::new(),
            notes: Vec::new(),
        };
        let mut note: Option<String> = None;
        // Element names from the root down to the current element.
        let mut stack: Vec<String> = Vec::new();
        // Where each element of `stack` was opened, for the truncated-file error.
        let mut opened: Vec<usize> = Vec::new();
        let mut row: Option<RowBuilder> = None;
        let mut field: Option<Field> = None;
        let mut updated: Option<String> = None;
        let mut seen_root = false;
        loop {
            let (at, ev) = self.next()?;
            match ev {
                Event::Eof => {
                    if let (Some(name), Some(&at)) = (stack.last(), opened.last()) {
                        let line = crate::source::line_col_scan(self.text, at).line;
                        return Err(self.err(
                            self.text.len(),
                            format!(
                                "unexpected end of file: <{name}> opened at line {line} is not \
                                 closed (truncated file?)"
                            ),
                        ));
                    }
                    break;
                }
                Event::DocType(d) => {
                    let content: &str = &d.into_inner();
                    if content.to_ascii_lowercase().contains("<!entity") {
                        return Err(self.err(
                            at,
                            "DTD entity declarations are not allowed in a registry".to_string(),
                        ));
                    }
                }
                Event::Start(e) | Event::Empty(e) if stack.is_empty() && seen_root => {
                    let name = e.local_name().as_ref().to_string();
                    return Err(self.err(
                        at,
                        format!("unexpected <{name}> after the end of </registry>"),
                    ));
                }
                Event::Start(e) => {
                    let name = e.local_name().as_ref().to_string();
                    if stack.is_empty() {
                        self.check_root(&e, at)?;
                        seen_root = true;
                    }
                    match (name.as_str(), row.as_mut()) {
                        ("record", None) => {
                            row = Some(RowBuilder {
                                start: at,
                                value: None,
                                ascii: None,
                                description: String::new(),
                                references: Vec::new(),
                            })
                        }
                        ("value", Some(r)) => {
                            field = Some(Field::Value);
                            let from = self.pos();
                            r.value = Some((String::new(), Span::new(from, from)));
                        }
                        ("ascii", Some(r)) => {
                            field = Some(Field::Ascii);
                            r.ascii = Some(String::new());
                        }
                        ("description", Some(_)) => field = Some(Field::Description),
                        ("xref", Some(r)) => {
                            let x = self.xref(&e, at)?;
                            r.references.push(x);
                        }
                        ("updated", None) if stack.len() == 1 => updated = Some(String::new()),
                        ("note", None) => note = Some(String::new()),
                        _ => {}
                    }
                    stack.push(name);
                    opened.push(at);
                }
                Event::Empty(e) => {
                    let name = e.local_name().as_ref().to_string();
                    if stack.is_empty() {
                        self.check_root(&e, at)?;
                        seen_root = true;
                    }
                    match (name.as_str(), row.as_mut()) {
                        ("xref", Some(r)) => {
                            let x = self.xref(&e, at)?;
                            r.references.push(x);
                        }
                        ("record", None) => {
                            return Err(self.err(at, "a <record/> without a <value>".into()))
                        }
                        _ => {}
                    }
                }
                Event::Text(t) => {
                    let s = t.xml10_content();
                    if let Some(n) = note.as_mut() {
                        n.push_str(&s);
                    }
                    self.push_text(&s, row.as_mut(), field, updated.as_mut(), &stack);
                }
                Event::CData(t) => {
                    let s = t.xml10_content();
                    if let Some(n) = note.as_mut() {
                        n.push_str(&s);
                    }
                    self.push_text(&s, row.as_mut(), field, updated.as_mut(), &stack);
                }
                Event::GeneralRef(r) => {
                    let name: &str = &r;
                    let c = reference(name).ok_or_else(|| self.unknown_entity(at, name))?;
                    let mut buf = [0u8; 4];
                    let s = c.encode_utf8(&mut buf).to_string();
                    if let Some(n) = note.as_mut() {
                        n.push_str(&s);
                    }
                    self.push_text(&s, row.as_mut(), field, updated.as_mut(), &stack);
                }
                Event::End(_) => {
                    let name = stack.pop().unwrap_or_default();
                    opened.pop();
                    match name.as_str() {
                        "value" | "ascii" | "description" => {
                            if let (Some(r), Some(Field::Value)) = (row.as_mut(), field) {
                                if let Some((_, span)) = r.value.as_mut() {
                                    span.end = at;
                                }
                            }
                            field = None;
                        }
                        "record" => {
                            if let Some(r) = row.take() {
                                let index = out.rows.len();
                                out.rows.push(self.finish(r, self.pos(), index)?);
                            }
                        }
                        "note" if row.is_none() => out.notes.extend(note.take()),
                        "updated" if stack.len() == 1 => {
                            if let Some(u) = updated.take() {
                                let u = u.trim().to_string();
                                out.updated = (!u.is_empty()).then_some(u);
                            }
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        if !seen_root {
            return Err(self.err(
                self.text.len(),
                "no <registry> element: this is not the Service Codes registry".to_string(),
            ));
        }
        Ok(out)
    }

    fn push_text(
        &self,
        s: &str,
        row: Option<&mut RowBuilder>,
        field: Option<Field>,
        updated: Option<&mut String>,
        stack: &[String],
    ) {
        if let Some(u) = updated.filter(|_| stack.last().is_some_and(|n| n == "updated")) {
            u.push_str(s);
        }
        let Some(r) = row else { return };
        match field {
            Some(Field::Value) => {
                if let Some((v, _)) = r.value.as_mut() {
                    v.push_str(s);
                }
            }
            Some(Field::Ascii) => {
                if let Some(a) = r.ascii.as_mut() {
                    a.push_str(s);
                }
            }
            Some(Field::Description) => r.description.push_str(s),
            None => {}
        }
    }

    fn unknown_entity(&self, at: usize, name: &str) -> LoadError {
        self.err(
            at,
            format!(
                "unknown entity reference &{name}; (only &amp; &lt; &gt; &quot; &apos; and \
                 numeric character references are allowed; entities are never expanded)"
            ),
        )
    }

    fn check_root(&self, e: &BytesStart<'_>, at: usize) -> Result<(), LoadError> {
        let name = e.local_name();
        let name = name.as_ref();
        if name.eq_ignore_ascii_case("html") {
            return Err(self.err(
                at,
                "this is an HTML page, not a registry (download the XML form of the Service Codes registry)"
                    .to_string(),
            ));
        }
        if name != "registry" {
            return Err(self.err(
                at,
                format!("the root element is <{name}>, not <registry>: this is not the Service Codes registry XML"),
            ));
        }
        let id = self.attr(e, at, "id")?;
        match id.as_deref() {
            Some("service-codes") => Ok(()),
            Some("service-names-port-numbers") => Err(self.err(
                at,
                "this is the port registry (`service-names-port-numbers`), not the Service Codes \
                 registry: pass it with --registry"
                    .to_string(),
            )),
            Some(other) => Err(self.err(
                at,
                format!("this is the registry `{other}`, not the Service Codes registry (`service-codes`)"),
            )),
            None => Err(self.err(
                at,
                "the root <registry> has no id; the Service Codes registry's is `service-codes`"
                    .to_string(),
            )),
        }
    }

    fn attr(&self, e: &BytesStart<'_>, at: usize, want: &str) -> Result<Option<String>, LoadError> {
        for attr in e.attributes() {
            let attr =
                attr.map_err(|err| self.err(at, format!("malformed XML attribute: {err}")))?;
            if attr.key.local_name().as_ref() != want {
                continue;
            }
            let raw: &str = &attr.value;
            return self.decode_attr(raw, at).map(Some);
        }
        Ok(None)
    }

    fn xref(&self, e: &BytesStart<'_>, at: usize) -> Result<(String, String), LoadError> {
        let kind = self.attr(e, at, "type")?.unwrap_or_default();
        let data = self.attr(e, at, "data")?.unwrap_or_default();
        Ok((kind, data))
    }

    fn decode_attr(&self, raw: &str, at: usize) -> Result<String, LoadError> {
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(i) = rest.find('&') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let Some(end) = after.find(';') else {
                return Err(self.err(at, "unterminated entity reference in an attribute".into()));
            };
            let name = &after[..end];
            out.push(reference(name).ok_or_else(|| self.unknown_entity(at, name))?);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn finish(&self, r: RowBuilder, end: usize, index: usize) -> Result<CodeRow, LoadError> {
        let Some((value, value_span)) = r.value else {
            return Err(self.err(r.start, "a <record> without a <value>".to_string()));
        };
        let (lo, hi) = parse_value(&value).map_err(|why| {
            self.err(
                value_span.start,
                format!(
                    "`{}` is not a service code or a range `N-M`: {why}",
                    value.trim()
                ),
            )
        })?;
        Ok(CodeRow {
            index,
            lo,
            hi,
            ascii: r.ascii.map(|a| a.trim().to_string()),
            description: r.description.trim().to_string(),
            references: r.references,
            span: Span::new(r.start, end),
            value_span,
        })
    }
}

/// `N` or `N-M`, each a 32-bit unsigned number, `N <= M`.
fn parse_value(s: &str) -> Result<(u32, u32), String> {
    let num = |p: &str| -> Result<u32, String> {
        let p = p.trim();
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{p}` is not a decimal number"));
        }
        p.parse::<u32>()
            .map_err(|_| format!("{p} does not fit in 32 bits"))
    };
    match s.trim().split_once('-') {
        Some((a, b)) => {
            let (lo, hi) = (num(a)?, num(b)?);
            if lo > hi {
                return Err(format!("the range {lo}-{hi} is reversed"));
            }
            Ok((lo, hi))
        }
        None => num(s).map(|v| (v, v)),
    }
}
