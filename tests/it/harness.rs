//! Helpers shared by the integration tests: running the binary in a clean environment,
//! temporary folders, fixture paths, the real registry, and (for the registry-fork tests)
//! finding the line of a unique piece of a fixture.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_portreg");
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The hand-written fork registry: one or more records per record-scope rule, and near misses.
pub const BASE: &str = "tests/fixtures/fork/base.xml";
/// A small BASE/HEAD pair for `registry diff`.
pub const DIFF_BASE: &str = "tests/fixtures/fork/diff-base.xml";
pub const DIFF_HEAD: &str = "tests/fixtures/fork/diff-head.xml";

/// "Today" for every run, so `registry/bad-date` (future dates) does not drift.
pub const TODAY: &str = "2026-08-20";

/// The crate root: fixture and example paths in the tests are relative to it.
pub fn root() -> &'static Path {
    Path::new(ROOT)
}

/// `tests/fixtures/<rel>` as an absolute path.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// A temporary folder removed on drop. All tests share one process, so the name carries a
/// counter besides the process id and the test's label.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(test: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("portreg-test-{}-{n}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    /// A temporary folder holding `files` (name, text).
    pub fn with_files(test: &str, files: &[(&str, &str)]) -> Self {
        let dir = TempDir::new(test);
        for (name, text) in files {
            dir.write(name, text);
        }
        dir
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// Writes `text` to `name` inside the folder and returns its path as a string.
    pub fn write(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).expect("write temp file");
        p.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `portreg` run from `dir` with a fixed today, no registry, user cache or CI variables from
/// the environment, and no colour.
pub fn command_in(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(dir)
        .env_remove("PORTREG_REGISTRY")
        .env_remove("PORTREG_SERVICE_CODES")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env("PORTREG_TODAY", TODAY)
        .env("NO_COLOR", "1");
    // Never pick up the developer's own cached registry, and never write a scan cache into
    // the fixtures (tests/it/registry_cache.rs tests the cache in a folder of its own).
    let no_cache = Path::new(ROOT).join("tests/fixtures/no-cache-here");
    cmd.env("XDG_CACHE_HOME", &no_cache)
        .env("HOME", &no_cache)
        .env("PORTREG_NO_INDEX_CACHE", "1");
    cmd
}

/// `portreg` run from the crate root in the clean environment of [`command_in`].
pub fn command(args: &[&str]) -> Command {
    command_in(root(), args)
}

/// Runs `portreg` from the crate root and checks it did not panic.
pub fn run(args: &[&str]) -> Output {
    run_in(Path::new(ROOT), args)
}

pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    finish(command_in(dir, args).output().expect("run portreg"), args)
}

/// Runs `portreg` from the crate root with `input` on standard input (written from a thread:
/// the child may stop reading early).
pub fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = command_in(root(), args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn portreg");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for portreg");
    let _ = writer.join();
    finish(out, args)
}

pub fn finish(out: Output, args: &[&str]) -> Output {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(
        out.status.code(),
        Some(101),
        "portreg {args:?} panicked:\n{err}"
    );
    assert!(!err.contains("panicked"), "portreg {args:?}:\n{err}");
    out
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard output without the closing summary line of the human and short formats (the
/// findings of a `--format short` run).
pub fn findings(out: &Output) -> String {
    let text = stdout(out);
    let body = text.strip_suffix('\n').unwrap_or(&text);
    match body.rsplit_once('\n') {
        Some((rest, last)) if is_summary(last) => format!("{rest}\n"),
        None if is_summary(body) => String::new(),
        _ => text,
    }
}

/// `1 error, 2 warnings in 1 entry (3 suppressed)`; with no entry read, `1 error, 0 warnings
/// in 1 file` or just the counts.
pub fn is_summary(line: &str) -> bool {
    regex::Regex::new(r"^\d+ errors?, \d+ warnings?(, \d+ infos?)?( in \d+ (entry|entries)( \(\d+ files\))?| in \d+ files?)?( \(\d+ suppressed\))?$")
        .is_ok_and(|re| re.is_match(line))
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// Runs with `--format json` and parses the report.
pub fn json(args: &[&str]) -> (i32, Value) {
    json_in(Path::new(ROOT), args)
}

pub fn json_in(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = run_in(dir, &all);
    let text = stdout(&out);
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "portreg {all:?}: not JSON ({e}); exit {:?}\nstdout:\n{text}\nstderr:\n{}",
            out.status.code(),
            stderr(&out)
        )
    });
    (code(&out), v)
}

/// The diagnostics of a JSON report that are not suppressed.
pub fn diagnostics(report: &Value) -> Vec<&Value> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .filter(|d| d["suppressed"] != Value::Bool(true))
        .collect()
}

/// `(rule, severity, name, line)` of every unsuppressed diagnostic, in report order.
pub fn summary_rows(report: &Value) -> Vec<(String, String, String, u64)> {
    diagnostics(report)
        .into_iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                d["severity"].as_str().unwrap_or("").to_string(),
                d["name"].as_str().unwrap_or("").to_string(),
                // Removals have no place in HEAD: their line is the related BASE record's.
                d["span"]["start"]["line"]
                    .as_u64()
                    .or_else(|| d["related"][0]["span"]["start"]["line"].as_u64())
                    .unwrap_or(0),
            )
        })
        .collect()
}

/// The 1-based line of the only occurrence of `needle` in `text`.
pub fn line_of(text: &str, needle: &str) -> u64 {
    let hits: Vec<usize> = text.match_indices(needle).map(|(i, _)| i).collect();
    assert_eq!(hits.len(), 1, "`{needle}` must occur exactly once");
    text[..hits[0]].matches('\n').count() as u64 + 1
}

pub fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(rel)).expect("read fixture")
}

/// The folder with the real IANA registry files, named by `PORTREG_REAL_REGISTRY_DIR`
/// (relative to the crate root when not absolute). The tests that call this are `#[ignore]`d;
/// run with `--include-ignored`, they fail here when the variable or the files are missing, so
/// a run without the data never looks like a run with it.
pub fn real_registry_dir() -> PathBuf {
    let dir = match std::env::var_os("PORTREG_REAL_REGISTRY_DIR") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => panic!(
            "PORTREG_REAL_REGISTRY_DIR is not set: point it at the folder with the real IANA \
             registry files (e.g. PORTREG_REAL_REGISTRY_DIR=../shared/registry), or leave out \
             --include-ignored / --ignored to skip the real-registry tests"
        ),
    };
    let dir = if dir.is_absolute() {
        dir
    } else {
        root().join(dir)
    };
    let current = dir.join(REAL_CURRENT);
    assert!(
        current.is_file(),
        "PORTREG_REAL_REGISTRY_DIR is set but {} does not exist",
        current.display()
    );
    dir
}

/// The real registry file `name` (one of the `REAL_*` names), which must exist.
pub fn real_registry_file(name: &str) -> PathBuf {
    let path = real_registry_dir().join(name);
    assert!(
        path.is_file(),
        "PORTREG_REAL_REGISTRY_DIR is set but {} does not exist",
        path.display()
    );
    path
}

/// The real registry files the tests read.
pub const REAL_CURRENT: &str = "service-names-port-numbers.xml";
pub const REAL_PREVIOUS: &str = "service-names-port-numbers-2026-07-19.xml";
pub const REAL_CSV_2024: &str = "service-names-port-numbers-2024-04.csv";
