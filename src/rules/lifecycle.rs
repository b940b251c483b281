//! `lifecycle/`: requests about registered records (RFC 6335 §8.2-§8.6; lifecycle.md §2-§3):
//! `modify`, `deassign`, `reuse` and `transfer` entries. Which records an entry is about, who
//! holds them, and whether the requester may ask.

use crate::diagnostic::{RecordField, Severity, Sink};
use crate::model::draft::{is_blank, Entry, EntryKind, Text};
use crate::model::reference::{classify, RefKind};
use crate::model::Transport;

use crate::registry::{PortStatus, Record, Registry};
use crate::rules::conflict::record_people;
use crate::rules::party::Party;
use crate::rules::view::{record_place, View};
use crate::rules::{Check, EntryCx, Rule, Run};
use crate::source::Spanned;

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::LifecycleDeassignNote,
        run: Run::Stage(crate::rules::Stage::RegistryDiff),
    },
    Check {
        rule: Rule::LifecycleRecordMissing,
        run: Run::Entry(record_missing),
    },
    Check {
        rule: Rule::LifecycleNotAssignee,
        run: Run::Entry(not_assignee),
    },
    Check {
        rule: Rule::LifecycleIetfNeedsRfc,
        run: Run::Entry(ietf_needs_rfc),
    },
    Check {
        rule: Rule::LifecycleTransfer,
        run: Run::Entry(transfer),
    },
    Check {
        rule: Rule::LifecycleAssigneeChange,
        run: Run::Entry(assignee_change),
    },
    Check {
        rule: Rule::LifecycleRename,
        run: Run::Entry(rename),
    },
    Check {
        rule: Rule::LifecycleNameDeassign,
        run: Run::Entry(name_deassign),
    },
    Check {
        rule: Rule::LifecycleInUseUnknown,
        run: Run::Entry(in_use_unknown),
    },
    Check {
        rule: Rule::LifecycleAlreadyReserved,
        run: Run::Entry(already_reserved),
    },
    Check {
        rule: Rule::LifecycleReuseOldName,
        run: Run::Entry(reuse_old_name),
    },
    Check {
        rule: Rule::LifecycleRequesterMissing,
        run: Run::Entry(requester_missing),
    },
];

/// The whole registry: a `reuse` is checked by the other rules without the records it takes
/// over (`EntryCx::exclude`), but it is about those records.
fn view<'a>(cx: &EntryCx<'a>) -> Option<View<'a>> {
    cx.registry.map(|registry| View {
        registry,
        exclude: &[],
    })
}

/// At most this many records are named in one finding.
const MAX_RELATED: usize = 3;

/// Whether `rule` runs on `entry`: a change of registered records (`modify`, `deassign`,
/// `transfer`) is not a new request, so the §8.1.1 template rules (`name/`, `field/`,
/// `port/`, `conflict/`, `policy/` …) do not apply to it; the reader's, the suppressions' and
/// the lifecycle rules do.
pub fn runs_on(rule: Rule, entry: &Entry) -> bool {
    !entry.kind().is_change() || matches!(rule.category(), "draft" | "lint" | "lifecycle")
}

/// A `modify` that renames (`changes.name`) as the entry its new name is checked on: the
/// `name/` rules and the name conflicts (`conflict/name-taken`, `conflict/name-similar`), with
/// the records being renamed excluded (`rename_exclude`).
pub fn renamed(entry: &Entry) -> Option<Entry> {
    let new = entry.changes.as_ref()?.name.clone()?;
    if entry.kind() != EntryKind::Modify
        || entry.name.as_ref().is_some_and(|n| n.value == new.value)
    {
        return None;
    }
    Some(Entry {
        index: entry.index,
        span: entry.span,
        name: Some(new),
        transports: entry.transports.clone(),
        ..Entry::default()
    })
}

/// Whether `rule` checks the new name of a rename (see [`renamed`]).
pub fn checks_new_name(rule: Rule) -> bool {
    rule.category() == "name" || matches!(rule, Rule::ConflictNameTaken | Rule::ConflictNameSimilar)
}

/// The records a rename renames, sorted: its new name is not "similar" to them.
pub fn rename_exclude(entry: &Entry, registry: Option<&Registry>) -> Vec<usize> {
    target_indices(entry, registry)
}

/// The records a `reuse` takes over (its `previous` at its transports and port): the new
/// request is checked against the registry without them (RFC 6335 §8.3), sorted.
pub fn reuse_exclude(entry: &Entry, registry: Option<&Registry>) -> Vec<usize> {
    if entry.kind() != EntryKind::Reuse {
        return Vec::new();
    }
    target_indices(entry, registry)
}

/// The indices of the records `entry` is about, sorted.
fn target_indices(entry: &Entry, registry: Option<&Registry>) -> Vec<usize> {
    let Some(registry) = registry else {
        return Vec::new();
    };
    let view = View {
        registry,
        exclude: &[],
    };
    let mut out: Vec<usize> = targets(entry, view)
        .records
        .iter()
        .map(|r| r.index)
        .collect();
    out.sort_unstable();
    out
}

/// The records a lifecycle entry is about.
pub(crate) struct Targets<'a> {
    /// The records named like the entry (`previous` for a `reuse`) on its transports and at
    /// its port; a record without a protocol covers every transport.
    pub(crate) records: Vec<&'a Record>,
    /// The transports on which `port` was omitted and the name has several numbers.
    pub(crate) ambiguous: Vec<(Transport, Vec<&'a Record>)>,
}

/// The name that identifies the registered records: `previous` for a `reuse`, else `name`.
pub(crate) fn target_name(entry: &Entry) -> Option<&Text> {
    let t = match entry.kind() {
        EntryKind::Reuse => entry.previous.as_ref(),
        _ => entry.name.as_ref(),
    };
    t.filter(|t| !t.value.trim().is_empty())
}

pub(crate) fn targets<'a>(entry: &Entry, view: View<'a>) -> Targets<'a> {
    let Some(name) = target_name(entry) else {
        return Targets {
            records: Vec::new(),
            ambiguous: Vec::new(),
        };
    };
    let ts = entry.known_transports();
    let range = entry.port.as_ref().and_then(|p| p.value.range());
    let records: Vec<&Record> = view
        .records_named(name.value.trim())
        .filter(|r| ts.is_empty() || r.protocol.is_none_or(|p| ts.contains(&p)))
        .filter(|r| match (range, r.number) {
            (Some((lo, hi)), Some(n)) => n.lo <= hi && lo <= n.hi,
            (Some(_), None) => false,
            (None, _) => true,
        })
        .collect();
    let mut ambiguous = Vec::new();
    if range.is_none() && entry.port.is_none() {
        let all = if ts.is_empty() {
            Transport::ALL.to_vec()
        } else {
            ts
        };
        for t in all {
            let on: Vec<&Record> = records
                .iter()
                .copied()
                .filter(|r| r.number.is_some() && r.protocol.is_none_or(|p| p == t))
                .collect();
            let mut numbers: Vec<_> = on.iter().filter_map(|r| r.number).collect();
            numbers.sort_by_key(|n| (n.lo, n.hi));
            numbers.dedup();
            if numbers.len() > 1 {
                ambiguous.push((t, on));
            }
        }
    }
    Targets { records, ambiguous }
}

/// The ids of the records' holders: each record's assignee, else its contact (before 2011
/// most records have no assignee, and the contact is the only identity); and, since the
/// contact may act for the assignee (RFC 6335 §8.1.1), the contacts too.
fn holder_ids(records: &[&Record]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for r in records {
        for id in r.assignee.iter().chain(&r.contact) {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
    }
    ids
}

fn is_iesg(r: &Record) -> bool {
    r.assignee.iter().any(|a| a.eq_ignore_ascii_case("IESG"))
}

fn kind_span(entry: &Entry) -> crate::source::Span {
    entry.kind.as_ref().map_or(entry.span, |k| k.span)
}

fn places(records: &[&Record]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for r in records {
        let p = record_place(r);
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen.join(", ")
}

fn add_related(f: &mut crate::diagnostic::Finding, records: &[&Record], what: &str) {
    for r in records.iter().take(MAX_RELATED) {
        f.related_record(
            r.index,
            RecordField::Name,
            format!("{what} {}", record_place(r)),
        );
    }
}

/// Whether every requested number on `t` is Reserved or Unassigned (the status model of
/// lifecycle.md §1); the records saying so, and a de-assignment's description.
fn free_at<'a>(
    view: View<'a>,
    t: Transport,
    lo: u16,
    hi: u16,
) -> Option<(Vec<&'a Record>, Vec<String>)> {
    let mut found: Vec<&Record> = Vec::new();
    let mut said: Vec<String> = Vec::new();
    for n in lo..=hi {
        let status = view.registry.port_status(t, n);
        let record = match &status {
            PortStatus::ReservedDeassigned(d) => {
                if said.len() < MAX_RELATED {
                    said.push(format!("{t}/{n} {}", d.describe()));
                }
                Some(d.record)
            }
            PortStatus::ReservedOtherTransport { record, .. }
            | PortStatus::ReservedOther(record)
            | PortStatus::Unassigned(record) => Some(*record),
            PortStatus::ReservedEdge => None,
            PortStatus::Assigned(_) | PortStatus::Dynamic | PortStatus::Gap => return None,
        };
        if let Some(r) = record.and_then(|i| view.registry.records.get(i)) {
            if !found.iter().any(|f| f.index == r.index) {
                found.push(r);
            }
        }
        if !matches!(status, PortStatus::ReservedDeassigned(_)) && said.len() < MAX_RELATED {
            said.push(format!("{t}/{n} {}", status.label()));
        }
    }
    Some((found, said))
}

/// The Reserved/Unassigned records a `deassign`/`modify` points at, when its port is free on
/// every transport it names (and the name holds nothing there), with what they say.
fn already_free<'a>(entry: &Entry, view: View<'a>) -> Option<(Vec<&'a Record>, Vec<String>)> {
    if !matches!(entry.kind(), EntryKind::Deassign | EntryKind::Modify) {
        return None;
    }
    let (lo, hi) = entry.port.as_ref()?.value.range()?;
    let ts = entry.known_transports();
    if ts.is_empty() || !targets(entry, view).records.is_empty() {
        return None;
    }
    let mut records = Vec::new();
    let mut said = Vec::new();
    for t in ts {
        let (r, s) = free_at(view, t, lo, hi)?;
        records.extend(r);
        said.extend(s);
    }
    Some((records, said))
}

fn record_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let kind = cx.entry.kind();
    let Some(registry) = view(cx).filter(|_| kind.is_lifecycle()) else {
        return;
    };
    let Some(name) = target_name(cx.entry) else {
        let (key, what) = match kind {
            EntryKind::Reuse => ("previous", "the service name that holds the number now"),
            _ => ("name", "the registered service name it is about"),
        };
        out.report(
            Rule::LifecycleRecordMissing,
            Some(kind_span(cx.entry)),
            format!("a `{}` entry names {what} in `{key}`", kind.as_str()),
        )
        .label(format!("no `{key}`"))
        .help(format!("add `{key} = \"<service name>\"`"));
        return;
    };
    let t = targets(cx.entry, registry);
    if !t.ambiguous.is_empty() && kind != EntryKind::Modify {
        let all: Vec<&Record> = t.ambiguous.iter().flat_map(|(_, r)| r.clone()).collect();
        let ts: Vec<&str> = t.ambiguous.iter().map(|(t, _)| t.as_str()).collect();
        let f = out.report(
            Rule::LifecycleRecordMissing,
            Some(name.span),
            format!(
                "`{}` has several numbers on {} ({}); a `{}` without `port` does not say which records it is about",
                name.value,
                ts.join(" and "),
                places(&all),
                kind.as_str()
            ),
        );
        f.label("which number?")
            .help("add `port = <number>` (or `\"N-M\"` for a range record); one entry per number");
        add_related(f, &all, "registered as");
        return;
    }
    if !t.records.is_empty() || already_free(cx.entry, registry).is_some() {
        return;
    }
    let elsewhere: Vec<&Record> = registry.records_named(name.value.trim()).collect();
    let asked = describe_ask(cx.entry);
    let (span, message) = if elsewhere.is_empty() {
        (
            name.span,
            format!("no registered record is named `{}`", name.value),
        )
    } else {
        (
            cx.entry
                .port
                .as_ref()
                .map(|p| p.span)
                .or(cx.entry.transports.as_ref().map(|t| t.span))
                .unwrap_or(name.span),
            format!(
                "`{}` is registered as {}, not {asked}",
                name.value,
                places(&elsewhere)
            ),
        )
    };
    let f = out.report(Rule::LifecycleRecordMissing, Some(span), message);
    f.label("no such record");
    if elsewhere.is_empty() {
        f.help(
            "a lifecycle request is about registered records: check the spelling of the name, or file a new request (`kind = \"new\"`)",
        );
    } else {
        f.help("set `transport` and `port` to the registered records this request is about");
        add_related(f, &elsewhere, "registered as");
    }
}

/// `tcp/6379`, `tcp and udp`, `any transport` — what the entry names.
fn describe_ask(entry: &Entry) -> String {
    let ts: Vec<&str> = entry
        .known_transports()
        .iter()
        .map(|t| t.as_str())
        .collect();
    let number = match entry.port.as_ref().and_then(|p| p.value.range()) {
        Some((lo, hi)) if lo == hi => Some(lo.to_string()),
        Some((lo, hi)) => Some(format!("{lo}-{hi}")),
        None => None,
    };
    match (ts.is_empty(), number) {
        (true, Some(n)) => format!("any transport at {n}"),
        (true, None) => "any transport".to_string(),
        (false, Some(n)) => ts
            .iter()
            .map(|t| format!("{t}/{n}"))
            .collect::<Vec<_>>()
            .join(" and "),
        (false, None) => ts.join(" and "),
    }
}

fn not_assignee(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(registry) = view(cx).filter(|_| cx.entry.kind().is_lifecycle()) else {
        return;
    };
    let Some(requester) = &cx.entry.requester else {
        return;
    };
    let records = targets(cx.entry, registry).records;
    // IESG-held records change through an RFC (`lifecycle/ietf-needs-rfc`), whoever files.
    if records.is_empty() || records.iter().any(|r| is_iesg(r)) {
        return;
    }
    let ids = holder_ids(&records);
    if ids.is_empty() {
        return;
    }
    let asker = Party::of_ref(&requester.value, cx.draft, Some(registry.registry));
    if ids
        .iter()
        .any(|id| Party::of_registry_id(id, Some(registry.registry)).same_as(&asker))
    {
        return;
    }
    let who = records
        .iter()
        .map(|r| record_people(r))
        .find(|p| !p.is_empty())
        .unwrap_or_default();
    let name = target_name(cx.entry).map_or("", |n| n.value.as_str());
    let f = out.report(
        Rule::LifecycleNotAssignee,
        Some(requester.span),
        format!(
            "the requester is neither the assignee nor the contact of `{name}` ({}; {who})",
            places(&records)
        ),
    );
    f.label("not the holder");
    add_related(f, &records, "held as");
}

/// Whether the request cites an RFC or an IETF-stream Internet-Draft (approved, awaiting its
/// number, or in IESG processing).
fn cites_rfc(entry: &Entry) -> bool {
    let mut refs = entry.references.iter().flat_map(|r| r.value.iter());
    let changed = entry
        .changes
        .iter()
        .flat_map(|c| c.references.iter())
        .flat_map(|r| r.value.iter());
    refs.any(is_ietf_ref) || changed.clone().any(is_ietf_ref)
}

fn is_ietf_ref(t: &Spanned<String>) -> bool {
    matches!(
        classify(&t.value),
        Ok(RefKind::Rfc(_)) | Ok(RefKind::Draft { ietf: true, .. })
    )
}

fn ietf_needs_rfc(cx: &EntryCx<'_>, out: &mut Sink) {
    // A transfer is refused whoever holds the records (`lifecycle/transfer`).
    let kind = cx.entry.kind();
    let Some(registry) = view(cx).filter(|_| kind.is_lifecycle() && kind != EntryKind::Transfer)
    else {
        return;
    };
    let records: Vec<&Record> = targets(cx.entry, registry)
        .records
        .into_iter()
        .filter(|r| is_iesg(r))
        .collect();
    if records.is_empty() || cites_rfc(cx.entry) {
        return;
    }
    let name = target_name(cx.entry).map_or("", |n| n.value.as_str());
    let f = out.report(
        Rule::LifecycleIetfNeedsRfc,
        Some(kind_span(cx.entry)),
        format!(
            "`{name}` ({}) is assigned to the IESG; a `{}` of it needs an RFC or an approved Internet-Draft",
            places(&records),
            cx.entry.kind().as_str()
        ),
    );
    f.label("no RFC cited");
    add_related(f, &records, "assigned to the IESG as");
}

fn transfer(cx: &EntryCx<'_>, out: &mut Sink) {
    if cx.entry.kind() != EntryKind::Transfer {
        return;
    }
    let name = cx.entry.name_str().unwrap_or("the service");
    out.report(
        Rule::LifecycleTransfer,
        Some(kind_span(cx.entry)),
        format!("RFC 6335 does not permit transferring `{name}` to another party, even with consent"),
    )
    .label("not a procedure")
    .help(format!(
        "file two requests instead: the new party asks for the name and number (`kind = \"new\"`, which IANA coordinates with the release), and the current assignee releases `{name}` (`kind = \"deassign\"`); when the assignee itself was merged or renamed, file `kind = \"modify\"` with `changes.assignee` and `succession`"
    ));
}

fn assignee_change(cx: &EntryCx<'_>, out: &mut Sink) {
    let e = cx.entry;
    if e.kind() != EntryKind::Modify {
        return;
    }
    let Some(new) = e.changes.as_ref().and_then(|c| c.assignee.as_ref()) else {
        return;
    };
    let registry = cx.registry;
    let records = view(cx).map(|v| targets(e, v).records).unwrap_or_default();
    // The current holder: the records' assignee (else contact); without the registry, the
    // requester, who must be the holder.
    let mut holders: Vec<Party> = records
        .iter()
        .flat_map(|r| {
            if r.assignee.is_empty() {
                r.contact.clone()
            } else {
                r.assignee.clone()
            }
        })
        .map(|id| Party::of_registry_id(&id, registry))
        .collect();
    if holders.is_empty() {
        holders.extend(
            e.requester
                .as_ref()
                .map(|r| Party::of_ref(&r.value, cx.draft, registry)),
        );
    }
    let new_party = Party::of_ref(&new.value, cx.draft, registry);
    if holders.is_empty() || new_party.same_as_any(&holders) {
        return;
    }
    let succession = e.succession.as_ref().filter(|s| !s.value.trim().is_empty());
    let f = out.report(
        Rule::LifecycleAssigneeChange,
        Some(new.span),
        match succession {
            Some(_) => {
                "the assignee changes to another party, explained as an organisational succession"
                    .to_string()
            }
            None => "a modification cannot change the assignee to another party".to_string(),
        },
    );
    f.label("another party");
    match succession {
        Some(s) => {
            f.severity = Some(Severity::Info);
            f.secondary(s.span, "the succession");
            f.help("IANA records successions (mergers, renamed organisations) in practice, outside RFC 6335's text; expect it to ask for evidence, and add an assignment note about the owner change (§8.1.1)");
        }
        None => {
            f.help("RFC 6335 §8.6 keeps the assignee, and §8.5 forbids transfers; if the organisation was merged or renamed, say so in `succession`, otherwise file a de-assignment and a new request");
        }
    }
}

fn rename(cx: &EntryCx<'_>, out: &mut Sink) {
    let e = cx.entry;
    if e.kind() != EntryKind::Modify {
        return;
    }
    let Some(new) = e.changes.as_ref().and_then(|c| c.name.as_ref()) else {
        return;
    };
    let old = e.name_str().unwrap_or("");
    if new.value == old {
        return;
    }
    out.report(
        Rule::LifecycleRename,
        Some(new.span),
        format!(
            "renaming `{old}` to `{}` is not an RFC 6335 procedure",
            new.value
        ),
    )
    .label("new name");
}

fn name_deassign(cx: &EntryCx<'_>, out: &mut Sink) {
    let e = cx.entry;
    let Some(keep) = e
        .keep_name
        .as_ref()
        .filter(|_| e.kind() == EntryKind::Deassign)
    else {
        return;
    };
    if keep.value {
        return;
    }
    let name = e.name_str().unwrap_or("the service name");
    out.report(
        Rule::LifecycleNameDeassign,
        Some(keep.span),
        format!("the de-assignment also gives up the service name `{name}`"),
    )
    .label("name not kept");
}

fn in_use_unknown(cx: &EntryCx<'_>, out: &mut Sink) {
    let e = cx.entry;
    if e.kind() != EntryKind::Deassign
        || !is_blank(&e.no_longer_used)
        || e.mistyped("no-longer-used")
    {
        return;
    }
    out.report(
        Rule::LifecycleInUseUnknown,
        Some(kind_span(e)),
        "the de-assignment does not say that the number is no longer in use",
    )
    .label("no `no-longer-used`");
}

fn already_reserved(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(registry) = view(cx) else { return };
    let Some((free, said)) = already_free(cx.entry, registry) else {
        return;
    };
    let Some(port) = &cx.entry.port else { return };
    let f = out.report(
        Rule::LifecycleAlreadyReserved,
        Some(port.span),
        format!(
            "{} is not assigned ({}); there is nothing to {}",
            describe_ask(cx.entry),
            said.join("; "),
            match cx.entry.kind() {
                EntryKind::Modify => "modify",
                _ => "de-assign",
            }
        ),
    );
    f.label("already free");
    for r in free.iter().take(MAX_RELATED) {
        f.related_record(
            r.index,
            RecordField::Number,
            r.description.trim().to_string(),
        );
    }
}

fn reuse_old_name(cx: &EntryCx<'_>, out: &mut Sink) {
    let e = cx.entry;
    if e.kind() != EntryKind::Reuse {
        return;
    }
    let (Some(name), Some(prev)) = (&e.name, &e.previous) else {
        return;
    };
    if !name.value.trim().eq_ignore_ascii_case(prev.value.trim()) {
        return;
    }
    out.report(
        Rule::LifecycleReuseOldName,
        Some(name.span),
        format!(
            "the reused number keeps the old service name `{}` for a different application",
            name.value
        ),
    )
    .label("same as `previous`")
    .secondary(prev.span, "the old name");
}

fn requester_missing(cx: &EntryCx<'_>, out: &mut Sink) {
    let e = cx.entry;
    if !e.kind().is_lifecycle() || e.requester.is_some() || e.mistyped("requester") {
        return;
    }
    out.report(
        Rule::LifecycleRequesterMissing,
        Some(kind_span(e)),
        format!(
            "a `{}` entry does not say who asks (`requester`)",
            e.kind().as_str()
        ),
    )
    .label("no `requester`");
}

/// `registry diff`: a record HEAD renames (lifecycle.md §4, `rename`), as a request for the
/// rename would have been told.
pub fn renamed_in_update(h: &Record, old_name: &str) -> crate::diagnostic::Finding {
    let name = h.name.as_deref().unwrap_or_default();
    let mut f = crate::diagnostic::Finding::new(
        Rule::LifecycleRename,
        h.name_span().or(Some(h.span)),
        format!(
            "`{name}` {} takes the place of `{old_name}`: RFC 6335 has no rename procedure (IANA renames in place in practice); clients that look up `{old_name}` stop finding it",
            record_place(h)
        ),
    );
    f.label = Some(format!("formerly `{old_name}`"));
    f
}

/// `registry diff`: a de-assignment whose service name no HEAD record keeps (§8.2 RECOMMENDS
/// keeping it without a number). `reserved` is HEAD's record on the number now.
pub fn deassigned_in_update(
    head: &Registry,
    old: &Record,
    reserved: &Record,
) -> Option<crate::diagnostic::Finding> {
    let name = old.name.as_deref()?;
    if head.records_named(name).next().is_some() {
        return None;
    }
    let mut f = crate::diagnostic::Finding::new(
        Rule::LifecycleNameDeassign,
        reserved.number_span().or(Some(reserved.span)),
        format!(
            "`{name}` {} is de-assigned and no record keeps the name; RFC 6335 §8.2 RECOMMENDS keeping the service name without a number",
            record_place(old)
        ),
    );
    f.label = Some(format!("formerly `{name}`"));
    f.help = Some(format!(
        "keep `{name}` as a record without protocol and number, as IANA does for de-assigned services"
    ));
    Some(f)
}

/// `registry diff`: a modification that changes a record's assignee. Reported as info: an
/// update cannot carry the `succession` statement a request would, and IANA changes assignees
/// for organisational successions in practice (§8.5, §8.6 forbid it otherwise).
pub fn modified_in_update(old: &Record, new: &Record) -> Option<crate::diagnostic::Finding> {
    // A record registered before 2011 without an assignee gaining one is not a change of party.
    if old.assignee.is_empty() || old.assignee == new.assignee {
        return None;
    }
    let name = new.name.as_deref().unwrap_or_default();
    let mut f = crate::diagnostic::Finding::new(
        Rule::LifecycleAssigneeChange,
        new.name_span().or(Some(new.span)),
        format!(
            "the assignee of `{name}` {} changes from {} to {}: RFC 6335 §8.6 does not change assignees by modification; IANA does it for an organisational succession, check that this is one",
            record_place(new),
            old.assignee.join(", "),
            if new.assignee.is_empty() { "none".to_string() } else { new.assignee.join(", ") }
        ),
    );
    f.label = Some("assignee changed".into());
    f.severity = Some(Severity::Info);
    Some(f)
}

/// `registry diff`: a de-assignment whose Reserved record does not record it (§8.2: "IANA will
/// include a comment in the registry when de-assignment happens to indicate its historic
/// usage"). `reserved` is HEAD's record on the number now.
pub fn deassign_note_in_update(
    old: &Record,
    reserved: &Record,
) -> Option<crate::diagnostic::Finding> {
    // An RFC or Internet-Draft on the Reserved record is the document that released the
    // number (IANA's imap and imaps udp records of 2021): that records the de-assignment too.
    let released_by_document = reserved.references.iter().any(|r| {
        matches!(
            r.kind,
            crate::registry::RefKind::Rfc | crate::registry::RefKind::Draft
        )
    });
    if crate::registry::deassignment(reserved).is_some() || released_by_document {
        return None;
    }
    let name = old.name.as_deref().unwrap_or_default();
    let mut f = crate::diagnostic::Finding::new(
        Rule::LifecycleDeassignNote,
        reserved.number_span().or(Some(reserved.span)),
        format!(
            "`{name}` {} is de-assigned, but the record now on the number has no note of it; RFC 6335 §8.2 has IANA record the historic usage",
            record_place(old)
        ),
    );
    f.label = Some("no de-assignment note".into());
    Some(f)
}
