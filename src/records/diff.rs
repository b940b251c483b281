//! `portreg registry diff BASE HEAD`: pairs records by identity, checks each added or changed
//! record as a request against BASE (without its own old version), and reports removals.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Files, Finding, RecordField, Sink};
use crate::engine::{DiagnosticBuilder, Options, Report};
use crate::model::draft::{Draft, EntryKind};
use crate::records::lint::record_findings;
use crate::records::{entry_of, identity};
use crate::registry::{Record, Registry};
use crate::rules::meta::Scope;
use crate::rules::set::RuleSet;
use crate::rules::{EntryCx, Rule};
use crate::source::Spanned;

/// How a HEAD record relates to BASE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    /// Changed; the index of its BASE version.
    Changed(usize),
}

/// Everything but position: two records with the same content are the same record.
fn content(r: &Record) -> impl PartialEq + '_ {
    (
        (&r.name, r.protocol, r.number, &r.description),
        (&r.assignee, &r.contact, &r.service_code, &r.note),
        (&r.unauthorized, &r.date, &r.updated),
        r.references
            .iter()
            .map(|x| (x.kind, &x.data, &x.text))
            .collect::<Vec<_>>(),
    )
}

/// Records pair up by name (case-insensitive), protocol and number.
fn pair_key(r: &Record) -> String {
    identity(r).to_ascii_lowercase()
}

/// The added and changed records of HEAD, and the BASE records HEAD no longer has.
pub fn compare(base: &Registry, head: &Registry) -> (Vec<(usize, Change)>, Vec<usize>) {
    let mut in_base: HashMap<String, Vec<usize>> = HashMap::new();
    for r in base.records.iter().rev() {
        in_base.entry(pair_key(r)).or_default().push(r.index);
    }
    let mut changes = Vec::new();
    for h in &head.records {
        match in_base.get_mut(&pair_key(h)).and_then(Vec::pop) {
            Some(b)
                if base
                    .records
                    .get(b)
                    .is_some_and(|b| content(b) == content(h)) => {}
            Some(b) => changes.push((h.index, Change::Changed(b))),
            None => changes.push((h.index, Change::Added)),
        }
    }
    let mut removed: Vec<usize> = in_base.into_values().flatten().collect();
    removed.sort_unstable();
    (changes, removed)
}

/// Conflict findings for a HEAD record checked as a request against BASE.
fn conflict_findings(
    base: &Registry,
    head: &Registry,
    h: &Record,
    old: Option<usize>,
    removed: &[usize],
    rules: &RuleSet<'_>,
) -> Vec<Finding> {
    let mut entry = entry_of(head, h);
    let name = h.name.as_deref().unwrap_or_default();
    // A name BASE already holds is checked as an extension of that registration.
    let extends = base.records_named(name).any(|r| Some(r.index) != old);
    if extends {
        entry.kind = Some(Spanned::new(EntryKind::Extend, h.span));
    }
    // BASE without the record's old version and without what HEAD removed (a rename frees
    // its old name's number).
    let mut exclude: Vec<usize> = removed.iter().copied().chain(old).collect();
    exclude.sort_unstable();
    let draft = Draft::default();
    let cx = EntryCx {
        text: head.source(),
        draft: &draft,
        entry: &entry,
        registry: Some(base),
        service_codes: None,
        exclude: &exclude,
    };
    let mut sink = Sink::default();
    for (_, f) in rules.against_base() {
        f(&cx, &mut sink);
    }
    sink.findings
        .into_iter()
        .map(|mut f| {
            f.entry = Some(h.index);
            f.name = h.name.clone();
            f.key = Some(identity(h));
            f
        })
        .collect()
}

/// Checks what HEAD adds or changes relative to BASE.
pub fn diff(base: Arc<Registry>, head: Arc<Registry>, options: &Options) -> Report {
    let (changes, removed) = compare(&base, &head);
    let rules = RuleSet::new(&options.levels, &options.custom, Scope::Record, true);
    let mut files = Files::new();
    let head_file = files.add(head.path.clone(), head.shared_source());
    let mut head_findings = Vec::new();
    let mut checked = Vec::new();
    for &(i, change) in &changes {
        let Some(h) = head.records.get(i) else {
            continue;
        };
        let what = match change {
            Change::Added => "added",
            Change::Changed(_) => "changed",
        };
        if h.name.is_none() {
            checked.push(format!(
                "{what} unnamed record {} (\"{}\"): not an assignment, not checked",
                crate::rules::view::record_place(h),
                h.description.lines().next().unwrap_or("").trim()
            ));
            continue;
        }
        let old = match change {
            Change::Changed(b) => Some(b),
            Change::Added => None,
        };
        // New records are held to today's rules; a changed record keeps its legacy status.
        record_findings(
            &head,
            h,
            &rules,
            change == Change::Added,
            &mut head_findings,
        );
        head_findings.extend(conflict_findings(&base, &head, h, old, &removed, &rules));
        let extends = base
            .records_named(h.name.as_deref().unwrap_or_default())
            .any(|r| Some(r.index) != old);
        let line = head.line_col(h.span.start).line;
        checked.push(format!(
            "{what} `{}` {} (line {line}){}",
            h.name.as_deref().unwrap_or_default(),
            crate::rules::view::record_place(h),
            if extends && change == Change::Added {
                ", checked as an extension of the registered name"
            } else {
                ""
            }
        ));
    }
    let mut base_findings = Vec::new();
    for &b in &removed {
        let Some(r) = base.records.get(b) else {
            continue;
        };
        let Some(name) = &r.name else { continue };
        let now = r.number.and_then(|n| {
            head.records.iter().find(|h| {
                h.number == Some(n)
                    && h.protocol == r.protocol
                    && h.name.is_some()
                    && h.name != r.name
            })
        });
        let tail = match now.and_then(|h| h.name.as_deref()) {
            Some(other) => format!("; the same number now holds `{other}`"),
            None => String::new(),
        };
        // HEAD has nothing to point at; the BASE record is a related label (BASE is often a
        // temporary file outside the checkout, where no annotation could attach).
        let mut f = Finding::new(
            Rule::RegistryRemoved,
            None,
            format!(
                "`{name}` {} is in BASE but not in HEAD{tail}",
                crate::rules::view::record_place(r)
            ),
        );
        f.related_record(r.index, RecordField::Name, "in BASE");
        f.entry = Some(r.index);
        f.name = Some(name.clone());
        f.key = Some(identity(r));
        base_findings.push(f);
        checked.push(format!(
            "removed `{name}` {}{tail}",
            crate::rules::view::record_place(r)
        ));
    }

    let mut builder = DiagnosticBuilder::new(&mut files, Some(&base), options);
    let diagnostics: Vec<Diagnostic> = head_findings
        .into_iter()
        .map(|mut f| {
            f.file = Some(head_file);
            f
        })
        .chain(base_findings)
        .filter_map(|f| builder.build(f, None))
        .collect();
    let counts = (2, checked.len());
    Report::assemble(files, diagnostics, counts, Some(base), checked)
}
