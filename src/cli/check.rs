//! `portreg check`.

use std::path::Path;

use clap::ArgMatches;

use crate::cli::args::CheckArgs;
use crate::cli::fix::{self, Target};
use crate::cli::shared::input::{read_draft_file, read_stdin};
use crate::cli::shared::output::emit;
use crate::cli::shared::settings::{config_registry, config_service_codes, settings, today};
use crate::cli::shared::walk::{self, Excludes};
use crate::cli::shared::{resolve, Fatal};
use crate::engine::{check_read_with, read_while, DraftInput, DraftRules, Options};

pub fn run(args: CheckArgs, matches: Option<&ArgMatches>) -> Result<u8, Fatal> {
    let (config, custom, levels) = settings(args.source.config.as_deref(), &args.levels, matches)?;

    let excludes = Excludes::new(&args.exclude, config.as_ref())?;
    let mut options = Options {
        levels,
        custom,
        today: today()?,
        ..Options::default()
    };
    let location = match args.no_registry {
        true => None,
        false => resolve::locate(
            args.source.registry.as_deref(),
            config_registry(config.as_ref()),
        ),
    };
    options.registry_missing = !args.no_registry && location.is_none();
    if let Some((path, _)) = &location {
        options.fetched = crate::tools::update::fetched_on(path);
    }
    if !args.no_registry {
        if let Some((path, origin)) = resolve::locate_service_codes(
            args.source.service_codes.as_deref(),
            config_service_codes(config.as_ref()),
        ) {
            options.service_codes = Some(resolve::load_service_codes(&path, &origin)?);
        }
    }

    if args.fix.fix || args.fix.diff {
        let gathered = gather(&args, &excludes)?;
        if gathered.inputs.is_empty() && gathered.unreadable > 0 {
            return Ok(2);
        }
        if let Some((path, origin)) = &location {
            options.registry = Some(resolve::load(path, origin)?);
        }
        let code = fix::run(
            gathered.inputs,
            &gathered.targets,
            &options,
            args.fix,
            &args.output,
        )?;
        return Ok(if gathered.unreadable > 0 { 2 } else { code });
    }

    // The registry loads on a second thread while the drafts are read and parsed; that
    // thread also builds the contact table `policy/party-has-port` looks people up in.
    let contacts = options
        .levels
        .severity(crate::rules::Rule::PolicyPartyHasPort)
        .is_some();
    let load = location.as_ref().map(|(path, origin)| {
        move || {
            let loaded = resolve::load(path, origin);
            if let (true, Ok(registry)) = (contacts, &loaded) {
                registry.prepare_contacts();
            }
            loaded
        }
    });
    // The rules run on each draft as soon as it is parsed and the registry is there.
    let rules = DraftRules::new(&options, location.is_some());
    let (read, gathered, loaded, per_file) = read_while(
        || match gather(&args, &excludes) {
            Ok(mut g) => (std::mem::take(&mut g.inputs), Ok(g)),
            Err(fatal) => (Vec::new(), Err(fatal)),
        },
        load,
        |loaded, parse| match loaded {
            Some(Ok(registry)) => Some(rules.run(Some(registry), parse)),
            // The run stops with the load's error below.
            Some(Err(_)) => None,
            None => Some(rules.run(None, parse)),
        },
        few_files(&args.drafts),
    );
    drop(rules);
    let gathered = gathered?;
    if read.is_empty() && gathered.unreadable > 0 {
        return Ok(2);
    }
    options.registry = loaded.transpose()?;
    let per_file = per_file.into_iter().flatten().collect();
    let report = check_read_with(read, per_file, &options);
    emit(&report, &args.output)?;
    let code = if gathered.unreadable > 0 {
        2
    } else {
        args.output.exit_code(&report)
    };
    // The process ends here: freeing the registry's ~100k allocations one by one would only
    // delay the exit (about 5 ms).
    std::mem::forget(report);
    std::mem::forget(options);
    Ok(code)
}

/// True when `paths` are a few files (no folder): too few drafts for a second thread.
fn few_files(paths: &[String]) -> bool {
    paths.len() < crate::engine::PARALLEL_MIN_DRAFTS
        && paths.iter().all(|p| p == "-" || !Path::new(p).is_dir())
}

/// The drafts a run reads, the files `--fix` may write, and how many files could not be read.
struct Gathered {
    inputs: Vec<DraftInput>,
    targets: Vec<Target>,
    unreadable: usize,
}

/// Reads the drafts named on the command line (files, folders, `-`). A file that cannot be
/// read is reported and the run goes on; it makes the exit code 2.
fn gather(args: &CheckArgs, excludes: &Excludes) -> Result<Gathered, Fatal> {
    let mut unreadable = 0usize;
    let mut fail = |msg: String| {
        unreadable += 1;
        eprintln!("error: {}", crate::render::safe::log_line(&msg));
    };
    let mut inputs = Vec::new();
    let mut targets = Vec::new();
    let mut stdin_used = false;
    for path in &args.drafts {
        if path == "-" {
            if stdin_used {
                return Err(Fatal("standard input (`-`) can be read only once".into()));
            }
            stdin_used = true;
            let name = args.stdin_filename.as_deref().unwrap_or("<stdin>");
            inputs.push(DraftInput::new(name, read_stdin()?));
            targets.push(Target::Stdin);
            continue;
        }
        if !Path::new(path).is_dir() {
            match read_draft_file(Path::new(path)) {
                Ok(bytes) => {
                    inputs.push(DraftInput::new(path.clone(), bytes));
                    targets.push(Target::File(path.into()));
                }
                Err(Fatal(msg)) => fail(msg),
            }
            continue;
        }
        let (files, errors) = walk::drafts(Path::new(path), excludes);
        errors.into_iter().for_each(&mut fail);
        if files.is_empty() {
            eprintln!(
                "warning: no drafts (`*.toml`) in the folder `{}`",
                crate::render::safe::log_line(path)
            );
        }
        for file in files {
            match read_draft_file(&file) {
                Ok(bytes) => {
                    inputs.push(DraftInput::new(file.display().to_string(), bytes));
                    targets.push(Target::File(file));
                }
                Err(Fatal(msg)) => fail(msg),
            }
        }
    }
    Ok(Gathered {
        inputs,
        targets,
        unreadable,
    })
}
