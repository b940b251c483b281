//! Every draft in `examples/` behaves as its `# expect:` comment says: exactly those rule ids
//! fire (hermetic, without a registry), and with the real registry also the ids of
//! `# expect-with-registry:` (when PORTREG_REAL_REGISTRY_DIR is set).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use portreg::engine::{check_drafts, DraftInput, Options};
use portreg::registry::Registry;

fn example_drafts() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).expect("examples/ is readable") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") && p.file_name().is_some_and(|n| n != "portreg.toml") && !p.to_string_lossy().contains("custom-rules") {
                out.push(p);
            }
        }
    }
    out.sort();
    assert!(out.len() >= 8, "expected the example drafts, found {out:?}");
    out
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
    let report = check_drafts(vec![DraftInput::new(path.display().to_string(), bytes)], options);
    let ids = report.diagnostics.iter().filter(|d| !d.suppressed).map(|d| d.rule.clone()).collect();
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
        let is_mistake = path.components().any(|c| c.as_os_str() == "mistakes");
        assert_eq!(errors, is_mistake, "{}: has errors = {errors}", path.display());
    }
}

#[test]
fn examples_against_the_real_registry() {
    let Some(dir) = std::env::var_os("PORTREG_REAL_REGISTRY_DIR") else {
        eprintln!("skipped: set PORTREG_REAL_REGISTRY_DIR to the folder holding the real IANA registry files (e.g. ../shared/registry) to run examples_against_the_real_registry");
        return;
    };
    let path = Path::new(&dir).join("service-names-port-numbers.xml");
    let registry = Registry::load(&path).unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()));
    let options = Options { registry: Some(Arc::new(registry)), ..Options::default() };
    for path in example_drafts() {
        let text = std::fs::read_to_string(&path).expect("example is UTF-8");
        let mut want = expected(&text, "expect").unwrap_or_default();
        want.extend(expected(&text, "expect-with-registry").unwrap_or_default());
        let (got, _) = fired(&path, &options);
        assert_eq!(got, want, "{}", path.display());
    }
}
