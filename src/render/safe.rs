//! Text from the input (names, descriptions, notes, person data, file names) made safe to
//! print: control characters cannot move the cursor, recolour the terminal, end a line, or
//! start a GitHub Actions workflow command.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters shown as `\u{…}` instead of printed: C0 controls (but tab and, where lines are
/// allowed, line feed), DEL, C1 controls, and the bidirectional overrides and isolates that
/// can reorder what a terminal shows.
fn hidden(c: char, keep_newline: bool) -> bool {
    match c {
        '\t' => false,
        '\n' => !keep_newline,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' => true,
        _ => false,
    }
}

/// The legacy workflow command form `##[…]`, which the runner finds anywhere in a line; its
/// first `#` is shown escaped.
fn legacy_at(s: &str, i: usize) -> bool {
    s.as_bytes().get(i..i + 3) == Some(b"##[")
}

/// One line of text: every control character, line feed included, shown as `\u{…}` (and
/// the `#` that starts a legacy `##[` command).
pub fn line(s: &str) -> Cow<'_, str> {
    let bad = |i: usize, c: char| hidden(c, false) || (c == '#' && legacy_at(s, i));
    if !s.char_indices().any(|(i, c)| bad(i, c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if bad(i, c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A file name in a workflow command property: control characters shown, but line breaks
/// left to the runner's own escaping, so that an ordinary odd name still names the file.
pub fn property(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| hidden(c, true) && c != '\r') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c, true) && c != '\r' {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A plain (non-command) line of a GitHub Actions log: one line, and nothing the runner
/// reads as a command (`::` at the start after blanks; the legacy `##[` anywhere).
pub fn log_line(s: &str) -> String {
    let mut out = line(s).into_owned();
    let start = out.len() - out.trim_start().len();
    if out[start..].starts_with("::") {
        out.replace_range(start..start + 1, "\\u{3a}");
    }
    out
}

/// Lines of a text printed as is (a rendered draft, an explanation from a rules file): each
/// made a [`log_line`], so none starts a command.
pub fn text_lines(s: &str) -> String {
    let lines: Vec<String> = s
        .split('\n')
        .map(|l| match l.strip_suffix('\r') {
            // CSV's CRLF line ends stay.
            Some(l) => log_line(l) + "\r",
            None => log_line(l),
        })
        .collect();
    lines.join("\n")
}

/// JSON text (a JSON or SARIF report) with the characters that JSON may leave raw in strings
/// but that drive a terminal or a CI log (DEL, C1, bidirectional controls, and the `#` of a
/// legacy `##[` command) written as `\uXXXX` escapes: the same JSON value, safe to print.
pub fn json(s: String) -> String {
    if !json_needs_escaping(s.as_bytes()) {
        return s;
    }
    let bad = |i: usize, c: char| {
        (hidden(c, true) && !c.is_ascii_control())
            || c == '\u{7f}'
            || (c == '#' && legacy_at(&s, i))
    };
    if !s.char_indices().any(|(i, c)| bad(i, c)) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (i, c) in s.char_indices() {
        if bad(i, c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether [`json`] has anything to escape, looked for byte by byte: DEL, the C1 controls
/// (`C2 80`–`C2 9F`), the line and paragraph separators and bidi controls (`E2 80 A8`–`AE`,
/// `E2 81 A6`–`A9`), and `##[`. A report of thousands of findings is megabytes of JSON,
/// and decoding every character of it cost more than writing it.
fn json_needs_escaping(b: &[u8]) -> bool {
    // Only the lead bytes are looked at one by one (memchr skips the rest): the report is
    // written after both threads of `registry lint` are done, so this time is not shared.
    let special = |i: usize| match b.get(i) {
        Some(0x7f) => true,
        Some(0xc2) => matches!(b.get(i + 1), Some(0x80..=0x9f)),
        Some(0xe2) => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    };
    memchr::memchr3_iter(0x7f, 0xc2, 0xe2, b).any(special)
        || memchr::memmem::find(b, b"##[").is_some()
}

/// Source text for a human report: like [`lines`], but a CR before LF (Windows line ends)
/// stays. Returns the text and, for offset translation, each replaced character's original
/// offset with the number of bytes added up to and including it.
pub fn source(text: &str) -> Option<(String, Vec<(usize, usize)>)> {
    let bad = |i: usize, c: char| {
        (hidden(c, true) && !(c == '\r' && text.as_bytes().get(i + 1) == Some(&b'\n')))
            || (c == '#' && legacy_at(text, i))
    };
    if !text.char_indices().any(|(i, c)| bad(i, c)) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut shifts = Vec::new();
    let mut added = 0;
    for (i, c) in text.char_indices() {
        if bad(i, c) {
            let before = out.len();
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            added += out.len() - before - c.len_utf8();
            shifts.push((i, added));
        } else {
            out.push(c);
        }
    }
    Some((out, shifts))
}

/// An offset of the original text in the text [`source`] made.
pub fn shift(shifts: &[(usize, usize)], offset: usize) -> usize {
    // Characters that start before `offset` moved it.
    let n = shifts.partition_point(|(at, _)| *at < offset);
    offset + n.checked_sub(1).map_or(0, |k| shifts[k].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-level pre-check agrees with the character-level rule on every character
    /// class it stands for, alone and inside text.
    #[test]
    fn json_pre_check_matches_the_rule() {
        let rule = |s: &str| {
            s.char_indices().any(|(i, c)| {
                (hidden(c, true) && !c.is_ascii_control())
                    || c == '\u{7f}'
                    || (c == '#' && legacy_at(s, i))
            })
        };
        let mut samples: Vec<String> = (0u32..0x3000)
            .filter_map(char::from_u32)
            .map(|c| format!("a{c}b"))
            .collect();
        samples.extend(["##[x", "#[", "# #[", "##", "é#", "\u{2069}#"].map(String::from));
        for s in samples {
            assert_eq!(json_needs_escaping(s.as_bytes()), rule(&s), "{s:?}");
        }
    }

    #[test]
    fn controls_are_shown() {
        assert_eq!(line("a\u{1b}[31mb\nc\td"), "a\\u{1b}[31mb\\u{a}c\td");
        assert!(matches!(line("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn log_lines_start_no_command() {
        assert_eq!(log_line("x\n::error::y"), "x\\u{a}::error::y");
        assert_eq!(log_line("::error::y"), "\\u{3a}:error::y");
        assert_eq!(log_line("  ::error::y"), "  \\u{3a}:error::y");
        assert_eq!(log_line("a ##[error]b"), "a \\u{23}#[error]b");
        assert_eq!(text_lines("a\n::b\r"), "a\n\\u{3a}:b\r");
        assert_eq!(text_lines("a\rb\r\n"), "a\\u{d}b\r\n");
    }

    #[test]
    fn json_keeps_its_value() {
        let text = serde_json::to_string(&"a\u{9b}b ##[x] \u{7f}\u{1b}").unwrap_or_default();
        let safe = json(text.clone());
        assert_eq!(safe, "\"a\\u009bb \\u0023#[x] \\u007f\\u001b\"");
        let back: String = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back, "a\u{9b}b ##[x] \u{7f}\u{1b}");
    }

    #[test]
    fn source_offsets_follow_the_escapes() {
        let (text, shifts) = source("a\u{1b}b\r\nc").expect("changed");
        assert_eq!(text, "a\\u{1b}b\r\nc");
        assert_eq!(shift(&shifts, 0), 0);
        assert_eq!(shift(&shifts, 1), 1);
        assert_eq!(shift(&shifts, 2), 2 + 5);
        assert!(source("a\r\nb").is_none());
    }
}
