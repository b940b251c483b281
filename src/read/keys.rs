//! The keys the draft format defines, and "did you mean" suggestions for the rest.

use crate::model::draft::EntryKind;

pub const TOP: &[&str] = &["format", "entry", "people"];
pub const ENTRY: &[&str] = &[
    "name",
    "transport",
    "port",
    "description",
    "assignee",
    "contact",
    "reference",
    "service-code",
    "txt-keys",
    "notes",
    "unauthorized",
    "kind",
    "justification",
    "lint",
    "requester",
    "changes",
    "keep-name",
    "no-longer-used",
    "succession",
    "previous",
    "to",
];
/// `[entry.changes]` of a `modify` (lifecycle.md §2).
pub const CHANGES: &[&str] = &[
    "description",
    "contact",
    "reference",
    "notes",
    "name",
    "assignee",
];

/// The entry keys only lifecycle kinds have, each with the kinds it belongs to.
const LIFECYCLE_KEYS: &[(&str, &[EntryKind])] = &[
    (
        "requester",
        &[
            EntryKind::Modify,
            EntryKind::Deassign,
            EntryKind::Reuse,
            EntryKind::Transfer,
        ],
    ),
    ("changes", &[EntryKind::Modify]),
    ("succession", &[EntryKind::Modify]),
    ("keep-name", &[EntryKind::Deassign]),
    ("no-longer-used", &[EntryKind::Deassign]),
    ("previous", &[EntryKind::Reuse]),
    ("to", &[EntryKind::Transfer]),
];

/// The §8.1.1 template keys a change of registered records (`modify`, `deassign`,
/// `transfer`) does not take: `modify` says new values in `[entry.changes]`.
const TEMPLATE_ONLY: &[&str] = &[
    "description",
    "assignee",
    "contact",
    "service-code",
    "txt-keys",
    "notes",
    "unauthorized",
    "justification",
];

/// Whether the entry key `key` (one of [`ENTRY`]) belongs to an entry of `kind`.
pub fn belongs_to(key: &str, kind: EntryKind) -> bool {
    if let Some((_, kinds)) = LIFECYCLE_KEYS.iter().find(|(k, _)| *k == key) {
        return kinds.contains(&kind);
    }
    !(kind.is_change() && TEMPLATE_ONLY.contains(&key))
}

/// The entry keys of `kind`, in [`ENTRY`] order.
pub fn keys_of(kind: EntryKind) -> Vec<&'static str> {
    ENTRY
        .iter()
        .copied()
        .filter(|k| belongs_to(k, kind))
        .collect()
}
pub const JUSTIFICATION: &[&str] = &[
    "why-not-dynamic",
    "why-not-user",
    "cast",
    "why-multiple-transports",
    "why-multiple-ports",
    "security",
    "versioning",
    "discovery",
    "udp-congestion",
    "udp-discovery-only",
    "why-not-existing-port",
    "development-state",
    "differs-from-existing",
];
pub const CAST: &[&str] = &["broadcast", "multicast", "anycast"];
pub const PERSON: &[&str] = &["name", "org", "email", "uri"];
pub const LINT: &[&str] = &["allow"];
pub const ALLOW: &[&str] = &["rule", "reason"];

/// Edit distance over characters where swapping two neighbours counts as one edit
/// (optimal string alignment), so `tpc` is one edit from `tcp`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// The safe fix renaming the unknown key at `span` to `suggestion`, unless the renamed draft
/// would not be TOML (the table has that key already).
pub fn key_fix(
    text: &str,
    span: crate::source::Span,
    suggestion: &str,
) -> Option<crate::diagnostic::Fix> {
    let edit = crate::fix::key_edit(text, span, suggestion)?;
    let fix = crate::diagnostic::Fix::safe_edit(edit);
    let fixed = crate::fix::apply(text, &[&fix]);
    (fixed.applied == 1).then_some(fix)
}

/// The closest candidate, when it is close enough to be a plausible typo. Underscores and
/// case are forgiven first (`service_code`, `Service-Code`).
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let norm = word.to_ascii_lowercase().replace('_', "-");
    if let Some(c) = candidates.iter().find(|c| **c == norm) {
        return Some(c);
    }
    let (best, dist) = candidates
        .iter()
        .map(|c| (*c, edit_distance(&norm, c)))
        .min_by_key(|&(c, d)| (d, c))?;
    let limit = (best.chars().count().max(norm.chars().count()) / 3).max(1);
    (dist <= limit).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("descripton", ENTRY), Some("description"));
        assert_eq!(suggest("service_code", ENTRY), Some("service-code"));
        assert_eq!(suggest("transports", ENTRY), Some("transport"));
        assert_eq!(
            suggest("why-not-dynmic", JUSTIFICATION),
            Some("why-not-dynamic")
        );
        assert_eq!(suggest("colour", ENTRY), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("tpc", "tcp"), 1);
    }
}
