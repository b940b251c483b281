//! `sc/`: DCCP service codes (RFC 6335 §8.1.1; RFC 4340 §8.1.2, §19.8; RFC 5595 §2).

use crate::diagnostic::Sink;
use crate::model::draft::Text;
use crate::model::service_code::{as_sc_text, is_private_use, parse, MAX_VALID};
use crate::model::Transport;
use crate::rules::{Check, EntryCx, Rule, Run};

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::ScMissing,
        run: Run::Entry(missing),
    },
    Check {
        rule: Rule::ScUnexpected,
        run: Run::Entry(unexpected),
    },
    Check {
        rule: Rule::ScSyntax,
        run: Run::Entry(syntax),
    },
    Check {
        rule: Rule::ScZero,
        run: Run::Entry(zero),
    },
    Check {
        rule: Rule::ScInvalidValue,
        run: Run::Entry(invalid_value),
    },
    Check {
        rule: Rule::ScPrivateUse,
        run: Run::Entry(private_use),
    },
    Check {
        rule: Rule::ScNotAscii,
        run: Run::Entry(not_ascii),
    },
    Check {
        rule: Rule::ScSpecRequired,
        run: Run::Entry(spec_required),
    },
    Check {
        rule: Rule::ScTooMany,
        run: Run::Entry(too_many),
    },
];

fn has_dccp(cx: &EntryCx<'_>) -> bool {
    cx.entry.known_transports().contains(&Transport::Dccp)
}

/// Every code of the entry (`service-code` may be an array).
pub(crate) fn codes<'a>(cx: &EntryCx<'a>) -> impl Iterator<Item = &'a Text> + 'a {
    let list = cx.entry.service_codes.as_ref().map(|c| c.value.as_slice());
    let one = match list {
        Some(_) => None,
        None => cx.entry.service_code.as_ref(),
    };
    list.unwrap_or(&[]).iter().chain(one)
}

/// The parsed values of the codes whose notation is valid.
fn values<'a>(cx: &EntryCx<'a>) -> impl Iterator<Item = (u128, &'a Text)> + 'a {
    codes(cx).filter_map(|sc| parse(&sc.value).ok().map(|v| (v, sc)))
}

fn missing(cx: &EntryCx<'_>, out: &mut Sink) {
    if !has_dccp(cx) || cx.entry.service_code.is_some() {
        return;
    }
    let dccp = cx
        .entry
        .transports
        .iter()
        .flat_map(|t| &t.value)
        .find(|t| t.value == "dccp")
        .map(|t| t.span);
    out.report(
        Rule::ScMissing,
        dccp.or(Some(cx.entry.span)),
        "DCCP is requested but no `service-code` is given",
    )
    .label("DCCP needs a service code");
}

fn unexpected(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(sc) = &cx.entry.service_code else {
        return;
    };
    if !has_dccp(cx) {
        out.report(
            Rule::ScUnexpected,
            Some(sc.span),
            "a `service-code` is given but `dccp` is not among the transports",
        )
        .label("only DCCP has service codes");
    }
}

fn syntax(cx: &EntryCx<'_>, out: &mut Sink) {
    for sc in codes(cx) {
        let Err(e) = parse(&sc.value) else { continue };
        out.report(
            Rule::ScSyntax,
            Some(sc.span),
            format!("`{}` is not a service code: {}", sc.value, e.0),
        )
        .label("not decimal, SC=…, SC=x… or SC:…");
    }
}

fn zero(cx: &EntryCx<'_>, out: &mut Sink) {
    for (_, sc) in values(cx).filter(|(v, _)| *v == 0) {
        out.report(
            Rule::ScZero,
            Some(sc.span),
            "service code 0 means \"no service code\" and is never allocated",
        )
        .label("0");
    }
}

fn invalid_value(cx: &EntryCx<'_>, out: &mut Sink) {
    for (v, sc) in values(cx).filter(|(v, _)| *v > MAX_VALID) {
        let what = if v == 4_294_967_295 {
            "4294967295 is the invalid service code".to_string()
        } else {
            format!("`{}` does not fit in 32 bits", sc.value)
        };
        out.report(
            Rule::ScInvalidValue,
            Some(sc.span),
            format!("{what}; valid codes are 1-4294967294"),
        )
        .label("out of range");
    }
}

fn private_use(cx: &EntryCx<'_>, out: &mut Sink) {
    for (v, sc) in values(cx).filter(|(v, _)| u32::try_from(*v).is_ok_and(is_private_use)) {
        out.report(
            Rule::ScPrivateUse,
            Some(sc.span),
            format!("service code {v} (0x{v:08X}) is in the Private Use block (first byte `?`)"),
        )
        .label("Private Use");
    }
}

fn not_ascii(cx: &EntryCx<'_>, out: &mut Sink) {
    for (v, sc) in values(cx) {
        let Ok(v32) = u32::try_from(v) else { continue };
        if v32 == 0 || v > MAX_VALID || as_sc_text(v32).is_some() {
            continue;
        }
        out.report(
            Rule::ScNotAscii,
            Some(sc.span),
            format!("service code {v} (0x{v32:08X}) cannot be written in `SC:` form"),
        )
        .label("no SC: text form");
    }
}

/// Whether the entry cites a specification: an RFC, an Internet-Draft or a URL (free text
/// is not a "permanent and readily available" specification, RFC 8126 §4.6).
fn cites_specification(cx: &EntryCx<'_>) -> bool {
    use crate::model::reference::{classify, RefKind};
    cx.entry.references.iter().flat_map(|r| &r.value).any(|r| {
        matches!(
            classify(&r.value),
            Ok(RefKind::Rfc(_) | RefKind::Draft { .. } | RefKind::Uri)
        )
    })
}

fn spec_required(cx: &EntryCx<'_>, out: &mut Sink) {
    use crate::model::service_code::{class, describe, ScClass};
    if cx.entry.mistyped("reference") || cites_specification(cx) {
        return;
    }
    for (v, sc) in values(cx) {
        let Ok(v32) = u32::try_from(v) else { continue };
        if class(v32) != ScClass::SpecificationRequired {
            continue;
        }
        let f = out.report(
            Rule::ScSpecRequired,
            Some(sc.span),
            format!(
                "service code {} is made only of digits, capitals, space, `-`, `.` and `/`, so \
                 IANA allocates it only with a specification, and the entry cites none",
                describe(v32)
            ),
        );
        f.label("Specification Required");
        if let Some(r) = &cx.entry.references {
            f.secondary(r.span, "not an RFC, an Internet-Draft or a URL");
        }
    }
}

/// More than this many codes for one entry needs expert review (RFC 6335 §10.3.1).
const MAX_CODES_WITHOUT_REVIEW: usize = 5;

fn too_many(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(list) = &cx.entry.service_codes else {
        return;
    };
    let n = list.value.len();
    if n <= MAX_CODES_WITHOUT_REVIEW {
        return;
    }
    let f = out.report(
        Rule::ScTooMany,
        Some(list.span),
        format!(
            "{n} service codes are requested; IANA asks the expert to review a request for more \
             than {MAX_CODES_WITHOUT_REVIEW}"
        ),
    );
    f.label(format!("{n} codes"));
    if let Some(sixth) = list.value.get(MAX_CODES_WITHOUT_REVIEW) {
        f.secondary(sixth.span, "the sixth");
    }
}
