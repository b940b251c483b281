//! `--format github`: GitHub Actions workflow commands, one annotation per finding, then a
//! summary (GitHub shows only the first annotations of each kind in a step).

use std::fmt::Write as _;

use crate::diagnostic::Severity;
use crate::engine::Report;
use crate::render::locate;

/// Escaping for the message part of a workflow command.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for property values (`file=…,title=…`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in report.diagnostics.iter().filter(|d| !d.suppressed) {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        let mut place = String::from("portreg");
        if let Some(loc) = d.primary.as_ref().and_then(|l| locate(&report.files, l)) {
            props.push(format!("file={}", property(loc.file)));
            props.push(format!("line={}", loc.start.line));
            props.push(format!("endLine={}", loc.end.line));
            // Columns are only valid on a single-line range.
            if loc.start.line == loc.end.line {
                props.push(format!("col={}", loc.start.column));
                props.push(format!("endColumn={}", loc.end.column));
            }
            place = format!("{}:{}:{}", loc.file, loc.start.line, loc.start.column);
        }
        props.push(format!("title={}", property(&d.rule)));
        let mut message = format!("{place}: {}[{}]: {}", d.severity, d.rule, d.message);
        if let Some(h) = &d.help {
            let _ = write!(message, "\nhelp: {h}");
        }
        if let Some(u) = &d.url {
            let _ = write!(message, "\nsee: {u}");
        }
        let _ = writeln!(out, "::{command} {}::{}", props.join(","), data(&message));
    }
    for line in &report.checked {
        let _ = writeln!(out, "portreg: checked {line}");
    }
    let s = &report.summary;
    let _ = writeln!(out, "portreg: {s}");
    let level = if s.errors > 0 {
        "error"
    } else if s.warnings > 0 {
        "warning"
    } else {
        "notice"
    };
    let _ = writeln!(
        out,
        "::{level} title=portreg summary::{}",
        data(&format!(
            "portreg: {s}. GitHub shows only the first 10 annotations of each kind per step; the step log lists all of them."
        ))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_requires() {
        assert_eq!(data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
