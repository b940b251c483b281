//! The command line: exit codes, level flags, report formats, `explain`, `rules`, registry
//! resolution and standard input (spec/output.md), plus snapshots of the human and JSON
//! reports of one draft with many problems.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::harness::{command, findings, finish, is_summary, run, run_stdin, stderr};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const CLEAN: &str = "tests/fixtures/cli/clean.toml";
const TOO_LONG: &str = "tests/fixtures/cli/too-long.toml";
const WARNING_ONLY: &str = "tests/fixtures/cli/warning-only.toml";
const MULTI: &str = "tests/fixtures/cli/multi.toml";
const REGISTRY: &str = "tests/fixtures/cli/registry.xml";
/// `registry/stale` compares the registry's `<updated>` with today's date, so its message
/// (and whether it fires) changes from day to day; runs whose output is compared exactly
/// allow it. There is no CLI flag or variable that pins "today".
const NOT_DATED: &str = "registry/stale";

/// Every rule of spec/rules.md (version 1) with its default severity.
const SPEC_RULES: &[(&str, &str)] = &[
    ("draft/syntax", "error"),
    ("draft/unknown-key", "error"),
    ("draft/type", "error"),
    ("draft/no-entries", "error"),
    ("draft/unknown-person", "error"),
    ("name/missing", "error"),
    ("name/too-long", "error"),
    ("name/invalid-char", "error"),
    ("name/no-letter", "error"),
    ("name/hyphen-edge", "error"),
    ("name/double-hyphen", "error"),
    ("name/srv-label", "error"),
    ("name/redundant-word", "warning"),
    ("name/version", "warning"),
    ("name/uppercase", "info"),
    ("transport/missing", "error"),
    ("transport/unknown", "error"),
    ("transport/duplicate", "warning"),
    ("transport/multiple-unjustified", "warning"),
    ("port/invalid", "error"),
    ("port/reserved", "error"),
    ("port/dynamic", "error"),
    ("port/experimental", "error"),
    ("port/system", "warning"),
    ("port/system-non-ietf", "warning"),
    ("port/range-unjustified", "error"),
    ("field/description-missing", "error"),
    ("field/assignee-missing", "error"),
    ("field/contact-missing", "error"),
    ("field/person-incomplete", "error"),
    ("field/email-invalid", "error"),
    ("field/reference-missing", "error"),
    ("field/reference-invalid", "error"),
    ("field/why-not-dynamic-missing", "error"),
    ("field/why-not-user-missing", "error"),
    ("field/cast-missing", "error"),
    ("field/description-long", "warning"),
    ("sc/missing", "error"),
    ("sc/unexpected", "error"),
    ("sc/syntax", "error"),
    ("sc/zero", "error"),
    ("sc/invalid-value", "error"),
    ("sc/private-use", "error"),
    ("sc/not-ascii", "warning"),
    ("txt/key-empty", "error"),
    ("txt/key-charset", "error"),
    ("txt/key-host-port", "error"),
    ("txt/key-long", "warning"),
    ("txt/key-duplicate", "warning"),
    ("conflict/name-taken", "error"),
    ("conflict/name-similar", "warning"),
    ("conflict/port-taken", "error"),
    ("conflict/port-in-range", "error"),
    ("conflict/port-reserved", "error"),
    ("conflict/port-other-transport", "warning"),
    ("conflict/sc-taken", "error"),
    ("conflict/extend-unknown", "error"),
    ("conflict/in-drafts", "error"),
    ("policy/security-undeclared", "warning"),
    ("policy/versioning-undeclared", "info"),
    ("policy/prefer-name-only", "warning"),
    ("policy/secure-variant", "warning"),
    ("policy/ietf-parties", "warning"),
    ("registry/unavailable", "warning"),
    ("registry/malformed", "error"),
    ("registry/unknown-person", "error"),
    ("registry/duplicate-record", "error"),
    ("registry/legacy-name", "info"),
    ("registry/bad-date", "error"),
];

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            stdout(out),
            stderr(out)
        )
    })
}

/// The rule ids of a JSON report, in order.
fn rule_ids(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule").to_string())
        .collect()
}

/// `check --no-registry --format json` plus `extra` arguments.
fn check_json(extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--no-registry", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(&args);
    (code(&out), json(&out))
}

/// Asserts the shape of a `check --format json` report per spec/output.md.
fn assert_report_shape(report: &Value) {
    assert_eq!(report["version"], 1, "{report}");
    assert_eq!(report["tool"]["name"], "portreg");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let registry = &report["registry"];
    assert!(
        registry.is_null() || registry.is_object(),
        "registry: {registry}"
    );
    if registry.is_object() {
        assert!(registry["path"].is_string(), "{registry}");
        assert!(
            registry["format"] == "xml" || registry["format"] == "csv",
            "{registry}"
        );
        assert!(
            registry["updated"].is_string() || registry["updated"].is_null(),
            "{registry}"
        );
        assert!(registry["records"].is_u64(), "{registry}");
        assert!(registry["people"].is_u64(), "{registry}");
    }
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics array");
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for d in diagnostics {
        let rule = d["rule"].as_str().expect("rule is a string");
        assert!(rule.contains('/'), "rule id {rule}");
        match d["severity"].as_str().expect("severity") {
            _ if d["suppressed"] == true => {}
            "error" => errors += 1,
            "warning" => warnings += 1,
            "info" => infos += 1,
            other => panic!("severity {other}"),
        }
        assert!(!d["message"].as_str().expect("message").is_empty(), "{d}");
        for key in ["help", "url", "file", "name"] {
            assert!(d[key].is_string() || d[key].is_null(), "`{key}` in {d}");
        }
        if let Some(url) = d["url"].as_str() {
            assert!(url.starts_with("https://"), "{url}");
        }
        assert!(d["entry"].is_u64() || d["entry"].is_null(), "{d}");
        if let Some(span) = d.get("span").filter(|s| !s.is_null()) {
            assert!(d["file"].is_string(), "a span needs a file: {d}");
            assert_span(span);
        }
        if let Some(related) = d.get("related").filter(|r| !r.is_null()) {
            for r in related.as_array().expect("related is an array") {
                assert!(r["message"].is_string(), "{r}");
                assert!(r["file"].is_string(), "{r}");
                assert_span(&r["span"]);
            }
        }
    }
    let summary = &report["summary"];
    for key in ["files", "entries", "errors", "warnings", "infos"] {
        assert!(summary[key].is_u64(), "summary.{key}: {summary}");
    }
    assert_eq!(summary["errors"], errors, "{summary}");
    assert_eq!(summary["warnings"], warnings, "{summary}");
    assert_eq!(summary["infos"], infos, "{summary}");
}

fn assert_span(span: &Value) {
    let offset = span["offset"].as_u64().expect("span.offset");
    let length = span["length"].as_u64().expect("span.length");
    let _ = (offset, length);
    let pos = |p: &Value| {
        (
            p["line"].as_u64().expect("line"),
            p["column"].as_u64().expect("column"),
        )
    };
    let start = pos(&span["start"]);
    let end = pos(&span["end"]);
    assert!(start.0 >= 1 && start.1 >= 1, "1-based: {span}");
    assert!(end >= start, "end before start: {span}");
}

/// Diagnostics are ordered by file, then offset, then rule id.
fn assert_ordered(report: &Value) {
    let keys: Vec<(Option<String>, u64, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().map(str::to_string),
                d["span"]["offset"].as_u64().unwrap_or(0),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for pair in keys.windows(2) {
        assert!(
            pair[0] <= pair[1],
            "out of order: {:?} before {:?}",
            pair[0],
            pair[1]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Exit codes

#[test]
fn exit_0_for_a_clean_draft_without_registry() {
    let out = run(&["check", "--no-registry", CLEAN]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let (code, report) = check_json(&[CLEAN]);
    assert_eq!(code, 0);
    assert!(rule_ids(&report).is_empty(), "{report}");
    assert!(report["registry"].is_null());
}

#[test]
fn exit_0_for_a_clean_draft_with_a_registry() {
    let mut registries = vec![REGISTRY];
    // The shared fixture registry of the per-rule tests, when it exists.
    if Path::new(ROOT)
        .join("tests/fixtures/rules/registry.xml")
        .is_file()
    {
        registries.push("tests/fixtures/rules/registry.xml");
    }
    for registry in registries {
        let out = run(&[
            "check",
            "--registry",
            registry,
            "-A",
            NOT_DATED,
            "--format",
            "json",
            CLEAN,
        ]);
        assert_eq!(
            code(&out),
            0,
            "{registry}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        let report = json(&out);
        assert_report_shape(&report);
        assert_eq!(report["registry"]["path"], registry);
        assert_eq!(report["registry"]["format"], "xml");
        assert!(rule_ids(&report).is_empty(), "{report}");
    }
}

#[test]
fn exit_1_for_an_error() {
    let (code, report) = check_json(&[TOO_LONG]);
    assert_eq!(code, 1);
    assert_eq!(rule_ids(&report), ["name/too-long"]);
}

#[test]
fn deny_warnings_turns_a_warning_into_exit_1() {
    let (code, report) = check_json(&[WARNING_ONLY]);
    assert_eq!(code, 0);
    assert_eq!(rule_ids(&report), ["name/redundant-word"]);
    assert_eq!(report["diagnostics"][0]["severity"], "warning");

    let (code, report) = check_json(&["-D", "warnings", WARNING_ONLY]);
    assert_eq!(code, 1);
    assert_eq!(rule_ids(&report), ["name/redundant-word"]);
    assert_eq!(report["diagnostics"][0]["severity"], "error");
    assert_eq!(report["summary"]["errors"], 1);

    let (code, _) = check_json(&["--deny", "name/redundant-word", WARNING_ONLY]);
    assert_eq!(code, 1);
}

#[test]
fn allow_turns_an_error_into_exit_0() {
    let (code, report) = check_json(&["-A", "name/too-long", TOO_LONG]);
    assert_eq!(code, 0);
    assert!(rule_ids(&report).is_empty(), "{report}");
    let (code, _) = check_json(&["--allow", "name", TOO_LONG]);
    assert_eq!(code, 0);
    let (code, _) = check_json(&["-A", "all", TOO_LONG]);
    assert_eq!(code, 0);
    let (code, report) = check_json(&["-W", "name/too-long", TOO_LONG]);
    assert_eq!(code, 0);
    assert_eq!(report["diagnostics"][0]["severity"], "warning");
}

#[test]
fn later_level_flag_wins() {
    let (code, report) = check_json(&["-A", "name", "-D", "name/too-long", TOO_LONG]);
    assert_eq!(code, 1);
    assert_eq!(rule_ids(&report), ["name/too-long"]);
    let (code, report) = check_json(&["-D", "name/too-long", "-A", "name", TOO_LONG]);
    assert_eq!(code, 0);
    assert!(rule_ids(&report).is_empty());
    let (code, _) = check_json(&["-W", "all", "-D", "warnings", TOO_LONG]);
    assert_eq!(code, 1);
    let (code, _) = check_json(&["-D", "warnings", "-A", "name/redundant-word", WARNING_ONLY]);
    assert_eq!(code, 0);
}

#[test]
fn exit_2_for_an_unknown_format() {
    let out = run(&["check", "--no-registry", "--format", "xml", CLEAN]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("xml"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn exit_2_for_an_unknown_rule_in_a_level_flag() {
    for flag in ["-D", "-W", "-A"] {
        let out = run(&["check", "--no-registry", flag, "name/too-lng", CLEAN]);
        assert_eq!(code(&out), 2, "{flag}");
        let err = stderr(&out);
        assert!(err.contains("name/too-lng"), "{err}");
        assert!(err.contains("did you mean `name/too-long`"), "{err}");
        assert!(out.stdout.is_empty());
    }
    let out = run(&["check", "--no-registry", "-A", "warnings", CLEAN]);
    // `warnings` is only meaningful with -D; whatever the answer, it must not be a crash.
    assert!(matches!(code(&out), 0 | 2), "{}", stderr(&out));
}

#[test]
fn exit_2_for_a_missing_file() {
    let out = run(&["check", "--no-registry", "tests/fixtures/cli/nope.toml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("tests/fixtures/cli/nope.toml"));
}

#[test]
fn exit_2_for_bad_arguments() {
    for args in [
        &["check"][..],
        &["check", "--no-registry", "--registry", REGISTRY, CLEAN][..],
        &["check", "--bogus", CLEAN][..],
        &["frobnicate"][..],
        &[][..],
        &["check", "--no-registry", "--color", "sometimes", CLEAN][..],
    ] {
        let out = run(args);
        assert_eq!(code(&out), 2, "portreg {args:?}: {}", stderr(&out));
    }
}

#[test]
fn help_and_version_are_exit_0() {
    for args in [
        &["--help"][..],
        &["--version"][..],
        &["check", "--help"][..],
    ] {
        let out = run(args);
        assert_eq!(code(&out), 0, "portreg {args:?}");
        assert!(!out.stdout.is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

#[test]
fn json_report_shape_and_order() {
    let args = [
        "check",
        "--registry",
        REGISTRY,
        "--format",
        "json",
        MULTI,
        TOO_LONG,
        CLEAN,
    ];
    let out = run(&args);
    assert_eq!(code(&out), 1);
    let report = json(&out);
    assert_report_shape(&report);
    assert_ordered(&report);
    assert_eq!(report["summary"]["files"], 3);
    assert_eq!(report["summary"]["entries"], 4);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    // The name/too-long of multi.toml, as in spec/output.md.
    let too_long = diagnostics
        .iter()
        .find(|d| d["rule"] == "name/too-long" && d["file"] == MULTI)
        .expect("name/too-long in multi.toml");
    assert_eq!(too_long["severity"], "error");
    assert_eq!(too_long["entry"], 0);
    assert_eq!(too_long["name"], "Acme_Telemetry-Upload-v2");
    assert_eq!(
        too_long["url"],
        "https://www.rfc-editor.org/rfc/rfc6335#section-5.1"
    );
    let span = &too_long["span"];
    assert_eq!(span["length"], 26, "the quoted value: {span}");
    assert_eq!(span["start"]["line"], 5);
    assert_eq!(span["start"]["column"], 8);
    assert_eq!(span["end"]["line"], 5);
    assert_eq!(span["end"]["column"], 34);
    let text = std::fs::read_to_string(Path::new(ROOT).join(MULTI)).unwrap();
    let offset = span["offset"].as_u64().unwrap() as usize;
    assert_eq!(&text[offset..offset + 26], "\"Acme_Telemetry-Upload-v2\"");
    // A conflict points at the registry record.
    let taken = diagnostics
        .iter()
        .find(|d| d["rule"] == "conflict/name-taken")
        .expect("conflict/name-taken");
    assert_eq!(taken["entry"], 1);
    assert_eq!(taken["name"], "echo-test");
    let related = taken["related"].as_array().expect("related");
    assert!(!related.is_empty());
    assert!(related.iter().all(|r| r["file"] == REGISTRY), "{taken}");
    // The second file's diagnostic comes after every diagnostic of the first.
    let files: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d["file"].as_str())
        .collect();
    let first_too_long = files.iter().position(|f| *f == TOO_LONG).unwrap();
    assert!(files[first_too_long..].iter().all(|f| *f == TOO_LONG));
}

#[test]
fn json_output_is_byte_identical_run_after_run() {
    let args = [
        "check",
        "--registry",
        REGISTRY,
        "--format",
        "json",
        TOO_LONG,
        MULTI,
        CLEAN,
    ];
    let first = run(&args);
    for _ in 0..3 {
        let again = run(&args);
        assert_eq!(first.stdout, again.stdout);
        assert_eq!(code(&first), code(&again));
    }
}

#[test]
fn json_registry_is_null_without_registry() {
    let (_, report) = check_json(&[MULTI]);
    assert_report_shape(&report);
    assert!(report["registry"].is_null());
    assert!(!rule_ids(&report).iter().any(|r| r.starts_with("conflict/")));
}

// ---------------------------------------------------------------------------------------------
// Short

fn short_line() -> regex::Regex {
    regex::Regex::new(
        r"^(?:(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): )?(?P<sev>error|warning|info)\[(?P<rule>[a-z]+/[a-z-]+)\]: (?P<msg>\S.*)$",
    )
    .unwrap()
}

#[test]
fn short_format_lines() {
    let files = [MULTI, TOO_LONG, WARNING_ONLY, CLEAN];
    let mut args = vec!["check", "--registry", REGISTRY, "--format", "short"];
    args.extend_from_slice(&files);
    let out = run(&args);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    // The findings, then the summary line of the human report.
    let (summary, lines) = text
        .lines()
        .collect::<Vec<_>>()
        .split_last()
        .map(|(s, l)| (*s, l.to_vec()))
        .unwrap_or_default();
    assert!(is_summary(summary), "{summary:?}");
    let re = short_line();
    for line in &lines {
        assert!(
            re.is_match(line),
            "not `file:line:col: severity[rule]: message`: {line:?}"
        );
    }
    // The same diagnostics, in the same order and places, as the JSON report.
    let mut json_args = vec!["check", "--registry", REGISTRY, "--format", "json"];
    json_args.extend_from_slice(&files);
    let report = json(&run(&json_args));
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(lines.len(), diagnostics.len());
    for (line, d) in lines.iter().zip(diagnostics) {
        let c = re.captures(line).unwrap();
        assert_eq!(&c["rule"], d["rule"].as_str().unwrap());
        assert_eq!(&c["sev"], d["severity"].as_str().unwrap());
        assert_eq!(&c["msg"], d["message"].as_str().unwrap());
        if let Some(file) = c.name("file") {
            assert_eq!(file.as_str(), d["file"].as_str().unwrap());
            assert_eq!(
                c["line"].parse::<u64>().unwrap(),
                d["span"]["start"]["line"]
            );
            assert_eq!(
                c["col"].parse::<u64>().unwrap(),
                d["span"]["start"]["column"]
            );
        }
    }
}

/// Values with newlines or escape codes are escaped in messages: one line per diagnostic.
#[test]
fn short_format_is_one_line_per_diagnostic_even_for_hostile_values() {
    let out = run_stdin(
        &["check", "--no-registry", "--format", "short", "-"],
        b"[[entry]]\nname = \"ab\\ncd\"\ntransport = \"tc\\np\"\n",
    );
    assert_eq!(code(&out), 1);
    let re = short_line();
    for line in findings(&out).lines() {
        assert!(re.is_match(line), "{line:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// explain and rules

#[test]
fn explain_a_rule() {
    let out = run(&["explain", "name/too-long"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.starts_with("name/too-long (error)"), "{text}");
    assert!(
        text.contains("RFC 6335, Section 5.1"),
        "the citation: {text}"
    );
    assert!(text.contains("https://www.rfc-editor.org/rfc/rfc6335#section-5.1"));
}

#[test]
fn explain_a_category() {
    for what in ["port", "port/"] {
        let out = run(&["explain", what]);
        assert_eq!(code(&out), 0, "{what}");
        let text = stdout(&out);
        for (id, severity) in SPEC_RULES.iter().filter(|(id, _)| id.starts_with("port/")) {
            assert!(
                text.contains(&format!("{id} ({severity})")),
                "`explain {what}` lacks {id}"
            );
        }
        assert!(!text.contains("name/too-long"));
    }
}

#[test]
fn explain_an_unknown_rule() {
    let out = run(&["explain", "nope"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("`nope`"), "{err}");
    assert!(err.contains("portreg rules"), "points to the list: {err}");
    assert!(out.stdout.is_empty());

    let out = run(&["explain", "name/too-lon"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("did you mean `name/too-long`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_rule_can_be_explained() {
    for (id, severity) in SPEC_RULES {
        let out = run(&["explain", id]);
        assert_eq!(code(&out), 0, "explain {id}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.starts_with(&format!("{id} ({severity})")), "{text}");
        // Rules about file formats cite no RFC ("Citation: none (…)"), but every rule has one.
        let citation = text
            .lines()
            .find_map(|l| l.strip_prefix("Citation: "))
            .unwrap_or("");
        assert!(!citation.trim().is_empty(), "{id} has no citation:\n{text}");
        if id.starts_with("name/") || id.starts_with("port/") || id.starts_with("sc/") {
            assert!(citation.contains("RFC "), "{id}: {citation}");
        }
    }
}

#[test]
fn rules_lists_every_spec_rule() {
    let out = run(&["rules"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    let listed: Vec<(&str, &str)> = text
        .lines()
        .map(|l| {
            let mut words = l.split_whitespace();
            (words.next().unwrap_or(""), words.next().unwrap_or(""))
        })
        .collect();
    for (id, severity) in SPEC_RULES {
        assert!(
            listed.contains(&(*id, *severity)),
            "`portreg rules` lacks {id} ({severity})"
        );
    }
}

#[test]
fn rules_json_lists_every_spec_rule() {
    let out = run(&["rules", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let rules = json(&out);
    let rules = rules.as_array().expect("an array of rules");
    for (id, severity) in SPEC_RULES {
        let rule = rules
            .iter()
            .find(|r| r["id"] == *id)
            .unwrap_or_else(|| panic!("`rules --format json` lacks {id}"));
        assert_eq!(rule["severity"], *severity, "{id}");
        assert!(
            !rule["summary"].as_str().unwrap_or("").is_empty(),
            "{id} has no summary"
        );
    }
    let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate rule ids");
}

// ---------------------------------------------------------------------------------------------
// Registry resolution

/// `check` with no registry anywhere: no env variable, an empty cache and home.
fn without_registry(home: &Path, args: &[&str]) -> Output {
    let out = command(args)
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .output()
        .expect("run portreg");
    finish(out, args)
}

#[test]
fn registry_unavailable_is_reported_once() {
    let home = crate::harness::TempDir::new("registry_unavailable");
    let out = without_registry(
        home.path(),
        &["check", "--format", "json", CLEAN, TOO_LONG, WARNING_ONLY],
    );
    assert_eq!(code(&out), 1);
    let report = json(&out);
    assert_report_shape(&report);
    assert!(report["registry"].is_null());
    let ids = rule_ids(&report);
    assert_eq!(
        ids.iter().filter(|r| *r == "registry/unavailable").count(),
        1,
        "{ids:?}"
    );
    let d = &report["diagnostics"][0];
    assert_eq!(d["rule"], "registry/unavailable");
    assert_eq!(d["severity"], "warning");

    for format in ["short", "human"] {
        let out = without_registry(
            home.path(),
            &[
                "check", "--color", "never", "--format", format, CLEAN, TOO_LONG,
            ],
        );
        assert_eq!(
            stdout(&out).matches("registry/unavailable").count(),
            1,
            "--format {format}:\n{}",
            stdout(&out)
        );
    }

    // A clean draft with only that warning still exits 0.
    let out = without_registry(home.path(), &["check", CLEAN]);
    assert_eq!(code(&out), 0);
    // --no-registry silences it.
    let out = without_registry(
        home.path(),
        &["check", "--no-registry", "--format", "json", CLEAN],
    );
    assert!(rule_ids(&json(&out)).is_empty());
}

#[test]
fn registry_from_the_environment_and_the_cache() {
    let home = crate::harness::TempDir::new("registry_from_env_and_cache");
    let registry = Path::new(ROOT).join(REGISTRY);
    let out = finish(
        command(&["check", "--format", "json", MULTI])
            .env("HOME", home.path())
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("PORTREG_REGISTRY", &registry)
            .output()
            .unwrap(),
        &[],
    );
    let report = json(&out);
    assert_eq!(report["registry"]["records"], 2, "{}", report["registry"]);
    assert!(rule_ids(&report).iter().any(|r| r == "conflict/name-taken"));

    let cache = home.path().join("cache/portreg");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::copy(&registry, cache.join("service-names-port-numbers.xml")).unwrap();
    let out = without_registry(home.path(), &["check", "--format", "json", MULTI]);
    let report = json(&out);
    assert_eq!(report["registry"]["records"], 2, "{}", report["registry"]);
    let ids = rule_ids(&report);
    assert!(!ids.iter().any(|r| r == "registry/unavailable"), "{ids:?}");
    assert!(ids.iter().any(|r| r == "conflict/name-taken"), "{ids:?}");
}

// ---------------------------------------------------------------------------------------------
// Standard input

#[test]
fn stdin_is_read_with_dash() {
    let clean = std::fs::read(Path::new(ROOT).join(CLEAN)).unwrap();
    let out = run_stdin(&["check", "--no-registry", "-"], &clean);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    let too_long = std::fs::read(Path::new(ROOT).join(TOO_LONG)).unwrap();
    let out = run_stdin(
        &["check", "--no-registry", "--format", "json", "-"],
        &too_long,
    );
    assert_eq!(code(&out), 1);
    let report = json(&out);
    assert_eq!(rule_ids(&report), ["name/too-long"]);
    assert_eq!(report["diagnostics"][0]["file"], "<stdin>");

    // Together with files: checked against each other.
    let out = run_stdin(
        &["check", "--no-registry", "--format", "json", CLEAN, "-"],
        &too_long,
    );
    assert_eq!(code(&out), 1);
    assert_eq!(json(&out)["summary"]["files"], 2);
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn snapshot_multi_problem_draft() {
    let human = run(&[
        "check",
        "--registry",
        REGISTRY,
        "-A",
        NOT_DATED,
        "--format",
        "human",
        "--color",
        "never",
        MULTI,
    ]);
    assert_eq!(code(&human), 1);
    let human = stdout(&human);
    assert!(
        !human.contains('\u{1b}'),
        "--color never printed an escape sequence"
    );
    let json_out = run(&[
        "check",
        "--registry",
        REGISTRY,
        "-A",
        NOT_DATED,
        "--format",
        "json",
        MULTI,
    ]);
    assert_eq!(code(&json_out), 1);
    let json_text = stdout(&json_out);
    assert_report_shape(&json(&json_out));
    insta::with_settings!({
        snapshot_path => "../../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("cli_multi_human", human);
        insta::assert_snapshot!("cli_multi_json", json_text);
    });
}

#[test]
fn color_always_and_never() {
    let out = run(&["check", "--no-registry", "--color", "always", TOO_LONG]);
    assert!(
        stdout(&out).contains('\u{1b}'),
        "--color always printed no colour"
    );
    let out = run(&["check", "--no-registry", "--color", "never", TOO_LONG]);
    assert!(!stdout(&out).contains('\u{1b}'));
}
