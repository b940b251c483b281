//! `draft/`: reading the file. The reader reports syntax, key and type problems as it reads
//! (`crate::read::draft`); `draft/unknown-person` needs the registry's people, and
//! `draft/non-canonical` looks at values the reader accepted.

use crate::diagnostic::{Fix, Sink};
use crate::fix::string_edit;
use crate::model::draft::{strip_brackets, PersonRef, PortValue};
use crate::model::reference::{classify, RefKind};
use crate::rules::{Check, EntryCx, Rule, Run, Stage};
use crate::source::Spanned;

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::DraftSyntax,
        run: Run::Stage(Stage::DraftReader),
    },
    Check {
        rule: Rule::DraftUnknownKey,
        run: Run::Stage(Stage::DraftReader),
    },
    Check {
        rule: Rule::DraftType,
        run: Run::Stage(Stage::DraftReader),
    },
    Check {
        rule: Rule::DraftNoEntries,
        run: Run::Stage(Stage::DraftReader),
    },
    Check {
        rule: Rule::DraftUnknownPerson,
        run: Run::Entry(unknown_person),
    },
    Check {
        rule: Rule::DraftNonCanonical,
        run: Run::Entry(non_canonical),
    },
];

/// Values in a form the reader accepts but the registry does not write, each with its
/// canonical form as a safe fix.
fn non_canonical(cx: &EntryCx<'_>, out: &mut Sink) {
    if let Some(p) = &cx.entry.port {
        let raw = cx.text.get(p.span.start..p.span.end).unwrap_or("");
        if let (PortValue::Single(n), true) = (&p.value, raw.starts_with(['"', '\''])) {
            out.report(
                Rule::DraftNonCanonical,
                Some(p.span),
                format!("the port {n} is written as a string"),
            )
            .label("a string")
            .help(format!("write the number without quotes: `port = {n}`"))
            .fix(Fix::safe(p.span, n.to_string()));
        }
    }
    for (key, r) in [
        ("assignee", &cx.entry.assignee),
        ("contact", &cx.entry.contact),
    ] {
        let Some(r) = r else { continue };
        let PersonRef::Id(id) = &r.value else {
            continue;
        };
        let bare = strip_brackets(id);
        if bare != id.trim() && !bare.is_empty() {
            out.report(
                Rule::DraftNonCanonical,
                Some(r.span),
                format!("{key} `{id}` is written in the registry's brackets"),
            )
            .label("brackets")
            .help(format!("write the id alone: `\"{bare}\"`"))
            .fix(Fix::safe_edit(string_edit(
                cx.text,
                &Spanned::new(id.clone(), r.span),
                bare,
            )));
        }
    }
    for r in cx.entry.references.iter().flat_map(|r| &r.value) {
        let Some(canonical) = canonical_rfc(&r.value) else {
            continue;
        };
        out.report(
            Rule::DraftNonCanonical,
            Some(r.span),
            format!(
                "reference `{}` is not written as the registry writes RFCs",
                r.value
            ),
        )
        .label(format!("`{canonical}`"))
        .help(format!("write `{canonical}`"))
        .fix(Fix::safe_edit(string_edit(cx.text, r, &canonical)));
    }
}

/// `RFC 6335` and `rfc6335` (with any section tail) as `RFC6335`; `None` when the
/// reference is not an RFC or is written so already.
fn canonical_rfc(text: &str) -> Option<String> {
    if !matches!(classify(text), Ok(RefKind::Rfc(_))) || text != text.trim() {
        return None;
    }
    let rest = text.get(3..)?;
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let fixed = format!("RFC{}", rest);
    (digits > 0 && fixed != text).then_some(fixed)
}

fn unknown_person(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(registry) = cx.registry else { return };
    let changes = cx.entry.changes.as_ref();
    for (key, r) in [
        ("assignee", &cx.entry.assignee),
        ("contact", &cx.entry.contact),
        ("requester", &cx.entry.requester),
        ("to", &cx.entry.to),
        (
            "changes.assignee",
            &changes.and_then(|c| c.assignee.clone()),
        ),
        ("changes.contact", &changes.and_then(|c| c.contact.clone())),
    ] {
        let Some(r) = r else { continue };
        let PersonRef::Id(id) = &r.value else {
            continue;
        };
        if cx.draft.person(id).is_some() || registry.person(strip_brackets(id)).is_some() {
            continue;
        }
        let f = out.report(
            Rule::DraftUnknownPerson,
            Some(r.span),
            format!("{key} `{id}` is neither in this draft's `[people]` nor in the registry"),
        );
        let bare = strip_brackets(id);
        if bare.contains('@') {
            // An address is not an id: the person is meant to be written out.
            f.label("an email address, not a person id").help(format!(
                "write the person inline: `{key} = {{ name = \"...\", email = \"{bare}\" }}`, or give them a `[people.<Id>]` table and use its id"
            ));
        } else if let Some((near, place)) = nearest_person(cx, registry, bare) {
            f.label(format!("did you mean `{near}`?")).help(format!(
                "`{near}` is {place}; correct the id, or add a `[people.{bare}]` table"
            ));
        } else {
            f.label("unknown person id").help(format!(
                "add a `[people.{bare}]` table with `name` or `org` and `email`, or write the person inline"
            ));
        }
    }
}

/// The person id closest to a mistyped one, and where it is defined: first this draft's
/// `[people]`, then the registry's people. Close means a typo: a few edits, case ignored.
fn nearest_person(
    cx: &EntryCx<'_>,
    registry: &crate::registry::Registry,
    id: &str,
) -> Option<(String, &'static str)> {
    let want = id.to_lowercase();
    let limit = (want.chars().count() / 4).max(1);
    let best = |ids: &mut dyn Iterator<Item = &str>| -> Option<String> {
        ids.map(|c| {
            (
                crate::read::keys::edit_distance(&want, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c.to_string())
    };
    if let Some(near) = best(&mut cx.draft.people.keys().map(String::as_str)) {
        return Some((near, "in this draft's `[people]`"));
    }
    best(&mut registry.people.iter().map(|p| p.id.as_str()))
        .map(|near| (near, "a person in the registry"))
}

#[cfg(test)]
mod tests {
    use super::canonical_rfc;

    #[test]
    fn rfc_references_in_the_registry_form() {
        assert_eq!(canonical_rfc("RFC 6335").as_deref(), Some("RFC6335"));
        assert_eq!(canonical_rfc("rfc 6335").as_deref(), Some("RFC6335"));
        assert_eq!(
            canonical_rfc("Rfc7605, Section 7").as_deref(),
            Some("RFC7605, Section 7")
        );
        for already in [
            "RFC6335",
            "RFC8765, Section 6.1",
            " rfc6335",
            "RFC-6335",
            "draft-x",
        ] {
            assert_eq!(canonical_rfc(already), None, "{already}");
        }
    }
}
