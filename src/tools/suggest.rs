//! `portreg suggest`: User ports that are really free, and whether a service name is free.
//!
//! What "free" means (registry-data.md §3.4, RFC 6335 §8.1):
//!
//! * A number is free on a transport when an `Unassigned` record covers it there and no
//!   named record and no other nameless record (`Reserved`, `De-registered`, …) does. Named
//!   records are looked at first, because a few `Unassigned` ranges wrongly overlap
//!   assignments (7775, 7997).
//! * On tcp and udp a number with no record at all (a gap) is **not** free: gaps are defects
//!   of the registry, usually the missing `Reserved` twin of a one-transport assignment.
//! * On sctp and dccp "no record" is normal (the protocol-less `Unassigned` blocks are the
//!   usual coverage). Such a number counts as free only when it is free on tcp and udp too,
//!   because IANA keeps one number for one service across transports.
//! * A suggested number must also have no named record on *any* transport (not only the
//!   requested ones), so that `check` reports no `conflict/port-other-transport` for it.
//! * Only User ports are suggested: 1025-49150 (1024 and 49151 are Reserved by RFC 6335).
//! * A number with a de-assignment note on any transport (`(Removed 2004-2-6)` on an
//!   Unassigned record too: RFC 6335 §8.2 keeps de-assigned numbers back), or with known
//!   unauthorized uses on any transport (`Unauthorized Use Known on ports 27018 and 27019`),
//!   is never suggested.

use crate::model::Transport;
use crate::registry::{Record, Registry, Similar};

/// The lowest and highest User port that can be requested.
pub const USER_LO: u16 = 1025;
pub const USER_HI: u16 = 49150;

/// Whether `port` is free on transport `t` (see the module documentation).
pub fn is_free(registry: &Registry, t: Transport, port: u16) -> bool {
    let records = registry.records_at(t, port);
    if records.iter().any(|r| r.name.is_some()) {
        return false;
    }
    if records.iter().any(|r| !r.is_unassigned()) {
        return false;
    }
    if !records.is_empty() {
        return true; // only Unassigned records
    }
    match t {
        Transport::Tcp | Transport::Udp => false,
        Transport::Sctp | Transport::Dccp => {
            is_free(registry, Transport::Tcp, port) && is_free(registry, Transport::Udp, port)
        }
    }
}

/// Whether `port` can be suggested for `transports`: a User port, free on each of them, and
/// held by no named record on any transport.
pub fn is_suggestable(registry: &Registry, transports: &[Transport], port: u16) -> bool {
    (USER_LO..=USER_HI).contains(&port)
        && transports.iter().all(|&t| is_free(registry, t, port))
        && Transport::ALL.iter().all(|&t| {
            registry
                .records_at(t, port)
                .iter()
                .all(|r| r.name.is_none() && crate::registry::deassignment(r).is_none())
                && registry.unauthorized_at(t, port).is_empty()
        })
}

/// Up to `count` suggestable ports, nearest to `near` first (ties: the lower number first);
/// without `near`, in ascending order from the bottom of the User range.
pub fn free_ports(
    registry: &Registry,
    transports: &[Transport],
    near: Option<u16>,
    count: usize,
) -> Vec<u16> {
    let mut out = Vec::new();
    if count == 0 || transports.is_empty() {
        return out;
    }
    let center = near.unwrap_or(USER_LO).clamp(USER_LO, USER_HI);
    let consider = |p: u16, out: &mut Vec<u16>| {
        if is_suggestable(registry, transports, p) {
            out.push(p);
        }
    };
    let span = u32::from(USER_HI - USER_LO);
    for d in 0..=span {
        if out.len() >= count {
            break;
        }
        let below = u32::from(center)
            .checked_sub(d)
            .filter(|&p| p >= u32::from(USER_LO));
        let above = Some(u32::from(center) + d).filter(|&p| p <= u32::from(USER_HI) && d > 0);
        if below.is_none() && above.is_none() {
            break;
        }
        for p in [below, above].into_iter().flatten() {
            if out.len() < count {
                if let Ok(p) = u16::try_from(p) {
                    consider(p, &mut out);
                }
            }
        }
    }
    out
}

/// Why a name breaks RFC 6335 §5.1, if it does.
pub fn name_syntax_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the name is empty".into());
    }
    if name.chars().count() > 15 {
        return Some(format!(
            "`{name}` is {} characters; at most 15 are allowed",
            name.chars().count()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Some(format!(
            "`{name}` contains `{c}`; only ASCII letters, digits and hyphens are allowed"
        ));
    }
    if !name.chars().any(|c| c.is_ascii_alphabetic()) {
        return Some(format!("`{name}` has no letter"));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some(format!("`{name}` starts or ends with a hyphen"));
    }
    if name.contains("--") {
        return Some(format!("`{name}` has two hyphens in a row"));
    }
    None
}

/// What `suggest --name` says about a name.
#[derive(Debug)]
pub struct NameReport<'r> {
    pub name: String,
    /// Why the name breaks RFC 6335 §5.1 (then it cannot be registered at all).
    pub syntax: Option<String>,
    /// Records registered under this name (case-insensitive, legacy names included).
    pub taken: Vec<&'r Record>,
    /// Registered names an expert would call confusingly similar.
    pub similar: Vec<Similar<'r>>,
    /// Free, well-formed variants, none similar to a registered name.
    pub variants: Vec<String>,
}

impl NameReport<'_> {
    /// Free to request: well-formed and not registered (similar names are a warning only).
    pub fn is_free(&self) -> bool {
        self.syntax.is_none() && self.taken.is_empty()
    }
}

/// Suffixes tried for variants: words that say what the service does. Words that
/// `name/redundant-word` flags (`port`, `service`, `svc`, `protocol`, `proto`) and version
/// numbers (`name/version`) are deliberately absent.
const SUFFIXES: &[&str] = &[
    "ctl", "mgmt", "sync", "data", "api", "agent", "link", "relay", "mon", "cfg", "rpc", "msg",
    "stream", "gw", "hub", "ctrl", "net", "srv", "io", "app",
];

/// Whether a variant can be offered: well-formed, unregistered, similar to nothing.
fn variant_ok(registry: &Registry, candidate: &str) -> bool {
    name_syntax_problem(candidate).is_none()
        && registry.records_named(candidate).next().is_none()
        && registry.similar_names(candidate).is_empty()
}

/// Shorter forms of a well-formed base, nearest first: hyphen-separated words left out (the
/// last ones first: `acme-telemetry-pro` -> `acme-telemetry`), and the name cut to 15
/// characters at a word boundary or not. Only forms of at most 15 characters with a letter.
fn shortenings(base: &str) -> Vec<String> {
    let parts: Vec<&str> = base.split('-').filter(|p| !p.is_empty()).collect();
    let mut out: Vec<String> = Vec::new();
    let mut add = |c: String| {
        // Shorter than 5 characters, it is another name rather than a shortening.
        if c.len() >= 5
            && c.len() <= 15
            && c != base
            && c.chars().any(|ch| ch.is_ascii_alphabetic())
            && !out.contains(&c)
        {
            out.push(c);
        }
    };
    for keep in (1..parts.len()).rev() {
        add(parts[..keep].join("-"));
    }
    for skip in (1..parts.len()).rev() {
        let rest: Vec<&str> = parts
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, p)| *p)
            .collect();
        add(rest.join("-"));
    }
    if base.len() > 15 {
        add(base
            .get(..15)
            .unwrap_or(base)
            .trim_end_matches('-')
            .to_string());
    }
    // Nearest first: fewest characters dropped.
    out.sort_by_key(|c| std::cmp::Reverse(c.len()));
    out
}

/// Checks a name and, when it is not free (or only similar to others), proposes up to
/// `count` variants.
pub fn check_name<'r>(registry: &'r Registry, name: &str, count: usize) -> NameReport<'r> {
    let name = name.trim();
    let syntax = name_syntax_problem(name);
    let taken: Vec<&Record> = registry.records_named(name).collect();
    let similar = registry.similar_names(name);
    let mut variants = Vec::new();
    if syntax.is_some() || !taken.is_empty() || !similar.is_empty() {
        // A base made well-formed: lower case, invalid characters as hyphens, no doubled
        // or edge hyphens.
        let mut base: String = name
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        while base.contains("--") {
            base = base.replace("--", "-");
        }
        let base = base.trim_matches('-').to_string();
        if base.is_empty() || !base.chars().any(|c| c.is_ascii_alphabetic()) {
            return NameReport {
                name: name.to_string(),
                syntax,
                taken,
                similar,
                variants,
            };
        }
        if base.len() <= 15 && base != name.to_ascii_lowercase() && variant_ok(registry, &base) {
            variants.push(base.clone());
        }
        // A name too long: the nearest names first, the name itself with words left out or
        // cut to length.
        let too_long = base.len() > 15;
        for candidate in shortenings(&base).into_iter().filter(|_| too_long) {
            if variants.len() >= count {
                break;
            }
            if candidate != name.to_ascii_lowercase()
                && !variants.contains(&candidate)
                && variant_ok(registry, &candidate)
            {
                variants.push(candidate);
            }
        }
        for suffix in SUFFIXES {
            if variants.len() >= count {
                break;
            }
            let room = 15usize.saturating_sub(suffix.len() + 1);
            let stem: String = base.chars().take(room).collect();
            let stem = stem.trim_end_matches('-');
            if stem.is_empty() {
                continue;
            }
            let candidate = format!("{stem}-{suffix}");
            if !variants.contains(&candidate) && variant_ok(registry, &candidate) {
                variants.push(candidate);
            }
        }
    }
    variants.truncate(count);
    NameReport {
        name: name.to_string(),
        syntax,
        taken,
        similar,
        variants,
    }
}
