//! `portreg config`.

use clap::ArgMatches;

use crate::cli::args::{LevelArgs, ListFormat, RegistrySource};
use crate::cli::shared::settings::{config_registry, config_service_codes, settings};
use crate::cli::shared::{print, resolve, Fatal};
use crate::rules::levels::Origin;

/// `portreg config`: the settings a `check` here would use, and their origins.
pub fn show_config(
    source: &RegistrySource,
    level_args: &LevelArgs,
    matches: Option<&ArgMatches>,
    format: ListFormat,
) -> Result<u8, Fatal> {
    let (config, custom, level_settings) = settings(source.config.as_deref(), level_args, matches)?;
    let config_file = config.as_ref().map(|c| c.path.display().to_string());
    let registry = resolve::locate(source.registry.as_deref(), config_registry(config.as_ref()))
        .map(|(p, o)| (p.display().to_string(), o.to_string()));
    let codes = resolve::locate_service_codes(
        source.service_codes.as_deref(),
        config_service_codes(config.as_ref()),
    )
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
        ListFormat::Json => {
            let mut json = serde_json::json!({
                "config": config_file,
                "registry": registry.as_ref().map(|(p, o)| serde_json::json!({"path": p, "from": o})),
                "levels": levels.iter().map(|(s, l, o)| serde_json::json!({"selector": s, "level": l, "from": o})).collect::<Vec<_>>(),
                "exclude": config.as_ref().map(|c| c.exclude.iter().map(|g| g.value.clone()).collect::<Vec<_>>()).unwrap_or_default(),
                "rules": custom.iter().map(|r| serde_json::json!({"id": r.id, "severity": r.severity, "from": r.source})).collect::<Vec<_>>(),
            });
            // Only when one is in use, so that the document is unchanged without one.
            if let (Some((p, o)), Some(obj)) = (&codes, json.as_object_mut()) {
                obj.insert(
                    "service_codes".into(),
                    serde_json::json!({"path": p, "from": o}),
                );
            }
            format!("{}\n", serde_json::to_string_pretty(&json)?)
        }
        ListFormat::Text => {
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
            if let Some((p, o)) = &codes {
                let _ = writeln!(out, "service codes: {p} (from {o})");
            }
            if levels.is_empty() {
                let _ = writeln!(out, "levels:      rule defaults (`portreg rules`)");
            } else {
                let _ = writeln!(out, "levels (applied in order, later wins):");
                for (s, l, o) in &levels {
                    let _ = writeln!(out, "  {s} = {l}    ({o})");
                }
            }
            if let Some(c) = config.as_ref().filter(|c| !c.exclude.is_empty()) {
                let globs: Vec<&str> = c.exclude.iter().map(|g| g.value.as_str()).collect();
                let _ = writeln!(out, "exclude:     {}", globs.join(", "));
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
