//! `portreg registry diff BASE HEAD`: pairs records by identity, checks each added or changed
//! record as a request against BASE (without its own old version), and reports removals.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Files, Finding, RecordField, Sink};
use crate::engine::{DiagnosticBuilder, Options, Report};
use crate::model::draft::{Draft, EntryKind, PersonRef};
use crate::model::Transport;
use crate::records::lint::{record_findings, registry_findings, stamp};
use crate::records::{entry_of, identity};
use crate::registry::{Record, Registry};
use crate::rules::meta::Scope;
use crate::rules::party::Party;
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

/// What a change between BASE and HEAD is (lifecycle.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A named record whose name BASE does not hold.
    New,
    /// A named record whose name BASE holds, on a new (transport, number).
    Extend,
    /// A new name on a number BASE assigns to the same party, or whose note makes it an
    /// alias or duplicate of a holder.
    Alias,
    /// Same name, protocol and number; other fields changed.
    Modify,
    /// Same protocol, number and party; the old name gone.
    Rename,
    /// Same name and protocol; the number changed or dropped (the name kept without one).
    Renumber,
    /// A named (protocol, number) became Reserved or Unassigned.
    Deassign,
    /// A named record gone with no replacement.
    Removed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Extend => "extend",
            ChangeKind::Alias => "alias",
            ChangeKind::Modify => "modify",
            ChangeKind::Rename => "rename",
            ChangeKind::Renumber => "renumber",
            ChangeKind::Deassign => "deassign",
            ChangeKind::Removed => "removed",
        }
    }
}

/// One classified change, as the JSON report's `changes` lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChangeRecord {
    pub kind: ChangeKind,
    pub name: Option<String>,
    pub protocol: Option<&'static str>,
    pub number: Option<String>,
    /// The HEAD line of the record (for `removed`: its BASE line).
    pub line: usize,
}

/// Whether two records (of BASE and HEAD) are held by one party.
fn same_holders(a: &Record, ra: &Registry, b: &Record, rb: &Registry) -> bool {
    let pa = Party::holders(a, Some(ra));
    let pb = Party::holders(b, Some(rb));
    pa.iter().any(|p| p.same_as_any(&pb))
}

/// Whether protocols match, a record without one covering every transport.
fn same_protocol(a: &Record, b: &Record) -> bool {
    a.protocol.is_none() || b.protocol.is_none() || a.protocol == b.protocol
}

/// The kind of an added named HEAD record, and the BASE record a rename replaces.
fn classify_added(
    base: &Registry,
    head: &Registry,
    h: &Record,
    removed: &[usize],
    renamed: &[usize],
) -> (ChangeKind, Option<usize>) {
    let name = h.name.as_deref().unwrap_or_default();
    let in_base: Vec<&Record> = base.records_named(name).collect();
    let gone = |b: &&Record| removed.binary_search(&b.index).is_ok();
    if in_base.is_empty() {
        let Some(n) = h.number else {
            return (ChangeKind::New, None);
        };
        let rename = removed
            .iter()
            .filter_map(|&b| base.records.get(b))
            .find(|b| {
                b.name.is_some()
                    && !renamed.contains(&b.index)
                    && b.protocol == h.protocol
                    && b.number == Some(n)
                    && same_holders(b, base, h, head)
            });
        if let Some(b) = rename {
            return (ChangeKind::Rename, Some(b.index));
        }
        let ts: Vec<Transport> = h.protocol.map_or(Transport::ALL.to_vec(), |t| vec![t]);
        let alias = ts.iter().any(|&t| {
            base.records_at(t, n.lo).iter().any(|b| {
                b.name.is_some()
                    && removed.binary_search(&b.index).is_err()
                    && (same_holders(b, base, h, head)
                        || crate::registry::alias_of(h).is_some_and(|a| {
                            base.same_service(a, b.name.as_deref().unwrap_or_default())
                        }))
            })
        });
        return (
            if alias {
                ChangeKind::Alias
            } else {
                ChangeKind::New
            },
            None,
        );
    }
    let dropped: Vec<&&Record> = in_base
        .iter()
        .filter(|b| gone(b) && b.number.is_some() && same_protocol(b, h))
        .collect();
    if !dropped.is_empty() && (h.number.is_none() || dropped.iter().any(|b| b.number != h.number)) {
        return (ChangeKind::Renumber, None);
    }
    (ChangeKind::Extend, None)
}

/// Conflict findings for a HEAD record checked as a request of kind `as_kind` against BASE.
fn conflict_findings(
    base: &Registry,
    head: &Registry,
    h: &Record,
    old: Option<usize>,
    removed: &[usize],
    rules: &RuleSet<'_>,
    as_kind: EntryKind,
) -> Vec<Finding> {
    let mut entry = entry_of(head, h);
    entry.kind = Some(Spanned::new(as_kind, h.span));
    // The record's holders and note speak for the request (the same-party and alias rules).
    let person = |ids: &[String]| {
        ids.first()
            .map(|id| Spanned::new(PersonRef::Id(id.clone()), h.span))
    };
    entry.assignee = person(&h.assignee);
    entry.contact = person(&h.contact);
    entry.notes = h.note.clone().map(|n| Spanned::new(n, h.span));
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

fn change_record(kind: ChangeKind, r: &Record, line: usize) -> ChangeRecord {
    ChangeRecord {
        kind,
        name: r.name.clone(),
        protocol: r.protocol.map(Transport::as_str),
        number: r.number.map(|n| n.to_string()),
        line,
    }
}

/// Checks what HEAD adds or changes relative to BASE.
pub fn diff(base: Arc<Registry>, head: Arc<Registry>, options: &Options) -> Report {
    let (changes, removed) = compare(&base, &head);
    let rules = RuleSet::new(&options.levels, &options.custom, Scope::Record, true);
    let mut files = Files::new();
    let head_file = files.add(head.path.clone(), head.shared_source());
    let mut head_findings = Vec::new();
    // (HEAD line, line of the checked list, JSON change); removals sort after.
    let mut listed: Vec<(usize, String, ChangeRecord)> = Vec::new();
    let mut renamed: Vec<usize> = Vec::new();
    // (lower-case name, protocol) of the renumbered records: their old records are part of
    // the renumbering, not removals.
    let mut renumbered: Vec<(String, Option<Transport>)> = Vec::new();
    for &(i, change) in &changes {
        let Some(h) = head.records.get(i) else {
            continue;
        };
        // Unnamed records follow the named changes (Unassigned ranges split, the other
        // transport's Reserved record, the Reserved record of a de-assignment): bookkeeping.
        if h.name.is_none() {
            continue;
        }
        let (old, kind) = match change {
            Change::Changed(b) => (Some(b), ChangeKind::Modify),
            Change::Added => {
                let (kind, replaced) = classify_added(&base, &head, h, &removed, &renamed);
                renamed.extend(replaced);
                (None, kind)
            }
        };
        if kind == ChangeKind::Renumber {
            let name = h.name.as_deref().unwrap_or_default().to_ascii_lowercase();
            renumbered.push((name, h.protocol));
        }
        // New records are held to today's rules; a changed record keeps its legacy status.
        record_findings(
            &head,
            h,
            &rules,
            change == Change::Added,
            &mut head_findings,
        );
        let as_kind = match kind {
            ChangeKind::New | ChangeKind::Alias | ChangeKind::Rename => Some(EntryKind::New),
            ChangeKind::Extend => Some(EntryKind::Extend),
            ChangeKind::Renumber if h.number.is_some() => Some(EntryKind::Extend),
            // A modification asks for nothing new; a name kept without its number neither.
            _ => None,
        };
        if let Some(as_kind) = as_kind {
            head_findings.extend(conflict_findings(
                &base, &head, h, old, &removed, &rules, as_kind,
            ));
        }
        // The lifecycle rules of the change's kind (lifecycle.md §4).
        let base_of = |b: Option<usize>| b.and_then(|b| base.records.get(b));
        let lifecycle = match kind {
            ChangeKind::Rename => base_of(renamed.last().copied())
                .and_then(|b| b.name.as_deref())
                .map(|old_name| crate::rules::lifecycle::renamed_in_update(h, old_name)),
            ChangeKind::Modify => {
                base_of(old).and_then(|b| crate::rules::lifecycle::modified_in_update(b, h))
            }
            _ => None,
        };
        head_findings.extend(lifecycle.map(|f| stamp(f, h)));
        let line = head.line_col(h.span.start).line;
        let tail = match kind {
            ChangeKind::Extend => ", checked as an extension of the registered name",
            ChangeKind::Alias => ", a second name of the number's holder",
            ChangeKind::Renumber if h.number.is_none() => ", the name kept without a number",
            _ => "",
        };
        let was = renamed
            .last()
            .filter(|_| kind == ChangeKind::Rename)
            .and_then(|&b| base.records.get(b))
            .and_then(|b| b.name.as_deref())
            .map(|n| format!(", formerly `{n}`"))
            .unwrap_or_default();
        listed.push((
            line,
            format!(
                "{} `{}` {} (line {line}){tail}{was}",
                kind.as_str(),
                h.name.as_deref().unwrap_or_default(),
                crate::rules::view::record_place(h),
            ),
            change_record(kind, h, line),
        ));
    }
    head_findings.extend(registry_rule_findings(
        &base, &head, &changes, options, &rules,
    ));
    let mut base_findings = Vec::new();
    let mut gone_list = Vec::new();
    for &b in &removed {
        let Some(r) = base.records.get(b) else {
            continue;
        };
        let Some(name) = &r.name else { continue };
        if renamed.contains(&b) {
            continue; // listed as the rename
        }
        // A de-assignment: HEAD holds the number only with unnamed records.
        let ts: Vec<Transport> = r.protocol.map_or(Transport::ALL.to_vec(), |t| vec![t]);
        let now: Option<&Record> = r.number.and_then(|n| {
            let covering: Vec<&Record> =
                ts.iter().flat_map(|&t| head.records_at(t, n.lo)).collect();
            if covering.is_empty() || covering.iter().any(|h| h.name.is_some()) {
                None
            } else {
                covering.first().copied()
            }
        });
        if let Some(h) = now {
            head_findings.extend(
                crate::rules::lifecycle::deassigned_in_update(&head, r, h)
                    .into_iter()
                    .chain(crate::rules::lifecycle::deassign_note_in_update(r, h))
                    .map(|f| stamp(f, h)),
            );
            let line = head.line_col(h.span.start).line;
            let what = h
                .description
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            let note = crate::registry::deassignment(h)
                .map(|d| format!(", {}", d.describe()))
                .unwrap_or_else(|| ", without a de-assignment note".to_string());
            listed.push((
                line,
                format!(
                    "deassign `{name}` {} (line {line}: \"{what}\"{note})",
                    crate::rules::view::record_place(r)
                ),
                change_record(ChangeKind::Deassign, r, line),
            ));
            continue;
        }
        let lower = name.to_ascii_lowercase();
        if renumbered
            .iter()
            .any(|(n, p)| *n == lower && (p.is_none() || r.protocol.is_none() || *p == r.protocol))
        {
            continue; // listed as the renumbering
        }
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
        let line = base.line_col(r.span.start).line;
        gone_list.push((
            format!(
                "removed `{name}` {}{tail}",
                crate::rules::view::record_place(r)
            ),
            change_record(ChangeKind::Removed, r, line),
        ));
    }
    listed.sort_by_key(|(line, _, _)| *line);
    let (mut checked, mut change_records): (Vec<String>, Vec<ChangeRecord>) =
        listed.into_iter().map(|(_, s, c)| (s, c)).unzip();
    for (s, c) in gone_list {
        checked.push(s);
        change_records.push(c);
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
    let mut report = Report::assemble(files, diagnostics, counts, Some(base), checked);
    report.changes = change_records;
    report
}

/// The `registry lint` checks across records and people (`registry/bad-date`,
/// `registry/unknown-person`, `field/email-invalid` on people, …) on what HEAD adds or
/// changes: findings about an added or changed record, or about a person HEAD adds or
/// changes.
fn registry_rule_findings(
    base: &Registry,
    head: &Registry,
    changes: &[(usize, Change)],
    options: &Options,
    rules: &RuleSet<'_>,
) -> Vec<Finding> {
    let mut all = Vec::new();
    // The structural check is a pass over the whole file: `registry lint` runs it, and the
    // record rules here already cover what a changed record can break.
    registry_findings(head, options, rules, Some(&[]), &mut all);
    let mut touched: Vec<usize> = changes.iter().map(|&(i, _)| i).collect();
    touched.sort_unstable();
    let person_changed = |id: &str| {
        let Some(h) = head.person(id) else {
            return false;
        };
        base.person(id).is_none_or(|b| {
            (&b.name, &b.org, &b.uris, &b.updated) != (&h.name, &h.org, &h.uris, &h.updated)
        })
    };
    all.into_iter()
        .filter(|f| match (f.entry, f.key.as_deref()) {
            (Some(i), _) if f.key.as_deref().is_none_or(|k| !k.starts_with("person ")) => {
                touched.binary_search(&i).is_ok()
            }
            (_, Some(k)) => k.strip_prefix("person ").is_some_and(person_changed),
            _ => false,
        })
        .collect()
}
