//! Malformed, huge, unreadable and hostile input: `portreg check` must answer every one with a
//! diagnostic (exit 1) or a clear error (exit 2), never a panic or a backtrace
//! (spec/output.md: "No input, however malformed, may cause a panic").

use std::io::Write;
use std::process::{Output, Stdio};

use serde_json::Value;

use crate::harness::command;

fn run(args: &[&str]) -> Output {
    let out = command(args).output().expect("run portreg");
    assert_no_panic(&out, args);
    out
}

/// Runs with `stdin` fed from `input` (written from a thread; the child may stop reading early).
fn run_stdin(args: &[&str], input: Vec<u8>) -> Output {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn portreg");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for portreg");
    let _ = writer.join();
    assert_no_panic(&out, args);
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_no_panic(out: &Output, args: &[&str]) {
    let err = stderr(out);
    assert_ne!(
        out.status.code(),
        Some(101),
        "portreg {args:?} panicked:\n{err}"
    );
    assert!(
        out.status.code().is_some(),
        "portreg {args:?} was killed by a signal:\n{err}"
    );
    for bad in ["panicked", "stack backtrace", "RUST_BACKTRACE"] {
        assert!(
            !err.contains(bad),
            "portreg {args:?}: stderr contains {bad:?}:\n{err}"
        );
    }
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

/// One diagnostic of the JSON report, reduced to what these tests compare.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Diag {
    rule: String,
    line: Option<u64>,
    column: Option<u64>,
    message: String,
}

fn diags(out: &Output) -> Vec<Diag> {
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(out)
        )
    });
    json["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| Diag {
            rule: d["rule"].as_str().expect("rule").to_string(),
            line: d["span"]["start"]["line"].as_u64(),
            column: d["span"]["start"]["column"].as_u64(),
            message: d["message"].as_str().expect("message").to_string(),
        })
        .collect()
}

/// `check --no-registry --format json <file>`: exit code and diagnostics.
fn check_json(file: &str) -> (i32, Vec<Diag>) {
    let out = run(&["check", "--no-registry", "--format", "json", file]);
    (code(&out), diags(&out))
}

fn rules(diags: &[Diag]) -> Vec<&str> {
    diags.iter().map(|d| d.rule.as_str()).collect()
}

fn fixture(name: &str) -> String {
    format!("tests/fixtures/bad/{name}")
}

/// A complete, clean entry (used to build generated drafts).
fn clean_entry(name: &str, port: u32) -> String {
    format!(
        r#"[[entry]]
name = "{name}"
transport = "tcp"
port = {port}
description = "Generated entry {name}"
assignee = "Acme_Corp"
contact = "Acme_Corp"
reference = ["https://acme.example/spec"]

[entry.justification]
why-not-dynamic = "Devices are configured by hand with a fixed port."
cast = "unicast"
security = "TLS 1.3"
versioning = "version byte"
why-not-existing-port = "Acme holds no other port."
development-state = "Deployed at 40 sites."
differs-from-existing = "Batches readings and acknowledges each batch."

"#
    )
}

const PEOPLE: &str =
    "[people.Acme_Corp]\norg = \"Acme Corporation\"\nemail = \"ports@acme.example\"\n";

// ---------------------------------------------------------------------------------------------
// Content that is not a draft

#[test]
fn empty_file_is_no_entries() {
    let (code, d) = check_json(&fixture("empty.toml"));
    assert_eq!(code, 1);
    assert_eq!(rules(&d), ["draft/no-entries"]);
}

#[test]
fn binary_file_is_a_syntax_diagnostic() {
    let (code, d) = check_json(&fixture("binary.toml"));
    assert_eq!(code, 1);
    assert_eq!(rules(&d), ["draft/syntax"]);
    assert!(d[0].message.contains("UTF-8"), "{:?}", d[0]);
    assert_eq!((d[0].line, d[0].column), (Some(1), Some(1)));
}

#[test]
fn binary_file_in_every_format() {
    for format in ["human", "short", "json", "sarif", "github"] {
        let out = run(&[
            "check",
            "--no-registry",
            "--color",
            "never",
            "--format",
            format,
            &fixture("binary.toml"),
        ]);
        assert_eq!(code(&out), 1, "--format {format}");
    }
}

#[test]
fn invalid_utf8_points_at_the_first_bad_byte() {
    let (code, d) = check_json(&fixture("invalid-utf8.toml"));
    assert_eq!(code, 1);
    assert_eq!(rules(&d), ["draft/syntax"]);
    // `name = "caf\xE9"`: the bad byte is on line 2, column 12, offset 21.
    assert_eq!((d[0].line, d[0].column), (Some(2), Some(12)));
    assert!(d[0].message.contains("offset 21"), "{}", d[0].message);
}

/// The report's text is the decoded file, where the bad byte reads as U+FFFD (3 bytes): the
/// span covers that character, one column wide.
#[test]
fn invalid_utf8_span_end_is_after_start() {
    let out = run(&[
        "check",
        "--no-registry",
        "--format",
        "json",
        &fixture("invalid-utf8.toml"),
    ]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let span = &json["diagnostics"][0]["span"];
    assert_eq!(span["length"], 3);
    assert_eq!(span["start"]["column"], 12);
    assert_eq!(span["end"]["column"], 13, "{span}");
}

#[test]
fn invalid_utf8_on_stdin() {
    let out = run_stdin(
        &["check", "--no-registry", "--format", "json", "-"],
        b"[[entry]]\nname = \"\xff\xfe\"\n".to_vec(),
    );
    assert_eq!(code(&out), 1);
    assert_eq!(rules(&diags(&out)), ["draft/syntax"]);
}

// ---------------------------------------------------------------------------------------------
// Size

#[test]
fn draft_over_10_mib_is_refused_naming_the_file() {
    let tmp = crate::harness::TempDir::new("draft_over_10_mib");
    let path = tmp.path().join("huge-draft.toml");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        f.write_all(clean_entry("acme-telemetry", 4873).as_bytes())
            .unwrap();
        let comment = format!("# {}\n", "x".repeat(1022));
        for _ in 0..50 * 1024 {
            f.write_all(comment.as_bytes()).unwrap();
        }
        f.write_all(PEOPLE.as_bytes()).unwrap();
    }
    assert!(std::fs::metadata(&path).unwrap().len() >= 50 * 1024 * 1024);
    let shown = path.to_str().unwrap();
    let out = run(&["check", "--no-registry", shown]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains(shown),
        "the message should name the file:\n{err}"
    );
    assert!(err.contains("10 MiB"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn stdin_over_10_mib_is_refused() {
    let mut input = clean_entry("acme-telemetry", 4873).into_bytes();
    input.resize(11 * 1024 * 1024, b'\n');
    let out = run_stdin(&["check", "--no-registry", "-"], input);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("standard input"), "{err}");
}

#[test]
fn ten_thousand_entries() {
    let tmp = crate::harness::TempDir::new("ten_thousand_entries");
    let path = tmp.path().join("many.toml");
    let mut text = String::new();
    for i in 0..10_000u32 {
        text.push_str(&clean_entry(&format!("svc{i}"), 1025 + i));
    }
    text.push_str(PEOPLE);
    std::fs::write(&path, &text).unwrap();
    let out = run(&[
        "check",
        "--no-registry",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["entries"], 10_000);
    assert_eq!(json["summary"]["errors"], 0);
}

#[test]
fn ten_thousand_bad_entries_in_every_format() {
    // Every entry has several errors: 100,000 diagnostics to sort and render.
    let tmp = crate::harness::TempDir::new("ten_thousand_bad_entries");
    let path = tmp.path().join("many-bad.toml");
    let mut text = String::new();
    for i in 0..10_000u32 {
        text.push_str(&format!(
            "[[entry]]\nname = \"name_much-too-long-{i}\"\ntransport = \"tcp\"\nport = 4000\n\n"
        ));
    }
    std::fs::write(&path, &text).unwrap();
    for format in ["short", "json", "human", "sarif", "github"] {
        let out = run(&[
            "check",
            "--no-registry",
            "--color",
            "never",
            "--format",
            format,
            path.to_str().unwrap(),
        ]);
        assert_eq!(code(&out), 1, "--format {format}");
    }
}

// ---------------------------------------------------------------------------------------------
// Deep nesting and big numbers

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn deeply_nested_array_is_a_syntax_diagnostic() {
    let tmp = crate::harness::TempDir::new("deeply_nested_array");
    let path = tmp.path().join("nested.toml");
    std::fs::write(&path, format!("a = {}\n", nested(10_000))).unwrap();
    let (code, d) = check_json(path.to_str().unwrap());
    assert_eq!(code, 1);
    assert_eq!(rules(&d), ["draft/syntax"]);
    assert_eq!(d[0].line, Some(1));
}

#[test]
fn deeply_nested_port_is_a_syntax_diagnostic() {
    let tmp = crate::harness::TempDir::new("deeply_nested_port");
    let path = tmp.path().join("nested-port.toml");
    std::fs::write(
        &path,
        format!(
            "[[entry]]\nname = \"acme-telemetry\"\nport = {}\n",
            nested(10_000)
        ),
    )
    .unwrap();
    let (code, d) = check_json(path.to_str().unwrap());
    assert_eq!(code, 1);
    assert_eq!(rules(&d), ["draft/syntax"]);
    assert_eq!(d[0].line, Some(3));
}

#[test]
fn moderately_nested_port_is_a_type_diagnostic() {
    // Shallow enough for the TOML parser: the value parses, and is the wrong type.
    let tmp = crate::harness::TempDir::new("moderately_nested_port");
    let path = tmp.path().join("nested-port.toml");
    let mut text = clean_entry("acme-telemetry", 4873)
        .replace("port = 4873", &format!("port = {}", nested(50)));
    text.push_str(PEOPLE);
    std::fs::write(&path, text).unwrap();
    let (code, d) = check_json(path.to_str().unwrap());
    assert_eq!(code, 1);
    assert_eq!(rules(&d), ["draft/type"]);
    assert_eq!((d[0].line, d[0].column), (Some(4), Some(8)));
}

#[test]
fn port_beyond_i64_is_port_invalid_at_the_value() {
    let (code, d) = check_json(&fixture("port-beyond-i64.toml"));
    assert_eq!(code, 1);
    assert_eq!(rules(&d), ["port/invalid"]);
    assert_eq!((d[0].line, d[0].column), (Some(4), Some(8)));
    assert!(
        d[0].message.contains("99999999999999999999"),
        "{}",
        d[0].message
    );
}

#[test]
fn ports_outside_u16_in_every_notation() {
    let tmp = crate::harness::TempDir::new("ports_outside_u16");
    for (i, port) in [
        "-1",
        "65536",
        "-9223372036854775809",
        "0x10000",
        "0xFFFFFFFFFFFFFFFFFFFFFFFF",
        "0o7777777777777777777777777",
        "\"65535-65536\"",
        "\"99999999999999999999999-1\"",
    ]
    .iter()
    .enumerate()
    {
        let path = tmp.path().join(format!("port{i}.toml"));
        let mut text =
            clean_entry("acme-telemetry", 4873).replace("port = 4873", &format!("port = {port}"));
        text.push_str(PEOPLE);
        std::fs::write(&path, text).unwrap();
        let (code, d) = check_json(path.to_str().unwrap());
        assert_eq!(code, 1, "port = {port}");
        assert_eq!(rules(&d), ["port/invalid"], "port = {port}");
        assert_eq!(
            (d[0].line, d[0].column),
            (Some(4), Some(8)),
            "port = {port}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Wrong types

/// The `draft/type` diagnostics as (line, column), sorted.
fn type_positions(d: &[Diag]) -> Vec<(u64, u64)> {
    let mut v: Vec<(u64, u64)> = d
        .iter()
        .filter(|d| d.rule == "draft/type")
        .map(|d| {
            (
                d.line.expect("draft/type has a span"),
                d.column.expect("draft/type has a span"),
            )
        })
        .collect();
    v.sort_unstable();
    v
}

#[test]
fn every_key_with_the_wrong_type() {
    let (code, d) = check_json(&fixture("wrong-types.toml"));
    assert_eq!(code, 1);
    // One draft/type per key, at the value.
    let expected: Vec<(u64, u64)> = vec![
        (1, 10),  // format = "one"
        (4, 8),   // name = 42
        (5, 13),  // transport = { tcp = true }
        (6, 8),   // port = 48.5
        (7, 15),  // description = false
        (8, 12),  // assignee = 7
        (9, 11),  // contact = [1]
        (10, 13), // reference = 3
        (11, 16), // service-code = true
        (12, 12), // txt-keys = "txtvers"
        (13, 9),  // notes = 1
        (14, 16), // unauthorized = 2
        (15, 8),  // kind = 3
        (16, 18), // lint = { allow = "name/too-long" }
        (19, 19), // why-not-dynamic = 1
        (20, 16), // why-not-user = 2
        (21, 22), // cast.broadcast = "no"
        (21, 40), // cast.multicast = 1
        (21, 53), // cast.anycast = []
        (22, 27), // why-multiple-transports = 3
        (23, 22), // why-multiple-ports = 4
        (24, 12), // security = 5
        (25, 14), // versioning = 6
        (26, 13), // discovery = 7
        (29, 8),  // people.Acme.name = 1
        (30, 7),  // people.Acme.org = 2
        (31, 9),  // people.Acme.email = 3
        (32, 7),  // people.Acme.uri = 4
    ];
    assert_eq!(type_positions(&d), expected, "{d:#?}");
    // Each message names its key.
    for key in [
        "format",
        "name",
        "transport",
        "port",
        "description",
        "assignee",
        "contact",
        "reference",
        "service-code",
        "txt-keys",
        "notes",
        "unauthorized",
        "kind",
        "allow",
        "why-not-dynamic",
        "why-not-user",
        "broadcast",
        "multicast",
        "anycast",
        "why-multiple-transports",
        "why-multiple-ports",
        "security",
        "versioning",
        "discovery",
        "org",
        "email",
        "uri",
    ] {
        let needle = format!("`{key}`");
        assert!(
            d.iter()
                .any(|d| d.rule == "draft/type" && d.message.contains(&needle)),
            "no draft/type message names {needle}"
        );
    }
    // Nothing is read as unknown, and the file is not a syntax error.
    assert!(!rules(&d).contains(&"draft/unknown-key"));
    assert!(!rules(&d).contains(&"draft/syntax"));
}

/// `name = 42` is draft/type only, not also `name/missing`: the key is there.
#[test]
fn wrong_type_is_not_also_reported_missing() {
    let (_, d) = check_json(&fixture("wrong-types.toml"));
    for cascade in [
        "name/missing",
        "transport/missing",
        "field/description-missing",
        "field/assignee-missing",
        "field/contact-missing",
        "field/reference-missing",
    ] {
        assert!(
            !rules(&d).contains(&cascade),
            "{cascade} reported for a key that is present: {d:#?}"
        );
    }
}

#[test]
fn wrong_types_inside_containers() {
    let (code, d) = check_json(&fixture("wrong-types-nested.toml"));
    assert_eq!(code, 1);
    let expected: Vec<(u64, u64)> = vec![
        (3, 14),  // transport = [1, ...]
        (4, 14),  // reference = [true]
        (5, 13),  // txt-keys = [1.5]
        (6, 17),  // justification = "because"
        (7, 8),   // lint = 5
        (8, 21),  // assignee.name = 1
        (8, 30),  // assignee.org = 2
        (8, 41),  // assignee.email = 3
        (8, 50),  // assignee.uri = 4
        (21, 8),  // cast = 5
        (24, 8),  // rule = 1 (one finding, not a second "needs `rule`")
        (25, 10), // reason = 2
        (27, 1),  // an allow item without rule
    ];
    assert_eq!(type_positions(&d), expected, "{d:#?}");
    assert!(d
        .iter()
        .any(|d| d.rule == "draft/unknown-key" && d.message.contains("`phone`")));
}

#[test]
fn wrong_types_at_the_top_level() {
    let (code, d) = check_json(&fixture("wrong-types-top.toml"));
    assert_eq!(code, 1);
    assert_eq!(type_positions(&d), vec![(1, 10), (2, 9), (3, 10)], "{d:#?}");
    // `entry = 5` holds no `[[entry]]` table, so draft/no-entries may accompany the types.
    let others: Vec<&str> = rules(&d)
        .into_iter()
        .filter(|r| *r != "draft/type")
        .collect();
    assert!(
        others.is_empty() || others == ["draft/no-entries"],
        "{d:#?}"
    );
}

#[test]
fn entries_and_people_that_are_not_tables() {
    let (code, d) = check_json(&fixture("wrong-types-items.toml"));
    assert_eq!(code, 1);
    // format = "1", entry = [1, "two"] (two items), people = { a = 5 }
    assert_eq!(
        type_positions(&d),
        vec![(1, 10), (2, 10), (2, 13), (3, 16)],
        "{d:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Unreadable drafts

#[test]
fn nonexistent_draft_names_the_path() {
    let out = run(&[
        "check",
        "--no-registry",
        "tests/fixtures/bad/no-such-draft.toml",
    ]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("tests/fixtures/bad/no-such-draft.toml"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn nonexistent_draft_among_good_ones() {
    let tmp = crate::harness::TempDir::new("nonexistent_among_good");
    let good = tmp.path().join("good.toml");
    std::fs::write(
        &good,
        format!("{}{PEOPLE}", clean_entry("acme-telemetry", 4873)),
    )
    .unwrap();
    let missing = tmp.path().join("missing.toml");
    let out = run(&[
        "check",
        "--no-registry",
        good.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains(missing.to_str().unwrap()));
}

/// A folder is walked for its drafts (issue 14): every nasty `*.toml` fixture is reported,
/// none stops the run.
#[test]
fn directory_as_draft_is_walked() {
    let (rc, v) = crate::harness::json(&["check", "--no-registry", "tests/fixtures/bad"]);
    assert_eq!(rc, 1);
    let mut files: Vec<&str> = crate::harness::diagnostics(&v)
        .iter()
        .filter_map(|d| d["file"].as_str())
        .collect();
    files.dedup();
    assert!(
        files.contains(&"tests/fixtures/bad/binary.toml"),
        "{files:?}"
    );
    assert!(files.iter().all(|f| f.ends_with(".toml")), "{files:?}");
}

#[cfg(unix)]
#[test]
fn draft_without_read_permission_is_exit_2() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = crate::harness::TempDir::new("no_read_permission");
    let path = tmp.path().join("secret.toml");
    std::fs::write(
        &path,
        format!("{}{PEOPLE}", clean_entry("acme-telemetry", 4873)),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root (or with CAP_DAC_OVERRIDE): permissions are not enforced, so the
        // denial cannot be provoked here. Nothing to test.
        // Written past the test harness's output capture, so a plain `cargo test` shows it.
        let _ = std::io::Write::write_fmt(
            &mut std::io::stderr(),
            format_args!("skipped: file permissions are not enforced for this user"),
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr(), b"\n");
        return;
    }
    let out = run(&["check", "--no-registry", path.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains(path.to_str().unwrap()));
}

// ---------------------------------------------------------------------------------------------
// Unusable registries

fn assert_registry_refused(out: &Output, file: &str) {
    assert_eq!(code(out), 2, "stderr:\n{}", stderr(out));
    let err = stderr(out);
    assert!(err.contains(file), "the message should name {file}:\n{err}");
    assert!(
        out.stdout.is_empty(),
        "no report when the registry is unusable"
    );
}

const GOOD_DRAFT: &str = "tests/fixtures/bad/port-beyond-i64.toml";

#[test]
fn nonexistent_registry_is_exit_2() {
    let file = "tests/fixtures/bad/no-such-registry.xml";
    assert_registry_refused(&run(&["check", "--registry", file, GOOD_DRAFT]), file);
}

#[test]
fn html_registry_is_exit_2() {
    let file = "tests/fixtures/bad/registry.html";
    let out = run(&["check", "--registry", file, GOOD_DRAFT]);
    assert_registry_refused(&out, file);
    assert!(stderr(&out).contains("HTML"), "{}", stderr(&out));
}

#[test]
fn truncated_registry_is_exit_2() {
    let file = "tests/fixtures/bad/registry-truncated.xml";
    assert_registry_refused(&run(&["check", "--registry", file, GOOD_DRAFT]), file);
}

#[test]
fn binary_and_directory_registries_are_exit_2() {
    for file in ["tests/fixtures/bad/binary.toml", "tests/fixtures/bad"] {
        assert_registry_refused(&run(&["check", "--registry", file, GOOD_DRAFT]), file);
    }
}

#[test]
fn empty_registry_is_exit_2() {
    let file = "tests/fixtures/bad/empty.toml";
    assert_registry_refused(&run(&["check", "--registry", file, GOOD_DRAFT]), file);
}

#[test]
fn bad_registry_from_the_environment_is_exit_2() {
    let file = "tests/fixtures/bad/registry-truncated.xml";
    let out = command(&["check", GOOD_DRAFT])
        .env("PORTREG_REGISTRY", file)
        .output()
        .unwrap();
    assert_no_panic(&out, &["check", GOOD_DRAFT]);
    assert_registry_refused(&out, file);
    assert!(
        stderr(&out).contains("PORTREG_REGISTRY"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_registries_for_registry_info() {
    for file in [
        "tests/fixtures/bad/no-such-registry.xml",
        "tests/fixtures/bad/registry.html",
        "tests/fixtures/bad/registry-truncated.xml",
    ] {
        assert_registry_refused(&run(&["registry", "info", "--registry", file]), file);
    }
}

// ---------------------------------------------------------------------------------------------
// Standard input

#[test]
fn stdin_twice_is_exit_2() {
    let out = run_stdin(
        &["check", "--no-registry", "-", "-"],
        format!("{}{PEOPLE}", clean_entry("acme-telemetry", 4873)).into_bytes(),
    );
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("`-`") || err.contains("standard input"),
        "{err}"
    );
}

#[test]
fn empty_stdin_is_no_entries() {
    let out = run_stdin(
        &["check", "--no-registry", "--format", "json", "-"],
        Vec::new(),
    );
    assert_eq!(code(&out), 1);
    assert_eq!(rules(&diags(&out)), ["draft/no-entries"]);
}
