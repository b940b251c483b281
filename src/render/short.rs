//! `--format short`: `file:line:col: severity[rule]: message`, one line per diagnostic, then
//! the summary line of the human report. A diagnostic without a place in a file (such as
//! `registry/unavailable`) starts with its severity. Control characters from the input are
//! shown as `\u{…}`, so each finding stays one line and cannot drive the terminal.

use std::fmt::Write as _;

use crate::engine::Report;
use crate::render::human::{severity_word, summary_line};
use crate::render::{locate, safe};

/// How the short report looks.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// The severity word coloured as rustc does.
    pub color: bool,
    /// `--quiet`: no summary line.
    pub quiet: bool,
}

/// The short report with its summary line, without colour.
pub fn render(report: &Report) -> String {
    render_with(report, Style::default())
}

pub fn render_with(report: &Report, style: Style) -> String {
    let mut out = String::new();
    for d in report.diagnostics.iter().filter(|d| !d.suppressed) {
        let place = match d.primary.as_ref().and_then(|l| locate(&report.files, l)) {
            Some(loc) => safe::line(&format!(
                "{}:{}:{}: ",
                loc.file, loc.start.line, loc.start.column
            ))
            .into_owned(),
            None => String::new(),
        };
        let rest = safe::line(&format!("[{}]: {}", d.rule, d.message)).into_owned();
        let word = severity_word(d.severity, style.color);
        let _ = writeln!(out, "{place}{word}{rest}");
    }
    if !style.quiet {
        let _ = writeln!(out, "{}", summary_line(report));
    }
    out
}
