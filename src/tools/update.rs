//! `portreg registry update`: downloads the registry into the user cache.
//!
//! The download is verified (it must parse as a registry with at least one record) before it
//! replaces the cache; the replacement is atomic (temporary file in the same folder, fsync,
//! rename), so a failed or interrupted update leaves the previous copy untouched. A small
//! JSON sidecar next to the cache keeps the ETag / Last-Modified of the last download for
//! conditional requests, and when it was fetched.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::registry::Registry;

/// IANA's published address of the XML form.
pub const DEFAULT_URL: &str =
    "https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xml";

/// IANA's published address of the DCCP Service Codes registry's XML form, downloaded next
/// to the port registry.
pub const DEFAULT_SERVICE_CODES_URL: &str =
    "https://www.iana.org/assignments/service-codes/service-codes.xml";

/// Downloads larger than this are aborted (the real file is about 4 MB).
pub const MAX_DOWNLOAD_BYTES: u64 = crate::registry::MAX_REGISTRY_BYTES;

/// What is kept next to the cache file (`<cache>.meta.json`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// When the cached bytes were downloaded (RFC 3339, UTC).
    pub fetched_at: String,
    /// When the server last confirmed them current (a 304), RFC 3339, UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<String>,
}

/// The sidecar path of a cache file.
pub fn meta_path(cache: &Path) -> PathBuf {
    let mut name = cache
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".meta.json");
    cache.with_file_name(name)
}

/// Reads the sidecar; a missing or unreadable one is `None` (it only enables conditional
/// requests and the age display).
pub fn read_meta(cache: &Path) -> Option<Meta> {
    let text = std::fs::read_to_string(meta_path(cache)).ok()?;
    serde_json::from_str(&text).ok()
}

/// The day a registry file was last downloaded or confirmed current by `registry update`,
/// from its sidecar; `None` for a file the update did not write.
pub fn fetched_on(registry: &Path) -> Option<chrono::NaiveDate> {
    let meta = read_meta(registry)?;
    let day = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| d.with_timezone(&chrono::Utc).date_naive())
    };
    let fetched = day(&meta.fetched_at);
    let checked = meta.checked_at.as_deref().and_then(day);
    fetched.max(checked)
}

/// How to download.
#[derive(Clone, Debug)]
pub struct Request {
    pub url: String,
    /// Connect and overall timeout.
    pub timeout: Duration,
    /// Where the registry is cached.
    pub cache: PathBuf,
    /// Ignore the sidecar and download unconditionally, and install the download even when
    /// it is older than the cached copy.
    pub force: bool,
}

/// A download in progress: bytes so far and the announced total.
pub type Progress<'a> = &'a mut dyn FnMut(u64, Option<u64>);

/// What an update did.
#[derive(Debug)]
pub enum Outcome {
    /// The server answered 304: the cache is current.
    UpToDate { meta: Meta },
    /// A new copy was verified and installed.
    Updated {
        bytes: u64,
        updated: Option<String>,
        records: usize,
        people: usize,
        elapsed: Duration,
    },
}

/// Why an update failed; the cache is unchanged in every case.
#[derive(Debug)]
pub struct UpdateError(pub String);

impl std::fmt::Display for UpdateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UpdateError {}

fn err(msg: impl Into<String>) -> UpdateError {
    UpdateError(msg.into())
}

/// What the verification of a download found.
struct Verified {
    updated: Option<String>,
    records: usize,
    people: usize,
}

/// Downloads, verifies and installs the registry.
pub fn update(req: &Request, progress: Progress<'_>) -> Result<Outcome, UpdateError> {
    fetch(req, progress, verify_registry)
}

/// Downloads, verifies and installs the DCCP Service Codes registry (`records` of the
/// outcome are its rows), with the same conditional, verified, atomic download.
pub fn update_service_codes(req: &Request, progress: Progress<'_>) -> Result<Outcome, UpdateError> {
    fetch(req, progress, verify_service_codes)
}

fn verify_registry(url: &str, bytes: &[u8]) -> Result<Verified, UpdateError> {
    let registry = Registry::from_bytes(url, bytes.to_vec())
        .map_err(|e| err(format!("the download is not a usable registry: {e}")))?;
    if registry.records.is_empty() {
        return Err(err(format!(
            "the download from {url} parses but holds no records; it is not the registry"
        )));
    }
    // A download that breaks IANA's own schema is not trusted to replace a good copy.
    if registry.format == crate::registry::Format::Xml {
        let violations = crate::registry::schema::validate(registry.source());
        if let Some(first) = violations.first() {
            let at = registry.line_col(first.span.start);
            return Err(err(format!(
                "the download from {url} breaks IANA's schema ({} violation{}; the first at line {}, column {}: {}); check it with `portreg registry lint`",
                violations.len(),
                if violations.len() == 1 { "" } else { "s" },
                at.line,
                at.column,
                first.message
            )));
        }
    }
    Ok(Verified {
        updated: registry.updated.clone(),
        records: registry.records.len(),
        people: registry.people.len(),
    })
}

fn verify_service_codes(url: &str, bytes: &[u8]) -> Result<Verified, UpdateError> {
    let codes = crate::codes::ServiceCodes::from_bytes(url, bytes.to_vec()).map_err(|e| {
        err(format!(
            "the download is not a usable Service Codes registry: {e}"
        ))
    })?;
    if codes.rows.is_empty() {
        return Err(err(format!(
            "the download from {url} parses but holds no service codes; it is not the Service Codes registry"
        )));
    }
    Ok(Verified {
        updated: codes.updated.clone(),
        records: codes.rows.len(),
        people: 0,
    })
}

/// The download itself: conditional on the sidecar, size-limited, verified by `verify`,
/// then installed atomically.
fn fetch(
    req: &Request,
    progress: Progress<'_>,
    verify: fn(&str, &[u8]) -> Result<Verified, UpdateError>,
) -> Result<Outcome, UpdateError> {
    let started = Instant::now();
    let url = req.url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(err(format!(
            "`{url}` is not an http(s) URL; pass the address of the registry's XML form"
        )));
    }
    let previous = if req.force || !req.cache.is_file() {
        None
    } else {
        read_meta(&req.cache).filter(|m| m.url == url)
    };

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(req.timeout))
        .timeout_connect(Some(req.timeout))
        .http_status_as_error(false)
        .max_redirects(5)
        .user_agent(format!(
            "portreg/{} (+https://www.iana.org/assignments/service-names-port-numbers/)",
            env!("CARGO_PKG_VERSION")
        ))
        .build()
        .into();
    let mut get = agent.get(url);
    if let Some(m) = &previous {
        if let Some(etag) = &m.etag {
            get = get.header("If-None-Match", etag.as_str());
        }
        if let Some(lm) = &m.last_modified {
            get = get.header("If-Modified-Since", lm.as_str());
        }
    }
    let response = get.call().map_err(|e| describe(&e, url, req.timeout))?;
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let etag = header("etag");
    let last_modified = header("last-modified");

    if status == 304 {
        let Some(mut meta) = previous else {
            return Err(err(format!(
                "{url} answered 304 Not Modified to a request that was not conditional"
            )));
        };
        meta.checked_at = Some(now_rfc3339());
        if etag.is_some() {
            meta.etag = etag;
        }
        if last_modified.is_some() {
            meta.last_modified = last_modified;
        }
        // The sidecar is a convenience; failing to refresh it does not fail the update.
        let _ = write_meta(&req.cache, &meta);
        return Ok(Outcome::UpToDate { meta });
    }
    if !(200..300).contains(&status) {
        let reason = response
            .status()
            .canonical_reason()
            .map(|r| format!(" {r}"))
            .unwrap_or_default();
        return Err(err(format!("{url} answered HTTP {status}{reason}")));
    }

    let mut body = response.into_body();
    let announced = body.content_length();
    if let Some(len) = announced {
        if len > MAX_DOWNLOAD_BYTES {
            return Err(err(format!(
                "{url} announces {len} bytes, more than the limit of 64 MiB; refusing to download it"
            )));
        }
    }
    let mut reader = body.with_config().limit(MAX_DOWNLOAD_BYTES + 1).reader();
    let mut bytes: Vec<u8> = Vec::with_capacity(
        announced
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(1 << 20),
    );
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(&e, url, req.timeout, bytes.len(), announced)),
        };
        bytes.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
        if bytes.len() as u64 > MAX_DOWNLOAD_BYTES {
            return Err(err(format!(
                "{url} sent more than the limit of 64 MiB; download aborted"
            )));
        }
        progress(bytes.len() as u64, announced);
    }
    if let Some(len) = announced {
        if (bytes.len() as u64) < len {
            return Err(err(format!(
                "the download from {url} was cut off after {} of {len} bytes",
                bytes.len()
            )));
        }
    }

    let total = bytes.len() as u64;
    let verified = verify(url, &bytes)?;
    if !req.force {
        refuse_older(&req.cache, verified.updated.as_deref(), verify)?;
    }
    install(&req.cache, &bytes)?;
    let meta = Meta {
        url: url.to_string(),
        etag,
        last_modified,
        fetched_at: now_rfc3339(),
        checked_at: None,
    };
    let _ = write_meta(&req.cache, &meta);
    Ok(Outcome::Updated {
        bytes: total,
        updated: verified.updated,
        records: verified.records,
        people: verified.people,
        elapsed: started.elapsed(),
    })
}

/// A mirror or a stale CDN node can serve an older registry than the one cached: replacing
/// the cache with it would silently lose assignments. Compared by the registries' own
/// `<updated>` dates; when either is unknown the download is accepted.
fn refuse_older(
    cache: &Path,
    new: Option<&str>,
    verify: fn(&str, &[u8]) -> Result<Verified, UpdateError>,
) -> Result<(), UpdateError> {
    use crate::rules::registry::parse_registry_date;
    let Some(new) = new else {
        return Ok(());
    };
    let Some(cached) = std::fs::read(cache)
        .ok()
        .and_then(|b| verify(&cache.display().to_string(), &b).ok())
        .and_then(|v| v.updated)
    else {
        return Ok(());
    };
    match (parse_registry_date(new), parse_registry_date(&cached)) {
        (Some(n), Some(c)) if n < c => Err(err(format!(
            "the downloaded registry was last updated on {new}, before the cached copy ({cached}); \
             the cached copy is kept (pass `--force` to replace it anyway)"
        ))),
        _ => Ok(()),
    }
}

fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn describe(e: &ureq::Error, url: &str, timeout: Duration) -> UpdateError {
    match e {
        ureq::Error::Timeout(_) => err(format!(
            "{url} did not answer within {} s (--timeout)",
            timeout.as_secs_f64()
        )),
        ureq::Error::Io(io) => err(format!("cannot download {url}: {io}")),
        other => err(format!("cannot download {url}: {other}")),
    }
}

fn read_error(
    e: &std::io::Error,
    url: &str,
    timeout: Duration,
    got: usize,
    announced: Option<u64>,
) -> UpdateError {
    let text = e.to_string();
    if e.kind() == std::io::ErrorKind::TimedOut || text.to_ascii_lowercase().contains("timeout") {
        err(format!(
            "the download from {url} did not finish within {} s (--timeout); got {got} bytes",
            timeout.as_secs_f64()
        ))
    } else if let Some(len) = announced {
        err(format!(
            "the download from {url} was cut off after {got} of {len} bytes ({text})"
        ))
    } else {
        err(format!(
            "the download from {url} failed after {got} bytes: {text}"
        ))
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder: write, fsync,
/// rename. The folder is created when missing.
pub fn install(path: &Path, bytes: &[u8]) -> Result<(), UpdateError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| {
        err(format!(
            "cannot create the cache folder {}: {e}",
            dir.display()
        ))
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "registry".into());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        // Make the rename itself durable where the platform allows it.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(format!("cannot write {}: {e}", path.display())));
    }
    Ok(())
}

fn write_meta(cache: &Path, meta: &Meta) -> Result<(), UpdateError> {
    let mut text = serde_json::to_string_pretty(meta).map_err(|e| err(e.to_string()))?;
    text.push('\n');
    install(&meta_path(cache), text.as_bytes())
}

/// How long ago the cache was fetched: the sidecar's `fetched_at`, else the file's mtime.
pub fn cache_age(cache: &Path) -> Option<(chrono::DateTime<chrono::Utc>, &'static str)> {
    if let Some(t) =
        read_meta(cache).and_then(|m| chrono::DateTime::parse_from_rfc3339(&m.fetched_at).ok())
    {
        return Some((t.with_timezone(&chrono::Utc), "fetched"));
    }
    let modified = std::fs::metadata(cache).ok()?.modified().ok()?;
    Some((chrono::DateTime::<chrono::Utc>::from(modified), "modified"))
}

/// `3 days`, `5 hours`, `12 minutes`, `just now`.
pub fn human_age(d: chrono::TimeDelta) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if d.num_days() >= 1 {
        plural(d.num_days(), "day")
    } else if d.num_hours() >= 1 {
        plural(d.num_hours(), "hour")
    } else if d.num_minutes() >= 1 {
        plural(d.num_minutes(), "minute")
    } else {
        "less than a minute".into()
    }
}
