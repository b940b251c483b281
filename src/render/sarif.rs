//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub and others). Typed structs rather
//! than `serde_json::Value`, so that 100,000 results stay cheap.

use std::collections::HashMap;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Files, Label, Severity};
use crate::engine::Report;
use crate::render::locate;
use crate::rules::meta::builtin;

const INFO_URI: &str = "https://www.rfc-editor.org/rfc/rfc6335";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    short_description: Text<'a>,
    help: Help<'a>,
    help_uri: &'a str,
    default_configuration: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties<'a>>,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties<'a> {
    citation: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression; 1]>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: Physical,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct Artifact {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "portregFinding/v1")]
    v1: String,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF paths are URIs: forward slashes, no leading `./`.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    p.strip_prefix("./").unwrap_or(&p).to_string()
}

fn location<'a>(files: &Files, l: &'a Label, id: Option<usize>) -> Option<Location<'a>> {
    let loc = locate(files, l)?;
    Some(Location {
        id,
        physical_location: Physical {
            artifact_location: Artifact { uri: uri(loc.file) },
            region: Some(Region {
                start_line: loc.start.line,
                start_column: loc.start.column,
                end_line: loc.end.line,
                end_column: loc.end.column,
            }),
        },
        message: l.message.as_deref().map(|text| Text { text }),
    })
}

/// FNV-1a, 64 bits: a stable fingerprint that does not depend on line numbers.
fn fnv1a(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Identity of a finding for `partialFingerprints`: rule, file, what it is about (the record
/// identity, else the entry's name and the text under the primary label) and the message,
/// so moving an entry or a record up or down keeps it.
fn fingerprint(files: &Files, d: &Diagnostic) -> String {
    let file = d.file.and_then(|f| files.get(f));
    let under = match (&d.primary, file) {
        (Some(l), Some(f)) => f.file.text().get(l.span.start..l.span.end).unwrap_or(""),
        _ => "",
    };
    let about = d.key.as_deref().unwrap_or(under);
    fnv1a(&[
        &d.rule,
        file.map_or("", |f| f.name()),
        d.name.as_deref().unwrap_or(""),
        about,
        &d.message,
    ])
}

fn rule<'a>(d: &'a Diagnostic) -> Rule<'a> {
    match builtin().get(&d.rule) {
        Some(m) => Rule {
            id: &m.id,
            short_description: Text { text: &m.summary },
            help: Help {
                text: &m.help,
                markdown: Some(&m.explanation),
            },
            help_uri: m.url().unwrap_or(INFO_URI),
            default_configuration: Level {
                level: level(m.severity),
            },
            properties: Some(Properties {
                citation: &m.citation,
            }),
        },
        None => Rule {
            id: &d.rule,
            short_description: Text { text: &d.message },
            help: Help {
                text: d.help.as_deref().unwrap_or(""),
                markdown: None,
            },
            help_uri: d.url.as_deref().unwrap_or(INFO_URI),
            default_configuration: Level {
                level: level(d.severity),
            },
            properties: None,
        },
    }
}

pub fn render(report: &Report) -> String {
    let files = &report.files;
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut rules = Vec::new();
    let mut results = Vec::with_capacity(report.diagnostics.len());
    for d in &report.diagnostics {
        let rule_index = *index.entry(&d.rule).or_insert_with(|| {
            rules.push(rule(d));
            rules.len() - 1
        });
        let mut text = d.message.clone();
        if let Some(h) = &d.help {
            text.push_str("\nhelp: ");
            text.push_str(h);
        }
        let mut locations: Vec<Location> = d
            .primary
            .iter()
            .filter_map(|l| location(files, l, None))
            .collect();
        if locations.is_empty() {
            if let Some(f) = d.file.and_then(|f| files.get(f)) {
                locations.push(Location {
                    id: None,
                    physical_location: Physical {
                        artifact_location: Artifact { uri: uri(f.name()) },
                        region: None,
                    },
                    message: None,
                });
            }
        }
        let related_locations = d
            .secondary
            .iter()
            .chain(&d.related)
            .enumerate()
            .filter_map(|(i, l)| location(files, l, Some(i + 1)))
            .collect();
        results.push(SarifResult {
            rule_id: &d.rule,
            rule_index,
            level: level(d.severity),
            message: Message { text },
            locations,
            related_locations,
            partial_fingerprints: Fingerprints {
                v1: fingerprint(files, d),
            },
            suppressions: d.suppressed.then_some([Suppression { kind: "inSource" }]),
        });
    }
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "portreg",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFO_URI,
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}
