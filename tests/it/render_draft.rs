//! `portreg render`: the XML and CSV of every clean example read back by portreg's own
//! loader give the same names, transports, numbers, descriptions and people; the text form
//! is a snapshot; drafts with errors are refused unless `--force`; and (an ignored test,
//! see `harness::real_registry_dir`) the records inserted into a copy of the real registry load and
//! add exactly themselves.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use chrono::NaiveDate;
use portreg::testing::model::draft::{Draft, PortValue};
use portreg::testing::read::read_draft;
use portreg::testing::registry::Format;
use portreg::testing::render::draft::{build, to_csv, to_text, to_xml, Rendered};
use portreg::Registry;
use portreg::{check_drafts, DraftInput, Options};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
}

/// The top-level examples with no error-level finding (hermetic check).
fn clean_examples() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter(|p| {
            let bytes = std::fs::read(p).expect("example");
            let options = Options::default().with_today(today());
            !check_drafts(
                vec![DraftInput::new(p.display().to_string(), bytes)],
                &options,
            )
            .has_errors()
        })
        .collect();
    out.sort();
    assert!(out.len() >= 4, "expected the clean examples, found {out:?}");
    out
}

fn read(path: &Path) -> (String, Draft) {
    let text = std::fs::read_to_string(path).expect("example is UTF-8");
    let (draft, _) = read_draft(&text);
    (text, draft)
}

fn wrap(records: &str, people: &str) -> String {
    format!(
        "<?xml version='1.0' encoding='UTF-8'?>\n\
         <registry xmlns=\"http://www.iana.org/assignments\" id=\"service-names-port-numbers\">\n\
         \x20 <title>Service Name and Transport Protocol Port Number Registry</title>\n\
         \x20 <updated>2026-11-28</updated>\n{records}  <people>\n{people}  </people>\n</registry>\n"
    )
}

/// (name, transport, number, description) the draft asks for: one per known transport.
fn expected_records(draft: &Draft) -> BTreeSet<(String, String, Option<String>, String)> {
    let mut out = BTreeSet::new();
    for e in &draft.entries {
        let number = match e.port.as_ref().map(|p| &p.value) {
            Some(PortValue::Single(p)) => Some(p.to_string()),
            Some(PortValue::Range(a, b)) => Some(format!("{a}-{b}")),
            _ => None,
        };
        for t in e.known_transports() {
            out.insert((
                e.name_str().unwrap_or("").to_string(),
                t.as_str().to_string(),
                number.clone(),
                e.description
                    .as_ref()
                    .map(|d| d.value.trim().to_string())
                    .unwrap_or_default(),
            ));
        }
    }
    out
}

fn loaded_records(r: &Registry) -> BTreeSet<(String, String, Option<String>, String)> {
    r.records
        .iter()
        .map(|rec| {
            (
                rec.name.clone().unwrap_or_default(),
                rec.protocol
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default(),
                rec.number.map(|n| n.to_string()),
                rec.description.clone(),
            )
        })
        .collect()
}

fn assert_people(r: &Registry, rendered: &Rendered) {
    assert_eq!(r.people.len(), rendered.people.len());
    for p in &rendered.people {
        let got = r
            .person(&p.id)
            .unwrap_or_else(|| panic!("person {} missing", p.id));
        assert_eq!(got.name, p.name, "{}", p.id);
        assert_eq!(got.org, p.org, "{}", p.id);
        assert_eq!(
            got.uris,
            p.uri.iter().cloned().collect::<Vec<_>>(),
            "{}",
            p.id
        );
        assert!(
            p.uri.as_deref().is_none_or(|u| !u.contains('@')),
            "IANA writes `&` for `@`: {:?}",
            p.uri
        );
        assert_eq!(got.updated.as_deref(), Some(p.updated.as_str()));
    }
}

#[test]
fn xml_of_every_clean_example_reads_back() {
    for path in clean_examples() {
        let (_, draft) = read(&path);
        let rendered = build(&draft, None, today());
        let (records, people) = to_xml(&rendered);
        let doc = wrap(&records, &people);
        let r = Registry::from_bytes("rendered.xml", doc.into_bytes())
            .unwrap_or_else(|e| panic!("{}: rendered XML does not load: {e}", path.display()));
        assert_eq!(r.format, Format::Xml);
        assert_eq!(
            loaded_records(&r),
            expected_records(&draft),
            "{}",
            path.display()
        );
        assert_eq!(r.records.len(), rendered.records.len());
        for (rec, out) in r.records.iter().zip(&rendered.records) {
            assert_eq!(rec.date.as_deref(), Some("2026-11-28"));
            assert_eq!(
                rec.assignee,
                out.assignee.iter().cloned().collect::<Vec<_>>()
            );
            assert_eq!(rec.contact, out.contact.iter().cloned().collect::<Vec<_>>());
            assert_eq!(
                rec.service_code,
                out.service_code.map(|s| s.to_string()),
                "{}",
                path.display()
            );
            assert_eq!(rec.note, out.note, "{}", path.display());
            assert_eq!(rec.references.len(), out.references.len());
        }
        assert_people(&r, &rendered);
        // IANA's element order for new records.
        let first = records.find("<record").unwrap_or(0);
        let order: Vec<usize> = ["<name>", "<protocol>", "<assignee>", "<description>"]
            .iter()
            .filter_map(|t| records[first..].find(t))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{records}");
    }
}

#[test]
fn csv_of_every_clean_example_reads_back() {
    for path in clean_examples() {
        let (_, draft) = read(&path);
        let rendered = build(&draft, None, today());
        let csv = to_csv(&rendered);
        assert!(csv.ends_with("\r\n"));
        let r = Registry::from_bytes("rendered.csv", csv.into_bytes())
            .unwrap_or_else(|e| panic!("{}: rendered CSV does not load: {e}", path.display()));
        assert_eq!(r.format, Format::Csv);
        assert_eq!(
            loaded_records(&r),
            expected_records(&draft),
            "{}",
            path.display()
        );
        for (rec, out) in r.records.iter().zip(&rendered.records) {
            assert_eq!(rec.date.as_deref(), Some("2026-11-28"));
            assert_eq!(
                rec.assignee,
                out.assignee.iter().cloned().collect::<Vec<_>>()
            );
            assert_eq!(rec.contact, out.contact.iter().cloned().collect::<Vec<_>>());
            assert_eq!(rec.note, out.note);
        }
    }
}

#[test]
fn awkward_text_is_escaped_and_quoted() {
    let draft_text = r#"
[[entry]]
name = "acme-x"
transport = ["tcp", "udp", "dccp"]
port = "5000-5001"
description = "Acme <fast> & \"quoted\", with comma"
assignee = { name = "Jöhn O'Neil", org = "A&B, Inc.", email = "john@ab.example" }
contact = { name = "Jöhn O'Neil", org = "A&B, Inc.", email = "john@ab.example" }
reference = ["RFC9999", "draft-acme-x-01", "ACME spec, v1"]
service-code = "SC=x1A2B"
notes = "line one\nline two"
unauthorized = "Known <bad> use"
txt-keys = []
"#;
    let (draft, _) = read_draft(draft_text);
    let rendered = build(&draft, None, today());
    assert_eq!(rendered.people.len(), 1, "one inline person, used twice");
    assert_eq!(rendered.people[0].id, "Jöhn_O'Neil".replace('\'', ""));
    let (records, people) = to_xml(&rendered);
    let r = Registry::from_bytes("x.xml", wrap(&records, &people).into_bytes()).expect("loads");
    assert_eq!(r.records.len(), 3);
    assert_eq!(
        r.records[0].description,
        "Acme <fast> & \"quoted\", with comma"
    );
    assert_eq!(r.records[2].service_code.as_deref(), Some("6699"));
    assert!(r.records[0].service_code.is_none());
    assert_eq!(
        r.records[0].note.as_deref(),
        Some("Defined TXT keys: None\nline one\nline two")
    );
    let kinds: Vec<&str> = r.records[0]
        .references
        .iter()
        .map(|x| x.kind.as_str())
        .collect();
    assert_eq!(kinds, ["rfc", "draft", "text"]);
    let csv = to_csv(&rendered);
    let c = Registry::from_bytes("x.csv", csv.clone().into_bytes()).expect("CSV loads");
    assert_eq!(
        c.records[0].description,
        "Acme <fast> & \"quoted\", with comma"
    );
    assert!(
        csv.contains("[RFC9999][draft-acme-x-01][ACME spec, v1]"),
        "{csv}"
    );
}

#[test]
fn text_form_snapshot() {
    for name in [
        "user-port-tcp",
        "dccp-service-code",
        "ietf-system-port",
        "dns-sd-name-only",
    ] {
        let (_, draft) = read(&root().join("examples").join(format!("{name}.toml")));
        let rendered = build(&draft, None, today());
        let text = to_text(&draft, &rendered, None);
        insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("render_text_{name}"), text);
        });
    }
}

/// The form for a draft that leaves questions unanswered: UDP and TCP over a range, IANA to
/// pick nothing, DNS-SD keys, unauthorized uses and notes. Every unanswered question says so.
#[test]
fn text_form_unanswered_snapshot() {
    let draft_text = r#"
[[entry]]
name = "acme-cluster"
transport = ["tcp", "udp"]
port = "4810-4812"
description = "Acme cluster membership"
assignee = { name = "Jane Doe", org = "Acme Corporation", email = "jane@acme.example" }
reference = ["https://acme.example/specs/cluster", "RFC9999"]
txt-keys = []
unauthorized = "Seen on udp/4810 in Acme's own beta builds"
notes = "Heartbeats only."

[entry.justification]
udp-discovery-only = true
why-multiple-ports = "One port per cluster role"
"#;
    let (draft, _) = read_draft(draft_text);
    let rendered = build(&draft, None, today());
    let text = to_text(&draft, &rendered, None);
    for n in [1, 2, 4, 5, 6, 8, 9] {
        let question = text
            .lines()
            .position(|l| l.starts_with(&format!("{n}. ")))
            .unwrap_or_else(|| panic!("question {n} in {text}"));
        assert_eq!(
            text.lines().nth(question + 1),
            Some("   (not answered)"),
            "question {n}"
        );
    }
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("render_text_form_unanswered", text);
    });
}

/// `portreg` from the crate root in a clean environment (see `crate::harness::command_in`).
fn portreg(args: &[&str]) -> Output {
    crate::harness::command_in(root(), args)
        .output()
        .expect("run portreg")
}

#[test]
fn cli_refuses_drafts_with_errors_unless_forced() {
    let out = portreg(&["render", "examples/mistakes/incomplete.toml", "--as", "xml"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--force") && stderr.contains("error"),
        "{stderr}"
    );

    let out = portreg(&[
        "render",
        "examples/mistakes/incomplete.toml",
        "--as",
        "xml",
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    let out = crate::harness::command_in(
        root(),
        &["render", "examples/user-port-tcp.toml", "--as", "csv"],
    )
    .env("PORTREG_TODAY", "2026-09-01")
    .output()
    .expect("run portreg");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(",2026-09-01,"),
        "{out:?}"
    );
    for form in ["xml", "csv", "text"] {
        let out = portreg(&["render", "examples/user-port-tcp.toml", "--as", form]);
        assert_eq!(out.status.code(), Some(0), "{form}: {out:?}");
        assert!(out.stderr.is_empty(), "{form}: {out:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("acme-telemetry"));
    }
    let out = portreg(&["render", "examples/user-port-tcp.toml", "--as", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
    let out = portreg(&["render", "examples/no-such.toml", "--as", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    // Not TOML at all: a finding (exit 1), not a crash.
    let out = portreg(&[
        "render",
        "tests/fixtures/update/registry-v1.xml",
        "--as",
        "text",
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
}

/// A draft with warnings only is rendered, and its warnings are printed on standard error.
#[test]
fn cli_prints_the_warnings_of_what_it_renders() {
    let out = portreg(&[
        "render",
        "tests/fixtures/rules/name/redundant-word.transport.fires.toml",
        "--as",
        "xml",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("<name>acme-udp</name>"), "{stdout}");
    assert!(!stdout.contains("redundant-word"), "{stdout}");
    assert!(stderr.contains("warning[name/redundant-word]"), "{stderr}");
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn inserted_into_the_real_registry() {
    let path = crate::harness::real_registry_file(crate::harness::REAL_CURRENT);
    let original_text = std::fs::read_to_string(&path).expect("real registry");
    let base = Registry::from_bytes("base.xml", original_text.clone().into_bytes()).expect("loads");
    let base = Arc::new(base);

    let (_, draft) = read(&root().join("examples/user-port-tcp.toml"));
    // Rendered on the day of the diff below: `registry diff` reports a date in the future
    // (`registry/bad-date` on added records).
    let day = NaiveDate::from_ymd_opt(2026, 8, 20).unwrap_or_default();
    let rendered = build(&draft, Some(&base), day);
    let (records, people) = to_xml(&rendered);
    // Records before `<people>`, people at the end of it (a fork would sort them; the loader
    // does not care).
    let people_at = original_text.find("  <people>").expect("<people>");
    let end_people = original_text.rfind("  </people>").expect("</people>");
    let forked = format!(
        "{}{}{}{}{}",
        &original_text[..people_at],
        records,
        &original_text[people_at..end_people],
        people,
        &original_text[end_people..]
    );
    let tmp = crate::harness::TempDir::new("render-fork");
    let fork_path = tmp.join("service-names-port-numbers.xml");
    std::fs::write(&fork_path, &forked).expect("write fork");
    let fork = Registry::load(&fork_path).expect("the fork loads");
    drop(tmp);

    assert_eq!(
        fork.records.len(),
        base.records.len() + rendered.records.len()
    );
    assert_eq!(fork.people.len(), base.people.len() + rendered.people.len());
    let before = loaded_records(&base);
    let added: BTreeSet<_> = loaded_records(&fork).difference(&before).cloned().collect();
    assert_eq!(added, expected_records(&draft));
    let named: Vec<_> = fork.records_named("acme-telemetry").collect();
    assert_eq!(named.len(), 1);
    assert!(named[0].number.is_some_and(|n| n.contains(4873)));
    assert_people(
        &Registry::from_bytes("p.xml", wrap("", &people).into_bytes()).expect("people load"),
        &rendered,
    );
    for p in &rendered.people {
        assert!(base.person(&p.id).is_none(), "{} already exists", p.id);
        assert!(fork.person(&p.id).is_some(), "{}", p.id);
    }

    // `registry diff` of the real registry and the fork: exactly the new record, classified
    // `new` and checked as a request against the real registry, with no finding (the draft is
    // clean). The diff runs on the render's date (`day` above): diff applies the record rules,
    // and a `date` after the run's day would be `registry/bad-date`.
    let mut options = portreg::Options::default();
    if let Some(today) = chrono::NaiveDate::from_ymd_opt(2026, 8, 20) {
        options = options.with_today(today);
    }
    let report = portreg::diff(Arc::clone(&base), Arc::new(fork), &options);
    let findings: Vec<_> = report
        .diagnostics()
        .iter()
        .map(|d| (d.rule.as_str(), d.message.as_str()))
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(report.checked().len(), 1, "{:#?}", report.checked());
    assert!(
        report.checked()[0].starts_with("new `acme-telemetry` tcp/4873"),
        "{:#?}",
        report.checked()
    );
}
