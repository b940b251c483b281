//! Lookup tables built once when a registry is loaded: names (case-insensitive), ports per
//! transport (ranges included), service codes, people, and keys for similar-name search.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::model::Transport;

use crate::model::PortRange;

use super::lazy::{People, Records};
use super::model::{OptSpan, Record, Registry};

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

/// A range record in a per-transport table, sorted by `lo`; `max_hi` is the largest `hi`
/// of this and every earlier entry, so a backward scan can stop early.
#[derive(Clone, Copy, Debug)]
struct RangeEntry {
    lo: u16,
    hi: u16,
    max_hi: u16,
    record: u32,
}

/// Every distinct name in lower case, concatenated: name `id` is
/// `text[offsets[id]..offsets[id + 1]]`. Built on the first `similar_names` call; a query
/// scans it once (a few hundred thousand instructions for the real registry), which is much
/// cheaper than building hashed keys for a handful of queries.
#[derive(Clone, Debug, Default)]
struct LowerNames {
    text: String,
    offsets: Vec<u32>,
}

impl LowerNames {
    fn build(ix: &Index) -> LowerNames {
        let n = ix.name_count();
        let mut text = String::with_capacity(n * 12);
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        for id in 0..n as u32 {
            let name = ix.first_record_of(id).map_or("", |r| ix.name(r));
            let from = text.len();
            text.push_str(name);
            text[from..].make_ascii_lowercase();
            offsets.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        LowerNames { text, offsets }
    }

    fn iter(&self) -> impl Iterator<Item = (u32, &str)> + '_ {
        self.offsets.windows(2).enumerate().map(|(id, w)| {
            (
                id as u32,
                self.text.get(w[0] as usize..w[1] as usize).unwrap_or(""),
            )
        })
    }
}

/// A lower-case query and its keys.
struct Query<'q> {
    q: &'q str,
    hyphen_free: String,
    look_alike: String,
    one_edit: bool,
}

impl Query<'_> {
    /// How the lower-case registered name `name` resembles the query, in the order
    /// Hyphens, LookAlike, OneEdit (the first that applies).
    fn classify(&self, name: &str) -> Option<SimilarKind> {
        let nb = name.as_bytes();
        // Hyphens: compare with the hyphens of `name` skipped, stopping at the first difference.
        let mut h = self.hyphen_free.as_bytes().iter();
        if nb
            .iter()
            .filter(|&&b| b != b'-')
            .all(|b| h.next() == Some(b))
            && h.next().is_none()
        {
            return Some(SimilarKind::Hyphens);
        }
        // Look-alike folding maps ASCII bytes to ASCII bytes, so lengths must agree.
        let lb = self.look_alike.as_bytes();
        if nb.len() == lb.len() && nb.iter().zip(lb).all(|(&b, &l)| look_alike_byte(b) == l) {
            return Some(SimilarKind::LookAlike);
        }
        // One edit changes the length in bytes by at most 4 (one UTF-8 character).
        if self.one_edit && nb.len().abs_diff(self.q.len()) <= 4 && one_edit(self.q, name) {
            return Some(SimilarKind::OneEdit);
        }
        None
    }
}

fn look_alike_byte(b: u8) -> u8 {
    match b {
        b'0' => b'o',
        b'1' | b'i' => b'l',
        b => b,
    }
}

fn lookup<K: Copy + Ord>(table: &[(K, u32)], h: K) -> impl Iterator<Item = u32> + '_ {
    let from = table.partition_point(|&(k, _)| k < h);
    table[from..]
        .iter()
        .take_while(move |&&(k, _)| k == h)
        .map(|&(_, id)| id)
}

/// Lookup tables. Names are not copied: a name id leads to its records, and the name text
/// is read from the first record.
#[derive(Clone, Debug, Default)]
pub(crate) struct Index {
    /// Every record's trimmed name, concatenated: record `i`'s is `names[name_at[i]]`.
    names: String,
    /// `(start, end)` in `names`; `(u32::MAX, u32::MAX)` for a record without a name.
    name_at: Vec<(u32, u32)>,
    /// (hash of the lower-case name, name id), sorted.
    name_hashes: Vec<(u64, u32)>,
    /// `name_records[name_offsets[id]..name_offsets[id + 1]]` are the records of name `id`
    /// in document order.
    name_offsets: Vec<u32>,
    name_records: Vec<u32>,
    /// Lower-case names for `similar_names`, built on its first call.
    similar: OnceLock<LowerNames>,
    /// Per transport: (port, record) for single-port records, sorted.
    singles: [Vec<(u16, u32)>; 4],
    ranges: [Vec<RangeEntry>; 4],
    /// (service code, record), sorted.
    service_codes: Vec<(u32, u32)>,
    /// Every person's id, concatenated: person `i`'s is `ids[id_at[i]]`.
    ids: String,
    id_at: Vec<(u32, u32)>,
    /// People indexes sorted by id.
    people_by_id: Vec<u32>,
}

/// What the index needs of one record.
struct Key<'a> {
    name: Option<&'a str>,
    protocol: Option<Transport>,
    number: Option<PortRange>,
    service_code: Option<u32>,
}

/// Record `i`'s key: from the scanner's notes while records are unparsed, else from the
/// parsed record.
fn key<'a>(text: &'a str, records: &'a Records, i: usize) -> Key<'a> {
    let field = |o: OptSpan| o.get().and_then(|s| text.get(s.start..s.end));
    match records.scanned() {
        Some(scanned) => {
            let s = scanned.get(i).copied().unwrap_or_default();
            Key {
                name: field(s.name),
                protocol: s.protocol,
                number: s.number,
                service_code: field(s.sc).and_then(parse_service_code),
            }
        }
        None => match records.get(i) {
            Some(r) => Key {
                name: r.name.as_deref(),
                protocol: r.protocol,
                number: r.number,
                service_code: r.service_code.as_deref().and_then(parse_service_code),
            },
            None => Key {
                name: None,
                protocol: None,
                number: None,
                service_code: None,
            },
        },
    }
}

/// Person `i`'s id, read the same way.
fn person_id<'a>(text: &'a str, people: &'a People, i: usize) -> &'a str {
    match people.scanned() {
        Some(scanned) => scanned
            .get(i)
            .and_then(|s| s.id.get())
            .and_then(|s| text.get(s.start..s.end))
            .unwrap_or(""),
        None => people.get(i).map_or("", |p| p.id.as_str()),
    }
}

/// Appends `s` to an arena string and returns its range.
fn push_arena(arena: &mut String, s: &str) -> (u32, u32) {
    let start = u32::try_from(arena.len()).unwrap_or(u32::MAX);
    arena.push_str(s);
    (start, u32::try_from(arena.len()).unwrap_or(u32::MAX))
}

fn arena_get<'a>(arena: &'a str, at: Option<&(u32, u32)>) -> Option<&'a str> {
    let &(a, b) = at?;
    arena.get(a as usize..b as usize)
}

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

/// FNV-1a over the ASCII-lower-cased bytes of `s` (deterministic, allocation-free).
fn fnv_lower(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Whether `a` and `b` are exactly one insertion, deletion or substitution apart.
fn one_edit(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return one_edit_slices(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    one_edit_slices(&a, &b)
}

fn one_edit_slices<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
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
            short.get(prefix..) == long.get(prefix + 1..)
        }
        _ => false,
    }
}

impl Index {
    pub(crate) fn build(text: &str, records: &Records, people: &People) -> Index {
        let mut ix = Index::default();
        ix.names.reserve(records.len() * 10);
        ix.name_at.reserve_exact(records.len());
        for i in 0..records.len() {
            let at = match key(text, records, i).name {
                Some(name) => push_arena(&mut ix.names, name.trim()),
                None => (u32::MAX, u32::MAX),
            };
            ix.name_at.push(at);
        }
        ix.names.shrink_to_fit();
        ix.id_at.reserve_exact(people.len());
        for i in 0..people.len() {
            let at = push_arena(&mut ix.ids, person_id(text, people, i));
            ix.id_at.push(at);
        }

        // Names: group the named records by lower-case name without copying any name.
        let mut hashed: Vec<(u64, u32)> = (0..records.len() as u32)
            .filter_map(|i| Some((fnv_lower(ix.record_name(i)?), i)))
            .collect();
        hashed.sort_unstable();
        ix.name_records.reserve_exact(hashed.len());
        let mut run_start = 0;
        while run_start < hashed.len() {
            let h = hashed[run_start].0;
            let run_end = run_start + hashed[run_start..].partition_point(|&(k, _)| k == h);
            let run = &hashed[run_start..run_end];
            let first_name = run.first().map_or("", |&(_, r)| ix.name(r));
            if run
                .iter()
                .all(|&(_, r)| ix.name(r).eq_ignore_ascii_case(first_name))
            {
                // The usual case: one name per hash.
                let id = ix.name_offsets.len() as u32;
                ix.name_offsets.push(ix.name_records.len() as u32);
                ix.name_records.extend(run.iter().map(|&(_, r)| r));
                ix.name_hashes.push((h, id));
                run_start = run_end;
                continue;
            }
            // A hash collision: split the run by actual name.
            let mut pending: Vec<u32> = run.iter().map(|&(_, r)| r).collect();
            while let Some(&first) = pending.first() {
                let name = ix.name(first).to_string();
                let (same, rest): (Vec<u32>, Vec<u32>) = pending
                    .into_iter()
                    .partition(|&r| ix.name(r).eq_ignore_ascii_case(&name));
                let id = ix.name_offsets.len() as u32;
                ix.name_offsets.push(ix.name_records.len() as u32);
                ix.name_records.extend(same);
                ix.name_hashes.push((h, id));
                pending = rest;
            }
            run_start = run_end;
        }
        ix.name_offsets.push(ix.name_records.len() as u32);
        ix.name_hashes.sort_unstable();
        drop(hashed);

        for i in 0..records.len() {
            let ri = i as u32;
            let k = key(text, records, i);
            if let Some(n) = k.number {
                let transports: &[Transport] = match &k.protocol {
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
            if let Some(code) = k.service_code {
                ix.service_codes.push((code, ri));
            }
        }
        for v in &mut ix.singles {
            v.sort_unstable();
            v.shrink_to_fit();
        }
        for v in &mut ix.ranges {
            v.sort_by_key(|e| (e.lo, e.record));
            let mut max = 0u16;
            for e in v.iter_mut() {
                max = max.max(e.hi);
                e.max_hi = max;
            }
            v.shrink_to_fit();
        }
        ix.service_codes.sort_unstable();

        let mut by_id: Vec<u32> = (0..people.len() as u32).collect();
        by_id.sort_by(|&a, &b| ix.person_id(a).cmp(ix.person_id(b)).then(a.cmp(&b)));
        ix.people_by_id = by_id;
        ix
    }

    /// Record `i`'s trimmed name, if it has one.
    fn record_name(&self, i: u32) -> Option<&str> {
        arena_get(&self.names, self.name_at.get(i as usize))
    }

    /// Record `i`'s trimmed name, or "".
    pub(crate) fn name(&self, i: u32) -> &str {
        self.record_name(i).unwrap_or("")
    }

    fn person_id(&self, i: u32) -> &str {
        arena_get(&self.ids, self.id_at.get(i as usize)).unwrap_or("")
    }

    fn name_count(&self) -> usize {
        self.name_offsets.len().saturating_sub(1)
    }

    fn records_of(&self, id: u32) -> &[u32] {
        let id = id as usize;
        match (self.name_offsets.get(id), self.name_offsets.get(id + 1)) {
            (Some(&a), Some(&b)) => self.name_records.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    fn first_record_of(&self, id: u32) -> Option<u32> {
        self.records_of(id).first().copied()
    }

    pub(crate) fn person(&self, id: &str) -> Option<usize> {
        let pos = self
            .people_by_id
            .partition_point(|&i| self.person_id(i) < id);
        let i = *self.people_by_id.get(pos)?;
        (self.person_id(i) == id).then_some(i as usize)
    }

    fn name_id(&self, name: &str) -> Option<u32> {
        let name = name.trim();
        let h = fnv_lower(name);
        lookup(&self.name_hashes, h).find(|&id| {
            self.first_record_of(id)
                .is_some_and(|r| self.name(r).eq_ignore_ascii_case(name))
        })
    }

    fn name_records(&self, name: &str) -> &[u32] {
        self.name_id(name).map_or(&[], |id| self.records_of(id))
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
        lookup(&self.service_codes, code)
    }

    fn similar(&self, query: &str) -> Vec<(u32, SimilarKind)> {
        let q = lower(query);
        let exact = self.name_id(&q);
        let query = Query {
            q: &q,
            hyphen_free: hyphen_key(&q),
            look_alike: look_alike_key(&q),
            one_edit: q.chars().count() >= ONE_EDIT_MIN_LEN,
        };
        let names = self.similar.get_or_init(|| LowerNames::build(self));
        names
            .iter()
            .filter(|&(id, _)| Some(id) != exact)
            .filter_map(|(id, name)| Some((id, query.classify(name)?)))
            .collect()
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
                Some(Similar {
                    record_name: self.index.record_name(self.index.first_record_of(id)?)?,
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
        self.index.name_count()
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
