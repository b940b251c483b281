//! `portreg registry diff BASE HEAD`: records paired by identity, added and changed named
//! records checked as requests against BASE, named removals reported as `registry/removed`
//! (info), and the list of what was checked. Hand-made fixtures
//! (`tests/fixtures/fork/diff-{base,head}.xml`, plus variants built in a temp folder), and the
//! real 2026-07-19 -> 2026-08-17 pair behind `PORTREG_REAL_REGISTRY_DIR`.
//!
//! What `diff-head.xml` does to `diff-base.xml`:
//! - adds `kilo-sync` udp 5100 on the name's own Reserved number (an extension, clean);
//! - changes the description of `lima-feed` tcp 5200 (clean);
//! - adds `papa-dup` tcp 5200, the port of `lima-feed`, for another party (conflict/port-taken);
//! - turns `november` tcp 5400 into a Reserved record (a de-assignment);
//! - adds `oscar-link` tcp 5500 from the Unassigned range (clean), with its udp reservation.

use crate::harness::*;
use serde_json::Value;

fn checked(report: &Value) -> Vec<String> {
    // `checked` is left out of the JSON report when nothing was checked.
    report["checked"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|v| v.as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn fixture_pair_reports_and_lists_what_it_checked() {
    let head = read(DIFF_HEAD);
    let base = read(DIFF_BASE);
    let (code_, report) = json(&["registry", "diff", DIFF_BASE, DIFF_HEAD]);
    assert_eq!(code_, 1, "papa-dup takes lima-feed's port");
    let rows: Vec<(String, String, String, u64)> = summary_rows(&report);
    assert_eq!(
        rows,
        [
            (
                "conflict/port-taken".to_string(),
                "error".to_string(),
                "papa-dup".to_string(),
                line_of(&head, "<number>5200</number>\n    <xref type=\"person\" data=\"Papa_Corp\"/>\n  </record>\n  <record date=\"2017"),
            ),
            // `november` is de-assigned with no note of it (RFC 6335 §8.2) and its name
            // dropped (§8.2 keeps it).
            (
                "lifecycle/deassign-note".to_string(),
                "warning".to_string(),
                String::new(),
                line_of(&head, "<description>Reserved</description>\n    <number>5400</number>") + 1,
            ),
            (
                "lifecycle/name-deassign".to_string(),
                "warning".to_string(),
                String::new(),
                line_of(&head, "<description>Reserved</description>\n    <number>5400</number>") + 1,
            ),
        ]
    );
    // Findings point into HEAD.
    assert_eq!(diagnostics(&report)[0]["file"], DIFF_HEAD);
    // The conflict names the BASE record it clashes with, at its line in BASE.
    let conflict = diagnostics(&report)[0];
    let related = &conflict["related"][0];
    assert_eq!(related["file"], DIFF_BASE, "{conflict}");
    assert_eq!(
        related["span"]["start"]["line"],
        line_of(&base, "<number>5200</number>")
    );

    let line = |needle: &str| line_of(&head, needle) - 1; // the `<record>` line
    assert_eq!(
        checked(&report),
        [
            format!(
                "extend `kilo-sync` udp/5100 (line {}), checked as an extension of the registered name",
                line("<name>kilo-sync</name>\n    <protocol>udp")
            ),
            format!("modify `lima-feed` tcp/5200 (line {})", line("<name>lima-feed</name>")),
            format!("new `papa-dup` tcp/5200 (line {})", line("<name>papa-dup</name>")),
            format!(
                "deassign `november` tcp/5400 (line {}: \"Reserved\", without a de-assignment note)",
                line("<protocol>tcp</protocol>\n    <description>Reserved</description>\n    <number>5400")
            ),
            format!("new `oscar-link` tcp/5500 (line {})", line("<name>oscar-link</name>")),
        ]
    );
    let kinds: Vec<&str> = report["changes"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        kinds,
        ["extend", "modify", "new", "deassign", "new"],
        "{report}"
    );
    assert_eq!(report["changes"][3]["name"], "november");
    assert_eq!(report["changes"][3]["protocol"], "tcp");
    assert_eq!(report["changes"][3]["number"], "5400");
}

#[test]
fn human_output_lists_the_checked_records() {
    let out = run(&["registry", "diff", DIFF_BASE, DIFF_HEAD, "--color", "never"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("checked 5 changes:\n"), "{text}");
    assert!(
        text.contains("  - new `oscar-link` tcp/5500 (line "),
        "{text}"
    );
    assert!(
        text.contains("  - deassign `november` tcp/5400 (line "),
        "{text}"
    );
}

/// Identical registries: nothing to check, exit 0.
#[test]
fn no_change_is_clean() {
    let (code_, report) = json(&["registry", "diff", DIFF_BASE, DIFF_BASE]);
    assert_eq!(code_, 0);
    assert!(diagnostics(&report).is_empty(), "{report}");
    assert!(checked(&report).is_empty(), "{report}");
}

/// Moving records around (same content, other lines) is no change.
#[test]
fn reordering_is_no_change() {
    let tmp = TempDir::new("diff-reorder");
    let base = read(DIFF_BASE);
    let start = base.find("  <record date=\"2016-04-01\">").expect("lima");
    let end = base.find("  <record date=\"2017-05-01\">").expect("mike");
    let lima = &base[start..end];
    let moved = base.replacen(lima, "", 1).replacen(
        "  <record>\n    <description>Unassigned",
        &format!("{lima}  <record>\n    <description>Unassigned"),
        1,
    );
    assert_ne!(moved, base);
    let head = tmp.write("head.xml", &moved);
    let (code_, report) = json(&["registry", "diff", DIFF_BASE, &head]);
    assert_eq!(code_, 0, "{report}");
    assert!(checked(&report).is_empty(), "{report}");
}

/// An added record that is clean exits 0 and is listed as checked.
#[test]
fn clean_addition() {
    let tmp = TempDir::new("diff-add");
    let base = read(DIFF_BASE);
    let added = base.replacen(
        "  <record>\n    <description>Unassigned</description>\n    <number>5500-5999</number>",
        "  <record date=\"2026-08-01\">\n    <name>quebec-mon</name>\n    <protocol>udp</protocol>\n    <description>Quebec monitor</description>\n    <number>5600</number>\n    <xref type=\"person\" data=\"Jane_Doe\"/>\n  </record>\n  <record>\n    <description>Unassigned</description>\n    <number>5500-5999</number>",
        1,
    );
    let head = tmp.write("head.xml", &added);
    let (code_, report) = json(&["registry", "diff", DIFF_BASE, &head]);
    assert_eq!(code_, 0, "{report}");
    assert!(diagnostics(&report).is_empty(), "{report}");
    assert_eq!(
        checked(&report),
        [format!(
            "new `quebec-mon` udp/5600 (line {})",
            line_of(&added, "<name>quebec-mon</name>") - 1
        )]
    );
}

/// An added record is held to today's rules (strict), even with an old date.
#[test]
fn added_records_are_strict() {
    let tmp = TempDir::new("diff-strict");
    let base = read(DIFF_BASE);
    let added = base.replacen(
        "  <record>\n    <description>Unassigned</description>\n    <number>5500-5999</number>",
        "  <record date=\"2001-01\">\n    <name>Quebec_Mon</name>\n    <protocol>udp</protocol>\n    <description>Quebec monitor</description>\n    <number>5600</number>\n  </record>\n  <record>\n    <description>Unassigned</description>\n    <number>5500-5999</number>",
        1,
    );
    let head = tmp.write("head.xml", &added);
    let (code_, report) = json(&["registry", "diff", DIFF_BASE, &head]);
    assert_eq!(code_, 1, "{report}");
    let rules: Vec<String> = summary_rows(&report).into_iter().map(|r| r.0).collect();
    assert_eq!(rules, ["name/uppercase", "name/invalid-char"], "{report}");
}

/// A changed legacy record keeps its legacy status: a description edit on `foo_bar` (undated)
/// gives the legacy info, not `name/invalid-char`.
#[test]
fn changed_legacy_records_stay_legacy() {
    let tmp = TempDir::new("diff-legacy");
    let base_text = read(DIFF_BASE).replacen(
        "  <people>",
        "  <record>\n    <name>old_thing</name>\n    <protocol>tcp</protocol>\n    <description>Old thing</description>\n    <number>6000</number>\n  </record>\n  <people>",
        1,
    );
    let base = tmp.write("base.xml", &base_text);
    let head = tmp.write(
        "head.xml",
        &base_text.replacen(
            "<description>Old thing</description>",
            "<description>Old thing, renamed product</description>",
            1,
        ),
    );
    let (code_, report) = json(&["registry", "diff", &base, &head]);
    assert_eq!(code_, 0, "{report}");
    let rows = summary_rows(&report);
    assert_eq!(rows.len(), 1, "{report}");
    assert_eq!(
        (rows[0].0.as_str(), rows[0].1.as_str()),
        ("registry/legacy-name", "info")
    );
    assert_eq!(checked(&report).len(), 1);
    assert!(
        checked(&report)[0].starts_with("modify `old_thing` tcp/6000"),
        "{report}"
    );
}

/// A rename on the same number by the same party: one `rename` change naming the old name,
/// no removal.
#[test]
fn rename_is_one_change() {
    let tmp = TempDir::new("diff-rename");
    let base = read(DIFF_BASE);
    let renamed = base.replacen("<name>mike-old</name>", "<name>mike-new</name>", 1);
    let head = tmp.write("head.xml", &renamed);
    let (_, report) = json(&["registry", "diff", DIFF_BASE, &head]);
    // The rename's own warning (lifecycle.md §4), on the new name.
    let rules: Vec<&str> = diagnostics(&report)
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert_eq!(rules, ["lifecycle/rename"], "{report}");
    assert_eq!(
        diagnostics(&report)[0]["message"],
        "`mike-new` tcp/5300 takes the place of `mike-old`: RFC 6335 has no rename procedure (IANA renames in place in practice); clients that look up `mike-old` stop finding it"
    );
    assert_eq!(
        checked(&report),
        [format!(
            "rename `mike-new` tcp/5300 (line {}), formerly `mike-old`",
            line_of(&renamed, "<name>mike-new</name>") - 1
        )]
    );
    assert_eq!(report["changes"][0]["kind"], "rename");
}

/// A new name by another party on a removed name's number is a new assignment, and the old
/// name a removal.
#[test]
fn new_name_of_another_party_is_no_rename() {
    let tmp = TempDir::new("diff-rename-other");
    let base = read(DIFF_BASE);
    let renamed = base.replacen(
        "<name>mike-old</name>\n    <protocol>tcp</protocol>\n    <description>Mike telemetry</description>\n    <number>5300</number>\n    <xref type=\"person\" data=\"Jane_Doe\"/>",
        "<name>mike-new</name>\n    <protocol>tcp</protocol>\n    <description>Mike telemetry</description>\n    <number>5300</number>\n    <xref type=\"person\" data=\"Someone_Else\"/>",
        1,
    );
    assert_ne!(renamed, base);
    let head = tmp.write("head.xml", &renamed);
    let (_, report) = json(&["registry", "diff", DIFF_BASE, &head]);
    let kinds: Vec<&str> = report["changes"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, ["new", "removed"], "{report}");
    let removed: Vec<&Value> = diagnostics(&report)
        .into_iter()
        .filter(|d| d["rule"] == "registry/removed")
        .collect();
    assert_eq!(
        removed[0]["message"],
        "`mike-old` tcp/5300 is in BASE but not in HEAD; the same number now holds `mike-new`"
    );
}

/// The renamed record takes over the number its old name held in BASE; that old record is
/// gone from HEAD, so it should not count as the holder of the port.
#[test]
fn rename_does_not_conflict_with_its_old_name() {
    let tmp = TempDir::new("diff-rename-clean");
    let base = read(DIFF_BASE);
    let head = tmp.write(
        "head.xml",
        &base.replacen("<name>mike-old</name>", "<name>mike-new</name>", 1),
    );
    let (code_, report) = json(&["registry", "diff", DIFF_BASE, &head]);
    // No conflict: only the rename's own warning.
    let rules: Vec<String> = summary_rows(&report).into_iter().map(|r| r.0).collect();
    assert_eq!(rules, ["lifecycle/rename"], "{report}");
    assert_eq!(code_, 0);
}

/// De-assignment: the named record becomes a nameless Reserved one; listed as `deassign`,
/// not as a removal.
#[test]
fn deassignment_is_classified() {
    let (_, report) = json(&["registry", "diff", DIFF_BASE, DIFF_HEAD]);
    assert!(
        diagnostics(&report)
            .iter()
            .all(|d| d["rule"] != "registry/removed"),
        "{report}"
    );
    let deassign: Vec<&Value> = report["changes"]
        .as_array()
        .map(|a| a.iter().filter(|c| c["kind"] == "deassign").collect())
        .unwrap_or_default();
    assert_eq!(deassign.len(), 1, "{report}");
    assert_eq!(deassign[0]["name"], "november");
}

/// The conflict annotation sits on HEAD's line in `--format github`.
#[test]
fn conflict_annotation_on_heads_line() {
    let head = read(DIFF_HEAD);
    let out = run(&[
        "registry", "diff", DIFF_BASE, DIFF_HEAD, "--format", "github",
    ]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let number_line = line_of(&head, "<name>papa-dup</name>") + 3;
    let want = format!(
        "::error file={},line={number_line},endLine={number_line},col=13,endColumn=17,title=conflict/port-taken::{}:{number_line}:13: error[conflict/port-taken]: tcp/5200 is already assigned to `lima-feed`",
        DIFF_HEAD.replace(':', "%3A"),
        DIFF_HEAD
    );
    assert!(
        text.lines().any(|l| l.starts_with(&want)),
        "{want}\n---\n{text}"
    );
    // What was checked is in the log, one line each.
    assert!(
        text.contains("\nportreg: checked new `papa-dup` tcp/5200 (line "),
        "{text}"
    );
}

/// `--sarif-file` writes SARIF on the side, whatever `--format` is.
#[test]
fn sarif_file_on_the_side() {
    let tmp = TempDir::new("diff-sarif");
    let sarif = tmp.join("diff.sarif").display().to_string();
    // november's number left without any record: a removal, not a de-assignment.
    let head_text = read(DIFF_HEAD).replacen(
        "  <record>\n    <protocol>tcp</protocol>\n    <description>Reserved</description>\n    <number>5400</number>\n  </record>\n",
        "",
        1,
    );
    assert_ne!(head_text, read(DIFF_HEAD));
    let head = tmp.write("head.xml", &head_text);
    let out = run(&[
        "registry",
        "diff",
        DIFF_BASE,
        &head,
        "--format",
        "short",
        "--sarif-file",
        &sarif,
    ]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("error[conflict/port-taken]"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif written"))
        .expect("sarif json");
    assert_eq!(v["version"], "2.1.0");
    let ids: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["conflict/port-taken"]);
    // A removal has no place in HEAD: a notification, not a result without a location.
    assert_eq!(
        v["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["associatedRule"]["id"],
        "registry/removed"
    );
    let bad = tmp.join("no/such/dir/diff.sarif").display().to_string();
    let out = run(&[
        "registry",
        "diff",
        DIFF_BASE,
        DIFF_HEAD,
        "--sarif-file",
        &bad,
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("diff.sarif"), "{}", stderr(&out));
}

/// A BASE that is missing is exit 2; a HEAD that is not a registry is `registry/malformed`.
#[test]
fn unreadable_inputs() {
    let tmp = TempDir::new("diff-bad");
    let missing = tmp.join("missing.xml").display().to_string();
    let out = run(&["registry", "diff", &missing, DIFF_HEAD]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let head = read(DIFF_HEAD);
    let cut = tmp.write("cut.xml", &head[..head.len() / 2]);
    let out = run(&["registry", "diff", DIFF_BASE, &cut, "--format", "short"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("error[registry/malformed]"),
        "{}",
        stdout(&out)
    );
}

// ---------------------------------------------------------------------------------------
// The real registry

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_2026_07_19_to_current() {
    let dir = crate::harness::real_registry_dir();
    let base = dir.join("service-names-port-numbers-2026-07-19.xml");
    let head = dir.join("service-names-port-numbers.xml");
    let (base, head) = (base.to_str().expect("path"), head.to_str().expect("path"));
    let (code_, report) = json(&["registry", "diff", base, head]);
    assert_eq!(code_, 0, "{report}");
    assert!(diagnostics(&report).is_empty(), "{report}");
    let checked = checked(&report);
    let added: Vec<&str> = checked
        .iter()
        .filter(|c| c.starts_with("new `") || c.starts_with("extend `"))
        .map(|c| c.as_str())
        .collect();
    let names: Vec<&str> = added
        .iter()
        .map(|c| c.split('`').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        [
            "snif",
            "boardgame",
            "ok-connect",
            "ok-control",
            "qwady-peer",
            "wico"
        ],
        "{checked:#?}"
    );
    assert!(
        added[0].starts_with("extend `snif` udp/7123 (line ")
            && added[0].ends_with(", checked as an extension of the registered name"),
        "{}",
        added[0]
    );
    // Changed records: epp udp 700, pkix-cmc, netconf-tls, snif tcp and the snif-* names.
    let changed: Vec<&str> = checked
        .iter()
        .filter(|c| c.starts_with("modify `"))
        .map(|c| c.split('`').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        changed,
        [
            "epp",
            "pkix-cmc",
            "netconf-tls",
            "snif",
            "snif-cln",
            "snif-fifo",
            "snif-srv"
        ]
    );
}

/// The acceptance check of the feature request: a bad record added to the real registry is
/// exit 1 with an `::error` annotation at that record's lines.
#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_registry_with_a_bad_record() {
    let dir = crate::harness::real_registry_dir();
    let real = std::fs::read_to_string(dir.join("service-names-port-numbers.xml")).expect("read");
    // Records come before the footnote and `<people>`: insert after the last `</record>`.
    let at = real.rfind("</record>\n").expect("a record") + "</record>\n".len();
    let record = format!(
        "  <record date=\"{TODAY}\">\n    <name>bad_name</name>\n    <protocol>tcp</protocol>\n    <description>Bad name on port 80</description>\n    <number>80</number>\n    <xref type=\"person\" data=\"Bernie_Volz\"/>\n  </record>\n"
    );
    let modified = format!("{}{record}{}", &real[..at], &real[at..]);
    let tmp = TempDir::new("real-bad-record");
    let real_copy = tmp.write("real.xml", &real);
    let head = tmp.write("modified.xml", &modified);
    let record_line = real[..at].matches('\n').count() as u64 + 1;
    let out = run(&["registry", "diff", &real_copy, &head, "--format", "github"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    let file = head.replace(':', "%3A").replace(',', "%2C");
    let name_line = record_line + 1;
    let number_line = record_line + 4;
    assert!(
        text.lines().any(|l| l.starts_with(&format!(
            "::error file={file},line={name_line},endLine={name_line},col=14,endColumn=15,title=name/invalid-char::"
        ))),
        "{text}"
    );
    // tcp 80 is held by `http`, `www` and `www-http`: one finding naming the three.
    let taken: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.starts_with(&format!("::error file={file},line={number_line},"))
                && l.contains("title=conflict/port-taken")
        })
        .collect();
    assert_eq!(taken.len(), 1, "{text}");
    assert!(
        taken[0].contains(
            "tcp/80 is already assigned: to `http` tcp/80, `www` tcp/80, `www-http` tcp/80"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "portreg: checked new `bad_name` tcp/80 (line {record_line})\n"
        )),
        "{text}"
    );
    // The summary is the first annotation (GitHub shows the first ones).
    assert!(text
        .lines()
        .next()
        .unwrap_or("")
        .starts_with("::notice title=portreg summary::"));
}

fn kinds_of(report: &Value) -> Vec<String> {
    report["changes"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    format!(
                        "{} {}",
                        c["kind"].as_str().unwrap_or(""),
                        c["name"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A second name of the same party on its own number is an alias: conflict/port-shared
/// (warning), not port-taken.
#[test]
fn alias_of_the_same_party() {
    let tmp = TempDir::new("diff-alias");
    let base = read(DIFF_BASE);
    let head_text = base.replacen(
        "  <record date=\"2017-05-01\">\n    <name>mike-old</name>",
        "  <record date=\"2026-08-01\">\n    <name>lima-feed-alt</name>\n    <protocol>tcp</protocol>\n    <description>Lima feed, second name</description>\n    <number>5200</number>\n    <xref type=\"person\" data=\"Jane_Doe\"/>\n  </record>\n  <record date=\"2017-05-01\">\n    <name>mike-old</name>",
        1,
    );
    assert_ne!(head_text, base);
    let head = tmp.write("head.xml", &head_text);
    let (code_, report) = json(&["registry", "diff", DIFF_BASE, &head]);
    assert_eq!(code_, 0, "{report}");
    assert_eq!(kinds_of(&report), ["alias lima-feed-alt"], "{report}");
    let rules: Vec<String> = summary_rows(&report).into_iter().map(|r| r.0).collect();
    assert_eq!(rules, ["conflict/port-shared"], "{report}");
}

/// A name moved to another number: one renumber change, the old record not a removal.
#[test]
fn renumbering() {
    let tmp = TempDir::new("diff-renumber");
    let base = read(DIFF_BASE);
    let head_text = base.replacen(
        "<name>mike-old</name>\n    <protocol>tcp</protocol>\n    <description>Mike telemetry</description>\n    <number>5300</number>",
        "<name>mike-old</name>\n    <protocol>tcp</protocol>\n    <description>Mike telemetry</description>\n    <number>5301</number>",
        1,
    );
    assert_ne!(head_text, base);
    let head = tmp.write("head.xml", &head_text);
    let (_, report) = json(&["registry", "diff", DIFF_BASE, &head]);
    assert_eq!(kinds_of(&report), ["renumber mike-old"], "{report}");
    assert!(
        diagnostics(&report)
            .iter()
            .all(|d| d["rule"] != "registry/removed"),
        "{report}"
    );
}
