//! `portreg registry diff BASE HEAD`: pairs records by identity, checks each added or changed
//! record as a request against BASE (without its own old version), and reports removals.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Files, Finding, RecordField, Sink};
use crate::engine::{DiagnosticBuilder, Options, Report};
use crate::model::draft::{Draft, EntryKind, PersonRef};
use crate::model::Transport;
use crate::records::lint::{record_findings, stamp};
use crate::records::pairing::{pair, person_changed, Key};
use crate::records::{entry_of, identity};
use crate::registry::{Record, Registry};
use crate::rules::meta::Scope;
use crate::rules::party::Party;
use crate::rules::set::RuleSet;
use crate::rules::{EntryCx, RegistryCx, Rule, Run};
use crate::source::Spanned;

pub use super::pairing::Change;

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
    let pairing = pair(&base, &head);
    let (changes, removed) = (&pairing.changes, &pairing.removed);
    let rules = RuleSet::new(&options.levels, &options.custom, Scope::Record, true);
    let mut head_findings = Vec::new();
    // (HEAD line, line of the checked list, JSON change); removals sort after.
    let mut listed: Vec<(usize, String, ChangeRecord)> = Vec::new();
    let mut renamed: Vec<usize> = Vec::new();
    // (lower-case name, protocol) of the renumbered records: their old records are part of
    // the renumbering, not removals.
    let mut renumbered: Vec<(String, Option<Transport>)> = Vec::new();
    for &(i, change) in changes {
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
                let (kind, replaced) = classify_added(&base, &head, h, removed, &renamed);
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
                &base, &head, h, old, removed, &rules, as_kind,
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
        &base,
        &head,
        changes,
        &pairing.head_keys,
        options,
        &rules,
    ));
    let mut base_findings = Vec::new();
    let mut gone_list = Vec::new();
    for &b in removed {
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
        // The first HEAD record on the same protocol and number, found through the index
        // (a record without a protocol is indexed under every transport).
        let now = r.number.and_then(|n| {
            let t = r.protocol.unwrap_or(Transport::ALL[0]);
            head.records_at(t, n.lo).into_iter().find(|h| {
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

    // HEAD's text (a copy of the file, with its line index) enters the report only when a
    // finding points into it: most diffs have none, and it cost a tenth of one.
    let mut files = Files::new();
    let head_file =
        (!head_findings.is_empty()).then(|| files.add(head.path.clone(), head.shared_source()));
    let mut builder = DiagnosticBuilder::new(&mut files, Some(&base), options);
    let diagnostics: Vec<Diagnostic> = head_findings
        .into_iter()
        .map(|mut f| {
            f.file = head_file;
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

/// What a registry-wide check (`Run::Registry`) reads, so that the diff can run it on an
/// excerpt of HEAD instead of parsing all of it.
enum Reach {
    /// Each record on its own; `registry/duplicate-record` also reads the first record of the
    /// same identity, which the excerpt holds. (`registry/schema` is not run by the diff.)
    Records,
    /// Each person on its own.
    People,
    /// Anything else: run on the whole of HEAD.
    Whole,
}

fn reach(rule: Rule) -> Reach {
    match rule {
        Rule::RegistryUnknownPerson
        | Rule::RegistryBadDate
        | Rule::RegistryDuplicateRecord
        | Rule::RegistrySchema => Reach::Records,
        Rule::FieldEmailInvalid => Reach::People,
        _ => Reach::Whole,
    }
}

/// The parts of HEAD the registry-wide checks need to see: the touched records with, for
/// each named one, the first named record of its identity (what a duplicate is reported
/// against), all people (for the people lookups); and the people HEAD adds or changes.
struct Excerpts {
    records: Registry,
    /// HEAD's index of each record of `records`.
    record_index: Vec<usize>,
    people: Registry,
}

impl Excerpts {
    fn new(base: &Registry, head: &Registry, touched: &[usize], keys: &[Key<'_>]) -> Option<Self> {
        let wanted: HashSet<Key<'_>> = touched
            .iter()
            .filter_map(|&i| keys.get(i).copied())
            .collect();
        // The first record of each wanted identity (unnamed records do not count: the
        // check skips them), from the scanner's notes.
        let notes = head.records.scanned()?;
        let mut firsts: HashMap<Key<'_>, usize> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            if wanted.contains(k) && notes.get(i).is_some_and(|s| s.name.get().is_some()) {
                firsts.entry(*k).or_insert(i);
            }
        }
        let mut record_index: Vec<usize> = touched
            .iter()
            .copied()
            .chain(firsts.into_values())
            .collect();
        record_index.sort_unstable();
        record_index.dedup();
        let all_people: Vec<usize> = (0..head.people.len()).collect();
        let text = head.source();
        let changed_people: Vec<usize> = head
            .people
            .scanned()?
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                let id =
                    s.id.get()
                        .and_then(|sp| text.get(sp.start..sp.end))
                        .unwrap_or("");
                person_changed(base, head, id)
            })
            .map(|(i, _)| i)
            .collect();
        Some(Excerpts {
            records: head.excerpt(&record_index, &all_people)?,
            record_index,
            people: head.excerpt(&[], &changed_people)?,
        })
    }
}

/// The `registry lint` checks across records and people (`registry/bad-date`,
/// `registry/unknown-person`, `field/email-invalid` on people, …) on what HEAD adds or
/// changes: findings about an added or changed record, or about a person HEAD adds or
/// changes. They run on excerpts of HEAD holding what they need to see (see [`Reach`]),
/// with the findings' records mapped back to HEAD's, so that a diff parses only what
/// changed; a registry parsed in full is checked whole.
fn registry_rule_findings(
    base: &Registry,
    head: &Registry,
    changes: &[(usize, Change)],
    keys: &[Key<'_>],
    options: &Options,
    rules: &RuleSet<'_>,
) -> Vec<Finding> {
    let mut touched: Vec<usize> = changes.iter().map(|&(i, _)| i).collect();
    touched.sort_unstable();
    let excerpts = Excerpts::new(base, head, &touched, keys);
    let today = options
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut all = Vec::new();
    for check in rules.checks() {
        let Run::Registry(f) = check.run else {
            continue;
        };
        let (registry, index): (&Registry, Option<&[usize]>) = match (&excerpts, reach(check.rule))
        {
            (Some(e), Reach::Records) => (&e.records, Some(&e.record_index)),
            (Some(e), Reach::People) => (&e.people, Some(&[])),
            _ => (head, None),
        };
        // The structural check is a pass over the whole file: `registry lint` runs it, and
        // the record rules here already cover what a changed record can break.
        let cx = RegistryCx {
            registry,
            today,
            schema: Some(&[]),
        };
        let mut sink = Sink::default();
        f(&cx, &mut sink);
        all.extend(sink.findings.into_iter().map(|f| {
            let mut f = match f.entry.and_then(|i| registry.records.get(i)) {
                Some(r) => stamp(f, r),
                None => f,
            };
            if let Some(index) = index {
                f.entry = f.entry.and_then(|i| index.get(i).copied());
            }
            f
        }));
    }
    all.into_iter()
        .filter(|f| match (f.entry, f.key.as_deref()) {
            (Some(i), _) if f.key.as_deref().is_none_or(|k| !k.starts_with("person ")) => {
                touched.binary_search(&i).is_ok()
            }
            (_, Some(k)) => k
                .strip_prefix("person ")
                .is_some_and(|id| person_changed(base, head, id)),
            _ => false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture pair, with HEAD changed further so that every registry-wide rule has
    /// something to report on what HEAD touches (and on what it does not), and one record
    /// only re-indented (new text, same content: no change).
    fn pair_texts() -> (String, String) {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fork/");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).unwrap_or_default();
        let base = read("diff-base.xml");
        let dup = "  <record date=\"2015-03-01\">\n    <name>KILO-sync</name>\n    \
                   <protocol>tcp</protocol>\n    <description>Kilo file sync</description>\n    \
                   <number>5100</number>\n    <xref type=\"person\" data=\"Nobody\"/>\n  \
                   </record>\n  <people>";
        let head = read("diff-head.xml")
            .replacen(
                "<record date=\"2017-05-01\">",
                "<record date=\"2017-13-01\">",
                1,
            )
            .replacen(
                "<description>Oscar link</description>",
                "<description>Oscar link</description><xref type=\"person\" data=\"Ghost\"/>",
                1,
            )
            .replacen(
                "<name>kilo-sync</name>\n    <protocol>tcp",
                "<name>kilo-sync</name>\n\t<protocol>tcp",
                1,
            )
            .replacen("  <people>", dup, 1)
            .replacen(
                "<uri>mailto:jane&amp;example.com</uri>\n      <updated>2015-03-01</updated>",
                "<uri>mailto:jane&amp;example.com.</uri>\n      <updated>2026-08-01</updated>",
                1,
            )
            .replacen(
                "<org>Papa Corp</org>",
                "<org>Papa Corp</org><uri>mailto:no-at-sign</uri><updated>2026-08-01</updated>",
                1,
            );
        // `lima-feed` removed: its port now holds `papa-dup`, of another party.
        let lima = head.find("  <record date=\"2016-04-01\"").unwrap_or(0);
        let end = head[lima..]
            .find("</record>\n")
            .map_or(lima, |e| lima + e + 10);
        let head = format!("{}{}", &head[..lima], &head[end..]);
        (base, head)
    }

    /// Every registry-wide check has a reach: a new one is read on the whole of HEAD (right,
    /// but it parses every record) until someone says what it reads.
    #[test]
    fn every_registry_wide_check_has_a_reach() {
        for check in crate::rules::all_checks() {
            if matches!(check.run, Run::Registry(_)) {
                assert!(
                    !matches!(reach(check.rule), Reach::Whole),
                    "{:?}: add it to `reach` in src/records/diff.rs",
                    check.rule
                );
            }
        }
    }

    fn report(base: Registry, head: Registry) -> String {
        let options = Options {
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 2),
            ..Options::default()
        };
        crate::render::json::render(&diff(Arc::new(base), Arc::new(head), &options))
    }

    /// Pairing by text and running the registry-wide rules on excerpts of HEAD (registries
    /// read by the scanner) gives the report of pairing parsed records and checking all of
    /// HEAD (registries parsed in full), while parsing only what changed.
    #[test]
    fn scanned_and_parsed_registries_give_one_report() {
        let (base, head) = pair_texts();
        let load = |name: &str, text: &str| Registry::from_bytes(name, text.as_bytes().to_vec());
        let eager =
            |name: &str, text: &str| Registry::from_bytes_eager(name, text.as_bytes().to_vec());
        let (Ok(b), Ok(h)) = (load("base.xml", &base), load("head.xml", &head)) else {
            panic!("the fixtures load");
        };
        let (Ok(eb), Ok(eh)) = (eager("base.xml", &base), eager("head.xml", &head)) else {
            panic!("the fixtures load");
        };
        assert!(b.records.scanned().is_some() && h.records.scanned().is_some());
        assert!(eb.records.scanned().is_none() && eh.records.scanned().is_none());
        // Pairing parses only the paired records whose text differs: the changed ones and
        // the re-indented one.
        let p = pair(&b, &h);
        let changed = p
            .changes
            .iter()
            .filter(|(_, c)| matches!(c, Change::Changed(_)))
            .count();
        assert!(changed > 0);
        assert_eq!(h.records.parsed_count(), changed + 1);
        assert_eq!(b.records.parsed_count(), changed + 1);
        let fast = report(b, h);
        assert_eq!(fast, report(eb, eh));
        for rule in [
            "registry/duplicate-record",
            "registry/bad-date",
            "registry/unknown-person",
            "field/email-invalid",
            "registry/removed",
        ] {
            assert!(fast.contains(&format!("\"{rule}\"")), "{rule} in {fast}");
        }
        // The re-indented record is no change.
        assert!(!fast.contains("`kilo-sync` tcp/5100"), "{fast}");
        assert!(
            fast.contains("the same number now holds `papa-dup`"),
            "{fast}"
        );
    }
}
