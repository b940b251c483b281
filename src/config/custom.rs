//! Declarative rules a team writes in TOML, in the same shape as `rules/*.toml` plus a field
//! and a condition. Files are named by `rules = [...]` in `portreg.toml`.
//!
//! ```toml
//! [[rule]]
//! id = "house/description-product"
//! severity = "warning"
//! summary = "the description names the product"
//! help = "start the description with the product name, e.g. `Acme Sync file transfer`"
//! field = "description"
//! regex = '(?i)\bacme\b'
//! ```

use std::path::Path;

use regex::Regex;
use serde_spanned::Spanned as TSpanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Finding, Severity, Sink};
use crate::model::draft::{Draft, Entry, PersonRef, Text};
use crate::read::keys::suggest;
use crate::rules::meta::{builtin, Scope};
use crate::rules::{Rule, RuleId};
use crate::source::Span;

/// What part of an entry (or registry record) a custom rule looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Description,
    Notes,
    Unauthorized,
    Reference,
    Transport,
    TxtKeys,
    AssigneeEmail,
    ContactEmail,
    /// Every person email (assignee, contact, `[people]`).
    Email,
}

pub const FIELDS: &[(&str, Field)] = &[
    ("name", Field::Name),
    ("description", Field::Description),
    ("notes", Field::Notes),
    ("unauthorized", Field::Unauthorized),
    ("reference", Field::Reference),
    ("transport", Field::Transport),
    ("txt-keys", Field::TxtKeys),
    ("assignee-email", Field::AssigneeEmail),
    ("contact-email", Field::ContactEmail),
    ("email", Field::Email),
];

const KEYS: &[&str] = &[
    "id",
    "severity",
    "summary",
    "message",
    "help",
    "citation",
    "url",
    "explanation",
    "scope",
    "field",
    "regex",
    "not-regex",
    "min-length",
    "max-length",
    "one-of",
];

/// One user rule.
#[derive(Clone, Debug)]
pub struct CustomRule {
    pub id: String,
    pub severity: Severity,
    pub summary: String,
    pub message: Option<String>,
    pub help: Option<String>,
    pub url: Option<String>,
    pub citation: Option<String>,
    pub explanation: Option<String>,
    pub scope: Vec<Scope>,
    pub field: Field,
    pub regex: Option<Regex>,
    pub not_regex: Option<Regex>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub one_of: Option<Vec<String>>,
    /// The file it came from, for `explain`.
    pub source: String,
}

impl CustomRule {
    pub fn category(&self) -> &str {
        self.id.split('/').next().unwrap_or(&self.id)
    }

    /// Why `value` breaks the rule, or `None` when it passes.
    pub fn violation(&self, value: &str) -> Option<String> {
        if let Some(re) = &self.regex {
            if !re.is_match(value) {
                return Some(format!("`{value}` does not match `{}`", re.as_str()));
            }
        }
        if let Some(re) = &self.not_regex {
            if let Some(m) = re.find(value) {
                return Some(format!(
                    "`{value}` contains `{}`, which `{}` forbids",
                    m.as_str(),
                    re.as_str()
                ));
            }
        }
        let len = value.chars().count();
        if let Some(min) = self.min_length.filter(|&m| len < m) {
            return Some(format!(
                "`{value}` is {len} characters; at least {min} are required"
            ));
        }
        if let Some(max) = self.max_length.filter(|&m| len > m) {
            return Some(format!(
                "`{value}` is {len} characters; at most {max} are allowed"
            ));
        }
        if let Some(list) = &self.one_of {
            if !list.iter().any(|v| v == value) {
                return Some(format!("`{value}` is not one of {}", list.join(", ")));
            }
        }
        None
    }

    /// Checks one value and reports a finding at `span` when it breaks the rule.
    pub fn check_value(&self, value: &str, span: Span, out: &mut Sink) {
        if let Some(why) = self.violation(value) {
            let message = match &self.message {
                Some(m) => format!("{m}: {why}"),
                None => format!("{}: {why}", self.summary),
            };
            out.report(RuleId::Custom(self.id.as_str().into()), Some(span), message)
                .label(self.summary.clone());
        }
    }

    /// Checks an entry of a draft.
    pub fn check_entry(&self, draft: &Draft, entry: &Entry, out: &mut Sink) {
        for t in entry_values(draft, entry, self.field) {
            self.check_value(&t.value, t.span, out);
        }
    }
}

/// The values of `field` in an entry (emails resolve through the draft's `[people]`).
pub fn entry_values<'a>(draft: &'a Draft, entry: &'a Entry, field: Field) -> Vec<&'a Text> {
    let email_of = |r: &'a Option<crate::source::Spanned<PersonRef>>| -> Option<&'a Text> {
        match &r.as_ref()?.value {
            PersonRef::Inline(p) => p.email.as_ref(),
            PersonRef::Id(id) => draft.person(id)?.email.as_ref(),
        }
    };
    match field {
        Field::Name => entry.name.iter().collect(),
        Field::Description => entry.description.iter().collect(),
        Field::Notes => entry.notes.iter().collect(),
        Field::Unauthorized => entry.unauthorized.iter().collect(),
        Field::Reference => entry.references.iter().flat_map(|r| &r.value).collect(),
        Field::Transport => entry.transports.iter().flat_map(|r| &r.value).collect(),
        Field::TxtKeys => entry.txt_keys.iter().flat_map(|r| &r.value).collect(),
        Field::AssigneeEmail => email_of(&entry.assignee).into_iter().collect(),
        Field::ContactEmail => email_of(&entry.contact).into_iter().collect(),
        Field::Email => {
            let mut v: Vec<&Text> = email_of(&entry.assignee).into_iter().collect();
            v.extend(email_of(&entry.contact));
            v.dedup_by(|a, b| a.span == b.span);
            v
        }
    }
}

/// Reads one custom rule file. Problems are `config/custom-rule` findings with spans.
pub fn parse(path: &Path, text: &str) -> (Vec<CustomRule>, Vec<Finding>) {
    let mut out = Sink::default();
    let mut rules = Vec::new();
    let source = path.display().to_string();
    let root = match DeTable::parse(text) {
        Ok(r) => r,
        Err(e) => {
            return (
                rules,
                vec![crate::read::toml_error(Rule::ConfigCustomRule, text, &e)],
            )
        }
    };
    for (key, value) in root.get_ref().iter() {
        if key.get_ref().as_ref() != "rule" {
            out.report(
                Rule::ConfigCustomRule,
                Some(key.span().into()),
                format!(
                    "unknown key `{}`; a rules file holds `[[rule]]` tables",
                    key.get_ref()
                ),
            )
            .label("expected `[[rule]]`");
            continue;
        }
        let DeValue::Array(items) = value.get_ref() else {
            bad(
                &mut out,
                value,
                "`rule` must be an array of tables (`[[rule]]`)",
            );
            continue;
        };
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => {
                    if let Some(r) = rule(t, item.span().into(), &source, &mut out) {
                        rules.push(r);
                    }
                }
                _ => bad(&mut out, item, "each `rule` must be a table"),
            }
        }
    }
    // Ids are unique within and across files; the caller checks across files.
    let mut seen = std::collections::HashSet::new();
    for r in &rules {
        if !seen.insert(r.id.clone()) {
            out.report(
                Rule::ConfigCustomRule,
                None,
                format!("rule `{}` is defined twice in {source}", r.id),
            );
        }
    }
    (rules, out.findings)
}

fn bad(out: &mut Sink, v: &TSpanned<DeValue<'_>>, message: impl Into<String>) {
    out.report(Rule::ConfigCustomRule, Some(v.span().into()), message)
        .label("here");
}

fn string(out: &mut Sink, key: &str, v: &TSpanned<DeValue<'_>>) -> Option<String> {
    match v.get_ref() {
        DeValue::String(s) => Some(s.to_string()),
        _ => {
            bad(out, v, format!("`{key}` must be a string"));
            None
        }
    }
}

fn regex(out: &mut Sink, key: &str, v: &TSpanned<DeValue<'_>>) -> Option<Regex> {
    let s = string(out, key, v)?;
    match Regex::new(&s) {
        Ok(re) => Some(re),
        Err(e) => {
            let detail = e.to_string();
            let last = detail
                .lines()
                .rfind(|l| !l.trim().is_empty())
                .unwrap_or("invalid regex")
                .trim();
            out.report(
                Rule::ConfigCustomRule,
                Some(v.span().into()),
                format!("`{key}` is not a valid regular expression: {last}"),
            )
            .label("invalid regex");
            None
        }
    }
}

fn length(out: &mut Sink, key: &str, v: &TSpanned<DeValue<'_>>) -> Option<usize> {
    match v.get_ref() {
        DeValue::Integer(i) if i.radix() == 10 => match i.as_str().parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => {
                bad(out, v, format!("`{key}` must be a non-negative integer"));
                None
            }
        },
        _ => {
            bad(out, v, format!("`{key}` must be a non-negative integer"));
            None
        }
    }
}

fn rule(t: &DeTable<'_>, span: Span, source: &str, out: &mut Sink) -> Option<CustomRule> {
    let before = out.findings.len();
    let (mut id, mut severity, mut summary, mut field) = (None, None, None, None);
    let mut r = CustomRule {
        id: String::new(),
        severity: Severity::Warning,
        summary: String::new(),
        message: None,
        help: None,
        url: None,
        citation: None,
        explanation: None,
        scope: vec![Scope::Draft, Scope::Record],
        field: Field::Name,
        regex: None,
        not_regex: None,
        min_length: None,
        max_length: None,
        one_of: None,
        source: source.to_string(),
    };
    for (key, v) in t.iter() {
        let k = key.get_ref().as_ref();
        match k {
            "id" => id = string(out, k, v).map(|s| (s, Span::from(v.span()))),
            "severity" => {
                severity = string(out, k, v).and_then(|s| {
                    let sev = Severity::parse(&s);
                    if sev.is_none() {
                        bad(
                            out,
                            v,
                            format!(
                                "`{s}` is not a severity; use \"error\", \"warning\" or \"info\""
                            ),
                        );
                    }
                    sev
                })
            }
            "summary" => summary = string(out, k, v),
            "message" => r.message = string(out, k, v),
            "help" => r.help = string(out, k, v),
            "citation" => r.citation = string(out, k, v),
            "url" => r.url = string(out, k, v).filter(|u| !u.is_empty()),
            "explanation" => r.explanation = string(out, k, v),
            "scope" => {
                let items = match v.get_ref() {
                    DeValue::Array(a) => a.iter().collect::<Vec<_>>(),
                    _ => {
                        bad(
                            out,
                            v,
                            "`scope` must be an array of \"draft\" and/or \"record\"",
                        );
                        continue;
                    }
                };
                r.scope.clear();
                for it in items {
                    match string(out, "scope", it).as_deref() {
                        Some("draft") => r.scope.push(Scope::Draft),
                        Some("record") => r.scope.push(Scope::Record),
                        Some(other) => bad(
                            out,
                            it,
                            format!("`{other}` is not a scope; use \"draft\" or \"record\""),
                        ),
                        None => {}
                    }
                }
            }
            "field" => {
                if let Some(s) = string(out, k, v) {
                    match FIELDS.iter().find(|(n, _)| *n == s) {
                        Some((_, f)) => field = Some(*f),
                        None => {
                            let names: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
                            let hint = suggest(&s, &names)
                                .map(|h| format!("; did you mean `{h}`?"))
                                .unwrap_or_default();
                            out.report(
                                Rule::ConfigCustomRule,
                                Some(v.span().into()),
                                format!("unknown field `{s}`{hint} Fields: {}", names.join(", ")),
                            )
                            .label("unknown field");
                        }
                    }
                }
            }
            "regex" => r.regex = regex(out, k, v),
            "not-regex" => r.not_regex = regex(out, k, v),
            "min-length" => r.min_length = length(out, k, v),
            "max-length" => r.max_length = length(out, k, v),
            "one-of" => match v.get_ref() {
                DeValue::Array(a) => {
                    r.one_of = Some(
                        a.iter()
                            .filter_map(|it| string(out, "one-of", it))
                            .collect(),
                    )
                }
                _ => bad(out, v, "`one-of` must be an array of strings"),
            },
            _ => {
                let f = out.report(
                    Rule::ConfigCustomRule,
                    Some(key.span().into()),
                    format!("unknown key `{k}` in a custom rule"),
                );
                match suggest(k, KEYS) {
                    Some(s) => f.label(format!("did you mean `{s}`?")),
                    None => f.label("not a rule key"),
                };
            }
        }
    }
    match &id {
        None => {
            out.report(
                Rule::ConfigCustomRule,
                Some(span),
                "a custom rule needs an `id` such as `house/description-product`",
            )
            .label("no `id`");
        }
        Some((s, sp)) => {
            let (cat, name) = s.split_once('/').unwrap_or(("", ""));
            let ok_chars = |p: &str| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            };
            if !ok_chars(cat) || !ok_chars(name) {
                out.report(Rule::ConfigCustomRule, Some(*sp), format!("`{s}` is not a rule id of the form `namespace/name` (lower-case letters, digits, hyphens)"))
                    .label("bad id");
            } else if builtin().category(cat).is_some() {
                out.report(Rule::ConfigCustomRule, Some(*sp), format!("`{s}` uses the built-in category `{cat}`; give custom rules their own namespace, e.g. `house/{name}`"))
                    .label("built-in category");
            }
        }
    }
    if summary.is_none() {
        out.report(
            Rule::ConfigCustomRule,
            Some(span),
            "a custom rule needs a `summary`",
        )
        .label("no `summary`");
    }
    if field.is_none() && !t.contains_key("field") {
        out.report(
            Rule::ConfigCustomRule,
            Some(span),
            "a custom rule needs a `field` to check",
        )
        .label("no `field`");
    }
    let has_condition = ["regex", "not-regex", "min-length", "max-length", "one-of"]
        .iter()
        .any(|k| t.contains_key(*k));
    if !has_condition {
        out.report(
            Rule::ConfigCustomRule,
            Some(span),
            "a custom rule needs a condition: `regex`, `not-regex`, `min-length`, `max-length` or `one-of`",
        )
        .label("no condition");
    }
    if out.findings.len() > before {
        return None;
    }
    r.id = id?.0;
    r.severity = severity.unwrap_or(Severity::Warning);
    r.summary = summary?;
    r.field = field?;
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_rule_and_its_condition() {
        let text = "[[rule]]\nid = \"house/desc\"\nseverity = \"error\"\nsummary = \"names the product\"\nfield = \"description\"\nregex = '(?i)acme'\nmax-length = 40\n";
        let (rules, problems) = parse(Path::new("house.toml"), text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rules[0].severity, Severity::Error);
        assert_eq!(rules[0].violation("Acme sync"), None);
        assert!(rules[0].violation("File sync").is_some());
    }

    #[test]
    fn broken_rules_are_reported_with_spans() {
        let text = "[[rule]]\nid = \"name/mine\"\nsummary = \"x\"\nfield = \"descripton\"\nregex = \"(\"\ncolour = 1\n";
        let (rules, problems) = parse(Path::new("house.toml"), text);
        assert!(rules.is_empty());
        let msgs: Vec<&str> = problems.iter().map(|f| f.message.as_str()).collect();
        assert!(
            msgs.iter().any(|m| m.contains("built-in category `name`")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("did you mean `description`")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("not a valid regular expression")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("unknown key `colour`")),
            "{msgs:?}"
        );
        assert!(problems.iter().all(|f| f.span.is_some()));
    }
}
