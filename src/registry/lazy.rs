//! Records and people that are parsed when first read. A `check` looks at a few records of
//! the 14,533; parsing all of them up front would cost more than everything else it does.

use std::borrow::Cow;
use std::fmt;
use std::ops::Index;
use std::sync::OnceLock;

use super::record::{Person, Record};
use super::scan::{ScannedPerson, ScannedRecord};
use super::text::Text;
use super::xml;

/// Where the items of a list come from.
#[derive(Clone)]
enum Source {
    /// Every item was parsed when the registry was loaded.
    Parsed,
    /// The scanner's notes, one per item, turned into an item on first access.
    Records(Vec<ScannedRecord>),
    People(Vec<ScannedPerson>),
}

/// A list of records or people in document order, indexed like a slice. Items of an XML
/// registry are parsed on first access; the first access to each costs a parse of that one
/// element, later ones are free.
#[derive(Clone)]
pub struct Lazy<T> {
    text: Text,
    source: Source,
    items: Vec<OnceLock<Box<T>>>,
    parse: fn(&str, usize, &Source) -> T,
}

/// The records of a registry.
pub type Records = Lazy<Record>;
/// The `<people>` table of a registry (empty for CSV).
pub type People = Lazy<Person>;

impl<T> Lazy<T> {
    /// A list whose items are all parsed already (its `parse` is never called).
    fn parsed(text: Text, items: Vec<T>, parse: fn(&str, usize, &Source) -> T) -> Lazy<T> {
        Lazy {
            text,
            source: Source::Parsed,
            items: items
                .into_iter()
                .map(|x| OnceLock::from(Box::new(x)))
                .collect(),
            parse,
        }
    }

    fn pending(
        text: Text,
        source: Source,
        len: usize,
        parse: fn(&str, usize, &Source) -> T,
    ) -> Self {
        Lazy {
            text,
            source,
            items: (0..len).map(|_| OnceLock::new()).collect(),
            parse,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The item at `i`, parsed now if this is its first access.
    pub fn get(&self, i: usize) -> Option<&T> {
        let cell = self.items.get(i)?;
        Some(cell.get_or_init(|| Box::new((self.parse)(&self.text, i, &self.source))))
    }

    /// The item at `i` without keeping it: the stored item when there is one, else a fresh
    /// parse that the caller owns. `registry lint` reads each record once this way, so the
    /// 145,000 records of a large file need not all be in memory at once.
    pub fn peek(&self, i: usize) -> Option<Cow<'_, T>>
    where
        T: Clone,
    {
        let cell = self.items.get(i)?;
        if let Some(x) = cell.get() {
            return Some(Cow::Borrowed(&**x));
        }
        match self.source {
            // Parsed up front: every cell is set, so this is not reached.
            Source::Parsed => self.get(i).map(Cow::Borrowed),
            _ => Some(Cow::Owned((self.parse)(&self.text, i, &self.source))),
        }
    }

    /// How many items have been parsed so far (all of them for CSV and eager loads).
    pub fn parsed_count(&self) -> usize {
        self.items.iter().filter(|c| c.get().is_some()).count()
    }

    pub fn first(&self) -> Option<&T> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&T> {
        self.get(self.len().checked_sub(1)?)
    }

    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            list: self,
            front: 0,
            back: self.len(),
        }
    }

    /// The items at `which` (in that order) as a new list over the same text, none of them
    /// parsed; an item's index is its place in the new list. None for a list parsed in full
    /// (or an index out of range). `registry diff` runs the registry-wide rules on the few
    /// records and people a change touches this way.
    pub(crate) fn excerpt(&self, which: &[usize]) -> Option<Lazy<T>> {
        let source = match &self.source {
            Source::Parsed => return None,
            Source::Records(v) => Source::Records(
                which
                    .iter()
                    .map(|&i| v.get(i).copied())
                    .collect::<Option<_>>()?,
            ),
            Source::People(v) => Source::People(
                which
                    .iter()
                    .map(|&i| v.get(i).copied())
                    .collect::<Option<_>>()?,
            ),
        };
        Some(Lazy::pending(
            self.text.clone(),
            source,
            which.len(),
            self.parse,
        ))
    }
}

impl Records {
    pub(crate) fn from_parsed(text: Text, records: Vec<Record>) -> Records {
        Lazy::parsed(text, records, parse_record)
    }

    pub(crate) fn from_scan(text: Text, scanned: Vec<ScannedRecord>) -> Records {
        let n = scanned.len();
        Lazy::pending(text, Source::Records(scanned), n, parse_record)
    }

    /// Where record `i` is, from the scanner's notes (None when the records were parsed
    /// up front).
    pub(crate) fn scanned_span(&self, i: usize) -> Option<crate::source::Span> {
        match &self.source {
            Source::Records(v) => v.get(i).map(|r| r.span),
            _ => None,
        }
    }

    /// The scanner's notes when the records are not parsed yet (the index reads its keys
    /// from them instead of parsing every record).
    pub(crate) fn scanned(&self) -> Option<&[ScannedRecord]> {
        match &self.source {
            Source::Records(v) => Some(v),
            _ => None,
        }
    }
}

impl People {
    pub(crate) fn from_parsed(text: Text, people: Vec<Person>) -> People {
        Lazy::parsed(text, people, parse_person)
    }

    pub(crate) fn from_scan(text: Text, scanned: Vec<ScannedPerson>) -> People {
        let n = scanned.len();
        Lazy::pending(text, Source::People(scanned), n, parse_person)
    }

    pub(crate) fn scanned(&self) -> Option<&[ScannedPerson]> {
        match &self.source {
            Source::People(v) => Some(v),
            _ => None,
        }
    }
}

fn parse_record(text: &str, i: usize, source: &Source) -> Record {
    let scanned = match source {
        Source::Records(v) => v.get(i).copied().unwrap_or_default(),
        _ => ScannedRecord::default(),
    };
    xml::parse_record(text, i, &scanned)
}

fn parse_person(text: &str, i: usize, source: &Source) -> Person {
    let scanned = match source {
        Source::People(v) => v.get(i).copied().unwrap_or_default(),
        _ => ScannedPerson::default(),
    };
    xml::parse_person(text, &scanned)
}

impl<T> Index<usize> for Lazy<T> {
    type Output = T;

    /// Panics when `i` is out of range, like a slice.
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(x) => x,
            None => panic!("index {i} out of range for a list of {} items", self.len()),
        }
    }
}

impl<'a, T> IntoIterator for &'a Lazy<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Lazy {{ len: {}, parsed: {} }}",
            self.len(),
            self.parsed_count()
        )
    }
}

/// Iterates a [`Lazy`] list in order, parsing items as it goes.
pub struct Iter<'a, T> {
    list: &'a Lazy<T>,
    front: usize,
    back: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.list.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.list.get(self.back)
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}
