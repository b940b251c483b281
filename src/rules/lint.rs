//! `lint/`: about portreg's own annotations in drafts.

use crate::rules::{Check, Run};

pub const CHECKS: &[Check] = &[Check {
    id: "lint/unused-allow",
    run: Run::Elsewhere("engine::apply_suppressions"),
}];
