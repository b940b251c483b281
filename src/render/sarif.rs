//! `--format sarif`: SARIF 2.1.0 for code scanning (GitHub and others). Typed structs rather
//! than `serde_json::Value`, so that 100,000 results stay cheap.
//!
//! What GitHub's upload accepts (checked with the SARIF Multitool's `Sarif;Gh` rules):
//! every result has a location, so findings about the run rather than a file
//! (`registry/unavailable`, `registry/stale`) are tool execution notifications; artifact URIs
//! are percent-encoded, relative to `%SRCROOT%` (the working directory) inside it and
//! `file://` URIs outside; every rule has a full description and help.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

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
    invocations: [Invocation; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BaseIds>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    working_directory: Option<Uri>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct BaseIds {
    #[serde(rename = "%SRCROOT%")]
    srcroot: Uri,
}

#[derive(Serialize)]
struct Uri {
    uri: String,
}

/// A finding about the run, not about a place in a file.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    associated_rule: RuleRef,
    level: &'static str,
    message: Message,
}

#[derive(Serialize)]
struct RuleRef {
    id: String,
    index: usize,
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
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    short_description: Text<'a>,
    full_description: Owned,
    help: OwnedHelp,
    help_uri: &'a str,
    default_configuration: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties<'a>>,
}

#[derive(Serialize)]
struct Owned {
    text: String,
}

#[derive(Serialize)]
struct OwnedHelp {
    text: String,
    markdown: String,
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
}

/// A finding's repair (SARIF 2.1.0 §3.55): the edits on its one file.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Message,
    artifact_changes: [ArtifactChange<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: Artifact,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: Text<'a>,
}

fn fixes<'a>(base: &Base, files: &Files, d: &'a Diagnostic) -> Vec<SarifFix<'a>> {
    let (Some(file), Some(fix)) = (d.file, d.fix.as_ref()) else {
        return Vec::new();
    };
    let Some(name) = files.get(file).map(|f| f.name()) else {
        return Vec::new();
    };
    let replacements: Option<Vec<Replacement>> = fix
        .edits
        .iter()
        .map(|e| {
            let loc = locate(files, &Label::new(file, e.span))?;
            Some(Replacement {
                deleted_region: Region {
                    start_line: loc.start.line,
                    start_column: loc.start.column,
                    end_line: loc.end.line,
                    end_column: loc.end.column,
                },
                inserted_content: Text {
                    text: &e.replacement,
                },
            })
        })
        .collect();
    let Some(replacements) = replacements else {
        return Vec::new();
    };
    vec![SarifFix {
        description: Message {
            text: format!("{} fix for {}", fix.applicability.as_str(), d.rule),
        },
        artifact_changes: [ArtifactChange {
            artifact_location: base.artifact(name),
            replacements,
        }],
    }]
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
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
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

/// The name SARIF gives standard input when `--stdin-filename` does not name it: a fixed relative
/// path, as a real draft in the working directory would have.
pub const STDIN_NAME: &str = "stdin.toml";

/// RFC 3986 percent-encoding of a path: unreserved characters, `/` and the sub-delimiters
/// that are safe in a path stay; everything else (spaces, `%`, `:`, non-ASCII bytes) is
/// encoded. A `:` would make a relative reference look like a scheme.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'@' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `a/./b/../c` as `a/c`, without touching the file system (the file need not exist, and
/// symbolic links are named as given).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path as URI text with forward slashes.
fn slashes(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

/// `file:///abs/dir/` for a folder.
fn dir_uri(dir: &Path) -> String {
    let mut s = format!("file:///{}", encode(&slashes(dir)));
    if !s.ends_with('/') {
        s.push('/');
    }
    s
}

/// Where a report's file names are resolved: the working directory.
struct Base {
    cwd: Option<PathBuf>,
}

impl Base {
    /// The URI of a file name as the report has it: relative to `%SRCROOT%` inside the
    /// working directory, a `file://` URI outside it.
    fn artifact(&self, name: &str) -> Artifact {
        if name == "<stdin>" {
            return Artifact {
                uri: STDIN_NAME.to_string(),
                uri_base_id: Some("%SRCROOT%"),
            };
        }
        let path = Path::new(name);
        let Some(cwd) = &self.cwd else {
            // No working directory: a relative reference is the best there is.
            return Artifact {
                uri: encode(&slashes(&normalize(path))),
                uri_base_id: None,
            };
        };
        let full = normalize(&cwd.join(path));
        match full.strip_prefix(cwd) {
            Ok(inside) if !inside.as_os_str().is_empty() => Artifact {
                uri: encode(&slashes(inside)),
                uri_base_id: Some("%SRCROOT%"),
            },
            _ => Artifact {
                uri: format!("file:///{}", encode(&slashes(&full))),
                uri_base_id: None,
            },
        }
    }
}

fn location<'a>(
    base: &Base,
    files: &Files,
    l: &'a Label,
    id: Option<usize>,
) -> Option<Location<'a>> {
    let loc = locate(files, l)?;
    Some(Location {
        id,
        physical_location: Physical {
            artifact_location: base.artifact(loc.file),
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

/// The "What it does" and "Why" parts of an explanation as plain paragraphs.
fn full_description(explanation: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in explanation.lines() {
        let line = line.trim();
        if line.starts_with("## Example") {
            break;
        }
        if line.is_empty() || line.starts_with('#') {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.join("\n\n")
}

fn rule<'a>(d: &'a Diagnostic) -> Rule<'a> {
    match builtin().get(&d.rule) {
        Some(m) => Rule {
            id: &m.id,
            short_description: Text { text: &m.summary },
            full_description: Owned {
                text: full_description(&m.explanation),
            },
            help: OwnedHelp {
                text: format!("{}\n\n{}", m.help, m.explanation.trim_end()),
                markdown: format!("**Fix:** {}\n\n{}", m.help, m.explanation.trim_end()),
            },
            help_uri: m.url().unwrap_or(INFO_URI),
            default_configuration: Level {
                level: level(m.severity),
            },
            properties: Some(Properties {
                citation: &m.citation,
            }),
        },
        // A custom rule: what the finding says is all the report knows of it.
        None => {
            let help = d.help.as_deref().unwrap_or(&d.message);
            Rule {
                id: &d.rule,
                short_description: Text { text: &d.message },
                full_description: Owned {
                    text: d.message.clone(),
                },
                help: OwnedHelp {
                    text: help.to_string(),
                    markdown: help.to_string(),
                },
                help_uri: d.url.as_deref().unwrap_or(INFO_URI),
                default_configuration: Level {
                    level: level(d.severity),
                },
                properties: None,
            }
        }
    }
}

/// SARIF with file names resolved against the current working directory.
pub fn render(report: &Report) -> String {
    render_in(report, std::env::current_dir().ok().as_deref())
}

/// SARIF with file names resolved against `cwd` (`%SRCROOT%`).
pub fn render_in(report: &Report, cwd: Option<&Path>) -> String {
    let base = Base {
        cwd: cwd.map(normalize),
    };
    let files = &report.files;
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut rules = Vec::new();
    let mut results = Vec::with_capacity(report.diagnostics.len());
    let mut notifications = Vec::new();
    for d in &report.diagnostics {
        let mut text = d.message.clone();
        if let Some(h) = &d.help {
            text.push_str("\nhelp: ");
            text.push_str(h);
        }
        let mut locations: Vec<Location> = d
            .primary
            .iter()
            .filter_map(|l| location(&base, files, l, None))
            .collect();
        if locations.is_empty() {
            if let Some(f) = d.file.and_then(|f| files.get(f)) {
                locations.push(Location {
                    id: None,
                    physical_location: Physical {
                        artifact_location: base.artifact(f.name()),
                        region: None,
                    },
                    message: None,
                });
            }
        }
        // A notification has no suppression; a suppressed finding about the run is dropped.
        if locations.is_empty() && d.suppressed {
            continue;
        }
        let rule_index = *index.entry(&d.rule).or_insert_with(|| {
            rules.push(rule(d));
            rules.len() - 1
        });
        if locations.is_empty() {
            // About the run, not a file: GitHub refuses a result without a location.
            notifications.push(Notification {
                associated_rule: RuleRef {
                    id: d.rule.to_string(),
                    index: rule_index,
                },
                level: level(d.severity),
                message: Message { text },
            });
            continue;
        }
        let related_locations = d
            .secondary
            .iter()
            .chain(&d.related)
            .enumerate()
            .filter_map(|(i, l)| location(&base, files, l, Some(i + 1)))
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
            fixes: fixes(&base, files, d),
        });
    }
    let root = base.cwd.as_deref().map(|c| Uri { uri: dir_uri(c) });
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
            invocations: [Invocation {
                execution_successful: true,
                working_directory: root.as_ref().map(|r| Uri { uri: r.uri.clone() }),
                tool_execution_notifications: notifications,
            }],
            original_uri_base_ids: root.map(|srcroot| BaseIds { srcroot }),
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    crate::render::safe::json(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(cwd: &str, name: &str) -> (String, Option<&'static str>) {
        let a = Base {
            cwd: Some(PathBuf::from(cwd)),
        }
        .artifact(name);
        (a.uri, a.uri_base_id)
    }

    #[test]
    fn uris_are_encoded_and_based() {
        let src = Some("%SRCROOT%");
        assert_eq!(uri("/w", "a b/50%.toml"), ("a%20b/50%25.toml".into(), src));
        assert_eq!(uri("/w", "./x/../y:z.xml"), ("y%3Az.xml".into(), src));
        assert_eq!(uri("/w", "/w/d/é.toml"), ("d/%C3%A9.toml".into(), src));
        assert_eq!(
            uri("/w", "../shared/r.xml"),
            ("file:///shared/r.xml".into(), None)
        );
        assert_eq!(uri("/w", "/tmp/b.xml"), ("file:///tmp/b.xml".into(), None));
        assert_eq!(uri("/w", "<stdin>"), (STDIN_NAME.into(), src));
        assert_eq!(dir_uri(Path::new("/a b/c")), "file:///a%20b/c/");
    }

    #[test]
    fn every_rule_has_a_full_description() {
        for r in builtin().rules() {
            assert!(full_description(&r.explanation).len() > 20, "{}", r.id);
        }
    }

    #[test]
    fn full_description_is_what_and_why() {
        let e =
            "## What it does\nReports a\nthing.\n\n## Why\nBecause.\n\n## Example\n```toml\n```\n";
        assert_eq!(full_description(e), "Reports a thing.\n\nBecause.");
    }
}
