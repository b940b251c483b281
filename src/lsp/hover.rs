//! Hover: a rule's explanation (on a rule id, or on a finding's range), whether a service
//! name is free and the registered names close to it, what the registry holds on a port
//! number per transport, and otherwise the key's description from the schema.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::cursor::{self, At};
use super::diagnostics::Published;
use super::schema::{self, Table};
use crate::config::custom::CustomRule;
use crate::model::Transport;
use crate::registry::{Record, Registry};
use crate::rules::meta::builtin;

/// What the server knows when answering.
pub struct Facts<'a> {
    pub registry: Option<&'a Registry>,
    pub custom: &'a [CustomRule],
    pub published: &'a [Published],
}

pub fn hover(text: &str, offset: usize, position: Position, facts: &Facts<'_>) -> Option<Hover> {
    let markdown = markdown(text, offset, position, facts)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: None,
    })
}

fn markdown(text: &str, offset: usize, position: Position, facts: &Facts<'_>) -> Option<String> {
    let offset = offset.min(text.len());
    let word = word_at(text, offset);
    if let Some(doc) = rule_doc(&word.to_ascii_lowercase(), facts.custom) {
        return Some(doc);
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let c = cursor::at(text, offset);
    let on_line_key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches(['"', '\'']).to_string());
    let key = match &c.at {
        At::Value { key, .. } => Some(key.clone()),
        At::Key { .. } => Some(word.clone()),
        At::Other => None,
    };
    if c.key_table() == Table::Entry {
        let value = line.split_once('=').map(|(_, v)| v);
        match (key.as_deref(), on_line_key.as_deref()) {
            (Some("name"), Some("name")) => return value.map(|v| name_doc(v, facts.registry)),
            (Some("port"), Some("port")) => return value.map(|v| port_doc(v, facts.registry)),
            _ => {}
        }
    }
    let on_finding: Vec<String> = facts
        .published
        .iter()
        .filter(|p| {
            let r = p.lsp.range;
            r.start <= position && position <= r.end
        })
        .filter_map(|p| rule_doc(&p.rule, facts.custom))
        .collect();
    if !on_finding.is_empty() {
        return Some(on_finding.join("\n\n---\n\n"));
    }
    let key = key.filter(|_| matches!(c.at, At::Key { .. }))?;
    let k = schema::key(c.key_table(), &key)?;
    Some(format!("**{}**\n\n{}", k.name, k.description))
}

/// The run of rule-id characters around `offset`.
fn word_at(text: &str, offset: usize) -> String {
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.');
    let before: String = text[..offset]
        .chars()
        .rev()
        .take_while(|&c| is_word(c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text[offset..].chars().take_while(|&c| is_word(c)).collect();
    before + &after
}

/// A rule's explanation, as `portreg explain` gives it.
pub fn rule_doc(id: &str, custom: &[CustomRule]) -> Option<String> {
    if let Some(r) = builtin().get(id) {
        let url = r.url().map(|u| format!(" ({u})")).unwrap_or_default();
        return Some(format!(
            "**{}** ({}): {}\n\n{}{url}\n\n{}",
            r.id,
            r.severity,
            r.summary,
            r.citation,
            r.explanation.trim_end()
        ));
    }
    let r = custom.iter().find(|r| r.id == id)?;
    let mut out = format!(
        "**{}** ({}, custom rule from {}): {}",
        r.id, r.severity, r.source, r.summary
    );
    if let Some(e) = &r.explanation {
        out.push_str("\n\n");
        out.push_str(e.trim_end());
    }
    Some(out)
}

/// The first string value of a `key = value` line's value part.
fn first_string(value: &str) -> Option<String> {
    let v = value.trim_start();
    let q = v.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &v[1..];
    let end = inner.find(q)?;
    Some(inner[..end].to_string())
}

fn name_doc(value: &str, registry: Option<&Registry>) -> String {
    let Some(name) = first_string(value) else {
        return "**name**: the service name, a string".into();
    };
    let Some(registry) = registry else {
        return format!("**{name}**: no registry is loaded, so whether it is free is unknown");
    };
    let report = crate::tools::suggest::check_name(registry, &name, 5);
    let mut out = format!("**{name}**: ");
    if let Some(problem) = &report.syntax {
        out.push_str(&format!("not a valid service name ({problem})"));
    } else if report.taken.is_empty() {
        out.push_str("free");
    } else {
        out.push_str(&format!("taken ({})", holdings(&report.taken)));
    }
    if !report.similar.is_empty() {
        let names: Vec<String> = report
            .similar
            .iter()
            .map(|s| format!("`{}` ({})", s.record_name, s.kind.as_str()))
            .collect();
        out.push_str(&format!(
            "\n\nclosest registered names: {}",
            names.join(", ")
        ));
    }
    if !report.variants.is_empty() {
        let v: Vec<String> = report.variants.iter().map(|v| format!("`{v}`")).collect();
        out.push_str(&format!("\n\nfree variants: {}", v.join(", ")));
    }
    out
}

/// `tcp/80, udp/80`.
fn holdings(records: &[&Record]) -> String {
    let parts: Vec<String> = records
        .iter()
        .map(|r| {
            let t = r.protocol.map_or("any", Transport::as_str);
            match r.number {
                Some(n) if n.lo == n.hi => format!("{t}/{}", n.lo),
                Some(n) => format!("{t}/{}-{}", n.lo, n.hi),
                None => format!("{t}, no port"),
            }
        })
        .collect();
    parts.join(", ")
}

/// The numbers a `port = …` value asks for, or why there are none.
fn port_numbers(value: &str) -> Result<(u16, u16), String> {
    let v = value.split('#').next().unwrap_or("").trim();
    let v = v.trim_matches(['"', '\'']).trim();
    let parse = |s: &str| s.trim().parse::<u16>().ok();
    if let Some(p) = parse(v) {
        return Ok((p, p));
    }
    if let Some((a, b)) = v.split_once('-') {
        if let (Some(a), Some(b)) = (parse(a), parse(b)) {
            return Ok((a.min(b), a.max(b)));
        }
    }
    Err(match v.to_ascii_lowercase().as_str() {
        "user" => "`user`: IANA picks a free User port (1024-49151)".into(),
        "system" => "`system`: IANA picks a System port (0-1023), which needs IETF review".into(),
        _ => format!("`{v}` is not a port number or range"),
    })
}

fn port_class(p: u16) -> &'static str {
    match p {
        0..=1023 => "System port",
        1024..=49151 => "User port",
        _ => "Dynamic port",
    }
}

/// Up to this many numbers of a range are described one by one.
const RANGE_SHOWN: u16 = 8;

fn port_doc(value: &str, registry: Option<&Registry>) -> String {
    let (lo, hi) = match port_numbers(value) {
        Ok(r) => r,
        Err(why) => return format!("**port**: {why}"),
    };
    let Some(registry) = registry else {
        return format!(
            "**port {lo}** ({}): no registry is loaded, so what it holds is unknown",
            port_class(lo)
        );
    };
    let mut out = String::new();
    let last = hi.min(lo.saturating_add(RANGE_SHOWN - 1));
    for p in lo..=last {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&format!("**port {p}** ({})", port_class(p)));
        for t in Transport::ALL {
            let records = registry.records_at(t, p);
            let what = if records.is_empty() {
                "no record".to_string()
            } else {
                records
                    .iter()
                    .map(|r| record_doc(r))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            out.push_str(&format!("\n- {}: {what}", t.as_str()));
        }
    }
    if hi > last {
        out.push_str(&format!("\n\n… and {} more numbers", hi - last));
    }
    out
}

/// What one record says about its number.
fn record_doc(r: &Record) -> String {
    let mut out = match &r.name {
        Some(name) => {
            let mut s = format!("assigned to `{name}`");
            let mut who = Vec::new();
            if !r.assignee.is_empty() {
                who.push(format!("assignee {}", r.assignee.join(", ")));
            }
            if !r.contact.is_empty() {
                who.push(format!("contact {}", r.contact.join(", ")));
            }
            if !who.is_empty() {
                s.push_str(&format!(" ({})", who.join("; ")));
            }
            s
        }
        None if r.is_unassigned() => "Unassigned".to_string(),
        None => one_line(&r.description),
    };
    if let Some(u) = r.unauthorized.as_deref().filter(|u| !u.trim().is_empty()) {
        out.push_str(&format!("; unauthorized use known: {}", one_line(u)));
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_values() {
        assert_eq!(port_numbers(" 4873 # c"), Ok((4873, 4873)));
        assert_eq!(port_numbers(" \"4880-4873\""), Ok((4873, 4880)));
        assert!(port_numbers("\"user\"").is_err_and(|e| e.starts_with("`user`")));
        assert_eq!(word_at("rule = \"name/version\"", 10), "name/version");
    }
}
