//! Writing results: a report in the chosen format, plain text, and the error that stops a
//! command.

use std::io::{IsTerminal, Write};

use crate::cli::args::{ColorChoice, Format, OutputArgs};
use crate::engine::Report;
use crate::render;

/// An error that stops a command (exit code 2), already worded for the user.
#[derive(Debug)]
pub struct Fatal(pub String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Self {
        Fatal(e.to_string())
    }
}

/// Writes to standard output; a closed pipe is not an error worth a panic.
pub fn print(text: &str) -> Result<(), Fatal> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Fatal(format!("cannot write the report: {e}"))),
    }
}

/// Prints (and with `--output-file`, writes) a report in the chosen format.
pub fn emit(report: &Report, output: &OutputArgs) -> Result<(), Fatal> {
    emit_with(report, output, None)
}

/// [`emit`], naming `full_report` (a file with every finding written in the same run, such
/// as `--sarif-file`) in the GitHub summary when GitHub cannot annotate every finding.
pub fn emit_with(
    report: &Report,
    output: &OutputArgs,
    full_report: Option<&std::path::Path>,
) -> Result<(), Fatal> {
    let github = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    // `--statistics` is a text report: in GitHub Actions it does not default to annotations.
    let format = output.format.unwrap_or(if github && !output.statistics {
        Format::Github
    } else {
        Format::Human
    });
    let quiet = output.quiet;
    let human = |color: bool| {
        if output.statistics {
            return render::statistics::render(report, color, quiet);
        }
        render::human::render(
            report,
            render::human::Style {
                color,
                quiet,
                ..Default::default()
            },
        )
    };
    if output.statistics && !matches!(format, Format::Human | Format::Short) {
        return Err(Fatal(
            "`--statistics` is a text report: use it with `--format human` or `--format short` (the JSON and SARIF reports carry every finding to count)".into(),
        ));
    }
    let terminal_color = use_color(output.color) && output.output_file.is_none();
    let text = match format {
        Format::Human => human(terminal_color),
        Format::Short if output.statistics => human(terminal_color),
        Format::Short => render::short::render_with(
            report,
            render::short::Style {
                color: terminal_color,
                quiet,
            },
        ),
        Format::Json => render::json::render(report),
        Format::Sarif => render::sarif::render(report),
        Format::Github => render::github::render(
            report,
            full_report.map(|p| p.display().to_string()).as_deref(),
        ),
    };
    match &output.output_file {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| {
                Fatal(format!(
                    "cannot write the report to `{}`: {e}",
                    path.display()
                ))
            })?;
            print(&human(use_color(output.color)))
        }
        None => print(&text),
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}
