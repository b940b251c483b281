//! `--format json`: the versioned report of spec/output.md.

use serde::Serialize;

use crate::diagnostic::{Applicability, Diagnostic, Files, Label, Severity, Summary};
use crate::engine::Report;
use crate::registry::Registry;
use crate::render::locate;
use crate::source::LineCol;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool,
    registry: Option<RegistryInfo<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    /// `registry diff`: the changes it checked (an extension of spec/output.md).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    checked: &'a [String],
    /// `registry diff`: each change with its kind (lifecycle.md §4).
    #[serde(skip_serializing_if = "<[crate::records::diff::ChangeRecord]>::is_empty")]
    changes: &'a [crate::records::diff::ChangeRecord],
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// The `registry` object; also used by `registry info --format json`.
#[derive(Serialize)]
pub struct RegistryInfo<'a> {
    pub path: &'a str,
    pub format: &'static str,
    pub updated: Option<&'a str>,
    pub records: usize,
    pub people: usize,
}

impl<'a> RegistryInfo<'a> {
    pub fn of(r: &'a Registry) -> Self {
        RegistryInfo {
            path: &r.path,
            format: r.format.as_str(),
            updated: r.updated.as_deref(),
            records: r.record_count(),
            people: r.people_count(),
        }
    }
}

#[derive(Serialize)]
struct JsonSpan {
    offset: usize,
    length: usize,
    start: LineCol,
    end: LineCol,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    file: &'a str,
    span: JsonSpan,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    help: Option<&'a str>,
    url: Option<&'a str>,
    file: Option<&'a str>,
    entry: Option<usize>,
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    span: Option<JsonSpan>,
    /// Text on the primary label (an extension of spec/output.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    /// Further labels in the same file (an extension of spec/output.md).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<JsonLabel<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonLabel<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    suppressed: bool,
    /// The finding's repair, when it has one (an extension of spec/output.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    span: JsonSpan,
    replacement: &'a str,
}

/// A fix whose every edit can be placed in the finding's file.
fn fix<'a>(files: &Files, d: &'a Diagnostic) -> Option<JsonFix<'a>> {
    let (file, fix) = (d.file?, d.fix.as_ref()?);
    let edits = fix
        .edits
        .iter()
        .map(|e| {
            Some(JsonEdit {
                span: span(files, &Label::new(file, e.span))?,
                replacement: &e.replacement,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(JsonFix {
        applicability: fix.applicability,
        edits,
    })
}

fn span(files: &Files, l: &Label) -> Option<JsonSpan> {
    let loc = locate(files, l)?;
    Some(JsonSpan {
        offset: loc.offset,
        length: loc.length,
        start: loc.start,
        end: loc.end,
    })
}

fn label<'a>(files: &'a Files, l: &'a Label) -> Option<JsonLabel<'a>> {
    Some(JsonLabel {
        message: l.message.as_deref(),
        file: files.get(l.file)?.name(),
        span: span(files, l)?,
    })
}

fn diagnostic<'a>(files: &'a Files, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        rule: &d.rule,
        severity: d.severity,
        message: &d.message,
        help: d.help.as_deref(),
        url: d.url.as_deref(),
        file: d.file.and_then(|f| files.get(f)).map(|f| f.name()),
        entry: d.entry,
        name: d.name.as_deref(),
        span: d.primary.as_ref().and_then(|l| span(files, l)),
        label: d.primary.as_ref().and_then(|l| l.message.as_deref()),
        labels: d.secondary.iter().filter_map(|l| label(files, l)).collect(),
        related: d.related.iter().filter_map(|l| label(files, l)).collect(),
        suppressed: d.suppressed,
        fix: fix(files, d),
    }
}

pub fn render(report: &Report) -> String {
    let json = JsonReport {
        version: 1,
        tool: Tool {
            name: "portreg",
            version: env!("CARGO_PKG_VERSION"),
        },
        registry: report.registry.as_deref().map(RegistryInfo::of),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| diagnostic(&report.files, d))
            .collect(),
        checked: &report.checked,
        changes: &report.changes,
        summary: report.summary,
    };
    let mut s =
        serde_json::to_string_pretty(&json).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    crate::render::safe::json(s)
}
