//! `portreg registry lint`: every record-scope rule on the hand-written fork registry
//! `tests/fixtures/fork/base.xml` (exact rule ids, severities and lines, with a near miss for
//! each), `registry/malformed` through the CLI, custom rules with `scope = ["record"]`, and the
//! exact counts on the real current registry (behind `PORTREG_REAL_REGISTRY_DIR`).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::harness::*;
use portreg::lint as lint_registry;
use portreg::Options;
use portreg::Registry;

/// Every finding on `base.xml` with today = 2026-08-20, in report order (file, offset, rule):
/// `(rule, severity, service name or "", unique text at the reported line)`.
/// The line is that of the element the finding points at: `<name>` for name rules,
/// `<number>`, `<protocol>`, `<sc>`, the `date`/`updated` attribute, the person xref, the
/// `<person>` entry.
const EXPECTED: &[(&str, &str, &str, &str)] = &[
    // Undated record: legacy, so a §5.1 break is info, not `name/invalid-char`.
    ("registry/legacy-name", "info", "foo_bar", "<name>foo_bar</name>"),
    // Dated 2005-06, before RFC 6335 (2011-08): legacy too.
    ("registry/legacy-name", "info", "old_alias", "<name>old_alias</name>"),
    // Dated 2016-10-26: held to §5.1 even in a registry (the real `edi_service` case).
    ("name/invalid-char", "error", "edi_thing", "<name>edi_thing</name>"),
    ("registry/unknown-person", "error", "gamma-link", "data=\"Ghost_Person\""),
    // Same name (case-insensitively), protocol and number as the first `twin-echo` record;
    // reported on the second one.
    ("name/uppercase", "info", "Twin-Echo", "<name>Twin-Echo</name>"),
    ("registry/duplicate-record", "error", "Twin-Echo", "<name>Twin-Echo</name>"),
    // Both dates of one record are bad: `date` with slashes, `updated` with month 13.
    ("registry/bad-date", "error", "delta-feed", "date=\"2014/02/01\""),
    // IANA's schema rejects both dates too (jing agrees: tests/it/registry_schema.rs).
    ("registry/schema", "error", "delta-feed", "date=\"2014/02/01\""),
    ("registry/bad-date", "error", "delta-feed", "updated=\"2014-13\""),
    ("registry/schema", "error", "delta-feed", "updated=\"2014-13\""),
    ("registry/bad-date", "error", "epsilon-feed", "updated=\"2027-01-05\""),
    ("name/too-long", "error", "acme-telemetry-upload", "<name>acme-telemetry-upload</name>"),
    ("name/uppercase", "info", "BigCorp", "<name>BigCorp</name>"),
    ("name/redundant-word", "warning", "kappa-service", "<name>kappa-service</name>"),
    ("name/version", "warning", "lambda-v2", "<name>lambda-v2</name>"),
    ("name/hyphen-edge", "error", "-mu", "<name>-mu</name>"),
    ("name/double-hyphen", "error", "nu--xi", "<name>nu--xi</name>"),
    ("name/no-letter", "error", "4242", "<name>4242</name>"),
    ("name/srv-label", "error", "_omicron", "<name>_omicron</name>"),
    ("port/invalid", "error", "pi-feed", "<number>70000</number>"),
    ("port/dynamic", "error", "rho-feed", "<number>49200</number>"),
    ("sc/missing", "error", "sigma-dccp", "<name>sigma-dccp</name>\n    <protocol>dccp"),
    ("sc/zero", "error", "tau-dccp", "<sc>0</sc>"),
    ("sc/not-ascii", "warning", "upsilon-dccp", "<sc>7107696</sc>"),
    ("sc/unexpected", "error", "chi-feed", "<name>chi-feed</name>\n    <protocol>tcp</protocol>\n    <description>Service code without DCCP</description>\n    <number>4904</number>\n    <sc>"),
    ("registry/schema", "error", "psi-feed", "<protocol>TCP</protocol>"),
    ("transport/unknown", "error", "psi-feed", "<protocol>TCP</protocol>"),
    // A person updated since 2011-08 with an address that has no dotted domain: the finding
    // points at its `<uri>`, not the whole `<person>`.
    (
        "field/email-invalid",
        "error",
        "",
        "<person id=\"Bad_Mail\">\n      <name>Bad Mail</name>\n      <uri>",
    ),
];

/// The line a finding should report: the last line of `needle` (multi-line needles end at the
/// element the finding points at).
fn expected_line(text: &str, needle: &str) -> u64 {
    line_of(text, needle) + needle.matches('\n').count() as u64
}

fn lint_base() -> (i32, serde_json::Value) {
    json(&["registry", "lint", BASE])
}

#[test]
fn every_record_rule_fires_with_its_severity_and_line() {
    let text = read(BASE);
    let (code, report) = lint_base();
    assert_eq!(code, 1, "error-level findings give exit 1");
    let got = summary_rows(&report);
    let want: Vec<(String, String, String, u64)> = EXPECTED
        .iter()
        .map(|(rule, sev, name, needle)| {
            (
                rule.to_string(),
                sev.to_string(),
                name.to_string(),
                expected_line(&text, needle),
            )
        })
        .collect();
    assert_eq!(got, want, "findings on {BASE}");
    // Every diagnostic names the registry file and the record it is about.
    for d in diagnostics(&report) {
        assert_eq!(d["file"], BASE, "{d}");
        if d["rule"] != "field/email-invalid" {
            assert!(d["entry"].is_u64(), "record index: {d}");
        }
    }
    let s = &report["summary"];
    assert_eq!(
        (
            s["errors"].as_u64(),
            s["warnings"].as_u64(),
            s["infos"].as_u64()
        ),
        (Some(21), Some(3), Some(4))
    );
}

/// Lines where nothing may be reported: the near miss of each rule.
#[test]
fn near_misses_are_quiet() {
    let text = read(BASE);
    let (_, report) = lint_base();
    let lines: Vec<u64> = summary_rows(&report).iter().map(|r| r.3).collect();
    for (why, needle) in [
        ("a clean modern record", "<name>alpha-sync</name>"),
        // Undated: legacy, so neither `name/uppercase` nor `name/redundant-word` applies.
        ("legacy upper case", "<name>OldCorp</name>"),
        ("legacy redundant word", "<name>old-service</name>"),
        // Same name and number as `twin-echo` tcp, another protocol: not a duplicate.
        ("other protocol", "<protocol>udp</protocol>\n    <description>Twin echo</description>"),
        // Registered on today's date: not in the future.
        ("today's date", "date=\"2026-08-20\""),
        ("a good date", "<record date=\"2014-02-01\">\n    <name>gamma-link"),
        ("a printable service code", "<name>phi-dccp</name>"),
        ("a printable service code", "<sc>1145656131</sc>\n    <xref type=\"person\" data=\"Jane_Doe\"/>\n  </record>\n  <record date=\"2019-09-09\">\n    <name>chi-feed"),
        // Undated DCCP: `sc/missing` came with RFC 6335 and is not applied to legacy records.
        ("legacy dccp without sc", "<name>old-dccp</name>"),
        // Nameless records are not assignments.
        ("Reserved", "<description>Reserved</description>"),
        ("Unassigned range", "<number>4907-4999</number>"),
        // People: updated before 2011-08 (legacy, malformed address) and good addresses.
        ("legacy person", "<person id=\"Old_Mail\">"),
        ("legacy address", "mailto:old&amp;example.com&gt;"),
        ("good person", "<person id=\"Jane_Doe\">"),
        ("good org", "<person id=\"Acme_Corp\">"),
        // Known people.
        ("known assignee", "data=\"Acme_Corp\""),
    ] {
        let line = line_of(&text, needle);
        assert!(!lines.contains(&line), "{why}: line {line} ({needle:?}) has a finding");
    }
}

#[test]
fn legacy_name_message_says_why_it_is_legacy() {
    let (_, report) = lint_base();
    let msgs: BTreeMap<&str, &str> = diagnostics(&report)
        .into_iter()
        .filter(|d| d["rule"] == "registry/legacy-name")
        .map(|d| {
            (
                d["name"].as_str().unwrap_or(""),
                d["message"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        msgs["foo_bar"].contains("legacy: no registration date"),
        "{msgs:?}"
    );
    assert!(
        msgs["old_alias"].contains("legacy: registered 2005-06, before RFC 6335"),
        "{msgs:?}"
    );
}

/// `Options.today` is what "the future" is measured against: with today one day earlier,
/// `zeta-feed`'s registration date (2026-08-20) is in the future too.
#[test]
fn future_dates_follow_options_today() {
    let registry = Arc::new(Registry::load(&std::path::Path::new(ROOT).join(BASE)).expect("load"));
    let bad_dates = |today: &str| -> Vec<String> {
        let mut options = Options::default();
        if let Ok(today) = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d") {
            options = options.with_today(today);
        }
        lint_registry(Arc::clone(&registry), &options)
            .diagnostics()
            .iter()
            .filter(|d| d.rule == "registry/bad-date")
            .map(|d| d.name.clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(
        bad_dates("2026-08-20"),
        ["delta-feed", "delta-feed", "epsilon-feed"]
    );
    assert_eq!(
        bad_dates("2026-08-19"),
        ["delta-feed", "delta-feed", "epsilon-feed", "zeta-feed"]
    );
    // From 2027-01-05 on, the `updated` date is no longer in the future.
    assert_eq!(bad_dates("2027-01-05"), ["delta-feed", "delta-feed"]);
}

/// PORTREG_TODAY does the same through the CLI.
#[test]
fn future_dates_follow_portreg_today() {
    let out = finish(
        command_in(
            std::path::Path::new(ROOT),
            &["registry", "lint", BASE, "--format", "short"],
        )
        .env("PORTREG_TODAY", "2026-08-19")
        .output()
        .expect("run"),
        &[],
    );
    let text = stdout(&out);
    assert!(
        text.contains(
            "error[registry/bad-date]: `date=\"2026-08-20\"`: 2026-08-20 is in the future"
        ),
        "{text}"
    );
}

/// Levels apply to registry lint as to check: allowing every error-level rule found leaves
/// exit 0.
#[test]
fn levels_apply() {
    let out = run(&[
        "registry",
        "lint",
        BASE,
        "--format",
        "short",
        "-A",
        "name",
        "-A",
        "registry",
        "-A",
        "port",
        "-A",
        "sc",
        "-A",
        "transport",
        "-A",
        "field",
    ]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(findings(&out), "");
    let out = run(&[
        "registry", "lint", BASE, "--format", "short", "-D", "warnings",
    ]);
    assert!(
        stdout(&out).contains("error[name/version]"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_clean_registry_exits_0() {
    let tmp = TempDir::new("lint-clean");
    let text = read(BASE);
    // Keep only the header, the first record (alpha-sync) and the people.
    let head_end = text
        .find("  <record>\n    <protocol>udp")
        .expect("reserved record");
    let people = text.find("  <people>").expect("people");
    let clean = format!("{}{}", &text[..head_end], &text[people..]);
    let path = tmp.write("clean.xml", &clean);
    let out = run(&["registry", "lint", &path, "--format", "short"]);
    // Bad_Mail is current and still in `<people>`, so its address is still checked, even
    // though no record refers to it any more.
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert_eq!(findings(&out).lines().count(), 1, "{}", stdout(&out));
    assert!(
        stdout(&out).contains("error[field/email-invalid]"),
        "{}",
        stdout(&out)
    );
    let out = run(&[
        "registry",
        "lint",
        &path,
        "--format",
        "short",
        "-A",
        "field/email-invalid",
    ]);
    assert_eq!((code(&out), findings(&out)), (0, String::new()));
}

/// A truncated fork is `registry/malformed` at the fault (exit 1: the file is the input, not a
/// reference); a missing file is exit 2.
#[test]
fn malformed_and_missing_registry() {
    let tmp = TempDir::new("lint-malformed");
    let text = read(BASE);
    let cut = text.find("<name>gamma-link</name>").expect("record");
    let path = tmp.write("truncated.xml", &text[..cut + 10]);
    let (code_, report) = json(&["registry", "lint", &path]);
    assert_eq!(code_, 1);
    let ds = diagnostics(&report);
    assert_eq!(ds.len(), 1, "{report}");
    assert_eq!(ds[0]["rule"], "registry/malformed");
    assert_eq!(ds[0]["severity"], "error");
    assert_eq!(ds[0]["file"], path.as_str());
    // The fault is the end of the file, on the last (cut) line.
    let last_line = text[..cut].matches('\n').count() as u64 + 1;
    assert_eq!(ds[0]["span"]["start"]["line"], last_line, "{}", ds[0]);

    // A misspelt closing tag points at its own line.
    let broken = text.replacen("<number>4200</number>", "<number>4200</nmber>", 1);
    let path = tmp.write("mismatched.xml", &broken);
    let out = run(&["registry", "lint", &path, "--format", "short"]);
    assert_eq!(code(&out), 1);
    let line = line_of(&text, "<number>4200</number>");
    let short = stdout(&out);
    assert!(
        short.starts_with(&format!("{path}:{line}:"))
            && short.contains("error[registry/malformed]"),
        "{short}"
    );

    let missing = tmp.join("nope.xml").display().to_string();
    let out = run(&["registry", "lint", &missing]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("nope.xml"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

/// Custom rules with `scope = ["record"]` from the nearest portreg.toml run on every named
/// record; `scope = ["draft"]` ones do not.
#[test]
fn custom_record_rules_from_config() {
    let tmp = TempDir::new("lint-custom");
    std::fs::copy(
        std::path::Path::new(ROOT).join(BASE),
        tmp.join("registry.xml"),
    )
    .expect("copy");
    tmp.write("portreg.toml", "rules = [\"house.toml\"]\n");
    tmp.write(
        "house.toml",
        r#"[[rule]]
id = "house/feed-suffix"
severity = "warning"
summary = "feed services are named `*-feed`"
field = "name"
not-regex = '^(delta|epsilon)'
scope = ["record"]

[[rule]]
id = "house/short-description"
severity = "error"
summary = "descriptions are at most 12 characters"
field = "description"
max-length = 12
scope = ["record"]

[[rule]]
id = "house/draft-only"
severity = "error"
summary = "only for drafts"
field = "name"
regex = '^never$'
scope = ["draft"]
"#,
    );
    let (code_, report) = json_in(tmp.path(), &["registry", "lint", "registry.xml"]);
    assert_eq!(code_, 1);
    let text = read(BASE);
    let house: Vec<(String, String, String, u64)> = summary_rows(&report)
        .into_iter()
        .filter(|r| r.0.starts_with("house/"))
        .collect();
    let feed: Vec<_> = house
        .iter()
        .filter(|r| r.0 == "house/feed-suffix")
        .collect();
    assert_eq!(
        feed.iter()
            .map(|r| (r.1.as_str(), r.2.as_str(), r.3))
            .collect::<Vec<_>>(),
        [
            (
                "warning",
                "delta-feed",
                line_of(&text, "<name>delta-feed</name>")
            ),
            (
                "warning",
                "epsilon-feed",
                line_of(&text, "<name>epsilon-feed</name>")
            ),
        ]
    );
    // Descriptions longer than 12 characters, on named records only (Reserved and
    // Unassigned records are not assignments); `Twin echo` (9 characters) passes.
    let short: Vec<&str> = house
        .iter()
        .filter(|r| r.0 == "house/short-description")
        .map(|r| r.2.as_str())
        .collect();
    assert!(!short.is_empty());
    assert!(
        !short.contains(&"twin-echo"),
        "`Twin echo` is 9 characters: {short:?}"
    );
    assert!(short.contains(&"alpha-sync"), "{short:?}");
    assert!(
        short.iter().all(|n| !n.is_empty()),
        "only named records: {short:?}"
    );
    assert!(
        !house.iter().any(|r| r.0 == "house/draft-only"),
        "{house:?}"
    );
    // Custom rules obey -A like built-in ones (by namespace here).
    let out = run_in(
        tmp.path(),
        &[
            "registry",
            "lint",
            "registry.xml",
            "--format",
            "short",
            "-A",
            "house",
        ],
    );
    assert!(!stdout(&out).contains("house/"), "{}", stdout(&out));
}

// ---------------------------------------------------------------------------------------
// The real registry

/// Exact counts of `registry lint` on the real current registry (updated 2026-08-17) with
/// today = 2026-08-20. Each count was computed once and checked by hand:
const REAL_COUNTS: &[(&str, &str, usize)] = &[
    // 184 legacy records whose names break §5.1 (`_`, `/`, `.`, `+`, `*`), all undated or
    // registered before 2011-08: the 185 non-conforming records of the data study minus
    // `edi_service`, which is dated 2016.
    ("registry/legacy-name", "info", 184),
    // 9 records with upper-case names registered since 2011-08: RDCenter, PS-Server,
    // PS-Capture-Pro, CardWeb-IO, CardWeb-RT, BioSonics ×2, M30S1PT ×2.
    ("name/uppercase", "info", 9),
    // hncp-udp-port, hncp-dtls-port (`port`) and kca-service (`service`).
    ("name/redundant-word", "warning", 3),
    // edi_service udp 34567, registered 2016-10-26: the one post-RFC 6335 name with `_`.
    ("name/invalid-char", "error", 1),
    // No `registry/duplicate-record`: the one repeated (name, protocol, number), `rdp` with
    // no protocol or port, is two different services (Reliable Data Protocol, Windows
    // Remote Desktop Protocol), not a copied record.
    // People updated since 2011-08 with unusable addresses: Andrew_Thurber and Cisco_3
    // (`anthurbe@cisco.com>`), Manish_Surolia and Valley_Information_Systems_Inc (trailing
    // `>`), NetApp_2 (`pmu&netapp.com.`, trailing dot), SAP_2 (`Giriraj Harapanahalli`).
    ("field/email-invalid", "error", 6),
    // aws-wsp dccp, a post-2011 DCCP record without `<sc>`.
    ("sc/missing", "error", 1),
    // ltp-deepspace dccp 1113: service code 7107696 (0x006C7470) starts with a zero byte.
    ("sc/not-ascii", "warning", 1),
];

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_registry_counts() {
    let dir = crate::harness::real_registry_dir();
    let file = dir.join("service-names-port-numbers.xml");
    let file = file.to_str().expect("utf-8 path");
    let (code_, report) = json(&["registry", "lint", file]);
    assert_eq!(code_, 1, "the real registry has error-level findings");
    let mut got: BTreeMap<(String, String), usize> = BTreeMap::new();
    for d in diagnostics(&report) {
        *got.entry((
            d["rule"].as_str().unwrap_or("").to_string(),
            d["severity"].as_str().unwrap_or("").to_string(),
        ))
        .or_default() += 1;
    }
    let want: BTreeMap<(String, String), usize> = REAL_COUNTS
        .iter()
        .map(|(r, s, n)| ((r.to_string(), s.to_string()), *n))
        .collect();
    assert_eq!(got, want);
    let names = |rule: &str| -> Vec<String> {
        diagnostics(&report)
            .into_iter()
            .filter(|d| d["rule"] == rule)
            .map(|d| d["name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(names("name/invalid-char"), ["edi_service"]);
    assert!(names("registry/duplicate-record").is_empty());
    assert_eq!(names("sc/missing"), ["aws-wsp"]);
    assert_eq!(names("sc/not-ascii"), ["ltp-deepspace"]);
    assert_eq!(
        names("name/redundant-word"),
        ["hncp-udp-port", "hncp-dtls-port", "kca-service"]
    );
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_registry_baseline_round_trip() {
    let dir = crate::harness::real_registry_dir();
    let file = dir.join("service-names-port-numbers.xml");
    let file = file.to_str().expect("utf-8 path");
    let tmp = TempDir::new("real-baseline");
    let baseline = tmp.join("baseline.json").display().to_string();
    let out = run(&[
        "registry",
        "lint",
        file,
        "--write-baseline",
        &baseline,
        "--reason",
        "present in the IANA registry of 2026-08-17",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = run(&[
        "registry",
        "lint",
        file,
        "--baseline",
        &baseline,
        "--format",
        "short",
    ]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(findings(&out), "");
}
