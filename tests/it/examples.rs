//! Every draft in `examples/` behaves as its `# expect:` comment says: exactly those rule ids
//! fire (hermetic, without a registry), and with the real registry also the ids of
//! `# expect-with-registry:` (an ignored test: see `harness::real_registry_dir`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use portreg::Registry;
use portreg::{check_drafts, DraftInput, Options};

fn example_drafts() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).expect("examples/ is readable") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "toml")
                && p.file_name().is_some_and(|n| n != "portreg.toml")
                && !p.to_string_lossy().contains("custom-rules")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    assert!(out.len() >= 8, "expected the example drafts, found {out:?}");
    out
}

fn is_mistake(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "mistakes")
}

/// The ids after `# <key>:` (comma-separated; `(none)` for none).
fn expected(text: &str, key: &str) -> Option<BTreeSet<String>> {
    let prefix = format!("# {key}:");
    let line = text.lines().find(|l| l.starts_with(&prefix))?;
    Some(
        line[prefix.len()..]
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty() && s != "(none)")
            .collect(),
    )
}

fn fired(path: &Path, options: &Options) -> (BTreeSet<String>, bool) {
    let bytes = std::fs::read(path).expect("example is readable");
    let report = check_drafts(
        vec![DraftInput::new(path.display().to_string(), bytes)],
        options,
    );
    let ids = report
        .diagnostics()
        .iter()
        .filter(|d| !d.suppressed)
        .map(|d| d.rule.clone())
        .collect();
    (ids, report.has_errors())
}

#[test]
fn examples_fire_exactly_what_their_comments_say() {
    for path in example_drafts() {
        let text = std::fs::read_to_string(&path).expect("example is UTF-8");
        let want = expected(&text, "expect")
            .unwrap_or_else(|| panic!("{} has no `# expect:` line", path.display()));
        let (got, errors) = fired(&path, &Options::default());
        assert_eq!(got, want, "{}", path.display());
        // Examples outside mistakes/ are the ones users copy: they must have no errors.
        if !is_mistake(&path) {
            assert!(!errors, "{} has error-level findings", path.display());
        }
    }
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn examples_against_the_real_registry() {
    let path = crate::harness::real_registry_file(crate::harness::REAL_CURRENT);
    let registry =
        Registry::load(&path).unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()));
    // Within 60 days of the file's <updated> (2026-08-17): no registry/stale.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 8, 20).expect("a date");
    let options = Options::default().with_registry(registry).with_today(today);
    for path in example_drafts() {
        let text = std::fs::read_to_string(&path).expect("example is UTF-8");
        let mut want = expected(&text, "expect").unwrap_or_default();
        want.extend(expected(&text, "expect-with-registry").unwrap_or_default());
        let (got, errors) = fired(&path, &options);
        assert_eq!(got, want, "{}", path.display());
        // Against the registry every mistake is caught at error level, and nothing else is.
        assert_eq!(
            errors,
            is_mistake(&path),
            "{}: has errors = {errors}",
            path.display()
        );
    }
}

/// Drafts with `# expect-in-fork:` are run by the binary from their own folder, so that the
/// `portreg.toml` there (levels, custom rules) applies.
#[test]
fn fork_example_uses_its_config_and_custom_rules() {
    let mut seen = 0;
    for path in example_drafts() {
        let text = std::fs::read_to_string(&path).expect("example is UTF-8");
        let Some(want) = expected(&text, "expect-in-fork") else {
            continue;
        };
        seen += 1;
        let dir = path.parent().expect("example has a folder");
        let file = path.file_name().expect("file name").to_string_lossy();
        let args = ["check", "--no-registry", "--format", "json", &file];
        let out = crate::harness::run_in(dir, &args);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
        let got: BTreeSet<String> = json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| d["rule"].as_str().expect("rule").to_string())
            .collect();
        assert_eq!(got, want, "{}", path.display());
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}: the fork's levels make it fail",
            path.display()
        );
    }
    assert_eq!(seen, 1, "examples/fork/request.toml");
}
