//! The XML Schema datatypes and patterns IANA's RELAX NG schema uses, as jing (the reference
//! validator) applies them: whitespace is collapsed for every type except `string` (whose
//! patterns see the value as written), `\d` in a pattern is any Unicode decimal digit while
//! the integer and date types take ASCII digits only, and `anyURI` is jing's lenient check
//! (percent escapes, at most one `#`, a well-formed scheme when there is one).

use std::borrow::Cow;
use std::sync::OnceLock;

/// XML's whitespace characters (also XSD's `\s`).
pub(crate) fn is_xml_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// The `collapse` whitespace facet: trimmed, inner runs of whitespace made one space.
pub(crate) fn collapse(s: &str) -> Cow<'_, str> {
    let t = s.trim_matches(is_xml_ws);
    let needs = t.as_bytes().windows(2).any(|w| {
        matches!(w[0], b' ' | b'\t' | b'\n' | b'\r') && matches!(w[1], b' ' | b'\t' | b'\n' | b'\r')
    }) || t.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r'));
    if !needs {
        return Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    let mut ws = false;
    for c in t.chars() {
        if is_xml_ws(c) {
            ws = true;
        } else {
            if ws {
                out.push(' ');
                ws = false;
            }
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// XSD's `\d`: a Unicode decimal digit (general category Nd).
fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    static ND: OnceLock<Option<regex::Regex>> = OnceLock::new();
    let mut buf = [0u8; 4];
    ND.get_or_init(|| regex::Regex::new(r"^\d$").ok())
        .as_ref()
        .is_some_and(|re| re.is_match(c.encode_utf8(&mut buf)))
}

/// Length in bytes of the run of `\d` at the start of `s` (0 if none).
fn digits(s: &str) -> usize {
    s.char_indices()
        .find(|&(_, c)| !is_digit(c))
        .map_or(s.len(), |(i, _)| i)
}

/// `\d+|0x[\da-fA-F]+` at the start of `s`: the length matched.
fn range_bound(s: &str) -> Option<usize> {
    if let Some(hex) = s.strip_prefix("0x") {
        let n = hex
            .char_indices()
            .find(|&(_, c)| !(is_digit(c) || matches!(c, 'a'..='f' | 'A'..='F')))
            .map_or(hex.len(), |(i, _)| i);
        if n > 0 {
            return Some(2 + n);
        }
    }
    // `\d+` is maximal here: what may follow a bound (whitespace, `-`, the end) is no digit.
    let n = digits(s);
    (n > 0).then_some(n)
}

/// `genericRange`: `(\d+|0x[\da-fA-F]+)(\s*-\s*(\d+|0x[\da-fA-F]+))?`, the whole value.
pub(crate) fn generic_range(s: &str) -> bool {
    let Some(n) = range_bound(s) else {
        return false;
    };
    let rest = &s[n..];
    if rest.is_empty() {
        return true;
    }
    let rest = rest.trim_start_matches(is_xml_ws);
    let Some(rest) = rest.strip_prefix('-') else {
        return false;
    };
    let rest = rest.trim_start_matches(is_xml_ws);
    range_bound(rest) == Some(rest.len())
}

/// `(rfc|bcp|std)\d+`.
pub(crate) fn rfc_data(s: &str) -> bool {
    ["rfc", "bcp", "std"].iter().any(|p| {
        s.strip_prefix(p)
            .is_some_and(|d| !d.is_empty() && digits(d) == d.len())
    })
}

/// `(draft|RFC)(-[a-zA-Z0-9]+)+`.
pub(crate) fn draft_data(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("draft").or_else(|| s.strip_prefix("RFC")) else {
        return false;
    };
    let Some(rest) = rest.strip_prefix('-') else {
        return false;
    };
    rest.split('-')
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `ucd\d+\.\d+\.\d+`.
pub(crate) fn unicode_data(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("ucd") else {
        return false;
    };
    let mut parts = 0;
    for part in rest.split('.') {
        parts += 1;
        if part.is_empty() || digits(part) != part.len() {
            return false;
        }
    }
    parts == 3
}

/// An optional sign and ASCII digits, after collapsing: (negative, digits without leading
/// zeros).
fn integer(s: &str) -> Option<(bool, String)> {
    let s = collapse(s);
    let (neg, d) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, &s[..]),
    };
    if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((neg, d.trim_start_matches('0').to_string()))
}

/// Why a value is not an `xsd:unsignedInt`, if it is not.
pub(crate) fn unsigned_int(s: &str) -> Option<&'static str> {
    match integer(s) {
        None => Some("not an integer"),
        Some((true, d)) if !d.is_empty() => Some("negative"),
        Some((_, d)) if d.len() > 10 || (d.len() == 10 && d.as_str() > "4294967295") => {
            Some("greater than 4294967295")
        }
        Some(_) => None,
    }
}

/// Why a value is not an `xsd:positiveInteger`, if it is not.
pub(crate) fn positive_integer(s: &str) -> Option<&'static str> {
    match integer(s) {
        None => Some("not an integer"),
        Some((neg, d)) if neg || d.is_empty() => Some("not greater than or equal to 1"),
        Some(_) => None,
    }
}

/// `xsd:date` (`with_day`) or `xsd:gYearMonth`: `-?YYYY-MM(-DD)?` with an optional time zone.
pub(crate) fn date(s: &str, with_day: bool) -> bool {
    let s = collapse(s);
    let s = s.strip_prefix('-').unwrap_or(&s);
    let year_len = s.bytes().take_while(u8::is_ascii_digit).count();
    let year = &s[..year_len];
    // Four digits at least, no leading zero beyond four, and no year zero.
    if year_len < 4 || (year_len > 4 && year.starts_with('0')) || year.bytes().all(|b| b == b'0') {
        return false;
    }
    let rest = &s[year_len..];
    let two = |r: &str| -> Option<u32> {
        let b = r.as_bytes();
        (b.len() >= 2 && b[0].is_ascii_digit() && b[1].is_ascii_digit())
            .then(|| u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0'))
    };
    let Some(rest) = rest.strip_prefix('-') else {
        return false;
    };
    let Some(month) = two(rest).filter(|m| (1..=12).contains(m)) else {
        return false;
    };
    let mut rest = &rest[2..];
    if with_day {
        let Some(r) = rest.strip_prefix('-') else {
            return false;
        };
        let leap = {
            // The year modulo 400 decides; it may have any number of digits.
            let m = year
                .bytes()
                .fold(0u32, |m, b| (m * 10 + u32::from(b - b'0')) % 400);
            m % 4 == 0 && (m % 100 != 0 || m == 0)
        };
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if two(r).filter(|d| (1..=days).contains(d)).is_none() {
            return false;
        }
        rest = &r[2..];
    }
    time_zone(rest)
}

/// Nothing, `Z`, or `±hh:mm`.
fn time_zone(s: &str) -> bool {
    if s.is_empty() || s == "Z" {
        return true;
    }
    let b = s.as_bytes();
    if b.len() != 6 || !matches!(b[0], b'+' | b'-') || b[3] != b':' {
        return false;
    }
    let num = |i: usize| -> Option<u32> {
        (b[i].is_ascii_digit() && b[i + 1].is_ascii_digit())
            .then(|| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0'))
    };
    // jing takes -13:00 to +14:00 (not -14:00, as measured), XML Schema says ±14:00.
    let limit = if b[0] == b'+' { 14 * 60 } else { 13 * 60 };
    match (num(1), num(4)) {
        (Some(h), Some(m)) => m <= 59 && h * 60 + m <= limit,
        _ => false,
    }
}

/// `genericDate`: an `xsd:date` or an `xsd:gYearMonth`.
pub(crate) fn generic_date(s: &str) -> bool {
    date(s, true) || date(s, false)
}

fn is_name_start(c: char) -> bool {
    matches!(c, 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// `xsd:NCName` (also the lexical form of `xsd:ID`), after collapsing.
pub(crate) fn ncname(s: &str) -> bool {
    // The usual value (a person id) is ASCII name characters only: nothing to collapse,
    // nothing to decode (checked 125,000 times on a large registry).
    let b = s.as_bytes();
    if b.first()
        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
    {
        return true;
    }
    let s = collapse(s);
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

/// `xsd:anyURI` as jing checks it (com.thaiopensource.util.Uri.isValid), after collapsing.
pub(crate) fn any_uri(s: &str) -> bool {
    let s = collapse(s);
    let b = s.as_bytes();
    let hex = |c: u8| c.is_ascii_hexdigit();
    for (i, &c) in b.iter().enumerate() {
        if c == b'%' && !(i + 2 < b.len() && hex(b[i + 1]) && hex(b[i + 2])) {
            return false;
        }
    }
    if let Some(i) = s.find('#') {
        if s[i + 1..].contains('#') {
            return false;
        }
    }
    // Absolute: a `:` with no `#`, `/` or `?` before it; then the scheme must be sound.
    let Some(colon) = s.find(':') else {
        return true;
    };
    if s[..colon].bytes().any(|c| matches!(c, b'#' | b'/' | b'?')) {
        return true;
    }
    colon != 0
        && colon + 1 != s.len()
        && b[0].is_ascii_alphabetic()
        && b[1..colon]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        for ok in [
            "80",
            "0x1F",
            "1-2",
            "80 - 0x1F",
            "1-\t2",
            "\u{668}\u{660}",
            "0",
        ] {
            assert!(generic_range(ok), "{ok:?}");
        }
        for bad in [
            "", " 80", "80 ", "0X1F", "0x", "1-", "-1", "1--2", "80\n", "a",
        ] {
            assert!(!generic_range(bad), "{bad:?}");
        }
    }

    #[test]
    fn integers() {
        assert_eq!(unsigned_int("4294967295"), None);
        assert_eq!(unsigned_int(" +0004294967295 "), None);
        assert_eq!(unsigned_int("-0"), None);
        assert!(unsigned_int("4294967296").is_some());
        assert!(unsigned_int("-1").is_some());
        assert!(unsigned_int("1e3").is_some());
        assert!(unsigned_int("\u{668}").is_some());
        assert_eq!(positive_integer("+01"), None);
        assert!(positive_integer("0").is_some());
        assert!(positive_integer("-0").is_some());
    }

    #[test]
    fn dates() {
        for ok in [
            "2020-02-29",
            "2020-01-01Z",
            "2020-01-01+14:00",
            "-2020-01",
            " 2020-01 ",
            "2020-01Z",
            "12020-01-01",
            "2000-02-29",
        ] {
            assert!(generic_date(ok), "{ok:?}");
        }
        for bad in [
            "2019-02-29",
            "1900-02-29",
            "2020-04-31",
            "2020-13",
            "0000-01-01",
            "02020-01-01",
            "2020-01-01+14:01",
            "2020-01-01-13:01",
            "2020-1",
            "20200101",
            "",
        ] {
            assert!(!generic_date(bad), "{bad:?}");
        }
        assert!(!date("2020-01", true));
    }

    #[test]
    fn names_and_uris() {
        for ok in [" P ", "été", "a\u{b7}b", "Jane_Doe", "a-b.c"] {
            assert!(ncname(ok), "{ok:?}");
        }
        for bad in ["1P", "a:b", "a b", "", "ITU/TSB"] {
            assert!(!ncname(bad), "{bad:?}");
        }
        for ok in [
            "",
            "a b",
            "http://x\\y",
            "http://é/",
            " http://x ",
            "mailto:a&b",
        ] {
            assert!(any_uri(ok), "{ok:?}");
        }
        for bad in ["http://x/%zz", "http://x/#a#b", "1http:x", ":x", "http:"] {
            assert!(!any_uri(bad), "{bad:?}");
        }
    }
}
