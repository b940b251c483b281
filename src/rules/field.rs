//! `field/`: the registration template's required fields and their content (RFC 6335 §8.1.1).

use crate::diagnostic::Finding;
use crate::diagnostic::Sink;
use crate::model::draft::{is_blank, Cast, Person, PersonRef, PortValue, Text};
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
        rule: Rule::FieldPlaceholder,
        run: Run::Entry(placeholder),
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

/// Whether a person's source text shows it is not current without a parse: it names
/// `updated` nowhere (so it has no date), or only in one `<updated>DATE</updated>` with a
/// date before RFC 6335 (then the parsed date is that one, or none if it is misplaced).
fn dated_before_rfc6335(raw: &str) -> bool {
    let Some(at) = raw.find("updated") else {
        return true;
    };
    let Some(rest) = raw
        .get(at.saturating_sub(1)..)
        .and_then(|r| r.strip_prefix("<updated>"))
    else {
        return false;
    };
    let Some((date, after)) = rest.split_once("</") else {
        return false;
    };
    let Some(after) = after.strip_prefix("updated>") else {
        return false;
    };
    !after.contains("updated")
        && date.len() >= 7
        && date.bytes().all(|c| c.is_ascii_digit() || c == b'-')
        && date
            .get(..7)
            .is_some_and(|ym| ym < crate::model::RFC6335_DATE)
}

/// The registry's people: their `mailto:` addresses. People last updated before RFC 6335
/// are legacy, like their records, and are not checked.
fn registry_people_email_invalid(cx: &RegistryCx<'_>, out: &mut Sink) {
    let people = &cx.registry.people;
    // Most people are older than RFC 6335 or undated: their text says so without a parse.
    let may_be_current = |i: usize| {
        cx.registry
            .scanned_person_text(i)
            .is_none_or(|raw| !dated_before_rfc6335(raw))
    };
    for p in (0..people.len())
        .filter(|&i| may_be_current(i))
        .filter_map(|i| people.get(i))
    {
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
                // Shown as the address it stands for: IANA writes `&` for `@`.
                let shown = if addr.contains('@') {
                    addr.to_string()
                } else {
                    addr.replacen('&', "@", 1)
                };
                let why = match shown.strip_suffix('.') {
                    Some(meant) if email_problem(meant).is_none() => {
                        format!("it ends with a dot; `{meant}` is probably meant")
                    }
                    _ => why,
                };
                let mut f = Finding::new(
                    Rule::FieldEmailInvalid,
                    Some(uri_span(cx.registry, p, uri)),
                    format!(
                        "person `{}`: `{shown}` is not a usable email address: {why}",
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

/// The `<uri>` element of a registry person holding `uri` (as read, so `&amp;` in the file
/// is `&`), or the whole `<person>` when it cannot be found.
fn uri_span(registry: &crate::registry::Registry, p: &crate::registry::Person, uri: &str) -> Span {
    let text = registry.span_text(p.span);
    let escaped = uri.replace('&', "&amp;");
    let found = [format!("<uri>{escaped}</uri>"), format!("<uri>{uri}</uri>")]
        .into_iter()
        .find_map(|needle| text.find(&needle).map(|at| (at, needle.len())));
    match found {
        Some((at, len)) => Span::new(p.span.start + at, p.span.start + at + len),
        None => p.span,
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

/// Where a blank answer is written, so that the finding points at the empty value rather
/// than at `port`; `None` when the key is absent.
fn present_span(t: &Option<Text>) -> Option<Span> {
    t.as_ref().map(|t| t.span)
}

fn why_not_dynamic_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    if cx.entry.answer_unreadable("why-not-dynamic") {
        return;
    }
    let why = &cx.entry.justification.why_not_dynamic;
    if is_blank(why) {
        out.report(
            Rule::FieldWhyNotDynamicMissing,
            Some(present_span(why).unwrap_or(p.span)),
            "a port is requested but `why-not-dynamic` does not say why a Dynamic port cannot be used",
        )
        .label(if why.is_some() { "empty" } else { "port requested" });
    }
}

fn why_not_user_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    if cx.entry.answer_unreadable("why-not-user") {
        return;
    }
    let why = &cx.entry.justification.why_not_user;
    if system_part(&p.value).is_some() && is_blank(why) {
        out.report(
            Rule::FieldWhyNotUserMissing,
            Some(present_span(why).unwrap_or(p.span)),
            "a System port is requested but `why-not-user` does not say why a User port cannot be used",
        )
        .label(if why.is_some() {
            "empty"
        } else {
            "System port requested"
        });
    }
}

fn cast_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(p) = &cx.entry.port else { return };
    if cx.entry.answer_unreadable("cast") {
        return;
    }
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
        // An empty statement is reported where it is written, not at `port`.
        let cast = cx.entry.justification.cast.as_ref();
        out.report(
            Rule::FieldCastMissing,
            Some(cast.map_or(p.span, |c| c.span)),
            "a port is requested but the draft does not say whether broadcast, multicast or anycast is used",
        )
        .label(if cast.is_some() { "empty" } else { "port requested" });
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

/// Whether an answer is only a placeholder (`N/A`, `TBD`, `-`, ...). `none_ok`: `none` is a
/// real answer for this key (no cast, no security mechanism, no versioning).
pub fn is_placeholder(value: &str, none_ok: bool) -> bool {
    let v = value.trim().to_lowercase();
    if v.is_empty() {
        // Empty is "missing", which the `*-missing` rules report.
        return false;
    }
    // Only punctuation: `-`, `?`, `...`, `…`, `--`, `/`.
    if v.chars()
        .all(|c| c.is_whitespace() || c.is_ascii_punctuation() || matches!(c, '…' | '–' | '—'))
    {
        return true;
    }
    let word = v.trim_end_matches(['.', '!']).trim();
    // `x`, `xx`, `xxx`, ...
    if word.chars().all(|c| c == 'x') {
        return true;
    }
    // `TODO`, `TODO: write this`, `TBD - ask Jane`.
    for lead in ["todo", "tbd", "fixme"] {
        if let Some(rest) = word.strip_prefix(lead) {
            if rest.is_empty() || rest.starts_with(|c: char| !c.is_alphanumeric()) {
                return true;
            }
        }
    }
    const WORDS: &[&str] = &[
        "n/a",
        "n.a",
        "na",
        "n-a",
        "not applicable",
        "tba",
        "tbc",
        "to do",
        "to be done",
        "to be determined",
        "to be decided",
        "null",
        "nil",
        "placeholder",
        "lorem ipsum",
        "same as above",
        "see above",
    ];
    if WORDS.contains(&word) {
        return true;
    }
    !none_ok && (word == "none" || word == "nothing")
}

fn placeholder(cx: &EntryCx<'_>, out: &mut Sink) {
    let e = cx.entry;
    let j = &e.justification;
    let port = e.port.as_ref().map(|p| &p.value);
    let system = port.is_some_and(|p| system_part(p).is_some());
    let range = matches!(port, Some(PortValue::Range(..)));
    let transports = e.transports.as_ref().map_or(0, |t| t.value.len());
    // (key, value, `none` is a real answer), for the answers this entry needs.
    let mut answers: Vec<(&str, Text, bool)> = Vec::new();
    let mut push = |key, t: &Option<Text>, needed: bool, none_ok| {
        if let (Some(t), true) = (t, needed) {
            answers.push((key, t.clone(), none_ok));
        }
    };
    push("description", &e.description, true, false);
    push("why-not-dynamic", &j.why_not_dynamic, port.is_some(), false);
    push("why-not-user", &j.why_not_user, system, false);
    let many = transports > 1;
    push(
        "why-multiple-transports",
        &j.why_multiple_transports,
        many,
        false,
    );
    push("why-multiple-ports", &j.why_multiple_ports, range, false);
    push("security", &j.security, port.is_some(), true);
    push("versioning", &j.versioning, port.is_some(), true);
    if let (Some(c), true) = (&j.cast, port.is_some()) {
        if let Cast::Statement(s) = &c.value {
            answers.push(("cast", Text::new(s.clone(), c.span), true));
        }
    }
    for r in e.references.iter().flat_map(|r| &r.value) {
        answers.push(("reference", r.clone(), false));
    }
    answers.sort_by_key(|(_, t, _)| t.span.start);
    for (key, t, none_ok) in answers {
        if is_placeholder(&t.value, none_ok) {
            out.report(
                Rule::FieldPlaceholder,
                Some(t.span),
                format!(
                    "`{key}` only says `{}`, a placeholder rather than an answer",
                    t.value.trim()
                ),
            )
            .label("placeholder");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{dated_before_rfc6335, email_problem};

    #[test]
    fn people_seen_to_be_old_without_a_parse() {
        let p = |inner: &str| format!("<person id=\"P\"><name>n</name>{inner}</person>");
        assert!(dated_before_rfc6335(&p("")));
        assert!(dated_before_rfc6335(&p("<updated>2009-01-02</updated>")));
        assert!(dated_before_rfc6335(&p("<updated>2011-07</updated>")));
        for parse in [
            "<updated>2011-08</updated>",
            "<updated> 2009-01 </updated>",
            "<updated>2009-01</updated><updated>2020-01</updated>",
            "<x:updated>2009-01</x:updated>",
            "<org>updated</org><updated>2009-01</updated>",
        ] {
            assert!(!dated_before_rfc6335(&p(parse)), "{parse}");
        }
    }

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
    #[test]
    fn placeholders() {
        use super::is_placeholder;
        for p in [
            "N/A",
            "n/a.",
            "TBD",
            "tbd",
            "TODO",
            "TODO: write this",
            "-",
            "?",
            "...",
            "…",
            "xxx",
            "XX",
            "--",
            "none",
            "None.",
            "TBA",
            "fixme",
        ] {
            assert!(is_placeholder(p, false), "{p}");
        }
        for real in [
            "",
            "unicast only",
            "TLS 1.3",
            "todos are listed in the spec",
            "Nonetheless a sentence",
            "xerox sync",
            "naïve",
        ] {
            assert!(!is_placeholder(real, false), "{real}");
        }
        assert!(!is_placeholder("none", true));
        assert!(is_placeholder("N/A", true));
    }
}
