//! `registry/schema` against jing, the reference RELAX NG validator: every fixture in
//! tests/fixtures/schema/ (valid and invalid, named for the constraint it exercises) gets the
//! verdict jing gave it, recorded in `jing-verdicts.txt` by tests/schema/jing-verdicts.sh, and
//! on the same lines. One test per constraint of IANA's schema, one that every fixture
//! belongs to a constraint, and the real registry files (ignored without
//! `PORTREG_REAL_REGISTRY_DIR`), which jing finds valid.

use std::collections::BTreeSet;
use std::sync::Arc;

use portreg::{Options, Registry};

use crate::harness::{real_registry_file, root, REAL_CURRENT, REAL_PREVIOUS};

const DIR: &str = "tests/fixtures/schema";

/// (file name, jing says valid, the lines jing reported).
fn verdicts() -> Vec<(String, bool, BTreeSet<usize>)> {
    let text = std::fs::read_to_string(root().join(DIR).join("jing-verdicts.txt"))
        .expect("read jing-verdicts.txt");
    text.lines()
        .map(|l| {
            let mut parts = l.split('\t');
            let name = parts.next().unwrap_or_default().to_string();
            let valid = parts.next() == Some("valid");
            let lines = parts
                .next()
                .unwrap_or("")
                .split(',')
                .filter_map(|n| n.parse().ok())
                .collect();
            (name, valid, lines)
        })
        .collect()
}

/// The lines of portreg's `registry/schema` findings on `registry`.
fn schema_lines(registry: Registry) -> BTreeSet<usize> {
    // The schema does not depend on the date; a fixed one keeps the run repeatable.
    let mut options = Options::default();
    if let Some(today) = chrono::NaiveDate::from_ymd_opt(2026, 12, 2) {
        options = options.with_today(today);
    }
    let registry = Arc::new(registry);
    let report = portreg::lint(Arc::clone(&registry), &options);
    report
        .diagnostics()
        .iter()
        .filter(|d| d.rule == "registry/schema")
        // jing reports the first use of a duplicate ID too: portreg labels it.
        .flat_map(|d| d.primary.iter().chain(&d.secondary))
        .map(|label| registry.line_col(label.span.start).line)
        .collect()
}

fn ours(name: &str) -> BTreeSet<usize> {
    let bytes = std::fs::read(root().join(DIR).join(name)).expect("read the fixture");
    // A document that is not a registry at all (another root element) is refused when it
    // is read (`registry/malformed`), before the schema is checked.
    match Registry::from_bytes(name, bytes) {
        Ok(registry) => schema_lines(registry),
        Err(e) => e.line.into_iter().collect(),
    }
}

/// Every fixture whose name (after `valid-`/`invalid-`) starts with `constraint`: the verdict
/// is jing's, and so are the lines of an invalid one.
fn check(constraints: &[&str]) {
    let mut seen = 0;
    for (name, valid, lines) in verdicts() {
        let stem = name.trim_start_matches("in").trim_start_matches("valid-");
        if !constraints.iter().any(|c| stem.starts_with(c)) {
            continue;
        }
        seen += 1;
        let got = ours(&name);
        assert_eq!(
            got.is_empty(),
            valid,
            "{name}: jing says {}, portreg found {got:?}",
            if valid { "valid" } else { "invalid" }
        );
        assert_eq!(
            got, lines,
            "{name}: lines of jing's errors and of portreg's findings"
        );
    }
    assert!(
        seen >= 2,
        "no valid and invalid fixtures for {constraints:?}"
    );
}

/// The constraints of the schema, each the prefix of its fixtures' names.
const CONSTRAINTS: &[&str] = &[
    "minimal",
    "full-record",
    "no-records",
    "prefixed-namespace",
    "comments-pis-cdata-refs",
    "root-",
    "child-other-namespace",
    "registry-",
    "metadata",
    "meta-",
    "json-export",
    "file-",
    "range-",
    "hide-",
    "title-",
    "footnote",
    "no-people",
    "two-people",
    "record-after-people",
    "people-",
    "person-",
    "record-",
    "name-",
    "protocol-",
    "number-",
    "sc-",
    "date-",
    "updated-attribute",
    "description-",
    "paragraph-",
    "artwork-",
    "br-",
    "note-",
    "assignee",
    "xref-",
];

macro_rules! constraint {
    ($($test:ident => $prefixes:expr),* $(,)?) => {
        $(#[test] fn $test() { check(&$prefixes); })*
    };
}

constraint! {
    whole_document => ["minimal", "full-record", "no-records", "comments-pis-cdata-refs", "no-people", "two-people", "record-after-people"],
    root_element_and_namespace => ["root-", "prefixed-namespace", "child-other-namespace"],
    registry_id => ["registry-"],
    registry_metadata => ["meta-", "hide-", "title-"],
    metadata_element => ["metadata", "json-export"],
    file_element => ["file-"],
    range_element => ["range-"],
    footnotes => ["footnote"],
    people_element => ["people-"],
    person_element => ["person-"],
    record_children => ["record-"],
    name_element => ["name-"],
    protocol_values => ["protocol-"],
    number_pattern => ["number-"],
    service_code_unsigned_int => ["sc-"],
    record_dates => ["date-", "updated-attribute"],
    rich_text_description => ["description-", "artwork-", "br-", "note-"],
    paragraph_one_br => ["paragraph-"],
    assignee_xrefs => ["assignee"],
    xref_types_and_data => ["xref-"],
}

#[test]
fn every_fixture_belongs_to_a_constraint_and_has_a_verdict() {
    let names: BTreeSet<String> = verdicts().into_iter().map(|v| v.0).collect();
    let files: BTreeSet<String> = std::fs::read_dir(root().join(DIR))
        .expect("fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".xml"))
        .collect();
    assert_eq!(
        names, files,
        "jing-verdicts.txt is out of date: run tests/schema/jing-verdicts.sh"
    );
    for name in &files {
        let stem = name.trim_start_matches("in").trim_start_matches("valid-");
        assert!(
            CONSTRAINTS.iter().any(|c| stem.starts_with(c)),
            "{name} belongs to no constraint"
        );
    }
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_2026_registry_files_are_valid() {
    for file in [REAL_CURRENT, REAL_PREVIOUS] {
        let registry = Registry::load(&real_registry_file(file)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(schema_lines(registry), BTreeSet::new(), "{file}");
    }
}
