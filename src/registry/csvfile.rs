//! The CSV form of the registry (IANA's export: CRLF rows, LF inside quoted cells, people
//! as `[Id][Id2]`, references as `[RFC1234][draft-x][http://…][1]`).

use crate::model::{PortRange, Transport};
use crate::source::Span;

use super::error::{ErrCtx, LoadError};
use super::record::{Parsed, Record, RefKind, Reference};

/// The exact first line of the IANA CSV form.
pub const CSV_HEADER: &str = "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes";

const FIELDS: usize = 12;

pub(crate) fn parse(text: &str, body_start: usize, ctx: &ErrCtx<'_>) -> Result<Parsed, LoadError> {
    let body = text.get(body_start..).unwrap_or("");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(body.as_bytes());
    let expected = CSV_HEADER.split(',').count();
    let mut rec = csv::StringRecord::new();
    // Every row takes at least one line.
    let mut records = Vec::with_capacity(memchr::memchr_iter(b'\n', body.as_bytes()).count() + 1);
    let mut newest: Option<String> = None;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(ctx, body_start, &e, expected)),
        }
        // csv reports a CRLF row as starting at the LF of the previous terminator; the row
        // span excludes terminators on both sides.
        let raw_start = body_start + rec.position().map_or(0, |p| p.byte() as usize);
        let raw_end = (body_start + rdr.position().byte() as usize).max(raw_start);
        let row_text = text.get(raw_start..raw_end).unwrap_or("");
        let inner = row_text.trim_start_matches(['\r', '\n']);
        let start = raw_start + (row_text.len() - inner.len());
        let end = start + inner.trim_end_matches(['\r', '\n']).len();
        let spans = field_spans(text, start, end);
        let field = |i: usize| rec.get(i).unwrap_or("");
        let mut r = build(records.len(), text, &spans, field, Span::new(start, end));
        r.shrink();
        for d in [r.date.as_deref(), r.updated.as_deref()]
            .into_iter()
            .flatten()
        {
            if is_date(d) && newest.as_deref().is_none_or(|cur| cur < d) {
                newest = Some(d.to_string());
            }
        }
        records.push(r);
    }
    records.shrink_to_fit();
    Ok(Parsed {
        updated: newest,
        records,
        people: Vec::new(),
    })
}

fn csv_error(ctx: &ErrCtx<'_>, body_start: usize, e: &csv::Error, expected: usize) -> LoadError {
    let offset_of = |p: &csv::Position| body_start + p.byte() as usize;
    match e.kind() {
        csv::ErrorKind::UnequalLengths { pos, len, .. } => {
            // The reported start of a CRLF row is the LF ending the previous line.
            let mut at = pos.as_ref().map_or(body_start, offset_of);
            let rest = ctx.text.get(at..).unwrap_or("");
            at += rest.len() - rest.trim_start_matches(['\r', '\n']).len();
            let line = ctx.line_col(at).line;
            ctx.malformed(
                at,
                format!(
                    "the CSV row on line {line} has {len} fields; the IANA registry CSV has {expected}"
                ),
            )
        }
        csv::ErrorKind::Utf8 { pos, .. } => {
            let at = pos.as_ref().map_or(body_start, offset_of);
            ctx.malformed(at, format!("malformed CSV: {e}"))
        }
        _ => ctx.malformed(ctx.text.len(), format!("malformed CSV: {e}")),
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    match b.len() {
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// The raw spans of the fields of the row `text[start..end]` (inside the quotes for quoted
/// fields). Missing fields get an empty span at the row end.
fn field_spans(text: &str, start: usize, end: usize) -> [Span; FIELDS] {
    let mut out = [Span::new(end, end); FIELDS];
    let b = text.as_bytes();
    let mut i = start;
    let mut n = 0;
    while n < FIELDS && i <= end {
        if i < end && b[i] == b'"' {
            let s = i + 1;
            let mut j = s;
            while j < end {
                if b[j] == b'"' {
                    if j + 1 < end && b[j + 1] == b'"' {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            out[n] = Span::new(s, j.min(end));
            i = j + 1;
            while i < end && b[i] != b',' {
                i += 1;
            }
        } else {
            let s = i;
            while i < end && b[i] != b',' {
                i += 1;
            }
            out[n] = Span::new(s, i);
        }
        n += 1;
        i += 1; // past the comma
    }
    out
}

/// The span of `sub` (found at byte `at` of the decoded `value`) in the source, when the
/// field's raw text is exactly its value; otherwise the whole field span.
fn sub_span(text: &str, field: Span, value: &str, at: usize, len: usize) -> Span {
    if text.get(field.start..field.end) == Some(value) {
        Span::new(field.start + at, field.start + at + len)
    } else {
        field
    }
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn build<'r>(
    index: usize,
    text: &str,
    spans: &[Span; FIELDS],
    field: impl Fn(usize) -> &'r str,
    span: Span,
) -> Record {
    let name = field(0).trim();
    let number = field(1).trim();
    let protocol = field(2).trim();
    let mut person_spans = Vec::new();
    let mut people = |col: usize| -> Vec<String> {
        let v = field(col);
        bracket_items(v)
            .into_iter()
            .map(|(s, at)| {
                person_spans.push((s.to_string(), sub_span(text, spans[col], v, at, s.len())));
                s.to_string()
            })
            .collect()
    };
    let assignee = people(4);
    let contact = people(5);
    let refs = field(8);
    let references = bracket_items(refs)
        .into_iter()
        .map(|(s, at)| {
            let (kind, data) = classify(s);
            Reference {
                kind,
                data,
                text: None,
                section: None,
                span: sub_span(text, spans[8], refs, at, s.len()),
            }
        })
        .collect();
    let nonempty = |i: usize| (!field(i).trim().is_empty()).then_some(spans[i]);
    Record {
        index,
        name: opt(name),
        protocol: Transport::parse(protocol),
        number: PortRange::parse(number),
        description: field(3).to_string(),
        assignee,
        contact,
        references,
        service_code: opt(field(9).trim()),
        note: opt(field(11)),
        unauthorized: opt(field(10)),
        date: opt(field(6).trim()),
        updated: opt(field(7).trim()),
        span,
        name_span: nonempty(0).into(),
        protocol_span: nonempty(2).into(),
        number_span: nonempty(1).into(),
        sc_span: nonempty(9).into(),
        date_span: nonempty(6).into(),
        updated_span: nonempty(7).into(),
        person_spans,
    }
}

/// Splits `[a][b c][d]` into its items with their byte offsets in `s`. Text that is not in
/// brackets is one item (trimmed). Nested brackets stay inside their item.
fn bracket_items(s: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'[' => {
                let start = i + 1;
                let mut depth = 1usize;
                let mut j = start;
                while j < b.len() {
                    match b[j] {
                        b'[' => depth += 1,
                        b']' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let item = &s[start..j.min(b.len())];
                if !item.trim().is_empty() {
                    out.push((item, start));
                }
                i = j + 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                // Text outside brackets: up to the next '['.
                let start = i;
                let j = s[i..].find('[').map_or(s.len(), |k| i + k);
                let raw = &s[start..j];
                let item = raw.trim_end();
                out.push((item, start));
                i = j;
            }
        }
    }
    out
}

fn classify(item: &str) -> (RefKind, String) {
    let lower = item.to_ascii_lowercase();
    if let Some(digits) = lower.strip_prefix("rfc") {
        if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
            return (RefKind::Rfc, lower);
        }
    }
    if lower.starts_with("draft-") || lower.starts_with("rfc-ietf-") {
        return (RefKind::Draft, item.to_string());
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return (RefKind::Uri, item.to_string());
    }
    if !item.is_empty() && item.bytes().all(|c| c.is_ascii_digit()) {
        return (RefKind::Note, item.to_string());
    }
    (RefKind::Text, item.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets() {
        assert_eq!(
            bracket_items("[RFC1][draft-x-01][http://a/b][1]"),
            vec![
                ("RFC1", 1),
                ("draft-x-01", 7),
                ("http://a/b", 19),
                ("1", 31)
            ]
        );
        assert_eq!(bracket_items(""), Vec::<(&str, usize)>::new());
        assert_eq!(bracket_items("plain text"), vec![("plain text", 0)]);
        assert_eq!(bracket_items("[a [b]]"), vec![("a [b]", 1)]);
        assert_eq!(bracket_items("[unclosed"), vec![("unclosed", 1)]);
        assert_eq!(classify("RFC6335"), (RefKind::Rfc, "rfc6335".into()));
        assert_eq!(classify("RFC-ietf-x-01").0, RefKind::Draft);
        assert_eq!(classify("1").0, RefKind::Note);
        assert_eq!(classify("ISO 1").0, RefKind::Text);
        assert!(is_date("2024-04") && is_date("2024-04-30") && !is_date("2024-4-30"));
    }

    #[test]
    fn spans_of_fields() {
        let t = "a,\"b,\"\"c\",,d";
        let s = field_spans(t, 0, t.len());
        assert_eq!(s[0], Span::new(0, 1));
        assert_eq!(s[1], Span::new(3, 8));
        assert_eq!(&t[3..8], "b,\"\"c");
        assert_eq!(s[2], Span::new(10, 10));
        assert_eq!(s[3], Span::new(11, 12));
        assert_eq!(s[4], Span::new(12, 12));
    }
}
