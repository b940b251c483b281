//! Items grouped by equal string keys (exact, or ASCII case-insensitive), built in one pass
//! without sorting or copying the keys: an open-addressing table of key hashes leads to a
//! group, and each group is a chain of its items in order. The keys themselves stay where
//! they are and are read back through the `key` function given to each call.

use super::codec::{Dec, Enc};

const NONE: u32 = u32::MAX;

#[derive(Clone, Debug, Default)]
pub(crate) struct Groups {
    fold_case: bool,
    /// Group ids by hash, `NONE` where empty; the length is a power of two, at least twice
    /// the number of items, so probing always ends.
    table: Vec<u32>,
    /// Per group: the key's hash, its first and its last item.
    hash: Vec<u64>,
    first: Vec<u32>,
    last: Vec<u32>,
    /// Per item: the next item of its group, or `NONE`.
    next: Vec<u32>,
}

impl Groups {
    /// Groups items `0..n` by `key(i)` (items without a key belong to no group).
    pub(crate) fn build<'k>(
        n: usize,
        fold_case: bool,
        key: impl Fn(u32) -> Option<&'k str>,
    ) -> Groups {
        let mut g = Groups {
            fold_case,
            table: vec![NONE; (n * 2).next_power_of_two().max(16)],
            next: vec![NONE; n],
            ..Groups::default()
        };
        // The key of each group's first item, kept while building so that probing does not
        // read keys again.
        let mut first_keys: Vec<&str> = Vec::new();
        for i in 0..n as u32 {
            let Some(k) = key(i) else { continue };
            let h = g.hash_of(k);
            match g.probe(h, k, |group| first_keys.get(group).copied()) {
                Ok(group) => {
                    if let Some(last) = g.last.get_mut(group) {
                        if let Some(link) = g.next.get_mut(*last as usize) {
                            *link = i;
                        }
                        *last = i;
                    }
                }
                Err(slot) => {
                    if let Some(s) = g.table.get_mut(slot) {
                        *s = g.first.len() as u32;
                    }
                    g.hash.push(h);
                    g.first.push(i);
                    g.last.push(i);
                    first_keys.push(k);
                }
            }
        }
        g
    }

    /// FNV-1a over the key's bytes (ASCII-lower-cased when folding case).
    fn hash_of(&self, k: &str) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in k.as_bytes() {
            let b = if self.fold_case {
                b.to_ascii_lowercase()
            } else {
                b
            };
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    }

    fn same(&self, a: &str, b: &str) -> bool {
        if self.fold_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }

    /// `Ok(group)` of key `k`, or `Err(slot)`: the empty slot where its group would go.
    /// `group_key` gives a group's key.
    fn probe<'k>(
        &self,
        h: u64,
        k: &str,
        group_key: impl Fn(usize) -> Option<&'k str>,
    ) -> Result<usize, usize> {
        let mask = self.table.len().wrapping_sub(1);
        let mut pos = h as usize & mask;
        for _ in 0..self.table.len() {
            let group = match self.table.get(pos) {
                Some(&NONE) | None => return Err(pos),
                Some(&g) => g as usize,
            };
            if self.hash.get(group) == Some(&h) && group_key(group).is_some_and(|f| self.same(f, k))
            {
                return Ok(group);
            }
            pos = (pos + 1) & mask;
        }
        Err(pos)
    }

    /// The group of key `k`.
    pub(crate) fn find<'k>(&self, k: &str, key: impl Fn(u32) -> Option<&'k str>) -> Option<u32> {
        let group_key = |g: usize| key(*self.first.get(g)?);
        self.probe(self.hash_of(k), k, group_key)
            .ok()
            .map(|g| g as u32)
    }

    /// The items of a group, in order.
    pub(crate) fn items(&self, group: u32) -> impl Iterator<Item = u32> + '_ {
        let first = self.first_of(group).unwrap_or(NONE);
        std::iter::successors((first != NONE).then_some(first), move |&i| {
            self.next.get(i as usize).copied().filter(|&n| n != NONE)
        })
    }

    pub(crate) fn first_of(&self, group: u32) -> Option<u32> {
        self.first.get(group as usize).copied()
    }

    /// The number of groups (distinct keys).
    pub(crate) fn count(&self) -> usize {
        self.first.len()
    }

    /// For the scan cache. Every read of the tables is bounds-checked, so a decoded value
    /// cannot make a lookup panic, only answer wrongly (and entries carry a checksum).
    pub(crate) fn encode(&self, e: &mut Enc) {
        e.u8(u8::from(self.fold_case));
        e.u32s(&self.table);
        e.u64s(&self.hash);
        e.u32s(&self.first);
        e.u32s(&self.last);
        e.u32s(&self.next);
    }

    pub(crate) fn decode(d: &mut Dec<'_>) -> Option<Groups> {
        let fold_case = d.u8()? == 1;
        let table = d.u32s()?;
        // Probing masks with `len - 1`.
        if !table.len().is_power_of_two() {
            return None;
        }
        Some(Groups {
            fold_case,
            table,
            hash: d.u64s()?,
            first: d.u32s()?,
            last: d.u32s()?,
            next: d.u32s()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_in_order_and_folds_case_when_asked() {
        let keys = ["http", "HTTP", "ftp", "", "Http", "ssh"];
        let key = |i: u32| keys.get(i as usize).copied().filter(|k| !k.is_empty());
        let g = Groups::build(keys.len(), true, key);
        assert_eq!(g.count(), 3);
        let http = g.find("hTtP", key).expect("http");
        assert_eq!(g.items(http).collect::<Vec<_>>(), [0, 1, 4]);
        assert_eq!(
            g.items(g.find("ssh", key).expect("ssh"))
                .collect::<Vec<_>>(),
            [5]
        );
        assert_eq!(g.find("telnet", key), None);
        assert_eq!(g.find("", key), None);

        let exact = Groups::build(keys.len(), false, key);
        assert_eq!(exact.count(), 5);
        assert_eq!(
            exact.items(exact.find("HTTP", key).expect("HTTP")).count(),
            1
        );
        assert_eq!(exact.find("hTtP", key), None);
    }

    #[test]
    fn many_colliding_slots_still_resolve() {
        let keys: Vec<String> = (0..5000).map(|i| format!("k{}", i % 1700)).collect();
        let key = |i: u32| keys.get(i as usize).map(String::as_str);
        let g = Groups::build(keys.len(), false, key);
        assert_eq!(g.count(), 1700);
        for j in [0, 1, 999, 1699] {
            let items: Vec<u32> = g
                .items(g.find(&format!("k{j}"), key).expect("key"))
                .collect();
            let want: Vec<u32> = (0..5000).filter(|i| i % 1700 == j).collect();
            assert_eq!(items, want);
        }
    }
}
