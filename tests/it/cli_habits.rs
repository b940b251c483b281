//! The CLI habits of clippy and ruff users (issue 14): severity words in the human report,
//! the short format's summary and colour, folders, unreadable files that do not stop a run,
//! `--statistics`, `--exit-zero`, `--quiet`, `--stdin-filename`, case-insensitive rule ids,
//! `rules` grouped by category, level words in `portreg.toml`, quiet GitHub runs on clean
//! drafts, and the level and registry options of `render` and `registry diff`.

use crate::harness::*;

const MISTAKE: &str = "examples/mistakes/underscore-and-version.toml";
const CLEAN: &str = "examples/user-port-tcp.toml";

#[test]
fn human_headers_carry_severity_word_and_rule() {
    let out = run(&["check", MISTAKE]);
    let text = stdout(&out);
    assert_eq!(code(&out), 1);
    assert!(text.starts_with(
        "warning[registry/unavailable]: no registry was found, so the conflict rules were skipped\n"
    ));
    assert!(text.contains("\nerror[name/invalid-char]: service name `acme_sync-v2` contains `_`; only ASCII letters, digits and hyphens are allowed\n   ╭─[examples/mistakes/underscore-and-version.toml:8:13]\n"), "{text}");
    assert!(text.contains("\nwarning[name/version]: service name `acme_sync-v2` appears"));
    assert!(text.contains("  see: https://www.rfc-editor.org/rfc/rfc7605#section-7.5\n"));
    // miette's icons and the old `rule (url)` line are gone.
    assert!(!text.contains('×') && !text.contains('⚠'), "{text}");
    assert!(!text.contains("name/version (https"), "{text}");
    assert!(
        text.ends_with("\n1 error, 2 warnings in 1 entry\n"),
        "{text}"
    );
}

#[test]
fn human_header_is_coloured_with_color_always() {
    let out = run(&["check", MISTAKE, "--no-registry", "--color", "always"]);
    let text = stdout(&out);
    assert!(
        text.contains("\x1b[1;31merror\x1b[0m\x1b[1m[name/invalid-char]: "),
        "{text:?}"
    );
    assert!(text.contains("\x1b[1;33mwarning\x1b[0m\x1b[1m[name/version]: "));
}

#[test]
fn short_has_summary_colour_and_no_portreg_prefix() {
    let out = run(&["check", MISTAKE, "--format", "short"]);
    assert_eq!(
        stdout(&out),
        "warning[registry/unavailable]: no registry was found, so the conflict rules were skipped\n\
         examples/mistakes/underscore-and-version.toml:8:13: error[name/invalid-char]: service name `acme_sync-v2` contains `_`; only ASCII letters, digits and hyphens are allowed\n\
         examples/mistakes/underscore-and-version.toml:8:19: warning[name/version]: service name `acme_sync-v2` appears to encode a protocol version (`v2`)\n\
         1 error, 2 warnings in 1 entry\n"
    );
    let out = run(&["check", MISTAKE, "--format", "short", "--color", "always"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("\x1b[1;33mwarning\x1b[0m[registry/unavailable]: "),
        "{text:?}"
    );
    assert!(text.contains(":8:13: \x1b[1;31merror\x1b[0m[name/invalid-char]: "));
    // NO_COLOR (set by the harness) and `auto` off a terminal: no escapes.
    let out = run(&["check", MISTAKE, "--format", "short"]);
    assert!(!stdout(&out).contains('\x1b'));
}

#[test]
fn quiet_drops_the_summary_line() {
    let out = run(&[
        "check",
        MISTAKE,
        "--no-registry",
        "--format",
        "short",
        "--quiet",
    ]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(!text.contains("in 1 entry"));
    assert_eq!(code(&out), 1);
    let out = run(&["check", MISTAKE, "--no-registry", "-q"]);
    let text = stdout(&out);
    assert!(text.contains("error[name/invalid-char]"));
    assert!(!text.contains("1 error, 1 warning"), "{text}");
    // A clean draft, quiet: nothing at all.
    let out = run(&["check", CLEAN, "--no-registry", "--quiet"]);
    assert_eq!(stdout(&out), "");
    assert_eq!(code(&out), 0);
}

#[test]
fn statistics_count_per_rule() {
    let out = run(&[
        "check",
        "tests/fixtures/cli/multi.toml",
        MISTAKE,
        "--no-registry",
        "--statistics",
    ]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    // Most frequent first, then by rule id; the rule's summary, not a message.
    assert!(
        lines[0].starts_with("2  warning  field/development-state-missing      port requested"),
        "{text}"
    );
    assert!(lines.contains(&"2  error    name/invalid-char                    service name has a character other than an ASCII letter, digit or hyphen"), "{text}");
    assert!(text.contains("service name appears to encode a protocol version"));
    assert!(
        !text.contains("╭─["),
        "statistics replace the findings: {text}"
    );
    assert!(text.ends_with(" (2 files)\n"), "{text}");
    assert_eq!(code(&out), 1);
    // A text report only.
    let out = run(&["check", MISTAKE, "--statistics", "--format", "json"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("`--statistics` is a text report"),
        "{}",
        stderr(&out)
    );
    // In GitHub Actions, without `--format`, statistics are the text report, not an error.
    let out = command(&["check", MISTAKE, "--no-registry", "--statistics"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .expect("run");
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("1  error    name/invalid-char "));
}

#[test]
fn exit_zero_keeps_two_for_could_not_run() {
    let out = run(&["check", MISTAKE, "--no-registry", "--exit-zero"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("error[name/invalid-char]"));
    let out = run(&["check", MISTAKE, "no/such/draft.toml", "--exit-zero"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn an_unreadable_file_does_not_stop_the_others() {
    let out = run(&[
        "check",
        "no/such/draft.toml",
        MISTAKE,
        "also-missing.toml",
        "--no-registry",
        "--format",
        "short",
    ]);
    assert_eq!(code(&out), 2);
    let text = stdout(&out);
    assert!(text.contains(":8:13: error[name/invalid-char]"), "{text}");
    assert!(text.ends_with("1 error, 1 warning in 1 entry\n"), "{text}");
    let err = stderr(&out);
    assert!(
        err.contains("error: cannot read `no/such/draft.toml`"),
        "{err}"
    );
    assert!(
        err.contains("error: cannot read `also-missing.toml`"),
        "{err}"
    );
    // Nothing readable: no report, exit 2.
    let out = run(&["check", "no/such/draft.toml", "--no-registry"]);
    assert_eq!(code(&out), 2);
    assert_eq!(stdout(&out), "");
}

#[test]
fn stdin_filename_names_standard_input() {
    let draft = std::fs::read(root().join(MISTAKE)).expect("example");
    let out = run_stdin(
        &[
            "check",
            "-",
            "--stdin-filename",
            "drafts/new.toml",
            "--no-registry",
            "--format",
            "short",
        ],
        &draft,
    );
    assert!(stdout(&out).starts_with("drafts/new.toml:8:13: error[name/invalid-char]"));
    let out = run_stdin(
        &[
            "check",
            "-",
            "--stdin-filename",
            "drafts/new.toml",
            "--no-registry",
            "--format",
            "sarif",
        ],
        &draft,
    );
    let text = stdout(&out);
    assert!(text.contains("\"uri\": \"drafts/new.toml\""), "{text}");
    assert!(!text.contains("stdin.toml"));
    // Without it, `<stdin>` as before.
    let out = run_stdin(
        &["check", "-", "--no-registry", "--format", "short"],
        &draft,
    );
    assert!(stdout(&out).starts_with("<stdin>:8:13: "));
}

#[test]
fn folders_are_walked_sorted_honouring_gitignore_and_excludes() {
    let clean = std::fs::read_to_string(root().join(CLEAN)).expect("example");
    let bad = std::fs::read_to_string(root().join(MISTAKE)).expect("example");
    let dir = TempDir::new("walk");
    for sub in ["drafts/sub", "drafts/ignored", "drafts/old", "drafts/rules"] {
        std::fs::create_dir_all(dir.join(sub)).expect("mkdir");
    }
    dir.write("drafts/z.toml", &bad);
    dir.write("drafts/a.toml", &clean);
    dir.write("drafts/sub/b.toml", &bad);
    dir.write("drafts/notes.txt", "not a draft");
    dir.write("drafts/.gitignore", "ignored/\n");
    dir.write("drafts/ignored/c.toml", &bad);
    dir.write("drafts/old/d.toml", &bad);
    dir.write("drafts/e.wip.toml", &bad);
    dir.write("drafts/portreg.toml", "not = [a config");
    dir.write("drafts/rules/house.toml", "[[rule]]\nid = \"house/no-acme\"\nseverity = \"warning\"\nsummary = \"no Acme\"\nfield = \"description\"\nregex = '.'\n");
    dir.write(
        "portreg.toml",
        "rules = [\"drafts/rules/house.toml\"]\nexclude = [\"old/\"]\n",
    );
    let (rc, v) = json_in(
        dir.path(),
        &[
            "check",
            "drafts",
            "--no-registry",
            "--exclude",
            "*.wip.toml",
        ],
    );
    assert_eq!(rc, 1);
    let files: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["file"].as_str())
        .collect();
    let mut unique = files.clone();
    unique.dedup();
    assert_eq!(unique, ["drafts/sub/b.toml", "drafts/z.toml"], "{v}");
    assert_eq!(v["summary"]["files"], 3, "a.toml, sub/b.toml, z.toml: {v}");
    // `portreg config` shows the excludes.
    let out = run_in(dir.path(), &["config"]);
    assert!(
        stdout(&out).contains("exclude:     old/\n"),
        "{}",
        stdout(&out)
    );
    // An empty folder: a warning, nothing to report.
    std::fs::create_dir_all(dir.join("empty")).expect("mkdir");
    let out = run_in(dir.path(), &["check", "empty", "--no-registry"]);
    assert!(stderr(&out).contains("no drafts (`*.toml`) in the folder `empty`"));
    assert_eq!(code(&out), 0);
}

#[test]
fn rule_ids_are_case_insensitive() {
    let out = run(&["explain", "Name/Version"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("name/version (warning)\n"));
    let out = run(&["explain", "NAME"]);
    assert_eq!(code(&out), 0);
    let out = run(&[
        "check",
        MISTAKE,
        "--no-registry",
        "-A",
        "Name/Invalid-Char",
        "-D",
        "NAME/version",
        "--format",
        "short",
    ]);
    assert_eq!(
        stdout(&out),
        "examples/mistakes/underscore-and-version.toml:8:19: error[name/version]: service name `acme_sync-v2` appears to encode a protocol version (`v2`)\n1 error, 0 warnings in 1 entry\n"
    );
    let dir = TempDir::with_files(
        "levels-case",
        &[(
            "portreg.toml",
            "[levels]\n\"Name/Invalid-Char\" = \"allow\"\n",
        )],
    );
    let path = root().join(MISTAKE).display().to_string();
    let out = run_in(
        dir.path(),
        &["check", &path, "--no-registry", "--format", "short"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stdout(&out).contains("name/invalid-char"));
}

#[test]
fn rules_text_is_grouped_with_a_registry_column() {
    let out = run(&["rules"]);
    let text = stdout(&out);
    assert!(text.contains("\nname: "), "{text}");
    let conflict = text
        .lines()
        .find(|l| l.trim_start().starts_with("conflict/name-taken "))
        .expect("conflict/name-taken");
    assert!(
        conflict.contains(" error    needed    service name already registered"),
        "{conflict}"
    );
    let too_long = text
        .lines()
        .find(|l| l.trim_start().starts_with("name/too-long "))
        .expect("name/too-long");
    assert!(too_long.contains(" error    -         "), "{too_long}");
}

#[test]
fn severity_words_as_levels_get_a_hint() {
    for (word, hint) in [
        ("error", "deny"),
        ("warning", "warn"),
        ("info", "allow"),
        ("off", "allow"),
    ] {
        let dir = TempDir::with_files(
            "level-word",
            &[("portreg.toml", &format!("[levels]\npolicy = \"{word}\"\n"))],
        );
        let out = run_in(dir.path(), &["config"]);
        assert_eq!(code(&out), 2);
        let err = stderr(&out);
        assert!(err.contains(&format!("\"{word}\" is not a level")), "{err}");
        assert!(err.contains(&format!("did you mean \"{hint}\"?")), "{err}");
    }
}

#[test]
fn github_clean_run_has_no_summary_notice() {
    let out = run(&["check", CLEAN, "--no-registry", "--format", "github"]);
    assert_eq!(code(&out), 0);
    assert!(!stdout(&out).contains("::notice"), "{}", stdout(&out));
    let out = run(&["check", MISTAKE, "--no-registry", "--format", "github"]);
    assert!(stdout(&out).contains("::notice title=portreg summary::"));
}

#[test]
fn render_takes_levels_and_no_registry() {
    // name/invalid-char is an error: refused, unless allowed.
    let out = run(&["render", MISTAKE, "--as", "csv"]);
    assert_eq!(code(&out), 1);
    let out = run(&["render", MISTAKE, "--as", "csv", "-A", "name/invalid-char"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("acme_sync-v2"));
    let out = run(&["render", CLEAN, "--as", "csv", "-D", "all"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // A registry that is named but missing stops render, unless --no-registry.
    let out = command(&["render", CLEAN, "--as", "csv"])
        .env("PORTREG_REGISTRY", "no/such/registry.xml")
        .output()
        .expect("run");
    assert_eq!(code(&out), 2);
    let out = command(&["render", CLEAN, "--as", "csv", "--no-registry"])
        .env("PORTREG_REGISTRY", "no/such/registry.xml")
        .output()
        .expect("run");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn registry_diff_takes_a_baseline() {
    let dir = TempDir::new("diff-baseline");
    let baseline = dir.write(
        "baseline.json",
        r#"{"portreg-baseline": 1, "findings": [{"rule": "conflict/port-taken", "key": "papa-dup tcp 5200", "reason": "known duplicate"}]}"#,
    );
    let args = [
        "registry", "diff", DIFF_BASE, DIFF_HEAD, "--format", "short",
    ];
    let out = run(&args);
    assert_eq!(code(&out), 1);
    let mut with = args.to_vec();
    with.extend(["--baseline", &baseline]);
    let out = run(&with);
    let text = stdout(&out);
    assert_eq!(code(&out), 0, "{text}");
    assert!(!text.contains("conflict/port-taken"), "{text}");
    assert!(text.ends_with("(1 suppressed)\n"), "{text}");
}
