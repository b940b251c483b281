//! `check --fix`, `--unsafe-fixes` and `--diff`, and the `fix` of findings in the reports:
//! every fix removes its finding, fixing is idempotent, comments and layout survive, a file
//! is never half-written.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness::*;

/// Every draft of the fixtures and examples (files that are not drafts just have no fix).
fn drafts() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("tests/fixtures"), &mut out);
    walk(&root().join("examples"), &mut out);
    out.sort();
    out
}

/// `(rule, entry, message)` of every unsuppressed finding.
fn findings(report: &Value) -> Vec<(String, Value, String)> {
    diagnostics(report)
        .into_iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_string(),
                d["entry"].clone(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// `text` with the edits of a JSON `fix` made (offsets are bytes into the checked file).
fn apply_json_fix(text: &str, fix: &Value) -> String {
    let mut edits: Vec<(usize, usize, &str)> = fix["edits"]
        .as_array()
        .expect("edits")
        .iter()
        .map(|e| {
            let at = e["span"]["offset"].as_u64().expect("offset") as usize;
            let len = e["span"]["length"].as_u64().expect("length") as usize;
            (
                at,
                at + len,
                e["replacement"].as_str().expect("replacement"),
            )
        })
        .collect();
    edits.sort();
    let mut out = String::new();
    let mut at = 0;
    for (start, end, r) in edits {
        out.push_str(&text[at..start]);
        out.push_str(r);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

#[test]
fn every_fix_removes_its_finding() {
    let dir = TempDir::new("every-fix");
    let mut fixed = 0;
    let mut rules = std::collections::BTreeSet::new();
    for draft in drafts() {
        let Ok(text) = std::fs::read_to_string(&draft) else {
            continue;
        };
        let path = draft.display().to_string();
        let (_, before) = json(&["check", "--no-registry", &path]);
        for d in diagnostics(&before) {
            let Some(fix) = d.get("fix") else { continue };
            let rule = d["rule"].as_str().unwrap_or("");
            assert!(
                ["safe", "unsafe"].contains(&fix["applicability"].as_str().unwrap_or("")),
                "{path}: {rule}: {fix}"
            );
            let after_text = apply_json_fix(&text, fix);
            assert_ne!(after_text, text, "{path}: {rule}: the fix changes nothing");
            let name = draft.file_name().and_then(|n| n.to_str()).unwrap_or("d");
            let fixed_path = dir.write(name, &after_text);
            let (_, after) = json(&["check", "--no-registry", &fixed_path]);
            let key = (
                rule.to_string(),
                d["entry"].clone(),
                d["message"].as_str().unwrap_or("").to_string(),
            );
            let same_rule = |r: &Value| {
                findings(r)
                    .iter()
                    .filter(|f| f.0 == key.0 && f.1 == key.1)
                    .count()
            };
            assert!(
                !findings(&after).contains(&key),
                "{path}: `{rule}` still fires after its fix:\n{after_text}"
            );
            assert!(
                same_rule(&after) < same_rule(&before),
                "{path}: `{rule}` fires as often after its fix"
            );
            assert!(
                !findings(&after).iter().any(|f| f.0 == "draft/syntax"),
                "{path}: `{rule}`'s fix broke the TOML:\n{after_text}"
            );
            fixed += 1;
            rules.insert(rule.to_string());
        }
    }
    // The fixtures exercise every rule that has a fix.
    let expected = [
        "draft/non-canonical",
        "draft/unknown-key",
        "name/double-hyphen",
        "name/hyphen-edge",
        "name/invalid-char",
        "name/redundant-word",
        "name/srv-label",
        "name/uppercase",
        "name/version",
        "port/invalid",
        "transport/unknown",
    ];
    assert_eq!(
        rules.iter().map(String::as_str).collect::<Vec<_>>(),
        expected,
        "{fixed} fixes checked"
    );
}

/// A draft with a comment on nearly every line and odd spacing.
const COMMENTED: &str = r#"# Acme's request: keep this comment.
format = 1

[[entry]]   # the one entry
name    = "Acme_Upload-v2"  # the name, as marketing wrote it
transport = [ "tpc",   # a typo
              "UDP" ]
port = '4880-4873'          # reversed on purpose
description = "Acme telemetry upload"
asignee = "Acme_Corp"       # misspelt key
contact = "Acme_Corp"
reference = "https://acme.example/upload"

[entry.justification]
why-not-dynmic = "devices are configured by hand"   # misspelt too
why-multiple-transports = "the protocol runs over both"
why-multiple-ports = "one port per device class"

[people.Acme_Corp]
org = "Acme Corporation"
email = "ports@acme.example"
"#;

const COMMENTED_SAFE: &str = r#"# Acme's request: keep this comment.
format = 1

[[entry]]   # the one entry
name    = "Acme_Upload-v2"  # the name, as marketing wrote it
transport = [ "tcp",   # a typo
              "udp" ]
port = '4873-4880'          # reversed on purpose
description = "Acme telemetry upload"
assignee = "Acme_Corp"       # misspelt key
contact = "Acme_Corp"
reference = "https://acme.example/upload"

[entry.justification]
why-not-dynamic = "devices are configured by hand"   # misspelt too
why-multiple-transports = "the protocol runs over both"
why-multiple-ports = "one port per device class"

[people.Acme_Corp]
org = "Acme Corporation"
email = "ports@acme.example"
"#;

#[test]
fn fix_keeps_comments_and_layout_and_reports_what_remains() {
    let dir = TempDir::with_files("fix-commented", &[("d.toml", COMMENTED)]);
    let out = run_in(dir.path(), &["check", "--no-registry", "--fix", "d.toml"]);
    let after = std::fs::read_to_string(dir.join("d.toml")).expect("read");
    assert_eq!(after, COMMENTED_SAFE);
    // What remains is reported, on the fixed text; the unsafe fixes are offered.
    let report = stdout(&out);
    assert!(report.contains("name/invalid-char"), "{report}");
    assert!(!report.contains("transport/unknown"), "{report}");
    assert!(
        report.contains("fixable with `--fix --unsafe-fixes`"),
        "{report}"
    );
    assert_eq!(code(&out), 1, "name/invalid-char is an error");
    assert_eq!(stderr(&out), "portreg: applied 5 fixes in 1 file\n");

    // A second run has nothing left to do.
    let again = run_in(dir.path(), &["check", "--no-registry", "--fix", "d.toml"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("d.toml")).expect("read"),
        COMMENTED_SAFE
    );
    assert_eq!(stderr(&again), "");
    assert_eq!(stdout(&again), report);

    // Unsafe fixes rename the service, round after round, until the name is clean.
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--no-registry",
            "--fix",
            "--unsafe-fixes",
            "d.toml",
        ],
    );
    let after = std::fs::read_to_string(dir.join("d.toml")).expect("read");
    assert_eq!(
        after,
        COMMENTED_SAFE.replace("\"Acme_Upload-v2\"", "\"acme-upload\"")
    );
    assert!(!stdout(&out).contains("name/"), "{}", stdout(&out));
    let twice = run_in(
        dir.path(),
        &[
            "check",
            "--no-registry",
            "--fix",
            "--unsafe-fixes",
            "d.toml",
        ],
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("d.toml")).expect("read"),
        after
    );
    assert_eq!(stderr(&twice), "");
}

#[test]
fn diff_prints_what_fix_would_change_and_writes_nothing() {
    let dir = TempDir::with_files("fix-diff", &[("d.toml", COMMENTED)]);
    let out = run_in(dir.path(), &["check", "--no-registry", "--diff", "d.toml"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        std::fs::read_to_string(dir.join("d.toml")).expect("read"),
        COMMENTED
    );
    insta::with_settings!({
        snapshot_path => "../../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("fix_diff", stdout(&out));
    });
    assert_eq!(
        stderr(&out),
        "portreg: 5 fixes would be applied to 1 file (run with `--fix` to apply)\n"
    );
    let unsafe_out = run_in(
        dir.path(),
        &[
            "check",
            "--no-registry",
            "--diff",
            "--unsafe-fixes",
            "d.toml",
        ],
    );
    assert!(stdout(&unsafe_out).contains("+name    = \"acme-upload\""));

    // Nothing to fix: no diff, exit 0.
    let clean = root().join("examples/user-port-tcp.toml");
    let out = run(&[
        "check",
        "--no-registry",
        "--diff",
        &clean.display().to_string(),
    ]);
    assert_eq!((code(&out), stdout(&out).as_str()), (0, ""));
}

#[test]
fn fix_and_diff_conflict() {
    let out = run(&["check", "--fix", "--diff", "x.toml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--diff"), "{}", stderr(&out));
}

#[test]
fn a_draft_that_cannot_be_parsed_is_left_alone() {
    let broken = "[[entry]]\nname = \"acme_upload\"\ntransport = \"tpc\"\nport = \n";
    let dir = TempDir::with_files("fix-broken", &[("d.toml", broken)]);
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--no-registry",
            "--fix",
            "--unsafe-fixes",
            "d.toml",
        ],
    );
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("draft/syntax"));
    assert_eq!(
        std::fs::read_to_string(dir.join("d.toml")).expect("read"),
        broken
    );
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["d.toml"]);
}

#[test]
fn a_rename_onto_an_existing_key_is_not_offered() {
    let text = "[[entry]]\nname = \"acme\"\nnote = \"a\"\nnotes = \"b\"\n";
    let dir = TempDir::with_files("fix-dup-key", &[("d.toml", text)]);
    let (_, report) = json_in(dir.path(), &["check", "--no-registry", "d.toml"]);
    let unknown: Vec<_> = diagnostics(&report)
        .into_iter()
        .filter(|d| d["rule"] == "draft/unknown-key")
        .collect();
    assert_eq!(unknown.len(), 1);
    assert!(unknown[0].get("fix").is_none(), "{}", unknown[0]);
}

#[test]
fn stdin_fix_prints_the_fixed_draft() {
    let out = run_stdin(
        &["check", "--no-registry", "--fix", "-"],
        COMMENTED.as_bytes(),
    );
    assert_eq!(stdout(&out), COMMENTED_SAFE);
    let err = stderr(&out);
    assert!(err.contains("name/invalid-char"), "{err}");
    assert!(
        err.ends_with("portreg: applied 5 fixes in 1 file\n"),
        "{err}"
    );
    assert_eq!(code(&out), 1);
}

#[test]
fn json_and_sarif_carry_the_fix() {
    let dir = TempDir::with_files("fix-json", &[("d.toml", COMMENTED)]);
    let (_, report) = json_in(dir.path(), &["check", "--no-registry", "d.toml"]);
    let port = diagnostics(&report)
        .into_iter()
        .find(|d| d["rule"] == "port/invalid")
        .expect("port/invalid");
    let offset = COMMENTED.find("4880-4873").expect("range");
    assert_eq!(
        port["fix"],
        serde_json::json!({
            "applicability": "safe",
            "edits": [{
                "span": {
                    "offset": offset,
                    "length": 9,
                    "start": {"line": 8, "column": 9},
                    "end": {"line": 8, "column": 18},
                },
                "replacement": "4873-4880",
            }],
        })
    );
    let name = diagnostics(&report)
        .into_iter()
        .find(|d| d["rule"] == "name/uppercase")
        .expect("name/uppercase");
    assert_eq!(name["fix"]["applicability"], "unsafe");
    assert_eq!(name["fix"]["edits"][0]["replacement"], "acme_upload-v2");
    // Findings without a certain repair have no `fix` key.
    let unfixable = diagnostics(&report)
        .into_iter()
        .find(|d| d["rule"] == "port/range-unjustified" || d["rule"] == "field/reference-missing");
    assert!(unfixable.is_none_or(|d| d.get("fix").is_none()));

    let out = run_in(
        dir.path(),
        &["check", "--no-registry", "--format", "sarif", "d.toml"],
    );
    let sarif: Value = serde_json::from_str(&stdout(&out)).expect("SARIF");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "port/invalid")
        .expect("port/invalid result");
    assert_eq!(
        result["fixes"],
        serde_json::json!([{
            "description": {"text": "safe fix for port/invalid"},
            "artifactChanges": [{
                "artifactLocation": {"uri": "d.toml", "uriBaseId": "%SRCROOT%"},
                "replacements": [{
                    "deletedRegion": {
                        "startLine": 8, "startColumn": 9, "endLine": 8, "endColumn": 18,
                    },
                    "insertedContent": {"text": "4873-4880"},
                }],
            }],
        }])
    );
}

#[test]
fn help_describes_the_fix_flags() {
    let out = run(&["check", "--help"]);
    let help = stdout(&out);
    for flag in ["--fix", "--unsafe-fixes", "--diff"] {
        assert!(help.contains(flag), "{flag} in:\n{help}");
    }
    assert!(help.contains("Exit status 1 when there is something to fix"));
}
