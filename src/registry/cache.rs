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

use super::record::OptSpan;
use super::scan::{ScannedPerson, ScannedRecord, Skeleton};

/// Set (to anything but empty or `0`) to neither read nor write the cache.
pub const DISABLE_ENV: &str = "PORTREG_NO_INDEX_CACHE";

/// A file modified less than this long before it was scanned is not cached.
pub const SETTLED_SECS: i64 = 2;

/// Bumped whenever the layout below or the meaning of the scanner's notes changes.
const FORMAT: u32 = 1;
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

    fn encode(&self, out: &mut Vec<u8>) {
        let path = self.path.as_os_str().as_encoded_bytes();
        put_u32(out, u32::try_from(path.len()).unwrap_or(u32::MAX));
        out.extend_from_slice(path);
        out.extend_from_slice(&self.size.to_le_bytes());
        out.extend_from_slice(&self.mtime_ns.to_le_bytes());
        out.extend_from_slice(&self.ctime_ns.to_le_bytes());
        out.extend_from_slice(&self.inode.to_le_bytes());
        out.extend_from_slice(&self.device.to_le_bytes());
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
pub(crate) fn read(key: &Key) -> Option<Skeleton> {
    let bytes = std::fs::read(key.entry_path()?).ok()?;
    decode(key, &bytes)
}

/// Saves the scan of the file `key` names (best effort: a cache that cannot be written is
/// only slower). `now_ns` is the time of the scan.
pub(crate) fn write(key: &Key, skeleton: &Skeleton, now_ns: i128) {
    if now_ns - key.mtime_ns < i128::from(SETTLED_SECS) * 1_000_000_000 {
        return;
    }
    let Some(path) = key.entry_path() else {
        return;
    };
    let Some(dir) = path.parent() else {
        return;
    };
    let bytes = encode(key, skeleton);
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

pub(crate) fn encode(key: &Key, s: &Skeleton) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + s.records.len() * RECORD_BYTES + s.people.len() * 16);
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, FORMAT);
    let version = env!("CARGO_PKG_VERSION").as_bytes();
    put_u32(&mut out, version.len() as u32);
    out.extend_from_slice(version);
    key.encode(&mut out);
    match &s.updated {
        Some(u) => {
            put_u32(&mut out, u32::try_from(u.len()).unwrap_or(u32::MAX - 1));
            out.extend_from_slice(u.as_bytes());
        }
        None => put_u32(&mut out, u32::MAX),
    }
    put_u32(&mut out, s.records.len() as u32);
    put_u32(&mut out, s.people.len() as u32);
    for r in &s.records {
        put_span(&mut out, r.span);
        put_opt(&mut out, r.name);
        out.push(r.protocol.map_or(0, |t| t.index() as u8 + 1));
        put_opt(&mut out, r.protocol_span);
        match r.number {
            Some(n) => {
                out.push(1);
                out.extend_from_slice(&n.lo.to_le_bytes());
                out.extend_from_slice(&n.hi.to_le_bytes());
            }
            None => out.extend_from_slice(&[0; 5]),
        }
        put_opt(&mut out, r.number_span);
        put_opt(&mut out, r.sc);
    }
    for p in &s.people {
        put_span(&mut out, p.span);
        put_opt(&mut out, p.id);
    }
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// Bytes of one record in an entry.
const RECORD_BYTES: usize = 8 + 8 + 1 + 8 + 5 + 8 + 8;

/// The scan stored in `bytes`, if they are a whole, uncorrupted entry for exactly `key`
/// whose spans all lie inside the file.
pub(crate) fn decode(key: &Key, bytes: &[u8]) -> Option<Skeleton> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if checksum(body).to_le_bytes() != sum {
        return None;
    }
    let mut r = Reader { b: body, at: 0 };
    if r.take(MAGIC.len())? != MAGIC || r.u32()? != FORMAT {
        return None;
    }
    let version_len = r.u32()? as usize;
    if r.take(version_len)? != env!("CARGO_PKG_VERSION").as_bytes() {
        return None;
    }
    let mut expected = Vec::new();
    key.encode(&mut expected);
    if r.take(expected.len())? != expected.as_slice() {
        return None;
    }
    let updated = match r.u32()? {
        u32::MAX => None,
        n => Some(String::from_utf8(r.take(n as usize)?.to_vec()).ok()?),
    };
    let records = r.u32()? as usize;
    let people = r.u32()? as usize;
    // Checked before allocating: a count must fit in what is left.
    if records.checked_mul(RECORD_BYTES)? + people.checked_mul(16)? != r.b.len() - r.at {
        return None;
    }
    let size = key.size;
    let mut s = Skeleton {
        updated,
        records: Vec::with_capacity(records),
        people: Vec::with_capacity(people),
    };
    for _ in 0..records {
        let span = r.span(size)?;
        let name = r.opt(size)?;
        let protocol = match r.take(1)?[0] {
            0 => None,
            t => Some(*Transport::ALL.get(usize::from(t) - 1)?),
        };
        let protocol_span = r.opt(size)?;
        let n = r.take(5)?;
        let number = match n[0] {
            0 => None,
            1 => Some(PortRange {
                lo: u16::from_le_bytes([n[1], n[2]]),
                hi: u16::from_le_bytes([n[3], n[4]]),
            }),
            _ => return None,
        };
        s.records.push(ScannedRecord {
            span,
            name,
            protocol,
            protocol_span,
            number,
            number_span: r.opt(size)?,
            sc: r.opt(size)?,
        });
    }
    for _ in 0..people {
        s.people.push(ScannedPerson {
            span: r.span(size)?,
            id: r.opt(size)?,
        });
    }
    Some(s)
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_span(out: &mut Vec<u8>, s: Span) {
    put_opt(out, OptSpan::some(s));
}

fn put_opt(out: &mut Vec<u8>, s: OptSpan) {
    let (a, b) = s.raw();
    put_u32(out, a);
    put_u32(out, b);
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.b.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    /// A span or none; a span must lie inside a file of `size` bytes.
    fn opt(&mut self, size: u64) -> Option<OptSpan> {
        let (a, b) = (self.u32()?, self.u32()?);
        let s = OptSpan::from_raw(a, b);
        match s.get() {
            Some(sp) if sp.start > sp.end || sp.end as u64 > size => None,
            _ => Some(s),
        }
    }

    fn span(&mut self, size: u64) -> Option<Span> {
        self.opt(size)?.get()
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
