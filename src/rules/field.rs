//! `field/`: the registration template's required fields and their content (RFC 6335 §8.1.1).

use crate::diagnostic::Finding;
use crate::diagnostic::Sink;
use crate::model::draft::{is_blank, Cast, Person, PersonRef};
use crate::model::reference::classify;
use crate::rules::{inner_span, system_part, Check, EntryCx, FileCx, RegistryCx, Rule, Run};
use crate::source::Span;

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::FieldDescriptionMissing,
        run: Run::Entry(description_missing),
    },
    Check {
        rule: Rule::FieldAssigneeMissing,
        run: Run::Entry(assignee_missing),
    },
    Check {
        rule: Rule::FieldContactMissing,
        run: Run::Entry(contact_missing),
    },
    Check {
        rule: Rule::FieldPersonIncomplete,
        run: Run::Entry(person_incomplete),
    },
    Check {
        rule: Rule::FieldPersonIncomplete,
        run: Run::File(people_incomplete),
    },
    Check {
        rule: Rule::FieldEmailInvalid,
        run: Run::Entry(email_invalid),
    },
    Check {
        rule: Rule::FieldEmailInvalid,
        run: Run::Registry(registry_people_email_invalid),
    },
    Check {
        rule: Rule::FieldEmailInvalid,
        run: Run::File(people_email_invalid),
    },
    Check {
        rule: Rule::FieldReferenceMissing,
        run: Run::Entry(reference_missing),
    },
    Check {
        rule: Rule::FieldReferenceInvalid,
        run: Run::Entry(reference_invalid),
    },
    Check {
        rule: Rule::FieldWhyNotDynamicMissing,
        run: Run::Entry(why_not_dynamic_missing),
    },
    Check {
        rule: Rule::FieldWhyNotUserMissing,
        run: Run::Entry(why_not_user_missing),
    },
    Check {
        rule: Rule::FieldCastMissing,
        run: Run::Entry(cast_missing),
    },
    Check {
        rule: Rule::FieldDescriptionLong,
        run: Run::Entry(description_long),
    },
    Check {
        rule: Rule::FieldUdpCongestionMissing,
        run: Run::Entry(crate::rules::questions::udp_congestion_missing),
    },
    Check {
        rule: Rule::FieldUdpDiscoveryOnlyMissing,
        run: Run::Entry(crate::rules::questions::udp_discovery_only_missing),
    },
    Check {
        rule: Rule::FieldWhyNotExistingPortMissing,
        run: Run::Entry(crate::rules::questions::why_not_existing_port_missing),
    },
    Check {
        rule: Rule::FieldDevelopmentStateMissing,
        run: Run::Entry(crate::rules::questions::development_state_missing),
    },
    Check {
        rule: Rule::FieldDiffersFromExistingMissing,
        run: Run::Entry(crate::rules::questions::differs_from_existing_missing),
    },
];

fn description_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    // A value of the wrong type is there, just wrong: draft/type reports it.
    if cx.entry.mistyped("description") {
        return;
    }
    match &cx.entry.description {
        None => {
            out.report(
                Rule::FieldDescriptionMissing,
                Some(cx.entry.span),
                "this entry has no description",
            )
            .label("no `description` in this entry");
        }
        Some(d) if d.value.trim().is_empty() => {
            out.report(
                Rule::FieldDescriptionMissing,
                Some(d.span),
                "the description is empty",
            )
            .label("only whitespace");
        }
        Some(_) => {}
    }
}

fn assignee_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    if cx.entry.assignee.is_none() && !cx.entry.mistyped("assignee") {
        out.report(
            Rule::FieldAssigneeMissing,
            Some(cx.entry.span),
            "this entry has no assignee",
        )
        .label("no `assignee` in this entry");
    }
}

fn contact_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    if cx.entry.contact.is_none() && !cx.entry.mistyped("contact") {
        out.report(
            Rule::FieldContactMissing,
            Some(cx.entry.span),
            "this entry has no contact",
        )
        .label("no `contact` in this entry");
    }
}

/// The inline people of an entry, with the key they were given under.
fn inline_people<'a>(cx: &EntryCx<'a>) -> impl Iterator<Item = (&'static str, &'a Person)> {
    [
        ("assignee", &cx.entry.assignee),
        ("contact", &cx.entry.contact),
    ]
    .into_iter()
    .filter_map(|(key, r)| match r.as_ref().map(|r| &r.value) {
        Some(PersonRef::Inline(p)) => Some((key, p)),
        _ => None,
    })
}

fn blank(t: &Option<crate::model::draft::Text>) -> bool {
    is_blank(t)
}

/// What a person lacks: "a name or org", "an email or uri", or both.
fn incomplete(p: &Person) -> Option<String> {
    let no_name = blank(&p.name) && blank(&p.org);
    let no_addr = blank(&p.email) && blank(&p.uri);
    match (no_name, no_addr) {
        (true, true) => Some("has neither `name`/`org` nor `email`/`uri`".into()),
        (true, false) => Some("has no `name` or `org`".into()),
        (false, true) => Some("has no `email` or `uri`".into()),
        (false, false) => None,
    }
}

fn person_incomplete(cx: &EntryCx<'_>, out: &mut Sink) {
    for (key, p) in inline_people(cx) {
        if let Some(what) = incomplete(p) {
            out.report(
                Rule::FieldPersonIncomplete,
                Some(p.span),
                format!("the inline `{key}` {what}"),
            )
            .label("incomplete person");
        }
    }
}

fn people_incomplete(cx: &FileCx<'_>, out: &mut Sink) {
    for (id, p) in &cx.draft.people {
        if let Some(what) = incomplete(p) {
            out.report(
                Rule::FieldPersonIncomplete,
                Some(p.span),
                format!("`[people.{id}]` {what}"),
            )
            .label("incomplete person");
        }
    }
}

/// Checks `local@domain` with a dotted domain; the registry's `&` for `@` is accepted.
/// Returns the reason it is not an address.
pub fn email_problem(email: &str) -> Option<String> {
    let e = email.trim();
    if e.is_empty() {
        return Some("it is empty".into());
    }
    if let Some(c) = e.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!("it contains {c:?}"));
    }
    let (local, domain) = match e.rsplit_once('@').or_else(|| e.rsplit_once('&')) {
        Some(parts) => parts,
        None => return Some("it has no `@`".into()),
    };
    if local.is_empty() {
        return Some("nothing comes before the `@`".into());
    }
    if local.contains('@') {
        return Some("it has more than one `@`".into());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Some(format!("the domain `{domain}` has no dot"));
    }
    if labels.iter().any(|l| {
        l.is_empty()
            || l.starts_with('-')
            || l.ends_with('-')
            || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
    }) {
        return Some(format!("`{domain}` is not a domain name"));
    }
    None
}

/// The registry's people: their `mailto:` addresses. People last updated before RFC 6335
/// are legacy, like their records, and are not checked.
fn registry_people_email_invalid(cx: &RegistryCx<'_>, out: &mut Sink) {
    for p in &cx.registry.people {
        let current = p.updated.as_deref().is_some_and(|d| {
            d.get(..7)
                .is_some_and(|ym| ym >= crate::model::RFC6335_DATE)
        });
        if !current {
            continue;
        }
        for uri in &p.uris {
            let Some(addr) = uri.strip_prefix("mailto:") else {
                continue;
            };
            if let Some(why) = email_problem(addr) {
                let mut f = Finding::new(
                    Rule::FieldEmailInvalid,
                    Some(p.span),
                    format!(
                        "person `{}`: `{addr}` is not a usable email address: {why}",
                        p.id
                    ),
                );
                f.label = Some(why);
                f.key = Some(format!("person {}", p.id));
                out.findings.push(f);
            }
        }
    }
}

/// The address part of a person: `email`, or a `mailto:` uri (other uris are not checked).
fn addresses(p: &Person) -> impl Iterator<Item = (&crate::model::draft::Text, &str, usize)> {
    let email = p.email.iter().map(|e| (e, e.value.as_str(), 0));
    let uri = p.uri.iter().filter_map(|u| {
        let lower = u.value.to_ascii_lowercase();
        lower
            .starts_with("mailto:")
            .then(|| (u, &u.value["mailto:".len()..], "mailto:".len()))
    });
    email.chain(uri)
}

fn report_emails(text: &str, who: &str, p: &Person, out: &mut Sink) {
    for (t, addr, at) in addresses(p) {
        if let Some(why) = email_problem(addr) {
            let span: Span = inner_span(text, t, at, addr.len());
            out.report(
                Rule::FieldEmailInvalid,
                Some(span),
                format!("{who}: `{addr}` is not a usable email address: {why}"),
            )
            .label(why);
        }
    }
}

fn email_invalid(cx: &EntryCx<'_>, out: &mut Sink) {
    for (key, p) in inline_people(cx) {
        report_emails(cx.text, &format!("the inline `{key}`"), p, out);
    }
}

fn people_email_invalid(cx: &FileCx<'_>, out: &mut Sink) {
    for (id, p) in &cx.draft.people {
        report_emails(cx.text, &format!("`[people.{id}]`"), p, out);
    }
}

fn reference_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    // A value of the wrong type is there, just wrong: draft/type reports it.
    if cx.entry.mistyped("reference") {
        return;
    }
    match &cx.entry.references {
        None => {
            out.report(
                Rule::FieldReferenceMissing,
                Some(cx.entry.span),
                "this entry has no reference",
            )
            .label("no `reference` in this entry");
        }
        Some(r) if r.value.iter().all(|r| r.value.trim().is_empty()) => {
            out.report(
                Rule::FieldReferenceMissing,
                Some(r.span),
                "the reference is empty",
            )
            .label("empty");
        }
        Some(_) => {}
    }
}

fn reference_invalid(cx: &EntryCx<'_>, out: &mut Sink) {
    for r in cx.entry.references.iter().flat_map(|r| &r.value) {
        if let Err(bad) = classify(&r.value) {
            out.report(
                Rule::FieldReferenceInvalid,
                Some(inner_span(cx.text, r, bad.at, bad.len)),
                format!("malformed reference: {}", bad.reason),
            )
            .label("malformed");
        }
    }
}

fn why_not_dynamic_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    if is_blank(&cx.entry.justification.why_not_dynamic) {
        out.report(
            Rule::FieldWhyNotDynamicMissing,
            Some(p.span),
            "a port is requested but `why-not-dynamic` does not say why a Dynamic port cannot be used",
        )
        .label("port requested");
    }
}

fn why_not_user_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    if system_part(&p.value).is_some() && is_blank(&cx.entry.justification.why_not_user) {
        out.report(
            Rule::FieldWhyNotUserMissing,
            Some(p.span),
            "a System port is requested but `why-not-user` does not say why a User port cannot be used",
        )
        .label("System port requested");
    }
}

fn cast_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    let stated = match cx.entry.justification.cast.as_ref().map(|c| &c.value) {
        Some(Cast::Statement(s)) => !s.trim().is_empty(),
        Some(Cast::Flags {
            broadcast,
            multicast,
            anycast,
        }) => broadcast.is_some() || multicast.is_some() || anycast.is_some(),
        None => false,
    };
    if !stated {
        out.report(
            Rule::FieldCastMissing,
            Some(p.span),
            "a port is requested but the draft does not say whether broadcast, multicast or anycast is used",
        )
        .label("port requested");
    }
}

fn description_long(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(d) = &cx.entry.description else {
        return;
    };
    let len = d.value.trim().chars().count();
    if len > 120 {
        out.report(
            Rule::FieldDescriptionLong,
            Some(d.span),
            format!("the description is {len} characters; registry descriptions are short titles (at most 120)"),
        )
        .label(format!("{len} characters"));
    }
}

#[cfg(test)]
mod tests {
    use super::email_problem;

    #[test]
    fn emails() {
        for ok in [
            "jane@acme.example",
            "ports&acme.example",
            "a.b+c@sub.acme.example",
        ] {
            assert_eq!(email_problem(ok), None, "{ok}");
        }
        for bad in [
            "jane",
            "jane@localhost",
            "@acme.example",
            "jane@acme..example",
            "Giriraj Harapanahalli",
            "jane@acme.example>",
            "",
        ] {
            assert!(email_problem(bad).is_some(), "{bad}");
        }
    }
}
