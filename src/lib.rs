//! portreg: lint registration requests for the IANA Service Name and Transport Protocol
//! Port Number Registry against RFC 6335, RFC 7605 and the registry itself.
//!
//! This is the library behind the `portreg` command, for tools that embed it: check drafts
//! ([`check`], [`check_drafts`]), lint a registry ([`lint`]), compare two registries
//! ([`diff`]), and render the [`Report`] in any of the command's formats ([`render`]).
//!
//! ```
//! use portreg::{Level, Options, Rule, Severity};
//!
//! let draft = r#"format = 1
//!
//! [[entry]]
//! name = "my_service"
//! transport = "tcp"
//! description = "My service"
//! "#;
//! let report = portreg::check("request.toml", draft, &Options::default());
//!
//! for d in report.diagnostics() {
//!     let line = report.locate(d).map(|at| at.start.line);
//!     println!("{line:?} {} {}: {}", d.severity, d.rule, d.message);
//! }
//! let bad_name = report
//!     .diagnostics()
//!     .iter()
//!     .find(|d| d.builtin_rule() == Some(Rule::NameInvalidChar))
//!     .expect("an underscore is not allowed in a service name");
//! assert_eq!(bad_name.rule, "name/invalid-char");
//! assert_eq!(bad_name.severity, Severity::Error);
//! assert_eq!(report.locate(bad_name).map(|at| at.start.line), Some(4));
//! assert!(report.has_errors());
//! assert_eq!(Rule::NameInvalidChar.default_severity(), Severity::Error);
//!
//! // Levels work as `--allow` / `--deny` do.
//! let lenient = Options::default().with_level(Rule::NameInvalidChar, Level::Allow);
//! let report = portreg::check("request.toml", draft, &lenient);
//! assert!(report.diagnostics().iter().all(|d| d.rule != "name/invalid-char"));
//! println!("{}: {}", Rule::NameInvalidChar, Rule::NameInvalidChar.summary());
//! ```
//!
//! Data flows one way inside the crate: `read` (drafts, registry) -> `model` -> `rules` ->
//! `diagnostic` -> `render`. Only the items re-exported here are the API; the modules are
//! internal.

use std::sync::Arc;

pub(crate) mod cli;
pub(crate) mod codes;
pub(crate) mod config;
pub(crate) mod diagnostic;
pub(crate) mod engine;
pub(crate) mod fix;
pub(crate) mod lsp;
pub(crate) mod model;
pub(crate) mod read;
pub(crate) mod records;
pub(crate) mod registry;
pub(crate) mod render;
pub(crate) mod rules;
pub(crate) mod source;
pub(crate) mod threads;
pub(crate) mod tools;

#[doc(hidden)]
pub mod testing;

pub use codes::ServiceCodes;
pub use diagnostic::{Diagnostic, FileId, Label, Severity, Summary};
pub use engine::{DraftInput, Options, Report};
pub use registry::{LoadError, Registry};
pub use render::Location;
pub use rules::{levels::Level, Rule};
pub use source::{LineCol, Span};

/// Checks one draft (TOML text). `name` is how reports name the file.
pub fn check(name: &str, text: &str, options: &Options) -> Report {
    engine::check_drafts(vec![DraftInput::new(name, text)], options)
}

/// Checks several drafts in one run, so that conflicts between them are found too
/// (`conflict/in-drafts`). Bytes that are not UTF-8 are a `draft/syntax` finding.
pub fn check_drafts(drafts: impl IntoIterator<Item = DraftInput>, options: &Options) -> Report {
    engine::check_drafts(drafts.into_iter().collect(), options)
}

/// Lints every record and person of a registry (`portreg registry lint`).
pub fn lint(registry: impl Into<Arc<Registry>>, options: &Options) -> Report {
    records::lint::lint_registry(registry.into(), options)
}

/// Checks what `head` adds or changes relative to `base` (`portreg registry diff`).
pub fn diff(
    base: impl Into<Arc<Registry>>,
    head: impl Into<Arc<Registry>>,
    options: &Options,
) -> Report {
    records::diff::diff(base.into(), head.into(), options)
}

/// The formats a [`Report`] renders to, as `--format` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OutputFormat {
    /// Source excerpts with labels, for people (without colour).
    Human,
    /// `file:line:col: severity[rule]: message`, one line per finding.
    Short,
    /// The JSON document of spec/output.md.
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
}

/// Renders a report exactly as `portreg --format …` prints it.
pub fn render(report: &Report, format: OutputFormat) -> String {
    match format {
        OutputFormat::Human => render::human::render(report, render::human::Style::default()),
        OutputFormat::Short => render::short::render(report),
        OutputFormat::Json => render::json::render(report),
        OutputFormat::Sarif => render::sarif::render(report),
        OutputFormat::Github => render::github::render(report, None),
    }
}

/// The `portreg` command line, for the binary (src/main.rs). Not API.
#[doc(hidden)]
pub fn run_cli() -> std::process::ExitCode {
    cli::main()
}
