//! Turns the rule metadata in `rules/*.toml` into Rust, after checking that every file
//! parses, names its rules within its own category and gives record behaviour only to rules
//! that apply to records.
//!
//! Generated (in `OUT_DIR`):
//! - `rule_ids.rs` (included by src/rules/id.rs): the `Rule` enum, one variant per rule
//!   (`name/too-long` -> `Rule::NameTooLong`), so a misspelled id is a compile error, and
//!   the static metadata table `RULES` indexed by it. Literals, so a run parses no TOML.
//! - `rule_checks.rs` (included by src/rules/mod.rs): the list of category modules, one per
//!   `rules/<category>.toml`, whose `CHECKS` tables bind each rule to its check.
//! - `rule_files.rs` (tests only): the files themselves, for the test that the literals are
//!   exactly what `Catalog::parse` makes of them.

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
    #[serde(default)]
    legacy_exempt: bool,
    #[serde(default)]
    syntax: bool,
    #[serde(default)]
    nameless: bool,
    #[serde(default)]
    against_base: bool,
}

/// `name/too-long` -> `NameTooLong`.
fn variant(id: &str) -> String {
    id.split(['/', '-'])
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
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
    let mut rule_files = String::from("#[cfg(test)]\npub const RULE_FILES: &[(&str, &str)] = &[\n");
    let mut variants = String::new();
    let mut ids = String::new();
    let mut from_id = String::new();
    let mut table = String::new();
    let mut cats = String::new();
    let mut modules = Vec::new();
    let mut count = 0usize;
    let mut all = Vec::new();
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
        assert_eq!(
            doc.category,
            category,
            "{}: the category must be the file name",
            path.display()
        );
        modules.push(category.to_string());
        let mut members = Vec::new();
        for rule in &doc.rules {
            let fail =
                |what: String| -> ! { panic!("{}: rule `{}`: {what}", path.display(), rule.id) };
            let name = rule
                .id
                .strip_prefix(&format!("{category}/"))
                .unwrap_or_else(|| fail(format!("not in category `{category}`")));
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                fail("an id is `category/name` in lower-case letters, digits and hyphens".into());
            }
            let severity = match rule.severity.as_str() {
                "info" => "Info",
                "warning" => "Warning",
                "error" => "Error",
                s => fail(format!("unknown severity `{s}`")),
            };
            let scope: Vec<&str> = rule
                .scope
                .iter()
                .map(|s| match s.as_str() {
                    "draft" => "Scope::Draft",
                    "record" => "Scope::Record",
                    s => fail(format!("unknown scope `{s}`")),
                })
                .collect();
            let on_records = rule.scope.iter().any(|s| s == "record");
            for (key, set) in [
                ("legacy-exempt", rule.legacy_exempt),
                ("syntax", rule.syntax),
                ("nameless", rule.nameless),
            ] {
                if set && !on_records {
                    fail(format!(
                        "`{key}` is about records, but the scope has no \"record\""
                    ));
                }
            }
            if rule.syntax && rule.legacy_exempt {
                fail(
                    "`syntax` rules are already not run on legacy records; drop `legacy-exempt`"
                        .into(),
                );
            }
            if rule.against_base && !rule.needs_registry {
                fail(
                    "`against-base` checks against a registry: set `needs-registry = true`".into(),
                );
            }
            let v = variant(&rule.id);
            members.push(format!("Rule::{v}"));
            all.push(format!("Rule::{v}"));
            let _ = writeln!(
                variants,
                "    /// `{}`: {}\n    {v},",
                rule.id,
                // Plain text in rustdoc: no code spans, links or HTML tags.
                rule.summary
                    .replace('`', "'")
                    .replace('[', "\\[")
                    .replace(']', "\\]")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
            );
            let _ = writeln!(ids, "            Rule::{v} => {:?},", rule.id);
            let _ = writeln!(from_id, "            {:?} => Some(Rule::{v}),", rule.id);
            let _ = writeln!(
                table,
                "    RuleInfo {{\n        id: {:?},\n        category: {:?},\n        severity: Severity::{severity},\n        summary: {:?},\n        citation: {:?},\n        url: {:?},\n        needs_registry: {},\n        scope: &[{}],\n        help: {:?},\n        explanation: {:?},\n        legacy_exempt: {},\n        syntax: {},\n        nameless: {},\n        against_base: {},\n    }},",
                rule.id,
                category,
                rule.summary,
                rule.citation,
                rule.url,
                rule.needs_registry,
                scope.join(", "),
                rule.help,
                rule.explanation,
                rule.legacy_exempt,
                rule.syntax,
                rule.nameless,
                rule.against_base,
            );
            count += 1;
        }
        let _ = writeln!(
            cats,
            "    CategoryInfo {{\n        category: {:?},\n        title: {:?},\n        description: {:?},\n        rules: &[{}],\n    }},",
            doc.category,
            doc.title,
            doc.description,
            members.join(", ")
        );
        let name = path
            .file_name()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            rule_files,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    rule_files.push_str("];\n");

    let mut out = String::new();
    let _ = write!(
        out,
        "/// A built-in rule. Generated from `rules/*.toml` by build.rs: one variant per `[[rule]]`.\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]\n\
         #[non_exhaustive]\n\
         pub enum Rule {{\n{variants}}}\n\n\
         impl Rule {{\n\
         \x20   /// Every built-in rule, category by category in file order.\n\
         \x20   pub(crate) const ALL: [Rule; {count}] = [{all}];\n\n\
         \x20   /// The rule's id, `category/name`.\n\
         \x20   pub const fn id(self) -> &'static str {{\n        match self {{\n{ids}        }}\n    }}\n\n\
         \x20   /// The built-in rule with this id (ids from the command line, config files, `allow`s).\n\
         \x20   pub fn from_id(id: &str) -> Option<Rule> {{\n        match id {{\n{from_id}            _ => None,\n        }}\n    }}\n\n\
         \x20   /// The rule's metadata.\n\
         \x20   pub(crate) fn info(self) -> &'static RuleInfo {{\n        &RULES[self as usize]\n    }}\n\
         }}\n\n\
         /// The metadata of every rule, indexed by [`Rule`].\n\
         static RULES: [RuleInfo; {count}] = [\n{table}];\n\n\
         /// The categories, in file-name order.\n\
         pub static CATEGORIES: &[CategoryInfo] = &[\n{cats}];\n",
        all = all.join(", "),
    );
    let mut checks = String::from(
        "/// Each category module's checks, one module per `rules/<category>.toml`.\n\
         pub(crate) static CATEGORY_CHECKS: &[(&str, &[Check])] = &[\n",
    );
    for m in &modules {
        let _ = writeln!(checks, "    ({m:?}, {m}::CHECKS),");
    }
    checks.push_str("];\n");

    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for (name, text) in [
        ("rule_ids.rs", out),
        ("rule_checks.rs", checks),
        ("rule_files.rs", rule_files),
    ] {
        let dest = Path::new(&out_dir).join(name);
        std::fs::write(&dest, text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
    }
}
