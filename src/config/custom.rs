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
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Finding, Severity, Sink};
use crate::model::draft::{Draft, Entry, PersonRef, Text};
use crate::read::keys::suggest;
use crate::read::toml_table::{span_of, Problem, ProblemKind, Table, Value};
use crate::rules::meta::{builtin, Scope};
use crate::rules::{Rule, RuleId};
use crate::source::{Span, Spanned};

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
    let mut t = Table::new(root.get_ref(), span_of(&root));
    if let Some(items) = t.array("rule", "an array of tables (`[[rule]]`)") {
        for item in items.value {
            if let Some(table) = t.as_table("each `rule`", item, "a table") {
                rules.extend(rule(table, &source, &mut out));
            }
        }
    }
    report(&mut out, t.finalize(&["rule"]), In::File);
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

/// Which table of a rules file a problem is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum In {
    File,
    Rule,
}

/// Reports a table's problems as `config/custom-rule` findings.
fn report(out: &mut Sink, problems: Vec<Problem>, table: In) {
    for p in problems {
        let (message, label) = match &p.kind {
            ProblemKind::WrongType { expected, .. } => {
                (format!("{} must be {expected}", p.subject()), "here".into())
            }
            ProblemKind::Unknown { .. } if table == In::File => (
                format!(
                    "unknown key `{}`; a rules file holds `[[rule]]` tables",
                    p.key
                ),
                "expected `[[rule]]`".into(),
            ),
            ProblemKind::Unknown { suggestion } => (
                format!("unknown key `{}` in a custom rule", p.key),
                match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "not a rule key".into(),
                },
            ),
            // Only `field` is required through the helper; `id` and `summary` are reported
            // when missing or mistyped.
            ProblemKind::Missing => (
                format!("a custom rule needs a `{}` to check", p.key),
                format!("no `{}`", p.key),
            ),
        };
        out.report(Rule::ConfigCustomRule, Some(p.span), message)
            .label(label);
    }
}

fn bad(out: &mut Sink, v: &Value<'_>, message: impl Into<String>) {
    out.report(Rule::ConfigCustomRule, Some(span_of(v)), message)
        .label("here");
}

/// A string, owned.
fn owned(s: Option<Spanned<&str>>) -> Option<String> {
    s.map(|s| s.value.to_string())
}

fn regex(t: &mut Table<'_, '_>, key: &str, out: &mut Sink) -> Option<Regex> {
    let s = t.string(key)?;
    match Regex::new(s.value) {
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
                Some(s.span),
                format!("`{key}` is not a valid regular expression: {last}"),
            )
            .label("invalid regex");
            None
        }
    }
}

fn length(t: &mut Table<'_, '_>, key: &str) -> Option<usize> {
    let v = t.optional(key)?;
    let n = match v.get_ref() {
        DeValue::Integer(i) if i.radix() == 10 => i.as_str().parse::<usize>().ok(),
        _ => None,
    };
    if n.is_none() {
        t.wrong_type(key, v, "a non-negative integer");
    }
    n
}

/// `scope`: where the rule runs (drafts and records when it is not given).
fn scope(t: &mut Table<'_, '_>, out: &mut Sink) -> Vec<Scope> {
    let expected = "an array of \"draft\" and/or \"record\"";
    let Some(items) = t.array("scope", expected) else {
        return vec![Scope::Draft, Scope::Record];
    };
    let mut scope = Vec::new();
    for it in items.value {
        match t.as_string("scope", it).map(|s| s.value) {
            Some("draft") => scope.push(Scope::Draft),
            Some("record") => scope.push(Scope::Record),
            Some(other) => bad(
                out,
                it,
                format!("`{other}` is not a scope; use \"draft\" or \"record\""),
            ),
            None => {}
        }
    }
    scope
}

/// The [`Field`] called `s`; an unknown name is reported with the closest one.
fn field_named(s: Spanned<&str>, out: &mut Sink) -> Option<Field> {
    let found = FIELDS.iter().find(|(n, _)| *n == s.value).map(|(_, f)| *f);
    if found.is_none() {
        let names: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
        let hint = suggest(s.value, &names)
            .map(|h| format!("; did you mean `{h}`?"))
            .unwrap_or_default();
        out.report(
            Rule::ConfigCustomRule,
            Some(s.span),
            format!(
                "unknown field `{}`{hint} Fields: {}",
                s.value,
                names.join(", ")
            ),
        )
        .label("unknown field");
    }
    found
}

fn rule(mut t: Table<'_, '_>, source: &str, out: &mut Sink) -> Option<CustomRule> {
    let before = out.findings.len();
    let span = t.span();
    let id = t.string("id").map(|s| (s.value.to_string(), s.span));
    let summary = owned(t.string("summary"));
    let severity = t.string("severity").and_then(|s| {
        let sev = Severity::parse(s.value);
        if sev.is_none() {
            out.report(
                Rule::ConfigCustomRule,
                Some(s.span),
                format!(
                    "`{}` is not a severity; use \"error\", \"warning\" or \"info\"",
                    s.value
                ),
            )
            .label("here");
        }
        sev
    });
    let field = t
        .required("field")
        .and_then(|v| t.as_string("field", v))
        .and_then(|s| field_named(s, out));
    let one_of = t.array("one-of", "an array of strings").map(|items| {
        let items = items.value.iter();
        items
            .filter_map(|it| owned(t.as_string("one-of", it)))
            .collect()
    });
    let mut r = CustomRule {
        id: String::new(),
        severity: Severity::Warning,
        summary: String::new(),
        message: owned(t.string("message")),
        help: owned(t.string("help")),
        url: owned(t.string("url")).filter(|u| !u.is_empty()),
        citation: owned(t.string("citation")),
        explanation: owned(t.string("explanation")),
        scope: scope(&mut t, out),
        field: Field::Name,
        regex: regex(&mut t, "regex", out),
        not_regex: regex(&mut t, "not-regex", out),
        min_length: length(&mut t, "min-length"),
        max_length: length(&mut t, "max-length"),
        one_of,
        source: source.to_string(),
    };
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
    let has_condition = ["regex", "not-regex", "min-length", "max-length", "one-of"]
        .iter()
        .any(|k| t.contains(k));
    if !has_condition {
        out.report(
            Rule::ConfigCustomRule,
            Some(span),
            "a custom rule needs a condition: `regex`, `not-regex`, `min-length`, `max-length` or `one-of`",
        )
        .label("no condition");
    }
    report(out, t.finalize(KEYS), In::Rule);
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
