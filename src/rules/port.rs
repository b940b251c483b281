//! `port/`: the requested number or range (RFC 6335 §6, §8.1.2; RFC 7605 §6, §7.3).

use crate::diagnostic::{Fix, Sink};
use crate::fix::string_edit;
use crate::model::draft::{is_blank, PortValue};
use crate::model::reference::{classify, RefKind};
use crate::rules::{system_part, Check, EntryCx, Rule, Run};
use crate::source::{Span, Spanned};

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::PortInvalid,
        run: Run::Entry(invalid),
    },
    Check {
        rule: Rule::PortReserved,
        run: Run::Entry(reserved),
    },
    Check {
        rule: Rule::PortDynamic,
        run: Run::Entry(dynamic),
    },
    Check {
        rule: Rule::PortExperimental,
        run: Run::Entry(experimental),
    },
    Check {
        rule: Rule::PortSystem,
        run: Run::Entry(system),
    },
    Check {
        rule: Rule::PortSystemNonIetf,
        run: Run::Entry(system_non_ietf),
    },
    Check {
        rule: Rule::PortRangeUnjustified,
        run: Run::Entry(range_unjustified),
    },
];

fn port<'a>(cx: &EntryCx<'a>) -> Option<&'a Spanned<PortValue>> {
    cx.entry.port.as_ref()
}

/// `5` or `5-9`, for messages.
fn shown(p: &PortValue) -> String {
    match p.range() {
        Some((lo, hi)) if lo == hi => lo.to_string(),
        Some((lo, hi)) => format!("{lo}-{hi}"),
        None => String::new(),
    }
}

fn invalid(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = port(cx) else { return };
    if let PortValue::Invalid { text, reason } = &p.value {
        out.report(
            Rule::PortInvalid,
            Some(p.span),
            format!("`{text}` is not a valid port: {reason}"),
        )
        .label("not a port")
        .fix(invalid_fix(cx.text, p.span, text));
    }
}

/// The certain repairs of a port string: a reversed range (`"4880-4873"` -> `"4873-4880"`),
/// a one-port range (`"4873-4873"` -> `4873`) and a word in the wrong case (`"User"`).
fn invalid_fix(text: &str, span: Span, value: &str) -> Option<Fix> {
    let raw = text.get(span.start..span.end)?;
    if !(raw.starts_with('"') || raw.starts_with('\'')) {
        return None;
    }
    let t = value.trim();
    let string = |new: &str| {
        Fix::safe_edit(string_edit(
            text,
            &Spanned::new(value.to_string(), span),
            new,
        ))
    };
    let lower = t.to_ascii_lowercase();
    if lower == "user" || lower == "system" {
        return Some(string(&lower));
    }
    let (a, b) = t.split_once('-')?;
    let (lo, hi) = (a.trim().parse::<u16>().ok()?, b.trim().parse::<u16>().ok()?);
    match lo.cmp(&hi) {
        std::cmp::Ordering::Greater => Some(string(&format!("{hi}-{lo}"))),
        std::cmp::Ordering::Equal => Some(Fix::safe(span, lo.to_string())),
        std::cmp::Ordering::Less => None,
    }
}

fn reserved(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = port(cx) else { return };
    let Some((lo, hi)) = p.value.range() else {
        return;
    };
    let hits: Vec<String> = [0u16, 1023, 1024, 49151]
        .into_iter()
        .filter(|n| (lo..=hi).contains(n))
        .map(|n| n.to_string())
        .collect();
    if !hits.is_empty() {
        let what = if lo == hi {
            format!("port {lo} is Reserved")
        } else {
            let ports = match hits.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("ports {} and {last}", rest.join(", "))
                }
                _ => format!("port {}", hits.join("")),
            };
            format!("the range {} includes Reserved {ports}", shown(&p.value))
        };
        out.report(
            Rule::PortReserved,
            Some(p.span),
            format!("{what} and is never assigned"),
        )
        .label("Reserved by IANA (RFC 6335 §6)");
    }
}

fn dynamic(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = port(cx) else { return };
    let Some((lo, hi)) = p.value.range() else {
        return;
    };
    if hi >= 49152 {
        let what = if lo >= 49152 {
            format!(
                "port {} is in the Dynamic range 49152-65535",
                shown(&p.value)
            )
        } else {
            format!(
                "the range {} reaches into the Dynamic range 49152-65535",
                shown(&p.value)
            )
        };
        out.report(
            Rule::PortDynamic,
            Some(p.span),
            format!("{what}, which is never assigned"),
        )
        .label("Dynamic/Private port");
    }
}

fn experimental(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = port(cx) else { return };
    let Some((lo, hi)) = p.value.range() else {
        return;
    };
    let hits: Vec<(u16, &str)> = [(1021u16, "exp1"), (1022, "exp2")]
        .into_iter()
        .filter(|(n, _)| (lo..=hi).contains(n))
        .collect();
    // One finding for a range that holds both.
    let (message, label) = match hits.as_slice() {
        [] => return,
        [(n, name)] => (
            format!("port {n} is `{name}`, set aside for experiments on every transport (RFC 4727)"),
            format!("`{name}`"),
        ),
        _ => (
            "ports 1021 and 1022 are `exp1` and `exp2`, set aside for experiments on every transport (RFC 4727)".to_string(),
            "`exp1` and `exp2`".to_string(),
        ),
    };
    out.report(Rule::PortExperimental, Some(p.span), message)
        .label(label);
}

fn system(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = port(cx) else { return };
    let Some(first) = system_part(&p.value) else {
        return;
    };
    // A request from the IESG citing an IETF document is the procedure RFC 6335 §8.1.2
    // asks for System ports, not a problem.
    if from_iesg(cx) && has_ietf_reference(cx) {
        return;
    }
    // 1021/1022 are never assigned at all: port/experimental says so, louder.
    if p.value
        .range()
        .is_some_and(|(lo, hi)| lo >= 1021 && hi <= 1022)
    {
        return;
    }
    let it = if p.value.range().is_some_and(|(lo, hi)| lo != hi) {
        "them"
    } else {
        "it"
    };
    let what = match first {
        None => "a System port is requested".to_string(),
        Some(n) if p.value.range().is_some_and(|(lo, hi)| lo == hi) => {
            format!("port {n} is a System port (0-1023)")
        }
        Some(_) => format!(
            "the range {} includes System ports (0-1023)",
            shown(&p.value)
        ),
    };
    out.report(
        Rule::PortSystem,
        Some(p.span),
        format!("{what}; only IETF Review or IESG Approval can assign {it}"),
    )
    .label("System port");
}

/// Whether the assignee is the IESG (its registry id, or an inline person with its address).
fn from_iesg(cx: &EntryCx<'_>) -> bool {
    use crate::model::draft::{strip_brackets, PersonRef};
    match cx.entry.assignee.as_ref().map(|a| &a.value) {
        Some(PersonRef::Id(id)) => strip_brackets(id).eq_ignore_ascii_case("IESG"),
        Some(PersonRef::Inline(p)) => p
            .email
            .as_ref()
            .is_some_and(|e| e.value.trim().eq_ignore_ascii_case("iesg@ietf.org")),
        None => false,
    }
}

/// Whether any reference is an RFC or an IETF Internet-Draft.
pub fn has_ietf_reference(cx: &EntryCx<'_>) -> bool {
    cx.entry.references.iter().flat_map(|r| &r.value).any(|r| {
        matches!(
            classify(&r.value),
            Ok(RefKind::Rfc(_)) | Ok(RefKind::Draft { ietf: true, .. })
        )
    })
}

fn system_non_ietf(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = port(cx) else { return };
    if system_part(&p.value).is_none() || has_ietf_reference(cx) {
        return;
    }
    out.report(
        Rule::PortSystemNonIetf,
        Some(p.span),
        "System port requested without a reference to an RFC or an IETF Internet-Draft",
    )
    .label("System port")
    .help("only IESG Approval can grant a System port outside the IETF process (as for `rndc` 953/tcp in 2017); request a User port, or cite the IETF document");
}

fn range_unjustified(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = port(cx) else { return };
    if let PortValue::Range(lo, hi) = p.value {
        if is_blank(&cx.entry.justification.why_multiple_ports)
            && !cx.entry.answer_unreadable("why-multiple-ports")
        {
            out.report(
                Rule::PortRangeUnjustified,
                Some(p.span),
                format!(
                    "{} ports ({lo}-{hi}) requested without `why-multiple-ports`",
                    u32::from(hi) - u32::from(lo) + 1
                ),
            )
            .label("a range");
        }
    }
}
