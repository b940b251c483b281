//! The DCCP Service Codes registry: `registry lint --service-codes` across the two registries
//! (hermetic, through the binary), its loader's refusals, and the real files (`#[ignore]`d,
//! as in `registry_real`): the three inconsistencies of the 2014 codes registry and the
//! 2026 port registry, at their lines in either file.

use portreg::{Options, Registry, ServiceCodes};

use crate::harness::{command_in, line_of, real_registry_file, root, TempDir, REAL_CURRENT};

/// (rule, file name, line, message) of every diagnostic of `rule`.
fn found(report: &portreg::Report, rule: &str) -> Vec<(String, u64, String)> {
    report
        .diagnostics()
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| {
            let at = report.locate(d).expect("a position");
            (at.file.to_string(), at.start.line as u64, d.message.clone())
        })
        .collect()
}

#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR (the real IANA files)"]
fn real_registries_disagree_in_three_ways() {
    let reg_path = real_registry_file(REAL_CURRENT);
    let codes_path = real_registry_file("service-codes.xml");
    let registry = Registry::load(&reg_path).unwrap_or_else(|e| panic!("{e}"));
    let codes = ServiceCodes::load(&codes_path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(codes.updated.as_deref(), Some("2014-03-14"));
    assert_eq!(codes.rows.len(), 24);
    assert_eq!(codes.assignments().count(), 10);
    let report = portreg::lint(registry, &Options::default().with_service_codes(codes));
    let reg_text = std::fs::read_to_string(&reg_path).expect("read");
    let codes_text = std::fs::read_to_string(&codes_path).expect("read");
    let reg_name = reg_path.display().to_string();
    let codes_name = codes_path.display().to_string();

    // 1. dccp-ping's `ping` is not in the codes registry: at its <sc> in the port registry.
    let unregistered = found(&report, "registry/sc-unregistered");
    assert_eq!(
        unregistered,
        vec![(
            reg_name.clone(),
            line_of(&reg_text, "<sc>1885957735</sc>"),
            "service code 1885957735 (SC:ping) of `dccp-ping` (dccp (no port)) is not assigned \
             in the DCCP Service Codes registry"
                .to_string()
        )]
    );
    let d = report
        .diagnostics()
        .iter()
        .find(|d| d.rule == "registry/sc-unregistered")
        .expect("found above");
    let related = report.locate_label(&d.related[0]).expect("related");
    assert_eq!(related.file, codes_name);
    assert_eq!(
        related.start.line as u64,
        line_of(&codes_text, "<value>1852861809-4294967294</value>")
    );

    // 2. The RTP and syslog codes are missing from the port registry's DCCP records.
    let unrecorded = found(&report, "registry/sc-unrecorded");
    let at = |needle: &str| line_of(&reg_text, needle);
    let lines: Vec<u64> = unrecorded.iter().map(|(_, l, _)| *l).collect();
    assert_eq!(unrecorded.len(), 3, "{unrecorded:#?}");
    assert!(unrecorded.iter().all(|(f, ..)| *f == reg_name));
    assert_eq!(
        unrecorded[0].2,
        "`avt-profile-1` (dccp/5004) records no service code, but the DCCP Service Codes \
         registry assigns SC:RTCP, SC:RTPA, SC:RTPO, SC:RTPT, SC:RTPV under its specification \
         RFC 5762"
    );
    assert!(unrecorded[1].2.starts_with("`avt-profile-2` (dccp/5005)"));
    assert_eq!(
        unrecorded[2].2,
        "`syslog-tls` (dccp/6514) records no service code, but the DCCP Service Codes registry \
         assigns SC:SYLG under its specification RFC 6012"
    );
    // Each at the record's <name> line (the line before its <protocol>dccp</protocol>).
    let names: Vec<u64> = [
        "<name>avt-profile-1</name>\n    <protocol>dccp</protocol>",
        "<name>avt-profile-2</name>\n    <protocol>dccp</protocol>",
        "<name>syslog-tls</name>\n    <protocol>dccp</protocol>",
    ]
    .iter()
    .map(|n| at(n))
    .collect();
    assert_eq!(lines, names);

    // 3. The Private Use row contradicts the RFCs and the registry's own note.
    let class = found(&report, "registry/sc-class");
    assert_eq!(
        class,
        vec![(
            codes_name.clone(),
            line_of(&codes_text, "<value>7107697-1073741823</value>"),
            "the row 7107697-1073741823 says Private Use, but only 1056964608-1073741823 (first \
             byte `?`) is Private Use (RFC 4340 §19.8, RFC 5595 §2.3, as the registry's own note \
             says); 7107697-1056964607 (1049856911 codes) are not"
                .to_string()
        )]
    );
}

fn lint(dir: &TempDir, args: &[&str]) -> std::process::Output {
    let mut all = vec!["registry", "lint"];
    all.extend_from_slice(args);
    command_in(dir.path(), &all).output().expect("run portreg")
}

/// A codes registry with the real registry's defect (a Private Use row from 7107697), an
/// assignment of code 0, and acme-stream's `SC:ACME` (line numbers matter below).
const CODES: &str = r#"<?xml version='1.0' encoding='UTF-8'?>
<registry xmlns="http://www.iana.org/assignments" id="service-codes">
  <registry id="service-codes-1">
    <record>
      <value>0</value>
      <description>Bogus assignment</description>
    </record>
    <record>
      <value>7107697-1073741823</value>
      <description>Private Use</description>
    </record>
    <record>
      <value>1094929733</value>
      <ascii>ACME</ascii>
      <description>Acme media stream</description>
    </record>
  </registry>
</registry>
"#;

#[test]
fn registry_lint_reports_in_both_files() {
    let dir = TempDir::new("service-codes-lint");
    std::fs::write(dir.join("codes.xml"), CODES).expect("write");
    let registry = root().join("tests/fixtures/rules/registry.xml");
    let registry = registry.display().to_string();
    let short = |out: &std::process::Output| -> Vec<String> {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains("[registry/sc-"))
            .map(|l| l.replace(&registry, "registry.xml"))
            .collect()
    };
    let args = [
        registry.as_str(),
        "--service-codes",
        "codes.xml",
        "--format",
        "short",
    ];
    let out = lint(&dir, &args);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        short(&out),
        vec![
            "codes.xml:5:14: error[registry/sc-class]: the row assigns 0 (0x00000000), which RFC \
             4340 §19.8 does not allow to be assigned (code 0 is permanently reserved)",
            "codes.xml:9:14: error[registry/sc-class]: the row 7107697-1073741823 says Private \
             Use, but only 1056964608-1073741823 (first byte `?`) is Private Use (RFC 4340 \
             §19.8, RFC 5595 §2.3); 7107697-1056964607 (1049856911 codes) are not",
        ]
    );

    // Without acme-stream's code in the codes registry, its <sc> is reported where it is.
    let without = CODES.replace("1094929733", "1094929734");
    std::fs::write(dir.join("codes.xml"), without).expect("write");
    let out = lint(&dir, &args);
    assert_eq!(
        short(&out)[0],
        "registry.xml:137:9: warning[registry/sc-unregistered]: service code 1094929733 \
         (SC:ACME) of `acme-stream` (dccp/4500) is not assigned in the DCCP Service Codes \
         registry"
    );

    // `-A` silences the cross-checks like any rule.
    let mut quiet = args.to_vec();
    quiet.extend(["-A", "registry/sc-class", "-A", "registry/sc-unregistered"]);
    assert!(short(&lint(&dir, &quiet)).is_empty());
}

#[test]
fn a_broken_codes_registry_stops_the_command_with_its_position() {
    let dir = TempDir::new("service-codes-broken");
    let registry = root().join("tests/fixtures/rules/registry.xml");
    let registry = registry.display().to_string();
    let cases = [
        (
            CODES.replace("7107697-1073741823", "1073741823-7107697"),
            "codes.xml:9:14: `1073741823-7107697` is not a service code or a range `N-M`: the \
             range 1073741823-7107697 is reversed",
        ),
        (
            CODES.replace("Bogus assignment", "Bogus &ent; assignment"),
            "codes.xml:6:26: unknown entity reference &ent;",
        ),
        (
            std::fs::read_to_string(&registry).expect("read"),
            "not the Service Codes registry: pass it with --registry",
        ),
    ];
    for (text, want) in cases {
        std::fs::write(dir.join("codes.xml"), &text).expect("write");
        for cmd in [
            vec![
                "registry",
                "lint",
                registry.as_str(),
                "--service-codes",
                "codes.xml",
            ],
            vec![
                "check",
                "--registry",
                registry.as_str(),
                "--service-codes",
                "codes.xml",
                "x.toml",
            ],
        ] {
            std::fs::write(dir.join("x.toml"), "[[entry]]\nname = \"x\"\n").expect("write");
            let out = command_in(dir.path(), &cmd).output().expect("run");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{cmd:?}: {stderr}");
            assert!(
                stderr.contains("cannot use the service codes registry named by --service-codes"),
                "{stderr}"
            );
            assert!(stderr.contains(want), "{cmd:?}: want `{want}` in {stderr}");
        }
    }
    // Found through the environment as the port registry is.
    std::fs::write(
        dir.join("codes.xml"),
        CODES.replace("<value>0</value>", "<value>x</value>"),
    )
    .expect("write");
    let out = command_in(dir.path(), &["check", "--registry", &registry, "x.toml"])
        .env("PORTREG_SERVICE_CODES", "codes.xml")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("named by PORTREG_SERVICE_CODES: codes.xml:5:14:"),
        "{stderr}"
    );
}

#[test]
fn config_says_which_service_codes_registry_is_used() {
    let dir = TempDir::new("service-codes-config");
    std::fs::create_dir_all(dir.join("reg")).expect("mkdir");
    std::fs::write(dir.join("reg/codes.xml"), CODES).expect("write");
    std::fs::write(
        dir.join("portreg.toml"),
        "service-codes = \"reg/codes.xml\"\n",
    )
    .expect("write");
    let out = command_in(dir.path(), &["config"]).output().expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let want = format!(
        "service codes: {} (from `service-codes` in {})",
        dir.join("reg/codes.xml").display(),
        dir.join("portreg.toml").display()
    );
    assert!(stdout.contains(&want), "{stdout}");
    // The flag wins over the config, and `check` reads the file it names.
    let out = command_in(dir.path(), &["config", "--service-codes", "other.xml"])
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("service codes: other.xml (from --service-codes)"),
        "{out:?}"
    );
}
