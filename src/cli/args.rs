//! Command-line arguments (clap), every command's. Only parsing lives here; the command
//! modules act on them.

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
    /// Lint request drafts (TOML) and folders of drafts; "-" reads standard input.
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
    Suggest(SuggestArgs),
    /// Render a draft as registry records (XML, CSV) or as the text of an IANA application.
    Render(RenderArgs),
    /// Print the effective configuration and where each value comes from.
    Config {
        #[command(flatten)]
        source: RegistrySource,
        #[command(flatten)]
        levels: LevelArgs,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Run the language server (LSP over standard input and output) for editors.
    Lsp(LspArgs),
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
    Update(UpdateArgs),
    /// Lint a whole registry file (a fork's XML or CSV), legacy-aware.
    Lint(RegistryLintArgs),
    /// Check only what HEAD adds or changes relative to BASE, each changed record as a
    /// request against BASE.
    Diff(RegistryDiffArgs),
    /// Write the registry's assigned names as /etc/services, JSON or CSV for other programs.
    Export(RegistryExportArgs),
}

#[derive(Args, Debug)]
pub struct RegistryExportArgs {
    /// The registry file (default: the registry in use, as for `check`).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub source: RegistrySource,
    /// `services` (one port per line, as /etc/services), `json` or `csv` (ranges kept).
    #[arg(long, value_enum, default_value_t = ExportFormat::Services)]
    pub format: ExportFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Services,
    Json,
    Csv,
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
    /// Report only findings the baseline does not accept, and baseline entries that match
    /// nothing (default: `baseline` in portreg.toml), as `registry lint --baseline`.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
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
    /// IANA's DCCP Service Codes registry (XML), read with the registry (default:
    /// PORTREG_SERVICE_CODES, `service-codes` in portreg.toml, then the user cache).
    #[arg(long, value_name = "FILE")]
    pub service_codes: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Draft files (TOML), or folders walked for `*.toml` drafts (honouring .gitignore);
    /// "-" reads standard input.
    #[arg(required = true, value_name = "DRAFT|FOLDER")]
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
    #[command(flatten)]
    pub fix: FixArgs,
    // Issue 14 (CLI habits): which files a run reads.
    /// Skip files and folders matching GLOB (gitignore syntax) when walking a folder;
    /// repeatable, added to `exclude` in portreg.toml.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// The file name reports give standard input (`-`) [default: <stdin>].
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
}

/// `check --fix`, `--unsafe-fixes`, `--diff`: repairing what is mechanical.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct FixArgs {
    /// Apply the safe fixes (a mistyped key or transport, a reversed range, ...) to the drafts,
    /// keeping their comments and formatting, then report what remains. Each file is rewritten
    /// in one step (a temporary file renamed over it). For "-", the fixed draft is printed to
    /// standard output and the report to standard error.
    #[arg(long, help_heading = "Fixes")]
    pub fix: bool,
    /// With --fix or --diff, also apply unsafe fixes: those that change what is requested
    /// (a service name renamed, lower-cased or stripped of its version). Reports mark them
    /// "fixable with `--fix --unsafe-fixes`".
    #[arg(long, help_heading = "Fixes")]
    pub unsafe_fixes: bool,
    /// Print the unified diff of what --fix would change, without writing any file. Exit
    /// status 1 when there is something to fix, 0 when not, 2 on failure.
    #[arg(long, help_heading = "Fixes", conflicts_with = "fix")]
    pub diff: bool,
}

#[derive(Args, Debug)]
pub struct OutputArgs {
    /// Report format [default: human, or github when GITHUB_ACTIONS=true].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report in `--format` to FILE and print the human report to standard output.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Colour in the human and short formats (NO_COLOR is honoured).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    // Issue 14 (CLI habits): what a report says and how the run exits.
    /// Print only the findings: no closing summary line (human and short formats).
    #[arg(short, long)]
    pub quiet: bool,
    /// Print how many findings each rule has (count, severity, rule id, summary) instead of
    /// the findings; human and short formats only.
    #[arg(long)]
    pub statistics: bool,
    /// Exit 0 even when there are error-level findings (still 2 when the command cannot do
    /// its job).
    #[arg(long)]
    pub exit_zero: bool,
}

impl OutputArgs {
    /// The exit code of a report: 1 with an error-level finding unless `--exit-zero`.
    pub fn exit_code(&self, report: &crate::engine::Report) -> u8 {
        u8::from(report.has_errors() && !self.exit_zero)
    }
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

#[derive(Args, Debug)]
pub struct SuggestArgs {
    /// Transports the port must be free on, comma-separated (tcp, udp, sctp, dccp)
    /// [default: tcp, unless only --name is given].
    #[arg(long, value_name = "T[,T...]", value_delimiter = ',')]
    pub transport: Vec<String>,
    /// Suggest the free ports nearest to this one first (default: ascending from 1025).
    #[arg(long, value_name = "PORT")]
    pub near: Option<u16>,
    /// How many ports (and name variants) to suggest.
    #[arg(long, value_name = "K", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub count: u16,
    /// Also say whether this service name is free, with free variants when it is not.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// The same as `--format json`.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub source: RegistrySource,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderAs {
    /// `<record>`s and `<person>`s for a registry fork.
    Xml,
    /// Rows in the IANA CSV form, with its header.
    Csv,
    /// The answers of IANA's application form, ready to paste.
    Text,
}

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// The draft (TOML); "-" reads standard input.
    #[arg(value_name = "DRAFT")]
    pub draft: String,
    /// What to render.
    #[arg(long = "as", value_enum, value_name = "FORM")]
    pub as_: RenderAs,
    /// Render even when the draft has error-level findings.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub source: RegistrySource,
    /// Skip every rule that needs the registry (and render without registry lookups).
    #[arg(long, conflicts_with = "registry")]
    pub no_registry: bool,
    #[command(flatten)]
    pub levels: LevelArgs,
}

#[derive(Args, Debug, Clone)]
pub struct UpdateArgs {
    /// Where to download the registry from (the XML form).
    #[arg(
        long,
        value_name = "URL",
        env = "PORTREG_REGISTRY_URL",
        default_value = crate::tools::update::DEFAULT_URL
    )]
    pub url: String,
    /// Where to download the DCCP Service Codes registry from (the XML form); by default
    /// IANA's, when `--url` is IANA's too (with another `--url` the codes are downloaded only
    /// when this is given).
    #[arg(long, value_name = "URL", env = "PORTREG_SERVICE_CODES_URL")]
    pub service_codes_url: Option<String>,
    /// Give up after this many seconds (connect and the whole download).
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Download even when the cached copy looks current (no conditional request), and
    /// replace the cached copy even with an older registry.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct LspArgs {
    /// The registry to check against, instead of the one each draft's portreg.toml (or
    /// PORTREG_REGISTRY, or the user cache) names.
    #[arg(long, value_name = "FILE")]
    pub registry: Option<PathBuf>,
    /// Skip every rule that needs the registry.
    #[arg(long, conflicts_with = "registry")]
    pub no_registry: bool,
    /// Accepted for editor clients that pass it; standard input and output is the only
    /// transport.
    #[arg(long, hide = true)]
    pub stdio: bool,
}
