//! `registry/`: the registry itself. `registry/unavailable` is about a `check` run; the rest
//! are record rules of `registry lint` and `registry diff` (see `crate::records`).

use crate::diagnostic::Sink;
use crate::rules::{Check, Rule, Run, RunCx, Stage};

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::RegistryUnavailable,
        run: Run::Run(unavailable),
    },
    Check {
        rule: Rule::RegistryStale,
        run: Run::Run(stale),
    },
    Check {
        rule: Rule::RegistryMalformed,
        run: Run::Stage(Stage::RegistryLoad),
    },
    Check {
        rule: Rule::RegistryUnknownPerson,
        run: Run::Stage(Stage::RegistryLint),
    },
    Check {
        rule: Rule::RegistryDuplicateRecord,
        run: Run::Stage(Stage::RegistryLint),
    },
    Check {
        rule: Rule::RegistryLegacyName,
        run: Run::Stage(Stage::RegistryLint),
    },
    Check {
        rule: Rule::RegistryBadDate,
        run: Run::Stage(Stage::RegistryLint),
    },
    Check {
        rule: Rule::RegistryRemoved,
        run: Run::Stage(Stage::RegistryDiff),
    },
];

fn unavailable(cx: &RunCx<'_>, out: &mut Sink) {
    if cx.registry_missing {
        out.report(
            Rule::RegistryUnavailable,
            None,
            "no registry was found, so the conflict rules were skipped",
        )
        .help("run `portreg registry update`, or pass `--registry <FILE>` (or set PORTREG_REGISTRY) to check names and ports against the registry; `--no-registry` silences this");
    }
}

/// Older than this, the registry in use is reported as stale.
pub const STALE_AFTER_DAYS: i64 = 60;

/// `YYYY-MM-DD`, or `YYYY-MM` read as the first of the month.
pub fn parse_registry_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok())
}

fn stale(cx: &RunCx<'_>, out: &mut Sink) {
    let Some(registry) = cx.registry else {
        return;
    };
    let Some(updated) = registry.updated.as_deref() else {
        return;
    };
    let Some(date) = parse_registry_date(updated) else {
        return;
    };
    let days = (cx.today - date).num_days();
    if days > STALE_AFTER_DAYS {
        out.report(
            Rule::RegistryStale,
            None,
            format!(
                "the registry in use (`{}`) was last updated on {updated}, {days} days ago; \
                 names and ports assigned since then are not checked",
                registry.path
            ),
        )
        .help("run `portreg registry update` to download the current registry into the user cache (or refresh the file you pass with `--registry`)");
    }
}
