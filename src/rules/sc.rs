//! `sc/`: DCCP service codes (RFC 6335 §8.1.1; RFC 4340 §8.1.2, §19.8; RFC 5595 §2).

use crate::diagnostic::Sink;
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
];

fn has_dccp(cx: &EntryCx<'_>) -> bool {
    cx.entry.known_transports().contains(&Transport::Dccp)
}

/// The parsed value, when the notation is valid.
fn value<'a>(cx: &EntryCx<'a>) -> Option<(u128, &'a crate::model::draft::Text)> {
    let sc = cx.entry.service_code.as_ref()?;
    parse(&sc.value).ok().map(|v| (v, sc))
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
    let Some(sc) = &cx.entry.service_code else {
        return;
    };
    if let Err(e) = parse(&sc.value) {
        out.report(
            Rule::ScSyntax,
            Some(sc.span),
            format!("`{}` is not a service code: {}", sc.value, e.0),
        )
        .label("not decimal, SC=…, SC=x… or SC:…");
    }
}

fn zero(cx: &EntryCx<'_>, out: &mut Sink) {
    if let Some((0, sc)) = value(cx) {
        out.report(
            Rule::ScZero,
            Some(sc.span),
            "service code 0 means \"no service code\" and is never allocated",
        )
        .label("0");
    }
}

fn invalid_value(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some((v, sc)) = value(cx) else { return };
    if v > MAX_VALID {
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
    let Some((v, sc)) = value(cx) else { return };
    if u32::try_from(v).is_ok_and(is_private_use) {
        out.report(
            Rule::ScPrivateUse,
            Some(sc.span),
            format!("service code {v} (0x{v:08X}) is in the Private Use block (first byte `?`)"),
        )
        .label("Private Use");
    }
}

fn not_ascii(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some((v, sc)) = value(cx) else { return };
    let Ok(v32) = u32::try_from(v) else { return };
    if v32 != 0 && v <= MAX_VALID && as_sc_text(v32).is_none() {
        out.report(
            Rule::ScNotAscii,
            Some(sc.span),
            format!("service code {v} (0x{v32:08X}) cannot be written in `SC:` form"),
        )
        .label("no SC: text form");
    }
}
