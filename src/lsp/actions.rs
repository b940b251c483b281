//! Code actions: every fix `--fix` knows (safe ones as preferred quick fixes, unsafe ones
//! labelled), "fix all safe" for the file, and "allow this rule here" adding an
//! `[entry.lint] allow` item with a placeholder reason.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, Range, TextEdit, Uri, WorkspaceEdit};

use super::diagnostics::Published;
use super::position::LineIndex;
use crate::diagnostic::{Applicability, Fix};
use crate::source::Span;

/// The reason an "allow" action writes; the user replaces it.
pub const PLACEHOLDER_REASON: &str = "TODO: why this finding does not apply";

fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The actions for `range` of the draft `text`, given its published diagnostics.
pub fn actions(uri: &Uri, text: &str, published: &[Published], range: Range) -> Vec<CodeAction> {
    let index = LineIndex::new(text);
    let edit_of = |edits: Vec<TextEdit>| WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    };
    let mut out = Vec::new();
    for p in published.iter().filter(|p| overlaps(p.lsp.range, range)) {
        if let Some(fix) = &p.fix {
            let safe = fix.applicability == Applicability::Safe;
            let what = describe(text, fix);
            out.push(CodeAction {
                title: if safe {
                    format!("Fix {}: {what}", p.rule)
                } else {
                    format!("Fix {} (unsafe: changes the request): {what}", p.rule)
                },
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![p.lsp.clone()]),
                edit: Some(edit_of(text_edits(&index, fix))),
                is_preferred: Some(safe),
                ..CodeAction::default()
            });
        }
        if let Some(edit) = p
            .entry
            .filter(|_| !p.rule.starts_with("lint/") && p.rule != "draft/syntax")
            .and_then(|entry| allow_edit(text, entry, &p.rule))
        {
            out.push(CodeAction {
                title: format!("Allow {} in this entry (with a reason)", p.rule),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![p.lsp.clone()]),
                edit: Some(edit_of(vec![TextEdit::new(
                    index.range(edit.span),
                    edit.replacement,
                )])),
                is_preferred: Some(false),
                ..CodeAction::default()
            });
        }
    }
    let safe: Vec<&Fix> = published
        .iter()
        .filter_map(|p| p.fix.as_ref())
        .filter(|f| f.applicability == Applicability::Safe)
        .collect();
    if safe.len() > 1 {
        let applied = crate::fix::apply(text, &safe);
        if applied.applied > 0 && applied.text != text {
            out.push(CodeAction {
                title: format!("Apply the {} safe fixes of this draft", applied.applied),
                kind: Some(CodeActionKind::new("source.fixAll.portreg")),
                edit: Some(edit_of(vec![TextEdit::new(
                    index.range(Span::new(0, text.len())),
                    applied.text,
                )])),
                ..CodeAction::default()
            });
        }
    }
    out
}

fn text_edits(index: &LineIndex<'_>, fix: &Fix) -> Vec<TextEdit> {
    fix.edits
        .iter()
        .map(|e| TextEdit::new(index.range(e.span), e.replacement.clone()))
        .collect()
}

/// `replace `x` with `y``, for the action's title.
fn describe(text: &str, fix: &Fix) -> String {
    match fix.edits.as_slice() {
        [e] => {
            let old = text.get(e.span.start..e.span.end).unwrap_or("");
            format!("replace `{old}` with `{}`", e.replacement)
        }
        edits => format!("{} edits", edits.len()),
    }
}

/// The edit adding `{ rule = "<rule>", reason = "…" }` to entry `entry`'s `[entry.lint]
/// allow` (creating the table or the key when missing); `None` when the draft's layout is
/// not one this understands or the result would not be TOML.
pub fn allow_edit(text: &str, entry: usize, rule: &str) -> Option<crate::diagnostic::Edit> {
    let item = format!(
        "{{ rule = {}, reason = {} }}",
        toml_edit::Value::from(rule),
        toml_edit::Value::from(PLACEHOLDER_REASON)
    );
    let headers = headers(text);
    let (start_i, _) = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| h.name == "[[entry]]")
        .nth(entry)?;
    // The entry's tables: its header up to the next header that is not `[entry.…]`.
    let region_end_i = headers[start_i + 1..]
        .iter()
        .position(|h| !h.name.starts_with("[entry."))
        .map_or(headers.len(), |k| start_i + 1 + k);
    let region_end = headers.get(region_end_i).map_or(text.len(), |h| h.start);
    let lint_i = (start_i + 1..region_end_i).find(|&i| headers[i].name == "[entry.lint]");
    let edit = match lint_i {
        Some(i) => {
            let body_start = headers[i].end;
            let body_end = headers.get(i + 1).map_or(text.len(), |h| h.start);
            let body = &text[body_start..body_end];
            match find_allow_array(body) {
                Some(open) => {
                    let at = body_start + open + 1;
                    let rest = text[at..].trim_start_matches([' ', '\t', '\n', '\r']);
                    let sep = if rest.starts_with(']') { "" } else { ", " };
                    crate::diagnostic::Edit {
                        span: Span::new(at, at),
                        replacement: format!("{item}{sep}"),
                    }
                }
                None => crate::diagnostic::Edit {
                    span: Span::new(body_start, body_start),
                    replacement: format!("allow = [{item}]\n"),
                },
            }
        }
        None => {
            // After the entry's last non-blank line.
            let body = &text[..region_end];
            let end = body.trim_end_matches([' ', '\t', '\n', '\r']).len();
            let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
            crate::diagnostic::Edit {
                span: Span::new(end, end),
                replacement: format!("{nl}{nl}[entry.lint]{nl}allow = [{item}]"),
            }
        }
    };
    let fix = Fix::safe_edit(edit.clone());
    let applied = crate::fix::apply(text, &[&fix]);
    (applied.applied == 1).then_some(edit)
}

struct Header<'a> {
    /// `[[entry]]`, `[entry.lint]`… with the spaces inside the brackets removed.
    name: String,
    start: usize,
    /// After the header line's line break.
    end: usize,
    _line: &'a str,
}

fn headers(text: &str) -> Vec<Header<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            let close = if t.starts_with("[[") { "]]" } else { "]" };
            if let Some(end) = t.find(close) {
                let name: String = t[..end + close.len()]
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                out.push(Header {
                    name,
                    start,
                    end: start + line.len(),
                    _line: line,
                });
            }
        }
        start += line.len();
    }
    out
}

/// The offset of the `[` of `allow = [` in a table body.
fn find_allow_array(body: &str) -> Option<usize> {
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("allow") {
            let rest_trim = rest.trim_start();
            if let Some(after_eq) = rest_trim.strip_prefix('=') {
                let value = after_eq.trim_start();
                if value.starts_with('[') {
                    return Some(at + (line.len() - value.len()));
                }
            }
        }
        at += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, entry: usize, rule: &str) -> Option<String> {
        let e = allow_edit(text, entry, rule)?;
        Some(format!(
            "{}{}{}",
            &text[..e.span.start],
            e.replacement,
            &text[e.span.end..]
        ))
    }

    #[test]
    fn allow_creates_extends_and_inserts() {
        let text = "[[entry]]\nname = \"a\"\n\n[[entry]]\nname = \"b\"\n[entry.justification]\nsecurity = \"x\"\n\n[people.X]\norg = \"o\"\n";
        assert_eq!(
            apply(text, 1, "name/version").as_deref(),
            Some("[[entry]]\nname = \"a\"\n\n[[entry]]\nname = \"b\"\n[entry.justification]\nsecurity = \"x\"\n\n[entry.lint]\nallow = [{ rule = \"name/version\", reason = \"TODO: why this finding does not apply\" }]\n\n[people.X]\norg = \"o\"\n")
        );
        let text = "[[entry]]\nname = \"a\"\n[entry.lint]\nallow = [\n  { rule = \"x/y\", reason = \"r\" },\n]\n";
        let out = apply(text, 0, "name/version").unwrap_or_default();
        assert!(out.contains("allow = [{ rule = \"name/version\", reason = \"TODO: why this finding does not apply\" }, \n  { rule = \"x/y\""), "{out}");
        let text = "[[entry]]\nname = \"a\"\n[entry.lint]\nallow = []\n";
        let out = apply(text, 0, "name/version").unwrap_or_default();
        assert!(out.ends_with("allow = [{ rule = \"name/version\", reason = \"TODO: why this finding does not apply\" }]\n"), "{out}");
        let text = "[[entry]]\nname = \"a\"\n[entry.lint]\n# none yet\n";
        let out = apply(text, 0, "name/version").unwrap_or_default();
        assert!(out.ends_with("[entry.lint]\nallow = [{ rule = \"name/version\", reason = \"TODO: why this finding does not apply\" }]\n# none yet\n"), "{out}");
        // `lint = 3` and a new `[entry.lint]` table would define `lint` twice.
        assert_eq!(apply("[[entry]]\nlint = 3\n", 0, "a/b"), None);
    }
}
