//! `name/`: service-name syntax (RFC 6335 §5.1) and style (§5, RFC 7605 §7.5).

use crate::diagnostic::{Applicability, Fix, Sink};
use crate::fix::string_edit;
use crate::model::draft::Text;
use crate::rules::{inner_span, Check, EntryCx, Rule, Run};

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::NameMissing,
        run: Run::Entry(missing),
    },
    Check {
        rule: Rule::NameTooLong,
        run: Run::Entry(too_long),
    },
    Check {
        rule: Rule::NameInvalidChar,
        run: Run::Entry(invalid_char),
    },
    Check {
        rule: Rule::NameNoLetter,
        run: Run::Entry(no_letter),
    },
    Check {
        rule: Rule::NameHyphenEdge,
        run: Run::Entry(hyphen_edge),
    },
    Check {
        rule: Rule::NameDoubleHyphen,
        run: Run::Entry(double_hyphen),
    },
    Check {
        rule: Rule::NameSrvLabel,
        run: Run::Entry(srv_label),
    },
    Check {
        rule: Rule::NameRedundantWord,
        run: Run::Entry(redundant_word),
    },
    Check {
        rule: Rule::NameVersion,
        run: Run::Entry(version),
    },
    Check {
        rule: Rule::NameUppercase,
        run: Run::Entry(uppercase),
    },
];

/// The entry's name when it is present and non-empty.
fn name<'a>(cx: &EntryCx<'a>) -> Option<&'a Text> {
    cx.entry.name.as_ref().filter(|n| !n.value.is_empty())
}

/// The unsafe fix renaming the entry to `new` (a different name is a different request).
fn rename(cx: &EntryCx<'_>, n: &Text, new: &str) -> Option<Fix> {
    (!new.is_empty() && new != n.value).then(|| Fix {
        applicability: Applicability::Unsafe,
        edits: vec![string_edit(cx.text, n, new)],
    })
}

/// Hyphen-separated parts with their byte offsets.
fn parts(name: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    name.split('-').map(move |p| {
        let at = offset;
        offset += p.len() + 1;
        (at, p)
    })
}

fn missing(cx: &EntryCx<'_>, out: &mut Sink) {
    // A value of the wrong type is there, just wrong: draft/type reports it.
    if cx.entry.mistyped("name") {
        return;
    }
    match &cx.entry.name {
        None => {
            out.report(
                Rule::NameMissing,
                Some(cx.entry.span),
                "this entry has no service name",
            )
            .label("no `name` in this entry");
        }
        Some(n) if n.value.is_empty() => {
            out.report(Rule::NameMissing, Some(n.span), "the service name is empty")
                .label("empty name");
        }
        Some(_) => {}
    }
}

fn too_long(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(n) = name(cx) else { return };
    let len = n.value.chars().count();
    if len > 15 {
        let cut = n
            .value
            .char_indices()
            .nth(15)
            .map_or(n.value.len(), |(i, _)| i);
        out.report(
            Rule::NameTooLong,
            Some(n.span),
            format!(
                "service name `{}` is {len} characters; at most 15 are allowed",
                n.value
            ),
        )
        .label(format!("{len} characters"))
        .secondary(
            inner_span(cx.text, n, cut, n.value.len() - cut),
            match len - 15 {
                1 => "1 character past the limit".to_string(),
                n => format!("{n} characters past the limit"),
            },
        );
    }
}

fn invalid_char(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(n) = name(cx) else { return };
    // In an SRV label (`_acme-scan._tcp`) the underscores and dots are name/srv-label's
    // finding; only a bad character of the bare name inside it is one more mistake.
    let (from, to) = srv_bare(&n.value).unwrap_or((0, n.value.len()));
    let Some((i, c)) = n.value[from..to]
        .char_indices()
        .map(|(i, c)| (i + from, c))
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-'))
    else {
        return;
    };
    // A non-ASCII character is named by its code point: `–` and `-` look the same.
    let shown = if c.is_whitespace() || c.is_control() {
        format!("{c:?}")
    } else if !c.is_ascii() {
        format!("`{c}` (U+{:04X})", u32::from(c))
    } else {
        format!("`{c}`")
    };
    let srv_like = n.value.starts_with('_') || n.value.contains("._");
    // name/srv-label carries the fix for SRV labels.
    let fixed = hyphenated(&n.value).filter(|_| !srv_like);
    let help = if from > 0 || to < n.value.len() {
        match hyphenated(&n.value[from..to]) {
            Some(f) => format!("replace it with a hyphen in the bare name (`{f}`)"),
            None => "use only ASCII letters, digits and hyphens in the bare name".to_string(),
        }
    } else if srv_like {
        let bare = n.value.trim_start_matches('_');
        format!(
            "this is a DNS SRV label; register the bare name `{}`",
            bare.split("._").next().unwrap_or(bare)
        )
    } else if let (Some(fixed), true) = (&fixed, is_dash(c)) {
        format!("it looks like a hyphen but is not ASCII; write the ASCII hyphen `-` (`{fixed}`)")
    } else if let Some(fixed) = &fixed {
        format!("replace it with a hyphen (`{fixed}`), as IANA did for legacy names")
    } else if c == '_' || c == '.' || c == ' ' || c == '/' {
        "replace it with a hyphen, as IANA did for legacy names (and keep the name within 15 characters)".to_string()
    } else {
        "use only ASCII letters, digits and hyphens".to_string()
    };
    out.report(
        Rule::NameInvalidChar,
        Some(inner_span(cx.text, n, i, c.len_utf8())),
        format!(
            "service name `{}` contains {shown}; only ASCII letters, digits and hyphens are allowed",
            n.value
        ),
    )
    .label("not a letter, digit or hyphen")
    .help(help)
    .fix(fixed.and_then(|f| rename(cx, n, &f)));
}

/// Unicode dashes and minus signs that look like the ASCII hyphen.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' | '\u{00AD}'
    )
}

/// `_ . space /` and look-alike dashes replaced by hyphens, when that gives a valid RFC 6335
/// §5.1 name.
fn hyphenated(name: &str) -> Option<String> {
    let fixed: String = name
        .chars()
        .map(|c| if is_dash(c) { '-' } else { c })
        .collect();
    let fixed = fixed.replace(['_', '.', ' ', '/'], "-");
    let valid = (1..=15).contains(&fixed.len())
        && fixed.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && fixed.chars().any(|c| c.is_ascii_alphabetic())
        && !fixed.starts_with('-')
        && !fixed.ends_with('-')
        && !fixed.contains("--");
    valid.then_some(fixed)
}

fn no_letter(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(n) = name(cx) else { return };
    if !n.value.chars().any(|c| c.is_ascii_alphabetic()) {
        out.report(
            Rule::NameNoLetter,
            Some(n.span),
            format!(
                "service name `{}` has no letter and could be read as a port number or range",
                n.value
            ),
        )
        .label("no ASCII letter");
    }
}

fn hyphen_edge(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(n) = name(cx) else { return };
    let v = &n.value;
    let at = if v.starts_with('-') {
        Some((0, "begins"))
    } else if v.ends_with('-') {
        Some((v.len() - 1, "ends"))
    } else {
        None
    };
    if let Some((at, which)) = at {
        out.report(
            Rule::NameHyphenEdge,
            Some(inner_span(cx.text, n, at, 1)),
            format!("service name `{v}` {which} with a hyphen"),
        )
        .label("hyphen at the edge")
        .help(format!("remove it: `{}`", v.trim_matches('-')))
        .fix(rename(cx, n, v.trim_matches('-')));
    }
}

fn double_hyphen(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(n) = name(cx) else { return };
    if let Some(at) = n.value.find("--") {
        let run = n.value[at..].bytes().take_while(|&b| b == b'-').count();
        let mut fixed = n.value.clone();
        while fixed.contains("--") {
            fixed = fixed.replace("--", "-");
        }
        out.report(
            Rule::NameDoubleHyphen,
            Some(inner_span(cx.text, n, at, run)),
            format!("service name `{}` has adjacent hyphens", n.value),
        )
        .label("adjacent hyphens")
        .help(format!("use single hyphens between parts: `{fixed}`"))
        .fix(rename(cx, n, &fixed));
    }
}

/// For a name in DNS SRV label form (`_acme._tcp`, `acme._udp`), the byte range of the bare
/// name inside it.
fn srv_bare(name: &str) -> Option<(usize, usize)> {
    let v = name.to_ascii_lowercase();
    let proto = ["._tcp", "._udp", "._sctp", "._dccp"]
        .iter()
        .find_map(|p| v.find(p));
    if !(v.starts_with('_') || proto.is_some()) {
        return None;
    }
    let from = name.len() - name.trim_start_matches('_').len();
    let to = name[from..].find("._").map_or(name.len(), |i| i + from);
    Some((from, to))
}

fn srv_label(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(n) = name(cx) else { return };
    if srv_bare(&n.value).is_some() {
        let bare = n.value.trim_start_matches('_');
        let bare = bare.split("._").next().unwrap_or(bare);
        out.report(
            Rule::NameSrvLabel,
            Some(n.span),
            format!(
                "`{}` looks like a DNS SRV label, not a service name",
                n.value
            ),
        )
        .label("DNS label form")
        .help(format!(
            "register the bare name `{bare}`; the leading underscore and the `._tcp`/`._udp` label are added only in DNS"
        ))
        .fix(rename(cx, n, bare));
    }
}

fn redundant_word(cx: &EntryCx<'_>, out: &mut Sink) {
    const WORDS: [&str; 5] = ["port", "service", "svc", "protocol", "proto"];
    let Some(n) = name(cx) else { return };
    let parts: Vec<_> = parts(&n.value).collect();
    for &(at, part) in &parts {
        let lower = part.to_ascii_lowercase();
        // A transport word: the name covers every transport, so it says nothing (or the
        // wrong thing once another transport is added). Asked of requests only (a record
        // linted from a registry has no draft file): IANA has approved such names since 2011
        // (`hncp-udp-port`), and a fork's records follow them.
        let request = cx.draft.file.is_some();
        let transport = request && crate::model::Transport::parse(&lower).is_some();
        if WORDS.contains(&lower.as_str()) || transport {
            let rest: Vec<&str> = parts
                .iter()
                .filter(|(a, _)| *a != at)
                .map(|(_, p)| *p)
                .collect();
            let f = out.report(
                Rule::NameRedundantWord,
                Some(inner_span(cx.text, n, at, part.len())),
                if transport {
                    format!(
                        "service name `{}` contains the transport `{part}`; a service name covers every transport",
                        n.value
                    )
                } else {
                    format!(
                        "service name `{}` contains `{part}`, which adds nothing in this registry",
                        n.value
                    )
                },
            );
            f.label("redundant word");
            if !rest.is_empty() {
                let why = if transport {
                    "the registration lists its transports"
                } else {
                    "every entry names a service on a port"
                };
                f.help(format!("{why}; drop the word: `{}`", rest.join("-")))
                    .fix(rename(cx, n, &rest.join("-")));
            }
        }
    }
}

fn is_version_part(part: &str) -> bool {
    let p = part.to_ascii_lowercase();
    let digits_after = |prefix: &str| {
        p.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        })
    };
    p == "version"
        || p == "ver"
        || digits_after("version")
        || digits_after("ver")
        || digits_after("v")
}

fn version(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(n) = name(cx) else { return };
    let all: Vec<(usize, &str)> = parts(&n.value).collect();
    for &(at, part) in &all {
        if is_version_part(part) {
            let rest: Vec<&str> = all
                .iter()
                .filter(|(a, _)| *a != at)
                .map(|(_, p)| *p)
                .collect();
            out.report(
                Rule::NameVersion,
                Some(inner_span(cx.text, n, at, part.len())),
                format!(
                    "service name `{}` appears to encode a protocol version (`{part}`)",
                    n.value
                ),
            )
            .label("version")
            .fix(rename(cx, n, &rest.join("-")));
        }
    }
}

fn uppercase(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(n) = name(cx) else { return };
    if n.value.chars().any(|c| c.is_ascii_uppercase()) {
        let lower = n.value.to_ascii_lowercase();
        out.report(
            Rule::NameUppercase,
            Some(n.span),
            format!(
                "service name `{}` has upper-case letters; names compare case-insensitively",
                n.value
            ),
        )
        .label("upper case")
        .help(format!(
            "fine to keep for readability, but `{lower}` and `{}` are the same name",
            n.value
        ))
        .fix(rename(cx, n, &lower));
    }
}

/// The first way `name` breaks RFC 6335 §5.1, if any (the `registry/legacy-name` check and
/// the name rules agree on this).
pub fn section_5_1_problem(name: &str) -> Option<&'static str> {
    // Bytes rather than characters: a name of at most 15 bytes has at most 15 characters,
    // and past the third test the name is ASCII. (Run on 117,000 legacy names of a large
    // registry, where `contains("--")` alone cost more than the rest.)
    let b = name.as_bytes();
    if b.is_empty() {
        Some("it is empty")
    } else if b.len() > 15 && name.chars().count() > 15 {
        Some("it is longer than 15 characters")
    } else if !b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-') {
        Some("it has characters other than ASCII letters, digits and hyphens")
    } else if !b.iter().any(u8::is_ascii_alphabetic) {
        Some("it has no letter")
    } else if b.first() == Some(&b'-') || b.last() == Some(&b'-') {
        Some("it begins or ends with a hyphen")
    } else if b.windows(2).any(|w| w == b"--") {
        Some("it has adjacent hyphens")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::is_version_part;

    #[test]
    fn version_parts() {
        for yes in ["v2", "V10", "ver2", "ver", "version", "version3", "v1.1"] {
            assert!(is_version_part(yes), "{yes}");
        }
        for no in ["v", "vnc", "over", "verbose", "2", "versions", "dev2"] {
            assert!(!is_version_part(no), "{no}");
        }
    }
}
