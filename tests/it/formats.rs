//! Report formats of the registry-fork commands: snapshots of one `registry lint` run and one
//! `registry diff` run in every format (in `snapshots/`), a structural check of the SARIF
//! output, the GitHub workflow-command rules, `--output-file` and the `GITHUB_ACTIONS`
//! default.

use std::collections::HashMap;

use crate::harness::*;
use serde_json::Value;

const FORMATS: &[&str] = &["human", "short", "json", "sarif", "github"];

fn lint_args(format: &str) -> Vec<&str> {
    let mut v = vec!["registry", "lint", BASE, "--format", format];
    if format == "human" {
        v.extend(["--color", "never"]);
    }
    v
}

fn diff_args(format: &str) -> Vec<&str> {
    let mut v = vec!["registry", "diff", DIFF_BASE, DIFF_HEAD, "--format", format];
    if format == "human" {
        v.extend(["--color", "never"]);
    }
    v
}

/// The SARIF `%SRCROOT%` of a run from the crate root, which differs between checkouts.
fn root_uri() -> String {
    let mut s = String::from("file://");
    for part in std::path::Path::new(ROOT).components().skip(1) {
        s.push('/');
        for b in part.as_os_str().to_string_lossy().bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                s.push(char::from(b));
            } else {
                s.push_str(&format!("%{b:02X}"));
            }
        }
    }
    s + "/"
}

#[test]
fn snapshots_of_every_format() {
    for format in FORMATS {
        for (what, args) in [("lint", lint_args(format)), ("diff", diff_args(format))] {
            let out = run(&args);
            assert_eq!(code(&out), 1, "{args:?}: {}", stderr(&out));
            assert_eq!(stderr(&out), "", "{args:?}");
            let name = format!("fork_{what}_{format}");
            insta::with_settings!({
                snapshot_path => "../../snapshots",
                prepend_module_to_snapshot => false,
                description => format!("portreg {}", args.join(" ")),
                omit_expression => true,
            }, {
                insta::assert_snapshot!(name, stdout(&out).replace(&root_uri(), "file:///[ROOT]/"));
            });
        }
    }
}

fn sarif_of(args: &[&str]) -> Value {
    let out = run(args);
    serde_json::from_str(&stdout(&out)).expect("SARIF is JSON")
}

/// The structural requirements of spec/output.md and GitHub code scanning.
fn check_sarif(v: &Value) {
    assert_eq!(v["version"], "2.1.0");
    assert!(
        v["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("sarif-2.1.0")),
        "{}",
        v["$schema"]
    );
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "portreg");
    let rules = driver["rules"].as_array().expect("rules");
    let mut ids = Vec::new();
    for r in rules {
        let id = r["id"].as_str().expect("rule id");
        assert!(!ids.contains(&id), "rule {id} listed twice");
        ids.push(id);
        assert!(
            r["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty()),
            "{r}"
        );
        assert!(
            r["helpUri"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://")),
            "{r}"
        );
    }
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for res in results {
        let index = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], res["ruleId"], "{res}");
        assert!(
            ["error", "warning", "note"].contains(&res["level"].as_str().unwrap_or("")),
            "{res}"
        );
        assert!(res["message"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        assert!(
            res["partialFingerprints"]
                .as_object()
                .is_some_and(|o| !o.is_empty()),
            "{res}"
        );
        let locations = res["locations"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(res["relatedLocations"].as_array().into_iter().flatten());
        for loc in locations {
            let phys = &loc["physicalLocation"];
            let uri = phys["artifactLocation"]["uri"].as_str().expect("uri");
            assert!(!uri.contains('\\') && !uri.starts_with("./"), "{uri}");
            let region = &phys["region"];
            let n = |k: &str| {
                region[k]
                    .as_u64()
                    .unwrap_or_else(|| panic!("{k} in {region}"))
            };
            assert!(
                n("startLine") >= 1 && n("startLine") <= n("endLine"),
                "{region}"
            );
            assert!(n("startColumn") >= 1 && n("endColumn") >= 1, "{region}");
            if n("startLine") == n("endLine") {
                assert!(n("startColumn") <= n("endColumn"), "{region}");
            }
        }
    }
}

#[test]
fn sarif_is_structurally_valid() {
    check_sarif(&sarif_of(&lint_args("sarif")));
    check_sarif(&sarif_of(&diff_args("sarif")));
}

fn fingerprints(v: &Value) -> Vec<(String, String)> {
    v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or("").to_string(),
                r["partialFingerprints"]["portregFinding/v1"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_are_stable() {
    let first = fingerprints(&sarif_of(&lint_args("sarif")));
    let second = fingerprints(&sarif_of(&lint_args("sarif")));
    assert_eq!(first, second, "two runs");
    assert!(first.iter().all(|(_, f)| !f.is_empty()));

    // The same registry with every record from `edi_thing` on moved down by three lines,
    // under the same file name.
    let tmp = TempDir::new("formats-fingerprints");
    let dir = tmp.path().join("tests/fixtures/fork");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let text = read(BASE);
    let at = text
        .find("  <record date=\"2016-10-26\">")
        .expect("edi_thing");
    let moved = format!("{}\n\n\n{}", &text[..at], &text[at..]);
    std::fs::write(dir.join("base.xml"), &moved).expect("write");
    let v = {
        let out = run_in(tmp.path(), &lint_args("sarif"));
        serde_json::from_str::<Value>(&stdout(&out)).expect("SARIF")
    };
    let lines = |v: &Value| -> Vec<u64> {
        v["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap_or(0)
            })
            .collect()
    };
    let before = lines(&sarif_of(&lint_args("sarif")));
    let after = lines(&v);
    assert_ne!(before, after, "the records did move");
    assert_eq!(
        fingerprints(&v),
        first,
        "fingerprints do not depend on lines"
    );
    // Distinct findings have distinct fingerprints.
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (rule, f) in &first {
        if let Some(other) = seen.insert(f, rule) {
            panic!("{rule} and {other} share fingerprint {f}");
        }
    }
}

/// GitHub workflow commands: every line is an annotation or a plain `portreg:` log line.
fn check_github(text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 2);
    for l in &lines {
        assert!(
            ["::error ", "::warning ", "::notice ", "portreg: "]
                .iter()
                .any(|p| l.starts_with(p)),
            "{l}"
        );
        if let Some(rest) = l.strip_prefix("::") {
            let (_, after) = rest.split_once(' ').expect("command and properties");
            let (props, message) = after.split_once("::").expect("properties::message");
            assert!(!message.contains('\n') && !message.contains('\r'));
            let props: HashMap<&str, &str> = props
                .split(',')
                .map(|p| {
                    p.split_once('=')
                        .unwrap_or_else(|| panic!("property {p} in {l}"))
                })
                .collect();
            for v in props.values() {
                assert!(
                    !v.contains(':') && !v.contains(','),
                    "unescaped property in {l}"
                );
            }
            assert!(props.contains_key("title"), "{l}");
            if let Some(file) = props.get("file") {
                let line: u64 = props["line"].parse().expect("line");
                let end: u64 = props["endLine"].parse().expect("endLine");
                assert!(line >= 1 && line <= end, "{l}");
                // Columns only on a single-line range.
                assert_eq!(props.contains_key("col"), line == end, "{l}");
                assert_eq!(props.contains_key("endColumn"), line == end, "{l}");
                // The message repeats file:line:col for logs, unescaped.
                let file = file
                    .replace("%3A", ":")
                    .replace("%2C", ",")
                    .replace("%25", "%");
                assert!(message.starts_with(&format!("{file}:{line}:")), "{l}");
            }
        }
    }
    // The summary annotation first, where GitHub shows it; the plain summary last.
    assert!(
        lines[0].starts_with("::notice title=portreg summary::portreg: "),
        "{}",
        lines[0]
    );
    assert!(lines.last().is_some_and(|l| l.starts_with("portreg: ")));
}

#[test]
fn github_commands_follow_the_runner_rules() {
    let lint = stdout(&run(&lint_args("github")));
    check_github(&lint);
    let diff = stdout(&run(&diff_args("github")));
    check_github(&diff);
    // Help and see lines are escaped as %0A.
    assert!(lint.contains("%0Ahelp: "), "{lint}");
    assert!(lint.contains("%0Asee: https://"), "{lint}");
    // `field/email-invalid` points at the person's `<uri>` element, on one line: columns.
    let person = lint
        .lines()
        .find(|l| l.contains("title=field/email-invalid"))
        .expect("email finding");
    let line = line_of(&read(BASE), "<uri>mailto:someone&amp;localhost</uri>");
    assert!(
        person.starts_with(&format!(
            "::error file=tests/fixtures/fork/base.xml,line={line},endLine={line},col=7,endColumn="
        )) && person.contains("title=field/email-invalid::"),
        "{person}"
    );
    // The summary annotation first, the plain summary last.
    assert!(lint.starts_with("::notice title=portreg summary::portreg: 21 errors"));
    assert!(lint.ends_with("\nportreg: 21 errors, 3 warnings, 4 infos in 32 entries\n"));
}

/// File names with `,` and `:` are escaped in `file=` and plain in the message.
#[test]
fn github_escapes_file_properties() {
    let tmp = TempDir::new("formats-escape");
    let name = "fork,v2:main.xml";
    std::fs::copy(std::path::Path::new(ROOT).join(BASE), tmp.join(name)).expect("copy");
    let out = run_in(
        tmp.path(),
        &["registry", "lint", name, "--format", "github"],
    );
    let text = stdout(&out);
    check_github(&text);
    assert!(
        text.contains("::notice file=fork%2Cv2%3Amain.xml,line=18,"),
        "{text}"
    );
    assert!(
        text.contains("::fork,v2:main.xml:18:11: info[registry/legacy-name]"),
        "{text}"
    );
}

#[test]
fn github_is_the_default_in_actions() {
    let out = finish(
        command_in(
            std::path::Path::new(ROOT),
            &["registry", "diff", DIFF_BASE, DIFF_HEAD],
        )
        .env("GITHUB_ACTIONS", "true")
        .output()
        .expect("run"),
        &[],
    );
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), stdout(&run(&diff_args("github"))));
    // An explicit --format wins.
    let out = finish(
        command_in(
            std::path::Path::new(ROOT),
            &[
                "registry", "diff", DIFF_BASE, DIFF_HEAD, "--format", "short",
            ],
        )
        .env("GITHUB_ACTIONS", "true")
        .output()
        .expect("run"),
        &[],
    );
    assert_eq!(stdout(&out), stdout(&run(&diff_args("short"))));
}

/// One run, two reports: SARIF into the file, the human report on standard output.
#[test]
fn output_file_writes_one_format_and_prints_human() {
    let tmp = TempDir::new("formats-output-file");
    let file = tmp.join("lint.sarif").display().to_string();
    let mut args = lint_args("sarif");
    args.extend(["--output-file", &file, "--color", "never"]);
    let out = run(&args);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), stdout(&run(&lint_args("human"))));
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("SARIF");
    check_sarif(&written);
    assert_eq!(written, sarif_of(&lint_args("sarif")));

    let bad = tmp.join("missing/dir/lint.sarif").display().to_string();
    let mut args = diff_args("sarif");
    args.extend(["--output-file", &bad]);
    let out = run(&args);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("missing/dir/lint.sarif"),
        "{}",
        stderr(&out)
    );
}
