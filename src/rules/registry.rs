//! `registry/`: the registry itself. `registry/unavailable` and `registry/stale` are about a
//! `check` run; the record rules here run in `registry lint` (see `crate::records`);
//! `registry/malformed` is reported when a registry is loaded and `registry/removed` by
//! `registry diff`.

use crate::diagnostic::{Finding, Sink};
use std::hash::{Hash, Hasher};

use crate::model::{PortRange, Transport};
use crate::registry::fxhash::{FxHashMap, FxHasher};
use crate::registry::{Format, Record, Registry};
use crate::rules::view::record_place;
use crate::rules::{Check, RegistryCx, Rule, Run, RunCx, Stage};

pub const CHECKS: &[Check] = &[
    Check {
        rule: Rule::RegistryUnavailable,
        run: Run::AllDrafts(unavailable),
    },
    Check {
        rule: Rule::RegistryStale,
        run: Run::AllDrafts(stale),
    },
    Check {
        rule: Rule::RegistryMalformed,
        run: Run::Stage(Stage::RegistryLoad),
    },
    Check {
        rule: Rule::RegistryUnknownPerson,
        run: Run::Registry(unknown_person),
    },
    Check {
        rule: Rule::RegistryDuplicateRecord,
        run: Run::Registry(duplicate_record),
    },
    Check {
        rule: Rule::RegistryLegacyName,
        run: Run::Legacy(legacy_name),
    },
    Check {
        rule: Rule::RegistryBadDate,
        run: Run::Registry(bad_date),
    },
    Check {
        rule: Rule::RegistryRemoved,
        run: Run::Stage(Stage::RegistryDiff),
    },
    Check {
        rule: Rule::RegistryScUnregistered,
        run: Run::Stage(Stage::CrossRegistry),
    },
    Check {
        rule: Rule::RegistryScUnrecorded,
        run: Run::Stage(Stage::CrossRegistry),
    },
    Check {
        rule: Rule::RegistryScClass,
        run: Run::Stage(Stage::CrossRegistry),
    },
    Check {
        rule: Rule::RegistrySchema,
        run: Run::Registry(schema),
    },
];

fn unavailable(cx: &RunCx<'_>, out: &mut Sink) {
    if cx.registry_missing {
        out.report(
            Rule::RegistryUnavailable,
            None,
            "no registry was found, so the conflict rules were skipped",
        )
        .help("run `portreg registry update`, or pass `--registry <FILE>` (or set PORTREG_REGISTRY) to check names and ports against the registry; `--no-registry` silences this");
    }
}

/// Older than this, the registry in use is reported as stale.
pub const STALE_AFTER_DAYS: i64 = 60;

/// `YYYY-MM-DD`, or `YYYY-MM` read as the first of the month.
pub fn parse_registry_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| chrono::NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok())
}

fn stale(cx: &RunCx<'_>, out: &mut Sink) {
    let Some(registry) = cx.registry else {
        return;
    };
    // The copy's age counts, not IANA's publishing rhythm: a copy fetched yesterday is
    // current even when IANA has published nothing for months.
    let (date, what) = if let Some(fetched) = cx.fetched {
        (fetched, format!("was fetched on {fetched}"))
    } else {
        let Some(updated) = registry.updated.as_deref() else {
            return;
        };
        let Some(date) = parse_registry_date(updated) else {
            return;
        };
        (date, format!("was last updated on {updated}"))
    };
    let days = (cx.today - date).num_days();
    if days > STALE_AFTER_DAYS {
        out.report(
            Rule::RegistryStale,
            None,
            format!(
                "the registry in use (`{}`) {what}, {days} days ago; \
                 names and ports assigned since then are not checked",
                registry.path
            ),
        )
        .help("run `portreg registry update` to download the current registry into the user cache (or refresh the file you pass with `--registry`)");
    }
}

/// A legacy name that breaks RFC 6335 §5.1, which the `syntax` rules would report on a new
/// record.
fn legacy_name(r: &Record, out: &mut Sink) {
    let Some(name) = &r.name else { return };
    let Some(problem) = crate::rules::name::section_5_1_problem(name) else {
        return;
    };
    let when = r.date.as_deref().map_or_else(
        || "legacy: no registration date".to_string(),
        |d| format!("legacy: registered {d}, before RFC 6335"),
    );
    let mut f = Finding::new(
        Rule::RegistryLegacyName,
        Some(r.name_span().unwrap_or(r.span)),
        format!("name `{name}` breaks RFC 6335 §5.1: {problem} ({when})"),
    );
    f.label = Some("legacy name".into());
    out.findings.push(f);
}

/// Findings about record `r`: `registry lint` adds its name and key.
fn about(mut f: Finding, r: &Record) -> Finding {
    f.entry = Some(r.index);
    f
}

fn duplicate_record(cx: &RegistryCx<'_>, out: &mut Sink) {
    // The identity (`name protocol number`, the name in any case) as a tuple: formatting
    // it for 14,533 records costs more than the rest of the check.
    let mut first: FxHashMap<_, &Record> = FxHashMap::default();
    first.reserve(cx.registry.records.len());
    for r in cx.registry.records.iter() {
        let Some(key) = duplicate_key(r) else {
            continue;
        };
        match first.get(&key) {
            Some(prev) => out.findings.extend(duplicate(prev, r)),
            None => {
                first.insert(key, r);
            }
        }
    }
}

/// What makes two named records the same registration: the name in any case, the protocol
/// and the number.
fn duplicate_key(r: &Record) -> Option<(String, Option<Transport>, Option<PortRange>)> {
    let name = r.name.as_ref()?;
    Some((name.to_ascii_lowercase(), r.protocol, r.number))
}

/// A hash of [`duplicate_key`] computed without allocating, for `registry lint`, which
/// does not keep its records: equal keys have equal hashes.
pub(crate) fn duplicate_hash(r: &Record) -> Option<u64> {
    let name = r.name.as_ref()?;
    let mut h = FxHasher::default();
    for chunk in name.as_bytes().chunks(8) {
        let mut w = [0u8; 8];
        for (d, s) in w.iter_mut().zip(chunk) {
            *d = s.to_ascii_lowercase();
        }
        h.write(w.get(..chunk.len()).unwrap_or(&w));
    }
    r.protocol.hash(&mut h);
    r.number.hash(&mut h);
    Some(h.finish())
}

/// `registry/duplicate-record` from the [`duplicate_hash`]es of the named records, in record
/// order; the same findings as the check over parsed records. Records are parsed (and kept)
/// only where hashes meet, to compare their keys.
pub(crate) fn duplicates_by_hash(
    registry: &Registry,
    hashes: impl Iterator<Item = (usize, u64)>,
    out: &mut Sink,
) {
    // The first record of each hash; `more`: the first record of each further key with a
    // hash already taken (a 64-bit collision, so in practice empty).
    let mut first: FxHashMap<u64, usize> = FxHashMap::default();
    first.reserve(registry.records.len());
    let mut more: Vec<(u64, usize)> = Vec::new();
    for (i, h) in hashes {
        let Some(&j) = first.get(&h) else {
            first.insert(h, i);
            continue;
        };
        let Some(r) = registry.records.get(i) else {
            continue;
        };
        let key = duplicate_key(r);
        let extra = more.iter().filter(|(g, _)| *g == h).map(|&(_, k)| k);
        let prev = std::iter::once(j)
            .chain(extra)
            .filter_map(|k| registry.records.get(k))
            .find(|p| duplicate_key(p) == key);
        match prev {
            Some(prev) => out.findings.extend(duplicate(prev, r)),
            None => more.push((h, i)),
        }
    }
}

/// The finding about `r`, a later record with the same key as `prev`, when the two describe
/// the same service.
fn duplicate(prev: &Record, r: &Record) -> Option<Finding> {
    // `rdp` is two different services (Reliable Data Protocol, Windows Remote Desktop)
    // under one legacy name: neither record is a copy of the other.
    if !same_service(prev, r) {
        return None;
    }
    let mut f = Finding::new(
        Rule::RegistryDuplicateRecord,
        Some(r.name_span().unwrap_or(r.span)),
        format!(
            "`{}` is registered twice with the same protocol and number ({})",
            r.name.as_deref().unwrap_or_default(),
            record_place(r)
        ),
    );
    f.label = Some("second record".into());
    f.secondary
        .push((prev.name_span().unwrap_or(prev.span), "first record".into()));
    Some(about(f, r))
}

/// Whether two records of one (name, protocol, number) describe the same service: the same
/// description (ignoring case and spacing), the same people, or a person in common.
fn same_service(a: &Record, b: &Record) -> bool {
    let words = |s: &str| {
        s.split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
    };
    let people = |r: &Record| {
        r.assignee
            .iter()
            .chain(&r.contact)
            .map(|p| p.to_ascii_lowercase())
            .collect::<Vec<_>>()
    };
    let (pa, pb) = (people(a), people(b));
    words(&a.description) == words(&b.description) || pa == pb || pa.iter().any(|p| pb.contains(p))
}

fn unknown_person(cx: &RegistryCx<'_>, out: &mut Sink) {
    if cx.registry.format != Format::Xml {
        return;
    }
    for r in &cx.registry.records {
        unknown_persons_of(cx.registry, r, out);
    }
}

/// `registry/unknown-person` in one record.
pub(crate) fn unknown_persons_of(registry: &Registry, r: &Record, out: &mut Sink) {
    // A CSV registry has no people table to check against.
    if registry.format != Format::Xml {
        return;
    }
    for (id, span) in &r.person_spans {
        if !registry.has_person(id) {
            let mut f = Finding::new(
                Rule::RegistryUnknownPerson,
                Some(*span),
                format!("person `{id}` has no `<person>` entry in `<people>`"),
            );
            f.label = Some("unknown id".into());
            out.findings.push(about(f, r));
        }
    }
}

fn bad_date(cx: &RegistryCx<'_>, out: &mut Sink) {
    for r in &cx.registry.records {
        bad_dates_of(r, cx.today, out);
    }
}

/// `registry/bad-date` in one record.
pub(crate) fn bad_dates_of(r: &Record, today: chrono::NaiveDate, out: &mut Sink) {
    for (what, value, span) in [
        ("date", &r.date, r.date_span()),
        ("updated", &r.updated, r.updated_span()),
    ] {
        if let (Some(v), Some(span)) = (value, span) {
            if let Some(why) = date_problem(v, today) {
                let mut f = Finding::new(
                    Rule::RegistryBadDate,
                    Some(span),
                    format!("`{what}=\"{v}\"`: {why}"),
                );
                f.label = Some(why);
                out.findings.push(about(f, r));
            }
        }
    }
}

/// Why a registry date is wrong: not `YYYY-MM` / `YYYY-MM-DD`, or in the future.
pub fn date_problem(value: &str, today: chrono::NaiveDate) -> Option<String> {
    let v = value.trim();
    let well_formed = v.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        _ => b.is_ascii_digit(),
    });
    // Digits in place: read them directly (chrono's format parser, 29,000 times, is slow).
    let num = |r: std::ops::Range<usize>| v.get(r).and_then(|d| d.parse::<u32>().ok());
    let date = match v.len() {
        7 | 10 if well_formed => {
            let day = if v.len() == 10 { num(8..10) } else { Some(1) };
            match (num(0..4), num(5..7), day) {
                (Some(y), Some(m), Some(d)) => {
                    chrono::NaiveDate::from_ymd_opt(i32::try_from(y).unwrap_or(0), m, d)
                }
                _ => None,
            }
        }
        _ => None,
    };
    match date {
        Some(d) if well_formed => (d > today).then(|| format!("{v} is in the future")),
        // The form is right and the calendar is not: say which part does not exist.
        None if well_formed && (v.len() == 7 || v.len() == 10) => Some(missing_part(v)),
        _ => Some("not a date of the form YYYY-MM or YYYY-MM-DD".into()),
    }
}

/// Why a well-formed `YYYY-MM(-DD)` is no date: the month or the day does not exist.
pub(crate) fn missing_part(v: &str) -> String {
    let month: u32 = v.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    if !(1..=12).contains(&month) {
        let form = if v.len() == 7 {
            "YYYY-MM"
        } else {
            "YYYY-MM-DD"
        };
        return format!("{v} has the form {form} but month {month:02} does not exist");
    }
    let day = v.get(8..10).unwrap_or("");
    format!(
        "{v} has the form YYYY-MM-DD but day {day} does not exist in {}",
        v.get(..7).unwrap_or(v)
    )
}

/// IANA's RELAX NG schema, checked natively (`crate::registry::schema`).
fn schema(cx: &RegistryCx<'_>, out: &mut Sink) {
    if cx.registry.format != Format::Xml {
        return;
    }
    let violations = match cx.schema {
        Some(v) => std::borrow::Cow::Borrowed(v),
        None => std::borrow::Cow::Owned(crate::registry::schema::validate(cx.registry.source())),
    };
    for v in violations.iter().cloned() {
        let mut f = Finding::new(Rule::RegistrySchema, Some(v.span), v.message);
        f.label = Some(v.label.into());
        if let Some((span, label)) = v.related {
            f.secondary.push((span, label.into()));
        }
        f.entry = v.record;
        out.findings.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::{date_problem, duplicate_hash, duplicate_record, duplicates_by_hash, same_service};
    use crate::diagnostic::Sink;
    use crate::registry::{Record, Registry};
    use crate::rules::RegistryCx;

    /// `registry lint`'s duplicate check from key hashes gives the findings of the check
    /// over parsed records, also when every hash collides (the path real keys never take).
    #[test]
    fn duplicates_by_hash_match_the_full_check() {
        let rec = |name: &str, number: u16, description: &str, person: &str| {
            format!(
                "<record><name>{name}</name><protocol>tcp</protocol><description>{description}\
                 </description><number>{number}</number><xref type=\"person\" data=\"{person}\"/></record>"
            )
        };
        let records = [
            rec("alpha", 1, "Alpha", "A"),
            rec("beta", 2, "Beta", "B"),
            rec("ALPHA", 1, "alpha", "C"),
            rec("beta", 2, "Other service", "D"),
            rec("gamma", 3, "Gamma", "G"),
            rec("Beta", 2, "beta", "E"),
            rec("gamma", 4, "Gamma", "G"),
        ]
        .concat();
        let xml = format!(
            "<?xml version='1.0' encoding='UTF-8'?>\n<registry xmlns=\"http://www.iana.org/assignments\" \
             id=\"service-names-port-numbers\"><title>t</title>{records}</registry>\n"
        );
        let Ok(registry) = Registry::from_bytes("dup.xml", xml.into_bytes()) else {
            panic!("the test registry loads");
        };
        let mut expected = Sink::default();
        let cx = RegistryCx {
            registry: &registry,
            today: chrono::NaiveDate::from_ymd_opt(2026, 8, 17).unwrap_or_default(),
            schema: None,
        };
        duplicate_record(&cx, &mut expected);
        assert_eq!(expected.findings.len(), 2);
        let hashes: Vec<(usize, u64)> = registry
            .records
            .iter()
            .filter_map(|r| duplicate_hash(r).map(|h| (r.index, h)))
            .collect();
        for colliding in [false, true] {
            let mut found = Sink::default();
            let hashes = hashes
                .iter()
                .map(|&(i, h)| (i, if colliding { 0 } else { h }));
            duplicates_by_hash(&registry, hashes, &mut found);
            assert_eq!(found.findings, expected.findings, "colliding: {colliding}");
        }
    }

    fn record(description: &str, people: &[&str]) -> Record {
        let mut r = Record::empty(0, crate::source::Span::new(0, 0));
        r.name = Some("rdp".into());
        r.description = description.into();
        r.contact = people.iter().map(|p| p.to_string()).collect();
        r
    }

    #[test]
    fn duplicates_describe_one_service() {
        // IANA's `rdp` pair: two services, two descriptions, no person in common.
        let reliable = record("Reliable Data Protocol", &[]);
        let desktop = record("Windows Remote Desktop Protocol", &["Jugaari"]);
        assert!(!same_service(&reliable, &desktop));
        // The same description, the same people, or a person in common: one service.
        assert!(same_service(
            &record("Twin  echo", &["A"]),
            &record("twin echo", &["B"])
        ));
        assert!(same_service(&record("x", &[]), &record("y", &[])));
        assert!(same_service(
            &record("x", &["A", "B"]),
            &record("y", &["b"])
        ));
    }

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
        assert_eq!(
            date_problem("2026-11-31", today).as_deref(),
            Some("2026-11-31 has the form YYYY-MM-DD but day 31 does not exist in 2026-11")
        );
        assert_eq!(
            date_problem("2011-13", today).as_deref(),
            Some("2011-13 has the form YYYY-MM but month 13 does not exist")
        );
    }
}
