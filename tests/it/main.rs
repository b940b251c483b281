//! portreg's integration tests, in one binary so that the crate and its dependencies are
//! linked once, not once per file. Each module tests one area; `harness` holds what they
//! share (running the binary in a clean environment, temporary folders, fixture paths and
//! the real registry).
//!
//! Tests against the real IANA registry files are `#[ignore]`d: `cargo test` lists them as
//! ignored, and `PORTREG_REAL_REGISTRY_DIR=../shared/registry cargo test -- --include-ignored`
//! runs them (they fail when the variable or the files are missing).

mod harness;

mod bad_input;
mod baseline;
mod ci_output;
mod cli;
mod cli_habits;
mod config;
mod docs;
mod examples;
mod expert_words;
mod fix;
mod formats;
mod fuzz_regressions;
mod judgment;
mod judgment_real;
mod library;
mod lsp;
mod name_property;
mod registry_cache;
mod registry_diff;
mod registry_export;
mod registry_history;
mod registry_lint;
mod registry_load;
mod registry_real;
mod registry_scan;
mod registry_schema;
mod registry_status;
mod render_draft;
mod render_lifecycle;
mod rule_docs;
mod rules;
mod service_codes;
mod suggest;
mod update;
