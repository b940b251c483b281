//! The library facade (`portreg::{check, lint, diff, render, …}`) gives the same reports as
//! the command line, byte for byte, in every format.

use std::path::Path;

use portreg::{Options, OutputFormat, Registry};

use crate::harness::{run, stdout, BASE, DIFF_BASE, DIFF_HEAD, TODAY};

const FORMATS: [(OutputFormat, &str); 5] = [
    (OutputFormat::Human, "human"),
    (OutputFormat::Short, "short"),
    (OutputFormat::Json, "json"),
    (OutputFormat::Sarif, "sarif"),
    (OutputFormat::Github, "github"),
];

fn options(registry: Option<&str>) -> Options {
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("TODAY is a date");
    let options = Options::default().with_today(today);
    match registry {
        Some(path) => options.with_registry(load(path)),
        None => options,
    }
}

fn load(path: &str) -> Registry {
    Registry::load(Path::new(path)).unwrap_or_else(|e| panic!("cannot load {path}: {e}"))
}

#[test]
fn check_renders_as_the_command_does() {
    for draft in [
        "examples/user-port-tcp.toml",
        "examples/mistakes/incomplete.toml",
        "examples/mistakes/name-taken.toml",
    ] {
        let text = std::fs::read_to_string(draft).expect("read the draft");
        for registry in [Some(BASE), None] {
            let report = portreg::check(draft, &text, &options(registry));
            for (format, name) in FORMATS {
                let mut args = vec!["check", draft, "--format", name];
                match registry {
                    Some(path) => args.extend(["--registry", path]),
                    None => args.push("--no-registry"),
                }
                let cli = run(&args);
                assert_eq!(portreg::render(&report, format), stdout(&cli), "{args:?}");
                assert_eq!(
                    report.has_errors(),
                    cli.status.code() == Some(1),
                    "{args:?}"
                );
            }
        }
    }
}

#[test]
fn lint_and_diff_render_as_the_command_does() {
    let lint = portreg::lint(load(BASE), &options(None));
    let diff = portreg::diff(load(DIFF_BASE), load(DIFF_HEAD), &options(None));
    for (format, name) in FORMATS {
        let cli = run(&["registry", "lint", BASE, "--format", name]);
        assert_eq!(portreg::render(&lint, format), stdout(&cli), "lint {name}");
        let cli = run(&["registry", "diff", DIFF_BASE, DIFF_HEAD, "--format", name]);
        assert_eq!(portreg::render(&diff, format), stdout(&cli), "diff {name}");
    }
}

#[test]
fn drafts_checked_together_see_each_other() {
    let draft = |port: u16| {
        format!("format = 1\n\n[[entry]]\nname = \"acme-sync\"\ntransport = \"tcp\"\nport = {port}\ndescription = \"Acme sync\"\n")
    };
    let report = portreg::check_drafts(
        [
            portreg::DraftInput::new("a.toml", draft(4874)),
            portreg::DraftInput::new("b.toml", draft(4875)),
        ],
        &Options::default(),
    );
    let in_drafts: Vec<_> = report
        .diagnostics()
        .iter()
        .filter(|d| d.builtin_rule() == Some(portreg::Rule::ConflictInDrafts))
        .collect();
    assert!(!in_drafts.is_empty(), "{:#?}", report.diagnostics());
    let at = report.locate(in_drafts[0]).expect("a position");
    assert!(["a.toml", "b.toml"].contains(&at.file), "{at:?}");
    assert_eq!(report.summary().files, 2);
}
