//! `policy/`: expert-review guidance (RFC 7605; RFC 6335 §7.2, §9).

use crate::diagnostic::RecordField;
use crate::diagnostic::Sink;
use crate::model::draft::{is_blank, strip_brackets, PersonRef};
use crate::model::reference::{classify, RefKind};
use crate::registry::Record;
use crate::rules::view::{record_place, view};
use crate::rules::{Check, EntryCx, Rule, Run};

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::PolicySecurityUndeclared,
        run: Run::Entry(security_undeclared),
    },
    Check {
        rule: Rule::PolicyVersioningUndeclared,
        run: Run::Entry(versioning_undeclared),
    },
    Check {
        rule: Rule::PolicyPreferNameOnly,
        run: Run::Entry(prefer_name_only),
    },
    Check {
        rule: Rule::PolicySecureVariant,
        run: Run::Entry(secure_variant),
    },
    Check {
        rule: Rule::PolicyIetfParties,
        run: Run::Entry(ietf_parties),
    },
    Check {
        rule: Rule::PolicyUdpDiscoveryPort,
        run: Run::Entry(crate::rules::questions::udp_discovery_port),
    },
    Check {
        rule: Rule::PolicyPartyHasPort,
        run: Run::Entry(crate::rules::refusals::party_has_port),
    },
    Check {
        rule: Rule::PolicyHttpBased,
        run: Run::Entry(crate::rules::refusals::http_based),
    },
    Check {
        rule: Rule::PolicyLocalhostOnly,
        run: Run::Entry(crate::rules::refusals::localhost_only),
    },
    Check {
        rule: Rule::PolicyEarlyDevelopment,
        run: Run::Entry(crate::rules::refusals::early_development),
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
            Rule::PolicySecurityUndeclared,
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
            Rule::PolicyVersioningUndeclared,
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
            Rule::PolicyPreferNameOnly,
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
        Rule::PolicyIetfParties,
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

/// `policy/secure-variant`: the name is a registered name plus `s`, `-s`, `-tls` or `-ssl`,
/// or the reverse.
pub fn secure_variant(cx: &EntryCx<'_>, out: &mut Sink) {
    const SUFFIXES: [&str; 4] = ["-tls", "-ssl", "-s", "s"];
    let (Some(registry), Some(name)) = (view(cx), &cx.entry.name) else {
        return;
    };
    if name.value.is_empty() {
        return;
    }
    let lower = name.value.to_ascii_lowercase();
    let mut found: Option<(String, &Record, bool)> = None;
    for suffix in SUFFIXES {
        // This name is an existing name plus a suffix: a secure variant of it.
        if let Some(base) = lower.strip_suffix(suffix).filter(|b| b.len() >= 2) {
            if let Some(r) = registry.records_named(base).next() {
                found = Some((base.to_string(), r, true));
                break;
            }
        }
        // An existing name is this name plus a suffix: this is the insecure variant.
        let longer = format!("{lower}{suffix}");
        if let Some(r) = registry.records_named(&longer).next() {
            found = Some((longer, r, false));
            break;
        }
    }
    let Some((other, r, secure)) = found else {
        return;
    };
    let shown = r.name.as_deref().unwrap_or(&other);
    let msg = if secure {
        format!("`{}` looks like a secure variant of registered `{shown}`; a separate port for it is discouraged", name.value)
    } else {
        format!("`{}` looks like the insecure variant of registered `{shown}`; a separate port for it is discouraged", name.value)
    };
    out.report(Rule::PolicySecureVariant, Some(name.span), msg)
        .label("secure/insecure pair")
        .related_record(
            r.index,
            RecordField::Name,
            format!("`{shown}` registered as {}", record_place(r)),
        );
}
