//! `file://` URIs <-> paths (RFC 8089 as editors send them: percent-encoded, no host or
//! `localhost`).

use std::path::{Path, PathBuf};

/// The path of a `file:` URI; `None` for other schemes (`untitled:` buffers).
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = decode(rest)?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    {
        // `/C:/x` -> `C:/x`
        let s = String::from_utf8(bytes).ok()?;
        let s = match s.as_bytes() {
            [b'/', _, b':', ..] => s[1..].to_string(),
            _ => s,
        };
        Some(PathBuf::from(s))
    }
}

/// The `file:` URI of an absolute path (made absolute against the current folder).
pub fn from_path(path: &Path) -> String {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let text = abs.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else if b == b':' && !out.ends_with("file://") {
            out.push(':');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let p = Path::new("/tmp/a b/ç.toml");
        let uri = from_path(p);
        assert_eq!(uri, "file:///tmp/a%20b/%C3%A7.toml");
        assert_eq!(to_path(&uri).as_deref(), Some(p));
        assert_eq!(
            to_path("file://localhost/x").as_deref(),
            Some(Path::new("/x"))
        );
        assert_eq!(to_path("untitled:Untitled-1"), None);
    }
}
