//! Reading inputs: request drafts (TOML) and, in `crate::registry`, registry files.

pub mod draft;
pub mod keys;
pub mod toml_table;

use crate::diagnostic::Finding;
use crate::source::Span;

/// A TOML parse error as a finding of `rule`, at the error's position (or the end of the
/// text), with the first line of the parser's message.
pub fn toml_error(rule: crate::rules::Rule, text: &str, e: &toml::de::Error) -> Finding {
    let span = e
        .span()
        .map(Span::from)
        .unwrap_or_else(|| Span::new(text.len(), text.len()));
    // The toml message is multi-line with its own snippet; keep its first line.
    let message = e.message().lines().next().unwrap_or("invalid TOML").trim();
    let mut f = Finding::new(rule, Some(span), format!("invalid TOML: {message}"));
    f.label = Some(message.to_string());
    f
}
