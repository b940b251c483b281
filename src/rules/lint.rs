//! `lint/`: about portreg's own annotations: draft suppressions and registry baselines.

use crate::rules::{Check, Rule, Run, Stage};

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::LintUnusedAllow,
        run: Run::Stage(Stage::Suppressions),
    },
    Check {
        rule: Rule::LintAllowWithoutReason,
        run: Run::Stage(Stage::Suppressions),
    },
    Check {
        rule: Rule::LintUnusedBaseline,
        run: Run::Stage(Stage::Baseline),
    },
];
