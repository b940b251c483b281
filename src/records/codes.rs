//! `registry lint` with a DCCP Service Codes registry: the two registries against each other
//! (RFC 6335 §10.3.2 wants a DCCP port's codes in the port registry's `<sc>`; RFC 4340 §19.8
//! and RFC 5595 §2 define the classes of codes). Findings are about either file.

use std::collections::BTreeMap;

use crate::codes::{CodeRow, ServiceCodes};
use crate::diagnostic::Finding;
use crate::model::service_code::{self, class, describe, ScClass, PRIVATE_USE};
use crate::model::Transport;
use crate::registry::{Record, RefKind, Registry};
use crate::rules::view::{identity, record_place};
use crate::rules::Rule;

/// Findings about the port registry's records, and findings about the codes registry's rows.
#[derive(Debug, Default)]
pub struct CrossFindings {
    pub registry: Vec<Finding>,
    pub codes: Vec<Finding>,
}

/// Checks the two registries against each other.
pub fn cross_check(registry: &Registry, codes: &ServiceCodes) -> CrossFindings {
    let mut out = CrossFindings::default();
    unregistered(registry, codes, &mut out.registry);
    unrecorded(registry, codes, &mut out.registry);
    for row in &codes.rows {
        out.codes.extend(row_class(codes, row));
    }
    out
}

fn stamp(mut f: Finding, r: &Record) -> Finding {
    f.entry = Some(r.index);
    f.name = r.name.clone();
    f.key = Some(identity(r));
    f
}

/// The row whose range covers `code`.
fn row_of(codes: &ServiceCodes, code: u32) -> Option<&CodeRow> {
    codes.rows.iter().find(|r| r.lo <= code && code <= r.hi)
}

/// `registry/sc-unregistered`: an `<sc>` of the port registry that the codes registry does
/// not assign.
fn unregistered(registry: &Registry, codes: &ServiceCodes, out: &mut Vec<Finding>) {
    for r in &registry.records {
        let Some(span) = r.sc_span() else { continue };
        let Some(v) = r
            .service_code
            .as_deref()
            .and_then(|s| service_code::parse(s).ok())
            .and_then(|v| u32::try_from(v).ok())
        else {
            continue;
        };
        // 0, Private Use and the invalid code are the `sc/` rules' business.
        if !matches!(
            class(v),
            ScClass::SpecificationRequired | ScClass::FirstComeFirstServed
        ) || codes.assignment(v).is_some()
        {
            continue;
        }
        let name = r.name.as_deref().unwrap_or("an unnamed record");
        let mut f = Finding::new(
            Rule::RegistryScUnregistered,
            Some(span),
            format!(
                "service code {} of `{name}` ({}) is not assigned in the DCCP Service Codes registry",
                describe(v),
                record_place(r)
            ),
        );
        f.label("not in the Service Codes registry");
        if let Some(row) = row_of(codes, v) {
            f.related_excerpt(
                codes.excerpt(row, row.value_span),
                format!("the Service Codes registry lists it as {}", row.summary()),
            );
        }
        out.push(stamp(f, r));
    }
}

/// `registry/sc-unrecorded`: a code the codes registry assigns under an RFC whose DCCP port
/// records (named, with a number, citing that RFC) carry no `<sc>`.
fn unrecorded(registry: &Registry, codes: &ServiceCodes, out: &mut Vec<Finding>) {
    // RFC number -> the codes assigned under it.
    let mut by_rfc: BTreeMap<u32, Vec<&CodeRow>> = BTreeMap::new();
    for row in codes.assignments() {
        for n in row.rfcs() {
            by_rfc.entry(n).or_default().push(row);
        }
    }
    for r in &registry.records {
        if r.protocol != Some(Transport::Dccp)
            || r.name.is_none()
            || r.number.is_none()
            || r.sc_span().is_some()
        {
            continue;
        }
        let mut rows: Vec<&CodeRow> = Vec::new();
        let mut rfcs: Vec<u32> = Vec::new();
        for x in r.references.iter().filter(|x| x.kind == RefKind::Rfc) {
            let Some(n) = x.data.get(3..).and_then(|d| d.parse::<u32>().ok()) else {
                continue;
            };
            if let Some(found) = by_rfc.get(&n) {
                rfcs.push(n);
                for c in found {
                    if !rows.contains(c) {
                        rows.push(c);
                    }
                }
            }
        }
        if rows.is_empty() {
            continue;
        }
        let name = r.name.as_deref().unwrap_or_default();
        let list: Vec<String> = rows.iter().map(|c| code_name(c)).collect();
        let rfc_list: Vec<String> = rfcs.iter().map(|n| format!("RFC {n}")).collect();
        let mut f = Finding::new(
            Rule::RegistryScUnrecorded,
            Some(r.name_span().unwrap_or(r.span)),
            format!(
                "`{name}` ({}) records no service code, but the DCCP Service Codes registry \
                 assigns {} under its specification {}",
                record_place(r),
                list.join(", "),
                rfc_list.join(", ")
            ),
        );
        f.label("no <sc>");
        f.help("record the port's service codes in its `<sc>` (RFC 6335 §10.3.2), or correct the reference");
        for row in rows.iter().take(3) {
            f.related_excerpt(
                codes.excerpt(row, row.value_span),
                format!("{} {}", code_name(row), row.summary()),
            );
        }
        out.push(stamp(f, r));
    }
}

/// `SC:RTPA` or `7107696`.
fn code_name(row: &CodeRow) -> String {
    service_code::as_sc_text(row.lo).unwrap_or_else(|| row.lo.to_string())
}

/// `registry/sc-class`: a row that contradicts the classes RFC 4340 §19.8 and RFC 5595 §2.3
/// define.
fn row_class(codes: &ServiceCodes, row: &CodeRow) -> Option<Finding> {
    let (plo, phi) = PRIVATE_USE;
    let overlaps = row.lo <= phi && plo <= row.hi;
    let message = if row.is_private_use() {
        let below = (row.lo < plo).then(|| (row.lo, row.hi.min(plo - 1)));
        let above = (row.hi > phi).then(|| (row.lo.max(phi + 1), row.hi));
        let outside: Vec<String> = below
            .into_iter()
            .chain(above)
            .map(|(a, b)| range_text(a, b))
            .collect();
        if outside.is_empty() {
            return None;
        }
        let count: u64 = below
            .into_iter()
            .chain(above)
            .map(|(a, b)| u64::from(b - a) + 1)
            .sum();
        let note = if codes
            .notes
            .iter()
            .any(|n| n.contains(&format!("{plo}-{phi}")))
        {
            ", as the registry's own note says"
        } else {
            ""
        };
        format!(
            "the row {} says Private Use, but only {plo}-{phi} (first byte `?`) is Private Use \
             (RFC 4340 §19.8, RFC 5595 §2.3{note}); {} ({count} codes) are not",
            row.value_text(),
            outside.join(" and ")
        )
    } else if row.is_assignment()
        && class(row.lo) != ScClass::SpecificationRequired
        && class(row.lo) != ScClass::FirstComeFirstServed
    {
        format!(
            "the row assigns {}, which RFC 4340 §19.8 does not allow to be assigned ({})",
            describe(row.lo),
            match class(row.lo) {
                ScClass::Reserved => "code 0 is permanently reserved",
                ScClass::Invalid => "4294967295 is not a valid service code",
                _ => "it is in the Private Use block",
            }
        )
    } else if overlaps && !row.is_assignment() {
        format!(
            "the row {} says `{}`, but {} of it is the Private Use block (RFC 4340 §19.8, \
             RFC 5595 §2.3)",
            row.value_text(),
            row.description,
            range_text(row.lo.max(plo), row.hi.min(phi))
        )
    } else {
        return None;
    };
    let mut f = Finding::new(Rule::RegistryScClass, Some(row.value_span), message);
    f.label("contradicts RFC 4340 §19.8");
    f.key = Some(format!("service-code {}", row.value_text()));
    Some(f)
}

fn range_text(a: u32, b: u32) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}-{b}")
    }
}
