//! Generated documentation: `docs/rules.md` from the rule metadata in `rules/*.toml`.
//!
//! `portreg rules --format markdown` prints [`rules_markdown`]; `tests/it/docs.rs` keeps the
//! committed `docs/rules.md` equal to it.

use std::fmt::Write as _;

use crate::rules::meta::{builtin, Catalog, RuleMeta};
use crate::rules::Rule;

/// The Markdown reference of every built-in rule (the content of `docs/rules.md`).
pub fn rules_markdown() -> String {
    catalog_markdown(builtin())
}

/// [`rules_markdown`] for any catalog. The output depends only on the catalog: categories in
/// id order, rules in the order of their category file.
pub fn catalog_markdown(catalog: &Catalog) -> String {
    let mut out = String::new();
    let count: usize = catalog.categories.iter().map(|c| c.rules.len()).sum();
    out.push_str("# portreg rules\n\n");
    out.push_str(
        "<!-- Generated from rules/*.toml by `cargo run -- rules --format markdown > docs/rules.md`; \
         do not edit by hand. -->\n\n",
    );
    let _ = writeln!(
        out,
        "Every rule portreg checks ({count} in {} categories), with its default severity, \
         citation and explanation. The same text is in the binary: `portreg rules` lists the \
         rules and `portreg explain <rule>` prints one of them.\n",
        catalog.categories.len()
    );
    out.push_str(
        "**Levels.** Each rule has a default severity: `error`, `warning` or `info`. A draft \
         with at least one error-level finding makes `portreg check` exit with code 1. \
         `-D`/`-W`/`-A` on the command line and `[levels]` in `portreg.toml` change the level \
         of a rule id, a category, `all` or `warnings` (`-D warnings` makes every warning an \
         error); the file applies first, then the flags, and a later flag wins. See \
         [Commands](../README.md#commands) and \
         [Configuration](../README.md#configuration-portregtoml).\n\n",
    );
    out.push_str(
        "**Explanations.** `portreg explain <rule>` prints a rule's section of this page: why \
         it exists, what it checks, its RFC citation and a before/after example; \
         `portreg explain <category>` (for example `portreg explain port`) prints every rule \
         of a category. See [Rules](../README.md#rules).\n\n",
    );
    let _ = writeln!(
        out,
        "**Suppressions.** When a finding does not apply to an entry, list its rule in the \
         entry's `[entry.lint] allow`, with the reason: \
         `allow = [{{ rule = \"name/version\", reason = \"v2 is the product's brand name\" }}]`. \
         A suppressed finding is not reported (JSON keeps it with `\"suppressed\": true`). A \
         suppression without a reason is an error ([lint/allow-without-reason](#{})), and one \
         that suppresses nothing is a warning ([lint/unused-allow](#{})). See \
         [Rules](../README.md#rules).\n",
        slug(Rule::LintAllowWithoutReason.id()),
        slug(Rule::LintUnusedAllow.id())
    );
    out.push_str("## Contents\n");
    for cat in &catalog.categories {
        let _ = writeln!(out, "\n### `{}`: {}\n", cat.category, cat.title);
        let _ = writeln!(out, "{}\n", cat.description.trim());
        for r in &cat.rules {
            let _ = writeln!(out, "- [{}](#{}): {}", r.id, slug(&r.id), r.summary);
        }
    }
    for cat in &catalog.categories {
        for r in &cat.rules {
            out.push('\n');
            rule_section(&mut out, r);
        }
    }
    out
}

fn rule_section(out: &mut String, r: &RuleMeta) {
    let _ = writeln!(out, "## {}\n", r.id);
    let _ = writeln!(out, "{}\n", r.summary);
    let _ = writeln!(out, "- **Default severity:** `{}`", r.severity);
    let _ = writeln!(
        out,
        "- **Needs the registry:** {}",
        if r.needs_registry { "yes" } else { "no" }
    );
    let _ = writeln!(out, "- **Applies to:** {}", r.scope_text());
    match r.url() {
        Some(url) => {
            let _ = writeln!(out, "- **Citation:** [{}]({url})", r.citation);
        }
        None => {
            let _ = writeln!(out, "- **Citation:** {}", r.citation);
        }
    }
    let _ = writeln!(out, "- **Default help:** {}\n", r.help);
    out.push_str(&demote_headings(r.explanation.trim(), 2));
}

/// Adds `by` levels to every ATX heading outside fenced code blocks (`# comments` in TOML
/// examples stay as they are), up to level 6.
pub fn demote_headings(markdown: &str, by: usize) -> String {
    let mut out = String::new();
    let mut fence: Option<&str> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(f), Some(m)) if f == m && trimmed.trim_end() == m => fence = None,
            _ => {}
        }
        let level = line.bytes().take_while(|&b| b == b'#').count();
        let is_heading = fence.is_none()
            && marker.is_none()
            && (1..=6).contains(&level)
            && line[level..].starts_with(' ');
        if is_heading {
            out.push_str(&"#".repeat((level + by).min(6)));
            out.push_str(&line[level..]);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The anchor GitHub (and most Markdown renderers) give a heading: lower case, spaces to
/// hyphens, punctuation other than `-` and `_` dropped (`name/too-long` -> `nametoo-long`).
pub fn slug(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demotes_headings_outside_fences_only() {
        let md = "## What it does\ntext\n```toml\n# a comment\n## also a comment\n```\n### Notes\n#nospace";
        assert_eq!(
            demote_headings(md, 2),
            "#### What it does\ntext\n```toml\n# a comment\n## also a comment\n```\n##### Notes\n#nospace\n"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("name/too-long"), "nametoo-long");
        assert_eq!(slug("Use instead"), "use-instead");
    }

    #[test]
    fn every_rule_has_a_section_and_a_contents_link() {
        let md = rules_markdown();
        for r in builtin().rules() {
            assert!(md.contains(&format!("\n## {}\n", r.id)), "{}", r.id);
            assert!(md.contains(&format!("](#{})", slug(&r.id))), "{}", r.id);
        }
    }
}
