//! The on-disk cache of the scan of an XML registry, so that a `check` does not scan the
//! same 3.9 MB again on every run (the scan is most of a run's work).
//!
//! Like git's index, an entry is keyed by what the file system says of the file: canonical
//! path, size, modification and status-change times (ns), inode and device. Any difference
//! and the entry is ignored; a write to the file changes its status-change time, which no
//! tool can set back. An entry is written only for a file last modified more than
//! [`SETTLED_SECS`] before the scan (git's "racily clean" rule: a file changed again within
//! the time stamps' granularity would look unchanged), and only for a document the scan
//! accepted, so a hit means the same bytes the scanner checked as well formed. Entries carry
//! a format version and a checksum, are written to a temporary file and renamed into place,
//! and anything unexpected (truncated, corrupted, another version) is ignored and rewritten.
//! `PORTREG_NO_INDEX_CACHE=1` turns the cache off. Unix only (the key needs inodes and
//! status-change times).

use std::path::{Path, PathBuf};

use crate::model::{PortRange, Transport};
use crate::source::Span;

use super::codec::{Dec, Enc};
use super::index::{Index, Keys};
use super::record::OptSpan;
use super::registry::Registry;
use super::scan::{ScannedPerson, ScannedRecord, Skeleton};

/// Set (to anything but empty or `0`) to neither read nor write the cache.
pub const DISABLE_ENV: &str = "PORTREG_NO_INDEX_CACHE";

/// A file modified less than this long before it was scanned is not cached.
pub const SETTLED_SECS: i64 = 2;

/// Bumped whenever the layout below or the meaning of the scanner's notes changes.
const FORMAT: u32 = 5;
const MAGIC: &[u8; 8] = b"PRSCAN\0\x01";

/// What identifies one version of a registry file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Key {
    path: PathBuf,
    size: u64,
    mtime_ns: i128,
    ctime_ns: i128,
    inode: u64,
    device: u64,
}

impl Key {
    /// The key of an open file, or None when the cache is off or the file has no stable
    /// identity (not a regular file, no canonical path, not Unix).
    #[cfg(unix)]
    pub(crate) fn of(path: &Path, meta: &std::fs::Metadata) -> Option<Key> {
        use std::os::unix::fs::MetadataExt;
        if disabled() || !meta.is_file() {
            return None;
        }
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Some(Key {
            path: std::fs::canonicalize(path).ok()?,
            size: meta.size(),
            mtime_ns: ns(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: ns(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            device: meta.dev(),
        })
    }

    #[cfg(not(unix))]
    pub(crate) fn of(_path: &Path, _meta: &std::fs::Metadata) -> Option<Key> {
        None
    }

    pub(crate) fn size(&self) -> u64 {
        self.size
    }

    /// Where this file's entry lives: one file per registry path.
    fn entry_path(&self) -> Option<PathBuf> {
        let name = format!(
            "scan-{:016x}.bin",
            fnv(self.path.as_os_str().as_encoded_bytes())
        );
        Some(cache_dir()?.join(name))
    }

    fn encode(&self, e: &mut Enc) {
        e.bytes(self.path.as_os_str().as_encoded_bytes());
        e.u64(self.size);
        e.0.extend_from_slice(&self.mtime_ns.to_le_bytes());
        e.0.extend_from_slice(&self.ctime_ns.to_le_bytes());
        e.u64(self.inode);
        e.u64(self.device);
    }
}

fn disabled() -> bool {
    std::env::var_os(DISABLE_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

/// `$XDG_CACHE_HOME/portreg/index`, else `~/.cache/portreg/index`.
fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("portreg").join("index"))
}

/// The cached scan of the file `key` names, if there is a valid entry for exactly it.
pub(crate) fn read(key: &Key) -> Option<Entry> {
    let file = std::fs::File::open(key.entry_path()?).ok()?;
    // Mapped, not read: reading 1.4 MB into fresh memory costs a page fault per 4 KiB.
    // SAFETY: read-only and private; an entry is replaced by renaming a new file over it,
    // never rewritten in place (and a damaged one fails the checksum).
    let map = unsafe { memmap2::MmapOptions::new().map_copy_read_only(&file) }.ok()?;
    decode(key, &map)
}

/// Saves the scan of the file `key` names and the index built from it (best effort: a
/// cache that cannot be written is only slower). `now_ns` is the time of the scan.
pub(crate) fn write(key: &Key, registry: &Registry, now_ns: i128) {
    if now_ns - key.mtime_ns < i128::from(SETTLED_SECS) * 1_000_000_000 {
        return;
    }
    let Some(path) = key.entry_path() else {
        return;
    };
    let Some(dir) = path.parent() else {
        return;
    };
    let (Some(records), Some(people)) = (registry.records.scanned(), registry.people.scanned())
    else {
        return;
    };
    let bytes = encode(
        key,
        registry.updated.as_deref(),
        records,
        people,
        &registry.index,
        &registry.keys(),
    );
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("scan"),
        std::process::id()
    ));
    let ok = std::fs::create_dir_all(dir).is_ok()
        && std::fs::write(&tmp, &bytes).is_ok()
        && std::fs::rename(&tmp, &path).is_ok();
    if !ok {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// The current time in ns since the epoch (0 if the clock is before it).
pub(crate) fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// What an entry holds: the scanner's notes and the index built from them.
pub(crate) struct Entry {
    pub skeleton: Skeleton,
    pub index: Index,
}

pub(crate) fn encode(
    key: &Key,
    updated: Option<&str>,
    records: &[ScannedRecord],
    people: &[ScannedPerson],
    index: &Index,
    keys: &Keys<'_>,
) -> Vec<u8> {
    let mut e = Enc(Vec::with_capacity(
        1024 + records.len() * (RECORD_BYTES + 40) + people.len() * 40,
    ));
    e.0.extend_from_slice(MAGIC);
    e.u32(FORMAT);
    e.bytes(env!("CARGO_PKG_VERSION").as_bytes());
    key.encode(&mut e);
    match updated {
        Some(u) => {
            e.u8(1);
            e.bytes(u.as_bytes());
        }
        None => e.u8(0),
    }
    e.len(records.len());
    for r in records {
        put_span(&mut e, r.span);
        put_opt(&mut e, r.name);
        e.u8(r.protocol.map_or(0, |t| t.index() as u8 + 1));
        put_opt(&mut e, r.protocol_span);
        match r.number {
            Some(n) => {
                e.u8(1);
                e.u16(n.lo);
                e.u16(n.hi);
            }
            None => e.0.extend_from_slice(&[0; 5]),
        }
        put_opt(&mut e, r.number_span);
        put_opt(&mut e, r.sc);
    }
    e.len(people.len());
    for p in people {
        put_span(&mut e, p.span);
        put_opt(&mut e, p.id);
    }
    index.encode(&mut e, keys);
    let sum = checksum(&e.0);
    e.u64(sum);
    e.0
}

/// Bytes of one record in an entry.
const RECORD_BYTES: usize = 8 + 8 + 1 + 8 + 5 + 8 + 8;

/// The entry stored in `bytes`, if they are a whole, uncorrupted entry for exactly `key`
/// whose spans all lie inside the file.
pub(crate) fn decode(key: &Key, bytes: &[u8]) -> Option<Entry> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if checksum(body).to_le_bytes() != sum {
        return None;
    }
    let mut d = Dec::new(body);
    if d.take(MAGIC.len())? != MAGIC || d.u32()? != FORMAT {
        return None;
    }
    if d.bytes()? != env!("CARGO_PKG_VERSION").as_bytes() {
        return None;
    }
    let mut expected = Enc::default();
    key.encode(&mut expected);
    if d.take(expected.0.len())? != expected.0.as_slice() {
        return None;
    }
    let updated = match d.u8()? {
        0 => None,
        _ => Some(String::from_utf8(d.bytes()?.to_vec()).ok()?),
    };
    let size = key.size;
    let n = d.len(RECORD_BYTES)?;
    let mut records = Vec::with_capacity(n);
    // Fixed-size records: read each from its own slice, and check all spans at the end.
    let mut spans_ok = true;
    let mut field = |c: &[u8], at: usize| {
        let (a, b) = (u32_at(c, at), u32_at(c, at + 4));
        spans_ok &= a == u32::MAX || (a <= b && u64::from(b) <= size);
        OptSpan::from_raw(a, b)
    };
    for c in d.take(n * RECORD_BYTES)?.chunks_exact(RECORD_BYTES) {
        let span = field(c, 0).get()?;
        let protocol = match c[16] {
            0 => None,
            t => Some(*Transport::ALL.get(usize::from(t) - 1)?),
        };
        let number = match c[25] {
            0 => None,
            1 => Some(PortRange {
                lo: u16::from_le_bytes([c[26], c[27]]),
                hi: u16::from_le_bytes([c[28], c[29]]),
            }),
            _ => return None,
        };
        records.push(ScannedRecord {
            span,
            name: field(c, 8),
            protocol,
            protocol_span: field(c, 17),
            number,
            number_span: field(c, 30),
            sc: field(c, 38),
        });
    }
    if !spans_ok {
        return None;
    }
    let n = d.len(16)?;
    let mut people = Vec::with_capacity(n);
    for _ in 0..n {
        people.push(ScannedPerson {
            span: span(&mut d, size)?,
            id: opt(&mut d, size)?,
        });
    }
    let index = Index::decode(&mut d)?;
    (d.remaining() == 0).then_some(Entry {
        skeleton: Skeleton {
            updated,
            records,
            people,
        },
        index,
    })
}

fn put_span(e: &mut Enc, s: Span) {
    put_opt(e, OptSpan::some(s));
}

fn put_opt(e: &mut Enc, s: OptSpan) {
    let (a, b) = s.raw();
    e.u32(a);
    e.u32(b);
}

/// A span or none; a span must lie inside a file of `size` bytes.
fn opt(d: &mut Dec<'_>, size: u64) -> Option<OptSpan> {
    let s = OptSpan::from_raw(d.u32()?, d.u32()?);
    match s.get() {
        Some(sp) if sp.start > sp.end || sp.end as u64 > size => None,
        _ => Some(s),
    }
}

fn span(d: &mut Dec<'_>, size: u64) -> Option<Span> {
    opt(d, size)?.get()
}

fn u32_at(c: &[u8], at: usize) -> u32 {
    match c.get(at..at + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => u32::MAX,
    }
}

/// A checksum against truncated or damaged entries, not against tampering (whoever can
/// write the cache can write the registry too): multiply-and-rotate over 8-byte words.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut x = [0u8; 8];
        x.copy_from_slice(w);
        h = (h ^ u64::from_le_bytes(x))
            .wrapping_mul(0x0100_0000_01b3)
            .rotate_left(29);
    }
    fnv(words.remainder()) ^ h
}

/// FNV-1a, 64 bits.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
