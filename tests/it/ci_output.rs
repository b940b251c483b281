//! CI output that is safe and accepted (issue 13): hostile record names, descriptions, notes,
//! person data, draft texts and file names go through every command and format, and no
//! output line becomes a workflow command portreg did not write, nor a terminal control
//! sequence; GitHub annotations come by importance with the summary first; SARIF puts
//! findings about the run in tool execution notifications and has encoded, based URIs.

use std::io::Write as _;
use std::path::Path;
use std::process::{Output, Stdio};

use crate::harness::*;
use serde_json::Value;

/// Everything a log line can hide: a line break into a command, a CR (the runner's line
/// reader ends a line there too), terminal escapes (7-bit and C1), the runner's escapes,
/// property separators and the legacy `##[` command form.
const HOSTILE: &str =
    "x\n::error file=inj.toml,line=1::injected\r::warning::cr \u{1b}[31mred\u{9b}2J %0A%25 ,:: ##[error]legacy";

/// A workflow command as the Actions runner reads a log line (`ActionCommand.TryParseV2`):
/// leading blanks skipped, `::name props::data`, properties split at `,` and `=`, then
/// unescaped as `@actions/core` escapes them.
#[derive(Debug)]
struct Cmd {
    name: String,
    props: Vec<(String, String)>,
    data: String,
}

impl Cmd {
    fn prop(&self, key: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn unescape_data(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%25", "%")
}

fn unescape_property(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

fn parse_command(line: &str) -> Option<Cmd> {
    let rest = line.trim_start().strip_prefix("::")?;
    let end = rest.find("::")?;
    let (info, data) = (&rest[..end], &rest[end + 2..]);
    let (name, props) = info.split_once(' ').unwrap_or((info, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_string(), unescape_property(v)))
        .collect();
    Some(Cmd {
        name: name.to_string(),
        props,
        data: unescape_data(data),
    })
}

/// The log lines of an output as the runner splits them (at LF, CR and CRLF).
fn log_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r'])
}

/// Every command in `text`; fails on a line that starts a command portreg does not write
/// (`::` that is not an annotation, the legacy `##[`), or on a control character.
fn audit(text: &str, what: &str) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    for line in log_lines(text) {
        if line.trim_start().starts_with("::") {
            let cmd =
                parse_command(line).unwrap_or_else(|| panic!("{what}: stray `::` line {line:?}"));
            assert!(
                ["error", "warning", "notice"].contains(&cmd.name.as_str()),
                "{what}: command {:?} in {line:?}",
                cmd.name
            );
            cmds.push(cmd);
        } else {
            assert!(!line.contains("##["), "{what}: legacy command in {line:?}");
        }
    }
    cmds
}

/// No character that drives a terminal: C0 (but tab and line feed), DEL, C1.
fn assert_no_controls(text: &str, what: &str) {
    if let Some(c) = text
        .chars()
        .find(|&c| (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c))
    {
        panic!("{what}: control character {c:?} in\n{text}");
    }
}

fn xml_text(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Line breaks as character references (the name really holds them); ESC and C1
            // raw, as a careless fork would have them.
            '\n' | '\r' => out.push_str(&format!("&#{};", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// BASE plus hostile records (name, description, note, person id and data) and a hostile
/// unnamed record.
fn hostile_registry() -> String {
    let base = read(DIFF_BASE);
    let h = xml_text(HOSTILE);
    let records = format!(
        r#"  <record date="2026-08-01">
    <name>{h}</name>
    <protocol>tcp</protocol>
    <description>{h}</description>
    <number>5200</number>
    <note>{h}</note>
    <xref type="person" data="{h}"/>
  </record>
  <record date="2026-08-01">
    <name>evil-mail</name>
    <protocol>udp</protocol>
    <description>{h}</description>
    <number>5201</number>
    <xref type="person" data="Evil_Person"/>
  </record>
  <record date="2026-08-01">
    <protocol>tcp</protocol>
    <description>{h}</description>
    <number>5202</number>
  </record>
  <people>
    <person id="Evil_Person">
      <name>{h}</name>
      <uri>mailto:{h}</uri>
      <updated>2026-08-01</updated>
    </person>
"#
    );
    base.replacen("  <people>\n", &records, 1)
}

fn hostile_draft() -> String {
    let h = toml_str(HOSTILE);
    format!(
        r#"format = 1

[[entry]]
name = {h}
transport = "tcp"
port = 5200
description = {h}
assignee = "Evil"
contact = {{ name = {h}, email = {h} }}
reference = [{h}]
notes = {h}

[people.Evil]
org = {h}
email = {h}
"#
    )
}

/// A folder with hostile file names: a space, `%`, `,`, `:`, a newline and a command.
struct Setup {
    tmp: TempDir,
    draft: String,
    head: String,
}

const BASE_NAME: &str = "base copy.xml";

fn setup(test: &str) -> Setup {
    let tmp = TempDir::new(test);
    let dir = "odd dir %41,x:y";
    std::fs::create_dir_all(tmp.join(dir)).expect("mkdir");
    let draft = format!("{dir}/draft\n::error file=f.toml::from-name 50%.toml");
    let head = format!("{dir}/head\r::warning::from-name \u{1b}[2J.xml");
    std::fs::write(tmp.join(&draft), hostile_draft()).expect("draft");
    std::fs::write(tmp.join(&head), hostile_registry()).expect("head");
    std::fs::copy(Path::new(ROOT).join(DIFF_BASE), tmp.join(BASE_NAME)).expect("base");
    Setup { tmp, draft, head }
}

fn run_stdin_in(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = command_in(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    finish(child.wait_with_output().expect("wait"), args)
}

/// The command lines of the audit: every linting command, with and without a registry.
fn commands(s: &Setup) -> Vec<Vec<String>> {
    let v = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        v(&["check", &s.draft, "--registry", BASE_NAME]),
        v(&["check", &s.draft, "--no-registry"]),
        v(&["check", &s.draft]),
        v(&["check", "-", "--registry", &s.head]),
        v(&["registry", "lint", &s.head]),
        v(&["registry", "diff", BASE_NAME, &s.head]),
        v(&[
            "registry",
            "diff",
            BASE_NAME,
            &s.head,
            "--sarif-file",
            "out.sarif",
        ]),
    ]
}

fn run_args(s: &Setup, args: &[String], format: &str) -> Output {
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend(["--format", format]);
    if args.iter().any(|a| a == "-") {
        run_stdin_in(s.tmp.path(), &all, &hostile_draft())
    } else {
        run_in(s.tmp.path(), &all)
    }
}

#[test]
fn hostile_input_starts_no_command_in_any_format() {
    let s = setup("ci-hostile");
    for args in commands(&s) {
        let json_out = run_args(&s, &args, "json");
        let report: Value = serde_json::from_str(&stdout(&json_out))
            .unwrap_or_else(|e| panic!("{args:?}: JSON ({e}): {}", stderr(&json_out)));
        let findings = diagnostics(&report);
        assert!(
            !findings.is_empty(),
            "{args:?}: the hostile input is reported"
        );
        for format in ["human", "short", "json", "sarif", "github"] {
            let out = run_args(&s, &args, format);
            let what = format!("{args:?} --format {format}");
            assert_eq!(code(&out), code(&json_out), "{what}: {}", stderr(&out));
            let text = stdout(&out);
            let cmds = audit(&text, &what);
            audit(&stderr(&out), &what);
            assert_no_controls(&stderr(&out), &what);
            if format != "github" {
                assert!(cmds.is_empty(), "{what}: commands {cmds:?}");
            }
            if ["human", "short", "github"].contains(&format) {
                assert_no_controls(&text, &what);
            }
            if format == "github" {
                check_annotations(&cmds, &findings, &what);
            }
        }
    }
}

/// One annotation per finding plus the summary notice first, errors before warnings before
/// notices, and each property and message round-trips through the runner's unescaping.
fn check_annotations(cmds: &[Cmd], findings: &[&Value], what: &str) {
    assert_eq!(cmds.len(), findings.len() + 1, "{what}: {cmds:#?}");
    let (summary, rest) = cmds.split_first().expect("summary");
    assert_eq!(summary.name, "notice", "{what}");
    assert_eq!(summary.prop("title"), Some("portreg summary"), "{what}");
    let mut sorted: Vec<&&Value> = findings.iter().collect();
    let rank = |s: &str| match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    sorted.sort_by_key(|d| rank(d["severity"].as_str().unwrap_or("")));
    for (cmd, d) in rest.iter().zip(sorted) {
        let rule = d["rule"].as_str().expect("rule");
        let severity = d["severity"].as_str().expect("severity");
        let kind = match severity {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        assert_eq!(cmd.name, kind, "{what}: {cmd:?}");
        assert_eq!(cmd.prop("title"), Some(rule), "{what}: {cmd:?}");
        if let Some(line) = d["span"]["start"]["line"].as_u64() {
            // The runner gets back the exact file name, newline and all.
            // (Terminal controls are shown, not kept.)
            let file = d["file"].as_str().map(|f| f.replace('\u{1b}', "\\u{1b}"));
            assert_eq!(cmd.prop("file"), file.as_deref(), "{what}: {cmd:?}");
            assert_eq!(cmd.prop("line"), Some(line.to_string().as_str()), "{what}");
        } else {
            assert_eq!(cmd.prop("file"), None, "{what}: {cmd:?}");
        }
        // The message: one line of the finding, then only portreg's own help and see lines.
        let mut lines = cmd.data.split('\n');
        let first = lines.next().unwrap_or("");
        assert!(
            first.contains(&format!("{severity}[{rule}]: ")),
            "{what}: {first:?}"
        );
        for l in lines {
            assert!(
                l.starts_with("help: ") || l.starts_with("see: "),
                "{what}: {l:?}"
            );
        }
        assert!(!cmd.data.contains('\r'), "{what}: {cmd:?}");
        assert_no_controls(&cmd.data, what);
    }
}

#[test]
fn colour_output_carries_no_escape_from_the_input() {
    let s = setup("ci-colour");
    for args in commands(&s)
        .into_iter()
        .filter(|a| !a.contains(&"-".to_string()))
    {
        let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
        all.extend(["--format", "human", "--color", "always"]);
        let text = stdout(&run_in(s.tmp.path(), &all));
        assert!(text.contains("\u{1b}["), "{all:?}: coloured");
        assert!(!text.contains("\u{1b}[31mred"), "{all:?}: {text}");
        assert!(!text.contains("\u{1b}[2J"), "{all:?}: {text}");
        assert!(
            !text.contains('\u{9b}') && !text.contains('\r'),
            "{all:?}: {text}"
        );
        audit(&text, &format!("{all:?}"));
    }
}

/// Commands where input reaches output without a report: render, suggest, explain, and the
/// errors that name a file.
#[test]
fn other_commands_echo_input_safely() {
    let s = setup("ci-other");
    let mut runs: Vec<(Vec<String>, Output)> = Vec::new();
    let owned = |a: &[&str]| a.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    for form in ["text", "xml", "csv"] {
        for force in [true, false] {
            let mut a = owned(&["render", &s.draft, "--as", form, "--registry", BASE_NAME]);
            if force {
                a.push("--force".into());
            }
            runs.push((
                a.clone(),
                run_in(
                    s.tmp.path(),
                    &a.iter().map(String::as_str).collect::<Vec<_>>(),
                ),
            ));
        }
    }
    for a in [
        owned(&["suggest", "--name", HOSTILE, "--registry", &s.head]),
        owned(&[
            "suggest",
            "--name",
            HOSTILE,
            "--registry",
            &s.head,
            "--json",
        ]),
        owned(&["registry", "info", "--registry", &s.head]),
        owned(&["explain", HOSTILE]),
        owned(&["check", "missing\n::error::gone.toml"]),
        owned(&["registry", "lint", "missing\n::error::gone.xml"]),
    ] {
        let out = run_in(
            s.tmp.path(),
            &a.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        runs.push((a, out));
    }
    for (a, out) in &runs {
        let what = format!("{a:?}");
        for text in [stdout(out), stderr(out)] {
            let cmds = audit(&text, &what);
            assert!(cmds.is_empty(), "{what}: {cmds:?}");
        }
        assert_no_controls(&stderr(out), &what);
        if !a.contains(&"--json".to_string()) && a[0] != "render" {
            assert_no_controls(&stdout(out), &what);
        }
    }
}

/// A draft with `n` entries whose names break §5.1: `n` errors.
fn many_errors(n: usize) -> String {
    let mut s = String::from("format = 1\n");
    for i in 0..n {
        s.push_str(&format!(
            "\n[[entry]]\nname = \"bad_name_{i}\"\ntransport = \"tcp\"\nport = \"user\"\ndescription = \"Bad {i}\"\n"
        ));
    }
    s
}

#[test]
fn summary_comes_first_and_says_what_github_leaves_out() {
    let tmp = TempDir::new("ci-limits");
    tmp.write("many.toml", &many_errors(14));
    let (_, report) = json_in(tmp.path(), &["check", "many.toml", "--no-registry"]);
    let errors = report["summary"]["errors"].as_u64().expect("errors");
    assert!(errors > 10, "{errors}");
    let out = run_in(
        tmp.path(),
        &["check", "many.toml", "--no-registry", "--format", "github"],
    );
    let text = stdout(&out);
    let cmds = audit(&text, "many");
    let first = &cmds[0];
    assert_eq!(first.name, "notice");
    assert!(
        first
            .data
            .contains(&format!("not annotated: {} errors", errors - 10)),
        "{first:?}"
    );
    assert!(first.data.contains("--format sarif"), "{first:?}");
    // Errors first.
    let kinds: Vec<&str> = cmds[1..].iter().map(|c| c.name.as_str()).collect();
    let mut sorted = kinds.clone();
    sorted.sort_by_key(|k| match *k {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    });
    assert_eq!(kinds, sorted);
    // The plain summary is the last line.
    assert!(text
        .lines()
        .last()
        .is_some_and(|l| l.starts_with("portreg: ")));

    // With a SARIF file on the side, the summary names it.
    let head = read(DIFF_HEAD);
    let mut extra = String::new();
    for i in 0..12 {
        extra.push_str(&format!(
            "  <record date=\"2026-08-01\">\n    <name>bad_{i}</name>\n    <protocol>tcp</protocol>\n    <description>Bad</description>\n    <number>{}</number>\n  </record>\n",
            6000 + i
        ));
    }
    extra.push_str("  <people>\n");
    tmp.write("head.xml", &head.replacen("  <people>\n", &extra, 1));
    std::fs::copy(Path::new(ROOT).join(DIFF_BASE), tmp.join("base.xml")).expect("copy");
    let out = run_in(
        tmp.path(),
        &[
            "registry",
            "diff",
            "base.xml",
            "head.xml",
            "--format",
            "github",
            "--sarif-file",
            "all.sarif",
        ],
    );
    let cmds = audit(&stdout(&out), "diff");
    assert!(cmds[0].data.contains("not annotated: "), "{:?}", cmds[0]);
    assert!(cmds[0].data.contains("`all.sarif`"), "{:?}", cmds[0]);
}

#[test]
fn a_clean_run_has_no_annotation() {
    let out = run(&[
        "check",
        "examples/user-port-tcp.toml",
        "--no-registry",
        "--format",
        "github",
    ]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), "portreg: 0 errors, 0 warnings in 1 entry\n");
}

fn sarif_in(dir: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "sarif"]);
    let out = run_in(dir, &all);
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{all:?}: {e}: {}", stderr(&out)))
}

fn file_uri_of_dir(dir: &Path) -> String {
    let mut s = String::from("file://");
    for part in dir.components().skip(1) {
        s.push('/');
        for b in part.as_os_str().to_string_lossy().bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                s.push(char::from(b));
            } else {
                s.push_str(&format!("%{b:02X}"));
            }
        }
    }
    s.push('/');
    s
}

/// Every result has a location; every URI is percent-encoded and based.
fn check_locations(v: &Value, what: &str) {
    let run = &v["runs"][0];
    for r in run["results"].as_array().expect("results") {
        let locs = r["locations"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: {r}"));
        assert!(!locs.is_empty(), "{what}: {r}");
        for l in locs
            .iter()
            .chain(r["relatedLocations"].as_array().into_iter().flatten())
        {
            let a = &l["physicalLocation"]["artifactLocation"];
            let uri = a["uri"].as_str().expect("uri");
            assert!(
                uri.bytes()
                    .all(|b| b.is_ascii_graphic() && !b"\\\"<>{}|^`[]#?".contains(&b)),
                "{what}: {uri}"
            );
            let based = a["uriBaseId"] == "%SRCROOT%";
            assert_eq!(based, !uri.starts_with("file:///"), "{what}: {a}");
        }
    }
}

#[test]
fn sarif_run_findings_are_notifications() {
    let s = setup("ci-sarif-notify");
    // No registry found: `registry/unavailable`.
    let v = sarif_in(s.tmp.path(), &["check", &s.draft]);
    check_locations(&v, "unavailable");
    let run = &v["runs"][0];
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notes.len(), 1, "{notes:?}");
    let rule = &notes[0]["associatedRule"];
    assert_eq!(rule["id"], "registry/unavailable");
    let index = rule["index"].as_u64().expect("index") as usize;
    assert_eq!(
        run["tool"]["driver"]["rules"][index]["id"],
        "registry/unavailable"
    );
    assert_eq!(notes[0]["level"], "warning");
    assert!(run["results"]
        .as_array()
        .expect("results")
        .iter()
        .all(|r| r["ruleId"] != "registry/unavailable"));

    // A stale registry: `registry/stale`.
    let out = command_in(
        s.tmp.path(),
        &[
            "check",
            &s.draft,
            "--registry",
            BASE_NAME,
            "--format",
            "sarif",
        ],
    )
    .env("PORTREG_TODAY", "2031-01-01")
    .output()
    .expect("run");
    let v: Value = serde_json::from_str(&stdout(&out)).expect("SARIF");
    check_locations(&v, "stale");
    let notes = v["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert!(
        notes
            .iter()
            .any(|n| n["associatedRule"]["id"] == "registry/stale"),
        "{notes:?}"
    );
}

#[test]
fn sarif_uris_are_encoded_and_based() {
    let s = setup("ci-sarif-uri");
    let root = file_uri_of_dir(s.tmp.path());
    let v = sarif_in(s.tmp.path(), &["check", &s.draft, "--registry", BASE_NAME]);
    check_locations(&v, "check");
    let run = &v["runs"][0];
    assert_eq!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], root.as_str());
    assert_eq!(
        run["invocations"][0]["workingDirectory"]["uri"],
        root.as_str()
    );
    let uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .expect("uri");
    assert_eq!(
        uri,
        "odd%20dir%20%2541,x%3Ay/draft%0A%3A%3Aerror%20file=f.toml%3A%3Afrom-name%2050%25.toml"
    );

    // Standard input has a fixed relative name; a registry outside the folder a file URI.
    let out = run_stdin_in(
        s.tmp.path(),
        &[
            "check",
            "-",
            "--registry",
            &format!("{ROOT}/{DIFF_BASE}"),
            "--format",
            "sarif",
        ],
        &many_errors(2),
    );
    let v: Value = serde_json::from_str(&stdout(&out)).expect("SARIF");
    check_locations(&v, "stdin");
    let results = v["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "stdin.toml"
        );
    }

    // `registry lint` of a file outside the working directory: absolute file URIs.
    let v = sarif_in(
        Path::new(ROOT),
        &[
            "registry",
            "lint",
            &s.tmp.join(&s.head).display().to_string(),
        ],
    );
    check_locations(&v, "outside");
    let uri = v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .expect("uri");
    assert!(uri.starts_with(&root), "{uri} in {root}");
}

#[test]
fn sarif_rules_have_full_descriptions_and_help() {
    let v = sarif_in(Path::new(ROOT), &["registry", "lint", BASE]);
    let rules = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(rules.len() > 5);
    for r in rules {
        for key in [
            &r["fullDescription"]["text"],
            &r["help"]["text"],
            &r["help"]["markdown"],
        ] {
            assert!(key.as_str().is_some_and(|t| t.len() > 20), "{r}");
        }
        assert_ne!(
            r["fullDescription"]["text"], r["shortDescription"]["text"],
            "{r}"
        );
        assert!(
            r["help"]["markdown"]
                .as_str()
                .is_some_and(|t| t.contains("## Why")),
            "{r}"
        );
    }
}

/// The example workflow: drafts at any depth, one annotating step per finding source, and
/// the base registry inside the workspace (no SARIF location outside the repository).
#[test]
fn example_workflow_annotates_once_inside_the_repository() {
    let text = read("examples/ci/github-workflow-registry-fork.yml");
    assert!(text.contains("- \"drafts/**\""), "trigger");
    assert!(text.contains("hashFiles('drafts/**/*.toml')"), "{text}");
    assert!(text.contains("shopt -s globstar nullglob"), "{text}");
    assert!(text.contains("drafts=(drafts/**/*.toml)"), "{text}");
    assert!(
        !text.contains("RUNNER_TEMP"),
        "base copy outside the workspace"
    );
    assert!(text.contains("> .portreg/base.xml"), "{text}");
    assert!(text.contains("/.portreg/\" >> .git/info/exclude"), "{text}");
    // `registry lint` reports to the log only: the diff step annotates the changed records.
    let lint = text
        .split("- name: ")
        .find(|s| s.starts_with("Whole registry"))
        .expect("lint step");
    assert!(lint.contains("--format human"), "{lint}");
    // No step interpolates pull-request data into a script.
    assert!(
        !text.contains("${{ github.event.pull_request.title"),
        "{text}"
    );
    assert!(!text.contains("run: git show \"origin/${{"), "{text}");
}

/// What portreg prints of a clean draft is unchanged by the escaping: CSV keeps its CRLF.
#[test]
fn rendered_csv_keeps_its_line_ends() {
    let out = run(&["render", "examples/user-port-tcp.toml", "--as", "csv"]);
    let text = stdout(&out);
    assert!(text.ends_with("\r\n"), "{text:?}");
    assert!(!text.contains("\\u{"), "{text:?}");
}
