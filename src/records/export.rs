//! `portreg registry export`: the registry as the lists other programs read (`/etc/services`,
//! JSON, CSV), built from what each record *is* rather than from regular expressions over
//! descriptions (the heuristics of consumers such as iana-etc, which drop valid assignments
//! whose descriptions say "historic" or "Unassigned" and keep de-registered ones).
//!
//! What goes in: every record that assigns a name (a `<name>`), whatever its description
//! says; a record without a protocol stands for every transport (as the loader reads it).
//! What stays out, and is listed as left out, never dropped silently: a named record that
//! IANA's description marks as de-registered or removed (`sua` udp/14001). Aliases follow
//! IANA's own notes ("This entry is an alias to", "This is a duplicate of the"): the legacy
//! name (`whois++`, `subntbcst_tftp`) becomes an alias of the name it points to, on the same
//! transport and port; one whose target has no such record stays an entry of its own, marked
//! as an alias. Ranges are kept as ranges in JSON and CSV and expanded in `services`, which
//! has one port per line.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::model::Transport;
use crate::registry::{alias_of, Record, Registry};

/// One exported (name, transport, port range).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Service {
    pub name: String,
    /// `None` for a name registered without a port (JSON and CSV only).
    pub protocol: Option<Transport>,
    pub first: Option<u16>,
    pub last: Option<u16>,
    /// Legacy or duplicate names that IANA's notes make aliases of this one.
    pub aliases: Vec<String>,
    /// The name this one is an alias of, when that name has no record on the same port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias_of: Option<String>,
    pub description: String,
    /// 1-based line of the record in the registry file.
    pub line: usize,
}

/// A named record that is not exported, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LeftOut {
    pub name: String,
    pub protocol: Option<Transport>,
    pub first: Option<u16>,
    pub last: Option<u16>,
    pub reason: String,
    pub line: usize,
}

/// The export of one registry.
#[derive(Debug, Default, serde::Serialize)]
pub struct Export {
    pub services: Vec<Service>,
    pub left_out: Vec<LeftOut>,
}

/// Whether IANA's description of a named record says it was withdrawn (`De-Registered`,
/// `Removed`): the same wordings the status model reads on unnamed records.
fn withdrawn(r: &Record) -> bool {
    let d = r.description.trim().to_ascii_lowercase();
    ["de-registered", "deregistered", "removed"]
        .iter()
        .any(|m| d.starts_with(m))
}

/// One line of text (descriptions carry `<br/>` newlines).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// (lower-case name, transport, first, last): one exported entry.
type Key = (String, Option<Transport>, Option<u16>, Option<u16>);

/// Builds the export of `registry`.
pub fn build(registry: &Registry) -> Export {
    let mut out = Export::default();
    // (lower-case name, transport, first, last) -> index in `out.services`.
    let mut at: HashMap<Key, usize> = HashMap::new();
    let line = |r: &Record| registry.line_col(r.span.start).line;
    let protocols = |r: &Record| -> Vec<Option<Transport>> {
        match (r.protocol, r.number) {
            (Some(t), _) => vec![Some(t)],
            // A record without a protocol covers every transport.
            (None, Some(_)) => Transport::ALL.iter().copied().map(Some).collect(),
            (None, None) => vec![None],
        }
    };
    let mut aliases: Vec<(&Record, String)> = Vec::new();
    for r in &registry.records {
        let Some(name) = r.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
            continue;
        };
        let (first, last) = (r.number.map(|n| n.lo), r.number.map(|n| n.hi));
        if withdrawn(r) {
            for protocol in protocols(r) {
                out.left_out.push(LeftOut {
                    name: name.to_string(),
                    protocol,
                    first,
                    last,
                    reason: format!(
                        "de-registered: IANA's description says `{}`",
                        one_line(&r.description)
                    ),
                    line: line(r),
                });
            }
            continue;
        }
        if let Some(target) = alias_of(r) {
            aliases.push((r, target.to_string()));
            continue;
        }
        for protocol in protocols(r) {
            let key = (name.to_ascii_lowercase(), protocol, first, last);
            if at.contains_key(&key) {
                continue;
            }
            at.insert(key, out.services.len());
            out.services.push(Service {
                name: name.to_string(),
                protocol,
                first,
                last,
                aliases: Vec::new(),
                alias_of: None,
                description: one_line(&r.description),
                line: line(r),
            });
        }
    }
    for (r, target) in aliases {
        let name = r.name.as_deref().map(str::trim).unwrap_or_default();
        let (first, last) = (r.number.map(|n| n.lo), r.number.map(|n| n.hi));
        for protocol in protocols(r) {
            let key = (target.to_ascii_lowercase(), protocol, first, last);
            match at.get(&key).and_then(|&i| out.services.get_mut(i)) {
                Some(s) => {
                    if !s.aliases.iter().any(|a| a.eq_ignore_ascii_case(name)) {
                        s.aliases.push(name.to_string());
                    }
                }
                None => {
                    let own = (name.to_ascii_lowercase(), protocol, first, last);
                    if at.contains_key(&own) {
                        continue;
                    }
                    at.insert(own, out.services.len());
                    out.services.push(Service {
                        name: name.to_string(),
                        protocol,
                        first,
                        last,
                        aliases: Vec::new(),
                        alias_of: Some(target.clone()),
                        description: one_line(&r.description),
                        line: line(r),
                    });
                }
            }
        }
    }
    // Registry order: by the record's line.
    out.services
        .sort_by_key(|s| (s.line, s.protocol.map(Transport::index)));
    out
}

/// `/etc/services`: `name port/protocol aliases # description`, one port per line; names
/// without a port cannot be written there and are counted in the closing comment.
pub fn services(registry: &Registry, export: &Export) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Generated by portreg registry export from the IANA Service Name and Transport Protocol\n\
         # Port Number Registry (updated {}): assigned service names only, aliases from IANA's notes.",
        registry.updated.as_deref().unwrap_or("unknown")
    );
    let mut name_only = 0usize;
    for s in &export.services {
        let (Some(t), Some(first), Some(last)) = (s.protocol, s.first, s.last) else {
            name_only += 1;
            continue;
        };
        for port in first..=last {
            let mut line = format!("{:<15} {}/{}", s.name, port, t.as_str());
            for a in &s.aliases {
                line.push(' ');
                line.push_str(a);
            }
            let mut comment = s.description.clone();
            if let Some(target) = &s.alias_of {
                comment = format!("alias of {target} (no record of it here); {comment}");
            }
            if !comment.is_empty() {
                line = format!("{line:<31} # {comment}");
            }
            let _ = writeln!(out, "{}", crate::render::safe::line(&line));
        }
    }
    let _ = writeln!(
        out,
        "# Not written above: {name_only} names registered without a port, and {} de-registered:",
        export.left_out.len()
    );
    for l in &export.left_out {
        let place = match (l.protocol, l.first, l.last) {
            (Some(t), Some(a), Some(b)) if a == b => format!("{a}/{}", t.as_str()),
            (Some(t), Some(a), Some(b)) => format!("{a}-{b}/{}", t.as_str()),
            _ => "(no port)".to_string(),
        };
        let _ = writeln!(
            out,
            "#   {} {place} ({}, line {})",
            crate::render::safe::line(&l.name),
            crate::render::safe::line(&l.reason),
            l.line
        );
    }
    out
}

/// The export as one JSON document.
pub fn json(registry: &Registry, export: &Export) -> String {
    let doc = serde_json::json!({
        "version": 1,
        "registry": {
            "path": registry.path,
            "updated": registry.updated,
        },
        "services": export.services,
        "left_out": export.left_out,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The export as CSV: one row per (name, transport, range), ranges kept.
pub fn csv(export: &Export) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "name",
        "protocol",
        "first",
        "last",
        "aliases",
        "alias_of",
        "description",
        "line",
    ]);
    let num = |n: Option<u16>| n.map(|n| n.to_string()).unwrap_or_default();
    for s in &export.services {
        let _ = w.write_record([
            s.name.as_str(),
            s.protocol.map_or("", Transport::as_str),
            &num(s.first),
            &num(s.last),
            &s.aliases.join(" "),
            s.alias_of.as_deref().unwrap_or(""),
            &s.description,
            &s.line.to_string(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
