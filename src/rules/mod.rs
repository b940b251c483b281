//! The rule engine's parts: metadata (`meta`), levels, and one module per category, each
//! exporting `CHECKS`: the rule ids it implements, each bound to one check function.
//! Adding a rule touches its category's `rules/<category>.toml` and its module here.

pub mod config;
pub mod conflict;
pub mod draft;
pub mod field;
pub mod levels;
pub mod lint;
pub mod meta;
pub mod name;
pub mod policy;
pub mod port;
pub mod registry;
pub mod sc;
pub mod transport;
pub mod txt;
mod util;

use crate::diagnostic::{FileId, Sink};
use crate::model::draft::{Draft, Entry};

pub use util::{inner_span, system_part, PortClass};

/// What a check looks at for one entry.
pub struct EntryCx<'a> {
    pub file: FileId,
    /// The draft's text, to place labels inside quoted values.
    pub text: &'a str,
    pub draft: &'a Draft,
    pub entry: &'a Entry,
    pub registry: Option<&'a crate::registry::Registry>,
    /// Records of `registry` the conflict rules ignore (sorted indices): in `registry diff`,
    /// the old version of the record checked and the records HEAD removed.
    pub exclude: &'a [usize],
}

/// What a check looks at for one draft file.
pub struct FileCx<'a> {
    pub file: FileId,
    pub text: &'a str,
    pub draft: &'a Draft,
    pub registry: Option<&'a crate::registry::Registry>,
}

/// One draft of a run, for checks across drafts.
pub struct DraftRef<'a> {
    pub file: FileId,
    pub text: &'a str,
    pub draft: &'a Draft,
}

/// What a check looks at for a whole run.
pub struct RunCx<'a> {
    pub drafts: Vec<DraftRef<'a>>,
    pub registry: Option<&'a crate::registry::Registry>,
    /// The registry was looked for and none was found (not `--no-registry`).
    pub registry_missing: bool,
    /// The current date (fixed by tests through `engine::Options::today`).
    pub today: chrono::NaiveDate,
}

pub type EntryFn = fn(&EntryCx<'_>, &mut Sink);
pub type FileFn = fn(&FileCx<'_>, &mut Sink);
pub type RunFn = fn(&RunCx<'_>, &mut Sink);

/// How a rule is checked.
#[derive(Clone, Copy)]
pub enum Run {
    /// Once per `[[entry]]`.
    Entry(EntryFn),
    /// Once per draft file (`[people]`, file-wide facts).
    File(FileFn),
    /// Once per run, over all drafts together.
    Run(RunFn),
    /// Reported by another stage, named here: the draft reader for `draft/` syntax and
    /// type findings, the engine for suppressions, `registry lint` for record rules.
    Elsewhere(&'static str),
}

/// A rule id bound to its check.
#[derive(Clone, Copy)]
pub struct Check {
    pub id: &'static str,
    pub run: Run,
}

/// Every check, category by category.
pub fn all_checks() -> impl Iterator<Item = &'static Check> {
    [
        config::CHECKS,
        conflict::CHECKS,
        draft::CHECKS,
        field::CHECKS,
        lint::CHECKS,
        name::CHECKS,
        policy::CHECKS,
        port::CHECKS,
        registry::CHECKS,
        sc::CHECKS,
        transport::CHECKS,
        txt::CHECKS,
    ]
    .into_iter()
    .flatten()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::rules::meta::builtin;

    /// One rule, one place: metadata without a check, or a check without metadata, fails.
    #[test]
    fn every_rule_has_metadata_and_a_check() {
        let meta: BTreeSet<&str> = builtin().rules().iter().map(|r| r.id.as_str()).collect();
        let checks: BTreeSet<&str> = all_checks().map(|c| c.id).collect();
        let no_check: Vec<_> = meta.difference(&checks).collect();
        let no_meta: Vec<_> = checks.difference(&meta).collect();
        assert!(
            no_check.is_empty(),
            "metadata without a check: {no_check:?}"
        );
        assert!(no_meta.is_empty(), "checks without metadata: {no_meta:?}");
    }

    #[test]
    fn every_check_lives_in_its_category_module() {
        for (module, checks) in [
            ("config", config::CHECKS),
            ("conflict", conflict::CHECKS),
            ("draft", draft::CHECKS),
            ("field", field::CHECKS),
            ("lint", lint::CHECKS),
            ("name", name::CHECKS),
            ("policy", policy::CHECKS),
            ("port", port::CHECKS),
            ("registry", registry::CHECKS),
            ("sc", sc::CHECKS),
            ("transport", transport::CHECKS),
            ("txt", txt::CHECKS),
        ] {
            for c in checks {
                assert!(
                    c.id.starts_with(&format!("{module}/")),
                    "{} in {module}",
                    c.id
                );
            }
        }
    }
}
