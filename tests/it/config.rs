//! `portreg.toml` and custom rules, through the binary: precedence (file < flags), every
//! config error with its position, custom rules on drafts and on registry records, broken
//! rule files.

use std::path::Path;
use std::process::Output;

use crate::harness::{command_in, TempDir};

use serde_json::Value;

/// A temporary folder with the given files, removed on drop.
fn project(name: &str, files: &[(&str, &str)]) -> TempDir {
    TempDir::with_files(&format!("config-{name}"), files)
}

fn portreg(dir: &Path, args: &[&str]) -> Output {
    command_in(dir, args).output().expect("portreg runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn rules(v: &Value) -> Vec<(String, String)> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

const DRAFT: &str = r#"[[entry]]
name = "widget-v2"
transport = "tcp"
description = "Widget synchronisation"
assignee = { name = "Jane Doe", email = "jane@mail.example" }
contact = { name = "Jane Doe", email = "jane@mail.example" }
reference = "https://acme.example/spec"
"#;

#[test]
fn levels_from_the_file_then_flags_later_wins() {
    let dir = project(
        "precedence",
        &[
            ("draft.toml", DRAFT),
            ("portreg.toml", "[levels]\n\"name/version\" = \"deny\"\n"),
        ],
    );
    // The file denies name/version: exit 1.
    let out = portreg(
        dir.path(),
        &["check", "--no-registry", "--format", "json", "draft.toml"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(rules(&json(&out)).contains(&("name/version".into(), "error".into())));
    // A flag overrides the file.
    let out = portreg(
        dir.path(),
        &[
            "check",
            "--no-registry",
            "--format",
            "json",
            "-W",
            "name/version",
            "draft.toml",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(rules(&json(&out)).contains(&("name/version".into(), "warning".into())));
    // `--config` names another file; none of the folder's settings then apply.
    std::fs::write(
        dir.path().join("other.toml"),
        "[levels]\nname = \"allow\"\n",
    )
    .expect("write");
    let out = portreg(
        dir.path(),
        &[
            "check",
            "--no-registry",
            "--format",
            "json",
            "--config",
            "other.toml",
            "draft.toml",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(rules(&json(&out))
        .iter()
        .all(|(r, _)| !r.starts_with("name/")));
}

#[test]
fn the_file_is_found_in_a_parent_folder() {
    let dir = project(
        "parent",
        &[("portreg.toml", "[levels]\n\"name/version\" = \"allow\"\n")],
    );
    let sub = dir.path().join("drafts/nested");
    std::fs::create_dir_all(&sub).expect("mkdir");
    std::fs::write(sub.join("draft.toml"), DRAFT).expect("write");
    let out = portreg(
        &sub,
        &["check", "--no-registry", "--format", "json", "draft.toml"],
    );
    assert!(rules(&json(&out)).iter().all(|(r, _)| r != "name/version"));
    let out = portreg(&sub, &["config"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("portreg.toml"), "{text}");
    assert!(text.contains("name/version = allow"), "{text}");
}

/// Each config problem: exit 2, the rule id, and the line:column of the key or value.
#[test]
fn every_config_error_points_at_its_key_or_value() {
    for (config, rule, at, hint) in [
        ("[levels\n", "config/syntax", "portreg.toml:1:", ""),
        (
            "registy = \"x.xml\"\n",
            "config/unknown-key",
            "portreg.toml:1:1",
            "did you mean `registry`?",
        ),
        (
            "[levels]\nnmae = \"deny\"\n",
            "config/unknown-key",
            "portreg.toml:2:1",
            "",
        ),
        (
            "[levels]\nname = \"deni\"\n",
            "config/invalid-value",
            "portreg.toml:2:8",
            "did you mean \"deny\"?",
        ),
        (
            "[levels]\nname = 3\n",
            "config/invalid-value",
            "portreg.toml:2:8",
            "",
        ),
        (
            "registry = 5\n",
            "config/invalid-value",
            "portreg.toml:1:12",
            "",
        ),
        (
            "rules = \"house.toml\"\n",
            "config/invalid-value",
            "portreg.toml:1:9",
            "",
        ),
        (
            "baseline = \"\"\n",
            "config/invalid-value",
            "portreg.toml:1:12",
            "",
        ),
    ] {
        let dir = project("errors", &[("draft.toml", DRAFT), ("portreg.toml", config)]);
        let out = portreg(
            dir.path(),
            &["check", "--no-registry", "--color", "never", "draft.toml"],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{config}: {err}");
        assert!(err.contains(rule), "{config}: {err}");
        assert!(err.contains(at), "{config}: expected {at} in {err}");
        assert!(err.contains(hint), "{config}: expected {hint} in {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

const HOUSE: &str = r#"[[rule]]
id = "house/description-product"
severity = "warning"
summary = "the description names the Acme product"
help = "start the description with the product name"
field = "description"
regex = '(?i)\bacme\b'

[[rule]]
id = "house/contact-domain"
severity = "error"
summary = "contacts use the organisation's domain"
field = "email"
regex = '@acme\.example$'

[[rule]]
id = "house/tcp-only"
severity = "error"
summary = "this fork carries TCP only"
field = "transport"
one-of = ["tcp"]
scope = ["record"]
"#;

#[test]
fn custom_rules_fire_on_drafts() {
    let dir = project(
        "custom-drafts",
        &[
            ("draft.toml", DRAFT),
            ("house.toml", HOUSE),
            ("portreg.toml", "rules = [\"house.toml\"]\n"),
        ],
    );
    let out = portreg(
        dir.path(),
        &["check", "--no-registry", "--format", "json", "draft.toml"],
    );
    let v = json(&out);
    let got = rules(&v);
    assert!(
        got.contains(&("house/description-product".into(), "warning".into())),
        "{got:?}"
    );
    // The inline assignee and contact have the same address: two findings, one per label.
    assert_eq!(
        got.iter()
            .filter(|(r, _)| r == "house/contact-domain")
            .count(),
        2,
        "{got:?}"
    );
    // A record-only rule does not run on drafts.
    assert!(got.iter().all(|(r, _)| r != "house/tcp-only"));
    assert_eq!(out.status.code(), Some(1));
    let d = v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["rule"] == "house/description-product"))
        .expect("finding");
    assert_eq!(d["span"]["start"]["line"], 4);
    assert_eq!(d["help"], "start the description with the product name");
    // Levels and explain know custom rules and their namespace.
    let out = portreg(
        dir.path(),
        &[
            "check",
            "--no-registry",
            "--format",
            "json",
            "-A",
            "house",
            "draft.toml",
        ],
    );
    assert!(rules(&json(&out))
        .iter()
        .all(|(r, _)| !r.starts_with("house/")));
    let out = portreg(dir.path(), &["explain", "house/description-product"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("custom rule from"));
}

#[test]
fn custom_rules_fire_on_registry_records() {
    let registry = r#"<?xml version='1.0' encoding='UTF-8'?>
<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">
  <title>Service Name and Transport Protocol Port Number Registry</title>
  <updated>2026-08-17</updated>
  <record date="2020-01-01">
    <name>acme-sync</name>
    <protocol>tcp</protocol>
    <description>Acme sync</description>
    <number>4100</number>
  </record>
  <record date="2020-01-01">
    <name>widget-feed</name>
    <protocol>udp</protocol>
    <description>Widget feed</description>
    <number>4101</number>
  </record>
  <people>
  </people>
</registry>
"#;
    let dir = project(
        "custom-records",
        &[
            ("registry.xml", registry),
            ("house.toml", HOUSE),
            ("portreg.toml", "rules = [\"house.toml\"]\n"),
        ],
    );
    let out = portreg(
        dir.path(),
        &["registry", "lint", "registry.xml", "--format", "json"],
    );
    let v = json(&out);
    let found: Vec<(String, u64)> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"].as_str().is_some_and(|r| r.starts_with("house/")))
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_string(),
                d["span"]["start"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // widget-feed (lines 11-16): no product in the description, and udp.
    assert!(found.contains(&("house/tcp-only".into(), 13)), "{found:?}");
    assert!(
        found
            .iter()
            .any(|(r, l)| r == "house/description-product" && (11..=16).contains(l)),
        "{found:?}"
    );
    assert!(
        found.iter().all(|(_, l)| *l >= 11),
        "acme-sync breaks nothing: {found:?}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_broken_rules_file_names_its_file_and_line() {
    let broken =
        "[[rule]]\nid = \"house/x\"\nsummary = \"x\"\nfield = \"descripton\"\nregex = \"(\"\n";
    let dir = project(
        "broken-rules",
        &[
            ("draft.toml", DRAFT),
            ("house.toml", broken),
            ("portreg.toml", "rules = [\"house.toml\"]\n"),
        ],
    );
    let out = portreg(
        dir.path(),
        &["check", "--no-registry", "--color", "never", "draft.toml"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("config/custom-rule"), "{err}");
    assert!(err.contains("house.toml:4:9"), "the unknown field: {err}");
    assert!(err.contains("did you mean `description`"), "{err}");
    assert!(err.contains("house.toml:5:9"), "the bad regex: {err}");
    // A missing rules file is exit 2 naming it.
    std::fs::remove_file(dir.path().join("house.toml")).expect("rm");
    let out = portreg(dir.path(), &["check", "--no-registry", "draft.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("house.toml"));
}
