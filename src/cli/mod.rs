//! The `portreg` binary's logic: a thin shell that parses arguments, reads files, calls the
//! library and picks a renderer. Errors that stop a command are exit code 2.

//!
//! `args` holds every command's arguments, `shared` what the commands share (settings,
//! registry resolution, input and output); one module per command acts on them.

mod args;
mod check;
mod config;
mod explain;
mod fix;
mod fork;
mod lsp;
mod registry;
mod render;
mod shared;
mod suggest;
mod update;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

pub use args::{Cli, Command};
use shared::Fatal;

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
        Command::Lsp(args) => lsp::run(args),
        Command::Render(args) => render::run(args, matches.subcommand_matches("render")),
        Command::Config {
            source,
            levels,
            format,
        } => config::show_config(
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
