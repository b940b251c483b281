//! `conflict/`: the request against the registry and against the other drafts of the run
//! (RFC 6335 §5, §7.2, §8.1-§8.5). Names compare case-insensitively; a record without a
//! protocol covers every transport; a range record covers every number inside it.

use std::collections::BTreeSet;

use crate::diagnostic::{Label, RecordField, Sink};
use crate::model::draft::Entry;
use crate::model::service_code;
use crate::model::Transport;
use crate::registry::{Record, SimilarKind};
use crate::rules::view::{record_place, view, View};
use crate::rules::{Check, EntryCx, Rule, Run, RunCx};

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::ConflictNameTaken,
        run: Run::Entry(name_taken),
    },
    Check {
        rule: Rule::ConflictNameSimilar,
        run: Run::Entry(name_similar),
    },
    Check {
        rule: Rule::ConflictPortTaken,
        run: Run::Entry(port_taken),
    },
    Check {
        rule: Rule::ConflictPortInRange,
        run: Run::Entry(port_in_range),
    },
    Check {
        rule: Rule::ConflictPortReserved,
        run: Run::Entry(port_reserved),
    },
    Check {
        rule: Rule::ConflictPortOtherTransport,
        run: Run::Entry(port_other_transport),
    },
    Check {
        rule: Rule::ConflictScTaken,
        run: Run::Entry(sc_taken),
    },
    Check {
        rule: Rule::ConflictExtendUnknown,
        run: Run::Entry(extend_unknown),
    },
    Check {
        rule: Rule::ConflictInDrafts,
        run: Run::AllDrafts(in_drafts),
    },
    Check {
        rule: Rule::ConflictScOtherPort,
        run: Run::Entry(sc_other_port),
    },
];

/// At most this many records are named in one finding; the rest are counted.
const MAX_RELATED: usize = 3;

/// `assignee X, contact Y` from a record's people, when it has any.
pub fn record_people(r: &Record) -> String {
    let mut parts = Vec::new();
    if !r.assignee.is_empty() {
        parts.push(format!("assignee {}", r.assignee.join(", ")));
    }
    if !r.contact.is_empty() {
        parts.push(format!("contact {}", r.contact.join(", ")));
    }
    parts.join(", ")
}

fn places(records: &[&Record]) -> String {
    let mut seen = Vec::new();
    for r in records {
        let p = record_place(r);
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    seen.join(", ")
}

fn name_records<'a>(cx: &EntryCx<'a>, registry: View<'a>) -> Vec<&'a Record> {
    match cx.entry.name_str() {
        Some(n) if !n.is_empty() => registry.records_named(n).collect(),
        _ => Vec::new(),
    }
}

/// The (transport, number) pairs an entry asks for; `None` numbers for name-only requests.
fn requested_pairs(entry: &Entry) -> Vec<(Transport, Option<(u16, u16)>)> {
    let range = entry.port.as_ref().and_then(|p| p.value.range());
    entry
        .known_transports()
        .into_iter()
        .map(|t| (t, range))
        .collect()
}

/// Whether `r` (a record of the same name) already holds the pair.
fn holds(r: &Record, t: Transport, range: Option<(u16, u16)>) -> bool {
    let transport_ok = r.protocol.is_none_or(|p| p == t);
    match (range, r.number) {
        (Some((lo, hi)), Some(n)) => transport_ok && n.lo <= hi && lo <= n.hi,
        // A name-only extension conflicts when the name is already on that transport.
        (None, _) => r.protocol == Some(t),
        (Some(_), None) => false,
    }
}

fn add_related(
    f: &mut crate::diagnostic::Finding,
    records: &[&Record],
    field: RecordField,
    what: &str,
) {
    for r in records.iter().take(MAX_RELATED) {
        f.related_record(r.index, field, format!("{what} {}", record_place(r)));
    }
}

fn name_taken(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(name)) = (view(cx), &cx.entry.name) else {
        return;
    };
    let existing = name_records(cx, registry);
    if existing.is_empty() {
        return;
    }
    let shown = existing[0].name.as_deref().unwrap_or(&name.value);
    let people = existing
        .iter()
        .map(|r| record_people(r))
        .find(|p| !p.is_empty());
    let people = people.map(|p| format!("; {p}")).unwrap_or_default();
    if cx.entry.is_extend() {
        let clashes: Vec<(Transport, &Record)> = requested_pairs(cx.entry)
            .into_iter()
            .filter_map(|(t, range)| {
                existing
                    .iter()
                    .find(|r| holds(r, t, range))
                    .map(|r| (t, *r))
            })
            .collect();
        if clashes.is_empty() {
            return;
        }
        let recs: Vec<&Record> = clashes.iter().map(|(_, r)| *r).collect();
        let ts: Vec<&str> = clashes.iter().map(|(t, _)| t.as_str()).collect();
        let f = out.report(
            Rule::ConflictNameTaken,
            Some(name.span),
            format!(
                "`{shown}` is already registered for {} ({}{people}); `kind = \"extend\"` can only add what is not registered yet",
                ts.join(" and "),
                places(&recs)
            ),
        );
        f.label("already registered here");
        add_related(f, &recs, RecordField::Name, "registered as");
        return;
    }
    let f = out.report(
        Rule::ConflictNameTaken,
        Some(name.span),
        format!(
            "service name `{shown}` is already registered ({}{people})",
            places(&existing)
        ),
    );
    f.label("name taken");
    f.help(format!(
        "choose a different name; if you hold `{shown}` and want another transport or a port for it, set `kind = \"extend\"`"
    ));
    add_related(f, &existing, RecordField::Name, "registered as");
    if existing.len() > MAX_RELATED {
        f.related.truncate(MAX_RELATED);
    }
}

fn name_similar(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(name)) = (view(cx), &cx.entry.name) else {
        return;
    };
    if name.value.is_empty() || !name_records(cx, registry).is_empty() {
        return;
    }
    let similar = registry.similar_names(&name.value);
    if similar.is_empty() {
        return;
    }
    let describe = |k: SimilarKind| match k {
        SimilarKind::Hyphens => "differs only by hyphens",
        SimilarKind::LookAlike => "differs only by look-alike characters",
        SimilarKind::OneEdit => "is one edit away",
    };
    let list: Vec<String> = similar
        .iter()
        .take(5)
        .map(|s| format!("`{}` ({})", s.record_name, describe(s.kind)))
        .collect();
    let more = similar.len().saturating_sub(5);
    let f = out.report(
        Rule::ConflictNameSimilar,
        Some(name.span),
        format!(
            "service name `{}` is close to registered {}{}",
            name.value,
            list.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ),
    );
    f.label("easily confused with a registered name");
    for s in similar.iter().take(MAX_RELATED) {
        if let Some(r) = registry.records_named(s.record_name).next() {
            f.related_record(
                r.index,
                RecordField::Name,
                format!("`{}` registered as {}", s.record_name, record_place(r)),
            );
        }
    }
}

/// What holds a requested number on a transport.
enum Holder<'a> {
    Named(&'a Record),
    InRange(&'a Record),
    Reserved(&'a Record),
}

/// For each requested transport, the records in the way, in port order. Ports of a range are
/// grouped by record so that a 60-port range inside `x11` is one finding.
/// Nameless records whose description starts with "Unassigned" (also IANA's
/// `Unassigned [was netstat]`) leave the number free; every other nameless record
/// (Reserved, De-registered, Removed, …) holds it.
fn is_free(r: &Record) -> bool {
    r.name.is_none()
        && r.description
            .trim_start()
            .get(..10)
            .is_some_and(|s| s.eq_ignore_ascii_case("unassigned"))
}

fn holders<'a>(cx: &EntryCx<'a>, registry: View<'a>) -> Vec<(Transport, Vec<Holder<'a>>)> {
    let Some((lo, hi)) = cx.entry.port.as_ref().and_then(|p| p.value.range()) else {
        return Vec::new();
    };
    let own = cx.entry.name_str().map(str::to_ascii_lowercase);
    let same_name = |r: &Record| {
        r.name
            .as_deref()
            .is_some_and(|n| Some(n.to_ascii_lowercase()) == own)
    };
    let mut out = Vec::new();
    for t in cx.entry.known_transports() {
        let mut seen = BTreeSet::new();
        let mut hs = Vec::new();
        for port in lo..=hi {
            for r in registry.records_at(t, port) {
                if is_free(r) || !seen.insert(r.index) {
                    continue;
                }
                if r.name.is_some() {
                    if same_name(r) {
                        continue; // conflict/name-taken's business
                    }
                    match r.number {
                        Some(n) if !n.is_single() => hs.push(Holder::InRange(r)),
                        _ => hs.push(Holder::Named(r)),
                    }
                } else {
                    hs.push(Holder::Reserved(r));
                }
            }
        }
        out.push((t, hs));
    }
    out
}

fn port_taken(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(port)) = (view(cx), &cx.entry.port) else {
        return;
    };
    for (t, hs) in holders(cx, registry) {
        for h in hs {
            let Holder::Named(r) = h else { continue };
            let name = r.name.as_deref().unwrap_or_default();
            let people = record_people(r);
            let people = if people.is_empty() {
                String::new()
            } else {
                format!(" ({people})")
            };
            out.report(
                Rule::ConflictPortTaken,
                Some(port.span),
                format!(
                    "{t}/{} is already assigned to `{name}`{people}",
                    r.number.map(|n| n.to_string()).unwrap_or_default()
                ),
            )
            .label(format!("taken on {t}"))
            .related_record(
                r.index,
                RecordField::Number,
                format!("`{name}` holds {}", record_place(r)),
            );
        }
    }
}

fn port_in_range(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(port)) = (view(cx), &cx.entry.port) else {
        return;
    };
    for (t, hs) in holders(cx, registry) {
        for h in hs {
            let Holder::InRange(r) = h else { continue };
            let name = r.name.as_deref().unwrap_or_default();
            let range = r.number.map(|n| n.to_string()).unwrap_or_default();
            out.report(
                Rule::ConflictPortInRange,
                Some(port.span),
                format!(
                    "the requested port lies inside `{name}` {range}, a range assigned on {}",
                    r.protocol.map_or("every transport", |p| p.as_str())
                ),
            )
            .label(format!("inside `{name}` on {t}"))
            .related_record(
                r.index,
                RecordField::Number,
                format!("`{name}` holds {}", record_place(r)),
            );
        }
    }
}

fn port_reserved(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(port)) = (view(cx), &cx.entry.port) else {
        return;
    };
    let own = cx.entry.name_str().map(str::to_ascii_lowercase);
    for (t, hs) in holders(cx, registry) {
        for h in hs {
            let Holder::Reserved(r) = h else { continue };
            let number = r.number.map(|n| n.to_string()).unwrap_or_default();
            // Extending a name onto the other transport of its own number is how a Reserved
            // other-transport record is meant to be used (RFC 6335 §8.1).
            if cx.entry.is_extend() {
                // Every requested number inside the reservation must be the name's own
                // number on another transport.
                let (lo, hi) = port.value.range().unwrap_or((0, 0));
                let own_holds = r.number.is_some_and(|n| {
                    (n.lo.max(lo)..=n.hi.min(hi)).all(|p| {
                        Transport::ALL.iter().any(|&u| {
                            u != t
                                && registry
                                    .records_at(u, p)
                                    .iter()
                                    .any(|o| o.name.as_deref().map(str::to_ascii_lowercase) == own)
                        })
                    })
                });
                if own_holds {
                    continue;
                }
            }
            let what = r.description.trim();
            let what = if what.is_empty() { "Reserved" } else { what };
            out.report(
                Rule::ConflictPortReserved,
                Some(port.span),
                format!(
                    "{t}/{number} is not free: the registry holds it as \"{}\"",
                    what.lines().next().unwrap_or(what)
                ),
            )
            .label(format!("reserved on {t}"))
            .related_record(
                r.index,
                RecordField::Number,
                format!("{} here", what.lines().next().unwrap_or(what)),
            );
        }
    }
}

fn port_other_transport(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(port)) = (view(cx), &cx.entry.port) else {
        return;
    };
    let Some((lo, hi)) = port.value.range() else {
        return;
    };
    let own = cx.entry.name_str().map(str::to_ascii_lowercase);
    let requested = cx.entry.known_transports();
    for (t, hs) in holders(cx, registry) {
        if !hs.is_empty() {
            continue; // not free on t: the other conflict rules speak
        }
        let mut seen = BTreeSet::new();
        for port_no in lo..=hi {
            for u in Transport::ALL {
                if u == t || requested.contains(&u) {
                    continue;
                }
                for r in registry.records_at(u, port_no) {
                    let Some(name) = r.name.as_deref() else {
                        continue;
                    };
                    if r.protocol != Some(u)
                        || Some(name.to_ascii_lowercase()) == own
                        || !seen.insert(r.index)
                    {
                        continue;
                    }
                    out.report(
                        Rule::ConflictPortOtherTransport,
                        Some(port.span),
                        format!("{t}/{port_no} is free, but {u}/{port_no} belongs to `{name}`; IANA normally keeps such numbers for the same service"),
                    )
                    .label(format!("assigned on {u}"))
                    .related_record(r.index, RecordField::Number, format!("`{name}` holds {}", record_place(r)));
                }
            }
        }
    }
}

/// The entry's codes as 32-bit values, with where each is written.
fn code_values<'a>(cx: &EntryCx<'a>) -> Vec<(u32, &'a crate::model::draft::Text)> {
    crate::rules::sc::codes(cx)
        .filter_map(|sc| {
            let v = service_code::parse(&sc.value).ok()?;
            Some((u32::try_from(v).ok()?, sc))
        })
        .collect()
}

/// Whether `r` is a record of the entry's own service (same name): its code is its own.
fn same_service(cx: &EntryCx<'_>, r: &Record) -> bool {
    match (cx.entry.name_str(), r.name.as_deref()) {
        (Some(a), Some(b)) => !a.is_empty() && a.eq_ignore_ascii_case(b),
        _ => false,
    }
}

/// A code held by another service, in the port registry (its `<sc>` fields) or in the DCCP
/// Service Codes registry (its assignments). The service's own records do not count: a
/// second port for its own code is `conflict/sc-other-port`.
fn sc_taken(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(registry) = view(cx) else { return };
    for (v, sc) in code_values(cx) {
        let holders = registry.records_with_service_code(v);
        let own = holders.iter().any(|r| same_service(cx, r));
        let row = cx
            .service_codes
            .and_then(|c| c.assignment(v).map(|row| (c, row)));
        let mut reported = false;
        for r in holders.iter().filter(|r| !same_service(cx, r)) {
            let name = r.name.as_deref().unwrap_or("an unnamed record");
            let f = out
                .report(
                    Rule::ConflictScTaken,
                    Some(sc.span),
                    format!(
                        "service code {v} is already assigned to `{name}` ({})",
                        record_place(r)
                    ),
                )
                .label("service code taken")
                .related_record(
                    r.index,
                    RecordField::ServiceCode,
                    format!("`{name}` holds it"),
                );
            if let (false, Some((codes, row))) = (reported, row) {
                f.related_excerpt(
                    codes.excerpt(row, row.value_span),
                    format!(
                        "assigned to {} in the Service Codes registry",
                        row.summary()
                    ),
                );
            }
            reported = true;
        }
        if let (false, false, Some((codes, row))) = (reported, own, row) {
            out.report(
                Rule::ConflictScTaken,
                Some(sc.span),
                format!(
                    "service code {} is already assigned in the DCCP Service Codes registry, to {}",
                    service_code::describe(v),
                    row.summary()
                ),
            )
            .label("service code taken")
            .related_excerpt(
                codes.excerpt(row, row.value_span),
                "assigned here".to_string(),
            );
        }
    }
}

fn extend_unknown(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(kind)) = (view(cx), &cx.entry.kind) else {
        return;
    };
    if !cx.entry.is_extend() {
        return;
    }
    let Some(name) = &cx.entry.name else { return };
    if name.value.is_empty() || !name_records(cx, registry).is_empty() {
        return;
    }
    out.report(
        Rule::ConflictExtendUnknown,
        Some(name.span),
        format!(
            "`kind = \"extend\"` but no registration of `{}` exists",
            name.value
        ),
    )
    .label("not registered")
    .secondary(kind.span, "extends an existing registration")
    .help("remove `kind = \"extend\"` to request a new registration, or correct the name");
}

/// Two entries of one run that claim the same name, or the same number on one transport.
/// Linear in the number of entries (maps of earlier claims), so 10,000 entries stay fast.
fn in_drafts(cx: &RunCx<'_>, out: &mut Sink) {
    use std::collections::HashMap;
    type Place = (crate::diagnostic::FileId, crate::source::Span);
    let mut names: HashMap<String, Place> = HashMap::new();
    let mut singles: HashMap<(Transport, u16), Place> = HashMap::new();
    let mut ranges: Vec<(Transport, u16, u16, Place)> = Vec::new();
    for d in &cx.drafts {
        for entry in &d.draft.entries {
            let mut report = |span, message: String, earlier: Place| {
                let f = out.report(Rule::ConflictInDrafts, Some(span), message);
                f.entry = Some(entry.index);
                f.file = Some(d.file);
                f.label("requested again here").related_label(
                    Label::new(earlier.0, earlier.1).with_message("first requested here"),
                );
            };
            if let Some(n) = entry.name.as_ref().filter(|n| !n.value.is_empty()) {
                let key = n.value.to_ascii_lowercase();
                match names.get(&key) {
                    Some(&earlier) => {
                        report(
                            n.span,
                            format!(
                                "service name `{}` is also requested by another entry of this run",
                                n.value
                            ),
                            earlier,
                        );
                        continue;
                    }
                    None => {
                        names.insert(key, (d.file, n.span));
                    }
                }
            }
            let Some(port) = &entry.port else { continue };
            let Some((lo, hi)) = port.value.range() else {
                continue;
            };
            let here = (d.file, port.span);
            let mut clash: Option<(Transport, u16, Place)> = None;
            for t in entry.known_transports() {
                if clash.is_none() {
                    clash = ranges
                        .iter()
                        .find(|(rt, rlo, rhi, _)| *rt == t && *rlo <= hi && lo <= *rhi)
                        .map(|&(_, rlo, _, p)| (t, rlo.max(lo), p));
                }
                if clash.is_none() {
                    clash = (lo..=hi).find_map(|p| singles.get(&(t, p)).map(|&e| (t, p, e)));
                }
                if lo == hi {
                    singles.entry((t, lo)).or_insert(here);
                } else {
                    ranges.push((t, lo, hi, here));
                }
            }
            if let Some((t, p, earlier)) = clash {
                report(
                    port.span,
                    format!("port {p} on {t} is also requested by another entry of this run"),
                    earlier,
                );
            }
        }
    }
}

/// RFC 6335 §10.3.2: "IANA MUST NOT assign more than one DCCP server port to a single
/// service code value". The service already has the code on another DCCP port.
fn sc_other_port(cx: &EntryCx<'_>, out: &mut Sink) {
    let Some(registry) = view(cx) else { return };
    if !cx.entry.known_transports().contains(&Transport::Dccp) {
        return;
    }
    let Some((lo, hi)) = cx.entry.port.as_ref().and_then(|p| p.value.range()) else {
        return;
    };
    for (v, sc) in code_values(cx) {
        let bound = registry
            .records_with_service_code(v)
            .into_iter()
            .filter(|r| same_service(cx, r) && r.protocol == Some(Transport::Dccp))
            .find(|r| r.number.is_some_and(|n| n.hi < lo || hi < n.lo));
        let Some(r) = bound else { continue };
        let name = r.name.as_deref().unwrap_or_default();
        out.report(
            Rule::ConflictScOtherPort,
            Some(sc.span),
            format!(
                "service code {} is already bound to `{name}` on {}; one service code may \
                 have only one DCCP server port",
                service_code::describe(v),
                record_place(r)
            ),
        )
        .label("bound to another port")
        .related_record(
            r.index,
            RecordField::ServiceCode,
            format!("`{name}` {} uses it", record_place(r)),
        );
    }
}
