//! Baselines for `registry lint`: written from a run, read back to report only what is new,
//! keyed by rule and record identity (`name protocol number`), never by line, each entry with a
//! required reason; entries that match nothing are `lint/unused-baseline` warnings.

use crate::harness::*;
use serde_json::Value;

const REASON: &str = "present in the fork before portreg ran";

/// Writes the baseline of `registry` (a path) into `dir/baseline.json`.
fn write_baseline(tmp: &TempDir, registry: &str) -> String {
    let path = tmp.join("baseline.json").display().to_string();
    let out = run(&[
        "registry",
        "lint",
        registry,
        "--write-baseline",
        &path,
        "--reason",
        REASON,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("wrote 26 baseline entries covering 28 findings to {path}\n")
    );
    path
}

/// A copy of the fixture registry in the temp folder, with `edit` applied.
fn registry_copy(tmp: &TempDir, edit: impl Fn(&str) -> String) -> String {
    let text = read(BASE);
    let edited = edit(&text);
    tmp.write("registry.xml", &edited)
}

/// The `<record>…</record>` (with its indentation and newline) whose name is `name`.
fn record_text<'a>(text: &'a str, name: &str) -> &'a str {
    let at = text.find(&format!("<name>{name}</name>")).expect("record");
    let start = text[..at].rfind("  <record").expect("record start");
    let end = at + text[at..].find("</record>\n").expect("record end") + "</record>\n".len();
    &text[start..end]
}

#[test]
fn written_baseline_has_the_documented_shape() {
    let tmp = TempDir::new("baseline-shape");
    let path = write_baseline(&tmp, BASE);
    let text = std::fs::read_to_string(&path).expect("baseline");
    let b: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(b["portreg-baseline"], 1);
    let findings = b["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 26);
    for f in findings {
        let keys: Vec<&str> = f
            .as_object()
            .expect("object")
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert!(
            keys == ["key", "reason", "rule"] || keys == ["count", "key", "reason", "rule"],
            "{f}"
        );
        assert_eq!(f["reason"], REASON);
    }
    // Sorted by rule, then key; `count` only when a rule fires more than once on a record.
    let pairs: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or(""),
                f["key"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let mut sorted = pairs.clone();
    sorted.sort();
    assert_eq!(pairs, sorted);
    let find = |rule: &str, key: &str| {
        findings
            .iter()
            .find(|f| f["rule"] == rule && f["key"] == key)
            .unwrap_or_else(|| panic!("no entry for {rule} on {key}:\n{text}"))
    };
    assert_eq!(find("registry/bad-date", "delta-feed tcp 4600")["count"], 2);
    assert!(find("name/invalid-char", "edi_thing udp 4300")
        .get("count")
        .is_none());
    assert!(find("registry/legacy-name", "foo_bar tcp 4200")
        .get("count")
        .is_none());
    // People are keyed by id; an unrecognised protocol is `any`, an unreadable number `-`.
    find("field/email-invalid", "person Bad_Mail");
    find("transport/unknown", "psi-feed any 4906");
    find("port/invalid", "pi-feed tcp -");
    // The file ends with a newline.
    assert!(text.ends_with("}\n"));
}

#[test]
fn default_reason_says_it_must_be_replaced() {
    let tmp = TempDir::new("baseline-default-reason");
    let path = tmp.join("b.json").display().to_string();
    let out = run(&["registry", "lint", BASE, "--write-baseline", &path]);
    assert_eq!(code(&out), 0);
    let b: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    assert_eq!(
        b["findings"][0]["reason"],
        format!("present when the baseline was written ({TODAY}); replace with the real reason")
    );
}

#[test]
fn read_back_reports_nothing() {
    let tmp = TempDir::new("baseline-round-trip");
    let path = write_baseline(&tmp, BASE);
    let out = run(&[
        "registry",
        "lint",
        BASE,
        "--baseline",
        &path,
        "--format",
        "short",
    ]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(findings(&out), "");
    let out = run(&[
        "registry",
        "lint",
        BASE,
        "--baseline",
        &path,
        "--color",
        "never",
    ]);
    assert_eq!(
        stdout(&out).trim_end(),
        "0 errors, 0 warnings in 32 entries (28 suppressed)"
    );
    // JSON keeps the accepted findings, marked suppressed.
    let (code_, report) = json(&["registry", "lint", BASE, "--baseline", &path]);
    assert_eq!(code_, 0);
    let all = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(all.len(), 28);
    assert!(all.iter().all(|d| d["suppressed"] == true), "{report}");
}

/// Moving a record to another line keeps it matched: the key is the record's identity.
#[test]
fn moved_record_stays_matched() {
    let tmp = TempDir::new("baseline-moved");
    let path = write_baseline(&tmp, BASE);
    let moved = registry_copy(&tmp, |text| {
        let rec = record_text(text, "edi_thing").to_string();
        text.replacen(&rec, "", 1)
            .replacen("  <people>", &format!("{rec}  <people>"), 1)
    });
    let before = line_of(&read(BASE), "<name>edi_thing</name>");
    let after = line_of(
        &std::fs::read_to_string(&moved).expect("read"),
        "<name>edi_thing</name>",
    );
    assert!(after > before + 100, "{before} -> {after}");
    let out = run(&[
        "registry",
        "lint",
        &moved,
        "--baseline",
        &path,
        "--format",
        "short",
    ]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(findings(&out), "");
}

/// A new bad record is the only finding.
#[test]
fn new_bad_record_is_the_only_finding() {
    let tmp = TempDir::new("baseline-new");
    let path = write_baseline(&tmp, BASE);
    let added = registry_copy(&tmp, |text| {
        text.replacen(
            "  <people>",
            "  <record date=\"2026-08-01\">\n    <name>new_thing</name>\n    <protocol>tcp</protocol>\n    <description>New record with an underscore</description>\n    <number>4908</number>\n    <xref type=\"person\" data=\"Jane_Doe\"/>\n  </record>\n  <people>",
            1,
        )
    });
    let text = std::fs::read_to_string(&added).expect("read");
    let (code_, report) = json(&["registry", "lint", &added, "--baseline", &path]);
    assert_eq!(code_, 1);
    assert_eq!(
        summary_rows(&report),
        [(
            "name/invalid-char".to_string(),
            "error".to_string(),
            "new_thing".to_string(),
            line_of(&text, "<name>new_thing</name>")
        )]
    );
}

/// A second occurrence of an accepted finding (same rule, same key) is new: counts matter.
#[test]
fn counts_are_enforced() {
    let tmp = TempDir::new("baseline-count");
    let path = write_baseline(&tmp, BASE);
    let text = std::fs::read_to_string(&path).expect("read");
    let fewer = text.replacen("\"count\": 2,", "\"count\": 1,", 1);
    assert_ne!(fewer, text);
    std::fs::write(&path, fewer).expect("write");
    let (code_, report) = json(&["registry", "lint", BASE, "--baseline", &path]);
    assert_eq!(code_, 1);
    let rows = summary_rows(&report);
    assert_eq!(rows.len(), 1, "{report}");
    assert_eq!(
        (rows[0].0.as_str(), rows[0].2.as_str()),
        ("registry/bad-date", "delta-feed")
    );
}

/// Removing a baselined bad record: `lint/unused-baseline` (warning, exit 0) pointing at the
/// entry's key in the baseline file.
#[test]
fn removed_record_leaves_an_unused_entry() {
    let tmp = TempDir::new("baseline-unused");
    let path = write_baseline(&tmp, BASE);
    let removed = registry_copy(&tmp, |text| {
        let rec = record_text(text, "edi_thing").to_string();
        text.replacen(&rec, "", 1)
    });
    let (code_, report) = json(&["registry", "lint", &removed, "--baseline", &path]);
    assert_eq!(code_, 0, "{report}");
    let ds = diagnostics(&report);
    assert_eq!(ds.len(), 1, "{report}");
    let d = ds[0];
    assert_eq!(d["rule"], "lint/unused-baseline");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], path.as_str());
    assert_eq!(
        d["message"],
        "the baseline accepts `name/invalid-char` on `edi_thing udp 4300`, which no longer occurs"
    );
    let baseline_text = std::fs::read_to_string(&path).expect("read");
    assert_eq!(
        d["span"]["start"]["line"],
        line_of(&baseline_text, "\"edi_thing udp 4300\"")
    );
    // The short format points there too.
    let out = run(&[
        "registry",
        "lint",
        &removed,
        "--baseline",
        &path,
        "--format",
        "short",
    ]);
    let line = line_of(&baseline_text, "\"edi_thing udp 4300\"");
    assert!(
        stdout(&out).starts_with(&format!("{path}:{line}:")),
        "{}",
        stdout(&out)
    );
    // -D warnings turns it into an error.
    let out = run(&[
        "registry",
        "lint",
        &removed,
        "--baseline",
        &path,
        "-D",
        "warnings",
    ]);
    assert_eq!(code(&out), 1);
}

#[test]
fn entry_without_reason_is_exit_2() {
    let tmp = TempDir::new("baseline-no-reason");
    let no_reason = tmp.write(
        "b.json",
        "{\n  \"portreg-baseline\": 1,\n  \"findings\": [\n    { \"rule\": \"name/invalid-char\", \"key\": \"edi_thing udp 4300\", \"reason\": \" \" }\n  ]\n}\n",
    );
    let out = run(&["registry", "lint", BASE, "--baseline", &no_reason]);
    assert_eq!(code(&out), 2);
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains(&format!(
            "{no_reason}: the baseline entry for `name/invalid-char` on `edi_thing udp 4300` has no reason; say why it is accepted"
        )),
        "{}",
        stderr(&out)
    );
    // A missing `reason` key is refused as well.
    let missing = tmp.write(
        "c.json",
        "{\n  \"portreg-baseline\": 1,\n  \"findings\": [\n    { \"rule\": \"name/invalid-char\", \"key\": \"edi_thing udp 4300\" }\n  ]\n}\n",
    );
    let out = run(&["registry", "lint", BASE, "--baseline", &missing]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("reason"), "{}", stderr(&out));
}

#[test]
fn malformed_baseline_names_file_line_col() {
    let tmp = TempDir::new("baseline-malformed");
    let bad = tmp.write(
        "b.json",
        "{\n  \"portreg-baseline\": 1,\n  \"findings\": [\n    { \"rule\": \"x\", }\n  ]\n}\n",
    );
    let out = run(&["registry", "lint", BASE, "--baseline", &bad]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(&format!("{bad}:4:20: not a portreg baseline")),
        "{}",
        stderr(&out)
    );
    let unknown = tmp.write(
        "u.json",
        "{ \"portreg-baseline\": 1, \"findings\": [], \"extra\": 0 }",
    );
    let out = run(&["registry", "lint", BASE, "--baseline", &unknown]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("extra"), "{}", stderr(&out));
    let version = tmp.write("v.json", "{ \"portreg-baseline\": 2, \"findings\": [] }");
    let out = run(&["registry", "lint", BASE, "--baseline", &version]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("version 2 is not supported"),
        "{}",
        stderr(&out)
    );
    let missing = tmp.join("missing.json").display().to_string();
    let out = run(&["registry", "lint", BASE, "--baseline", &missing]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("missing.json"), "{}", stderr(&out));
}

/// `baseline = "…"` in portreg.toml (relative to the config file) is used when `--baseline`
/// is not given; `--write-baseline` and `--baseline` cannot be combined.
#[test]
fn config_baseline_is_the_default() {
    let tmp = TempDir::new("baseline-config");
    std::fs::copy(
        std::path::Path::new(ROOT).join(BASE),
        tmp.join("registry.xml"),
    )
    .expect("copy");
    std::fs::create_dir_all(tmp.join("ci")).expect("mkdir");
    let out = run_in(
        tmp.path(),
        &[
            "registry",
            "lint",
            "registry.xml",
            "--write-baseline",
            "ci/accepted.json",
            "--reason",
            REASON,
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Without a config, the findings are all there.
    let out = run_in(
        tmp.path(),
        &["registry", "lint", "registry.xml", "--format", "short"],
    );
    assert_eq!(code(&out), 1);
    tmp.write("portreg.toml", "baseline = \"ci/accepted.json\"\n");
    let out = run_in(
        tmp.path(),
        &["registry", "lint", "registry.xml", "--format", "short"],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_eq!(findings(&out), "");
    // From a subfolder the config is found upwards and its path stays relative to it.
    let out = run_in(
        &tmp.join("ci"),
        &["registry", "lint", "../registry.xml", "--format", "short"],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    // --baseline wins over the config.
    let empty = tmp.write(
        "empty.json",
        "{ \"portreg-baseline\": 1, \"findings\": [] }\n",
    );
    let out = run_in(
        tmp.path(),
        &[
            "registry",
            "lint",
            "registry.xml",
            "--baseline",
            &empty,
            "--format",
            "short",
        ],
    );
    assert_eq!(code(&out), 1);
    let out = run(&[
        "registry",
        "lint",
        BASE,
        "--baseline",
        &empty,
        "--write-baseline",
        "x.json",
    ]);
    assert_eq!(code(&out), 2);
}
