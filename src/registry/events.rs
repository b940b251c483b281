//! quick-xml's events for one record or person of a scanned document, from a tokenizer
//! that does not check what the scan has checked already. quick-xml's reader spends most of
//! its time on checks (UTF-8, end names, markup) that a scanned, well-formed document does
//! not need; `registry lint` reads all 14,533 records, so it pays for them 14,533 times.
//!
//! It yields exactly the events quick-xml yields over the same text (start, empty and end
//! tags, text split at entity references, references) and gives up (None) on anything else:
//! comments, CDATA, processing instructions, a `&` that starts no reference, a tag that does
//! not end. The parser then reads that element with quick-xml instead, so giving up never
//! changes a result.

use memchr::{memchr, memchr2, memchr3};
use quick_xml::events::{BytesEnd, BytesRef, BytesStart, BytesText, Event};

pub(crate) struct Events<'a> {
    text: &'a str,
    /// The next byte to read and the end of the element (offsets in the whole text).
    pub(crate) pos: usize,
    end: usize,
}

impl<'a> Events<'a> {
    pub(crate) fn new(text: &'a str, from: usize, to: usize) -> Events<'a> {
        let end = to.min(text.len());
        Events {
            text,
            pos: from.min(end),
            end,
        }
    }

    /// The next event, or None where quick-xml would have to decide.
    pub(crate) fn next(&mut self) -> Option<Event<'a>> {
        let b = self.text.as_bytes().get(..self.end)?;
        let at = self.pos;
        let Some(&first) = b.get(at) else {
            return Some(Event::Eof);
        };
        match first {
            b'<' => match *b.get(at + 1)? {
                b'/' => {
                    let gt = at + 2 + memchr(b'>', b.get(at + 2..)?)?;
                    self.pos = gt + 1;
                    let name = self.text.get(at + 2..gt)?.trim_end_matches(is_xml_space);
                    Some(Event::End(BytesEnd::new(name)))
                }
                b'!' | b'?' => None,
                _ => self.start_tag(at),
            },
            b'&' => {
                // As quick-xml: the reference ends at the first `;`, and a `&` or `<` before
                // it makes the `&` a dangling one (an error there).
                let k = memchr3(b';', b'&', b'<', b.get(at + 1..)?)?;
                if b[at + 1 + k] != b';' {
                    return None;
                }
                self.pos = at + k + 2;
                Some(Event::GeneralRef(BytesRef::new(
                    self.text.get(at + 1..at + 1 + k)?,
                )))
            }
            _ => {
                let stop = memchr2(b'<', b'&', b.get(at..)?).map_or(b.len(), |k| at + k);
                self.pos = stop;
                Some(Event::Text(BytesText::from_escaped(
                    self.text.get(at..stop)?,
                )))
            }
        }
    }

    /// `<name attr="…" …>` or `<name …/>` at `at`; quoted values may hold `>`.
    fn start_tag(&mut self, at: usize) -> Option<Event<'a>> {
        let b = self.text.as_bytes().get(..self.end)?;
        let mut p = at + 1;
        let gt = loop {
            let k = p + memchr3(b'>', b'"', b'\'', b.get(p..)?)?;
            match b[k] {
                b'>' => break k,
                q => p = k + 1 + memchr(q, b.get(k + 1..)?)? + 1,
            }
        };
        self.pos = gt + 1;
        let inner = self.text.get(at + 1..gt)?;
        let (content, empty) = match inner.strip_suffix('/') {
            Some(c) => (c, true),
            None => (inner, false),
        };
        let name_len = content
            .bytes()
            .position(|c| is_xml_space(c as char))
            .unwrap_or(content.len());
        let start = BytesStart::from_content(content, name_len);
        Some(if empty {
            Event::Empty(start)
        } else {
            Event::Start(start)
        })
    }
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}
