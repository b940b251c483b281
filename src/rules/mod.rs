//! The rule engine's parts: rule ids and metadata (`id`, `meta`), levels, the enabled rule
//! set of a run (`set`), and one module per category, each exporting `CHECKS`: the rules it
//! implements, each bound to one check function. Adding a rule touches its category's
//! `rules/<category>.toml` (which makes its `Rule` variant) and its module here; the list of
//! category modules is generated from the `rules/` files.

pub mod config;
pub mod conflict;
mod confusable;
pub mod docs;
pub mod draft;
pub mod field;
mod holdings;
pub mod id;
pub mod levels;
pub mod lifecycle;
pub mod lint;
pub mod meta;
pub mod name;
pub mod party;
mod phrases;
pub mod policy;
pub mod port;
mod questions;
mod refusals;
pub mod registry;
pub mod sc;
pub mod set;
pub mod transport;
pub mod txt;
mod util;
pub mod view;

use crate::diagnostic::{FileId, Sink};
use crate::model::draft::{Draft, Entry};

pub use id::{Rule, RuleId};
pub use util::{inner_span, system_part};

/// What a check looks at for one entry.
pub struct EntryCx<'a> {
    /// The draft's text, to place labels inside quoted values.
    pub text: &'a str,
    pub draft: &'a Draft,
    pub entry: &'a Entry,
    pub registry: Option<&'a crate::registry::Registry>,
    /// The DCCP Service Codes registry, when one is in use.
    pub service_codes: Option<&'a crate::codes::ServiceCodes>,
    /// Records of `registry` the conflict rules ignore (sorted indices): in `registry diff`,
    /// the old version of the record checked and the records HEAD removed.
    pub exclude: &'a [usize],
}

/// What a check looks at for one draft file.
pub struct FileCx<'a> {
    pub text: &'a str,
    pub draft: &'a Draft,
}

/// One draft of a run, for checks across drafts.
pub struct DraftRef<'a> {
    pub file: FileId,
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
    /// When the registry copy was fetched, when known (`engine::Options::with_fetched`).
    pub fetched: Option<chrono::NaiveDate>,
}

/// What a check looks at for a whole registry (`registry lint`).
pub struct RegistryCx<'a> {
    pub registry: &'a crate::registry::Registry,
    /// The current date (fixed by tests through `engine::Options::today`).
    pub today: chrono::NaiveDate,
    /// The schema check's result when it ran beside the record rules (`registry lint` runs
    /// it on a second thread); `registry/schema` checks the registry itself otherwise.
    pub schema: Option<&'a [crate::registry::schema::Violation]>,
}

pub type EntryFn = fn(&EntryCx<'_>, &mut Sink);
pub type FileFn = fn(&FileCx<'_>, &mut Sink);
pub type RunFn = fn(&RunCx<'_>, &mut Sink);
/// Findings about a record set `entry` to its index; `registry lint` adds its name and key.
pub type RegistryFn = fn(&RegistryCx<'_>, &mut Sink);
/// Findings are stamped with the record by the caller.
pub type LegacyFn = fn(&crate::registry::Record, &mut Sink);

/// How a rule is checked.
#[derive(Clone, Copy)]
pub enum Run {
    /// Once per `[[entry]]`.
    Entry(EntryFn),
    /// Once per draft file (`[people]`, file-wide facts).
    File(FileFn),
    /// Once per run, over all drafts together.
    AllDrafts(RunFn),
    /// Once per registry in `registry lint`: facts across its records and people.
    Registry(RegistryFn),
    /// Once per named legacy record in `registry lint` and `registry diff` (registered before
    /// RFC 6335), where the rules marked `syntax` do not run.
    Legacy(LegacyFn),
    /// Reported by another stage while it works, not by a check function. Nothing reads
    /// which stage: it is the typed pointer from the rule to the code that reports it.
    Stage(#[expect(dead_code, reason = "documents where the rule is reported")] Stage),
}

/// The stage that reports a rule that has no check function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The draft reader, as it reads (`crate::read::draft::read_draft`).
    DraftReader,
    /// Loading `portreg.toml` and custom rule files (`crate::config`).
    Config,
    /// The engine, applying `[entry.lint] allow` (`crate::engine::check_drafts`).
    Suppressions,
    /// `registry lint --baseline` (`crate::records::baseline::apply`).
    Baseline,
    /// Loading a registry file (`crate::registry::LoadError`).
    RegistryLoad,
    /// `registry diff`, on records HEAD removed (`crate::records::diff::diff`).
    RegistryDiff,
    /// `registry lint` with a DCCP Service Codes registry, comparing the two
    /// (`crate::records::codes::cross_check`).
    CrossRegistry,
}

/// A rule bound to its check.
#[derive(Clone, Copy)]
pub struct Check {
    pub rule: Rule,
    pub run: Run,
}

include!(concat!(env!("OUT_DIR"), "/rule_checks.rs"));

/// Every check, category by category.
pub fn all_checks() -> impl Iterator<Item = &'static Check> {
    CATEGORY_CHECKS.iter().flat_map(|(_, checks)| checks.iter())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every rule is checked somewhere: by a check function (a rule may have one per level,
    /// such as an entry and a file check) or by the stage that reports it.
    #[test]
    fn every_rule_has_a_check() {
        let seen: BTreeSet<Rule> = all_checks().map(|c| c.rule).collect();
        let no_check: Vec<_> = Rule::ALL.iter().filter(|r| !seen.contains(r)).collect();
        assert!(no_check.is_empty(), "rules without a check: {no_check:?}");
    }

    #[test]
    fn every_check_lives_in_its_category_module() {
        for (module, checks) in CATEGORY_CHECKS {
            for c in *checks {
                assert_eq!(c.rule.category(), *module, "{} in {module}", c.rule);
            }
        }
    }
}
