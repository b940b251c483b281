//! `--statistics`: how many findings each rule has, as ruff prints them: one row per rule
//! (count, severity, rule id, the rule's summary), most frequent first, then the summary line.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::diagnostic::Severity;
use crate::engine::Report;
use crate::render::human::{severity_word, summary_line};
use crate::render::safe;
use crate::rules::meta::builtin;

pub fn render(report: &Report, color: bool, quiet: bool) -> String {
    // (rule, severity) -> (count, first message); a rule's severity is one per run, but a
    // custom rule could be reported at two.
    let mut rows: BTreeMap<(String, Severity), (usize, String)> = BTreeMap::new();
    for d in report.diagnostics.iter().filter(|d| !d.suppressed) {
        let row = rows
            .entry((d.rule.to_string(), d.severity))
            .or_insert((0, String::new()));
        row.0 += 1;
        if row.1.is_empty() {
            row.1 = d.message.clone();
        }
    }
    let mut rows: Vec<_> = rows.into_iter().collect();
    // Most findings first; ties by rule id (the map's order), so the output is stable.
    rows.sort_by_key(|r| std::cmp::Reverse(r.1 .0));
    let count_w = rows
        .iter()
        .map(|r| r.1 .0.to_string().len())
        .max()
        .unwrap_or(1);
    let id_w = rows.iter().map(|r| r.0 .0.len()).max().unwrap_or(0);
    let mut out = String::new();
    for ((rule, severity), (count, message)) in &rows {
        // Built-in rules have a summary; a custom rule shows its first message.
        let summary = builtin()
            .get(rule)
            .map_or(message.as_str(), |m| m.summary.as_str());
        let pad = " ".repeat("warning".len() - severity.as_str().len());
        let line = format!(
            "{count:>count_w$}  {}{pad}  {rule:<id_w$}  {}",
            severity_word(*severity, color),
            summary
        );
        let _ = writeln!(out, "{}", safe::line(&line));
    }
    if !quiet {
        if !rows.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", summary_line(report));
    }
    out
}
