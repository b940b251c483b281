//! `portreg suggest`: every suggested port is free on every requested transport (verified
//! here independently, through the registry index), suggestions come nearest-first, `check`
//! finds no conflict on them, and the name mode. On a fixture registry, and on the real file
//! in an ignored test (see `harness::real_registry_dir`).

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use portreg::testing::model::Transport;
use portreg::testing::tools::suggest::{check_name, free_ports, name_syntax_problem};
use portreg::Registry;
use portreg::{check_drafts, DraftInput, Options};

const FIXTURE: &str = "tests/fixtures/suggest/registry.xml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> Registry {
    Registry::load(&root().join(FIXTURE)).expect("fixture registry loads")
}

fn real_registry() -> (PathBuf, Registry) {
    let path = crate::harness::real_registry_file(crate::harness::REAL_CURRENT);
    let registry = Registry::load(&path).expect("the real registry loads");
    (path, registry)
}

/// The definition of "free", written out again without `portreg::testing::tools::suggest`: covered by an
/// `Unassigned` record and by no other record on `t`; a gap is free only on sctp/dccp and
/// only when tcp and udp are free; and no named record on any transport.
fn independently_free(registry: &Registry, t: Transport, port: u16) -> bool {
    let named_anywhere = Transport::ALL.iter().any(|&u| {
        registry
            .records_at(u, port)
            .iter()
            .any(|r| r.name.is_some())
    });
    if named_anywhere || !(1025..=49150).contains(&port) {
        return false;
    }
    let records = registry.records_at(t, port);
    let unassigned = |r: &&portreg::testing::registry::Record| {
        r.name.is_none() && r.description.trim().eq_ignore_ascii_case("unassigned")
    };
    if records.is_empty() {
        return matches!(t, Transport::Sctp | Transport::Dccp)
            && independently_free(registry, Transport::Tcp, port)
            && independently_free(registry, Transport::Udp, port);
    }
    records.iter().all(unassigned)
}

fn assert_all_free(registry: &Registry, transports: &[Transport], ports: &[u16]) {
    for &p in ports {
        for &t in transports {
            assert!(
                independently_free(registry, t, p),
                "{t}/{p} was suggested but is not free: {:?}",
                registry
                    .records_at(t, p)
                    .iter()
                    .map(|r| (r.name.clone(), r.description.clone()))
                    .collect::<Vec<_>>()
            );
        }
    }
}

fn assert_nearest_first(ports: &[u16], near: u16) {
    let d = |p: u16| (i32::from(p) - i32::from(near)).abs();
    for w in ports.windows(2) {
        assert!(
            d(w[0]) < d(w[1]) || (d(w[0]) == d(w[1]) && w[0] < w[1]),
            "not nearest-first around {near}: {ports:?}"
        );
    }
}

/// `check` finds no `conflict/` rule for a request of `ports` on `transports`.
fn assert_check_agrees(registry: &Arc<Registry>, transports: &[Transport], ports: &[u16]) {
    let ts: Vec<String> = transports
        .iter()
        .map(|t| format!("\"{}\"", t.as_str()))
        .collect();
    let mut inputs = Vec::new();
    for (i, p) in ports.iter().enumerate() {
        let draft = format!(
            "[[entry]]\nname = \"zq-suggest-{i}\"\ntransport = [{}]\nport = {p}\ndescription = \"Test\"\n\
             assignee = {{ name = \"Jane Doe\", email = \"jane@example.com\" }}\n\
             contact = {{ name = \"Jane Doe\", email = \"jane@example.com\" }}\nreference = \"https://example.com\"\n",
            ts.join(", ")
        );
        inputs.push(DraftInput::new(format!("draft-{p}.toml"), draft));
    }
    // One run per draft: drafts checked together would conflict with each other.
    for input in inputs {
        let name = input.name().to_string();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 8, 20).expect("a date");
        let options = Options::default()
            .with_registry(Arc::clone(registry))
            .with_today(today);
        let report = check_drafts(vec![input], &options);
        let conflicts: Vec<_> = report
            .diagnostics()
            .iter()
            .filter(|d| d.rule.starts_with("conflict/"))
            .map(|d| format!("{}: {}", d.rule, d.message))
            .collect();
        assert!(conflicts.is_empty(), "{name}: {conflicts:?}");
    }
}

/// Transports, `--near`, `--count`, the expected ports.
type Case = (&'static [Transport], Option<u16>, usize, &'static [u16]);

#[test]
fn fixture_ports_are_free_and_in_order() {
    let r = fixture();
    use Transport::*;
    let cases: &[Case] = &[
        // 1028 (udp named), 1029 (tcp gap), 1035 (named inside an Unassigned range) are skipped.
        (
            &[Tcp],
            None,
            10,
            &[1027, 1030, 1031, 1032, 1033, 1034, 1036, 1037, 1038, 1039],
        ),
        // udp 1029 is Unassigned and only tcp has a gap there.
        (&[Udp], None, 3, &[1027, 1029, 1030]),
        (&[Tcp, Udp], None, 3, &[1027, 1030, 1031]),
        // sctp: covered by protocol-less Unassigned; 1041 (sctp named) and 1052 (tcp named)
        // are not free, 1051 (tcp/udp Unassigned, no sctp record) is.
        (
            &[Sctp],
            Some(1046),
            12,
            &[
                1046, 1045, 1047, 1044, 1048, 1043, 1049, 1042, 1050, 1051, 1040, 1039,
            ],
        ),
        (&[Dccp], Some(1051), 3, &[1051, 1050, 1049]),
        (&[Tcp], Some(1035), 4, &[1034, 1036, 1033, 1037]),
        (&[Tcp], Some(49150), 3, &[49150, 49149, 49148]),
        // --near below the User range starts at its bottom.
        (&[Tcp], Some(80), 2, &[1027, 1030]),
        // 1053 is De-registered, 1061-48999 Reserved.
        (
            &[Tcp],
            Some(1057),
            9,
            &[1057, 1056, 1058, 1055, 1059, 1054, 1060, 1051, 1050],
        ),
    ];
    for (ts, near, count, want) in cases {
        let got = free_ports(&r, ts, *near, *count);
        assert_eq!(&got, want, "{ts:?} near {near:?}");
        assert_all_free(&r, ts, &got);
        if let Some(n) = near {
            assert_nearest_first(&got, (*n).max(1025));
        }
    }
    let arc = Arc::new(r);
    assert_check_agrees(&arc, &[Tcp, Udp], &free_ports(&arc, &[Tcp, Udp], None, 10));
    assert_check_agrees(&arc, &[Sctp], &free_ports(&arc, &[Sctp], Some(1051), 5));
}

#[test]
fn fixture_names() {
    let r = fixture();
    // Taken, case-insensitively; the registered variant `alpha-ctl` is not offered.
    let n = check_name(&r, "ALPHA", 3);
    assert!(!n.is_free());
    assert_eq!(n.taken.len(), 2);
    assert_eq!(n.variants, ["alpha-mgmt", "alpha-sync", "alpha-data"]);
    for v in &n.variants {
        assert!(name_syntax_problem(v).is_none(), "{v}");
        assert!(r.records_named(v).next().is_none(), "{v}");
        assert!(r.similar_names(v).is_empty(), "{v}");
    }
    // Mixed case registered name.
    assert!(!check_name(&r, "beta", 3).is_free());
    // Legacy name: taken and invalid.
    let n = check_name(&r, "foo_bar", 2);
    assert!(!n.is_free());
    assert!(n.syntax.is_some());
    assert_eq!(n.taken.len(), 1);
    // `foo-bar` is what IANA would call its well-formed alias: similar, so not offered.
    assert_eq!(n.variants, ["foo-bar-ctl", "foo-bar-mgmt"]);
    // Free.
    let n = check_name(&r, "acme-telemetry", 5);
    assert!(n.is_free());
    assert!(n.variants.is_empty());
    // Invalid and free: too long.
    let n = check_name(&r, "acme-telemetry-upload", 2);
    assert!(!n.is_free());
    assert!(n.variants.iter().all(|v| v.len() <= 15), "{:?}", n.variants);
    // The nearest valid free names come first: words left out, the last ones first.
    assert_eq!(n.variants, ["acme-telemetry", "acme-upload"]);
    let n = check_name(&r, "acme-telemetry-pro", 3);
    assert_eq!(n.variants[0], "acme-telemetry", "{:?}", n.variants);
    assert_eq!(n.variants[1], "acme-pro", "{:?}", n.variants);
    // Nothing usable in it: no variants, no panic.
    for bad in ["", "---", "1234", "_", "é", "a--b", "-a"] {
        let n = check_name(&r, bad, 3);
        assert!(!n.is_free(), "{bad}");
    }
}

/// `portreg` from the crate root in a clean environment (see `crate::harness::command_in`).
fn portreg(args: &[&str]) -> Output {
    crate::harness::command_in(root(), args)
        .output()
        .expect("run portreg")
}

#[test]
fn cli_text_json_and_exit_codes() {
    let out = portreg(&[
        "suggest",
        "--registry",
        FIXTURE,
        "--transport",
        "tcp,udp",
        "--near",
        "1035",
        "--count",
        "4",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "free User ports on tcp+udp, nearest to 1035 first:\n  1034\n  1036\n  1033\n  1037\n"
        ),
        "{text}"
    );

    let out = portreg(&[
        "suggest",
        "--registry",
        FIXTURE,
        "--transport",
        "sctp",
        "--json",
        "--name",
        "alpha",
        "--count",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(1), "a taken name exits 1: {out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["ports"], serde_json::json!([1027, 1030]));
    assert_eq!(v["transports"], serde_json::json!(["sctp"]));
    assert_eq!(v["name"]["free"], false);
    assert_eq!(
        v["name"]["variants"],
        serde_json::json!(["alpha-mgmt", "alpha-sync"])
    );

    let out = portreg(&[
        "suggest",
        "--registry",
        FIXTURE,
        "--name",
        "fresh-name",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["name"]["free"], true);
    assert_eq!(
        v["ports"],
        serde_json::json!([]),
        "--name alone suggests no port"
    );

    // No registry anywhere: exit 2 with advice.
    let out = portreg(&["suggest", "--transport", "tcp"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("portreg registry update"));
    // Bad arguments: exit 2.
    for args in [
        &["suggest", "--registry", FIXTURE, "--transport", "quic"][..],
        &["suggest", "--registry", FIXTURE, "--count", "0"],
        &["suggest", "--registry", FIXTURE, "--near", "70000"],
        &[
            "suggest",
            "--registry",
            "tests/fixtures/suggest/missing.xml",
        ],
    ] {
        let out = portreg(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    }
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn real_registry_suggestions_are_free() {
    let (path, r) = real_registry();
    use Transport::*;
    let sets: &[&[Transport]] = &[
        &[Tcp],
        &[Udp],
        &[Tcp, Udp],
        &[Sctp],
        &[Dccp],
        &[Tcp, Udp, Sctp],
    ];
    let r = Arc::new(r);
    for ts in sets {
        for near in [
            None,
            Some(1025),
            Some(4873),
            Some(8080),
            Some(30000),
            Some(49150),
        ] {
            let got = free_ports(&r, ts, near, 25);
            assert_eq!(got.len(), 25, "{ts:?} near {near:?}");
            assert_all_free(&r, ts, &got);
            match near {
                Some(n) => assert_nearest_first(&got, n),
                None => assert!(got.windows(2).all(|w| w[0] < w[1]), "{got:?}"),
            }
        }
        assert_check_agrees(&r, ts, &free_ports(&r, ts, Some(8080), 5));
    }
    // Known facts: 8080 is http-alt; tcp 716 is a gap (pana is udp only); 1024/49151 are
    // Reserved.
    let near_8080 = free_ports(&r, &[Tcp], Some(8080), 50);
    assert!(!near_8080.contains(&8080));
    assert!(!free_ports(&r, &[Tcp], None, 50).contains(&1024));
    assert!(!free_ports(&r, &[Tcp], Some(49151), 5).contains(&49151));

    // Never a de-assigned number or one with known unauthorized uses: 27018/27019 (noted on
    // the Unassigned 27018-27344), 2693 (Unassigned, "(Removed 2004-2-6)").
    let near = free_ports(&r, &[Tcp], Some(27018), 10);
    assert!(!near.contains(&27018) && !near.contains(&27019), "{near:?}");
    assert!(near.contains(&27020), "{near:?}");
    let near = free_ports(&r, &[Tcp, Udp], Some(2693), 10);
    assert!(!near.contains(&2693), "{near:?}");

    let http = check_name(&r, "HTTP", 10);
    assert!(!http.is_free());
    assert!(http
        .taken
        .iter()
        .any(|rec| rec.number.is_some_and(|n| n.contains(80))));
    assert!(!http.variants.is_empty());
    for v in &http.variants {
        assert!(name_syntax_problem(v).is_none(), "{v}");
        assert!(r.records_named(v).next().is_none(), "{v}");
        assert!(r.similar_names(v).is_empty(), "{v}");
    }
    // A legacy alias is taken too.
    assert!(!check_name(&r, "whois++", 3).is_free());
    assert!(!check_name(&r, "sql*net", 3).is_free());

    let out = portreg(&[
        "suggest",
        "--registry",
        &path.display().to_string(),
        "--transport",
        "tcp,udp",
        "--near",
        "4873",
        "--count",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// Never a de-assigned number or one with known unauthorized uses (the rules fixture
/// registry: 4800 Reserved after a de-assignment, 4810 noted on the Unassigned 4801-4899).
#[test]
fn no_deassigned_or_squatted_numbers() {
    let r = Registry::load(&root().join("tests/fixtures/rules/registry.xml")).expect("loads");
    let got = free_ports(&r, &[Transport::Tcp], Some(4810), 5);
    assert_eq!(got, [4809, 4811, 4808, 4812, 4807]);
    let got = free_ports(&r, &[Transport::Udp], Some(4800), 2);
    assert_eq!(got, [4801, 4802]);
}
