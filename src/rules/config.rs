//! `config/`: problems in `portreg.toml` (`crate::config::parse`) and in custom rule files
//! (`crate::config::custom::parse`).

use crate::rules::{Check, Rule, Run, Stage};

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::ConfigSyntax,
        run: Run::Stage(Stage::Config),
    },
    Check {
        rule: Rule::ConfigUnknownKey,
        run: Run::Stage(Stage::Config),
    },
    Check {
        rule: Rule::ConfigInvalidValue,
        run: Run::Stage(Stage::Config),
    },
    Check {
        rule: Rule::ConfigCustomRule,
        run: Run::Stage(Stage::Config),
    },
];
