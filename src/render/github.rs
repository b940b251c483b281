//! `--format github`: GitHub Actions workflow commands. The summary comes first as a
//! `::notice`, then one annotation per finding, errors first, then warnings, then notices:
//! GitHub annotates only the first 10 of each kind in a step (50 in a job), so the most
//! important findings and the summary are the ones shown. Then the checked records and the
//! summary as plain log lines.
//!
//! Input text (names, descriptions, file names) can never start a command of its own: the
//! command's message and properties are escaped as the runner requires, and plain lines are
//! made single lines that the runner does not read as commands.

use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Report;
use crate::render::{locate, safe};

/// What GitHub annotates per step, per kind; the summary notice takes one notice.
pub const STEP_LIMIT: usize = 10;

/// Escaping for the message part of a workflow command (the runner's `EscapeData`).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for property values (`file=…,title=…`; the runner's `EscapeProperty`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

fn annotation(report: &Report, d: &Diagnostic) -> String {
    let mut props = Vec::new();
    let mut place = String::from("portreg");
    if let Some(loc) = d.primary.as_ref().and_then(|l| locate(&report.files, l)) {
        // Line breaks stay exact (the runner's escaping keeps them inside the property and
        // gives them back); terminal controls are shown.
        props.push(format!("file={}", property(&safe::property(loc.file))));
        props.push(format!("line={}", loc.start.line));
        props.push(format!("endLine={}", loc.end.line));
        // Columns are only valid on a single-line range.
        if loc.start.line == loc.end.line {
            props.push(format!("col={}", loc.start.column));
            props.push(format!("endColumn={}", loc.end.column));
        }
        place = format!("{}:{}:{}", loc.file, loc.start.line, loc.start.column);
    }
    let rule = d.rule.to_string();
    props.push(format!("title={}", property(&safe::line(&rule))));
    // Each part on one line, so that only portreg's own `help:` and `see:` lines follow.
    let mut message =
        safe::line(&format!("{place}: {}[{rule}]: {}", d.severity, d.message)).into_owned();
    if let Some(h) = &d.help {
        let _ = write!(message, "\nhelp: {}", safe::line(h));
    }
    if let Some(u) = &d.url {
        let _ = write!(message, "\nsee: {}", safe::line(u));
    }
    format!(
        "::{} {}::{}",
        command(d.severity),
        props.join(","),
        data(&message)
    )
}

/// The summary annotation: the counts, and when GitHub cannot show every finding, how many
/// it leaves out and where all of them are.
fn summary(report: &Report, full_report: Option<&str>) -> String {
    let s = &report.summary;
    let over = [
        (s.errors.saturating_sub(STEP_LIMIT), "error", "errors"),
        (s.warnings.saturating_sub(STEP_LIMIT), "warning", "warnings"),
        (s.infos.saturating_sub(STEP_LIMIT - 1), "notice", "notices"),
    ];
    let mut text = format!("portreg: {s}.");
    let missing: Vec<String> = over
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
    if !missing.is_empty() {
        let total = s.errors + s.warnings + s.infos;
        let _ = write!(
            text,
            " GitHub annotates at most {STEP_LIMIT} errors, {STEP_LIMIT} warnings and {STEP_LIMIT} notices per step (50 per job); not annotated: {}. All {total} findings are in this step's log",
            missing.join(", ")
        );
        match full_report {
            Some(file) => {
                let _ = write!(text, " and in `{}`.", safe::line(file));
            }
            None => text.push_str(
                "; for a file with all of them, run again with `--format sarif` or `--format json` and `--output-file FILE`.",
            ),
        }
    }
    format!("::notice title=portreg summary::{}", data(&text))
}

/// `full_report`: a file with every finding written in the same run (`--sarif-file`), named
/// in the summary when GitHub cannot annotate them all.
pub fn render(report: &Report, full_report: Option<&str>) -> String {
    let mut shown: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| !d.suppressed)
        .collect();
    // Stable: within a severity, the report's order (file, offset, rule).
    shown.sort_by_key(|d| std::cmp::Reverse(d.severity));
    let mut out = String::new();
    if !shown.is_empty() {
        let _ = writeln!(out, "{}", summary(report, full_report));
    }
    for d in shown {
        let _ = writeln!(out, "{}", annotation(report, d));
    }
    for line in &report.checked {
        let _ = writeln!(
            out,
            "{}",
            safe::log_line(&format!("portreg: checked {line}"))
        );
    }
    let _ = writeln!(out, "portreg: {}", report.summary);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_requires() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
