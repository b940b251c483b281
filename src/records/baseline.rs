//! Baselines: the accepted findings of a registry, keyed by what they are about (rule and
//! record identity `name protocol number`), never by line, each with a reason. A run with a
//! baseline reports only what is new, and the baseline entries that match nothing any more.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Finding};
use crate::rules::Rule;
use crate::source::Span;

/// The file format, version 1.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    #[serde(rename = "portreg-baseline")]
    pub version: u32,
    pub findings: Vec<Accepted>,
}

/// One accepted finding (or `count` identical ones).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    pub rule: String,
    /// `name protocol number` of the record, or `person Id`.
    pub key: String,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub count: usize,
    /// Why the finding is accepted; required.
    pub reason: String,
}

fn one() -> usize {
    1
}
fn is_one(n: &usize) -> bool {
    *n == 1
}

/// The baseline for the findings of a run (unsuppressed findings with a key).
pub fn from_diagnostics(diagnostics: &[Diagnostic], reason: &str) -> Baseline {
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| !d.suppressed) {
        if let Some(key) = &d.key {
            *counts.entry((d.rule.clone(), key.clone())).or_default() += 1;
        }
    }
    Baseline {
        version: 1,
        findings: counts
            .into_iter()
            .map(|((rule, key), count)| Accepted {
                rule,
                key,
                count,
                reason: reason.to_string(),
            })
            .collect(),
    }
}

pub fn to_json(b: &Baseline) -> String {
    let mut s = serde_json::to_string_pretty(b).unwrap_or_default();
    s.push('\n');
    s
}

/// Reads a baseline; the error names the file, line and column.
pub fn parse(path: &Path, text: &str) -> Result<Baseline, String> {
    let b: Baseline = serde_json::from_str(text).map_err(|e| {
        format!(
            "{}:{}:{}: not a portreg baseline: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if b.version != 1 {
        return Err(format!(
            "{}: baseline version {} is not supported (this portreg writes version 1)",
            path.display(),
            b.version
        ));
    }
    if let Some(a) = b.findings.iter().find(|a| a.reason.trim().is_empty()) {
        return Err(format!(
            "{}: the baseline entry for `{}` on `{}` has no reason; say why it is accepted",
            path.display(),
            a.rule,
            a.key
        ));
    }
    Ok(b)
}

/// Marks the diagnostics the baseline accepts as suppressed and returns `lint/unused-baseline`
/// findings (with spans into `text`, the baseline file) for entries that matched nothing.
pub fn apply(baseline: &Baseline, text: &str, diagnostics: &mut [Diagnostic]) -> Vec<Finding> {
    let mut left: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for a in &baseline.findings {
        *left.entry((a.rule.as_str(), a.key.as_str())).or_default() += a.count;
    }
    for d in diagnostics.iter_mut().filter(|d| !d.suppressed) {
        let Some(key) = d.key.as_deref() else {
            continue;
        };
        if let Some(n) = left.get_mut(&(d.rule.as_str(), key)) {
            if *n > 0 {
                *n -= 1;
                d.suppressed = true;
            }
        }
    }
    let mut unused = Vec::new();
    for a in &baseline.findings {
        let Some(n) = left.get_mut(&(a.rule.as_str(), a.key.as_str())) else {
            continue;
        };
        if *n == 0 {
            continue;
        }
        let missing = (*n).min(a.count);
        *n -= missing;
        let quoted = serde_json::to_string(&a.key).unwrap_or_default();
        let span = text
            .find(&quoted)
            .map(|at| Span::new(at, at + quoted.len()));
        let mut f = Finding::new(
            Rule::LintUnusedBaseline,
            span,
            if missing == a.count {
                format!(
                    "the baseline accepts `{}` on `{}`, which no longer occurs",
                    a.rule, a.key
                )
            } else {
                format!(
                    "the baseline accepts `{}` on `{}` {} times, but it occurs {} times",
                    a.rule,
                    a.key,
                    a.count,
                    a.count - missing
                )
            },
        );
        f.label = Some("matches nothing".into());
        unused.push(f);
    }
    unused
}
