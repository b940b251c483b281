//! `config/`: problems in `portreg.toml` (`crate::config::parse`) and in custom rule files
//! (`crate::custom::parse`).

use crate::rules::{Check, Run};

pub const CHECKS: &[Check] = &[
    Check {
        id: "config/syntax",
        run: Run::Elsewhere("config::parse"),
    },
    Check {
        id: "config/unknown-key",
        run: Run::Elsewhere("config::parse"),
    },
    Check {
        id: "config/invalid-value",
        run: Run::Elsewhere("config::parse"),
    },
    Check {
        id: "config/custom-rule",
        run: Run::Elsewhere("custom::parse"),
    },
];
