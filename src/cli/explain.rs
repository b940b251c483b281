//! `portreg explain` and `portreg rules`.

use std::fmt::Write as _;

use crate::cli::args::RulesFormat;
use crate::cli::shared::{print, Fatal};
use crate::config::custom::CustomRule;
use crate::rules::meta::{builtin, RuleMeta};

/// The text `portreg explain <rule>` prints for one rule.
pub fn rule_text(r: &RuleMeta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", r.id, r.severity);
    let _ = writeln!(out, "{}", r.summary);
    let _ = writeln!(out);
    let url = r.url().map(|u| format!(" <{u}>")).unwrap_or_default();
    let _ = writeln!(out, "Citation: {}{url}", r.citation);
    let _ = writeln!(out, "Applies to: {}", r.scope_text());
    let _ = writeln!(
        out,
        "Needs the registry: {}",
        if r.needs_registry { "yes" } else { "no" }
    );
    let _ = writeln!(out, "Default help: {}", r.help);
    let _ = writeln!(out);
    out.push_str(r.explanation.trim_end());
    out.push('\n');
    out
}

/// The text for a custom rule from a rules file.
fn custom_text(r: &CustomRule) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}, custom rule from {})",
        r.id, r.severity, r.source
    );
    let _ = writeln!(out, "{}", r.summary);
    if let Some(c) = &r.citation {
        let _ = writeln!(out, "\nCitation: {c}");
    }
    if let Some(h) = &r.help {
        let _ = writeln!(out, "Help: {h}");
    }
    if let Some(e) = &r.explanation {
        let _ = writeln!(out, "\n{}", e.trim_end());
    }
    out
}

pub fn explain(what: &str, config: Option<&std::path::Path>) -> Result<u8, Fatal> {
    let catalog = builtin();
    let custom = crate::cli::shared::settings::load_custom_rules(
        crate::cli::shared::settings::load_config(config)?.as_ref(),
    )?;
    // Ids and categories are lower case: `Name/Version` finds `name/version`.
    let lowered = what.to_ascii_lowercase();
    let what = lowered.as_str();
    if let Some(r) = custom.iter().find(|r| r.id == what) {
        // A rules file's text is input: shown safely.
        print(&crate::render::safe::text_lines(&custom_text(r)))?;
        return Ok(0);
    }
    let in_ns: Vec<&CustomRule> = custom.iter().filter(|r| r.category() == what).collect();
    if !in_ns.is_empty() {
        let text: Vec<String> = in_ns.iter().map(|r| custom_text(r)).collect();
        let text = text.join("\n----------------------------------------\n\n");
        print(&crate::render::safe::text_lines(&text))?;
        return Ok(0);
    }
    if let Some(r) = catalog.get(what) {
        print(&rule_text(r))?;
        return Ok(0);
    }
    if let Some(c) = catalog.category(what.trim_end_matches('/')) {
        let mut out = format!("# {}: {}\n\n{}\n", c.category, c.title, c.description);
        for r in &c.rules {
            out.push_str("\n----------------------------------------\n\n");
            out.push_str(&rule_text(r));
        }
        print(&out)?;
        return Ok(0);
    }
    let mut names: Vec<&str> = catalog.rules().iter().map(|r| r.id.as_str()).collect();
    names.extend(catalog.categories.iter().map(|c| c.category.as_str()));
    names.extend(custom.iter().map(|r| r.id.as_str()));
    let hint = crate::read::keys::suggest(what, &names)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_else(|| "; `portreg rules` lists them".into());
    Err(Fatal(format!(
        "`{what}` is not a rule id or a category{hint}"
    )))
}

pub fn list(format: RulesFormat) -> Result<u8, Fatal> {
    let rules = builtin().rules();
    let text = match format {
        RulesFormat::Markdown => crate::rules::docs::rules_markdown(),
        RulesFormat::Json => {
            let mut s = serde_json::to_string_pretty(&rules)?;
            s.push('\n');
            s
        }
        RulesFormat::Text => {
            // Grouped by category, as `explain <category>` and docs/rules.md are.
            let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
            let mut out = String::new();
            for (n, c) in builtin().categories.iter().enumerate() {
                if n > 0 {
                    out.push('\n');
                }
                let _ = writeln!(out, "{}: {}", c.category, c.title);
                let _ = writeln!(
                    out,
                    "  {:width$}  {:7}  {:8}  summary",
                    "rule", "default", "registry"
                );
                for r in &c.rules {
                    let _ = writeln!(
                        out,
                        "  {:width$}  {:7}  {:8}  {}",
                        r.id,
                        r.severity.as_str(),
                        if r.needs_registry { "needed" } else { "-" },
                        r.summary
                    );
                }
            }
            out
        }
    };
    print(&text)?;
    Ok(0)
}
