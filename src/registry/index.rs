//! Lookup tables built once when a registry is loaded: names (case-insensitive), ports per
//! transport (ranges included), service codes, people, and keys for similar-name search.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::model::{PortRange, Transport};

use super::codec::{Dec, Enc};
use super::groups::Groups;
use super::lazy::{People, Records};
use super::record::OptSpan;

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
/// `text[offsets[id]..offsets[id + 1]]`. Built on the first `similar_names` call (or read
/// from the scan cache). A query reads only the names a few sorted keys lead to, each a
/// condition that every match of one kind meets (a 100-draft check made 100 passes over
/// 14,000 names before: 1 million instructions a draft).
#[derive(Clone, Debug, Default)]
struct LowerNames {
    text: String,
    offsets: Vec<u32>,
    /// Four keys per name (see [`name_keys`]), sorted, and the name id of each.
    keys: Vec<u32>,
    key_ids: Vec<u32>,
}

/// A key: which condition (3 bits), a length (12 bits; longer ones share a key, which only
/// adds candidates) and two bytes (17 bits: 0x1_0000 when the text has fewer than two).
fn key(kind: u32, len: usize, pair: Option<[u8; 2]>) -> u32 {
    let len = u32::try_from(len).unwrap_or(u32::MAX).min(0xfff);
    kind << 29 | len << 17 | pair.map_or(0x1_0000, |[a, b]| u32::from(a) << 8 | u32::from(b))
}

/// The first two bytes of `bytes`, when it has two.
fn first_two(mut bytes: impl Iterator<Item = u8>) -> Option<[u8; 2]> {
    Some([bytes.next()?, bytes.next()?])
}

fn last_two(b: &[u8]) -> Option<[u8; 2]> {
    match b {
        [.., x, y] => Some([*x, *y]),
        _ => None,
    }
}

/// One edit: the length in characters and the first two bytes, or the same length and the
/// last two (one edit of a query of 5+ characters leaves its first two or its last two
/// characters in place: an edit at position 0 or 1 is before the last two). Look-alike: the
/// length in bytes and the first two folded bytes. Hyphens: the length and first two bytes
/// of the name without hyphens. Two bytes rather than one cut the candidates a query reads
/// about tenfold.
const ONE_EDIT_FIRST: u32 = 1;
const ONE_EDIT_LAST: u32 = 2;
const LOOK_ALIKE: u32 = 3;
const HYPHENS: u32 = 4;

fn name_keys(name: &str) -> [u32; 4] {
    let b = name.as_bytes();
    let chars = char_count(name);
    let hyphen_free = || b.iter().copied().filter(|&c| c != b'-');
    [
        key(ONE_EDIT_FIRST, chars, first_two(b.iter().copied())),
        key(ONE_EDIT_LAST, chars, last_two(b)),
        key(
            LOOK_ALIKE,
            b.len(),
            first_two(b.iter().map(|&c| look_alike_byte(c))),
        ),
        key(HYPHENS, hyphen_free().count(), first_two(hyphen_free())),
    ]
}

fn char_count(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

impl LowerNames {
    fn new(text: String, offsets: Vec<u32>) -> LowerNames {
        let mut names = LowerNames {
            text,
            offsets,
            ..LowerNames::default()
        };
        let n = names.offsets.len().saturating_sub(1) as u32;
        let mut pairs = Vec::with_capacity(n as usize * 4);
        for id in 0..n {
            pairs.extend(name_keys(names.name(id)).map(|k| (k, id)));
        }
        pairs.sort_unstable();
        (names.keys, names.key_ids) = pairs.into_iter().unzip();
        names
    }

    fn name(&self, id: u32) -> &str {
        let at = id as usize;
        match (self.offsets.get(at), self.offsets.get(at + 1)) {
            (Some(&a), Some(&b)) => self.text.get(a as usize..b as usize).unwrap_or(""),
            _ => "",
        }
    }

    /// The ids of the names that can be similar to `query`, each once, unsorted (the caller
    /// sorts the few that match rather than all the candidates).
    fn candidates(&self, query: &Query<'_>) -> Vec<u32> {
        let q = query.q.as_bytes();
        let chars = char_count(query.q);
        let mut wanted = vec![
            key(
                LOOK_ALIKE,
                query.look_alike.len(),
                first_two(query.look_alike.bytes()),
            ),
            key(
                HYPHENS,
                query.hyphen_free.len(),
                first_two(query.hyphen_free.bytes()),
            ),
        ];
        if query.one_edit {
            for c in chars.saturating_sub(1)..=chars + 1 {
                wanted.push(key(ONE_EDIT_FIRST, c, first_two(q.iter().copied())));
                wanted.push(key(ONE_EDIT_LAST, c, last_two(q)));
            }
        }
        let mut ids = Vec::new();
        // One bit per name id: a name reached by several keys is kept once.
        let mut seen = vec![0u64; self.offsets.len() / 64 + 1];
        for k in wanted {
            let from = self.keys.partition_point(|&x| x < k);
            let to = from + self.keys[from..].partition_point(|&x| x == k);
            for &id in self.key_ids.get(from..to).unwrap_or(&[]) {
                let (word, bit) = (id as usize / 64, 1u64 << (id % 64));
                match seen.get_mut(word) {
                    Some(w) if *w & bit != 0 => {}
                    Some(w) => {
                        *w |= bit;
                        ids.push(id);
                    }
                    None => ids.push(id),
                }
            }
        }
        ids
    }

    fn build(ix: &Index, keys: &Keys<'_>) -> LowerNames {
        let n = ix.names.count();
        let mut text = String::with_capacity(n * 12);
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        for id in 0..n as u32 {
            let name = ix
                .names
                .first_of(id)
                .and_then(|r| keys.name(r))
                .unwrap_or("");
            let from = text.len();
            text.push_str(name);
            text[from..].make_ascii_lowercase();
            offsets.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        LowerNames::new(text, offsets)
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
        // One edit changes the length in bytes by at most 4 (one UTF-8 character), and
        // leaves the first or the last character (so byte) in place: the query has 5+.
        let qb = self.q.as_bytes();
        if self.one_edit
            && (nb.first() == qb.first() || nb.last() == qb.last())
            && nb.len().abs_diff(qb.len()) <= 4
            && one_edit(self.q, name)
        {
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

/// Lookup tables. Names and ids are not copied: groups lead to record and person numbers,
/// and the text is read back through [`Keys`].
#[derive(Clone, Debug, Default)]
pub(crate) struct Index {
    /// Records by name (ASCII case-insensitive), in document order; a group is a name id.
    names: Groups,
    /// Lower-case names for `similar_names`, built on its first call.
    similar: OnceLock<LowerNames>,
    /// Per transport: (port, record) for single-port records, sorted.
    singles: [Vec<(u16, u32)>; 4],
    ranges: [Vec<RangeEntry>; 4],
    /// (service code, record), sorted.
    service_codes: Vec<(u32, u32)>,
    /// People by id (exact).
    people: Groups,
}

/// Reads what the index needs straight from the scanner's notes while records are unparsed
/// (else from the parsed records), so building the index parses and copies nothing.
#[derive(Clone, Copy)]
pub(crate) struct Keys<'a> {
    text: &'a str,
    records: &'a Records,
    people: &'a People,
}

/// What the index needs of one record besides its name.
struct Key {
    protocol: Option<Transport>,
    number: Option<PortRange>,
    service_code: Option<u32>,
}

impl<'a> Keys<'a> {
    pub(crate) fn new(text: &'a str, records: &'a Records, people: &'a People) -> Keys<'a> {
        Keys {
            text,
            records,
            people,
        }
    }

    fn field(&self, o: OptSpan) -> Option<&'a str> {
        o.get().and_then(|s| self.text.get(s.start..s.end))
    }

    /// Record `i`'s trimmed name.
    fn name(&self, i: u32) -> Option<&'a str> {
        match self.records.scanned() {
            Some(scanned) => self.field(scanned.get(i as usize)?.name),
            None => self
                .records
                .get(i as usize)
                .and_then(|r| r.name.as_deref())
                .map(str::trim),
        }
    }

    fn key(&self, i: u32) -> Key {
        match self.records.scanned() {
            Some(scanned) => {
                let s = scanned.get(i as usize).copied().unwrap_or_default();
                Key {
                    protocol: s.protocol,
                    number: s.number,
                    service_code: self.field(s.sc).and_then(parse_service_code),
                }
            }
            None => {
                let r = self.records.get(i as usize);
                Key {
                    protocol: r.and_then(|r| r.protocol),
                    number: r.and_then(|r| r.number),
                    service_code: r
                        .and_then(|r| r.service_code.as_deref())
                        .and_then(parse_service_code),
                }
            }
        }
    }

    /// Person `i`'s id.
    fn person_id(&self, i: u32) -> Option<&'a str> {
        match self.people.scanned() {
            Some(scanned) => Some(
                scanned
                    .get(i as usize)
                    .and_then(|s| self.field(s.id))
                    .unwrap_or(""),
            ),
            None => self.people.get(i as usize).map(|p| p.id.as_str()),
        }
    }
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

/// Whether `a` and `b` are exactly one insertion, deletion, substitution or swap of two
/// neighbours apart.
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
            // Exactly one difference, or two swapped neighbours (one edit, as in
            // `read::keys::edit_distance`); stops at the third.
            let mut diffs = (0..short.len()).filter(|&i| short[i] != long[i]);
            match (diffs.next(), diffs.next(), diffs.next()) {
                (Some(_), None, _) => true,
                (Some(a), Some(b), None) => {
                    b == a + 1 && short[a] == long[b] && short[b] == long[a]
                }
                _ => false,
            }
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
    pub(crate) fn build(keys: &Keys<'_>) -> Index {
        let n = keys.records.len();
        let mut ix = Index {
            names: Groups::build(n, true, |i| keys.name(i)),
            people: Groups::build(keys.people.len(), false, |i| keys.person_id(i)),
            ..Index::default()
        };
        for ri in 0..n as u32 {
            let k = keys.key(ri);
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
        ix
    }

    /// For the scan cache, with the similar-name keys (built now if they are not yet: a
    /// `check` of a named service needs them, and building them reads the whole file).
    pub(crate) fn encode(&self, e: &mut Enc, keys: &Keys<'_>) {
        self.names.encode(e);
        self.people.encode(e);
        for v in &self.singles {
            e.len(v.len());
            for &(port, r) in v {
                e.u16(port);
                e.u32(r);
            }
        }
        for v in &self.ranges {
            e.len(v.len());
            for r in v {
                e.u16(r.lo);
                e.u16(r.hi);
                e.u16(r.max_hi);
                e.u32(r.record);
            }
        }
        e.len(self.service_codes.len());
        for &(code, r) in &self.service_codes {
            e.u32(code);
            e.u32(r);
        }
        let names = self.similar.get_or_init(|| LowerNames::build(self, keys));
        e.bytes(names.text.as_bytes());
        e.u32s(&names.offsets);
        e.u32s(&names.keys);
        e.u32s(&names.key_ids);
    }

    pub(crate) fn decode(d: &mut Dec<'_>) -> Option<Index> {
        let mut ix = Index {
            names: Groups::decode(d)?,
            people: Groups::decode(d)?,
            ..Index::default()
        };
        for v in &mut ix.singles {
            let n = d.len(6)?;
            v.reserve_exact(n);
            for _ in 0..n {
                v.push((d.u16()?, d.u32()?));
            }
        }
        for v in &mut ix.ranges {
            let n = d.len(10)?;
            v.reserve_exact(n);
            for _ in 0..n {
                v.push(RangeEntry {
                    lo: d.u16()?,
                    hi: d.u16()?,
                    max_hi: d.u16()?,
                    record: d.u32()?,
                });
            }
        }
        let n = d.len(8)?;
        ix.service_codes.reserve_exact(n);
        for _ in 0..n {
            ix.service_codes.push((d.u32()?, d.u32()?));
        }
        let text = String::from_utf8(d.bytes()?.to_vec()).ok()?;
        let offsets = d.u32s()?;
        let (keys, key_ids) = (d.u32s()?, d.u32s()?);
        if keys.len() != key_ids.len() {
            return None;
        }
        ix.similar = OnceLock::from(LowerNames {
            text,
            offsets,
            keys,
            key_ids,
        });
        Some(ix)
    }

    /// The first person with this id.
    pub(crate) fn person(&self, keys: &Keys<'_>, id: &str) -> Option<usize> {
        let group = self.people.find(id, |i| keys.person_id(i))?;
        self.people.first_of(group).map(|i| i as usize)
    }

    fn name_id(&self, keys: &Keys<'_>, name: &str) -> Option<u32> {
        self.names.find(name.trim(), |i| keys.name(i))
    }

    /// The records named `name` (ASCII case-insensitive), in document order.
    pub(crate) fn name_records<'s>(
        &'s self,
        keys: &Keys<'_>,
        name: &str,
    ) -> impl Iterator<Item = u32> + 's {
        self.name_id(keys, name)
            .into_iter()
            .flat_map(move |id| self.names.items(id))
    }

    /// The records covering `port` on `t`, in document order.
    pub(crate) fn at(&self, t: Transport, port: u16) -> Vec<u32> {
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

    pub(crate) fn with_service_code(&self, code: u32) -> impl Iterator<Item = u32> + '_ {
        lookup(&self.service_codes, code)
    }

    /// Registered names similar to `query`, one per distinct name, sorted by name.
    pub(crate) fn similar_names<'k>(&self, keys: &Keys<'k>, query: &str) -> Vec<Similar<'k>> {
        let mut out: Vec<Similar<'k>> = self
            .similar(keys, query)
            .into_iter()
            .filter_map(|(id, kind)| {
                Some(Similar {
                    record_name: keys.name(self.names.first_of(id)?)?,
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
    pub(crate) fn name_count(&self) -> usize {
        self.names.count()
    }

    fn similar(&self, keys: &Keys<'_>, query: &str) -> Vec<(u32, SimilarKind)> {
        let q = lower(query);
        let exact = self.name_id(keys, &q);
        let query = Query {
            q: &q,
            hyphen_free: hyphen_key(&q),
            look_alike: look_alike_key(&q),
            one_edit: q.chars().count() >= ONE_EDIT_MIN_LEN,
        };
        let names = self.similar.get_or_init(|| LowerNames::build(self, keys));
        let mut out: Vec<(u32, SimilarKind)> = names
            .candidates(&query)
            .into_iter()
            .filter(|&id| Some(id) != exact)
            .filter_map(|id| Some((id, query.classify(names.name(id))?)))
            .collect();
        out.sort_unstable_by_key(|&(id, _)| id);
        out.dedup_by_key(|&mut (id, _)| id);
        out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits() {
        assert!(one_edit("abcde", "abcdf"));
        assert!(one_edit("abcde", "abcd"));
        assert!(one_edit("abcde", "xabcde"));
        assert!(!one_edit("abcde", "abcde"));
        assert!(one_edit("abcde", "bacde"));
        assert!(!one_edit("abcde", "badce"));
        assert!(!one_edit("abcde", "abc"));
        assert_eq!(look_alike_key("f0o1i"), "fooll");
        assert_eq!(hyphen_key("a-b-c"), "abc");
        assert_eq!(parse_service_code("1145656131"), Some(1145656131));
        assert_eq!(parse_service_code("0x10"), Some(16));
        assert_eq!(parse_service_code("x"), None);
    }

    /// The keyed candidate search finds exactly what a pass over every name finds: names
    /// from a small alphabet (so that many share lengths and bytes), queried as written and
    /// after each kind of edit.
    #[test]
    fn candidates_match_a_full_pass() {
        let alphabet = b"ab-01il\xc3\xa9";
        let mut seed = 0x2545_f491_u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let mut names: Vec<String> = (0..3000)
            .map(|_| {
                let len = 1 + next() as usize % 9;
                let bytes: Vec<u8> = (0..len)
                    .map(|_| alphabet[next() as usize % (alphabet.len() - 2)])
                    .collect();
                let mut s = String::from_utf8(bytes).unwrap_or_default();
                if next() % 7 == 0 {
                    s.insert(next() as usize % (s.len() + 1), '\u{e9}');
                }
                s
            })
            .collect();
        names.sort();
        names.dedup();
        let mut text = String::new();
        let mut offsets = vec![0];
        for n in &names {
            text.push_str(n);
            offsets.push(text.len() as u32);
        }
        let lower = LowerNames::new(text, offsets);
        let mut queries: Vec<String> = Vec::new();
        for n in names.iter().take(300) {
            let chars: Vec<char> = n.chars().collect();
            queries.push(n.clone());
            queries.push(n.replace('-', ""));
            queries.push(format!("{n}-"));
            queries.push(n.replace('l', "1").replace('o', "0"));
            for at in 0..=chars.len() {
                let mut ins = chars.clone();
                ins.insert(at, 'x');
                queries.push(ins.iter().collect());
                if at < chars.len() {
                    let mut del = chars.clone();
                    del.remove(at);
                    queries.push(del.iter().collect());
                    let mut sub = chars.clone();
                    sub[at] = 'b';
                    queries.push(sub.iter().collect());
                }
                if at + 1 < chars.len() {
                    let mut swap = chars.clone();
                    swap.swap(at, at + 1);
                    queries.push(swap.iter().collect());
                }
            }
        }
        let mut found = 0;
        for q in &queries {
            let q = lower_owned(q);
            let query = Query {
                q: &q,
                hyphen_free: hyphen_key(&q),
                look_alike: look_alike_key(&q),
                one_edit: q.chars().count() >= ONE_EDIT_MIN_LEN,
            };
            let mut keyed: Vec<(u32, SimilarKind)> = lower
                .candidates(&query)
                .into_iter()
                .filter_map(|id| Some((id, query.classify(lower.name(id))?)))
                .collect();
            keyed.sort_unstable_by_key(|&(id, _)| id);
            let all: Vec<(u32, SimilarKind)> = (0..names.len() as u32)
                .filter_map(|id| Some((id, query.classify(lower.name(id))?)))
                .collect();
            assert_eq!(keyed, all, "query {q:?}");
            found += all.len();
        }
        assert!(
            found > queries.len(),
            "{found} matches for {} queries",
            queries.len()
        );
    }

    fn lower_owned(s: &str) -> String {
        lower(s).into_owned()
    }
}
