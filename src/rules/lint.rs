//! `lint/`: about portreg's own annotations: draft suppressions and registry baselines.

use crate::rules::{Check, Run};

pub const CHECKS: &[Check] = &[
    Check {
        id: "lint/unused-allow",
        run: Run::Elsewhere("engine::apply_suppressions"),
    },
    Check {
        id: "lint/allow-without-reason",
        run: Run::Elsewhere("engine::apply_suppressions"),
    },
    Check {
        id: "lint/unused-baseline",
        run: Run::Elsewhere("records::baseline::apply"),
    },
];
