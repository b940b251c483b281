//! Runnable rule docs: the explanation of every rule in `rules/*.toml` (what `portreg explain`
//! prints and `docs/rules.md` shows) has a `## Example` section and, mostly, a `Use instead`
//! part after it. The rule must fire on every code block of `## Example` and must not fire on
//! any code block of `Use instead`. A block is run as written, even when it is not a complete
//! request (most drafts show only the keys the rule reads), so other rules, such as a missing
//! description, may fire on either block: only the rule itself is asserted.
//!
//! How a block is run depends on its fence and the rule (all through the binary, from a
//! temporary folder, with the harness's clean environment and fixed today):
//!
//! - `toml`, for a `config/` rule: the block is `portreg.toml`, or (when it starts with
//!   `[[rule]]`) a custom rules file `house.toml` that `portreg.toml` names; `portreg check` then
//!   checks a clean draft. The folder also holds `registry/service-names-port-numbers.xml`,
//!   so a config may name that registry file.
//! - `toml`, any other rule: the block is a draft, `acme.toml`, checked with `--no-registry`,
//!   or against [`REGISTRY`] when the rule needs the registry.
//! - `xml`: records, and `<person>` elements, of a tiny registry (the records go where IANA's
//!   file has them, the people into `<people>`) that `portreg registry lint` reads, with
//!   [`SERVICE_CODES`] as its DCCP Service Codes registry; a block of `<value>` rows is the
//!   Service Codes registry instead, beside a clean port registry. A block
//!   with `<!-- BASE -->` and `<!-- HEAD -->` is two such registries for `registry diff`.
//! - `json`: one baseline entry; `registry lint --baseline` runs with a baseline holding it
//!   on a tiny registry with one clean record.
//! - `sh`: the `portreg` commands are run in order. `acme.toml` is a clean draft;
//!   `portreg registry update` is done without the network, by copying [`REGISTRY`] to where
//!   the update writes the cache; any other registry file a command names is [`REGISTRY`] as
//!   it was on [`STALE`] (its `<updated>` date).
//!
//! A block in another language, or a rule without an example, fails the test.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use crate::harness::{command_in, finish, root, TempDir};

/// The registry of the examples that need one: the few real records they name.
const REGISTRY: &str = "tests/fixtures/registry/rule-examples.xml";
/// The DCCP Service Codes registry every `registry lint` of an `xml` block reads.
const SERVICE_CODES: &str = "tests/fixtures/registry/rule-examples-service-codes.xml";
/// A clean draft, for the blocks that are not drafts.
const CLEAN_DRAFT: &str = "examples/user-port-tcp.toml";
/// The `<updated>` date of a registry file named by an `sh` example (older than 60 days).
const STALE: &str = "2025-01-15";

/// A fenced code block: (language, text with a final newline).
type Block = (String, String);

/// One rule's examples, from its TOML block.
struct RuleDocs {
    id: String,
    needs_registry: bool,
    /// Code blocks of `## Example`, then of `Use instead`: (fence language, text).
    fires: Vec<Block>,
    clean: Vec<Block>,
}

fn rule_docs() -> Vec<RuleDocs> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("rules"))
        .expect("rules/")
        .map(|e| e.expect("rules/ entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read rules file");
        let doc: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{} is not TOML: {e}", path.display()));
        for rule in doc["rule"].as_array().expect("[[rule]] tables") {
            let id = rule["id"].as_str().expect("rule id").to_string();
            let explanation = rule.get("explanation").and_then(|e| e.as_str());
            let (fires, clean) = examples(explanation.unwrap_or(""));
            out.push(RuleDocs {
                needs_registry: rule
                    .get("needs-registry")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false),
                id,
                fires,
                clean,
            });
        }
    }
    out
}

/// The code blocks of the `## Example` section: those before `Use instead`, and those after.
fn examples(explanation: &str) -> (Vec<Block>, Vec<Block>) {
    let Some(at) = explanation.find("## Example") else {
        return (Vec::new(), Vec::new());
    };
    let section = &explanation[at + "## Example".len()..];
    let section = section.find("\n## ").map_or(section, |end| &section[..end]);
    match section.find("Use instead") {
        Some(split) => (
            code_blocks(&section[..split]),
            code_blocks(&section[split..]),
        ),
        None => (code_blocks(section), Vec::new()),
    }
}

/// The fenced code blocks of Markdown text.
fn code_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some((_, body)) = open.as_mut() {
            if line.trim_end() == "```" {
                blocks.extend(open.take());
            } else {
                body.push_str(line);
                body.push('\n');
            }
        } else if let Some(lang) = line.strip_prefix("```") {
            open = Some((lang.trim().to_string(), String::new()));
        }
    }
    assert!(open.is_none(), "unclosed code block in:\n{text}");
    blocks
}

/// Every rule id of a run: the unsuppressed diagnostics of the JSON report on stdout, and the
/// ids of `known` rules named on stderr (config errors are reported there, with exit 2).
fn reported(out: &Output, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    if let Ok(report) = serde_json::from_slice::<serde_json::Value>(&out.stdout) {
        for d in report["diagnostics"].as_array().into_iter().flatten() {
            if d["suppressed"] != serde_json::Value::Bool(true) {
                ids.extend(d["rule"].as_str().map(str::to_string));
            }
        }
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let word = regex::Regex::new(r"[a-z]+/[a-z0-9-]+").expect("regex");
    ids.extend(
        word.find_iter(&err)
            .map(|m| m.as_str().to_string())
            .filter(|id| known.contains(id)),
    );
    ids
}

fn portreg(dir: &Path, args: &[&str]) -> Output {
    let cache = dir.join("cache");
    let out = command_in(dir, args)
        .env("XDG_CACHE_HOME", &cache)
        .env("HOME", &cache)
        .output()
        .expect("run portreg");
    finish(out, args)
}

fn fixture_registry() -> String {
    std::fs::read_to_string(root().join(REGISTRY)).expect("read the rule-docs registry")
}

fn clean_draft() -> String {
    std::fs::read_to_string(root().join(CLEAN_DRAFT)).expect("read the clean draft")
}

/// A registry file around `block`: its `<person>` elements go into `<people>`, the rest
/// (records and comments) before it.
fn tiny_registry(block: &str) -> String {
    let (records, people) = match block.find("<person") {
        Some(at) => block.split_at(at),
        None => (block, ""),
    };
    format!(
        "<?xml version='1.0' encoding='UTF-8'?>\n\
         <registry xmlns=\"http://www.iana.org/assignments\" id=\"service-names-port-numbers\">\n\
         <title>Service Name and Transport Protocol Port Number Registry</title>\n\
         <updated>2026-08-17</updated>\n\
         {records}<people>\n{people}</people>\n</registry>\n"
    )
}

/// One clean record, for the registry a baseline example is used on.
const CLEAN_RECORD: &str = "<record date=\"2016-10-26\">
  <name>acme-telemetry</name>
  <protocol>tcp</protocol>
  <xref type=\"person\" data=\"Jane_Doe\"/>
  <description>Acme telemetry upload</description>
  <number>4873</number>
</record>
<person id=\"Jane_Doe\">
  <name>Jane Doe</name>
  <uri>mailto:jane&amp;acme.example</uri>
</person>
";

/// Runs one block of `rule`'s docs and returns every rule id the runs reported.
fn run_block(
    rule: &RuleDocs,
    lang: &str,
    block: &str,
    known: &BTreeSet<String>,
) -> Result<BTreeSet<String>, String> {
    let tmp = TempDir::new(&format!("rule-docs-{}", rule.id.replace('/', "-")));
    let outs = match lang {
        "toml" if rule.id.starts_with("config/") => vec![run_config(&tmp, block)],
        "toml" => vec![run_draft(&tmp, block, rule.needs_registry)],
        "xml" => vec![run_records(&tmp, block)],
        "json" => vec![run_baseline(&tmp, block)],
        "sh" => run_commands(&tmp, block)?,
        _ => return Err(format!("a ```{lang} block cannot be run")),
    };
    Ok(outs.iter().flat_map(|o| reported(o, known)).collect())
}

/// `block` as `portreg.toml` (or as the custom rules file it names), then `check` of a clean
/// draft.
fn run_config(tmp: &TempDir, block: &str) -> Output {
    tmp.write("acme.toml", &clean_draft());
    std::fs::create_dir_all(tmp.join("registry")).expect("registry folder");
    tmp.write(
        "registry/service-names-port-numbers.xml",
        &fixture_registry(),
    );
    if block.trim_start().starts_with("[[rule]]") {
        tmp.write("house.toml", block);
        tmp.write("portreg.toml", "rules = [\"house.toml\"]\n");
    } else {
        tmp.write("portreg.toml", block);
    }
    portreg(tmp.path(), &["check", "acme.toml", "--format", "json"])
}

/// `block` as a draft, checked without a registry or against [`REGISTRY`].
fn run_draft(tmp: &TempDir, block: &str, needs_registry: bool) -> Output {
    tmp.write("acme.toml", block);
    let registry = root().join(REGISTRY).display().to_string();
    let mut args = vec!["check", "acme.toml", "--format", "json"];
    if needs_registry {
        args.extend(["--registry", &registry]);
    } else {
        args.push("--no-registry");
    }
    portreg(tmp.path(), &args)
}

/// `block` as the records of a registry for `registry lint`, or of BASE and HEAD for
/// `registry diff`.
fn run_records(tmp: &TempDir, block: &str) -> Output {
    match (block.find("<!-- BASE -->"), block.find("<!-- HEAD -->")) {
        (Some(base), Some(head)) if base < head => {
            tmp.write("base.xml", &tiny_registry(&block[..head]));
            tmp.write("head.xml", &tiny_registry(&block[head..]));
            let args = [
                "registry", "diff", "base.xml", "head.xml", "--format", "json",
            ];
            portreg(tmp.path(), &args)
        }
        // Rows of the DCCP Service Codes registry, linted beside a clean port registry.
        _ if block.contains("<value>") => {
            tmp.write("registry.xml", &tiny_registry(CLEAN_RECORD));
            tmp.write("service-codes.xml", &tiny_service_codes(block));
            let args = [
                "registry",
                "lint",
                "registry.xml",
                "--service-codes",
                "service-codes.xml",
                "--format",
                "json",
            ];
            portreg(tmp.path(), &args)
        }
        _ => {
            tmp.write("registry.xml", &tiny_registry(block));
            let codes = root().join(SERVICE_CODES).display().to_string();
            let args = [
                "registry",
                "lint",
                "registry.xml",
                "--service-codes",
                &codes,
                "--format",
                "json",
            ];
            portreg(tmp.path(), &args)
        }
    }
}

/// A DCCP Service Codes registry around the rows of `block`.
fn tiny_service_codes(block: &str) -> String {
    format!(
        "<?xml version='1.0' encoding='UTF-8'?>\n\
         <registry xmlns=\"http://www.iana.org/assignments\" id=\"service-codes\">\n\
         <title>Service Codes</title>\n\
         <updated>2014-03-14</updated>\n\
         <registry id=\"service-codes-1\">\n{block}</registry>\n</registry>\n"
    )
}

/// `block` as the one entry of a baseline for `registry lint` of a clean registry.
fn run_baseline(tmp: &TempDir, block: &str) -> Output {
    tmp.write("registry.xml", &tiny_registry(CLEAN_RECORD));
    let baseline = format!("{{\"portreg-baseline\": 1, \"findings\": [\n{block}]}}\n");
    tmp.write("baseline.json", &baseline);
    let args = [
        "registry",
        "lint",
        "registry.xml",
        "--baseline",
        "baseline.json",
        "--format",
        "json",
    ];
    portreg(tmp.path(), &args)
}

/// The `portreg` commands of `block`, in order (see the module docs for the files they name).
fn run_commands(tmp: &TempDir, block: &str) -> Result<Vec<Output>, String> {
    let dir = tmp.path();
    tmp.write("acme.toml", &clean_draft());
    let mut outs = Vec::new();
    for line in block.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some((&"portreg", args)) = words.split_first() else {
            return Err(format!("not a portreg command: {line}"));
        };
        if args == ["registry", "update"] {
            // What the update writes, without the network.
            let cache = dir.join("cache/portreg");
            std::fs::create_dir_all(&cache).expect("cache folder");
            std::fs::write(
                cache.join("service-names-port-numbers.xml"),
                fixture_registry(),
            )
            .expect("write the cache");
            continue;
        }
        for file in args.iter().filter(|a| a.ends_with(".xml")) {
            if !dir.join(file).exists() {
                let stale = fixture_registry().replace(
                    "<updated>2026-08-17</updated>",
                    &format!("<updated>{STALE}</updated>"),
                );
                tmp.write(file, &stale);
            }
        }
        let mut args = args.to_vec();
        if args.first() == Some(&"check") {
            args.extend(["--format", "json"]);
        }
        outs.push(portreg(dir, &args));
    }
    Ok(outs)
}

#[test]
fn every_rule_fires_on_its_example_and_not_on_use_instead() {
    let docs = rule_docs();
    assert!(docs.len() >= 78, "only {} rules read", docs.len());
    let known: BTreeSet<String> = docs.iter().map(|r| r.id.clone()).collect();
    let mut failures = Vec::new();
    let mut ran = 0;
    for rule in &docs {
        if rule.fires.is_empty() {
            failures.push(format!("{}: no code block under `## Example`", rule.id));
        }
        for (expect_fire, blocks) in [(true, &rule.fires), (false, &rule.clean)] {
            for (lang, block) in blocks {
                ran += 1;
                match run_block(rule, lang, block, &known) {
                    Err(e) => failures.push(format!("{}: {e}", rule.id)),
                    Ok(ids) if ids.contains(&rule.id) != expect_fire => failures.push(format!(
                        "{}: {} on this ```{lang} block (reported: {ids:?}):\n{block}",
                        rule.id,
                        if expect_fire {
                            "does not fire on `## Example`"
                        } else {
                            "fires on `Use instead`"
                        },
                    )),
                    Ok(_) => {}
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(ran >= 150, "only {ran} example blocks ran");
}
