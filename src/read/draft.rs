//! TOML draft -> [`Draft`]. The reader never fails: invalid TOML is a `draft/syntax`
//! finding, a value of the wrong type a `draft/type` finding, an unknown key a
//! `draft/unknown-key` finding, and the rest of the file is still read.

use std::collections::BTreeMap;

use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Finding, Sink};
use crate::model::draft::{
    Allow, Cast, Changes, Draft, Entry, EntryKind, Justification, Person, PersonRef, PortValue,
    Text,
};
use crate::read::keys;
use crate::read::toml_table::{span_of, Problem, ProblemKind, Table, Value};
use crate::rules::Rule;
use crate::source::{Span, Spanned};

/// Reads one draft. `text` is the whole file.
pub fn read_draft(text: &str) -> (Draft, Vec<Finding>) {
    let mut r = Reader {
        sink: Sink::default(),
        entry: None,
        text,
    };
    let mut draft = Draft {
        span: Span::new(0, text.len()),
        ..Draft::default()
    };
    match DeTable::parse(text) {
        Err(e) => r.syntax(text, &e),
        Ok(root) => r.document(Table::new(root.get_ref(), draft.span), &mut draft),
    }
    (draft, r.sink.findings)
}

struct Reader<'t> {
    sink: Sink,
    /// Index of the entry being read, stamped on findings.
    entry: Option<usize>,
    /// The whole draft, for fixes that rewrite a key as it is written.
    text: &'t str,
}

/// A string read from the draft, owned.
fn text(s: Option<Spanned<&str>>) -> Option<Text> {
    s.map(|s| Spanned::new(s.value.to_string(), s.span))
}

impl Reader<'_> {
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

    /// Reports a table's unknown keys (`known` are the keys allowed in it, `context` names
    /// it) and the problems not yet reported.
    fn finish(&mut self, t: Table<'_, '_>, known: &[&'static str], context: &str) {
        self.flush(t.finalize(known), known, context);
    }

    /// Reports problems as `draft/type` and `draft/unknown-key` findings, stamped with the
    /// entry being read now.
    fn flush(&mut self, problems: Vec<Problem>, known: &[&str], context: &str) {
        for p in problems {
            match &p.kind {
                ProblemKind::WrongType { expected, found } => {
                    let message = format!("{} must be {expected}, not {found}", p.subject());
                    self.report(Rule::DraftType, p.span, message)
                        .label(format!("{found} here"));
                }
                ProblemKind::Unknown { suggestion } => {
                    let message = format!("unknown key `{}` in {context}", p.key);
                    let text = self.text;
                    let f = self.report(Rule::DraftUnknownKey, p.span, message);
                    match suggestion {
                        Some(s) => {
                            // Renaming onto a key the table already has would repeat it.
                            let fix = keys::key_fix(text, p.span, s);
                            f.fix(fix);
                            // The label asks; the fix renames. Listing every allowed key
                            // would bury the one that was meant.
                            f.label(format!("did you mean `{s}`?"));
                        }
                        None => {
                            f.label("not part of the draft format");
                            f.help(format!("the keys allowed here are: {}", known.join(", ")));
                        }
                    }
                }
                // The format's one required key: `rule` in an `allow` item.
                ProblemKind::Missing => {
                    self.report(
                        Rule::DraftType,
                        p.span,
                        "an `allow` item needs `rule = \"<rule id>\"`",
                    )
                    .label("no `rule` here");
                }
            }
        }
    }

    fn document(&mut self, mut root: Table<'_, '_>, draft: &mut Draft) {
        // Entries first: a non-table `[[entry]]` item is reported as soon as it is met.
        self.entries(&mut root, draft);
        self.format(&mut root);
        self.people(&mut root, draft);
        self.finish(root, keys::TOP, "the top level of a draft");
        if draft.entries.is_empty() {
            self.report(
                Rule::DraftNoEntries,
                Span::new(0, 0),
                "this draft has no `[[entry]]`",
            )
            .label("expected at least one `[[entry]]` table");
        }
    }

    fn format(&mut self, root: &mut Table<'_, '_>) {
        let Some(v) = root.optional("format") else {
            return;
        };
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
            _ => root.wrong_type("format", v, "the integer 1"),
        }
    }

    fn entries(&mut self, root: &mut Table<'_, '_>, draft: &mut Draft) {
        let Some(items) = root.array("entry", "an array of tables (`[[entry]]`)") else {
            return;
        };
        for item in items.value {
            let Some(t) = root.as_table("entry", item, "a table (`[[entry]]`)") else {
                // Reported now, so it carries the index of the entry read before it.
                self.flush(root.take_problems(), keys::TOP, "");
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

    fn entry_table(&mut self, mut t: Table<'_, '_>, e: &mut Entry) {
        let written: Vec<(String, Span)> = t
            .iter()
            .map(|(k, _)| (k.get_ref().to_string(), span_of(k)))
            .collect();
        // The help of an unknown key lists the keys of the entry's kind.
        let kind = t
            .optional("kind")
            .and_then(|v| match v.get_ref() {
                DeValue::String(s) => EntryKind::parse(s),
                _ => None,
            })
            .unwrap_or(EntryKind::New);
        let known = keys::keys_of(kind);
        // Key by key, reporting as we go: a key with a type problem in its value (or in
        // anything inside it) is marked mistyped, so checks do not also call it missing.
        for &k in keys::ENTRY {
            if !t.contains(k) {
                continue;
            }
            let before = self.sink.findings.len();
            match k {
                "name" => e.name = text(t.string(k)),
                "transport" => e.transports = string_or_list(&mut t, k),
                "port" => e.port = port(&mut t),
                "description" => e.description = text(t.string(k)),
                "assignee" => e.assignee = self.person_ref(&mut t, k),
                "contact" => e.contact = self.person_ref(&mut t, k),
                "reference" => e.references = string_or_list(&mut t, k),
                "service-code" => {
                    e.service_codes = service_codes(&mut t);
                    e.service_code = e
                        .service_codes
                        .as_ref()
                        .and_then(|c| c.value.first().cloned());
                }
                "txt-keys" => e.txt_keys = t.optional(k).and_then(|v| list(&mut t, k, v)),
                "notes" => e.notes = text(t.string(k)),
                "unauthorized" => e.unauthorized = text(t.string(k)),
                "kind" => e.kind = self.kind(&mut t),
                "justification" => {
                    let misspelt = self.justification(&mut t, &mut e.justification);
                    e.mistyped.extend(misspelt);
                }
                "lint" => self.lint(&mut t, &mut e.allows),
                "requester" => e.requester = self.person_ref(&mut t, k),
                "changes" => e.changes = self.changes(&mut t),
                "keep-name" => e.keep_name = t.bool(k),
                "no-longer-used" => e.no_longer_used = text(t.string(k)),
                "succession" => e.succession = text(t.string(k)),
                "previous" => e.previous = text(t.string(k)),
                "to" => e.to = self.person_ref(&mut t, k),
                _ => {}
            }
            self.flush(t.take_problems(), &known, "`[[entry]]`");
            let typed_wrong = self.sink.findings[before..]
                .iter()
                .any(|f| f.rule == Rule::DraftType);
            if typed_wrong {
                e.mistyped.push(k);
            }
        }
        let span = t.span();
        let present: Vec<&str> = keys::ENTRY
            .iter()
            .copied()
            .filter(|k| t.contains(k))
            .collect();
        let problems = t.finalize(keys::ENTRY);
        e.mistyped.extend(misspelt(&problems, &present));
        self.flush(problems, &known, "`[[entry]]`");
        // An unreadable `kind` is reported already; which keys belong is then unknown.
        let kind_unread = e.kind.is_none() && written.iter().any(|(k, _)| k == "kind");
        if !kind_unread {
            self.kind_keys(e, &written, span);
        }
    }

    /// Keys of the draft format that do not belong to the entry's kind (`changes` on a `new`
    /// entry, `previous` on a `deassign`) are reported like unknown keys, never ignored; a
    /// `modify` needs at least one change.
    fn kind_keys(&mut self, e: &Entry, written: &[(String, Span)], span: Span) {
        let kind = e.kind();
        for (key, at) in written {
            let Some(&key) = keys::ENTRY.iter().find(|k| **k == key.as_str()) else {
                continue;
            };
            if keys::belongs_to(key, kind) {
                continue;
            }
            let owners: Vec<String> = EntryKind::ALL
                .iter()
                .filter(|k| keys::belongs_to(key, **k))
                .map(|k| format!("`kind = \"{}\"`", k.as_str()))
                .collect();
            let owners = match owners.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} or {last}", rest.join(", "))
                }
                _ => owners.join(""),
            };
            let message = format!("`{key}` does not belong to a `{}` entry", kind.as_str());
            self.report(Rule::DraftUnknownKey, *at, message)
                .label(format!("not a key of `kind = \"{}\"`", kind.as_str()))
                .help(format!(
                    "`{key}` goes with {owners}; the keys of a `{}` entry are: {}",
                    kind.as_str(),
                    keys::keys_of(kind).join(", ")
                ));
        }
        if kind == EntryKind::Modify && e.changes.as_ref().is_none_or(Changes::is_empty) {
            let at = e.changes.as_ref().map_or(span, |c| c.span);
            let mistyped = e.mistyped("changes");
            if !mistyped {
                self.report(
                    Rule::DraftType,
                    at,
                    "a `modify` entry needs `[entry.changes]` with at least one new value",
                )
                .label("no change here")
                .help(format!(
                    "add `[entry.changes]` with one or more of: {}",
                    keys::CHANGES.join(", ")
                ));
            }
        }
    }

    fn changes(&mut self, t: &mut Table<'_, '_>) -> Option<Changes> {
        let mut t = t.table("changes", "a table (`[entry.changes]`)")?;
        let c = Changes {
            span: t.span(),
            description: text(t.string("description")),
            contact: self.person_ref(&mut t, "contact"),
            references: string_or_list(&mut t, "reference"),
            notes: text(t.string("notes")),
            name: text(t.string("name")),
            assignee: self.person_ref(&mut t, "assignee"),
        };
        self.finish(t, keys::CHANGES, "`[entry.changes]`");
        Some(c)
    }

    fn kind(&mut self, t: &mut Table<'_, '_>) -> Option<Spanned<EntryKind>> {
        let v = t.optional("kind")?;
        let kinds: Vec<String> = EntryKind::ALL
            .iter()
            .map(|k| format!("\"{}\"", k.as_str()))
            .collect();
        let kinds = kinds.join(", ");
        let kind = match v.get_ref() {
            DeValue::String(s) => match EntryKind::parse(s) {
                Some(k) => k,
                None => {
                    self.report(
                        Rule::DraftType,
                        span_of(v),
                        format!("`kind` must be one of {kinds}; not \"{s}\""),
                    )
                    .label(format!("expected one of {kinds}"));
                    return None;
                }
            },
            _ => {
                t.wrong_type("kind", v, format!("one of the strings {kinds}"));
                return None;
            }
        };
        Some(Spanned::new(kind, span_of(v)))
    }

    fn person_ref(&mut self, t: &mut Table<'_, '_>, key: &str) -> Option<Spanned<PersonRef>> {
        let v = t.optional(key)?;
        let person = match v.get_ref() {
            DeValue::String(s) => PersonRef::Id(s.to_string()),
            DeValue::Table(p) => {
                PersonRef::Inline(self.person(Table::new(p, span_of(v)), &format!("`{key}`")))
            }
            _ => {
                let expected = "a person id (string) or a table {name, org, email, uri}";
                t.wrong_type(key, v, expected);
                return None;
            }
        };
        Some(Spanned::new(person, span_of(v)))
    }

    fn person(&mut self, mut t: Table<'_, '_>, context: &str) -> Person {
        let p = Person {
            span: t.span(),
            name: text(t.string("name")),
            org: text(t.string("org")),
            email: text(t.string("email")),
            uri: text(t.string("uri")),
        };
        self.finish(t, keys::PERSON, context);
        p
    }

    fn people(&mut self, root: &mut Table<'_, '_>, draft: &mut Draft) {
        let Some(mut t) = root.table("people", "a table of people (`[people.<id>]`)") else {
            return;
        };
        let mut people = BTreeMap::new();
        for (id, pv) in t.iter() {
            let id = id.get_ref().to_string();
            let expected = "a table {name, org, email, uri}";
            if let Some(pt) = t.as_table(&format!("people.{id}"), pv, expected) {
                let p = self.person(pt, &format!("`[people.{id}]`"));
                people.insert(id, p);
            }
        }
        // Every key is a person id: nothing is unknown here.
        self.flush(t.take_problems(), &[], "");
        draft.people = people;
    }

    /// Reads `[entry.justification]`; returns the keys written only under a misspelt name.
    fn justification(&mut self, t: &mut Table<'_, '_>, j: &mut Justification) -> Vec<&'static str> {
        let Some(mut t) = t.table("justification", "a table (`[entry.justification]`)") else {
            return Vec::new();
        };
        j.span = Some(t.span());
        j.why_not_dynamic = text(t.string("why-not-dynamic"));
        j.why_not_user = text(t.string("why-not-user"));
        j.cast = self.cast(&mut t);
        j.why_multiple_transports = text(t.string("why-multiple-transports"));
        j.why_multiple_ports = text(t.string("why-multiple-ports"));
        j.security = text(t.string("security"));
        j.versioning = text(t.string("versioning"));
        j.discovery = text(t.string("discovery"));
        j.udp_congestion = text(t.string("udp-congestion"));
        j.udp_discovery_only = t.bool("udp-discovery-only");
        j.why_not_existing_port = text(t.string("why-not-existing-port"));
        j.development_state = text(t.string("development-state"));
        j.differs_from_existing = text(t.string("differs-from-existing"));
        let present: Vec<&str> = keys::JUSTIFICATION
            .iter()
            .copied()
            .filter(|k| t.contains(k))
            .collect();
        let problems = t.finalize(keys::JUSTIFICATION);
        let misspelt = misspelt(&problems, &present);
        self.flush(problems, keys::JUSTIFICATION, "`[entry.justification]`");
        misspelt
    }

    fn cast(&mut self, t: &mut Table<'_, '_>) -> Option<Spanned<Cast>> {
        let v = t.optional("cast")?;
        let cast = match v.get_ref() {
            DeValue::String(s) => Cast::Statement(s.to_string()),
            DeValue::Table(flags) => {
                let mut flags = Table::new(flags, span_of(v));
                let cast = Cast::Flags {
                    broadcast: flags.bool("broadcast").map(|b| b.value),
                    multicast: flags.bool("multicast").map(|b| b.value),
                    anycast: flags.bool("anycast").map(|b| b.value),
                };
                self.finish(flags, keys::CAST, "`cast`");
                cast
            }
            _ => {
                let expected = "a string or a table { broadcast = …, multicast = …, anycast = … }";
                t.wrong_type("cast", v, expected);
                return None;
            }
        };
        Some(Spanned::new(cast, span_of(v)))
    }

    fn lint(&mut self, t: &mut Table<'_, '_>, allows: &mut Vec<Allow>) {
        let Some(mut lint) = t.table("lint", "a table (`[entry.lint]`)") else {
            return;
        };
        let items = lint.array("allow", "an array of { rule = \"…\", reason = \"…\" }");
        for item in items.map(|a| a.value).unwrap_or_default() {
            let expected = "a table { rule = \"…\", reason = \"…\" }";
            let Some(mut it) = lint.as_table("allow", item, expected) else {
                continue;
            };
            // A missing `rule` is reported; a mistyped one already is.
            let rule = it.required("rule").and_then(|v| it.as_string("rule", v));
            let reason = text(it.string("reason"));
            if let Some(rule) = text(rule) {
                allows.push(Allow {
                    rule,
                    reason,
                    span: span_of(item),
                });
            }
            self.finish(it, keys::ALLOW, "an `allow` item");
        }
        self.finish(lint, keys::LINT, "`[entry.lint]`");
    }
}

/// An array of strings; each item that is not a string is reported and left out.
fn list<'t, 'i>(t: &mut Table<'t, 'i>, key: &str, v: &'t Value<'i>) -> Option<Spanned<Vec<Text>>> {
    let items = t.as_array(key, v, "an array of strings")?;
    let each = format!("each item of `{key}`");
    let out = items
        .value
        .iter()
        .filter_map(|it| text(t.as_string(&each, it)))
        .collect();
    Some(Spanned::new(out, items.span))
}

fn string_or_list(t: &mut Table<'_, '_>, key: &str) -> Option<Spanned<Vec<Text>>> {
    let v = t.optional(key)?;
    match v.get_ref() {
        DeValue::String(s) => Some(Spanned::new(
            vec![Spanned::new(s.to_string(), span_of(v))],
            span_of(v),
        )),
        DeValue::Array(_) => list(t, key, v),
        _ => {
            t.wrong_type(key, v, "a string or an array of strings");
            None
        }
    }
}

fn port(t: &mut Table<'_, '_>) -> Option<Spanned<PortValue>> {
    let v = t.optional("port")?;
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
            t.wrong_type(
                "port",
                v,
                "an integer, a range such as \"8000-8010\", \"user\" or \"system\"",
            );
            return None;
        }
    };
    Some(Spanned::new(value, span_of(v)))
}

/// `service-code`: one code, or an array of codes (RFC 6335 §10.3.2 lets a port have
/// several).
fn service_codes(t: &mut Table<'_, '_>) -> Option<Spanned<Vec<Text>>> {
    let v = t.optional("service-code")?;
    if let DeValue::Array(items) = v.get_ref() {
        let codes = items
            .iter()
            .filter_map(|it| service_code(t, "each item of `service-code`", it))
            .collect();
        return Some(Spanned::new(codes, span_of(v)));
    }
    service_code(t, "service-code", v).map(|c| Spanned::new(vec![c], span_of(v)))
}

fn service_code(t: &mut Table<'_, '_>, key: &str, v: &Value<'_>) -> Option<Text> {
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
            t.wrong_type(
                key,
                v,
                "an integer or a string (\"SC:abcd\", \"SC=123\", \"SC=x1A2B\"), or an array of them",
            );
            None
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

/// The keys of a table that are absent but written under a likely typo (`asignee`): the
/// unknown key's "did you mean" reports them, so the rules that would call them missing
/// stay silent.
fn misspelt(problems: &[Problem], present: &[&str]) -> Vec<&'static str> {
    problems
        .iter()
        .filter_map(|p| match p.kind {
            ProblemKind::Unknown {
                suggestion: Some(s),
            } if !present.contains(&s) => Some(s),
            _ => None,
        })
        .collect()
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
