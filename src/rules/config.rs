//! `config/`: problems in `portreg.toml`, reported by `crate::config::parse`.

use crate::rules::{Check, Run};

pub const CHECKS: &[Check] = &[
    Check { id: "config/syntax", run: Run::Elsewhere("config::parse") },
    Check { id: "config/unknown-key", run: Run::Elsewhere("config::parse") },
    Check { id: "config/invalid-value", run: Run::Elsewhere("config::parse") },
];
