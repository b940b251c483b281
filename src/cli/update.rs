//! `portreg registry update`: the port registry, then the DCCP Service Codes registry next
//! to it.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::cli::args::UpdateArgs;
use crate::cli::shared::{print, resolve, Fatal};
use crate::tools::update::{self, Outcome, Progress, Request, UpdateError};

type Fetch = fn(&Request, Progress<'_>) -> Result<Outcome, UpdateError>;

pub fn run(args: UpdateArgs) -> Result<u8, Fatal> {
    let (Some(cache), Some(codes_cache)) =
        (resolve::cache_path(), resolve::service_codes_cache_path())
    else {
        return Err(Fatal(
            "cannot find the user cache folder: set XDG_CACHE_HOME or HOME".into(),
        ));
    };
    let timeout = Duration::from_secs(args.timeout);
    let url = args.url.trim().to_string();
    let req = Request {
        url: url.clone(),
        timeout,
        cache: cache.clone(),
        force: args.force,
    };
    let result = with_progress(&req, update::update);
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
        }
        Err(e) => return Err(Fatal(format!("registry update failed: {e}; {unchanged}"))),
    }

    // The codes come from IANA's address when the registry did; a registry from another
    // server (a mirror, a test) gets its codes only from an address given for them.
    let codes_url = match args.service_codes_url.as_deref().map(str::trim) {
        Some(u) if !u.is_empty() => u.to_string(),
        _ if url == update::DEFAULT_URL => update::DEFAULT_SERVICE_CODES_URL.to_string(),
        _ => {
            print(
                "service codes: not downloaded (--url is not IANA's; pass --service-codes-url \
                 for the DCCP Service Codes registry)\n",
            )?;
            return Ok(0);
        }
    };
    update_codes(&codes_url, timeout, &codes_cache, args.force)
}

fn update_codes(url: &str, timeout: Duration, cache: &Path, force: bool) -> Result<u8, Fatal> {
    let req = Request {
        url: url.to_string(),
        timeout,
        cache: cache.to_path_buf(),
        force,
    };
    match with_progress(&req, update::update_service_codes) {
        Ok(Outcome::UpToDate { meta }) => print(&format!(
            "up to date: {} has not changed since it was fetched at {}\ncache:   {}\n",
            meta.url,
            meta.fetched_at,
            cache.display()
        ))?,
        Ok(Outcome::Updated {
            bytes,
            updated,
            records,
            elapsed,
            ..
        }) => print(&format!(
            "updated: service codes of {}, {records} rows, {bytes} bytes in {:.1} s\ncache:   {}\n",
            updated.as_deref().unwrap_or("unknown date"),
            elapsed.as_secs_f64(),
            cache.display()
        ))?,
        Err(e) => {
            let unchanged = if cache.is_file() {
                format!(
                    "the cached service codes at {} are unchanged",
                    cache.display()
                )
            } else {
                "no service codes were cached".to_string()
            };
            return Err(Fatal(format!(
                "service codes update failed: {e}; {unchanged} (the registry was updated)"
            )));
        }
    }
    Ok(0)
}

/// Runs `fetch`, showing a progress line on a terminal.
fn with_progress(req: &Request, fetch: Fetch) -> Result<Outcome, UpdateError> {
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
    let result = fetch(req, &mut progress);
    if shown {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K");
        let _ = err.flush();
    }
    result
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}
