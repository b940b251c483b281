//! `registry diff` on four real IANA updates (`history/` beside the real registry, see its
//! README): every change classified (lifecycle.md §4) and no error. Ignored without
//! `PORTREG_REAL_REGISTRY_DIR`.

use std::collections::BTreeMap;

use portreg::{OutputFormat, Registry};
use serde_json::Value;

use crate::harness::real_registry_dir;

/// The JSON report of `registry diff` from the history file of `base` to that of `head`.
fn diff(base: &str, head: &str) -> Value {
    let dir = real_registry_dir().join("history");
    let load = |d: &str| {
        let path = dir.join(format!("service-names-port-numbers-{d}.xml"));
        Registry::load(&path).unwrap_or_else(|e| panic!("{e}"))
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date");
    let options = portreg::Options::default().with_today(today);
    let report = portreg::diff(load(base), load(head), &options);
    serde_json::from_str(&portreg::render(&report, OutputFormat::Json)).expect("JSON")
}

fn kinds(report: &Value) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for c in report["changes"].as_array().into_iter().flatten() {
        *out.entry(c["kind"].as_str().unwrap_or("?").to_string())
            .or_default() += 1;
    }
    out
}

/// (kind, protocol, number) of the changes of `name`.
fn of(report: &Value, name: &str) -> Vec<(String, String, String)> {
    report["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["name"] == name)
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("").to_string();
            (s("kind"), s("protocol"), s("number"))
        })
        .collect()
}

fn t(kind: &str, protocol: &str, number: &str) -> (String, String, String) {
    (kind.into(), protocol.into(), number.into())
}

fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|&(k, n)| (k.to_string(), n)).collect()
}

fn assert_no_errors(report: &Value) {
    let errors: Vec<&Value> = report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report["summary"]["errors"], 0);
}

/// A contact change on three records, two of them the alias pair sharing tcp/6568.
#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn history_2017_alias_pair_contact_change() {
    let r = diff("2017-05-23", "2017-05-25");
    assert_no_errors(&r);
    assert_eq!(kinds(&r), counts(&[("modify", 3)]));
    assert_eq!(of(&r, "canit-store"), [t("modify", "tcp", "6568")]);
    assert_eq!(of(&r, "canit_store"), [t("modify", "tcp", "6568")]);
}

/// imap udp/143 and imaps udp/993 de-assigned while their tcp records get new references.
#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn history_2021_imap_deassigned_on_udp() {
    let r = diff("2021-02-18", "2021-02-22");
    assert_no_errors(&r);
    assert_eq!(kinds(&r), counts(&[("deassign", 2), ("modify", 3)]));
    assert_eq!(
        of(&r, "imap"),
        [t("modify", "tcp", "143"), t("deassign", "udp", "143")]
    );
    assert_eq!(
        of(&r, "imaps"),
        [t("modify", "tcp", "993"), t("deassign", "udp", "993")]
    );
    assert_eq!(r["summary"]["warnings"], 0);
}

/// A year and a half: compressnet de-assigned and kept as a name without a port, renames,
/// modifications and new assignments.
#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn history_2024_2025_year_and_a_half() {
    let r = diff("2024-03-18", "2025-08-26");
    assert_no_errors(&r);
    assert_eq!(
        kinds(&r),
        counts(&[
            ("deassign", 4),
            ("modify", 25),
            ("new", 28),
            ("rename", 4),
            ("renumber", 2)
        ])
    );
    let mut c = of(&r, "compressnet");
    c.sort();
    assert_eq!(
        c,
        [
            t("deassign", "tcp", "2"),
            t("deassign", "tcp", "3"),
            t("deassign", "udp", "2"),
            t("deassign", "udp", "3"),
            t("renumber", "tcp", ""),
            t("renumber", "udp", ""),
        ]
    );
    assert_eq!(
        of(&r, "newton-dock"),
        [t("rename", "tcp", "3679"), t("rename", "udp", "3679")]
    );
    let checked: Vec<&str> = r["checked"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        checked
            .iter()
            .any(|c| c.starts_with("rename `newton-dock` tcp/3679")
                && c.ends_with(", formerly `Escale (Newton Dock)`")),
        "{checked:#?}"
    );
    assert!(
        checked
            .iter()
            .any(|c| c.starts_with("deassign `compressnet` tcp/2 (line ")
                && c.contains(
                    "previously `compressnet`, de-assigned on 2025-02-13 by [Bernie_Volz]"
                )),
        "{checked:#?}"
    );
}

/// RFC 9900 releases NETCONF over BEEP/SOAP ports 831-833; the names stay without a port.
#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn history_2025_netconf_beep_released() {
    let r = diff("2025-09-26", "2025-09-29");
    assert_no_errors(&r);
    assert_eq!(
        kinds(&r),
        counts(&[("deassign", 6), ("modify", 2), ("renumber", 3)])
    );
    assert_eq!(
        of(&r, "netconf-beep"),
        [
            t("deassign", "tcp", "831"),
            t("deassign", "udp", "831"),
            t("renumber", "", "")
        ]
    );
    assert_eq!(r["summary"]["warnings"], 0);
}
