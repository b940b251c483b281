//! Reading drafts from files and standard input, with a size limit.

use std::io::Read;
use std::path::Path;

use crate::cli::shared::Fatal;

/// Drafts larger than this are refused: real requests are a few kilobytes.
pub const MAX_DRAFT_BYTES: u64 = 10 * 1024 * 1024;

/// Standard input's bytes.
pub fn read_stdin() -> Result<Vec<u8>, Fatal> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_DRAFT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Fatal(format!("cannot read standard input: {e}")))?;
    if bytes.len() as u64 > MAX_DRAFT_BYTES {
        return Err(too_large("standard input"));
    }
    Ok(bytes)
}

fn too_large(what: &str) -> Fatal {
    Fatal(format!(
        "{what} is larger than {} MiB; a request draft is a small TOML file",
        MAX_DRAFT_BYTES / 1024 / 1024
    ))
}

/// A draft file's bytes.
pub fn read_draft_file(path: &Path) -> Result<Vec<u8>, Fatal> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| Fatal(format!("cannot read `{shown}`: {e}")))?;
    if meta.is_dir() {
        return Err(Fatal(format!("`{shown}` is a folder, not a draft file")));
    }
    if meta.len() > MAX_DRAFT_BYTES {
        return Err(too_large(&format!("`{shown}`")));
    }
    std::fs::read(path).map_err(|e| Fatal(format!("cannot read `{shown}`: {e}")))
}
