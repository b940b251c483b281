//! `portreg render` of lifecycle entries (lifecycle.md §2): `--as xml` gives the records as
//! they read after the change and `--as text` the request to IANA (snapshots, one per kind,
//! on the lifecycle fixture registry); and (ignored, real registry) the round trip: the
//! rendered change applied to a copy of the real registry gives a `registry diff` without
//! errors that classifies the change as the request's kind.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use portreg::testing::read::read_draft;
use portreg::testing::render::draft::{build, to_csv, to_text, to_xml, Rendered};
use portreg::Registry;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
}

fn fixture_registry() -> Registry {
    let path = "tests/fixtures/rules/lifecycle-registry.xml";
    let bytes = std::fs::read(root().join(path)).expect("lifecycle fixture registry");
    Registry::from_bytes(path, bytes).expect("loads")
}

/// The XML (records, then people) and the text of a draft.
fn render(draft_text: &str, registry: &Registry) -> (Rendered, String) {
    let (draft, findings) = read_draft(draft_text);
    assert!(findings.is_empty(), "{findings:?}");
    let rendered = build(&draft, Some(registry), today());
    let (records, people) = to_xml(&rendered);
    let text = to_text(&draft, &rendered, Some(registry));
    let notes = rendered.notes.join("\n");
    let csv = to_csv(&rendered).replace("\r\n", "\n");
    let out = format!(
        "--- xml\n{records}--- people\n{people}--- csv\n{csv}--- notes\n{notes}\n--- replaced\n{:?}\n--- text\n{text}",
        rendered.replaced
    );
    (rendered, out)
}

const CASES: &[(&str, &str)] = &[
    (
        "deassign",
        r#"# The inline requester is acme-sync's contact by email: the note names Jane_Roe.
[[entry]]
kind = "deassign"
name = "acme-sync"
transport = ["tcp", "udp"]
port = 4100
requester = { name = "J. Roe", email = "jane@acme.example" }
no-longer-used = "withdrawn in 2024"
"#,
    ),
    (
        "deassign_name",
        r#"# keep-name = false: only the Reserved records; x11's range stays one record.
[[entry]]
kind = "deassign"
name = "x11"
transport = "tcp"
port = "6000-6063"
requester = "Stephen_Gildea"
keep-name = false
no-longer-used = "gone"
"#,
    ),
    (
        "modify",
        r#"[[entry]]
kind = "modify"
name = "acme-sync"
transport = ["tcp", "udp"]
requester = "Acme_Corp"
succession = "Acme Corp was acquired by Other Inc on 2026-03-01"

[entry.changes]
description = "Acme Sync and Replication"
contact = { name = "Sam Roe", email = "sam@acme.example" }
reference = ["RFC9999"]
name = "acme-replica"
assignee = "Other_Inc"
"#,
    ),
    (
        "reuse",
        r#"[[entry]]
kind = "reuse"
name = "acme-archive"
previous = "acme-sync"
transport = "tcp"
port = 4100
requester = "Acme_Corp"
description = "Acme archive replication"
assignee = "Acme_Corp"
contact = "Jane_Roe"
reference = "https://acme.example/specs/archive"
"#,
    ),
    (
        "transfer",
        r#"[[entry]]
kind = "transfer"
name = "acme-sync"
transport = "tcp"
requester = "Acme_Corp"
to = "Other_Inc"
"#,
    ),
];

#[test]
fn lifecycle_render_snapshots() {
    let registry = fixture_registry();
    for (name, draft) in CASES {
        let (_, out) = render(draft, &registry);
        insta::with_settings!({
            snapshot_path => "../../snapshots",
            prepend_module_to_snapshot => false,
            description => *draft,
        }, {
            insta::assert_snapshot!(format!("render_lifecycle_{name}"), out);
        });
    }
}

#[test]
fn deassign_records_read_back() {
    let registry = fixture_registry();
    let (rendered, _) = render(CASES[0].1, &registry);
    let (records, people) = to_xml(&rendered);
    assert!(people.is_empty(), "the requester is a registered person");
    let xml = format!(
        "<?xml version='1.0' encoding='UTF-8'?>\n<registry xmlns=\"http://www.iana.org/assignments\" id=\"service-names-port-numbers\">\n{records}  <people>\n  </people>\n</registry>\n"
    );
    let back = Registry::from_bytes("back.xml", xml.into_bytes()).expect("reads back");
    assert_eq!(back.records.len(), 4);
    let reserved: Vec<_> = back.records.iter().filter(|r| r.name.is_none()).collect();
    assert_eq!(reserved.len(), 2);
    for r in &reserved {
        assert_eq!(r.description, "Reserved");
        assert_eq!(
            r.note.as_deref(),
            Some("De-assigned on 2026-11-28, previously acme-sync by [Jane_Roe]")
        );
        assert_eq!(r.updated.as_deref(), Some("2026-11-28"));
    }
    let kept: Vec<_> = back.records_named("acme-sync").collect();
    assert_eq!(kept.len(), 2);
    assert!(kept.iter().all(|r| r.number.is_none()));
}

/// The real registry with `rendered` applied: the replaced records removed, the changed
/// records where the first of them was, the new records and people before `</people>`.
fn apply(original: &str, base: &Registry, rendered: &Rendered) -> String {
    let line_start = |at: usize| original[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut cuts: Vec<(usize, usize)> = rendered
        .replaced
        .iter()
        .filter_map(|&i| base.records.get(i))
        .map(|r| (line_start(r.span.start), r.span.end + 1))
        .collect();
    cuts.sort_unstable();
    let (records, people) = to_xml(rendered);
    let insert_at = cuts.first().map_or(0, |c| c.0);
    let mut out = String::new();
    let mut at = 0;
    for (i, (start, end)) in cuts.iter().enumerate() {
        out.push_str(&original[at..*start]);
        if i == 0 {
            out.push_str(&records);
        }
        at = *end;
    }
    let people_end = original.rfind("  </people>").expect("</people>");
    assert!(insert_at <= people_end);
    out.push_str(&original[at..people_end]);
    out.push_str(&people);
    out.push_str(&original[people_end..]);
    out
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn round_trip_through_registry_diff() {
    let path = crate::harness::real_registry_file(crate::harness::REAL_CURRENT);
    let original = std::fs::read_to_string(&path).expect("real registry");
    let base =
        Arc::new(Registry::from_bytes("base.xml", original.clone().into_bytes()).expect("loads"));
    let mut failures = Vec::new();
    for example in ["deassign", "modify"] {
        let file = root().join(format!("examples/lifecycle/{example}.toml"));
        let text = std::fs::read_to_string(&file).expect("example");
        let (draft, _) = read_draft(&text);
        // Rendered on the day of the diff, so that no date is in the future.
        let day = NaiveDate::from_ymd_opt(2026, 8, 20).unwrap_or_default();
        let rendered = build(&draft, Some(&base), day);
        assert!(!rendered.replaced.is_empty(), "{example}: nothing replaced");
        let head = apply(&original, &base, &rendered);
        let head = Registry::from_bytes("head.xml", head.into_bytes()).expect("head loads");
        let options = portreg::Options::default().with_today(day);
        let report = portreg::diff(Arc::clone(&base), Arc::new(head), &options);
        let errors: Vec<_> = report
            .diagnostics()
            .iter()
            .filter(|d| d.severity == portreg::Severity::Error)
            .map(|d| format!("{}: {}", d.rule, d.message))
            .collect();
        // `registry diff` classifies the change as the request's kind.
        let classified = report
            .checked()
            .iter()
            .any(|c| c.starts_with(&format!("{example} `redis` tcp/6379")));
        if !errors.is_empty() || !classified {
            failures.push(format!(
                "{example}: errors {errors:#?}\nchecked: {:#?}",
                report.checked()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
