//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub and others).

use serde_json::{json, Value};

use crate::diagnostic::{Diagnostic, Files, Label, Severity};
use crate::engine::Report;
use crate::render::locate;
use crate::rules::meta::builtin;

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

fn region(files: &Files, l: &Label) -> Option<Value> {
    let loc = locate(files, l)?;
    Some(json!({
        "startLine": loc.start.line,
        "startColumn": loc.start.column,
        "endLine": loc.end.line,
        "endColumn": loc.end.column,
    }))
}

fn location(files: &Files, l: &Label) -> Option<Value> {
    let file = files.get(l.file)?;
    Some(json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(file.name()) },
            "region": region(files, l)?,
        }
    }))
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

/// Identity of a finding for `partialFingerprints`: rule, file, the entry's name, the text
/// under the primary label and the message, so moving an entry up or down keeps it.
fn fingerprint(files: &Files, d: &Diagnostic) -> String {
    let file = d.file.and_then(|f| files.get(f));
    let under = match (&d.primary, file) {
        (Some(l), Some(f)) => f.file.text().get(l.span.start..l.span.end).unwrap_or(""),
        _ => "",
    };
    fnv1a(&[
        &d.rule,
        file.map_or("", |f| f.name()),
        d.name.as_deref().unwrap_or(""),
        under,
        &d.message,
    ])
}

/// One `reportingDescriptor` per rule used.
fn rule_descriptor(id: &str, d: &Diagnostic) -> Value {
    match builtin().get(id) {
        Some(m) => json!({
            "id": m.id,
            "shortDescription": { "text": m.summary },
            "fullDescription": { "text": m.summary },
            "help": { "text": m.help, "markdown": m.explanation },
            "helpUri": m.url().unwrap_or("https://www.rfc-editor.org/rfc/rfc6335"),
            "defaultConfiguration": { "level": level(m.severity) },
            "properties": { "citation": m.citation },
        }),
        None => json!({
            "id": id,
            "shortDescription": { "text": d.message },
            "help": { "text": d.help.clone().unwrap_or_default() },
            "helpUri": d.url.clone().unwrap_or_else(|| "https://www.rfc-editor.org/rfc/rfc6335".into()),
            "defaultConfiguration": { "level": level(d.severity) },
        }),
    }
}

pub fn render(report: &Report) -> String {
    let files = &report.files;
    let mut rule_ids: Vec<&str> = Vec::new();
    let mut descriptors = Vec::new();
    let mut results = Vec::new();
    for d in &report.diagnostics {
        let index = match rule_ids.iter().position(|r| *r == d.rule) {
            Some(i) => i,
            None => {
                rule_ids.push(&d.rule);
                descriptors.push(rule_descriptor(&d.rule, d));
                rule_ids.len() - 1
            }
        };
        let mut text = d.message.clone();
        if let Some(h) = &d.help {
            text.push_str(&format!("\nhelp: {h}"));
        }
        let mut result = json!({
            "ruleId": d.rule,
            "ruleIndex": index,
            "level": level(d.severity),
            "message": { "text": text },
            "partialFingerprints": { "portregFinding/v1": fingerprint(files, d) },
        });
        let locations: Vec<Value> = d
            .primary
            .iter()
            .filter_map(|l| location(files, l))
            .collect();
        if !locations.is_empty() {
            result["locations"] = Value::Array(locations);
        } else if let Some(f) = d.file.and_then(|f| files.get(f)) {
            result["locations"] =
                json!([{ "physicalLocation": { "artifactLocation": { "uri": uri(f.name()) } } }]);
        }
        let related: Vec<Value> = d
            .secondary
            .iter()
            .chain(&d.related)
            .enumerate()
            .filter_map(|(i, l)| {
                let mut loc = location(files, l)?;
                loc["id"] = json!(i + 1);
                if let Some(m) = &l.message {
                    loc["message"] = json!({ "text": m });
                }
                Some(loc)
            })
            .collect();
        if !related.is_empty() {
            result["relatedLocations"] = Value::Array(related);
        }
        if d.suppressed {
            result["suppressions"] = json!([{ "kind": "inSource" }]);
        }
        results.push(result);
    }
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "portreg",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://www.rfc-editor.org/rfc/rfc6335",
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    s.push('\n');
    s
}
