//! The settings a linting command runs with: the config file, its custom rules, the levels
//! (config first, then flags) and the date.

use std::path::Path;

use clap::ArgMatches;

use crate::cli::args::LevelArgs;
use crate::cli::shared::Fatal;
use crate::config::custom::{self, CustomRule};
use crate::config::{self, Config};
use crate::render;
use crate::rules::levels::{Level, Levels, Origin, Selector};
use crate::rules::meta::builtin;
use crate::rules::{Rule, RuleId};

/// The date rules compare with: `PORTREG_TODAY=YYYY-MM-DD` (for reproducible reports, e.g.
/// in snapshot tests), else `None`, meaning the real current date.
pub fn today() -> Result<Option<chrono::NaiveDate>, Fatal> {
    match std::env::var("PORTREG_TODAY") {
        Ok(v) if !v.is_empty() => chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                let well_formed = v.len() == 10
                    && v.bytes().enumerate().all(|(i, b)| match i {
                        4 | 7 => b == b'-',
                        _ => b.is_ascii_digit(),
                    });
                Fatal(if well_formed {
                    format!(
                        "PORTREG_TODAY: {}",
                        crate::rules::registry::missing_part(&v)
                    )
                } else {
                    format!("PORTREG_TODAY=`{v}` is not a date of the form YYYY-MM-DD")
                })
            }),
        _ => Ok(None),
    }
}

/// Config, custom rules and levels (config first, then flags) for a linting command.
pub fn settings(
    config_flag: Option<&Path>,
    level_args: &LevelArgs,
    matches: Option<&ArgMatches>,
) -> Result<(Option<Config>, Vec<CustomRule>, Levels), Fatal> {
    let config = load_config(config_flag)?;
    let custom = load_custom_rules(config.as_ref())?;
    let mut levels = Levels::default();
    if let Some(c) = &config {
        let origin = Origin::Config(c.path.display().to_string());
        for (selector, level) in &c.levels {
            levels.push(selector.value.clone(), *level, origin.clone());
        }
    }
    for (selector, level) in level_flags(level_args, matches, &custom)? {
        levels.push(selector, level, Origin::Flag);
    }
    Ok((config, custom, levels))
}

/// `-D/-W/-A` in command-line order.
pub fn level_flags(
    args: &LevelArgs,
    matches: Option<&ArgMatches>,
    custom: &[CustomRule],
) -> Result<Vec<(Selector, Level)>, Fatal> {
    let mut items: Vec<(usize, Level, &String)> = Vec::new();
    for (id, level, values) in [
        ("deny", Level::Deny, &args.deny),
        ("warn", Level::Warn, &args.warn),
        ("allow", Level::Allow, &args.allow),
    ] {
        let indices: Vec<usize> = matches
            .and_then(|m| m.indices_of(id))
            .map(|i| i.collect())
            .unwrap_or_default();
        for (n, value) in values.iter().enumerate() {
            items.push((indices.get(n).copied().unwrap_or(n), level, value));
        }
    }
    items.sort_by_key(|(i, ..)| *i);
    items
        .into_iter()
        .map(|(_, level, value)| Ok((parse_selector(value, custom)?, level)))
        .collect()
}

/// A rule id, a category, `all` or `warnings` (custom rules and namespaces included).
pub fn parse_selector(value: &str, custom: &[CustomRule]) -> Result<Selector, Fatal> {
    let catalog = builtin();
    // Ids and categories are lower case: `-A Name/Version` means `name/version`.
    let lowered = value.to_ascii_lowercase();
    let value = lowered.as_str();
    match value {
        "all" => return Ok(Selector::All),
        "warnings" => return Ok(Selector::Warnings),
        _ => {}
    }
    if catalog.get(value).is_some() {
        return Ok(Selector::Rule(RuleId::parse(value)));
    }
    if catalog.category(value).is_some() {
        return Ok(Selector::Category(value.to_string()));
    }
    if custom.iter().any(|r| r.id == value) {
        return Ok(Selector::Rule(RuleId::parse(value)));
    }
    if custom.iter().any(|r| r.category() == value) {
        return Ok(Selector::Category(value.to_string()));
    }
    let mut names: Vec<&str> = catalog.rules().iter().map(|r| r.id.as_str()).collect();
    names.extend(catalog.categories.iter().map(|c| c.category.as_str()));
    names.extend(custom.iter().map(|r| r.id.as_str()));
    let hint = crate::read::keys::suggest(value, &names)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_else(|| "; `portreg rules` lists them".into());
    Err(Fatal(format!(
        "`{value}` is not a rule id, a category, `all` or `warnings`{hint}"
    )))
}

/// The config file in effect: `--config`, else the nearest `portreg.toml`. Problems in it
/// are printed as diagnostics and stop the command (exit 2).
pub fn load_config(flag: Option<&Path>) -> Result<Option<Config>, Fatal> {
    let path = match flag {
        Some(p) => p.to_path_buf(),
        None => match std::env::current_dir()
            .ok()
            .and_then(|d| config::discover(&d))
        {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Fatal(format!("cannot read config `{}`: {e}", path.display())))?;
    let (config, problems) = config::parse(&path, &text);
    if problems.is_empty() {
        return Ok(Some(config));
    }
    let report = crate::engine::report_for_file(&path.display().to_string(), &text, problems);
    eprint!(
        "{}",
        render::human::render(&report, render::human::Style::default())
    );
    Err(Fatal(format!(
        "the config file `{}` has problems (see above)",
        path.display()
    )))
}

/// Reads the config's custom rule files; problems in them (or `[levels]` keys that name no
/// rule) are printed as diagnostics and stop the command (exit 2).
pub fn load_custom_rules(config: Option<&Config>) -> Result<Vec<CustomRule>, Fatal> {
    let Some(config) = config else {
        return Ok(Vec::new());
    };
    let mut all: Vec<CustomRule> = Vec::new();
    for file in &config.rules {
        let path = &file.value;
        let text = std::fs::read_to_string(path).map_err(|e| {
            Fatal(format!(
                "cannot read rules file `{}` (named in {}): {e}",
                path.display(),
                config.path.display()
            ))
        })?;
        let (rules, mut problems) = custom::parse(path, &text);
        for r in &rules {
            if all.iter().any(|o| o.id == r.id) {
                problems.push(crate::diagnostic::Finding::new(
                    Rule::ConfigCustomRule,
                    None,
                    format!(
                        "rule `{}` in `{}` is already defined in another rules file",
                        r.id,
                        path.display()
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            let report =
                crate::engine::report_for_file(&path.display().to_string(), &text, problems);
            eprint!(
                "{}",
                render::human::render(&report, render::human::Style::default())
            );
            return Err(Fatal(format!(
                "the rules file `{}` has problems (see above)",
                path.display()
            )));
        }
        all.extend(rules);
    }
    let unknown: Vec<crate::diagnostic::Finding> = config
        .unresolved
        .iter()
        .filter(|n| !all.iter().any(|r| r.id == n.value || r.category() == n.value))
        .map(|n| {
            let mut f = crate::diagnostic::Finding::new(
                Rule::ConfigUnknownKey,
                Some(n.span),
                format!("`{}` is not a rule id, a category, `all` or `warnings`, nor a custom rule or namespace", n.value),
            );
            f.label = Some("unknown rule or category".into());
            f
        })
        .collect();
    if !unknown.is_empty() {
        let text = std::fs::read_to_string(&config.path).unwrap_or_default();
        let report =
            crate::engine::report_for_file(&config.path.display().to_string(), &text, unknown);
        eprint!(
            "{}",
            render::human::render(&report, render::human::Style::default())
        );
        return Err(Fatal(format!(
            "the config file `{}` has problems (see above)",
            config.path.display()
        )));
    }
    Ok(all)
}

/// The config's `registry`, with the config path, for `resolve::locate`.
pub fn config_registry(config: Option<&Config>) -> Option<(&Path, std::path::PathBuf)> {
    let c = config?;
    Some((c.path.as_path(), c.registry.as_ref()?.value.clone()))
}

/// The config's `service-codes`, with the config path, for `resolve::locate_service_codes`.
pub fn config_service_codes(config: Option<&Config>) -> Option<(&Path, std::path::PathBuf)> {
    let c = config?;
    Some((c.path.as_path(), c.service_codes.as_ref()?.value.clone()))
}
