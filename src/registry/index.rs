//! Lookup tables built once when a registry is loaded: names (case-insensitive), ports per
//! transport (ranges included), service codes, people, and keys for similar-name search.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::model::Transport;

use super::model::{Person, Record, Registry};

/// How a registered name resembles a queried one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SimilarKind {
    /// Equal once hyphens are removed (case-insensitive): `foo-bar` / `foobar`.
    Hyphens,
    /// Equal after folding look-alike characters (lower case, `0`→`o`, `1`/`i`→`l`).
    LookAlike,
    /// One insertion, deletion or substitution apart (queries of 5+ characters only).
    OneEdit,
}

impl SimilarKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SimilarKind::Hyphens => "hyphens",
            SimilarKind::LookAlike => "look-alike",
            SimilarKind::OneEdit => "one-edit",
        }
    }
}

/// A registered name similar to (but not equal to) a queried name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Similar<'r> {
    /// The registered name, as first spelled in the registry.
    pub record_name: &'r str,
    pub kind: SimilarKind,
}

/// Minimum query length (in characters) for one-edit matches.
pub const ONE_EDIT_MIN_LEN: usize = 5;

#[derive(Clone, Debug)]
struct NameEntry {
    lower: Box<str>,
    /// Indexes of the records with this name (document order).
    records: Vec<u32>,
}

/// A range record in a per-transport table, sorted by `lo`; `max_hi` is the largest `hi`
/// of this and every earlier entry, so a backward scan can stop early.
#[derive(Clone, Copy, Debug)]
struct RangeEntry {
    lo: u16,
    hi: u16,
    max_hi: u16,
    record: u32,
}

/// Hashed keys of every distinct name, each table sorted by (hash, name id). Candidates
/// found by hash are always verified against the name itself, so collisions are harmless.
#[derive(Clone, Debug, Default)]
struct SimilarKeys {
    /// hash of the name without hyphens.
    hyphen_free: Vec<(u64, u32)>,
    /// hash of the look-alike fold.
    look_alike: Vec<(u64, u32)>,
    /// hash of the name and of the name with any one character deleted (symmetric delete).
    deletes: Vec<(u64, u32)>,
}

fn lookup(table: &[(u64, u32)], h: u64) -> impl Iterator<Item = u32> + '_ {
    let from = table.partition_point(|&(k, _)| k < h);
    table[from..]
        .iter()
        .take_while(move |&&(k, _)| k == h)
        .map(|&(_, id)| id)
}

impl SimilarKeys {
    fn build(names: &[NameEntry]) -> SimilarKeys {
        let mut k = SimilarKeys {
            hyphen_free: Vec::with_capacity(names.len()),
            look_alike: Vec::with_capacity(names.len()),
            deletes: Vec::with_capacity(names.len() * 12),
        };
        for (id, e) in names.iter().enumerate() {
            let id = id as u32;
            k.hyphen_free.push((fnv(&[&hyphen_key(&e.lower)]), id));
            k.look_alike.push((fnv(&[&look_alike_key(&e.lower)]), id));
            delete_keys(&e.lower, |h| k.deletes.push((h, id)));
        }
        k.hyphen_free.sort_unstable();
        k.look_alike.sort_unstable();
        k.deletes.sort_unstable();
        k.deletes.dedup();
        k
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Index {
    names: Vec<NameEntry>,
    by_lower: FastMap<Box<str>, u32>,
    /// Keys for `similar_names`, built on its first call (about 5 ms for the real registry,
    /// which a load that never asks for similar names need not pay).
    similar: OnceLock<SimilarKeys>,
    /// Per transport: (port, record) for single-port records, sorted.
    singles: [Vec<(u16, u32)>; 4],
    ranges: [Vec<RangeEntry>; 4],
    /// (service code, record), sorted.
    service_codes: Vec<(u32, u32)>,
    /// People indexes sorted by id.
    people_by_id: Vec<u32>,
    people_ids: Vec<Box<str>>,
}

/// FNV-1a as a `Hasher`, for the small string-keyed maps (deterministic and fast; the keys
/// are registry names, so hash flooding is not a concern).
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

fn lower(s: &str) -> Cow<'_, str> {
    let s = s.trim();
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

fn hyphen_key(lower: &str) -> String {
    lower.chars().filter(|&c| c != '-').collect()
}

fn look_alike_key(lower: &str) -> String {
    lower
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | 'i' => 'l',
            c => c,
        })
        .collect()
}

/// FNV-1a over the bytes of `parts` in order (deterministic, allocation-free).
fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in p.as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    // Separate "" from nothing-at-all and mix the length in.
    h ^ (parts.iter().map(|p| p.len() as u64).sum::<u64>()).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Hashes of `s` and of `s` with each single character deleted.
fn delete_keys(s: &str, mut f: impl FnMut(u64)) {
    f(fnv(&[s]));
    for (i, c) in s.char_indices() {
        f(fnv(&[&s[..i], &s[i + c.len_utf8()..]]));
    }
}

/// Whether `a` and `b` are exactly one insertion, deletion or substitution apart.
fn one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    match long.len() - short.len() {
        0 => {
            short
                .iter()
                .zip(long.iter())
                .filter(|(x, y)| x != y)
                .count()
                == 1
        }
        1 => {
            let prefix = short
                .iter()
                .zip(long.iter())
                .take_while(|(x, y)| x == y)
                .count();
            short[prefix..] == long[prefix + 1..]
        }
        _ => false,
    }
}

impl Index {
    pub(crate) fn build(records: &[Record], people: &[Person]) -> Index {
        let mut ix = Index::default();
        for (i, r) in records.iter().enumerate() {
            let ri = i as u32;
            if let Some(name) = &r.name {
                let l = lower(name);
                let id = match ix.by_lower.get(&*l) {
                    Some(&id) => id,
                    None => {
                        let id = ix.names.len() as u32;
                        let boxed: Box<str> = l.into();
                        ix.by_lower.insert(boxed.clone(), id);
                        ix.names.push(NameEntry {
                            lower: boxed,
                            records: Vec::new(),
                        });
                        id
                    }
                };
                if let Some(e) = ix.names.get_mut(id as usize) {
                    e.records.push(ri);
                }
            }
            if let Some(n) = r.number {
                let transports: &[Transport] = match &r.protocol {
                    Some(t) => std::slice::from_ref(t),
                    None => &Transport::ALL,
                };
                for t in transports {
                    if n.is_single() {
                        ix.singles[t.index()].push((n.lo, ri));
                    } else {
                        ix.ranges[t.index()].push(RangeEntry {
                            lo: n.lo,
                            hi: n.hi,
                            max_hi: n.hi,
                            record: ri,
                        });
                    }
                }
            }
            if let Some(code) = r.service_code.as_deref().and_then(parse_service_code) {
                ix.service_codes.push((code, ri));
            }
        }
        for v in &mut ix.singles {
            v.sort_unstable();
        }
        for v in &mut ix.ranges {
            v.sort_by_key(|e| (e.lo, e.record));
            let mut max = 0u16;
            for e in v.iter_mut() {
                max = max.max(e.hi);
                e.max_hi = max;
            }
        }
        ix.service_codes.sort_unstable();

        let mut by_id: Vec<u32> = (0..people.len() as u32).collect();
        by_id.sort_by(|&a, &b| {
            let pa = people.get(a as usize).map(|p| p.id.as_str());
            let pb = people.get(b as usize).map(|p| p.id.as_str());
            pa.cmp(&pb).then(a.cmp(&b))
        });
        ix.people_ids = by_id
            .iter()
            .map(|&i| {
                people
                    .get(i as usize)
                    .map_or_else(Box::default, |p| p.id.clone().into_boxed_str())
            })
            .collect();
        ix.people_by_id = by_id;
        ix
    }

    pub(crate) fn person(&self, id: &str) -> Option<usize> {
        let pos = self.people_ids.partition_point(|p| &**p < id);
        (self.people_ids.get(pos).map(|p| &**p) == Some(id))
            .then(|| self.people_by_id.get(pos).map(|&i| i as usize))
            .flatten()
    }

    fn name_records(&self, name: &str) -> &[u32] {
        self.by_lower
            .get(&*lower(name))
            .and_then(|&id| self.names.get(id as usize))
            .map_or(&[], |e| e.records.as_slice())
    }

    fn at(&self, t: Transport, port: u16) -> Vec<u32> {
        let mut out = Vec::new();
        let singles = &self.singles[t.index()];
        let from = singles.partition_point(|&(p, _)| p < port);
        out.extend(
            singles[from..]
                .iter()
                .take_while(|&&(p, _)| p == port)
                .map(|&(_, r)| r),
        );
        let ranges = &self.ranges[t.index()];
        let upto = ranges.partition_point(|e| e.lo <= port);
        for e in ranges[..upto].iter().rev() {
            if e.max_hi < port {
                break;
            }
            if e.hi >= port {
                out.push(e.record);
            }
        }
        out.sort_unstable();
        out
    }

    fn with_service_code(&self, code: u32) -> impl Iterator<Item = u32> + '_ {
        let from = self.service_codes.partition_point(|&(c, _)| c < code);
        self.service_codes[from..]
            .iter()
            .take_while(move |&&(c, _)| c == code)
            .map(|&(_, r)| r)
    }

    fn similar(&self, query: &str) -> Vec<(u32, SimilarKind)> {
        let q = lower(query);
        let mut found: Vec<(u32, SimilarKind)> = Vec::new();
        let add = |id: u32, kind: SimilarKind, found: &mut Vec<(u32, SimilarKind)>| {
            let Some(e) = self.names.get(id as usize) else {
                return;
            };
            if *e.lower == *q || found.iter().any(|&(f, _)| f == id) {
                return;
            }
            found.push((id, kind));
        };
        let keys = self.similar.get_or_init(|| SimilarKeys::build(&self.names));
        let verify = |id: u32, f: &dyn Fn(&str) -> bool| {
            self.names.get(id as usize).is_some_and(|e| f(&e.lower))
        };
        let hq = hyphen_key(&q);
        for id in lookup(&keys.hyphen_free, fnv(&[&hq])) {
            if verify(id, &|l| hyphen_key(l) == hq) {
                add(id, SimilarKind::Hyphens, &mut found);
            }
        }
        let lq = look_alike_key(&q);
        for id in lookup(&keys.look_alike, fnv(&[&lq])) {
            if verify(id, &|l| look_alike_key(l) == lq) {
                add(id, SimilarKind::LookAlike, &mut found);
            }
        }
        if q.chars().count() >= ONE_EDIT_MIN_LEN {
            let mut candidates: Vec<u32> = Vec::new();
            delete_keys(&q, |h| candidates.extend(lookup(&keys.deletes, h)));
            candidates.sort_unstable();
            candidates.dedup();
            for id in candidates {
                if verify(id, &|l| one_edit(&q, l)) {
                    add(id, SimilarKind::OneEdit, &mut found);
                }
            }
        }
        found
    }

    fn first_record_of(&self, name_id: u32) -> Option<u32> {
        self.names
            .get(name_id as usize)
            .and_then(|e| e.records.first().copied())
    }
}

/// A DCCP service code as written in the registry: decimal (also `0x…` hex).
pub fn parse_service_code(s: &str) -> Option<u32> {
    let s = s.trim();
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

impl Registry {
    fn rec(&self, i: u32) -> Option<&Record> {
        self.records.get(i as usize)
    }

    /// All records with this name (ASCII case-insensitive, surrounding whitespace ignored),
    /// on any protocol and number, in document order.
    pub fn records_named<'r>(&'r self, name: &str) -> impl Iterator<Item = &'r Record> + 'r {
        self.index
            .name_records(name)
            .iter()
            .filter_map(move |&i| self.rec(i))
    }

    /// Every record whose number covers `port` and whose protocol is `t` or absent (ranges,
    /// Unassigned and Reserved records included), in document order.
    pub fn records_at(&self, t: Transport, port: u16) -> Vec<&Record> {
        self.index
            .at(t, port)
            .into_iter()
            .filter_map(|i| self.rec(i))
            .collect()
    }

    /// Records whose `<sc>` is this DCCP service code.
    pub fn records_with_service_code(&self, code: u32) -> Vec<&Record> {
        self.index
            .with_service_code(code)
            .filter_map(|i| self.rec(i))
            .collect()
    }

    /// Registered names similar to `name` (exact case-insensitive matches excluded), one entry
    /// per distinct name, sorted by name. When a name matches in several ways the first of
    /// Hyphens, LookAlike, OneEdit is reported.
    pub fn similar_names(&self, name: &str) -> Vec<Similar<'_>> {
        let mut out: Vec<Similar<'_>> = self
            .index
            .similar(name)
            .into_iter()
            .filter_map(|(id, kind)| {
                let r = self.rec(self.index.first_record_of(id)?)?;
                Some(Similar {
                    record_name: r.name.as_deref()?,
                    kind,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            a.record_name
                .to_ascii_lowercase()
                .cmp(&b.record_name.to_ascii_lowercase())
                .then(a.record_name.cmp(b.record_name))
        });
        out
    }

    /// Number of distinct names (case-insensitive).
    pub fn distinct_name_count(&self) -> usize {
        self.index.names.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits() {
        assert!(one_edit("abcde", "abcdf"));
        assert!(one_edit("abcde", "abcd"));
        assert!(one_edit("abcde", "xabcde"));
        assert!(!one_edit("abcde", "abcde"));
        assert!(!one_edit("abcde", "badce"));
        assert!(!one_edit("abcde", "abc"));
        assert_eq!(look_alike_key("f0o1i"), "fooll");
        assert_eq!(hyphen_key("a-b-c"), "abc");
        assert_eq!(parse_service_code("1145656131"), Some(1145656131));
        assert_eq!(parse_service_code("0x10"), Some(16));
        assert_eq!(parse_service_code("x"), None);
    }
}
