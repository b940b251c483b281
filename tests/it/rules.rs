//! Per-rule behaviour tests, driven by the fixtures under `tests/fixtures/rules/`.
//!
//! Every in-scope rule `<category>/<name>` has at least two drafts there:
//!
//! - `<category>/<name>.fires.toml`: a draft on which the rule must fire;
//! - `<category>/<name>.clean.toml`: a near-miss on which it must not.
//!
//! Further cases are `<category>/<name>.<variant>.fires.toml` / `.clean.toml`. Each fixture
//! starts with comment lines saying what it shows; comment lines of the header can also carry
//! directives:
//!
//! - `# span: TEXT`: the primary label of the rule's first diagnostic covers exactly TEXT;
//! - `# related: TEXT`: its first related label (a registry record, or a row of the fixture
//!   Service Codes registry) covers exactly TEXT;
//! - `# registry: none | missing | lifecycle`: run without the fixture registry, as
//!   `--no-registry` does (`none`) or as when no registry was found (`missing`, which reports
//!   `registry/unavailable`), or with [`LIFECYCLE_REGISTRY`] (`lifecycle`); by default
//!   `tests/fixtures/rules/registry.xml` is loaded, with `tests/fixtures/rules/service-codes.xml`
//!   as the DCCP Service Codes registry;
//! - `# also: FILE`: check FILE (relative to the fixture's folder) together with the fixture;
//! - `# today: YYYY-MM-DD`: the date of the run (default [`TODAY`], a few days after the
//!   fixture registry's `<updated>`, so that `registry/stale` stays quiet and reports do not
//!   change with the calendar).
//!
//! Each category also has a snapshot of the human report of all its firing fixtures, and a
//! few fixtures have a JSON snapshot, in the top-level `snapshots/` folder.

use std::fs;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use portreg::testing::render::human::{self, Style};
use portreg::testing::rules::{builtin, Scope};
use portreg::{check_drafts, DraftInput, Options, Report};
use portreg::{Diagnostic, Label};
use portreg::{Registry, ServiceCodes};

/// Fixture folder, relative to the crate root (also the display prefix of draft names).
const ROOT: &str = "tests/fixtures/rules";
/// Display name of the fixture registry in reports.
const REGISTRY: &str = "tests/fixtures/rules/registry.xml";
/// The registry of the `lifecycle/` fixtures: records to change, de-assign or reuse.
const LIFECYCLE_REGISTRY: &str = "tests/fixtures/rules/lifecycle-registry.xml";
/// Display name of the fixture DCCP Service Codes registry, loaded with [`REGISTRY`].
const SERVICE_CODES: &str = "tests/fixtures/rules/service-codes.xml";

/// The default date of a run.
const TODAY: &str = "2026-01-20";

/// Categories whose every rule must have fixtures here.
const CATEGORIES: &[&str] = &[
    "draft",
    "name",
    "transport",
    "port",
    "field",
    "sc",
    "txt",
    "conflict",
    "policy",
    "registry",
    "lint",
    "lifecycle",
];

fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("bad date {s}: {e}"))
}

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn registry() -> Arc<Registry> {
    static REG: OnceLock<Arc<Registry>> = OnceLock::new();
    REG.get_or_init(|| load_registry(REGISTRY)).clone()
}

fn lifecycle_registry() -> Arc<Registry> {
    static REG: OnceLock<Arc<Registry>> = OnceLock::new();
    REG.get_or_init(|| load_registry(LIFECYCLE_REGISTRY))
        .clone()
}

fn load_registry(path: &str) -> Arc<Registry> {
    let bytes = fs::read(crate_root().join(path)).expect("read the fixture registry");
    let reg = Registry::from_bytes(path, bytes)
        .unwrap_or_else(|e| panic!("the fixture registry {path} does not load: {e:?}"));
    Arc::new(reg)
}

fn service_codes() -> Arc<ServiceCodes> {
    static CODES: OnceLock<Arc<ServiceCodes>> = OnceLock::new();
    CODES
        .get_or_init(|| {
            let bytes = fs::read(crate_root().join(SERVICE_CODES)).expect("read the fixture codes");
            let codes = ServiceCodes::from_bytes(SERVICE_CODES, bytes)
                .unwrap_or_else(|e| panic!("the fixture service codes do not load: {e:?}"));
            Arc::new(codes)
        })
        .clone()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Fires,
    Clean,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RegistryMode {
    Fixture,
    /// `--no-registry`.
    None,
    /// Looked for and not found.
    Missing,
    /// [`LIFECYCLE_REGISTRY`].
    Lifecycle,
}

/// One fixture file and what its name and header say.
#[derive(Debug)]
struct Fixture {
    /// Path relative to [`ROOT`], with `/` separators: `name/too-long.fires.toml`.
    rel: String,
    /// The rule the fixture is about: `name/too-long`.
    rule: String,
    expect: Expect,
    span: Option<String>,
    related: Option<String>,
    registry: RegistryMode,
    also: Vec<String>,
    today: chrono::NaiveDate,
}

impl Fixture {
    fn load(rel: &str) -> Fixture {
        let (dir, file) = rel
            .rsplit_once('/')
            .unwrap_or_else(|| panic!("fixture {rel} is not inside a category folder"));
        let stem = file.strip_suffix(".toml").expect("a .toml fixture");
        let expect = if stem.ends_with(".fires") {
            Expect::Fires
        } else if stem.ends_with(".clean") {
            Expect::Clean
        } else {
            panic!("fixture {rel} is neither .fires.toml nor .clean.toml");
        };
        let name = stem.split('.').next().unwrap_or(stem);
        // Lossy: one fixture is deliberately not UTF-8; its header still is.
        let bytes = fs::read(crate_root().join(ROOT).join(rel))
            .unwrap_or_else(|e| panic!("read {rel}: {e}"));
        let text = String::from_utf8_lossy(&bytes);
        let mut f = Fixture {
            rel: rel.to_string(),
            rule: format!("{dir}/{name}"),
            expect,
            span: None,
            related: None,
            registry: RegistryMode::Fixture,
            also: Vec::new(),
            today: date(TODAY),
        };
        let mut described = false;
        for line in text.lines() {
            let Some(comment) = line.strip_prefix('#') else {
                break;
            };
            let comment = comment.strip_prefix(' ').unwrap_or(comment);
            if let Some(v) = comment.strip_prefix("span: ") {
                f.span = Some(v.to_string());
            } else if let Some(v) = comment.strip_prefix("related: ") {
                f.related = Some(v.to_string());
            } else if let Some(v) = comment.strip_prefix("registry: ") {
                f.registry = match v.trim() {
                    "none" => RegistryMode::None,
                    "missing" => RegistryMode::Missing,
                    "lifecycle" => RegistryMode::Lifecycle,
                    other => panic!("{rel}: unknown registry mode `{other}`"),
                };
            } else if let Some(v) = comment.strip_prefix("today: ") {
                f.today = date(v.trim());
            } else if let Some(v) = comment.strip_prefix("also: ") {
                f.also.push(format!("{dir}/{}", v.trim()));
            } else if !comment.trim().is_empty() {
                described = true;
            }
        }
        assert!(
            described,
            "{rel} must start with a comment saying what it shows"
        );
        f
    }

    fn display_name(rel: &str) -> String {
        format!("{ROOT}/{rel}")
    }

    fn run(&self) -> Report {
        let mut inputs = Vec::new();
        for rel in std::iter::once(&self.rel).chain(&self.also) {
            let bytes = fs::read(crate_root().join(ROOT).join(rel))
                .unwrap_or_else(|e| panic!("read {rel}: {e}"));
            inputs.push(DraftInput::new(Self::display_name(rel), bytes));
        }
        let mut options = Options::default()
            .with_registry_missing(self.registry == RegistryMode::Missing)
            .with_today(self.today);
        match self.registry {
            RegistryMode::Fixture => {
                options = options
                    .with_registry(registry())
                    .with_service_codes(service_codes())
            }
            RegistryMode::Lifecycle => options = options.with_registry(lifecycle_registry()),
            RegistryMode::None | RegistryMode::Missing => {}
        }
        check_drafts(inputs, &options)
    }
}

/// Every fixture, relative to [`ROOT`], sorted.
fn fixture_paths() -> Vec<String> {
    let mut out = Vec::new();
    let root = crate_root().join(ROOT);
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("read the fixture folder")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let cat = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name");
        for e in fs::read_dir(&dir).expect("read a category folder") {
            let path = e.expect("dir entry").path();
            let file = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("utf-8 name");
            if file.ends_with(".fires.toml") || file.ends_with(".clean.toml") {
                out.push(format!("{cat}/{file}"));
            }
        }
    }
    out.sort();
    out
}

/// The text a label covers and the name of the file it is in; `Err` when the span is outside
/// the file or does not fall on character boundaries.
fn label_text<'a>(report: &'a Report, label: &Label) -> Result<(&'a str, &'a str), String> {
    let (name, text) = report
        .file_name(label.file)
        .zip(report.file_text(label.file))
        .ok_or_else(|| format!("label {:?} points into no known file", label.span))?;
    let covered = text.get(label.span.start..label.span.end).ok_or_else(|| {
        format!(
            "label {:?} is outside {} ({} bytes) or splits a character",
            label.span,
            name,
            text.len()
        )
    })?;
    Ok((covered, name))
}

fn describe(report: &Report) -> String {
    report
        .diagnostics()
        .iter()
        .map(|d| {
            let at = d
                .primary
                .as_ref()
                .map(|l| match label_text(report, l) {
                    Ok((text, _)) => format!("{:?} `{text}`", l.span),
                    Err(e) => e,
                })
                .unwrap_or_else(|| "-".into());
            format!(
                "  {}[{}]{} at {at}: {}",
                d.severity,
                d.rule,
                if d.suppressed { " (suppressed)" } else { "" },
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks one fixture; `Err` says what is wrong.
fn check(f: &Fixture) -> Result<(), String> {
    let report = f.run();
    let ours: Vec<&Diagnostic> = report
        .diagnostics()
        .iter()
        .filter(|d| d.rule == f.rule)
        .collect();
    let fail = |msg: String| {
        Err(format!(
            "{}: {msg}\n  all diagnostics:\n{}",
            f.rel,
            describe(&report)
        ))
    };
    match f.expect {
        Expect::Clean => {
            if !ours.is_empty() {
                return fail(format!("`{}` fired on a clean fixture", f.rule));
            }
        }
        Expect::Fires => {
            let Some(first) = ours.iter().find(|d| !d.suppressed) else {
                return fail(format!("`{}` did not fire", f.rule));
            };
            let drafts: Vec<String> = std::iter::once(&f.rel)
                .chain(&f.also)
                .map(|r| Fixture::display_name(r))
                .collect();
            for d in &ours {
                let Some(primary) = &d.primary else {
                    if f.rule == "registry/unavailable" || f.rule == "registry/stale" {
                        continue;
                    }
                    return fail(format!("`{}` has no primary label", f.rule));
                };
                let (_, file) = match label_text(&report, primary) {
                    Ok(t) => t,
                    Err(e) => return fail(format!("`{}`: {e}", f.rule)),
                };
                if !drafts.iter().any(|n| n == file) {
                    return fail(format!(
                        "the primary label of `{}` is in {file}, not in a draft",
                        f.rule
                    ));
                }
                if d.file != Some(primary.file) {
                    return fail(format!(
                        "`{}`: the diagnostic's file differs from its label's file",
                        f.rule
                    ));
                }
                for l in d.secondary.iter().chain(&d.related) {
                    if let Err(e) = label_text(&report, l) {
                        return fail(format!("`{}`: {e}", f.rule));
                    }
                }
            }
            if let Some(want) = &f.span {
                let Some(primary) = &first.primary else {
                    return fail("no primary label to compare with `# span:`".into());
                };
                let (got, _) = label_text(&report, primary).unwrap_or(("<invalid span>", ""));
                if got != want {
                    return fail(format!(
                        "the primary label of `{}` covers `{got}`, expected `{want}`",
                        f.rule
                    ));
                }
            }
            if let Some(want) = &f.related {
                let Some(related) = first.related.first() else {
                    return fail(format!("`{}` has no related label", f.rule));
                };
                let (got, file) = label_text(&report, related).unwrap_or(("<invalid span>", ""));
                let registry = match f.registry {
                    RegistryMode::Lifecycle => LIFECYCLE_REGISTRY,
                    _ => REGISTRY,
                };
                if got != want || (file != registry && file != SERVICE_CODES) {
                    return fail(format!(
                        "the related label of `{}` covers `{got}` in {file}, expected `{want}` in {registry} or {SERVICE_CODES}",
                        f.rule
                    ));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn fixture_registry_loads() {
    let reg = registry();
    assert_eq!(reg.path, REGISTRY);
    assert!(reg.person("IESG").is_some());
    assert!(reg.person("IETF_Chair").is_some());
    assert!(reg.records_named("acme-sync").count() == 2);
    assert_eq!(
        reg.records_with_service_code(1_094_929_733).len(),
        1,
        "SC:ACME"
    );
}

#[test]
fn every_fixture_behaves() {
    let mut failures = Vec::new();
    let mut count = 0;
    for rel in fixture_paths() {
        count += 1;
        if let Err(e) = check(&Fixture::load(&rel)) {
            failures.push(e);
        }
    }
    assert!(count > 100, "only {count} fixtures found");
    assert!(
        failures.is_empty(),
        "{} of {count} fixtures failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Rules that apply to drafts have draft fixtures here; rules only about registry records
/// are tested in `tests/registry_lint.rs` and `tests/registry_diff.rs`.
fn in_scope(id: &str) -> bool {
    let cat = id.split('/').next().unwrap_or(id);
    CATEGORIES.contains(&cat)
        && builtin()
            .get(id)
            .is_some_and(|m| m.applies_to(portreg::testing::rules::Scope::Draft))
}

#[test]
fn every_rule_has_both_fixtures() {
    let root = crate_root().join(ROOT);
    let mut missing = Vec::new();
    for rule in builtin().rules() {
        if !in_scope(&rule.id) {
            continue;
        }
        for kind in ["fires", "clean"] {
            let rel = format!("{}.{kind}.toml", rule.id);
            if !root.join(&rel).is_file() {
                missing.push(rel);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "rules without fixtures:\n  {}",
        missing.join("\n  ")
    );
}

#[test]
fn every_fixture_names_a_known_rule() {
    for rel in fixture_paths() {
        let f = Fixture::load(&rel);
        assert!(
            builtin().get(&f.rule).is_some(),
            "{rel} is about `{}`, which is not in the rule catalog",
            f.rule
        );
        assert!(in_scope(&f.rule), "{rel}: `{}` is out of scope", f.rule);
    }
}

/// Rules whose firing fixtures have a human snapshot of their own,
/// `rules_<category>_<name>_human`, instead of a section in their category's.
const OWN_SNAPSHOT: &[&str] = &[
    "conflict/port-deassigned",
    "conflict/name-deassigned",
    "conflict/extend-not-holder",
    "conflict/port-shared",
    "policy/unauthorized-use",
];

/// The human report of every firing fixture of a category (or of one rule: `prefix` is
/// `category/` or `category/name.`), one section per fixture.
fn category_report(prefix: &str) -> String {
    let mut out = String::new();
    for rel in fixture_paths() {
        if !rel.starts_with(prefix) || !rel.ends_with(".fires.toml") {
            continue;
        }
        let own = OWN_SNAPSHOT
            .iter()
            .any(|r| rel.starts_with(&format!("{r}.")));
        if own != prefix.ends_with('.') {
            continue;
        }
        let f = Fixture::load(&rel);
        let report = f.run();
        out.push_str(&format!("===== {rel} =====\n"));
        out.push_str(&human::render(
            &report,
            Style {
                color: false,
                width: 100,
                quiet: false,
            },
        ));
        out.push('\n');
    }
    out
}

macro_rules! human_snapshot {
    ($test:ident, $category:literal) => {
        #[test]
        fn $test() {
            let text = category_report(concat!($category, "/"));
            assert!(!text.is_empty());
            insta::with_settings!({
                snapshot_path => "../../snapshots",
                prepend_module_to_snapshot => false,
            }, {
                insta::assert_snapshot!(concat!("rules_", $category, "_human"), text);
            });
        }
    };
}

human_snapshot!(human_draft, "draft");
human_snapshot!(human_name, "name");
human_snapshot!(human_transport, "transport");
human_snapshot!(human_port, "port");
human_snapshot!(human_field, "field");
human_snapshot!(human_sc, "sc");
human_snapshot!(human_txt, "txt");
human_snapshot!(human_conflict, "conflict");
human_snapshot!(human_policy, "policy");
human_snapshot!(human_registry, "registry");
human_snapshot!(human_lint, "lint");

/// One human snapshot per `lifecycle/` rule on drafts: the reports of its firing fixtures.
/// (`lifecycle/deassign-note` is `registry diff`'s only: `tests/it/registry_diff.rs` and its
/// explanation's BASE/HEAD example cover it.)
#[test]
fn human_lifecycle_per_rule() {
    for rule in builtin().rules() {
        let Some(name) = rule.id.strip_prefix("lifecycle/") else {
            continue;
        };
        if !rule.applies_to(Scope::Draft) {
            continue;
        }
        let mut text = String::new();
        for rel in fixture_paths() {
            let stem = rel.strip_prefix("lifecycle/").unwrap_or("");
            if stem.split('.').next() != Some(name) || !rel.ends_with(".fires.toml") {
                continue;
            }
            let report = Fixture::load(&rel).run();
            text.push_str(&format!("===== {rel} =====\n"));
            text.push_str(&human::render(
                &report,
                Style {
                    color: false,
                    width: 100,
                    quiet: false,
                },
            ));
            text.push('\n');
        }
        assert!(!text.is_empty(), "{} has no firing fixture", rule.id);
        insta::with_settings!({
            snapshot_path => "../../snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(format!("rules_lifecycle_{}_human", name.replace('-', "_")), text);
        });
    }
}

macro_rules! rule_snapshot {
    ($test:ident, $category:literal, $name:literal) => {
        #[test]
        fn $test() {
            let text = category_report(concat!($category, "/", $name, "."));
            assert!(!text.is_empty());
            insta::with_settings!({
                snapshot_path => "../../snapshots",
                prepend_module_to_snapshot => false,
            }, {
                insta::assert_snapshot!(concat!("rules_", $category, "_", $name, "_human"), text);
            });
        }
    };
}

rule_snapshot!(human_port_deassigned, "conflict", "port-deassigned");
rule_snapshot!(human_name_deassigned, "conflict", "name-deassigned");
rule_snapshot!(human_extend_not_holder, "conflict", "extend-not-holder");
rule_snapshot!(human_port_shared, "conflict", "port-shared");
rule_snapshot!(human_unauthorized_use, "policy", "unauthorized-use");

#[test]
fn json_snapshots() {
    // One of each shape: a label inside a string, related registry records, secondary labels,
    // a suppression, a finding without a span, and a finding across two drafts.
    for rel in [
        "name/invalid-char.fires.toml",
        "conflict/port-taken.fires.toml",
        "txt/key-duplicate.fires.toml",
        "lint/allow-without-reason.fires.toml",
        "registry/unavailable.fires.toml",
        "conflict/in-drafts.cross-file.fires.toml",
    ] {
        let report = Fixture::load(rel).run();
        let json = portreg::render(&report, portreg::OutputFormat::Json);
        let name = format!(
            "rules_json_{}",
            rel.trim_end_matches(".toml").replace(['/', '.'], "_")
        );
        insta::with_settings!({
            snapshot_path => "../../snapshots",
            prepend_module_to_snapshot => false,
            description => rel,
        }, {
            insta::assert_snapshot!(name, json);
        });
    }
}
