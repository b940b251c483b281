//! Rule metadata: `rules/<category>.toml`, embedded at build time (see build.rs).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Severity;

include!(concat!(env!("OUT_DIR"), "/rule_files.rs"));

/// Where a rule applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Request drafts (`check`).
    Draft,
    /// Registry records (`registry lint`, `registry diff`).
    Record,
}

/// One rule's metadata, as written in `rules/*.toml`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RuleMeta {
    pub id: String,
    pub severity: Severity,
    pub summary: String,
    pub citation: String,
    pub url: String,
    #[serde(default)]
    pub needs_registry: bool,
    pub scope: Vec<Scope>,
    pub help: String,
    pub explanation: String,
}

impl RuleMeta {
    pub fn category(&self) -> &str {
        self.id.split('/').next().unwrap_or(&self.id)
    }
    pub fn applies_to(&self, scope: Scope) -> bool {
        self.scope.contains(&scope)
    }
    pub fn url(&self) -> Option<&str> {
        (!self.url.is_empty()).then_some(self.url.as_str())
    }
    /// `request drafts, registry records`, for `explain` and the generated docs.
    pub fn scope_text(&self) -> String {
        let names: Vec<&str> = self
            .scope
            .iter()
            .map(|s| match s {
                Scope::Draft => "request drafts",
                Scope::Record => "registry records",
            })
            .collect();
        names.join(", ")
    }
}

/// A category file's header.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CategoryMeta {
    pub category: String,
    pub title: String,
    pub description: String,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleMeta>,
}

/// Every built-in rule, by category and by id.
#[derive(Debug)]
pub struct Catalog {
    pub categories: Vec<CategoryMeta>,
    by_id: HashMap<String, (usize, usize)>,
}

impl Catalog {
    /// Parses category files; an error names the file.
    pub fn parse(files: &[(&str, &str)]) -> Result<Catalog, String> {
        let mut categories = Vec::new();
        for (name, text) in files {
            let cat: CategoryMeta =
                toml::from_str(text).map_err(|e| format!("rules/{name}: {e}"))?;
            categories.push(cat);
        }
        Catalog::new(categories)
    }

    /// Orders the categories and indexes their rules; a rule id may appear only once.
    fn new(mut categories: Vec<CategoryMeta>) -> Result<Catalog, String> {
        categories.sort_by(|a, b| a.category.cmp(&b.category));
        let mut by_id = HashMap::new();
        for (ci, cat) in categories.iter().enumerate() {
            for (ri, rule) in cat.rules.iter().enumerate() {
                if by_id.insert(rule.id.clone(), (ci, ri)).is_some() {
                    return Err(format!("rule `{}` is defined twice", rule.id));
                }
            }
        }
        Ok(Catalog { categories, by_id })
    }

    pub fn get(&self, id: &str) -> Option<&RuleMeta> {
        let &(c, r) = self.by_id.get(id)?;
        self.categories.get(c)?.rules.get(r)
    }

    pub fn category(&self, name: &str) -> Option<&CategoryMeta> {
        self.categories.iter().find(|c| c.category == name)
    }

    /// All rules, ordered by id.
    pub fn rules(&self) -> Vec<&RuleMeta> {
        let mut all: Vec<_> = self.categories.iter().flat_map(|c| &c.rules).collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all
    }
}

/// A category file as build.rs emits it: literals, so a run does not parse TOML.
struct StaticCategory {
    category: &'static str,
    title: &'static str,
    description: &'static str,
    rules: &'static [StaticRule],
}

struct StaticRule {
    id: &'static str,
    severity: Severity,
    summary: &'static str,
    citation: &'static str,
    url: &'static str,
    needs_registry: bool,
    scope: &'static [Scope],
    help: &'static str,
    explanation: &'static str,
}

impl StaticCategory {
    fn to_meta(&self) -> CategoryMeta {
        CategoryMeta {
            category: self.category.to_string(),
            title: self.title.to_string(),
            description: self.description.to_string(),
            rules: self
                .rules
                .iter()
                .map(|r| RuleMeta {
                    id: r.id.to_string(),
                    severity: r.severity,
                    summary: r.summary.to_string(),
                    citation: r.citation.to_string(),
                    url: r.url.to_string(),
                    needs_registry: r.needs_registry,
                    scope: r.scope.to_vec(),
                    help: r.help.to_string(),
                    explanation: r.explanation.to_string(),
                })
                .collect(),
        }
    }
}

/// The built-in catalog.
pub fn builtin() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        match Catalog::new(CATEGORIES.iter().map(StaticCategory::to_meta).collect()) {
            Ok(c) => c,
            // build.rs checked the files and a unit test compares the result with
            // `Catalog::parse` of the same files, so this cannot be reached by any input.
            Err(e) => unreachable!("embedded rule metadata is invalid: {e}"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The literals build.rs emits are exactly what parsing the files gives.
    #[test]
    fn builtin_matches_the_parsed_files() {
        let parsed = match Catalog::parse(RULE_FILES) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        let built = builtin();
        assert_eq!(
            format!("{:#?}", parsed.categories),
            format!("{:#?}", built.categories)
        );
        assert_eq!(parsed.by_id, built.by_id);
        assert!(!built.categories.is_empty());
    }
}
