//! Tests against the real IANA registry files. They never run on copies in the repository:
//! they are ignored by a plain `cargo test`; run them with `--include-ignored` and
//! `PORTREG_REAL_REGISTRY_DIR` set to the folder holding the real files (for example
//! `../shared/registry`). A missing variable or file is a failure.

use std::collections::BTreeSet;

use portreg::testing::model::{PortRange, Transport};
use portreg::testing::registry::{Format, SimilarKind};
use portreg::Registry;

use crate::harness::{
    real_registry_file, REAL_CSV_2024 as CSV_2024, REAL_CURRENT as CURRENT,
    REAL_PREVIOUS as PREVIOUS,
};

fn real(file: &str) -> Registry {
    let path = real_registry_file(file);
    Registry::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// (lower-case name, number as written or "", protocol or "") of every named record.
fn triples(r: &Registry) -> BTreeSet<(String, String, String)> {
    r.records
        .iter()
        .filter_map(|x| {
            Some((
                x.name.as_ref()?.to_ascii_lowercase(),
                x.number.map(|n| n.to_string()).unwrap_or_default(),
                x.protocol.map(|p| p.to_string()).unwrap_or_default(),
            ))
        })
        .collect()
}

fn names_at(reg: &Registry, t: Transport, port: u16) -> Vec<&str> {
    reg.records_at(t, port)
        .into_iter()
        .filter_map(|r| r.name.as_deref())
        .collect()
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_counts_and_versions() {
    let cur = real(CURRENT);
    assert_eq!(cur.format, Format::Xml);
    assert_eq!(cur.record_count(), 14_533);
    assert_eq!(cur.people_count(), 5_615);
    assert_eq!(cur.updated.as_deref(), Some("2026-08-17"));
    assert_eq!(
        cur.records.iter().filter(|r| r.name.is_some()).count(),
        12_809
    );
    assert_eq!(cur.distinct_name_count(), 7_327);
    assert_eq!(
        cur.records.iter().filter(|r| r.number.is_none()).count(),
        1_070
    );
    assert_eq!(
        cur.records.iter().filter(|r| r.protocol.is_none()).count(),
        1_467
    );
    // 766 ranges as written, 6 of them degenerate N-N
    let ranges = cur
        .records
        .iter()
        .filter(|r| {
            r.number_span()
                .is_some_and(|s| cur.span_text(s).contains('-'))
        })
        .count();
    assert_eq!(ranges, 766);

    let prev = real(PREVIOUS);
    assert_eq!(prev.record_count(), 14_528);
    assert_eq!(prev.people_count(), 5_608);
    assert_eq!(prev.updated.as_deref(), Some("2026-07-19"));

    let csv = real(CSV_2024);
    assert_eq!(csv.format, Format::Csv);
    assert_eq!(csv.record_count(), 14_447);
    assert_eq!(csv.people_count(), 0);
    assert_eq!(
        csv.updated.as_deref(),
        Some("2024-04-30"),
        "newest row date"
    );
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_spans_point_at_the_source() {
    let cur = real(CURRENT);
    for r in &cur.records {
        let text = cur.record_text(r);
        assert!(
            text.starts_with("<record") && text.ends_with("</record>"),
            "{}",
            r.index
        );
        if let (Some(name), Some(span)) = (&r.name, r.name_span()) {
            assert_eq!(cur.span_text(span), name);
        }
        for (id, span) in &r.person_spans {
            assert_eq!(cur.span_text(*span), id);
        }
    }
    // the first record is Reserved tcp 0, starting on line 54
    let r = &cur.records[0];
    assert!(r.is_reserved());
    assert_eq!(cur.line_col(r.span.start).line, 54);
    let csv = real(CSV_2024);
    for r in &csv.records {
        let text = csv.record_text(r);
        assert!(!text.starts_with(['\r', '\n']) && !text.ends_with(['\r', '\n']));
        if let (Some(name), Some(span)) = (&r.name, r.name_span()) {
            assert_eq!(csv.span_text(span), name);
        }
    }
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_people_are_closed() {
    let cur = real(CURRENT);
    let referenced: BTreeSet<&str> = cur
        .records
        .iter()
        .flat_map(|r| r.person_spans.iter().map(|(id, _)| id.as_str()))
        .collect();
    let people: BTreeSet<&str> = cur.people.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        referenced, people,
        "every referenced id exists and every person is used"
    );
    let p = cur.person("[_3GPP]").unwrap();
    assert_eq!(p.org.as_deref(), Some("3GPP"));
    assert!(p.uris[0].starts_with("mailto:") && p.uris[0].contains('&'));
    assert_eq!(cur.people.iter().filter(|p| p.uris.len() == 2).count(), 7);
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_lookups() {
    let cur = real(CURRENT);
    let at80 = names_at(&cur, Transport::Tcp, 80);
    assert!(at80.contains(&"http"), "{at80:?}");
    let x11 = cur.records_at(Transport::Tcp, 6010);
    assert!(x11
        .iter()
        .any(|r| r.name.as_deref() == Some("x11")
            && r.number == Some(PortRange { lo: 6000, hi: 6063 })));
    for t in Transport::ALL {
        assert_eq!(names_at(&cur, t, 1021), vec!["exp1"], "{t}");
    }
    let exp1: BTreeSet<Transport> = cur
        .records_named("exp1")
        .filter_map(|r| r.protocol)
        .collect();
    assert_eq!(exp1.len(), 4);
    let http: Vec<_> = cur.records_named("HTTP").collect();
    assert!(!http.is_empty());
    assert!(http.iter().all(|r| r.name.as_deref() == Some("http")));
    // a protocol-less Unassigned range covers sctp and dccp too
    let un = cur.records_at(Transport::Dccp, 48_100);
    assert!(un.iter().any(|r| r.is_unassigned()), "{un:?}");
    // nothing is registered in the Dynamic range
    assert!(cur.records_at(Transport::Tcp, 50_000).is_empty());
    // DCCP service codes
    let discard = cur.records_with_service_code(1_145_656_131);
    assert_eq!(discard.len(), 1);
    assert_eq!(discard[0].name.as_deref(), Some("discard"));
    assert_eq!(discard[0].protocol, Some(Transport::Dccp));
    // similar names
    let sim = cur.similar_names("x-11");
    assert!(sim
        .iter()
        .any(|s| s.record_name == "x11" && s.kind == SimilarKind::Hyphens));
    let sim = cur.similar_names("https");
    assert!(sim
        .iter()
        .all(|s| !s.record_name.eq_ignore_ascii_case("https")));
    assert!(sim
        .iter()
        .any(|s| s.record_name == "http" && s.kind == SimilarKind::OneEdit));
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_reserved_other_transport_pattern() {
    let cur = real(CURRENT);
    // Named single tcp ports with no named udp record: almost all reserve udp.
    let mut total = 0;
    let mut reserved = 0;
    for r in &cur.records {
        let (Some(_), Some(Transport::Tcp), Some(n)) = (&r.name, r.protocol, r.number) else {
            continue;
        };
        if !n.is_single() {
            continue;
        }
        let udp = cur.records_at(Transport::Udp, n.lo);
        if udp.iter().any(|x| x.name.is_some()) {
            continue;
        }
        total += 1;
        if udp
            .iter()
            .any(|x| x.protocol == Some(Transport::Udp) && x.is_reserved())
        {
            reserved += 1;
        }
    }
    eprintln!("tcp-only named single ports: {total}, with a udp Reserved record: {reserved}");
    assert_eq!((total, reserved), (566, 557));

    // snif got udp 7123 (Reserved on 2026-07-19) on 2026-08-17.
    assert_eq!(names_at(&cur, Transport::Udp, 7123), vec!["snif"]);
    assert_eq!(names_at(&cur, Transport::Tcp, 7123), vec!["snif"]);
    let prev = real(PREVIOUS);
    let before = prev.records_at(Transport::Udp, 7123);
    assert_eq!(before.len(), 1);
    assert!(before[0].is_reserved() && before[0].protocol == Some(Transport::Udp));
    assert_eq!(names_at(&prev, Transport::Tcp, 7123), vec!["snif"]);

    // previous -> current only added named records, none removed
    let (p, c) = (triples(&prev), triples(&cur));
    assert!(p.is_subset(&c));
    let added: Vec<_> = c.difference(&p).collect();
    eprintln!("added since 2026-07-19: {added:?}");
    assert_eq!(added.len(), 6);
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_csv_2024_agrees_with_xml_2026_07() {
    let xml = real(PREVIOUS);
    let csv = real(CSV_2024);
    let (c, x) = (triples(&csv), triples(&xml));
    let only_csv: Vec<_> = c.difference(&x).collect();
    eprintln!("in the 2024-04 CSV but not the 2026-07-19 XML: {only_csv:?}");
    let xml_names: BTreeSet<&str> = x.iter().map(|t| t.0.as_str()).collect();
    // Renamed or removed since 2024-04: their names are gone entirely.
    let gone: BTreeSet<&str> = only_csv
        .iter()
        .filter(|t| !xml_names.contains(t.0.as_str()))
        .map(|t| t.0.as_str())
        .collect();
    assert_eq!(
        gone,
        BTreeSet::from([
            "apple remote desktop (net assistant)",
            "avi-nms",
            "avi-nms-disc",
            "escale (newton dock)",
            "fox-skytale",
            "pearldoc-xact",
            "pmcdproxy",
        ])
    );
    // Ports de-assigned while the name stays registered without a number.
    let deassigned: BTreeSet<&str> = only_csv
        .iter()
        .filter(|t| xml_names.contains(t.0.as_str()))
        .map(|t| t.0.as_str())
        .collect();
    assert_eq!(
        deassigned,
        BTreeSet::from([
            "compressnet",
            "netconf-beep",
            "netconfsoapbeep",
            "netconfsoaphttp"
        ])
    );
    for name in &deassigned {
        assert!(
            xml.records_named(name).all(|r| r.number.is_none()),
            "{name}"
        );
    }
    assert_eq!(only_csv.len(), 22);
    // So no port moved: every CSV triple whose name still has a number in the XML is in it.

    // Everything the XML added since is dated 2024-04 or later, except the name-only
    // remains of the de-assigned NETCONF ports and one undated DNS-SD record (oro tcp).
    let mut undated = BTreeSet::new();
    for r in &xml.records {
        let Some(name) = &r.name else { continue };
        let t = (
            name.to_ascii_lowercase(),
            r.number.map(|n| n.to_string()).unwrap_or_default(),
            r.protocol.map(|p| p.to_string()).unwrap_or_default(),
        );
        if c.contains(&t) {
            continue;
        }
        let newest = [r.date.as_deref(), r.updated.as_deref()]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or("");
        if newest < "2024-04" {
            undated.insert(format!("{} {}", t.0, t.2));
        }
    }
    assert_eq!(
        undated,
        BTreeSet::from([
            "netconf-beep ".to_string(),
            "netconfsoapbeep ".to_string(),
            "netconfsoaphttp ".to_string(),
            "oro tcp".to_string(),
        ])
    );
}
