//! Judging like an expert reviewer: one mistake gives one finding (ranges, typos of required
//! keys, SRV labels, Reserved numbers, secure/look-alike pairs), and "did you mean" is said
//! once. Exact rule ids and counts, against the rule fixtures' registry.

use std::sync::Arc;

use portreg::{check, Options, Registry, Report};

const FIXTURE_REGISTRY: &str = "tests/fixtures/rules/registry.xml";

fn registry() -> Arc<Registry> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE_REGISTRY);
    let bytes = std::fs::read(path).expect("read the fixture registry");
    Arc::new(Registry::from_bytes(FIXTURE_REGISTRY, bytes).expect("the fixture registry loads"))
}

fn options() -> Options {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 20).expect("a date");
    Options::default()
        .with_registry(registry())
        .with_today(today)
}

/// A complete entry, so that only what the test changes is reported.
fn entry(name: &str, transport: &str, port: &str) -> String {
    format!(
        r#"[[entry]]
name = "{name}"
transport = {transport}
{port}description = "Acme telemetry upload"
assignee = "Acme_Corp"
contact = "Jane_Roe"
reference = "https://acme.example/upload"

[entry.justification]
why-not-dynamic = "Field devices are configured by hand with one fixed port"
why-not-user = "hosts must trust that only root can bind it"
why-multiple-ports = "one port per sensor bank"
why-multiple-transports = "tcp for bulk, udp for alarms"
cast = "unicast only"
security = "TLS 1.3 with mutual certificate authentication"
versioning = "a version byte opens every session"
discovery = "config"
why-not-existing-port = "no existing service carries uploads from field devices"
development-state = "deployed since 2024"
differs-from-existing = "a bulk upload protocol for sensors"
"#
    )
}

/// The entry asked for by Beacon_Works, who holds none of Acme's numbers (Acme's own numbers
/// are `conflict/port-shared`, not taken).
fn other_party(entry: &str) -> String {
    entry
        .replace("assignee = \"Acme_Corp\"", "assignee = \"Beacon_Works\"")
        .replace("contact = \"Jane_Roe\"", "contact = \"Beacon_Works\"")
}

/// The rule ids reported, sorted.
fn rules(report: &Report) -> Vec<&str> {
    let mut v: Vec<&str> = report
        .diagnostics()
        .iter()
        .map(|d| d.rule.as_str())
        .collect();
    v.sort_unstable();
    v
}

fn count(report: &Report, rule: &str) -> usize {
    rules(report).iter().filter(|r| **r == rule).count()
}

#[test]
fn a_range_over_taken_numbers_is_one_finding_listing_them() {
    // tcp 4590-4710 covers telemetry-hub 4600, tool 4601, acme-feed 4700, acme-mail-tls 4701.
    let report = check(
        "d.toml",
        &other_party(&entry("acme-bulk", "\"tcp\"", "port = \"4590-4710\"\n")),
        &options(),
    );
    assert_eq!(
        count(&report, "conflict/port-taken"),
        1,
        "{:?}",
        rules(&report)
    );
    let d = report
        .diagnostics()
        .iter()
        .find(|d| d.rule == "conflict/port-taken")
        .expect("the finding");
    assert_eq!(
        d.message,
        "tcp/4600-4601, 4700-4701 are already assigned: to `telemetry-hub` tcp/4600, `tool` tcp/4601, `acme-feed` tcp/4700 and 1 more record"
    );
    assert_eq!(d.related.len(), 3);
}

#[test]
fn a_single_taken_port_keeps_its_message() {
    let report = check(
        "d.toml",
        &entry("acme-bulk", "\"tcp\"", "port = 4600\n"),
        &options(),
    );
    let msgs: Vec<&str> = report
        .diagnostics()
        .iter()
        .filter(|d| d.rule == "conflict/port-taken")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        msgs,
        ["tcp/4600 is already assigned to `telemetry-hub` (contact Hub_Systems)"]
    );
    // One service on two transports: one finding naming it once.
    let report = check(
        "d.toml",
        &other_party(&entry("acme-bulk", "[\"tcp\", \"udp\"]", "port = 4100\n")),
        &options(),
    );
    let msgs: Vec<&str> = report
        .diagnostics()
        .iter()
        .filter(|d| d.rule == "conflict/port-taken")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].starts_with("tcp/4100 and udp/4100 are already assigned to `acme-sync` ("),
        "{msgs:?}"
    );
}

#[test]
fn other_transport_numbers_of_a_range_are_one_finding() {
    // On udp the same numbers are free, but tcp holds 4600, 4601, 4700 and 4701.
    let report = check(
        "d.toml",
        &entry("acme-bulk", "\"udp\"", "port = \"4590-4710\"\n"),
        &options(),
    );
    assert_eq!(
        count(&report, "conflict/port-other-transport"),
        1,
        "{:?}",
        rules(&report)
    );
    let d = report
        .diagnostics()
        .iter()
        .find(|d| d.rule == "conflict/port-other-transport")
        .expect("the finding");
    assert!(
        d.message
            .contains("tcp/4600-4601, 4700-4701 belong to other services"),
        "{}",
        d.message
    );
}

#[test]
fn a_mistyped_required_key_is_reported_once() {
    let draft = entry("acme-upload", "\"tcp\"", "port = 4150\n")
        .replace("assignee = ", "asignee = ")
        .replace("[entry.justification]", "[entry.justifcation]");
    let draft = format!("{draft}\n[[entry]]\nname = \"acme-other\"\ntransport = \"tcp\"\nport = 4151\ndescription = \"Acme other upload\"\nassignee = \"Acme_Corp\"\ncontact = \"Jane_Roe\"\nreference = \"https://acme.example/x\"\n\n[entry.justification]\nwhy-not-dynamc = \"fixed\"\nsecurty = \"TLS\"\ncast = \"unicast\"\nversioning = \"v1\"\nwhy-not-existing-port = \"none fits\"\ndevelopment-state = \"deployed\"\ndiffers-from-existing = \"uploads\"\n");
    let report = check("d.toml", &draft, &options());
    // Acme_Corp holds ports in the fixture registry: policy/party-has-port is not about typos.
    let typo_rules: Vec<&str> = rules(&report)
        .into_iter()
        .filter(|r| !r.starts_with("policy/"))
        .collect();
    assert_eq!(
        typo_rules,
        [
            "draft/unknown-key",
            "draft/unknown-key",
            "draft/unknown-key",
            "draft/unknown-key",
        ],
        "{:#?}",
        report.diagnostics()
    );
    for d in report
        .diagnostics()
        .iter()
        .filter(|d| d.rule == "draft/unknown-key")
    {
        // "Did you mean" once, in the label; the fix renames the key.
        let label = d.primary.as_ref().and_then(|l| l.message.as_deref());
        assert!(
            label.is_some_and(|l| l.starts_with("did you mean")),
            "{d:?}"
        );
        let help = d.help.as_deref().unwrap_or_default();
        assert!(
            !help.contains("did you mean") && !help.contains("allowed here"),
            "{d:?}"
        );
        assert!(d.fix.is_some(), "{d:?}");
    }
}

#[test]
fn a_missing_key_with_an_unrelated_unknown_key_is_still_missing() {
    // `colour` is no typo of `assignee`: the assignee is missing, and the help lists the keys.
    let draft =
        entry("acme-upload", "\"tcp\"", "").replace("assignee = \"Acme_Corp\"", "colour = \"red\"");
    let report = check("d.toml", &draft, &options());
    assert_eq!(
        rules(&report),
        ["draft/unknown-key", "field/assignee-missing"],
        "{:#?}",
        report.diagnostics()
    );
    let help = report
        .diagnostics()
        .iter()
        .find(|d| d.rule == "draft/unknown-key")
        .and_then(|d| d.help.as_deref())
        .unwrap_or_default();
    assert!(
        help.starts_with("the keys allowed here are: name, transport"),
        "{help}"
    );
}

#[test]
fn an_srv_label_is_one_finding() {
    let report = check(
        "d.toml",
        &entry("_acme-scan._tcp", "\"tcp\"", ""),
        &options(),
    );
    assert_eq!(
        rules(&report),
        ["name/srv-label"],
        "{:#?}",
        report.diagnostics()
    );
    // A bad character inside the bare name is one more mistake.
    let report = check(
        "d.toml",
        &entry("_acme_scan._tcp", "\"tcp\"", ""),
        &options(),
    );
    assert_eq!(
        rules(&report),
        ["name/invalid-char", "name/srv-label"],
        "{:#?}",
        report.diagnostics()
    );
    let d = report
        .diagnostics()
        .iter()
        .find(|d| d.rule == "name/invalid-char")
        .expect("the finding");
    assert_eq!(
        d.help.as_deref(),
        Some("replace it with a hyphen in the bare name (`acme-scan`)")
    );
}

/// A registry holding 0, 1023, 1024 and 49151 as Reserved, as IANA's does, and a Reserved
/// udp record beside a tcp assignment.
fn reserved_registry() -> Arc<Registry> {
    let xml = r#"<?xml version='1.0' encoding='UTF-8'?>
<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">
  <updated>2026-01-15</updated>
  <record><protocol>tcp</protocol><description>Reserved</description><number>0</number></record>
  <record><protocol>udp</protocol><description>Reserved</description><number>0</number></record>
  <record><protocol>tcp</protocol><description>Reserved</description><number>1024</number></record>
  <record><protocol>udp</protocol><description>Reserved</description><number>1024</number></record>
  <record><protocol>udp</protocol><description>Reserved</description><number>4250</number></record>
</registry>
"#;
    Arc::new(Registry::from_bytes("reserved.xml", xml.as_bytes().to_vec()).expect("loads"))
}

#[test]
fn reserved_zero_and_1024_are_one_finding() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 20).expect("a date");
    let options = Options::default()
        .with_registry(reserved_registry())
        .with_today(today);
    for port in ["0", "1024"] {
        let report = check(
            "d.toml",
            &entry(
                "acme-upload",
                "[\"tcp\", \"udp\"]",
                &format!("port = {port}\n"),
            ),
            &options,
        );
        assert_eq!(count(&report, "port/reserved"), 1, "{:?}", rules(&report));
        assert_eq!(
            count(&report, "conflict/port-reserved"),
            0,
            "{:?}",
            rules(&report)
        );
    }
    // The near miss: a Reserved record that port/reserved knows nothing of.
    let report = check(
        "d.toml",
        &entry("acme-upload", "\"udp\"", "port = 4250\n"),
        &options,
    );
    assert_eq!(
        count(&report, "conflict/port-reserved"),
        1,
        "{:?}",
        rules(&report)
    );
}

#[test]
fn a_secure_variant_with_a_port_is_not_also_a_similar_name() {
    let report = check(
        "d.toml",
        &entry("acme-feeds", "\"tcp\"", "port = 4150\n"),
        &options(),
    );
    assert_eq!(
        count(&report, "policy/secure-variant"),
        1,
        "{:?}",
        rules(&report)
    );
    assert_eq!(
        count(&report, "conflict/name-similar"),
        0,
        "{:?}",
        rules(&report)
    );
    // Without a port there is no second port to discourage; the look-alike name remains
    // (for another party: `acme-feed` is Acme_Corp's own).
    let draft = entry("acme-feeds", "\"tcp\"", "")
        .replace("Acme_Corp", "Beacon_Works")
        .replace("Jane_Roe", "Beacon_Works");
    let report = check("d.toml", &draft, &options());
    assert_eq!(
        count(&report, "policy/secure-variant"),
        0,
        "{:?}",
        rules(&report)
    );
    assert_eq!(
        count(&report, "conflict/name-similar"),
        1,
        "{:?}",
        rules(&report)
    );
}

#[test]
fn a_range_over_exp1_and_exp2_is_one_finding() {
    let report = check(
        "d.toml",
        &entry("acme-lab", "\"tcp\"", "port = \"1019-1022\"\n"),
        &options(),
    );
    let msgs: Vec<&str> = report
        .diagnostics()
        .iter()
        .filter(|d| d.rule == "port/experimental")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        msgs,
        ["ports 1021 and 1022 are `exp1` and `exp2`, set aside for experiments on every transport (RFC 4727)"]
    );
}
