//! `conflict/name-similar` measured on the names IANA really approved from 2017 on: each new
//! name is requested again, as its first record was, against the registry of its day (the
//! real registry minus every record registered on or after that date). IANA approved them
//! all, so every finding is a false alarm. Ignored without PORTREG_REAL_REGISTRY_DIR.

use std::collections::BTreeSet;

use portreg::testing::rules::entry_findings;
use portreg::Registry;

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
