//! Checks that the registry's modules depend on each other in one direction only: every file
//! may use the files of lower layers, never its own layer or a higher one.

use std::path::Path;

/// The layers, lowest first. A new file must be placed here (the test fails until it is).
const LAYERS: &[&[&str]] = &[
    &["fxhash", "cursor", "entity"],
    &["record", "text", "codec", "schema", "events"],
    &["groups"],
    &["error"],
    &["scan"],
    &["xml", "csvfile"],
    &["lazy"],
    &["index"],
    &["registry"],
    &["cache", "status", "contacts"],
    &["load"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The sibling modules a file names through `super::x` or `crate::registry::x` (comments and
/// its own `mod tests` excluded).
fn uses(source: &str) -> Vec<String> {
    let code = source.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = Vec::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for prefix in ["super::", "crate::registry::"] {
            let mut rest = line;
            while let Some(at) = rest.find(prefix) {
                rest = &rest[at + prefix.len()..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                out.push(rest[..end].to_string());
            }
        }
    }
    out
}

#[test]
fn registry_modules_depend_downwards_only() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/registry");
    let mut problems = Vec::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}"));
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(module) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if module == "mod" || module == "layers" {
            continue;
        }
        let Some(own) = layer(module) else {
            problems.push(format!("{module}.rs is in no layer of LAYERS"));
            continue;
        };
        let source = std::fs::read_to_string(&path).unwrap_or_default();
        for used in uses(&source) {
            match layer(&used) {
                Some(l) if l < own => {}
                Some(_) => problems.push(format!("{module} uses {used} (same or higher layer)")),
                // Not a sibling module: the facade's re-exports are not allowed either.
                None => problems.push(format!("{module} uses super::{used} (use the module)")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_sees_imports() {
    let src = "use super::xml;\nuse super::record::{Record};\n// super::load is a comment\nlet x = crate::registry::index::Keys::new();";
    assert_eq!(uses(src), ["xml", "record", "index"]);
}
