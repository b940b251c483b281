//! `portreg registry …`.

use std::fmt::Write as _;

use crate::cli::args::{ListFormat, RegistryCommand};
use crate::cli::shared::{print, resolve, Fatal};
use crate::render::json::RegistryInfo;

pub fn run(cmd: RegistryCommand, matches: Option<&clap::ArgMatches>) -> Result<u8, Fatal> {
    match cmd {
        RegistryCommand::Lint(args) => {
            crate::cli::fork::lint(args, matches.and_then(|m| m.subcommand_matches("lint")))
        }
        RegistryCommand::Diff(args) => {
            crate::cli::fork::diff(args, matches.and_then(|m| m.subcommand_matches("diff")))
        }
        RegistryCommand::Info { source, format } => {
            let config = crate::cli::shared::settings::load_config(source.config.as_deref())?;
            let from_config = crate::cli::shared::settings::config_registry(config.as_ref());
            let Some((path, origin)) = resolve::locate(source.registry.as_deref(), from_config)
            else {
                return Err(Fatal(
                    "no registry found: pass --registry <FILE>, set PORTREG_REGISTRY, or run `portreg registry update`".into(),
                ));
            };
            let registry = resolve::load(&path, &origin)?;
            let info = RegistryInfo::of(&registry);
            let counts = registry.status_counts();
            let text = match format {
                ListFormat::Json => {
                    let json = InfoJson {
                        info,
                        status: StatusJson::of(&counts),
                    };
                    let mut s = serde_json::to_string_pretty(&json)?;
                    s.push('\n');
                    s
                }
                ListFormat::Text => {
                    let mut out = String::new();
                    let _ = writeln!(
                        out,
                        "path:    {} (from {})",
                        crate::render::safe::line(info.path),
                        crate::render::safe::line(&origin.to_string())
                    );
                    let _ = writeln!(out, "format:  {}", info.format);
                    let _ = writeln!(
                        out,
                        "updated: {}",
                        crate::render::safe::line(info.updated.unwrap_or("unknown"))
                    );
                    let _ = writeln!(out, "records: {}", info.records);
                    let _ = writeln!(out, "people:  {}", info.people);
                    out.push_str(&status_text(&counts));
                    if origin == resolve::Origin::Cache {
                        if let Some((at, how)) = crate::tools::update::cache_age(&path) {
                            let age = crate::tools::update::human_age(chrono::Utc::now() - at);
                            let _ = writeln!(
                                out,
                                "cached:  {how} {} ({age} ago)",
                                at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                            );
                        }
                    }
                    out
                }
            };
            print(&text)?;
            Ok(0)
        }
        RegistryCommand::Update(args) => crate::cli::update::run(args),
        RegistryCommand::Export(args) => export(args),
    }
}

/// `registry info --format json`: the registry object plus the counts per status.
#[derive(serde::Serialize)]
struct InfoJson<'a> {
    #[serde(flatten)]
    info: RegistryInfo<'a>,
    status: StatusJson,
}

#[derive(serde::Serialize)]
struct StatusJson {
    /// Per status (`assigned`, `reserved-deassigned`, …): per transport.
    ports:
        std::collections::BTreeMap<&'static str, std::collections::BTreeMap<&'static str, usize>>,
    names_registered: usize,
    names_without_number: usize,
    names_historic: usize,
    aliases: usize,
    unauthorized: usize,
}

impl StatusJson {
    fn of(c: &crate::registry::StatusCounts) -> StatusJson {
        let ports = c
            .ports
            .iter()
            .map(|(k, row)| {
                let per = crate::model::Transport::ALL
                    .iter()
                    .map(|t| (t.as_str(), row[t.index()]))
                    .collect();
                (k.id(), per)
            })
            .collect();
        StatusJson {
            ports,
            names_registered: c.names_registered,
            names_without_number: c.names_name_only,
            names_historic: c.names_historic,
            aliases: c.aliases,
            unauthorized: c.unauthorized,
        }
    }
}

/// The counts per status as `registry info` prints them.
fn status_text(c: &crate::registry::StatusCounts) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "numbers: {:<26}{:>7}{:>7}{:>7}{:>7}",
        "(per transport)", "tcp", "udp", "sctp", "dccp"
    );
    for (k, row) in &c.ports {
        let _ = writeln!(
            out,
            "  {:<33}{:>7}{:>7}{:>7}{:>7}",
            k.as_str(),
            row[0],
            row[1],
            row[2],
            row[3]
        );
    }
    let _ = writeln!(
        out,
        "names:   {} registered ({} without a number), {} historic (named only by a de-assignment note)",
        c.names_registered, c.names_name_only, c.names_historic
    );
    let _ = writeln!(
        out,
        "aliases: {} records are aliases or duplicates of another name",
        c.aliases
    );
    let _ = writeln!(
        out,
        "unauthorized use known: {} (transport, number) pairs",
        c.unauthorized
    );
    out
}

/// `portreg registry export`.
fn export(args: crate::cli::args::RegistryExportArgs) -> Result<u8, Fatal> {
    use crate::cli::args::ExportFormat;
    use crate::records::export;
    let config = crate::cli::shared::settings::load_config(args.source.config.as_deref())?;
    let from_config = crate::cli::shared::settings::config_registry(config.as_ref());
    let flag = args.file.as_deref().or(args.source.registry.as_deref());
    let Some((path, origin)) = resolve::locate(flag, from_config) else {
        return Err(Fatal(
            "no registry to export: name a FILE, pass --registry, set PORTREG_REGISTRY, or run `portreg registry update`".into(),
        ));
    };
    let registry = resolve::load(&path, &origin)?;
    let built = export::build(&registry);
    let text = match args.format {
        ExportFormat::Services => export::services(&registry, &built),
        ExportFormat::Json => export::json(&registry, &built),
        ExportFormat::Csv => export::csv(&built),
    };
    print(&text)?;
    Ok(0)
}
