//! Finding a phrase in free text the way a reviewer reads it: as whole words, case-insensitive,
//! and not when the clause negates or contrasts it ("not HTTP-based", "replaces HTTP
//! polling", "no longer experimental"). Used by the `policy/` heuristics on the form's answers.

/// Words that, shortly before a phrase in the same clause, turn it into a negation or a
/// contrast.
const NEGATORS: &[&str] = &[
    "not",
    "no",
    "never",
    "without",
    "unlike",
    "instead",
    "rather",
    "than",
    "replaces",
    "replace",
    "replacing",
    "replaced",
    "avoid",
    "avoids",
    "avoiding",
    "non",
    "nor",
    "neither",
    "isn't",
    "doesn't",
    "don't",
    "aren't",
    "versus",
    "vs",
    "except",
    "beyond",
    "past",
    "after",
    "left",
    "outgrew",
];

/// How many words before a phrase are searched for a negator.
const WINDOW: usize = 4;

/// A phrase found in a text: byte offset and length in the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub at: usize,
    pub len: usize,
}

/// The first occurrence of one of `phrases` (lower case; spaces match any run of whitespace
/// or hyphens) as whole words in `text` that is not negated. Phrases are tried in order at
/// each position, so list longer phrases first.
pub fn find(text: &str, phrases: &[&str]) -> Option<Hit> {
    let lower = text.to_ascii_lowercase();
    find_in(&lower, &lower, phrases)
}

/// As [`find`], but the phrases match only as written (`REST`, not "the rest of").
pub fn find_cased(text: &str, phrases: &[&str]) -> Option<Hit> {
    find_in(text, &text.to_ascii_lowercase(), phrases)
}

/// Searches `hay` (the text, or its lower case) and judges negation on `lower`.
fn find_in(hay: &str, lower: &str, phrases: &[&str]) -> Option<Hit> {
    let bytes = hay.as_bytes();
    // Only a position holding some phrase's first byte can start a hit: the others are
    // skipped without trying every phrase (most of a text, for every draft of a run).
    let mut first = [false; 256];
    for p in phrases {
        match p.as_bytes().first() {
            // A leading space matches whitespace or hyphens: no cheap filter then.
            Some(b' ') | None => first = [true; 256],
            Some(&b) => first[usize::from(b)] = true,
        }
    }
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if first[usize::from(b)] && (at == 0 || !is_word(bytes[at - 1])) {
            // A phrase can match here only if its first byte does (or is a space).
            let starts = |p: &&&str| p.as_bytes().first().is_none_or(|&f| f == b || f == b' ');
            for p in phrases.iter().filter(starts) {
                if let Some(len) = match_at(bytes, at, p.as_bytes()) {
                    let end = at + len;
                    let whole = end == bytes.len() || !is_word(bytes[end]) || !ends_word(p);
                    if whole && !negated(lower, at, end) {
                        return Some(Hit { at, len });
                    }
                }
            }
        }
        at += 1;
    }
    None
}

/// Whether `text` mentions one of `phrases` (lower case) at all, negated or not, as whole
/// words in any case.
pub fn mentions(text: &str, phrases: &[&str]) -> bool {
    // One pass over the text, trying the phrases only where one can start; the answer does
    // not depend on which phrase or occurrence is found first.
    let bytes = text.as_bytes();
    let mut first = [false; 256];
    for p in phrases {
        if let Some(&b) = p.as_bytes().first() {
            first[usize::from(b)] = true;
            first[usize::from(b.to_ascii_uppercase())] = true;
        }
    }
    (0..bytes.len()).any(|at| {
        first[usize::from(bytes[at])]
            && (at == 0 || !is_word(bytes[at - 1]))
            && phrases.iter().any(|p| {
                let end = at + p.len();
                // The first byte alone rules most phrases out.
                if p.as_bytes().first() != Some(&bytes[at].to_ascii_lowercase()) {
                    return false;
                }
                bytes
                    .get(at..end)
                    .is_some_and(|w| w.eq_ignore_ascii_case(p.as_bytes()))
                    && (end == bytes.len() || !is_word(bytes[end]))
            })
    })
}

fn is_word(b: u8) -> bool {
    WORD[usize::from(b)]
}

/// [`is_word`] as a table: it is asked of every byte of every answer searched.
const WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'_';
        i += 1;
    }
    t
};

/// A phrase that ends in punctuation (`127.0.0.1`, `::1`) needs no word boundary after it…
/// except that digits must not continue it (`127.0.0.10`).
fn ends_word(p: &str) -> bool {
    p.as_bytes().last().is_some_and(|&b| is_word(b))
}

/// The length in `bytes` of `phrase` starting at `at`, where a space in the phrase matches
/// one or more spaces, tabs, newlines or hyphens.
fn match_at(bytes: &[u8], at: usize, phrase: &[u8]) -> Option<usize> {
    let mut i = at;
    let mut j = 0;
    while j < phrase.len() {
        if phrase[j] == b' ' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'-') {
                i += 1;
            }
            if i == start {
                return None;
            }
        } else {
            if bytes.get(i) != Some(&phrase[j]) {
                return None;
            }
            i += 1;
        }
        j += 1;
    }
    // `127.0.0.1` must not match the start of `127.0.0.10`.
    if phrase.last().is_some_and(u8::is_ascii_digit) && bytes.get(i).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    Some(i - at)
}

/// Whether the phrase at `at..end` is negated: a negator among the few words before it in the
/// same clause, a `non-` prefix, "not"/"isn't" right after it ("HTTP is not used"), or a
/// comparison ("HTTP-like", "HTTP-free").
fn negated(lower: &str, at: usize, end: usize) -> bool {
    let clause_start = lower[..at]
        .rfind(['.', ';', ',', ':', '(', ')', '!', '?', '\n'])
        .map_or(0, |i| i + 1);
    let before: Vec<&str> = lower[clause_start..at]
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let window = &before[before.len().saturating_sub(WINDOW)..];
    if window.iter().any(|w| NEGATORS.contains(w)) {
        return true;
    }
    let clause_end = lower[end..]
        .find(['.', ';', ',', ':', '(', ')', '!', '?', '\n'])
        .map_or(lower.len(), |i| end + i);
    let after: Vec<&str> = lower[end..clause_end]
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    matches!(
        after.as_slice(),
        ["free" | "like" | "inspired" | "not" | "isn't", ..] | [_, "not" | "never", ..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTTP: &[&str] = &["http", "https", "websocket", "grpc"];

    fn hit(text: &str) -> Option<&str> {
        find(text, HTTP).map(|h| &text[h.at..h.at + h.len])
    }

    #[test]
    fn finds_whole_words_case_insensitively() {
        assert_eq!(hit("A JSON API over HTTPS"), Some("HTTPS"));
        assert_eq!(hit("served over HTTP/2"), Some("HTTP"));
        assert_eq!(hit("gRPC streams"), Some("gRPC"));
        assert_eq!(hit("an HTTP-based API"), Some("HTTP"));
        assert_eq!(hit("httpd-like framing"), None);
        assert_eq!(hit("uses xhttp"), None);
        assert!(find_cased("the rest of it", &["REST"]).is_none());
        assert!(find_cased("a REST API", &["REST"]).is_some());
    }

    #[test]
    fn negation_and_contrast_are_not_hits() {
        for t in [
            "not HTTP-based",
            "It replaces HTTP polling",
            "a binary protocol rather than HTTP",
            "unlike gRPC it keeps no connection",
            "HTTP is not used",
            "works without WebSocket",
            "non-HTTP transport",
            "HTTP-free framing",
            "an HTTP-like request line over raw TCP",
        ] {
            assert_eq!(hit(t), None, "{t}");
        }
        // A negation in another clause does not count.
        assert_eq!(
            hit("Not a file transfer; a REST-style API over HTTP"),
            Some("HTTP")
        );
    }

    #[test]
    fn phrases_with_spaces_and_addresses() {
        fn f(t: &str) -> Option<&str> {
            let local = &["127.0.0.1", "::1", "same host", "local machine"];
            find(t, local).map(|h| &t[h.at..h.at + h.len])
        }
        assert_eq!(f("binds 127.0.0.1 only"), Some("127.0.0.1"));
        assert_eq!(f("binds 127.0.0.10"), None);
        assert_eq!(f("on the same\nhost"), Some("same\nhost"));
        assert_eq!(f("listens on [::1]"), Some("::1"));
        assert!(mentions("peers on remote hosts", &["remote"]));
        assert!(!mentions("remotely", &["remote"]));
    }
}
