//! Command-line arguments (clap). Only parsing lives here; `cli::run` acts on them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "portreg",
    version,
    about = "Lint registration requests for the IANA Service Name and Transport Protocol Port Number Registry",
    long_about = "Lint registration requests for the IANA Service Name and Transport Protocol Port Number Registry \
                  against RFC 6335, RFC 7605 and the registry itself.\n\n\
                  Exit codes: 0 no error-level finding, 1 at least one error-level finding, 2 the command could not do its job."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint request drafts (TOML); "-" reads standard input.
    Check(CheckArgs),
    /// Print the long explanation of a rule (or of every rule in a category).
    Explain {
        /// A rule id such as `name/too-long`, or a category such as `port` (custom rules from
        /// the config's `rules` files too).
        rule: String,
        /// A portreg.toml config file (default: the nearest one upwards from the current folder).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// List every rule: id, default severity, summary.
    Rules {
        /// `markdown` prints the rule reference kept in docs/rules.md.
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Work with registry files.
    #[command(subcommand)]
    Registry(RegistryCommand),
    /// Suggest free User ports (and check a service name) for a request.
    Suggest(crate::cli::suggest::SuggestArgs),
    /// Render a draft as registry records (XML, CSV) or as the text of an IANA application.
    Render(crate::cli::render::RenderArgs),
    /// Print the effective configuration and where each value comes from.
    Config {
        #[command(flatten)]
        source: RegistrySource,
        #[command(flatten)]
        levels: LevelArgs,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
}

#[derive(Subcommand, Debug)]
pub enum RegistryCommand {
    /// Which registry is in use: path, format, updated date, record and people counts.
    Info {
        #[command(flatten)]
        source: RegistrySource,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Download the current registry from IANA into the user cache.
    Update(crate::cli::update::UpdateArgs),
    /// Lint a whole registry file (a fork's XML or CSV), legacy-aware.
    Lint(RegistryLintArgs),
    /// Check only what HEAD adds or changes relative to BASE, each changed record as a
    /// request against BASE.
    Diff(RegistryDiffArgs),
}

#[derive(Args, Debug)]
pub struct RegistryLintArgs {
    /// The registry file (default: the registry in use, as for `check`).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub source: RegistrySource,
    /// Report only findings the baseline does not accept, and baseline entries that match
    /// nothing (default: `baseline` in portreg.toml).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the current findings as a baseline to FILE (exit 0 unless the write fails).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// The `reason` written into each baseline entry.
    #[arg(long, value_name = "TEXT", requires = "write_baseline")]
    pub reason: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub levels: LevelArgs,
}

#[derive(Args, Debug)]
pub struct RegistryDiffArgs {
    /// The registry before the change (e.g. the base branch's file).
    #[arg(value_name = "BASE")]
    pub base: PathBuf,
    /// The registry after the change.
    #[arg(value_name = "HEAD")]
    pub head: PathBuf,
    /// A portreg.toml config file (default: the nearest one upwards from the current folder).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Also write the report as SARIF to FILE (for code scanning), whatever `--format` is.
    #[arg(long, value_name = "FILE")]
    pub sarif_file: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub levels: LevelArgs,
}

#[derive(Args, Debug, Clone, Default)]
pub struct RegistrySource {
    /// The registry to check against (IANA XML or CSV; detected from the content).
    #[arg(long, value_name = "FILE")]
    pub registry: Option<PathBuf>,
    /// A portreg.toml config file (default: the nearest one upwards from the current folder).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Draft files (TOML); "-" reads standard input.
    #[arg(required = true, value_name = "DRAFT")]
    pub drafts: Vec<String>,
    #[command(flatten)]
    pub source: RegistrySource,
    /// Skip every rule that needs the registry.
    #[arg(long, conflicts_with = "registry")]
    pub no_registry: bool,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub levels: LevelArgs,
}

#[derive(Args, Debug)]
pub struct OutputArgs {
    /// Report format [default: human, or github when GITHUB_ACTIONS=true].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report in `--format` to FILE and print the human report to standard output.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Colour in the human format (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `-D/-W/-A`; their relative order matters (later wins), so `cli` reads their indices.
#[derive(Args, Debug)]
pub struct LevelArgs {
    /// Set a rule, category, `all` or `warnings` to deny (error).
    #[arg(short = 'D', long = "deny", value_name = "RULE")]
    pub deny: Vec<String>,
    /// Set a rule, category or `all` to warn.
    #[arg(short = 'W', long = "warn", value_name = "RULE")]
    pub warn: Vec<String>,
    /// Set a rule, category or `all` to allow (not reported).
    #[arg(short = 'A', long = "allow", value_name = "RULE")]
    pub allow: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Short,
    Json,
    Sarif,
    Github,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

/// `portreg rules --format`: the list formats plus the Markdown reference (docs/rules.md).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Text,
    Json,
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
