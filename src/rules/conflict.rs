//! `conflict/`: the request against the registry and against the other drafts of the run
//! (RFC 6335 §5, §7.2, §8.1-§8.5). Names compare case-insensitively; a record without a
//! protocol covers every transport; a range record covers every number inside it.

use std::collections::BTreeSet;

use crate::diagnostic::{Label, RecordField, Sink};
use crate::model::draft::Entry;
use crate::model::service_code;
use crate::model::Transport;
use crate::registry::Record;
use crate::rules::party::{self, Party};
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
        rule: Rule::ConflictPortDeassigned,
        run: Run::Entry(port_deassigned),
    },
    Check {
        rule: Rule::ConflictNameDeassigned,
        run: Run::Entry(name_deassigned),
    },
    Check {
        rule: Rule::ConflictExtendNotHolder,
        run: Run::Entry(extend_not_holder),
    },
    Check {
        rule: Rule::ConflictPortShared,
        run: Run::Entry(port_shared),
    },
    Check {
        rule: Rule::ConflictScOtherPort,
        run: Run::Entry(sc_other_port),
    },
];

/// At most this many records are named in one finding; the rest are counted.
pub(super) const MAX_RELATED: usize = 3;

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

/// `; assignee X, contact Y` of the name's main holder. The people of a TCP/UDP (or
/// protocol-less) record come first: an SCTP or DCCP record added later often names whoever
/// added that transport (`ssh`'s sctp record names an SCTP author, not SSH's holder), so its
/// people are quoted only when no other record names anyone, and then as that record's.
fn main_holder(records: &[&Record]) -> String {
    let secondary = |r: &Record| matches!(r.protocol, Some(Transport::Sctp | Transport::Dccp));
    if let Some(p) = records
        .iter()
        .filter(|r| !secondary(r))
        .map(|r| record_people(r))
        .find(|p| !p.is_empty())
    {
        return format!("; {p}");
    }
    let main_exists = records.iter().any(|r| !secondary(r));
    records
        .iter()
        .find_map(|r| {
            let p = record_people(r);
            if p.is_empty() {
                None
            } else if main_exists {
                let t = r.protocol.map_or("", |t| t.as_str());
                Some(format!("; its {t} record names {p}"))
            } else {
                Some(format!("; {p}"))
            }
        })
        .unwrap_or_default()
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
    let people = main_holder(&existing);
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
    use crate::rules::confusable::{confusion, Party};
    let (Some(registry), Some(name)) = (view(cx), &cx.entry.name) else {
        return;
    };
    if name.value.is_empty() || !name_records(cx, registry).is_empty() {
        return;
    }
    // Most names resemble none: the pair and the party below are worked out only if needed.
    let candidates = registry.similar_names(&name.value);
    if candidates.is_empty() {
        return;
    }
    // policy/secure-variant speaks of the pair it finds.
    let paired = crate::rules::policy::secure_pair(cx).map(|(_, other, _, _)| other);
    let party = Party::of_entry(cx.draft, cx.entry, registry.registry);
    let similar: Vec<_> = candidates
        .into_iter()
        .filter(|s| paired.as_deref() != Some(s.record_name.to_ascii_lowercase().as_str()))
        .filter_map(|s| {
            Some((
                s.record_name,
                confusion(&name.value, s.record_name, s.kind)?,
            ))
        })
        // The requesting party's own names (`matter` beside its `matterc`) confuse nobody.
        .filter(|(n, _)| {
            !registry
                .records_named(n)
                .any(|r| Party::of_record(r, registry.registry).shares(&party))
        })
        .collect();
    if similar.is_empty() {
        return;
    }
    let list: Vec<String> = similar
        .iter()
        .take(5)
        .map(|(n, k)| format!("`{n}` ({})", k.describe()))
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
    for (n, _) in similar.iter().take(MAX_RELATED) {
        if let Some(r) = registry.records_named(n).next() {
            f.related_record(
                r.index,
                RecordField::Name,
                format!("`{n}` registered as {}", record_place(r)),
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

/// At most this many runs of numbers are written out in one finding; the rest are counted.
const MAX_RUNS: usize = 12;

/// `4860-4870, 4875`: sorted numbers with runs compressed; after [`MAX_RUNS`] runs, the
/// count of all the numbers instead of the rest (`1-65535` would list thousands).
fn runs(numbers: &BTreeSet<u16>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut it = numbers.iter().copied().peekable();
    while let Some(lo) = it.next() {
        let mut hi = lo;
        while it.peek().is_some_and(|&n| Some(n) == hi.checked_add(1)) {
            hi = it.next().unwrap_or(hi);
        }
        if parts.len() == MAX_RUNS {
            return format!("{}, … ({} numbers in all)", parts.join(", "), numbers.len());
        }
        parts.push(if lo == hi {
            lo.to_string()
        } else {
            format!("{lo}-{hi}")
        });
    }
    parts.join(", ")
}

/// `tcp/4860-4870 and udp/4862`: the numbers of each transport.
pub(super) fn places_by_transport(numbers: &[(Transport, BTreeSet<u16>)]) -> String {
    let parts: Vec<String> = numbers
        .iter()
        .filter(|(_, n)| !n.is_empty())
        .map(|(t, n)| format!("{t}/{}", runs(n)))
        .collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The requested numbers that `r` covers.
fn covered(r: &Record, lo: u16, hi: u16) -> impl Iterator<Item = u16> {
    let (a, b) = r.number.map_or((1, 0), |n| (n.lo.max(lo), n.hi.min(hi)));
    a..=b
}

/// Adds `n` to the set of transport `t`, keeping transports in request order.
pub(super) fn note(
    numbers: &mut Vec<(Transport, BTreeSet<u16>)>,
    t: Transport,
    n: impl Iterator<Item = u16>,
) {
    match numbers.iter_mut().find(|(u, _)| *u == t) {
        Some((_, set)) => set.extend(n),
        None => numbers.push((t, n.collect())),
    }
}

/// "`a` tcp/1, `b` tcp/2 and 3 more records": the first few records by name and place.
fn named_records(records: &[&Record]) -> String {
    let named: Vec<String> = records
        .iter()
        .take(MAX_RELATED)
        .map(|r| {
            format!(
                "`{}` {}",
                r.name.as_deref().unwrap_or_default(),
                record_place(r)
            )
        })
        .collect();
    format!(
        "{}{}",
        named.join(", "),
        more_records(records.len(), named.len())
    )
}

/// ` and N more records`, or nothing.
pub(super) fn more_records(total: usize, shown: usize) -> String {
    match total.saturating_sub(shown) {
        0 => String::new(),
        1 => " and 1 more record".to_string(),
        n => format!(" and {n} more records"),
    }
}

/// One finding per entry, however many numbers of a range are taken: the numbers, and the
/// first few records that hold them.
fn port_taken(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(port)) = (view(cx), &cx.entry.port) else {
        return;
    };
    let Some((lo, hi)) = port.value.range() else {
        return;
    };
    let mut numbers = Vec::new();
    let mut records: Vec<&Record> = Vec::new();
    for (t, hs) in holders(cx, registry) {
        for h in hs {
            let Holder::Named(r) = h else { continue };
            if shared_with(cx, registry, r).is_some() {
                continue; // conflict/port-shared's business
            }
            // `exp1`/`exp2` (1021, 1022) are port/experimental's finding.
            if covered(r, lo, hi).all(|n| n == 1021 || n == 1022) {
                continue;
            }
            note(&mut numbers, t, covered(r, lo, hi));
            if !records.iter().any(|x| x.index == r.index) {
                records.push(r);
            }
        }
    }
    let Some(first) = records.first() else { return };
    let transports: Vec<&str> = numbers.iter().map(|(t, _)| t.as_str()).collect();
    let verb = if numbers.iter().map(|(_, n)| n.len()).sum::<usize>() == 1 {
        "is"
    } else {
        "are"
    };
    let one_name = records.iter().all(|r| {
        r.name.as_deref().map(str::to_ascii_lowercase)
            == first.name.as_deref().map(str::to_ascii_lowercase)
    });
    let message = if one_name {
        // One service (on one or several transports): its name and people.
        let name = first.name.as_deref().unwrap_or_default();
        let people = record_people(first);
        let people = if people.is_empty() {
            String::new()
        } else {
            format!(" ({people})")
        };
        format!(
            "{} {verb} already assigned to `{name}`{people}",
            places_by_transport(&numbers)
        )
    } else {
        format!(
            "{} {verb} already assigned: to {}",
            places_by_transport(&numbers),
            named_records(&records)
        )
    };
    let f = out.report(Rule::ConflictPortTaken, Some(port.span), message);
    f.label(format!("taken on {}", transports.join(" and ")));
    for r in records.iter().take(MAX_RELATED) {
        let name = r.name.as_deref().unwrap_or_default();
        f.related_record(
            r.index,
            RecordField::Number,
            format!("`{name}` holds {}", record_place(r)),
        );
    }
}

fn port_in_range(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(port)) = (view(cx), &cx.entry.port) else {
        return;
    };
    let mut records: Vec<(Transport, &Record)> = Vec::new();
    for (t, hs) in holders(cx, registry) {
        for h in hs {
            let Holder::InRange(r) = h else { continue };
            records.push((t, r));
        }
    }
    let Some(&(t, first)) = records.first() else {
        return;
    };
    let describe = |r: &Record| {
        format!(
            "`{}` {}",
            r.name.as_deref().unwrap_or_default(),
            r.number.map(|n| n.to_string()).unwrap_or_default()
        )
    };
    let message = if records.len() == 1 {
        format!(
            "the requested port lies inside {}, a range assigned on {}",
            describe(first),
            first.protocol.map_or("every transport", |p| p.as_str())
        )
    } else {
        let named: Vec<String> = records
            .iter()
            .take(MAX_RELATED)
            .map(|(t, r)| format!("{} on {t}", describe(r)))
            .collect();
        format!(
            "the requested ports overlap ranges assigned to other services: {}{}",
            named.join(", "),
            more_records(records.len(), named.len())
        )
    };
    let f = out.report(Rule::ConflictPortInRange, Some(port.span), message);
    f.label(format!(
        "inside `{}` on {t}",
        first.name.as_deref().unwrap_or_default()
    ));
    for (_, r) in records.iter().take(MAX_RELATED) {
        let name = r.name.as_deref().unwrap_or_default();
        f.related_record(
            r.index,
            RecordField::Number,
            format!("`{name}` holds {}", record_place(r)),
        );
    }
}

/// Numbers that `port/reserved` reports whatever the registry says (RFC 6335 §6).
const ALWAYS_RESERVED: [u16; 4] = [0, 1023, 1024, 49151];

fn port_reserved(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(port)) = (view(cx), &cx.entry.port) else {
        return;
    };
    let Some((lo, hi)) = port.value.range() else {
        return;
    };
    let own = cx.entry.name_str().map(str::to_ascii_lowercase);
    let mut numbers = Vec::new();
    let mut records: Vec<(Transport, &Record)> = Vec::new();
    for (t, hs) in holders(cx, registry) {
        for h in hs {
            let Holder::Reserved(r) = h else { continue };
            if crate::registry::deassignment(r).is_some() {
                continue; // conflict/port-deassigned's business
            }
            // port/reserved already says that 0, 1023, 1024 and 49151 are never assigned.
            if covered(r, lo, hi).all(|n| ALWAYS_RESERVED.contains(&n)) {
                continue;
            }
            // Extending a name onto the other transport of its own number is how a Reserved
            // other-transport record is meant to be used (RFC 6335 §8.1).
            if cx.entry.is_extend() {
                // Every requested number inside the reservation must be the name's own
                // number on another transport.
                let own_holds = r.number.is_some()
                    && covered(r, lo, hi).all(|p| {
                        Transport::ALL.iter().any(|&u| {
                            u != t
                                && registry
                                    .records_at(u, p)
                                    .iter()
                                    .any(|o| o.name.as_deref().map(str::to_ascii_lowercase) == own)
                        })
                    });
                if own_holds {
                    continue;
                }
            }
            note(&mut numbers, t, covered(r, lo, hi));
            records.push((t, r));
        }
    }
    let Some(&(t, first)) = records.first() else {
        return;
    };
    let what = |r: &Record| {
        let d = r.description.trim();
        let d = if d.is_empty() { "Reserved" } else { d };
        d.lines().next().unwrap_or(d).to_string()
    };
    let message = if records.len() == 1 {
        // Since RFC 6335 a number assigned on one transport is Reserved on the others for
        // its holder: name that holder, as an expert would.
        let holder = first.number.and_then(|n| {
            Transport::ALL
                .iter()
                .filter(|&&u| u != t)
                .flat_map(|&u| registry.records_at(u, n.lo))
                .find(|o| o.name.is_some() && o.number == Some(n))
        });
        let kept = holder.map_or(String::new(), |o| {
            format!(
                ", kept for `{}` ({})",
                o.name.as_deref().unwrap_or_default(),
                record_place(o)
            )
        });
        format!(
            "{t}/{} is not free: the registry holds it as \"{}\"{kept}",
            first.number.map(|n| n.to_string()).unwrap_or_default(),
            what(first)
        )
    } else {
        format!(
            "{} are not free: the registry holds them as \"{}\"{}",
            places_by_transport(&numbers),
            what(first),
            if records.iter().all(|(_, r)| what(r) == what(first)) {
                String::new()
            } else {
                " and the like".to_string()
            }
        )
    };
    let transports: Vec<&str> = numbers.iter().map(|(t, _)| t.as_str()).collect();
    let f = out.report(Rule::ConflictPortReserved, Some(port.span), message);
    f.label(format!("reserved on {}", transports.join(" and ")));
    for (_, r) in records.iter().take(MAX_RELATED) {
        f.related_record(r.index, RecordField::Number, format!("{} here", what(r)));
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
    // The requested transports that are free (on the others, the other conflict rules speak).
    let free: Vec<Transport> = holders(cx, registry)
        .into_iter()
        .filter(|(_, hs)| hs.is_empty())
        .map(|(t, _)| t)
        .collect();
    if free.is_empty() {
        return;
    }
    let mut numbers = Vec::new();
    let mut records: Vec<&Record> = Vec::new();
    let mut seen = BTreeSet::new();
    for u in Transport::ALL {
        if requested.contains(&u) {
            continue;
        }
        for port_no in lo..=hi {
            for r in registry.records_at(u, port_no) {
                let Some(name) = r.name.as_deref() else {
                    continue;
                };
                if r.protocol != Some(u) || Some(name.to_ascii_lowercase()) == own {
                    continue;
                }
                // An extension of a service held under another name of the same
                // service (`www` and `http`, `canit_store` and `canit-store`).
                if cx.entry.is_extend()
                    && own
                        .as_deref()
                        .is_some_and(|o| registry.registry.same_service(o, name))
                {
                    continue;
                }
                note(&mut numbers, u, std::iter::once(port_no));
                if seen.insert(r.index) {
                    records.push(r);
                }
            }
        }
    }
    let Some(first) = records.first() else { return };
    let free_names: Vec<&str> = free.iter().map(|t| t.as_str()).collect();
    let single = numbers.iter().map(|(_, n)| n.len()).sum::<usize>() == 1;
    let message = if records.len() == 1 && single {
        let n = numbers
            .iter()
            .flat_map(|(_, s)| s.iter())
            .next()
            .copied()
            .unwrap_or(lo);
        let free_places: Vec<String> = free.iter().map(|t| format!("{t}/{n}")).collect();
        format!(
            "{} {} free, but {} belongs to `{}`; IANA normally keeps such numbers for the same service",
            free_places.join(" and "),
            if free.len() == 1 { "is" } else { "are" },
            places_by_transport(&numbers),
            first.name.as_deref().unwrap_or_default()
        )
    } else {
        format!(
            "the requested numbers are free on {}, but {} belong to other services ({}); IANA normally keeps such numbers for the same service",
            free_names.join(" and "),
            places_by_transport(&numbers),
            named_records(&records)
        )
    };
    let others: Vec<&str> = numbers.iter().map(|(t, _)| t.as_str()).collect();
    let f = out.report(Rule::ConflictPortOtherTransport, Some(port.span), message);
    f.label(format!("assigned on {}", others.join(" and ")));
    for r in records.iter().take(MAX_RELATED) {
        let name = r.name.as_deref().unwrap_or_default();
        f.related_record(
            r.index,
            RecordField::Number,
            format!("`{name}` holds {}", record_place(r)),
        );
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
    // Per name: where it was first requested, by whom, and on which transports.
    let mut names: HashMap<String, (Place, Option<String>, Vec<Transport>)> = HashMap::new();
    let mut singles: HashMap<(Transport, u16), Place> = HashMap::new();
    let mut ranges: Vec<(Transport, u16, u16, Place)> = Vec::new();
    for d in &cx.drafts {
        for entry in &d.draft.entries {
            // A change of registered records asks for no name or number.
            if entry.kind().is_change() {
                continue;
            }
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
                let party = party_key(d.draft, entry);
                let transports = entry.known_transports();
                match names.get_mut(&key) {
                    // One service written as a tcp entry and a udp entry by the same party.
                    Some((_, Some(p), seen))
                        if party.as_ref() == Some(p)
                            && !transports.is_empty()
                            && transports.iter().all(|t| !seen.contains(t)) =>
                    {
                        seen.extend(transports);
                    }
                    Some(&mut (earlier, _, _)) => {
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
                        names.insert(key, ((d.file, n.span), party, transports));
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

/// Who asks for an entry, to tell one party's entries from another's: the assignee (else the
/// contact) as an id, or an inline person's email, lower case.
fn party_key(draft: &crate::model::draft::Draft, entry: &Entry) -> Option<String> {
    use crate::model::draft::{strip_brackets, PersonRef};
    let who = entry.assignee.as_ref().or(entry.contact.as_ref())?;
    match &who.value {
        PersonRef::Id(id) => {
            let id = strip_brackets(id);
            let email = draft.person(id).and_then(|p| p.email.as_ref());
            Some(email.map_or_else(
                || format!("id:{}", id.to_ascii_lowercase()),
                |e| e.value.trim().to_ascii_lowercase(),
            ))
        }
        PersonRef::Inline(p) => p
            .email
            .as_ref()
            .map(|e| e.value.trim().to_ascii_lowercase()),
    }
}

/// Why a named record on a requested number is shared with the request rather than taken
/// from it (lifecycle.md §3): the request's assignee is the IESG (an IETF overload such as
/// 3478 or 465), the record's holders are the requesting party itself, or the entry's notes
/// make it an alias of the record's name.
fn shared_with(cx: &EntryCx<'_>, registry: View<'_>, r: &Record) -> Option<&'static str> {
    let reg = Some(registry.registry);
    if cx
        .entry
        .assignee
        .as_ref()
        .is_some_and(|a| Party::of_ref(&a.value, cx.draft, reg).is_iesg())
    {
        return Some("the request's assignee is the IESG (an IETF overload)");
    }
    let name = r.name.as_deref().unwrap_or_default();
    if cx
        .entry
        .notes
        .as_ref()
        .and_then(|n| crate::registry::alias_in(&n.value))
        .is_some_and(|a| registry.registry.same_service(a, name))
    {
        return Some("the entry's notes make it an alias of that name");
    }
    let parties = Party::of_entry(cx.entry, cx.draft, reg);
    party::holds(&parties, r, reg).then_some("the requesting party holds it")
}

fn port_shared(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(port)) = (view(cx), &cx.entry.port) else {
        return;
    };
    for (t, hs) in holders(cx, registry) {
        for h in hs {
            let Holder::Named(r) = h else { continue };
            let Some(why) = shared_with(cx, registry, r) else {
                continue;
            };
            let name = r.name.as_deref().unwrap_or_default();
            let people = record_people(r);
            let people = if people.is_empty() {
                String::new()
            } else {
                format!(" ({people})")
            };
            out.report(
                Rule::ConflictPortShared,
                Some(port.span),
                format!(
                    "{t}/{} is already assigned to `{name}`{people}; it would be shared: {why}",
                    r.number.map(|n| n.to_string()).unwrap_or_default()
                ),
            )
            .label(format!("shared on {t}"))
            .related_record(
                r.index,
                RecordField::Number,
                format!("`{name}` holds {}", record_place(r)),
            );
        }
    }
}

/// Requested numbers that are Reserved after a de-assignment (and held by no named record).
fn port_deassigned(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(port)) = (view(cx), &cx.entry.port) else {
        return;
    };
    if !cx.entry.asks_for_number() {
        return;
    }
    let Some((lo, hi)) = port.value.range() else {
        return;
    };
    // One finding per entry, however many numbers of a range were de-assigned.
    let mut numbers = Vec::new();
    let mut records: Vec<(&Record, crate::registry::Deassignment)> = Vec::new();
    for t in cx.entry.known_transports() {
        for p in lo..=hi {
            let at = registry.records_at(t, p);
            if at.iter().any(|r| r.name.is_some()) {
                continue; // assigned: the other conflict rules speak
            }
            for r in at {
                let Some(d) = crate::registry::deassignment(r) else {
                    continue;
                };
                note(&mut numbers, t, std::iter::once(p));
                if !records.iter().any(|(x, _)| x.index == r.index) {
                    records.push((r, d));
                }
            }
        }
    }
    let Some((_, d)) = records.first() else {
        return;
    };
    let message = if records.len() == 1 {
        format!(
            "{} {} Reserved after a de-assignment ({}); RFC 6335 §8.2 keeps de-assigned numbers out of reassignment while unassigned ones remain",
            places_by_transport(&numbers),
            if numbers.iter().map(|(_, n)| n.len()).sum::<usize>() == 1 { "is" } else { "are" },
            d.describe()
        )
    } else {
        let named: Vec<String> = records
            .iter()
            .take(MAX_RELATED)
            .map(|(r, d)| format!("{} ({})", record_place(r), d.describe()))
            .collect();
        format!(
            "{} are Reserved after de-assignments: {}{}; RFC 6335 §8.2 keeps de-assigned numbers out of reassignment while unassigned ones remain",
            places_by_transport(&numbers),
            named.join(", "),
            more_records(records.len(), named.len())
        )
    };
    let transports: Vec<&str> = numbers.iter().map(|(t, _)| t.as_str()).collect();
    let f = out.report(Rule::ConflictPortDeassigned, Some(port.span), message);
    f.label(format!("de-assigned on {}", transports.join(" and ")));
    for (r, _) in records.iter().take(MAX_RELATED) {
        f.related_record(
            r.index,
            RecordField::Number,
            "the de-assignment is recorded here".to_string(),
        );
    }
}

/// A new name that a de-assignment note remembers as a former service's name.
fn name_deassigned(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(name)) = (view(cx), &cx.entry.name) else {
        return;
    };
    if !cx.entry.asks_for_number() || cx.entry.is_extend() || name.value.trim().is_empty() {
        return;
    }
    let crate::registry::NameStatus::Historic(ds) = registry.registry.name_status(&name.value)
    else {
        return;
    };
    let Some(first) = ds.first() else { return };
    let when = first
        .date
        .as_ref()
        .map(|d| format!(" on {d}"))
        .unwrap_or_default();
    let place = registry
        .registry
        .records
        .get(first.record)
        .map(|r| format!(" ({})", record_place(r)))
        .unwrap_or_default();
    let f = out.report(
        Rule::ConflictNameDeassigned,
        Some(name.span),
        format!(
            "`{}` was the name of a service de-assigned{when}{place}; a new service under an old name confuses clients that still know the old one",
            name.value
        ),
    );
    f.label("a historic service name");
    for d in ds.iter().take(MAX_RELATED) {
        f.related_record(
            d.record,
            RecordField::Whole,
            "the de-assignment note names it".to_string(),
        );
    }
}

/// `kind = "extend"` by a party that holds none of the name's records.
fn extend_not_holder(cx: &EntryCx<'_>, out: &mut Sink) {
    let (Some(registry), Some(name)) = (view(cx), &cx.entry.name) else {
        return;
    };
    if !cx.entry.is_extend() {
        return;
    }
    let records = name_records(cx, registry);
    let with_holders: Vec<&Record> = records
        .iter()
        .copied()
        .filter(|r| !r.assignee.is_empty() || !r.contact.is_empty())
        .collect();
    let reg = Some(registry.registry);
    let parties = Party::of_entry(cx.entry, cx.draft, reg);
    if with_holders.is_empty() || parties.is_empty() {
        return;
    }
    if with_holders.iter().any(|r| party::holds(&parties, r, reg)) {
        return;
    }
    let shown = with_holders[0].name.as_deref().unwrap_or(&name.value);
    let people = record_people(with_holders[0]);
    let at = cx
        .entry
        .assignee
        .as_ref()
        .map(|a| a.span)
        .or(cx.entry.contact.as_ref().map(|c| c.span))
        .unwrap_or(name.span);
    let f = out.report(
        Rule::ConflictExtendNotHolder,
        Some(at),
        format!(
            "`{shown}` is held by {people}; this extension's assignee and contact are neither its assignee nor its contact, so IANA will ask the holder to confirm"
        ),
    );
    f.label("not the holder of the name");
    add_related(f, &with_holders, RecordField::Name, "held as");
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
