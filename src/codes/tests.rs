use super::*;

const SMALL: &str = r#"<?xml version='1.0' encoding='UTF-8'?>
<registry xmlns="http://www.iana.org/assignments" id="service-codes">
  <title>Service Codes</title>
  <updated>2014-03-14</updated>
  <registry id="service-codes-1">
    <note>Codes &amp; notes</note>
    <record>
      <value>0</value>
      <description>Reserved</description>
      <xref type="rfc" data="rfc4340"/>
    </record>
    <record>
      <value>1145656131</value>
      <ascii>DISC</ascii>
      <description>Discard</description>
      <xref type="rfc" data="rfc4340"/>
    </record>
    <record>
      <value>1381257301</value>
      <description>Reserved (see Note above)</description>
    </record>
    <record>
      <value>1852861809-4294967294</value>
      <description>Reserved (see Note above)</description>
    </record>
  </registry>
</registry>
"#;

fn load(text: &str) -> Result<ServiceCodes, LoadError> {
    ServiceCodes::from_bytes("codes.xml", text.as_bytes().to_vec())
}

#[test]
fn reads_rows_with_positions() {
    let codes = load(SMALL).expect("loads");
    assert_eq!(codes.updated.as_deref(), Some("2014-03-14"));
    assert_eq!(codes.rows.len(), 4);
    let disc = &codes.rows[1];
    assert_eq!((disc.lo, disc.hi), (1145656131, 1145656131));
    assert_eq!(disc.ascii.as_deref(), Some("DISC"));
    assert_eq!(disc.description, "Discard");
    assert_eq!(disc.rfcs().collect::<Vec<_>>(), vec![4340]);
    assert_eq!(
        &SMALL[disc.value_span.start..disc.value_span.end],
        "1145656131"
    );
    assert_eq!(codes.line_col(disc.value_span.start).line, 13);
    assert!(disc.is_assignment());
    // A single-value Reserved filler row is not an assignment; nor is code 0.
    assert!(!codes.rows[0].is_assignment());
    assert!(!codes.rows[2].is_assignment());
    assert_eq!(
        (codes.rows[3].lo, codes.rows[3].hi),
        (1852861809, 4294967294)
    );
    assert_eq!(codes.assignment(1145656131).map(|r| r.index), Some(1));
    assert!(codes.assignment(1381257301).is_none());
    assert_eq!(disc.summary(), "`Discard` [RFC4340]");
}

fn err(text: &str) -> LoadError {
    match load(text) {
        Ok(_) => panic!("should not load:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn refuses_what_the_port_registry_loader_refuses() {
    let e = err("<?xml version='1.0'?>\n<!DOCTYPE registry [<!ENTITY x \"boom\">]>\n<registry id=\"service-codes\"/>\n");
    assert_eq!((e.line, e.column), (Some(2), Some(1)), "{e}");
    assert!(e.message.contains("DTD entity"), "{e}");

    let e = err("<registry id=\"service-codes\">\n  <record><value>1</value><description>a &x; b</description></record>\n</registry>\n");
    assert_eq!((e.line, e.column), (Some(2), Some(42)), "{e}");
    assert!(e.message.contains("unknown entity reference &x;"), "{e}");

    let e = err("<registry id=\"service-codes\">\n  <record>\n    <value>12x</value>\n  </record>\n</registry>\n");
    assert_eq!((e.line, e.column), (Some(3), Some(12)), "{e}");
    assert!(e.message.contains("`12x`"), "{e}");

    let e = err("<registry id=\"service-codes\">\n  <record><value>4294967296</value></record>\n</registry>\n");
    assert!(e.message.contains("does not fit in 32 bits"), "{e}");
    let e = err(
        "<registry id=\"service-codes\">\n  <record><value>9-3</value></record>\n</registry>\n",
    );
    assert!(e.message.contains("reversed"), "{e}");
    let e = err("<registry id=\"service-codes\">\n  <record>\n    <description>x</description>\n  </record>\n</registry>\n");
    assert_eq!((e.line, e.column), (Some(2), Some(3)), "{e}");
    assert!(e.message.contains("without a <value>"), "{e}");

    // Truncated.
    let cut = &SMALL[..SMALL.len() / 2];
    let e = err(cut);
    assert!(e.message.contains("unexpected end of file"), "{e}");

    // The port registry is not the codes registry.
    let e = err("<registry id=\"service-names-port-numbers\"><record/></registry>");
    assert!(e.message.contains("pass it with --registry"), "{e}");
    let e = err("<!DOCTYPE html>\n<html><body>Not Found</body></html>");
    assert!(e.message.contains("HTML"), "{e}");
    let e = err("");
    assert!(e.message.contains("no <registry>"), "{e}");

    // Not UTF-8: the position of the bad byte.
    let mut bytes = b"<registry id=\"service-codes\">\n  <!-- ".to_vec();
    bytes.push(0xFF);
    let e = match ServiceCodes::from_bytes("codes.xml", bytes) {
        Ok(_) => panic!("not UTF-8"),
        Err(e) => e,
    };
    assert_eq!(e.kind, LoadErrorKind::Utf8);
    assert_eq!((e.line, e.column), (Some(2), Some(8)), "{e}");
}

#[test]
fn too_large_is_refused_before_parsing() {
    let big = vec![b' '; usize::try_from(MAX_REGISTRY_BYTES).unwrap_or(0) + 1];
    let e = match ServiceCodes::from_bytes("codes.xml", big) {
        Ok(_) => panic!("too large"),
        Err(e) => e,
    };
    assert_eq!(e.kind, LoadErrorKind::TooLarge);
}

#[test]
fn excerpt_keeps_the_real_position() {
    let codes = load(SMALL).expect("loads");
    let disc = &codes.rows[1];
    let x = codes.excerpt(disc, disc.value_span);
    assert_eq!(x.line, 12);
    assert_eq!(x.column, 1);
    assert!(x.text.starts_with("    <record>"));
    assert_eq!(&x.text[x.span.start..x.span.end], "1145656131");
}
