//! Classifying `reference` strings (draft-format.md "Semantics").

use std::sync::OnceLock;

use regex::Regex;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefKind {
    /// `RFC<n>`, with its number.
    Rfc(u32),
    /// `draft-…` or IANA's `RFC-ietf-…-NN` (approved, awaiting its RFC number).
    Draft {
        name: String,
        ietf: bool,
    },
    Uri,
    Text,
}

/// A reference that looks like one of the structured forms but is malformed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidRef {
    /// Byte offset of the fault inside the reference text.
    pub at: usize,
    pub len: usize,
    pub reason: String,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|e| unreachable!("{e}")))
}

/// An optional `, Section 4.3` tail as the registry writes it.
const SECTION_TAIL: &str = r"(?:,?\s+[Ss]ection\s+[0-9A-Za-z.]+)?";

/// Whether `t`, which starts with `http://` or `https://` in any ASCII case, is what the
/// tests' `URL_PATTERN` accepts. Checked by hand because compiling that regex took about
/// 0.4 ms of every run whose draft cites a URL; the tests compare the two.
fn is_http_url(t: &str) -> bool {
    let Some((_, rest)) = t.split_once("://") else {
        return false;
    };
    // The host and port use no `/?#`, so the first of them starts the path part.
    let (host_port, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let (host, port) = match host_port.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (host_port, None),
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    host.split('.').count() >= 2
        && host.split('.').all(label_ok)
        && port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
        && !path.chars().any(char::is_whitespace)
}

pub fn classify(text: &str) -> Result<RefKind, InvalidRef> {
    static RFC: OnceLock<Regex> = OnceLock::new();
    static RFC_LIKE: OnceLock<Regex> = OnceLock::new();
    static DRAFT: OnceLock<Regex> = OnceLock::new();
    let t = text.trim();
    let lead = text.len() - text.trim_start().len();
    let lower = t.to_ascii_lowercase();

    if lower.starts_with("rfc-ietf-") || lower.starts_with("draft-") {
        let name = t.split([',', ' ']).next().unwrap_or(t);
        let ietf = lower.starts_with("rfc-ietf-") || lower.starts_with("draft-ietf-");
        // IANA writes the pending-RFC form with upper-case `RFC`; the rest is a draft name.
        let checked = if lower.starts_with("rfc-ietf-") {
            &name[3..]
        } else {
            name
        };
        let offset = name.len() - checked.len();
        if let Some((i, c)) = checked
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(InvalidRef {
                at: lead + offset + i,
                len: c.len_utf8(),
                reason: format!(
                    "Internet-Draft names use only lower-case letters, digits and hyphens; `{c}` is not allowed"
                ),
            });
        }
        let tail = &t[name.len()..];
        if !tail.is_empty() && !re(&DRAFT, &format!("^{SECTION_TAIL}$")).is_match(tail) {
            return Ok(RefKind::Text);
        }
        return Ok(RefKind::Draft {
            name: name.to_string(),
            ietf,
        });
    }
    // Both RFC patterns start with `(?i:rfc)`, which matches only ASCII `rfc` in any case
    // (see the test below): other references skip compiling them, about 0.8 ms a run.
    let rfc = lower.starts_with("rfc");
    if let Some(c) = rfc
        .then(|| re(&RFC, &format!(r"^(?i:rfc)\s?([0-9]{{1,5}}){SECTION_TAIL}$")).captures(t))
        .flatten()
    {
        let n = c[1].parse().unwrap_or(0);
        if n == 0 {
            return Err(InvalidRef {
                at: lead,
                len: t.len(),
                reason: format!("`{t}` names no RFC: RFC numbers start at 1"),
            });
        }
        return Ok(RefKind::Rfc(n));
    }
    // A single token that starts like an RFC reference but has no number: `RFC-6335`,
    // `RFC9999bis`, `rfcXXXX`.
    if let Some(m) = rfc
        .then(|| re(&RFC_LIKE, r"^(?i:rfc)[-\s]?(\S*)$").captures(t))
        .flatten()
    {
        let rest = m.get(1).map_or("", |m| m.as_str());
        let reason = if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            format!("`{t}` is not `RFC<number>`; write `RFC{rest}`")
        } else {
            format!("`{t}` is not `RFC<number>`: `{rest}` is not a number")
        };
        return Err(InvalidRef {
            at: lead,
            len: t.len(),
            reason,
        });
    }
    if lower.starts_with("http://") || lower.starts_with("https://") {
        if !is_http_url(t) {
            return Err(InvalidRef {
                at: lead,
                len: t.len(),
                reason: format!("`{t}` is not a well-formed http(s) URL with a dotted host name"),
            });
        }
        return Ok(RefKind::Uri);
    }
    for typo in [
        "http:/", "https:/", "http//", "https//", "http:\\", "https:\\",
    ] {
        if lower.starts_with(typo) {
            return Err(InvalidRef {
                at: lead,
                len: t.len(),
                reason: format!(
                    "`{t}` looks like a URL but does not start with `http://` or `https://`"
                ),
            });
        }
    }
    if is_bare_web_address(t) {
        return Err(InvalidRef {
            at: lead,
            len: t.len(),
            reason: format!("`{t}` is a web address without its scheme; write `https://{t}`"),
        });
    }
    Ok(RefKind::Text)
}

/// `acme.example/spec` or `www.acme.example`: one token whose host part is a dotted domain
/// name ending in a letters-only label, with a path or a `www.` to show it is a web address
/// (so that `ISO/IEC 13818`, `v1.2` or a file name `spec.pdf` stay free text).
fn is_bare_web_address(t: &str) -> bool {
    if t.is_empty() || t.contains(char::is_whitespace) || t.contains('@') {
        return false;
    }
    let (host, path) = t.split_at(t.find('/').unwrap_or(t.len()));
    let labels: Vec<&str> = host.split('.').collect();
    let tld = labels.last().copied().unwrap_or("");
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && (path.len() > 1 || host.to_ascii_lowercase().starts_with("www."))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn classifies_the_documented_forms() {
        assert_eq!(classify("RFC6335"), Ok(RefKind::Rfc(6335)));
        assert_eq!(classify("rfc10003"), Ok(RefKind::Rfc(10003)));
        assert_eq!(classify("RFC 6335"), Ok(RefKind::Rfc(6335)));
        assert_eq!(classify("RFC8765, Section 6.1"), Ok(RefKind::Rfc(8765)));
        assert!(matches!(
            classify("draft-ietf-foo-bar-03"),
            Ok(RefKind::Draft { ietf: true, .. })
        ));
        assert!(matches!(
            classify("draft-zubov-snif-05, Section 4.3"),
            Ok(RefKind::Draft { ietf: false, .. })
        ));
        assert!(matches!(
            classify("RFC-ietf-dnsop-foo-12"),
            Ok(RefKind::Draft { ietf: true, .. })
        ));
        assert_eq!(classify("https://acme.example/spec"), Ok(RefKind::Uri));
        assert_eq!(
            classify("Proprietary protocol, not publicly documented"),
            Ok(RefKind::Text)
        );
        assert_eq!(classify("ISO/IEC 13818-6 MPEG-2 DSM-CC"), Ok(RefKind::Text));
        assert!(classify("RFC0").is_err());
        assert!(classify("RFC 0000").is_err());
        assert!(classify("acme.example/spec").is_err());
        assert!(classify("www.acme.example").is_err());
        for text in ["acme.example", "spec.pdf", "v1.2/3", "ISO/IEC", "a.b/c d"] {
            assert_eq!(classify(text), Ok(RefKind::Text), "{text}");
        }
    }

    /// `classify` tries the RFC patterns only on text starting with ASCII `rfc` in any case;
    /// that skips no match only if no other character matches `(?i:r)`, `(?i:f)` or `(?i:c)`.
    #[test]
    fn rfc_prefix_is_ascii_only() {
        let letter = Regex::new("^(?i:[rfc])$").unwrap();
        let mut buf = [0u8; 4];
        let odd: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| !"rfcRFC".contains(*c) && letter.is_match(c.encode_utf8(&mut buf)))
            .collect();
        assert!(odd.is_empty(), "{odd:?}");
    }

    /// The pattern `is_http_url` replaces, as `classify` used it.
    const URL_PATTERN: &str = r"^(?i:https?)://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+(:[0-9]{1,5})?([/?#][^\s]*)?$";

    fn url_char() -> impl Strategy<Value = char> {
        prop_oneof![
            6 => prop::char::range('a', 'z'),
            2 => prop::char::range('A', 'Z'),
            3 => prop::char::range('0', '9'),
            3 => Just('.'),
            2 => Just('-'),
            2 => prop::sample::select(vec![':', '/', '?', '#']),
            1 => prop::sample::select(vec![
                ' ', '\t', '\n', '\u{A0}', '\u{2028}', '\u{3000}', '\u{85}', '\u{180E}',
                '\u{200B}', '\u{17F}', '\u{212A}', 'é', '_', '%', '@', '\\',
            ]),
        ]
    }

    fn url_like() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!["http://", "https://", "HTTP://", "hTtPs://"]),
            prop::collection::vec(url_char(), 0..=30),
        )
            .prop_map(|(scheme, cs)| {
                cs.into_iter().fold(scheme.to_string(), |mut s, c| {
                    s.push(c);
                    s
                })
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 20000,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn is_http_url_matches_the_pattern(t in url_like()) {
            static PATTERN: OnceLock<Regex> = OnceLock::new();
            let pattern = PATTERN.get_or_init(|| Regex::new(URL_PATTERN).unwrap());
            prop_assert_eq!(is_http_url(&t), pattern.is_match(&t), "{:?}", t);
        }
    }

    #[test]
    fn is_http_url_matches_the_pattern_on_examples() {
        let pattern = Regex::new(URL_PATTERN).unwrap();
        for t in [
            "https://acme.example/specs/telemetry-protocol",
            "https://acme.example",
            "https://acme.example:",
            "https://acme.example:8443/x",
            "https://acme.example:123456/x",
            "https://acme.example:80:80",
            "https://acme.example.",
            "https://.acme.example",
            "https://acme..example",
            "https://-acme.example",
            "https://acme-.example",
            "https://a.b",
            "https://localhost/x",
            "https://acme.example/a b",
            "https://acme.example/a\u{A0}b",
            "https://acme.example?q=1#frag",
            "https://acme.example#",
            "https://user@acme.example/",
            "https://acme_corp.example/",
            "http://",
            "https://",
        ] {
            assert_eq!(is_http_url(t), pattern.is_match(t), "{t:?}");
        }
    }

    /// `is_http_url` reads the pattern's `\s` as `char::is_whitespace`.
    #[test]
    fn regex_space_is_char_whitespace() {
        let space = Regex::new(r"^\s$").unwrap();
        let mut buf = [0u8; 4];
        let differ: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| space.is_match(c.encode_utf8(&mut buf)) != c.is_whitespace())
            .collect();
        assert!(differ.is_empty(), "{differ:?}");
    }

    #[test]
    fn rejects_malformed_forms() {
        assert!(classify("RFC9999bis").is_err());
        assert!(classify("RFCxyz").is_err());
        let e = classify("draft-Acme_Proto-01").unwrap_err();
        assert_eq!(e.at, 6); // the `A`
        assert!(classify("https://").is_err());
        assert!(classify("https://acme example/spec").is_err());
        assert!(classify("https//acme.example").is_err());
    }
}
