//! `policy/`: expert-review guidance (RFC 7605; RFC 6335 §7.2, §9).

use crate::diagnostic::Sink;
use crate::model::draft::{is_blank, strip_brackets, PersonRef};
use crate::model::reference::{classify, RefKind};
use crate::rules::{Check, EntryCx, Run};

pub const CHECKS: &[Check] = &[
    Check {
        id: "policy/security-undeclared",
        run: Run::Entry(security_undeclared),
    },
    Check {
        id: "policy/versioning-undeclared",
        run: Run::Entry(versioning_undeclared),
    },
    Check {
        id: "policy/prefer-name-only",
        run: Run::Entry(prefer_name_only),
    },
    Check {
        id: "policy/secure-variant",
        run: Run::Entry(crate::rules::conflict::secure_variant),
    },
    Check {
        id: "policy/ietf-parties",
        run: Run::Entry(ietf_parties),
    },
];

fn security_undeclared(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    let j = &cx.entry.justification;
    let none = j
        .security
        .as_ref()
        .is_some_and(|s| s.value.trim().eq_ignore_ascii_case("none"));
    if is_blank(&j.security) || none {
        let span = match (&j.security, none) {
            (Some(s), true) => s.span,
            _ => p.span,
        };
        out.report(
            "policy/security-undeclared",
            Some(span),
            "a port is requested but no security mechanism is described",
        )
        .label(if none {
            "security: none"
        } else {
            "port requested"
        });
    }
}

fn versioning_undeclared(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    if is_blank(&cx.entry.justification.versioning) {
        out.report(
            "policy/versioning-undeclared",
            Some(p.span),
            "a port is requested but the draft does not say how future protocol versions will share it",
        )
        .label("port requested");
    }
}

fn prefer_name_only(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    let Some(d) = &cx.entry.justification.discovery else {
        return;
    };
    let v = d.value.trim().to_ascii_lowercase();
    if matches!(v.as_str(), "srv" | "dns-sd" | "dnssd") {
        out.report(
            "policy/prefer-name-only",
            Some(p.span),
            format!(
                "a port is requested although clients find it at run time through {}",
                d.value.trim()
            ),
        )
        .label("port requested")
        .secondary(d.span, "clients discover the port");
    }
}

fn ietf_parties(cx: &EntryCx<'_>, out: &mut Sink) {
    let ietf_ref = cx.entry.references.iter().flat_map(|r| &r.value).find(|r| {
        matches!(
            classify(&r.value),
            Ok(RefKind::Rfc(_)) | Ok(RefKind::Draft { ietf: true, .. })
        )
    });
    let Some(reference) = ietf_ref else { return };
    let is = |r: &Option<crate::source::Spanned<PersonRef>>, id: &str, email: &str| match r
        .as_ref()
        .map(|r| &r.value)
    {
        Some(PersonRef::Id(i)) => strip_brackets(i) == id,
        Some(PersonRef::Inline(p)) => p
            .email
            .as_ref()
            .is_some_and(|e| e.value.trim().eq_ignore_ascii_case(email)),
        None => true, // field/*-missing reports it
    };
    let assignee_ok = is(&cx.entry.assignee, "IESG", "iesg@ietf.org");
    let contact_ok = is(&cx.entry.contact, "IETF_Chair", "chair@ietf.org");
    if assignee_ok && contact_ok {
        return;
    }
    let (span, what) = if !assignee_ok {
        (
            cx.entry.assignee.as_ref().map(|a| a.span),
            "the assignee is not `IESG`",
        )
    } else {
        (
            cx.entry.contact.as_ref().map(|c| c.span),
            "the contact is not `IETF_Chair`",
        )
    };
    let f = out.report(
        "policy/ietf-parties",
        span,
        format!(
            "the reference `{}` is an IETF document but {what}",
            reference.value
        ),
    );
    f.label("expected IESG / IETF_Chair")
        .secondary(reference.span, "IETF reference");
    if !assignee_ok && !contact_ok {
        if let Some(c) = &cx.entry.contact {
            f.secondary(c.span, "and the contact is not `IETF_Chair`");
        }
    }
}
