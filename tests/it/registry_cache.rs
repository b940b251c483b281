//! The on-disk cache of the registry scan (src/registry/cache.rs), end to end: the binary
//! runs with its own cache folder, and every answer must equal the one without the cache.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::TempDir;
use std::time::{Duration, SystemTime};

const REGISTRY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">
  <updated>2026-11-01</updated>
  <record date="2015-03-01">
    <name>acme-telemetry</name>
    <protocol>tcp</protocol>
    <number>4873</number>
    <description>Acme telemetry</description>
    <xref type="person" data="Ann"/>
  </record>
  <people>
    <person id="Ann"><name>Ann Example</name><uri>mailto:ann&amp;example.com</uri></person>
  </people>
</registry>
"#;

const DRAFT: &str = r#"format = 1

[[entry]]
name = "acme-telemetry"
transport = "tcp"
port = 4873
description = "Acme telemetry upload"
assignee = "Acme_Corp"
contact = { name = "Jane Doe", email = "jane.doe@acme.example" }
reference = ["https://acme.example/specs/telemetry-protocol"]

[people.Acme_Corp]
org = "Acme Corporation"
email = "ports@acme.example"
"#;

/// A scratch folder with the registry, the draft and the cache folder.
struct Scratch {
    dir: TempDir,
}

impl Scratch {
    fn new(name: &str) -> Scratch {
        Scratch {
            dir: TempDir::with_files(&format!("cache-{name}"), &[("draft.toml", DRAFT)]),
        }
    }

    fn registry(&self) -> PathBuf {
        self.dir.join("registry.xml")
    }

    /// Writes the registry, last modified `age` ago.
    fn write_registry(&self, text: &str, age: Duration) {
        std::fs::write(self.registry(), text).unwrap();
        set_mtime(&self.registry(), SystemTime::now() - age);
    }

    fn cache_dir(&self) -> PathBuf {
        self.dir.join("cache/portreg/index")
    }

    /// The cache entries (file names and contents).
    fn entries(&self) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(self.cache_dir())
            .map(|d| {
                d.flatten()
                    .map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        (name, std::fs::read(e.path()).unwrap())
                    })
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// `portreg check` of the draft against the registry: (exit code, stdout, stderr).
    fn check(&self, cache: bool) -> (Option<i32>, String, String) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_portreg"));
        cmd.args(["check", "draft.toml", "--registry", "registry.xml"])
            .args(["--format", "json"])
            .current_dir(self.dir.path())
            .env("XDG_CACHE_HOME", self.dir.join("cache"))
            .env("HOME", self.dir.path())
            .env("PORTREG_TODAY", "2026-12-02")
            .env("NO_COLOR", "1")
            .env_remove("PORTREG_REGISTRY")
            .env_remove("PORTREG_NO_INDEX_CACHE");
        if !cache {
            cmd.env("PORTREG_NO_INDEX_CACHE", "1");
        }
        let out = cmd.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Checks with the cache, asserts the answer equals the uncached one, and returns it.
    fn check_both(&self) -> (Option<i32>, String, String) {
        let cached = self.check(true);
        assert_eq!(cached, self.check(false), "the cache changed the answer");
        cached
    }
}

fn set_mtime(path: &Path, t: SystemTime) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(t).unwrap();
}

const HOUR: Duration = Duration::from_secs(3600);

#[test]
fn a_settled_file_is_cached_and_the_entry_is_used() {
    let s = Scratch::new("used");
    s.write_registry(REGISTRY, HOUR);
    let first = s.check_both();
    assert_eq!(first.0, Some(1), "the name is taken: {first:?}");
    assert!(first.1.contains("acme-telemetry"));
    let entries = s.entries();
    assert_eq!(entries.len(), 1, "one entry per registry file");
    assert!(entries[0].0.starts_with("scan-") && entries[0].0.ends_with(".bin"));
    // Read from the entry now; the entry is not rewritten.
    assert_eq!(s.check_both(), first);
    assert_eq!(s.entries(), entries);
}

#[test]
fn a_changed_file_is_scanned_again_even_with_the_same_size_and_mtime() {
    let s = Scratch::new("changed");
    s.write_registry(REGISTRY, HOUR);
    let mtime = std::fs::metadata(s.registry()).unwrap().modified().unwrap();
    let before = s.check_both();
    let old_entry = s.entries();
    assert_eq!(old_entry.len(), 1);
    // Same length, another name: the draft no longer collides.
    let changed = REGISTRY.replace("<name>acme-telemetry</name>", "<name>acme-telemetrx</name>");
    assert_eq!(changed.len(), REGISTRY.len());
    std::fs::write(s.registry(), &changed).unwrap();
    set_mtime(&s.registry(), mtime);
    let after = s.check_both();
    assert_ne!(before, after, "the change must show");
    // The status-change time differs, so the entry was replaced.
    assert_ne!(s.entries(), old_entry);
}

#[test]
fn a_corrupted_or_truncated_entry_is_ignored_and_rewritten() {
    let s = Scratch::new("corrupt");
    s.write_registry(REGISTRY, HOUR);
    let answer = s.check_both();
    let good = s.entries();
    let path = s.cache_dir().join(&good[0].0);
    let bytes = &good[0].1;
    let mut damaged: Vec<Vec<u8>> = vec![
        Vec::new(),
        bytes[..bytes.len() / 2].to_vec(),
        bytes[..bytes.len() - 1].to_vec(),
        b"not a cache entry".to_vec(),
    ];
    for at in [0, 9, bytes.len() / 3, bytes.len() - 20, bytes.len() - 1] {
        let mut b = bytes.clone();
        b[at] ^= 0x20;
        damaged.push(b);
    }
    for d in damaged {
        std::fs::write(&path, &d).unwrap();
        assert_eq!(s.check_both(), answer);
        assert_eq!(s.entries(), good, "the entry is rewritten as it was");
    }
}

#[test]
fn a_freshly_modified_file_is_not_cached() {
    let s = Scratch::new("fresh");
    s.write_registry(REGISTRY, Duration::ZERO);
    s.check_both();
    assert!(s.entries().is_empty(), "racily clean: {:?}", s.entries());
}

#[test]
fn the_cache_can_be_turned_off() {
    let s = Scratch::new("off");
    s.write_registry(REGISTRY, HOUR);
    s.check(false);
    assert!(s.entries().is_empty());
}

#[test]
fn documents_the_scanner_leaves_to_the_full_parse_are_not_cached() {
    let s = Scratch::new("unusual");
    // CDATA: read by the full parse only.
    let cdata = REGISTRY.replace("Acme telemetry<", "<![CDATA[Acme telemetry]]><");
    s.write_registry(&cdata, HOUR);
    assert_eq!(s.check_both().0, Some(1));
    assert!(s.entries().is_empty());
    // Not well formed: an error either way, and nothing cached.
    s.write_registry(&REGISTRY[..REGISTRY.len() / 2], HOUR);
    let broken = s.check_both();
    assert_eq!(broken.0, Some(2), "{broken:?}");
    assert!(s.entries().is_empty());
}
