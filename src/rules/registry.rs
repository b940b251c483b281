//! `registry/`: the registry itself. `registry/unavailable` is about a `check` run; the rest
//! are record rules of `registry lint` (see `crate::registry::lint`).

use crate::diagnostic::Sink;
use crate::rules::{Check, Run, RunCx};

pub const CHECKS: &[Check] = &[
    Check {
        id: "registry/unavailable",
        run: Run::Run(unavailable),
    },
    Check {
        id: "registry/malformed",
        run: Run::Elsewhere("registry::load (LoadError)"),
    },
    Check {
        id: "registry/unknown-person",
        run: Run::Elsewhere("registry::lint::unknown_person"),
    },
    Check {
        id: "registry/duplicate-record",
        run: Run::Elsewhere("registry::lint::duplicate_record"),
    },
    Check {
        id: "registry/legacy-name",
        run: Run::Elsewhere("registry::lint::legacy_name"),
    },
    Check {
        id: "registry/bad-date",
        run: Run::Elsewhere("registry::lint::bad_date"),
    },
];

fn unavailable(cx: &RunCx<'_>, out: &mut Sink) {
    if cx.registry_missing {
        out.report(
            "registry/unavailable",
            None,
            "no registry was found, so the conflict rules were skipped",
        )
        .help("run `portreg registry update`, or pass `--registry <FILE>` (or set PORTREG_REGISTRY) to check names and ports against the registry; `--no-registry` silences this");
    }
}
