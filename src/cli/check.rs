//! `portreg check`.

use std::io::{IsTerminal, Read};
use std::path::Path;

use clap::ArgMatches;

use crate::cli::args::{CheckArgs, ColorChoice, Format, LevelArgs};
use crate::cli::{print, resolve, Fatal};
use crate::config::{self, Config};
use crate::custom::{self, CustomRule};
use crate::engine::{check_drafts, DraftInput, Options};
use crate::render;
use crate::rules::levels::{Level, Levels, Origin, Selector};
use crate::rules::meta::builtin;

/// Drafts larger than this are refused: real requests are a few kilobytes.
pub const MAX_DRAFT_BYTES: u64 = 10 * 1024 * 1024;

pub fn run(args: CheckArgs, matches: Option<&ArgMatches>) -> Result<u8, Fatal> {
    let (config, custom, levels) = settings(args.source.config.as_deref(), &args.levels, matches)?;

    let mut inputs = Vec::new();
    let mut stdin_used = false;
    for path in &args.drafts {
        if path == "-" {
            if stdin_used {
                return Err(Fatal("standard input (`-`) can be read only once".into()));
            }
            stdin_used = true;
            inputs.push(DraftInput::new("<stdin>", read_stdin()?));
        } else {
            inputs.push(DraftInput::new(
                path.clone(),
                read_draft_file(Path::new(path))?,
            ));
        }
    }

    let mut options = Options {
        levels,
        custom,
        today: crate::cli::today()?,
        ..Options::default()
    };
    if !args.no_registry {
        match resolve::locate(
            args.source.registry.as_deref(),
            config_registry(config.as_ref()),
        ) {
            Some((path, origin)) => options.registry = Some(resolve::load(&path, &origin)?),
            None => options.registry_missing = true,
        }
    }

    let report = check_drafts(inputs, &options);
    emit(&report, &args.output)?;
    let code = u8::from(report.has_errors());
    // The process ends here: freeing the registry's ~100k allocations one by one would only
    // delay the exit (about 5 ms).
    std::mem::forget(report);
    std::mem::forget(options);
    Ok(code)
}

/// Prints (and with `--output-file`, writes) a report in the chosen format.
pub fn emit(
    report: &crate::engine::Report,
    output: &crate::cli::args::OutputArgs,
) -> Result<(), Fatal> {
    emit_with(report, output, None)
}

/// [`emit`], naming `full_report` (a file with every finding written in the same run, such
/// as `--sarif-file`) in the GitHub summary when GitHub cannot annotate every finding.
pub fn emit_with(
    report: &crate::engine::Report,
    output: &crate::cli::args::OutputArgs,
    full_report: Option<&Path>,
) -> Result<(), Fatal> {
    let github = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let format = output.format.unwrap_or(if github {
        Format::Github
    } else {
        Format::Human
    });
    let human = |color: bool| {
        render::human::render(
            report,
            render::human::Style {
                color,
                ..Default::default()
            },
        )
    };
    let text = match format {
        Format::Human => human(use_color(output.color) && output.output_file.is_none()),
        Format::Short => render::short::render(report),
        Format::Json => render::json::render(report),
        Format::Sarif => render::sarif::render(report),
        Format::Github => render::github::render(
            report,
            full_report.map(|p| p.display().to_string()).as_deref(),
        ),
    };
    match &output.output_file {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| {
                Fatal(format!(
                    "cannot write the report to `{}`: {e}",
                    path.display()
                ))
            })?;
            print(&human(use_color(output.color)))
        }
        None => print(&text),
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn read_stdin() -> Result<Vec<u8>, Fatal> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_DRAFT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Fatal(format!("cannot read standard input: {e}")))?;
    if bytes.len() as u64 > MAX_DRAFT_BYTES {
        return Err(too_large("standard input"));
    }
    Ok(bytes)
}

fn too_large(what: &str) -> Fatal {
    Fatal(format!(
        "{what} is larger than {} MiB; a request draft is a small TOML file",
        MAX_DRAFT_BYTES / 1024 / 1024
    ))
}

fn read_draft_file(path: &Path) -> Result<Vec<u8>, Fatal> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| Fatal(format!("cannot read `{shown}`: {e}")))?;
    if meta.is_dir() {
        return Err(Fatal(format!("`{shown}` is a folder, not a draft file")));
    }
    if meta.len() > MAX_DRAFT_BYTES {
        return Err(too_large(&format!("`{shown}`")));
    }
    std::fs::read(path).map_err(|e| Fatal(format!("cannot read `{shown}`: {e}")))
}

/// `-D/-W/-A` in command-line order.
pub(crate) fn level_flags(
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
    match value {
        "all" => return Ok(Selector::All),
        "warnings" => return Ok(Selector::Warnings),
        _ => {}
    }
    if catalog.get(value).is_some() {
        return Ok(Selector::Rule(value.to_string()));
    }
    if catalog.category(value).is_some() {
        return Ok(Selector::Category(value.to_string()));
    }
    if custom.iter().any(|r| r.id == value) {
        return Ok(Selector::Rule(value.to_string()));
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
                    "config/custom-rule",
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
                "config/unknown-key",
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

/// `portreg config`: the settings a `check` here would use, and their origins.
pub fn show_config(
    source: &crate::cli::args::RegistrySource,
    level_args: &LevelArgs,
    matches: Option<&ArgMatches>,
    format: crate::cli::args::ListFormat,
) -> Result<u8, Fatal> {
    let (config, custom, level_settings) = settings(source.config.as_deref(), level_args, matches)?;
    let config_file = config.as_ref().map(|c| c.path.display().to_string());
    let registry = resolve::locate(source.registry.as_deref(), config_registry(config.as_ref()))
        .map(|(p, o)| (p.display().to_string(), o.to_string()));
    let levels: Vec<(String, &str, String)> = level_settings
        .settings
        .iter()
        .map(|s| {
            let origin = match &s.origin {
                Origin::Flag => "command line".to_string(),
                Origin::Config(path) => path.clone(),
            };
            (s.selector.to_string(), s.level.as_str(), origin)
        })
        .collect();
    let text = match format {
        crate::cli::args::ListFormat::Json => {
            let json = serde_json::json!({
                "config": config_file,
                "registry": registry.as_ref().map(|(p, o)| serde_json::json!({"path": p, "from": o})),
                "levels": levels.iter().map(|(s, l, o)| serde_json::json!({"selector": s, "level": l, "from": o})).collect::<Vec<_>>(),
                "rules": custom.iter().map(|r| serde_json::json!({"id": r.id, "severity": r.severity, "from": r.source})).collect::<Vec<_>>(),
            });
            format!("{}\n", serde_json::to_string_pretty(&json)?)
        }
        crate::cli::args::ListFormat::Text => {
            use std::fmt::Write as _;
            let mut out = String::new();
            let _ = writeln!(
                out,
                "config file: {}",
                config_file
                    .as_deref()
                    .unwrap_or("none (no portreg.toml here or above)")
            );
            match &registry {
                Some((p, o)) => {
                    let _ = writeln!(out, "registry:    {p} (from {o})");
                }
                None => {
                    let _ = writeln!(
                        out,
                        "registry:    none found (checks run without conflict rules)"
                    );
                }
            }
            if levels.is_empty() {
                let _ = writeln!(out, "levels:      rule defaults (`portreg rules`)");
            } else {
                let _ = writeln!(out, "levels (applied in order, later wins):");
                for (s, l, o) in &levels {
                    let _ = writeln!(out, "  {s} = {l}    ({o})");
                }
            }
            for r in &custom {
                let _ = writeln!(
                    out,
                    "custom rule: {} ({}) from {}",
                    r.id, r.severity, r.source
                );
            }
            // Paths and rule sources are input: one safe line each.
            crate::render::safe::text_lines(&out)
        }
    };
    print(&crate::render::safe::json(text))?;
    Ok(0)
}

/// Config, custom rules and levels (config first, then flags) for a linting command.
pub(crate) fn settings(
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
