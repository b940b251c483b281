//! Folders given to `check`: the drafts (`*.toml`) inside them, as ripgrep walks a tree
//! (`.gitignore` and `.ignore` honoured, hidden files skipped), minus `portreg.toml`, the
//! custom rule files the config names and what `--exclude` / config `exclude` match.
//! Paths come back sorted, so a run's order does not depend on the file system.

use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::cli::shared::Fatal;
use crate::config::{Config, FILE_NAME};

/// Globs (gitignore syntax) and the folder they are relative to.
pub struct Excludes {
    sets: Vec<Gitignore>,
    /// Files never read as drafts: the config's custom rule files (absolute).
    skip: Vec<PathBuf>,
}

impl Excludes {
    /// `--exclude` globs (relative to the current folder) and the config's `exclude`
    /// (relative to the config file's folder).
    pub fn new(cli: &[String], config: Option<&Config>) -> Result<Excludes, Fatal> {
        let cwd = std::env::current_dir()
            .map_err(|e| Fatal(format!("cannot read the current folder: {e}")))?;
        let mut sets = Vec::new();
        if !cli.is_empty() {
            sets.push(build(&cwd, cli.iter().map(String::as_str), "--exclude")?);
        }
        let mut skip = Vec::new();
        if let Some(c) = config {
            let dir = absolute(&cwd, c.path.parent().unwrap_or(Path::new(".")));
            if !c.exclude.is_empty() {
                let what = format!("`exclude` in {}", c.path.display());
                sets.push(build(
                    &dir,
                    c.exclude.iter().map(|g| g.value.as_str()),
                    &what,
                )?);
            }
            skip.extend(c.rules.iter().map(|r| canonical(&absolute(&cwd, &r.value))));
        }
        Ok(Excludes { sets, skip })
    }

    fn excluded(&self, path: &Path, is_dir: bool) -> bool {
        self.sets
            .iter()
            // The matcher panics on a path outside its root; such a path is not excluded.
            .filter(|s| path.starts_with(s.path()))
            .any(|s| s.matched_path_or_any_parents(path, is_dir).is_ignore())
    }
}

fn build<'a>(
    root: &Path,
    globs: impl Iterator<Item = &'a str>,
    what: &str,
) -> Result<Gitignore, Fatal> {
    let mut b = GitignoreBuilder::new(root);
    for g in globs {
        b.add_line(None, g)
            .map_err(|e| Fatal(format!("{what}: `{g}` is not a valid glob: {e}")))?;
    }
    b.build()
        .map_err(|e| Fatal(format!("{what}: invalid globs: {e}")))
}

fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The drafts under `dir`, sorted; an unreadable entry is an error message (the walk goes on).
pub fn drafts(dir: &Path, excludes: &Excludes) -> (Vec<PathBuf>, Vec<String>) {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        // .gitignore counts even outside a git checkout (a drafts folder copied elsewhere).
        .require_git(false)
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(format!("cannot walk `{}`: {e}", dir.display()));
                continue;
            }
        };
        let path = entry.path();
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if is_dir || entry.depth() == 0 {
            continue;
        }
        if path.extension().is_none_or(|e| e != "toml")
            || path.file_name().is_some_and(|n| n == FILE_NAME)
        {
            continue;
        }
        let full = absolute(&cwd, path);
        if excludes.excluded(&full, false) || excludes.skip.contains(&canonical(&full)) {
            continue;
        }
        found.push(path.to_path_buf());
    }
    found.sort();
    (found, errors)
}
