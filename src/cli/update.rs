//! `portreg registry update`.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::cli::args::UpdateArgs;
use crate::cli::shared::{print, resolve, Fatal};
use crate::tools::update::{self, Outcome, Request};

pub fn run(args: UpdateArgs) -> Result<u8, Fatal> {
    let Some(cache) = resolve::cache_path() else {
        return Err(Fatal(
            "cannot find the user cache folder: set XDG_CACHE_HOME or HOME".into(),
        ));
    };
    let req = Request {
        url: args.url.trim().to_string(),
        timeout: Duration::from_secs(args.timeout),
        cache: cache.clone(),
        force: args.force,
    };
    let show_progress = std::io::stderr().is_terminal();
    let mut last = Instant::now();
    let mut shown = false;
    let mut progress = |got: u64, total: Option<u64>| {
        if !show_progress || last.elapsed() < Duration::from_millis(100) {
            return;
        }
        last = Instant::now();
        shown = true;
        let line = match total {
            Some(t) => format!("downloading {}/{} MiB", mib(got), mib(t)),
            None => format!("downloading {} MiB", mib(got)),
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{line}\x1b[K");
        let _ = err.flush();
    };
    let result = update::update(&req, &mut progress);
    if shown {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K");
        let _ = err.flush();
    }
    let unchanged = if cache.is_file() {
        format!("the cached registry at {} is unchanged", cache.display())
    } else {
        "nothing was cached".to_string()
    };
    match result {
        Ok(Outcome::UpToDate { meta }) => {
            print(&format!(
                "up to date: {} has not changed since it was fetched at {}\ncache:   {}\n",
                meta.url,
                meta.fetched_at,
                cache.display()
            ))?;
            Ok(0)
        }
        Ok(Outcome::Updated {
            bytes,
            updated,
            records,
            people,
            elapsed,
        }) => {
            print(&format!(
                "updated: registry of {}, {records} records, {people} people, {bytes} bytes in {:.1} s\n\
                 cache:   {}\n",
                updated.as_deref().unwrap_or("unknown date"),
                elapsed.as_secs_f64(),
                cache.display()
            ))?;
            Ok(0)
        }
        Err(e) => Err(Fatal(format!("registry update failed: {e}; {unchanged}"))),
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}
