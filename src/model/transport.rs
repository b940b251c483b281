//! The four transport protocols the registry assigns numbers for.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Tcp,
    Udp,
    Sctp,
    Dccp,
}

impl Transport {
    pub const ALL: [Transport; 4] = [
        Transport::Tcp,
        Transport::Udp,
        Transport::Sctp,
        Transport::Dccp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
            Transport::Sctp => "sctp",
            Transport::Dccp => "dccp",
        }
    }

    /// Parses the exact lower-case spelling the registry and the draft format use.
    pub fn parse(s: &str) -> Option<Transport> {
        Transport::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// A dense index 0..4, for per-transport tables.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An inclusive port range `lo..=hi`; a single port has `lo == hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct PortRange {
    pub lo: u16,
    pub hi: u16,
}

impl PortRange {
    pub const fn single(port: u16) -> Self {
        PortRange { lo: port, hi: port }
    }
    pub const fn contains(&self, port: u16) -> bool {
        self.lo <= port && port <= self.hi
    }
    pub const fn overlaps(&self, other: &PortRange) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }
    pub const fn is_single(&self) -> bool {
        self.lo == self.hi
    }
    /// Parses `N` or `N-M` (registry form; `N-N` is accepted as written).
    pub fn parse(s: &str) -> Option<PortRange> {
        // The usual form, one to five digits, read directly (every record of a registry
        // comes through here).
        if (1..=5).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
            let n = s.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
            return u16::try_from(n).ok().map(PortRange::single);
        }
        let s = s.trim();
        match s.split_once('-') {
            None => s.parse().ok().map(PortRange::single),
            Some((a, b)) => {
                let lo: u16 = a.trim().parse().ok()?;
                let hi: u16 = b.trim().parse().ok()?;
                (lo <= hi).then_some(PortRange { lo, hi })
            }
        }
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_single() {
            write!(f, "{}", self.lo)
        } else {
            write!(f, "{}-{}", self.lo, self.hi)
        }
    }
}
