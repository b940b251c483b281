//! The fast registry loader (a byte scan first, records and people parsed on first access)
//! must give exactly what the full quick-xml parse gives: the same records, people, lookups,
//! and the same error at the same position. The scanner gives up on anything unusual and
//! hands the file to the full parse; these tests also check that it does not give up on the
//! files it is meant for, or it would be correct and slow.

use std::collections::BTreeSet;
use std::path::Path;

use portreg::testing::model::Transport;
use portreg::Registry;

/// How the fast loader read a document.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Path_ {
    /// Scanned; nothing parsed until asked for.
    Scanned,
    /// The scanner gave up and the full parse read it.
    Parsed,
    /// Both loaders refused it with the same error.
    Refused,
}

fn indices<'a>(it: impl IntoIterator<Item = &'a portreg::testing::registry::Record>) -> Vec<usize> {
    it.into_iter().map(|r| r.index).collect()
}

/// Loads `bytes` both ways, asserts that the results are the same, and says which path the
/// fast loader took.
fn same_both_ways(what: &str, bytes: &[u8]) -> Path_ {
    same_both_ways_sampled(what, bytes, 1)
}

/// As [`same_both_ways`], with similar names compared for every `step`-th name only (each
/// query scans every name, too slow to run for all 6,000 names of the real registry).
fn same_both_ways_sampled(what: &str, bytes: &[u8], step: usize) -> Path_ {
    let fast = Registry::from_bytes("reg.xml", bytes.to_vec());
    let full = Registry::from_bytes_eager("reg.xml", bytes.to_vec());
    let show = || String::from_utf8_lossy(bytes).into_owned();
    let (fast, full) = match (fast, full) {
        (Err(a), Err(b)) => {
            assert_eq!(
                a,
                b,
                "{what}: the loaders refuse with different errors\n{}",
                show()
            );
            return Path_::Refused;
        }
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => panic!(
            "{what}: fast {:?} but full {:?}\n{}",
            a.map(|_| "ok"),
            b.map(|_| "ok"),
            show()
        ),
    };
    // Before anything is read: a scanned load has parsed nothing.
    let path = match (fast.records.parsed_count(), fast.people.parsed_count()) {
        (0, 0) => Path_::Scanned,
        (r, p) if r == fast.records.len() && p == fast.people.len() => Path_::Parsed,
        (r, p) => panic!("{what}: {r} records and {p} people parsed before any access"),
    };
    assert_eq!(full.records.parsed_count(), full.records.len());

    // Lookups first, while the fast registry's records are still unparsed.
    let names: BTreeSet<String> = full.records.iter().filter_map(|r| r.name.clone()).collect();
    for (i, name) in names.iter().enumerate() {
        assert_eq!(
            indices(fast.records_named(name)),
            indices(full.records_named(name)),
            "{what}: records named {name}"
        );
        if i % step != 0 {
            continue;
        }
        assert_eq!(
            fast.similar_names(name),
            full.similar_names(name),
            "{what}: names similar to {name}"
        );
    }
    assert_eq!(fast.distinct_name_count(), full.distinct_name_count());
    let mut ports: BTreeSet<u16> = [0, 1, 80, 1023, 1024, 49151, 65535].into();
    for r in full.records.iter() {
        if let Some(n) = r.number {
            ports.extend([n.lo, n.hi, n.lo.saturating_sub(1), n.hi.saturating_add(1)]);
        }
    }
    for &port in &ports {
        for t in Transport::ALL {
            assert_eq!(
                indices(fast.records_at(t, port)),
                indices(full.records_at(t, port)),
                "{what}: records at {t:?}/{port}"
            );
        }
    }
    for r in full.records.iter() {
        if let Some(code) = r
            .service_code
            .as_deref()
            .and_then(|c| c.trim().parse().ok())
        {
            assert_eq!(
                indices(fast.records_with_service_code(code)),
                indices(full.records_with_service_code(code)),
                "{what}: service code {code}"
            );
        }
    }
    for p in full.people.iter() {
        assert_eq!(
            fast.person(&p.id).map(|q| q.span),
            full.person(&p.id).map(|q| q.span),
            "{what}: person {}",
            p.id
        );
    }

    // Then every record and person, in a different order than the document's.
    assert_eq!(fast.format, full.format);
    assert_eq!(fast.updated, full.updated, "{what}: updated");
    assert_eq!(
        fast.records.len(),
        full.records.len(),
        "{what}: record count"
    );
    assert_eq!(fast.people.len(), full.people.len(), "{what}: people count");
    for i in (0..full.records.len()).rev() {
        assert_eq!(
            fast.records.get(i),
            full.records.get(i),
            "{what}: record {i}"
        );
    }
    for i in (0..full.people.len()).rev() {
        assert_eq!(fast.people.get(i), full.people.get(i), "{what}: person {i}");
    }
    path
}

/// The quirks fixture without numeric character references (which the scanner leaves to
/// the full parse), so that it is scanned.
fn scannable_quirks() -> String {
    crate::harness::read("tests/fixtures/registry/quirks.xml").replace("&#233;t&#xE9;", "été")
}

#[test]
fn every_registry_fixture_loads_the_same_both_ways() {
    let mut seen = 0;
    for dir in [
        "tests/fixtures/registry",
        "tests/fixtures/fork",
        "tests/fixtures/bad",
    ] {
        let Ok(entries) = std::fs::read_dir(Path::new(crate::harness::ROOT).join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "xml") {
                let bytes = std::fs::read(&path).expect("read fixture");
                same_both_ways(&path.display().to_string(), &bytes);
                seen += 1;
            }
        }
    }
    assert!(seen >= 10, "only {seen} XML fixtures found");
}

#[test]
fn the_usual_shapes_are_scanned_not_parsed() {
    let quirks = scannable_quirks();
    assert_eq!(same_both_ways("quirks", quirks.as_bytes()), Path_::Scanned);
    // IANA publishes with CRLF line ends.
    let crlf = quirks.replace('\n', "\r\n");
    assert_eq!(
        same_both_ways("quirks, CRLF", crlf.as_bytes()),
        Path_::Scanned
    );
    let bom = format!("\u{feff}{quirks}");
    assert_eq!(
        same_both_ways("quirks, BOM", bom.as_bytes()),
        Path_::Scanned
    );
    for f in [
        "tests/fixtures/fork/base.xml",
        "tests/fixtures/fork/diff-head.xml",
    ] {
        let text = crate::harness::read(f);
        assert_eq!(same_both_ways(f, text.as_bytes()), Path_::Scanned, "{f}");
    }
}

#[test]
fn unusual_documents_go_to_the_full_parse() {
    let quirks = scannable_quirks();
    let cases = [
        // Numeric character reference, CDATA, a DTD: outside the scanner's subset.
        ("char ref", quirks.replace("été", "&#233;t&#xE9;")),
        (
            "cdata",
            quirks.replace("Alpha service", "<![CDATA[Alpha <service>]]>"),
        ),
        (
            "doctype",
            quirks.replacen("<registry", "<!DOCTYPE registry>\n<registry", 1),
        ),
        // Markup or entities inside an indexed field.
        (
            "entity in name",
            quirks.replace("<name>zeta</name>", "<name>z&amp;ta</name>"),
        ),
        (
            "comment in name",
            quirks.replace("<name>zeta</name>", "<name>ze<!-- x -->ta</name>"),
        ),
        (
            "br in number",
            quirks.replace("<number>700</number>", "<number>7<br/>00</number>"),
        ),
        (
            "CR in protocol",
            quirks.replace("<protocol>udp</protocol>", "<protocol>u\rdp</protocol>"),
        ),
        // Namespace prefixes and odd attribute syntax.
        (
            "prefixed root",
            quirks
                .replace("<registry ", "<iana:registry ")
                .replace("</registry>", "</iana:registry>"),
        ),
        // Text after the root element (ignored by the full parse).
        ("text after root", format!("{quirks}trailing")),
        (
            "unquoted attribute",
            quirks.replace("date=\"2001-02\"", "date=2001-02"),
        ),
        (
            "duplicate attribute",
            quirks.replace(
                "<record date=\"2001-02\">",
                "<record date=\"2001-02\" date=\"2002\">",
            ),
        ),
    ];
    for (what, text) in cases {
        assert_ne!(text, quirks, "{what}: the replacement did not apply");
        assert_ne!(
            same_both_ways(what, text.as_bytes()),
            Path_::Scanned,
            "{what}: scanned"
        );
    }
}

#[test]
fn broken_documents_get_the_full_parse_error() {
    let quirks = scannable_quirks();
    let cases = [
        ("truncated", quirks[..quirks.len() / 2].to_string()),
        (
            "mismatched end",
            quirks.replace(
                "</description>\n    <number>700",
                "</descriptoin>\n    <number>700",
            ),
        ),
        (
            "unknown entity",
            quirks.replace("Alpha service", "Alpha &nbsp; service"),
        ),
        (
            "bare ampersand",
            quirks.replace("Alpha service", "Alpha & service"),
        ),
        ("second root", format!("{quirks}<registry/>")),
        (
            "unclosed comment",
            quirks.replace("<!-- a comment is ignored -->", "<!-- a comment"),
        ),
        (
            "dangling end tag",
            quirks.replace("<number>9</number>", "<number>9</number></x>"),
        ),
    ];
    for (what, text) in cases {
        assert_ne!(text, quirks, "{what}: the replacement did not apply");
        assert_eq!(
            same_both_ways(what, text.as_bytes()),
            Path_::Refused,
            "{what}"
        );
    }
}

/// A small deterministic generator (xorshift), so a failure names a reproducible seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bits of XML that make or break documents.
const PIECES: &[&str] = &[
    "<",
    ">",
    "/",
    "/>",
    "</",
    "&",
    "&amp;",
    "&lt;",
    "&#65;",
    "&bogus;",
    ";",
    "\"",
    "'",
    "=",
    " ",
    "\r\n",
    "\r",
    "<!--",
    "-->",
    "<!-- c -->",
    "<?pi x?>",
    "<![CDATA[",
    "]]>",
    "<x>",
    "</x>",
    "<x/>",
    "<br/>",
    "<record>",
    "</record>",
    "<record/>",
    "<name>",
    "</name>",
    "<name>n</name>",
    "<number>",
    "</number>",
    "<number>5</number>",
    "<protocol>tcp</protocol>",
    "<protocol/>",
    "<sc>7</sc>",
    "<person id=\"P\">",
    "</person>",
    "<person id=\"P\"/>",
    "<people>",
    "</people>",
    "<updated>2031-01-01</updated>",
    " a=\"1\"",
    " a='2'",
    ":",
    "é",
];

#[test]
fn mutated_documents_load_the_same_both_ways() {
    let base = scannable_quirks();
    let mut counts = std::collections::BTreeMap::new();
    for seed in 1..=4000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut text = base.clone();
        for _ in 0..1 + rng.below(2) {
            // Positions on character boundaries, so the document stays UTF-8.
            let at = (0..8)
                .map(|_| rng.below(text.len() + 1))
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            match rng.below(3) {
                0 => text.insert_str(at, PIECES[rng.below(PIECES.len())]),
                1 => {
                    let end = (at + 1 + rng.below(12)).min(text.len());
                    if text.is_char_boundary(end) {
                        text.replace_range(at..end, "");
                    }
                }
                _ => {
                    let end = (at + 1 + rng.below(4)).min(text.len());
                    if text.is_char_boundary(end) {
                        text.replace_range(at..end, PIECES[rng.below(PIECES.len())]);
                    }
                }
            }
        }
        let path = same_both_ways(&format!("mutation seed {seed}"), text.as_bytes());
        *counts.entry(format!("{path:?}")).or_insert(0) += 1;
    }
    // Every path must be well exercised, or the comparison proves little.
    for path in ["Scanned", "Parsed", "Refused"] {
        let n = counts.get(path).copied().unwrap_or(0);
        assert!(
            n >= 150,
            "only {n} of 4000 mutations took the {path} path: {counts:?}"
        );
    }
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_registry_loads_the_same_both_ways() {
    let dir = crate::harness::real_registry_dir();
    for file in [
        "service-names-port-numbers.xml",
        "service-names-port-numbers-2026-07-19.xml",
    ] {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "PORTREG_REAL_REGISTRY_DIR is set but {}: {e}",
                path.display()
            )
        });
        assert_eq!(
            same_both_ways_sampled(file, &bytes, 97),
            Path_::Scanned,
            "{file}"
        );
    }
}

#[test]
fn a_mapped_file_loads_like_bytes_in_memory() {
    let tmp = crate::harness::TempDir::new("scan-mapped");
    let quirks = scannable_quirks();
    let path = tmp.write("reg.xml", &quirks);
    let mapped = Registry::load(Path::new(&path)).expect("load");
    let bytes = Registry::from_bytes_eager(&path, quirks.into_bytes()).expect("load");
    assert_eq!(mapped.source(), bytes.source());
    assert_eq!(mapped.records.parsed_count(), 0);
    assert_eq!(
        indices(mapped.records.iter()),
        indices(bytes.records.iter())
    );
    for (a, b) in mapped.records.iter().zip(bytes.records.iter()) {
        assert_eq!(a, b);
    }
    // An empty file cannot be mapped; it is read and refused like any empty registry.
    let empty = tmp.write("empty.xml", "");
    let err = Registry::load(Path::new(&empty)).expect_err("empty");
    assert!(err.message.contains("empty"), "{err}");
}

#[test]
fn line_numbers_are_the_same_before_and_after_the_line_index() {
    // The first few lookups count lines, later ones use an index: all must agree.
    let text = scannable_quirks().replace('\n', "\r\n");
    let reg = Registry::from_bytes("reg.xml", text.clone().into_bytes()).expect("loads");
    assert!(reg.records.len() > 12, "too few records to reach the index");
    for r in reg.records.iter() {
        let before = &text[..r.span.start];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        let got = reg.line_col(r.span.start);
        assert_eq!((got.line, got.column), (line, column), "record {}", r.index);
    }
}
