//! The rules a run reports, computed once per run: built-in rules in the run's scope, whose
//! registry need is met and whose level does not allow them, plus the custom rules likewise.
//! `check`, `registry lint` and `registry diff` all ask this one type.

use crate::config::custom::CustomRule;
use crate::rules::levels::Levels;
use crate::rules::meta::Scope;
use crate::rules::{all_checks, Check, EntryFn, Rule, RuleId, Run};

pub struct RuleSet<'a> {
    /// The enabled rules that have a check function, in category order.
    checks: Vec<Check>,
    /// Entry checks `registry diff` runs against BASE (`against-base`), enabled at their
    /// level whatever their scope.
    against_base: Vec<(Rule, EntryFn)>,
    custom: Vec<&'a CustomRule>,
}

impl<'a> RuleSet<'a> {
    /// `has_registry`: the run has a registry to check against (rules with
    /// `needs-registry` are off without one).
    pub fn new(
        levels: &Levels,
        custom: &'a [CustomRule],
        scope: Scope,
        has_registry: bool,
    ) -> RuleSet<'a> {
        let on: Vec<bool> = Rule::ALL
            .iter()
            .map(|&r| {
                let info = r.info();
                info.applies_to(scope)
                    && (!info.needs_registry || has_registry)
                    && levels.severity(r).is_some()
            })
            .collect();
        let checks = all_checks()
            .filter(|c| on[c.rule as usize] && !matches!(c.run, Run::Stage(_)))
            .copied()
            .collect();
        let against_base = all_checks()
            .filter(|c| c.rule.info().against_base && levels.severity(c.rule).is_some())
            .filter_map(|c| match c.run {
                Run::Entry(f) => Some((c.rule, f)),
                _ => None,
            })
            .collect();
        let custom = custom
            .iter()
            .filter(|c| {
                c.scope.contains(&scope)
                    && levels
                        .resolve(&RuleId::Custom(c.id.as_str().into()), c.severity)
                        .is_some()
            })
            .collect();
        RuleSet {
            checks,
            against_base,
            custom,
        }
    }

    /// The enabled rules' checks (not those another stage reports).
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    /// What `registry diff` checks an added or changed record with, against BASE.
    pub fn against_base(&self) -> &[(Rule, EntryFn)] {
        &self.against_base
    }

    /// The enabled custom rules.
    pub fn custom(&self) -> &[&'a CustomRule] {
        &self.custom
    }
}
