//! Inputs the fuzzer (fuzz/, cargo-fuzz) found crashing, kept in tests/fixtures/fuzz/<target>/
//! and run through the fuzz targets' own code (fuzz/src/lib.rs, included here), so a fixed
//! crash stays fixed without running the fuzzer. Each input also has its expected outcome.

#[path = "../../fuzz/src/lib.rs"]
mod fuzz_harness;

use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(ROOT).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every kept input of a target (the folder may hold none yet).
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(ROOT).join("tests/fixtures/fuzz").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.display().to_string(), bytes)
        })
        .collect()
}

/// Every kept input of every target runs without a panic (the harness panics on a broken
/// invariant, as it did under the fuzzer).
#[test]
fn every_kept_input_runs_clean() {
    for (_, data) in inputs("draft_render") {
        fuzz_harness::draft_render(&data);
    }
    for (_, data) in inputs("draft_registry") {
        fuzz_harness::draft_registry(&data);
    }
    for (_, data) in inputs("registry_load") {
        let _ = fuzz_harness::registry_load(&data);
    }
    for (_, data) in inputs("service_codes") {
        let _ = fuzz_harness::service_codes(&data);
    }
    for (_, data) in inputs("config") {
        fuzz_harness::config(&data);
    }
    for (_, data) in inputs("custom_rules") {
        fuzz_harness::custom_rules(&data);
    }
    for (_, data) in inputs("baseline") {
        let _ = fuzz_harness::baseline(&data);
    }
}

/// The harness itself on ordinary inputs: a clean run gives the expected outcome, so a
/// harness that silently checked nothing would fail here.
#[test]
fn the_harness_runs_ordinary_inputs() {
    let draft = read("examples/user-port-tcp.toml");
    assert_eq!(
        fuzz_harness::rules(&fuzz_harness::draft_render(&draft)),
        Vec::<String>::new()
    );
    let taken = read("tests/fixtures/rules/conflict/port-taken.fires.toml");
    assert!(fuzz_harness::rules(&fuzz_harness::draft_registry(&taken))
        .contains(&"conflict/port-taken".to_string()));
    let mut pair = read("tests/fixtures/rules/conflict/in-drafts.cross-file.fires.toml");
    pair.extend_from_slice(fuzz_harness::DRAFT_SEPARATOR);
    pair.extend(read(
        "tests/fixtures/rules/conflict/in-drafts.cross-file.part2.toml",
    ));
    assert!(fuzz_harness::rules(&fuzz_harness::draft_registry(&pair))
        .contains(&"conflict/in-drafts".to_string()));

    assert_eq!(
        fuzz_harness::registry_load(&read("tests/fixtures/registry/quirks.xml"))
            .map(|(r, _)| r > 0),
        Ok(true)
    );
    assert!(fuzz_harness::registry_load(&read("tests/fixtures/registry/quirks.csv")).is_ok());
    assert!(fuzz_harness::registry_load(&read("tests/fixtures/registry/truncated.xml")).is_err());

    assert_eq!(
        fuzz_harness::config(b"[levels]\nnmae = \"deny\"\n"),
        ["config/unknown-key"]
    );
    let (count, problems) = fuzz_harness::custom_rules(&read("examples/fork/custom-rules.toml"));
    assert!(count > 0 && problems.is_empty(), "{count} {problems:?}");
    assert_eq!(
        fuzz_harness::baseline(
            br#"{"portreg-baseline": 1, "findings": [{"rule": "a/b", "key": "k", "reason": "r"}]}"#
        ),
        Ok(1)
    );
}
