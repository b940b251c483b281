//! Judgment on real data (ignored without PORTREG_REAL_REGISTRY_DIR): `conflict/name-similar`
//! measured on the names IANA really approved from 2017 on, each requested again, as its
//! first record was, against the registry of its day (the real registry minus every record
//! registered on or after that date): IANA approved them all, so every finding is a false
//! alarm. And a request for every port gives a handful of findings, not thousands.

use std::collections::BTreeSet;

use portreg::testing::rules::entry_findings;
use portreg::{check, Options, OutputFormat, Registry};

use crate::harness::{real_registry_file, REAL_CURRENT};

/// A TOML basic string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_names_approved_since_2017_rarely_look_similar() {
    let path = real_registry_file(REAL_CURRENT);
    let registry = Registry::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut done = BTreeSet::new();
    let mut checked = 0usize;
    let mut alarms = Vec::new();
    for r in &registry.records {
        let (Some(name), Some(date)) = (r.name.as_deref(), r.date.as_deref()) else {
            continue;
        };
        if date < "2017" || !done.insert(name.to_ascii_lowercase()) {
            continue;
        }
        // The registry as it was the day before: without this record and everything later.
        let exclude: Vec<usize> = registry
            .records
            .iter()
            .filter(|x| x.date.as_deref().is_some_and(|d| d >= date))
            .map(|x| x.index)
            .collect();
        let mut draft = format!("format = 1\n\n[[entry]]\nname = {}\n", quoted(name));
        if let Some(t) = r.protocol {
            draft += &format!("transport = {}\n", quoted(t.as_str()));
        }
        if let Some(n) = r.number {
            draft += &format!("port = {}\n", quoted(&n.to_string()));
        }
        draft += "description = \"approved\"\n";
        if let Some(a) = r.assignee.first().or(r.contact.first()) {
            draft += &format!("assignee = {}\n", quoted(a));
        }
        if let Some(c) = r.contact.first().or(r.assignee.first()) {
            draft += &format!("contact = {}\n", quoted(c));
        }
        let findings = entry_findings(&draft, &registry, &exclude);
        // A name registered before (a transport added later) is an extension, not a new name.
        if findings
            .iter()
            .any(|(rule, _)| rule == "conflict/name-taken")
        {
            continue;
        }
        checked += 1;
        alarms.extend(
            findings
                .into_iter()
                .filter(|(rule, _)| rule == "conflict/name-similar")
                .map(|(_, message)| format!("{date} {message}")),
        );
    }
    // None left: `submissions` (the IESG's, 2017, port 465) is the legacy `submission` plus
    // `s`, which policy/secure-variant reports instead. A plain one-edit match flagged 16 of
    // these names (about 5%): `matter`/`matterc`, `openpath`/`openmath`, `atnet`/`acnet`, …
    assert_eq!(checked, 333, "new names since 2017");
    assert_eq!(alarms.len(), 0, "{alarms:#?}");
    // The rule still runs here: a transposition of a registered name fires.
    let control = "format = 1\n\n[[entry]]\nname = \"rsnyc\"\ntransport = \"tcp\"\n";
    let findings = entry_findings(control, &registry, &[]);
    assert!(
        findings
            .iter()
            .any(|(rule, m)| rule == "conflict/name-similar" && m.contains("`rsync`")),
        "{findings:?}"
    );
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn a_request_for_every_port_is_a_handful_of_findings() {
    let path = real_registry_file(REAL_CURRENT);
    let registry = Registry::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let today = chrono::NaiveDate::from_ymd_opt(2026, 8, 20).expect("a date");
    let options = Options::default().with_registry(registry).with_today(today);
    let draft = r#"format = 1

[[entry]]
name = "acme-everything"
transport = ["tcp", "udp"]
port = "1-65535"
description = "Every port"
assignee = "Acme_Corp"
contact = "Acme_Corp"
reference = "https://acme.example/all"

[entry.justification]
why-not-dynamic = "all of them"
why-not-user = "all of them"
why-multiple-ports = "all of them"
why-multiple-transports = "all of them"
cast = "unicast only"
security = "TLS"
versioning = "a version byte"

[people.Acme_Corp]
org = "Acme Corporation"
email = "ports@acme.example"
"#;
    let report = check("all.toml", draft, &options);
    let mut rules: Vec<&str> = report
        .diagnostics()
        .iter()
        .map(|d| d.rule.as_str())
        .collect();
    rules.sort_unstable();
    // One finding per rule: before, 6,263 findings and 132,000 lines of report.
    assert_eq!(
        rules,
        [
            "conflict/port-deassigned",
            "conflict/port-in-range",
            "conflict/port-reserved",
            "conflict/port-taken",
            "field/development-state-missing",
            "field/differs-from-existing-missing",
            "field/udp-congestion-missing",
            "field/udp-discovery-only-missing",
            "field/why-not-existing-port-missing",
            "policy/unauthorized-use",
            "port/dynamic",
            "port/experimental",
            "port/reserved",
            "port/system",
            "port/system-non-ietf",
        ]
    );
    let human = portreg::render(&report, OutputFormat::Human);
    assert!(human.lines().count() < 400, "{human}");
    assert!(human.len() < 40_000, "{} bytes", human.len());
    let taken = report
        .diagnostics()
        .iter()
        .find(|d| d.rule == "conflict/port-taken")
        .expect("the finding");
    // The first runs of numbers per transport, then their count; the first records, then
    // theirs.
    assert!(taken.message.len() < 1_000, "{}", taken.message);
    assert!(
        taken.message.contains("numbers in all)"),
        "{}",
        taken.message
    );
    assert!(taken.message.contains("more records"), "{}", taken.message);
    assert_eq!(taken.related.len(), 3);
}
