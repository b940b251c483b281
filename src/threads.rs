//! The second thread of a run (`check`, `registry lint`, `registry diff`), started on another
//! CPU. Linux often places a new thread on its parent's CPU, where it waits for the parent's
//! time slice to end before it first runs, even with the other CPU idle: 0.5 to 2 ms measured
//! on a two-CPU machine, as much as a third of a one-draft check, during which the run has one
//! thread. So the new thread moves itself off its parent's CPU first, and the parent yields
//! once so that the new thread gets to do that at once.

use std::thread::{Scope, ScopedJoinHandle};

/// Spawns `f` in `scope`, on a CPU other than this thread's when one is allowed.
pub(crate) fn spawn<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> ScopedJoinHandle<'scope, T> {
    let parent = current_cpu();
    let handle = scope.spawn(move || {
        move_off(parent);
        f()
    });
    std::thread::yield_now();
    handle
}

#[cfg(target_os = "linux")]
fn current_cpu() -> Option<usize> {
    // SAFETY: takes no arguments and touches no memory.
    usize::try_from(unsafe { libc::sched_getcpu() }).ok()
}

/// Moves this thread to another of its allowed CPUs than `parent`, then allows them all
/// again (which moves nothing), so that a busy machine can still balance the threads.
#[cfg(target_os = "linux")]
fn move_off(parent: Option<usize>) {
    let Some(parent) = parent else { return };
    let size = std::mem::size_of::<libc::cpu_set_t>();
    // SAFETY: `cpu_set_t` is plain bits, for which all zeroes is a valid (empty) set; each
    // call reads or writes only the set it is given, with that set's size.
    unsafe {
        let mut allowed: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, size, &mut allowed) != 0 {
            return;
        }
        if parent >= libc::CPU_SETSIZE as usize || !libc::CPU_ISSET(parent, &allowed) {
            return;
        }
        let mut elsewhere = allowed;
        libc::CPU_CLR(parent, &mut elsewhere);
        if libc::CPU_COUNT(&elsewhere) > 0 && libc::sched_setaffinity(0, size, &elsewhere) == 0 {
            libc::sched_setaffinity(0, size, &allowed);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn current_cpu() -> Option<usize> {
    None
}

#[cfg(not(target_os = "linux"))]
fn move_off(_: Option<usize>) {}

#[cfg(test)]
mod tests {
    /// The thread runs and returns, and after its move it may run on every CPU its parent
    /// may (the move must not pin it).
    #[test]
    fn spawned_thread_keeps_the_parents_cpus() {
        let allowed = || std::thread::available_parallelism().map(|n| n.get()).ok();
        let parent = allowed();
        let child = std::thread::scope(|s| super::spawn(s, allowed).join().ok()).flatten();
        assert_eq!(child, parent);
    }
}
