//! portreg diagnostics -> LSP diagnostics: UTF-16 ranges, the rule id as `code` with a
//! link to its documentation, help in the message, and the other labels (the registry
//! record at its real line, the other draft of a `conflict/in-drafts`) as related
//! information.

use std::str::FromStr;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, Range, Uri,
};

use super::position::LineIndex;
use crate::diagnostic::{Diagnostic, Fix, Label, Severity};
use crate::engine::Report;

/// One published diagnostic and what code actions need to know about it.
#[derive(Clone, Debug)]
pub struct Published {
    pub lsp: lsp_types::Diagnostic,
    pub rule: String,
    pub fix: Option<Fix>,
    pub entry: Option<usize>,
}

/// The LSP form of `d`, a diagnostic of `report` shown in the draft whose text is indexed by
/// `index`. `uri_of` gives the URI of a report file name (drafts are named by their URI).
pub fn convert(
    report: &Report,
    d: &Diagnostic,
    index: &LineIndex<'_>,
    uri_of: &dyn Fn(&str) -> Option<Uri>,
) -> Published {
    let range = d
        .primary
        .as_ref()
        .map_or_else(Range::default, |l| index.range(l.span));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    if let Some(fix) = &d.fix {
        message.push_str(match fix.applicability {
            crate::diagnostic::Applicability::Safe => "\nfixable (quick fix)",
            crate::diagnostic::Applicability::Unsafe => "\nfixable (unsafe quick fix: renames)",
        });
    }
    let mut related = Vec::new();
    let own_uri = d.file.and_then(|f| report.file_name(f)).and_then(uri_of);
    for label in &d.secondary {
        if let (Some(uri), Some(msg)) = (&own_uri, &label.message) {
            related.push(DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), index.range(label.span)),
                message: msg.clone(),
            });
        }
    }
    for label in &d.related {
        if let Some(location) = locate(report, label, uri_of) {
            related.push(DiagnosticRelatedInformation {
                location,
                message: label.message.clone().unwrap_or_default(),
            });
        }
    }
    let lsp = lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.rule.clone())),
        code_description: d
            .url
            .as_deref()
            .and_then(|u| Uri::from_str(u).ok())
            .map(|href| CodeDescription { href }),
        source: Some("portreg".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    };
    Published {
        lsp,
        rule: d.rule.clone(),
        fix: d.fix.clone(),
        entry: d.entry,
    }
}

/// Where a label of another file is: a draft of this run, or an excerpt of the registry
/// (its lines counted from the excerpt's real first line).
fn locate(
    report: &Report,
    label: &Label,
    uri_of: &dyn Fn(&str) -> Option<Uri>,
) -> Option<Location> {
    let entry = report.files.get(label.file)?;
    let uri = uri_of(entry.name())?;
    let ix = LineIndex::new(entry.file.text());
    let shift = |p: Position| {
        let line = p.line + u32::try_from(entry.base_line).unwrap_or(0);
        let character = if p.line == 0 {
            p.character + u32::try_from(entry.base_column.saturating_sub(1)).unwrap_or(0)
        } else {
            p.character
        };
        Position::new(line, character)
    };
    let range = ix.range(label.span);
    Some(Location::new(
        uri,
        Range::new(shift(range.start), shift(range.end)),
    ))
}
