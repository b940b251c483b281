//! `txt/`: DNS-SD TXT keys (RFC 6763 §6.3-§6.4).

use crate::diagnostic::Sink;
use crate::model::draft::Text;
use crate::rules::{inner_span, Check, EntryCx, Run};

pub const CHECKS: &[Check] = &[
    Check {
        id: "txt/key-empty",
        run: Run::Entry(key_empty),
    },
    Check {
        id: "txt/key-charset",
        run: Run::Entry(key_charset),
    },
    Check {
        id: "txt/key-host-port",
        run: Run::Entry(key_host_port),
    },
    Check {
        id: "txt/key-long",
        run: Run::Entry(key_long),
    },
    Check {
        id: "txt/key-duplicate",
        run: Run::Entry(key_duplicate),
    },
];

fn keys<'a>(cx: &EntryCx<'a>) -> impl Iterator<Item = &'a Text> {
    cx.entry.txt_keys.iter().flat_map(|k| &k.value)
}

fn key_empty(cx: &EntryCx<'_>, out: &mut Sink) {
    for k in keys(cx).filter(|k| k.value.is_empty()) {
        out.report("txt/key-empty", Some(k.span), "an empty TXT key")
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
                "txt/key-charset",
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
                "txt/key-host-port",
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
                "txt/key-long",
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
                "txt/key-duplicate",
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
