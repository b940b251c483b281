//! A request draft after reading: every value keeps the span it was read from. Values that
//! had the right TOML type are kept even when their content is wrong (an unknown transport,
//! a port of 70000), so that the rules, not the reader, judge them.

use std::collections::BTreeMap;

use crate::diagnostic::FileId;
use crate::source::{Span, Spanned};

pub type Text = Spanned<String>;

/// One draft file.
#[derive(Debug, Default)]
pub struct Draft {
    pub file: Option<FileId>,
    pub entries: Vec<Entry>,
    /// `[people.<id>]` tables, by id as written.
    pub people: BTreeMap<String, Person>,
    /// Span of the whole text, for file-level findings.
    pub span: Span,
}

impl Draft {
    /// Resolves an id (with or without the registry's `[Id]` brackets) in this draft.
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.get(strip_brackets(id))
    }
}

/// `"[Jane_Doe]"` and `"Jane_Doe"` are the same id.
pub fn strip_brackets(id: &str) -> &str {
    let t = id.trim();
    t.strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(t)
}

/// One `[[entry]]`: a proposed registration (one registry record per transport).
#[derive(Debug, Default)]
pub struct Entry {
    /// 0-based index of the `[[entry]]` in its file.
    pub index: usize,
    /// The `[[entry]]` table (header or body): where missing-field findings point.
    pub span: Span,
    pub name: Option<Text>,
    /// `transport`, as a list even when written as a string; the outer span covers the value.
    pub transports: Option<Spanned<Vec<Text>>>,
    pub port: Option<Spanned<PortValue>>,
    pub description: Option<Text>,
    pub assignee: Option<Spanned<PersonRef>>,
    pub contact: Option<Spanned<PersonRef>>,
    pub references: Option<Spanned<Vec<Text>>>,
    /// The service code as written (an integer is kept as its decimal digits); the first
    /// one when `service-code` is an array.
    pub service_code: Option<Text>,
    /// Every service code of `service-code` (a single code is a list of one); the outer
    /// span covers the value.
    pub service_codes: Option<Spanned<Vec<Text>>>,
    pub txt_keys: Option<Spanned<Vec<Text>>>,
    pub notes: Option<Text>,
    pub unauthorized: Option<Text>,
    pub kind: Option<Spanned<EntryKind>>,
    pub justification: Justification,
    /// `[entry.lint] allow = [...]` suppressions.
    pub allows: Vec<Allow>,
    /// Keys present with a value of the wrong type (`draft/type`), or absent but written
    /// under a likely typo (`draft/unknown-key` with "did you mean"): the "missing" rules
    /// leave them alone, since the key is there. Keys of `[entry.justification]` are listed
    /// by their own names (no entry key has the same name).
    pub mistyped: Vec<&'static str>,
    /// Lifecycle requests (lifecycle.md §2): who asks for the change.
    pub requester: Option<Spanned<PersonRef>>,
    /// `[entry.changes]` of a `modify`.
    pub changes: Option<Changes>,
    /// `keep-name` of a `deassign` (absent = true, as RFC 6335 §8.2 recommends).
    pub keep_name: Option<Spanned<bool>>,
    /// `no-longer-used` of a `deassign`: why the number is no longer in use.
    pub no_longer_used: Option<Text>,
    /// `succession` of a `modify` that changes the assignee.
    pub succession: Option<Text>,
    /// `previous` of a `reuse`: the service name that holds the number until now.
    pub previous: Option<Text>,
    /// `to` of a `transfer`: the party the records would go to.
    pub to: Option<Spanned<PersonRef>>,
}

/// `[entry.changes]`: the new values a `modify` asks for.
#[derive(Debug, Default)]
pub struct Changes {
    pub span: Span,
    pub description: Option<Text>,
    pub contact: Option<Spanned<PersonRef>>,
    pub references: Option<Spanned<Vec<Text>>>,
    pub notes: Option<Text>,
    pub name: Option<Text>,
    pub assignee: Option<Spanned<PersonRef>>,
}

impl Changes {
    /// Whether no change is asked for.
    pub fn is_empty(&self) -> bool {
        self.description.is_none()
            && self.contact.is_none()
            && self.references.is_none()
            && self.notes.is_none()
            && self.name.is_none()
            && self.assignee.is_none()
    }
}

impl Entry {
    /// Whether `key` was written with a value of the wrong type.
    pub fn mistyped(&self, key: &str) -> bool {
        self.mistyped.contains(&key)
    }

    /// Whether the justification answer `key` was written but could not be read: under a
    /// misspelt key, or in a misspelt or mistyped `[entry.justification]` table.
    pub fn answer_unreadable(&self, key: &str) -> bool {
        self.mistyped(key) || self.mistyped("justification")
    }
}

impl Entry {
    pub fn name_str(&self) -> Option<&str> {
        self.name.as_ref().map(|n| n.value.as_str())
    }
    /// Whether a port (number, range, `user` or `system`) is requested.
    pub fn port_requested(&self) -> bool {
        self.port.is_some()
    }
    pub fn is_extend(&self) -> bool {
        matches!(self.kind.as_ref().map(|k| k.value), Some(EntryKind::Extend))
    }
    /// The entry's kind (`new` when absent or unreadable).
    pub fn kind(&self) -> EntryKind {
        self.kind.as_ref().map_or(EntryKind::New, |k| k.value)
    }
    /// Whether the entry asks for names and numbers the registry must not hold yet (see
    /// [`EntryKind::asks_for_number`]; no `kind` is `new`).
    pub fn asks_for_number(&self) -> bool {
        self.kind.as_ref().is_none_or(|k| k.value.asks_for_number())
    }
    /// The transports that parse as one of the four known ones, de-duplicated, in order.
    pub fn known_transports(&self) -> Vec<crate::model::Transport> {
        let mut out = Vec::new();
        for t in self.transports.iter().flat_map(|t| t.value.iter()) {
            if let Some(t) = crate::model::Transport::parse(&t.value) {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        out
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    New,
    Extend,
    /// RFC 6335 §8.6 (and practice): description, contact, references, notes, name, assignee.
    Modify,
    /// RFC 6335 §8.2.
    Deassign,
    /// RFC 6335 §8.3: the assignee's own number for a different application.
    Reuse,
    /// RFC 6335 §8.5: not permitted; explained.
    Transfer,
}

impl EntryKind {
    pub const ALL: [EntryKind; 6] = [
        EntryKind::New,
        EntryKind::Extend,
        EntryKind::Modify,
        EntryKind::Deassign,
        EntryKind::Reuse,
        EntryKind::Transfer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::New => "new",
            EntryKind::Extend => "extend",
            EntryKind::Modify => "modify",
            EntryKind::Deassign => "deassign",
            EntryKind::Reuse => "reuse",
            EntryKind::Transfer => "transfer",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A change to registered records (`modify`, `deassign`, `transfer`): the §8.1.1 template
    /// is not asked of it, so the template rules do not run on it.
    pub fn is_change(self) -> bool {
        matches!(
            self,
            EntryKind::Modify | EntryKind::Deassign | EntryKind::Transfer
        )
    }

    /// A request about registered records, with a `requester` (lifecycle.md §2).
    pub fn is_lifecycle(self) -> bool {
        self.is_change() || self == EntryKind::Reuse
    }

    /// Whether an entry of this kind asks for a (transport, number) or a name for the
    /// requester: `new`, `extend` and `reuse` (RFC 6335 §8.3), not the requests about
    /// records the requester already holds. The status rules (`conflict/port-deassigned`,
    /// `policy/unauthorized-use`, …) apply to these kinds.
    pub fn asks_for_number(self) -> bool {
        match self {
            EntryKind::New | EntryKind::Extend | EntryKind::Reuse => true,
            EntryKind::Modify | EntryKind::Deassign | EntryKind::Transfer => false,
        }
    }
}

/// The `port` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortValue {
    Single(u16),
    /// `"N-M"` with N < M.
    Range(u16, u16),
    /// `"user"`: let IANA pick a User port.
    User,
    /// `"system"`: let IANA pick a System port.
    System,
    /// An integer or string that is not a valid port; the text as written, and why.
    Invalid {
        text: String,
        reason: String,
    },
}

impl PortValue {
    /// The concrete numbers asked for, as an inclusive range.
    pub fn range(&self) -> Option<(u16, u16)> {
        match *self {
            PortValue::Single(p) => Some((p, p)),
            PortValue::Range(a, b) => Some((a, b)),
            _ => None,
        }
    }
}

/// `assignee` / `contact`: an id into `[people]` (or the registry), or an inline person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonRef {
    Id(String),
    Inline(Person),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Person {
    pub name: Option<Text>,
    pub org: Option<Text>,
    pub email: Option<Text>,
    pub uri: Option<Text>,
    /// The table (inline or `[people.<id>]`).
    pub span: Span,
}

/// `[entry.justification]`.
#[derive(Debug, Default)]
pub struct Justification {
    pub span: Option<Span>,
    pub why_not_dynamic: Option<Text>,
    pub why_not_user: Option<Text>,
    pub cast: Option<Spanned<Cast>>,
    pub why_multiple_transports: Option<Text>,
    pub why_multiple_ports: Option<Text>,
    pub security: Option<Text>,
    pub versioning: Option<Text>,
    pub discovery: Option<Text>,
    /// The rest of IANA's form (Q2, Q3, Q7's second half, Q8, Q9).
    pub udp_congestion: Option<Text>,
    pub udp_discovery_only: Option<Spanned<bool>>,
    pub why_not_existing_port: Option<Text>,
    pub development_state: Option<Text>,
    pub differs_from_existing: Option<Text>,
}

/// The broadcast/multicast/anycast statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cast {
    Statement(String),
    Flags {
        broadcast: Option<bool>,
        multicast: Option<bool>,
        anycast: Option<bool>,
    },
}

/// One `[entry.lint] allow` item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allow {
    pub rule: Text,
    pub reason: Option<Text>,
    pub span: Span,
}

/// A `Text` with only whitespace counts as absent for the "missing" rules.
pub fn is_blank(t: &Option<Text>) -> bool {
    t.as_ref().is_none_or(|t| t.value.trim().is_empty())
}
