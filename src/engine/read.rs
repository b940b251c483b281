//! Phase one of a check: drafts decoded and parsed. It needs no registry, so it runs while
//! the registry loads on a second thread, which then helps parse what is left: for many
//! drafts the load no longer comes before all other work.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use super::{decode, DraftInput};
use crate::diagnostic::{FileId, Files, Finding};
use crate::model::draft::Draft;
use crate::read::draft::read_draft;

/// Below this many drafts a second thread costs more than it saves.
pub(super) const PARALLEL_MIN_DRAFTS: usize = 8;

/// Drafts read and parsed, waiting for their rules (phase two, [`super::check_read`]).
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
    /// The reader's findings (syntax, unknown keys, types…).
    pub findings: Vec<Finding>,
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

/// Reads and parses `inputs` (on two threads when there are many).
pub fn read_drafts(inputs: Vec<DraftInput>) -> ReadDrafts {
    read_while(|| (inputs, ()), None::<fn()>).0
}

/// Runs `gather` (which reads the drafts' files) and then parses the drafts on this thread,
/// while `load` runs on a second thread that joins the parsing when it is done. Without
/// `load`, a second thread helps only when there are enough drafts to pay for it.
pub fn read_while<G, T: Send>(
    gather: impl FnOnce() -> (Vec<DraftInput>, G),
    load: Option<impl FnOnce() -> T + Send>,
) -> (ReadDrafts, G, Option<T>) {
    let mut files = Files::new();
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2);
    if !two_cores {
        let loaded = load.map(|load| load());
        let (inputs, gathered) = gather();
        let shared = prepare(inputs, &mut files);
        take_turns(&shared, &AtomicUsize::new(0));
        return (finish(files, shared), gathered, loaded);
    }
    let slot = OnceLock::new();
    let next = AtomicUsize::new(0);
    let (gathered, loaded) = std::thread::scope(|scope| {
        let helper = load.map(|load| {
            scope.spawn(|| {
                let loaded = load();
                take_turns(slot.wait(), &next);
                loaded
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
        let loaded = match helper {
            Some(helper) => {
                take_turns(shared, &next);
                Some(join(helper))
            }
            None if many => {
                let helper = scope.spawn(|| take_turns(shared, &next));
                take_turns(shared, &next);
                join(helper);
                None
            }
            None => {
                take_turns(shared, &next);
                None
            }
        };
        (gathered, loaded)
    });
    let shared = slot.into_inner().unwrap_or_else(|| Shared {
        decoded: Vec::new(),
        parsed: Vec::new(),
    });
    (finish(files, shared), gathered, loaded)
}

fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    match handle.join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Publishes an empty set of drafts when dropped first, so a waiting helper never hangs.
struct Publish<'a>(&'a OnceLock<Shared>);

impl Drop for Publish<'_> {
    fn drop(&mut self) {
        let _ = self.0.set(Shared {
            decoded: Vec::new(),
            parsed: Vec::new(),
        });
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
            let (draft, findings) = slot.into_inner().unwrap_or_else(|| parse(&decoded));
            ReadDraft {
                id: decoded.id,
                text: decoded.text,
                draft,
                findings,
            }
        })
        .collect();
    ReadDrafts { files, drafts }
}
