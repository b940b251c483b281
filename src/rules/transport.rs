//! `transport/`: the transport list (RFC 6335 §8.1.1, §7.2; RFC 7605 §7.6).

use crate::diagnostic::{Fix, Sink};
use crate::fix::string_edit;
use crate::model::draft::is_blank;
use crate::model::Transport;
use crate::read::keys::suggest;
use crate::rules::{Check, EntryCx, Rule, Run};

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::TransportMissing,
        run: Run::Entry(missing),
    },
    Check {
        rule: Rule::TransportUnknown,
        run: Run::Entry(unknown),
    },
    Check {
        rule: Rule::TransportDuplicate,
        run: Run::Entry(duplicate),
    },
    Check {
        rule: Rule::TransportMultipleUnjustified,
        run: Run::Entry(multiple_unjustified),
    },
];

fn missing(cx: &EntryCx<'_>, out: &mut Sink) {
    // A value of the wrong type is there, just wrong: draft/type reports it.
    if cx.entry.mistyped("transport") {
        return;
    }
    match &cx.entry.transports {
        None => {
            out.report(
                Rule::TransportMissing,
                Some(cx.entry.span),
                "this entry names no transport protocol",
            )
            .label("no `transport` in this entry");
        }
        Some(t) if t.value.is_empty() => {
            out.report(
                Rule::TransportMissing,
                Some(t.span),
                "the transport list is empty",
            )
            .label("empty list");
        }
        Some(_) => {}
    }
}

fn unknown(cx: &EntryCx<'_>, out: &mut Sink) {
    const NAMES: [&str; 4] = ["tcp", "udp", "sctp", "dccp"];
    for t in cx.entry.transports.iter().flat_map(|t| &t.value) {
        if Transport::parse(&t.value).is_some() {
            continue;
        }
        let lower = t.value.trim().to_ascii_lowercase();
        let carrier = match lower.as_str() {
            "udplite" | "udp-lite" | "quic" | "dtls" | "rtp" => Some("udp"),
            "tls" | "http" | "https" | "ssl" => Some("tcp"),
            _ => None,
        };
        let hint = carrier.or_else(|| suggest(&lower, &NAMES));
        let f = out.report(
            Rule::TransportUnknown,
            Some(t.span),
            format!(
                "`{}` is not a transport this registry assigns numbers for",
                t.value
            ),
        );
        // A typo or the wrong case has one certain replacement; a protocol name (`quic`) is
        // only a hint at the transport it runs over.
        if let Some(h) = hint.filter(|_| carrier.is_none()) {
            f.fix(Fix::safe_edit(string_edit(cx.text, t, h)));
        }
        match hint {
            Some(h) if h == lower => {
                f.label(format!("write `{h}` in lower case"));
                f.help(format!(
                    "write `{h}`; transports are lower-case: tcp, udp, sctp or dccp"
                ));
            }
            Some(h) if carrier.is_some() => {
                f.label(format!("did you mean `{h}`?"));
                f.help(format!(
                    "use tcp, udp, sctp or dccp; `{}` runs over `{h}`, so register `{h}`",
                    t.value
                ));
            }
            Some(h) => {
                f.label(format!("did you mean `{h}`?"));
                f.help("use tcp, udp, sctp or dccp");
            }
            None => {
                f.label("not tcp, udp, sctp or dccp");
            }
        }
    }
}

fn duplicate(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(list) = &cx.entry.transports else {
        return;
    };
    for (i, t) in list.value.iter().enumerate() {
        if let Some(first) = list.value[..i].iter().find(|u| u.value == t.value) {
            out.report(
                Rule::TransportDuplicate,
                Some(t.span),
                format!("`{}` is listed more than once", t.value),
            )
            .label("listed again here")
            .secondary(first.span, "first listed here");
        }
    }
}

fn multiple_unjustified(cx: &EntryCx<'_>, out: &mut Sink) {
    // The question is why each transport needs the port; a name-only request takes none.
    if cx.entry.port.is_none() || cx.entry.answer_unreadable("why-multiple-transports") {
        return;
    }
    let known = cx.entry.known_transports();
    let Some(list) = &cx.entry.transports else {
        return;
    };
    if known.len() > 1 && is_blank(&cx.entry.justification.why_multiple_transports) {
        let names: Vec<_> = known.iter().map(|t| t.as_str()).collect();
        out.report(
            Rule::TransportMultipleUnjustified,
            Some(list.span),
            format!(
                "{} requested without saying why each is needed",
                names.join(" and ")
            ),
        )
        .label(format!("{} transports", known.len()));
    }
}
