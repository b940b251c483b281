//! Issue 12, "findings that are missing" and "time, columns, spans, words": the column
//! convention across formats, the wording of messages (code points, "did you mean", decoded
//! registry addresses), and the environment findings under `-D warnings`.

use crate::harness::{code, run, stderr, stdout, TempDir};

/// A line with multi-byte characters before the finding: `é` (2 bytes) and `—` (3 bytes), so
/// the byte column (39) and the character column (36) of `RFC0` differ.
const MULTIBYTE: &str = r#"[[entry]]
name = "acme-upload"
transport = "tcp"
description = "Acme telemetry upload"
assignee = { org = "Acme", email = "ports@acme.example" }
contact = { org = "Acme", email = "ports@acme.example" }
reference = ["Café spec — draft", "RFC0"]
"#;

#[test]
fn every_format_counts_columns_in_characters() {
    let tmp = TempDir::new("columns-multibyte");
    let path = tmp.write("acme.toml", MULTIBYTE);
    let rule = "field/reference-invalid";
    let fmt = |f: &str| stdout(&run(&["check", &path, "--no-registry", "--format", f]));

    let human = fmt("human");
    assert!(human.contains(&format!("[{path}:7:36]")), "{human}");
    let short = fmt("short");
    assert!(
        short.contains(&format!("{path}:7:36: error[{rule}]")),
        "{short}"
    );
    let github = fmt("github");
    assert!(
        github.contains(&format!(
            "file={path},line=7,endLine=7,col=36,endColumn=40,title={rule}"
        )),
        "{github}"
    );
    let json: serde_json::Value = serde_json::from_str(&fmt("json")).expect("json");
    let d = json["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["rule"] == rule))
        .expect("finding");
    assert_eq!(d["span"]["start"]["column"], 36, "{d}");
    assert_eq!(d["span"]["end"]["column"], 40, "{d}");
    let sarif: serde_json::Value = serde_json::from_str(&fmt("sarif")).expect("sarif");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["ruleId"] == rule))
        .expect("result");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], 36, "{region}");
    assert_eq!(region["endColumn"], 40, "{region}");
}

/// The JSON diagnostics of a draft checked against the rule fixtures' registry.
fn check_json(name: &str, draft: &str, extra: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let tmp = TempDir::new(name);
    let path = tmp.write("acme.toml", draft);
    let registry = crate::harness::fixture("rules/registry.xml");
    let registry = registry.to_str().expect("utf-8 path");
    let mut args = vec!["check", &path, "--registry", registry, "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(&args);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let all = v["diagnostics"].as_array().cloned().unwrap_or_default();
    (code(&out), all)
}

fn find<'a>(all: &'a [serde_json::Value], rule: &str) -> &'a serde_json::Value {
    all.iter()
        .find(|d| d["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {all:#?}"))
}

const PERSON_TYPO: &str = r#"[[entry]]
name = "acme-upload"
transport = "tcp"
description = "Acme telemetry upload"
assignee = "Acme_Crop"
contact = "jane@acme.example"
reference = "https://acme.example/upload"

[people.Acme_Corp]
org = "Acme Corporation"
email = "ports@acme.example"
"#;

#[test]
fn person_ids_get_did_you_mean_and_an_inline_hint() {
    let (_, all) = check_json("person-typo", PERSON_TYPO, &[]);
    let people: Vec<_> = all
        .iter()
        .filter(|d| d["rule"] == "draft/unknown-person")
        .collect();
    assert_eq!(people.len(), 2, "{all:#?}");
    let typo = people[0];
    assert_eq!(typo["related"], serde_json::Value::Null);
    assert!(
        typo["help"]
            .as_str()
            .is_some_and(|h| h.contains("`Acme_Corp` is in this draft's `[people]`")),
        "{typo}"
    );
    let email = people[1];
    assert!(
        email["help"].as_str().is_some_and(|h| {
            h.contains(
            "write the person inline: `contact = { name = \"...\", email = \"jane@acme.example\" }`"
        )
        }),
        "{email}"
    );
    // A registry id one letter off: `Jane_Row` for the registry's `Jane_Roe`.
    let (_, all) = check_json(
        "person-registry-typo",
        &PERSON_TYPO
            .replace("\"Acme_Crop\"", "\"Acme_Corp\"")
            .replace("\"jane@acme.example\"", "\"Jane_Row\""),
        &[],
    );
    let d = find(&all, "draft/unknown-person");
    assert!(
        d["help"]
            .as_str()
            .is_some_and(|h| h.contains("`Jane_Roe` is a person in the registry")),
        "{d}"
    );
}

#[test]
fn a_look_alike_dash_is_named_by_its_code_point() {
    let draft = PERSON_TYPO
        .replace("acme-upload\"", "acme\u{2013}relay\"")
        .replace("\"Acme_Crop\"", "\"Acme_Corp\"")
        .replace("\"jane@acme.example\"", "\"Acme_Corp\"");
    let (_, all) = check_json("dash", &draft, &[]);
    let d = find(&all, "name/invalid-char");
    assert_eq!(
        d["message"],
        "service name `acme\u{2013}relay` contains `\u{2013}` (U+2013); only ASCII letters, digits and hyphens are allowed"
    );
    assert!(
        d["help"]
            .as_str()
            .is_some_and(|h| h.contains("write the ASCII hyphen `-` (`acme-relay`)")),
        "{d}"
    );
}

#[test]
fn placeholders_and_transport_words_are_worded_for_the_key() {
    let draft = r#"[[entry]]
name = "acme-tcp"
transport = "tcp"
port = 4310
description = "Acme telemetry upload"
assignee = "Acme_Corp"
contact = "Jane_Roe"
reference = "https://acme.example/upload"

[entry.justification]
why-not-dynamic = "-"
cast = "none"
security = "N/A"
versioning = "TBD"
"#;
    let (code_, all) = check_json("placeholders", draft, &[]);
    assert_eq!(code_, 0, "warnings only: {all:#?}");
    let got: Vec<&str> = all
        .iter()
        .filter(|d| d["rule"] == "field/placeholder")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(
        got,
        [
            "`why-not-dynamic` only says `-`, a placeholder rather than an answer",
            "`security` only says `N/A`, a placeholder rather than an answer",
            "`versioning` only says `TBD`, a placeholder rather than an answer",
        ]
    );
    // A placeholder is not also a missing answer.
    assert!(all
        .iter()
        .all(|d| d["rule"] != "field/why-not-dynamic-missing"
            && d["rule"] != "policy/security-undeclared"));
    let d = find(&all, "name/redundant-word");
    assert_eq!(
        d["message"],
        "service name `acme-tcp` contains the transport `tcp`; a service name covers every transport"
    );
}

#[test]
fn environment_warnings_stay_warnings_under_deny_warnings() {
    let draft = crate::harness::fixture("rules/name/redundant-word.clean.toml");
    let draft = draft.to_str().expect("utf-8 path");
    // No registry found: `registry/unavailable` is shown, and `-D warnings` does not fail.
    let out = run(&["check", draft, "--format", "short", "-D", "warnings"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("warning[registry/unavailable]"),
        "{}",
        stdout(&out)
    );
    // Named, it is denied.
    let out = run(&[
        "check",
        draft,
        "--format",
        "short",
        "-D",
        "registry/unavailable",
    ]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(stdout(&out).contains("error[registry/unavailable]"));
}

#[test]
fn summaries_without_entries_do_not_count_zero_entries() {
    let tmp = TempDir::new("no-entries-summary");
    let path = tmp.write("broken.toml", "[[entry]\nname = 1\n");
    let out = run(&["check", &path, "--no-registry"]);
    let text = stdout(&out);
    assert!(!text.contains("in 0 entries"), "{text}");
    assert!(text.ends_with("1 error, 0 warnings in 1 file\n"), "{text}");
}

#[test]
fn an_impossible_today_names_the_missing_day() {
    let tmp = TempDir::new("impossible-today");
    let path = tmp.write("acme.toml", MULTIBYTE);
    let out = crate::harness::command(&["check", &path, "--no-registry"])
        .env("PORTREG_TODAY", "2026-11-31")
        .output()
        .expect("run portreg");
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out)
            .contains("2026-11-31 has the form YYYY-MM-DD but day 31 does not exist in 2026-11"),
        "{}",
        stderr(&out)
    );
}

/// Against the real registry: `ssh` is held by its TCP records' people, not by the author
/// named on its later SCTP record.
#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn name_taken_quotes_the_main_holder() {
    let registry = crate::harness::real_registry_file(crate::harness::REAL_CURRENT);
    let registry = registry.to_str().expect("utf-8 path");
    let tmp = TempDir::new("ssh-taken");
    let path = tmp.write(
        "ssh.toml",
        &PERSON_TYPO
            .replace("acme-upload", "ssh")
            .replace("\"Acme_Crop\"", "\"Acme_Corp\"")
            .replace("\"jane@acme.example\"", "\"Acme_Corp\""),
    );
    let out = run(&["check", &path, "--registry", registry, "--format", "short"]);
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.contains("conflict/name-taken"))
        .expect("name taken");
    assert!(line.contains("Tatu_Ylonen"), "{line}");
    assert!(!line.contains("Randall_Stewart"), "{line}");
}

/// `registry lint` shows IANA's `&` addresses as the address they stand for.
#[test]
#[ignore = "needs PORTREG_REAL_REGISTRY_DIR"]
fn registry_emails_are_shown_decoded() {
    let registry = crate::harness::real_registry_file(crate::harness::REAL_CURRENT);
    let registry = registry.to_str().expect("utf-8 path");
    let out = run(&["registry", "lint", registry, "--format", "short"]);
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.contains("person `NetApp_2`"))
        .expect("NetApp_2");
    assert!(
        line.contains("`pmu@netapp.com.` is not a usable email address: it ends with a dot; `pmu@netapp.com` is probably meant"),
        "{line}"
    );
}
