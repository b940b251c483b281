//! `draft/`: reading the file. The reader reports syntax, key and type problems as it reads
//! (`crate::read::draft`); `draft/unknown-person` needs the registry's people.

use crate::diagnostic::Sink;
use crate::model::draft::{strip_brackets, PersonRef};
use crate::rules::{Check, EntryCx, Run};

pub const CHECKS: &[Check] = &[
    Check {
        id: "draft/syntax",
        run: Run::Elsewhere("read::draft::Reader::syntax"),
    },
    Check {
        id: "draft/unknown-key",
        run: Run::Elsewhere("read::draft::Reader::unknown_key"),
    },
    Check {
        id: "draft/type",
        run: Run::Elsewhere("read::draft::Reader::wrong_type"),
    },
    Check {
        id: "draft/no-entries",
        run: Run::Elsewhere("read::draft::Reader::document"),
    },
    Check {
        id: "draft/unknown-person",
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
            "draft/unknown-person",
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
