//! The generated documentation stays true: `docs/rules.md` equals what
//! `portreg rules --format markdown` prints, and `docs/draft.schema.json` accepts the keys and
//! value types the draft reader accepts (and rejects what the reader reports as
//! `draft/unknown-key` or `draft/type`).
//!
//! The schema is checked with a small JSON Schema validator below that implements exactly the
//! keywords the schema uses; a keyword it does not know fails the test, so the schema cannot
//! grow a construct that is not checked here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use portreg::testing::read::keys;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn rules_md_is_up_to_date() {
    let path = root().join("docs/rules.md");
    let expected = portreg::testing::rules::rules_markdown();
    let actual = std::fs::read_to_string(&path)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    if actual == expected {
        return;
    }
    if std::env::var_os("PORTREG_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &expected).expect("docs/rules.md is writable");
        eprintln!("PORTREG_BLESS=1: regenerated docs/rules.md");
        return;
    }
    let line = actual
        .lines()
        .zip(expected.lines())
        .position(|(a, e)| a != e)
        .map_or_else(
            || actual.lines().count().min(expected.lines().count()) + 1,
            |i| i + 1,
        );
    panic!(
        "docs/rules.md is out of date (first difference at line {line}); run \
         `cargo run -- rules --format markdown > docs/rules.md`, or run the tests with \
         PORTREG_BLESS=1 to regenerate it"
    );
}

// ---------------------------------------------------------------------------------------
// The schema

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("docs/draft.schema.json"))
        .expect("docs/draft.schema.json is readable");
    serde_json::from_str(&text).expect("docs/draft.schema.json is valid JSON")
}

/// Follows `$ref` (only `#/$defs/<name>` is used) until a schema without one.
fn resolve<'a>(root: &'a Value, mut s: &'a Value) -> &'a Value {
    while let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r
            .strip_prefix("#/$defs/")
            .unwrap_or_else(|| panic!("unsupported $ref {r}"));
        s = &root["$defs"][name];
        assert!(!s.is_null(), "dangling $ref {r}");
    }
    s
}

const ANNOTATIONS: &[&str] = &["$schema", "title", "description", "examples"];
const KEYWORDS: &[&str] = &[
    "$ref",
    "$defs",
    "type",
    "properties",
    "additionalProperties",
    "patternProperties",
    "required",
    "items",
    "enum",
    "const",
    "minimum",
    "maximum",
    "pattern",
    "anyOf",
    "oneOf",
];

fn type_matches(ty: &str, v: &Value) -> bool {
    match ty {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "null" => v.is_null(),
        other => panic!("unsupported type {other}"),
    }
}

/// Validates `v` against `s`, pushing `path: problem` lines into `errors`.
fn validate(root: &Value, s: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    let obj = match s {
        Value::Bool(true) => return,
        Value::Bool(false) => {
            errors.push(format!("{path}: not allowed"));
            return;
        }
        Value::Object(o) => o,
        other => panic!("a schema must be an object or a boolean, not {other}"),
    };
    for k in obj.keys() {
        assert!(
            KEYWORDS.contains(&k.as_str()) || ANNOTATIONS.contains(&k.as_str()),
            "the test validator does not implement `{k}`; add it or do not use it"
        );
    }
    if obj.contains_key("$ref") {
        validate(root, resolve(root, s), v, path, errors);
    }
    if let Some(ty) = obj.get("type") {
        let ok = match ty {
            Value::String(t) => type_matches(t, v),
            Value::Array(ts) => ts.iter().any(|t| type_matches(t.as_str().unwrap(), v)),
            _ => panic!("bad `type` {ty}"),
        };
        if !ok {
            errors.push(format!("{path}: expected type {ty}, got {v}"));
            return;
        }
    }
    if let Some(c) = obj.get("const") {
        if c != v {
            errors.push(format!("{path}: expected {c}, got {v}"));
        }
    }
    if let Some(Value::Array(e)) = obj.get("enum") {
        if !e.contains(v) {
            errors.push(format!(
                "{path}: {v} is not one of {}",
                Value::Array(e.clone())
            ));
        }
    }
    if let Some(n) = v.as_f64() {
        if let Some(min) = obj.get("minimum").and_then(Value::as_f64) {
            if n < min {
                errors.push(format!("{path}: {v} is below {min}"));
            }
        }
        if let Some(max) = obj.get("maximum").and_then(Value::as_f64) {
            if n > max {
                errors.push(format!("{path}: {v} is above {max}"));
            }
        }
    }
    if let (Some(p), Value::String(text)) = (obj.get("pattern").and_then(Value::as_str), v) {
        if !regex::Regex::new(p)
            .expect("pattern compiles")
            .is_match(text)
        {
            errors.push(format!("{path}: {v} does not match {p}"));
        }
    }
    if let Value::Array(items) = v {
        if let Some(item_schema) = obj.get("items") {
            for (i, item) in items.iter().enumerate() {
                validate(root, item_schema, item, &format!("{path}[{i}]"), errors);
            }
        }
    }
    if let Value::Object(map) = v {
        if let Some(Value::Array(req)) = obj.get("required") {
            for r in req {
                if !map.contains_key(r.as_str().unwrap()) {
                    errors.push(format!("{path}: missing required key {r}"));
                }
            }
        }
        let props = obj.get("properties").and_then(Value::as_object);
        let patterns: Vec<(regex::Regex, &Value)> = obj
            .get("patternProperties")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(p, s)| (regex::Regex::new(p).expect("pattern compiles"), s))
                    .collect()
            })
            .unwrap_or_default();
        for (k, item) in map {
            let sub = format!("{path}.{k}");
            let mut matched = false;
            if let Some(ps) = props.and_then(|p| p.get(k)) {
                validate(root, ps, item, &sub, errors);
                matched = true;
            }
            for (re, ps) in &patterns {
                if re.is_match(k) {
                    validate(root, ps, item, &sub, errors);
                    matched = true;
                }
            }
            if !matched {
                if let Some(extra) = obj.get("additionalProperties") {
                    if extra == &Value::Bool(false) {
                        errors.push(format!("{sub}: unknown key"));
                    } else {
                        validate(root, extra, item, &sub, errors);
                    }
                }
            }
        }
    }
    for (kw, exactly_one) in [("anyOf", false), ("oneOf", true)] {
        if let Some(Value::Array(alts)) = obj.get(kw) {
            let results: Vec<Vec<String>> = alts
                .iter()
                .map(|a| {
                    let mut e = Vec::new();
                    validate(root, a, v, path, &mut e);
                    e
                })
                .collect();
            let passing = results.iter().filter(|e| e.is_empty()).count();
            if passing == 0 || (exactly_one && passing > 1) {
                let why: Vec<String> = results.into_iter().flatten().collect();
                errors.push(format!(
                    "{path}: {v} matches {passing} of the {kw} alternatives ({})",
                    why.join("; ")
                ));
            }
        }
    }
}

fn schema_errors(schema: &Value, draft_toml: &str) -> Vec<String> {
    let value: toml::Value = toml::from_str(draft_toml).expect("test draft is valid TOML");
    let json = serde_json::to_value(value).expect("TOML converts to JSON");
    let mut errors = Vec::new();
    validate(schema, schema, &json, "$", &mut errors);
    errors
}

/// Whether portreg's reader reports an unknown key or a wrong type in the draft.
fn reader_rejects(draft_toml: &str) -> Vec<String> {
    let (_, findings) = portreg::testing::read::read_draft(draft_toml);
    findings
        .into_iter()
        .filter(|f| f.rule == "draft/unknown-key" || f.rule == "draft/type")
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect()
}

fn property_names(s: &Value) -> BTreeSet<String> {
    s["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no properties in {s}"))
        .keys()
        .cloned()
        .collect()
}

fn set(keys: &[&str]) -> BTreeSet<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

#[test]
fn schema_keys_match_the_reader() {
    let schema = schema();
    let defs = &schema["$defs"];
    let cast = defs["justification"]["properties"]["cast"]["anyOf"]
        .as_array()
        .expect("cast is anyOf")
        .iter()
        .find(|a| a["type"] == "object")
        .expect("cast has a table form");
    let allow = &defs["lint"]["properties"]["allow"]["items"];
    let levels: [(&str, &Value, &[&str]); 8] = [
        ("TOP", &schema, keys::TOP),
        ("ENTRY", &defs["entry"], keys::ENTRY),
        ("CHANGES", &defs["changes"], keys::CHANGES),
        ("JUSTIFICATION", &defs["justification"], keys::JUSTIFICATION),
        ("CAST", cast, keys::CAST),
        ("PERSON", &defs["person"], keys::PERSON),
        ("LINT", &defs["lint"], keys::LINT),
        ("ALLOW", allow, keys::ALLOW),
    ];
    for (name, s, reader) in levels {
        assert_eq!(
            property_names(s),
            set(reader),
            "the schema's keys differ from keys::{name} in src/read/keys.rs"
        );
        assert_eq!(
            s["additionalProperties"],
            Value::Bool(false),
            "the reader reports unknown keys at the {name} level, so the schema must too"
        );
    }
    // `people` is a map from any id to a person.
    assert_eq!(
        schema["properties"]["people"]["additionalProperties"]["$ref"],
        "#/$defs/person"
    );
}

/// Every key has a description (editors show it on hover and completion), and every object
/// with named keys closes them.
#[test]
fn schema_documents_every_key() {
    fn walk(root: &Value, s: &Value, path: &str, missing: &mut Vec<String>) {
        let Some(obj) = s.as_object() else { return };
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            assert_eq!(
                obj.get("additionalProperties"),
                Some(&Value::Bool(false)),
                "{path} lists keys but does not close them"
            );
            for (k, p) in props {
                let described =
                    p.get("description").is_some() || resolve(root, p).get("description").is_some();
                if !described {
                    missing.push(format!("{path}.{k}"));
                }
            }
        }
        for (k, sub) in obj {
            match sub {
                Value::Object(_) => walk(root, sub, &format!("{path}/{k}"), missing),
                Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        walk(root, x, &format!("{path}/{k}/{i}"), missing);
                    }
                }
                _ => {}
            }
        }
    }
    let schema = schema();
    let mut missing = Vec::new();
    walk(&schema, &schema, "#", &mut missing);
    assert!(
        missing.is_empty(),
        "keys without a description: {missing:?}"
    );
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(
        schema.get("required").is_none() && schema["$defs"]["entry"].get("required").is_none(),
        "missing fields are the rules' job (see the schema's description)"
    );
}

fn example_drafts() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root().join("examples")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).expect("examples/ is readable") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "toml")
                && p.file_name()
                    .is_some_and(|n| n != "portreg.toml" && n != "custom-rules.toml")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    assert!(out.len() >= 8, "expected the example drafts, found {out:?}");
    out
}

/// Each example draft validates against the schema exactly when the reader finds no unknown
/// key and no wrong type in it (`examples/mistakes/incomplete.toml` has a misspelt key on
/// purpose, so it must fail).
#[test]
fn example_drafts_validate_as_the_reader_reads_them() {
    let schema = schema();
    let mut failures = Vec::new();
    let mut rejected = 0;
    for path in example_drafts() {
        let text = std::fs::read_to_string(&path).expect("example is readable");
        let errors = schema_errors(&schema, &text);
        let reader = reader_rejects(&text);
        if reader.is_empty() != errors.is_empty() {
            failures.push(format!(
                "{}: schema says {errors:?}, reader says {reader:?}",
                path.display()
            ));
        }
        rejected += usize::from(!reader.is_empty());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        rejected >= 1,
        "expected at least one example with an unknown key"
    );
}

const VALID_ENTRY: &str = r#"
[[entry]]
name = "acme-telemetry"
transport = "tcp"
port = 4873
description = "Acme telemetry upload"
assignee = "Acme_Corp"
contact = { name = "Jane Doe", email = "jane@acme.example" }
reference = "RFC9999"
"#;

/// Drafts on which the schema and the reader must agree: valid shapes of every key, and
/// unknown keys and wrong types at every level.
#[test]
fn schema_and_reader_agree_on_shapes() {
    let cases: &[(&str, bool)] = &[
        // Valid: every alternative form the reader accepts.
        (VALID_ENTRY, true),
        ("format = 1\n[[entry]]\nname = \"a\"\ntransport = [\"tcp\", \"udp\"]\nport = \"8000-8010\"", true),
        ("[[entry]]\nport = \"user\"\nreference = [\"RFC1\", \"https://x.example\"]", true),
        ("[[entry]]\nport = \"system\"\nkind = \"extend\"\ntxt-keys = []", true),
        ("[[entry]]\nport = \"4873\"\ntransport = \"dccp\"\nservice-code = 1234", true),
        ("[[entry]]\nservice-code = \"SC:acme\"\nnotes = \"n\"\nunauthorized = \"u\"", true),
        ("[[entry]]\nassignee = { org = \"Acme\", uri = \"https://acme.example\" }", true),
        ("[[entry]]\n[entry.justification]\ncast = { broadcast = false, multicast = true, anycast = false }\nwhy-not-dynamic = \"x\"\nwhy-not-user = \"x\"\nwhy-multiple-transports = \"x\"\nwhy-multiple-ports = \"x\"\nsecurity = \"x\"\nversioning = \"x\"\ndiscovery = \"dns-sd\"", true),
        ("[[entry]]\n[entry.justification]\ncast = \"unicast only\"", true),
        ("[[entry]]\n[entry.lint]\nallow = [{ rule = \"name/version\", reason = \"brand\" }, { rule = \"port/system\" }]", true),
        ("[[entry]]\n[people.Acme_Corp]\norg = \"Acme\"\nemail = \"a@acme.example\"\n[people.Jane_Doe]\nname = \"Jane\"", true),
        ("[[entry]]\nkind = \"deassign\"\nrequester = \"Acme_Corp\"\nkeep-name = false\nno-longer-used = \"gone\"\nreference = \"RFC1\"", true),
        ("[[entry]]\nkind = \"modify\"\nrequester = { name = \"Jane\", email = \"j@acme.example\" }\nsuccession = \"merged\"\n[entry.changes]\ndescription = \"d\"\ncontact = \"Jane_Doe\"\nreference = [\"RFC1\"]\nnotes = \"n\"\nname = \"acme-x\"\nassignee = { org = \"Acme\", email = \"a@acme.example\" }", true),
        ("[[entry]]\nkind = \"reuse\"\nprevious = \"acme-old\"\nrequester = \"Acme_Corp\"", true),
        ("[[entry]]\nkind = \"transfer\"\nrequester = \"Acme_Corp\"\nto = \"Other_Inc\"", true),
        // Unknown keys, at every level.
        ("colour = 1\n[[entry]]", false),
        ("[[entry]]\ndescripton = \"typo\"", false),
        ("[[entry]]\ncontact = { name = \"Jane\", phone = \"123\" }", false),
        ("[[entry]]\n[entry.justification]\nwhy_not_dynamic = \"x\"", false),
        ("[[entry]]\n[entry.justification]\ncast = { unicast = true }", false),
        ("[[entry]]\n[entry.lint]\ndeny = []", false),
        ("[[entry]]\n[entry.lint]\nallow = [{ rule = \"name/version\", because = \"x\" }]", false),
        ("[[entry]]\n[people.X]\nphone = \"1\"", false),
        // Wrong types.
        ("format = \"1\"\n[[entry]]", false),
        ("format = 2\n[[entry]]", false),
        ("[entry]\nname = \"single-table\"", false),
        ("[[entry]]\nname = 42", false),
        ("[[entry]]\ntransport = {}", false),
        ("[[entry]]\ntransport = [\"tcp\", 6]", false),
        ("[[entry]]\nport = 48.5", false),
        ("[[entry]]\nport = true", false),
        ("[[entry]]\nreference = 6335", false),
        ("[[entry]]\nservice-code = 1.5", false),
        ("[[entry]]\ntxt-keys = \"path\"", false),
        ("[[entry]]\nkind = \"old\"", false),
        ("[[entry]]\nkind = \"modify\"\n[entry.changes]\ncolour = \"x\"", false),
        ("[[entry]]\nkind = \"deassign\"\nkeep-name = \"yes\"", false),
        ("[[entry]]\nkind = \"transfer\"\nto = 5", false),
        ("[[entry]]\nassignee = 7", false),
        ("[[entry]]\njustification = \"because\"", false),
        ("[[entry]]\n[entry.justification]\ncast = { multicast = \"yes\" }", false),
        ("[[entry]]\n[entry.justification]\ncast = false", false),
        ("[[entry]]\n[entry.lint]\nallow = \"name/version\"", false),
        ("[[entry]]\n[entry.lint]\nallow = [\"name/version\"]", false),
        ("[[entry]]\n[entry.lint]\nallow = [{ reason = \"no rule\" }]", false),
        ("[[entry]]\n[entry.lint]\nallow = [{ rule = 1 }]", false),
        ("people = 1\n[[entry]]", false),
        ("[[entry]]\n[people]\nJane = \"jane@acme.example\"", false),
    ];
    let schema = schema();
    let mut failures = Vec::new();
    for (draft, valid) in cases {
        let errors = schema_errors(&schema, draft);
        let reader = reader_rejects(draft);
        if errors.is_empty() != *valid || reader.is_empty() != *valid {
            failures.push(format!(
                "--- expected {}:\n{draft}\nschema: {errors:?}\nreader: {reader:?}",
                if *valid { "valid" } else { "invalid" }
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Where the schema is deliberately stricter than the reader: values of the right type that a
/// rule (not the reader) reports, caught early in the editor.
#[test]
fn schema_catches_closed_vocabularies_early() {
    let schema = schema();
    for (draft, rule) in [
        ("[[entry]]\ntransport = \"TCP\"", "transport/unknown"),
        (
            "[[entry]]\ntransport = [\"tcp\", \"quic\"]",
            "transport/unknown",
        ),
        ("[[entry]]\nport = 70000", "port/invalid"),
        ("[[entry]]\nport = -1", "port/invalid"),
        ("[[entry]]\nport = \"80-\"", "port/invalid"),
        ("[[entry]]\nport = \"USER\"", "port/invalid"),
    ] {
        assert!(
            reader_rejects(draft).is_empty(),
            "the reader itself rejects {draft:?}"
        );
        assert!(
            !schema_errors(&schema, draft).is_empty(),
            "the schema should reject {draft:?} ({rule})"
        );
    }
}

#[test]
fn validator_self_check() {
    let s: Value = serde_json::json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {"a": {"oneOf": [{"type": "integer"}, {"type": "number"}]}},
        "patternProperties": {"^x-": {"type": "string"}}
    });
    let check = |v: Value| {
        let mut e = Vec::new();
        validate(&s, &s, &v, "$", &mut e);
        e
    };
    assert!(check(serde_json::json!({"a": 1.5, "x-y": "z"})).is_empty());
    assert_eq!(
        check(serde_json::json!({"a": 1})).len(),
        1,
        "1 matches both"
    );
    assert_eq!(check(serde_json::json!({"b": 1})).len(), 1);
    assert_eq!(check(serde_json::json!({"x-y": 1})).len(), 1);
}
