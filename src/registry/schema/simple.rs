//! A fast path for the common record: a byte-level recogniser for records that are plainly
//! valid (the usual children, no comments, CDATA, entity references in values or namespace
//! declarations), which makes up nearly every record IANA publishes. A record it accepts is
//! one the general check would find nothing wrong with, so it is skipped; on anything else
//! (a problem, or just a form it does not know) it gives up and the general check reads the
//! record as before. It never reports: the general check stays the only judge of what is
//! wrong and where, so the two cannot disagree about a violation, only about speed.
//!
//! tests/it/registry_schema.rs runs the check with and without this path over every schema
//! fixture and the real registries, and the `registry_load` fuzz target does the same.

use memchr::memchr;

use crate::registry::cursor::Cursor;
use crate::source::Span;

use super::types;

/// The children a record may have once (bits as in `RECORD`); `xref` any number of times.
#[derive(Clone, Copy)]
enum Child {
    Name,
    Protocol,
    Description,
    Number,
    Sc,
    Note,
    Unauthorized,
    Assignee,
    Xref,
}

fn child(name: &[u8]) -> Option<(Child, u32)> {
    Some(match name {
        b"name" => (Child::Name, 1),
        b"protocol" => (Child::Protocol, 1 << 1),
        b"description" => (Child::Description, 1 << 2),
        b"number" => (Child::Number, 1 << 3),
        b"sc" => (Child::Sc, 1 << 4),
        b"note" => (Child::Note, 1 << 5),
        b"unauthorized" => (Child::Unauthorized, 1 << 6),
        b"assignee" => (Child::Assignee, 1 << 7),
        b"xref" => (Child::Xref, 0),
        _ => return None,
    })
}

/// Where the valid record whose start tag is at `at` ends (after `</record>`), or None to
/// leave it to the general check. The caller has checked that the record is a child of
/// `<registry>` with IANA's namespace as the only one in scope.
pub(super) fn record(t: &str, at: usize) -> Option<usize> {
    let mut r = Reader(Cursor::new(t.as_bytes(), at));
    r.expect(b"<record")?;
    let mut seen_attrs = 0u8;
    r.attributes(|name, value| {
        let bit = match name {
            b"date" => 1,
            b"updated" => 2,
            _ => return None,
        };
        if seen_attrs & bit != 0 || !types::generic_date(value) {
            return None;
        }
        seen_attrs |= bit;
        Some(())
    })?;
    if r.next()? != b'>' {
        return None;
    }
    let mut seen = 0u32;
    loop {
        r.whitespace();
        r.expect(b"<")?;
        if r.peek()? == b'/' {
            r.expect(b"/record>")?;
            // `description` is required.
            return (seen & (1 << 2) != 0).then_some(r.i);
        }
        let name = r.name()?;
        let (kind, bit) = child(name)?;
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        match kind {
            Child::Xref => r.xref()?,
            _ => {
                if r.next()? != b'>' {
                    return None;
                }
                match kind {
                    Child::Name | Child::Unauthorized => {
                        r.text()?;
                    }
                    Child::Protocol => {
                        let v = r.text()?;
                        if !matches!(v, b"tcp" | b"udp" | b"sctp" | b"dccp") {
                            return None;
                        }
                    }
                    Child::Number => {
                        let v = std::str::from_utf8(r.plain_text()?).ok()?;
                        if !types::generic_range(v) {
                            return None;
                        }
                    }
                    Child::Sc => {
                        let v = std::str::from_utf8(r.plain_text()?).ok()?;
                        if types::unsigned_int(v).is_some() {
                            return None;
                        }
                    }
                    Child::Description | Child::Note => r.rich()?,
                    Child::Assignee => r.assignee()?,
                    Child::Xref => return None,
                }
                r.end_tag(name)?;
            }
        }
    }
}

/// Where the valid person whose start tag is at `at` ends, and its `id` value (to be
/// checked for uniqueness by the caller), or None to leave it to the general check. The
/// caller has checked that IANA's namespace is the only one in scope.
pub(super) fn person(t: &str, at: usize) -> Option<(usize, Span)> {
    let mut r = Reader(Cursor::new(t.as_bytes(), at));
    r.expect(b"<person")?;
    let mut id = None;
    r.attributes(|name, value| {
        // Spaces would be collapsed for the uniqueness key: left to the general check.
        if name != b"id" || id.is_some() || value.contains(' ') || !types::ncname(value) {
            return None;
        }
        let start = value.as_ptr() as usize - t.as_ptr() as usize;
        id = Some(Span::new(start, start + value.len()));
        Some(())
    })?;
    let id = id?;
    if r.next()? != b'>' {
        return None;
    }
    // name, org, uri (any number), updated: each in its place.
    let mut place = 0;
    loop {
        r.whitespace();
        r.expect(b"<")?;
        if r.peek()? == b'/' {
            r.expect(b"/person>")?;
            return Some((r.i, id));
        }
        let name = r.name()?;
        let here = match name {
            b"name" => 1,
            b"org" => 2,
            b"uri" => 3,
            b"updated" => 4,
            _ => return None,
        };
        if here < place || (here == place && here != 3) {
            return None;
        }
        place = here;
        if r.next()? != b'>' {
            return None;
        }
        let v = std::str::from_utf8(r.text()?).ok()?;
        let ok = match here {
            // The predefined entities stand for `&<>"'`, none of which any_uri looks at
            // (`%`, `#`, `:`, `/`, `?`, letters, whitespace): the raw text gives the same
            // answer, without decoding IANA's `&amp;` in every mailto. A character reference
            // could stand for any of them: left to the general check.
            3 => !v.contains("&#") && types::any_uri(v),
            4 => !v.contains('&') && types::generic_date(v),
            _ => true,
        };
        if !ok {
            return None;
        }
        r.end_tag(name)?;
    }
}

/// The recogniser's reader: a [`Cursor`] and the pieces of a record it knows.
struct Reader<'a>(Cursor<'a>);

impl<'a> std::ops::Deref for Reader<'a> {
    type Target = Cursor<'a>;
    fn deref(&self) -> &Cursor<'a> {
        &self.0
    }
}

impl std::ops::DerefMut for Reader<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<'a> Reader<'a> {
    /// The attributes, each passed to `each`; values with `&`, `<` or whitespace other
    /// than spaces give up (they would be decoded or normalised).
    fn attributes(&mut self, mut each: impl FnMut(&'a [u8], &'a str) -> Option<()>) -> Option<()> {
        let b: &'a [u8] = self.b;
        for (name, (vs, ve)) in self.0.attributes()? {
            let value = b.get(vs..ve)?;
            if value
                .iter()
                .any(|&c| matches!(c, b'&' | b'<' | b'\t' | b'\n' | b'\r'))
            {
                return None;
            }
            each(name, std::str::from_utf8(value).ok()?)?;
        }
        Some(())
    }

    /// Text up to the next `<`, which must start an end tag (no child, comment or CDATA).
    fn text(&mut self) -> Option<&'a [u8]> {
        let start = self.i;
        let len = memchr(b'<', self.b.get(start..)?)?;
        self.i = start + len;
        (self.b.get(self.i + 1) == Some(&b'/')).then(|| &self.b[start..start + len])
    }

    /// Text that is its own value: no entity reference or line end to decode.
    fn plain_text(&mut self) -> Option<&'a [u8]> {
        let v = self.text()?;
        (!v.iter().any(|&c| c == b'&' || c == b'\r')).then_some(v)
    }

    /// Rich text: text, `<br/>` and xrefs (paragraphs and artwork give up).
    fn rich(&mut self) -> Option<()> {
        loop {
            let len = memchr(b'<', self.b.get(self.i..)?)?;
            self.i += len + 1;
            match self.peek()? {
                b'/' => {
                    self.i -= 1;
                    return Some(());
                }
                _ => match self.name()? {
                    b"xref" => self.xref()?,
                    b"br" => self.expect(b"/>")?,
                    _ => return None,
                },
            }
        }
    }

    /// `<assignee>`: xrefs and whitespace only.
    fn assignee(&mut self) -> Option<()> {
        loop {
            self.whitespace();
            if self.b.get(self.i..)?.starts_with(b"</") {
                return Some(());
            }
            self.expect(b"<xref")?;
            self.xref()?;
        }
    }

    /// An `<xref …/>` or `<xref …>text</xref>` whose `<xref` was read: its attributes as
    /// `Validator::xref` checks them, all fine.
    fn xref(&mut self) -> Option<()> {
        let (mut ty, mut data, mut fragment) = (None, None, false);
        let mut seen = 0u8;
        self.attributes(|name, value| {
            let bit = match name {
                b"type" => {
                    ty = Some(value);
                    1
                }
                b"data" => {
                    data = Some(value);
                    2
                }
                b"lastupdated" => {
                    if !types::generic_date(value) {
                        return None;
                    }
                    4
                }
                b"section" | b"page" | b"appendix" | b"table" | b"figure" | b"anchor" => {
                    fragment = true;
                    8
                }
                _ => return None,
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            Some(())
        })?;
        type Check = fn(&str) -> bool;
        let (check, fragments): (Option<Check>, bool) = match ty? {
            "uri" => (Some(types::any_uri), false),
            "rfc" => (Some(types::rfc_data), true),
            "rfc-errata" | "note" => (Some(|v| types::positive_integer(v).is_none()), false),
            "draft" => (Some(types::draft_data), true),
            "registry" | "person" => (Some(types::ncname), false),
            "text" => (None, false),
            "unicode" => (Some(types::unicode_data), false),
            _ => return None,
        };
        if fragment && !fragments {
            return None;
        }
        match (check, data) {
            (None, None) => {}
            (Some(check), Some(d)) if check(d) => {}
            _ => return None,
        }
        match self.next()? {
            b'/' => self.expect(b">"),
            b'>' => {
                self.text()?;
                self.end_tag(b"xref")
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{validate, validate_general, Split};

    /// Every registry the tests have: the schema fixtures (valid and invalid, one per
    /// constraint), the other registry fixtures, and the real files when present.
    fn documents() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs = vec![root.join("tests/fixtures")];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "xml") {
                    files.push(p);
                }
            }
        }
        if let Ok(dir) = std::env::var("PORTREG_REAL_REGISTRY_DIR") {
            for name in [
                "service-names-port-numbers.xml",
                "service-names-port-numbers-2026-07-19.xml",
            ] {
                files.push(Path::new(&dir).join(name));
            }
        }
        files.sort();
        files
            .into_iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(&p).ok()?;
                Some((p.display().to_string(), text))
            })
            .collect()
    }

    #[test]
    fn the_fast_path_changes_no_verdict() {
        let docs = documents();
        assert!(docs.len() > 200, "{} documents", docs.len());
        for (name, text) in &docs {
            assert_eq!(validate(text), validate_general(text), "{name}");
        }
    }

    #[test]
    fn two_halves_give_the_verdict_of_one_pass() {
        for (name, text) in documents() {
            // Record starts found the simple way; the loader's scan gives the same places.
            let starts: Vec<usize> = text.match_indices("<record").map(|(i, _)| i).collect();
            let ends: Vec<usize> = text
                .match_indices("</record>")
                .map(|(i, _)| i + "</record>".len())
                .collect();
            if starts.len() != ends.len() {
                continue;
            }
            let span = |i: usize| Some(crate::source::Span::new(starts[i], ends[i]));
            let Some(split) = Split::plan(&text, starts.len(), span) else {
                continue;
            };
            let joined = Split::join(&text, split.head(&text), split.tail(&text));
            assert_eq!(joined, validate_general(&text), "{name}");
        }
    }

    #[test]
    fn plainly_valid_people_only() {
        let ok = "<person id=\"P\"><name>n</name><org>o</org><uri>mailto:a&amp;b.example</uri>\
                  <uri>https://b.example/</uri><updated>2020-01-02</updated></person>";
        assert!(super::person(ok, 0).is_some());
        for miss in [
            ok.replace("id=\"P\"", "id=\"1P\""),
            ok.replace("id=\"P\"", "id=\" P\""),
            ok.replace("<name>n</name><org>o</org>", "<org>o</org><name>n</name>"),
            ok.replace("2020-01-02", "2020-1-2"),
            ok.replace("https://b.example/", "https://b.example/%zz"),
            ok.replace("https://b.example/", "https://b.example/#a&#35;b"),
            ok.replace("<org>o</org>", "<org>o</org><org>p</org>"),
            ok.replace("<name>n</name>", "<name>n</name><email>e</email>"),
        ] {
            assert_eq!(super::person(&miss, 0), None, "{miss}");
        }
    }

    /// A record the fast path takes, and near misses it must leave to the general check
    /// (each of them is something the general check reports, or a form it does not know).
    #[test]
    fn plainly_valid_records_only() {
        let doc = |record: &str| {
            format!(
                "<registry xmlns=\"http://www.iana.org/assignments\" id=\"r\">\n{record}\n\
                 <people/></registry>"
            )
        };
        let ok = "<record date=\"2020-01\"><name>a</name><protocol>tcp</protocol>\
                  <number>1-2</number><description>d <xref type=\"rfc\" data=\"rfc1\" section=\"2\"/>\
                  <br/>x</description><assignee><xref type=\"person\" data=\"P\"/></assignee>\
                  <xref type=\"uri\" data=\"https://a.example/\">t</xref></record>";
        let at = doc(ok).find("<record").unwrap_or(0);
        assert!(super::record(&doc(ok), at).is_some());
        for miss in [
            ok.replace("tcp", "TCP"),
            ok.replace("1-2", "1-"),
            ok.replace("2020-01", "2020-13"),
            ok.replace("<description>", "<description a=\"1\">"),
            ok.replace("<name>a</name>", "<name>a</name><name>b</name>"),
            ok.replace("data=\"rfc1\"", "data=\"RFC1\""),
            ok.replace("type=\"uri\"", "type=\"uri\" section=\"1\""),
            ok.replace("<br/>", "<paragraph>p</paragraph>"),
            ok.replace("<name>a</name>", "<!-- c --><name>a</name>"),
            ok.replace("<description>d", "<description>d<![CDATA[x]]>"),
            ok.replace("<record date", "<record xmlns:x=\"u\" date"),
            ok.replace("</record>", " stray</record>"),
            ok.replace("<description>d <xref type=\"rfc\" data=\"rfc1\" section=\"2\"/><br/>x</description>", ""),
        ] {
            let d = doc(&miss);
            let at = d.find("<record").unwrap_or(0);
            assert_eq!(super::record(&d, at), None, "{miss}");
        }
    }
}
