//! Benchmarks of portreg on the real IANA registry (divan).
//!
//! `PORTREG_REAL_REGISTRY_DIR=../shared/registry cargo bench --bench portreg`
//!
//! Loading (XML with the scan, XML with the full parse, CSV), a one-draft and a 100-draft
//! `check`, `registry lint` and `registry diff`, plus the same on a synthetic registry ten
//! times larger that is generated from the real file at start-up (in memory and a temporary
//! file; never committed). Without the real files every benchmark is skipped with a message.
//!
//! `lsp`: the language server's latency, from a change of a one-entry draft (didChange, then
//! a request, which checks pending changes first instead of waiting for the 50 ms debounce)
//! to the response, the diagnostics published before it; `PORTREG_BENCH_LSP=1` prints its
//! median and 95th percentile over 500 changes instead (for `bench/run.sh`).
//!
//! `PORTREG_BENCH_WRITE=DIR cargo bench --bench portreg` writes the inputs the command-line
//! comparison (`bench/run.sh`) uses instead of benchmarking: `DIR/large.xml` (ten times the
//! real registry) and `DIR/drafts/acme-bench-NNN.toml` (100 drafts).

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, OnceLock};

use divan::{black_box, Bencher};
use portreg::{check_drafts, DraftInput, Options, OutputFormat, Registry};

const XML: &str = "service-names-port-numbers.xml";
const OLD_XML: &str = "service-names-port-numbers-2026-07-19.xml";
const CSV: &str = "service-names-port-numbers-2024-04.csv";
/// The one-draft input: lints clean against the registry.
const DRAFT: &str = include_str!("../examples/user-port-tcp.toml");
/// How many times larger the synthetic registry is.
const SCALE: usize = 10;

fn real_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("PORTREG_REAL_REGISTRY_DIR")?);
    dir.join(XML).is_file().then_some(dir)
}

fn real(name: &str) -> PathBuf {
    real_dir().map(|d| d.join(name)).unwrap_or_default()
}

/// `n` copies of the example draft with distinct names and User ports (4806..48806).
fn drafts(n: usize) -> Vec<(String, String)> {
    (1..=n)
        .map(|i| {
            let name = format!("acme-bench-{i:03}");
            let port = 4805 + i * 440 + i % 7;
            let text = DRAFT
                .replace("name = \"acme-telemetry\"", &format!("name = \"{name}\""))
                .replace("port = 4873", &format!("port = {port}"));
            (format!("{name}.toml"), text)
        })
        .collect()
}

/// The real registry with its records repeated `SCALE` times. In copy k (1..) every record
/// name gets `-k` (shortened to stay within 15 characters), so the copies add records, not
/// duplicates; ports repeat, as they must in a registry this large.
fn enlarge(xml: &str) -> String {
    let (Some(from), Some(to)) = (xml.find("<record"), xml.rfind("</record>")) else {
        return xml.to_string();
    };
    let to = to + "</record>".len();
    let block = &xml[from..to];
    let mut out = String::with_capacity(xml.len() * SCALE);
    out.push_str(&xml[..to]);
    for k in 1..SCALE {
        out.push_str("\n  ");
        let mut rest = block;
        while let Some(at) = rest.find("<name>") {
            let open = at + "<name>".len();
            out.push_str(&rest[..open]);
            rest = &rest[open..];
            let Some(end) = rest.find("</name>") else {
                break;
            };
            out.push_str(&renamed(&rest[..end], k));
            rest = &rest[end..];
        }
        out.push_str(rest);
    }
    out.push_str(&xml[to..]);
    out
}

fn renamed(name: &str, k: usize) -> String {
    let suffix = format!("-{k}");
    let keep = 15 - suffix.len();
    let base = match name.get(..keep) {
        Some(b) if name.len() > keep => b.trim_end_matches('-'),
        _ => name,
    };
    format!("{base}{suffix}")
}

static LARGE_PATH: OnceLock<PathBuf> = OnceLock::new();

/// The synthetic registry, written to a temporary file on first use.
fn large_path() -> &'static Path {
    LARGE_PATH.get_or_init(|| {
        let path = std::env::temp_dir().join("portreg-bench-large.xml");
        let xml = std::fs::read_to_string(real(XML)).unwrap_or_default();
        if let Err(e) = write_settled(&path, &enlarge(&xml)) {
            eprintln!("cannot write {}: {e}", path.display());
        }
        path
    })
}

fn load(path: &Path) -> Arc<Registry> {
    match Registry::load(path) {
        Ok(r) => Arc::new(r),
        Err(e) => panic!("{e}"),
    }
}

static REAL: LazyLock<Arc<Registry>> = LazyLock::new(|| load(&real(XML)));
static OLD: LazyLock<Arc<Registry>> = LazyLock::new(|| load(&real(OLD_XML)));
static LARGE: LazyLock<Arc<Registry>> = LazyLock::new(|| load(large_path()));

fn options(registry: &Arc<Registry>) -> Options {
    let options = Options::default().with_registry(Arc::clone(registry));
    match chrono::NaiveDate::from_ymd_opt(2026, 12, 2) {
        Some(today) => options.with_today(today),
        None => options,
    }
}

/// A `check` as the command line runs it: read and check the drafts, render JSON.
fn check(registry: &Arc<Registry>, drafts: &[(String, String)]) -> String {
    let inputs: Vec<DraftInput> = drafts
        .iter()
        .map(|(name, text)| DraftInput::new(name.clone(), text.as_bytes()))
        .collect();
    portreg::render(
        &check_drafts(inputs, &options(registry)),
        OutputFormat::Json,
    )
}

/// Loading. `*_scan` always scans (from bytes in memory, never cached); `*_load` reads the
/// file as `check` does, from the scan cache when it holds an entry for the file (written
/// by the first load of a file modified more than two seconds before).
#[divan::bench_group(sample_count = 20)]
mod load {
    use super::*;

    fn from_bytes(b: Bencher, path: &Path) {
        let bytes = std::fs::read(path).unwrap_or_default();
        b.with_inputs(|| bytes.clone())
            .bench_values(|bytes| Registry::from_bytes(XML, bytes).map(|r| r.record_count()))
    }

    #[divan::bench]
    fn xml_scan(b: Bencher) {
        from_bytes(b, &real(XML))
    }

    #[divan::bench]
    fn xml_load() -> Registry {
        Registry::load(&real(XML)).unwrap_or_else(|e| panic!("{e}"))
    }

    #[divan::bench]
    fn xml_full_parse(b: Bencher) {
        let bytes = std::fs::read(real(XML)).unwrap_or_default();
        b.with_inputs(|| bytes.clone())
            .bench_values(|bytes| Registry::from_bytes_eager(XML, bytes).map(|r| r.record_count()))
    }

    #[divan::bench]
    fn csv() -> Registry {
        Registry::load(&real(CSV)).unwrap_or_else(|e| panic!("{e}"))
    }

    #[divan::bench]
    fn xml_scan_10x(b: Bencher) {
        from_bytes(b, large_path())
    }

    #[divan::bench]
    fn xml_load_10x() -> Registry {
        Registry::load(large_path()).unwrap_or_else(|e| panic!("{e}"))
    }
}

/// `check` with the registry already loaded (loading is measured above).
#[divan::bench_group(sample_count = 20)]
mod check {
    use super::*;

    #[divan::bench]
    fn one_draft(b: Bencher) {
        let one = drafts(1);
        b.bench(|| check(&REAL, black_box(&one)))
    }

    #[divan::bench]
    fn hundred_drafts(b: Bencher) {
        let hundred = drafts(100);
        b.bench(|| check(&REAL, black_box(&hundred)))
    }

    #[divan::bench]
    fn one_draft_10x(b: Bencher) {
        let one = drafts(1);
        b.bench(|| check(&LARGE, black_box(&one)))
    }
}

/// `registry lint` and `registry diff` with JSON output. Each run loads the registry anew
/// (records parse on first access, so a loaded registry would be warm after one run).
#[divan::bench_group(sample_count = 10)]
mod registry {
    use super::*;

    fn lint(path: &Path) -> String {
        let r = load(path);
        let report = portreg::lint(Arc::clone(&r), &options(&r));
        portreg::render(&report, OutputFormat::Json)
    }

    #[divan::bench]
    fn lint_real() -> String {
        lint(&real(XML))
    }

    #[divan::bench]
    fn lint_10x() -> String {
        lint(large_path())
    }

    #[divan::bench]
    fn diff_real() -> String {
        let (base, head) = (load(&real(OLD_XML)), load(&real(XML)));
        let report = portreg::diff(base, Arc::clone(&head), &options(&head));
        portreg::render(&report, OutputFormat::Json)
    }

    /// Only the comparison, both registries loaded and parsed already.
    #[divan::bench]
    fn diff_warm() -> String {
        let report = portreg::diff(Arc::clone(&OLD), Arc::clone(&REAL), &options(&REAL));
        portreg::render(&report, OutputFormat::Json)
    }
}

/// `portreg lsp` on an in-memory connection with the real registry and one open draft.
struct LspSession {
    client: lsp_server::Connection,
    server: Option<std::thread::JoinHandle<Result<(), String>>>,
    next_id: i32,
    version: i32,
}

const LSP_URI: &str = "file:///portreg-bench/acme-bench-001.toml";

impl LspSession {
    fn start() -> LspSession {
        use lsp_server::{Connection, Message, Notification, Request};
        let (server, client) = Connection::memory();
        let registry = real(XML);
        let handle =
            std::thread::spawn(move || portreg::testing::lsp::serve(&server, Some(registry)));
        let mut s = LspSession {
            client,
            server: Some(handle),
            next_id: 1,
            version: 1,
        };
        s.request(Request::new(
            1.into(),
            "initialize".into(),
            serde_json::json!({ "capabilities": {} }),
        ));
        let note = |m: &str, p| Message::from(Notification::new(m.into(), p));
        let _ = s
            .client
            .sender
            .send(note("initialized", serde_json::json!({})));
        let open = serde_json::json!({ "textDocument": {
            "uri": LSP_URI, "languageId": "toml", "version": 1, "text": drafts(1)[0].1 } });
        let _ = s.client.sender.send(note("textDocument/didOpen", open));
        s.wait_diagnostics();
        s
    }

    fn wait_diagnostics(&self) {
        while let Ok(m) = self.client.receiver.recv() {
            if matches!(&m, lsp_server::Message::Notification(n) if n.method == "textDocument/publishDiagnostics")
            {
                return;
            }
        }
    }

    /// Sends `req` and waits for its response.
    fn request(&mut self, req: lsp_server::Request) {
        let id = req.id.clone();
        let _ = self.client.sender.send(req.into());
        while let Ok(m) = self.client.receiver.recv() {
            if matches!(&m, lsp_server::Message::Response(r) if r.id == id) {
                return;
            }
        }
    }

    /// One edit of the draft, then a hover: the server checks the draft and publishes its
    /// diagnostics before it answers.
    fn change(&mut self) {
        self.version += 1;
        self.next_id += 1;
        let text = format!("{}# edit {}\n", drafts(1)[0].1, self.version);
        let change = serde_json::json!({
            "textDocument": { "uri": LSP_URI, "version": self.version },
            "contentChanges": [{ "text": text }] });
        let _ = self
            .client
            .sender
            .send(lsp_server::Notification::new("textDocument/didChange".into(), change).into());
        let hover = serde_json::json!({
            "textDocument": { "uri": LSP_URI }, "position": { "line": 0, "character": 0 } });
        self.request(lsp_server::Request::new(
            self.next_id.into(),
            "textDocument/hover".into(),
            hover,
        ));
    }
}

impl Drop for LspSession {
    fn drop(&mut self) {
        use lsp_server::{Notification, Request};
        self.next_id += 1;
        let id = self.next_id;
        self.request(Request::new(
            id.into(),
            "shutdown".into(),
            serde_json::Value::Null,
        ));
        let _ = self
            .client
            .sender
            .send(Notification::new("exit".into(), serde_json::Value::Null).into());
        if let Some(h) = self.server.take() {
            let _ = h.join();
        }
    }
}

#[divan::bench_group(sample_count = 100)]
mod lsp {
    use super::*;

    #[divan::bench]
    fn diagnostics_after_change(b: Bencher) {
        let mut session = LspSession::start();
        b.bench_local(|| session.change());
    }
}

/// `PORTREG_BENCH_LSP=1`: the latency of diagnostics after a change, median and p95.
fn lsp_latency() {
    let mut session = LspSession::start();
    let mut ms: Vec<f64> = (0..500)
        .map(|_| {
            let t = std::time::Instant::now();
            session.change();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let (median, p95) = (ms[ms.len() / 2], ms[ms.len() * 95 / 100]);
    println!(
        "lsp: diagnostics after a change (one-entry draft, real registry): median {median:.2} ms, p95 {p95:.2} ms; target < 5 ms: {}",
        if median < 5.0 { "MET" } else { "NOT MET" }
    );
}

/// Writes a file dated an hour back, so that its first load fills the scan cache (a file
/// modified in the last two seconds is never cached).
fn write_settled(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)?;
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(hour_ago)
}

/// Writes the inputs of `bench/run.sh` into `dir`.
fn write_inputs(dir: &Path) -> std::io::Result<()> {
    let xml = std::fs::read_to_string(real(XML))?;
    std::fs::create_dir_all(dir.join("drafts"))?;
    write_settled(&dir.join("large.xml"), &enlarge(&xml))?;
    for (name, text) in drafts(100) {
        std::fs::write(dir.join("drafts").join(name), text)?;
    }
    Ok(())
}

fn main() {
    if real_dir().is_none() {
        eprintln!(
            "portreg benchmarks skipped: set PORTREG_REAL_REGISTRY_DIR to the folder holding {XML}"
        );
        return;
    }
    if let Some(dir) = std::env::var_os("PORTREG_BENCH_WRITE") {
        if let Err(e) = write_inputs(Path::new(&dir)) {
            eprintln!("cannot write the benchmark inputs: {e}");
            std::process::exit(1);
        }
        return;
    }
    if std::env::var_os("PORTREG_BENCH_LSP").is_some() {
        lsp_latency();
        return;
    }
    // Parse outside the measurements: these are only the inputs.
    let _ = (REAL.records.len(), OLD.records.len());
    divan::main();
    if let Some(path) = LARGE_PATH.get() {
        let _ = std::fs::remove_file(path);
    }
}
