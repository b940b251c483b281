//! `portreg registry lint`: every record of a registry file, legacy-aware.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::config::custom::Field;
use crate::diagnostic::{Diagnostic, Files, Finding, Sink};
use crate::engine::{DiagnosticBuilder, Options, Report};
use crate::model::draft::Draft;
use crate::records::{entry_of, identity, is_legacy};
use crate::registry::schema::Violation;
use crate::registry::{Format, Record, Registry};
use crate::rules::meta::Scope;
use crate::rules::set::RuleSet;
use crate::rules::{EntryCx, RegistryCx, Rule, Run};

use crate::source::Span;

/// Findings about one record (rules shared with drafts, plus custom rules).
pub fn record_findings(
    registry: &Registry,
    r: &Record,
    rules: &RuleSet<'_>,
    strict: bool,
    out: &mut Vec<Finding>,
) {
    let draft = Draft::default();
    let entry = entry_of(registry, r);
    let legacy = !strict && is_legacy(r);
    let named = r.name.is_some();
    for check in rules.checks() {
        let Run::Entry(f) = check.run else { continue };
        let info = check.rule.info();
        if (!named && !info.nameless) || (legacy && info.skipped_on_legacy()) {
            continue;
        }
        let mut sink = Sink::default();
        f(
            &EntryCx {
                text: registry.source(),
                draft: &draft,
                entry: &entry,
                registry: None,
                service_codes: None,
                exclude: &[],
            },
            &mut sink,
        );
        out.extend(sink.findings.into_iter().map(|f| stamp(f, r)));
    }
    if legacy && named {
        for check in rules.checks() {
            let Run::Legacy(f) = check.run else { continue };
            let mut sink = Sink::default();
            f(r, &mut sink);
            out.extend(sink.findings.into_iter().map(|f| stamp(f, r)));
        }
    }
    for rule in rules.custom() {
        let mut sink = Sink::default();
        for (value, span) in record_values(registry, r, rule.field) {
            rule.check_value(&value, span, &mut sink);
        }
        out.extend(sink.findings.into_iter().map(|f| stamp(f, r)));
    }
}

pub(crate) fn stamp(mut f: Finding, r: &Record) -> Finding {
    f.entry = Some(r.index);
    f.name = r.name.clone();
    f.key = Some(identity(r));
    f
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

/// Findings about the registry as a whole (the `Run::Registry` checks); `schema`: the schema
/// check's result when it was computed already.
pub(crate) fn registry_findings(
    registry: &Registry,
    options: &Options,
    rules: &RuleSet<'_>,
    schema: Option<&[Violation]>,
    out: &mut Vec<Finding>,
) {
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let cx = RegistryCx {
        registry,
        today,
        schema,
    };
    for check in rules.checks() {
        let Run::Registry(f) = check.run else {
            continue;
        };
        let mut sink = Sink::default();
        f(&cx, &mut sink);
        out.extend(sink.findings.into_iter().map(|f| {
            match f.entry.and_then(|i| registry.records.get(i)) {
                Some(r) => stamp(f, r),
                None => f,
            }
        }));
    }
}

/// Lints a whole registry.
///
/// On two threads: this one parses the records in order and runs the record rules; the other
/// checks the schema (a pass over the text that needs no parsed record), parses the people,
/// then parses records from the end until it meets this thread. Each record is parsed once
/// (its cell is shared), and the findings are the same as on one thread, in the same order.
pub fn lint_registry(registry: Arc<Registry>, options: &Options) -> Report {
    let rules = RuleSet::new(&options.levels, &options.custom, Scope::Record, true);
    let schema_on = registry.format == Format::Xml
        && rules
            .checks()
            .iter()
            .any(|c| c.rule == Rule::RegistrySchema);
    let mut findings = Vec::new();
    let done = AtomicUsize::new(0);
    let schema = std::thread::scope(|s| {
        let helper = s.spawn(|| {
            let v = schema_on.then(|| crate::registry::schema::validate(registry.source()));
            for p in registry.people.iter() {
                std::hint::black_box(p);
            }
            for i in (0..registry.records.len()).rev() {
                if i < done.load(Ordering::Relaxed) {
                    break;
                }
                std::hint::black_box(registry.records.get(i));
            }
            v
        });
        for (i, r) in registry.records.iter().enumerate() {
            done.store(i + 1, Ordering::Relaxed);
            record_findings(&registry, r, &rules, false, &mut findings);
        }
        helper.join().ok().flatten()
    });
    registry_findings(&registry, options, &rules, schema.as_deref(), &mut findings);
    let Some(codes) = options.service_codes.as_ref() else {
        return build_report(&registry, findings, options, Vec::new());
    };
    let cross = super::codes::cross_check(&registry, codes);
    findings.extend(cross.registry);
    let mut report = build_report(&registry, findings, options, Vec::new());
    report.add_findings(&codes.path, codes.source(), cross.codes, options);
    report
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
