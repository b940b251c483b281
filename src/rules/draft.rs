//! `draft/`: reading the file. The reader reports syntax, key and type problems as it reads
//! (`crate::read::draft`); `draft/unknown-person` needs the registry's people.

use crate::diagnostic::Sink;
use crate::model::draft::{strip_brackets, PersonRef};
use crate::rules::{Check, EntryCx, Rule, Run, Stage};

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
];

fn unknown_person(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(registry) = cx.registry else { return };
    for (key, r) in [
        ("assignee", &cx.entry.assignee),
        ("contact", &cx.entry.contact),
    ] {
        let Some(r) = r else { continue };
        let PersonRef::Id(id) = &r.value else {
            continue;
        };
        if cx.draft.person(id).is_some() || registry.person(strip_brackets(id)).is_some() {
            continue;
        }
        out.report(
            Rule::DraftUnknownPerson,
            Some(r.span),
            format!("{key} `{id}` is neither in this draft's `[people]` nor in the registry"),
        )
        .label("unknown person id")
        .help(format!(
            "add a `[people.{}]` table with `name` or `org` and `email`, or write the person inline",
            strip_brackets(id)
        ));
    }
}
