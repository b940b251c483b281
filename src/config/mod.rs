//! `portreg.toml`: found in the current folder or above it, or given with `--config`.
//! Read with spans, like drafts, so every problem points at its key or value.

pub mod custom;

use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Finding, Sink};
use crate::read::keys::suggest;
use crate::read::toml_table::{span_of, ProblemKind, Table, Value};
use crate::rules::levels::{Level, Selector};
use crate::rules::meta::builtin;
use crate::rules::{Rule, RuleId};
use crate::source::Spanned;

pub const FILE_NAME: &str = "portreg.toml";
const KEYS: &[&str] = &[
    "registry",
    "levels",
    "rules",
    "baseline",
    "exclude",
    "service-codes",
    "drafts",
];

/// The settings a config file gives; paths are resolved against the file's folder.
#[derive(Debug, Default)]
pub struct Config {
    pub path: PathBuf,
    pub registry: Option<Spanned<PathBuf>>,
    /// The DCCP Service Codes registry file.
    pub service_codes: Option<Spanned<PathBuf>>,
    pub levels: Vec<(Spanned<Selector>, Level)>,
    /// Custom rule files.
    pub rules: Vec<Spanned<PathBuf>>,
    /// The baseline `registry lint` uses when `--baseline` is not given.
    pub baseline: Option<Spanned<PathBuf>>,
    /// Globs (gitignore syntax, relative to the config's folder) of files and folders that
    /// `check` skips when walking a folder.
    pub exclude: Vec<Spanned<String>>,
    /// Globs (gitignore syntax, relative to the config's folder) of the files that are drafts
    /// even before they have an `[[entry]]` (`portreg lsp` checks them as drafts).
    pub drafts: Vec<Spanned<String>>,
    /// `[levels]` keys that are neither built-in rules nor categories: they must name a
    /// custom rule or namespace, which is known only once the rule files are read.
    pub unresolved: Vec<Spanned<String>>,
}

/// The nearest `portreg.toml` in `start` or a folder above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Reads a config text; problems are findings (rule ids `config/…`) with spans.
pub fn parse(path: &Path, text: &str) -> (Config, Vec<Finding>) {
    let mut out = Sink::default();
    let base = path.parent().unwrap_or(Path::new("."));
    let mut config = Config {
        path: path.to_path_buf(),
        ..Config::default()
    };
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => {
            return (
                config,
                vec![crate::read::toml_error(Rule::ConfigSyntax, text, &e)],
            )
        }
    };
    let mut t = Table::new(root.get_ref(), span_of(&root));
    config.registry = t
        .optional("registry")
        .and_then(|v| path_value(base, &mut t, "registry", v));
    config.service_codes = t
        .optional("service-codes")
        .and_then(|v| path_value(base, &mut t, "service-codes", v));
    config.baseline = t
        .optional("baseline")
        .and_then(|v| path_value(base, &mut t, "baseline", v));
    if let Some(items) = t.array("rules", "an array of rule file paths") {
        for item in items.value {
            config.rules.extend(path_value(base, &mut t, "rules", item));
        }
    }
    for key in ["exclude", "drafts"] {
        let Some(items) = t.array(key, "an array of glob patterns") else {
            continue;
        };
        for item in items.value {
            match item.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => {
                    let glob = Spanned::new(s.to_string(), span_of(item));
                    match key {
                        "exclude" => config.exclude.push(glob),
                        _ => config.drafts.push(glob),
                    }
                }
                _ => t.wrong_type(key, item, "a non-empty glob pattern"),
            }
        }
    }
    // After `rules`: levels may name custom rules.
    let expected = "a table of `rule-or-category = \"allow|warn|deny\"`";
    if let Some(table) = t.table("levels", expected) {
        levels(&table, &mut config, &mut out);
        // The TOML table is sorted by key; levels apply in the order they are written.
        config.levels.sort_by_key(|(sel, _)| sel.span.start);
    }
    for p in t.finalize(KEYS) {
        match &p.kind {
            ProblemKind::WrongType { expected, .. } => {
                out.report(
                    Rule::ConfigInvalidValue,
                    Some(p.span),
                    format!("{} must be {expected}", p.subject()),
                )
                .label("wrong type");
            }
            ProblemKind::Unknown { suggestion } => {
                let f = out.report(
                    Rule::ConfigUnknownKey,
                    Some(p.span),
                    format!("unknown key `{}` in {FILE_NAME}", p.key),
                );
                match suggestion {
                    Some(s) => f.label(format!("did you mean `{s}`?")),
                    None => f.label(format!("the keys are: {}", KEYS.join(", "))),
                };
            }
            // Nothing in the config is required.
            ProblemKind::Missing => {}
        }
    }
    (config, out.findings)
}

fn path_value(
    base: &Path,
    t: &mut Table<'_, '_>,
    key: &str,
    v: &Value<'_>,
) -> Option<Spanned<PathBuf>> {
    match v.get_ref() {
        DeValue::String(s) if !s.trim().is_empty() => {
            Some(Spanned::new(base.join(s.as_ref()), span_of(v)))
        }
        _ => {
            let expected = "a non-empty file path (relative to the config file)";
            t.wrong_type(key, v, expected);
            None
        }
    }
}

fn has_custom_files(config: &Config) -> bool {
    !config.rules.is_empty()
}

fn levels(t: &Table<'_, '_>, config: &mut Config, out: &mut Sink) {
    let catalog = builtin();
    for (key, v) in t.iter() {
        // Rule ids and categories are lower case; `Name/Version` means `name/version`.
        let lowered = key.get_ref().to_ascii_lowercase();
        let name = lowered.as_str();
        let selector = match name {
            "all" => Some(Selector::All),
            "warnings" => Some(Selector::Warnings),
            _ if catalog.get(name).is_some() => Some(Selector::Rule(RuleId::parse(name))),
            _ if catalog.category(name).is_some() => Some(Selector::Category(name.to_string())),
            _ => None,
        };
        let selector = match selector {
            Some(s) => Some(s),
            // Perhaps a custom rule or namespace: checked once the rule files are read.
            None if name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '/')
                && has_custom_files(config) =>
            {
                config
                    .unresolved
                    .push(Spanned::new(name.to_string(), key.span().into()));
                Some(if name.contains('/') {
                    Selector::Rule(RuleId::parse(name))
                } else {
                    Selector::Category(name.to_string())
                })
            }
            None => None,
        };
        let Some(selector) = selector else {
            let mut names: Vec<&str> = catalog.rules().iter().map(|r| r.id.as_str()).collect();
            names.extend(catalog.categories.iter().map(|c| c.category.as_str()));
            let f = out.report(
                Rule::ConfigUnknownKey,
                Some(key.span().into()),
                format!("`{name}` is not a rule id, a category, `all` or `warnings`"),
            );
            match suggest(name, &names) {
                Some(s) => f.label(format!("did you mean `{s}`?")),
                None => f.label("unknown rule or category"),
            };
            continue;
        };
        let level = match v.get_ref() {
            DeValue::String(s) => Level::parse(s),
            _ => None,
        };
        match level {
            Some(level) => config
                .levels
                .push((Spanned::new(selector, key.span().into()), level)),
            None => {
                let shown = match v.get_ref() {
                    DeValue::String(s) => format!("\"{s}\""),
                    _ => "this value".to_string(),
                };
                let f = out.report(
                    Rule::ConfigInvalidValue,
                    Some(v.span().into()),
                    format!("{shown} is not a level; use \"allow\", \"warn\" or \"deny\""),
                );
                let hint = match v.get_ref() {
                    DeValue::String(s) => {
                        severity_level(s).or_else(|| suggest(s, &["allow", "warn", "deny"]))
                    }
                    _ => None,
                };
                match hint {
                    Some(h) => f.label(format!("did you mean \"{h}\"?")),
                    None => f.label("expected allow, warn or deny"),
                };
            }
        }
    }
}

/// The level a severity word (as `portreg rules` shows them) or a common synonym means:
/// `error` is `deny`, `warning` is `warn`, `info`/`off`/`none` are `allow`.
fn severity_level(s: &str) -> Option<&'static str> {
    match s.trim().to_ascii_lowercase().as_str() {
        "error" | "errors" | "err" | "forbid" => Some("deny"),
        "warning" | "warnings" | "warning-level" => Some("warn"),
        "info" | "off" | "none" | "ignore" | "false" => Some("allow"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn reads_settings_relative_to_the_file() {
        let text = "registry = \"reg.xml\"\n[levels]\nname = \"deny\"\n\"policy/security-undeclared\" = \"allow\"\n";
        let (c, problems) = parse(Path::new("/x/y/portreg.toml"), text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            c.registry.map(|r| r.value),
            Some(PathBuf::from("/x/y/reg.xml"))
        );
        assert_eq!(c.levels.len(), 2);
    }

    #[test]
    fn exclude_globs_and_case_insensitive_levels() {
        let text = "exclude = [\"old/\", \"*.wip.toml\"]\n[levels]\n\"Name/Version\" = \"allow\"\n";
        let (c, problems) = parse(Path::new("portreg.toml"), text);
        assert!(problems.is_empty(), "{problems:?}");
        let globs: Vec<&str> = c.exclude.iter().map(|g| g.value.as_str()).collect();
        assert_eq!(globs, ["old/", "*.wip.toml"]);
        assert_eq!(c.exclude[0].span, Span::new(11, 17));
        assert_eq!(
            c.levels[0].0.value,
            Selector::Rule(RuleId::parse("name/version"))
        );
        let (_, problems) = parse(Path::new("portreg.toml"), "exclude = [\"\", 3]\n");
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn severity_words_suggest_their_level() {
        for (word, level) in [
            ("error", "deny"),
            ("warning", "warn"),
            ("info", "allow"),
            ("off", "allow"),
            ("none", "allow"),
        ] {
            let text = format!("[levels]\npolicy = \"{word}\"\n");
            let (_, problems) = parse(Path::new("portreg.toml"), &text);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(
                problems[0].label,
                Some(format!("did you mean \"{level}\"?"))
            );
        }
    }

    #[test]
    fn problems_have_spans_and_suggestions() {
        let text = "registy = \"x\"\n[levels]\nname = \"deni\"\nnam = \"deny\"\n";
        let (_, mut problems) = parse(Path::new("portreg.toml"), text);
        problems.sort_by_key(|f| f.span);
        let ids: Vec<_> = problems
            .iter()
            .map(|f| (f.rule.as_str(), f.label.clone()))
            .collect();
        assert_eq!(
            ids,
            vec![
                (
                    "config/unknown-key",
                    Some("did you mean `registry`?".to_string())
                ),
                (
                    "config/invalid-value",
                    Some("did you mean \"deny\"?".to_string())
                ),
                (
                    "config/unknown-key",
                    Some("did you mean `name`?".to_string())
                ),
            ]
        );
        assert_eq!(problems[0].span, Some(Span::new(0, 7)));
    }
}
