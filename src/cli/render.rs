//! `portreg render`.

use std::io::Read;

use crate::cli::args::{RenderArgs, RenderAs};
use crate::cli::shared::input::MAX_DRAFT_BYTES;
use crate::cli::shared::{print, resolve, Fatal};
use crate::engine::{check_drafts, DraftInput, Options};
use crate::render;
use crate::render::draft::{build, to_csv, to_text, to_xml};

pub fn run(args: RenderArgs, matches: Option<&clap::ArgMatches>) -> Result<u8, Fatal> {
    let (display, bytes) = if args.draft == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_DRAFT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Fatal(format!("cannot read standard input: {e}")))?;
        ("<stdin>".to_string(), bytes)
    } else {
        let path = std::path::Path::new(&args.draft);
        let meta = std::fs::metadata(path)
            .map_err(|e| Fatal(format!("cannot read `{}`: {e}", args.draft)))?;
        if meta.is_dir() {
            return Err(Fatal(format!(
                "`{}` is a folder, not a draft file",
                args.draft
            )));
        }
        if meta.len() > MAX_DRAFT_BYTES {
            return Err(Fatal(format!(
                "`{}` is larger than 10 MiB; a request draft is a small TOML file",
                args.draft
            )));
        }
        let bytes =
            std::fs::read(path).map_err(|e| Fatal(format!("cannot read `{}`: {e}", args.draft)))?;
        (args.draft.clone(), bytes)
    };
    if bytes.len() as u64 > MAX_DRAFT_BYTES {
        return Err(Fatal(
            "standard input is larger than 10 MiB; a request draft is a small TOML file".into(),
        ));
    }

    // The normal checks, with the config's levels and rules (then `-D/-W/-A`); the registry
    // when one is found, unless `--no-registry`.
    let (config, custom, levels) = crate::cli::shared::settings::settings(
        args.source.config.as_deref(),
        &args.levels,
        matches,
    )?;
    let located = if args.no_registry {
        None
    } else {
        resolve::locate(
            args.source.registry.as_deref(),
            crate::cli::shared::settings::config_registry(config.as_ref()),
        )
    };
    let fetched = located
        .as_ref()
        .and_then(|(path, _)| crate::tools::update::fetched_on(path));
    let registry = match located {
        Some((path, origin)) => Some(resolve::load(&path, &origin)?),
        None => None,
    };
    let today = crate::cli::shared::settings::today()?;
    let options = Options {
        levels,
        custom,
        registry: registry.clone(),
        today,
        fetched,
        ..Options::default()
    };
    let report = check_drafts(
        vec![DraftInput::new(display.clone(), bytes.clone())],
        &options,
    );
    if report.has_errors() {
        let text = render::human::render(&report, render::human::Style::default());
        if !args.force {
            eprint!("{text}");
            eprintln!(
                "error: `{}` has {} error-level finding(s), so it was not rendered; fix them, or pass --force",
                crate::render::safe::line(&display),
                report.summary.errors
            );
            return Ok(1);
        }
        eprint!("{text}");
        eprintln!(
            "warning: rendering `{}` despite {} error-level finding(s) (--force)",
            crate::render::safe::line(&display),
            report.summary.errors
        );
    } else if report.summary.warnings > 0 {
        // The rendered record goes to standard output; what a reviewer would still say
        // about the draft goes beside it, on standard error.
        eprint!(
            "{}",
            render::human::render(&report, render::human::Style::default())
        );
    }

    let text = String::from_utf8_lossy(&bytes);
    let (draft, _) = crate::read::draft::read_draft(&text);
    // `PORTREG_TODAY` fixes the `date` attributes, as it fixes the date `check` uses.
    let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
    let rendered = build(&draft, registry.as_deref(), today);
    for note in &rendered.notes {
        eprintln!("note: {}", crate::render::safe::line(note));
    }
    let out = match args.as_ {
        RenderAs::Xml => {
            let (records, people) = to_xml(&rendered);
            if people.is_empty() {
                records
            } else {
                format!("{records}\n{people}")
            }
        }
        RenderAs::Csv => to_csv(&rendered),
        RenderAs::Text => to_text(&draft, &rendered, registry.as_deref()),
    };
    // Draft text with control characters (rendered only with --force) cannot drive the
    // terminal or start a workflow command.
    print(&render::safe::text_lines(&out))?;
    Ok(0)
}
