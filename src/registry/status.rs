//! What the registry says about each (transport, number) and each name: the record status
//! model of the life-cycle contract (`shared/spec/lifecycle.md` §1).
//!
//! Nothing here is computed when a registry loads. A number's status is read from the few
//! records that cover it, when asked; the list of unnamed records with a note (for historic
//! names) is found on the first name query and kept; only [`Registry::status_counts`] walks the whole
//! registry. So a `check` that asks no status question pays nothing for this module.
//!
//! Notes are read in the many wordings IANA has used (measured on the 2026-08-17 file):
//! `De-assigned on 2025-02-13, previously compressnet by [Bernie_Volz]`, `Historic usage was
//! acms. De-Assigned on 2020-12-29`, `Previously assigned to NETCONF over BEEP but released by
//! [RFC9900]`, `This entry has been removed on 2017-05-18.`, `(Removed 2004-2-6)`,
//! `De-registered 08 June 2001`, `"pcp" assignment withdrawn, …`. Notes on a Reserved record
//! that only tell the history of a number given out again since (`This port was previously
//! removed on 2007-04-05.`, `port 3001 previously "Removed on 2006-05-25"`) are not
//! de-assignments. Aliases: `This entry is an alias to "canit-store"`, `This is a duplicate of
//! the "http" service`.

use std::collections::BTreeMap;

use crate::model::{PortRange, Transport};

use super::record::Record;
use super::registry::{Noted, Registry};

/// The numbers RFC 6335 §6 reserves at the edges of the ranges.
pub const RANGE_EDGES: [u16; 4] = [0, 1023, 1024, 49151];

/// The first Dynamic (private) port (RFC 6335 §6).
pub const DYNAMIC_LO: u16 = 49152;

/// What a de-assignment note says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deassignment {
    /// The unnamed record that carries the note (or the `De-registered` description).
    pub record: usize,
    /// The date as the note writes it (`2025-02-13`, `2004-2-6`, `08 June 2001`).
    pub date: Option<String>,
    /// The service name the note gives (`acms`, `compressnet`, `pcp`).
    pub name: Option<String>,
    /// What the note says was there when that is not a service name (`NETCONF over BEEP`).
    pub previous: Option<String>,
    /// Who released it, as the note's reference (`Bernie_Volz`, `RFC9900`).
    pub released_by: Option<String>,
}

impl Deassignment {
    /// `acms, de-assigned on 2020-12-29` (whatever the note gives).
    pub fn describe(&self) -> String {
        let what = match (&self.name, &self.previous) {
            (Some(n), _) => format!("previously `{n}`"),
            (None, Some(p)) => format!("previously {p}"),
            (None, None) => String::new(),
        };
        let when = self
            .date
            .as_ref()
            .map(|d| format!("de-assigned on {d}"))
            .unwrap_or_else(|| "de-assigned".to_string());
        let by = self
            .released_by
            .as_ref()
            .map(|b| format!(" by [{b}]"))
            .unwrap_or_default();
        if what.is_empty() {
            format!("{when}{by}")
        } else {
            format!("{what}, {when}{by}")
        }
    }
}

/// The status of one (transport, number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortStatus {
    /// One or more named records (aliases, IETF overloads); their indices in document order.
    Assigned(Vec<usize>),
    /// An unnamed Reserved record mirroring the named records of another transport.
    ReservedOtherTransport {
        record: usize,
        holders: Vec<usize>,
    },
    /// Reserved (rarely Unassigned) after a de-assignment.
    ReservedDeassigned(Deassignment),
    /// 0, 1023, 1024 or 49151.
    ReservedEdge,
    /// Reserved for another reason (or a legacy nameless text such as "Deprecated").
    ReservedOther(usize),
    Unassigned(usize),
    /// 49152-65535, which the registry lists no records for (RFC 6335 §6).
    Dynamic,
    /// No record covers the number.
    Gap,
}

impl PortStatus {
    /// The status's name as `registry info` prints it.
    pub fn label(&self) -> &'static str {
        StatusKind::of(self).as_str()
    }
}

/// The statuses without their data, for counting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusKind {
    Assigned,
    ReservedOtherTransport,
    ReservedDeassigned,
    ReservedEdge,
    ReservedOther,
    Unassigned,
    Dynamic,
    Gap,
}

impl StatusKind {
    pub const ALL: [StatusKind; 8] = [
        StatusKind::Assigned,
        StatusKind::ReservedOtherTransport,
        StatusKind::ReservedDeassigned,
        StatusKind::ReservedEdge,
        StatusKind::ReservedOther,
        StatusKind::Unassigned,
        StatusKind::Dynamic,
        StatusKind::Gap,
    ];

    pub fn of(s: &PortStatus) -> StatusKind {
        match s {
            PortStatus::Assigned(_) => StatusKind::Assigned,
            PortStatus::ReservedOtherTransport { .. } => StatusKind::ReservedOtherTransport,
            PortStatus::ReservedDeassigned(_) => StatusKind::ReservedDeassigned,
            PortStatus::ReservedEdge => StatusKind::ReservedEdge,
            PortStatus::ReservedOther(_) => StatusKind::ReservedOther,
            PortStatus::Unassigned(_) => StatusKind::Unassigned,
            PortStatus::Dynamic => StatusKind::Dynamic,
            PortStatus::Gap => StatusKind::Gap,
        }
    }

    /// The key in `registry info --format json`.
    pub fn id(self) -> &'static str {
        match self {
            StatusKind::Assigned => "assigned",
            StatusKind::ReservedOtherTransport => "reserved-other-transport",
            StatusKind::ReservedDeassigned => "reserved-deassigned",
            StatusKind::ReservedEdge => "reserved-edge",
            StatusKind::ReservedOther => "reserved-other",
            StatusKind::Unassigned => "unassigned",
            StatusKind::Dynamic => "dynamic",
            StatusKind::Gap => "gap",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Assigned => "assigned",
            StatusKind::ReservedOtherTransport => "reserved, other transport",
            StatusKind::ReservedDeassigned => "reserved, de-assigned",
            StatusKind::ReservedEdge => "reserved, range edge",
            StatusKind::ReservedOther => "reserved, other",
            StatusKind::Unassigned => "unassigned",
            StatusKind::Dynamic => "dynamic",
            StatusKind::Gap => "gap",
        }
    }
}

/// The status of a service name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameStatus {
    /// Registered with at least one number.
    Registered,
    /// Registered without any number (DNS-SD names, names kept after a de-assignment).
    NameOnly,
    /// Not registered; a de-assignment note names it (`acms`).
    Historic(Vec<Deassignment>),
    Unknown,
}

/// Counts per status over every (transport, number), per transport, and per name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusCounts {
    /// `ports[status][transport index]`.
    pub ports: BTreeMap<StatusKind, [usize; 4]>,
    pub names_registered: usize,
    /// Of `names_registered`, those without any number.
    pub names_name_only: usize,
    /// Names only a de-assignment note remembers.
    pub names_historic: usize,
    /// Records whose note makes them an alias or duplicate of another name.
    pub aliases: usize,
    /// (transport, number) pairs with known unauthorized use.
    pub unauthorized: usize,
}

/// Case-insensitive `find` of an ASCII needle in `hay`, starting at `from` (memchr on the
/// needle's first byte in both cases, then a comparison).
fn find_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let (&first, _) = n.split_first()?;
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let last_start = h.len().checked_sub(n.len())?;
    let mut i = from;
    while i <= last_start {
        let at = i + memchr::memchr2(lo, up, h.get(i..=last_start)?)?;
        if h.get(at..at + n.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(n))
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn contains_ci(hay: &str, needle: &str) -> bool {
    find_ci(hay, needle, 0).is_some()
}

/// The text right after `marker` (case-insensitive), if the marker occurs.
fn after<'a>(hay: &'a str, marker: &str) -> Option<&'a str> {
    find_ci(hay, marker, 0).and_then(|i| hay.get(i + marker.len()..))
}

/// A leading service-name-like word (`acms`, `compressnet`).
fn leading_word(s: &str) -> Option<&str> {
    let s = s.trim_start();
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.')))
        .unwrap_or(s.len());
    let w = s[..end].trim_end_matches('.');
    (!w.is_empty()).then_some(w)
}

/// The first `[X]` reference after `by` (`… by [Bernie_Volz]`).
fn released_by(note: &str) -> Option<String> {
    let rest = after(note, " by ")?;
    let rest = rest.trim_start().strip_prefix('[')?;
    let end = rest.find(']')?;
    let id = rest[..end].trim();
    (!id.is_empty()).then(|| id.to_string())
}

/// The first date in the note: `YYYY-M-D` (any digit counts), else `[D ]Month YYYY`.
fn note_date(note: &str) -> Option<String> {
    let b = note.as_bytes();
    for i in 0..b.len() {
        if i > 0 && b[i - 1].is_ascii_digit() {
            continue;
        }
        let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
        let y = digits(i);
        if y != 4 || b.get(i + 4) != Some(&b'-') {
            continue;
        }
        let m = digits(i + 5);
        if !(1..=2).contains(&m) || b.get(i + 5 + m) != Some(&b'-') {
            continue;
        }
        let d = digits(i + 6 + m);
        if (1..=2).contains(&d) {
            return note.get(i..i + 6 + m + d).map(str::to_string);
        }
    }
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    for m in MONTHS {
        let Some(at) = find_ci(note, m, 0) else {
            continue;
        };
        let tail = &note[at + m.len()..];
        let year: String = tail.trim_start().chars().take(4).collect();
        if year.len() != 4 || !year.bytes().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let head = note[..at].trim_end();
        let day_len = head
            .bytes()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let start = if (1..=2).contains(&day_len) {
            head.len() - day_len
        } else {
            at
        };
        return Some(
            format!("{} {m} {year}", note[start..at].trim())
                .trim()
                .to_string(),
        );
    }
    None
}

/// Whether a note records that this record's number was de-assigned. Notes that only tell
/// the history of a number assigned again since are not (`previously removed`).
fn is_deassignment_note(note: &str) -> bool {
    if contains_ci(note, "previously removed")
        || contains_ci(note, "previously \"removed")
        || contains_ci(note, "previously noted")
        || contains_ci(note, "previously updated")
    {
        return false;
    }
    [
        "de-assigned",
        "deassigned",
        "historic usage was",
        "released by",
        "has been removed",
        "is being removed",
        "(removed",
        "de-registered",
        "deregistered",
        "withdrawn",
        "deprecated",
    ]
    .iter()
    .any(|m| contains_ci(note, m))
        || (contains_ci(note, "previously ") && contains_ci(note, " by ["))
}

/// The de-assignment an unnamed record stands for, if it is one: its note records it, or
/// its description is `De-registered` / `Removed`.
pub fn deassignment(r: &Record) -> Option<Deassignment> {
    if r.name.is_some() {
        return None;
    }
    let note = r.note.as_deref().unwrap_or("");
    let by_note = is_deassignment_note(note);
    let d = r.description.trim();
    let by_description = ["de-registered", "deregistered", "removed"]
        .iter()
        .any(|m| d.len() >= m.len() && d[..m.len()].eq_ignore_ascii_case(m));
    if !by_note && !by_description {
        return None;
    }
    let name = after(note, "historic usage was")
        .and_then(leading_word)
        .or_else(|| {
            // `previously compressnet by [...]` (not `previously assigned to ...`).
            let rest = after(note, "previously ")?;
            let w = leading_word(rest)?;
            let tail = rest.trim_start().get(w.len()..)?;
            (tail.trim_start().to_ascii_lowercase().starts_with("by")
                && !w.eq_ignore_ascii_case("assigned"))
            .then_some(w)
        })
        .or_else(|| {
            // `"pcp" assignment withdrawn`
            let at = find_ci(note, "\" assignment withdrawn", 0)?;
            let open = note[..at].rfind('"')?;
            leading_word(&note[open + 1..at])
        })
        .map(str::to_string);
    let previous = after(note, "previously assigned to ").map(|rest| {
        let end = find_ci(rest, " but ", 0).unwrap_or(rest.len());
        rest[..end].trim().trim_end_matches('.').to_string()
    });
    Some(Deassignment {
        record: r.index,
        date: note_date(note).or_else(|| note_date(d)),
        name,
        previous,
        released_by: released_by(note),
    })
}

/// Whether a nameless record leaves its numbers free (`Unassigned`, also IANA's
/// `Unassigned [was netstat]`).
fn is_unassigned_text(r: &Record) -> bool {
    r.name.is_none()
        && r.description
            .trim_start()
            .get(..10)
            .is_some_and(|s| s.eq_ignore_ascii_case("unassigned"))
}

/// The name a record's note makes it an alias or duplicate of (`This entry is an alias to
/// "canit-store"`, `This is a duplicate of the "http" service`).
pub fn alias_of(r: &Record) -> Option<&str> {
    alias_in(r.note.as_deref()?)
}

/// The name a note (a record's or a draft's `notes`) makes its entry an alias or duplicate of.
pub fn alias_in(note: &str) -> Option<&str> {
    for marker in ["is an alias to \"", "is a duplicate of the \""] {
        if let Some(rest) = after(note, marker) {
            let end = rest.find('"')?;
            let name = rest[..end].trim();
            if !name.is_empty() {
                return Some(name);
            }
        }
    }
    None
}

/// The numbers of record `r` that its `<unauthorized>` text names, else all of its numbers
/// (empty without such text or without a number).
pub fn unauthorized_numbers(r: &Record) -> Vec<PortRange> {
    let (Some(text), Some(range)) = (r.unauthorized.as_deref(), r.number) else {
        return Vec::new();
    };
    if text.trim().is_empty() {
        return Vec::new();
    }
    let mut named = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let lo = text[start..i].parse::<u16>().ok();
        let mut hi = lo;
        if b.get(i) == Some(&b'-') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            let s2 = i + 1;
            i = s2;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            hi = text[s2..i].parse::<u16>().ok();
        }
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if lo <= hi && range.contains(lo) && range.contains(hi) {
                named.push(PortRange { lo, hi });
            }
        }
    }
    if named.is_empty() {
        vec![range]
    } else {
        named
    }
}

impl Registry {
    /// The status of `port` on transport `t`, from the records covering it.
    pub fn port_status(&self, t: Transport, port: u16) -> PortStatus {
        let records = self.records_at(t, port);
        let named: Vec<usize> = records
            .iter()
            .filter(|r| r.name.is_some())
            .map(|r| r.index)
            .collect();
        if !named.is_empty() {
            return PortStatus::Assigned(named);
        }
        if let Some(d) = records.iter().find_map(|r| deassignment(r)) {
            return PortStatus::ReservedDeassigned(d);
        }
        if RANGE_EDGES.contains(&port) {
            return PortStatus::ReservedEdge;
        }
        if let Some(r) = records.iter().find(|r| !is_unassigned_text(r)) {
            let holders: Vec<usize> = Transport::ALL
                .iter()
                .filter(|&&u| u != t)
                .flat_map(|&u| self.records_at(u, port))
                .filter(|o| o.name.is_some() && o.protocol.is_some())
                .map(|o| o.index)
                .collect();
            return if holders.is_empty() {
                PortStatus::ReservedOther(r.index)
            } else {
                PortStatus::ReservedOtherTransport {
                    record: r.index,
                    holders,
                }
            };
        }
        match records.first() {
            Some(r) => PortStatus::Unassigned(r.index),
            None if port >= DYNAMIC_LO => PortStatus::Dynamic,
            None => PortStatus::Gap,
        }
    }

    /// The records covering `port` on `t` whose `<unauthorized>` text concerns that number.
    pub fn unauthorized_at(&self, t: Transport, port: u16) -> Vec<&Record> {
        self.records_at(t, port)
            .into_iter()
            .filter(|r| unauthorized_numbers(r).iter().any(|n| n.contains(port)))
            .collect()
    }

    /// The unnamed records that carry a note (where de-assignments and historic names are
    /// written), found once, on first use, from the scanner's notes and the raw text without
    /// parsing a record.
    fn noted_unnamed(&self) -> &[usize] {
        &self.noted().records
    }

    fn noted(&self) -> &Noted {
        self.status_cache().get_or_init(|| {
            let Some(scanned) = self.records.scanned() else {
                // Parsed already (CSV, eager loads): read the records themselves.
                let records = (0..self.records.len())
                    .filter(|&i| {
                        self.records
                            .get(i)
                            .is_some_and(|r| r.name.is_none() && r.note.is_some())
                    })
                    .collect();
                return Noted {
                    records,
                    ..Noted::default()
                };
            };
            let text = self.source();
            let note = memchr::memmem::Finder::new("<note");
            let records: Vec<usize> = scanned
                .iter()
                .enumerate()
                .filter(|(_, s)| s.name.is_none())
                .filter(|(_, s)| {
                    text.get(s.span.start..s.span.end)
                        .is_some_and(|raw| note.find(raw.as_bytes()).is_some())
                })
                .map(|(i, _)| i)
                .collect();
            let mut noted = Noted {
                records,
                ..Noted::default()
            };
            for &i in &noted.records {
                let raw = scanned
                    .get(i)
                    .and_then(|s| text.get(s.span.start..s.span.end))
                    .unwrap_or_default();
                noted
                    .lower
                    .extend(raw.bytes().map(|b| b.to_ascii_lowercase()));
                noted.lower.push(0);
                noted.ends.push(noted.lower.len() - 1);
            }
            noted
        })
    }

    /// For each noted record (in [`Registry::noted_unnamed`]'s order), whether its raw text
    /// holds `name`, compared ASCII case-insensitively. None when the records were not
    /// scanned (their raw text is not at hand).
    fn noted_holding(&self, name: &str) -> Option<Vec<bool>> {
        let noted = self.noted();
        let scanned = self.records.scanned()?;
        let needle = name.to_ascii_lowercase();
        if needle.is_empty() || needle.contains('\0') {
            // Such a name could run from one record's text into the next one's: asked of
            // each record alone.
            let text = self.source();
            return Some(
                noted
                    .records
                    .iter()
                    .map(|&i| {
                        scanned
                            .get(i)
                            .and_then(|s| text.get(s.span.start..s.span.end))
                            .is_some_and(|raw| contains_ci(raw, name))
                    })
                    .collect(),
            );
        }
        // One search over all the noted texts (one substring search per name, not one per
        // record and first letter); a hit never spans two records, which `\0` separates.
        let mut holding = vec![false; noted.records.len()];
        for at in memchr::memmem::find_iter(&noted.lower, needle.as_bytes()) {
            if let Some(hit) = holding.get_mut(noted.ends.partition_point(|&end| end < at)) {
                *hit = true;
            }
        }
        Some(holding)
    }

    /// Every de-assignment a note records, in document order.
    pub fn deassignments(&self) -> Vec<Deassignment> {
        self.noted_unnamed()
            .iter()
            .filter_map(|&i| self.records.get(i).and_then(deassignment))
            .collect()
    }

    /// The de-assignments that concern service `name`: their note names it, or (for notes
    /// such as `Previously assigned to NETCONF over BEEP`) gives the description of a record
    /// that still carries the name.
    pub fn name_deassignments(&self, name: &str) -> Vec<Deassignment> {
        let name = name.trim();
        if name.is_empty() {
            return Vec::new();
        }
        let descriptions: Vec<String> = self
            .records_named(name)
            .map(|r| r.description.trim().to_ascii_lowercase())
            .collect();
        // A name no record carries can only come from a note that spells it: only the notes
        // that hold it are parsed (the list of noted records is found once per run).
        let holding = match descriptions.is_empty() {
            true => self.noted_holding(name),
            false => None,
        };
        self.noted_unnamed()
            .iter()
            .enumerate()
            .filter(|&(k, _)| {
                holding
                    .as_ref()
                    .is_none_or(|h| h.get(k).copied().unwrap_or(false))
            })
            .filter_map(|(_, &i)| self.records.get(i).and_then(deassignment))
            .filter(|d| {
                d.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    || d.previous
                        .as_deref()
                        .is_some_and(|p| descriptions.contains(&p.to_ascii_lowercase()))
            })
            .collect()
    }

    /// The status of a service name.
    pub fn name_status(&self, name: &str) -> NameStatus {
        let mut records = self.records_named(name).peekable();
        if records.peek().is_some() {
            return if records.any(|r| r.number.is_some()) {
                NameStatus::Registered
            } else {
                NameStatus::NameOnly
            };
        }
        let d = self.name_deassignments(name);
        if d.is_empty() {
            NameStatus::Unknown
        } else {
            NameStatus::Historic(d)
        }
    }

    /// Whether two names are one service: equal, or one's note makes it an alias or
    /// duplicate of the other, or both are aliases of one name (`www`, `www-http` → `http`).
    pub fn same_service(&self, a: &str, b: &str) -> bool {
        let (a, b) = (a.trim(), b.trim());
        if a.eq_ignore_ascii_case(b) {
            return true;
        }
        let targets = |n: &str| -> Vec<String> {
            self.records_named(n)
                .filter_map(|r| alias_of(r).map(str::to_ascii_lowercase))
                .collect()
        };
        let (ta, tb) = (targets(a), targets(b));
        ta.contains(&b.to_ascii_lowercase())
            || tb.contains(&a.to_ascii_lowercase())
            || ta.iter().any(|t| tb.contains(t))
    }

    /// Counts per status of every (transport, number) and every name. Walks (and parses)
    /// the whole registry: for `registry info` and tests, not for a `check`.
    pub fn status_counts(&self) -> StatusCounts {
        let mut c = StatusCounts::default();
        for k in StatusKind::ALL {
            c.ports.insert(k, [0; 4]);
        }
        for t in Transport::ALL {
            for port in 0..=u16::MAX {
                let k = StatusKind::of(&self.port_status(t, port));
                if let Some(row) = c.ports.get_mut(&k) {
                    row[t.index()] += 1;
                }
                if !self.unauthorized_at(t, port).is_empty() {
                    c.unauthorized += 1;
                }
            }
        }
        let mut names: BTreeMap<String, bool> = BTreeMap::new();
        for r in &self.records {
            if alias_of(r).is_some() {
                c.aliases += 1;
            }
            if let Some(n) = r.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                *names.entry(n.to_ascii_lowercase()).or_default() |= r.number.is_some();
            }
        }
        c.names_registered = names.len();
        c.names_name_only = names.values().filter(|&&numbered| !numbered).count();
        let mut historic: Vec<String> = self
            .deassignments()
            .into_iter()
            .filter_map(|d| d.name.map(|n| n.to_ascii_lowercase()))
            .filter(|n| !names.contains_key(n))
            .collect();
        historic.sort();
        historic.dedup();
        c.names_historic = historic.len();
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(description: &str, note: Option<&str>) -> Record {
        let mut r = Record::empty(7, crate::source::Span::new(0, 0));
        r.description = description.to_string();
        r.note = note.map(str::to_string);
        r
    }

    #[test]
    fn reads_every_wording_of_a_deassignment() {
        let d = deassignment(&rec(
            "Reserved",
            Some("De-assigned on 2025-02-13, previously compressnet by [Bernie_Volz]"),
        ))
        .expect("compressnet");
        assert_eq!(d.date.as_deref(), Some("2025-02-13"));
        assert_eq!(d.name.as_deref(), Some("compressnet"));
        assert_eq!(d.released_by.as_deref(), Some("Bernie_Volz"));
        assert_eq!(d.record, 7);

        let d = deassignment(&rec(
            "Reserved",
            Some("Historic usage was acms. De-Assigned on 2020-12-29"),
        ))
        .expect("acms");
        assert_eq!(
            (d.name.as_deref(), d.date.as_deref()),
            (Some("acms"), Some("2020-12-29"))
        );
        assert_eq!(d.describe(), "previously `acms`, de-assigned on 2020-12-29");

        let d = deassignment(&rec(
            "Reserved",
            Some("Previously assigned to NETCONF over BEEP but released by [RFC9900]"),
        ))
        .expect("netconf");
        assert_eq!(d.name, None);
        assert_eq!(d.previous.as_deref(), Some("NETCONF over BEEP"));
        assert_eq!(d.released_by.as_deref(), Some("RFC9900"));

        for (note, date) in [
            ("This entry has been removed on 2017-05-18.", "2017-05-18"),
            ("This entry is being removed on 2013-05-24.", "2013-05-24"),
            ("(Removed 2004-2-6)", "2004-2-6"),
            ("De-registered 08 June 2001", "08 June 2001"),
            ("Deprecated June 2004", "June 2004"),
            ("De-Assigned on 2023-11-16.", "2023-11-16"),
        ] {
            let d = deassignment(&rec("Reserved", Some(note))).expect(note);
            assert_eq!(d.date.as_deref(), Some(date), "{note}");
        }
        let d = deassignment(&rec(
            "Unassigned",
            Some("\"pcp\" assignment withdrawn, moved to port 5351 per RFC6887"),
        ))
        .expect("pcp");
        assert_eq!(d.name.as_deref(), Some("pcp"));
        assert!(deassignment(&rec("De-registered", None)).is_some());
    }

    #[test]
    fn history_of_a_reassigned_number_is_no_deassignment() {
        for note in [
            "This port was previously removed on 2007-04-05.",
            "port 3001 previously \"Removed on 2006-05-25\"",
            "port 3121 previously noted \"Removed on 2003-09-17\"",
            "this port was previously updated on 2009-06-19",
            "(previous contact was) [Christopher_Allen]",
            "Microsoft (unoffically) using 1895",
        ] {
            assert_eq!(deassignment(&rec("Reserved", Some(note))), None, "{note}");
        }
        assert_eq!(deassignment(&rec("Reserved", None)), None);
        let mut named = rec("x", Some("De-Assigned on 2023-11-16."));
        named.name = Some("x".into());
        assert_eq!(deassignment(&named), None);
    }

    #[test]
    fn aliases_and_duplicates() {
        let r = rec(
            "CanIt Storage Manager",
            Some("This entry is an alias to \"canit-store\".\nThis entry is now historic."),
        );
        assert_eq!(alias_of(&r), Some("canit-store"));
        let r = rec(
            "World Wide Web HTTP",
            Some("This is a duplicate of the \"http\" service and should not be used"),
        );
        assert_eq!(alias_of(&r), Some("http"));
        assert_eq!(alias_of(&rec("x", Some("Defined TXT keys: None"))), None);
    }

    #[test]
    fn unauthorized_numbers_inside_the_record_else_all() {
        let mut r = rec("Unassigned", None);
        r.number = PortRange::parse("27018-27344");
        r.unauthorized = Some("Unauthorized Use Known on ports 27018 and 27019".into());
        assert_eq!(
            unauthorized_numbers(&r),
            [PortRange::single(27018), PortRange::single(27019)]
        );
        r.number = PortRange::parse("33436-33655");
        r.unauthorized = Some("Known Unauthorized Use on ports 33436-33534".into());
        assert_eq!(
            unauthorized_numbers(&r),
            PortRange::parse("33436-33534")
                .into_iter()
                .collect::<Vec<_>>()
        );
        r.number = PortRange::parse("79");
        r.unauthorized =
            Some("Unauthorized use by some mail users (see [RFC4146] for details)".into());
        assert_eq!(unauthorized_numbers(&r), [PortRange::single(79)]);
        r.unauthorized = None;
        assert!(unauthorized_numbers(&r).is_empty());
    }
}
