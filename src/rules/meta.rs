//! Rule metadata as owned, serializable values (`explain`, `rules --format json`, the
//! generated docs), made from the static table build.rs generates from `rules/*.toml` (see
//! `crate::rules::id`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Severity;
use crate::rules::id::{CategoryInfo, Rule, CATEGORIES};

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
    /// Record behaviour (see `crate::rules::id::RuleInfo`); not part of the JSON listing.
    #[serde(default, skip_serializing)]
    pub legacy_exempt: bool,
    #[serde(default, skip_serializing)]
    pub syntax: bool,
    #[serde(default, skip_serializing)]
    pub nameless: bool,
    #[serde(default, skip_serializing)]
    pub against_base: bool,
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

/// Every built-in rule, by category and by [`Rule`].
#[derive(Debug)]
pub struct Catalog {
    pub categories: Vec<CategoryMeta>,
    /// `(category, rule)` positions, indexed by `Rule as usize`.
    index: Vec<(usize, usize)>,
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

    /// Orders the categories and indexes their rules: each [`Rule`] exactly once.
    fn new(mut categories: Vec<CategoryMeta>) -> Result<Catalog, String> {
        categories.sort_by(|a, b| a.category.cmp(&b.category));
        let mut index = vec![None; Rule::ALL.len()];
        for (ci, cat) in categories.iter().enumerate() {
            for (ri, rule) in cat.rules.iter().enumerate() {
                let r = Rule::from_id(&rule.id)
                    .ok_or_else(|| format!("rule `{}` is not a built-in rule", rule.id))?;
                if index[r as usize].replace((ci, ri)).is_some() {
                    return Err(format!("rule `{}` is defined twice", rule.id));
                }
            }
        }
        let index = index
            .into_iter()
            .zip(Rule::ALL)
            .map(|(at, r)| at.ok_or_else(|| format!("rule `{r}` has no metadata")))
            .collect::<Result<_, _>>()?;
        Ok(Catalog { categories, index })
    }

    /// The metadata of a rule named by the user (`explain`, `allow`, levels).
    pub fn get(&self, id: &str) -> Option<&RuleMeta> {
        Rule::from_id(id).map(|r| self.rule(r))
    }

    pub fn rule(&self, rule: Rule) -> &RuleMeta {
        let (c, r) = self.index[rule as usize];
        &self.categories[c].rules[r]
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

impl CategoryInfo {
    fn to_meta(&self) -> CategoryMeta {
        CategoryMeta {
            category: self.category.to_string(),
            title: self.title.to_string(),
            description: self.description.to_string(),
            rules: self
                .rules
                .iter()
                .map(|r| {
                    let r = r.info();
                    RuleMeta {
                        id: r.id.to_string(),
                        severity: r.severity,
                        summary: r.summary.to_string(),
                        citation: r.citation.to_string(),
                        url: r.url.to_string(),
                        needs_registry: r.needs_registry,
                        scope: r.scope.to_vec(),
                        help: r.help.to_string(),
                        explanation: r.explanation.to_string(),
                        legacy_exempt: r.legacy_exempt,
                        syntax: r.syntax,
                        nameless: r.nameless,
                        against_base: r.against_base,
                    }
                })
                .collect(),
        }
    }
}

/// The built-in catalog.
pub fn builtin() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        match Catalog::new(CATEGORIES.iter().map(CategoryInfo::to_meta).collect()) {
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
        assert_eq!(parsed.index, built.index);
        assert!(!built.categories.is_empty());
    }
}
