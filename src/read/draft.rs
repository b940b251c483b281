//! TOML draft -> [`Draft`]. The reader never fails: invalid TOML is a `draft/syntax`
//! finding, a value of the wrong type a `draft/type` finding, an unknown key a
//! `draft/unknown-key` finding, and the rest of the file is still read.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_spanned::Spanned as TSpanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Finding, Sink};
use crate::model::draft::{
    Allow, Cast, Draft, Entry, EntryKind, Justification, Person, PersonRef, PortValue, Text,
};
use crate::read::keys;
use crate::rules::Rule;
use crate::source::{Span, Spanned};

type TValue<'i> = TSpanned<DeValue<'i>>;
type TTable<'i> = DeTable<'i>;

/// Reads one draft. `text` is the whole file.
pub fn read_draft(text: &str) -> (Draft, Vec<Finding>) {
    let mut r = Reader {
        sink: Sink::default(),
        entry: None,
    };
    let mut draft = Draft {
        span: Span::new(0, text.len()),
        ..Draft::default()
    };
    match DeTable::parse(text) {
        Err(e) => r.syntax(text, &e),
        Ok(root) => r.document(root.get_ref(), &mut draft),
    }
    (draft, r.sink.findings)
}

struct Reader {
    sink: Sink,
    /// Index of the entry being read, stamped on findings.
    entry: Option<usize>,
}

fn span_of<T>(v: &TSpanned<T>) -> Span {
    v.span().into()
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl Reader {
    fn report(&mut self, rule: Rule, span: Span, message: impl Into<String>) -> &mut Finding {
        let entry = self.entry;
        let f = self.sink.report(rule, Some(span), message);
        f.entry = entry;
        f
    }

    fn syntax(&mut self, text: &str, e: &toml::de::Error) {
        if let Some(at) = text.find('\0') {
            self.report(
                Rule::DraftSyntax,
                Span::new(at, at + 1),
                "this is a binary file (it contains NUL bytes), not a TOML draft",
            )
            .label("NUL byte")
            .help("check the file name: a draft is a UTF-8 TOML text file");
            return;
        }
        self.sink
            .findings
            .push(crate::read::toml_error(Rule::DraftSyntax, text, e));
    }

    fn wrong_type(&mut self, key: &str, v: &TValue<'_>, expected: &str) {
        self.report(
            Rule::DraftType,
            span_of(v),
            format!(
                "{} must be {expected}, not {}",
                if key.starts_with("each ") {
                    key.to_string()
                } else {
                    format!("`{key}`")
                },
                type_name(v.get_ref())
            ),
        )
        .label(format!("{} here", type_name(v.get_ref())));
    }

    fn unknown_key(&mut self, key: &TSpanned<Cow<'_, str>>, known: &[&str], context: &str) {
        let name = key.get_ref().as_ref();
        let f = self.report(
            Rule::DraftUnknownKey,
            span_of(key),
            format!("unknown key `{name}` in {context}"),
        );
        match keys::suggest(name, known) {
            Some(s) => {
                f.label(format!("did you mean `{s}`?"));
                f.help(format!(
                    "did you mean `{s}`? The keys allowed here are: {}",
                    known.join(", ")
                ));
            }
            None => {
                f.label("not part of the draft format");
                f.help(format!("the keys allowed here are: {}", known.join(", ")));
            }
        }
    }

    fn document(&mut self, root: &TTable<'_>, draft: &mut Draft) {
        for (key, value) in root.iter() {
            match key.get_ref().as_ref() {
                "format" => self.format(value),
                "entry" => self.entries(value, draft),
                "people" => self.people(value, draft),
                _ => self.unknown_key(key, keys::TOP, "the top level of a draft"),
            }
        }
        if draft.entries.is_empty() {
            self.report(
                Rule::DraftNoEntries,
                Span::new(0, 0),
                "this draft has no `[[entry]]`",
            )
            .label("expected at least one `[[entry]]` table");
        }
    }

    fn format(&mut self, v: &TValue<'_>) {
        match v.get_ref() {
            DeValue::Integer(i) if i.as_str() == "1" && i.radix() == 10 => {}
            DeValue::Integer(i) => {
                self.report(
                    Rule::DraftType,
                    span_of(v),
                    format!("unsupported draft format version {i}; this portreg reads version 1"),
                )
                .label("expected `format = 1`");
            }
            _ => self.wrong_type("format", v, "the integer 1"),
        }
    }

    fn entries(&mut self, v: &TValue<'_>, draft: &mut Draft) {
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type("entry", v, "an array of tables (`[[entry]]`)");
            return;
        };
        for item in items.iter() {
            let DeValue::Table(t) = item.get_ref() else {
                self.wrong_type("entry", item, "a table (`[[entry]]`)");
                continue;
            };
            let index = draft.entries.len();
            self.entry = Some(index);
            let mut entry = Entry {
                index,
                span: span_of(item),
                ..Entry::default()
            };
            self.entry_table(t, &mut entry);
            draft.entries.push(entry);
        }
        self.entry = None;
    }

    fn entry_table(&mut self, t: &TTable<'_>, e: &mut Entry) {
        for (key, v) in t.iter() {
            let k = key.get_ref().as_ref();
            let before = self.sink.findings.len();
            match k {
                "name" => e.name = self.string(k, v),
                "transport" => e.transports = self.string_or_list(k, v),
                "port" => e.port = self.port(v),
                "description" => e.description = self.string(k, v),
                "assignee" => e.assignee = self.person_ref(k, v),
                "contact" => e.contact = self.person_ref(k, v),
                "reference" => e.references = self.string_or_list(k, v),
                "service-code" => e.service_code = self.service_code(v),
                "txt-keys" => e.txt_keys = self.list(k, v),
                "notes" => e.notes = self.string(k, v),
                "unauthorized" => e.unauthorized = self.string(k, v),
                "kind" => e.kind = self.kind(v),
                "justification" => self.justification(v, &mut e.justification),
                "lint" => self.lint(v, &mut e.allows),
                _ => self.unknown_key(key, keys::ENTRY, "`[[entry]]`"),
            }
            let typed_wrong = self.sink.findings[before..]
                .iter()
                .any(|f| f.rule == Rule::DraftType);
            if typed_wrong {
                if let Some(k) = keys::ENTRY.iter().find(|x| **x == k) {
                    e.mistyped.push(k);
                }
            }
        }
    }

    fn string(&mut self, key: &str, v: &TValue<'_>) -> Option<Text> {
        match v.get_ref() {
            DeValue::String(s) => Some(Spanned::new(s.to_string(), span_of(v))),
            _ => {
                self.wrong_type(key, v, "a string");
                None
            }
        }
    }

    fn list(&mut self, key: &str, v: &TValue<'_>) -> Option<Spanned<Vec<Text>>> {
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, v, "an array of strings");
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Spanned::new(s.to_string(), span_of(item))),
                _ => self.wrong_type(&format!("each item of `{key}`"), item, "a string"),
            }
        }
        Some(Spanned::new(out, span_of(v)))
    }

    fn string_or_list(&mut self, key: &str, v: &TValue<'_>) -> Option<Spanned<Vec<Text>>> {
        match v.get_ref() {
            DeValue::String(s) => Some(Spanned::new(
                vec![Spanned::new(s.to_string(), span_of(v))],
                span_of(v),
            )),
            DeValue::Array(_) => self.list(key, v),
            _ => {
                self.wrong_type(key, v, "a string or an array of strings");
                None
            }
        }
    }

    fn port(&mut self, v: &TValue<'_>) -> Option<Spanned<PortValue>> {
        let span = span_of(v);
        let value = match v.get_ref() {
            DeValue::Integer(i) => {
                let text = i.to_string();
                match (i.radix() == 10)
                    .then(|| i.as_str().parse::<i128>().ok())
                    .flatten()
                {
                    Some(n) => match u16::try_from(n) {
                        Ok(p) => PortValue::Single(p),
                        Err(_) => PortValue::Invalid {
                            text,
                            reason: if n < 0 {
                                format!("{n} is negative; ports are 0-65535")
                            } else {
                                format!("{n} is above 65535, the largest port number")
                            },
                        },
                    },
                    None if i.radix() != 10 => match u16::from_str_radix(i.as_str(), i.radix()) {
                        Ok(p) => PortValue::Single(p),
                        Err(_) => PortValue::Invalid {
                            reason: format!("{text} is not a port number in 0-65535"),
                            text,
                        },
                    },
                    None => PortValue::Invalid {
                        reason: format!("{text} is far outside 0-65535"),
                        text,
                    },
                }
            }
            DeValue::String(s) => parse_port_string(s),
            _ => {
                self.wrong_type(
                    "port",
                    v,
                    "an integer, a range such as \"8000-8010\", \"user\" or \"system\"",
                );
                return None;
            }
        };
        Some(Spanned::new(value, span))
    }

    fn service_code(&mut self, v: &TValue<'_>) -> Option<Text> {
        match v.get_ref() {
            DeValue::String(s) => Some(Spanned::new(s.to_string(), span_of(v))),
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                let digits = digits.trim_start_matches('+');
                let text = if i.radix() == 10 {
                    digits.to_string()
                } else {
                    // Hex, octal and binary integers become their decimal value; one too large
                    // for 128 bits is still a number (`sc/invalid-value`), not bad notation.
                    u128::from_str_radix(digits, i.radix())
                        .unwrap_or(u128::MAX)
                        .to_string()
                };
                Some(Spanned::new(text, span_of(v)))
            }
            _ => {
                self.wrong_type(
                    "service-code",
                    v,
                    "an integer or a string (\"SC:abcd\", \"SC=123\", \"SC=x1A2B\")",
                );
                None
            }
        }
    }

    fn kind(&mut self, v: &TValue<'_>) -> Option<Spanned<EntryKind>> {
        let kind = match v.get_ref() {
            DeValue::String(s) if s == "new" => EntryKind::New,
            DeValue::String(s) if s == "extend" => EntryKind::Extend,
            DeValue::String(s) => {
                self.report(
                    Rule::DraftType,
                    span_of(v),
                    format!("`kind` must be \"new\" or \"extend\", not \"{s}\""),
                )
                .label("expected \"new\" or \"extend\"");
                return None;
            }
            _ => {
                self.wrong_type("kind", v, "the string \"new\" or \"extend\"");
                return None;
            }
        };
        Some(Spanned::new(kind, span_of(v)))
    }

    fn person_ref(&mut self, key: &str, v: &TValue<'_>) -> Option<Spanned<PersonRef>> {
        let span = span_of(v);
        match v.get_ref() {
            DeValue::String(s) => Some(Spanned::new(PersonRef::Id(s.to_string()), span)),
            DeValue::Table(t) => Some(Spanned::new(
                PersonRef::Inline(self.person_table(t, span, &format!("`{key}`"))),
                span,
            )),
            _ => {
                self.wrong_type(
                    key,
                    v,
                    "a person id (string) or a table {name, org, email, uri}",
                );
                None
            }
        }
    }

    fn person_table(&mut self, t: &TTable<'_>, span: Span, context: &str) -> Person {
        let mut p = Person {
            span,
            ..Person::default()
        };
        for (key, v) in t.iter() {
            let k = key.get_ref().as_ref();
            match k {
                "name" => p.name = self.string(k, v),
                "org" => p.org = self.string(k, v),
                "email" => p.email = self.string(k, v),
                "uri" => p.uri = self.string(k, v),
                _ => self.unknown_key(key, keys::PERSON, context),
            }
        }
        p
    }

    fn people(&mut self, v: &TValue<'_>, draft: &mut Draft) {
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong_type("people", v, "a table of people (`[people.<id>]`)");
            return;
        };
        let mut people = BTreeMap::new();
        for (id, pv) in t.iter() {
            let id = id.get_ref().to_string();
            match pv.get_ref() {
                DeValue::Table(pt) => {
                    let p = self.person_table(pt, span_of(pv), &format!("`[people.{id}]`"));
                    people.insert(id, p);
                }
                _ => self.wrong_type(
                    &format!("people.{id}"),
                    pv,
                    "a table {name, org, email, uri}",
                ),
            }
        }
        draft.people = people;
    }

    fn justification(&mut self, v: &TValue<'_>, j: &mut Justification) {
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong_type("justification", v, "a table (`[entry.justification]`)");
            return;
        };
        j.span = Some(span_of(v));
        for (key, v) in t.iter() {
            let k = key.get_ref().as_ref();
            match k {
                "why-not-dynamic" => j.why_not_dynamic = self.string(k, v),
                "why-not-user" => j.why_not_user = self.string(k, v),
                "cast" => j.cast = self.cast(v),
                "why-multiple-transports" => j.why_multiple_transports = self.string(k, v),
                "why-multiple-ports" => j.why_multiple_ports = self.string(k, v),
                "security" => j.security = self.string(k, v),
                "versioning" => j.versioning = self.string(k, v),
                "discovery" => j.discovery = self.string(k, v),
                _ => self.unknown_key(key, keys::JUSTIFICATION, "`[entry.justification]`"),
            }
        }
    }

    fn cast(&mut self, v: &TValue<'_>) -> Option<Spanned<Cast>> {
        let cast = match v.get_ref() {
            DeValue::String(s) => Cast::Statement(s.to_string()),
            DeValue::Table(t) => {
                let (mut broadcast, mut multicast, mut anycast) = (None, None, None);
                for (key, fv) in t.iter() {
                    let k = key.get_ref().as_ref();
                    let slot = match k {
                        "broadcast" => &mut broadcast,
                        "multicast" => &mut multicast,
                        "anycast" => &mut anycast,
                        _ => {
                            self.unknown_key(key, keys::CAST, "`cast`");
                            continue;
                        }
                    };
                    match fv.get_ref() {
                        DeValue::Boolean(b) => *slot = Some(*b),
                        _ => self.wrong_type(k, fv, "a boolean"),
                    }
                }
                Cast::Flags {
                    broadcast,
                    multicast,
                    anycast,
                }
            }
            _ => {
                self.wrong_type(
                    "cast",
                    v,
                    "a string or a table { broadcast = …, multicast = …, anycast = … }",
                );
                return None;
            }
        };
        Some(Spanned::new(cast, span_of(v)))
    }

    fn lint(&mut self, v: &TValue<'_>, allows: &mut Vec<Allow>) {
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong_type("lint", v, "a table (`[entry.lint]`)");
            return;
        };
        for (key, v) in t.iter() {
            if key.get_ref().as_ref() != "allow" {
                self.unknown_key(key, keys::LINT, "`[entry.lint]`");
                continue;
            }
            let DeValue::Array(items) = v.get_ref() else {
                self.wrong_type("allow", v, "an array of { rule = \"…\", reason = \"…\" }");
                continue;
            };
            for item in items.iter() {
                let DeValue::Table(it) = item.get_ref() else {
                    self.wrong_type("allow", item, "a table { rule = \"…\", reason = \"…\" }");
                    continue;
                };
                let (mut rule, mut reason) = (None, None);
                for (k, fv) in it.iter() {
                    match k.get_ref().as_ref() {
                        "rule" => rule = self.string("rule", fv),
                        "reason" => reason = self.string("reason", fv),
                        _ => self.unknown_key(k, keys::ALLOW, "an `allow` item"),
                    }
                }
                match rule {
                    Some(rule) => allows.push(Allow {
                        rule,
                        reason,
                        span: span_of(item),
                    }),
                    // `rule` is there but mistyped: draft/type already said so.
                    None if it.contains_key("rule") => {}
                    None => {
                        self.report(
                            Rule::DraftType,
                            span_of(item),
                            "an `allow` item needs `rule = \"<rule id>\"`",
                        )
                        .label("no `rule` here");
                    }
                }
            }
        }
    }
}

/// `"8000"`, `"8000-8010"`, `"user"`, `"system"`.
fn parse_port_string(s: &str) -> PortValue {
    let t = s.trim();
    let invalid = |reason: String| PortValue::Invalid {
        text: s.to_string(),
        reason,
    };
    match t {
        "user" => return PortValue::User,
        "system" => return PortValue::System,
        _ => {}
    }
    let num = |p: &str| -> Result<u16, String> {
        let p = p.trim();
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{p}` is not a number"));
        }
        p.parse::<u16>()
            .map_err(|_| format!("{p} is above 65535, the largest port number"))
    };
    match t.split_once('-') {
        None => match num(t) {
            Ok(p) => PortValue::Single(p),
            Err(_) if t.eq_ignore_ascii_case("user") || t.eq_ignore_ascii_case("system") => {
                invalid(format!("write `{}` in lower case", t.to_ascii_lowercase()))
            }
            Err(e) => invalid(format!(
                "{e}; a port is a number, a range \"N-M\", \"user\" or \"system\""
            )),
        },
        Some((a, b)) => match (num(a), num(b)) {
            (Ok(lo), Ok(hi)) if lo < hi => PortValue::Range(lo, hi),
            (Ok(lo), Ok(hi)) if lo == hi => {
                invalid(format!("the range {lo}-{hi} has one port; write {lo}"))
            }
            (Ok(lo), Ok(hi)) => {
                invalid(format!("the range {lo}-{hi} is reversed; write {hi}-{lo}"))
            }
            (Err(e), _) | (_, Err(e)) => invalid(format!("malformed range: {e}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_strings() {
        assert_eq!(parse_port_string("8000-8010"), PortValue::Range(8000, 8010));
        assert_eq!(parse_port_string("user"), PortValue::User);
        assert_eq!(parse_port_string("4873"), PortValue::Single(4873));
        for bad in [
            "8010-8000",
            "80-",
            "-80",
            "x",
            "70000",
            "80-80",
            "USER",
            "1-2-3",
        ] {
            assert!(
                matches!(parse_port_string(bad), PortValue::Invalid { .. }),
                "{bad}"
            );
        }
    }
}
