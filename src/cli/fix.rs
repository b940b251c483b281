//! `check --fix` and `check --diff`: apply the findings' fixes round by round (a fix can
//! reveal or unblock another), then write each changed draft in one step, or print the diff.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::args::{FixArgs, OutputArgs};
use crate::cli::shared::output::{emit, print};
use crate::cli::shared::Fatal;
use crate::diagnostic::FileId;
use crate::engine::{check_drafts, DraftInput, Options, Report};
use crate::fix::{apply, fixes_for, unified_diff};

/// Rounds of check-and-fix before giving up on reaching a fixed point (each fix removes its
/// finding, so real drafts settle in two or three).
const MAX_ROUNDS: usize = 10;

/// Where a draft came from, and so where its fixed text goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    Stdin,
}

/// Runs `check --fix` or `check --diff` over `inputs` (one `target` each, in order).
pub fn run(
    inputs: Vec<DraftInput>,
    targets: &[Target],
    options: &Options,
    args: FixArgs,
    output: &OutputArgs,
) -> Result<u8, Fatal> {
    let names: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    let originals: Vec<Vec<u8>> = inputs.into_iter().map(|i| i.bytes).collect();
    let (report, fixed, applied) = fix_rounds(&names, &originals, options, args.unsafe_fixes);
    let changed: Vec<usize> = (0..names.len())
        .filter(|&i| fixed[i] != originals[i])
        .collect();

    if args.diff {
        let mut out = String::new();
        for &i in &changed {
            // Only text that decoded as UTF-8 is ever fixed.
            let (Ok(old), Ok(new)) = (
                std::str::from_utf8(&originals[i]),
                std::str::from_utf8(&fixed[i]),
            ) else {
                continue;
            };
            out.push_str(&unified_diff(old, new, &names[i], &names[i]));
        }
        print(&out)?;
        if !changed.is_empty() {
            note(&format!(
                "{} would be applied to {} (run with `--fix` to apply)",
                count(applied, "fix", "fixes"),
                count(changed.len(), "file", "files")
            ));
        }
        return Ok(u8::from(!changed.is_empty()));
    }

    let mut stdin_text = None;
    for &i in &changed {
        match targets.get(i) {
            Some(Target::File(path)) => write_atomically(path, &fixed[i])?,
            Some(Target::Stdin) => stdin_text = Some(&fixed[i]),
            None => {}
        }
    }
    let stdin = targets.contains(&Target::Stdin);
    if stdin {
        // Standard output carries the fixed draft (the input when nothing changed), so the
        // report goes to standard error.
        let text = stdin_text.or_else(|| {
            targets
                .iter()
                .position(|t| *t == Target::Stdin)
                .and_then(|i| fixed.get(i))
        });
        if let Some(bytes) = text {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|_| out.flush())
                .map_err(|e| Fatal(format!("cannot write the fixed draft: {e}")))?;
        }
        let human = crate::render::human::render(&report, Default::default());
        eprint!("{human}");
    } else {
        emit(&report, output)?;
    }
    if applied > 0 {
        note(&format!(
            "applied {} in {}",
            count(applied, "fix", "fixes"),
            count(changed.len(), "file", "files")
        ));
    }
    Ok(u8::from(report.has_errors()))
}

/// Checks and fixes until no fix applies (or [`MAX_ROUNDS`]); returns the report on the
/// final texts, the texts, and how many fixes were applied.
fn fix_rounds(
    names: &[String],
    originals: &[Vec<u8>],
    options: &Options,
    unsafe_fixes: bool,
) -> (Report, Vec<Vec<u8>>, usize) {
    let mut texts = originals.to_vec();
    let mut applied = 0;
    let mut round = 0;
    loop {
        let inputs = names
            .iter()
            .zip(&texts)
            .map(|(n, t)| DraftInput::new(n.clone(), t.clone()))
            .collect();
        let report = check_drafts(inputs, options);
        if round == MAX_ROUNDS {
            return (report, texts, applied);
        }
        round += 1;
        let mut changed = false;
        for (i, bytes) in texts.iter_mut().enumerate() {
            let Ok(text) = std::str::from_utf8(bytes) else {
                continue;
            };
            // check_drafts adds the drafts to its file set first, in input order.
            let fixes = fixes_for(&report.diagnostics, FileId(i), unsafe_fixes);
            if fixes.is_empty() {
                continue;
            }
            let result = apply(text, &fixes);
            if result.applied > 0 && result.text != text {
                applied += result.applied;
                *bytes = result.text.into_bytes();
                changed = true;
            }
        }
        if !changed {
            return (report, texts, applied);
        }
    }
}

/// Replaces `path`'s content with `bytes` in one step: a temporary file in the same folder
/// (same file system), flushed, then renamed over it. A failure leaves the draft as it was.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    let shown = path.display();
    // Through a symlink, the file it points to is the draft.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "draft".into());
    let temp = dir.join(format!(
        ".{file_name}.portreg-fix-{}.tmp",
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(&target) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, &target)
    })();
    result.map_err(|e| {
        // Best effort: the temporary file may not exist.
        let _ = std::fs::remove_file(&temp);
        Fatal(format!("cannot write the fixed draft `{shown}`: {e}"))
    })
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A line about the fixing itself, on standard error so that standard output stays the
/// report (or the diff, or the fixed draft).
fn note(text: &str) {
    eprintln!("portreg: {text}");
}
