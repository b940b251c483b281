//! `--format short`: `file:line:col: severity[rule]: message`, one line per diagnostic.

use std::fmt::Write as _;

use crate::engine::Report;
use crate::render::locate;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in report.diagnostics.iter().filter(|d| !d.suppressed) {
        let place = match d.primary.as_ref().and_then(|l| locate(&report.files, l)) {
            Some(loc) => format!("{}:{}:{}", loc.file, loc.start.line, loc.start.column),
            None => "portreg".to_string(),
        };
        let _ = writeln!(out, "{place}: {}[{}]: {}", d.severity, d.rule, d.message);
    }
    out
}
