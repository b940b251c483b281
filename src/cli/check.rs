//! `portreg check`.

use std::path::Path;

use clap::ArgMatches;

use crate::cli::args::CheckArgs;
use crate::cli::fix::{self, Target};
use crate::cli::shared::input::{read_draft_file, read_stdin};
use crate::cli::shared::output::emit;
use crate::cli::shared::settings::{config_registry, settings, today};
use crate::cli::shared::{resolve, Fatal};
use crate::engine::{check_drafts, DraftInput, Options};

pub fn run(args: CheckArgs, matches: Option<&ArgMatches>) -> Result<u8, Fatal> {
    let (config, custom, levels) = settings(args.source.config.as_deref(), &args.levels, matches)?;

    let mut inputs = Vec::new();
    let mut targets = Vec::new();
    let mut stdin_used = false;
    for path in &args.drafts {
        if path == "-" {
            if stdin_used {
                return Err(Fatal("standard input (`-`) can be read only once".into()));
            }
            stdin_used = true;
            inputs.push(DraftInput::new("<stdin>", read_stdin()?));
            targets.push(Target::Stdin);
        } else {
            inputs.push(DraftInput::new(
                path.clone(),
                read_draft_file(Path::new(path))?,
            ));
            targets.push(Target::File(path.into()));
        }
    }

    let mut options = Options {
        levels,
        custom,
        today: today()?,
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

    if args.fix.fix || args.fix.diff {
        return fix::run(inputs, &targets, &options, args.fix, &args.output);
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
