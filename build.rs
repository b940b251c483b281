//! Embeds the rule metadata in `rules/*.toml` into the binary, after checking that every
//! file parses and names its rules within its own category.
//!
//! The metadata is emitted as Rust literals (`CATEGORIES`) so a run does not parse TOML
//! (about 0.8 ms per start). The files themselves are embedded too (`RULE_FILES`), for the
//! test that the literals are exactly what `Catalog::parse` makes of them.

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

/// Mirrors `CategoryMeta` in src/rules/meta.rs (same field rules).
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct Category {
    category: String,
    title: String,
    description: String,
    #[serde(default, rename = "rule")]
    rules: Vec<Rule>,
}

/// Mirrors `RuleMeta` in src/rules/meta.rs.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct Rule {
    id: String,
    severity: String,
    summary: String,
    citation: String,
    url: String,
    #[serde(default)]
    needs_registry: bool,
    scope: Vec<String>,
    help: String,
    explanation: String,
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("#[cfg(test)]\npub const RULE_FILES: &[(&str, &str)] = &[\n");
    let mut cats = String::from("static CATEGORIES: &[StaticCategory] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let doc: Category = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not valid rule metadata: {e}", path.display()));
        let category = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            cats,
            "    StaticCategory {{\n        category: {:?},\n        title: {:?},\n        description: {:?},\n        rules: &[",
            doc.category, doc.title, doc.description
        );
        for rule in &doc.rules {
            assert!(
                rule.id.starts_with(&format!("{category}/")),
                "{}: rule `{}` is not in category `{category}`",
                path.display(),
                rule.id
            );
            let severity = match rule.severity.as_str() {
                "info" => "Info",
                "warning" => "Warning",
                "error" => "Error",
                s => panic!(
                    "{}: rule `{}`: unknown severity `{s}`",
                    path.display(),
                    rule.id
                ),
            };
            let scope: Vec<&str> = rule
                .scope
                .iter()
                .map(|s| match s.as_str() {
                    "draft" => "Scope::Draft",
                    "record" => "Scope::Record",
                    s => panic!(
                        "{}: rule `{}`: unknown scope `{s}`",
                        path.display(),
                        rule.id
                    ),
                })
                .collect();
            let _ = writeln!(
                cats,
                "            StaticRule {{\n                id: {:?},\n                severity: Severity::{severity},\n                summary: {:?},\n                citation: {:?},\n                url: {:?},\n                needs_registry: {},\n                scope: &[{}],\n                help: {:?},\n                explanation: {:?},\n            }},",
                rule.id,
                rule.summary,
                rule.citation,
                rule.url,
                rule.needs_registry,
                scope.join(", "),
                rule.help,
                rule.explanation
            );
        }
        cats.push_str("        ],\n    },\n");
        let name = path
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    cats.push_str("];\n");
    out.push_str(&cats);
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("rule_files.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}
