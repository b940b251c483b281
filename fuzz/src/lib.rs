//! The bodies of the fuzz targets, one function per target. Each takes the fuzzer's bytes,
//! runs them through portreg and panics when an invariant breaks; a plain `Err` or a finding
//! is a normal outcome, not a failure.
//!
//! tests/it/fuzz_regressions.rs includes this file with `#[path]`, so every kept crash input runs
//! through exactly the code the fuzzer ran, without libFuzzer.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use portreg::testing::engine::{report_for_file, with_custom};
use portreg::{check_drafts, lint, render, DraftInput, LoadError, Options, OutputFormat};
use portreg::{Registry, Report};

/// Options with a fixed "today", so `registry/stale` and date rules do not depend on the day
/// of the run.
fn options() -> Options {
    match chrono::NaiveDate::from_ymd_opt(2026, 8, 20) {
        Some(today) => Options::default().with_today(today),
        None => Options::default(),
    }
}

/// The small registry the rule fixtures are written against (their conflict, name and port
/// cases hit its records). Loaded once; records are parsed on first use and stay parsed.
static REGISTRY: LazyLock<Option<Arc<Registry>>> = LazyLock::new(|| {
    let bytes = include_bytes!("../../tests/fixtures/rules/registry.xml");
    Registry::from_bytes("registry.xml", bytes.to_vec())
        .ok()
        .map(Arc::new)
});

/// Separates two drafts in one `draft_registry` input (checked together, so the cross-draft
/// conflict checks run too).
pub const DRAFT_SEPARATOR: &[u8] = b"\n#---\n";

/// Checks one draft without a registry and renders the report in every format.
pub fn draft_render(data: &[u8]) -> Report {
    let options = options();
    let report = check_drafts(vec![DraftInput::new("draft.toml", data)], &options);
    render_all(&report);
    report
}

/// Checks a draft (or two, split at [`DRAFT_SEPARATOR`]) against the fixture registry and
/// renders the report in every format (registry excerpts included).
pub fn draft_registry(data: &[u8]) -> Report {
    let Some(registry) = REGISTRY.clone() else {
        panic!("the fixture registry does not load");
    };
    let options = options().with_registry(registry);
    let inputs = match find(data, DRAFT_SEPARATOR) {
        Some(at) => vec![
            DraftInput::new("a.toml", &data[..at]),
            DraftInput::new("b.toml", &data[at + DRAFT_SEPARATOR.len()..]),
        ],
        None => vec![DraftInput::new("draft.toml", data)],
    };
    let report = check_drafts(inputs, &options);
    render_all(&report);
    report
}

/// A DCCP request whose codes the code rules look up in the Service Codes registry.
const DCCP_DRAFT: &str = "[[entry]]\nname = \"acme-media\"\ntransport = \"dccp\"\nport = 4873\nservice-code = [\"SC:ACME\", 1, 1056964608, \"SC:RTPA\"]\n";

/// Loads a DCCP Service Codes registry: a refusal points inside the input; a registry that
/// loads serves the code rules of a check against the fixture port registry, which renders.
pub fn service_codes(data: &[u8]) -> Result<usize, String> {
    let codes = match portreg::ServiceCodes::from_bytes("codes.xml", data.to_vec()) {
        Err(e) => {
            check_error(&e, data);
            return Err(e.to_string());
        }
        Ok(codes) => codes,
    };
    let rows = codes.rows.len();
    let Some(registry) = REGISTRY.clone() else {
        panic!("the fixture registry does not load");
    };
    let options = options().with_registry(registry).with_service_codes(codes);
    let report = check_drafts(vec![DraftInput::new("draft.toml", DCCP_DRAFT)], &options);
    render_all(&report);
    Ok(rows)
}

/// What a registry load gave: the record and people counts, or the error message.
pub type LoadOutcome = Result<(usize, usize), String>;

/// Loads a registry with the lazy scan and with the full parse; both must give the same
/// records and people (every one read, so every lazy record is parsed), or the same error.
/// An input that starts with the CSV header is read by the CSV loader instead (both ways).
/// Then `registry lint` runs on both: the reports must be the same and render.
pub fn registry_load(data: &[u8]) -> LoadOutcome {
    let fast = Registry::from_bytes("reg", data.to_vec());
    let full = Registry::from_bytes_eager("reg", data.to_vec());
    let (fast, full) = match (fast, full) {
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "the loaders refuse with different errors");
            check_error(&a, data);
            return Err(a.to_string());
        }
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => panic!(
            "one loader accepts and the other refuses: fast {:?}, full {:?}",
            a.err(),
            b.err()
        ),
    };
    assert_eq!(fast.format, full.format, "format");
    assert_eq!(fast.updated, full.updated, "updated");
    assert_eq!(fast.records.len(), full.records.len(), "record count");
    assert_eq!(fast.people.len(), full.people.len(), "people count");
    // Lookups first, while the lazy records are unparsed (the index is built from the scan).
    for r in full.records.iter() {
        if let Some(name) = &r.name {
            assert_eq!(
                indices(fast.records_named(name)),
                indices(full.records_named(name)),
                "records named {name:?}"
            );
        }
        if let (Some(t), Some(n)) = (r.protocol, r.number) {
            for port in [n.lo, n.hi] {
                assert_eq!(
                    indices(fast.records_at(t, port)),
                    indices(full.records_at(t, port)),
                    "records at {t:?}/{port}"
                );
            }
        }
    }
    for p in full.people.iter() {
        assert_eq!(
            fast.person(&p.id),
            full.person(&p.id),
            "person {:?} by id",
            p.id
        );
    }
    // Then every record and person, last first (a different order than the document's).
    for i in (0..full.records.len()).rev() {
        assert_eq!(fast.records.get(i), full.records.get(i), "record {i}");
    }
    for i in (0..full.people.len()).rev() {
        assert_eq!(fast.people.get(i), full.people.get(i), "person {i}");
    }
    for r in full.records.iter() {
        let text = full.record_text(r);
        assert_eq!(fast.record_text(r), text, "record {} text", r.index);
    }
    let counts = (full.records.len(), full.people.len());
    assert!(
        portreg::testing::schema::paths_agree(&fast),
        "the schema check's fast path or its cut in two changes the verdict"
    );
    // `registry lint` on both: the same report, and it renders.
    let fast = lint(fast, &options());
    let full = lint(full, &options());
    render_all(&fast);
    assert_eq!(
        render(&fast, OutputFormat::Json),
        render(&full, OutputFormat::Json),
        "registry lint reports differ"
    );
    Ok(counts)
}

/// Reads a `portreg.toml`; its findings must point inside the text and render.
pub fn config(data: &[u8]) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Vec::new();
    };
    let (_config, findings) = portreg::testing::config::parse(Path::new("portreg.toml"), text);
    let report = report_for_file("portreg.toml", text, findings);
    render_all(&report);
    rules(&report)
}

/// Reads a custom-rule file; its findings must point inside the text and render, and the
/// rules it defines run on a sample draft.
pub fn custom_rules(data: &[u8]) -> (usize, Vec<String>) {
    let Ok(text) = std::str::from_utf8(data) else {
        return (0, Vec::new());
    };
    let (custom, findings) = portreg::testing::config::custom::parse(Path::new("rules.toml"), text);
    let report = report_for_file("rules.toml", text, findings);
    render_all(&report);
    let count = custom.len();
    let options = with_custom(options(), custom);
    let draft = check_drafts(vec![DraftInput::new("draft.toml", SAMPLE_DRAFT)], &options);
    render_all(&draft);
    (count, rules(&report))
}

/// A draft with every field a custom rule can look at.
const SAMPLE_DRAFT: &str = include_str!("../../examples/fork/request.toml");

/// Reads a baseline; one that reads must write back to a baseline that reads the same, and
/// applying it must give findings that point inside the text.
pub fn baseline(data: &[u8]) -> Result<usize, String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Err("not UTF-8".into());
    };
    let path = Path::new("baseline.json");
    let b = portreg::testing::records::baseline::parse(path, text)?;
    let written = portreg::testing::records::baseline::to_json(&b);
    let again = match portreg::testing::records::baseline::parse(path, &written) {
        Ok(again) => again,
        Err(e) => panic!("a written baseline does not read back: {e}\n{written}"),
    };
    assert_eq!(b.findings, again.findings, "baseline round trip");
    let unused = portreg::testing::records::baseline::apply(&b, text, &mut []);
    let report = report_for_file("baseline.json", text, unused);
    render_all(&report);
    Ok(b.findings.len())
}

/// Every renderer on `report`: no panic, labels inside their texts, JSON and SARIF parse.
pub fn render_all(report: &Report) {
    check_labels(report);
    render(report, OutputFormat::Human);
    render(report, OutputFormat::Short);
    render(report, OutputFormat::Github);
    for (format, out) in [
        ("json", render(report, OutputFormat::Json)),
        ("sarif", render(report, OutputFormat::Sarif)),
    ] {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&out) {
            panic!("{format} output does not parse as JSON: {e}\n{out}");
        }
    }
}

/// Every label of every diagnostic lies inside its file's text, on character boundaries.
fn check_labels(report: &Report) {
    for d in report.diagnostics() {
        for l in d.primary.iter().chain(&d.secondary).chain(&d.related) {
            let (Some(name), Some(text)) = (report.file_name(l.file), report.file_text(l.file))
            else {
                panic!(
                    "{}: a label points at file {:?}, not in the report",
                    d.rule, l.file
                );
            };
            assert!(
                l.span.start <= l.span.end
                    && l.span.end <= text.len()
                    && text.is_char_boundary(l.span.start)
                    && text.is_char_boundary(l.span.end),
                "{}: label {:?} outside `{}` ({} bytes) or inside a character",
                d.rule,
                l.span,
                name,
                text.len()
            );
        }
    }
}

/// The load error's position must be inside the input.
fn check_error(e: &LoadError, data: &[u8]) {
    if let Some(at) = e.offset {
        assert!(
            at <= data.len(),
            "error offset {at} past the end ({} bytes)",
            data.len()
        );
    }
}

/// The rule ids of a report's diagnostics, in report order.
pub fn rules(report: &Report) -> Vec<String> {
    report
        .diagnostics()
        .iter()
        .map(|d| d.rule.clone())
        .collect()
}

fn indices<'a>(it: impl IntoIterator<Item = &'a portreg::testing::registry::Record>) -> Vec<usize> {
    it.into_iter().map(|r| r.index).collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
