//! Reading a registry file: the format is detected from the content, XML is scanned (or
//! parsed in full when the scanner gives up), CSV is parsed in full.

use std::io::Read;
use std::path::Path;

use super::cache;
use super::csvfile::{self, CSV_HEADER};
use super::error::{ErrCtx, LoadError, LoadErrorKind, HTML_MESSAGE};
use super::lazy::{People, Records};
use super::record::Parsed;
use super::registry::{Format, Registry};
use super::scan;
use super::text::{Text, TextError};
use super::xml;

/// Files larger than this are refused before being read.
pub const MAX_REGISTRY_BYTES: u64 = 64 * 1024 * 1024;

impl Registry {
    /// Reads a registry file (XML or CSV, detected from the content). XML records and people
    /// are parsed when first read; the file is checked in full now, so every error is
    /// reported here.
    pub fn load(path: &Path) -> Result<Registry, LoadError> {
        let display = path.display().to_string();
        let io_err = |e: std::io::Error| {
            LoadError::new(
                &display,
                LoadErrorKind::Io,
                format!("cannot read the registry: {e}"),
            )
        };
        let file = std::fs::File::open(path).map_err(io_err)?;
        let meta = file.metadata().map_err(io_err)?;
        if meta.is_dir() {
            return Err(LoadError::new(
                &display,
                LoadErrorKind::Io,
                "cannot read the registry: it is a directory".to_string(),
            ));
        }
        if meta.len() > MAX_REGISTRY_BYTES {
            return Err(too_large(&display, meta.len()));
        }
        if meta.is_file() && meta.len() > 0 {
            match Text::map(&file) {
                Ok(text) if text.len() as u64 <= MAX_REGISTRY_BYTES => {
                    // Taken after mapping, so that the key describes what was mapped.
                    let key = file
                        .metadata()
                        .ok()
                        .and_then(|m| cache::Key::of(path, &m))
                        .filter(|k| k.size() == text.len() as u64);
                    return Registry::from_text(&display, text, true, key.as_ref());
                }
                Ok(text) => return Err(too_large(&display, text.len() as u64)),
                Err(TextError::Utf8 { bytes, valid_up_to }) => {
                    return Err(utf8_error(&display, &bytes, valid_up_to))
                }
                Err(TextError::Unmappable) => {}
            }
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        // The file may grow after the metadata check: never read more than the limit + 1.
        file.take(MAX_REGISTRY_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io_err)?;
        Registry::from_bytes(&display, bytes)
    }

    /// Parses a registry held in memory; `path_for_display` is used in errors and reports.
    pub fn from_bytes(path_for_display: &str, bytes: Vec<u8>) -> Result<Registry, LoadError> {
        Registry::from_bytes_with(path_for_display, bytes, true)
    }

    /// Like [`Registry::from_bytes`], but parses every record and person now with the full
    /// XML parser instead of scanning first. The result is the same; this exists to check
    /// exactly that, and for callers that will read every record anyway.
    pub fn from_bytes_eager(path_for_display: &str, bytes: Vec<u8>) -> Result<Registry, LoadError> {
        Registry::from_bytes_with(path_for_display, bytes, false)
    }

    fn from_bytes_with(path: &str, bytes: Vec<u8>, scan: bool) -> Result<Registry, LoadError> {
        if bytes.len() as u64 > MAX_REGISTRY_BYTES {
            return Err(too_large(path, bytes.len() as u64));
        }
        match String::from_utf8(bytes) {
            Ok(s) => Registry::from_text(path, Text::owned(s), scan, None),
            Err(e) => {
                let valid_up_to = e.utf8_error().valid_up_to();
                Err(utf8_error(path, e.as_bytes(), valid_up_to))
            }
        }
    }

    /// `cache`: the key of the file the text was mapped from, when the scan cache is on.
    fn from_text(
        path: &str,
        text: Text,
        scan: bool,
        cache: Option<&cache::Key>,
    ) -> Result<Registry, LoadError> {
        let ctx = ErrCtx { path, text: &text };
        // A hit means the same bytes as a file that was scanned (and so checked) before.
        let (format, contents, index) = match cache.and_then(cache::read) {
            Some(entry) => (
                Format::Xml,
                Contents::Scanned(entry.skeleton),
                Some(entry.index),
            ),
            None => {
                let (format, contents) = detect_and_parse(&text, &ctx, scan)?;
                (format, contents, None)
            }
        };
        let save = cache.filter(|_| index.is_none() && matches!(contents, Contents::Scanned(_)));
        let (updated, records, people) = match contents {
            Contents::Parsed(p) => (
                p.updated,
                Records::from_parsed(text.clone(), p.records),
                People::from_parsed(text.clone(), p.people),
            ),
            Contents::Scanned(s) => (
                s.updated,
                Records::from_scan(text.clone(), s.records),
                People::from_scan(text.clone(), s.people),
            ),
        };
        let registry = Registry::assemble(
            path.to_string(),
            format,
            updated,
            text,
            records,
            people,
            index,
        );
        if let Some(key) = save {
            cache::write(key, &registry, cache::now_ns());
        }
        Ok(registry)
    }
}

enum Contents {
    Parsed(Parsed),
    Scanned(scan::Skeleton),
}

fn detect_and_parse(
    text: &str,
    ctx: &ErrCtx<'_>,
    scan: bool,
) -> Result<(Format, Contents), LoadError> {
    let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[body_start..];
    let trimmed = body.trim_start();
    let first_at = text.len() - trimmed.len();
    match trimmed.as_bytes().first() {
        None => Err(ctx.malformed(
            first_at,
            "the registry file is empty (expected the IANA XML or CSV form)".to_string(),
        )),
        Some(b'<') => {
            if looks_like_html(trimmed) {
                return Err(ctx.malformed(first_at, HTML_MESSAGE.to_string()));
            }
            // The scanner accepts only documents the full parse reads without error; for
            // anything else the full parse gives the error (or reads the unusual file).
            if let Some(skeleton) = scan.then(|| scan::scan(text, body_start)).flatten() {
                return Ok((Format::Xml, Contents::Scanned(skeleton)));
            }
            Ok((
                Format::Xml,
                Contents::Parsed(xml::parse(text, body_start, ctx)?),
            ))
        }
        Some(b'{') | Some(b'[') => Err(ctx.malformed(
            first_at,
            "this is JSON, not a registry (expected the IANA XML or CSV form)".to_string(),
        )),
        Some(_) => {
            let first_line = body.split('\n').next().unwrap_or("");
            let first_line = first_line.strip_suffix('\r').unwrap_or(first_line);
            if first_line != CSV_HEADER {
                let shown: String = first_line.chars().take(120).collect();
                return Err(ctx.malformed(
                    body_start,
                    format!(
                        "not a registry: expected the IANA XML form (starting with `<`) or the \
                         CSV form whose first line is `{CSV_HEADER}`, but the first line is `{shown}`"
                    ),
                ));
            }
            Ok((
                Format::Csv,
                Contents::Parsed(csvfile::parse(text, body_start, ctx)?),
            ))
        }
    }
}

fn looks_like_html(s: &str) -> bool {
    let head: String = s.chars().take(15).collect::<String>().to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

fn too_large(path: &str, len: u64) -> LoadError {
    LoadError::new(
        path,
        LoadErrorKind::TooLarge,
        format!(
            "the registry file is {len} bytes, more than the limit of {MAX_REGISTRY_BYTES} bytes (64 MiB); \
             refusing to read it"
        ),
    )
}

fn utf8_error(path: &str, bytes: &[u8], offset: usize) -> LoadError {
    let valid = bytes.get(..offset).unwrap_or(bytes);
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = std::str::from_utf8(&valid[line_start..])
        .map_or(offset - line_start, |s| s.chars().count())
        + 1;
    let mut e = LoadError::new(
        path,
        LoadErrorKind::Utf8,
        format!("the registry is not valid UTF-8 (invalid byte at offset {offset})"),
    );
    e.offset = Some(offset);
    e.line = Some(line);
    e.column = Some(column);
    e
}
