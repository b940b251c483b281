//! Property: the `name/` syntax rules agree with a straightforward reading of RFC 6335 §5.1
//! (and a name in DNS SRV label form is reported as that, once).
//!
//! "Valid service names ... MUST be at least 1 character and no more than 15 characters long;
//! MUST contain only US-ASCII letters 'A' - 'Z' and 'a' - 'z', digits '0' - '9', and hyphens
//! ('-', ASCII 0x2D or decimal 45); MUST contain at least one letter ('A' - 'Z' or 'a' - 'z');
//! MUST NOT begin or end with a hyphen; hyphens MUST NOT be adjacent to other hyphens."

use std::collections::BTreeSet;

use portreg::{check_drafts, DraftInput, Options};
use proptest::prelude::*;

/// The rule ids this property is about; every other rule is ignored.
const SYNTAX_RULES: &[&str] = &[
    "name/missing",
    "name/too-long",
    "name/invalid-char",
    "name/no-letter",
    "name/hyphen-edge",
    "name/double-hyphen",
    "name/srv-label",
];

/// RFC 6335 §5.1, written independently of portreg: which syntax rules `name` breaks.
fn reference(name: &str) -> BTreeSet<&'static str> {
    let mut broken = BTreeSet::new();
    if name.is_empty() {
        broken.insert("name/missing");
        return broken;
    }
    if name.chars().count() > 15 {
        broken.insert("name/too-long");
    }
    // A DNS SRV label (`_http._tcp`) is one mistake, name/srv-label's; only a bad character
    // of the bare name inside it is one more.
    let lower = name.to_ascii_lowercase();
    let srv = lower.starts_with('_')
        || ["._tcp", "._udp", "._sctp", "._dccp"]
            .iter()
            .any(|p| lower.contains(p));
    let checked = if srv {
        broken.insert("name/srv-label");
        let bare = name.trim_start_matches('_');
        bare.split("._").next().unwrap_or(bare)
    } else {
        name
    };
    if !checked
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        broken.insert("name/invalid-char");
    }
    if !name.chars().any(|c| c.is_ascii_alphabetic()) {
        broken.insert("name/no-letter");
    }
    if name.starts_with('-') || name.ends_with('-') {
        broken.insert("name/hyphen-edge");
    }
    if name.contains("--") {
        broken.insert("name/double-hyphen");
    }
    broken
}

/// `name` as a TOML string: a literal string when it can be one, else a basic string with
/// `"`, `\` and control characters escaped.
fn toml_string(name: &str) -> String {
    let literal_ok = !name.contains('\'') && !name.chars().any(|c| c.is_control());
    if literal_ok {
        return format!("'{name}'");
    }
    let mut out = String::from("\"");
    for c in name.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The syntax rules portreg reports for `[[entry]] name = <name>`.
fn portreg_rules(name: &str) -> BTreeSet<String> {
    let draft = format!("[[entry]]\nname = {}\n", toml_string(name));
    let report = check_drafts(
        vec![DraftInput::new("name.toml", draft.clone())],
        &Options::default(),
    );
    let all: Vec<&str> = report
        .diagnostics()
        .iter()
        .map(|d| d.rule.as_str())
        .collect();
    assert!(
        !all.contains(&"draft/syntax") && !all.contains(&"draft/type"),
        "the test wrote bad TOML: {draft}\n{all:?}"
    );
    report
        .diagnostics()
        .iter()
        .map(|d| d.rule.clone())
        .filter(|r| SYNTAX_RULES.contains(&r.as_str()))
        .collect()
}

fn check(name: &str) -> Result<(), TestCaseError> {
    let expected: BTreeSet<String> = reference(name).into_iter().map(String::from).collect();
    let got = portreg_rules(name);
    prop_assert_eq!(
        expected.is_empty(),
        got.is_empty(),
        "{:?}: valid per RFC 6335 = {}, portreg reports {:?}",
        name,
        expected.is_empty(),
        got
    );
    prop_assert_eq!(&got, &expected, "{:?}", name);
    Ok(())
}

/// Characters weighted so that valid names, near misses and hostile input all occur.
fn name_char() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => prop::char::range('a', 'z'),
        3 => prop::char::range('A', 'Z'),
        3 => prop::char::range('0', '9'),
        3 => Just('-'),
        1 => Just('_'),
        1 => Just('.'),
        1 => Just(' '),
        1 => prop::sample::select(vec![
            'é', 'ß', 'İ', 'ı', '\u{212A}', // Kelvin sign: lower-cases to ASCII `k`
            'Ａ', '٣', '−', '‐', '\u{00A0}', '\u{200B}', '😀', '"', '\\', '\'', '\t', '\n',
            '\u{7F}', '/', '=', '#', '[', '$',
        ]),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(name_char(), 0..=25).prop_map(|cs| cs.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn name_syntax_rules_match_rfc_6335(name in name()) {
        check(&name)?;
    }

    /// Only the valid alphabet, so that valid names are common.
    #[test]
    fn name_syntax_rules_match_rfc_6335_on_the_valid_alphabet(
        name in "[a-zA-Z0-9-]{0,20}"
    ) {
        check(&name)?;
    }
}

#[test]
fn reference_examples() {
    // The reference itself, on names from RFC 6335 and the registry.
    assert!(reference("http").is_empty());
    assert!(reference("xmpp-client").is_empty());
    assert!(reference("a").is_empty());
    assert!(reference("abcdefghijklmno").is_empty());
    assert_eq!(reference("abcdefghijklmnop"), ["name/too-long"].into());
    assert_eq!(reference("23"), ["name/no-letter"].into());
    assert_eq!(
        reference("6000-6063"),
        ["name/no-letter"].into(),
        "a range-looking name"
    );
    assert_eq!(reference("-a"), ["name/hyphen-edge"].into());
    assert_eq!(reference("a--b"), ["name/double-hyphen"].into());
    assert_eq!(reference("a_b"), ["name/invalid-char"].into());
    assert_eq!(reference("_http._tcp"), ["name/srv-label"].into());
    assert_eq!(
        reference("_a_b._tcp"),
        ["name/invalid-char", "name/srv-label"].into()
    );
    assert_eq!(reference(""), ["name/missing"].into());
    assert_eq!(
        reference("-"),
        ["name/no-letter", "name/hyphen-edge"].into()
    );
}

#[test]
fn fixed_examples() {
    for name in [
        "",
        "a",
        "-",
        "--",
        "---",
        "a-",
        "-a-",
        "a--b",
        "6000-6063",
        "\u{212A}erberos",
        "\u{0130}map",
        "ａbc",
        "abc\u{0}",
        "a'b\"c\\d",
        "abcdefghijklmno",
        "abcdefghijklmnop",
        "ééééééééééééééé",
        "_http._tcp",
        " http",
        "http ",
    ] {
        check(name).unwrap_or_else(|e| panic!("{e}"));
    }
}
