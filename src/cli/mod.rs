//! The `portreg` binary's logic: a thin shell that parses arguments, reads files, calls the
//! library and picks a renderer. Errors that stop a command are exit code 2.

mod args;
pub(crate) mod check;
mod explain;
mod fork;
mod registry;
mod render;
pub mod resolve;
mod suggest;
mod update;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

pub use args::{Cli, Command};

/// An error that stops a command (exit code 2), already worded for the user.
#[derive(Debug)]
pub struct Fatal(pub String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Self {
        Fatal(e.to_string())
    }
}

pub fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Check(args) => {
            let sub = matches.subcommand_matches("check");
            check::run(args, sub)
        }
        Command::Explain { rule, config } => explain::explain(&rule, config.as_deref()),
        Command::Rules { format } => explain::list(format),
        Command::Registry(cmd) => registry::run(cmd, matches.subcommand_matches("registry")),
        Command::Suggest(args) => suggest::run(args),
        Command::Render(args) => render::run(args),
        Command::Config {
            source,
            levels,
            format,
        } => check::show_config(
            &source,
            &levels,
            matches.subcommand_matches("config"),
            format,
        ),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(msg)) => {
            let _ = std::io::stdout().flush();
            // File names and other input in the message cannot drive the terminal or start
            // a workflow command in a CI log.
            let shown: Vec<String> = msg.lines().map(crate::render::safe::log_line).collect();
            eprintln!("error: {}", shown.join("\n"));
            ExitCode::from(2)
        }
    }
}

/// The date rules compare with: `PORTREG_TODAY=YYYY-MM-DD` (for reproducible reports, e.g.
/// in snapshot tests), else `None`, meaning the real current date.
pub(crate) fn today() -> Result<Option<chrono::NaiveDate>, Fatal> {
    match std::env::var("PORTREG_TODAY") {
        Ok(v) if !v.is_empty() => chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                Fatal(format!(
                    "PORTREG_TODAY=`{v}` is not a date of the form YYYY-MM-DD"
                ))
            }),
        _ => Ok(None),
    }
}

/// Writes to standard output; a closed pipe is not an error worth a panic.
pub(crate) fn print(text: &str) -> Result<(), Fatal> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Fatal(format!("cannot write the report: {e}"))),
    }
}
