//! The structural check on two threads: `registry lint` checks the schema beside parsing
//! and linting every record, and on two cores the check alone would take as long as all
//! the rest. So the text is cut at a record: the tail (from that record to the end of the
//! last one) is checked on its own, starting in the state the document is in between two
//! records (inside `<registry>`, IANA's namespace as the default, records begun), and the
//! head (everything else) skips the tail when it gets there in exactly that state.
//!
//! The result is the one `validate` gives: the tail's violations are put where the head
//! skipped it. Where either side finds the document in another state (other namespace
//! declarations, people before the records, text the tokenizer stops at), the check runs
//! again over the whole text on one thread, so an unusual file costs time, never accuracy.

use std::borrow::Cow;

use crate::source::Span;

use super::tokens::{Tok, Tokens};
use super::{body_start, validate, Frame, Kind, Validator, Violation, NAMESPACE};

/// Where the text is cut.
#[derive(Clone, Copy, Debug)]
pub struct Split {
    handoff: Handoff,
}

/// The tail: the records `first..next`, from `from` (the `<` of record `first`) to `to`
/// (the end of the last record); `root`: the root element's start and name.
#[derive(Clone, Copy, Debug)]
pub(super) struct Handoff {
    from: usize,
    to: usize,
    first: usize,
    next: usize,
    root: (usize, (usize, usize)),
}

/// The head's result: its violations and, when it skipped the tail, where the tail's go.
#[derive(Debug)]
pub struct Head {
    out: Vec<Violation>,
    spliced: Option<usize>,
}

/// The tail's result; `clean`: it ended in the state it started in (else it is not used).
#[derive(Debug)]
pub struct Tail {
    out: Vec<Violation>,
    clean: bool,
}

impl Split {
    /// A cut that leaves a little more than half of the text to the tail. `records` is the number of
    /// records the loader found and `span` gives each one's place; None when there is
    /// nothing worth cutting.
    pub fn plan(text: &str, records: usize, span: impl Fn(usize) -> Option<Span>) -> Option<Split> {
        if records < 2 {
            return None;
        }
        let to = span(records - 1)?.end;
        // The head also has the metadata and the people, and its thread more to do after.
        let target = to.saturating_sub(text.len() / 100 * 55);
        // The first record that starts at or after the target (spans are in order).
        let (mut lo, mut hi) = (1, records - 1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if span(mid)?.start < target {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let from = span(lo)?.start;
        let root = root_tag(text)?;
        (from < to).then_some(Split {
            handoff: Handoff {
                from,
                to,
                first: lo,
                next: records,
                root,
            },
        })
    }

    /// Checks everything but the tail (or everything, if the document is not in the
    /// expected state where the tail starts).
    pub fn head(&self, text: &str) -> Head {
        let mut v = Validator::new(text, Tokens::new(text, body_start(text)));
        v.handoff = Some(self.handoff);
        v.run();
        Head {
            out: v.out,
            spliced: v.spliced,
        }
    }

    /// Checks the tail.
    pub fn tail(&self, text: &str) -> Tail {
        let h = self.handoff;
        let mut v = Validator::new(text, Tokens::within(text, h.from, h.to));
        v.ns.push(("", Cow::Borrowed(NAMESPACE)));
        v.stack.push(Frame {
            kind: Kind::Registry,
            at: h.root.0,
            name: h.root.1,
            seen: 1 << 16,
            bindings: 1,
            content: (h.root.0, h.root.0),
            buf: None,
            spoiled: false,
        });
        v.records = h.first;
        v.run();
        let clean = v.tokens.at() >= h.to && v.records == h.next && v.between_records();
        Tail { out: v.out, clean }
    }

    /// The violations of the whole text, in document order.
    pub fn join(text: &str, head: Head, tail: Tail) -> Vec<Violation> {
        match head.spliced {
            None => head.out,
            Some(at) if tail.clean => {
                let mut out = head.out;
                out.splice(at..at, tail.out);
                out
            }
            Some(_) => validate(text),
        }
    }
}

/// The root element's start and name range (the first start tag).
fn root_tag(text: &str) -> Option<(usize, (usize, usize))> {
    let mut tokens = Tokens::new(text, body_start(text));
    loop {
        if let Tok::Start { at, name, .. } = tokens.next()? {
            return Some((at, name));
        }
    }
}

impl Validator<'_> {
    /// Inside the root `<registry>` in IANA's default namespace, records begun and nothing
    /// after them yet, no record open: the state the tail starts in.
    fn between_records(&self) -> bool {
        matches!(self.stack.as_slice(), [f] if f.kind == Kind::Registry && f.seen >> 16 == 1)
            && self.iana_default()
            && self.record.is_none()
    }

    /// At the tail's start: skip it if the document is in the state the tail assumed.
    pub(super) fn hand_off(&mut self) {
        let Some(h) = self.handoff else { return };
        let at = self.tokens.at();
        if at < h.from {
            return;
        }
        self.handoff = None;
        let root_matches = self.stack.first().is_some_and(|f| (f.at, f.name) == h.root);
        if at == h.from && root_matches && self.records == h.first && self.between_records() {
            self.spliced = Some(self.out.len());
            self.tokens.skip_to(h.to);
            self.records = h.next;
        }
    }
}
