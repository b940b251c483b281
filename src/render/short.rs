//! `--format short`: `file:line:col: severity[rule]: message`, one line per diagnostic.
//! Control characters from the input are shown as `\u{…}`, so each finding stays one line
//! and cannot drive the terminal.

use std::fmt::Write as _;

use crate::engine::Report;
use crate::render::{locate, safe};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in report.diagnostics.iter().filter(|d| !d.suppressed) {
        let place = match d.primary.as_ref().and_then(|l| locate(&report.files, l)) {
            Some(loc) => format!("{}:{}:{}", loc.file, loc.start.line, loc.start.column),
            None => "portreg".to_string(),
        };
        let line = format!("{place}: {}[{}]: {}", d.severity, d.rule, d.message);
        let _ = writeln!(out, "{}", safe::line(&line));
    }
    out
}
