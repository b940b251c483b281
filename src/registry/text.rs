//! The registry's text, shared between the registry and its lazily parsed records: either a
//! memory map of the file or an owned string, checked to be UTF-8 once.

use std::fs::File;
use std::ops::Deref;
use std::sync::Arc;

/// Cheap to clone; dereferences to the whole file as `str`.
#[derive(Clone)]
pub(crate) struct Text(Arc<Inner>);

enum Inner {
    Owned(Box<str>),
    /// Validated as UTF-8 when it was made (see [`Text::map`]).
    Mapped(memmap2::Mmap),
}

/// Why a file could not become a [`Text`].
pub(crate) enum TextError {
    /// The map itself failed (not a regular file, …): read the file instead.
    Unmappable,
    /// The bytes are not UTF-8; `valid_up_to` is the offset of the first bad byte.
    Utf8 { bytes: Vec<u8>, valid_up_to: usize },
}

impl Text {
    pub(crate) fn owned(s: String) -> Text {
        Text(Arc::new(Inner::Owned(s.into_boxed_str())))
    }

    /// Maps a regular, non-empty file. Mapping instead of reading saves copying 3.9 MB into
    /// fresh memory, which costs more than scanning it (every new page is a fault).
    pub(crate) fn map(file: &File) -> Result<Text, TextError> {
        // SAFETY: the map is read-only and private to this process. Like every reader of a
        // mapped file (ripgrep, git), we rely on the file not being truncated or rewritten in
        // place while portreg runs; `registry update` replaces the cache by renaming a new
        // file over it, which leaves an existing map intact.
        // `populate`: every page is read below (UTF-8 check) and by the scan; faulting them
        // in one call costs far less than one page fault each.
        let map = unsafe {
            memmap2::MmapOptions::new()
                .populate()
                .map_copy_read_only(file)
        }
        .map_err(|_| TextError::Unmappable)?;
        if let Err(e) = std::str::from_utf8(&map) {
            return Err(TextError::Utf8 {
                bytes: map.to_vec(),
                valid_up_to: e.valid_up_to(),
            });
        }
        Ok(Text(Arc::new(Inner::Mapped(map))))
    }

    /// The text as a shared string (a copy when the file is mapped).
    pub(crate) fn to_arc_str(&self) -> Arc<str> {
        Arc::from(&**self)
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match &*self.0 {
            Inner::Owned(s) => s,
            // SAFETY: checked with `from_utf8` in `Text::map`, and the map is never written.
            Inner::Mapped(m) => unsafe { std::str::from_utf8_unchecked(m) },
        }
    }
}

/// Byte offset of the start of every line of `text` (the first is 0).
pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    let mut v = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    v.push(0);
    v.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    v
}
