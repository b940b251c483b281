//! Applying findings' fixes to a draft's text (`check --fix`, `--diff`).
//!
//! A fix is a set of byte-span replacements on the draft (a key, a value token, the inside of
//! a string), so everything outside them (comments, spacing, key order) is kept byte for
//! byte. Replacement values are written by `toml_edit` when they are not a plain copy of the
//! draft's own quoting, and every result is parsed by `toml_edit` before it is accepted: a
//! fix never produces a draft that is not TOML.

use crate::diagnostic::{Applicability, Diagnostic, Edit, FileId, Fix};
use crate::model::draft::Text;
use crate::source::Span;

/// The result of applying one round of fixes to a text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// The text with the fixes applied (the input when none applied).
    pub text: String,
    /// Fixes applied.
    pub applied: usize,
    /// Fixes left for a later round because they overlap one applied before them.
    pub skipped: usize,
}

/// Whether a fix of `applicability` is applied: safe ones always, unsafe ones on request.
pub fn wanted(applicability: Applicability, unsafe_fixes: bool) -> bool {
    applicability == Applicability::Safe || unsafe_fixes
}

/// The fixes of `diagnostics` about `file` that `--fix` applies (not suppressed findings).
pub fn fixes_for(diagnostics: &[Diagnostic], file: FileId, unsafe_fixes: bool) -> Vec<&Fix> {
    diagnostics
        .iter()
        .filter(|d| d.file == Some(file) && !d.suppressed)
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| wanted(f.applicability, unsafe_fixes))
        .collect()
}

/// Applies `fixes` to `text`, in order of their first edit; a fix that overlaps one already
/// taken (or has an edit outside the text) is skipped, to be found again on the re-check. If
/// the result is not valid TOML, the fixes are tried one at a time and the ones that break it
/// are dropped.
pub fn apply(text: &str, fixes: &[&Fix]) -> Applied {
    let mut order: Vec<&Fix> = fixes
        .iter()
        .copied()
        .filter(|f| !f.edits.is_empty())
        .collect();
    order.sort_by_key(|f| f.edits.iter().map(|e| e.span.start).min());
    let mut taken: Vec<&Fix> = Vec::new();
    let mut skipped = 0;
    for fix in order {
        let fits = fix.edits.iter().all(|e| in_text(text, e.span))
            && !fix.edits.iter().enumerate().any(|(i, e)| {
                fix.edits[..i].iter().any(|o| overlaps(o.span, e.span))
                    || taken
                        .iter()
                        .flat_map(|t| &t.edits)
                        .any(|o| overlaps(o.span, e.span))
            });
        if fits && !taken.contains(&fix) {
            taken.push(fix);
        } else {
            skipped += 1;
        }
    }
    let all = splice(text, &taken);
    if is_toml(&all) {
        return Applied {
            text: all,
            applied: taken.len(),
            skipped,
        };
    }
    // Some fix broke the document (a renamed key that now repeats another): keep the ones
    // that are fine on their own, applied together only if that still parses.
    let good: Vec<&Fix> = taken
        .iter()
        .copied()
        .filter(|f| is_toml(&splice(text, &[f])))
        .collect();
    let dropped = taken.len() - good.len();
    let together = splice(text, &good);
    if is_toml(&together) {
        Applied {
            text: together,
            applied: good.len(),
            skipped: skipped + dropped,
        }
    } else {
        Applied {
            text: text.to_string(),
            applied: 0,
            skipped: skipped + taken.len(),
        }
    }
}

fn in_text(text: &str, span: Span) -> bool {
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
}

/// Two edits conflict when their spans share a byte, or both insert at the same place.
fn overlaps(a: Span, b: Span) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start)
}

/// `text` with every edit of `fixes` made (they do not overlap and are inside `text`).
fn splice(text: &str, fixes: &[&Fix]) -> String {
    let mut edits: Vec<&Edit> = fixes.iter().flat_map(|f| &f.edits).collect();
    edits.sort_by_key(|e| e.span.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether `text` is a TOML document.
pub fn is_toml(text: &str) -> bool {
    text.parse::<toml_edit::DocumentMut>().is_ok()
}

/// An edit that makes the string value `value` read `new`. A value written plainly (`"…"` or
/// `'…'` with no escapes) keeps its quotes and only its inside changes; any other form is
/// replaced by the string as `toml_edit` writes it.
pub fn string_edit(text: &str, value: &Text, new: &str) -> Edit {
    let raw = text.get(value.span.start..value.span.end).unwrap_or("");
    let plain = |q: char| {
        raw.len() >= 2
            && raw.starts_with(q)
            && raw.ends_with(q)
            && !raw.starts_with(&format!("{q}{q}"))
            && raw.get(1..raw.len() - 1) == Some(value.value.as_str())
            && !new.contains(q)
            && !new.contains('\\')
            && !new.chars().any(char::is_control)
    };
    if plain('"') || plain('\'') {
        return Edit {
            span: Span::new(value.span.start + 1, value.span.end - 1),
            replacement: new.to_string(),
        };
    }
    Edit {
        span: value.span,
        replacement: toml_edit::Value::from(new).to_string().trim().to_string(),
    }
}

/// An edit that renames the key written at `span` (bare or quoted) to `new`.
pub fn key_edit(text: &str, span: Span, new: &str) -> Option<Edit> {
    let raw = text.get(span.start..span.end)?;
    let bare = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let quote = raw.chars().next().filter(|q| *q == '"' || *q == '\'');
    let replacement = if bare(raw) && bare(new) {
        new.to_string()
    } else if let Some(q) = quote.filter(|_| bare(new)) {
        // Keep the key's quotes: a bare-key name needs no escaping inside them.
        format!("{q}{new}{q}")
    } else if quote.is_some() {
        toml_edit::Key::new(new).display_repr().into_owned()
    } else {
        return None;
    };
    Some(Edit { span, replacement })
}

/// A unified diff (3 lines of context) from `old` to `new`, or "" when they are equal.
pub fn unified_diff(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = line_ops(&a, &b);
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    const CONTEXT: usize = 3;
    // Indices into `ops` of the changes, grouped into hunks whose context touches.
    let changes: Vec<usize> = (0..ops.len())
        .filter(|&i| !matches!(ops[i], Op::Same(..)))
        .collect();
    let mut i = 0;
    while i < changes.len() {
        let mut j = i;
        while j + 1 < changes.len() && changes[j + 1] - changes[j] <= 2 * CONTEXT + 1 {
            j += 1;
        }
        let start = changes[i].saturating_sub(CONTEXT);
        let end = (changes[j] + CONTEXT + 1).min(ops.len());
        // Lines of each side before the hunk.
        let a_before = ops[..start]
            .iter()
            .filter(|o| !matches!(o, Op::Add(_)))
            .count();
        let b_before = ops[..start]
            .iter()
            .filter(|o| !matches!(o, Op::Del(_)))
            .count();
        let (mut a_len, mut b_len) = (0, 0);
        let mut body = String::new();
        for op in &ops[start..end] {
            let (prefix, line) = match *op {
                Op::Same(x) => {
                    a_len += 1;
                    b_len += 1;
                    (' ', a[x])
                }
                Op::Del(x) => {
                    a_len += 1;
                    ('-', a[x])
                }
                Op::Add(y) => {
                    b_len += 1;
                    ('+', b[y])
                }
            };
            body.push(prefix);
            body.push_str(line);
            if !line.ends_with('\n') {
                body.push_str("\n\\ No newline at end of file\n");
            }
        }
        // A hunk's start is 1-based, or the line before an empty side (diff's convention).
        let first = |before: usize, len: usize| before + usize::from(len > 0);
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            first(a_before, a_len),
            a_len,
            first(b_before, b_len),
            b_len
        ));
        out.push_str(&body);
        i = j + 1;
    }
    out
}

/// One line of a diff: kept or deleted (its index in the old text), or added (its index in
/// the new text).
#[derive(Clone, Copy, Debug)]
enum Op {
    Same(usize),
    Del(usize),
    Add(usize),
}

/// The line operations turning `a` into `b`: the common head and tail are kept, and the
/// middle is diffed by longest common subsequence (drafts are small; fixes change few lines).
fn line_ops(a: &[&str], b: &[&str]) -> Vec<Op> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let (n, m) = (am.len(), bm.len());
    // lcs[i][j]: length of the LCS of am[i..] and bm[j..].
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                lcs[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
            };
        }
    }
    let mut ops: Vec<Op> = (0..head).map(Op::Same).collect();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && am[i] == bm[j] {
            ops.push(Op::Same(head + i));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j]) {
            ops.push(Op::Add(head + j));
            j += 1;
        } else {
            ops.push(Op::Del(head + i));
            i += 1;
        }
    }
    ops.extend((a.len() - tail..a.len()).map(Op::Same));
    // Deletions before additions in each run of changes, as diff prints them.
    let mut k = 0;
    while k < ops.len() {
        let run = ops[k..]
            .iter()
            .take_while(|o| !matches!(o, Op::Same(..)))
            .count();
        if run > 1 {
            ops[k..k + run].sort_by_key(|o| matches!(o, Op::Add(..)));
        }
        k += run.max(1);
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Spanned;

    fn fix(start: usize, end: usize, r: &str) -> Fix {
        Fix::safe(Span::new(start, end), r)
    }

    #[test]
    fn applies_in_order_and_skips_overlaps() {
        let text = "a = \"x_y\"\nb = 1\n";
        let f1 = fix(5, 8, "x-y");
        let f2 = fix(6, 7, "-");
        let f3 = fix(14, 15, "2");
        let out = apply(text, &[&f3, &f2, &f1]);
        assert_eq!(out.text, "a = \"x-y\"\nb = 2\n");
        assert_eq!((out.applied, out.skipped), (2, 1));
    }

    #[test]
    fn a_fix_that_breaks_the_toml_is_dropped() {
        let text = "a = 1\nb = 2\n";
        let dup = fix(6, 7, "a");
        let ok = fix(10, 11, "3");
        let out = apply(text, &[&dup, &ok]);
        assert_eq!(out.text, "a = 1\nb = 3\n");
        assert_eq!((out.applied, out.skipped), (1, 1));
    }

    #[test]
    fn string_edits_keep_plain_quotes_and_escape_the_rest() {
        let text = r#"a = "[Jane]"
b = 'x_y'
c = "t\u0041b""#;
        let a = Spanned::new("[Jane]".to_string(), Span::new(4, 12));
        assert_eq!(string_edit(text, &a, "Jane").span, Span::new(5, 11));
        let b = Spanned::new("x_y".to_string(), Span::new(17, 22));
        let e = string_edit(text, &b, "x-y");
        assert_eq!((e.span, e.replacement.as_str()), (Span::new(18, 21), "x-y"));
        let c = Spanned::new("tAb".to_string(), Span::new(27, 37));
        let e = string_edit(text, &c, "t\"b");
        assert_eq!((e.span, e.replacement.as_str()), (c.span, r#"'t"b'"#));
    }

    #[test]
    fn key_edits() {
        let text = "asignee = 1\n\"asignee\" = 2\n";
        let e = key_edit(text, Span::new(0, 7), "assignee");
        assert_eq!(e.map(|e| e.replacement), Some("assignee".to_string()));
        let e = key_edit(text, Span::new(12, 21), "assignee");
        assert_eq!(e.map(|e| e.replacement), Some("\"assignee\"".to_string()));
    }

    #[test]
    fn diff_has_hunks_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
        let new = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\neleven\n12\n";
        assert_eq!(
            unified_diff(old, new, "a", "b"),
            "--- a\n+++ b\n@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n\
             @@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+eleven\n 12\n"
        );
        assert_eq!(unified_diff(old, old, "a", "b"), "");
        assert_eq!(
            unified_diff("a\n", "b", "x", "y"),
            "--- x\n+++ y\n@@ -1,1 +1,1 @@\n-a\n+b\n\\ No newline at end of file\n"
        );
    }
}
