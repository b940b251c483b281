//! The record status model (lifecycle.md §1) on the real registry: counts per status and the
//! named examples. Ignored without `PORTREG_REAL_REGISTRY_DIR` (see `registry_real.rs`).

use portreg::testing::model::Transport;
use portreg::testing::registry::{NameStatus, PortStatus, StatusKind};
use portreg::Registry;

use crate::harness::{real_registry_file, REAL_CURRENT as CURRENT};

/// Per status: tcp, udp, sctp, dccp (2026-08-17 file). sctp and dccp have few records of
/// their own, hence their gaps.
const COUNTS: &str = "\
assigned: [6148, 5756, 278, 199]
reserved, other transport: [186, 567, 1, 1]
reserved, de-assigned: [32, 35, 14, 14]
reserved, range edge: [4, 4, 4, 4]
reserved, other: [48, 53, 40, 40]
unassigned: [42717, 42718, 42704, 42702]
dynamic: [16384, 16384, 16384, 16384]
gap: [17, 19, 6111, 6192]
names 7327 name-only 986 historic 3 aliases 188 unauthorized 614
";

fn real() -> Registry {
    Registry::load(&real_registry_file(CURRENT)).unwrap_or_else(|e| panic!("{e}"))
}

fn names(reg: &Registry, ids: &[usize]) -> Vec<String> {
    ids.iter()
        .filter_map(|&i| reg.records.get(i)?.name.clone())
        .collect()
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_status_counts() {
    let reg = real();
    let c = reg.status_counts();
    let mut text = String::new();
    for (k, row) in &c.ports {
        text.push_str(&format!("{}: {row:?}\n", k.as_str()));
    }
    text.push_str(&format!(
        "names {} name-only {} historic {} aliases {} unauthorized {}\n",
        c.names_registered, c.names_name_only, c.names_historic, c.aliases, c.unauthorized
    ));
    println!("{text}");
    // Every (transport, number) has exactly one status.
    for t in Transport::ALL {
        let total: usize = c.ports.values().map(|row| row[t.index()]).sum();
        assert_eq!(total, 65536, "{t}");
    }
    assert_eq!(text, COUNTS);
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_status_examples() {
    let reg = real();
    // tcp/3980: Reserved after the de-assignment of acms.
    let PortStatus::ReservedDeassigned(d) = reg.port_status(Transport::Tcp, 3980) else {
        panic!("{:?}", reg.port_status(Transport::Tcp, 3980));
    };
    assert_eq!(d.name.as_deref(), Some("acms"));
    assert_eq!(d.date.as_deref(), Some("2020-12-29"));
    assert!(matches!(reg.name_status("acms"), NameStatus::Historic(v) if v.len() == 1));
    assert!(matches!(reg.name_status("ACMS"), NameStatus::Historic(_)));

    // compressnet: ports 2 and 3 de-assigned by its assignee, the name kept without a port.
    for t in [Transport::Tcp, Transport::Udp] {
        for port in [2, 3] {
            let PortStatus::ReservedDeassigned(d) = reg.port_status(t, port) else {
                panic!("{t}/{port}");
            };
            assert_eq!(d.name.as_deref(), Some("compressnet"));
            assert_eq!(d.date.as_deref(), Some("2025-02-13"));
            assert_eq!(d.released_by.as_deref(), Some("Bernie_Volz"));
        }
    }
    assert_eq!(reg.name_status("compressnet"), NameStatus::NameOnly);
    assert_eq!(reg.name_deassignments("compressnet").len(), 4);

    // netconf-beep: 831 released by RFC 9900, the name kept (without a protocol).
    let PortStatus::ReservedDeassigned(d) = reg.port_status(Transport::Udp, 831) else {
        panic!("831");
    };
    assert_eq!(d.previous.as_deref(), Some("NETCONF over BEEP"));
    assert_eq!(d.released_by.as_deref(), Some("RFC9900"));
    assert_eq!(reg.name_status("netconf-beep"), NameStatus::NameOnly);
    let nb = reg.name_deassignments("netconf-beep");
    assert_eq!(nb.len(), 2, "{nb:?}");

    // 27018 and 27019 have known unauthorized uses, 27020 is only Unassigned.
    for t in Transport::ALL {
        assert_eq!(reg.unauthorized_at(t, 27018).len(), 1, "{t}");
        assert_eq!(reg.unauthorized_at(t, 27019).len(), 1, "{t}");
        assert!(reg.unauthorized_at(t, 27020).is_empty(), "{t}");
    }
    // x11: a range record; its text names 6003 only.
    assert!(
        matches!(reg.port_status(Transport::Tcp, 6010), PortStatus::Assigned(v) if names(&reg, &v) == ["x11"])
    );
    assert_eq!(reg.unauthorized_at(Transport::Tcp, 6003).len(), 1);
    assert!(reg.unauthorized_at(Transport::Tcp, 6004).is_empty());

    // Aliases and duplicates.
    assert!(reg.same_service("canit-store", "canit_store"));
    assert!(reg.same_service("canit_store", "CANIT-STORE"));
    assert!(reg.same_service("www", "http"));
    assert!(reg.same_service("www", "www-http"));
    assert!(!reg.same_service("http", "ftp"));
    let PortStatus::Assigned(v) = reg.port_status(Transport::Tcp, 6568) else {
        panic!("6568");
    };
    assert_eq!(names(&reg, &v), ["canit-store", "canit_store"]);

    // Other statuses.
    assert_eq!(
        reg.port_status(Transport::Tcp, 1024),
        PortStatus::ReservedEdge
    );
    assert_eq!(
        reg.port_status(Transport::Udp, 49151),
        PortStatus::ReservedEdge
    );
    assert!(matches!(
        reg.port_status(Transport::Udp, 3001),
        PortStatus::ReservedOtherTransport { .. }
    ));
    assert!(matches!(
        reg.port_status(Transport::Tcp, 27020),
        PortStatus::Unassigned(_)
    ));
    assert_eq!(
        StatusKind::of(&reg.port_status(Transport::Tcp, 80)),
        StatusKind::Assigned
    );
}

/// `registry info` prints the counts per status (the rules fixture registry: tcp/4800 and
/// udp/4800 de-assigned, `acme-old` historic, one alias, 4810 with an unauthorized use).
#[test]
fn registry_info_counts_per_status() {
    let reg = "tests/fixtures/rules/registry.xml";
    let (code, v) = crate::harness::json(&["registry", "info", "--registry", reg]);
    assert_eq!(code, 0, "{v}");
    let s = &v["status"];
    assert_eq!(s["ports"]["reserved-deassigned"]["tcp"], 1, "{v}");
    assert_eq!(s["ports"]["reserved-deassigned"]["udp"], 1, "{v}");
    assert_eq!(s["ports"]["reserved-edge"]["tcp"], 4, "{v}");
    assert_eq!(s["names_historic"], 1, "{v}");
    assert_eq!(s["aliases"], 1, "{v}");
    assert_eq!(s["unauthorized"], 4, "{v}");
    for t in ["tcp", "udp", "sctp", "dccp"] {
        let total: u64 = s["ports"]
            .as_object()
            .map(|m| m.values().filter_map(|row| row[t].as_u64()).sum())
            .unwrap_or(0);
        assert_eq!(total, 65536, "{t}: {v}");
    }
    let out = crate::harness::run(&["registry", "info", "--registry", reg]);
    let text = String::from_utf8_lossy(&out.stdout);
    let row: Vec<&str> = text
        .lines()
        .find_map(|l| l.strip_prefix("  reserved, de-assigned "))
        .map(|rest| rest.split_whitespace().collect())
        .unwrap_or_default();
    assert_eq!(row, ["1", "1", "0", "0"], "{text}");
    assert!(text.contains("names:   "), "{text}");
}

/// The draft rules of the status model on the real registry: each entry of one draft and the
/// rules it must (and must not) get.
#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_status_rules() {
    let draft = r#"
[[entry]]
name = "acme-media"
transport = "tcp"
port = 3980

[[entry]]
name = "acms"
transport = "tcp"
port = "user"

[[entry]]
name = "acme-store"
transport = ["tcp", "udp"]
port = 27018

[[entry]]
kind = "extend"
name = "redis"
transport = "udp"
port = 6379
assignee = { name = "Sam Roe", org = "Other Corp", email = "sam@other.example" }

[[entry]]
kind = "extend"
name = "redis"
transport = "udp"
port = 6379
assignee = "Salvatore_Sanfilippo"

[[entry]]
name = "acme-submit"
transport = "tcp"
port = 465
assignee = "IESG"
contact = "IETF_Chair"

[[entry]]
kind = "extend"
name = "canit_store"
transport = "sctp"
port = 6568
"#;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).expect("a date");
    let options = portreg::Options::default()
        .with_today(today)
        .with_registry(real());
    let report = portreg::check("real.toml", draft, &options);
    let rules = |entry: usize| -> Vec<&str> {
        let mut v: Vec<&str> = report
            .diagnostics()
            .iter()
            .filter(|d| d.entry == Some(entry))
            .map(|d| d.rule.as_str())
            // Two entries extend redis: conflict/in-drafts is not what is tested here.
            .filter(|r| r.starts_with("conflict/") || r.starts_with("policy/unauth"))
            .filter(|r| *r != "conflict/in-drafts")
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let message = |entry: usize, rule: &str| -> String {
        report
            .diagnostics()
            .iter()
            .find(|d| d.entry == Some(entry) && d.rule == rule)
            .map(|d| d.message.clone())
            .unwrap_or_default()
    };
    assert_eq!(rules(0), ["conflict/port-deassigned"]);
    assert!(
        message(0, "conflict/port-deassigned")
            .contains("previously `acms`, de-assigned on 2020-12-29"),
        "{}",
        message(0, "conflict/port-deassigned")
    );
    assert_eq!(rules(1), ["conflict/name-deassigned"]);
    assert_eq!(rules(2), ["policy/unauthorized-use"]);
    // One finding for the entry, naming both transports.
    let unauthorized: Vec<&str> = report
        .diagnostics()
        .iter()
        .filter(|d| d.entry == Some(2) && d.rule == "policy/unauthorized-use")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(unauthorized.len(), 1, "{unauthorized:?}");
    assert!(
        unauthorized[0].starts_with("tcp/27018 and udp/27018 have known unauthorized uses"),
        "{unauthorized:?}"
    );
    assert_eq!(rules(3), ["conflict/extend-not-holder"]);
    assert!(rules(4).is_empty(), "{:?}", rules(4));
    // 465 holds submissions (IESG) and urd: an IETF overload, not a taken port.
    assert_eq!(rules(5), ["conflict/port-shared"]);
    // canit_store is an alias of canit-store: canit-store's tcp/6568 is the same service
    // (issue 12); udp/6568 is rp-reputation, another service.
    let other: Vec<String> = report
        .diagnostics()
        .iter()
        .filter(|d| d.entry == Some(6) && d.rule == "conflict/port-other-transport")
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(other.len(), 1, "{other:?}");
    assert!(other[0].contains("`rp-reputation`"), "{other:?}");
}
