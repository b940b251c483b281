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
        rule: Rule::PolicyUnauthorizedUse,
        run: Run::Entry(unauthorized_use),
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
    if cx.entry.answer_unreadable("security") {
        return;
    }
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
    if cx.entry.answer_unreadable("versioning") {
        return;
    }
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

/// Whether a person reference is the given registry id, or an inline person with that email.
fn person_is(r: &Option<crate::source::Spanned<PersonRef>>, id: &str, email: &str) -> Option<bool> {
    match r.as_ref().map(|r| &r.value) {
        Some(PersonRef::Id(i)) => Some(strip_brackets(i) == id),
        Some(PersonRef::Inline(p)) => Some(
            p.email
                .as_ref()
                .is_some_and(|e| e.value.trim().eq_ignore_ascii_case(email)),
        ),
        None => None, // field/*-missing reports it
    }
}

fn ietf_parties(cx: &EntryCx<'_>, out: &mut Sink) {
    let refs = || cx.entry.references.iter().flat_map(|r| &r.value);
    // A `draft-ietf-` document is certainly the IETF's; an RFC may be cited as background
    // by a vendor, so alone it only counts when one party is already the IETF's.
    let ietf_draft =
        refs().find(|r| matches!(classify(&r.value), Ok(RefKind::Draft { ietf: true, .. })));
    let rfc = refs().find(|r| matches!(classify(&r.value), Ok(RefKind::Rfc(_))));
    let assignee = person_is(&cx.entry.assignee, "IESG", "iesg@ietf.org");
    let contact = person_is(&cx.entry.contact, "IETF_Chair", "chair@ietf.org");
    let (assignee_ok, contact_ok) = (assignee.unwrap_or(true), contact.unwrap_or(true));
    if assignee_ok && contact_ok {
        return;
    }
    let (reference, certain) = match (ietf_draft, rfc) {
        (Some(d), _) => (d, true),
        (None, Some(r)) if assignee == Some(true) || contact == Some(true) => (r, false),
        _ => return,
    };
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
    let message = if certain {
        format!(
            "the reference `{}` is an IETF working-group Internet-Draft but {what}",
            reference.value
        )
    } else {
        let other = if assignee == Some(true) {
            "the assignee is `IESG`"
        } else {
            "the contact is `IETF_Chair`"
        };
        format!(
            "{other}, so `{}` is taken as the IETF specification of this service, but {what}",
            reference.value
        )
    };
    let f = out.report(Rule::PolicyIetfParties, span, message);
    f.label("expected IESG / IETF_Chair").secondary(
        reference.span,
        if certain {
            "IETF Internet-Draft"
        } else {
            "IETF reference"
        },
    );
    if !assignee_ok && !contact_ok {
        if let Some(c) = &cx.entry.contact {
            f.secondary(c.span, "and the contact is not `IETF_Chair`");
        }
    }
}

/// `policy/secure-variant`: the name is a registered name plus `s`, `-s`, `-tls` or `-ssl`,
/// or the reverse.
pub fn secure_variant(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some((name, other, r, secure)) = secure_pair(cx) else {
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

/// The registered name that `policy/secure-variant` pairs this entry's name with (lower
/// case), its first record, and whether this entry is the secure one. Only for a new
/// registration that asks for a port: the concern of RFC 7605 §7.4 is a second *port*, and
/// an `extend` adds to a service that exists already.
pub(crate) fn secure_pair<'a>(
    cx: &EntryCx<'a>,
) -> Option<(&'a crate::model::draft::Text, String, &'a Record, bool)> {
    const SUFFIXES: [&str; 4] = ["-tls", "-ssl", "-s", "s"];
    let (Some(registry), Some(name)) = (view(cx), &cx.entry.name) else {
        return None;
    };
    if name.value.is_empty() || cx.entry.port.is_none() || cx.entry.is_extend() {
        return None;
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
    found.map(|(other, r, secure)| (name, other, r, secure))
}

/// A requested number on a requested transport with known unauthorized uses (a record's
/// `<unauthorized>` text; the numbers it names, else all of the record's).
fn unauthorized_use(cx: &EntryCx<'_>, out: &mut Sink) {
    use crate::rules::conflict::{more_records, note, places_by_transport, MAX_RELATED};
    let (Some(registry), Some(port)) = (view(cx), &cx.entry.port) else {
        return;
    };
    if !cx.entry.asks_for_number() {
        return;
    }
    let Some((lo, hi)) = port.value.range() else {
        return;
    };
    let own = cx.entry.name_str().map(str::to_ascii_lowercase);
    // One finding per entry, however many numbers of a range are affected.
    let mut numbers = Vec::new();
    let mut records: Vec<&crate::registry::Record> = Vec::new();
    for t in cx.entry.known_transports() {
        for p in lo..=hi {
            for r in registry.records_at(t, p) {
                // The entry's own registration (an extension) is not squatted on by itself.
                if r.name.as_deref().map(str::to_ascii_lowercase) == own && own.is_some() {
                    continue;
                }
                let hit = crate::registry::unauthorized_numbers(r)
                    .iter()
                    .any(|n| n.contains(p));
                if !hit {
                    continue;
                }
                note(&mut numbers, t, std::iter::once(p));
                if !records.iter().any(|x| x.index == r.index) {
                    records.push(r);
                }
            }
        }
    }
    let Some(first) = records.first() else { return };
    let quoted = |r: &crate::registry::Record| {
        let text = r.unauthorized.as_deref().unwrap_or("").trim();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let single = numbers.iter().map(|(_, n)| n.len()).sum::<usize>() == 1;
    let message = if records.len() == 1 {
        format!(
            "{} {} known unauthorized uses: the registry notes \"{}\"; software already squatting on {} will collide with the new service",
            places_by_transport(&numbers),
            if single { "has" } else { "have" },
            quoted(first),
            if single { "it" } else { "them" }
        )
    } else {
        let named: Vec<String> = records
            .iter()
            .take(MAX_RELATED)
            .map(|r| format!("\"{}\" ({})", quoted(r), record_place(r)))
            .collect();
        format!(
            "{} have known unauthorized uses: the registry notes {}{}; software already squatting on them will collide with the new service",
            places_by_transport(&numbers),
            named.join(", "),
            more_records(records.len(), named.len())
        )
    };
    let transports: Vec<&str> = numbers.iter().map(|(t, _)| t.as_str()).collect();
    let f = out.report(Rule::PolicyUnauthorizedUse, Some(port.span), message);
    f.label(format!(
        "unauthorized use known on {}",
        transports.join(" and ")
    ));
    for r in records.iter().take(MAX_RELATED) {
        f.related_record(
            r.index,
            RecordField::Number,
            format!("noted on {}", record_place(r)),
        );
    }
}
