//! `portreg registry lint`: every record of a registry file, legacy-aware.

use std::collections::HashMap;
use std::sync::Arc;

use crate::custom::Field;
use crate::diagnostic::{Diagnostic, Files, Finding, Sink};
use crate::engine::{DiagnosticBuilder, Options, Report};
use crate::model::draft::Draft;
use crate::records::{entry_of, identity, is_legacy};
use crate::registry::{Format, Record, Registry};
use crate::rules::meta::{builtin, Scope};
use crate::rules::{all_checks, EntryCx, Run};
use crate::source::Span;

/// Name rules that RFC 6335 §5.1 defines; on legacy records `registry/legacy-name` replaces
/// them.
const SYNTAX_RULES: &[&str] = &[
    "name/too-long",
    "name/invalid-char",
    "name/no-letter",
    "name/hyphen-edge",
    "name/double-hyphen",
    "name/srv-label",
];

/// Rules that came with RFC 6335 and RFC 7605: not applied to legacy records.
const POST_2011_RULES: &[&str] = &[
    "name/redundant-word",
    "name/version",
    "name/uppercase",
    "sc/missing",
];

/// Rules that make sense on a nameless (Reserved, Unassigned) record.
const NAMELESS_RULES: &[&str] = &["port/invalid", "transport/unknown", "transport/duplicate"];

/// Whether a rule is enabled at its level and applies to records.
fn enabled(options: &Options, id: &str) -> bool {
    builtin()
        .get(id)
        .is_some_and(|m| m.applies_to(Scope::Record) && options.levels.severity(m).is_some())
}

/// Findings about one record (rules shared with drafts, plus custom rules).
pub fn record_findings(
    registry: &Registry,
    r: &Record,
    options: &Options,
    strict: bool,
    out: &mut Vec<Finding>,
) {
    let draft = Draft::default();
    let entry = entry_of(registry, r);
    let legacy = !strict && is_legacy(r);
    let named = r.name.is_some();
    for check in all_checks() {
        let Run::Entry(f) = check.run else { continue };
        if !enabled(options, check.id)
            || (!named && !NAMELESS_RULES.contains(&check.id))
            || (legacy && (SYNTAX_RULES.contains(&check.id) || POST_2011_RULES.contains(&check.id)))
        {
            continue;
        }
        let mut sink = Sink::default();
        f(
            &EntryCx {
                file: crate::diagnostic::FileId(0),
                text: registry.source(),
                draft: &draft,
                entry: &entry,
                registry: None,
                exclude: &[],
            },
            &mut sink,
        );
        out.extend(sink.findings.into_iter().map(|f| stamp(f, r)));
    }
    if legacy && named && enabled(options, "registry/legacy-name") {
        legacy_name(r, out);
    }
    for rule in options.custom.iter().filter(|c| {
        c.scope.contains(&Scope::Record)
            && options
                .levels
                .resolve(&c.id, c.category(), c.severity)
                .is_some()
    }) {
        let mut sink = Sink::default();
        for (value, span) in record_values(registry, r, rule.field) {
            rule.check_value(&value, span, &mut sink);
        }
        out.extend(sink.findings.into_iter().map(|f| stamp(f, r)));
    }
}

fn stamp(mut f: Finding, r: &Record) -> Finding {
    f.entry = Some(r.index);
    f.name = r.name.clone();
    f.key = Some(identity(r));
    f
}

fn legacy_name(r: &Record, out: &mut Vec<Finding>) {
    let Some(name) = &r.name else { return };
    let Some(problem) = crate::rules::name::section_5_1_problem(name) else {
        return;
    };
    let when = r.date.as_deref().map_or_else(
        || "legacy: no registration date".to_string(),
        |d| format!("legacy: registered {d}, before RFC 6335"),
    );
    let mut f = Finding::new(
        "registry/legacy-name",
        Some(r.name_span().unwrap_or(r.span)),
        format!("name `{name}` breaks RFC 6335 §5.1: {problem} ({when})"),
    );
    f.label = Some("legacy name".into());
    out.push(stamp(f, r));
}

/// The values of a custom rule's field in a record.
pub fn record_values(registry: &Registry, r: &Record, field: Field) -> Vec<(String, Span)> {
    let person_emails = |ids: &[String]| -> Vec<(String, Span)> {
        ids.iter()
            .filter_map(|id| registry.person(id))
            .flat_map(|p| {
                p.uris.iter().filter_map(move |u| {
                    u.strip_prefix("mailto:")
                        .map(|e| (e.replace('&', "@"), p.span))
                })
            })
            .collect()
    };
    match field {
        Field::Name => r
            .name
            .iter()
            .map(|n| (n.clone(), r.name_span().unwrap_or(r.span)))
            .collect(),
        Field::Description => vec![(r.description.clone(), r.span)],
        Field::Notes => r.note.iter().map(|n| (n.clone(), r.span)).collect(),
        Field::Unauthorized => r.unauthorized.iter().map(|n| (n.clone(), r.span)).collect(),
        Field::Reference => r
            .references
            .iter()
            .map(|x| (x.data.clone(), x.span))
            .collect(),
        Field::Transport => r
            .protocol_span()
            .map(|s| (registry.span_text(s).trim().to_string(), s))
            .into_iter()
            .collect(),
        Field::TxtKeys => Vec::new(),
        Field::AssigneeEmail => person_emails(&r.assignee),
        Field::ContactEmail => person_emails(&r.contact),
        Field::Email => {
            let mut v = person_emails(&r.assignee);
            v.extend(person_emails(&r.contact));
            v.sort_by_key(|(_, s)| *s);
            v.dedup();
            v
        }
    }
}

/// Findings about the registry as a whole: duplicates, unknown people, dates, addresses.
pub fn registry_findings(registry: &Registry, options: &Options, out: &mut Vec<Finding>) {
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    if enabled(options, "registry/duplicate-record") {
        let mut first: HashMap<String, &Record> = HashMap::new();
        for r in registry.records.iter().filter(|r| r.name.is_some()) {
            let key = identity(r).to_ascii_lowercase();
            match first.get(&key) {
                Some(prev) => {
                    let mut f = Finding::new(
                        "registry/duplicate-record",
                        Some(r.name_span().unwrap_or(r.span)),
                        format!(
                            "`{}` is registered twice with the same protocol and number ({})",
                            r.name.as_deref().unwrap_or_default(),
                            crate::rules::conflict::record_place(r)
                        ),
                    );
                    f.label = Some("second record".into());
                    f.secondary
                        .push((prev.name_span().unwrap_or(prev.span), "first record".into()));
                    out.push(stamp(f, r));
                }
                None => {
                    first.insert(key, r);
                }
            }
        }
    }
    // A CSV registry has no people table to check against.
    if registry.format == Format::Xml && enabled(options, "registry/unknown-person") {
        for r in &registry.records {
            for (id, span) in &r.person_spans {
                if registry.person(id).is_none() {
                    let mut f = Finding::new(
                        "registry/unknown-person",
                        Some(*span),
                        format!("person `{id}` has no `<person>` entry in `<people>`"),
                    );
                    f.label = Some("unknown id".into());
                    out.push(stamp(f, r));
                }
            }
        }
    }
    if enabled(options, "registry/bad-date") {
        for r in &registry.records {
            for (what, value, span) in [
                ("date", &r.date, r.date_span()),
                ("updated", &r.updated, r.updated_span()),
            ] {
                if let (Some(v), Some(span)) = (value, span) {
                    if let Some(why) = date_problem(v, today) {
                        let mut f = Finding::new(
                            "registry/bad-date",
                            Some(span),
                            format!("`{what}=\"{v}\"`: {why}"),
                        );
                        f.label = Some(why);
                        out.push(stamp(f, r));
                    }
                }
            }
        }
    }
    if enabled(options, "field/email-invalid") {
        for p in &registry.people {
            // People last updated before RFC 6335 are legacy, like their records.
            let current = p.updated.as_deref().is_some_and(|d| {
                d.get(..7)
                    .is_some_and(|ym| ym >= crate::records::RFC6335_DATE)
            });
            if !current {
                continue;
            }
            for uri in &p.uris {
                let Some(addr) = uri.strip_prefix("mailto:") else {
                    continue;
                };
                if let Some(why) = crate::rules::field::email_problem(addr) {
                    let mut f = Finding::new(
                        "field/email-invalid",
                        Some(p.span),
                        format!(
                            "person `{}`: `{addr}` is not a usable email address: {why}",
                            p.id
                        ),
                    );
                    f.label = Some(why);
                    f.key = Some(format!("person {}", p.id));
                    out.push(f);
                }
            }
        }
    }
}

/// Why a registry date is wrong: not `YYYY-MM` / `YYYY-MM-DD`, or in the future.
pub fn date_problem(value: &str, today: chrono::NaiveDate) -> Option<String> {
    let v = value.trim();
    let date = match v.len() {
        7 => chrono::NaiveDate::parse_from_str(&format!("{v}-01"), "%Y-%m-%d").ok(),
        10 => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok(),
        _ => None,
    };
    let well_formed = v.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        _ => b.is_ascii_digit(),
    });
    match date {
        Some(d) if well_formed => (d > today).then(|| format!("{v} is in the future")),
        _ => Some("not a date of the form YYYY-MM or YYYY-MM-DD".into()),
    }
}

/// Lints a whole registry.
pub fn lint_registry(registry: Arc<Registry>, options: &Options) -> Report {
    let mut findings = Vec::new();
    for r in &registry.records {
        record_findings(&registry, r, options, false, &mut findings);
    }
    registry_findings(&registry, options, &mut findings);
    build_report(&registry, findings, options, Vec::new())
}

/// Turns findings about `registry` into a report whose file is the registry itself.
pub fn build_report(
    registry: &Arc<Registry>,
    findings: Vec<Finding>,
    options: &Options,
    checked: Vec<String>,
) -> Report {
    let mut files = Files::new();
    let file = files.add(registry.path.clone(), registry.shared_source());
    let mut builder = DiagnosticBuilder::new(&mut files, None, options);
    let diagnostics: Vec<Diagnostic> = findings
        .into_iter()
        .filter_map(|mut f| {
            f.file = Some(file);
            builder.build(f, None)
        })
        .collect();
    let counts = (1, registry.records.len());
    Report::assemble(
        files,
        diagnostics,
        counts,
        Some(Arc::clone(registry)),
        checked,
    )
}

#[cfg(test)]
mod tests {
    use super::date_problem;

    #[test]
    fn dates() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 8, 17).unwrap_or_default();
        assert_eq!(date_problem("2011-08", today), None);
        assert_eq!(date_problem("2026-08-17", today), None);
        assert!(date_problem("2026-08-18", today).is_some());
        for bad in [
            "2011-8",
            "2011-13",
            "2011-02-30",
            "20110801",
            "2011/08/01",
            "",
            "2011-08-1",
        ] {
            assert!(date_problem(bad, today).is_some(), "{bad}");
        }
    }
}
