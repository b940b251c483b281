//! Hermetic tests of the registry loaders and index, on small hand-written fixtures.

use std::path::{Path, PathBuf};

use portreg::testing::model::{PortRange, Transport};
use portreg::testing::registry::{Format, LoadErrorKind, RefKind, SimilarKind, MAX_REGISTRY_BYTES};
use portreg::{LoadError, Registry};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/registry")
        .join(name)
}

fn load(name: &str) -> Registry {
    match Registry::load(&fixture(name)) {
        Ok(r) => r,
        Err(e) => panic!("{name} should load: {e}"),
    }
}

fn load_err(name: &str) -> LoadError {
    match Registry::load(&fixture(name)) {
        Ok(_) => panic!("{name} should not load"),
        Err(e) => e,
    }
}

fn named<'r>(reg: &'r Registry, name: &str) -> Vec<&'r portreg::testing::registry::Record> {
    reg.records_named(name).collect()
}

fn names_at(reg: &Registry, t: Transport, port: u16) -> Vec<String> {
    reg.records_at(t, port)
        .iter()
        .map(|r| {
            r.name
                .clone()
                .unwrap_or_else(|| format!("<{}>", r.description.trim()))
        })
        .collect()
}

#[test]
fn xml_registry_level() {
    let reg = load("quirks.xml");
    assert_eq!(reg.format, Format::Xml);
    assert_eq!(reg.format.as_str(), "xml");
    assert_eq!(reg.updated.as_deref(), Some("2030-01-02"));
    assert_eq!(reg.record_count(), 14);
    assert_eq!(reg.people_count(), 4);
    assert_eq!(reg.line_starts()[0], 0);
    assert_eq!(reg.line_col(0).line, 1);
    for (i, r) in reg.records.iter().enumerate() {
        assert_eq!(r.index, i);
        let text = reg.record_text(r);
        assert!(
            text.starts_with("<record") && text.ends_with("</record>"),
            "{text}"
        );
    }
}

#[test]
fn xml_reserved_record_and_spans() {
    let reg = load("quirks.xml");
    let r = &reg.records[0];
    assert_eq!(r.name, None);
    assert_eq!(r.protocol, Some(Transport::Tcp));
    assert_eq!(r.number, Some(PortRange::single(0)));
    assert!(r.is_reserved());
    assert!(!r.is_unassigned());
    assert_eq!(r.updated.as_deref(), Some("2020-01-01"));
    assert_eq!(r.date, None);
    assert_eq!(reg.span_text(r.updated_span().unwrap()), "2020-01-01");
    assert_eq!(reg.span_text(r.protocol_span().unwrap()), "tcp");
    assert_eq!(reg.span_text(r.number_span().unwrap()), "0");
    assert_eq!(reg.line_col(r.span.start).line, 10);
    assert_eq!(reg.line_col(r.span.end).line, 15);
    assert_eq!(r.references.len(), 1);
    assert_eq!(r.references[0].kind, RefKind::Rfc);
    assert_eq!(r.references[0].data, "rfc6335");
    assert_eq!(reg.span_text(r.references[0].span), "rfc6335");
}

#[test]
fn xml_unassigned_and_empty_name() {
    let reg = load("quirks.xml");
    let r = &reg.records[1];
    assert!(r.is_unassigned());
    assert_eq!(r.protocol, None);
    assert_eq!(r.number, Some(PortRange { lo: 1, hi: 6 }));
    // empty <name/> is None
    let r = &reg.records[3];
    assert_eq!(r.name, None);
    assert_eq!(r.name_span(), None);
    assert_eq!(r.protocol, Some(Transport::Udp));
    assert!(r.is_reserved());
    // lower-case, padded "unassigned" still counts
    let r = &reg.records[10];
    assert_eq!(r.description, " unassigned ");
    assert!(r.is_unassigned());
}

#[test]
fn xml_varied_element_order_and_service_code() {
    let reg = load("quirks.xml");
    let g = named(&reg, "gamma");
    assert_eq!(g.len(), 1);
    let g = g[0];
    assert_eq!(g.index, 4);
    assert_eq!(g.protocol, Some(Transport::Dccp));
    assert_eq!(g.number, Some(PortRange::single(9)));
    assert_eq!(g.service_code.as_deref(), Some("1145656131"));
    assert_eq!(reg.span_text(g.sc_span().unwrap()), "1145656131");
    assert_eq!(g.contact, vec!["Ann_Example"]);
    assert!(g.assignee.is_empty());
    let x = named(&reg, "xwin")[0];
    assert_eq!(x.number, Some(PortRange { lo: 100, hi: 163 }));
    assert_eq!(x.description, "X Window-like");
    assert_eq!(reg.records_with_service_code(1145656131).len(), 1);
    assert!(reg.records_with_service_code(42).is_empty());
}

#[test]
fn xml_legacy_alias_with_br() {
    let reg = load("quirks.xml");
    let r = named(&reg, "old_name")[0];
    assert_eq!(
        r.description,
        "old_name\n\n\nIANA assigned this well-formed service name as a replacement for \"old_name\"."
    );
    assert_eq!(
        r.note.as_deref(),
        Some("This entry is an alias to \"old-name\".")
    );
    assert_eq!(r.contact, Vec::<String>::new());
    assert_eq!(r.date, None);
}

#[test]
fn xml_every_xref_type_assignee_and_contact() {
    let reg = load("quirks.xml");
    let b = named(&reg, "beta-svc");
    assert_eq!(b.len(), 1);
    let b = b[0];
    assert_eq!(b.name.as_deref(), Some("Beta-Svc"));
    assert_eq!(b.date.as_deref(), Some("2024-09-23"));
    assert_eq!(b.updated.as_deref(), Some("2025-01-15"));
    assert_eq!(reg.span_text(b.date_span().unwrap()), "2024-09-23");
    assert_eq!(b.assignee, vec!["IESG"]);
    assert_eq!(b.contact, vec!["Ann_Example", "Bob_Example"]);
    assert_eq!(
        b.description, " Beta & friends per [RFC9483]",
        "entities decoded, inline xref rendered, whitespace kept"
    );
    assert_eq!(
        b.note.as_deref(),
        Some("Defined TXT keys: None\nask [Bob_Example]")
    );
    assert_eq!(
        b.unauthorized.as_deref(),
        Some("Known Unauthorized Use on 300")
    );
    let refs: Vec<(RefKind, &str)> = b
        .references
        .iter()
        .map(|r| (r.kind, r.data.as_str()))
        .collect();
    assert_eq!(
        refs,
        vec![
            (RefKind::Rfc, "rfc9999"),
            (RefKind::Draft, "draft-ietf-foo-bar-05"),
            (RefKind::Uri, "https://example.org/spec?a=1&b=2"),
            (RefKind::Text, "ISO/IEC 1234 <x>"),
            (RefKind::Note, "1"),
        ]
    );
    assert_eq!(b.references[1].section.as_deref(), Some("4.3"));
    assert_eq!(
        b.references[1].text.as_deref(),
        Some("draft-ietf-foo-bar-05, Section 4.3")
    );
    assert_eq!(b.references[2].text.as_deref(), Some("Spec & more"));
    assert_eq!(
        reg.span_text(b.references[2].span),
        "https://example.org/spec?a=1&amp;b=2"
    );
    assert_eq!(
        reg.span_text(b.references[3].span),
        "ISO/IEC 1234 &lt;x&gt;"
    );
    // assignee, inline person in the note, then the two contacts
    let persons: Vec<(&str, &str)> = b
        .person_spans
        .iter()
        .map(|(id, s)| (id.as_str(), reg.span_text(*s)))
        .collect();
    assert_eq!(
        persons,
        vec![
            ("IESG", "IESG"),
            ("Bob_Example", "Bob_Example"),
            ("Ann_Example", "Ann_Example"),
            ("Bob_Example", "Bob_Example"),
        ]
    );
    let line = reg.line_col(b.person_spans[0].1.start);
    assert_eq!((line.line, line.column), (65, 33));
}

#[test]
fn xml_protocol_less_unknown_elements_char_refs_and_paragraphs() {
    let reg = load("quirks.xml");
    let d = named(&reg, "delta")[0];
    assert_eq!(d.protocol, None);
    assert_eq!(d.number, Some(PortRange { lo: 400, hi: 409 }));
    let z = named(&reg, "zeta")[0];
    assert_eq!((z.protocol, z.number), (None, None));
    let p = named(&reg, "polo")[0];
    assert_eq!(p.description, "Polo été");
    assert_eq!(p.number, Some(PortRange::single(700)));
    let e = named(&reg, "epsilon")[0];
    assert_eq!(e.number, None);
    assert_eq!(e.note.as_deref(), Some("Defined TXT keys:\ntxtvers=1"));
}

#[test]
fn xml_people() {
    let reg = load("quirks.xml");
    let ann = reg.person("Ann_Example").unwrap();
    assert_eq!(ann.name.as_deref(), Some("Ann Example"));
    assert_eq!(ann.uris, vec!["mailto:ann&example.com"]);
    assert_eq!(ann.updated.as_deref(), Some("2020-01-01"));
    assert!(reg
        .span_text(ann.span)
        .starts_with("<person id=\"Ann_Example\">"));
    let bob = reg.person("[Bob_Example]").unwrap();
    assert_eq!(bob.name, None);
    assert_eq!(bob.org.as_deref(), Some("Bob Org"));
    assert_eq!(bob.uris, vec!["mailto:bob&example.org", "tel:+1-555-0100"]);
    let carol = reg.person("Carol_Example").unwrap();
    assert_eq!(carol.name, None);
    assert_eq!(carol.uris, vec![""]);
    assert!(reg.person("Nobody").is_none());
    assert!(
        reg.person("ann_example").is_none(),
        "ids are case-sensitive"
    );
}

#[test]
fn index_ports() {
    let reg = load("quirks.xml");
    assert_eq!(names_at(&reg, Transport::Tcp, 7), vec!["alpha-svc"]);
    assert_eq!(names_at(&reg, Transport::Udp, 7), vec!["<Reserved>"]);
    assert!(names_at(&reg, Transport::Sctp, 7).is_empty());
    // a range covers every number inside, on its own transport only
    assert_eq!(names_at(&reg, Transport::Tcp, 130), vec!["xwin"]);
    assert_eq!(names_at(&reg, Transport::Tcp, 100), vec!["xwin"]);
    assert_eq!(names_at(&reg, Transport::Tcp, 163), vec!["xwin"]);
    assert!(names_at(&reg, Transport::Tcp, 164).is_empty());
    assert!(names_at(&reg, Transport::Udp, 130).is_empty());
    // protocol-less records cover every transport
    for t in Transport::ALL {
        assert_eq!(names_at(&reg, t, 3), vec!["<Unassigned>"], "{t}");
        assert_eq!(names_at(&reg, t, 405), vec!["delta"], "{t}");
    }
    // two names on one port, in document order
    assert_eq!(
        names_at(&reg, Transport::Tcp, 200),
        vec!["old_name", "old-name"]
    );
    assert!(names_at(&reg, Transport::Tcp, 65535).is_empty());
    let x = named(&reg, "xwin")[0];
    assert!(x.covers(Transport::Tcp, 150));
    assert!(!x.covers(Transport::Udp, 150));
    assert!(named(&reg, "delta")[0].covers(Transport::Dccp, 400));
}

#[test]
fn index_names_case_insensitive() {
    let reg = load("quirks.xml");
    assert_eq!(named(&reg, "BETA-SVC").len(), 1);
    assert_eq!(named(&reg, "beta-svc")[0].name.as_deref(), Some("Beta-Svc"));
    assert_eq!(named(&reg, "Alpha-Svc").len(), 1);
    assert!(named(&reg, "alpha").is_empty());
    assert!(named(&reg, "").is_empty());
}

fn similar(reg: &Registry, q: &str) -> Vec<(String, SimilarKind)> {
    reg.similar_names(q)
        .into_iter()
        .map(|s| (s.record_name.to_string(), s.kind))
        .collect()
}

#[test]
fn index_similar_names() {
    let reg = load("quirks.xml");
    use SimilarKind::*;
    assert_eq!(
        similar(&reg, "alphasvc"),
        vec![("alpha-svc".into(), Hyphens)]
    );
    assert_eq!(similar(&reg, "BetaSvc"), vec![("Beta-Svc".into(), Hyphens)]);
    assert_eq!(similar(&reg, "p0lo"), vec![("polo".into(), LookAlike)]);
    assert_eq!(similar(&reg, "P0L0"), vec![("polo".into(), LookAlike)]);
    assert_eq!(
        similar(&reg, "epsiion"),
        vec![("epsilon".into(), LookAlike)]
    );
    assert_eq!(similar(&reg, "epsilom"), vec![("epsilon".into(), OneEdit)]);
    assert_eq!(similar(&reg, "epsilo"), vec![("epsilon".into(), OneEdit)]);
    assert_eq!(similar(&reg, "epsilonn"), vec![("epsilon".into(), OneEdit)]);
    assert_eq!(similar(&reg, "zetas"), vec![("zeta".into(), OneEdit)]);
    // the old_name/old-name pair: both hyphen/underscore-insensitive one-edit neighbours
    assert_eq!(
        similar(&reg, "old.name"),
        vec![("old-name".into(), OneEdit), ("old_name".into(), OneEdit)]
    );
    // one edit needs a query of 5+ characters
    assert!(similar(&reg, "zeto").is_empty());
    assert!(similar(&reg, "gamm").is_empty());
    // exact (case-insensitive) matches are excluded
    assert!(similar(&reg, "EPSILON").is_empty());
    assert_eq!(
        similar(&reg, "old-name"),
        vec![("old_name".into(), OneEdit)]
    );
    assert!(similar(&reg, "omega-svc").is_empty());
    assert!(similar(&reg, "").is_empty());
}

#[test]
fn csv_registry() {
    let reg = load("quirks.csv");
    assert_eq!(reg.format, Format::Csv);
    assert_eq!(reg.format.as_str(), "csv");
    assert_eq!(reg.record_count(), 7);
    assert_eq!(reg.people_count(), 0);
    assert_eq!(
        reg.updated.as_deref(),
        Some("2025-01-15"),
        "newest row date"
    );

    let r = &reg.records[0];
    assert_eq!((r.name.clone(), r.protocol), (None, Some(Transport::Tcp)));
    assert!(r.is_reserved());
    assert_eq!(r.updated.as_deref(), Some("2020-01-01"));
    assert_eq!(
        reg.record_text(r),
        ",0,tcp,Reserved,,,,2020-01-01,[RFC6335],,,"
    );
    assert_eq!(reg.line_col(r.span.start).line, 2);
    assert_eq!(r.references[0].kind, RefKind::Rfc);
    assert_eq!(r.references[0].data, "rfc6335");
    assert_eq!(reg.span_text(r.references[0].span), "RFC6335");

    let r = &reg.records[1];
    assert!(r.is_unassigned());
    assert_eq!(
        (r.protocol, r.number),
        (None, Some(PortRange { lo: 1, hi: 6 }))
    );
    assert_eq!(r.protocol_span(), None);

    let a = &reg.records[2];
    assert_eq!(a.name.as_deref(), Some("alpha-svc"));
    assert_eq!(reg.span_text(a.name_span().unwrap()), "alpha-svc");
    assert_eq!(a.assignee, vec!["Ann_Example"]);
    assert_eq!(a.contact, vec!["Ann_Example"]);
    assert_eq!(a.date.as_deref(), Some("2001-02"));
    assert_eq!(a.updated, None);

    let x = &reg.records[3];
    assert_eq!(x.description, "X Window, like");
    assert_eq!(x.number, Some(PortRange { lo: 100, hi: 163 }));

    let b = &reg.records[4];
    assert_eq!(b.index, 4);
    assert_eq!(reg.line_col(b.span.start).line, 6);
    assert_eq!(
        reg.line_col(b.span.end).line,
        8,
        "two quoted cells with a line break each"
    );
    assert_eq!(b.description, "Beta \"quoted\"\nsecond line");
    assert_eq!(b.assignee, vec!["IESG"]);
    assert_eq!(b.contact, vec!["Ann_Example", "Bob_Example"]);
    let persons: Vec<(&str, &str)> = b
        .person_spans
        .iter()
        .map(|(id, s)| (id.as_str(), reg.span_text(*s)))
        .collect();
    assert_eq!(
        persons,
        vec![
            ("IESG", "IESG"),
            ("Ann_Example", "Ann_Example"),
            ("Bob_Example", "Bob_Example")
        ]
    );
    let refs: Vec<(RefKind, &str)> = b
        .references
        .iter()
        .map(|r| (r.kind, r.data.as_str()))
        .collect();
    assert_eq!(
        refs,
        vec![
            (RefKind::Rfc, "rfc9999"),
            (RefKind::Draft, "draft-ietf-foo-bar-05"),
            (RefKind::Uri, "https://example.org/spec"),
            (RefKind::Text, "ISO/IEC 1234"),
            (RefKind::Note, "1"),
        ]
    );
    assert_eq!(
        b.unauthorized.as_deref(),
        Some("Known Unauthorized Use on 300")
    );
    assert_eq!(
        b.note.as_deref(),
        Some("Defined TXT keys: None\nask [Bob_Example]")
    );
    assert_eq!(b.service_code, None);

    let g = &reg.records[5];
    assert_eq!(g.protocol, Some(Transport::Dccp));
    assert_eq!(g.service_code.as_deref(), Some("1145656131"));
    assert_eq!(reg.records_with_service_code(1145656131)[0].index, 5);

    let e = &reg.records[6];
    assert_eq!((e.number, e.number_span()), (None, None));
    assert_eq!(e.note.as_deref(), Some("Defined TXT keys:\ntxtvers=1"));
    assert_eq!(reg.line_col(e.span.start).line, 10);
    assert!(reg.record_text(e).ends_with("txtvers=1\""));

    // the index works the same on CSV
    assert_eq!(names_at(&reg, Transport::Tcp, 120), vec!["xwin"]);
    assert_eq!(names_at(&reg, Transport::Sctp, 4), vec!["<Unassigned>"]);
    assert_eq!(named(&reg, "BETA-SVC").len(), 1);
    assert!(reg.person("Ann_Example").is_none());
}

#[test]
fn csv_with_bom_is_accepted() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(std::fs::read(fixture("quirks.csv")).unwrap());
    let reg = Registry::from_bytes("bom.csv", bytes).unwrap();
    assert_eq!(reg.record_count(), 7);
    assert_eq!(
        reg.record_text(&reg.records[0]),
        ",0,tcp,Reserved,,,,2020-01-01,[RFC6335],,,"
    );
}

fn assert_malformed(e: &LoadError, line: usize, needle: &str) {
    assert_eq!(e.kind, LoadErrorKind::Malformed, "{e}");
    assert_eq!(e.line, Some(line), "{e}");
    assert!(e.message.contains(needle), "{e}");
    assert!(e.offset.is_some(), "{e}");
    assert!(e.column.is_some(), "{e}");
}

#[test]
fn error_truncated_xml() {
    let e = load_err("truncated.xml");
    assert_malformed(&e, 7, "");
    let len = std::fs::metadata(fixture("truncated.xml")).unwrap().len() as usize;
    assert_eq!(e.offset, Some(len));
    // Display is path:line:col: message
    let shown = e.to_string();
    assert!(shown.contains("truncated.xml:7:"), "{shown}");
    // every prefix of a good registry fails cleanly, never panics
    let good = std::fs::read_to_string(fixture("quirks.xml")).unwrap();
    for cut in (1..good.len()).step_by(7) {
        if !good.is_char_boundary(cut) {
            continue;
        }
        let r = Registry::from_bytes("cut.xml", good.as_bytes()[..cut].to_vec());
        assert!(r.is_err(), "prefix of {cut} bytes loaded");
    }
}

#[test]
fn error_truncated_record_names_the_element() {
    let text = "<registry>\n  <record>\n    <name>x</name>\n";
    let e = Registry::from_bytes("t.xml", text.as_bytes().to_vec()).unwrap_err();
    assert_malformed(&e, 4, "<record> opened at line 2 is not closed");
    assert_eq!(e.offset, Some(text.len()));
}

#[test]
fn error_html_page() {
    let e = load_err("page.html");
    assert_malformed(&e, 1, "this is an HTML page, not a registry");
    let e = load_err("html-root.xml");
    assert_malformed(&e, 2, "this is an HTML page, not a registry");
    let e = Registry::from_bytes("p", b"\n  <!doctype HTML><html></html>".to_vec()).unwrap_err();
    assert_malformed(&e, 2, "HTML page");
}

#[test]
fn error_other_root() {
    let e = Registry::from_bytes("r.xml", b"<?xml version='1.0'?>\n<feed/>".to_vec()).unwrap_err();
    assert_malformed(&e, 2, "root element is <feed>");
}

#[test]
fn error_json() {
    let e = load_err("registry.json");
    assert_malformed(&e, 1, "JSON, not a registry");
    let e = Registry::from_bytes("x", b"  [1,2]".to_vec()).unwrap_err();
    assert_malformed(&e, 1, "JSON");
}

#[test]
fn error_invalid_utf8() {
    let mut bytes = b"<?xml version='1.0'?>\n<registry>\n  <title>caf".to_vec();
    let bad_at = bytes.len();
    bytes.extend([0xE9, b'<', b'/']);
    bytes.extend(b"title>\n</registry>\n");
    let dir = crate::harness::TempDir::new("registry-load-utf8");
    let path = dir.join("bad.xml");
    std::fs::write(&path, &bytes).unwrap();
    let e = Registry::load(&path).unwrap_err();
    assert_eq!(e.kind, LoadErrorKind::Utf8);
    assert_eq!(e.offset, Some(bad_at));
    assert_eq!(e.line, Some(3));
    assert_eq!(e.column, Some(13));
    assert!(e.message.contains("UTF-8"), "{e}");
}

#[test]
fn error_billion_laughs_and_external_entities() {
    let e = load_err("billion-laughs.xml");
    assert_malformed(
        &e,
        2,
        "DTD entity declarations are not allowed in a registry",
    );
    let e = load_err("external-entity.xml");
    assert_malformed(
        &e,
        2,
        "DTD entity declarations are not allowed in a registry",
    );
    assert!(
        !e.message.contains("root:"),
        "nothing was read from /etc/passwd"
    );
}

#[test]
fn error_unknown_entity_is_not_expanded() {
    let e = load_err("unknown-entity.xml");
    assert_malformed(&e, 4, "unknown entity reference &lol9;");
    let e = Registry::from_bytes(
        "a.xml",
        b"<registry>\n<record updated=\"&x;\"><description/></record></registry>".to_vec(),
    )
    .unwrap_err();
    assert_malformed(&e, 2, "&x;");
}

#[test]
fn error_csv_header_and_columns() {
    let e = load_err("bad-header.csv");
    assert_malformed(
        &e,
        1,
        "Service Name,Port Number,Transport Protocol,Description",
    );
    assert!(e.message.contains("`Service,Port,Protocol`"), "{e}");
    let e = load_err("bad-columns.csv");
    assert_malformed(
        &e,
        3,
        "the CSV row on line 3 has 4 fields; the IANA registry CSV has 12",
    );
}

#[test]
fn error_empty_and_not_a_registry() {
    let e = Registry::from_bytes("e", Vec::new()).unwrap_err();
    assert_malformed(&e, 1, "empty");
    let e = Registry::from_bytes("e", b" \n\t".to_vec()).unwrap_err();
    assert_eq!(e.kind, LoadErrorKind::Malformed);
    let e = Registry::from_bytes("e", b"hello world\n".to_vec()).unwrap_err();
    assert_malformed(&e, 1, "Service Name,Port Number");
}

#[test]
fn error_io_and_too_large() {
    let e = Registry::load(Path::new("/nonexistent/portreg/registry.xml")).unwrap_err();
    assert_eq!(e.kind, LoadErrorKind::Io);
    assert_eq!(e.line, None);
    assert!(
        e.to_string()
            .starts_with("/nonexistent/portreg/registry.xml: "),
        "{e}"
    );

    // a sparse file over the limit is refused from its metadata, before reading
    let dir = crate::harness::TempDir::new("registry-load-big");
    let path = dir.join("big.xml");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(MAX_REGISTRY_BYTES + 1).unwrap();
    drop(f);
    let e = Registry::load(&path).unwrap_err();
    assert_eq!(e.kind, LoadErrorKind::TooLarge);
    assert!(e.message.contains("64 MiB"), "{e}");

    let e = Registry::from_bytes("b", vec![b' '; MAX_REGISTRY_BYTES as usize + 1]).unwrap_err();
    assert_eq!(e.kind, LoadErrorKind::TooLarge);
}

#[test]
fn garbage_never_panics() {
    let inputs: [&[u8]; 12] = [
        b"<",
        b"<registry",
        b"<registry>",
        b"<registry><record><xref type=\"person\"/></record></registry>",
        b"<registry><record><number>99999999</number><description/></record></registry>",
        b"<registry><record><assignee><xref/></assignee></record></registry>",
        b"<registry></registry><registry/>",
        b"<registry><people><person><uri/></person><person/></people></registry>",
        b"<registry>&#0;</registry>",
        b"<registry><record><description>a &amp b</description></record></registry>",
        b"Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,Registration Date,Modification Date,Reference,Service Code,Unauthorized Use Reported,Assignment Notes\r\n\"unterminated",
        b"<registry><record a='1' a='2'/></registry>",
    ];
    for input in inputs {
        let _ = Registry::from_bytes("g", input.to_vec());
    }
    let ok = Registry::from_bytes(
        "g",
        b"<registry><record><number>99999999</number><description/></record></registry>".to_vec(),
    )
    .unwrap();
    let r = &ok.records[0];
    assert_eq!(r.number, None, "an out-of-range number is not a port");
    assert_eq!(ok.span_text(r.number_span().unwrap()), "99999999");
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn mutate(base: &[u8], edits: &[(usize, u8, u8)], cut: Option<usize>) -> Vec<u8> {
        let mut v = base.to_vec();
        for &(pos, op, byte) in edits {
            if v.is_empty() {
                break;
            }
            let i = pos % v.len();
            match op % 3 {
                0 => v[i] = byte,
                1 => v.insert(i, byte),
                _ => {
                    v.remove(i);
                }
            }
        }
        if let Some(cut) = cut {
            v.truncate(cut % (v.len() + 1));
        }
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Any corruption of a good registry loads or fails with an error; it never panics,
        /// and every span of a loaded record lies inside the text.
        #[test]
        fn mutated_registries_never_panic(
            csv in any::<bool>(),
            edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..6),
            cut in proptest::option::of(any::<usize>()),
        ) {
            let name = if csv { "quirks.csv" } else { "quirks.xml" };
            let base = std::fs::read(fixture(name)).unwrap();
            let bytes = mutate(&base, &edits, cut);
            if let Ok(reg) = Registry::from_bytes(name, bytes) {
                for r in &reg.records {
                    prop_assert!(r.span.end <= reg.source().len());
                    let _ = reg.record_text(r);
                    let _ = reg.line_col(r.span.start);
                    for (_, s) in &r.person_spans {
                        prop_assert!(s.end <= reg.source().len());
                    }
                }
                let _ = reg.similar_names("alpha-svc");
                let _ = reg.records_at(Transport::Tcp, 7);
            }
        }
    }
}
