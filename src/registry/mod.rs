//! Reading the IANA Service Name and Transport Protocol Port Number Registry (XML or CSV)
//! into records, people and a lookup index.
//!
//! The format is detected from the content, never from the file name: XML when the first
//! non-whitespace character is `<` (and the root is `<registry>`), CSV when the first line
//! is exactly the IANA header ([`CSV_HEADER`]). HTML pages and JSON are recognised and
//! refused with a message saying so.
//!
//! * Spans are byte offsets into [`Registry::source`]; [`Registry::line_col`] turns them into
//!   lines and columns (the line index is built on first use).
//! * XML: only the five predefined entities and numeric character references are decoded. A
//!   DTD that declares entities is refused, unknown entity references are errors, and nothing
//!   is ever expanded or fetched. Element order inside `<record>` does not matter and unknown
//!   elements are skipped.
//! * CSV: there is no people table (`people` is empty) and no registry date; `updated` is
//!   the newest well-formed Registration/Modification date of any row. Assignee and Contact
//!   columns fill `assignee` and `contact` as they are (the CSV copies the contact into the
//!   assignee when the XML has no `<assignee>`).
//! * Files over [`MAX_REGISTRY_BYTES`] are refused before they are read.
//!
//! How an XML file is read, fast (a `check` must not wait for the 3.9 MB file): the file is
//! memory-mapped, not copied; a byte scanner (`scan.rs`) checks the whole document and notes
//! where each record and person is, with the fields the index needs; a record or person is
//! parsed with quick-xml only when something reads it ([`Records`], [`People`]). The scanner
//! accepts a strict subset of XML and gives up on anything else, and then the full quick-xml
//! parse reads the file (or reports its error), so both ways give the same registry
//! ([`Registry::from_bytes_eager`] is the full parse; tests/it/registry_scan.rs compares them).
//! CSV is always read in full.
//!
//! The index (names, ports per transport, service codes, people) is built at load from the
//! scanner's notes without parsing a record; the keys for [`Registry::similar_names`] are
//! built on its first call.
//!
//! The scan cache (`cache.rs`): scanning and indexing the 3.9 MB file was most of a
//! `check` (about 80 of 85 million instructions), so [`Registry::load`] saves the scanner's
//! notes, the index and the similar-name keys of an XML registry in the user cache
//! (`$XDG_CACHE_HOME/portreg/index/`, else `~/.cache/portreg/index/`) and reads them back
//! instead of scanning when the file is the same. "The same" is decided like git's index:
//! canonical path, size, modification and status-change times in ns, inode and device must
//! all match the entry, and an entry is only written for a file modified more than two
//! seconds before it was scanned (a change within the time stamps' granularity would go
//! unseen). Only documents the scanner accepted are cached, so a hit stands for the same
//! bytes that were checked as well formed. Entries carry a format and program version and a
//! checksum, are written to a temporary file and renamed into place, and are ignored (then
//! rewritten) when anything is off. The UTF-8 check of the file is still made on every load:
//! it costs little and does not depend on the cache. `PORTREG_NO_INDEX_CACHE=1` turns the
//! cache off; [`Registry::from_bytes`] and [`Registry::from_bytes_eager`] never use it. With
//! it, a one-draft `check` runs about 8 million instructions instead of 85.
//!
//! The files depend on each other in one direction (checked by a test in `layers.rs`): the
//! leaves `record` (the record types), `text`, `codec`, then `groups`, `error`, then
//! `scan` -> `xml` (and `csvfile`) -> `lazy` -> `index` -> `registry` (the [`Registry`] type
//! and its lookups) -> `cache` -> `load` (reading a file).
//!
//! ```
//! use portreg::testing::model::Transport;
//! use portreg::Registry;
//!
//! let xml = r#"<?xml version="1.0"?>
//! <registry id="service-names-port-numbers">
//!   <updated>2026-08-17</updated>
//!   <record date="1995-01"><name>http</name><protocol>tcp</protocol><number>80</number>
//!     <description>World Wide Web HTTP</description><xref type="person" data="Tim"/></record>
//!   <record><protocol>udp</protocol><number>80</number><description>Reserved</description></record>
//!   <people><person id="Tim"><name>Tim Berners-Lee</name></person></people>
//! </registry>"#;
//! let registry = Registry::from_bytes("example.xml", xml.as_bytes().to_vec())?;
//! assert_eq!(registry.records.len(), 2);
//! assert_eq!(registry.records.parsed_count(), 0); // nothing parsed yet
//!
//! let http: Vec<_> = registry.records_named("HTTP").collect(); // names fold ASCII case
//! assert_eq!(http[0].number.map(|n| n.lo), Some(80));
//! assert_eq!(http[0].description, "World Wide Web HTTP");
//! assert_eq!(registry.records.parsed_count(), 1); // only the record that was read
//!
//! assert!(registry.records_at(Transport::Udp, 80)[0].is_reserved());
//! assert_eq!(registry.person("Tim").and_then(|p| p.name.as_deref()), Some("Tim Berners-Lee"));
//! # Ok::<(), portreg::LoadError>(())
//! ```

// One direction only (tests in `layers` check it): the leaves `record` (types), `text`,
// `error` and `groups`; then scan -> xml (and csvfile) -> lazy -> index -> registry -> load.
mod cache;
mod codec;
mod contacts;
mod csvfile;
mod cursor;
pub(crate) mod entity;
mod error;
mod events;
pub(crate) mod fxhash;
mod groups;
mod index;
mod lazy;
mod load;
mod record;
// Named for the type it holds, the layer the issue calls "registry".
#[allow(clippy::module_inception)]
mod registry;
mod scan;
pub mod schema;
mod status;
mod text;
mod xml;

pub use csvfile::CSV_HEADER;
pub use error::{LoadError, LoadErrorKind};
pub use index::{Similar, SimilarKind};
pub use lazy::{People, Records};
pub use load::MAX_REGISTRY_BYTES;
pub use record::{Person, Record, RefKind, Reference};
pub use registry::{Format, Registry};
pub use status::{
    alias_in, alias_of, deassignment, unauthorized_numbers, Deassignment, NameStatus, PortStatus,
    StatusCounts, StatusKind,
};

#[cfg(test)]
mod layers;
