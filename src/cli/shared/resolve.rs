//! Which registry a command uses: `--registry`, then `PORTREG_REGISTRY`, then the config
//! file's `registry`, then the user cache written by `portreg registry update`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cli::shared::Fatal;
use crate::codes::ServiceCodes;
use crate::registry::{LoadError, LoadErrorKind, Registry};

/// Where the registry path came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Env,
    Config(PathBuf),
    Cache,
    /// A positional argument of the command (`BASE`).
    Argument(&'static str),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag => f.write_str("--registry"),
            Origin::Env => f.write_str("PORTREG_REGISTRY"),
            Origin::Config(p) => write!(f, "`registry` in {}", p.display()),
            Origin::Cache => f.write_str("the user cache"),
            Origin::Argument(a) => f.write_str(a),
        }
    }
}

/// The user cache file: `$XDG_CACHE_HOME/portreg/…`, else `~/.cache/portreg/…`
/// (`~/Library/Caches/portreg/…` on macOS, `%LOCALAPPDATA%\portreg\…` on Windows).
pub fn cache_path() -> Option<PathBuf> {
    let base = if cfg!(target_os = "windows") {
        std::env::var_os("LOCALAPPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join("Library/Caches"))
    } else {
        std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
    }?;
    Some(base.join("portreg").join("service-names-port-numbers.xml"))
}

/// The path to use and where it came from; `None` when nothing names one and there is no
/// cached copy.
pub fn locate(flag: Option<&Path>, config: Option<(&Path, PathBuf)>) -> Option<(PathBuf, Origin)> {
    if let Some(p) = flag {
        return Some((p.to_path_buf(), Origin::Flag));
    }
    if let Some(p) = std::env::var_os("PORTREG_REGISTRY").filter(|v| !v.is_empty()) {
        return Some((PathBuf::from(p), Origin::Env));
    }
    if let Some((file, p)) = config {
        return Some((p, Origin::Config(file.to_path_buf())));
    }
    let cache = cache_path()?;
    cache.is_file().then_some((cache, Origin::Cache))
}

/// Loads the registry at `path`; failure is fatal, worded with the file, position and origin.
pub fn load(path: &Path, origin: &Origin) -> Result<Arc<Registry>, Fatal> {
    Registry::load(path)
        .map(Arc::new)
        .map_err(|e| describe(&e, origin))
}

fn describe(e: &LoadError, origin: &Origin) -> Fatal {
    match e.kind {
        LoadErrorKind::Io => Fatal(format!("cannot read the registry named by {origin}: {e}")),
        _ => Fatal(format!(
            "[registry/malformed] cannot use the registry named by {origin}: {e}"
        )),
    }
}

/// Where the DCCP Service Codes registry path came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodesOrigin {
    Flag,
    Env,
    Config(PathBuf),
    Cache,
}

impl std::fmt::Display for CodesOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodesOrigin::Flag => f.write_str("--service-codes"),
            CodesOrigin::Env => f.write_str("PORTREG_SERVICE_CODES"),
            CodesOrigin::Config(p) => write!(f, "`service-codes` in {}", p.display()),
            CodesOrigin::Cache => f.write_str("the user cache"),
        }
    }
}

/// The cached Service Codes registry, next to the cached port registry.
pub fn service_codes_cache_path() -> Option<PathBuf> {
    cache_path().map(|p| p.with_file_name("service-codes.xml"))
}

/// The Service Codes registry to use, found as the port registry is: `--service-codes`,
/// `PORTREG_SERVICE_CODES`, the config's `service-codes`, then the user cache.
pub fn locate_service_codes(
    flag: Option<&Path>,
    config: Option<(&Path, PathBuf)>,
) -> Option<(PathBuf, CodesOrigin)> {
    if let Some(p) = flag {
        return Some((p.to_path_buf(), CodesOrigin::Flag));
    }
    if let Some(p) = std::env::var_os("PORTREG_SERVICE_CODES").filter(|v| !v.is_empty()) {
        return Some((PathBuf::from(p), CodesOrigin::Env));
    }
    if let Some((file, p)) = config {
        return Some((p, CodesOrigin::Config(file.to_path_buf())));
    }
    let cache = service_codes_cache_path()?;
    cache.is_file().then_some((cache, CodesOrigin::Cache))
}

/// Loads the Service Codes registry at `path`; failure is fatal, as for the port registry.
pub fn load_service_codes(path: &Path, origin: &CodesOrigin) -> Result<Arc<ServiceCodes>, Fatal> {
    ServiceCodes::load(path)
        .map(Arc::new)
        .map_err(|e| match e.kind {
            LoadErrorKind::Io => Fatal(format!(
                "cannot read the service codes registry named by {origin}: {e}"
            )),
            _ => Fatal(format!(
                "[registry/malformed] cannot use the service codes registry named by {origin}: {e}"
            )),
        })
}
