//! Phases one and two of a check: the drafts decoded and parsed, then each draft's rules.
//! Parsing needs no registry, so it runs while the registry loads on a second thread, which
//! then helps parse what is left; each draft's rules run as soon as it is parsed and the
//! registry is there, on whichever thread is free. For many drafts the load no longer comes
//! before all other work.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use super::{decode, DraftInput};
use crate::diagnostic::{FileId, Files, Finding};
use crate::model::draft::Draft;
use crate::read::draft::read_draft;

/// Below this many drafts a second thread costs more than it saves.
pub const PARALLEL_MIN_DRAFTS: usize = 8;

/// Drafts read and parsed, for the rules over all drafts together (phase three,
/// [`super::check_read_with`]).
pub struct ReadDrafts {
    pub(super) files: Files,
    pub(super) drafts: Vec<ReadDraft>,
}

impl ReadDrafts {
    /// True when no draft was given.
    pub fn is_empty(&self) -> bool {
        self.drafts.is_empty()
    }
}

pub(super) struct ReadDraft {
    pub id: FileId,
    pub text: Arc<str>,
    pub draft: Draft,
}

struct Decoded {
    id: FileId,
    text: Arc<str>,
    bad_utf8: Option<Finding>,
}

type Parsed = (Draft, Vec<Finding>);

/// The decoded drafts and a slot per draft for its parse, filled by whichever thread takes it.
struct Shared {
    decoded: Vec<Decoded>,
    parsed: Vec<OnceLock<Parsed>>,
}

/// A parsed draft as a per-draft check sees it.
#[derive(Clone, Copy)]
pub struct Parse<'a> {
    pub text: &'a Arc<str>,
    pub draft: &'a Draft,
    /// The reader's findings.
    pub findings: &'a [Finding],
}

/// Runs `gather` (which reads the drafts' files) and parses the drafts on this thread, while
/// `load` runs on a second thread that joins the parsing when it is done; then both threads
/// run `check` (the rules) over the drafts, each taking the next draft in turn, so neither
/// waits for the other until the last draft. `check` is given what `load` returned. Without
/// `load`, a second thread helps only when there are enough drafts to pay for it; `few`
/// says that the caller knows there are not (everything then runs on this thread: the
/// second thread's start and the moves of data between CPUs cost more than a handful of
/// drafts take to read).
///
/// Returns the drafts, what `gather` and `load` returned, and `check`'s result per draft.
pub fn read_while<G, T: Send + Sync, R: Send>(
    gather: impl FnOnce() -> (Vec<DraftInput>, G),
    load: Option<impl FnOnce() -> T + Send>,
    check: impl Fn(Option<&T>, Parse<'_>) -> R + Sync,
    few: bool,
) -> (ReadDrafts, G, Option<T>, Vec<R>) {
    let mut files = Files::new();
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2);
    if !two_cores || few {
        let loaded = load.map(|load| load());
        let (inputs, gathered) = gather();
        let shared = prepare(inputs, &mut files);
        take_turns(&shared, &AtomicUsize::new(0));
        let checked = check_turns(&shared, &AtomicUsize::new(0), loaded.as_ref(), &check);
        return (finish(files, shared), gathered, loaded, in_order(checked));
    }
    let slot = OnceLock::new();
    let (next, next_check) = (AtomicUsize::new(0), AtomicUsize::new(0));
    // What `load` returned, once it is there (None: it panicked).
    let loaded_slot: OnceLock<Option<T>> = OnceLock::new();
    let (gathered, checked) = std::thread::scope(|scope| {
        let helper = load.map(|load| {
            let (slot, loaded_slot, next, next_check, check) =
                (&slot, &loaded_slot, &next, &next_check, &check);
            crate::threads::spawn(scope, move || {
                let publish = Publish(loaded_slot);
                let _ = loaded_slot.set(Some(load()));
                drop(publish);
                let shared = slot.wait();
                take_turns(shared, next);
                let loaded = loaded_slot.get().and_then(Option::as_ref);
                check_turns(shared, next_check, loaded, check)
            })
        });
        // The helper waits for the drafts: they must be published even if `gather` panics.
        let publish = Publish(&slot);
        let (inputs, gathered) = gather();
        let shared = prepare(inputs, &mut files);
        let many = shared.decoded.len() >= PARALLEL_MIN_DRAFTS;
        let _ = slot.set(shared);
        drop(publish);
        let shared = slot.wait();
        let checked = match helper {
            Some(helper) => {
                take_turns(shared, &next);
                let loaded = loaded_slot.wait().as_ref();
                let mut mine = check_turns(shared, &next_check, loaded, &check);
                mine.extend(join(helper));
                mine
            }
            None if many => {
                let helper = crate::threads::spawn(scope, || {
                    take_turns(shared, &next);
                    check_turns(shared, &next_check, None, &check)
                });
                take_turns(shared, &next);
                let mut mine = check_turns(shared, &next_check, None, &check);
                mine.extend(join(helper));
                mine
            }
            None => {
                take_turns(shared, &next);
                check_turns(shared, &next_check, None, &check)
            }
        };
        (gathered, checked)
    });
    // Never set without `load`.
    let loaded = loaded_slot.into_inner().flatten();
    let shared = slot.into_inner().unwrap_or_else(Shared::empty);
    (finish(files, shared), gathered, loaded, in_order(checked))
}

fn in_order<R>(mut checked: Vec<(usize, R)>) -> Vec<R> {
    checked.sort_unstable_by_key(|(i, _)| *i);
    checked.into_iter().map(|(_, r)| r).collect()
}

/// Checks the next unchecked draft until none is left: (draft number, result) for each.
fn check_turns<T, R>(
    shared: &Shared,
    next: &AtomicUsize,
    loaded: Option<&T>,
    check: &impl Fn(Option<&T>, Parse<'_>) -> R,
) -> Vec<(usize, R)> {
    let mut out = Vec::new();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let (Some(decoded), Some(slot)) = (shared.decoded.get(i), shared.parsed.get(i)) else {
            return out;
        };
        // The other thread may still be parsing this draft: parsing it here too gives the
        // same result sooner than waiting (it happens to the last draft or two at most).
        if slot.get().is_none() {
            let _ = slot.set(parse(decoded));
        }
        let Some((draft, findings)) = slot.get() else {
            continue;
        };
        let parse = Parse {
            text: &decoded.text,
            draft,
            findings,
        };
        out.push((i, check(loaded, parse)));
    }
}

fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match handle.join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Fills its slot with an empty value when dropped before the slot was filled, so a thread
/// waiting for the slot never hangs after a panic.
struct Publish<'a, V: Empty>(&'a OnceLock<V>);

impl<V: Empty> Drop for Publish<'_, V> {
    fn drop(&mut self) {
        let _ = self.0.set(V::empty());
    }
}

trait Empty {
    fn empty() -> Self;
}

impl Empty for Shared {
    fn empty() -> Self {
        Shared {
            decoded: Vec::new(),
            parsed: Vec::new(),
        }
    }
}

impl<T> Empty for Option<T> {
    fn empty() -> Self {
        None
    }
}

/// File ids in input order (the order reports list drafts in), and the texts decoded.
fn prepare(inputs: Vec<DraftInput>, files: &mut Files) -> Shared {
    let decoded: Vec<Decoded> = inputs
        .into_iter()
        .map(|input| {
            let (text, bad_utf8) = decode(input.bytes);
            let text: Arc<str> = text.into();
            let id = files.add(input.name, Arc::clone(&text));
            Decoded { id, text, bad_utf8 }
        })
        .collect();
    let parsed = decoded.iter().map(|_| OnceLock::new()).collect();
    Shared { decoded, parsed }
}

/// Parses the next unclaimed draft until none is left; any number of threads may call it.
fn take_turns(shared: &Shared, next: &AtomicUsize) {
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let (Some(decoded), Some(slot)) = (shared.decoded.get(i), shared.parsed.get(i)) else {
            break;
        };
        let _ = slot.set(parse(decoded));
    }
}

fn parse(decoded: &Decoded) -> Parsed {
    let (mut draft, findings) = match &decoded.bad_utf8 {
        // Nothing more is read from a file that is not text.
        Some(f) => (Draft::default(), vec![f.clone()]),
        None => read_draft(&decoded.text),
    };
    draft.file = Some(decoded.id);
    (draft, findings)
}

fn finish(files: Files, shared: Shared) -> ReadDrafts {
    let drafts = shared
        .decoded
        .into_iter()
        .zip(shared.parsed)
        .map(|(decoded, slot)| {
            // Every slot is filled once the threads are joined; parsing again is the fallback.
            // (The reader's findings went to the check with the draft.)
            let (draft, _) = slot.into_inner().unwrap_or_else(|| parse(&decoded));
            ReadDraft {
                id: decoded.id,
                text: decoded.text,
                draft,
            }
        })
        .collect();
    ReadDrafts { files, drafts }
}
