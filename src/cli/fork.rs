//! `portreg registry lint` and `portreg registry diff`: the commands a registry fork runs in CI.

use std::path::Path;
use std::sync::Arc;

use clap::ArgMatches;

use crate::cli::args::{OutputArgs, RegistryDiffArgs, RegistryLintArgs};
use crate::cli::shared::output::{emit, emit_with};
use crate::cli::shared::settings::{config_registry, config_service_codes, settings};
use crate::cli::shared::{print, resolve, Fatal};
use crate::config::custom::CustomRule;
use crate::diagnostic::Finding;
use crate::engine::{Options, Report};
use crate::records::{baseline, diff, lint};
use crate::registry::{LoadErrorKind, Registry};
use crate::rules::levels::Levels;
use crate::rules::Rule;

/// Loads the registry being linted. A file that is not a readable registry is a
/// `registry/malformed` finding at the fault (exit 1): here the registry is the input, not
/// a reference. A file that cannot be read at all is exit 2.
fn load_subject(path: &Path) -> Result<Result<Arc<Registry>, Report>, Fatal> {
    match Registry::load(path) {
        Ok(r) => Ok(Ok(Arc::new(r))),
        Err(e) if matches!(e.kind, LoadErrorKind::Malformed | LoadErrorKind::Utf8) => {
            let bytes = std::fs::read(path).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let offset = e.offset.unwrap_or(0).min(text.len());
            let mut f = Finding::new(
                Rule::RegistryMalformed,
                Some(crate::source::Span::new(offset, offset)),
                format!("this is not a readable registry: {}", e.message),
            );
            f.label = Some(e.message.clone());
            Ok(Err(crate::engine::report_for_file(
                &path.display().to_string(),
                &text,
                vec![f],
            )))
        }
        Err(e) => Err(Fatal(e.to_string())),
    }
}

/// The registry being linted, or `None` after printing its `registry/malformed` report.
fn subject(path: &Path, output: &OutputArgs) -> Result<Option<Arc<Registry>>, Fatal> {
    match load_subject(path)? {
        Ok(r) => Ok(Some(r)),
        Err(report) => {
            emit(&report, output)?;
            Ok(None)
        }
    }
}

fn options(levels: Levels, custom: Vec<CustomRule>) -> Result<Options, Fatal> {
    Ok(Options {
        levels,
        custom,
        today: crate::cli::shared::settings::today()?,
        ..Options::default()
    })
}

pub fn lint(args: RegistryLintArgs, matches: Option<&ArgMatches>) -> Result<u8, Fatal> {
    let (config, custom, levels) = settings(args.source.config.as_deref(), &args.levels, matches)?;
    let path = match args.file.as_deref().or(args.source.registry.as_deref()) {
        Some(p) => p.to_path_buf(),
        None => match resolve::locate(None, config_registry(config.as_ref())) {
            Some((p, _)) => p,
            None => {
                return Err(Fatal(
                    "no registry to lint: name a FILE, pass --registry, set PORTREG_REGISTRY, or run `portreg registry update`".into(),
                ))
            }
        },
    };
    let Some(registry) = subject(&path, &args.output)? else {
        return Ok(1);
    };
    let mut options = options(levels, custom)?;
    // The DCCP Service Codes registry, found as `check` finds it: the two are then checked
    // against each other.
    if let Some((p, origin)) = resolve::locate_service_codes(
        args.source.service_codes.as_deref(),
        config_service_codes(config.as_ref()),
    ) {
        options.service_codes = Some(resolve::load_service_codes(&p, &origin)?);
    }
    let mut report = lint::lint_registry(Arc::clone(&registry), &options);

    if let Some(out) = &args.write_baseline {
        let today = options
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let reason = args.reason.clone().unwrap_or_else(|| {
            format!("present when the baseline was written ({today}); replace with the real reason")
        });
        let b = baseline::from_diagnostics(&report.diagnostics, &reason);
        std::fs::write(out, baseline::to_json(&b)).map_err(|e| {
            Fatal(format!(
                "cannot write the baseline to `{}`: {e}",
                out.display()
            ))
        })?;
        let n: usize = b.findings.iter().map(|a| a.count).sum();
        print(&format!(
            "wrote {} baseline entries covering {n} findings to {}\n",
            b.findings.len(),
            crate::render::safe::line(&out.display().to_string())
        ))?;
        return Ok(0);
    }

    apply_baseline(
        &mut report,
        args.baseline.as_deref(),
        config.as_ref(),
        &options,
    )?;
    emit(&report, &args.output)?;
    let code = args.output.exit_code(&report);
    // The process ends next: freeing 14,533 parsed records one by one would only delay it.
    std::mem::forget(report);
    std::mem::forget(registry);
    Ok(code)
}

pub fn diff(args: RegistryDiffArgs, matches: Option<&ArgMatches>) -> Result<u8, Fatal> {
    let (config, custom, levels) = settings(args.config.as_deref(), &args.levels, matches)?;
    // BASE and HEAD load side by side (two scans when the index cache is cold); errors are
    // reported as one after the other would: BASE's first.
    let (base, head) = std::thread::scope(|s| {
        let head = crate::threads::spawn(s, || load_subject(&args.head));
        let base = resolve::load(&args.base, &resolve::Origin::Argument("BASE"));
        (base, head.join())
    });
    let base = base?;
    let head = match head {
        Ok(head) => head?,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let head = match head {
        Ok(head) => head,
        Err(report) => {
            emit(&report, &args.output)?;
            return Ok(1);
        }
    };
    let options = options(levels, custom)?;
    let mut report = diff::diff(base, head, &options);
    apply_baseline(
        &mut report,
        args.baseline.as_deref(),
        config.as_ref(),
        &options,
    )?;
    if let Some(path) = &args.sarif_file {
        std::fs::write(path, crate::render::sarif::render(&report)).map_err(|e| {
            Fatal(format!(
                "cannot write the SARIF report to `{}`: {e}",
                path.display()
            ))
        })?;
    }
    emit_with(&report, &args.output, args.sarif_file.as_deref())?;
    Ok(u8::from(report.has_errors()))
}

/// `--baseline` (else the config's `baseline`): accepted findings become suppressed, and
/// baseline entries that match nothing are findings of their own.
fn apply_baseline(
    report: &mut Report,
    flag: Option<&Path>,
    config: Option<&crate::config::Config>,
    options: &Options,
) -> Result<(), Fatal> {
    let baseline_path = flag
        .map(Path::to_path_buf)
        .or_else(|| config.and_then(|c| c.baseline.as_ref().map(|b| b.value.clone())));
    let Some(bp) = baseline_path else {
        return Ok(());
    };
    let text = std::fs::read_to_string(&bp)
        .map_err(|e| Fatal(format!("cannot read the baseline `{}`: {e}", bp.display())))?;
    let b = baseline::parse(&bp, &text).map_err(Fatal)?;
    let unused = baseline::apply(&b, &text, &mut report.diagnostics);
    report.add_findings(&bp.display().to_string(), &text, unused, options);
    // Accepted findings are now suppressed: count again.
    report.recount();
    Ok(())
}
