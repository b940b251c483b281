//! `txt/`: DNS-SD TXT keys (RFC 6763 §6.3-§6.4).

use crate::diagnostic::Sink;
use crate::model::draft::Text;
use crate::rules::{inner_span, Check, EntryCx, Rule, Run};

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::TxtKeyEmpty,
        run: Run::Entry(key_empty),
    },
    Check {
        rule: Rule::TxtKeyCharset,
        run: Run::Entry(key_charset),
    },
    Check {
        rule: Rule::TxtKeyHostPort,
        run: Run::Entry(key_host_port),
    },
    Check {
        rule: Rule::TxtKeyLong,
        run: Run::Entry(key_long),
    },
    Check {
        rule: Rule::TxtKeyDuplicate,
        run: Run::Entry(key_duplicate),
    },
];

fn keys<'a>(cx: &EntryCx<'a>) -> impl Iterator<Item = &'a Text> {
    cx.entry.txt_keys.iter().flat_map(|k| &k.value)
}

fn key_empty(cx: &EntryCx<'_>, out: &mut Sink) {
    for k in keys(cx).filter(|k| k.value.is_empty()) {
        out.report(Rule::TxtKeyEmpty, Some(k.span), "an empty TXT key")
            .label("empty key");
    }
}

fn key_charset(cx: &EntryCx<'_>, out: &mut Sink) {
    for k in keys(cx) {
        if let Some((i, c)) = k
            .value
            .char_indices()
            .find(|(_, c)| !(' '..='~').contains(c) || *c == '=')
        {
            let why = if c == '=' {
                "`=` separates a key from its value".to_string()
            } else {
                format!("{c:?} is not printable US-ASCII")
            };
            out.report(
                Rule::TxtKeyCharset,
                Some(inner_span(cx.text, k, i, c.len_utf8())),
                format!(
                    "TXT key `{}` has a character keys cannot contain: {why}",
                    k.value.escape_debug()
                ),
            )
            .label("not allowed in a TXT key");
        }
    }
}

fn key_host_port(cx: &EntryCx<'_>, out: &mut Sink) {
    for k in keys(cx) {
        let lower = k.value.to_ascii_lowercase();
        if ["port", "host", "hostname", "target"].contains(&lower.as_str()) {
            out.report(
                Rule::TxtKeyHostPort,
                Some(k.span),
                format!(
                    "TXT key `{}` repeats what the SRV record already says",
                    k.value
                ),
            )
            .label("SRV carries the target host and port");
        }
    }
}

fn key_long(cx: &EntryCx<'_>, out: &mut Sink) {
    for k in keys(cx) {
        let len = k.value.chars().count();
        if len > 9 {
            out.report(
                Rule::TxtKeyLong,
                Some(k.span),
                format!(
                    "TXT key `{}` is {len} characters; keep keys to 9 or fewer",
                    k.value
                ),
            )
            .label(format!("{len} characters"));
        }
    }
}

fn key_duplicate(cx: &EntryCx<'_>, out: &mut Sink) {
    let all: Vec<&Text> = keys(cx).collect();
    for (i, k) in all.iter().enumerate() {
        if let Some(first) = all[..i]
            .iter()
            .find(|f| f.value.eq_ignore_ascii_case(&k.value))
        {
            out.report(
                Rule::TxtKeyDuplicate,
                Some(k.span),
                format!(
                    "TXT key `{}` is defined twice (keys compare case-insensitively)",
                    k.value
                ),
            )
            .label("defined again here")
            .secondary(first.span, "first defined here");
        }
    }
}
