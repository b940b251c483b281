//! `portreg registry lint`: every record of a registry file, legacy-aware.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::config::custom::Field;
use crate::diagnostic::{Diagnostic, Files, Finding, Sink};
use crate::engine::{DiagnosticBuilder, Options, Report};
use crate::model::draft::{Draft, Entry};
use crate::records::{identity, is_legacy, refill_entry};
use crate::registry::schema::{self, Split, Violation};
use crate::registry::{Format, Record, Registry};
use crate::rules::meta::Scope;
use crate::rules::registry;
use crate::rules::set::RuleSet;
use crate::rules::{EntryCx, EntryFn, LegacyFn, RegistryCx, RegistryFn, Rule, Run};

use crate::source::{SourceFile, Span};

/// Findings about one record (rules shared with drafts, plus custom rules).
pub fn record_findings(
    registry: &Registry,
    r: &Record,
    rules: &RuleSet<'_>,
    strict: bool,
    out: &mut Vec<Finding>,
) {
    RecordRules::new(rules).findings(registry, r, strict, &mut Entry::default(), out);
}

/// The record rules of a rule set, sorted once by the records they apply to: a record is
/// then checked by its own rules only (looking up each rule's metadata for each of 145,000
/// records cost more than most of the rules).
pub(crate) struct RecordRules<'r, 'a> {
    rules: &'r RuleSet<'a>,
    /// The draft the entry rules see (none: a record is not in a draft).
    draft: Draft,
    /// The entry checks for each kind of record, at [`RecordRules::kind`].
    entry: [Vec<EntryFn>; 4],
    legacy: Vec<LegacyFn>,
}

impl<'r, 'a> RecordRules<'r, 'a> {
    pub(crate) fn new(rules: &'r RuleSet<'a>) -> Self {
        let mut entry: [Vec<EntryFn>; 4] = Default::default();
        let mut legacy = Vec::new();
        for check in rules.checks() {
            match check.run {
                Run::Entry(f) => {
                    let info = check.rule.info();
                    for named in [false, true] {
                        for old in [false, true] {
                            if (named || info.nameless) && !(old && info.skipped_on_legacy()) {
                                if let Some(v) = entry.get_mut(Self::kind(named, old)) {
                                    v.push(f);
                                }
                            }
                        }
                    }
                }
                Run::Legacy(f) => legacy.push(f),
                _ => {}
            }
        }
        RecordRules {
            rules,
            draft: Draft::default(),
            entry,
            legacy,
        }
    }

    fn kind(named: bool, legacy: bool) -> usize {
        usize::from(named) * 2 + usize::from(legacy)
    }

    /// Findings about record `r`; `strict`: held to today's rules even if legacy. `entry`:
    /// a default entry, or the one the previous record was checked through (reused).
    pub(crate) fn findings(
        &self,
        registry: &Registry,
        r: &Record,
        strict: bool,
        entry: &mut Entry,
        out: &mut Vec<Finding>,
    ) {
        refill_entry(registry, r, entry);
        let entry = &*entry;
        let legacy = !strict && is_legacy(r);
        let named = r.name.is_some();
        let cx = EntryCx {
            text: registry.source(),
            draft: &self.draft,
            entry,
            registry: None,
            service_codes: None,
            exclude: &[],
        };
        // One sink for all: the rules only add to it, and the order is kept.
        let mut sink = Sink::default();
        for f in self
            .entry
            .get(Self::kind(named, legacy))
            .into_iter()
            .flatten()
        {
            f(&cx, &mut sink);
        }
        if legacy && named {
            for f in &self.legacy {
                f(r, &mut sink);
            }
        }
        for rule in self.rules.custom() {
            for (value, span) in record_values(registry, r, rule.field) {
                rule.check_value(&value, span, &mut sink);
            }
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

/// What the registry-wide checks see; `schema`: the schema check's result when it was
/// computed already.
fn registry_cx<'a>(
    registry: &'a Registry,
    options: &Options,
    schema: Option<&'a [Violation]>,
) -> RegistryCx<'a> {
    RegistryCx {
        registry,
        today: options
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        schema,
    }
}

/// One registry-wide check's findings, each stamped with its record.
fn registry_check(cx: &RegistryCx<'_>, f: RegistryFn) -> Vec<Finding> {
    let mut sink = Sink::default();
    f(cx, &mut sink);
    sink.findings
        .into_iter()
        .map(|f| stamp_its_record(cx.registry, f))
        .collect()
}

/// A registry-wide finding stamped with the record it is about, when it is about one.
fn stamp_its_record(registry: &Registry, f: Finding) -> Finding {
    match f.entry.and_then(|i| registry.records.get(i)) {
        Some(r) => stamp(f, r),
        None => f,
    }
}

/// Lints a whole registry.
///
/// On two threads, both busy until the end: the schema check is cut in two (see
/// `schema::Split`; this thread checks the head, the other the tail), then both take work in
/// turn: the registry-wide checks left (see `Work`), then chunks of records to parse and
/// run the record rules and the [`ByRecord`] checks on. The findings are put back in order
/// (records, then the registry-wide checks in rule order), so they are the same as on one
/// thread.
pub fn lint_registry(registry: Arc<Registry>, options: &Options) -> Report {
    let rules = RuleSet::new(&options.levels, &options.custom, Scope::Record, true);
    let schema_on = registry.format == Format::Xml
        && rules
            .checks()
            .iter()
            .any(|c| c.rule == Rule::RegistrySchema);
    let text = registry.source();
    let records = &registry.records;
    let split = schema_on
        .then(|| Split::plan(text, records.len(), |i| records.scanned_span(i)))
        .flatten();
    // The registry-wide checks but the schema's, which needs both halves, and those run
    // record by record: (place, check).
    let by_record = ByRecord::of(&rules);
    let checks: Vec<(usize, RegistryFn)> = rules
        .checks()
        .iter()
        .enumerate()
        .filter_map(|(k, c)| match c.run {
            Run::Registry(f) if c.rule != Rule::RegistrySchema && !by_record.has(k) => Some((k, f)),
            _ => None,
        })
        .collect();
    let cx = registry_cx(&registry, options, None);
    // Each record is parsed, checked and dropped, rather than kept for the registry-wide
    // checks: fewer pages to fault in and fresher caches. The cross-check with the Service
    // Codes registry reads every record again, so then they are kept.
    let keep = options.service_codes.is_some();
    let plan = RecordRules::new(&rules);
    let work = Work::new(records.len(), checks.len());
    let task = |t: Task| match t {
        Task::Records(range) => {
            let mut found = Found::default();
            let mut entry = Entry::default();
            for i in range {
                let r = if keep {
                    records.get(i).map(Cow::Borrowed)
                } else {
                    records.peek(i)
                };
                if let Some(r) = r {
                    plan.findings(&registry, &r, false, &mut entry, &mut found.findings);
                    by_record.check(&cx, &r, &mut found);
                }
            }
            found
        }
        Task::Check(j) => Found {
            findings: checks
                .get(j)
                .map_or_else(Vec::new, |&(_, f)| registry_check(&cx, f)),
            ..Found::default()
        },
    };
    let (schema, file, done) = std::thread::scope(|s| {
        let helper = crate::threads::spawn(s, || {
            let tail = split.as_ref().map(|sp| sp.tail(text));
            let whole = (schema_on && split.is_none()).then(|| schema::validate(text));
            // The report's copy of the text and its line index, built here rather than
            // after both threads are done.
            let file = SourceFile::new(registry.path.clone(), registry.shared_source());
            (tail, whole, file, work.run(task))
        });
        let head = split.as_ref().map(|sp| sp.head(text));
        let mine = work.run(task);
        let (tail, whole, file, theirs) = match helper.join() {
            Ok(x) => x,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let schema = match (head, tail) {
            (Some(h), Some(t)) => Some(Split::join(text, h, t)),
            _ => whole,
        };
        let mut done: Vec<_> = mine.into_iter().chain(theirs).collect();
        done.sort_unstable_by_key(|(unit, _)| *unit);
        (schema, file, done)
    });
    // Record findings first, then the registry-wide ones in rule order, the schema's at its
    // place.
    let mut findings = Vec::new();
    let mut wide = Vec::new();
    let mut merged = Found::default();
    for (unit, found) in done {
        match work.task(unit) {
            Some(Task::Check(j)) => wide.push((checks.get(j).map_or(0, |c| c.0), found.findings)),
            _ => {
                findings.extend(found.findings);
                merged.unknown_person.extend(found.unknown_person);
                merged.bad_date.extend(found.bad_date);
                merged.hashes.extend(found.hashes);
            }
        }
    }
    wide.extend(by_record.finish(&registry, merged));
    let cx = registry_cx(&registry, options, schema.as_deref());
    for (k, c) in rules.checks().iter().enumerate() {
        if let (Run::Registry(f), Rule::RegistrySchema) = (c.run, c.rule) {
            wide.push((k, registry_check(&cx, f)));
        }
    }
    wide.sort_by_key(|(k, _)| *k);
    findings.extend(wide.into_iter().flat_map(|(_, f)| f));
    let Some(codes) = options.service_codes.as_ref() else {
        return report_with(&registry, file, findings, options, Vec::new());
    };
    let cross = super::codes::cross_check(&registry, codes);
    findings.extend(cross.registry);
    let mut report = report_with(&registry, file, findings, options, Vec::new());
    report.add_findings(&codes.path, codes.source(), cross.codes, options);
    report
}

/// What a unit of work found: its findings (a chunk's record findings, or a registry-wide
/// check's), and for a chunk what the [`ByRecord`] checks found in its records.
#[derive(Default)]
struct Found {
    findings: Vec<Finding>,
    unknown_person: Vec<Finding>,
    bad_date: Vec<Finding>,
    /// (record, [`registry::duplicate_hash`]) of the named records.
    hashes: Vec<(usize, u64)>,
}

/// The registry-wide checks that `registry lint` runs on each record as it reads it (each
/// record is read once and not kept), by their places in the rule set's checks (None: off).
/// Their findings are the same, in the same order, as those of the checks over all records.
struct ByRecord {
    unknown_person: Option<usize>,
    bad_date: Option<usize>,
    duplicate: Option<usize>,
}

impl ByRecord {
    fn of(rules: &RuleSet<'_>) -> ByRecord {
        let place = |rule: Rule| rules.checks().iter().position(|c| c.rule == rule);
        ByRecord {
            unknown_person: place(Rule::RegistryUnknownPerson),
            bad_date: place(Rule::RegistryBadDate),
            duplicate: place(Rule::RegistryDuplicateRecord),
        }
    }

    /// Whether the check at place `k` is one of these.
    fn has(&self, k: usize) -> bool {
        [self.unknown_person, self.bad_date, self.duplicate].contains(&Some(k))
    }

    fn check(&self, cx: &RegistryCx<'_>, r: &Record, found: &mut Found) {
        let stamped = |sink: Sink| sink.findings.into_iter().map(|f| stamp(f, r));
        if self.unknown_person.is_some() && !r.person_spans.is_empty() {
            let mut sink = Sink::default();
            registry::unknown_persons_of(cx.registry, r, &mut sink);
            found.unknown_person.extend(stamped(sink));
        }
        if self.bad_date.is_some() {
            let mut sink = Sink::default();
            registry::bad_dates_of(r, cx.today, &mut sink);
            found.bad_date.extend(stamped(sink));
        }
        if self.duplicate.is_some() {
            found
                .hashes
                .extend(registry::duplicate_hash(r).map(|h| (r.index, h)));
        }
    }

    /// The findings of each check, at its place, from what the chunks found (in order).
    fn finish(&self, registry: &Registry, found: Found) -> Vec<(usize, Vec<Finding>)> {
        let mut out = Vec::new();
        if let Some(k) = self.unknown_person {
            out.push((k, found.unknown_person));
        }
        if let Some(k) = self.bad_date {
            out.push((k, found.bad_date));
        }
        if let Some(k) = self.duplicate {
            let mut sink = Sink::default();
            registry::duplicates_by_hash(registry, found.hashes.into_iter(), &mut sink);
            let stamped = sink.findings.into_iter();
            out.push((k, stamped.map(|f| stamp_its_record(registry, f)).collect()));
        }
        out
    }
}

/// A unit of work: a chunk of records, or one registry-wide check.
enum Task {
    Records(std::ops::Range<usize>),
    Check(usize),
}

/// Units handed out in turn to whichever thread asks next: the registry-wide checks left
/// (those that read people, not records), then the chunks of records. A check is one long
/// unit: started first, the short chunks even out the end (started last, one thread ran it
/// alone while the other waited: 22 M instructions on the real file).
struct Work {
    next: AtomicUsize,
    records: usize,
    checks: usize,
}

impl Work {
    /// Small enough that neither thread waits long for the other at the end.
    const CHUNK: usize = 64;

    fn new(records: usize, checks: usize) -> Work {
        Work {
            next: AtomicUsize::new(0),
            records,
            checks,
        }
    }

    fn task(&self, unit: usize) -> Option<Task> {
        if unit < self.checks {
            return Some(Task::Check(unit));
        }
        let lo = (unit - self.checks).checked_mul(Self::CHUNK)?;
        (lo < self.records).then(|| Task::Records(lo..(lo + Self::CHUNK).min(self.records)))
    }

    /// Runs tasks until none is left: (unit, what it found) for each.
    fn run<T>(&self, f: impl Fn(Task) -> T) -> Vec<(usize, T)> {
        let mut done = Vec::new();
        loop {
            let unit = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(t) = self.task(unit) else {
                return done;
            };
            done.push((unit, f(t)));
        }
    }
}

/// Turns findings about `registry` into a report whose file is the registry itself
/// (`source`: its text and line index).
fn report_with(
    registry: &Arc<Registry>,
    source: SourceFile,
    findings: Vec<Finding>,
    options: &Options,
    checked: Vec<String>,
) -> Report {
    let mut files = Files::new();
    let file = files.add_file(source);
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
